//! Matching: owners' verdicts on suggestions, kept searches, and the in-app inbox.
//!
//! Verdicts and kept searches are changes users make, so they are audited. Inbox messages are
//! derived (the platform writes them when a listing is published) and reading one changes only
//! that user's view, so neither is audited.

use fruition_domain::audit::AuditAction;
use fruition_domain::matching::Verdict;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx, on_write};
use crate::{Db, Result, StoreError, Tx, clock};

/// An owner's verdict on a suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Feedback {
    pub id: i64,
    pub listing_id: i64,
    pub suggested_id: i64,
    #[sqlx(try_from = "String")]
    pub verdict: Verdict,
    pub comment: Option<String>,
    pub org_id: i64,
    pub user_id: Option<i64>,
    pub at: i64,
}

/// Records (or replaces) the verdict on `suggested_id` for `listing_id`.
pub async fn set_feedback(
    tx: &mut Tx,
    ctx: &AuditCtx,
    listing_id: i64,
    suggested_id: i64,
    org_id: i64,
    verdict: Verdict,
    comment: Option<&str>,
) -> Result<Feedback> {
    let before: Option<Feedback> = on_tx!(tx, c => sqlx::query_as::<_, Feedback>(
        "SELECT id, listing_id, suggested_id, verdict, comment, org_id, user_id, at FROM match_feedback WHERE listing_id = $1 AND suggested_id = $2")
        .bind(listing_id)
        .bind(suggested_id)
        .fetch_optional(c)
        .await)?;
    let now = clock::now_ms();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO match_feedback (listing_id, suggested_id, verdict, comment, org_id, user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (listing_id, suggested_id) DO UPDATE SET verdict = excluded.verdict, comment = excluded.comment, \
         user_id = excluded.user_id, at = excluded.at")
        .bind(listing_id)
        .bind(suggested_id)
        .bind(verdict.code())
        .bind(comment)
        .bind(org_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after: Feedback = on_tx!(tx, c => sqlx::query_as::<_, Feedback>(
        "SELECT id, listing_id, suggested_id, verdict, comment, org_id, user_id, at FROM match_feedback WHERE listing_id = $1 AND suggested_id = $2")
        .bind(listing_id)
        .bind(suggested_id)
        .fetch_one(c)
        .await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "match_feedback",
            entity_id: after.id,
            org_id: Some(org_id),
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
    Ok(after)
}

/// Every verdict given on suggestions for a listing.
pub async fn feedback_for(db: &Db, listing_id: i64) -> Result<Vec<Feedback>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Feedback>(
        "SELECT id, listing_id, suggested_id, verdict, comment, org_id, user_id, at FROM match_feedback WHERE listing_id = $1 ORDER BY at")
        .bind(listing_id)
        .fetch_all(p)
        .await)?)
}

/// What a view of kept suggestions checks, in one statement: the owner's verdicts on the
/// suggestions for `listing_id` (suggested listing, verdict) and the status and last change
/// (`updated_at`) of the kept listings `ids` (a listing's handful of suggestions).
pub async fn verdicts_and_versions(
    db: &Db,
    listing_id: i64,
    ids: &[i64],
) -> Result<(Vec<(i64, Verdict)>, Vec<(i64, String, i64)>)> {
    let rows = on_db!(db, p => {
        let mut qb = sqlx::QueryBuilder::new(
            "SELECT CAST(0 AS BIGINT) AS part, suggested_id AS id, verdict AS code, at FROM match_feedback WHERE listing_id = ",
        );
        qb.push_bind(listing_id);
        if !ids.is_empty() {
            qb.push(" UNION ALL SELECT CAST(1 AS BIGINT), id, status, updated_at FROM listings WHERE id IN (");
            let mut sep = qb.separated(", ");
            for id in ids {
                sep.push_bind(*id);
            }
            qb.push(")");
        }
        qb.build_query_as::<(i64, i64, String, i64)>().fetch_all(p).await
    })?;
    let (mut verdicts, mut versions) = (Vec::new(), Vec::new());
    for (part, id, code, at) in rows {
        if part == 0 {
            let verdict = Verdict::try_from(code)
                .map_err(|e| StoreError::Database(sqlx::Error::Decode(e.into())))?;
            verdicts.push((id, verdict));
        } else {
            versions.push((id, code, at));
        }
    }
    Ok((verdicts, versions))
}

/// How many listings each organisation published since `since_ms`, counted up to `cap` (an
/// owner's activity saturates, so counting further would only cost: each count stops at `cap`
/// on the index `listings (org_id, status, published_at)`).
pub async fn activity(
    db: &Db,
    org_ids: &[i64],
    since_ms: i64,
    cap: i64,
) -> Result<Vec<(i64, i64)>> {
    let mut orgs = org_ids.to_vec();
    orgs.sort_unstable();
    orgs.dedup();
    let mut out = Vec::with_capacity(orgs.len());
    // One statement for all (a suggestion list names up to 40 owners): each count still stops
    // at `cap` on `listings (org_id, status, published_at)`.
    for chunk in orgs.chunks(500) {
        let rows: Vec<(i64, i64)> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "SELECT o.column1, (SELECT COUNT(*) FROM (SELECT 1 FROM listings l \
                 WHERE l.org_id = o.column1 AND l.status = 'published' AND l.published_at >= ",
            );
            qb.push_bind(since_ms);
            qb.push(" LIMIT ");
            qb.push_bind(cap);
            qb.push(") x) FROM (VALUES ");
            let mut sep = qb.separated(", ");
            for org in chunk {
                sep.push("(");
                sep.push_bind_unseparated(*org);
                sep.push_unseparated(")");
            }
            qb.push(") AS o");
            qb.build_query_as::<(i64, i64)>().fetch_all(p).await
        })?;
        out.extend(rows);
    }
    out.sort_unstable();
    Ok(out)
}

/// A search a user keeps.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SavedSearch {
    pub id: i64,
    pub user_id: i64,
    pub name: String,
    /// The search's parameters as JSON.
    pub query: String,
    pub created_at: i64,
}

pub async fn save_search(
    tx: &mut Tx,
    ctx: &AuditCtx,
    user_id: i64,
    org_id: i64,
    name: &str,
    query: &str,
) -> Result<SavedSearch> {
    let now = clock::now_ms();
    let s: SavedSearch = on_tx!(tx, c => sqlx::query_as::<_, SavedSearch>(
        "INSERT INTO saved_searches (user_id, name, query, created_at) VALUES ($1, $2, $3, $4) \
         RETURNING id, user_id, name, query, created_at")
        .bind(user_id)
        .bind(name)
        .bind(query)
        .bind(now)
        .fetch_one(c)
        .await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "saved_search",
            entity_id: s.id,
            org_id: Some(org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&s),
        },
    )
    .await?;
    Ok(s)
}

/// Removes one of `user_id`'s kept searches (NotFound if it is not theirs).
pub async fn delete_search(
    tx: &mut Tx,
    ctx: &AuditCtx,
    user_id: i64,
    org_id: i64,
    id: i64,
) -> Result<()> {
    let before: SavedSearch = on_tx!(tx, c => sqlx::query_as::<_, SavedSearch>(
        "SELECT id, user_id, name, query, created_at FROM saved_searches WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)?;
    on_tx!(tx, c => sqlx::query("DELETE FROM saved_searches WHERE id = $1")
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "saved_search",
            entity_id: id,
            org_id: Some(org_id),
            action: AuditAction::Delete,
            before: Some(&before),
            after: None,
        },
    )
    .await
}

pub async fn searches_of(db: &Db, user_id: i64) -> Result<Vec<SavedSearch>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, SavedSearch>(
        "SELECT id, user_id, name, query, created_at FROM saved_searches WHERE user_id = $1 ORDER BY created_at DESC, id DESC")
        .bind(user_id)
        .fetch_all(p)
        .await)?)
}

/// Every kept search of an active user (to check a newly published listing against).
pub async fn all_searches(db: &Db) -> Result<Vec<SavedSearch>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, SavedSearch>(
        "SELECT s.id, s.user_id, s.name, s.query, s.created_at FROM saved_searches s JOIN users u ON u.id = s.user_id \
         JOIN organisations o ON o.id = u.org_id WHERE u.active AND o.active ORDER BY s.id")
        .fetch_all(p)
        .await)?)
}

/// A message in a user's inbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct InboxMessage {
    pub id: i64,
    pub user_id: i64,
    pub kind: String,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub ref_key: String,
    pub read_at: Option<i64>,
    pub created_at: i64,
}

/// What to tell a user.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub user_id: i64,
    pub kind: &'static str,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    /// One message per user and `ref_key`: telling twice writes nothing.
    pub ref_key: String,
}

/// Delivers messages in one write turn; returns how many were new.
pub async fn deliver(db: &Db, messages: &[NewMessage]) -> Result<u64> {
    if messages.is_empty() {
        return Ok(0);
    }
    let mut tx = db.begin().await?;
    let now = clock::now_ms();
    let mut n = 0;
    for m in messages {
        n += on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO inbox_messages (user_id, kind, title, body, link, ref_key, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) \
             ON CONFLICT (user_id, ref_key) DO NOTHING")
            .bind(m.user_id)
            .bind(m.kind)
            .bind(&m.title)
            .bind(&m.body)
            .bind(&m.link)
            .bind(&m.ref_key)
            .bind(now)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    tx.commit().await?;
    Ok(n)
}

/// One message for every user of an organisation who can act on it (see [`org_writers`]).
#[derive(Debug, Clone, Copy)]
pub struct OrgMessage<'a> {
    pub kind: &'static str,
    pub title: &'a str,
    pub body: &'a str,
    pub link: Option<&'a str>,
    /// One message per user and `ref_key`: telling twice writes nothing.
    pub ref_key: &'a str,
}

/// Delivers `m` to the users of `org_id` who can act on it, inside `tx` (one statement, so a
/// step and its notice are written in the same turn); returns how many messages were new.
pub async fn deliver_to_org(tx: &mut Tx, org_id: i64, m: &OrgMessage<'_>) -> Result<u64> {
    Ok(on_tx!(tx, c => sqlx::query(concat!(
        "INSERT INTO inbox_messages (user_id, kind, title, body, link, ref_key, created_at) \
         SELECT id, $2, $3, $4, $5, $6, $7 ",
        org_writers_from!(),
        " ON CONFLICT (user_id, ref_key) DO NOTHING"))
        .bind(org_id)
        .bind(m.kind)
        .bind(m.title)
        .bind(m.body)
        .bind(m.link)
        .bind(m.ref_key)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

pub async fn inbox(db: &Db, user_id: i64, limit: i64) -> Result<Vec<InboxMessage>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, InboxMessage>(
        "SELECT id, user_id, kind, title, body, link, ref_key, read_at, created_at FROM inbox_messages WHERE user_id = $1 \
         ORDER BY created_at DESC, id DESC LIMIT $2")
        .bind(user_id)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// How many of the user's messages are unread (the index on `(user_id, read_at, …)` answers it).
pub async fn unread_count(db: &Db, user_id: i64) -> Result<i64> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM inbox_messages WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .fetch_one(p)
        .await)?)
}

/// Marks every unread message of the user read; how many were.
pub async fn mark_all_read(db: &Db, user_id: i64) -> Result<u64> {
    Ok(on_write!(db, c => sqlx::query(
        "UPDATE inbox_messages SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL")
        .bind(user_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Marks one of the user's messages read (NotFound if it is not theirs).
pub async fn mark_read(db: &Db, user_id: i64, id: i64) -> Result<()> {
    let n = on_write!(db, c => sqlx::query(
        "UPDATE inbox_messages SET read_at = COALESCE(read_at, $3) WHERE id = $1 AND user_id = $2")
        .bind(id)
        .bind(user_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    Ok(())
}

/// The users of organisation `$1` who may act on its listings and are told of them (active, not
/// viewers): the one definition [`org_writers`] and [`deliver_to_org`] share.
macro_rules! org_writers_from {
    () => {
        "FROM users WHERE org_id = $1 AND active AND role <> 'viewer'"
    };
}
use org_writers_from;

/// The users of an organisation who may act on its listings (active, not viewers).
pub async fn org_writers(db: &Db, org_id: i64) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        concat!("SELECT id ", org_writers_from!(), " ORDER BY id"))
        .bind(org_id)
        .fetch_all(p)
        .await)?)
}
