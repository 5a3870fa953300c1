//! Organisations and their people: the bureau registers, managers add colleagues.

use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::support::{TestApp, on_both, test_uscc};

async fn manager_adds_colleagues_within_the_kind(app: TestApp) {
    let (org_id, manager) = app
        .org_with_user("carrier_operator", "incubator.boss")
        .await;
    let (_, me) = app
        .call_with(&manager, Method::GET, "/api/v1/me", None)
        .await;
    assert_eq!(me["user"]["is_manager"], true);
    assert_eq!(me["user"]["role"], "carrier_manager");
    // A colleague with a role the kind allows.
    let (status, v) = app
        .call_with(&manager, Method::POST, &format!("/api/v1/organisations/{org_id}/users"), Some(json!({"login": "incubator.clerk", "display_name": "孙八", "role": "carrier_manager"})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["user"]["is_manager"], false);
    assert_eq!(v["one_time_password"].as_str().map(str::len), Some(16));
    // Not a role of another kind, and never a bureau role.
    for role in ["financier", "bureau_admin"] {
        let (status, v) = app
            .call_with(
                &manager,
                Method::POST,
                &format!("/api/v1/organisations/{org_id}/users"),
                Some(json!({"login": format!("x.{role}"), "display_name": "某人", "role": role})),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{role}: {v}");
    }
    // The same login twice is a conflict on the login.
    let (status, v) = app
        .call_with(
            &manager,
            Method::POST,
            &format!("/api/v1/organisations/{org_id}/users"),
            Some(json!({"login": "incubator.clerk", "display_name": "孙八"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(v["error"]["fields"]["login"].is_string(), "{v}");
    // The manager keeps the profile; a bad phone is named.
    let (_, org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{org_id}"),
            None,
        )
        .await;
    let (status, v) = app
        .call_with(
            &manager,
            Method::PATCH,
            &format!("/api/v1/organisations/{org_id}"),
            Some(json!({"name": org["name"], "uscc": org["uscc"], "contact_phone": "12345"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"]["fields"]["contact_phone"].is_string());
    let (status, v) = app
        .call_with(&manager, Method::PATCH, &format!("/api/v1/organisations/{org_id}"), Some(json!({"name": org["name"], "uscc": org["uscc"], "contact_phone": "0731 2868 7649", "contact_name": "周九"})))
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["contact_phone"], "0731-28687649");
    // The bureau cannot register a second bureau; a code in lower case is stored upper-cased.
    let (status, _) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({"kind": "bureau", "name": "另一个科技局"})),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let lower = test_uscc(99).to_lowercase();
    let (status, v) = app
        .admin(
            Method::POST,
            "/api/v1/organisations",
            Some(json!({"kind": "investor", "name": "某创投", "uscc": lower})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{v}");
    assert_eq!(v["organisation"]["uscc"], test_uscc(99));
    // Filters.
    let (_, carriers) = app
        .admin(
            Method::GET,
            "/api/v1/organisations?kind=carrier_operator",
            None,
        )
        .await;
    assert!(
        carriers
            .as_array()
            .expect("list")
            .iter()
            .all(|o| o["kind"] == "carrier_operator")
    );
    let (_, found) = app
        .admin(
            Method::GET,
            "/api/v1/organisations?q=%E5%88%9B%E6%8A%95",
            None,
        )
        .await;
    assert_eq!(
        found.as_array().expect("list").len(),
        1,
        "name search finds 某创投"
    );
    let (_, none) = app
        .admin(Method::GET, "/api/v1/organisations?q=%25", None)
        .await;
    assert_eq!(
        none.as_array().expect("list").len(),
        0,
        "a % is matched literally"
    );
}

async fn password_reset_gives_a_new_one_time_password(app: TestApp) {
    let (org_id, _) = app.org_with_user("institution", "whu.admin").await;
    let (_, users) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{org_id}/users"),
            None,
        )
        .await;
    let id = users[0]["id"].as_i64().expect("id");
    let (status, v) = app
        .admin(
            Method::POST,
            &format!("/api/v1/users/{id}/password-reset"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["user"]["must_change_password"], true);
    let otp = v["one_time_password"]
        .as_str()
        .expect("password")
        .to_string();
    app.ready_token("whu.admin", &otp).await;
}

on_both!(
    manager_adds_colleagues_within_the_kind,
    password_reset_gives_a_new_one_time_password
);
