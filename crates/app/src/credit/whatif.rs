//! The risk compensation pool's what-if (资金池压力测算): before committing money, the bureau sets
//! loan volumes, default and recovery rates per grade and the pool's rules, and sees over the
//! coming months, from many seeded runs of [`fruition_domain::whatif`], the pool's balance (median
//! and 5th percentile), the compensation paid, each funder's share of it and how often the breaker
//! trips.
//!
//! Nothing is stored: the same input, seed included, always gives the same answer. Every field is
//! checked, and so is the work the input asks for (runs × months × loans outstanding), before any
//! run starts; the runs go to a blocking thread, at most one what-if per core at a time.

use std::sync::{Arc, LazyLock};
use std::time::{Duration, Instant};

use fruition_domain::authz::Action;
use fruition_domain::credit::{Grade, PoolRules};
use fruition_domain::lang::Lang;
use fruition_domain::money;
use fruition_domain::whatif::{
    self, GradeAssumption, MAX_LOANS_PER_MONTH, MAX_MONTHS, MAX_RUNS, Scenario, WhatIfError,
};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;
use utoipa::ToSchema;

use crate::{App, AppError, Ctx, Problem, Problems};

/// The most a pool may hold at the start, or be paid in a month: 1000亿元.
pub const MAX_POOL_FEN: i64 = 1_000 * 100_000_000 * 100;
/// The most funders a what-if may name.
pub const MAX_FUNDERS: usize = 6;
/// The longest a funder's name may be, in characters.
pub const MAX_FUNDER_LABEL: usize = 20;
/// The most a funder's ratio may be (ratios are small whole numbers: 2:4:4).
pub const MAX_RATIO: i64 = 1_000;
/// The most loan-months (a loan outstanding for a month, in one run) one what-if may simulate:
/// 300 million, about 1.5 s of one core. The defaults at [`MAX_RUNS`] fit.
pub const MAX_LOAN_MONTHS: u128 = 300_000_000;
/// How long a what-if waits for a free core before it is refused as busy.
const MAX_WAIT: Duration = Duration::from_secs(5);

/// One grade's assumptions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfGrade {
    /// The scorecard's grade, `a` to `e` (each at most once; a grade left out makes no loans).
    pub grade: Grade,
    /// New loans a month (all grades together at most 2,000).
    pub loans_per_month: i64,
    /// Principal of each loan, fen (more than 0, at most 1亿元).
    pub amount_fen: i64,
    /// Term in months, 1–60; the principal is repaid at the end.
    pub term_months: i64,
    /// Chance a loan defaults over a year, basis points (0–10,000; 300 = 3 %).
    pub annual_default_bp: i64,
    /// Share of a compensation recovered later from the borrower, percent (0–100) …
    pub recovery_pct: i64,
    /// … and how many months after the compensation it comes back (1–120).
    pub recovery_after_months: i64,
}

/// One funder of the pool and its part of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WhatIfFunder {
    /// Who pays in, as the bureau names it (省级财政, 市级财政, 区县财政), at most 20 characters.
    pub label: String,
    /// Its part, a whole number 0–1,000 (province:city:district = 2:4:4).
    pub ratio: i64,
}

/// A what-if: the assumptions per grade, the pool's money and rules, its funders, and how many
/// seeded runs over how many months. Every field may be left out and takes its default (the
/// defaults are what the page starts from): `{}` runs the default scenario, `{"runs": 200}` the
/// same with 200 runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(default, deny_unknown_fields)]
pub struct WhatIfInput {
    /// Per grade, A to E (by default 5, 10, 20, 20 and 15 loans a month of 300万, 200万, 120万,
    /// 80万 and 40万元 for 12 months, defaulting 0.75 %, 1.5 %, 3 %, 4.5 % and 6 % a year, 30 %
    /// recovered 6 months later).
    pub grades: Vec<WhatIfGrade>,
    /// What the pool holds at the start, fen (0 to 1000亿元; default 1亿元).
    pub opening_balance_fen: i64,
    /// Paid in by the funders together each month, fen (0 to 1000亿元; default 200万元).
    pub monthly_contribution_fen: i64,
    /// Share of a credit loan's principal loss the pool pays, percent (1–100; default 80).
    pub compensation_pct: i64,
    /// The most one loan's compensation may be, fen (more than 0, at most 1亿元; default 240万元).
    pub per_loan_cap_fen: i64,
    /// The non-performing ratio over the trailing year at which the breaker trips and no new
    /// loans are made, basis points (1–10,000; default 800 = 8 %).
    pub breaker_bp: i64,
    /// The funders, 1 to 6 (default province 2 : city 4 : district 4).
    pub funders: Vec<WhatIfFunder>,
    /// Months to look ahead, 1–120 (default 36).
    pub months: i64,
    /// Seeded runs, 1–10,000 (default 1,000).
    pub runs: i64,
    /// Run `i` draws from a generator seeded with `seed + i`: the same seed, the same answer
    /// (0 or more; default 2026).
    pub seed: i64,
}

impl Default for WhatIfInput {
    fn default() -> Self {
        defaults()
    }
}

const WAN: i64 = 10_000 * 100;

/// The scenario the page starts from: about 70 loans a month across grades A–E (some 29亿元
/// over three years) on a pool of 1亿元 topped up by 200万元 a month, the pool's default rules
/// ([`PoolRules::default`]), province:city:district 2:4:4, 1,000 runs over 36 months.
pub fn defaults() -> WhatIfInput {
    let rules = PoolRules::default();
    let grade = |grade, loans_per_month, amount_wan: i64, annual_default_bp| WhatIfGrade {
        grade,
        loans_per_month,
        amount_fen: amount_wan * WAN,
        term_months: 12,
        annual_default_bp,
        recovery_pct: 30,
        recovery_after_months: 6,
    };
    let funder = |label: &str, ratio| WhatIfFunder {
        label: label.into(),
        ratio,
    };
    WhatIfInput {
        grades: vec![
            grade(Grade::A, 5, 300, 75),
            grade(Grade::B, 10, 200, 150),
            grade(Grade::C, 20, 120, 300),
            grade(Grade::D, 20, 80, 450),
            grade(Grade::E, 15, 40, 600),
        ],
        opening_balance_fen: 10_000 * WAN,
        monthly_contribution_fen: 200 * WAN,
        compensation_pct: rules.credit_pct,
        per_loan_cap_fen: rules.per_loan_cap_fen,
        breaker_bp: rules.breaker_bp,
        funders: vec![
            funder("省级财政", 2),
            funder("市级财政", 4),
            funder("区县财政", 4),
        ],
        months: 36,
        runs: 1_000,
        seed: 2026,
    }
}

/// The pool's balance at the end of a month.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WhatIfMonth {
    /// 1 for the first month.
    pub month: i64,
    /// The median of the runs, fen.
    pub median_fen: i64,
    /// The same in 元 with separators (`12,345.60`).
    pub median: String,
    /// The 5th percentile of the runs (one run in twenty ends lower), fen.
    pub p5_fen: i64,
    /// The same in 元.
    pub p5: String,
}

/// A funder's share of the median compensation, by its ratio.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WhatIfShare {
    /// The funder's name, as sent.
    pub label: String,
    pub ratio: i64,
    /// Its share, fen.
    pub share_fen: i64,
    /// The same in 元.
    pub share: String,
}

/// What the runs show.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct WhatIfView {
    /// The scenario that was run, defaults filled in.
    pub input: WhatIfInput,
    /// The pool's balance month by month, median and 5th percentile of the runs.
    pub balances: Vec<WhatIfMonth>,
    /// The last month's: what the pool holds at the end of the period.
    pub end: WhatIfMonth,
    /// Compensation paid over the whole period: the median of the runs, fen.
    pub compensation_median_fen: i64,
    /// The same in 元.
    pub compensation_median: String,
    /// Each funder's share of that compensation (the shares add up to it).
    pub funders: Vec<WhatIfShare>,
    /// Runs in which the breaker tripped at least once, percent.
    pub breaker_runs_pct: f64,
    /// Runs in which a default found the pool unable to pay in full, percent.
    pub short_runs_pct: f64,
}

/// What the what-if's form starts from (the bureau): the defaults.
pub fn start(ctx: &Ctx<'_>) -> Result<WhatIfInput, AppError> {
    ctx.require(Action::RunWhatIf)?;
    Ok(defaults())
}

/// Runs a what-if (the bureau): checks every field and the work asked for, then runs the
/// simulation off the async threads.
pub async fn run(_state: &App, ctx: &Ctx<'_>, input: &WhatIfInput) -> Result<WhatIfView, AppError> {
    ctx.require(Action::RunWhatIf)?;
    let scenario = check(input)?;
    let permit = match SLOTS.clone().try_acquire_owned() {
        Ok(p) => p,
        Err(_) => tokio::time::timeout(MAX_WAIT, SLOTS.clone().acquire_owned())
            .await
            .map_err(|_| {
                tracing::warn!(user = %ctx.principal.user.login, "what-if refused: every core busy");
                AppError::Busy {
                    retry_after_secs: 2,
                }
            })?
            .map_err(|e| AppError::Internal(e.into()))?,
    };
    let started = Instant::now();
    let (runs, months) = (scenario.runs, scenario.months);
    // The permit goes with the work: it is held until the runs end, even if the caller has gone.
    let outlook = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        whatif::run(&scenario)
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))?
    .map_err(refused)?;
    tracing::info!(
        user = %ctx.principal.user.login,
        runs,
        months,
        ms = started.elapsed().as_millis() as u64,
        "what-if run"
    );
    Ok(view(input.clone(), outlook))
}

/// At most one what-if per core at a time.
static SLOTS: LazyLock<Arc<Semaphore>> = LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    Arc::new(Semaphore::new(cores))
});

/// The domain's refusal (which [`check`] has already ruled out) as a problem with its field.
fn refused(e: WhatIfError) -> AppError {
    let field = match e {
        WhatIfError::TooLarge(f) | WhatIfError::Invalid(f) => f,
    };
    AppError::Invalid(vec![Problem::new(
        field,
        "测算参数超出范围",
        "The what-if's figures are out of range",
    )])
}

fn view(input: WhatIfInput, o: whatif::Outlook) -> WhatIfView {
    let balances: Vec<WhatIfMonth> = o
        .balance_median_fen
        .iter()
        .zip(&o.balance_p5_fen)
        .enumerate()
        .map(|(i, (&median_fen, &p5_fen))| WhatIfMonth {
            month: i as i64 + 1,
            median_fen,
            median: money::yuan(median_fen),
            p5_fen,
            p5: money::yuan(p5_fen),
        })
        .collect();
    let end = balances.last().cloned().unwrap_or(WhatIfMonth {
        month: 0,
        median_fen: input.opening_balance_fen,
        median: money::yuan(input.opening_balance_fen),
        p5_fen: input.opening_balance_fen,
        p5: money::yuan(input.opening_balance_fen),
    });
    let funders = input
        .funders
        .iter()
        .zip(&o.funder_shares_fen)
        .map(|(f, &share_fen)| WhatIfShare {
            label: f.label.trim().to_string(),
            ratio: f.ratio,
            share_fen,
            share: money::yuan(share_fen),
        })
        .collect();
    WhatIfView {
        input,
        balances,
        end,
        compensation_median_fen: o.compensation_median_fen,
        compensation_median: money::yuan(o.compensation_median_fen),
        funders,
        breaker_runs_pct: o.breaker_runs_pct,
        short_runs_pct: o.short_runs_pct,
    }
}

/// The name of a grade's field in problems: `grades.c.annual_default_bp`.
fn grade_field(g: Grade, name: &str) -> String {
    format!("grades.{}.{name}", g.code())
}

/// Checks every field (all problems at once, each naming its field in Chinese and English), then
/// the work the input asks for, and gives the scenario to run.
pub fn check(input: &WhatIfInput) -> Result<Scenario, AppError> {
    let mut p = Problems::default();
    let out_of = |p: &mut Problems, field: &str, v: i64, lo: i64, hi: i64, zh: &str, en: &str| {
        if !(lo..=hi).contains(&v) {
            p.push(field, zh, en);
        }
    };

    // Grades: each at most once, each figure in its range, and not too many loans a month.
    let mut seen: Vec<Grade> = Vec::new();
    for g in &input.grades {
        let z = g.grade.label(Lang::ZhCn);
        let e = g.grade.label(Lang::En);
        if seen.contains(&g.grade) {
            p.push(
                "grades",
                &format!("{z}出现了两次，每个等级只能填一组假设"),
                &format!("{e} appears twice; give each grade one set of assumptions"),
            );
            continue;
        }
        seen.push(g.grade);
        let f = |name| grade_field(g.grade, name);
        out_of(
            &mut p,
            &f("loans_per_month"),
            g.loans_per_month,
            0,
            MAX_LOANS_PER_MONTH,
            &format!("{z}每月新增贷款笔数应为 0 到 {MAX_LOANS_PER_MONTH} 之间的整数"),
            &format!("{e}: new loans a month are a whole number from 0 to {MAX_LOANS_PER_MONTH}"),
        );
        out_of(
            &mut p,
            &f("amount_fen"),
            g.amount_fen,
            1,
            money::MAX_FEN,
            &format!("{z}单笔贷款金额应大于 0，且不超过 1 亿元"),
            &format!("{e}: a loan's amount is more than 0 and at most 100 million yuan"),
        );
        out_of(
            &mut p,
            &f("term_months"),
            g.term_months,
            1,
            60,
            &format!("{z}贷款期限应为 1 到 60 个月"),
            &format!("{e}: the term is 1 to 60 months"),
        );
        out_of(
            &mut p,
            &f("annual_default_bp"),
            g.annual_default_bp,
            0,
            10_000,
            &format!("{z}年违约率应在 0% 到 100% 之间（0 到 10000 个基点）"),
            &format!("{e}: the yearly default rate is 0 % to 100 % (0 to 10,000 basis points)"),
        );
        out_of(
            &mut p,
            &f("recovery_pct"),
            g.recovery_pct,
            0,
            100,
            &format!("{z}追偿回收比例应在 0% 到 100% 之间"),
            &format!("{e}: the share recovered is 0 % to 100 %"),
        );
        out_of(
            &mut p,
            &f("recovery_after_months"),
            g.recovery_after_months,
            1,
            120,
            &format!("{z}追偿回收时间应为代偿后 1 到 120 个月"),
            &format!("{e}: recoveries come 1 to 120 months after the compensation"),
        );
    }
    let loans: i64 = input
        .grades
        .iter()
        .map(|g| g.loans_per_month.clamp(0, MAX_LOANS_PER_MONTH))
        .sum();
    if loans > MAX_LOANS_PER_MONTH {
        p.push(
            "grades",
            &format!(
                "各等级每月新增贷款合计 {loans} 笔，不能超过 {MAX_LOANS_PER_MONTH} 笔"
            ),
            &format!(
                "All grades together make {loans} new loans a month; at most {MAX_LOANS_PER_MONTH} may be asked for"
            ),
        );
    }

    // The pool's money and rules.
    out_of(
        &mut p,
        "opening_balance_fen",
        input.opening_balance_fen,
        0,
        MAX_POOL_FEN,
        "资金池期初余额应在 0 到 1000 亿元之间",
        "The pool's opening balance is 0 to 100 billion yuan",
    );
    out_of(
        &mut p,
        "monthly_contribution_fen",
        input.monthly_contribution_fen,
        0,
        MAX_POOL_FEN,
        "每月注资应在 0 到 1000 亿元之间",
        "The monthly contribution is 0 to 100 billion yuan",
    );
    out_of(
        &mut p,
        "compensation_pct",
        input.compensation_pct,
        1,
        100,
        "代偿比例应在 1% 到 100% 之间",
        "The share of a loss the pool pays is 1 % to 100 %",
    );
    out_of(
        &mut p,
        "per_loan_cap_fen",
        input.per_loan_cap_fen,
        1,
        money::MAX_FEN,
        "单笔代偿上限应大于 0，且不超过 1 亿元",
        "The most one loan's compensation may be is more than 0 and at most 100 million yuan",
    );
    out_of(
        &mut p,
        "breaker_bp",
        input.breaker_bp,
        1,
        10_000,
        "熔断线应在 0.01% 到 100% 之间（1 到 10000 个基点）",
        "The breaker's ratio is 0.01 % to 100 % (1 to 10,000 basis points)",
    );

    // Funders: 1 to 6, named once each, with ratios that are not all 0.
    if input.funders.is_empty() || input.funders.len() > MAX_FUNDERS {
        p.push(
            "funders",
            &format!("出资方应有 1 到 {MAX_FUNDERS} 个"),
            &format!("Name 1 to {MAX_FUNDERS} funders"),
        );
    }
    let mut labels: Vec<&str> = Vec::new();
    for (i, f) in input.funders.iter().enumerate().take(MAX_FUNDERS) {
        let label = f.label.trim();
        let field = format!("funders.{i}.label");
        if label.is_empty() {
            p.push(&field, "请填写出资方名称", "Name the funder");
        } else if label.chars().count() > MAX_FUNDER_LABEL || label.chars().any(char::is_control) {
            p.push(
                &field,
                &format!("出资方名称最多 {MAX_FUNDER_LABEL} 个字，且不含控制字符"),
                &format!(
                    "A funder's name has at most {MAX_FUNDER_LABEL} characters and no control characters"
                ),
            );
        } else if labels.contains(&label) {
            p.push(&field, "出资方名称重复", "Two funders have the same name");
        }
        labels.push(label);
        out_of(
            &mut p,
            &format!("funders.{i}.ratio"),
            f.ratio,
            0,
            MAX_RATIO,
            &format!("出资比例应为 0 到 {MAX_RATIO} 之间的整数"),
            &format!("A funder's ratio is a whole number from 0 to {MAX_RATIO}"),
        );
    }
    if !input.funders.is_empty()
        && input
            .funders
            .iter()
            .all(|f| f.ratio <= 0 || f.ratio > MAX_RATIO)
    {
        p.push(
            "funders",
            "至少一个出资方的比例应大于 0",
            "At least one funder's ratio must be more than 0",
        );
    }

    // How far and how often.
    out_of(
        &mut p,
        "months",
        input.months,
        1,
        MAX_MONTHS as i64,
        &format!("测算月数应为 1 到 {MAX_MONTHS} 个月"),
        &format!("Look 1 to {MAX_MONTHS} months ahead"),
    );
    out_of(
        &mut p,
        "runs",
        input.runs,
        1,
        MAX_RUNS as i64,
        &format!("模拟次数应为 1 到 {MAX_RUNS} 次"),
        &format!("Ask for 1 to {MAX_RUNS} runs"),
    );
    out_of(
        &mut p,
        "seed",
        input.seed,
        0,
        i64::MAX,
        "随机种子应为 0 或正整数",
        "The seed is 0 or a positive whole number",
    );
    p.into_result()?;

    // The work, before any of it starts: every loan outstanding in every month of every run.
    let work = loan_months(input);
    if work > MAX_LOAN_MONTHS {
        let yi = work as f64 / 1e8;
        let million = work as f64 / 1e6;
        return Err(AppError::Invalid(vec![Problem::new(
            "runs",
            &format!(
                "这次测算约需模拟 {yi:.1} 亿个“贷款·月”，超过上限 {} 亿：请减少模拟次数、测算月数或每月贷款笔数",
                MAX_LOAN_MONTHS / 100_000_000
            ),
            &format!(
                "This what-if would simulate about {million:.0} million loan-months, more than the limit of {} million: ask for fewer runs, fewer months or fewer loans a month",
                MAX_LOAN_MONTHS / 1_000_000
            ),
        )]));
    }

    let defaults = PoolRules::default();
    Ok(Scenario {
        grades: input
            .grades
            .iter()
            .map(|g| GradeAssumption {
                grade: g.grade,
                loans_per_month: g.loans_per_month,
                amount_fen: g.amount_fen,
                term_months: g.term_months,
                annual_default_bp: g.annual_default_bp,
                recovery_pct: g.recovery_pct,
                recovery_after_months: g.recovery_after_months,
            })
            .collect(),
        rules: PoolRules {
            credit_pct: input.compensation_pct,
            per_loan_cap_fen: input.per_loan_cap_fen,
            breaker_bp: input.breaker_bp,
            warning_bp: defaults.warning_bp.min(input.breaker_bp),
            ..defaults
        },
        opening_balance_fen: input.opening_balance_fen,
        monthly_contribution_fen: input.monthly_contribution_fen,
        funder_ratios: input
            .funders
            .iter()
            .map(|f| u32::try_from(f.ratio).unwrap_or(0))
            .collect(),
        months: input.months as usize,
        runs: input.runs as usize,
        seed: input.seed as u64,
    })
}

/// Loans outstanding month by month, summed over the months and the runs (an upper bound: no
/// default or breaker is counted). Called on checked input only.
fn loan_months(input: &WhatIfInput) -> u128 {
    let months = input.months.max(0) as u128;
    let per_run: u128 = input
        .grades
        .iter()
        .map(|g| {
            let loans = g.loans_per_month.max(0) as u128;
            let term = g.term_months.max(0) as u128;
            // In month m (from 0) the loans of the last min(m + 1, term) months are outstanding.
            let ramp = months.min(term);
            let outstanding = ramp * (ramp + 1) / 2 + (months - ramp) * term;
            loans * outstanding
        })
        .sum();
    per_run * input.runs.max(0) as u128
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(e: AppError) -> Vec<String> {
        match e {
            AppError::Invalid(problems) => problems.into_iter().map(|p| p.field).collect(),
            other => panic!("not a field problem: {other:?}"),
        }
    }

    #[test]
    fn the_defaults_are_valid_and_use_the_pools_default_rules() {
        let s = check(&defaults()).expect("defaults");
        let rules = PoolRules::default();
        assert_eq!(s.rules, rules);
        assert_eq!((s.months, s.runs), (36, 1_000));
        assert_eq!(s.funder_ratios, [2, 4, 4]);
        assert_eq!(
            s.grades.iter().map(|g| g.grade).collect::<Vec<_>>(),
            Grade::ALL
        );
        // The defaults at the most runs still fit the work's bound.
        let most = WhatIfInput {
            runs: MAX_RUNS as i64,
            ..defaults()
        };
        assert!(check(&most).is_ok(), "{}", loan_months(&most));
    }

    #[test]
    fn every_problem_names_its_field() {
        let mut input = defaults();
        input.grades[2].annual_default_bp = 10_001;
        input.grades[0].term_months = 0;
        input.opening_balance_fen = -1;
        input.breaker_bp = 0;
        input.funders[1].label = " ".into();
        input.funders[2].ratio = -4;
        input.months = 0;
        input.runs = MAX_RUNS as i64 + 1;
        input.seed = -1;
        assert_eq!(
            fields(check(&input).unwrap_err()),
            [
                "grades.a.term_months",
                "grades.c.annual_default_bp",
                "opening_balance_fen",
                "breaker_bp",
                "funders.1.label",
                "funders.2.ratio",
                "months",
                "runs",
                "seed",
            ]
        );
    }

    #[test]
    fn grades_funders_and_loans_are_bounded_together() {
        let mut input = defaults();
        input.grades.push(input.grades[0].clone());
        input.funders.iter_mut().for_each(|f| f.ratio = 0);
        input.funders[0].label = "市级财政".into();
        assert_eq!(
            fields(check(&input).unwrap_err()),
            ["grades", "funders.1.label", "funders"]
        );
        let mut input = defaults();
        for g in &mut input.grades {
            g.loans_per_month = MAX_LOANS_PER_MONTH;
        }
        assert_eq!(fields(check(&input).unwrap_err()), ["grades"]);
    }

    #[test]
    fn too_much_work_is_refused_on_runs_before_it_starts() {
        let mut input = defaults();
        input.months = MAX_MONTHS as i64;
        input.runs = MAX_RUNS as i64;
        for g in &mut input.grades {
            g.term_months = 60;
        }
        let e = check(&input).unwrap_err();
        assert!(
            e.message(Lang::ZhCn).contains("亿"),
            "{}",
            e.message(Lang::ZhCn)
        );
        assert_eq!(fields(e), ["runs"]);
    }

    #[test]
    fn loan_months_count_the_loans_outstanding() {
        let mut input = defaults();
        input.grades = vec![WhatIfGrade {
            loans_per_month: 2,
            term_months: 3,
            ..defaults().grades[0].clone()
        }];
        input.months = 5;
        input.runs = 10;
        // Outstanding each month: 2, 4, 6, 6, 6 (the first month's loans end after month 3).
        assert_eq!(loan_months(&input), 10 * (2 + 4 + 6 + 6 + 6));
    }
}
