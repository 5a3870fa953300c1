//! `TestApp`: a server on a random port with a fresh database of its own — SQLite always, and
//! PostgreSQL (a fresh schema in the database `FRUITION_TEST_DATABASE_URL` names) when that is set.

use std::sync::atomic::{AtomicU64, Ordering};

use fruition::bootstrap;
use fruition_app::auth::password::Hashing;
use fruition_app::{App, Settings};
use fruition_store::Db;
use fruition_web::{AppState, WebSettings};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

pub const ADMIN_PASSWORD: &str = "admin-password-for-tests";

/// Runs a scenario once on SQLite and once on PostgreSQL (skipped, saying so, without a server).
macro_rules! on_both {
    ($($name:ident),+ $(,)?) => {
        $(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(crate::support::TestApp::sqlite().await).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                let Some(app) = crate::support::TestApp::postgres().await else { return };
                super::$name(app).await;
            }
        }
        )+
    };
}
pub(crate) use on_both;

pub enum Engine {
    /// Holds the folder (and so the database file) until the app is dropped.
    Sqlite(#[allow(dead_code)] tempfile_dir::TempDir),
    Postgres {
        admin_url: String,
        schema: String,
    },
}

/// A temporary folder removed on drop (kept tiny so no extra crate is needed).
pub mod tempfile_dir {
    use std::path::{Path, PathBuf};

    pub struct TempDir(PathBuf);

    impl TempDir {
        pub fn new() -> TempDir {
            let n: u64 = rand::random();
            let path = std::env::temp_dir().join(format!("fruition-test-{n:016x}"));
            std::fs::create_dir_all(&path).expect("temp dir");
            TempDir(path)
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub db: Db,
    pub db_url: Option<String>,
    pub admin_token: String,
    pub client: reqwest::Client,
    pub engine: Engine,
    /// The application the server runs (its password computations, its caches).
    pub app: App,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

pub fn postgres_url() -> Option<String> {
    std::env::var("FRUITION_TEST_DATABASE_URL")
        .ok()
        .filter(|s| !s.trim().is_empty())
}

impl TestApp {
    pub async fn sqlite() -> TestApp {
        let dir = tempfile_dir::TempDir::new();
        let db = Db::open_sqlite(&dir.path().join("fruition.db"))
            .await
            .expect("open sqlite");
        TestApp::start(db, None, Engine::Sqlite(dir), Settings::default()).await
    }

    /// Like [`TestApp::sqlite`], but the administrator `admin` keeps the one-time password the
    /// first start gave them, which is returned; `admin_token` is empty.
    #[allow(dead_code)] // used by the browser test target
    pub async fn sqlite_fresh() -> (TestApp, String) {
        let dir = tempfile_dir::TempDir::new();
        let db = Db::open_sqlite(&dir.path().join("fruition.db"))
            .await
            .expect("open sqlite");
        TestApp::start_with_fresh_admin(db, None, Engine::Sqlite(dir), Settings::default()).await
    }

    /// Like [`TestApp::postgres`], but with the administrator's one-time password kept (see
    /// [`TestApp::sqlite_fresh`]).
    #[allow(dead_code)] // used by the browser test target
    pub async fn postgres_fresh() -> Option<(TestApp, String)> {
        let (db, url, engine) = fresh_postgres().await?;
        Some(TestApp::start_with_fresh_admin(db, Some(url), engine, Settings::default()).await)
    }

    /// A fresh schema in the test database, or None (and a note) when no server is configured.
    pub async fn postgres() -> Option<TestApp> {
        let (db, url, engine) = fresh_postgres().await?;
        Some(TestApp::start(db, Some(url), engine, Settings::default()).await)
    }

    /// Like [`TestApp::sqlite`], with other bounds on password computations.
    pub async fn sqlite_with_hashing(hashing: Hashing) -> TestApp {
        let dir = tempfile_dir::TempDir::new();
        let db = Db::open_sqlite(&dir.path().join("fruition.db"))
            .await
            .expect("open sqlite");
        let (mut app, admin) = TestApp::launch_with(
            db,
            None,
            Engine::Sqlite(dir),
            Settings::default(),
            Some(hashing),
        )
        .await;
        app.ready_admin(admin).await;
        app
    }

    pub async fn start(
        db: Db,
        db_url: Option<String>,
        engine: Engine,
        settings: Settings,
    ) -> TestApp {
        let (mut app, admin) = TestApp::launch(db, db_url, engine, settings).await;
        app.ready_admin(admin).await;
        app
    }

    /// Gives the first administrator a token and replaces the one-time password.
    async fn ready_admin(&mut self, admin: bootstrap::CreatedAccount) {
        let app = self;
        let token = bootstrap::create_token(&app.db, &admin.login, "tests")
            .await
            .expect("token");
        // The one-time password must be replaced before the API does anything else.
        let (status, body) = app
            .call_with(
                &token,
                Method::PUT,
                "/api/v1/me/password",
                Some(json!({"current_password": admin.password, "new_password": ADMIN_PASSWORD})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        app.admin_token = token;
    }

    /// Like [`TestApp::start`], but leaves the first administrator's one-time password as it is
    /// and returns it (`admin_token` stays empty: the API refuses such an account until the
    /// password is changed).
    #[allow(dead_code)] // used by the browser test target
    pub async fn start_with_fresh_admin(
        db: Db,
        db_url: Option<String>,
        engine: Engine,
        settings: Settings,
    ) -> (TestApp, String) {
        let (app, admin) = TestApp::launch(db, db_url, engine, settings).await;
        assert_eq!(admin.login, "admin");
        (app, admin.password)
    }

    /// Migrates, creates the first administrator and starts the server.
    async fn launch(
        db: Db,
        db_url: Option<String>,
        engine: Engine,
        settings: Settings,
    ) -> (TestApp, bootstrap::CreatedAccount) {
        TestApp::launch_with(db, db_url, engine, settings, None).await
    }

    async fn launch_with(
        db: Db,
        db_url: Option<String>,
        engine: Engine,
        settings: Settings,
        hashing: Option<Hashing>,
    ) -> (TestApp, bootstrap::CreatedAccount) {
        db.migrate().await.expect("migrate");
        bootstrap::seed_reference(&db, &settings)
            .await
            .expect("reference data");
        let admin = bootstrap::first_admin(&db, &settings)
            .await
            .expect("bootstrap")
            .expect("first admin");
        let mut application = App::new(db.clone(), settings);
        if let Some(hashing) = hashing {
            application = application.with_hashing(hashing);
        }
        let state = AppState::new(application.clone(), WebSettings::default());
        let running = fruition::server::start(state, "127.0.0.1:0")
            .await
            .expect("start server");
        let base = format!("http://{}", running.addr);
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client");
        let app = TestApp {
            base,
            db,
            db_url,
            admin_token: String::new(),
            client,
            engine,
            app: application,
            server: running.task,
        };
        (app, admin)
    }

    /// A second app server on the same database (PostgreSQL only), as behind a load balancer.
    pub async fn second_server(&self) -> String {
        let url = self.db_url.as_ref().expect("a PostgreSQL URL");
        let db = Db::connect_postgres(url, 4).await.expect("connect");
        let state = AppState::new(App::new(db, Settings::default()), WebSettings::default());
        let running = fruition::server::start(state, "127.0.0.1:0")
            .await
            .expect("start");
        format!("http://{}", running.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Runs one statement binding `id` as `$1` (to set up what no endpoint may, e.g. a bill's due
    /// date in the past).
    pub async fn exec_with_id(&self, sql: &'static str, id: i64) {
        match &self.db {
            Db::Sqlite(p) => {
                sqlx::query(sql)
                    .bind(id)
                    .execute(p)
                    .await
                    .expect("statement");
            }
            Db::Postgres(p) => {
                sqlx::query(sql)
                    .bind(id)
                    .execute(p)
                    .await
                    .expect("statement");
            }
        }
    }

    /// Calls the API as the bureau administrator.
    pub async fn admin(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.call_with(&self.admin_token, method, path, body).await
    }

    /// Calls the API with a token (empty: no token).
    pub async fn call_with(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self.client.request(method, self.url(path));
        if !token.is_empty() {
            req = req.bearer_auth(token);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Calls `/api/v1{path}` with a token and insists on the status; returns the answer.
    pub async fn expect(
        &self,
        token: &str,
        method: Method,
        path: &str,
        body: Option<Value>,
        status: StatusCode,
    ) -> Value {
        let (got, answer) = self
            .call_with(token, method.clone(), &format!("/api/v1{path}"), body)
            .await;
        assert_eq!(got, status, "{method} {path}: {answer}");
        answer
    }

    /// Posts a CSV file as the body to `/api/v1{path}` with a token.
    pub async fn send_csv(&self, token: &str, path: &str, csv: String) -> (StatusCode, Value) {
        let res = self
            .client
            .post(self.url(&format!("/api/v1{path}")))
            .bearer_auth(token)
            .header(reqwest::header::CONTENT_TYPE, "text/csv")
            .body(csv)
            .send()
            .await
            .expect("post");
        let status = res.status();
        let text = res.text().await.expect("body");
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }

    /// Registers an organisation with a first user; returns (org id, that user's ready API token).
    pub async fn org_with_user(&self, kind: &str, login: &str) -> (i64, String) {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let body = json!({
            "kind": kind,
            "name": format!("测试机构{login}{n}"),
            "uscc": test_uscc(n + 1000 * u64::from(login.len() as u8)),
            "first_user": {"login": login, "display_name": "测试用户"}
        });
        let (status, created) = self
            .admin(Method::POST, "/api/v1/organisations", Some(body))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let org_id = created["organisation"]["id"].as_i64().expect("org id");
        let password = created["first_user"]["one_time_password"]
            .as_str()
            .expect("password")
            .to_string();
        (org_id, self.ready_token(login, &password).await)
    }

    /// Replaces a user's one-time password and returns an API token for them.
    pub async fn ready_token(&self, login: &str, one_time: &str) -> String {
        let token = bootstrap::create_token(&self.db, login, "tests")
            .await
            .expect("token");
        let (status, body) = self
            .call_with(&token, Method::PUT, "/api/v1/me/password", Some(json!({"current_password": one_time, "new_password": format!("{login}-secret-pw")})))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        token
    }

    /// A browser-like client that keeps cookies.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
        if let Engine::Postgres { admin_url, schema } = &self.engine {
            let (admin_url, schema) = (admin_url.clone(), schema.clone());
            // Best effort, on a thread of its own: the test's runtime is shutting down.
            let _ = std::thread::spawn(move || {
                if let Ok(rt) = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    rt.block_on(async {
                        if let Ok(db) = Db::connect_postgres(&admin_url, 1).await {
                            let _ = drop_schema(&db, &schema).await;
                        }
                    });
                }
            })
            .join();
        }
    }
}

async fn drop_schema(db: &Db, schema: &str) -> Result<(), sqlx::Error> {
    if let Db::Postgres(p) = db {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE"
        )))
        .execute(p)
        .await?;
    }
    Ok(())
}

/// A connection to a fresh schema in the test database (its URL and the engine that drops it),
/// or None (and a note) when no server is configured.
async fn fresh_postgres() -> Option<(Db, String, Engine)> {
    let Some(admin_url) = postgres_url() else {
        eprintln!("SKIPPED on PostgreSQL: FRUITION_TEST_DATABASE_URL is not set");
        return None;
    };
    let (url, schema) = fresh_schema_url(&admin_url).await;
    let db = Db::connect_postgres(&url, 8)
        .await
        .expect("connect postgres");
    Some((db, url, Engine::Postgres { admin_url, schema }))
}

/// Creates an empty schema and returns a URL whose connections use it.
async fn fresh_schema_url(admin_url: &str) -> (String, String) {
    let n: u64 = rand::random();
    let schema = format!("fruition_t_{n:016x}");
    let admin = Db::connect_postgres(admin_url, 1)
        .await
        .expect("connect to the test database");
    if let Db::Postgres(p) = &admin {
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
            .execute(p)
            .await
            .expect("create schema");
    }
    admin.close().await;
    let sep = if admin_url.contains('?') { '&' } else { '?' };
    (
        format!("{admin_url}{sep}options=-c%20search_path%3D{schema}"),
        schema,
    )
}

/// A valid unified social credit code, different for each `n`.
pub fn test_uscc(n: u64) -> String {
    let body = format!("91430211{:09}", n % 1_000_000_000);
    let first17 = &body[..17];
    let check = fruition_domain::uscc::check_char(first17).expect("check char");
    format!("{first17}{check}")
}

/// A carrier of `kind` operated by `operator_org`, with the enterprise organisation `org_id` (by
/// its code and name) entered there on 2020-01-10; returns the carrier's id.
pub async fn incubate_at(
    app: &TestApp,
    operator_org: i64,
    org_id: i64,
    carrier_name: &str,
    kind: &str,
) -> i64 {
    let (status, carrier) = app
        .admin(
            Method::POST,
            "/api/v1/carriers",
            Some(json!({
                "name": carrier_name, "kind": kind, "operator_org_id": operator_org,
                "county": "天元区", "established_year": 2015, "floor_area_m2": 10000
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{carrier}");
    let carrier = carrier["id"].as_i64().expect("carrier id");
    let (status, org) = app
        .admin(
            Method::GET,
            &format!("/api/v1/organisations/{org_id}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{org}");
    let (status, e) = app
        .admin(
            Method::POST,
            "/api/v1/enterprises",
            Some(json!({
                "enterprise": {"uscc": org["uscc"], "name": org["name"], "county": "天元区", "chain": "轨道交通"},
                "carrier_id": carrier, "entered_on": "2020-01-10"
            })),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{e}");
    carrier
}

/// POSTs every `(path, body)` at once as `token`; the statuses in the same order.
pub async fn at_once(app: &TestApp, token: &str, calls: Vec<(String, Value)>) -> Vec<StatusCode> {
    let tasks: Vec<_> = calls
        .into_iter()
        .map(|(path, body)| {
            let client = app.client.clone();
            let url = app.url(&format!("/api/v1{path}"));
            let token = token.to_string();
            tokio::spawn(async move {
                client
                    .post(url)
                    .bearer_auth(token)
                    .json(&body)
                    .send()
                    .await
                    .expect("send")
                    .status()
            })
        })
        .collect();
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.expect("task"));
    }
    out
}

pub fn count(s: &[StatusCode], want: StatusCode) -> usize {
    s.iter().filter(|x| **x == want).count()
}
