//! What every handler can reach: the database and the settings.

use std::sync::Arc;

use fruition_store::Db;

/// Settings the web layer needs, resolved by the binary from file, environment and flags.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The city the platform serves (configuration, default 株洲市).
    pub city_name: String,
    /// Its GB/T 2260 code (default 430200).
    pub city_code: String,
    /// Mark cookies `Secure` (behind TLS or a TLS-terminating proxy).
    pub secure_cookies: bool,
    /// The public origin (`https://kj.example.gov.cn`) for the cross-site check; when absent the
    /// request's own Host is taken.
    pub public_origin: Option<String>,
    /// Session lifetime without activity, in minutes.
    pub session_minutes: i64,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
    /// A demo database: every page says so and the sign-in page offers demo accounts.
    pub demo: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            city_name: "株洲市".into(),
            city_code: "430200".into(),
            secure_cookies: false,
            public_origin: None,
            session_minutes: 8 * 60,
            trust_proxy: false,
            demo: false,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Recent API-token lookups (see `auth::cache`).
    pub tokens: Arc<crate::auth::cache::TokenCache>,
    /// This server's market search index (see `search_sync`).
    pub search: Arc<crate::search_sync::SearchSync>,
}

impl AppState {
    pub fn new(db: Db, settings: Settings) -> AppState {
        crate::ops::init_metrics();
        AppState {
            db,
            settings: Arc::new(settings),
            tokens: Arc::default(),
            search: crate::search_sync::SearchSync::in_ram(),
        }
    }

    /// The same state with the search index kept elsewhere (on disk, by `fruition serve`).
    pub fn with_search(mut self, search: Arc<crate::search_sync::SearchSync>) -> AppState {
        self.search = search;
        self
    }
}
