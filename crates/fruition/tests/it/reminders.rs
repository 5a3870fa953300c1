//! Reminders that reach people: the bureau reminds late carriers of their yearly report, a party
//! the registration office of its waiting contract (and the office a party of a returned one), a
//! provider the payer of an overdue bill — one or all, each matter at most once a day, in the
//! recipient's inbox with an unread count, recorded in the audit log.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::contracts::{contract, org_uscc, uscc_in};
use crate::pages::sign_in;
use crate::pilot::{book, booking, day, line, resource, step};
use crate::registry_pages::{get, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, incubate_at, on_both};

async fn unread(app: &TestApp, token: &str) -> i64 {
    app.expect(token, Method::GET, "/me/inbox/unread", None, StatusCode::OK)
        .await["unread"]
        .as_i64()
        .expect("unread")
}

async fn late_carriers_are_reminded_once_a_day(app: TestApp) {
    let admin = app.admin_token.clone();
    let (op_org, op) = app.org_with_user("carrier_operator", "remind.op").await;
    let (firm_org, _) = app.org_with_user("enterprise", "remind.firm").await;
    let carrier = incubate_at(
        &app,
        op_org,
        firm_org,
        "天元区新材料孵化器（合成）",
        "incubator",
    )
    .await;

    let late = app
        .expect(
            &admin,
            Method::GET,
            "/reports/late?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let row = late
        .as_array()
        .expect("late")
        .iter()
        .find(|l| l["carrier_id"] == carrier)
        .cloned()
        .expect("the carrier is late");
    assert!(row["last_reminded_at"].is_null(), "{row}");
    let before = unread(&app, &op).await;

    // Only the bureau reminds.
    app.expect(
        &op,
        Method::POST,
        "/reports/late/reminders",
        Some(json!({"year": 2024, "carrier_id": carrier})),
        StatusCode::FORBIDDEN,
    )
    .await;

    let out = app
        .expect(
            &admin,
            Method::POST,
            "/reports/late/reminders",
            Some(json!({"year": 2024, "carrier_id": carrier})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(out["told"].as_array().expect("told").len(), 1, "{out}");
    assert_eq!(out["told"][0]["recipient_org_id"], op_org);
    assert_eq!(out["told"][0]["kind"], "late_report");
    assert_eq!(unread(&app, &op).await, before + 1);
    let inbox = app
        .expect(&op, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    let told = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .find(|m| {
            m["title"]
                .as_str()
                .unwrap_or("")
                .contains("天元区新材料孵化器")
        })
        .cloned()
        .expect("the operator is told");
    assert_eq!(told["kind"], "report");
    assert!(
        told["body"].as_str().unwrap_or("").contains("2024"),
        "{told}"
    );

    // Again the same day, one or all: nobody is told twice.
    let again = app
        .expect(
            &admin,
            Method::POST,
            "/reports/late/reminders",
            Some(json!({"year": 2024})),
            StatusCode::OK,
        )
        .await;
    assert!(
        again["already_today"]
            .as_array()
            .expect("already")
            .iter()
            .any(|r| r["subject_id"] == carrier),
        "{again}"
    );
    assert!(
        !again["told"]
            .as_array()
            .expect("told")
            .iter()
            .any(|r| r["subject_id"] == carrier),
        "{again}"
    );
    assert_eq!(unread(&app, &op).await, before + 1);

    // The late list says when; the audit log records who reminded whom.
    let late = app
        .expect(
            &admin,
            Method::GET,
            "/reports/late?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let row = late
        .as_array()
        .expect("late")
        .iter()
        .find(|l| l["carrier_id"] == carrier)
        .cloned()
        .expect("still late");
    assert!(row["last_reminded_at"].as_str().is_some(), "{row}");
    let audit = app
        .expect(
            &admin,
            Method::GET,
            &format!("/audit-entries?entity=carrier&entity_id={carrier}&action=remind"),
            None,
            StatusCode::OK,
        )
        .await;
    let entries = audit.as_array().expect("entries");
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["org_id"], op_org);

    // A carrier established after the year is not late for it.
    let (op2_org, _) = app.org_with_user("carrier_operator", "remind.op2").await;
    let (status, newer) = app
        .admin(
            Method::POST,
            "/api/v1/carriers",
            Some(json!({
                "name": "芦淞区服饰设计众创空间（合成）", "kind": "maker_space", "operator_org_id": op2_org,
                "county": "芦淞区", "established_year": 2025, "floor_area_m2": 1200
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{newer}");
    app.expect(
        &admin,
        Method::POST,
        "/reports/late/reminders",
        Some(json!({"year": 2024, "carrier_id": newer["id"]})),
        StatusCode::CONFLICT,
    )
    .await;

    // Reading them all clears the count.
    let marked = app
        .expect(
            &op,
            Method::POST,
            "/me/inbox/read-all",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(marked["marked"].as_u64().expect("marked") >= 1, "{marked}");
    assert_eq!(unread(&app, &op).await, 0);
}

async fn waiting_and_returned_contracts_are_reminded(app: TestApp) {
    let admin = app.admin_token.clone();
    let (firm_org, firm) = app.org_with_user("enterprise", "remind.kfirm").await;
    let (name, uscc) = org_uscc(&app, firm_org).await;
    let outside = uscc_in("430100", 23);
    let body = contract(
        (name.as_str(), uscc.as_str()),
        ("长沙某电机有限公司（合成数据）", outside.as_str()),
        50_000_000,
        40_000_000,
    );
    let s = app
        .expect(
            &firm,
            Method::POST,
            "/contract-submissions",
            Some(body),
            StatusCode::CREATED,
        )
        .await;
    let id = s["id"].as_i64().expect("id");
    let remind = format!("/contract-submissions/{id}/reminders");

    // The office does not remind itself of what waits on it.
    app.expect(&admin, Method::POST, &remind, None, StatusCode::CONFLICT)
        .await;
    let before = unread(&app, &admin).await;
    // The party's page offers 催办 and sends it.
    let page = sign_in(&app, "remind.kfirm", "remind.kfirm-secret-pw").await;
    let submission = format!("/contracts/submissions/{id}");
    let shown = get(&app, &page, &submission).await;
    assert!(shown.html.contains("id=\"remind\""), "{}", shown.html);
    let sent = submit(
        &app,
        &page,
        &submission,
        &format!("/contracts/submissions/{id}/reminders"),
        &[],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    let after = get(&app, &page, &sent.location).await;
    assert!(after.html.contains("已发送提醒"), "{}", after.html);
    assert_eq!(unread(&app, &admin).await, before + 1, "the office is told");
    let again = app
        .expect(&firm, Method::POST, &remind, None, StatusCode::OK)
        .await;
    assert!(
        again["told"].as_array().expect("told").is_empty(),
        "{again}"
    );
    assert_eq!(unread(&app, &admin).await, before + 1, "once a day");

    // Returned: the office reminds the party to correct it; the party has nothing to remind.
    app.expect(
        &admin,
        Method::POST,
        &format!("/contract-submissions/{id}/decision"),
        Some(json!({"step": "return", "reason": "请补充技术交易额的计算依据"})),
        StatusCode::OK,
    )
    .await;
    app.expect(&firm, Method::POST, &remind, None, StatusCode::CONFLICT)
        .await;
    let firm_before = unread(&app, &firm).await;
    let out = app
        .expect(&admin, Method::POST, &remind, None, StatusCode::OK)
        .await;
    assert_eq!(out["told"][0]["recipient_org_id"], firm_org, "{out}");
    assert_eq!(unread(&app, &firm).await, firm_before + 1);
    let inbox = app
        .expect(&firm, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    assert!(
        inbox.as_array().expect("inbox").iter().any(|m| m["body"]
            .as_str()
            .unwrap_or("")
            .contains("请补充技术交易额的计算依据")),
        "{inbox}"
    );
}

async fn overdue_bills_are_reminded_by_their_issuer(app: TestApp) {
    let admin = app.admin_token.clone();
    let (_, base) = app.org_with_user("carrier_operator", "remind.base").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "remind.payer").await;
    let (_, stranger) = app.org_with_user("carrier_operator", "remind.other").await;
    let id = resource(&app, &base, line("功率模块老化测试线")).await;
    let d = book(&app, &firm, id, booking(&format!("{} 09:00", day(200)), 2)).await;
    let b = d["booking"]["id"].as_i64().expect("booking");
    step(&app, &base, b, json!({"step": "confirm"})).await;
    step(
        &app,
        &base,
        b,
        json!({"step": "record_use", "used_units": 2}),
    )
    .await;
    let d = step(&app, &base, b, json!({"step": "bill"})).await;
    let bill = d["bill"]["id"].as_i64().expect("bill");
    let remind = format!("/bills/{bill}/reminders");

    // Not overdue yet: nothing to remind of.
    app.expect(&base, Method::POST, &remind, None, StatusCode::CONFLICT)
        .await;
    app.exec_with_id("UPDATE bills SET due_on = '2020-01-31' WHERE id = $1", bill)
        .await;

    // Only its issuer (or the bureau) reminds; another organisation does not even see it.
    app.expect(
        &stranger,
        Method::POST,
        &remind,
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    app.expect(&firm, Method::POST, &remind, None, StatusCode::FORBIDDEN)
        .await;
    let before = unread(&app, &firm).await;
    let out = app
        .expect(&base, Method::POST, &remind, None, StatusCode::OK)
        .await;
    assert_eq!(out["told"][0]["recipient_org_id"], firm_org, "{out}");
    assert_eq!(unread(&app, &firm).await, before + 1);
    let inbox = app
        .expect(&firm, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    let m = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .find(|m| m["title"].as_str().unwrap_or("").starts_with("催缴"))
        .cloned()
        .expect("the payer is told");
    assert_eq!(m["link"], format!("/pilot/bills/{bill}"));
    assert!(
        m["body"].as_str().unwrap_or("").contains("2020-01-31"),
        "{m}"
    );

    // "Remind every payer" the same day tells nobody twice; the bureau's covers every bill.
    let all = app
        .expect(
            &base,
            Method::POST,
            "/bills/reminders",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(all["told"].as_array().expect("told").is_empty(), "{all}");
    assert_eq!(all["already_today"][0]["subject_id"], bill, "{all}");
    let all = app
        .expect(
            &admin,
            Method::POST,
            "/bills/reminders",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        all["already_today"]
            .as_array()
            .expect("already")
            .iter()
            .any(|r| r["subject_id"] == bill),
        "{all}"
    );
    assert_eq!(unread(&app, &firm).await, before + 1);
}

/// The pages: the late list's 提醒 and 全部提醒, the unread badge in the navigation, and
/// 全部标为已读 in the inbox.
async fn the_pages_remind_and_count_unread(app: TestApp) {
    let (op_org, _) = app.org_with_user("carrier_operator", "remind.pg").await;
    let (firm_org, _) = app.org_with_user("enterprise", "remind.pgfirm").await;
    let carrier = incubate_at(
        &app,
        op_org,
        firm_org,
        "荷塘区智能制造众创空间（合成）",
        "maker_space",
    )
    .await;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let op = sign_in(&app, "remind.pg", "remind.pg-secret-pw").await;
    let page = get(&app, &op, "/carriers").await;
    assert!(!page.html.contains("class=\"badge\""), "nothing unread yet");

    let list = get(&app, &bureau, "/reports?year=2024").await;
    assert!(
        list.html.contains("id=\"remind-all-late\""),
        "{}",
        list.html
    );
    let carrier_field = carrier.to_string();
    let sent = submit(
        &app,
        &bureau,
        "/reports?year=2024",
        "/reports/late/reminders",
        &[("year", "2024"), ("carrier_id", &carrier_field)],
    )
    .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.html);
    assert!(sent.location.contains("done=reminded"), "{}", sent.location);
    let list = get(&app, &bureau, &sent.location).await;
    assert!(list.html.contains("已发送提醒"), "the notice says so");
    assert!(
        list.html.contains("上次提醒") && list.html.contains(&fruition_app::clock::today()),
        "the late list says when it was last reminded"
    );

    // The operator's navigation counts it; the inbox reads it; 全部标为已读 clears the count.
    let page = get(&app, &op, "/carriers").await;
    assert!(
        page.html
            .contains("class=\"badge\" title=\"条未读消息\">1<"),
        "{}",
        page.html
    );
    let inbox = get(&app, &op, "/inbox").await;
    assert!(
        inbox
            .html
            .contains("请尽快提交荷塘区智能制造众创空间（合成）的 2024 年度年报")
    );
    let read = submit(&app, &op, "/inbox", "/inbox/read-all", &[]).await;
    assert_eq!(read.status, StatusCode::SEE_OTHER, "{}", read.html);
    let page = get(&app, &op, "/carriers").await;
    assert!(!page.html.contains("class=\"badge\""), "all read");
}

on_both!(
    the_pages_remind_and_count_unread,
    late_carriers_are_reminded_once_a_day,
    waiting_and_returned_contracts_are_reminded,
    overdue_bills_are_reminded_by_their_issuer,
);
