//! Portfolio figures and the city's capital statistics, all derived from what users recorded:
//! per fund, what it invested, in how many enterprises, how much in the city's industrial chains,
//! what its exits brought and what is left is worth (realised, unrealised and total multiples on
//! invested capital); per year, the venture capital available to incubatees (the annual report's
//! "创业投资基金规模"), the incubatees financed in the year, and each carrier's seed fund and
//! financed share against a national incubator's lines (≥ 500万元, ≥ 10 %).

use fruition_domain::authz::Action;
use fruition_domain::fund::{self, FINANCED_SHARE_LINE_PERCENT, FundKind, SEED_FUND_LINE_K};
use fruition_domain::investment::{multiple_text, multiple_x100};
use fruition_domain::lang::Lang;
use fruition_store::capital::portfolio::{self as store, FundFigures, PositionRow};
use serde::Serialize;
use utoipa::ToSchema;

use super::capital_label;
use crate::error::AppError;
use crate::{App, Ctx};

/// A fund's portfolio.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FundPortfolioView {
    /// Enterprises invested in.
    pub firms: i64,
    /// … still held (in part or whole).
    pub holdings: i64,
    pub invested_fen: i64,
    pub invested: String,
    /// The share of the fund's size invested, basis points.
    pub deployed_bp: i64,
    pub proceeds_fen: i64,
    /// What is left, marked to each enterprise's latest valuation.
    pub value_fen: i64,
    pub value: String,
    /// Invested in enterprises of the city's industrial chains, basis points of what was invested.
    pub in_chains_bp: i64,
    /// Multiples on invested capital in hundredths (`235` = 2.35×): realised (exits' proceeds),
    /// unrealised (what is left) and total.
    pub realised_x100: Option<i64>,
    pub unrealised_x100: Option<i64>,
    pub total_x100: Option<i64>,
    /// `2.35×`.
    pub total_multiple: String,
}

fn bp(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        0
    } else {
        (i128::from(part) * 10_000 / i128::from(whole)) as i64
    }
}

impl FundPortfolioView {
    pub fn new(f: &FundFigures, size_fen: i64) -> FundPortfolioView {
        let total = multiple_x100(f.proceeds_fen + f.value_fen, f.invested_fen);
        FundPortfolioView {
            firms: f.firms,
            holdings: f.holdings,
            invested_fen: f.invested_fen,
            invested: capital_label(f.invested_fen),
            deployed_bp: bp(f.invested_fen, size_fen),
            proceeds_fen: f.proceeds_fen,
            value_fen: f.value_fen,
            value: capital_label(f.value_fen),
            in_chains_bp: bp(f.in_chains_fen, f.invested_fen),
            realised_x100: multiple_x100(f.proceeds_fen, f.invested_fen),
            unrealised_x100: multiple_x100(f.value_fen, f.invested_fen),
            total_x100: total,
            total_multiple: multiple_text(total),
        }
    }
}

/// A fund's position in one enterprise.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PositionView {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub chain_code: Option<String>,
    pub first_on: String,
    pub invested_fen: i64,
    pub exited_cost_fen: i64,
    pub remaining_cost_fen: i64,
    pub proceeds_fen: i64,
    pub value_fen: i64,
    pub latest_post_money_fen: Option<i64>,
    pub written_off: bool,
    pub total_x100: Option<i64>,
    pub total_multiple: String,
}

impl PositionView {
    pub fn new(p: PositionRow) -> PositionView {
        let total = multiple_x100(p.proceeds_fen + p.value_fen, p.invested_fen);
        PositionView {
            remaining_cost_fen: p.invested_fen - p.exited_cost_fen,
            total_x100: total,
            total_multiple: multiple_text(total),
            enterprise_id: p.enterprise_id,
            enterprise_name: p.enterprise_name,
            chain_code: p.chain_code,
            first_on: p.first_on,
            invested_fen: p.invested_fen,
            exited_cost_fen: p.exited_cost_fen,
            proceeds_fen: p.proceeds_fen,
            value_fen: p.value_fen,
            latest_post_money_fen: p.latest_post_money_fen,
            written_off: p.written_off,
        }
    }
}

/// The portfolio figures the caller may see: the bureau's of every fund, anyone else's of the
/// funds its own organisation manages.
pub async fn figures_for(state: &App, ctx: &Ctx<'_>) -> Result<Vec<FundFigures>, AppError> {
    let bureau = ctx
        .require(Action::ViewPortfolio {
            manager_org_id: None,
        })
        .is_ok();
    let manager = (!bureau).then_some(ctx.principal.user.org_id);
    Ok(store::fund_figures(&state.db, manager).await?)
}

/// A carrier's seed fund and financed incubatees in a year, against a national incubator's lines.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierCapital {
    pub carrier_id: i64,
    pub carrier_name: String,
    /// The carrier's own seed funds counting in the year (千元).
    pub seed_fund_k: i64,
    /// Incubatees in the carrier's approved report for the year.
    pub incubatees: i64,
    /// … of which had an investment recorded in the year.
    pub financed: i64,
    pub financed_bp: i64,
    pub amount_fen: i64,
    /// Seed fund ≥ 500万元.
    pub meets_seed_line: bool,
    /// ≥ 10 % of incubatees financed.
    pub meets_financed_line: bool,
}

/// A fund kind's part of the year's capital.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCapital {
    pub kind: FundKind,
    pub label: String,
    pub funds: i64,
    pub capital_k: i64,
}

/// A fund as the year's capital counts it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CountedFund {
    pub id: i64,
    pub name: String,
    pub kind: FundKind,
    /// A sub-fund counts only what its counted guidance fund did not put in (千元).
    pub capital_k: i64,
    pub is_sub_fund: bool,
}

/// The city's capital figures for a year.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CapitalYear {
    pub year: i64,
    /// Venture capital available to incubatees at the year's end (千元): the sizes of the funds
    /// open to them, established by then and not closed, a sub-fund counting only what its
    /// counted parent did not put in.
    pub capital_k: i64,
    /// `100.50 亿元`.
    pub capital: String,
    pub funds: i64,
    /// The funds counted (name, what it counts for in 千元), largest first.
    pub counted: Vec<CountedFund>,
    pub by_kind: Vec<KindCapital>,
    /// Investments dated in the year, in any enterprise.
    pub investments: i64,
    pub invested_fen: i64,
    pub invested: String,
    pub enterprises_financed: i64,
    /// Incubatees in the year's approved reports, and how many had an investment in the year.
    pub incubatees: i64,
    pub incubatees_financed: i64,
    pub incubatees_financed_bp: i64,
    pub carriers: Vec<CarrierCapital>,
}

/// The city's capital figures for `year` (every signed-in user reads statistics).
pub async fn capital_year(state: &App, year: i64) -> Result<CapitalYear, AppError> {
    if !(1949..=2200).contains(&year) {
        return Err(crate::input::problem(
            "year",
            "年份应在 1949 到 2200 之间",
            "The year is 1949 to 2200",
        ));
    }
    let funds = store::capital_funds(&state.db).await?;
    let counts = |f: &store::CapitalFund| {
        fund::counts_in(f.for_incubatees, f.established_year, f.closed_year, year)
    };
    let counted: Vec<&store::CapitalFund> = funds.iter().filter(|f| counts(f)).collect();
    let net = |f: &store::CapitalFund| {
        let parent_counts = f
            .parent_fund_id
            .and_then(|p| funds.iter().find(|x| x.id == p))
            .is_some_and(counts);
        f.size_k - if parent_counts { f.from_parent_k } else { 0 }
    };
    let capital_k: i64 = counted.iter().map(|f| net(f)).sum();
    let listed: Vec<CountedFund> = counted
        .iter()
        .filter_map(|f| {
            Some(CountedFund {
                id: f.id,
                name: f.name.clone(),
                kind: FundKind::parse(&f.kind)?,
                capital_k: net(f),
                is_sub_fund: f.parent_fund_id.is_some(),
            })
        })
        .collect();
    let by_kind = FundKind::ALL
        .iter()
        .map(|k| {
            let of: Vec<&&store::CapitalFund> =
                counted.iter().filter(|f| f.kind == k.code()).collect();
            KindCapital {
                kind: *k,
                label: k.label(Lang::ZhCn).into(),
                funds: of.len() as i64,
                capital_k: of.iter().map(|f| net(f)).sum(),
            }
        })
        .filter(|k| k.funds > 0)
        .collect();
    let (y, per_carrier) = tokio::try_join!(
        store::year_investments(&state.db, year),
        store::carrier_financing(&state.db, year)
    )?;
    let carriers: Vec<CarrierCapital> = per_carrier
        .into_iter()
        .map(|c| {
            let seed_fund_k: i64 = counted
                .iter()
                .filter(|f| f.carrier_id == Some(c.carrier_id) && f.kind == FundKind::Seed.code())
                .map(|f| f.size_k)
                .sum();
            let financed_bp = bp(c.financed, c.incubatees);
            CarrierCapital {
                meets_seed_line: seed_fund_k >= SEED_FUND_LINE_K,
                meets_financed_line: financed_bp >= FINANCED_SHARE_LINE_PERCENT * 100,
                carrier_id: c.carrier_id,
                carrier_name: c.carrier_name,
                seed_fund_k,
                incubatees: c.incubatees,
                financed: c.financed,
                financed_bp,
                amount_fen: c.amount_fen,
            }
        })
        .collect();
    let incubatees: i64 = carriers.iter().map(|c| c.incubatees).sum();
    let incubatees_financed: i64 = carriers.iter().map(|c| c.financed).sum();
    Ok(CapitalYear {
        year,
        capital_k,
        capital: capital_label(capital_k.saturating_mul(100_000)),
        funds: counted.len() as i64,
        counted: listed,
        by_kind,
        investments: y.investments,
        invested_fen: y.amount_fen,
        invested: capital_label(y.amount_fen),
        enterprises_financed: y.enterprises,
        incubatees,
        incubatees_financed,
        incubatees_financed_bp: bp(incubatees_financed, incubatees),
        carriers,
    })
}
