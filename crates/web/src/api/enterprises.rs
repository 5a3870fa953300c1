//! `/api/v1/enterprises`: enterprises, their incubation spells and yearly figures.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_domain::indicators::Indicators;
use fruition_store::enterprises::{Enterprise, EnterpriseFilter, EnterpriseRow, Incubation};
use fruition_store::indicators::IndicatorRow;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use crate::AppState;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use fruition_app::enterprises::{self, EnterInput, EnterpriseInput, ExitInput, NewEnterpriseInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list).post(create))
        .route("/enterprises/{id}", get(get_one).patch(update))
        .route("/enterprises/{id}/incubations", post(enter))
        .route("/enterprises/{id}/exit", post(exit))
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseView {
    pub id: i64,
    pub uscc: String,
    pub name: String,
    pub founded_on: Option<String>,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub chain_code: Option<String>,
    pub industry_division: Option<String>,
    pub high_tech: bool,
    pub tech_sme: bool,
    pub parent_id: Option<i64>,
    /// The carrier where it is incubating now.
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
}

impl From<EnterpriseRow> for EnterpriseView {
    fn from(r: EnterpriseRow) -> Self {
        let mut v = EnterpriseView::from(r.enterprise);
        v.carrier_id = r.carrier_id;
        v.carrier_name = r.carrier_name;
        v
    }
}

impl From<Enterprise> for EnterpriseView {
    fn from(e: Enterprise) -> Self {
        EnterpriseView {
            id: e.id,
            uscc: e.uscc,
            name: e.name,
            founded_on: e.founded_on,
            county_code: e.county_code,
            zone_id: e.zone_id,
            chain_code: e.chain_code,
            industry_division: e.industry_division,
            high_tech: e.high_tech,
            tech_sme: e.tech_sme,
            parent_id: e.parent_id,
            carrier_id: None,
            carrier_name: None,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct IncubationView {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub entered_on: String,
    pub exited_on: Option<String>,
    /// `graduated` or `left`.
    pub exit_kind: Option<String>,
    pub exit_reason: Option<String>,
}

impl From<Incubation> for IncubationView {
    fn from(i: Incubation) -> Self {
        IncubationView {
            id: i.id,
            carrier_id: i.carrier_id,
            carrier_name: i.carrier_name,
            entered_on: i.entered_on,
            exited_on: i.exited_on,
            exit_kind: i.exit_kind,
            exit_reason: i.exit_reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct YearFigures {
    pub year: i64,
    pub report_id: Option<i64>,
    pub indicators: Indicators,
}

impl From<IndicatorRow> for YearFigures {
    fn from(r: IndicatorRow) -> Self {
        YearFigures {
            year: r.year,
            report_id: r.report_id,
            indicators: r.indicators(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EnterpriseDetailView {
    pub enterprise: EnterpriseView,
    pub incubations: Vec<IncubationView>,
    pub years: Vec<YearFigures>,
}

/// A saved enterprise with the warnings its code raised (e.g. the embedded organisation code's check).
#[derive(Serialize, ToSchema)]
pub struct SavedEnterprise {
    pub enterprise: EnterpriseView,
    pub warnings: Vec<String>,
}

#[derive(Deserialize, IntoParams)]
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
    responses((status = 201, body = SavedEnterprise), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
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
    Ok(Json(EnterpriseDetailView {
        enterprise: d.enterprise.into(),
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
