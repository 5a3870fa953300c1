//! Staff training (从业人员培训): courses, who attended with the hours credited, the hours per
//! person and per carrier in a year, and staff certificates.

use fruition_domain::alliance::CertificateKind;
use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Course {
    pub id: i64,
    pub title: String,
    pub provider: String,
    pub hours: i64,
    pub held_on: String,
    pub audience: String,
    pub event_id: Option<i64>,
    pub org_id: i64,
    pub org_name: String,
    /// People recorded as attending.
    pub attendees: i64,
    pub created_at: i64,
}

macro_rules! course_select {
    () => {
        "SELECT k.id, k.title, k.provider, k.hours, k.held_on, k.audience, k.event_id, k.org_id, \
         o.name AS org_name, (SELECT COUNT(*) FROM training_records r WHERE r.course_id = k.id) AS attendees, \
         k.created_at FROM training_courses k JOIN organisations o ON o.id = k.org_id"
    };
}

#[derive(Debug, Clone)]
pub struct NewCourse {
    pub title: String,
    pub provider: String,
    pub hours: i64,
    pub held_on: String,
    pub audience: String,
    pub event_id: Option<i64>,
    pub org_id: i64,
}

/// The courses held in `year` (every year: `None`), the latest first.
pub async fn courses(db: &Db, year: Option<i64>) -> Result<Vec<Course>> {
    let (from, to) = year_bounds(year);
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Course>(concat!(course_select!(),
        " WHERE k.held_on >= $1 AND k.held_on < $2 ORDER BY k.held_on DESC, k.id DESC"))
        .bind(from).bind(to).fetch_all(p).await)?,
    )
}

pub async fn course(db: &Db, id: i64) -> Result<Option<Course>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Course>(concat!(course_select!(), " WHERE k.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

fn year_bounds(year: Option<i64>) -> (String, String) {
    match year {
        Some(y) => (format!("{y:04}-01-01"), format!("{:04}-01-01", y + 1)),
        None => ("0000".into(), "9999".into()),
    }
}

pub async fn insert_course(tx: &mut Tx, ctx: &AuditCtx, k: &NewCourse) -> Result<Course> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO training_courses (title, provider, hours, held_on, audience, event_id, org_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(&k.title).bind(&k.provider).bind(k.hours).bind(&k.held_on).bind(&k.audience)
        .bind(k.event_id).bind(k.org_id).bind(clock::now_ms()).fetch_one(c).await)?;
    let after = on_tx!(tx, c => sqlx::query_as::<_, Course>(concat!(course_select!(), " WHERE k.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "training_course",
            entity_id: id,
            org_id: Some(k.org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Record {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub held_on: String,
    pub person_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub hours: i64,
    pub created_at: i64,
}

macro_rules! record_select {
    () => {
        "SELECT r.id, r.course_id, k.title AS course_title, k.held_on, r.person_name, r.carrier_id, \
         c.name AS carrier_name, c.operator_org_id, r.hours, r.created_at FROM training_records r \
         JOIN training_courses k ON k.id = r.course_id JOIN carriers c ON c.id = r.carrier_id"
    };
}

#[derive(Debug, Clone)]
pub struct NewRecord {
    pub course_id: i64,
    pub person_name: String,
    pub carrier_id: i64,
    pub hours: i64,
}

/// Attendance in `year`'s courses, of the carriers `operator_org_id` operates (all: `None`).
pub async fn records(
    db: &Db,
    year: Option<i64>,
    operator_org_id: Option<i64>,
) -> Result<Vec<Record>> {
    let (from, to) = year_bounds(year);
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Record>(concat!(record_select!(),
        " WHERE k.held_on >= $1 AND k.held_on < $2 AND ($3 IS NULL OR c.operator_org_id = $3) \
          ORDER BY k.held_on DESC, r.id DESC"))
        .bind(from).bind(to).bind(operator_org_id).fetch_all(p).await)?,
    )
}

/// Records a person's attendance (409 `person_name` when recorded for that course already).
pub async fn insert_record(tx: &mut Tx, ctx: &AuditCtx, r: &NewRecord) -> Result<Record> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO training_records (course_id, person_name, carrier_id, hours, created_at) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(r.course_id).bind(&r.person_name).bind(r.carrier_id).bind(r.hours).bind(clock::now_ms())
        .fetch_one(c).await)
    .map_err(crate::StoreError::from)
    .map_err(|e| match e {
        crate::StoreError::Conflict { .. } => crate::StoreError::Conflict {
            field: "person_name".into(),
        },
        e => e,
    })?;
    let after = on_tx!(tx, c => sqlx::query_as::<_, Record>(concat!(record_select!(), " WHERE r.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "training_record",
            entity_id: id,
            org_id: Some(after.operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Hours credited to one person (at one carrier) in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PersonHours {
    pub person_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub courses: i64,
    pub hours: i64,
}

/// Hours credited to one carrier's staff in a year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CarrierHours {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub people: i64,
    pub attendances: i64,
    pub hours: i64,
}

pub async fn hours_by_person(
    db: &Db,
    year: i64,
    operator_org_id: Option<i64>,
) -> Result<Vec<PersonHours>> {
    let (from, to) = year_bounds(Some(year));
    Ok(on_db!(db, p => sqlx::query_as::<_, PersonHours>(
        "SELECT r.person_name, r.carrier_id, c.name AS carrier_name, COUNT(*) AS courses, \
         CAST(SUM(r.hours) AS BIGINT) AS hours FROM training_records r \
         JOIN training_courses k ON k.id = r.course_id JOIN carriers c ON c.id = r.carrier_id \
         WHERE k.held_on >= $1 AND k.held_on < $2 AND ($3 IS NULL OR c.operator_org_id = $3) \
         GROUP BY r.person_name, r.carrier_id, c.name ORDER BY hours DESC, r.person_name")
        .bind(from).bind(to).bind(operator_org_id).fetch_all(p).await)?)
}

pub async fn hours_by_carrier(
    db: &Db,
    year: i64,
    operator_org_id: Option<i64>,
) -> Result<Vec<CarrierHours>> {
    let (from, to) = year_bounds(Some(year));
    Ok(on_db!(db, p => sqlx::query_as::<_, CarrierHours>(
        "SELECT r.carrier_id, c.name AS carrier_name, COUNT(DISTINCT r.person_name) AS people, \
         COUNT(*) AS attendances, CAST(SUM(r.hours) AS BIGINT) AS hours FROM training_records r \
         JOIN training_courses k ON k.id = r.course_id JOIN carriers c ON c.id = r.carrier_id \
         WHERE k.held_on >= $1 AND k.held_on < $2 AND ($3 IS NULL OR c.operator_org_id = $3) \
         GROUP BY r.carrier_id, c.name ORDER BY hours DESC, c.name")
        .bind(from).bind(to).bind(operator_org_id).fetch_all(p).await)?)
}

/// A year's training in two figures: courses held, and attendances (人次) at them.
pub async fn year_tally(db: &Db, year: i64) -> Result<(i64, i64)> {
    let (from, to) = year_bounds(Some(year));
    let courses: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_courses WHERE held_on >= $1 AND held_on < $2")
        .bind(&from).bind(&to).fetch_one(p).await)?;
    let attendances: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM training_records r JOIN training_courses k ON k.id = r.course_id \
         WHERE k.held_on >= $1 AND k.held_on < $2")
        .bind(&from).bind(&to).fetch_one(p).await)?;
    Ok((courses, attendances))
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Certificate {
    pub id: i64,
    pub person_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: CertificateKind,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub created_at: i64,
}

macro_rules! certificate_select {
    () => {
        "SELECT s.id, s.person_name, s.carrier_id, c.name AS carrier_name, c.operator_org_id, s.kind, \
         s.number, s.issuer, s.issued_on, s.expires_on, s.created_at FROM staff_certificates s \
         JOIN carriers c ON c.id = s.carrier_id"
    };
}

#[derive(Debug, Clone)]
pub struct NewCertificate {
    pub person_name: String,
    pub carrier_id: i64,
    pub kind: CertificateKind,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
}

/// Certificates of the carriers `operator_org_id` operates (all: `None`), the soonest to expire first.
pub async fn certificates(db: &Db, operator_org_id: Option<i64>) -> Result<Vec<Certificate>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Certificate>(concat!(certificate_select!(),
        " WHERE ($1 IS NULL OR c.operator_org_id = $1) \
          ORDER BY CASE WHEN s.expires_on IS NULL THEN 1 ELSE 0 END, s.expires_on, s.person_name"))
        .bind(operator_org_id).fetch_all(p).await)?,
    )
}

/// Records a certificate (409 `number` when that kind's number is recorded already).
pub async fn insert_certificate(
    tx: &mut Tx,
    ctx: &AuditCtx,
    s: &NewCertificate,
) -> Result<Certificate> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO staff_certificates (person_name, carrier_id, kind, number, issuer, issued_on, expires_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
        .bind(&s.person_name).bind(s.carrier_id).bind(s.kind.code()).bind(&s.number).bind(&s.issuer)
        .bind(&s.issued_on).bind(&s.expires_on).bind(clock::now_ms()).fetch_one(c).await)
    .map_err(crate::StoreError::from)
    .map_err(|e| match e {
        crate::StoreError::Conflict { .. } => crate::StoreError::Conflict {
            field: "number".into(),
        },
        e => e,
    })?;
    let after = on_tx!(tx, c => sqlx::query_as::<_, Certificate>(concat!(certificate_select!(), " WHERE s.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "staff_certificate",
            entity_id: id,
            org_id: Some(after.operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}
