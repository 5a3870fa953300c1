//! The cookies the platform sets and reads: the session, the language chosen, the pre-session
//! form token.

use axum::http::{HeaderMap, header};

pub fn session_cookie_name(secure: bool) -> &'static str {
    if secure {
        "__Host-fruition_session"
    } else {
        "fruition_session"
    }
}

/// The `Set-Cookie` value for a new session.
pub fn session_cookie(token: &str, secure: bool, max_age_secs: i64) -> String {
    let name = session_cookie_name(secure);
    let secure_attr = if secure { "; Secure" } else { "" };
    format!("{name}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure_attr}")
}

/// The `Set-Cookie` value that removes a cookie.
pub fn clear_cookie(name: &str, secure: bool) -> String {
    let secure_attr = if secure { "; Secure" } else { "" };
    format!("{name}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure_attr}")
}

/// The value of the named cookie in the request's `Cookie` headers.
pub fn cookie_value<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}
