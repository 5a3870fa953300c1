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

/// Fires `n` wrong passwords for `login` at once through the sign-in page, spread over `servers`;
/// returns the statuses, checking that every refusal says when to come back.
async fn guess_at_once(app: &TestApp, servers: &[&str], login: &str, n: usize) -> Vec<StatusCode> {
    let b = app.browser();
    let page = b
        .get(format!("{}/sign-in", servers[0]))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let t = form_token(&page);
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let b = b.clone();
            let url = format!("{}/sign-in", servers[i % servers.len()]);
            let form = [
                ("login", login.to_string()),
                ("password", format!("guess number {i}")),
                ("csrf_token", t.clone()),
            ];
            tokio::spawn(async move { b.post(url).form(&form).send().await.expect("post") })
        })
        .collect();
    let mut statuses = Vec::new();
    for task in tasks {
        let res = task.await.expect("task");
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            let secs: u64 = res.headers()["retry-after"]
                .to_str()
                .expect("retry-after")
                .parse()
                .expect("seconds");
            assert!((1..=15 * 60).contains(&secs), "Retry-After {secs}");
        }
        statuses.push(res.status());
    }
    statuses
}

fn count(statuses: &[StatusCode], status: StatusCode) -> usize {
    statuses.iter().filter(|s| **s == status).count()
}

/// 40 wrong passwords at once: the throttle reserves each attempt before its password is
/// checked, so exactly the limit (5) are checked and the rest are refused; the checked ones are
/// the failures the database holds, and the audit log has each failure and one refusal.
async fn concurrent_guesses_check_at_most_the_limit(app: TestApp) {
    let statuses = guess_at_once(&app, &[&app.base], "admin", 40).await;
    assert_eq!(
        count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
        5,
        "{statuses:?}"
    );
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 35);
    let failures = fruition_store::throttle::failures_since(&app.db, "admin", 0)
        .await
        .expect("count");
    assert_eq!(failures, 5);
    let (_, failed) = app
        .admin(
            Method::GET,
            "/api/v1/audit-entries?action=sign_in_failed",
            None,
        )
        .await;
    let failed = failed.as_array().expect("list");
    assert_eq!(failed.len(), 5, "{failed:?}");
    assert!(failed.iter().all(|e| e["entity"] == "sign_in"
        && e["entity_id"] == "admin"
        && e["actor_login"] == "admin"
        && e["after"]["reason"] == "wrong_password"
        && e["ip"] == "127.0.0.1"));
    let (_, throttled) = app
        .admin(
            Method::GET,
            "/api/v1/audit-entries?action=sign_in_throttled",
            None,
        )
        .await;
    let throttled = throttled.as_array().expect("list");
    assert_eq!(throttled.len(), 1, "once per window: {throttled:?}");
    assert_eq!(throttled[0]["after"]["by"], "login");

    // The current password of `PUT /api/v1/me/password` is throttled the same way.
    let (_, token) = app.org_with_user("enterprise", "guessed").await;
    let tasks: Vec<_> = (0..40)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url("/api/v1/me/password");
            let token = token.clone();
            tokio::spawn(async move {
                client
                    .put(url)
                    .bearer_auth(token)
                    .json(&json!({"current_password": format!("not it {i}"), "new_password": "a brand new password"}))
                    .send()
                    .await
                    .expect("put")
            })
        })
        .collect();
    let (mut wrong, mut refused) = (0, 0);
    for task in tasks {
        let res = task.await.expect("task");
        match res.status() {
            StatusCode::UNPROCESSABLE_ENTITY => {
                let v: Value = res.json().await.expect("json");
                assert!(v["error"]["fields"]["current_password"].is_string(), "{v}");
                wrong += 1;
            }
            StatusCode::TOO_MANY_REQUESTS => {
                assert!(res.headers().contains_key("retry-after"));
                let v: Value = res.json().await.expect("json");
                assert_eq!(v["error"]["code"], "too_many_attempts", "{v}");
                refused += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!((wrong, refused), (5, 35));
    // The administrator's right password is refused too while the window lasts.
    let browser = app.browser();
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let res = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "admin"),
            ("password", ADMIN_PASSWORD),
            ("csrf_token", &form_token(&page)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// A sign-in is in the audit log (and so is a failure at an unknown login, by its login).
async fn sign_ins_are_audited(app: TestApp) {
    sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let b = app.browser();
    let page = b
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let res = b
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "no.such.user"),
            ("password", "whatever it is"),
            ("csrf_token", &form_token(&page)),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let (_, signed) = app
        .admin(Method::GET, "/api/v1/audit-entries?action=sign_in", None)
        .await;
    let signed = signed.as_array().expect("list");
    assert_eq!(signed.len(), 1, "{signed:?}");
    assert_eq!(signed[0]["actor_login"], "admin");
    assert!(signed[0]["actor_user_id"].is_i64());
    assert!(signed[0]["org_id"].is_i64());
    let (_, failed) = app
        .admin(
            Method::GET,
            "/api/v1/audit-entries?action=sign_in_failed",
            None,
        )
        .await;
    let failed = failed.as_array().expect("list");
    assert_eq!(failed.len(), 1, "{failed:?}");
    assert_eq!(failed[0]["entity_id"], "no.such.user");
    assert_eq!(failed[0]["after"]["reason"], "unknown_login");
    assert!(failed[0]["actor_user_id"].is_null());
}

on_both!(
    concurrent_guesses_check_at_most_the_limit,
    sign_ins_are_audited,
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

/// Two app servers on one PostgreSQL database, 40 wrong passwords at once spread over both: the
/// limit holds across servers.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_check_at_most_the_limit_on_postgres() {
    let Some(app) = TestApp::postgres().await else {
        return;
    };
    let other = app.second_server().await;
    let statuses = guess_at_once(&app, &[&app.base, &other], "admin", 40).await;
    assert_eq!(
        count(&statuses, StatusCode::UNPROCESSABLE_ENTITY),
        5,
        "{statuses:?}"
    );
    assert_eq!(count(&statuses, StatusCode::TOO_MANY_REQUESTS), 35);
}

/// Password computations are bounded: with one at a time and one place in the queue, a burst of
/// sign-ins never runs two at once; the rest wait or are refused with 429, `Retry-After` and the
/// sign-in page saying the server is busy, and a refused attempt does not count as a failure. The
/// API answers the same refusal in its error shape.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn password_hashing_is_bounded() {
    use fruition_app::auth::password::Hashing;
    let app =
        TestApp::sqlite_with_hashing(Hashing::new(1, 1, std::time::Duration::from_secs(10))).await;
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
    let tasks: Vec<_> = (0..25)
        .map(|i| {
            let b = b.clone();
            let url = app.url("/sign-in");
            let form = [
                ("login", format!("someone.{i}")),
                ("password", "a wrong password".to_string()),
                ("csrf_token", t.clone()),
            ];
            tokio::spawn(async move {
                let res = b.post(url).form(&form).send().await.expect("post");
                let status = res.status();
                let retry = res.headers().get("retry-after").cloned();
                (status, retry, res.text().await.expect("html"))
            })
        })
        .collect();
    let (mut checked, mut busy) = (0, 0);
    for task in tasks {
        let (status, retry, html) = task.await.expect("task");
        match status {
            StatusCode::UNPROCESSABLE_ENTITY => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(retry.expect("Retry-After"), "2");
                assert!(html.contains("服务器繁忙"), "{html}");
                assert!(html.contains("name=\"login\""), "the sign-in page again");
                busy += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(
        busy > 0,
        "a burst of 25 overflows one computation and one place"
    );
    assert!(checked >= 2, "{checked} checked");
    let stats = app.app.hashing.stats();
    assert_eq!(stats.peak_running, 1, "{stats:?}");
    let mut attempts = 0;
    for i in 0..25 {
        attempts += fruition_store::throttle::failures_since(&app.db, &format!("someone.{i}"), 0)
            .await
            .expect("count");
    }
    assert_eq!(attempts, checked, "refused attempts were given back");
    // The API: creating organisations with first users hashes their one-time passwords.
    let tasks: Vec<_> = (0..12u64)
        .map(|i| {
            let client = app.client.clone();
            let url = app.url("/api/v1/organisations");
            let token = app.admin_token.clone();
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&json!({
                        "kind": "enterprise",
                        "name": format!("繁忙测试{i}"),
                        "uscc": crate::support::test_uscc(7000 + i),
                        "first_user": {"login": format!("busy.user{i}"), "display_name": "测试"}
                    }))
                    .send()
                    .await
                    .expect("post")
            })
        })
        .collect();
    let mut api_busy = 0;
    for task in tasks {
        let res = task.await.expect("task");
        match res.status() {
            StatusCode::CREATED => {}
            StatusCode::TOO_MANY_REQUESTS => {
                assert_eq!(res.headers()["retry-after"], "2");
                let v: Value = res.json().await.expect("json");
                assert_eq!(v["error"]["code"], "busy", "{v}");
                api_busy += 1;
            }
            other => panic!("unexpected {other}"),
        }
    }
    assert!(api_busy > 0);
    assert_eq!(app.app.hashing.stats().peak_running, 1);
}
