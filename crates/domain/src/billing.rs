//! Pay after use (先用后付): the bill an owner issues for a used booking, its payments, and when it
//! is overdue. A booker with an overdue bill may be asked to pay up front (see `pilot::Rules`).
//!
//! One bill per booking. Normally it is issued after the use is recorded. When the owner asks for
//! prepayment it is issued at confirmation for the booked units, and recording the use settles it
//! at the units actually used: the booker then owes the difference, or is owed a refund.
//!
//! A completed service request with a charge is billed the same way (after use), so that vouchers
//! pay for services through the same ledger; such a bill names the request instead of a booking.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::date::IsoDate;
use crate::market;
use crate::money;
use crate::org::string_enum;
use crate::pilot::ResourceKind;

string_enum! {
    /// What a bill is for: a shared resource of a kind, or a one-stop service. Vouchers name the
    /// subjects they pay for.
    BillSubject {
        PilotLine = "pilot_line", "中试线", "Pilot line";
        Instrument = "instrument", "大型仪器", "Instrument";
        Testing = "testing", "检验检测", "Testing service";
        Service = "service", "科技服务", "Technology service";
    }
}

impl From<ResourceKind> for BillSubject {
    fn from(k: ResourceKind) -> BillSubject {
        match k {
            ResourceKind::PilotLine => BillSubject::PilotLine,
            ResourceKind::Instrument => BillSubject::Instrument,
            ResourceKind::Testing => BillSubject::Testing,
        }
    }
}

string_enum! {
    /// Why a bill was issued.
    BillKind {
        AfterUse = "after_use", "先用后付", "Pay after use";
        Prepayment = "prepayment", "预付", "Prepayment";
    }
}

/// The longest a bill may be given to be paid.
pub const MAX_DUE_DAYS: i64 = 180;
pub const EXTRA_MAX: usize = market::SHORT_MAX;

/// What a bill charges: the units at the booker's unit price, plus consumables or other costs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub units: i64,
    pub unit_price_fen: i64,
    pub extra_fen: i64,
}

impl Charge {
    pub fn amount_fen(&self) -> i64 {
        self.units * self.unit_price_fen + self.extra_fen
    }
}

/// The owner's additions when billing: consumables and a due date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BillTerms {
    pub extra_fen: i64,
    pub extra_note: Option<String>,
    pub due_on: IsoDate,
}

/// Reads the owner's billing form: extra charges (元, optional; a note is required with them) and a
/// due date between `today` and [`MAX_DUE_DAYS`] days later (default 30 days).
pub fn bill_terms(
    extra: &str,
    extra_note: &str,
    due_on: &str,
    today: IsoDate,
) -> Result<BillTerms, Vec<FieldError>> {
    let mut errors = Vec::new();
    let extra_fen = if extra.trim().is_empty() {
        0
    } else {
        money::parse_yuan("extra", extra)
            .map_err(|e| errors.push(e))
            .unwrap_or(0)
    };
    let extra_note = market::optional_text("extra_note", extra_note, EXTRA_MAX)
        .map_err(|e| errors.push(e))
        .unwrap_or(None);
    if extra_fen > 0 && extra_note.is_none() {
        errors.push(FieldError::new(
            "extra_note",
            "required",
            "有附加费用时请说明其内容（如耗材、检测试剂）",
            "Say what the extra charge is for (consumables, reagents, …)",
        ));
    }
    let due_on = if due_on.trim().is_empty() {
        Some(today.plus_days(30))
    } else {
        IsoDate::parse_field(due_on, "due_on")
            .map_err(|e| errors.push(e))
            .ok()
    };
    if let Some(d) = due_on {
        let days = d.days_since_epoch() - today.days_since_epoch();
        if !(0..=MAX_DUE_DAYS).contains(&days) {
            errors.push(FieldError::new(
                "due_on",
                "out_of_range",
                format!("付款期限应在今天（{today}）到 {MAX_DUE_DAYS} 天之内"),
                format!(
                    "The due date must be between today ({today}) and {MAX_DUE_DAYS} days later"
                ),
            ));
        }
    }
    match (errors.is_empty(), due_on) {
        (true, Some(due_on)) => Ok(BillTerms {
            extra_fen,
            extra_note,
            due_on,
        }),
        _ => Err(errors),
    }
}

/// A bill's money as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Balance {
    pub amount_fen: i64,
    /// Paid in money (refunds are negative payments).
    pub paid_fen: i64,
    /// Paid with innovation vouchers.
    pub voucher_fen: i64,
}

impl Balance {
    /// Still to pay; negative when the booker is owed a refund.
    pub fn outstanding(&self) -> i64 {
        self.amount_fen - self.paid_fen - self.voucher_fen
    }
}

/// Overdue: money still owed after the due date.
pub fn is_overdue(outstanding_fen: i64, due_on: IsoDate, today: IsoDate) -> bool {
    outstanding_fen > 0 && due_on < today
}

/// A payment as typed: money (元) and, for the booker, an innovation voucher's part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct PaymentInput {
    /// Money paid, 元.
    #[serde(default)]
    pub cash: String,
    /// The voucher to apply, and how much of it (元).
    pub voucher_id: Option<i64>,
    #[serde(default)]
    pub voucher_amount: String,
    /// A bank transfer's reference or a receipt number.
    #[serde(default)]
    pub reference: String,
    /// A refund to the booker of what was overpaid on a prepaid bill (the owner records it).
    #[serde(default)]
    pub refund: bool,
}

/// A payment's checked amounts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payment {
    /// Negative for a refund.
    pub cash_fen: i64,
    pub voucher: Option<(i64, i64)>,
    pub reference: Option<String>,
}

pub fn payment(input: &PaymentInput) -> Result<Payment, Vec<FieldError>> {
    let mut errors = Vec::new();
    let cash_fen = if input.cash.trim().is_empty() {
        0
    } else {
        money::parse_yuan("cash", &input.cash)
            .map_err(|e| errors.push(e))
            .unwrap_or(0)
    };
    let voucher_fen = if input.voucher_amount.trim().is_empty() {
        0
    } else {
        money::parse_yuan("voucher_amount", &input.voucher_amount)
            .map_err(|e| errors.push(e))
            .unwrap_or(0)
    };
    let reference = market::optional_text("reference", &input.reference, market::SHORT_MAX)
        .map_err(|e| errors.push(e))
        .unwrap_or(None);
    if voucher_fen > 0 && input.voucher_id.is_none() {
        errors.push(FieldError::new(
            "voucher_id",
            "required",
            "请选择要使用的创新券",
            "Choose the voucher to apply",
        ));
    }
    if input.refund && voucher_fen > 0 {
        errors.push(FieldError::new(
            "voucher_amount",
            "refund",
            "退款不能使用创新券",
            "A refund cannot use a voucher",
        ));
    }
    if errors.is_empty() && cash_fen == 0 && voucher_fen == 0 {
        errors.push(FieldError::new(
            "cash",
            "required",
            "请填写付款金额或创新券抵扣金额",
            "Give the amount paid or the voucher's part",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Payment {
        cash_fen: if input.refund { -cash_fen } else { cash_fen },
        voucher: input
            .voucher_id
            .filter(|_| voucher_fen > 0)
            .map(|id| (id, voucher_fen)),
        reference,
    })
}

/// Checks a payment against the bill before it is written (the database re-checks under
/// concurrency): nothing beyond what is owed, a refund only of what was overpaid.
pub fn check_payment(balance: &Balance, p: &Payment) -> Result<(), FieldError> {
    let outstanding = balance.outstanding();
    let voucher_fen = p.voucher.map(|(_, v)| v).unwrap_or(0);
    if p.cash_fen < 0 {
        if -p.cash_fen > -outstanding {
            return Err(FieldError::new(
                "cash",
                "exceeds_overpaid",
                format!(
                    "退款不能超过多付的 {} 元",
                    money::yuan((-outstanding).max(0))
                ),
                format!(
                    "A refund cannot exceed the {} yuan overpaid",
                    money::yuan((-outstanding).max(0))
                ),
            ));
        }
        return Ok(());
    }
    if p.cash_fen + voucher_fen > outstanding {
        return Err(FieldError::new(
            if p.cash_fen > 0 {
                "cash"
            } else {
                "voucher_amount"
            },
            "exceeds_outstanding",
            format!(
                "付款合计 {} 元超过待付金额 {} 元",
                money::yuan(p.cash_fen + voucher_fen),
                money::yuan(outstanding.max(0))
            ),
            format!(
                "The payment of {} yuan exceeds the {} yuan outstanding",
                money::yuan(p.cash_fen + voucher_fen),
                money::yuan(outstanding.max(0))
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> IsoDate {
        IsoDate::parse(s).unwrap()
    }

    #[test]
    fn billing_terms_default_to_thirty_days() {
        let t = bill_terms("", "", "", day("2026-11-26")).unwrap();
        assert_eq!(t.due_on, day("2026-12-26"));
        assert_eq!(t.extra_fen, 0);
        let t = bill_terms("120.5", "耗材：碳化硅衬底", "2026-12-10", day("2026-11-26")).unwrap();
        assert_eq!(
            (t.extra_fen, t.extra_note.as_deref()),
            (12_050, Some("耗材：碳化硅衬底"))
        );
    }

    #[test]
    fn billing_terms_errors_name_fields() {
        let e = bill_terms("50", "", "2026-11-01", day("2026-11-26")).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["extra_note", "due_on"]);
        let e = bill_terms("abc", "", "2027-12-01", day("2026-11-26")).unwrap_err();
        assert_eq!(e[0].field, "extra");
        assert_eq!(e[1].code, "out_of_range");
    }

    #[test]
    fn overdue_means_owed_after_the_due_date() {
        let due = day("2026-11-20");
        assert!(is_overdue(1, due, day("2026-11-21")));
        assert!(!is_overdue(1, due, day("2026-11-20")));
        assert!(!is_overdue(0, due, day("2027-01-01")));
        assert!(!is_overdue(-100, due, day("2027-01-01")));
    }

    #[test]
    fn payments_cannot_exceed_what_is_owed() {
        let b = Balance {
            amount_fen: 100_000,
            paid_fen: 30_000,
            voucher_fen: 20_000,
        };
        assert_eq!(b.outstanding(), 50_000);
        let pay = |cash: &str, v: &str| {
            payment(&PaymentInput {
                cash: cash.into(),
                voucher_id: Some(7),
                voucher_amount: v.into(),
                ..PaymentInput::default()
            })
            .unwrap()
        };
        assert!(check_payment(&b, &pay("300", "200")).is_ok());
        let e = check_payment(&b, &pay("300", "201")).unwrap_err();
        assert_eq!((e.field, e.code), ("cash", "exceeds_outstanding"));
        assert!(e.zh.contains("500.00"), "{}", e.zh);
    }

    #[test]
    fn refunds_only_of_what_was_overpaid() {
        let b = Balance {
            amount_fen: 60_000,
            paid_fen: 80_000,
            voucher_fen: 0,
        };
        let refund = |cash: &str| {
            payment(&PaymentInput {
                cash: cash.into(),
                refund: true,
                ..PaymentInput::default()
            })
            .unwrap()
        };
        assert_eq!(refund("200").cash_fen, -20_000);
        assert!(check_payment(&b, &refund("200")).is_ok());
        assert_eq!(
            check_payment(&b, &refund("200.01")).unwrap_err().code,
            "exceeds_overpaid"
        );
    }

    #[test]
    fn an_empty_payment_is_refused() {
        let e = payment(&PaymentInput::default()).unwrap_err();
        assert_eq!((e[0].field, e[0].code), ("cash", "required"));
        let e = payment(&PaymentInput {
            voucher_amount: "10".into(),
            ..PaymentInput::default()
        })
        .unwrap_err();
        assert_eq!(e[0].field, "voucher_id");
    }
}
