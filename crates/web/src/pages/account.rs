//! The account page: profile, password, language and personal API tokens.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_store::tokens::ApiToken;
use serde::Deserialize;

use super::{Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use crate::i18n::LANG_COOKIE;
use fruition_app::tokens::NewTokenInput;
use fruition_app::users::{PasswordChange, ProfileInput};
use fruition_app::{Ctx, tokens, users};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/account", get(show).post(save_profile))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
        .route("/account/tokens", post(create_token))
        .route("/account/tokens/{id}/revoke", post(revoke_token))
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    c: Chrome,
    display_name: String,
    email: String,
    phone: String,
    lang: String,
    org_name: String,
    role: &'static str,
    is_manager: bool,
    tokens: Vec<ApiToken>,
    new_token: Option<String>,
    token_name: String,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn page(
    state: &AppState,
    authed: &crate::auth::Authed,
    c: Chrome,
) -> Result<AccountPage, crate::error::AppError> {
    let ctx = Ctx {
        principal: &authed.principal,
        ip: String::new(),
    };
    let u = &authed.principal.user;
    Ok(AccountPage {
        display_name: u.display_name.clone(),
        email: u.email.clone().unwrap_or_default(),
        phone: u.phone.clone().unwrap_or_default(),
        lang: u.lang.clone().unwrap_or_default(),
        org_name: authed.principal.org_name.clone(),
        role: u.role.label(c.lang),
        is_manager: u.is_manager,
        tokens: tokens::list(state, &ctx).await?,
        new_token: None,
        token_name: String::new(),
        c,
    })
}

async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let c = Chrome::new(&state, &headers, Some(&authed), "/account", "account")
        .with_notice(q.done.as_deref());
    match page(&state, &authed, c).await {
        Ok(p) => render(&p),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Deserialize)]
struct ProfileForm {
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    csrf_token: String,
}

async fn save_profile(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<ProfileForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let input = ProfileInput {
        display_name: f.display_name.clone(),
        email: Some(f.email.clone()),
        phone: Some(f.phone.clone()),
        lang: Some(f.lang.clone()),
    };
    match users::update_profile(&state, &ctx, &input).await {
        Ok(user) => {
            let mut res = Redirect::to("/account?done=saved").into_response();
            let cookie = match user.lang.as_deref() {
                Some(lang) => {
                    format!("{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax")
                }
                None => format!("{LANG_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax"),
            };
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(err) => {
            let c = Chrome::new(&state, &headers, Some(&authed), "/account", "account")
                .with_errors(&err);
            match page(&state, &authed, c).await {
                Ok(mut p) => {
                    p.display_name = f.display_name;
                    p.email = f.email;
                    p.phone = f.phone;
                    p.lang = f.lang;
                    render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
                }
                Err(e) => error_page(&state, &headers, Some(&authed), &e),
            }
        }
    }
}

#[derive(Template)]
#[template(path = "password.html")]
struct PasswordPage {
    c: Chrome,
    must_change: bool,
}

async fn password_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
) -> Response {
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/account/password",
        "change_password",
    );
    render(&PasswordPage {
        must_change: authed.principal.user.must_change_password,
        c,
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    csrf_token: String,
}

async fn change_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<PasswordForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let input = PasswordChange {
        current_password: f.current_password,
        new_password: f.new_password,
    };
    match users::change_own_password(&state, &ctx, &authed, &input).await {
        Ok(_) => Redirect::to("/account?done=password_changed").into_response(),
        Err(err) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/account/password",
                "change_password",
            )
            .with_errors(&err);
            let status = if err.retry_after_secs().is_some() {
                StatusCode::TOO_MANY_REQUESTS
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let mut res = render_status(
                status,
                &PasswordPage {
                    must_change: authed.principal.user.must_change_password,
                    c,
                },
            );
            crate::error::with_retry_after(&mut res, &err);
            res
        }
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    csrf_token: String,
}

async fn create_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<TokenForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let result = tokens::create(
        &state,
        &ctx,
        &NewTokenInput {
            name: f.name.clone(),
        },
    )
    .await;
    let c = Chrome::new(&state, &headers, Some(&authed), "/account", "account");
    let c = match &result {
        Ok(_) => c,
        Err(err) => c.with_errors(err),
    };
    match page(&state, &authed, c).await {
        Ok(mut p) => match result {
            Ok(created) => {
                p.new_token = Some(created.token);
                render_status(StatusCode::CREATED, &p)
            }
            Err(_) => {
                p.token_name = f.name;
                render_status(StatusCode::UNPROCESSABLE_ENTITY, &p)
            }
        },
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn revoke_token(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match tokens::revoke(&state, &ctx, id).await {
        Ok(_) => Redirect::to("/account?done=saved").into_response(),
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
