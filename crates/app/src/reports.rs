//! Carriers' yearly reports: a carrier's managers fill and submit them; the bureau returns them
//! with comments or approves them. Only approved reports count in the statistics.

use std::collections::HashSet;

use fruition_domain::FieldError;
use fruition_domain::authz::{Action, OrgScope, org_scope};
use fruition_domain::date::IsoDate;
use fruition_domain::indicators::Indicators;
use fruition_domain::report::{self, ReportStatus, ReviewAction};
use fruition_store::carriers;
use fruition_store::indicators::{self, IndicatorRow};
use fruition_store::reports::{self, CarrierFigures, Report, Review};
use fruition_store::{Db, enterprises};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Ctx, Problems};
use crate::App;
use crate::clock::rfc3339;
use crate::error::{AppError, Problem};

/// A problem found by the report's checks: an error blocks submission, a warning is shown to the bureau.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Finding {
    /// The enterprise the finding is about (None: the carrier's own figures).
    pub enterprise_id: Option<i64>,
    pub enterprise_name: Option<String>,
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl Finding {
    fn new(row: Option<&IndicatorRow>, e: FieldError) -> Finding {
        Finding {
            enterprise_id: row.map(|r| r.enterprise_id),
            enterprise_name: row.map(|r| r.enterprise_name.clone()),
            field: e.field.to_string(),
            zh: e.zh,
            en: e.en,
        }
    }
}

/// A report with everything its page shows.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDetail {
    pub report: Report,
    pub rows: Vec<IndicatorRow>,
    pub errors: Vec<Finding>,
    pub warnings: Vec<Finding>,
    pub reviews: Vec<Review>,
    pub can_file: bool,
    pub can_review: bool,
    /// The carrier still files for the report's year (false for a year after its revocation).
    pub year_open: bool,
}

/// Runs the checks: errors block submission, warnings inform the reviewer.
pub async fn check(
    db: &Db,
    report: &Report,
    rows: &[IndicatorRow],
) -> Result<(Vec<Finding>, Vec<Finding>), AppError> {
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    let f = report.figures();
    if f.staff.is_none() {
        errors.push(Finding::new(
            None,
            FieldError::new(
                "staff",
                "required",
                "请填写管理机构从业人员",
                "Give the carrier's staff",
            ),
        ));
    }
    if f.floor_area_m2.is_none() {
        errors.push(Finding::new(
            None,
            FieldError::new(
                "floor_area_m2",
                "required",
                "请填写场地面积",
                "Give the floor area",
            ),
        ));
    }
    for row in rows {
        for e in row.indicators().errors() {
            errors.push(Finding::new(Some(row), e));
        }
        let previous = indicators::previous(db, row.enterprise_id, row.year)
            .await?
            .map(|p| p.indicators());
        for w in row.indicators().warnings(previous.as_ref()) {
            warnings.push(Finding::new(Some(row), w));
        }
    }
    // Every enterprise incubating at the carrier during the year must be in the report, unless
    // it moved and another carrier's report already holds its figures for the year (they are
    // filed once).
    let reported: HashSet<i64> = rows.iter().map(|r| r.enterprise_id).collect();
    for missing in incubatees_of_year(db, report.carrier_id, report.year)
        .await?
        .into_iter()
        .filter(|(id, _)| !reported.contains(id))
    {
        let filed_elsewhere = indicators::for_enterprise(db, missing.0)
            .await?
            .iter()
            .any(|r| r.year == report.year && r.report_id.is_some_and(|id| id != report.id));
        if filed_elsewhere {
            warnings.push(Finding {
                enterprise_id: Some(missing.0),
                enterprise_name: Some(missing.1.clone()),
                field: "indicators".into(),
                zh: format!(
                    "在孵企业“{}”的{}年度指标已由其他载体报送",
                    missing.1, report.year
                ),
                en: format!(
                    "Incubatee “{}” has its {} indicators in another carrier's report",
                    missing.1, report.year
                ),
            });
            continue;
        }
        errors.push(Finding {
            enterprise_id: Some(missing.0),
            enterprise_name: Some(missing.1.clone()),
            field: "indicators".into(),
            zh: format!("在孵企业“{}”缺少{}年度指标", missing.1, report.year),
            en: format!(
                "Incubatee “{}” has no indicators for {}",
                missing.1, report.year
            ),
        });
    }
    // The mentor figure comes from the mentoring records when the carrier keeps them.
    let on_record =
        fruition_store::mentors::mentors_of_carrier(db, report.carrier_id, report.year).await?;
    if on_record > 0 && f.mentors != Some(on_record) {
        warnings.push(Finding::new(
            None,
            FieldError::new(
                "mentors",
                "differs_from_records",
                format!(
                    "创业导师人数（填报{}）与平台导师记录（{on_record}人）不一致",
                    f.mentors
                        .map_or_else(|| "空".to_string(), |m| format!("{m}人"))
                ),
                format!(
                    "The mentors given ({}) differ from the mentoring records ({on_record})",
                    f.mentors
                        .map_or_else(|| "none".to_string(), |m| m.to_string())
                ),
            ),
        ));
    }
    if rows.is_empty() {
        warnings.push(Finding::new(
            None,
            FieldError::new(
                "indicators",
                "no_incubatees",
                "报告中没有在孵企业",
                "The report lists no incubatees",
            ),
        ));
    }
    Ok((errors, warnings))
}

/// Enterprises whose spell at the carrier overlaps the year (id, name).
async fn incubatees_of_year(
    db: &Db,
    carrier_id: i64,
    year: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    Ok(enterprises::incubatees_in_year(db, carrier_id, year).await?)
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<ReportDetail, AppError> {
    let report = reports::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let can_file = ctx
        .require(Action::FileReport {
            operator_org_id: report.operator_org_id,
        })
        .is_ok();
    let can_review = ctx.require(Action::ReviewReports).is_ok();
    if !can_file
        && !can_review
        && ctx
            .require(Action::ViewOrg {
                org_id: report.operator_org_id,
            })
            .is_err()
    {
        return Err(AppError::Forbidden("forbidden"));
    }
    let rows = indicators::for_report(&state.db, id).await?;
    let (errors, warnings) = check(&state.db, &report, &rows).await?;
    let reviews = reports::reviews(&state.db, id).await?;
    let year_open = year_open(state, &report).await?.is_ok();
    Ok(ReportDetail {
        report,
        rows,
        errors,
        warnings,
        reviews,
        can_file,
        can_review,
        year_open,
    })
}

/// The carrier's report for a year, started as a draft when there is none.
pub async fn open(
    state: &App,
    ctx: &Ctx<'_>,
    carrier_id: i64,
    year: i64,
) -> Result<Report, AppError> {
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::FileReport {
        operator_org_id: carrier.operator_org_id,
    })?;
    check_year(year)?;
    fruition_domain::carrier::check_report_year(&carrier.name, carrier.revoked_on.as_deref(), year)
        .map_err(AppError::invalid)?;
    let mut tx = state.db.begin().await?;
    let report = reports::get_or_create(&mut tx, &ctx.audit(), carrier_id, year).await?;
    tx.commit().await?;
    Ok(report)
}

fn not_editable(report: &Report) -> AppError {
    AppError::Conflict {
        field: "status".into(),
        zh: format!(
            "报告状态为“{}”，不能修改",
            report.status.label(fruition_domain::lang::Lang::ZhCn)
        ),
        en: format!(
            "The report is {}; it cannot be changed",
            report.status.code()
        ),
    }
}

async fn editable(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Report, AppError> {
    let report = reports::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::FileReport {
        operator_org_id: report.operator_org_id,
    })?;
    if !report.status.editable() {
        return Err(not_editable(&report));
    }
    year_open(state, &report)
        .await?
        .map_err(AppError::conflict)?;
    Ok(report)
}

/// Whether the report's carrier still files for the report's year (not for a year after the one
/// it was revoked in).
async fn year_open(state: &App, report: &Report) -> Result<Result<(), FieldError>, AppError> {
    let carrier = carriers::get(&state.db, report.carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(fruition_domain::carrier::check_report_year(
        &carrier.name,
        carrier.revoked_on.as_deref(),
        report.year,
    ))
}

pub async fn set_figures(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    figures: &CarrierFigures,
) -> Result<Report, AppError> {
    editable(state, ctx, id).await?;
    let mut p = Problems::default();
    for (field, v) in [
        ("staff", figures.staff),
        ("mentors", figures.mentors),
        ("floor_area_m2", figures.floor_area_m2),
        ("incubation_fund_k", figures.incubation_fund_k),
        ("events_held", figures.events_held),
        ("graduated_in_year", figures.graduated_in_year),
    ] {
        if v.is_some_and(|v| v < 0) {
            p.push(field, "不能为负数", "cannot be negative");
        }
    }
    p.into_result()?;
    let mut tx = state.db.begin().await?;
    let report = reports::set_figures(&mut tx, &ctx.audit(), id, figures).await?;
    tx.commit().await?;
    Ok(report)
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorInput {
    pub enterprise_id: i64,
    pub indicators: Indicators,
}

/// Writes one enterprise's figures into an editable report; impossible figures are refused at once.
pub async fn set_indicators(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &IndicatorInput,
) -> Result<IndicatorRow, AppError> {
    let report = editable(state, ctx, id).await?;
    let errors = input.indicators.errors();
    if !errors.is_empty() {
        return Err(AppError::Invalid(
            errors.into_iter().map(Problem::from).collect(),
        ));
    }
    let incubatees = incubatees_of_year(&state.db, report.carrier_id, report.year).await?;
    if !incubatees.iter().any(|(e, _)| *e == input.enterprise_id) {
        return Err(AppError::invalid(FieldError::new(
            "enterprise_id",
            "not_incubatee",
            format!("该企业{}年不在本载体孵化", report.year),
            format!(
                "The enterprise was not incubating at this carrier in {}",
                report.year
            ),
        )));
    }
    let mut tx = state.db.begin().await?;
    let row = indicators::upsert(
        &mut tx,
        &ctx.audit(),
        input.enterprise_id,
        report.year,
        id,
        report.operator_org_id,
        &input.indicators,
    )
    .await?;
    tx.commit().await?;
    Ok(row)
}

pub async fn remove_indicators(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    enterprise_id: i64,
) -> Result<(), AppError> {
    let report = editable(state, ctx, id).await?;
    let mut tx = state.db.begin().await?;
    indicators::remove(
        &mut tx,
        &ctx.audit(),
        enterprise_id,
        report.year,
        id,
        report.operator_org_id,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Submits a report; refused with every blocking error listed.
pub async fn submit(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Report, AppError> {
    let report = editable(state, ctx, id).await?;
    let rows = indicators::for_report(&state.db, id).await?;
    let (errors, _) = check(&state.db, &report, &rows).await?;
    if !errors.is_empty() {
        let problems = errors
            .into_iter()
            .map(|f| Problem {
                field: match f.enterprise_id {
                    Some(e) => format!("enterprises.{e}.{}", f.field),
                    None => f.field,
                },
                zh: f.zh,
                en: f.en,
            })
            .collect();
        return Err(AppError::Invalid(problems));
    }
    transition(state, ctx, &report, ReviewAction::Submit, None).await
}

async fn transition(
    state: &App,
    ctx: &Ctx<'_>,
    report: &Report,
    action: ReviewAction,
    comment: Option<&str>,
) -> Result<Report, AppError> {
    let to = report
        .status
        .after(action)
        .ok_or_else(|| not_editable(report))?;
    let mut tx = state.db.begin().await?;
    let after = reports::transition(
        &mut tx,
        &ctx.audit(),
        report.id,
        report.status,
        to,
        action,
        comment,
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// What the bureau does with a report (the codes of `ReviewInput::step`).
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReviewCode {
    Return,
    Approve,
    Reopen,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewInput {
    /// `return` (with a comment) or `approve`; `reopen` an approved report for correction.
    /// Called `step` like every state change's verb (`action` is still read).
    #[serde(alias = "action")]
    #[schema(value_type = ReviewCode)]
    pub step: String,
    #[serde(default)]
    pub comment: Option<String>,
}

/// The bureau returns (with a comment), approves or reopens a report.
pub async fn review(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &ReviewInput,
) -> Result<Report, AppError> {
    ctx.require(Action::ReviewReports)?;
    let report = reports::get(&state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let action = match input.step.as_str() {
        "return" => ReviewAction::Return,
        "approve" => ReviewAction::Approve,
        "reopen" => ReviewAction::Reopen,
        _ => {
            return Err(AppError::invalid(FieldError::new(
                "step",
                "step",
                "请选择退回、通过或重新打开",
                "Choose return, approve or reopen",
            )));
        }
    };
    let comment = input
        .comment
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    if matches!(action, ReviewAction::Return | ReviewAction::Reopen)
        && comment.is_none_or(|c| c.chars().count() < 2)
    {
        return Err(AppError::invalid(FieldError::new(
            "comment",
            "required",
            "退回须填写意见",
            "Returning needs a comment",
        )));
    }
    let after = transition(state, ctx, &report, action, comment).await?;
    if matches!(action, ReviewAction::Return) {
        // The carrier's operator is told in its inbox, with the bureau's reasons.
        crate::inbox::tell(
            state,
            &[after.operator_org_id],
            crate::inbox::Notice {
                kind: crate::inbox::InboxKind::Report,
                title: format!(
                    "{}{}年度报表被科技局退回：{}",
                    after.carrier_name,
                    after.year,
                    comment.unwrap_or("")
                ),
                body: "请根据退回意见修改后重新提交。".into(),
                link: Some(format!("/reports/{}", after.id)),
                ref_key: format!(
                    "report:{}:returned:{}",
                    after.id,
                    after.decided_at.unwrap_or_default()
                ),
            },
        )
        .await;
    }
    Ok(after)
}

/// Reports the actor may see: all for the bureau, their own carriers' for an operator.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    year: Option<i64>,
    status: Option<ReportStatus>,
) -> Result<Vec<Report>, AppError> {
    let actor = ctx.principal.actor();
    let operator = match org_scope(&actor) {
        OrgScope::All => None,
        OrgScope::Own(org) => Some(org),
    };
    Ok(reports::list(&state.db, year, status, operator).await?)
}

/// Carriers whose report for `year` is not approved yet, with when each was last reminded.
pub async fn late(state: &App, ctx: &Ctx<'_>, year: i64) -> Result<Vec<LateView>, AppError> {
    ctx.require(Action::ReviewReports)?;
    let reminded = crate::reminders::late_reminded(state, ctx, year).await?;
    Ok(reports::late(&state.db, year)
        .await?
        .into_iter()
        .map(|l| {
            let at = reminded.get(&l.carrier_id).copied();
            LateView {
                carrier_id: l.carrier_id,
                carrier_name: l.carrier_name,
                operator_name: l.operator_name,
                status: l.status,
                last_reminded_at: at.map(rfc3339),
                last_reminded_ms: at,
            }
        })
        .collect())
}

// ---------------------------------------------------------------------------------------------
// What the API shows of these records

#[derive(Serialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub year: i64,
    pub status: ReportStatus,
    #[schema(inline)]
    pub figures: CarrierFiguresDoc,
    pub incubatees: i64,
    pub submitted_at: Option<String>,
    pub decided_at: Option<String>,
}

/// A carrier's own figures (all optional until submission, which needs staff and floor area).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CarrierFiguresDoc {
    pub staff: Option<i64>,
    pub mentors: Option<i64>,
    pub floor_area_m2: Option<i64>,
    pub incubation_fund_k: Option<i64>,
    pub events_held: Option<i64>,
    pub graduated_in_year: Option<i64>,
}

impl From<CarrierFigures> for CarrierFiguresDoc {
    fn from(f: CarrierFigures) -> Self {
        CarrierFiguresDoc {
            staff: f.staff,
            mentors: f.mentors,
            floor_area_m2: f.floor_area_m2,
            incubation_fund_k: f.incubation_fund_k,
            events_held: f.events_held,
            graduated_in_year: f.graduated_in_year,
        }
    }
}

impl From<Report> for ReportView {
    fn from(r: Report) -> Self {
        ReportView {
            figures: r.figures().into(),
            id: r.id,
            carrier_id: r.carrier_id,
            carrier_name: r.carrier_name,
            year: r.year,
            status: r.status,
            incubatees: r.incubatees,
            submitted_at: r.submitted_at.map(rfc3339),
            decided_at: r.decided_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportRowView {
    pub enterprise_id: i64,
    pub uscc: String,
    pub enterprise_name: String,
    pub chain_code: Option<String>,
    pub indicators: Indicators,
}

#[derive(Serialize, ToSchema)]
pub struct ReviewView {
    pub action: ReviewAction,
    pub comment: Option<String>,
    pub actor_login: Option<String>,
    pub at: String,
}

impl From<Review> for ReviewView {
    fn from(r: Review) -> Self {
        ReviewView {
            action: r.action,
            comment: r.comment,
            actor_login: r.actor_login,
            at: rfc3339(r.at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ReportDetailView {
    pub report: ReportView,
    pub rows: Vec<ReportRowView>,
    /// Problems that block submission.
    pub errors: Vec<Finding>,
    /// Unusual figures, shown to the bureau.
    pub warnings: Vec<Finding>,
    pub reviews: Vec<ReviewView>,
}

#[derive(Serialize, ToSchema)]
pub struct LateView {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_name: String,
    /// The report's status, or null when none was started.
    #[schema(value_type = Option<fruition_domain::report::ReportStatus>)]
    pub status: Option<String>,
    /// When the bureau last reminded the carrier of this year's report (RFC 3339), if ever.
    pub last_reminded_at: Option<String>,
    #[serde(skip)]
    pub last_reminded_ms: Option<i64>,
}

impl From<CarrierFiguresDoc> for CarrierFigures {
    fn from(f: CarrierFiguresDoc) -> Self {
        CarrierFigures {
            staff: f.staff,
            mentors: f.mentors,
            floor_area_m2: f.floor_area_m2,
            incubation_fund_k: f.incubation_fund_k,
            events_held: f.events_held,
            graduated_in_year: f.graduated_in_year,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The deadline (报送截止日期)

/// When a year's reports are due, and how many days are left.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeadlineView {
    /// The reporting year.
    pub year: i64,
    /// The last day (China time, `YYYY-MM-DD`) on which a report is on time.
    pub due_on: String,
    /// Whether the bureau set it (false: the default, 31 March of the following year).
    pub set: bool,
    /// Days from today (China time) to the deadline: 0 on the day, negative once passed.
    pub days_left: i64,
    /// When the bureau last set it (RFC 3339).
    pub set_at: Option<String>,
}

/// The deadline in force for `year`: the bureau's, or the rule's default.
pub(crate) async fn due(db: &Db, year: i64) -> Result<DeadlineView, AppError> {
    let set = reports::deadline(db, year).await?;
    let due_on = match &set {
        Some(d) => IsoDate::parse(&d.due_on).ok(),
        None => None,
    }
    .or_else(|| report::default_due_on(year))
    .ok_or_else(|| {
        AppError::invalid(FieldError::new(
            "year",
            "year",
            "年份无效",
            "Not a valid year",
        ))
    })?;
    let today = IsoDate::parse(&crate::clock::today()).map_err(AppError::invalid)?;
    Ok(DeadlineView {
        year,
        due_on: due_on.to_string(),
        set: set.is_some(),
        days_left: report::days_left(due_on, today),
        set_at: set.map(|d| rfc3339(d.set_at)),
    })
}

fn check_year(year: i64) -> Result<(), AppError> {
    if (2000..=crate::clock::this_year()).contains(&year) {
        Ok(())
    } else {
        Err(AppError::invalid(FieldError::new(
            "year",
            "year",
            "年份无效",
            "Not a valid year",
        )))
    }
}

/// The deadline for `year`'s reports (anyone signed in: carriers file against it).
pub async fn deadline(state: &App, year: i64) -> Result<DeadlineView, AppError> {
    check_year(year)?;
    due(&state.db, year).await
}

/// The bureau sets (or moves) the deadline for `year`'s reports; audited.
pub async fn set_deadline(
    state: &App,
    ctx: &Ctx<'_>,
    year: i64,
    due_on: &str,
) -> Result<DeadlineView, AppError> {
    ctx.require(Action::ReviewReports)?;
    check_year(year)?;
    let day = report::due_on(year, due_on).map_err(AppError::invalid)?;
    let mut tx = state.db.begin().await?;
    reports::set_deadline(&mut tx, &ctx.audit(), year, &day.to_string()).await?;
    tx.commit().await?;
    due(&state.db, year).await
}
