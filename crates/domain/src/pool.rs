//! The risk compensation pool's money (风险补偿资金池): its funders and their ratios, the city's
//! credit policy (pool rules, terms' limits and the lending target), a bank's claim on a
//! defaulted loan, and how a recovery after compensation flows back to the funders.
//!
//! The pool keeps double-entry books (`crate::ledger`): each funder has an account for what it
//! has put in (`funder`) and one for its money in the pool (`pool`, never below zero); each bank
//! has an account for the compensation it received (`bank`). A contribution moves money from a
//! funder's account to its pool account; a compensation moves it from the funders' pool accounts,
//! split by their ratios, to the bank's; a recovery moves the pool's part back by the same ratios.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::credit::PoolRules;
use crate::loan::TermLimits;
use crate::org::string_enum;

string_enum! {
    /// Which level of government a funder is.
    FunderLevel {
        Province = "province", "省级财政", "Province";
        City = "city", "市级财政", "City";
        District = "district", "县市区财政", "District";
    }
}

string_enum! {
    /// What kind of account a ledger account is.
    AccountKind {
        Funder = "funder", "出资方出资", "Funder's contributions";
        Pool = "pool", "资金池", "Pool";
        Bank = "bank", "银行补偿", "Bank's compensation";
    }
}

string_enum! {
    /// Why money moved.
    TransferKind {
        Contribution = "contribution", "出资", "Contribution";
        Compensation = "compensation", "风险补偿", "Compensation";
        Recovery = "recovery", "追偿返还", "Recovery returned";
    }
}

string_enum! {
    /// Where a bank's compensation claim stands.
    CompensationStatus {
        Submitted = "submitted", "已提交", "Submitted";
        Approved = "approved", "已审核", "Approved";
        Rejected = "rejected", "已驳回", "Rejected";
        Paid = "paid", "已补偿", "Paid";
    }
}

string_enum! {
    /// What the bureau does to a claim.
    CompensationStep {
        Approve = "approve", "审核通过", "Approve";
        Reject = "reject", "驳回", "Reject";
        Pay = "pay", "拨付补偿", "Pay";
    }
}

impl CompensationStatus {
    /// The status after the bureau's `step`, or why not (naming the field `step`).
    pub fn after(self, step: CompensationStep) -> Result<CompensationStatus, FieldError> {
        match (self, step) {
            (CompensationStatus::Submitted, CompensationStep::Approve) => {
                Ok(CompensationStatus::Approved)
            }
            (
                CompensationStatus::Submitted | CompensationStatus::Approved,
                CompensationStep::Reject,
            ) => Ok(CompensationStatus::Rejected),
            (CompensationStatus::Approved, CompensationStep::Pay) => Ok(CompensationStatus::Paid),
            _ => Err(FieldError::new(
                "step",
                "not_now",
                format!(
                    "补偿申请当前为“{}”，不能“{}”",
                    self.label(crate::lang::Lang::ZhCn),
                    step.label(crate::lang::Lang::ZhCn)
                ),
                format!(
                    "The claim is {}; it cannot be “{}” now",
                    self.label(crate::lang::Lang::En),
                    step.label(crate::lang::Lang::En)
                ),
            )),
        }
    }
}

/// The city's credit policy: the pool's rules, the limits on a loan's terms and the amount of
/// knowledge-value loans the city means to see issued (the reply's 30亿元).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreditPolicy {
    pub pool: PoolRules,
    pub terms: TermLimits,
    pub target_fen: i64,
}

impl Default for CreditPolicy {
    fn default() -> Self {
        CreditPolicy {
            pool: PoolRules::default(),
            terms: TermLimits::default(),
            target_fen: 30 * 10_000 * 10_000 * 100,
        }
    }
}

impl CreditPolicy {
    /// Checks a policy: percentages 0–100, caps positive, warning below breaker, terms sane,
    /// target positive; every problem at once.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut bad = |field: &'static str, zh: &str, en: &str| {
            errors.push(FieldError::new(field, "out_of_range", zh, en));
        };
        let p = &self.pool;
        if !(0..=100).contains(&p.credit_pct) {
            bad(
                "credit_pct",
                "信用贷款补偿比例应为 0 到 100",
                "The credit loans' share is 0 to 100 %",
            );
        }
        if !(0..=100).contains(&p.guaranteed_pct) {
            bad(
                "guaranteed_pct",
                "担保贷款补偿比例应为 0 到 100",
                "The guaranteed loans' share is 0 to 100 %",
            );
        }
        if p.per_loan_cap_fen <= 0 || p.per_loan_cap_fen > crate::money::MAX_FEN {
            bad(
                "per_loan_cap",
                "单笔补偿上限应大于零且不超过 1 亿元",
                "The per-loan cap is above zero and at most 100 million yuan",
            );
        }
        if p.bank_year_cap_fen <= 0 || p.bank_year_cap_fen > 100 * crate::money::MAX_FEN {
            bad(
                "bank_year_cap",
                "单家银行年度补偿上限应大于零且不超过 100 亿元",
                "A bank's yearly cap is above zero and at most 10 billion yuan",
            );
        }
        if !(1..=10_000).contains(&p.warning_bp) || !(1..=10_000).contains(&p.breaker_bp) {
            bad(
                "warning_bp",
                "预警线和熔断线应在 0.01% 到 100% 之间",
                "The warning and breaker lines are 0.01 % to 100 %",
            );
        } else if p.warning_bp >= p.breaker_bp {
            bad(
                "breaker_bp",
                "熔断线应高于预警线",
                "The breaker line is above the warning line",
            );
        }
        let t = &self.terms;
        if !(1..=2_000).contains(&t.lpr_bp) {
            bad(
                "lpr_bp",
                "LPR 应在 0.01% 到 20% 之间",
                "LPR is 0.01 % to 20 %",
            );
        }
        if !(0..=2_000).contains(&t.max_spread_bp) {
            bad(
                "max_spread_bp",
                "利率上浮上限应在 0 到 2000 个基点之间",
                "The spread over LPR is 0 to 2,000 bp",
            );
        }
        if !(1..=120).contains(&t.max_term_months) {
            bad(
                "max_term_months",
                "最长期限应为 1 到 120 个月",
                "The longest term is 1 to 120 months",
            );
        }
        if self.target_fen <= 0 || self.target_fen > 10_000 * crate::money::MAX_FEN {
            bad(
                "target",
                "贷款目标应大于零且不超过 1 万亿元",
                "The target is above zero and at most 1 trillion yuan",
            );
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// The pool's part of a recovery made after compensation: the recovered amount in the proportion
/// the pool bore of the loss, never beyond what the pool paid less what has come back already.
pub fn recovery_share(
    recovered_fen: i64,
    loss_fen: i64,
    compensated_fen: i64,
    returned_fen: i64,
) -> i64 {
    if recovered_fen <= 0 || loss_fen <= 0 || compensated_fen <= 0 {
        return 0;
    }
    let share = (i128::from(recovered_fen) * i128::from(compensated_fen) * 2
        + i128::from(loss_fen))
        / (2 * i128::from(loss_fen));
    let left = (compensated_fen - returned_fen).max(0);
    i64::try_from(share).unwrap_or(i64::MAX).min(left)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_approved_then_paid_once() {
        let s = CompensationStatus::Submitted
            .after(CompensationStep::Approve)
            .expect("approve");
        assert_eq!(s.after(CompensationStep::Pay), Ok(CompensationStatus::Paid));
        assert!(
            CompensationStatus::Paid
                .after(CompensationStep::Pay)
                .is_err()
        );
        assert!(
            CompensationStatus::Submitted
                .after(CompensationStep::Pay)
                .is_err()
        );
        assert!(
            CompensationStatus::Paid
                .after(CompensationStep::Reject)
                .is_err()
        );
    }

    #[test]
    fn the_default_policy_holds_and_bad_ones_name_their_fields() {
        let p = CreditPolicy::default();
        assert_eq!(p.check(), Ok(()));
        assert_eq!(p.target_fen / 100, 3_000_000_000);
        let mut bad = p;
        bad.pool.credit_pct = 101;
        bad.pool.warning_bp = 900;
        bad.terms.max_term_months = 0;
        let fields: Vec<_> = bad.check().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["credit_pct", "breaker_bp", "max_term_months"]);
    }

    #[test]
    fn recoveries_come_back_in_the_share_the_pool_bore() {
        // 100万 lost, 80万 compensated: of 50万 recovered the pool gets 40万.
        let wan = 10_000 * 100;
        assert_eq!(recovery_share(50 * wan, 100 * wan, 80 * wan, 0), 40 * wan);
        // Never more than the pool paid, counting what came back before.
        assert_eq!(
            recovery_share(100 * wan, 100 * wan, 80 * wan, 70 * wan),
            10 * wan
        );
        assert_eq!(recovery_share(0, 100 * wan, 80 * wan, 0), 0);
    }
}
