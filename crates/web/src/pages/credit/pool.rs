//! The pool as the bureau keeps it: its funders with their ratios, contributions and money in the
//! pool on any day, the forms that add a funder, change its ratio or stop it sharing, and record
//! a contribution, and the proof that the books balance; the ledger entry by entry (filtered,
//! paged, and as a workbook); the city's credit policy, read and changed.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::money::MAX_FEN;
use fruition_domain::pool::{AccountKind, FunderLevel, TransferKind};
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, ctx, whole_number};
use super::super::pilot::scoped;
use super::super::{Chrome, PageId, error_page, render_status, url_encode};
use super::{
    SubNav, bureau, percent, plain_pct, plain_wan, plain_yi, renamed, subnav, wan, with_notice, yi,
};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use fruition_app::credit::pool::{
    self as actions, AccountView, AsOfQuery, ContributionInput, FunderInput, FunderUpdate,
    LedgerEntryView, LedgerQuery, PolicyView, PoolView, ProofView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/credit/pool", get(pool_page))
        .route("/credit/pool/funders", post(add_funder))
        .route("/credit/pool/funders/{id}", post(update_funder))
        .route("/credit/pool/contributions", post(contribute))
        .route("/credit/pool/ledger", get(ledger))
        .route("/credit/pool/ledger/export.xlsx", get(ledger))
        .route("/credit/policy", get(policy_page).post(save_policy))
}

/// The pool's pages are the bureau's: anyone else gets the refusal page before anything is read.
fn refuse_others(state: &AppState, headers: &HeaderMap, authed: &Authed) -> Option<Response> {
    (!bureau(&authed.principal))
        .then(|| error_page(state, headers, Some(authed), &AppError::Forbidden("role")))
}

// ---------------------------------------------------------------------------------------------
// The pool

#[derive(Deserialize, Default)]
struct PoolQuery {
    as_of: Option<String>,
    done: Option<String>,
}

/// The pool page's forms as typed: `form` is `funder`, `funder_<id>` or `contribution`.
#[derive(Debug, Clone, Default)]
struct PoolForm {
    form: String,
    name: String,
    level: String,
    ratio: String,
    active: bool,
    funder_id: String,
    amount: String,
    memo: String,
}

/// One funder's line with its form's values.
struct FunderLine {
    f: fruition_app::credit::pool::FunderView,
    level_label: &'static str,
    /// The ratio and "active" its form shows.
    ratio: String,
    active: bool,
    /// Its form's ratio field (`funder_3_ratio`) and the problem there, if any.
    ratio_key: String,
    ratio_err: Option<String>,
}

#[derive(Template)]
#[template(path = "credit_pool.html")]
struct PoolPage {
    c: Chrome,
    sub: SubNav,
    p: PoolView,
    funders: Vec<FunderLine>,
    proof: ProofView,
    as_of: String,
    f: PoolForm,
    levels: Vec<Opt>,
    funder_opts: Vec<Opt>,
    today: String,
}

impl PoolPage {
    fn yuan(&self, fen: &i64) -> String {
        fruition_domain::money::yuan(*fen)
    }

    /// What the form `form` shows in `field`: what was typed, else blank.
    fn v(&self, form: &str, field: &str) -> String {
        if self.f.form != form {
            return String::new();
        }
        match field {
            "name" => self.f.name.clone(),
            "ratio" => self.f.ratio.clone(),
            "amount" => self.f.amount.clone(),
            "memo" => self.f.memo.clone(),
            _ => String::new(),
        }
    }

    fn mismatched(&self) -> String {
        self.proof
            .mismatched_accounts
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// How the pool's page comes back: the day asked for, the forms as typed, the refusal, a notice.
#[derive(Default)]
struct Shown<'a> {
    as_of: Option<String>,
    f: Option<PoolForm>,
    err: Option<&'a AppError>,
    done: Option<&'a str>,
}

async fn show_pool(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    s: Shown<'_>,
) -> Response {
    let Shown {
        as_of,
        f,
        err,
        done,
    } = s;
    if let Some(r) = refuse_others(state, headers, authed) {
        return r;
    }
    let cx = ctx(authed, ip);
    // A day that is not one is a problem beside the field; the page shows today's balances.
    let asked = AsOfQuery {
        as_of: as_of.clone(),
    };
    let (p, day_err) = match actions::pool(state, &cx, &asked).await {
        Ok(p) => (p, None),
        Err(e @ AppError::Invalid(_)) => {
            match actions::pool(state, &cx, &AsOfQuery::default()).await {
                Ok(p) => (p, Some(e)),
                Err(e) => return error_page(state, headers, Some(authed), &e),
            }
        }
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let proof = match actions::proof(state, &cx).await {
        Ok(p) => p,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(state, headers, Some(authed), "/credit/pool", "credit_pool");
    c = with_notice(c, done);
    let shown_err = err.or(day_err.as_ref());
    if let Some(e) = shown_err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let f = f.unwrap_or_default();
    let funders = p
        .funders
        .iter()
        .map(|fv| {
            let mine = f.form == format!("funder_{}", fv.id);
            let ratio_key = format!("funder_{}_ratio", fv.id);
            FunderLine {
                ratio_err: c.err(&ratio_key).map(str::to_string),
                ratio_key,
                level_label: fv.level.label(lang),
                ratio: if mine {
                    f.ratio.clone()
                } else {
                    fv.ratio.to_string()
                },
                active: if mine { f.active } else { fv.active },
                f: fv.clone(),
            }
        })
        .collect();
    let page = PoolPage {
        sub: subnav(&c, authed, "/credit/pool"),
        levels: FunderLevel::ALL
            .iter()
            .map(|l| {
                Opt::new(
                    l.code(),
                    l.label(lang),
                    f.form == "funder" && l.code() == f.level,
                )
            })
            .collect(),
        funder_opts: p
            .funders
            .iter()
            .map(|fv| {
                Opt::new(
                    fv.id.to_string(),
                    &fv.name,
                    f.form == "contribution" && fv.id.to_string() == f.funder_id,
                )
            })
            .collect(),
        as_of: match &day_err {
            Some(_) => as_of.unwrap_or_default(),
            None => p.as_of.clone(),
        },
        today: fruition_app::clock::today(),
        funders,
        proof,
        f,
        p,
        c,
    };
    let status = shown_err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn pool_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<PoolQuery>,
) -> Response {
    let shown = Shown {
        as_of: q.as_of,
        done: q.done.as_deref(),
        ..Shown::default()
    };
    show_pool(&state, &headers, &authed, ip, shown).await
}

/// Ends one of the pool page's forms: back to the pool with a notice, or the pool again with the
/// form as typed and its problems beside its fields (named `form_field`).
async fn finish<T>(
    form: &PageForm,
    typed: PoolForm,
    result: Result<T, AppError>,
    local: Vec<Problem>,
    done: &str,
    fields: &[&str],
) -> Response {
    let prefix = typed.form.clone();
    form.finish(
        result,
        local,
        |_| format!("/credit/pool?done={done}"),
        |e| async move {
            let e = scoped(e, &prefix, fields);
            let shown = Shown {
                f: Some(typed),
                err: Some(&e),
                ..Shown::default()
            };
            show_pool(
                &form.state,
                &form.headers,
                &form.authed,
                form.ip.clone(),
                shown,
            )
            .await
        },
    )
    .await
}

async fn add_funder(form: PageForm) -> Response {
    let typed = PoolForm {
        form: "funder".into(),
        name: form.get("name"),
        level: form.get("level"),
        ratio: form.get("ratio"),
        ..PoolForm::default()
    };
    let mut local = Vec::new();
    // A problem the page finds is also one the action refuses: 0 is never a ratio.
    let input = FunderInput {
        name: typed.name.clone(),
        level: typed.level.clone(),
        ratio: whole_number(&mut local, "ratio", &typed.ratio).unwrap_or(0),
    };
    let result = actions::add_funder(&form.state, &form.ctx(), &input).await;
    finish(
        &form,
        typed,
        result,
        local,
        "funder_added",
        &["name", "level", "ratio"],
    )
    .await
}

async fn update_funder(PageId(id): PageId, form: PageForm) -> Response {
    let typed = PoolForm {
        form: format!("funder_{id}"),
        ratio: form.get("ratio"),
        active: form.get("active") == "true",
        ..PoolForm::default()
    };
    let mut local = Vec::new();
    let input = FunderUpdate {
        ratio: whole_number(&mut local, "ratio", &typed.ratio).unwrap_or(0),
        active: typed.active,
    };
    let result = actions::update_funder(&form.state, &form.ctx(), id, &input).await;
    finish(&form, typed, result, local, "funder_updated", &["ratio"]).await
}

async fn contribute(form: PageForm) -> Response {
    let typed = PoolForm {
        form: "contribution".into(),
        funder_id: form.get("funder_id"),
        amount: form.get("amount"),
        memo: form.get("memo"),
        ..PoolForm::default()
    };
    let mut local = Vec::new();
    let input = ContributionInput {
        funder_id: typed.funder_id.trim().parse().unwrap_or(0),
        amount_fen: wan(&mut local, "amount", &typed.amount, MAX_FEN).unwrap_or(0),
        memo: typed.memo.clone(),
    };
    let result = actions::contribute(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, &[("amount_fen", "amount")]));
    finish(
        &form,
        typed,
        result,
        local,
        "contribution_recorded",
        &["funder_id", "amount", "memo"],
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The ledger

/// Entries on one page of the ledger.
const LEDGER_PAGE: i64 = 50;
/// Entries read at a time for the workbook (the most the action gives).
const LEDGER_BATCH: i64 = 10_000;

#[derive(Deserialize, Default)]
struct LedgerParams {
    account: Option<String>,
    from: Option<String>,
    to: Option<String>,
    offset: Option<String>,
}

impl LedgerParams {
    fn account_id(&self) -> Option<i64> {
        self.account.as_deref().and_then(|s| s.trim().parse().ok())
    }

    fn offset(&self) -> i64 {
        self.offset
            .as_deref()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(0_i64)
            .max(0)
    }

    fn query(&self, limit: i64, offset: i64) -> LedgerQuery {
        LedgerQuery {
            account_id: self.account_id(),
            from: self.from.clone(),
            to: self.to.clone(),
            limit: Some(limit),
            offset: Some(offset),
        }
    }

    /// The ledger's address with these filters from `offset`; `export` for its workbook.
    fn href(&self, offset: Option<i64>, export: bool) -> String {
        let mut parts = Vec::new();
        if let Some(a) = self.account_id() {
            parts.push(format!("account={a}"));
        }
        for (k, v) in [("from", &self.from), ("to", &self.to)] {
            if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", url_encode(v)));
            }
        }
        if let Some(o) = offset.filter(|o| *o > 0) {
            parts.push(format!("offset={o}"));
        }
        let path = if export {
            "/credit/pool/ledger/export.xlsx"
        } else {
            "/credit/pool/ledger"
        };
        if parts.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", parts.join("&"))
        }
    }
}

#[derive(Template)]
#[template(path = "credit_ledger.html")]
struct LedgerPage {
    c: Chrome,
    sub: SubNav,
    entries: Vec<LedgerEntryView>,
    accounts: Vec<Opt>,
    from: String,
    to: String,
    export_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl LedgerPage {
    fn kind(&self, k: &TransferKind) -> &'static str {
        k.label(self.c.lang)
    }

    fn account_kind(&self, k: &AccountKind) -> &'static str {
        k.label(self.c.lang)
    }
}

async fn ledger(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<LedgerParams>,
) -> Response {
    if let Some(r) = refuse_others(&state, &headers, &authed) {
        return r;
    }
    let cx = ctx(&authed, ip);
    let accounts: Vec<AccountView> = match actions::accounts(&state, &cx).await {
        Ok(a) => a,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/credit/pool/ledger",
        "pool_ledger",
    );
    if export.xlsx {
        let mut all = Vec::new();
        let mut offset = 0;
        loop {
            match actions::entries(&state, &cx, &q.query(LEDGER_BATCH, offset)).await {
                Ok(batch) => {
                    let n = batch.len() as i64;
                    all.extend(batch);
                    if n < LEDGER_BATCH {
                        break;
                    }
                    offset += LEDGER_BATCH;
                }
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            }
        }
        return workbook(&c, &all);
    }
    let offset = q.offset();
    let (entries, err) = match actions::entries(&state, &cx, &q.query(LEDGER_PAGE, offset)).await {
        Ok(list) => (list, None),
        Err(e @ AppError::Invalid(_)) => (Vec::new(), Some(e)),
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    if let Some(e) = &err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let chosen = q.account_id();
    let page = LedgerPage {
        sub: subnav(&c, &authed, "/credit/pool/ledger"),
        accounts: accounts
            .iter()
            .map(|a| {
                Opt::new(
                    a.id.to_string(),
                    format!("{}（{}）", a.name, a.kind.label(lang)),
                    Some(a.id) == chosen,
                )
            })
            .collect(),
        from: q.from.clone().unwrap_or_default(),
        to: q.to.clone().unwrap_or_default(),
        export_href: q.href(None, true),
        prev_href: (offset > 0).then(|| q.href(Some((offset - LEDGER_PAGE).max(0)), false)),
        next_href: (entries.len() as i64 == LEDGER_PAGE)
            .then(|| q.href(Some(offset + LEDGER_PAGE), false)),
        entries,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

/// The ledger as a workbook: signed amounts and balances in 元, days as dates.
fn workbook(c: &Chrome, rows: &[LedgerEntryView]) -> Response {
    let lang = c.lang;
    let money = |fen: i64| Value::Float(fen as f64 / 100.0);
    let sheet = export::sheet(
        c.t("pool_ledger"),
        rows,
        &[
            (c.t("entry_number"), &|e: &LedgerEntryView| e.id.into()),
            (c.t("transfer_number"), &|e: &LedgerEntryView| {
                e.transfer_id.into()
            }),
            (c.t("value_date"), &|e: &LedgerEntryView| {
                fruition_sheets::Date::parse(&e.value_date)
                    .map_or_else(|| Value::from(&e.value_date), Value::Date)
            }),
            (c.t("transfer_kind"), &|e: &LedgerEntryView| {
                e.transfer_kind.label(lang).into()
            }),
            (c.t("ledger_account"), &|e: &LedgerEntryView| {
                e.account_name.as_str().into()
            }),
            (c.t("account_kind"), &|e: &LedgerEntryView| {
                e.account_kind.label(lang).into()
            }),
            (c.t("entry_amount_yuan"), &|e: &LedgerEntryView| {
                money(e.amount_fen)
            }),
            (c.t("balance_after_yuan"), &|e: &LedgerEntryView| {
                money(e.balance_after_fen)
            }),
            (c.t("memo"), &|e: &LedgerEntryView| e.memo.as_str().into()),
            (c.t("credit_claim_number"), &|e: &LedgerEntryView| {
                e.claim_id.map_or(Value::Empty, Value::from)
            }),
        ],
    );
    export::download(c.t("pool_ledger"), &[sheet])
}

// ---------------------------------------------------------------------------------------------
// The policy

/// The policy's form as typed: percentages, 万元 and 亿元 as a person writes them.
#[derive(Debug, Clone, Default)]
struct PolicyForm {
    credit_pct: String,
    guaranteed_pct: String,
    per_loan_cap: String,
    bank_year_cap: String,
    warning: String,
    breaker: String,
    lpr: String,
    max_spread: String,
    max_term_months: String,
    target: String,
}

impl PolicyForm {
    fn of(p: &PolicyView) -> PolicyForm {
        PolicyForm {
            credit_pct: p.credit_pct.to_string(),
            guaranteed_pct: p.guaranteed_pct.to_string(),
            per_loan_cap: plain_wan(p.per_loan_cap_fen),
            bank_year_cap: plain_wan(p.bank_year_cap_fen),
            warning: plain_pct(p.warning_bp),
            breaker: plain_pct(p.breaker_bp),
            lpr: plain_pct(p.lpr_bp),
            max_spread: plain_pct(p.max_spread_bp),
            max_term_months: p.max_term_months.to_string(),
            target: plain_yi(p.target_fen),
        }
    }
}

/// The action's names of the policy's fields, and the form's.
const POLICY_FIELDS: &[(&str, &str)] = &[
    ("warning_bp", "warning"),
    ("breaker_bp", "breaker"),
    ("lpr_bp", "lpr"),
    ("max_spread_bp", "max_spread"),
];

#[derive(Template)]
#[template(path = "credit_policy.html")]
struct PolicyPage {
    c: Chrome,
    sub: SubNav,
    p: PolicyView,
    f: PolicyForm,
}

impl PolicyPage {
    fn wan(&self, fen: &i64) -> String {
        super::wan_label(*fen)
    }

    fn yi(&self, fen: &i64) -> String {
        format!("{}{}", plain_yi(*fen), self.c.t("yi_yuan"))
    }

    fn pct(&self, bp: &i64) -> String {
        fruition_app::credit::rate_label(*bp)
    }
}

async fn show_policy(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    f: Option<PolicyForm>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    if let Some(r) = refuse_others(state, headers, authed) {
        return r;
    }
    let cx = ctx(authed, ip);
    let p = match actions::policy(state, &cx).await {
        Ok(p) => p,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        "/credit/policy",
        "credit_policy",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let page = PolicyPage {
        sub: subnav(&c, authed, "/credit/policy"),
        f: f.unwrap_or_else(|| PolicyForm::of(&p)),
        p,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn policy_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    show_policy(&state, &headers, &authed, ip, None, None, q.done.as_deref()).await
}

async fn save_policy(form: PageForm) -> Response {
    let typed = PolicyForm {
        credit_pct: form.get("credit_pct"),
        guaranteed_pct: form.get("guaranteed_pct"),
        per_loan_cap: form.get("per_loan_cap"),
        bank_year_cap: form.get("bank_year_cap"),
        warning: form.get("warning"),
        breaker: form.get("breaker"),
        lpr: form.get("lpr"),
        max_spread: form.get("max_spread"),
        max_term_months: form.get("max_term_months"),
        target: form.get("target"),
    };
    let mut local = Vec::new();
    // A problem the page finds is also one the action refuses: −1 is never a percentage, a
    // spread or a term, and 0 never a cap, a line or a target.
    let input = PolicyView {
        credit_pct: whole_number(&mut local, "credit_pct", &typed.credit_pct).unwrap_or(-1),
        guaranteed_pct: whole_number(&mut local, "guaranteed_pct", &typed.guaranteed_pct)
            .unwrap_or(-1),
        per_loan_cap_fen: wan(&mut local, "per_loan_cap", &typed.per_loan_cap, MAX_FEN)
            .unwrap_or(0),
        bank_year_cap_fen: wan(
            &mut local,
            "bank_year_cap",
            &typed.bank_year_cap,
            100 * MAX_FEN,
        )
        .unwrap_or(0),
        warning_bp: percent(&mut local, "warning", &typed.warning).unwrap_or(0),
        breaker_bp: percent(&mut local, "breaker", &typed.breaker).unwrap_or(0),
        lpr_bp: percent(&mut local, "lpr", &typed.lpr).unwrap_or(0),
        max_spread_bp: percent(&mut local, "max_spread", &typed.max_spread).unwrap_or(-1),
        max_term_months: whole_number(&mut local, "max_term_months", &typed.max_term_months)
            .unwrap_or(-1),
        target_fen: yi(&mut local, "target", &typed.target, 10_000 * MAX_FEN).unwrap_or(0),
    };
    let result = actions::set_policy(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, POLICY_FIELDS));
    let page = &form;
    form.finish(
        result,
        local,
        |_| "/credit/policy?done=policy_saved".to_string(),
        |e| async move {
            show_policy(
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
