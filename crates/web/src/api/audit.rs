//! `/api/v1/audit-entries`: the audit log, newest first (bureau).

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use fruition_domain::audit::AuditAction;
use fruition_store::audit::AuditFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::{AuditEntryView, Caller};
use crate::AppState;
use crate::error::{ApiQuery, ApiResult, AppError, ErrorBody};
use fruition_app::audit;
use fruition_app::clock::parse_date_ms;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit-entries", get(list))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// `organisation`, `user`, `api_token`, `org_application`, …
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// The login of whoever made the change.
    pub actor: Option<String>,
    /// Changes to, or made by, this organisation.
    #[serde(default, deserialize_with = "blank_as_none")]
    #[param(value_type = Option<i64>)]
    pub org_id: Option<i64>,
    #[serde(default, deserialize_with = "blank_as_none")]
    #[param(value_type = Option<AuditAction>)]
    pub action: Option<AuditAction>,
    /// From this day (YYYY-MM-DD, China time), inclusive.
    pub from: Option<String>,
    /// Up to this day (YYYY-MM-DD, China time), inclusive.
    pub to: Option<String>,
    /// Entries older than this id (the last id of the previous page).
    #[serde(default, deserialize_with = "blank_as_none")]
    #[param(value_type = Option<i64>)]
    pub before_id: Option<i64>,
    /// 1–1000, default 100.
    #[serde(default, deserialize_with = "blank_as_none")]
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

/// Reads an optional query value where an empty one (`?org_id=`, as a form sends) means absent.
fn blank_as_none<'de, D, T>(de: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::de::DeserializeOwned,
{
    let raw: Option<String> = Option::deserialize(de)?;
    match raw.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => {
            let quoted = serde_json::Value::String(s.to_string());
            let parsed = s
                .parse::<serde_json::Value>()
                .ok()
                .filter(|v| v.is_number())
                .unwrap_or(quoted);
            T::deserialize(parsed)
                .map(Some)
                .map_err(serde::de::Error::custom)
        }
    }
}
