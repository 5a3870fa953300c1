//! A knowledge-value loan in a browser, as issue 12 tells it, from application to compensation:
//! the bureau adds a funder to the risk compensation pool and records its contribution; the
//! enterprise applies to a partner bank, consenting to share its data; the bank approves (over
//! the recommended line, saying why) and disburses; the bureau registers the loan for
//! compensation; the bank marks it overdue, declares a default and claims; the bureau approves
//! the claim and pays it; the pool's page shows the balance lowered by the compensation.
//!
//! Before the browser starts, the API sets up what the story takes as given: the bank and the
//! enterprise with their users, and the enterprise's registry record (incubated at a carrier).

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::{ADMIN_PASSWORD, TestApp, incubate_at};

const BANK: &str = "credit.bank";
const FIRM: &str = "credit.firm";
/// What `TestApp::org_with_user` sets the first user's password to.
const BANK_PASSWORD: &str = "credit.bank-secret-pw";
const FIRM_PASSWORD: &str = "credit.firm-secret-pw";

/// What the story starts from.
pub struct Setup {
    bank_org: i64,
}

/// The bank and the enterprise with their users (passwords as above) and the enterprise's
/// registry record, through the API.
pub async fn set_up(app: &TestApp) -> Setup {
    let (base_org, _) = app.org_with_user("carrier_operator", "credit.base").await;
    let (firm_org, _) = app.org_with_user("enterprise", FIRM).await;
    incubate_at(app, base_org, firm_org, "株洲科技企业孵化器", "incubator").await;
    let (bank_org, _) = app.org_with_user("bank", BANK).await;
    Setup { bank_org }
}

/// Opens the credit pages from the main navigation and follows one of their own links.
async fn finance(b: &Browser, link: &str) {
    b.nav_to("/credit/loans").await;
    b.at("/credit/loans").await;
    if link != "/credit/loans" {
        b.click(&format!("main nav.credit-nav a[href='{link}']"))
            .await;
        b.at(link.split('?').next().unwrap_or(link)).await;
    }
}

pub async fn scenario(b: Browser, s: Setup) {
    // The bureau adds the city's funder and records its contribution of 500万元.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    finance(&b, "/credit/pool").await;
    b.find("#no-funders").await;
    b.fill("#f-funder_name", "株洲市财政局").await;
    b.select("#f-funder_level", "city").await;
    b.fill("#f-funder_ratio", "1").await;
    b.click("#add-funder").await;
    b.wait_text("main .notice", "出资方已添加").await;
    b.find("#funder-rows").await;
    let funder = b
        .find("#f-contribution_funder_id option:nth-child(2)")
        .await
        .attr("value")
        .await
        .expect("value")
        .expect("a funder to choose");
    b.select("#f-contribution_funder_id", &funder).await;
    b.fill("#f-contribution_amount", "500").await;
    b.fill("#f-contribution_memo", "2026 年市级风险补偿资金")
        .await;
    b.click("#record-contribution").await;
    b.wait_text("main .notice", "出资已记账").await;
    assert_eq!(b.text("#pool-balance").await, "5,000,000.00");
    assert_eq!(b.text("#proof-sum").await, "0.00");
    sign_out(&b).await;

    // The enterprise applies to the bank for 100万元 over 12 months, agreeing to the consent.
    sign_in(&b, FIRM, FIRM_PASSWORD).await;
    finance(&b, "/credit/loans/new").await;
    b.select("#f-bank_org_id", &s.bank_org.to_string()).await;
    b.fill("#f-requested", "100").await;
    b.fill("#f-requested_months", "12").await;
    b.fill("#f-purpose", "碳化硅模块研发投入与首批订单备货")
        .await;
    let consent = b.text("#consent-text").await;
    assert!(
        consent.starts_with("本企业同意将在株洲科技成果转化平台登记的企业信息"),
        "the consent in full: {consent}"
    );
    // Without ticking the consent the form comes back with the problem beside the box.
    b.click("#submit-application").await;
    b.wait_text("#f-consent-error", "须同意").await;
    assert!(
        b.text("#consent-text")
            .await
            .contains("测试机构credit.bank"),
        "the consent names the bank chosen"
    );
    b.click("#f-consent").await;
    b.click("#submit-application").await;
    let loan = b.arrived_at_id("/credit/loans/").await;
    b.wait_text("main .notice", "贷款申请已提交").await;
    assert_eq!(b.text("#loan-status").await, "已申请");
    let code = b.text("main h1").await;
    sign_out(&b).await;

    // The bank finds it in its queue, approves it over the line (the enterprise has no score
    // yet) saying why, and disburses it today.
    sign_in(&b, BANK, BANK_PASSWORD).await;
    finance(&b, "/credit/loans").await;
    b.click(&format!("#loan-rows a[href='/credit/loans/{loan}']"))
        .await;
    b.at(&format!("/credit/loans/{loan}")).await;
    assert_eq!(b.text("main h1").await, code);
    b.fill("#f-approve_rate", "3.85").await;
    b.click("#step-approve").await;
    b.wait_text("#f-approve_over_line_reason-error", "请说明理由")
        .await;
    b.fill(
        "#f-approve_over_line_reason",
        "企业新获整车厂订单，经实地核查流动资金需求",
    )
    .await;
    b.click("#step-approve").await;
    b.wait_text("main .notice", "贷款已审批通过").await;
    assert_eq!(b.text("#loan-status").await, "已审批");
    assert_eq!(b.text("#loan-rate").await, "3.85%");
    b.click("#step-disburse").await;
    b.wait_text("main .notice", "已放款").await;
    assert_eq!(b.text("#loan-status").await, "已放款");
    assert_eq!(b.table_rows("#schedule-rows tbody tr").await.len(), 12);
    sign_out(&b).await;

    // The bureau registers it for compensation from its queue of loans to register.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    finance(&b, "/credit/loans?view=register").await;
    b.click(&format!("#loan-rows a[href='/credit/loans/{loan}']"))
        .await;
    b.at(&format!("/credit/loans/{loan}")).await;
    b.click("#step-register").await;
    b.wait_text("main .notice", "贷款已备案").await;
    assert_eq!(b.text("#loan-status").await, "已备案");
    sign_out(&b).await;

    // The bank marks it overdue, declares the default and claims compensation.
    sign_in(&b, BANK, BANK_PASSWORD).await;
    b.goto(&format!("/credit/loans/{loan}")).await;
    b.click("#step-mark_overdue").await;
    b.wait_text("main .notice", "已标记逾期").await;
    assert_eq!(b.text("#loan-status").await, "逾期");
    b.click("#step-default").await;
    b.wait_text("main .notice", "已认定违约").await;
    assert_eq!(b.text("#loan-status").await, "已违约");
    b.fill("#f-claim_note", "已电话及上门催收，企业停产，抵质押物无")
        .await;
    b.click("#submit-claim").await;
    let claim = b.arrived_at_id("/credit/claims/").await;
    b.wait_text("main .notice", "风险补偿申请已提交").await;
    assert_eq!(b.text("#claim-status").await, "已提交");
    // 80 % of a credit loan's 100万元 owed.
    assert_eq!(b.text("#claim-amount").await, "800,000.00");
    sign_out(&b).await;

    // The bureau approves the claim and pays it from the pool.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    finance(&b, "/credit/claims").await;
    b.click(&format!("#claim-rows a[href='/credit/claims/{claim}']"))
        .await;
    b.at(&format!("/credit/claims/{claim}")).await;
    b.click("#approve-claim").await;
    b.wait_text("main .notice", "补偿申请已审核通过").await;
    assert_eq!(b.text("#claim-status").await, "已审核");
    b.click("#pay-claim").await;
    b.wait_text("main .notice", "补偿已从资金池拨付").await;
    assert_eq!(b.text("#claim-status").await, "已补偿");

    // The pool is lower by the compensation, and its books still balance.
    b.click("main nav.credit-nav a[href='/credit/pool']").await;
    b.at("/credit/pool").await;
    assert_eq!(b.text("#pool-balance").await, "4,200,000.00");
    assert_eq!(b.text("#pool-compensated").await, "800,000.00");
    assert_eq!(b.text("#proof-sum").await, "0.00");
    assert_eq!(b.text("#proof-entries").await, "4");
}
