//! `/api/v1/statistics` and `/api/v1/annual-report`: the registry's figures for a year, from
//! approved reports only.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use fruition_domain::carrier::{CarrierKind, Level};
use serde::Deserialize;
use utoipa::IntoParams;

use super::Caller;
use crate::AppState;
use crate::error::{ApiQuery, ApiResult, AppError, ErrorBody};
use fruition_app::statistics::{self, Filters};
use fruition_app::statistics::{
    AnnualReportView, KindCount, NamedCount, SectionView, StatisticsView, YearFiguresView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/statistics", get(dashboard))
        .route("/annual-report", get(annual_report))
        .route("/annual-report/export.docx", get(annual_report_docx))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct StatsQuery {
    /// The year (default: the latest year with approved reports, else last year).
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
    pub kind: Option<CarrierKind>,
    pub level: Option<Level>,
    /// A functional zone's code (zz_hitech) or a county's GB/T 2260 code.
    pub place: Option<String>,
}

/// The year asked for, else the latest year with approved reports (else last year).
async fn year_or_default(state: &AppState, year: Option<super::Year>) -> Result<i64, AppError> {
    match year {
        Some(y) => Ok(y.0),
        None => statistics::default_year(state).await,
    }
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
    let year = year_or_default(&state, q.year).await?;
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
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// The year (default: the latest year with approved reports, else last year).
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
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
    let year = year_or_default(&state, q.year).await?;
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

/// The annual summary as a Word document (.docx): the report under its headings, then the
/// annual report's tables with native Word charts; the interface language of the request
/// (Accept-Language) for the tables' headers.
#[utoipa::path(get, path = "/api/v1/annual-report/export.docx", tag = "statistics", params(YearQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The report as a Word document",
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn annual_report_docx(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Response> {
    let year = year_or_default(&state, q.year).await?;
    let lang = crate::i18n::lang_of(&headers);
    let (name, bytes) = crate::annual_document::docx(&state, &caller.ctx(), year, lang).await?;
    Ok(crate::download::file_response(
        StatusCode::OK,
        &name,
        fruition_docx::DOCX,
        bytes,
    ))
}
