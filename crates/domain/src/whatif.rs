//! What-if for the risk compensation pool: before committing money, the bureau sets loan volumes,
//! default and recovery rates per grade and the pool's rules, and sees over the coming months,
//! from many seeded random runs, the pool's balance (median and 5th percentile), the compensation
//! paid, each funder's share of it and how often the circuit breaker trips.
//!
//! A run is a month-by-month simulation: each grade's new loans are made (unless the breaker is
//! tripped), each loan outstanding may default in a month with the grade's monthly probability,
//! a default costs the pool its compensation (never more than the pool holds), and a share of
//! each compensation comes back as a recovery some months later. Runs are reproducible: run `i`
//! draws from a generator seeded with `seed + i`.

use serde::{Deserialize, Serialize};

use crate::credit::{Grade, LoanKind, PoolRules, npl_bp};
use crate::ledger::split;

/// The most runs and months one what-if may ask for (bounds the work before it starts).
pub const MAX_RUNS: usize = 10_000;
pub const MAX_MONTHS: usize = 120;
/// The most loans a month may bring (all grades together).
pub const MAX_LOANS_PER_MONTH: i64 = 2_000;

/// One grade's assumptions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeAssumption {
    pub grade: Grade,
    /// New loans a month.
    pub loans_per_month: i64,
    /// Principal of each, in fen.
    pub amount_fen: i64,
    /// Term in months (the principal is repaid at the end).
    pub term_months: i64,
    /// Chance a loan defaults over a year, in basis points.
    pub annual_default_bp: i64,
    /// Share of a compensation recovered, in percent, and how many months later.
    pub recovery_pct: i64,
    pub recovery_after_months: i64,
}

/// A what-if: assumptions, the pool's rules and money, and how many runs over how many months.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    pub grades: Vec<GradeAssumption>,
    pub rules: PoolRules,
    pub opening_balance_fen: i64,
    /// Paid in by the funders each month.
    pub monthly_contribution_fen: i64,
    /// The funders' ratios (e.g. province:city:district), for their shares of what is paid.
    pub funder_ratios: Vec<u32>,
    pub months: usize,
    pub runs: usize,
    pub seed: u64,
}

/// What the runs show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Outlook {
    /// The pool's balance at the end of each month: the median and the 5th percentile of the runs.
    pub balance_median_fen: Vec<i64>,
    pub balance_p5_fen: Vec<i64>,
    /// Compensation paid over the whole period: median of the runs, and each funder's share of it.
    pub compensation_median_fen: i64,
    pub funder_shares_fen: Vec<i64>,
    /// Share of runs in which the breaker tripped at least once, in percent.
    pub breaker_runs_pct: f64,
    /// Share of runs in which a default found the pool unable to pay in full, in percent.
    pub short_runs_pct: f64,
}

/// Why a scenario cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WhatIfError {
    TooLarge(&'static str),
    Invalid(&'static str),
}

/// SplitMix64: small, fast and reproducible; good enough for Bernoulli draws.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

struct Loan {
    grade: usize,
    amount_fen: i64,
    ends: usize,
}

/// Runs `s`, checking its bounds before any work.
pub fn run(s: &Scenario) -> Result<Outlook, WhatIfError> {
    if s.runs == 0 || s.runs > MAX_RUNS {
        return Err(WhatIfError::TooLarge("runs"));
    }
    if s.months == 0 || s.months > MAX_MONTHS {
        return Err(WhatIfError::TooLarge("months"));
    }
    if s.grades
        .iter()
        .map(|g| g.loans_per_month.max(0))
        .sum::<i64>()
        > MAX_LOANS_PER_MONTH
    {
        return Err(WhatIfError::TooLarge("loans_per_month"));
    }
    if s.grades.iter().any(|g| {
        g.loans_per_month < 0
            || g.amount_fen <= 0
            || g.amount_fen > crate::money::MAX_FEN
            || !(1..=60).contains(&g.term_months)
            || !(0..=10_000).contains(&g.annual_default_bp)
            || !(0..=100).contains(&g.recovery_pct)
            || !(0..=120).contains(&g.recovery_after_months)
    }) {
        return Err(WhatIfError::Invalid("grades"));
    }
    if s.opening_balance_fen < 0 || s.monthly_contribution_fen < 0 {
        return Err(WhatIfError::Invalid("balance"));
    }
    // Monthly default probability from the annual rate: 1 - (1 - p)^(1/12).
    let monthly: Vec<f64> = s
        .grades
        .iter()
        .map(|g| 1.0 - (1.0 - g.annual_default_bp as f64 / 10_000.0).powf(1.0 / 12.0))
        .collect();
    let mut balances: Vec<Vec<i64>> = vec![Vec::with_capacity(s.runs); s.months];
    let mut paid_totals = Vec::with_capacity(s.runs);
    let (mut breaker_runs, mut short_runs) = (0usize, 0usize);
    for r in 0..s.runs {
        let mut rng = Rng(s.seed.wrapping_add(r as u64));
        let mut balance = s.opening_balance_fen;
        let mut loans: Vec<Loan> = Vec::new();
        // (month due, fen) of recoveries to come.
        let mut recoveries: Vec<(usize, i64)> = Vec::new();
        // Defaulted principal by month, for the trailing-year NPL ratio.
        let mut defaulted: Vec<i64> = vec![0; s.months];
        let (mut paid, mut tripped, mut short) = (0i64, false, false);
        for month in 0..s.months {
            balance += s.monthly_contribution_fen;
            recoveries.retain(|&(due, fen)| {
                if due == month {
                    balance += fen;
                    false
                } else {
                    true
                }
            });
            let outstanding: i64 = loans.iter().map(|l| l.amount_fen).sum();
            let trailing: i64 = defaulted[month.saturating_sub(11)..month].iter().sum();
            let breaker = s.rules.risk(npl_bp(trailing, outstanding + trailing))
                == crate::credit::RiskLevel::Breaker;
            tripped |= breaker;
            if !breaker {
                for (gi, g) in s.grades.iter().enumerate() {
                    for _ in 0..g.loans_per_month {
                        loans.push(Loan {
                            grade: gi,
                            amount_fen: g.amount_fen,
                            ends: month + g.term_months as usize,
                        });
                    }
                }
            }
            let mut kept = Vec::with_capacity(loans.len());
            for loan in loans.drain(..) {
                if loan.ends <= month {
                    continue; // repaid
                }
                if rng.unit() < monthly[loan.grade] {
                    defaulted[month] += loan.amount_fen;
                    let owed = s.rules.compensation(LoanKind::Credit, loan.amount_fen);
                    let pay = owed.min(balance.max(0));
                    short |= pay < owed;
                    balance -= pay;
                    paid += pay;
                    let g = &s.grades[loan.grade];
                    let back = crate::money::percent_of(pay, g.recovery_pct);
                    if back > 0 {
                        recoveries.push((month + g.recovery_after_months.max(1) as usize, back));
                    }
                } else {
                    kept.push(loan);
                }
            }
            loans = kept;
            balances[month].push(balance);
        }
        paid_totals.push(paid);
        breaker_runs += usize::from(tripped);
        short_runs += usize::from(short);
    }
    let pct = |sorted: &[i64], p: f64| -> i64 {
        let i = ((sorted.len() - 1) as f64 * p).round() as usize;
        sorted[i]
    };
    let mut median = Vec::with_capacity(s.months);
    let mut p5 = Vec::with_capacity(s.months);
    for mut month in balances {
        month.sort_unstable();
        median.push(pct(&month, 0.5));
        p5.push(pct(&month, 0.05));
    }
    paid_totals.sort_unstable();
    let compensation_median_fen = pct(&paid_totals, 0.5);
    let funder_shares_fen = split(compensation_median_fen, &s.funder_ratios)
        .unwrap_or_else(|| vec![0; s.funder_ratios.len()]);
    Ok(Outlook {
        balance_median_fen: median,
        balance_p5_fen: p5,
        compensation_median_fen,
        funder_shares_fen,
        breaker_runs_pct: breaker_runs as f64 * 100.0 / s.runs as f64,
        short_runs_pct: short_runs as f64 * 100.0 / s.runs as f64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(default_bp: i64, runs: usize) -> Scenario {
        Scenario {
            grades: vec![GradeAssumption {
                grade: Grade::C,
                loans_per_month: 10,
                amount_fen: 120 * 10_000 * 100,
                term_months: 12,
                annual_default_bp: default_bp,
                recovery_pct: 30,
                recovery_after_months: 6,
            }],
            rules: PoolRules::default(),
            opening_balance_fen: 5_000 * 10_000 * 100,
            monthly_contribution_fen: 100 * 10_000 * 100,
            funder_ratios: vec![4, 6],
            months: 36,
            runs,
            seed: 7,
        }
    }

    #[test]
    fn no_defaults_leave_the_pool_growing_by_its_contributions() {
        let o = run(&scenario(0, 20)).expect("run");
        assert_eq!(o.compensation_median_fen, 0);
        assert_eq!(
            *o.balance_median_fen.last().expect("month"),
            5_000 * 10_000 * 100 + 36 * 100 * 10_000 * 100
        );
        assert_eq!(o.breaker_runs_pct, 0.0);
    }

    #[test]
    fn runs_are_reproducible_and_worse_rates_cost_more() {
        let a = run(&scenario(300, 200)).expect("run");
        assert_eq!(a, run(&scenario(300, 200)).expect("again"));
        let b = run(&scenario(1_500, 200)).expect("run");
        assert!(b.compensation_median_fen > a.compensation_median_fen);
        assert!(b.balance_p5_fen.last() < a.balance_p5_fen.last());
        assert!(b.breaker_runs_pct >= a.breaker_runs_pct);
        // The 5th percentile is never above the median; the funders' shares add up.
        for (p5, m) in a.balance_p5_fen.iter().zip(&a.balance_median_fen) {
            assert!(p5 <= m);
        }
        assert_eq!(
            a.funder_shares_fen.iter().sum::<i64>(),
            a.compensation_median_fen
        );
    }

    #[test]
    fn a_pool_never_pays_more_than_it_holds() {
        let mut s = scenario(9_000, 50);
        s.opening_balance_fen = 0;
        s.monthly_contribution_fen = 10_000 * 100;
        let o = run(&s).expect("run");
        assert!(o.balance_p5_fen.iter().all(|b| *b >= 0));
        assert!(o.short_runs_pct > 0.0);
    }

    #[test]
    fn bounds_are_checked_before_the_work() {
        let mut s = scenario(300, MAX_RUNS + 1);
        assert_eq!(run(&s), Err(WhatIfError::TooLarge("runs")));
        s.runs = 10;
        s.months = MAX_MONTHS + 1;
        assert_eq!(run(&s), Err(WhatIfError::TooLarge("months")));
        s.months = 12;
        s.grades[0].loans_per_month = MAX_LOANS_PER_MONTH + 1;
        assert_eq!(run(&s), Err(WhatIfError::TooLarge("loans_per_month")));
        s.grades[0].loans_per_month = 1;
        s.grades[0].annual_default_bp = 10_001;
        assert_eq!(run(&s), Err(WhatIfError::Invalid("grades")));
    }
}
