//! Loans as each role works them: the list that is each role's queue (the enterprise's
//! applications, the bank's tabs from review to default, the guarantor's guaranteed loans, the
//! bureau's filters and its loans to register) with its workbook; the enterprise's application
//! form with the consent in full; a loan's page with its terms, schedule, repayments and claims,
//! and a form for each step the caller may take now.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use fruition_domain::credit::Grade;
use fruition_domain::loan::{LoanStatus, LoanStep, RepaymentMethod};
use fruition_domain::money::MAX_FEN;
use fruition_domain::org::OrgKind;
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, ctx, whole_number};
use super::super::pilot::{Done, local, scoped};
use super::super::{Chrome, PageId, error_page, render, render_status, url_encode};
use super::{SubNav, bureau, plain_pct, plain_wan, renamed, subnav, wan, with_notice, yuan};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};
use fruition_app::credit::claims::{self, CompensationClaimInput};
use fruition_app::credit::loans::{
    self as actions, ApplyInput, LoanDetail, LoanQuery, LoanStepInput, LoanView, Partner,
    RepaymentInput,
};
use fruition_app::credit::pool::{self as pool_actions, PolicyView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/loans", get(list))
        .route("/credit/loans/export.xlsx", get(list))
        .route("/credit/loans/new", get(new_form).post(apply))
        .route("/credit/loans/{id}", get(detail))
        .route("/credit/loans/{id}/actions", post(step))
        .route("/credit/loans/{id}/repayments", post(repay))
        .route("/credit/loans/{id}/claims", post(claim))
}

/// Loans on one page of a list.
const PAGE: i64 = 100;
/// Loans read at a time for a workbook (the most the action gives).
const BATCH: i64 = 1000;

// ---------------------------------------------------------------------------------------------
// The list: each role's queue

/// The bank's tabs: (code, label key, the statuses it shows). The first is its work queue.
const BANK_TABS: &[(&str, &str, &[LoanStatus])] = &[
    ("review", "tab_review", &[LoanStatus::Applied]),
    ("disburse", "tab_disburse", &[LoanStatus::Approved]),
    (
        "repaying",
        "tab_repaying",
        &[LoanStatus::Disbursed, LoanStatus::Registered],
    ),
    ("overdue", "tab_overdue", &[LoanStatus::Overdue]),
    ("defaulted", "tab_defaulted", &[LoanStatus::Defaulted]),
    ("all", "tab_all", &[]),
];

#[derive(Deserialize, Default)]
struct ListQuery {
    status: Option<String>,
    bank: Option<String>,
    year: Option<String>,
    tab: Option<String>,
    view: Option<String>,
    offset: Option<String>,
    done: Option<String>,
}

/// Who looks at the list decides what it is.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Viewer {
    Bureau,
    Bank,
    Guarantor,
    Enterprise,
    Other,
}

fn viewer(authed: &Authed) -> Viewer {
    let p = &authed.principal;
    if bureau(p) {
        return Viewer::Bureau;
    }
    match p.org_kind {
        OrgKind::Bank => Viewer::Bank,
        OrgKind::Guarantor => Viewer::Guarantor,
        OrgKind::Enterprise => Viewer::Enterprise,
        _ => Viewer::Other,
    }
}

/// The list's filters as read from the address.
struct Filter {
    /// The statuses shown (none: every status).
    statuses: Vec<LoanStatus>,
    status: String,
    bank: Option<i64>,
    year: Option<i64>,
    tab: &'static str,
    register_view: bool,
    offset: i64,
}

impl Filter {
    fn of(q: &ListQuery, who: Viewer) -> Filter {
        let status = q.status.clone().unwrap_or_default();
        let register_view = who == Viewer::Bureau && q.view.as_deref() == Some("register");
        let mut tab = "";
        let statuses = if register_view {
            vec![LoanStatus::Disbursed]
        } else if who == Viewer::Bank {
            let (code, _, statuses) = BANK_TABS
                .iter()
                .find(|(code, _, _)| q.tab.as_deref() == Some(*code))
                .unwrap_or(&BANK_TABS[0]);
            tab = code;
            statuses.to_vec()
        } else {
            LoanStatus::parse(status.trim()).into_iter().collect()
        };
        let number = |s: &Option<String>| s.as_deref().and_then(|s| s.trim().parse::<i64>().ok());
        Filter {
            statuses,
            status,
            bank: number(&q.bank).filter(|_| who == Viewer::Bureau),
            year: number(&q.year)
                .filter(|y| (1949..=2200).contains(y))
                .filter(|_| who == Viewer::Bureau),
            tab,
            register_view,
            offset: number(&q.offset).unwrap_or(0).max(0),
        }
    }

    /// This list's address with another offset.
    fn href(&self, offset: i64) -> String {
        let mut parts = Vec::new();
        if self.register_view {
            parts.push("view=register".to_string());
        }
        if !self.tab.is_empty() {
            parts.push(format!("tab={}", self.tab));
        }
        if !self.status.is_empty() && !self.register_view {
            parts.push(format!("status={}", url_encode(&self.status)));
        }
        if let Some(b) = self.bank {
            parts.push(format!("bank={b}"));
        }
        if let Some(y) = self.year {
            parts.push(format!("year={y}"));
        }
        if offset > 0 {
            parts.push(format!("offset={offset}"));
        }
        if parts.is_empty() {
            "/credit/loans".into()
        } else {
            format!("/credit/loans?{}", parts.join("&"))
        }
    }
}

/// Loans of the filter, newest first: `limit` from `offset` of each status asked for.
async fn fetch(
    state: &AppState,
    c: &fruition_app::Ctx<'_>,
    f: &Filter,
    limit: i64,
    offset: i64,
) -> Result<Vec<LoanView>, AppError> {
    let statuses: Vec<Option<LoanStatus>> = if f.statuses.is_empty() {
        vec![None]
    } else {
        f.statuses.iter().copied().map(Some).collect()
    };
    let mut out = Vec::new();
    for s in statuses {
        let q = LoanQuery {
            status: s.map(|s| s.code().to_string()),
            year: f.year,
            bank_org_id: f.bank,
            enterprise_id: None,
            limit: Some(limit),
            offset: Some(offset),
        };
        out.extend(actions::list(state, c, &q).await?);
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.id));
    Ok(out)
}

/// Every loan of the filter (for the workbook).
async fn fetch_all(
    state: &AppState,
    c: &fruition_app::Ctx<'_>,
    f: &Filter,
) -> Result<Vec<LoanView>, AppError> {
    let mut out = Vec::new();
    let statuses: Vec<LoanStatus> = f.statuses.clone();
    let parts: Vec<Vec<LoanStatus>> = if statuses.is_empty() {
        vec![Vec::new()]
    } else {
        statuses.into_iter().map(|s| vec![s]).collect()
    };
    for part in parts {
        let one = Filter {
            statuses: part,
            status: String::new(),
            bank: f.bank,
            year: f.year,
            tab: "",
            register_view: false,
            offset: 0,
        };
        let mut offset = 0;
        loop {
            let batch = fetch(state, c, &one, BATCH, offset).await?;
            let n = batch.len() as i64;
            out.extend(batch);
            if n < BATCH {
                break;
            }
            offset += BATCH;
        }
    }
    out.sort_by_key(|l| std::cmp::Reverse(l.id));
    Ok(out)
}

#[derive(Template)]
#[template(path = "credit_loans.html")]
struct ListPage {
    c: Chrome,
    sub: SubNav,
    heading_key: &'static str,
    loans: Vec<LoanView>,
    /// The bank's tabs: (href, label, current).
    tabs: SubNav,
    statuses: Vec<Opt>,
    banks: Vec<Opt>,
    years: Vec<Opt>,
    show_status_filter: bool,
    show_bureau_filters: bool,
    show_bank: bool,
    can_apply: bool,
    export_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListPage {
    fn status(&self, s: &LoanStatus) -> &'static str {
        s.label(self.c.lang)
    }

    fn when(&self, rfc: &str) -> String {
        local(rfc)
    }
}

/// The export's address without the list's paging.
fn without_offset(href: &str) -> String {
    let Some((path, query)) = href.split_once('?') else {
        return href.to_string();
    };
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| !kv.starts_with("offset=") && !kv.starts_with("done="))
        .collect();
    if kept.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{}", kept.join("&"))
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
    let c = ctx(&authed, ip);
    let who = viewer(&authed);
    let f = Filter::of(&q, who);
    let heading_key = match who {
        Viewer::Bureau if f.register_view => "loans_to_register",
        Viewer::Bureau => "credit_all_loans",
        Viewer::Bank => "bank_loans",
        Viewer::Guarantor => "guaranteed_loans",
        Viewer::Enterprise => "my_loan_applications",
        Viewer::Other => "credit_loans",
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/credit/loans",
        heading_key,
    );
    if export.xlsx {
        return match fetch_all(&state, &c, &f).await {
            Ok(rows) => workbook(&chrome, heading_key, &rows),
            Err(e) => error_page(&state, &headers, Some(&authed), &e),
        };
    }
    let paged = who != Viewer::Bank || f.statuses.len() <= 1;
    let (limit, offset) = if paged { (PAGE, f.offset) } else { (BATCH, 0) };
    let loans = match fetch(&state, &c, &f, limit, offset).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let banks = if who == Viewer::Bureau {
        match actions::partners(&state, &c, OrgKind::Bank).await {
            Ok(b) => b,
            Err(e) => return error_page(&state, &headers, Some(&authed), &e),
        }
    } else {
        Vec::new()
    };
    let chrome = with_notice(chrome, q.done.as_deref());
    let lang = chrome.lang;
    let current = if f.register_view {
        "/credit/loans?view=register"
    } else {
        "/credit/loans"
    };
    let this_year = fruition_app::clock::this_year();
    let page = ListPage {
        sub: subnav(&chrome, &authed, current),
        tabs: if who == Viewer::Bank {
            BANK_TABS
                .iter()
                .map(|(code, key, _)| {
                    (
                        format!("/credit/loans?tab={code}"),
                        chrome.t(key),
                        *code == f.tab,
                    )
                })
                .collect()
        } else {
            Vec::new()
        },
        statuses: LoanStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), s.code() == f.status.trim()))
            .collect(),
        banks: banks
            .iter()
            .map(|b: &Partner| Opt::new(b.id.to_string(), &b.name, Some(b.id) == f.bank))
            .collect(),
        years: (this_year - 9..=this_year)
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), Some(y) == f.year))
            .collect(),
        show_status_filter: who != Viewer::Bank && !f.register_view,
        show_bureau_filters: who == Viewer::Bureau && !f.register_view,
        show_bank: who != Viewer::Bank,
        can_apply: can(
            &authed.principal.actor(),
            &Action::Borrow {
                borrower_org_id: authed.principal.user.org_id,
            },
        )
        .is_ok(),
        export_href: without_offset(&export.href),
        prev_href: (paged && f.offset > 0).then(|| f.href((f.offset - PAGE).max(0))),
        next_href: (paged && loans.len() as i64 == PAGE).then(|| f.href(f.offset + PAGE)),
        heading_key,
        loans,
        c: chrome,
    };
    render(&page)
}

/// The loans as a workbook: money in 元, dates as dates.
fn workbook(c: &Chrome, heading_key: &str, rows: &[LoanView]) -> Response {
    let lang = c.lang;
    let money = |fen: i64| Value::Float(fen as f64 / 100.0);
    let opt_money = |fen: Option<i64>| fen.map_or(Value::Empty, money);
    let day = |s: &Option<String>| match s.as_deref() {
        Some(d) => fruition_sheets::Date::parse(d).map_or_else(|| Value::from(d), Value::Date),
        None => Value::Empty,
    };
    let sheet = export::sheet(
        c.t(heading_key),
        rows,
        &[
            (c.t("loan_code"), &|l: &LoanView| l.code.as_str().into()),
            (c.t("enterprise"), &|l: &LoanView| {
                l.enterprise_name.as_str().into()
            }),
            (c.t("partner_bank"), &|l: &LoanView| {
                l.bank_name.as_str().into()
            }),
            (c.t("partner_guarantor"), &|l: &LoanView| {
                export::opt_text(&l.guarantor_name)
            }),
            (c.t("loan_kind"), &|l: &LoanView| l.kind.label(lang).into()),
            (c.t("status"), &|l: &LoanView| l.status.label(lang).into()),
            (c.t("requested_yuan"), &|l: &LoanView| {
                money(l.requested_fen)
            }),
            (c.t("requested_months"), &|l: &LoanView| {
                l.requested_months.into()
            }),
            (c.t("grade_at_application"), &|l: &LoanView| {
                export::opt_text(&l.grade.as_deref().map(|g| grade_label(lang, g)))
            }),
            (c.t("line_yuan"), &|l: &LoanView| money(l.line_fen)),
            (c.t("approved_yuan"), &|l: &LoanView| {
                opt_money(l.amount_fen)
            }),
            (c.t("rate_pct"), &|l: &LoanView| {
                l.rate_bp
                    .map_or(Value::Empty, |bp| Value::Float(bp as f64 / 100.0))
            }),
            (c.t("term_months"), &|l: &LoanView| {
                l.term_months.map_or(Value::Empty, Value::from)
            }),
            (c.t("disbursed_on"), &|l: &LoanView| day(&l.disbursed_on)),
            (c.t("maturity_on"), &|l: &LoanView| day(&l.maturity_on)),
            (c.t("loan_registered_on"), &|l: &LoanView| {
                day(&l.registered_on)
            }),
            (c.t("principal_owed_yuan"), &|l: &LoanView| {
                money(l.outstanding_fen)
            }),
            (c.t("overdue_since"), &|l: &LoanView| day(&l.overdue_since)),
            (c.t("defaulted_on"), &|l: &LoanView| day(&l.defaulted_on)),
            (c.t("county"), &|l: &LoanView| {
                fruition_app::reference::county_name(&l.county_code).into()
            }),
            (c.t("applied_at"), &|l: &LoanView| {
                local(&l.created_at).into()
            }),
        ],
    );
    export::download(c.t(heading_key), &[sheet])
}

/// A grade's label (`a` → "A 级"), or the code when it is not one.
fn grade_label(lang: fruition_domain::lang::Lang, code: &str) -> String {
    Grade::parse(code).map_or_else(|| code.to_string(), |g| g.label(lang).to_string())
}

// ---------------------------------------------------------------------------------------------
// The application form

/// The application as typed (kept when it comes back with problems).
#[derive(Debug, Clone, Default)]
struct ApplyForm {
    bank_org_id: String,
    guarantor_org_id: String,
    requested: String,
    requested_months: String,
    purpose: String,
    consent: bool,
}

#[derive(Template)]
#[template(path = "credit_loan_new.html")]
struct ApplyPage {
    c: Chrome,
    sub: SubNav,
    f: ApplyForm,
    banks: Vec<Opt>,
    guarantors: Vec<Opt>,
    consent_text: String,
    policy: PolicyView,
    max_rate: String,
}

/// The application form's fields named as the action names them, and as the form does.
const APPLY_FIELDS: &[(&str, &str)] = &[("requested_fen", "requested"), ("enterprise_id", "")];

async fn apply_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    f: ApplyForm,
    err: Option<&AppError>,
) -> Response {
    let p = &authed.principal;
    if can(
        &p.actor(),
        &Action::Borrow {
            borrower_org_id: p.user.org_id,
        },
    )
    .is_err()
    {
        return error_page(state, headers, Some(authed), &AppError::Forbidden("role"));
    }
    let c = ctx(authed, ip);
    let loaded = async {
        let banks = actions::partners(state, &c, OrgKind::Bank).await?;
        let guarantors = actions::partners(state, &c, OrgKind::Guarantor).await?;
        let policy = pool_actions::policy(state, &c).await?;
        Ok::<_, AppError>((banks, guarantors, policy))
    }
    .await;
    let (banks, guarantors, policy) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        "/credit/loans/new",
        "apply_for_loan",
    );
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let chosen = banks
        .iter()
        .find(|b| b.id.to_string() == f.bank_org_id.trim())
        .map_or_else(|| chrome.t("chosen_bank").to_string(), |b| b.name.clone());
    let opts = |list: &[Partner], selected: &str| -> Vec<Opt> {
        list.iter()
            .map(|b| {
                Opt::new(
                    b.id.to_string(),
                    &b.name,
                    b.id.to_string() == selected.trim(),
                )
            })
            .collect()
    };
    let page = ApplyPage {
        sub: subnav(&chrome, authed, "/credit/loans/new"),
        banks: opts(&banks, &f.bank_org_id),
        guarantors: opts(&guarantors, &f.guarantor_org_id),
        consent_text: actions::consent_text(&chosen),
        max_rate: fruition_app::credit::rate_label(policy.lpr_bp + policy.max_spread_bp),
        policy,
        f,
        c: chrome,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    apply_page(&state, &headers, &authed, ip, ApplyForm::default(), None).await
}

async fn apply(form: PageForm) -> Response {
    let typed = ApplyForm {
        bank_org_id: form.get("bank_org_id"),
        guarantor_org_id: form.get("guarantor_org_id"),
        requested: form.get("requested"),
        requested_months: form.get("requested_months"),
        purpose: form.get("purpose"),
        consent: form.get("consent") == "true",
    };
    let mut local = Vec::new();
    // A problem the page finds is also one the action refuses: 0 is never an amount or a term.
    let input = ApplyInput {
        bank_org_id: typed.bank_org_id.trim().parse().unwrap_or(0),
        guarantor_org_id: typed.guarantor_org_id.trim().parse().ok(),
        requested_fen: wan(&mut local, "requested", &typed.requested, MAX_FEN).unwrap_or(0),
        requested_months: whole_number(&mut local, "requested_months", &typed.requested_months)
            .unwrap_or(0),
        purpose: typed.purpose.clone(),
        consent: typed.consent,
        enterprise_id: None,
    };
    let result = actions::apply(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, APPLY_FIELDS));
    let page = &form;
    form.finish(
        result,
        local,
        |d| format!("/credit/loans/{}?done=loan_applied", d.loan.id),
        |e| async move {
            apply_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                typed,
                Some(&e),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A loan

/// The loan page's forms as typed (kept when one comes back with problems). `step` is the form
/// posted: a loan step's code, `repayment` or `claim`.
#[derive(Debug, Clone, Default)]
struct StepForm {
    step: String,
    amount: String,
    rate: String,
    term_months: String,
    repayment_method: String,
    over_line_reason: String,
    reason: String,
    date: String,
    paid_on: String,
    principal: String,
    interest: String,
    note: String,
}

impl StepForm {
    fn of(form: &PageForm, step: &str) -> StepForm {
        StepForm {
            step: step.to_string(),
            amount: form.get("amount"),
            rate: form.get("rate"),
            term_months: form.get("term_months"),
            repayment_method: form.get("repayment_method"),
            over_line_reason: form.get("over_line_reason"),
            reason: form.get("reason"),
            date: form.get("date"),
            paid_on: form.get("paid_on"),
            principal: form.get("principal"),
            interest: form.get("interest"),
            note: form.get("note"),
        }
    }
}

/// The step forms' fields, which [`scoped`] names `step_field`.
const STEP_FIELDS: &[&str] = &[
    "amount",
    "rate",
    "term_months",
    "repayment_method",
    "over_line_reason",
    "reason",
    "date",
];

/// A step's form on the loan's page: one with a date, or one with a button only.
struct StepBox {
    code: &'static str,
    label: &'static str,
    /// The date field's id and errors' name (`disburse_date`).
    key: String,
    value: String,
    hint: &'static str,
    warning: bool,
}

#[derive(Template)]
#[template(path = "credit_loan.html")]
struct LoanPage {
    date_steps: Vec<StepBox>,
    button_steps: Vec<StepBox>,
    c: Chrome,
    sub: SubNav,
    d: LoanDetail,
    f: StepForm,
    policy: PolicyView,
    status_label: &'static str,
    kind_label: &'static str,
    grade_label: String,
    method_label: String,
    methods: Vec<Opt>,
    is_bank: bool,
    /// The bank and the bureau open claims.
    sees_claims: bool,
    show_over_line: bool,
    applied_at: String,
    consent_at: String,
    today: String,
    max_rate: String,
}

impl LoanPage {
    /// Whether the caller may take `step` now.
    fn may(&self, step: &str) -> bool {
        self.d.steps.iter().any(|s| s.code() == step)
    }

    /// What the form `step` shows in `field`: what was typed into it, else its default.
    fn v(&self, step: &str, field: &str) -> String {
        if self.f.step == step {
            let f = &self.f;
            return match field {
                "amount" => f.amount.clone(),
                "rate" => f.rate.clone(),
                "term_months" => f.term_months.clone(),
                "over_line_reason" => f.over_line_reason.clone(),
                "reason" => f.reason.clone(),
                "date" => f.date.clone(),
                "paid_on" => f.paid_on.clone(),
                "principal" => f.principal.clone(),
                "interest" => f.interest.clone(),
                "note" => f.note.clone(),
                _ => String::new(),
            };
        }
        let l = &self.d.loan;
        match field {
            "amount" => plain_wan(l.requested_fen),
            "rate" => plain_pct(self.policy.lpr_bp),
            "term_months" => l.requested_months.to_string(),
            "date" | "paid_on" => self.today.clone(),
            _ => String::new(),
        }
    }

    fn step_label(&self, code: &str) -> &'static str {
        LoanStep::parse(code).map_or("", |s| s.label(self.c.lang))
    }

    fn claim_status(&self, s: &fruition_domain::pool::CompensationStatus) -> &'static str {
        s.label(self.c.lang)
    }

    fn yuan(&self, fen: &i64) -> String {
        fruition_domain::money::yuan(*fen)
    }

    fn when(&self, rfc: &str) -> String {
        local(rfc)
    }

    fn line_hint(&self) -> String {
        format!(
            "{}{} {}",
            self.c.t("over_line_hint"),
            fruition_domain::money::yuan(self.d.loan.line_fen),
            self.c.t("yuan")
        )
    }
}

/// A request to a loan's page: who asks, and for which loan.
struct LoanReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
    id: i64,
}

async fn show(
    r: &LoanReq<'_>,
    f: Option<StepForm>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, id) = (r.state, r.headers, r.authed, r.id);
    let cx = ctx(authed, r.ip.clone());
    let loaded = async {
        let d = actions::get(state, &cx, id).await?;
        let policy = pool_actions::policy(state, &cx).await?;
        Ok::<_, AppError>((d, policy))
    }
    .await;
    let (d, policy) = match loaded {
        Ok(x) => x,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/credit/loans/{id}"),
        "loan",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!(
        "{} {} – {}",
        c.t("loan"),
        d.loan.code,
        d.loan.enterprise_name
    );
    let lang = c.lang;
    let f = f.unwrap_or_default();
    let p = &authed.principal;
    let is_bank = can(
        &p.actor(),
        &Action::Lend {
            bank_org_id: d.loan.bank_org_id,
        },
    )
    .is_ok();
    let chosen_method = if f.step == "approve" && !f.repayment_method.is_empty() {
        f.repayment_method.clone()
    } else {
        RepaymentMethod::EqualPrincipal.code().to_string()
    };
    let today = fruition_app::clock::today();
    let may = |s: LoanStep| d.steps.contains(&s);
    let date_steps = [LoanStep::Disburse, LoanStep::MarkOverdue, LoanStep::Default]
        .into_iter()
        .filter(|s| may(*s))
        .map(|s| StepBox {
            code: s.code(),
            label: s.label(lang),
            key: format!("{}_date", s.code()),
            value: if f.step == s.code() {
                f.date.clone()
            } else {
                today.clone()
            },
            hint: c.t("step_date_hint"),
            warning: s == LoanStep::Default,
        })
        .collect();
    let button_steps = [LoanStep::Register, LoanStep::Cure, LoanStep::Withdraw]
        .into_iter()
        .filter(|s| may(*s))
        .map(|s| StepBox {
            code: s.code(),
            label: s.label(lang),
            key: String::new(),
            value: String::new(),
            hint: c.t(match s {
                LoanStep::Register => "loan_register_hint",
                LoanStep::Cure => "loan_cure_hint",
                _ => "loan_withdraw_hint",
            }),
            warning: s == LoanStep::Withdraw,
        })
        .collect();
    let page = LoanPage {
        date_steps,
        button_steps,
        sub: subnav(&c, authed, "/credit/loans"),
        status_label: d.loan.status.label(lang),
        kind_label: d.loan.kind.label(lang),
        grade_label: d
            .loan
            .grade
            .as_deref()
            .map_or_else(|| c.t("not_graded").to_string(), |g| grade_label(lang, g)),
        method_label: d
            .loan
            .repayment_method
            .map(|m| m.label(lang).to_string())
            .unwrap_or_default(),
        methods: RepaymentMethod::ALL
            .iter()
            .map(|m| Opt::new(m.code(), m.label(lang), m.code() == chosen_method))
            .collect(),
        is_bank,
        sees_claims: is_bank
            || can(
                &p.actor(),
                &Action::ViewBankCredit {
                    bank_org_id: d.loan.bank_org_id,
                },
            )
            .is_ok(),
        show_over_line: d.loan.requested_fen > d.loan.line_fen
            || c.err("approve_over_line_reason").is_some()
            || !f.over_line_reason.trim().is_empty(),
        applied_at: local(&d.loan.created_at),
        consent_at: local(&d.loan.consent_at),
        today,
        max_rate: fruition_app::credit::rate_label(policy.lpr_bp + policy.max_spread_bp),
        policy,
        f,
        d,
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
    let r = LoanReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
        id,
    };
    show(&r, None, None, q.done.as_deref()).await
}

/// The notice after a step.
fn done_of(step: &str) -> &'static str {
    match LoanStep::parse(step) {
        Some(LoanStep::Approve) => "loan_approved",
        Some(LoanStep::Decline) => "loan_declined",
        Some(LoanStep::Withdraw) => "loan_withdrawn",
        Some(LoanStep::Disburse) => "loan_disbursed",
        Some(LoanStep::Register) => "loan_registered",
        Some(LoanStep::MarkOverdue) => "loan_marked_overdue",
        Some(LoanStep::Cure) => "loan_cured",
        Some(LoanStep::Repay) => "loan_settled",
        Some(LoanStep::Default) | None => "loan_defaulted",
    }
}

/// Ends one of the loan page's forms: back to the loan with a notice, or the loan's page again
/// with the form as typed and its problems beside its fields (named `prefix_field`).
async fn finish<T>(
    form: &PageForm,
    id: i64,
    typed: StepForm,
    result: Result<T, AppError>,
    local: Vec<crate::error::Problem>,
    done: impl FnOnce(T) -> String,
    fields: &[&str],
) -> Response {
    let prefix = typed.step.clone();
    form.finish(result, local, done, |e| async move {
        let e = scoped(e, &prefix, fields);
        let r = LoanReq {
            state: &form.state,
            headers: &form.headers,
            authed: &form.authed,
            ip: form.ip.clone(),
            id,
        };
        show(&r, Some(typed), Some(&e), None).await
    })
    .await
}

async fn step(PageId(id): PageId, form: PageForm) -> Response {
    let step = form.get("step").trim().to_string();
    let typed = StepForm::of(&form, &step);
    let mut local = Vec::new();
    let approve = step == LoanStep::Approve.code();
    let input = if approve {
        // A problem the page finds is also one the action refuses: 0 is never an amount, a
        // rate or a term.
        LoanStepInput {
            step: step.clone(),
            amount_fen: Some(wan(&mut local, "amount", &typed.amount, MAX_FEN).unwrap_or(0)),
            rate_bp: Some(super::percent(&mut local, "rate", &typed.rate).unwrap_or(0)),
            term_months: Some(
                whole_number(&mut local, "term_months", &typed.term_months).unwrap_or(0),
            ),
            repayment_method: Some(typed.repayment_method.clone()),
            over_line_reason: Some(typed.over_line_reason.clone()),
            ..LoanStepInput::default()
        }
    } else {
        LoanStepInput {
            step: step.clone(),
            reason: Some(typed.reason.clone()),
            date: Some(typed.date.clone()),
            ..LoanStepInput::default()
        }
    };
    let result = actions::step(&form.state, &form.ctx(), id, &input).await;
    let done = done_of(&step);
    finish(
        &form,
        id,
        typed,
        result,
        local,
        |_| format!("/credit/loans/{id}?done={done}"),
        STEP_FIELDS,
    )
    .await
}

async fn repay(PageId(id): PageId, form: PageForm) -> Response {
    let typed = StepForm::of(&form, "repayment");
    let mut local = Vec::new();
    // Blank is nothing of that part; something that is not an amount is refused, and so is the
    // repayment (a negative amount never passes the action).
    let part = |local: &mut Vec<_>, field: &'static str, raw: &str| -> i64 {
        if raw.trim().is_empty() {
            0
        } else {
            yuan(local, field, raw).unwrap_or(-1)
        }
    };
    let input = RepaymentInput {
        paid_on: Some(typed.paid_on.clone()),
        principal_fen: part(&mut local, "principal", &typed.principal),
        interest_fen: part(&mut local, "interest", &typed.interest),
    };
    let result = actions::repay(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| {
            renamed(
                e,
                &[("principal_fen", "principal"), ("interest_fen", "interest")],
            )
        });
    finish(
        &form,
        id,
        typed,
        result,
        local,
        |_| format!("/credit/loans/{id}?done=repayment_recorded"),
        &["paid_on", "principal", "interest"],
    )
    .await
}

async fn claim(PageId(id): PageId, form: PageForm) -> Response {
    let typed = StepForm::of(&form, "claim");
    let input = CompensationClaimInput {
        note: typed.note.clone(),
    };
    let result = claims::submit(&form.state, &form.ctx(), id, &input).await;
    finish(
        &form,
        id,
        typed,
        result,
        Vec::new(),
        |c| format!("/credit/claims/{}?done=credit_claim_submitted", c.id),
        &["note"],
    )
    .await
}
