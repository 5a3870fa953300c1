//! The sign-in throttle, kept in the database so that every app server counts the same failures.

use crate::db::on_db;
use crate::{Db, Result, clock};

/// Failed sign-ins within the window: for this login, and from this address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Failures {
    pub by_login: i64,
    pub by_ip: i64,
}

pub async fn failures_since(db: &Db, login: &str, ip: &str, since_ms: i64) -> Result<Failures> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM login_attempts WHERE login = $1 AND at >= $3 AND success = FALSE), \
        (SELECT COUNT(*) FROM login_attempts WHERE ip = $2 AND at >= $3 AND success = FALSE)";
    let (by_login, by_ip): (i64, i64) = on_db!(db, p => sqlx::query_as(sql).bind(login).bind(ip).bind(since_ms).fetch_one(p).await)?;
    Ok(Failures { by_login, by_ip })
}

/// Records an attempt. A success clears the account's earlier failures.
pub async fn record(db: &Db, login: &str, ip: &str, success: bool) -> Result<()> {
    let now = clock::now_ms();
    on_db!(db, p => sqlx::query("INSERT INTO login_attempts (login, ip, at, success) VALUES ($1, $2, $3, $4)")
        .bind(login)
        .bind(ip)
        .bind(now)
        .bind(success)
        .execute(p)
        .await.map(|r| r.rows_affected()))?;
    if success {
        on_db!(db, p => sqlx::query("DELETE FROM login_attempts WHERE login = $1 AND success = FALSE").bind(login).execute(p).await.map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Forgets attempts older than `older_than_ms`.
pub async fn purge(db: &Db, older_than_ms: i64) -> Result<u64> {
    Ok(
        on_db!(db, p => sqlx::query("DELETE FROM login_attempts WHERE at < $1").bind(older_than_ms).execute(p).await.map(|r| r.rows_affected()))?,
    )
}
