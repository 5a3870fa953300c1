//! The alliance's events, their registrations, the waiting list in order, and check-in.
//!
//! Every statement that changes an event's registrations first updates the event's row, so on
//! both engines the writers of one event take turns: the place counter (`registered`, never above
//! `capacity` by the statement that raises it) and the waiting list's order (`waiting_seq`) are
//! decided by conditional updates whose row count answers, never by a read before a write.

use fruition_domain::alliance::{EventKind, EventStatus, RegistrationStatus};
use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Event {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub register_by: i64,
    pub capacity: i64,
    pub registered: i64,
    pub waiting: i64,
    pub attended: i64,
    #[sqlx(try_from = "String")]
    pub status: EventStatus,
    pub organiser_org_id: i64,
    pub organiser_name: String,
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! event_select {
    () => {
        "SELECT e.id, e.kind, e.title, e.description, e.place, e.starts_at, e.ends_at, e.register_by, \
         e.capacity, e.registered, \
         (SELECT COUNT(*) FROM alliance_registrations w WHERE w.event_id = e.id AND w.status = 'waiting') AS waiting, \
         (SELECT COUNT(*) FROM alliance_registrations a WHERE a.event_id = e.id AND a.checked_in_at IS NOT NULL) AS attended, \
         e.status, e.organiser_org_id, o.name AS organiser_name, e.carrier_id, c.name AS carrier_name, \
         e.created_at, e.updated_at FROM alliance_events e JOIN organisations o ON o.id = e.organiser_org_id \
         LEFT JOIN carriers c ON c.id = e.carrier_id"
    };
}

/// An event as it is planned or changed.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub kind: EventKind,
    pub title: String,
    pub description: String,
    pub place: String,
    pub starts_at: i64,
    pub ends_at: i64,
    pub register_by: i64,
    pub capacity: i64,
    pub status: EventStatus,
    pub organiser_org_id: i64,
    pub carrier_id: Option<i64>,
}

/// Events starting in `[from, to)` (ms), the earliest first.
pub async fn list(db: &Db, from: i64, to: i64) -> Result<Vec<Event>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Event>(concat!(event_select!(),
        " WHERE e.starts_at >= $1 AND e.starts_at < $2 ORDER BY e.starts_at, e.id"))
        .bind(from).bind(to).fetch_all(p).await)?,
    )
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Event>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Event>(concat!(event_select!(), " WHERE e.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Event> {
    on_tx!(tx, c => sqlx::query_as::<_, Event>(concat!(event_select!(), " WHERE e.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, e: &NewEvent) -> Result<Event> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO alliance_events (kind, title, description, place, starts_at, ends_at, register_by, capacity, \
         status, organiser_org_id, carrier_id, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id")
        .bind(e.kind.code()).bind(&e.title).bind(&e.description).bind(&e.place)
        .bind(e.starts_at).bind(e.ends_at).bind(e.register_by).bind(e.capacity)
        .bind(e.status.code()).bind(e.organiser_org_id).bind(e.carrier_id)
        .bind(ctx.actor_user_id).bind(now).fetch_one(c).await)?;
    let after = get_in(tx, id).await?;
    record_event(tx, ctx, None, &after, AuditAction::Create).await?;
    Ok(after)
}

/// Changes an event. The capacity may not fall below the places taken (409 `capacity`, decided
/// by the statement that writes); when it grows, the waiting list moves up in order. Answers the
/// event and who moved up.
pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    e: &NewEvent,
) -> Result<(Event, Vec<Registration>)> {
    let before = get_in(tx, id).await?;
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE alliance_events SET kind = $2, title = $3, description = $4, place = $5, starts_at = $6, \
         ends_at = $7, register_by = $8, capacity = $9, status = $10, updated_at = $11 \
         WHERE id = $1 AND registered <= $9")
        .bind(id).bind(e.kind.code()).bind(&e.title).bind(&e.description).bind(&e.place)
        .bind(e.starts_at).bind(e.ends_at).bind(e.register_by).bind(e.capacity)
        .bind(e.status.code()).bind(clock::now_ms()).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict {
            field: "capacity".into(),
        });
    }
    let mut promoted = Vec::new();
    if e.status == EventStatus::Open {
        while let Some(r) = take_free_place(tx, ctx, id).await? {
            promoted.push(r);
        }
    }
    let after = get_in(tx, id).await?;
    record_event(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok((after, promoted))
}

/// Moves the first waiting person into a free place, if there is both.
async fn take_free_place(
    tx: &mut Tx,
    ctx: &AuditCtx,
    event_id: i64,
) -> Result<Option<Registration>> {
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE alliance_events SET registered = registered + 1 WHERE id = $1 AND registered < capacity \
         AND EXISTS (SELECT 1 FROM alliance_registrations r WHERE r.event_id = $1 AND r.status = 'waiting')")
        .bind(event_id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Ok(None);
    }
    promote_first(tx, ctx, event_id).await
}

/// The first waiting person moves up to a place (the caller holds the place for them).
async fn promote_first(tx: &mut Tx, ctx: &AuditCtx, event_id: i64) -> Result<Option<Registration>> {
    let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "UPDATE alliance_registrations SET status = 'registered', updated_at = $2 WHERE id = \
         (SELECT id FROM alliance_registrations WHERE event_id = $1 AND status = 'waiting' ORDER BY waiting_no LIMIT 1) \
         AND status = 'waiting' RETURNING id")
        .bind(event_id).bind(clock::now_ms()).fetch_optional(c).await)?;
    let Some(id) = id else {
        return Ok(None);
    };
    let after = registration_in(tx, id).await?;
    let before = Registration {
        status: RegistrationStatus::Waiting,
        ..after.clone()
    };
    record_registration(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(Some(after))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Registration {
    pub id: i64,
    pub event_id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub org_id: i64,
    pub org_name: String,
    #[sqlx(try_from = "String")]
    pub status: RegistrationStatus,
    /// The place on the waiting list (1 is next), while waiting.
    pub position: Option<i64>,
    #[serde(skip)]
    pub code: String,
    pub checked_in_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! registration_select {
    () => {
        "SELECT r.id, r.event_id, r.user_id, u.display_name AS user_name, u.org_id, o.name AS org_name, r.status, \
         CASE WHEN r.status = 'waiting' THEN (SELECT COUNT(*) FROM alliance_registrations w \
           WHERE w.event_id = r.event_id AND w.status = 'waiting' AND w.waiting_no <= r.waiting_no) END AS position, \
         r.code, r.checked_in_at, r.created_at, r.updated_at FROM alliance_registrations r \
         JOIN users u ON u.id = r.user_id JOIN organisations o ON o.id = u.org_id"
    };
}

async fn registration_in(tx: &mut Tx, id: i64) -> Result<Registration> {
    on_tx!(tx, c => sqlx::query_as::<_, Registration>(concat!(registration_select!(), " WHERE r.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// An event's live registrations: the registered in the order they came, then the waiting list
/// in order, then the cancelled.
pub async fn registrations(db: &Db, event_id: i64) -> Result<Vec<Registration>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Registration>(concat!(registration_select!(),
        " WHERE r.event_id = $1 ORDER BY CASE r.status WHEN 'registered' THEN 0 WHEN 'waiting' THEN 1 ELSE 2 END, \
          r.waiting_no, r.created_at, r.id"))
        .bind(event_id).fetch_all(p).await)?,
    )
}

/// A user's registration for an event: the live one, else the latest cancelled one.
pub async fn of_user(db: &Db, event_id: i64, user_id: i64) -> Result<Option<Registration>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Registration>(concat!(registration_select!(),
        " WHERE r.event_id = $1 AND r.user_id = $2 ORDER BY CASE r.status WHEN 'cancelled' THEN 1 ELSE 0 END, r.id DESC LIMIT 1"))
        .bind(event_id).bind(user_id).fetch_optional(p).await)?,
    )
}

/// The users registered or waiting (whom a change concerns).
pub async fn live_users(db: &Db, event_id: i64) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT user_id FROM alliance_registrations WHERE event_id = $1 AND status <> 'cancelled' ORDER BY user_id")
        .bind(event_id).fetch_all(p).await)?)
}

/// Registers `user_id`: a place while places remain, else the end of the waiting list; refused
/// (409 `status`) when the event is not open or its registration has closed, and (409
/// `user_id`) when the user is registered or waiting already.
pub async fn register(
    tx: &mut Tx,
    ctx: &AuditCtx,
    event_id: i64,
    user_id: i64,
    code: &str,
) -> Result<Registration> {
    let now = clock::now_ms();
    let placed = on_tx!(tx, c => sqlx::query(
        "UPDATE alliance_events SET registered = registered + 1, updated_at = $2 \
         WHERE id = $1 AND status = 'open' AND register_by >= $2 AND registered < capacity")
        .bind(event_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    let (status, waiting_no) = if placed == 1 {
        (RegistrationStatus::Registered, None)
    } else {
        let seq: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
            "UPDATE alliance_events SET waiting_seq = waiting_seq + 1, updated_at = $2 \
             WHERE id = $1 AND status = 'open' AND register_by >= $2 RETURNING waiting_seq")
            .bind(event_id).bind(now).fetch_optional(c).await)?;
        match seq {
            Some(n) => (RegistrationStatus::Waiting, Some(n)),
            None => {
                return Err(StoreError::Conflict {
                    field: "status".into(),
                });
            }
        }
    };
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO alliance_registrations (event_id, user_id, status, waiting_no, code, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id")
        .bind(event_id).bind(user_id).bind(status.code()).bind(waiting_no).bind(code).bind(now)
        .fetch_one(c).await)
    .map_err(crate::StoreError::from)
    .map_err(|e| match e {
        StoreError::Conflict { field } if field != "code" => StoreError::Conflict {
            field: "user_id".into(),
        },
        e => e,
    })?;
    let after = registration_in(tx, id).await?;
    record_registration(tx, ctx, None, &after, AuditAction::Create).await?;
    Ok(after)
}

/// Cancels a registration not yet checked in; a place it frees goes to the first waiting person
/// in the same transaction. Answers the cancelled registration and who moved up.
pub async fn cancel(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
) -> Result<(Registration, Option<Registration>)> {
    let before = registration_in(tx, id).await?;
    let now = clock::now_ms();
    // Take the event's turn first.
    on_tx!(tx, c => sqlx::query("UPDATE alliance_events SET updated_at = $2 WHERE id = $1")
        .bind(before.event_id).bind(now).execute(c).await.map(|_| ()))?;
    let was: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT status FROM alliance_registrations WHERE id = $1").bind(id).fetch_optional(c).await)?;
    let n = on_tx!(tx, c => sqlx::query(
        "UPDATE alliance_registrations SET status = 'cancelled', updated_at = $3 \
         WHERE id = $1 AND status = $2 AND status <> 'cancelled' AND checked_in_at IS NULL")
        .bind(id).bind(&was).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let mut promoted = None;
    if was.as_deref() == Some(RegistrationStatus::Registered.code()) {
        let open = get_in(tx, before.event_id).await?.status == EventStatus::Open;
        if open {
            promoted = promote_first(tx, ctx, before.event_id).await?;
        }
        if promoted.is_none() {
            on_tx!(tx, c => sqlx::query(
                "UPDATE alliance_events SET registered = registered - 1 WHERE id = $1 AND registered > 0")
                .bind(before.event_id).execute(c).await.map(|_| ()))?;
        }
    }
    let after = registration_in(tx, id).await?;
    record_registration(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok((after, promoted))
}

/// What a check-in code did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckIn {
    /// The person is checked in now.
    Done(Registration),
    /// The code was used before.
    Used(Registration),
    /// No registered person of this event has the code.
    Unknown,
}

/// Checks in the registered person holding `code`: once (the statement that marks attendance
/// only marks one not yet marked).
pub async fn check_in(tx: &mut Tx, ctx: &AuditCtx, event_id: i64, code: &str) -> Result<CheckIn> {
    let now = clock::now_ms();
    let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "UPDATE alliance_registrations SET checked_in_at = $3, checked_in_by = $4, updated_at = $3 \
         WHERE event_id = $1 AND code = $2 AND status = 'registered' AND checked_in_at IS NULL RETURNING id")
        .bind(event_id).bind(code).bind(now).bind(ctx.actor_user_id).fetch_optional(c).await)?;
    if let Some(id) = id {
        let after = registration_in(tx, id).await?;
        let before = Registration {
            checked_in_at: None,
            ..after.clone()
        };
        record_registration(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
        return Ok(CheckIn::Done(after));
    }
    let used: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM alliance_registrations WHERE event_id = $1 AND code = $2 AND checked_in_at IS NOT NULL")
        .bind(event_id).bind(code).fetch_optional(c).await)?;
    match used {
        Some(id) => Ok(CheckIn::Used(registration_in(tx, id).await?)),
        None => Ok(CheckIn::Unknown),
    }
}

async fn record_event(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Event>,
    after: &Event,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "alliance_event",
            entity_id: after.id,
            org_id: Some(after.organiser_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

async fn record_registration(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Registration>,
    after: &Registration,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "alliance_registration",
            entity_id: after.id,
            org_id: Some(after.org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// Dates an event's registrations and check-ins as they happened: for loading past events
/// (the demo data), whose registrations are written now. Registrations become `registered_at`,
/// check-ins `checked_in_at`.
pub async fn date_past(
    tx: &mut Tx,
    event_id: i64,
    registered_at: i64,
    checked_in_at: i64,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE alliance_registrations SET created_at = $2, updated_at = $2, \
         checked_in_at = CASE WHEN checked_in_at IS NULL THEN NULL ELSE $3 END WHERE event_id = $1")
        .bind(event_id).bind(registered_at).bind(checked_in_at).execute(c).await.map(|_| ()))?;
    Ok(())
}
