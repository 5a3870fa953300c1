//! Number formatting.
//!
//! Convention (used for value labels, tick labels and the text summary):
//! - below 10,000: thousands separators and at most two decimals, trailing
//!   zeros dropped: `1234.5` → `"1,234.5"`, `0.25` → `"0.25"`;
//! - from 10,000: in 万 (10⁴) with at most one decimal: `35000` → `"3.5万"`,
//!   `40000` → `"4万"`, `12345` → `"1.2万"`;
//! - from 100,000,000: in 亿 (10⁸) with at most one decimal: `1.5e8` →
//!   `"1.5亿"`, with thousands separators if it is still large;
//! - negatives get a leading `-`; NaN and infinities are shown as `"0"`.
//!
//! Tick labels use the same convention but keep the decimals a tick needs
//! (`12500` → `"1.25万"`, `0.025` → `"0.025"`), so two ticks never look the same.

/// Formats a value for display; see the module documentation for the convention.
///
/// ```
/// use fruition_charts::format_value;
/// assert_eq!(format_value(35000.0), "3.5万");
/// assert_eq!(format_value(1234.0), "1,234");
/// assert_eq!(format_value(f64::NAN), "0");
/// ```
pub fn format_value(v: f64) -> String {
    format_with(v, 2, 1)
}

/// Formats an axis tick: like [`format_value`], with the decimals the tick needs.
pub(crate) fn format_tick(v: f64) -> String {
    format_with(v, 6, 4)
}

/// Formats with at most `small_dec` decimals below 10⁴ and `big_dec`
/// decimals in 万 or 亿.
fn format_with(v: f64, small_dec: usize, big_dec: usize) -> String {
    let v = if v.is_finite() { v } else { 0.0 };
    let a = v.abs();
    let small = fixed(a, small_dec);
    let (body, suffix) = if parse(&small) < 1e4 {
        (small, "")
    } else {
        let wan = fixed(a / 1e4, big_dec);
        if parse(&wan) < 1e4 {
            (wan, "万")
        } else {
            (fixed(a / 1e8, big_dec), "亿")
        }
    };
    let neg = v < 0.0 && body.bytes().any(|b| (b'1'..=b'9').contains(&b));
    let mut out = String::with_capacity(body.len() + 8);
    if neg {
        out.push('-');
    }
    out.push_str(&group(&body));
    out.push_str(suffix);
    out
}

/// `x` with `dec` decimals, trailing zeros (and a trailing point) dropped.
fn fixed(x: f64, dec: usize) -> String {
    let mut s = format!("{x:.dec$}");
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

fn parse(s: &str) -> f64 {
    s.parse().unwrap_or(0.0)
}

/// Puts thousands separators into the integer part of a plain decimal.
fn group(s: &str) -> String {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let mut out = String::with_capacity(s.len() + int.len() / 3);
    let n = int.len();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// A coordinate or length for an SVG attribute: at most two decimals, no
/// `-0`, and `0` for anything not finite.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".to_owned();
    }
    let s = fixed(x, 2);
    if s == "-0" { "0".to_owned() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(-0.0), "0");
        assert_eq!(format_value(-0.001), "0");
        assert_eq!(format_value(7.0), "7");
        assert_eq!(format_value(0.1 + 0.2), "0.3");
        assert_eq!(format_value(12.3456), "12.35");
        assert_eq!(format_value(1234.5), "1,234.5");
        assert_eq!(format_value(9999.0), "9,999");
        assert_eq!(format_value(9999.999), "1万");
        assert_eq!(format_value(10000.0), "1万");
        assert_eq!(format_value(35000.0), "3.5万");
        assert_eq!(format_value(12345.0), "1.2万");
        assert_eq!(format_value(-35000.0), "-3.5万");
        assert_eq!(format_value(123_456_789.0), "1.2亿");
        assert_eq!(format_value(99_999_999.0), "1亿");
        assert_eq!(format_value(1e15), "10,000,000亿");
        assert_eq!(format_value(f64::NAN), "0");
        assert_eq!(format_value(f64::INFINITY), "0");
        assert_eq!(format_value(f64::NEG_INFINITY), "0");
        assert!(!format_value(f64::MAX).is_empty());
    }

    #[test]
    fn ticks_keep_needed_decimals() {
        assert_eq!(format_tick(12500.0), "1.25万");
        assert_eq!(format_tick(0.025), "0.025");
        assert_eq!(format_tick(0.1 * 3.0), "0.3");
        assert_eq!(format_tick(40000.0), "4万");
        assert_eq!(format_tick(2500.0), "2,500");
    }

    #[test]
    fn coordinates() {
        assert_eq!(num(1.0), "1");
        assert_eq!(num(1.005), "1"); // 1.005 is 1.00499… in binary
        assert_eq!(num(12.3456), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
    }
}
