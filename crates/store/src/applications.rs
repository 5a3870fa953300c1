//! Applications to join: an organisation applies on a public page, the bureau approves or declines.

use fruition_domain::audit::AuditAction;
use fruition_domain::org::OrgKind;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Application {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: OrgKind,
    pub uscc: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub login: String,
    pub note: Option<String>,
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub org_id: Option<i64>,
    pub created_at: i64,
}

pub const PENDING: &str = "pending";
pub const APPROVED: &str = "approved";
pub const DECLINED: &str = "declined";

#[derive(Debug, Clone)]
pub struct NewApplication {
    pub name: String,
    pub kind: OrgKind,
    pub uscc: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub login: String,
    pub note: Option<String>,
}

macro_rules! columns {
    () => {
        "id, name, kind, uscc, contact_name, contact_phone, contact_email, login, note, status, decision_reason, \
     decided_by, decided_at, org_id, created_at"
    };
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, n: &NewApplication) -> Result<Application> {
    let sql = concat!(
        "INSERT INTO org_applications (name, kind, uscc, contact_name, contact_phone, contact_email, login, note, status, created_at, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ",
        columns!()
    );
    let app = on_tx!(tx, c => sqlx::query_as::<_, Application>(sql)
        .bind(&n.name)
        .bind(n.kind.code())
        .bind(&n.uscc)
        .bind(&n.contact_name)
        .bind(&n.contact_phone)
        .bind(&n.contact_email)
        .bind(&n.login)
        .bind(&n.note)
        .bind(PENDING)
        .bind(clock::now_ms())
        .bind(&ctx.ip)
        .fetch_one(c)
        .await)?;
    let change = Change {
        entity: "org_application",
        entity_id: app.id,
        org_id: None,
        action: AuditAction::Create,
        before: None,
        after: Some(&app),
    };
    audit::record(tx, ctx, change).await?;
    Ok(app)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Application>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM org_applications WHERE id = $1"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Application>(sql).bind(id).fetch_optional(p).await)?)
}

/// Whether a pending application already uses this code or login.
pub async fn pending_with(db: &Db, uscc: &str, login: &str) -> Result<(bool, bool)> {
    let sql = "SELECT \
        (SELECT COUNT(*) FROM org_applications WHERE status = 'pending' AND uscc = $1), \
        (SELECT COUNT(*) FROM org_applications WHERE status = 'pending' AND login = $2)";
    let (u, l): (i64, i64) =
        on_db!(db, p => sqlx::query_as(sql).bind(uscc).bind(login).fetch_one(p).await)?;
    Ok((u > 0, l > 0))
}

pub async fn list(db: &Db, status: Option<&str>) -> Result<Vec<Application>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM org_applications WHERE ($1 IS NULL OR status = $1) ORDER BY id DESC LIMIT 1000"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Application>(sql).bind(status).fetch_all(p).await)?)
}

/// Records the bureau's decision on a pending application (and, on approval, the organisation it made).
pub async fn decide(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    status: &str,
    reason: Option<&str>,
    org_id: Option<i64>,
) -> Result<Application> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM org_applications WHERE id = $1"
    );
    let before =
        on_tx!(tx, c => sqlx::query_as::<_, Application>(sql).bind(id).fetch_optional(c).await)?
            .ok_or(StoreError::NotFound)?;
    let sql = concat!(
        "UPDATE org_applications SET status = $2, decision_reason = $3, decided_by = $4, decided_at = $5, org_id = $6 \
         WHERE id = $1 AND status = 'pending' RETURNING ",
        columns!()
    );
    let after = on_tx!(tx, c => sqlx::query_as::<_, Application>(sql)
        .bind(id)
        .bind(status)
        .bind(reason)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .bind(org_id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::Conflict {
        field: "status".into(),
    })?;
    let change = Change {
        entity: "org_application",
        entity_id: id,
        org_id,
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}
