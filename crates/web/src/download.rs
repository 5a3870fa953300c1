//! Files answered for download: a workbook as an attachment with a Chinese file name. The pages'
//! exports (`pages::export`) and the API's import template and error report use it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fruition_app::links::url_encode;

/// The media type of an .xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An .xlsx body as an attachment named `filename` (without `.xlsx`; Chinese is fine).
pub fn xlsx_response(status: StatusCode, filename: &str, bytes: Vec<u8>) -> Response {
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!(
        "attachment; filename=\"{ascii}.xlsx\"; filename*=UTF-8''{}.xlsx",
        url_encode(filename).replace('/', "%2F")
    );
    let mut res = (status, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
