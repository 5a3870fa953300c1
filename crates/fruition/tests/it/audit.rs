//! Every change records who, when, and what it was before; nothing changes or deletes an entry.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, on_both};

async fn changes_are_recorded_with_before_and_after(app: TestApp) {
    let (org_id, manager) = app.org_with_user("enterprise", "audited").await;
    let (_, org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{org_id}"),
            None,
        )
        .await;
    let old_name = org["name"].as_str().expect("name").to_string();
    let (status, _) = app
        .call_with(
            &manager,
            Method::PATCH,
            &format!("/api/v1/organisations/{org_id}"),
            Some(json!({"name": "改名后的公司", "uscc": org["uscc"]})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, entries) = app
        .admin(
            Method::GET,
            &format!("/api/v1/audit-entries?entity=organisation&entity_id={org_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let entries = entries.as_array().expect("list");
    assert_eq!(entries.len(), 2, "created, then renamed: {entries:?}");
    let update = &entries[0];
    assert_eq!(update["action"], "update");
    assert_eq!(update["actor_login"], "audited");
    assert_eq!(update["before"]["name"], old_name.as_str());
    assert_eq!(update["after"]["name"], "改名后的公司");
    assert!(update["at"].as_str().expect("time").ends_with('Z'));
    assert_eq!(entries[1]["action"], "create");
    assert_eq!(entries[1]["actor_login"], "admin");
    assert!(entries[1]["before"].is_null());
    // Password changes are recorded without any hash in them.
    let (_, user_entries) = app
        .admin(
            Method::GET,
            "/api/v1/audit-entries?entity=user&actor=audited",
            None,
        )
        .await;
    let text = user_entries.to_string();
    assert!(text.contains("must_change_password"));
    assert!(!text.contains("argon2"), "no password hash in the log");
    // Filters by action and date; the day after tomorrow holds nothing yet.
    let (_, creates) = app
        .admin(
            Method::GET,
            "/api/v1/audit-entries?action=create&limit=1000",
            None,
        )
        .await;
    assert!(
        creates
            .as_array()
            .expect("list")
            .iter()
            .all(|e| e["action"] == "create")
    );
    let (_, future) = app
        .admin(Method::GET, "/api/v1/audit-entries?from=2999-01-01", None)
        .await;
    assert_eq!(future.as_array().expect("list").len(), 0);
    // Paging: older than the newest entry.
    let (_, page1) = app
        .admin(Method::GET, "/api/v1/audit-entries?limit=2", None)
        .await;
    let last = page1[1]["id"].as_i64().expect("id");
    let (_, page2) = app
        .admin(
            Method::GET,
            &format!("/api/v1/audit-entries?limit=2&before_id={last}"),
            None,
        )
        .await;
    assert!(page2[0]["id"].as_i64().expect("id") < last);
    // The page shows the same log to the bureau.
    let browser = crate::pages::sign_in(&app, "admin", crate::support::ADMIN_PASSWORD).await;
    let html = browser
        .get(app.url("/audit?entity=organisation"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("改名后的公司"));
    // The database itself refuses to change or delete an entry.
    let refused = match &app.db {
        fruition_store::Db::Sqlite(p) => (
            sqlx::query("UPDATE audit_log SET actor_login = 'nobody'")
                .execute(p)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_log")
                .execute(p)
                .await
                .is_err(),
        ),
        fruition_store::Db::Postgres(p) => (
            sqlx::query("UPDATE audit_log SET actor_login = 'nobody'")
                .execute(p)
                .await
                .is_err(),
            sqlx::query("DELETE FROM audit_log")
                .execute(p)
                .await
                .is_err(),
        ),
    };
    assert_eq!(refused, (true, true));
    let (_, still) = app
        .admin(
            Method::GET,
            &format!("/api/v1/audit-entries?entity=organisation&entity_id={org_id}"),
            None,
        )
        .await;
    assert_eq!(still.as_array().expect("list").len(), 2);
}

on_both!(changes_are_recorded_with_before_and_after);
