//! Innovation vouchers: issue, the ledger, spending at payment, and reimbursement claims.
//!
//! Spending is two conditional updates in the payment's transaction: the voucher's balance
//! (`… WHERE balance_fen >= amount`) and the holder's use this year (`… WHERE spent + amount <=
//! cap`). Two payments racing for the same money cannot both pass either: the second finds the
//! row changed and gets a conflict. Every change of a balance writes a ledger entry with the
//! balance after it.

use fruition_domain::audit::AuditAction;
use fruition_domain::date::IsoDate;
use fruition_domain::voucher::{self, ClaimStatus, EntryKind, VoucherTerms};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Voucher {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub face_fen: i64,
    pub balance_fen: i64,
    pub valid_from: String,
    pub valid_to: String,
    pub share_pct: i64,
    pub yearly_cap_fen: i64,
    /// Comma-separated resource kind codes.
    pub kinds: String,
    pub active: bool,
    pub year: i64,
    pub issued_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Voucher {
    /// The number printed on the voucher: `CXQ2026-000123`.
    pub fn code(&self) -> String {
        fruition_domain::numbers::Numbered::Voucher.number(self.year, self.id)
    }
}

macro_rules! voucher_select {
    () => {
        "SELECT v.id, v.org_id, o.name AS org_name, v.face_fen, v.balance_fen, v.valid_from, v.valid_to, v.share_pct, \
         v.yearly_cap_fen, v.kinds, v.active, v.year, v.issued_by, v.created_at, v.updated_at \
         FROM vouchers v JOIN organisations o ON o.id = v.org_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Voucher>> {
    let sql = concat!(voucher_select!(), " WHERE v.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Voucher>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Voucher> {
    let sql = concat!(voucher_select!(), " WHERE v.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Voucher>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Vouchers of one enterprise (or all), the newest first.
pub async fn list(db: &Db, org_id: Option<i64>, limit: i64, offset: i64) -> Result<Vec<Voucher>> {
    let sql = concat!(
        voucher_select!(),
        " WHERE ($1 IS NULL OR v.org_id = $1) ORDER BY v.id DESC LIMIT $2 OFFSET $3"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Voucher>(sql)
        .bind(org_id)
        .bind(if limit > 0 { limit } else { 100 })
        .bind(offset.max(0))
        .fetch_all(p)
        .await)?)
}

/// An enterprise's active vouchers with a balance, oldest first, read inside a transaction.
pub async fn spendable_in(tx: &mut Tx, org_id: i64) -> Result<Vec<Voucher>> {
    let sql = concat!(
        voucher_select!(),
        " WHERE v.org_id = $1 AND v.active = TRUE AND v.balance_fen > 0 ORDER BY v.id"
    );
    Ok(on_tx!(tx, c => sqlx::query_as::<_, Voucher>(sql).bind(org_id).fetch_all(c).await)?)
}

/// One change of a voucher's balance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Entry {
    pub id: i64,
    pub voucher_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: EntryKind,
    pub amount_fen: i64,
    pub balance_fen: i64,
    pub bill_id: Option<i64>,
    pub payment_id: Option<i64>,
    pub owner_org_id: Option<i64>,
    pub claim_id: Option<i64>,
    pub year: i64,
    pub created_by: Option<i64>,
    pub created_at: i64,
    /// What the entry's numbers are made of: the voucher's year, the bill's year, when the claim
    /// was made.
    pub voucher_year: i64,
    pub bill_year: Option<i64>,
    pub claim_at: Option<i64>,
}

const ENTRY_COLUMNS: &str = "id, voucher_id, kind, amount_fen, balance_fen, bill_id, payment_id, owner_org_id, claim_id, year, created_by, created_at, \
    (SELECT v.year FROM vouchers v WHERE v.id = voucher_entries.voucher_id) AS voucher_year, \
    (SELECT b.year FROM bills b WHERE b.id = voucher_entries.bill_id) AS bill_year, \
    (SELECT k.created_at FROM voucher_claims k WHERE k.id = voucher_entries.claim_id) AS claim_at";

/// A voucher's ledger, oldest first.
pub async fn entries(db: &Db, voucher_id: i64) -> Result<Vec<Entry>> {
    let sql =
        format!("SELECT {ENTRY_COLUMNS} FROM voucher_entries WHERE voucher_id = $1 ORDER BY id");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Entry>(sqlx::AssertSqlSafe(sql)).bind(voucher_id).fetch_all(p).await)?,
    )
}

/// A claim's spends, oldest first.
pub async fn claim_entries(db: &Db, claim_id: i64) -> Result<Vec<Entry>> {
    let sql =
        format!("SELECT {ENTRY_COLUMNS} FROM voucher_entries WHERE claim_id = $1 ORDER BY id");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Entry>(sqlx::AssertSqlSafe(sql)).bind(claim_id).fetch_all(p).await)?,
    )
}

#[allow(clippy::too_many_arguments)]
async fn add_entry(
    tx: &mut Tx,
    ctx: &AuditCtx,
    voucher_id: i64,
    kind: EntryKind,
    amount_fen: i64,
    balance_fen: i64,
    bill: Option<(i64, i64, i64)>,
    year: i64,
) -> Result<Entry> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO voucher_entries (voucher_id, kind, amount_fen, balance_fen, bill_id, payment_id, owner_org_id, year, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id")
        .bind(voucher_id)
        .bind(kind.code())
        .bind(amount_fen)
        .bind(balance_fen)
        .bind(bill.map(|b| b.0))
        .bind(bill.map(|b| b.1))
        .bind(bill.map(|b| b.2))
        .bind(year)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    let sql = format!("SELECT {ENTRY_COLUMNS} FROM voucher_entries WHERE id = $1");
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, Entry>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_one(c).await)?,
    )
}

/// Issues a voucher with its first ledger entry.
pub async fn issue(
    tx: &mut Tx,
    ctx: &AuditCtx,
    t: &VoucherTerms,
    today: IsoDate,
) -> Result<Voucher> {
    let now = clock::now_ms();
    let year = i64::from(today.year());
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO vouchers (org_id, face_fen, balance_fen, valid_from, valid_to, share_pct, yearly_cap_fen, kinds, year, issued_by, created_at, updated_at) \
         VALUES ($1, $2, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id")
        .bind(t.org_id)
        .bind(t.face_fen)
        .bind(t.valid_from.to_string())
        .bind(t.valid_to.to_string())
        .bind(t.share_pct)
        .bind(t.yearly_cap_fen)
        .bind(voucher::kinds_code(&t.kinds))
        .bind(year)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    add_entry(
        tx,
        ctx,
        id,
        EntryKind::Issue,
        t.face_fen,
        t.face_fen,
        None,
        year,
    )
    .await?;
    let v = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "voucher",
            entity_id: id,
            org_id: Some(t.org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&v),
        },
    )
    .await?;
    Ok(v)
}

const YEAR_SPENT: &str =
    "SELECT COALESCE(MAX(spent_fen), 0) FROM voucher_year_use WHERE org_id = $1 AND year = $2";

/// What an enterprise has paid with vouchers in `year`.
pub async fn year_spent(db: &Db, org_id: i64, year: i64) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        YEAR_SPENT)
        .bind(org_id)
        .bind(year)
        .fetch_one(p)
        .await)?)
}

/// What an enterprise has paid with vouchers in `year`, inside a transaction.
pub async fn year_spent_in(tx: &mut Tx, org_id: i64, year: i64) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
        YEAR_SPENT)
        .bind(org_id)
        .bind(year)
        .fetch_one(c)
        .await)?)
}

/// A spend to write: `amount_fen` of `voucher_id`, for a bill and payment of `owner_org_id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spend {
    pub voucher_id: i64,
    pub amount_fen: i64,
    pub bill_id: i64,
    pub payment_id: i64,
    pub owner_org_id: i64,
    pub year: i64,
}

/// Spends from a voucher. Refused with a conflict on `voucher_amount` when the balance no longer
/// covers it, and on `yearly_cap` when the holder's use this year would pass the voucher's cap.
pub async fn spend(tx: &mut Tx, ctx: &AuditCtx, s: &Spend) -> Result<Entry> {
    let before = get_in(tx, s.voucher_id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE vouchers SET balance_fen = balance_fen - $2, updated_at = $3 WHERE id = $1 AND active AND balance_fen >= $2")
        .bind(s.voucher_id)
        .bind(s.amount_fen)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "voucher_amount".into(),
        });
    }
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO voucher_year_use (org_id, year, spent_fen) VALUES ($1, $2, 0) ON CONFLICT (org_id, year) DO NOTHING")
        .bind(before.org_id)
        .bind(s.year)
        .execute(c)
        .await
        .map(|_| ()))?;
    let within_cap = on_tx!(tx, c => sqlx::query(
        "UPDATE voucher_year_use SET spent_fen = spent_fen + $3 WHERE org_id = $1 AND year = $2 AND spent_fen + $3 <= $4")
        .bind(before.org_id)
        .bind(s.year)
        .bind(s.amount_fen)
        .bind(before.yearly_cap_fen)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if within_cap == 0 {
        return Err(StoreError::Conflict {
            field: "yearly_cap".into(),
        });
    }
    let after = get_in(tx, s.voucher_id).await?;
    let entry = add_entry(
        tx,
        ctx,
        s.voucher_id,
        EntryKind::Spend,
        -s.amount_fen,
        after.balance_fen,
        Some((s.bill_id, s.payment_id, s.owner_org_id)),
        s.year,
    )
    .await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "voucher",
            entity_id: s.voucher_id,
            org_id: Some(before.org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(entry)
}

/// Takes back a voucher's remaining balance (a ledger entry for it); its past spends stand.
pub async fn revoke(tx: &mut Tx, ctx: &AuditCtx, id: i64, today: IsoDate) -> Result<Voucher> {
    let before = get_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE vouchers SET active = FALSE, balance_fen = 0, updated_at = $3 WHERE id = $1 AND active AND balance_fen = $2")
        .bind(id)
        .bind(before.balance_fen)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    add_entry(
        tx,
        ctx,
        id,
        EntryKind::Revoke,
        -before.balance_fen,
        0,
        None,
        i64::from(today.year()),
    )
    .await?;
    let after = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "voucher",
            entity_id: id,
            org_id: Some(before.org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// A reimbursement claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Claim {
    pub id: i64,
    pub owner_org_id: i64,
    pub owner_name: String,
    #[sqlx(try_from = "String")]
    pub status: ClaimStatus,
    pub amount_fen: i64,
    pub entries: i64,
    pub year: i64,
    pub status_reason: Option<String>,
    pub paid_on: Option<String>,
    pub paid_reference: Option<String>,
    pub submitted_by: Option<i64>,
    pub decided_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! claim_select {
    () => {
        "SELECT c.id, c.owner_org_id, o.name AS owner_name, c.status, c.amount_fen, c.entries, c.year, c.status_reason, c.paid_on, \
         c.paid_reference, c.submitted_by, c.decided_by, c.created_at, c.updated_at \
         FROM voucher_claims c JOIN organisations o ON o.id = c.owner_org_id"
    };
}

pub async fn claim(db: &Db, id: i64) -> Result<Option<Claim>> {
    let sql = concat!(claim_select!(), " WHERE c.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Claim>(sql).bind(id).fetch_optional(p).await)?)
}

async fn claim_in(tx: &mut Tx, id: i64) -> Result<Claim> {
    let sql = concat!(claim_select!(), " WHERE c.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Claim>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Claims of one owner (or all), optionally in one status, the newest first.
pub async fn claims(
    db: &Db,
    owner_org_id: Option<i64>,
    status: Option<ClaimStatus>,
    limit: i64,
    offset: i64,
) -> Result<Vec<Claim>> {
    let sql = concat!(
        claim_select!(),
        " WHERE ($1 IS NULL OR c.owner_org_id = $1) AND ($2 IS NULL OR c.status = $2) ORDER BY c.id DESC LIMIT $3 OFFSET $4"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Claim>(sql)
        .bind(owner_org_id)
        .bind(status.map(|s| s.code()))
        .bind(if limit > 0 { limit } else { 100 })
        .bind(offset.max(0))
        .fetch_all(p)
        .await)?)
}

/// What an owner could claim now: (spends, fen).
pub async fn unclaimed(db: &Db, owner_org_id: i64) -> Result<(i64, i64)> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64)>(
        "SELECT COUNT(*), CAST(COALESCE(SUM(-amount_fen), 0) AS BIGINT) FROM voucher_entries WHERE owner_org_id = $1 AND kind = 'spend' AND claim_id IS NULL")
        .bind(owner_org_id)
        .fetch_one(p)
        .await)?)
}

/// Claims every unclaimed spend on the owner's bills; a conflict on `claim` when there is none.
/// Two claims at once cannot take the same spend: the update only takes unclaimed ones.
pub async fn submit_claim(
    tx: &mut Tx,
    ctx: &AuditCtx,
    owner_org_id: i64,
    today: IsoDate,
) -> Result<Claim> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO voucher_claims (owner_org_id, status, amount_fen, entries, year, submitted_by, created_at, updated_at) \
         VALUES ($1, 'submitted', 1, 0, $2, $3, $4, $4) RETURNING id")
        .bind(owner_org_id)
        .bind(i64::from(today.year()))
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE voucher_entries SET claim_id = $2 WHERE owner_org_id = $1 AND kind = 'spend' AND claim_id IS NULL")
        .bind(owner_org_id)
        .bind(id)
        .execute(c)
        .await
        .map(|_| ()))?;
    let (count, sum): (i64, i64) = on_tx!(tx, c => sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(-amount_fen), 0) AS BIGINT) FROM voucher_entries WHERE claim_id = $1")
        .bind(id)
        .fetch_one(c)
        .await)?;
    if count == 0 {
        return Err(StoreError::Conflict {
            field: "claim".into(),
        });
    }
    on_tx!(tx, c => sqlx::query("UPDATE voucher_claims SET amount_fen = $2, entries = $3 WHERE id = $1")
        .bind(id)
        .bind(sum)
        .bind(count)
        .execute(c)
        .await
        .map(|_| ()))?;
    let claim = claim_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "voucher_claim",
            entity_id: id,
            org_id: Some(owner_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&claim),
        },
    )
    .await?;
    Ok(claim)
}

/// The bureau's decision on a claim: from `from` to `to`, with a reason or the payment's date and
/// reference. A rejected claim's spends are free to be claimed again.
pub async fn decide_claim(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: ClaimStatus,
    to: ClaimStatus,
    reason: Option<&str>,
    paid: Option<(IsoDate, &str)>,
) -> Result<Claim> {
    let before = claim_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE voucher_claims SET status = $3, status_reason = COALESCE($4, status_reason), paid_on = COALESCE($5, paid_on), \
         paid_reference = COALESCE($6, paid_reference), decided_by = $7, updated_at = $8 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(reason)
        .bind(paid.map(|(d, _)| d.to_string()))
        .bind(paid.map(|(_, r)| r))
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
    if to == ClaimStatus::Rejected {
        on_tx!(tx, c => sqlx::query("UPDATE voucher_entries SET claim_id = NULL WHERE claim_id = $1")
            .bind(id)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    let after = claim_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "voucher_claim",
            entity_id: id,
            org_id: Some(after.owner_org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Vouchers in a year: issued (number and face value), spent at payment, and paid back to
/// owners by the bureau.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct VoucherYear {
    pub issued: i64,
    pub issued_fen: i64,
    pub enterprises: i64,
    pub spent_fen: i64,
    pub reimbursed_fen: i64,
}

pub async fn year_figures(db: &Db, year: i64) -> Result<VoucherYear> {
    let (issued, issued_fen, enterprises): (i64, i64, i64) = on_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(face_fen), 0) AS BIGINT), COUNT(DISTINCT org_id) FROM vouchers WHERE year = $1")
        .bind(year)
        .fetch_one(p)
        .await)?;
    let spent_fen: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(-amount_fen), 0) AS BIGINT) FROM voucher_entries WHERE kind = 'spend' AND year = $1")
        .bind(year)
        .fetch_one(p)
        .await)?;
    let reimbursed_fen: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM voucher_claims WHERE status = 'paid' AND paid_on >= $1 AND paid_on < $2")
        .bind(format!("{year}-01-01"))
        .bind(format!("{}-01-01", year + 1))
        .fetch_one(p)
        .await)?;
    Ok(VoucherYear {
        issued,
        issued_fen,
        enterprises,
        spent_fen,
        reimbursed_fen,
    })
}
