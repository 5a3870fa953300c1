//! Pilot lines in a browser, as issue 5 tells it: a pilot base's manager offers a pilot line
//! through the form, with a discount for the incubatees of its carrier; an enterprise incubated
//! there books a slot about ten days ahead, accepting the safety notes, and finds it on the
//! calendar; the base confirms it, records the use and issues the bill; the enterprise pays part
//! with its innovation voucher and the rest in money; the base claims the voucher's part back; the
//! bureau approves the claim and records its payment; the year's statistics count it all.
//!
//! Before the browser starts, the API sets up what the story takes as given: the base and the
//! enterprise with their users, the base's carrier with the enterprise entered there, and the
//! bureau's voucher for the enterprise.

use fruition_domain::date::IsoDate;
use fruition_domain::pilot;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::{ADMIN_PASSWORD, TestApp};

const BASE: &str = "pilot.base";
const FIRM: &str = "pilot.firm";
/// What `TestApp::org_with_user` sets the first user's password to.
const BASE_PASSWORD: &str = "pilot.base-secret-pw";
const FIRM_PASSWORD: &str = "pilot.firm-secret-pw";

const LINE: &str = "SiC 模块封装中试线";
const SAFETY: &str = "操作人员须持有洁净室上岗证，进入前完成安全培训。";

/// What the story starts from.
pub struct Setup {
    carrier: i64,
    voucher: i64,
    base_name: String,
    firm_name: String,
}

async fn expect(app: &TestApp, method: Method, path: &str, body: Option<Value>) -> Value {
    let (status, answer) = app.admin(method.clone(), path, body).await;
    assert!(
        status == StatusCode::OK || status == StatusCode::CREATED,
        "{method} {path}: {status} {answer}"
    );
    answer
}

/// The local date `n` days from today.
fn day(n: i64) -> IsoDate {
    IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(n)
}

/// The base and the enterprise with their users (passwords as above), the base's carrier with
/// the enterprise entered there, and a voucher of 3,000 元 for the enterprise (half of a bill at
/// most, 1,500 元 a year at most), through the API.
pub async fn set_up(app: &TestApp) -> Setup {
    let (base_org, _) = app.org_with_user("carrier_operator", BASE).await;
    let base = expect(
        app,
        Method::GET,
        &format!("/api/v1/organisations/{base_org}"),
        None,
    )
    .await;
    let (firm_org, _) = app.org_with_user("enterprise", FIRM).await;
    let carrier = expect(
        app,
        Method::POST,
        "/api/v1/carriers",
        Some(json!({
            "name": "功率器件中试基地", "kind": "pilot_base", "operator_org_id": base_org,
            "county": "天元区", "established_year": 2018, "floor_area_m2": 20000
        })),
    )
    .await["id"]
        .as_i64()
        .expect("carrier id");
    let firm = expect(
        app,
        Method::GET,
        &format!("/api/v1/organisations/{firm_org}"),
        None,
    )
    .await;
    expect(
        app,
        Method::POST,
        "/api/v1/enterprises",
        Some(json!({
            "enterprise": {"uscc": firm["uscc"], "name": firm["name"], "county": "天元区", "chain": "轨道交通"},
            "carrier_id": carrier, "entered_on": "2022-03-01"
        })),
    )
    .await;
    let voucher = expect(
        app,
        Method::POST,
        "/api/v1/vouchers",
        Some(json!({
            "org_id": firm_org, "amount": "3000",
            "valid_from": day(-30).to_string(), "valid_to": day(300).to_string(),
            "share_pct": 50, "yearly_cap": "1500", "kinds": ["pilot_line", "instrument"]
        })),
    )
    .await["voucher"]["id"]
        .as_i64()
        .expect("voucher id");
    Setup {
        carrier,
        voucher,
        base_name: base["name"].as_str().expect("name").to_string(),
        firm_name: firm["name"].as_str().expect("name").to_string(),
    }
}

pub async fn scenario(b: Browser, s: Setup) {
    let when = day(10);

    // The base's manager offers the pilot line through the form.
    sign_in(&b, BASE, BASE_PASSWORD).await;
    b.nav_to("/pilot").await;
    b.at("/pilot").await;
    b.click("#new-resource").await;
    b.at("/pilot/resources/new").await;
    b.select("#f-kind", "pilot_line").await;
    b.fill("#f-name", LINE).await;
    b.fill(
        "#f-capabilities",
        "碳化硅功率模块封装中试，月产能 2000 只，可做双面银烧结。",
    )
    .await;
    b.fill("#f-place", "株洲高新区中试基地 3 号厂房").await;
    b.select("#f-unit", "hour").await;
    b.fill("#f-price", "800").await;
    b.fill("#f-incubatee_discount_pct", "20").await;
    b.select("#f-discount_carrier_id", &s.carrier.to_string())
        .await;
    // Workdays come checked; the weekend too.
    for d in ["6", "7"] {
        b.click(&format!("input[name='open_days'][value='{d}']"))
            .await;
    }
    b.select("#f-open_from", "8").await;
    b.select("#f-open_to", "20").await;
    b.fill("#f-safety_notes", SAFETY).await;
    b.click("#save-resource").await;
    let resource = b.arrived_at_id("/pilot/resources/").await;
    b.wait_text("main .notice", "已创建").await;
    assert_eq!(b.text("#resource-opening").await, "每天 08:00–20:00");
    assert_eq!(b.text("#resource-price").await, "800.00 元/小时");
    sign_out(&b).await;

    // The enterprise finds it in the catalogue and books four hours ten days ahead.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    b.nav_to("/pilot").await;
    b.at("/pilot").await;
    b.click(&format!("#resources a[href='/pilot/resources/{resource}']"))
        .await;
    b.at(&format!("/pilot/resources/{resource}")).await;
    assert_eq!(b.text("main h1").await, LINE);
    assert_eq!(b.text("#safety-notes p").await, SAFETY);
    b.fill("#f-starts_at", &format!("{when} 09:00")).await;
    b.fill("#f-units", "4").await;
    b.fill("#f-purpose", "功率模块小批量试制，约 200 只。")
        .await;
    // Without accepting the safety notes the request comes back with the problem beside the box.
    b.click("#request-booking").await;
    b.wait_text("#f-accept_safety_notes-error", "安全须知")
        .await;
    assert_eq!(
        b.find("#f-starts_at")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some(format!("{when} 09:00").as_str()),
        "what was typed is kept"
    );
    b.click("#f-accept_safety_notes").await;
    b.click("#request-booking").await;
    let booking = b.arrived_at_id("/pilot/bookings/").await;
    b.wait_text("main .notice", "预约已提交").await;
    assert_eq!(b.text("#booking-status").await, "待确认");
    assert_eq!(
        b.text("#booking-time").await,
        format!("{when} 09:00 – {when} 13:00")
    );
    // The incubatee pays 20 % less: 4 × 640 元.
    assert_eq!(b.text("#booking-estimate").await, "2,560.00");

    // The calendar shows the four hours as the enterprise's booking.
    b.click(&format!(
        "main p.breadcrumb a[href='/pilot/resources/{resource}']"
    ))
    .await;
    b.at(&format!("/pilot/resources/{resource}")).await;
    let today = day(0);
    let monday = today.plus_days(-i64::from(pilot::weekday_of_slot(pilot::slot_of_date(
        today,
    ))));
    if when >= monday.plus_days(14) {
        b.click("#calendar-next").await;
        b.wait_text("#calendar-days caption", &monday.plus_days(14).to_string())
            .await;
    }
    let row = b.text(&format!("#day-{when} td")).await;
    assert!(
        row.contains("09:00–13:00") && row.contains("待确认"),
        "the booking on the calendar: {row}"
    );
    sign_out(&b).await;

    // The base confirms the request, records the use (3 of 4 hours) and bills it.
    sign_in(&b, BASE, BASE_PASSWORD).await;
    b.nav_to("/pilot").await;
    b.at("/pilot").await;
    b.click("main nav.pilot-nav a[href='/pilot/mine']").await;
    b.at("/pilot/mine").await;
    b.click(&format!(
        "#incoming-bookings a[href='/pilot/bookings/{booking}']"
    ))
    .await;
    b.at(&format!("/pilot/bookings/{booking}")).await;
    let facts = b.texts_at("//dl[@id='booking-facts']/dd").await;
    assert!(
        facts.iter().any(|f| f == &s.firm_name),
        "the owner sees who booked: {facts:?}"
    );
    b.click("#step-confirm").await;
    b.wait_text("main .notice", "预约已确认").await;
    assert_eq!(b.text("#booking-status").await, "已确认");
    b.fill("#f-record_use_used_units", "3").await;
    b.fill("#f-record_use_use_note", "提前完成").await;
    b.click("#step-record_use").await;
    b.wait_text("main .notice", "已登记使用").await;
    assert_eq!(b.text("#booking-status").await, "已使用（待开账单）");
    // Extra charges need a note: the form says so beside the field and keeps the amount.
    b.fill("#f-bill_extra", "80").await;
    b.click("#step-bill").await;
    b.wait_text("#f-bill_extra_note-error", "说明").await;
    b.fill("#f-bill_extra_note", "银浆耗材").await;
    b.click("#step-bill").await;
    b.wait_text("main .notice", "账单已开具").await;
    assert_eq!(b.text("#booking-status").await, "已开账单");
    // 3 × 640 + 80 = 2,000 元.
    assert_eq!(b.text("#bill-amount").await, "2,000.00");
    sign_out(&b).await;

    // The enterprise pays half with its voucher (the most it may) and the rest in money.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    b.nav_to("/pilot").await;
    b.at("/pilot").await;
    b.click("main nav.pilot-nav a[href='/pilot/bills']").await;
    b.at("/pilot/bills").await;
    b.click("#bills-to-pay tbody a").await;
    let bill = b.arrived_at_id("/pilot/bills/").await;
    assert_eq!(b.text("#bill-outstanding").await, "2,000.00");
    let choice = b
        .text(&format!("#f-voucher_id option[value='{}']", s.voucher))
        .await;
    assert!(
        choice.contains("本单最多可抵 1,000.00 元"),
        "the voucher with the most it may pay here: {choice}"
    );
    b.select("#f-voucher_id", &s.voucher.to_string()).await;
    b.fill("#f-voucher_amount", "1000").await;
    b.fill("#f-cash", "1000").await;
    b.fill("#f-reference", "转账 20261201").await;
    b.click("#pay-bill").await;
    b.wait_text("main .notice", "付款已登记").await;
    b.at(&format!("/pilot/bills/{bill}")).await;
    assert_eq!(b.text("#bill-outstanding").await, "0.00");
    assert_eq!(b.text("#bill-voucher").await, "1,000.00");
    assert_eq!(b.text("#bill-paid").await, "1,000.00");
    b.find("#bill-settled").await;
    // The voucher's ledger shows the spend and the balance after it.
    b.click(&format!(
        "#payment-rows a[href='/pilot/vouchers/{}']",
        s.voucher
    ))
    .await;
    b.at(&format!("/pilot/vouchers/{}", s.voucher)).await;
    assert_eq!(b.text("#voucher-balance").await, "2,000.00");
    let ledger = b.table_rows("#ledger-rows tbody tr").await;
    assert_eq!(ledger.len(), 2, "issued and spent: {ledger:?}");
    assert_eq!(ledger[1][1], "抵扣");
    assert_eq!(ledger[1][2], "-1,000.00");
    assert_eq!(ledger[1][3], "2,000.00");
    sign_out(&b).await;

    // The base claims the voucher's part back.
    sign_in(&b, BASE, BASE_PASSWORD).await;
    b.nav_to("/pilot").await;
    b.at("/pilot").await;
    b.click("main nav.pilot-nav a[href='/pilot/claims']").await;
    b.at("/pilot/claims").await;
    assert_eq!(b.text("#claimable-amount").await, "1,000.00");
    b.click("#submit-claim").await;
    let claim = b.arrived_at_id("/pilot/claims/").await;
    b.wait_text("main .notice", "兑付申请已提交").await;
    assert_eq!(b.text("#claim-status").await, "待审核");
    assert_eq!(b.text("#claim-amount").await, "1,000.00");
    sign_out(&b).await;

    // The bureau approves it and records the payment.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    b.nav_to("/pilot").await;
    b.at("/pilot").await;
    b.click("main nav.pilot-nav a[href='/pilot/claims']").await;
    b.at("/pilot/claims").await;
    b.click(&format!("#claim-rows a[href='/pilot/claims/{claim}']"))
        .await;
    b.at(&format!("/pilot/claims/{claim}")).await;
    b.click("#approve-claim").await;
    b.wait_text("main .notice", "兑付申请已批准").await;
    assert_eq!(b.text("#claim-status").await, "已批准（待拨付）");
    b.fill("#f-reference", "财政拨付 2026-118").await;
    b.click("#record-claim-payment").await;
    b.wait_text("main .notice", "已登记拨付").await;
    assert_eq!(b.text("#claim-status").await, "已拨付");
    assert_eq!(b.text("#claim-paid-on").await, day(0).to_string());

    // The statistics for the year count the use, the bill, the voucher and its reimbursement
    // (unless the booking falls in the next year, which the year's choices do not hold yet).
    let year = fruition_app::clock::this_year();
    if i64::from(when.year()) == year {
        b.nav_to("/statistics").await;
        b.at("/statistics").await;
        b.select("#f-year", &year.to_string()).await;
        b.click("main form.filters button[type='submit']").await;
        b.wait_text("#pilot h2", &year.to_string()).await;
        let rows = b.table_rows("#pilot-owners tbody tr").await;
        assert_eq!(
            rows,
            [[
                s.base_name.as_str(),
                "1",
                "1",
                "1",
                "2,000.00",
                "1,000.00",
                "1,000.00"
            ]
            .map(str::to_string)],
            "the base's year"
        );
        assert_eq!(b.text("#vouchers-issued-yuan").await, "3,000.00");
        assert_eq!(b.text("#vouchers-reimbursed-yuan").await, "1,000.00");
    }
}
