//! The risk pool's what-if page (资金池压力测算), for the bureau: the form, filled with the
//! defaults, and once it is sent the outlook — a chart of the pool's balance month by month
//! (median and 5th percentile of the runs), the balance at each year's end, the compensation with
//! each funder's share, and how often the breaker trips or the pool falls short. Money is typed in
//! 万元 and rates in percent; the action takes fen and basis points, and its problems are shown
//! beside the fields they name (`opening_balance_fen` → `opening_balance`, `breaker_bp` →
//! `breaker_pct`). Nothing is stored, so a run answers with the page itself, not a redirect.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use fruition_charts::{ChartOptions, Series};
use fruition_domain::credit::Grade;
use fruition_domain::lang::Lang;

use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use crate::pages::forms::{Fields, PageForm, ctx, is_form_error, merged, problem, refusal_page};
use crate::pages::{Chrome, error_page, render_status};
use fruition_app::credit::whatif::{
    self, MAX_FUNDERS, WhatIfFunder, WhatIfGrade, WhatIfInput, WhatIfMonth, WhatIfView,
};

pub fn router() -> Router<AppState> {
    Router::new().route(PATH, get(show).post(run))
}

const PATH: &str = "/credit/what-if";
/// 1万元 in fen and 1 % in basis points: the page's units against the action's.
const WAN_FEN: i64 = 1_000_000;
const PCT_BP: i64 = 100;

/// The columns of the grades' table: the page's field name (after `grades.<grade>.`), the unit
/// it is typed in (fen per unit, decimals allowed) and its heading.
const GRADE_COLUMNS: [(&str, i64, u32, &str); 6] = [
    ("loans_per_month", 1, 0, "whatif_loans_per_month"),
    ("amount", WAN_FEN, 2, "whatif_amount"),
    ("term_months", 1, 0, "whatif_term_months"),
    ("annual_default_pct", PCT_BP, 2, "whatif_annual_default_pct"),
    ("recovery_pct", 1, 0, "whatif_recovery_pct"),
    (
        "recovery_after_months",
        1,
        0,
        "whatif_recovery_after_months",
    ),
];

/// One input in a table: its field (name and id), what it holds, and its problem.
struct Cell {
    key: String,
    /// The column's heading id, which labels the input with the row's heading.
    column: &'static str,
    value: String,
    error: Option<String>,
}

struct GradeRow {
    code: &'static str,
    label: &'static str,
    cells: Vec<Cell>,
}

struct FunderRow {
    /// From 1, as the page numbers the rows.
    index: usize,
    /// The funder's name and its ratio.
    cells: [Cell; 2],
}

/// What the runs show, drawn for the page.
struct Outlook {
    view: WhatIfView,
    /// "1000 次模拟，36 个月".
    scope: String,
    chart_svg: String,
    /// Every twelfth month and the last, with its label ("第 12 个月末").
    milestones: Vec<(String, WhatIfMonth)>,
    breaker: String,
    short: String,
}

#[derive(Template)]
#[template(path = "credit_whatif.html")]
struct WhatIfPage {
    c: Chrome,
    /// What the form holds, by field name, in the page's units.
    values: BTreeMap<String, String>,
    /// The grades' table: column ids and headings.
    columns: Vec<(&'static str, &'static str)>,
    grades: Vec<GradeRow>,
    funders: Vec<FunderRow>,
    outlook: Option<Outlook>,
}

impl WhatIfPage {
    fn v(&self, key: &str) -> &str {
        self.values.get(key).map_or("", String::as_str)
    }
}

/// The form with the defaults.
async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    match whatif::start(&ctx(&authed, ip)) {
        Ok(input) => page(
            &state,
            &headers,
            &authed,
            StatusCode::OK,
            values_of(&input),
            None,
            None,
        ),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// Runs the what-if on what was typed: the outlook under the form, or the form again with each
/// problem beside its field.
async fn run(form: PageForm) -> Response {
    let typed = typed_values(&form.fields);
    let (input, local, funder_rows) = read(&typed);
    let result = whatif::run(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| merged(local, for_page(e, &funder_rows)));
    match result {
        Ok(view) => page(
            &form.state,
            &form.headers,
            &form.authed,
            StatusCode::OK,
            typed,
            None,
            Some(view),
        ),
        Err(e) if is_form_error(&e) => page(
            &form.state,
            &form.headers,
            &form.authed,
            e.status(),
            typed,
            Some(&e),
            None,
        ),
        Err(e) => refusal_page(&form.state, &form.headers, &form.authed, PATH, &e),
    }
}

fn page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    status: StatusCode,
    values: BTreeMap<String, String>,
    errors: Option<&AppError>,
    view: Option<WhatIfView>,
) -> Response {
    let mut c = Chrome::new(state, headers, Some(authed), PATH, "whatif_title");
    if let Some(e) = errors {
        c = c.with_errors(e);
    }
    let cell = |c: &Chrome, key: String, column: &'static str| Cell {
        value: values.get(&key).cloned().unwrap_or_default(),
        error: c.err(&key).map(String::from),
        key,
        column,
    };
    let grades = Grade::ALL
        .iter()
        .map(|g| GradeRow {
            code: g.code(),
            label: g.label(c.lang),
            cells: GRADE_COLUMNS
                .iter()
                .map(|&(name, _, _, _)| cell(&c, format!("grades.{}.{name}", g.code()), name))
                .collect(),
        })
        .collect();
    let funders = (0..MAX_FUNDERS)
        .map(|i| FunderRow {
            index: i + 1,
            cells: [
                cell(&c, format!("funders.{i}.label"), "funder"),
                cell(&c, format!("funders.{i}.ratio"), "ratio"),
            ],
        })
        .collect();
    let outlook = view.map(|v| outlook(&c, v));
    let columns = GRADE_COLUMNS
        .iter()
        .map(|(name, _, _, key)| (*name, c.t(key)))
        .collect();
    render_status(
        status,
        &WhatIfPage {
            values,
            columns,
            grades,
            funders,
            outlook,
            c,
        },
    )
}

fn outlook(c: &Chrome, view: WhatIfView) -> Outlook {
    let lang = c.lang;
    let months: Vec<String> = view.balances.iter().map(|m| m.month.to_string()).collect();
    let yuan = |fen: i64| fen as f64 / 100.0;
    let chart_svg = fruition_charts::line(
        &ChartOptions {
            id: "whatif-balance".into(),
            title: c.t("whatif_chart_title").into(),
            description: c.t("whatif_chart_desc").into(),
            width: 640,
            height: 360,
            unit: c.t("yuan").into(),
        },
        &months,
        &[
            Series::new(
                c.t("whatif_median"),
                view.balances.iter().map(|m| yuan(m.median_fen)).collect(),
            ),
            Series::new(
                c.t("whatif_p5"),
                view.balances.iter().map(|m| yuan(m.p5_fen)).collect(),
            ),
        ],
    );
    let last = view.balances.len();
    let milestones = view
        .balances
        .iter()
        .filter(|m| m.month % 12 == 0 || m.month as usize == last)
        .map(|m| {
            let label = match lang {
                Lang::ZhCn => format!("第 {} 个月末", m.month),
                Lang::En => format!("End of month {}", m.month),
            };
            (label, m.clone())
        })
        .collect();
    let scope = lang
        .pick(
            &format!(
                "{} 次模拟，{} 个月，随机种子 {}。",
                view.input.runs, view.input.months, view.input.seed
            ),
            &format!(
                "{} runs over {} months, seed {}.",
                view.input.runs, view.input.months, view.input.seed
            ),
        )
        .to_string();
    Outlook {
        scope,
        chart_svg,
        milestones,
        breaker: format!("{:.1}%", view.breaker_runs_pct),
        short: format!("{:.1}%", view.short_runs_pct),
        view,
    }
}

/// The page's fields, in the order the form sends them.
fn field_names() -> Vec<String> {
    let mut names: Vec<String> = [
        "opening_balance",
        "monthly_contribution",
        "compensation_pct",
        "per_loan_cap",
        "breaker_pct",
        "months",
        "runs",
        "seed",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for g in Grade::ALL {
        for (name, _, _, _) in GRADE_COLUMNS {
            names.push(format!("grades.{}.{name}", g.code()));
        }
    }
    for i in 0..MAX_FUNDERS {
        names.push(format!("funders.{i}.label"));
        names.push(format!("funders.{i}.ratio"));
    }
    names
}

fn typed_values(fields: &Fields) -> BTreeMap<String, String> {
    field_names()
        .into_iter()
        .map(|name| {
            let v = fields.get(&name);
            (name, v)
        })
        .collect()
}

/// An amount in fen as 万元, or basis points as percent: `factor` per unit, trailing zeros cut.
fn in_units(v: i64, factor: i64) -> String {
    let whole = v / factor;
    let rest = (v % factor).abs();
    if rest == 0 {
        return whole.to_string();
    }
    let digits = factor.ilog10() as usize;
    let frac = format!("{rest:0digits$}");
    let sign = if v < 0 && whole == 0 { "-" } else { "" };
    format!("{sign}{whole}.{}", frac.trim_end_matches('0'))
}

/// What the form shows for an input, in the page's units.
fn values_of(input: &WhatIfInput) -> BTreeMap<String, String> {
    let mut v = BTreeMap::new();
    let mut put = |k: String, s: String| {
        v.insert(k, s);
    };
    put(
        "opening_balance".into(),
        in_units(input.opening_balance_fen, WAN_FEN),
    );
    put(
        "monthly_contribution".into(),
        in_units(input.monthly_contribution_fen, WAN_FEN),
    );
    put(
        "compensation_pct".into(),
        input.compensation_pct.to_string(),
    );
    put(
        "per_loan_cap".into(),
        in_units(input.per_loan_cap_fen, WAN_FEN),
    );
    put("breaker_pct".into(), in_units(input.breaker_bp, PCT_BP));
    put("months".into(), input.months.to_string());
    put("runs".into(), input.runs.to_string());
    put("seed".into(), input.seed.to_string());
    for g in &input.grades {
        let k = |name: &str| format!("grades.{}.{name}", g.grade.code());
        put(k("loans_per_month"), g.loans_per_month.to_string());
        put(k("amount"), in_units(g.amount_fen, WAN_FEN));
        put(k("term_months"), g.term_months.to_string());
        put(
            k("annual_default_pct"),
            in_units(g.annual_default_bp, PCT_BP),
        );
        put(k("recovery_pct"), g.recovery_pct.to_string());
        put(
            k("recovery_after_months"),
            g.recovery_after_months.to_string(),
        );
    }
    for (i, f) in input.funders.iter().enumerate() {
        put(format!("funders.{i}.label"), f.label.clone());
        put(format!("funders.{i}.ratio"), f.ratio.to_string());
    }
    v
}

/// What a field is called in a problem the page finds itself, in Chinese and English: its
/// label, with the grade or the funder's row it belongs to ("C级年违约率（%）").
fn field_words(field: &str) -> (String, String) {
    let words = |key: &str| {
        crate::i18n::lookup(&format!("whatif_{key}"))
            .map(|(zh, en)| (zh.to_string(), en.to_string()))
            .unwrap_or_else(|| (key.to_string(), key.to_string()))
    };
    let parts: Vec<&str> = field.split('.').collect();
    match parts.as_slice() {
        ["grades", code, column] => {
            let (zh, en) = words(column);
            match Grade::parse(code) {
                Some(g) => (
                    format!("{}{zh}", g.label(Lang::ZhCn)),
                    format!("{}, {}", g.label(Lang::En), en.to_lowercase()),
                ),
                None => (zh, en),
            }
        }
        ["funders", row, column] => {
            let (zh, en) = words(column);
            let row = row.parse::<usize>().map_or(0, |r| r + 1);
            (
                format!("第 {row} 行{zh}"),
                format!("Row {row}, {}", en.to_lowercase()),
            )
        }
        _ => words(field),
    }
}

/// Reads a number typed in the page's unit (万元, percent, or a plain whole number) into the
/// action's (fen, basis points): `factor` of the action's per unit, at most `decimals` decimals.
/// Full-width digits, thousands separators and a percent sign are allowed. A problem names the
/// field in words, since a table's cells have no label of their own beside them.
fn scaled(
    local: &mut Vec<Problem>,
    field: &str,
    raw: &str,
    factor: i64,
    decimals: u32,
) -> Option<i64> {
    let (name_zh, name_en) = field_words(field);
    let mut refuse = |zh: String, en: String| {
        local.push(problem(
            field,
            &format!("{name_zh}：{zh}"),
            &format!("{name_en}: {en}"),
        ));
    };
    let cleaned: String = fruition_domain::uscc::half_width(raw)
        .chars()
        .filter(|c| !matches!(c, ',' | ' ' | '，' | '%'))
        .collect();
    let shown: String = raw.trim().chars().take(20).collect();
    if cleaned.is_empty() {
        refuse("必填".into(), "required".into());
        return None;
    }
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, cleaned.as_str()),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || !digits(whole) || !digits(frac) {
        refuse(
            format!("“{shown}”不是数字"),
            format!("“{shown}” is not a number"),
        );
        return None;
    }
    if frac.len() > decimals as usize {
        if decimals == 0 {
            refuse(
                format!("“{shown}”不是整数"),
                format!("“{shown}” is not a whole number"),
            );
        } else {
            refuse(
                format!("最多保留 {decimals} 位小数"),
                format!("at most {decimals} decimals"),
            );
        }
        return None;
    }
    let scale = 10i128.pow(decimals);
    let frac_value: i128 = format!("{frac:0<width$}", width = decimals as usize)
        .parse()
        .unwrap_or(0);
    let value = whole
        .parse::<i128>()
        .ok()
        .and_then(|w| w.checked_mul(i128::from(factor)))
        .and_then(|w| w.checked_add(frac_value * i128::from(factor) / scale))
        .map(|v| if negative { -v } else { v })
        .and_then(|v| i64::try_from(v).ok());
    if value.is_none() {
        refuse("数值过大".into(), "the number is too large".into());
    }
    value
}

/// The action's input from what was typed, the page's own problems (a number that is not one,
/// a blank field) and which form rows the funders came from. A field with a problem of its own
/// takes its default, so the action still checks everything else.
fn read(typed: &BTreeMap<String, String>) -> (WhatIfInput, Vec<Problem>, Vec<usize>) {
    let d = whatif::defaults();
    let mut local = Vec::new();
    let raw = |k: &str| typed.get(k).map_or("", String::as_str);
    let num = |local: &mut Vec<Problem>, key: &str, factor: i64, decimals: u32, fallback: i64| {
        scaled(local, key, raw(key), factor, decimals).unwrap_or(fallback)
    };
    let grades = Grade::ALL
        .iter()
        .map(|g| {
            let fallback = d
                .grades
                .iter()
                .find(|dg| dg.grade == *g)
                .cloned()
                .unwrap_or_else(|| d.grades[0].clone());
            let mut cell = |name: &str, factor, decimals, fallback| {
                num(
                    &mut local,
                    &format!("grades.{}.{name}", g.code()),
                    factor,
                    decimals,
                    fallback,
                )
            };
            WhatIfGrade {
                grade: *g,
                loans_per_month: cell("loans_per_month", 1, 0, fallback.loans_per_month),
                amount_fen: cell("amount", WAN_FEN, 2, fallback.amount_fen),
                term_months: cell("term_months", 1, 0, fallback.term_months),
                annual_default_bp: cell(
                    "annual_default_pct",
                    PCT_BP,
                    2,
                    fallback.annual_default_bp,
                ),
                recovery_pct: cell("recovery_pct", 1, 0, fallback.recovery_pct),
                recovery_after_months: cell(
                    "recovery_after_months",
                    1,
                    0,
                    fallback.recovery_after_months,
                ),
            }
        })
        .collect();
    // A funder row left blank is not a funder.
    let mut funders = Vec::new();
    let mut rows = Vec::new();
    for i in 0..MAX_FUNDERS {
        let label_key = format!("funders.{i}.label");
        let ratio_key = format!("funders.{i}.ratio");
        if raw(&label_key).trim().is_empty() && raw(&ratio_key).trim().is_empty() {
            continue;
        }
        rows.push(i);
        funders.push(WhatIfFunder {
            label: raw(&label_key).trim().to_string(),
            ratio: num(&mut local, &ratio_key, 1, 0, 1),
        });
    }
    let input = WhatIfInput {
        grades,
        opening_balance_fen: num(
            &mut local,
            "opening_balance",
            WAN_FEN,
            2,
            d.opening_balance_fen,
        ),
        monthly_contribution_fen: num(
            &mut local,
            "monthly_contribution",
            WAN_FEN,
            2,
            d.monthly_contribution_fen,
        ),
        compensation_pct: num(&mut local, "compensation_pct", 1, 0, d.compensation_pct),
        per_loan_cap_fen: num(&mut local, "per_loan_cap", WAN_FEN, 2, d.per_loan_cap_fen),
        breaker_bp: num(&mut local, "breaker_pct", PCT_BP, 2, d.breaker_bp),
        funders,
        months: num(&mut local, "months", 1, 0, d.months),
        runs: num(&mut local, "runs", 1, 0, d.runs),
        seed: num(&mut local, "seed", 1, 0, d.seed),
    };
    (input, local, rows)
}

/// The page's name of a field the action names: its units (`_fen` → 万元, `_bp` → `_pct`) and
/// the form row a funder came from.
fn page_field(field: &str, funder_rows: &[usize]) -> String {
    let field = match field
        .strip_prefix("funders.")
        .and_then(|r| r.split_once('.'))
    {
        Some((k, tail)) => match k.parse::<usize>().ok().and_then(|k| funder_rows.get(k)) {
            Some(row) => format!("funders.{row}.{tail}"),
            None => field.to_string(),
        },
        None => field.to_string(),
    };
    if let Some(base) = field.strip_suffix("_fen") {
        base.to_string()
    } else if let Some(base) = field.strip_suffix("_bp") {
        format!("{base}_pct")
    } else {
        field
    }
}

fn for_page(e: AppError, funder_rows: &[usize]) -> AppError {
    match e {
        AppError::Invalid(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|p| Problem {
                    field: page_field(&p.field, funder_rows),
                    ..p
                })
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_go_both_ways() {
        assert_eq!(in_units(10_000 * WAN_FEN, WAN_FEN), "10000");
        assert_eq!(in_units(2_500_000, WAN_FEN), "2.5");
        assert_eq!(in_units(75, PCT_BP), "0.75");
        assert_eq!(in_units(800, PCT_BP), "8");
        let mut local = Vec::new();
        assert_eq!(
            scaled(&mut local, "a", "１，２００．５", WAN_FEN, 2),
            Some(1_200_500_000)
        );
        assert_eq!(scaled(&mut local, "b", "0.75%", PCT_BP, 2), Some(75));
        assert_eq!(scaled(&mut local, "c", "-3", 1, 0), Some(-3));
        assert!(local.is_empty());
        assert_eq!(scaled(&mut local, "d", "", 1, 0), None);
        assert_eq!(scaled(&mut local, "e", "3.5", 1, 0), None);
        assert_eq!(scaled(&mut local, "f", "1.234", PCT_BP, 2), None);
        assert_eq!(scaled(&mut local, "g", "abc", 1, 0), None);
        assert_eq!(
            scaled(&mut local, "h", "99999999999999999999999", WAN_FEN, 2),
            None
        );
        let fields: Vec<&str> = local.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["d", "e", "f", "g", "h"]);
        // A problem says which field it is about, a table's cell included.
        let mut local = Vec::new();
        scaled(&mut local, "grades.c.annual_default_pct", "abc", PCT_BP, 2);
        scaled(&mut local, "funders.1.ratio", "", 1, 0);
        scaled(&mut local, "opening_balance", "很多", WAN_FEN, 2);
        let zh: Vec<&str> = local.iter().map(|p| p.zh.as_str()).collect();
        assert_eq!(
            zh,
            [
                "C级年违约率（%）：“abc”不是数字",
                "第 2 行出资比例：必填",
                "期初余额（万元）：“很多”不是数字"
            ]
        );
        assert_eq!(
            local[0].en,
            "Grade C, defaults a year (%): “abc” is not a number"
        );
    }

    #[test]
    fn the_defaults_read_back_unchanged() {
        let d = whatif::defaults();
        let (input, local, rows) = read(&values_of(&d));
        assert!(local.is_empty(), "{local:?}");
        assert_eq!(input, d);
        assert_eq!(rows, [0, 1, 2]);
    }

    #[test]
    fn the_actions_fields_are_named_as_the_page_names_them() {
        assert_eq!(page_field("opening_balance_fen", &[]), "opening_balance");
        assert_eq!(
            page_field("grades.c.annual_default_bp", &[]),
            "grades.c.annual_default_pct"
        );
        assert_eq!(page_field("grades.c.amount_fen", &[]), "grades.c.amount");
        assert_eq!(page_field("funders.1.ratio", &[0, 3]), "funders.3.ratio");
        assert_eq!(page_field("runs", &[]), "runs");
        // Every field the page shows is one the form sends.
        let names = field_names();
        for key in values_of(&whatif::defaults()).keys() {
            assert!(names.contains(key), "{key}");
        }
    }
}
