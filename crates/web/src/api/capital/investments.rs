//! `/api/v1/capital/investments`: investments, exits, and the investors' workbook.

use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use fruition_app::capital::investments::{
    self, InvestmentExitInput, InvestmentExitView, InvestmentImportSummary, InvestmentInput,
    InvestmentQuery, InvestmentView,
};
use fruition_app::import::MAX_FILE_BYTES;

use crate::AppState;
use crate::api::Caller;
use crate::api::imports::{ImportErrorBody, workbook};
use crate::download::xlsx_response;
use crate::error::{ApiJson, ApiQuery, ApiResult, ErrorBody, Id};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/capital/investments",
            get(list_investments).post(record_investment),
        )
        .route("/capital/investments/{id}", get(get_investment))
        .route("/capital/exits", post(record_exit))
        .route(
            "/capital/investments/imports",
            post(import_investments).layer(DefaultBodyLimit::max(MAX_FILE_BYTES)),
        )
        .route("/capital/investments/template", get(investment_template))
}

/// Investments the caller may see: the bureau every one, an enterprise those in it, an investor
/// those of the funds it manages; the latest first.
#[utoipa::path(get, path = "/api/v1/capital/investments", tag = "capital", params(InvestmentQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [InvestmentView]), (status = 422, body = ErrorBody)))]
pub async fn list_investments(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<InvestmentQuery>,
) -> ApiResult<Json<Vec<InvestmentView>>> {
    Ok(Json(investments::list(&state, &caller.ctx(), &q).await?))
}

/// Records an investment (the fund's manager or the bureau): a first investment or a follow-on,
/// optionally concluding a deal on the manager's capital listing. 409 `amount_fen` when it
/// would take the fund past its size, `status` when the fund no longer invests. A valuation
/// re-marks every fund's position in the enterprise and triggers its 先投后股 projects.
#[utoipa::path(post, path = "/api/v1/capital/investments", tag = "capital", request_body = InvestmentInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = InvestmentView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_investment(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<InvestmentInput>,
) -> ApiResult<(StatusCode, Json<InvestmentView>)> {
    let v = investments::record(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(v)))
}

/// One investment: the fund's manager, the enterprise and the bureau.
#[utoipa::path(get, path = "/api/v1/capital/investments/{id}", tag = "capital", params(("id" = i64, Path)),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = InvestmentView), (status = 404, body = ErrorBody)))]
pub async fn get_investment(
    State(state): State<AppState>,
    caller: Caller,
    Id(id): Id,
) -> ApiResult<Json<InvestmentView>> {
    Ok(Json(investments::get(&state, &caller.ctx(), id).await?))
}

/// Records an exit from a fund's position in an enterprise (all of what is left unless
/// `cost_fen` says how much): transfer, buy-back, IPO, liquidation or write-off. 409 `cost_fen`
/// when it would take out more than is left.
#[utoipa::path(post, path = "/api/v1/capital/exits", tag = "capital", request_body = InvestmentExitInput,
    security(("bearer" = []), ("session" = [])),
    responses((status = 201, body = InvestmentExitView), (status = 403, body = ErrorBody),
        (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn record_exit(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(input): ApiJson<InvestmentExitInput>,
) -> ApiResult<(StatusCode, Json<InvestmentExitView>)> {
    let x = investments::exit(&state, &caller.ctx(), &input).await?;
    Ok((StatusCode::CREATED, Json(x)))
}

/// An investor's investments from a workbook (the body is the file: .xlsx from
/// `GET /api/v1/capital/investments/template`, or CSV with the same headers), at most 20,000
/// rows. Every row is checked, then all are written in one transaction against the funds'
/// sizes; any bad row means nothing is written and the answer is 422 listing every problem by
/// row and column (or an .xlsx report with `Accept` set to it).
#[utoipa::path(post, path = "/api/v1/capital/investments/imports", tag = "capital",
    request_body(description = "The file: .xlsx (or .xls, .ods) or CSV", content(
        ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("text/csv"),
    )),
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, body = InvestmentImportSummary, description = "Every row was written"),
        (status = 400, body = ErrorBody, description = "Not a spreadsheet's content type"),
        (status = 403, body = ErrorBody),
        (status = 413, body = ErrorBody, description = "Larger than 50 MB, or more rows than allowed"),
        (status = 422, description = "Bad rows (nothing written), or a file that cannot be read", content(
            (ImportErrorBody = "application/json"),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    ))]
pub async fn import_investments(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    workbook(
        &headers,
        body,
        "投资导入问题清单",
        |bytes, hint| async move { investments::import(&state, &caller.ctx(), bytes, hint).await },
    )
    .await
}

/// The .xlsx template for an investor's investments.
#[utoipa::path(get, path = "/api/v1/capital/investments/template", tag = "capital", security(("bearer" = []), ("session" = [])),
    responses((status = 200, description = "The template",
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))]
pub async fn investment_template(_caller: Caller) -> ApiResult<Response> {
    Ok(xlsx_response(
        StatusCode::OK,
        "投资导入模板",
        investments::template()?,
    ))
}
