//! Startup mentors: profiles kept by carrier operators, mentoring relationships with their
//! incubatees, and the sessions held (a relationship keeps the sum of its sessions' minutes,
//! written by the statement that records a session). A carrier's mentor figure for a year is
//! one grouped count over the relationships.

use fruition_domain::audit::AuditAction;
use fruition_domain::mentor::year_bounds;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A mentor's profile with the operator that keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Mentor {
    pub id: i64,
    pub operator_org_id: i64,
    pub operator_name: String,
    pub name: String,
    pub title: String,
    pub employer: String,
    pub expertise: String,
    pub chain_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// Enterprises the mentor guides now (relationships not ended).
    pub guiding: i64,
    /// Minutes of every session recorded.
    pub minutes: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! mentor_select {
    () => {
        "SELECT m.id, m.operator_org_id, o.name AS operator_name, m.name, m.title, m.employer, \
         m.expertise, m.chain_code, m.phone, m.email, m.active, \
         (SELECT COUNT(*) FROM mentorships s WHERE s.mentor_id = m.id AND s.ended_on IS NULL) AS guiding, \
         CAST((SELECT COALESCE(SUM(s.minutes), 0) FROM mentorships s WHERE s.mentor_id = m.id) AS BIGINT) AS minutes, \
         m.created_at, m.updated_at \
         FROM mentors m JOIN organisations o ON o.id = m.operator_org_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Mentor>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Mentor>(concat!(mentor_select!(), " WHERE m.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Mentor> {
    on_tx!(tx, c => sqlx::query_as::<_, Mentor>(concat!(mentor_select!(), " WHERE m.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// Which mentors to list.
#[derive(Debug, Clone, Default)]
pub struct MentorFilter {
    pub operator_org_id: Option<i64>,
    pub chain_code: Option<String>,
    /// Words in the name, employer or expertise.
    pub q: Option<String>,
    pub active_only: bool,
    pub limit: i64,
    pub offset: i64,
}

/// Mentors by name.
pub async fn list(db: &Db, f: &MentorFilter) -> Result<Vec<Mentor>> {
    let like =
        f.q.as_ref()
            .map(|q| format!("%{}%", q.replace(['%', '_'], "")));
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Mentor>(concat!(mentor_select!(),
        " WHERE ($1 IS NULL OR m.operator_org_id = $1) AND ($2 IS NULL OR m.chain_code = $2) \
         AND ($3 IS NULL OR m.name LIKE $3 OR m.employer LIKE $3 OR m.expertise LIKE $3) \
         AND ($4 = FALSE OR m.active = TRUE) ORDER BY m.name, m.id LIMIT $5 OFFSET $6"))
        .bind(f.operator_org_id)
        .bind(&f.chain_code)
        .bind(&like)
        .bind(f.active_only)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(p).await)?,
    )
}

/// What a carrier writes about a mentor.
#[derive(Debug, Clone)]
pub struct MentorFields {
    pub name: String,
    pub title: String,
    pub employer: String,
    pub expertise: String,
    pub chain_code: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
}

async fn record_mentor(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Mentor>,
    after: &Mentor,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "mentor",
            entity_id: after.id,
            org_id: Some(after.operator_org_id),
            action: if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            before,
            after: Some(after),
        },
    )
    .await
}

pub async fn create(
    tx: &mut Tx,
    ctx: &AuditCtx,
    operator_org_id: i64,
    f: &MentorFields,
) -> Result<Mentor> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO mentors (operator_org_id, name, title, employer, expertise, chain_code, phone, email, active, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11) RETURNING id")
        .bind(operator_org_id)
        .bind(&f.name)
        .bind(&f.title)
        .bind(&f.employer)
        .bind(&f.expertise)
        .bind(&f.chain_code)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(f.active)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c).await)?;
    let after = get_in(tx, id).await?;
    record_mentor(tx, ctx, None, &after).await?;
    Ok(after)
}

pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, f: &MentorFields) -> Result<Mentor> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE mentors SET name = $2, title = $3, employer = $4, expertise = $5, chain_code = $6, \
         phone = $7, email = $8, active = $9, updated_at = $10 WHERE id = $1")
        .bind(id)
        .bind(&f.name)
        .bind(&f.title)
        .bind(&f.employer)
        .bind(&f.expertise)
        .bind(&f.chain_code)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(f.active)
        .bind(clock::now_ms())
        .execute(c).await.map(|_| ()))?;
    let after = get_in(tx, id).await?;
    record_mentor(tx, ctx, Some(&before), &after).await?;
    Ok(after)
}

/// A mentoring relationship with its names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Mentorship {
    pub id: i64,
    pub mentor_id: i64,
    pub mentor_name: String,
    pub operator_org_id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub enterprise_org_id: Option<i64>,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub started_on: String,
    pub ended_on: Option<String>,
    pub minutes: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! mentorship_select {
    () => {
        "SELECT s.id, s.mentor_id, m.name AS mentor_name, m.operator_org_id, s.enterprise_id, \
         e.name AS enterprise_name, e.org_id AS enterprise_org_id, s.carrier_id, c.name AS carrier_name, \
         s.started_on, s.ended_on, s.minutes, s.created_at, s.updated_at \
         FROM mentorships s JOIN mentors m ON m.id = s.mentor_id \
         JOIN enterprises e ON e.id = s.enterprise_id JOIN carriers c ON c.id = s.carrier_id"
    };
}

pub async fn mentorship(db: &Db, id: i64) -> Result<Option<Mentorship>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Mentorship>(concat!(mentorship_select!(), " WHERE s.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

async fn mentorship_in(tx: &mut Tx, id: i64) -> Result<Mentorship> {
    on_tx!(tx, c => sqlx::query_as::<_, Mentorship>(concat!(mentorship_select!(), " WHERE s.id = $1"))
        .bind(id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// Which relationships to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct MentorshipFilter {
    pub mentor_id: Option<i64>,
    pub enterprise_id: Option<i64>,
    pub carrier_id: Option<i64>,
    /// Only those of this operator's mentors or this enterprise organisation's (who may see).
    pub visible_to: Option<i64>,
    /// Only those running in this year.
    pub year: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

pub async fn mentorships(db: &Db, f: &MentorshipFilter) -> Result<Vec<Mentorship>> {
    let (first, last) = match f.year {
        Some(y) => {
            let (a, b) = year_bounds(y);
            (Some(a), Some(b))
        }
        None => (None, None),
    };
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Mentorship>(concat!(mentorship_select!(),
        " WHERE ($1 IS NULL OR s.mentor_id = $1) AND ($2 IS NULL OR s.enterprise_id = $2) \
         AND ($3 IS NULL OR s.carrier_id = $3) AND ($4 IS NULL OR m.operator_org_id = $4 OR e.org_id = $4) \
         AND ($5 IS NULL OR s.started_on <= $5) AND ($6 IS NULL OR s.ended_on IS NULL OR s.ended_on >= $6) \
         ORDER BY s.started_on DESC, s.id DESC LIMIT $7 OFFSET $8"))
        .bind(f.mentor_id)
        .bind(f.enterprise_id)
        .bind(f.carrier_id)
        .bind(f.visible_to)
        .bind(&last)
        .bind(&first)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(p).await)?,
    )
}

async fn record_mentorship(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Mentorship>,
    after: &Mentorship,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "mentorship",
            entity_id: after.id,
            org_id: Some(after.operator_org_id),
            action: if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            before,
            after: Some(after),
        },
    )
    .await
}

/// Starts a relationship. Refused with a conflict on `enterprise_id` when the mentor already
/// guides the enterprise (a relationship not ended).
pub async fn start(
    tx: &mut Tx,
    ctx: &AuditCtx,
    mentor_id: i64,
    enterprise_id: i64,
    carrier_id: i64,
    started_on: &str,
) -> Result<Mentorship> {
    let now = clock::now_ms();
    // Inserted only when no open relationship exists: the statement decides.
    let id: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO mentorships (mentor_id, enterprise_id, carrier_id, started_on, created_by, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6, $6 WHERE NOT EXISTS \
         (SELECT 1 FROM mentorships WHERE mentor_id = $1 AND enterprise_id = $2 AND ended_on IS NULL) \
         RETURNING id")
        .bind(mentor_id)
        .bind(enterprise_id)
        .bind(carrier_id)
        .bind(started_on)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_optional(c).await)?;
    let Some(id) = id else {
        return Err(StoreError::Conflict {
            field: "enterprise_id".into(),
        });
    };
    let after = mentorship_in(tx, id).await?;
    record_mentorship(tx, ctx, None, &after).await?;
    Ok(after)
}

/// Ends a relationship on a day (a conflict on `ended_on` when it has ended already).
pub async fn end(tx: &mut Tx, ctx: &AuditCtx, id: i64, ended_on: &str) -> Result<Mentorship> {
    let before = mentorship_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE mentorships SET ended_on = $2, updated_at = $3 WHERE id = $1 AND ended_on IS NULL")
        .bind(id).bind(ended_on).bind(clock::now_ms()).execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "ended_on".into(),
        });
    }
    let after = mentorship_in(tx, id).await?;
    record_mentorship(tx, ctx, Some(&before), &after).await?;
    Ok(after)
}

/// A session held.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Session {
    pub id: i64,
    pub mentorship_id: i64,
    pub held_on: String,
    pub minutes: i64,
    pub topic: String,
    pub created_at: i64,
}

pub async fn sessions(db: &Db, mentorship_id: i64) -> Result<Vec<Session>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Session>(
        "SELECT id, mentorship_id, held_on, minutes, topic, created_at FROM mentoring_sessions \
         WHERE mentorship_id = $1 ORDER BY held_on DESC, id DESC")
        .bind(mentorship_id).fetch_all(p).await)?)
}

/// Records a session and adds its minutes to the relationship, in the statement that writes:
/// refused with a conflict on `held_on` when the day is outside the relationship (before it
/// started or after it ended).
pub async fn add_session(
    tx: &mut Tx,
    ctx: &AuditCtx,
    mentorship_id: i64,
    held_on: &str,
    minutes: i64,
    topic: &str,
) -> Result<Session> {
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE mentorships SET minutes = minutes + $2, updated_at = $4 WHERE id = $1 \
         AND started_on <= $3 AND (ended_on IS NULL OR ended_on >= $3)")
        .bind(mentorship_id).bind(minutes).bind(held_on).bind(clock::now_ms())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "held_on".into(),
        });
    }
    let s: Session = on_tx!(tx, c => sqlx::query_as::<_, Session>(
        "INSERT INTO mentoring_sessions (mentorship_id, held_on, minutes, topic, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, mentorship_id, held_on, minutes, topic, created_at")
        .bind(mentorship_id)
        .bind(held_on)
        .bind(minutes)
        .bind(topic)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c).await)?;
    let owner = mentorship_in(tx, mentorship_id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "mentoring_session",
            entity_id: s.id,
            org_id: Some(owner.operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&s),
        },
    )
    .await?;
    Ok(s)
}

/// A carrier's mentoring in a year: different mentors guiding its incubatees, relationships,
/// and the minutes of the sessions held that year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CarrierMentoring {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub mentors: i64,
    pub mentorships: i64,
    pub minutes: i64,
}

/// Every carrier's mentoring in `year` (carriers with none left out); `carrier_id` narrows.
pub async fn by_carrier(
    db: &Db,
    year: i64,
    carrier_id: Option<i64>,
) -> Result<Vec<CarrierMentoring>> {
    let (first, last) = year_bounds(year);
    Ok(on_db!(db, p => sqlx::query_as::<_, CarrierMentoring>(
        "SELECT s.carrier_id, c.name AS carrier_name, COUNT(DISTINCT s.mentor_id) AS mentors, \
         COUNT(*) AS mentorships, \
         CAST(COALESCE(SUM((SELECT COALESCE(SUM(x.minutes), 0) FROM mentoring_sessions x \
            WHERE x.mentorship_id = s.id AND x.held_on >= $1 AND x.held_on <= $2)), 0) AS BIGINT) AS minutes \
         FROM mentorships s JOIN carriers c ON c.id = s.carrier_id \
         WHERE s.started_on <= $2 AND (s.ended_on IS NULL OR s.ended_on >= $1) \
         AND ($3 IS NULL OR s.carrier_id = $3) \
         GROUP BY s.carrier_id, c.name ORDER BY c.name")
        .bind(&first).bind(&last).bind(carrier_id).fetch_all(p).await)?)
}

/// The Torch form's mentor figure for a carrier and year: different mentors guiding its
/// incubatees that year.
pub async fn mentors_of_carrier(db: &Db, carrier_id: i64, year: i64) -> Result<i64> {
    let (first, last) = year_bounds(year);
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(DISTINCT mentor_id) FROM mentorships \
         WHERE carrier_id = $1 AND started_on <= $3 AND (ended_on IS NULL OR ended_on >= $2)")
        .bind(carrier_id).bind(&first).bind(&last).fetch_one(p).await)?)
}

/// The carriers an operator runs.
pub async fn carriers_of_operator(db: &Db, operator_org_id: i64) -> Result<Vec<i64>> {
    Ok(
        on_db!(db, p => sqlx::query_scalar("SELECT id FROM carriers WHERE operator_org_id = $1 ORDER BY id")
        .bind(operator_org_id).fetch_all(p).await)?,
    )
}

/// The enterprises an operator's carriers incubate now (id, "enterprise（carrier）"), by name:
/// those its mentors may be paired with.
pub async fn pairable(db: &Db, operator_org_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as(
        "SELECT e.id, e.name || '（' || c.name || '）' FROM incubations i \
         JOIN enterprises e ON e.id = i.enterprise_id JOIN carriers c ON c.id = i.carrier_id \
         WHERE c.operator_org_id = $1 AND i.exited_on IS NULL ORDER BY e.name")
        .bind(operator_org_id).fetch_all(p).await)?)
}
