//! `/api/v1/carriers`: the registry of carriers, their ratings and revocation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fruition_domain::carrier::{CarrierKind, CarrierStatus, Level};
use fruition_store::carriers::{CURRENT, CarrierFilter};
use serde::Deserialize;
use utoipa::IntoParams;

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::carriers::{self, CarrierInput, RatingInput, RevokeInput};
use fruition_app::carriers::{CarrierDetailView, CarrierView, RatingView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/carriers", get(list).post(create))
        .route("/carriers/{id}", get(get_one).patch(update))
        .route("/carriers/{id}/ratings", post(rate))
        .route("/carriers/{id}/revocation", put(revoke))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub kind: Option<CarrierKind>,
    pub level: Option<Level>,
    /// GB/T 2260 county-level code.
    pub county: Option<String>,
    pub zone_id: Option<i64>,
    pub operator_org_id: Option<i64>,
    pub status: Option<CarrierStatus>,
    /// A fragment of the name.
    pub q: Option<String>,
    /// Levels as they held at the end of this year (default: now).
    #[param(value_type = Option<i64>, minimum = 1949, maximum = 2200)]
    pub year: Option<super::Year>,
}

/// Carriers (every signed-in user may browse the registry).
#[utoipa::path(get, path = "/api/v1/carriers", tag = "carriers", params(ListQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [CarrierView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<CarrierView>>> {
    let filter = CarrierFilter {
        kind: q.kind,
        level: q.level,
        county_code: q.county,
        zone_id: q.zone_id,
        operator_org_id: q.operator_org_id,
        status: q.status,
        q: q.q,
    };
    let found = carriers::list(
        &state,
        &caller.ctx(),
        q.year.map_or(CURRENT, |y| y.0),
        &filter,
    )
    .await?;
    Ok(Json(found.into_iter().map(Into::into).collect()))
}

/// Registers a carrier (bureau).
#[utoipa::path(post, path = "/api/v1/carriers", tag = "carriers", request_body = CarrierInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CarrierView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CarrierInput>,
) -> ApiResult<(StatusCode, Json<CarrierView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            carriers::create(&state, &caller.ctx(), &input)
                .await?
                .into(),
        ),
    ))
}

/// One carrier with its rating history.
#[utoipa::path(get, path = "/api/v1/carriers/{id}", tag = "carriers", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CarrierDetailView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<CarrierDetailView>> {
    let d = carriers::get(&state, &caller.ctx(), id).await?;
    Ok(Json(CarrierDetailView {
        carrier: d.carrier.into(),
        ratings: d.ratings.into_iter().map(Into::into).collect(),
        zone_name: d.zone_name,
    }))
}

/// Changes a carrier's profile (the bureau, or the carrier's own managers; only the bureau changes kind or operator).
#[utoipa::path(patch, path = "/api/v1/carriers/{id}", tag = "carriers", params(("id" = i64, Path)), request_body = CarrierInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CarrierView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<CarrierInput>,
) -> ApiResult<Json<CarrierView>> {
    Ok(Json(
        carriers::update(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}

/// Records a rating granted to the carrier (bureau); the latest rating sets its level.
#[utoipa::path(post, path = "/api/v1/carriers/{id}/ratings", tag = "carriers", params(("id" = i64, Path)), request_body = RatingInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = RatingView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn rate(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<RatingInput>,
) -> ApiResult<(StatusCode, Json<RatingView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            carriers::rate(&state, &caller.ctx(), id, &input)
                .await?
                .into(),
        ),
    ))
}

/// Revokes a carrier with a date and reason, or restores it (bureau).
#[utoipa::path(put, path = "/api/v1/carriers/{id}/revocation", tag = "carriers", params(("id" = i64, Path)), request_body = RevokeInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = CarrierView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<RevokeInput>,
) -> ApiResult<Json<CarrierView>> {
    Ok(Json(
        carriers::revoke(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}
