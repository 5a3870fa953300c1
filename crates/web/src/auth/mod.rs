//! Who is asking: sessions (browser cookies), personal API tokens (Bearer), passwords and secrets.

pub mod cache;
pub mod password;
pub mod secret;
mod session;

pub use session::{
    ApiUser, Authed, ClientIp, MaybeUser, PageUser, Via, authenticate, clear_cookie, client_ip,
    cookie_value, session_cookie, session_cookie_name, user_agent,
};
