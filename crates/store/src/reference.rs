//! Reference data the bureau keeps: functional zones and the city's industrial chains.

use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A functional zone (e.g. 株洲国家高新区): reported as a place of its own, inside a county.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Zone {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub county_code: String,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct NewZone {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub county_code: String,
}

pub async fn zones(db: &Db) -> Result<Vec<Zone>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Zone>("SELECT id, code, name_zh, name_en, county_code, active FROM zones ORDER BY id").fetch_all(p).await)?,
    )
}

pub async fn insert_zone(tx: &mut Tx, ctx: &AuditCtx, z: &NewZone) -> Result<Zone> {
    let now = clock::now_ms();
    let zone = on_tx!(tx, c => sqlx::query_as::<_, Zone>(
        "INSERT INTO zones (code, name_zh, name_en, county_code, active, created_at, updated_at) VALUES ($1, $2, $3, $4, TRUE, $5, $5) \
         RETURNING id, code, name_zh, name_en, county_code, active")
        .bind(&z.code)
        .bind(&z.name_zh)
        .bind(&z.name_en)
        .bind(&z.county_code)
        .bind(now)
        .fetch_one(c)
        .await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "zone",
            entity_id: zone.id,
            org_id: None,
            action: AuditAction::Create,
            before: None,
            after: Some(&zone),
        },
    )
    .await?;
    Ok(zone)
}

/// One of the city's industrial chains, mapped to GB/T 4754-2017 divisions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Chain {
    pub id: i64,
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    /// Comma-separated GB/T 4754 division (or section) codes.
    pub divisions: String,
    pub sort_order: i64,
    pub active: bool,
}

#[derive(Debug, Clone)]
pub struct ChainInput {
    pub code: String,
    pub name_zh: String,
    pub name_en: String,
    pub divisions: String,
    pub sort_order: i64,
    pub active: bool,
}

pub async fn chains(db: &Db) -> Result<Vec<Chain>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Chain>("SELECT id, code, name_zh, name_en, divisions, sort_order, active FROM chains ORDER BY sort_order, id").fetch_all(p).await)?,
    )
}

pub async fn insert_chain(tx: &mut Tx, ctx: &AuditCtx, ch: &ChainInput) -> Result<Chain> {
    let now = clock::now_ms();
    let chain = on_tx!(tx, c => sqlx::query_as::<_, Chain>(
        "INSERT INTO chains (code, name_zh, name_en, divisions, sort_order, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
         RETURNING id, code, name_zh, name_en, divisions, sort_order, active")
        .bind(&ch.code)
        .bind(&ch.name_zh)
        .bind(&ch.name_en)
        .bind(&ch.divisions)
        .bind(ch.sort_order)
        .bind(ch.active)
        .bind(now)
        .fetch_one(c)
        .await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "chain",
            entity_id: chain.id,
            org_id: None,
            action: AuditAction::Create,
            before: None,
            after: Some(&chain),
        },
    )
    .await?;
    Ok(chain)
}

pub async fn update_chain(tx: &mut Tx, ctx: &AuditCtx, id: i64, ch: &ChainInput) -> Result<Chain> {
    let before = on_tx!(tx, c => sqlx::query_as::<_, Chain>("SELECT id, code, name_zh, name_en, divisions, sort_order, active FROM chains WHERE id = $1")
        .bind(id).fetch_optional(c).await)?.ok_or(StoreError::NotFound)?;
    let after = on_tx!(tx, c => sqlx::query_as::<_, Chain>(
        "UPDATE chains SET name_zh = $2, name_en = $3, divisions = $4, sort_order = $5, active = $6, updated_at = $7 WHERE id = $1 \
         RETURNING id, code, name_zh, name_en, divisions, sort_order, active")
        .bind(id)
        .bind(&ch.name_zh)
        .bind(&ch.name_en)
        .bind(&ch.divisions)
        .bind(ch.sort_order)
        .bind(ch.active)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "chain",
            entity_id: id,
            org_id: None,
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}
