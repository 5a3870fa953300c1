//! A 先投后股 project in a browser, as the bureau works it from grant to conversion: it grants
//! 500万元 to an enterprise with a 20 % discount (an amount that is not one comes back in
//! Chinese beside its field), records a milestone and marks it achieved, notes the A round that
//! values the company at 1亿元, and converts on 1,000万 shares: 666,666 shares, 6.2499 %.
//!
//! Before the browser starts, the API sets up what the story takes as given: the enterprise
//! with its registry record.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{Browser, sign_in};
use crate::support::{ADMIN_PASSWORD, TestApp};

/// What the story starts from.
pub struct Setup {
    uscc: String,
}

/// The enterprise and its registry record, through the API.
pub async fn set_up(app: &TestApp) -> Setup {
    let (org, _) = app.org_with_user("enterprise", "grants.firm").await;
    let (status, o) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{org}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{o}");
    app.expect(
        &app.admin_token,
        Method::POST,
        "/enterprises",
        Some(json!({"enterprise": {"uscc": o["uscc"], "name": o["name"], "county": "天元区", "chain": "轨道交通"}})),
        StatusCode::CREATED,
    )
    .await;
    Setup {
        uscc: o["uscc"].as_str().expect("uscc").to_string(),
    }
}

pub async fn scenario(b: Browser, s: Setup) {
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    b.goto("/capital/grants").await;
    b.at("/capital/grants").await;
    b.find("#no-grants").await;

    // The grant, first with an amount that is not one.
    b.fill("#f-enterprise_uscc", &s.uscc).await;
    b.fill("#f-title", "轨道交通牵引变流器国产化").await;
    b.fill("#f-amount", "五百万").await;
    b.fill_date("#f-granted_on", "2024-03-01").await;
    b.fill("#f-discount", "20").await;
    b.click("#create-grant").await;
    b.wait_text("#f-amount-error", "不是有效金额").await;
    b.fill("#f-amount", "500").await;
    b.click("#create-grant").await;
    let id = b.arrived_at_id("/capital/grants/").await;
    b.wait_text("main .notice", "先投后股项目已新增").await;
    assert_eq!(b.text("#grant-status").await, "已拨付");
    assert_eq!(b.text("#grant-amount").await, "5,000,000.00");
    assert_eq!(b.text("#grant-discount").await, "20.00%");
    assert!(
        b.find_all("#form-convert").await.is_empty(),
        "only the legal steps"
    );

    // A milestone, then marking it achieved today.
    b.fill("#f-milestone_title", "完成中试样机").await;
    b.click("#add-milestone").await;
    b.wait_text("main .notice", "里程碑已添加").await;
    b.click("#milestone-rows button[type='submit']").await;
    b.wait_text("main .notice", "里程碑已标记达成").await;
    assert!(b.find_all("#milestone-rows form").await.is_empty());

    // The A round values the company at 1亿元 post-money.
    b.select("#f-trigger_round", "a").await;
    b.fill("#f-trigger_valuation", "10000").await;
    b.click("#step-trigger").await;
    b.wait_text("main .notice", "已触发转股").await;
    assert_eq!(b.text("#grant-status").await, "已触发转股");
    assert_eq!(b.text("#grant-round").await, "A轮");
    assert_eq!(b.text("#grant-valuation").await, "100,000,000.00");

    // The conversion on 1,000万 shares.
    b.fill("#f-convert_shares_before", "10,000,000").await;
    b.click("#step-convert").await;
    b.wait_text("main .notice", "已完成转股测算").await;
    assert_eq!(b.text("#grant-status").await, "已完成转股测算");
    assert_eq!(b.text("#grant-shares").await, "666666");
    assert_eq!(b.text("#grant-stake").await, "6.2499%");
    assert_eq!(b.text("#grant-discounted-valuation").await, "80,000,000.00");
    b.find("#form-register").await;

    // Back to the list, where the project stands converted.
    b.click("p.breadcrumb a[href='/capital/grants']").await;
    b.at("/capital/grants").await;
    let rows = b.table_rows("#grant-rows tbody tr").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "轨道交通牵引变流器国产化");
    assert_eq!(rows[0][6], "已完成转股测算");
    b.find(&format!("#grant-rows a[href='/capital/grants/{id}']"))
        .await;
}
