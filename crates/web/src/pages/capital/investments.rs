//! Investments as each role reads them — the bureau every one, an enterprise those in it, a
//! manager those of its funds — by year, with their workbook; and the investors' workbook
//! import: a file of many investments, checked row by row and written all or none, every
//! problem listed by row and column (with the list as an .xlsx to download).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::credit::SubNav;
use super::super::export::{self, Export};
use super::super::forms::{Opt, ctx};
use super::super::import::{Line, base64, line, read_upload};
use super::super::pilot::local;
use super::super::{Chrome, error_page, form_token_ok, render_status, stale_form};
use super::{bureau, fen_as_wan, keeps_own_funds, subnav, with_notice};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use fruition_app::capital::investments::{
    self as actions, InvestmentImportSummary, InvestmentQuery, InvestmentView,
};
use fruition_app::import::{ImportError, MAX_FILE_BYTES};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capital/investments", get(list))
        .route("/capital/investments/export.xlsx", get(list))
        .route(
            "/capital/investments/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
}

/// Investments on one page of the list.
const PAGE: i64 = 200;
/// Investments read at a time for a workbook (the most the action gives).
const BATCH: i64 = 1000;

#[derive(Deserialize, Default)]
struct ListQuery {
    year: Option<String>,
    offset: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "capital_investments.html")]
struct ListPage {
    c: Chrome,
    sub: SubNav,
    investments: Vec<InvestmentView>,
    years: Vec<Opt>,
    can_import: bool,
    export_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListPage {
    fn round(&self, r: &fruition_domain::investment::Round) -> &'static str {
        r.label(self.c.lang)
    }

    fn instrument(&self, i: &fruition_domain::investment::Instrument) -> &'static str {
        i.label(self.c.lang)
    }

    fn when(&self, rfc: &str) -> String {
        local(rfc)
    }
}

/// The year asked for, when it is one.
fn year_of(q: &ListQuery) -> Option<i64> {
    q.year
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (1949..=2200).contains(y))
}

fn href(year: Option<i64>, offset: i64) -> String {
    let mut parts = Vec::new();
    if let Some(y) = year {
        parts.push(format!("year={y}"));
    }
    if offset > 0 {
        parts.push(format!("offset={offset}"));
    }
    if parts.is_empty() {
        "/capital/investments".into()
    } else {
        format!("/capital/investments?{}", parts.join("&"))
    }
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<ListQuery>,
) -> Response {
    let cx = ctx(&authed, ip);
    let year = year_of(&q);
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/capital/investments",
        "capital_investments",
    );
    if export.xlsx {
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            let query = InvestmentQuery {
                year,
                limit: Some(BATCH),
                offset: Some(offset),
                ..InvestmentQuery::default()
            };
            match actions::list(&state, &cx, &query).await {
                Ok(batch) => {
                    let n = batch.len() as i64;
                    rows.extend(batch);
                    if n < BATCH {
                        break;
                    }
                    offset += BATCH;
                }
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            }
        }
        return workbook(&chrome, &rows);
    }
    let offset = q
        .offset
        .as_deref()
        .and_then(|o| o.trim().parse::<i64>().ok())
        .unwrap_or(0)
        .max(0);
    let query = InvestmentQuery {
        year,
        limit: Some(PAGE),
        offset: Some(offset),
        ..InvestmentQuery::default()
    };
    let investments = match actions::list(&state, &cx, &query).await {
        Ok(v) => v,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let chrome = with_notice(chrome, q.done.as_deref());
    let this_year = fruition_app::clock::this_year();
    let page = ListPage {
        sub: subnav(&chrome, &authed, "/capital/investments"),
        years: (this_year - 9..=this_year)
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), Some(y) == year))
            .collect(),
        can_import: bureau(&authed.principal) || keeps_own_funds(&authed.principal),
        export_href: match year {
            Some(y) => format!("/capital/investments/export.xlsx?year={y}"),
            None => "/capital/investments/export.xlsx".into(),
        },
        prev_href: (offset > 0).then(|| href(year, (offset - PAGE).max(0))),
        next_href: (investments.len() as i64 == PAGE).then(|| href(year, offset + PAGE)),
        investments,
        c: chrome,
    };
    render_status(StatusCode::OK, &page)
}

/// The investments as a workbook: amounts in 万元, dates as dates.
fn workbook(c: &Chrome, rows: &[InvestmentView]) -> Response {
    let lang = c.lang;
    let day = |s: &str| fruition_sheets::Date::parse(s).map_or_else(|| Value::from(s), Value::Date);
    let sheet = export::sheet(
        c.t("capital_investments"),
        rows,
        &[
            (
                c.t("invested_on"),
                &|i: &InvestmentView| day(&i.invested_on),
            ),
            (c.t("fund_name"), &|i: &InvestmentView| {
                i.fund_name.as_str().into()
            }),
            (c.t("enterprise"), &|i: &InvestmentView| {
                i.enterprise_name.as_str().into()
            }),
            (c.t("round"), &|i: &InvestmentView| {
                i.round.label(lang).into()
            }),
            (c.t("instrument"), &|i: &InvestmentView| {
                i.instrument.label(lang).into()
            }),
            (c.t("investment_amount_wan"), &|i: &InvestmentView| {
                Value::Float(fen_as_wan(i.amount_fen))
            }),
            (c.t("post_money_wan"), &|i: &InvestmentView| {
                i.post_money_fen
                    .map_or(Value::Empty, |v| Value::Float(fen_as_wan(v)))
            }),
            (c.t("note"), &|i: &InvestmentView| i.note.as_str().into()),
            (c.t("recorded_at"), &|i: &InvestmentView| {
                local(&i.recorded_at).into()
            }),
        ],
    );
    export::download(c.t("capital_investments"), &[sheet])
}

// ---------------------------------------------------------------------------------------------
// The investors' workbook

/// Problems listed on the page (all are in the downloadable list).
const SHOWN: usize = 1_000;

struct Column {
    name: String,
    required: bool,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "capital_import.html")]
struct ImportPage {
    c: Chrome,
    sub: SubNav,
    columns: Vec<Column>,
    lines: Vec<Line>,
    total: usize,
    /// The list of problems as an .xlsx (a `data:` link: nothing is kept on the server).
    report_href: String,
    done: Option<InvestmentImportSummary>,
}

fn import_page(c: Chrome, authed: &Authed) -> ImportPage {
    ImportPage {
        sub: subnav(&c, authed, "/capital/investments/import"),
        columns: actions::columns()
            .iter()
            .map(|col| Column {
                name: col.template_header(),
                required: col.required,
                hint: col.hint_zh,
            })
            .collect(),
        lines: Vec::new(),
        total: 0,
        report_href: String::new(),
        done: None,
        c,
    }
}

/// The import is for the bureau and the users who keep their organisation's funds; anyone
/// else gets the refusal page before anything is read (the action checks again).
fn refuse_others(state: &AppState, headers: &HeaderMap, authed: &Authed) -> Option<Response> {
    let p = &authed.principal;
    (!bureau(p) && !keeps_own_funds(p))
        .then(|| error_page(state, headers, Some(authed), &AppError::Forbidden("role")))
}

async fn import_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
) -> Response {
    if let Some(r) = refuse_others(&state, &headers, &authed) {
        return r;
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/capital/investments/import",
        "capital_import",
    );
    render_status(StatusCode::OK, &import_page(c, &authed))
}

async fn import_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    multipart: Multipart,
) -> Response {
    if let Some(r) = refuse_others(&state, &headers, &authed) {
        return r;
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/capital/investments/import",
        "capital_import",
    );
    let upload = match read_upload(multipart, fruition_app::import::file_over_limit).await {
        Ok(u) => u,
        Err(e) => {
            let status = e.status();
            return render_status(status, &import_page(c.with_errors(&e), &authed));
        }
    };
    if !form_token_ok(&headers, Some(&authed), &upload.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    if upload.bytes.is_empty() {
        let e = AppError::Invalid(vec![Problem {
            field: "file".into(),
            zh: "请选择要导入的文件".into(),
            en: "Choose the file to import".into(),
        }]);
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &import_page(c.with_errors(&e), &authed),
        );
    }
    let cx = ctx(&authed, ip);
    match actions::import(&state, &cx, upload.bytes, &upload.filename).await {
        Ok(summary) => {
            let mut p = import_page(c, &authed);
            p.done = Some(summary);
            render_status(StatusCode::OK, &p)
        }
        Err(ImportError::Rows(rows)) => {
            let lang = c.lang;
            let mut p = import_page(c, &authed);
            p.total = rows.len();
            p.lines = rows.iter().take(SHOWN).map(|e| line(e, lang)).collect();
            p.report_href = match fruition_app::import::error_report(&rows) {
                Ok(bytes) => format!("data:{};base64,{}", export::XLSX, base64(&bytes)),
                Err(_) => String::new(),
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(ImportError::Refused(e)) => match e {
            AppError::Invalid(_) | AppError::TooLarge { .. } | AppError::Conflict { .. } => {
                let status = e.status();
                let mut c = c.with_errors(&e);
                // A refusal of the whole file names no field of the form but the file.
                for (field, _) in &mut c.errors {
                    if field != "file" {
                        field.clear();
                    }
                }
                render_status(status, &import_page(c, &authed))
            }
            other => error_page(&state, &headers, Some(&authed), &other),
        },
    }
}
