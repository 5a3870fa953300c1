//! `/api/v1/deals`: deals in the technology elements market, from intent to a registered
//! technology contract; `/api/v1/contracts`, the registrar's register; and
//! `/api/v1/contract-statistics`, registered contracts by year, field and carrier.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_domain::deal::DealStatus;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::deals::{
    self, AcceptInput, ContractStatistics, ContractView, DealDetail, DealView, IntentInput,
    MessageInput, MessageView, OutcomeInput, ReasonInput, RegisterInput, TermsInput,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/deals", get(list).post(declare_intent))
        .route("/deals/{id}", get(get_one))
        .route("/deals/{id}/messages", post(post_message))
        .route("/deals/{id}/terms", post(propose))
        .route("/deals/{id}/acceptance", post(accept))
        .route("/deals/{id}/withdrawal", post(withdraw))
        .route("/deals/{id}/registration", post(register))
        .route("/deals/{id}/registration-refusal", post(refuse))
        .route("/deals/{id}/outcome", post(record_outcome))
        .route("/contracts", get(contracts))
        .route("/contract-statistics", get(statistics))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DealsQuery {
    /// negotiating | agreed | registered | fulfilled | terminated | withdrawn.
    pub status: Option<DealStatus>,
}

/// The deals of the caller's organisation (the bureau: every deal; `status=agreed` lists those
/// awaiting registration), most recently changed first.
#[utoipa::path(get, path = "/api/v1/deals", tag = "deals", params(DealsQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [DealView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<DealsQuery>,
) -> ApiResult<Json<Vec<DealView>>> {
    Ok(Json(deals::list(&state, &caller.ctx(), q.status).await?))
}

/// Declares intent on another organisation's published listing (an achievement, need, service or
/// expert) with a first message: opens a deal between the two organisations. One open deal per
/// listing and initiating organisation (409 otherwise); never on one's own listing (403).
#[utoipa::path(post, path = "/api/v1/deals", tag = "deals", request_body = IntentInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn declare_intent(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<IntentInput>,
) -> ApiResult<(StatusCode, Json<DealDetail>)> {
    let d = deals::declare_intent(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A deal with its messages, proposals and contract: its two organisations and the bureau (404
/// for anyone else).
#[utoipa::path(get, path = "/api/v1/deals/{id}", tag = "deals", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = DealDetail), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(deals::get(&state, &caller.ctx(), id).await?))
}

/// Writes a private message to the other party (the bureau reads, and does not post).
#[utoipa::path(post, path = "/api/v1/deals/{id}/messages", tag = "deals", params(("id" = i64, Path)), request_body = MessageInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = MessageView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn post_message(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<MessageInput>,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let m = deals::post_message(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// Proposes terms (contract type, contract and technology-transaction amounts in 千元, dates);
/// they replace an unaccepted proposal and reopen agreed terms before registration.
#[utoipa::path(post, path = "/api/v1/deals/{id}/terms", tag = "deals", params(("id" = i64, Path)), request_body = TermsInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<TermsInput>,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(
        deals::propose(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Accepts the other party's latest proposal, naming it (409 if it was replaced meanwhile): the
/// deal is agreed and awaits registration.
#[utoipa::path(post, path = "/api/v1/deals/{id}/acceptance", tag = "deals", params(("id" = i64, Path)), request_body = AcceptInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn accept(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<AcceptInput>,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(
        deals::accept(&state, &caller.ctx(), id, input.terms_id).await?,
    ))
}

/// Withdraws from a deal before registration (either party), with an optional reason.
#[utoipa::path(post, path = "/api/v1/deals/{id}/withdrawal", tag = "deals", params(("id" = i64, Path)), request_body = ReasonInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(
        deals::withdraw(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Registers an agreed deal as a technology contract (the bureau's registrar): the next
/// registration number of the year (city code + year + serial), the parties, the accepted terms,
/// the listing's field and the carrier incubating the seller (else the buyer).
#[utoipa::path(post, path = "/api/v1/deals/{id}/registration", tag = "deals", params(("id" = i64, Path)), request_body = RegisterInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<RegisterInput>,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(
        deals::register(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Refuses to register an agreed deal, with a reason (the registrar): it returns to negotiation.
#[utoipa::path(post, path = "/api/v1/deals/{id}/registration-refusal", tag = "deals", params(("id" = i64, Path)), request_body = ReasonInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn refuse(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ReasonInput>,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(
        deals::refuse(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Records a registered contract as fulfilled or terminated (either party or the registrar), on a
/// day not before registration; a termination needs a reason.
#[utoipa::path(post, path = "/api/v1/deals/{id}/outcome", tag = "deals", params(("id" = i64, Path)), request_body = OutcomeInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = DealDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_outcome(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<OutcomeInput>,
) -> ApiResult<Json<DealDetail>> {
    Ok(Json(
        deals::record_outcome(&state, &caller.ctx(), id, &input).await?,
    ))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct YearQuery {
    /// A year of registration (default: every year).
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RegisterQuery {
    /// A year of registration (default: every year).
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
    /// market | submitted (default: both).
    pub source: Option<fruition_domain::contract::ContractSource>,
}

/// The register of technology contracts — reached in the market and submitted from outside it —
/// newest first (the bureau's registrar).
#[utoipa::path(get, path = "/api/v1/contracts", tag = "deals", params(RegisterQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ContractView]), (status = 403, body = ErrorBody)))]
pub async fn contracts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> ApiResult<Json<Vec<ContractView>>> {
    Ok(Json(
        deals::contracts(&state, &caller.ctx(), q.year.map(|y| y.0), q.source).await?,
    ))
}

/// Registered technology contracts — reached in the market and submitted from outside it —
/// counted and summed (contract and technology-transaction amounts, fen): by year of
/// registration, and for the year asked for (or every year) by type, field, carrier, source,
/// each side's county and each side inside or outside the city.
#[utoipa::path(get, path = "/api/v1/contract-statistics", tag = "deals", params(YearQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ContractStatistics), (status = 401, body = ErrorBody)))]
pub async fn statistics(
    State(state): State<AppState>,
    _caller: Caller,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> ApiResult<Json<ContractStatistics>> {
    Ok(Json(deals::statistics(&state, q.year.map(|y| y.0)).await?))
}
