//! The pages of knowledge-value credit (知识价值信用贷款).

pub mod scores;
