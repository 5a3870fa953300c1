//! Finding the signed-in user of a request, from a session cookie or a Bearer token.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use axum::response::{IntoResponse, Redirect, Response};
use fruition_app::auth::Credential;
pub use fruition_app::auth::{Authed, Via};

use crate::AppState;
pub use crate::cookies::{clear_cookie, cookie_value, session_cookie, session_cookie_name};
use crate::error::{ApiError, AppError};
use fruition_app::auth::secret::constant_time_eq;

/// The client's address: the connection's peer, or the first `X-Forwarded-For` entry behind a trusted proxy.
pub fn client_ip(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
        && let Some(first) = forwarded.split(',').next()
    {
        return first.trim().to_string();
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
}

pub fn user_agent(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .map(|s| s.chars().take(200).collect())
}

/// Finds the signed-in user: a Bearer token if one is sent, else the session cookie.
pub async fn authenticate(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<Authed>, AppError> {
    if let Some(auth) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let Some(token) = auth
            .strip_prefix("Bearer ")
            .or_else(|| auth.strip_prefix("bearer "))
        else {
            return Err(AppError::Unauthorized);
        };
        return fruition_app::auth::authenticate(state, Credential::Token(token)).await;
    }
    let Some(token) = cookie_value(headers, session_cookie_name(state.web.secure_cookies)) else {
        return Ok(None);
    };
    fruition_app::auth::authenticate(state, Credential::Session(token)).await
}

async fn cached(parts: &mut Parts, state: &AppState) -> Result<Option<Authed>, AppError> {
    if let Some(found) = parts.extensions.get::<Option<Authed>>() {
        return Ok(found.clone());
    }
    let found = authenticate(state, &parts.headers).await?;
    parts.extensions.insert(found.clone());
    Ok(found)
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// Whether a request must wait until the user replaces a one-time password. That password is
/// for signing in once to choose another, so a session opened with it does nothing else. An API
/// token is not blocked: none is ever made from a one-time password — the command line's tokens
/// come from the operator (`fruition user token`), the rest from a user who already passed this
/// gate — and a token of an administrator printed on the command line works at once.
pub fn held_for_password_change(authed: &Authed) -> bool {
    authed.principal.user.must_change_password && matches!(authed.via, Via::Session { .. })
}

/// The signed-in user of an API request. 401 without one; 403 for a session opened with a
/// one-time password (except on the endpoints that change it; see [`held_for_password_change`]);
/// a cookie-authenticated request that changes something must send the session's form token in
/// `X-CSRF-Token`.
pub struct ApiUser(pub Authed);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let authed = cached(parts, state).await?.ok_or(AppError::Unauthorized)?;
        // Inside the nested API router the URI is relative; the original one names the endpoint.
        let path = parts
            .extensions
            .get::<axum::extract::OriginalUri>()
            .map(|u| u.path().to_string())
            .unwrap_or_else(|| parts.uri.path().to_string());
        if held_for_password_change(&authed)
            && !(path == "/api/v1/me" || path == "/api/v1/me/password")
        {
            return Err(AppError::Forbidden("password_change_required").into());
        }
        if let Via::Session { csrf, .. } = &authed.via
            && !is_safe(&parts.method)
        {
            let sent = parts
                .headers
                .get("x-csrf-token")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            if !constant_time_eq(sent, csrf) {
                return Err(AppError::Forbidden("csrf_token_missing").into());
            }
        }
        Ok(ApiUser(authed))
    }
}

/// The signed-in user of a page, or nobody.
pub struct MaybeUser(pub Option<Authed>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(cached(parts, state).await?))
    }
}

/// The signed-in user of a page; sends others to the sign-in page, and a user with a one-time
/// password to the page that changes it.
pub struct PageUser(pub Authed);

impl FromRequestParts<AppState> for PageUser {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let found = cached(parts, state)
            .await
            .map_err(|e| ApiError(e).into_response())?;
        let Some(authed) = found else {
            let next = parts
                .uri
                .path_and_query()
                .map(|p| p.as_str())
                .unwrap_or("/");
            let target = format!("/sign-in?next={}", fruition_app::links::url_encode(next));
            return Err(Redirect::to(&target).into_response());
        };
        if held_for_password_change(&authed) && parts.uri.path() != "/account/password" {
            return Err(Redirect::to("/account/password").into_response());
        }
        Ok(PageUser(authed))
    }
}

/// The client's address, for any request (signed in or not).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(client_ip(parts, state.web.trust_proxy)))
    }
}
