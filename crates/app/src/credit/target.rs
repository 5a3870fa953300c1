//! The city's target for knowledge-value loans (the reply's 30亿元): what has been issued, by
//! year, bank, county, sector and grade, and how far along the target it is.

use fruition_domain::annual::CreditTally;
use fruition_domain::credit::Grade;
use fruition_domain::lang::Lang;
use fruition_domain::money;
use fruition_store::credit::loans::{self as store, Tally, TallyBy};
use fruition_store::credit::policy;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::problem;
use crate::error::AppError;
use crate::{App, Ctx};

/// One line of a breakdown.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TallyLine {
    pub key: String,
    /// The key as a person reads it (a county's name, a grade's label).
    pub label: String,
    pub loans: i64,
    pub enterprises: i64,
    pub amount_fen: i64,
    pub amount: String,
}

/// Loans issued against the target.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TargetView {
    pub target_fen: i64,
    pub target: String,
    /// Everything disbursed so far (all years).
    pub issued_fen: i64,
    pub issued: String,
    pub loans: i64,
    pub enterprises: i64,
    /// Issued over target, per mille.
    pub progress_permille: i64,
    /// The year the breakdowns below describe (None: all years).
    pub year: Option<i64>,
    pub by_year: Vec<TallyLine>,
    pub by_bank: Vec<TallyLine>,
    pub by_county: Vec<TallyLine>,
    pub by_sector: Vec<TallyLine>,
    pub by_grade: Vec<TallyLine>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TargetQuery {
    /// Breakdowns for loans disbursed in this year only.
    #[serde(default)]
    #[param(minimum = 1949, maximum = 2200)]
    pub year: Option<i64>,
}

fn line(t: Tally, label: String) -> TallyLine {
    TallyLine {
        amount: money::yuan(t.amount_fen),
        label,
        key: t.key,
        loans: t.loans,
        enterprises: t.enterprises,
        amount_fen: t.amount_fen,
    }
}

/// The year's loans for the annual report (§（四）): disbursed in `year`, to how many enterprises,
/// everything disbursed up to the year's end, and the target in force.
pub async fn year_tally(state: &App, year: i64) -> Result<CreditTally, AppError> {
    let this = store::tally(&state.db, None, Some(year)).await?;
    let by_year = store::tally(&state.db, Some(TallyBy::Year), None).await?;
    let policy = policy::current(&state.db).await?;
    let (loans, enterprises, amount_fen) = this
        .first()
        .map_or((0, 0, 0), |t| (t.loans, t.enterprises, t.amount_fen));
    Ok(CreditTally {
        loans,
        enterprises,
        amount_fen,
        cumulative_fen: by_year
            .iter()
            .filter(|t| t.key.parse::<i64>().is_ok_and(|y| y <= year))
            .map(|t| t.amount_fen)
            .sum(),
        target_fen: policy.target_fen,
    })
}

/// The figures are the city's public statistics: every signed-in user may read them.
pub async fn target(state: &App, ctx: &Ctx<'_>, q: &TargetQuery) -> Result<TargetView, AppError> {
    let _ = ctx;
    if let Some(y) = q.year
        && !(1949..=2200).contains(&y)
    {
        return Err(problem(
            "year",
            "年份应在 1949 到 2200 之间",
            "The year is 1949 to 2200",
        ));
    }
    let policy = policy::current(&state.db).await?;
    let all = store::tally(&state.db, None, None).await?;
    let (loans, enterprises, issued) = all
        .first()
        .map_or((0, 0, 0), |t| (t.loans, t.enterprises, t.amount_fen));
    let by = |b| store::tally(&state.db, Some(b), q.year);
    let plain = |v: Vec<Tally>| {
        v.into_iter()
            .map(|t| {
                let label = if t.key.is_empty() {
                    "未填".to_string()
                } else {
                    t.key.clone()
                };
                line(t, label)
            })
            .collect::<Vec<_>>()
    };
    let mut by_year = plain(store::tally(&state.db, Some(TallyBy::Year), None).await?);
    by_year.sort_by(|a, b| a.key.cmp(&b.key));
    let by_county = by(TallyBy::County)
        .await?
        .into_iter()
        .map(|t| {
            let label = crate::reference::county_name(&t.key).to_string();
            line(t, label)
        })
        .collect();
    let by_grade = by(TallyBy::Grade)
        .await?
        .into_iter()
        .map(|t| {
            let label = Grade::parse(&t.key)
                .map_or_else(|| "未评级".to_string(), |g| g.label(Lang::ZhCn).to_string());
            line(t, label)
        })
        .collect();
    Ok(TargetView {
        target: money::yuan(policy.target_fen),
        target_fen: policy.target_fen,
        issued: money::yuan(issued),
        issued_fen: issued,
        loans,
        enterprises,
        progress_permille: if policy.target_fen > 0 {
            i64::try_from(i128::from(issued) * 1000 / i128::from(policy.target_fen))
                .unwrap_or(i64::MAX)
        } else {
            0
        },
        year: q.year,
        by_year,
        by_bank: plain(by(TallyBy::Bank).await?),
        by_county,
        by_sector: plain(by(TallyBy::Sector).await?),
        by_grade,
    })
}
