//! The sign-in throttle, kept in the database so that every app server counts the same failures,
//! and decided atomically.
//!
//! An attempt is *reserved* before its password is checked: in one transaction it locks the row of
//! its login and the row of its client address in `sign_in_keys` (an upsert, which on PostgreSQL
//! holds a row lock until commit; SQLite has one writer at a time anyway, `BEGIN IMMEDIATE`),
//! counts the failures in the window and, below both limits, writes itself down as a failure. So
//! attempts on the same login or address queue one after another and each counts the reservations
//! committed before it: of any number of concurrent attempts, on any number of app servers, at
//! most the limit get their password checked. A success then marks its row a success (and clears
//! the login's failures); a failure leaves it as it is; an attempt that was never checked (the
//! server was too busy to hash) gives its reservation back.
//!
//! Locks are always taken login first, then address, and no transaction holding an address waits
//! for a login, so two attempts never wait on each other in a circle.

use serde_json::json;

use crate::audit::{self, AuditCtx, Event};
use crate::db::{on_db, on_tx, on_write};
use crate::{Db, Result, Tx, clock};
use fruition_domain::audit::AuditAction;

/// How many failures the window allows, per login and per client address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub per_login: i64,
    pub per_ip: i64,
    pub window_ms: i64,
}

/// Which limit refused an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThrottledBy {
    Login,
    Address,
}

impl ThrottledBy {
    pub fn code(self) -> &'static str {
        match self {
            ThrottledBy::Login => "login",
            ThrottledBy::Address => "address",
        }
    }
}

/// What [`reserve`] decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may check its password. It counts as a failure (row `id` of `login_attempts`)
    /// until [`settle_success`] or [`release`].
    Reserved { id: i64 },
    /// Too many failures in the window: the password is not checked.
    Throttled {
        by: ThrottledBy,
        /// When the oldest failure that counts leaves the window.
        retry_after_ms: i64,
        /// The first refusal of this login or address in the window (recorded in the audit log;
        /// later ones are not, so a flood of refused requests cannot fill the log).
        first_in_window: bool,
    },
}

/// Reserves an attempt at `login` from `ip`, or refuses it. A first refusal in the window is
/// recorded in the audit log (`sign_in_throttled`, entity `sign_in`, the login as its id) by `ctx`
/// in the same transaction.
pub async fn reserve(
    db: &Db,
    login: &str,
    ip: &str,
    limits: Limits,
    ctx: &AuditCtx,
    org_id: Option<i64>,
) -> Result<Reservation> {
    let now = clock::now_ms();
    let since = now - limits.window_ms;
    let login_key = format!("login:{login}");
    let ip_key = format!("ip:{ip}");
    let mut tx = db.begin().await?;
    for key in [&login_key, &ip_key] {
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO sign_in_keys (key, seen_at) VALUES ($1, $2) \
             ON CONFLICT (key) DO UPDATE SET seen_at = excluded.seen_at")
            .bind(key)
            .bind(now)
            .execute(c)
            .await.map(|r| r.rows_affected()))?;
    }
    let (by_login, by_ip): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT \
         (SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND at >= $3 AND success = FALSE), \
         (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at >= $3 AND success = FALSE)")
        .bind(login)
        .bind(ip)
        .bind(since)
        .fetch_one(c)
        .await)?;
    let refused = if by_login >= limits.per_login {
        Some((ThrottledBy::Login, &login_key, by_login - limits.per_login))
    } else if by_ip >= limits.per_ip {
        Some((ThrottledBy::Address, &ip_key, by_ip - limits.per_ip))
    } else {
        None
    };
    let Some((by, key, skip)) = refused else {
        let id: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "INSERT INTO login_attempts (login, ip, at, success) VALUES ($1, $2, $3, FALSE) RETURNING id")
            .bind(login)
            .bind(ip)
            .bind(now)
            .fetch_one(c)
            .await)?;
        tx.commit().await?;
        return Ok(Reservation::Reserved { id });
    };
    // The failure whose leaving the window brings the count below the limit.
    let oldest: Option<i64> = match by {
        ThrottledBy::Login => on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT at FROM login_attempts WHERE login = $1 AND at >= $2 AND success = FALSE \
             ORDER BY at LIMIT 1 OFFSET $3")
            .bind(login)
            .bind(since)
            .bind(skip)
            .fetch_optional(c)
            .await)?,
        ThrottledBy::Address => on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT at FROM login_attempts WHERE ip = $1 AND at >= $2 AND success = FALSE \
             ORDER BY at LIMIT 1 OFFSET $3")
            .bind(ip)
            .bind(since)
            .bind(skip)
            .fetch_optional(c)
            .await)?,
    };
    // `now` was read before this transaction waited for its locks, so another server's attempt
    // may be stamped a little after it: never say more than one window.
    let retry_after_ms = oldest
        .map_or(limits.window_ms, |at| at + limits.window_ms - now)
        .clamp(0, limits.window_ms);
    let first_in_window = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE sign_in_keys SET throttled_at = $2 WHERE key = $1 \
         AND (throttled_at IS NULL OR throttled_at < $3)")
        .bind(key)
        .bind(now)
        .bind(since)
        .execute(c)
        .await.map(|r| r.rows_affected()))?
        > 0;
    if first_in_window {
        let detail = json!({
            "by": by.code(),
            "failures": if by == ThrottledBy::Login { by_login } else { by_ip },
            "retry_after_s": (retry_after_ms + 999) / 1000,
        });
        audit::record_event(
            &mut tx,
            ctx,
            &Event {
                entity: "sign_in",
                entity_id: login,
                org_id,
                action: AuditAction::SignInThrottled,
                detail: &detail,
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Reservation::Throttled {
        by,
        retry_after_ms,
        first_in_window,
    })
}

/// A reserved attempt succeeded: it no longer counts as a failure, and neither do the login's
/// earlier failures.
pub async fn settle_success(tx: &mut Tx, id: i64, login: &str) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE login_attempts SET success = TRUE WHERE id = $1")
        .bind(id)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    on_tx!(tx, c => sqlx::query("DELETE FROM login_attempts WHERE login = $1 AND success = FALSE")
        .bind(login)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Gives back a reservation whose password was never checked.
pub async fn release(db: &Db, id: i64) -> Result<()> {
    on_write!(db, c => sqlx::query("DELETE FROM login_attempts WHERE id = $1")
        .bind(id)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Failed (or reserved) attempts at `login` since `since_ms`.
pub async fn failures_since(db: &Db, login: &str, since_ms: i64) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND at >= $2 AND success = FALSE")
        .bind(login)
        .bind(since_ms)
        .fetch_one(p)
        .await)?)
}

/// Forgets attempts, and the keys of logins and addresses not seen, older than `older_than_ms`.
pub async fn purge(db: &Db, older_than_ms: i64) -> Result<u64> {
    let attempts = on_write!(db, c => sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(older_than_ms).execute(c).await.map(|r| r.rows_affected()))?;
    let keys = on_write!(db, c => sqlx::query("DELETE FROM sign_in_keys WHERE seen_at < $1").bind(older_than_ms).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(attempts + keys)
}
