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

/// The served document is valid OpenAPI 3.1 where a client generator trusts it: every `$ref`
/// resolves, a path parameter is one the path names, operation ids are unique, and every
/// operation that needs a caller says it answers 401. Checked here without Python; `openapi-spec-validator` checks the whole
/// specification too when it is installed.
#[tokio::test]
async fn openapi_document_is_valid() {
    let app = TestApp::sqlite().await;
    let (status, doc) = app
        .call_with("", Method::GET, "/api/openapi.json", None)
        .await;
    assert_eq!(status, StatusCode::OK);

    let mut problems = Vec::new();
    check_refs(&doc, &doc, "#", &mut problems);
    let paths = doc["paths"].as_object().expect("paths");
    let mut operation_ids = std::collections::BTreeSet::new();
    for (path, item) in paths {
        let named: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|s| s.split('}').next())
            .collect();
        for (method, op) in item.as_object().expect("path item") {
            let label = format!("{} {path}", method.to_uppercase());
            match op["operationId"].as_str() {
                Some(id) if !operation_ids.insert(id.to_string()) => {
                    problems.push(format!("{label}: operationId `{id}` is not unique"))
                }
                Some(_) => {}
                None => problems.push(format!("{label}: no operationId")),
            }
            let params = op["parameters"].as_array().cloned().unwrap_or_default();
            for p in &params {
                let name = p["name"].as_str().unwrap_or("");
                match p["in"].as_str() {
                    Some("path") if !named.contains(&name) => problems.push(format!(
                        "{label}: parameter `{name}` is `in: path` but the path has no {{{name}}}"
                    )),
                    Some("path") if p["required"] != true => {
                        problems.push(format!("{label}: path parameter `{name}` is not required"))
                    }
                    _ => {}
                }
            }
            for n in &named {
                let declared = params
                    .iter()
                    .any(|p| p["in"] == "path" && p["name"].as_str() == Some(n));
                if !declared {
                    problems.push(format!("{label}: {{{n}}} is not declared as a parameter"));
                }
            }
            let responses = op["responses"].as_object().expect("responses");
            let security = op["security"].as_array().cloned().unwrap_or_default();
            let needs_caller = !security.is_empty()
                && security
                    .iter()
                    .all(|r| r.as_object().is_some_and(|o| !o.is_empty()));
            if needs_caller && !responses.contains_key("401") {
                problems.push(format!("{label}: needs a caller and does not list 401"));
            }
            let json_body = op["requestBody"]["content"]
                .as_object()
                .is_some_and(|c| c.contains_key("application/json"));
            if json_body && !responses.contains_key("400") {
                problems.push(format!("{label}: takes JSON and does not list 400"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "the OpenAPI document has problems:\n{}",
        problems.join("\n")
    );

    // The whole specification, by the reference validator when it is installed (CI installs it).
    let Some(python) = python_with("openapi_spec_validator") else {
        eprintln!(
            "SKIPPED openapi-spec-validator: no Python with the module `openapi_spec_validator` \
             (pip install openapi-spec-validator, or set FRUITION_TEST_PYTHON)"
        );
        return;
    };
    let dir = crate::support::tempfile_dir::TempDir::new();
    let file = dir.path().join("openapi.json");
    std::fs::write(&file, serde_json::to_vec(&doc).expect("json")).expect("write");
    let out = std::process::Command::new(&python)
        .args(["-m", "openapi_spec_validator"])
        .arg(&file)
        .output()
        .expect("run openapi-spec-validator");
    assert!(
        out.status.success(),
        "openapi-spec-validator refuses the document:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every `$ref` in `node` points at something in `doc`.
fn check_refs(doc: &Value, node: &Value, at: &str, problems: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let found = target
                    .strip_prefix('#')
                    .and_then(|pointer| doc.pointer(pointer))
                    .is_some();
                if !found {
                    problems.push(format!("{at}: $ref {target} points nowhere"));
                }
            }
            for (k, v) in map {
                check_refs(doc, v, &format!("{at}/{k}"), problems);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                check_refs(doc, v, &format!("{at}/{i}"), problems);
            }
        }
        _ => {}
    }
}

/// A Python that can import `module`: `FRUITION_TEST_PYTHON`, CI's virtual environment, or
/// `python3` on the path.
fn python_with(module: &str) -> Option<String> {
    let candidates = [
        std::env::var("FRUITION_TEST_PYTHON").ok(),
        Some("/opt/fruition-ci-venv/bin/python3".to_string()),
        Some("python3".to_string()),
    ];
    candidates.into_iter().flatten().find(|python| {
        std::process::Command::new(python)
            .args(["-c", &format!("import {module}")])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    })
}

/// A method a path does not take answers 405 in the error shape, with `Allow`.
#[tokio::test]
async fn method_not_allowed_has_the_error_shape() {
    let app = TestApp::sqlite().await;
    for (method, path) in [
        (Method::DELETE, "/api/v1/me"),
        (Method::PATCH, "/api/v1/listings"),
        (Method::POST, "/api/openapi.json"),
    ] {
        let res = app
            .client
            .request(method.clone(), app.url(path))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .expect("send");
        assert_eq!(
            res.status(),
            StatusCode::METHOD_NOT_ALLOWED,
            "{method} {path}"
        );
        assert!(
            res.headers().contains_key("allow"),
            "{method} {path} has no Allow header"
        );
        let body: Value = res.json().await.expect("json body");
        assert_eq!(
            body["error"]["code"], "method_not_allowed",
            "{method} {path}"
        );
        assert!(body["error"]["message"].is_string());
    }
}
