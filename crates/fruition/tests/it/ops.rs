//! Liveness, readiness, metrics and the security headers.

use reqwest::{Method, StatusCode};

use crate::support::{TestApp, on_both};

async fn health_ready_metrics_headers(app: TestApp) {
    let res = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    let res = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK);
    let _ = app.admin(Method::GET, "/api/v1/me", None).await;
    let metrics = app
        .client
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("http_requests_total"), "{metrics}");
    assert!(
        metrics.contains("route=\"/api/v1/me\""),
        "requests are counted by route"
    );
    assert!(
        metrics.contains("http_request_duration_seconds_bucket"),
        "latency histogram"
    );
    let res = app
        .client
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get");
    let h = res.headers();
    let csp = h["content-security-policy"].to_str().expect("csp");
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"));
    assert!(csp.contains("frame-ancestors 'none'"));
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin");
    assert_eq!(h["cache-control"], "no-store");
    let html = res.text().await.expect("html");
    assert!(
        !html.contains("<script>") && !html.contains(" onclick="),
        "no inline script"
    );
}

/// A database migrated by a newer binary is refused at start with a clear message.
async fn newer_database_is_refused(app: TestApp) {
    let sql = "INSERT INTO _sqlx_migrations (version, description, installed_on, success, checksum, execution_time) \
               VALUES (99990101000000, 'from the future', CURRENT_TIMESTAMP, TRUE, $1, 0)";
    match &app.db {
        fruition_store::Db::Sqlite(p) => sqlx::query(sql)
            .bind(vec![0u8; 48])
            .execute(p)
            .await
            .map(|_| ()),
        fruition_store::Db::Postgres(p) => sqlx::query(sql)
            .bind(vec![0u8; 48])
            .execute(p)
            .await
            .map(|_| ()),
    }
    .expect("insert");
    let err = app.db.migrate().await.expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("99990101000000") && msg.contains("upgrade"),
        "{msg}"
    );
    let res = app
        .client
        .get(app.url("/readyz"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "not ready on a schema it does not know"
    );
}

on_both!(health_ready_metrics_headers, newer_database_is_refused);

/// SQLite takes one writer at a time: writers queue for their turn, and one that waits longer
/// than `WRITE_WAIT` is told the server is busy (429 `busy`, `Retry-After`) instead of hanging;
/// nothing of it is written, and the next write after the turn comes back goes through.
#[tokio::test]
async fn sqlite_write_that_waits_too_long_is_refused_as_busy() {
    let app = TestApp::sqlite().await;
    let body = |n: u64| {
        serde_json::json!({
            "kind": "enterprise",
            "name": format!("株洲排队写入测试企业{n}"),
            "uscc": crate::support::test_uscc(777_000 + n),
            "first_user": {"login": format!("queue.writer{n}"), "display_name": "测试用户"}
        })
    };
    // Another writer of the same server holds the turn (a long import, say).
    let held = app.db.begin().await.expect("begin");
    let started = std::time::Instant::now();
    let res = app
        .client
        .post(app.url("/api/v1/organisations"))
        .bearer_auth(&app.admin_token)
        .json(&body(1))
        .send()
        .await
        .expect("post");
    let waited = started.elapsed();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().contains_key("retry-after"));
    let err: serde_json::Value = res.json().await.expect("json");
    assert_eq!(err["error"]["code"], "busy", "{err}");
    assert!(
        waited >= fruition_store::WRITE_WAIT,
        "refused after {waited:?}, before its wait was up"
    );
    drop(held);
    // The refused write left nothing; the same write now succeeds.
    let (status, created) = app
        .admin(Method::POST, "/api/v1/organisations", Some(body(1)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
}
