//! Organisations and their users: the registry the bureau keeps, and each organisation's own page.

use crate::pages::PageQuery;
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use fruition_domain::authz::{Action, can};
use fruition_domain::org::{OrgKind, Role};
use fruition_sheets::Value;
use fruition_store::organisations::Organisation;
use fruition_store::users::User;
use serde::Deserialize;

use super::export::{self, Export};
use super::{Chrome, PageId, error_page, form_token_ok, render, render_status, stale_form};
use crate::AppState;
use crate::auth::{Authed, ClientIp, PageUser};
use crate::error::AppError;
use crate::error::HttpError;
use fruition_app::organisations::{self, NewOrgInput, OrgInput};
use fruition_app::users::{self, FirstUser, NewUserInput};
use fruition_app::{Ctx, Problems};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/organisations", get(list))
        .route("/organisations/export.xlsx", get(list))
        .route("/organisations/new", get(new_form).post(create))
        .route("/organisations/{id}", get(detail))
        .route("/organisations/{id}/edit", get(edit_form).post(update))
        .route("/organisations/{id}/active", post(set_active))
        .route(
            "/organisations/{id}/users/new",
            get(new_user_form).post(create_user),
        )
        .route("/users/{id}/active", post(set_user_active))
        .route("/users/{id}/reset-password", post(reset_password))
}

/// A kind or role offered in a select box.
pub struct Choice {
    pub code: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

fn kind_choices(c: &Chrome, selected: &str, include_bureau: bool) -> Vec<Choice> {
    OrgKind::ALL
        .iter()
        .filter(|k| include_bureau || **k != OrgKind::Bureau)
        .map(|k| Choice {
            code: k.code(),
            label: k.label(c.lang),
            selected: k.code() == selected,
        })
        .collect()
}

fn role_choices(c: &Chrome, kind: OrgKind, selected: &str) -> Vec<Choice> {
    kind.allowed_roles()
        .iter()
        .map(|r| Choice {
            code: r.code(),
            label: r.label(c.lang),
            selected: r.code() == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "organisations.html")]
struct ListPage {
    c: Chrome,
    rows: Vec<OrgRow>,
    kinds: Vec<Choice>,
    q: String,
    can_create: bool,
    export_href: String,
}

struct OrgRow {
    org: Organisation,
    kind: &'static str,
}

#[derive(Deserialize)]
struct ListQuery {
    kind: Option<String>,
    q: Option<String>,
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
    let kind = q.kind.as_deref().and_then(OrgKind::parse);
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/organisations",
        "organisations",
    );
    match organisations::list(&state, &ctx, kind, q.q.as_deref()).await {
        Ok(orgs) if export.xlsx => {
            let lang = c.lang;
            let status =
                |o: &Organisation| Value::from(c.t(if o.active { "active" } else { "inactive" }));
            let sheet = export::sheet(
                c.t("organisations"),
                &orgs,
                &[
                    (c.t("name"), &|o: &Organisation| Value::from(&o.name)),
                    (c.t("kind"), &|o: &Organisation| {
                        Value::from(o.kind.label(lang))
                    }),
                    (c.t("uscc"), &|o: &Organisation| export::opt_text(&o.uscc)),
                    (c.t("contact_name"), &|o: &Organisation| {
                        export::opt_text(&o.contact_name)
                    }),
                    (c.t("contact_phone"), &|o: &Organisation| {
                        export::opt_text(&o.contact_phone)
                    }),
                    (c.t("contact_email"), &|o: &Organisation| {
                        export::opt_text(&o.contact_email)
                    }),
                    (c.t("status"), &status),
                    (c.t("created_at"), &|o: &Organisation| {
                        Value::from(c.time(&o.created_at))
                    }),
                ],
            );
            export::download(c.t("organisations"), &[sheet])
        }
        Ok(orgs) => {
            let rows = orgs
                .into_iter()
                .map(|org| OrgRow {
                    kind: org.kind.label(c.lang),
                    org,
                })
                .collect();
            let page = ListPage {
                kinds: kind_choices(&c, q.kind.as_deref().unwrap_or(""), true),
                q: q.q.unwrap_or_default(),
                can_create: can(&authed.principal.actor(), &Action::CreateOrg).is_ok(),
                export_href: export.href,
                rows,
                c,
            };
            render(&page)
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Template)]
#[template(path = "organisation_new.html")]
struct NewPage {
    c: Chrome,
    f: NewOrgForm,
    kinds: Vec<Choice>,
}

#[derive(Deserialize, Default)]
struct NewOrgForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    csrf_token: String,
}

async fn new_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
) -> Response {
    if let Err(d) = can(&authed.principal.actor(), &Action::CreateOrg) {
        return error_page(&state, &headers, Some(&authed), &AppError::denied(d));
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        "/organisations/new",
        "new_organisation",
    );
    let kinds = kind_choices(&c, "", false);
    render(&NewPage {
        c,
        f: NewOrgForm::default(),
        kinds,
    })
}

fn blank_to_none(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    Form(f): Form<NewOrgForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let result = match OrgKind::parse(&f.kind) {
        None => {
            let mut p = Problems::default();
            p.push("kind", "请选择机构类型", "Choose the kind of organisation");
            Err(p.into_result().err().unwrap_or(AppError::NotFound))
        }
        Some(kind) => {
            let first_user = (!f.login.trim().is_empty() || !f.display_name.trim().is_empty())
                .then(|| NewUserInput {
                    login: f.login.clone(),
                    display_name: f.display_name.clone(),
                    role: None,
                    email: None,
                    phone: None,
                });
            let input = NewOrgInput {
                kind,
                name: f.name.clone(),
                uscc: blank_to_none(&f.uscc),
                contact_name: blank_to_none(&f.contact_name),
                contact_phone: blank_to_none(&f.contact_phone),
                contact_email: blank_to_none(&f.contact_email),
                first_user,
            };
            organisations::create(&state, &ctx, &input).await
        }
    };
    match result {
        Ok((org, first)) => match first {
            Some(first) => one_time_password_page(
                &state,
                &headers,
                &authed,
                org.id,
                first,
                StatusCode::CREATED,
            ),
            None => {
                Redirect::to(&format!("/organisations/{}?done=created", org.id)).into_response()
            }
        },
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                "/organisations/new",
                "new_organisation",
            )
            .with_errors(&err);
            let kinds = kind_choices(&c, &f.kind, false);
            render_status(err.status(), &NewPage { c, f, kinds })
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

#[derive(Template)]
#[template(path = "one_time_password.html")]
struct OneTimePasswordPage {
    c: Chrome,
    org_id: i64,
    login: String,
    display_name: String,
    password: String,
}

fn one_time_password_page(
    state: &AppState,
    headers: &HeaderMap,
    authed: &Authed,
    org_id: i64,
    first: FirstUser,
    status: StatusCode,
) -> Response {
    let c = Chrome::new(state, headers, Some(authed), "/organisations", "created");
    let page = OneTimePasswordPage {
        c,
        org_id,
        login: first.user.login,
        display_name: first.user.display_name,
        password: first.one_time_password,
    };
    render_status(status, &page)
}

#[derive(Template)]
#[template(path = "organisation.html")]
struct DetailPage {
    c: Chrome,
    org: Organisation,
    kind: &'static str,
    users: Vec<UserRow>,
    can_edit: bool,
    can_add_user: bool,
    can_set_active: bool,
}

struct UserRow {
    user: User,
    role: &'static str,
    can_set_active: bool,
    can_reset: bool,
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn detail(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    PageQuery(q): PageQuery<Done>,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let org = match organisations::get(&state, &ctx, id).await {
        Ok(o) => o,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let members = match users::list_for_org(&state, &ctx, id).await {
        Ok(u) => u,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let actor = authed.principal.actor();
    let mut c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/organisations/{id}"),
        "organisation",
    )
    .with_notice(q.done.as_deref());
    // The page is about the organisation: its name is the title.
    c.title = org.name.clone();
    let users = members
        .into_iter()
        .map(|user| UserRow {
            role: user.role.label(c.lang),
            can_set_active: can(
                &actor,
                &Action::SetUserActive {
                    org_id: id,
                    user_id: user.id,
                    role: user.role,
                },
            )
            .is_ok(),
            can_reset: can(
                &actor,
                &Action::ResetPassword {
                    org_id: id,
                    user_id: user.id,
                    role: user.role,
                },
            )
            .is_ok(),
            user,
        })
        .collect();
    let page = DetailPage {
        kind: org.kind.label(c.lang),
        can_edit: can(&actor, &Action::UpdateOrg { org_id: id }).is_ok(),
        can_add_user: org.kind.allowed_roles().iter().any(|r| {
            can(
                &actor,
                &Action::CreateUser {
                    org_id: id,
                    org_kind: org.kind,
                    role: *r,
                },
            )
            .is_ok()
        }),
        can_set_active: can(&actor, &Action::SetOrgActive { org_id: id }).is_ok(),
        org,
        users,
        c,
    };
    render(&page)
}

#[derive(Template)]
#[template(path = "organisation_edit.html")]
struct EditPage {
    c: Chrome,
    id: i64,
    f: EditForm,
}

#[derive(Deserialize, Default)]
struct EditForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    uscc: String,
    #[serde(default)]
    contact_name: String,
    #[serde(default)]
    contact_phone: String,
    #[serde(default)]
    contact_email: String,
    #[serde(default)]
    csrf_token: String,
}

async fn edit_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    if let Err(d) = can(&authed.principal.actor(), &Action::UpdateOrg { org_id: id }) {
        return error_page(&state, &headers, Some(&authed), &AppError::denied(d));
    }
    let org = match organisations::get(&state, &ctx, id).await {
        Ok(o) => o,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let mut c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/organisations/{id}/edit"),
        "edit",
    );
    c.title = format!("{} – {}", c.t("edit"), org.name);
    let f = EditForm {
        name: org.name,
        uscc: org.uscc.unwrap_or_default(),
        contact_name: org.contact_name.unwrap_or_default(),
        contact_phone: org.contact_phone.unwrap_or_default(),
        contact_email: org.contact_email.unwrap_or_default(),
        csrf_token: String::new(),
    };
    render(&EditPage { c, id, f })
}

async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<EditForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let input = OrgInput {
        name: f.name.clone(),
        uscc: blank_to_none(&f.uscc),
        contact_name: blank_to_none(&f.contact_name),
        contact_phone: blank_to_none(&f.contact_phone),
        contact_email: blank_to_none(&f.contact_email),
    };
    match organisations::update(&state, &ctx, id, &input).await {
        Ok(_) => Redirect::to(&format!("/organisations/{id}?done=saved")).into_response(),
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/organisations/{id}/edit"),
                "edit",
            )
            .with_errors(&err);
            render_status(err.status(), &EditPage { c, id, f })
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: String,
    #[serde(default)]
    csrf_token: String,
}

async fn set_active(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<ActiveForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let active = f.active == "true";
    match organisations::set_active(&state, &ctx, id, active).await {
        Ok(_) => {
            let done = if active {
                "org_reactivated"
            } else {
                "org_deactivated"
            };
            Redirect::to(&format!("/organisations/{id}?done={done}")).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Template)]
#[template(path = "user_new.html")]
struct NewUserPage {
    c: Chrome,
    org: Organisation,
    roles: Vec<Choice>,
    f: NewUserForm,
}

#[derive(Deserialize, Default)]
struct NewUserForm {
    #[serde(default)]
    login: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    csrf_token: String,
}

async fn new_user_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
) -> Response {
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let org = match organisations::get(&state, &ctx, id).await {
        Ok(o) => o,
        Err(e) => return error_page(&state, &headers, Some(&authed), &e),
    };
    let actor = authed.principal.actor();
    let roles: Vec<Role> = org
        .kind
        .allowed_roles()
        .iter()
        .copied()
        .filter(|r| {
            can(
                &actor,
                &Action::CreateUser {
                    org_id: id,
                    org_kind: org.kind,
                    role: *r,
                },
            )
            .is_ok()
        })
        .collect();
    if roles.is_empty() {
        return error_page(
            &state,
            &headers,
            Some(&authed),
            &AppError::Forbidden("forbidden"),
        );
    }
    let c = Chrome::new(
        &state,
        &headers,
        Some(&authed),
        &format!("/organisations/{id}/users/new"),
        "add_user",
    );
    let roles = roles
        .iter()
        .map(|r| Choice {
            code: r.code(),
            label: r.label(c.lang),
            selected: false,
        })
        .collect();
    render(&NewUserPage {
        c,
        org,
        roles,
        f: NewUserForm::default(),
    })
}

async fn create_user(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<NewUserForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let input = NewUserInput {
        login: f.login.clone(),
        display_name: f.display_name.clone(),
        role: Role::parse(&f.role),
        email: blank_to_none(&f.email),
        phone: blank_to_none(&f.phone),
    };
    match users::create(&state, &ctx, id, &input).await {
        Ok(first) => {
            one_time_password_page(&state, &headers, &authed, id, first, StatusCode::CREATED)
        }
        Err(err @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            let org = match organisations::get(&state, &ctx, id).await {
                Ok(o) => o,
                Err(e) => return error_page(&state, &headers, Some(&authed), &e),
            };
            let c = Chrome::new(
                &state,
                &headers,
                Some(&authed),
                &format!("/organisations/{id}/users/new"),
                "add_user",
            )
            .with_errors(&err);
            let roles = role_choices(&c, org.kind, &f.role);
            render_status(err.status(), &NewUserPage { c, org, roles, f })
        }
        Err(err) => error_page(&state, &headers, Some(&authed), &err),
    }
}

async fn set_user_active(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<ActiveForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    let active = f.active == "true";
    match users::set_active(&state, &ctx, id, active).await {
        Ok(user) => {
            let done = if active {
                "user_reactivated"
            } else {
                "user_deactivated"
            };
            Redirect::to(&format!("/organisations/{}?done={done}", user.org_id)).into_response()
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf_token: String,
}

async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    PageUser(authed): PageUser,
    ClientIp(ip): ClientIp,
    PageId(id): PageId,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !form_token_ok(&headers, Some(&authed), &f.csrf_token) {
        return stale_form(&state, &headers, Some(&authed));
    }
    let ctx = Ctx {
        principal: &authed.principal,
        ip,
    };
    match users::reset_password(&state, &ctx, id).await {
        Ok(first) => {
            let org_id = first.user.org_id;
            one_time_password_page(&state, &headers, &authed, org_id, first, StatusCode::OK)
        }
        Err(e) => error_page(&state, &headers, Some(&authed), &e),
    }
}
