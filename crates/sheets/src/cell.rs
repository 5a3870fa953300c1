//! Cell values as read from a spreadsheet, calendar dates, and the conversions a validator needs.

use std::borrow::Cow;
use std::fmt;

/// A calendar date (proleptic Gregorian, years 1–9999), without time of day or time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: u16,
    month: u8,
    day: u8,
}

impl Date {
    /// A valid date, or `None` (February 30th, month 13, year 0, …).
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date { year, month, day })
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

    /// The date of an Excel serial date-time (the time of day is dropped).
    ///
    /// `is_1904` selects the Mac 1904 date system; otherwise the usual 1900 system is used,
    /// including Excel's phantom 1900-02-29 (serial 60), for which this returns `None`.
    /// Serials below 1 (a time of day without a date) and past 9999-12-31 also give `None`.
    pub fn from_excel_serial(serial: f64, is_1904: bool) -> Option<Date> {
        if !serial.is_finite() {
            return None;
        }
        // Excel keeps milliseconds: round to them before dropping the time of day, so that
        // 45352.99999999999 (float noise on midnight) is the next day, as Excel shows it.
        let days = ((serial * 86_400_000.0).round() / 86_400_000.0).floor();
        let epoch = if is_1904 {
            if days < 0.0 {
                return None;
            }
            days_from_civil(1904, 1, 1)
        } else if days < 1.0 || days == 60.0 {
            return None;
        } else if days < 60.0 {
            days_from_civil(1899, 12, 31)
        } else {
            days_from_civil(1899, 12, 30)
        };
        if days > 3_000_000.0 {
            return None;
        }
        let (y, m, d) = civil_from_days(epoch + days as i64);
        u16::try_from(y).ok().and_then(|y| Date::new(y, m, d))
    }

    /// This date as an Excel serial number in the 1900 date system (1900-03-01 and later match
    /// Excel exactly; earlier dates follow Excel's 1900-02-29 quirk).
    pub fn to_excel_serial(self) -> f64 {
        let days = days_from_civil(i64::from(self.year), self.month, self.day);
        let serial = days - days_from_civil(1899, 12, 30);
        if serial < 61 {
            (serial - 1) as f64
        } else {
            serial as f64
        }
    }

    /// Parses the ways people type dates in Chinese spreadsheets: `2024-03-01`, `2024/3/1`,
    /// `2024.3.1`, `2024年3月1日`, `20240301`, full-width digits, optionally followed by a time
    /// (`2024-03-01 08:30:00`, `2024-03-01T08:30`), which is ignored.
    pub fn parse(text: &str) -> Option<Date> {
        let text = normalize_width(text);
        let text = trim_all(&text);
        let date_part = text
            .split(|c: char| c.is_whitespace() || c == 'T')
            .next()
            .unwrap_or("");
        let mut s = String::with_capacity(date_part.len());
        for c in date_part.chars() {
            match c {
                '年' | '月' => s.push('-'),
                _ => s.push(c),
            }
        }
        let s = s
            .strip_suffix('日')
            .or_else(|| s.strip_suffix('号'))
            .unwrap_or(&s);
        if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
            return Date::from_yyyymmdd(s.parse().ok()?);
        }
        let mut parts = s.split(['-', '/', '.']);
        let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
        if parts.next().is_some() {
            return None;
        }
        let digits = |p: &str, min: usize, max: usize| {
            (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
        };
        if !digits(y, 4, 4) || !digits(m, 1, 2) || !digits(d, 1, 2) {
            return None;
        }
        Date::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
    }

    fn from_yyyymmdd(n: u32) -> Option<Date> {
        let year = u16::try_from(n / 10_000).ok()?;
        let month = u8::try_from(n / 100 % 100).ok()?;
        let day = u8::try_from(n % 100).ok()?;
        if year < 1000 {
            return None;
        }
        Date::new(year, month, day)
    }
}

impl fmt::Display for Date {
    /// `yyyy-mm-dd`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        _ => 28,
    }
}

/// Days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u8, d: u8) -> i64 {
    let (m, d) = (i64::from(m), i64::from(d));
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// One cell of a table read from a spreadsheet.
///
/// CSV cells are always [`Cell::Text`] (or [`Cell::Empty`]); the `as_*` conversions parse text,
/// so a validator treats both sources alike.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    /// Text exactly as stored (untrimmed; [`Cell::as_text`] trims).
    Text(String),
    Number(f64),
    Bool(bool),
    /// A cell formatted as a date (its Excel serial already converted), or an ISO date.
    Date(Date),
    /// An Excel error value such as `#N/A` or `#DIV/0!`.
    Error(String),
}

/// Why a cell's value could not be used as what a column expects, in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{} / {}", self.zh(), self.en())]
pub enum CellProblem {
    /// The cell is empty (or only spaces).
    Blank,
    NotANumber,
    NotAnInteger,
    OutOfRange,
    NotADate,
    NotABool,
    /// The cell holds an Excel error value (`#N/A`, `#DIV/0!`, …).
    ErrorValue(String),
}

impl CellProblem {
    pub fn zh(&self) -> String {
        match self {
            CellProblem::Blank => "不能为空".into(),
            CellProblem::NotANumber => "不是有效的数字".into(),
            CellProblem::NotAnInteger => "应为整数".into(),
            CellProblem::OutOfRange => "数值超出允许范围".into(),
            CellProblem::NotADate => "不是有效的日期，请按 2024-03-01 的格式填写".into(),
            CellProblem::NotABool => "应填写“是”或“否”".into(),
            CellProblem::ErrorValue(e) => format!("单元格是错误值 {e}，请检查公式"),
        }
    }

    pub fn en(&self) -> String {
        match self {
            CellProblem::Blank => "must not be empty".into(),
            CellProblem::NotANumber => "is not a valid number".into(),
            CellProblem::NotAnInteger => "must be a whole number".into(),
            CellProblem::OutOfRange => "number is out of the allowed range".into(),
            CellProblem::NotADate => "is not a valid date; write it like 2024-03-01".into(),
            CellProblem::NotABool => "must be yes (是) or no (否)".into(),
            CellProblem::ErrorValue(e) => {
                format!("the cell holds the error value {e}; check the formula")
            }
        }
    }
}

impl Cell {
    /// True for an empty cell and for text that is only whitespace.
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(s) => trim_all(s).is_empty(),
            _ => false,
        }
    }

    /// The value as a person sees it, trimmed: integers in full (a 18-digit code typed as a
    /// number is never `9.1430211E+17`), other numbers to Excel's 15 significant digits without
    /// float noise (`0.1 + 0.2` → `0.3`), dates as `yyyy-mm-dd`, booleans as `TRUE`/`FALSE`,
    /// errors as `#N/A` etc., empty as `""`.
    pub fn as_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => trim_all(s).to_owned(),
            Cell::Number(n) => format_number(*n),
            Cell::Bool(true) => "TRUE".into(),
            Cell::Bool(false) => "FALSE".into(),
            Cell::Date(d) => d.to_string(),
            Cell::Error(e) => e.clone(),
        }
    }

    /// The text, or `None` when the cell is blank.
    pub fn as_opt_text(&self) -> Option<String> {
        if self.is_blank() {
            None
        } else {
            Some(self.as_text())
        }
    }

    /// A whole number: a number cell without fraction, or text such as `12`, `1,200`, `１２`
    /// or `12.0`.
    pub fn as_i64(&self) -> Result<i64, CellProblem> {
        let n = self.as_f64().map_err(|e| match e {
            CellProblem::NotANumber => CellProblem::NotAnInteger,
            e => e,
        })?;
        if n.fract() != 0.0 {
            return Err(CellProblem::NotAnInteger);
        }
        // i64::MAX as f64 rounds up to 2^63, which does not fit: the range is half-open.
        if !(-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&n) {
            return Err(CellProblem::OutOfRange);
        }
        if let Cell::Text(s) = self {
            // Text keeps digits a float would round away (long codes, ids).
            let cleaned = clean_number_text(s);
            if let Ok(i) = cleaned.parse::<i64>() {
                return Ok(i);
            }
        }
        Ok(n as i64)
    }

    /// A finite number: a number cell, or text such as `12.5`, `1,234.5`, `５%` (→ 0.05).
    pub fn as_f64(&self) -> Result<f64, CellProblem> {
        match self {
            Cell::Empty => Err(CellProblem::Blank),
            Cell::Number(n) if n.is_finite() => Ok(*n),
            Cell::Number(_) => Err(CellProblem::NotANumber),
            Cell::Text(s) => {
                if trim_all(s).is_empty() {
                    return Err(CellProblem::Blank);
                }
                parse_number(s).ok_or(CellProblem::NotANumber)
            }
            Cell::Error(e) => Err(CellProblem::ErrorValue(e.clone())),
            Cell::Bool(_) | Cell::Date(_) => Err(CellProblem::NotANumber),
        }
    }

    /// A date: a date cell, text in one of the forms [`Date::parse`] accepts, or an 8-digit
    /// number such as `20240301`.
    pub fn as_date(&self) -> Result<Date, CellProblem> {
        match self {
            Cell::Empty => Err(CellProblem::Blank),
            Cell::Date(d) => Ok(*d),
            Cell::Text(s) => {
                if trim_all(s).is_empty() {
                    return Err(CellProblem::Blank);
                }
                Date::parse(s).ok_or(CellProblem::NotADate)
            }
            Cell::Number(n) => {
                if n.fract() == 0.0 && (10_000_101.0..=99_991_231.0).contains(n) {
                    Date::from_yyyymmdd(*n as u32).ok_or(CellProblem::NotADate)
                } else {
                    Err(CellProblem::NotADate)
                }
            }
            Cell::Error(e) => Err(CellProblem::ErrorValue(e.clone())),
            Cell::Bool(_) => Err(CellProblem::NotADate),
        }
    }

    /// Yes or no: a boolean cell, `1`/`0`, or text `是`/`否`, `有`/`无`, `Y`/`N`, `yes`/`no`,
    /// `true`/`false`, `√`/`×`.
    pub fn as_bool(&self) -> Result<bool, CellProblem> {
        match self {
            Cell::Empty => Err(CellProblem::Blank),
            Cell::Bool(b) => Ok(*b),
            Cell::Number(n) if *n == 1.0 => Ok(true),
            Cell::Number(n) if *n == 0.0 => Ok(false),
            Cell::Text(s) => {
                let t = normalize_width(s);
                let t = trim_all(&t).to_lowercase();
                match t.as_str() {
                    "" => Err(CellProblem::Blank),
                    "是" | "有" | "y" | "yes" | "true" | "1" | "√" | "✓" | "对" => Ok(true),
                    "否" | "无" | "n" | "no" | "false" | "0" | "×" | "✗" | "x" | "不是"
                    | "没有" => Ok(false),
                    _ => Err(CellProblem::NotABool),
                }
            }
            Cell::Error(e) => Err(CellProblem::ErrorValue(e.clone())),
            Cell::Number(_) | Cell::Date(_) => Err(CellProblem::NotABool),
        }
    }
}

/// Trims whitespace (including the full-width space U+3000 and no-break space), zero-width
/// spaces and stray byte-order marks.
pub(crate) fn trim_all(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}')
}

/// Maps full-width ASCII forms (`１２３`, `（）`, `＊`, `，`) and the ideographic space to their
/// half-width equivalents.
pub(crate) fn normalize_width(s: &str) -> Cow<'_, str> {
    if s.is_ascii()
        || !s
            .chars()
            .any(|c| matches!(c, '\u{ff01}'..='\u{ff5e}' | '\u{3000}'))
    {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .map(|c| match c {
                '\u{ff01}'..='\u{ff5e}' => char::from_u32(c as u32 - 0xfee0).unwrap_or(c),
                '\u{3000}' => ' ',
                _ => c,
            })
            .collect(),
    )
}

fn clean_number_text(s: &str) -> String {
    let s = normalize_width(s);
    trim_all(&s)
        .chars()
        .filter(|c| *c != ',' && *c != '，' && !c.is_whitespace())
        .collect()
}

/// Parses a number typed as text: thousands separators, full-width digits, a leading `+` and a
/// trailing `%` are accepted; `inf`, `NaN` and anything else that is not plainly a number are not.
pub(crate) fn parse_number(s: &str) -> Option<f64> {
    let cleaned = clean_number_text(s);
    let (body, scale) = match cleaned.strip_suffix('%') {
        Some(b) => (b, 0.01),
        None => (cleaned.as_str(), 1.0),
    };
    if !body.bytes().any(|b| b.is_ascii_digit())
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+' | b'e' | b'E'))
    {
        return None;
    }
    let n: f64 = body.parse().ok()?;
    let n = n * scale;
    n.is_finite().then_some(n)
}

/// Formats a number the way a person expects to read it back (see [`Cell::as_text`]).
pub(crate) fn format_number(n: f64) -> String {
    if n.is_nan() {
        return "NaN".into();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if n == 0.0 {
        return "0".into();
    }
    if n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_992.0 {
        return (n as i64).to_string();
    }
    // Excel keeps and shows at most 15 significant digits: round to them to drop binary noise.
    let sci = format!("{n:.14e}");
    if let Some(digits) = integer_digits(&sci) {
        return digits;
    }
    let rounded: f64 = sci.parse().unwrap_or(n);
    let a = rounded.abs();
    if !(1e-9..1e21).contains(&a) {
        format!("{rounded:e}")
    } else {
        format!("{rounded}")
    }
}

/// `-9.14302111234567e17` → `-914302111234567000`: a large integer written out in full, the
/// way Excel shows an 18-digit code typed as a number (only its first 15 digits survive).
fn integer_digits(sci: &str) -> Option<String> {
    let (mantissa, exp) = sci.split_once('e')?;
    let exp: i32 = exp.parse().ok()?;
    if !(14..=20).contains(&exp) {
        return None;
    }
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    Some(format!("{sign}{digits}{}", "0".repeat((exp - 14) as usize)))
}

/// True when an integer-valued number is too large for an `f64` to hold exactly.
pub(crate) fn beyond_exact(i: i64) -> bool {
    i.unsigned_abs() > 1 << 53
}
