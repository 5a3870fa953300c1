//! Knowledge-value credit loans (知识价值信用贷款) and the shared risk compensation pool
//! (风险补偿资金池): loans from application to repayment or default (`loans`), banks' claims and
//! recoveries (`claims`), the pool's funders, ledger and the city's policy (`pool`), each bank's
//! non-performing ratio and breaker (`risk`), and the lending target (`target`).

pub mod claims;
pub mod loans;
pub mod pool;
pub mod repayments;
pub mod risk;
pub mod scores;
pub mod target;
pub mod whatif;

use fruition_store::StoreError;

use crate::error::AppError;

pub(crate) use crate::input::{day_of, invalid, page, problem};

/// An amount in whole fen: above zero and at most 1亿元.
pub(crate) fn fen(field: &str, amount: i64) -> Result<i64, AppError> {
    if amount <= 0 || amount > fruition_domain::money::MAX_FEN {
        return Err(problem(
            field,
            "金额以分为单位，应为大于零且不超过 1 亿元的整数",
            "An amount in fen: a whole number above zero, at most 100 million yuan",
        ));
    }
    Ok(amount)
}

/// The words for the store's refusals in this capability.
pub(crate) fn refused(e: StoreError) -> AppError {
    let StoreError::Conflict { field } = e else {
        return e.into();
    };
    let (zh, en) = match field.as_str() {
        "status" => (
            "状态刚刚变化，请刷新后重试",
            "The status has just changed; reload and retry",
        ),
        "breaker" => (
            "该银行已触发风险补偿熔断，暂停新的备案，待科技局解除后再办理",
            "The bank's circuit breaker is on: no new registrations until the bureau lifts it",
        ),
        "principal" => (
            "还款本金超过尚欠本金",
            "The principal repaid would pass what is owed",
        ),
        "recovered" => (
            "追回金额超过尚欠本金",
            "The amount recovered would pass what is owed",
        ),
        "claim" => (
            "这笔贷款已有补偿申请",
            "This loan already has a compensation claim",
        ),
        "bank_year_cap" => (
            "超过该银行本年度风险补偿上限",
            "This would pass the bank's yearly compensation cap",
        ),
        "pool_balance" => (
            "资金池余额不足以支付这笔补偿",
            "The pool's balance does not cover this payment",
        ),
        "funders" => ("资金池还没有出资方", "The pool has no funders yet"),
        "value_date" => (
            "台账已有更晚日期的记账，不能补记更早的日期",
            "The ledger already holds a later day; it cannot be posted before it",
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

/// A rate in basis points as a person reads it: `3.85%`.
pub fn rate_label(bp: i64) -> String {
    fruition_domain::wording::bp_percent(bp)
}

/// The enterprise's score to apply with: its current score on the scorecard in force (scored now
/// when it has none).
pub(crate) async fn score_for(
    state: &crate::App,
    enterprise_id: i64,
) -> Result<Option<fruition_store::credit::scores::ScoreRow>, AppError> {
    scores::current(state, enterprise_id).await.map(Some)
}
