//! Startup mentors as carriers, enterprises and the bureau see them: the directory with its
//! filters (and, for a carrier manager, the form to register a mentor); a mentor's page with
//! the relationships the user may see, the form to pair the mentor with one of the carrier's
//! incubatees and to change the profile; the relationships list with each carrier's mentors and
//! hours in a year; a relationship's page with its sessions and the forms to record one and to
//! end it. Every rule is the actions' (`fruition_app::mentors`).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use serde::Deserialize;

use super::forms::{Opt, PageForm, chain_opts, ctx};
use super::pilot::scoped;
use super::{Chrome, PageId, error_page, render_status};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};
use fruition_app::mentors::{
    self as actions, CarrierMentoringView, MentorDetailView, MentorInput, MentorQuery, MentorView,
    MentoringSessionInput, MentorshipDetailView, MentorshipEndInput, MentorshipInput,
    MentorshipView,
};
use fruition_app::reference::Lookups;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/mentors", get(list).post(create))
        .route("/mentors/{id}", get(detail).post(update))
        .route("/mentors/{id}/mentorships", post(start))
        .route("/mentorships", get(relationships))
        .route("/mentorships/{id}", get(relationship))
        .route("/mentorships/{id}/sessions", post(add_session))
        .route("/mentorships/{id}/end", post(end))
}

/// Notices the redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "mentor_created",
    "mentor_updated",
    "mentorship_started",
    "mentoring_session_added",
    "mentorship_ended",
];

/// The page's notice for `done`, when it is one of [`NOTICES`].
fn with_notice(c: Chrome, done: Option<&str>) -> Chrome {
    c.with_done(done, NOTICES)
}

/// The tabs of the incubation services: mentors, their relationships, and the campaigns for
/// those who follow them.
pub fn sub_nav(c: &Chrome, authed: &Authed) -> Vec<(String, &'static str, bool)> {
    let mut sub = vec![
        (
            "/mentors".to_string(),
            c.t("mentors_title"),
            c.path.starts_with("/mentors"),
        ),
        (
            "/mentorships".to_string(),
            c.t("mentorships_title"),
            c.path.starts_with("/mentorships"),
        ),
    ];
    if can(&authed.principal.actor(), &Action::ViewCampaigns).is_ok() {
        sub.push((
            "/campaigns".to_string(),
            c.t("campaigns_title"),
            c.path.starts_with("/campaigns"),
        ));
    }
    sub
}

/// Whether the user keeps mentors for their own carrier operator (a carrier manager).
fn keeps_own(authed: &Authed) -> bool {
    let p = &authed.principal;
    p.org_kind == fruition_domain::org::OrgKind::CarrierOperator
        && can(
            &p.actor(),
            &Action::KeepMentors {
                operator_org_id: p.user.org_id,
            },
        )
        .is_ok()
}

/// A mentor's form as typed (kept when it comes back with problems).
#[derive(Debug, Clone, Default)]
struct MentorForm {
    name: String,
    title: String,
    employer: String,
    expertise: String,
    field: String,
    phone: String,
    email: String,
    active: bool,
}

impl MentorForm {
    fn of(form: &PageForm) -> MentorForm {
        MentorForm {
            name: form.get("name"),
            title: form.get("title"),
            employer: form.get("employer"),
            expertise: form.get("expertise"),
            field: form.get("field"),
            phone: form.get("phone"),
            email: form.get("email"),
            active: form.get("active") == "true",
        }
    }

    fn from_view(m: &MentorView) -> MentorForm {
        MentorForm {
            name: m.name.clone(),
            title: m.title.clone(),
            employer: m.employer.clone(),
            expertise: m.expertise.clone(),
            field: m.chain_code.clone().unwrap_or_default(),
            phone: m.phone.clone().unwrap_or_default(),
            email: m.email.clone().unwrap_or_default(),
            active: m.active,
        }
    }

    fn input(&self, active: Option<bool>) -> MentorInput {
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        MentorInput {
            name: self.name.clone(),
            title: self.title.clone(),
            employer: self.employer.clone(),
            expertise: self.expertise.clone(),
            field: opt(&self.field),
            phone: opt(&self.phone),
            email: opt(&self.email),
            active,
            operator_org_id: None,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The directory

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    field: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "mentors.html")]
struct ListPage {
    c: Chrome,
    sub: Vec<(String, &'static str, bool)>,
    mentors: Vec<MentorView>,
    q: String,
    fields: Vec<Opt>,
    form_fields: Vec<Opt>,
    can_keep: bool,
    f: MentorForm,
}

async fn list_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    q: ListQuery,
    f: MentorForm,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let field = q.field.clone().unwrap_or_default();
    let query = MentorQuery {
        q: q.q.clone(),
        field: Some(field.clone()).filter(|s| !s.trim().is_empty()),
        ..MentorQuery::default()
    };
    let mentors = match actions::list(state, &c, &query).await {
        Ok(m) => m,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e.into()),
    };
    let mut chrome = Chrome::new(state, headers, Some(authed), "/mentors", "mentors_title");
    chrome = with_notice(chrome, q.done.as_deref());
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let lang = chrome.lang;
    let page = ListPage {
        sub: sub_nav(&chrome, authed),
        fields: chain_opts(&lookups, lang, &[field]),
        form_fields: chain_opts(&lookups, lang, std::slice::from_ref(&f.field)),
        can_keep: keeps_own(authed),
        q: q.q.unwrap_or_default(),
        mentors,
        f,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ListQuery>,
) -> Response {
    let f = MentorForm {
        active: true,
        ..MentorForm::default()
    };
    list_page(&state, &headers, &authed, ip, q, f, None).await
}

async fn create(form: PageForm) -> Response {
    let typed = MentorForm::of(&form);
    let result = actions::create(&form.state, &form.ctx(), &typed.input(Some(true))).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |m| format!("/mentors/{}?done=mentor_created", m.id),
        |e| async move {
            list_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                ListQuery::default(),
                typed,
                Some(&e),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A mentor

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
    year: Option<String>,
}

/// The pairing form as typed.
#[derive(Debug, Clone, Default)]
struct StartForm {
    enterprise_id: String,
    started_on: String,
}

#[derive(Template)]
#[template(path = "mentor.html")]
struct MentorPage {
    c: Chrome,
    sub: Vec<(String, &'static str, bool)>,
    d: MentorDetailView,
    firms: Vec<Opt>,
    form_fields: Vec<Opt>,
    f: MentorForm,
    s: StartForm,
}

#[allow(clippy::too_many_arguments)]
async fn mentor_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    done: Option<&str>,
    edit: Option<MentorForm>,
    s: StartForm,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let d = match actions::get(state, &c, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let firms = if d.keeps {
        match actions::pairable(state, &c, d.mentor.operator_org_id).await {
            Ok(f) => f,
            Err(e) => return error_page(state, headers, Some(authed), &e),
        }
    } else {
        Vec::new()
    };
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e.into()),
    };
    let path = format!("/mentors/{id}");
    let mut chrome = Chrome::new(state, headers, Some(authed), &path, "mentor_title");
    chrome.title = d.mentor.name.clone();
    chrome = with_notice(chrome, done);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let f = edit.unwrap_or_else(|| MentorForm::from_view(&d.mentor));
    let page = MentorPage {
        sub: sub_nav(&chrome, authed),
        firms: firms
            .into_iter()
            .map(|(eid, name)| {
                let v = eid.to_string();
                let sel = v == s.enterprise_id;
                Opt::new(v, name, sel)
            })
            .collect(),
        form_fields: chain_opts(&lookups, chrome.lang, std::slice::from_ref(&f.field)),
        s: StartForm {
            started_on: if s.started_on.is_empty() && err.is_none() {
                fruition_app::clock::today()
            } else {
                s.started_on.clone()
            },
            ..s
        },
        f,
        d,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    mentor_page(
        &state,
        &headers,
        &authed,
        ip,
        id,
        q.done.as_deref(),
        None,
        StartForm::default(),
        None,
    )
    .await
}

async fn update(PageId(id): PageId, form: PageForm) -> Response {
    let typed = MentorForm::of(&form);
    let result = actions::update(
        &form.state,
        &form.ctx(),
        id,
        &typed.input(Some(typed.active)),
    )
    .await
    .map_err(|e| scoped(e, "edit", EDIT_FIELDS));
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |m| format!("/mentors/{}?done=mentor_updated", m.id),
        |e| async move {
            mentor_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                Some(typed),
                StartForm::default(),
                Some(&e),
            )
            .await
        },
    )
    .await
}

/// The profile form's fields, which the page names `edit_field` (the directory's form uses the
/// plain names).
const EDIT_FIELDS: &[&str] = &[
    "name",
    "title",
    "employer",
    "expertise",
    "field",
    "phone",
    "email",
];

async fn start(PageId(id): PageId, form: PageForm) -> Response {
    let s = StartForm {
        enterprise_id: form.get("enterprise_id"),
        started_on: form.get("started_on"),
    };
    let input = MentorshipInput {
        enterprise_id: s.enterprise_id.trim().parse().unwrap_or(0),
        carrier_id: None,
        started_on: Some(s.started_on.clone()),
    };
    let result = actions::start(&form.state, &form.ctx(), id, &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |m| format!("/mentorships/{}?done=mentorship_started", m.id),
        |e| async move {
            mentor_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                None,
                s,
                Some(&e),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// Relationships

#[derive(Template)]
#[template(path = "mentorships.html")]
struct RelationshipsPage {
    c: Chrome,
    sub: Vec<(String, &'static str, bool)>,
    year: i64,
    years: Vec<Opt>,
    mentorships: Vec<MentorshipView>,
    carriers: Vec<CarrierMentoringView>,
    shows_carriers: bool,
}

async fn relationships(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    let c = ctx(&authed, ip);
    let this_year = fruition_app::clock::this_year();
    let year = q
        .year
        .as_deref()
        .and_then(|y| y.trim().parse::<i64>().ok())
        .filter(|y| (2000..=this_year).contains(y))
        .unwrap_or(this_year);
    let mentorships =
        match actions::mentorships(&state, &c, Some(year), None, Some(1000), None).await {
            Ok(m) => m,
            Err(e) => return error_page(&state, &headers, Some(&authed), &e),
        };
    let shows_carriers = can(&authed.principal.actor(), &Action::ViewCampaigns).is_ok();
    let carriers = if shows_carriers {
        match actions::by_carrier(&state, &c, year).await {
            Ok(x) => x,
            Err(e) => return error_page(&state, &headers, Some(&authed), &e),
        }
    } else {
        Vec::new()
    };
    let chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/mentorships",
        "mentorships_title",
    );
    let page = RelationshipsPage {
        sub: sub_nav(&chrome, &authed),
        years: (2015..=this_year)
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), y == year))
            .collect(),
        year,
        mentorships,
        carriers,
        shows_carriers,
        c: chrome,
    };
    render_status(StatusCode::OK, &page)
}

/// The session form as typed.
#[derive(Debug, Clone, Default)]
struct SessionForm {
    held_on: String,
    duration: String,
    topic: String,
    ended_on: String,
}

#[derive(Template)]
#[template(path = "mentorship.html")]
struct RelationshipPage {
    c: Chrome,
    sub: Vec<(String, &'static str, bool)>,
    d: MentorshipDetailView,
    f: SessionForm,
}

#[allow(clippy::too_many_arguments)]
async fn relationship_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    done: Option<&str>,
    f: SessionForm,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let d = match actions::mentorship(state, &c, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let path = format!("/mentorships/{id}");
    let mut chrome = Chrome::new(state, headers, Some(authed), &path, "mentorship_title");
    chrome = with_notice(chrome, done);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let today = fruition_app::clock::today();
    let page = RelationshipPage {
        sub: sub_nav(&chrome, authed),
        f: SessionForm {
            held_on: if f.held_on.is_empty() {
                today.clone()
            } else {
                f.held_on.clone()
            },
            ended_on: if f.ended_on.is_empty() {
                today
            } else {
                f.ended_on.clone()
            },
            ..f
        },
        d,
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn relationship(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    relationship_page(
        &state,
        &headers,
        &authed,
        ip,
        id,
        q.done.as_deref(),
        SessionForm::default(),
        None,
    )
    .await
}

async fn add_session(PageId(id): PageId, form: PageForm) -> Response {
    let f = SessionForm {
        held_on: form.get("held_on"),
        duration: form.get("duration"),
        topic: form.get("topic"),
        ended_on: String::new(),
    };
    let input = MentoringSessionInput {
        held_on: Some(f.held_on.clone()),
        duration: f.duration.clone(),
        topic: f.topic.clone(),
    };
    let result = actions::add_session(&form.state, &form.ctx(), id, &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| format!("/mentorships/{id}?done=mentoring_session_added"),
        |e| async move {
            relationship_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                f,
                Some(&e),
            )
            .await
        },
    )
    .await
}

async fn end(PageId(id): PageId, form: PageForm) -> Response {
    let f = SessionForm {
        ended_on: form.get("ended_on"),
        ..SessionForm::default()
    };
    let input = MentorshipEndInput {
        ended_on: Some(f.ended_on.clone()),
    };
    let result = actions::end(&form.state, &form.ctx(), id, &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| format!("/mentorships/{id}?done=mentorship_ended"),
        |e| async move {
            relationship_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                f,
                Some(&e),
            )
            .await
        },
    )
    .await
}
