//! The city's capital figures for a year, which every signed-in user reads: the venture capital
//! available to incubatees (by kind of fund), the year's investments, the incubatees financed
//! and their share; each carrier's seed fund against a national incubator's 500万元 line and its
//! financed incubatees against the 10 % line, each marked met or not; and their workbook.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use fruition_sheets::{Sheet, Value};
use serde::Deserialize;

use super::super::credit::SubNav;
use super::super::export::{self, Export};
use super::super::forms::Opt;
use super::super::{Chrome, error_page, render_status};
use super::{fen_as_wan, k_as_wan, pct, subnav};
use crate::AppState;
use crate::auth::PageUser;
use crate::error::{AppError, HttpError};
use fruition_app::capital::capital_label;
use fruition_app::capital::portfolio::{self as actions, CapitalYear, CarrierCapital, KindCapital};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capital/statistics", get(page))
        .route("/capital/statistics/export.xlsx", get(page))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

/// One carrier's line as the page reads it.
struct CarrierLine {
    c: CarrierCapital,
    seed_wan: String,
    financed_share: String,
    amount: String,
}

/// One kind's line.
struct KindLine {
    k: KindCapital,
    label: &'static str,
    capital: String,
}

#[derive(Template)]
#[template(path = "capital_statistics.html")]
struct StatisticsPage {
    c: Chrome,
    sub: SubNav,
    y: CapitalYear,
    years: Vec<Opt>,
    kinds: Vec<KindLine>,
    carriers: Vec<CarrierLine>,
    financed_share: String,
    export_href: String,
}

/// The year asked for: last year unless another is given; one that is not a year is a
/// problem beside the field (and the page shows last year).
fn year_of(q: &YearQuery) -> (i64, Option<AppError>) {
    let default = fruition_app::clock::this_year() - 1;
    match q.year.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => (default, None),
        Some(s) => match s.parse::<i64>() {
            Ok(y) if (1949..=2200).contains(&y) => (y, None),
            _ => (
                default,
                Some(AppError::Invalid(vec![crate::error::Problem {
                    field: "year".into(),
                    zh: "年份应为 1949 到 2200 之间的整数".into(),
                    en: "The year is a whole number from 1949 to 2200".into(),
                }])),
            ),
        },
    }
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    export: Export,
    PageQuery(q): PageQuery<YearQuery>,
) -> Response {
    let (year, year_err) = year_of(&q);
    let y = match actions::capital_year(&state, year).await {
        Ok(y) => y,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/capital/statistics",
        "capital_statistics",
    );
    if export.xlsx {
        return workbook(&c, &y);
    }
    if let Some(e) = &year_err {
        c = c.with_errors(e);
    }
    let this_year = fruition_app::clock::this_year();
    let mut years: Vec<i64> = (2015.min(year)..=this_year.max(year)).rev().collect();
    years.dedup();
    let page = StatisticsPage {
        sub: subnav(&c, &authed, "/capital/statistics"),
        years: years
            .into_iter()
            .map(|x| Opt::new(x.to_string(), x.to_string(), x == year))
            .collect(),
        kinds: y
            .by_kind
            .iter()
            .map(|k| KindLine {
                label: k.kind.label(c.lang),
                capital: capital_label(k.capital_k.saturating_mul(100_000)),
                k: k.clone(),
            })
            .collect(),
        carriers: y
            .carriers
            .iter()
            .map(|cc| CarrierLine {
                seed_wan: k_as_wan(cc.seed_fund_k),
                financed_share: pct(cc.financed_bp),
                amount: capital_label(cc.amount_fen),
                c: cc.clone(),
            })
            .collect(),
        financed_share: pct(y.incubatees_financed_bp),
        export_href: format!("/capital/statistics/export.xlsx?year={year}"),
        y,
        c,
    };
    let status = year_err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

/// The year's figures as a workbook: the figures, the kinds, the carriers (amounts in 万元).
fn workbook(c: &Chrome, y: &CapitalYear) -> Response {
    let lang = c.lang;
    let met = |ok: bool| {
        Value::from(if ok {
            c.t("line_met")
        } else {
            c.t("line_not_met")
        })
    };
    let figures: Vec<(&str, Value)> = vec![
        (c.t("year"), Value::from(y.year)),
        (
            c.t("capital_available_wan"),
            Value::Float(y.capital_k as f64 / 10.0),
        ),
        (c.t("capital_funds_counted"), Value::from(y.funds)),
        (c.t("year_investments"), Value::from(y.investments)),
        (
            c.t("year_invested_wan"),
            Value::Float(fen_as_wan(y.invested_fen)),
        ),
        (
            c.t("enterprises_financed"),
            Value::from(y.enterprises_financed),
        ),
        (c.t("incubatees"), Value::from(y.incubatees)),
        (
            c.t("incubatees_financed"),
            Value::from(y.incubatees_financed),
        ),
        (
            c.t("incubatees_financed_pct"),
            Value::Float(y.incubatees_financed_bp as f64 / 100.0),
        ),
    ];
    let summary = Sheet {
        name: c.t("capital_statistics").to_string(),
        headers: vec![c.t("figure").to_string(), c.t("value").to_string()],
        rows: figures
            .into_iter()
            .map(|(k, v)| vec![Value::from(k), v])
            .collect(),
    };
    let kinds = export::sheet(
        c.t("capital_by_kind"),
        &y.by_kind,
        &[
            (c.t("fund_kind"), &|k: &KindCapital| {
                k.kind.label(lang).into()
            }),
            (c.t("capital_funds_counted"), &|k: &KindCapital| {
                k.funds.into()
            }),
            (c.t("capital_available_wan"), &|k: &KindCapital| {
                Value::Float(k.capital_k as f64 / 10.0)
            }),
        ],
    );
    let carriers = export::sheet(
        c.t("carrier_capital"),
        &y.carriers,
        &[
            (c.t("carrier"), &|x: &CarrierCapital| {
                x.carrier_name.as_str().into()
            }),
            (c.t("seed_fund_wan"), &|x: &CarrierCapital| {
                Value::Float(x.seed_fund_k as f64 / 10.0)
            }),
            (c.t("seed_fund_line"), &|x: &CarrierCapital| {
                met(x.meets_seed_line)
            }),
            (c.t("incubatees"), &|x: &CarrierCapital| x.incubatees.into()),
            (c.t("incubatees_financed"), &|x: &CarrierCapital| {
                x.financed.into()
            }),
            (c.t("incubatees_financed_pct"), &|x: &CarrierCapital| {
                Value::Float(x.financed_bp as f64 / 100.0)
            }),
            (c.t("financed_share_line"), &|x: &CarrierCapital| {
                met(x.meets_financed_line)
            }),
            (c.t("year_invested_wan"), &|x: &CarrierCapital| {
                Value::Float(fen_as_wan(x.amount_fen))
            }),
        ],
    );
    let name = format!("{}{}", c.t("capital_statistics"), y.year);
    export::download(&name, &[summary, kinds, carriers])
}

#[cfg(test)]
mod tests {
    use fruition_domain::fund::{FINANCED_SHARE_LINE_PERCENT, SEED_FUND_LINE_K};
    use fruition_domain::lang::Lang;

    /// The lines the page states are the ones the figures are marked against.
    #[test]
    fn the_stated_lines_are_the_domains() {
        let seed = super::k_as_wan(SEED_FUND_LINE_K);
        let share = format!("{FINANCED_SHARE_LINE_PERCENT}%");
        for lang in [Lang::ZhCn, Lang::En] {
            let hint = crate::i18n::t(lang, "carrier_capital_hint");
            assert!(hint.contains(&format!("{seed} ")), "{hint}");
            assert!(hint.contains(&share), "{hint}");
        }
    }
}
