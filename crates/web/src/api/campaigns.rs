//! `/api/v1/campaigns`: need-collection campaigns — the bureau opens, changes and closes them;
//! carriers record the incubatees asked and the needs collected (each a published market need);
//! each carrier's coverage.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::campaigns::{
    self, CampaignContactInput, CampaignContactView, CampaignDetailView, CampaignInput,
    CampaignQuery, CampaignView, CollectNeedInput, CollectedNeedView,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list_campaigns).post(open_campaign))
        .route("/campaigns/{id}", get(get_campaign).put(update_campaign))
        .route("/campaigns/{id}/closure", post(close_campaign))
        .route("/campaigns/{id}/contacts", post(record_campaign_contact))
        .route("/campaigns/{id}/needs", post(collect_campaign_need))
}

/// Campaigns, the latest deadline first: the bureau and carrier operators.
#[utoipa::path(get, path = "/api/v1/campaigns", tag = "campaigns", params(CampaignQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [CampaignView]), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list_campaigns(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<CampaignQuery>,
) -> ApiResult<Json<Vec<CampaignView>>> {
    Ok(Json(campaigns::list(&state, &caller.ctx(), &q).await?))
}

/// The bureau opens a campaign (title, theme, opening day, deadline within a year, chains);
/// every carrier operator is told in its inbox.
#[utoipa::path(post, path = "/api/v1/campaigns", tag = "campaigns", request_body = CampaignInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CampaignView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn open_campaign(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CampaignInput>,
) -> ApiResult<(StatusCode, Json<CampaignView>)> {
    let c = campaigns::open(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(c)))
}

/// A campaign with each carrier's coverage (firms incubated, asked, needs collected, matched,
/// agreed), the firms asked and the needs collected: every carrier's for the bureau, a carrier
/// operator's own.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CampaignDetailView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<CampaignDetailView>> {
    Ok(Json(campaigns::get(&state, &caller.ctx(), id).await?))
}

/// The bureau changes an open campaign (409 `status` once closed).
#[utoipa::path(put, path = "/api/v1/campaigns/{id}", tag = "campaigns", params(("id" = i64, Path)),
    request_body = CampaignInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CampaignView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CampaignInput>,
) -> ApiResult<Json<CampaignView>> {
    Ok(Json(
        campaigns::update(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// The bureau closes a campaign: it takes no more needs (409 `status` when already closed).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/closure", tag = "campaigns", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CampaignView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody)))]
pub async fn close_campaign(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<CampaignView>> {
    Ok(Json(campaigns::close(&state, &caller.ctx(), id).await?))
}

/// A carrier manager records an incubatee asked with no need collected (`no_need`, `declined`);
/// asking again updates it. 409 `status` outside the campaign's window; 422 `enterprise_id` for
/// a firm the carrier did not incubate while the campaign ran.
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/contacts", tag = "campaigns", params(("id" = i64, Path)),
    request_body = CampaignContactInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CampaignContactView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_campaign_contact(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CampaignContactInput>,
) -> ApiResult<(StatusCode, Json<CampaignContactView>)> {
    let k = campaigns::ask(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// A carrier manager collects an incubatee's need: it is published at once as a market need
/// (under the firm's own organisation when it has one), matched like any other, and the firm is
/// recorded as asked. The need's field must be one the campaign asks about (422 `field`).
#[utoipa::path(post, path = "/api/v1/campaigns/{id}/needs", tag = "campaigns", params(("id" = i64, Path)),
    request_body = CollectNeedInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CollectedNeedView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn collect_campaign_need(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CollectNeedInput>,
) -> ApiResult<(StatusCode, Json<CollectedNeedView>)> {
    let n = campaigns::collect(&state, &caller.ctx(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(n)))
}
