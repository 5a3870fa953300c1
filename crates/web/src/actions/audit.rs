//! Browsing the audit log (the bureau only).

use fruition_domain::authz::Action;
use fruition_store::audit::{self, AuditEntry, AuditFilter};

use super::Ctx;
use crate::AppState;
use crate::error::AppError;

pub async fn list(
    state: &AppState,
    ctx: &Ctx<'_>,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    ctx.require(Action::ViewAudit)?;
    Ok(audit::list(&state.db, filter).await?)
}
