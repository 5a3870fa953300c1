//! The pages of knowledge-value credit loans and the risk compensation pool, one module per part,
//! merged here (so far the pool's what-if, for the bureau).

mod whatif;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(whatif::router())
}
