//! Funds open to enterprises: who manages them, their size, paid-in capital and the
//! government's part in thousand yuan (千元), a guidance fund's sub-funds, a carrier's seed fund,
//! the chains a fund focuses on, and what it has invested (in fen, kept by the statement that
//! records an investment).

use fruition_domain::audit::AuditAction;
use fruition_domain::fund::{FundKind, FundStatus};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Fund {
    pub id: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: FundKind,
    #[sqlx(try_from = "String")]
    pub status: FundStatus,
    pub manager_org_id: Option<i64>,
    pub manager_name: Option<String>,
    pub parent_fund_id: Option<i64>,
    pub parent_name: Option<String>,
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    /// 基金规模（千元）.
    pub size_k: i64,
    /// 实缴规模（千元）.
    pub paid_in_k: i64,
    /// What the government committed (千元).
    pub government_k: i64,
    /// What the parent fund committed to this sub-fund (千元).
    pub from_parent_k: i64,
    /// Open to incubated enterprises (the annual report counts these).
    pub for_incubatees: bool,
    pub established_year: i64,
    pub closed_year: Option<i64>,
    /// The sum of the fund's investments (fen).
    pub invested_fen: i64,
    /// The industrial chains it focuses on (codes).
    #[sqlx(skip)]
    pub chain_codes: Vec<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Fund {
    /// The size in fen (the most the fund may invest).
    pub fn size_fen(&self) -> i64 {
        self.size_k.saturating_mul(100_000)
    }
}

/// A fund as it is registered or changed.
#[derive(Debug, Clone)]
pub struct NewFund {
    pub name: String,
    pub kind: FundKind,
    pub status: FundStatus,
    pub manager_org_id: Option<i64>,
    pub parent_fund_id: Option<i64>,
    pub carrier_id: Option<i64>,
    pub size_k: i64,
    pub paid_in_k: i64,
    pub government_k: i64,
    pub from_parent_k: i64,
    pub for_incubatees: bool,
    pub established_year: i64,
    pub closed_year: Option<i64>,
    pub chain_codes: Vec<String>,
}

macro_rules! fund_select {
    () => {
        "SELECT f.id, f.name, f.kind, f.status, f.manager_org_id, o.name AS manager_name, \
         f.parent_fund_id, p.name AS parent_name, f.carrier_id, c.name AS carrier_name, f.size_k, \
         f.paid_in_k, f.government_k, f.from_parent_k, f.for_incubatees, f.established_year, \
         f.closed_year, f.invested_fen, \
         f.created_at, f.updated_at FROM funds f LEFT JOIN organisations o ON o.id = f.manager_org_id \
         LEFT JOIN funds p ON p.id = f.parent_fund_id LEFT JOIN carriers c ON c.id = f.carrier_id"
    };
}

/// Which funds to list.
#[derive(Debug, Clone, Default)]
pub struct FundFilter {
    pub manager_org_id: Option<i64>,
    pub kind: Option<FundKind>,
    pub parent_fund_id: Option<i64>,
    pub carrier_id: Option<i64>,
}

/// Every fund, largest first.
pub async fn list(db: &Db) -> Result<Vec<Fund>> {
    list_where(db, &FundFilter::default()).await
}

/// The funds that match `f`, largest first.
pub async fn list_where(db: &Db, f: &FundFilter) -> Result<Vec<Fund>> {
    let mut funds = on_db!(db, p => {
        sqlx::query_as::<_, Fund>(concat!(fund_select!(), " WHERE ($1 IS NULL OR f.manager_org_id = $1) \
             AND ($2 IS NULL OR f.kind = $2) AND ($3 IS NULL OR f.parent_fund_id = $3) \
             AND ($4 IS NULL OR f.carrier_id = $4) ORDER BY f.size_k DESC, f.name"))
            .bind(f.manager_org_id).bind(f.kind.map(|k| k.code())).bind(f.parent_fund_id).bind(f.carrier_id)
            .fetch_all(p).await
    })?;
    let chains: Vec<(i64, String)> = on_db!(db, p => sqlx::query_as(
        "SELECT fund_id, chain_code FROM fund_chains ORDER BY fund_id, chain_code").fetch_all(p).await)?;
    for fund in &mut funds {
        fund.chain_codes = chains
            .iter()
            .filter(|(id, _)| *id == fund.id)
            .map(|(_, c)| c.clone())
            .collect();
    }
    Ok(funds)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Fund>> {
    let fund = on_db!(db, p => sqlx::query_as::<_, Fund>(concat!(fund_select!(), " WHERE f.id = $1"))
        .bind(id).fetch_optional(p).await)?;
    let Some(mut fund) = fund else {
        return Ok(None);
    };
    fund.chain_codes = on_db!(db, p => sqlx::query_scalar(
        "SELECT chain_code FROM fund_chains WHERE fund_id = $1 ORDER BY chain_code").bind(id).fetch_all(p).await)?;
    Ok(Some(fund))
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Fund> {
    let mut fund =
        on_tx!(tx, c => sqlx::query_as::<_, Fund>(concat!(fund_select!(), " WHERE f.id = $1"))
        .bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)?;
    fund.chain_codes = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT chain_code FROM fund_chains WHERE fund_id = $1 ORDER BY chain_code").bind(id).fetch_all(c).await)?;
    Ok(fund)
}

/// Registers a fund; a second fund of the same name is refused (409 on `name`).
pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, f: &NewFund) -> Result<Fund> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO funds (name, kind, status, manager_org_id, parent_fund_id, carrier_id, size_k, paid_in_k, \
         government_k, from_parent_k, for_incubatees, established_year, closed_year, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15) RETURNING id")
        .bind(&f.name)
        .bind(f.kind.code())
        .bind(f.status.code())
        .bind(f.manager_org_id)
        .bind(f.parent_fund_id)
        .bind(f.carrier_id)
        .bind(f.size_k)
        .bind(f.paid_in_k)
        .bind(f.government_k)
        .bind(f.from_parent_k)
        .bind(f.for_incubatees)
        .bind(f.established_year)
        .bind(f.closed_year)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    write_chains(tx, id, &f.chain_codes).await?;
    let fund = get_in(tx, id).await?;
    record(tx, ctx, None, &fund, AuditAction::Create).await?;
    Ok(fund)
}

/// Changes a fund's profile and figures. The size may not fall below what the fund has
/// invested: checked by the statement that writes (409 on `size_k`).
pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, f: &NewFund) -> Result<Fund> {
    let before = get_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE funds SET name = $2, kind = $3, status = $4, manager_org_id = $5, parent_fund_id = $6, \
         carrier_id = $7, size_k = $8, paid_in_k = $9, government_k = $10, from_parent_k = $11, \
         for_incubatees = $12, established_year = $13, closed_year = $14, updated_at = $15 \
         WHERE id = $1 AND invested_fen <= $8 * 100000")
        .bind(id)
        .bind(&f.name)
        .bind(f.kind.code())
        .bind(f.status.code())
        .bind(f.manager_org_id)
        .bind(f.parent_fund_id)
        .bind(f.carrier_id)
        .bind(f.size_k)
        .bind(f.paid_in_k)
        .bind(f.government_k)
        .bind(f.from_parent_k)
        .bind(f.for_incubatees)
        .bind(f.established_year)
        .bind(f.closed_year)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "size_k".into(),
        });
    }
    on_tx!(tx, c => sqlx::query("DELETE FROM fund_chains WHERE fund_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    write_chains(tx, id, &f.chain_codes).await?;
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

async fn write_chains(tx: &mut Tx, fund_id: i64, codes: &[String]) -> Result<()> {
    for code in codes {
        on_tx!(tx, c => sqlx::query("INSERT INTO fund_chains (fund_id, chain_code) VALUES ($1, $2)")
            .bind(fund_id).bind(code).execute(c).await.map(|_| ()))?;
    }
    Ok(())
}

async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Fund>,
    after: &Fund,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "fund",
            entity_id: after.id,
            org_id: after.manager_org_id,
            action,
            before,
            after: Some(after),
        },
    )
    .await
}
