//! The home page: what the platform is; for a signed-in user, the work queue — what waits for
//! them, each item a link to where it is done, with its count and how long the oldest waited.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_app::Ctx;
use fruition_app::queue::{self, WorkItem};
use fruition_domain::org::OrgKind;

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
    /// What waits, as the page shows it.
    work: Vec<WorkLine>,
    /// The user's organisation kind (what to suggest when nothing waits).
    org_kind: Option<OrgKind>,
}

/// One work item in words.
struct WorkLine {
    label: &'static str,
    count: i64,
    href: String,
    act: bool,
    /// "最早一件已等待 3 天", or an amount.
    detail: Option<String>,
}

fn line(c: &Chrome, item: WorkItem) -> WorkLine {
    let key = format!("work_{}", item.kind.code());
    let detail = match (item.amount_fen, item.oldest_days) {
        (Some(fen), _) => Some(format!(
            "{} {}",
            fruition_domain::money::yuan(fen),
            c.t("yuan")
        )),
        (None, Some(d)) if d > 0 => Some(format!(
            "{} {d} {}",
            c.t("work_oldest_waited"),
            c.t("work_days")
        )),
        _ => None,
    };
    WorkLine {
        label: c.t(&key),
        count: item.count,
        href: item.href,
        act: item.act,
        detail,
    }
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
    let mut work = Vec::new();
    if let Some(u) = &user {
        let ctx = Ctx {
            principal: &u.principal,
            ip: String::new(),
        };
        match queue::work(&state, &ctx).await {
            Ok(q) => work = q.items.into_iter().map(|i| line(&c, i)).collect(),
            Err(err) => return super::error_page(&state, &headers, user.as_ref(), &err),
        }
    }
    let page = HomePage {
        city: state.settings.city_name.clone(),
        org_id: user.as_ref().map(|u| u.principal.user.org_id),
        org_kind: user.as_ref().map(|u| u.principal.org_kind),
        work,
        c,
    };
    render(&page)
}
