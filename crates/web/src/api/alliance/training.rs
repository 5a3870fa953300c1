//! `/api/v1/alliance/training`: staff training courses, attendance with hours, and certificates.

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::alliance::training::{
    self, CertificateInput, CertificateView, CourseInput, CourseView, TrainingOverview,
    TrainingQuery, TrainingRecordInput, TrainingRecordView,
};

use crate::AppState;
use crate::api::Caller;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliance/training", get(training_overview))
        .route("/alliance/training/courses", post(add_course))
        .route("/alliance/training/records", post(add_record))
        .route("/alliance/training/certificates", post(add_certificate))
}

/// A year's courses (every signed-in user), and the attendance, hours per person and per carrier
/// and certificates of the carriers the caller may see (the bureau: all; a carrier operator: its own).
#[utoipa::path(get, path = "/api/v1/alliance/training", tag = "alliance", params(TrainingQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = TrainingOverview), (status = 422, body = ErrorBody)))]
pub async fn training_overview(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<TrainingQuery>,
) -> ApiResult<Json<TrainingOverview>> {
    Ok(Json(training::overview(&state, &caller.ctx(), &q).await?))
}

/// Records a course: the bureau, or a member carrier's managers.
#[utoipa::path(post, path = "/api/v1/alliance/training/courses", tag = "alliance", request_body = CourseInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CourseView), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_course(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CourseInput>,
) -> ApiResult<(StatusCode, Json<CourseView>)> {
    let k = training::add_course(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// Records a person's attendance at a course with the hours credited: the bureau, or the managers
/// of the carrier the person works for (409 `person_name` when recorded already).
#[utoipa::path(post, path = "/api/v1/alliance/training/records", tag = "alliance", request_body = TrainingRecordInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = TrainingRecordView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_record(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<TrainingRecordInput>,
) -> ApiResult<(StatusCode, Json<TrainingRecordView>)> {
    let r = training::add_record(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

/// Records a staff member's certificate (技术经纪人、创业导师、其他): the bureau, or the carrier's
/// managers (409 `number` when that number is recorded already).
#[utoipa::path(post, path = "/api/v1/alliance/training/certificates", tag = "alliance", request_body = CertificateInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = CertificateView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_certificate(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<CertificateInput>,
) -> ApiResult<(StatusCode, Json<CertificateView>)> {
    let s = training::add_certificate(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(s)))
}
