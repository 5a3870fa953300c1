//! `/api/v1/me`: the signed-in user, their password and their API tokens.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, put};
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use super::{Caller, OrgView, TokenView, UserView};
use crate::AppState;
use crate::error::{ApiJson, ApiResult, ErrorBody, Id};
use fruition_app::tokens::{CreatedToken, NewTokenInput};
use fruition_app::users::{PasswordChange, ProfileInput};
use fruition_app::{tokens, users};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/me", get(get_me).patch(update_me))
        .route("/me/password", put(change_password))
        .route("/me/tokens", get(list_tokens).post(create_token))
        .route("/me/tokens/{id}", delete(revoke_token))
        .route("/me/work", get(work))
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub user: UserView,
    pub organisation: OrgView,
    /// The actions the user's role allows, for clients that adapt their interface.
    pub can_review_applications: bool,
    pub can_view_audit: bool,
}

/// The signed-in user and their organisation.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn get_me(caller: Caller) -> ApiResult<Json<Me>> {
    use fruition_domain::authz::{Action, can};
    let p = &caller.authed.principal;
    let org = p.organisation();
    let actor = p.actor();
    Ok(Json(Me {
        user: p.user.clone().into(),
        organisation: org.into(),
        can_review_applications: can(&actor, &Action::ReviewApplications).is_ok(),
        can_view_audit: can(&actor, &Action::ViewAudit).is_ok(),
    }))
}

/// Changes the signed-in user's own profile.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", request_body = ProfileInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 422, body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ProfileInput>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(
        users::update_profile(&state, &caller.ctx(), &input)
            .await?
            .into(),
    ))
}

/// Changes the signed-in user's password (also the way to replace a one-time password).
#[utoipa::path(put, path = "/api/v1/me/password", tag = "me", request_body = PasswordChange, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = UserView), (status = 422, body = ErrorBody),
        (status = 429, description = "Too many wrong passwords for this login or address, or the server is busy hashing; `Retry-After` says when to try again", body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PasswordChange>,
) -> ApiResult<Json<UserView>> {
    Ok(Json(
        users::change_own_password(&state, &caller.ctx(), &caller.authed, &input)
            .await?
            .into(),
    ))
}

/// The signed-in user's API tokens (never the tokens themselves).
#[utoipa::path(get, path = "/api/v1/me/tokens", tag = "me", security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [TokenView])))]
pub async fn list_tokens(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<TokenView>>> {
    Ok(Json(
        tokens::list(&state, &caller.ctx())
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Creates a personal API token; the response shows it this once.
#[utoipa::path(post, path = "/api/v1/me/tokens", tag = "me", request_body = NewTokenInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CreatedToken), (status = 422, body = ErrorBody)))]
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewTokenInput>,
) -> ApiResult<(StatusCode, Json<CreatedToken>)> {
    Ok((
        StatusCode::CREATED,
        Json(tokens::create(&state, &caller.ctx(), &input).await?),
    ))
}

/// Revokes one of the signed-in user's tokens.
#[utoipa::path(delete, path = "/api/v1/me/tokens/{id}", tag = "me", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TokenView), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<TokenView>> {
    Ok(Json(
        tokens::revoke(&state, &caller.ctx(), id).await?.into(),
    ))
}

/// What waits for the caller: each item with its count, how long the oldest waited and the
/// page where it is done (the bureau's are the city's; others' their organisation's).
#[utoipa::path(get, path = "/api/v1/me/work", tag = "me",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = fruition_app::queue::WorkQueue)))]
pub async fn work(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<fruition_app::queue::WorkQueue>> {
    Ok(Json(
        fruition_app::queue::work(&state, &caller.ctx()).await?,
    ))
}
