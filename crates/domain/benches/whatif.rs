//! The risk pool's what-if at the size the finance issue names: 1,000 runs × 36 months (target
//! < 2 s), against a baseline in the same run: the same scenario with no defaults (only the
//! loans' book-keeping, no draws that cost the pool).
//!
//! `cargo bench -p fruition-domain --bench whatif`

use std::time::Instant;

use fruition_domain::credit::{Grade, PoolRules};
use fruition_domain::whatif::{GradeAssumption, Scenario, run};

fn scenario(default_bp: i64) -> Scenario {
    let wan = |n: i64| n * 10_000 * 100;
    let grade = |grade, loans_per_month, amount, bp| GradeAssumption {
        grade,
        loans_per_month,
        amount_fen: wan(amount),
        term_months: 12,
        annual_default_bp: bp,
        recovery_pct: 30,
        recovery_after_months: 6,
    };
    Scenario {
        // About 30亿元 over three years: 70 loans a month across the grades.
        grades: vec![
            grade(Grade::A, 5, 300, default_bp / 4),
            grade(Grade::B, 10, 200, default_bp / 2),
            grade(Grade::C, 20, 120, default_bp),
            grade(Grade::D, 20, 80, default_bp * 3 / 2),
            grade(Grade::E, 15, 40, default_bp * 2),
        ],
        rules: PoolRules::default(),
        opening_balance_fen: wan(10_000),
        monthly_contribution_fen: wan(200),
        funder_ratios: vec![1, 1],
        months: 36,
        runs: 1_000,
        seed: 2026,
    }
}

fn time(label: &str, s: &Scenario) -> f64 {
    let started = Instant::now();
    let o = run(s).expect("scenario within bounds");
    let secs = started.elapsed().as_secs_f64();
    println!(
        "| {label} | {:.3} s | median compensation {:.0} 万元 | pool after 36 months: median {:.0} 万元, 5th percentile {:.0} 万元 | breaker in {:.1} % of runs |",
        secs,
        o.compensation_median_fen as f64 / 1_000_000.0,
        *o.balance_median_fen.last().unwrap_or(&0) as f64 / 1_000_000.0,
        *o.balance_p5_fen.last().unwrap_or(&0) as f64 / 1_000_000.0,
        o.breaker_runs_pct
    );
    secs
}

fn main() {
    println!("| what-if, 1,000 runs × 36 months | time | | | |");
    println!("|---|---|---|---|---|");
    let baseline = time("baseline: no defaults", &scenario(0));
    let secs = time("defaults 3 % a year (grade C; A ¼ … E 2×)", &scenario(300));
    let stressed = time("defaults 10 % a year (grade C)", &scenario(1_000));
    println!(
        "target < 2 s: {} (×{:.2} of the baseline; stressed {:.3} s)",
        if secs.max(stressed) < 2.0 {
            "met"
        } else {
            "NOT met"
        },
        secs / baseline.max(1e-9),
        stressed
    );
}
