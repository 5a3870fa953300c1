//! The platform's clock and calendar: now, today and this year in China Standard Time (UTC+8), in
//! which the platform reads dates and shows times, and the forms times take (RFC 3339 UTC for the
//! API, `YYYY-MM-DD HH:MM` China time for pages).

use fruition_domain::date::IsoDate;
use time::{Date, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset, macros::format_description};

/// China Standard Time, in which the platform shows times and reads dates.
const CHINA: UtcOffset = match UtcOffset::from_hms(8, 0, 0) {
    Ok(o) => o,
    Err(_) => UtcOffset::UTC,
};

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    fruition_store::clock::now_ms()
}

fn datetime(ms: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Epoch milliseconds as RFC 3339 in UTC (the API's form).
pub fn rfc3339(ms: i64) -> String {
    datetime(ms)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Epoch milliseconds as `2025-03-31 14:05` in China time (the pages' form).
pub fn local_time(ms: i64) -> String {
    let fmt = format_description!("[year]-[month]-[day] [hour]:[minute]");
    datetime(ms)
        .to_offset(CHINA)
        .format(&fmt)
        .unwrap_or_default()
}

/// Today's date in China time, `YYYY-MM-DD`.
pub fn today() -> String {
    let fmt = format_description!("[year]-[month]-[day]");
    OffsetDateTime::now_utc()
        .to_offset(CHINA)
        .format(&fmt)
        .unwrap_or_default()
}

/// Today in China time, as a date.
pub fn today_date() -> IsoDate {
    china_date(now_ms())
}

/// The day an instant falls on in China time.
pub fn china_date(ms: i64) -> IsoDate {
    let fmt = format_description!("[year]-[month]-[day]");
    datetime(ms)
        .to_offset(CHINA)
        .format(&fmt)
        .ok()
        .and_then(|s| IsoDate::parse(&s).ok())
        .unwrap_or_else(|| IsoDate::from_days(0))
}

/// The current year in China time.
pub fn this_year() -> i64 {
    i64::from(OffsetDateTime::now_utc().to_offset(CHINA).year())
}

/// Reads `YYYY-MM-DD` as the start (or, with `end`, the end) of that day in China time.
pub fn parse_date_ms(s: &str, end: bool) -> Option<i64> {
    let fmt = format_description!("[year]-[month]-[day]");
    let date = Date::parse(s.trim(), &fmt).ok()?;
    let date = if end { date.next_day()? } else { date };
    let at = PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_offset(CHINA);
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_read_in_china_time() {
        // 2025-01-01 00:00 in Beijing is 2024-12-31 16:00 UTC.
        let start = parse_date_ms("2025-01-01", false).expect("date");
        assert_eq!(rfc3339(start), "2024-12-31T16:00:00Z");
        assert_eq!(local_time(start), "2025-01-01 00:00");
        let end = parse_date_ms("2025-01-01", true).expect("date");
        assert_eq!(end - start, 24 * 3600 * 1000);
        assert_eq!(parse_date_ms("2025-02-30", false), None);
        assert_eq!(parse_date_ms("中", false), None);
    }
}
