//! Investments by funds in enterprises, their exits, and what a portfolio is worth.
//!
//! A fund's position in an enterprise is what it put in (every investment, follow-ons included)
//! less the cost of what it has exited. Its value is marked to the latest valuation recorded
//! for the enterprise: each investment's cost times the latest post-money valuation over the
//! post-money valuation it went in at (an investment without a valuation is held at cost). The
//! arithmetic is exact (`i128`), and rounds down to the fen once, at the end.

use crate::FieldError;
use crate::org::string_enum;

string_enum! {
    /// The financing round an investment belongs to.
    Round {
        Seed = "seed", "种子轮", "Seed";
        Angel = "angel", "天使轮", "Angel";
        PreA = "pre_a", "Pre-A轮", "Pre-A";
        A = "a", "A轮", "Series A";
        B = "b", "B轮", "Series B";
        C = "c", "C轮", "Series C";
        Later = "later", "D轮及以后", "Series D and later";
        Strategic = "strategic", "战略投资", "Strategic";
        PreIpo = "pre_ipo", "Pre-IPO", "Pre-IPO";
    }
}

string_enum! {
    /// What the investor holds for its money.
    Instrument {
        Equity = "equity", "股权", "Equity";
        Convertible = "convertible", "可转债/可转股", "Convertible";
    }
}

string_enum! {
    /// How a fund leaves an enterprise.
    ExitRoute {
        Transfer = "transfer", "股权转让", "Transfer";
        BuyBack = "buy_back", "回购", "Buy-back";
        Ipo = "ipo", "上市退出", "IPO";
        Liquidation = "liquidation", "清算", "Liquidation";
        WriteOff = "write_off", "核销", "Write-off";
    }
}

/// One investment as the valuation needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tranche {
    pub amount_fen: i64,
    pub post_money_fen: Option<i64>,
}

/// A fund's position in one enterprise.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Position {
    pub tranches: Vec<Tranche>,
    /// The cost of what has been exited (never more than was invested).
    pub exited_cost_fen: i64,
    pub proceeds_fen: i64,
    /// Written off: whatever is left is worth nothing.
    pub written_off: bool,
}

impl Position {
    pub fn invested_fen(&self) -> i64 {
        self.tranches.iter().map(|t| t.amount_fen).sum()
    }

    pub fn remaining_cost_fen(&self) -> i64 {
        (self.invested_fen() - self.exited_cost_fen).max(0)
    }

    /// What is left, marked to `latest_post_money_fen` (the enterprise's latest recorded
    /// valuation, if any), in fen rounded down.
    pub fn unrealised_fen(&self, latest_post_money_fen: Option<i64>) -> i64 {
        let invested = i128::from(self.invested_fen());
        if self.written_off || invested == 0 {
            return 0;
        }
        // Σ amount × latest / entry, over a common denominator would overflow for many
        // tranches; each term is exact to 1/entry, so sum numerators per term in fen·10^6.
        let marked: i128 = self
            .tranches
            .iter()
            .map(|t| match (t.post_money_fen, latest_post_money_fen) {
                (Some(entry), Some(latest)) if entry > 0 => {
                    i128::from(t.amount_fen) * i128::from(latest) * 1_000_000 / i128::from(entry)
                }
                _ => i128::from(t.amount_fen) * 1_000_000,
            })
            .sum();
        let remaining = i128::from(self.remaining_cost_fen());
        (marked * remaining / invested / 1_000_000) as i64
    }
}

/// A multiple on invested capital, in hundredths (`235` = 2.35×): `value / invested`,
/// rounded down; `None` when nothing was invested.
pub fn multiple_x100(value_fen: i64, invested_fen: i64) -> Option<i64> {
    if invested_fen <= 0 {
        None
    } else {
        Some((i128::from(value_fen) * 100 / i128::from(invested_fen)) as i64)
    }
}

/// `235` → `2.35×`.
pub fn multiple_text(x100: Option<i64>) -> String {
    match x100 {
        Some(m) => format!("{}.{:02}×", m / 100, m % 100),
        None => "—".into(),
    }
}

/// Checks an investment's amount and valuation: both above zero, the valuation (when known)
/// at least the amount.
pub fn check_amounts(amount_fen: i64, post_money_fen: Option<i64>) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    if amount_fen <= 0 || amount_fen > crate::money::MAX_CAPITAL_FEN {
        errors.push(FieldError::new(
            "amount_fen",
            "out_of_range",
            "投资金额应大于零且不超过 1 万亿元",
            "The amount is above zero and at most 1 trillion yuan",
        ));
    }
    if let Some(v) = post_money_fen
        && (v < amount_fen.max(1) || v > crate::money::MAX_CAPITAL_FEN)
    {
        errors.push(FieldError::new(
            "post_money_fen",
            "out_of_range",
            "投后估值不能低于本次投资金额，且不超过 1 万亿元",
            "The post-money valuation is at least the amount invested and at most 1 trillion yuan",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(amount_fen: i64, post_money_fen: Option<i64>) -> Tranche {
        Tranche {
            amount_fen,
            post_money_fen,
        }
    }

    #[test]
    fn a_position_is_marked_to_the_latest_valuation() {
        // 100万元 at a 1000万元 valuation, then the enterprise is valued at 3000万元.
        let p = Position {
            tranches: vec![t(100_000_000, Some(1_000_000_000))],
            ..Default::default()
        };
        assert_eq!(p.unrealised_fen(Some(3_000_000_000)), 300_000_000);
        // Without a later valuation the position is worth what it went in at.
        assert_eq!(p.unrealised_fen(Some(1_000_000_000)), 100_000_000);
        // Half exited: half of the marked value is left.
        let half = Position {
            exited_cost_fen: 50_000_000,
            proceeds_fen: 120_000_000,
            ..p.clone()
        };
        assert_eq!(half.unrealised_fen(Some(3_000_000_000)), 150_000_000);
        assert_eq!(
            multiple_x100(half.proceeds_fen + 150_000_000, half.invested_fen()),
            Some(270)
        );
        let gone = Position {
            written_off: true,
            ..p
        };
        assert_eq!(gone.unrealised_fen(Some(3_000_000_000)), 0);
    }

    #[test]
    fn an_investment_without_a_valuation_is_held_at_cost() {
        let p = Position {
            tranches: vec![t(7, None), t(10, Some(30))],
            ..Default::default()
        };
        // 7 at cost, 10 × 90/30 = 30.
        assert_eq!(p.unrealised_fen(Some(90)), 37);
        assert_eq!(multiple_text(multiple_x100(37, 17)), "2.17×");
        assert_eq!(multiple_text(None), "—");
    }

    #[test]
    fn a_valuation_below_the_amount_is_refused() {
        let e = check_amounts(100, Some(99)).unwrap_err();
        assert_eq!(e[0].field, "post_money_fen");
        assert!(check_amounts(0, None).is_err());
        assert!(check_amounts(100, Some(100)).is_ok());
    }
}
