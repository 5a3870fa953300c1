//! Applying to join through the API: public to submit, the bureau decides.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, on_both, test_uscc};

async fn apply_then_approve_or_decline(app: TestApp) {
    let form = |n: u64, login: &str| json!({"name": format!("渌口区某公司{n}"), "kind": "enterprise", "uscc": test_uscc(n), "contact_name": "吴十", "contact_phone": "13973300000", "login": login});
    // Bad input: each field named.
    let (status, v) = app
        .call_with("", Method::POST, "/api/v1/applications", Some(json!({"name": "x", "kind": "bureau", "uscc": "abc", "contact_name": "", "contact_phone": "1", "login": "A"})))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in [
        "name",
        "kind",
        "uscc",
        "contact_name",
        "contact_phone",
        "login",
    ] {
        assert!(v["error"]["fields"][field].is_string(), "{field}: {v}");
    }
    let (status, first) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/applications",
            Some(form(1, "applicant.one")),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!(first["status"], "pending");
    // The same code or login cannot wait twice.
    let (status, v) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/applications",
            Some(form(1, "applicant.two")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["uscc"].is_string());
    let id = first["id"].as_i64().expect("id");
    // Approval creates the organisation and its manager.
    let (status, approval) = app
        .admin(
            Method::POST,
            &format!("/api/v1/applications/{id}/approval"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{approval}");
    assert_eq!(approval["application"]["status"], "approved");
    assert_eq!(approval["organisation"]["uscc"], test_uscc(1));
    assert_eq!(approval["first_user"]["user"]["is_manager"], true);
    assert_eq!(approval["first_user"]["user"]["role"], "enterprise_user");
    let otp = approval["first_user"]["one_time_password"]
        .as_str()
        .expect("otp")
        .to_string();
    app.ready_token("applicant.one", &otp).await;
    // Deciding twice is a conflict.
    let (status, _) = app
        .admin(
            Method::POST,
            &format!("/api/v1/applications/{id}/approval"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Now the code is registered: a new application with it is refused.
    let (status, _) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/applications",
            Some(form(1, "applicant.three")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    // Declining needs a reason, and records it.
    let (_, second) = app
        .call_with(
            "",
            Method::POST,
            "/api/v1/applications",
            Some(form(2, "applicant.four")),
        )
        .await;
    let id2 = second["id"].as_i64().expect("id");
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/applications/{id2}/decline"),
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["reason"].is_string());
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/applications/{id2}/decline"),
            Some(json!({"reason": "营业执照与名称不符"})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["status"], "declined");
    assert_eq!(v["decision_reason"], "营业执照与名称不符");
    let (_, pending) = app
        .admin(Method::GET, "/api/v1/applications?status=pending", None)
        .await;
    assert_eq!(pending.as_array().expect("list").len(), 0);
    let (_, all) = app.admin(Method::GET, "/api/v1/applications", None).await;
    assert_eq!(all.as_array().expect("list").len(), 2);
}

on_both!(apply_then_approve_or_decline);
