//! The alliance's home: members with their roles (the bureau admits, sets roles, removes),
//! notices (members read, the bureau or the chair posts), shared offers (members offer, others
//! show interest).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::{get, post};
use fruition_app::alliance::members::{
    self as actions, AllianceHome, AllianceNoticeInput, InterestInput, MemberInput,
    MemberRoleInput, OfferInput,
};
use fruition_domain::alliance::{MemberRole, OfferKind};

use super::super::credit::SubNav;
use super::super::forms::{Opt, PageForm, Typed, ctx};
use super::super::pilot::Done;
use super::super::{Chrome, PageId, error_page, render_status};
use super::{number, refusal, subnav, with_notice};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::{AppError, HttpError};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/alliance", get(page))
        .route("/alliance/members", post(admit))
        .route("/alliance/members/{id}/role", post(set_role))
        .route("/alliance/members/{id}/removal", post(remove))
        .route("/alliance/notices", post(post_notice))
        .route("/alliance/offers", post(offer))
        .route("/alliance/offers/{id}/interest", post(interest))
}

#[derive(Template)]
#[template(path = "alliance_home.html")]
struct HomePage {
    c: Chrome,
    sub: SubNav,
    h: AllianceHome,
    roles: Vec<Opt>,
    kinds: Vec<Opt>,
    /// Carriers that are not members yet (the bureau's admit form).
    candidates: Vec<Opt>,
    acts_for: Vec<Opt>,
    /// A refused form's values, shown again.
    t: Typed,
}

async fn page(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    show(&state, &headers, &authed, ip, q.done.as_deref(), None).await
}

async fn show(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    ip: String,
    done: Option<&str>,
    refused: Option<(&AppError, Typed)>,
) -> Response {
    let (err, t) = match refused {
        Some((e, typed)) => (Some(e), typed),
        None => (None, Typed::default()),
    };
    let cx = ctx(authed, ip);
    let h = match actions::home(state, &cx).await {
        Ok(h) => h,
        Err(e) => return error_page(state, headers, Some(authed), &e),
    };
    let mut c = with_notice(
        Chrome::new(state, headers, Some(authed), "/alliance", "alliance"),
        done,
    );
    if let Some(e) = err {
        c = c.with_errors(e);
    }
    let candidates = if h.can_manage {
        let year = fruition_app::clock::this_year();
        match fruition_store::carriers::list(&state.db, year, &Default::default()).await {
            Ok(all) => all
                .into_iter()
                .filter(|x| !h.members.iter().any(|m| m.carrier_id == x.id))
                .map(|x| Opt::new(x.id.to_string(), x.name, false))
                .collect(),
            Err(e) => return error_page(state, headers, Some(authed), &e.into()),
        }
    } else {
        Vec::new()
    };
    let lang = c.lang;
    let mut candidates = candidates;
    t.select("/alliance/members", "carrier_id", &mut candidates);
    let mut roles: Vec<Opt> = MemberRole::ALL
        .iter()
        .map(|r| Opt::new(r.code(), r.label(lang), *r == MemberRole::Member))
        .collect();
    t.select("/alliance/members", "role", &mut roles);
    let mut kinds: Vec<Opt> = OfferKind::ALL
        .iter()
        .map(|k| Opt::new(k.code(), k.label(lang), false))
        .collect();
    t.select("/alliance/offers", "kind", &mut kinds);
    let mut acts_for: Vec<Opt> = h
        .acts_for
        .iter()
        .map(|m| Opt::new(m.carrier_id.to_string(), m.carrier_name.clone(), false))
        .collect();
    t.select("/alliance/offers", "carrier_id", &mut acts_for);
    let page = HomePage {
        sub: subnav(&c, "/alliance"),
        roles,
        kinds,
        acts_for,
        candidates,
        h,
        c,
        t,
    };
    let status = err.map(|e| e.status()).unwrap_or(StatusCode::OK);
    render_status(status, &page)
}

async fn finish<T>(form: &PageForm, result: Result<T, AppError>, done: &str) -> Response {
    let page = form;
    let done = done.to_string();
    form.finish(
        result,
        Vec::new(),
        |_| format!("/alliance?done={done}"),
        |e| async move {
            if let Some(r) = refusal(&page.state, &page.headers, &page.authed, &e) {
                return r;
            }
            show(
                &page.state,
                &page.headers,
                &page.authed,
                page.ip.clone(),
                None,
                Some((&e, Typed::of(page))),
            )
            .await
        },
    )
    .await
}

async fn admit(form: PageForm) -> Response {
    let input = MemberInput {
        carrier_id: number(&form.get("carrier_id")),
        role: form.get("role"),
        joined_on: Some(form.get("joined_on")),
    };
    let result = actions::admit(&form.state, &form.ctx(), &input).await;
    finish(&form, result, "alliance_member_admitted").await
}

async fn set_role(PageId(id): PageId, form: PageForm) -> Response {
    let input = MemberRoleInput {
        role: form.get("role"),
    };
    let result = actions::set_role(&form.state, &form.ctx(), id, &input).await;
    finish(&form, result, "alliance_member_saved").await
}

async fn remove(PageId(id): PageId, form: PageForm) -> Response {
    let result = actions::remove(&form.state, &form.ctx(), id).await;
    finish(&form, result, "alliance_member_removed").await
}

async fn post_notice(form: PageForm) -> Response {
    let input = AllianceNoticeInput {
        title: form.get("title"),
        body: form.get("body"),
    };
    let result = actions::post_notice(&form.state, &form.ctx(), &input).await;
    finish(&form, result, "alliance_notice_posted").await
}

async fn offer(form: PageForm) -> Response {
    let input = OfferInput {
        carrier_id: number(&form.get("carrier_id")),
        kind: form.get("kind"),
        title: form.get("offer_title"),
        description: form.get("description"),
        contact: form.get("contact"),
    };
    let result = actions::offer(&form.state, &form.ctx(), &input)
        .await
        .map_err(|e| super::super::credit::renamed(e, &[("title", "offer_title")]));
    finish(&form, result, "alliance_offer_made").await
}

async fn interest(PageId(id): PageId, form: PageForm) -> Response {
    let input = InterestInput {
        note: Some(form.get("note")),
    };
    let result = actions::show_interest(&form.state, &form.ctx(), id, &input).await;
    finish(&form, result, "alliance_interest_shown").await
}
