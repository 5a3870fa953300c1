//! Who is asking: sessions (browser cookies), personal API tokens (Bearer), passwords and secrets.

pub mod password;
pub mod secret;
mod session;

pub use session::{
    ApiUser, Authed, ClientIp, MaybeUser, PageUser, Via, authenticate, client_ip, clear_cookie, cookie_value, session_cookie,
    session_cookie_name, user_agent,
};
