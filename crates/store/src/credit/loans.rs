//! Knowledge-value loans. Each step is a conditional update on the status it expects (two people
//! acting at once: one wins, the other gets a conflict on `status`); repayments move the principal
//! repaid by a conditional update that never passes what was disbursed; registration for
//! compensation is refused for a bank whose breaker is on, checked in the same statement.

use fruition_domain::audit::AuditAction;
use fruition_domain::credit::LoanKind;
use fruition_domain::loan::{Installment, LoanStatus, RepaymentMethod};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Loan {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub borrower_org_id: i64,
    pub bank_org_id: i64,
    pub bank_name: String,
    pub guarantor_org_id: Option<i64>,
    pub guarantor_name: Option<String>,
    #[sqlx(try_from = "String")]
    pub kind: LoanKind,
    #[sqlx(try_from = "String")]
    pub status: LoanStatus,
    pub requested_fen: i64,
    pub requested_months: i64,
    pub purpose: String,
    pub consent_text: String,
    pub consent_by: Option<i64>,
    pub consent_at: i64,
    pub score_id: Option<i64>,
    pub grade: Option<String>,
    pub line_fen: i64,
    pub amount_fen: Option<i64>,
    pub rate_bp: Option<i64>,
    pub term_months: Option<i64>,
    pub repayment_method: Option<String>,
    pub over_line_reason: Option<String>,
    pub decline_reason: Option<String>,
    pub decided_by: Option<i64>,
    pub decided_at: Option<i64>,
    pub disbursed_on: Option<String>,
    pub disbursed_fen: Option<i64>,
    pub maturity_on: Option<String>,
    pub registered_on: Option<String>,
    pub registered_by: Option<i64>,
    pub principal_repaid_fen: i64,
    pub recovered_fen: i64,
    pub interest_paid_fen: i64,
    pub overdue_since: Option<String>,
    pub defaulted_on: Option<String>,
    pub county_code: String,
    pub industry_division: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Loan {
    /// The number on the loan's papers: `ZSD2025-000123`.
    pub fn code(&self) -> String {
        use fruition_domain::numbers::{Numbered, china_year};
        let year = self
            .disbursed_on
            .as_deref()
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
            // China time, like every date the platform shows.
            .unwrap_or_else(|| china_year(self.created_at));
        Numbered::Loan.number(year, self.id)
    }

    /// Principal still owed (disbursed, less repaid and recovered).
    pub fn outstanding_fen(&self) -> i64 {
        self.disbursed_fen.unwrap_or(0) - self.principal_repaid_fen - self.recovered_fen
    }
}

const LOAN_SELECT: &str = "SELECT l.id, l.enterprise_id, e.name AS enterprise_name, l.borrower_org_id, \
     l.bank_org_id, b.name AS bank_name, l.guarantor_org_id, g.name AS guarantor_name, l.kind, l.status, \
     l.requested_fen, l.requested_months, l.purpose, l.consent_text, l.consent_by, l.consent_at, \
     l.score_id, l.grade, l.line_fen, l.amount_fen, l.rate_bp, l.term_months, l.repayment_method, \
     l.over_line_reason, l.decline_reason, l.decided_by, l.decided_at, l.disbursed_on, l.disbursed_fen, \
     l.maturity_on, l.registered_on, l.registered_by, l.principal_repaid_fen, l.recovered_fen, \
     l.interest_paid_fen, l.overdue_since, l.defaulted_on, l.county_code, l.industry_division, \
     l.created_at, l.updated_at \
     FROM loans l JOIN enterprises e ON e.id = l.enterprise_id \
     JOIN organisations b ON b.id = l.bank_org_id \
     LEFT JOIN organisations g ON g.id = l.guarantor_org_id";

pub async fn get(db: &Db, id: i64) -> Result<Option<Loan>> {
    let sql = format!("{LOAN_SELECT} WHERE l.id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Loan>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?,
    )
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Loan> {
    let sql = format!("{LOAN_SELECT} WHERE l.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Loan>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Which loans to list; every part optional. `party` limits to loans where that organisation is
/// the borrower, the bank or the guarantor.
#[derive(Debug, Clone, Default)]
pub struct LoanFilter {
    pub party: Option<i64>,
    pub bank: Option<i64>,
    pub status: Option<LoanStatus>,
    /// Disbursed in this year.
    pub year: Option<i64>,
    pub enterprise: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Loans, the newest first.
pub async fn list(db: &Db, f: &LoanFilter) -> Result<Vec<Loan>> {
    let sql = format!(
        "{LOAN_SELECT} WHERE ($1 IS NULL OR l.borrower_org_id = $1 OR l.bank_org_id = $1 OR l.guarantor_org_id = $1) \
         AND ($2 IS NULL OR l.bank_org_id = $2) AND ($3 IS NULL OR l.status = $3) \
         AND ($4 IS NULL OR l.disbursed_on LIKE $4) AND ($5 IS NULL OR l.enterprise_id = $5) \
         ORDER BY l.id DESC LIMIT $6 OFFSET $7"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Loan>(sqlx::AssertSqlSafe(sql))
        .bind(f.party)
        .bind(f.bank)
        .bind(f.status.map(|s| s.code()))
        .bind(f.year.map(|y| format!("{y}-%")))
        .bind(f.enterprise)
        .bind(if f.limit > 0 { f.limit.min(10_000) } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?,
    )
}

/// An application as the enterprise makes it.
#[derive(Debug, Clone)]
pub struct NewLoan {
    pub enterprise_id: i64,
    pub borrower_org_id: i64,
    pub bank_org_id: i64,
    pub guarantor_org_id: Option<i64>,
    pub kind: LoanKind,
    pub requested_fen: i64,
    pub requested_months: i64,
    pub purpose: String,
    pub consent_text: String,
    pub score_id: Option<i64>,
    pub grade: Option<String>,
    pub line_fen: i64,
    pub county_code: String,
    pub industry_division: Option<String>,
}

pub async fn apply(db: &Db, ctx: &AuditCtx, n: &NewLoan) -> Result<Loan> {
    let mut tx = db.begin().await?;
    let loan = apply_in(&mut tx, ctx, n).await?;
    tx.commit().await?;
    Ok(loan)
}

pub async fn apply_in(tx: &mut Tx, ctx: &AuditCtx, n: &NewLoan) -> Result<Loan> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO loans (enterprise_id, borrower_org_id, bank_org_id, guarantor_org_id, kind, status, \
         requested_fen, requested_months, purpose, consent_text, consent_by, consent_at, score_id, grade, line_fen, \
         county_code, industry_division, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'applied', $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $11, $11) RETURNING id")
        .bind(n.enterprise_id)
        .bind(n.borrower_org_id)
        .bind(n.bank_org_id)
        .bind(n.guarantor_org_id)
        .bind(n.kind.code())
        .bind(n.requested_fen)
        .bind(n.requested_months)
        .bind(&n.purpose)
        .bind(&n.consent_text)
        .bind(ctx.actor_user_id)
        .bind(now)
        .bind(n.score_id)
        .bind(&n.grade)
        .bind(n.line_fen)
        .bind(&n.county_code)
        .bind(&n.industry_division)
        .fetch_one(c)
        .await)?;
    let loan = get_in(tx, id).await?;
    record(tx, ctx, None, &loan, AuditAction::Create).await?;
    Ok(loan)
}

async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Loan>,
    after: &Loan,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "loan",
            entity_id: after.id,
            org_id: Some(after.borrower_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// What a step writes besides the status.
#[derive(Debug, Clone, Default)]
pub struct StepFields {
    pub amount_fen: Option<i64>,
    pub rate_bp: Option<i64>,
    pub term_months: Option<i64>,
    pub repayment_method: Option<RepaymentMethod>,
    pub over_line_reason: Option<String>,
    pub decline_reason: Option<String>,
    pub disbursed_on: Option<String>,
    pub maturity_on: Option<String>,
    pub registered_on: Option<String>,
    pub overdue_since: Option<String>,
    pub defaulted_on: Option<String>,
    /// Clears `overdue_since` (a cured loan).
    pub clear_overdue: bool,
}

/// Moves a loan from `from` to `to`, writing `f` (a field left `None` keeps its value). Refused
/// with a conflict on `status` when the loan is no longer in `from`; registering is refused with
/// a conflict on `breaker` while the bank's breaker is on.
pub async fn step(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: LoanStatus,
    to: LoanStatus,
    f: &StepFields,
) -> Result<Loan> {
    let before = get_in(tx, id).await?;
    let decider = matches!(to, LoanStatus::Approved | LoanStatus::Declined);
    let registering = to == LoanStatus::Registered && from == LoanStatus::Disbursed;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE loans SET status = $3, \
         amount_fen = COALESCE($4, amount_fen), rate_bp = COALESCE($5, rate_bp), \
         term_months = COALESCE($6, term_months), repayment_method = COALESCE($7, repayment_method), \
         over_line_reason = COALESCE($8, over_line_reason), decline_reason = COALESCE($9, decline_reason), \
         decided_by = CASE WHEN $10 THEN $11 ELSE decided_by END, \
         decided_at = CASE WHEN $10 THEN $12 ELSE decided_at END, \
         disbursed_on = COALESCE($13, disbursed_on), \
         disbursed_fen = CASE WHEN $13 IS NULL THEN disbursed_fen ELSE amount_fen END, \
         maturity_on = COALESCE($14, maturity_on), \
         registered_on = COALESCE($15, registered_on), \
         registered_by = CASE WHEN $15 IS NULL THEN registered_by ELSE $11 END, \
         overdue_since = CASE WHEN $18 THEN NULL ELSE COALESCE($16, overdue_since) END, \
         defaulted_on = COALESCE($17, defaulted_on), updated_at = $12 \
         WHERE id = $1 AND status = $2 \
         AND (NOT $19 OR NOT EXISTS (SELECT 1 FROM credit_bank_risk r WHERE r.bank_org_id = loans.bank_org_id AND r.breaker_on))")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(f.amount_fen)
        .bind(f.rate_bp)
        .bind(f.term_months)
        .bind(f.repayment_method.map(|m| m.code()))
        .bind(&f.over_line_reason)
        .bind(&f.decline_reason)
        .bind(decider)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .bind(&f.disbursed_on)
        .bind(&f.maturity_on)
        .bind(&f.registered_on)
        .bind(&f.overdue_since)
        .bind(&f.defaulted_on)
        .bind(f.clear_overdue)
        .bind(registering)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        let still = get_in(tx, id).await?;
        let field = if registering && still.status == from {
            "breaker"
        } else {
            "status"
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let after = get_in(tx, id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// Writes a disbursed loan's schedule.
pub async fn write_schedule(tx: &mut Tx, loan_id: i64, lines: &[Installment]) -> Result<()> {
    for chunk in lines.chunks(200) {
        on_tx!(tx, c => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO loan_schedule (loan_id, seq, due_on, principal_fen, interest_fen) ");
            qb.push_values(chunk, |mut b, i| {
                b.push_bind(loan_id).push_bind(i.seq).push_bind(i.due_on.to_string())
                    .push_bind(i.principal_fen).push_bind(i.interest_fen);
            });
            qb.build().execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ScheduleLine {
    pub seq: i64,
    pub due_on: String,
    pub principal_fen: i64,
    pub interest_fen: i64,
}

pub async fn schedule(db: &Db, loan_id: i64) -> Result<Vec<ScheduleLine>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, ScheduleLine>(
        "SELECT seq, due_on, principal_fen, interest_fen FROM loan_schedule WHERE loan_id = $1 ORDER BY seq")
        .bind(loan_id)
        .fetch_all(p)
        .await)?)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Repayment {
    pub id: i64,
    pub loan_id: i64,
    pub paid_on: String,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub batch_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
}

pub async fn repayments(db: &Db, loan_id: i64) -> Result<Vec<Repayment>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Repayment>(
        "SELECT id, loan_id, paid_on, principal_fen, interest_fen, batch_id, created_by, created_at \
         FROM loan_repayments WHERE loan_id = $1 ORDER BY paid_on, id")
        .bind(loan_id)
        .fetch_all(p)
        .await)?)
}

/// A repayment to record.
#[derive(Debug, Clone)]
pub struct NewRepayment {
    pub loan_id: i64,
    pub paid_on: String,
    pub principal_fen: i64,
    pub interest_fen: i64,
    pub batch_id: Option<i64>,
}

/// Records a repayment on a loan that is being repaid (disbursed, registered or overdue) of the
/// bank `bank_org_id`. The principal repaid never passes what was disbursed (a conflict on
/// `principal` otherwise); a loan whose principal is all repaid becomes repaid.
pub async fn repay(
    tx: &mut Tx,
    ctx: &AuditCtx,
    bank_org_id: i64,
    r: &NewRepayment,
) -> Result<(Repayment, Loan)> {
    let before = get_in(tx, r.loan_id).await?;
    if before.bank_org_id != bank_org_id {
        return Err(StoreError::NotFound);
    }
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE loans SET principal_repaid_fen = principal_repaid_fen + $2, \
         interest_paid_fen = interest_paid_fen + $3, updated_at = $4, \
         status = CASE WHEN principal_repaid_fen + recovered_fen + $2 = disbursed_fen THEN 'repaid' ELSE status END, \
         overdue_since = CASE WHEN principal_repaid_fen + recovered_fen + $2 = disbursed_fen THEN NULL ELSE overdue_since END \
         WHERE id = $1 AND status IN ('disbursed', 'registered', 'overdue') \
         AND principal_repaid_fen + recovered_fen + $2 <= disbursed_fen")
        .bind(r.loan_id)
        .bind(r.principal_fen)
        .bind(r.interest_fen)
        .bind(now)
        .execute(c)
        .await
        .map(|x| x.rows_affected()))?;
    if changed == 0 {
        let field = if before.status.outstanding() {
            "principal"
        } else {
            "status"
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO loan_repayments (loan_id, paid_on, principal_fen, interest_fen, batch_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(r.loan_id)
        .bind(&r.paid_on)
        .bind(r.principal_fen)
        .bind(r.interest_fen)
        .bind(r.batch_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let after = get_in(tx, r.loan_id).await?;
    record(tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    let repayment = Repayment {
        id,
        loan_id: r.loan_id,
        paid_on: r.paid_on.clone(),
        principal_fen: r.principal_fen,
        interest_fen: r.interest_fen,
        batch_id: r.batch_id,
        created_by: ctx.actor_user_id,
        created_at: now,
    };
    Ok((repayment, after))
}

/// Opens a batch for a bank's repayment workbook (inside the transaction that writes its rows).
pub async fn open_batch(
    tx: &mut Tx,
    ctx: &AuditCtx,
    bank_org_id: i64,
    file_name: &str,
    rows: i64,
    principal_fen: i64,
    interest_fen: i64,
) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO repayment_batches (bank_org_id, file_name, row_count, principal_fen, interest_fen, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(bank_org_id)
        .bind(file_name)
        .bind(rows)
        .bind(principal_fen)
        .bind(interest_fen)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?)
}

/// Adds a recovery on a defaulted loan (never past what is owed; a conflict on `recovered`).
pub async fn add_recovery(tx: &mut Tx, loan_id: i64, amount_fen: i64) -> Result<()> {
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE loans SET recovered_fen = recovered_fen + $2, updated_at = $3 \
         WHERE id = $1 AND status = 'defaulted' AND principal_repaid_fen + recovered_fen + $2 <= disbursed_fen")
        .bind(loan_id)
        .bind(amount_fen)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "recovered".into(),
        });
    }
    Ok(())
}

/// How the target's figures are broken down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TallyBy {
    Year,
    Bank,
    County,
    Sector,
    Grade,
}

/// Loans disbursed, the enterprises they went to and the amount, by one key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Tally {
    pub key: String,
    pub loans: i64,
    pub enterprises: i64,
    pub amount_fen: i64,
}

/// Disbursed loans (every year, or those disbursed in `year`) by `by`, the largest amount first;
/// `None` for the whole: one line, of zeros when nothing was disbursed (no `GROUP BY`, which
/// PostgreSQL refuses on a constant).
pub async fn tally(db: &Db, by: Option<TallyBy>, year: Option<i64>) -> Result<Vec<Tally>> {
    let key = match by {
        None => "''",
        Some(TallyBy::Year) => "SUBSTR(l.disbursed_on, 1, 4)",
        Some(TallyBy::Bank) => "b.name",
        Some(TallyBy::County) => "l.county_code",
        Some(TallyBy::Sector) => "COALESCE(l.industry_division, '')",
        Some(TallyBy::Grade) => "COALESCE(l.grade, '')",
    };
    // The whole is one row without GROUP BY: PostgreSQL refuses to group by a constant.
    let group = if by.is_some() {
        format!("GROUP BY {key} ORDER BY amount_fen DESC, key")
    } else {
        String::new()
    };
    let sql = format!(
        "SELECT {key} AS key, COUNT(*) AS loans, COUNT(DISTINCT l.enterprise_id) AS enterprises, \
         CAST(COALESCE(SUM(l.disbursed_fen), 0) AS BIGINT) AS amount_fen \
         FROM loans l JOIN organisations b ON b.id = l.bank_org_id \
         WHERE l.disbursed_on IS NOT NULL AND ($1 IS NULL OR SUBSTR(l.disbursed_on, 1, 4) = $1) \
         {group}"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Tally>(sqlx::AssertSqlSafe(sql))
        .bind(year.map(|y| y.to_string()))
        .fetch_all(p)
        .await)?,
    )
}
