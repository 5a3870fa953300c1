//! The registry's pages used as a browser would (cookies, form tokens, redirects, no JavaScript):
//! the bureau registers and rates a carrier; its manager registers an incubatee, fills and submits
//! the yearly report; the bureau returns it with a comment, then approves it; someone else's
//! enterprise user is kept out.

use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::pages::{form_token, sign_in};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both, test_uscc};

/// What a browser gets back from a request: status, redirect target, page.
pub struct Answer {
    pub status: StatusCode,
    pub location: String,
    pub html: String,
}

pub async fn get(app: &TestApp, browser: &reqwest::Client, path: &str) -> Answer {
    let res = browser.get(app.url(path)).send().await.expect("get");
    answer(res).await
}

pub async fn answer(res: reqwest::Response) -> Answer {
    let status = res.status();
    let location = res
        .headers()
        .get(LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let html = res.text().await.expect("body");
    Answer {
        status,
        location,
        html,
    }
}

/// Opens the page holding a form, then posts the form with the page's token.
pub async fn submit(
    app: &TestApp,
    browser: &reqwest::Client,
    page: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let form_page = get(app, browser, page).await;
    assert_eq!(
        form_page.status,
        StatusCode::OK,
        "{page}: {}",
        form_page.html
    );
    let token = form_token(&form_page.html);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    all.push(("csrf_token", &token));
    let res = browser
        .post(app.url(action))
        .form(&all)
        .send()
        .await
        .expect("post");
    answer(res).await
}

/// The id at the end of a redirect's path (`/carriers/7?done=created` → 7).
pub fn id_in(location: &str) -> i64 {
    location
        .split('?')
        .next()
        .and_then(|p| p.rsplit('/').next())
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no id in {location:?}"))
}

/// The indicator form's fields, with `doctors` set.
fn indicators(doctors: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("employees", "10"),
        ("doctors", doctors),
        ("returnees", "1"),
        ("fresh_graduates", "2"),
        ("high_level_talent", "1"),
        ("revenue_k", "8000"),
        ("rd_spending_k", "1200"),
        ("taxes_k", "300"),
        ("funding_raised_k", "0"),
        ("patent_applications", "4"),
        ("invention_applications", "2"),
        ("patent_grants", "1"),
        ("invention_grants", "0"),
        ("valid_ip", "6"),
        ("software_copyrights", "3"),
        ("tech_contracts", "1"),
        ("tech_contract_amount_k", "500"),
    ]
}

async fn carrier_to_approved_report(app: TestApp) {
    let (operator_id, _) = app.org_with_user("carrier_operator", "manager1").await;
    let operator = operator_id.to_string();
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;

    // Every signed-in user has 载体 in the navigation; the bureau also 企业 and 年报.
    let home = get(&app, &bureau, "/carriers").await;
    for link in [
        "href=\"/carriers\"",
        "href=\"/enterprises\"",
        "href=\"/reports\"",
    ] {
        assert!(
            home.html.contains(link),
            "{link} in the bureau's navigation"
        );
    }
    assert!(home.html.contains("aria-current=\"page\""));

    // A zone outside the chosen county: the form comes back with the error summary, the message
    // beside the field and the values kept.
    let mut carrier = vec![
        ("name", "动力谷创新创业孵化器"),
        ("kind", "incubator"),
        ("operator_org_id", operator.as_str()),
        ("county", "430202"),
        ("zone", "zz_hitech"),
        ("address", "株洲市天元区黄河南路 1 号"),
        ("floor_area_m2", "20000"),
        ("focus_chains", "rail_transit"),
        ("focus_chains", "new_materials"),
        ("established_year", "2015"),
    ];
    let refused = submit(&app, &bureau, "/carriers/new", "/carriers/new", &carrier).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.html.contains("class=\"error-summary\""));
    assert!(
        refused.html.contains("href=\"#f-zone\""),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("id=\"f-zone-error\""));
    assert!(refused.html.contains("与所选区县不符"));
    assert!(
        refused.html.contains("value=\"动力谷创新创业孵化器\""),
        "the name is kept"
    );

    // In 天元区 it is registered; then rated national.
    carrier[3] = ("county", "430211");
    let created = submit(&app, &bureau, "/carriers/new", "/carriers/new", &carrier).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let carrier_id = id_in(&created.location);
    let carrier_page = format!("/carriers/{carrier_id}");
    let rated = submit(
        &app,
        &bureau,
        &carrier_page,
        &format!("/carriers/{carrier_id}/ratings"),
        &[
            ("level", "national"),
            ("year_granted", "2019"),
            ("granting_body", "科学技术部"),
            ("document_no", "国科发区〔2019〕1号"),
        ],
    )
    .await;
    assert_eq!(rated.status, StatusCode::SEE_OTHER, "{}", rated.html);
    let page = get(&app, &bureau, &rated.location).await;
    for text in [
        "认定已记录",
        "国家级",
        "株洲国家高新区",
        "科学技术部",
        "轨道交通",
    ] {
        assert!(page.html.contains(text), "{text} on the carrier's page");
    }
    let list = get(&app, &bureau, "/carriers?level=national&zone=zz_hitech").await;
    assert!(list.html.contains("动力谷创新创业孵化器") && list.html.contains("国家级"));
    let none = get(&app, &bureau, "/carriers?level=municipal").await;
    assert!(!none.html.contains("动力谷创新创业孵化器"));

    // The carrier's manager registers an incubatee into their carrier.
    let manager = sign_in(&app, "manager1", "manager1-secret-pw").await;
    let carrier_field = carrier_id.to_string();
    let code = test_uscc(424_242);
    let registered = submit(
        &app,
        &manager,
        "/enterprises/new",
        "/enterprises/new",
        &[
            ("uscc", code.as_str()),
            ("name", "株洲动力测试科技有限公司"),
            ("founded_on", "2022-03-01"),
            ("county", "430211"),
            ("zone", "zz_hitech"),
            ("chain", "rail_transit"),
            ("industry_division", "37"),
            ("high_tech", "true"),
            ("carrier_id", carrier_field.as_str()),
            ("entered_on", "2023-05-01"),
        ],
    )
    .await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.html
    );
    let enterprise_id = id_in(&registered.location);
    let enterprise_page = format!("/enterprises/{enterprise_id}");
    let page = get(&app, &manager, &registered.location).await;
    assert_eq!(page.status, StatusCode::OK);
    for text in [
        "株洲动力测试科技有限公司",
        "动力谷创新创业孵化器",
        "2023-05-01",
        "在孵",
    ] {
        assert!(page.html.contains(text), "{text} on the enterprise's page");
    }

    // The manager opens the 2024 report from the list of their carriers.
    let reports = get(&app, &manager, "/reports?year=2024").await;
    assert!(reports.html.contains("动力谷创新创业孵化器") && reports.html.contains("开始填报"));
    assert!(reports.html.contains("只有科技局审核通过的年报计入统计"));
    let opened = submit(
        &app,
        &manager,
        "/reports?year=2024",
        &format!("/carriers/{carrier_id}/reports"),
        &[("year", "2024")],
    )
    .await;
    assert_eq!(opened.status, StatusCode::SEE_OTHER, "{}", opened.html);
    let report_page = opened.location.clone();
    let report_id = id_in(&report_page);
    let page = get(&app, &manager, &report_page).await;
    assert!(page.html.contains("草稿") && page.html.contains("缺少指标"));
    assert!(page.html.contains("不计入统计"));

    // Submitting now is refused, listing what is missing.
    let early = submit(
        &app,
        &manager,
        &report_page,
        &format!("/reports/{report_id}/submission"),
        &[],
    )
    .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.html.contains("class=\"error-summary\""));
    assert!(early.html.contains("请填写管理机构从业人员"));
    assert!(early.html.contains("缺少2024年度指标"));

    // The carrier's own figures, then the incubatee's indicators.
    let saved = submit(
        &app,
        &manager,
        &report_page,
        &format!("/reports/{report_id}/figures"),
        &[
            ("staff", "12"),
            ("mentors", "5"),
            ("floor_area_m2", "20000"),
            ("incubation_fund_k", "3000"),
            ("events_held", "24"),
            ("graduated_in_year", "1"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.html);
    let form = format!("/reports/{report_id}/indicators/{enterprise_id}");
    let impossible = submit(&app, &manager, &form, &form, &indicators("12")).await;
    assert_eq!(impossible.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        impossible.html.contains("href=\"#f-doctors\""),
        "{}",
        impossible.html
    );
    assert!(impossible.html.contains("id=\"f-doctors-error\""));
    assert!(
        impossible
            .html
            .contains("博士人数（12）不能多于从业人员（10）")
    );
    assert!(
        impossible.html.contains("value=\"12\""),
        "the figure is kept"
    );
    let filled = submit(&app, &manager, &form, &form, &indicators("2")).await;
    assert_eq!(filled.status, StatusCode::SEE_OTHER, "{}", filled.html);
    let page = get(&app, &manager, &report_page).await;
    assert!(!page.html.contains("缺少指标"));
    assert!(
        page.html.contains(">8000<"),
        "the revenue in the incubatees' table"
    );

    let submitted = submit(
        &app,
        &manager,
        &report_page,
        &format!("/reports/{report_id}/submission"),
        &[],
    )
    .await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.html
    );
    let page = get(&app, &manager, &report_page).await;
    assert!(page.html.contains("已提交"));
    assert!(
        !page
            .html
            .contains(&format!("/reports/{report_id}/submission\"")),
        "no submit button once submitted"
    );

    // The bureau sees it among the year's reports and the carrier among the late ones.
    let year = get(&app, &bureau, "/reports?year=2024").await;
    assert!(
        year.html
            .contains(&format!("href=\"/reports/{report_id}\""))
    );
    assert!(year.html.contains("已提交") && year.html.contains("未完成年报的载体"));

    // Returning needs a comment; with one, the carrier sees it.
    let review = format!("/reports/{report_id}/review");
    let bare = submit(
        &app,
        &bureau,
        &report_page,
        &review,
        &[("action", "return")],
    )
    .await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bare.html.contains("href=\"#f-comment\"") && bare.html.contains("退回须填写意见"));
    let returned = submit(
        &app,
        &bureau,
        &report_page,
        &review,
        &[
            ("action", "return"),
            ("comment", "请核对研发投入和技术合同数据"),
        ],
    )
    .await;
    assert_eq!(returned.status, StatusCode::SEE_OTHER, "{}", returned.html);
    let page = get(&app, &manager, &report_page).await;
    assert!(page.html.contains("已退回"));
    assert!(page.html.contains("请核对研发投入和技术合同数据"));
    assert!(
        !page.html.contains("name=\"action\" value=\"approve\""),
        "only the bureau reviews"
    );

    // Resubmitted, then approved: it counts.
    let again = submit(
        &app,
        &manager,
        &report_page,
        &format!("/reports/{report_id}/submission"),
        &[],
    )
    .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.html);
    let approved = submit(
        &app,
        &bureau,
        &report_page,
        &review,
        &[("action", "approve")],
    )
    .await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.html);
    let page = get(&app, &bureau, &report_page).await;
    assert!(page.html.contains("已通过") && page.html.contains("计入统计"));
    for step in ["提交", "退回", "通过"] {
        assert!(page.html.contains(step), "{step} in the review history");
    }
    let year = get(&app, &bureau, "/reports?year=2024").await;
    assert!(year.html.contains("所有载体的年报均已通过"));
    let page = get(&app, &manager, &report_page).await;
    assert!(page.html.contains("已通过"));

    // Another organisation's enterprise user: neither the report nor the enterprise.
    app.org_with_user("enterprise", "outsider").await;
    let outsider = sign_in(&app, "outsider", "outsider-secret-pw").await;
    let nav = get(&app, &outsider, "/carriers").await;
    assert!(
        !nav.html.contains("href=\"/reports\""),
        "no 年报 for an enterprise user"
    );
    assert_eq!(
        get(&app, &outsider, &report_page).await.status,
        StatusCode::FORBIDDEN
    );
    let refused = get(&app, &outsider, &enterprise_page).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.html.contains("无权访问"));
    assert_eq!(
        get(&app, &outsider, "/carriers/new").await.status,
        StatusCode::FORBIDDEN
    );
}

on_both!(carrier_to_approved_report);
