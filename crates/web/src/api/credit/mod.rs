//! `/api/v1/credit/…` and the credit routes under `/api/v1/enterprises/{id}/…`: knowledge-value
//! credit loans (知识价值信用贷款).

pub mod scores;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(scores::router())
}
