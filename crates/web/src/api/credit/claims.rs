//! `/api/v1/credit/claims`: compensation claims, the bureau's decisions and payments, and the
//! banks' recoveries.

use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::credit::claims::{
    self, CompensationClaimView, CompensationStepInput, RecoveryInput,
};
use fruition_domain::pool::CompensationStatus;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/claims", get(list_claims))
        .route("/credit/claims/{id}", get(get_claim))
        .route("/credit/claims/{id}/actions", post(decide))
        .route("/credit/claims/{id}/recoveries", post(recover))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(default, deny_unknown_fields)]
pub struct ClaimsQuery {
    pub status: Option<CompensationStatus>,
}

/// Claims: the bureau sees all, a bank its own.
#[utoipa::path(get, path = "/api/v1/credit/claims", tag = "credit", params(ClaimsQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [CompensationClaimView]), (status = 403, body = ErrorBody)))]
pub async fn list_claims(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ClaimsQuery>,
) -> ApiResult<Json<Vec<CompensationClaimView>>> {
    Ok(Json(
        claims::list(&state, &caller.ctx(), q.status.map(|s| s.code())).await?,
    ))
}

#[utoipa::path(get, path = "/api/v1/credit/claims/{id}", tag = "credit", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompensationClaimView), (status = 404, body = ErrorBody)))]
pub async fn get_claim(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<CompensationClaimView>> {
    Ok(Json(claims::get(&state, &caller.ctx(), id).await?))
}

/// The bureau approves, rejects (with a reason) or pays a claim. Paying is once (409 `status`),
/// within the bank's yearly cap (409 `bank_year_cap`) and the pool's balance (409
/// `pool_balance`), split across the funders by their ratios.
#[utoipa::path(post, path = "/api/v1/credit/claims/{id}/actions", tag = "credit", params(("id" = i64, Path)), request_body = CompensationStepInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompensationClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CompensationStepInput>,
) -> ApiResult<Json<CompensationClaimView>> {
    Ok(Json(
        claims::decide(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// The bank records what it recovered on a compensated loan; the pool's part flows back to the
/// funders in the shares they paid.
#[utoipa::path(post, path = "/api/v1/credit/claims/{id}/recoveries", tag = "credit", params(("id" = i64, Path)), request_body = RecoveryInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CompensationClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn recover(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<RecoveryInput>,
) -> ApiResult<Json<CompensationClaimView>> {
    Ok(Json(
        claims::recover(&state, &caller.ctx(), id, &input).await?,
    ))
}
