//! Funds open to enterprises (政府引导基金、种子基金、天使投资、创业投资、产业基金): who manages them,
//! their size and paid-in capital, the government's part, a guidance fund's sub-funds and a
//! carrier's seed fund. Sizes are in thousand yuan (千元), as the statistics forms report them.

use crate::FieldError;
use crate::org::string_enum;

string_enum! {
    /// What a fund invests in.
    FundKind {
        Guidance = "guidance", "政府引导基金", "Government guidance fund";
        Seed = "seed", "种子基金", "Seed fund";
        Angel = "angel", "天使投资基金", "Angel fund";
        Venture = "venture", "创业投资基金", "Venture fund";
        Industry = "industry", "产业投资基金", "Industry fund";
    }
}

string_enum! {
    /// Where a fund is in its life.
    FundStatus {
        Raising = "raising", "募集中", "Raising";
        Investing = "investing", "投资期", "Investing";
        Exiting = "exiting", "退出期", "Exiting";
        Closed = "closed", "已清算", "Closed";
    }
}

impl FundStatus {
    /// Whether the fund may still make new investments.
    pub fn invests(self) -> bool {
        matches!(self, FundStatus::Raising | FundStatus::Investing)
    }
}

/// The largest fund size: 1 万亿元 in 千元.
pub const MAX_SIZE_K: i64 = 1_000_000_000;

/// A national incubator's seed fund is at least 500万元 (国科发区〔2018〕300号).
pub const SEED_FUND_LINE_K: i64 = 5_000;
/// … and at least 10 % of its incubatees are financed.
pub const FINANCED_SHARE_LINE_PERCENT: i64 = 10;

/// A fund's figures as someone records them (千元).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundFigures {
    pub size_k: i64,
    pub paid_in_k: i64,
    /// What the government (a guidance fund, the bureau) committed.
    pub government_k: i64,
    /// What the parent guidance fund committed to this sub-fund (0 for a top-level fund).
    pub from_parent_k: i64,
    pub established_year: i64,
    pub closed_year: Option<i64>,
}

impl FundFigures {
    /// Every problem at once, each naming its field.
    pub fn check(&self) -> Result<(), Vec<FieldError>> {
        let mut errors = Vec::new();
        if self.size_k <= 0 || self.size_k > MAX_SIZE_K {
            errors.push(FieldError::new(
                "size_k",
                "out_of_range",
                "基金规模应大于零且不超过 1 万亿元",
                "The fund's size is above zero and at most 1 trillion yuan",
            ));
        }
        for (field, value, zh, en) in [
            ("paid_in_k", self.paid_in_k, "实缴规模", "paid-in capital"),
            (
                "government_k",
                self.government_k,
                "政府出资",
                "the government's part",
            ),
            (
                "from_parent_k",
                self.from_parent_k,
                "母基金出资",
                "the parent fund's part",
            ),
        ] {
            if value < 0 || value > self.size_k.max(0) {
                errors.push(FieldError::new(
                    field,
                    "out_of_range",
                    format!("{zh}不能为负数，也不能超过基金规模"),
                    format!("The fund's {en} cannot be negative or exceed its size"),
                ));
            }
        }
        if !(1980..=2100).contains(&self.established_year) {
            errors.push(FieldError::new(
                "established_year",
                "out_of_range",
                "设立年份应在 1980 至 2100 年之间",
                "The year established is between 1980 and 2100",
            ));
        }
        if let Some(closed) = self.closed_year
            && closed < self.established_year
        {
            errors.push(FieldError::new(
                "closed_year",
                "before_established",
                "清算年份不能早于设立年份",
                "A fund cannot close before it was established",
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }

    /// The government's share in basis points of the size (0–10,000).
    pub fn government_share_bp(&self) -> i64 {
        if self.size_k <= 0 {
            0
        } else {
            (i128::from(self.government_k) * 10_000 / i128::from(self.size_k)) as i64
        }
    }
}

/// Whether a fund counts in a year's capital available to incubatees: open to them,
/// established by the year's end and not closed before it.
pub fn counts_in(
    for_incubatees: bool,
    established_year: i64,
    closed_year: Option<i64>,
    year: i64,
) -> bool {
    for_incubatees && established_year <= year && closed_year.is_none_or(|c| c > year)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figures() -> FundFigures {
        FundFigures {
            size_k: 1_000_000,
            paid_in_k: 400_000,
            government_k: 300_000,
            from_parent_k: 0,
            established_year: 2021,
            closed_year: None,
        }
    }

    #[test]
    fn codes_round_trip() {
        for kind in FundKind::ALL {
            assert_eq!(FundKind::parse(kind.code()), Some(*kind));
        }
        assert_eq!(FundKind::parse("loan"), None);
    }

    #[test]
    fn a_fund_cannot_have_paid_in_more_than_its_size() {
        assert!(figures().check().is_ok());
        let bad = FundFigures {
            paid_in_k: 1_000_001,
            government_k: -1,
            closed_year: Some(2020),
            ..figures()
        };
        let fields: Vec<&str> = bad.check().unwrap_err().iter().map(|e| e.field).collect();
        assert_eq!(fields, ["paid_in_k", "government_k", "closed_year"]);
        assert_eq!(figures().government_share_bp(), 3_000);
    }

    #[test]
    fn a_closed_fund_stops_counting_the_year_after() {
        assert!(counts_in(true, 2021, None, 2024));
        assert!(!counts_in(true, 2025, None, 2024));
        assert!(counts_in(true, 2021, Some(2025), 2024));
        assert!(!counts_in(true, 2021, Some(2024), 2024));
        assert!(!counts_in(false, 2021, None, 2024));
    }
}
