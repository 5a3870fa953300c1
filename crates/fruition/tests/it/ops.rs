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
