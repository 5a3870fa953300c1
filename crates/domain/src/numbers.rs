//! Business numbers: what a person reads on a page, writes on paper and says on the phone instead
//! of an internal id — 账单 `ZS2026-000123`, 创新券 `CXQ2026-000123`, 贷款 `ZSD2026-000123`,
//! 预约 `YY…`, 交易 `JY…`, 创新券兑付 `DF…`, 风险补偿 `BC…`, 服务申请 `FW…`. The year is the
//! record's year (a bill's or voucher's own year; otherwise the China year it was made in), the
//! digits its id. Registered technology contracts keep the office's registration number.

use crate::date::IsoDate;

/// A kind of record that has a business number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Numbered {
    Bill,
    Voucher,
    Loan,
    Booking,
    Deal,
    VoucherClaim,
    CompensationClaim,
    ServiceRequest,
}

impl Numbered {
    pub const ALL: &'static [Numbered] = &[
        Numbered::Bill,
        Numbered::Voucher,
        Numbered::Loan,
        Numbered::Booking,
        Numbered::Deal,
        Numbered::VoucherClaim,
        Numbered::CompensationClaim,
        Numbered::ServiceRequest,
    ];

    /// The letters a number of this kind starts with.
    pub fn prefix(self) -> &'static str {
        match self {
            Numbered::Bill => "ZS",
            Numbered::Voucher => "CXQ",
            Numbered::Loan => "ZSD",
            Numbered::Booking => "YY",
            Numbered::Deal => "JY",
            Numbered::VoucherClaim => "DF",
            Numbered::CompensationClaim => "BC",
            Numbered::ServiceRequest => "FW",
        }
    }

    /// The number of record `id` of `year`: `ZS2026-000123`.
    pub fn number(self, year: i64, id: i64) -> String {
        format!("{}{year}-{id:06}", self.prefix())
    }

    /// The number of record `id` made at `at_ms` (the China year of that moment).
    pub fn number_at(self, at_ms: i64, id: i64) -> String {
        self.number(china_year(at_ms), id)
    }
}

/// The year in China time (UTC+8) of a moment in milliseconds since the epoch.
pub fn china_year(at_ms: i64) -> i64 {
    let days = at_ms.saturating_add(8 * 3_600_000).div_euclid(86_400_000);
    i64::from(IsoDate::from_days(days).year())
}

/// Reads a number a person typed (any case, spaces around it): its kind, year and id. Total:
/// anything else is None.
pub fn parse(input: &str) -> Option<(Numbered, i64, i64)> {
    let s = input.trim().to_ascii_uppercase();
    let (head, digits) = s.split_once('-')?;
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let id: i64 = digits.parse().ok()?;
    // The longest prefix first: ZSD before ZS.
    let mut kinds = Numbered::ALL.to_vec();
    kinds.sort_by_key(|k| std::cmp::Reverse(k.prefix().len()));
    kinds.into_iter().find_map(|k| {
        let year = head.strip_prefix(k.prefix())?;
        (year.len() == 4 && year.bytes().all(|b| b.is_ascii_digit()))
            .then(|| year.parse().ok())
            .flatten()
            .map(|y| (k, y, id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_read_back() {
        assert_eq!(Numbered::Bill.number(2026, 123), "ZS2026-000123");
        assert_eq!(Numbered::Voucher.number(2026, 3), "CXQ2026-000003");
        for k in Numbered::ALL {
            assert_eq!(parse(&k.number(2025, 42)), Some((*k, 2025, 42)), "{k:?}");
        }
        assert_eq!(parse(" zsd2025-000123 "), Some((Numbered::Loan, 2025, 123)));
        assert_eq!(parse("ZS2025-"), None);
        assert_eq!(parse("XX2025-000001"), None);
        assert_eq!(parse("ZS25-000001"), None);
    }

    #[test]
    fn the_year_is_chinas() {
        // 2025-12-31 17:00 UTC is 2026-01-01 01:00 in China.
        assert_eq!(china_year(1_767_200_400_000), 2026);
        assert_eq!(
            Numbered::Booking.number_at(1_767_200_400_000, 7),
            "YY2026-000007"
        );
        assert_eq!(china_year(0), 1970);
    }

    proptest! {
        #[test]
        fn any_text_parses_or_not_without_panic(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn any_moment_has_a_year(ms in any::<i64>()) {
            let y = china_year(ms);
            prop_assert!((1900..=2200).contains(&y));
        }
    }
}
