//! Pilot lines and shared instruments (中试 / 大型仪器共享): what a resource offers and when, how a
//! booking's time becomes slots, what it costs, and the life of a booking.
//!
//! Time is the city's local time (UTC+8, no daylight saving). A booking holds whole **slots** —
//! local hours counted from 1970-01-01 00:00 — from its start to its end: an hour resource by the
//! hour, a day resource by whole days (24 slots each), a batch resource by batches of the owner's
//! batch length. The database keeps one row per held slot with the slot as part of the key, so a
//! slot can never be held twice (see `store::pilot`).
//!
//! ```text
//! requested ──confirm──▶ confirmed ──record_use──▶ used ──bill──▶ billed
//!    │  └──confirm (prepayment required)──▶ awaiting_prepayment ──paid──▶ confirmed
//!    ├──decline──▶ declined
//!    └──cancel (requested, awaiting_prepayment, confirmed)──▶ cancelled
//! ```

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::date::IsoDate;
use crate::market;
use crate::money;
use crate::org::string_enum;

string_enum! {
    /// What is shared.
    ResourceKind {
        PilotLine = "pilot_line", "中试线", "Pilot line";
        Instrument = "instrument", "大型仪器", "Instrument";
        Testing = "testing", "检验检测", "Testing service";
    }
}

string_enum! {
    /// How a resource is booked and priced.
    Unit {
        Hour = "hour", "小时", "hour";
        Day = "day", "天", "day";
        Batch = "batch", "批次", "batch";
    }
}

string_enum! {
    /// Where a booking stands.
    BookingStatus {
        Requested = "requested", "待确认", "Requested";
        AwaitingPrepayment = "awaiting_prepayment", "待预付", "Awaiting prepayment";
        Confirmed = "confirmed", "已确认", "Confirmed";
        Declined = "declined", "已拒绝", "Declined";
        Cancelled = "cancelled", "已取消", "Cancelled";
        Used = "used", "已使用（待开账单）", "Used (to be billed)";
        Billed = "billed", "已开账单", "Billed";
    }
}

string_enum! {
    /// What happens to a booking.
    BookingStep {
        Confirm = "confirm", "确认预约", "Confirm";
        Decline = "decline", "拒绝预约", "Decline";
        Cancel = "cancel", "取消预约", "Cancel";
        RecordUse = "record_use", "登记使用", "Record the use";
        Bill = "bill", "开具账单", "Issue the bill";
    }
}

impl BookingStatus {
    /// Whether the booking holds its slots (declined and cancelled ones give them back).
    pub fn holds_slots(self) -> bool {
        !matches!(self, BookingStatus::Declined | BookingStatus::Cancelled)
    }

    /// Still to happen: it can be cancelled.
    pub fn is_cancellable(self) -> bool {
        matches!(
            self,
            BookingStatus::Requested | BookingStatus::AwaitingPrepayment | BookingStatus::Confirmed
        )
    }

    /// The status after `step` (prepayment decides where a confirmation leads).
    pub fn after(self, step: BookingStep, prepayment: bool) -> Option<BookingStatus> {
        use BookingStatus::*;
        use BookingStep::*;
        match (self, step) {
            (Requested, Confirm) if prepayment => Some(AwaitingPrepayment),
            (Requested, Confirm) => Some(Confirmed),
            (Requested, Decline) => Some(Declined),
            (Requested | AwaitingPrepayment | Confirmed, Cancel) => Some(Cancelled),
            // A prepaid booking's bill exists already: recording the use settles it.
            (Confirmed, RecordUse) if prepayment => Some(Billed),
            (Confirmed, RecordUse) => Some(Used),
            (Used, Bill) => Some(Billed),
            _ => None,
        }
    }
}

/// Hours in a slot-counted day.
pub const DAY_SLOTS: i64 = 24;
/// Milliseconds in a slot.
pub const SLOT_MS: i64 = 3_600_000;
/// Local time is UTC+8.
pub const LOCAL_OFFSET_MS: i64 = 8 * SLOT_MS;
/// The most units one booking may take.
pub const MAX_UNITS: i64 = 1_000;
/// The longest one booking or maintenance block may last: 92 days of slots.
pub const MAX_SPAN: i64 = 92 * DAY_SLOTS;

/// The slot holding the instant `ms` (Unix milliseconds).
pub fn slot_of_ms(ms: i64) -> i64 {
    (ms + LOCAL_OFFSET_MS).div_euclid(SLOT_MS)
}

/// The Unix milliseconds at which `slot` starts.
pub fn ms_of_slot(slot: i64) -> i64 {
    slot * SLOT_MS - LOCAL_OFFSET_MS
}

/// The local date of a slot.
pub fn date_of_slot(slot: i64) -> IsoDate {
    IsoDate::from_days(slot.div_euclid(DAY_SLOTS))
}

/// The first slot of a local date.
pub fn slot_of_date(d: IsoDate) -> i64 {
    d.days_since_epoch() * DAY_SLOTS
}

/// Day of the week of a slot: 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday).
pub fn weekday_of_slot(slot: i64) -> u8 {
    (slot.div_euclid(DAY_SLOTS) + 3).rem_euclid(7) as u8
}

/// A slot as local time, `2026-12-01 09:00`.
pub fn slot_label(slot: i64) -> String {
    format!(
        "{} {:02}:00",
        date_of_slot(slot),
        slot.rem_euclid(DAY_SLOTS)
    )
}

/// Reads a local time `2026-12-01 09:00` / `2026-12-01T09:00[:00][+08:00]`, or a bare date (its
/// midnight), into a slot. Minutes must be :00: bookings are whole hours.
pub fn parse_slot(field: &'static str, input: &str) -> Result<i64, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "必填", "is required"));
    }
    let bad = || {
        FieldError::new(
            field,
            "datetime",
            format!(
                "“{}”不是有效时间，应为 2026-12-01 09:00 这样的格式",
                crate::echo(s)
            ),
            format!(
                "“{}” is not a valid time; use a time like 2026-12-01 09:00",
                crate::echo(s)
            ),
        )
    };
    let s = s.strip_suffix("+08:00").unwrap_or(s);
    let (date, time) = match s.split_once(['T', ' ']) {
        Some((d, t)) => (d, Some(t.trim())),
        None => (s, None),
    };
    let date = IsoDate::parse_field(date, field).map_err(|_| bad())?;
    let hour = match time {
        None => 0,
        Some(t) => {
            let mut parts = t.split(':');
            let h: i64 = parts
                .next()
                .filter(|h| !h.is_empty() && h.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|h| h.parse().ok())
                .ok_or_else(bad)?;
            let rest: Vec<&str> = parts.collect();
            if rest.is_empty() || rest.len() > 2 || !(0..24).contains(&h) {
                return Err(bad());
            }
            if rest.iter().any(|p| {
                !p.bytes().all(|b| b.is_ascii_digit())
                    || p.parse::<u8>().map(|v| v != 0).unwrap_or(true)
            }) {
                return Err(FieldError::new(
                    field,
                    "whole_hour",
                    "预约按整点计，请选择整点时间（如 09:00）",
                    "Bookings start on the hour (e.g. 09:00)",
                ));
            }
            h
        }
    };
    Ok(slot_of_date(date) + hour)
}

/// When a resource is open, and how it is booked: the owner's rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rules {
    pub unit: Unit,
    /// Hours in one batch (batch resources only).
    pub batch_hours: i64,
    /// Open days: bit 0 = Monday … bit 6 = Sunday.
    pub open_days: i64,
    /// Opening hours, local: from `open_from` (0–23) to `open_to` (1–24).
    pub open_from: i64,
    pub open_to: i64,
    /// A booker may cancel until this many hours before the start.
    pub cancel_hours: i64,
    /// How far ahead a booking may start, in days from today (the owner's horizon).
    pub horizon_days: i64,
}

/// The booking horizon when the owner sets none: one year.
pub const DEFAULT_HORIZON_DAYS: i64 = 365;
/// The farthest horizon an owner may set: three years.
pub const MAX_HORIZON_DAYS: i64 = 3 * 365;

/// Every day, around the clock.
pub const ALL_DAYS: i64 = 0b111_1111;
/// Monday to Friday.
pub const WORKDAYS: i64 = 0b001_1111;

const WEEKDAYS_ZH: [&str; 7] = ["一", "二", "三", "四", "五", "六", "日"];
const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

impl Rules {
    /// The slots `[start, end)` that `units` units from `start` take, if the rules allow them.
    pub fn window(&self, start: i64, units: i64) -> Result<(i64, i64), FieldError> {
        if !(1..=MAX_UNITS).contains(&units) {
            return Err(FieldError::new(
                "units",
                "out_of_range",
                format!("预约数量应在 1 到 {MAX_UNITS} 之间"),
                format!("Book between 1 and {MAX_UNITS} units"),
            ));
        }
        let closed = |slot: i64| {
            FieldError::new(
                "starts_at",
                "closed",
                format!(
                    "{} 不在开放时间内（{}）",
                    slot_label(slot),
                    self.opening_label(crate::lang::Lang::ZhCn)
                ),
                format!(
                    "{} is outside the opening hours ({})",
                    slot_label(slot),
                    self.opening_label(crate::lang::Lang::En)
                ),
            )
        };
        let open_day = |slot: i64| self.open_days & (1 << weekday_of_slot(slot)) != 0;
        let open_hour = |slot: i64| {
            let h = slot.rem_euclid(DAY_SLOTS);
            open_day(slot) && h >= self.open_from && h < self.open_to
        };
        match self.unit {
            Unit::Hour => {
                let end = start + units;
                if let Some(s) = (start..end).find(|s| !open_hour(*s)) {
                    return Err(closed(s));
                }
                Rules::within_span(start, end)
            }
            Unit::Day => {
                if start.rem_euclid(DAY_SLOTS) != 0 {
                    return Err(FieldError::new(
                        "starts_at",
                        "whole_day",
                        "按天预约的资源从当天 0 点开始，请只选日期",
                        "A resource booked by the day starts at midnight: give a date",
                    ));
                }
                let end = start + units * DAY_SLOTS;
                Rules::within_span(start, end)?;
                if let Some(s) = (start..end)
                    .step_by(DAY_SLOTS as usize)
                    .find(|s| !open_day(*s))
                {
                    return Err(closed(s));
                }
                Ok((start, end))
            }
            Unit::Batch => {
                if !open_hour(start) {
                    return Err(closed(start));
                }
                Rules::within_span(start, start + units * self.batch_hours.max(1))
            }
        }
    }

    /// Checks [`Rules::window`]'s result against [`MAX_SPAN`].
    fn within_span(start: i64, end: i64) -> Result<(i64, i64), FieldError> {
        if end - start > MAX_SPAN {
            return Err(FieldError::new(
                "units",
                "too_long",
                "一次预约最长 92 天，请分次预约",
                "One booking lasts at most 92 days: book in parts",
            ));
        }
        Ok((start, end))
    }

    /// `周一至周五 08:00–18:00` / `Mon–Fri 08:00–18:00`.
    pub fn opening_label(&self, lang: crate::lang::Lang) -> String {
        let names = if lang == crate::lang::Lang::ZhCn {
            WEEKDAYS_ZH
        } else {
            WEEKDAYS_EN
        };
        let days: Vec<usize> = (0..7).filter(|d| self.open_days & (1 << d) != 0).collect();
        let contiguous = days.windows(2).all(|w| w[1] == w[0] + 1);
        let prefix = lang.pick("周", "");
        let days = match (days.first(), days.last()) {
            _ if days.len() == 7 => lang.pick("每天", "Every day").to_string(),
            (Some(a), Some(b)) if contiguous && a != b => {
                format!(
                    "{prefix}{}{}{prefix}{}",
                    names[*a],
                    lang.pick("至", "–"),
                    names[*b]
                )
            }
            _ => days
                .iter()
                .map(|d| format!("{prefix}{}", names[*d]))
                .collect::<Vec<_>>()
                .join(lang.pick("、", ", ")),
        };
        format!("{days} {:02}:00–{:02}:00", self.open_from, self.open_to)
    }

    /// Whether a booking may start at `start` when today is `today`: no later than the horizon's
    /// last day. The refusal names `starts_at` and the last day that may be booked.
    pub fn within_horizon(&self, start: i64, today: IsoDate) -> Result<(), FieldError> {
        let last = today.plus_days(self.horizon_days);
        if start >= slot_of_date(last.plus_days(1)) {
            return Err(FieldError::new(
                "starts_at",
                "beyond_horizon",
                format!(
                    "该资源最多提前 {} 天预约，最晚可约到 {last}",
                    self.horizon_days
                ),
                format!(
                    "This resource is booked at most {} days ahead, up to {last}",
                    self.horizon_days
                ),
            ));
        }
        Ok(())
    }

    /// Whether a booker may still cancel a booking starting at `start` at the instant `now_ms`.
    pub fn may_cancel(&self, start: i64, now_ms: i64) -> bool {
        now_ms <= ms_of_slot(start) - self.cancel_hours * SLOT_MS
    }
}

/// The resource as typed by its owner.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct ResourceInput {
    pub kind: String,
    pub name: String,
    pub capabilities: String,
    pub place: String,
    pub unit: String,
    pub batch_hours: Option<i64>,
    /// 元 per unit, as typed.
    pub price: String,
    /// Percent off for incubatees of `discount_carrier_id` (0–100).
    pub incubatee_discount_pct: Option<i64>,
    pub discount_carrier_id: Option<i64>,
    /// Open days as a list of 1 (Monday) … 7 (Sunday); empty means every day.
    pub open_days: Vec<i64>,
    pub open_from: Option<i64>,
    pub open_to: Option<i64>,
    pub cancel_hours: Option<i64>,
    /// How far ahead a booking may start, in days (1–1095; one year when absent).
    pub horizon_days: Option<i64>,
    pub safety_notes: String,
    /// Ask for payment before use from a booker who has an overdue bill.
    pub prepay_if_overdue: bool,
    pub listing_id: Option<i64>,
}

/// A resource's checked description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResourceSpec {
    pub kind: ResourceKind,
    pub name: String,
    pub capabilities: String,
    pub place: String,
    pub rules: Rules,
    pub price_fen: i64,
    pub incubatee_discount_pct: i64,
    pub discount_carrier_id: Option<i64>,
    pub safety_notes: Option<String>,
    pub prepay_if_overdue: bool,
    pub listing_id: Option<i64>,
}

pub const NAME_MAX: usize = market::TITLE_MAX;
pub const CAPABILITIES_MAX: usize = 2_000;
pub const NOTES_MAX: usize = 2_000;
pub const REASON_MAX: usize = market::SUMMARY_MAX;

impl ResourceSpec {
    /// Checks every field; all problems at once, each naming its field.
    pub fn parse(input: &ResourceInput) -> Result<ResourceSpec, Vec<FieldError>> {
        let mut errors = Vec::new();
        fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errors.push(e)).ok()
        }
        let kind = keep(
            &mut errors,
            ResourceKind::parse(input.kind.trim()).ok_or_else(|| {
                FieldError::new(
                    "kind",
                    "invalid",
                    "请选择资源类型（中试线、大型仪器或检验检测）",
                    "Choose the kind: pilot line, instrument or testing service",
                )
            }),
        );
        let name = keep(&mut errors, market::text("name", &input.name, NAME_MAX));
        let capabilities = keep(
            &mut errors,
            market::text("capabilities", &input.capabilities, CAPABILITIES_MAX),
        );
        let place = keep(
            &mut errors,
            market::text("place", &input.place, market::SHORT_MAX),
        );
        let unit = keep(
            &mut errors,
            Unit::parse(input.unit.trim()).ok_or_else(|| {
                FieldError::new(
                    "unit",
                    "invalid",
                    "请选择计价单位（小时、天或批次）",
                    "Choose the unit: hour, day or batch",
                )
            }),
        );
        let range = |field: &'static str, v: i64, lo: i64, hi: i64, zh: &str, en: &str| {
            if (lo..=hi).contains(&v) {
                Ok(v)
            } else {
                Err(FieldError::new(
                    field,
                    "out_of_range",
                    format!("{zh}应在 {lo} 到 {hi} 之间"),
                    format!("{en} must be between {lo} and {hi}"),
                ))
            }
        };
        let batch_hours = match (unit, input.batch_hours) {
            (Some(Unit::Batch), None) => {
                errors.push(FieldError::new(
                    "batch_hours",
                    "required",
                    "按批次计价须填写每批次时长（小时）",
                    "A batch resource needs the hours of one batch",
                ));
                None
            }
            (Some(Unit::Batch), Some(h)) => keep(
                &mut errors,
                range(
                    "batch_hours",
                    h,
                    1,
                    24 * 31,
                    "每批次时长",
                    "The batch length",
                ),
            ),
            _ => Some(1),
        };
        let price_fen = keep(&mut errors, money::parse_yuan("price", &input.price));
        let discount = keep(
            &mut errors,
            range(
                "incubatee_discount_pct",
                input.incubatee_discount_pct.unwrap_or(0),
                0,
                100,
                "在孵企业优惠",
                "The incubatee discount",
            ),
        );
        if discount.unwrap_or(0) > 0 && input.discount_carrier_id.is_none() {
            errors.push(FieldError::new(
                "discount_carrier_id",
                "required",
                "设置了在孵企业优惠，请选择享受优惠的孵化载体",
                "Choose the carrier whose incubatees get the discount",
            ));
        }
        let mut open_days = 0;
        for d in &input.open_days {
            match d {
                1..=7 => open_days |= 1 << (d - 1),
                _ => errors.push(FieldError::new(
                    "open_days",
                    "invalid",
                    "开放日应为 1（周一）到 7（周日）",
                    "Open days are 1 (Monday) to 7 (Sunday)",
                )),
            }
        }
        if open_days == 0 {
            open_days = ALL_DAYS;
        }
        let open_from = keep(
            &mut errors,
            range(
                "open_from",
                input.open_from.unwrap_or(0),
                0,
                23,
                "开放起始时刻",
                "The opening hour",
            ),
        );
        let open_to = keep(
            &mut errors,
            range(
                "open_to",
                input.open_to.unwrap_or(24),
                1,
                24,
                "开放结束时刻",
                "The closing hour",
            ),
        );
        if let (Some(f), Some(t)) = (open_from, open_to)
            && t <= f
        {
            errors.push(FieldError::new(
                "open_to",
                "before_start",
                "结束时刻应晚于起始时刻",
                "Closing must come after opening",
            ));
        }
        let cancel_hours = keep(
            &mut errors,
            range(
                "cancel_hours",
                input.cancel_hours.unwrap_or(24),
                0,
                24 * 90,
                "取消期限（小时）",
                "The cancellation deadline (hours)",
            ),
        );
        let horizon_days = keep(
            &mut errors,
            range(
                "horizon_days",
                input.horizon_days.unwrap_or(DEFAULT_HORIZON_DAYS),
                1,
                MAX_HORIZON_DAYS,
                "可提前预约的天数",
                "How many days ahead it may be booked",
            ),
        );
        let safety_notes = keep(
            &mut errors,
            market::optional_text("safety_notes", &input.safety_notes, NOTES_MAX),
        );
        if !errors.is_empty() {
            return Err(errors);
        }
        let (
            Some(kind),
            Some(name),
            Some(capabilities),
            Some(place),
            Some(unit),
            Some(batch_hours),
            Some(price_fen),
            Some(discount),
            Some(open_from),
            Some(open_to),
            Some(cancel_hours),
            Some(horizon_days),
            Some(safety_notes),
        ) = (
            kind,
            name,
            capabilities,
            place,
            unit,
            batch_hours,
            price_fen,
            discount,
            open_from,
            open_to,
            cancel_hours,
            horizon_days,
            safety_notes,
        )
        else {
            unreachable!("every missing value pushed an error")
        };
        Ok(ResourceSpec {
            kind,
            name,
            capabilities,
            place,
            rules: Rules {
                unit,
                batch_hours,
                open_days,
                open_from,
                open_to,
                cancel_hours,
                horizon_days,
            },
            price_fen,
            incubatee_discount_pct: discount,
            discount_carrier_id: input.discount_carrier_id.filter(|_| discount > 0),
            safety_notes,
            prepay_if_overdue: input.prepay_if_overdue,
            listing_id: input.listing_id,
        })
    }
}

/// The price of one unit for a booker: the list price, less the incubatee discount when the
/// booker is an incubatee of the resource's discount carrier.
pub fn unit_price(price_fen: i64, discount_pct: i64, incubatee: bool) -> i64 {
    if incubatee && discount_pct > 0 {
        price_fen - money::percent_of(price_fen, discount_pct)
    } else {
        price_fen
    }
}

/// Units actually used, as recorded by the owner: 0 (not used) up to [`MAX_UNITS`].
pub fn used_units(v: Option<i64>) -> Result<i64, FieldError> {
    match v {
        None => Err(FieldError::new(
            "used_units",
            "required",
            "必填",
            "is required",
        )),
        Some(v) if (0..=MAX_UNITS).contains(&v) => Ok(v),
        Some(_) => Err(FieldError::new(
            "used_units",
            "out_of_range",
            format!("实际使用量应在 0 到 {MAX_UNITS} 之间"),
            format!("The units used must be between 0 and {MAX_UNITS}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn rules(unit: Unit) -> Rules {
        Rules {
            unit,
            batch_hours: 8,
            open_days: WORKDAYS,
            open_from: 8,
            open_to: 18,
            cancel_hours: 24,
            horizon_days: DEFAULT_HORIZON_DAYS,
        }
    }

    #[test]
    fn bookings_start_within_the_owners_horizon() {
        let r = rules(Unit::Hour);
        let today = IsoDate::parse("2026-12-04").unwrap();
        assert!(r.within_horizon(at("2027-12-04 09:00"), today).is_ok());
        let e = r.within_horizon(at("2027-12-05 09:00"), today).unwrap_err();
        assert_eq!(e.field, "starts_at");
        assert!(e.zh.contains("最晚可约到 2027-12-04"), "{}", e.zh);
        assert!(r.within_horizon(at("2099-12-31 09:00"), today).is_err());
        let near = Rules {
            horizon_days: 7,
            ..r
        };
        assert!(near.within_horizon(at("2026-12-11 17:00"), today).is_ok());
        assert!(near.within_horizon(at("2026-12-12 08:00"), today).is_err());
    }

    fn at(s: &str) -> i64 {
        parse_slot("starts_at", s).unwrap()
    }

    #[test]
    fn local_time_is_utc_plus_eight() {
        // 2026-12-01 09:00 in Zhuzhou is 01:00 UTC.
        let slot = at("2026-12-01 09:00");
        assert_eq!(ms_of_slot(slot), 1_796_086_800_000);
        assert_eq!(slot_of_ms(1_796_086_800_000), slot);
        assert_eq!(slot_label(slot), "2026-12-01 09:00");
        assert_eq!(at("2026-12-01T09:00:00+08:00"), slot);
        assert_eq!(weekday_of_slot(slot), 1, "2026-12-01 is a Tuesday");
        assert_eq!(at("2026-12-01"), slot - 9);
    }

    #[test]
    fn times_that_are_not_whole_hours_are_refused_by_field() {
        assert_eq!(
            parse_slot("starts_at", "2026-12-01 09:30")
                .unwrap_err()
                .code,
            "whole_hour"
        );
        assert_eq!(
            parse_slot("starts_at", "2026-13-01 09:00")
                .unwrap_err()
                .code,
            "datetime"
        );
        assert_eq!(
            parse_slot("starts_at", "09:00").unwrap_err().code,
            "datetime"
        );
        assert_eq!(
            parse_slot("starts_at", "2026-12-01 25:00")
                .unwrap_err()
                .code,
            "datetime"
        );
        assert_eq!(parse_slot("starts_at", "").unwrap_err().code, "required");
    }

    #[test]
    fn hour_bookings_stay_inside_the_opening_hours() {
        let r = rules(Unit::Hour);
        let s = at("2026-12-01 09:00");
        assert_eq!(r.window(s, 3), Ok((s, s + 3)));
        let e = r.window(s, 10).unwrap_err();
        assert_eq!((e.field, e.code), ("starts_at", "closed"));
        assert!(e.zh.contains("2026-12-01 18:00"), "{}", e.zh);
        assert!(e.zh.contains("周一至周五 08:00–18:00"), "{}", e.zh);
        // Saturday.
        assert_eq!(
            r.window(at("2026-12-05 09:00"), 1).unwrap_err().code,
            "closed"
        );
        assert_eq!(r.window(s, 0).unwrap_err().field, "units");
        // A booking lasts at most MAX_SPAN: three month-long batches are too long, two are not.
        let batches = Rules {
            unit: Unit::Batch,
            batch_hours: 24 * 31,
            ..r
        };
        assert_eq!(batches.window(s, 2).map(|w| w.1 - w.0), Ok(2 * 24 * 31));
        assert_eq!(batches.window(s, 3).unwrap_err().code, "too_long");
    }

    #[test]
    fn day_bookings_take_whole_days() {
        let r = rules(Unit::Day);
        let d = at("2026-12-01");
        assert_eq!(r.window(d, 2), Ok((d, d + 48)));
        assert_eq!(r.window(d + 9, 1).unwrap_err().code, "whole_day");
        // Tuesday to Saturday crosses the weekend.
        assert_eq!(r.window(d, 5).unwrap_err().code, "closed");
    }

    #[test]
    fn batches_run_their_length_from_an_open_hour() {
        let r = rules(Unit::Batch);
        let s = at("2026-12-01 16:00");
        assert_eq!(
            r.window(s, 2),
            Ok((s, s + 16)),
            "a batch may run past closing"
        );
        assert_eq!(
            r.window(at("2026-12-01 19:00"), 1).unwrap_err().code,
            "closed"
        );
    }

    #[test]
    fn cancellation_deadline() {
        let r = rules(Unit::Hour);
        let s = at("2026-12-02 09:00");
        assert!(r.may_cancel(s, ms_of_slot(s) - 24 * SLOT_MS));
        assert!(!r.may_cancel(s, ms_of_slot(s) - 24 * SLOT_MS + 1));
    }

    #[test]
    fn opening_labels() {
        let mut r = rules(Unit::Hour);
        assert_eq!(r.opening_label(Lang::En), "Mon–Fri 08:00–18:00");
        r.open_days = ALL_DAYS;
        r.open_from = 0;
        r.open_to = 24;
        assert_eq!(r.opening_label(Lang::ZhCn), "每天 00:00–24:00");
        r.open_days = 0b101_0001;
        assert_eq!(r.opening_label(Lang::ZhCn), "周一、周五、周日 00:00–24:00");
    }

    #[test]
    fn the_life_of_a_booking() {
        use BookingStatus::*;
        use BookingStep::*;
        assert_eq!(Requested.after(Confirm, false), Some(Confirmed));
        assert_eq!(Requested.after(Confirm, true), Some(AwaitingPrepayment));
        assert_eq!(
            AwaitingPrepayment.after(Confirm, true),
            None,
            "paying confirms it"
        );
        assert_eq!(Confirmed.after(RecordUse, false), Some(Used));
        assert_eq!(Confirmed.after(RecordUse, true), Some(Billed));
        assert_eq!(Used.after(Bill, false), Some(Billed));
        assert_eq!(Used.after(Cancel, false), None);
        assert_eq!(Declined.after(Confirm, false), None);
        assert!(!Cancelled.holds_slots() && !Declined.holds_slots() && Billed.holds_slots());
    }

    #[test]
    fn resource_input_errors_name_their_fields() {
        let errors = ResourceSpec::parse(&ResourceInput {
            kind: "robot".into(),
            unit: "batch".into(),
            price: "-1".into(),
            incubatee_discount_pct: Some(120),
            open_days: vec![8],
            open_from: Some(18),
            open_to: Some(8),
            ..ResourceInput::default()
        })
        .unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        for f in [
            "kind",
            "name",
            "capabilities",
            "place",
            "batch_hours",
            "price",
            "incubatee_discount_pct",
            "open_days",
            "open_to",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn incubatees_pay_the_discounted_price() {
        assert_eq!(unit_price(80_000, 20, true), 64_000);
        assert_eq!(unit_price(80_000, 20, false), 80_000);
        assert_eq!(unit_price(99, 50, true), 49);
    }
}
