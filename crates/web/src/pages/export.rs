//! Lists as Excel workbooks. Every list page also answers at `…/export.xlsx` with the same
//! filters: its handler takes an [`Export`], and when `export.xlsx` is set it answers with
//! [`download`] of a [`sheet`] built from its rows and a column mapping instead of the page (all
//! rows of the filtered list, not one page of them). Text stays text (a USCC is never turned
//! into a number), numbers are numbers, dates are dates.

use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::Response;
use fruition_sheets::{Sheet, Value};

use crate::error::AppError;
use crate::error::HttpError;

pub use crate::download::{XLSX, xlsx_response};

/// The path suffix that asks a list for its workbook.
const SUFFIX: &str = "/export.xlsx";

/// Query parameters that page through a list: an export takes every page.
const PAGING: &[&str] = &["after_id", "before_id"];

/// Whether a list was asked for as a workbook, and the link to its workbook (same filters).
pub struct Export {
    pub xlsx: bool,
    pub href: String,
}

impl<S: Send + Sync> FromRequestParts<S> for Export {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let path = parts.uri.path();
        let (base, xlsx) = match path.strip_suffix(SUFFIX) {
            Some(base) => (base, true),
            None => (path.trim_end_matches('/'), false),
        };
        let query: Vec<&str> = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|kv| {
                let key = kv.split('=').next().unwrap_or("");
                !kv.is_empty() && !PAGING.contains(&key)
            })
            .collect();
        let href = if query.is_empty() {
            format!("{base}{SUFFIX}")
        } else {
            format!("{base}{SUFFIX}?{}", query.join("&"))
        };
        Ok(Export { xlsx, href })
    }
}

/// A column of an export: its header, and how to get its cell from a row.
pub type Column<'a, T> = (&'a str, &'a dyn Fn(&T) -> Value);

/// One worksheet from rows and their columns.
pub fn sheet<T>(name: &str, rows: &[T], columns: &[Column<'_, T>]) -> Sheet {
    Sheet {
        name: name.to_string(),
        headers: columns.iter().map(|(h, _)| (*h).to_string()).collect(),
        rows: rows
            .iter()
            .map(|r| columns.iter().map(|(_, f)| f(r)).collect())
            .collect(),
    }
}

/// Text, or an empty cell.
pub fn opt_text(v: &Option<String>) -> Value {
    v.as_deref().map_or(Value::Empty, Value::from)
}

/// The workbook of `sheets` as a download named `filename` (without `.xlsx`).
pub fn download(filename: &str, sheets: &[Sheet]) -> Response {
    match fruition_sheets::write_xlsx(sheets) {
        Ok(bytes) => xlsx_response(StatusCode::OK, filename, bytes),
        Err(e) => AppError::Internal(anyhow::anyhow!("{e}")).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn export_of(uri: &str) -> Export {
        let req = axum::http::Request::builder()
            .uri(uri)
            .body(())
            .expect("request");
        let (mut parts, _) = req.into_parts();
        match Export::from_request_parts(&mut parts, &()).await {
            Ok(e) => e,
            Err(never) => match never {},
        }
    }

    #[tokio::test]
    async fn the_link_keeps_the_filters_and_drops_the_paging() {
        let e = export_of("/enterprises?q=%E6%A0%AA&after_id=50&chain=rail").await;
        assert!(!e.xlsx);
        assert_eq!(e.href, "/enterprises/export.xlsx?q=%E6%A0%AA&chain=rail");
        let e = export_of("/enterprises/export.xlsx?q=x").await;
        assert!(e.xlsx);
        assert_eq!(e.href, "/enterprises/export.xlsx?q=x");
        let e = export_of("/users").await;
        assert_eq!(e.href, "/users/export.xlsx");
    }

    #[test]
    fn columns_map_rows_to_cells() {
        let rows = vec![("91430211MA4L0A2B3X".to_string(), 3i64)];
        let s = sheet(
            "清单",
            &rows,
            &[
                ("代码", &|r: &(String, i64)| Value::from(&r.0)),
                ("数量", &|r: &(String, i64)| Value::from(r.1)),
            ],
        );
        assert_eq!(s.headers, vec!["代码", "数量"]);
        assert_eq!(
            s.rows,
            vec![vec![
                Value::Text("91430211MA4L0A2B3X".into()),
                Value::Int(3)
            ]]
        );
    }
}
