//! `/api/v1/capital/…`: funds and their managers (`funds`), investments, follow-ons and exits
//! (`investments`), and 先投后股 projects (`grants`).

pub mod funds;
pub mod grants;
pub mod investments;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(funds::router())
        .merge(investments::router())
        .merge(grants::router())
}
