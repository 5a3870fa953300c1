//! Browsing the audit log (the bureau only).

use crate::clock::rfc3339;
use fruition_domain::audit::AuditAction;
use fruition_domain::authz::Action;
use fruition_store::audit::{self, AuditEntry, AuditFilter};
use serde::Serialize;
use utoipa::ToSchema;

use super::Ctx;
use crate::App;
use crate::error::AppError;

pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    ctx.require(Action::ViewAudit)?;
    Ok(audit::list(&state.db, filter).await?)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub actor_login: String,
    pub actor_org_id: Option<i64>,
    pub entity: String,
    pub entity_id: String,
    pub action: AuditAction,
    pub org_id: Option<i64>,
    /// The record before the change (JSON), absent for a creation.
    pub before: Option<serde_json::Value>,
    /// The record after the change (JSON), absent for a deletion.
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntryView {
            id: e.id,
            at: rfc3339(e.at),
            actor_user_id: e.actor_user_id,
            actor_login: e.actor_login,
            actor_org_id: e.actor_org_id,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            org_id: e.org_id,
            before: parse(e.before_json),
            after: parse(e.after_json),
            ip: e.ip,
        }
    }
}
