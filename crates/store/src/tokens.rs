//! Personal API tokens for scripts: shown once, stored as a SHA-256 hash, sent as `Authorization: Bearer`.

use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx, on_write};
use crate::users::{Principal, principal_select, user_columns};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ApiToken {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The first characters of the token, so its owner can tell tokens apart.
    pub prefix: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

macro_rules! columns {
    () => {
        "id, user_id, name, prefix, created_at, last_used_at, revoked_at"
    };
}

pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    user_id: i64,
    org_id: i64,
    name: &str,
    token_hash: &str,
    prefix: &str,
) -> Result<ApiToken> {
    let sql = concat!(
        "INSERT INTO api_tokens (user_id, name, token_hash, prefix, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING ",
        columns!()
    );
    let token = on_tx!(tx, c => sqlx::query_as::<_, ApiToken>(sql)
        .bind(user_id)
        .bind(name)
        .bind(token_hash)
        .bind(prefix)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    let change = Change {
        entity: "api_token",
        entity_id: token.id,
        org_id: Some(org_id),
        action: AuditAction::Create,
        before: None,
        after: Some(&token),
    };
    audit::record(tx, ctx, change).await?;
    Ok(token)
}

pub async fn list_for_user(db: &Db, user_id: i64) -> Result<Vec<ApiToken>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM api_tokens WHERE user_id = $1 ORDER BY id DESC"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, ApiToken>(sql).bind(user_id).fetch_all(p).await)?)
}

/// Revokes one of the user's own tokens.
pub async fn revoke(
    tx: &mut Tx,
    ctx: &AuditCtx,
    user_id: i64,
    org_id: i64,
    id: i64,
) -> Result<ApiToken> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM api_tokens WHERE id = $1 AND user_id = $2"
    );
    let before = on_tx!(tx, c => sqlx::query_as::<_, ApiToken>(sql).bind(id).bind(user_id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)?;
    let sql = concat!(
        "UPDATE api_tokens SET revoked_at = $2 WHERE id = $1 RETURNING ",
        columns!()
    );
    let after = on_tx!(tx, c => sqlx::query_as::<_, ApiToken>(sql).bind(id).bind(before.revoked_at.unwrap_or_else(clock::now_ms)).fetch_one(c).await)?;
    let change = Change {
        entity: "api_token",
        entity_id: id,
        org_id: Some(org_id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// The user a live token belongs to, with when the token was last used.
pub async fn lookup(db: &Db, token_hash: &str) -> Result<Option<(Principal, i64, Option<i64>)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        principal: Principal,
        token_id: i64,
        token_last_used_at: Option<i64>,
    }
    let sql = concat!(
        principal_select!(),
        ", t.id AS token_id, t.last_used_at AS token_last_used_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         JOIN organisations o ON o.id = u.org_id \
         WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.active = TRUE AND o.active = TRUE"
    );
    let row =
        on_db!(db, p => sqlx::query_as::<_, Row>(sql).bind(token_hash).fetch_optional(p).await)?;
    Ok(row.map(|r| (r.principal, r.token_id, r.token_last_used_at)))
}

pub async fn touch(db: &Db, id: i64) -> Result<()> {
    on_write!(db, c => sqlx::query("UPDATE api_tokens SET last_used_at = $2 WHERE id = $1").bind(id).bind(clock::now_ms()).execute(c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
