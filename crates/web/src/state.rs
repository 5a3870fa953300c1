//! What every handler can reach: the application (database, settings, search index) and the
//! settings of the web layer itself.

use std::ops::Deref;
use std::sync::Arc;

use fruition_app::App;

/// Settings of the HTTP layer, resolved by the binary from file, environment and flags.
#[derive(Debug, Clone, Default)]
pub struct WebSettings {
    /// Mark cookies `Secure` (behind TLS or a TLS-terminating proxy).
    pub secure_cookies: bool,
    /// The public origin (`https://kj.example.gov.cn`) for the cross-site check; when absent the
    /// request's own Host is taken.
    pub public_origin: Option<String>,
    /// Take the client address from `X-Forwarded-For` (only behind a proxy you run).
    pub trust_proxy: bool,
}

/// The state of every handler: the application, and how this server speaks HTTP. It derefs to
/// the application, so `actions::x(&state, …)` passes the `App`.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub web: Arc<WebSettings>,
}

impl AppState {
    pub fn new(app: App, web: WebSettings) -> AppState {
        crate::ops::init_metrics();
        AppState {
            app,
            web: Arc::new(web),
        }
    }
}

impl Deref for AppState {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
