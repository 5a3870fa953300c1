//! The append-only audit log: who changed what, when, and what it was before.
//!
//! Every repository function that writes records its change here inside the same transaction,
//! so a change and its audit entry are committed together or not at all. The database refuses
//! any UPDATE or DELETE of an entry (triggers in the migrations).

use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::db::{on_db, on_tx};
use crate::{Db, Result, Tx, clock};

/// Who is making a change, and from where.
#[derive(Debug, Clone)]
pub struct AuditCtx {
    pub actor_user_id: Option<i64>,
    pub actor_login: String,
    pub actor_org_id: Option<i64>,
    pub ip: Option<String>,
}

impl AuditCtx {
    /// A change made from the command line or at start-up, not by a signed-in user.
    pub fn system(what: &str) -> AuditCtx {
        AuditCtx {
            actor_user_id: None,
            actor_login: format!("system:{what}"),
            actor_org_id: None,
            ip: None,
        }
    }

    /// A change made by someone who is not signed in (an application to join).
    pub fn public(ip: Option<String>) -> AuditCtx {
        AuditCtx {
            actor_user_id: None,
            actor_login: "public".into(),
            actor_org_id: None,
            ip,
        }
    }
}

/// One recorded change.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct AuditEntry {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub actor_login: String,
    pub actor_org_id: Option<i64>,
    pub entity: String,
    pub entity_id: String,
    #[sqlx(try_from = "String")]
    pub action: AuditAction,
    pub org_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub ip: Option<String>,
}

/// A change to record: the entity, which organisation it belongs to, and its value before and after.
pub struct Change<'a, T: Serialize> {
    pub entity: &'a str,
    pub entity_id: i64,
    pub org_id: Option<i64>,
    pub action: AuditAction,
    pub before: Option<&'a T>,
    pub after: Option<&'a T>,
}

/// Records a change inside the transaction that makes it.
pub async fn record<T: Serialize>(
    tx: &mut Tx,
    ctx: &AuditCtx,
    change: Change<'_, T>,
) -> Result<()> {
    let to_json =
        |v: Option<&T>| v.map(|v| serde_json::to_string(v).unwrap_or_else(|e| format!("\"{e}\"")));
    let before = to_json(change.before);
    let after = to_json(change.after);
    let sql = "INSERT INTO audit_log (at, actor_user_id, actor_login, actor_org_id, entity, entity_id, action, org_id, before_json, after_json, ip) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
    on_tx!(tx, c => sqlx::query(sql)
        .bind(clock::wall_ms())
        .bind(ctx.actor_user_id)
        .bind(&ctx.actor_login)
        .bind(ctx.actor_org_id)
        .bind(change.entity)
        .bind(change.entity_id.to_string())
        .bind(change.action.code())
        .bind(change.org_id)
        .bind(&before)
        .bind(&after)
        .bind(&ctx.ip)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Something that happened that is not a change to a record (a sign-in, a failed one, a refusal):
/// the entity it concerns, named by a text id (a login may belong to nobody), its organisation,
/// and its details (kept as the entry's `after`).
pub struct Event<'a> {
    pub entity: &'a str,
    pub entity_id: &'a str,
    pub org_id: Option<i64>,
    pub action: AuditAction,
    pub detail: &'a serde_json::Value,
}

/// Records an event inside the transaction that acts on it.
pub async fn record_event(tx: &mut Tx, ctx: &AuditCtx, event: &Event<'_>) -> Result<()> {
    let sql = "INSERT INTO audit_log (at, actor_user_id, actor_login, actor_org_id, entity, entity_id, action, org_id, before_json, after_json, ip) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)";
    on_tx!(tx, c => sqlx::query(sql)
        .bind(clock::wall_ms())
        .bind(ctx.actor_user_id)
        .bind(&ctx.actor_login)
        .bind(ctx.actor_org_id)
        .bind(event.entity)
        .bind(event.entity_id)
        .bind(event.action.code())
        .bind(event.org_id)
        .bind(event.detail.to_string())
        .bind(&ctx.ip)
        .execute(c)
        .await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// What to look for in the audit log; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub actor_login: Option<String>,
    pub org_id: Option<i64>,
    pub action: Option<AuditAction>,
    pub from_ms: Option<i64>,
    pub to_ms: Option<i64>,
    /// Only entries older than this id (keyset paging, newest first).
    pub before_id: Option<i64>,
    pub limit: i64,
}

pub async fn list(db: &Db, f: &AuditFilter) -> Result<Vec<AuditEntry>> {
    let sql = "SELECT id, at, actor_user_id, actor_login, actor_org_id, entity, entity_id, action, org_id, before_json, after_json, ip \
               FROM audit_log WHERE ($1 IS NULL OR entity = $1) AND ($2 IS NULL OR entity_id = $2) \
               AND ($3 IS NULL OR actor_login = $3) AND ($4 IS NULL OR org_id = $4 OR actor_org_id = $4) \
               AND ($5 IS NULL OR action = $5) AND ($6 IS NULL OR at >= $6) AND ($7 IS NULL OR at < $7) \
               AND ($8 IS NULL OR id < $8) ORDER BY id DESC LIMIT $9";
    let rows = on_db!(db, p => sqlx::query_as::<_, AuditEntry>(sql)
        .bind(&f.entity)
        .bind(&f.entity_id)
        .bind(&f.actor_login)
        .bind(f.org_id)
        .bind(f.action.map(|a| a.code()))
        .bind(f.from_ms)
        .bind(f.to_ms)
        .bind(f.before_id)
        .bind(f.limit.clamp(1, 1000))
        .fetch_all(p)
        .await)?;
    Ok(rows)
}
