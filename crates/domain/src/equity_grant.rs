//! 先投后股 (invest first, equity later): public money granted to a project company as
//! ring-fenced project funding with no equity registered; milestones are recorded; the first
//! market-priced financing round triggers conversion at that round's valuation less the
//! agreed discount (让利); the shares are computed exactly and registered; the equity is held
//! and then exited (transfer, founder buy-back, liquidation), or the project is written off
//! with the reason and whether the people responsible are exempt from liability (尽职免责).
//!
//! The state machine and the arithmetic are pure; the store applies a step as a conditional
//! update on the status it expects.

use crate::FieldError;
use crate::investment::ExitRoute;
use crate::lang::Lang;
use crate::org::string_enum;

string_enum! {
    /// Where a 先投后股 project stands.
    GrantStatus {
        Granted = "granted", "已拨付", "Granted";
        Triggered = "triggered", "已触发转股", "Conversion triggered";
        Converted = "converted", "已完成转股测算", "Converted";
        Held = "held", "持股中", "Equity held";
        Exited = "exited", "已退出", "Exited";
        WrittenOff = "written_off", "已核销", "Written off";
    }
}

string_enum! {
    /// What the bureau (or the fund it named) does to a project.
    GrantStep {
        Trigger = "trigger", "触发转股", "Trigger conversion";
        Convert = "convert", "计算转股", "Convert";
        Register = "register", "股权登记", "Register the equity";
        Exit = "exit", "退出", "Exit";
        WriteOff = "write_off", "核销", "Write off";
    }
}

impl GrantStatus {
    /// The status after `step`, or why not (naming the field `step`).
    pub fn after(self, step: GrantStep) -> Result<GrantStatus, FieldError> {
        use GrantStatus::*;
        use GrantStep::*;
        match (self, step) {
            (Granted, Trigger) => Ok(Triggered),
            (Triggered, Convert) => Ok(Converted),
            (Converted, Register) => Ok(Held),
            (Held, Exit) => Ok(Exited),
            (Granted | Triggered | Converted | Held, WriteOff) => Ok(WrittenOff),
            _ => Err(FieldError::new(
                "step",
                "not_now",
                format!(
                    "项目当前为“{}”，不能“{}”",
                    self.label(Lang::ZhCn),
                    step.label(Lang::ZhCn)
                ),
                format!(
                    "The project is {}; it cannot be “{}” now",
                    self.label(Lang::En),
                    step.label(Lang::En)
                ),
            )),
        }
    }

    /// Whether milestones may still be recorded (before the equity is registered).
    pub fn takes_milestones(self) -> bool {
        matches!(self, GrantStatus::Granted | GrantStatus::Triggered)
    }

    /// Whether the project is over.
    pub fn ended(self) -> bool {
        matches!(self, GrantStatus::Exited | GrantStatus::WrittenOff)
    }
}

/// The ways a 先投后股 holding is exited.
pub const EXIT_KINDS: &[ExitRoute] = &[
    ExitRoute::Transfer,
    ExitRoute::BuyBack,
    ExitRoute::Liquidation,
];

/// The most a discount may be: 90 %.
pub const MAX_DISCOUNT_BP: i64 = 9_000;

/// The shares a grant converts into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Conversion {
    /// New shares (or units of registered capital) issued for the grant, rounded down.
    pub shares: i64,
    /// The valuation after the discount: `valuation × (1 − discount)`, in fen (rounded down).
    pub discounted_valuation_fen: i64,
    /// The holding after conversion, `shares / (shares_before + shares)`, in millionths
    /// (parts per million, rounded down) for display; the exact figure is the two counts.
    pub stake_ppm: i64,
}

/// Converts `grant_fen` at the round's post-money `valuation_fen` less `discount_bp`, when the
/// company has `shares_before` shares (or units of registered capital) after that round.
///
/// The grant buys `grant / (valuation × (1 − discount))` of the company after conversion (as a
/// post-money instrument does), so the shares issued are
/// `grant × 10⁴ × shares_before / (valuation × (10⁴ − discount) − grant × 10⁴)`, rounded down.
/// Every figure is an integer; the products are `i128`.
pub fn convert(
    grant_fen: i64,
    valuation_fen: i64,
    discount_bp: i64,
    shares_before: i64,
) -> Result<Conversion, Vec<FieldError>> {
    let mut errors = Vec::new();
    if grant_fen <= 0 || grant_fen > crate::money::MAX_CAPITAL_FEN {
        errors.push(FieldError::new(
            "amount_fen",
            "out_of_range",
            "拨付金额应大于零且不超过 1 万亿元",
            "The grant is above zero and at most 1 trillion yuan",
        ));
    }
    if valuation_fen <= 0 || valuation_fen > crate::money::MAX_CAPITAL_FEN {
        errors.push(FieldError::new(
            "valuation_fen",
            "out_of_range",
            "估值应大于零且不超过 1 万亿元",
            "The valuation is above zero and at most 1 trillion yuan",
        ));
    }
    if !(0..=MAX_DISCOUNT_BP).contains(&discount_bp) {
        errors.push(discount_error());
    }
    if shares_before <= 0 || shares_before > 1_000_000_000_000_000 {
        errors.push(FieldError::new(
            "shares_before",
            "out_of_range",
            "转股前股本（股数或注册资本元数）应为正整数，且不超过 10^18",
            "The shares before conversion (or registered capital in yuan) are a positive whole number up to 10^18",
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let g = i128::from(grant_fen) * 10_000;
    let discounted = i128::from(valuation_fen) * i128::from(10_000 - discount_bp);
    if g >= discounted {
        return Err(vec![FieldError::new(
            "valuation_fen",
            "grant_exceeds_valuation",
            "拨付金额不低于折后估值，转股后将持有全部股权：请核对估值与让利比例",
            "The grant is at least the discounted valuation and would buy the whole company: check the valuation and the discount",
        )]);
    }
    let n = i128::from(shares_before);
    let shares = g * n / (discounted - g);
    let shares = i64::try_from(shares).map_err(|_| {
        vec![FieldError::new(
            "shares_before",
            "out_of_range",
            "转股股数过大，请以注册资本元数或股数重新填写",
            "The shares issued would be too many; give the shares before conversion in a smaller unit",
        )]
    })?;
    let stake_ppm = (i128::from(shares) * 1_000_000 / (n + i128::from(shares))) as i64;
    Ok(Conversion {
        shares,
        discounted_valuation_fen: (discounted / 10_000) as i64,
        stake_ppm,
    })
}

/// A discount outside 0–90 %.
pub fn discount_error() -> FieldError {
    FieldError::new(
        "discount_bp",
        "out_of_range",
        "让利比例应在 0 至 90% 之间",
        "The discount is between 0 and 90 %",
    )
}

/// `123456` ppm → `12.3456%`.
pub fn stake_text(ppm: i64) -> String {
    format!("{}.{:04}%", ppm / 10_000, ppm % 10_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grant_converts_at_the_discounted_valuation() {
        // 500万元 granted; the A round values the company at 1亿元 post-money; 20 % discount;
        // 1,000万 shares after the round. The grant buys 500/8000 = 6.25 % after conversion:
        // x / (10,000,000 + x) = 1/16 → x = 666,666.67 → 666,666 shares.
        let c = convert(500_000_000, 10_000_000_000, 2_000, 10_000_000).unwrap();
        assert_eq!(c.shares, 666_666);
        assert_eq!(c.discounted_valuation_fen, 8_000_000_000);
        assert_eq!(c.stake_ppm, 62_499);
        assert_eq!(stake_text(c.stake_ppm), "6.2499%");
        // No discount: 5 % → x = 10,000,000 × 5/95 = 526,315.79.
        let c = convert(500_000_000, 10_000_000_000, 0, 10_000_000).unwrap();
        assert_eq!(c.shares, 526_315);
    }

    #[test]
    fn a_grant_that_would_buy_the_company_is_refused() {
        let e = convert(800_000_000, 1_000_000_000, 2_000, 100).unwrap_err();
        assert_eq!(e[0].code, "grant_exceeds_valuation");
        let e = convert(0, 0, 9_001, 0).unwrap_err();
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "amount_fen",
                "valuation_fen",
                "discount_bp",
                "shares_before"
            ]
        );
    }

    #[test]
    fn the_steps_follow_the_scheme() {
        use GrantStatus::*;
        use GrantStep::*;
        assert_eq!(Granted.after(Trigger).unwrap(), Triggered);
        assert_eq!(Triggered.after(Convert).unwrap(), Converted);
        assert_eq!(Converted.after(Register).unwrap(), Held);
        assert_eq!(Held.after(Exit).unwrap(), Exited);
        assert_eq!(Granted.after(WriteOff).unwrap(), WrittenOff);
        let e = Granted.after(Convert).unwrap_err();
        assert_eq!(e.field, "step");
        assert!(e.zh.contains("已拨付"));
        assert!(Exited.after(WriteOff).is_err());
        assert!(WrittenOff.after(Trigger).is_err());
    }
}
