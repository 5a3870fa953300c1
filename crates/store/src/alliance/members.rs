//! The alliance's member carriers with their roles, its notices, and what members offer each
//! other with the interest shown in each offer.

use fruition_domain::alliance::{MemberRole, OfferKind};
use fruition_domain::audit::AuditAction;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Member {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub carrier_kind: String,
    pub operator_org_id: i64,
    pub operator_name: String,
    #[sqlx(try_from = "String")]
    pub role: MemberRole,
    pub joined_on: String,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! member_select {
    () => {
        "SELECT m.carrier_id, c.name AS carrier_name, c.kind AS carrier_kind, c.operator_org_id, \
         o.name AS operator_name, m.role, m.joined_on, m.created_at, m.updated_at \
         FROM alliance_members m JOIN carriers c ON c.id = m.carrier_id \
         JOIN organisations o ON o.id = c.operator_org_id"
    };
}

/// Every member: the chair, the vice chairs, then the members, each in the order they joined.
pub async fn list(db: &Db) -> Result<Vec<Member>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Member>(concat!(member_select!(),
        " ORDER BY CASE m.role WHEN 'chair' THEN 0 WHEN 'vice_chair' THEN 1 ELSE 2 END, m.joined_on, c.name"))
        .fetch_all(p).await)?,
    )
}

pub async fn get(db: &Db, carrier_id: i64) -> Result<Option<Member>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Member>(concat!(member_select!(), " WHERE m.carrier_id = $1"))
        .bind(carrier_id).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, carrier_id: i64) -> Result<Member> {
    on_tx!(tx, c => sqlx::query_as::<_, Member>(concat!(member_select!(), " WHERE m.carrier_id = $1"))
        .bind(carrier_id).fetch_optional(c).await)?
    .ok_or(StoreError::NotFound)
}

/// Whether `org_id` operates a member carrier.
pub async fn is_member_org(db: &Db, org_id: i64) -> Result<bool> {
    let n: i64 = on_db!(db, p => sqlx::query_scalar(
        "SELECT COUNT(*) FROM alliance_members m JOIN carriers c ON c.id = m.carrier_id WHERE c.operator_org_id = $1")
        .bind(org_id).fetch_one(p).await)?;
    Ok(n > 0)
}

/// The organisations operating member carriers.
pub async fn member_orgs(db: &Db) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT DISTINCT c.operator_org_id FROM alliance_members m JOIN carriers c ON c.id = m.carrier_id ORDER BY c.operator_org_id")
        .fetch_all(p).await)?)
}

/// The organisation operating the chair carrier, if there is one.
pub async fn chair_operator(db: &Db) -> Result<Option<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT c.operator_org_id FROM alliance_members m JOIN carriers c ON c.id = m.carrier_id WHERE m.role = 'chair'")
        .fetch_optional(p).await)?)
}

/// Admits a carrier (409 `carrier_id` when it is a member already, `role` when the alliance has
/// a chair already).
pub async fn admit(
    tx: &mut Tx,
    ctx: &AuditCtx,
    carrier_id: i64,
    role: MemberRole,
    joined_on: &str,
) -> Result<Member> {
    let now = clock::now_ms();
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO alliance_members (carrier_id, role, joined_on, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(carrier_id).bind(role.code()).bind(joined_on).bind(now).execute(c).await.map(|_| ()))?;
    let after = get_in(tx, carrier_id).await?;
    record(tx, ctx, None, Some(&after), AuditAction::Create).await?;
    Ok(after)
}

/// Sets a member's role (409 `role` when another member is the chair).
pub async fn set_role(
    tx: &mut Tx,
    ctx: &AuditCtx,
    carrier_id: i64,
    role: MemberRole,
) -> Result<Member> {
    let before = get_in(tx, carrier_id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE alliance_members SET role = $2, updated_at = $3 WHERE carrier_id = $1")
        .bind(carrier_id).bind(role.code()).bind(clock::now_ms()).execute(c).await.map(|_| ()))?;
    let after = get_in(tx, carrier_id).await?;
    record(tx, ctx, Some(&before), Some(&after), AuditAction::Update).await?;
    Ok(after)
}

/// Removes a member.
pub async fn remove(tx: &mut Tx, ctx: &AuditCtx, carrier_id: i64) -> Result<Member> {
    let before = get_in(tx, carrier_id).await?;
    let n = on_tx!(tx, c => sqlx::query("DELETE FROM alliance_members WHERE carrier_id = $1")
        .bind(carrier_id).execute(c).await.map(|r| r.rows_affected()))?;
    if n == 0 {
        return Err(StoreError::NotFound);
    }
    record(tx, ctx, Some(&before), None, AuditAction::Delete).await?;
    Ok(before)
}

async fn record(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&Member>,
    after: Option<&Member>,
    action: AuditAction,
) -> Result<()> {
    let m = after.or(before).ok_or(StoreError::NotFound)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "alliance_member",
            entity_id: m.carrier_id,
            org_id: Some(m.operator_org_id),
            action,
            before,
            after,
        },
    )
    .await
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Notice {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub org_id: i64,
    pub org_name: String,
    pub posted_by: Option<i64>,
    pub created_at: i64,
}

macro_rules! notice_select {
    () => {
        "SELECT n.id, n.title, n.body, n.org_id, o.name AS org_name, n.posted_by, n.created_at \
         FROM alliance_notices n JOIN organisations o ON o.id = n.org_id"
    };
}

/// The latest notices first.
pub async fn notices(db: &Db, limit: i64) -> Result<Vec<Notice>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Notice>(concat!(notice_select!(), " ORDER BY n.created_at DESC, n.id DESC LIMIT $1"))
        .bind(limit).fetch_all(p).await)?,
    )
}

pub async fn post_notice(
    tx: &mut Tx,
    ctx: &AuditCtx,
    title: &str,
    body: &str,
    org_id: i64,
) -> Result<Notice> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO alliance_notices (title, body, org_id, posted_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(title).bind(body).bind(org_id).bind(ctx.actor_user_id).bind(clock::now_ms()).fetch_one(c).await)?;
    let n = on_tx!(tx, c => sqlx::query_as::<_, Notice>(concat!(notice_select!(), " WHERE n.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "alliance_notice",
            entity_id: id,
            org_id: Some(org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&n),
        },
    )
    .await?;
    Ok(n)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Offer {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub contact: String,
    /// How many members have shown interest.
    pub interest: i64,
    pub created_at: i64,
}

macro_rules! offer_select {
    () => {
        "SELECT f.id, f.carrier_id, c.name AS carrier_name, c.operator_org_id, f.kind, f.title, \
         f.description, f.contact, \
         (SELECT COUNT(*) FROM alliance_offer_interests i WHERE i.offer_id = f.id) AS interest, \
         f.created_at FROM alliance_offers f JOIN carriers c ON c.id = f.carrier_id"
    };
}

/// What members offer, the latest first.
pub async fn offers(db: &Db) -> Result<Vec<Offer>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Offer>(concat!(offer_select!(), " ORDER BY f.created_at DESC, f.id DESC"))
        .fetch_all(p).await)?,
    )
}

pub async fn offer(db: &Db, id: i64) -> Result<Option<Offer>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Offer>(concat!(offer_select!(), " WHERE f.id = $1"))
        .bind(id).fetch_optional(p).await)?,
    )
}

/// A member's offer as it is made.
#[derive(Debug, Clone)]
pub struct NewOffer {
    pub carrier_id: i64,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub contact: String,
}

pub async fn insert_offer(tx: &mut Tx, ctx: &AuditCtx, o: &NewOffer) -> Result<Offer> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO alliance_offers (carrier_id, kind, title, description, contact, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
        .bind(o.carrier_id).bind(o.kind.code()).bind(&o.title).bind(&o.description).bind(&o.contact)
        .bind(ctx.actor_user_id).bind(clock::now_ms()).fetch_one(c).await)?;
    let after = on_tx!(tx, c => sqlx::query_as::<_, Offer>(concat!(offer_select!(), " WHERE f.id = $1"))
        .bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "alliance_offer",
            entity_id: id,
            org_id: Some(after.operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// One organisation's interest in an offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interest {
    pub offer_id: i64,
    pub org_id: i64,
    pub note: String,
}

/// Records an organisation's interest (409 `offer_id` when it has shown interest already).
pub async fn show_interest(
    tx: &mut Tx,
    ctx: &AuditCtx,
    offer_id: i64,
    org_id: i64,
    note: &str,
) -> Result<Interest> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO alliance_offer_interests (offer_id, org_id, user_id, note, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(offer_id).bind(org_id).bind(ctx.actor_user_id).bind(note).bind(clock::now_ms())
        .execute(c).await.map(|_| ()))?;
    let after = Interest {
        offer_id,
        org_id,
        note: note.into(),
    };
    audit::record(
        tx,
        ctx,
        Change {
            entity: "alliance_offer_interest",
            entity_id: offer_id,
            org_id: Some(org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}
