//! The market in a browser, as issue 4 tells it: an institution writes an achievement and
//! publishes it; an enterprise posts a need, finds the achievement among the need's suggestions
//! with the reasons in words, follows it and declares intent with a message; the institution finds
//! the deal among its deals, answers and proposes licence terms; the enterprise reads the messages
//! and accepts them; the bureau's registrar registers the contract from the list awaiting
//! registration and reads its number; the statistics page for the year counts its amount.
//!
//! Before the browser starts, the API sets up what the story takes as given: the institution and
//! the enterprise, each with a user.

use reqwest::{Method, StatusCode};

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::{ADMIN_PASSWORD, TestApp};

const INSTITUTION: &str = "market.uni";
const ENTERPRISE: &str = "market.firm";
/// What `TestApp::org_with_user` sets the first user's password to.
const INSTITUTION_PASSWORD: &str = "market.uni-secret-pw";
const ENTERPRISE_PASSWORD: &str = "market.firm-secret-pw";

const ACHIEVEMENT: &str = "碳化硅牵引变流器";
const NEED: &str = "城轨车辆牵引变流器碳化硅化改造";
const INTENT: &str = "我公司拟在新造城轨车辆上采用贵方碳化硅牵引变流器技术，希望以许可方式合作。";
const ANSWER: &str = "欢迎合作。我方可按普通许可授权，并派员协助装车调试，条款见下。";
/// The agreed terms, in thousand yuan.
const CONTRACT_K: &str = "1500";
const TECH_K: &str = "1200";
/// The same in 元, as the contract statistics show them.
const CONTRACT_YUAN: &str = "1,500,000.00";
const TECH_YUAN: &str = "1,200,000.00";

/// What the story starts from: the two organisations' names.
pub struct Setup {
    institution: String,
    enterprise: String,
}

/// The institution and the enterprise with their users (passwords as above), through the API.
pub async fn set_up(app: &TestApp) -> Setup {
    let (institution, _) = app.org_with_user("institution", INSTITUTION).await;
    let (enterprise, _) = app.org_with_user("enterprise", ENTERPRISE).await;
    Setup {
        institution: org_name(app, institution).await,
        enterprise: org_name(app, enterprise).await,
    }
}

async fn org_name(app: &TestApp, id: i64) -> String {
    let (status, org) = app
        .admin(Method::GET, &format!("/api/v1/organisations/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{org}");
    org["name"].as_str().expect("name").to_string()
}

pub async fn scenario(b: Browser, s: Setup) {
    let year = fruition_app::clock::this_year();

    // The institution writes its achievement and publishes it.
    sign_in(&b, INSTITUTION, INSTITUTION_PASSWORD).await;
    new_listing(&b, "achievement").await;
    b.fill("#f-title", ACHIEVEMENT).await;
    b.fill(
        "#f-summary",
        "碳化硅功率模块牵引变流器，已完成装车考核，开关损耗降低百分之四十，适用于地铁和城际动车组。",
    )
    .await;
    b.select("#f-field", "modern_transport").await;
    b.select("#f-chain", "rail_transit").await;
    b.select("#f-county", "430211").await;
    b.select("#f-trl", "7").await;
    b.click("input[name='modes'][value='licence']").await;
    b.fill("#f-price_k", "3000").await;
    b.fill("#f-inventors", "王建国\n李明").await;
    b.fill("#f-patents", "ZL201710601862.3").await;
    let achievement = save_draft(&b).await;
    assert_eq!(b.text("#listing-status").await, "草稿");
    publish(&b).await;
    sign_out(&b).await;

    // The enterprise posts its need and publishes it.
    sign_in(&b, ENTERPRISE, ENTERPRISE_PASSWORD).await;
    new_listing(&b, "need").await;
    b.fill("#f-title", NEED).await;
    b.fill(
        "#f-summary",
        "寻求碳化硅功率模块用于城轨车辆牵引变流器，降低开关损耗和牵引能耗。",
    )
    .await;
    b.fill(
        "#f-indicators",
        "牵引变流器效率提高两个百分点，装车考核不少于一年",
    )
    .await;
    b.select("#f-field", "modern_transport").await;
    b.select("#f-chain", "rail_transit").await;
    b.select("#f-county", "430211").await;
    b.select("#f-trl", "6").await;
    b.click("input[name='modes'][value='licence']").await;
    b.fill("#f-price_k", "2000").await;
    let deadline = format!("{}-06-30", year + 1);
    b.fill_date("#f-deadline", &deadline).await;
    let need = save_draft(&b).await;
    publish(&b).await;
    b.at(&format!("/market/listings/{need}")).await;

    // On the need's page the achievement is the first suggestion, with its reasons in words.
    let ours = format!("/market/listings/{achievement}");
    let first = b
        .find("#matches ol.suggestions > li.result h3 a")
        .await
        .attr("href")
        .await
        .expect("href");
    assert_eq!(
        first.as_deref(),
        Some(ours.as_str()),
        "the achievement is suggested first"
    );
    let reasons = b
        .texts_at(&format!(
            "//section[@id='matches']//li[.//h3/a[@href='{ours}']]//ul[contains(@class,'reasons')]/li"
        ))
        .await;
    assert!(
        reasons
            .first()
            .is_some_and(|r| r.starts_with("共同关键词：") && r.contains("牵引变流器")),
        "a shared key term first: {reasons:?}"
    );
    for reason in ["同属现代交通领域", "技术就绪水平7级，满足需求的≥6级"] {
        assert!(
            reasons.iter().any(|r| r == reason),
            "{reason:?} among the reasons: {reasons:?}"
        );
    }

    // It follows the suggestion and declares intent with a message.
    b.click(&format!("#matches a[href='{ours}']")).await;
    b.at(&ours).await;
    assert_eq!(b.text("main h1").await, ACHIEVEMENT);
    b.fill("#intent #f-message", INTENT).await;
    b.click("#declare-intent").await;
    let deal = b.arrived_at_id("/market/deals/").await;
    b.wait_text("main .notice", "已提交意向").await;
    assert_eq!(b.text("#deal-status").await, "洽谈中");
    assert_eq!(messages(&b).await, [INTENT]);
    sign_out(&b).await;

    // The institution finds the deal among its own, answers and proposes licence terms.
    sign_in(&b, INSTITUTION, INSTITUTION_PASSWORD).await;
    open_deal(&b, deal).await;
    let parties = b.texts_at("//main/dl[contains(@class,'summary')]/dd").await;
    assert_eq!(
        parties,
        [ACHIEVEMENT, s.institution.as_str(), s.enterprise.as_str()],
        "the listing, the seller and the buyer"
    );
    assert_eq!(messages(&b).await, [INTENT]);
    b.fill("#messages #f-message", ANSWER).await;
    b.click("#send-message").await;
    b.wait_text("main .notice", "留言已发送").await;
    b.select("#f-contract_type", "licence").await;
    b.fill("#f-contract_amount_k", CONTRACT_K).await;
    b.fill("#f-tech_amount_k", TECH_K).await;
    b.fill_date("#f-starts_on", &format!("{year}-07-01")).await;
    b.fill_date("#f-ends_on", &format!("{}-06-30", year + 3))
        .await;
    b.click("#propose-terms").await;
    b.wait_text("main .notice", "条款已提出").await;
    sign_out(&b).await;

    // The enterprise reads the answer and the terms, and accepts them.
    sign_in(&b, ENTERPRISE, ENTERPRISE_PASSWORD).await;
    open_deal(&b, deal).await;
    assert_eq!(messages(&b).await, [INTENT, ANSWER]);
    let period = format!("{year}-07-01 – {}-06-30", year + 3);
    assert_eq!(
        terms(&b).await,
        [
            ("合同类型", "技术许可"),
            ("合同金额（千元）", CONTRACT_K),
            ("技术交易额（千元）", TECH_K),
            ("合同期限", period.as_str()),
            ("状态", "等待你方接受"),
        ]
        .map(|(k, v)| (k.to_string(), v.to_string()))[..],
        "the proposal as the enterprise reads it"
    );
    b.click("#accept-terms").await;
    b.wait_text("main .notice", "条款已商定").await;
    assert_eq!(b.text("#deal-status").await, "条款已商定（待登记）");
    sign_out(&b).await;

    // The registrar registers the contract from the list awaiting registration.
    sign_in(&b, "admin", ADMIN_PASSWORD).await;
    b.nav_to("/market").await;
    b.at("/market").await;
    b.click("main a[href='/market/deals/registration']").await;
    b.at("/market/deals/registration").await;
    b.click(&format!("#deals a[href='/market/deals/{deal}']"))
        .await;
    b.at(&format!("/market/deals/{deal}")).await;
    b.click("#register-contract").await;
    b.wait_text("main .notice", "技术合同已登记").await;
    assert_eq!(b.text("#deal-status").await, "合同已登记");
    let number = format!("430200{year}000001");
    assert_eq!(b.text("#registration-no").await, number);

    // The statistics page for the year counts it.
    b.nav_to("/statistics").await;
    b.at("/statistics").await;
    b.select("#f-year", &year.to_string()).await;
    b.click("main form.filters button[type='submit']").await;
    b.wait_text("#contracts-total", "1").await;
    assert_eq!(b.text("#contracts-amount").await, CONTRACT_YUAN);
    assert_eq!(b.text("#contracts-tech-amount").await, TECH_YUAN);
    assert_eq!(
        b.texts_at(
            "//section[@id='contracts']//table[caption[normalize-space()='按技术领域']]/tbody/tr[th[normalize-space()='现代交通']]/td"
        )
        .await,
        ["1", CONTRACT_YUAN, TECH_YUAN],
        "the contract under its national technical field"
    );
    assert_eq!(
        b.texts_at(
            "//section[@id='contracts']//table[caption[normalize-space()='按产业链']]/tbody/tr[th[normalize-space()='轨道交通']]/td"
        )
        .await,
        ["1", CONTRACT_YUAN, TECH_YUAN],
        "and under its chain"
    );
}

/// From 科技要素大市场 in the navigation, 发布信息, then the kind.
async fn new_listing(b: &Browser, kind: &str) {
    b.nav_to("/market").await;
    b.at("/market").await;
    b.click("main a[href='/market/new']").await;
    b.at("/market/new").await;
    b.click(&format!("main a[href='/market/new?kind={kind}']"))
        .await;
    b.find(&format!("main form input[name='kind'][value='{kind}']"))
        .await;
}

/// Saves the form as a draft and returns the new listing's id.
async fn save_draft(b: &Browser) -> i64 {
    b.click("main form[action='/market/new'] button[type='submit']")
        .await;
    let id = b.arrived_at_id("/market/listings/").await;
    b.wait_text("main .notice", "已创建").await;
    id
}

async fn publish(b: &Browser) {
    b.click("#publish").await;
    b.wait_text("main .notice", "已发布").await;
    assert_eq!(b.text("#listing-status").await, "已发布");
}

/// From 科技要素大市场 in the navigation, 我的洽谈, then the deal.
async fn open_deal(b: &Browser, deal: i64) {
    b.nav_to("/market").await;
    b.at("/market").await;
    b.click("main a[href='/market/deals']").await;
    b.at("/market/deals").await;
    b.click(&format!("#deals a[href='/market/deals/{deal}']"))
        .await;
    b.at(&format!("/market/deals/{deal}")).await;
}

/// The deal's messages, oldest first.
async fn messages(b: &Browser) -> Vec<String> {
    b.texts_at(
        "//section[@id='messages']/ol[contains(@class,'messages')]/li/p[contains(@class,'prose')]",
    )
    .await
}

/// The latest proposal's terms but who proposed them, as (label, value).
async fn terms(b: &Browser) -> Vec<(String, String)> {
    let labels = b.texts_at("//dl[@id='latest-terms']/dt").await;
    let values = b.texts_at("//dl[@id='latest-terms']/dd").await;
    labels.into_iter().zip(values).skip(1).collect()
}
