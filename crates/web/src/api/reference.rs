//! `/api/v1/counties`, `/api/v1/zones`, `/api/v1/chains`: the places and sectors the registry uses.

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::ToSchema;

use super::Caller;
use crate::AppState;
use crate::actions::reference::{Lookups, counties};
use crate::error::ApiResult;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/counties", get(list_counties))
        .route("/zones", get(list_zones))
        .route("/chains", get(list_chains))
}

#[derive(Serialize, ToSchema)]
pub struct CountyView {
    /// GB/T 2260 code.
    pub code: String,
    pub name: String,
}

#[derive(Serialize, ToSchema)]
pub struct ZoneView {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// The county-level unit the zone lies in.
    pub county_code: String,
}

#[derive(Serialize, ToSchema)]
pub struct ChainView {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// GB/T 4754-2017 divisions the chain maps to.
    pub divisions: Vec<String>,
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

/// The city's industrial chains, mapped to GB/T 4754-2017.
#[utoipa::path(get, path = "/api/v1/chains", tag = "reference", security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ChainView])))]
pub async fn list_chains(
    State(state): State<AppState>,
    _caller: Caller,
) -> ApiResult<Json<Vec<ChainView>>> {
    let l = Lookups::load(&state.db).await?;
    Ok(Json(
        l.chains
            .into_iter()
            .filter(|c| c.active)
            .map(|c| ChainView {
                divisions: c
                    .divisions
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect(),
                code: c.code,
                name_zh: c.name_zh,
                name_en: c.name_en,
            })
            .collect(),
    ))
}
