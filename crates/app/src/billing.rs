//! Pay after use (先用后付): bills, payments (with an innovation voucher's part), overdue bills.
//!
//! The payer's users who can write pay (money and vouchers); the owner's users who can write
//! record money received and refunds of overpaid prepayments; the bureau sees every bill. A bill
//! is invisible (404) to anyone else. Paying a prepayment bill in full confirms its booking.

use fruition_domain::authz::{Action, OrgScope, can, org_scope};
use fruition_domain::billing::{self, BillKind, BillSubject, PaymentInput};
use fruition_domain::date::IsoDate;
use fruition_domain::lang::Lang;
use fruition_domain::money;
use fruition_domain::pilot::BookingStatus;
use fruition_domain::voucher::{self, SpendCheck};
use fruition_store::StoreError;
use fruition_store::billing::{self as store, Bill, BillFilter, NewPayment, PaymentRow};
use fruition_store::vouchers::{self as voucher_store, Spend};
use serde::Serialize;
use utoipa::ToSchema;

use super::Ctx;
use super::vouchers::VoucherView;
use crate::App;
use crate::clock::rfc3339;
use crate::clock::today_date;
use crate::error::{AppError, Problem};

/// A bill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BillView {
    pub id: i64,
    /// `ZS2026-000123`.
    pub number: String,
    /// What it is for: a booking of a resource, or a service request.
    pub booking_id: Option<i64>,
    /// The booking's number (YY…).
    pub booking_number: Option<String>,
    pub resource_id: Option<i64>,
    pub service_request_id: Option<i64>,
    /// The resource's name or the service's title.
    pub subject_name: String,
    pub subject: BillSubject,
    pub subject_label: String,
    /// Innovation vouchers may pay part of it.
    pub vouchers_accepted: bool,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub payer_org_id: i64,
    pub payer_name: String,
    /// after_use | prepayment.
    pub kind: BillKind,
    pub kind_label: String,
    pub units: i64,
    pub unit_price_fen: i64,
    pub extra_fen: i64,
    pub extra_note: Option<String>,
    /// Fen: the bill, paid in money (refunds subtracted), paid with vouchers, still owed
    /// (negative: a refund is due).
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub voucher_fen: i64,
    pub outstanding_fen: i64,
    /// The same in 元 (`1,200.00`).
    pub amount: String,
    pub outstanding: String,
    pub issued_on: String,
    pub due_on: String,
    /// Money still owed after the due date.
    pub overdue: bool,
    pub updated_at: String,
}

impl BillView {
    pub fn new(b: Bill, today: IsoDate) -> BillView {
        let outstanding = b.outstanding();
        BillView {
            number: b.number(),
            overdue: b.is_overdue(today),
            id: b.id,
            booking_id: b.booking_id,
            booking_number: b
                .booking_id
                .zip(b.booking_at)
                .map(|(id, at)| fruition_domain::numbers::Numbered::Booking.number_at(at, id)),
            resource_id: b.resource_id,
            service_request_id: b.service_request_id,
            subject_name: b.subject_name,
            subject_label: b.subject.label(Lang::ZhCn).into(),
            subject: b.subject,
            vouchers_accepted: b.vouchers_accepted,
            owner_org_id: b.owner_org_id,
            owner_name: b.owner_name,
            payer_org_id: b.payer_org_id,
            payer_name: b.payer_name,
            kind_label: b.kind.label(Lang::ZhCn).into(),
            kind: b.kind,
            units: b.units,
            unit_price_fen: b.unit_price_fen,
            extra_fen: b.extra_fen,
            extra_note: b.extra_note,
            amount: money::yuan(b.amount_fen),
            outstanding: money::yuan(outstanding),
            amount_fen: b.amount_fen,
            paid_fen: b.paid_fen,
            voucher_fen: b.voucher_fen,
            outstanding_fen: outstanding,
            issued_on: b.issued_on,
            due_on: b.due_on,
            updated_at: rfc3339(b.updated_at),
        }
    }
}

/// A payment on a bill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PaymentView {
    pub id: i64,
    /// Money, fen (negative: a refund).
    pub cash_fen: i64,
    pub voucher_id: Option<i64>,
    pub voucher_fen: i64,
    pub reference: Option<String>,
    pub paid_on: String,
    /// Who recorded it: the payer or the owner.
    pub org_id: i64,
    pub org_name: String,
    pub created_at: String,
    /// The paying voucher's number (CXQ…).
    pub voucher_number: Option<String>,
}

impl PaymentView {
    fn new(p: PaymentRow) -> PaymentView {
        PaymentView {
            id: p.id,
            cash_fen: p.cash_fen,
            voucher_id: p.voucher_id,
            voucher_fen: p.voucher_fen,
            reference: p.reference,
            paid_on: p.paid_on,
            org_id: p.org_id,
            org_name: p.org_name,
            created_at: rfc3339(p.created_at),
            voucher_number: p
                .voucher_id
                .zip(p.voucher_year)
                .map(|(id, y)| fruition_domain::numbers::Numbered::Voucher.number(y, id)),
        }
    }
}

/// A bill with its payments and what the caller may do.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BillDetail {
    pub bill: BillView,
    pub payments: Vec<PaymentView>,
    /// The caller pays it (the payer's users who can write).
    pub may_pay: bool,
    /// The caller records money received or refunds (the owner's users who can write).
    pub may_record: bool,
    /// The payer's vouchers that can pay part of this bill now, and the most each may pay.
    pub vouchers: Vec<UsableVoucher>,
}

/// A voucher usable on a bill.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsableVoucher {
    pub voucher: VoucherView,
    /// Fen: the most it may pay on this bill now (balance, share of the bill, yearly cap).
    pub max_fen: i64,
    pub max: String,
}

pub(crate) async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Bill, AppError> {
    let b = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewBooking {
        booker_org_id: b.payer_org_id,
        owner_org_id: b.owner_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(b)
}

/// Which bills.
#[derive(Debug, Clone, Copy, Default)]
pub struct BillQuery {
    /// Bills the caller's organisation owes (else: bills it issued; the bureau: all).
    pub payer: bool,
    /// Neither side asked for: bills the caller's organisation issued and those it owes (the
    /// bureau: all) — so a payer asking without a side sees its bills.
    pub either: bool,
    pub overdue: bool,
    pub open: bool,
    pub year: Option<i64>,
}

pub async fn list(state: &App, ctx: &Ctx<'_>, q: BillQuery) -> Result<Vec<BillView>, AppError> {
    let me = ctx.principal.user.org_id;
    let today = today_date();
    let all = org_scope(&ctx.principal.actor()) == OrgScope::All && !q.payer;
    let filter = |payer: bool| BillFilter {
        payer_org_id: (!all && payer).then_some(me),
        owner_org_id: (!all && !payer).then_some(me),
        overdue_on: q.overdue.then_some(today),
        open_only: q.open,
        year: q.year,
        limit: 1000,
        offset: 0,
    };
    let mut rows = store::list(&state.db, &filter(q.payer)).await?;
    if q.either && !all {
        let owed = store::list(&state.db, &filter(true)).await?;
        let issued: std::collections::HashSet<i64> = rows.iter().map(|b| b.id).collect();
        rows.extend(owed.into_iter().filter(|b| !issued.contains(&b.id)));
        rows.sort_by(|a, b| b.issued_on.cmp(&a.issued_on).then(b.id.cmp(&a.id)));
        rows.truncate(1000);
    }
    Ok(rows.into_iter().map(|b| BillView::new(b, today)).collect())
}

/// The most a voucher may pay on a bill now, and why not when it may pay nothing.
fn spend_check(
    v: &voucher_store::Voucher,
    b: &Bill,
    year_spent: i64,
    today: IsoDate,
) -> SpendCheck {
    SpendCheck {
        holder_org_id: v.org_id,
        active: v.active,
        balance_fen: v.balance_fen,
        valid_from: IsoDate::parse(&v.valid_from).unwrap_or(today),
        valid_to: IsoDate::parse(&v.valid_to).unwrap_or(today),
        share_pct: v.share_pct,
        yearly_cap_fen: v.yearly_cap_fen,
        kinds: voucher::kinds_of(&v.kinds),
        payer_org_id: b.payer_org_id,
        subject: b.subject,
        vouchers_accepted: b.vouchers_accepted,
        bill_amount_fen: b.amount_fen,
        bill_voucher_fen: b.voucher_fen,
        year_spent_fen: year_spent,
        today,
    }
}

fn max_spend(c: &SpendCheck, outstanding: i64) -> i64 {
    [
        c.balance_fen,
        c.share_cap() - c.bill_voucher_fen,
        c.yearly_cap_fen - c.year_spent_fen,
        outstanding,
    ]
    .into_iter()
    .min()
    .unwrap_or(0)
    .max(0)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<BillDetail, AppError> {
    let b = visible(state, ctx, id).await?;
    detail(state, ctx, b).await
}

async fn detail(state: &App, ctx: &Ctx<'_>, b: Bill) -> Result<BillDetail, AppError> {
    let actor = ctx.principal.actor();
    let acts = can(
        &actor,
        &Action::ActOnBooking {
            booker_org_id: b.payer_org_id,
            owner_org_id: b.owner_org_id,
        },
    )
    .is_ok();
    let may_pay = acts && actor.org_id == b.payer_org_id;
    let may_record = acts && actor.org_id == b.owner_org_id;
    let today = today_date();
    let mut vouchers = Vec::new();
    if may_pay && b.kind == BillKind::AfterUse && b.outstanding() > 0 {
        let year_spent =
            voucher_store::year_spent(&state.db, b.payer_org_id, i64::from(today.year())).await?;
        for v in voucher_store::list(&state.db, Some(b.payer_org_id), 200, 0).await? {
            let c = spend_check(&v, &b, year_spent, today);
            let max = max_spend(&c, b.outstanding());
            if max > 0 && c.check(max).is_ok() {
                vouchers.push(UsableVoucher {
                    voucher: VoucherView::new(v),
                    max_fen: max,
                    max: money::yuan(max),
                });
            }
        }
    }
    let payments = store::payments(&state.db, b.id).await?;
    Ok(BillDetail {
        bill: BillView::new(b, today),
        payments: payments.into_iter().map(PaymentView::new).collect(),
        may_pay,
        may_record,
        vouchers,
    })
}

fn conflict(field: &str, zh: String, en: String) -> AppError {
    AppError::Conflict {
        field: field.into(),
        zh,
        en,
    }
}

/// Records a payment. The payer pays money and may apply a voucher; the owner records money
/// received, or refunds what was overpaid. Nothing beyond what is owed is taken, a voucher is
/// never spent beyond its balance, share or the yearly cap — also when payments race (409).
pub async fn pay(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &PaymentInput,
) -> Result<BillDetail, AppError> {
    let b = visible(state, ctx, id).await?;
    ctx.require(Action::ActOnBooking {
        booker_org_id: b.payer_org_id,
        owner_org_id: b.owner_org_id,
    })?;
    let me = ctx.principal.user.org_id;
    let p = billing::payment(input)
        .map_err(|errors| AppError::Invalid(errors.into_iter().map(Problem::from).collect()))?;
    if p.voucher.is_some() && me != b.payer_org_id {
        return Err(AppError::invalid(fruition_domain::FieldError::new(
            "voucher_id",
            "not_payer",
            "只有付款企业可以使用其创新券",
            "Only the paying enterprise applies its vouchers",
        )));
    }
    if p.cash_fen < 0 && me != b.owner_org_id {
        return Err(AppError::invalid(fruition_domain::FieldError::new(
            "refund",
            "not_owner",
            "退款由资源方登记",
            "The resource's owner records refunds",
        )));
    }
    if p.voucher.is_some() && b.kind == BillKind::Prepayment {
        return Err(AppError::invalid(fruition_domain::FieldError::new(
            "voucher_id",
            "prepayment",
            "预付账单不能使用创新券，可在使用后结算时使用",
            "A prepayment cannot use a voucher; apply it when the use is settled",
        )));
    }
    billing::check_payment(&b.balance(), &p).map_err(AppError::conflict)?;
    let today = today_date();
    let year = i64::from(today.year());
    let mut voucher_share_pct = 100;
    if let Some((voucher_id, amount)) = p.voucher {
        let v = voucher_store::get(&state.db, voucher_id)
            .await?
            .filter(|v| v.org_id == me)
            .ok_or_else(|| {
                AppError::invalid(fruition_domain::FieldError::new(
                    "voucher_id",
                    "not_found",
                    "找不到这张创新券",
                    "There is no such voucher of yours",
                ))
            })?;
        let spent = voucher_store::year_spent(&state.db, me, year).await?;
        // Checked here for a clear answer; the share, the balance and the yearly cap are checked
        // again where they are written (the bill's and the voucher's conditional updates), so
        // payments that race cannot pass them together.
        spend_check(&v, &b, spent, today)
            .check(amount)
            .map_err(AppError::conflict)?;
        voucher_share_pct = v.share_pct;
    }
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let result: Result<Bill, StoreError> = async {
        let (bill, payment) = store::pay(
            &mut tx,
            &audit,
            &NewPayment {
                bill_id: b.id,
                org_id: me,
                cash_fen: p.cash_fen,
                voucher: p.voucher,
                voucher_share_pct,
                reference: p.reference.as_deref(),
                paid_on: today,
            },
        )
        .await?;
        if let Some((voucher_id, amount)) = p.voucher {
            voucher_store::spend(
                &mut tx,
                &audit,
                &Spend {
                    voucher_id,
                    amount_fen: amount,
                    bill_id: b.id,
                    payment_id: payment.id,
                    owner_org_id: b.owner_org_id,
                    year,
                },
            )
            .await?;
        }
        // A prepayment paid in full confirms the booking.
        if let (BillKind::Prepayment, Some(booking_id)) = (bill.kind, bill.booking_id)
            && bill.outstanding() <= 0
        {
            fruition_store::pilot::set_status(
                &mut tx,
                &audit,
                booking_id,
                &[BookingStatus::AwaitingPrepayment],
                BookingStatus::Confirmed,
                None,
            )
            .await?;
        }
        Ok(bill)
    }
    .await;
    let bill = match result {
        Ok(bill) => bill,
        Err(StoreError::Conflict { field }) => {
            drop(tx);
            return Err(race(&field));
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    let other = if me == bill.owner_org_id {
        bill.payer_org_id
    } else {
        bill.owner_org_id
    };
    let what = format!("账单已付款，待付 {} 元", money::yuan(bill.outstanding()));
    let event = format!("payment:{}:{}", bill.id, bill.updated_at);
    let notice = match bill.booking_id {
        Some(booking_id) => fruition_store::pilot::booking(&state.db, booking_id)
            .await?
            .map(|booking| crate::inbox::Notice::booking(&booking, &event, &what)),
        None => Some(crate::inbox::Notice::bill(&bill, &event, &what)),
    };
    if let Some(notice) = notice {
        crate::inbox::tell(state, &[other], notice).await;
    }
    detail(state, ctx, bill).await
}

/// A payment that lost a race: the bill, the voucher or the yearly cap changed since it was read.
fn race(field: &str) -> AppError {
    match field {
        "voucher_amount" => conflict(
            "voucher_amount",
            "创新券余额已变化（可能刚被另一笔付款使用），请刷新后重试".into(),
            "The voucher's balance changed (another payment may just have used it); reload and try again".into(),
        ),
        "yearly_cap" => conflict(
            "voucher_amount",
            "本年度创新券使用额已达上限（可能刚有另一笔付款），请刷新后重试".into(),
            "This year's voucher cap has been reached (another payment may just have used it); reload and try again".into(),
        ),
        "voucher_share" => conflict(
            "voucher_amount",
            "创新券抵扣已达账单可抵扣比例的上限（可能刚有另一笔付款使用了创新券），请刷新后重试".into(),
            "Vouchers have reached the share of this bill they may pay (another payment may just have used one); reload and try again".into(),
        ),
        "status" => conflict(
            "status",
            "预约状态已变化，请刷新后重试".into(),
            "The booking changed; reload and try again".into(),
        ),
        _ => conflict(
            "cash",
            "账单已被付款或已变化，付款超过待付金额，请刷新后重试".into(),
            "The bill was paid or changed meanwhile and this payment exceeds what is owed; reload and try again".into(),
        ),
    }
}
