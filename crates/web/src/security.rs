//! Security layers around every response and every state-changing request.

use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::error::HttpError;
use crate::error::{AppError, REQUEST_LANG};

/// No inline script, no framing, no sniffing, a strict referrer policy; nothing cached that a
/// signed-in user saw. Also fixes the request's language for messages.
pub async fn headers(req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let lang = crate::i18n::lang_of(req.headers());
    let mut res = REQUEST_LANG.scope(lang, next.run(req)).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    h.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if !is_static && !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    // A refused body was not read to its end, so this connection cannot carry another request:
    // say so, or a client's pool sends its next request down a connection the server is closing.
    if res.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        res.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    res
}

/// Refuses a state-changing request that another site made: a `Sec-Fetch-Site: cross-site`, or an
/// `Origin` (else `Referer`) that is not this site. Requests with neither header come from scripts,
/// which authenticate with a token no other site can send; forms carry a form token besides.
pub async fn cross_site_guard(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    if headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) == Some("cross-site") {
        return refuse();
    }
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|o| *o != "null")
        .map(str::to_string)
        .or_else(|| {
            headers
                .get(header::REFERER)
                .and_then(|v| v.to_str().ok())
                .and_then(origin_of)
        });
    if let Some(claimed) = claimed {
        let ok = match &state.web.public_origin {
            Some(public) => claimed.eq_ignore_ascii_case(public.trim_end_matches('/')),
            None => {
                let host = headers
                    .get(header::HOST)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                authority_of(&claimed).is_some_and(|a| a.eq_ignore_ascii_case(host))
            }
        };
        if !ok {
            return refuse();
        }
    } else if headers.get(header::ORIGIN).is_some() {
        // `Origin: null` (a sandboxed or privacy-stripped request) is never this site.
        return refuse();
    }
    next.run(req).await
}

fn refuse() -> Response {
    let mut res = AppError::Forbidden("cross_site_request").into_response();
    *res.status_mut() = StatusCode::FORBIDDEN;
    res
}

/// `scheme://authority` of a URL.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    Some(format!("{scheme}://{authority}"))
}

fn authority_of(origin: &str) -> Option<&str> {
    origin
        .split_once("://")
        .map(|(_, a)| a.trim_end_matches('/'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_cut_from_urls() {
        assert_eq!(
            origin_of("http://127.0.0.1:8080/a/b?c").as_deref(),
            Some("http://127.0.0.1:8080")
        );
        assert_eq!(authority_of("https://kj.example.cn"), Some("kj.example.cn"));
        assert_eq!(origin_of("not a url"), None);
    }
}
