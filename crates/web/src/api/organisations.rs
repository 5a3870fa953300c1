//! `/api/v1/organisations`: the registry of organisations.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, put};
use axum::{Json, Router};
use fruition_domain::org::OrgKind;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{Caller, OrgView, UserView};
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::organisations::{self, NewOrgInput, OrgInput};
use fruition_app::users::FirstUser;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list).post(create))
        .route("/organisations/{id}", get(get_one).patch(update))
        .route("/organisations/{id}/active", put(set_active))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only organisations of this kind.
    pub kind: Option<OrgKind>,
    /// A fragment of the name.
    pub q: Option<String>,
}

/// Organisations the caller may see: all for the bureau, their own for everyone else.
#[utoipa::path(get, path = "/api/v1/organisations", tag = "organisations", params(ListQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [OrgView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<OrgView>>> {
    let orgs = organisations::list(&state, &caller.ctx(), q.kind, q.q.as_deref()).await?;
    Ok(Json(orgs.into_iter().map(Into::into).collect()))
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub organisation: OrgView,
    /// The first user with their one-time password, shown this once.
    pub first_user: Option<FirstUser>,
}

/// Registers an organisation and, optionally, its first user (bureau).
#[utoipa::path(post, path = "/api/v1/organisations", tag = "organisations", request_body = NewOrgInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewOrgInput>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let (org, first_user) = organisations::create(&state, &caller.ctx(), &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Created {
            organisation: org.into(),
            first_user,
        }),
    ))
}

/// One organisation.
#[utoipa::path(get, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<OrgView>> {
    Ok(Json(
        organisations::get(&state, &caller.ctx(), id).await?.into(),
    ))
}

/// Changes an organisation's profile (the bureau, or the organisation's manager).
#[utoipa::path(patch, path = "/api/v1/organisations/{id}", tag = "organisations", params(("id" = i64, Path)), request_body = OrgInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<OrgInput>,
) -> ApiResult<Json<OrgView>> {
    Ok(Json(
        organisations::update(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActiveInput {
    pub active: bool,
}

/// Deactivates (ending its users' sessions) or reactivates an organisation (bureau).
#[utoipa::path(put, path = "/api/v1/organisations/{id}/active", tag = "organisations", params(("id" = i64, Path)), request_body = ActiveInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = OrgView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_active(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ActiveInput>,
) -> ApiResult<Json<OrgView>> {
    Ok(Json(
        organisations::set_active(&state, &caller.ctx(), id, input.active)
            .await?
            .into(),
    ))
}

// Keeps the user view in this module's schema set.
#[allow(dead_code)]
type _Users = UserView;
