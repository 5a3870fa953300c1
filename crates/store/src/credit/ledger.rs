//! The pool's double-entry ledger. A transfer is balanced legs (`fruition_domain::ledger`); each
//! leg moves its account's balance by a conditional update (a pool account never goes below zero:
//! the update finds no row and the whole transaction fails) and writes an entry with the balance
//! after it. Entries and transfers are never changed or deleted (triggers refuse it), and are
//! posted in date order, so an account's balance on any day is the balance after its last entry
//! up to that day: one index probe, whatever the ledger's size.

use fruition_domain::date::IsoDate;
use fruition_domain::ledger::Transfer;
use fruition_domain::pool::{AccountKind, TransferKind};
use serde::Serialize;

use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Account {
    pub id: i64,
    pub code: String,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub kind: AccountKind,
    pub funder_id: Option<i64>,
    pub org_id: Option<i64>,
    pub balance_fen: i64,
}

const ACCOUNT_COLUMNS: &str = "id, code, name, kind, funder_id, org_id, balance_fen";

pub async fn accounts(db: &Db) -> Result<Vec<Account>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts ORDER BY id");
    Ok(on_db!(db, p => sqlx::query_as::<_, Account>(sqlx::AssertSqlSafe(sql)).fetch_all(p).await)?)
}

pub async fn account(db: &Db, id: i64) -> Result<Option<Account>> {
    let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM ledger_accounts WHERE id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Account>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(p).await)?,
    )
}

/// Creates an account in the transaction that needs it; returns its id.
pub(crate) async fn open(
    tx: &mut Tx,
    code: &str,
    name: &str,
    kind: AccountKind,
    funder_id: Option<i64>,
    org_id: Option<i64>,
) -> Result<i64> {
    Ok(on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
        "INSERT INTO ledger_accounts (code, name, kind, funder_id, org_id, balance_fen, created_at) \
         VALUES ($1, $2, $3, $4, $5, 0, $6) RETURNING id")
        .bind(code)
        .bind(name)
        .bind(kind.code())
        .bind(funder_id)
        .bind(org_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?)
}

/// A bank's compensation account, opened the first time the bank is paid.
pub async fn bank_account(tx: &mut Tx, org_id: i64) -> Result<i64> {
    let code = format!("bank:{org_id}");
    let found: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT id FROM ledger_accounts WHERE code = $1")
        .bind(&code)
        .fetch_optional(c)
        .await)?;
    if let Some(id) = found {
        return Ok(id);
    }
    let name: String = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT name FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(c)
        .await)?;
    open(tx, &code, &name, AccountKind::Bank, None, Some(org_id)).await
}

/// What a transfer is, besides its legs.
pub struct Posting<'a> {
    pub kind: TransferKind,
    pub value_date: IsoDate,
    pub memo: &'a str,
    pub claim_id: Option<i64>,
    pub created_by: Option<i64>,
}

/// Posts a balanced transfer (legs on account ids). Refused with a conflict on `value_date` when
/// the ledger already holds a later day (entries are posted in date order), and on
/// `pool_balance` when a pool account would go below zero.
pub async fn post(tx: &mut Tx, posting: &Posting<'_>, transfer: Transfer<i64>) -> Result<i64> {
    let day = posting.value_date.to_string();
    let last: Option<String> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT MAX(value_date) FROM ledger_transfers")
        .fetch_one(c)
        .await)?;
    if last.as_deref().is_some_and(|l| l > day.as_str()) {
        return Err(StoreError::Conflict {
            field: "value_date".into(),
        });
    }
    let transfer_id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO ledger_transfers (kind, value_date, memo, claim_id, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(posting.kind.code())
        .bind(&day)
        .bind(posting.memo)
        .bind(posting.claim_id)
        .bind(posting.created_by)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    // Accounts in id order, so concurrent transfers lock rows in the same order.
    let mut legs = transfer.into_legs();
    legs.sort_by_key(|l| l.account);
    for leg in legs {
        let after: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
            "UPDATE ledger_accounts SET balance_fen = balance_fen + $2 \
             WHERE id = $1 AND (kind <> 'pool' OR balance_fen + $2 >= 0) RETURNING balance_fen")
            .bind(leg.account)
            .bind(leg.amount_fen)
            .fetch_optional(c)
            .await)?;
        let Some(after) = after else {
            return Err(StoreError::Conflict {
                field: "pool_balance".into(),
            });
        };
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO ledger_entries (transfer_id, account_id, amount_fen, balance_after_fen, value_date) \
             VALUES ($1, $2, $3, $4, $5)")
            .bind(transfer_id)
            .bind(leg.account)
            .bind(leg.amount_fen)
            .bind(after)
            .bind(&day)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(transfer_id)
}

/// An account's balance at the end of `day` (0 before its first entry).
pub async fn balance_as_of(db: &Db, account_id: i64, day: IsoDate) -> Result<i64> {
    let found: Option<i64> = on_db!(db, p => sqlx::query_scalar(
        "SELECT balance_after_fen FROM ledger_entries WHERE account_id = $1 AND value_date <= $2 \
         ORDER BY value_date DESC, id DESC LIMIT 1")
        .bind(account_id)
        .bind(day.to_string())
        .fetch_optional(p)
        .await)?;
    Ok(found.unwrap_or(0))
}

/// Balances of every account of `kind` at the end of `day`, by account id.
pub async fn balances_as_of(db: &Db, kind: AccountKind, day: IsoDate) -> Result<Vec<(i64, i64)>> {
    let ids: Vec<i64> = on_db!(db, p => sqlx::query_scalar(
        "SELECT id FROM ledger_accounts WHERE kind = $1 ORDER BY id")
        .bind(kind.code())
        .fetch_all(p)
        .await)?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        out.push((id, balance_as_of(db, id, day).await?));
    }
    Ok(out)
}

/// The proof that the books balance: every entry summed (zero), transfers whose legs do not sum
/// to zero (none), and accounts whose balance is not the sum of their entries (none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proof {
    pub entries: i64,
    pub transfers: i64,
    pub sum_fen: i64,
    pub unbalanced_transfers: i64,
    pub mismatched_accounts: Vec<i64>,
}

impl Proof {
    pub fn holds(&self) -> bool {
        self.sum_fen == 0 && self.unbalanced_transfers == 0 && self.mismatched_accounts.is_empty()
    }
}

pub async fn proof(db: &Db) -> Result<Proof> {
    let (entries, sum_fen): (i64, i64) = on_db!(db, p => sqlx::query_as(
        "SELECT COUNT(*), CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM ledger_entries")
        .fetch_one(p)
        .await)?;
    let transfers: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM ledger_transfers")
        .fetch_one(p)
        .await)?;
    let unbalanced_transfers: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM (SELECT transfer_id FROM ledger_entries GROUP BY transfer_id \
         HAVING SUM(amount_fen) <> 0) u")
        .fetch_one(p)
        .await)?;
    let mismatched_accounts: Vec<i64> = on_db!(db, p => sqlx::query_scalar(
        "SELECT a.id FROM ledger_accounts a LEFT JOIN \
         (SELECT account_id, SUM(amount_fen) AS s FROM ledger_entries GROUP BY account_id) e \
         ON e.account_id = a.id WHERE a.balance_fen <> COALESCE(e.s, 0) ORDER BY a.id")
        .fetch_all(p)
        .await)?;
    Ok(Proof {
        entries,
        transfers,
        sum_fen,
        unbalanced_transfers,
        mismatched_accounts,
    })
}

/// One entry with its transfer and account, for the ledger's page and export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct EntryLine {
    pub id: i64,
    pub transfer_id: i64,
    #[sqlx(try_from = "String")]
    pub transfer_kind: TransferKind,
    pub memo: String,
    pub claim_id: Option<i64>,
    pub account_id: i64,
    pub account_name: String,
    #[sqlx(try_from = "String")]
    pub account_kind: AccountKind,
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub value_date: String,
    /// When the transfer's claim was made (its number is BC + that year + id).
    pub claim_at: Option<i64>,
}

/// Entries, newest first, optionally of one account and within days (inclusive).
pub async fn entries(
    db: &Db,
    account_id: Option<i64>,
    from: Option<IsoDate>,
    to: Option<IsoDate>,
    limit: i64,
    offset: i64,
) -> Result<Vec<EntryLine>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, EntryLine>(
        "SELECT e.id, e.transfer_id, t.kind AS transfer_kind, t.memo, t.claim_id, e.account_id, \
         a.name AS account_name, a.kind AS account_kind, e.amount_fen, e.balance_after_fen, e.value_date, \
         cc.created_at AS claim_at \
         FROM ledger_entries e JOIN ledger_transfers t ON t.id = e.transfer_id \
         JOIN ledger_accounts a ON a.id = e.account_id LEFT JOIN credit_claims cc ON cc.id = t.claim_id \
         WHERE ($1 IS NULL OR e.account_id = $1) AND ($2 IS NULL OR e.value_date >= $2) \
         AND ($3 IS NULL OR e.value_date <= $3) \
         ORDER BY e.value_date DESC, e.id DESC LIMIT $4 OFFSET $5")
        .bind(account_id)
        .bind(from.map(|d| d.to_string()))
        .bind(to.map(|d| d.to_string()))
        .bind(limit.clamp(1, 100_000))
        .bind(offset.max(0))
        .fetch_all(p)
        .await)?)
}
