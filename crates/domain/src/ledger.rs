//! Double-entry bookkeeping in whole fen: a transfer moves money between accounts in legs that add
//! up to nothing, and amounts are split across parties by ratios without losing or making a fen.
//! The risk compensation pool (`credit`) keeps its books this way; the store writes transfers
//! append-only, and any balance as of any day is the sum of the legs up to that day.

use crate::FieldError;
use crate::money::MAX_FEN;

/// One leg of a transfer: an account and a signed amount (debit +, credit −).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leg<A> {
    pub account: A,
    pub amount_fen: i64,
}

/// A balanced transfer: at least two legs, none of them zero, each within [`MAX_FEN`], and all
/// of them adding up to zero. A value of this type is such a transfer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transfer<A> {
    legs: Vec<Leg<A>>,
}

impl<A> Transfer<A> {
    /// Checks the legs; the refusal names the field `amount`.
    pub fn new(legs: Vec<Leg<A>>) -> Result<Transfer<A>, FieldError> {
        let refuse =
            |code: &'static str, zh: &str, en: &str| Err(FieldError::new("amount", code, zh, en));
        if legs.len() < 2 {
            return refuse(
                "one_leg",
                "一笔转账至少有借贷两方",
                "A transfer has at least two legs",
            );
        }
        if legs.iter().any(|l| l.amount_fen == 0) {
            return refuse("zero_leg", "转账金额不能为零", "A leg cannot be zero");
        }
        if legs.iter().any(|l| l.amount_fen.abs() > MAX_FEN) {
            return refuse(
                "too_large",
                "单笔金额超过上限（1 亿元）",
                "A leg exceeds the limit (100 million yuan)",
            );
        }
        // Each leg is within MAX_FEN, so the sum of a few thousand legs cannot overflow; a
        // checked sum refuses the absurd rather than wrapping.
        let sum = legs
            .iter()
            .try_fold(0i64, |acc, l| acc.checked_add(l.amount_fen));
        if sum != Some(0) {
            return refuse(
                "unbalanced",
                "借贷不平衡：各方金额之和应为零",
                "Unbalanced: the legs must add up to zero",
            );
        }
        Ok(Transfer { legs })
    }

    /// A transfer of `amount_fen` (> 0) from one account to another.
    pub fn between(from: A, to: A, amount_fen: i64) -> Result<Transfer<A>, FieldError> {
        Transfer::new(vec![
            Leg {
                account: from,
                amount_fen: -amount_fen,
            },
            Leg {
                account: to,
                amount_fen,
            },
        ])
    }

    pub fn legs(&self) -> &[Leg<A>] {
        &self.legs
    }

    pub fn into_legs(self) -> Vec<Leg<A>> {
        self.legs
    }
}

/// Splits `total_fen` by `ratios` (e.g. province:city 1:1, city:district 4:6) into whole fen that
/// add up to exactly `total_fen`: each part is rounded down, and the fen left over go one each to
/// the parts with the largest remainders (the earlier part first on a tie). With no ratio, or
/// ratios that are all zero, nothing can be split: `None`.
pub fn split(total_fen: i64, ratios: &[u32]) -> Option<Vec<i64>> {
    let weight: i128 = ratios.iter().map(|r| i128::from(*r)).sum();
    if weight == 0 {
        return None;
    }
    let total = i128::from(total_fen);
    let sign: i128 = if total < 0 { -1 } else { 1 };
    let magnitude = total.abs();
    let mut parts: Vec<i128> = Vec::with_capacity(ratios.len());
    let mut remainders: Vec<(i128, usize)> = Vec::with_capacity(ratios.len());
    for (i, r) in ratios.iter().enumerate() {
        let exact = magnitude * i128::from(*r);
        parts.push(exact / weight);
        remainders.push((exact % weight, i));
    }
    let mut left = magnitude - parts.iter().sum::<i128>();
    remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (_, i) in remainders {
        if left == 0 {
            break;
        }
        if ratios[i] > 0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
        .into_iter()
        .map(|p| i64::try_from(sign * p).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_transfer_balances() {
        let t = Transfer::between("city", "pool", 500_000).expect("balanced");
        assert_eq!(t.legs().iter().map(|l| l.amount_fen).sum::<i64>(), 0);
        assert_eq!(
            Transfer::new(vec![Leg {
                account: "pool",
                amount_fen: 1
            }])
            .unwrap_err()
            .code,
            "one_leg"
        );
        let unbalanced = Transfer::new(vec![
            Leg {
                account: "a",
                amount_fen: -100,
            },
            Leg {
                account: "b",
                amount_fen: 99,
            },
        ]);
        assert_eq!(unbalanced.unwrap_err().code, "unbalanced");
        assert_eq!(Transfer::between("a", "b", 0).unwrap_err().code, "zero_leg");
        assert_eq!(
            Transfer::between("a", "b", MAX_FEN + 1).unwrap_err().code,
            "too_large"
        );
    }

    #[test]
    fn splits_follow_the_ratios_to_the_fen() {
        // Province:city 1:1.
        assert_eq!(split(80_001, &[1, 1]), Some(vec![40_001, 40_000]));
        // City:district 4:6 of 80 % of a 1,000,001 fen loss.
        assert_eq!(split(800_001, &[4, 6]), Some(vec![320_000, 480_001]));
        // Three funders, thirds: the leftover fen go to the largest remainders, earlier first.
        assert_eq!(split(100, &[1, 1, 1]), Some(vec![34, 33, 33]));
        // A recovery flowing back (negative) splits the same way.
        assert_eq!(split(-100, &[1, 1, 1]), Some(vec![-34, -33, -33]));
        // A funder with no share gets nothing, even of the leftovers.
        assert_eq!(split(7, &[0, 1, 1]), Some(vec![0, 4, 3]));
        assert_eq!(split(7, &[]), None);
        assert_eq!(split(7, &[0, 0]), None);
    }

    proptest! {
        #[test]
        fn splits_never_lose_or_make_a_fen(
            total in -MAX_FEN..=MAX_FEN,
            ratios in proptest::collection::vec(0u32..=10_000, 1..6),
        ) {
            match split(total, &ratios) {
                None => prop_assert!(ratios.iter().all(|r| *r == 0)),
                Some(parts) => {
                    prop_assert_eq!(parts.len(), ratios.len());
                    prop_assert_eq!(parts.iter().sum::<i64>(), total);
                    let weight: i128 = ratios.iter().map(|r| i128::from(*r)).sum();
                    for (p, r) in parts.iter().zip(&ratios) {
                        // Each part is within one fen of its exact share, and none goes to a zero ratio.
                        let exact = i128::from(total) * i128::from(*r);
                        let diff = i128::from(*p) * weight - exact;
                        prop_assert!(diff.abs() < weight, "part {p} of {total} by {ratios:?}");
                        if *r == 0 { prop_assert_eq!(*p, 0); }
                    }
                }
            }
        }
    }
}
