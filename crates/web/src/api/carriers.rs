//! `/api/v1/carriers`: the registry of carriers, their ratings and revocation.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fruition_domain::carrier::{CarrierKind, CarrierStatus, Level};
use fruition_store::carriers::{CURRENT, Carrier, CarrierFilter, RatingRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::carriers::{self, CarrierInput, RatingInput, RevokeInput};
use fruition_app::clock::rfc3339;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/carriers", get(list).post(create))
        .route("/carriers/{id}", get(get_one).patch(update))
        .route("/carriers/{id}/ratings", post(rate))
        .route("/carriers/{id}/revocation", put(revoke))
}

#[derive(Serialize, ToSchema)]
pub struct CarrierView {
    pub id: i64,
    pub name: String,
    pub kind: CarrierKind,
    pub operator_org_id: i64,
    pub operator_name: String,
    /// GB/T 2260 county-level code.
    pub county_code: String,
    pub county_name: String,
    pub zone_id: Option<i64>,
    pub address: Option<String>,
    pub floor_area_m2: Option<i64>,
    pub focus_chains: Vec<String>,
    pub established_year: i64,
    pub status: CarrierStatus,
    pub revoked_on: Option<String>,
    pub revoked_reason: Option<String>,
    /// The level that holds (in the year asked for; now by default).
    pub level: Option<Level>,
    pub updated_at: String,
}

impl From<Carrier> for CarrierView {
    fn from(c: Carrier) -> Self {
        CarrierView {
            level: c.level(),
            county_name: fruition_app::reference::county_name(&c.county_code).to_string(),
            focus_chains: c
                .focus_chains
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            id: c.id,
            name: c.name,
            kind: c.kind,
            operator_org_id: c.operator_org_id,
            operator_name: c.operator_name,
            county_code: c.county_code,
            zone_id: c.zone_id,
            address: c.address,
            floor_area_m2: c.floor_area_m2,
            established_year: c.established_year,
            status: c.status,
            revoked_on: c.revoked_on,
            revoked_reason: c.revoked_reason,
            updated_at: rfc3339(c.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RatingView {
    pub id: i64,
    pub level: Level,
    pub year_granted: i64,
    pub granting_body: String,
    pub document_no: Option<String>,
}

impl From<RatingRow> for RatingView {
    fn from(r: RatingRow) -> Self {
        RatingView {
            id: r.id,
            level: r.level,
            year_granted: r.year_granted,
            granting_body: r.granting_body,
            document_no: r.document_no,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CarrierDetailView {
    pub carrier: CarrierView,
    pub ratings: Vec<RatingView>,
    pub zone_name: Option<String>,
}

#[derive(Deserialize, IntoParams)]
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
    pub year: Option<i64>,
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
    let found = carriers::list(&state, &caller.ctx(), q.year.unwrap_or(CURRENT), &filter).await?;
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
    responses((status = 200, body = CarrierView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
