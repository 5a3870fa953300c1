//! Signing in and out.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::org::{OrgKind, Role};
use serde::Deserialize;

use super::{
    Chrome, ensure_form_cookie, form_token_ok, render, render_status, safe_back, stale_form,
    with_cookie,
};
use crate::AppState;
use crate::auth::{
    ClientIp, MaybeUser, Via, clear_cookie, session_cookie, session_cookie_name, user_agent,
};
use crate::error::HttpError;
use crate::i18n::LANG_COOKIE;
use fruition_app::session;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(form).post(submit))
        .route("/sign-out", post(sign_out))
}

/// A demo account offered on the sign-in page of a demo database.
pub struct DemoAccount {
    pub login: &'static str,
    /// The role, and for a financier the kind of organisation (bank, guarantor).
    pub role: String,
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    c: Chrome,
    login: String,
    next: String,
    demo_accounts: Vec<DemoAccount>,
    demo_password: &'static str,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// The demo data set's accounts, one per role (and per kind of financier): login, role, kind.
pub const DEMO_ACCOUNTS: [(&str, Role, Option<OrgKind>); 10] = [
    ("demo.admin", Role::BureauAdmin, None),
    ("demo.staff", Role::BureauStaff, None),
    ("demo.carrier", Role::CarrierManager, None),
    ("demo.enterprise", Role::EnterpriseUser, None),
    ("demo.institution", Role::InstitutionUser, None),
    ("demo.bank", Role::Financier, Some(OrgKind::Bank)),
    ("demo.guarantor", Role::Financier, Some(OrgKind::Guarantor)),
    ("demo.investor", Role::Financier, Some(OrgKind::Investor)),
    ("demo.service", Role::ServiceProvider, None),
    ("demo.viewer", Role::Viewer, None),
];

fn demo_accounts(state: &AppState, c: &Chrome) -> Vec<DemoAccount> {
    if !state.settings.demo {
        return Vec::new();
    }
    DEMO_ACCOUNTS
        .into_iter()
        .map(|(login, role, kind)| DemoAccount {
            login,
            role: match kind {
                Some(k) => format!("{}（{}）", role.label(c.lang), k.label(c.lang)),
                None => role.label(c.lang).to_string(),
            },
        })
        .collect()
}

async fn form(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    PageQuery(q): PageQuery<NextQuery>,
) -> Response {
    if user.is_some() {
        return Redirect::to(&safe_back(q.next.as_deref())).into_response();
    }
    let (token, cookie) = ensure_form_cookie(&headers, state.web.secure_cookies);
    let mut c = Chrome::new(&state, &headers, None, "/sign-in", "sign_in");
    c.csrf = token;
    let demo_accounts = demo_accounts(&state, &c);
    let page = SignInPage {
        c,
        login: String::new(),
        next: safe_back(q.next.as_deref()),
        demo_accounts,
        demo_password: fruition_app::session::DEMO_PASSWORD,
    };
    with_cookie(render(&page), cookie)
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    csrf_token: String,
}

async fn submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    ClientIp(ip): ClientIp,
    Form(f): Form<SignInForm>,
) -> Response {
    if !form_token_ok(&headers, None, &f.csrf_token) {
        return stale_form(&state, &headers, None);
    }
    match session::sign_in(
        &state,
        &f.login,
        &f.password,
        &ip,
        user_agent(&headers).as_deref(),
    )
    .await
    {
        Ok(signed_in) => {
            let max_age = state.settings.session_minutes * 60;
            let cookie = session_cookie(&signed_in.token, state.web.secure_cookies, max_age);
            let target = if signed_in.principal.user.must_change_password {
                "/account/password".to_string()
            } else {
                safe_back(Some(&f.next))
            };
            let mut res = Redirect::to(&target).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            // The user's chosen language follows them to every device.
            if let Some(lang) = signed_in.principal.user.lang.as_deref()
                && let Ok(v) = HeaderValue::from_str(&format!(
                    "{LANG_COOKIE}={lang}; Path=/; Max-Age=31536000; SameSite=Lax"
                ))
            {
                res.headers_mut().append(header::SET_COOKIE, v);
            }
            res
        }
        Err(err) => {
            let mut c =
                Chrome::new(&state, &headers, None, "/sign-in", "sign_in").with_errors(&err);
            c.csrf = f.csrf_token.clone();
            let demo_accounts = demo_accounts(&state, &c);
            let status = err.status();
            let page = SignInPage {
                c,
                login: f.login,
                next: safe_back(Some(&f.next)),
                demo_accounts,
                demo_password: fruition_app::session::DEMO_PASSWORD,
            };
            // A refusal that passes (the throttle, or every password computation taken) is 429
            // with `Retry-After` and its words on the page; anything else reads as a wrong password.
            let mut res = render_status(
                if status == StatusCode::TOO_MANY_REQUESTS {
                    status
                } else {
                    StatusCode::UNPROCESSABLE_ENTITY
                },
                &page,
            );
            crate::error::with_retry_after(&mut res, &err);
            res
        }
    }
}

#[derive(Deserialize)]
struct TokenForm {
    #[serde(default)]
    csrf_token: String,
}

async fn sign_out(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
    Form(f): Form<TokenForm>,
) -> Response {
    if let Some(authed) = &user {
        if !form_token_ok(&headers, Some(authed), &f.csrf_token) {
            return stale_form(&state, &headers, user.as_ref());
        }
        if let Via::Session { token_hash, .. } = &authed.via
            && let Err(err) = session::sign_out(&state, token_hash).await
        {
            return super::error_page(&state, &headers, user.as_ref(), &err);
        }
    }
    let mut res = Redirect::to("/sign-in").into_response();
    if let Ok(v) = HeaderValue::from_str(&clear_cookie(
        session_cookie_name(state.web.secure_cookies),
        state.web.secure_cookies,
    )) {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}
