//! `/api/v1/services`: one-stop services (一站式服务) — the catalogue, requests from asking to
//! rating, and providers' figures.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use fruition_app::services::{
    self, ServiceActiveInput, ServiceDetail, ServiceInput, ServiceProviderStatsView, ServiceQuery,
    ServiceRequestDetail, ServiceRequestInput, ServiceRequestQuery, ServiceRequestStepInput,
    ServiceRequestView, ServiceStatsQuery, ServiceView,
};
use fruition_domain::attachment;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id, Ids};
use fruition_app::error::AppError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(list_services).post(create_service))
        .route("/services/{id}", get(get_service).put(update_service))
        .route("/services/{id}/active", put(set_service_active))
        .route(
            "/services/requests",
            get(list_requests).post(create_request),
        )
        .route("/services/requests/{id}", get(get_request))
        .route("/services/requests/{id}/actions", post(request_step))
        .route(
            "/services/requests/{id}/steps/{position}/files",
            post(attach).layer(DefaultBodyLimit::max(attachment::MAX_BYTES)),
        )
        .route("/services/requests/{id}/files/{file_id}", get(step_file))
        .route("/services/statistics", get(statistics))
}

/// The catalogue: active services, filtered by category, provider, free, voucher-payable and
/// words; `mine=true` lists the caller's own, inactive ones too.
#[utoipa::path(get, path = "/api/v1/services", tag = "services", params(ServiceQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ServiceView]), (status = 422, body = ErrorBody)))]
pub async fn list_services(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ServiceQuery>,
) -> ApiResult<Json<Vec<ServiceView>>> {
    Ok(Json(
        services::list_services(&state, &caller.ctx(), &q).await?,
    ))
}

/// A provider (the bureau, a carrier operator, a service agency) offers a new service.
#[utoipa::path(post, path = "/api/v1/services", tag = "services", request_body = ServiceInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ServiceDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_service(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<(StatusCode, Json<ServiceDetail>)> {
    let d = services::create_service(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A service with what the caller may do with it (an inactive one only to its provider and the bureau).
#[utoipa::path(get, path = "/api/v1/services/{id}", tag = "services", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ServiceDetail), (status = 404, body = ErrorBody)))]
pub async fn get_service(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ServiceDetail>> {
    Ok(Json(
        services::get_service(&state, &caller.ctx(), id).await?,
    ))
}

/// The provider changes its service (requests already made keep their steps).
#[utoipa::path(put, path = "/api/v1/services/{id}", tag = "services", params(("id" = i64, Path)),
    request_body = ServiceInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ServiceDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn update_service(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ServiceInput>,
) -> ApiResult<Json<ServiceDetail>> {
    Ok(Json(
        services::update_service(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// The provider, or the bureau, switches a service off or on.
#[utoipa::path(put, path = "/api/v1/services/{id}/active", tag = "services", params(("id" = i64, Path)),
    request_body = ServiceActiveInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ServiceDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn set_service_active(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ServiceActiveInput>,
) -> ApiResult<Json<ServiceDetail>> {
    Ok(Json(
        services::set_service_active(&state, &caller.ctx(), id, input.active).await?,
    ))
}

/// Requests the caller may see (`role=mine` asked, `role=incoming` to answer; the bureau every
/// request), each with its `overdue` flag; `overdue=true` lists only those waiting past their promise.
#[utoipa::path(get, path = "/api/v1/services/requests", tag = "services", params(ServiceRequestQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ServiceRequestView]), (status = 422, body = ErrorBody)))]
pub async fn list_requests(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ServiceRequestQuery>,
) -> ApiResult<Json<Vec<ServiceRequestView>>> {
    Ok(Json(
        services::list_requests(&state, &caller.ctx(), &q).await?,
    ))
}

/// An enterprise asks for a service, or (`to_my_carrier`) for help from the carrier incubating it now.
#[utoipa::path(post, path = "/api/v1/services/requests", tag = "services", request_body = ServiceRequestInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ServiceRequestDetail), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_request(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ServiceRequestInput>,
) -> ApiResult<(StatusCode, Json<ServiceRequestDetail>)> {
    let d = services::create_request(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A request with its steps and the actions the caller may take now.
#[utoipa::path(get, path = "/api/v1/services/requests/{id}", tag = "services", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ServiceRequestDetail), (status = 404, body = ErrorBody)))]
pub async fn get_request(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ServiceRequestDetail>> {
    Ok(Json(
        services::get_request(&state, &caller.ctx(), id).await?,
    ))
}

/// A step on a request: `accept`, `decline` (with `reason`), `record` (`position`, `note`),
/// `complete` (`charge_fen`) by the provider; `withdraw`, `rate` (`stars`, `note`; once) by the
/// enterprise. A step not legal now, or a second rating, is a conflict.
#[utoipa::path(post, path = "/api/v1/services/requests/{id}/actions", tag = "services", params(("id" = i64, Path)),
    request_body = ServiceRequestStepInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ServiceRequestDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn request_step(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ServiceRequestStepInput>,
) -> ApiResult<Json<ServiceRequestDetail>> {
    Ok(Json(
        services::step(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// The file's name as it should be kept.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AttachQuery {
    /// The file's name with its extension (`检测报告.pdf`); path parts and quotes are dropped.
    pub name: String,
}

/// The provider records a file with step `position` of a request being worked or completed: the
/// body is the file itself, at most 10 MB, a PDF, PNG or JPEG image, or a Word, Excel or
/// PowerPoint document (told by its content; 422 naming `file` otherwise; 413 when larger). A
/// request keeps at most 30 files (409 naming `file`); a declined or withdrawn one none (409,
/// `status`).
#[utoipa::path(post, path = "/api/v1/services/requests/{id}/steps/{position}/files", tag = "services",
    params(("id" = i64, Path), ("position" = i64, Path, description = "The step: 1, 2, …"), AttachQuery),
    request_body(description = "The file", content(("application/pdf"), ("image/png"), ("image/jpeg"), ("application/octet-stream"))),
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ServiceRequestDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody),
        (status = 422, body = ErrorBody)))]
pub async fn attach(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, position): Ids,
    ApiQuery(q): ApiQuery<AttachQuery>,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<ServiceRequestDetail>)> {
    let body = match body {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            let e = attachment::too_large("file");
            return Err(AppError::file_too_large("file", e.zh, e.en).into());
        }
        Err(_) => {
            return Err(AppError::BadRequest {
                code: "unreadable_body",
                zh: "无法读取请求内容。".into(),
                en: "The request body could not be read.".into(),
            }
            .into());
        }
    };
    let d = services::attach(&state, &caller.ctx(), id, position, &q.name, &body).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// A file recorded with a request's step, for the request's parties and the bureau.
#[utoipa::path(get, path = "/api/v1/services/requests/{id}/files/{file_id}", tag = "services",
    params(("id" = i64, Path), ("file_id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The file, as an attachment", content(("application/octet-stream"))),
        (status = 404, body = ErrorBody)))]
pub async fn step_file(
    State(state): State<AppState>,
    caller: Caller,
    Ids(id, file_id): Ids,
) -> ApiResult<Response> {
    let (f, bytes) = services::step_file(&state, &caller.ctx(), id, file_id).await?;
    Ok(crate::download::file_response(
        StatusCode::OK,
        &f.name,
        f.kind.media_type(&f.name),
        bytes,
    ))
}

/// Providers' figures — volume, acceptance share, mean and median response, median completion,
/// mean rating, overdue: the bureau every provider's, a provider its own.
#[utoipa::path(get, path = "/api/v1/services/statistics", tag = "services", params(ServiceStatsQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [ServiceProviderStatsView]), (status = 403, body = ErrorBody)))]
pub async fn statistics(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ServiceStatsQuery>,
) -> ApiResult<Json<Vec<ServiceProviderStatsView>>> {
    Ok(Json(services::statistics(&state, &caller.ctx(), &q).await?))
}
