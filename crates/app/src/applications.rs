//! Applications to join: anyone may apply; the bureau approves (creating the organisation and its
//! first user) or declines with a reason.

use crate::clock::rfc3339;
use fruition_domain::FieldError;
use fruition_domain::account::{Email, Login, OrgName, PersonName, Phone};
use fruition_domain::authz::Action;
use fruition_domain::org::OrgKind;
use fruition_domain::uscc::Uscc;
use fruition_store::applications::{
    self, APPROVED, Application, DECLINED, NewApplication, PENDING,
};
use fruition_store::audit::AuditCtx;
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users::NewUser;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::users::{FirstUser, insert_user};
use super::{Ctx, Problems};
use crate::App;
use crate::auth::secret;
use crate::error::AppError;

/// The kinds of organisation that may apply to join: every kind but `bureau`.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicantKind {
    CarrierOperator,
    Enterprise,
    Institution,
    Bank,
    Guarantor,
    Investor,
    ServiceAgency,
}

/// Where an application to join stands.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationStatus {
    Pending,
    Approved,
    Declined,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub name: String,
    /// Any kind but `bureau`.
    #[schema(value_type = ApplicantKind)]
    pub kind: String,
    pub uscc: String,
    pub contact_name: String,
    pub contact_phone: String,
    #[serde(default)]
    pub contact_email: Option<String>,
    /// The login the first user wants.
    pub login: String,
    #[serde(default)]
    pub note: Option<String>,
}

/// Checks and records an application from the public page.
pub async fn submit(
    state: &App,
    ip: &str,
    input: &ApplicationInput,
) -> Result<Application, AppError> {
    let mut p = Problems::default();
    let name = p.check(OrgName::parse(&input.name));
    let kind = match OrgKind::parse(input.kind.trim()) {
        Some(k) if k.can_apply() => Some(k),
        _ => {
            p.push("kind", "请选择机构类型", "Choose the kind of organisation");
            None
        }
    };
    let uscc = p.check(Uscc::parse(&input.uscc));
    let contact_name =
        p.check(PersonName::parse(&input.contact_name).map_err(|e| e.for_field("contact_name")));
    let contact_phone =
        p.check(Phone::parse(&input.contact_phone).map_err(|e| e.for_field("contact_phone")));
    let contact_email = p
        .optional(input.contact_email.as_deref(), |s| {
            Email::parse(s).map_err(|e| e.for_field("contact_email"))
        })
        .map(|e| e.to_string());
    let login = p.check(Login::parse(&input.login));
    let note = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if note.as_ref().is_some_and(|n| n.chars().count() > 2000) {
        p.push(
            "note",
            "说明最多 2000 字",
            "The note is at most 2000 characters",
        );
    }
    p.into_result()?;
    let (Some(name), Some(kind), Some(uscc), Some(contact_name), Some(contact_phone), Some(login)) =
        (name, kind, uscc, contact_name, contact_phone, login)
    else {
        return Err(AppError::Invalid(vec![]));
    };
    let mut p = Problems::default();
    if organisations::find_by_uscc(&state.db, uscc.as_str())
        .await?
        .is_some()
    {
        p.push(
            "uscc",
            "该统一社会信用代码已登记",
            "This unified social credit code is already registered",
        );
    }
    if fruition_store::users::get_by_login(&state.db, login.as_str())
        .await?
        .is_some()
    {
        p.push("login", "该登录名已被使用", "This login is already taken");
    }
    let (uscc_pending, login_pending) =
        applications::pending_with(&state.db, uscc.as_str(), login.as_str()).await?;
    if uscc_pending {
        p.push(
            "uscc",
            "该代码已有待审核的申请",
            "An application with this code is already waiting for review",
        );
    }
    if login_pending {
        p.push(
            "login",
            "该登录名已有待审核的申请",
            "A pending application already asks for this login",
        );
    }
    p.into_result()?;
    let new = NewApplication {
        name: name.into_string(),
        kind,
        uscc: uscc.as_str().to_string(),
        contact_name: contact_name.into_string(),
        contact_phone: contact_phone.to_string(),
        contact_email,
        login: login.into_string(),
        note,
    };
    let mut tx = state.db.begin().await?;
    let app = applications::insert(&mut tx, &AuditCtx::public(Some(ip.to_string())), &new).await?;
    tx.commit().await?;
    Ok(app)
}

pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    status: Option<&str>,
) -> Result<Vec<Application>, AppError> {
    ctx.require(Action::ReviewApplications)?;
    Ok(applications::list(&state.db, status).await?)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Application, AppError> {
    ctx.require(Action::ReviewApplications)?;
    applications::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// The result of an approval: the new organisation and its first user with a one-time password.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Approval {
    pub application: ApplicationView,
    pub organisation: crate::organisations::OrgView,
    pub first_user: FirstUser,
}

pub async fn approve(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Approval, AppError> {
    let app = get(state, ctx, id).await?;
    if app.status != PENDING {
        return Err(already_decided());
    }
    let one_time_password = secret::one_time_password();
    let hash = state.hashing.hash(one_time_password.clone()).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let profile = OrgProfile {
        name: app.name.clone(),
        uscc: Some(app.uscc.clone()),
        contact_name: Some(app.contact_name.clone()),
        contact_phone: Some(app.contact_phone.clone()),
        contact_email: app.contact_email.clone(),
    };
    let org = organisations::insert(&mut tx, &audit, app.kind, &profile).await?;
    let new_user = NewUser {
        org_id: org.id,
        login: app.login.clone(),
        display_name: app.contact_name.clone(),
        role: app.kind.first_user_role(),
        is_manager: true,
        password_hash: hash,
        must_change_password: true,
        email: app.contact_email.clone(),
        phone: Some(app.contact_phone.clone()),
    };
    let user = insert_user(&mut tx, &audit, &new_user).await?;
    let application =
        applications::decide(&mut tx, &audit, id, APPROVED, None, Some(org.id)).await?;
    tx.commit().await?;
    Ok(Approval {
        application: application.into(),
        organisation: org.into(),
        first_user: FirstUser {
            user: user.into(),
            one_time_password,
        },
    })
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclineInput {
    /// Why: told to the applicant; 2–500 characters.
    pub reason: String,
}

pub async fn decline(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &DeclineInput,
) -> Result<Application, AppError> {
    let app = get(state, ctx, id).await?;
    let reason = input.reason.trim();
    let n = reason.chars().count();
    if !(2..=500).contains(&n) {
        return Err(AppError::invalid(FieldError::new(
            "reason",
            "reason_length",
            "请填写 2–500 字的理由",
            "Give a reason of 2–500 characters",
        )));
    }
    if app.status != PENDING {
        return Err(already_decided());
    }
    let mut tx = state.db.begin().await?;
    let app = applications::decide(&mut tx, &ctx.audit(), id, DECLINED, Some(reason), None).await?;
    tx.commit().await?;
    Ok(app)
}

fn already_decided() -> AppError {
    AppError::Conflict {
        field: "status".into(),
        zh: "该申请已处理".into(),
        en: "This application has already been decided".into(),
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub name: String,
    pub kind: OrgKind,
    pub uscc: String,
    pub contact_name: String,
    pub contact_phone: String,
    pub contact_email: Option<String>,
    pub login: String,
    pub note: Option<String>,
    /// `pending`, `approved` or `declined`.
    #[schema(value_type = ApplicationStatus)]
    pub status: String,
    pub decision_reason: Option<String>,
    pub decided_at: Option<String>,
    pub org_id: Option<i64>,
    pub created_at: String,
}

impl From<Application> for ApplicationView {
    fn from(a: Application) -> Self {
        ApplicationView {
            id: a.id,
            name: a.name,
            kind: a.kind,
            uscc: a.uscc,
            contact_name: a.contact_name,
            contact_phone: a.contact_phone,
            contact_email: a.contact_email,
            login: a.login,
            note: a.note,
            status: a.status,
            decision_reason: a.decision_reason,
            decided_at: a.decided_at.map(rfc3339),
            org_id: a.org_id,
            created_at: rfc3339(a.created_at),
        }
    }
}
