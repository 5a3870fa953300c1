//! `/api/v1/alliance/…`: the carrier alliance (载体联盟) — members, notices and shared offers
//! (`members`), events with registration, the waiting list, check-in and their calendar files
//! (`events`), and staff training (`training`).

pub mod events;
pub mod members;
pub mod training;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(members::router())
        .merge(events::router())
        .merge(training::router())
}
