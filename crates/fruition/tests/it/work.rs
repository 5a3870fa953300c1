//! Each role starts from its work: the home page and `GET /me/work` list what waits for the
//! user's organisation (the bureau: the city's), with counts, the oldest's age and where it is
//! done; nothing waiting says so and suggests where to go.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::contracts::{contract, org_uscc, uscc_in};
use crate::pages::sign_in;
use crate::pilot::{book, booking, day, line, resource, step};
use crate::registry_pages::get;
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

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
