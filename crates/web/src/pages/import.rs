//! `/carriers/{id}/import`: a carrier's managers (or the bureau) upload a workbook or CSV file of
//! the carrier's incubatees with their figures for a year; every problem is listed by row and
//! column, with the list as an .xlsx to download, or the summary of what was written.

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use fruition_sheets::RowError;
use fruition_store::carriers::{self, Carrier};

use super::statistics::Opt;
use super::{Chrome, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::HttpError;
use crate::error::{AppError, Id, Problem};
use fruition_app::Ctx;
use fruition_app::import::{self, ImportError, ImportSummary, MAX_FILE_BYTES};

pub fn router() -> Router<AppState> {
    Router::new().route(
        "/carriers/{id}/import",
        get(form)
            .post(upload)
            .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
    )
}

/// Problems listed on the page (all are in the downloadable list).
const SHOWN: usize = 1_000;

pub(super) struct Line {
    pub row: usize,
    pub column: String,
    pub value: String,
    pub message: String,
}

struct Column {
    name: String,
    required: bool,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "import.html")]
struct ImportPage {
    c: Chrome,
    carrier: Carrier,
    years: Vec<Opt>,
    columns: Vec<Column>,
    lines: Vec<Line>,
    total: usize,
    /// The list of problems as an .xlsx (a `data:` link: nothing is kept on the server).
    report_href: String,
    done: Option<ImportSummary>,
    /// The carrier takes no imports (it is revoked): the reason is in the error summary, no form.
    closed: bool,
}

fn year_opts(selected: i64) -> Vec<Opt> {
    let this = fruition_app::clock::this_year();
    (2015..=this)
        .rev()
        .map(|y| Opt {
            code: y.to_string(),
            label: y.to_string(),
            selected: y == selected,
        })
        .collect()
}

fn page(c: Chrome, carrier: Carrier, year: i64) -> ImportPage {
    let columns = import::columns()
        .iter()
        .map(|col| Column {
            name: col.template_header(),
            required: col.required,
            hint: col.hint_zh,
        })
        .collect();
    ImportPage {
        c,
        carrier,
        years: year_opts(year),
        columns,
        lines: Vec::new(),
        total: 0,
        report_href: String::new(),
        done: None,
        closed: false,
    }
}

/// The carrier, if the user may import for it.
async fn allowed(
    state: &AppState,
    authed: &Authed,
    ip: String,
    id: i64,
) -> Result<Carrier, AppError> {
    let carrier = carriers::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    if !import::may_import(&ctx, &carrier) {
        return Err(AppError::Forbidden("forbidden"));
    }
    Ok(carrier)
}

async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Id(id): Id,
) -> Response {
    let carrier = match allowed(&state, &authed, ip, id).await {
        Ok(c) => c,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let path = format!("/carriers/{id}/import");
    let c = Chrome::new(&state, &headers, Some(&authed), &path, "import_title");
    let year = fruition_app::clock::this_year() - 1;
    // A revoked carrier takes no imports: say why at once rather than after an upload.
    if let Err(e) =
        fruition_domain::carrier::check_import(&carrier.name, carrier.revoked_on.as_deref())
    {
        let mut p = page(
            unlinked(c.with_errors(&AppError::conflict(e))),
            carrier,
            year,
        );
        p.closed = true;
        return render(&p);
    }
    render(&page(c, carrier, year))
}

/// What the form sent.
#[derive(Default)]
pub(super) struct Upload {
    pub csrf_token: String,
    pub year: String,
    pub filename: String,
    pub bytes: Vec<u8>,
}

/// Reads an upload form (`file`, `csrf_token`, `year`); a body over the route's limit answers
/// `too_large()`.
pub(super) async fn read_upload(
    mut multipart: Multipart,
    too_large: fn() -> AppError,
) -> Result<Upload, AppError> {
    let mut u = Upload::default();
    let unreadable = || AppError::BadRequest {
        code: "unreadable_body",
        zh: "无法读取上传的内容。".into(),
        en: "The upload could not be read.".into(),
    };
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(too_large()),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_string();
        match name.as_str() {
            "file" => {
                u.filename = field.file_name().unwrap_or("").to_string();
                u.bytes = match field.bytes().await {
                    Ok(b) => b.to_vec(),
                    Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                        return Err(too_large());
                    }
                    Err(_) => return Err(unreadable()),
                };
            }
            "csrf_token" | "year" => {
                let text = field.text().await.map_err(|_| unreadable())?;
                if name == "year" {
                    u.year = text;
                } else {
                    u.csrf_token = text;
                }
            }
            _ => {}
        }
    }
    Ok(u)
}

/// Base64 (RFC 4648, padded) for a `data:` link.
pub(super) fn base64(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(TABLE[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

async fn upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Id(id): Id,
    multipart: Multipart,
) -> Response {
    let carrier = match allowed(&state, &authed, ip.clone(), id).await {
        Ok(c) => c,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let path = format!("/carriers/{id}/import");
    let c = Chrome::new(&state, &headers, Some(&authed), &path, "import_title");
    let upload = match read_upload(multipart, import::file_over_limit).await {
        Ok(u) => u,
        Err(e) => {
            let status = e.status();
            let p = page(
                c.with_errors(&e),
                carrier,
                fruition_app::clock::this_year() - 1,
            );
            return render_status(status, &p);
        }
    };
    if !form_token_ok(&headers, Some(&authed), &upload.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let year = upload.year.trim().parse::<i64>().unwrap_or(0);
    if upload.bytes.is_empty() {
        let e = AppError::Invalid(vec![Problem {
            field: "file".into(),
            zh: "请选择要导入的文件".into(),
            en: "Choose the file to import".into(),
        }]);
        let p = page(c.with_errors(&e), carrier, year);
        return render_status(StatusCode::UNPROCESSABLE_ENTITY, &p);
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let result = import::import(&state, &ctx, id, year, upload.bytes, &upload.filename, None).await;
    match result {
        Ok(summary) => {
            let mut p = page(c, carrier, year);
            p.done = Some(summary);
            render(&p)
        }
        Err(ImportError::Rows(rows)) => {
            let lang = c.lang;
            let mut p = page(c, carrier, year);
            p.total = rows.len();
            p.lines = rows.iter().take(SHOWN).map(|e| line(e, lang)).collect();
            p.report_href = match import::error_report(&rows) {
                Ok(bytes) => format!("data:{};base64,{}", super::export::XLSX, base64(&bytes)),
                Err(_) => String::new(),
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(ImportError::Refused(e)) => match e {
            AppError::Invalid(_) | AppError::TooLarge { .. } => {
                let status = e.status();
                render_status(status, &page(c.with_errors(&e), carrier, year))
            }
            AppError::Conflict { ref field, .. } => {
                let closed = field == "carrier";
                let mut p = page(unlinked(c.with_errors(&e)), carrier, year);
                p.closed = closed;
                render_status(e.status(), &p)
            }
            other => error_page(&state, &headers, Some(&authed), &other),
        },
    }
}

/// A refusal of the whole import (a revoked carrier, a closed report) names no field of the form:
/// the error summary shows it as text rather than as a link to a field that is not there.
fn unlinked(mut c: Chrome) -> Chrome {
    for (field, _) in &mut c.errors {
        field.clear();
    }
    c
}

pub(super) fn line(e: &RowError, lang: fruition_domain::lang::Lang) -> Line {
    Line {
        row: e.row,
        column: e.column.clone(),
        value: e.value.clone(),
        message: import::row_message(e, lang).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::base64;

    #[test]
    fn base64_pads_like_rfc_4648() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
    }
}
