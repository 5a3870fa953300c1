//! `/api/v1/audit-entries`: the audit log, newest first (bureau).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::{AuditEntryView, Caller};
use crate::AppState;
use crate::error::{ApiQuery, ApiResult, ErrorBody};
use fruition_app::audit::{self, AuditQuery};

pub fn router() -> Router<AppState> {
    Router::new().route("/audit-entries", get(list))
}

/// Audit entries matching the filters, newest first.
#[utoipa::path(get, path = "/api/v1/audit-entries", tag = "audit", params(AuditQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [AuditEntryView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> ApiResult<Json<Vec<AuditEntryView>>> {
    let entries = audit::list(&state, &caller.ctx(), &q.filter()?).await?;
    Ok(Json(entries.into_iter().map(Into::into).collect()))
}
