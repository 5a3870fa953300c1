//! Input checks shared by the capabilities: field problems, a day a step happened, a page of a list.

use fruition_domain::FieldError;
use fruition_domain::date::IsoDate;

use crate::clock::today_date;
use crate::error::{AppError, Problem};

pub(crate) fn invalid(errors: Vec<FieldError>) -> AppError {
    AppError::Invalid(errors.into_iter().map(Problem::from).collect())
}

pub(crate) fn problem(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![Problem {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }])
}

/// A day a step happened: given (not in the future, not before 2000), or today.
pub(crate) fn day_of(field: &'static str, input: Option<&str>) -> Result<IsoDate, AppError> {
    let today = today_date();
    let Some(s) = input.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(today);
    };
    let d = IsoDate::parse_field(s, field).map_err(|e| invalid(vec![e]))?;
    if d > today || d.year() < 2000 {
        return Err(problem(
            field,
            "日期不能晚于今天，也不能早于 2000 年",
            "The date cannot be after today or before 2000",
        ));
    }
    Ok(d)
}

/// A page of a list: `limit` 1 to `max` (default `default`), `offset` not negative (default 0);
/// anything else refused naming the field.
pub(crate) fn page(
    limit: Option<i64>,
    offset: Option<i64>,
    default: i64,
    max: i64,
) -> Result<(i64, i64), AppError> {
    let limit = limit.unwrap_or(default);
    if !(1..=max).contains(&limit) {
        return Err(problem(
            "limit",
            &format!("每页条数应为 1 到 {max}"),
            &format!("The page size is 1 to {max}"),
        ));
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        return Err(problem(
            "offset",
            "起始位置不能为负",
            "The offset cannot be negative",
        ));
    }
    Ok((limit, offset))
}

/// The value of `r`, or `None` with its problems added to `problems` (so a form's every problem
/// is reported at once); any other error passes through.
pub(crate) fn gather<T>(
    problems: &mut Vec<Problem>,
    r: Result<T, AppError>,
) -> Result<Option<T>, AppError> {
    match r {
        Ok(v) => Ok(Some(v)),
        Err(AppError::Invalid(p)) => {
            problems.extend(p);
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// [`day_of`] as one problem among a form's others: the day, or `None` with its problem added.
pub(crate) fn day_into(
    problems: &mut crate::Problems,
    field: &'static str,
    input: Option<&str>,
) -> Option<IsoDate> {
    match day_of(field, input) {
        Ok(d) => Some(d),
        Err(AppError::Invalid(found)) => {
            for x in found {
                problems.push(&x.field, &x.zh, &x.en);
            }
            None
        }
        // `day_of` refuses only what was typed.
        Err(_) => None,
    }
}
