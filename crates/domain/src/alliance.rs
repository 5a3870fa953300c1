//! The carrier alliance (载体联盟): members' roles, what members offer each other, the alliance's
//! events (交流调研、创新创业沙龙、路演、服务能力提升培训) with their registration and once-only
//! check-in codes, staff training (从业人员培训) and certificates, and an event's iCalendar file
//! (RFC 5545).

use crate::FieldError;
use crate::date::IsoDate;
use crate::org::string_enum;

string_enum! {
    /// A member carrier's place in the alliance.
    MemberRole {
        Chair = "chair", "理事长单位", "Chair";
        ViceChair = "vice_chair", "副理事长单位", "Vice chair";
        Member = "member", "成员单位", "Member";
    }
}

string_enum! {
    /// What a member offers the others.
    OfferKind {
        Venue = "venue", "场地", "Venue";
        Equipment = "equipment", "设备", "Equipment";
        Mentor = "mentor", "导师", "Mentor";
        Course = "course", "课程", "Course";
        Other = "other", "其他", "Other";
    }
}

string_enum! {
    /// What an alliance event is.
    EventKind {
        Exchange = "exchange", "交流调研", "Exchange visit";
        Salon = "salon", "创新创业沙龙", "Innovation salon";
        Roadshow = "roadshow", "路演", "Roadshow";
        Training = "training", "服务能力提升培训", "Service capability training";
    }
}

string_enum! {
    /// Where an event stands.
    EventStatus {
        Open = "open", "报名中", "Open";
        Cancelled = "cancelled", "已取消", "Cancelled";
        Finished = "finished", "已结束", "Finished";
    }
}

string_enum! {
    /// A person's registration for an event.
    RegistrationStatus {
        Registered = "registered", "已报名", "Registered";
        Waiting = "waiting", "候补", "Waiting list";
        Cancelled = "cancelled", "已取消", "Cancelled";
    }
}

string_enum! {
    /// A staff member's certificate.
    CertificateKind {
        TechBroker = "tech_broker", "技术经纪人", "Technology broker";
        Mentor = "mentor", "创业导师", "Start-up mentor";
        Other = "other", "其他", "Other";
    }
}

string_enum! {
    /// Whether a certificate still holds on a day.
    CertificateState {
        Valid = "valid", "有效", "Valid";
        Expiring = "expiring", "即将到期", "Expiring within 60 days";
        Expired = "expired", "已过期", "Expired";
    }
}

/// A certificate expiring within this many days is flagged.
pub const EXPIRING_DAYS: i64 = 60;

/// Whether a certificate that expires on `expires_on` (none: never) still holds on `today`.
pub fn certificate_state(expires_on: Option<IsoDate>, today: IsoDate) -> CertificateState {
    match expires_on {
        None => CertificateState::Valid,
        Some(e) if e < today => CertificateState::Expired,
        Some(e) if e.days_since_epoch() - today.days_since_epoch() <= EXPIRING_DAYS => {
            CertificateState::Expiring
        }
        Some(_) => CertificateState::Valid,
    }
}

/// The largest capacity of one event.
pub const MAX_CAPACITY: i64 = 10_000;

/// China time is UTC+8 all year.
const CHINA_OFFSET_MS: i64 = 8 * 3_600_000;

/// Reads a moment in China time — `2024-05-18 14:30`, `2024-05-18T14:30` (as a browser's
/// date-time field sends it), optionally with `:00` seconds — into ms since 1970; `field` names
/// the input in errors. Never panics.
pub fn parse_china_time(input: &str, field: &'static str) -> Result<i64, FieldError> {
    let s = input.trim();
    let bad = || {
        FieldError::new(
            field,
            "datetime",
            format!(
                "时间“{}”无效，应为 2024-05-18 14:30 这样的格式",
                crate::echo(s)
            ),
            format!(
                "“{}” is not a valid time; use one like 2024-05-18 14:30",
                crate::echo(s)
            ),
        )
    };
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "必填", "is required"));
    }
    let (date, time) = s
        .split_once(['T', ' '])
        .map(|(d, t)| (d, t.trim()))
        .ok_or_else(bad)?;
    let date = IsoDate::parse_field(date, field).map_err(|_| bad())?;
    let parts: Vec<&str> = time.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.len() != 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(bad());
    }
    let num = |p: &str| p.parse::<i64>().unwrap_or(99);
    let (h, m) = (num(parts[0]), num(parts[1]));
    let sec = parts.get(2).map(|p| num(p)).unwrap_or(0);
    if h > 23 || m > 59 || sec > 59 {
        return Err(bad());
    }
    let secs = date.days_since_epoch() * 86_400 + h * 3_600 + m * 60 + sec;
    Ok(secs * 1_000 - CHINA_OFFSET_MS)
}

/// `2024-05-18 14:30` in China time.
pub fn china_time_label(ms: i64) -> String {
    let local = ms.saturating_add(CHINA_OFFSET_MS).div_euclid(1_000);
    let days = local.div_euclid(86_400);
    let rem = local.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02}",
        IsoDate::from_days(days),
        rem / 3_600,
        rem % 3_600 / 60
    )
}

/// The letters a check-in code is made of: no 0/O, 1/I/L, so it reads aloud and types well.
pub const CODE_ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// A check-in code's length: 31^10 ≈ 8 × 10^14 codes, not guessable.
pub const CODE_LEN: usize = 10;

/// A check-in code as someone types it: spaces and dashes dropped, letters upper-cased; `None`
/// unless what remains is a code's length in its alphabet.
pub fn normalise_code(input: &str) -> Option<String> {
    let s: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    (s.chars().count() == CODE_LEN && s.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(s)
}

/// `ABCDE-FGHJK`: a code in two halves for reading.
pub fn code_label(code: &str) -> String {
    if code.len() == CODE_LEN && code.is_ascii() {
        format!("{}-{}", &code[..5], &code[5..])
    } else {
        code.to_string()
    }
}

/// The facts of an event an iCalendar file carries.
#[derive(Debug, Clone)]
pub struct CalendarEvent<'a> {
    /// Globally unique and stable: `alliance-event-7@host`.
    pub uid: &'a str,
    pub stamp_ms: i64,
    pub starts_ms: i64,
    pub ends_ms: i64,
    pub summary: &'a str,
    pub location: &'a str,
    pub description: &'a str,
    pub cancelled: bool,
}

fn utc_stamp(ms: i64) -> String {
    let secs = ms.div_euclid(1_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let d = IsoDate::from_days(days);
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}Z",
        d.year(),
        d.month(),
        d.day(),
        rem / 3_600,
        rem % 3_600 / 60,
        rem % 60
    )
}

/// RFC 5545 §3.3.11: backslash, semicolon, comma and newlines escaped.
pub fn ics_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// RFC 5545 §3.1: a content line folded so no line is longer than 75 octets (never inside a
/// character), each continuation starting with a space; lines end in CRLF.
pub fn ics_fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3 + 2);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// The iCalendar file of one event (times in UTC).
pub fn ics(e: &CalendarEvent<'_>) -> String {
    let mut out = String::new();
    let mut line = |s: String| out.push_str(&ics_fold(&s));
    line("BEGIN:VCALENDAR".into());
    line("VERSION:2.0".into());
    line("PRODID:-//Fruition//Zhuzhou carrier alliance//ZH".into());
    line("CALSCALE:GREGORIAN".into());
    line(format!(
        "METHOD:{}",
        if e.cancelled { "CANCEL" } else { "PUBLISH" }
    ));
    line("BEGIN:VEVENT".into());
    line(format!("UID:{}", ics_escape(e.uid)));
    line(format!("DTSTAMP:{}", utc_stamp(e.stamp_ms)));
    line(format!("DTSTART:{}", utc_stamp(e.starts_ms)));
    line(format!("DTEND:{}", utc_stamp(e.ends_ms)));
    line(format!("SUMMARY:{}", ics_escape(e.summary)));
    line(format!("LOCATION:{}", ics_escape(e.location)));
    line(format!("DESCRIPTION:{}", ics_escape(e.description)));
    line(format!(
        "STATUS:{}",
        if e.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        }
    ));
    line("END:VEVENT".into());
    line("END:VCALENDAR".into());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> IsoDate {
        IsoDate::parse(s).expect("date")
    }

    #[test]
    fn china_time_reads_both_forms_and_refuses_the_rest() {
        // 2024-05-18 14:30 in Zhuzhou is 06:30 UTC.
        let ms = parse_china_time("2024-05-18 14:30", "starts_at").expect("time");
        assert_eq!(ms, 1_716_013_800_000);
        assert_eq!(parse_china_time("2024-05-18T14:30", "x"), Ok(ms));
        assert_eq!(parse_china_time(" 2024-05-18 14:30:00 ", "x"), Ok(ms));
        assert_eq!(china_time_label(ms), "2024-05-18 14:30");
        for bad in [
            "",
            "2024-05-18",
            "2024-05-18 24:00",
            "2024-05-18 9:30",
            "2024-02-30 10:00",
            "下午两点",
            "2024-05-18 ١٤:٣٠",
            "2024-05-18 14:3é",
        ] {
            let e = parse_china_time(bad, "starts_at").expect_err(bad);
            assert_eq!(e.field, "starts_at");
        }
    }

    #[test]
    fn certificates_expire_and_are_flagged_sixty_days_ahead() {
        let today = day("2024-06-01");
        assert_eq!(certificate_state(None, today), CertificateState::Valid);
        assert_eq!(
            certificate_state(Some(day("2024-05-31")), today),
            CertificateState::Expired
        );
        assert_eq!(
            certificate_state(Some(day("2024-06-01")), today),
            CertificateState::Expiring
        );
        assert_eq!(
            certificate_state(Some(day("2024-07-31")), today),
            CertificateState::Expiring
        );
        assert_eq!(
            certificate_state(Some(day("2024-08-01")), today),
            CertificateState::Valid
        );
    }

    #[test]
    fn codes_are_read_forgivingly_but_only_in_the_alphabet() {
        assert_eq!(normalise_code("abcde-fghjk").as_deref(), Some("ABCDEFGHJK"));
        assert_eq!(
            normalise_code(" ABCDE FGHJK ").as_deref(),
            Some("ABCDEFGHJK")
        );
        assert_eq!(normalise_code("ABCDE-FGHJ0"), None);
        assert_eq!(normalise_code("ABCDE"), None);
        assert_eq!(normalise_code("ＡBCDEFGHJK"), None);
        assert_eq!(code_label("ABCDEFGHJK"), "ABCDE-FGHJK");
    }

    #[test]
    fn text_is_escaped_and_lines_are_folded_at_75_octets() {
        assert_eq!(ics_escape("a,b;c\\d\r\ne\nf"), "a\\,b\\;c\\\\d\\ne\\nf");
        let long = format!("DESCRIPTION:{}", "株洲".repeat(40));
        let folded = ics_fold(&long);
        for l in folded.split("\r\n") {
            assert!(l.len() <= 75, "{} octets: {l}", l.len());
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end_matches("\r\n"), long);
    }

    #[test]
    fn an_event_is_one_vevent_in_utc() {
        let e = CalendarEvent {
            uid: "alliance-event-7@fruition",
            stamp_ms: 1_716_000_000_000,
            starts_ms: parse_china_time("2024-05-18 14:30", "s").expect("start"),
            ends_ms: parse_china_time("2024-05-18 17:00", "e").expect("end"),
            summary: "路演：新材料, 第二场",
            location: "株洲市天元区; 中小企业促进中心",
            description: "第一行\n第二行",
            cancelled: false,
        };
        let text = ics(&e);
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VEVENT\r\nEND:VCALENDAR\r\n"));
        assert!(text.contains("\r\nUID:alliance-event-7@fruition\r\n"));
        assert!(text.contains("\r\nDTSTART:20240518T063000Z\r\n"));
        assert!(text.contains("\r\nDTEND:20240518T090000Z\r\n"));
        assert!(text.contains("\r\nDTSTAMP:20240518T024000Z\r\n"));
        assert!(text.contains("SUMMARY:路演：新材料\\, 第二场"));
        assert!(text.contains("LOCATION:株洲市天元区\\; 中小企业促进中心"));
        assert!(text.contains("DESCRIPTION:第一行\\n第二行"));
        assert!(text.contains("STATUS:CONFIRMED"));
        let cancelled = ics(&CalendarEvent {
            cancelled: true,
            ..e
        });
        assert!(cancelled.contains("STATUS:CANCELLED"));
    }
}
