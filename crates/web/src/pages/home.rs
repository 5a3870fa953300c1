//! The home page: what the platform is, and where a signed-in user goes next.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_domain::authz::{Action, can};
use fruition_store::applications;

use super::{Chrome, render};
use crate::AppState;
use crate::auth::MaybeUser;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    c: Chrome,
    city: String,
    org_id: Option<i64>,
    pending_applications: Option<usize>,
}

async fn home(
    State(state): State<AppState>,
    headers: HeaderMap,
    MaybeUser(user): MaybeUser,
) -> Response {
    if let Some(u) = &user
        && crate::auth::held_for_password_change(u)
    {
        return axum::response::IntoResponse::into_response(axum::response::Redirect::to(
            "/account/password",
        ));
    }
    let c = Chrome::new(&state, &headers, user.as_ref(), "/", "home");
    let mut pending_applications = None;
    if let Some(u) = &user
        && can(&u.principal.actor(), &Action::ReviewApplications).is_ok()
    {
        match applications::list(&state.db, Some(applications::PENDING)).await {
            Ok(list) => pending_applications = Some(list.len()),
            Err(err) => return super::error_page(&state, &headers, user.as_ref(), &err.into()),
        }
    }
    let page = HomePage {
        city: state.settings.city_name.clone(),
        org_id: user.as_ref().map(|u| u.principal.user.org_id),
        pending_applications,
        c,
    };
    render(&page)
}
