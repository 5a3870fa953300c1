//! Signing in and out, with a throttle kept in the database.
//!
//! Every password check — a sign-in, and the current password when a user changes it — first
//! reserves an attempt (`fruition_store::throttle::reserve`), so that of any number of concurrent
//! guesses at most the limit are checked, then computes the hash a bounded number at a time
//! (`auth::password::Hashing`). Sign-ins, failures and refusals are written to the audit log
//! (`sign_in`, `sign_in_failed`, `sign_in_throttled`; entity `sign_in`, the login as its id) and
//! to the log.

use fruition_domain::account::{Login, Password};
use fruition_domain::audit::AuditAction;
use fruition_store::audit::{self, AuditCtx, Event};
use fruition_store::throttle::{self, Limits, Reservation};
use fruition_store::users::Principal;
use fruition_store::{clock, sessions, users};
use serde_json::json;

use crate::App;
use crate::auth::secret::{hash_token, new_token};
use crate::error::AppError;

/// The demo accounts, one per role, that `fruition demo` creates (see the demo data set).
pub const DEMO_PASSWORD: &str = "demo-password-2024";

/// Failed attempts allowed in the window, per account and per client address.
pub const MAX_FAILURES_PER_LOGIN: i64 = 5;
pub const MAX_FAILURES_PER_IP: i64 = 30;
pub const THROTTLE_WINDOW_MS: i64 = 15 * clock::MINUTE_MS;

const LIMITS: Limits = Limits {
    per_login: MAX_FAILURES_PER_LOGIN,
    per_ip: MAX_FAILURES_PER_IP,
    window_ms: THROTTLE_WINDOW_MS,
};

/// A new session: the cookie token (shown to the browser once) and who signed in.
pub struct SignedIn {
    pub token: String,
    pub principal: Principal,
}

/// A password that was checked: which reserved attempt it was, and whether it was right.
pub(crate) struct Checked {
    attempt: i64,
    pub ok: bool,
}

/// Who tries a password, for the audit log: the account when it exists, else only the login.
fn attempt_ctx(login: &str, principal: Option<&Principal>, ip: &str) -> AuditCtx {
    AuditCtx {
        actor_user_id: principal.map(|p| p.user.id),
        actor_login: login.chars().take(100).collect(),
        actor_org_id: principal.map(|p| p.user.org_id),
        ip: Some(ip.to_string()),
    }
}

/// Reserves an attempt at `login` from `ip` and checks `password` against `stored` (`None`: an
/// unknown login, checked against a dummy hash). Refuses with 429 when the throttle says so or
/// every password computation is taken; a refused computation gives its reservation back. The
/// caller settles the attempt with [`succeeded`] or [`failed`].
pub(crate) async fn check_password(
    state: &App,
    login: &str,
    ip: &str,
    ctx: &AuditCtx,
    org_id: Option<i64>,
    password: &str,
    stored: Option<String>,
) -> Result<Checked, AppError> {
    let attempt = match throttle::reserve(&state.db, login, ip, LIMITS, ctx, org_id).await? {
        Reservation::Reserved { id } => id,
        Reservation::Throttled {
            by,
            retry_after_ms,
            first_in_window,
        } => {
            let retry_after_secs = u64::try_from(retry_after_ms).unwrap_or(0).div_ceil(1000);
            if first_in_window {
                tracing::warn!(
                    login,
                    ip,
                    by = by.code(),
                    retry_after_secs,
                    "sign-in throttled"
                );
            } else {
                tracing::info!(
                    login,
                    ip,
                    by = by.code(),
                    retry_after_secs,
                    "sign-in throttled"
                );
            }
            return Err(AppError::TooManyRequests { retry_after_secs });
        }
    };
    match state.hashing.verify(password.to_string(), stored).await {
        Ok(ok) => Ok(Checked { attempt, ok }),
        Err(err) => {
            // Not checked, so not a failure.
            throttle::release(&state.db, attempt).await?;
            Err(err)
        }
    }
}

/// Records a wrong password (the reserved attempt stays a failure) in the audit log and the log.
pub(crate) async fn failed(
    state: &App,
    login: &str,
    ctx: &AuditCtx,
    org_id: Option<i64>,
    reason: &str,
) -> Result<(), AppError> {
    let mut tx = state.db.begin().await?;
    audit::record_event(
        &mut tx,
        ctx,
        &Event {
            entity: "sign_in",
            entity_id: login,
            org_id,
            action: AuditAction::SignInFailed,
            detail: &json!({ "reason": reason }),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(
        login,
        ip = ctx.ip.as_deref(),
        reason,
        "password check failed"
    );
    Ok(())
}

/// Marks a checked attempt a success inside `tx` (clearing the login's failures).
pub(crate) async fn succeeded(
    tx: &mut fruition_store::Tx,
    checked: &Checked,
    login: &str,
) -> Result<(), AppError> {
    throttle::settle_success(tx, checked.attempt, login).await?;
    Ok(())
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
    let found = users::get_for_sign_in(&state.db, &login_key).await?;
    let (principal, stored, org_active) = match found {
        Some((p, h, a)) => (Some(p), Some(h), a),
        None => (None, None, false),
    };
    let ctx = attempt_ctx(&login_key, principal.as_ref(), ip);
    let org_id = principal.as_ref().map(|p| p.user.org_id);
    let checked = check_password(
        state,
        &login_key,
        ip,
        &ctx,
        org_id,
        Password::unchecked(pw.to_string()).expose(),
        stored,
    )
    .await?;
    let principal = match principal {
        Some(p) if checked.ok && p.user.active && org_active => p,
        other => {
            let reason = match other {
                None => "unknown_login",
                Some(_) if !checked.ok => "wrong_password",
                Some(_) => "inactive",
            };
            failed(state, &login_key, &ctx, org_id, reason).await?;
            return Err(bad_credentials());
        }
    };
    let token = new_token();
    let csrf = new_token();
    let expires_at = clock::now_ms() + state.settings.session_minutes * clock::MINUTE_MS;
    let mut tx = state.db.begin().await?;
    succeeded(&mut tx, &checked, &login_key).await?;
    users::record_sign_in(&mut tx, principal.user.id).await?;
    sessions::create(
        &mut tx,
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
    audit::record_event(
        &mut tx,
        &ctx,
        &Event {
            entity: "sign_in",
            entity_id: &login_key,
            org_id,
            action: AuditAction::SignIn,
            detail: &json!({ "user_agent": user_agent }),
        },
    )
    .await?;
    tx.commit().await?;
    tracing::info!(login = %login_key, ip, user_id = principal.user.id, "signed in");
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
