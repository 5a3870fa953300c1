//! Who is asking, read off the request: session cookies, personal API tokens (Bearer), the client's
//! address. Looking the credential up is the application's (`fruition_app::auth`).

mod session;

pub use session::{
    ApiUser, Authed, ClientIp, MaybeUser, PageUser, Via, authenticate, clear_cookie, client_ip,
    cookie_value, held_for_password_change, session_cookie, session_cookie_name, user_agent,
};
