//! Technology contracts concluded anywhere (技术合同认定登记): a party's form to submit a contract
//! with its signed file, its list of submissions, a submission's page (details, the file, the
//! resubmission form after a return), the registration office's queue and decision form, the
//! register of every registered contract (market deals and recognised submissions) with its
//! workbook, and the import of historical registrations from a workbook.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_app::contracts::{
    self, ContractDecisionInput, ContractImportSummary, ContractSubmissionInput,
    ContractSubmissionView,
};
use fruition_app::deals::{self, ContractView};
use fruition_app::import::{ImportError, MAX_FILE_BYTES};
use fruition_app::reference::Lookups;
use fruition_domain::authz::{Action, can};
use fruition_domain::contract::{ContractSource, FILE_MAX_BYTES, SubmissionStatus};
use fruition_domain::deal::ContractType;
use fruition_domain::lang::Lang;
use fruition_domain::money::{self, MAX_CAPITAL_FEN};
use fruition_sheets::{Sheet, Value};
use serde::Deserialize;

use super::export::{Export, download, opt_text, sheet};
use super::forms::{Fields, Opt, Typed, chain_opts, ctx, problem, tech_field_opts};
use super::import::{Line, base64, line};
use super::{Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::HttpError;
use crate::error::{AppError, Problem};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/contracts/submissions",
            get(list)
                .post(submit)
                .layer(DefaultBodyLimit::max(FILE_MAX_BYTES + 64 * 1024)),
        )
        .route("/contracts/submissions/new", get(new_form))
        .route("/contracts/submissions/{id}", get(detail))
        .route(
            "/contracts/submissions/{id}/resubmit",
            post(resubmit).layer(DefaultBodyLimit::max(FILE_MAX_BYTES + 64 * 1024)),
        )
        .route("/contracts/submissions/{id}/decision", post(decide))
        .route("/contracts/submissions/{id}/reminders", post(remind))
        .route("/contracts/submissions/{id}/file", get(file))
        .route("/contracts/queue", get(queue))
        .route("/contracts/register", get(register))
        .route("/contracts/register/export.xlsx", get(register))
        .route(
            "/contracts/import",
            get(import_form)
                .post(import_upload)
                .layer(DefaultBodyLimit::max(MAX_FILE_BYTES + 64 * 1024)),
        )
}

/// Whether the user's organisation may submit contracts (a party's writers, the bureau).
pub fn may_submit(authed: &Authed) -> bool {
    can(
        &authed.principal.actor(),
        &Action::SubmitContract { party: true },
    )
    .is_ok()
}

/// Whether the user works in the registration office (the bureau).
pub fn is_office(authed: &Authed) -> bool {
    can(&authed.principal.actor(), &Action::RegisterContracts).is_ok()
}

/// Where the navigation's 技术合同登记 leads, for those who use these pages.
pub fn home_of(authed: &Authed) -> Option<&'static str> {
    if is_office(authed) {
        Some("/contracts/queue")
    } else if may_submit(authed) {
        Some("/contracts/submissions")
    } else {
        None
    }
}

/// The tabs of the contract pages.
pub struct Tab {
    pub href: String,
    pub key: &'static str,
    pub current: bool,
}

fn tabs(authed: &Authed, path: &str) -> Vec<Tab> {
    let mut v = Vec::new();
    let mut add = |href: &str, key: &'static str| {
        v.push(Tab {
            href: href.to_string(),
            key,
            current: path == href,
        })
    };
    if is_office(authed) {
        add("/contracts/queue", "contracts_queue");
        add("/contracts/submissions", "contracts_all_submissions");
        add("/contracts/submissions/new", "contracts_new");
        add("/contracts/register", "contract_register");
        add("/contracts/import", "contracts_import");
    } else {
        add("/contracts/submissions", "contracts_my_submissions");
        add("/contracts/submissions/new", "contracts_new");
    }
    // The statistics of this year's registrations, market deals and submissions alike.
    add(
        &format!(
            "/statistics?year={}#contracts",
            fruition_app::clock::this_year()
        ),
        "contract_statistics",
    );
    v
}

const DONE: &[&str] = &[
    "contracts_done_submitted",
    "contracts_done_resubmitted",
    "contracts_done_recognised",
    "contracts_done_returned",
    "contracts_done_refused",
    "contracts_done_reminded",
];

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

fn status_label(s: SubmissionStatus, lang: Lang) -> &'static str {
    s.label(lang)
}

// ---------------------------------------------------------------------------------------------
// The form (new, and resubmission on a returned submission's page)

/// The form's choices and what to show in it.
struct FormParts {
    types: Vec<Opt>,
    fields: Vec<Opt>,
    chains: Vec<Opt>,
}

fn form_parts(
    lookups: &Lookups,
    lang: Lang,
    typed: &Typed,
    path: &str,
    fallback: &Prefill,
) -> FormParts {
    let chosen_type = typed.or(path, "contract_type", &fallback.contract_type);
    let chosen_field = typed.or(path, "tech_field", &fallback.tech_field);
    let chosen_chain = typed.or(path, "chain_code", &fallback.chain_code);
    FormParts {
        types: ContractType::ALL
            .iter()
            .map(|t| Opt::new(t.code(), t.label(lang), t.code() == chosen_type))
            .collect(),
        fields: tech_field_opts(lang, &chosen_field),
        chains: chain_opts(lookups, lang, &[chosen_chain]),
    }
}

/// What a fresh form shows: the user's own organisation on one side, or a returned
/// submission's content.
#[derive(Default, Clone)]
struct Prefill {
    contract_type: String,
    title: String,
    seller_name: String,
    seller_uscc: String,
    buyer_name: String,
    buyer_uscc: String,
    contract_amount: String,
    tech_amount: String,
    tech_field: String,
    chain_code: String,
    signed_on: String,
    starts_on: String,
    ends_on: String,
}

impl Prefill {
    fn of(s: &ContractSubmissionView) -> Prefill {
        let yuan = |fen: i64| money::yuan(fen).replace(',', "");
        Prefill {
            contract_type: s.contract_type.code().into(),
            title: s.title.clone(),
            seller_name: s.seller_name.clone(),
            seller_uscc: s.seller_uscc.clone(),
            buyer_name: s.buyer_name.clone(),
            buyer_uscc: s.buyer_uscc.clone(),
            contract_amount: yuan(s.contract_amount_fen),
            tech_amount: yuan(s.tech_amount_fen),
            tech_field: s.field.clone().unwrap_or_default(),
            chain_code: s.chain.clone().unwrap_or_default(),
            signed_on: s.signed_on.clone(),
            starts_on: s.starts_on.clone(),
            ends_on: s.ends_on.clone(),
        }
    }

    fn get(&self, name: &str) -> &str {
        match name {
            "contract_type" => &self.contract_type,
            "title" => &self.title,
            "seller_name" => &self.seller_name,
            "seller_uscc" => &self.seller_uscc,
            "buyer_name" => &self.buyer_name,
            "buyer_uscc" => &self.buyer_uscc,
            "contract_amount" => &self.contract_amount,
            "tech_amount" => &self.tech_amount,
            "tech_field" => &self.tech_field,
            "chain_code" => &self.chain_code,
            "signed_on" => &self.signed_on,
            "starts_on" => &self.starts_on,
            "ends_on" => &self.ends_on,
            _ => "",
        }
    }
}

#[derive(Template)]
#[template(path = "contract_new.html")]
struct NewPage {
    c: Chrome,
    tabs: Vec<Tab>,
    action: String,
    typed: Typed,
    prefill: Prefill,
    parts: FormParts,
    /// Which side the user's organisation is prefilled on (a party, not the office).
    own_side: Option<&'static str>,
}

impl NewPage {
    fn v(&self, name: &str) -> String {
        self.typed.or(&self.action, name, self.prefill.get(name))
    }
}

#[derive(Deserialize)]
struct SideQuery {
    side: Option<String>,
}

async fn own_prefill(state: &AppState, authed: &Authed, side: &str) -> Prefill {
    let mut p = Prefill::default();
    if is_office(authed) {
        return p;
    }
    let org = fruition_store::organisations::get(&state.db, authed.principal.user.org_id)
        .await
        .ok()
        .flatten();
    let (name, uscc) = match org {
        Some(o) => (o.name, o.uscc.unwrap_or_default()),
        None => (authed.principal.org_name.clone(), String::new()),
    };
    if side == "buyer" {
        p.buyer_name = name;
        p.buyer_uscc = uscc;
    } else {
        p.seller_name = name;
        p.seller_uscc = uscc;
    }
    p
}

async fn new_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    side: &str,
    typed: Typed,
    err: Option<&AppError>,
) -> Response {
    if !may_submit(authed) {
        return error_page(state, headers, Some(authed), &AppError::Forbidden("role"));
    }
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e.into()),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        "/contracts/submissions/new",
        "contracts_new",
    );
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let action = "/contracts/submissions".to_string();
    let prefill = own_prefill(state, authed, side).await;
    let parts = form_parts(&lookups, c.lang, &typed, &action, &prefill);
    let page = NewPage {
        tabs: tabs(authed, "/contracts/submissions/new"),
        own_side: (!is_office(authed)).then_some(if side == "buyer" { "buyer" } else { "seller" }),
        action,
        typed,
        prefill,
        parts,
        c,
    };
    render_status(err.map_or(StatusCode::OK, |e| e.status()), &page)
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    PageQuery(q): PageQuery<SideQuery>,
) -> Response {
    let side = q.side.unwrap_or_default();
    new_page(&state, &headers, &authed, &side, Typed::default(), None).await
}

/// A multipart form: its text fields and its file (`file`), the file bounded by the route.
struct Posted {
    fields: Vec<(String, String)>,
    file_name: String,
    bytes: Vec<u8>,
}

fn file_too_large() -> AppError {
    let e = fruition_domain::contract::check_file(FILE_MAX_BYTES + 1, b"").unwrap_err();
    AppError::file_too_large("file", e.zh, e.en)
}

async fn read_multipart(mut m: Multipart) -> Result<Posted, AppError> {
    let mut p = Posted {
        fields: Vec::new(),
        file_name: String::new(),
        bytes: Vec::new(),
    };
    let unreadable = || AppError::BadRequest {
        code: "unreadable_body",
        zh: "无法读取上传的内容。".into(),
        en: "The upload could not be read.".into(),
    };
    loop {
        let field = match m.next_field().await {
            Ok(Some(f)) => f,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(file_too_large()),
            Err(_) => return Err(unreadable()),
        };
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            p.file_name = field.file_name().unwrap_or("").to_string();
            p.bytes = match field.bytes().await {
                Ok(b) => b.to_vec(),
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Err(file_too_large());
                }
                Err(_) => return Err(unreadable()),
            };
            if p.bytes.len() > FILE_MAX_BYTES {
                return Err(file_too_large());
            }
        } else if p.fields.len() < 64 {
            let text = field.text().await.map_err(|_| unreadable())?;
            p.fields.push((name, text.chars().take(2_000).collect()));
        }
    }
    Ok(p)
}

/// The action's input from the form, with the page's own problems (amounts that are not 元).
fn input_of(f: &Fields) -> (ContractSubmissionInput, Vec<Problem>) {
    let mut local = Vec::new();
    let mut amount = |name: &'static str| {
        let raw = f.get(name);
        if raw.trim().is_empty() {
            return None;
        }
        match money::parse_yuan_up_to(name, &raw, MAX_CAPITAL_FEN) {
            Ok(v) => Some(v),
            Err(e) => {
                local.push(problem(name, &e.zh, &e.en));
                None
            }
        }
    };
    let contract_amount_fen = amount("contract_amount");
    let tech_amount_fen = amount("tech_amount");
    (
        ContractSubmissionInput {
            contract_type: f.get("contract_type"),
            title: f.get("title"),
            seller_name: f.get("seller_name"),
            seller_uscc: f.get("seller_uscc"),
            buyer_name: f.get("buyer_name"),
            buyer_uscc: f.get("buyer_uscc"),
            contract_amount_fen,
            tech_amount_fen,
            tech_field: f.get("tech_field"),
            chain_code: f.get("chain_code"),
            signed_on: f.get("signed_on"),
            starts_on: f.get("starts_on"),
            ends_on: f.get("ends_on"),
            file_name: String::new(),
            file_base64: None,
        },
        local,
    )
}

/// The action's field names as the form's (amounts are typed in 元).
fn on_form(err: AppError, local: Vec<Problem>) -> AppError {
    let err = super::credit::renamed(
        err,
        &[
            ("contract_amount_fen", "contract_amount"),
            ("tech_amount_fen", "tech_amount"),
            ("file_base64", "file"),
        ],
    );
    super::forms::merged(local, err)
}

fn is_form_error(e: &AppError) -> bool {
    super::forms::is_form_error(e)
}

async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    multipart: Multipart,
) -> Response {
    let posted = match read_multipart(multipart).await {
        Ok(p) => p,
        Err(e) => {
            return new_page(&state, &headers, &authed, "", Typed::default(), Some(&e)).await;
        }
    };
    let fields = Fields(posted.fields);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let (input, local) = input_of(&fields);
    let file = if posted.bytes.is_empty() {
        Ok(None)
    } else {
        contracts::file_of(&posted.file_name, posted.bytes).map(Some)
    };
    let c = ctx(&authed, ip);
    match contracts::submit(&state, &c, &input, file).await {
        Ok(v) if local.is_empty() => Redirect::to(&format!(
            "/contracts/submissions/{}?done=contracts_done_submitted",
            v.id
        ))
        .into_response(),
        Ok(v) => Redirect::to(&format!("/contracts/submissions/{}", v.id)).into_response(),
        Err(e) => {
            let e = on_form(e, local);
            if is_form_error(&e) {
                let side = fields.get("side");
                let typed = Typed::new("/contracts/submissions", fields.0);
                new_page(&state, &headers, &authed, &side, typed, Some(&e)).await
            } else {
                error_page(&state, &headers, Some(&authed), &e)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Lists

#[derive(Template)]
#[template(path = "contract_submissions.html")]
struct ListPage {
    c: Chrome,
    tabs: Vec<Tab>,
    heading_key: &'static str,
    intro_key: &'static str,
    rows: Vec<ContractSubmissionView>,
    statuses: Vec<Opt>,
    /// The office's queue: the age of each submission is shown.
    queue: bool,
    office: bool,
    now_ms: i64,
}

impl ListPage {
    fn status_label(&self, s: &SubmissionStatus) -> &'static str {
        status_label(*s, self.c.lang)
    }

    fn type_label(&self, t: &ContractType) -> &'static str {
        t.label(self.c.lang)
    }

    fn yuan(&self, fen: &i64) -> String {
        money::yuan(*fen)
    }

    /// How long a submission has waited, in whole days (less than one: a word for it).
    fn age(&self, s: &ContractSubmissionView) -> String {
        let days = (self.now_ms - s.submitted_ms).max(0) / 86_400_000;
        if days == 0 {
            self.c.t("contracts_age_today").to_string()
        } else {
            format!("{days} {}", self.c.t("contracts_days"))
        }
    }
}

#[derive(Deserialize)]
struct StatusQuery {
    status: Option<String>,
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<StatusQuery>,
) -> Response {
    let office = is_office(&authed);
    let status = q.status.as_deref().and_then(SubmissionStatus::parse);
    let c = ctx(&authed, ip);
    let rows = match contracts::list(&state, &c, status).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/contracts/submissions",
        if office {
            "contracts_all_submissions"
        } else {
            "contracts_my_submissions"
        },
    )
    .with_done(q.done.as_deref(), DONE);
    let lang = chrome.lang;
    render(&ListPage {
        tabs: tabs(&authed, "/contracts/submissions"),
        heading_key: if office {
            "contracts_all_submissions"
        } else {
            "contracts_my_submissions"
        },
        intro_key: if office {
            "contracts_all_intro"
        } else {
            "contracts_my_intro"
        },
        rows,
        statuses: SubmissionStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), Some(*s) == status))
            .collect(),
        queue: false,
        office,
        now_ms: fruition_store::clock::now_ms(),
        c: chrome,
    })
}

async fn queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    if !is_office(&authed) {
        return error_page(
            &state,
            &headers,
            Some(&authed),
            &AppError::Forbidden("role"),
        );
    }
    let c = ctx(&authed, ip);
    let rows = match contracts::list(&state, &c, Some(SubmissionStatus::Submitted)).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/contracts/queue",
        "contracts_queue",
    )
    .with_done(q.done.as_deref(), DONE);
    render(&ListPage {
        tabs: tabs(&authed, "/contracts/queue"),
        heading_key: "contracts_queue",
        intro_key: "contracts_queue_intro",
        rows,
        statuses: Vec::new(),
        queue: true,
        office: true,
        now_ms: fruition_store::clock::now_ms(),
        c: chrome,
    })
}

// ---------------------------------------------------------------------------------------------
// One submission

#[derive(Template)]
#[template(path = "contract_submission.html")]
struct DetailPage {
    c: Chrome,
    tabs: Vec<Tab>,
    s: ContractSubmissionView,
    /// The resubmission form (when returned and the user may resubmit).
    action: String,
    typed: Typed,
    prefill: Prefill,
    parts: FormParts,
    own_side: Option<&'static str>,
    decisions: Vec<Opt>,
    /// The reminder the user may send now: the submitter reminds the office of a waiting
    /// contract (催办), the office the submitter of a returned one (the button's words).
    remind: Option<&'static str>,
}

impl DetailPage {
    fn v(&self, name: &str) -> String {
        self.typed.or(&self.action, name, self.prefill.get(name))
    }

    fn d(&self, name: &str) -> String {
        self.typed.v(
            &format!("/contracts/submissions/{}/decision", self.s.id),
            name,
        )
    }

    fn yuan(&self, fen: &i64) -> String {
        money::yuan(*fen)
    }

    fn type_label(&self, t: &ContractType) -> &'static str {
        t.label(self.c.lang)
    }

    fn place(&self, inside: &bool) -> &'static str {
        if *inside {
            self.c.t("contracts_in_city")
        } else {
            self.c.t("contracts_outside_city")
        }
    }

    fn when(&self, rfc: &Option<String>) -> String {
        rfc.as_deref().map(super::pilot::local).unwrap_or_default()
    }
}

/// Who asks for a submission's page.
struct Who<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
}

async fn show(
    who: Who<'_>,
    id: i64,
    typed: Typed,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let Who {
        state,
        headers,
        authed,
        ip,
    } = who;
    let c = ctx(authed, ip);
    let s = match contracts::get(state, &c, id).await {
        Ok(s) => s,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e.into()),
    };
    let path = format!("/contracts/submissions/{id}");
    let mut chrome = Chrome::new(state, headers, Some(authed), &path, "contracts_submission")
        .with_done(done, DONE);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    chrome.title = format!("{} – {}", chrome.t("contracts_submission"), s.title);
    let lang = chrome.lang;
    let action = format!("/contracts/submissions/{id}/resubmit");
    let prefill = Prefill::of(&s);
    let parts = form_parts(&lookups, lang, &typed, &action, &prefill);
    let chosen = typed.v(&format!("{path}/decision"), "decision");
    let decisions = ["recognise", "return", "refuse"]
        .iter()
        .filter(|d| s.may(d))
        .map(|d| {
            let label =
                fruition_domain::contract::ReviewStep::parse(d).map_or("", |x| x.label(lang));
            Opt::new(*d, label, chosen == *d)
        })
        .collect();
    let actor = authed.principal.actor();
    let office = can(&actor, &Action::RegisterContracts).is_ok();
    let submitter = s.submitter_org_id == authed.principal.user.org_id
        && can(&actor, &Action::SubmitContract { party: true }).is_ok();
    let remind = match s.status {
        SubmissionStatus::Submitted if submitter && !office => Some("contracts_remind_office"),
        SubmissionStatus::Returned if office => Some("contracts_remind_party"),
        _ => None,
    };
    let page = DetailPage {
        remind,
        tabs: tabs(authed, &path),
        own_side: None,
        action,
        typed,
        prefill,
        parts,
        decisions,
        s,
        c: chrome,
    };
    render_status(err.map_or(StatusCode::OK, |e| e.status()), &page)
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show(
        Who {
            state: &state,
            headers: &headers,
            authed: &authed,
            ip,
        },
        id,
        Typed::default(),
        None,
        q.done.as_deref(),
    )
    .await
}

async fn resubmit(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    multipart: Multipart,
) -> Response {
    let posted = match read_multipart(multipart).await {
        Ok(p) => p,
        Err(e) => {
            return show(
                Who {
                    state: &state,
                    headers: &headers,
                    authed: &authed,
                    ip,
                },
                id,
                Typed::default(),
                Some(&e),
                None,
            )
            .await;
        }
    };
    let fields = Fields(posted.fields);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let (input, local) = input_of(&fields);
    let file = if posted.bytes.is_empty() {
        Ok(None)
    } else {
        contracts::file_of(&posted.file_name, posted.bytes).map(Some)
    };
    let c = ctx(&authed, ip.clone());
    let result = match file {
        Ok(f) if local.is_empty() => contracts::resubmit(&state, &c, id, &input, f).await,
        Ok(_) => Err(AppError::Invalid(Vec::new())),
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Redirect::to(&format!(
            "/contracts/submissions/{id}?done=contracts_done_resubmitted"
        ))
        .into_response(),
        Err(e) => {
            let e = on_form(e, local);
            if is_form_error(&e) {
                let typed = Typed::new(&format!("/contracts/submissions/{id}/resubmit"), fields.0);
                show(
                    Who {
                        state: &state,
                        headers: &headers,
                        authed: &authed,
                        ip,
                    },
                    id,
                    typed,
                    Some(&e),
                    None,
                )
                .await
            } else {
                error_page(&state, &headers, Some(&authed), &e)
            }
        }
    }
}

/// Sends the reminder the submission's page offers (the same once-a-day rule as the API).
async fn remind(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    if !Fields(pairs).token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip);
    match fruition_app::reminders::contract(&state, &c, id).await {
        Ok(_) => Redirect::to(&format!(
            "/contracts/submissions/{id}?done=contracts_done_reminded"
        ))
        .into_response(),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn decide(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let decision = fields.get("decision");
    let reason = fields.get("reason");
    let input = ContractDecisionInput {
        step: decision.clone(),
        reason: (!reason.trim().is_empty()).then_some(reason),
        registered_on: Some(fields.get("registered_on")),
    };
    let c = ctx(&authed, ip.clone());
    match contracts::decide(&state, &c, id, &input).await {
        Ok(_) => {
            let done = match decision.trim() {
                "recognise" => "contracts_done_recognised",
                "return" => "contracts_done_returned",
                _ => "contracts_done_refused",
            };
            Redirect::to(&format!("/contracts/submissions/{id}?done={done}")).into_response()
        }
        Err(e) if is_form_error(&e) => {
            let typed = Typed::new(&format!("/contracts/submissions/{id}/decision"), fields.0);
            show(
                Who {
                    state: &state,
                    headers: &headers,
                    authed: &authed,
                    ip,
                },
                id,
                typed,
                Some(&e),
                None,
            )
            .await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn file(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    match contracts::file(&state, &ctx(&authed, ip), id).await {
        Ok((name, mime, bytes)) if !bytes.is_empty() => {
            crate::download::file_response(StatusCode::OK, &name, mime, bytes)
        }
        Ok(_) => error_page(&state, &headers, Some(&authed), &AppError::NotFound),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// The register and its workbook

#[derive(Template)]
#[template(path = "contract_register.html")]
struct RegisterPage {
    c: Chrome,
    tabs: Vec<Tab>,
    contracts: Vec<ContractView>,
    years: Vec<Opt>,
    sources: Vec<Opt>,
    export_href: String,
    total_contract_fen: i64,
    total_tech_fen: i64,
}

impl RegisterPage {
    fn yuan(&self, fen: &i64) -> String {
        money::yuan(*fen)
    }

    fn type_label(&self, t: &ContractType) -> &'static str {
        t.label(self.c.lang)
    }

    fn source_label(&self, s: &ContractSource) -> &'static str {
        s.label(self.c.lang)
    }
}

#[derive(Deserialize, Default)]
struct RegisterQuery {
    year: Option<String>,
    source: Option<String>,
}

/// The register as one worksheet (the page's and the API's workbook).
pub fn register_sheet(rows: &[ContractView]) -> Sheet {
    let yuan = |fen: i64| Value::Float(fen as f64 / 100.0);
    let place = |county: &Option<String>, inside: bool| {
        county
            .clone()
            .map(Value::from)
            .unwrap_or_else(|| Value::from(if inside { "市内" } else { "市外" }))
    };
    sheet(
        "技术合同登记簿",
        rows,
        &[
            ("登记号", &|k: &ContractView| {
                Value::from(&k.registration_no)
            }),
            ("登记日期", &|k: &ContractView| {
                Value::from(&k.registered_on)
            }),
            ("年度", &|k: &ContractView| Value::from(k.year)),
            ("来源", &|k: &ContractView| Value::from(&k.source_label)),
            ("合同类型", &|k: &ContractView| {
                Value::from(&k.contract_type_label)
            }),
            ("卖方名称", &|k: &ContractView| {
                Value::from(&k.seller_name)
            }),
            ("卖方统一社会信用代码", &|k: &ContractView| {
                opt_text(&k.seller_uscc)
            }),
            ("卖方所在地", &|k: &ContractView| {
                place(&k.seller_county, k.seller_in_city)
            }),
            ("买方名称", &|k: &ContractView| {
                Value::from(&k.buyer_name)
            }),
            ("买方统一社会信用代码", &|k: &ContractView| {
                opt_text(&k.buyer_uscc)
            }),
            ("买方所在地", &|k: &ContractView| {
                place(&k.buyer_county, k.buyer_in_city)
            }),
            ("合同成交额（元）", &|k: &ContractView| {
                yuan(k.contract_amount_fen)
            }),
            ("技术交易额（元）", &|k: &ContractView| {
                yuan(k.tech_amount_fen)
            }),
            ("技术领域", &|k: &ContractView| opt_text(&k.field_name)),
            ("产业链", &|k: &ContractView| opt_text(&k.chain_name)),
            ("孵化载体", &|k: &ContractView| {
                opt_text(&k.carrier_name)
            }),
            ("起始日期", &|k: &ContractView| {
                Value::from(&k.starts_on)
            }),
            ("终止日期", &|k: &ContractView| Value::from(&k.ends_on)),
            ("履行结果", &|k: &ContractView| {
                k.outcome
                    .map_or(Value::Empty, |o| Value::from(o.label(Lang::ZhCn)))
            }),
        ],
    )
}

async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<RegisterQuery>,
) -> Response {
    let year = q.year.as_deref().and_then(|y| y.trim().parse::<i64>().ok());
    let source = q.source.as_deref().and_then(ContractSource::parse);
    let c = ctx(&authed, ip);
    let rows = match deals::contracts(&state, &c, year, source).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    if export.xlsx {
        let name = match year {
            Some(y) => format!("技术合同登记簿{y}"),
            None => "技术合同登记簿".to_string(),
        };
        return download(&name, &[register_sheet(&rows)]);
    }
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/contracts/register",
        "contract_register",
    );
    let lang = chrome.lang;
    let this = fruition_app::clock::this_year();
    render(&RegisterPage {
        tabs: tabs(&authed, "/contracts/register"),
        total_contract_fen: rows.iter().map(|k| k.contract_amount_fen).sum(),
        total_tech_fen: rows.iter().map(|k| k.tech_amount_fen).sum(),
        contracts: rows,
        years: (2015..=this)
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), Some(y) == year))
            .collect(),
        sources: ContractSource::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), Some(*s) == source))
            .collect(),
        export_href: export.href,
        c: chrome,
    })
}

// ---------------------------------------------------------------------------------------------
// Import of historical registrations

const SHOWN: usize = 1_000;

struct ColumnRow {
    name: String,
    required: bool,
    hint: &'static str,
}

#[derive(Template)]
#[template(path = "contract_import.html")]
struct ImportPage {
    c: Chrome,
    tabs: Vec<Tab>,
    columns: Vec<ColumnRow>,
    lines: Vec<Line>,
    total: usize,
    report_href: String,
    done: Option<ContractImportSummary>,
}

impl ImportPage {
    fn yuan(&self, fen: &i64) -> String {
        money::yuan(*fen)
    }

    fn years(&self, d: &ContractImportSummary) -> String {
        d.years
            .iter()
            .map(|y| y.to_string())
            .collect::<Vec<_>>()
            .join("、")
    }
}

fn import_page(c: Chrome, authed: &Authed) -> ImportPage {
    ImportPage {
        tabs: tabs(authed, "/contracts/import"),
        columns: contracts::columns()
            .iter()
            .map(|col| ColumnRow {
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

async fn import_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
) -> Response {
    if !is_office(&authed) {
        return error_page(
            &state,
            &headers,
            Some(&authed),
            &AppError::Forbidden("role"),
        );
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/contracts/import",
        "contracts_import",
    );
    render(&import_page(c, &authed))
}

async fn import_upload(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    multipart: Multipart,
) -> Response {
    if !is_office(&authed) {
        return error_page(
            &state,
            &headers,
            Some(&authed),
            &AppError::Forbidden("role"),
        );
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/contracts/import",
        "contracts_import",
    );
    let upload =
        match super::import::read_upload(multipart, fruition_app::import::file_over_limit).await {
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
        let e = AppError::Invalid(vec![problem(
            "file",
            "请选择要导入的文件",
            "Choose the file to import",
        )]);
        return render_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            &import_page(c.with_errors(&e), &authed),
        );
    }
    let cx = ctx(&authed, ip);
    match contracts::import(&state, &cx, upload.bytes, &upload.filename).await {
        Ok(summary) => {
            let mut p = import_page(c, &authed);
            p.done = Some(summary);
            render(&p)
        }
        Err(ImportError::Rows(rows)) => {
            let lang = c.lang;
            let mut p = import_page(c, &authed);
            p.total = rows.len();
            p.lines = rows.iter().take(SHOWN).map(|e| line(e, lang)).collect();
            p.report_href = match fruition_app::import::error_report(&rows) {
                Ok(bytes) => format!("data:{};base64,{}", super::export::XLSX, base64(&bytes)),
                Err(_) => String::new(),
            };
            render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
        }
        Err(ImportError::Refused(e)) => match e {
            AppError::Invalid(_) | AppError::TooLarge { .. } | AppError::Conflict { .. } => {
                let status = e.status();
                render_status(status, &import_page(c.with_errors(&e), &authed))
            }
            other => error_page(&state, &headers, Some(&authed), &other),
        },
    }
}
