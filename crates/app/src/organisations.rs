//! Registering and keeping organisations.

use crate::clock::rfc3339;
use fruition_domain::account::{Email, OrgName, PersonName, Phone};
use fruition_domain::authz::{Action, OrgScope, org_scope};
use fruition_domain::org::OrgKind;
use fruition_domain::uscc::Uscc;
use fruition_store::organisations::{self, OrgProfile, Organisation};
use fruition_store::users::User;
use serde::Deserialize;
use serde::Serialize;
use utoipa::ToSchema;

use super::users::{FirstUser, NewUserInput, insert_user};
use super::{Ctx, Problems};
use crate::App;
use crate::error::AppError;

/// An organisation's profile as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrgInput {
    /// 名称 — 2 to 100 characters, unique.
    pub name: String,
    /// 统一社会信用代码 (GB 32100), checked; optional only for the bureau.
    #[serde(default)]
    pub uscc: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
}

/// A new organisation and, optionally, its first user (who becomes its manager).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOrgInput {
    pub kind: OrgKind,
    /// 名称 — 2 to 100 characters, unique.
    pub name: String,
    /// 统一社会信用代码 (GB 32100), checked.
    #[serde(default)]
    pub uscc: Option<String>,
    #[serde(default)]
    pub contact_name: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
    #[serde(default)]
    pub contact_email: Option<String>,
    #[serde(default)]
    pub first_user: Option<NewUserInput>,
}

impl NewOrgInput {
    pub fn profile(&self) -> OrgInput {
        OrgInput {
            name: self.name.clone(),
            uscc: self.uscc.clone(),
            contact_name: self.contact_name.clone(),
            contact_phone: self.contact_phone.clone(),
            contact_email: self.contact_email.clone(),
        }
    }
}

/// Validates a profile; `kind` decides whether a USCC is required.
pub fn validate_profile(
    kind: OrgKind,
    input: &OrgInput,
    problems: &mut Problems,
) -> Option<OrgProfile> {
    let name = problems.check(OrgName::parse(&input.name));
    let uscc_text = input
        .uscc
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let uscc = match uscc_text {
        Some(s) => problems
            .check(Uscc::parse(s))
            .map(|u| u.as_str().to_string()),
        None if kind == OrgKind::Bureau => None,
        None => {
            problems.check::<()>(Err(super::required("uscc")));
            None
        }
    };
    let contact_name = problems
        .optional(input.contact_name.as_deref(), |s| {
            PersonName::parse(s).map_err(|e| e.for_field("contact_name"))
        })
        .map(|v| v.into_string());
    let contact_phone = problems
        .optional(input.contact_phone.as_deref(), |s| {
            Phone::parse(s).map_err(|e| e.for_field("contact_phone"))
        })
        .map(|v| v.to_string());
    let contact_email = problems
        .optional(input.contact_email.as_deref(), |s| {
            Email::parse(s).map_err(|e| e.for_field("contact_email"))
        })
        .map(|v| v.to_string());
    Some(OrgProfile {
        name: name?.into_string(),
        uscc,
        contact_name,
        contact_phone,
        contact_email,
    })
}

pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    kind: Option<OrgKind>,
    q: Option<&str>,
) -> Result<Vec<Organisation>, AppError> {
    let scope: OrgScope = org_scope(&ctx.principal.actor());
    Ok(organisations::list(&state.db, scope, kind, q).await?)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Organisation, AppError> {
    ctx.require(Action::ViewOrg { org_id: id })?;
    organisations::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Registers an organisation, with its first user when one is given. Returns the user's
/// one-time password, to be handed over once.
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    input: &NewOrgInput,
) -> Result<(Organisation, Option<FirstUser>), AppError> {
    ctx.require(Action::CreateOrg)?;
    if input.kind == OrgKind::Bureau {
        return Err(AppError::invalid(fruition_domain::FieldError::new(
            "kind",
            "kind_bureau",
            "科技主管部门只有一个，不能另行登记",
            "There is one bureau; another cannot be registered",
        )));
    }
    let mut problems = Problems::default();
    let profile = validate_profile(input.kind, &input.profile(), &mut problems);
    let first = match &input.first_user {
        Some(u) => super::users::validate_new_user(input.kind, u, true, &mut problems),
        None => None,
    };
    problems.into_result()?;
    let (Some(profile), first) = (profile, first) else {
        return Err(AppError::Invalid(vec![]));
    };
    let password = first
        .as_ref()
        .map(|_| crate::auth::secret::one_time_password());
    let hash = match &password {
        Some(pw) => Some(state.hashing.hash(pw.clone()).await?),
        None => None,
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let org = organisations::insert(&mut tx, &audit, input.kind, &profile).await?;
    let mut first_user = None;
    if let (Some(mut new_user), Some(hash), Some(password)) = (first, hash, password) {
        new_user.org_id = org.id;
        new_user.password_hash = hash;
        let user: User = insert_user(&mut tx, &audit, &new_user).await?;
        first_user = Some(FirstUser {
            user: user.into(),
            one_time_password: password,
        });
    }
    tx.commit().await?;
    Ok((org, first_user))
}

pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &OrgInput,
) -> Result<Organisation, AppError> {
    ctx.require(Action::UpdateOrg { org_id: id })?;
    let existing = organisations::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut problems = Problems::default();
    let profile = validate_profile(existing.kind, input, &mut problems);
    problems.into_result()?;
    let Some(profile) = profile else {
        return Err(AppError::Invalid(vec![]));
    };
    let mut tx = state.db.begin().await?;
    let org = organisations::update(&mut tx, &ctx.audit(), id, &profile).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(org)
}

pub async fn set_active(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    active: bool,
) -> Result<Organisation, AppError> {
    ctx.require(Action::SetOrgActive { org_id: id })?;
    let mut tx = state.db.begin().await?;
    let org = organisations::set_active(&mut tx, &ctx.audit(), id, active).await?;
    tx.commit().await?;
    state.tokens.clear();
    Ok(org)
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrgView {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub uscc: Option<String>,
    pub contact_name: Option<String>,
    pub contact_phone: Option<String>,
    pub contact_email: Option<String>,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<Organisation> for OrgView {
    fn from(o: Organisation) -> Self {
        OrgView {
            id: o.id,
            name: o.name,
            kind: o.kind,
            uscc: o.uscc,
            contact_name: o.contact_name,
            contact_phone: o.contact_phone,
            contact_email: o.contact_email,
            active: o.active,
            created_at: rfc3339(o.created_at),
            updated_at: rfc3339(o.updated_at),
        }
    }
}
