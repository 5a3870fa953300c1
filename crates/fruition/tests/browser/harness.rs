//! The browser harness: a chromedriver of the test's own, a Chromium session per scenario, and
//! `Browser`, the few things a scenario does with a page, each waiting a bounded time.

use std::collections::HashSet;
use std::future::Future;
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Map, Value, json};

use crate::support::{TestApp, tempfile_dir::TempDir};

/// How long to wait for anything the browser should soon show.
pub const WAIT: Duration = Duration::from_secs(10);
/// How often to look again while waiting.
pub const POLL: Duration = Duration::from_millis(50);

/// Opens a browser session on `app`, runs the scenario, and closes the session whatever happened
/// (so no browser outlives the test), then reports the scenario's failure if it had one.
pub async fn in_browser<F, Fut>(driver: &ChromeDriver, app: &TestApp, scenario: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let profile = TempDir::new();
    let downloads = profile.path().join("downloads");
    std::fs::create_dir_all(&downloads).expect("downloads folder");
    let client = driver.session(profile.path(), &downloads).await;
    let browser = Browser {
        c: client.clone(),
        base: app.base.clone(),
        downloads,
        axe: axe_source(),
        audited: Arc::new(Mutex::new(HashSet::new())),
        violations: Arc::new(Mutex::new(Vec::new())),
    };
    let violations = browser.violations.clone();
    // On a task of its own, so that a failed assertion comes back here as an error.
    let outcome = tokio::spawn(scenario(browser)).await;
    let _ = client.close().await;
    // Every page's accessibility violations at once, so that one run shows them all.
    let violations = std::mem::take(&mut *violations.lock().expect("violations"));
    if !violations.is_empty() {
        if outcome.is_err() {
            eprintln!("(the scenario also failed; its failure follows the violations)");
        }
        eprintln!("{}", violations.join("\n\n"));
        if outcome.is_ok() {
            panic!(
                "{} pages with accessibility violations:\n\n{}",
                violations.len(),
                violations.join("\n\n")
            );
        }
    }
    if let Err(err) = outcome {
        match err.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(err) => panic!("the browser scenario did not finish: {err}"),
        }
    }
}

/// A WebDriver session with the server's address, and bounded waits.
pub struct Browser {
    pub c: Client,
    pub base: String,
    /// Where the browser saves what it downloads.
    pub downloads: PathBuf,
    /// axe-core's script, when `FRUITION_TEST_AXE` names it: every page the scenario reaches is
    /// checked against the WCAG 2 A and AA rules.
    axe: Option<Arc<String>>,
    /// The pages already checked (see [`Browser::audit`]).
    audited: Arc<Mutex<HashSet<String>>>,
    /// What the checks found, page by page; the test fails with all of them at its end.
    violations: Arc<Mutex<Vec<String>>>,
}

/// axe-core's `axe.min.js`, read once from the file `FRUITION_TEST_AXE` names (CI installs it
/// with npm; it is never part of the repository). Unset, the accessibility checks are skipped
/// and the test says so.
fn axe_source() -> Option<Arc<String>> {
    static AXE: OnceLock<Option<Arc<String>>> = OnceLock::new();
    AXE.get_or_init(|| {
        let Some(path) = std::env::var("FRUITION_TEST_AXE")
            .ok()
            .filter(|s| !s.trim().is_empty())
        else {
            eprintln!(
                "SKIPPED accessibility checks: FRUITION_TEST_AXE (the path of axe-core's \
                 axe.min.js) is not set"
            );
            return None;
        };
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("FRUITION_TEST_AXE={path}: {e}"));
        assert!(
            source.contains("axe"),
            "FRUITION_TEST_AXE={path} is not axe-core's script"
        );
        Some(Arc::new(source))
    })
    .clone()
}

/// What identifies a page for the accessibility checks, read in the page: its path and query,
/// the width it is shown at, and whether it reports an error (a form sent back with its
/// problems is checked apart from the empty form).
const PAGE_KEY: &str = "return document.readyState === 'complete' \
    ? location.pathname + location.search + ' @' + window.innerWidth + 'px' \
      + (document.querySelector('[role=alert], .error-summary') ? ' (with an alert)' : '') \
    : null;";

/// Runs axe-core on the page (loaded above it in the same script) and answers its key with the
/// violations, or null while the page is still loading.
const AXE_RUN: &str = r#"
const done = arguments[arguments.length - 1];
if (document.readyState !== 'complete' || typeof axe === 'undefined') { done(null); return; }
const key = location.pathname + location.search + ' @' + window.innerWidth + 'px'
    + (document.querySelector('[role=alert], .error-summary') ? ' (with an alert)' : '');
axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
    resultTypes: ['violations'],
}).then(r => done({
    key: key,
    violations: r.violations.map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 8).map(n => ({
            target: n.target.map(t => String(t)).join(' '),
            html: n.html.slice(0, 200),
            summary: (n.failureSummary || '').slice(0, 300),
        })),
    })),
}), e => done({ key: key, error: String(e) }));
"#;

impl Browser {
    pub async fn goto(&self, path: &str) {
        self.c
            .goto(&format!("{}{path}", self.base))
            .await
            .unwrap_or_else(|e| panic!("opening {path}: {e}"));
        self.audit().await;
    }

    /// Checks the page the browser shows against WCAG 2 A and AA with axe-core, once per page
    /// (path and query, width, with or without an alert) and person signed in; any violation
    /// (the page, the rules and the offending elements) fails the test when its scenario ends. Called
    /// whenever the scenario arrives somewhere or finds something on a page, so every page it
    /// visits is checked. A page still loading, or replaced while being checked, is checked
    /// when the scenario next looks at it.
    pub async fn audit(&self) {
        let Some(axe) = &self.axe else {
            return;
        };
        let Ok(key) = self.c.execute(PAGE_KEY, vec![]).await else {
            return;
        };
        let Some(key) = key.as_str() else {
            return;
        };
        if self.audited.lock().expect("audited").contains(key) {
            return;
        }
        if std::env::var_os("FRUITION_TEST_AXE_VERBOSE").is_some() {
            eprintln!("axe-core: checking {key}");
        }
        let script = format!("{axe}\n;{AXE_RUN}");
        let verbose = std::env::var_os("FRUITION_TEST_AXE_VERBOSE").is_some();
        let result = match self.c.execute_async(&script, vec![]).await {
            Ok(result) => result,
            Err(e) => {
                if verbose {
                    eprintln!("axe-core: {key} not checked this time: {e}");
                }
                return;
            }
        };
        let Some(key) = result["key"].as_str() else {
            if verbose {
                eprintln!("axe-core: {key} still loading");
            }
            return;
        };
        if verbose {
            let n = result["violations"].as_array().map_or(0, Vec::len);
            eprintln!("axe-core: {key}: {n} violations");
        }
        if let Some(error) = result["error"].as_str() {
            panic!("axe-core could not check {key}: {error}");
        }
        self.audited
            .lock()
            .expect("audited")
            .insert(key.to_string());
        let violations = result["violations"].as_array().cloned().unwrap_or_default();
        if violations.is_empty() {
            return;
        }
        let mut report = format!("accessibility violations (WCAG 2 A/AA, axe-core) on {key}:");
        for v in &violations {
            report.push_str(&format!(
                "\n- {} ({}): {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("")
            ));
            for n in v["nodes"].as_array().into_iter().flatten() {
                report.push_str(&format!(
                    "\n    {}  {}\n      {}",
                    n["target"].as_str().unwrap_or(""),
                    n["html"].as_str().unwrap_or(""),
                    n["summary"].as_str().unwrap_or("").replace('\n', " / ")
                ));
            }
        }
        self.violations.lock().expect("violations").push(report);
    }

    /// On a narrow screen: the page is no wider than the window (what is wider scrolls inside a
    /// scroll container), and no table cell is squeezed narrower than about two characters (a
    /// code or a heading one character per line), and charts are drawn at no less than three
    /// quarters of their size, their text legible. What does not fit fails the test when its
    /// scenario ends, with the accessibility violations.
    pub async fn assert_fits_the_screen(&self, who: &str) {
        let found = self
            .c
            .execute(
                r#"
const doc = document.documentElement;
const problems = [];
if (doc.scrollWidth > doc.clientWidth + 1) {
    const wide = [...document.querySelectorAll('body *')].filter(el => {
        const r = el.getBoundingClientRect();
        return r.right > doc.clientWidth + 1 && !el.parentElement.closest('.scroll');
    }).slice(0, 4).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.className && typeof el.className === 'string' ? '.' + el.className : '')
        + ' (' + el.textContent.trim().slice(0, 30) + ')');
    problems.push('the page is ' + doc.scrollWidth + ' px wide on a ' + doc.clientWidth
        + ' px screen: ' + wide.join(', '));
}
const em = parseFloat(getComputedStyle(document.body).fontSize);
for (const cell of document.querySelectorAll('main th, main td')) {
    const text = cell.textContent.trim();
    if ([...text].length >= 2 && cell.getBoundingClientRect().width > 0
        && cell.clientWidth < 2 * em) {
        problems.push('a cell ' + cell.clientWidth + ' px wide: ' + text.slice(0, 20));
        if (problems.length > 5) break;
    }
}
// Charts keep their text legible: drawn at no less than three quarters of their size (text of
// 12 units at least 9 px).
for (const svg of document.querySelectorAll('main svg[viewBox]')) {
    const drawn = svg.getBoundingClientRect().width;
    const own = svg.viewBox.baseVal.width;
    if (drawn > 0 && own > 0 && drawn < 0.75 * own) {
        problems.push('a chart drawn at ' + Math.round(100 * drawn / own) + ' % of its size: '
            + (svg.querySelector('title') || svg).textContent.trim().slice(0, 30));
        if (problems.length > 8) break;
    }
}
return problems;
"#,
                vec![],
            )
            .await
            .expect("measuring the page");
        let problems: Vec<String> = found
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
        if !problems.is_empty() {
            let url = self.c.current_url().await.expect("current URL");
            self.violations.lock().expect("violations").push(format!(
                "{} does not fit a narrow screen ({who}):\n{}",
                url.path(),
                problems.join("\n")
            ));
        }
    }

    /// Forgets which pages were checked, as when someone else signs in (they see other pages at
    /// the same addresses).
    pub fn forget_audits(&self) {
        self.audited.lock().expect("audited").clear();
    }

    /// Waits until the browser shows `path` (any query string aside).
    pub async fn at(&self, path: &str) {
        let start = Instant::now();
        loop {
            let url = self.c.current_url().await.expect("current URL");
            if url.path() == path {
                self.audit().await;
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

    /// Waits until the browser's address (path and query) holds `part`, as after a filter form.
    pub async fn wait_url_contains(&self, part: &str) {
        let start = Instant::now();
        loop {
            let url = self.c.current_url().await.expect("current URL");
            if url.as_str().contains(part) {
                self.audit().await;
                return;
            }
            if start.elapsed() > WAIT {
                panic!("expected an address with {part}, still at {url}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the browser shows `{prefix}{id}` (any query string aside) and returns the id,
    /// as after creating something whose page the server redirects to.
    pub async fn arrived_at_id(&self, prefix: &str) -> i64 {
        let start = Instant::now();
        loop {
            let url = self.c.current_url().await.expect("current URL");
            if let Some(id) = url
                .path()
                .strip_prefix(prefix)
                .and_then(|rest| rest.parse::<i64>().ok())
            {
                self.audit().await;
                return id;
            }
            if start.elapsed() > WAIT {
                panic!(
                    "expected to arrive at {prefix}<id>, still at {url}\n{}",
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits for an element to be on the page.
    pub async fn find(&self, css: &str) -> Element {
        match self
            .c
            .wait()
            .at_most(WAIT)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(el) => {
                self.audit().await;
                el
            }
            Err(e) => {
                let url = self.c.current_url().await.map(|u| u.to_string());
                panic!("no {css} on {url:?}: {e}\n{}", self.page_text().await)
            }
        }
    }

    pub async fn find_all(&self, css: &str) -> Vec<Element> {
        self.c.find_all(Locator::Css(css)).await.expect("find_all")
    }

    /// Clicks an element. One found on the page that was just left (a form's submit or a
    /// link's navigation still completing) goes stale before the click; it is found again on
    /// the page that replaced it.
    pub async fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            match self.find(css).await.click().await {
                Ok(_) => return,
                Err(fantoccini::error::CmdError::Standard(e))
                    if e.error == fantoccini::error::ErrorStatus::StaleElementReference
                        && started.elapsed() < WAIT =>
                {
                    tokio::time::sleep(POLL).await;
                }
                Err(e) => panic!("clicking {css}: {e}"),
            }
        }
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let el = self.find(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
        el.send_keys(value)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
    }

    /// Types a date (`YYYY-MM-DD`) into an `<input type=date>`, its parts in the order the
    /// browser's locale shows them (headless Chromium's is en-US: month, day, year), and checks
    /// that the field took it.
    pub async fn fill_date(&self, css: &str, iso: &str) {
        let order = self
            .c
            .execute(
                "return new Intl.DateTimeFormat().formatToParts(new Date(2001, 10, 22))\
                 .map(p => p.type).filter(t => t === 'year' || t === 'month' || t === 'day');",
                vec![],
            )
            .await
            .expect("the locale's order of a date's parts");
        let mut parts = iso.splitn(3, '-');
        let (year, month, day) = match (parts.next(), parts.next(), parts.next()) {
            (Some(y), Some(m), Some(d)) => (y, m, d),
            _ => panic!("not a YYYY-MM-DD date: {iso:?}"),
        };
        let keys: String = order
            .as_array()
            .expect("a list of parts")
            .iter()
            .map(|part| match part.as_str() {
                Some("year") => year,
                Some("month") => month,
                _ => day,
            })
            .collect();
        let el = self.find(css).await;
        el.clear()
            .await
            .unwrap_or_else(|e| panic!("clearing {css}: {e}"));
        el.send_keys(&keys)
            .await
            .unwrap_or_else(|e| panic!("typing into {css}: {e}"));
        let value = el.prop("value").await.expect("value");
        assert_eq!(
            value.as_deref(),
            Some(iso),
            "the date typed into {css} as {keys:?} ({order})"
        );
    }

    pub async fn text(&self, css: &str) -> String {
        let text = self.find(css).await.text().await.expect("text");
        text.trim().to_string()
    }

    /// Follows a link of the main navigation as a person does: opens the area's menu when the
    /// link is in a closed one, then clicks the link.
    pub async fn nav_to(&self, href: &str) {
        let summary = format!("nav.main details:not([open]):has(a[href='{href}']) > summary");
        if !self.find_all(&summary).await.is_empty() {
            self.click(&summary).await;
        }
        self.click(&format!("nav.main a[href='{href}']")).await;
    }

    pub async fn nav_hrefs(&self) -> Vec<String> {
        let mut hrefs = Vec::new();
        for a in self.find_all("nav.main a").await {
            if let Some(h) = a.attr("href").await.expect("href") {
                hrefs.push(h);
            }
        }
        hrefs
    }

    pub async fn assert_lang_zh(&self) {
        let lang = self.find("html").await.attr("lang").await.expect("lang");
        assert_eq!(
            lang.as_deref(),
            Some("zh-CN"),
            "a Chinese browser gets Chinese"
        );
    }

    /// Presses and releases one key on whatever has the focus.
    pub async fn press(&self, key: Key) {
        let k: char = key.into();
        let keys = KeyActions::new("keyboard".into())
            .then(KeyAction::Down { value: k })
            .then(KeyAction::Up { value: k });
        self.c.perform_actions(keys).await.expect("press a key");
    }

    pub async fn type_into_focused(&self, text: &str) {
        self.c
            .active_element()
            .await
            .expect("focused element")
            .send_keys(text)
            .await
            .expect("type");
    }

    /// The id of the focused element (empty when it has none).
    pub async fn focused_id(&self) -> String {
        let el = self.c.active_element().await.expect("focused element");
        el.attr("id").await.expect("id").unwrap_or_default()
    }

    /// On a freshly loaded page, the first Tab focuses the skip link.
    pub async fn assert_first_tab_is_skip_link(&self) {
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

    /// Chooses the option whose value is `value` in a `<select>`.
    pub async fn select(&self, css: &str, value: &str) {
        self.find(css)
            .await
            .select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("choosing {value:?} in {css}: {e}"));
    }

    /// Chooses a local file in an `<input type=file>` (chromedriver takes the path as the keys
    /// typed into it and uploads the file with the form).
    pub async fn choose_file(&self, css: &str, path: &Path) {
        self.find(css)
            .await
            .send_keys(&path.display().to_string())
            .await
            .unwrap_or_else(|e| panic!("choosing {} in {css}: {e}", path.display()));
    }

    /// The texts of the elements an XPath expression finds (for what has no id of its own, such
    /// as the `<dd>` after a `<dt>`).
    pub async fn texts_at(&self, xpath: &str) -> Vec<String> {
        let mut texts = Vec::new();
        for el in self
            .c
            .find_all(Locator::XPath(xpath))
            .await
            .expect("find_all")
        {
            texts.push(el.text().await.expect("text").trim().to_string());
        }
        texts
    }

    /// Waits until the browser has saved a download named `name`, and reads it.
    pub async fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self.downloads.join(name);
        let start = Instant::now();
        loop {
            // Chromium writes into `<name>.crdownload` and renames it when it is complete.
            let partial = std::fs::read_dir(&self.downloads)
                .map(|dir| {
                    dir.flatten()
                        .any(|e| e.file_name().to_string_lossy().ends_with(".crdownload"))
                })
                .unwrap_or(false);
            if !partial
                && let Ok(bytes) = std::fs::read(&path)
                && !bytes.is_empty()
            {
                return bytes;
            }
            if start.elapsed() > WAIT {
                let saved: Vec<String> = std::fs::read_dir(&self.downloads)
                    .map(|dir| {
                        dir.flatten()
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                panic!("no download named {name:?} after {WAIT:?}; saved: {saved:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits until the first element `css` finds says `needle` (as after a form posts back to
    /// the page it came from, where the address does not change), and returns its text.
    pub async fn wait_text(&self, css: &str, needle: &str) -> String {
        let start = Instant::now();
        loop {
            // The page may be replaced between finding an element and reading it: look again.
            if let Ok(el) = self.c.find(Locator::Css(css)).await
                && let Ok(text) = el.text().await
                && text.contains(needle)
            {
                self.audit().await;
                return text.trim().to_string();
            }
            if start.elapsed() > WAIT {
                let url = self.c.current_url().await.map(|u| u.to_string());
                panic!(
                    "no {css} saying {needle:?} on {url:?} after {WAIT:?}\n{}",
                    self.page_text().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The cells' texts of the table rows `css` finds (header cells and data cells alike).
    pub async fn table_rows(&self, css: &str) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for tr in self.find_all(css).await {
            let mut cells = Vec::new();
            for cell in tr.find_all(Locator::Css("th, td")).await.expect("cells") {
                cells.push(cell.text().await.expect("text").trim().to_string());
            }
            rows.push(cells);
        }
        rows
    }

    /// What the page says, for failure messages.
    pub async fn page_text(&self) -> String {
        match self.c.find(Locator::Css("body")).await {
            Ok(body) => {
                let text = body.text().await.unwrap_or_default();
                text.chars().take(2000).collect()
            }
            Err(e) => format!("(no page text: {e})"),
        }
    }
}

/// Signs in on the sign-in page and arrives home.
pub async fn sign_in(b: &Browser, login: &str, password: &str) {
    b.goto("/").await;
    b.click("header.site a[href='/sign-in']").await;
    b.at("/sign-in").await;
    b.fill("#f-login", login).await;
    b.fill("#f-password", password).await;
    b.click("main form button[type='submit']").await;
    b.forget_audits();
    b.at("/").await;
    b.find("header.site form[action='/sign-out']").await;
}

/// Signs out from the header and arrives at the sign-in page.
pub async fn sign_out(b: &Browser) {
    b.click("header.site form[action='/sign-out'] button[type='submit']")
        .await;
    b.forget_audits();
    b.at("/sign-in").await;
}

/// A chromedriver started for this test on a free port; killed (with any browser it started)
/// when dropped.
pub struct ChromeDriver {
    child: Child,
    url: String,
}

impl ChromeDriver {
    /// Starts the chromedriver `FRUITION_TEST_CHROMEDRIVER` names, or says the test is skipped.
    pub async fn from_env() -> Option<ChromeDriver> {
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

    /// A new headless Chromium session with a profile in `profile`, saving downloads in
    /// `downloads` without asking.
    async fn session(&self, profile: &Path, downloads: &Path) -> Client {
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
                "prefs": {
                    "intl": { "accept_languages": "zh-CN,zh" },
                    "download": {
                        "default_directory": downloads.display().to_string(),
                        "prompt_for_download": false,
                    },
                },
            }),
        );
        ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
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
