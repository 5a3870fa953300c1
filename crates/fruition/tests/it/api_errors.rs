//! Bad input is a client error naming the field, in one shape, never a 500.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::support::{TestApp, on_both, test_uscc};

fn error_code(v: &Value) -> &str {
    v["error"]["code"].as_str().unwrap_or("")
}

async fn bad_input(app: TestApp) {
    let url = app.url("/api/v1/organisations");
    let raw = |body: &'static str, ct: &'static str| {
        app.client
            .post(&url)
            .bearer_auth(&app.admin_token)
            .header("content-type", ct)
            .body(body)
            .send()
    };
    // Malformed JSON: 400, with where it broke.
    let res = raw("{\"kind\": \"enterprise\", ", "application/json")
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.expect("json");
    assert_eq!(error_code(&v), "malformed_json");
    assert!(v["error"]["fields"].is_object());
    // Not JSON at all.
    let res = raw("kind=enterprise", "application/x-www-form-urlencoded")
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    // A wrong type names the field.
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({"kind": "enterprise", "name": 42})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert!(v["error"]["fields"]["name"].is_string(), "{v}");
    // An unknown field is named.
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({"kind": "enterprise", "name": "某公司", "colour": "red"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["colour"].is_string(), "{v}");
    // A missing field is named.
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({"kind": "enterprise"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["name"].is_string(), "{v}");
    // An unknown kind is named.
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({"kind": "castle", "name": "某公司"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["kind"].is_string(), "{v}");
    // A USCC with a wrong check character: the reason says what it should be (in the chosen language).
    let good = test_uscc(77);
    let mut bad = good.clone();
    let last = bad.pop().expect("char");
    bad.push(if last == 'A' { 'B' } else { 'A' });
    let res = app
        .client
        .post(&url)
        .bearer_auth(&app.admin_token)
        .header("accept-language", "zh-CN")
        .json(&json!({"kind": "enterprise", "name": "校验码错误公司", "uscc": bad}))
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = res.json().await.expect("json");
    let reason = v["error"]["fields"]["uscc"].as_str().expect("uscc reason");
    assert!(
        reason.contains(last),
        "the reason names the expected check character {last}: {reason}"
    );
    let res = app
        .client
        .post(&url)
        .bearer_auth(&app.admin_token)
        .header("accept-language", "en")
        .json(&json!({"kind": "enterprise", "name": "校验码错误公司", "uscc": bad}))
        .send()
        .await
        .expect("send");
    let v: Value = res.json().await.expect("json");
    assert!(
        v["error"]["fields"]["uscc"]
            .as_str()
            .expect("reason")
            .is_ascii(),
        "English reason: {v}"
    );
    // Several problems are reported together.
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(
                json!({"kind": "enterprise", "name": "", "uscc": "123", "contact_email": "nobody"}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["name", "uscc", "contact_email"] {
        assert!(v["error"]["fields"][field].is_string(), "{field} in {v}");
    }
    // Oversized bodies: 413 in the same shape.
    let big = format!(
        "{{\"kind\":\"enterprise\",\"name\":\"{}\"}}",
        "长".repeat(600_000)
    );
    let res = app
        .client
        .post(&url)
        .bearer_auth(&app.admin_token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        res.headers().get("connection").map(|v| v.as_bytes()),
        Some(&b"close"[..]),
        "the unread body ends the connection, and the client is told"
    );
    let v: Value = res.json().await.expect("json");
    assert_eq!(error_code(&v), "payload_too_large");
    // A duplicate code is a conflict naming the field; nothing was half-written.
    let body = json!({"kind": "enterprise", "name": "第一家", "uscc": good});
    let (status, _) = app
        .admin(Method::POST, "/api/v1/organisations", Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, before) = app.admin(Method::GET, "/api/v1/organisations", None).await;
    let body = json!({"kind": "enterprise", "name": "第二家", "uscc": good, "first_user": {"login": "second.user", "display_name": "李四"}});
    let (status, v) = app
        .admin(Method::POST, "/api/v1/organisations", Some(body))
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{v}");
    assert!(v["error"]["fields"]["uscc"].is_string(), "{v}");
    let (_, after) = app.admin(Method::GET, "/api/v1/organisations", None).await;
    assert_eq!(before, after, "a refused create leaves nothing behind");
    let (_, users) = app
        .admin(Method::GET, "/api/v1/audit-entries?entity=user", None)
        .await;
    assert!(
        !users.to_string().contains("second.user"),
        "the first user of a refused organisation was not created"
    );
    // Unknown things are 404 in the same shape; non-numeric ids too.
    let (status, v) = app
        .admin(Method::GET, "/api/v1/organisations/999999", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&v), "not_found");
    let (status, _) = app
        .admin(Method::GET, "/api/v1/organisations/abc", None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, v) = app.admin(Method::GET, "/api/v1/nothing-here", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&v), "not_found");
    // A bad query parameter names itself.
    let (status, v) = app
        .admin(Method::GET, "/api/v1/organisations?kind=castle", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (status, v) = app
        .admin(Method::GET, "/api/v1/audit-entries?from=yesterday", None)
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["from"].is_string(), "{v}");
    // A bad token is 401, not a crash.
    let (status, v) = app
        .call_with("not-a-token", Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&v), "unauthorized");
}

on_both!(bad_input);

/// A body is one JSON value: a second one after it is malformed, and nothing is created; trailing
/// whitespace is fine.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn json_with_trailing_data_is_malformed() {
    let app = TestApp::sqlite().await;
    let post = |body: String| {
        app.client
            .post(app.url("/api/v1/organisations"))
            .bearer_auth(&app.admin_token)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let first = json!({"kind": "enterprise", "name": "尾随甲", "uscc": test_uscc(4101)});
    let res = post(format!("{first}{{\"name\":\"尾随乙\"}}"))
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let v: Value = res.json().await.expect("json");
    assert_eq!(error_code(&v), "malformed_json", "{v}");
    let res = post(format!("{first} x")).await.expect("send");
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let (_, orgs) = app.admin(Method::GET, "/api/v1/organisations", None).await;
    assert!(!orgs.to_string().contains("尾随"), "{orgs}");
    let res = post(format!("{first} \n\t\r\n")).await.expect("send");
    assert_eq!(res.status(), StatusCode::CREATED);
    // A body is an object: an array is not read into a struct's fields by position (schemathesis
    // found `[]` taken as a search with every field at its default).
    let res = app
        .client
        .post(app.url("/api/v1/listings/search"))
        .header("content-type", "application/json")
        .body(" []")
        .send()
        .await
        .expect("send");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = res.json().await.expect("json");
    assert!(v["error"]["fields"]["body"].is_string(), "{v}");
}
