//! Bills for used (or prepaid) bookings and for completed service requests, and their payments.
//!
//! A payment is one conditional update of the bill (`… WHERE paid + vouchers + this <= amount`),
//! so concurrent payments can never together pay more than the bill; a voucher's part is spent
//! from the voucher in the same transaction (`vouchers::spend`).

use fruition_domain::audit::AuditAction;
use fruition_domain::billing::{Balance, BillKind, BillSubject};
use fruition_domain::date::IsoDate;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Bill {
    pub id: i64,
    /// A bill is for a booking of a resource, or for a service request.
    pub booking_id: Option<i64>,
    pub resource_id: Option<i64>,
    pub service_request_id: Option<i64>,
    /// The resource's name, or the service's title.
    pub subject_name: String,
    #[sqlx(try_from = "String")]
    pub subject: BillSubject,
    pub vouchers_accepted: bool,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub payer_org_id: i64,
    pub payer_name: String,
    #[sqlx(try_from = "String")]
    pub kind: BillKind,
    pub units: i64,
    pub unit_price_fen: i64,
    pub extra_fen: i64,
    pub extra_note: Option<String>,
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub voucher_fen: i64,
    pub issued_on: String,
    pub due_on: String,
    pub year: i64,
    pub created_at: i64,
    pub updated_at: i64,
    /// When the billed booking was made (its number is YY + that year + id).
    pub booking_at: Option<i64>,
}

impl Bill {
    /// The number people read: `ZS2026-000123`.
    pub fn number(&self) -> String {
        fruition_domain::numbers::Numbered::Bill.number(self.year, self.id)
    }

    pub fn balance(&self) -> Balance {
        Balance {
            amount_fen: self.amount_fen,
            paid_fen: self.paid_fen,
            voucher_fen: self.voucher_fen,
        }
    }

    pub fn outstanding(&self) -> i64 {
        self.balance().outstanding()
    }

    pub fn is_overdue(&self, today: IsoDate) -> bool {
        IsoDate::parse(&self.due_on)
            .map(|due| fruition_domain::billing::is_overdue(self.outstanding(), due, today))
            .unwrap_or(false)
    }
}

macro_rules! bill_select {
    () => {
        "SELECT b.id, b.booking_id, b.resource_id, b.service_request_id, COALESCE(r.name, s.title, sr.need) AS subject_name, \
         b.resource_kind AS subject, b.vouchers_accepted, b.owner_org_id, o.name AS owner_name, \
         b.payer_org_id, p.name AS payer_name, b.kind, b.units, b.unit_price_fen, b.extra_fen, b.extra_note, b.amount_fen, b.paid_fen, \
         b.voucher_fen, b.issued_on, b.due_on, b.year, b.created_at, b.updated_at, bk.created_at AS booking_at \
         FROM bills b LEFT JOIN resources r ON r.id = b.resource_id LEFT JOIN bookings bk ON bk.id = b.booking_id \
         LEFT JOIN service_requests sr ON sr.id = b.service_request_id LEFT JOIN services s ON s.id = sr.service_id \
         JOIN organisations o ON o.id = b.owner_org_id JOIN organisations p ON p.id = b.payer_org_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Bill>> {
    let sql = concat!(bill_select!(), " WHERE b.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Bill>(sql).bind(id).fetch_optional(p).await)?)
}

pub async fn for_booking(db: &Db, booking_id: i64) -> Result<Option<Bill>> {
    let sql = concat!(bill_select!(), " WHERE b.booking_id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Bill>(sql).bind(booking_id).fetch_optional(p).await)?)
}

pub(crate) async fn get_in(tx: &mut Tx, id: i64) -> Result<Bill> {
    let sql = concat!(bill_select!(), " WHERE b.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Bill>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// A service request's bill, if it was charged.
pub async fn for_service_request(db: &Db, request_id: i64) -> Result<Option<Bill>> {
    let sql = concat!(bill_select!(), " WHERE b.service_request_id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Bill>(sql).bind(request_id).fetch_optional(p).await)?)
}

pub async fn for_booking_in(tx: &mut Tx, booking_id: i64) -> Result<Option<Bill>> {
    let sql = concat!(bill_select!(), " WHERE b.booking_id = $1");
    Ok(on_tx!(tx, c => sqlx::query_as::<_, Bill>(sql).bind(booking_id).fetch_optional(c).await)?)
}

/// Which bills to list.
#[derive(Debug, Clone, Default)]
pub struct BillFilter {
    pub owner_org_id: Option<i64>,
    pub payer_org_id: Option<i64>,
    /// Only bills still owed after their due date, as of this day.
    pub overdue_on: Option<IsoDate>,
    /// Only bills with money still owed.
    pub open_only: bool,
    pub year: Option<i64>,
    pub limit: i64,
    pub offset: i64,
}

/// Bills, the latest issued first.
pub async fn list(db: &Db, f: &BillFilter) -> Result<Vec<Bill>> {
    let sql = concat!(
        bill_select!(),
        " WHERE ($1 IS NULL OR b.owner_org_id = $1) AND ($2 IS NULL OR b.payer_org_id = $2) \
         AND ($3 IS NULL OR (b.due_on < $3 AND b.amount_fen > b.paid_fen + b.voucher_fen)) \
         AND ($4 = FALSE OR b.amount_fen <> b.paid_fen + b.voucher_fen) AND ($5 IS NULL OR b.year = $5) \
         ORDER BY b.issued_on DESC, b.id DESC LIMIT $6 OFFSET $7"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, Bill>(sql)
        .bind(f.owner_org_id)
        .bind(f.payer_org_id)
        .bind(f.overdue_on.map(|d| d.to_string()))
        .bind(f.open_only)
        .bind(f.year)
        .bind(if f.limit > 0 { f.limit } else { 100 })
        .bind(f.offset.max(0))
        .fetch_all(p)
        .await)?)
}

/// Whether an organisation owes money on any bill after its due date.
pub async fn has_overdue(db: &Db, payer_org_id: i64, today: IsoDate) -> Result<bool> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        "SELECT COUNT(*) FROM bills WHERE payer_org_id = $1 AND due_on < $2 AND amount_fen > paid_fen + voucher_fen")
        .bind(payer_org_id)
        .bind(today.to_string())
        .fetch_one(p)
        .await)?
        > 0)
}

async fn audit_bill(
    tx: &mut Tx,
    ctx: &AuditCtx,
    action: AuditAction,
    before: Option<&Bill>,
    after: &Bill,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "bill",
            entity_id: after.id,
            org_id: Some(after.owner_org_id),
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// A bill to issue for a booking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewBill {
    pub booking_id: i64,
    pub kind: BillKind,
    pub units: i64,
    pub unit_price_fen: i64,
    pub extra_fen: i64,
    pub extra_note: Option<String>,
    pub issued_on: IsoDate,
    pub due_on: IsoDate,
}

/// Issues a booking's bill; a second bill for the same booking is refused (conflict on `booking_id`).
pub async fn issue(tx: &mut Tx, ctx: &AuditCtx, b: &NewBill) -> Result<Bill> {
    let now = clock::now_ms();
    let amount = b.units * b.unit_price_fen + b.extra_fen;
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO bills (booking_id, resource_id, resource_kind, owner_org_id, payer_org_id, kind, units, unit_price_fen, extra_fen, \
         extra_note, amount_fen, issued_on, due_on, year, issued_by, created_at, updated_at) \
         SELECT k.id, k.resource_id, r.kind, k.owner_org_id, k.booker_org_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12 \
         FROM bookings k JOIN resources r ON r.id = k.resource_id WHERE k.id = $1 RETURNING id")
        .bind(b.booking_id)
        .bind(b.kind.code())
        .bind(b.units)
        .bind(b.unit_price_fen)
        .bind(b.extra_fen)
        .bind(&b.extra_note)
        .bind(amount)
        .bind(b.issued_on.to_string())
        .bind(b.due_on.to_string())
        .bind(i64::from(b.issued_on.year()))
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let bill = get_in(tx, id).await?;
    audit_bill(tx, ctx, AuditAction::Create, None, &bill).await?;
    Ok(bill)
}

/// A bill to issue for a completed service request: the charge, after use.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewServiceBill {
    pub request_id: i64,
    pub amount_fen: i64,
    pub vouchers_accepted: bool,
    pub issued_on: IsoDate,
    pub due_on: IsoDate,
}

/// Issues a service request's bill (the provider's, to the requester); a second bill for the same
/// request is refused (conflict on `service_request_id`).
pub async fn issue_for_service(tx: &mut Tx, ctx: &AuditCtx, b: &NewServiceBill) -> Result<Bill> {
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO bills (service_request_id, resource_kind, owner_org_id, payer_org_id, kind, units, unit_price_fen, extra_fen, \
         amount_fen, vouchers_accepted, issued_on, due_on, year, issued_by, created_at, updated_at) \
         SELECT sr.id, 'service', sr.provider_org_id, sr.requester_org_id, 'after_use', 1, $2, 0, $2, $3, $4, $5, $6, $7, $8, $8 \
         FROM service_requests sr WHERE sr.id = $1 RETURNING id")
        .bind(b.request_id)
        .bind(b.amount_fen)
        .bind(b.vouchers_accepted)
        .bind(b.issued_on.to_string())
        .bind(b.due_on.to_string())
        .bind(i64::from(b.issued_on.year()))
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let bill = get_in(tx, id).await?;
    audit_bill(tx, ctx, AuditAction::Create, None, &bill).await?;
    Ok(bill)
}

/// Settles a prepaid bill at the units used: its amount becomes what was used (the booker then
/// owes the difference or is owed a refund) and it counts as a bill after use.
pub async fn settle(
    tx: &mut Tx,
    ctx: &AuditCtx,
    bill_id: i64,
    units: i64,
    extra_fen: i64,
    extra_note: Option<&str>,
) -> Result<Bill> {
    let before = get_in(tx, bill_id).await?;
    let amount = units * before.unit_price_fen + extra_fen;
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE bills SET kind = 'after_use', units = $2, extra_fen = $3, extra_note = $4, amount_fen = $5, updated_at = $6 \
         WHERE id = $1 AND kind = 'prepayment' AND voucher_fen <= $5")
        .bind(bill_id)
        .bind(units)
        .bind(extra_fen)
        .bind(extra_note)
        .bind(amount)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = get_in(tx, bill_id).await?;
    audit_bill(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok(after)
}

/// A recorded payment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub bill_id: i64,
    pub cash_fen: i64,
    pub voucher_id: Option<i64>,
    pub voucher_fen: i64,
    pub reference: Option<String>,
    pub paid_on: String,
    pub org_id: i64,
    pub org_name: String,
    pub recorded_by: Option<i64>,
    pub created_at: i64,
    /// The paying voucher's year (its number is CXQ + year + id).
    pub voucher_year: Option<i64>,
}

macro_rules! payment_select {
    () => {
        "SELECT p.id, p.bill_id, p.cash_fen, p.voucher_id, p.voucher_fen, p.reference, p.paid_on, p.org_id, o.name AS org_name, \
         p.recorded_by, p.created_at, v.year AS voucher_year FROM bill_payments p JOIN organisations o ON o.id = p.org_id \
         LEFT JOIN vouchers v ON v.id = p.voucher_id"
    };
}

pub async fn payments(db: &Db, bill_id: i64) -> Result<Vec<PaymentRow>> {
    let sql = concat!(payment_select!(), " WHERE p.bill_id = $1 ORDER BY p.id");
    Ok(on_db!(db, p => sqlx::query_as::<_, PaymentRow>(sql).bind(bill_id).fetch_all(p).await)?)
}

/// A payment to record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewPayment<'a> {
    pub bill_id: i64,
    /// Who pays (the payer) or records the receipt or refund (the owner).
    pub org_id: i64,
    pub cash_fen: i64,
    /// (voucher id, fen).
    pub voucher: Option<(i64, i64)>,
    /// The most of the bill vouchers may pay, in percent of its amount (the voucher's share;
    /// checked in the bill's conditional update, so racing payments cannot pass it together).
    pub voucher_share_pct: i64,
    pub reference: Option<&'a str>,
    pub paid_on: IsoDate,
}

/// Records a payment of `cash_fen` (negative: a refund) and `voucher_fen` from a voucher by
/// `org_id`. The bill's update is conditional: nothing beyond what is owed, a refund only of what
/// was overpaid; otherwise a conflict on `cash`. The voucher itself is spent by the caller, in
/// the same transaction, with the returned payment's id.
pub async fn pay(tx: &mut Tx, ctx: &AuditCtx, p: &NewPayment<'_>) -> Result<(Bill, PaymentRow)> {
    let NewPayment {
        bill_id,
        org_id,
        cash_fen,
        voucher,
        voucher_share_pct,
        reference,
        paid_on,
    } = *p;
    let before = get_in(tx, bill_id).await?;
    let voucher_fen = voucher.map(|(_, v)| v).unwrap_or(0);
    let now = clock::now_ms();
    // A payment may not pass the amount; a refund may not take back more than was overpaid;
    // vouchers may not pay more than their share of the amount (rounded as `money::percent_of`).
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE bills SET paid_fen = paid_fen + $2, voucher_fen = voucher_fen + $3, updated_at = $4 \
         WHERE id = $1 AND ( ($2 >= 0 AND paid_fen + voucher_fen + $2 + $3 <= amount_fen) \
                          OR ($2 < 0 AND $3 = 0 AND paid_fen + voucher_fen + $2 >= amount_fen) ) \
           AND ($3 = 0 OR voucher_fen + $3 <= (amount_fen * $5 + 50) / 100)")
        .bind(bill_id)
        .bind(cash_fen)
        .bind(voucher_fen)
        .bind(now)
        .bind(voucher_share_pct)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        let now_bill = get_in(tx, bill_id).await?;
        let over_amount = cash_fen >= 0
            && now_bill.paid_fen + now_bill.voucher_fen + cash_fen + voucher_fen
                > now_bill.amount_fen;
        let field = if voucher_fen > 0 && !over_amount {
            "voucher_share"
        } else {
            "cash"
        };
        return Err(StoreError::Conflict {
            field: field.into(),
        });
    }
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO bill_payments (bill_id, cash_fen, voucher_id, voucher_fen, reference, paid_on, org_id, recorded_by, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
        .bind(bill_id)
        .bind(cash_fen)
        .bind(voucher.map(|(v, _)| v))
        .bind(voucher_fen)
        .bind(reference)
        .bind(paid_on.to_string())
        .bind(org_id)
        .bind(ctx.actor_user_id)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let sql = concat!(payment_select!(), " WHERE p.id = $1");
    let payment =
        on_tx!(tx, c => sqlx::query_as::<_, PaymentRow>(sql).bind(id).fetch_one(c).await)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "bill_payment",
            entity_id: id,
            org_id: Some(before.owner_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&payment),
        },
    )
    .await?;
    let after = get_in(tx, bill_id).await?;
    audit_bill(tx, ctx, AuditAction::Update, Some(&before), &after).await?;
    Ok((after, payment))
}
