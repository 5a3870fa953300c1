//! Pilot lines and instruments: booking without double booking (also under concurrent requests
//! on two app servers), pay after use, prepayment after an overdue bill, innovation vouchers that
//! are never spent twice, reimbursement claims, and the year's statistics.

use std::collections::BTreeMap;

use fruition_domain::date::IsoDate;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both};

/// The local date `n` days from today.
pub(crate) fn day(n: i64) -> String {
    IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(n)
        .to_string()
}

pub(crate) fn line(name: &str) -> Value {
    json!({
        "kind": "pilot_line", "name": name,
        "capabilities": "碳化硅功率模块封装中试，月产能 2000 只，可做双面银烧结。",
        "place": "株洲高新区中试基地 3 号厂房", "unit": "hour", "price": "800",
        "open_days": [1, 2, 3, 4, 5, 6, 7], "open_from": 8, "open_to": 20, "cancel_hours": 24,
        "safety_notes": "操作人员须持有洁净室上岗证，进入前完成安全培训。"
    })
}

pub(crate) async fn resource(app: &TestApp, owner: &str, body: Value) -> i64 {
    app.expect(
        owner,
        Method::POST,
        "/resources",
        Some(body),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("resource id")
}

pub(crate) fn booking(starts_at: &str, units: i64) -> Value {
    json!({"starts_at": starts_at, "units": units, "purpose": "功率模块小批量试制", "accept_safety_notes": true})
}

pub(crate) async fn book(app: &TestApp, booker: &str, resource: i64, body: Value) -> Value {
    app.expect(
        booker,
        Method::POST,
        &format!("/resources/{resource}/bookings"),
        Some(body),
        StatusCode::CREATED,
    )
    .await
}

pub(crate) async fn step(app: &TestApp, token: &str, booking: i64, body: Value) -> Value {
    app.expect(
        token,
        Method::POST,
        &format!("/bookings/{booking}/actions"),
        Some(body),
        StatusCode::OK,
    )
    .await
}

/// A pilot base operated by `operator_org`, with the enterprise organisation `org_id` entered there.
async fn incubate(app: &TestApp, operator_org: i64, org_id: i64, name: &str) -> i64 {
    crate::support::incubate_at(app, operator_org, org_id, name, "pilot_base").await
}

fn voucher(org: i64, amount: &str, share: i64, cap: &str) -> Value {
    json!({
        "org_id": org, "amount": amount, "valid_from": day(-30), "valid_to": day(300),
        "share_pct": share, "yearly_cap": cap, "kinds": ["pilot_line", "instrument"]
    })
}

fn field_of(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

async fn book_use_bill_and_pay_with_a_voucher(app: TestApp) {
    let (base_org, base) = app.org_with_user("carrier_operator", "pilot.base").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "pilot.firm").await;
    let (_, rival) = app.org_with_user("enterprise", "pilot.rival").await;
    let (_, bank) = app.org_with_user("bank", "pilot.bank").await;
    let carrier = incubate(&app, base_org, firm_org, "功率器件中试基地").await;

    // Who may offer resources: not a bank; field errors name their fields.
    let (status, _) = app
        .call_with(
            &bank,
            Method::POST,
            "/api/v1/resources",
            Some(line("银行的线")),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let e = app.expect(&base,
        Method::POST,
        "/resources",
        Some(json!({"kind": "robot", "unit": "hour", "price": "-5", "incubatee_discount_pct": 20})),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    let fields = field_of(&e);
    for f in ["kind", "name", "price", "discount_carrier_id"] {
        assert!(fields.contains(&f.to_string()), "{f} in {e}");
    }
    let mut body = line("SiC 模块封装中试线");
    body["incubatee_discount_pct"] = json!(20);
    body["discount_carrier_id"] = json!(carrier);
    let line_id = resource(&app, &base, body).await;

    // The catalogue is public, the calendar too.
    let (status, list) = app
        .call_with("", Method::GET, "/api/v1/resources?kind=pilot_line", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list.as_array()
            .expect("list")
            .iter()
            .any(|r| r["id"] == line_id && r["opening"] == "每天 08:00–20:00"),
        "{list}"
    );

    let start = format!("{} 09:00", day(10));
    // Bad requests name their fields: no acceptance of the safety notes, outside the opening
    // hours, in the past.
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/resources/{line_id}/bookings"),
            Some(json!({"starts_at": start, "units": 2, "purpose": "试制"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["accept_safety_notes"], "{e}");
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/resources/{line_id}/bookings"),
            Some(booking(&format!("{} 19:00", day(10)), 3)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert!(
        e["error"]["fields"]["starts_at"]
            .as_str()
            .unwrap_or("")
            .contains("20:00"),
        "{e}"
    );
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/resources/{line_id}/bookings"),
            Some(booking(&format!("{} 09:00", day(-2)), 1)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["starts_at"], "{e}");

    // The incubatee of the discount carrier pays 20 % less.
    let d = book(&app, &firm, line_id, booking(&start, 4)).await;
    let b = d["booking"]["id"].as_i64().expect("booking id");
    assert_eq!(d["booking"]["status"], "requested");
    assert_eq!(d["booking"]["unit_price_fen"], 64_000, "{d}");
    assert_eq!(d["booking"]["incubatee"], true);
    assert_eq!(d["booking"]["ends_at"], format!("{} 13:00", day(10)));

    // An overlapping request is refused by the database, naming the booking that holds it.
    let e = app
        .expect(
            &rival,
            Method::POST,
            &format!("/resources/{line_id}/bookings"),
            Some(booking(&format!("{} 12:00", day(10)), 2)),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(field_of(&e), ["starts_at"], "{e}");
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("#{b}")),
        "{e}"
    );
    // Right after it is free, and the rival pays the list price.
    let r = book(
        &app,
        &rival,
        line_id,
        booking(&format!("{} 13:00", day(10)), 1),
    )
    .await;
    assert_eq!(r["booking"]["unit_price_fen"], 80_000);

    // The owner is told of each request (written with the booking itself); the refused one
    // told nobody.
    let inbox = app
        .expect(&base, Method::GET, "/me/inbox", None, StatusCode::OK)
        .await;
    let mut told: Vec<&str> = inbox
        .as_array()
        .expect("inbox")
        .iter()
        .filter(|m| m["kind"] == "booking")
        .filter_map(|m| m["link"].as_str())
        .collect();
    told.sort_unstable();
    let rb = r["booking"]["id"].as_i64().expect("booking id");
    let mut expected = [
        format!("/pilot/bookings/{b}"),
        format!("/pilot/bookings/{rb}"),
    ];
    expected.sort_unstable();
    assert_eq!(told, expected, "{inbox}");
    // Signed in, the owner's pages show them unread on 消息 (read with the session).
    let browser = crate::pages::sign_in(&app, "pilot.base", "pilot.base-secret-pw").await;
    let page = crate::registry_pages::get(&app, &browser, "/pilot")
        .await
        .html;
    assert!(
        page.contains("<span class=\"badge\" title=\"条未读消息\">2<"),
        "{page}"
    );

    // The public calendar shows both as taken, without names; the owner sees the names.
    let cal = app
        .expect(
            "",
            Method::GET,
            &format!("/resources/{line_id}/calendar?from={}&days=1", day(10)),
            None,
            StatusCode::OK,
        )
        .await;
    let items = cal["items"].as_array().expect("items");
    assert_eq!(items.len(), 2, "{cal}");
    assert!(
        items
            .iter()
            .all(|i| i["booker_name"].is_null() && i["label"] == "已预约"),
        "{cal}"
    );
    let cal = app
        .expect(
            &base,
            Method::GET,
            &format!("/resources/{line_id}/calendar?from={}&days=1", day(10)),
            None,
            StatusCode::OK,
        )
        .await;
    assert!(cal["items"][0]["booker_name"].as_str().is_some(), "{cal}");

    // Another enterprise neither sees nor acts on the booking; the booker cannot confirm it.
    let (status, _) = app
        .call_with(&rival, Method::GET, &format!("/api/v1/bookings/{b}"), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            &format!("/api/v1/bookings/{b}/actions"),
            Some(json!({"step": "confirm"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The owner confirms, records the use (3 of 4 hours) and bills it with consumables.
    let d = step(&app, &base, b, json!({"step": "confirm"})).await;
    assert_eq!(d["booking"]["status"], "confirmed");
    let d = step(
        &app,
        &base,
        b,
        json!({"step": "record_use", "used_units": 3, "use_note": "提前完成"}),
    )
    .await;
    assert_eq!(d["booking"]["status"], "used");
    let e = app
        .expect(
            &base,
            Method::POST,
            &format!("/bookings/{b}/actions"),
            Some(json!({"step": "bill", "extra": "100", "due_on": day(-1)})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let mut fields = field_of(&e);
    fields.sort();
    assert_eq!(fields, ["due_on", "extra_note"], "{e}");
    let d = step(
        &app,
        &base,
        b,
        json!({"step": "bill", "extra": "80", "extra_note": "银浆耗材", "due_on": day(20)}),
    )
    .await;
    assert_eq!(d["booking"]["status"], "billed");
    let bill = d["bill"]["id"].as_i64().expect("bill id");
    // 3 × 640 + 80 = 2,000 元.
    assert_eq!(d["bill"]["amount_fen"], 200_000, "{d}");
    assert_eq!(d["bill"]["overdue"], false);

    // The bureau issues a voucher: 50 % of a bill at most, 1,500 元 a year at most.
    let v = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/vouchers",
            Some(voucher(firm_org, "3000", 50, "1500")),
            StatusCode::CREATED,
        )
        .await;
    let vid = v["voucher"]["id"].as_i64().expect("voucher id");
    assert_eq!(v["entries"].as_array().expect("entries").len(), 1);
    let (status, _) = app
        .call_with(
            &firm,
            Method::POST,
            "/api/v1/vouchers",
            Some(voucher(firm_org, "3000", 50, "1500")),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the bureau issues vouchers"
    );
    let (status, _) = app
        .call_with(
            &rival,
            Method::GET,
            &format!("/api/v1/vouchers/{vid}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The payer sees the voucher usable up to half the bill.
    let bd = app
        .expect(
            &firm,
            Method::GET,
            &format!("/bills/{bill}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["may_pay"], true);
    assert_eq!(bd["vouchers"][0]["max_fen"], 100_000, "{bd}");
    // More than the share is refused, naming the voucher's amount.
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"cash": "900", "voucher_id": vid, "voucher_amount": "1100"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(field_of(&e), ["voucher_amount"], "{e}");
    // 1,000 from the voucher and 600 in money; 400 remain.
    let bd = app.expect(&firm,
        Method::POST,
        &format!("/bills/{bill}/payments"),
        Some(json!({"cash": "600", "voucher_id": vid, "voucher_amount": "1000", "reference": "转账 20261201"})),
        StatusCode::OK,
    )
    .await;
    assert_eq!(bd["bill"]["outstanding_fen"], 40_000, "{bd}");
    // Paying more than is owed is refused; the rest is accepted.
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"cash": "400.01"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(field_of(&e), ["cash"], "{e}");
    let bd = app
        .expect(
            &base,
            Method::POST,
            &format!("/bills/{bill}/payments"),
            Some(json!({"cash": "400", "reference": "收款确认"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["bill"]["outstanding_fen"], 0);
    assert_eq!(bd["payments"].as_array().expect("payments").len(), 2);

    // The ledger traces the balance entry by entry.
    let v = app
        .expect(
            &firm,
            Method::GET,
            &format!("/vouchers/{vid}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(v["voucher"]["balance_fen"], 200_000);
    let entries = v["entries"].as_array().expect("entries");
    assert_eq!(
        entries
            .iter()
            .map(|e| e["amount_fen"].as_i64().unwrap_or(0))
            .sum::<i64>(),
        200_000
    );
    assert_eq!(entries.last().expect("spend")["balance_fen"], 200_000);
    assert_eq!(entries.last().expect("spend")["bill_id"], bill);

    // The base claims the voucher's part back; the bureau approves and records the payment.
    let c = app
        .expect(
            &base,
            Method::GET,
            "/voucher-claims/claimable",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(c["amount_fen"], 100_000);
    let c = app
        .expect(
            &base,
            Method::POST,
            "/voucher-claims",
            None,
            StatusCode::CREATED,
        )
        .await;
    let claim = c["claim"]["id"].as_i64().expect("claim id");
    assert_eq!(c["claim"]["amount_fen"], 100_000);
    app.expect(
        &base,
        Method::POST,
        "/voucher-claims",
        None,
        StatusCode::CONFLICT,
    )
    .await;
    let (status, _) = app
        .call_with(
            &base,
            Method::POST,
            &format!("/api/v1/voucher-claims/{claim}/actions"),
            Some(json!({"step": "approve"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call_with(
            &firm,
            Method::GET,
            &format!("/api/v1/voucher-claims/{claim}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let e = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/voucher-claims/{claim}/actions"),
            Some(json!({"step": "record_payment", "reference": "X"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(field_of(&e), ["status"], "pay before approval: {e}");
    app.expect(
        &app.admin_token,
        Method::POST,
        &format!("/voucher-claims/{claim}/actions"),
        Some(json!({"step": "approve"})),
        StatusCode::OK,
    )
    .await;
    let c = app
        .expect(
            &app.admin_token,
            Method::POST,
            &format!("/voucher-claims/{claim}/actions"),
            Some(json!({"step": "record_payment", "reference": "财政拨付 2026-118"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(c["claim"]["status"], "paid");
    assert_eq!(c["entries"].as_array().expect("entries").len(), 1);

    // The year's statistics count the base's use, bills, vouchers and reimbursement.
    let year = day(10)[..4].parse::<i64>().expect("year");
    let s = app
        .expect(
            &base,
            Method::GET,
            &format!("/pilot-statistics?year={year}"),
            None,
            StatusCode::OK,
        )
        .await;
    let base_row = s["bases"]
        .as_array()
        .expect("bases")
        .iter()
        .find(|b| b["owner_org_id"] == base_org)
        .cloned()
        .expect("the base");
    assert_eq!(base_row["bookings"], 1, "{s}");
    assert_eq!(base_row["billed_fen"], 200_000);
    assert_eq!(base_row["voucher_fen"], 100_000);
    // The statistics workbook carries the pilot table.
    let browser = crate::pages::sign_in(&app, "pilot.base", "pilot.base-secret-pw").await;
    let bytes = browser
        .get(app.url(&format!("/statistics/export.xlsx?year={year}")))
        .send()
        .await
        .expect("export")
        .bytes()
        .await
        .expect("bytes");
    let t = |k: &str| fruition_web::i18n::t(fruition_domain::lang::Lang::ZhCn, k);
    let options = fruition_sheets::ReadOptions {
        sheet: Some(format!("{}（{year}）", t("pilot_statistics"))),
        ..fruition_sheets::ReadOptions::default()
    };
    let sheet = fruition_sheets::read_table_with(&bytes, "x.xlsx", &options, None)
        .expect("the pilot sheet");
    let row = sheet
        .rows
        .iter()
        .find(|r| base_row["owner_name"].as_str() == Some(r.cells[0].as_text().as_str()))
        .expect("the base's row");
    assert_eq!(row.cells[4].as_text(), "2000", "{sheet:?}");
    let this_year = fruition_app::clock::this_year();
    let s = app
        .expect(
            &base,
            Method::GET,
            &format!("/pilot-statistics?year={this_year}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(s["vouchers_issued_fen"], 300_000, "{s}");
    assert_eq!(s["vouchers_spent_fen"], 100_000);
    assert_eq!(s["vouchers_reimbursed_fen"], 100_000);

    // Every change is in the audit log with what it was before.
    let (status, log) = app
        .admin(
            Method::GET,
            &format!("/api/v1/audit-entries?entity=booking&entity_id={b}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{log}");
    let entries = log.as_array().expect("audit entries");
    assert!(entries.len() >= 4, "create, confirm, use, bill: {log}");
    assert!(
        entries
            .iter()
            .any(|e| e["before"]["status"] == "used" && e["after"]["status"] == "billed"),
        "the bill's step records what the booking was before: {log}"
    );
}

async fn cancellation_and_maintenance(app: TestApp) {
    let (_, base) = app.org_with_user("institution", "pilot.lab").await;
    let (_, firm) = app.org_with_user("enterprise", "pilot.cancel").await;
    let mut body = line("扫描电镜");
    body["kind"] = json!("instrument");
    body["cancel_hours"] = json!(24 * 20);
    let id = resource(&app, &base, body).await;

    // Issue 11: a booking starts within the owner's horizon (a year unless the owner says
    // otherwise); 2099-12-31 is refused, naming the start and the last day that may be booked.
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/resources/{id}/bookings"),
            Some(booking("2099-12-31 10:00", 1)),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    let why = e["error"]["fields"]["starts_at"].as_str().unwrap_or("");
    assert!(why.contains(&day(365)), "{e}");
    let mut short = line("透射电镜");
    short["kind"] = json!("instrument");
    short["horizon_days"] = json!(7);
    let near_only = resource(&app, &base, short).await;
    app.expect(
        &firm,
        Method::POST,
        &format!("/resources/{near_only}/bookings"),
        Some(booking(&format!("{} 10:00", day(8)), 1)),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    book(
        &app,
        &firm,
        near_only,
        booking(&format!("{} 10:00", day(7)), 1),
    )
    .await;
    let r = app
        .expect(
            &firm,
            Method::GET,
            &format!("/resources/{near_only}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(r["horizon_days"], 7, "{r}");

    // Maintenance over a free time; a request there is refused, naming the maintenance.
    app.expect(&base,
        Method::POST,
        &format!("/resources/{id}/maintenance"),
        Some(json!({"starts_at": format!("{} 08:00", day(5)), "ends_at": format!("{} 20:00", day(5)), "reason": "年度校准"})),
        StatusCode::CREATED,
    )
    .await;
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/resources/{id}/bookings"),
            Some(booking(&format!("{} 10:00", day(5)), 1)),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("维护"),
        "{e}"
    );

    // Within the deadline (20 days before the start) the booker cannot cancel; the owner can, with a reason.
    let near = book(&app, &firm, id, booking(&format!("{} 10:00", day(6)), 2)).await;
    let near_id = near["booking"]["id"].as_i64().expect("id");
    assert!(
        !near["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .any(|s| s == "cancel"),
        "{near}"
    );
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bookings/{near_id}/actions"),
            Some(json!({"step": "cancel"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains("取消期限"),
        "{e}"
    );
    let e = app
        .expect(
            &base,
            Method::POST,
            &format!("/bookings/{near_id}/actions"),
            Some(json!({"step": "cancel"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["reason"]);
    step(
        &app,
        &base,
        near_id,
        json!({"step": "cancel", "reason": "设备故障"}),
    )
    .await;

    // Before the deadline the booker cancels, and the slot is free again.
    let far = book(&app, &firm, id, booking(&format!("{} 10:00", day(40)), 2)).await;
    let far_id = far["booking"]["id"].as_i64().expect("id");
    // Maintenance over a booked hour is refused.
    let e = app.expect(&base,
        Method::POST,
        &format!("/resources/{id}/maintenance"),
        Some(json!({"starts_at": format!("{} 08:00", day(40)), "ends_at": format!("{} 12:00", day(40)), "reason": "检修"})),
        StatusCode::CONFLICT,
    )
    .await;
    assert!(
        e["error"]["message"]
            .as_str()
            .unwrap_or("")
            .contains(&format!("#{far_id}")),
        "{e}"
    );
    let d = step(&app, &firm, far_id, json!({"step": "cancel"})).await;
    assert_eq!(d["booking"]["status"], "cancelled");
    book(&app, &firm, id, booking(&format!("{} 10:00", day(40)), 2)).await;
    // A declined request gives its slot back too.
    let x = book(&app, &firm, id, booking(&format!("{} 14:00", day(41)), 1)).await;
    let x_id = x["booking"]["id"].as_i64().expect("id");
    let e = app
        .expect(
            &base,
            Method::POST,
            &format!("/bookings/{x_id}/actions"),
            Some(json!({"step": "decline"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["reason"]);
    step(
        &app,
        &base,
        x_id,
        json!({"step": "decline", "reason": "该时段另有安排"}),
    )
    .await;
    book(&app, &firm, id, booking(&format!("{} 14:00", day(41)), 1)).await;
    // A declined booking takes no more steps.
    let e = app
        .expect(
            &base,
            Method::POST,
            &format!("/bookings/{x_id}/actions"),
            Some(json!({"step": "confirm"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(field_of(&e), ["status"]);
}

async fn prepayment_after_an_overdue_bill(app: TestApp) {
    let (_, base) = app.org_with_user("carrier_operator", "pilot.strict").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "pilot.late").await;
    let mut body = line("中试反应釜");
    body["unit"] = json!("batch");
    body["batch_hours"] = json!(4);
    body["price"] = json!("5000");
    body["prepay_if_overdue"] = json!(true);
    let id = resource(&app, &base, body).await;

    // A first booking, used and billed; the bill is then left unpaid past its due date.
    let d = book(&app, &firm, id, booking(&format!("{} 08:00", day(3)), 1)).await;
    let first = d["booking"]["id"].as_i64().expect("id");
    assert_eq!(d["booking"]["prepayment"], false);
    assert_eq!(d["booking"]["ends_at"], format!("{} 12:00", day(3)));
    step(&app, &base, first, json!({"step": "confirm"})).await;
    step(
        &app,
        &base,
        first,
        json!({"step": "record_use", "used_units": 1}),
    )
    .await;
    let d = step(&app, &base, first, json!({"step": "bill"})).await;
    let bill = d["bill"]["id"].as_i64().expect("bill");
    let sql = "UPDATE bills SET due_on = '2020-01-31' WHERE id = $1";
    match &app.db {
        fruition_store::Db::Sqlite(p) => {
            sqlx::query(sql)
                .bind(bill)
                .execute(p)
                .await
                .expect("backdate");
        }
        fruition_store::Db::Postgres(p) => {
            sqlx::query(sql)
                .bind(bill)
                .execute(p)
                .await
                .expect("backdate");
        }
    }
    let overdue = app
        .expect(
            &base,
            Method::GET,
            "/bills?overdue=true",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(overdue.as_array().expect("bills").len(), 1, "{overdue}");
    assert_eq!(overdue[0]["overdue"], true);
    let mine = app
        .expect(
            &firm,
            Method::GET,
            "/bills?side=payer&overdue=true",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(mine[0]["id"], bill);
    // Without a side, the payer sees the bills it owes too (not an empty list).
    let without_side = app
        .expect(&firm, Method::GET, "/bills", None, StatusCode::OK)
        .await;
    assert!(
        without_side
            .as_array()
            .expect("bills")
            .iter()
            .any(|b| b["id"] == bill),
        "{without_side}"
    );

    // The next request must be paid before use: confirming issues a prepayment bill.
    let d = book(&app, &firm, id, booking(&format!("{} 08:00", day(4)), 2)).await;
    let second = d["booking"]["id"].as_i64().expect("id");
    assert_eq!(d["booking"]["prepayment"], true, "{d}");
    let d = step(&app, &base, second, json!({"step": "confirm"})).await;
    assert_eq!(d["booking"]["status"], "awaiting_prepayment");
    assert_eq!(d["bill"]["kind"], "prepayment");
    assert_eq!(d["bill"]["amount_fen"], 1_000_000);
    let pre = d["bill"]["id"].as_i64().expect("bill");
    // No voucher on a prepayment; the use cannot be recorded before it is paid.
    let v = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/vouchers",
            Some(voucher(firm_org, "2000", 100, "100000")),
            StatusCode::CREATED,
        )
        .await;
    let vid = v["voucher"]["id"].as_i64().expect("voucher");
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{pre}/payments"),
            Some(json!({"voucher_id": vid, "voucher_amount": "100"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["voucher_id"]);
    app.expect(
        &base,
        Method::POST,
        &format!("/bookings/{second}/actions"),
        Some(json!({"step": "record_use", "used_units": 1})),
        StatusCode::CONFLICT,
    )
    .await;
    // Paid in full, the booking is confirmed.
    let bd = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{pre}/payments"),
            Some(json!({"cash": "10000"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["bill"]["outstanding_fen"], 0);
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/bookings/{second}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["booking"]["status"], "confirmed");
    // One batch used of two: the bill is settled at 5,000 and 5,000 is owed back.
    let d = step(
        &app,
        &base,
        second,
        json!({"step": "record_use", "used_units": 1}),
    )
    .await;
    assert_eq!(d["booking"]["status"], "billed");
    assert_eq!(d["bill"]["kind"], "after_use");
    assert_eq!(d["bill"]["outstanding_fen"], -500_000, "{d}");
    // Only the owner refunds, and no more than was overpaid.
    let e = app
        .expect(
            &firm,
            Method::POST,
            &format!("/bills/{pre}/payments"),
            Some(json!({"cash": "5000", "refund": true})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["refund"]);
    app.expect(
        &base,
        Method::POST,
        &format!("/bills/{pre}/payments"),
        Some(json!({"cash": "5000.01", "refund": true})),
        StatusCode::CONFLICT,
    )
    .await;
    let bd = app
        .expect(
            &base,
            Method::POST,
            &format!("/bills/{pre}/payments"),
            Some(json!({"cash": "5000", "refund": true, "reference": "退款"})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["bill"]["outstanding_fen"], 0);
    assert_eq!(bd["bill"]["paid_fen"], 500_000);

    // A prepaid booking cancelled before its deadline: the bill comes to nothing and the
    // prepayment is owed back.
    let d = book(&app, &firm, id, booking(&format!("{} 08:00", day(9)), 1)).await;
    let third = d["booking"]["id"].as_i64().expect("id");
    let d = step(&app, &base, third, json!({"step": "confirm"})).await;
    let pre = d["bill"]["id"].as_i64().expect("bill");
    app.expect(
        &firm,
        Method::POST,
        &format!("/bills/{pre}/payments"),
        Some(json!({"cash": "5000"})),
        StatusCode::OK,
    )
    .await;
    let d = step(&app, &firm, third, json!({"step": "cancel"})).await;
    assert_eq!(d["booking"]["status"], "cancelled");
    assert_eq!(d["bill"]["amount_fen"], 0, "{d}");
    assert_eq!(d["bill"]["outstanding_fen"], -500_000);
    let bd = app
        .expect(
            &base,
            Method::POST,
            &format!("/bills/{pre}/payments"),
            Some(json!({"cash": "5000", "refund": true})),
            StatusCode::OK,
        )
        .await;
    assert_eq!(bd["bill"]["outstanding_fen"], 0);
}

/// 100 requests for the same slot at once — on two app servers when on PostgreSQL: exactly one
/// succeeds, every other gets a conflict naming `starts_at`, and one booking holds the slot.
async fn concurrent_requests_for_one_slot(app: TestApp) {
    let (_, base) = app
        .org_with_user("carrier_operator", "pilot.race.base")
        .await;
    let id = resource(&app, &base, line("抢约测试线")).await;
    let mut firms = Vec::new();
    for i in 0..10 {
        firms.push(
            app.org_with_user("enterprise", &format!("pilot.race{i}"))
                .await
                .1,
        );
    }
    let other = match app.db_url {
        Some(_) => Some(app.second_server().await),
        None => None,
    };
    let start = format!("{} 10:00", day(15));
    let mut tasks = Vec::new();
    for i in 0..100 {
        let client = app.client.clone();
        let base_url = match (&other, i % 2) {
            (Some(o), 1) => o.clone(),
            _ => app.base.clone(),
        };
        let token = firms[i % firms.len()].clone();
        let body = booking(&start, 2 + (i as i64 % 3));
        tasks.push(tokio::spawn(async move {
            let res = client
                .post(format!("{base_url}/api/v1/resources/{id}/bookings"))
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .expect("request");
            let status = res.status();
            (status, res.json::<Value>().await.unwrap_or(Value::Null))
        }));
    }
    let mut by_status: BTreeMap<u16, usize> = BTreeMap::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        *by_status.entry(status.as_u16()).or_default() += 1;
        if status == StatusCode::CONFLICT {
            assert_eq!(field_of(&body), ["starts_at"], "{body}");
        }
    }
    assert_eq!(
        by_status,
        BTreeMap::from([(201, 1), (409, 99)]),
        "{by_status:?}"
    );
    let cal = app
        .expect(
            &base,
            Method::GET,
            &format!("/resources/{id}/calendar?from={}&days=1", day(15)),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(cal["items"].as_array().expect("items").len(), 1, "{cal}");
}

/// Payments racing for one voucher's balance: it is never spent beyond it, and its ledger adds up.
async fn concurrent_voucher_spends(app: TestApp) {
    let (_, base) = app.org_with_user("carrier_operator", "pilot.vbase").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "pilot.vfirm").await;
    let mut body = line("共享检测平台");
    body["kind"] = json!("instrument");
    body["price"] = json!("300");
    body["safety_notes"] = json!("");
    let id = resource(&app, &base, body).await;
    let mut bills = Vec::new();
    for i in 0..8 {
        let d = book(&app, &firm, id, json!({"starts_at": format!("{} {:02}:00", day(7), 8 + i), "units": 1, "purpose": "检测"})).await;
        let b = d["booking"]["id"].as_i64().expect("id");
        step(&app, &base, b, json!({"step": "confirm"})).await;
        step(
            &app,
            &base,
            b,
            json!({"step": "record_use", "used_units": 1}),
        )
        .await;
        let d = step(&app, &base, b, json!({"step": "bill"})).await;
        bills.push(d["bill"]["id"].as_i64().expect("bill"));
    }
    // 1,000 元 on the voucher; each bill of 300 may be paid wholly by it: at most three fit.
    let v = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/vouchers",
            Some(voucher(firm_org, "1000", 100, "100000")),
            StatusCode::CREATED,
        )
        .await;
    let vid = v["voucher"]["id"].as_i64().expect("voucher");
    // Two payments race for the first bill as well.
    let mut payments: Vec<(i64, i64, &str)> = bills.iter().map(|b| (*b, vid, "300")).collect();
    payments.push((bills[0], vid, "300"));
    let ok = race_payments(&app, &firm, &payments)
        .await
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(ok, 3, "three payments of 300 fit in 1,000");
    let v = app
        .expect(
            &firm,
            Method::GET,
            &format!("/vouchers/{vid}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(v["voucher"]["balance_fen"], 10_000);
    let entries = v["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 4, "issue and three spends: {v}");
    assert_eq!(
        entries
            .iter()
            .map(|e| e["amount_fen"].as_i64().unwrap_or(0))
            .sum::<i64>(),
        10_000
    );
    let mut paid_bills: Vec<i64> = entries
        .iter()
        .filter_map(|e| e["bill_id"].as_i64())
        .collect();
    paid_bills.sort();
    paid_bills.dedup();
    assert_eq!(paid_bills.len(), 3, "no bill paid twice by the voucher");
}

/// A market listing of an instrument leads to the bookable resource that presents it; a resource
/// may only present its owner's own listing.
async fn a_listing_leads_to_its_resource(app: TestApp) {
    let (_, lab) = app.org_with_user("institution", "pilot.listing").await;
    let (_, other) = app.org_with_user("institution", "pilot.other").await;
    let listing = app.expect(&lab,
        Method::POST,
        "/listings",
        Some(json!({"kind": "instrument", "title": "场发射扫描电镜共享", "summary": "分辨率 0.8 nm，配能谱仪，对外开放共享。"})),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("listing");
    app.expect(
        &lab,
        Method::POST,
        &format!("/listings/{listing}/actions"),
        Some(json!({"step": "publish"})),
        StatusCode::OK,
    )
    .await;
    let mut body = line("场发射扫描电镜");
    body["kind"] = json!("instrument");
    body["listing_id"] = json!(listing);
    let e = app
        .expect(
            &other,
            Method::POST,
            "/resources",
            Some(body.clone()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    assert_eq!(field_of(&e), ["listing_id"], "{e}");
    let id = resource(&app, &lab, body).await;
    let page = app
        .client
        .get(app.url(&format!("/market/listings/{listing}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains(&format!("href=\"/pilot/resources/{id}\"")),
        "the listing links its resource"
    );
    // Withdrawn, it is no longer offered from the listing.
    app.expect(
        &lab,
        Method::POST,
        &format!("/resources/{id}/activation"),
        Some(json!({"active": false})),
        StatusCode::OK,
    )
    .await;
    let page = app
        .client
        .get(app.url(&format!("/market/listings/{listing}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(!page.contains(&format!("/pilot/resources/{id}")));
}

on_both!(
    a_listing_leads_to_its_resource,
    book_use_bill_and_pay_with_a_voucher,
    cancellation_and_maintenance,
    prepayment_after_an_overdue_bill,
    concurrent_requests_for_one_slot,
    concurrent_voucher_spends,
    a_vouchers_share_holds_under_racing_payments,
    the_yearly_cap_holds_under_racing_payments,
);

/// Issue 11: ten payments at once, each applying a voucher for 30 % of one bill whose vouchers
/// may pay 30 %: exactly one is taken, the bill's voucher part stays at 30 % and the voucher's
/// ledger has one spend.
async fn a_vouchers_share_holds_under_racing_payments(app: TestApp) {
    let (_, base) = app.org_with_user("carrier_operator", "pilot.sbase").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "pilot.sfirm").await;
    let mut body = line("材料表征平台");
    body["kind"] = json!("instrument");
    body["price"] = json!("300");
    body["safety_notes"] = json!("");
    let id = resource(&app, &base, body).await;
    let bill = billed_hour(&app, &base, &firm, id, 7, 9).await;
    let v = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/vouchers",
            Some(voucher(firm_org, "5000", 30, "100000")),
            StatusCode::CREATED,
        )
        .await;
    let vid = v["voucher"]["id"].as_i64().expect("voucher");
    let mut ok = 0;
    for (status, body) in race_payments(&app, &firm, &[(bill, vid, "90"); 10]).await {
        if status == StatusCode::CONFLICT {
            assert!(body.contains("voucher_amount"), "{body}");
        }
        ok += usize::from(status == StatusCode::OK);
    }
    assert_eq!(ok, 1, "only one 30 % voucher payment fits a 30 % share");
    let b = app
        .expect(
            &firm,
            Method::GET,
            &format!("/bills/{bill}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(b["bill"]["voucher_fen"], 9_000, "{b}");
    let v = app
        .expect(
            &firm,
            Method::GET,
            &format!("/vouchers/{vid}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(v["voucher"]["balance_fen"], 500_000 - 9_000);
    assert_eq!(v["entries"].as_array().expect("entries").len(), 2, "{v}");
}

/// A booking of one hour `days` from now at `hour`, confirmed, used and billed; its bill's id.
async fn billed_hour(
    app: &TestApp,
    base: &str,
    firm: &str,
    resource: i64,
    days: i64,
    hour: i64,
) -> i64 {
    let d = book(
        app,
        firm,
        resource,
        json!({"starts_at": format!("{} {hour:02}:00", day(days)), "units": 1, "purpose": "检测"}),
    )
    .await;
    let b = d["booking"]["id"].as_i64().expect("id");
    step(app, base, b, json!({"step": "confirm"})).await;
    step(app, base, b, json!({"step": "record_use", "used_units": 1})).await;
    let d = step(app, base, b, json!({"step": "bill"})).await;
    d["bill"]["id"].as_i64().expect("bill")
}

/// Issue 11: the holder's yearly voucher cap holds when payments race across two vouchers: six
/// payments of 200 元 at once against a cap of 500 元 — exactly two are taken, and the year's use
/// and the vouchers' balances agree.
async fn the_yearly_cap_holds_under_racing_payments(app: TestApp) {
    let (_, base) = app.org_with_user("carrier_operator", "pilot.cbase").await;
    let (firm_org, firm) = app.org_with_user("enterprise", "pilot.cfirm").await;
    let mut body = line("光谱分析平台");
    body["kind"] = json!("instrument");
    body["price"] = json!("300");
    body["safety_notes"] = json!("");
    let id = resource(&app, &base, body).await;
    let mut bills = Vec::new();
    for hour in 8..14 {
        bills.push(billed_hour(&app, &base, &firm, id, 8, hour).await);
    }
    let mut vouchers = Vec::new();
    for _ in 0..2 {
        let v = app
            .expect(
                &app.admin_token,
                Method::POST,
                "/vouchers",
                Some(voucher(firm_org, "1000", 100, "500")),
                StatusCode::CREATED,
            )
            .await;
        vouchers.push(v["voucher"]["id"].as_i64().expect("voucher"));
    }
    let payments: Vec<(i64, i64, &str)> = bills
        .iter()
        .enumerate()
        .map(|(i, b)| (*b, vouchers[i % 2], "200"))
        .collect();
    let ok = race_payments(&app, &firm, &payments)
        .await
        .iter()
        .filter(|(status, _)| *status == StatusCode::OK)
        .count();
    assert_eq!(ok, 2, "two payments of 200 fit a yearly cap of 500");
    let mut left = 0;
    for vid in &vouchers {
        let v = app
            .expect(
                &firm,
                Method::GET,
                &format!("/vouchers/{vid}"),
                None,
                StatusCode::OK,
            )
            .await;
        left += v["voucher"]["balance_fen"].as_i64().expect("balance");
    }
    assert_eq!(left, 2 * 100_000 - 2 * 20_000);
}

/// Sends every payment (bill, voucher, amount in 元) at once as `token`; each answer's status and
/// body. Every answer must be 200 or 409: a race is lost cleanly or not at all.
async fn race_payments(
    app: &TestApp,
    token: &str,
    payments: &[(i64, i64, &str)],
) -> Vec<(StatusCode, String)> {
    let tasks: Vec<_> = payments
        .iter()
        .map(|&(bill, voucher, amount)| {
            let client = app.client.clone();
            let url = app.url(&format!("/api/v1/bills/{bill}/payments"));
            let token = token.to_string();
            let body = json!({"voucher_id": voucher, "voucher_amount": amount});
            tokio::spawn(async move {
                let res = client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .expect("pay");
                (res.status(), res.text().await.unwrap_or_default())
            })
        })
        .collect();
    let mut answers = Vec::new();
    for t in tasks {
        let (status, body) = t.await.expect("task");
        assert!(
            status == StatusCode::OK || status == StatusCode::CONFLICT,
            "{status} {body}"
        );
        answers.push((status, body));
    }
    answers
}
