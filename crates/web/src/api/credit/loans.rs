//! `/api/v1/credit/loans`: applications, the parties' steps and repayments.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::credit::claims::{self, CompensationClaimInput, CompensationClaimView};
use fruition_app::credit::loans::{
    self, ApplyInput, LoanDetail, LoanQuery, LoanStepInput, LoanView, RepaymentInput,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/loans", get(list_loans).post(apply))
        .route("/credit/loans/{id}", get(get_loan))
        .route("/credit/loans/{id}/actions", post(step))
        .route("/credit/loans/{id}/repayments", post(repay))
        .route("/credit/loans/{id}/claims", post(claim))
}

/// Loans the caller may see: the bureau every loan, a bank, guarantor or enterprise its own.
#[utoipa::path(get, path = "/api/v1/credit/loans", tag = "credit", params(LoanQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [LoanView]), (status = 422, body = ErrorBody)))]
pub async fn list_loans(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<LoanQuery>,
) -> ApiResult<Json<Vec<LoanView>>> {
    Ok(Json(loans::list(&state, &caller.ctx(), &q).await?))
}

/// An enterprise applies to a partner bank (optionally with a partner guarantor), consenting to
/// share its registry data and score with the bank; the score at the time is kept with it.
#[utoipa::path(post, path = "/api/v1/credit/loans", tag = "credit", request_body = ApplyInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = LoanDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn apply(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ApplyInput>,
) -> ApiResult<(StatusCode, Json<LoanDetail>)> {
    let d = loans::apply(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A loan with its schedule, repayments, claims and the steps the caller may take now.
#[utoipa::path(get, path = "/api/v1/credit/loans/{id}", tag = "credit", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = LoanDetail), (status = 404, body = ErrorBody)))]
pub async fn get_loan(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<LoanDetail>> {
    Ok(Json(loans::get(&state, &caller.ctx(), id).await?))
}

/// A step: the bank approves (terms within the line unless it says why, the rate cap and the
/// longest term), declines with a reason, disburses, marks overdue, cures, repays in full or
/// declares a default; the borrower withdraws; the bureau registers for compensation (refused
/// with 409 `breaker` while the bank's breaker is on). 409 `step` when it is not the time.
#[utoipa::path(post, path = "/api/v1/credit/loans/{id}/actions", tag = "credit", params(("id" = i64, Path)), request_body = LoanStepInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = LoanDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<LoanStepInput>,
) -> ApiResult<Json<LoanDetail>> {
    Ok(Json(loans::step(&state, &caller.ctx(), id, &input).await?))
}

/// The bank records a repayment; the principal repaid never passes what is owed (409
/// `principal`); all of it repaid settles the loan.
#[utoipa::path(post, path = "/api/v1/credit/loans/{id}/repayments", tag = "credit", params(("id" = i64, Path)), request_body = RepaymentInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = LoanDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn repay(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<RepaymentInput>,
) -> ApiResult<(StatusCode, Json<LoanDetail>)> {
    let d = loans::repay(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// The bank claims compensation on a registered loan it declared defaulted; one live claim per
/// loan (409 `claim`).
#[utoipa::path(post, path = "/api/v1/credit/loans/{id}/claims", tag = "credit", params(("id" = i64, Path)), request_body = CompensationClaimInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CompensationClaimView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CompensationClaimInput>,
) -> ApiResult<(StatusCode, Json<CompensationClaimView>)> {
    let c = claims::submit(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(c)))
}
