//! Startup mentors through the API: a carrier registers a mentor (contact details for itself
//! only), pairs the mentor with an incubatee (once at a time, even when asked twice at once),
//! records sessions with their length as hours or minutes, and the enterprise sees its mentor;
//! each carrier's mentors in a year is the Torch form's figure, and a yearly report whose
//! mentor figure differs from the records is flagged to the reviewer.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::campaigns::{carrier, firm_with_org};
use crate::support::{TestApp, at_once, on_both};

fn fields_of(e: &Value) -> Vec<String> {
    e["error"]["fields"]
        .as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

async fn a_mentor_guides_an_incubatee(app: TestApp) {
    let (_, a, carrier_a) = carrier(&app, "mentor.a", "导师甲孵化器").await;
    let (_, b, _) = carrier(&app, "mentor.b", "导师乙孵化器").await;
    let (_, firm, e1) = firm_with_org(&app, carrier_a, "mentor.firm").await;
    let (_, stranger) = app.org_with_user("enterprise", "mentor.stranger").await;

    // Bad input names every field at once.
    let bad = app
        .expect(
            &a,
            Method::POST,
            "/mentors",
            Some(json!({"name": "", "expertise": " ", "phone": "12345", "email": "not-an-email", "field": "不存在"})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    for f in ["name", "expertise", "phone", "email", "field"] {
        assert!(fields_of(&bad).iter().any(|g| g == f), "{f} in {bad}");
    }
    // An enterprise does not register mentors.
    app.expect(
        &firm,
        Method::POST,
        "/mentors",
        Some(json!({"name": "王导师", "expertise": "融资"})),
        StatusCode::FORBIDDEN,
    )
    .await;

    let m = app
        .expect(
            &a,
            Method::POST,
            "/mentors",
            Some(json!({
                "name": "刘建华", "title": "教授级高级工程师", "employer": "株洲某轨道交通装备企业（合成）",
                "expertise": "牵引传动系统研发、产品工程化与质量体系", "field": "轨道交通",
                "phone": "13907330001", "email": "liujh@example.cn"
            })),
            StatusCode::CREATED,
        )
        .await;
    let mentor = m["id"].as_i64().expect("id");
    assert_eq!(m["chain_name"], "轨道交通");
    assert_eq!(m["phone"], "13907330001");
    // Everyone finds the mentor; only the keeping carrier sees the contact details.
    let found = app
        .expect(
            &stranger,
            Method::GET,
            "/mentors?field=轨道交通&q=牵引",
            None,
            StatusCode::OK,
        )
        .await;
    let listed = found
        .as_array()
        .expect("list")
        .iter()
        .find(|x| x["id"].as_i64() == Some(mentor))
        .cloned()
        .expect("found");
    assert_eq!(listed["phone"], Value::Null);
    assert_eq!(listed["email"], Value::Null);
    // Another carrier cannot change the profile.
    app.expect(
        &b,
        Method::PUT,
        &format!("/mentors/{mentor}"),
        Some(json!({"name": "改名", "expertise": "x"})),
        StatusCode::FORBIDDEN,
    )
    .await;

    // Two pairings at once: one relationship.
    let statuses = at_once(
        &app,
        &a,
        (0..4)
            .map(|_| {
                (
                    format!("/mentors/{mentor}/mentorships"),
                    json!({"enterprise_id": e1, "started_on": "2024-03-01"}),
                )
            })
            .collect(),
    )
    .await;
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|s| *s == StatusCode::CREATED || *s == StatusCode::CONFLICT),
        "{statuses:?}"
    );
    let list = app
        .expect(
            &a,
            Method::GET,
            "/mentorships?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let ms = list.as_array().expect("list");
    assert_eq!(ms.len(), 1, "{list}");
    let id = ms[0]["id"].as_i64().expect("id");
    assert_eq!(
        ms[0]["carrier_id"].as_i64(),
        Some(carrier_a),
        "the carrier incubating it that day"
    );

    // Sessions: hours or minutes, within the relationship.
    let s = app
        .expect(&a, Method::POST, &format!("/mentorships/{id}/sessions"),
            Some(json!({"held_on": "2024-04-01", "duration": "1.5", "topic": "商业计划书与首轮融资路演辅导"})), StatusCode::CREATED)
        .await;
    assert_eq!(
        (s["minutes"].as_i64(), s["hours"].as_str()),
        (Some(90), Some("1.5"))
    );
    app.expect(
        &a,
        Method::POST,
        &format!("/mentorships/{id}/sessions"),
        Some(json!({"held_on": "2024-05-20", "duration": "45分钟", "topic": "产品质量体系建设"})),
        StatusCode::CREATED,
    )
    .await;
    let e = app
        .expect(
            &a,
            Method::POST,
            &format!("/mentorships/{id}/sessions"),
            Some(json!({"held_on": "2024-04-02", "duration": "两小时", "topic": ""})),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    for f in ["duration", "topic"] {
        assert!(fields_of(&e).iter().any(|g| g == f), "{f} in {e}");
    }
    let e = app
        .expect(
            &a,
            Method::POST,
            &format!("/mentorships/{id}/sessions"),
            Some(json!({"held_on": "2024-02-01", "duration": "1", "topic": "开始之前"})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields_of(&e), vec!["held_on"]);

    // The enterprise sees its mentor and the hours; a stranger is told it does not exist.
    let d = app
        .expect(
            &firm,
            Method::GET,
            &format!("/mentorships/{id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(d["mentorship"]["hours"], "2.3", "90 + 45 minutes, {d}");
    assert_eq!(d["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(d["keeps"], false);
    app.expect(
        &stranger,
        Method::GET,
        &format!("/mentorships/{id}"),
        None,
        StatusCode::NOT_FOUND,
    )
    .await;
    // The enterprise reads but does not record.
    app.expect(
        &firm,
        Method::POST,
        &format!("/mentorships/{id}/sessions"),
        Some(json!({"duration": "1", "topic": "自行记录"})),
        StatusCode::FORBIDDEN,
    )
    .await;

    // The year's figure: one mentor, 2.3 hours.
    let stats = app
        .expect(
            &app.admin_token,
            Method::GET,
            "/mentoring-statistics?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    let row = stats
        .as_array()
        .expect("rows")
        .iter()
        .find(|r| r["carrier_id"].as_i64() == Some(carrier_a))
        .cloned()
        .expect("row");
    assert_eq!(
        (row["mentors"].as_i64(), row["hours"].as_str()),
        (Some(1), Some("2.3")),
        "{stats}"
    );
    let other = app
        .expect(
            &b,
            Method::GET,
            "/mentoring-statistics?year=2024",
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        other
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["carrier_id"].as_i64() != Some(carrier_a)),
        "{other}"
    );

    // The yearly report: a mentor figure that differs from the records is flagged.
    let r = app
        .expect(
            &a,
            Method::POST,
            &format!("/carriers/{carrier_a}/reports"),
            Some(json!({"year": 2024})),
            StatusCode::OK,
        )
        .await;
    let report = r["id"].as_i64().expect("report id");
    app.expect(
        &a,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(json!({"staff": 8, "mentors": 5, "floor_area_m2": 10000})),
        StatusCode::OK,
    )
    .await;
    let detail = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/reports/{report}"),
            None,
            StatusCode::OK,
        )
        .await;
    let flagged = detail["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .any(|w| w["field"] == "mentors" && w["zh"].as_str().is_some_and(|z| z.contains("1人")));
    assert!(flagged, "{detail}");
    app.expect(
        &a,
        Method::PUT,
        &format!("/reports/{report}/figures"),
        Some(json!({"staff": 8, "mentors": 1, "floor_area_m2": 10000})),
        StatusCode::OK,
    )
    .await;
    let detail = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/reports/{report}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert!(
        !detail["warnings"]
            .as_array()
            .expect("warnings")
            .iter()
            .any(|w| w["field"] == "mentors"),
        "{detail}"
    );

    // Ending: once.
    app.expect(
        &a,
        Method::POST,
        &format!("/mentorships/{id}/end"),
        Some(json!({"ended_on": "2024-12-31"})),
        StatusCode::OK,
    )
    .await;
    let e = app
        .expect(
            &a,
            Method::POST,
            &format!("/mentorships/{id}/end"),
            Some(json!({})),
            StatusCode::CONFLICT,
        )
        .await;
    assert_eq!(fields_of(&e), vec!["ended_on"]);
    let log = app
        .expect(
            &app.admin_token,
            Method::GET,
            &format!("/audit-entries?entity=mentorship&entity_id={id}"),
            None,
            StatusCode::OK,
        )
        .await;
    assert_eq!(
        log.as_array().map(Vec::len),
        Some(2),
        "created and ended: {log}"
    );
}

on_both!(a_mentor_guides_an_incubatee);
