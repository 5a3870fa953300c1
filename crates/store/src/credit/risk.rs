//! Each bank's non-performing ratio (overdue and defaulted principal over all principal
//! outstanding), recomputed inside the transaction of every step that moves it, and its circuit
//! breaker: tripped when the ratio first reaches the breaker line, lifted only by the bureau with
//! a reason. Both are recorded in the audit log with the figures.

use fruition_domain::audit::AuditAction;
use fruition_domain::credit::{PoolRules, RiskLevel, npl_bp};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct BankRisk {
    pub bank_org_id: i64,
    pub bank_name: String,
    pub outstanding_fen: i64,
    pub nonperforming_fen: i64,
    pub npl_bp: i64,
    #[sqlx(try_from = "String")]
    pub level: RiskLevel,
    pub breaker_on: bool,
    pub tripped_at: Option<i64>,
    pub lifted_at: Option<i64>,
    pub lifted_by: Option<i64>,
    pub lift_reason: Option<String>,
    pub updated_at: i64,
}

const RISK_SELECT: &str = "SELECT r.bank_org_id, o.name AS bank_name, r.outstanding_fen, r.nonperforming_fen, \
     r.npl_bp, r.level, r.breaker_on, r.tripped_at, r.lifted_at, r.lifted_by, r.lift_reason, r.updated_at \
     FROM credit_bank_risk r JOIN organisations o ON o.id = r.bank_org_id";

pub async fn list(db: &Db) -> Result<Vec<BankRisk>> {
    let sql = format!("{RISK_SELECT} ORDER BY r.npl_bp DESC, o.name");
    Ok(on_db!(db, p => sqlx::query_as::<_, BankRisk>(sqlx::AssertSqlSafe(sql)).fetch_all(p).await)?)
}

pub async fn get(db: &Db, bank_org_id: i64) -> Result<Option<BankRisk>> {
    let sql = format!("{RISK_SELECT} WHERE r.bank_org_id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, BankRisk>(sqlx::AssertSqlSafe(sql)).bind(bank_org_id).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, bank_org_id: i64) -> Result<Option<BankRisk>> {
    let sql = format!("{RISK_SELECT} WHERE r.bank_org_id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, BankRisk>(sqlx::AssertSqlSafe(sql)).bind(bank_org_id).fetch_optional(c).await)?,
    )
}

const BOOK: &str = "SELECT \
     CAST(COALESCE(SUM(disbursed_fen - principal_repaid_fen - recovered_fen), 0) AS BIGINT), \
     CAST(COALESCE(SUM(CASE WHEN status IN ('overdue', 'defaulted') THEN disbursed_fen - principal_repaid_fen - recovered_fen ELSE 0 END), 0) AS BIGINT) \
     FROM loans WHERE status IN ('disbursed', 'registered', 'overdue', 'defaulted') AND ($1 IS NULL OR bank_org_id = $1)";

/// Principal outstanding and non-performing, of one bank or of all.
pub async fn book(db: &Db, bank_org_id: Option<i64>) -> Result<(i64, i64)> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64)>(BOOK).bind(bank_org_id).fetch_one(p).await)?)
}

/// What a recomputation found: the bank's standing before and after, and whether its level rose
/// (to warning or breaker) and whether the breaker tripped now.
#[derive(Debug, Clone)]
pub struct Recomputed {
    pub before: Option<BankRisk>,
    pub after: BankRisk,
    pub rose: bool,
    pub tripped: bool,
}

fn rank(level: RiskLevel) -> u8 {
    match level {
        RiskLevel::Normal => 0,
        RiskLevel::Warning => 1,
        RiskLevel::Breaker => 2,
    }
}

/// Recomputes a bank's ratio inside the transaction that moved it; trips the breaker when the
/// ratio reaches the breaker line from below it (audited with the figures).
pub async fn recompute(
    tx: &mut Tx,
    ctx: &AuditCtx,
    bank_org_id: i64,
    rules: &PoolRules,
) -> Result<Recomputed> {
    let before = get_in(tx, bank_org_id).await?;
    let (outstanding, nonperforming): (i64, i64) = on_tx!(tx, c => sqlx::query_as(BOOK)
        .bind(Some(bank_org_id))
        .fetch_one(c)
        .await)?;
    let bp = npl_bp(nonperforming, outstanding);
    let level = rules.risk(bp);
    let old = before.as_ref().map_or(RiskLevel::Normal, |b| b.level);
    let tripped = level == RiskLevel::Breaker && old != RiskLevel::Breaker;
    let rose = rank(level) > rank(old);
    let now = clock::now_ms();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO credit_bank_risk (bank_org_id, outstanding_fen, nonperforming_fen, npl_bp, level, breaker_on, tripped_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $6 THEN $7 ELSE NULL END, $7) \
         ON CONFLICT (bank_org_id) DO UPDATE SET outstanding_fen = excluded.outstanding_fen, \
         nonperforming_fen = excluded.nonperforming_fen, npl_bp = excluded.npl_bp, level = excluded.level, \
         breaker_on = credit_bank_risk.breaker_on OR excluded.breaker_on, \
         tripped_at = CASE WHEN excluded.breaker_on THEN excluded.updated_at ELSE credit_bank_risk.tripped_at END, \
         updated_at = excluded.updated_at")
        .bind(bank_org_id)
        .bind(outstanding)
        .bind(nonperforming)
        .bind(bp)
        .bind(level.code())
        .bind(tripped)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, bank_org_id).await?.ok_or(StoreError::NotFound)?;
    if before.as_ref().map(|b| (b.level, b.breaker_on)) != Some((after.level, after.breaker_on)) {
        audit::record(
            tx,
            ctx,
            Change {
                entity: "credit_bank_risk",
                entity_id: bank_org_id,
                org_id: Some(bank_org_id),
                action: if before.is_some() {
                    AuditAction::Update
                } else {
                    AuditAction::Create
                },
                before: before.as_ref(),
                after: Some(&after),
            },
        )
        .await?;
    }
    Ok(Recomputed {
        before,
        after,
        rose,
        tripped,
    })
}

/// The bureau lifts a bank's breaker, saying why (a conflict on `status` when it is not on).
pub async fn lift(db: &Db, ctx: &AuditCtx, bank_org_id: i64, reason: &str) -> Result<BankRisk> {
    let mut tx = db.begin().await?;
    let before = get_in(&mut tx, bank_org_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let now = clock::now_ms();
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE credit_bank_risk SET breaker_on = FALSE, lifted_at = $2, lifted_by = $3, lift_reason = $4, updated_at = $2 \
         WHERE bank_org_id = $1 AND breaker_on")
        .bind(bank_org_id)
        .bind(now)
        .bind(ctx.actor_user_id)
        .bind(reason)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(&mut tx, bank_org_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    audit::record(
        &mut tx,
        ctx,
        Change {
            entity: "credit_bank_risk",
            entity_id: bank_org_id,
            org_id: Some(bank_org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}
