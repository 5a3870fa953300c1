//! Carriers (双创孵化载体) and their rating history.

use fruition_domain::audit::AuditAction;
use fruition_domain::carrier::{CarrierKind, CarrierStatus, Level};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A carrier with the level that holds in the year it was read for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Carrier {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: CarrierKind,
    pub operator_org_id: i64,
    pub operator_name: String,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub address: Option<String>,
    pub floor_area_m2: Option<i64>,
    /// Comma-separated chain codes.
    pub focus_chains: String,
    pub established_year: i64,
    #[sqlx(try_from = "String")]
    pub status: CarrierStatus,
    pub revoked_on: Option<String>,
    pub revoked_reason: Option<String>,
    /// The level that holds (the latest rating granted by the year asked for), if rated.
    pub level: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Carrier {
    pub fn level(&self) -> Option<Level> {
        self.level.as_deref().and_then(Level::parse)
    }
}

/// What a carrier's profile holds.
#[derive(Debug, Clone)]
pub struct CarrierProfile {
    pub name: String,
    pub kind: CarrierKind,
    pub operator_org_id: i64,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub address: Option<String>,
    pub floor_area_m2: Option<i64>,
    pub focus_chains: String,
    pub established_year: i64,
}

macro_rules! carrier_select {
    () => {
        "SELECT c.id, c.name, c.kind, c.operator_org_id, o.name AS operator_name, c.county_code, c.zone_id, c.address, \
         c.floor_area_m2, c.focus_chains, c.established_year, c.status, c.revoked_on, c.revoked_reason, \
         (SELECT r.level FROM carrier_ratings r WHERE r.carrier_id = c.id AND r.year_granted <= $1 \
          ORDER BY r.year_granted DESC, r.level_rank DESC LIMIT 1) AS level, c.created_at, c.updated_at \
         FROM carriers c JOIN organisations o ON o.id = c.operator_org_id"
    };
}

/// The year that means "now" when reading levels.
pub const CURRENT: i64 = 9999;

/// What to look for among carriers; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct CarrierFilter {
    pub kind: Option<CarrierKind>,
    pub level: Option<Level>,
    pub county_code: Option<String>,
    pub zone_id: Option<i64>,
    pub operator_org_id: Option<i64>,
    pub status: Option<CarrierStatus>,
    pub q: Option<String>,
}

pub async fn list(db: &Db, as_of_year: i64, f: &CarrierFilter) -> Result<Vec<Carrier>> {
    let pattern =
        f.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", crate::organisations::escape_like(s)));
    let sql = concat!(
        "SELECT * FROM (",
        carrier_select!(),
        ") x WHERE ($2 IS NULL OR kind = $2) AND ($3 IS NULL OR level = $3) AND ($4 IS NULL OR county_code = $4) \
         AND ($5 IS NULL OR zone_id = $5) AND ($6 IS NULL OR operator_org_id = $6) AND ($7 IS NULL OR status = $7) \
         AND ($8 IS NULL OR name LIKE $8 ESCAPE '\\') ORDER BY name"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Carrier>(sql)
        .bind(as_of_year)
        .bind(f.kind.map(|k| k.code()))
        .bind(f.level.map(|l| l.code()))
        .bind(&f.county_code)
        .bind(f.zone_id)
        .bind(f.operator_org_id)
        .bind(f.status.map(|s| s.code()))
        .bind(&pattern)
        .fetch_all(p)
        .await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Carrier>> {
    let sql = concat!(carrier_select!(), " WHERE c.id = $2");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Carrier>(sql).bind(CURRENT).bind(id).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Carrier> {
    let sql = concat!(carrier_select!(), " WHERE c.id = $2");
    on_tx!(tx, c => sqlx::query_as::<_, Carrier>(sql).bind(CURRENT).bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, p: &CarrierProfile) -> Result<Carrier> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO carriers (name, kind, operator_org_id, county_code, zone_id, address, floor_area_m2, focus_chains, established_year, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'active', $10, $10) RETURNING id")
        .bind(&p.name)
        .bind(p.kind.code())
        .bind(p.operator_org_id)
        .bind(&p.county_code)
        .bind(p.zone_id)
        .bind(&p.address)
        .bind(p.floor_area_m2)
        .bind(&p.focus_chains)
        .bind(p.established_year)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let carrier = get_in(tx, id).await?;
    let change = Change {
        entity: "carrier",
        entity_id: id,
        org_id: Some(p.operator_org_id),
        action: AuditAction::Create,
        before: None,
        after: Some(&carrier),
    };
    audit::record(tx, ctx, change).await?;
    Ok(carrier)
}

pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, p: &CarrierProfile) -> Result<Carrier> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE carriers SET name = $2, kind = $3, operator_org_id = $4, county_code = $5, zone_id = $6, address = $7, floor_area_m2 = $8, \
         focus_chains = $9, established_year = $10, updated_at = $11 WHERE id = $1")
        .bind(id)
        .bind(&p.name)
        .bind(p.kind.code())
        .bind(p.operator_org_id)
        .bind(&p.county_code)
        .bind(p.zone_id)
        .bind(&p.address)
        .bind(p.floor_area_m2)
        .bind(&p.focus_chains)
        .bind(p.established_year)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    let change = Change {
        entity: "carrier",
        entity_id: id,
        org_id: Some(after.operator_org_id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// Revokes a carrier (it leaves the counts from the day after `on`), or restores it with `None`.
pub async fn set_revoked(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    revoked: Option<(&str, &str)>,
) -> Result<Carrier> {
    let before = get_in(tx, id).await?;
    let (status, on, reason) = match revoked {
        Some((on, reason)) => (CarrierStatus::Revoked, Some(on), Some(reason)),
        None => (CarrierStatus::Active, None, None),
    };
    on_tx!(tx, c => sqlx::query("UPDATE carriers SET status = $2, revoked_on = $3, revoked_reason = $4, updated_at = $5 WHERE id = $1")
        .bind(id)
        .bind(status.code())
        .bind(on)
        .bind(reason)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    let change = Change {
        entity: "carrier",
        entity_id: id,
        org_id: Some(after.operator_org_id),
        action: AuditAction::Update,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record(tx, ctx, change).await?;
    Ok(after)
}

/// One rating in a carrier's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RatingRow {
    pub id: i64,
    pub carrier_id: i64,
    #[sqlx(try_from = "String")]
    pub level: Level,
    pub year_granted: i64,
    pub granting_body: String,
    pub document_no: Option<String>,
    pub created_at: i64,
}

pub async fn ratings(db: &Db, carrier_id: i64) -> Result<Vec<RatingRow>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, RatingRow>(
        "SELECT id, carrier_id, level, year_granted, granting_body, document_no, created_at FROM carrier_ratings WHERE carrier_id = $1 \
         ORDER BY year_granted, level_rank")
        .bind(carrier_id)
        .fetch_all(p)
        .await)?)
}

pub async fn add_rating(
    tx: &mut Tx,
    ctx: &AuditCtx,
    carrier_id: i64,
    level: Level,
    year: i64,
    body: &str,
    document_no: Option<&str>,
) -> Result<RatingRow> {
    let carrier = get_in(tx, carrier_id).await?;
    let row = on_tx!(tx, c => sqlx::query_as::<_, RatingRow>(
        "INSERT INTO carrier_ratings (carrier_id, level, level_rank, year_granted, granting_body, document_no, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, carrier_id, level, year_granted, granting_body, document_no, created_at")
        .bind(carrier_id)
        .bind(level.code())
        .bind(level.rank())
        .bind(year)
        .bind(body)
        .bind(document_no)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    let change = Change {
        entity: "carrier_rating",
        entity_id: row.id,
        org_id: Some(carrier.operator_org_id),
        action: AuditAction::Create,
        before: None,
        after: Some(&row),
    };
    audit::record(tx, ctx, change).await?;
    Ok(row)
}
