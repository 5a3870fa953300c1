//! Enterprises and their incubation spells at carriers.

use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Enterprise {
    pub id: i64,
    pub uscc: String,
    pub name: String,
    pub founded_on: Option<String>,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub chain_code: Option<String>,
    pub industry_division: Option<String>,
    pub high_tech: bool,
    pub tech_sme: bool,
    pub parent_id: Option<i64>,
    pub org_id: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

/// An enterprise's profile as it is written.
#[derive(Debug, Clone, Default)]
pub struct EnterpriseProfile {
    pub uscc: String,
    pub name: String,
    pub founded_on: Option<String>,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub chain_code: Option<String>,
    pub industry_division: Option<String>,
    pub high_tech: bool,
    pub tech_sme: bool,
    pub parent_id: Option<i64>,
    pub org_id: Option<i64>,
}

macro_rules! enterprise_columns {
    () => {
        "e.id, e.uscc, e.name, e.founded_on, e.county_code, e.zone_id, e.chain_code, e.industry_division, e.high_tech, e.tech_sme, \
         e.parent_id, e.org_id, e.created_at, e.updated_at"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Enterprise>> {
    let sql = concat!(
        "SELECT ",
        enterprise_columns!(),
        " FROM enterprises e WHERE e.id = $1"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Enterprise>(sql).bind(id).fetch_optional(p).await)?)
}

pub(crate) async fn get_in(tx: &mut Tx, id: i64) -> Result<Enterprise> {
    let sql = concat!(
        "SELECT ",
        enterprise_columns!(),
        " FROM enterprises e WHERE e.id = $1"
    );
    on_tx!(tx, c => sqlx::query_as::<_, Enterprise>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

pub async fn find_by_uscc(db: &Db, uscc: &str) -> Result<Option<Enterprise>> {
    let sql = concat!(
        "SELECT ",
        enterprise_columns!(),
        " FROM enterprises e WHERE e.uscc = $1"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Enterprise>(sql).bind(uscc).fetch_optional(p).await)?)
}

pub async fn find_by_uscc_in(tx: &mut Tx, uscc: &str) -> Result<Option<Enterprise>> {
    let sql = concat!(
        "SELECT ",
        enterprise_columns!(),
        " FROM enterprises e WHERE e.uscc = $1"
    );
    Ok(on_tx!(tx, c => sqlx::query_as::<_, Enterprise>(sql).bind(uscc).fetch_optional(c).await)?)
}

pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, p: &EnterpriseProfile) -> Result<Enterprise> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO enterprises (uscc, name, founded_on, county_code, zone_id, chain_code, industry_division, high_tech, tech_sme, parent_id, org_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id")
        .bind(&p.uscc)
        .bind(&p.name)
        .bind(&p.founded_on)
        .bind(&p.county_code)
        .bind(p.zone_id)
        .bind(&p.chain_code)
        .bind(&p.industry_division)
        .bind(p.high_tech)
        .bind(p.tech_sme)
        .bind(p.parent_id)
        .bind(p.org_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let e = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "enterprise",
            entity_id: e.id,
            org_id: e.org_id,
            action: AuditAction::Create,
            before: None,
            after: Some(&e),
        },
    )
    .await?;
    Ok(e)
}

pub async fn update(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    p: &EnterpriseProfile,
) -> Result<Enterprise> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE enterprises SET uscc = $2, name = $3, founded_on = $4, county_code = $5, zone_id = $6, chain_code = $7, industry_division = $8, \
         high_tech = $9, tech_sme = $10, parent_id = $11, org_id = $12, updated_at = $13 WHERE id = $1")
        .bind(id)
        .bind(&p.uscc)
        .bind(&p.name)
        .bind(&p.founded_on)
        .bind(&p.county_code)
        .bind(p.zone_id)
        .bind(&p.chain_code)
        .bind(&p.industry_division)
        .bind(p.high_tech)
        .bind(p.tech_sme)
        .bind(p.parent_id)
        .bind(p.org_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "enterprise",
            entity_id: id,
            org_id: after.org_id,
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// What to look for among enterprises; every part is optional.
#[derive(Debug, Clone, Default)]
pub struct EnterpriseFilter {
    pub q: Option<String>,
    pub chain_code: Option<String>,
    pub county_code: Option<String>,
    /// Only those with an open spell at a carrier of this operator.
    pub operator_org_id: Option<i64>,
    /// Only those with an open spell at this carrier.
    pub carrier_id: Option<i64>,
    pub parent_id: Option<i64>,
    /// Only the record linked to this organisation (the enterprise's own).
    pub org_id: Option<i64>,
    pub after_id: Option<i64>,
    pub limit: i64,
}

/// An enterprise with the carrier where it is incubating now, if any.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct EnterpriseRow {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub enterprise: Enterprise,
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
}

/// Enterprises in id order after `after_id` (keyset paging).
pub async fn list(db: &Db, f: &EnterpriseFilter) -> Result<Vec<EnterpriseRow>> {
    let pattern =
        f.q.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| format!("%{}%", crate::organisations::escape_like(s)));
    let sql = concat!(
        "SELECT ",
        enterprise_columns!(),
        ", i.carrier_id, c.name AS carrier_name FROM enterprises e \
         LEFT JOIN incubations i ON i.enterprise_id = e.id AND i.exited_on IS NULL \
         LEFT JOIN carriers c ON c.id = i.carrier_id \
         WHERE ($1 IS NULL OR e.name LIKE $1 ESCAPE '\\' OR e.uscc LIKE $1 ESCAPE '\\') AND ($2 IS NULL OR e.chain_code = $2) \
         AND ($3 IS NULL OR e.county_code = $3) AND ($4 IS NULL OR c.operator_org_id = $4) AND ($5 IS NULL OR i.carrier_id = $5) \
         AND ($6 IS NULL OR e.parent_id = $6) AND ($7 IS NULL OR e.id > $7) AND ($9 IS NULL OR e.org_id = $9) ORDER BY e.id LIMIT $8"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, EnterpriseRow>(sql)
        .bind(&pattern)
        .bind(&f.chain_code)
        .bind(&f.county_code)
        .bind(f.operator_org_id)
        .bind(f.carrier_id)
        .bind(f.parent_id)
        .bind(f.after_id)
        .bind(f.limit.clamp(1, 100_000))
        .bind(f.org_id)
        .fetch_all(p)
        .await)?)
}

/// The organisations an enterprise's data belongs to: its own, and the operators of every carrier
/// that incubates or incubated it.
pub async fn related_orgs(db: &Db, id: i64) -> Result<Vec<i64>> {
    let rows: Vec<Option<i64>> = on_db!(db, p => sqlx::query_scalar(
        "SELECT org_id FROM enterprises WHERE id = $1 UNION SELECT c.operator_org_id FROM incubations i JOIN carriers c ON c.id = i.carrier_id WHERE i.enterprise_id = $1")
        .bind(id)
        .fetch_all(p)
        .await)?;
    Ok(rows.into_iter().flatten().collect())
}

/// A stay of an enterprise at a carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Incubation {
    pub id: i64,
    pub enterprise_id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub entered_on: String,
    pub exited_on: Option<String>,
    /// `graduated` or `left`.
    pub exit_kind: Option<String>,
    pub exit_reason: Option<String>,
}

macro_rules! incubation_select {
    () => {
        "SELECT i.id, i.enterprise_id, i.carrier_id, c.name AS carrier_name, i.entered_on, i.exited_on, i.exit_kind, i.exit_reason \
         FROM incubations i JOIN carriers c ON c.id = i.carrier_id"
    };
}

pub async fn incubations(db: &Db, enterprise_id: i64) -> Result<Vec<Incubation>> {
    let sql = concat!(
        incubation_select!(),
        " WHERE i.enterprise_id = $1 ORDER BY i.entered_on, i.id"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Incubation>(sql).bind(enterprise_id).fetch_all(p).await)?,
    )
}

pub async fn open_incubation_in(tx: &mut Tx, enterprise_id: i64) -> Result<Option<Incubation>> {
    let sql = concat!(
        incubation_select!(),
        " WHERE i.enterprise_id = $1 AND i.exited_on IS NULL"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, Incubation>(sql).bind(enterprise_id).fetch_optional(c).await)?,
    )
}

/// Opens a spell; the database refuses a second open spell (409 on `enterprise_id`).
pub async fn enter(
    tx: &mut Tx,
    ctx: &AuditCtx,
    enterprise_id: i64,
    carrier_id: i64,
    entered_on: &str,
    operator_org_id: i64,
) -> Result<Incubation> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO incubations (enterprise_id, carrier_id, entered_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING id")
        .bind(enterprise_id)
        .bind(carrier_id)
        .bind(entered_on)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let sql = concat!(incubation_select!(), " WHERE i.id = $1");
    let spell = on_tx!(tx, c => sqlx::query_as::<_, Incubation>(sql).bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "incubation",
            entity_id: id,
            org_id: Some(operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&spell),
        },
    )
    .await?;
    Ok(spell)
}

/// Closes an open spell: the enterprise graduated or left, on a date, for a reason.
pub async fn exit(
    tx: &mut Tx,
    ctx: &AuditCtx,
    spell: &Incubation,
    on: &str,
    kind: &str,
    reason: Option<&str>,
    operator_org_id: i64,
) -> Result<Incubation> {
    on_tx!(tx, c => sqlx::query("UPDATE incubations SET exited_on = $2, exit_kind = $3, exit_reason = $4, updated_at = $5 WHERE id = $1")
        .bind(spell.id)
        .bind(on)
        .bind(kind)
        .bind(reason)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let sql = concat!(incubation_select!(), " WHERE i.id = $1");
    let after =
        on_tx!(tx, c => sqlx::query_as::<_, Incubation>(sql).bind(spell.id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "incubation",
            entity_id: spell.id,
            org_id: Some(operator_org_id),
            action: AuditAction::Update,
            before: Some(spell),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Enterprises whose spell at a carrier overlaps a year (entered by its end, not gone before its
/// start): the incubatees its yearly report must cover. (id, name), by name.
pub async fn incubatees_in_year(db: &Db, carrier_id: i64, year: i64) -> Result<Vec<(i64, String)>> {
    let start = format!("{year:04}-01-01");
    let end = format!("{year:04}-12-31");
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, String)>(
        "SELECT DISTINCT e.id, e.name FROM incubations i JOIN enterprises e ON e.id = i.enterprise_id \
         WHERE i.carrier_id = $1 AND i.entered_on <= $3 AND (i.exited_on IS NULL OR i.exited_on >= $2) ORDER BY e.name")
        .bind(carrier_id)
        .bind(&start)
        .bind(&end)
        .fetch_all(p)
        .await)?)
}
