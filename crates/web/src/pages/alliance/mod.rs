//! The carrier alliance's pages (载体联盟), one module per part, merged here: the alliance's
//! home — members with roles, notices, shared offers (`home`); events, an event's page with
//! registration, the check-in code, the calendar file and the organiser's lists (`events`);
//! staff training and certificates (`training`). Every rule is the actions'
//! (`fruition_app::alliance`).

mod events;
mod home;
mod training;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

use super::credit::SubNav;
use super::{Chrome, error_page};
use crate::AppState;
use crate::auth::Authed;
use crate::error::{AppError, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(home::router())
        .merge(events::router())
        .merge(training::router())
}

/// The alliance pages' links under the heading; `current` is this page's.
pub fn subnav(c: &Chrome, current: &str) -> SubNav {
    [
        ("/alliance", "alliance"),
        ("/alliance/events", "alliance_events"),
        ("/alliance/training", "alliance_training"),
    ]
    .into_iter()
    .map(|(href, key)| (href.to_string(), c.t(key), href == current))
    .collect()
}

/// Notices the alliance pages' redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "alliance_member_admitted",
    "alliance_member_saved",
    "alliance_member_removed",
    "alliance_notice_posted",
    "alliance_offer_made",
    "alliance_interest_shown",
    "alliance_event_created",
    "alliance_event_saved",
    "alliance_registered",
    "alliance_registration_cancelled",
    "alliance_checked_in",
    "alliance_course_added",
    "alliance_record_added",
    "alliance_certificate_added",
];

/// The page's notice for `done`, when it is one of [`NOTICES`].
pub fn with_notice(mut c: Chrome, done: Option<&str>) -> Chrome {
    if let Some(key) = done.filter(|k| NOTICES.contains(k)) {
        c.notice = Some(c.t(key));
    }
    c
}

/// A form's refusal: the page again with the problems (422, 409), else an error page.
pub fn refusal(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    e: &AppError,
) -> Option<Response> {
    match e.status() {
        StatusCode::UNPROCESSABLE_ENTITY | StatusCode::CONFLICT => None,
        _ => Some(error_page(state, headers, Some(authed), e)),
    }
}

/// A number typed in a form; anything else is -1 (which the actions refuse naming the field).
pub fn number(raw: &str) -> i64 {
    raw.trim().parse().unwrap_or(-1)
}

/// An optional id typed in a form.
pub fn opt_id(raw: &str) -> Option<i64> {
    match raw.trim() {
        "" => None,
        s => Some(s.parse().unwrap_or(-1)),
    }
}
