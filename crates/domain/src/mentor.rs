//! Startup mentors (创业导师): a mentor's profile kept by the carrier that engaged them,
//! mentoring relationships with the carrier's incubatees, and the sessions held with their
//! time. The Torch form's mentor figure for a carrier and year is the number of different
//! mentors guiding its incubatees in that year.

use crate::FieldError;

/// The longest session recorded at once: a day.
pub const MAX_SESSION_MINUTES: i64 = 24 * 60;

/// A session's length as typed: hours with up to two decimals (`1.5`, `2`, `0.75`), or minutes
/// with a unit (`90分钟`, `90 min`). Total: any text in, minutes (1 to a day) or a problem
/// naming `field`.
pub fn parse_duration(field: &'static str, input: &str) -> Result<i64, FieldError> {
    let bad = || {
        FieldError::new(
            field,
            "invalid",
            "请填写时长，如 1.5（小时）或 90分钟",
            "Give the length, e.g. 1.5 (hours) or 90 min",
        )
    };
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "必填", "is required"));
    }
    let minutes = if let Some(m) = ["分钟", "min", "mins", "minutes"]
        .iter()
        .find_map(|u| s.strip_suffix(u))
    {
        let m = m.trim();
        if m.is_empty() || m.len() > 6 || !m.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        m.parse::<i64>().map_err(|_| bad())?
    } else {
        let h = s
            .strip_suffix("小时")
            .or_else(|| s.strip_suffix('h'))
            .unwrap_or(s)
            .trim();
        let (whole, frac) = h.split_once('.').unwrap_or((h, ""));
        let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 3 || frac.len() > 2 || !digits(whole) || !digits(frac)
        {
            return Err(bad());
        }
        let whole: i64 = whole.parse().map_err(|_| bad())?;
        let hundredths: i64 = if frac.is_empty() {
            0
        } else {
            format!("{frac:0<2}").parse().map_err(|_| bad())?
        };
        // Hours to minutes, rounded to the nearest minute.
        (whole * 6000 + hundredths * 60 + 50) / 100
    };
    if minutes <= 0 || minutes > MAX_SESSION_MINUTES {
        return Err(FieldError::new(
            field,
            "out_of_range",
            "时长应在 1 分钟到 24 小时之间",
            "A session lasts from a minute to a day",
        ));
    }
    Ok(minutes)
}

/// Minutes as hours with one decimal, rounded half up: `90` → `1.5`, `100` → `1.7`.
pub fn hours_text(minutes: i64) -> String {
    let tenths = (minutes.max(0) * 10 + 30) / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// Whether a relationship from `started_on` to `ended_on` (open: none) runs in `year`.
pub fn runs_in(started_on: &str, ended_on: Option<&str>, year: i64) -> bool {
    let (first, last) = year_bounds(year);
    started_on <= last.as_str() && ended_on.is_none_or(|e| e >= first.as_str())
}

/// The first and last day of `year` as ISO dates.
pub fn year_bounds(year: i64) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_as_hours_or_minutes() {
        assert_eq!(parse_duration("d", "1.5"), Ok(90));
        assert_eq!(parse_duration("d", "2"), Ok(120));
        assert_eq!(parse_duration("d", "0.75"), Ok(45));
        assert_eq!(parse_duration("d", "2小时"), Ok(120));
        assert_eq!(parse_duration("d", "90分钟"), Ok(90));
        assert_eq!(parse_duration("d", " 45 min"), Ok(45));
        assert_eq!(parse_duration("d", "24"), Ok(1440));
        for bad in [
            "",
            "0",
            "25",
            "1.234",
            "-1",
            "abc",
            "1.5.2",
            "١",
            "9999999分钟",
            ".5",
        ] {
            let e = parse_duration("d", bad).unwrap_err();
            assert_eq!(e.field, "d", "{bad}");
        }
    }

    #[test]
    fn hours_show_one_decimal() {
        assert_eq!(hours_text(90), "1.5");
        assert_eq!(hours_text(100), "1.7");
        assert_eq!(hours_text(0), "0.0");
        assert_eq!(hours_text(60 * 37), "37.0");
    }

    #[test]
    fn a_relationship_runs_in_the_years_it_spans() {
        assert!(runs_in("2023-09-01", None, 2024));
        assert!(runs_in("2023-09-01", Some("2024-01-01"), 2024));
        assert!(!runs_in("2023-09-01", Some("2023-12-31"), 2024));
        assert!(!runs_in("2025-01-01", None, 2024));
    }
}
