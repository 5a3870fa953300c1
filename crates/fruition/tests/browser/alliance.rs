//! One alliance event in a browser, from registration to check-in: an enterprise user finds
//! the event under 联盟, registers (the page shows the check-in code and the calendar link),
//! signs out; the organising carrier's manager opens the event, enters the code (first
//! mistyped, refused in Chinese beside the field), and sees the person in the attendance list.
//!
//! Before the browser starts, the API sets up what the story takes as given: the member carrier
//! and its event.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::harness::{Browser, sign_in, sign_out};
use crate::support::TestApp;

/// What the story starts from.
pub struct Setup {
    event: i64,
}

pub async fn set_up(app: &TestApp) -> Setup {
    let (operator, manager) = app.org_with_user("carrier_operator", "al.chair").await;
    let (_, _) = app.org_with_user("enterprise", "al.firm").await;
    let carrier = app
        .expect(
            &app.admin_token,
            Method::POST,
            "/carriers",
            Some(json!({
                "name": "株洲联盟示范孵化器", "kind": "incubator", "operator_org_id": operator,
                "county": "天元区", "established_year": 2015, "floor_area_m2": 10000
            })),
            StatusCode::CREATED,
        )
        .await["id"]
        .as_i64()
        .expect("carrier");
    app.expect(
        &app.admin_token,
        Method::POST,
        "/alliance/members",
        Some(json!({"carrier_id": carrier, "role": "chair"})),
        StatusCode::CREATED,
    )
    .await;
    let event = app
        .expect(&manager, Method::POST, "/alliance/events", Some(json!({
            "kind": "roadshow", "title": "轨道交通配套项目路演", "place": "株洲市天元区创新大厦",
            "starts_at": "2030-09-10 14:30", "ends_at": "2030-09-10 17:30", "capacity": 20,
            "carrier_id": carrier
        })), StatusCode::CREATED)
        .await["event"]["id"]
        .as_i64()
        .expect("event");
    Setup { event }
}

pub async fn scenario(b: Browser, s: Setup) {
    let path = format!("/alliance/events/{}", s.event);
    sign_in(&b, "al.firm", "al.firm-secret-pw").await;
    b.goto("/").await;
    assert!(b.nav_hrefs().await.contains(&"/alliance".to_string()));
    b.goto("/alliance/events?year=2030").await;
    b.click(&format!("#event-rows a[href='{path}']")).await;
    b.at(&path).await;
    assert_eq!(b.text("#event-starts").await, "2030-09-10 14:30");
    b.find("#event-ics").await;
    b.click("#register-form button").await;
    b.wait_text("main .notice", "报名").await;
    let code = b.text("#my-code code").await;
    assert_eq!(code.len(), 11, "{code}");
    assert_eq!(b.text("#event-registered").await, "1 / 20");
    sign_out(&b).await;

    sign_in(&b, "al.chair", "al.chair-secret-pw").await;
    b.goto(&path).await;
    b.fill("#f-code", "ABCDE-FGHJK").await;
    b.click("#check-in-form button").await;
    b.wait_text("#f-code-error", "签到码无效").await;
    b.fill("#f-code", &code.to_lowercase()).await;
    b.click("#check-in-form button").await;
    b.wait_text("main .notice", "签到成功").await;
    assert_eq!(b.text("#event-attended").await, "1");
    let rows = b.table_rows("#attendance-rows tbody tr").await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0][0], "测试用户");
}
