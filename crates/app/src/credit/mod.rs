//! Knowledge-value credit (知识价值信用贷款): the bureau's scorecards and the enterprises' scores.

pub mod scores;
