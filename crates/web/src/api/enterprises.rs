//! `/api/v1/enterprises`: enterprises, their incubation spells and yearly figures.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_store::enterprises::EnterpriseFilter;
use serde::Deserialize;
use utoipa::IntoParams;

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::enterprises::{self, EnterInput, EnterpriseInput, ExitInput, NewEnterpriseInput};
use fruition_app::enterprises::{
    EnterpriseDetailView, EnterpriseView, IncubationView, SavedEnterprise,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list).post(create))
        .route("/enterprises/{id}", get(get_one).patch(update))
        .route("/enterprises/{id}/incubations", post(enter))
        .route("/enterprises/{id}/exit", post(exit))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// A fragment of the name or the code.
    pub q: Option<String>,
    pub chain: Option<String>,
    pub county: Option<String>,
    /// Incubating now at this carrier.
    pub carrier_id: Option<i64>,
    /// Spin-offs and subsidiaries of this enterprise.
    pub parent_id: Option<i64>,
    /// Enterprises after this id (keyset paging).
    pub after_id: Option<i64>,
    /// 1–1000, default 100.
    pub limit: Option<i64>,
}

/// Enterprises the caller may see: all for the bureau, a carrier operator's incubatees, an enterprise's own record.
#[utoipa::path(get, path = "/api/v1/enterprises", tag = "enterprises", params(ListQuery), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [EnterpriseView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Vec<EnterpriseView>>> {
    let filter = EnterpriseFilter {
        q: q.q,
        chain_code: q.chain,
        county_code: q.county,
        carrier_id: q.carrier_id,
        parent_id: q.parent_id,
        after_id: q.after_id,
        limit: q.limit.unwrap_or(100).clamp(1, 1000),
        operator_org_id: None,
        org_id: None,
    };
    Ok(Json(
        enterprises::list(&state, &caller.ctx(), filter)
            .await?
            .into_iter()
            .map(Into::into)
            .collect(),
    ))
}

/// Registers an enterprise (the bureau; or a carrier's managers, entering it into their carrier).
#[utoipa::path(post, path = "/api/v1/enterprises", tag = "enterprises", request_body = NewEnterpriseInput, security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = SavedEnterprise), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "The carrier to enter it into does not exist"),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<NewEnterpriseInput>,
) -> ApiResult<(StatusCode, Json<SavedEnterprise>)> {
    let entered = input.entered_on.clone().unwrap_or_default();
    let carrier = input.carrier_id.map(|c| (c, entered.as_str()));
    let (e, warnings) =
        enterprises::create(&state, &caller.ctx(), &input.enterprise, carrier).await?;
    let lang = crate::error::request_lang();
    let warnings = warnings
        .into_iter()
        .map(|w| lang.pick(&w.zh, &w.en).to_string())
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(SavedEnterprise {
            enterprise: e.into(),
            warnings,
        }),
    ))
}

/// One enterprise with its incubation spells and yearly figures (the bureau, its carriers, itself).
#[utoipa::path(get, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = i64, Path)), security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = EnterpriseDetailView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<EnterpriseDetailView>> {
    let d = enterprises::get(&state, &caller.ctx(), id).await?;
    let mut enterprise: fruition_app::enterprises::EnterpriseView = d.enterprise.into();
    // The carrier where it is incubating now: the open spell's.
    if let Some(open) = d.incubations.iter().find(|i| i.exited_on.is_none()) {
        enterprise.carrier_id = Some(open.carrier_id);
        enterprise.carrier_name = Some(open.carrier_name.clone());
    }
    Ok(Json(EnterpriseDetailView {
        enterprise,
        incubations: d.incubations.into_iter().map(Into::into).collect(),
        years: d.indicators.into_iter().map(Into::into).collect(),
    }))
}

/// Changes an enterprise's profile.
#[utoipa::path(patch, path = "/api/v1/enterprises/{id}", tag = "enterprises", params(("id" = i64, Path)), request_body = EnterpriseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = SavedEnterprise), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<EnterpriseInput>,
) -> ApiResult<Json<SavedEnterprise>> {
    let (e, warnings) = enterprises::update(&state, &caller.ctx(), id, &input).await?;
    let lang = crate::error::request_lang();
    let warnings = warnings
        .into_iter()
        .map(|w| lang.pick(&w.zh, &w.en).to_string())
        .collect();
    Ok(Json(SavedEnterprise {
        enterprise: e.into(),
        warnings,
    }))
}

/// Enters the enterprise into a carrier (at most one open spell at a time).
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/incubations", tag = "enterprises", params(("id" = i64, Path)), request_body = EnterInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = IncubationView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enter(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<EnterInput>,
) -> ApiResult<(StatusCode, Json<IncubationView>)> {
    Ok((
        StatusCode::CREATED,
        Json(
            enterprises::enter(&state, &caller.ctx(), id, &input)
                .await?
                .into(),
        ),
    ))
}

/// Closes the open spell: graduated or left, with the date and reason.
#[utoipa::path(post, path = "/api/v1/enterprises/{id}/exit", tag = "enterprises", params(("id" = i64, Path)), request_body = ExitInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = IncubationView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn exit(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ExitInput>,
) -> ApiResult<Json<IncubationView>> {
    Ok(Json(
        enterprises::exit(&state, &caller.ctx(), id, &input)
            .await?
            .into(),
    ))
}
