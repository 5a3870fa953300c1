//! One service request in a browser, from asking to rating: a service agency opens 服务 from the
//! main navigation and offers a service by its form (a price typed wrong first, corrected beside
//! the field); an enterprise finds it in the catalogue with the voucher filter and asks for it;
//! the agency finds it in its queue, accepts it, records each step and completes it; the
//! enterprise rates it, and the rating form is gone.
//!
//! Before the browser starts, the API sets up the agency and the enterprise with their users.

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::TestApp;

const AGENCY: &str = "services.agency";
const FIRM: &str = "services.firm";
/// What `TestApp::org_with_user` sets the first user's password to.
const AGENCY_PASSWORD: &str = "services.agency-secret-pw";
const FIRM_PASSWORD: &str = "services.firm-secret-pw";

pub async fn set_up(app: &TestApp) {
    app.org_with_user("service_agency", AGENCY).await;
    app.org_with_user("enterprise", FIRM).await;
}

/// Opens 服务 from the main navigation and follows one of its own links.
async fn services(b: &Browser, link: &str) {
    b.nav_to("/services").await;
    b.at("/services").await;
    if link != "/services" {
        b.click(&format!("main nav.credit-nav a[href='{link}']"))
            .await;
        b.at(link).await;
    }
}

pub async fn scenario(b: Browser, _: ()) {
    // The agency offers a patent service: 四千五 is not an amount, 4500 is.
    sign_in(&b, AGENCY, AGENCY_PASSWORD).await;
    services(&b, "/services/mine").await;
    b.click("#new-service").await;
    b.at("/services/new").await;
    b.select("#f-category", "intellectual_property").await;
    b.fill("#f-title", "发明专利申请代理").await;
    b.fill(
        "#f-description",
        "专利代理师完成技术交底、检索、撰写和提交，并答复审查意见。",
    )
    .await;
    b.fill("#f-materials", "技术交底书").await;
    b.fill("#f-steps", "技术交底\n撰写申请文件").await;
    b.fill("#f-response_time", "1").await;
    b.select("#f-response_unit", "days").await;
    b.fill("#f-price", "四千五").await;
    b.click("#f-voucher_payable").await;
    b.click("#save-service").await;
    b.find("#f-price-error").await;
    b.fill("#f-price", "4500").await;
    b.click("#save-service").await;
    let service = b.arrived_at_id("/services/").await;
    b.wait_text("main .notice", "服务已发布").await;
    assert_eq!(b.text("#service-price").await, "4,500.00 元");
    sign_out(&b).await;

    // The enterprise finds it among the voucher-payable services and asks.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    services(&b, "/services").await;
    b.click("#f-voucher").await;
    b.click("#filter-services").await;
    b.wait_url_contains("voucher=").await;
    b.click(&format!("#service-rows a[href='/services/{service}']"))
        .await;
    b.at(&format!("/services/{service}")).await;
    b.fill(
        "#f-need",
        "两项新型传感器技术需要申请发明专利，希望下月提交。",
    )
    .await;
    b.click("#submit-ask").await;
    let request = b.arrived_at_id("/services/requests/").await;
    b.wait_text("main .notice", "申请已提交").await;
    assert_eq!(b.text("#request-status").await, "待受理");
    sign_out(&b).await;

    // The agency accepts it from its queue, records the two steps and completes it.
    sign_in(&b, AGENCY, AGENCY_PASSWORD).await;
    services(&b, "/services/requests").await;
    b.click(&format!("#request-{request} a")).await;
    b.at(&format!("/services/requests/{request}")).await;
    b.click("#step-accept").await;
    b.wait_text("main .notice", "已受理").await;
    for step in ["1", "2"] {
        b.select("#f-record_position", step).await;
        b.fill("#f-record_note", "已完成").await;
        b.click("#step-record").await;
        b.wait_text("main .notice", "办理步骤已记录").await;
    }
    assert_eq!(b.text("#request-status").await, "办理中");
    b.click("#step-complete").await;
    b.wait_text("main .notice", "申请已办结").await;
    assert_eq!(b.text("#request-charge").await, "4,500.00 元");
    sign_out(&b).await;

    // The enterprise rates it once.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    b.goto(&format!("/services/requests/{request}")).await;
    b.select("#f-rate_stars", "5").await;
    b.fill("#f-rate_note", "响应及时，专业").await;
    b.click("#step-rate").await;
    b.wait_text("main .notice", "感谢您的评价").await;
    assert_eq!(b.text("#request-rating").await, "5 ★ 响应及时，专业");
    assert!(b.find_all("#form-rate").await.is_empty());
}
