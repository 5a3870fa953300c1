//! `/api/v1/credit/…`: knowledge-value credit loans (知识价值信用贷款) and the shared risk
//! compensation pool (风险补偿资金池): loans and repayments (`loans`), compensation claims and
//! recoveries (`claims`), the pool, its ledger, the policy, banks' risk and the target (`pool`).

pub mod claims;
pub mod loans;
pub mod pool;
pub mod repayments;
pub mod scores;
pub mod whatif;

use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(loans::router())
        .merge(claims::router())
        .merge(pool::router())
        .merge(repayments::router())
        .merge(whatif::router())
        .merge(scores::router())
}
