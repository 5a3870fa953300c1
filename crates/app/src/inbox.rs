//! Telling users in their inbox what happened: the words of each capability's notices, and their
//! delivery to every user of an organisation who can act on it, once per event
//! (`inbox_messages (user_id, ref_key)` is unique). Used by deals, pilot bookings and bills, and
//! the capabilities that follow; a failure is logged, not returned, because the step has
//! committed.

use fruition_domain::pilot;
use fruition_store::Tx;
use fruition_store::billing::Bill;
use fruition_store::matching::{self as store, NewMessage, OrgMessage};
use fruition_store::pilot::Booking;

use crate::App;

/// What an inbox message tells of: every kind a capability sends (the API document's enum, so
/// a new kind of notice is a new variant here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum InboxKind {
    /// A kept search found a new listing.
    SavedSearch,
    /// A new listing fits one of the organisation's needs.
    NeedMatch,
    Deal,
    Booking,
    Loan,
    CreditClaim,
    CreditRisk,
    ServiceRequest,
    Campaign,
    Alliance,
    /// The registration office decided on a submitted technology contract.
    ContractSubmission,
    /// The bureau returned a carrier's yearly report, with its reasons.
    Report,
    /// The bureau published the carriers' evaluation of a year.
    Evaluation,
}

impl InboxKind {
    pub const ALL: [InboxKind; 13] = [
        InboxKind::SavedSearch,
        InboxKind::NeedMatch,
        InboxKind::Deal,
        InboxKind::Booking,
        InboxKind::Loan,
        InboxKind::CreditClaim,
        InboxKind::CreditRisk,
        InboxKind::ServiceRequest,
        InboxKind::Campaign,
        InboxKind::Alliance,
        InboxKind::ContractSubmission,
        InboxKind::Report,
        InboxKind::Evaluation,
    ];

    /// The stored code (as the API answers it).
    pub fn code(self) -> &'static str {
        match self {
            InboxKind::SavedSearch => "saved_search",
            InboxKind::NeedMatch => "need_match",
            InboxKind::Deal => "deal",
            InboxKind::Booking => "booking",
            InboxKind::Loan => "loan",
            InboxKind::CreditClaim => "credit_claim",
            InboxKind::CreditRisk => "credit_risk",
            InboxKind::ServiceRequest => "service_request",
            InboxKind::Campaign => "campaign",
            InboxKind::Alliance => "alliance",
            InboxKind::ContractSubmission => "contract_submission",
            InboxKind::Report => "report",
            InboxKind::Evaluation => "evaluation",
        }
    }
}

/// One notice, the same for every user it reaches.
pub struct Notice {
    /// What it is about, shown as the message's kind.
    pub kind: InboxKind,
    pub title: String,
    pub body: String,
    /// The page it is about.
    pub link: Option<String>,
    /// The event: a user gets one message per key.
    pub ref_key: String,
}

impl Notice {
    /// A bill that is not a booking's (a service request's): issued or paid.
    pub fn bill(b: &Bill, event: &str, what_zh: &str) -> Notice {
        Notice {
            kind: if b.service_request_id.is_some() {
                InboxKind::ServiceRequest
            } else {
                InboxKind::Booking
            },
            title: format!("账单 {}（{}）：{what_zh}", b.number(), b.subject_name),
            body: format!(
                "{} 开给 {}，到期日 {}",
                b.owner_name, b.payer_name, b.due_on
            ),
            link: Some(format!("/pilot/bills/{}", b.id)),
            ref_key: format!("bill:{}:{event}", b.id),
        }
    }

    /// A step of a booking or its bill: `event` names the step, `what_zh` says what happened.
    pub fn booking(b: &Booking, event: &str, what_zh: &str) -> Notice {
        Notice {
            kind: InboxKind::Booking,
            title: format!("预约“{}”：{what_zh}", b.resource_name),
            body: format!(
                "{} 至 {}，{}",
                pilot::slot_label(b.start_slot),
                pilot::slot_label(b.end_slot),
                b.booker_name
            ),
            link: Some(format!("/pilot/bookings/{}", b.id)),
            ref_key: format!("booking:{}:{event}", b.id),
        }
    }
}

/// Delivers `notice` to the users of each organisation in `orgs` who can act on it, in one
/// write of its own, after the step it tells of has committed: a failure is logged.
pub async fn tell(state: &App, orgs: &[i64], notice: Notice) {
    if orgs.is_empty() {
        return;
    }
    let told = async {
        let mut tx = state.db.begin().await?;
        tell_in(&mut tx, orgs, &notice).await?;
        tx.commit().await
    };
    if let Err(e) = told.await {
        tracing::warn!(error = %e, about = %notice.ref_key, "telling an organisation failed");
    }
}

/// Delivers `notice` to the users of each organisation in `orgs` who can act on it, inside the
/// step's own transaction: the step and its notice are written together or not at all, in one
/// turn of the database's writer.
pub async fn tell_in(
    tx: &mut Tx,
    orgs: &[i64],
    notice: &Notice,
) -> Result<(), fruition_store::StoreError> {
    let m = OrgMessage {
        kind: notice.kind.code(),
        title: &notice.title,
        body: &notice.body,
        link: notice.link.as_deref(),
        ref_key: &notice.ref_key,
    };
    for &org in orgs {
        store::deliver_to_org(tx, org, &m).await?;
    }
    Ok(())
}

/// The organisations of the bureau (told of what the city oversees: banks' warnings, overdue
/// service requests, …).
pub async fn bureau_orgs(state: &App) -> Vec<i64> {
    fruition_store::organisations::list(
        &state.db,
        fruition_domain::authz::OrgScope::All,
        Some(fruition_domain::org::OrgKind::Bureau),
        None,
    )
    .await
    .map(|orgs| orgs.into_iter().map(|o| o.id).collect())
    .unwrap_or_default()
}

/// Delivers `notice` to each of `users` (the people an alliance event concerns, say).
pub async fn tell_users(state: &App, users: &[i64], notice: Notice) {
    let messages: Vec<NewMessage> = users
        .iter()
        .map(|&user_id| NewMessage {
            user_id,
            kind: notice.kind.code(),
            title: notice.title.clone(),
            body: notice.body.clone(),
            link: notice.link.clone(),
            ref_key: notice.ref_key.clone(),
        })
        .collect();
    if let Err(e) = store::deliver(&state.db, &messages).await {
        tracing::warn!(error = %e, about = %notice.ref_key, "telling users failed");
    }
}

/// How many of the caller's messages are unread (the navigation's badge, `GET /me/inbox/unread`).
pub async fn unread(state: &App, user_id: i64) -> Result<i64, crate::error::AppError> {
    Ok(store::unread_count(&state.db, user_id).await?)
}

/// Marks all the caller's messages read; how many were unread.
pub async fn mark_all_read(
    state: &App,
    ctx: &crate::Ctx<'_>,
) -> Result<u64, crate::error::AppError> {
    Ok(store::mark_all_read(&state.db, ctx.principal.user.id).await?)
}

#[cfg(test)]
mod tests {
    use super::InboxKind;

    #[test]
    fn every_kind_answers_the_code_its_document_names() {
        for k in InboxKind::ALL {
            let json = serde_json::to_value(k).expect("json");
            assert_eq!(json, k.code(), "{k:?}");
        }
    }
}
