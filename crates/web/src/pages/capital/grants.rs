//! 先投后股 projects as the bureau, the named fund's manager and the enterprise see them: the
//! list with its status filter and workbook (the bureau grants a new project from it); a
//! project's page with its figures, milestones (with the form to add one and to mark one
//! achieved while they are recorded) and a form for each step that is legal now — after
//! conversion it shows the shares, the holding and the discounted valuation, after a write-off
//! the reason and the exemption from liability (尽职免责). Every rule is the actions'
//! (`fruition_app::capital::grants`).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use fruition_domain::equity_grant::{EXIT_KINDS, GrantStatus, GrantStep};
use fruition_domain::investment::Round;
use fruition_domain::money::MAX_CAPITAL_FEN;
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::credit::{percent, renamed, wan};
use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, ctx, whole_number};
use super::super::pilot::{Done, local, scoped};
use super::super::{Chrome, PageId, PageIds, error_page, render_status, url_encode};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};
use fruition_app::capital::grants::{
    self as actions, EquityGrantAchievementInput, EquityGrantDetail, EquityGrantFundChoice,
    EquityGrantInput, EquityGrantMilestoneInput, EquityGrantQuery, EquityGrantStepInput,
    EquityGrantView,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/capital/grants", get(list).post(create))
        .route("/capital/grants/export.xlsx", get(list))
        .route("/capital/grants/{id}", get(detail))
        .route("/capital/grants/{id}/milestones", post(add_milestone))
        .route(
            "/capital/grants/{id}/milestones/{milestone_id}/achievement",
            post(achieve_milestone),
        )
        .route("/capital/grants/{id}/actions", post(step))
}

/// Projects on one page of the list.
const PAGE: i64 = 100;
/// Projects read at a time for a workbook (the most the action gives).
const BATCH: i64 = 1000;

/// Notices the redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "grant_created",
    "grant_milestone_added",
    "grant_milestone_achieved",
    "grant_triggered",
    "grant_converted",
    "grant_registered",
    "grant_exited",
    "grant_written_off",
];

/// The page's notice for `done`, when it is one of [`NOTICES`].
fn with_notice(c: Chrome, done: Option<&str>) -> Chrome {
    c.with_done(done, NOTICES)
}

/// Whether the user is the bureau, who grants.
fn grants(authed: &Authed) -> bool {
    can(&authed.principal.actor(), &Action::GrantEquityFunding).is_ok()
}

/// An amount typed in 万元 that may be zero (an exit that brought nothing): fen, or a problem.
fn wan_or_zero(problems: &mut Vec<Problem>, field: &'static str, raw: &str) -> Option<i64> {
    let typed = raw.trim();
    let number = typed
        .strip_suffix("万元")
        .or_else(|| typed.strip_suffix('万'))
        .unwrap_or(typed);
    if fruition_domain::money::parse_yuan(field, number) == Ok(0) {
        return Some(0);
    }
    wan(problems, field, raw, MAX_CAPITAL_FEN)
}

// ---------------------------------------------------------------------------------------------
// The list, and the bureau's form for a new project

#[derive(Deserialize, Default)]
struct ListQuery {
    status: Option<String>,
    offset: Option<String>,
    done: Option<String>,
}

/// The new project's form as typed (kept when it comes back with problems).
#[derive(Debug, Clone, Default)]
struct NewForm {
    enterprise_uscc: String,
    title: String,
    amount: String,
    granted_on: String,
    discount: String,
    fund_id: String,
}

#[derive(Template)]
#[template(path = "capital_grants.html")]
struct ListPage {
    c: Chrome,
    grants: Vec<EquityGrantView>,
    statuses: Vec<Opt>,
    funds: Vec<Opt>,
    can_grant: bool,
    f: NewForm,
    export_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl ListPage {
    fn status(&self, s: &GrantStatus) -> &'static str {
        s.label(self.c.lang)
    }
}

/// The list's address with another offset.
fn list_href(status: &str, offset: i64) -> String {
    let mut parts = Vec::new();
    if !status.is_empty() {
        parts.push(format!("status={}", url_encode(status)));
    }
    if offset > 0 {
        parts.push(format!("offset={offset}"));
    }
    if parts.is_empty() {
        "/capital/grants".into()
    } else {
        format!("/capital/grants?{}", parts.join("&"))
    }
}

/// The export's address without the list's paging and notice.
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

/// The status asked for, when it is one (anything else lists every status).
fn status_of(q: &ListQuery) -> String {
    q.status
        .as_deref()
        .map(str::trim)
        .filter(|s| GrantStatus::parse(s).is_some())
        .unwrap_or("")
        .to_string()
}

async fn fetch(
    state: &AppState,
    c: &fruition_app::Ctx<'_>,
    status: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<EquityGrantView>, AppError> {
    let q = EquityGrantQuery {
        status: Some(status.to_string()).filter(|s| !s.is_empty()),
        limit: Some(limit),
        offset: Some(offset),
        ..EquityGrantQuery::default()
    };
    actions::list(state, c, &q).await
}

/// A request to the list: who asks and what they asked for.
struct ListReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
    export: Export,
    q: ListQuery,
}

async fn list_page(r: ListReq<'_>, f: NewForm, err: Option<&AppError>) -> Response {
    let (state, headers, authed) = (r.state, r.headers, r.authed);
    let c = ctx(authed, r.ip.clone());
    let status = status_of(&r.q);
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        "/capital/grants",
        "grants_title",
    );
    if r.export.xlsx {
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            match fetch(state, &c, &status, BATCH, offset).await {
                Ok(batch) => {
                    let n = batch.len() as i64;
                    rows.extend(batch);
                    if n < BATCH {
                        break;
                    }
                    offset += BATCH;
                }
                Err(e) => return error_page(state, headers, Some(authed), &e),
            }
        }
        return workbook(&chrome, &rows);
    }
    let offset =
        r.q.offset
            .as_deref()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(0)
            .max(0);
    let rows = match fetch(state, &c, &status, PAGE, offset).await {
        Ok(rows) => rows,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let can_grant = grants(authed);
    let funds: Vec<EquityGrantFundChoice> = if can_grant {
        match actions::fund_choices(state, &c).await {
            Ok(f) => f,
            Err(e) => return error_page(state, headers, Some(authed), &e),
        }
    } else {
        Vec::new()
    };
    chrome = with_notice(chrome, r.q.done.as_deref());
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let lang = chrome.lang;
    let page = ListPage {
        statuses: GrantStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), s.code() == status))
            .collect(),
        funds: funds
            .iter()
            .map(|x| {
                Opt::new(
                    x.id.to_string(),
                    &x.name,
                    x.id.to_string() == f.fund_id.trim(),
                )
            })
            .collect(),
        can_grant,
        export_href: without_offset(&r.export.href),
        prev_href: (offset > 0).then(|| list_href(&status, (offset - PAGE).max(0))),
        next_href: (rows.len() as i64 == PAGE).then(|| list_href(&status, offset + PAGE)),
        grants: rows,
        f: NewForm {
            granted_on: if f.granted_on.is_empty() && err.is_none() {
                fruition_app::clock::today()
            } else {
                f.granted_on.clone()
            },
            ..f
        },
        c: chrome,
    };
    let code = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(code, &page)
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<ListQuery>,
) -> Response {
    let r = ListReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
        export,
        q,
    };
    list_page(r, NewForm::default(), None).await
}

/// The projects as a workbook: money in 元, dates as dates.
fn workbook(c: &Chrome, rows: &[EquityGrantView]) -> Response {
    let lang = c.lang;
    let money = |fen: i64| Value::Float(fen as f64 / 100.0);
    let opt_money = |fen: Option<i64>| fen.map_or(Value::Empty, money);
    let day = |s: &Option<String>| match s.as_deref() {
        Some(d) => fruition_sheets::Date::parse(d).map_or_else(|| Value::from(d), Value::Date),
        None => Value::Empty,
    };
    let sheet = export::sheet(
        c.t("grants_title"),
        rows,
        &[
            (c.t("grant_number"), &|g: &EquityGrantView| g.id.into()),
            (c.t("enterprise"), &|g: &EquityGrantView| {
                g.enterprise_name.as_str().into()
            }),
            (c.t("grant_project"), &|g: &EquityGrantView| {
                g.title.as_str().into()
            }),
            (c.t("grant_fund"), &|g: &EquityGrantView| {
                export::opt_text(&g.fund_name)
            }),
            (c.t("grant_amount_yuan"), &|g: &EquityGrantView| {
                money(g.amount_fen)
            }),
            (c.t("grant_granted_on"), &|g: &EquityGrantView| {
                day(&Some(g.granted_on.clone()))
            }),
            (c.t("grant_discount_pct"), &|g: &EquityGrantView| {
                Value::Float(g.discount_bp as f64 / 100.0)
            }),
            (c.t("status"), &|g: &EquityGrantView| {
                g.status.label(lang).into()
            }),
            (c.t("grant_round"), &|g: &EquityGrantView| {
                g.trigger_round
                    .map_or(Value::Empty, |r| r.label(lang).into())
            }),
            (c.t("grant_triggered_on"), &|g: &EquityGrantView| {
                day(&g.triggered_on)
            }),
            (c.t("grant_valuation_yuan"), &|g: &EquityGrantView| {
                opt_money(g.valuation_fen)
            }),
            (c.t("grant_shares"), &|g: &EquityGrantView| {
                g.conversion
                    .as_ref()
                    .map_or(Value::Empty, |x| Value::from(x.shares))
            }),
            (c.t("grant_stake"), &|g: &EquityGrantView| {
                g.conversion
                    .as_ref()
                    .map_or(Value::Empty, |x| x.stake.as_str().into())
            }),
            (c.t("grant_registered_on"), &|g: &EquityGrantView| {
                day(&g.registered_on)
            }),
            (c.t("grant_registration_no"), &|g: &EquityGrantView| {
                export::opt_text(&g.registration_no)
            }),
            (c.t("grant_exited_on"), &|g: &EquityGrantView| {
                day(&g.exited_on)
            }),
            (c.t("grant_proceeds_yuan"), &|g: &EquityGrantView| {
                opt_money(g.proceeds_fen)
            }),
            (c.t("grant_written_off_on"), &|g: &EquityGrantView| {
                day(&g.written_off_on)
            }),
            (
                c.t("grant_liability_exempt"),
                &|g: &EquityGrantView| match g.liability_exempt {
                    Some(true) => c.t("yes").into(),
                    Some(false) => c.t("no").into(),
                    None => Value::Empty,
                },
            ),
        ],
    );
    export::download(c.t("grants_title"), &[sheet])
}

/// The new project's fields named as the action names them, and as the form does.
const NEW_FIELDS: &[(&str, &str)] = &[
    ("enterprise_id", "enterprise_uscc"),
    ("amount_fen", "amount"),
    ("discount_bp", "discount"),
];

async fn create(form: PageForm) -> Response {
    let typed = NewForm {
        enterprise_uscc: form.get("enterprise_uscc"),
        title: form.get("title"),
        amount: form.get("amount"),
        granted_on: form.get("granted_on"),
        discount: form.get("discount"),
        fund_id: form.get("fund_id"),
    };
    let mut local = Vec::new();
    // A problem the page finds is also one the action refuses: 0 is never a grant, -1 never a
    // discount.
    let discount_bp = if typed.discount.trim().is_empty() {
        0
    } else {
        percent(&mut local, "discount", &typed.discount).unwrap_or(-1)
    };
    let input = EquityGrantInput {
        enterprise_id: None,
        enterprise_uscc: Some(typed.enterprise_uscc.clone()),
        title: typed.title.clone(),
        amount_fen: wan(&mut local, "amount", &typed.amount, MAX_CAPITAL_FEN).unwrap_or(0),
        granted_on: Some(typed.granted_on.clone()),
        discount_bp,
        fund_id: match typed.fund_id.trim() {
            "" => None,
            s => Some(s.parse().unwrap_or(-1)),
        },
    };
    let result = actions::create(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, NEW_FIELDS));
    let page = &form;
    form.finish(
        result,
        local,
        |d| format!("/capital/grants/{}?done=grant_created", d.grant.id),
        |e| async move {
            let r = ListReq {
                state: &page.state,
                headers: &page.headers,
                authed: &page.authed,
                ip: page.ip.clone(),
                export: Export {
                    xlsx: false,
                    href: "/capital/grants/export.xlsx".into(),
                },
                q: ListQuery::default(),
            };
            list_page(r, typed, Some(&e)).await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A project

/// The project page's forms as typed (kept when one comes back with problems). `form` is the
/// form posted: a step's code, `milestone`, or `achieve<id>`.
#[derive(Debug, Clone, Default)]
struct StepForm {
    form: String,
    date: String,
    round: String,
    valuation: String,
    shares_before: String,
    registration_no: String,
    exit_kind: String,
    proceeds: String,
    counterparty: String,
    reason: String,
    liability_exempt: bool,
    exemption_note: String,
    title: String,
    due_on: String,
    note: String,
    achieved_on: String,
}

impl StepForm {
    fn of(form: &PageForm, which: &str) -> StepForm {
        StepForm {
            form: which.to_string(),
            date: form.get("date"),
            round: form.get("round"),
            valuation: form.get("valuation"),
            shares_before: form.get("shares_before"),
            registration_no: form.get("registration_no"),
            exit_kind: form.get("exit_kind"),
            proceeds: form.get("proceeds"),
            counterparty: form.get("counterparty"),
            reason: form.get("reason"),
            liability_exempt: form.get("liability_exempt") == "true",
            exemption_note: form.get("exemption_note"),
            title: form.get("title"),
            due_on: form.get("due_on"),
            note: form.get("note"),
            achieved_on: form.get("achieved_on"),
        }
    }
}

/// The step forms' fields, which [`scoped`] names `step_field`.
const STEP_FIELDS: &[&str] = &[
    "date",
    "round",
    "valuation",
    "shares_before",
    "registration_no",
    "exit_kind",
    "proceeds",
    "counterparty",
    "reason",
    "exemption_note",
];

/// The step fields named as the action names them, and as the forms do.
const STEP_RENAMES: &[(&str, &str)] =
    &[("valuation_fen", "valuation"), ("proceeds_fen", "proceeds")];

#[derive(Template)]
#[template(path = "capital_grant.html")]
struct GrantPage {
    c: Chrome,
    d: EquityGrantDetail,
    f: StepForm,
    status_label: &'static str,
    round_label: String,
    exit_label: String,
    rounds: Vec<Opt>,
    exits: Vec<Opt>,
    today: String,
    created_at: String,
}

impl GrantPage {
    /// Whether the caller may take `step` now.
    fn may(&self, step: &str) -> bool {
        self.d.steps.iter().any(|s| s.code() == step)
    }

    fn step_label(&self, code: &str) -> &'static str {
        GrantStep::parse(code).map_or("", |s| s.label(self.c.lang))
    }

    /// What the form `form` shows in `field`: what was typed into it, else its default.
    fn v(&self, form: &str, field: &str) -> String {
        if self.f.form == form {
            let f = &self.f;
            return match field {
                "date" => f.date.clone(),
                "valuation" => f.valuation.clone(),
                "shares_before" => f.shares_before.clone(),
                "registration_no" => f.registration_no.clone(),
                "proceeds" => f.proceeds.clone(),
                "counterparty" => f.counterparty.clone(),
                "reason" => f.reason.clone(),
                "exemption_note" => f.exemption_note.clone(),
                "title" => f.title.clone(),
                "due_on" => f.due_on.clone(),
                "note" => f.note.clone(),
                "achieved_on" => f.achieved_on.clone(),
                _ => String::new(),
            };
        }
        match field {
            "date" | "achieved_on" => self.today.clone(),
            _ => String::new(),
        }
    }

    /// Whether the write-off form's exemption box is ticked.
    fn exempt_checked(&self) -> bool {
        self.f.form == "write_off" && self.f.liability_exempt
    }

    fn achieve_key(&self, id: &i64) -> String {
        format!("achieve{id}_achieved_on")
    }

    fn achieve_value(&self, id: &i64) -> String {
        self.v(&format!("achieve{id}"), "achieved_on")
    }
}

/// A request to a project's page: who asks, and for which project.
struct GrantReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
    id: i64,
}

async fn show(
    r: &GrantReq<'_>,
    f: Option<StepForm>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, id) = (r.state, r.headers, r.authed, r.id);
    let cx = ctx(authed, r.ip.clone());
    let d = match actions::get(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/capital/grants/{id}"),
        "grant_title",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} – {}", d.grant.title, d.grant.enterprise_name);
    let lang = c.lang;
    let f = f.unwrap_or_default();
    let chosen_round = if f.form == "trigger" {
        f.round.clone()
    } else {
        String::new()
    };
    let chosen_exit = if f.form == "exit" {
        f.exit_kind.clone()
    } else {
        String::new()
    };
    let page = GrantPage {
        status_label: d.grant.status.label(lang),
        round_label: d
            .grant
            .trigger_round
            .map(|r| r.label(lang).to_string())
            .unwrap_or_default(),
        exit_label: d
            .grant
            .exit_kind
            .map(|k| k.kind().label(lang).to_string())
            .unwrap_or_default(),
        rounds: Round::ALL
            .iter()
            .map(|r| Opt::new(r.code(), r.label(lang), r.code() == chosen_round))
            .collect(),
        exits: EXIT_KINDS
            .iter()
            .map(|k| Opt::new(k.code(), k.label(lang), k.code() == chosen_exit))
            .collect(),
        today: fruition_app::clock::today(),
        created_at: local(&d.grant.created_at),
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
    let r = GrantReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
        id,
    };
    show(&r, None, None, q.done.as_deref()).await
}

/// Ends one of the project page's forms: back to the project with a notice, or its page again
/// with the form as typed and its problems beside its fields (named `prefix_field`).
async fn finish<T>(
    form: &PageForm,
    id: i64,
    typed: StepForm,
    result: Result<T, AppError>,
    local: Vec<Problem>,
    done: &str,
    fields: &[&str],
) -> Response {
    let prefix = typed.form.clone();
    form.finish(
        result,
        local,
        |_| format!("/capital/grants/{id}?done={done}"),
        |e| async move {
            let e = scoped(e, &prefix, fields);
            let r = GrantReq {
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

async fn add_milestone(PageId(id): PageId, form: PageForm) -> Response {
    let typed = StepForm::of(&form, "milestone");
    let input = EquityGrantMilestoneInput {
        title: typed.title.clone(),
        due_on: Some(typed.due_on.clone()),
        note: Some(typed.note.clone()),
    };
    let result = actions::add_milestone(&form.state, &form.ctx(), id, &input).await;
    finish(
        &form,
        id,
        typed,
        result,
        Vec::new(),
        "grant_milestone_added",
        &["title", "due_on", "note"],
    )
    .await
}

async fn achieve_milestone(PageIds(id, milestone_id): PageIds, form: PageForm) -> Response {
    let typed = StepForm::of(&form, &format!("achieve{milestone_id}"));
    let input = EquityGrantAchievementInput {
        achieved_on: Some(typed.achieved_on.clone()),
        note: None,
    };
    let result =
        actions::achieve_milestone(&form.state, &form.ctx(), id, milestone_id, &input).await;
    finish(
        &form,
        id,
        typed,
        result,
        Vec::new(),
        "grant_milestone_achieved",
        &["achieved_on"],
    )
    .await
}

/// The notice after a step.
fn done_of(step: Option<GrantStep>) -> &'static str {
    match step {
        Some(GrantStep::Trigger) => "grant_triggered",
        Some(GrantStep::Convert) => "grant_converted",
        Some(GrantStep::Register) => "grant_registered",
        Some(GrantStep::Exit) => "grant_exited",
        Some(GrantStep::WriteOff) | None => "grant_written_off",
    }
}

async fn step(PageId(id): PageId, form: PageForm) -> Response {
    let code = form.get("step").trim().to_string();
    let step = GrantStep::parse(&code);
    let typed = StepForm::of(&form, &code);
    let mut local = Vec::new();
    // A problem the page finds is also one the action refuses: 0 is never a valuation, -1 never
    // proceeds or shares.
    let mut input = EquityGrantStepInput {
        step: code.clone(),
        date: Some(typed.date.clone()),
        ..EquityGrantStepInput::default()
    };
    match step {
        Some(GrantStep::Trigger) => {
            input.round = Some(typed.round.clone());
            input.valuation_fen =
                Some(wan(&mut local, "valuation", &typed.valuation, MAX_CAPITAL_FEN).unwrap_or(0));
        }
        Some(GrantStep::Convert) => {
            input.shares_before = if typed.shares_before.trim().is_empty() {
                None
            } else {
                Some(whole_number(&mut local, "shares_before", &typed.shares_before).unwrap_or(-1))
            };
        }
        Some(GrantStep::Register) => {
            input.registration_no = Some(typed.registration_no.clone());
        }
        Some(GrantStep::Exit) => {
            input.exit_kind = Some(typed.exit_kind.clone());
            input.proceeds_fen =
                Some(wan_or_zero(&mut local, "proceeds", &typed.proceeds).unwrap_or(-1));
            input.counterparty = Some(typed.counterparty.clone());
        }
        Some(GrantStep::WriteOff) => {
            input.reason = Some(typed.reason.clone());
            input.liability_exempt = Some(typed.liability_exempt);
            input.exemption_note = Some(typed.exemption_note.clone());
        }
        None => {}
    }
    let result = actions::step(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| renamed(e, STEP_RENAMES));
    finish(&form, id, typed, result, local, done_of(step), STEP_FIELDS).await
}
