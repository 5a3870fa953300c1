//! One technology contract concluded outside the market, in a browser, from submission to the
//! statistics page: an enterprise opens 技术合同登记 from the main navigation, finds its own
//! organisation prefilled as the seller, types the buyer (registered outside the city), the
//! amounts in 元 (one typed wrong first, corrected beside the field) and the dates, and uploads
//! the signed PDF; the office finds it in its queue and recognises it, which numbers it in the
//! register shared with market deals; the register lists it, and the statistics page counts it
//! with its buyer outside the city.
//!
//! Before the browser starts, the API sets up the enterprise with its user.

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::{ADMIN_PASSWORD, TestApp};

const FIRM: &str = "contracts.firm";
/// What `TestApp::org_with_user` sets the first user's password to.
const FIRM_PASSWORD: &str = "contracts.firm-secret-pw";
const TITLE: &str = "轨道车辆轴箱轴承在线监测系统技术开发合同";

pub async fn set_up(app: &TestApp) {
    app.org_with_user("enterprise", FIRM).await;
}

/// A valid USCC registered in Changsha (outside the city).
fn changsha_uscc() -> String {
    let first17 = "91430100MA4T00017";
    let c = fruition_domain::uscc::check_char(first17).expect("check char");
    format!("{first17}{c}")
}

pub async fn scenario(b: Browser, _: ()) {
    let pdf = b.downloads.join("合同扫描件.pdf");
    std::fs::write(
        &pdf,
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
    )
    .expect("the signed file");

    // The enterprise submits the contract; 一百二十万 is not an amount, 1200000 is.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    b.nav_to("/contracts/submissions").await;
    b.at("/contracts/submissions").await;
    b.click("main nav.credit-nav a[href='/contracts/submissions/new']")
        .await;
    b.at("/contracts/submissions/new").await;
    let own = b
        .find("#f-seller_uscc")
        .await
        .prop("value")
        .await
        .expect("value")
        .unwrap_or_default();
    assert_eq!(own.len(), 18, "the own organisation is prefilled: {own:?}");
    b.select("#f-contract_type", "development").await;
    b.fill("#f-title", TITLE).await;
    b.fill("#f-buyer_name", "长沙合成装备有限公司").await;
    b.fill("#f-buyer_uscc", &changsha_uscc()).await;
    b.fill("#f-contract_amount", "一百二十万").await;
    b.fill("#f-tech_amount", "1000000").await;
    b.select("#f-tech_field", "modern_transport").await;
    b.select("#f-chain_code", "rail_transit").await;
    b.fill_date("#f-signed_on", "2026-03-01").await;
    b.fill_date("#f-starts_on", "2026-03-15").await;
    b.fill_date("#f-ends_on", "2027-03-14").await;
    b.choose_file("#f-file", &pdf).await;
    b.click("#submit-contract").await;
    b.find("#f-contract_amount-error").await;
    assert_eq!(
        b.find("#f-title")
            .await
            .prop("value")
            .await
            .expect("value")
            .as_deref(),
        Some(TITLE),
        "what was typed is kept"
    );
    b.fill("#f-contract_amount", "1200000").await;
    b.choose_file("#f-file", &pdf).await;
    b.click("#submit-contract").await;
    let id = b.arrived_at_id("/contracts/submissions/").await;
    b.wait_text("main .notice", "已提交认定登记").await;
    assert_eq!(b.text("#submission-status").await, "待认定");
    sign_out(&b).await;

    // The office recognises it from its queue.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    b.nav_to("/contracts/queue").await;
    b.at("/contracts/queue").await;
    b.click(&format!(
        "#submissions a[href='/contracts/submissions/{id}']"
    ))
    .await;
    b.at(&format!("/contracts/submissions/{id}")).await;
    b.click("#f-decision-recognise").await;
    b.click("#decide").await;
    b.wait_text("main .notice", "已认定登记并编号").await;
    let number = b.text("#registration-no").await;
    assert!(number.starts_with("4302002026"), "{number}");

    // The register lists it; the statistics page counts it.
    b.click("main nav.credit-nav a[href='/contracts/register']")
        .await;
    b.at("/contracts/register").await;
    let rows = b.table_rows("#contracts tbody tr").await;
    assert!(
        rows.iter().any(|r| r.first() == Some(&number)),
        "{number} in {rows:?}"
    );
    b.click("main nav.credit-nav a[href^='/statistics']").await;
    b.wait_url_contains("/statistics").await;
    assert_eq!(b.text("#contracts-total").await, "1");
    assert_eq!(b.text("#contracts-tech-amount").await, "1,000,000.00");
    let rows = b
        .texts_at("//section[@id='contracts']//th[@scope='row']")
        .await;
    assert!(rows.iter().any(|r| r == "买方在市外"), "{rows:?}");
}
