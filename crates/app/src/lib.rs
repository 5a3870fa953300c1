//! Fruition's application layer: what users do, shared by the API and the pages. Each action
//! authorises (through `fruition_domain::authz`, asked by [`Ctx::require`]), validates (through
//! the domain's value types), then changes the store in one transaction that also writes the
//! audit entry, and returns a view: the record as a user may see it.
//!
//! One module per capability, named as in every other layer (`market` in the domain, the store,
//! here, and the web layer's API and pages). Nothing here knows HTTP or templates: the crate
//! depends on no web or template library, so the arrows point down only
//! (domain ← store ← app ← web).

pub mod alliance;
pub mod applications;
pub mod audit;
pub mod auth;
pub mod billing;
pub mod campaigns;
pub mod capital;
pub mod carriers;
pub mod clock;
pub mod contracts;
pub mod credit;
pub mod deals;
pub mod enterprises;
pub mod error;
pub mod evaluations;
pub mod fresh;
pub mod import;
pub mod inbox;
pub mod input;
pub mod kept;
pub mod links;
pub mod listing;
pub mod market;
pub mod matching;
pub mod mentors;
pub mod organisations;
pub mod pilot;
pub mod queue;
pub mod reference;
pub mod reminders;
pub mod reports;
pub mod search_sync;
pub mod services;
pub mod session;
pub mod spinoffs;
pub mod statistics;
pub mod tokens;
pub mod users;
pub mod vouchers;

mod state;

pub use error::{AppError, Problem};
pub use state::{App, Settings};

use fruition_domain::FieldError;
use fruition_domain::authz::{self, Action};
use fruition_store::audit::AuditCtx;
use fruition_store::users::Principal;

/// Who is acting and from where: the signed-in user and the client address.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub principal: &'a Principal,
    pub ip: String,
}

impl Ctx<'_> {
    pub fn audit(&self) -> AuditCtx {
        AuditCtx {
            actor_user_id: Some(self.principal.user.id),
            actor_login: self.principal.user.login.clone(),
            actor_org_id: Some(self.principal.user.org_id),
            ip: Some(self.ip.clone()),
        }
    }

    /// Whether the actor sees every organisation's records (the bureau), as
    /// `fruition_domain::authz::org_scope` decides.
    pub fn sees_all(&self) -> bool {
        authz::org_scope(&self.principal.actor()) == authz::OrgScope::All
    }

    /// Asks the one authorisation module.
    pub fn require(&self, action: Action) -> Result<(), AppError> {
        authz::can(&self.principal.actor(), &action).map_err(AppError::denied)
    }
}

/// Collects field problems so a form reports all of them at once.
#[derive(Default)]
pub struct Problems(Vec<Problem>);

impl Problems {
    /// Keeps the value or records the problem.
    pub fn check<T>(&mut self, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(e.into());
                None
            }
        }
    }

    /// Parses an optional text: blank is `None`, anything else must parse.
    pub fn optional<T>(
        &mut self,
        input: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, FieldError>,
    ) -> Option<T> {
        let s = input.map(str::trim).filter(|s| !s.is_empty())?;
        self.check(parse(s))
    }

    pub fn push(&mut self, field: &str, zh: &str, en: &str) {
        self.0.push(Problem {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn into_result(self) -> Result<(), AppError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.0))
        }
    }
}

/// Reads a `zh`/`en` required-field problem.
pub fn required(field: &'static str) -> FieldError {
    FieldError::new(field, "required", "必填", "is required")
}
