//! The pilot pages used as a browser would (cookies, form tokens, redirects, no JavaScript): the
//! catalogue and a resource's page are public; a booking form that leaves out the safety notes
//! comes back with the problem; a slot already held is refused with a message; a booking is
//! invisible to other organisations; the owner confirms it from its page, schedules and removes
//! maintenance, and edits the resource; the bureau issues and revokes a voucher through its forms.

use fruition_domain::date::IsoDate;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::pages::sign_in;
use crate::registry_pages::{get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

fn day(n: i64) -> String {
    IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(n)
        .to_string()
}

async fn pilot_pages(app: TestApp) {
    let (_, base) = app.org_with_user("carrier_operator", "pp.base").await;
    let (firm_org, _) = app.org_with_user("enterprise", "pp.firm").await;
    app.org_with_user("enterprise", "pp.rival").await;
    let (status, r) = app
        .call_with(
            &base,
            Method::POST,
            "/api/v1/resources",
            Some(json!({
                "kind": "instrument", "name": "场发射扫描电镜",
                "capabilities": "分辨率 1 nm，配能谱仪。", "place": "株洲高新区检测中心 2 楼",
                "unit": "hour", "price": "600", "open_days": [1, 2, 3, 4, 5, 6, 7],
                "open_from": 8, "open_to": 20, "cancel_hours": 24,
                "safety_notes": "须经设备管理员培训。"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{r}");
    let id = r["id"].as_i64().expect("id");

    // Public: the catalogue and the resource's page, with its calendar but no booking form.
    let anonymous = app.browser();
    let page = get(&app, &anonymous, "/pilot?kind=instrument").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("场发射扫描电镜"), "{}", page.html);
    let page = get(&app, &anonymous, &format!("/pilot/resources/{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("预约日历") && page.html.contains("须经设备管理员培训"));
    assert!(
        !page
            .html
            .contains(&format!("/pilot/resources/{id}/bookings"))
    );
    let page = get(&app, &anonymous, "/pilot/resources/999999").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // The enterprise books through the page: the safety notes must be accepted first.
    let firm = sign_in(&app, "pp.firm", "pp.firm-secret-pw").await;
    let resource_page = format!("/pilot/resources/{id}");
    let action = format!("/pilot/resources/{id}/bookings");
    let start = format!("{} 09:00", day(10));
    let mut fields = vec![
        ("starts_at", start.as_str()),
        ("units", "2"),
        ("purpose", "断口形貌观察"),
    ];
    let refused = submit(&app, &firm, &resource_page, &action, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("请先阅读并接受该资源的安全须知"),
        "{}",
        refused.html
    );
    fields.push(("accept_safety_notes", "true"));
    let done = submit(&app, &firm, &resource_page, &action, &fields).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let booking = id_in(&done.location);
    let page = get(&app, &firm, &format!("/pilot/bookings/{booking}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains("待确认"));

    // Another enterprise asking for an hour already held gets the message on the page (409),
    // and does not see the booking.
    let rival = sign_in(&app, "pp.rival", "pp.rival-secret-pw").await;
    let overlap = format!("{} 10:00", day(10));
    let held = submit(
        &app,
        &rival,
        &resource_page,
        &action,
        &[
            ("starts_at", overlap.as_str()),
            ("units", "1"),
            ("purpose", "成分分析"),
            ("accept_safety_notes", "true"),
        ],
    )
    .await;
    assert_eq!(held.status, StatusCode::CONFLICT);
    assert!(held.html.contains("已被预约"), "{}", held.html);
    let page = get(&app, &rival, &format!("/pilot/bookings/{booking}")).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // The owner confirms it from the booking's page.
    let owner = sign_in(&app, "pp.base", "pp.base-secret-pw").await;
    let booking_page = format!("/pilot/bookings/{booking}");
    let confirmed = submit(
        &app,
        &owner,
        &booking_page,
        &format!("/pilot/bookings/{booking}/actions"),
        &[("step", "confirm")],
    )
    .await;
    assert_eq!(
        confirmed.status,
        StatusCode::SEE_OTHER,
        "{}",
        confirmed.html
    );
    assert_eq!(
        confirmed.location,
        format!("/pilot/bookings/{booking}?done=booking_confirmed")
    );
    let page = get(&app, &owner, &confirmed.location).await;
    assert!(page.html.contains("预约已确认"), "{}", page.html);
    assert!(
        page.html
            .contains("<span id=\"booking-status\">已确认</span>")
    );

    // Maintenance over the booked hour is refused with the holder named beside the start; on a
    // free day it is scheduled, shown on the calendar, and removed again.
    let maintenance = format!("/pilot/resources/{id}/maintenance");
    let over = submit(
        &app,
        &owner,
        &resource_page,
        &maintenance,
        &[
            ("starts_at", &format!("{} 08:00", day(10))),
            ("ends_at", &format!("{} 12:00", day(10))),
            ("reason", "年度校准"),
        ],
    )
    .await;
    assert_eq!(over.status, StatusCode::CONFLICT);
    assert!(
        over.html.contains("id=\"f-block_starts_at-error\"")
            && over.html.contains(&format!("预约 #{booking}")),
        "{}",
        over.html
    );
    let free = submit(
        &app,
        &owner,
        &resource_page,
        &maintenance,
        &[
            ("starts_at", &day(12)),
            ("ends_at", &day(13)),
            ("reason", "年度校准"),
        ],
    )
    .await;
    assert_eq!(free.status, StatusCode::SEE_OTHER, "{}", free.html);
    let page = get(&app, &owner, &free.location).await;
    assert!(page.html.contains("已安排维护") && page.html.contains("年度校准"));
    let marker = format!("/pilot/resources/{id}/maintenance/");
    let at = page.html.find(&marker).expect("a remove button");
    let block: String = page.html[at + marker.len()..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let removed = submit(
        &app,
        &owner,
        &free.location,
        &format!("{marker}{block}/remove"),
        &[],
    )
    .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.html);
    assert!(removed.location.contains("done=maintenance_removed"));

    // The lists: the owner's resources and incoming bookings, the enterprise's bookings.
    let page = get(&app, &owner, "/pilot/mine").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.html.contains(&format!("/pilot/bookings/{booking}")));
    let page = get(&app, &firm, "/pilot/bookings").await;
    assert!(page.html.contains(&format!("/pilot/bookings/{booking}")));
    // The bookings export as a workbook, one row each, the number as a number.
    let res = firm
        .get(app.url("/pilot/bookings/export.xlsx"))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    let table = fruition_sheets::read_table(&res.bytes().await.expect("bytes"), "bookings.xlsx")
        .expect("reads");
    assert_eq!(table.headers[0], "预约号");
    assert!(
        table
            .rows
            .iter()
            .any(|r| r.cells[0] == fruition_sheets::Cell::Number(booking as f64)),
        "the booking is a row"
    );
    let page = get(&app, &firm, "/pilot/bills?overdue=1").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html.contains("/pilot/bills/export.xlsx?overdue=1"),
        "{}",
        page.html
    );
    // The bills export as a workbook: what the enterprise owes and what it issued.
    let res = firm
        .get(app.url("/pilot/bills/export.xlsx"))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.expect("bytes");
    let owed = fruition_sheets::read_table(&bytes, "bills.xlsx").expect("reads");
    assert_eq!(owed.headers[0], "账单号");
    assert_eq!(owed.headers[9], "待付（元）");

    // The edit form comes filled in and saves.
    let edit = format!("/pilot/resources/{id}/edit");
    let page = get(&app, &owner, &edit).await;
    assert!(page.html.contains("value=\"600\""), "{}", page.html);
    let saved = submit(
        &app,
        &owner,
        &edit,
        &edit,
        &[
            ("kind", "instrument"),
            ("name", "场发射扫描电镜（新）"),
            ("capabilities", "分辨率 1 nm，配能谱仪。"),
            ("place", "株洲高新区检测中心 2 楼"),
            ("unit", "hour"),
            ("price", "650"),
            ("open_from", "8"),
            ("open_to", "20"),
            ("cancel_hours", "24"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let page = get(&app, &anonymous, &resource_page).await;
    assert!(page.html.contains("场发射扫描电镜（新）") && page.html.contains("650.00"));
    // Someone else's resource cannot be edited.
    let page = get(&app, &firm, &edit).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);

    // The bureau issues a voucher through its form; a missing amount comes back first.
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let firm_id = firm_org.to_string();
    let mut issue = vec![
        ("org_id", firm_id.as_str()),
        ("valid_from", "2020-01-01"),
        ("valid_to", "2099-12-31"),
        ("share_pct", "50"),
        ("yearly_cap", "2000"),
        ("kinds", "instrument"),
    ];
    let refused = submit(&app, &bureau, "/pilot/vouchers", "/pilot/vouchers", &issue).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"f-amount-error\""),
        "{}",
        refused.html
    );
    issue.push(("amount", "5000"));
    let issued = submit(&app, &bureau, "/pilot/vouchers", "/pilot/vouchers", &issue).await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.html);
    let voucher = id_in(&issued.location);
    let page = get(&app, &firm, "/pilot/vouchers").await;
    assert!(page.html.contains(&format!("/pilot/vouchers/{voucher}")));
    assert!(page.html.contains("/pilot/vouchers/export.xlsx"));
    // The holder's vouchers as a workbook: its voucher, 5,000 yuan; another enterprise has none.
    let workbook = |client: reqwest::Client, path: &'static str| {
        let url = app.url(path);
        async move {
            let res = client.get(url).send().await.expect("export");
            assert_eq!(res.status(), StatusCode::OK);
            fruition_sheets::read_table(&res.bytes().await.expect("bytes"), "export.xlsx")
                .expect("reads")
        }
    };
    let table = workbook(firm.clone(), "/pilot/vouchers/export.xlsx").await;
    assert_eq!(table.rows.len(), 1);
    assert_eq!(
        table.rows[0].cells[2],
        fruition_sheets::Cell::Number(5000.0)
    );
    let table = workbook(rival.clone(), "/pilot/vouchers/export.xlsx").await;
    assert!(table.rows.is_empty());
    let table = workbook(bureau.clone(), "/pilot/claims/export.xlsx").await;
    assert_eq!(table.headers[0], "申请号");
    let voucher_page = format!("/pilot/vouchers/{voucher}");
    let revoked = submit(
        &app,
        &bureau,
        &voucher_page,
        &format!("{voucher_page}/revoke"),
        &[],
    )
    .await;
    assert_eq!(revoked.status, StatusCode::SEE_OTHER, "{}", revoked.html);
    let page = get(&app, &firm, &voucher_page).await;
    assert!(page.html.contains("已收回") && page.html.contains("id=\"voucher-balance\">0.00"));
    let page = get(&app, &rival, &voucher_page).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);

    // The resource form refuses a bad price beside the field, in Chinese.
    let bad = submit(
        &app,
        &owner,
        "/pilot/resources/new",
        "/pilot/resources/new",
        &[
            ("kind", "testing"),
            ("name", "材料力学性能检测"),
            ("capabilities", "拉伸、压缩、弯曲。"),
            ("place", "检测中心"),
            ("unit", "day"),
            ("price", "八百"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.html.contains("id=\"f-price-error\"") && bad.html.contains("不是有效金额"),
        "{}",
        bad.html
    );
}

/// The hours the first "book this day" link of a resource's calendar fills in, as a slot.
fn first_offered_slot(html: &str) -> Option<i64> {
    let at = html.find("class=\"book-day\"")?;
    let link_start = html[..at].rfind("href=\"")? + "href=\"".len();
    let link = &html[link_start..at];
    let value = link
        .split(['?', '&', ';'])
        .find_map(|p| p.strip_prefix("at="))?;
    let value = value.split('#').next()?.replace("%20", " ");
    let (date, hour) = match value.split_once(' ') {
        Some((d, h)) => (
            d.to_string(),
            h.trim_end_matches(":00").parse::<i64>().ok()?,
        ),
        None => (value.clone(), 0),
    };
    let date = IsoDate::parse(&date).ok()?;
    Some(fruition_domain::pilot::slot_of_date(date) + hour)
}

/// Issue 15, item 7: a resource's calendar offers no past day and no hour already begun, nor
/// today once it has closed: the first offered start is one a booking may take.
async fn the_calendar_offers_only_starts_still_to_come(app: TestApp) {
    use fruition_domain::pilot::{DAY_SLOTS, slot_of_ms};
    let (_, base) = app.org_with_user("carrier_operator", "cal.base").await;
    app.org_with_user("enterprise", "cal.firm").await;
    let now_slot = slot_of_ms(fruition_app::clock::now_ms());
    let hour_now = now_slot.rem_euclid(DAY_SLOTS);
    let mut ids = Vec::new();
    for (name, unit, open_from, open_to) in [
        ("全天开放的中试线", "hour", 0, 24),
        ("今天已经打烊的仪器", "hour", 0, hour_now.max(1)),
        ("按天预约的中试线", "day", 0, 24),
    ] {
        let (status, r) = app
            .call_with(
                &base,
                Method::POST,
                "/api/v1/resources",
                Some(json!({
                    "kind": "instrument", "name": name, "capabilities": "测试。",
                    "place": "株洲", "unit": unit, "price": "100",
                    "open_days": [1, 2, 3, 4, 5, 6, 7],
                    "open_from": open_from, "open_to": open_to, "cancel_hours": 1
                })),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{r}");
        ids.push(r["id"].as_i64().expect("id"));
    }
    let firm = sign_in(&app, "cal.firm", "cal.firm-secret-pw").await;
    let tomorrow = fruition_domain::pilot::slot_of_date(IsoDate::parse(&day(1)).expect("day"));
    for (i, id) in ids.into_iter().enumerate() {
        let page = get(&app, &firm, &format!("/pilot/resources/{id}")).await;
        assert_eq!(page.status, StatusCode::OK);
        let first = first_offered_slot(&page.html)
            .unwrap_or_else(|| panic!("resource {i} offers a day: {}", page.html));
        assert!(
            first > now_slot,
            "resource {i}: the first offered start ({first}) is still to come (now {now_slot})"
        );
        match i {
            // Open round the clock: the next full hour (today, or tomorrow's first at 23:xx).
            0 => assert_eq!(first, now_slot + 1),
            // Closed for today: tomorrow's opening.
            1 => assert_eq!(first, tomorrow),
            // By the day: tomorrow.
            _ => assert_eq!(first, tomorrow),
        }
    }
}

on_both!(pilot_pages, the_calendar_offers_only_starts_still_to_come);
