//! `/api/v1/applications`: applications to join. Anyone may submit; the bureau reviews.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{ApplicationView, Caller};
use crate::AppState;
use crate::auth::ClientIp;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::applications::{
    self, ApplicationInput, ApplicationStatus, Approval, DeclineInput,
};
use fruition_app::error::Problem;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/applications", get(list).post(submit))
        .route("/applications/{id}", get(get_one))
        .route("/applications/{id}/approval", post(approve))
        .route("/applications/{id}/decline", post(decline))
}

/// Applies to join the platform (no sign-in needed). The bureau reviews it.
#[utoipa::path(post, path = "/api/v1/applications", tag = "applications", request_body = ApplicationInput,
    responses((status = 201, body = ApplicationView), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiJson(input): ApiJson<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<ApplicationView>)> {
    Ok((
        StatusCode::CREATED,
        Json(applications::submit(&state, &ip, &input).await?.into()),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// `pending`, `approved` or `declined`.
    #[param(value_type = Option<ApplicationStatus>)]
    pub status: Option<String>,
}

/// Applications, newest first (bureau).
#[utoipa::path(get, path = "/api/v1/applications", tag = "applications", params(ListQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ApplicationView]), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<ApplicationView>>> {
    let known = ["pending", "approved", "declined"];
    if let Some(s) = q.status.as_deref().filter(|s| !known.contains(s)) {
        return Err(crate::error::AppError::Invalid(vec![Problem {
            field: "status".into(),
            zh: format!("状态应为 pending、approved 或 declined，而不是 {s}"),
            en: format!("The status must be pending, approved or declined, not {s}"),
        }])
        .into());
    }
    let apps = applications::list(&state, &caller.ctx(), q.status.as_deref()).await?;
    Ok(Json(apps.into_iter().map(Into::into).collect()))
}

/// One application (bureau).
#[utoipa::path(get, path = "/api/v1/applications/{id}", tag = "applications", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(
        applications::get(&state, &caller.ctx(), id).await?.into(),
    ))
}

/// Approves an application: creates the organisation and its first user (bureau).
#[utoipa::path(post, path = "/api/v1/applications/{id}/approval", tag = "applications", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Approval), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Approval>> {
    Ok(Json(
        applications::approve(&state, &caller.ctx(), id).await?,
    ))
}

/// Declines an application with a reason (bureau).
#[utoipa::path(post, path = "/api/v1/applications/{id}/decline", tag = "applications", params(("id" = i64, Path)), request_body = DeclineInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ApplicationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decline(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<DeclineInput>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(
        applications::decline(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}
