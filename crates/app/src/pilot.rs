//! Pilot lines, instruments and testing services (中试 / 大型仪器共享): owners offer resources with
//! their rules and prices; enterprises, institutions and carrier operators request slots; the
//! owner confirms or declines, records the use and bills it (pay after use, see
//! [`super::billing`]).
//!
//! Who does what: the catalogue and each resource's calendar are public (who booked is shown only
//! to the booker, the owner and the bureau); the owner's users who can write keep the resource and
//! run its bookings; the booker's users who can write request and cancel (until the owner's
//! deadline); the bureau sees every booking. A booking is invisible (404) to anyone else.

use fruition_domain::authz::{Action, OrgScope, can, org_scope};
use fruition_domain::billing::{self, BillKind};
use fruition_domain::date::IsoDate;
use fruition_domain::lang::Lang;
use fruition_domain::market;
use fruition_domain::money;
use fruition_domain::pilot::{
    self, BookingStatus, BookingStep, REASON_MAX, ResourceInput, ResourceKind, ResourceSpec, Unit,
};
use fruition_store::StoreError;
use fruition_store::billing::{self as bills, NewBill};
use fruition_store::pilot::{
    self as store, Booking, BookingFilter, CalendarEntry, NewBooking, Resource, ResourceFilter,
};
use fruition_store::users::Principal;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::billing::BillView;
use super::{Ctx, Problems};
use crate::App;
use crate::clock::{now_ms, rfc3339, today_date};
use crate::error::{AppError, Problem};

// ---------------------------------------------------------------------------------------------
// What the API and the pages show

/// A resource as the catalogue shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResourceView {
    pub id: i64,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub kind: ResourceKind,
    pub kind_label: String,
    pub name: String,
    pub capabilities: String,
    pub place: String,
    pub unit: Unit,
    pub unit_label: String,
    /// Hours in one batch (batch resources).
    pub batch_hours: i64,
    /// List price per unit, 元 (`1,200.00`), and in fen.
    pub price: String,
    pub price_fen: i64,
    /// Percent off for incubatees of `discount_carrier_id`.
    pub incubatee_discount_pct: i64,
    pub discount_carrier_id: Option<i64>,
    pub discount_carrier_name: Option<String>,
    /// Open days, 1 (Monday) … 7 (Sunday), and local opening hours.
    pub open_days: Vec<i64>,
    pub open_from: i64,
    pub open_to: i64,
    /// `周一至周五 08:00–18:00`.
    pub opening: String,
    /// A booker may cancel until this many hours before the start.
    pub cancel_hours: i64,
    /// A booking may start at most this many days from today.
    pub horizon_days: i64,
    /// What a booker must accept (qualifications, safety rules).
    pub safety_notes: Option<String>,
    /// A booker with an overdue bill pays before use.
    pub prepay_if_overdue: bool,
    pub listing_id: Option<i64>,
    /// Offered for booking (a withdrawn resource keeps its bookings).
    pub active: bool,
    pub updated_at: String,
}

impl ResourceView {
    pub fn new(r: Resource) -> ResourceView {
        let rules = r.rules();
        ResourceView {
            id: r.id,
            owner_org_id: r.owner_org_id,
            owner_name: r.owner_name,
            kind_label: r.kind.label(Lang::ZhCn).into(),
            kind: r.kind,
            name: r.name,
            capabilities: r.capabilities,
            place: r.place,
            unit_label: r.unit.label(Lang::ZhCn).into(),
            unit: r.unit,
            batch_hours: r.batch_hours,
            price: money::yuan(r.price_fen),
            price_fen: r.price_fen,
            incubatee_discount_pct: r.incubatee_discount_pct,
            discount_carrier_id: r.discount_carrier_id,
            discount_carrier_name: r.discount_carrier_name,
            open_days: (0..7)
                .filter(|d| r.open_days & (1 << d) != 0)
                .map(|d| d + 1)
                .collect(),
            open_from: r.open_from,
            open_to: r.open_to,
            opening: rules.opening_label(Lang::ZhCn),
            cancel_hours: r.cancel_hours,
            horizon_days: r.horizon_days,
            safety_notes: r.safety_notes,
            prepay_if_overdue: r.prepay_if_overdue,
            listing_id: r.listing_id,
            active: r.active,
            updated_at: rfc3339(r.updated_at),
        }
    }
}

/// A booking.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookingView {
    pub id: i64,
    pub resource_id: i64,
    pub resource_name: String,
    pub resource_kind: ResourceKind,
    pub unit: Unit,
    pub unit_label: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    pub booker_org_id: i64,
    pub booker_name: String,
    pub status: BookingStatus,
    pub status_label: String,
    /// Local times `2026-12-01 09:00` (start, and end exclusive).
    pub starts_at: String,
    pub ends_at: String,
    /// Slots: local hours since 1970-01-01.
    pub start_slot: i64,
    pub end_slot: i64,
    pub units: i64,
    /// The booker's price per unit (after any incubatee discount), 元 and fen.
    pub unit_price: String,
    pub unit_price_fen: i64,
    /// The booked units at that price, 元.
    pub estimate: String,
    pub incubatee: bool,
    /// Payment is due before use (the booker had an overdue bill).
    pub prepayment: bool,
    pub purpose: String,
    pub safety_accepted_at: Option<String>,
    pub status_reason: Option<String>,
    pub used_units: Option<i64>,
    pub use_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl BookingView {
    pub fn new(b: Booking) -> BookingView {
        BookingView {
            id: b.id,
            resource_id: b.resource_id,
            resource_name: b.resource_name,
            resource_kind: b.resource_kind,
            unit_label: b.unit.label(Lang::ZhCn).into(),
            unit: b.unit,
            owner_org_id: b.owner_org_id,
            owner_name: b.owner_name,
            booker_org_id: b.booker_org_id,
            booker_name: b.booker_name,
            status_label: b.status.label(Lang::ZhCn).into(),
            status: b.status,
            starts_at: pilot::slot_label(b.start_slot),
            ends_at: pilot::slot_label(b.end_slot),
            start_slot: b.start_slot,
            end_slot: b.end_slot,
            units: b.units,
            unit_price: money::yuan(b.unit_price_fen),
            unit_price_fen: b.unit_price_fen,
            estimate: money::yuan(b.units * b.unit_price_fen),
            incubatee: b.incubatee,
            prepayment: b.prepayment,
            purpose: b.purpose,
            safety_accepted_at: b.safety_accepted_at.map(rfc3339),
            status_reason: b.status_reason,
            used_units: b.used_units,
            use_note: b.use_note,
            created_at: rfc3339(b.created_at),
            updated_at: rfc3339(b.updated_at),
        }
    }
}

/// A booking with its bill and what the caller may do now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BookingDetail {
    pub booking: BookingView,
    pub bill: Option<BillView>,
    /// The steps the caller may take now: confirm, decline, cancel, record_use, bill.
    pub steps: Vec<BookingStep>,
    /// Whether the caller may still cancel (the booker: before the owner's deadline).
    pub cancel_until: Option<String>,
}

impl BookingDetail {
    pub fn may(&self, step: &str) -> bool {
        self.steps.iter().any(|s| s.code() == step)
    }
}

/// What holds a calendar's time: a booking or a maintenance block.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CalendarWhat {
    Booking,
    Maintenance,
}

/// One thing on a calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarItem {
    pub start_slot: i64,
    pub end_slot: i64,
    pub starts_at: String,
    pub ends_at: String,
    /// `booking` or `maintenance`.
    #[schema(value_type = CalendarWhat)]
    pub what: String,
    /// A booking's id (for those who may see it) or the block's.
    pub id: Option<i64>,
    /// A booking's status, or the maintenance reason.
    pub label: String,
    pub status: Option<BookingStatus>,
    /// The booker, shown to the booker, the owner and the bureau only.
    pub booker_name: Option<String>,
}

/// A resource's calendar between two dates.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarView {
    pub resource: ResourceView,
    /// First day shown, and the day after the last.
    pub from: String,
    pub to: String,
    pub items: Vec<CalendarItem>,
    /// Whether the caller sees who booked (the owner and the bureau).
    pub sees_bookers: bool,
}

// ---------------------------------------------------------------------------------------------
// What users send

/// A booking request.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BookingInput {
    /// Local start, `2026-12-01 09:00` (a date alone for a resource booked by the day).
    #[serde(default)]
    pub starts_at: String,
    /// Hours, days or batches, by the resource's unit.
    #[serde(default)]
    pub units: Option<i64>,
    /// What the booker will do (tests, batch sizes, materials).
    #[serde(default)]
    pub purpose: String,
    /// The booker accepts the resource's safety notes and qualifications (required when it has some).
    #[serde(default)]
    pub accept_safety_notes: bool,
}

/// A step on a booking.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    /// confirm | decline | cancel | record_use | bill.
    #[serde(default)]
    #[schema(value_type = fruition_domain::pilot::BookingStep)]
    pub step: String,
    /// Required to decline, and for the owner to cancel.
    #[serde(default)]
    pub reason: Option<String>,
    /// record_use: the units actually used (0–booked+extra).
    #[serde(default)]
    pub used_units: Option<i64>,
    #[serde(default)]
    pub use_note: Option<String>,
    /// record_use on a prepaid booking, and bill: extra charges (元) with what they are for.
    #[serde(default)]
    pub extra: Option<String>,
    #[serde(default)]
    pub extra_note: Option<String>,
    /// bill: the due date (YYYY-MM-DD; default 30 days).
    #[serde(default)]
    pub due_on: Option<String>,
}

/// A maintenance block.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    /// Local start and end (`2026-12-01 08:00`; a date alone means its midnight).
    #[serde(default)]
    pub starts_at: String,
    #[serde(default)]
    pub ends_at: String,
    #[serde(default)]
    pub reason: String,
}

// ---------------------------------------------------------------------------------------------
// Rules

fn conflict(field: &str, zh: String, en: String) -> AppError {
    AppError::Conflict {
        field: field.into(),
        zh,
        en,
    }
}

fn invalid(field: &str, zh: &str, en: &str) -> AppError {
    AppError::Invalid(vec![Problem {
        field: field.into(),
        zh: zh.into(),
        en: en.into(),
    }])
}

/// A resource the caller may see: an active one, or any for its owner and the bureau.
async fn visible_resource(
    state: &App,
    principal: Option<&Principal>,
    id: i64,
) -> Result<Resource, AppError> {
    let r = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    if !r.active && !sees_bookers(principal, r.owner_org_id) {
        return Err(AppError::NotFound);
    }
    Ok(r)
}

fn sees_bookers(principal: Option<&Principal>, owner_org_id: i64) -> bool {
    principal
        .is_some_and(|p| can(&p.actor(), &Action::ViewResourceBookings { owner_org_id }).is_ok())
}

/// A booking the caller may see; any other is not found.
async fn visible_booking(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Booking, AppError> {
    let b = store::booking(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewBooking {
        booker_org_id: b.booker_org_id,
        owner_org_id: b.owner_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(b)
}

fn spec(input: &ResourceInput) -> Result<ResourceSpec, AppError> {
    ResourceSpec::parse(input)
        .map_err(|errors| AppError::Invalid(errors.into_iter().map(Problem::from).collect()))
}

/// Checks what the spec points at: the discount carrier exists; the listing is the owner's.
async fn check_links(state: &App, owner_org_id: i64, s: &ResourceSpec) -> Result<(), AppError> {
    if let Some(c) = s.discount_carrier_id
        && fruition_store::carriers::get(&state.db, c).await?.is_none()
    {
        return Err(invalid(
            "discount_carrier_id",
            "所选孵化载体不存在",
            "There is no such carrier",
        ));
    }
    if let Some(l) = s.listing_id {
        let listing = fruition_store::market::get(&state.db, l).await?;
        if listing.is_none_or(|l| l.org_id != owner_org_id) {
            return Err(invalid(
                "listing_id",
                "只能关联本单位的发布信息",
                "Link one of your organisation's own listings",
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Resources

/// The catalogue: active resources, optionally of one kind, owner or with words in them.
pub async fn catalogue(
    state: &App,
    kind: Option<ResourceKind>,
    owner_org_id: Option<i64>,
    text: Option<String>,
) -> Result<Vec<ResourceView>, AppError> {
    Ok(store::list(
        &state.db,
        &ResourceFilter {
            owner_org_id,
            kind,
            text,
            include_inactive: false,
            limit: 500,
            offset: 0,
        },
    )
    .await?
    .into_iter()
    .map(ResourceView::new)
    .collect())
}

/// The caller's organisation's resources, withdrawn ones included.
pub async fn mine(state: &App, ctx: &Ctx<'_>) -> Result<Vec<ResourceView>, AppError> {
    Ok(store::list(
        &state.db,
        &ResourceFilter {
            owner_org_id: Some(ctx.principal.user.org_id),
            include_inactive: true,
            limit: 500,
            ..ResourceFilter::default()
        },
    )
    .await?
    .into_iter()
    .map(ResourceView::new)
    .collect())
}

pub async fn get_resource(
    state: &App,
    principal: Option<&Principal>,
    id: i64,
) -> Result<ResourceView, AppError> {
    Ok(ResourceView::new(
        visible_resource(state, principal, id).await?,
    ))
}

pub async fn create_resource(
    state: &App,
    ctx: &Ctx<'_>,
    input: &ResourceInput,
) -> Result<ResourceView, AppError> {
    ctx.require(Action::CreateResource)?;
    let s = spec(input)?;
    let owner = ctx.principal.user.org_id;
    check_links(state, owner, &s).await?;
    let mut tx = state.db.begin().await?;
    let r = store::create(&mut tx, &ctx.audit(), owner, &s).await?;
    tx.commit().await?;
    Ok(ResourceView::new(r))
}

pub async fn update_resource(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ResourceInput,
) -> Result<ResourceView, AppError> {
    let r = visible_resource(state, Some(ctx.principal), id).await?;
    ctx.require(Action::ManageResource {
        owner_org_id: r.owner_org_id,
    })?;
    let s = spec(input)?;
    check_links(state, r.owner_org_id, &s).await?;
    let mut tx = state.db.begin().await?;
    let r = store::update(&mut tx, &ctx.audit(), id, &s).await?;
    tx.commit().await?;
    Ok(ResourceView::new(r))
}

/// Withdraws a resource from booking or offers it again.
pub async fn set_active(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    active: bool,
) -> Result<ResourceView, AppError> {
    let r = visible_resource(state, Some(ctx.principal), id).await?;
    ctx.require(Action::ManageResource {
        owner_org_id: r.owner_org_id,
    })?;
    let mut tx = state.db.begin().await?;
    let r = store::set_active(&mut tx, &ctx.audit(), id, active).await?;
    tx.commit().await?;
    Ok(ResourceView::new(r))
}

/// What holds `[start, end)` — for a clear conflict message.
async fn held_by(state: &App, r: &Resource, start: i64, end: i64) -> AppError {
    let holder = store::first_holder(&state.db, r.id, start, end)
        .await
        .ok()
        .flatten();
    let (zh, en) = match holder {
        Some((slot, Some(b), _)) => (
            format!(
                "{} 已被预约（预约 #{b}），请选择其他时段",
                pilot::slot_label(slot)
            ),
            format!(
                "{} is already booked (booking #{b}); choose another time",
                pilot::slot_label(slot)
            ),
        ),
        Some((slot, _, Some(m))) => (
            format!(
                "{} 处于维护时段（#{m}），请选择其他时段",
                pilot::slot_label(slot)
            ),
            format!(
                "{} falls in a maintenance block (#{m}); choose another time",
                pilot::slot_label(slot)
            ),
        ),
        _ => (
            "该时段已被占用，请选择其他时段".to_string(),
            "This time is already taken; choose another time".to_string(),
        ),
    };
    conflict("starts_at", zh, en)
}

/// Closes a time for maintenance; refused over a booked hour (decline or cancel it first).
pub async fn add_block(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &BlockInput,
) -> Result<store::Block, AppError> {
    let r = visible_resource(state, Some(ctx.principal), id).await?;
    ctx.require(Action::ManageResource {
        owner_org_id: r.owner_org_id,
    })?;
    let mut p = Problems::default();
    let start = p.check(pilot::parse_slot("starts_at", &input.starts_at));
    let end = p.check(pilot::parse_slot("ends_at", &input.ends_at));
    let reason = p.check(market::text("reason", &input.reason, REASON_MAX));
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            p.push(
                "ends_at",
                "结束时间应晚于开始时间",
                "The end must come after the start",
            );
        } else if e - s > pilot::MAX_SPAN {
            p.push(
                "ends_at",
                "一次维护最长 92 天",
                "One maintenance block lasts at most 92 days",
            );
        }
    }
    p.into_result()?;
    let (start, end, reason) = (
        start.unwrap_or(0),
        end.unwrap_or(0),
        reason.unwrap_or_default(),
    );
    let mut tx = state.db.begin().await?;
    match store::add_block(&mut tx, &ctx.audit(), &r, start, end, &reason).await {
        Ok(b) => {
            tx.commit().await?;
            Ok(b)
        }
        Err(StoreError::Conflict { .. }) => {
            drop(tx);
            Err(held_by(state, &r, start, end).await)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn remove_block(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    block_id: i64,
) -> Result<(), AppError> {
    let r = visible_resource(state, Some(ctx.principal), id).await?;
    ctx.require(Action::ManageResource {
        owner_org_id: r.owner_org_id,
    })?;
    let b = store::block(&state.db, block_id)
        .await?
        .filter(|b| b.resource_id == r.id)
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    store::remove_block(&mut tx, &ctx.audit(), &r, b.id).await?;
    tx.commit().await?;
    Ok(())
}

/// The calendar of a resource from `from` (a date, default this week's Monday) for `days` days
/// (1–400, default 35). Bookers are named only to those who may see them.
pub async fn calendar(
    state: &App,
    principal: Option<&Principal>,
    id: i64,
    from: Option<&str>,
    days: Option<i64>,
) -> Result<CalendarView, AppError> {
    let r = visible_resource(state, principal, id).await?;
    let from = match from.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => IsoDate::parse_field(s, "from").map_err(AppError::invalid)?,
        None => {
            let t = today_date();
            t.plus_days(-i64::from(pilot::weekday_of_slot(pilot::slot_of_date(t))))
        }
    };
    let days = days.unwrap_or(35);
    if !(1..=400).contains(&days) {
        return Err(invalid(
            "days",
            "日历天数应在 1 到 400 之间",
            "Show between 1 and 400 days",
        ));
    }
    let to = from.plus_days(days);
    let (a, b) = (pilot::slot_of_date(from), pilot::slot_of_date(to));
    let entries = store::calendar(&state.db, r.id, a, b).await?;
    let owner_view = sees_bookers(principal, r.owner_org_id);
    let my_org = principal.map(|p| p.user.org_id);
    let items = entries
        .into_iter()
        .map(|e: CalendarEntry| {
            let mine = e.booker_org_id.is_some() && e.booker_org_id == my_org;
            let named = owner_view || mine;
            let status = BookingStatus::parse(&e.status).filter(|_| e.what == "booking");
            CalendarItem {
                starts_at: pilot::slot_label(e.start_slot),
                ends_at: pilot::slot_label(e.end_slot),
                start_slot: e.start_slot,
                end_slot: e.end_slot,
                id: if e.what == "maintenance" || named {
                    Some(e.id)
                } else {
                    None
                },
                label: match status {
                    Some(s) if named => s.label(Lang::ZhCn).into(),
                    Some(_) => "已预约".into(),
                    None => e.status.clone(),
                },
                status: status.filter(|_| named),
                booker_name: e.booker_name.filter(|_| named),
                what: e.what,
            }
        })
        .collect();
    Ok(CalendarView {
        resource: ResourceView::new(r),
        from: from.to_string(),
        to: to.to_string(),
        items,
        sees_bookers: owner_view,
    })
}

// ---------------------------------------------------------------------------------------------
// Bookings

/// Requests a slot. The database refuses a slot already held (409 naming `starts_at`), however
/// many requests arrive at once on however many servers.
pub async fn request(
    state: &App,
    ctx: &Ctx<'_>,
    resource_id: i64,
    input: &BookingInput,
) -> Result<BookingDetail, AppError> {
    let r = visible_resource(state, Some(ctx.principal), resource_id).await?;
    ctx.require(Action::RequestBooking {
        owner_org_id: r.owner_org_id,
    })?;
    if !r.active {
        return Err(conflict(
            "resource",
            "该资源已停止预约".into(),
            "This resource is no longer offered for booking".into(),
        ));
    }
    let mut p = Problems::default();
    let start = p.check(pilot::parse_slot("starts_at", &input.starts_at));
    let units = p.check(match input.units {
        None => Err(fruition_domain::FieldError::new(
            "units",
            "required",
            "必填",
            "is required",
        )),
        Some(u) => Ok(u),
    });
    let purpose = p.check(market::text("purpose", &input.purpose, market::SUMMARY_MAX));
    if r.safety_notes.is_some() && !input.accept_safety_notes {
        p.push(
            "accept_safety_notes",
            "请先阅读并接受该资源的安全须知与资质要求",
            "Read and accept the resource's safety notes and qualifications first",
        );
    }
    let window = match (start, units) {
        (Some(s), Some(u)) => p.check(r.rules().window(s, u)),
        _ => None,
    };
    if let Some((s, _)) = window
        && s <= pilot::slot_of_ms(now_ms())
    {
        p.push(
            "starts_at",
            "开始时间应晚于当前时间",
            "The start must be in the future",
        );
    } else if let Some((s, _)) = window {
        p.check(r.rules().within_horizon(s, today_date()));
    }
    p.into_result()?;
    let (Some((start, end)), Some(units)) = (window, units) else {
        return Err(AppError::Internal(anyhow::anyhow!("checked above")));
    };
    let me = ctx.principal.user.org_id;
    let today = today_date();
    let incubatee = match r.discount_carrier_id {
        Some(c) if r.incubatee_discount_pct > 0 => {
            store::is_incubatee(&state.db, me, c, &today.to_string()).await?
        }
        _ => false,
    };
    let prepayment = r.prepay_if_overdue && bills::has_overdue(&state.db, me, today).await?;
    let new = NewBooking {
        resource_id: r.id,
        owner_org_id: r.owner_org_id,
        booker_org_id: me,
        start_slot: start,
        end_slot: end,
        units,
        unit_price_fen: pilot::unit_price(r.price_fen, r.incubatee_discount_pct, incubatee),
        incubatee,
        prepayment,
        purpose: purpose.unwrap_or_default(),
        safety_accepted: input.accept_safety_notes,
    };
    let mut tx = state.db.begin().await?;
    let b = match store::request(&mut tx, &ctx.audit(), &new).await {
        Ok(b) => b,
        Err(StoreError::Conflict { .. }) => {
            drop(tx);
            return Err(held_by(state, &r, start, end).await);
        }
        Err(e) => return Err(e.into()),
    };
    let notice = crate::inbox::Notice::booking(
        &b,
        "requested",
        &format!(
            "{} 申请预约 {}",
            b.booker_name,
            pilot::slot_label(b.start_slot)
        ),
    );
    crate::inbox::tell_in(&mut tx, &[b.owner_org_id], &notice).await?;
    tx.commit().await?;
    detail(state, ctx, b, &r.rules()).await
}

/// Whether the actor may take `step` on the booking now.
fn may_take(p: &Principal, b: &Booking, r_rules: &pilot::Rules, step: BookingStep) -> bool {
    if b.status.after(step, b.prepayment).is_none() {
        return false;
    }
    let actor = p.actor();
    let owner = can(
        &actor,
        &Action::ManageResource {
            owner_org_id: b.owner_org_id,
        },
    )
    .is_ok();
    match step {
        BookingStep::Cancel => {
            owner
                || (can(
                    &actor,
                    &Action::ActOnBooking {
                        booker_org_id: b.booker_org_id,
                        owner_org_id: b.owner_org_id,
                    },
                )
                .is_ok()
                    && r_rules.may_cancel(b.start_slot, now_ms()))
        }
        _ => owner,
    }
}

/// A booking as the caller sees it, with the rules of its resource (read once by the caller).
async fn detail(
    state: &App,
    ctx: &Ctx<'_>,
    b: Booking,
    rules: &pilot::Rules,
) -> Result<BookingDetail, AppError> {
    let bill = bills::for_booking(&state.db, b.id).await?;
    let steps: Vec<BookingStep> = BookingStep::ALL
        .iter()
        .copied()
        .filter(|s| may_take(ctx.principal, &b, rules, *s))
        .collect();
    let cancel_until = (b.status.is_cancellable() && b.owner_org_id != ctx.principal.user.org_id)
        .then(|| {
            crate::clock::local_time(
                pilot::ms_of_slot(b.start_slot) - rules.cancel_hours * pilot::SLOT_MS,
            )
        });
    Ok(BookingDetail {
        bill: bill.map(|x| BillView::new(x, today_date())),
        steps,
        cancel_until,
        booking: BookingView::new(b),
    })
}

pub async fn get_booking(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<BookingDetail, AppError> {
    let b = visible_booking(state, ctx, id).await?;
    let r = store::get(&state.db, b.resource_id)
        .await?
        .ok_or(AppError::NotFound)?;
    detail(state, ctx, b, &r.rules()).await
}

/// Which bookings: the caller's organisation's as booker (`mine`) or as owner (`incoming`); the
/// bureau sees every booking with `all`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BookingSide {
    Mine,
    Incoming,
    All,
}

pub async fn bookings(
    state: &App,
    ctx: &Ctx<'_>,
    side: BookingSide,
    status: Option<BookingStatus>,
    resource_id: Option<i64>,
) -> Result<Vec<BookingView>, AppError> {
    let me = ctx.principal.user.org_id;
    let mut f = BookingFilter {
        status,
        resource_id,
        limit: 1000,
        ..BookingFilter::default()
    };
    match side {
        BookingSide::Mine => f.booker_org_id = Some(me),
        BookingSide::Incoming => f.owner_org_id = Some(me),
        BookingSide::All => {
            if org_scope(&ctx.principal.actor()) != OrgScope::All {
                return Err(AppError::Forbidden("forbidden"));
            }
        }
    }
    Ok(store::bookings(&state.db, &f)
        .await?
        .into_iter()
        .map(BookingView::new)
        .collect())
}

fn not_now(b: &Booking, step: BookingStep) -> AppError {
    conflict(
        "status",
        format!(
            "“{}”的预约不能{}",
            b.status.label(Lang::ZhCn),
            step.label(Lang::ZhCn)
        ),
        format!(
            "A booking that is {} cannot take the step “{}”",
            b.status.label(Lang::En).to_lowercase(),
            step.label(Lang::En).to_lowercase()
        ),
    )
}

/// Takes a step on a booking.
pub async fn step(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &StepInput,
) -> Result<BookingDetail, AppError> {
    let b = visible_booking(state, ctx, id).await?;
    let Some(step) = BookingStep::parse(input.step.trim()) else {
        return Err(invalid(
            "step",
            "操作应为 confirm、decline、cancel、record_use 或 bill",
            "The step is confirm, decline, cancel, record_use or bill",
        ));
    };
    ctx.require(Action::ActOnBooking {
        booker_org_id: b.booker_org_id,
        owner_org_id: b.owner_org_id,
    })?;
    let r = store::get(&state.db, b.resource_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(to) = b.status.after(step, b.prepayment) else {
        return Err(not_now(&b, step));
    };
    let owner = ctx.principal.user.org_id == b.owner_org_id;
    if !may_take(ctx.principal, &b, &r.rules(), step) {
        if step == BookingStep::Cancel {
            return Err(conflict(
                "status",
                format!(
                    "已过取消期限（开始前 {} 小时），请联系{}",
                    r.cancel_hours, b.owner_name
                ),
                format!(
                    "The cancellation deadline ({} hours before the start) has passed; contact {}",
                    r.cancel_hours, b.owner_name
                ),
            ));
        }
        return Err(AppError::Forbidden("forbidden"));
    }
    let mut p = Problems::default();
    let reason_required = step == BookingStep::Decline || (step == BookingStep::Cancel && owner);
    let reason_text = input.reason.as_deref().unwrap_or("");
    let reason = if reason_required {
        p.check(market::text("reason", reason_text, REASON_MAX))
    } else {
        p.check(market::optional_text("reason", reason_text, REASON_MAX))
            .flatten()
    };
    let today = today_date();
    let audit = ctx.audit();
    let after = match step {
        BookingStep::Confirm | BookingStep::Decline | BookingStep::Cancel => {
            p.into_result()?;
            let mut tx = state.db.begin().await?;
            let after =
                store::set_status(&mut tx, &audit, b.id, &[b.status], to, reason.as_deref())
                    .await?;
            if step == BookingStep::Cancel
                && b.prepayment
                && let Some(bill) = bills::for_booking_in(&mut tx, b.id).await?
            {
                // Nothing will be used: the prepayment bill comes to nothing, and whatever was
                // paid is owed back (the owner records the refund).
                bills::settle(&mut tx, &audit, bill.id, 0, 0, None).await?;
            }
            if step == BookingStep::Confirm && b.prepayment {
                // Prepayment: the bill for the booked units, due before the start.
                let start_day = pilot::date_of_slot(b.start_slot);
                let due = if start_day > today {
                    start_day.plus_days(-1)
                } else {
                    today
                };
                bills::issue(
                    &mut tx,
                    &audit,
                    &NewBill {
                        booking_id: b.id,
                        kind: BillKind::Prepayment,
                        units: b.units,
                        unit_price_fen: b.unit_price_fen,
                        extra_fen: 0,
                        extra_note: None,
                        issued_on: today,
                        due_on: due,
                    },
                )
                .await?;
            }
            tx.commit().await?;
            after
        }
        BookingStep::RecordUse => {
            let used = p.check(pilot::used_units(input.used_units));
            let note = p
                .check(market::optional_text(
                    "use_note",
                    input.use_note.as_deref().unwrap_or(""),
                    REASON_MAX,
                ))
                .flatten();
            let terms = if b.prepayment {
                match billing::bill_terms(
                    input.extra.as_deref().unwrap_or(""),
                    input.extra_note.as_deref().unwrap_or(""),
                    "",
                    today,
                ) {
                    Ok(t) => Some(t),
                    Err(errors) => {
                        for e in errors {
                            p.check::<()>(Err(e));
                        }
                        None
                    }
                }
            } else {
                None
            };
            p.into_result()?;
            let used = used.unwrap_or(0);
            let mut tx = state.db.begin().await?;
            let after = store::record_use(&mut tx, &audit, b.id, to, used, note.as_deref()).await?;
            if let Some(t) = terms {
                let bill = bills::for_booking_in(&mut tx, b.id)
                    .await?
                    .ok_or(AppError::NotFound)?;
                bills::settle(
                    &mut tx,
                    &audit,
                    bill.id,
                    used,
                    t.extra_fen,
                    t.extra_note.as_deref(),
                )
                .await?;
            }
            tx.commit().await?;
            after
        }
        BookingStep::Bill => {
            let terms = billing::bill_terms(
                input.extra.as_deref().unwrap_or(""),
                input.extra_note.as_deref().unwrap_or(""),
                input.due_on.as_deref().unwrap_or(""),
                today,
            );
            let terms = match terms {
                Ok(t) => Some(t),
                Err(errors) => {
                    for e in errors {
                        p.check::<()>(Err(e));
                    }
                    None
                }
            };
            p.into_result()?;
            let Some(t) = terms else {
                return Err(AppError::Internal(anyhow::anyhow!("checked above")));
            };
            let mut tx = state.db.begin().await?;
            let after =
                store::set_status(&mut tx, &audit, b.id, &[BookingStatus::Used], to, None).await?;
            bills::issue(
                &mut tx,
                &audit,
                &NewBill {
                    booking_id: b.id,
                    kind: BillKind::AfterUse,
                    units: b.used_units.unwrap_or(b.units),
                    unit_price_fen: b.unit_price_fen,
                    extra_fen: t.extra_fen,
                    extra_note: t.extra_note,
                    issued_on: today,
                    due_on: t.due_on,
                },
            )
            .await?;
            tx.commit().await?;
            after
        }
    };
    let other = if owner {
        b.booker_org_id
    } else {
        b.owner_org_id
    };
    crate::inbox::tell(
        state,
        &[other],
        crate::inbox::Notice::booking(
            &after,
            step.code(),
            &format!(
                "{}：{}",
                step.label(Lang::ZhCn),
                after.status.label(Lang::ZhCn)
            ),
        ),
    )
    .await;
    detail(state, ctx, after, &r.rules()).await
}

// ---------------------------------------------------------------------------------------------
// Statistics

/// One resource's year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResourceYearView {
    pub resource_id: i64,
    pub resource_name: String,
    #[schema(value_type = fruition_domain::pilot::ResourceKind)]
    pub kind: String,
    pub owner_org_id: i64,
    pub owner_name: String,
    /// Bookings used (started in the year).
    pub bookings: i64,
    pub used_units: i64,
    /// Organisations served.
    pub users: i64,
    /// Bills of the year (after use), 元 in fen: billed, paid in money, paid with vouchers.
    pub billed_fen: i64,
    pub paid_fen: i64,
    pub voucher_fen: i64,
}

/// One owner's (a pilot base's, institution's or firm's) year: its resources summed.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct BaseYearView {
    pub owner_org_id: i64,
    pub owner_name: String,
    pub resources: i64,
    pub bookings: i64,
    pub users: i64,
    pub billed_fen: i64,
    pub paid_fen: i64,
    pub voucher_fen: i64,
}

/// The year's figures of pilot lines, instruments and vouchers.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PilotYearView {
    pub year: i64,
    pub resources: Vec<ResourceYearView>,
    pub bases: Vec<BaseYearView>,
    pub totals: BaseYearView,
    pub vouchers_issued: i64,
    pub vouchers_issued_fen: i64,
    pub voucher_enterprises: i64,
    pub vouchers_spent_fen: i64,
    pub vouchers_reimbursed_fen: i64,
}

pub async fn year_figures(state: &App, year: i64) -> Result<PilotYearView, AppError> {
    let (rows, v) = tokio::try_join!(
        store::year_use(&state.db, year),
        fruition_store::vouchers::year_figures(&state.db, year),
    )?;
    let mut bases: Vec<BaseYearView> = Vec::new();
    let mut totals = BaseYearView {
        owner_name: "合计".into(),
        ..BaseYearView::default()
    };
    for r in &rows {
        let base = match bases.iter_mut().find(|b| b.owner_org_id == r.owner_org_id) {
            Some(b) => b,
            None => {
                bases.push(BaseYearView {
                    owner_org_id: r.owner_org_id,
                    owner_name: r.owner_name.clone(),
                    ..BaseYearView::default()
                });
                bases.last_mut().expect("just pushed")
            }
        };
        for t in [&mut *base, &mut totals] {
            t.resources += 1;
            t.bookings += r.bookings;
            t.users += r.users;
            t.billed_fen += r.billed_fen;
            t.paid_fen += r.paid_fen;
            t.voucher_fen += r.voucher_fen;
        }
    }
    Ok(PilotYearView {
        year,
        resources: rows
            .into_iter()
            .map(|r| ResourceYearView {
                resource_id: r.resource_id,
                resource_name: r.resource_name,
                kind: r.kind,
                owner_org_id: r.owner_org_id,
                owner_name: r.owner_name,
                bookings: r.bookings,
                used_units: r.used_units,
                users: r.users,
                billed_fen: r.billed_fen,
                paid_fen: r.paid_fen,
                voucher_fen: r.voucher_fen,
            })
            .collect(),
        bases,
        totals,
        vouchers_issued: v.issued,
        vouchers_issued_fen: v.issued_fen,
        voucher_enterprises: v.enterprises,
        vouchers_spent_fen: v.spent_fen,
        vouchers_reimbursed_fen: v.reimbursed_fen,
    })
}

/// A year's pilot figures for the annual report.
pub async fn tally(
    state: &App,
    year: i64,
) -> Result<fruition_domain::annual::PilotTally, AppError> {
    let y = year_figures(state, year).await?;
    Ok(fruition_domain::annual::PilotTally {
        resources: y.totals.resources,
        owners: y.bases.len() as i64,
        bookings: y.totals.bookings,
        users: y.totals.users,
        billed_fen: y.totals.billed_fen,
        voucher_fen: y.totals.voucher_fen,
    })
}
