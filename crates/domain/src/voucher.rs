//! Innovation vouchers (科技创新券): issued by the bureau to an enterprise, applied at payment as a
//! discount on bills for what the voucher names (kinds of resource, technology services), up to a share of each bill and a
//! yearly cap per enterprise; the resource's owner then claims the vouchers' part back from the
//! bureau, which approves and records the payment.
//!
//! A voucher's balance moves only by ledger entries (issue +, spend −, reversal +), each keeping the
//! balance after it, so every balance can be traced entry by entry.
//!
//! ```text
//! claim: submitted ──approve──▶ approved ──record_payment──▶ paid
//!            └──reject──▶ rejected (its spends may be claimed again)
//! ```

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::billing::BillSubject;
use crate::date::IsoDate;
use crate::money;
use crate::org::string_enum;

string_enum! {
    /// A ledger entry's kind.
    EntryKind {
        Issue = "issue", "发放", "Issued";
        Spend = "spend", "抵扣", "Spent";
        Revoke = "revoke", "收回", "Revoked";
    }
}

string_enum! {
    /// Where a reimbursement claim stands.
    ClaimStatus {
        Submitted = "submitted", "待审核", "Submitted";
        Approved = "approved", "已批准（待拨付）", "Approved (to be paid)";
        Rejected = "rejected", "未通过", "Rejected";
        Paid = "paid", "已拨付", "Paid";
    }
}

string_enum! {
    /// What the bureau does with a claim.
    ClaimStep {
        Approve = "approve", "批准", "Approve";
        Reject = "reject", "退回", "Reject";
        RecordPayment = "record_payment", "登记拨付", "Record the payment";
    }
}

impl ClaimStatus {
    pub fn after(self, step: ClaimStep) -> Option<ClaimStatus> {
        match (self, step) {
            (ClaimStatus::Submitted, ClaimStep::Approve) => Some(ClaimStatus::Approved),
            (ClaimStatus::Submitted, ClaimStep::Reject) => Some(ClaimStatus::Rejected),
            (ClaimStatus::Approved, ClaimStep::RecordPayment) => Some(ClaimStatus::Paid),
            _ => None,
        }
    }
}

/// A voucher as the bureau types it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct VoucherInput {
    pub org_id: Option<i64>,
    /// Face value, 元.
    pub amount: String,
    pub valid_from: String,
    pub valid_to: String,
    /// The most of one bill a voucher may pay, percent (1–100).
    pub share_pct: Option<i64>,
    /// The most an enterprise may pay with vouchers in a calendar year, 元.
    pub yearly_cap: String,
    /// Codes of `billing::BillSubject`; empty means every subject.
    #[serde(default)]
    pub kinds: Vec<String>,
}

/// A voucher's checked terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct VoucherTerms {
    pub org_id: i64,
    pub face_fen: i64,
    pub valid_from: IsoDate,
    pub valid_to: IsoDate,
    pub share_pct: i64,
    pub yearly_cap_fen: i64,
    pub kinds: Vec<BillSubject>,
}

impl VoucherTerms {
    pub fn parse(input: &VoucherInput) -> Result<VoucherTerms, Vec<FieldError>> {
        let mut errors = Vec::new();
        fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errors.push(e)).ok()
        }
        let org_id = keep(
            &mut errors,
            input.org_id.ok_or_else(|| {
                FieldError::new(
                    "org_id",
                    "required",
                    "请选择获券企业",
                    "Choose the enterprise",
                )
            }),
        );
        let face = keep(
            &mut errors,
            money::parse_yuan("amount", &input.amount).and_then(|v| {
                if v > 0 {
                    Ok(v)
                } else {
                    Err(FieldError::new(
                        "amount",
                        "out_of_range",
                        "面额应大于 0",
                        "The amount must be more than 0",
                    ))
                }
            }),
        );
        let from = keep(
            &mut errors,
            IsoDate::parse_field(&input.valid_from, "valid_from"),
        );
        let to = keep(
            &mut errors,
            IsoDate::parse_field(&input.valid_to, "valid_to"),
        );
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            errors.push(FieldError::new(
                "valid_to",
                "before_start",
                "有效期截止日不能早于起始日",
                "The voucher cannot expire before it starts",
            ));
        }
        let share = keep(
            &mut errors,
            match input.share_pct {
                None => Err(FieldError::new(
                    "share_pct",
                    "required",
                    "必填",
                    "is required",
                )),
                Some(v) if (1..=100).contains(&v) => Ok(v),
                Some(_) => Err(FieldError::new(
                    "share_pct",
                    "out_of_range",
                    "抵扣比例应在 1% 到 100% 之间",
                    "The share must be between 1 and 100 percent",
                )),
            },
        );
        let cap = keep(
            &mut errors,
            money::parse_yuan("yearly_cap", &input.yearly_cap),
        );
        let mut kinds = Vec::new();
        for k in &input.kinds {
            match BillSubject::parse(k.trim()) {
                Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
                Some(_) => {}
                None => errors.push(FieldError::new(
                    "kinds",
                    "invalid",
                    format!("“{k}”不是创新券可以支付的类型"),
                    format!("“{k}” is not something a voucher pays for"),
                )),
            }
        }
        if kinds.is_empty() {
            kinds = BillSubject::ALL.to_vec();
        }
        match (org_id, face, from, to, share, cap) {
            (
                Some(org_id),
                Some(face_fen),
                Some(valid_from),
                Some(valid_to),
                Some(share_pct),
                Some(yearly_cap_fen),
            ) if errors.is_empty() => Ok(VoucherTerms {
                org_id,
                face_fen,
                valid_from,
                valid_to,
                share_pct,
                yearly_cap_fen,
                kinds,
            }),
            _ => Err(errors),
        }
    }
}

/// Kinds as kept in the database: codes joined by commas.
pub fn kinds_code(kinds: &[BillSubject]) -> String {
    kinds.iter().map(|k| k.code()).collect::<Vec<_>>().join(",")
}

pub fn kinds_of(code: &str) -> Vec<BillSubject> {
    code.split(',').filter_map(BillSubject::parse).collect()
}

/// What a voucher spend is checked against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpendCheck {
    pub holder_org_id: i64,
    pub active: bool,
    pub balance_fen: i64,
    pub valid_from: IsoDate,
    pub valid_to: IsoDate,
    pub share_pct: i64,
    pub yearly_cap_fen: i64,
    pub kinds: Vec<BillSubject>,
    /// The bill's payer, what it is for, whether it takes vouchers, its amount and voucher part
    /// so far.
    pub payer_org_id: i64,
    pub subject: BillSubject,
    pub vouchers_accepted: bool,
    pub bill_amount_fen: i64,
    pub bill_voucher_fen: i64,
    /// What the holder has paid with vouchers this year.
    pub year_spent_fen: i64,
    pub today: IsoDate,
}

impl SpendCheck {
    /// The most of the bill vouchers may pay: `share_pct` of its amount.
    pub fn share_cap(&self) -> i64 {
        money::percent_of(self.bill_amount_fen, self.share_pct)
    }

    /// Whether `amount_fen` may be spent; the reason names the field `voucher_amount` or `voucher_id`.
    pub fn check(&self, amount_fen: i64) -> Result<(), FieldError> {
        let no = |field: &'static str, code: &'static str, zh: String, en: String| {
            Err(FieldError::new(field, code, zh, en))
        };
        if self.holder_org_id != self.payer_org_id {
            return no(
                "voucher_id",
                "not_holder",
                "这张创新券不属于付款企业".into(),
                "The voucher belongs to another enterprise".into(),
            );
        }
        if !self.active {
            return no(
                "voucher_id",
                "revoked",
                "这张创新券已收回".into(),
                "The voucher has been revoked".into(),
            );
        }
        if self.today < self.valid_from || self.today > self.valid_to {
            return no(
                "voucher_id",
                "not_valid",
                format!("创新券有效期为 {} 至 {}", self.valid_from, self.valid_to),
                format!(
                    "The voucher is valid from {} to {}",
                    self.valid_from, self.valid_to
                ),
            );
        }
        if !self.vouchers_accepted {
            return no(
                "voucher_id",
                "not_accepted",
                "这项服务不接受创新券支付".into(),
                "This service is not paid with vouchers".into(),
            );
        }
        if !self.kinds.contains(&self.subject) {
            return no(
                "voucher_id",
                "kind",
                format!(
                    "这张创新券不能用于{}",
                    self.subject.label(crate::lang::Lang::ZhCn)
                ),
                format!(
                    "The voucher does not pay for {}",
                    self.subject.label(crate::lang::Lang::En).to_lowercase()
                ),
            );
        }
        if amount_fen > self.balance_fen {
            return no(
                "voucher_amount",
                "exceeds_balance",
                format!("超过创新券余额 {} 元", money::yuan(self.balance_fen)),
                format!(
                    "More than the voucher's balance of {} yuan",
                    money::yuan(self.balance_fen)
                ),
            );
        }
        let share_left = self.share_cap() - self.bill_voucher_fen;
        if amount_fen > share_left {
            return no(
                "voucher_amount",
                "exceeds_share",
                format!(
                    "创新券最多抵扣账单的 {}%（还可抵扣 {} 元）",
                    self.share_pct,
                    money::yuan(share_left.max(0))
                ),
                format!(
                    "Vouchers pay at most {}% of the bill ({} yuan left)",
                    self.share_pct,
                    money::yuan(share_left.max(0))
                ),
            );
        }
        let year_left = self.yearly_cap_fen - self.year_spent_fen;
        if amount_fen > year_left {
            return no(
                "voucher_amount",
                "exceeds_yearly_cap",
                format!(
                    "超过本年度创新券使用上限（{} 元，还可使用 {} 元）",
                    money::yuan(self.yearly_cap_fen),
                    money::yuan(year_left.max(0))
                ),
                format!(
                    "Beyond this year's cap of {} yuan ({} yuan left)",
                    money::yuan(self.yearly_cap_fen),
                    money::yuan(year_left.max(0))
                ),
            );
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap()
    }

    fn check() -> SpendCheck {
        SpendCheck {
            holder_org_id: 5,
            active: true,
            balance_fen: 50_000,
            valid_from: day("2026-01-01"),
            valid_to: day("2026-12-31"),
            share_pct: 50,
            yearly_cap_fen: 60_000,
            kinds: vec![BillSubject::PilotLine, BillSubject::Service],
            payer_org_id: 5,
            subject: BillSubject::PilotLine,
            vouchers_accepted: true,
            bill_amount_fen: 80_000,
            bill_voucher_fen: 0,
            year_spent_fen: 0,
            today: day("2026-11-26"),
        }
    }

    #[test]
    fn a_voucher_pays_up_to_its_share_balance_and_cap() {
        let c = check();
        assert_eq!(c.share_cap(), 40_000);
        assert!(c.check(40_000).is_ok());
        assert_eq!(c.check(40_001).unwrap_err().code, "exceeds_share");
        let c = SpendCheck {
            bill_amount_fen: 200_000,
            ..check()
        };
        assert_eq!(c.check(50_001).unwrap_err().code, "exceeds_balance");
        let c = SpendCheck {
            bill_amount_fen: 200_000,
            year_spent_fen: 20_000,
            ..check()
        };
        let e = c.check(45_000).unwrap_err();
        assert_eq!((e.field, e.code), ("voucher_amount", "exceeds_yearly_cap"));
        assert!(e.zh.contains("还可使用 400.00 元"), "{}", e.zh);
    }

    #[test]
    fn a_voucher_pays_only_its_holders_bills_of_its_kinds_while_valid() {
        let c = SpendCheck {
            payer_org_id: 6,
            ..check()
        };
        assert_eq!(c.check(1).unwrap_err().code, "not_holder");
        let c = SpendCheck {
            subject: BillSubject::Instrument,
            ..check()
        };
        assert_eq!(c.check(1).unwrap_err().code, "kind");
        // A service's bill: paid by a voucher naming services, unless the service takes none.
        let c = SpendCheck {
            subject: BillSubject::Service,
            ..check()
        };
        assert!(c.check(1).is_ok());
        let c = SpendCheck {
            subject: BillSubject::Service,
            vouchers_accepted: false,
            ..check()
        };
        assert_eq!(c.check(1).unwrap_err().code, "not_accepted");
        let c = SpendCheck {
            today: day("2027-01-01"),
            ..check()
        };
        assert_eq!(c.check(1).unwrap_err().code, "not_valid");
        let c = SpendCheck {
            active: false,
            ..check()
        };
        assert_eq!(c.check(1).unwrap_err().code, "revoked");
    }

    #[test]
    fn voucher_input_errors_name_fields() {
        let e = VoucherTerms::parse(&VoucherInput {
            amount: "0".into(),
            valid_from: "2026-12-01".into(),
            valid_to: "2026-01-01".into(),
            share_pct: Some(0),
            yearly_cap: "x".into(),
            kinds: vec!["spaceship".into()],
            ..VoucherInput::default()
        })
        .unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "org_id",
                "amount",
                "valid_to",
                "share_pct",
                "yearly_cap",
                "kinds"
            ]
        );
    }

    #[test]
    fn no_kinds_means_every_kind() {
        let t = VoucherTerms::parse(&VoucherInput {
            org_id: Some(1),
            amount: "5000".into(),
            valid_from: "2026-01-01".into(),
            valid_to: "2026-12-31".into(),
            share_pct: Some(50),
            yearly_cap: "20000".into(),
            kinds: vec![],
        })
        .unwrap();
        assert_eq!(t.kinds, BillSubject::ALL);
        assert_eq!(kinds_of(&kinds_code(&t.kinds)), BillSubject::ALL);
    }

    #[test]
    fn claims_move_forward_only() {
        assert_eq!(
            ClaimStatus::Submitted.after(ClaimStep::Approve),
            Some(ClaimStatus::Approved)
        );
        assert_eq!(ClaimStatus::Submitted.after(ClaimStep::RecordPayment), None);
        assert_eq!(ClaimStatus::Paid.after(ClaimStep::Reject), None);
    }
}
