//! The pages in a real browser: headless Chromium driven through chromedriver (WebDriver).
//!
//! Runs only when `FRUITION_TEST_CHROMEDRIVER` names a chromedriver binary (in CI
//! `/usr/bin/chromedriver`); the browser is `/usr/bin/chromium` unless `FRUITION_TEST_CHROMIUM`
//! says otherwise. Like the other integration tests it runs on SQLite, and on PostgreSQL when
//! `FRUITION_TEST_DATABASE_URL` is set. Everything after the server starts is done in the
//! browser: following links, typing, pressing keys and submitting forms.

// The harness is shared with the `it` target; this target uses only part of it.
#![allow(dead_code, unused_macros, unused_imports)]

#[path = "it/support.rs"]
mod support;

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Map, Value, json};

use support::{TestApp, test_uscc};

/// How long to wait for anything the browser should soon show.
const WAIT: Duration = Duration::from_secs(10);
/// How often to look again while waiting.
const POLL: Duration = Duration::from_millis(50);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let (app, one_time) = TestApp::sqlite_fresh().await;
    in_browser(&driver, &app, one_time).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres() {
    let Some(driver) = ChromeDriver::from_env().await else {
        return;
    };
    let Some((app, one_time)) = TestApp::postgres_fresh().await else {
        return;
    };
    in_browser(&driver, &app, one_time).await;
}

/// Opens a browser session, runs the scenario, and closes the session whatever happened (so no
/// browser outlives the test), then reports the scenario's failure if it had one.
async fn in_browser(driver: &ChromeDriver, app: &TestApp, one_time: String) {
    let profile = support::tempfile_dir::TempDir::new();
    let client = driver.session(profile.path()).await;
    let browser = Browser {
        c: client.clone(),
        base: app.base.clone(),
    };
    // On a task of its own, so that a failed assertion comes back here as an error.
    let outcome = tokio::spawn(async move { scenario(browser, one_time).await }).await;
    let _ = client.close().await;
    if let Err(err) = outcome {
        match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(err) => panic!("the browser scenario did not finish: {err}"),
        }
    }
}

async fn scenario(b: Browser, admin_one_time: String) {
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
    b.click("nav.main a[href='/organisations']").await;
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
    b.click("nav.main a[href='/']").await;
    b.at("/").await;
    let greeting = b.text("main h2").await;
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
    assert!(
        nav.iter().any(|h| h.starts_with("/organisations/")),
        "their own organisation is in the navigation: {nav:?}"
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

/// A WebDriver session with the server's address, and bounded waits.
struct Browser {
    c: Client,
    base: String,
}

impl Browser {
    async fn goto(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("opening {path}: {e}"));
    }

    /// Waits until the browser shows `path` (any query string aside).
    async fn at(&self, path: &str) {
        let start = Instant::now();
        loop {
            let url = self.c.current_url().await.expect("current URL");
            if url.path() == path {
                return;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "expected to arrive at {path}, still at {url}\n{}",
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for an element to be on the page.
    async fn find(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => el,
            Err(e) => {
                let url = self.c.current_url().await.map(|u| u.to_string());
                panic!("no {css} on {url:?}: {e}\n{}", self.page_text().await)
            }
        }
    }

    async fn find_all(&self, css: &str) -> Vec<Element> {
        self.c.find_all(Locator::Css(css)).await.expect("find_all")
    }

    async fn click(&self, css: &str) {
        self.find(css)
            .await
            .click()
            .await
            .unwrap_or_else(|e| panic!("clicking {css}: {e}"));
    }

    async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
        el.send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    async fn text(&self, css: &str) -> String {
        let text = self.find(css).await.text().await.expect("text");
        text.trim().to_string()
    }

    async fn nav_hrefs(&self) -> Vec<String> {
        let mut hrefs = Vec::new();
        for a in self.find_all("nav.main a").await {
            if let Some(h) = a.attr("href").await.expect("href") {
                hrefs.push(h);
            }
        }
        hrefs
    }

    async fn assert_lang_zh(&self) {
        let lang = self.find("html").await.attr("lang").await.expect("lang");
        assert_eq!(
            lang.as_deref(),
            Some("zh-CN"),
            "a Chinese browser gets Chinese"
        );
    }

    /// Presses and releases one key on whatever has the focus.
    async fn press(&self, key: Key) {
        let k: char = key.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.c.perform_actions(keys).await.expect("press a key");
    }

    async fn type_into_focused(&self, text: &str) {
        self.c
            .active_element()
            .await
            .expect("focused element")
            .send_keys(text)
            .await
            .expect("type");
    }

    /// The id of the focused element (empty when it has none).
    async fn focused_id(&self) -> String {
        let el = self.c.active_element().await.expect("focused element");
        el.attr("id").await.expect("id").unwrap_or_default()
    }

    /// On a freshly loaded page, the first Tab focuses the skip link.
    async fn assert_first_tab_is_skip_link(&self) {
        self.find("a.skip-link").await;
        self.press(Key::Tab).await;
        let el = self.c.active_element().await.expect("focused element");
        let class = el.attr("class").await.expect("class").unwrap_or_default();
        assert!(
            class.split_whitespace().any(|c| c == "skip-link"),
            "the first Tab focuses the skip link, not {:?}",
            el.html(false).await.unwrap_or_default()
        );
        assert_eq!(
            el.attr("href").await.expect("href").as_deref(),
            Some("#main")
        );
    }

    /// What the page says, for failure messages.
    async fn page_text(&self) -> String {
        match self.c.find(Locator::Css("body")).await {
            Ok(body) => {
                let text = body.text().await.unwrap_or_default();
                text.chars().take(2000).collect()
            }
            Err(e) => format!("(no page text: {e})"),
        }
    }
}

/// A chromedriver started for this test on a free port; killed (with any browser it started)
/// when dropped.
struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    /// Starts the chromedriver `FRUITION_TEST_CHROMEDRIVER` names, or says the test is skipped.
    async fn from_env() -> Option<ChromeDriver> {
        let Some(path) = std::env::var("FRUITION_TEST_CHROMEDRIVER")
            .ok()
            .filter(|s| !s.trim().is_empty())
        else {
            eprintln!("SKIPPED browser test: FRUITION_TEST_CHROMEDRIVER is not set");
            return None;
        };
        // A free port can be taken by someone else before chromedriver binds it: try again.
        let mut last_problem = String::new();
        for _ in 0..3 {
            match ChromeDriver::start(&path).await {
                Ok(driver) => return Some(driver),
                Err(problem) => last_problem = problem,
            }
        }
        panic!("chromedriver ({path}) did not start: {last_problem}");
    }

    async fn start(path: &str) -> Result<ChromeDriver, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let child = Command::new(path)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // A process group of its own, so that dropping it also ends the browser it started.
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot run it: {e}"))?;
        let mut driver = ChromeDriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()
            .expect("client");
        let start = Instant::now();
        loop {
            if let Ok(Some(status)) = driver.child.try_wait() {
                return Err(format!("it exited at once ({status})"));
            }
            if let Ok(res) = http.get(format!("{}/status", driver.url)).send().await
                && let Ok(body) = res.json::<Value>().await
                && body["value"]["ready"] == Value::Bool(true)
            {
                return Ok(driver);
            }
            if start.elapsed() > WAIT {
                return Err(format!("not answering on port {port} after {WAIT:?}"));
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// A new headless Chromium session with a profile in `profile`.
    async fn session(&self, profile: &std::path::Path) -> Client {
        let binary = std::env::var("FRUITION_TEST_CHROMIUM")
            .ok()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| "/usr/bin/chromium".to_string());
        let args = [
            "--headless=new".to_string(),
            "--no-sandbox".to_string(),
            "--disable-gpu".to_string(),
            "--disable-dev-shm-usage".to_string(),
            "--disable-background-networking".to_string(),
            "--disable-component-update".to_string(),
            "--disable-sync".to_string(),
            "--no-first-run".to_string(),
            "--disable-quic".to_string(),
            "--lang=zh-CN".to_string(),
            format!("--user-data-dir={}", profile.display()),
        ];
        let mut caps = Map::new();
        caps.insert(
            "goog:chromeOptions".to_string(),
            // Headless Chromium asks for English whatever `--lang` says; the preference is what
            // sets its `Accept-Language`.
            json!({
                "binary": binary,
                "args": args,
                "prefs": { "intl": { "accept_languages": "zh-CN,zh" } },
            }),
        );
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url)
            .await
            .unwrap_or_else(|e| panic!("a Chromium session ({binary}) through chromedriver: {e}"))
    }
}

impl Drop for ChromeDriver {
    fn drop(&mut self) {
        // The whole group: chromedriver and any browser a failed test left behind.
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill")
            .args(["-KILL", "--", &group])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
