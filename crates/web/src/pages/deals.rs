//! The market's deal pages: declaring intent on a listing, "my deals", a deal with its messages,
//! terms and contract, and the registrar's list of deals awaiting registration.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::deal::{ContractOutcome, ContractType, DealStatus};
use serde::Deserialize;

use super::forms::{Fields, Opt, PageForm, ctx, is_form_error, merged, whole_number};
use super::{Chrome, PageId, error_page, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::deals::{
    self, ContractView, DealDetail, DealView, IntentInput, MessageInput, OutcomeInput, ReasonInput,
    RegisterInput, TermsInput,
};
use fruition_app::market::{self, ListingView};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/market/deals", get(list))
        .route("/market/deals/registration", get(registration_queue))
        .route(
            "/market/listings/{id}/intent",
            get(intent_form).post(declare_intent),
        )
        .route("/market/deals/{id}", get(detail))
        .route("/market/deals/{id}/messages", post(post_message))
        .route("/market/deals/{id}/terms", post(propose))
        .route("/market/deals/{id}/accept", post(accept))
        .route("/market/deals/{id}/withdraw", post(withdraw))
        .route("/market/deals/{id}/register", post(register))
        .route("/market/deals/{id}/refuse", post(refuse))
        .route("/market/deals/{id}/outcome", post(record_outcome))
}

/// Whether a signed-in user may declare intent on this listing (shown on the listing's page).
pub fn may_declare_intent(authed: Option<&Authed>, l: &ListingView) -> bool {
    authed.is_some_and(|a| {
        l.status.is_public()
            && fruition_domain::deal::owner_side(l.kind).is_some()
            && can(
                &a.principal.actor(),
                &Action::DeclareIntent {
                    owner_org_id: l.org_id,
                },
            )
            .is_ok()
    })
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Declaring intent

#[derive(Template)]
#[template(path = "deal_intent.html")]
struct IntentPage {
    c: Chrome,
    l: ListingView,
    message: String,
}

async fn intent_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    id: i64,
    message: String,
    err: Option<&AppError>,
) -> Response {
    let c = ctx(authed, ip);
    let l = match market::get(state, Some(&c), id).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    if !may_declare_intent(Some(authed), &l) {
        return error_page(state, headers, Some(authed), &AppError::Forbidden("role"));
    }
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/market/listings/{id}/intent"),
        "declare_intent",
    );
    if let Some(e) = err {
        chrome = chrome.with_errors(e);
    }
    chrome.title = format!("{} – {}", chrome.t("declare_intent"), l.title);
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(
        status,
        &IntentPage {
            c: chrome,
            l,
            message,
        },
    )
}

async fn intent_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    intent_page(&state, &headers, &authed, ip, id, String::new(), None).await
}

async fn declare_intent(
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
    let input = IntentInput {
        listing_id: id,
        message: fields.get("message"),
    };
    let c = ctx(&authed, ip.clone());
    match deals::declare_intent(&state, &c, &input).await {
        Ok(d) => {
            Redirect::to(&format!("/market/deals/{}?done=deal_opened", d.deal.id)).into_response()
        }
        Err(e) if is_form_error(&e) => {
            intent_page(&state, &headers, &authed, ip, id, input.message, Some(&e)).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// Lists

#[derive(Template)]
#[template(path = "deals.html")]
struct ListPage {
    c: Chrome,
    heading_key: &'static str,
    intro_key: &'static str,
    deals: Vec<DealView>,
    /// The register, for the registrar: this year's and earlier contracts.
    contracts: Vec<ContractView>,
    show_register: bool,
    is_registrar: bool,
    /// The signed-in user's organisation (to name the other party).
    org_id: i64,
    /// The year whose contract statistics the page links to (this year's registrations).
    this_year: i64,
}

impl ListPage {
    fn counterpart(&self, d: &DealView) -> String {
        if d.seller_org_id == self.org_id || d.buyer_org_id == self.org_id {
            d.counterpart(self.org_id).1.to_string()
        } else {
            format!("{} ↔ {}", d.seller_name, d.buyer_name)
        }
    }

    fn status_label(&self, d: &DealView) -> &'static str {
        d.status.label_on(d.listing_kind, self.c.lang)
    }

    fn type_label(&self, t: &ContractType) -> &'static str {
        t.label(self.c.lang)
    }

    fn outcome_label(&self, o: &ContractOutcome) -> &'static str {
        o.label(self.c.lang)
    }
}

fn registrar(authed: &Authed) -> bool {
    can(&authed.principal.actor(), &Action::RegisterContracts).is_ok()
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let c = ctx(&authed, ip);
    match deals::list(&state, &c, None).await {
        Ok(list) => {
            let is_registrar = registrar(&authed);
            let chrome = Chrome::new(&state, &headers, Some(&authed), "/market/deals", "my_deals");
            render(&ListPage {
                this_year: fruition_app::clock::this_year(),
                heading_key: if is_registrar {
                    "all_deals"
                } else {
                    "my_deals"
                },
                intro_key: "deals_intro",
                deals: list,
                contracts: Vec::new(),
                show_register: false,
                is_registrar,
                org_id: authed.principal.user.org_id,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn registration_queue(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let c = ctx(&authed, ip);
    let loaded = async {
        let contracts = deals::contracts(&state, &c, None, None).await?;
        let waiting = deals::list(&state, &c, Some(DealStatus::Agreed)).await?;
        Ok::<_, AppError>((waiting, contracts))
    }
    .await;
    match loaded {
        Ok((waiting, contracts)) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/market/deals/registration",
                "deals_awaiting_registration",
            );
            render(&ListPage {
                this_year: fruition_app::clock::this_year(),
                heading_key: "deals_awaiting_registration",
                intro_key: "registration_intro",
                deals: waiting,
                contracts,
                show_register: true,
                is_registrar: true,
                org_id: authed.principal.user.org_id,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// One deal

/// The deal page's forms as typed (kept when one comes back with errors).
#[derive(Debug, Clone, Default)]
struct Typed {
    message: String,
    contract_type: String,
    contract_amount_k: String,
    tech_amount_k: String,
    starts_on: String,
    ends_on: String,
    reason: String,
    registered_on: String,
    outcome: String,
    on: String,
}

impl Typed {
    fn of(f: &Fields) -> Typed {
        Typed {
            message: f.get("message"),
            contract_type: f.get("contract_type"),
            contract_amount_k: f.get("contract_amount_k"),
            tech_amount_k: f.get("tech_amount_k"),
            starts_on: f.get("starts_on"),
            ends_on: f.get("ends_on"),
            reason: f.get("reason"),
            registered_on: f.get("registered_on"),
            outcome: f.get("outcome"),
            on: f.get("on"),
        }
    }

    /// The latest proposal, as a starting point for a counter-proposal.
    fn from_latest(d: &DealDetail) -> Typed {
        match d.latest() {
            Some(t) => Typed {
                contract_type: t.contract_type.code().into(),
                contract_amount_k: t.contract_amount_k.to_string(),
                tech_amount_k: t.tech_amount_k.to_string(),
                starts_on: t.starts_on.clone(),
                ends_on: t.ends_on.clone(),
                ..Typed::default()
            },
            None => Typed::default(),
        }
    }
}

#[derive(Template)]
#[template(path = "deal.html")]
struct DealPage {
    c: Chrome,
    d: DealDetail,
    f: Typed,
    contract_types: Vec<Opt>,
    outcomes: Vec<Opt>,
    is_registrar: bool,
    status_label: &'static str,
    kind_label: &'static str,
    /// The signed-in user's organisation is a party.
    is_party: bool,
    my_org: i64,
}

impl DealPage {
    /// Whether a message or proposal came from the signed-in user's organisation.
    fn ours(&self, org_id: &i64) -> bool {
        self.my_org == *org_id
    }

    fn type_label(&self, t: &ContractType) -> &'static str {
        t.label(self.c.lang)
    }

    fn outcome_label(&self, o: &ContractOutcome) -> &'static str {
        o.label(self.c.lang)
    }
}

/// A request to a deal's page: who asks, and for which deal.
struct Req {
    state: AppState,
    headers: HeaderMap,
    authed: Authed,
    ip: String,
    id: i64,
}

/// How the page comes back: the forms as typed, the refusal, a notice.
#[derive(Default)]
struct Shown<'a> {
    f: Option<Typed>,
    err: Option<&'a AppError>,
    done: Option<&'a str>,
}

/// The page of a deal.
async fn show(r: &Req, s: Shown<'_>) -> Response {
    let (state, headers, authed, id) = (&r.state, &r.headers, &r.authed, r.id);
    let c = ctx(authed, r.ip.clone());
    let d = match deals::get(state, &c, id).await {
        Ok(d) => d,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut chrome = Chrome::new(
        state,
        headers,
        Some(authed),
        &format!("/market/deals/{id}"),
        "deal",
    )
    .with_notice(s.done);
    if let Some(e) = s.err {
        chrome = chrome.with_errors(e);
    }
    chrome.title = format!("{} – {}", chrome.t("deal"), d.deal.listing_title);
    let lang = chrome.lang;
    let f = s.f.unwrap_or_else(|| Typed::from_latest(&d));
    let my_org = authed.principal.user.org_id;
    let page = DealPage {
        contract_types: ContractType::ALL
            .iter()
            .map(|t| Opt::new(t.code(), t.label(lang), t.code() == f.contract_type))
            .collect(),
        outcomes: ContractOutcome::ALL
            .iter()
            .map(|o| Opt::new(o.code(), o.label(lang), o.code() == f.outcome))
            .collect(),
        is_registrar: registrar(authed),
        status_label: d.deal.status.label_on(d.deal.listing_kind, lang),
        kind_label: d.deal.listing_kind.label(lang),
        is_party: d.deal.seller_org_id == my_org || d.deal.buyer_org_id == my_org,
        my_org,
        f,
        d,
        c: chrome,
    };
    let status = s.err.map(|e| e.status()).unwrap_or(StatusCode::OK);
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
    let r = Req {
        state,
        headers,
        authed,
        ip,
        id,
    };
    let done = q.done;
    show(
        &r,
        Shown {
            done: done.as_deref(),
            ..Shown::default()
        },
    )
    .await
}

/// A handler for one of the deal page's forms: runs `$body` (with the state, the actor's
/// context, the deal's id and the form's fields), then goes back to the deal with a notice, or
/// shows the deal again with the form's problems and what was typed.
macro_rules! deal_form {
    ($name:ident, $done:literal, |$state:ident, $c:ident, $id:ident, $f:ident| $body:expr) => {
        async fn $name(PageId(id): PageId, form: PageForm) -> Response {
            let typed = Typed::of(&form.fields);
            let result: Result<(), AppError> = {
                let $state = &form.state;
                let $c = form.ctx();
                let $id = id;
                let $f = &form.fields;
                $body
            };
            let page = &form;
            form.finish(
                result,
                Vec::new(),
                |()| format!("/market/deals/{id}?done={}", $done),
                |e| async move {
                    let r = Req {
                        state: page.state.clone(),
                        headers: page.headers.clone(),
                        authed: page.authed.clone(),
                        ip: page.ip.clone(),
                        id,
                    };
                    let shown = Shown {
                        f: Some(typed),
                        err: Some(&e),
                        done: None,
                    };
                    show(&r, shown).await
                },
            )
            .await
        }
    };
}

deal_form!(post_message, "message_sent", |state, c, id, f| {
    let input = MessageInput {
        message: f.get("message"),
    };
    deals::post_message(state, &c, id, &input).await.map(|_| ())
});

deal_form!(propose, "terms_proposed", |state, c, id, f| {
    let mut local = Vec::new();
    let input = TermsInput {
        contract_type: f.get("contract_type"),
        contract_amount_k: whole_number(
            &mut local,
            "contract_amount_k",
            &f.get("contract_amount_k"),
        ),
        tech_amount_k: whole_number(&mut local, "tech_amount_k", &f.get("tech_amount_k")),
        starts_on: f.get("starts_on"),
        ends_on: f.get("ends_on"),
    };
    deals::propose(state, &c, id, &input)
        .await
        .map(|_| ())
        .map_err(|e| merged(local, e))
});

deal_form!(accept, "terms_accepted", |state, c, id, f| {
    match f.get("terms_id").trim().parse::<i64>() {
        Ok(terms_id) => deals::accept(state, &c, id, terms_id).await.map(|_| ()),
        Err(_) => Err(AppError::NotFound),
    }
});

deal_form!(withdraw, "deal_withdrawn", |state, c, id, f| {
    let input = ReasonInput {
        reason: Some(f.get("reason")),
    };
    deals::withdraw(state, &c, id, &input).await.map(|_| ())
});

deal_form!(register, "contract_registered", |state, c, id, f| {
    let input = RegisterInput {
        terms_id: f.get("terms_id").trim().parse().ok(),
        registered_on: Some(f.get("registered_on")),
    };
    deals::register(state, &c, id, &input).await.map(|_| ())
});

deal_form!(refuse, "registration_refused", |state, c, id, f| {
    let input = ReasonInput {
        reason: Some(f.get("reason")),
    };
    deals::refuse(state, &c, id, &input).await.map(|_| ())
});

deal_form!(record_outcome, "outcome_recorded", |state, c, id, f| {
    let input = OutcomeInput {
        outcome: f.get("outcome"),
        on: f.get("on"),
        reason: Some(f.get("reason")),
    };
    deals::record_outcome(state, &c, id, &input)
        .await
        .map(|_| ())
});

super::pilot::yuan_helper!(ListPage, DealPage);
