//! The OpenAPI document: a snapshot makes every change to it visible, and every operation it
//! describes exists on the server.

use reqwest::{Method, StatusCode};
use serde_json::Value;

use crate::support::TestApp;

const SNAPSHOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/snapshots/openapi.json");

#[tokio::test]
async fn openapi_document_matches_snapshot_and_server() {
    let app = TestApp::sqlite().await;
    let (status, doc) = app
        .call_with("", Method::GET, "/api/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(doc["openapi"].as_str().expect("version").starts_with("3.1"));
    let pretty = serde_json::to_string_pretty(&doc).expect("json") + "\n";
    if std::env::var("UPDATE_SNAPSHOTS").is_ok() {
        std::fs::write(SNAPSHOT, &pretty).expect("write snapshot");
    }
    let stored = std::fs::read_to_string(SNAPSHOT).unwrap_or_default();
    assert!(
        stored == pretty,
        "the OpenAPI document changed: review it and run with UPDATE_SNAPSHOTS=1 to accept"
    );

    // Every documented operation is routed (not 404 for the path, not 405 for the method).
    let paths = doc["paths"].as_object().expect("paths");
    let mut checked = 0;
    for (path, ops) in paths {
        for (method, _) in ops.as_object().expect("ops") {
            let url = path.replace("{id}", "1");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).expect("method");
            let res = app
                .client
                .request(method.clone(), app.url(&url))
                .bearer_auth(&app.admin_token)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("send");
            let status = res.status();
            let body: Value = res.json().await.unwrap_or(Value::Null);
            let routed = status != StatusCode::METHOD_NOT_ALLOWED
                && !(status == StatusCode::NOT_FOUND && body["error"]["code"] != "not_found");
            assert!(routed, "{method} {path} is documented but answers {status}");
            checked += 1;
        }
    }
    assert!(checked >= 20, "checked {checked} operations");
}
