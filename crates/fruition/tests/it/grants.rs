//! 先投后股 projects through the API and the pages: the whole story from the bureau's grant
//! through milestones, the trigger, the exact conversion (the worked example: 500万元 at a
//! 1亿元 round less 20 % on 1,000万 shares → 666,666 shares, 6.2499 %), registration and exit;
//! a write-off with an exemption from liability; steps refused when they are not legal (naming
//! `step`); two conversions at once (one wins); a priced round recorded by the investments code
//! triggering the enterprise's waiting projects; the audit entries; who sees and who acts.

use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::capital::funds::{self, NewFund};
use fruition_store::capital::grants::{PricedRound, trigger_on_investment};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::pages::sign_in;
use crate::registry_pages::{Answer, get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

const WAN: i64 = 10_000 * 100;

/// A fund managed by `manager_org`, registered through the store (the funds' API is another
/// capability's); returns its id.
pub async fn fund(app: &TestApp, manager_org: i64, name: &str) -> i64 {
    let mut tx = app.db.begin().await.expect("begin");
    let f = funds::insert(
        &mut tx,
        &AuditCtx::system("tests"),
        &NewFund {
            name: name.to_string(),
            kind: fruition_domain::fund::FundKind::Seed,
            status: fruition_domain::fund::FundStatus::Investing,
            manager_org_id: Some(manager_org),
            parent_fund_id: None,
            carrier_id: None,
            size_k: 100_000,
            paid_in_k: 50_000,
            government_k: 20_000,
            from_parent_k: 0,
            for_incubatees: true,
            established_year: 2022,
            closed_year: None,
            chain_codes: Vec::new(),
        },
    )
    .await
    .expect("fund");
    tx.commit().await.expect("commit");
    f.id
}

/// An organisation of `kind` with a first user and, for an enterprise, its registry record;
/// returns (org id, token, registry enterprise id or 0).
async fn party(app: &TestApp, kind: &str, login: &str) -> (i64, String, i64) {
    let (org, token) = app.org_with_user(kind, login).await;
    if kind != "enterprise" {
        return (org, token, 0);
    }
    let (_, o) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{org}"), None)
        .await;
    let e = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/enterprises",
            Some(json!({"enterprise": {"uscc": o["uscc"], "name": o["name"], "county": "天元区", "chain": "轨道交通"}})),
            StatusCode::CREATED,
        )
        .await;
    (
        org,
        token,
        e["enterprise"]["id"].as_i64().expect("enterprise id"),
    )
}

/// The bureau grants `amount_wan` 万元 to `enterprise` on `granted_on` with `discount_bp`,
/// kept by `fund`; returns the project's id.
pub async fn grant(
    app: &TestApp,
    enterprise: i64,
    fund: Option<i64>,
    amount_wan: i64,
    discount_bp: i64,
    granted_on: &str,
) -> i64 {
    let d = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/capital/grants",
            Some(json!({
                "enterprise_id": enterprise, "title": "碳化硅功率模块中试项目",
                "amount_fen": amount_wan * WAN, "discount_bp": discount_bp,
                "granted_on": granted_on, "fund_id": fund
            })),
            StatusCode::CREATED,
        )
        .await;
    assert_eq!(d["grant"]["status"], "granted", "{d}");
    d["grant"]["id"].as_i64().expect("grant id")
}

async fn act(app: &TestApp, token: &str, id: i64, body: Value, status: StatusCode) -> Value {
    app.expect(
        token,
        Method::POST,
        &format!("/capital/grants/{id}/actions"),
        Some(body),
        status,
    )
    .await
}

/// The fields an error names.
fn field_names(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

fn assert_fields(e: &Value, want: &[&str]) {
    let got = field_names(e);
    for f in want {
        assert!(got.iter().any(|g| g == f), "{f} in {e}");
    }
}

/// Audit entries of one entity.
async fn audit(app: &TestApp, entity: &str, id: i64) -> Vec<Value> {
    app.expect(
        &app.admin_token,
        Method::GET,
        &format!("/audit-entries?entity={entity}&entity_id={id}"),
        None,
        StatusCode::OK,
    )
    .await
    .as_array()
    .cloned()
    .expect("entries")
}

async fn grant_story(app: TestApp) {
    let admin = app.admin_token.clone();
    let (_, firm, firm_e) = party(&app, "enterprise", "gr.firm").await;
    let (_, rival, rival_e) = party(&app, "enterprise", "gr.rival").await;
    let (investor_org, investor, _) = party(&app, "investor", "gr.fund").await;
    let (_, stranger, _) = party(&app, "investor", "gr.stranger").await;
    let seed = fund(&app, investor_org, "株洲科技成果转化种子基金").await;

    // The grant: every bad field named at once; only the bureau grants.
    let bad = app
        .expect(
            &admin,
            Method::POST,
            "/capital/grants",
            Some(json!({"title": "x", "amount_fen": 0, "discount_bp": 9001,
                        "granted_on": "2099-01-01", "fund_id": 999_999})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_fields(
        &bad,
        &[
            "enterprise_id",
            "title",
            "amount_fen",
            "discount_bp",
            "granted_on",
            "fund_id",
        ],
    );
    let bad = app
        .expect(
            &admin,
            Method::POST,
            "/capital/grants",
            Some(
                json!({"enterprise_uscc": "91430211MA4L0A2B3X", "title": "项目",
                        "amount_fen": 1_000_000_000_000_000_i64}),
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_fields(&bad, &["enterprise_uscc", "amount_fen"]);
    assert!(
        bad["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("输入有误"),
        "{bad}"
    );
    app.expect(
        &firm,
        Method::POST,
        "/capital/grants",
        Some(json!({"enterprise_id": firm_e, "title": "自己给自己", "amount_fen": WAN})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let id = grant(&app, firm_e, Some(seed), 500, 2_000, "2024-03-01").await;

    // Who sees it: the bureau, the enterprise, the fund's manager; nobody else (404).
    for who in [&admin, &firm, &investor] {
        let d = app
            .expect(
                who,
                Method::GET,
                &format!("/capital/grants/{id}"),
                None,
                StatusCode::OK,
            )
            .await;
        assert_eq!(d["grant"]["amount_fen"], 500 * WAN);
        assert_eq!(d["grant"]["discount"], "20.00%");
        let listed = app
            .expect(who, Method::GET, "/capital/grants", None, StatusCode::OK)
            .await;
        assert!(
            listed
                .as_array()
                .expect("list")
                .iter()
                .any(|g| g["id"] == id),
            "{listed}"
        );
    }
    for who in [&rival, &stranger] {
        app.expect(
            who,
            Method::GET,
            &format!("/capital/grants/{id}"),
            None,
            StatusCode::NOT_FOUND,
        )
        .await;
        let listed = app
            .expect(who, Method::GET, "/capital/grants", None, StatusCode::OK)
            .await;
        assert_eq!(listed, json!([]), "nothing of another's");
        app.expect(
            who,
            Method::POST,
            &format!("/capital/grants/{id}/actions"),
            Some(json!({"step": "write_off", "reason": "不是我的项目"})),
            StatusCode::NOT_FOUND,
        )
        .await;
    }
    // The enterprise sees its project but takes no step on it.
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/capital/grants/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["steps"], json!([]));
    act(
        &app,
        &firm,
        id,
        json!({"step": "write_off", "reason": "企业自行核销"}),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d = app
        .expect(
            &investor,
            Method::GET,
            &format!("/capital/grants/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["steps"], json!(["trigger", "write_off"]));
    let filtered = app
        .expect(
            &admin,
            Method::GET,
            &format!("/capital/grants?status=granted&fund_manager_org_id={investor_org}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(filtered.as_array().map(Vec::len), Some(1), "{filtered}");
    let bad = app
        .expect(
            &admin,
            Method::GET,
            "/capital/grants?status=nonsense&limit=0",
            None,
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_fields(&bad, &["status"]);

    // Milestones, by the fund's manager while the project waits for its round.
    let milestones = format!("/capital/grants/{id}/milestones");
    let bad = app
        .expect(
            &investor,
            Method::POST,
            &milestones,
            Some(json!({"title": "", "due_on": "2024-13-01"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_fields(&bad, &["title", "due_on"]);
    app.expect(
        &firm,
        Method::POST,
        &milestones,
        Some(json!({"title": "完成中试线建设"})),
        StatusCode::FORBIDDEN,
    )
    .await;
    let d = app
        .expect(
            &investor,
            Method::POST,
            &milestones,
            Some(
                json!({"title": "完成中试线建设", "due_on": "2024-09-30", "note": "含三条封装线"}),
            ),
            StatusCode::CREATED,
        )
        .await;
    let m1 = d["milestones"][0]["id"].as_i64().expect("milestone id");
    let achieve = format!("/capital/grants/{id}/milestones/{m1}/achievement");
    let d = app
        .expect(
            &investor,
            Method::POST,
            &achieve,
            Some(json!({"achieved_on": "2024-09-20"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["milestones"][0]["achieved_on"], "2024-09-20");
    let again = app
        .expect(
            &investor,
            Method::POST,
            &achieve,
            Some(json!({})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_fields(&again, &["achieved_on"]);
    // A milestone of another project is not this one's.
    app.expect(
        &investor,
        Method::POST,
        &format!("/capital/grants/{id}/milestones/{}/achievement", m1 + 1000),
        Some(json!({})),
        StatusCode::NOT_FOUND,
    )
    .await;

    // Steps out of turn are refused naming `step`; unknown ones too.
    for step in ["convert", "register", "exit"] {
        let e = act(
            &app,
            &admin,
            id,
            json!({"step": step}),
            StatusCode::CONFLICT,
        )
        .await;
        assert_fields(&e, &["step"]);
        assert!(
            e["error"]["message"]
                .as_str()
                .unwrap_or("")
                .contains("已拨付"),
            "{e}"
        );
    }
    let e = act(
        &app,
        &admin,
        id,
        json!({"step": "merge"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["step"]);

    // The trigger: a round by investors not on the platform, noted by the fund's manager.
    let e = act(
        &app,
        &investor,
        id,
        json!({"step": "trigger", "round": "z", "valuation_fen": 0, "date": "2024-01-01"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["round", "valuation_fen", "date"]);
    // A valuation that the grant would buy whole never converts.
    let e = act(
        &app,
        &investor,
        id,
        json!({"step": "trigger", "round": "a", "valuation_fen": 600 * WAN, "date": "2024-10-15"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["valuation_fen"]);
    let d = act(
        &app,
        &investor,
        id,
        json!({"step": "trigger", "round": "a", "valuation_fen": 10_000 * WAN, "date": "2024-10-15"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["grant"]["status"], "triggered");
    assert_eq!(d["grant"]["trigger_round"], "a");
    assert_eq!(d["grant"]["valuation"], "100,000,000.00");
    assert_eq!(d["steps"], json!(["convert", "write_off"]));
    // Milestones are still recorded until conversion.
    app.expect(
        &investor,
        Method::POST,
        &milestones,
        Some(json!({"title": "完成首批客户验证"})),
        StatusCode::CREATED,
    )
    .await;

    // The conversion, exactly: 500万 at 1亿 less 20 % buys 500/8000 = 6.25 % after conversion;
    // x / (10,000,000 + x) = 1/16 → x = 666,666.67 → 666,666 shares.
    let e = act(
        &app,
        &admin,
        id,
        json!({"step": "convert"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["shares_before"]);
    let e = act(
        &app,
        &admin,
        id,
        json!({"step": "convert", "shares_before": 0}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["shares_before"]);
    let e = act(
        &app,
        &admin,
        id,
        json!({"step": "convert", "shares_before": 10_000_000, "date": "2024-10-01"}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["date"]);
    let d = act(
        &app,
        &admin,
        id,
        json!({"step": "convert", "shares_before": 10_000_000, "date": "2024-11-01"}),
        StatusCode::OK,
    )
    .await;
    let c = &d["grant"]["conversion"];
    assert_eq!(d["grant"]["status"], "converted");
    assert_eq!(c["shares_before"], 10_000_000);
    assert_eq!(c["shares"], 666_666);
    assert_eq!(c["stake_ppm"], 62_499);
    assert_eq!(c["stake"], "6.2499%");
    assert_eq!(c["discounted_valuation_fen"], 8_000 * WAN);
    assert_eq!(d["grant"]["converted_on"], "2024-11-01");
    assert_eq!(d["can_record_milestones"], false);
    let e = app
        .expect(
            &investor,
            Method::POST,
            &milestones,
            Some(json!({"title": "转股后的里程碑"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_fields(&e, &["status"]);

    // Registration needs its number.
    let e = act(
        &app,
        &investor,
        id,
        json!({"step": "register", "registration_no": "  "}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["registration_no"]);
    let d = act(
        &app,
        &investor,
        id,
        json!({"step": "register", "registration_no": "（株）登字〔2024〕第0815号", "date": "2024-12-02"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["grant"]["status"], "held");
    assert_eq!(d["grant"]["registration_no"], "（株）登字〔2024〕第0815号");

    // The exit: by transfer, buy-back or liquidation only; proceeds never negative.
    let e = act(
        &app,
        &admin,
        id,
        json!({"step": "exit", "exit_kind": "ipo", "proceeds_fen": -1, "counterparty": ""}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["exit_kind", "proceeds_fen", "counterparty"]);
    let d = act(
        &app,
        &admin,
        id,
        json!({"step": "exit", "exit_kind": "buy_back", "proceeds_fen": 560 * WAN,
               "counterparty": "创始团队", "date": "2025-06-30"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["grant"]["status"], "exited");
    assert_eq!(d["grant"]["exit_kind"], "buy_back");
    assert_eq!(d["grant"]["proceeds"], "5,600,000.00");
    assert_eq!(d["steps"], json!([]));
    let e = act(
        &app,
        &admin,
        id,
        json!({"step": "write_off", "reason": "已经退出"}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_fields(&e, &["step"]);

    // Every change is in the audit log with what it was before.
    let entries = audit(&app, "equity_grant", id).await;
    assert_eq!(entries.len(), 5, "grant and four steps: {entries:?}");
    assert!(
        entries.iter().all(|e| e["after"].is_object()),
        "{entries:?}"
    );
    let steps_before: Vec<&Value> = entries.iter().map(|e| &e["before"]["status"]).collect();
    assert_eq!(
        steps_before,
        [
            &json!("held"),
            &json!("converted"),
            &json!("triggered"),
            &json!("granted"),
            &Value::Null
        ]
    );
    let entries = audit(&app, "equity_grant_milestone", m1).await;
    assert_eq!(entries.len(), 2, "added and achieved: {entries:?}");

    // A write-off with an exemption from liability needs its grounds.
    let lost = grant(&app, rival_e, None, 300, 0, "2024-05-01").await;
    app.expect(
        &investor,
        Method::GET,
        &format!("/capital/grants/{lost}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    let e = act(
        &app,
        &admin,
        lost,
        json!({"step": "write_off", "reason": "", "liability_exempt": true}),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_fields(&e, &["reason", "exemption_note"]);
    let d = act(
        &app,
        &admin,
        lost,
        json!({"step": "write_off", "reason": "核心技术路线被证伪，项目公司停止经营",
               "liability_exempt": true, "exemption_note": "经尽职调查，决策程序合规，符合尽职免责情形",
               "date": "2025-03-01"}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["grant"]["status"], "written_off");
    assert_eq!(d["grant"]["liability_exempt"], true);
    assert_eq!(d["grant"]["written_off_on"], "2025-03-01");
    assert_eq!(
        d["grant"]["exemption_note"],
        "经尽职调查，决策程序合规，符合尽职免责情形"
    );
    let d = app
        .expect(
            &rival,
            Method::GET,
            &format!("/capital/grants/{lost}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        d["grant"]["write_off_reason"],
        "核心技术路线被证伪，项目公司停止经营"
    );
    let e = act(
        &app,
        &admin,
        lost,
        json!({"step": "trigger", "round": "a", "valuation_fen": 10_000 * WAN}),
        StatusCode::CONFLICT,
    )
    .await;
    assert_fields(&e, &["step"]);
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("已核销"),
        "{e}"
    );
}

/// Fires the same request `n` times at once; returns the statuses.
async fn at_once(app: &TestApp, path: &str, body: Value, n: usize) -> Vec<StatusCode> {
    let tasks: Vec<_> = (0..n)
        .map(|_| {
            let client = app.client.clone();
            let url = app.url(&format!("/api/v1{path}"));
            let token = app.admin_token.clone();
            let body = body.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .expect("send")
                    .status()
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

/// Conversions at once on one project: one converts, the others are told the status changed.
async fn grant_converts_once(app: TestApp) {
    let (_, _, firm_e) = party(&app, "enterprise", "gr.race").await;
    let id = grant(&app, firm_e, None, 500, 2_000, "2024-03-01").await;
    act(
        &app,
        &app.admin_token,
        id,
        json!({"step": "trigger", "round": "angel", "valuation_fen": 10_000 * WAN, "date": "2024-04-01"}),
        StatusCode::OK,
    )
    .await;
    let statuses = at_once(
        &app,
        &format!("/capital/grants/{id}/actions"),
        json!({"step": "convert", "shares_before": 10_000_000}),
        6,
    )
    .await;
    let ok = statuses.iter().filter(|s| **s == StatusCode::OK).count();
    let conflicts = statuses
        .iter()
        .filter(|s| **s == StatusCode::CONFLICT)
        .count();
    assert_eq!((ok, conflicts), (1, 5), "{statuses:?}");
    let entries = audit(&app, "equity_grant", id).await;
    assert_eq!(entries.len(), 3, "grant, trigger, one conversion");
    let d = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/capital/grants/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["grant"]["conversion"]["shares"], 666_666);
}

/// An investment row as the investments code writes it (its store is another capability's).
async fn investment(db: &Db, fund: i64, enterprise: i64, on: &str, post_money_fen: i64) -> i64 {
    let sql = "INSERT INTO investments (fund_id, enterprise_id, round, instrument, amount_fen, \
               invested_on, post_money_fen, created_at) VALUES ($1, $2, 'a', 'equity', $3, $4, $5, 0) RETURNING id";
    let amount = post_money_fen / 10;
    match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql)
            .bind(fund)
            .bind(enterprise)
            .bind(amount)
            .bind(on)
            .bind(post_money_fen)
            .fetch_one(p)
            .await
            .expect("investment"),
        Db::Postgres(p) => sqlx::query_scalar(sql)
            .bind(fund)
            .bind(enterprise)
            .bind(amount)
            .bind(on)
            .bind(post_money_fen)
            .fetch_one(p)
            .await
            .expect("investment"),
    }
}

/// A priced round recorded by the investments code triggers the enterprise's granted projects,
/// granted by then and not kept by the round's own fund, at the round's valuation.
async fn grant_triggered_by_investment(app: TestApp) {
    let admin = app.admin_token.clone();
    let (_, firm, firm_e) = party(&app, "enterprise", "gr.trig").await;
    let (_, _, other_e) = party(&app, "enterprise", "gr.trig2").await;
    let (vc_org, _, _) = party(&app, "investor", "gr.vc").await;
    let round_fund = fund(&app, vc_org, "株洲创新创业投资基金").await;
    let keeper = fund(&app, vc_org, "株洲天使基金").await;
    let waiting = grant(&app, firm_e, None, 500, 2_000, "2024-01-10").await;
    let kept = grant(&app, firm_e, Some(keeper), 200, 1_000, "2024-02-01").await;
    let later = grant(&app, firm_e, None, 100, 0, "2024-09-01").await;
    let own_fund = grant(&app, firm_e, Some(round_fund), 100, 0, "2024-01-10").await;
    let elsewhere = grant(&app, other_e, None, 100, 0, "2024-01-10").await;
    let too_big = grant(&app, firm_e, None, 20_000, 0, "2024-01-10").await;
    let by_hand = grant(&app, firm_e, None, 100, 0, "2024-01-10").await;
    act(
        &app,
        &admin,
        by_hand,
        json!({"step": "trigger", "round": "seed", "valuation_fen": 3_000 * WAN, "date": "2024-03-01"}),
        StatusCode::OK,
    )
    .await;
    let gone = grant(&app, firm_e, None, 100, 0, "2024-01-10").await;
    act(
        &app,
        &admin,
        gone,
        json!({"step": "write_off", "reason": "项目终止"}),
        StatusCode::OK,
    )
    .await;

    let inv = investment(&app.db, round_fund, firm_e, "2024-06-30", 10_000 * WAN).await;
    let round = PricedRound {
        investment_id: inv,
        enterprise_id: firm_e,
        fund_id: round_fund,
        round: fruition_domain::investment::Round::A,
        invested_on: "2024-06-30".into(),
        post_money_fen: 10_000 * WAN,
    };
    let ctx = AuditCtx::system("investments");
    let mut tx = app.db.begin().await.expect("begin");
    let ids = trigger_on_investment(&mut tx, &ctx, &round)
        .await
        .expect("trigger");
    tx.commit().await.expect("commit");
    assert_eq!(ids, vec![waiting, kept]);
    // Recording the same round again triggers nothing more.
    let mut tx = app.db.begin().await.expect("begin");
    let again = trigger_on_investment(&mut tx, &ctx, &round)
        .await
        .expect("trigger");
    tx.commit().await.expect("commit");
    assert!(again.is_empty(), "{again:?}");

    let status = |id: i64| {
        let app = &app;
        async move {
            app.expect(
                &app.admin_token,
                Method::GET,
                &format!("/capital/grants/{id}"),
                None,
                StatusCode::OK,
            )
            .await["grant"]
                .clone()
        }
    };
    for id in [waiting, kept] {
        let g = status(id).await;
        assert_eq!(g["status"], "triggered", "{g}");
        assert_eq!(g["trigger_investment_id"], inv);
        assert_eq!(g["trigger_round"], "a");
        assert_eq!(g["triggered_on"], "2024-06-30");
        assert_eq!(g["valuation_fen"], 10_000 * WAN);
        let entries = audit(&app, "equity_grant", id).await;
        assert_eq!(entries.len(), 2, "{entries:?}");
        assert_eq!(entries[0]["actor_login"], "system:investments");
        assert_eq!(entries[0]["before"]["status"], "granted");
        assert_eq!(entries[0]["after"]["status"], "triggered");
    }
    for (id, want) in [
        (later, "granted"),
        (own_fund, "granted"),
        (elsewhere, "granted"),
        (too_big, "granted"),
        (by_hand, "triggered"),
        (gone, "written_off"),
    ] {
        let g = status(id).await;
        assert_eq!(g["status"], want, "{g}");
        assert_eq!(g["trigger_investment_id"], Value::Null, "{g}");
    }
    assert_eq!(status(by_hand).await["trigger_round"], "seed");
    // The page names the investor whose round triggered it, a link to its fund, not an id.
    let g = status(waiting).await;
    let fund_name = g["trigger_fund_name"]
        .as_str()
        .expect("the investor")
        .to_string();
    assert_eq!(g["trigger_fund_id"], round_fund, "{g}");
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let page = get(&app, &bureau, &format!("/capital/grants/{waiting}")).await;
    assert!(
        page.html.contains(&format!(
            "id=\"grant-trigger-investment\"><a href=\"/capital/funds/{round_fund}\">{fund_name}</a>（2024-06-30 · A轮）"
        )),
        "{}",
        page.html
    );
    // The enterprise sees its triggered project; converting uses the round's valuation.
    let d = act(
        &app,
        &admin,
        waiting,
        json!({"step": "convert", "shares_before": 10_000_000}),
        StatusCode::OK,
    )
    .await;
    assert_eq!(d["grant"]["conversion"]["shares"], 666_666);
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/capital/grants/{waiting}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["grant"]["conversion"]["stake"], "6.2499%");
}

/// The text of the element with `id` up to its next tag (`<dd id="x">…</dd>`).
fn text_of(html: &str, id: &str) -> String {
    let marker = format!("id=\"{id}\">");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no #{id} on the page:\n{html}"))
        + marker.len();
    html[start..]
        .split('<')
        .next()
        .unwrap_or("")
        .trim()
        .to_string()
}

fn assert_redirect(a: &Answer, to: &str) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    assert!(
        a.location.starts_with(to),
        "redirected to {} rather than {to}",
        a.location
    );
}

/// The pages as a browser uses them, without JavaScript: the bureau grants through the list's
/// form (bad input comes back in Chinese beside the fields), records a milestone, triggers and
/// converts; the enterprise sees its project without the step forms; another gets 404.
async fn grant_pages(app: TestApp) {
    let (firm_org, _, _) = party(&app, "enterprise", "gp.firm").await;
    let (_, _, _) = party(&app, "enterprise", "gp.rival").await;
    let (_, o) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{firm_org}"),
            None,
        )
        .await;
    let uscc = o["uscc"].as_str().expect("uscc").to_string();
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let firm = sign_in(&app, "gp.firm", "gp.firm-secret-pw").await;
    let rival = sign_in(&app, "gp.rival", "gp.rival-secret-pw").await;

    let list = get(&app, &bureau, "/capital/grants").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.html.contains("新增先投后股项目"), "{}", list.html);
    assert!(list.html.contains("id=\"no-grants\""), "{}", list.html);
    // Only the bureau has the form.
    let theirs = get(&app, &firm, "/capital/grants").await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert!(
        !theirs.html.contains("id=\"grant-form\""),
        "{}",
        theirs.html
    );

    let mut fields = vec![
        ("enterprise_uscc", uscc.as_str()),
        ("title", "轨道交通牵引变流器国产化"),
        ("amount", "五百万"),
        ("granted_on", "2024-03-01"),
        ("discount", "20"),
        ("fund_id", ""),
    ];
    let refused = submit(&app, &bureau, "/capital/grants", "/capital/grants", &fields).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains(
            "<p class=\"error-message\" id=\"f-amount-error\">“五百万”不是有效金额，应为 200 或 12.5 这样的万元数</p>"
        ),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("value=\"轨道交通牵引变流器国产化\""),
        "what was typed is kept"
    );
    let (_, none) = app.admin(Method::GET, "/api/v1/capital/grants", None).await;
    assert_eq!(none, json!([]), "nothing stored");
    fields[2] = ("amount", "500");
    fields[4] = ("discount", "95");
    let refused = submit(&app, &bureau, "/capital/grants", "/capital/grants", &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-discount-error\">让利比例应在 0 至 90% 之间"),
        "{}",
        refused.html
    );
    fields[4] = ("discount", "20");
    let created = submit(&app, &bureau, "/capital/grants", "/capital/grants", &fields).await;
    assert_redirect(&created, "/capital/grants/");
    let id = id_in(&created.location);
    let path = format!("/capital/grants/{id}");
    let page = get(&app, &bureau, &created.location).await;
    assert!(page.html.contains("先投后股项目已新增"), "{}", page.html);
    assert_eq!(text_of(&page.html, "grant-status"), "已拨付");
    assert_eq!(text_of(&page.html, "grant-amount"), "5,000,000.00");
    assert_eq!(text_of(&page.html, "grant-discount"), "20.00%");
    assert!(page.html.contains("id=\"form-trigger\""));
    assert!(page.html.contains("id=\"form-write_off\""));
    assert!(
        !page.html.contains("id=\"form-convert\""),
        "only the legal steps"
    );

    // A milestone, then marking it achieved.
    let added = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/milestones"),
        &[
            ("title", "完成样机"),
            ("due_on", "2024-08-31"),
            ("note", ""),
        ],
    )
    .await;
    assert_redirect(&added, &path);
    let page = get(&app, &bureau, &path).await;
    assert!(page.html.contains("完成样机"), "{}", page.html);
    let (_, d) = app
        .admin(Method::GET, &format!("/api/v1{path}"), None)
        .await;
    let m = d["milestones"][0]["id"].as_i64().expect("milestone");
    let achieved = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/milestones/{m}/achievement"),
        &[("achieved_on", "2024-08-20")],
    )
    .await;
    assert_redirect(&achieved, &path);
    let page = get(&app, &bureau, &path).await;
    assert_eq!(
        text_of(&page.html, &format!("milestone-{m}-achieved")),
        "2024-08-20"
    );

    // A step out of turn (a forged form) is refused with the reason, nothing changes.
    let wrong = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/actions"),
        &[("step", "register"), ("registration_no", "X"), ("date", "")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT, "{}", wrong.html);
    assert!(wrong.html.contains("不能“股权登记”"), "{}", wrong.html);

    // The trigger with a valuation that is not one comes back beside the field.
    let bad = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/actions"),
        &[
            ("step", "trigger"),
            ("round", "a"),
            ("date", "2024-10-15"),
            ("valuation", "一个亿"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html
            .contains("id=\"f-trigger_valuation-error\">“一个亿”不是有效金额"),
        "{}",
        bad.html
    );
    let ok = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/actions"),
        &[
            ("step", "trigger"),
            ("round", "a"),
            ("date", "2024-10-15"),
            ("valuation", "10000"),
        ],
    )
    .await;
    assert_redirect(&ok, &path);
    let page = get(&app, &bureau, &path).await;
    assert_eq!(text_of(&page.html, "grant-status"), "已触发转股");
    assert_eq!(text_of(&page.html, "grant-valuation"), "100,000,000.00");
    assert_eq!(text_of(&page.html, "grant-round"), "A轮");

    // The conversion: a blank share count is named; then the worked example.
    let bad = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/actions"),
        &[
            ("step", "convert"),
            ("shares_before", "一千万"),
            ("date", ""),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html
            .contains("id=\"f-convert_shares_before-error\">“一千万”不是整数"),
        "{}",
        bad.html
    );
    let ok = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/actions"),
        &[
            ("step", "convert"),
            ("shares_before", "10,000,000"),
            ("date", "2024-11-01"),
        ],
    )
    .await;
    assert_redirect(&ok, &path);
    let page = get(&app, &bureau, &path).await;
    assert_eq!(text_of(&page.html, "grant-status"), "已完成转股测算");
    assert_eq!(text_of(&page.html, "grant-shares"), "666666");
    assert_eq!(text_of(&page.html, "grant-stake"), "6.2499%");
    assert_eq!(
        text_of(&page.html, "grant-discounted-valuation"),
        "80,000,000.00"
    );
    assert!(page.html.contains("id=\"form-register\""));
    assert!(
        !page.html.contains("id=\"form-milestone\""),
        "no more milestones"
    );

    // The enterprise reads its project, with no forms; another enterprise finds nothing.
    let theirs = get(&app, &firm, &path).await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(text_of(&theirs.html, "grant-stake"), "6.2499%");
    assert!(
        !theirs.html.contains("id=\"form-register\""),
        "{}",
        theirs.html
    );
    assert!(!theirs.html.contains("id=\"form-write_off\""));
    assert_eq!(get(&app, &rival, &path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        get(&app, &rival, "/capital/grants/abc").await.status,
        StatusCode::NOT_FOUND
    );

    // The list, filtered, and its workbook.
    let list = get(&app, &bureau, "/capital/grants?status=converted").await;
    assert!(
        list.html.contains(&format!(
            "<a href=\"/capital/grants/{id}\">轨道交通牵引变流器国产化</a>"
        )),
        "{}",
        list.html
    );
    let list = get(&app, &bureau, "/capital/grants?status=held").await;
    assert!(!list.html.contains(&format!("/capital/grants/{id}\"")));
    let res = bureau
        .get(app.url("/capital/grants/export.xlsx?status=converted"))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], fruition_web::download::XLSX);
    let table =
        fruition_sheets::read_table(&res.bytes().await.expect("bytes"), "x.xlsx").expect("reads");
    assert_eq!(table.rows.len(), 1);
    let rival_export = rival
        .get(app.url("/capital/grants/export.xlsx"))
        .send()
        .await
        .expect("export");
    let table = fruition_sheets::read_table(&rival_export.bytes().await.expect("bytes"), "x.xlsx")
        .expect("reads");
    assert!(table.rows.is_empty(), "another's projects are not exported");
}

on_both!(
    grant_story,
    grant_converts_once,
    grant_triggered_by_investment,
    grant_pages
);
