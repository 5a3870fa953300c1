//! The pages of bookings of pilot lines and instruments: the organisation's resources with the
//! bookings they received, the caller's own bookings (the bureau: all), and a booking's page with
//! the steps the caller may take. Every rule is the actions' (`actions::pilot`).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use fruition_domain::pilot::{BookingStatus, ResourceKind, Unit};
use serde::Deserialize;

use super::forms::{Opt, PageForm, ctx, is_bureau, whole_number};
use super::{Chrome, PageId, error_page, render, render_status};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::pilot::{
    self as actions, BookingDetail, BookingSide, BookingView, ResourceView, StepInput,
};

use super::pilot::{Done, SubNav, local, scoped, status_opts, subnav, yuan_helper};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pilot/mine", get(mine))
        .route("/pilot/bookings", get(bookings))
        .route("/pilot/bookings/export.xlsx", get(bookings))
        .route("/pilot/bookings/{id}", get(booking))
        .route("/pilot/bookings/{id}/actions", post(step))
}

// ---------------------------------------------------------------------------------------------
// Lists: the organisation's resources and incoming bookings; the caller's bookings

#[derive(Template)]
#[template(path = "pilot_mine.html")]
struct MinePage {
    c: Chrome,
    sub: SubNav,
    resources: Vec<ResourceView>,
    bookings: Vec<BookingView>,
    statuses: Vec<Opt>,
    can_offer: bool,
}

#[derive(Template)]
#[template(path = "pilot_bookings.html")]
struct BookingsPage {
    c: Chrome,
    sub: SubNav,
    heading_key: &'static str,
    bookings: Vec<BookingView>,
    statuses: Vec<Opt>,
    /// The same list as a workbook.
    export_href: String,
}

/// The table of bookings both lists show (`pilot_booking_rows.html`).
macro_rules! booking_rows {
    ($($t:ty),+) => {$(
        impl $t {
            fn status(&self, s: &BookingStatus) -> &'static str {
                s.label(self.c.lang)
            }

            fn unit(&self, u: &Unit) -> &'static str {
                u.label(self.c.lang)
            }
        }
    )+};
}
booking_rows!(MinePage, BookingsPage);

impl MinePage {
    fn kind(&self, k: &ResourceKind) -> &'static str {
        k.label(self.c.lang)
    }
}

#[derive(Deserialize, Default)]
struct StatusQuery {
    status: Option<String>,
}

async fn mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<StatusQuery>,
) -> Response {
    let c = ctx(&authed, ip);
    let code = q.status.unwrap_or_default();
    let status = BookingStatus::parse(&code);
    let loaded = async {
        let resources = actions::mine(&state, &c).await?;
        let bookings = actions::bookings(&state, &c, BookingSide::Incoming, status, None).await?;
        Ok::<_, AppError>((resources, bookings))
    }
    .await;
    match loaded {
        Ok((resources, bookings)) => {
            let chrome = Chrome::new(&state, &headers, Some(&authed), "/pilot/mine", "pilot_mine");
            render(&MinePage {
                sub: subnav(&chrome, Some(&authed)),
                statuses: status_opts(chrome.lang, &code),
                can_offer: can(&authed.principal.actor(), &Action::CreateResource).is_ok(),
                resources,
                bookings,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn bookings(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    export: super::export::Export,
    PageQuery(q): PageQuery<StatusQuery>,
) -> Response {
    let c = ctx(&authed, ip);
    let code = q.status.unwrap_or_default();
    let bureau = is_bureau(&authed.principal);
    let side = if bureau {
        BookingSide::All
    } else {
        BookingSide::Mine
    };
    match actions::bookings(&state, &c, side, BookingStatus::parse(&code), None).await {
        Ok(list) => {
            let heading_key = if bureau {
                "all_bookings"
            } else {
                "my_bookings"
            };
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/pilot/bookings",
                heading_key,
            );
            if export.xlsx {
                let lang = chrome.lang;
                let sheet = super::export::sheet(
                    chrome.t(heading_key),
                    &list,
                    &[
                        (chrome.t("booking_number"), &|b: &BookingView| b.id.into()),
                        (chrome.t("pilot_resource"), &|b: &BookingView| {
                            b.resource_name.as_str().into()
                        }),
                        (chrome.t("resource_owner"), &|b: &BookingView| {
                            b.owner_name.as_str().into()
                        }),
                        (chrome.t("booker"), &|b: &BookingView| {
                            b.booker_name.as_str().into()
                        }),
                        (chrome.t("booking_start"), &|b: &BookingView| {
                            b.starts_at.as_str().into()
                        }),
                        (chrome.t("booking_end"), &|b: &BookingView| {
                            b.ends_at.as_str().into()
                        }),
                        (chrome.t("booked_units"), &|b: &BookingView| b.units.into()),
                        (chrome.t("unit_price_yuan"), &|b: &BookingView| {
                            fruition_sheets::Value::Float(b.unit_price_fen as f64 / 100.0)
                        }),
                        (chrome.t("status"), &|b: &BookingView| {
                            b.status.label(lang).into()
                        }),
                    ],
                );
                return super::export::download(chrome.t(heading_key), &[sheet]);
            }
            render(&BookingsPage {
                sub: subnav(&chrome, Some(&authed)),
                export_href: export.href,
                statuses: status_opts(chrome.lang, &code),
                heading_key,
                bookings: list,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// A booking

/// The step forms as typed (kept when one comes back with problems).
#[derive(Debug, Clone, Default)]
struct StepForm {
    step: String,
    reason: String,
    used_units: String,
    use_note: String,
    extra: String,
    extra_note: String,
    due_on: String,
}

/// The fields of the step forms, which [`scoped`] names `step_field`.
const STEP_FIELDS: &[&str] = &[
    "reason",
    "used_units",
    "use_note",
    "extra",
    "extra_note",
    "due_on",
];

#[derive(Template)]
#[template(path = "pilot_booking.html")]
struct BookingPage {
    c: Chrome,
    sub: SubNav,
    d: BookingDetail,
    f: StepForm,
    status_label: &'static str,
    kind_label: &'static str,
    unit_label: &'static str,
    is_owner: bool,
    safety_accepted: Option<String>,
    created: String,
    updated: String,
    cancel_until: Option<String>,
}
yuan_helper!(BookingPage);

impl BookingPage {
    /// What the form of `step` shows in `field`: what was typed into it, else its default.
    fn v(&self, step: &str, field: &str) -> String {
        if self.f.step == step {
            let f = &self.f;
            return match field {
                "reason" => f.reason.clone(),
                "used_units" => f.used_units.clone(),
                "use_note" => f.use_note.clone(),
                "extra" => f.extra.clone(),
                "extra_note" => f.extra_note.clone(),
                "due_on" => f.due_on.clone(),
                _ => String::new(),
            };
        }
        match field {
            "used_units" => self.d.booking.units.to_string(),
            _ => String::new(),
        }
    }

    fn cancel_hint(&self) -> &'static str {
        self.c.t(if self.is_owner {
            "owner_cancel_hint"
        } else {
            "optional"
        })
    }

    fn bill_kind(&self) -> &'static str {
        self.d
            .bill
            .as_ref()
            .map(|b| b.kind.label(self.c.lang))
            .unwrap_or_default()
    }
}

/// A request to a booking's page: who asks, and for which booking.
struct BookingReq {
    state: AppState,
    headers: HeaderMap,
    authed: Authed,
    ip: String,
    id: i64,
}

async fn show_booking(
    r: &BookingReq,
    f: Option<StepForm>,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let (state, headers, authed, id) = (&r.state, &r.headers, &r.authed, r.id);
    let cx = ctx(authed, r.ip.clone());
    let d = match actions::get_booking(state, &cx, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/pilot/bookings/{id}"),
        "booking",
    )
    .with_notice(done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = format!(
        "{} #{} – {}",
        c.t("booking"),
        d.booking.id,
        d.booking.resource_name
    );
    let lang = c.lang;
    let page = BookingPage {
        sub: subnav(&c, Some(authed)),
        status_label: d.booking.status.label(lang),
        kind_label: d.booking.resource_kind.label(lang),
        unit_label: d.booking.unit.label(lang),
        is_owner: d.booking.owner_org_id == authed.principal.user.org_id,
        safety_accepted: d.booking.safety_accepted_at.as_deref().map(local),
        created: local(&d.booking.created_at),
        updated: local(&d.booking.updated_at),
        cancel_until: d.cancel_until.clone(),
        f: f.unwrap_or_default(),
        d,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn booking(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let r = BookingReq {
        state,
        headers,
        authed,
        ip,
        id,
    };
    show_booking(&r, None, None, q.done.as_deref()).await
}

async fn step(PageId(id): PageId, form: PageForm) -> Response {
    let typed = StepForm {
        step: form.get("step"),
        reason: form.get("reason"),
        used_units: form.get("used_units"),
        use_note: form.get("use_note"),
        extra: form.get("extra"),
        extra_note: form.get("extra_note"),
        due_on: form.get("due_on"),
    };
    let mut local = Vec::new();
    let input = StepInput {
        step: typed.step.clone(),
        reason: Some(typed.reason.clone()),
        used_units: whole_number(&mut local, "used_units", &typed.used_units),
        use_note: Some(typed.use_note.clone()),
        extra: Some(typed.extra.clone()),
        extra_note: Some(typed.extra_note.clone()),
        due_on: Some(typed.due_on.clone()),
    };
    let result = actions::step(&form.state, &form.ctx(), id, &input).await;
    let done = match typed.step.as_str() {
        "confirm" => "booking_confirmed",
        "decline" => "booking_declined",
        "cancel" => "booking_cancelled",
        "record_use" => "use_recorded",
        _ => "bill_issued",
    };
    let page = &form;
    form.finish(
        result,
        local,
        |_| format!("/pilot/bookings/{id}?done={done}"),
        |e| async move {
            let e = scoped(e, &typed.step, STEP_FIELDS);
            let r = BookingReq {
                state: page.state.clone(),
                headers: page.headers.clone(),
                authed: page.authed.clone(),
                ip: page.ip.clone(),
                id,
            };
            show_booking(&r, Some(typed), Some(&e), None).await
        },
    )
    .await
}
