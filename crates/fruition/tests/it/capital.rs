//! Funds, investments and exits through the API: who registers and keeps a fund, a guidance
//! fund's sub-funds, portfolio figures marked to the latest valuation (realised, unrealised and
//! total multiples), a deal on a capital listing that ends in an investment, the investors'
//! workbook (all rows or none), the year's capital statistics, and limits that hold under
//! concurrent requests (a fund's size, what is left of a position).

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, at_once, count, incubate_at, on_both};

const WAN: i64 = 10_000 * 100;

/// An investor with a user, an enterprise (registered and incubated) with a user.
struct Parties {
    investor: String,
    investor_org: i64,
    other_investor: String,
    firm: String,
    enterprise: i64,
    other_firm: String,
}

async fn enterprise_of(app: &TestApp, carrier: i64) -> i64 {
    let list = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/enterprises?carrier_id={carrier}"),
            None,
            StatusCode::OK,
        )
        .await;
    list[0]["id"].as_i64().expect("enterprise id")
}

async fn parties(app: &TestApp, tag: &str) -> Parties {
    let (investor_org, investor) = app.org_with_user("investor", &format!("vc-{tag}")).await;
    let (_, other_investor) = app.org_with_user("investor", &format!("vc2-{tag}")).await;
    let (firm_org, firm) = app
        .org_with_user("enterprise", &format!("firm-{tag}"))
        .await;
    let (_, other_firm) = app
        .org_with_user("enterprise", &format!("firm2-{tag}"))
        .await;
    let (operator, _) = app
        .org_with_user("carrier_operator", &format!("op-{tag}"))
        .await;
    let carrier = incubate_at(
        app,
        operator,
        firm_org,
        &format!("孵化器{tag}"),
        "incubator",
    )
    .await;
    Parties {
        investor,
        investor_org,
        other_investor,
        firm,
        enterprise: enterprise_of(app, carrier).await,
        other_firm,
    }
}

async fn fund(app: &TestApp, token: &str, body: Value) -> i64 {
    app.expect(
        token,
        Method::POST,
        "/capital/funds",
        Some(body),
        StatusCode::CREATED,
    )
    .await["fund"]["id"]
        .as_i64()
        .expect("fund id")
}

async fn invest(app: &TestApp, token: &str, body: Value, status: StatusCode) -> Value {
    app.expect(
        token,
        Method::POST,
        "/capital/investments",
        Some(body),
        status,
    )
    .await
}

async fn portfolio(app: &TestApp, token: &str, fund: i64) -> Value {
    app.expect(
        token,
        Method::GET,
        &format!("/capital/funds/{fund}"),
        None,
        StatusCode::OK,
    )
    .await
}

/// A guidance fund and its sub-fund, a venture fund's investments and follow-on marked to a later
/// valuation, a partial exit, a write-off; each party's view.
async fn fund_and_portfolio_story(app: TestApp) {
    let p = parties(&app, "story").await;
    let admin = app.admin_token.clone();

    // The bureau registers the guidance fund for its manager; bad figures name their fields.
    let e = app.expect(&admin, Method::POST, "/capital/funds", Some(json!({
                "name": "株洲市启航引导基金", "kind": "guidance", "manager_org_id": p.investor_org,
                "size_k": 1_000_000, "paid_in_k": 2_000_000, "government_k": -1, "established_year": 2019
            })), StatusCode::UNPROCESSABLE_ENTITY).await;
    assert!(e["error"]["fields"]["paid_in_k"].is_string(), "{e}");
    assert!(e["error"]["fields"]["government_k"].is_string(), "{e}");
    let guidance = fund(
        &app,
        &admin,
        json!({
            "name": "株洲市启航引导基金", "kind": "guidance", "manager_org_id": p.investor_org,
            "size_k": 1_000_000, "paid_in_k": 400_000, "government_k": 1_000_000,
            "established_year": 2019, "chain_codes": ["轨道交通"]
        }),
    )
    .await;
    // A second fund of that name is a conflict.
    app.expect(&admin, Method::POST, "/capital/funds", Some(json!({"name": "株洲市启航引导基金", "kind": "angel", "manager_org_id": p.investor_org, "size_k": 1, "established_year": 2020})), StatusCode::CONFLICT).await;
    // The investor registers a sub-fund for itself, never for another manager.
    app.expect(&p.other_investor, Method::POST, "/capital/funds", Some(json!({"name": "别家基金", "kind": "venture", "manager_org_id": p.investor_org, "size_k": 100, "established_year": 2020})), StatusCode::FORBIDDEN).await;
    let venture = fund(
        &app,
        &p.investor,
        json!({
            "name": "启航创投子基金一期", "kind": "venture", "parent_fund_id": guidance,
            "from_parent_k": 60_000, "size_k": 200_000, "paid_in_k": 200_000,
            "government_k": 60_000, "established_year": 2020
        }),
    )
    .await;
    let other_fund = fund(
        &app,
        &p.other_investor,
        json!({"name": "湘江天使基金", "kind": "angel", "size_k": 500_000, "established_year": 2018}),
    )
    .await;
    let d = portfolio(&app, &admin, guidance).await;
    assert_eq!(d["sub_funds"][0]["id"], venture, "{d}");
    assert_eq!(d["fund"]["government_share_bp"], 10_000);

    // 1000万 in the A round at 1亿 post-money, then a 500万 follow-on in B at 3亿.
    let bad = invest(
        &app,
        &p.investor,
        json!({"fund_id": venture, "enterprise_id": p.enterprise, "round": "z", "amount_fen": 1000 * WAN,
               "invested_on": "2099-01-01", "post_money_fen": 100 * WAN}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    for field in ["round", "invested_on", "post_money_fen"] {
        assert!(bad["error"]["fields"][field].is_string(), "{field}: {bad}");
    }
    let a = invest(
        &app,
        &p.investor,
        json!({"fund_id": venture, "enterprise_id": p.enterprise, "round": "a", "amount_fen": 1000 * WAN,
               "invested_on": "2023-03-01", "post_money_fen": 10_000 * WAN}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(a["amount"], "1000.00 万元", "{a}");
    invest(
        &app,
        &p.investor,
        json!({"fund_id": venture, "enterprise_id": p.enterprise, "round": "b", "amount_fen": 500 * WAN,
               "invested_on": "2024-05-01", "post_money_fen": 30_000 * WAN}),
        StatusCode::CREATED,
    )
    .await;
    // Another fund leads a C round at 6亿: the venture fund's position is re-marked.
    invest(
        &app,
        &p.other_investor,
        json!({"fund_id": other_fund, "enterprise_id": p.enterprise, "round": "c", "amount_fen": 3000 * WAN,
               "invested_on": "2024-11-20", "post_money_fen": 60_000 * WAN}),
        StatusCode::CREATED,
    )
    .await;
    // Nobody records investments on another manager's fund.
    invest(
        &app,
        &p.other_investor,
        json!({"fund_id": venture, "enterprise_id": p.enterprise, "round": "c", "amount_fen": WAN, "invested_on": "2024-11-20"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d = portfolio(&app, &p.investor, venture).await;
    let f = &d["fund"]["portfolio"];
    // 1000万 × 6 + 500万 × 2 = 7000万 on 1500万 invested: 4.66×.
    assert_eq!(f["invested_fen"], 1500 * WAN, "{d}");
    assert_eq!(f["value_fen"], 7000 * WAN, "{d}");
    assert_eq!(f["total_multiple"], "4.66×", "{d}");
    assert_eq!(f["firms"], 1);
    assert_eq!(
        f["in_chains_bp"], 10_000,
        "the enterprise is in 轨道交通: {d}"
    );
    assert_eq!(d["positions"][0]["enterprise_id"], p.enterprise);
    // Another investor sees the fund but not its portfolio.
    let seen = portfolio(&app, &p.other_investor, venture).await;
    assert!(seen["fund"]["portfolio"].is_null(), "{seen}");
    assert_eq!(seen["positions"].as_array().map(Vec::len), Some(0));

    // Half the cost exited by a transfer for 2000万: 3500万 left, (2000 + 3500) / 1500 = 3.66×.
    let x = app
        .expect(
            &p.investor,
            Method::POST,
            "/capital/exits",
            Some(json!({"fund_id": venture, "enterprise_id": p.enterprise, "kind": "transfer",
                        "exited_on": "2025-06-30", "cost_fen": 750 * WAN, "proceeds_fen": 2000 * WAN})),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(x["kind_label"], "股权转让");
    let f = portfolio(&app, &p.investor, venture).await["fund"]["portfolio"].clone();
    assert_eq!(f["value_fen"], 3500 * WAN, "{f}");
    assert_eq!(f["realised_x100"], 133, "{f}");
    assert_eq!(f["total_multiple"], "3.66×", "{f}");
    // More than is left: refused, naming the cost.
    let e = app
        .expect(
            &p.investor,
            Method::POST,
            "/capital/exits",
            Some(
                json!({"fund_id": venture, "enterprise_id": p.enterprise, "kind": "buy_back",
                        "exited_on": "2025-07-01", "cost_fen": 751 * WAN, "proceeds_fen": 0}),
            ),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(e["error"]["fields"]["cost_fen"].is_string(), "{e}");
    // A write-off with proceeds is refused; the rest written off leaves nothing.
    let e = app
        .expect(
            &p.investor,
            Method::POST,
            "/capital/exits",
            Some(
                json!({"fund_id": venture, "enterprise_id": p.enterprise, "kind": "write_off",
                        "exited_on": "2025-07-01", "proceeds_fen": 1}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(e["error"]["fields"]["proceeds_fen"].is_string(), "{e}");
    app.expect(
        &p.investor,
        Method::POST,
        "/capital/exits",
        Some(json!({"fund_id": venture, "enterprise_id": p.enterprise, "kind": "write_off", "exited_on": "2025-07-01"})),
        StatusCode::CREATED,
    )
    .await;
    let d = portfolio(&app, &p.investor, venture).await;
    assert_eq!(d["fund"]["portfolio"]["value_fen"], 0, "{d}");
    assert_eq!(d["fund"]["portfolio"]["holdings"], 0, "{d}");
    assert_eq!(d["positions"][0]["written_off"], true, "{d}");
    let exits = app
        .expect(
            &p.investor,
            Method::GET,
            &format!("/capital/funds/{venture}/exits"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(exits.as_array().map(Vec::len), Some(2), "{exits}");
    app.expect(
        &p.other_investor,
        Method::GET,
        &format!("/capital/funds/{venture}/exits"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;

    // The enterprise sees the three investments in it; another enterprise sees none.
    let mine = app
        .expect(
            &p.firm,
            Method::GET,
            "/capital/investments",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(mine.as_array().map(Vec::len), Some(3), "{mine}");
    let id = mine[0]["id"].as_i64().expect("id");
    let theirs = app
        .expect(
            &p.other_firm,
            Method::GET,
            "/capital/investments",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(theirs.as_array().map(Vec::len), Some(0), "{theirs}");
    app.expect(
        &p.other_firm,
        Method::GET,
        &format!("/capital/investments/{id}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;

    // Every change is in the audit log with who did it.
    let audit = app
        .expect(
            &admin,
            Method::GET,
            "/audit-entries?entity=investment_exit",
            None,
            StatusCode::OK,
        )
        .await;
    let entries = audit.as_array().cloned().unwrap_or_default();
    assert_eq!(entries.len(), 2, "{audit}");
    assert!(
        entries.iter().all(|e| e["actor_login"] == "vc-story"),
        "{audit}"
    );

    // The fund's size cannot fall below what it invested.
    let e = app
        .expect(
            &p.investor,
            Method::PUT,
            &format!("/capital/funds/{venture}"),
            Some(
                json!({"name": "启航创投子基金一期", "kind": "venture", "parent_fund_id": guidance,
                        "from_parent_k": 6_000, "size_k": 10_000, "established_year": 2020}),
            ),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(e["error"]["fields"]["size_k"].is_string(), "{e}");
}

/// Ten investments of 300万 at once in a fund of 1000万: three are recorded, never more.
async fn the_fund_size_holds_under_concurrent_investments(app: TestApp) {
    let p = parties(&app, "race").await;
    let f = fund(
        &app,
        &p.investor,
        json!({"name": "小型种子基金", "kind": "seed", "size_k": 10_000, "established_year": 2020}),
    )
    .await;
    let body = json!({"fund_id": f, "enterprise_id": p.enterprise, "round": "seed",
                      "amount_fen": 300 * WAN, "invested_on": "2024-01-15"});
    let statuses = at_once(
        &app,
        &p.investor,
        vec![("/capital/investments".to_string(), body); 10],
    )
    .await;
    assert_eq!(count(&statuses, StatusCode::CREATED), 3, "{statuses:?}");
    assert_eq!(count(&statuses, StatusCode::CONFLICT), 7, "{statuses:?}");
    let d = portfolio(&app, &p.investor, f).await;
    assert_eq!(d["fund"]["invested_fen"], 900 * WAN, "{d}");
    assert_eq!(d["fund"]["portfolio"]["invested_fen"], 900 * WAN, "{d}");
    // Six full exits at once: one exit.
    let exit = json!({"fund_id": f, "enterprise_id": p.enterprise, "kind": "buy_back",
                      "exited_on": "2025-01-15", "proceeds_fen": 1000 * WAN});
    let statuses = at_once(
        &app,
        &p.investor,
        vec![("/capital/exits".to_string(), exit); 6],
    )
    .await;
    assert_eq!(count(&statuses, StatusCode::CREATED), 1, "{statuses:?}");
    let d = portfolio(&app, &p.investor, f).await;
    assert_eq!(d["fund"]["portfolio"]["proceeds_fen"], 1000 * WAN, "{d}");
}

/// An enterprise declares intent on an investor's capital listing that names its fund; the deal
/// takes no technology contract terms; the investor records the investment from it and the deal
/// is concluded.
async fn a_capital_deal_ends_in_an_investment(app: TestApp) {
    let p = parties(&app, "deal").await;
    let f = fund(
        &app,
        &p.investor,
        json!({"name": "湘江成长基金", "kind": "venture", "size_k": 300_000, "established_year": 2021}),
    )
    .await;
    let listing = app
        .expect(
            &p.investor,
            Method::POST,
            "/listings",
            Some(json!({"kind": "capital", "title": "湘江成长基金：投资轨道交通与新材料早期项目",
                        "summary": "单笔投资500万至3000万元，关注株洲轨道交通和新材料产业链的成长期企业。"})),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("listing");
    app.expect(
        &p.investor,
        Method::POST,
        &format!("/listings/{listing}/actions"),
        Some(json!({"step": "publish"})),
        StatusCode::OK,
    )
    .await;
    let deal = app
        .expect(
            &p.firm,
            Method::POST,
            "/deals",
            Some(
                json!({"listing_id": listing, "message": "我司正在进行A轮融资，希望与贵方洽谈。"}),
            ),
            StatusCode::CREATED,
        )
        .await["deal"]["id"]
        .as_i64()
        .expect("deal");
    // No technology contract terms on a capital deal: not at this status, ever.
    let refused = app
        .expect(
            &p.investor,
            Method::POST,
            &format!("/deals/{deal}/terms"),
            Some(
                json!({"contract_type": "service", "contract_amount_k": 100, "tech_amount_k": 100,
                        "starts_on": "2025-01-01", "ends_on": "2025-12-31"}),
            ),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        refused["error"]["fields"]["status"].is_string(),
        "{refused}"
    );
    let inv = invest(
        &app,
        &p.investor,
        json!({"fund_id": f, "deal_id": deal, "round": "a", "amount_fen": 800 * WAN,
               "invested_on": "2024-09-01", "post_money_fen": 8000 * WAN}),
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(inv["enterprise_id"], p.enterprise, "{inv}");
    assert_eq!(inv["deal_id"], deal);
    let d = app
        .expect(
            &p.firm,
            Method::GET,
            &format!("/deals/{deal}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["deal"]["status"], "fulfilled", "{d}");
    assert_eq!(d["deal"]["status_label"], "已形成投资记录", "{d}");
    // A concluded deal ends in no second investment.
    let again = invest(
        &app,
        &p.investor,
        json!({"fund_id": f, "deal_id": deal, "round": "a", "amount_fen": WAN, "invested_on": "2024-09-01"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert!(again["error"]["fields"]["deal_id"].is_string(), "{again}");
}

/// A workbook with bad rows writes nothing and lists every one; a good one writes all rows; rows
/// that together pass the fund's size are refused by row.
async fn investment_workbook_is_all_or_nothing(app: TestApp) {
    let p = parties(&app, "sheet").await;
    fund(
        &app,
        &p.investor,
        json!({"name": "导入测试基金", "kind": "angel", "size_k": 20_000, "established_year": 2019}),
    )
    .await;
    let e = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/enterprises/{}", p.enterprise),
            None,
            StatusCode::OK,
        )
        .await;
    let uscc = e["enterprise"]["uscc"]
        .as_str()
        .or(e["uscc"].as_str())
        .expect("uscc")
        .to_string();
    let header = "基金名称,被投企业统一社会信用代码,轮次,投资工具,投资金额（元）,投资日期,投后估值（元）,备注\n";
    let bad = format!(
        "{header}导入测试基金,{uscc},天使轮,股权,5000000,2023-04-01,50000000,\n\
         没有的基金,{uscc},E轮,期权,-1,2099-01-01,1,\n"
    );
    let (status, body) = app
        .send_csv(&p.investor, "/capital/investments/imports", bad)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let rows = body["error"]["rows"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let columns: Vec<&str> = rows.iter().filter_map(|r| r["column"].as_str()).collect();
    for c in ["基金名称", "轮次", "投资工具", "投资金额（元）", "投资日期"] {
        assert!(columns.contains(&c), "{c}: {body}");
    }
    let none = app
        .expect(
            &p.investor,
            Method::GET,
            "/capital/investments",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        none.as_array().map(Vec::len),
        Some(0),
        "nothing written: {none}"
    );
    // 1500万 + 600万 pass a fund of 2000万: the second row is refused, nothing written.
    let over = format!(
        "{header}导入测试基金,{uscc},天使轮,股权,15000000,2023-04-01,,\n\
         导入测试基金,{uscc},A轮,,6000000,2024-04-01,,\n"
    );
    let (status, body) = app
        .send_csv(&p.investor, "/capital/investments/imports", over)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["rows"][0]["row"], 3, "{body}");
    let good = format!(
        "{header}导入测试基金,{uscc},天使轮,股权,5000000,2023-04-01,50000000,首轮\n\
         导入测试基金,{uscc},A轮,可转债,10000000,2024-04-01,200000000,\n"
    );
    let (status, body) = app
        .send_csv(&p.investor, "/capital/investments/imports", good)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["rows"], 2);
    assert_eq!(body["amount_fen"], 1500 * WAN);
    let all = app
        .expect(
            &p.investor,
            Method::GET,
            "/capital/investments",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(all.as_array().map(Vec::len), Some(2), "{all}");
    assert_eq!(all[0]["instrument"], "convertible", "{all}");
}

/// The year's capital: funds open to incubatees, established by then and not closed, a sub-fund
/// counting only what its parent did not put in; the year's investments.
async fn capital_statistics_derive_from_records(app: TestApp) {
    let p = parties(&app, "stats").await;
    let admin = app.admin_token.clone();
    let before = app
        .expect(
            &p.firm,
            Method::GET,
            "/capital/statistics?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let base = before["capital_k"].as_i64().expect("capital");
    let g = fund(
        &app,
        &admin,
        json!({"name": "统计引导基金", "kind": "guidance", "manager_org_id": p.investor_org,
               "size_k": 500_000, "established_year": 2020}),
    )
    .await;
    fund(
        &app,
        &p.investor,
        json!({"name": "统计子基金", "kind": "venture", "parent_fund_id": g, "from_parent_k": 100_000,
               "size_k": 300_000, "established_year": 2022}),
    )
    .await;
    fund(
        &app,
        &p.investor,
        json!({"name": "统计未来基金", "kind": "venture", "size_k": 900_000, "established_year": 2025}),
    )
    .await;
    fund(
        &app,
        &p.investor,
        json!({"name": "统计清算基金", "kind": "angel", "status": "closed", "closed_year": 2023,
               "size_k": 50_000, "established_year": 2015}),
    )
    .await;
    fund(
        &app,
        &p.investor,
        json!({"name": "统计非孵化基金", "kind": "industry", "for_incubatees": false,
               "size_k": 70_000, "established_year": 2015}),
    )
    .await;
    let s = app
        .expect(
            &p.firm,
            Method::GET,
            "/capital/statistics?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    // 500,000 + (300,000 − 100,000): the future, closed and non-incubatee funds do not count.
    assert_eq!(s["capital_k"].as_i64(), Some(base + 700_000), "{s}");
    let e = app
        .expect(
            &p.firm,
            Method::GET,
            "/capital/statistics?year=20245",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(e["error"]["fields"]["year"].is_string(), "{e}");
}

/// A 先投后股 project waits for a market-priced round: an investment without a valuation leaves
/// it granted; the first with one triggers it at that round's valuation.
async fn a_priced_round_triggers_invest_then_equity(app: TestApp) {
    let p = parties(&app, "ite").await;
    let admin = app.admin_token.clone();
    let grant = app
        .expect(
            &admin,
            Method::POST,
            "/capital/grants",
            Some(
                json!({"enterprise_id": p.enterprise, "title": "碳化硅功率模块中试项目",
                        "amount_fen": 300 * WAN, "granted_on": "2023-05-10", "discount_bp": 2000}),
            ),
            StatusCode::CREATED,
        )
        .await["grant"]["id"]
        .as_i64()
        .expect("grant id");
    let f = fund(
        &app,
        &p.investor,
        json!({"name": "触发测试基金", "kind": "venture", "size_k": 300_000, "established_year": 2020}),
    )
    .await;
    let status = |g: Value| g["grant"]["status"].as_str().unwrap_or("").to_string();
    invest(
        &app,
        &p.investor,
        json!({"fund_id": f, "enterprise_id": p.enterprise, "round": "angel", "amount_fen": 200 * WAN,
               "invested_on": "2024-01-10"}),
        StatusCode::CREATED,
    )
    .await;
    let g = app
        .expect(
            &admin,
            Method::GET,
            &format!("/capital/grants/{grant}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(status(g.clone()), "granted", "{g}");
    let inv = invest(
        &app,
        &p.investor,
        json!({"fund_id": f, "enterprise_id": p.enterprise, "round": "a", "amount_fen": 2000 * WAN,
               "invested_on": "2024-06-10", "post_money_fen": 10_000 * WAN}),
        StatusCode::CREATED,
    )
    .await;
    let g = app
        .expect(
            &p.firm,
            Method::GET,
            &format!("/capital/grants/{grant}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(status(g.clone()), "triggered", "{g}");
    assert_eq!(g["grant"]["valuation_fen"], 10_000 * WAN, "{g}");
    assert_eq!(g["grant"]["trigger_investment_id"], inv["id"], "{g}");
}

on_both!(
    a_priced_round_triggers_invest_then_equity,
    fund_and_portfolio_story,
    the_fund_size_holds_under_concurrent_investments,
    a_capital_deal_ends_in_an_investment,
    investment_workbook_is_all_or_nothing,
    capital_statistics_derive_from_records
);
