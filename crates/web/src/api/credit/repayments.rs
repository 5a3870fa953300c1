//! `/api/v1/credit/repayments`: a bank's repayment workbook, all rows or none, and its template.

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_app::credit::repayments::{self, RepaymentImportSummary};
use fruition_app::import::MAX_FILE_BYTES;

use crate::AppState;
use crate::api::Caller;
use crate::api::imports::{ImportErrorBody, workbook};
use crate::download::xlsx_response;
use crate::error::{ApiResult, ErrorBody};

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
    workbook(
        &headers,
        body,
        "还款导入问题清单",
        |bytes, hint| async move { repayments::import(&state, &caller.ctx(), bytes, hint).await },
    )
    .await
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
