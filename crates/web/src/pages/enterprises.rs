//! Enterprises: the list (keyset paging), registering one (the bureau, or a carrier manager into
//! their own carrier), its page with incubation spells and yearly figures, entering a carrier,
//! graduating or leaving, and editing the profile.

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
use fruition_domain::indicators::FIELDS;
use fruition_domain::reference::industry_divisions;
use fruition_domain::uscc::Uscc;
use fruition_sheets::Value;
use fruition_store::enterprises::{Enterprise, EnterpriseFilter, EnterpriseRow};
use serde::Deserialize;

use super::carriers::{own_carriers, query_pair};
use super::export::{self, Export};
use super::forms::{
    Fields, Opt, chain_opts, county_opts, ctx, is_bureau, is_form_error, merged, operates_carriers,
    problem, zone_opts,
};
use super::{Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::HttpError;
use crate::error::{AppError, Problem};
use fruition_app::Ctx;
use fruition_app::carriers;
use fruition_app::enterprises::{self, EnterInput, EnterpriseDetail, EnterpriseInput, ExitInput};
use fruition_app::reference::{Lookups, county_name};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/enterprises", get(list))
        .route("/enterprises/export.xlsx", get(list))
        .route("/enterprises/new", get(new_form).post(create))
        .route("/enterprises/{id}", get(detail))
        .route("/enterprises/{id}/edit", get(edit_form).post(update))
        .route("/enterprises/{id}/incubations", post(enter))
        .route("/enterprises/{id}/exit", post(exit))
}

const PAGE_SIZE: i64 = 50;

/// Every enterprise the filter selects (all pages), as a workbook.
async fn export_all(
    state: &AppState,
    ctx: &Ctx<'_>,
    mut filter: EnterpriseFilter,
    lookups: &Lookups,
    c: &Chrome,
) -> Result<Response, AppError> {
    filter.after_id = None;
    filter.limit = 10_000;
    let mut all: Vec<EnterpriseRow> = Vec::new();
    loop {
        let page = enterprises::list(state, ctx, filter.clone()).await?;
        let done = (page.len() as i64) < filter.limit;
        filter.after_id = page.last().map(|r| r.enterprise.id);
        all.extend(page);
        if done {
            break;
        }
    }
    let yes_no = |b: bool| Value::from(c.t(if b { "yes" } else { "no" }));
    let zone = |r: &EnterpriseRow| {
        lookups
            .zone(r.enterprise.zone_id)
            .map_or(Value::Empty, |z| {
                Value::from(c.lang.pick(&z.name_zh, &z.name_en))
            })
    };
    let sheet = export::sheet(
        c.t("enterprises"),
        &all,
        &[
            (c.t("uscc"), &|r: &EnterpriseRow| {
                Value::from(&r.enterprise.uscc)
            }),
            (c.t("name"), &|r: &EnterpriseRow| {
                Value::from(&r.enterprise.name)
            }),
            (c.t("founded_on"), &|r: &EnterpriseRow| {
                export::opt_text(&r.enterprise.founded_on)
            }),
            (c.t("county"), &|r: &EnterpriseRow| {
                Value::from(county_name(&r.enterprise.county_code))
            }),
            (c.t("zone"), &zone),
            (c.t("chain"), &|r: &EnterpriseRow| {
                Value::from(chain_name(lookups, c, r.enterprise.chain_code.as_deref()))
            }),
            (c.t("industry_division"), &|r: &EnterpriseRow| {
                export::opt_text(&r.enterprise.industry_division)
            }),
            (c.t("high_tech"), &|r: &EnterpriseRow| {
                yes_no(r.enterprise.high_tech)
            }),
            (c.t("tech_sme"), &|r: &EnterpriseRow| {
                yes_no(r.enterprise.tech_sme)
            }),
            (c.t("current_carrier"), &|r: &EnterpriseRow| {
                export::opt_text(&r.carrier_name)
            }),
        ],
    );
    Ok(export::download(c.t("enterprises"), &[sheet]))
}

fn chain_name(lookups: &Lookups, c: &Chrome, code: Option<&str>) -> String {
    lookups
        .chain(code)
        .map(|ch| c.lang.pick(&ch.name_zh, &ch.name_en).to_string())
        .unwrap_or_default()
}

/// Whether the user may register enterprises: the bureau, or a carrier manager with a carrier.
fn may_register(authed: &Authed, own: &[fruition_store::carriers::Carrier]) -> bool {
    let actor = authed.principal.actor();
    can(
        &actor,
        &Action::UpdateEnterprise {
            related_orgs: vec![],
        },
    )
    .is_ok()
        || (!own.is_empty()
            && can(
                &actor,
                &Action::AddIncubatee {
                    operator_org_id: actor.org_id,
                },
            )
            .is_ok())
}

fn carrier_opts(own: &[fruition_store::carriers::Carrier], selected: &str) -> Vec<Opt> {
    own.iter()
        .map(|c| {
            let id = c.id.to_string();
            let sel = id == selected;
            Opt::new(id, &c.name, sel)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The list
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "enterprises.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<Row>,
    q: String,
    chains: Vec<Opt>,
    counties: Vec<Opt>,
    carriers: Vec<Opt>,
    next_href: Option<String>,
    can_create: bool,
    export_href: String,
}

struct Row {
    r: EnterpriseRow,
    county: &'static str,
    chain: String,
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    chain: Option<String>,
    county: Option<String>,
    carrier_id: Option<String>,
    after_id: Option<String>,
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
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/enterprises",
        "enterprises",
    );
    let text = |v: &Option<String>| v.as_deref().map(str::trim).unwrap_or("").to_string();
    let (qs, chain, county, carrier) = (
        text(&q.q),
        text(&q.chain),
        text(&q.county),
        text(&q.carrier_id),
    );
    let lookups = match Lookups::cached(&state).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e.into()),
    };
    let filter = EnterpriseFilter {
        q: (!qs.is_empty()).then(|| qs.clone()),
        chain_code: (!chain.is_empty()).then(|| chain.clone()),
        county_code: (!county.is_empty()).then(|| county.clone()),
        // A carrier that is not a number matches nothing.
        carrier_id: (!carrier.is_empty()).then(|| carrier.parse().unwrap_or(-1)),
        after_id: text(&q.after_id).parse().ok(),
        limit: PAGE_SIZE,
        ..Default::default()
    };
    if export.xlsx {
        return export_all(&state, &ctx, filter, &lookups, &c)
            .await
            .unwrap_or_else(|e| error_page(&state, &headers, Some(&authed), &e));
    }
    let found = match enterprises::list(&state, &ctx, filter).await {
        Ok(f) => f,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    // Carriers to filter by: all for the bureau, a carrier operator's own.
    let carrier_list = if is_bureau(&authed.principal) || operates_carriers(&authed.principal) {
        let filter = fruition_store::carriers::CarrierFilter {
            operator_org_id: (!is_bureau(&authed.principal))
                .then_some(authed.principal.user.org_id),
            ..Default::default()
        };
        match carriers::list(&state, &ctx, fruition_store::carriers::CURRENT, &filter).await {
            Ok(l) => l,
            Err(e) => return error_page(&state, &headers, Some(&authed), &e),
        }
    } else {
        Vec::new()
    };
    let own = match own_carriers(&state, &ctx, Some(CarrierStatus::Active)).await {
        Ok(o) => o,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let next_href = (found.len() as i64 == PAGE_SIZE).then(|| {
        let last = found.last().map(|r| r.enterprise.id).unwrap_or(0);
        format!(
            "/enterprises?{}{}{}{}after_id={last}",
            query_pair("q", &qs),
            query_pair("chain", &chain),
            query_pair("county", &county),
            query_pair("carrier_id", &carrier)
        )
    });
    let rows = found
        .into_iter()
        .map(|r| Row {
            county: county_name(&r.enterprise.county_code),
            chain: chain_name(&lookups, &c, r.enterprise.chain_code.as_deref()),
            r,
        })
        .collect();
    let page = ListPage {
        chains: chain_opts(&lookups, c.lang, std::slice::from_ref(&chain)),
        counties: county_opts(&state, &county),
        carriers: carrier_opts(&carrier_list, &carrier),
        can_create: may_register(&authed, &own),
        export_href: export.href,
        q: qs,
        rows,
        next_href,
        c,
    };
    render(&page)
}

// ---------------------------------------------------------------------------------------------
// The profile form (new and edit)
// ---------------------------------------------------------------------------------------------

#[derive(Default)]
struct EnterpriseForm {
    uscc: String,
    name: String,
    founded_on: String,
    county: String,
    zone: String,
    chain: String,
    industry_division: String,
    high_tech: bool,
    tech_sme: bool,
    parent_uscc: String,
    carrier_id: String,
    entered_on: String,
}

impl EnterpriseForm {
    fn from_fields(f: &Fields) -> EnterpriseForm {
        EnterpriseForm {
            uscc: f.get("uscc"),
            name: f.get("name"),
            founded_on: f.get("founded_on"),
            county: f.get("county"),
            zone: f.get("zone"),
            chain: f.get("chain"),
            industry_division: f.get("industry_division"),
            high_tech: f.get("high_tech") == "true",
            tech_sme: f.get("tech_sme") == "true",
            parent_uscc: f.get("parent_uscc"),
            carrier_id: f.get("carrier_id"),
            entered_on: f.get("entered_on"),
        }
    }

    fn from_detail(d: &EnterpriseDetail, lookups: &Lookups) -> EnterpriseForm {
        let e = &d.enterprise;
        EnterpriseForm {
            uscc: e.uscc.clone(),
            name: e.name.clone(),
            founded_on: e.founded_on.clone().unwrap_or_default(),
            county: e.county_code.clone(),
            zone: lookups
                .zone(e.zone_id)
                .map(|z| z.code.clone())
                .unwrap_or_default(),
            chain: e.chain_code.clone().unwrap_or_default(),
            industry_division: e.industry_division.clone().unwrap_or_default(),
            high_tech: e.high_tech,
            tech_sme: e.tech_sme,
            parent_uscc: d
                .parent
                .as_ref()
                .map(|p| p.uscc.clone())
                .unwrap_or_default(),
            carrier_id: String::new(),
            entered_on: String::new(),
        }
    }

    fn input(&self) -> EnterpriseInput {
        let opt = |s: &str| Some(s.to_string()).filter(|s| !s.trim().is_empty());
        EnterpriseInput {
            uscc: self.uscc.clone(),
            name: self.name.clone(),
            founded_on: opt(&self.founded_on),
            county: self.county.clone(),
            zone: opt(&self.zone),
            chain: opt(&self.chain),
            industry_division: opt(&self.industry_division),
            high_tech: self.high_tech,
            tech_sme: self.tech_sme,
            parent_uscc: opt(&self.parent_uscc),
        }
    }
}

#[derive(Template)]
#[template(path = "enterprise_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    cancel: String,
    f: EnterpriseForm,
    counties: Vec<Opt>,
    zones: Vec<Opt>,
    chains: Vec<Opt>,
    divisions: Vec<Opt>,
    /// Carriers to enter the new enterprise into (empty when editing).
    carriers: Vec<Opt>,
    /// Whether a carrier must be chosen (a carrier manager registers only into their own).
    carrier_required: bool,
    is_new: bool,
}

async fn form_page(
    state: &AppState,
    c: Chrome,
    id: Option<i64>,
    f: EnterpriseForm,
    own: &[fruition_store::carriers::Carrier],
    carrier_required: bool,
) -> Result<FormPage, AppError> {
    let lookups = Lookups::cached(state).await?;
    let lang = c.lang;
    Ok(FormPage {
        action: match id {
            Some(id) => format!("/enterprises/{id}/edit"),
            None => "/enterprises/new".into(),
        },
        cancel: match id {
            Some(id) => format!("/enterprises/{id}"),
            None => "/enterprises".into(),
        },
        counties: county_opts(state, &f.county),
        zones: zone_opts(&lookups, lang, &f.zone),
        chains: chain_opts(&lookups, lang, std::slice::from_ref(&f.chain)),
        divisions: industry_divisions()
            .iter()
            .map(|d| {
                Opt::new(
                    d.code,
                    format!("{} {}", d.code, d.name),
                    d.code == f.industry_division,
                )
            })
            .collect(),
        carriers: if id.is_none() {
            carrier_opts(own, &f.carrier_id)
        } else {
            Vec::new()
        },
        carrier_required,
        is_new: id.is_none(),
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

/// The carriers a user may register into, and whether choosing one is required; 403 for those
/// who may not register enterprises at all.
async fn registering(
    state: &AppState,
    ctx: &Ctx<'_>,
    authed: &Authed,
) -> Result<(Vec<fruition_store::carriers::Carrier>, bool), AppError> {
    let own = own_carriers(state, ctx, Some(CarrierStatus::Active)).await?;
    if !may_register(authed, &own) {
        return Err(AppError::Forbidden("forbidden"));
    }
    Ok((own, !is_bureau(&authed.principal)))
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let ctx = ctx(&authed, ip);
    let (own, required) = match registering(&state, &ctx, &authed).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/enterprises/new",
        "new_enterprise",
    );
    let mut f = EnterpriseForm::default();
    if own.len() == 1 && required {
        f.carrier_id = own[0].id.to_string();
    }
    let page = form_page(&state, c, None, f, &own, required).await;
    show_form(&state, &headers, &authed, StatusCode::OK, page)
}

/// The profile's problems as the action sees them, without saving anything (the transaction is
/// dropped, so rolled back).
async fn profile_problems(state: &AppState, input: &EnterpriseInput) -> Vec<Problem> {
    let Ok(lookups) = Lookups::cached(state).await else {
        return Vec::new();
    };
    let Ok(mut tx) = state.db.begin().await else {
        return Vec::new();
    };
    match enterprises::check(state, &mut tx, &lookups, input).await {
        Err(AppError::Invalid(found)) => found,
        _ => Vec::new(),
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
    let ctx = ctx(&authed, ip);
    let (own, required) = match registering(&state, &ctx, &authed).await {
        Ok(x) => x,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let f = EnterpriseForm::from_fields(&fields);
    let input = f.input();
    // What only the page can see: a carrier must be chosen by a carrier manager, and entering
    // one needs a date.
    let mut local = Vec::new();
    let carrier_id: Option<i64> = match f.carrier_id.trim() {
        "" => {
            if required {
                local.push(problem(
                    "carrier_id",
                    "请选择入孵载体",
                    "Choose the carrier it enters",
                ));
            }
            None
        }
        s => match s.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                local.push(problem("carrier_id", "没有这个载体", "No such carrier"));
                None
            }
        },
    };
    if carrier_id.is_some()
        && let Err(e) = IsoDate::parse_field(&f.entered_on, "entered_on")
    {
        local.push(e.into());
    }
    let result = if local.is_empty() {
        enterprises::create(
            &state,
            &ctx,
            &input,
            carrier_id.map(|id| (id, f.entered_on.as_str())),
        )
        .await
    } else {
        Err(merged(
            local,
            AppError::Invalid(profile_problems(&state, &input).await),
        ))
    };
    match result {
        Ok((e, _warnings)) => {
            // The page shows the code's warnings itself, from the saved code.
            Redirect::to(&format!("/enterprises/{}?done=created", e.id)).into_response()
        }
        Err(err) if is_form_error(&err) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/enterprises/new",
                "new_enterprise",
            )
            .with_errors(&err);
            let page = form_page(&state, c, None, f, &own, required).await;
            show_form(&state, &headers, &authed, err.status(), page)
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let ctx = ctx(&authed, ip);
    let d = match enterprises::get(&state, &ctx, id).await {
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
    let lookups = match Lookups::cached(&state).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e.into()),
    };
    let mut c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/enterprises/{id}/edit"),
        "edit_enterprise",
    );
    c.title = format!("{} – {}", c.t("edit_enterprise"), d.enterprise.name);
    let f = EnterpriseForm::from_detail(&d, &lookups);
    let page = form_page(&state, c, Some(id), f, &[], false).await;
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
    let f = EnterpriseForm::from_fields(&fields);
    match enterprises::update(&state, &ctx, id, &f.input()).await {
        Ok(_) => Redirect::to(&format!("/enterprises/{id}?done=saved")).into_response(),
        Err(err) if is_form_error(&err) => {
            let mut c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/enterprises/{id}/edit"),
                "edit_enterprise",
            )
            .with_errors(&err);
            c.title = format!("{} – {}", c.t("edit_enterprise"), f.name);
            let page = form_page(&state, c, Some(id), f, &[], false).await;
            show_form(&state, &headers, &authed, err.status(), page)
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

// ---------------------------------------------------------------------------------------------
// An enterprise's page
// ---------------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "enterprise.html")]
struct DetailPage {
    c: Chrome,
    e: Enterprise,
    county: &'static str,
    zone: String,
    chain: String,
    division: String,
    parent: Option<Enterprise>,
    /// The code's warnings (e.g. the embedded organisation code fails its check).
    code_warnings: Vec<String>,
    spells: Vec<Spell>,
    years: Vec<i64>,
    figures: Vec<FigureLine>,
    can_edit: bool,
    /// Whether the user may see its credit score (the bureau, the enterprise's own users).
    sees_score: bool,
    /// Carriers the user may enter it into (shown when no spell is open).
    enter_carriers: Vec<Opt>,
    /// The open spell's carrier, when the user may close it.
    exit_from: Option<String>,
    exit_kinds: Vec<Opt>,
    ef: EnterForm,
    xf: ExitForm,
}

struct Spell {
    carrier_id: i64,
    carrier_name: String,
    entered_on: String,
    exited_on: String,
    outcome: &'static str,
    reason: String,
}

struct FigureLine {
    label: &'static str,
    values: Vec<i64>,
}

#[derive(Deserialize, Default)]
struct EnterForm {
    #[serde(default)]
    carrier_id: String,
    #[serde(default)]
    entered_on: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize, Default)]
struct ExitForm {
    #[serde(default)]
    exited_on: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

fn outcome(c: &Chrome, kind: Option<&str>) -> &'static str {
    match kind {
        Some("graduated") => c.t("graduated"),
        Some("left") => c.t("left"),
        Some(_) => "",
        None => c.t("incubating"),
    }
}

async fn detail_page(
    state: &AppState,
    ctx: &Ctx<'_>,
    mut c: Chrome,
    id: i64,
    ef: EnterForm,
    xf: ExitForm,
) -> Result<DetailPage, AppError> {
    let d = enterprises::get(state, ctx, id).await?;
    let lookups = Lookups::cached(state).await?;
    let lang = c.lang;
    let actor = ctx.principal.actor();
    let open = d.incubations.iter().find(|s| s.exited_on.is_none());
    let enter_carriers = if open.is_none() {
        let own = own_carriers(state, ctx, Some(CarrierStatus::Active)).await?;
        carrier_opts(&own, &ef.carrier_id)
    } else {
        Vec::new()
    };
    let exit_from = match open {
        Some(spell) => {
            let carrier = carriers::get(state, ctx, spell.carrier_id).await?.carrier;
            can(
                &actor,
                &Action::UpdateCarrier {
                    operator_org_id: carrier.operator_org_id,
                },
            )
            .is_ok()
            .then(|| spell.carrier_name.clone())
        }
        None => None,
    };
    let years: Vec<i64> = d.indicators.iter().map(|r| r.year).collect();
    let figures = FIELDS
        .iter()
        .map(|(key, zh, en)| FigureLine {
            label: lang.pick(zh, en),
            values: d
                .indicators
                .iter()
                .map(|r| r.indicators().get(key).unwrap_or(0))
                .collect(),
        })
        .collect();
    let code_warnings = Uscc::parse(&d.enterprise.uscc)
        .map(|u| u.warnings())
        .unwrap_or_default()
        .into_iter()
        .map(|w| lang.pick(&w.zh, &w.en).to_string())
        .collect();
    let spells = d
        .incubations
        .iter()
        .map(|s| Spell {
            carrier_id: s.carrier_id,
            carrier_name: s.carrier_name.clone(),
            entered_on: s.entered_on.clone(),
            exited_on: s.exited_on.clone().unwrap_or_default(),
            outcome: outcome(&c, s.exit_kind.as_deref()),
            reason: s.exit_reason.clone().unwrap_or_default(),
        })
        .collect();
    c.title = d.enterprise.name.clone();
    let e = d.enterprise;
    Ok(DetailPage {
        county: county_name(&e.county_code),
        zone: lookups
            .zone(e.zone_id)
            .map(|z| lang.pick(&z.name_zh, &z.name_en).to_string())
            .unwrap_or_default(),
        chain: chain_name(&lookups, &c, e.chain_code.as_deref()),
        division: e
            .industry_division
            .as_deref()
            .and_then(fruition_domain::reference::industry_division)
            .map(|d| format!("{} {}", d.code, d.name))
            .unwrap_or_default(),
        parent: d.parent,
        code_warnings,
        spells,
        years,
        figures,
        can_edit: d.can_edit,
        sees_score: can(
            &actor,
            &Action::ViewCreditScore {
                enterprise_org_id: e.org_id,
                bank_org_ids: Vec::new(),
            },
        )
        .is_ok(),
        enter_carriers,
        exit_from,
        exit_kinds: [("graduated", "graduated"), ("left", "left")]
            .iter()
            .map(|(code, key)| Opt::new(*code, c.t(key), xf.kind == *code))
            .collect(),
        ef,
        xf,
        e,
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
        &format!("/enterprises/{id}"),
        "enterprise",
    )
    .with_notice(q.done.as_deref());
    match detail_page(
        &state,
        &ctx,
        c,
        id,
        EnterForm::default(),
        ExitForm::default(),
    )
    .await
    {
        Ok(page) => render(&page),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn detail_with_errors(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ctx: &Ctx<'_>,
    id: i64,
    err: &AppError,
    (ef, xf): (EnterForm, ExitForm),
) -> Response {
    let c = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/enterprises/{id}"),
        "enterprise",
    )
    .with_errors(err);
    match detail_page(state, ctx, c, id, ef, xf).await {
        Ok(page) => render_status(err.status(), &page),
        Err(e) => error_page(state, headers, Some(authed), &e),
    }
}

async fn enter(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<EnterForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let Ok(carrier_id) = f.carrier_id.trim().parse::<i64>() else {
        let err = AppError::Invalid(vec![problem(
            "carrier_id",
            "请选择载体",
            "Choose the carrier",
        )]);
        return detail_with_errors(
            &state,
            &headers,
            &authed,
            &ctx,
            id,
            &err,
            (f, ExitForm::default()),
        )
        .await;
    };
    let input = EnterInput {
        carrier_id,
        entered_on: f.entered_on.clone(),
    };
    match enterprises::enter(&state, &ctx, id, &input).await {
        Ok(_) => Redirect::to(&format!("/enterprises/{id}?done=entered")).into_response(),
        Err(err) if is_form_error(&err) => {
            detail_with_errors(
                &state,
                &headers,
                &authed,
                &ctx,
                id,
                &err,
                (f, ExitForm::default()),
            )
            .await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

async fn exit(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<ExitForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = ctx(&authed, ip);
    let input = ExitInput {
        exited_on: f.exited_on.clone(),
        kind: f.kind.clone(),
        reason: Some(f.reason.clone()),
    };
    match enterprises::exit(&state, &ctx, id, &input).await {
        Ok(_) => Redirect::to(&format!("/enterprises/{id}?done=exited")).into_response(),
        Err(err) if is_form_error(&err) => {
            detail_with_errors(
                &state,
                &headers,
                &authed,
                &ctx,
                id,
                &err,
                (EnterForm::default(), f),
            )
            .await
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}
