//! Fruition's domain: value types that can only hold valid values, and the rules of the platform.
//!
//! No IO, no async, no SQL. Parse, don't validate: a value of type [`uscc::Uscc`] is a valid code.

pub mod account;
pub mod alliance;
pub mod annual;
pub mod attachment;
pub mod audit;
pub mod authz;
pub mod billing;
pub mod campaign;
pub mod carrier;
pub mod contract;
pub mod credit;
pub mod date;
pub mod deal;
pub mod equity_grant;
pub mod evaluation;
pub mod fund;
pub mod indicators;
pub mod investment;
pub mod lang;
pub mod ledger;
pub mod loan;
pub mod market;
pub mod matching;
pub mod mentor;
pub mod money;
pub mod numbers;
pub mod org;
pub mod pilot;
pub mod pool;
#[cfg(test)]
mod proptests;
pub mod reference;
pub mod region;
pub mod reminder;
pub mod report;
pub mod service;
pub mod tech_field;
pub mod uscc;
pub mod voucher;
pub mod whatif;
pub mod wording;

/// A field-level problem with user input: which field, and why (a stable machine code plus
/// a Chinese and an English message).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {en}")]
pub struct FieldError {
    pub field: &'static str,
    pub code: &'static str,
    pub zh: String,
    pub en: String,
}

impl FieldError {
    pub fn new(
        field: &'static str,
        code: &'static str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Self {
        Self {
            field,
            code,
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The same problem reported under another field name (e.g. `uscc` → `applicant_uscc`).
    pub fn for_field(mut self, field: &'static str) -> Self {
        self.field = field;
        self
    }
}

/// What an error message quotes of the input: the first 20 characters, and "…" when there are
/// more (a message never grows with what was typed).
pub fn echo(s: &str) -> String {
    let mut out: String = s.chars().take(20).collect();
    if s.chars().nth(20).is_some() {
        out.push('…');
    }
    out
}
