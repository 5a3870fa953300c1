//! Sessions, the sign-in throttle, API tokens, deactivation, and several app servers on one database.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::pages::{form_token, sign_in};
use crate::support::{ADMIN_PASSWORD, TestApp, on_both};

async fn deactivation_ends_sessions_and_tokens_at_once(app: TestApp) {
    let (org_id, token) = app.org_with_user("enterprise", "leaving").await;
    let browser = sign_in(&app, "leaving", "leaving-secret-pw").await;
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .expect("get")
            .status(),
        StatusCode::OK
    );
    let (status, _) = app.call_with(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, users) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{org_id}/users"),
            None,
        )
        .await;
    let user_id = users[0]["id"].as_i64().expect("id");
    let (status, v) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/users/{user_id}/active"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["active"], false);
    // The very next requests are refused.
    assert_eq!(
        browser
            .get(app.url("/account"))
            .send()
            .await
            .expect("get")
            .status(),
        StatusCode::SEE_OTHER
    );
    let (status, _) = app.call_with(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A deactivated user cannot sign in, and is told no more than anyone with a wrong password.
    let b = app.browser();
    let page = b
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let t = form_token(&page);
    let res = b
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "leaving"),
            ("password", "leaving-secret-pw"),
            ("csrf_token", &t),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("登录名或密码不正确")
    );
    // Reactivated, the token works again; the administrator cannot deactivate themself.
    let (status, _) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/users/{user_id}/active"),
            Some(json!({"active": true})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.call_with(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK);
    let (_, me) = app.admin(Method::GET, "/api/v1/me", None).await;
    let admin_id = me["user"]["id"].as_i64().expect("id");
    let (status, _) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/users/{admin_id}/active"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    // Deactivating the whole organisation ends its users' access too.
    let (status, _) = app
        .admin(
            Method::PUT,
            &format!("/api/v1/organisations/{org_id}/active"),
            Some(json!({"active": false})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.call_with(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn throttle_stops_guessing(app: TestApp) {
    let b = app.browser();
    let page = b
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let t = form_token(&page);
    for _ in 0..5 {
        let res = b
            .post(app.url("/sign-in"))
            .form(&[
                ("login", "admin"),
                ("password", "guess guess"),
                ("csrf_token", &t),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    // Now even the right password waits: the account is throttled.
    let res = b
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "admin"),
            ("password", ADMIN_PASSWORD),
            ("csrf_token", &t),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.expect("html").contains("15"));
    // API tokens are unaffected: scripts keep working.
    let (status, _) = app.admin(Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK);
}

async fn api_tokens_shown_once_and_revocable(app: TestApp) {
    let (status, created) = app
        .admin(
            Method::POST,
            "/api/v1/me/tokens",
            Some(json!({"name": "月度统计脚本"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let token = created["token"].as_str().expect("token").to_string();
    let id = created["info"]["id"].as_i64().expect("id");
    // It works at once, and the list never shows it again.
    let (status, me) = app.call_with(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["user"]["login"], "admin");
    let (_, list) = app.admin(Method::GET, "/api/v1/me/tokens", None).await;
    assert!(!list.to_string().contains(&token));
    assert!(
        list.to_string().contains(&token[..8]),
        "the prefix tells tokens apart"
    );
    // Stored hashed: the database does not hold it.
    let stored: Vec<String> = match &app.db {
        fruition_store::Db::Sqlite(p) => sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(p)
            .await
            .expect("q"),
        fruition_store::Db::Postgres(p) => sqlx::query_scalar("SELECT token_hash FROM api_tokens")
            .fetch_all(p)
            .await
            .expect("q"),
    };
    assert!(!stored.contains(&token));
    let (status, _) = app
        .admin(Method::DELETE, &format!("/api/v1/me/tokens/{id}"), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = app.call_with(&token, Method::GET, "/api/v1/me", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    // A session opened with a one-time password can do nothing in the API but change it; a
    // token printed on the command line for the same user works at once.
    let (status, body) = app
        .admin(Method::POST, "/api/v1/organisations", Some(json!({"kind": "bank", "name": "某银行株洲分行", "uscc": crate::support::test_uscc(31), "first_user": {"login": "banker", "display_name": "钱七"}})))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let one_time = body["first_user"]["one_time_password"]
        .as_str()
        .expect("password");
    let browser = app.browser();
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let t = form_token(&page);
    let res = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "banker"),
            ("password", one_time),
            ("csrf_token", &t),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.headers()["location"], "/account/password");
    let res = browser
        .get(app.url("/api/v1/organisations"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let v: Value = res.json().await.expect("json");
    assert_eq!(v["error"]["code"], "password_change_required");
    let res = browser
        .get(app.url("/api/v1/me"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "/me still answers, so a client can tell why"
    );
    let fresh = fruition::bootstrap::create_token(&app.db, "banker", "t")
        .await
        .expect("token");
    let (status, v) = app
        .call_with(&fresh, Method::GET, "/api/v1/organisations", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{v}");
}

async fn cookie_requests_need_the_form_token_and_same_origin(app: TestApp) {
    let browser = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    // A cookie-authenticated API write without the form token is refused.
    let res = browser
        .patch(app.url("/api/v1/me"))
        .json(&json!({"display_name": "新名字"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // With it (read from a page), it goes through.
    let html = browser
        .get(app.url("/account"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    let res = browser
        .patch(app.url("/api/v1/me"))
        .header("x-csrf-token", &token)
        .json(&json!({"display_name": "新名字"}))
        .send()
        .await
        .expect("patch");
    assert_eq!(res.status(), StatusCode::OK);
    // Another site's form post is refused before it reaches the page, token or not.
    let res = browser
        .post(app.url("/account"))
        .header("origin", "https://evil.example")
        .form(&[("csrf_token", token.as_str()), ("display_name", "被篡改")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = browser
        .post(app.url("/account"))
        .header("sec-fetch-site", "cross-site")
        .form(&[("csrf_token", token.as_str()), ("display_name", "被篡改")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The same site's post is fine.
    let res = browser
        .post(app.url("/account"))
        .header("origin", app.base.clone())
        .form(&[("csrf_token", token.as_str()), ("display_name", "王五")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, me) = app.admin(Method::GET, "/api/v1/me", None).await;
    assert_eq!(me["user"]["display_name"], "王五");
}

on_both!(
    deactivation_ends_sessions_and_tokens_at_once,
    throttle_stops_guessing,
    api_tokens_shown_once_and_revocable,
    cookie_requests_need_the_form_token_and_same_origin
);

/// Two app servers on one PostgreSQL database serve the same users: a session made on one works on
/// the other, and the throttle counts failures made on either.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_share_sessions_and_throttle_on_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let other = app.second_server().await;
    let browser = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let res = browser
        .get(format!("{other}/account"))
        .send()
        .await
        .expect("get");
    assert_eq!(
        res.status(),
        StatusCode::OK,
        "the session made on server A works on server B"
    );
    let b = app.browser();
    let page = b
        .get(format!("{other}/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let t = form_token(&page);
    for server in [&app.base, &other, &app.base, &other, &app.base] {
        let res = b
            .post(format!("{server}/sign-in"))
            .form(&[
                ("login", "admin"),
                ("password", "nope nope"),
                ("csrf_token", &t),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let res = b
        .post(format!("{other}/sign-in"))
        .form(&[
            ("login", "admin"),
            ("password", ADMIN_PASSWORD),
            ("csrf_token", &t),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(
        res.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "failures on both servers count together"
    );
    // Sign out on B ends the session on A.
    let html = browser
        .get(format!("{other}/account"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    browser
        .post(format!("{other}/sign-out"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    let res = browser.get(app.url("/account")).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
