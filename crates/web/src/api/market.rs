//! `/api/v1/listings`: the technology elements market. Searching and reading published listings
//! needs no sign-in; writing them does.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_domain::market::{ListingAction, ListingKind, ListingStatus};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{Caller, MaybeCaller};
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, AppError, ErrorBody, Id, Problem};
use fruition_app::market::{self, ListingInput, ListingView, SearchPage, SearchParams};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/listings", get(search).post(create))
        .route("/listings/search", post(search_long))
        .route("/listings/{id}", get(get_one).put(update))
        .route("/listings/{id}/actions", post(act))
        .route("/me/listings", get(mine))
        .route("/moderation/listings", get(hidden))
}

/// Searches published listings in Chinese: relevance first, matched words marked. Any text is
/// accepted; filters that cannot apply are ignored.
#[utoipa::path(get, path = "/api/v1/listings", tag = "market", params(SearchParams),
    responses((status = 200, body = SearchPage)))]
pub async fn search(
    State(state): State<AppState>,
    ApiQuery(pairs): ApiQuery<Vec<(String, String)>>,
) -> ApiResult<Json<SearchPage>> {
    Ok(Json(
        market::search(&state, &SearchParams::from_pairs(&pairs)).await?,
    ))
}

/// The same search with its parameters in a JSON body, for a text too long for a URL (a pasted
/// abstract: up to 10,000 characters; longer is refused with 422 naming `q`).
#[utoipa::path(post, path = "/api/v1/listings/search", tag = "market", request_body = SearchParams,
    responses((status = 200, body = SearchPage), (status = 422, body = ErrorBody)))]
pub async fn search_long(
    State(state): State<AppState>,
    ApiJson(params): ApiJson<SearchParams>,
) -> ApiResult<Json<SearchPage>> {
    Ok(Json(market::search(&state, &params).await?))
}

/// A listing: published ones for everyone; drafts, closed and hidden ones for their owner and the bureau.
#[utoipa::path(get, path = "/api/v1/listings/{id}", tag = "market", params(("id" = i64, Path)),
    security((), ("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListingView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: MaybeCaller,
    Id(id): Id,
) -> ApiResult<Json<ListingView>> {
    let ctx = caller.0.as_ref().map(Caller::ctx);
    Ok(Json(market::get(&state, ctx.as_ref(), id).await?))
}

/// Writes a new draft listing for the caller's organisation.
#[utoipa::path(post, path = "/api/v1/listings", tag = "market", request_body = ListingInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ListingView), (status = 422, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ListingInput>,
) -> ApiResult<(StatusCode, Json<ListingView>)> {
    let v = market::create(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// Replaces a listing's contents (its owner; the kind stays).
#[utoipa::path(put, path = "/api/v1/listings/{id}", tag = "market", params(("id" = i64, Path)), request_body = ListingInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListingView), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ListingInput>,
) -> ApiResult<Json<ListingView>> {
    Ok(Json(
        market::update(&state, &caller.ctx(), id, &input).await?,
    ))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActInput {
    /// publish | close (the owner) | hide | restore (the bureau).
    /// Called `step` like every state change's verb (`action` is still read).
    #[serde(alias = "action")]
    #[schema(value_type = ListingAction)]
    pub step: String,
    /// Why the bureau hides it (required to hide).
    #[serde(default)]
    pub reason: Option<String>,
}

/// Publishes or closes a listing (its owner), or hides it with a reason or restores it (the bureau).
#[utoipa::path(post, path = "/api/v1/listings/{id}/actions", tag = "market", params(("id" = i64, Path)), request_body = ActInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ListingView), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ActInput>,
) -> ApiResult<Json<ListingView>> {
    let action = ListingAction::parse(input.step.trim()).ok_or_else(|| {
        AppError::Invalid(vec![Problem {
            field: "step".into(),
            zh: "操作应为 publish、close、hide 或 restore".into(),
            en: "The action must be publish, close, hide or restore".into(),
        }])
    })?;
    Ok(Json(
        market::act(&state, &caller.ctx(), id, action, input.reason.as_deref()).await?,
    ))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct MineParams {
    pub kind: Option<ListingKind>,
    pub status: Option<ListingStatus>,
}

/// The caller's organisation's listings, in every status.
#[utoipa::path(get, path = "/api/v1/me/listings", tag = "market", params(MineParams),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ListingView])))]
pub async fn mine(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(p): ApiQuery<MineParams>,
) -> ApiResult<Json<Vec<ListingView>>> {
    Ok(Json(
        market::mine(&state, &caller.ctx(), p.kind, p.status).await?,
    ))
}

/// Every hidden listing (the bureau).
#[utoipa::path(get, path = "/api/v1/moderation/listings", tag = "market",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ListingView]), (status = 403, body = ErrorBody)))]
pub async fn hidden(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<ListingView>>> {
    Ok(Json(market::hidden(&state, &caller.ctx()).await?))
}
