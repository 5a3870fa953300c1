//! 先投后股 (invest first, equity later) as the bureau and the fund it names work it: the bureau
//! grants project funding to an enterprise (with the discount the team gets at conversion and,
//! optionally, the fund that keeps the project); milestones are recorded while the project
//! waits for its first priced round; the round triggers conversion (recorded by the investments
//! code at once, or noted here by hand for a round by investors not on the platform); the
//! shares are computed exactly from the grant, the round's valuation and the discount; the
//! equity is registered, held and exited, or the project is written off with the reason and
//! whether those responsible are exempt from liability (尽职免责).
//!
//! The bureau sees every project; an enterprise its own; a fund's manager the projects naming
//! its fund. Anyone else is told the project does not exist.

use fruition_domain::authz::Action;
use fruition_domain::date::IsoDate;
use fruition_domain::equity_grant::{
    self as rule, EXIT_KINDS, GrantStatus, GrantStep, MAX_DISCOUNT_BP, stake_text,
};
use fruition_domain::investment::{ExitRoute, Round};
use fruition_domain::lang::Lang;
use fruition_domain::money::{self, MAX_CAPITAL_FEN};
use fruition_store::StoreError;
use fruition_store::capital::grants::{
    self as store, Grant, GrantFilter, Milestone, NewGrant, NewMilestone, StepFields,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::rfc3339;
use crate::error::{AppError, Problem};
use crate::input::{day_of, gather, invalid, page, problem};
use crate::{App, Ctx};

/// What the exact conversion gave: the shares issued for the grant, the holding after
/// conversion and the valuation the grant converted at.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EquityGrantConversionView {
    /// Shares (or units of registered capital) the company had after the round, before conversion.
    pub shares_before: i64,
    /// Shares issued for the grant (rounded down).
    pub shares: i64,
    /// The holding after conversion in millionths (rounded down).
    pub stake_ppm: i64,
    /// `6.2499%`.
    pub stake: String,
    /// The round's valuation less the discount, fen.
    pub discounted_valuation_fen: i64,
    pub discounted_valuation: String,
}

/// How a 先投后股 holding is exited: the kinds of `fruition_domain::investment::ExitRoute` a
/// project allows (only these three in the API document).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EquityGrantExitKind {
    Transfer,
    BuyBack,
    Liquidation,
}

impl EquityGrantExitKind {
    pub fn of(kind: ExitRoute) -> Option<EquityGrantExitKind> {
        match kind {
            ExitRoute::Transfer => Some(EquityGrantExitKind::Transfer),
            ExitRoute::BuyBack => Some(EquityGrantExitKind::BuyBack),
            ExitRoute::Liquidation => Some(EquityGrantExitKind::Liquidation),
            _ => None,
        }
    }

    pub fn kind(self) -> ExitRoute {
        match self {
            EquityGrantExitKind::Transfer => ExitRoute::Transfer,
            EquityGrantExitKind::BuyBack => ExitRoute::BuyBack,
            EquityGrantExitKind::Liquidation => ExitRoute::Liquidation,
        }
    }
}

/// A 先投后股 project; money in fen with a yuan label beside it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EquityGrantView {
    pub id: i64,
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub title: String,
    pub fund_id: Option<i64>,
    pub fund_name: Option<String>,
    pub amount_fen: i64,
    pub amount: String,
    pub granted_on: String,
    /// The discount (让利) at conversion, basis points (2000 = 20 %).
    pub discount_bp: i64,
    /// `20.00%`.
    pub discount: String,
    pub status: GrantStatus,
    pub status_label: String,
    /// The recorded investment whose round triggered conversion, if it is on the platform.
    pub trigger_investment_id: Option<i64>,
    /// The fund that made that investment.
    pub trigger_fund_id: Option<i64>,
    pub trigger_fund_name: Option<String>,
    pub trigger_round: Option<Round>,
    pub triggered_on: Option<String>,
    /// The triggering round's post-money valuation, fen.
    pub valuation_fen: Option<i64>,
    pub valuation: Option<String>,
    pub conversion: Option<EquityGrantConversionView>,
    pub converted_on: Option<String>,
    pub registered_on: Option<String>,
    pub registration_no: Option<String>,
    pub exit_kind: Option<EquityGrantExitKind>,
    pub exited_on: Option<String>,
    pub proceeds_fen: Option<i64>,
    pub proceeds: Option<String>,
    pub counterparty: Option<String>,
    pub written_off_on: Option<String>,
    pub write_off_reason: Option<String>,
    /// Those responsible are exempt from liability (尽职免责).
    pub liability_exempt: Option<bool>,
    pub exemption_note: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// `2000` bp → `20.00%`.
pub fn discount_label(bp: i64) -> String {
    format!("{}.{:02}%", bp / 100, bp % 100)
}

impl EquityGrantView {
    pub fn new(g: Grant) -> EquityGrantView {
        let conversion = match (g.valuation_fen, g.shares_before, g.shares) {
            (Some(v), Some(before), Some(shares)) => {
                rule::convert(g.amount_fen, v, g.discount_bp, before)
                    .ok()
                    .map(|c| EquityGrantConversionView {
                        shares_before: before,
                        // The shares as stored (computed by the same rule at conversion).
                        shares,
                        stake_ppm: c.stake_ppm,
                        stake: stake_text(c.stake_ppm),
                        discounted_valuation_fen: c.discounted_valuation_fen,
                        discounted_valuation: money::yuan(c.discounted_valuation_fen),
                    })
            }
            _ => None,
        };
        EquityGrantView {
            amount: money::yuan(g.amount_fen),
            discount: discount_label(g.discount_bp),
            status_label: g.status.label(Lang::ZhCn).into(),
            trigger_round: g.trigger_round.as_deref().and_then(Round::parse),
            valuation: g.valuation_fen.map(money::yuan),
            exit_kind: g
                .exit_kind
                .as_deref()
                .and_then(ExitRoute::parse)
                .and_then(EquityGrantExitKind::of),
            proceeds: g.proceeds_fen.map(money::yuan),
            created_at: rfc3339(g.created_at),
            updated_at: rfc3339(g.updated_at),
            conversion,
            id: g.id,
            enterprise_id: g.enterprise_id,
            enterprise_name: g.enterprise_name,
            title: g.title,
            fund_id: g.fund_id,
            fund_name: g.fund_name,
            amount_fen: g.amount_fen,
            granted_on: g.granted_on,
            discount_bp: g.discount_bp,
            status: g.status,
            trigger_investment_id: g.trigger_investment_id,
            trigger_fund_id: g.trigger_fund_id,
            trigger_fund_name: g.trigger_fund_name,
            triggered_on: g.triggered_on,
            valuation_fen: g.valuation_fen,
            converted_on: g.converted_on,
            registered_on: g.registered_on,
            registration_no: g.registration_no,
            exited_on: g.exited_on,
            proceeds_fen: g.proceeds_fen,
            counterparty: g.counterparty,
            written_off_on: g.written_off_on,
            write_off_reason: g.write_off_reason,
            liability_exempt: g.liability_exempt,
            exemption_note: g.exemption_note,
        }
    }
}

/// A milestone of a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EquityGrantMilestoneView {
    pub id: i64,
    pub title: String,
    pub due_on: Option<String>,
    pub achieved_on: Option<String>,
    pub note: String,
    pub created_at: String,
}

impl EquityGrantMilestoneView {
    pub fn new(m: Milestone) -> EquityGrantMilestoneView {
        EquityGrantMilestoneView {
            created_at: rfc3339(m.created_at),
            id: m.id,
            title: m.title,
            due_on: m.due_on,
            achieved_on: m.achieved_on,
            note: m.note,
        }
    }
}

/// A project with its milestones and what the caller may do with it now.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EquityGrantDetail {
    pub grant: EquityGrantView,
    pub milestones: Vec<EquityGrantMilestoneView>,
    /// The steps the caller may take now.
    pub steps: Vec<GrantStep>,
    /// Whether the caller may record and achieve milestones now.
    pub can_record_milestones: bool,
}

/// A grant as the bureau makes it.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquityGrantInput {
    /// The registry enterprise (the project company). Give this or `enterprise_uscc`.
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// The enterprise's unified social credit code, instead of its id.
    #[serde(default)]
    pub enterprise_uscc: Option<String>,
    /// The project, 2 to 200 characters.
    pub title: String,
    /// The funding granted, fen (above zero, at most 1 万亿元).
    pub amount_fen: i64,
    /// YYYY-MM-DD, default today (not in the future).
    #[serde(default)]
    pub granted_on: Option<String>,
    /// The discount (让利) at conversion, basis points 0–9000 (default 0).
    #[serde(default)]
    pub discount_bp: i64,
    /// The fund the bureau names to keep the project (its manager may take the steps).
    #[serde(default)]
    pub fund_id: Option<i64>,
}

/// A milestone to record.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquityGrantMilestoneInput {
    /// What is to be reached, 2 to 200 characters.
    pub title: String,
    /// YYYY-MM-DD, when it is due (optional).
    #[serde(default)]
    pub due_on: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

/// A milestone reached.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquityGrantAchievementInput {
    /// YYYY-MM-DD, default today (not in the future).
    #[serde(default)]
    pub achieved_on: Option<String>,
    /// Replaces the milestone's note when given.
    #[serde(default)]
    pub note: Option<String>,
}

/// A step on a project, with what that step needs.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquityGrantStepInput {
    #[schema(value_type = GrantStep)]
    pub step: String,
    /// Every step: the day it happened (YYYY-MM-DD, default today; not before the previous step).
    #[serde(default)]
    pub date: Option<String>,
    /// trigger: the financing round.
    #[serde(default)]
    #[schema(value_type = Option<Round>)]
    pub round: Option<String>,
    /// trigger: the round's post-money valuation, fen.
    #[serde(default)]
    pub valuation_fen: Option<i64>,
    /// convert: the company's shares (or registered capital in yuan) after the round, before conversion.
    #[serde(default)]
    pub shares_before: Option<i64>,
    /// register: the equity registration's number.
    #[serde(default)]
    pub registration_no: Option<String>,
    /// exit: transfer, buy_back or liquidation.
    #[serde(default)]
    #[schema(value_type = Option<EquityGrantExitKind>)]
    pub exit_kind: Option<String>,
    /// exit: what the exit brought, fen (0 or more).
    #[serde(default)]
    pub proceeds_fen: Option<i64>,
    /// exit: who bought the holding (the buyer, the founders, the liquidator).
    #[serde(default)]
    pub counterparty: Option<String>,
    /// write_off: why.
    #[serde(default)]
    pub reason: Option<String>,
    /// write_off: those responsible are exempt from liability (尽职免责).
    #[serde(default)]
    pub liability_exempt: Option<bool>,
    /// write_off: the grounds for the exemption (required when exempt).
    #[serde(default)]
    pub exemption_note: Option<String>,
}

/// Which projects to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EquityGrantQuery {
    #[serde(default)]
    #[param(value_type = Option<GrantStatus>)]
    pub status: Option<String>,
    #[serde(default)]
    pub enterprise_id: Option<i64>,
    /// Projects naming a fund this organisation manages.
    #[serde(default)]
    pub fund_manager_org_id: Option<i64>,
    #[serde(default)]
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
    #[serde(default)]
    #[param(minimum = 0)]
    pub offset: Option<i64>,
}

/// A fund the bureau may name for a project.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EquityGrantFundChoice {
    pub id: i64,
    pub name: String,
}

/// The words for the store's refusals here.
fn refused(e: StoreError) -> AppError {
    let StoreError::Conflict { field } = e else {
        return e.into();
    };
    let (zh, en) = match field.as_str() {
        "status" => (
            "项目状态刚刚变化，请刷新后重试",
            "The project's status has just changed; reload and retry",
        ),
        "achieved_on" => ("该里程碑已标记为达成", "This milestone is already achieved"),
        _ => ("该值已存在", "This value already exists"),
    };
    AppError::Conflict {
        field,
        zh: zh.into(),
        en: en.into(),
    }
}

/// The project, if the caller may see it (404 otherwise).
pub(crate) async fn visible(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Grant, AppError> {
    let g = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewEquityGrant {
        enterprise_org_id: g.enterprise_org_id,
        fund_manager_org_id: g.fund_manager_org_id,
    })
    .map_err(|_| AppError::NotFound)?;
    Ok(g)
}

fn may_act(ctx: &Ctx<'_>, g: &Grant) -> bool {
    ctx.require(Action::ActOnEquityGrant {
        fund_manager_org_id: g.fund_manager_org_id,
    })
    .is_ok()
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<EquityGrantDetail, AppError> {
    let g = visible(state, ctx, id).await?;
    detail(state, ctx, g).await
}

async fn detail(state: &App, ctx: &Ctx<'_>, g: Grant) -> Result<EquityGrantDetail, AppError> {
    let milestones = store::milestones(&state.db, g.id).await?;
    let acts = may_act(ctx, &g);
    let steps = if acts {
        GrantStep::ALL
            .iter()
            .copied()
            .filter(|s| g.status.after(*s).is_ok())
            .collect()
    } else {
        Vec::new()
    };
    Ok(EquityGrantDetail {
        can_record_milestones: acts && g.status.takes_milestones(),
        grant: EquityGrantView::new(g),
        milestones: milestones
            .into_iter()
            .map(EquityGrantMilestoneView::new)
            .collect(),
        steps,
    })
}

/// Projects the caller may see: the bureau every project (filtered as asked), anyone else those
/// of its own enterprise and those naming a fund it manages.
pub async fn list(
    state: &App,
    ctx: &Ctx<'_>,
    q: &EquityGrantQuery,
) -> Result<Vec<EquityGrantView>, AppError> {
    let status = match q.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(GrantStatus::parse(s).ok_or_else(|| {
            problem(
                "status",
                "未知的项目状态",
                "Unknown status of a 先投后股 project",
            )
        })?),
        None => None,
    };
    let (limit, offset) = page(q.limit, q.offset, 200, 1000)?;
    let bureau = ctx.require(Action::GrantEquityFunding).is_ok();
    let f = GrantFilter {
        visible_to: (!bureau).then_some(ctx.principal.user.org_id),
        enterprise_id: q.enterprise_id,
        fund_manager_org_id: q.fund_manager_org_id,
        status,
        limit,
        offset,
    };
    Ok(store::list(&state.db, &f)
        .await?
        .into_iter()
        .map(EquityGrantView::new)
        .collect())
}

/// Trimmed text of `min`–`max` characters, or a problem naming `field`.
fn text(
    problems: &mut Vec<Problem>,
    field: &str,
    raw: Option<&str>,
    (min, max): (usize, usize),
    (zh, en): (&str, &str),
) -> Option<String> {
    let t = raw.map(str::trim).unwrap_or("");
    let n = t.chars().count();
    if n < min || n > max {
        problems.push(Problem::new(field, zh, en));
        return None;
    }
    Some(t.to_string())
}

/// The funds the bureau may name for a project, by name.
pub async fn fund_choices(
    state: &App,
    ctx: &Ctx<'_>,
) -> Result<Vec<EquityGrantFundChoice>, AppError> {
    ctx.require(Action::GrantEquityFunding)?;
    let mut funds: Vec<EquityGrantFundChoice> = fruition_store::capital::funds::list(&state.db)
        .await?
        .into_iter()
        .map(|f| EquityGrantFundChoice {
            id: f.id,
            name: f.name,
        })
        .collect();
    funds.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(funds)
}

/// The bureau grants project funding.
pub async fn create(
    state: &App,
    ctx: &Ctx<'_>,
    input: &EquityGrantInput,
) -> Result<EquityGrantDetail, AppError> {
    ctx.require(Action::GrantEquityFunding)?;
    let mut problems = Vec::new();
    let enterprise = match (
        input.enterprise_id,
        input
            .enterprise_uscc
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty()),
    ) {
        (Some(id), _) => {
            let found = fruition_store::enterprises::get(&state.db, id).await?;
            if found.is_none() {
                problems.push(Problem::new(
                    "enterprise_id",
                    "平台上没有这家企业",
                    "No such enterprise on the platform",
                ));
            }
            found
        }
        (None, Some(code)) => {
            let code = fruition_domain::uscc::half_width(code).to_uppercase();
            let found = fruition_store::enterprises::find_by_uscc(&state.db, &code).await?;
            if found.is_none() {
                problems.push(Problem::new(
                    "enterprise_uscc",
                    "平台上没有以该统一社会信用代码登记的企业，请先完成企业登记",
                    "No enterprise is registered on the platform with this code; register it first",
                ));
            }
            found
        }
        (None, None) => {
            problems.push(Problem::new(
                "enterprise_id",
                "请指定获得资助的企业",
                "Name the enterprise the funding goes to",
            ));
            None
        }
    };
    let title = text(
        &mut problems,
        "title",
        Some(&input.title),
        (2, 200),
        (
            "请用 2 到 200 字写明项目名称",
            "Name the project in 2 to 200 characters",
        ),
    );
    if input.amount_fen <= 0 || input.amount_fen > MAX_CAPITAL_FEN {
        problems.push(Problem::new(
            "amount_fen",
            "拨付金额以分为单位，应为大于零且不超过 1 万亿元的整数",
            "The grant in fen: a whole number above zero, at most 1 trillion yuan",
        ));
    }
    if !(0..=MAX_DISCOUNT_BP).contains(&input.discount_bp) {
        problems.push(rule::discount_error().into());
    }
    let granted_on = gather(
        &mut problems,
        day_of("granted_on", input.granted_on.as_deref()),
    )?;
    if let Some(fund) = input.fund_id
        && fruition_store::capital::funds::get(&state.db, fund)
            .await?
            .is_none()
    {
        problems.push(Problem::new("fund_id", "没有这只基金", "No such fund"));
    }
    let (Some(enterprise), Some(title), Some(granted_on), true) =
        (enterprise, title, granted_on, problems.is_empty())
    else {
        return Err(AppError::Invalid(problems));
    };
    let n = NewGrant {
        enterprise_id: enterprise.id,
        title,
        fund_id: input.fund_id,
        amount_fen: input.amount_fen,
        granted_on: granted_on.to_string(),
        discount_bp: input.discount_bp,
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let g = store::create(&mut tx, &audit, &n).await?;
    tx.commit().await?;
    detail(state, ctx, g).await
}

/// The project, if the caller may see it and act on it (403 when it may only see it).
async fn actable(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<Grant, AppError> {
    let g = visible(state, ctx, id).await?;
    ctx.require(Action::ActOnEquityGrant {
        fund_manager_org_id: g.fund_manager_org_id,
    })?;
    Ok(g)
}

/// A project past the milestones: a conflict that says where it stands.
fn no_more_milestones(g: &Grant) -> AppError {
    AppError::Conflict {
        field: "status".into(),
        zh: format!("项目当前为“{}”，不再记录里程碑", g.status.label(Lang::ZhCn)),
        en: format!(
            "The project is {}; milestones are no longer recorded",
            g.status.label(Lang::En)
        ),
    }
}

/// Records a milestone, while the project takes them.
pub async fn add_milestone(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &EquityGrantMilestoneInput,
) -> Result<EquityGrantDetail, AppError> {
    let g = actable(state, ctx, id).await?;
    let mut problems = Vec::new();
    let title = text(
        &mut problems,
        "title",
        Some(&input.title),
        (2, 200),
        (
            "请用 2 到 200 字写明里程碑",
            "Say what the milestone is in 2 to 200 characters",
        ),
    );
    let note = text(
        &mut problems,
        "note",
        input.note.as_deref(),
        (0, 1000),
        ("备注不超过 1000 字", "The note is at most 1,000 characters"),
    );
    let due_on = match input
        .due_on
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        Some(s) => match IsoDate::parse_field(s, "due_on") {
            Ok(d) if d.year() >= 2000 && d.year() <= 2200 => Some(d.to_string()),
            Ok(_) => {
                problems.push(Problem::new(
                    "due_on",
                    "日期应在 2000 年到 2200 年之间",
                    "The date is between 2000 and 2200",
                ));
                None
            }
            Err(e) => {
                problems.push(e.into());
                None
            }
        },
        None => None,
    };
    let (Some(title), Some(note), true) = (title, note, problems.is_empty()) else {
        return Err(AppError::Invalid(problems));
    };
    if !g.status.takes_milestones() {
        return Err(no_more_milestones(&g));
    }
    let m = NewMilestone {
        title,
        due_on,
        note,
    };
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    store::add_milestone(&mut tx, &audit, id, &m)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    get(state, ctx, id).await
}

/// Marks a milestone achieved, while the project takes milestones.
pub async fn achieve_milestone(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    milestone_id: i64,
    input: &EquityGrantAchievementInput,
) -> Result<EquityGrantDetail, AppError> {
    let g = actable(state, ctx, id).await?;
    let achieved_on = day_of("achieved_on", input.achieved_on.as_deref())?;
    let mut problems = Vec::new();
    let note = match input.note.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(_) => text(
            &mut problems,
            "note",
            input.note.as_deref(),
            (0, 1000),
            ("备注不超过 1000 字", "The note is at most 1,000 characters"),
        ),
    };
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    if !g.status.takes_milestones() {
        return Err(no_more_milestones(&g));
    }
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    store::achieve_milestone(
        &mut tx,
        &audit,
        id,
        milestone_id,
        &achieved_on.to_string(),
        note.as_deref(),
    )
    .await
    .map_err(refused)?;
    tx.commit().await?;
    get(state, ctx, id).await
}

/// The day of a step: given or today, not in the future, and not before `not_before` (the day
/// the project reached where it is).
fn step_day(input: Option<&str>, not_before: Option<&str>) -> Result<IsoDate, AppError> {
    let day = day_of("date", input)?;
    if let Some(earlier) = not_before.and_then(|d| IsoDate::parse(d).ok())
        && day < earlier
    {
        return Err(problem(
            "date",
            &format!("日期不能早于上一步的日期（{earlier}）"),
            &format!("The date cannot be before the previous step's ({earlier})"),
        ));
    }
    Ok(day)
}

/// An amount of capital in fen named `field`: `min` to 1 万亿元.
fn capital(field: &str, v: Option<i64>, min: i64) -> Result<i64, AppError> {
    match v {
        Some(v) if (min..=MAX_CAPITAL_FEN).contains(&v) => Ok(v),
        _ if min > 0 => Err(problem(
            field,
            "金额以分为单位，应为大于零且不超过 1 万亿元的整数",
            "An amount in fen: a whole number above zero, at most 1 trillion yuan",
        )),
        _ => Err(problem(
            field,
            "金额以分为单位，应为不小于零且不超过 1 万亿元的整数",
            "An amount in fen: a whole number, zero or more, at most 1 trillion yuan",
        )),
    }
}

/// Takes a step on a project: trigger (a round by investors not on the platform), convert,
/// register, exit or write off. A step that is not legal now is a conflict naming `step`.
pub async fn step(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &EquityGrantStepInput,
) -> Result<EquityGrantDetail, AppError> {
    let g = actable(state, ctx, id).await?;
    let step = GrantStep::parse(input.step.trim()).ok_or_else(|| {
        problem(
            "step",
            "未知的操作，应为 trigger、convert、register、exit 或 write_off",
            "Unknown step: trigger, convert, register, exit or write_off",
        )
    })?;
    let to = g.status.after(step).map_err(AppError::conflict)?;
    let mut f = StepFields::default();
    let date = input.date.as_deref();
    match step {
        GrantStep::Trigger => {
            let mut problems = Vec::new();
            let round = match input.round.as_deref().map(str::trim) {
                Some(r) if !r.is_empty() => {
                    let parsed = Round::parse(r);
                    if parsed.is_none() {
                        problems.push(Problem::new(
                            "round",
                            "未知的融资轮次",
                            "Unknown financing round",
                        ));
                    }
                    parsed
                }
                _ => {
                    problems.push(Problem::new(
                        "round",
                        "请选择触发转股的融资轮次",
                        "Choose the round that triggers conversion",
                    ));
                    None
                }
            };
            let valuation = gather(
                &mut problems,
                capital("valuation_fen", input.valuation_fen, 1),
            )?;
            let day = gather(&mut problems, step_day(date, Some(&g.granted_on)))?;
            let (Some(round), Some(valuation), Some(day), true) =
                (round, valuation, day, problems.is_empty())
            else {
                return Err(AppError::Invalid(problems));
            };
            // A round that values the company at no more than the grant (after the discount)
            // could never convert.
            rule::convert(g.amount_fen, valuation, g.discount_bp, 1).map_err(invalid)?;
            f.trigger_round = Some(round);
            f.valuation_fen = Some(valuation);
            f.triggered_on = Some(day.to_string());
        }
        GrantStep::Convert => {
            let Some(shares_before) = input.shares_before else {
                return Err(problem(
                    "shares_before",
                    "请填写本轮融资后、转股前的股本（股数或注册资本元数）",
                    "Give the shares (or registered capital in yuan) after the round, before conversion",
                ));
            };
            let day = step_day(date, g.triggered_on.as_deref())?;
            let c = rule::convert(
                g.amount_fen,
                g.valuation_fen.unwrap_or(0),
                g.discount_bp,
                shares_before,
            )
            .map_err(invalid)?;
            f.shares_before = Some(shares_before);
            f.shares = Some(c.shares);
            f.converted_on = Some(day.to_string());
        }
        GrantStep::Register => {
            let mut problems = Vec::new();
            let no = text(
                &mut problems,
                "registration_no",
                input.registration_no.as_deref(),
                (1, 100),
                (
                    "请填写股权登记（工商变更登记）的编号，不超过 100 字",
                    "Give the equity registration's number, at most 100 characters",
                ),
            );
            let day = gather(&mut problems, step_day(date, g.converted_on.as_deref()))?;
            let (Some(no), Some(day), true) = (no, day, problems.is_empty()) else {
                return Err(AppError::Invalid(problems));
            };
            f.registration_no = Some(no);
            f.registered_on = Some(day.to_string());
        }
        GrantStep::Exit => {
            let mut problems = Vec::new();
            let kind = match input.exit_kind.as_deref().map(str::trim) {
                Some(k) if !k.is_empty() => {
                    let parsed = ExitRoute::parse(k).filter(|k| EXIT_KINDS.contains(k));
                    if parsed.is_none() {
                        problems.push(Problem::new(
                            "exit_kind",
                            "退出方式应为股权转让、回购或清算",
                            "The exit is a transfer, a buy-back or a liquidation",
                        ));
                    }
                    parsed
                }
                _ => {
                    problems.push(Problem::new(
                        "exit_kind",
                        "请选择退出方式",
                        "Choose how the holding is exited",
                    ));
                    None
                }
            };
            let proceeds = gather(
                &mut problems,
                capital("proceeds_fen", input.proceeds_fen, 0),
            )?;
            let counterparty = text(
                &mut problems,
                "counterparty",
                input.counterparty.as_deref(),
                (2, 200),
                (
                    "请写明交易对方（受让方、回购方或清算组），2 到 200 字",
                    "Name the counterparty (buyer, founders or liquidator) in 2 to 200 characters",
                ),
            );
            let day = gather(&mut problems, step_day(date, g.registered_on.as_deref()))?;
            let (Some(kind), Some(proceeds), Some(counterparty), Some(day), true) =
                (kind, proceeds, counterparty, day, problems.is_empty())
            else {
                return Err(AppError::Invalid(problems));
            };
            f.exit_kind = Some(kind.code().to_string());
            f.proceeds_fen = Some(proceeds);
            f.counterparty = Some(counterparty);
            f.exited_on = Some(day.to_string());
        }
        GrantStep::WriteOff => {
            let mut problems = Vec::new();
            let reason = text(
                &mut problems,
                "reason",
                input.reason.as_deref(),
                (2, 1000),
                (
                    "请说明核销原因，2 到 1000 字",
                    "Say why the project is written off, in 2 to 1,000 characters",
                ),
            );
            let exempt = input.liability_exempt.unwrap_or(false);
            let note = if exempt {
                text(
                    &mut problems,
                    "exemption_note",
                    input.exemption_note.as_deref(),
                    (2, 1000),
                    (
                        "认定尽职免责时须写明依据，2 到 1000 字",
                        "An exemption from liability needs its grounds, in 2 to 1,000 characters",
                    ),
                )
            } else {
                text(
                    &mut problems,
                    "exemption_note",
                    input.exemption_note.as_deref(),
                    (0, 1000),
                    ("说明不超过 1000 字", "The note is at most 1,000 characters"),
                )
            };
            let day = gather(&mut problems, step_day(date, Some(&g.granted_on)))?;
            let (Some(reason), Some(note), Some(day), true) =
                (reason, note, day, problems.is_empty())
            else {
                return Err(AppError::Invalid(problems));
            };
            f.write_off_reason = Some(reason);
            f.liability_exempt = Some(exempt);
            f.exemption_note = Some(note).filter(|n| !n.is_empty());
            f.written_off_on = Some(day.to_string());
        }
    }
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let after = store::step(&mut tx, &audit, id, g.status, to, &f)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    detail(state, ctx, after).await
}
