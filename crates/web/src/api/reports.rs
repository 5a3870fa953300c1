//! `/api/v1/reports`: carriers' yearly reports, their checks and review.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{delete, get, post, put};
use axum::{Json, Router};
use fruition_domain::report::ReportStatus;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id, Ids};
use fruition_app::reminders::ReminderOutcome;
use fruition_app::reports::{self, IndicatorInput, ReviewInput};
use fruition_app::reports::{
    CarrierFiguresDoc, DeadlineView, LateView, ReportDetailView, ReportRowView, ReportView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list))
        .route("/reports/late", get(late))
        .route("/reports/deadline", get(deadline).put(set_deadline))
        .route("/reports/late/reminders", post(remind_late))
        .route("/carriers/{id}/reports", post(open))
        .route("/reports/{id}", get(get_one))
        .route("/reports/{id}/figures", put(set_figures))
        .route("/reports/{id}/indicators", put(set_indicators))
        .route(
            "/reports/{id}/indicators/{enterprise_id}",
            delete(remove_indicators),
        )
        .route("/reports/{id}/submission", post(submit))
        .route("/reports/{id}/review", post(review))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
    pub status: Option<ReportStatus>,
}

/// Reports the caller may see: all for the bureau, their own carriers' for an operator.
#[utoipa::path(get, path = "/api/v1/reports", tag = "reports", params(ListQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ReportView])))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<ReportView>>> {
    Ok(Json(
        reports::list(&state, &caller.ctx(), q.year.map(|y| y.0), q.status)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    #[param(value_type = i64, minimum = 1949, maximum = 2200)]
    pub year: super::Year,
}

/// Carriers whose report for the year is not approved (bureau).
#[utoipa::path(get, path = "/api/v1/reports/late", tag = "reports", params(YearQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [LateView]), (status = 403, body = ErrorBody)))]
pub async fn late(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<Vec<LateView>>> {
    Ok(Json(reports::late(&state, &caller.ctx(), q.year.0).await?))
}

/// When the year's reports are due (报送截止日期): the bureau's day, or 31 March of the
/// following year by default; with the days left (anyone signed in).
#[utoipa::path(get, path = "/api/v1/reports/deadline", tag = "reports", params(YearQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DeadlineView), (status = 422, body = ErrorBody)))]
pub async fn deadline(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<DeadlineView>> {
    Ok(Json(reports::deadline(&state, q.year.0).await?))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeadlineInput {
    #[schema(value_type = i64, minimum = 1949, maximum = 2200)]
    pub year: super::Year,
    /// The last day a report is on time (`2026-03-31`, also `2026年3月31日`): after the reporting
    /// year, no later than the end of the year after it.
    #[schema(example = "2026-03-31")]
    pub due_on: String,
}

/// Sets or moves the deadline for a year's reports (bureau); audited. The carriers' home pages
/// count down to it, and the bureau's lists a report as late only after it.
#[utoipa::path(put, path = "/api/v1/reports/deadline", tag = "reports", request_body = DeadlineInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DeadlineView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_deadline(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<DeadlineInput>,
) -> ApiResult<Json<DeadlineView>> {
    Ok(Json(
        reports::set_deadline(&state, &caller.ctx(), input.year.0, &input.due_on).await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LateReminderInput {
    #[schema(value_type = i64, minimum = 1949, maximum = 2200)]
    pub year: super::Year,
    /// One late carrier; without it, every carrier late that year.
    #[serde(default)]
    pub carrier_id: Option<i64>,
}

/// Reminds late carriers of the year's report (催报), one or all: each carrier's operator is
/// told in its inbox, at most once a day; recorded in the audit log (bureau).
#[utoipa::path(post, path = "/api/v1/reports/late/reminders", tag = "reports", request_body = LateReminderInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReminderOutcome), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn remind_late(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<LateReminderInput>,
) -> ApiResult<Json<ReminderOutcome>> {
    Ok(Json(
        fruition_app::reminders::late_reports(
            &state,
            &caller.ctx(),
            input.year.0,
            input.carrier_id,
        )
        .await?,
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenInput {
    #[schema(value_type = i64, minimum = 1949, maximum = 2200)]
    pub year: super::Year,
}

/// Starts (or returns) the carrier's report for a year (the carrier's managers).
#[utoipa::path(post, path = "/api/v1/carriers/{id}/reports", tag = "reports", params(("id" = i64, Path)), request_body = OpenInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<OpenInput>,
) -> ApiResult<Json<ReportView>> {
    Ok(Json(
        reports::open(&state, &caller.ctx(), id, input.year.0)
            .await?
            .into(),
    ))
}

/// A report with its rows, its checks and its review history.
#[utoipa::path(get, path = "/api/v1/reports/{id}", tag = "reports", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportDetailView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ReportDetailView>> {
    let d = reports::get(&state, &caller.ctx(), id).await?;
    Ok(Json(ReportDetailView {
        report: d.report.into(),
        rows: d
            .rows
            .into_iter()
            .map(|r| ReportRowView {
                indicators: r.indicators(),
                enterprise_id: r.enterprise_id,
                uscc: r.uscc,
                enterprise_name: r.enterprise_name,
                chain_code: r.chain_code,
            })
            .collect(),
        errors: d.errors,
        warnings: d.warnings,
        reviews: d.reviews.into_iter().map(Into::into).collect(),
    }))
}

/// Sets the carrier's own figures (while the report is a draft or returned).
#[utoipa::path(put, path = "/api/v1/reports/{id}/figures", tag = "reports", params(("id" = i64, Path)), request_body = CarrierFiguresDoc,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_figures(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CarrierFiguresDoc>,
) -> ApiResult<Json<ReportView>> {
    Ok(Json(
        reports::set_figures(&state, &caller.ctx(), id, &input.into())
            .await?
            .into(),
    ))
}

/// Sets one incubatee's figures in the report; impossible figures are refused naming the field.
#[utoipa::path(put, path = "/api/v1/reports/{id}/indicators", tag = "reports", params(("id" = i64, Path)), request_body = IndicatorInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportRowView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_indicators(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<IndicatorInput>,
) -> ApiResult<Json<ReportRowView>> {
    let r = reports::set_indicators(&state, &caller.ctx(), id, &input).await?;
    Ok(Json(ReportRowView {
        indicators: r.indicators(),
        enterprise_id: r.enterprise_id,
        uscc: r.uscc,
        enterprise_name: r.enterprise_name,
        chain_code: r.chain_code,
    }))
}

/// Removes an enterprise's figures from an editable report.
#[utoipa::path(delete, path = "/api/v1/reports/{id}/indicators/{enterprise_id}", tag = "reports", params(("id" = i64, Path), ("enterprise_id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remove_indicators(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, enterprise_id): Ids,
) -> ApiResult<StatusCode> {
    reports::remove_indicators(&state, &caller.ctx(), id, enterprise_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Submits the report to the bureau; refused (422) with every blocking problem.
#[utoipa::path(post, path = "/api/v1/reports/{id}/submission", tag = "reports", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ReportView>> {
    Ok(Json(
        reports::submit(&state, &caller.ctx(), id).await?.into(),
    ))
}

/// Returns a submitted report with a comment, approves it, or reopens an approved one (bureau).
#[utoipa::path(post, path = "/api/v1/reports/{id}/review", tag = "reports", params(("id" = i64, Path)), request_body = ReviewInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ReportView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ReviewInput>,
) -> ApiResult<Json<ReportView>> {
    Ok(Json(
        reports::review(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}
