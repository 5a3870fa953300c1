//! Need-collection campaigns as the bureau and the carriers work them: the list (with the
//! bureau's form to open one); a campaign's page with each carrier's coverage, the firms asked
//! and the needs collected (links to the market), and — for a carrier manager while the campaign
//! takes needs — the forms to record a firm asked and to collect a need; the bureau closes it
//! there. Every rule is the actions' (`fruition_app::campaigns`).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_domain::authz::{Action, can};
use fruition_domain::campaign::ContactOutcome;
use serde::Deserialize;

use super::forms::{Opt, PageForm, chain_opts, ctx, tech_field_opts};
use super::mentors::sub_nav;
use super::pilot::scoped;
use super::{Chrome, PageId, error_page, render_status};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};
use fruition_app::campaigns::{
    self as actions, CampaignContactInput, CampaignDetailView, CampaignInput, CampaignQuery,
    CampaignView, CollectNeedInput,
};
use fruition_app::market::ListingInput;
use fruition_app::reference::Lookups;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/campaigns", get(list).post(open))
        .route("/campaigns/{id}", get(detail))
        .route("/campaigns/{id}/closure", post(close))
        .route("/campaigns/{id}/contacts", post(ask))
        .route("/campaigns/{id}/needs", post(collect))
}

/// Notices the redirects may ask for (`?done=…`): only these keys.
const NOTICES: &[&str] = &[
    "campaign_opened",
    "campaign_closed",
    "campaign_contact_recorded",
    "campaign_need_collected",
];

/// The page's notice for `done`, when it is one of [`NOTICES`].
fn with_notice(c: Chrome, done: Option<&str>) -> Chrome {
    c.with_done(done, NOTICES)
}

fn opens(authed: &Authed) -> bool {
    can(&authed.principal.actor(), &Action::OpenCampaign).is_ok()
}

#[derive(Deserialize, Default)]
struct DoneQuery {
    done: Option<String>,
}

/// The new campaign's form as typed.
#[derive(Debug, Clone, Default)]
struct OpenForm {
    title: String,
    theme: String,
    opens_on: String,
    deadline: String,
    chains: Vec<String>,
}

#[derive(Template)]
#[template(path = "campaigns.html")]
struct ListPage {
    c: Chrome,
    sub: Vec<(String, &'static str, bool)>,
    campaigns: Vec<CampaignView>,
    can_open: bool,
    chains: Vec<Opt>,
    f: OpenForm,
}

async fn list_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    done: Option<&str>,
    f: OpenForm,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let campaigns = match actions::list(state, &c, &CampaignQuery::default()).await {
        Ok(x) => x,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e.into()),
    };
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        "/campaigns",
        "campaigns_title",
    );
    chrome = with_notice(chrome, done);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let page = ListPage {
        sub: sub_nav(&chrome, authed),
        chains: chain_opts(&lookups, chrome.lang, &f.chains),
        can_open: opens(authed),
        campaigns,
        f: OpenForm {
            opens_on: if f.opens_on.is_empty() && err.is_none() {
                fruition_app::clock::today()
            } else {
                f.opens_on.clone()
            },
            ..f
        },
        c: chrome,
    };
    render_status(err.map(|e| e.status()).unwrap_or(StatusCode::OK), &page)
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<DoneQuery>,
) -> Response {
    list_page(
        &state,
        &headers,
        &authed,
        ip,
        q.done.as_deref(),
        OpenForm::default(),
        None,
    )
    .await
}

async fn open(form: PageForm) -> Response {
    let f = OpenForm {
        title: form.get("title"),
        theme: form.get("theme"),
        opens_on: form.get("opens_on"),
        deadline: form.get("deadline"),
        chains: form
            .fields
            .all("chains")
            .into_iter()
            .filter(|s| !s.trim().is_empty())
            .collect(),
    };
    let input = CampaignInput {
        title: f.title.clone(),
        theme: f.theme.clone(),
        opens_on: Some(f.opens_on.clone()),
        deadline: f.deadline.clone(),
        chains: f.chains.clone(),
    };
    let result = actions::open(&form.state, &form.ctx(), &input).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |c| format!("/campaigns/{}?done=campaign_opened", c.id),
        |e| async move {
            list_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                None,
                f,
                Some(&e),
            )
            .await
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// A campaign

/// The carrier's forms as typed. `firm` is `carrier_id:enterprise_id`.
#[derive(Debug, Clone, Default)]
struct CarrierForm {
    firm: String,
    outcome: String,
    note: String,
    title: String,
    summary: String,
    field: String,
    chain: String,
    trl: String,
    budget: String,
    deadline: String,
    indicators: String,
}

impl CarrierForm {
    fn of(form: &PageForm) -> CarrierForm {
        CarrierForm {
            firm: form.get("firm"),
            outcome: form.get("outcome"),
            note: form.get("note"),
            title: form.get("title"),
            summary: form.get("summary"),
            field: form.get("field"),
            chain: form.get("chain"),
            trl: form.get("trl"),
            budget: form.get("budget"),
            deadline: form.get("deadline"),
            indicators: form.get("indicators"),
        }
    }

    /// The carrier and the enterprise chosen (zeros when nothing was: the action names them).
    fn firm(&self) -> (i64, i64) {
        let (c, e) = self.firm.split_once(':').unwrap_or(("0", "0"));
        (c.trim().parse().unwrap_or(0), e.trim().parse().unwrap_or(0))
    }
}

#[derive(Template)]
#[template(path = "campaign.html")]
struct CampaignPage {
    c: Chrome,
    sub: Vec<(String, &'static str, bool)>,
    d: CampaignDetailView,
    can_close: bool,
    collects: bool,
    firms: Vec<Opt>,
    ask_firms: Vec<Opt>,
    outcomes: Vec<Opt>,
    fields: Vec<Opt>,
    chains: Vec<Opt>,
    /// Whether the need's chain may be left out (the campaign names no chains).
    chain_optional: bool,
    f: CarrierForm,
}

#[allow(clippy::too_many_arguments)]
async fn campaign_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    done: Option<&str>,
    f: CarrierForm,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let d = match actions::get(state, &c, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    // A carrier manager's firms: every incubatee of each of its carriers while the campaign ran.
    let mut firms = Vec::new();
    let collects = d.campaign.takes_needs
        && authed.principal.org_kind == fruition_domain::org::OrgKind::CarrierOperator;
    if collects {
        for row in &d.carriers {
            match actions::askable(state, &c, id, row.carrier_id).await {
                Ok(list) => firms.extend(list.into_iter().map(|(eid, name)| {
                    (
                        format!("{}:{eid}", row.carrier_id),
                        format!("{name}（{}）", row.carrier_name),
                    )
                })),
                Err(AppError::Forbidden(_)) => {}
                Err(e) => return error_page(state, headers, Some(authed), &e),
            }
        }
    }
    let lookups = match Lookups::cached(state).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e.into()),
    };
    let path = format!("/campaigns/{id}");
    let mut chrome = Chrome::new(state, headers, Some(authed), &path, "campaign_title");
    chrome.title = d.campaign.title.clone();
    chrome = with_notice(chrome, done);
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    let lang = chrome.lang;
    let campaign_chains: Vec<String> = d.campaign.chains.iter().map(|c| c.code.clone()).collect();
    let fields = tech_field_opts(lang, &f.field);
    let chains = chain_opts(&lookups, lang, std::slice::from_ref(&f.chain))
        .into_iter()
        .filter(|o| campaign_chains.is_empty() || campaign_chains.contains(&o.code))
        .collect();
    let opts = |selected: &str| -> Vec<Opt> {
        firms
            .iter()
            .map(|(v, l)| Opt::new(v.clone(), l.clone(), v == selected))
            .collect()
    };
    let page = CampaignPage {
        sub: sub_nav(&chrome, authed),
        can_close: opens(authed)
            && d.campaign.status == fruition_domain::campaign::CampaignStatus::Open,
        collects: collects && !firms.is_empty(),
        ask_firms: opts(if f.outcome.is_empty() { "" } else { &f.firm }),
        firms: opts(if f.outcome.is_empty() { &f.firm } else { "" }),
        outcomes: [ContactOutcome::NoNeed, ContactOutcome::Declined]
            .iter()
            .map(|o| Opt::new(o.code(), o.label(lang), o.code() == f.outcome))
            .collect(),
        fields,
        chains,
        chain_optional: campaign_chains.is_empty(),
        f: CarrierForm {
            deadline: if f.deadline.is_empty() {
                d.campaign.deadline.clone()
            } else {
                f.deadline.clone()
            },
            ..f
        },
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
    campaign_page(
        &state,
        &headers,
        &authed,
        ip,
        id,
        q.done.as_deref(),
        CarrierForm::default(),
        None,
    )
    .await
}

async fn close(PageId(id): PageId, form: PageForm) -> Response {
    let result = actions::close(&form.state, &form.ctx(), id).await;
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| format!("/campaigns/{id}?done=campaign_closed"),
        |e| async move {
            campaign_page(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                id,
                None,
                CarrierForm::default(),
                Some(&e),
            )
            .await
        },
    )
    .await
}

/// The asking form's fields, which the page names `ask_field`.
const ASK_FIELDS: &[&str] = &["enterprise_id", "carrier_id", "outcome", "note", "asked_on"];

async fn ask(PageId(id): PageId, form: PageForm) -> Response {
    let f = CarrierForm::of(&form);
    let (carrier_id, enterprise_id) = f.firm();
    let input = CampaignContactInput {
        carrier_id,
        enterprise_id,
        outcome: f.outcome.clone(),
        note: f.note.clone(),
        asked_on: None,
    };
    let result = actions::ask(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| scoped(e, "ask", ASK_FIELDS));
    let page = &form;
    form.finish(
        result,
        Vec::new(),
        |_| format!("/campaigns/{id}?done=campaign_contact_recorded"),
        |e| async move {
            campaign_page(
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

async fn collect(PageId(id): PageId, form: PageForm) -> Response {
    let f = CarrierForm {
        outcome: String::new(),
        ..CarrierForm::of(&form)
    };
    let (carrier_id, enterprise_id) = f.firm();
    let mut local = Vec::new();
    let number = |local: &mut Vec<crate::error::Problem>, field: &str, raw: &str| -> Option<i64> {
        if raw.trim().is_empty() {
            None
        } else {
            super::forms::whole_number(local, field, raw)
        }
    };
    let trl = number(&mut local, "trl", &f.trl);
    // The budget is typed in 万元 and kept in 千元, as every market price.
    let budget = number(&mut local, "budget", &f.budget).map(|w| w * 10);
    let input = CollectNeedInput {
        carrier_id,
        enterprise_id,
        need: ListingInput {
            kind: "need".into(),
            title: f.title.clone(),
            summary: f.summary.clone(),
            field: Some(f.field.clone()),
            chain: Some(f.chain.clone()),
            trl,
            price_k: budget,
            modes: vec!["commissioned".into()],
            deadline: Some(f.deadline.clone()),
            indicators: Some(f.indicators.clone()),
            ..ListingInput::default()
        },
    };
    let result = actions::collect(&form.state, &form.ctx(), id, &input)
        .await
        .map_err(|e| {
            let e = match e {
                AppError::Invalid(p) => AppError::Invalid(
                    p.into_iter()
                        .map(|x| crate::error::Problem {
                            field: match x.field.as_str() {
                                "price_k" => "budget".into(),
                                "carrier_id" => "enterprise_id".into(),
                                _ => x.field,
                            },
                            ..x
                        })
                        .collect(),
                ),
                other => other,
            };
            scoped(
                e,
                "",
                &[
                    "enterprise_id",
                    "title",
                    "summary",
                    "field",
                    "chain",
                    "trl",
                    "budget",
                    "deadline",
                    "indicators",
                ],
            )
        });
    let page = &form;
    form.finish(
        result,
        local,
        |_| format!("/campaigns/{id}?done=campaign_need_collected"),
        |e| async move {
            campaign_page(
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
