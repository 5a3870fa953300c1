//! What the API shows of each record: times as RFC 3339 (UTC), codes as strings, secrets never.

use fruition_domain::audit::AuditAction;
use fruition_domain::org::{OrgKind, Role};
use fruition_store::applications::Application;
use fruition_store::audit::AuditEntry;
use fruition_store::organisations::Organisation;
use fruition_store::tokens::ApiToken;
use fruition_store::users::User;
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::rfc3339;

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    /// The token's first 8 characters.
    pub prefix: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub revoked_at: Option<String>,
}

impl From<ApiToken> for TokenView {
    fn from(t: ApiToken) -> Self {
        TokenView {
            id: t.id,
            name: t.name,
            prefix: t.prefix,
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
            revoked_at: t.revoked_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
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

#[derive(Serialize, ToSchema)]
pub struct AuditEntryView {
    pub id: i64,
    pub at: String,
    pub actor_user_id: Option<i64>,
    pub actor_login: String,
    pub actor_org_id: Option<i64>,
    pub entity: String,
    pub entity_id: String,
    pub action: AuditAction,
    pub org_id: Option<i64>,
    /// The record before the change (JSON), absent for a creation.
    pub before: Option<serde_json::Value>,
    /// The record after the change (JSON), absent for a deletion.
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
}

impl From<AuditEntry> for AuditEntryView {
    fn from(e: AuditEntry) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        AuditEntryView {
            id: e.id,
            at: rfc3339(e.at),
            actor_user_id: e.actor_user_id,
            actor_login: e.actor_login,
            actor_org_id: e.actor_org_id,
            entity: e.entity,
            entity_id: e.entity_id,
            action: e.action,
            org_id: e.org_id,
            before: parse(e.before_json),
            after: parse(e.after_json),
            ip: e.ip,
        }
    }
}
