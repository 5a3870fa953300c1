//! Funds as their managers and the bureau keep them: a government guidance fund and its
//! sub-funds, a carrier's seed fund, angel, venture and industry funds. Any signed-in user reads
//! the funds (names, managers and sizes are public); an investor (or a carrier operator, for its
//! seed fund) registers and keeps its own; the bureau registers and keeps any. A fund's
//! portfolio — investments, positions and multiples — is its manager's and the bureau's.

use fruition_domain::authz::Action;
use fruition_domain::fund::{FundFigures, FundKind, FundStatus};
use fruition_domain::lang::Lang;
use fruition_domain::org::OrgKind;
use fruition_domain::{FieldError, echo};
use fruition_store::capital::funds::{self as store, Fund, FundFilter, NewFund};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::portfolio::{self, FundPortfolioView};
use super::{capital_label, refused};
use crate::clock::rfc3339;
use crate::error::{AppError, Problem};
use crate::input::{invalid, problem};
use crate::{App, Ctx};

/// A fund; `portfolio` only for its manager and the bureau.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundView {
    pub id: i64,
    pub name: String,
    pub kind: FundKind,
    pub kind_label: String,
    pub status: FundStatus,
    pub status_label: String,
    pub manager_org_id: Option<i64>,
    pub manager_name: Option<String>,
    /// The guidance fund this is a sub-fund of.
    pub parent_fund_id: Option<i64>,
    pub parent_name: Option<String>,
    /// The carrier whose seed fund this is.
    pub carrier_id: Option<i64>,
    pub carrier_name: Option<String>,
    /// 基金规模（千元）.
    pub size_k: i64,
    /// `10.00 亿元`.
    pub size: String,
    pub paid_in_k: i64,
    pub government_k: i64,
    /// The government's share of the size, basis points.
    pub government_share_bp: i64,
    pub from_parent_k: i64,
    pub for_incubatees: bool,
    pub established_year: i64,
    pub closed_year: Option<i64>,
    /// The industrial chains it focuses on (codes).
    pub chain_codes: Vec<String>,
    pub invested_fen: i64,
    pub portfolio: Option<FundPortfolioView>,
    pub updated_at: String,
}

impl FundView {
    pub fn new(f: Fund, portfolio: Option<FundPortfolioView>) -> FundView {
        let figures = figures_of(&f);
        FundView {
            kind_label: f.kind.label(Lang::ZhCn).into(),
            status_label: f.status.label(Lang::ZhCn).into(),
            size: capital_label(f.size_fen()),
            government_share_bp: figures.government_share_bp(),
            updated_at: rfc3339(f.updated_at),
            id: f.id,
            name: f.name,
            kind: f.kind,
            status: f.status,
            manager_org_id: f.manager_org_id,
            manager_name: f.manager_name,
            parent_fund_id: f.parent_fund_id,
            parent_name: f.parent_name,
            carrier_id: f.carrier_id,
            carrier_name: f.carrier_name,
            size_k: f.size_k,
            paid_in_k: f.paid_in_k,
            government_k: f.government_k,
            from_parent_k: f.from_parent_k,
            for_incubatees: f.for_incubatees,
            established_year: f.established_year,
            closed_year: f.closed_year,
            chain_codes: f.chain_codes,
            invested_fen: f.invested_fen,
            portfolio,
        }
    }
}

fn figures_of(f: &Fund) -> FundFigures {
    FundFigures {
        size_k: f.size_k,
        paid_in_k: f.paid_in_k,
        government_k: f.government_k,
        from_parent_k: f.from_parent_k,
        established_year: f.established_year,
        closed_year: f.closed_year,
    }
}

/// A fund with its sub-funds and, for its manager and the bureau, its positions.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundDetail {
    pub fund: FundView,
    pub sub_funds: Vec<FundView>,
    pub positions: Vec<portfolio::PositionView>,
    /// Whether the caller may change the fund and record its investments.
    pub can_keep: bool,
}

/// A fund as it is registered or changed.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FundInput {
    pub name: String,
    #[schema(value_type = FundKind)]
    pub kind: String,
    /// Default `investing`.
    #[serde(default)]
    #[schema(value_type = Option<FundStatus>)]
    pub status: Option<String>,
    /// The managing organisation (an investor, or a carrier operator for its seed fund);
    /// default: the caller's own organisation.
    #[serde(default)]
    pub manager_org_id: Option<i64>,
    /// The guidance fund this is a sub-fund of.
    #[serde(default)]
    pub parent_fund_id: Option<i64>,
    /// The carrier whose seed fund this is (a seed fund only).
    #[serde(default)]
    pub carrier_id: Option<i64>,
    /// 基金规模（千元）.
    pub size_k: i64,
    #[serde(default)]
    pub paid_in_k: i64,
    #[serde(default)]
    pub government_k: i64,
    #[serde(default)]
    pub from_parent_k: i64,
    /// Open to incubated enterprises (default true).
    #[serde(default)]
    pub for_incubatees: Option<bool>,
    pub established_year: i64,
    #[serde(default)]
    pub closed_year: Option<i64>,
    /// The industrial chains it focuses on, by code or name.
    #[serde(default)]
    pub chain_codes: Vec<String>,
}

/// Which funds to list.
#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FundQuery {
    #[serde(default)]
    #[param(value_type = Option<FundKind>)]
    pub kind: Option<String>,
    #[serde(default)]
    pub manager_org_id: Option<i64>,
    /// The sub-funds of this guidance fund.
    #[serde(default)]
    pub parent_fund_id: Option<i64>,
    /// Only the caller's own organisation's funds.
    #[serde(default)]
    pub mine: Option<bool>,
}

fn may_view_portfolio(ctx: &Ctx<'_>, manager_org_id: Option<i64>) -> bool {
    ctx.require(Action::ViewPortfolio { manager_org_id })
        .is_ok()
}

/// Funds, largest first; each with its portfolio figures where the caller may see them.
pub async fn list(state: &App, ctx: &Ctx<'_>, q: &FundQuery) -> Result<Vec<FundView>, AppError> {
    let kind = match q.kind.as_deref().filter(|s| !s.is_empty()) {
        Some(k) => Some(
            FundKind::parse(k)
                .ok_or_else(|| problem("kind", "未知的基金类型", "Unknown fund kind"))?,
        ),
        None => None,
    };
    let f = FundFilter {
        manager_org_id: if q.mine == Some(true) {
            Some(ctx.principal.user.org_id)
        } else {
            q.manager_org_id
        },
        kind,
        parent_fund_id: q.parent_fund_id,
        carrier_id: None,
    };
    let funds = store::list_where(&state.db, &f).await?;
    let figures = portfolio::figures_for(state, ctx).await?;
    Ok(funds
        .into_iter()
        .map(|fund| {
            let p = may_view_portfolio(ctx, fund.manager_org_id)
                .then(|| figures.iter().find(|x| x.fund_id == fund.id).cloned())
                .flatten()
                .map(|x| FundPortfolioView::new(&x, fund.size_fen()));
            FundView::new(fund, p)
        })
        .collect())
}

pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<FundDetail, AppError> {
    let fund = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    let sees = may_view_portfolio(ctx, fund.manager_org_id);
    let (p, positions) = if sees {
        let figures = fruition_store::capital::portfolio::one_fund(&state.db, id).await?;
        let positions = fruition_store::capital::portfolio::positions(&state.db, id).await?;
        (
            figures.map(|x| FundPortfolioView::new(&x, fund.size_fen())),
            positions
                .into_iter()
                .map(portfolio::PositionView::new)
                .collect(),
        )
    } else {
        (None, Vec::new())
    };
    let subs = store::list_where(
        &state.db,
        &FundFilter {
            parent_fund_id: Some(id),
            ..FundFilter::default()
        },
    )
    .await?;
    let can_keep = ctx
        .require(Action::KeepFund {
            manager_org_id: fund.manager_org_id,
        })
        .is_ok();
    Ok(FundDetail {
        fund: FundView::new(fund, p),
        sub_funds: subs.into_iter().map(|f| FundView::new(f, None)).collect(),
        positions,
        can_keep,
    })
}

/// Registers a fund.
pub async fn create(state: &App, ctx: &Ctx<'_>, input: &FundInput) -> Result<FundDetail, AppError> {
    let manager = input.manager_org_id.or(Some(ctx.principal.user.org_id));
    ctx.require(Action::RegisterFund {
        manager_org_id: manager,
    })?;
    let new = checked(state, input, manager, None).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    let fund = store::insert(&mut tx, &audit, &new)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    get(state, ctx, fund.id).await
}

/// Changes a fund's profile and figures: its manager's users who can write, or the bureau. Only
/// the bureau hands a fund to another manager.
pub async fn update(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    input: &FundInput,
) -> Result<FundDetail, AppError> {
    let before = store::get(&state.db, id).await?.ok_or(AppError::NotFound)?;
    ctx.require(Action::KeepFund {
        manager_org_id: before.manager_org_id,
    })?;
    let manager = input.manager_org_id.or(before.manager_org_id);
    if manager != before.manager_org_id {
        ctx.require(Action::RegisterFund {
            manager_org_id: manager,
        })
        .map_err(|_| {
            problem(
                "manager_org_id",
                "只有科技局可以变更基金管理人",
                "Only the bureau hands a fund to another manager",
            )
        })?;
    }
    let new = checked(state, input, manager, Some(&before)).await?;
    let audit = ctx.audit();
    let mut tx = state.db.begin().await?;
    store::update(&mut tx, &audit, id, &new)
        .await
        .map_err(refused)?;
    tx.commit().await?;
    get(state, ctx, id).await
}

/// Every problem with a fund's input at once.
async fn checked(
    state: &App,
    input: &FundInput,
    manager: Option<i64>,
    before: Option<&Fund>,
) -> Result<NewFund, AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut bad = |field: &str, zh: &str, en: &str| {
        problems.push(Problem {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        })
    };
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        bad(
            "name",
            "基金名称必填，不超过 100 字",
            "The fund's name is required, at most 100 characters",
        );
    }
    let kind = FundKind::parse(&input.kind);
    if kind.is_none() {
        bad(
            "kind",
            &format!("未知的基金类型“{}”", echo(&input.kind)),
            &format!("Unknown fund kind “{}”", echo(&input.kind)),
        );
    }
    let status = match input.status.as_deref().filter(|s| !s.is_empty()) {
        None => Some(FundStatus::Investing),
        Some(s) => {
            let st = FundStatus::parse(s);
            if st.is_none() {
                bad("status", "未知的基金状态", "Unknown fund status");
            }
            st
        }
    };
    let mut manager_kind = None;
    match manager {
        None => bad(
            "manager_org_id",
            "须指定基金管理人",
            "A manager is required",
        ),
        Some(m) => match fruition_store::organisations::get(&state.db, m).await? {
            Some(o) if matches!(o.kind, OrgKind::Investor | OrgKind::CarrierOperator) => {
                manager_kind = Some(o.kind);
            }
            Some(_) => bad(
                "manager_org_id",
                "基金管理人应为投资机构或孵化载体运营主体",
                "A fund's manager is an investor or a carrier operator",
            ),
            None => bad(
                "manager_org_id",
                "没有这个机构",
                "There is no such organisation",
            ),
        },
    }
    if let Some(p) = input.parent_fund_id {
        match store::get(&state.db, p).await? {
            Some(parent) if Some(parent.id) == before.map(|b| b.id) => bad(
                "parent_fund_id",
                "基金不能是自己的子基金",
                "A fund cannot be its own sub-fund",
            ),
            Some(parent) if parent.kind != FundKind::Guidance => bad(
                "parent_fund_id",
                "母基金应为政府引导基金",
                "The parent is a government guidance fund",
            ),
            Some(parent) if parent.parent_fund_id.is_some() => bad(
                "parent_fund_id",
                "子基金下不能再设子基金",
                "A sub-fund cannot have sub-funds",
            ),
            Some(parent) if input.from_parent_k > parent.size_k => bad(
                "from_parent_k",
                "母基金出资不能超过母基金规模",
                "The parent's part cannot exceed the parent's size",
            ),
            Some(_) => {}
            None => bad("parent_fund_id", "没有这个基金", "There is no such fund"),
        }
    } else if input.from_parent_k != 0 {
        bad(
            "from_parent_k",
            "只有子基金才有母基金出资",
            "Only a sub-fund has a parent's part",
        );
    }
    if let Some(c) = input.carrier_id {
        match fruition_store::carriers::get(&state.db, c).await? {
            Some(_) if kind != Some(FundKind::Seed) => bad(
                "carrier_id",
                "只有种子基金可以归属孵化载体",
                "Only a seed fund belongs to a carrier",
            ),
            Some(carrier)
                if manager_kind == Some(OrgKind::CarrierOperator)
                    && Some(carrier.operator_org_id) != manager =>
            {
                bad(
                    "carrier_id",
                    "运营主体管理的种子基金只能归属其运营的载体",
                    "A carrier operator's seed fund belongs to one of its own carriers",
                )
            }
            Some(_) => {}
            None => bad("carrier_id", "没有这个载体", "There is no such carrier"),
        }
    }
    let lookups = crate::reference::Lookups::cached(state).await?;
    let mut codes: Vec<String> = Vec::new();
    for typed in &input.chain_codes {
        match lookups.find_chain(typed) {
            None => bad(
                "chain_codes",
                &format!("未知的产业链“{}”", echo(typed.trim())),
                &format!("Unknown industrial chain “{}”", echo(typed.trim())),
            ),
            Some(c) if !codes.contains(&c.code) => codes.push(c.code.clone()),
            Some(_) => {}
        }
    }
    let figures = FundFigures {
        size_k: input.size_k,
        paid_in_k: input.paid_in_k,
        government_k: input.government_k,
        from_parent_k: input.from_parent_k,
        established_year: input.established_year,
        closed_year: input.closed_year,
    };
    let mut errors: Vec<FieldError> = Vec::new();
    if let Err(e) = figures.check() {
        errors.extend(e);
    }
    problems.extend(errors.into_iter().map(Problem::from));
    if status == Some(FundStatus::Closed) && input.closed_year.is_none() {
        problems.push(Problem {
            field: "closed_year".into(),
            zh: "已清算的基金须填写清算年份".into(),
            en: "A closed fund needs the year it closed".into(),
        });
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let (Some(kind), Some(status)) = (kind, status) else {
        return Err(invalid(Vec::new()));
    };
    Ok(NewFund {
        name,
        kind,
        status,
        manager_org_id: manager,
        parent_fund_id: input.parent_fund_id,
        carrier_id: input.carrier_id,
        size_k: input.size_k,
        paid_in_k: input.paid_in_k,
        government_k: input.government_k,
        from_parent_k: input.from_parent_k,
        for_incubatees: input.for_incubatees.unwrap_or(true),
        established_year: input.established_year,
        closed_year: input.closed_year,
        chain_codes: codes,
    })
}
