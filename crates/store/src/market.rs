//! The technology elements market: listings and the change log their search indexes follow.
//!
//! Every write to a listing also appends a row to `listing_changes` in the same transaction, so an
//! app server's search index that applies the log in order sees every committed change.

use fruition_domain::audit::AuditAction;
use fruition_domain::market::{ListingKind, ListingStatus};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A listing as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Listing {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub kind: ListingKind,
    pub org_id: i64,
    pub org_name: String,
    pub title: String,
    pub summary: String,
    pub body: String,
    /// The technical field's code (`fruition_domain::tech_field::TechField`); None only for a
    /// listing of a kind that needs none, or one recorded with a chain the bureau added.
    pub tech_field: Option<String>,
    /// One of the city's industrial chains: the optional second tag.
    pub chain_code: Option<String>,
    pub county_code: Option<String>,
    pub trl: Option<i64>,
    /// 千元; None: negotiable.
    pub price_k: Option<i64>,
    /// Comma-separated mode codes.
    pub modes: String,
    pub deadline: Option<String>,
    /// Kind-specific fields as JSON (`fruition_domain::market::Details`).
    pub details: String,
    #[sqlx(try_from = "String")]
    pub status: ListingStatus,
    pub hidden_reason: Option<String>,
    pub published_at: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    /// A capital listing's providing fund (one its owner manages).
    pub fund_id: Option<i64>,
    pub fund_name: Option<String>,
}

/// What the owner writes.
#[derive(Debug, Clone, Default)]
pub struct ListingFields {
    pub title: String,
    pub summary: String,
    pub body: String,
    pub tech_field: Option<String>,
    pub chain_code: Option<String>,
    pub county_code: Option<String>,
    pub trl: Option<i64>,
    pub price_k: Option<i64>,
    pub modes: String,
    pub deadline: Option<String>,
    pub details: String,
    /// A capital listing's providing fund.
    pub fund_id: Option<i64>,
}

macro_rules! listing_select {
    () => {
        "SELECT l.id, l.kind, l.org_id, o.name AS org_name, l.title, l.summary, l.body, l.tech_field, l.chain_code, l.county_code, l.trl, \
         l.price_k, l.modes, l.deadline, l.details, l.status, l.hidden_reason, l.published_at, l.created_by, l.created_at, l.updated_at, \
         l.fund_id, f.name AS fund_name \
         FROM listings l JOIN organisations o ON o.id = l.org_id LEFT JOIN funds f ON f.id = l.fund_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Listing>> {
    let sql = concat!(listing_select!(), " WHERE l.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Listing>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Listing> {
    let sql = concat!(listing_select!(), " WHERE l.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Listing>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Several listings by id (those that exist), in no particular order.
pub async fn get_many(db: &Db, ids: &[i64]) -> Result<Vec<Listing>> {
    let mut out = Vec::with_capacity(ids.len());
    // Chunks keep the statement small on both engines; search pages ask for ~10 at a time.
    for chunk in ids.chunks(500) {
        let rows = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(concat!(listing_select!(), " WHERE l.id IN ("));
            let mut sep = qb.separated(", ");
            for id in chunk {
                sep.push_bind(*id);
            }
            qb.push(")");
            qb.build_query_as::<Listing>().fetch_all(p).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

/// What to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct ListingFilter {
    pub org_id: Option<i64>,
    pub kind: Option<ListingKind>,
    pub status: Option<ListingStatus>,
    pub limit: i64,
    pub offset: i64,
}

/// Listings newest first (by last change).
pub async fn list(db: &Db, f: &ListingFilter) -> Result<Vec<Listing>> {
    let sql = concat!(
        listing_select!(),
        " WHERE ($1 IS NULL OR l.org_id = $1) AND ($2 IS NULL OR l.kind = $2) AND ($3 IS NULL OR l.status = $3) \
         ORDER BY l.updated_at DESC, l.id DESC LIMIT $4 OFFSET $5"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Listing>(sql)
        .bind(f.org_id)
        .bind(f.kind.map(|k| k.code()))
        .bind(f.status.map(|s| s.code()))
        .bind(if f.limit > 0 { f.limit } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?)
}

async fn log_change(tx: &mut Tx, listing_id: i64, at: i64) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO listing_changes (listing_id, at) VALUES ($1, $2)")
        .bind(listing_id)
        .bind(at)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

async fn audit_change(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Listing>,
    after: &Listing,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "listing",
            entity_id: after.id,
            org_id: Some(after.org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A new draft listing of `org_id`.
pub async fn insert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    kind: ListingKind,
    org_id: i64,
    f: &ListingFields,
) -> Result<Listing> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO listings (kind, org_id, title, summary, body, chain_code, county_code, trl, price_k, modes, deadline, details, \
         status, created_by, created_at, updated_at, fund_id, tech_field) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'draft', $13, $14, $14, $15, $16) RETURNING id")
        .bind(kind.code())
        .bind(org_id)
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.body)
        .bind(&f.chain_code)
        .bind(&f.county_code)
        .bind(f.trl)
        .bind(f.price_k)
        .bind(&f.modes)
        .bind(&f.deadline)
        .bind(&f.details)
        .bind(ctx.actor_user_id)
        .bind(now)
        .bind(f.fund_id)
        .bind(&f.tech_field)
        .fetch_one(c)
        .await)?;
    let after = get_in(tx, id).await?;
    log_change(tx, id, now).await?;
    audit_change(tx, ctx, AuditAction::Create, None, &after).await?;
    Ok(after)
}

/// Replaces what the owner wrote.
pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, f: &ListingFields) -> Result<Listing> {
    let before = get_in(tx, id).await?;
    let now = clock::now_ms();
    on_tx!(tx, c => sqlx::query(
        "UPDATE listings SET title = $2, summary = $3, body = $4, chain_code = $5, county_code = $6, trl = $7, price_k = $8, \
         modes = $9, deadline = $10, details = $11, updated_at = $12, fund_id = $13, tech_field = $14 WHERE id = $1")
        .bind(id)
        .bind(&f.title)
        .bind(&f.summary)
        .bind(&f.body)
        .bind(&f.chain_code)
        .bind(&f.county_code)
        .bind(f.trl)
        .bind(f.price_k)
        .bind(&f.modes)
        .bind(&f.deadline)
        .bind(&f.details)
        .bind(now)
        .bind(f.fund_id)
        .bind(&f.tech_field)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    log_change(tx, id, now).await?;
    audit_change(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// Moves a listing from `from` to `to` (a conflict if it is no longer in `from`). Publishing
/// stamps the first publication time; hiding keeps the bureau's reason, restoring clears it.
pub async fn set_status(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: ListingStatus,
    to: ListingStatus,
    reason: Option<&str>,
) -> Result<Listing> {
    let before = get_in(tx, id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE listings SET status = $3, hidden_reason = $4, published_at = CASE WHEN $3 = 'published' THEN COALESCE(published_at, $5) ELSE published_at END, \
         updated_at = $5 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(reason)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(tx, id).await?;
    log_change(tx, id, now).await?;
    audit_change(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// One entry of the change log.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ListingChange {
    pub id: i64,
    pub listing_id: i64,
    pub at: i64,
}

/// Change-log entries after `after_id`, oldest first, at most `limit`.
pub async fn changes_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<ListingChange>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, ListingChange>(
        "SELECT id, listing_id, at FROM listing_changes WHERE id > $1 ORDER BY id LIMIT $2")
        .bind(after_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Change-log entries made at or after `since_ms` (for re-reading the entries that a
/// transaction still open at the last read may have committed since, with a lower id).
pub async fn changes_since(db: &Db, since_ms: i64) -> Result<Vec<ListingChange>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, ListingChange>(
        "SELECT id, listing_id, at FROM listing_changes WHERE at >= $1 ORDER BY id")
        .bind(since_ms)
        .fetch_all(p)
        .await)?)
}

/// The newest change-log id (0 when empty).
pub async fn last_change_id(db: &Db) -> Result<i64> {
    Ok(
        on_db!(db, p => sqlx::query_scalar::<_, Option<i64>>("SELECT MAX(id) FROM listing_changes")
        .fetch_one(p)
        .await)?
        .unwrap_or(0),
    )
}

/// Every published listing, in id order, a page at a time (for rebuilding an index).
pub async fn published_after(db: &Db, after_id: i64, limit: i64) -> Result<Vec<Listing>> {
    let sql = concat!(
        listing_select!(),
        " WHERE l.status = 'published' AND l.id > $1 ORDER BY l.id LIMIT $2"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Listing>(sql).bind(after_id).bind(limit).fetch_all(p).await)?,
    )
}

#[cfg(test)]
mod tests {
    use fruition_domain::reference::default_chains;
    use fruition_domain::tech_field::TechField;

    /// Migration 0022 gave every record with a default chain the field of
    /// `TechField::of_chain`, in the same words on both engines.
    #[test]
    fn the_backfill_is_the_domain_mapping() {
        for sql in [
            include_str!("../migrations/sqlite/0022_tech_fields.sql"),
            include_str!("../migrations/postgres/0022_tech_fields.sql"),
        ] {
            let whens: Vec<&str> = sql
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("WHEN '"))
                .collect();
            for c in default_chains() {
                let field = TechField::of_chain(c.code).expect("a default chain has a field");
                let line = format!("WHEN '{}' THEN '{}'", c.code, field.code());
                assert!(whens.iter().any(|w| *w == line), "0022 lacks {line}");
            }
            // Three backfills (listings, the register, submissions), one line per chain each.
            assert_eq!(whens.len(), 3 * default_chains().len());
        }
    }
}
