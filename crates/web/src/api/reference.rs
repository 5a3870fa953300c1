//! `/api/v1/counties`, `/api/v1/zones`, `/api/v1/chains`: the places and sectors the registry uses.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};

use super::Caller;
use crate::AppState;
use axum::http::StatusCode;
use fruition_app::reference::{ChainView, CountyView, ZoneView};

use crate::error::{ApiJson, ApiResult, ErrorBody, Id};
use fruition_app::reference::{self, ChainEdit, Lookups, ZoneInput, counties};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/counties", get(list_counties))
        .route("/zones", get(list_zones).post(create_zone))
        .route("/chains", get(list_chains).post(create_chain))
        .route("/chains/{id}", axum::routing::patch(update_chain))
}

/// The configured city's county-level units (GB/T 2260, current edition).
#[utoipa::path(get, path = "/api/v1/counties", tag = "reference", security(("bearer" = []), ("session" = [])), responses((status = 200, body = [CountyView])))]
pub async fn list_counties(
    State(state): State<AppState>,
    _caller: Caller,
) -> Json<Vec<CountyView>> {
    Json(
        counties(&state)
            .into_iter()
            .map(|d| CountyView {
                code: d.code.as_str().to_string(),
                name: d.name.to_string(),
            })
            .collect(),
    )
}

/// Functional zones, reported as places of their own.
#[utoipa::path(get, path = "/api/v1/zones", tag = "reference", security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ZoneView])))]
pub async fn list_zones(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Vec<ZoneView>>> {
    let l = Lookups::load(&state.db).await?;
    Ok(Json(
        l.zones
            .into_iter()
            .map(|z| ZoneView {
                id: z.id,
                code: z.code,
                name_zh: z.name_zh,
                name_en: z.name_en,
                county_code: z.county_code,
            })
            .collect(),
    ))
}

/// Adds a functional zone (bureau).
#[utoipa::path(post, path = "/api/v1/zones", tag = "reference", request_body = ZoneInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ZoneView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_zone(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ZoneInput>,
) -> ApiResult<(StatusCode, Json<ZoneView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            reference::create_zone(&state, &caller.ctx(), &input)
                .await?
                .into(),
        ),
    ))
}

/// Adds an industrial chain (bureau).
#[utoipa::path(post, path = "/api/v1/chains", tag = "reference", request_body = ChainEdit, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ChainView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_chain(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ChainEdit>,
) -> ApiResult<(StatusCode, Json<ChainView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            reference::create_chain(&state, &caller.ctx(), &input)
                .await?
                .into(),
        ),
    ))
}

/// Changes an industrial chain: names, divisions, order, whether it is in use (bureau).
#[utoipa::path(patch, path = "/api/v1/chains/{id}", tag = "reference", params(("id" = i64, Path)), request_body = ChainEdit,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ChainView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_chain(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ChainEdit>,
) -> ApiResult<Json<ChainView>> {
    Ok(Json(
        reference::update_chain(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}

/// The city's industrial chains, mapped to GB/T 4754-2017.
#[utoipa::path(get, path = "/api/v1/chains", tag = "reference", security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ChainView])))]
pub async fn list_chains(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Vec<ChainView>>> {
    let l = Lookups::load(&state.db).await?;
    Ok(Json(l.chains.into_iter().map(Into::into).collect()))
}
