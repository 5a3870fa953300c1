//! Funds open to enterprises: seed, angel, venture and industry funds, with their size in
//! thousand yuan (千元) and whether incubatees can draw on them.

use fruition_domain::audit::AuditAction;
use fruition_domain::fund::FundKind;
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
    pub manager_org_id: Option<i64>,
    pub manager_name: Option<String>,
    /// 基金规模（千元）.
    pub size_k: i64,
    /// Open to incubated enterprises (the annual report counts these).
    pub for_incubatees: bool,
    pub established_year: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

/// A fund as it is registered.
#[derive(Debug, Clone)]
pub struct NewFund {
    pub name: String,
    pub kind: FundKind,
    pub manager_org_id: Option<i64>,
    pub size_k: i64,
    pub for_incubatees: bool,
    pub established_year: i64,
}

macro_rules! fund_select {
    () => {
        "SELECT f.id, f.name, f.kind, f.manager_org_id, o.name AS manager_name, f.size_k, f.for_incubatees, f.established_year, \
         f.created_at, f.updated_at FROM funds f LEFT JOIN organisations o ON o.id = f.manager_org_id"
    };
}

/// Every fund, largest first.
pub async fn list(db: &Db) -> Result<Vec<Fund>> {
    let sql = concat!(fund_select!(), " ORDER BY f.size_k DESC, f.name");
    Ok(on_db!(db, p => sqlx::query_as::<_, Fund>(sql).fetch_all(p).await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Fund>> {
    let sql = concat!(fund_select!(), " WHERE f.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Fund>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Fund> {
    let sql = concat!(fund_select!(), " WHERE f.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Fund>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Registers a fund; a second fund of the same name is refused (409 on `name`).
pub async fn insert(tx: &mut Tx, ctx: &AuditCtx, f: &NewFund) -> Result<Fund> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO funds (name, kind, manager_org_id, size_k, for_incubatees, established_year, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id")
        .bind(&f.name)
        .bind(f.kind.code())
        .bind(f.manager_org_id)
        .bind(f.size_k)
        .bind(f.for_incubatees)
        .bind(f.established_year)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let fund = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "fund",
            entity_id: id,
            org_id: fund.manager_org_id,
            action: AuditAction::Create,
            before: None,
            after: Some(&fund),
        },
    )
    .await?;
    Ok(fund)
}
