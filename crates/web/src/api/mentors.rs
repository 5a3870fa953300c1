//! `/api/v1/mentors` and `/api/v1/mentorships`: startup mentors (创业导师) kept by carriers, the
//! incubatees they guide and the sessions held; each carrier's mentoring in a year.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::mentors::{
    self, CarrierMentoringView, MentorDetailView, MentorInput, MentorQuery, MentorView,
    MentoringSessionInput, MentoringSessionView, MentoringYearQuery, MentorshipDetailView,
    MentorshipEndInput, MentorshipInput, MentorshipQuery, MentorshipView,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/mentors", get(list_mentors).post(create_mentor))
        .route("/mentors/{id}", get(get_mentor).put(update_mentor))
        .route("/mentors/{id}/mentorships", post(start_mentorship))
        .route("/mentorships", get(list_mentorships))
        .route("/mentorships/{id}", get(get_mentorship))
        .route("/mentorships/{id}/sessions", post(add_mentoring_session))
        .route("/mentorships/{id}/end", post(end_mentorship))
        .route("/mentoring-statistics", get(mentoring_statistics))
}

/// Mentors by name, for every signed-in user; contact details only for the carrier that keeps
/// the mentor and the bureau.
#[utoipa::path(get, path = "/api/v1/mentors", tag = "mentors", params(MentorQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [MentorView]), (status = 422, body = ErrorBody)))]
pub async fn list_mentors(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MentorQuery>,
) -> ApiResult<Json<Vec<MentorView>>> {
    Ok(Json(mentors::list(&state, &caller.ctx(), &q).await?))
}

/// A carrier manager (or the bureau, naming the carrier operator) registers a mentor.
#[utoipa::path(post, path = "/api/v1/mentors", tag = "mentors", request_body = MentorInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MentorView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_mentor(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<MentorInput>,
) -> ApiResult<(StatusCode, Json<MentorView>)> {
    let m = mentors::create(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// A mentor with the relationships the caller may see.
#[utoipa::path(get, path = "/api/v1/mentors/{id}", tag = "mentors", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MentorDetailView), (status = 404, body = ErrorBody)))]
pub async fn get_mentor(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<MentorDetailView>> {
    Ok(Json(mentors::get(&state, &caller.ctx(), id).await?))
}

/// The keeping carrier (or the bureau) changes a mentor's profile or marks the mentor unavailable.
#[utoipa::path(put, path = "/api/v1/mentors/{id}", tag = "mentors", params(("id" = i64, Path)),
    request_body = MentorInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MentorView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_mentor(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MentorInput>,
) -> ApiResult<Json<MentorView>> {
    Ok(Json(
        mentors::update(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// The mentor starts guiding an incubatee of the keeping carrier (by default the carrier
/// incubating it on the day). 409 `enterprise_id` when the mentor already guides it.
#[utoipa::path(post, path = "/api/v1/mentors/{id}/mentorships", tag = "mentors", params(("id" = i64, Path)),
    request_body = MentorshipInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MentorshipView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn start_mentorship(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MentorshipInput>,
) -> ApiResult<(StatusCode, Json<MentorshipView>)> {
    let s = mentors::start(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// Mentoring relationships the caller may see: a carrier's, an enterprise's own, all for the bureau.
#[utoipa::path(get, path = "/api/v1/mentorships", tag = "mentors", params(MentorshipQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [MentorshipView]), (status = 422, body = ErrorBody)))]
pub async fn list_mentorships(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MentorshipQuery>,
) -> ApiResult<Json<Vec<MentorshipView>>> {
    Ok(Json(
        mentors::mentorships(
            &state,
            &caller.ctx(),
            q.year,
            q.enterprise_id,
            q.limit,
            q.offset,
        )
        .await?,
    ))
}

/// A relationship with its sessions (404 for those with no part in it).
#[utoipa::path(get, path = "/api/v1/mentorships/{id}", tag = "mentors", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MentorshipDetailView), (status = 404, body = ErrorBody)))]
pub async fn get_mentorship(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<MentorshipDetailView>> {
    Ok(Json(mentors::mentorship(&state, &caller.ctx(), id).await?))
}

/// The keeping carrier records a session: the day, its length (`1.5` hours or `90分钟`) and
/// topic. 409 `held_on` for a day outside the relationship.
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/sessions", tag = "mentors", params(("id" = i64, Path)),
    request_body = MentoringSessionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MentoringSessionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_mentoring_session(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MentoringSessionInput>,
) -> ApiResult<(StatusCode, Json<MentoringSessionView>)> {
    let s = mentors::add_session(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// The keeping carrier ends a relationship (409 `ended_on` when it has ended).
#[utoipa::path(post, path = "/api/v1/mentorships/{id}/end", tag = "mentors", params(("id" = i64, Path)),
    request_body = MentorshipEndInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = MentorshipView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end_mentorship(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MentorshipEndInput>,
) -> ApiResult<Json<MentorshipView>> {
    Ok(Json(mentors::end(&state, &caller.ctx(), id, &input).await?))
}

/// Each carrier's mentoring in a year — different mentors (the Torch form's figure),
/// relationships, hours: every carrier for the bureau, a carrier operator's own.
#[utoipa::path(get, path = "/api/v1/mentoring-statistics", tag = "mentors", params(MentoringYearQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [CarrierMentoringView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn mentoring_statistics(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<MentoringYearQuery>,
) -> ApiResult<Json<Vec<CarrierMentoringView>>> {
    let year = q.year.unwrap_or_else(fruition_app::clock::this_year);
    Ok(Json(
        mentors::by_carrier(&state, &caller.ctx(), year).await?,
    ))
}
