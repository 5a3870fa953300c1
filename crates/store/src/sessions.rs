//! Browser sessions, kept in the database so that any app server can serve any request.
//! The cookie carries a random token; only its SHA-256 is stored.

use crate::db::{on_db, on_tx, on_write};
use crate::queue::NavFacts;
use crate::users::{Principal, principal_select, user_columns};
use crate::{Db, Result, Tx, clock};

#[derive(Debug, Clone)]
pub struct NewSession<'a> {
    pub token_hash: &'a str,
    pub user_id: i64,
    pub csrf_token: &'a str,
    pub expires_at: i64,
    pub ip: Option<&'a str>,
    pub user_agent: Option<&'a str>,
}

/// A live session: who it belongs to, its form token, when it was last used, and what the
/// navigation of its pages shows of its user.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveSession {
    #[sqlx(flatten)]
    pub principal: Principal,
    pub csrf_token: String,
    pub last_seen_at: i64,
    pub expires_at: i64,
    #[sqlx(flatten)]
    pub nav: NavFacts,
}

/// Opens a session inside the transaction that signs the user in.
pub async fn create(tx: &mut Tx, s: &NewSession<'_>) -> Result<()> {
    let now = clock::now_ms();
    let sql = "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, last_seen_at, ip, user_agent) \
               VALUES ($1, $2, $3, $4, $5, $4, $6, $7)";
    on_tx!(tx, c => sqlx::query(sql)
        .bind(s.token_hash)
        .bind(s.user_id)
        .bind(s.csrf_token)
        .bind(now)
        .bind(s.expires_at)
        .bind(s.ip)
        .bind(s.user_agent)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The live session with this token hash, if its user and organisation are still active, with
/// its navigation's facts (unread messages, the organisation's own resources): one statement
/// for every request a browser makes.
pub async fn lookup(db: &Db, token_hash: &str) -> Result<Option<LiveSession>> {
    let sql = concat!(
        principal_select!(),
        ", s.csrf_token, s.last_seen_at, s.expires_at, \
         (SELECT COUNT(*) FROM inbox_messages m WHERE m.user_id = u.id AND m.read_at IS NULL) AS unread, \
         EXISTS (SELECT 1 FROM resources r WHERE r.owner_org_id = u.org_id) AS owns_resources \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         JOIN organisations o ON o.id = u.org_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = TRUE AND o.active = TRUE"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, LiveSession>(sql).bind(token_hash).bind(clock::now_ms()).fetch_optional(p).await)?,
    )
}

/// Extends a session that is in use (sliding expiry).
pub async fn touch(db: &Db, token_hash: &str, expires_at: i64) -> Result<()> {
    on_write!(db, c => sqlx::query("UPDATE sessions SET last_seen_at = $2, expires_at = $3 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(clock::now_ms())
        .bind(expires_at)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> Result<()> {
    on_write!(db, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Removes expired sessions; returns how many.
pub async fn purge_expired(db: &Db) -> Result<u64> {
    let done = on_write!(db, c => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(clock::now_ms()).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(done)
}
