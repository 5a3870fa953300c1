//! `/api/v1/credit/{policy,pool,risk,target}`: the city's credit policy, the pool's funders,
//! contributions, balances as of any day, ledger and proof of balance, banks' non-performing
//! ratios and breakers, and the lending target.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fruition_app::credit::pool::{
    self, AsOfQuery, ContributionInput, FunderInput, FunderUpdate, FunderView, LedgerEntryView,
    LedgerQuery, PolicyView, PoolView, ProofView,
};
use fruition_app::credit::risk::{self, BankRiskView, LiftInput, RiskOverview};
use fruition_app::credit::target::{self, TargetQuery, TargetView};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/policy", get(get_policy).put(set_policy))
        .route("/credit/pool", get(get_pool))
        .route("/credit/pool/funders", post(add_funder))
        .route("/credit/pool/funders/{id}", put(update_funder))
        .route("/credit/pool/contributions", post(contribute))
        .route("/credit/pool/ledger", get(ledger))
        .route("/credit/pool/proof", get(proof))
        .route("/credit/risk", get(get_risk))
        .route("/credit/risk/{bank_org_id}/lift", post(lift))
        .route("/credit/target", get(get_target))
}

/// The city's credit policy in force: compensation shares and caps, warning and breaker lines,
/// LPR and the rate cap, the longest term, the target.
#[utoipa::path(get, path = "/api/v1/credit/policy", tag = "credit",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PolicyView)))]
pub async fn get_policy(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<PolicyView>> {
    Ok(Json(pool::policy(&state, &caller.ctx()).await?))
}

/// The bureau sets a new policy (kept as a new version; the audit log has the old one).
#[utoipa::path(put, path = "/api/v1/credit/policy", tag = "credit", request_body = PolicyView,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PolicyView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_policy(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<PolicyView>,
) -> ApiResult<Json<PolicyView>> {
    Ok(Json(pool::set_policy(&state, &caller.ctx(), &input).await?))
}

/// The pool on a day (default today): each funder's contributions and money in the pool, the
/// balance, and what has been paid to banks.
#[utoipa::path(get, path = "/api/v1/credit/pool", tag = "credit", params(AsOfQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = PoolView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get_pool(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<AsOfQuery>,
) -> ApiResult<Json<PoolView>> {
    Ok(Json(pool::pool(&state, &caller.ctx(), &q).await?))
}

/// Adds a funder (province, city or district) with its ratio.
#[utoipa::path(post, path = "/api/v1/credit/pool/funders", tag = "credit", request_body = FunderInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FunderView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_funder(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<FunderInput>,
) -> ApiResult<(StatusCode, Json<FunderView>)> {
    let f = pool::add_funder(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// Changes a funder's ratio, or stops it sharing in new payments.
#[utoipa::path(put, path = "/api/v1/credit/pool/funders/{id}", tag = "credit", params(("id" = i64, Path)), request_body = FunderUpdate,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = FunderView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_funder(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<FunderUpdate>,
) -> ApiResult<Json<FunderView>> {
    Ok(Json(
        pool::update_funder(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Records a funder's contribution paid into the pool today.
#[utoipa::path(post, path = "/api/v1/credit/pool/contributions", tag = "credit", request_body = ContributionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = FunderView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn contribute(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ContributionInput>,
) -> ApiResult<(StatusCode, Json<FunderView>)> {
    let f = pool::contribute(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(f)))
}

/// The ledger entry by entry, newest first, optionally of one account and between days.
#[utoipa::path(get, path = "/api/v1/credit/pool/ledger", tag = "credit", params(LedgerQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [LedgerEntryView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn ledger(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<LedgerQuery>,
) -> ApiResult<Json<Vec<LedgerEntryView>>> {
    Ok(Json(pool::entries(&state, &caller.ctx(), &q).await?))
}

/// Proves the books balance: every entry summed is zero, every transfer balances, every
/// account's balance is the sum of its entries.
#[utoipa::path(get, path = "/api/v1/credit/pool/proof", tag = "credit",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ProofView), (status = 403, body = ErrorBody)))]
pub async fn proof(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<ProofView>> {
    Ok(Json(pool::proof(&state, &caller.ctx()).await?))
}

/// Banks' non-performing ratios, levels and breakers, and the city's overall ratio (a bank sees
/// its own line).
#[utoipa::path(get, path = "/api/v1/credit/risk", tag = "credit",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = RiskOverview), (status = 403, body = ErrorBody)))]
pub async fn get_risk(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<RiskOverview>> {
    Ok(Json(risk::overview(&state, &caller.ctx()).await?))
}

/// The bureau lifts a bank's breaker, saying why (409 when it is not on).
#[utoipa::path(post, path = "/api/v1/credit/risk/{bank_org_id}/lift", tag = "credit", params(("bank_org_id" = i64, Path)), request_body = LiftInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = BankRiskView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn lift(
    State(state): State<AppState>,
    caller: Caller,
    Id(bank_org_id): Id,
    ApiJson(input): ApiJson<LiftInput>,
) -> ApiResult<Json<BankRiskView>> {
    Ok(Json(
        risk::lift(&state, &caller.ctx(), bank_org_id, &input).await?,
    ))
}

/// Knowledge-value loans issued against the city's target, by year, bank, county, sector and
/// grade.
#[utoipa::path(get, path = "/api/v1/credit/target", tag = "credit", params(TargetQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TargetView), (status = 422, body = ErrorBody)))]
pub async fn get_target(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TargetQuery>,
) -> ApiResult<Json<TargetView>> {
    Ok(Json(target::target(&state, &caller.ctx(), &q).await?))
}
