//! What every action can reach: the database, the application's settings, this server's search
//! index, its cache of API-token lookups and its short-lived caches of sessions and reference data.

use std::sync::Arc;

use fruition_store::Db;

use crate::auth::cache::TokenCache;
use crate::auth::password::Hashing;
use crate::fresh::Fresh;
use crate::kept::KeptSuggestions;
use crate::reference::Lookups;
use crate::search_sync::SearchSync;
use fruition_store::sessions::LiveSession;

/// The settings the application needs, resolved by the binary from file, environment and flags.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The city the platform serves (configuration, default 株洲市).
    pub city_name: String,
    /// Its GB/T 2260 code (default 430200).
    pub city_code: String,
    /// Session lifetime without activity, in minutes.
    pub session_minutes: i64,
    /// A demo database: every page says so and the sign-in page offers demo accounts.
    pub demo: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            city_name: "株洲市".into(),
            city_code: "430200".into(),
            session_minutes: 8 * 60,
            demo: false,
        }
    }
}

/// The application: one per server process, cheap to clone.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub settings: Arc<Settings>,
    /// Recent API-token lookups (see `auth::cache`).
    pub tokens: Arc<TokenCache>,
    /// This server's market search index (see `search_sync`).
    pub search: Arc<SearchSync>,
    /// This server's password computations, a bounded number at a time (see `auth::password`).
    pub hashing: Hashing,
    /// Matching suggestions kept until this server's index changes (see `kept`).
    pub suggestions: Arc<KeptSuggestions>,
    /// Browser sessions' look-ups by token hash, and the zones and chains, kept until this
    /// process writes or two seconds pass (see `fresh`).
    pub sessions: Arc<Fresh<String, LiveSession>>,
    pub lookups: Arc<Fresh<(), Arc<Lookups>>>,
}

impl App {
    /// The application over `db`, with its search index in memory (tests, commands).
    pub fn new(db: Db, settings: Settings) -> App {
        App {
            db,
            settings: Arc::new(settings),
            tokens: Arc::default(),
            search: SearchSync::in_ram(),
            hashing: Hashing::for_this_machine(),
            suggestions: Arc::default(),
            sessions: Arc::new(Fresh::new(10_000)),
            lookups: Arc::new(Fresh::new(1)),
        }
    }

    /// The same application with other bounds on password computations (tests).
    pub fn with_hashing(mut self, hashing: Hashing) -> App {
        self.hashing = hashing;
        self
    }

    /// The same application with the search index kept elsewhere (on disk, by `fruition serve`).
    pub fn with_search(mut self, search: Arc<SearchSync>) -> App {
        self.search = search;
        // Kept suggestions belong to the index they were computed on.
        self.suggestions = Arc::default();
        self
    }
}
