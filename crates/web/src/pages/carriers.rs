//! Carriers (双创孵化载体): the registry's list, the profile forms, and a carrier's page with its
//! rating history and the bureau's rating and revocation forms.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::carrier::{CarrierKind, CarrierStatus, Level};
use fruition_domain::lang::Lang;
use fruition_domain::org::OrgKind;
use fruition_sheets::Value;
use fruition_store::carriers::{CURRENT, Carrier, CarrierFilter};
use serde::Deserialize;

use super::export::{self, Export};
use super::forms::{
    Fields, Opt, chain_opts, county_opts, ctx, is_bureau, is_form_error, merged, problem,
    whole_number, zone_opts,
};
use super::{
    Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form, url_encode,
};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::HttpError;
use crate::error::{AppError, Problem};
use fruition_app::carriers::{self, CarrierDetail, CarrierInput, RatingInput, RevokeInput};
use fruition_app::reference::{self, Lookups};
use fruition_app::{Ctx, organisations, reports};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/carriers", get(list))
        .route("/carriers/export.xlsx", get(list))
        .route("/carriers/new", get(new_form).post(create))
        .route("/carriers/{id}", get(detail))
        .route("/carriers/{id}/edit", get(edit_form).post(update))
        .route("/carriers/{id}/ratings", post(rate))
        .route("/carriers/{id}/revocation", post(revoke))
}

/// Where a carrier is: its zone's name when in one, else its county's.
pub fn place_of(lookups: &Lookups, lang: Lang, c: &Carrier) -> String {
    match lookups.zone(c.zone_id) {
        Some(z) => lang.pick(&z.name_zh, &z.name_en).to_string(),
        None => reference::county_name(&c.county_code).to_string(),
    }
}

/// Carriers the user can add incubatees to (active ones): every one for the bureau, their own
/// organisation's for a carrier manager, none for anyone else.
pub async fn own_carriers(
    state: &AppState,
    ctx: &Ctx<'_>,
    status: Option<CarrierStatus>,
) -> Result<Vec<Carrier>, AppError> {
    let actor = ctx.principal.actor();
    let filter = if is_bureau(ctx.principal) {
        CarrierFilter {
            status,
            ..Default::default()
        }
    } else if can(
        &actor,
        &Action::AddIncubatee {
            operator_org_id: actor.org_id,
        },
    )
    .is_ok()
    {
        CarrierFilter {
            status,
            operator_org_id: Some(actor.org_id),
            ..Default::default()
        }
    } else {
        return Ok(Vec::new());
    };
    carriers::list(state, ctx, CURRENT, &filter).await
}

fn level_label(lang: Lang, level: Option<Level>) -> String {
    level.map(|l| l.label(lang)).unwrap_or("").to_string()
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "carriers.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    kinds: Vec<Opt>,
    levels: Vec<Opt>,
    counties: Vec<Opt>,
    zones: Vec<Opt>,
    statuses: Vec<Opt>,
    q: String,
    can_create: bool,
    export_href: String,
}

struct Row {
    c: Carrier,
    kind: &'static str,
    level: String,
    place: String,
    status: &'static str,
    revoked: bool,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    kind: Option<String>,
    level: Option<String>,
    county: Option<String>,
    zone: Option<String>,
    status: Option<String>,
    q: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ListQuery>,
    export: Export,
) -> Response {
    let ctx = ctx(&authed, ip);
    let c = Chrome::new(&state, &headers, Some(&authed), "/carriers", "carriers");
    let lookups = match Lookups::cached(&state).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e.into()),
    };
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let (kind, level, county, zone, status) = (
        text(&q.kind),
        text(&q.level),
        text(&q.county),
        text(&q.zone),
        text(&q.status),
    );
    let filter = CarrierFilter {
        kind: CarrierKind::parse(&kind),
        level: Level::parse(&level),
        county_code: (!county.is_empty()).then(|| county.clone()),
        zone_id: lookups.find_zone(&zone).map(|z| z.id).or_else(|| {
            // An unknown zone matches nothing rather than everything.
            (!zone.is_empty()).then_some(-1)
        }),
        operator_org_id: None,
        status: CarrierStatus::parse(&status),
        q: q.q.clone(),
    };
    let found = match carriers::list(&state, &ctx, CURRENT, &filter).await {
        Ok(f) => f,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let lang = c.lang;
    if export.xlsx {
        let chains = |x: &Carrier| {
            let names: Vec<&str> = x
                .focus_chains
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|code| {
                    lookups
                        .chain(Some(code))
                        .map_or(code, |ch| lang.pick(&ch.name_zh, &ch.name_en))
                })
                .collect();
            Value::from(names.join("、"))
        };
        let sheet = export::sheet(
            c.t("carriers"),
            &found,
            &[
                (c.t("name"), &|x: &Carrier| Value::from(&x.name)),
                (c.t("carrier_kind"), &|x: &Carrier| {
                    Value::from(x.kind.label(lang))
                }),
                (c.t("level"), &|x: &Carrier| {
                    Value::from(level_label(lang, x.level()))
                }),
                (c.t("operator"), &|x: &Carrier| {
                    Value::from(&x.operator_name)
                }),
                (c.t("place"), &|x: &Carrier| {
                    Value::from(place_of(&lookups, lang, x))
                }),
                (c.t("address"), &|x: &Carrier| export::opt_text(&x.address)),
                (c.t("floor_area_m2"), &|x: &Carrier| {
                    Value::from(x.floor_area_m2)
                }),
                (c.t("focus_chains"), &chains),
                (c.t("established_year"), &|x: &Carrier| {
                    Value::from(x.established_year)
                }),
                (c.t("status"), &|x: &Carrier| {
                    Value::from(x.status.label(lang))
                }),
            ],
        );
        return export::download(c.t("carriers"), &[sheet]);
    }
    let rows = found
        .into_iter()
        .map(|carrier| Row {
            kind: carrier.kind.label(lang),
            level: level_label(lang, carrier.level()),
            place: place_of(&lookups, lang, &carrier),
            status: carrier.status.label(lang),
            revoked: carrier.status == CarrierStatus::Revoked,
            c: carrier,
        })
        .collect();
    let page = ListPage {
        kinds: CarrierKind::ALL
            .iter()
            .map(|k| Opt::new(k.code(), k.label(lang), k.code() == kind))
            .collect(),
        levels: Level::ALL
            .iter()
            .map(|l| Opt::new(l.code(), l.label(lang), l.code() == level))
            .collect(),
        counties: county_opts(&state, &county),
        zones: zone_opts(&lookups, lang, &zone),
        statuses: CarrierStatus::ALL
            .iter()
            .map(|s| Opt::new(s.code(), s.label(lang), s.code() == status))
            .collect(),
        q: q.q.unwrap_or_default(),
        can_create: can(&authed.principal.actor(), &Action::RegisterCarrier).is_ok(),
        export_href: export.href,
        rows,
        c,
    };
    render(&page)
}

// ---------------------------------------------------------------------------------------------
// The profile form (new and edit)
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct CarrierForm {
    name: String,
    kind: String,
    operator_org_id: String,
    county: String,
    zone: String,
    address: String,
    floor_area_m2: String,
    focus_chains: Vec<String>,
    established_year: String,
}

impl CarrierForm {
    fn from_fields(f: &Fields) -> CarrierForm {
        CarrierForm {
            name: f.get("name"),
            kind: f.get("kind"),
            operator_org_id: f.get("operator_org_id"),
            county: f.get("county"),
            zone: f.get("zone"),
            address: f.get("address"),
            floor_area_m2: f.get("floor_area_m2"),
            focus_chains: f.all("focus_chains"),
            established_year: f.get("established_year"),
        }
    }

    fn from_carrier(c: &Carrier, lookups: &Lookups) -> CarrierForm {
        CarrierForm {
            name: c.name.clone(),
            kind: c.kind.code().into(),
            operator_org_id: c.operator_org_id.to_string(),
            county: c.county_code.clone(),
            zone: lookups
                .zone(c.zone_id)
                .map(|z| z.code.clone())
                .unwrap_or_default(),
            address: c.address.clone().unwrap_or_default(),
            floor_area_m2: c.floor_area_m2.map(|a| a.to_string()).unwrap_or_default(),
            focus_chains: c
                .focus_chains
                .split(',')
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            established_year: c.established_year.to_string(),
        }
    }

    /// The action's input, with the problems only the page can see (numbers that are not numbers).
    /// A field with such a problem is sent as a value the action refuses too, so nothing is saved.
    fn input(&self) -> (CarrierInput, Vec<Problem>) {
        let mut p = Vec::new();
        let operator_org_id = if self.operator_org_id.trim().is_empty() {
            p.push(problem(
                "operator_org_id",
                "请选择运营主体",
                "Choose the operator",
            ));
            0
        } else {
            whole_number(&mut p, "operator_org_id", &self.operator_org_id).unwrap_or(0)
        };
        let floor_area_m2 = match whole_number(&mut p, "floor_area_m2", &self.floor_area_m2) {
            None if !self.floor_area_m2.trim().is_empty() => Some(-1),
            other => other,
        };
        let established_year = if self.established_year.trim().is_empty() {
            p.push(problem(
                "established_year",
                "请填写成立年份",
                "Give the year established",
            ));
            0
        } else {
            whole_number(&mut p, "established_year", &self.established_year).unwrap_or(0)
        };
        let input = CarrierInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            operator_org_id,
            county: self.county.clone(),
            zone: Some(self.zone.clone()),
            address: Some(self.address.clone()),
            floor_area_m2,
            focus_chains: self.focus_chains.clone(),
            established_year,
        };
        (input, p)
    }
}

/// What a carrier manager sees instead of the fields only the bureau changes.
struct Locked {
    kind: &'static str,
    operator: String,
}

#[derive(Template)]
#[template(path = "carrier_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    cancel: String,
    f: CarrierForm,
    kinds: Vec<Opt>,
    operators: Vec<Opt>,
    counties: Vec<Opt>,
    zones: Vec<Opt>,
    chains: Vec<Opt>,
    locked: Option<Locked>,
}

/// Organisations that may operate a carrier: carrier operators and institutions (active ones,
/// and the current operator).
async fn operator_opts(
    state: &AppState,
    ctx: &Ctx<'_>,
    selected: &str,
) -> Result<Vec<Opt>, AppError> {
    let mut orgs = organisations::list(state, ctx, Some(OrgKind::CarrierOperator), None).await?;
    orgs.extend(organisations::list(state, ctx, Some(OrgKind::Institution), None).await?);
    orgs.retain(|o| o.active || o.id.to_string() == selected);
    orgs.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(orgs
        .into_iter()
        .map(|o| {
            let id = o.id.to_string();
            let selected = id == selected;
            Opt::new(id, o.name, selected)
        })
        .collect())
}

async fn form_page(
    state: &AppState,
    ctx: &Ctx<'_>,
    c: Chrome,
    id: Option<i64>,
    f: CarrierForm,
    locked: Option<Locked>,
) -> Result<FormPage, AppError> {
    let lookups = Lookups::cached(state).await?;
    let lang = c.lang;
    let operators = if locked.is_some() {
        Vec::new()
    } else {
        operator_opts(state, ctx, &f.operator_org_id).await?
    };
    Ok(FormPage {
        action: match id {
            Some(id) => format!("/carriers/{id}/edit"),
            None => "/carriers/new".into(),
        },
        cancel: match id {
            Some(id) => format!("/carriers/{id}"),
            None => "/carriers".into(),
        },
        kinds: CarrierKind::ALL
            .iter()
            .map(|k| Opt::new(k.code(), k.label(lang), k.code() == f.kind))
            .collect(),
        operators,
        counties: county_opts(state, &f.county),
        zones: zone_opts(&lookups, lang, &f.zone),
        chains: chain_opts(&lookups, lang, &f.focus_chains),
        locked,
        f,
        c,
    })
}

fn show_form(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    status: StatusCode,
    page: Result<FormPage, AppError>,
) -> Response {
    match page {
        Ok(p) => render_status(status, &p),
        Err(e) => error_page(state, headers, Some(authed), &e),
    }
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    if let Err(d) = can(&authed.principal.actor(), &Action::RegisterCarrier) {
        return error_page(&state, &headers, Some(&authed), &AppError::denied(d));
    }
    let ctx = ctx(&authed, ip);
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/carriers/new",
        "new_carrier",
    );
    let page = form_page(&state, &ctx, c, None, CarrierForm::default(), None).await;
    show_form(&state, &headers, &authed, StatusCode::OK, page)
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
    let ctx = ctx(&authed, ip);
    let f = CarrierForm::from_fields(&fields);
    let (input, local) = f.input();
    let result = carriers::create(&state, &ctx, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(carrier) => {
            Redirect::to(&format!("/carriers/{}?done=created", carrier.id)).into_response()
        }
        Err(err) if is_form_error(&err) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/carriers/new",
                "new_carrier",
            )
            .with_errors(&err);
            let page = form_page(&state, &ctx, c, None, f, None).await;
            show_form(&state, &headers, &authed, err.status(), page)
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

/// The carrier to edit, if this user may.
async fn editable(state: &AppState, ctx: &Ctx<'_>, id: i64) -> Result<CarrierDetail, AppError> {
    let d = carriers::get(state, ctx, id).await?;
    ctx.require(Action::UpdateCarrier {
        operator_org_id: d.carrier.operator_org_id,
    })?;
    Ok(d)
}

/// Kind and operator, read-only for anyone but the bureau.
fn locked_fields(c: &Chrome, ctx: &Ctx<'_>, carrier: &Carrier) -> Option<Locked> {
    (!is_bureau(ctx.principal)).then(|| Locked {
        kind: carrier.kind.label(c.lang),
        operator: carrier.operator_name.clone(),
    })
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let ctx = ctx(&authed, ip);
    let d = match editable(&state, &ctx, id).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let lookups = match Lookups::cached(&state).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e.into()),
    };
    let mut c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/carriers/{id}/edit"),
        "edit_carrier",
    );
    let locked = locked_fields(&c, &ctx, &d.carrier);
    c.title = format!("{} – {}", c.t("edit_carrier"), d.carrier.name);
    let f = CarrierForm::from_carrier(&d.carrier, &lookups);
    let page = form_page(&state, &ctx, c, Some(id), f, locked).await;
    show_form(&state, &headers, &authed, StatusCode::OK, page)
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
    let ctx = ctx(&authed, ip);
    let d = match editable(&state, &ctx, id).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut f = CarrierForm::from_fields(&fields);
    if !is_bureau(&authed.principal) {
        // Kind and operator stay as the bureau set them.
        f.kind = d.carrier.kind.code().into();
        f.operator_org_id = d.carrier.operator_org_id.to_string();
    }
    let (input, local) = f.input();
    let result = carriers::update(&state, &ctx, id, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(_) => Redirect::to(&format!("/carriers/{id}?done=saved")).into_response(),
        Err(err) if is_form_error(&err) => {
            let mut c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/carriers/{id}/edit"),
                "edit_carrier",
            )
            .with_errors(&err);
            c.title = format!("{} – {}", c.t("edit_carrier"), d.carrier.name);
            let locked = locked_fields(&c, &ctx, &d.carrier);
            let page = form_page(&state, &ctx, c, Some(id), f, locked).await;
            show_form(&state, &headers, &authed, err.status(), page)
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

// ---------------------------------------------------------------------------------------------
// A carrier's page
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "carrier.html")]
struct DetailPage {
    c: Chrome,
    carrier: Carrier,
    kind: &'static str,
    level: String,
    county: &'static str,
    zone: String,
    chains: String,
    status: &'static str,
    revoked: bool,
    ratings: Vec<RatingLine>,
    /// The carrier's evaluations (none shown to those who may not read them).
    evaluations: Option<Vec<fruition_app::evaluations::CarrierEvaluationView>>,
    reports: Vec<ReportLine>,
    can_edit: bool,
    can_see_enterprises: bool,
    can_file: bool,
    is_bureau: bool,
    levels: Vec<Opt>,
    rf: RatingForm,
    vf: RevokeForm,
}

struct RatingLine {
    level: &'static str,
    year: i64,
    body: String,
    document_no: String,
}

struct ReportLine {
    id: i64,
    year: i64,
    status: &'static str,
}

#[derive(Deserialize, Default)]
struct RatingForm {
    #[serde(default)]
    level: String,
    #[serde(default)]
    year_granted: String,
    #[serde(default)]
    granting_body: String,
    #[serde(default)]
    document_no: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize, Default)]
struct RevokeForm {
    #[serde(default)]
    revoked_on: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    restore: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn detail_page(
    state: &AppState,
    ctx: &Ctx<'_>,
    mut c: Chrome,
    id: i64,
    rf: RatingForm,
    vf: RevokeForm,
) -> Result<DetailPage, AppError> {
    let d = carriers::get(state, ctx, id).await?;
    let lookups = Lookups::cached(state).await?;
    let lang = c.lang;
    let actor = ctx.principal.actor();
    let operator = d.carrier.operator_org_id;
    let reports = reports::list(state, ctx, None, None)
        .await?
        .into_iter()
        .filter(|r| r.carrier_id == id)
        .map(|r| ReportLine {
            id: r.id,
            year: r.year,
            status: r.status.label(lang),
        })
        .collect();
    let chains = d
        .carrier
        .focus_chains
        .split(',')
        .filter_map(|code| lookups.chain(Some(code)))
        .map(|ch| lang.pick(&ch.name_zh, &ch.name_en))
        .collect::<Vec<_>>()
        .join(lang.pick("、", ", "));
    let evaluations = match fruition_app::evaluations::for_carrier(state, ctx, id).await {
        Ok(list) => Some(list),
        Err(AppError::Forbidden(_)) => None,
        Err(e) => return Err(e),
    };
    c.title = d.carrier.name.clone();
    Ok(DetailPage {
        evaluations,
        kind: d.carrier.kind.label(lang),
        level: level_label(lang, d.carrier.level()),
        county: d.county_name,
        zone: lookups
            .zone(d.carrier.zone_id)
            .map(|z| lang.pick(&z.name_zh, &z.name_en).to_string())
            .unwrap_or_default(),
        chains,
        status: d.carrier.status.label(lang),
        revoked: d.carrier.status == CarrierStatus::Revoked,
        ratings: d
            .ratings
            .iter()
            .map(|r| RatingLine {
                level: r.level.label(lang),
                year: r.year_granted,
                body: r.granting_body.clone(),
                document_no: r.document_no.clone().unwrap_or_default(),
            })
            .collect(),
        reports,
        can_edit: can(
            &actor,
            &Action::UpdateCarrier {
                operator_org_id: operator,
            },
        )
        .is_ok(),
        can_see_enterprises: is_bureau(ctx.principal) || actor.org_id == operator,
        can_file: can(
            &actor,
            &Action::FileReport {
                operator_org_id: operator,
            },
        )
        .is_ok(),
        is_bureau: can(&actor, &Action::RegisterCarrier).is_ok(),
        levels: Level::ALL
            .iter()
            .map(|l| Opt::new(l.code(), l.label(lang), l.code() == rf.level))
            .collect(),
        rf,
        vf,
        carrier: d.carrier,
        c,
    })
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let ctx = ctx(&authed, ip);
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/carriers/{id}"),
        "carrier",
    )
    .with_notice(q.done.as_deref());
    match detail_page(
        &state,
        &ctx,
        c,
        id,
        RatingForm::default(),
        RevokeForm::default(),
    )
    .await
    {
        Ok(page) => render(&page),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

/// The carrier's page again, with the errors of one of its forms.
async fn detail_with_errors(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ctx: &Ctx<'_>,
    id: i64,
    err: &AppError,
    (rf, vf): (RatingForm, RevokeForm),
) -> Response {
    let c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/carriers/{id}"),
        "carrier",
    )
    .with_errors(err);
    match detail_page(state, ctx, c, id, rf, vf).await {
        Ok(page) => render_status(err.status(), &page),
        Err(e) => error_page(state, headers, Some(authed), &e),
    }
}

async fn rate(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<RatingForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let mut local = Vec::new();
    let year = if f.year_granted.trim().is_empty() {
        local.push(problem(
            "year_granted",
            "请填写认定年份",
            "Give the year granted",
        ));
        None
    } else {
        whole_number(&mut local, "year_granted", &f.year_granted)
    };
    let input = RatingInput {
        level: f.level.clone(),
        // A year the action refuses too, when the page could not read one.
        year_granted: year.unwrap_or(0),
        granting_body: f.granting_body.clone(),
        document_no: Some(f.document_no.clone()),
    };
    match carriers::rate(&state, &ctx, id, &input)
        .await
        .map_err(|e| merged(local, e))
    {
        Ok(_) => Redirect::to(&format!("/carriers/{id}?done=rating_recorded")).into_response(),
        Err(err) if is_form_error(&err) => {
            detail_with_errors(
                &state,
                &headers,
                &authed,
                &ctx,
                id,
                &err,
                (f, RevokeForm::default()),
            )
            .await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

async fn revoke(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<RevokeForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let restore = f.restore == "true";
    let input = RevokeInput {
        revoked_on: f.revoked_on.clone(),
        reason: f.reason.clone(),
        restore,
    };
    match carriers::revoke(&state, &ctx, id, &input).await {
        Ok(_) => {
            let done = if restore {
                "carrier_restored"
            } else {
                "carrier_revoked"
            };
            Redirect::to(&format!("/carriers/{id}?done={done}")).into_response()
        }
        Err(err) if is_form_error(&err) => {
            detail_with_errors(
                &state,
                &headers,
                &authed,
                &ctx,
                id,
                &err,
                (RatingForm::default(), f),
            )
            .await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

/// A query string value for links that keep filters.
pub fn query_pair(key: &str, value: &str) -> String {
    if value.trim().is_empty() {
        String::new()
    } else {
        format!("{key}={}&", url_encode(value.trim()))
    }
}
