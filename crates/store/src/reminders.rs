//! Reminders (`reminders`): a matter is reminded at most once a China day. The claim is the
//! insert itself (`ON CONFLICT DO NOTHING` on the matter and the day), made in the transaction
//! that records the reminder's audit entry.

use fruition_domain::audit::AuditAction;
use fruition_domain::reminder::ReminderKind;

use crate::audit::{self, AuditCtx, Event};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, Tx, clock};

/// A reminder to record.
pub struct NewReminder<'a> {
    pub kind: ReminderKind,
    pub subject_id: i64,
    /// A report's year (late reports), the office told (a waiting contract); 0 otherwise.
    pub period: i64,
    pub recipient_org_id: i64,
    /// The China day, `YYYY-MM-DD`.
    pub day: &'a str,
    /// What the audit entry keeps (recipient, the matter's state).
    pub detail: &'a serde_json::Value,
}

/// Records the reminder and its audit entry, unless the matter was already reminded that day:
/// true when this call is the day's reminder.
pub async fn claim(tx: &mut Tx, ctx: &AuditCtx, r: &NewReminder<'_>) -> Result<bool> {
    let inserted = on_tx!(tx, c => sqlx::query(
        "INSERT INTO reminders (kind, subject_id, period, recipient_org_id, day, sent_by, sent_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (kind, subject_id, period, day) DO NOTHING")
        .bind(r.kind.code())
        .bind(r.subject_id)
        .bind(r.period)
        .bind(r.recipient_org_id)
        .bind(r.day)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .execute(c)
        .await.map(|x| x.rows_affected()))?;
    if inserted == 0 {
        return Ok(false);
    }
    let id = r.subject_id.to_string();
    audit::record_event(
        tx,
        ctx,
        &Event {
            entity: r.kind.entity(),
            entity_id: &id,
            org_id: Some(r.recipient_org_id),
            action: AuditAction::Remind,
            detail: r.detail,
        },
    )
    .await?;
    Ok(true)
}

/// When each subject of a kind (and period) was last reminded, epoch ms.
pub async fn last_sent(db: &Db, kind: ReminderKind, period: i64) -> Result<Vec<(i64, i64)>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64)>(
        "SELECT subject_id, MAX(sent_at) FROM reminders WHERE kind = $1 AND period = $2 GROUP BY subject_id")
        .bind(kind.code())
        .bind(period)
        .fetch_all(p)
        .await)?)
}
