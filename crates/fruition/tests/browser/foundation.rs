//! The foundation in a browser: the administrator signs in with the keyboard alone and replaces
//! the one-time password, registers an enterprise with its first user and signs out; that user
//! signs in, replaces their own one-time password and finds their way around.

use fantoccini::key::Key;

use crate::harness::Browser;
use crate::support::test_uscc;

pub async fn scenario(b: Browser, admin_one_time: String) {
    // The home page, signed out: the first Tab reaches the skip link.
    b.goto("/").await;
    b.assert_lang_zh().await;
    b.assert_first_tab_is_skip_link().await;

    // The administrator follows the sign-in link and signs in with the keyboard alone: skip to
    // the content, Tab to the login, type, Tab to the password, type, Enter.
    b.click("header.site a[href='/sign-in']").await;
    b.at("/sign-in").await;
    b.assert_first_tab_is_skip_link().await;
    b.press(Key::Enter).await;
    assert_eq!(
        b.focused_id().await,
        "main",
        "the skip link moves the focus to the content"
    );
    b.press(Key::Tab).await;
    assert_eq!(
        b.focused_id().await,
        "f-login",
        "the login field follows the skip target"
    );
    b.type_into_focused("admin").await;
    b.press(Key::Tab).await;
    assert_eq!(b.focused_id().await, "f-password");
    b.type_into_focused(&admin_one_time).await;
    b.press(Key::Enter).await;

    // A one-time password must be changed before anything else.
    b.at("/account/password").await;
    let admin_password = "bureau admin password 2024";
    change_one_time_password(&b, &admin_one_time, admin_password).await;
    // The bureau's navigation includes the audit log.
    assert!(
        b.nav_hrefs().await.iter().any(|h| h == "/audit"),
        "the administrator's navigation has the audit log"
    );

    // 机构 → 登记机构: an enterprise with its first user.
    b.nav_to("/organisations").await;
    b.at("/organisations").await;
    b.assert_first_tab_is_skip_link().await;
    b.click("main a[href='/organisations/new']").await;
    b.at("/organisations/new").await;
    let org_name = "株洲浏览器测试科技有限公司";
    let login = "li.browser";
    let display_name = "李测试";
    b.find("#f-kind")
        .await
        .select_by_value("enterprise")
        .await
        .expect("choose the kind");
    b.fill("#f-name", org_name).await;
    b.fill("#f-uscc", &test_uscc(730_211)).await;
    b.fill("#f-login", login).await;
    b.fill("#f-display_name", display_name).await;
    b.click("main form button[type='submit']").await;
    let shown_password = b.text("#one-time-password").await;
    assert_eq!(
        shown_password.chars().count(),
        16,
        "a one-time password is shown: {shown_password:?}"
    );
    assert_eq!(b.text("#created-login").await, login);

    // Sign out from the header.
    b.click("header.site form[action='/sign-out'] button[type='submit']")
        .await;
    b.at("/sign-in").await;
    assert!(
        b.find_all("nav.main").await.is_empty(),
        "no navigation when signed out"
    );

    // The new user signs in with the password they were given, and must change it.
    b.fill("#f-login", login).await;
    b.fill("#f-password", &shown_password).await;
    b.click("main form button[type='submit']").await;
    b.at("/account/password").await;
    change_one_time_password(&b, &shown_password, "li browser own password").await;

    // Home greets them; the header names their organisation; there is no audit log for them.
    b.nav_to("/").await;
    b.at("/").await;
    let greeting = b.text("main h1").await;
    assert!(
        greeting.contains(&format!("欢迎，{display_name}")),
        "the home page greets the user: {greeting:?}"
    );
    let who = b.text("header.site .who").await;
    assert!(
        who.contains(display_name) && who.contains(org_name),
        "the header names the user and their organisation: {who:?}"
    );
    let nav = b.nav_hrefs().await;
    assert!(
        !nav.iter().any(|h| h == "/audit"),
        "no audit log in an enterprise user's navigation: {nav:?}"
    );
    assert!(
        !b.text("nav.main").await.contains("操作日志"),
        "no 操作日志 in the navigation"
    );
    // Their organisation's name in the header leads to its page.
    b.click("header.site .who a[href^='/organisations/']").await;
    assert_eq!(
        b.text("main h1").await,
        org_name,
        "the organisation's own page"
    );
    b.assert_first_tab_is_skip_link().await;
}

/// On the change-password page reached with a one-time password: a too-short password is refused
/// (error summary, message beside the field, summary link leads to the field), then a good one is
/// accepted and the account page confirms it.
async fn change_one_time_password(b: &Browser, one_time: &str, new_password: &str) {
    let notice = b.text("main .notice").await;
    assert!(
        notice.contains("一次性密码"),
        "the page says the one-time password must be changed: {notice:?}"
    );
    b.fill("#f-current_password", one_time).await;
    b.fill("#f-new_password", "short").await;
    b.click("main form button[type='submit']").await;

    let summary = b.find(".error-summary").await;
    assert!(summary.is_displayed().await.expect("displayed"));
    let beside = b
        .find(".field.has-error > #f-new_password-error + input#f-new_password")
        .await;
    assert_eq!(
        beside.attr("aria-invalid").await.expect("attr").as_deref(),
        Some("true")
    );
    let described_by = beside
        .attr("aria-describedby")
        .await
        .expect("attr")
        .unwrap_or_default();
    assert!(
        described_by
            .split_whitespace()
            .any(|id| id == "f-new_password-error"),
        "the field is described by its message: {described_by:?}"
    );
    let message = b.text("#f-new_password-error").await;
    assert!(
        message.contains("10"),
        "the message gives the rule: {message:?}"
    );
    // The summary's link takes the focus to the field.
    b.click(".error-summary a[href='#f-new_password']").await;
    assert_eq!(b.focused_id().await, "f-new_password");

    b.fill("#f-current_password", one_time).await;
    b.fill("#f-new_password", new_password).await;
    b.click("main form button[type='submit']").await;
    b.at("/account").await;
    let notice = b.text("main .notice").await;
    assert!(
        notice.contains("密码已修改"),
        "the account page confirms the change: {notice:?}"
    );
}
