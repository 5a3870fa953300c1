//! The carrier alliance (载体联盟): its members, notices and shared offers (`members`); its
//! events with registration, the waiting list and check-in (`events`); staff training and
//! certificates (`training`).

pub mod events;
pub mod members;
pub mod training;

use fruition_store::StoreError;

use crate::error::{AppError, Problem};

/// The words for the store's refusals in this capability.
pub(crate) fn refused(e: StoreError) -> AppError {
    let StoreError::Conflict { field } = e else {
        return e.into();
    };
    let (field, zh, en) = match field.as_str() {
        "carrier_id" | "pkey" => (
            "carrier_id",
            "该载体已是联盟成员单位",
            "This carrier is a member already",
        ),
        "role" => (
            "role",
            "联盟已有理事长单位，请先调整现任理事长单位的角色",
            "The alliance has a chair; change the present chair's role first",
        ),
        "status" => (
            "status",
            "活动不在报名中、报名已截止，或状态刚刚变化，请刷新后重试",
            "The event is not open, its registration has closed, or its status has just changed; reload and retry",
        ),
        "user_id" => (
            "user_id",
            "您已报名该活动（或在候补名单中）",
            "You are registered or waiting for this event already",
        ),
        "capacity" => (
            "capacity",
            "人数上限不能少于已报名人数",
            "The capacity cannot fall below the places taken",
        ),
        "person_name" => (
            "person_name",
            "该人员已有这门课程的培训记录",
            "This person's attendance at the course is recorded already",
        ),
        "number" => (
            "number",
            "该证书编号已登记",
            "This certificate number is recorded already",
        ),
        _ => ("value", "该值已存在", "This value already exists"),
    };
    AppError::Conflict {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }
}

/// A required text of at most `max` characters, trimmed; a problem naming `field` otherwise.
pub(crate) fn text(
    problems: &mut Vec<Problem>,
    field: &str,
    input: &str,
    max: usize,
    what_zh: &str,
    what_en: &str,
) -> String {
    let s = input.trim();
    if s.is_empty() || s.chars().count() > max {
        problems.push(Problem {
            field: field.into(),
            zh: format!("{what_zh}必填，不超过 {max} 字"),
            en: format!("{what_en} is required, at most {max} characters"),
        });
    }
    s.to_string()
}

/// An optional text of at most `max` characters, trimmed.
pub(crate) fn optional_text(
    problems: &mut Vec<Problem>,
    field: &str,
    input: Option<&str>,
    max: usize,
) -> String {
    let s = input.unwrap_or("").trim();
    if s.chars().count() > max {
        problems.push(Problem {
            field: field.into(),
            zh: format!("不超过 {max} 字"),
            en: format!("At most {max} characters"),
        });
    }
    s.to_string()
}

pub(crate) fn problems_or<T>(problems: Vec<Problem>, value: Option<T>) -> Result<T, AppError> {
    match value {
        Some(v) if problems.is_empty() => Ok(v),
        _ => Err(AppError::Invalid(problems)),
    }
}
