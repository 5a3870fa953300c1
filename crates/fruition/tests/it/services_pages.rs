//! One-stop services through the pages: the navigation's 服务; an agency offers a service by
//! its form (problems beside their fields, nothing written); the catalogue's filters; an
//! enterprise asks on the service's page; the agency's queue shows it (and flags an overdue
//! one); accepting, a decline without its reason refused beside the field, the steps, completing
//! with the charge; the enterprise rates; the request list's workbook keeps its filters; the
//! statistics page; another enterprise is told the request does not exist.

use reqwest::StatusCode;

use crate::pages::sign_in;
use crate::registry_pages::{get, id_in, submit};
use crate::support::{TestApp, on_both};

async fn service_pages(app: TestApp) {
    let (_, _) = app.org_with_user("service_agency", "sp.agency").await;
    let (_, _) = app.org_with_user("enterprise", "sp.firm").await;
    let (_, _) = app.org_with_user("enterprise", "sp.rival").await;
    let agency = sign_in(&app, "sp.agency", "sp.agency-secret-pw").await;
    let firm = sign_in(&app, "sp.firm", "sp.firm-secret-pw").await;
    let rival = sign_in(&app, "sp.rival", "sp.rival-secret-pw").await;
    let bureau = sign_in(&app, "admin", crate::support::ADMIN_PASSWORD).await;

    // 服务 is in everyone's navigation; the agency reaches 我的服务, the firm does not.
    let home = get(&app, &firm, "/services").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.html.contains("href=\"/services\""), "{}", home.html);
    assert!(!home.html.contains("nav-my-services"));
    let mine = get(&app, &agency, "/services/mine").await;
    assert!(mine.html.contains("nav-my-services"));
    assert_eq!(
        get(&app, &firm, "/services/new").await.status,
        StatusCode::FORBIDDEN
    );

    // A form with problems comes back with them beside their fields, nothing written.
    let bad = submit(
        &app,
        &agency,
        "/services/new",
        "/services",
        &[
            ("category", ""),
            ("title", "x"),
            ("description", "太短"),
            ("audience", "anyone"),
            ("response_time", "0"),
            ("response_unit", "days"),
            ("price", "abc"),
        ],
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.html);
    for field in ["category", "title", "description", "response_time", "price"] {
        assert!(
            bad.html.contains(&format!("id=\"f-{field}-error\"")),
            "{field}: {}",
            bad.html
        );
    }
    assert!(
        get(&app, &agency, "/services/mine")
            .await
            .html
            .contains("尚未发布服务")
    );

    let created = submit(
        &app,
        &agency,
        "/services/new",
        "/services",
        &[
            ("category", "accounting"),
            ("title", "小微企业代理记账"),
            (
                "description",
                "为初创企业提供建账、记账、纳税申报一条龙服务，按月出具财务报表。",
            ),
            ("audience", "anyone"),
            ("materials", "营业执照复印件\n银行开户许可证"),
            ("steps", "签订委托协议\n建账\n首月申报"),
            ("response_time", "8"),
            ("response_unit", "hours"),
            ("price", "1800"),
            ("voucher_payable", "true"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let service = id_in(&created.location);
    let page = get(&app, &agency, &created.location).await;
    assert!(page.html.contains("服务已发布"));
    assert!(page.html.contains("1,800.00 元"), "{}", page.html);
    assert!(page.html.contains("<li>建账</li>"));
    assert!(page.html.contains("8 小时"));

    // The catalogue's filters: not among the free ones, found by its words.
    let free = get(&app, &firm, "/services?free=true").await;
    assert!(!free.html.contains("小微企业代理记账"));
    let found = get(
        &app,
        &firm,
        "/services?q=%E8%AE%B0%E8%B4%A6&category=accounting",
    )
    .await;
    assert!(found.html.contains("小微企业代理记账"), "{}", found.html);

    // The firm asks on the service's page; a need too short comes back beside its field.
    let path = format!("/services/{service}");
    let short = submit(
        &app,
        &firm,
        &path,
        "/services/requests",
        &[("service_id", &service.to_string()), ("need", "帮")],
    )
    .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.html.contains("id=\"f-need-error\""), "{}", short.html);
    let asked = submit(
        &app,
        &firm,
        &path,
        "/services/requests",
        &[
            ("service_id", &service.to_string()),
            ("need", "公司刚成立，需要从本月开始代理记账和纳税申报。"),
        ],
    )
    .await;
    assert_eq!(asked.status, StatusCode::SEE_OTHER, "{}", asked.html);
    let request = id_in(&asked.location);
    let rpath = format!("/services/requests/{request}");
    assert!(
        get(&app, &firm, &asked.location)
            .await
            .html
            .contains("申请已提交")
    );

    // The agency's queue shows it; another enterprise is told it does not exist.
    let queue = get(&app, &agency, "/services/requests").await;
    assert!(
        queue.html.contains(&format!("id=\"request-{request}\"")),
        "{}",
        queue.html
    );
    assert_eq!(
        get(&app, &rival, &rpath).await.status,
        StatusCode::NOT_FOUND
    );

    // A decline without its reason is refused beside the field; then accepted, steps, completed.
    let refused = submit(
        &app,
        &agency,
        &rpath,
        &format!("{rpath}/actions"),
        &[("step", "decline"), ("reason", "")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"f-decline_reason-error\""),
        "{}",
        refused.html
    );
    let ok = submit(
        &app,
        &agency,
        &rpath,
        &format!("{rpath}/actions"),
        &[("step", "accept")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    for p in ["1", "2", "3"] {
        let ok = submit(
            &app,
            &agency,
            &rpath,
            &format!("{rpath}/actions"),
            &[("step", "record"), ("position", p), ("note", "已完成")],
        )
        .await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    }
    let page = get(&app, &agency, &rpath).await;
    assert!(page.html.contains("办理中"));
    assert!(
        page.html.contains("value=\"1800.00\""),
        "the price as the default charge: {}",
        page.html
    );
    let ok = submit(
        &app,
        &agency,
        &rpath,
        &format!("{rpath}/actions"),
        &[("step", "complete"), ("charge", "1800")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);

    // The firm rates, once.
    let page = get(&app, &firm, &rpath).await;
    assert!(page.html.contains("id=\"form-rate\""));
    let ok = submit(
        &app,
        &firm,
        &rpath,
        &format!("{rpath}/actions"),
        &[("step", "rate"), ("stars", "4"), ("note", "记账及时")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    let page = get(&app, &firm, &rpath).await;
    assert!(page.html.contains("4 ★ 记账及时"), "{}", page.html);
    assert!(!page.html.contains("id=\"form-rate\""));
    assert!(page.html.contains("1,800.00 元"));

    // The workbook keeps the list's filters.
    let list = get(
        &app,
        &bureau,
        "/services/requests?role=all&status=completed",
    )
    .await;
    let unescaped = list.html.replace("&#38;", "&").replace("&amp;", "&");
    assert!(
        unescaped.contains("/services/requests/export.xlsx?role=all&status=completed"),
        "{}",
        list.html
    );
    let res = bureau
        .get(app.url("/services/requests/export.xlsx?role=all&status=completed"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = res.bytes().await.expect("bytes");
    assert_eq!(&bytes[..2], b"PK");

    // The figures: the agency's row on its statistics page and the bureau's.
    let stats = get(&app, &agency, "/services/statistics").await;
    assert!(
        stats.html.contains("小微")
            || stats.html.contains("sp.agency")
            || stats.html.contains("provider-"),
        "{}",
        stats.html
    );
    assert!(
        stats.html.contains("100.00%"),
        "accepted 1 of 1: {}",
        stats.html
    );
    let all = get(&app, &bureau, "/services/statistics").await;
    assert!(all.html.contains("statistics-rows"));

    // The bureau deactivates the service: the firm no longer finds it.
    let ok = submit(
        &app,
        &bureau,
        &path,
        &format!("{path}/active"),
        &[("active", "false")],
    )
    .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.html);
    assert!(
        !get(&app, &firm, "/services")
            .await
            .html
            .contains("小微企业代理记账")
    );
    assert_eq!(get(&app, &firm, &path).await.status, StatusCode::NOT_FOUND);
}

on_both!(service_pages);
