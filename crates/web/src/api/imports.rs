//! `/api/v1/carriers/{id}/imports`: a carrier's incubatees and their yearly figures from a
//! workbook or CSV file; `/api/v1/import-template`: the template to fill in.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Caller;
use crate::AppState;
use crate::download::{XLSX, xlsx_response};
use crate::error::HttpError;
use crate::error::{
    ApiError, ApiQuery, ApiResult, AppError, ErrorBody, ErrorDetail, Id, request_lang,
};
use fruition_app::import::{self, ImportError, ImportSummary, MAX_FILE_BYTES};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/carriers/{id}/imports",
            post(create).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
        .route("/import-template", get(template))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ImportQuery {
    /// The year whose report receives the figures.
    #[param(value_type = i64, minimum = 1949, maximum = 2200)]
    pub year: super::Year,
}

/// One problem in the file: the row as the user sees it in Excel, the column's header, the
/// cell's value and why, in the request's language and in both.
#[derive(Serialize, ToSchema)]
pub struct RowErrorView {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
    pub zh: String,
    pub en: String,
}

/// The error shape with the list of bad rows.
#[derive(Serialize, ToSchema)]
pub struct ImportErrorDetail {
    /// `invalid_input`.
    pub code: String,
    pub message: String,
    /// Each problem under `row N: column`.
    pub fields: std::collections::BTreeMap<String, String>,
    /// Every problem, by row (empty when the file itself cannot be read).
    pub rows: Vec<RowErrorView>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportErrorBody {
    pub error: ImportErrorDetail,
}

pub(crate) fn unreadable(zh: &str, en: &str, status: StatusCode, code: &str) -> Response {
    let lang = request_lang();
    let body = ErrorBody {
        error: ErrorDetail {
            code: code.into(),
            message: lang.pick(zh, en).into(),
            fields: Default::default(),
        },
    };
    (status, Json(body)).into_response()
}

/// The file name hint for the reader from the request's `Content-Type`; None for a type that is
/// not a spreadsheet.
pub(crate) fn hint_of(headers: &HeaderMap) -> Option<&'static str> {
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let mime = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match mime.as_str() {
        XLSX => Some("upload.xlsx"),
        "application/vnd.ms-excel" => Some("upload.xls"),
        "application/vnd.oasis.opendocument.spreadsheet" => Some("upload.ods"),
        "text/csv" | "application/csv" | "text/plain" => Some("upload.csv"),
        "application/octet-stream" => Some(""),
        _ => None,
    }
}

/// Imports a carrier's incubatees with their figures for a year (the bureau or the carrier's
/// managers). The body is the file itself, up to 50 MB: an .xlsx workbook made from the template
/// (`GET /api/v1/import-template`), or a CSV file in UTF-8 or GB18030 with the same headers
/// (Chinese or English). Every row is checked first; any bad row means nothing is written and
/// the answer is 422 listing every problem by row and column (send
/// `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet` to receive them as
/// an .xlsx report instead). A revoked carrier, or a submitted or approved report, refuses imports
/// (409, naming `carrier` or `report`).
#[utoipa::path(post, path = "/api/v1/carriers/{id}/imports", tag = "imports",
    params(("id" = i64, Path, description = "The carrier"), ImportQuery),
    request_body(description = "The file: .xlsx (or .xls, .ods) or CSV", content(
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("text/csv"),
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = ImportSummary, description = "Everything was written"),
        (status = 400, body = ErrorBody, description = "Not a spreadsheet's content type"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The carrier is revoked, or the year's report is submitted or approved"),
        (status = 413, body = ErrorBody, description = "Larger than 50 MB"),
        (status = 422, description = "Bad rows (nothing written), or a file that cannot be read", content(
            (ImportErrorBody = "application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    ))]
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
    q: Result<ApiQuery<ImportQuery>, ApiError>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let q = match q {
        Ok(ApiQuery(q)) => q,
        Err(ApiError(e)) => return refused(e),
    };
    workbook(&headers, body, "导入问题清单", |bytes, hint| async move {
        import::import(&state, &caller.ctx(), id, q.year.0, bytes, hint, None).await
    })
    .await
}

/// A workbook upload as every import endpoint takes it: the body is the file itself, its kind
/// from `Content-Type`; `run` checks and writes it (all rows or none). Bad rows answer 422
/// listing each (or as an .xlsx report named `report` when `Accept` asks for one).
pub(crate) async fn workbook<T, F, Fut>(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
    report: &str,
    run: F,
) -> Response
where
    T: Serialize,
    F: FnOnce(Bytes, &'static str) -> Fut,
    Fut: std::future::Future<Output = Result<T, ImportError>>,
{
    let Some(hint) = hint_of(headers) else {
        return unreadable(
            "请以文件本身为请求体，并设置 Content-Type 为 .xlsx（application/vnd.openxmlformats-officedocument.spreadsheetml.sheet）或 text/csv。",
            "Send the file itself as the body with Content-Type application/vnd.openxmlformats-officedocument.spreadsheetml.sheet or text/csv.",
            StatusCode::BAD_REQUEST,
            "unsupported_media_type",
        );
    };
    let bytes = match body {
        Ok(b) => b,
        Err(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return import::file_over_limit().into_response();
        }
        Err(_) => {
            return unreadable(
                "无法读取请求内容。",
                "The request body could not be read.",
                StatusCode::BAD_REQUEST,
                "unreadable_body",
            );
        }
    };
    let wants_xlsx = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains(XLSX));
    match run(bytes, hint).await {
        Ok(summary) => Json(summary).into_response(),
        Err(ImportError::Rows(rows)) if wants_xlsx => match import::error_report(&rows) {
            Ok(bytes) => xlsx_response(StatusCode::UNPROCESSABLE_ENTITY, report, bytes),
            Err(e) => e.into_response(),
        },
        Err(ImportError::Rows(rows)) => rows_response(&rows),
        Err(ImportError::Refused(e)) => refused(e),
    }
}

/// An import refused before any row was checked: a 422 (a query that does not fit, a file that
/// cannot be read) in the same shape as bad rows, with no rows; anything else as it is.
pub(crate) fn refused(e: AppError) -> Response {
    if e.status() != StatusCode::UNPROCESSABLE_ENTITY {
        return e.into_response();
    }
    let base = e.body(request_lang()).error;
    let body = ImportErrorBody {
        error: ImportErrorDetail {
            code: base.code,
            message: base.message,
            fields: base.fields,
            rows: Vec::new(),
        },
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// 422 in the error shape, with every problem under `fields` and in `rows`.
pub fn rows_response(rows: &[fruition_sheets::RowError]) -> Response {
    let lang = request_lang();
    let problems = ImportError::Rows(rows.to_vec()).into_app_error();
    let base = problems.body(lang).error;
    let message = lang
        .pick(
            &format!(
                "文件中有 {} 处问题，未导入任何数据；请改正后重新导入。",
                rows.len()
            ),
            &format!(
                "The file has {} problems; nothing was imported. Correct them and import it again.",
                rows.len()
            ),
        )
        .to_string();
    let body = ImportErrorBody {
        error: ImportErrorDetail {
            code: base.code,
            message,
            fields: base.fields,
            rows: rows
                .iter()
                .map(|e| RowErrorView {
                    row: e.row,
                    column: e.column.clone(),
                    value: e.value.clone(),
                    message: import::row_message(e, lang).to_string(),
                    zh: e.zh.clone(),
                    en: e.en.clone(),
                })
                .collect(),
        },
    };
    (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response()
}

/// The .xlsx template for imports: the columns (required ones marked `*`) with how to fill each,
/// and an example row on a sheet of its own.
#[utoipa::path(get, path = "/api/v1/import-template", tag = "imports", security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The template",
        content(("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))))]
pub async fn template(_caller: Caller) -> ApiResult<Response> {
    Ok(xlsx_response(
        StatusCode::OK,
        "在孵企业导入模板",
        import::template()?,
    ))
}
