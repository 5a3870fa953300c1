//! The capital side of incubation: funds and their managers (`funds`), investments with
//! follow-ons, exits and the investors' workbook (`investments`), each fund's portfolio figures
//! and the city's capital statistics (`portfolio`), and 先投后股 projects (`grants`).

pub mod funds;
pub mod grants;
pub mod investments;
pub mod portfolio;

use fruition_store::StoreError;

use crate::error::AppError;

/// The words for the store's refusals in this capability.
pub(crate) fn refused(e: StoreError) -> AppError {
    let StoreError::Conflict { field } = e else {
        return e.into();
    };
    let (zh, en) = match field.as_str() {
        "status" => (
            "状态刚刚变化或不允许此操作，请刷新后重试",
            "The status has just changed or does not allow this; reload and retry",
        ),
        "amount_fen" => (
            "这笔投资将使基金累计投资额超过基金规模",
            "This investment would take the fund's total invested past its size",
        ),
        "size_k" => (
            "基金规模不能低于已投资金额",
            "The fund's size cannot fall below what it has invested",
        ),
        "cost_fen" => (
            "退出的投资成本超过该项目尚持有的部分",
            "The cost exited passes what the fund still holds in the enterprise",
        ),
        "name" => ("该名称已登记", "This name is already registered"),
        _ => ("该值已存在", "This value already exists"),
    };
    AppError::Conflict {
        field,
        zh: zh.into(),
        en: en.into(),
    }
}

/// A yuan amount as a person reads a large one: `1.25 亿元`, `3,000.00 万元`, `800.00 元`.
pub fn capital_label(fen: i64) -> String {
    const WAN: i64 = 10_000 * 100;
    const YI: i64 = 100_000_000 * 100;
    let two = |v: i64, unit: i64| {
        let hundredths = (i128::from(v) * 100 / i128::from(unit)) as i64;
        format!("{}.{:02}", hundredths / 100, (hundredths % 100).abs())
    };
    if fen.abs() >= YI {
        format!("{} 亿元", two(fen, YI))
    } else if fen.abs() >= WAN {
        format!("{} 万元", two(fen, WAN))
    } else {
        format!("{} 元", fruition_domain::money::yuan(fen))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn large_amounts_read_in_wan_and_yi() {
        assert_eq!(super::capital_label(12_500_000_000), "1.25 亿元");
        assert_eq!(super::capital_label(3_000_000_000), "3000.00 万元");
        assert_eq!(super::capital_label(80_000), "800.00 元");
    }
}
