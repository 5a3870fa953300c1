//! Files answered for download: a workbook, or a stored attachment, with a Chinese file name. The pages'
//! exports (`pages::export`) and the API's import template and error report use it.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use fruition_app::links::url_encode;

/// The media type of an .xlsx workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An .xlsx body as an attachment named `filename` (without `.xlsx`; Chinese is fine).
pub fn xlsx_response(status: StatusCode, filename: &str, bytes: Vec<u8>) -> Response {
    file_response(status, &format!("{filename}.xlsx"), XLSX, bytes)
}

/// A file as an attachment named `filename` (with its extension; Chinese is fine: an ASCII
/// fallback and the RFC 5987 UTF-8 name), served as `media_type` and never sniffed as another.
pub fn file_response(
    status: StatusCode,
    filename: &str,
    media_type: &'static str,
    bytes: Vec<u8>,
) -> Response {
    let ascii: String = filename
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
        url_encode(filename).replace('/', "%2F")
    );
    let mut res = (status, bytes).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Ok(v) = HeaderValue::from_str(&disposition) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}
