//! Compensation claims: the bank's own (with the recovery form once paid) and the bureau's queue
//! (approve, reject with a reason, pay from the pool), a claim's page, and the list as a workbook.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use fruition_domain::org::OrgKind;
use fruition_domain::pool::{CompensationStatus, CompensationStep};
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, ctx};
use super::super::pilot::{Done, local, scoped};
use super::super::{Chrome, PageId, error_page, render, render_status};
use super::{SubNav, bureau, renamed, subnav, with_notice, yuan};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};
use fruition_app::credit::claims::{
    self as actions, CompensationClaimView, CompensationStepInput, RecoveryInput,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/claims", get(list))
        .route("/credit/claims/export.xlsx", get(list))
        .route("/credit/claims/{id}", get(detail))
        .route("/credit/claims/{id}/actions", post(decide))
        .route("/credit/claims/{id}/recoveries", post(recover))
}

/// Claims are the banks' and the bureau's: anyone else has no such page.
fn sees_claims(authed: &Authed) -> bool {
    bureau(&authed.principal) || authed.principal.org_kind == OrgKind::Bank
}

#[derive(Deserialize, Default)]
struct ListQuery {
    status: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "credit_claims.html")]
struct ListPage {
    c: Chrome,
    sub: SubNav,
    heading_key: &'static str,
    claims: Vec<CompensationClaimView>,
    statuses: Vec<Opt>,
    is_bureau: bool,
    export_href: String,
}

impl ListPage {
    fn status(&self, s: &CompensationStatus) -> &'static str {
        s.label(self.c.lang)
    }

    fn can(&self, cl: &CompensationClaimView, step: &str) -> bool {
        cl.steps.iter().any(|s| s.code() == step)
    }

    fn when(&self, rfc: &str) -> String {
        local(rfc)
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
    if !sees_claims(&authed) {
        return error_page(
            &state,
            &headers,
            Some(&authed),
            &AppError::Forbidden("role"),
        );
    }
    let c = ctx(&authed, ip);
    let code = q.status.clone().unwrap_or_default();
    let status = CompensationStatus::parse(code.trim()).map(|s| s.code());
    let claims = match actions::list(&state, &c, status).await {
        Ok(list) => list,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let is_bureau = bureau(&authed.principal);
    let heading_key = if is_bureau {
        "claims_queue"
    } else {
        "my_claims"
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/credit/claims",
        heading_key,
    );
    if export.xlsx {
        return workbook(&chrome, heading_key, &claims);
    }
    let chrome = with_notice(chrome, q.done.as_deref());
    let lang = chrome.lang;
    render(&ListPage {
        sub: subnav(&chrome, &authed, "/credit/claims"),
        statuses: CompensationStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), s.code() == code.trim()))
            .collect(),
        export_href: export.href,
        heading_key,
        claims,
        is_bureau,
        c: chrome,
    })
}

/// The claims as a workbook: money in 元, dates as dates.
fn workbook(c: &Chrome, heading_key: &str, rows: &[CompensationClaimView]) -> Response {
    let lang = c.lang;
    let money = |fen: i64| Value::Float(fen as f64 / 100.0);
    let day = |s: &Option<String>| match s.as_deref() {
        Some(d) => fruition_sheets::Date::parse(d).map_or_else(|| Value::from(d), Value::Date),
        None => Value::Empty,
    };
    let sheet = export::sheet(
        c.t(heading_key),
        rows,
        &[
            (c.t("credit_claim_number"), &|cl: &CompensationClaimView| {
                cl.id.into()
            }),
            (c.t("loan_number"), &|cl: &CompensationClaimView| {
                cl.loan_id.into()
            }),
            (c.t("enterprise"), &|cl: &CompensationClaimView| {
                cl.enterprise_name.as_str().into()
            }),
            (c.t("partner_bank"), &|cl: &CompensationClaimView| {
                cl.bank_name.as_str().into()
            }),
            (c.t("status"), &|cl: &CompensationClaimView| {
                cl.status.label(lang).into()
            }),
            (c.t("loss_yuan"), &|cl: &CompensationClaimView| {
                money(cl.loss_fen)
            }),
            (c.t("compensation_yuan"), &|cl: &CompensationClaimView| {
                money(cl.amount_fen)
            }),
            (c.t("claim_year"), &|cl: &CompensationClaimView| {
                cl.year.into()
            }),
            (c.t("compensated_on"), &|cl: &CompensationClaimView| {
                day(&cl.paid_on)
            }),
            (c.t("recovered_yuan"), &|cl: &CompensationClaimView| {
                money(cl.recovered_fen)
            }),
            (c.t("returned_yuan"), &|cl: &CompensationClaimView| {
                money(cl.returned_fen)
            }),
            (c.t("claim_note"), &|cl: &CompensationClaimView| {
                cl.note.as_str().into()
            }),
            (c.t("reason"), &|cl: &CompensationClaimView| {
                export::opt_text(&cl.status_reason)
            }),
            (c.t("submitted_at"), &|cl: &CompensationClaimView| {
                local(&cl.submitted_at).into()
            }),
        ],
    );
    export::download(c.t(heading_key), &[sheet])
}

// ---------------------------------------------------------------------------------------------
// A claim

/// A claim's forms as typed: `form` is `reject` or `recovery`.
#[derive(Debug, Clone, Default)]
struct Typed {
    form: String,
    reason: String,
    recovered: String,
}

#[derive(Template)]
#[template(path = "credit_claim.html")]
struct ClaimPage {
    c: Chrome,
    sub: SubNav,
    cl: CompensationClaimView,
    f: Typed,
    status_label: &'static str,
    /// The bank records recoveries once the claim is paid.
    can_recover: bool,
    submitted: String,
    updated: String,
}

impl ClaimPage {
    fn may(&self, step: &str) -> bool {
        self.cl.steps.iter().any(|s| s.code() == step)
    }

    fn yuan(&self, fen: &i64) -> String {
        fruition_domain::money::yuan(*fen)
    }
}

struct ClaimReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
    id: i64,
}

async fn show(
    r: &ClaimReq<'_>,
    f: Option<Typed>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, id) = (r.state, r.headers, r.authed, r.id);
    let cx = ctx(authed, r.ip.clone());
    let cl = match actions::get(state, &cx, id).await {
        Ok(cl) => cl,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/credit/claims/{id}"),
        "claim",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} #{} – {}", c.t("claim"), cl.id, cl.enterprise_name);
    let can_recover = cl.status == CompensationStatus::Paid
        && can(
            &authed.principal.actor(),
            &Action::Lend {
                bank_org_id: cl.bank_org_id,
            },
        )
        .is_ok();
    let page = ClaimPage {
        sub: subnav(&c, authed, "/credit/claims"),
        status_label: cl.status.label(c.lang),
        submitted: local(&cl.submitted_at),
        updated: local(&cl.updated_at),
        can_recover,
        f: f.unwrap_or_default(),
        cl,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let r = ClaimReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
        id,
    };
    show(&r, None, None, q.done.as_deref()).await
}

/// Ends one of the claim page's forms: back to the claim with a notice, or its page again with
/// the problems beside the form's fields (named `prefix_field`).
async fn finish<T>(
    form: &PageForm,
    id: i64,
    typed: Typed,
    result: Result<T, AppError>,
    local: Vec<crate::error::Problem>,
    done: &str,
    fields: &[&str],
) -> Response {
    let prefix = typed.form.clone();
    form.finish(
        result,
        local,
        |_| format!("/credit/claims/{id}?done={done}"),
        |e| async move {
            let e = scoped(e, &prefix, fields);
            let r = ClaimReq {
                state: &form.state,
                headers: &form.headers,
                authed: &form.authed,
                ip: form.ip.clone(),
                id,
            };
            show(&r, Some(typed), Some(&e), None).await
        },
    )
    .await
}

async fn decide(PageId(id): PageId, form: PageForm) -> Response {
    let step = form.get("step").trim().to_string();
    let typed = Typed {
        form: step.clone(),
        reason: form.get("reason"),
        recovered: String::new(),
    };
    let input = CompensationStepInput {
        step: step.clone(),
        reason: Some(typed.reason.clone()),
    };
    let result = actions::decide(&form.state, &form.ctx(), id, &input).await;
    let done = match CompensationStep::parse(&step) {
        Some(CompensationStep::Approve) => "credit_claim_approved",
        Some(CompensationStep::Reject) => "credit_claim_rejected",
        _ => "credit_claim_paid",
    };
    finish(&form, id, typed, result, Vec::new(), done, &["reason"]).await
}

async fn recover(PageId(id): PageId, form: PageForm) -> Response {
    let typed = Typed {
        form: "recovery".into(),
        reason: String::new(),
        recovered: form.get("recovered"),
    };
    let mut local = Vec::new();
    // A problem the page finds is also one the action refuses: 0 is never an amount.
    let input = RecoveryInput {
        recovered_fen: yuan(&mut local, "recovered", &typed.recovered).unwrap_or(0),
    };
    let result = actions::recover(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| renamed(e, &[("recovered_fen", "recovered")]));
    finish(
        &form,
        id,
        typed,
        result,
        local,
        "recovery_recorded",
        &["recovered"],
    )
    .await
}
