//! `/api/v1/capital/funds`: funds, their sub-funds and portfolios; `/api/v1/capital/statistics`:
//! the city's capital figures for a year.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use fruition_app::capital::funds::{self, FundDetail, FundInput, FundQuery, FundView};
use fruition_app::capital::investments::{self, InvestmentExitView};
use fruition_app::capital::portfolio::{self, CapitalYear};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capital/funds", get(list_funds).post(create_fund))
        .route("/capital/funds/{id}", get(get_fund).put(update_fund))
        .route("/capital/funds/{id}/exits", get(fund_exits))
        .route("/capital/statistics", get(capital_statistics))
}

/// Funds, largest first (names, managers and sizes are public to signed-in users); each with its
/// portfolio figures where the caller is its manager or the bureau.
#[utoipa::path(get, path = "/api/v1/capital/funds", tag = "capital", params(FundQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [FundView]), (status = 422, body = ErrorBody)))]
pub async fn list_funds(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<FundQuery>,
) -> ApiResult<Json<Vec<FundView>>> {
    Ok(Json(funds::list(&state, &caller.ctx(), &q).await?))
}

/// Registers a fund: the bureau for any manager; an investor (or a carrier operator, for its
/// seed fund) for itself. A sub-fund names its guidance fund; a seed fund may name its carrier.
#[utoipa::path(post, path = "/api/v1/capital/funds", tag = "capital", request_body = FundInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FundDetail), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "A fund of that name exists"), (status = 422, body = ErrorBody)))]
pub async fn create_fund(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FundInput>,
) -> ApiResult<(StatusCode, Json<FundDetail>)> {
    let d = funds::create(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A fund with its sub-funds and, for its manager and the bureau, its positions and figures.
#[utoipa::path(get, path = "/api/v1/capital/funds/{id}", tag = "capital", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FundDetail), (status = 404, body = ErrorBody)))]
pub async fn get_fund(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<FundDetail>> {
    Ok(Json(funds::get(&state, &caller.ctx(), id).await?))
}

/// Changes a fund (its manager's users who can write, or the bureau); the size may not fall
/// below what it has invested (409 `size_k`).
#[utoipa::path(put, path = "/api/v1/capital/funds/{id}", tag = "capital", params(("id" = i64, Path)), request_body = FundInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FundDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_fund(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<FundInput>,
) -> ApiResult<Json<FundDetail>> {
    Ok(Json(
        funds::update(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// A fund's exits, the latest first (its manager and the bureau).
#[utoipa::path(get, path = "/api/v1/capital/funds/{id}/exits", tag = "capital", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [InvestmentExitView]), (status = 404, body = ErrorBody)))]
pub async fn fund_exits(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Vec<InvestmentExitView>>> {
    Ok(Json(investments::exits(&state, &caller.ctx(), id).await?))
}

/// The year asked for.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CapitalYearQuery {
    #[param(minimum = 1949, maximum = 2200)]
    pub year: i64,
}

/// The city's capital figures for a year: venture capital available to incubatees, the year's
/// investments, incubatees financed, and each carrier's seed fund and financed share against a
/// national incubator's lines (≥ 500万元, ≥ 10 %).
#[utoipa::path(get, path = "/api/v1/capital/statistics", tag = "capital", params(CapitalYearQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CapitalYear), (status = 422, body = ErrorBody)))]
pub async fn capital_statistics(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<CapitalYearQuery>,
) -> ApiResult<Json<CapitalYear>> {
    Ok(Json(portfolio::capital_year(&state, q.year).await?))
}
