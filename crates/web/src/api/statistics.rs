//! `/api/v1/statistics` and `/api/v1/annual-report`: the registry's figures for a year, from
//! approved reports only.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use fruition_domain::carrier::{CarrierKind, Level};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use crate::AppState;
use crate::error::{ApiQuery, ApiResult, ErrorBody};
use fruition_app::statistics::{self, Filters};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(dashboard))
        .route("/annual-report", get(annual_report))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// The year (default: last year).
    pub year: Option<i64>,
    pub kind: Option<CarrierKind>,
    pub level: Option<Level>,
    /// A functional zone's code (zz_hitech) or a county's GB/T 2260 code.
    pub place: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct KindCount {
    pub kind: String,
    pub national: i64,
    pub provincial: i64,
    pub municipal: i64,
    pub unrated: i64,
    pub total: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NamedCount {
    pub code: Option<String>,
    pub name: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct YearFiguresView {
    pub year: i64,
    pub incubatees: i64,
    pub employees: i64,
    pub high_level_talent: i64,
    pub patent_applications: i64,
    pub patent_grants: i64,
    pub revenue_k: i64,
    pub rd_spending_k: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StatisticsView {
    pub year: i64,
    /// Carriers in the registry at the year's end (matching the filters).
    pub carriers: i64,
    pub by_kind: Vec<KindCount>,
    /// Zone first where a carrier is in one, else its county.
    pub by_place: Vec<NamedCount>,
    pub by_focus_chain: Vec<NamedCount>,
    /// Incubatees in approved reports, by industrial chain.
    pub incubatees_by_chain: Vec<NamedCount>,
    /// The five years up to `year` (approved reports).
    pub trend: Vec<YearFiguresView>,
}

fn default_year() -> i64 {
    fruition_app::clock::this_year() - 1
}

/// Carriers by kind, level and place at the year's end; incubatees, talent and patents from
/// approved reports, by chain and over five years.
#[utoipa::path(get, path = "/api/v1/statistics", tag = "statistics", params(StatsQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = StatisticsView), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn dashboard(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<StatsQuery>,
) -> ApiResult<Json<StatisticsView>> {
    let year = q.year.unwrap_or_else(default_year);
    let f = Filters {
        kind: q.kind,
        level: q.level,
        place: q.place.filter(|p| !p.is_empty()),
    };
    let d = statistics::dashboard(&state, year, &f).await?;
    Ok(Json(StatisticsView {
        year: d.year,
        carriers: d.carriers_total,
        by_kind: d
            .by_kind
            .into_iter()
            .map(|k| KindCount {
                kind: k.kind,
                national: k.national,
                provincial: k.provincial,
                municipal: k.municipal,
                unrated: k.unrated,
                total: k.total,
            })
            .collect(),
        by_place: d
            .by_place
            .into_iter()
            .map(|(p, n)| NamedCount {
                code: Some(p.code),
                name: p.name,
                count: n,
            })
            .collect(),
        by_focus_chain: d
            .by_focus_chain
            .into_iter()
            .map(|(name, n)| NamedCount {
                code: None,
                name,
                count: n,
            })
            .collect(),
        incubatees_by_chain: d
            .incubatees_by_chain
            .into_iter()
            .map(|(name, n)| NamedCount {
                code: None,
                name,
                count: n,
            })
            .collect(),
        trend: d
            .trend
            .into_iter()
            .map(|t| YearFiguresView {
                year: t.year,
                incubatees: t.incubatees,
                employees: t.employees,
                high_level_talent: t.high_level_talent,
                patent_applications: t.patent_applications,
                patent_grants: t.patent_grants,
                revenue_k: t.revenue_k,
                rd_spending_k: t.rd_spending_k,
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The year (default: last year).
    pub year: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SectionView {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AnnualReportView {
    pub year: i64,
    pub title: String,
    pub sections: Vec<SectionView>,
    /// The whole report as plain text.
    pub text: String,
}

/// The annual summary in the form of §一 of the bureau's reply: scale, layout, innovation
/// capacity, finance, spin-offs — worded as the bureau words figures.
#[utoipa::path(get, path = "/api/v1/annual-report", tag = "statistics", params(YearQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = AnnualReportView), (status = 401, body = ErrorBody)))]
pub async fn annual_report(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<AnnualReportView>> {
    let year = q.year.unwrap_or_else(default_year);
    let a = statistics::annual(&state, year).await?;
    Ok(Json(AnnualReportView {
        year,
        text: a.report.text(),
        title: a.report.title,
        sections: a
            .report
            .sections
            .into_iter()
            .map(|s| SectionView {
                heading: s.heading,
                paragraphs: s.paragraphs,
            })
            .collect(),
    }))
}
