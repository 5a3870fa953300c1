//! `/api/v1/credit/…`: knowledge-value credit loans (知识价值信用贷款) and the shared risk
//! compensation pool (风险补偿资金池), one module per part, merged here.

pub(super) mod whatif;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new().merge(whatif::router())
}
