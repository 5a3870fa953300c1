//! Who is acting: a user proved by a browser session or a personal API token, passwords and
//! secrets. Reading the credential off a request (cookies, the `Authorization` header) is the web
//! layer's; deciding what the user may do is `fruition_domain::authz`'s.

pub mod cache;
pub mod password;
pub mod secret;

use fruition_store::users::Principal;
use fruition_store::{clock, sessions, tokens};

use crate::{App, AppError};
use secret::hash_token;

/// How the request proved who it is.
#[derive(Debug, Clone)]
pub enum Via {
    /// A browser session; state-changing requests must carry its form token.
    Session { token_hash: String, csrf: String },
    /// A personal API token (`Authorization: Bearer`), which no other site can send.
    Token,
}

/// A signed-in user.
#[derive(Debug, Clone)]
pub struct Authed {
    pub principal: Principal,
    pub via: Via,
    /// What the navigation shows of the user (unread messages, the organisation's own
    /// resources), read with the session; None for API tokens (they show no pages).
    pub nav: Option<crate::queue::NavFacts>,
}

impl Authed {
    /// The session's form token (empty for token-authenticated requests, which need none).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token => "",
        }
    }
}

/// What a request presented.
pub enum Credential<'a> {
    /// A personal API token: an unknown one is refused (401).
    Token(&'a str),
    /// A session cookie's value: an unknown or expired one is nobody.
    Session(&'a str),
}

/// Finds the signed-in user. Extends a session in use and notes when a token was last used (at
/// most once a minute, so a busy script does not write on every request).
pub async fn authenticate(
    state: &App,
    credential: Credential<'_>,
) -> Result<Option<Authed>, AppError> {
    match credential {
        Credential::Token(token) => {
            let hash = hash_token(token.trim());
            if let Some(principal) = state.tokens.get(&hash) {
                return Ok(Some(Authed {
                    principal,
                    via: Via::Token,
                    nav: None,
                }));
            }
            let Some((principal, token_id, last_used)) = tokens::lookup(&state.db, &hash).await?
            else {
                return Err(AppError::Unauthorized);
            };
            let now = clock::now_ms();
            // When the token was last used is a convenience: a busy database does not refuse
            // the request for it.
            if last_used.is_none_or(|t| now - t > clock::MINUTE_MS)
                && let Err(e) = tokens::touch(&state.db, token_id).await
            {
                tracing::warn!(error = %e, "a token's last use was not recorded");
            }
            state.tokens.put(hash, principal.clone());
            Ok(Some(Authed {
                principal,
                via: Via::Token,
                nav: None,
            }))
        }
        Credential::Session(token) => {
            let token_hash = hash_token(token);
            let now = clock::now_ms();
            let live = match state.sessions.get(&token_hash) {
                Some(live) if live.expires_at > now => live,
                _ => {
                    let writes = fruition_store::writes();
                    let Some(live) = sessions::lookup(&state.db, &token_hash).await? else {
                        return Ok(None);
                    };
                    state.sessions.put(token_hash.clone(), writes, live.clone());
                    live
                }
            };
            if now - live.last_seen_at > 5 * clock::MINUTE_MS {
                sessions::touch(
                    &state.db,
                    &token_hash,
                    now + state.settings.session_minutes * clock::MINUTE_MS,
                )
                .await?;
            }
            Ok(Some(Authed {
                principal: live.principal,
                via: Via::Session {
                    token_hash,
                    csrf: live.csrf_token,
                },
                nav: Some(live.nav),
            }))
        }
    }
}
