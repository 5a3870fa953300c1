//! The alliance's events (交流调研、创新创业沙龙、路演、服务能力提升培训): the bureau or a member
//! carrier's operator organises one; any signed-in user registers (a place while places remain,
//! else the waiting list in order) or cancels (the first waiting person moves up in the same
//! transaction and is told); each registration carries a once-only check-in code the organiser
//! enters on the day; changes of time, place or status tell everyone registered; each event is
//! an iCalendar file.

use fruition_domain::alliance::{
    self, CODE_ALPHABET, CODE_LEN, CalendarEvent, EventKind, EventStatus, MAX_CAPACITY,
    RegistrationStatus,
};
use fruition_domain::authz::Action;
use fruition_domain::echo;
use fruition_domain::lang::Lang;
use fruition_store::alliance::events::{self as store, CheckIn, Event, NewEvent, Registration};
use fruition_store::alliance::members;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{optional_text, problems_or, refused, text};
use crate::clock::{local_time, now_ms, rfc3339, this_year};
use crate::error::{AppError, Problem};
use crate::inbox::{self, Notice};
use crate::{App, Ctx};

/// An event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    pub kind: EventKind,
    pub kind_label: String,
    pub title: String,
    pub description: String,
    pub place: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
    pub ends_at: String,
    pub register_by: String,
    /// China time, `2024-05-18 14:30`.
    pub starts_local: String,
    pub ends_local: String,
    pub register_by_local: String,
    pub capacity: i64,
    pub registered: i64,
    pub waiting: i64,
    pub attended: i64,
    pub places_left: i64,
    pub status: EventStatus,
    pub status_label: String,
    /// Whether registration is open now (open, before the deadline).
    pub registration_open: bool,
    pub organiser_org_id: i64,
    pub organiser_name: String,
    /// The member carrier it is organised in the name of.
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    /// Whether the caller organises it (changes it, sees the lists, checks people in).
    pub can_manage: bool,
}

impl EventView {
    fn new(ctx: &Ctx<'_>, e: Event) -> EventView {
        EventView {
            kind_label: e.kind.label(Lang::ZhCn).into(),
            status_label: e.status.label(Lang::ZhCn).into(),
            starts_at: rfc3339(e.starts_at),
            ends_at: rfc3339(e.ends_at),
            register_by: rfc3339(e.register_by),
            starts_local: local_time(e.starts_at),
            ends_local: local_time(e.ends_at),
            register_by_local: local_time(e.register_by),
            places_left: (e.capacity - e.registered).max(0),
            registration_open: e.status == EventStatus::Open && now_ms() <= e.register_by,
            can_manage: may_manage(ctx, &e),
            id: e.id,
            kind: e.kind,
            title: e.title,
            description: e.description,
            place: e.place,
            capacity: e.capacity,
            registered: e.registered,
            waiting: e.waiting,
            attended: e.attended,
            status: e.status,
            organiser_org_id: e.organiser_org_id,
            organiser_name: e.organiser_name,
            carrier_id: e.carrier_id,
            carrier_name: e.carrier_name,
        }
    }
}

fn may_manage(ctx: &Ctx<'_>, e: &Event) -> bool {
    ctx.require(Action::ManageEvent {
        organiser_org_id: e.organiser_org_id,
    })
    .is_ok()
}

/// A registration as its organiser (or its registrant) sees it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RegistrationView {
    pub id: i64,
    pub user_id: i64,
    pub user_name: String,
    pub org_name: String,
    pub status: RegistrationStatus,
    pub status_label: String,
    /// The place on the waiting list (1 is next), while waiting.
    pub position: Option<i64>,
    pub checked_in: bool,
    pub checked_in_at: Option<String>,
    pub checked_in_local: Option<String>,
}

impl RegistrationView {
    fn new(r: &Registration) -> RegistrationView {
        RegistrationView {
            id: r.id,
            user_id: r.user_id,
            user_name: r.user_name.clone(),
            org_name: r.org_name.clone(),
            status: r.status,
            status_label: r.status.label(Lang::ZhCn).into(),
            position: r.position,
            checked_in: r.checked_in_at.is_some(),
            checked_in_at: r.checked_in_at.map(rfc3339),
            checked_in_local: r.checked_in_at.map(local_time),
        }
    }
}

/// The caller's own registration, with its check-in code while it is live.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MyRegistration {
    pub registration: RegistrationView,
    /// The once-only check-in code (registered or waiting, not yet used).
    pub code: Option<String>,
    /// The code as read aloud: `ABCDE-FGHJK`.
    pub code_label: Option<String>,
}

/// An event with the caller's registration and, for its organiser, the lists.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDetail {
    pub event: EventView,
    pub mine: Option<MyRegistration>,
    /// The registered in order (organiser only).
    pub registered: Vec<RegistrationView>,
    /// The waiting list in order (organiser only).
    pub waiting: Vec<RegistrationView>,
    /// Who checked in (organiser only).
    pub attendance: Vec<RegistrationView>,
}

/// An event as it is planned or changed. Times are China time: `2024-05-18 14:30`.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EventInput {
    #[schema(value_type = EventKind)]
    pub kind: String,
    pub title: String,
    #[serde(default)]
    pub description: Option<String>,
    pub place: String,
    /// China time, `2024-05-18 14:30`.
    pub starts_at: String,
    pub ends_at: String,
    /// Registration closes then (default: when it starts).
    #[serde(default)]
    pub register_by: Option<String>,
    pub capacity: i64,
    /// The member carrier it is organised in the name of; none: the bureau's own event.
    #[serde(default)]
    pub carrier_id: Option<i64>,
    /// Default `open`; `cancelled` cancels it, `finished` closes it.
    #[serde(default)]
    #[schema(value_type = Option<EventStatus>)]
    pub status: Option<String>,
}

/// Which events to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    /// The year they start in (default: this year).
    #[serde(default)]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i64>,
}

/// A check-in code as the organiser enters it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    pub code: String,
}

/// A year's bounds in ms, China time.
fn year_ms(year: i64) -> (i64, i64) {
    let at =
        |y: i64| alliance::parse_china_time(&format!("{y:04}-01-01 00:00"), "year").unwrap_or(0);
    (at(year), at(year + 1))
}

/// The year's events, the earliest first.
pub async fn list(state: &App, ctx: &Ctx<'_>, q: &EventQuery) -> Result<Vec<EventView>, AppError> {
    let year = q.year.unwrap_or_else(this_year);
    if !(1949..=2200).contains(&year) {
        return Err(crate::input::problem(
            "year",
            "年份应在 1949 到 2200 之间",
            "The year is 1949 to 2200",
        ));
    }
    let (from, to) = year_ms(year);
    let events = store::list(&state.db, from, to).await?;
    Ok(events.into_iter().map(|e| EventView::new(ctx, e)).collect())
}

/// Every event of a year with its figures (the workbook's rows).
pub async fn year_rows(state: &App, ctx: &Ctx<'_>, year: i64) -> Result<Vec<EventView>, AppError> {
    list(state, ctx, &EventQuery { year: Some(year) }).await
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<EventDetail, AppError> {
    let e = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let manages = may_manage(ctx, &e);
    let mine = store::of_user(&state.db, id, ctx.principal.user.id)
        .await?
        .map(|r| {
            let live = r.status != RegistrationStatus::Cancelled && r.checked_in_at.is_none();
            MyRegistration {
                registration: RegistrationView::new(&r),
                code: live.then(|| r.code.clone()),
                code_label: live.then(|| alliance::code_label(&r.code)),
            }
        });
    let (mut registered, mut waiting, mut attendance) = (Vec::new(), Vec::new(), Vec::new());
    if manages {
        for r in store::registrations(&state.db, id).await? {
            let v = RegistrationView::new(&r);
            if r.checked_in_at.is_some() {
                attendance.push(v.clone());
            }
            match r.status {
                RegistrationStatus::Registered => registered.push(v),
                RegistrationStatus::Waiting => waiting.push(v),
                RegistrationStatus::Cancelled => {}
            }
        }
    }
    Ok(EventDetail {
        event: EventView::new(ctx, e),
        mine,
        registered,
        waiting,
        attendance,
    })
}

/// Plans an event: the bureau's own (no carrier), or in a member carrier's name by the bureau or
/// that carrier's managers.
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    input: &EventInput,
) -> Result<EventDetail, AppError> {
    let organiser = organiser(state, ctx, input.carrier_id).await?;
    let new = checked(input, organiser, None)?;
    let mut tx = state.db.begin().await?;
    let e = store::insert(&mut tx, &ctx.audit(), &new)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    get(state, ctx, e.id).await
}

/// Who organises an event planned with `carrier_id`, once the caller may.
async fn organiser(state: &App, ctx: &Ctx<'_>, carrier_id: Option<i64>) -> Result<i64, AppError> {
    match carrier_id {
        None => {
            ctx.require(Action::ManageAlliance)?;
            Ok(ctx.principal.user.org_id)
        }
        Some(c) => {
            let Some(m) = members::get(&state.db, c).await? else {
                return Err(AppError::Invalid(vec![Problem {
                    field: "carrier_id".into(),
                    zh: "该载体不是联盟成员单位".into(),
                    en: "This carrier is not a member of the alliance".into(),
                }]));
            };
            ctx.require(Action::ActForMember {
                operator_org_id: m.operator_org_id,
            })?;
            Ok(m.operator_org_id)
        }
    }
}

/// Changes an event (its organiser): a new time, place or status tells everyone registered or
/// waiting; a larger capacity moves the waiting list up, and each who moves up is told.
pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &EventInput,
) -> Result<EventDetail, AppError> {
    let before = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ManageEvent {
        organiser_org_id: before.organiser_org_id,
    })?;
    if input.carrier_id != before.carrier_id {
        return Err(crate::input::problem(
            "carrier_id",
            "活动的主办单位不能更改",
            "An event's organiser cannot change",
        ));
    }
    let new = checked(input, before.organiser_org_id, Some(&before))?;
    let mut tx = state.db.begin().await?;
    let (after, promoted) = store::update(&mut tx, &ctx.audit(), id, &new)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    let what = if after.status == EventStatus::Cancelled && before.status != EventStatus::Cancelled
    {
        Some("已取消")
    } else if after.starts_at != before.starts_at
        || after.ends_at != before.ends_at
        || after.place != before.place
    {
        Some("时间或地点有变更")
    } else {
        None
    };
    if let Some(what) = what {
        let users = store::live_users(&state.db, id).await?;
        inbox::tell_users(
            state,
            &users,
            Notice {
                kind: crate::inbox::InboxKind::Alliance,
                title: format!("活动“{}”{what}", after.title),
                body: format!(
                    "{} 至 {}，{}",
                    local_time(after.starts_at),
                    local_time(after.ends_at),
                    after.place
                ),
                link: Some(format!("/alliance/events/{id}")),
                ref_key: format!("alliance-event:{id}:change:{}", after.updated_at),
            },
        )
        .await;
    }
    for r in &promoted {
        tell_promoted(state, &after, r).await;
    }
    get(state, ctx, id).await
}

async fn tell_promoted(state: &App, e: &Event, r: &Registration) {
    inbox::tell_users(
        state,
        &[r.user_id],
        Notice {
            kind: crate::inbox::InboxKind::Alliance,
            title: format!("候补成功：您已获得活动“{}”的名额", e.title),
            body: format!("{}，{}", local_time(e.starts_at), e.place),
            link: Some(format!("/alliance/events/{}", e.id)),
            ref_key: format!("alliance-registration:{}:promoted", r.id),
        },
    )
    .await;
}

/// Every problem with an event's input at once.
fn checked(
    input: &EventInput,
    organiser_org_id: i64,
    before: Option<&Event>,
) -> Result<NewEvent, AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    let kind = EventKind::parse(input.kind.trim());
    if kind.is_none() {
        problems.push(Problem {
            field: "kind".into(),
            zh: format!("未知的活动类型“{}”", echo(&input.kind)),
            en: format!("Unknown kind of event “{}”", echo(&input.kind)),
        });
    }
    let title = text(
        &mut problems,
        "title",
        &input.title,
        100,
        "活动名称",
        "The title",
    );
    let place = text(
        &mut problems,
        "place",
        &input.place,
        200,
        "地点",
        "The place",
    );
    let description = optional_text(
        &mut problems,
        "description",
        input.description.as_deref(),
        5000,
    );
    let mut time = |field: &'static str, s: &str| match alliance::parse_china_time(s, field) {
        Ok(v) => Some(v),
        Err(e) => {
            problems.push(e.into());
            None
        }
    };
    let starts = time("starts_at", &input.starts_at);
    let ends = time("ends_at", &input.ends_at);
    let register_by = match input
        .register_by
        .as_deref()
        .filter(|s| !s.trim().is_empty())
    {
        Some(s) => time("register_by", s),
        None => starts,
    };
    if let (Some(s), Some(e)) = (starts, ends)
        && e <= s
    {
        problems.push(Problem {
            field: "ends_at".into(),
            zh: "结束时间应晚于开始时间".into(),
            en: "The end is after the start".into(),
        });
    }
    if let (Some(s), Some(r)) = (starts, register_by)
        && r > s
    {
        problems.push(Problem {
            field: "register_by".into(),
            zh: "报名截止时间不能晚于活动开始时间".into(),
            en: "Registration closes no later than the start".into(),
        });
    }
    if !(1..=MAX_CAPACITY).contains(&input.capacity) {
        problems.push(Problem {
            field: "capacity".into(),
            zh: format!("人数上限应为 1 到 {MAX_CAPACITY}"),
            en: format!("The capacity is 1 to {MAX_CAPACITY}"),
        });
    }
    let status = match input
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => Some(before.map(|b| b.status).unwrap_or(EventStatus::Open)),
        Some(s) => {
            let st = EventStatus::parse(s);
            if st.is_none() {
                problems.push(Problem {
                    field: "status".into(),
                    zh: format!("未知的活动状态“{}”", echo(s)),
                    en: format!("Unknown event status “{}”", echo(s)),
                });
            }
            st
        }
    };
    if let (Some(b), Some(st)) = (before, status)
        && b.status == EventStatus::Cancelled
        && st != EventStatus::Cancelled
    {
        problems.push(Problem {
            field: "status".into(),
            zh: "已取消的活动不能恢复".into(),
            en: "A cancelled event cannot be reopened".into(),
        });
    }
    let (Some(kind), Some(starts_at), Some(ends_at), Some(register_by), Some(status)) =
        (kind, starts, ends, register_by, status)
    else {
        return Err(AppError::Invalid(problems));
    };
    problems_or(
        problems,
        Some(NewEvent {
            kind,
            title,
            description,
            place,
            starts_at,
            ends_at,
            register_by,
            capacity: input.capacity,
            status,
            organiser_org_id,
            carrier_id: input.carrier_id,
        }),
    )
}

/// A new check-in code: `CODE_LEN` letters of the code alphabet from the system's randomness.
fn new_code() -> String {
    let mut rng = rand::rng();
    (0..CODE_LEN)
        .map(|_| {
            let i = (rng.next_u32() as usize) % CODE_ALPHABET.len();
            char::from(CODE_ALPHABET[i])
        })
        .collect()
}

/// Registers the caller: a place while places remain, else the waiting list.
pub async fn register(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<EventDetail, AppError> {
    ctx.require(Action::RegisterForEvent)?;
    store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    store::register(
        &mut tx,
        &ctx.audit(),
        id,
        ctx.principal.user.id,
        &new_code(),
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    get(state, ctx, id).await
}

/// Cancels the caller's registration (404 when there is none); a place it frees goes to the
/// first waiting person, who is told.
pub async fn cancel(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<EventDetail, AppError> {
    ctx.require(Action::RegisterForEvent)?;
    let e = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let mine = store::of_user(&state.db, id, ctx.principal.user.id)
        .await?
        .filter(|r| r.status != RegistrationStatus::Cancelled)
        .ok_or(AppError::NotFound)?;
    let mut tx = state.db.begin().await?;
    let (_, promoted) = store::cancel(&mut tx, &ctx.audit(), mine.id)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    if let Some(r) = promoted {
        tell_promoted(state, &e, &r).await;
    }
    get(state, ctx, id).await
}

/// Checks in the registered person holding the code (the organiser); a code works once.
pub async fn check_in(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &CheckInInput,
) -> Result<RegistrationView, AppError> {
    let e = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ManageEvent {
        organiser_org_id: e.organiser_org_id,
    })?;
    let unknown = || {
        crate::input::problem(
            "code",
            "签到码无效：不是本活动已报名人员的签到码",
            "The code is not a registered person's code for this event",
        )
    };
    let code = alliance::normalise_code(&input.code).ok_or_else(unknown)?;
    let mut tx = state.db.begin().await?;
    let done = store::check_in(&mut tx, &ctx.audit(), id, &code).await?;
    tx.commit().await?;
    match done {
        CheckIn::Done(r) => Ok(RegistrationView::new(&r)),
        CheckIn::Used(r) => Err(AppError::Conflict {
            field: "code".into(),
            zh: format!(
                "该签到码已于 {} 使用过",
                r.checked_in_at.map(local_time).unwrap_or_default()
            ),
            en: "This code has been used already".into(),
        }),
        CheckIn::Unknown => Err(unknown()),
    }
}

/// The event as an iCalendar file (RFC 5545).
pub async fn calendar(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<String, AppError> {
    let _ = ctx;
    let e = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let uid = format!("alliance-event-{}@fruition.zhuzhou", e.id);
    let description = if e.description.is_empty() {
        format!("{}：{}", e.kind.label(Lang::ZhCn), e.organiser_name)
    } else {
        e.description.clone()
    };
    Ok(alliance::ics(&CalendarEvent {
        uid: &uid,
        stamp_ms: e.updated_at,
        starts_ms: e.starts_at,
        ends_ms: e.ends_at,
        summary: &e.title,
        location: &e.place,
        description: &description,
        cancelled: e.status == EventStatus::Cancelled,
    }))
}
