//! Organisations: the bureau, carrier operators, enterprises, institutions, banks, …

use fruition_domain::audit::AuditAction;
use fruition_domain::authz::OrgScope;
use fruition_domain::org::OrgKind;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Organisation {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrgKind,
    pub uscc: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

/// The fields of an organisation that its profile form edits.
#[derive(Debug, Clone, Default)]
pub struct OrgProfile {
    pub name: String,
    pub uscc: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
}

macro_rules! columns {
    () => {
        "id, name, kind, uscc, contact_name, contact_phone, contact_email, active, created_at, updated_at"
    };
}

pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    kind: OrgKind,
    p: &OrgProfile,
) -> Result<Organisation> {
    let now = clock::now_ms();
    let sql = concat!(
        "INSERT INTO organisations (name, kind, uscc, contact_name, contact_phone, contact_email, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, TRUE, $7, $7) RETURNING ",
        columns!()
    );
    let org = on_tx!(tx, c => sqlx::query_as::<_, Organisation>(sql)
        .bind(&p.name)
        .bind(kind.code())
        .bind(&p.uscc)
        .bind(&p.contact_name)
        .bind(&p.contact_phone)
        .bind(&p.contact_email)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let change = Change {
        entity: "organisation",
        entity_id: org.id,
        org_id: Some(org.id),
        action: AuditAction::Create,
        before: None,
        after: Some(&org),
    };
    audit::record(tx, ctx, change).await?;
    Ok(org)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Organisation>> {
    let sql = concat!("SELECT ", columns!(), " FROM organisations WHERE id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Organisation>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Organisation> {
    let sql = concat!("SELECT ", columns!(), " FROM organisations WHERE id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Organisation>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Looks for an organisation by its unified social credit code.
pub async fn find_by_uscc(db: &Db, uscc: &str) -> Result<Option<Organisation>> {
    let sql = concat!("SELECT ", columns!(), " FROM organisations WHERE uscc = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Organisation>(sql).bind(uscc).fetch_optional(p).await)?)
}

/// Lists organisations the scope allows, optionally of one kind and matching a name fragment.
pub async fn list(
    db: &Db,
    scope: OrgScope,
    kind: Option<OrgKind>,
    name_like: Option<&str>,
) -> Result<Vec<Organisation>> {
    let own = match scope {
        OrgScope::All => None,
        OrgScope::Own(id) => Some(id),
    };
    let pattern = name_like
        .filter(|s| !s.trim().is_empty())
        .map(|s| format!("%{}%", escape_like(s.trim())));
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM organisations WHERE ($1 IS NULL OR id = $1) AND ($2 IS NULL OR kind = $2) \
         AND ($3 IS NULL OR name LIKE $3 ESCAPE '\\') ORDER BY kind, name LIMIT 5000"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Organisation>(sql)
        .bind(own)
        .bind(kind.map(|k| k.code()))
        .bind(&pattern)
        .fetch_all(p)
        .await)?)
}

pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, p: &OrgProfile) -> Result<Organisation> {
    let before = get_in(tx, id).await?;
    let sql = concat!(
        "UPDATE organisations SET name = $2, uscc = $3, contact_name = $4, contact_phone = $5, contact_email = $6, updated_at = $7 \
         WHERE id = $1 RETURNING ",
        columns!()
    );
    let after = on_tx!(tx, c => sqlx::query_as::<_, Organisation>(sql)
        .bind(id)
        .bind(&p.name)
        .bind(&p.uscc)
        .bind(&p.contact_name)
        .bind(&p.contact_phone)
        .bind(&p.contact_email)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    let change = Change {
        entity: "organisation",
        entity_id: id,
        org_id: Some(id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// Activates or deactivates an organisation. Deactivating ends its users' sessions at once.
pub async fn set_active(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    active: bool,
) -> Result<Organisation> {
    let before = get_in(tx, id).await?;
    let sql = concat!(
        "UPDATE organisations SET active = $2, updated_at = $3 WHERE id = $1 RETURNING ",
        columns!()
    );
    let after = on_tx!(tx, c => sqlx::query_as::<_, Organisation>(sql).bind(id).bind(active).bind(clock::now_ms()).fetch_one(c).await)?;
    if !active {
        on_tx!(tx, c => sqlx::query("DELETE FROM sessions WHERE user_id IN (SELECT id FROM users WHERE org_id = $1)").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    let change = Change {
        entity: "organisation",
        entity_id: id,
        org_id: Some(id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// Escapes `%`, `_` and `\` so user text matches literally in a LIKE pattern.
pub(crate) fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}
