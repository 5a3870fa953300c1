//! Users: adding colleagues, deactivating them, passwords and profiles.

use crate::clock::rfc3339;
use fruition_domain::account::{Email, Login, Password, PersonName, Phone};
use fruition_domain::authz::Action;
use fruition_domain::lang::Lang;
use fruition_domain::org::{OrgKind, Role};
use fruition_store::audit::AuditCtx;
use fruition_store::users::{self, NewUser, Profile, User};
use fruition_store::{Tx, organisations};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Ctx, Problems};
use crate::App;
use crate::auth::{Authed, Via, secret};
use crate::error::AppError;

/// A new user. The password is generated: a one-time password to hand over, changed at first sign-in.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewUserInput {
    /// 3–32 characters: lower-case letters, digits, `.`, `_`, `-`; starts with a letter.
    pub login: String,
    pub display_name: String,
    /// Defaults to the first role the organisation's kind allows.
    #[serde(default)]
    pub role: Option<Role>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// A user just created, with the one-time password to hand over (shown once).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FirstUser {
    pub user: UserView,
    pub one_time_password: String,
}

/// Validates a new user for an organisation of `kind`; `manager` makes them its manager.
pub fn validate_new_user(
    kind: OrgKind,
    input: &NewUserInput,
    manager: bool,
    problems: &mut Problems,
) -> Option<NewUser> {
    let login = problems.check(Login::parse(&input.login));
    let name = problems.check(PersonName::parse(&input.display_name));
    let role = input.role.unwrap_or_else(|| kind.first_user_role());
    if !kind.allowed_roles().contains(&role) {
        problems.push(
            "role",
            "该角色不适用于此类机构",
            "This role does not fit the organisation's kind",
        );
    }
    let email = problems
        .optional(input.email.as_deref(), Email::parse)
        .map(|v| v.to_string());
    let phone = problems
        .optional(input.phone.as_deref(), Phone::parse)
        .map(|v| v.to_string());
    Some(NewUser {
        org_id: 0,
        login: login?.into_string(),
        display_name: name?.into_string(),
        role,
        is_manager: manager && role != Role::Viewer,
        password_hash: String::new(),
        must_change_password: true,
        email,
        phone,
    })
}

pub(crate) async fn insert_user(
    tx: &mut Tx,
    audit: &AuditCtx,
    new_user: &NewUser,
) -> Result<User, AppError> {
    Ok(users::insert(tx, audit, new_user).await?)
}

pub async fn list_for_org(state: &App, ctx: &Ctx<'_>, org_id: i64) -> Result<Vec<User>, AppError> {
    ctx.require(Action::ViewUsers { org_id })?;
    organisations::get(&state.db, org_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(users::list_by_org(&state.db, org_id).await?)
}

/// Users the actor may see: everyone for the bureau, their own organisation's for others.
pub async fn search(
    state: &App,
    ctx: &Ctx<'_>,
    filter: &users::UserFilter,
) -> Result<Vec<users::UserWithOrg>, AppError> {
    let scope = fruition_domain::authz::org_scope(&ctx.principal.actor());
    Ok(users::search(&state.db, scope, filter).await?)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<User, AppError> {
    let user = users::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewUsers {
        org_id: user.org_id,
    })?;
    Ok(user)
}

/// Adds a user to an organisation; returns them with their one-time password.
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    org_id: i64,
    input: &NewUserInput,
) -> Result<FirstUser, AppError> {
    let org = organisations::get(&state.db, org_id).await?;
    let Some(org) = org else {
        // Do not tell an outsider whether the organisation exists.
        ctx.require(Action::ViewOrg { org_id })?;
        return Err(AppError::NotFound);
    };
    let role = input.role.unwrap_or_else(|| org.kind.first_user_role());
    ctx.require(Action::CreateUser {
        org_id,
        org_kind: org.kind,
        role,
    })?;
    let mut problems = Problems::default();
    let new_user = validate_new_user(org.kind, input, false, &mut problems);
    problems.into_result()?;
    let Some(mut new_user) = new_user else {
        return Err(AppError::Invalid(vec![]));
    };
    let one_time_password = secret::one_time_password();
    new_user.org_id = org_id;
    new_user.password_hash = state.hashing.hash(one_time_password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let user = insert_user(&mut tx, &ctx.audit(), &new_user).await?;
    tx.commit().await?;
    Ok(FirstUser {
        user: user.into(),
        one_time_password,
    })
}

/// Deactivates (ending their sessions at once) or reactivates a user.
pub async fn set_active(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    active: bool,
) -> Result<User, AppError> {
    let target = users::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::SetUserActive {
        org_id: target.org_id,
        user_id: id,
        role: target.role,
    })?;
    let mut tx = state.db.begin().await?;
    let user = users::set_active(&mut tx, &ctx.audit(), id, active).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(user)
}

/// Gives a user a new one-time password (ending their sessions).
pub async fn reset_password(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<FirstUser, AppError> {
    let target = users::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ResetPassword {
        org_id: target.org_id,
        user_id: id,
        role: target.role,
    })?;
    let one_time_password = secret::one_time_password();
    let hash = state.hashing.hash(one_time_password.clone()).await?;
    let mut tx = state.db.begin().await?;
    let user = users::set_password(&mut tx, &ctx.audit(), id, &hash, true, None).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(FirstUser {
        user: user.into(),
        one_time_password,
    })
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    /// At least 10 characters, not the login, and hard to guess (zxcvbn score 3 or more).
    pub new_password: String,
}

/// Changes the signed-in user's own password; their other sessions end.
pub async fn change_own_password(
    state: &App,
    ctx: &Ctx<'_>,
    authed: &Authed,
    input: &PasswordChange,
) -> Result<User, AppError> {
    let me = &ctx.principal.user;
    let mut problems = Problems::default();
    let stored = users::password_hash(&state.db, me.id).await?;
    // The current password is a guess like a sign-in's: throttled and recorded the same way.
    let audit = ctx.audit();
    let checked = crate::session::check_password(
        state,
        &me.login,
        &ctx.ip,
        &audit,
        Some(me.org_id),
        &input.current_password,
        Some(stored),
    )
    .await?;
    if checked.ok {
        let mut tx = state.db.begin().await?;
        crate::session::succeeded(&mut tx, &checked, &me.login).await?;
        tx.commit().await?;
    } else {
        crate::session::failed(
            state,
            &me.login,
            &audit,
            Some(me.org_id),
            "wrong_current_password",
        )
        .await?;
        problems.push(
            "current_password",
            "当前密码不正确",
            "The current password is not correct",
        );
    }
    // Estimating a password's strength can take tens of milliseconds on a long one: off the
    // async threads. What the platform knows of the user (name, e-mail) counts as guessable.
    let (pw, login) = (input.new_password.clone(), me.login.clone());
    let known: Vec<String> = [
        Some(me.display_name.clone()),
        me.email.clone(),
        me.phone.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    let strength = tokio::task::spawn_blocking(move || {
        let inputs: Vec<&str> = known.iter().map(String::as_str).collect();
        Password::new_checked_with_inputs(&pw, &login, &inputs)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?;
    let new = problems.check(strength);
    if new.is_some() && input.new_password == input.current_password {
        problems.push(
            "new_password",
            "新密码不能与当前密码相同",
            "The new password must differ from the current one",
        );
    }
    problems.into_result()?;
    let Some(new) = new else {
        return Err(AppError::Invalid(vec![]));
    };
    let hash = state.hashing.hash(new.expose().to_string()).await?;
    let keep = match &authed.via {
        Via::Session { token_hash, .. } => Some(token_hash.as_str()),
        Via::Token => None,
    };
    let mut tx = state.db.begin().await?;
    let user = users::set_password(&mut tx, &ctx.audit(), me.id, &hash, false, keep).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(user)
}

/// An interface language a user may choose (`zh-CN`, `en`), or empty to follow the browser.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub enum LangChoice {
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
    #[serde(rename = "")]
    Browser,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfileInput {
    pub display_name: String,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    /// `zh-CN` or `en`; empty follows the browser.
    #[serde(default)]
    #[schema(value_type = Option<LangChoice>)]
    pub lang: Option<String>,
}

pub async fn update_profile(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ProfileInput,
) -> Result<User, AppError> {
    let mut problems = Problems::default();
    let name = problems.check(PersonName::parse(&input.display_name));
    let email = problems
        .optional(input.email.as_deref(), Email::parse)
        .map(|v| v.to_string());
    let phone = problems
        .optional(input.phone.as_deref(), Phone::parse)
        .map(|v| v.to_string());
    let lang = match input
        .lang
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(tag) => match Lang::from_tag(tag) {
            Some(l) => Some(l.tag().to_string()),
            None => {
                problems.push(
                    "lang",
                    "只支持 zh-CN 或 en",
                    "Only zh-CN or en is supported",
                );
                None
            }
        },
    };
    problems.into_result()?;
    let Some(name) = name else {
        return Err(AppError::Invalid(vec![]));
    };
    let profile = Profile {
        display_name: name.into_string(),
        email,
        phone,
        lang,
    };
    let mut tx = state.db.begin().await?;
    let user =
        users::update_profile(&mut tx, &ctx.audit(), ctx.principal.user.id, &profile).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(user)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UserView {
    pub id: i64,
    pub org_id: i64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    /// The organisation's manager may add and deactivate colleagues.
    pub is_manager: bool,
    /// A one-time password is still unchanged.
    pub must_change_password: bool,
    pub active: bool,
    /// The interface language the user chose (`zh-CN` or `en`); null follows the browser.
    #[schema(value_type = Option<LangChoice>)]
    pub lang: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: String,
    pub last_login_at: Option<String>,
}

impl From<User> for UserView {
    fn from(u: User) -> Self {
        UserView {
            id: u.id,
            org_id: u.org_id,
            login: u.login,
            display_name: u.display_name,
            role: u.role,
            is_manager: u.is_manager,
            must_change_password: u.must_change_password,
            active: u.active,
            lang: u.lang,
            email: u.email,
            phone: u.phone,
            created_at: rfc3339(u.created_at),
            last_login_at: u.last_login_at.map(rfc3339),
        }
    }
}
