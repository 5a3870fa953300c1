//! Startup mentors (创业导师) as carriers keep them: a mentor's profile, the incubatees the mentor
//! guides and the sessions held. Every signed-in user finds mentors by field (without their
//! contact details, which the keeping carrier and the bureau see); a relationship and its
//! sessions are seen by the bureau, the carrier and the enterprise guided. The Torch form's
//! mentor figure of a carrier's yearly report comes from these records
//! ([`mentors_on_record`]).

use fruition_domain::account::{Email, Phone};
use fruition_domain::authz::Action;
use fruition_domain::market as text_rule;
use fruition_domain::mentor::{self as rule, hours_text};
use fruition_store::mentors::{
    self as store, CarrierMentoring, Mentor, MentorFields, MentorFilter, Mentorship,
    MentorshipFilter, Session,
};
use fruition_store::{StoreError, carriers, enterprises};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::rfc3339;
use crate::error::AppError;
use crate::input::{day_into, day_of, page, problem};
use crate::reference::Lookups;
use crate::{App, Ctx, Problems};

/// A mentor's profile as a carrier writes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentorInput {
    pub name: String,
    /// 职称或职务, e.g. 教授级高级工程师.
    #[serde(default)]
    pub title: String,
    /// Where the mentor works.
    #[serde(default)]
    pub employer: String,
    /// What the mentor guides on.
    pub expertise: String,
    /// An industrial chain (code or name).
    #[serde(default)]
    pub field: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    /// Still available (default yes).
    #[serde(default)]
    pub active: Option<bool>,
    /// The carrier operator that keeps the profile (the bureau names one; a carrier's own by default).
    #[serde(default)]
    pub operator_org_id: Option<i64>,
}

/// A mentor; contact details only for those who keep the profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorView {
    pub id: i64,
    pub operator_org_id: i64,
    pub operator_name: String,
    pub name: String,
    pub title: String,
    pub employer: String,
    pub expertise: String,
    pub chain_code: Option<String>,
    pub chain_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub active: bool,
    /// Enterprises guided now.
    pub guiding: i64,
    /// Hours of every session recorded, one decimal.
    pub hours: String,
    pub updated_at: String,
}

impl MentorView {
    fn new(m: Mentor, lookups: &Lookups, contacts: bool) -> MentorView {
        MentorView {
            chain_name: lookups
                .chain(m.chain_code.as_deref())
                .map(|c| c.name_zh.clone()),
            hours: hours_text(m.minutes),
            updated_at: rfc3339(m.updated_at),
            phone: m.phone.filter(|_| contacts),
            email: m.email.filter(|_| contacts),
            id: m.id,
            operator_org_id: m.operator_org_id,
            operator_name: m.operator_name,
            name: m.name,
            title: m.title,
            employer: m.employer,
            expertise: m.expertise,
            chain_code: m.chain_code,
            active: m.active,
            guiding: m.guiding,
        }
    }
}

/// A mentoring relationship.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorshipView {
    pub id: i64,
    pub mentor_id: i64,
    pub mentor_name: String,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub started_on: String,
    pub ended_on: Option<String>,
    /// Hours of its sessions, one decimal.
    pub hours: String,
    pub minutes: i64,
}

impl From<Mentorship> for MentorshipView {
    fn from(s: Mentorship) -> Self {
        MentorshipView {
            hours: hours_text(s.minutes),
            id: s.id,
            mentor_id: s.mentor_id,
            mentor_name: s.mentor_name,
            enterprise_id: s.enterprise_id,
            enterprise_name: s.enterprise_name,
            carrier_id: s.carrier_id,
            carrier_name: s.carrier_name,
            started_on: s.started_on,
            ended_on: s.ended_on,
            minutes: s.minutes,
        }
    }
}

/// A session held.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentoringSessionView {
    pub id: i64,
    pub held_on: String,
    pub minutes: i64,
    pub hours: String,
    pub topic: String,
}

impl From<Session> for MentoringSessionView {
    fn from(s: Session) -> Self {
        MentoringSessionView {
            hours: hours_text(s.minutes),
            id: s.id,
            held_on: s.held_on,
            minutes: s.minutes,
            topic: s.topic,
        }
    }
}

/// A mentor with the relationships the actor may see.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorDetailView {
    pub mentor: MentorView,
    pub mentorships: Vec<MentorshipView>,
    /// Whether the actor keeps this mentor (edits, starts relationships, records sessions).
    pub keeps: bool,
}

/// A relationship with its sessions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MentorshipDetailView {
    pub mentorship: MentorshipView,
    pub sessions: Vec<MentoringSessionView>,
    pub keeps: bool,
}

/// A mentor starts guiding an incubatee.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentorshipInput {
    pub enterprise_id: i64,
    /// The carrier whose incubatee it is (default: the one incubating it now).
    #[serde(default)]
    pub carrier_id: Option<i64>,
    /// YYYY-MM-DD, not in the future (default today).
    #[serde(default)]
    pub started_on: Option<String>,
}

/// A session held.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentoringSessionInput {
    /// YYYY-MM-DD, not in the future (default today).
    #[serde(default)]
    pub held_on: Option<String>,
    /// Hours (`1.5`) or minutes (`90分钟`).
    pub duration: String,
    pub topic: String,
}

/// The day a relationship ended.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MentorshipEndInput {
    #[serde(default)]
    pub ended_on: Option<String>,
}

/// A carrier's mentoring in a year (the Torch form's mentor figure and the hours behind it).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierMentoringView {
    pub carrier_id: i64,
    pub carrier_name: String,
    /// Different mentors guiding its incubatees in the year.
    pub mentors: i64,
    pub mentorships: i64,
    /// Hours of the sessions held in the year, one decimal.
    pub hours: String,
}

impl From<CarrierMentoring> for CarrierMentoringView {
    fn from(c: CarrierMentoring) -> Self {
        CarrierMentoringView {
            hours: hours_text(c.minutes),
            carrier_id: c.carrier_id,
            carrier_name: c.carrier_name,
            mentors: c.mentors,
            mentorships: c.mentorships,
        }
    }
}

fn fields(input: &MentorInput, lookups: &Lookups) -> Result<MentorFields, AppError> {
    let mut p = Problems::default();
    let name = p.check(text_rule::text("name", &input.name, 50));
    let title = p
        .check(text_rule::optional_text("title", &input.title, 50))
        .flatten();
    let employer = p
        .check(text_rule::optional_text("employer", &input.employer, 100))
        .flatten();
    let expertise = p.check(text_rule::text("expertise", &input.expertise, 500));
    let chain_code = match input.field.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => match lookups.find_chain(f) {
            Some(c) => Some(c.code.clone()),
            None => {
                p.push("field", "没有这个产业链", "No such chain");
                None
            }
        },
        _ => None,
    };
    let phone = p
        .optional(input.phone.as_deref(), Phone::parse)
        .map(|x| x.to_string());
    let email = p
        .optional(input.email.as_deref(), Email::parse)
        .map(|x| x.to_string());
    p.into_result()?;
    Ok(MentorFields {
        name: name.unwrap_or_default(),
        title: title.unwrap_or_default(),
        employer: employer.unwrap_or_default(),
        expertise: expertise.unwrap_or_default(),
        chain_code,
        phone,
        email,
        active: input.active.unwrap_or(true),
    })
}

fn keeps(ctx: &Ctx<'_>, operator_org_id: i64) -> bool {
    ctx.require(Action::KeepMentors { operator_org_id }).is_ok()
}

/// Registers a mentor, kept by the actor's carrier operator (the bureau names the operator).
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    input: &MentorInput,
) -> Result<MentorView, AppError> {
    let operator = input.operator_org_id.unwrap_or(ctx.principal.user.org_id);
    ctx.require(Action::KeepMentors {
        operator_org_id: operator,
    })?;
    let org = fruition_store::organisations::get(&state.db, operator)
        .await?
        .filter(|o| o.kind == fruition_domain::org::OrgKind::CarrierOperator)
        .ok_or_else(|| {
            problem(
                "operator_org_id",
                "导师须由孵化载体运营主体登记",
                "A mentor is kept by a carrier operator",
            )
        })?;
    let lookups = Lookups::cached(state).await?;
    let f = fields(input, &lookups)?;
    let mut tx = state.db.begin().await?;
    let m = store::create(&mut tx, &ctx.audit(), org.id, &f).await?;
    tx.commit().await?;
    Ok(MentorView::new(m, &lookups, true))
}

/// Changes a mentor's profile (or marks the mentor unavailable).
pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &MentorInput,
) -> Result<MentorView, AppError> {
    let before = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::KeepMentors {
        operator_org_id: before.operator_org_id,
    })?;
    let lookups = Lookups::cached(state).await?;
    let f = fields(input, &lookups)?;
    let mut tx = state.db.begin().await?;
    let m = store::update(&mut tx, &ctx.audit(), id, &f).await?;
    tx.commit().await?;
    Ok(MentorView::new(m, &lookups, true))
}

/// Finds mentors.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MentorQuery {
    /// Words in the name, employer or expertise.
    #[serde(default)]
    pub q: Option<String>,
    /// An industrial chain (code or name).
    #[serde(default)]
    pub field: Option<String>,
    /// Only the mentors this carrier operator keeps.
    #[serde(default)]
    pub operator_org_id: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// Which mentoring relationships to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MentorshipQuery {
    /// Only those running in this year.
    #[serde(default)]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i64>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A year of mentoring (default this year).
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MentoringYearQuery {
    #[serde(default)]
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i64>,
}

/// Mentors by name; unavailable ones only for those who keep them.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    q: &MentorQuery,
) -> Result<Vec<MentorView>, AppError> {
    let (limit, offset) = page(q.limit, q.offset, 100, 1000)?;
    let lookups = Lookups::cached(state).await?;
    let chain_code = match q.field.as_deref().map(str::trim) {
        Some(f) if !f.is_empty() => Some(
            lookups
                .find_chain(f)
                .ok_or_else(|| problem("field", "没有这个产业链", "No such chain"))?
                .code
                .clone(),
        ),
        _ => None,
    };
    let query = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
    if query.is_some_and(|s| s.chars().count() > 50) {
        return Err(problem(
            "q",
            "搜索词不能超过 50 字",
            "At most 50 characters",
        ));
    }
    let own = q.operator_org_id.is_some_and(|o| keeps(ctx, o));
    let list = store::list(
        &state.db,
        &MentorFilter {
            operator_org_id: q.operator_org_id,
            chain_code,
            q: query.map(str::to_string),
            active_only: !own,
            limit,
            offset,
        },
    )
    .await?;
    Ok(list
        .into_iter()
        .map(|m| {
            let contacts = keeps(ctx, m.operator_org_id);
            MentorView::new(m, &lookups, contacts)
        })
        .collect())
}

/// A mentor with the relationships the actor may see.
pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<MentorDetailView, AppError> {
    let m = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let kept = keeps(ctx, m.operator_org_id);
    let mentorships = store::mentorships(
        &state.db,
        &MentorshipFilter {
            mentor_id: Some(id),
            limit: 1000,
            ..MentorshipFilter::default()
        },
    )
    .await?
    .into_iter()
    .filter(|s| visible(ctx, s))
    .map(Into::into)
    .collect();
    Ok(MentorDetailView {
        mentor: MentorView::new(m, &*Lookups::cached(state).await?, kept),
        mentorships,
        keeps: kept,
    })
}

fn visible(ctx: &Ctx<'_>, s: &Mentorship) -> bool {
    ctx.require(Action::ViewMentorship {
        operator_org_id: s.operator_org_id,
        enterprise_org_id: s.enterprise_org_id,
    })
    .is_ok()
}

/// A relationship the actor may see, else not found.
async fn seen(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Mentorship, AppError> {
    let s = store::mentorship(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !visible(ctx, &s) {
        return Err(AppError::NotFound);
    }
    Ok(s)
}

fn refused(e: StoreError) -> AppError {
    let StoreError::Conflict { field } = e else {
        return e.into();
    };
    let (zh, en) = match field.as_str() {
        "enterprise_id" => (
            "该导师正在辅导这家企业",
            "The mentor already guides this enterprise",
        ),
        "held_on" => (
            "辅导日期不在辅导关系的起止日期之内",
            "The day is outside the mentoring relationship",
        ),
        "ended_on" => ("该辅导关系已结束", "The relationship has ended"),
        _ => ("该值已存在", "This value already exists"),
    };
    AppError::Conflict {
        field,
        zh: zh.into(),
        en: en.into(),
    }
}

/// A mentor starts guiding one of the carrier's incubatees.
pub async fn start(
    state: &App,
    ctx: &Ctx<'_>,
    mentor_id: i64,
    input: &MentorshipInput,
) -> Result<MentorshipView, AppError> {
    let m = store::get(&state.db, mentor_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::KeepMentors {
        operator_org_id: m.operator_org_id,
    })?;
    let started_on = day_of("started_on", input.started_on.as_deref())?.to_string();
    enterprises::get(&state.db, input.enterprise_id)
        .await?
        .ok_or_else(|| problem("enterprise_id", "没有这家企业", "No such enterprise"))?;
    // The carrier: as given, or the one incubating the enterprise on the day it starts.
    let spells = enterprises::incubations(&state.db, input.enterprise_id).await?;
    let during = |carrier: i64| {
        spells.iter().any(|s| {
            s.carrier_id == carrier
                && s.entered_on.as_str() <= started_on.as_str()
                && s.exited_on
                    .as_deref()
                    .is_none_or(|e| e >= started_on.as_str())
        })
    };
    let carrier_id = match input.carrier_id {
        Some(c) => c,
        None => spells
            .iter()
            .map(|s| s.carrier_id)
            .find(|c| during(*c))
            .ok_or_else(|| {
                problem(
                    "enterprise_id",
                    "该企业在开始日期不在任何载体孵化",
                    "The enterprise was not incubated on that day",
                )
            })?,
    };
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or_else(|| problem("carrier_id", "没有这个载体", "No such carrier"))?;
    if !during(carrier_id) {
        return Err(problem(
            "enterprise_id",
            "该企业在开始日期不是该载体的在孵企业",
            "The enterprise was not the carrier's incubatee on that day",
        ));
    }
    // A carrier's mentor guides that carrier's incubatees; the bureau may pair any.
    if !ctx.sees_all() && carrier.operator_org_id != m.operator_org_id {
        return Err(problem(
            "carrier_id",
            "只能辅导本单位运营载体的在孵企业",
            "A carrier's mentor guides its own incubatees",
        ));
    }
    let mut tx = state.db.begin().await?;
    let s = store::start(
        &mut tx,
        &ctx.audit(),
        mentor_id,
        input.enterprise_id,
        carrier_id,
        &started_on,
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    Ok(s.into())
}

/// A relationship with its sessions.
pub async fn mentorship(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
) -> Result<MentorshipDetailView, AppError> {
    let s = seen(state, ctx, id).await?;
    let kept = keeps(ctx, s.operator_org_id);
    let sessions = store::sessions(&state.db, id).await?;
    Ok(MentorshipDetailView {
        mentorship: s.into(),
        sessions: sessions.into_iter().map(Into::into).collect(),
        keeps: kept,
    })
}

/// Relationships the actor may see: a carrier's, an enterprise's own, every one for the bureau.
pub async fn mentorships(
    state: &App,
    ctx: &Ctx<'_>,
    year: Option<i64>,
    enterprise_id: Option<i64>,
    limit: Option<i64>,
    offset: Option<i64>,
) -> Result<Vec<MentorshipView>, AppError> {
    let (limit, offset) = page(limit, offset, 100, 1000)?;
    if year.is_some_and(|y| !(2000..=2100).contains(&y)) {
        return Err(problem(
            "year",
            "年份应在 2000 到 2100 之间",
            "A year from 2000 to 2100",
        ));
    }
    let all = ctx.sees_all();
    let list = store::mentorships(
        &state.db,
        &MentorshipFilter {
            enterprise_id,
            visible_to: (!all).then_some(ctx.principal.user.org_id),
            year,
            limit,
            offset,
            ..MentorshipFilter::default()
        },
    )
    .await?;
    Ok(list.into_iter().map(Into::into).collect())
}

/// Records a session of a relationship; its minutes add to the relationship's.
pub async fn add_session(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &MentoringSessionInput,
) -> Result<MentoringSessionView, AppError> {
    let s = seen(state, ctx, id).await?;
    ctx.require(Action::KeepMentors {
        operator_org_id: s.operator_org_id,
    })?;
    let mut p = Problems::default();
    let minutes = p.check(rule::parse_duration("duration", &input.duration));
    let topic = p.check(text_rule::text("topic", &input.topic, 200));
    let held_on = day_into(&mut p, "held_on", input.held_on.as_deref());
    p.into_result()?;
    let (Some(minutes), Some(topic), Some(held_on)) = (minutes, topic, held_on) else {
        return Err(problem("duration", "请填写时长", "Give the length"));
    };
    let mut tx = state.db.begin().await?;
    let session = store::add_session(
        &mut tx,
        &ctx.audit(),
        id,
        &held_on.to_string(),
        minutes,
        &topic,
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    Ok(session.into())
}

/// Ends a relationship.
pub async fn end(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &MentorshipEndInput,
) -> Result<MentorshipView, AppError> {
    let s = seen(state, ctx, id).await?;
    ctx.require(Action::KeepMentors {
        operator_org_id: s.operator_org_id,
    })?;
    let ended_on = day_of("ended_on", input.ended_on.as_deref())?.to_string();
    if ended_on < s.started_on {
        return Err(problem(
            "ended_on",
            "结束日期不能早于开始日期",
            "The end cannot be before the start",
        ));
    }
    let mut tx = state.db.begin().await?;
    let s = store::end(&mut tx, &ctx.audit(), id, &ended_on)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    Ok(s.into())
}

/// Each carrier's mentoring in a year: the bureau sees every carrier, a carrier operator its own.
pub async fn by_carrier(
    state: &App,
    ctx: &Ctx<'_>,
    year: i64,
) -> Result<Vec<CarrierMentoringView>, AppError> {
    ctx.require(Action::ViewCampaigns)?;
    if !(2000..=2100).contains(&year) {
        return Err(problem(
            "year",
            "年份应在 2000 到 2100 之间",
            "A year from 2000 to 2100",
        ));
    }
    let all = store::by_carrier(&state.db, year, None).await?;
    let own: Option<Vec<i64>> = if ctx.sees_all() {
        None
    } else {
        Some(store::carriers_of_operator(&state.db, ctx.principal.user.org_id).await?)
    };
    Ok(all
        .into_iter()
        .filter(|c| own.as_ref().is_none_or(|ids| ids.contains(&c.carrier_id)))
        .map(Into::into)
        .collect())
}

/// The Torch form's mentor figure of a carrier's yearly report, from the records: different
/// mentors guiding its incubatees that year.
pub async fn mentors_on_record(state: &App, carrier_id: i64, year: i64) -> Result<i64, AppError> {
    Ok(store::mentors_of_carrier(&state.db, carrier_id, year).await?)
}

/// The enterprises a mentor kept by `operator_org_id` may be paired with: those its carriers
/// incubate now (id, name with the carrier's).
pub async fn pairable(
    state: &App,
    ctx: &Ctx<'_>,
    operator_org_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    ctx.require(Action::KeepMentors { operator_org_id })?;
    Ok(store::pairable(&state.db, operator_org_id).await?)
}
