//! One-stop services (一站式服务) as every role sees them: the catalogue with its filters; a
//! service's page with the "申请服务" form; a provider's own services ("我的服务") with the forms
//! to offer, change and switch off; the request lists (an enterprise's own, a provider's queue
//! with overdue flags, the bureau's every request) and their workbook; a request's page with its
//! steps and the forms for each step the caller may take; the providers' figures. Every rule is
//! the actions' (`fruition_app::services`).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use fruition_app::reference::Lookups;
use fruition_app::services::{
    self as actions, ServiceDetail, ServiceInput, ServiceProviderStatsView, ServiceQuery,
    ServiceRequestDetail, ServiceRequestInput, ServiceRequestQuery, ServiceRequestStepInput,
    ServiceRequestView, ServiceStatsQuery, ServiceView,
};
use fruition_domain::attachment;
use fruition_domain::authz::{Action, can};
use fruition_domain::org::OrgKind;
use fruition_domain::service::{
    ServiceAudience, ServiceCategory, ServiceRequestStatus, ServiceRequestStep,
};
use fruition_sheets::Value;
use serde::Deserialize;

use super::credit::renamed;
use super::export::{self, Export};
use super::forms::{Opt, PageForm, chain_opts, ctx, whole_number};
use super::pilot::{Done, local, scoped};
use super::{
    Chrome, PageId, PageIds, error_page, form_token_ok, render_status, stale_form, url_encode,
};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError, Problem};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/services", get(catalogue).post(create))
        .route("/services/new", get(new_form))
        .route("/services/mine", get(mine))
        .route("/services/requests", get(requests).post(ask))
        .route("/services/requests/export.xlsx", get(requests))
        .route("/services/requests/{id}", get(request_page))
        .route("/services/requests/{id}/actions", post(request_step))
        .route(
            "/services/requests/{id}/steps/{position}/files",
            post(attach).layer(DefaultBodyLimit::max(attachment::MAX_BYTES + 64 * 1024)),
        )
        .route("/services/requests/{id}/files/{file_id}", get(download))
        .route("/services/statistics", get(statistics))
        .route("/services/{id}", get(service_page).post(update))
        .route("/services/{id}/edit", get(edit_form))
        .route("/services/{id}/active", post(set_active))
}

/// Notices the redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "service_created",
    "service_saved",
    "service_deactivated",
    "service_activated",
    "service_requested",
    "service_request_accepted",
    "service_request_declined",
    "service_request_recorded",
    "service_request_completed",
    "service_request_withdrawn",
    "service_request_rated",
    "service_file_added",
];

fn with_notice(mut c: Chrome, done: Option<&str>) -> Chrome {
    if let Some(key) = done.filter(|k| NOTICES.contains(k)) {
        c.notice = Some(c.t(key));
    }
    c
}

/// The services' own links: what the user may reach.
pub struct Nav {
    /// The user's organisation can have service requests.
    requests: bool,
    /// The user's organisation offers services.
    pub offers: bool,
    /// The user sees providers' figures (the bureau, a provider).
    pub stats: bool,
    /// Which link is current: `catalogue`, `mine`, `requests`, `statistics`.
    pub current: &'static str,
}

fn nav(authed: &Authed, current: &'static str) -> Nav {
    let offers = can(&authed.principal.actor(), &Action::OfferService).is_ok();
    let bureau = can(
        &authed.principal.actor(),
        &Action::ViewServiceStatistics {
            provider_org_id: -1,
        },
    )
    .is_ok();
    // Requests are an enterprise's, a provider's or the bureau's; a bank, a guarantor, an
    // investor or a university would only ever see an empty list.
    let requests = matches!(
        authed.principal.org_kind,
        OrgKind::Enterprise | OrgKind::CarrierOperator | OrgKind::ServiceAgency | OrgKind::Bureau
    );
    Nav {
        offers,
        stats: offers || bureau,
        requests,
        current,
    }
}

fn categories(lang: fruition_domain::lang::Lang, selected: &str) -> Vec<Opt> {
    ServiceCategory::ALL
        .iter()
        .map(|k| Opt::new(k.code(), k.label(lang), k.code() == selected))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The catalogue

#[derive(Deserialize, Default)]
struct CatalogueQuery {
    category: Option<String>,
    provider_org_id: Option<String>,
    free: Option<String>,
    voucher: Option<String>,
    q: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "service_catalogue.html")]
struct CataloguePage {
    c: Chrome,
    nav: Nav,
    services: Vec<ServiceView>,
    categories: Vec<Opt>,
    q: String,
    free: bool,
    voucher: bool,
    provider: Option<(i64, String)>,
}

impl CataloguePage {
    fn cat(&self, k: &ServiceCategory) -> &'static str {
        k.label(self.c.lang)
    }
}

async fn catalogue(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<CatalogueQuery>,
) -> Response {
    let cx = ctx(&authed, ip);
    let category = q
        .category
        .as_deref()
        .map(str::trim)
        .filter(|s| ServiceCategory::parse(s).is_some())
        .unwrap_or("")
        .to_string();
    let provider = q
        .provider_org_id
        .as_deref()
        .and_then(|s| s.trim().parse::<i64>().ok());
    let free = q.free.as_deref() == Some("true");
    let voucher = q.voucher.as_deref() == Some("true");
    let text = q.q.clone().unwrap_or_default();
    let query = ServiceQuery {
        category: Some(category.clone()).filter(|s| !s.is_empty()),
        provider_org_id: provider,
        free: Some(free),
        voucher: Some(voucher),
        q: Some(text.clone()),
        limit: Some(500),
        ..ServiceQuery::default()
    };
    let services = match actions::list_services(&state, &cx, &query).await {
        Ok(s) => s,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/services",
        "services_title",
    );
    let c = with_notice(c, q.done.as_deref());
    let lang = c.lang;
    let page = CataloguePage {
        nav: nav(&authed, "catalogue"),
        categories: categories(lang, &category),
        provider: provider.and_then(|p| {
            services
                .iter()
                .find(|s| s.provider_org_id == p)
                .map(|s| (p, s.provider_name.clone()))
        }),
        services,
        q: text,
        free,
        voucher,
        c,
    };
    render_status(StatusCode::OK, &page)
}

// ---------------------------------------------------------------------------------------------
// A service, and asking for it

#[derive(Template)]
#[template(path = "service.html")]
struct ServicePage {
    c: Chrome,
    d: ServiceDetail,
    need: String,
}

impl ServicePage {
    fn cat(&self, k: &ServiceCategory) -> &'static str {
        k.label(self.c.lang)
    }
    fn aud(&self, a: &ServiceAudience) -> &'static str {
        a.label(self.c.lang)
    }
}

async fn show_service(
    form_state: (&AppState, &HeaderMap, &Authed, String),
    id: i64,
    need: String,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, ip) = form_state;
    let cx = ctx(authed, ip);
    let d = match actions::get_service(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/services/{id}"),
        "service_title",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} – {}", d.service.title, d.service.provider_name);
    let page = ServicePage { d, need, c };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn service_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show_service(
        (&state, &headers, &authed, ip),
        id,
        String::new(),
        None,
        q.done.as_deref(),
    )
    .await
}

/// The enterprise asks: for a service (`service_id`), or its carrier generally (`to_my_carrier`).
async fn ask(form: PageForm) -> Response {
    let service_id = form.get("service_id").trim().parse::<i64>().ok();
    let general = form.get("to_my_carrier") == "true";
    let need = form.get("need");
    let input = ServiceRequestInput {
        service_id,
        to_my_carrier: general,
        category: Some(form.get("category")).filter(|c| !c.trim().is_empty()),
        need: need.clone(),
    };
    let result = actions::create_request(&form.state, &form.ctx(), &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |d| format!("/services/requests/{}?done=service_requested", d.request.id),
        |e| async move {
            match service_id {
                Some(id) => {
                    show_service(
                        (&page.state, &page.headers, &page.authed, page.ip.clone()),
                        id,
                        need,
                        Some(&e),
                        None,
                    )
                    .await
                }
                None => {
                    let r = ListReq {
                        state: &page.state,
                        headers: &page.headers,
                        authed: &page.authed,
                        ip: page.ip.clone(),
                        export: Export {
                            xlsx: false,
                            href: "/services/requests/export.xlsx".into(),
                        },
                        q: RequestsQuery::default(),
                    };
                    requests_page(r, need, Some(&e)).await
                }
            }
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A provider's own services, and the form to offer or change one

#[derive(Template)]
#[template(path = "service_mine.html")]
struct MinePage {
    c: Chrome,
    nav: Nav,
    services: Vec<ServiceView>,
}

impl MinePage {
    fn cat(&self, k: &ServiceCategory) -> &'static str {
        k.label(self.c.lang)
    }
}

async fn mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let cx = ctx(&authed, ip);
    let query = ServiceQuery {
        mine: Some(true),
        limit: Some(1000),
        ..ServiceQuery::default()
    };
    let services = match actions::list_services(&state, &cx, &query).await {
        Ok(s) => s,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/services/mine",
        "services_mine",
    );
    let page = MinePage {
        nav: nav(&authed, "mine"),
        services,
        c: with_notice(c, q.done.as_deref()),
    };
    render_status(StatusCode::OK, &page)
}

/// A service's form as typed.
#[derive(Debug, Clone, Default)]
struct ServiceForm {
    category: String,
    title: String,
    description: String,
    audience: String,
    chains: Vec<String>,
    materials: String,
    response_time: String,
    response_unit: String,
    steps: String,
    price: String,
    voucher_payable: bool,
}

impl ServiceForm {
    fn of(form: &PageForm) -> ServiceForm {
        ServiceForm {
            category: form.get("category"),
            title: form.get("title"),
            description: form.get("description"),
            audience: form.get("audience"),
            chains: form.fields.all("audience_chains"),
            materials: form.get("materials"),
            response_time: form.get("response_time"),
            response_unit: form.get("response_unit"),
            steps: form.get("steps"),
            price: form.get("price"),
            voucher_payable: form.get("voucher_payable") == "true",
        }
    }

    fn from_view(s: &ServiceView) -> ServiceForm {
        let (time, unit) = if s.response_hours % 24 == 0 {
            ((s.response_hours / 24).to_string(), "days")
        } else {
            (s.response_hours.to_string(), "hours")
        };
        ServiceForm {
            category: s.category.code().into(),
            title: s.title.clone(),
            description: s.description.clone(),
            audience: s.audience.code().into(),
            chains: s.audience_chains.clone(),
            materials: s.materials.join("\n"),
            response_time: time,
            response_unit: unit.into(),
            steps: s.steps.join("\n"),
            price: if s.price_fen == 0 {
                String::new()
            } else {
                fruition_domain::money::yuan(s.price_fen).replace(',', "")
            },
            voucher_payable: s.voucher_payable,
        }
    }

    /// The action's input, with the problems the page finds in what was typed.
    fn input(&self, local: &mut Vec<Problem>) -> ServiceInput {
        let lines = |s: &str| -> Vec<String> {
            s.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(str::to_string)
                .collect()
        };
        let price = self.price.trim();
        let price_fen = if price.is_empty() {
            0
        } else {
            match fruition_domain::money::parse_yuan("price", price) {
                Ok(fen) => fen,
                Err(e) => {
                    local.push(e.into());
                    0
                }
            }
        };
        ServiceInput {
            category: self.category.clone(),
            title: self.title.clone(),
            description: self.description.clone(),
            audience: Some(self.audience.clone()),
            audience_chains: self.chains.clone(),
            materials: lines(&self.materials),
            response_time: whole_number(local, "response_time", &self.response_time).unwrap_or(0),
            response_unit: Some(self.response_unit.clone()),
            steps: lines(&self.steps),
            price_fen,
            voucher_payable: self.voucher_payable,
        }
    }
}

/// The service's fields as the action names them, and as the form does.
const SERVICE_FIELDS: &[(&str, &str)] = &[("price_fen", "price")];

#[derive(Template)]
#[template(path = "service_form.html")]
struct FormPage {
    c: Chrome,
    /// The service changed, or none for a new one.
    id: Option<i64>,
    f: ServiceForm,
    categories: Vec<Opt>,
    audiences: Vec<Opt>,
    chains: Vec<Opt>,
    units: Vec<Opt>,
}

async fn form_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    id: Option<i64>,
    f: ServiceForm,
    err: Option<&AppError>,
) -> Response {
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &AppError::from(e)),
    };
    let path = match id {
        Some(id) => format!("/services/{id}/edit"),
        None => "/services/new".into(),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &path,
        if id.is_some() {
            "service_edit"
        } else {
            "service_new"
        },
    );
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let carrier = authed.principal.org_kind == OrgKind::CarrierOperator;
    let page = FormPage {
        id,
        categories: categories(lang, &f.category),
        audiences: ServiceAudience::ALL
            .iter()
            .filter(|a| carrier || **a != ServiceAudience::Incubatees)
            .map(|a| Opt::new(a.code(), a.label(lang), a.code() == f.audience))
            .collect(),
        chains: chain_opts(&lookups, lang, &f.chains),
        units: [("hours", "unit_hours"), ("days", "unit_days")]
            .iter()
            .map(|(code, key)| Opt::new(*code, c.t(key), *code == f.response_unit))
            .collect(),
        f,
        c,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
) -> Response {
    if let Err(e) = can(&authed.principal.actor(), &Action::OfferService) {
        return error_page(&state, &headers, Some(&authed), &AppError::denied(e));
    }
    let f = ServiceForm {
        audience: "anyone".into(),
        response_unit: "days".into(),
        response_time: "2".into(),
        ..ServiceForm::default()
    };
    form_page(&state, &headers, &authed, None, f, None).await
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let cx = ctx(&authed, ip);
    let d = match actions::get_service(&state, &cx, id).await {
        Ok(d) if d.can_edit => d,
        Ok(_) => {
            return error_page(
                &state,
                &headers,
                Some(&authed),
                &AppError::Forbidden("forbidden"),
            );
        }
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let f = ServiceForm::from_view(&d.service);
    form_page(&state, &headers, &authed, Some(id), f, None).await
}

async fn create(form: PageForm) -> Response {
    let typed = ServiceForm::of(&form);
    let mut local = Vec::new();
    let input = typed.input(&mut local);
    let result = actions::create_service(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| renamed(e, SERVICE_FIELDS));
    let page = &form;
    form.finish(
        result,
        local,
        |d| format!("/services/{}?done=service_created", d.service.id),
        |e| async move {
            form_page(
                &page.state,
                &page.headers,
                &page.authed,
                None,
                typed,
                Some(&e),
            )
            .await
        },
    )
    .await
}

async fn update(PageId(id): PageId, form: PageForm) -> Response {
    let typed = ServiceForm::of(&form);
    let mut local = Vec::new();
    let input = typed.input(&mut local);
    let result = actions::update_service(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| renamed(e, SERVICE_FIELDS));
    let page = &form;
    form.finish(
        result,
        local,
        |d| format!("/services/{}?done=service_saved", d.service.id),
        |e| async move {
            form_page(
                &page.state,
                &page.headers,
                &page.authed,
                Some(id),
                typed,
                Some(&e),
            )
            .await
        },
    )
    .await
}

async fn set_active(PageId(id): PageId, form: PageForm) -> Response {
    let active = form.get("active") == "true";
    let result = actions::set_service_active(&form.state, &form.ctx(), id, active).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |d| {
            format!(
                "/services/{}?done={}",
                d.service.id,
                if active {
                    "service_activated"
                } else {
                    "service_deactivated"
                }
            )
        },
        |e| async move {
            show_service(
                (&page.state, &page.headers, &page.authed, page.ip.clone()),
                id,
                String::new(),
                Some(&e),
                None,
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The request lists

/// Requests on one page of a list.
const PAGE: i64 = 100;
/// Requests read at a time for a workbook.
const BATCH: i64 = 5000;

#[derive(Deserialize, Default)]
struct RequestsQuery {
    role: Option<String>,
    status: Option<String>,
    overdue: Option<String>,
    offset: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "service_requests.html")]
struct RequestsPage {
    c: Chrome,
    nav: Nav,
    requests: Vec<ServiceRequestView>,
    role: String,
    roles: Vec<(String, &'static str, bool)>,
    statuses: Vec<Opt>,
    overdue: bool,
    /// An enterprise may ask its carrier generally.
    can_ask_carrier: bool,
    categories: Vec<Opt>,
    need: String,
    export_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
}

impl RequestsPage {
    fn status(&self, s: &ServiceRequestStatus) -> &'static str {
        s.label(self.c.lang)
    }
}

struct ListReq<'a> {
    state: &'a AppState,
    headers: &'a HeaderMap,
    authed: &'a Authed,
    ip: String,
    export: Export,
    q: RequestsQuery,
}

/// The role a list shows by default: an enterprise its own requests, a provider its queue, the
/// bureau everything.
fn default_role(authed: &Authed) -> &'static str {
    let p = &authed.principal;
    if can(
        &p.actor(),
        &Action::ViewServiceStatistics {
            provider_org_id: -1,
        },
    )
    .is_ok()
    {
        ""
    } else if p.org_kind == OrgKind::Enterprise {
        "mine"
    } else {
        "incoming"
    }
}

fn requests_href(role: &str, status: &str, overdue: bool, offset: i64) -> String {
    let mut parts = vec![format!(
        "role={}",
        url_encode(if role.is_empty() { "all" } else { role })
    )];
    if !status.is_empty() {
        parts.push(format!("status={}", url_encode(status)));
    }
    if overdue {
        parts.push("overdue=true".into());
    }
    if offset > 0 {
        parts.push(format!("offset={offset}"));
    }
    format!("/services/requests?{}", parts.join("&"))
}

async fn requests_page(r: ListReq<'_>, need: String, err: Option<&AppError>) -> Response {
    let (state, headers, authed) = (r.state, r.headers, r.authed);
    let cx = ctx(authed, r.ip.clone());
    let role = match r.q.role.as_deref().map(str::trim) {
        Some("mine") => "mine",
        Some("incoming") => "incoming",
        Some("all") => "",
        _ => default_role(authed),
    };
    let status =
        r.q.status
            .as_deref()
            .map(str::trim)
            .filter(|s| ServiceRequestStatus::parse(s).is_some())
            .unwrap_or("")
            .to_string();
    let overdue = r.q.overdue.as_deref() == Some("true");
    let query = |limit: i64, offset: i64| ServiceRequestQuery {
        role: Some(role.to_string()).filter(|s| !s.is_empty()),
        status: Some(status.clone()).filter(|s| !s.is_empty()),
        overdue: Some(overdue),
        limit: Some(limit),
        offset: Some(offset),
        ..ServiceRequestQuery::default()
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        "/services/requests",
        "service_requests_title",
    );
    if r.export.xlsx {
        let mut rows = Vec::new();
        let mut offset = 0;
        loop {
            match actions::list_requests(state, &cx, &query(BATCH, offset)).await {
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
        return workbook(&c, &rows);
    }
    let offset =
        r.q.offset
            .as_deref()
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(0)
            .max(0);
    let rows = match actions::list_requests(state, &cx, &query(PAGE, offset)).await {
        Ok(rows) => rows,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    c = with_notice(c, r.q.done.as_deref());
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let p = &authed.principal;
    let bureau = default_role(authed).is_empty();
    let mut roles = Vec::new();
    if p.org_kind == OrgKind::Enterprise {
        roles.push((
            "mine".to_string(),
            c.t("service_requests_mine"),
            role == "mine",
        ));
    }
    if can(&p.actor(), &Action::OfferService).is_ok() {
        roles.push((
            "incoming".to_string(),
            c.t("service_requests_incoming"),
            role == "incoming",
        ));
    }
    if bureau {
        roles.push((
            "all".to_string(),
            c.t("service_requests_all"),
            role.is_empty(),
        ));
    }
    let page = RequestsPage {
        nav: nav(authed, "requests"),
        statuses: ServiceRequestStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), s.code() == status))
            .collect(),
        can_ask_carrier: p.org_kind == OrgKind::Enterprise
            && can(
                &p.actor(),
                &Action::RequestService {
                    provider_org_id: -1,
                },
            )
            .is_ok(),
        categories: categories(lang, ""),
        need,
        export_href: r.export.href.clone(),
        prev_href: (offset > 0)
            .then(|| requests_href(role, &status, overdue, (offset - PAGE).max(0))),
        next_href: (rows.len() as i64 == PAGE)
            .then(|| requests_href(role, &status, overdue, offset + PAGE)),
        requests: rows,
        role: if role.is_empty() { "all" } else { role }.to_string(),
        roles,
        overdue,
        c,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn requests(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<RequestsQuery>,
) -> Response {
    let r = ListReq {
        state: &state,
        headers: &headers,
        authed: &authed,
        ip,
        export,
        q,
    };
    requests_page(r, String::new(), None).await
}

/// The requests as a workbook: times in China time, the charge in 元.
fn workbook(c: &Chrome, rows: &[ServiceRequestView]) -> Response {
    let lang = c.lang;
    let time = |s: &Option<String>| s.as_deref().map_or(Value::Empty, |t| local(t).into());
    let sheet = export::sheet(
        c.t("service_requests_title"),
        rows,
        &[
            (c.t("service_request_number"), &|r: &ServiceRequestView| {
                r.id.into()
            }),
            (c.t("service_name"), &|r: &ServiceRequestView| {
                r.service_title.as_str().into()
            }),
            (c.t("service_category"), &|r: &ServiceRequestView| {
                r.category.label(lang).into()
            }),
            (c.t("service_requester"), &|r: &ServiceRequestView| {
                r.requester_name.as_str().into()
            }),
            (c.t("service_provider"), &|r: &ServiceRequestView| {
                r.provider_name.as_str().into()
            }),
            (c.t("status"), &|r: &ServiceRequestView| {
                r.status.label(lang).into()
            }),
            (c.t("service_requested_at"), &|r: &ServiceRequestView| {
                time(&Some(r.requested_at.clone()))
            }),
            (c.t("service_due_at"), &|r: &ServiceRequestView| {
                time(&Some(r.due_at.clone()))
            }),
            (c.t("service_answered_at"), &|r: &ServiceRequestView| {
                time(&r.answered_at)
            }),
            (c.t("service_completed_at"), &|r: &ServiceRequestView| {
                time(&r.completed_at)
            }),
            (c.t("service_overdue"), &|r: &ServiceRequestView| {
                if r.overdue { c.t("yes") } else { c.t("no") }.into()
            }),
            (c.t("service_charge_yuan"), &|r: &ServiceRequestView| {
                r.charge_fen
                    .map_or(Value::Empty, |f| Value::Float(f as f64 / 100.0))
            }),
            (c.t("service_rating"), &|r: &ServiceRequestView| {
                r.rating.map_or(Value::Empty, Value::from)
            }),
            (c.t("service_decline_reason"), &|r: &ServiceRequestView| {
                export::opt_text(&r.decline_reason)
            }),
        ],
    );
    export::download(c.t("service_requests_title"), &[sheet])
}

// ---------------------------------------------------------------------------------------------
// A request

/// The request page's forms as typed: `form` is the step posted.
#[derive(Debug, Clone, Default)]
struct StepForm {
    form: String,
    reason: String,
    position: String,
    note: String,
    charge: String,
    due_on: String,
    stars: String,
}

const STEP_FIELDS: &[&str] = &["reason", "position", "note", "charge", "due_on", "stars"];

#[derive(Template)]
#[template(path = "service_request.html")]
struct RequestPage {
    c: Chrome,
    d: ServiceRequestDetail,
    f: StepForm,
    positions: Vec<Opt>,
    stars: Vec<Opt>,
    requested_at: String,
    due_at: String,
    answered_at: String,
    completed_at: String,
    default_charge: String,
}

impl RequestPage {
    fn cat(&self, k: &ServiceCategory) -> &'static str {
        k.label(self.c.lang)
    }
    fn st(&self, s: &ServiceRequestStatus) -> &'static str {
        s.label(self.c.lang)
    }
    fn may(&self, step: &str) -> bool {
        self.d.actions.iter().any(|s| s.code() == step)
    }

    fn step_label(&self, code: &str) -> &'static str {
        ServiceRequestStep::parse(code).map_or("", |s| s.label(self.c.lang))
    }

    fn v(&self, form: &str, field: &str) -> String {
        if self.f.form != form {
            return if field == "charge" {
                self.default_charge.clone()
            } else {
                String::new()
            };
        }
        match field {
            "reason" => self.f.reason.clone(),
            "note" => self.f.note.clone(),
            "charge" => self.f.charge.clone(),
            "due_on" => self.f.due_on.clone(),
            _ => String::new(),
        }
    }

    fn when(&self, rfc: &Option<String>) -> String {
        rfc.as_deref().map(local).unwrap_or_default()
    }
}

/// The refusal of a file over the limit, naming the field.
fn file_too_large() -> AppError {
    let e = attachment::too_large("file");
    AppError::file_too_large("file", e.zh, e.en)
}

/// The provider uploads a file for a step from the request's page.
async fn attach(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, position): PageIds,
    multipart: Multipart,
) -> Response {
    let upload = match super::import::read_upload(multipart, file_too_large).await {
        Ok(u) => u,
        Err(e) => {
            let st = (&state, &headers, &authed, ip);
            return show_request(st, id, StepForm::default(), Some(&e), None).await;
        }
    };
    if !form_token_ok(&headers, Some(&authed), &upload.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let cx = ctx(&authed, ip.clone());
    match actions::attach(&state, &cx, id, position, &upload.filename, &upload.bytes).await {
        Ok(_) => Redirect::to(&format!("/services/requests/{id}?done=service_file_added"))
            .into_response(),
        Err(e @ (AppError::Invalid(_) | AppError::TooLarge { .. } | AppError::Conflict { .. })) => {
            let e = renamed(e, &[("position", "file")]);
            let st = (&state, &headers, &authed, ip);
            let f = StepForm {
                form: format!("file-{position}"),
                ..StepForm::default()
            };
            show_request(st, id, f, Some(&e), None).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// A file recorded with a request's step, downloaded from the request's page.
async fn download(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, file_id): PageIds,
) -> Response {
    match actions::step_file(&state, &ctx(&authed, ip), id, file_id).await {
        Ok((f, bytes)) => crate::download::file_response(
            StatusCode::OK,
            &f.name,
            f.kind.media_type(&f.name),
            bytes,
        ),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn show_request(
    form_state: (&AppState, &HeaderMap, &Authed, String),
    id: i64,
    f: StepForm,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, ip) = form_state;
    let cx = ctx(authed, ip);
    let d = match actions::get_request(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let default_charge = match d.request.service_id {
        Some(sid) => actions::get_service(state, &cx, sid)
            .await
            .ok()
            .map(|s| s.service.price_fen)
            .filter(|p| *p > 0)
            .map(|p| fruition_domain::money::yuan(p).replace(',', ""))
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/services/requests/{id}"),
        "service_request_title",
    );
    c = with_notice(c, done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!("{} – {}", d.request.service_title, d.request.requester_name);
    let page = RequestPage {
        positions: d
            .steps
            .iter()
            .filter(|s| s.done_at.is_none())
            .map(|s| {
                Opt::new(
                    s.position.to_string(),
                    format!("{}. {}", s.position, s.name),
                    f.form == "record" && f.position == s.position.to_string(),
                )
            })
            .collect(),
        stars: (1..=5)
            .rev()
            .map(|n| {
                Opt::new(
                    n.to_string(),
                    "★".repeat(n),
                    f.form == "rate" && f.stars == n.to_string(),
                )
            })
            .collect(),
        requested_at: local(&d.request.requested_at),
        due_at: local(&d.request.due_at),
        answered_at: d
            .request
            .answered_at
            .as_deref()
            .map(local)
            .unwrap_or_default(),
        completed_at: d
            .request
            .completed_at
            .as_deref()
            .map(local)
            .unwrap_or_default(),
        default_charge,
        f,
        d,
        c,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn request_page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show_request(
        (&state, &headers, &authed, ip),
        id,
        StepForm::default(),
        None,
        q.done.as_deref(),
    )
    .await
}

fn done_of(step: Option<ServiceRequestStep>) -> &'static str {
    match step {
        Some(ServiceRequestStep::Accept) => "service_request_accepted",
        Some(ServiceRequestStep::Decline) => "service_request_declined",
        Some(ServiceRequestStep::Record) => "service_request_recorded",
        Some(ServiceRequestStep::Complete) => "service_request_completed",
        Some(ServiceRequestStep::Withdraw) => "service_request_withdrawn",
        Some(ServiceRequestStep::Rate) | None => "service_request_rated",
    }
}

async fn request_step(PageId(id): PageId, form: PageForm) -> Response {
    let code = form.get("step").trim().to_string();
    let step = ServiceRequestStep::parse(&code);
    let typed = StepForm {
        form: code.clone(),
        reason: form.get("reason"),
        position: form.get("position"),
        note: form.get("note"),
        charge: form.get("charge"),
        due_on: form.get("due_on"),
        stars: form.get("stars"),
    };
    let mut local = Vec::new();
    let mut input = ServiceRequestStepInput {
        step: code.clone(),
        ..ServiceRequestStepInput::default()
    };
    match step {
        Some(ServiceRequestStep::Decline) => input.reason = Some(typed.reason.clone()),
        Some(ServiceRequestStep::Record) => {
            input.position = whole_number(&mut local, "position", &typed.position);
            input.note = Some(typed.note.clone());
        }
        Some(ServiceRequestStep::Complete) => {
            let raw = typed.charge.trim();
            input.charge_fen = Some(if raw.is_empty() {
                0
            } else {
                match fruition_domain::money::parse_yuan("charge", raw) {
                    Ok(fen) => fen,
                    Err(e) => {
                        local.push(e.into());
                        0
                    }
                }
            });
            input.due_on = Some(typed.due_on.clone());
        }
        Some(ServiceRequestStep::Rate) => {
            input.stars = whole_number(&mut local, "stars", &typed.stars);
            input.note = Some(typed.note.clone());
        }
        _ => {}
    }
    let result = actions::step(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| renamed(e, &[("charge_fen", "charge")]));
    let prefix = typed.form.clone();
    let page = &form;
    form.finish(
        result,
        local,
        |_| format!("/services/requests/{id}?done={}", done_of(step)),
        |e| async move {
            let e = scoped(e, &prefix, STEP_FIELDS);
            show_request(
                (&page.state, &page.headers, &page.authed, page.ip.clone()),
                id,
                typed,
                Some(&e),
                None,
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Providers' figures

#[derive(Template)]
#[template(path = "service_statistics.html")]
struct StatsPage {
    c: Chrome,
    nav: Nav,
    rows: Vec<ServiceProviderStatsView>,
}

#[derive(Deserialize, Default)]
struct StatsPageQuery {
    provider_org_id: Option<String>,
}

async fn statistics(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<StatsPageQuery>,
) -> Response {
    let cx = ctx(&authed, ip);
    let query = ServiceStatsQuery {
        provider_org_id: q
            .provider_org_id
            .as_deref()
            .and_then(|s| s.trim().parse().ok()),
    };
    let rows = match actions::statistics(&state, &cx, &query).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/services/statistics",
        "service_statistics_title",
    );
    let page = StatsPage {
        nav: nav(&authed, "statistics"),
        rows,
        c,
    };
    render_status(StatusCode::OK, &page)
}
