//! Browsing the audit log (the bureau only).

use crate::clock::rfc3339;
use fruition_domain::audit::AuditAction;
use fruition_domain::authz::Action;
use fruition_store::audit::{self, AuditEntry, AuditFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::clock::parse_date_ms;
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

/// The audit log's filters as a query string gives them (the API and the audit page).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// `organisation`, `user`, `api_token`, `org_application`, …
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// The login of whoever made the change.
    pub actor: Option<String>,
    /// Changes to, or made by, this organisation.
    #[serde(default)]
    #[param(value_type = Option<i64>)]
    pub org_id: Option<i64>,
    #[serde(default)]
    #[param(value_type = Option<AuditAction>)]
    pub action: Option<AuditAction>,
    /// From this day (YYYY-MM-DD, China time), inclusive.
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD, China time), inclusive.
    pub to: Option<String>,
    /// Entries older than this id (the last id of the previous page).
    #[serde(default)]
    #[param(value_type = Option<i64>)]
    pub before_id: Option<i64>,
    /// 1–1000, default 100.
    #[serde(default)]
    #[param(value_type = Option<i64>)]
    pub limit: Option<i64>,
}

impl AuditQuery {
    pub fn filter(&self) -> Result<AuditFilter, AppError> {
        let day =
            |field: &'static str, v: &Option<String>, end: bool| -> Result<Option<i64>, AppError> {
                match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
                    None => Ok(None),
                    Some(s) => parse_date_ms(s, end).map(Some).ok_or_else(|| {
                        AppError::invalid(fruition_domain::FieldError::new(
                            field,
                            "date",
                            "日期格式应为 YYYY-MM-DD",
                            "Use a date like 2025-03-31",
                        ))
                    }),
                }
            };
        let blank = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        Ok(AuditFilter {
            entity: blank(&self.entity),
            entity_id: blank(&self.entity_id),
            actor_login: blank(&self.actor),
            org_id: self.org_id,
            action: self.action,
            from_ms: day("from", &self.from, false)?,
            to_ms: day("to", &self.to, true)?,
            before_id: self.before_id,
            limit: self.limit.unwrap_or(100),
        })
    }
}
