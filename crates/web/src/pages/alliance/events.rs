//! The alliance's events: a year's list with its workbook (with attendance counts) and the
//! organising form; an event's page with 报名 / 取消 / the check-in code / the calendar file,
//! and for its organiser the registered, the waiting list in order, attendance, the check-in
//! form and the change form.

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_app::alliance::events::{
    self as actions, CheckInInput, EventDetail, EventInput, EventQuery, EventView,
};
use fruition_app::alliance::members;
use fruition_domain::alliance::{EventKind, EventStatus};
use fruition_sheets::Value;
use serde::Deserialize;

use super::super::credit::SubNav;
use super::super::export::{self, Export};
use super::super::forms::{Opt, PageForm, Typed, ctx};
use super::super::{Chrome, PageId, error_page, render_status};
use super::{number, opt_id, refusal, subnav, with_notice};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliance/events", get(list).post(create))
        .route("/alliance/events/export.xlsx", get(list))
        .route("/alliance/events/{id}", get(detail).post(update))
        .route("/alliance/events/{id}/calendar.ics", get(calendar))
        .route("/alliance/events/{id}/registration", post(register))
        .route("/alliance/events/{id}/cancellation", post(cancel))
        .route("/alliance/events/{id}/check-ins", post(check_in))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    year: Option<String>,
    done: Option<String>,
}

#[derive(Template)]
#[template(path = "alliance_events.html")]
struct ListPage {
    c: Chrome,
    sub: SubNav,
    events: Vec<EventView>,
    years: Vec<Opt>,
    kinds: Vec<Opt>,
    organisers: Vec<Opt>,
    can_organise: bool,
    export_href: String,
    /// A refused form's values, shown again.
    t: Typed,
}

fn year_of(raw: Option<&str>) -> i64 {
    raw.and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|y| (1949..=2200).contains(y))
        .unwrap_or_else(fruition_app::clock::this_year)
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: Export,
    PageQuery(q): PageQuery<ListQuery>,
) -> Response {
    let year = year_of(q.year.as_deref());
    if export.xlsx {
        let c = Chrome::new(
            &state,
            &headers,
            Some(&authed),
            "/alliance/events",
            "alliance_events",
        );
        let cx = ctx(&authed, ip);
        return match actions::year_rows(&state, &cx, year).await {
            Ok(rows) => workbook(&c, year, &rows),
            Err(e) => error_page(&state, &headers, Some(&authed), &e),
        };
    }
    show_list(&state, &headers, &authed, ip, year, q.done.as_deref(), None).await
}

async fn show_list(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    year: i64,
    done: Option<&str>,
    refused: Option<(&AppError, Typed)>,
) -> Response {
    let (err, t) = match refused {
        Some((e, typed)) => (Some(e), typed),
        None => (None, Typed::default()),
    };
    let cx = ctx(authed, ip);
    let events = match actions::list(state, &cx, &EventQuery { year: Some(year) }).await {
        Ok(e) => e,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let home = match members::home(state, &cx).await {
        Ok(h) => h,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = with_notice(
        Chrome::new(
            state,
            headers,
            Some(authed),
            "/alliance/events",
            "alliance_events",
        ),
        done,
    );
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let mut organisers: Vec<Opt> = Vec::new();
    if home.can_manage {
        organisers.push(Opt::new("", c.t("alliance_bureau_event"), true));
    }
    organisers.extend(
        home.acts_for
            .iter()
            .map(|m| Opt::new(m.carrier_id.to_string(), m.carrier_name.clone(), false)),
    );
    let this_year = fruition_app::clock::this_year();
    let lang = c.lang;
    let mut kinds: Vec<Opt> = EventKind::ALL
        .iter()
        .map(|k| Opt::new(k.code(), k.label(lang), false))
        .collect();
    t.select("/alliance/events", "kind", &mut kinds);
    t.select("/alliance/events", "carrier_id", &mut organisers);
    let page = ListPage {
        sub: subnav(&c, "/alliance/events"),
        years: (2020.min(year)..=(this_year + 1).max(year))
            .rev()
            .map(|y| Opt::new(y.to_string(), y.to_string(), y == year))
            .collect(),
        kinds,
        can_organise: !organisers.is_empty(),
        organisers,
        export_href: format!("/alliance/events/export.xlsx?year={year}"),
        events,
        c,
        t,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

/// The year's events with their registration and attendance counts.
fn workbook(c: &Chrome, year: i64, rows: &[EventView]) -> Response {
    let sheet = export::sheet(
        c.t("alliance_events"),
        rows,
        &[
            (c.t("alliance_event_title"), &|e: &EventView| {
                e.title.as_str().into()
            }),
            (c.t("alliance_event_kind"), &|e: &EventView| {
                e.kind_label.as_str().into()
            }),
            (c.t("alliance_organiser"), &|e: &EventView| {
                e.organiser_name.as_str().into()
            }),
            (c.t("alliance_starts"), &|e: &EventView| {
                e.starts_local.as_str().into()
            }),
            (c.t("alliance_ends"), &|e: &EventView| {
                e.ends_local.as_str().into()
            }),
            (c.t("alliance_place"), &|e: &EventView| {
                e.place.as_str().into()
            }),
            (c.t("alliance_capacity"), &|e: &EventView| e.capacity.into()),
            (c.t("alliance_registered"), &|e: &EventView| {
                e.registered.into()
            }),
            (c.t("alliance_waiting"), &|e: &EventView| e.waiting.into()),
            (c.t("alliance_attended"), &|e: &EventView| e.attended.into()),
            (c.t("alliance_event_status"), &|e: &EventView| {
                e.status_label.as_str().into()
            }),
        ],
    );
    let _ = Value::Empty;
    export::download(&format!("联盟活动{year}"), &[sheet])
}

fn input_of(form: &PageForm) -> EventInput {
    EventInput {
        kind: form.get("kind"),
        title: form.get("title"),
        description: Some(form.get("description")),
        place: form.get("place"),
        starts_at: form.get("starts_at"),
        ends_at: form.get("ends_at"),
        register_by: Some(form.get("register_by")),
        capacity: number(&form.get("capacity")),
        carrier_id: opt_id(&form.get("carrier_id")),
        status: Some(form.get("status")),
    }
}

async fn create(form: PageForm) -> Response {
    let input = input_of(&form);
    let result = actions::create(&form.state, &form.ctx(), &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |d| {
            format!(
                "/alliance/events/{}?done=alliance_event_created",
                d.event.id
            )
        },
        |e| async move {
            if let Some(r) = refusal(&page.state, &page.headers, &page.authed, &e) {
                return r;
            }
            let year = fruition_app::clock::this_year();
            show_list(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                year,
                None,
                Some((&e, Typed::of(page))),
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "alliance_event.html")]
struct EventPage {
    c: Chrome,
    sub: SubNav,
    d: EventDetail,
    kinds: Vec<Opt>,
    statuses: Vec<Opt>,
    /// The registration is live (registered or waiting), so it may be cancelled.
    live: bool,
    /// Where the edit and check-in forms post, and what a refused one was typed with.
    edit_path: String,
    check_in_path: String,
    t: Typed,
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    show(&state, &headers, &authed, ip, id, q.done.as_deref(), None).await
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    done: Option<&str>,
    refused: Option<(&AppError, Typed)>,
) -> Response {
    let (err, t) = match refused {
        Some((e, typed)) => (Some(e), typed),
        None => (None, Typed::default()),
    };
    let cx = ctx(authed, ip);
    let d = match actions::get(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let path = format!("/alliance/events/{id}");
    let mut c = with_notice(
        Chrome::new(state, headers, Some(authed), &path, "alliance_event"),
        done,
    );
    c.title = d.event.title.clone();
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let lang = c.lang;
    let live = d.mine.as_ref().is_some_and(|m| {
        m.registration.status != fruition_domain::alliance::RegistrationStatus::Cancelled
            && !m.registration.checked_in
    });
    let mut kinds: Vec<Opt> = EventKind::ALL
        .iter()
        .map(|k| Opt::new(k.code(), k.label(lang), *k == d.event.kind))
        .collect();
    let mut statuses: Vec<Opt> = EventStatus::ALL
        .iter()
        .map(|s| Opt::new(s.code(), s.label(lang), *s == d.event.status))
        .collect();
    t.select(&path, "kind", &mut kinds);
    t.select(&path, "status", &mut statuses);
    let page = EventPage {
        sub: subnav(&c, "/alliance/events"),
        kinds,
        statuses,
        live,
        check_in_path: format!("{path}/check-ins"),
        edit_path: path,
        t,
        d,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn finish<T>(id: i64, form: &PageForm, result: Result<T, AppError>, done: &str) -> Response {
    let page = form;
    let done = done.to_string();
    form.finish(
        result,
        Vec::new(),
        |_| format!("/alliance/events/{id}?done={done}"),
        |e| async move {
            if let Some(r) = refusal(&page.state, &page.headers, &page.authed, &e) {
                return r;
            }
            show(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                Some((&e, Typed::of(page))),
            )
            .await
        },
    )
    .await
}

async fn update(PageId(id): PageId, form: PageForm) -> Response {
    let input = input_of(&form);
    let result = actions::update(&form.state, &form.ctx(), id, &input).await;
    finish(id, &form, result, "alliance_event_saved").await
}

async fn register(PageId(id): PageId, form: PageForm) -> Response {
    let result = actions::register(&form.state, &form.ctx(), id).await;
    finish(id, &form, result, "alliance_registered").await
}

async fn cancel(PageId(id): PageId, form: PageForm) -> Response {
    let result = actions::cancel(&form.state, &form.ctx(), id).await;
    finish(id, &form, result, "alliance_registration_cancelled").await
}

async fn check_in(PageId(id): PageId, form: PageForm) -> Response {
    let input = CheckInInput {
        code: form.get("code"),
    };
    let result = actions::check_in(&form.state, &form.ctx(), id, &input).await;
    finish(id, &form, result, "alliance_checked_in").await
}

async fn calendar(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let cx = ctx(&authed, ip);
    match actions::calendar(&state, &cx, id).await {
        Ok(text) => crate::api::alliance_ics(id, text),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
