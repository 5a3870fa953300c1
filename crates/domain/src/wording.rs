//! Figures worded the way the bureau's documents word them: "1500多家", "300余人", "约3.5万人",
//! "约35%", "100亿元以上". The annual report uses these so that it reads like §一 of the seed.

/// Which word follows a rounded-down figure: 多 ("1500多家") or 余 ("300余人").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum More {
    Duo,
    Yu,
}

/// Rounds down to the figure a document would name: one significant figure below 1000
/// (12 → 10, 3xx → 300), two from 1000 (1,5xx → 1500, 2,0xx → 2000).
pub fn round_down(v: i64) -> i64 {
    if v < 10 {
        return v.max(0);
    }
    let digits = v.to_string().len() as u32;
    let keep = if digits >= 4 { 2 } else { 1 };
    let unit = 10i64.pow(digits - keep);
    v / unit * unit
}

/// "1500多家": more than a round figure; the exact figure when it is itself round or small.
pub fn more_than(v: i64, unit: &str, more: More) -> String {
    let floor = round_down(v);
    if floor == v || v < 10 {
        return format!("{v}{unit}");
    }
    let word = match more {
        More::Duo => "多",
        More::Yu => "余",
    };
    format!("{floor}{word}{unit}")
}

/// "约3.5万人": about a figure, in 万 from 10,000 (one decimal), else to two significant figures.
pub fn about(v: i64, unit: &str) -> String {
    if v >= 10_000 {
        let tenths = (v as f64 / 1_000.0).round() as i64;
        let (whole, frac) = (tenths / 10, tenths % 10);
        if frac == 0 {
            format!("约{whole}万{unit}")
        } else {
            format!("约{whole}.{frac}万{unit}")
        }
    } else if v >= 100 {
        let digits = v.to_string().len() as u32;
        let unit_size = 10i64.pow(digits - 2);
        let rounded = (v + unit_size / 2) / unit_size * unit_size;
        format!("约{rounded}{unit}")
    } else {
        format!("约{v}{unit}")
    }
}

/// "约35%": a share rounded to a whole per cent ("0%" when the whole is zero).
pub fn about_percent(part: i64, whole: i64) -> String {
    if whole <= 0 {
        return "0%".into();
    }
    let pct = (part as f64 * 100.0 / whole as f64).round() as i64;
    format!("约{pct}%")
}

/// The whole per cent, for tables.
pub fn percent(part: i64, whole: i64) -> f64 {
    if whole <= 0 {
        0.0
    } else {
        (part as f64 * 1000.0 / whole as f64).round() / 10.0
    }
}

/// Basis points as a percentage with two decimals: `385` → `3.85%` (rates, shares, ratios).
pub fn bp_percent(bp: i64) -> String {
    let sign = if bp < 0 { "-" } else { "" };
    let abs = bp.unsigned_abs();
    format!("{sign}{}.{:02}%", abs / 100, abs % 100)
}

/// "100亿元以上": an amount in thousand yuan (千元), rounded down in 亿元 (100 million yuan),
/// or in 万元 below one 亿.
pub fn yuan_at_least(thousand_yuan: i64) -> String {
    const YI_IN_K: i64 = 100_000;
    if thousand_yuan >= YI_IN_K {
        let yi = thousand_yuan / YI_IN_K;
        let floor = round_down(yi);
        if floor * YI_IN_K == thousand_yuan {
            format!("{floor}亿元")
        } else {
            format!("{floor}亿元以上")
        }
    } else {
        let wan = thousand_yuan / 10;
        format!("{}万元", round_down(wan))
    }
}

/// An amount in thousand yuan as 亿元 with up to two decimals ("30亿元", "12.35亿元"), for targets and totals.
pub fn yi_yuan(thousand_yuan: i64) -> String {
    let hundredths = (thousand_yuan as f64 / 1_000.0).round() as i64;
    let (whole, frac) = (hundredths / 100, hundredths % 100);
    match frac {
        0 => format!("{whole}亿元"),
        f if f % 10 == 0 => format!("{whole}.{}亿元", f / 10),
        f => format!("{whole}.{f:02}亿元"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_seed_s_figures() {
        assert_eq!(more_than(1537, "家", More::Duo), "1500多家");
        assert_eq!(more_than(2046, "家", More::Duo), "2000多家");
        assert_eq!(more_than(3046, "件", More::Duo), "3000多件");
        assert_eq!(more_than(312, "人", More::Yu), "300余人");
        assert_eq!(more_than(1068, "件", More::Yu), "1000余件");
        assert_eq!(more_than(12, "家", More::Duo), "10多家");
        assert_eq!(more_than(69, "家", More::Duo), "60多家");
        assert_eq!(
            more_than(1500, "家", More::Duo),
            "1500家",
            "a round figure is said exactly"
        );
        assert_eq!(about(34_812, "人"), "约3.5万人");
        assert_eq!(about(35_000, "人"), "约3.5万人");
        assert_eq!(about(40_000, "人"), "约4万人");
        assert_eq!(about(1_234, "人"), "约1200人");
        assert_eq!(about_percent(35, 100), "约35%");
        assert_eq!(about_percent(714, 2046), "约35%");
        assert_eq!(yuan_at_least(10_250_000), "100亿元以上");
        assert_eq!(yuan_at_least(3_000_000), "30亿元");
        assert_eq!(yi_yuan(3_000_000), "30亿元");
        assert_eq!(yi_yuan(1_235_000), "12.35亿元");
        assert_eq!(yi_yuan(1_250_000), "12.5亿元");
    }

    proptest! {
        #[test]
        fn rounding_down_never_exceeds(v in 0i64..10_000_000_000) {
            let r = round_down(v);
            prop_assert!(r <= v);
            prop_assert!(v < 10 || r * 10 > v, "{r} is too far below {v}");
        }
    }

    #[test]
    fn basis_points_read_as_percentages() {
        assert_eq!(bp_percent(385), "3.85%");
        assert_eq!(bp_percent(10_000), "100.00%");
        assert_eq!(bp_percent(-50), "-0.50%");
    }
}
