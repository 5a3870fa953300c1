//! `/api/v1/credit/repayments`: a bank's repayment workbook, all rows or none, and its template.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::credit::repayments::{self, RepaymentImportSummary};
use fruition_app::import::{self, ImportError, MAX_FILE_BYTES};

use crate::AppState;
use crate::api::Caller;
use crate::api::imports::{ImportErrorBody, hint_of, refused, rows_response, unreadable};
use crate::download::{XLSX, xlsx_response};
use crate::error::{ApiResult, ErrorBody, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/credit/repayments/imports",
            post(import_repayments).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
        .route("/credit/repayments/template", get(repayment_template))
}

/// A bank's repayments from a workbook (the bank's users who can write): the body is the file
/// itself (.xlsx made from `GET /api/v1/credit/repayments/template`, or CSV with the same
/// headers), at most 50,000 rows. Every row is checked, then applied in file order against the
/// bank's own loans; any bad row means nothing is written and the answer is 422 listing every
/// problem by row and column (or an .xlsx report with `Accept` set to it).
#[utoipa::path(post, path = "/api/v1/credit/repayments/imports", tag = "credit",
    request_body(description = "The file: .xlsx (or .xls, .ods) or CSV", content(
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("text/csv"),
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = RepaymentImportSummary, description = "Every row was written"),
        (status = 400, body = ErrorBody, description = "Not a spreadsheet's content type"),
        (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than 50 MB, or more rows than allowed"),
        (status = 422, description = "Bad rows (nothing written), or a file that cannot be read", content(
            (ImportErrorBody = "application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    ))]
pub async fn import_repayments(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(hint) = hint_of(&headers) else {
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
    match repayments::import(&state, &caller.ctx(), bytes, hint).await {
        Ok(summary) => Json(summary).into_response(),
        Err(ImportError::Rows(rows)) if wants_xlsx => match import::error_report(&rows) {
            Ok(bytes) => xlsx_response(StatusCode::UNPROCESSABLE_ENTITY, "还款导入问题清单", bytes),
            Err(e) => e.into_response(),
        },
        Err(ImportError::Rows(rows)) => rows_response(&rows),
        Err(ImportError::Refused(e)) => refused(e),
    }
}

/// The .xlsx template for a bank's repayments.
#[utoipa::path(get, path = "/api/v1/credit/repayments/template", tag = "credit", security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The template",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn repayment_template(_caller: Caller) -> ApiResult<Response> {
    Ok(xlsx_response(
        StatusCode::OK,
        "还款导入模板",
        repayments::template()?,
    ))
}
