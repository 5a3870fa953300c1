//! Banks' non-performing ratios: the bureau sees every bank's outstanding and non-performing
//! principal, its ratio and level (正常 / 预警 / 熔断) and lifts a breaker with its reason; a bank
//! sees its own line.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};

use super::super::forms::{PageForm, ctx};
use super::super::pilot::{Done, local, scoped};
use super::super::{Chrome, PageId, error_page, render_status};
use super::{SubNav, bureau, subnav, with_notice};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};
use fruition_app::credit::risk::{self as actions, BankRiskView, LiftInput, RiskOverview};
use fruition_domain::credit::RiskLevel;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/risk", get(page))
        .route("/credit/risk/{bank}/lift", post(lift))
}

/// One bank's line with its lift form's key and what was typed there.
struct BankLine {
    b: BankRiskView,
    level_label: &'static str,
    /// `tag`, `tag warn` or `tag off`: how the level stands out.
    level_class: &'static str,
    key: String,
    reason: String,
    tripped_at: String,
    lifted_at: String,
}

#[derive(Template)]
#[template(path = "credit_risk.html")]
struct RiskPage {
    c: Chrome,
    sub: SubNav,
    r: RiskOverview,
    banks: Vec<BankLine>,
    is_bureau: bool,
    warning: String,
    breaker: String,
}

impl RiskPage {
    fn yuan(&self, fen: &i64) -> String {
        fruition_domain::money::yuan(*fen)
    }
}

/// A lift form as typed: which bank, and the reason.
struct Typed {
    bank: i64,
    reason: String,
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    typed: Option<Typed>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let cx = ctx(authed, ip);
    let r = match actions::overview(state, &cx).await {
        Ok(r) => r,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(state, headers, Some(authed), "/credit/risk", "bank_risk");
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let banks = r
        .banks
        .iter()
        .map(|b| BankLine {
            level_label: b.level.label(lang),
            level_class: match b.level {
                RiskLevel::Normal => "tag",
                RiskLevel::Warning => "tag warn",
                RiskLevel::Breaker => "tag off",
            },
            key: format!("lift_{}_reason", b.bank_org_id),
            reason: typed
                .as_ref()
                .filter(|t| t.bank == b.bank_org_id)
                .map(|t| t.reason.clone())
                .unwrap_or_default(),
            tripped_at: b.tripped_at.as_deref().map(local).unwrap_or_default(),
            lifted_at: b.lifted_at.as_deref().map(local).unwrap_or_default(),
            b: b.clone(),
        })
        .collect();
    let page = RiskPage {
        sub: subnav(&c, authed, "/credit/risk"),
        is_bureau: bureau(&authed.principal),
        warning: fruition_app::credit::rate_label(r.warning_bp),
        breaker: fruition_app::credit::rate_label(r.breaker_bp),
        banks,
        r,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show(&state, &headers, &authed, ip, None, None, q.done.as_deref()).await
}

async fn lift(PageId(bank): PageId, form: PageForm) -> Response {
    let typed = Typed {
        bank,
        reason: form.get("reason"),
    };
    let input = LiftInput {
        reason: typed.reason.clone(),
    };
    let result = actions::lift(&form.state, &form.ctx(), bank, &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| "/credit/risk?done=breaker_lifted".to_string(),
        |e| async move {
            let e = scoped(e, &format!("lift_{bank}"), &["reason"]);
            show(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                Some(typed),
                Some(&e),
                None,
            )
            .await
        },
    )
    .await
}
