//! Pilot lines, instruments and testing services: resources, maintenance blocks, bookings and the
//! slots they hold.
//!
//! A booking or a block writes one `resource_slots` row per local hour it holds; the table's key
//! (resource, slot) makes the database refuse a second hold of an hour, whichever app server
//! asks and however many ask at once. Giving a booking up (declined, cancelled) deletes its rows.
//! Status changes are conditional updates (`… WHERE status IN (…)`), so of two people acting on a
//! booking at once only one succeeds.

use fruition_domain::audit::AuditAction;
use fruition_domain::pilot::{BookingStatus, ResourceKind, ResourceSpec, Rules, Unit};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A resource with its owner's name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Resource {
    pub id: i64,
    pub owner_org_id: i64,
    pub owner_name: String,
    #[sqlx(try_from = "String")]
    pub kind: ResourceKind,
    pub name: String,
    pub capabilities: String,
    pub place: String,
    #[sqlx(try_from = "String")]
    pub unit: Unit,
    pub batch_hours: i64,
    pub price_fen: i64,
    pub incubatee_discount_pct: i64,
    pub discount_carrier_id: Option<i64>,
    pub discount_carrier_name: Option<String>,
    pub open_days: i64,
    pub open_from: i64,
    pub open_to: i64,
    pub cancel_hours: i64,
    pub horizon_days: i64,
    pub safety_notes: Option<String>,
    pub prepay_if_overdue: bool,
    pub listing_id: Option<i64>,
    pub active: bool,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Resource {
    pub fn rules(&self) -> Rules {
        Rules {
            unit: self.unit,
            batch_hours: self.batch_hours,
            open_days: self.open_days,
            open_from: self.open_from,
            open_to: self.open_to,
            cancel_hours: self.cancel_hours,
            horizon_days: self.horizon_days,
        }
    }
}

macro_rules! resource_select {
    () => {
        "SELECT r.id, r.owner_org_id, o.name AS owner_name, r.kind, r.name, r.capabilities, r.place, r.unit, r.batch_hours, \
         r.price_fen, r.incubatee_discount_pct, r.discount_carrier_id, c.name AS discount_carrier_name, r.open_days, r.open_from, \
         r.open_to, r.cancel_hours, r.horizon_days, r.safety_notes, r.prepay_if_overdue, r.listing_id, r.active, r.created_at, r.updated_at \
         FROM resources r JOIN organisations o ON o.id = r.owner_org_id LEFT JOIN carriers c ON c.id = r.discount_carrier_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Resource>> {
    let sql = concat!(resource_select!(), " WHERE r.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Resource>(sql).bind(id).fetch_optional(p).await)?)
}

async fn get_in(tx: &mut Tx, id: i64) -> Result<Resource> {
    let sql = concat!(resource_select!(), " WHERE r.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Resource>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// The active resources that a market listing presents: (id, name).
pub async fn for_listing(db: &Db, listing_id: i64) -> Result<Vec<(i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, String)>(
        "SELECT id, name FROM resources WHERE listing_id = $1 AND active ORDER BY id")
        .bind(listing_id)
        .fetch_all(p)
        .await)?)
}

/// Which resources to list.
#[derive(Debug, Clone, Default)]
pub struct ResourceFilter {
    pub owner_org_id: Option<i64>,
    pub kind: Option<ResourceKind>,
    /// Words in the name, capabilities or place.
    pub text: Option<String>,
    /// Include withdrawn ones (the owner's own list).
    pub include_inactive: bool,
    pub limit: i64,
    pub offset: i64,
}

pub async fn list(db: &Db, f: &ResourceFilter) -> Result<Vec<Resource>> {
    let sql = concat!(
        resource_select!(),
        " WHERE ($1 IS NULL OR r.owner_org_id = $1) AND ($2 IS NULL OR r.kind = $2) \
         AND ($3 IS NULL OR r.name LIKE $3 OR r.capabilities LIKE $3 OR r.place LIKE $3 OR o.name LIKE $3) \
         AND (r.active OR $4) ORDER BY r.id LIMIT $5 OFFSET $6"
    );
    let text = f
        .text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")));
    Ok(on_db!(db, p => sqlx::query_as::<_, Resource>(sql)
        .bind(f.owner_org_id)
        .bind(f.kind.map(|k| k.code()))
        .bind(text)
        .bind(f.include_inactive)
        .bind(if f.limit > 0 { f.limit } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?)
}

async fn audit_resource(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Resource>,
    after: &Resource,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "resource",
            entity_id: after.id,
            org_id: Some(after.owner_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

pub async fn create(
    tx: &mut Tx,
    ctx: &AuditCtx,
    owner_org_id: i64,
    s: &ResourceSpec,
) -> Result<Resource> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO resources (owner_org_id, kind, name, capabilities, place, unit, batch_hours, price_fen, incubatee_discount_pct, \
         discount_carrier_id, open_days, open_from, open_to, cancel_hours, safety_notes, prepay_if_overdue, listing_id, created_by, created_at, updated_at, horizon_days) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $19, $20) RETURNING id")
        .bind(owner_org_id)
        .bind(s.kind.code())
        .bind(&s.name)
        .bind(&s.capabilities)
        .bind(&s.place)
        .bind(s.rules.unit.code())
        .bind(s.rules.batch_hours)
        .bind(s.price_fen)
        .bind(s.incubatee_discount_pct)
        .bind(s.discount_carrier_id)
        .bind(s.rules.open_days)
        .bind(s.rules.open_from)
        .bind(s.rules.open_to)
        .bind(s.rules.cancel_hours)
        .bind(&s.safety_notes)
        .bind(s.prepay_if_overdue)
        .bind(s.listing_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .bind(s.rules.horizon_days)
        .fetch_one(c)
        .await)?;
    let r = get_in(tx, id).await?;
    audit_resource(tx, ctx, AuditAction::Create, None, &r).await?;
    Ok(r)
}

/// Replaces a resource's description and rules. Bookings keep the price and times they were
/// made with.
pub async fn update(tx: &mut Tx, ctx: &AuditCtx, id: i64, s: &ResourceSpec) -> Result<Resource> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE resources SET kind = $2, name = $3, capabilities = $4, place = $5, unit = $6, batch_hours = $7, price_fen = $8, \
         incubatee_discount_pct = $9, discount_carrier_id = $10, open_days = $11, open_from = $12, open_to = $13, cancel_hours = $14, \
         safety_notes = $15, prepay_if_overdue = $16, listing_id = $17, updated_at = $18, horizon_days = $19 WHERE id = $1")
        .bind(id)
        .bind(s.kind.code())
        .bind(&s.name)
        .bind(&s.capabilities)
        .bind(&s.place)
        .bind(s.rules.unit.code())
        .bind(s.rules.batch_hours)
        .bind(s.price_fen)
        .bind(s.incubatee_discount_pct)
        .bind(s.discount_carrier_id)
        .bind(s.rules.open_days)
        .bind(s.rules.open_from)
        .bind(s.rules.open_to)
        .bind(s.rules.cancel_hours)
        .bind(&s.safety_notes)
        .bind(s.prepay_if_overdue)
        .bind(s.listing_id)
        .bind(clock::now_ms())
        .bind(s.rules.horizon_days)
        .execute(c)
        .await
        .map(|_| ()))?;
    let after = get_in(tx, id).await?;
    audit_resource(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// Withdraws a resource from booking (existing bookings stand) or offers it again.
pub async fn set_active(tx: &mut Tx, ctx: &AuditCtx, id: i64, active: bool) -> Result<Resource> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query("UPDATE resources SET active = $2, updated_at = $3 WHERE id = $1")
        .bind(id)
        .bind(active)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|_| ()))?;
    let after = get_in(tx, id).await?;
    audit_resource(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// Holds the slots `[start, end)` of a resource for a booking or a block: one statement, one row
/// per hour. Any hour already held makes the whole statement fail with a conflict on `slot`.
async fn hold(
    tx: &mut Tx,
    resource_id: i64,
    start: i64,
    end: i64,
    booking_id: Option<i64>,
    block_id: Option<i64>,
) -> Result<()> {
    let r = on_tx!(tx, c => sqlx::query(
        "WITH RECURSIVE s(x) AS (SELECT CAST($3 AS BIGINT) UNION ALL SELECT x + 1 FROM s WHERE x + 1 < $4) \
         INSERT INTO resource_slots (resource_id, slot, booking_id, block_id) SELECT $1, x, $2, $5 FROM s")
        .bind(resource_id)
        .bind(booking_id)
        .bind(start)
        .bind(end)
        .bind(block_id)
        .execute(c)
        .await
        .map(|_| ()));
    match r {
        Ok(_) => Ok(()),
        Err(e) => match StoreError::from(e) {
            StoreError::Conflict { .. } => Err(StoreError::Conflict {
                field: "slot".into(),
            }),
            other => Err(other),
        },
    }
}

/// What holds the first held hour of `[start, end)`, if anything: a booking's or a block's id.
pub async fn first_holder(
    db: &Db,
    resource_id: i64,
    start: i64,
    end: i64,
) -> Result<Option<(i64, Option<i64>, Option<i64>)>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, (i64, Option<i64>, Option<i64>)>(
        "SELECT slot, booking_id, block_id FROM resource_slots WHERE resource_id = $1 AND slot >= $2 AND slot < $3 ORDER BY slot LIMIT 1")
        .bind(resource_id)
        .bind(start)
        .bind(end)
        .fetch_optional(p)
        .await)?,
    )
}

/// A time the owner closed the resource.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Block {
    pub id: i64,
    pub resource_id: i64,
    pub start_slot: i64,
    pub end_slot: i64,
    pub reason: String,
    pub created_at: i64,
}

const BLOCK_SELECT: &str =
    "SELECT id, resource_id, start_slot, end_slot, reason, created_at FROM maintenance_blocks";

/// Closes `[start, end)` for maintenance; refused (conflict on `slot`) over a held hour.
pub async fn add_block(
    tx: &mut Tx,
    ctx: &AuditCtx,
    r: &Resource,
    start: i64,
    end: i64,
    reason: &str,
) -> Result<Block> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO maintenance_blocks (resource_id, start_slot, end_slot, reason, created_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id")
        .bind(r.id)
        .bind(start)
        .bind(end)
        .bind(reason)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    hold(tx, r.id, start, end, None, Some(id)).await?;
    let b = block_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "maintenance_block",
            entity_id: id,
            org_id: Some(r.owner_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&b),
        },
    )
    .await?;
    Ok(b)
}

async fn block_in(tx: &mut Tx, id: i64) -> Result<Block> {
    let sql = format!("{BLOCK_SELECT} WHERE id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Block>(sqlx::AssertSqlSafe(sql)).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

pub async fn block(db: &Db, id: i64) -> Result<Option<Block>> {
    let sql = format!("{BLOCK_SELECT} WHERE id = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Block>(sqlx::AssertSqlSafe(sql.as_str())).bind(id).fetch_optional(p).await)?,
    )
}

/// Opens the time of a block again.
pub async fn remove_block(tx: &mut Tx, ctx: &AuditCtx, r: &Resource, id: i64) -> Result<()> {
    let b = block_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query("DELETE FROM resource_slots WHERE block_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    on_tx!(tx, c => sqlx::query("DELETE FROM maintenance_blocks WHERE id = $1").bind(id).execute(c).await.map(|_| ()))?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "maintenance_block",
            entity_id: id,
            org_id: Some(r.owner_org_id),
            action: AuditAction::Delete,
            before: Some(&b),
            after: None::<&Block>,
        },
    )
    .await
}

/// A booking with the names a page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Booking {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    #[sqlx(try_from = "String")]
    pub resource_kind: ResourceKind,
    #[sqlx(try_from = "String")]
    pub unit: Unit,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub booker_org_id: i64,
    pub booker_name: String,
    #[sqlx(try_from = "String")]
    pub status: BookingStatus,
    pub start_slot: i64,
    pub end_slot: i64,
    pub units: i64,
    pub unit_price_fen: i64,
    pub incubatee: bool,
    pub prepayment: bool,
    pub purpose: String,
    pub safety_accepted_at: Option<i64>,
    pub status_reason: Option<String>,
    pub used_units: Option<i64>,
    pub use_note: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! booking_select {
    () => {
        "SELECT b.id, b.resource_id, r.name AS resource_name, r.kind AS resource_kind, r.unit, b.owner_org_id, o.name AS owner_name, \
         b.booker_org_id, k.name AS booker_name, b.status, b.start_slot, b.end_slot, b.units, b.unit_price_fen, b.incubatee, b.prepayment, \
         b.purpose, b.safety_accepted_at, b.status_reason, b.used_units, b.use_note, b.created_by, b.created_at, b.updated_at \
         FROM bookings b JOIN resources r ON r.id = b.resource_id JOIN organisations o ON o.id = b.owner_org_id \
         JOIN organisations k ON k.id = b.booker_org_id"
    };
}

pub async fn booking(db: &Db, id: i64) -> Result<Option<Booking>> {
    let sql = concat!(booking_select!(), " WHERE b.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Booking>(sql).bind(id).fetch_optional(p).await)?)
}

pub(crate) async fn booking_in(tx: &mut Tx, id: i64) -> Result<Booking> {
    let sql = concat!(booking_select!(), " WHERE b.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Booking>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// Which bookings to list; every part optional.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub resource_id: Option<i64>,
    pub owner_org_id: Option<i64>,
    pub booker_org_id: Option<i64>,
    pub status: Option<BookingStatus>,
    pub limit: i64,
    pub offset: i64,
}

/// Bookings, the most recently changed first.
pub async fn bookings(db: &Db, f: &BookingFilter) -> Result<Vec<Booking>> {
    let sql = concat!(
        booking_select!(),
        " WHERE ($1 IS NULL OR b.resource_id = $1) AND ($2 IS NULL OR b.owner_org_id = $2) AND ($3 IS NULL OR b.booker_org_id = $3) \
         AND ($4 IS NULL OR b.status = $4) ORDER BY b.updated_at DESC, b.id DESC LIMIT $5 OFFSET $6"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Booking>(sql)
        .bind(f.resource_id)
        .bind(f.owner_org_id)
        .bind(f.booker_org_id)
        .bind(f.status.map(|s| s.code()))
        .bind(if f.limit > 0 { f.limit } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?)
}

async fn audit_booking(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Booking>,
    after: &Booking,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "booking",
            entity_id: after.id,
            org_id: Some(after.owner_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A booking request as checked by the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBooking {
    pub resource_id: i64,
    pub owner_org_id: i64,
    pub booker_org_id: i64,
    pub start_slot: i64,
    pub end_slot: i64,
    pub units: i64,
    pub unit_price_fen: i64,
    pub incubatee: bool,
    pub prepayment: bool,
    pub purpose: String,
    pub safety_accepted: bool,
}

/// Writes a request and holds its slots. A slot already held (by another booking or a
/// maintenance block) fails the whole request with a conflict on `slot`, and nothing is written.
pub async fn request(tx: &mut Tx, ctx: &AuditCtx, b: &NewBooking) -> Result<Booking> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO bookings (resource_id, owner_org_id, booker_org_id, status, start_slot, end_slot, units, unit_price_fen, incubatee, \
         prepayment, purpose, safety_accepted_at, created_by, created_at, updated_at) \
         VALUES ($1, $2, $3, 'requested', $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id")
        .bind(b.resource_id)
        .bind(b.owner_org_id)
        .bind(b.booker_org_id)
        .bind(b.start_slot)
        .bind(b.end_slot)
        .bind(b.units)
        .bind(b.unit_price_fen)
        .bind(b.incubatee)
        .bind(b.prepayment)
        .bind(&b.purpose)
        .bind(b.safety_accepted.then_some(now))
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    hold(tx, b.resource_id, b.start_slot, b.end_slot, Some(id), None).await?;
    let booking = booking_in(tx, id).await?;
    audit_booking(tx, ctx, AuditAction::Create, None, &booking).await?;
    Ok(booking)
}

/// Moves a booking from one of `from` to `to` with an optional reason; a conflict on `status`
/// when it is no longer in one of `from`. A status that gives up slots deletes them.
pub async fn set_status(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: &[BookingStatus],
    to: BookingStatus,
    reason: Option<&str>,
) -> Result<Booking> {
    let before = booking_in(tx, id).await?;
    if !from.contains(&before.status) {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE bookings SET status = $3, status_reason = COALESCE($4, status_reason), updated_at = $5 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(before.status.code())
        .bind(to.code())
        .bind(reason)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    if !to.holds_slots() {
        on_tx!(tx, c => sqlx::query("DELETE FROM resource_slots WHERE booking_id = $1").bind(id).execute(c).await.map(|_| ()))?;
    }
    let after = booking_in(tx, id).await?;
    audit_booking(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// Records the units actually used and moves the booking to `to` (used, or billed for a
/// prepaid booking); a conflict on `status` unless it is confirmed.
pub async fn record_use(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    to: BookingStatus,
    used_units: i64,
    note: Option<&str>,
) -> Result<Booking> {
    let before = booking_in(tx, id).await?;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE bookings SET status = $2, used_units = $3, use_note = $4, updated_at = $5 WHERE id = $1 AND status = 'confirmed'")
        .bind(id)
        .bind(to.code())
        .bind(used_units)
        .bind(note)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = booking_in(tx, id).await?;
    audit_booking(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// One thing on a resource's calendar: a booking (the booker's name only for those allowed to
/// see it) or a maintenance block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CalendarEntry {
    pub start_slot: i64,
    pub end_slot: i64,
    /// `booking` or `maintenance`.
    pub what: String,
    pub id: i64,
    /// A booking's status; the block's reason for maintenance.
    pub status: String,
    pub booker_org_id: Option<i64>,
    pub booker_name: Option<String>,
}

/// What holds a resource's time in `[from, to)`: bookings that hold slots and maintenance
/// blocks, in time order. Two range scans on `(resource_id, start_slot)`.
pub async fn calendar(db: &Db, resource_id: i64, from: i64, to: i64) -> Result<Vec<CalendarEntry>> {
    // A booking or block lasts at most MAX_SPAN: look back that far for ones that began before
    // `from` and run into it, so the scan stays a bounded range.
    let lookback = from - fruition_domain::pilot::MAX_SPAN;
    Ok(on_db!(db, p => sqlx::query_as::<_, CalendarEntry>(
        "SELECT b.start_slot, b.end_slot, 'booking' AS what, b.id, b.status, b.booker_org_id, o.name AS booker_name \
         FROM bookings b JOIN organisations o ON o.id = b.booker_org_id \
         WHERE b.resource_id = $1 AND b.start_slot < $3 AND b.start_slot >= $4 AND b.end_slot > $2 \
         AND b.status NOT IN ('declined', 'cancelled') \
         UNION ALL SELECT m.start_slot, m.end_slot, 'maintenance', m.id, m.reason, NULL, NULL FROM maintenance_blocks m \
         WHERE m.resource_id = $1 AND m.start_slot < $3 AND m.start_slot >= $4 AND m.end_slot > $2 \
         ORDER BY 1, 4")
        .bind(resource_id)
        .bind(from)
        .bind(to)
        .bind(lookback)
        .fetch_all(p)
        .await)?)
}

/// Whether an enterprise organisation is incubated by `carrier_id` on `date` (YYYY-MM-DD).
pub async fn is_incubatee(db: &Db, org_id: i64, carrier_id: i64, date: &str) -> Result<bool> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM incubations i JOIN enterprises e ON e.id = i.enterprise_id \
         WHERE e.org_id = $1 AND i.carrier_id = $2 AND i.entered_on <= $3 AND (i.exited_on IS NULL OR i.exited_on >= $3)")
        .bind(org_id)
        .bind(carrier_id)
        .bind(date)
        .fetch_one(p)
        .await)?
        > 0)
}

/// One resource's year: bookings that started in the year and were used, the units used, the
/// enterprises served, and its bills of the year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ResourceYear {
    pub resource_id: i64,
    pub resource_name: String,
    pub kind: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub bookings: i64,
    pub used_units: i64,
    pub users: i64,
    pub billed_fen: i64,
    pub paid_fen: i64,
    pub voucher_fen: i64,
}

/// Every resource's figures for `year` (local calendar year), resources without use included.
pub async fn year_use(db: &Db, year: i64) -> Result<Vec<ResourceYear>> {
    let from = fruition_domain::date::IsoDate::new(year as u16, 1, 1)
        .map(fruition_domain::pilot::slot_of_date)
        .unwrap_or(0);
    let to = fruition_domain::date::IsoDate::new(year as u16 + 1, 1, 1)
        .map(fruition_domain::pilot::slot_of_date)
        .unwrap_or(0);
    Ok(on_db!(db, p => sqlx::query_as::<_, ResourceYear>(
        "SELECT r.id AS resource_id, r.name AS resource_name, r.kind, r.owner_org_id, o.name AS owner_name, \
         COALESCE(u.bookings, 0) AS bookings, COALESCE(u.used_units, 0) AS used_units, COALESCE(u.users, 0) AS users, \
         COALESCE(m.billed, 0) AS billed_fen, COALESCE(m.paid, 0) AS paid_fen, COALESCE(m.vouchers, 0) AS voucher_fen \
         FROM resources r JOIN organisations o ON o.id = r.owner_org_id \
         LEFT JOIN (SELECT resource_id, COUNT(*) AS bookings, CAST(COALESCE(SUM(used_units), 0) AS BIGINT) AS used_units, COUNT(DISTINCT booker_org_id) AS users \
                    FROM bookings WHERE status IN ('used', 'billed') AND start_slot >= $2 AND start_slot < $3 GROUP BY resource_id) u \
                ON u.resource_id = r.id \
         LEFT JOIN (SELECT resource_id, CAST(SUM(amount_fen) AS BIGINT) AS billed, CAST(SUM(paid_fen) AS BIGINT) AS paid, CAST(SUM(voucher_fen) AS BIGINT) AS vouchers \
                    FROM bills WHERE year = $1 AND kind = 'after_use' GROUP BY resource_id) m ON m.resource_id = r.id \
         ORDER BY o.name, r.name, r.id")
        .bind(year)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await)?)
}
