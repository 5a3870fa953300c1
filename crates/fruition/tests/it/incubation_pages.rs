//! The mentor and campaign pages used as a browser would (cookies, form tokens, redirects, no
//! JavaScript): a carrier manager reaches them from the main navigation, registers a mentor
//! (a bad phone comes back in Chinese beside the field and stores nothing), pairs the mentor
//! with an incubatee, records a session and sees the hours; the enterprise sees its mentor but
//! no forms; the bureau opens a campaign from its page; the carrier collects a need there
//! (a need outside the campaign's chains comes back beside the field) and the coverage counts it;
//! an enterprise is refused the campaigns.

use reqwest::StatusCode;

use crate::campaigns::{carrier, firm_with_org};
use crate::pages::sign_in;
use crate::registry_pages::{get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

async fn mentors_and_campaigns_through_the_pages(app: TestApp) {
    let (_, _, carrier_a) = carrier(&app, "pages.carrier", "页面导师孵化器").await;
    let (_, _, firm_id) = firm_with_org(&app, carrier_a, "pages.firm").await;
    let _ = firm_id;
    let manager = sign_in(&app, "pages.carrier", "pages.carrier-secret-pw").await;

    let home = get(&app, &manager, "/").await;
    assert!(
        home.html.contains("href=\"/mentors\""),
        "the navigation leads to mentors"
    );

    // A bad phone comes back beside the field, nothing stored.
    let a = submit(
        &app,
        &manager,
        "/mentors",
        "/mentors",
        &[
            ("name", "周敏"),
            ("expertise", "知识产权布局与专利申请"),
            ("phone", "12345"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.html);
    assert!(a.html.contains("f-phone-error"), "{}", a.html);
    assert!(a.html.contains("周敏"), "what was typed stays");
    let list = app
        .expect(
            &app.admin_token,
            reqwest::Method::GET,
            "/mentors?q=周敏",
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(list.as_array().map(Vec::len), Some(0));

    let a = submit(
        &app,
        &manager,
        "/mentors",
        "/mentors",
        &[
            ("name", "周敏"),
            ("title", "高级知识产权师"),
            ("employer", "株洲智桥知识产权代理有限公司"),
            ("expertise", "知识产权布局与专利申请"),
            ("field", "rail_transit"),
            ("phone", "13907331234"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    let mentor = id_in(&a.location);
    let page = get(&app, &manager, &a.location).await;
    assert!(page.html.contains("导师已登记"), "the notice shows");
    assert!(
        page.html.contains("13907331234"),
        "the keeping carrier sees the phone"
    );

    // Pair with the incubatee, then record a session of 90 minutes.
    let a = submit(
        &app,
        &manager,
        &format!("/mentors/{mentor}"),
        &format!("/mentors/{mentor}/mentorships"),
        &[
            ("enterprise_id", &firm_id.to_string()),
            ("started_on", "2024-03-01"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    let relationship = id_in(&a.location);
    let a = submit(
        &app,
        &manager,
        &format!("/mentorships/{relationship}"),
        &format!("/mentorships/{relationship}/sessions"),
        &[
            ("held_on", "2024-04-10"),
            ("duration", "两个钟头"),
            ("topic", "专利挖掘"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.html.contains("f-duration-error"), "{}", a.html);
    let a = submit(
        &app,
        &manager,
        &format!("/mentorships/{relationship}"),
        &format!("/mentorships/{relationship}/sessions"),
        &[
            ("held_on", "2024-04-10"),
            ("duration", "90分钟"),
            ("topic", "专利挖掘与布局"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    let page = get(&app, &manager, &format!("/mentorships/{relationship}")).await;
    assert!(
        page.html.contains("id=\"mentorship-hours\">1.5<"),
        "{}",
        page.html
    );
    assert!(page.html.contains("专利挖掘与布局"));

    // The enterprise sees its mentor's relationship, without forms or the phone.
    let firm = sign_in(&app, "pages.firm", "pages.firm-secret-pw").await;
    let page = get(&app, &firm, &format!("/mentorships/{relationship}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.html.contains("session-form"));
    let page = get(&app, &firm, &format!("/mentors/{mentor}")).await;
    assert!(
        !page.html.contains("13907331234"),
        "contact details are the carrier's"
    );
    assert!(
        !page.html.contains("/campaigns\""),
        "an enterprise has no campaigns tab"
    );
    assert_eq!(
        get(&app, &firm, "/campaigns").await.status,
        StatusCode::FORBIDDEN
    );

    // The bureau opens a campaign from its page; the carrier collects a need there.
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let deadline = fruition_domain::date::IsoDate::parse(&fruition_app::clock::today())
        .expect("today")
        .plus_days(20)
        .to_string();
    let a = submit(
        &app,
        &admin,
        "/campaigns",
        "/campaigns",
        &[
            ("title", "轨道交通企业技术需求征集"),
            ("theme", "请各载体走访在孵企业"),
            ("deadline", &deadline),
            ("chains", "rail_transit"),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    let campaign = id_in(&a.location);
    let firm_choice = format!("{carrier_a}:{firm_id}");
    let a = submit(
        &app,
        &manager,
        &format!("/campaigns/{campaign}"),
        &format!("/campaigns/{campaign}/needs"),
        &[
            ("firm", &firm_choice),
            ("title", "转向架轴承故障在线监测"),
            (
                "summary",
                "需要对转向架轴承温度与振动进行在线监测并提前预警",
            ),
            ("field", "new_materials"),
            ("chain", "new_materials"),
            ("indicators", "温升预警提前量不少于30分钟"),
            ("deadline", &deadline),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.html);
    assert!(a.html.contains("f-chain-error"), "{}", a.html);
    let a = submit(
        &app,
        &manager,
        &format!("/campaigns/{campaign}"),
        &format!("/campaigns/{campaign}/needs"),
        &[
            ("firm", &firm_choice),
            ("title", "转向架轴承故障在线监测"),
            (
                "summary",
                "需要对转向架轴承温度与振动进行在线监测并提前预警",
            ),
            ("field", "modern_transport"),
            ("chain", "rail_transit"),
            ("indicators", "温升预警提前量不少于30分钟"),
            ("budget", "50"),
            ("deadline", &deadline),
        ],
    )
    .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.html);
    let page = get(&app, &admin, &format!("/campaigns/{campaign}")).await;
    assert!(
        page.html.contains("转向架轴承故障在线监测"),
        "{}",
        page.html
    );
    assert!(page.html.contains("页面导师孵化器"));
    // The need is in the market with its budget in 万元 kept as 千元.
    let found = app
        .expect(
            "",
            reqwest::Method::GET,
            "/listings?kind=need&q=%E8%BD%AC%E5%90%91%E6%9E%B6%E8%BD%B4%E6%89%BF",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(found.to_string().contains("\"price_k\":500"), "{found}");
}

on_both!(mentors_and_campaigns_through_the_pages);
