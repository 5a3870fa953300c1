//! Signing in and out, with a throttle kept in the database.

use fruition_domain::account::{Login, Password};
use fruition_store::users::Principal;
use fruition_store::{clock, sessions, throttle, users};

use crate::App;
use crate::auth::password;
use crate::auth::secret::{hash_token, new_token};
use crate::error::AppError;

/// The demo accounts, one per role, that `fruition demo` creates (see the demo data set).
pub const DEMO_PASSWORD: &str = "demo-password-2024";

/// Failed attempts allowed in the window, per account and per client address.
pub const MAX_FAILURES_PER_LOGIN: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;
pub const THROTTLE_WINDOW_MS: i64 = 15 * clock::MINUTE_MS;

/// A new session: the cookie token (shown to the browser once) and who signed in.
pub struct SignedIn {
    pub token: String,
    pub principal: Principal,
}

/// Checks a login and password and opens a session. Every failure reads the same, so the
/// answer does not tell whether an account exists.
pub async fn sign_in(
    state: &App,
    login: &str,
    pw: &str,
    ip: &str,
    user_agent: Option<&str>,
) -> Result<SignedIn, AppError> {
    let login_key = Login::parse(login)
        .map(Login::into_string)
        .unwrap_or_else(|_| login.trim().to_lowercase());
    let since = clock::now_ms() - THROTTLE_WINDOW_MS;
    let failures = throttle::failures_since(&state.db, &login_key, ip, since).await?;
    if failures.by_login >= MAX_FAILURES_PER_LOGIN || failures.by_ip >= MAX_FAILURES_PER_IP {
        return Err(AppError::TooManyRequests);
    }
    let found = users::get_for_sign_in(&state.db, &login_key).await?;
    let (principal, stored, org_active) = match found {
        Some((p, h, a)) => (Some(p), Some(h), a),
        None => (None, None, false),
    };
    let password_ok = password::verify(
        Password::unchecked(pw.to_string()).expose().to_string(),
        stored,
    )
    .await;
    let principal = match principal {
        Some(p) if password_ok && p.user.active && org_active => p,
        _ => {
            throttle::record(&state.db, &login_key, ip, false).await?;
            return Err(bad_credentials());
        }
    };
    throttle::record(&state.db, &login_key, ip, true).await?;
    users::record_sign_in(&state.db, principal.user.id).await?;
    let token = new_token();
    let csrf = new_token();
    let expires_at = clock::now_ms() + state.settings.session_minutes * clock::MINUTE_MS;
    sessions::create(
        &state.db,
        &sessions::NewSession {
            token_hash: &hash_token(&token),
            user_id: principal.user.id,
            csrf_token: &csrf,
            expires_at,
            ip: Some(ip),
            user_agent,
        },
    )
    .await?;
    Ok(SignedIn { token, principal })
}

pub fn bad_credentials() -> AppError {
    AppError::Invalid(vec![crate::error::Problem {
        field: "password".into(),
        zh: "登录名或密码不正确".into(),
        en: "The login or password is not correct".into(),
    }])
}

pub async fn sign_out(state: &App, token_hash: &str) -> Result<(), AppError> {
    sessions::delete(&state.db, token_hash).await?;
    Ok(())
}
