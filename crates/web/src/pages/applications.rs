//! Applying to join (public) and reviewing applications (bureau).

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::org::OrgKind;
use fruition_store::applications::Application;
use serde::Deserialize;

use super::organisations::Choice;
use super::{
    Chrome, PageId, ensure_form_cookie, error_page, form_token_ok, render, render_status,
    stale_form, with_cookie,
};
use crate::AppState;
use crate::auth::{ClientIp, MaybeUser, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::Ctx;
use fruition_app::applications::{self, ApplicationInput, DeclineInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/join", get(join_form).post(join_submit))
        .route("/applications", get(list))
        .route("/applications/{id}", get(detail))
        .route("/applications/{id}/approve", post(approve))
        .route("/applications/{id}/decline", post(decline))
}

fn kinds(c: &Chrome, selected: &str) -> Vec<Choice> {
    OrgKind::ALL
        .iter()
        .filter(|k| k.can_apply())
        .map(|k| Choice {
            code: k.code(),
            label: k.label(c.lang),
            selected: k.code() == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "join.html")]
struct JoinPage {
    c: Chrome,
    kinds: Vec<Choice>,
    f: JoinForm,
}

#[derive(Template)]
#[template(path = "join_done.html")]
struct JoinDonePage {
    c: Chrome,
    id: i64,
}

#[derive(Deserialize, Default)]
struct JoinForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    csrf_token: String,
}

async fn join_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
) -> Response {
    let (token, cookie) = ensure_form_cookie(&headers, state.web.secure_cookies);
    let mut c = Chrome::new(&state, &headers, user.as_ref(), "/join", "join");
    if user.is_none() {
        c.csrf = token;
    }
    let kinds = kinds(&c, "");
    with_cookie(
        render(&JoinPage {
            c,
            kinds,
            f: JoinForm::default(),
        }),
        cookie,
    )
}

async fn join_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<JoinForm>,
) -> Response {
    if !form_token_ok(&headers, user.as_ref(), &f.csrf_token) {
        return stale_form(&state, &headers, user.as_ref());
    }
    let opt = |s: &str| (!s.trim().is_empty()).then(|| s.to_string());
    let input = ApplicationInput {
        name: f.name.clone(),
        kind: f.kind.clone(),
        uscc: f.uscc.clone(),
        contact_name: f.contact_name.clone(),
        contact_phone: f.contact_phone.clone(),
        contact_email: opt(&f.contact_email),
        login: f.login.clone(),
        note: opt(&f.note),
    };
    match applications::submit(&state, &ip, &input).await {
        Ok(app) => {
            let c = Chrome::new(&state, &headers, user.as_ref(), "/join", "join");
            render_status(StatusCode::CREATED, &JoinDonePage { c, id: app.id })
        }
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let mut c =
                Chrome::new(&state, &headers, user.as_ref(), "/join", "join").with_errors(&err);
            c.csrf = f.csrf_token.clone();
            let kinds = kinds(&c, &f.kind);
            render_status(err.status(), &JoinPage { c, kinds, f })
        }
        Err(err) => error_page(&state, &headers, user.as_ref(), &err),
    }
}

#[derive(Template)]
#[template(path = "applications.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<AppRow>,
    status: String,
}

struct AppRow {
    app: Application,
    kind: &'static str,
    status: &'static str,
}

fn status_label(c: &Chrome, status: &str) -> &'static str {
    match status {
        "pending" => c.t("pending"),
        "approved" => c.t("approved"),
        _ => c.t("declined"),
    }
}

#[derive(Deserialize)]
struct ListQuery {
    status: Option<String>,
    done: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ListQuery>,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let status = q.status.clone().unwrap_or_else(|| "pending".into());
    let filter = (status != "all").then_some(status.as_str());
    match applications::list(&state, &ctx, filter).await {
        Ok(apps) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/applications",
                "applications",
            )
            .with_notice(q.done.as_deref());
            let rows = apps
                .into_iter()
                .map(|app| AppRow {
                    kind: app.kind.label(c.lang),
                    status: status_label(&c, &app.status),
                    app,
                })
                .collect();
            render(&ListPage { c, rows, status })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Template)]
#[template(path = "application.html")]
struct DetailPage {
    c: Chrome,
    app: Application,
    kind: &'static str,
    status: &'static str,
    reason: String,
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match applications::get(&state, &ctx, id).await {
        Ok(app) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/applications/{id}"),
                "applications",
            );
            let page = DetailPage {
                kind: app.kind.label(c.lang),
                status: status_label(&c, &app.status),
                app,
                reason: String::new(),
                c,
            };
            render(&page)
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Deserialize)]
struct DecisionForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    csrf_token: String,
}

#[derive(Template)]
#[template(path = "one_time_password.html")]
struct ApprovedPage {
    c: Chrome,
    org_id: i64,
    login: String,
    display_name: String,
    password: String,
}

async fn approve(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<DecisionForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match applications::approve(&state, &ctx, id).await {
        Ok(approval) => {
            let mut c = Chrome::new(&state, &headers, Some(&authed), "/applications", "approved");
            c.notice = Some(c.t("approved_created"));
            let page = ApprovedPage {
                c,
                org_id: approval.organisation.id,
                login: approval.first_user.user.login,
                display_name: approval.first_user.user.display_name,
                password: approval.first_user.one_time_password,
            };
            render_status(StatusCode::CREATED, &page)
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

async fn decline(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<DecisionForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match applications::decline(
        &state,
        &ctx,
        id,
        &DeclineInput {
            reason: f.reason.clone(),
        },
    )
    .await
    {
        Ok(_) => Redirect::to("/applications?status=declined").into_response(),
        Err(err @ AppError::Invalid(_)) => match applications::get(&state, &ctx, id).await {
            Ok(app) => {
                let c = Chrome::new(
                    &state,
                    &headers,
                    Some(&authed),
                    &format!("/applications/{id}"),
                    "applications",
                )
                .with_errors(&err);
                let page = DetailPage {
                    kind: app.kind.label(c.lang),
                    status: status_label(&c, &app.status),
                    app,
                    reason: f.reason,
                    c,
                };
                render_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
            }
            Err(e) => error_page(&state, &headers, Some(&authed), &e),
        },
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
