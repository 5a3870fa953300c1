//! The alliance pages used as a browser would (cookies, form tokens, redirects, no JavaScript):
//! "联盟" is in every signed-in user's navigation; the chair posts a notice through the form (an
//! empty title comes back beside the field), members read it and an enterprise is told notices
//! are for members; the chair plans an event (a capacity that is not a number comes back beside
//! the field), an enterprise user registers and sees the check-in code, the organiser checks the
//! code in once (the second time is refused beside the field) and sees the attendance; the
//! calendar file and the workbooks of events and training download.

use fruition_sheets::read_table;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::pages::sign_in;
use crate::registry_pages::{get, id_in, submit};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

async fn carrier(app: &TestApp, operator: i64, name: &str) -> i64 {
    app.expect(
        &app.admin_token,
        Method::POST,
        "/carriers",
        Some(json!({
            "name": name, "kind": "incubator", "operator_org_id": operator, "county": "天元区",
            "established_year": 2015, "floor_area_m2": 10000
        })),
        StatusCode::CREATED,
    )
    .await["id"]
        .as_i64()
        .expect("carrier id")
}

async fn workbook_rows(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
) -> fruition_sheets::Table {
    let res = browser.get(app.url(path)).send().await.expect("export");
    assert_eq!(res.status(), StatusCode::OK, "{path}");
    assert_eq!(
        res.headers()["content-type"],
        fruition_web::download::XLSX,
        "{path}"
    );
    read_table(&res.bytes().await.expect("bytes"), "x.xlsx").expect("reads")
}

async fn alliance_pages(app: TestApp) {
    let (op1, _) = app.org_with_user("carrier_operator", "ap.chair").await;
    let (op2, _) = app.org_with_user("carrier_operator", "ap.member").await;
    let (_, _) = app.org_with_user("enterprise", "ap.firm").await;
    let chair_carrier = carrier(&app, op1, "株洲联盟理事长孵化器").await;
    let member_carrier = carrier(&app, op2, "株洲联盟成员众创空间").await;
    for (c, role) in [(chair_carrier, "chair"), (member_carrier, "member")] {
        app.expect(
            &app.admin_token,
            Method::POST,
            "/alliance/members",
            Some(json!({"carrier_id": c, "role": role})),
            StatusCode::CREATED,
        )
        .await;
    }
    let chair = sign_in(&app, "ap.chair", "ap.chair-secret-pw").await;
    let member = sign_in(&app, "ap.member", "ap.member-secret-pw").await;
    let firm = sign_in(&app, "ap.firm", "ap.firm-secret-pw").await;
    let bureau = sign_in(&app, "admin", ADMIN_PASSWORD).await;

    // "联盟" is in every signed-in user's navigation.
    for who in [&chair, &member, &firm, &bureau] {
        let home = get(&app, who, "/").await;
        assert!(
            home.html.contains("<a href=\"/alliance\">联盟</a>"),
            "{}",
            home.html
        );
    }
    // The chair posts a notice: an empty title comes back beside the field.
    let refused = submit(
        &app,
        &chair,
        "/alliance",
        "/alliance/notices",
        &[("title", " "), ("body", "正文")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.html.contains("id=\"f-title-error\">标题必填"),
        "{}",
        refused.html
    );
    // What was typed stays in the form.
    assert!(
        refused.html.contains(">正文</textarea>"),
        "{}",
        refused.html
    );
    let done = submit(
        &app,
        &chair,
        "/alliance",
        "/alliance/notices",
        &[
            ("title", "关于开展2024年度联盟交流调研的通知"),
            ("body", "请各成员单位做好接待准备。"),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = get(&app, &member, "/alliance").await;
    assert!(
        page.html.contains("关于开展2024年度联盟交流调研的通知"),
        "{}",
        page.html
    );
    assert!(page.html.contains("理事长单位"));
    assert!(
        !page.html.contains("id=\"notice-form\""),
        "only the chair posts"
    );
    let page = get(&app, &firm, "/alliance").await;
    assert!(
        page.html.contains("联盟通知仅成员单位和科技局可见"),
        "{}",
        page.html
    );
    assert!(!page.html.contains("关于开展2024年度联盟交流调研的通知"));

    // The chair plans an event: a capacity that is not a number comes back beside the field.
    let event = [
        ("carrier_id", chair_carrier.to_string()),
        ("kind", "salon".to_string()),
        ("title", "创新创业沙龙：新材料专场".to_string()),
        ("place", "株洲市天元区创新大厦三楼".to_string()),
        ("starts_at", "2030-06-18T14:30".to_string()),
        ("ends_at", "2030-06-18T17:00".to_string()),
        ("register_by", "".to_string()),
        ("capacity", "三十".to_string()),
        ("description", "".to_string()),
    ];
    let fields: Vec<(&str, &str)> = event.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = submit(
        &app,
        &chair,
        "/alliance/events",
        "/alliance/events",
        &fields,
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused
            .html
            .contains("id=\"f-capacity-error\">人数上限应为"),
        "{}",
        refused.html
    );
    // Every value typed comes back, the wrong one included, and the kind stays chosen.
    for typed in [
        "value=\"创新创业沙龙：新材料专场\"",
        "value=\"株洲市天元区创新大厦三楼\"",
        "value=\"2030-06-18T14:30\"",
        "value=\"三十\"",
        "value=\"salon\" selected",
    ] {
        assert!(refused.html.contains(typed), "{typed}: {}", refused.html);
    }
    let mut fields = fields;
    fields[7] = ("capacity", "30");
    let created = submit(
        &app,
        &chair,
        "/alliance/events",
        "/alliance/events",
        &fields,
    )
    .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.html);
    let id = id_in(&created.location);
    let path = format!("/alliance/events/{id}");
    let page = get(&app, &chair, &path).await;
    assert!(
        page.html.contains("2030-06-18 14:30"),
        "China time shown: {}",
        page.html
    );
    assert!(page.html.contains("id=\"check-in-form\""));

    // The enterprise user registers and sees the code; nobody else sees the organiser's desk.
    let page = get(&app, &firm, &path).await;
    assert!(!page.html.contains("id=\"check-in-form\""));
    let registered = submit(&app, &firm, &path, &format!("{path}/registration"), &[]).await;
    assert_eq!(
        registered.status,
        StatusCode::SEE_OTHER,
        "{}",
        registered.html
    );
    let page = get(&app, &firm, &path).await;
    let marker = "letter-spacing:.2em\">";
    let start = page.html.find(marker).expect("the code on the page") + marker.len();
    let code: String = page.html[start..].chars().take(11).collect();
    assert_eq!(code.chars().nth(5), Some('-'), "{code}");
    // The organiser checks the code in once.
    let done = submit(
        &app,
        &chair,
        &path,
        &format!("{path}/check-ins"),
        &[("code", &code)],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = get(&app, &chair, &format!("{path}?done=alliance_checked_in")).await;
    assert!(page.html.contains("签到成功"), "{}", page.html);
    assert!(
        page.html.contains("id=\"attendance-rows\""),
        "{}",
        page.html
    );
    let again = submit(
        &app,
        &chair,
        &path,
        &format!("{path}/check-ins"),
        &[("code", &code)],
    )
    .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert!(
        again.html.contains("id=\"f-code-error\">该签到码已于"),
        "{}",
        again.html
    );
    // The calendar file.
    let res = firm
        .get(app.url(&format!("{path}/calendar.ics")))
        .send()
        .await
        .expect("ics");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .expect("text")
            .contains("SUMMARY:创新创业沙龙：新材料专场")
    );
    // The year's events as a workbook, with the attendance.
    let table = workbook_rows(&app, &chair, "/alliance/events/export.xlsx?year=2030").await;
    let text = format!("{:?}", table.rows);
    assert!(text.contains("创新创业沙龙：新材料专场"), "{text}");

    // Training: the bureau records a course, the chair its staff's attendance.
    let done = submit(
        &app,
        &bureau,
        "/alliance/training",
        "/alliance/training/courses",
        &[
            ("course_title", "技术经纪人能力提升培训"),
            ("provider", "湖南省技术市场协会"),
            ("course_hours", "16"),
            ("held_on", "2024-05-10"),
            ("audience", ""),
            ("event_id", ""),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let course = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/alliance/training?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let course_id = course["courses"][0]["id"]
        .as_i64()
        .expect("course")
        .to_string();
    let done = submit(
        &app,
        &chair,
        "/alliance/training?year=2024",
        "/alliance/training/records",
        &[
            ("course_id", &course_id),
            ("person_name", "周婷"),
            ("carrier_id", &chair_carrier.to_string()),
            ("record_hours", ""),
        ],
    )
    .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.html);
    let page = get(&app, &chair, "/alliance/training?year=2024").await;
    assert!(page.html.contains("周婷"), "{}", page.html);
    let table = workbook_rows(&app, &chair, "/alliance/training/export.xlsx?year=2024").await;
    assert!(format!("{:?}", table.rows).contains("周婷"));
    // The statistics page and the annual report page count the year's training.
    for page in ["/statistics?year=2024", "/annual-report?year=2024"] {
        let html = get(&app, &member, page).await.html;
        assert!(
            html.contains("id=\"training-courses\">1</dd>"),
            "{page}: {html}"
        );
        assert!(
            html.contains("id=\"training-attendances\">1</dd>"),
            "{page}"
        );
    }
    // Another member does not see the chair's staff.
    let page = get(&app, &member, "/alliance/training?year=2024").await;
    assert!(!page.html.contains("周婷"));
}

on_both!(alliance_pages);
