//! `/api/v1/evaluations`: the bureau's yearly evaluation of carriers (载体绩效评价, after
//! 国科火字〔2019〕239号) — rounds with their scheme, computing from the approved reports,
//! adjustments with a reason, publication; a carrier's results with their working; the results
//! as a workbook.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::evaluations::{
    self, AdjustInput, CarrierEvaluationView, ResultDetail, RoundDetail, RoundInput, RoundView,
};

use crate::AppState;
use crate::api::Caller;
use crate::download::xlsx_response;
use crate::error::{ApiJson, ApiResult, ErrorBody, Id, Ids};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/evaluations", get(list_rounds).post(create_round))
        .route("/evaluations/{id}", get(get_round))
        .route("/evaluations/{id}/compute", post(compute_round))
        .route("/evaluations/{id}/publish", post(publish_round))
        .route("/evaluations/{id}/results.xlsx", get(export_results))
        .route(
            "/evaluations/{id}/results/{carrier_id}",
            get(get_result).put(adjust_result),
        )
        .route("/carriers/{id}/evaluations", get(carrier_evaluations))
}

/// Evaluation rounds, the latest year first: every round for the bureau, the published ones for
/// the bureau's viewers and carrier operators.
#[utoipa::path(get, path = "/api/v1/evaluations", tag = "evaluations",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [RoundView]), (status = 403, body = ErrorBody)))]
pub async fn list_rounds(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<Vec<RoundView>>> {
    Ok(Json(evaluations::list(&state, &caller.ctx()).await?))
}

/// The bureau creates a draft round for a year, with the city's default scheme or its own
/// indicators, weights (summing to 100) and grade cut-offs.
#[utoipa::path(post, path = "/api/v1/evaluations", tag = "evaluations", request_body = RoundInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = RoundView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_round(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<RoundInput>,
) -> ApiResult<(StatusCode, Json<RoundView>)> {
    let r = evaluations::create(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// A round with its results, best first: every carrier's for the bureau (and, once published,
/// its viewers), a carrier operator's own carriers' once published.
#[utoipa::path(get, path = "/api/v1/evaluations/{id}", tag = "evaluations", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RoundDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_round(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<RoundDetail>> {
    Ok(Json(evaluations::get(&state, &caller.ctx(), id).await?))
}

/// The bureau computes (or recomputes) a round from the approved reports of its year, in one
/// pass over every carrier; adjustments are kept. 409 `status` once published.
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/compute", tag = "evaluations", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RoundDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn compute_round(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<RoundDetail>> {
    Ok(Json(evaluations::compute(&state, &caller.ctx(), id).await?))
}

/// The bureau publishes a computed round: it is frozen, and each evaluated carrier's operator is
/// told in its inbox. 409 `status` unless computed.
#[utoipa::path(post, path = "/api/v1/evaluations/{id}/publish", tag = "evaluations", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RoundView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn publish_round(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<RoundView>> {
    Ok(Json(evaluations::publish(&state, &caller.ctx(), id).await?))
}

/// A round's results as an .xlsx workbook (rank, carrier, each indicator's value, scores,
/// adjustment and its reason, grade): what the caller may read of the round.
#[utoipa::path(get, path = "/api/v1/evaluations/{id}/results.xlsx", tag = "evaluations", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The results",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn export_results(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, bytes) = evaluations::workbook(&state, &caller.ctx(), id).await?;
    Ok(xlsx_response(StatusCode::OK, &name, bytes))
}

/// One carrier's result with its working: each indicator's value, the best of its kind, score,
/// weight and points. The bureau; once published, the bureau's viewers and the carrier's operator.
#[utoipa::path(get, path = "/api/v1/evaluations/{id}/results/{carrier_id}", tag = "evaluations",
    params(("id" = i64, Path), ("carrier_id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ResultDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_result(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, carrier_id): Ids,
) -> ApiResult<Json<ResultDetail>> {
    Ok(Json(
        evaluations::result(&state, &caller.ctx(), id, carrier_id).await?,
    ))
}

/// The bureau adjusts a carrier's computed score by −10 to 10 points with a reason (4–500
/// characters); the final score and grade follow and the change is audited. 409 `status` unless
/// the round is computed and not published.
#[utoipa::path(put, path = "/api/v1/evaluations/{id}/results/{carrier_id}", tag = "evaluations",
    params(("id" = i64, Path), ("carrier_id" = i64, Path)), request_body = AdjustInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ResultDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn adjust_result(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, carrier_id): Ids,
    ApiJson(input): ApiJson<AdjustInput>,
) -> ApiResult<Json<ResultDetail>> {
    Ok(Json(
        evaluations::adjust(&state, &caller.ctx(), id, carrier_id, &input).await?,
    ))
}

/// A carrier's evaluations, the latest year first: every round's for the bureau, the published
/// ones for the bureau's viewers and the carrier's operator.
#[utoipa::path(get, path = "/api/v1/carriers/{id}/evaluations", tag = "evaluations", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [CarrierEvaluationView]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn carrier_evaluations(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<Vec<CarrierEvaluationView>>> {
    Ok(Json(
        evaluations::for_carrier(&state, &caller.ctx(), id).await?,
    ))
}
