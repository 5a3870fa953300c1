//! The city's credit policy (newest row in force; a change is a new row) and the pool's funders,
//! each with its two ledger accounts: what it has put in, and its money in the pool.

use fruition_domain::audit::AuditAction;
use fruition_domain::ledger::Transfer;
use fruition_domain::pool::{AccountKind, CreditPolicy, FunderLevel, TransferKind};
use serde::Serialize;

use super::ledger::{self, Posting};
use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

const CURRENT: &str = "SELECT policy_json FROM credit_policies ORDER BY id DESC LIMIT 1";

/// The newest saved policy's JSON read, else the shipped default.
fn policy_of(json: Option<String>) -> CreditPolicy {
    json.and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default()
}

/// The policy in force: the newest saved, else the shipped default.
pub async fn current(db: &Db) -> Result<CreditPolicy> {
    let json: Option<String> =
        on_db!(db, p => sqlx::query_scalar(CURRENT).fetch_optional(p).await)?;
    Ok(policy_of(json))
}

/// The policy in force, read inside a transaction.
pub async fn current_in(tx: &mut Tx) -> Result<CreditPolicy> {
    let json: Option<String> =
        on_tx!(tx, c => sqlx::query_scalar(CURRENT).fetch_optional(c).await)?;
    Ok(policy_of(json))
}

/// Saves a checked policy as the one in force.
pub async fn save(db: &Db, ctx: &AuditCtx, policy: &CreditPolicy, note: &str) -> Result<()> {
    let before = current(db).await?;
    let mut tx = db.begin().await?;
    let json = serde_json::to_string(policy).unwrap_or_default();
    let id: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
        "INSERT INTO credit_policies (policy_json, note, created_by, created_at) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(&json)
        .bind(note)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    audit::record(
        &mut tx,
        ctx,
        Change {
            entity: "credit_policy",
            entity_id: id,
            org_id: None,
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(policy),
        },
    )
    .await?;
    tx.commit().await
}

/// A funder with its accounts and where they stand.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Funder {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub level: FunderLevel,
    pub ratio: i64,
    pub active: bool,
    pub funder_account_id: i64,
    pub pool_account_id: i64,
    /// What it has put in (positive).
    pub contributed_fen: i64,
    /// Its money in the pool now.
    pub pool_balance_fen: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

const FUNDER_SELECT: &str = "SELECT f.id, f.name, f.level, f.ratio, f.active, \
     fa.id AS funder_account_id, pa.id AS pool_account_id, -fa.balance_fen AS contributed_fen, \
     pa.balance_fen AS pool_balance_fen, f.created_at, f.updated_at \
     FROM pool_funders f \
     JOIN ledger_accounts fa ON fa.funder_id = f.id AND fa.kind = 'funder' \
     JOIN ledger_accounts pa ON pa.funder_id = f.id AND pa.kind = 'pool'";

pub async fn funders(db: &Db) -> Result<Vec<Funder>> {
    let sql = format!("{FUNDER_SELECT} ORDER BY f.id");
    Ok(on_db!(db, p => sqlx::query_as::<_, Funder>(sqlx::AssertSqlSafe(sql)).fetch_all(p).await)?)
}

pub(crate) async fn funders_in(tx: &mut Tx) -> Result<Vec<Funder>> {
    let sql = format!("{FUNDER_SELECT} WHERE f.active ORDER BY f.id");
    Ok(on_tx!(tx, c => sqlx::query_as::<_, Funder>(sqlx::AssertSqlSafe(sql)).fetch_all(c).await)?)
}

pub async fn funder(db: &Db, id: i64) -> Result<Option<Funder>> {
    let sql = format!("{FUNDER_SELECT} WHERE f.id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Funder>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?,
    )
}

async fn funder_in(tx: &mut Tx, id: i64) -> Result<Funder> {
    let sql = format!("{FUNDER_SELECT} WHERE f.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Funder>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Adds a funder and opens its two accounts. A name already used is a conflict on `name`.
pub async fn add_funder(
    db: &Db,
    ctx: &AuditCtx,
    name: &str,
    level: FunderLevel,
    ratio: i64,
) -> Result<Funder> {
    let mut tx = db.begin().await?;
    let f = add_funder_in(&mut tx, ctx, name, level, ratio).await?;
    tx.commit().await?;
    Ok(f)
}

/// [`add_funder`] inside a transaction the caller commits (the demo data).
pub async fn add_funder_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    name: &str,
    level: FunderLevel,
    ratio: i64,
) -> Result<Funder> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO pool_funders (name, level, ratio, active, created_at, updated_at) \
         VALUES ($1, $2, $3, TRUE, $4, $4) RETURNING id")
        .bind(name)
        .bind(level.code())
        .bind(ratio)
        .bind(now)
        .fetch_one(c)
        .await)?;
    ledger::open(
        tx,
        &format!("funder:{id}"),
        name,
        AccountKind::Funder,
        Some(id),
        None,
    )
    .await?;
    ledger::open(
        tx,
        &format!("pool:{id}"),
        &format!("{name}（资金池）"),
        AccountKind::Pool,
        Some(id),
        None,
    )
    .await?;
    let f = funder_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "pool_funder",
            entity_id: id,
            org_id: None,
            action: AuditAction::Create,
            before: None,
            after: Some(&f),
        },
    )
    .await?;
    Ok(f)
}

/// Changes a funder's ratio or stops it sharing in new payments.
pub async fn update_funder(
    db: &Db,
    ctx: &AuditCtx,
    id: i64,
    ratio: i64,
    active: bool,
) -> Result<Funder> {
    let mut tx = db.begin().await?;
    let before = funder_in(&mut tx, id).await?;
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE pool_funders SET ratio = $2, active = $3, updated_at = $4 WHERE id = $1")
        .bind(id)
        .bind(ratio)
        .bind(active)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = funder_in(&mut tx, id).await?;
    audit::record(
        &mut tx,
        ctx,
        Change {
            entity: "pool_funder",
            entity_id: id,
            org_id: None,
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Records a funder's contribution to the pool on `day`: its money moves from its contributions
/// account to its pool account. Returns the transfer id.
pub async fn contribute(
    db: &Db,
    ctx: &AuditCtx,
    funder_id: i64,
    amount_fen: i64,
    day: fruition_domain::date::IsoDate,
    memo: &str,
) -> Result<i64> {
    let mut tx = db.begin().await?;
    let id = contribute_in(&mut tx, ctx, funder_id, amount_fen, day, memo).await?;
    tx.commit().await?;
    Ok(id)
}

/// [`contribute`] inside a transaction the caller commits (the demo data).
pub async fn contribute_in(
    tx: &mut Tx,
    ctx: &AuditCtx,
    funder_id: i64,
    amount_fen: i64,
    day: fruition_domain::date::IsoDate,
    memo: &str,
) -> Result<i64> {
    let f = funder_in(tx, funder_id).await?;
    let transfer =
        Transfer::between(f.funder_account_id, f.pool_account_id, amount_fen).map_err(|_| {
            StoreError::Conflict {
                field: "amount".into(),
            }
        })?;
    let id = ledger::post(
        tx,
        &Posting {
            kind: TransferKind::Contribution,
            value_date: day,
            memo,
            claim_id: None,
            created_by: ctx.actor_user_id,
        },
        transfer,
    )
    .await?;
    let after = funder_in(tx, funder_id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "pool_funder",
            entity_id: funder_id,
            org_id: None,
            action: AuditAction::Update,
            before: Some(&f),
            after: Some(&after),
        },
    )
    .await?;
    Ok(id)
}
