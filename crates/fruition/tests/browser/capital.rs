//! A fund and its first investment in a browser: an investor opens 资本 from the main
//! navigation, registers its angel fund (a size typed wrong first, corrected beside the field),
//! records an investment in an incubated enterprise by the enterprise's code and finds it in the
//! fund's portfolio and the investments' list; the enterprise sees the fund but not its
//! portfolio; the bureau reads the year's capital statistics.
//!
//! Before the browser starts, the API sets up the investor and the enterprise with their users,
//! and the enterprise's registry record (incubated at a carrier).

use reqwest::Method;

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::{ADMIN_PASSWORD, TestApp, incubate_at};

const VC: &str = "capital.vc";
const FIRM: &str = "capital.firm";
/// What `TestApp::org_with_user` sets the first user's password to.
const VC_PASSWORD: &str = "capital.vc-secret-pw";
const FIRM_PASSWORD: &str = "capital.firm-secret-pw";

/// What the story starts from.
pub struct Setup {
    /// The enterprise's unified social credit code.
    firm_uscc: String,
}

pub async fn set_up(app: &TestApp) -> Setup {
    let (base_org, _) = app.org_with_user("carrier_operator", "capital.base").await;
    let (firm_org, _) = app.org_with_user("enterprise", FIRM).await;
    incubate_at(app, base_org, firm_org, "株洲资本孵化器", "incubator").await;
    app.org_with_user("investor", VC).await;
    let (_, org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{firm_org}"),
            None,
        )
        .await;
    Setup {
        firm_uscc: org["uscc"].as_str().expect("uscc").to_string(),
    }
}

/// Opens the capital pages from the main navigation and follows one of their own links.
async fn capital(b: &Browser, link: &str) {
    b.nav_to("/capital/funds").await;
    b.at("/capital/funds").await;
    if link != "/capital/funds" {
        b.click(&format!("main nav.credit-nav a[href='{link}']"))
            .await;
        b.at(link).await;
    }
}

pub async fn scenario(b: Browser, s: Setup) {
    // The investor registers its fund: 五千万 is not a number of 万元, 5000 is.
    sign_in(&b, VC, VC_PASSWORD).await;
    capital(&b, "/capital/funds").await;
    b.find("#no-funds").await;
    b.fill("#f-fund_name", "株洲天使一号基金").await;
    b.select("#f-fund_kind", "angel").await;
    b.fill("#f-fund_size", "五千万").await;
    b.fill("#f-fund_government", "1000").await;
    b.fill("#f-fund_established_year", "2020").await;
    b.click("#f-fund_chain_codes").await;
    b.click("#register-fund").await;
    b.wait_text("#f-fund_size-error", "不是有效金额").await;
    b.fill("#f-fund_size", "5000").await;
    b.click("#register-fund").await;
    let fund = b.arrived_at_id("/capital/funds/").await;
    b.wait_text("main .notice", "基金已登记").await;
    assert_eq!(b.text("#fund-size").await, "5000.00 万元");
    assert_eq!(b.text("#fund-government-share").await, "20.00%");

    // It records a Series A investment in the incubated enterprise by its code.
    b.fill("#f-investment_uscc", &s.firm_uscc).await;
    b.select("#f-investment_round", "a").await;
    b.fill("#f-investment_amount", "500").await;
    b.fill_date("#f-investment_invested_on", "2024-06-30").await;
    b.fill("#f-investment_post_money", "5000").await;
    b.click("#record-investment-button").await;
    b.wait_text("main .notice", "投资已登记").await;
    b.at(&format!("/capital/funds/{fund}")).await;
    assert_eq!(b.text("#portfolio-invested").await, "500.00 万元");
    assert_eq!(b.text("#portfolio-deployed").await, "10.00%");
    assert_eq!(b.text("#portfolio-total").await, "1.00×");
    capital(&b, "/capital/investments").await;
    let rows = b.table_rows("#investment-rows tbody tr").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].iter().any(|c| c == "500.00 万元"), "{rows:?}");
    sign_out(&b).await;

    // The enterprise sees the fund, but neither its portfolio nor its forms.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    capital(&b, "/capital/funds").await;
    b.click(&format!("#fund-rows a[href='/capital/funds/{fund}']"))
        .await;
    b.at(&format!("/capital/funds/{fund}")).await;
    assert!(b.find_all("#portfolio-figures").await.is_empty());
    assert!(b.find_all("#form-investment").await.is_empty());
    sign_out(&b).await;

    // The bureau reads 2024's capital statistics.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    capital(&b, "/capital/statistics").await;
    b.select("#f-year", "2024").await;
    b.click("main form.filters button[type='submit']").await;
    b.wait_text("#capital-year", "2024").await;
    assert_eq!(b.text("#capital-investments").await, "1");
    assert_eq!(b.text("#capital-invested").await, "500.00 万元");
}
