//! Staff training (从业人员培训): courses held for carriers' staff (the bureau's, or a member
//! carrier's; an event of kind 服务能力提升培训 may be the course), who attended with the hours
//! credited, hours per person and per carrier in a year, and staff certificates (技术经纪人、创业
//! 导师) with their expiry — expired ones shown as expired, those expiring within 60 days flagged.
//! The bureau sees every carrier's; a carrier operator's users see their own carriers'.

use fruition_domain::alliance::{self, CertificateKind, CertificateState};
use fruition_domain::authz::{self, Action, OrgScope};
use fruition_domain::date::IsoDate;
use fruition_domain::echo;
use fruition_domain::lang::Lang;
use fruition_store::alliance::members;
use fruition_store::alliance::training::{
    self as store, Certificate, Course, NewCertificate, NewCourse, NewRecord, Record,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{optional_text, problems_or, refused, text};
use crate::clock::{this_year, today_date};
use crate::error::{AppError, Problem};
use crate::{App, Ctx};

/// A training course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CourseView {
    pub id: i64,
    pub title: String,
    pub provider: String,
    /// 学时.
    pub hours: i64,
    pub held_on: String,
    /// For which carriers' staff.
    pub audience: String,
    /// The alliance event that was the course.
    pub event_id: Option<i64>,
    /// Who recorded it.
    pub org_name: String,
    pub attendees: i64,
}

impl CourseView {
    fn new(k: Course) -> CourseView {
        CourseView {
            id: k.id,
            title: k.title,
            provider: k.provider,
            hours: k.hours,
            held_on: k.held_on,
            audience: k.audience,
            event_id: k.event_id,
            org_name: k.org_name,
            attendees: k.attendees,
        }
    }
}

/// A person's attendance at a course.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingRecordView {
    pub id: i64,
    pub course_id: i64,
    pub course_title: String,
    pub held_on: String,
    pub person_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    /// Hours credited.
    pub hours: i64,
}

impl TrainingRecordView {
    fn new(r: Record) -> TrainingRecordView {
        TrainingRecordView {
            id: r.id,
            course_id: r.course_id,
            course_title: r.course_title,
            held_on: r.held_on,
            person_name: r.person_name,
            carrier_id: r.carrier_id,
            carrier_name: r.carrier_name,
            hours: r.hours,
        }
    }
}

/// A staff member's certificate and whether it still holds today.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CertificateView {
    pub id: i64,
    pub person_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub kind: CertificateKind,
    pub kind_label: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    pub expires_on: Option<String>,
    pub state: CertificateState,
    pub state_label: String,
}

impl CertificateView {
    fn new(s: Certificate, today: IsoDate) -> CertificateView {
        let expires = s.expires_on.as_deref().and_then(|d| IsoDate::parse(d).ok());
        let state = alliance::certificate_state(expires, today);
        CertificateView {
            kind_label: s.kind.label(Lang::ZhCn).into(),
            state_label: state.label(Lang::ZhCn).into(),
            state,
            id: s.id,
            person_name: s.person_name,
            carrier_id: s.carrier_id,
            carrier_name: s.carrier_name,
            kind: s.kind,
            number: s.number,
            issuer: s.issuer,
            issued_on: s.issued_on,
            expires_on: s.expires_on,
        }
    }
}

/// Hours credited to one person in the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonHoursView {
    pub person_name: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub courses: i64,
    pub hours: i64,
}

/// Hours credited to one carrier's staff in the year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierHoursView {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub people: i64,
    pub attendances: i64,
    pub hours: i64,
}

/// A carrier the caller may record training for.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingCarrier {
    pub carrier_id: i64,
    pub carrier_name: String,
}

/// A year's training as the caller may see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TrainingOverview {
    pub year: i64,
    /// Every course of the year (courses are public to signed-in users).
    pub courses: Vec<CourseView>,
    /// Attendance at the year's courses, of the carriers the caller may see.
    pub records: Vec<TrainingRecordView>,
    pub by_person: Vec<PersonHoursView>,
    pub by_carrier: Vec<CarrierHoursView>,
    /// Certificates of the carriers the caller may see, the soonest to expire first.
    pub certificates: Vec<CertificateView>,
    /// The city's year: courses held and attendances (人次).
    pub courses_held: i64,
    pub attendances: i64,
    pub can_add_course: bool,
    /// The carriers the caller records attendance and certificates for.
    pub keeps: Vec<TrainingCarrier>,
}

/// Which year.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrainingQuery {
    /// Default: this year.
    #[serde(default)]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i64>,
}

/// A course as it is recorded.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CourseInput {
    pub title: String,
    pub provider: String,
    /// 学时, 1 to 200.
    pub hours: i64,
    pub held_on: String,
    /// For which carriers' staff (default: 全市孵化载体从业人员).
    #[serde(default)]
    pub audience: Option<String>,
    /// The alliance event (of kind `training`) that was the course.
    #[serde(default)]
    pub event_id: Option<i64>,
}

/// A person's attendance.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TrainingRecordInput {
    pub course_id: i64,
    pub person_name: String,
    /// The carrier the person works for.
    pub carrier_id: i64,
    /// Hours credited (default: the course's hours; never more).
    #[serde(default)]
    pub hours: Option<i64>,
}

/// A certificate.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateInput {
    pub person_name: String,
    pub carrier_id: i64,
    #[schema(value_type = CertificateKind)]
    pub kind: String,
    pub number: String,
    pub issuer: String,
    pub issued_on: String,
    /// None: it does not expire.
    #[serde(default)]
    pub expires_on: Option<String>,
}

fn scope(ctx: &Ctx<'_>) -> Option<i64> {
    match authz::org_scope(&ctx.principal.actor()) {
        OrgScope::All => None,
        OrgScope::Own(o) => Some(o),
    }
}

/// The year's courses, attendance, hours and certificates as the caller may see them.
pub async fn overview(
    state: &App,
    ctx: &Ctx<'_>,
    q: &TrainingQuery,
) -> Result<TrainingOverview, AppError> {
    let year = q.year.unwrap_or_else(this_year);
    if !(1949..=2200).contains(&year) {
        return Err(crate::input::problem(
            "year",
            "年份应在 1949 到 2200 之间",
            "The year is 1949 to 2200",
        ));
    }
    let scope = scope(ctx);
    let today = today_date();
    let (courses_held, attendances) = store::year_tally(&state.db, year).await?;
    let org = ctx.principal.user.org_id;
    let member = members::is_member_org(&state.db, org).await?;
    let keeps = fruition_store::carriers::list(&state.db, year, &Default::default())
        .await?
        .into_iter()
        .filter(|c| {
            ctx.require(Action::KeepTraining {
                operator_org_id: Some(c.operator_org_id),
            })
            .is_ok()
                && (scope.is_none() || c.operator_org_id == org)
        })
        .map(|c| TrainingCarrier {
            carrier_id: c.id,
            carrier_name: c.name,
        })
        .collect();
    Ok(TrainingOverview {
        year,
        courses: store::courses(&state.db, Some(year))
            .await?
            .into_iter()
            .map(CourseView::new)
            .collect(),
        records: store::records(&state.db, Some(year), scope)
            .await?
            .into_iter()
            .map(TrainingRecordView::new)
            .collect(),
        by_person: store::hours_by_person(&state.db, year, scope)
            .await?
            .into_iter()
            .map(|p| PersonHoursView {
                person_name: p.person_name,
                carrier_id: p.carrier_id,
                carrier_name: p.carrier_name,
                courses: p.courses,
                hours: p.hours,
            })
            .collect(),
        by_carrier: store::hours_by_carrier(&state.db, year, scope)
            .await?
            .into_iter()
            .map(|c| CarrierHoursView {
                carrier_id: c.carrier_id,
                carrier_name: c.carrier_name,
                people: c.people,
                attendances: c.attendances,
                hours: c.hours,
            })
            .collect(),
        certificates: store::certificates(&state.db, scope)
            .await?
            .into_iter()
            .map(|s| CertificateView::new(s, today))
            .collect(),
        courses_held,
        attendances,
        can_add_course: may_add_course(ctx, member),
        keeps,
    })
}

fn may_add_course(ctx: &Ctx<'_>, member: bool) -> bool {
    ctx.require(Action::KeepTraining {
        operator_org_id: member.then_some(ctx.principal.user.org_id),
    })
    .is_ok()
}

fn date_of(problems: &mut Vec<Problem>, field: &'static str, s: &str) -> Option<IsoDate> {
    match IsoDate::parse_field(s, field) {
        Ok(d) => Some(d),
        Err(e) => {
            problems.push(e.into());
            None
        }
    }
}

/// Records a course: the bureau, or a member carrier's managers.
pub async fn add_course(
    state: &App,
    ctx: &Ctx<'_>,
    input: &CourseInput,
) -> Result<CourseView, AppError> {
    let member = members::is_member_org(&state.db, ctx.principal.user.org_id).await?;
    ctx.require(Action::KeepTraining {
        operator_org_id: member.then_some(ctx.principal.user.org_id),
    })?;
    let mut problems = Vec::new();
    let title = text(
        &mut problems,
        "title",
        &input.title,
        100,
        "课程名称",
        "The title",
    );
    let provider = text(
        &mut problems,
        "provider",
        &input.provider,
        100,
        "培训机构",
        "The provider",
    );
    let mut audience = optional_text(&mut problems, "audience", input.audience.as_deref(), 200);
    if audience.is_empty() {
        audience = "全市孵化载体从业人员".into();
    }
    if !(1..=200).contains(&input.hours) {
        problems.push(Problem {
            field: "hours".into(),
            zh: "学时应为 1 到 200".into(),
            en: "The hours are 1 to 200".into(),
        });
    }
    let held_on = date_of(&mut problems, "held_on", &input.held_on);
    if let Some(ev) = input.event_id {
        match fruition_store::alliance::events::get(&state.db, ev).await? {
            Some(e) if e.kind == alliance::EventKind::Training => {}
            Some(_) => problems.push(Problem {
                field: "event_id".into(),
                zh: "只有“服务能力提升培训”类活动可以作为培训课程".into(),
                en: "Only a service capability training event can be a course".into(),
            }),
            None => problems.push(Problem {
                field: "event_id".into(),
                zh: "没有这个活动".into(),
                en: "There is no such event".into(),
            }),
        }
    }
    let held_on = problems_or(problems, held_on)?;
    let mut tx = state.db.begin().await?;
    let k = store::insert_course(
        &mut tx,
        &ctx.audit(),
        &NewCourse {
            title,
            provider,
            hours: input.hours,
            held_on: held_on.to_string(),
            audience,
            event_id: input.event_id,
            org_id: ctx.principal.user.org_id,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(CourseView::new(k))
}

/// The carrier named in a form, once the caller may keep its staff's training.
async fn kept_carrier(
    state: &App,
    ctx: &Ctx<'_>,
    carrier_id: i64,
) -> Result<fruition_store::carriers::Carrier, AppError> {
    let Some(c) = fruition_store::carriers::get(&state.db, carrier_id).await? else {
        return Err(crate::input::problem(
            "carrier_id",
            "没有这个载体",
            "There is no such carrier",
        ));
    };
    ctx.require(Action::KeepTraining {
        operator_org_id: Some(c.operator_org_id),
    })?;
    Ok(c)
}

/// Records a person's attendance: the bureau, or the carrier's managers.
pub async fn add_record(
    state: &App,
    ctx: &Ctx<'_>,
    input: &TrainingRecordInput,
) -> Result<TrainingRecordView, AppError> {
    kept_carrier(state, ctx, input.carrier_id).await?;
    let mut problems = Vec::new();
    let person_name = text(
        &mut problems,
        "person_name",
        &input.person_name,
        50,
        "姓名",
        "The name",
    );
    let course = store::course(&state.db, input.course_id).await?;
    let hours = match &course {
        None => {
            problems.push(Problem {
                field: "course_id".into(),
                zh: "没有这门课程".into(),
                en: "There is no such course".into(),
            });
            None
        }
        Some(k) => {
            let h = input.hours.unwrap_or(k.hours);
            if !(1..=k.hours).contains(&h) {
                problems.push(Problem {
                    field: "hours".into(),
                    zh: format!("认定学时应为 1 到 {}（课程学时）", k.hours),
                    en: format!("The hours credited are 1 to {} (the course's)", k.hours),
                });
            }
            Some(h)
        }
    };
    let hours = problems_or(problems, hours)?;
    let mut tx = state.db.begin().await?;
    let r = store::insert_record(
        &mut tx,
        &ctx.audit(),
        &NewRecord {
            course_id: input.course_id,
            person_name,
            carrier_id: input.carrier_id,
            hours,
        },
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    Ok(TrainingRecordView::new(r))
}

/// Records a certificate: the bureau, or the carrier's managers.
pub async fn add_certificate(
    state: &App,
    ctx: &Ctx<'_>,
    input: &CertificateInput,
) -> Result<CertificateView, AppError> {
    kept_carrier(state, ctx, input.carrier_id).await?;
    let mut problems = Vec::new();
    let person_name = text(
        &mut problems,
        "person_name",
        &input.person_name,
        50,
        "姓名",
        "The name",
    );
    let kind = CertificateKind::parse(input.kind.trim());
    if kind.is_none() {
        problems.push(Problem {
            field: "kind".into(),
            zh: format!("未知的证书类型“{}”", echo(&input.kind)),
            en: format!("Unknown kind of certificate “{}”", echo(&input.kind)),
        });
    }
    let number = text(
        &mut problems,
        "number",
        &input.number,
        50,
        "证书编号",
        "The number",
    );
    let issuer = text(
        &mut problems,
        "issuer",
        &input.issuer,
        100,
        "发证机构",
        "The issuer",
    );
    let issued_on = date_of(&mut problems, "issued_on", &input.issued_on);
    let expires_on = match input
        .expires_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => date_of(&mut problems, "expires_on", s),
    };
    if let (Some(i), Some(e)) = (issued_on, expires_on)
        && e <= i
    {
        problems.push(Problem {
            field: "expires_on".into(),
            zh: "有效期至应晚于发证日期".into(),
            en: "It expires after it was issued".into(),
        });
    }
    let (kind, issued_on) = problems_or(problems, kind.zip(issued_on))?;
    let mut tx = state.db.begin().await?;
    let s = store::insert_certificate(
        &mut tx,
        &ctx.audit(),
        &NewCertificate {
            person_name,
            carrier_id: input.carrier_id,
            kind,
            number,
            issuer,
            issued_on: issued_on.to_string(),
            expires_on: expires_on.map(|d| d.to_string()),
        },
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    Ok(CertificateView::new(s, today_date()))
}
