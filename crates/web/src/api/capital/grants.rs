//! `/api/v1/capital/grants`: 先投后股 projects — the bureau's grant, milestones, and the steps
//! from the trigger to conversion, registration and exit or write-off.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::capital::grants::{
    self, EquityGrantAchievementInput, EquityGrantDetail, EquityGrantInput,
    EquityGrantMilestoneInput, EquityGrantQuery, EquityGrantStepInput, EquityGrantView,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id, Ids};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capital/grants", get(list_grants).post(create_grant))
        .route("/capital/grants/{id}", get(get_grant))
        .route("/capital/grants/{id}/milestones", post(add_grant_milestone))
        .route(
            "/capital/grants/{id}/milestones/{milestone_id}/achievement",
            post(achieve_grant_milestone),
        )
        .route("/capital/grants/{id}/actions", post(grant_step))
}

/// 先投后股 projects the caller may see: the bureau every project, an enterprise its own, a
/// fund's manager those naming its fund.
#[utoipa::path(get, path = "/api/v1/capital/grants", tag = "capital", params(EquityGrantQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [EquityGrantView]), (status = 422, body = ErrorBody)))]
pub async fn list_grants(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<EquityGrantQuery>,
) -> ApiResult<Json<Vec<EquityGrantView>>> {
    Ok(Json(grants::list(&state, &caller.ctx(), &q).await?))
}

/// The bureau grants project funding to an enterprise (by id or unified social credit code),
/// with the discount (让利) the team gets at conversion and optionally the fund that keeps it.
#[utoipa::path(post, path = "/api/v1/capital/grants", tag = "capital", request_body = EquityGrantInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EquityGrantDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_grant(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<EquityGrantInput>,
) -> ApiResult<(StatusCode, Json<EquityGrantDetail>)> {
    let d = grants::create(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A project with its milestones, the conversion's figures once converted (shares, holding in
/// millionths, discounted valuation) and the steps the caller may take now.
#[utoipa::path(get, path = "/api/v1/capital/grants/{id}", tag = "capital", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EquityGrantDetail), (status = 404, body = ErrorBody)))]
pub async fn get_grant(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<EquityGrantDetail>> {
    Ok(Json(grants::get(&state, &caller.ctx(), id).await?))
}

/// Records a milestone, while the project waits for conversion (409 `status` after).
#[utoipa::path(post, path = "/api/v1/capital/grants/{id}/milestones", tag = "capital", params(("id" = i64, Path)),
    request_body = EquityGrantMilestoneInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = EquityGrantDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_grant_milestone(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<EquityGrantMilestoneInput>,
) -> ApiResult<(StatusCode, Json<EquityGrantDetail>)> {
    let d = grants::add_milestone(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// Marks a milestone achieved (409 `achieved_on` when it already is, `status` after conversion).
#[utoipa::path(post, path = "/api/v1/capital/grants/{id}/milestones/{milestone_id}/achievement", tag = "capital",
    params(("id" = i64, Path), ("milestone_id" = i64, Path)),
    request_body = EquityGrantAchievementInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EquityGrantDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn achieve_grant_milestone(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, milestone_id): Ids,
    ApiJson(input): ApiJson<EquityGrantAchievementInput>,
) -> ApiResult<Json<EquityGrantDetail>> {
    Ok(Json(
        grants::achieve_milestone(&state, &caller.ctx(), id, milestone_id, &input).await?,
    ))
}

/// A step, by the bureau or the named fund's manager: `trigger` (a priced round by investors not
/// on the platform: round, date, post-money valuation), `convert` (the shares before
/// conversion; the shares issued are computed exactly), `register` (date, registration number),
/// `exit` (transfer, buy-back or liquidation, date, proceeds, counterparty) or `write_off`
/// (reason, liability exemption with its grounds). 409 `step` when it is not the time.
#[utoipa::path(post, path = "/api/v1/capital/grants/{id}/actions", tag = "capital", params(("id" = i64, Path)),
    request_body = EquityGrantStepInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EquityGrantDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn grant_step(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<EquityGrantStepInput>,
) -> ApiResult<Json<EquityGrantDetail>> {
    Ok(Json(grants::step(&state, &caller.ctx(), id, &input).await?))
}
