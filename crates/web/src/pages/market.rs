//! The technology elements market's pages: search (open to everyone), a listing, the owner's
//! listings, the form that writes one, and the bureau's hidden listings.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::lang::Lang;
use fruition_domain::market::{ListingAction, ListingKind, TransferMode};
use fruition_domain::matching::Verdict;
use serde::Deserialize;

use super::forms::{
    Fields, Opt, chain_opts, county_opts, ctx, is_form_error, merged, refusal_page,
    tech_field_opts, whole_number,
};
use super::{Chrome, PageId, PageIds, error_page, render, render_status, stale_form, url_encode};
use crate::AppState;
use crate::auth::{Authed, ClientIp, MaybeUser, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::Ctx;
use fruition_app::market::{self, ListingInput, ListingView, SearchPage, SearchParams};
use fruition_app::matching::{self, FeedbackInput, SaveSearchInput, Suggestion};
use fruition_app::reference::Lookups;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/market", get(search))
        .route("/market/mine", get(mine))
        .route("/market/hidden", get(hidden))
        .route("/market/new", get(new_form).post(create))
        .route("/market/listings/{id}", get(detail))
        .route("/market/listings/{id}/edit", get(edit_form).post(update))
        .route("/market/listings/{id}/actions", post(act))
        .route(
            "/market/listings/{id}/matches/{suggested_id}/feedback",
            post(feedback),
        )
        .route("/market/saved-searches", post(save_search))
        .route("/market/saved-searches/{id}/delete", post(delete_search))
}

fn kind_opts(lang: Lang, kinds: &[ListingKind], selected: &str) -> Vec<Opt> {
    kinds
        .iter()
        .map(|k| Opt::new(k.code(), k.label(lang), k.code() == selected))
        .collect()
}

fn mode_opts(lang: Lang, modes: &[TransferMode], selected: &[String]) -> Vec<Opt> {
    modes
        .iter()
        .map(|m| {
            Opt::new(
                m.code(),
                m.label(lang),
                selected.iter().any(|s| s == m.code()),
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Search

#[derive(Template)]
#[template(path = "market.html")]
struct SearchPageT {
    c: Chrome,
    p: SearchParams,
    /// The filters as typed back into the form.
    nums: Typed,
    found: SearchPage,
    kinds: Vec<Opt>,
    fields: Vec<Opt>,
    chains: Vec<Opt>,
    counties: Vec<Opt>,
    modes: Vec<Opt>,
    /// Links for the kind tabs: (href, label, current).
    tabs: Vec<(String, &'static str, bool)>,
    prev: Option<String>,
    next: Option<String>,
    last_page: usize,
    can_post: bool,
    can_moderate: bool,
    /// The search's parameters as hidden fields, for keeping it.
    keep: Vec<(String, String)>,
}

#[derive(Default)]
struct Typed {
    trl_min: String,
    trl_max: String,
    price_min_k: String,
    price_max_k: String,
    from: String,
    to: String,
}

impl Typed {
    fn of(p: &SearchParams) -> Typed {
        let n = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
        Typed {
            trl_min: n(p.trl_min),
            trl_max: n(p.trl_max),
            price_min_k: p
                .price_min_k
                .map(super::forms::wan_text)
                .unwrap_or_default(),
            price_max_k: p
                .price_max_k
                .map(super::forms::wan_text)
                .unwrap_or_default(),
            from: p.from.clone().unwrap_or_default(),
            to: p.to.clone().unwrap_or_default(),
        }
    }
}

/// The query string of a search, with another page or kind.
fn search_href(p: &SearchParams, page: usize, kind: Option<&str>) -> String {
    let mut parts: Vec<(String, String)> = Vec::new();
    let mut push = |k: &str, v: Option<String>| {
        if let Some(v) = v.filter(|v| !v.is_empty()) {
            parts.push((k.to_string(), v));
        }
    };
    push("q", Some(p.q.clone()));
    push("kind", kind.map(str::to_string));
    push("field", p.field.clone());
    push("chain", p.chain.clone());
    push("county", p.county.clone());
    push("trl_min", p.trl_min.map(|v| v.to_string()));
    push("trl_max", p.trl_max.map(|v| v.to_string()));
    push("price_min", p.price_min_k.map(super::forms::wan_text));
    push("price_max", p.price_max_k.map(super::forms::wan_text));
    push("mode", p.mode.clone());
    push("from", p.from.clone());
    push("to", p.to.clone());
    if page > 1 {
        push("page", Some(page.to_string()));
    }
    let qs: Vec<String> = parts
        .iter()
        .map(|(k, v)| format!("{k}={}", url_encode(v)))
        .collect();
    if qs.is_empty() {
        "/market".into()
    } else {
        format!("/market?{}", qs.join("&"))
    }
}

async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(authed): MaybeUser,
    PageQuery(pairs): PageQuery<Vec<(String, String)>>,
) -> Response {
    // The page's price filters are in 万元; the search reads 千元.
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .map(|(k, v)| match k.as_str() {
            "price_min" | "price_max" => (
                format!("{k}_k"),
                super::forms::wan_to_k(&v).map_or(v, |k| k.to_string()),
            ),
            _ => (k, v),
        })
        .collect();
    let p = SearchParams::from_pairs(&pairs);
    let keep: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| k != "page" && !v.trim().is_empty())
        .cloned()
        .collect();
    let found = match market::search(&state, &p).await {
        Ok(f) => f,
        Err(e) => return error_page(&state, &headers, authed.as_ref(), &e),
    };
    let lookups = match Lookups::cached(&state).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, authed.as_ref(), &e.into()),
    };
    let c = Chrome::new(&state, &headers, authed.as_ref(), "/market", "market");
    let lang = c.lang;
    let kind = p.kind.clone().unwrap_or_default();
    let mut tabs = vec![(search_href(&p, 1, None), c.t("all_kinds"), kind.is_empty())];
    for k in ListingKind::ALL {
        tabs.push((
            search_href(&p, 1, Some(k.code())),
            k.label(lang),
            kind == k.code(),
        ));
    }
    let last_page = found.total.div_ceil(found.per_page).max(1);
    let prev = (found.page > 1).then(|| search_href(&p, found.page - 1, p.kind.as_deref()));
    let next = (found.page < last_page && found.page * found.per_page < 1_000)
        .then(|| search_href(&p, found.page + 1, p.kind.as_deref()));
    let actor = authed.as_ref().map(|a| a.principal.actor());
    let page = SearchPageT {
        kinds: kind_opts(lang, ListingKind::ALL, &kind),
        fields: tech_field_opts(lang, p.field.as_deref().unwrap_or("")),
        chains: chain_opts(
            &lookups,
            lang,
            &p.chain.clone().into_iter().collect::<Vec<_>>(),
        ),
        counties: county_opts(&state, p.county.as_deref().unwrap_or("")),
        modes: mode_opts(
            lang,
            TransferMode::ALL,
            &p.mode.clone().into_iter().collect::<Vec<_>>(),
        ),
        tabs,
        prev,
        next,
        last_page,
        can_post: actor.as_ref().is_some_and(|a| {
            ListingKind::ALL
                .iter()
                .any(|k| can(a, &Action::CreateListing { kind: *k }).is_ok())
        }),
        can_moderate: actor
            .as_ref()
            .is_some_and(|a| can(a, &Action::ModerateListings).is_ok()),
        nums: Typed::of(&p),
        keep,
        found,
        p,
        c,
    };
    render(&page)
}

// ---------------------------------------------------------------------------------------------
// One listing

#[derive(Template)]
#[template(path = "listing.html")]
struct DetailPage {
    c: Chrome,
    l: ListingView,
    can_edit: bool,
    can_moderate: bool,
    can_publish: bool,
    can_close: bool,
    price: String,
    /// A signed-in user of another organisation may declare intent (`pages::deals`).
    can_declare_intent: bool,
    /// For the owner (and the bureau): the best listings for this one, with reasons; the
    /// convincing ones first, then the weak ones (shown folded).
    match_groups: Vec<MatchGroup>,
    /// Suggestions were made, none convincing: the page says so and offers to keep the search.
    none_convincing: bool,
    /// What keeping the listing as a saved search keeps: its title, the kinds it looks for.
    keep: Vec<(String, String)>,
    verdicts: Vec<Opt>,
    /// The bookable resources this listing presents (`pages::pilot`): (id, name).
    bookable: Vec<(i64, String)>,
}

/// Suggestions of one kind: convincing, or weak (folded under "把握不大的推荐").
struct MatchGroup {
    weak: bool,
    items: Vec<Suggestion>,
}

fn match_groups(suggestions: Vec<Suggestion>) -> Vec<MatchGroup> {
    let (strong, weak): (Vec<Suggestion>, Vec<Suggestion>) =
        suggestions.into_iter().partition(|s| s.convincing);
    [(false, strong), (true, weak)]
        .into_iter()
        .filter(|(_, items)| !items.is_empty())
        .map(|(weak, items)| MatchGroup { weak, items })
        .collect()
}

fn price_text(c: &Chrome, l: &ListingView) -> String {
    match l.price_k {
        Some(k) => format!("{} {}", super::forms::wan_text(k), c.t("wan_yuan")),
        None => c.t("negotiable").to_string(),
    }
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    authed: Option<&Authed>,
    ip: String,
    id: i64,
    err: Option<&AppError>,
    done: Option<&str>,
) -> Response {
    let ctx = authed.map(|a| ctx(a, ip));
    let l = match market::get(state, ctx.as_ref(), id).await {
        Ok(l) => l,
        Err(e) => return error_page(state, headers, authed, &e),
    };
    let mut c = Chrome::new(
        state,
        headers,
        authed,
        &format!("/market/listings/{id}"),
        "market",
    )
    .with_notice(done);
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    c.title = l.title.clone();
    let actor = authed.map(|a| a.principal.actor());
    let can_edit = actor.as_ref().is_some_and(|a| {
        can(
            a,
            &Action::EditListing {
                owner_org_id: l.org_id,
            },
        )
        .is_ok()
    });
    let can_moderate = actor
        .as_ref()
        .is_some_and(|a| can(a, &Action::ModerateListings).is_ok());
    let suggestions = match &ctx {
        Some(ctx) if l.status.is_public() && !l.kind.suggests().is_empty() => {
            matching::suggestions_for(state, ctx, &l)
                .await
                .unwrap_or_default()
        }
        _ => Vec::new(),
    };
    let lang = c.lang;
    let bookable = fruition_store::pilot::for_listing(&state.db, id)
        .await
        .unwrap_or_default();
    let none_convincing = !suggestions.is_empty() && !suggestions.iter().any(|s| s.convincing);
    let keep = if none_convincing {
        let kinds: Vec<&str> = l.kind.suggests().iter().map(|k| k.code()).collect();
        vec![
            ("q".to_string(), l.title.clone()),
            ("kind".to_string(), kinds.join(",")),
        ]
    } else {
        Vec::new()
    };
    let page = DetailPage {
        bookable,
        match_groups: match_groups(suggestions),
        none_convincing,
        keep,
        verdicts: Verdict::ALL
            .iter()
            .map(|v| Opt::new(v.code(), v.label(lang), false))
            .collect(),
        can_publish: can_edit && l.status.after(ListingAction::Publish).is_some(),
        can_close: can_edit && l.status.after(ListingAction::Close).is_some(),
        price: price_text(&c, &l),
        can_declare_intent: super::deals::may_declare_intent(authed, &l),
        can_edit,
        can_moderate,
        l,
        c,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(authed): MaybeUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(d): PageQuery<Done>,
) -> Response {
    show(
        &state,
        &headers,
        authed.as_ref(),
        ip,
        id,
        None,
        d.done.as_deref(),
    )
    .await
}

async fn act(
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
    let Some(action) = ListingAction::parse(&fields.get("action")) else {
        return error_page(&state, &headers, Some(&authed), &AppError::NotFound);
    };
    let reason = fields.get("reason");
    let c = ctx(&authed, ip.clone());
    match market::act(&state, &c, id, action, Some(&reason)).await {
        Ok(_) => {
            let done = match action {
                ListingAction::Publish => "listing_published",
                ListingAction::Close => "listing_closed",
                ListingAction::Hide => "listing_hidden",
                ListingAction::Restore => "listing_restored",
            };
            Redirect::to(&format!("/market/listings/{id}?done={done}")).into_response()
        }
        Err(e) if is_form_error(&e) => {
            show(&state, &headers, Some(&authed), ip, id, Some(&e), None).await
        }
        Err(e) => refusal_page(
            &state,
            &headers,
            &authed,
            &format!("/market/listings/{id}"),
            &e,
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// The owner's listings, and the bureau's hidden ones

#[derive(Template)]
#[template(path = "market_list.html")]
struct ListPage {
    c: Chrome,
    heading_key: &'static str,
    listings: Vec<ListingView>,
    can_post: bool,
}

async fn mine(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let c = ctx(&authed, ip);
    match market::mine(&state, &c, None, None).await {
        Ok(listings) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/market/mine",
                "my_listings",
            );
            let actor = authed.principal.actor();
            render(&ListPage {
                can_post: ListingKind::ALL
                    .iter()
                    .any(|k| can(&actor, &Action::CreateListing { kind: *k }).is_ok()),
                heading_key: "my_listings",
                listings,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn hidden(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
) -> Response {
    let c = ctx(&authed, ip);
    match market::hidden(&state, &c).await {
        Ok(listings) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/market/hidden",
                "hidden_listings",
            );
            render(&ListPage {
                can_post: false,
                heading_key: "hidden_listings",
                listings,
                c: chrome,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

// ---------------------------------------------------------------------------------------------
// Writing a listing

/// The form as typed: lists one per line (patents, inventors).
#[derive(Debug, Clone, Default)]
struct ListingForm {
    kind: String,
    title: String,
    summary: String,
    body: String,
    field: String,
    chain: String,
    county: String,
    trl: String,
    price_k: String,
    modes: Vec<String>,
    deadline: String,
    inventors: String,
    patents: String,
    indicators: String,
    expert_title: String,
    affiliation: String,
    unit: String,
    preferences: String,
    issuing_body: String,
    issued_on: String,
    applies_to: String,
    /// A capital listing's providing fund (its id, or blank).
    fund_id: String,
}

fn lines(s: &str) -> Vec<String> {
    s.split(['\n', '，', ',', '、', ';', '；'])
        .map(|x| x.trim().to_string())
        .filter(|x| !x.is_empty())
        .collect()
}

fn some(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

impl ListingForm {
    fn from_fields(f: &Fields) -> ListingForm {
        ListingForm {
            kind: f.get("kind"),
            title: f.get("title"),
            summary: f.get("summary"),
            body: f.get("body"),
            field: f.get("field"),
            chain: f.get("chain"),
            county: f.get("county"),
            trl: f.get("trl"),
            price_k: f.get("price_k"),
            modes: f.all("modes"),
            deadline: f.get("deadline"),
            inventors: f.get("inventors"),
            patents: f.get("patents"),
            indicators: f.get("indicators"),
            expert_title: f.get("expert_title"),
            affiliation: f.get("affiliation"),
            unit: f.get("unit"),
            preferences: f.get("preferences"),
            issuing_body: f.get("issuing_body"),
            issued_on: f.get("issued_on"),
            applies_to: f.get("applies_to"),
            fund_id: f.get("fund_id"),
        }
    }

    fn from_view(l: &ListingView) -> ListingForm {
        let d = &l.details;
        ListingForm {
            kind: l.kind.code().into(),
            title: l.title.clone(),
            summary: l.summary.clone(),
            body: l.body.clone(),
            field: l.field.clone().unwrap_or_default(),
            chain: l.chain.clone().unwrap_or_default(),
            county: l.county.clone().unwrap_or_default(),
            trl: l.trl.map(|t| t.to_string()).unwrap_or_default(),
            price_k: l.price_k.map(super::forms::wan_text).unwrap_or_default(),
            modes: l.modes.clone(),
            deadline: l.deadline.clone().unwrap_or_default(),
            inventors: d.inventors.join("\n"),
            patents: d
                .patents
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
            indicators: d.indicators.clone().unwrap_or_default(),
            expert_title: d.expert_title.clone().unwrap_or_default(),
            affiliation: d.affiliation.clone().unwrap_or_default(),
            unit: d.unit.clone().unwrap_or_default(),
            preferences: d.preferences.clone().unwrap_or_default(),
            issuing_body: d.issuing_body.clone().unwrap_or_default(),
            issued_on: d.issued_on.clone().unwrap_or_default(),
            applies_to: d.applies_to.clone().unwrap_or_default(),
            fund_id: l.fund_id.map(|id| id.to_string()).unwrap_or_default(),
        }
    }

    /// The action's input, and the problems found reading numbers.
    fn input(&self) -> (ListingInput, Vec<crate::error::Problem>) {
        let mut local = Vec::new();
        let trl = whole_number(&mut local, "trl", &self.trl);
        let price_k = super::forms::wan_number(&mut local, "price_k", &self.price_k);
        (
            ListingInput {
                kind: self.kind.clone(),
                title: self.title.clone(),
                summary: self.summary.clone(),
                body: self.body.clone(),
                field: some(&self.field),
                chain: some(&self.chain),
                county: some(&self.county),
                trl,
                price_k,
                modes: self.modes.clone(),
                deadline: some(&self.deadline),
                inventors: lines(&self.inventors),
                patents: self
                    .patents
                    .split(['\n', ',', '，', '、', ';', '；'])
                    .map(|x| x.trim().to_string())
                    .filter(|x| !x.is_empty())
                    .collect(),
                indicators: some(&self.indicators),
                expert_title: some(&self.expert_title),
                affiliation: some(&self.affiliation),
                unit: some(&self.unit),
                preferences: some(&self.preferences),
                issuing_body: some(&self.issuing_body),
                issued_on: some(&self.issued_on),
                applies_to: some(&self.applies_to),
                // Not an id: one no fund has, which the action refuses beside the field.
                fund_id: some(&self.fund_id).map(|id| id.parse().unwrap_or(0)),
            },
            local,
        )
    }
}

#[derive(Template)]
#[template(path = "listing_form.html")]
struct FormPage {
    c: Chrome,
    action: String,
    cancel: String,
    kind: Option<ListingKind>,
    kind_label: &'static str,
    /// The kinds this user may list, to choose from (when no kind is chosen yet).
    kinds: Vec<(String, &'static str)>,
    f: ListingForm,
    fields: Vec<Opt>,
    chains: Vec<Opt>,
    counties: Vec<Opt>,
    modes: Vec<Opt>,
    trls: Vec<Opt>,
    /// A capital listing's choice of providing fund: the funds its owner manages.
    funds: Vec<Opt>,
}

impl FormPage {
    fn is(&self, code: &str) -> bool {
        self.kind.is_some_and(|k| k.code() == code)
    }
}

/// Who writes the listing, for the choices that depend on its owner: the caller, and the
/// organisation the listing is (or will be) of.
struct Writer<'a> {
    cx: &'a Ctx<'a>,
    owner_org_id: i64,
}

async fn form_page(
    state: &AppState,
    w: Writer<'_>,
    c: Chrome,
    id: Option<i64>,
    f: ListingForm,
    allowed: &[ListingKind],
) -> Result<FormPage, AppError> {
    let lookups = Lookups::cached(state).await?;
    let lang = c.lang;
    let kind = ListingKind::parse(&f.kind).filter(|k| allowed.contains(k) || id.is_some());
    let funds = if kind == Some(ListingKind::Capital) {
        let q = fruition_app::capital::funds::FundQuery {
            manager_org_id: Some(w.owner_org_id),
            ..Default::default()
        };
        fruition_app::capital::funds::list(state, w.cx, &q)
            .await?
            .into_iter()
            .map(|fund| {
                let code = fund.id.to_string();
                let selected = code == f.fund_id.trim();
                Opt::new(code, fund.name, selected)
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(FormPage {
        funds,
        action: match id {
            Some(id) => format!("/market/listings/{id}/edit"),
            None => "/market/new".into(),
        },
        cancel: match id {
            Some(id) => format!("/market/listings/{id}"),
            None => "/market/mine".into(),
        },
        kinds: allowed
            .iter()
            .map(|k| (format!("/market/new?kind={}", k.code()), k.label(lang)))
            .collect(),
        fields: tech_field_opts(lang, &f.field),
        chains: chain_opts(&lookups, lang, std::slice::from_ref(&f.chain)),
        counties: county_opts(state, &f.county),
        modes: mode_opts(lang, kind.map(|k| k.modes()).unwrap_or(&[]), &f.modes),
        trls: (1..=9)
            .map(|t| {
                let level = fruition_domain::market::Trl::new(t).ok();
                Opt::new(
                    t.to_string(),
                    format!(
                        "{t} 级 — {}",
                        level.map(|l| l.label(lang)).unwrap_or_default()
                    ),
                    f.trl == t.to_string(),
                )
            })
            .collect(),
        kind_label: kind.map(|k| k.label(lang)).unwrap_or_default(),
        kind,
        f,
        c,
    })
}

fn allowed_kinds(authed: &Authed) -> Vec<ListingKind> {
    let actor = authed.principal.actor();
    ListingKind::ALL
        .iter()
        .copied()
        .filter(|k| can(&actor, &Action::CreateListing { kind: *k }).is_ok())
        .collect()
}

#[derive(Deserialize)]
struct KindQuery {
    kind: Option<String>,
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<KindQuery>,
) -> Response {
    let allowed = allowed_kinds(&authed);
    if allowed.is_empty() {
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
        "/market/new",
        "new_listing",
    );
    let f = ListingForm {
        kind: q.kind.unwrap_or_default(),
        ..ListingForm::default()
    };
    let cx = ctx(&authed, ip);
    let w = Writer {
        cx: &cx,
        owner_org_id: authed.principal.user.org_id,
    };
    match form_page(&state, w, c, None, f, &allowed).await {
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
    let f = ListingForm::from_fields(&fields);
    let (input, local) = f.input();
    let c = ctx(&authed, ip);
    let result = market::create(&state, &c, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(l) => Redirect::to(&format!("/market/listings/{}?done=created", l.id)).into_response(),
        Err(err) if is_form_error(&err) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/market/new",
                "new_listing",
            )
            .with_errors(&err);
            let allowed = allowed_kinds(&authed);
            let w = Writer {
                cx: &c,
                owner_org_id: authed.principal.user.org_id,
            };
            match form_page(&state, w, chrome, None, f, &allowed).await {
                Ok(p) => render_status(err.status(), &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

/// The listing to edit, if this user may.
async fn editable(state: &AppState, c: &Ctx<'_>, id: i64) -> Result<ListingView, AppError> {
    let l = market::get(state, Some(c), id).await?;
    c.require(Action::EditListing {
        owner_org_id: l.org_id,
    })?;
    Ok(l)
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let c = ctx(&authed, ip);
    let l = match editable(&state, &c, id).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut chrome = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/market/listings/{id}/edit"),
        "edit_listing",
    );
    chrome.title = format!("{} – {}", chrome.t("edit_listing"), l.title);
    let w = Writer {
        cx: &c,
        owner_org_id: l.org_id,
    };
    match form_page(
        &state,
        w,
        chrome,
        Some(id),
        ListingForm::from_view(&l),
        &[l.kind],
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
    let l = match editable(&state, &c, id).await {
        Ok(l) => l,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut f = ListingForm::from_fields(&fields);
    f.kind = l.kind.code().into();
    let (input, local) = f.input();
    let result = market::update(&state, &c, id, &input)
        .await
        .map_err(|e| merged(local, e));
    match result {
        Ok(_) => Redirect::to(&format!("/market/listings/{id}?done=saved")).into_response(),
        Err(err) if is_form_error(&err) => {
            let chrome = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/market/listings/{id}/edit"),
                "edit_listing",
            )
            .with_errors(&err);
            let w = Writer {
                cx: &c,
                owner_org_id: l.org_id,
            };
            match form_page(&state, w, chrome, Some(id), f, &[l.kind]).await {
                Ok(p) => render_status(err.status(), &p),
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

async fn feedback(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageIds(id, suggested_id): PageIds,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Response {
    let fields = Fields(pairs);
    if !fields.token_ok(&headers, &authed) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let input = FeedbackInput {
        verdict: fields.get("verdict"),
        comment: Some(fields.get("comment")),
    };
    let c = ctx(&authed, ip.clone());
    match matching::give_feedback(&state, &c, id, suggested_id, &input).await {
        Ok(_) => Redirect::to(&format!(
            "/market/listings/{id}?done=feedback_saved#matches"
        ))
        .into_response(),
        Err(e) if is_form_error(&e) => {
            show(&state, &headers, Some(&authed), ip, id, Some(&e), None).await
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn save_search(
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
    let input = SaveSearchInput {
        name: fields.get("name"),
        query: fields
            .0
            .iter()
            .filter(|(k, _)| k != "name" && k != "csrf_token")
            .cloned()
            .collect(),
    };
    let c = ctx(&authed, ip);
    match matching::save_search(&state, &c, &input).await {
        Ok(_) => Redirect::to("/inbox?done=search_saved").into_response(),
        Err(e) => refusal_page(&state, &headers, &authed, "/market", &e),
    }
}

async fn delete_search(
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
    match matching::delete_search(&state, &c, id).await {
        Ok(()) => Redirect::to("/inbox?done=search_deleted").into_response(),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
