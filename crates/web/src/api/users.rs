//! `/api/v1/organisations/{id}/users` and `/api/v1/users`: people.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};

use super::organisations::ActiveInput;
use super::{Caller, UserView};
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::users::{self, FirstUser, NewUserInput};
use fruition_domain::org::Role;
use fruition_store::users::UserFilter;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations/{id}/users", get(list_for_org).post(create))
        .route("/users", get(list))
        .route("/users/{id}", get(get_one))
        .route("/users/{id}/active", put(set_active))
        .route("/users/{id}/password-reset", post(reset_password))
}

/// The users of an organisation (the bureau, or the organisation's own users).
#[utoipa::path(get, path = "/api/v1/organisations/{id}/users", tag = "organisations", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [UserView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_for_org(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Vec<UserView>>> {
    Ok(Json(
        users::list_for_org(&state, &caller.ctx(), id)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Adds a user to an organisation (the bureau, or the organisation's manager); answers with a one-time password.
#[utoipa::path(post, path = "/api/v1/organisations/{id}/users", tag = "organisations", operation_id = "create_user", params(("id" = i64, Path)), request_body = NewUserInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FirstUser), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<NewUserInput>,
) -> ApiResult<(StatusCode, Json<FirstUser>)> {
    Ok((
        StatusCode::CREATED,
        Json(users::create(&state, &caller.ctx(), id, &input).await?),
    ))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A fragment of the login or the name.
    pub q: Option<String>,
    pub role: Option<Role>,
    pub active: Option<bool>,
    pub org_id: Option<i64>,
}

/// A user in a list, with their organisation's name.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct UserListItem {
    #[serde(flatten)]
    pub user: UserView,
    pub org_name: String,
}

/// Users the caller may see: all for the bureau, their own organisation's for everyone else.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", params(ListQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [UserListItem]), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<UserListItem>>> {
    let filter = UserFilter {
        q: q.q,
        role: q.role,
        active: q.active,
        org_id: q.org_id,
    };
    let found = users::search(&state, &caller.ctx(), &filter).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|u| UserListItem {
                org_name: u.org_name,
                user: u.user.into(),
            })
            .collect(),
    ))
}

/// One user.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "users", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<UserView>> {
    Ok(Json(users::get(&state, &caller.ctx(), id).await?.into()))
}

/// Deactivates (their sessions end at once) or reactivates a user.
#[utoipa::path(put, path = "/api/v1/users/{id}/active", tag = "users", params(("id" = i64, Path)), request_body = ActiveInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_active(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ActiveInput>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(
        users::set_active(&state, &caller.ctx(), id, input.active)
            .await?
            .into(),
    ))
}

/// Gives a user a new one-time password, shown this once; their sessions end.
#[utoipa::path(post, path = "/api/v1/users/{id}/password-reset", tag = "users", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FirstUser), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<FirstUser>> {
    Ok(Json(
        users::reset_password(&state, &caller.ctx(), id).await?,
    ))
}
