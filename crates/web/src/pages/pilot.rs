//! The pages of pilot lines, instruments and testing services (中试与仪器共享): the public
//! catalogue, a resource's page with its calendar and booking form (and, for its owner, the
//! maintenance form), the owner's resource form; the lists of bookings and a booking's page with
//! the steps the caller may take are in `pages::bookings`; the lists and a booking's page are in `pages::bookings`; bills,
//! vouchers and claims in `pages::vouchers`.
//!
//! Every rule is the actions' (`actions::pilot`, the same the API calls): the pages read forms,
//! call them, and show what they answer.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::carrier::CarrierStatus;
use fruition_domain::date::IsoDate;
use fruition_domain::lang::Lang;
use fruition_domain::org::OrgKind;
use fruition_domain::pilot::{self, BookingStatus, ResourceInput, ResourceKind, Unit};
use serde::Deserialize;

use super::forms::{
    Fields, Opt, ctx, is_bureau, is_form_error, merged, refusal_page, whole_number,
};
use super::{Chrome, PageId, PageIds, error_page, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, MaybeUser, PageUser};
use crate::error::HttpError;
use crate::error::{AppError, Problem};
use fruition_app::Ctx;
use fruition_app::pilot::{self as actions, BlockInput, BookingInput, CalendarView, ResourceView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/pilot", get(catalogue))
        .route("/pilot/resources/new", get(new_form).post(create))
        .route("/pilot/resources/{id}", get(resource))
        .route("/pilot/resources/{id}/edit", get(edit_form).post(update))
        .route("/pilot/resources/{id}/activation", post(set_active))
        .route("/pilot/resources/{id}/bookings", post(request))
        .route("/pilot/resources/{id}/maintenance", post(add_block))
        .route(
            "/pilot/resources/{id}/maintenance/{block_id}/remove",
            post(remove_block),
        )
}

// ---------------------------------------------------------------------------------------------
// What the pilot, bill and voucher pages share

/// The pilot pages' own links under the heading: (href, label, current).
pub type SubNav = Vec<(String, &'static str, bool)>;

pub fn subnav(c: &Chrome, authed: Option<&Authed>) -> SubNav {
    let links = match authed {
        Some(a) => links(a),
        None => vec![("/pilot", "pilot_catalogue")],
    };
    links
        .into_iter()
        .map(|(href, key)| (href.to_string(), c.t(key), c.path == href))
        .collect()
}

/// The pilot pages a signed-in user can use: (href, label key). Bookings and bills only where
/// they can be (an organisation that books or offers resources: a bank, a guarantor or an
/// investor never has either); an organisation's own resources and its vouchers' claims only
/// where it offers resources — an enterprise only once it has some.
pub fn links(a: &Authed) -> Vec<(&'static str, &'static str)> {
    let mut links = vec![("/pilot", "pilot_catalogue")];
    let actor = a.principal.actor();
    let bureau = is_bureau(&a.principal);
    let kind = a.principal.org_kind;
    let owns = a.nav.map(|n| n.owns_resources);
    let offers = can(&actor, &Action::CreateResource).is_ok()
        && (kind != OrgKind::Enterprise || owns.unwrap_or(true));
    if offers {
        links.push(("/pilot/mine", "pilot_mine"));
    }
    let takes_part = matches!(
        kind,
        OrgKind::Enterprise
            | OrgKind::Institution
            | OrgKind::CarrierOperator
            | OrgKind::ServiceAgency
    );
    if bureau || takes_part {
        links.push((
            "/pilot/bookings",
            if bureau {
                "all_bookings"
            } else {
                "my_bookings"
            },
        ));
        links.push(("/pilot/bills", "bills"));
    }
    if bureau || kind == OrgKind::Enterprise {
        links.push(("/pilot/vouchers", "vouchers"));
    }
    if bureau || offers {
        links.push(("/pilot/claims", "voucher_claims"));
    }
    links
}

/// `?done=…` after a redirect.
#[derive(Deserialize, Default)]
pub struct Done {
    pub done: Option<String>,
}

/// An action's refusal as a page with several forms shows it: the fields of the posted form
/// become `prefix_field` (their ids on the page, where two forms may send the same name); a
/// refusal naming anything else is a message of its own.
pub fn scoped(err: AppError, prefix: &str, fields: &[&str]) -> AppError {
    let name = |f: &str| {
        if !fields.contains(&f) {
            String::new()
        } else if prefix.is_empty() {
            f.to_string()
        } else {
            format!("{prefix}_{f}")
        }
    };
    match err {
        AppError::Invalid(problems) => AppError::Invalid(
            problems
                .into_iter()
                .map(|p| Problem {
                    field: name(&p.field),
                    ..p
                })
                .collect(),
        ),
        AppError::Conflict { field, zh, en } => AppError::Conflict {
            field: name(&field),
            zh,
            en,
        },
        other => other,
    }
}

/// An RFC 3339 time from a view as the pages show times (`2026-12-01 09:30`, China time).
pub fn local(rfc: &str) -> String {
    time::OffsetDateTime::parse(rfc, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|t| i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok())
        .map(fruition_app::clock::local_time)
        .unwrap_or_else(|| rfc.to_string())
}

/// Fen as 元 typed back into a form (`800`, `1200.50`).
pub fn plain_yuan(fen: i64) -> String {
    if fen % 100 == 0 {
        (fen / 100).to_string()
    } else {
        format!("{}.{:02}", fen / 100, fen % 100)
    }
}

/// Gives page structs `yuan(&fen)` for their templates.
macro_rules! yuan_helper {
    ($($t:ty),+) => {$(
        impl $t {
            fn yuan(&self, fen: &i64) -> String {
                fruition_domain::money::yuan(*fen)
            }
        }
    )+};
}
pub(crate) use yuan_helper;

pub(super) fn kind_opts(lang: Lang, selected: &str) -> Vec<Opt> {
    ResourceKind::ALL
        .iter()
        .map(|k| Opt::new(k.code(), k.label(lang), k.code() == selected))
        .collect()
}

pub(super) fn status_opts(lang: Lang, selected: &str) -> Vec<Opt> {
    BookingStatus::ALL
        .iter()
        .map(|s| Opt::new(s.code(), s.label(lang), s.code() == selected))
        .collect()
}

pub(super) fn weekday(lang: Lang, d: usize) -> &'static str {
    const KEYS: [&str; 7] = [
        "weekday_1",
        "weekday_2",
        "weekday_3",
        "weekday_4",
        "weekday_5",
        "weekday_6",
        "weekday_7",
    ];
    crate::i18n::t(lang, KEYS[d % 7])
}

pub(super) fn rules_of(r: &ResourceView) -> pilot::Rules {
    pilot::Rules {
        unit: r.unit,
        batch_hours: r.batch_hours,
        open_days: r.open_days.iter().map(|d| 1 << (d - 1)).sum(),
        open_from: r.open_from,
        open_to: r.open_to,
        cancel_hours: r.cancel_hours,
        horizon_days: r.horizon_days,
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue

#[derive(Template)]
#[template(path = "pilot_catalogue.html")]
struct CataloguePage {
    c: Chrome,
    sub: SubNav,
    resources: Vec<ResourceView>,
    kinds: Vec<Opt>,
    q: String,
    can_offer: bool,
}

impl CataloguePage {
    fn kind(&self, k: &ResourceKind) -> &'static str {
        k.label(self.c.lang)
    }

    fn unit(&self, u: &Unit) -> &'static str {
        u.label(self.c.lang)
    }

    fn opening(&self, r: &ResourceView) -> String {
        rules_of(r).opening_label(self.c.lang)
    }
}

#[derive(Deserialize, Default)]
struct CatalogueQuery {
    kind: Option<String>,
    q: Option<String>,
}

async fn catalogue(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(authed): MaybeUser,
    PageQuery(q): PageQuery<CatalogueQuery>,
) -> Response {
    let kind_code = q.kind.clone().unwrap_or_default();
    let kind = ResourceKind::parse(&kind_code);
    let text = q.q.clone().filter(|s| !s.trim().is_empty());
    let resources = match actions::catalogue(&state, kind, None, text).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, authed.as_ref(), &e),
    };
    let c = Chrome::new(&state, &headers, authed.as_ref(), "/pilot", "pilot");
    render(&CataloguePage {
        sub: subnav(&c, authed.as_ref()),
        kinds: kind_opts(c.lang, &kind_code),
        q: q.q.unwrap_or_default(),
        can_offer: authed
            .as_ref()
            .is_some_and(|a| can(&a.principal.actor(), &Action::CreateResource).is_ok()),
        resources,
        c,
    })
}

// ---------------------------------------------------------------------------------------------
// A resource, its calendar and the booking form

/// Days the calendar shows at once.
const CAL_DAYS: i64 = 14;

/// One day of the calendar.
struct DayRow {
    date: String,
    weekday: &'static str,
    open: bool,
    items: Vec<CalRow>,
    /// A link that fills the booking form with this day's opening hour.
    book_href: Option<String>,
}

/// A booking or a maintenance block on a day.
struct CalRow {
    time: String,
    maintenance: bool,
    label: String,
    booking_href: Option<String>,
    block_id: Option<i64>,
    booker: Option<String>,
}

/// The booking form as typed.
#[derive(Default, Clone)]
struct BookingForm {
    starts_at: String,
    units: String,
    purpose: String,
    accept: bool,
}

/// The maintenance form as typed.
#[derive(Default, Clone)]
struct BlockForm {
    starts_at: String,
    ends_at: String,
    reason: String,
}

#[derive(Template)]
#[template(path = "pilot_resource.html")]
struct ResourcePage {
    c: Chrome,
    sub: SubNav,
    r: ResourceView,
    kind_label: &'static str,
    unit_label: &'static str,
    opening: String,
    cancel_deadline: String,
    days: Vec<DayRow>,
    cal_first: String,
    cal_last: String,
    prev_href: String,
    next_href: String,
    sees_bookers: bool,
    may_book: bool,
    is_owner: bool,
    signed_in: bool,
    bf: BookingForm,
    kf: BlockForm,
    units_label: String,
    start_hint: &'static str,
}

#[derive(Deserialize, Default)]
struct ResourceQuery {
    from: Option<String>,
    at: Option<String>,
    done: Option<String>,
}

/// How a resource's page comes back: the calendar's first day, a form as typed, a refusal, a notice.
#[derive(Default)]
struct ResourceShown<'a> {
    from: Option<String>,
    booking: Option<BookingForm>,
    block: Option<BlockForm>,
    err: Option<&'a AppError>,
    done: Option<&'a str>,
}

/// The calendar's days. A day offers booking only when a booking could still start on it: not
/// a past day, and today only for a resource booked by the hour with an hour left before closing,
/// the link then filling in the next full hour.
fn calendar_days(
    cal: &CalendarView,
    id: i64,
    lang: Lang,
    may_book: bool,
    now_slot: i64,
) -> Vec<DayRow> {
    let today = pilot::date_of_slot(now_slot);
    let r = &cal.resource;
    let Ok(from) = IsoDate::parse(&cal.from) else {
        return Vec::new();
    };
    let to = IsoDate::parse(&cal.to).unwrap_or(from.plus_days(CAL_DAYS));
    let n = to.days_since_epoch() - from.days_since_epoch();
    (0..n)
        .map(|i| {
            let d = from.plus_days(i);
            let start = pilot::slot_of_date(d);
            let end = start + pilot::DAY_SLOTS;
            let wd = usize::from(pilot::weekday_of_slot(start));
            let open = r.open_days.contains(&(wd as i64 + 1));
            let items = cal
                .items
                .iter()
                .filter(|it| it.start_slot < end && it.end_slot > start)
                .map(|it| {
                    let maintenance = it.what == "maintenance";
                    let within = it.start_slot >= start && it.end_slot <= end;
                    CalRow {
                        time: if within {
                            format!(
                                "{:02}:00–{:02}:00",
                                it.start_slot - start,
                                it.end_slot - start
                            )
                        } else {
                            format!("{} – {}", it.starts_at, it.ends_at)
                        },
                        maintenance,
                        label: match it.status {
                            Some(s) => s.label(lang).to_string(),
                            None if maintenance => it.label.clone(),
                            None => crate::i18n::t(lang, "slot_taken").to_string(),
                        },
                        booking_href: (!maintenance)
                            .then_some(it.id)
                            .flatten()
                            .map(|b| format!("/pilot/bookings/{b}")),
                        block_id: maintenance.then_some(it.id).flatten(),
                        booker: it.booker_name.clone(),
                    }
                })
                .collect();
            // The first hour a booking could start at: today, the next full hour.
            let first_hour = if d == today {
                (now_slot - start + 1).max(r.open_from)
            } else {
                r.open_from
            };
            let bookable = match r.unit {
                Unit::Day => d > today,
                _ => d > today || (d == today && first_hour < r.open_to),
            };
            let at = match r.unit {
                Unit::Day => d.to_string(),
                _ => format!("{d}%20{first_hour:02}:00"),
            };
            DayRow {
                date: d.to_string(),
                weekday: weekday(lang, wd),
                open,
                items,
                book_href: (may_book && open && bookable)
                    .then(|| format!("/pilot/resources/{id}?from={from}&at={at}#book")),
            }
        })
        .collect()
}

async fn show_resource(
    state: &AppState,
    headers: &HeaderMap,
    authed: Option<&Authed>,
    id: i64,
    s: ResourceShown<'_>,
) -> Response {
    let principal = authed.map(|a| &a.principal);
    let from = s
        .from
        .as_deref()
        .map(str::trim)
        .filter(|f| IsoDate::parse(f).is_ok());
    let cal = match actions::calendar(state, principal, id, from, Some(CAL_DAYS)).await {
        Ok(cal) => cal,
        Err(e) => return error_page(state, headers, authed, &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        authed,
        &format!("/pilot/resources/{id}"),
        "pilot",
    )
    .with_notice(s.done);
    if let Some(e) = s.err {
        c = c.with_errors(e);
    }
    c.title = cal.resource.name.clone();
    let lang = c.lang;
    let r = cal.resource.clone();
    let actor = authed.map(|a| a.principal.actor());
    let may_book = r.active
        && actor.as_ref().is_some_and(|a| {
            can(
                a,
                &Action::RequestBooking {
                    owner_org_id: r.owner_org_id,
                },
            )
            .is_ok()
        });
    let is_owner = actor.as_ref().is_some_and(|a| {
        can(
            a,
            &Action::ManageResource {
                owner_org_id: r.owner_org_id,
            },
        )
        .is_ok()
    });
    let today = fruition_app::clock::today_date();
    let first = IsoDate::parse(&cal.from).unwrap_or(today);
    let last = IsoDate::parse(&cal.to)
        .unwrap_or(first.plus_days(CAL_DAYS))
        .plus_days(-1);
    let page = ResourcePage {
        sub: subnav(&c, authed),
        kind_label: r.kind.label(lang),
        unit_label: r.unit.label(lang),
        opening: rules_of(&r).opening_label(lang),
        cancel_deadline: match lang {
            Lang::ZhCn => format!("开始前 {} 小时", r.cancel_hours),
            Lang::En => format!("{} hours before the start", r.cancel_hours),
        },
        days: calendar_days(
            &cal,
            id,
            lang,
            may_book,
            pilot::slot_of_ms(fruition_app::clock::now_ms()),
        ),
        cal_first: first.to_string(),
        cal_last: last.to_string(),
        prev_href: format!(
            "/pilot/resources/{id}?from={}#calendar",
            first.plus_days(-CAL_DAYS)
        ),
        next_href: format!(
            "/pilot/resources/{id}?from={}#calendar",
            first.plus_days(CAL_DAYS)
        ),
        sees_bookers: cal.sees_bookers,
        may_book,
        is_owner,
        signed_in: authed.is_some(),
        bf: s.booking.unwrap_or_default(),
        kf: s.block.unwrap_or_default(),
        units_label: format!("{}（{}）", c.t("booking_units"), r.unit.label(lang)),
        start_hint: c.t(if r.unit == Unit::Day {
            "booking_start_day_hint"
        } else {
            "booking_start_hint"
        }),
        r,
        c,
    };
    let status = s.err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn resource(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(authed): MaybeUser,
    PageId(id): PageId,
    PageQuery(q): PageQuery<ResourceQuery>,
) -> Response {
    let booking = q.at.map(|at| BookingForm {
        starts_at: at,
        ..BookingForm::default()
    });
    show_resource(
        &state,
        &headers,
        authed.as_ref(),
        id,
        ResourceShown {
            from: q.from,
            booking,
            done: q.done.as_deref(),
            ..ResourceShown::default()
        },
    )
    .await
}

async fn request(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let typed = BookingForm {
        starts_at: f.get("starts_at"),
        units: f.get("units"),
        purpose: f.get("purpose"),
        accept: f.get("accept_safety_notes") == "true",
    };
    let mut local = Vec::new();
    let input = BookingInput {
        starts_at: typed.starts_at.clone(),
        units: whole_number(&mut local, "units", &typed.units),
        purpose: typed.purpose.clone(),
        accept_safety_notes: typed.accept,
    };
    let c = ctx(&authed, ip);
    match actions::request(&state, &c, id, &input).await {
        Ok(d) => Redirect::to(&format!(
            "/pilot/bookings/{}?done=booking_requested",
            d.booking.id
        ))
        .into_response(),
        Err(e) => {
            let e = merged(local, e);
            if !is_form_error(&e) {
                return error_page(&state, &headers, Some(&authed), &e);
            }
            let e = scoped(
                e,
                "",
                &["starts_at", "units", "purpose", "accept_safety_notes"],
            );
            // The calendar from the week of the time asked for, to show what holds it.
            let from = pilot::parse_slot("starts_at", &typed.starts_at)
                .ok()
                .map(|s| {
                    let d = pilot::date_of_slot(s);
                    d.plus_days(-i64::from(pilot::weekday_of_slot(s)))
                        .to_string()
                });
            show_resource(
                &state,
                &headers,
                Some(&authed),
                id,
                ResourceShown {
                    from,
                    booking: Some(typed),
                    err: Some(&e),
                    ..ResourceShown::default()
                },
            )
            .await
        }
    }
}

async fn add_block(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let typed = BlockForm {
        starts_at: f.get("starts_at"),
        ends_at: f.get("ends_at"),
        reason: f.get("reason"),
    };
    let input = BlockInput {
        starts_at: typed.starts_at.clone(),
        ends_at: typed.ends_at.clone(),
        reason: typed.reason.clone(),
    };
    let c = ctx(&authed, ip);
    match actions::add_block(&state, &c, id, &input).await {
        Ok(b) => {
            let from = pilot::date_of_slot(b.start_slot);
            Redirect::to(&format!(
                "/pilot/resources/{id}?from={from}&done=maintenance_added#calendar"
            ))
            .into_response()
        }
        Err(e) if is_form_error(&e) => {
            let e = scoped(e, "block", &["starts_at", "ends_at", "reason"]);
            show_resource(
                &state,
                &headers,
                Some(&authed),
                id,
                ResourceShown {
                    block: Some(typed),
                    err: Some(&e),
                    ..ResourceShown::default()
                },
            )
            .await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn remove_block(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, block_id): PageIds,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let c = ctx(&authed, ip);
    match actions::remove_block(&state, &c, id, block_id).await {
        Ok(()) => {
            let from = f.get("from");
            let from = if IsoDate::parse(&from).is_ok() {
                format!("from={from}&")
            } else {
                String::new()
            };
            Redirect::to(&format!(
                "/pilot/resources/{id}?{from}done=maintenance_removed#calendar"
            ))
            .into_response()
        }
        Err(e) => refusal_page(
            &state,
            &headers,
            &authed,
            &format!("/pilot/resources/{id}"),
            &e,
        ),
    }
}

async fn set_active(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let f = Fields(pairs);
    if !f.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let active = f.get("active") == "true";
    let c = ctx(&authed, ip);
    match actions::set_active(&state, &c, id, active).await {
        Ok(_) => {
            let done = if active {
                "resource_offered"
            } else {
                "resource_withdrawn"
            };
            Redirect::to(&format!("/pilot/resources/{id}?done={done}")).into_response()
        }
        Err(e) => refusal_page(
            &state,
            &headers,
            &authed,
            &format!("/pilot/resources/{id}"),
            &e,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The resource form

/// The resource form as typed.
#[derive(Debug, Clone, Default)]
struct ResourceForm {
    kind: String,
    name: String,
    capabilities: String,
    place: String,
    unit: String,
    batch_hours: String,
    price: String,
    discount_pct: String,
    carrier_id: String,
    open_days: Vec<String>,
    open_from: String,
    open_to: String,
    cancel_hours: String,
    horizon_days: String,
    safety_notes: String,
    prepay: bool,
    listing_id: String,
}

impl ResourceForm {
    /// What a new resource's form starts with: by the hour, on workdays 08:00–18:00.
    fn new() -> ResourceForm {
        ResourceForm {
            unit: "hour".into(),
            open_days: (1..=5).map(|d: i64| d.to_string()).collect(),
            open_from: "8".into(),
            open_to: "18".into(),
            cancel_hours: "24".into(),
            horizon_days: fruition_domain::pilot::DEFAULT_HORIZON_DAYS.to_string(),
            discount_pct: "0".into(),
            ..ResourceForm::default()
        }
    }

    fn from_fields(f: &Fields) -> ResourceForm {
        ResourceForm {
            kind: f.get("kind"),
            name: f.get("name"),
            capabilities: f.get("capabilities"),
            place: f.get("place"),
            unit: f.get("unit"),
            batch_hours: f.get("batch_hours"),
            price: f.get("price"),
            discount_pct: f.get("incubatee_discount_pct"),
            carrier_id: f.get("discount_carrier_id"),
            open_days: f.all("open_days"),
            open_from: f.get("open_from"),
            open_to: f.get("open_to"),
            cancel_hours: f.get("cancel_hours"),
            horizon_days: f.get("horizon_days"),
            safety_notes: f.get("safety_notes"),
            prepay: f.get("prepay_if_overdue") == "true",
            listing_id: f.get("listing_id"),
        }
    }

    fn from_view(r: &ResourceView) -> ResourceForm {
        ResourceForm {
            kind: r.kind.code().into(),
            name: r.name.clone(),
            capabilities: r.capabilities.clone(),
            place: r.place.clone(),
            unit: r.unit.code().into(),
            batch_hours: if r.unit == Unit::Batch {
                r.batch_hours.to_string()
            } else {
                String::new()
            },
            price: plain_yuan(r.price_fen),
            discount_pct: r.incubatee_discount_pct.to_string(),
            carrier_id: r
                .discount_carrier_id
                .map(|c| c.to_string())
                .unwrap_or_default(),
            open_days: r.open_days.iter().map(|d| d.to_string()).collect(),
            open_from: r.open_from.to_string(),
            open_to: r.open_to.to_string(),
            cancel_hours: r.cancel_hours.to_string(),
            horizon_days: r.horizon_days.to_string(),
            safety_notes: r.safety_notes.clone().unwrap_or_default(),
            prepay: r.prepay_if_overdue,
            listing_id: r.listing_id.map(|l| l.to_string()).unwrap_or_default(),
        }
    }

    /// The action's input, and the problems found reading numbers.
    fn input(&self) -> (ResourceInput, Vec<Problem>) {
        let mut local = Vec::new();
        let id = |s: &str| s.trim().parse::<i64>().ok();
        let mut open_days = Vec::new();
        for d in &self.open_days {
            if let Some(n) = whole_number(&mut local, "open_days", d) {
                open_days.push(n);
            }
        }
        let input = ResourceInput {
            kind: self.kind.clone(),
            name: self.name.clone(),
            capabilities: self.capabilities.clone(),
            place: self.place.clone(),
            unit: self.unit.clone(),
            batch_hours: whole_number(&mut local, "batch_hours", &self.batch_hours),
            price: self.price.clone(),
            incubatee_discount_pct: whole_number(
                &mut local,
                "incubatee_discount_pct",
                &self.discount_pct,
            ),
            discount_carrier_id: id(&self.carrier_id),
            open_days,
            open_from: whole_number(&mut local, "open_from", &self.open_from),
            open_to: whole_number(&mut local, "open_to", &self.open_to),
            cancel_hours: whole_number(&mut local, "cancel_hours", &self.cancel_hours),
            horizon_days: whole_number(&mut local, "horizon_days", &self.horizon_days),
            safety_notes: self.safety_notes.clone(),
            prepay_if_overdue: self.prepay,
            listing_id: id(&self.listing_id),
        };
        (input, local)
    }
}

#[derive(Template)]
#[template(path = "pilot_resource_form.html")]
struct FormPage {
    c: Chrome,
    sub: SubNav,
    action: String,
    cancel: String,
    f: ResourceForm,
    kinds: Vec<Opt>,
    units: Vec<Opt>,
    carriers: Vec<Opt>,
    days: Vec<Opt>,
    from_hours: Vec<Opt>,
    to_hours: Vec<Opt>,
    listings: Vec<Opt>,
}

async fn form_page(
    state: &AppState,
    authed: &Authed,
    c: Chrome,
    id: Option<i64>,
    f: ResourceForm,
) -> Result<FormPage, AppError> {
    let cx = ctx(authed, String::new());
    let lang = c.lang;
    // Any carrier's incubatees may get the discount; the caller's own carriers first.
    let filter = fruition_store::carriers::CarrierFilter {
        status: Some(CarrierStatus::Active),
        ..Default::default()
    };
    let mut carriers =
        fruition_app::carriers::list(state, &cx, fruition_store::carriers::CURRENT, &filter)
            .await?;
    let me = authed.principal.user.org_id;
    carriers.sort_by_key(|k| (k.operator_org_id != me, k.name.clone()));
    let listings = fruition_app::market::mine(state, &cx, None, None).await?;
    let hour = |h: i64| format!("{h:02}:00");
    Ok(FormPage {
        sub: subnav(&c, Some(authed)),
        action: match id {
            Some(id) => format!("/pilot/resources/{id}/edit"),
            None => "/pilot/resources/new".into(),
        },
        cancel: match id {
            Some(id) => format!("/pilot/resources/{id}"),
            None => "/pilot/mine".into(),
        },
        kinds: kind_opts(lang, &f.kind),
        units: Unit::ALL
            .iter()
            .map(|u| Opt::new(u.code(), u.label(lang), u.code() == f.unit))
            .collect(),
        carriers: carriers
            .iter()
            .map(|k| {
                let id = k.id.to_string();
                let sel = id == f.carrier_id;
                Opt::new(id, &k.name, sel)
            })
            .collect(),
        days: (1..=7)
            .map(|d: usize| {
                let code = d.to_string();
                let sel = f.open_days.contains(&code);
                Opt::new(code, weekday(lang, d - 1), sel)
            })
            .collect(),
        from_hours: (0..=23)
            .map(|h| Opt::new(h.to_string(), hour(h), h.to_string() == f.open_from))
            .collect(),
        to_hours: (1..=24)
            .map(|h| Opt::new(h.to_string(), hour(h), h.to_string() == f.open_to))
            .collect(),
        listings: listings
            .iter()
            .map(|l| {
                let id = l.id.to_string();
                let sel = id == f.listing_id;
                Opt::new(id, &l.title, sel)
            })
            .collect(),
        f,
        c,
    })
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
) -> Response {
    if can(&authed.principal.actor(), &Action::CreateResource).is_err() {
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
        "/pilot/resources/new",
        "new_resource",
    );
    match form_page(&state, &authed, c, None, ResourceForm::new()).await {
        Ok(p) => render(&p),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let f = ResourceForm::from_fields(&fields);
    let (input, local) = f.input();
    let c = ctx(&authed, ip);
    let result = actions::create_resource(&state, &c, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(r) => Redirect::to(&format!("/pilot/resources/{}?done=created", r.id)).into_response(),
        Err(err) if is_form_error(&err) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/pilot/resources/new",
                "new_resource",
            )
            .with_errors(&err);
            match form_page(&state, &authed, chrome, None, f).await {
                Ok(p) => render_status(err.status(), &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

/// The resource to edit, if this user may.
async fn editable(state: &AppState, c: &Ctx<'_>, id: i64) -> Result<ResourceView, AppError> {
    let r = actions::get_resource(state, Some(c.principal), id).await?;
    c.require(Action::ManageResource {
        owner_org_id: r.owner_org_id,
    })?;
    Ok(r)
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let c = ctx(&authed, ip);
    let r = match editable(&state, &c, id).await {
        Ok(r) => r,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/pilot/resources/{id}/edit"),
        "edit_resource",
    );
    chrome.title = format!("{} – {}", chrome.t("edit_resource"), r.name);
    match form_page(
        &state,
        &authed,
        chrome,
        Some(id),
        ResourceForm::from_view(&r),
    )
    .await
    {
        Ok(p) => render(&p),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn update(
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
    let c = ctx(&authed, ip);
    let f = ResourceForm::from_fields(&fields);
    let (input, local) = f.input();
    let result = actions::update_resource(&state, &c, id, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(_) => Redirect::to(&format!("/pilot/resources/{id}?done=saved")).into_response(),
        Err(err) if is_form_error(&err) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/pilot/resources/{id}/edit"),
                "edit_resource",
            )
            .with_errors(&err);
            match form_page(&state, &authed, chrome, Some(id), f).await {
                Ok(p) => render_status(err.status(), &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}
