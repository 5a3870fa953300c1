//! Calendar dates as the registry keeps them: ISO 8601 `YYYY-MM-DD`, which sorts as text.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;

/// A valid calendar date between 1900 and 2200.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoDate {
    year: u16,
    month: u8,
    day: u8,
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        _ => 28,
    }
}

impl IsoDate {
    pub fn new(year: u16, month: u8, day: u8) -> Option<IsoDate> {
        ((1900..=2200).contains(&year)
            && (1..=12).contains(&month)
            && day >= 1
            && day <= days_in_month(year, month))
        .then_some(IsoDate { year, month, day })
    }

    /// Reads `2024-03-01`, `2024/3/1`, `2024.3.1` or `2024年3月1日`; `field` names the input in errors.
    pub fn parse_field(input: &str, field: &'static str) -> Result<IsoDate, FieldError> {
        let s = input.trim();
        let bad = || {
            FieldError::new(
                field,
                "date",
                format!("日期“{}”无效，应为 2024-03-01 这样的格式", crate::echo(s)),
                format!(
                    "“{}” is not a valid date; use a date like 2024-03-01",
                    crate::echo(s)
                ),
            )
        };
        if s.is_empty() {
            return Err(FieldError::new(field, "required", "必填", "is required"));
        }
        let normalised: String = s
            .chars()
            .map(|c| {
                if matches!(c, '/' | '.' | '年' | '月') {
                    '-'
                } else {
                    c
                }
            })
            .collect();
        let normalised = normalised.trim_end_matches('日');
        let mut parts = normalised.split('-');
        let (Some(y), Some(m), Some(d), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        // Digits only (spaces around them are fine: "2024 年 3 月 1 日"); `str::parse` would also
        // take a sign ("+3").
        let (y, m, d) = (y.trim(), m.trim(), d.trim());
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !(digits(y) && digits(m) && digits(d)) {
            return Err(bad());
        }
        let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u16>(), m.parse::<u8>(), d.parse::<u8>()) else {
            return Err(bad());
        };
        IsoDate::new(y, m, d).ok_or_else(bad)
    }

    pub fn parse(input: &str) -> Result<IsoDate, FieldError> {
        IsoDate::parse_field(input, "date")
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        let (y, m, d) = (
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let mp = (m + 9) % 12;
        let doy = (153 * mp + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01, clamped to the years [`IsoDate`] holds.
    pub fn from_days(days: i64) -> IsoDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let y = yoe + era * 400 + i64::from(m <= 2);
        match y {
            ..1900 => IsoDate {
                year: 1900,
                month: 1,
                day: 1,
            },
            2201.. => IsoDate {
                year: 2200,
                month: 12,
                day: 31,
            },
            _ => IsoDate {
                year: y as u16,
                month: m,
                day: d,
            },
        }
    }

    /// The date `n` days later (or earlier, when negative).
    pub fn plus_days(self, n: i64) -> IsoDate {
        IsoDate::from_days(self.days_since_epoch() + n)
    }

    /// The same day `n` months later, or the month's last day when it is shorter (Jan 31 + 1
    /// month = Feb 28/29); clamped to the years [`IsoDate`] holds.
    pub fn plus_months(self, n: i64) -> IsoDate {
        let months = i64::from(self.year) * 12 + i64::from(self.month) - 1 + n;
        let year = months.div_euclid(12).clamp(1900, 2200);
        let month = (months.rem_euclid(12) + 1) as u8;
        let mut day = self.day;
        loop {
            if let Some(d) = IsoDate::new(year as u16, month, day) {
                return d;
            }
            day -= 1;
        }
    }

    pub fn year(self) -> u16 {
        self.year
    }
    pub fn month(self) -> u8 {
        self.month
    }
    pub fn day(self) -> u8 {
        self.day
    }

    /// The last day of a year, the date the year's statistics describe.
    pub fn end_of_year(year: u16) -> IsoDate {
        IsoDate {
            year,
            month: 12,
            day: 31,
        }
    }
}

impl std::fmt::Display for IsoDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl std::str::FromStr for IsoDate {
    type Err = FieldError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        IsoDate::parse(s)
    }
}

impl Serialize for IsoDate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IsoDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        IsoDate::parse(&s).map_err(|e| serde::de::Error::custom(e.zh))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signs_inside_a_date_are_refused() {
        for s in ["+2024-+3-+1", "2024-03-+1", "-2024-03-01", "2024-0 3-01"] {
            assert!(IsoDate::parse(s).is_err(), "{s}");
        }
        for s in ["2024 年 3 月 1 日", "2024-03-01 ", "2024年3月1日"] {
            assert_eq!(
                IsoDate::parse(s).map(|d| d.to_string()),
                Ok("2024-03-01".into()),
                "{s}"
            );
        }
    }

    use proptest::prelude::*;

    #[test]
    fn days_since_epoch_round_trip() {
        assert_eq!(IsoDate::new(1970, 1, 1).unwrap().days_since_epoch(), 0);
        assert_eq!(
            IsoDate::new(2026, 12, 1).unwrap().days_since_epoch(),
            20_788
        );
        assert_eq!(IsoDate::new(1969, 12, 31).unwrap().days_since_epoch(), -1);
        assert_eq!(
            IsoDate::new(2024, 2, 28).unwrap().plus_days(1).to_string(),
            "2024-02-29"
        );
        for days in (-25_000..80_000).step_by(7) {
            assert_eq!(IsoDate::from_days(days).days_since_epoch(), days);
        }
    }

    #[test]
    fn reads_the_ways_people_write_dates() {
        for s in [
            "2024-03-01",
            "2024/3/1",
            "2024.3.1",
            "2024年3月1日",
            " 2024-3-1 ",
        ] {
            assert_eq!(IsoDate::parse(s).expect(s).to_string(), "2024-03-01");
        }
        assert!(IsoDate::parse("2023-02-29").is_err());
        assert!(IsoDate::parse("2024-02-29").is_ok());
        assert!(IsoDate::parse("2024-13-01").is_err());
        assert!(IsoDate::parse("yesterday").is_err());
        assert_eq!(IsoDate::parse("").expect_err("empty").code, "required");
    }

    proptest! {
        #[test]
        fn display_parses_back(y in 1900u16..=2200, m in 1u8..=12, d in 1u8..=31) {
            if let Some(date) = IsoDate::new(y, m, d) {
                prop_assert_eq!(IsoDate::parse(&date.to_string()).expect("round trip"), date);
            }
        }

        #[test]
        fn never_panics(s in ".*") {
            let _ = IsoDate::parse(&s);
        }

        #[test]
        fn text_order_is_date_order(a in (1900u16..=2200, 1u8..=12, 1u8..=28), b in (1900u16..=2200, 1u8..=12, 1u8..=28)) {
            let (Some(x), Some(y)) = (IsoDate::new(a.0, a.1, a.2), IsoDate::new(b.0, b.1, b.2)) else { return Ok(()) };
            prop_assert_eq!(x.cmp(&y), x.to_string().cmp(&y.to_string()));
        }
    }
}
