//! Deals in the technology elements market — intent, messages, terms — and the register of
//! technology contracts with the figures the statistics read from it.
//!
//! Steps are conditional updates (`… WHERE status = $from`, `… AND terms_id = $n`), so two people
//! acting at once on either engine cannot both succeed: the second gets a conflict.

use fruition_domain::audit::AuditAction;
use fruition_domain::contract::ContractSource;
use fruition_domain::deal::{ContractOutcome, ContractType, DealStatus, Terms};
use fruition_domain::market::ListingKind;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A deal with the names a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Deal {
    pub id: i64,
    pub listing_id: i64,
    pub listing_title: String,
    #[sqlx(try_from = "String")]
    pub listing_kind: ListingKind,
    pub listing_tech_field: Option<String>,
    pub listing_chain_code: Option<String>,
    pub owner_org_id: i64,
    pub initiator_org_id: i64,
    pub seller_org_id: i64,
    pub seller_name: String,
    pub buyer_org_id: i64,
    pub buyer_name: String,
    #[sqlx(try_from = "String")]
    pub status: DealStatus,
    pub terms_id: Option<i64>,
    pub status_reason: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Deal {
    /// The two organisations taking part.
    pub fn parties(&self) -> [i64; 2] {
        [self.seller_org_id, self.buyer_org_id]
    }
}

macro_rules! deal_select {
    () => {
        "SELECT d.id, d.listing_id, l.title AS listing_title, l.kind AS listing_kind, l.tech_field AS listing_tech_field, l.chain_code AS listing_chain_code, \
         d.owner_org_id, d.initiator_org_id, d.seller_org_id, s.name AS seller_name, d.buyer_org_id, b.name AS buyer_name, \
         d.status, d.terms_id, d.status_reason, d.created_by, d.created_at, d.updated_at \
         FROM deals d JOIN listings l ON l.id = d.listing_id \
         JOIN organisations s ON s.id = d.seller_org_id JOIN organisations b ON b.id = d.buyer_org_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Deal>> {
    let sql = concat!(deal_select!(), " WHERE d.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Deal>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Deal> {
    let sql = concat!(deal_select!(), " WHERE d.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Deal>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Which deals to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct DealFilter {
    /// Deals where this organisation is a party.
    pub org_id: Option<i64>,
    pub status: Option<DealStatus>,
    pub listing_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Deals, the most recently changed first.
pub async fn list(db: &Db, f: &DealFilter) -> Result<Vec<Deal>> {
    let sql = concat!(
        deal_select!(),
        " WHERE ($1 IS NULL OR d.seller_org_id = $1 OR d.buyer_org_id = $1) AND ($2 IS NULL OR d.status = $2) \
         AND ($3 IS NULL OR d.listing_id = $3) ORDER BY d.updated_at DESC, d.id DESC LIMIT $4 OFFSET $5"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Deal>(sql)
        .bind(f.org_id)
        .bind(f.status.map(|s| s.code()))
        .bind(f.listing_id)
        .bind(if f.limit > 0 { f.limit } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?)
}

/// The open (negotiating or agreed) deal an organisation started on a listing, if any.
pub async fn open_for(db: &Db, listing_id: i64, initiator_org_id: i64) -> Result<Option<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        "SELECT id FROM deals WHERE listing_id = $1 AND initiator_org_id = $2 AND status IN ('negotiating', 'agreed')")
        .bind(listing_id)
        .bind(initiator_org_id)
        .fetch_optional(p)
        .await)?)
}

async fn audit_deal(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Deal>,
    after: &Deal,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "deal",
            entity_id: after.id,
            org_id: Some(after.owner_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A message between the parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Message {
    pub id: i64,
    pub deal_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub user_id: Option<i64>,
    pub author_name: Option<String>,
    pub body: String,
    pub created_at: i64,
}

macro_rules! message_select {
    () => {
        "SELECT m.id, m.deal_id, m.org_id, o.name AS org_name, m.user_id, u.display_name AS author_name, m.body, m.created_at \
         FROM deal_messages m JOIN organisations o ON o.id = m.org_id LEFT JOIN users u ON u.id = m.user_id"
    };
}

/// A deal's messages, oldest first.
pub async fn messages(db: &Db, deal_id: i64) -> Result<Vec<Message>> {
    let sql = concat!(message_select!(), " WHERE m.deal_id = $1 ORDER BY m.id");
    Ok(on_db!(db, p => sqlx::query_as::<_, Message>(sql).bind(deal_id).fetch_all(p).await)?)
}

/// Writes a message from `org_id` on a deal.
pub async fn add_message(
    tx: &mut Tx,
    ctx: &AuditCtx,
    deal_id: i64,
    org_id: i64,
    body: &str,
) -> Result<Message> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO deal_messages (deal_id, org_id, user_id, body, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(deal_id)
        .bind(org_id)
        .bind(ctx.actor_user_id)
        .bind(body)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let sql = concat!(message_select!(), " WHERE m.id = $1");
    let m = on_tx!(tx, c => sqlx::query_as::<_, Message>(sql).bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "deal_message",
            entity_id: m.id,
            org_id: Some(org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&m),
        },
    )
    .await?;
    Ok(m)
}

/// A new deal: who owns the listing, who starts it, and who sells and buys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewDeal {
    pub listing_id: i64,
    pub owner_org_id: i64,
    pub initiator_org_id: i64,
    pub seller_org_id: i64,
    pub buyer_org_id: i64,
}

/// Opens a deal with its first message. A second open deal of the same organisation on the same
/// listing is refused by the database (a conflict on `listing_id`).
pub async fn open(
    tx: &mut Tx,
    ctx: &AuditCtx,
    d: &NewDeal,
    first_message: &str,
) -> Result<(Deal, Message)> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO deals (listing_id, owner_org_id, initiator_org_id, seller_org_id, buyer_org_id, status, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'negotiating', $6, $7, $7) RETURNING id")
        .bind(d.listing_id)
        .bind(d.owner_org_id)
        .bind(d.initiator_org_id)
        .bind(d.seller_org_id)
        .bind(d.buyer_org_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let deal = get_in(tx, id).await?;
    audit_deal(tx, ctx, AuditAction::Create, None, &deal).await?;
    let m = add_message(tx, ctx, id, d.initiator_org_id, first_message).await?;
    Ok((deal, m))
}

/// Terms as proposed by one party.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TermsRow {
    pub id: i64,
    pub deal_id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub user_id: Option<i64>,
    #[sqlx(try_from = "String")]
    pub contract_type: ContractType,
    pub contract_amount_k: i64,
    pub tech_amount_k: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub created_at: i64,
    pub accepted_at: Option<i64>,
    pub accepted_by: Option<i64>,
}

macro_rules! terms_select {
    () => {
        "SELECT t.id, t.deal_id, t.org_id, o.name AS org_name, t.user_id, t.contract_type, t.contract_amount_k, t.tech_amount_k, \
         t.starts_on, t.ends_on, t.created_at, t.accepted_at, t.accepted_by \
         FROM deal_terms t JOIN organisations o ON o.id = t.org_id"
    };
}

/// Every proposal on a deal, oldest first.
pub async fn proposals(db: &Db, deal_id: i64) -> Result<Vec<TermsRow>> {
    let sql = concat!(terms_select!(), " WHERE t.deal_id = $1 ORDER BY t.id");
    Ok(on_db!(db, p => sqlx::query_as::<_, TermsRow>(sql).bind(deal_id).fetch_all(p).await)?)
}

pub async fn terms(db: &Db, id: i64) -> Result<Option<TermsRow>> {
    let sql = concat!(terms_select!(), " WHERE t.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, TermsRow>(sql).bind(id).fetch_optional(p).await)?)
}

async fn terms_in(tx: &mut Tx, id: i64) -> Result<TermsRow> {
    let sql = concat!(terms_select!(), " WHERE t.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, TermsRow>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

fn conflict(field: &str) -> StoreError {
    StoreError::Conflict {
        field: field.into(),
    }
}

/// Proposes terms from `org_id`: they replace any unaccepted proposal and reopen agreed terms (a
/// conflict on `status` once the deal is registered or closed).
pub async fn propose(
    tx: &mut Tx,
    ctx: &AuditCtx,
    deal_id: i64,
    org_id: i64,
    t: &Terms,
) -> Result<(Deal, TermsRow)> {
    let before = get_in(tx, deal_id).await?;
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO deal_terms (deal_id, org_id, user_id, contract_type, contract_amount_k, tech_amount_k, starts_on, ends_on, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(deal_id)
        .bind(org_id)
        .bind(ctx.actor_user_id)
        .bind(t.contract_type.code())
        .bind(t.contract_amount_k)
        .bind(t.tech_amount_k)
        .bind(t.starts_on.to_string())
        .bind(t.ends_on.to_string())
        .bind(now)
        .fetch_one(c)
        .await)?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE deals SET terms_id = $2, status = 'negotiating', status_reason = NULL, updated_at = $3 \
         WHERE id = $1 AND status IN ('negotiating', 'agreed')")
        .bind(deal_id)
        .bind(id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(conflict("status"));
    }
    let terms = terms_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "deal_terms",
            entity_id: id,
            org_id: Some(org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&terms),
        },
    )
    .await?;
    let after = get_in(tx, deal_id).await?;
    audit_deal(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok((after, terms))
}

/// Accepts the deal's latest proposal, `terms_id`: a conflict on `terms_id` when another proposal
/// replaced it or the deal is no longer being negotiated.
pub async fn accept(tx: &mut Tx, ctx: &AuditCtx, deal_id: i64, terms_id: i64) -> Result<Deal> {
    let before = get_in(tx, deal_id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE deals SET status = 'agreed', status_reason = NULL, updated_at = $3 \
         WHERE id = $1 AND status = 'negotiating' AND terms_id = $2")
        .bind(deal_id)
        .bind(terms_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(conflict("terms_id"));
    }
    let terms_before = terms_in(tx, terms_id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE deal_terms SET accepted_at = $2, accepted_by = $3 WHERE id = $1")
        .bind(terms_id)
        .bind(now)
        .bind(ctx.actor_user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let terms_after = terms_in(tx, terms_id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "deal_terms",
            entity_id: terms_id,
            org_id: Some(terms_after.org_id),
            action: AuditAction::Update,
            before: Some(&terms_before),
            after: Some(&terms_after),
        },
    )
    .await?;
    let after = get_in(tx, deal_id).await?;
    audit_deal(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// Moves a deal from `from` to `to` with a reason (withdrawal, a refused registration); a
/// conflict on `status` if it is no longer in `from`. `clear_terms` forgets the latest proposal,
/// so that terms must be proposed and accepted again.
pub async fn set_status(
    tx: &mut Tx,
    ctx: &AuditCtx,
    deal_id: i64,
    from: DealStatus,
    to: DealStatus,
    reason: Option<&str>,
    clear_terms: bool,
) -> Result<Deal> {
    let before = get_in(tx, deal_id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE deals SET status = $3, status_reason = $4, terms_id = CASE WHEN $5 THEN NULL ELSE terms_id END, updated_at = $6 \
         WHERE id = $1 AND status = $2")
        .bind(deal_id)
        .bind(from.code())
        .bind(to.code())
        .bind(reason)
        .bind(clear_terms)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(conflict("status"));
    }
    let after = get_in(tx, deal_id).await?;
    audit_deal(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// A registered technology contract, reached in the market or concluded anywhere, with the
/// parties' and the carrier's names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Contract {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub source: ContractSource,
    pub deal_id: Option<i64>,
    pub submission_id: Option<i64>,
    pub registration_no: String,
    pub year: i64,
    pub serial: i64,
    pub registered_on: String,
    #[sqlx(try_from = "String")]
    pub contract_type: ContractType,
    pub seller_org_id: Option<i64>,
    pub seller_name: String,
    pub seller_uscc: Option<String>,
    pub seller_division: Option<String>,
    pub buyer_org_id: Option<i64>,
    pub buyer_name: String,
    pub buyer_uscc: Option<String>,
    pub buyer_division: Option<String>,
    pub contract_amount_fen: i64,
    pub tech_amount_fen: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// The technical field's code (`fruition_domain::tech_field::TechField`).
    pub tech_field: Option<String>,
    /// One of the city's industrial chains, when the contract has one.
    pub chain_code: Option<String>,
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    pub registered_by: Option<i64>,
    pub registered_at: i64,
    /// `fulfilled` or `terminated` (`ContractOutcome`), once recorded.
    pub outcome: Option<String>,
    pub outcome_on: Option<String>,
    pub outcome_reason: Option<String>,
    pub outcome_by: Option<i64>,
    pub updated_at: i64,
}

macro_rules! contract_select {
    () => {
        "SELECT k.id, k.source, k.deal_id, k.submission_id, k.registration_no, k.year, k.serial, k.registered_on, k.contract_type, \
         k.seller_org_id, k.seller_name, k.seller_uscc, k.seller_division, k.buyer_org_id, k.buyer_name, k.buyer_uscc, k.buyer_division, \
         k.contract_amount_fen, k.tech_amount_fen, k.starts_on, k.ends_on, k.tech_field, k.chain_code, k.carrier_id, \
         c.name AS carrier_name, k.registered_by, k.registered_at, k.outcome, k.outcome_on, k.outcome_reason, k.outcome_by, k.updated_at \
         FROM tech_contracts k LEFT JOIN carriers c ON c.id = k.carrier_id"
    };
}

/// The contract a deal was registered as, if it was.
pub async fn contract_of(db: &Db, deal_id: i64) -> Result<Option<Contract>> {
    let sql = concat!(contract_select!(), " WHERE k.deal_id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Contract>(sql).bind(deal_id).fetch_optional(p).await)?)
}

async fn contract_of_in(tx: &mut Tx, deal_id: i64) -> Result<Contract> {
    let sql = concat!(contract_select!(), " WHERE k.deal_id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Contract>(sql).bind(deal_id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// The contract a submission was registered as, if it was.
pub async fn contract_of_submission(db: &Db, submission_id: i64) -> Result<Option<Contract>> {
    let sql = concat!(contract_select!(), " WHERE k.submission_id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Contract>(sql).bind(submission_id).fetch_optional(p).await)?,
    )
}

/// Which registered contracts to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct ContractFilter {
    pub year: Option<i64>,
    pub source: Option<ContractSource>,
    /// Contracts where this organisation is a party.
    pub org_id: Option<i64>,
    pub limit: i64,
}

/// Registered contracts, the newest registration first.
pub async fn contracts(db: &Db, f: &ContractFilter) -> Result<Vec<Contract>> {
    let sql = concat!(
        contract_select!(),
        " WHERE ($1 IS NULL OR k.year = $1) AND ($2 IS NULL OR k.source = $2) \
         AND ($3 IS NULL OR k.seller_org_id = $3 OR k.buyer_org_id = $3) ORDER BY k.year DESC, k.serial DESC LIMIT $4"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Contract>(sql)
        .bind(f.year)
        .bind(f.source.map(|s| s.code()))
        .bind(f.org_id)
        .bind(if f.limit > 0 { f.limit } else { 1000 })
        .fetch_all(p)
        .await)?)
}

/// A contract entering the register, from either source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewContract {
    pub source: ContractSource,
    pub deal_id: Option<i64>,
    pub submission_id: Option<i64>,
    pub city_code: String,
    pub registered_on: String,
    pub year: i64,
    pub contract_type: ContractType,
    pub seller_org_id: Option<i64>,
    pub seller_name: String,
    pub seller_uscc: Option<String>,
    pub buyer_org_id: Option<i64>,
    pub buyer_name: String,
    pub buyer_uscc: Option<String>,
    pub contract_amount_fen: i64,
    pub tech_amount_fen: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub tech_field: Option<String>,
    pub chain_code: Option<String>,
    /// A historical registration number kept as it was (an imported registration); None: the
    /// next serial of the year. A number of this city and year moves the year's serial past it.
    pub registration_no: Option<String>,
}

fn division_of(uscc: Option<&str>) -> Option<String> {
    uscc.and_then(|u| u.get(2..8)).map(str::to_string)
}

/// Enters a contract in the register: the next serial of its year (one counter row per year,
/// the upsert locks it, so concurrent registrations queue), the carrier incubating the seller
/// (else the buyer) on the day, the row, its audit entry, and the running totals — all in the
/// caller's transaction.
pub async fn enter(tx: &mut Tx, ctx: &AuditCtx, n: &NewContract) -> Result<Contract> {
    let now = clock::now_ms();
    let mut carrier_id = None;
    for org in [n.seller_org_id, n.buyer_org_id].into_iter().flatten() {
        if carrier_id.is_none() {
            carrier_id = carrier_of(tx, org, &n.registered_on).await?;
        }
    }
    let (serial, number) = match &n.registration_no {
        None => {
            let serial: i64 = on_tx!(tx, c => sqlx::query_scalar(
                "INSERT INTO contract_serials (year, last_serial) VALUES ($1, 1) \
                 ON CONFLICT (year) DO UPDATE SET last_serial = contract_serials.last_serial + 1 RETURNING last_serial")
                .bind(n.year)
                .fetch_one(c)
                .await)?;
            (
                serial,
                fruition_domain::deal::registration_number(&n.city_code, n.year, serial),
            )
        }
        Some(kept) => {
            let taken: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
                "SELECT id FROM tech_contracts WHERE registration_no = $1")
                .bind(kept)
                .fetch_optional(c)
                .await)?;
            if taken.is_some() {
                return Err(StoreError::Conflict {
                    field: "registration_no".into(),
                });
            }
            let prefix = format!("{}{:04}", n.city_code, n.year);
            let serial = kept
                .strip_prefix(&prefix)
                .filter(|rest| rest.len() == 6)
                .and_then(|rest| rest.parse::<i64>().ok())
                .unwrap_or(0);
            if serial > 0 {
                on_tx!(tx, c => sqlx::query(
                    "INSERT INTO contract_serials (year, last_serial) VALUES ($1, $2) \
                     ON CONFLICT (year) DO UPDATE SET last_serial = CASE WHEN contract_serials.last_serial < excluded.last_serial \
                     THEN excluded.last_serial ELSE contract_serials.last_serial END")
                    .bind(n.year)
                    .bind(serial)
                    .execute(c)
                    .await
                    .map(|r| r.rows_affected()))?;
            }
            (serial, kept.clone())
        }
    };
    let seller_division = division_of(n.seller_uscc.as_deref());
    let buyer_division = division_of(n.buyer_uscc.as_deref());
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO tech_contracts (source, deal_id, submission_id, registration_no, year, serial, registered_on, contract_type, \
         seller_org_id, buyer_org_id, seller_name, buyer_name, seller_uscc, buyer_uscc, seller_division, buyer_division, \
         contract_amount_fen, tech_amount_fen, starts_on, ends_on, chain_code, carrier_id, registered_by, registered_at, updated_at, tech_field) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $24, $25) RETURNING id")
        .bind(n.source.code())
        .bind(n.deal_id)
        .bind(n.submission_id)
        .bind(&number)
        .bind(n.year)
        .bind(serial)
        .bind(&n.registered_on)
        .bind(n.contract_type.code())
        .bind(n.seller_org_id)
        .bind(n.buyer_org_id)
        .bind(&n.seller_name)
        .bind(&n.buyer_name)
        .bind(&n.seller_uscc)
        .bind(&n.buyer_uscc)
        .bind(&seller_division)
        .bind(&buyer_division)
        .bind(n.contract_amount_fen)
        .bind(n.tech_amount_fen)
        .bind(&n.starts_on)
        .bind(&n.ends_on)
        .bind(&n.chain_code)
        .bind(carrier_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .bind(&n.tech_field)
        .fetch_one(c)
        .await)?;
    let keys: [(&str, String); 8] = [
        ("all", String::new()),
        ("type", n.contract_type.code().to_string()),
        ("field", n.tech_field.clone().unwrap_or_default()),
        ("chain", n.chain_code.clone().unwrap_or_default()),
        (
            "carrier",
            carrier_id.map(|c| c.to_string()).unwrap_or_default(),
        ),
        ("seller_place", seller_division.unwrap_or_default()),
        ("buyer_place", buyer_division.unwrap_or_default()),
        ("source", n.source.code().to_string()),
    ];
    for (dimension, code) in keys {
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO contract_totals (year, dimension, code, contracts, contract_amount_fen, tech_amount_fen) \
             VALUES ($1, $2, $3, 1, $4, $5) ON CONFLICT (year, dimension, code) DO UPDATE SET \
             contracts = contract_totals.contracts + 1, \
             contract_amount_fen = contract_totals.contract_amount_fen + excluded.contract_amount_fen, \
             tech_amount_fen = contract_totals.tech_amount_fen + excluded.tech_amount_fen")
            .bind(n.year)
            .bind(dimension)
            .bind(&code)
            .bind(n.contract_amount_fen)
            .bind(n.tech_amount_fen)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    let sql = concat!(contract_select!(), " WHERE k.id = $1");
    let contract = on_tx!(tx, c => sqlx::query_as::<_, Contract>(sql).bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "tech_contract",
            entity_id: contract.id,
            org_id: contract.seller_org_id.or(contract.buyer_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&contract),
        },
    )
    .await?;
    Ok(contract)
}

/// The carrier incubating an organisation's enterprise on a date (an incubation spell open
/// then), if any.
async fn carrier_of(tx: &mut Tx, org_id: i64, on: &str) -> Result<Option<i64>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar::<_, i64>(
        "SELECT i.carrier_id FROM incubations i JOIN enterprises e ON e.id = i.enterprise_id \
         WHERE e.org_id = $1 AND i.entered_on <= $2 AND (i.exited_on IS NULL OR i.exited_on > $2) \
         ORDER BY i.entered_on DESC, i.id DESC LIMIT 1")
        .bind(org_id)
        .bind(on)
        .fetch_optional(c)
        .await)?)
}

/// What the registrar records besides the agreed terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Registration {
    /// The city's GB/T 2260 code, which starts every registration number.
    pub city_code: String,
    /// The day of registration (ISO); its year numbers the contract.
    pub registered_on: String,
    pub year: i64,
    /// The terms the registrar saw; a conflict if the deal's agreed terms are others now.
    pub terms_id: Option<i64>,
}

/// Registers an agreed deal as a technology contract: the next serial of the year, the parties,
/// the accepted terms, the listing's field and the carrier incubating the seller (else the buyer)
/// on the day. A conflict on `status` if the deal is not agreed (or on other terms) any more.
pub async fn register(
    tx: &mut Tx,
    ctx: &AuditCtx,
    deal_id: i64,
    r: &Registration,
) -> Result<(Deal, Contract)> {
    let before = get_in(tx, deal_id).await?;
    let terms_id = before.terms_id.ok_or_else(|| conflict("status"))?;
    if r.terms_id.is_some_and(|t| t != terms_id) {
        return Err(conflict("terms_id"));
    }
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE deals SET status = 'registered', status_reason = NULL, updated_at = $3 \
         WHERE id = $1 AND status = 'agreed' AND terms_id = $2")
        .bind(deal_id)
        .bind(terms_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(conflict("status"));
    }
    let terms = terms_in(tx, terms_id).await?;
    let seller_uscc = org_uscc(tx, before.seller_org_id).await?;
    let buyer_uscc = org_uscc(tx, before.buyer_org_id).await?;
    let contract = enter(
        tx,
        ctx,
        &NewContract {
            source: ContractSource::Market,
            deal_id: Some(deal_id),
            submission_id: None,
            city_code: r.city_code.clone(),
            registered_on: r.registered_on.clone(),
            year: r.year,
            contract_type: terms.contract_type,
            seller_org_id: Some(before.seller_org_id),
            seller_name: before.seller_name.clone(),
            seller_uscc,
            buyer_org_id: Some(before.buyer_org_id),
            buyer_name: before.buyer_name.clone(),
            buyer_uscc,
            contract_amount_fen: terms.contract_amount_k * 100_000,
            tech_amount_fen: terms.tech_amount_k * 100_000,
            starts_on: terms.starts_on.clone(),
            ends_on: terms.ends_on.clone(),
            tech_field: before.listing_tech_field.clone(),
            chain_code: before.listing_chain_code.clone(),
            registration_no: None,
        },
    )
    .await?;
    let after = get_in(tx, deal_id).await?;
    audit_deal(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok((after, contract))
}

/// Records what became of a registered contract, on a date, with a reason; a conflict on
/// `status` if an outcome was recorded already.
pub async fn record_outcome(
    tx: &mut Tx,
    ctx: &AuditCtx,
    deal_id: i64,
    outcome: ContractOutcome,
    on: &str,
    reason: Option<&str>,
) -> Result<(Deal, Contract)> {
    let before = get_in(tx, deal_id).await?;
    let contract_before = contract_of_in(tx, deal_id).await?;
    let now = clock::now_ms();
    let to = match outcome {
        ContractOutcome::Fulfilled => DealStatus::Fulfilled,
        ContractOutcome::Terminated => DealStatus::Terminated,
    };
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE deals SET status = $2, status_reason = $3, updated_at = $4 WHERE id = $1 AND status = 'registered'")
        .bind(deal_id)
        .bind(to.code())
        .bind(reason)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(conflict("status"));
    }
    on_tx!(tx, c => sqlx::query(
        "UPDATE tech_contracts SET outcome = $2, outcome_on = $3, outcome_reason = $4, outcome_by = $5, updated_at = $6 WHERE deal_id = $1")
        .bind(deal_id)
        .bind(outcome.code())
        .bind(on)
        .bind(reason)
        .bind(ctx.actor_user_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let contract = contract_of_in(tx, deal_id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "tech_contract",
            entity_id: contract.id,
            org_id: contract.seller_org_id.or(contract.buyer_org_id),
            action: AuditAction::Update,
            before: Some(&contract_before),
            after: Some(&contract),
        },
    )
    .await?;
    let after = get_in(tx, deal_id).await?;
    audit_deal(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok((after, contract))
}

/// The register's running totals: one row per year, dimension (all, type, field — the technical
/// field —, chain, carrier, seller_place, buyer_place, source) and code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ContractTotal {
    pub year: i64,
    pub dimension: String,
    pub code: String,
    pub contracts: i64,
    pub contract_amount_fen: i64,
    pub tech_amount_fen: i64,
}

/// Every running total (a few rows per year and dimension).
pub async fn contract_totals(db: &Db) -> Result<Vec<ContractTotal>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, ContractTotal>(
        "SELECT year, dimension, code, contracts, contract_amount_fen, tech_amount_fen FROM contract_totals ORDER BY year, dimension, code")
        .fetch_all(p)
        .await)?)
}

/// The totals computed from the register itself, grouped by year and one dimension: what the
/// running totals must equal (a test and the benchmark's baseline compare them).
pub async fn contract_totals_recomputed(db: &Db) -> Result<Vec<ContractTotal>> {
    let sum = "COUNT(*) AS contracts, CAST(SUM(contract_amount_fen) AS BIGINT) AS contract_amount_fen, CAST(SUM(tech_amount_fen) AS BIGINT) AS tech_amount_fen FROM tech_contracts";
    let sql = format!(
        "SELECT year, 'all' AS dimension, '' AS code, {sum} GROUP BY year \
         UNION ALL SELECT year, 'type', contract_type, {sum} GROUP BY year, contract_type \
         UNION ALL SELECT year, 'field', COALESCE(tech_field, ''), {sum} GROUP BY year, COALESCE(tech_field, '') \
         UNION ALL SELECT year, 'chain', COALESCE(chain_code, ''), {sum} GROUP BY year, COALESCE(chain_code, '') \
         UNION ALL SELECT year, 'carrier', COALESCE(CAST(carrier_id AS TEXT), ''), {sum} GROUP BY year, COALESCE(CAST(carrier_id AS TEXT), '') \
         UNION ALL SELECT year, 'seller_place', COALESCE(seller_division, ''), {sum} GROUP BY year, COALESCE(seller_division, '') \
         UNION ALL SELECT year, 'buyer_place', COALESCE(buyer_division, ''), {sum} GROUP BY year, COALESCE(buyer_division, '') \
         UNION ALL SELECT year, 'source', source, {sum} GROUP BY year, source \
         ORDER BY 1, 2, 3"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ContractTotal>(sqlx::AssertSqlSafe(sql.clone())).fetch_all(p).await)?,
    )
}

/// The names of carriers by id.
pub async fn carrier_names(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, (i64, String)>("SELECT id, name FROM carriers").fetch_all(p).await)?,
    )
}

async fn org_uscc(tx: &mut Tx, org_id: i64) -> Result<Option<String>> {
    Ok(on_tx!(tx, c => sqlx::query_scalar::<_, Option<String>>(
        "SELECT uscc FROM organisations WHERE id = $1")
        .bind(org_id)
        .fetch_one(c)
        .await)?)
}
