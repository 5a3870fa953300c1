//! Spin-off lineages: a parent's own stage path, projects moving along it, companies at the end.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, on_both, test_uscc};

async fn a_project_becomes_a_company(app: TestApp) {
    let (_, parent) = app
        .admin(Method::POST, "/api/v1/enterprises", Some(json!({"enterprise": {"uscc": test_uscc(4001), "name": "中车株洲电力机车研究所有限公司", "county": "石峰区"}})))
        .await;
    let parent_id = parent["enterprise"]["id"].as_i64().expect("id");
    // A path needs at least two distinct stages.
    let (status, v) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/spinoffs/{parent_id}/path"),
            Some(json!({"stages": ["科研立项"]})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["stages"].is_string());
    let path = [
        "科研立项",
        "技术攻关",
        "产品研发",
        "事业部发展",
        "新公司成型",
    ];
    let (status, v) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/spinoffs/{parent_id}/path"),
            Some(json!({"stages": path})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let (status, p) = app
        .admin(
            Method::POST,
            &format!("/api/v1/spinoffs/{parent_id}/projects"),
            Some(json!({"name": "半导体公司", "started_on": "2019-03-01", "notable": true})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{p}");
    assert_eq!(p["stage_name"], "科研立项");
    let pid = p["id"].as_i64().expect("id");
    let advance = |position: i64, on: &str| json!({"position": position, "reached_on": on});
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/spinoff-projects/{pid}/advance"),
            Some(advance(3, "2020-06-01")),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["stage_name"], "产品研发");
    // Backwards, or before the last milestone, is refused.
    let (status, _) = app
        .admin(
            Method::POST,
            &format!("/api/v1/spinoff-projects/{pid}/advance"),
            Some(advance(2, "2021-01-01")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/spinoff-projects/{pid}/advance"),
            Some(advance(4, "2019-01-01")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["reached_on"].is_string());
    // The last stage needs the company.
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/spinoff-projects/{pid}/advance"),
            Some(advance(5, "2022-09-01")),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["enterprise"].is_string());
    let body = json!({"position": 5, "reached_on": "2022-09-01", "enterprise": {"uscc": test_uscc(4002), "name": "株洲中车时代半导体有限公司", "county": "石峰区"}});
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/spinoff-projects/{pid}/advance"),
            Some(body),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let company = v["enterprise_id"].as_i64().expect("became a company");
    let (_, e) = app
        .admin(Method::GET, &format!("/api/v1/enterprises/{company}"), None)
        .await;
    assert_eq!(
        e["enterprise"]["parent_id"], parent_id,
        "linked to its parent"
    );
    let (_, parents) = app.admin(Method::GET, "/api/v1/spinoffs", None).await;
    assert_eq!(parents[0]["companies"], 1);
    assert_eq!(parents[0]["stages"], 5);
    // Another organisation's users cannot change the lineage; everyone can see it.
    let (_, other) = app.org_with_user("enterprise", "lineage.other").await;
    let (status, _) = app
        .call_with(
            &other,
            Method::PUT,
            &format!("/api/v1/spinoffs/{parent_id}/path"),
            Some(json!({"stages": path})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call_with(
            &other,
            Method::GET,
            &format!("/api/v1/spinoffs/{parent_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    // The lineage page draws the tree with the company filled in.
    let browser = crate::pages::sign_in(&app, "admin", crate::support::ADMIN_PASSWORD).await;
    let html = browser
        .get(app.url("/spinoffs"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("<svg")
            && html.contains("半导体公司")
            && html.contains("实心：已成立公司（1）"),
        "{html}"
    );
    // The annual report names it and the path.
    let (_, r) = app
        .admin(Method::GET, "/api/v1/annual-report?year=2024", None)
        .await;
    let text = r["text"].as_str().expect("text");
    assert!(text.contains("通过“科研立项-技术攻关-产品研发-事业部发展-新公司成型”的发展路径，先后成功孵化出半导体公司等1家新公司"), "{text}");
}

on_both!(a_project_becomes_a_company);
