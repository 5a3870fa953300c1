//! The audit log page (bureau): filter by record, person, organisation, change and dates.

mod words;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_domain::audit::AuditAction;
use fruition_sheets::Value;
use fruition_store::audit::AuditEntry;

use super::export::{self, Export};
use super::{Chrome, error_page, render, url_encode};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use fruition_app::audit::AuditQuery as AuditQueryParams;
use fruition_app::{Ctx, audit};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/audit", get(list))
        .route("/audit/export.xlsx", get(list))
}

const PAGE_SIZE: i64 = 50;
/// The most entries one export holds (newest first).
const EXPORT_MAX: usize = 100_000;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<Row>,
    q: AuditQueryParams,
    actions: Vec<(&'static str, &'static str, bool)>,
    /// The kinds of record the filter offers: (code, name, selected).
    entities: Vec<(&'static str, &'static str, bool)>,
    older_href: Option<String>,
    export_href: String,
}

struct Row {
    e: AuditEntry,
    /// What happened, in words.
    what: String,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    axum::extract::RawQuery(raw): axum::extract::RawQuery,
    export: Export,
) -> Response {
    // The filter form sends an empty value for "any" (`action=&org_id=`): those are left out
    // before the query is read, so the API's stricter reading serves the page too.
    let kept: Vec<&str> = raw
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|kv| kv.split_once('=').is_some_and(|(_, v)| !v.is_empty()))
        .collect();
    let q = match format!("/audit?{}", kept.join("&"))
        .parse::<axum::http::Uri>()
        .ok()
        .and_then(|uri| axum::extract::Query::<AuditQueryParams>::try_from_uri(&uri).ok())
    {
        Some(axum::extract::Query(q)) => q,
        None => {
            let e = fruition_app::AppError::invalid(fruition_domain::FieldError::new(
                "query",
                "query",
                "筛选条件有误，请重新选择",
                "The filters could not be read; choose them again",
            ));
            return super::forms::refusal_page(&state, &headers, &authed, "/audit", &e);
        }
    };
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let c = Chrome::new(&state, &headers, Some(&authed), "/audit", "audit_log");
    let mut filter = match q.filter() {
        Ok(f) => f,
        Err(err) => {
            let c = c.with_errors(&err);
            let actions = action_choices(&c, &q);
            let entities = entity_choices(&c, &q);
            return render(&AuditPage {
                c,
                rows: vec![],
                q,
                actions,
                entities,
                older_href: None,
                export_href: export.href,
            });
        }
    };
    if export.xlsx {
        // Every entry the filters select, newest first, a thousand per query.
        let mut all: Vec<AuditEntry> = Vec::new();
        filter.limit = 1000;
        loop {
            match audit::list(&state, &ctx, &filter).await {
                Ok(page) => {
                    let last = page.last().map(|e| e.id);
                    let done = (page.len() as i64) < filter.limit;
                    all.extend(page);
                    if done || all.len() >= EXPORT_MAX {
                        break;
                    }
                    filter.before_id = last;
                }
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            }
        }
        all.truncate(EXPORT_MAX);
        let lang = c.lang;
        let sheet = export::sheet(
            c.t("audit_log"),
            &all,
            &[
                (c.t("time"), &|e: &AuditEntry| Value::from(c.time(&e.at))),
                (c.t("actor"), &|e: &AuditEntry| Value::from(&e.actor_login)),
                ("IP", &|e: &AuditEntry| export::opt_text(&e.ip)),
                (c.t("entity"), &|e: &AuditEntry| Value::from(&e.entity)),
                (c.t("id"), &|e: &AuditEntry| Value::from(&e.entity_id)),
                (c.t("action"), &|e: &AuditEntry| {
                    Value::from(e.action.label(lang))
                }),
                (c.t("audit_what"), &|e: &AuditEntry| {
                    Value::from(words::sentence(e, lang))
                }),
                (c.t("before"), &|e: &AuditEntry| {
                    export::opt_text(&e.before_json)
                }),
                (c.t("after"), &|e: &AuditEntry| {
                    export::opt_text(&e.after_json)
                }),
            ],
        );
        return export::download(c.t("audit_log"), &[sheet]);
    }
    filter.limit = PAGE_SIZE;
    match audit::list(&state, &ctx, &filter).await {
        Ok(entries) => {
            let older_href = (entries.len() as i64 == PAGE_SIZE).then(|| {
                let last = entries.last().map(|e| e.id).unwrap_or(0);
                format!("/audit?{}before_id={last}", query_prefix(&q))
            });
            let rows = entries
                .into_iter()
                .map(|e| Row {
                    what: words::sentence(&e, c.lang),
                    e,
                })
                .collect();
            let actions = action_choices(&c, &q);
            let entities = entity_choices(&c, &q);
            render(&AuditPage {
                c,
                rows,
                q,
                actions,
                entities,
                older_href,
                export_href: export.href,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

fn action_choices(c: &Chrome, q: &AuditQueryParams) -> Vec<(&'static str, &'static str, bool)> {
    AuditAction::ALL
        .iter()
        .map(|a| (a.code(), a.label(c.lang), q.action == Some(*a)))
        .collect()
}

fn entity_choices(c: &Chrome, q: &AuditQueryParams) -> Vec<(&'static str, &'static str, bool)> {
    words::entities(c.lang)
        .into_iter()
        .map(|(code, name)| (code, name, q.entity.as_deref() == Some(code)))
        .collect()
}

/// The filters as a query string prefix (`k=v&…&`), for the link to older entries.
fn query_prefix(q: &AuditQueryParams) -> String {
    let mut out = String::new();
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            out.push_str(&format!("{k}={}&", url_encode(&v)));
        }
    };
    add("entity", q.entity.clone());
    add("entity_id", q.entity_id.clone());
    add("actor", q.actor.clone());
    add("org_id", q.org_id.map(|v| v.to_string()));
    add("action", q.action.map(|a| a.code().to_string()));
    add("from", q.from.clone());
    add("to", q.to.clone());
    out
}
