//! `/api/v1/alliance/events`: events, registration and the waiting list, check-in, and each
//! event's iCalendar file.

use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::alliance::events::{
    self, CheckInInput, EventDetail, EventInput, EventQuery, EventView, RegistrationView,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliance/events", get(list_events).post(create_event))
        .route("/alliance/events/{id}", get(get_event).put(update_event))
        .route(
            "/alliance/events/{id}/registration",
            post(register).delete(cancel_registration),
        )
        .route("/alliance/events/{id}/check-ins", post(check_in))
        .route("/alliance/events/{id}/calendar", get(event_calendar))
}

/// A year's events (default this year), the earliest first.
#[utoipa::path(get, path = "/api/v1/alliance/events", tag = "alliance", params(EventQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [EventView]), (status = 422, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EventQuery>,
) -> ApiResult<Json<Vec<EventView>>> {
    Ok(Json(events::list(&state, &caller.ctx(), &q).await?))
}

/// Plans an event (times in China time, `2024-05-18 14:30`): the bureau's own, or in a member
/// carrier's name by the bureau or that carrier's managers.
#[utoipa::path(post, path = "/api/v1/alliance/events", tag = "alliance", request_body = EventInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EventDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_event(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<EventInput>,
) -> ApiResult<(StatusCode, Json<EventDetail>)> {
    let d = events::create(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// An event with the caller's registration (and its check-in code) and, for its organiser, the
/// registered, the waiting list in order and who checked in.
#[utoipa::path(get, path = "/api/v1/alliance/events/{id}", tag = "alliance", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody)))]
pub async fn get_event(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<EventDetail>> {
    Ok(Json(events::get(&state, &caller.ctx(), id).await?))
}

/// Changes an event (its organiser): a new time, place or a cancellation tells everyone
/// registered or waiting; the capacity may not fall below the places taken (409 `capacity`), and
/// a larger one moves the waiting list up.
#[utoipa::path(put, path = "/api/v1/alliance/events/{id}", tag = "alliance", params(("id" = i64, Path)), request_body = EventInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EventDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_event(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<EventInput>,
) -> ApiResult<Json<EventDetail>> {
    Ok(Json(
        events::update(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Registers the caller: a place while places remain, else the end of the waiting list. Once per
/// person (409 `user_id`); refused when the event is not open or registration has closed (409
/// `status`).
#[utoipa::path(post, path = "/api/v1/alliance/events/{id}/registration", tag = "alliance", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EventDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<(StatusCode, Json<EventDetail>)> {
    let d = events::register(&state, &caller.ctx(), id).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// Cancels the caller's registration (404 when there is none; 409 once checked in); a place it
/// frees goes to the first waiting person in the same transaction, who is told.
#[utoipa::path(delete, path = "/api/v1/alliance/events/{id}/registration", tag = "alliance", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EventDetail), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_registration(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<EventDetail>> {
    Ok(Json(events::cancel(&state, &caller.ctx(), id).await?))
}

/// Checks in the registered person holding the code (the organiser); a code works once (409
/// `code` the second time), an unknown one is 422 `code`.
#[utoipa::path(post, path = "/api/v1/alliance/events/{id}/check-ins", tag = "alliance", params(("id" = i64, Path)),
    request_body = CheckInInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RegistrationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn check_in(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CheckInInput>,
) -> ApiResult<Json<RegistrationView>> {
    Ok(Json(
        events::check_in(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// The event as an iCalendar file (RFC 5545; times in UTC).
#[utoipa::path(get, path = "/api/v1/alliance/events/{id}/calendar", tag = "alliance", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
pub async fn event_calendar(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Response> {
    let text = events::calendar(&state, &caller.ctx(), id).await?;
    Ok(ics_response(id, text))
}

/// An iCalendar text as an attachment `alliance-event-{id}.ics`.
pub fn ics_response(id: i64, text: String) -> Response {
    let mut res = (StatusCode::OK, text).into_response();
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/calendar; charset=utf-8"),
    );
    if let Ok(v) =
        HeaderValue::from_str(&format!("attachment; filename=\"alliance-event-{id}.ics\""))
    {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
