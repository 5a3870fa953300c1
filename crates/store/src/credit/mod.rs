//! Knowledge-value credit loans and the risk compensation pool: the city's policy and the pool's
//! funders, loans from application to repayment or default, the pool's append-only double-entry
//! ledger, banks' compensation claims, each bank's non-performing ratio and breaker, and the
//! bureau's scorecards with the enterprises' scores.

pub mod claims;
pub mod ledger;
pub mod loans;
pub mod policy;
pub mod risk;
pub mod scores;
