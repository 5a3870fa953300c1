//! Technology contracts concluded anywhere, submitted for registration: the submissions, their
//! signed files, and the office's decisions. A recognised submission enters the same register
//! as market deals (`deals::enter`) in the transaction that recognises it.
//!
//! Every decision is a conditional update (`… WHERE status = $from`), so two officers deciding
//! at once, or a resubmission racing a decision, end in one success and a conflict.

use fruition_domain::audit::AuditAction;
use fruition_domain::contract::SubmissionStatus;
use fruition_domain::deal::ContractType;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A submission as the office and the parties see it (its file is read apart).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Submission {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub status: SubmissionStatus,
    #[sqlx(try_from = "String")]
    pub contract_type: ContractType,
    pub title: String,
    pub seller_name: String,
    pub seller_uscc: String,
    pub seller_org_id: Option<i64>,
    pub buyer_name: String,
    pub buyer_uscc: String,
    pub buyer_org_id: Option<i64>,
    pub contract_amount_fen: i64,
    pub tech_amount_fen: i64,
    /// The technical field's code (`fruition_domain::tech_field::TechField`); every submission
    /// has one (the migration gave older ones their chain's).
    pub tech_field: Option<String>,
    /// One of the city's industrial chains, when given.
    pub chain_code: Option<String>,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
    pub file_name: String,
    pub file_type: String,
    pub file_size: i64,
    pub submitter_org_id: i64,
    pub submitter_name: String,
    pub submitted_by: Option<i64>,
    pub submitted_at: i64,
    pub reason: Option<String>,
    pub reviewed_by: Option<i64>,
    pub reviewed_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Submission {
    /// The organisations that may see it: the submitter and the parties known on the platform.
    pub fn related_orgs(&self) -> Vec<i64> {
        let mut v = vec![self.submitter_org_id];
        v.extend(self.seller_org_id);
        v.extend(self.buyer_org_id);
        v
    }
}

macro_rules! submission_select {
    () => {
        "SELECT s.id, s.status, s.contract_type, s.title, s.seller_name, s.seller_uscc, s.seller_org_id, s.buyer_name, s.buyer_uscc, \
         s.buyer_org_id, s.contract_amount_fen, s.tech_amount_fen, s.tech_field, s.chain_code, s.signed_on, s.starts_on, s.ends_on, s.file_name, \
         s.file_type, s.file_size, s.submitter_org_id, o.name AS submitter_name, s.submitted_by, s.submitted_at, s.reason, \
         s.reviewed_by, s.reviewed_at, s.created_at, s.updated_at \
         FROM contract_submissions s JOIN organisations o ON o.id = s.submitter_org_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Submission>> {
    let sql = concat!(submission_select!(), " WHERE s.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Submission>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Submission> {
    let sql = concat!(submission_select!(), " WHERE s.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Submission>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Which submissions to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct SubmissionFilter {
    /// Submissions this organisation submitted or is a party to.
    pub org_id: Option<i64>,
    pub status: Option<SubmissionStatus>,
    pub limit: i64,
}

/// Submissions, the oldest waiting first when listing those awaiting the office, else the
/// most recently changed first.
pub async fn list(db: &Db, f: &SubmissionFilter) -> Result<Vec<Submission>> {
    let sql = concat!(
        submission_select!(),
        " WHERE ($1 IS NULL OR s.submitter_org_id = $1 OR s.seller_org_id = $1 OR s.buyer_org_id = $1) \
         AND ($2 IS NULL OR s.status = $2) \
         ORDER BY CASE WHEN s.status = 'submitted' THEN s.submitted_at ELSE -s.updated_at END, s.id LIMIT $3"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Submission>(sql)
        .bind(f.org_id)
        .bind(f.status.map(|s| s.code()))
        .bind(if f.limit > 0 { f.limit } else { 500 })
        .fetch_all(p)
        .await)?)
}

/// The signed file: (name, media kind code, bytes).
pub async fn file(db: &Db, id: i64) -> Result<Option<(String, String, Vec<u8>)>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, (String, String, Vec<u8>)>(
        "SELECT file_name, file_type, file_bytes FROM contract_submissions WHERE id = $1")
        .bind(id)
        .fetch_optional(p)
        .await)?,
    )
}

/// The organisation on the platform with a USCC, if any.
pub async fn org_by_uscc(db: &Db, uscc: &str) -> Result<Option<i64>> {
    Ok(
        on_db!(db, p => sqlx::query_scalar::<_, i64>("SELECT id FROM organisations WHERE uscc = $1")
        .bind(uscc)
        .fetch_optional(p)
        .await)?,
    )
}

/// A submission's content as checked by the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub contract_type: ContractType,
    pub title: String,
    pub seller_name: String,
    pub seller_uscc: String,
    pub seller_org_id: Option<i64>,
    pub buyer_name: String,
    pub buyer_uscc: String,
    pub buyer_org_id: Option<i64>,
    pub contract_amount_fen: i64,
    pub tech_amount_fen: i64,
    /// The technical field's code.
    pub tech_field: String,
    pub chain_code: Option<String>,
    pub signed_on: String,
    pub starts_on: String,
    pub ends_on: String,
}

/// A signed file, already checked (kind, size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    pub name: String,
    pub kind: String,
    pub bytes: Vec<u8>,
}

async fn audit_submission(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Submission>,
    after: &Submission,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "contract_submission",
            entity_id: after.id,
            org_id: Some(after.submitter_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// Writes a new submission from `submitter_org_id`, awaiting the office.
pub async fn create(
    tx: &mut Tx,
    ctx: &AuditCtx,
    submitter_org_id: i64,
    c: &Content,
    f: &File,
    submitted_at: i64,
) -> Result<Submission> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO contract_submissions (status, contract_type, title, seller_name, seller_uscc, seller_org_id, buyer_name, buyer_uscc, \
         buyer_org_id, contract_amount_fen, tech_amount_fen, chain_code, signed_on, starts_on, ends_on, file_name, file_type, file_size, \
         file_bytes, submitter_org_id, submitted_by, submitted_at, created_at, updated_at, tech_field) \
         VALUES ('submitted', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $22, $23) RETURNING id")
        .bind(c.contract_type.code())
        .bind(&c.title)
        .bind(&c.seller_name)
        .bind(&c.seller_uscc)
        .bind(c.seller_org_id)
        .bind(&c.buyer_name)
        .bind(&c.buyer_uscc)
        .bind(c.buyer_org_id)
        .bind(c.contract_amount_fen)
        .bind(c.tech_amount_fen)
        .bind(&c.chain_code)
        .bind(&c.signed_on)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(&f.name)
        .bind(&f.kind)
        .bind(f.bytes.len() as i64)
        .bind(&f.bytes)
        .bind(submitter_org_id)
        .bind(ctx.actor_user_id)
        .bind(submitted_at)
        .bind(now)
        .bind(&c.tech_field)
        .fetch_one(x)
        .await)?;
    let s = get_in(tx, id).await?;
    audit_submission(tx, ctx, AuditAction::Create, None, &s).await?;
    Ok(s)
}

/// Replaces a returned submission's content (and its file, when a new one is given) and sends
/// it to the office again; a conflict on `status` unless it is returned.
pub async fn resubmit(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    c: &Content,
    f: Option<&File>,
) -> Result<Submission> {
    let before = get_in(tx, id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(tx, x => sqlx::query(
        "UPDATE contract_submissions SET status = 'submitted', contract_type = $2, title = $3, seller_name = $4, seller_uscc = $5, \
         seller_org_id = $6, buyer_name = $7, buyer_uscc = $8, buyer_org_id = $9, contract_amount_fen = $10, tech_amount_fen = $11, \
         chain_code = $12, signed_on = $13, starts_on = $14, ends_on = $15, submitted_by = $16, submitted_at = $17, updated_at = $17, \
         tech_field = $18 WHERE id = $1 AND status = 'returned'")
        .bind(id)
        .bind(c.contract_type.code())
        .bind(&c.title)
        .bind(&c.seller_name)
        .bind(&c.seller_uscc)
        .bind(c.seller_org_id)
        .bind(&c.buyer_name)
        .bind(&c.buyer_uscc)
        .bind(c.buyer_org_id)
        .bind(c.contract_amount_fen)
        .bind(c.tech_amount_fen)
        .bind(&c.chain_code)
        .bind(&c.signed_on)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(ctx.actor_user_id)
        .bind(now)
        .bind(&c.tech_field)
        .execute(x)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    if let Some(f) = f {
        on_tx!(tx, x => sqlx::query(
            "UPDATE contract_submissions SET file_name = $2, file_type = $3, file_size = $4, file_bytes = $5 WHERE id = $1")
            .bind(id)
            .bind(&f.name)
            .bind(&f.kind)
            .bind(f.bytes.len() as i64)
            .bind(&f.bytes)
            .execute(x)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let after = get_in(tx, id).await?;
    audit_submission(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// The office's decision: moves a submission from `from` to `to` with a reason; a conflict on
/// `status` if it is no longer in `from`.
pub async fn decide(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: SubmissionStatus,
    to: SubmissionStatus,
    reason: Option<&str>,
) -> Result<Submission> {
    let before = get_in(tx, id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(tx, x => sqlx::query(
        "UPDATE contract_submissions SET status = $3, reason = $4, reviewed_by = $5, reviewed_at = $6, updated_at = $6 \
         WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(reason)
        .bind(ctx.actor_user_id)
        .bind(now)
        .execute(x)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(tx, id).await?;
    audit_submission(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// How many submissions await the office.
pub async fn waiting(db: &Db) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM contract_submissions WHERE status = 'submitted'")
        .fetch_one(p)
        .await)?)
}

/// Writes a historical registration as a recognised submission without a signed file (an
/// imported register row); the caller enters it in the register in the same transaction.
pub async fn create_recognised(
    tx: &mut Tx,
    ctx: &AuditCtx,
    submitter_org_id: i64,
    c: &Content,
    at: i64,
) -> Result<Submission> {
    let id: i64 = on_tx!(tx, x => sqlx::query_scalar(
        "INSERT INTO contract_submissions (status, contract_type, title, seller_name, seller_uscc, seller_org_id, buyer_name, buyer_uscc, \
         buyer_org_id, contract_amount_fen, tech_amount_fen, chain_code, signed_on, starts_on, ends_on, file_name, file_type, file_size, \
         file_bytes, submitter_org_id, submitted_by, submitted_at, reviewed_by, reviewed_at, created_at, updated_at, tech_field) \
         VALUES ('recognised', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, '', '', 0, $15, $16, $17, $18, $17, $18, $18, $18, $19) RETURNING id")
        .bind(c.contract_type.code())
        .bind(&c.title)
        .bind(&c.seller_name)
        .bind(&c.seller_uscc)
        .bind(c.seller_org_id)
        .bind(&c.buyer_name)
        .bind(&c.buyer_uscc)
        .bind(c.buyer_org_id)
        .bind(c.contract_amount_fen)
        .bind(c.tech_amount_fen)
        .bind(&c.chain_code)
        .bind(&c.signed_on)
        .bind(&c.starts_on)
        .bind(&c.ends_on)
        .bind(Vec::<u8>::new())
        .bind(submitter_org_id)
        .bind(ctx.actor_user_id)
        .bind(at)
        .bind(&c.tech_field)
        .fetch_one(x)
        .await)?;
    let s = get_in(tx, id).await?;
    audit_submission(tx, ctx, AuditAction::Create, None, &s).await?;
    Ok(s)
}
