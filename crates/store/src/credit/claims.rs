//! Banks' compensation claims on defaulted loans, their payment from the pool and recoveries.
//!
//! A loan has at most one live claim (a unique index over claims not rejected: two banks' clerks
//! submitting at once get one claim and a conflict). Paying is one transaction: the claim's status
//! moves from approved to paid by a conditional update (paid once, whatever the concurrency), the
//! bank's compensation this year moves by a conditional update that never passes the yearly cap,
//! and the ledger transfer takes each funder's share from its pool account, which never goes
//! below zero. Any refusal rolls the whole payment back.

use fruition_domain::audit::AuditAction;
use fruition_domain::date::IsoDate;
use fruition_domain::ledger::{Leg, Transfer, split};
use fruition_domain::pool::{CompensationStatus, TransferKind, recovery_share};
use serde::Serialize;

use super::ledger::{self, Posting};
use super::{loans, policy};
use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub loan_id: i64,
    pub enterprise_name: String,
    pub borrower_org_id: i64,
    pub bank_org_id: i64,
    pub bank_name: String,
    #[sqlx(try_from = "String")]
    pub status: CompensationStatus,
    pub loss_fen: i64,
    pub amount_fen: i64,
    pub note: String,
    pub status_reason: Option<String>,
    pub year: i64,
    pub transfer_id: Option<i64>,
    pub paid_on: Option<String>,
    pub recovered_fen: i64,
    pub returned_fen: i64,
    pub submitted_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const CLAIM_SELECT: &str = "SELECT c.id, c.loan_id, e.name AS enterprise_name, l.borrower_org_id, \
     c.bank_org_id, b.name AS bank_name, c.status, c.loss_fen, c.amount_fen, c.note, c.status_reason, \
     c.year, c.transfer_id, c.paid_on, c.recovered_fen, c.returned_fen, c.submitted_by, c.decided_by, \
     c.created_at, c.updated_at \
     FROM credit_claims c JOIN loans l ON l.id = c.loan_id \
     JOIN enterprises e ON e.id = l.enterprise_id JOIN organisations b ON b.id = c.bank_org_id";

pub async fn get(db: &Db, id: i64) -> Result<Option<Claim>> {
    let sql = format!("{CLAIM_SELECT} WHERE c.id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Claim>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Claim> {
    let sql = format!("{CLAIM_SELECT} WHERE c.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Claim>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Claims, the newest first, of one bank or all, optionally in one status or on one loan.
pub async fn list(
    db: &Db,
    bank: Option<i64>,
    status: Option<CompensationStatus>,
    loan: Option<i64>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Claim>> {
    let sql = format!(
        "{CLAIM_SELECT} WHERE ($1 IS NULL OR c.bank_org_id = $1) AND ($2 IS NULL OR c.status = $2) \
         AND ($3 IS NULL OR c.loan_id = $3) ORDER BY c.id DESC LIMIT $4 OFFSET $5"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Claim>(sqlx::AssertSqlSafe(sql))
        .bind(bank)
        .bind(status.map(|s| s.code()))
        .bind(loan)
        .bind(if limit > 0 { limit.min(10_000) } else { 100 })
        .bind(offset.max(0))
        .fetch_all(p)
        .await)?,
    )
}

async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Claim>,
    after: &Claim,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "credit_claim",
            entity_id: after.id,
            org_id: Some(after.bank_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A bank's claim on a defaulted loan: the principal lost and what the pool owes on it. A loan
/// with a live claim already is a conflict on `claim`.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    tx: &mut Tx,
    ctx: &AuditCtx,
    loan_id: i64,
    bank_org_id: i64,
    loss_fen: i64,
    amount_fen: i64,
    note: &str,
    year: i64,
) -> Result<Claim> {
    let now = clock::now_ms();
    let inserted = on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
        "INSERT INTO credit_claims (loan_id, bank_org_id, status, loss_fen, amount_fen, note, year, submitted_by, created_at, updated_at) \
         VALUES ($1, $2, 'submitted', $3, $4, $5, $6, $7, $8, $8) RETURNING id")
        .bind(loan_id)
        .bind(bank_org_id)
        .bind(loss_fen)
        .bind(amount_fen)
        .bind(note)
        .bind(year)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await);
    let id = match inserted.map_err(StoreError::from) {
        Ok(id) => id,
        Err(StoreError::Conflict { .. }) => {
            return Err(StoreError::Conflict {
                field: "claim".into(),
            });
        }
        Err(e) => return Err(e),
    };
    let claim = get_in(tx, id).await?;
    record(tx, ctx, None, &claim, AuditAction::Create).await?;
    Ok(claim)
}

/// The bureau approves (`to` approved) or rejects (`to` rejected, with a reason) a claim that is
/// still in `from`.
pub async fn decide(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: CompensationStatus,
    to: CompensationStatus,
    reason: Option<&str>,
) -> Result<Claim> {
    let before = get_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE credit_claims SET status = $3, status_reason = COALESCE($4, status_reason), decided_by = $5, updated_at = $6 \
         WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(reason)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// Pays an approved claim on `day` from the pool, split across the active funders by their
/// ratios. Conflicts: `status` (not approved any more: paid already, or rejected), `bank_year_cap`
/// (the bank's compensation this year would pass `bank_year_cap_fen`), `pool_balance` (a funder's
/// money in the pool does not cover its share), `funders` (no active funder), `value_date`.
pub async fn pay(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    day: IsoDate,
    bank_year_cap_fen: i64,
) -> Result<Claim> {
    let before = get_in(tx, id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE credit_claims SET status = 'paid', paid_on = $2, decided_by = $3, updated_at = $4 \
         WHERE id = $1 AND status = 'approved'")
        .bind(id)
        .bind(day.to_string())
        .bind(ctx.actor_user_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let year = i64::from(day.year());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO credit_bank_years (bank_org_id, year, compensated_fen) VALUES ($1, $2, 0) \
         ON CONFLICT (bank_org_id, year) DO NOTHING")
        .bind(before.bank_org_id)
        .bind(year)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let within = on_tx!(tx, c => sqlx::query(
        "UPDATE credit_bank_years SET compensated_fen = compensated_fen + $3 \
         WHERE bank_org_id = $1 AND year = $2 AND compensated_fen + $3 <= $4")
        .bind(before.bank_org_id)
        .bind(year)
        .bind(before.amount_fen)
        .bind(bank_year_cap_fen)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if within == 0 {
        return Err(StoreError::Conflict {
            field: "bank_year_cap".into(),
        });
    }
    let funders = policy::funders_in(tx).await?;
    let ratios: Vec<u32> = funders
        .iter()
        .map(|f| u32::try_from(f.ratio).unwrap_or(0))
        .collect();
    let shares = split(before.amount_fen, &ratios).ok_or(StoreError::Conflict {
        field: "funders".into(),
    })?;
    let bank = ledger::bank_account(tx, before.bank_org_id).await?;
    let mut legs: Vec<Leg<i64>> = funders
        .iter()
        .zip(&shares)
        .filter(|(_, s)| **s > 0)
        .map(|(f, s)| Leg {
            account: f.pool_account_id,
            amount_fen: -s,
        })
        .collect();
    legs.push(Leg {
        account: bank,
        amount_fen: before.amount_fen,
    });
    let transfer = Transfer::new(legs).map_err(|_| StoreError::Conflict {
        field: "amount".into(),
    })?;
    let memo = format!("贷款 {} 风险补偿（补偿申请 {}）", before.loan_id, id);
    let transfer_id = ledger::post(
        tx,
        &Posting {
            kind: TransferKind::Compensation,
            value_date: day,
            memo: &memo,
            claim_id: Some(id),
            created_by: ctx.actor_user_id,
        },
        transfer,
    )
    .await?;
    on_tx!(tx, c => sqlx::query("UPDATE credit_claims SET transfer_id = $2 WHERE id = $1")
        .bind(id)
        .bind(transfer_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// Records `recovered_fen` the bank recovered on a compensated loan on `day`; the pool's part
/// (in the share it bore of the loss) goes back to the funders in the shares they paid. Returns
/// the claim after and the part returned. Conflicts: `status` (the claim is not paid),
/// `recovered` (more than is owed on the loan).
pub async fn recover(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    recovered_fen: i64,
    day: IsoDate,
) -> Result<(Claim, i64)> {
    let before = get_in(tx, id).await?;
    if before.status != CompensationStatus::Paid {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    loans::add_recovery(tx, before.loan_id, recovered_fen).await?;
    let share = recovery_share(
        recovered_fen,
        before.loss_fen,
        before.amount_fen,
        before.returned_fen,
    );
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE credit_claims SET recovered_fen = recovered_fen + $2, returned_fen = returned_fen + $3, updated_at = $4 \
         WHERE id = $1 AND status = 'paid' AND returned_fen + $3 <= amount_fen")
        .bind(id)
        .bind(recovered_fen)
        .bind(share)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "recovered".into(),
        });
    }
    if share > 0 {
        // Back in the shares the funders paid this claim.
        let paid: Vec<(i64, i64)> = on_tx!(tx, c => sqlx::query_as(
            "SELECT e.account_id, -e.amount_fen FROM ledger_entries e JOIN ledger_accounts a ON a.id = e.account_id \
             WHERE e.transfer_id = $1 AND a.kind = 'pool' ORDER BY e.account_id")
            .bind(before.transfer_id)
            .fetch_all(c)
            .await)?;
        let ratios: Vec<u32> = paid
            .iter()
            .map(|(_, a)| u32::try_from(*a / 100).unwrap_or(u32::MAX).max(1))
            .collect();
        let shares = split(share, &ratios).ok_or(StoreError::Conflict {
            field: "funders".into(),
        })?;
        let bank = ledger::bank_account(tx, before.bank_org_id).await?;
        let mut legs: Vec<Leg<i64>> = paid
            .iter()
            .zip(&shares)
            .filter(|(_, s)| **s > 0)
            .map(|((account, _), s)| Leg {
                account: *account,
                amount_fen: *s,
            })
            .collect();
        legs.push(Leg {
            account: bank,
            amount_fen: -share,
        });
        let transfer = Transfer::new(legs).map_err(|_| StoreError::Conflict {
            field: "amount".into(),
        })?;
        let memo = format!("贷款 {} 追偿返还（补偿申请 {}）", before.loan_id, id);
        ledger::post(
            tx,
            &Posting {
                kind: TransferKind::Recovery,
                value_date: day,
                memo: &memo,
                claim_id: Some(id),
                created_by: ctx.actor_user_id,
            },
            transfer,
        )
        .await?;
    }
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok((after, share))
}
