//! The pages, used as a browser would (cookies, forms, redirects), without JavaScript.

use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};

use crate::support::{ADMIN_PASSWORD, TestApp, on_both, test_uscc};

/// The form token a page embeds.
pub fn form_token(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("a form token on the page") + marker.len();
    html[start..start + 64].to_string()
}

/// Signs in through the sign-in page; returns the client holding the session.
pub async fn sign_in(app: &TestApp, login: &str, password: &str) -> reqwest::Client {
    let browser = app.browser();
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    let res = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("login", login),
            ("password", password),
            ("csrf_token", &token),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signing in as {login}");
    browser
}

async fn sign_in_and_navigation(app: TestApp) {
    // Signed out: the home page offers sign-in and joining, and no navigation.
    let html = app
        .client
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("href=\"/sign-in\"") && html.contains("href=\"/join\""));
    assert!(!html.contains("aria-label=\"主导航\""));
    // A private page sends a signed-out visitor to sign in, remembering where they were going.
    let res = app.client.get(app.url("/audit")).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/sign-in?next=/audit");

    // A wrong password: the form comes back with the error summary and the message beside the field.
    let browser = app.browser();
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    let res = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "admin"),
            ("password", "wrong password"),
            ("csrf_token", &token),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("html");
    assert!(html.contains("class=\"error-summary\""));
    assert!(html.contains("登录名或密码不正确"));
    assert!(
        html.contains("href=\"#f-password\""),
        "the summary links to the field"
    );
    assert!(
        html.contains("id=\"f-password-error\""),
        "the message stands beside the field"
    );
    // Without the form token the sign-in is refused.
    let res = app
        .browser()
        .post(app.url("/sign-in"))
        .form(&[("login", "admin"), ("password", ADMIN_PASSWORD)])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The administrator signs in: HttpOnly, SameSite=Lax session cookie; the bureau's navigation.
    let page = browser
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    let res = browser
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "admin"),
            ("password", ADMIN_PASSWORD),
            ("csrf_token", &token),
            ("next", "/audit"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[LOCATION], "/audit");
    let cookie = res
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap_or(""))
        .find(|c| c.starts_with("fruition_session="))
        .expect("session cookie")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    let html = browser
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    for link in [
        "/organisations",
        "/users",
        "/applications",
        "/audit",
        "/account",
    ] {
        assert!(
            html.contains(&format!("href=\"{link}\"")),
            "the bureau's navigation has {link}"
        );
    }

    // An enterprise user sees only what their role may use.
    let (org_id, _) = app.org_with_user("enterprise", "ent.nav").await;
    let ent = sign_in(&app, "ent.nav", "ent.nav-secret-pw").await;
    let html = ent
        .get(app.url("/"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains(&format!("href=\"/organisations/{org_id}\"")));
    assert!(
        !html.contains("href=\"/audit\"")
            && !html.contains("href=\"/applications\"")
            && !html.contains("href=\"/users\"")
    );
    // The bureau finds the new user in the list of users, filtered by name or login.
    let html = browser
        .get(app.url("/users?q=ent.nav"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("<code>ent.nav</code>") && !html.contains("<code>admin</code>"));
    let res = ent.get(app.url("/audit")).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = ent
        .get(app.url("/organisations/new"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Signing out ends the session.
    let html = ent
        .get(app.url("/account"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    let res = ent
        .post(app.url("/sign-out"))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = ent.get(app.url("/account")).send().await.expect("get");
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "signed out");
}

async fn one_time_password_must_be_changed(app: TestApp) {
    // The bureau registers an organisation with its first user through the pages.
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let html = admin
        .get(app.url("/organisations/new"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    // First with mistakes: every field's problem is reported, and what was typed is kept.
    let res = admin
        .post(app.url("/organisations/new"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("kind", "institution"),
            ("name", "中南大学"),
            ("uscc", "12100000MB1234567X"),
            ("login", "1bad"),
            ("display_name", "王老师"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.expect("html");
    assert!(
        html.contains("href=\"#f-uscc\"") && html.contains("href=\"#f-login\""),
        "both problems in the summary"
    );
    assert!(html.contains("value=\"中南大学\""), "typed values are kept");
    let uscc = test_uscc(4242);
    let res = admin
        .post(app.url("/organisations/new"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("kind", "institution"),
            ("name", "中南大学"),
            ("uscc", &uscc),
            ("login", "csu.admin"),
            ("display_name", "王老师"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::CREATED);
    let html = res.text().await.expect("html");
    let marker = "id=\"one-time-password\">";
    let start = html.find(marker).expect("one-time password shown") + marker.len();
    let otp: String = html[start..].chars().take_while(|c| *c != '<').collect();
    assert_eq!(otp.len(), 16);

    // The new user signs in with it and is sent to change it; nothing else opens until they do.
    let user = app.browser();
    let page = user
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    let res = user
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "csu.admin"),
            ("password", otp.as_str()),
            ("csrf_token", &token),
            ("next", "/"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.headers()[LOCATION], "/account/password");
    let res = user
        .get(app.url("/organisations"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()[LOCATION], "/account/password");
    let html = user
        .get(app.url("/account/password"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    // Too short: refused with the reason beside the field.
    let res = user
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("current_password", otp.as_str()),
            ("new_password", "short"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("id=\"f-new_password-error\"")
    );
    let res = user
        .post(app.url("/account/password"))
        .form(&[
            ("csrf_token", token.as_str()),
            ("current_password", otp.as_str()),
            ("new_password", "a much better password"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = user
        .get(app.url("/organisations"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.status(), StatusCode::OK, "the account is usable now");
    // The old password no longer works; the new one does.
    let again = app.browser();
    let page = again
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    let res = again
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "csu.admin"),
            ("password", otp.as_str()),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    sign_in(&app, "csu.admin", "a much better password").await;
}

async fn language_follows_choice_then_browser(app: TestApp) {
    let en = app
        .client
        .get(app.url("/sign-in"))
        .header("accept-language", "en-GB,en;q=0.9")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(en.contains("<html lang=\"en\">") && en.contains("Sign in"));
    let zh = app
        .client
        .get(app.url("/sign-in"))
        .header("accept-language", "zh-CN,zh;q=0.9,en;q=0.5")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(zh.contains("<html lang=\"zh-CN\">") && zh.contains("登录"));
    let plain = app
        .client
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(plain.contains("<html lang=\"zh-CN\">"), "Chinese first");
    // Choosing English sticks, whatever the browser says.
    let browser = app.browser();
    let res = browser
        .get(app.url("/lang/en?back=/sign-in"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()[LOCATION], "/sign-in");
    let html = browser
        .get(app.url("/sign-in"))
        .header("accept-language", "zh-CN")
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("<html lang=\"en\">"));
    // The way back cannot lead to another site.
    let res = browser
        .get(app.url("/lang/zh-CN?back=//evil.example/"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()[LOCATION], "/");
}

async fn applying_to_join_through_the_page(app: TestApp) {
    let visitor = app.browser();
    let html = visitor
        .get(app.url("/join"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&html);
    let uscc = test_uscc(8080);
    let form = [
        ("csrf_token", token.as_str()),
        ("name", "株洲某某新材料有限公司"),
        ("kind", "enterprise"),
        ("uscc", uscc.as_str()),
        ("contact_name", "赵六"),
        ("contact_phone", "0731-28687649"),
        ("login", "zhao.liu"),
    ];
    let res = visitor
        .post(app.url("/join"))
        .form(&form)
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(
        res.text()
            .await
            .expect("html")
            .contains("id=\"application-id\"")
    );
    // The bureau approves it on its page; the one-time password is shown once.
    let admin = sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let html = admin
        .get(app.url("/applications"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("株洲某某新材料有限公司"));
    let id_marker = "href=\"/applications/";
    let start = html.find(id_marker).expect("link") + id_marker.len();
    let id: String = html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let page = admin
        .get(app.url(&format!("/applications/{id}")))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    // Declining needs a reason.
    let res = admin
        .post(app.url(&format!("/applications/{id}/decline")))
        .form(&[("csrf_token", token.as_str()), ("reason", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = admin
        .post(app.url(&format!("/applications/{id}/approve")))
        .form(&[("csrf_token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(res.status(), StatusCode::CREATED);
    let html = res.text().await.expect("html");
    let marker = "id=\"one-time-password\">";
    let start = html.find(marker).expect("password") + marker.len();
    let otp: String = html[start..].chars().take_while(|c| *c != '<').collect();
    let user = app.browser();
    let page = user
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    let token = form_token(&page);
    let res = user
        .post(app.url("/sign-in"))
        .form(&[
            ("login", "zhao.liu"),
            ("password", otp.as_str()),
            ("csrf_token", &token),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(res.headers()[LOCATION], "/account/password");
}

/// Issue 11: an id in a page's path that is no id (too large, letters) answers the not-found
/// page, as an id nobody has does, never a plain-text 400.
async fn a_page_id_that_is_no_id_is_not_found(app: TestApp) {
    let browser = crate::pages::sign_in(&app, "admin", ADMIN_PASSWORD).await;
    for path in [
        "/market/listings/99999999999999999999",
        "/market/listings/abc",
        "/carriers/1e3",
        "/market/listings/99999999999999999999/edit",
        "/market/listings/9999",
    ] {
        let res = browser.get(app.url(path)).send().await.expect("get");
        assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND, "{path}");
        assert!(
            res.headers()["content-type"]
                .to_str()
                .unwrap_or("")
                .starts_with("text/html"),
            "{path}"
        );
        let html = res.text().await.expect("html");
        assert!(html.contains("<html lang="), "{path}: {html}");
    }
}

/// Issue 15, item 10: a page answers with a page, in the visitor's language, whatever its
/// address holds — letters, Chinese or an emoji where an id goes (not found), a query string the
/// page cannot read (400) — never axum's plain-text "Invalid URL: …"; the API's counterparts
/// answer its JSON error document (`{"error": {"code", "message", "fields"}}`).
async fn a_bad_address_answers_a_page_in_the_visitors_language(app: TestApp) {
    let browser = crate::pages::sign_in(&app, "admin", ADMIN_PASSWORD).await;
    let cases = [
        ("/carriers/abc", StatusCode::NOT_FOUND, "页面不存在"),
        ("/market/listings/abc", StatusCode::NOT_FOUND, "页面不存在"),
        (
            "/carriers/%E5%A4%A9%E5%85%83",
            StatusCode::NOT_FOUND,
            "页面不存在",
        ),
        (
            "/market/listings/%F0%9F%8D%8E/edit",
            StatusCode::NOT_FOUND,
            "页面不存在",
        ),
        (
            "/pilot/resources/%F0%9F%8D%8E",
            StatusCode::NOT_FOUND,
            "页面不存在",
        ),
        (
            "/organisations/%E5%A4%A9",
            StatusCode::NOT_FOUND,
            "页面不存在",
        ),
        (
            "/carriers?kind=a&kind=b",
            StatusCode::BAD_REQUEST,
            "网址有误",
        ),
        (
            "/statistics?year=2024&year=2023",
            StatusCode::BAD_REQUEST,
            "网址有误",
        ),
        (
            "/market/new?kind=%E5%A4%A9&kind=x",
            StatusCode::BAD_REQUEST,
            "网址有误",
        ),
    ];
    for (path, status, heading) in cases {
        let res = browser
            .get(app.url(path))
            .header("accept-language", "zh-CN,zh;q=0.9")
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), status, "{path}");
        let kind = res.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .to_owned();
        assert!(kind.starts_with("text/html"), "{path}: {kind}");
        let html = res.text().await.expect("html");
        assert!(html.contains("<html lang=\"zh-CN\""), "{path}: {html}");
        assert!(html.contains(heading), "{path} says {heading}: {html}");
        assert!(!html.contains("Invalid URL"), "{path}: {html}");
    }
    // An English visitor reads English (signed out, the language from the browser).
    let visitor = app.browser();
    for (path, status, heading) in [
        (
            "/market/listings/abc",
            StatusCode::NOT_FOUND,
            "Page not found",
        ),
        (
            "/pilot?q=a&q=b",
            StatusCode::BAD_REQUEST,
            "The address is not right",
        ),
    ] {
        let res = visitor
            .get(app.url(path))
            .header("accept-language", "en-GB,en;q=0.9")
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), status, "{path}");
        let html = res.text().await.expect("html");
        assert!(html.contains("<html lang=\"en\""), "{path}: {html}");
        assert!(html.contains(heading), "{path}: {html}");
    }
    // The API answers problem documents for the same mistakes.
    for path in [
        "/api/v1/carriers/abc",
        "/api/v1/carriers/%E5%A4%A9%E5%85%83",
        "/api/v1/organisations/%F0%9F%8D%8E",
        "/api/v1/carriers?kind=a&kind=b",
    ] {
        let res = app
            .client
            .get(app.url(path))
            .bearer_auth(&app.admin_token)
            .send()
            .await
            .expect("get");
        assert!(res.status().is_client_error(), "{path}: {}", res.status());
        let kind = res.headers()["content-type"]
            .to_str()
            .unwrap_or("")
            .to_owned();
        assert!(kind.starts_with("application/json"), "{path}: {kind}");
        let body: serde_json::Value = res.json().await.expect("a JSON error document");
        assert!(
            body["error"]["code"]
                .as_str()
                .is_some_and(|c| !c.is_empty())
                && body["error"]["message"]
                    .as_str()
                    .is_some_and(|m| !m.is_empty()),
            "{path}: {body}"
        );
    }
}

on_both!(
    a_bad_address_answers_a_page_in_the_visitors_language,
    a_page_id_that_is_no_id_is_not_found,
    sign_in_and_navigation,
    one_time_password_must_be_changed,
    language_follows_choice_then_browser,
    applying_to_join_through_the_page
);

/// `?back=` and the sign-in page's `next` lead only to a path on this site: a tab or line break
/// (which browsers drop, making `/<TAB>/host` into `//host`), a NUL or a backslash sends the
/// visitor home, never to another site and never to a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redirects_stay_on_this_site() {
    let app = TestApp::sqlite().await;
    let hostile = [
        "/%09/evil.example",
        "/%0A/evil.example",
        "/%0D%0A/evil.example",
        "/%00",
        "/%5C/evil.example",
        "/a%5Cb",
        "%2F%2Fevil.example",
        "https://evil.example/",
        "/%E2%80%A8/evil.example",
    ];
    for back in hostile {
        let res = app
            .client
            .get(app.url(&format!("/lang/en?back={back}")))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "back={back}");
        let location = res.headers()[LOCATION].to_str().expect("location");
        assert!(
            location == "/" || location.starts_with("/%E2%80%A8"),
            "back={back} led to {location:?}"
        );
    }
    // A path with a query and words beyond ASCII survives, encoded.
    let res = app
        .client
        .get(app.url("/lang/en?back=/market%3Fq%3D%E7%89%B5%E5%BC%95"))
        .send()
        .await
        .expect("get");
    assert_eq!(res.headers()[LOCATION], "/market?q=%E7%89%B5%E5%BC%95");
    // Signing in with a hostile `next` goes home.
    for next in [
        "/\t/evil.example",
        "/\n/evil.example",
        "/\0",
        "/\\evil.example",
    ] {
        let browser = app.browser();
        let page = browser
            .get(app.url("/sign-in"))
            .send()
            .await
            .expect("get")
            .text()
            .await
            .expect("html");
        let token = form_token(&page);
        let res = browser
            .post(app.url("/sign-in"))
            .form(&[
                ("login", "admin"),
                ("password", ADMIN_PASSWORD),
                ("csrf_token", &token),
                ("next", next),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "next={next:?}");
        assert_eq!(res.headers()[LOCATION], "/", "next={next:?}");
        // Signed in, the sign-in page sends the visitor on, home too.
        let res = browser
            .get(app.url(&format!(
                "/sign-in?next={}",
                fruition_app::links::url_encode(next)
            )))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "next={next:?}");
        assert_eq!(res.headers()[LOCATION], "/", "next={next:?}");
    }
}
