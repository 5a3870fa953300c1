//! The audit log page (bureau): filter by record, person, organisation, change and dates.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_domain::audit::AuditAction;
use fruition_store::audit::AuditEntry;

use super::{Chrome, error_page, render, url_encode};
use crate::AppState;
use crate::actions::{Ctx, audit};
use crate::api::AuditQueryParams;
use crate::auth::{ClientIp, PageUser};

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

const PAGE_SIZE: i64 = 50;

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    c: Chrome,
    rows: Vec<Row>,
    q: AuditQueryParams,
    actions: Vec<(&'static str, &'static str, bool)>,
    older_href: Option<String>,
}

struct Row {
    e: AuditEntry,
    action: &'static str,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Query(q): Query<AuditQueryParams>,
) -> Response {
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
            return render(&AuditPage {
                c,
                rows: vec![],
                q,
                actions,
                older_href: None,
            });
        }
    };
    filter.limit = PAGE_SIZE;
    match audit::list(&state, &ctx, &filter).await {
        Ok(entries) => {
            let older_href = (entries.len() as i64 == PAGE_SIZE).then(|| {
                let last = entries.last().map(|e| e.id).unwrap_or(0);
                format!("/audit?{}before_id={last}", q.query_prefix())
            });
            let rows = entries
                .into_iter()
                .map(|e| Row {
                    action: e.action.label(c.lang),
                    e,
                })
                .collect();
            let actions = action_choices(&c, &q);
            render(&AuditPage {
                c,
                rows,
                q,
                actions,
                older_href,
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

impl AuditQueryParams {
    /// The filters as a query string prefix (`k=v&…&`), for the link to older entries.
    fn query_prefix(&self) -> String {
        let mut out = String::new();
        let mut add = |k: &str, v: Option<String>| {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                out.push_str(&format!("{k}={}&", url_encode(&v)));
            }
        };
        add("entity", self.entity.clone());
        add("entity_id", self.entity_id.clone());
        add("actor", self.actor.clone());
        add("org_id", self.org_id.map(|v| v.to_string()));
        add("action", self.action.map(|a| a.code().to_string()));
        add("from", self.from.clone());
        add("to", self.to.clone());
        out
    }

    pub fn text(v: &Option<String>) -> &str {
        v.as_deref().unwrap_or("")
    }
}
