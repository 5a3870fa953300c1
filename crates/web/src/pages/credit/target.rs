//! The city's lending target (the reply's 30亿元): what has been issued, to how many
//! enterprises, how far along the target, and the breakdowns by year, bank, county, sector and
//! grade as server-drawn charts with their tables. The figures are the city's public statistics:
//! every signed-in user may read them.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_charts::ChartOptions;
use serde::Deserialize;

use super::super::forms::{Opt, ctx};
use super::super::{Chrome, error_page, render};
use super::{SubNav, plain_yi, subnav, wan_label};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use fruition_app::credit::target::{self as actions, TallyLine, TargetQuery, TargetView};

pub fn router() -> Router<AppState> {
    Router::new().route("/credit/target", get(page))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<String>,
}

/// One breakdown: its heading, its first column's header, its chart and its lines.
struct Breakdown {
    id: &'static str,
    heading: &'static str,
    key_header: &'static str,
    svg: String,
    lines: Vec<TallyLine>,
}

#[derive(Template)]
#[template(path = "credit_target.html")]
struct TargetPage {
    c: Chrome,
    sub: SubNav,
    t: TargetView,
    years: Vec<Opt>,
    breakdowns: Vec<Breakdown>,
    target_label: String,
    issued_label: String,
    /// Issued over target as a person reads it (`12.3%`).
    progress: String,
}

/// A bar chart of a breakdown's amounts in 万元.
fn chart(c: &Chrome, id: &str, title: &str, lines: &[TallyLine], horizontal: bool) -> String {
    let opts = ChartOptions {
        id: id.into(),
        title: title.into(),
        description: c.t("target_chart_description").into(),
        width: 640,
        height: 360,
        unit: c.t("wan_yuan").into(),
    };
    let labels: Vec<String> = lines.iter().map(|l| l.label.clone()).collect();
    let values: Vec<f64> = lines
        .iter()
        .map(|l| l.amount_fen as f64 / 1_000_000.0)
        .collect();
    if horizontal {
        fruition_charts::horizontal_bar(&opts, &labels, &values)
    } else {
        fruition_charts::bar(&opts, &labels, &values)
    }
}

/// Issued over target in basis points (two decimals of a percentage: 100万 of 30亿 is 0.03%).
fn progress_bp(issued_fen: i64, target_fen: i64) -> i64 {
    if target_fen <= 0 {
        return 0;
    }
    i64::try_from(i128::from(issued_fen) * 10_000 / i128::from(target_fen)).unwrap_or(i64::MAX)
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<YearQuery>,
) -> Response {
    let cx = ctx(&authed, ip);
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (1949..=2200).contains(y));
    let t = match actions::target(&state, &cx, &TargetQuery { year }).await {
        Ok(t) => t,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/credit/target",
        "credit_target",
    );
    let of_year = match year {
        Some(y) => format!("{y}{}", c.t("year_suffix")),
        None => c.t("all_years").to_string(),
    };
    let mut breakdowns = Vec::new();
    for (id, key, header, lines, horizontal) in [
        ("by-year", "target_by_year", "year", &t.by_year, false),
        (
            "by-bank",
            "target_by_bank",
            "partner_bank",
            &t.by_bank,
            true,
        ),
        (
            "by-county",
            "target_by_county",
            "county",
            &t.by_county,
            true,
        ),
        (
            "by-sector",
            "target_by_sector",
            "sector",
            &t.by_sector,
            true,
        ),
        (
            "by-grade",
            "target_by_grade",
            "loan_grade",
            &t.by_grade,
            false,
        ),
    ] {
        let heading = c.t(key);
        // The years are every year's; the rest are the year chosen.
        let title = if id == "by-year" {
            heading.to_string()
        } else {
            format!("{heading}（{of_year}）")
        };
        breakdowns.push(Breakdown {
            id,
            heading,
            key_header: c.t(header),
            svg: chart(&c, id, &title, lines, horizontal),
            lines: lines.clone(),
        });
    }
    let this_year = fruition_app::clock::this_year();
    let mut year_list: Vec<i64> = t
        .by_year
        .iter()
        .filter_map(|l| l.key.parse().ok())
        .collect();
    year_list.push(this_year);
    year_list.sort_unstable_by_key(|y| std::cmp::Reverse(*y));
    year_list.dedup();
    let page = TargetPage {
        sub: subnav(&c, &authed, "/credit/target"),
        years: year_list
            .into_iter()
            .map(|y| Opt::new(y.to_string(), y.to_string(), Some(y) == year))
            .collect(),
        target_label: format!("{}{}", plain_yi(t.target_fen), c.t("yi_yuan")),
        issued_label: wan_label(t.issued_fen),
        progress: fruition_app::credit::rate_label(progress_bp(t.issued_fen, t.target_fen)),
        breakdowns,
        t,
        c,
    };
    render(&page)
}
