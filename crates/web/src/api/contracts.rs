//! `/api/v1/contract-submissions`: technology contracts concluded anywhere, submitted with their
//! signed file to the registration office (技术合同认定登记), which recognises them into the same
//! register as market deals, returns them with a reason or refuses them.

use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::contracts::{
    self, ContractDecisionInput, ContractSubmissionInput, ContractSubmissionView,
};
use fruition_app::links::url_encode;
use fruition_domain::contract::{FILE_MAX_BYTES, SubmissionStatus};
use serde::Deserialize;
use utoipa::IntoParams;

use super::Caller;
use super::deals::RegisterQuery;
use crate::AppState;
use crate::api::imports::{ImportErrorBody, workbook};
use crate::download::xlsx_response;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::http::HeaderMap;
use fruition_app::contracts::ContractImportSummary;
use fruition_app::import::MAX_FILE_BYTES;

/// A submission's body: its fields and the file in base64 (4/3 of the file) with room for the
/// fields; a larger body is refused before it is read (413).
pub const BODY_MAX_BYTES: usize = FILE_MAX_BYTES / 3 * 4 + 64 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/contract-submissions",
            get(list)
                .post(submit)
                .layer(DefaultBodyLimit::max(BODY_MAX_BYTES)),
        )
        .route(
            "/contract-submissions/{id}",
            get(get_one)
                .put(resubmit)
                .layer(DefaultBodyLimit::max(BODY_MAX_BYTES)),
        )
        .route("/contract-submissions/{id}/file", get(file))
        .route("/contract-submissions/{id}/decision", post(decide))
        .route("/contract-submissions/{id}/reminders", post(remind))
        .route("/contracts/export.xlsx", get(export_register))
        .route(
            "/contracts/imports",
            post(import_registrations).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
        .route("/contracts/template", get(import_template))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SubmissionsQuery {
    /// submitted | recognised | returned | refused.
    pub status: Option<SubmissionStatus>,
}

/// Submitted contracts: the bureau sees every one (`status=submitted`: those awaiting the office,
/// the oldest first); an organisation those it submitted or is a party to.
#[utoipa::path(get, path = "/api/v1/contract-submissions", tag = "contracts", params(SubmissionsQuery),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = [ContractSubmissionView]), (status = 401, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SubmissionsQuery>,
) -> ApiResult<Json<Vec<ContractSubmissionView>>> {
    Ok(Json(
        contracts::list(&state, &caller.ctx(), q.status).await?,
    ))
}

/// Submits a technology contract concluded anywhere, with its signed file (PDF, JPEG or PNG, at
/// most 10 MB, base64), to the registration office: by a party (its USCC is the seller's or the
/// buyer's; 422 naming `seller_uscc` otherwise) or by the bureau on a party's behalf. One party
/// may be registered outside the city, not both.
#[utoipa::path(post, path = "/api/v1/contract-submissions", tag = "contracts", request_body = ContractSubmissionInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = ContractSubmissionView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "A body larger than the file's limit allows"),
        (status = 422, body = ErrorBody)))]
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<ContractSubmissionInput>,
) -> ApiResult<(StatusCode, Json<ContractSubmissionView>)> {
    let file = contracts::check_file(&input.file_name, input.file_base64.as_deref());
    let v = contracts::submit(&state, &caller.ctx(), &input, file).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// A submitted contract: the bureau, the submitter and the parties on the platform (404 for
/// anyone else).
#[utoipa::path(get, path = "/api/v1/contract-submissions/{id}", tag = "contracts", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])), responses((status = 200, body = ContractSubmissionView), (status = 404, body = ErrorBody)))]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<ContractSubmissionView>> {
    Ok(Json(contracts::get(&state, &caller.ctx(), id).await?))
}

/// Resubmits a returned contract, corrected (the file is kept unless a new one is sent): the
/// submitter or the bureau. 409 unless it was returned.
#[utoipa::path(put, path = "/api/v1/contract-submissions/{id}", tag = "contracts", params(("id" = i64, Path)),
    request_body = ContractSubmissionInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ContractSubmissionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn resubmit(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ContractSubmissionInput>,
) -> ApiResult<Json<ContractSubmissionView>> {
    let file = contracts::check_file(&input.file_name, input.file_base64.as_deref())?;
    Ok(Json(
        contracts::resubmit(&state, &caller.ctx(), id, &input, file).await?,
    ))
}

/// The signed contract as it was uploaded (PDF, JPEG or PNG).
#[utoipa::path(get, path = "/api/v1/contract-submissions/{id}/file", tag = "contracts", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The file", content(("application/pdf"), ("image/jpeg"), ("image/png"))),
        (status = 404, body = ErrorBody)))]
pub async fn file(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Response> {
    let (name, mime, bytes) = contracts::file(&state, &caller.ctx(), id).await?;
    Ok(file_response(&name, mime, bytes))
}

/// A stored file as an attachment.
pub(crate) fn file_response(name: &str, mime: &'static str, bytes: Vec<u8>) -> Response {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
        url_encode(name).replace('/', "%2F")
    );
    let mut res = (StatusCode::OK, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The office decides (bureau administrators and staff): `recognise` enters the contract in the
/// register with the next number of the year of `registered_on`; `return` and `refuse` need a
/// reason. The submitter is told in its inbox. 409 unless the contract awaits the office.
#[utoipa::path(post, path = "/api/v1/contract-submissions/{id}/decision", tag = "contracts", params(("id" = i64, Path)),
    request_body = ContractDecisionInput, security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = ContractSubmissionView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    ApiJson(input): ApiJson<ContractDecisionInput>,
) -> ApiResult<Json<ContractSubmissionView>> {
    Ok(Json(
        contracts::decide(&state, &caller.ctx(), id, &input).await?,
    ))
}

/// Reminds about a submission (催办): its submitter reminds the registration office while it
/// waits for a decision; the office reminds the submitter while a returned one waits for
/// correction. At most once a day (a second call that day tells nobody: `already_today`);
/// recorded in the audit log. 409 when the contract is decided or waits on the caller's side.
#[utoipa::path(post, path = "/api/v1/contract-submissions/{id}/reminders", tag = "contracts", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = fruition_app::reminders::ReminderOutcome), (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn remind(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<fruition_app::reminders::ReminderOutcome>> {
    Ok(Json(
        fruition_app::reminders::contract(&state, &caller.ctx(), id).await?,
    ))
}

/// The register of technology contracts as an .xlsx workbook (the registrar), with the same
/// filters as `GET /api/v1/contracts`: every registered contract, reached in the market or
/// submitted from outside it, amounts in 元.
#[utoipa::path(get, path = "/api/v1/contracts/export.xlsx", tag = "contracts", params(RegisterQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The register as a workbook",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, body = ErrorBody)))]
pub async fn export_register(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<RegisterQuery>,
) -> ApiResult<Response> {
    let year = q.year.map(|y| y.0);
    let rows = fruition_app::deals::contracts(&state, &caller.ctx(), year, q.source).await?;
    let sheet = crate::pages::contracts::register_sheet(&rows);
    let name = match year {
        Some(y) => format!("技术合同登记簿{y}"),
        None => "技术合同登记簿".to_string(),
    };
    Ok(crate::pages::export::download(&name, &[sheet]))
}

/// Historical registrations from a workbook (the registration office; the body is the file:
/// .xlsx from `GET /api/v1/contracts/template`, or CSV with the same headers), at most 5,000
/// rows. Every row is checked, then all are written in one transaction — each numbered with its
/// historical number (kept if the register does not hold it) or the next of its year, and
/// counted in the contract statistics; any bad row means nothing is written and the answer is
/// 422 listing every problem by row and column (or an .xlsx report with `Accept` set to it).
#[utoipa::path(post, path = "/api/v1/contracts/imports", tag = "contracts",
    request_body(description = "The file: .xlsx (or .xls, .ods) or CSV", content(
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("text/csv"),
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = ContractImportSummary, description = "Every row was written"),
        (status = 400, body = ErrorBody, description = "Not a spreadsheet's content type"),
        (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than 50 MB, or more rows than allowed"),
        (status = 422, description = "Bad rows (nothing written), or a file that cannot be read", content(
            (ImportErrorBody = "application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    ))]
pub async fn import_registrations(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    workbook(
        &headers,
        body,
        "技术合同导入问题清单",
        |bytes, hint| async move { contracts::import(&state, &caller.ctx(), bytes, hint).await },
    )
    .await
}

/// The .xlsx template for historical registrations.
#[utoipa::path(get, path = "/api/v1/contracts/template", tag = "contracts", security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The template",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn import_template(_caller: Caller) -> ApiResult<Response> {
    Ok(xlsx_response(
        StatusCode::OK,
        "技术合同历史登记导入模板",
        contracts::template()?,
    ))
}
