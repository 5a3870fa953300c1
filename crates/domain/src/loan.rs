//! A knowledge-value loan's life (知识价值信用贷款): the enterprise applies with its consent to
//! share its data with the chosen bank → the bank reviews → approves (within the scorecard's
//! line unless it records why, the rate within the cap over LPR, the term within 36 months) or
//! declines with a reason → disburses → the bureau registers it for risk compensation (备案) →
//! repaid, or overdue → defaulted. The state machine is pure; the store applies each step as a
//! conditional update on the status it expects.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::date::IsoDate;
use crate::org::string_enum;

string_enum! {
    /// Where a loan stands.
    LoanStatus {
        Applied = "applied", "已申请", "Applied";
        Approved = "approved", "已审批", "Approved";
        Declined = "declined", "已拒绝", "Declined";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
        Disbursed = "disbursed", "已放款", "Disbursed";
        Registered = "registered", "已备案", "Registered for compensation";
        Repaid = "repaid", "已结清", "Repaid";
        Overdue = "overdue", "逾期", "Overdue";
        Defaulted = "defaulted", "已违约", "Defaulted";
    }
}

string_enum! {
    /// What someone does to a loan.
    LoanStep {
        Approve = "approve", "审批通过", "Approve";
        Decline = "decline", "拒绝", "Decline";
        Withdraw = "withdraw", "撤回申请", "Withdraw";
        Disburse = "disburse", "放款", "Disburse";
        Register = "register", "备案", "Register for compensation";
        MarkOverdue = "mark_overdue", "标记逾期", "Mark overdue";
        Cure = "cure", "逾期已还清", "Overdue amount repaid";
        Repay = "repay", "结清", "Repaid in full";
        Default = "default", "认定违约", "Declare default";
    }
}

/// Who takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoanParty {
    /// The enterprise that applied.
    Borrower,
    /// The bank it chose.
    Bank,
    /// The bureau (registration for compensation).
    Bureau,
}

impl LoanStatus {
    /// The status after `step` by `party`, or why not (naming the field `step`).
    pub fn after(self, step: LoanStep, party: LoanParty) -> Result<LoanStatus, FieldError> {
        use LoanParty::*;
        use LoanStatus::*;
        use LoanStep::*;
        let next = match (self, step, party) {
            (Applied, Approve, Bank) => Approved,
            (Applied, Decline, Bank) => Declined,
            (Applied | Approved, Withdraw, Borrower) => Withdrawn,
            (Approved, Disburse, Bank) => Disbursed,
            (Disbursed, Register, Bureau) => Registered,
            (Disbursed | Registered, MarkOverdue, Bank) => Overdue,
            (Overdue, Cure, Bank) => Registered,
            (Disbursed | Registered | Overdue, Repay, Bank) => Repaid,
            (Overdue, Default, Bank) => Defaulted,
            _ => {
                return Err(FieldError::new(
                    "step",
                    "not_now",
                    format!(
                        "贷款当前为“{}”，不能“{}”",
                        self.label(crate::lang::Lang::ZhCn),
                        step.label(crate::lang::Lang::ZhCn)
                    ),
                    format!(
                        "The loan is {}; it cannot be “{}” now",
                        self.label(crate::lang::Lang::En),
                        step.label(crate::lang::Lang::En)
                    ),
                ));
            }
        };
        Ok(next)
    }

    /// Whether the loan's principal is still owed (counts in the bank's outstanding balance).
    pub fn outstanding(self) -> bool {
        matches!(
            self,
            LoanStatus::Disbursed | LoanStatus::Registered | LoanStatus::Overdue
        )
    }
}

/// The terms a bank approves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoanTerms {
    pub amount_fen: i64,
    /// Annual rate in basis points (365 = 3.65 %).
    pub rate_bp: i64,
    pub term_months: i64,
    /// Why the amount passes the recommended line, when it does.
    pub over_line_reason: Option<String>,
}

/// The city's limits on terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermLimits {
    /// The loan prime rate in force, in basis points.
    pub lpr_bp: i64,
    /// The most a rate may exceed LPR, in basis points (Hubei: 150).
    pub max_spread_bp: i64,
    /// The longest term (Hunan: 3 years).
    pub max_term_months: i64,
}

impl Default for TermLimits {
    /// LPR 3.00 % (one-year, late 2025), at most LPR + 150 bp, at most 36 months.
    fn default() -> Self {
        TermLimits {
            lpr_bp: 300,
            max_spread_bp: 150,
            max_term_months: 36,
        }
    }
}

/// Checks terms against the limits and the recommended `line_fen`; every problem at once.
pub fn check_terms(
    t: &LoanTerms,
    line_fen: i64,
    limits: &TermLimits,
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if t.amount_fen <= 0 || t.amount_fen > crate::money::MAX_FEN {
        errors.push(FieldError::new(
            "amount",
            "out_of_range",
            "贷款金额应大于零且不超过 1 亿元",
            "The amount is above zero and at most 100 million yuan",
        ));
    } else if t.amount_fen > line_fen
        && t.over_line_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        errors.push(FieldError::new(
            "over_line_reason",
            "over_line",
            format!(
                "金额超过评分卡推荐额度（{}），请说明理由",
                crate::money::yuan(line_fen)
            ),
            format!(
                "The amount passes the recommended line ({} yuan): say why",
                crate::money::yuan(line_fen)
            ),
        ));
    }
    let max_rate = limits.lpr_bp + limits.max_spread_bp;
    if t.rate_bp <= 0 || t.rate_bp > max_rate {
        errors.push(FieldError::new(
            "rate",
            "rate_cap",
            format!(
                "年利率应大于零且不超过 LPR 加 {} 个基点（{}.{:02}%）",
                limits.max_spread_bp,
                max_rate / 100,
                max_rate % 100
            ),
            format!(
                "The rate is above zero and at most LPR + {} bp ({}.{:02} %)",
                limits.max_spread_bp,
                max_rate / 100,
                max_rate % 100
            ),
        ));
    }
    if !(1..=limits.max_term_months).contains(&t.term_months) {
        errors.push(FieldError::new(
            "term_months",
            "term",
            format!("期限应为 1 到 {} 个月", limits.max_term_months),
            format!("The term is 1 to {} months", limits.max_term_months),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

string_enum! {
    /// How a loan is repaid.
    RepaymentMethod {
        EqualPrincipal = "equal_principal", "等额本金，按月还款", "Equal principal, monthly";
        InterestOnly = "interest_only", "按月付息，到期还本", "Monthly interest, principal at maturity";
    }
}

/// One line of a repayment schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Installment {
    pub seq: i64,
    pub due_on: IsoDate,
    pub principal_fen: i64,
    pub interest_fen: i64,
}

/// The schedule of a loan of `amount_fen` at `rate_bp` a year over `term_months` months from
/// `disbursed_on`: one installment a month on the same day; interest on the principal still owed
/// for the month (rate / 12, rounded half up to the fen); the principal in equal parts (the last
/// takes what rounding left) or all at maturity. The principal parts add up to the amount.
pub fn schedule(
    amount_fen: i64,
    rate_bp: i64,
    term_months: i64,
    method: RepaymentMethod,
    disbursed_on: IsoDate,
) -> Vec<Installment> {
    let n = term_months.clamp(1, 120);
    let amount = amount_fen.max(0);
    let mut owed = amount;
    let mut out = Vec::with_capacity(n as usize);
    for seq in 1..=n {
        let interest =
            i64::try_from((i128::from(owed) * i128::from(rate_bp.max(0)) * 2 + 120_000) / 240_000)
                .unwrap_or(0);
        let principal = match method {
            RepaymentMethod::EqualPrincipal if seq < n => amount / n,
            RepaymentMethod::InterestOnly if seq < n => 0,
            _ => owed,
        };
        owed -= principal;
        out.push(Installment {
            seq,
            due_on: disbursed_on.plus_months(seq),
            principal_fen: principal,
            interest_fen: interest,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use LoanParty::*;
    use LoanStatus::*;
    use LoanStep::*;

    #[test]
    fn a_loan_runs_from_application_to_default_or_repayment() {
        let s = Applied.after(Approve, Bank).expect("approve");
        let s = s.after(Disburse, Bank).expect("disburse");
        let s = s.after(Register, Bureau).expect("register");
        assert!(s.outstanding());
        let overdue = s.after(MarkOverdue, Bank).expect("overdue");
        assert_eq!(overdue.after(Cure, Bank), Ok(Registered));
        assert_eq!(overdue.after(Default, Bank), Ok(Defaulted));
        assert_eq!(s.after(Repay, Bank), Ok(Repaid));
        assert!(!Repaid.outstanding() && !Defaulted.outstanding());
    }

    #[test]
    fn only_the_right_party_takes_a_step_at_the_right_time() {
        // The borrower cannot approve its own loan; the bank cannot register it; nothing
        // follows a decline; a default needs an overdue loan first.
        assert!(Applied.after(Approve, Borrower).is_err());
        assert!(Disbursed.after(Register, Bank).is_err());
        assert!(Declined.after(Approve, Bank).is_err());
        assert!(Registered.after(Default, Bank).is_err());
        assert!(Disbursed.after(Withdraw, Borrower).is_err());
        let e = Repaid.after(Disburse, Bank).unwrap_err();
        assert_eq!(e.field, "step");
        assert!(e.zh.contains("已结清"), "{}", e.zh);
    }

    #[test]
    fn terms_stay_within_the_line_the_rate_cap_and_the_term() {
        let limits = TermLimits::default();
        let line = 200 * 10_000 * 100;
        let ok = LoanTerms {
            amount_fen: line,
            rate_bp: 450,
            term_months: 36,
            over_line_reason: None,
        };
        assert_eq!(check_terms(&ok, line, &limits), Ok(()));
        let bad = LoanTerms {
            amount_fen: line + 1,
            rate_bp: 451,
            term_months: 37,
            over_line_reason: Some("  ".into()),
        };
        let fields: Vec<&str> = check_terms(&bad, line, &limits)
            .unwrap_err()
            .iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["over_line_reason", "rate", "term_months"]);
        let explained = LoanTerms {
            over_line_reason: Some("企业新获订单，流动资金需求经实地核查".into()),
            ..ok
        };
        let over = LoanTerms {
            amount_fen: line + 10_000_000,
            ..explained
        };
        assert_eq!(check_terms(&over, line, &limits), Ok(()));
    }

    #[test]
    fn a_schedule_repays_the_amount_exactly() {
        let day = IsoDate::parse("2025-01-31").expect("date");
        let s = schedule(100_000_001, 435, 12, RepaymentMethod::EqualPrincipal, day);
        assert_eq!(s.len(), 12);
        assert_eq!(s.iter().map(|i| i.principal_fen).sum::<i64>(), 100_000_001);
        assert_eq!(s[0].due_on.to_string(), "2025-02-28");
        assert_eq!(s[11].due_on.to_string(), "2026-01-31");
        // 100万 at 4.35 %: the first month's interest is 3,625 yuan.
        assert_eq!(s[0].interest_fen, 362_500);
        assert!(s[11].interest_fen < s[0].interest_fen);
        let bullet = schedule(100_000_000, 435, 36, RepaymentMethod::InterestOnly, day);
        assert_eq!(bullet.iter().filter(|i| i.principal_fen > 0).count(), 1);
        assert_eq!(bullet[35].principal_fen, 100_000_000);
        assert!(bullet.iter().all(|i| i.interest_fen == 362_500));
    }
}
