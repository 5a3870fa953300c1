//! Each role starts from its work: the home page and `GET /me/work` list what waits for the
//! user's organisation (the bureau: the city's), with counts, the oldest's age and where it is
//! done; nothing waiting says so and suggests where to go.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::contracts::{contract, org_uscc, uscc_in};
use crate::pages::sign_in;
use crate::pilot::{book, booking, day, line, resource, step};
use crate::registry_pages::get;
use crate::support::{ADMIN_PASSWORD, TestApp, on_both, test_uscc};

fn item(queue: &Value, kind: &str) -> Option<Value> {
    queue["items"]
        .as_array()
        .expect("items")
        .iter()
        .find(|i| i["kind"] == kind)
        .cloned()
}

async fn each_role_sees_what_waits(app: TestApp) {
    let admin = app.admin_token.clone();
    let (_, base) = app.org_with_user("carrier_operator", "work.base").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "work.firm").await;
    let (_, bank) = app.org_with_user("bank", "work.bank").await;

    // A bank with nothing before it: nothing waits, and the page says what to do next.
    let q = app
        .expect(&bank, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert_eq!(q["items"], json!([]), "{q}");
    let bank_page = sign_in(&app, "work.bank", "work.bank-secret-pw").await;
    let home = get(&app, &bank_page, "/").await;
    assert!(
        home.html.contains("目前没有需要您处理的事项"),
        "{}",
        home.html
    );
    assert!(home.html.contains("href=\"/credit/loans\""));

    // A booking waits on the resource's owner until confirmed.
    let id = resource(&app, &base, line("电机绕组浸漆中试线")).await;
    let d = book(&app, &firm, id, booking(&format!("{} 10:00", day(150)), 2)).await;
    let b = d["booking"]["id"].as_i64().expect("booking");
    let q = app
        .expect(&base, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    let waiting = item(&q, "bookings_to_confirm").expect("a booking to confirm");
    assert_eq!(waiting["count"], 1);
    assert_eq!(waiting["oldest_days"], 0);
    assert_eq!(waiting["href"], "/pilot/bookings");
    step(&app, &base, b, json!({"step": "confirm"})).await;
    let q = app
        .expect(&firm, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert_eq!(item(&q, "bookings_upcoming").expect("upcoming")["count"], 1);
    step(
        &app,
        &base,
        b,
        json!({"step": "record_use", "used_units": 2}),
    )
    .await;
    let q = app
        .expect(&base, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert!(item(&q, "bookings_to_confirm").is_none(), "{q}");
    assert_eq!(item(&q, "bookings_to_bill").expect("to bill")["count"], 1);
    step(&app, &base, b, json!({"step": "bill"})).await;
    let q = app
        .expect(&firm, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    let to_pay = item(&q, "bills_to_pay").expect("a bill to pay");
    assert_eq!(to_pay["count"], 1);
    assert!(
        to_pay["amount_fen"].as_i64().expect("amount") > 0,
        "{to_pay}"
    );

    // A contract submitted waits on the office; returned, it waits on the party.
    let (name, uscc) = org_uscc(&app, firm_org).await;
    let outside = uscc_in("440300", 31);
    let s = app
        .expect(
            &firm,
            Method::POST,
            "/contract-submissions",
            Some(contract(
                (name.as_str(), uscc.as_str()),
                ("深圳某半导体有限公司（合成数据）", outside.as_str()),
                30_000_000,
                30_000_000,
            )),
            StatusCode::CREATED,
        )
        .await;
    let q = app
        .expect(&admin, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    let office = item(&q, "submissions_to_recognise").expect("the office's queue");
    assert!(office["count"].as_i64().expect("count") >= 1, "{office}");
    app.expect(
        &admin,
        Method::POST,
        &format!("/contract-submissions/{}/decision", s["id"]),
        Some(json!({"step": "return", "reason": "请上传双方盖章后的合同扫描件"})),
        StatusCode::OK,
    )
    .await;
    let q = app
        .expect(&firm, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert_eq!(
        item(&q, "submissions_returned").expect("returned")["count"],
        1
    );
    assert!(
        item(&q, "unread_messages").is_some(),
        "the return was told: {q}"
    );

    // The pages show the same, as links to where each is done.
    let firm_page = sign_in(&app, "work.firm", "work.firm-secret-pw").await;
    let home = get(&app, &firm_page, "/").await;
    assert!(
        home.html.contains("被退回待修改的技术合同"),
        "{}",
        home.html
    );
    assert!(home.html.contains("待支付的账单"));
    assert!(home.html.contains("href=\"/pilot/bills\""));
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let home = get(&app, &bureau, "/").await;
    assert!(home.html.contains("待办事项"), "{}", home.html);
}

on_both!(each_role_sees_what_waits);

/// A carrier manager's queue names last year's report still to file and the incubatees whose
/// figures it still lacks; entering the figures takes that item away. The bureau's home shows
/// the city's headline figures, the credit loans against the policy's target.
async fn carriers_see_reports_to_file_and_the_bureau_the_citys_figures(app: TestApp) {
    let admin = app.admin_token.clone();
    let (op, mgr) = app.org_with_user("carrier_operator", "work.carrier").await;
    let last_year = fruition_app::clock::this_year() - 1;
    let carrier = app
        .expect(
            &admin,
            Method::POST,
            "/carriers",
            Some(json!({
                "name": "石峰区智能装备众创空间", "kind": "maker_space", "operator_org_id": op,
                "county": "石峰区", "established_year": 2018, "floor_area_m2": 3000
            })),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("carrier");
    let firm = app
        .expect(
            &mgr,
            Method::POST,
            "/enterprises",
            Some(json!({
                "enterprise": {"uscc": test_uscc(7_301), "name": "株洲精工伺服科技有限公司（合成数据）",
                               "county": "石峰区", "chain": "先进制造", "founded_on": "2021-05-01"},
                "carrier_id": carrier, "entered_on": "2022-03-01"
            })),
            StatusCode::CREATED,
        )
        .await["enterprise"]["id"]
        .as_i64()
        .expect("enterprise");
    let q = app
        .expect(&mgr, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert_eq!(q["report_year"], last_year);
    let to_file = item(&q, "reports_to_file").expect("last year's report to file");
    assert_eq!(to_file["count"], 1);
    assert_eq!(to_file["href"], format!("/reports?year={last_year}"));
    let missing = item(&q, "incubatees_without_indicators").expect("an incubatee's figures");
    assert_eq!(missing["count"], 1, "{q}");
    assert_eq!(
        q["headlines"],
        json!([]),
        "figures are the bureau's home: {q}"
    );

    let report = app
        .expect(
            &mgr,
            Method::POST,
            &format!("/carriers/{carrier}/reports"),
            Some(json!({"year": last_year})),
            StatusCode::OK,
        )
        .await["id"]
        .as_i64()
        .expect("report");
    app.expect(
        &mgr,
        Method::PUT,
        &format!("/reports/{report}/indicators"),
        Some(json!({"enterprise_id": firm, "indicators": {
            "employees": 18, "doctors": 1, "returnees": 0, "fresh_graduates": 3, "high_level_talent": 1,
            "revenue_k": 4200, "rd_spending_k": 600, "taxes_k": 150, "funding_raised_k": 0,
            "patent_applications": 4, "invention_applications": 2, "patent_grants": 1, "invention_grants": 0,
            "valid_ip": 5, "software_copyrights": 2, "tech_contracts": 1, "tech_contract_amount_k": 300
        }})),
        StatusCode::OK,
    )
    .await;
    let q = app
        .expect(&mgr, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert!(item(&q, "incubatees_without_indicators").is_none(), "{q}");
    assert_eq!(
        item(&q, "reports_to_file").expect("still a draft")["count"],
        1
    );
    let page = sign_in(&app, "work.carrier", "work.carrier-secret-pw").await;
    let home = get(&app, &page, "/").await;
    assert!(
        home.html.contains("本单位载体待提交的上一年度年报"),
        "{}",
        home.html
    );
    assert!(!home.html.contains("全市主要指标"));

    // The bureau: the city's figures, each a link to where it comes from.
    let q = app
        .expect(&admin, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    let figure = |kind: &str| {
        q["headlines"]
            .as_array()
            .expect("headlines")
            .iter()
            .find(|h| h["kind"] == kind)
            .cloned()
            .unwrap_or_else(|| panic!("no {kind} in {q}"))
    };
    assert_eq!(figure("carriers")["count"], 1);
    assert_eq!(figure("incubatees")["count"], 1);
    let credit = figure("credit_loans");
    assert_eq!(
        credit["target_fen"], 300_000_000_000_i64,
        "the policy's 30亿元: {credit}"
    );
    assert_eq!(credit["progress_permille"], 0);
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let home = get(&app, &bureau, "/").await;
    assert!(home.html.contains("全市主要指标"), "{}", home.html);
    assert!(
        home.html.contains("目标 30.00 亿元（0.0%）"),
        "{}",
        home.html
    );
}

on_both!(carriers_see_reports_to_file_and_the_bureau_the_citys_figures);

/// The reports' deadline (报送截止日期): 31 March of the following year unless the bureau sets
/// another day. A carrier's home counts down to it; the bureau's lists the carriers not yet
/// approved as outstanding before it and as late after it; a day outside the year after is
/// refused naming the field; the change is in the audit log in words.
async fn the_reports_deadline_counts_down_and_marks_carriers_late(app: TestApp) {
    use fruition_domain::date::IsoDate;
    use fruition_domain::report::{days_left, default_due_on};
    let admin = app.admin_token.clone();
    let (op, mgr) = app.org_with_user("carrier_operator", "due.carrier").await;
    let this_year = fruition_app::clock::this_year();
    let last_year = this_year - 1;
    let today = IsoDate::parse(&fruition_app::clock::today()).expect("today");
    app.expect(
        &admin,
        Method::POST,
        "/carriers",
        Some(json!({
            "name": "荷塘区新材料孵化器", "kind": "incubator", "operator_org_id": op,
            "county": "荷塘区", "established_year": 2016, "floor_area_m2": 8000
        })),
        StatusCode::CREATED,
    )
    .await;

    // The default: 31 March of this year for last year's reports.
    let default = default_due_on(last_year).expect("default");
    let q = app
        .expect(&mgr, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    let to_file = item(&q, "reports_to_file").expect("a report to file");
    assert_eq!(to_file["due_on"], default.to_string(), "{q}");
    assert_eq!(to_file["days_left"], days_left(default, today));
    let d = app
        .expect(
            &mgr,
            Method::GET,
            &format!("/reports/deadline?year={last_year}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["set"], false);
    assert_eq!(d["due_on"], default.to_string());

    // Only the bureau sets it, and only to a day in the year after.
    let body = |day: &str| Some(json!({"year": last_year, "due_on": day}));
    app.expect(
        &mgr,
        Method::PUT,
        "/reports/deadline",
        body(&format!("{this_year}-12-31")),
        StatusCode::FORBIDDEN,
    )
    .await;
    let refused = app
        .expect(
            &admin,
            Method::PUT,
            "/reports/deadline",
            body(&format!("{last_year}-12-31")),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(refused.to_string().contains("due_on"), "{refused}");

    // Moved to the end of this year: the carrier counts down, the bureau sees it outstanding.
    let end = IsoDate::new(this_year as u16, 12, 31).expect("end of year");
    let d = app
        .expect(
            &admin,
            Method::PUT,
            "/reports/deadline",
            body(&format!("{this_year}年12月31日")),
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["set"], true);
    assert_eq!(d["due_on"], end.to_string());
    assert_eq!(d["days_left"], days_left(end, today));
    let q = app
        .expect(&admin, Method::GET, "/me/work", None, StatusCode::OK)
        .await;
    assert!(item(&q, "reports_late").is_none(), "not late yet: {q}");
    let outstanding = item(&q, "reports_outstanding").expect("outstanding");
    assert_eq!(outstanding["count"], 1);
    assert_eq!(outstanding["act"], false);
    let page = sign_in(&app, "due.carrier", "due.carrier-secret-pw").await;
    let home = get(&app, &page, "/").await;
    let left = days_left(end, today);
    let words = if left == 0 {
        "今天到期".to_string()
    } else {
        format!("还剩 {left} 天")
    };
    assert!(
        home.html
            .contains(&format!("截止日期 {this_year}年12月31日，{words}")),
        "{}",
        home.html
    );

    // Moved into the past: the carrier is late, by so many days.
    let first = IsoDate::new(this_year as u16, 1, 1).expect("1 January");
    if first < today {
        app.expect(
            &admin,
            Method::PUT,
            "/reports/deadline",
            body(&first.to_string()),
            StatusCode::OK,
        )
        .await;
        let q = app
            .expect(&admin, Method::GET, "/me/work", None, StatusCode::OK)
            .await;
        let late = item(&q, "reports_late").expect("late now");
        assert_eq!(late["act"], true);
        assert_eq!(late["oldest_days"], -days_left(first, today));
        let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
        let home = get(&app, &bureau, "/").await;
        assert!(
            home.html
                .contains(&format!("已逾期 {} 天", -days_left(first, today))),
            "{}",
            home.html
        );
        // The reminder (催报) names the deadline.
        app.expect(
            &admin,
            Method::POST,
            "/reports/late/reminders",
            Some(json!({"year": last_year})),
            StatusCode::OK,
        )
        .await;
        let inbox = app
            .expect(&mgr, Method::GET, "/me/inbox", None, StatusCode::OK)
            .await;
        assert!(
            inbox
                .to_string()
                .contains(&format!("报送截止日期为 {first}")),
            "{inbox}"
        );
    }

    // The bureau's form refuses a bad day in Chinese, naming the field; the log says what changed.
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let answer = crate::registry_pages::submit(
        &app,
        &bureau,
        &format!("/reports?year={last_year}"),
        "/reports/deadline",
        &[("year", &last_year.to_string()), ("due_on", "三月底")],
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.html.contains("f-due_on-error"), "{}", answer.html);
    let log = get(&app, &bureau, "/audit?entity=report_deadline").await;
    assert!(
        log.html
            .contains(&format!("年度年报报送截止日期 {last_year} 年度")),
        "{}",
        log.html
    );
    if first < today {
        assert!(
            log.html.contains(&format!("截止日期由 {end} 改为 {first}")),
            "{}",
            log.html
        );
    }
}

on_both!(the_reports_deadline_counts_down_and_marks_carriers_late);
