//! Money as bills and vouchers keep it: whole fen (分, 0.01 元) in an `i64`, so sums are exact.

use crate::FieldError;

/// The largest amount a single price, bill line, payment or voucher may hold: 1 亿元.
pub const MAX_FEN: i64 = 100_000_000 * 100;

/// The largest capital amount (an investment, a valuation, a grant): 1 万亿元.
pub const MAX_CAPITAL_FEN: i64 = 1_000_000_000_000 * 100;

/// Reads an amount in 元 as typed — `1200`, `1,200.5`, `１２００．５０`, `1200元`, `¥1200` — into fen.
/// At most two decimals; negative amounts and amounts over [`MAX_FEN`] are refused.
pub fn parse_yuan(field: &'static str, input: &str) -> Result<i64, FieldError> {
    parse_yuan_up_to(field, input, MAX_FEN)
}

/// [`parse_yuan`] with another ceiling in fen (capital amounts go up to [`MAX_CAPITAL_FEN`]).
pub fn parse_yuan_up_to(field: &'static str, input: &str, max_fen: i64) -> Result<i64, FieldError> {
    let s: String = input
        .trim()
        .chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '．' => '.',
            _ => c,
        })
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
        .collect();
    let s = s.trim_end_matches('元');
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "必填", "is required"));
    }
    let bad = || {
        FieldError::new(
            field,
            "money",
            format!(
                "“{}”不是有效金额，应为 1200 或 1200.50 这样的元数",
                crate::echo(input.trim())
            ),
            format!(
                "“{}” is not an amount in yuan like 1200 or 1200.50",
                crate::echo(input.trim())
            ),
        )
    };
    if s.starts_with('-') {
        return Err(FieldError::new(
            field,
            "negative",
            "金额不能为负数",
            "The amount cannot be negative",
        ));
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty()
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    if frac.len() > 2 {
        return Err(FieldError::new(
            field,
            "money_precision",
            "金额最多保留两位小数（分）",
            "An amount has at most two decimals (fen)",
        ));
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_large(field, max_fen))?
    };
    let frac: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
    let fen = whole
        .checked_mul(100)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(|| too_large(field, max_fen))?;
    if fen > max_fen {
        return Err(too_large(field, max_fen));
    }
    Ok(fen)
}

fn too_large(field: &'static str, max_fen: i64) -> FieldError {
    let (zh, en) = if max_fen >= MAX_CAPITAL_FEN {
        (
            "金额不能超过 1 万亿元",
            "The amount cannot exceed 1 trillion yuan",
        )
    } else {
        (
            "金额不能超过 1 亿元",
            "The amount cannot exceed 100 million yuan",
        )
    };
    FieldError::new(field, "out_of_range", zh, en)
}

/// An amount in fen as 元 with two decimals and thousands separators: `12,345.60`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let abs = fen.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", abs % 100)
}

/// `amount × percent / 100`, rounded half up to the fen.
pub fn percent_of(amount_fen: i64, percent: i64) -> i64 {
    (amount_fen * percent + 50).div_euclid(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_amounts_as_people_type_them() {
        assert_eq!(parse_yuan("p", "1200"), Ok(120_000));
        assert_eq!(parse_yuan("p", "1,200.5"), Ok(120_050));
        assert_eq!(parse_yuan("p", "１２００．５０"), Ok(120_050));
        assert_eq!(parse_yuan("p", "¥ 800元"), Ok(80_000));
        assert_eq!(parse_yuan("p", ".5"), Ok(50));
        assert_eq!(parse_yuan("p", "0"), Ok(0));
    }

    #[test]
    fn refuses_what_is_not_an_amount() {
        assert_eq!(parse_yuan("price", "").unwrap_err().code, "required");
        assert_eq!(parse_yuan("price", "-3").unwrap_err().code, "negative");
        assert_eq!(
            parse_yuan("price", "1.234").unwrap_err().code,
            "money_precision"
        );
        assert_eq!(parse_yuan("price", "12a").unwrap_err().code, "money");
        assert_eq!(parse_yuan("price", ".").unwrap_err().code, "money");
        assert_eq!(
            parse_yuan("price", "100000001").unwrap_err().code,
            "out_of_range"
        );
        assert_eq!(
            parse_yuan("price", "99999999999999999999")
                .unwrap_err()
                .code,
            "out_of_range"
        );
        assert_eq!(parse_yuan("price", "x").unwrap_err().field, "price");
    }

    #[test]
    fn shows_yuan_with_separators() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
        assert_eq!(yuan(-120_050), "-1,200.50");
        assert_eq!(yuan(100_000), "1,000.00");
    }

    #[test]
    fn percentages_round_half_up() {
        assert_eq!(percent_of(101, 50), 51);
        assert_eq!(percent_of(100, 85), 85);
        assert_eq!(percent_of(333, 30), 100);
    }
}
