//! The list of users (all organisations' for the bureau, the own organisation's for others).

use crate::pages::PageQuery;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::get;
use fruition_domain::org::Role;
use fruition_sheets::Value;
use fruition_store::users::{UserFilter, UserWithOrg};
use serde::Deserialize;

use super::export::{self, Export};
use super::organisations::Choice;
use super::{Chrome, error_page, render};
use crate::AppState;
use crate::auth::{ClientIp, PageUser};
use fruition_app::{Ctx, users};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/users", get(list))
        .route("/users/export.xlsx", get(list))
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    c: Chrome,
    rows: Vec<Row>,
    q: String,
    roles: Vec<Choice>,
    active: String,
    export_href: String,
}

struct Row {
    u: UserWithOrg,
    role: &'static str,
}

#[derive(Deserialize)]
struct ListQuery {
    q: Option<String>,
    role: Option<String>,
    active: Option<String>,
}

async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageQuery(q): PageQuery<ListQuery>,
    export: Export,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let role = q.role.as_deref().and_then(Role::parse);
    let active = match q.active.as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    };
    let filter = UserFilter {
        q: q.q.clone(),
        role,
        active,
        org_id: None,
    };
    match users::search(&state, &ctx, &filter).await {
        Ok(found) if export.xlsx => {
            let c = Chrome::new(&state, &headers, Some(&authed), "/users", "users");
            let lang = c.lang;
            let yes_no = |b: bool| Value::from(c.t(if b { "yes" } else { "no" }));
            let status = |u: &UserWithOrg| {
                Value::from(c.t(if u.user.active { "active" } else { "inactive" }))
            };
            let sheet = export::sheet(
                c.t("users"),
                &found,
                &[
                    (c.t("login"), &|u: &UserWithOrg| Value::from(&u.user.login)),
                    (c.t("display_name"), &|u: &UserWithOrg| {
                        Value::from(&u.user.display_name)
                    }),
                    (c.t("organisation"), &|u: &UserWithOrg| {
                        Value::from(&u.org_name)
                    }),
                    (c.t("role"), &|u: &UserWithOrg| {
                        Value::from(u.user.role.label(lang))
                    }),
                    (c.t("is_manager"), &|u: &UserWithOrg| {
                        yes_no(u.user.is_manager)
                    }),
                    (c.t("status"), &status),
                    (c.t("email"), &|u: &UserWithOrg| {
                        export::opt_text(&u.user.email)
                    }),
                    (c.t("phone"), &|u: &UserWithOrg| {
                        export::opt_text(&u.user.phone)
                    }),
                    (c.t("last_login"), &|u: &UserWithOrg| {
                        Value::from(c.opt_time(&u.user.last_login_at))
                    }),
                ],
            );
            export::download(c.t("users"), &[sheet])
        }
        Ok(found) => {
            let c = Chrome::new(&state, &headers, Some(&authed), "/users", "users");
            let roles = Role::ALL
                .iter()
                .map(|r| Choice {
                    code: r.code(),
                    label: r.label(c.lang),
                    selected: Some(*r) == role,
                })
                .collect();
            let rows = found
                .into_iter()
                .map(|u| Row {
                    role: u.user.role.label(c.lang),
                    u,
                })
                .collect();
            render(&UsersPage {
                c,
                rows,
                q: q.q.unwrap_or_default(),
                roles,
                active: q.active.unwrap_or_default(),
                export_href: export.href,
            })
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
