//! Knowledge-value credit loans and the risk compensation pool.

pub mod whatif;
