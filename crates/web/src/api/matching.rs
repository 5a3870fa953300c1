//! Matching and telling: `/api/v1/listings/{id}/matches` (suggestions with reasons, and the
//! owner's verdicts), `/api/v1/me/saved-searches` and `/api/v1/me/inbox`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiResult, ErrorBody, Id, Ids};
use fruition_app::matching::{self, FeedbackInput, SaveSearchInput, SavedSearchView, Suggestion};
use fruition_app::matching::{FeedbackView, InboxView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/listings/{id}/matches", get(matches))
        .route(
            "/listings/{id}/matches/{suggested_id}/feedback",
            put(feedback),
        )
        .route("/me/saved-searches", get(list_searches).post(save_search))
        .route("/me/saved-searches/{id}", delete(delete_search))
        .route("/me/inbox", get(inbox))
        .route("/me/inbox/unread", get(unread))
        .route("/me/inbox/read-all", post(read_all))
        .route("/me/inbox/{id}/read", post(mark_read))
}

/// The best listings for one of the caller's organisation's, scored on text, field, readiness,
/// place and the owner's activity, each with its reasons in words (owner and bureau only).
#[utoipa::path(get, path = "/api/v1/listings/{id}/matches", tag = "market", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [Suggestion]), (status = 404, body = ErrorBody)))]
pub async fn matches(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Vec<Suggestion>>> {
    Ok(Json(
        matching::suggestions(&state, &caller.ctx(), id).await?,
    ))
}

/// The owner's verdict on a suggestion: `interested` teaches the suggestions (more like it are looked
/// for, with the reason "like the suggestions you marked interested"); anything else means it is
/// not suggested again.
#[utoipa::path(put, path = "/api/v1/listings/{id}/matches/{suggested_id}/feedback", tag = "market",
    params(("id" = i64, Path), ("suggested_id" = i64, Path)), request_body = FeedbackInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FeedbackView), (status = 422, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn feedback(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, suggested_id): Ids,
    ApiJson(input): ApiJson<FeedbackInput>,
) -> ApiResult<Json<FeedbackView>> {
    let f = matching::give_feedback(&state, &caller.ctx(), id, suggested_id, &input).await?;
    Ok(Json(FeedbackView {
        listing_id: f.listing_id,
        suggested_id: f.suggested_id,
        verdict: f.verdict.code().into(),
        comment: f.comment,
    }))
}

/// The caller's kept searches.
#[utoipa::path(get, path = "/api/v1/me/saved-searches", tag = "market",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [SavedSearchView])))]
pub async fn list_searches(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<SavedSearchView>>> {
    Ok(Json(matching::searches(&state, &caller.ctx()).await?))
}

/// Keeps a search: the caller is told in their inbox when a newly published listing fits it.
#[utoipa::path(post, path = "/api/v1/me/saved-searches", tag = "market", request_body = SaveSearchInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = SavedSearchView), (status = 422, body = ErrorBody)))]
pub async fn save_search(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<SaveSearchInput>,
) -> ApiResult<(StatusCode, Json<SavedSearchView>)> {
    let s = matching::save_search(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// Forgets one of the caller's kept searches.
#[utoipa::path(delete, path = "/api/v1/me/saved-searches/{id}", tag = "market", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn delete_search(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    matching::delete_search(&state, &caller.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's inbox, newest first.
#[utoipa::path(get, path = "/api/v1/me/inbox", tag = "market",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [InboxView])))]
pub async fn inbox(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<InboxView>>> {
    Ok(Json(
        matching::inbox(&state, &caller.ctx())
            .await?
            .into_iter()
            .map(|m| InboxView {
                id: m.id,
                kind: m.kind,
                title: m.title,
                body: m.body,
                link: m.link,
                read: m.read_at.is_some(),
                created_at: fruition_app::clock::rfc3339(m.created_at),
            })
            .collect(),
    ))
}

/// How many messages are unread.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct UnreadView {
    pub unread: i64,
}

/// How many of the caller's messages are unread (a badge's figure).
#[utoipa::path(get, path = "/api/v1/me/inbox/unread", tag = "market",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = UnreadView)))]
pub async fn unread(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<UnreadView>> {
    Ok(Json(UnreadView {
        unread: fruition_app::inbox::unread(&state, caller.authed.principal.user.id).await?,
    }))
}

/// How many messages a call marked read.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct MarkedView {
    pub marked: u64,
}

/// Marks all the caller's messages read.
#[utoipa::path(post, path = "/api/v1/me/inbox/read-all", tag = "market",
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = MarkedView)))]
pub async fn read_all(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<MarkedView>> {
    Ok(Json(MarkedView {
        marked: fruition_app::inbox::mark_all_read(&state, &caller.ctx()).await?,
    }))
}

/// Marks one of the caller's messages read.
#[utoipa::path(post, path = "/api/v1/me/inbox/{id}/read", tag = "market", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 404, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<StatusCode> {
    matching::mark_read(&state, &caller.ctx(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
