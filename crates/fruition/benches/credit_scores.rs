//! Rescoring every enterprise with a new scorecard version, at the figure the issue names
//! (200,000 enterprises in < 10 s), on SQLite and — when FRUITION_TEST_DATABASE_URL is set — on
//! PostgreSQL.
//!
//! Loads 200,000 enterprises (`FRUITION_BENCH_ENTERPRISES`) with a year of figures in approved
//! reports (one 2024 report per carrier, 1,000 carriers), a tenth of them high-tech and a fifth
//! tech SMEs, 500 on the negative list; on PostgreSQL the statistics are refreshed after the bulk
//! load (`ANALYZE`, as autovacuum does soon after rows arrive the ordinary way: without it the
//! planner takes 1,000 approved reports for 3 and the facts take 7 s instead of 0.5 s). Then,
//! through the action the bureau's button calls
//! (`fruition_app::credit::scores::rescore`):
//!
//! 1. rescores everyone on the shipped default (version 1): 200,000 new score rows;
//! 2. makes version 2 with higher bars and rescores everyone on it: **the figure**, 200,000 more rows;
//! 3. rescores on version 2 again: every row replaced with its identical score.
//!
//! Baselines in the same run: reading the facts alone (what a rescore reads: the figures, kinds and
//! negative list of every enterprise), and scoring them in memory (the domain's rule and the JSON
//! of the working) without writing.
//!
//! Run: `cargo bench -p fruition --bench credit_scores`.

mod common;
use common::uscc;
use std::time::{Duration, Instant};

use fruition_app::credit::scores::{self as actions, BandView, ScorecardInput};
use fruition_app::{App, Ctx, Settings};
use fruition_domain::credit::{self, Scorecard};
use fruition_domain::indicators::Indicators;
use fruition_domain::org::{OrgKind, Role};
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, CarrierRow, EnterpriseRow};
use fruition_store::credit::scores::{self as store, NewScore};
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users::{self, Principal};
use fruition_store::{Db, reference};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const CARRIERS: usize = 1_000;
const EXCLUDED: usize = 500;
const COUNTIES: [&str; 5] = ["430202", "430203", "430204", "430211", "430212"];

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

/// The registry: carriers, enterprises, their 2024 figures in approved reports, kinds, exclusions.
async fn load(db: &Db, n: usize) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut rng = StdRng::seed_from_u64(2025);
    fruition_app::reference::seed_defaults(
        db,
        &fruition_domain::region::RegionCode::parse("430200").map_err(|e| anyhow::anyhow!(e.en))?,
    )
    .await?;
    let chains: Vec<String> = reference::chains(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let ctx = AuditCtx::system("bench");
    let mut tx = db.begin().await?;
    let operator = organisations::insert(
        &mut tx,
        &ctx,
        OrgKind::CarrierOperator,
        &OrgProfile {
            name: "评分基准运营机构".into(),
            uscc: Some(uscc(900_000_001)),
            ..OrgProfile::default()
        },
    )
    .await?
    .id;
    tx.commit().await?;
    let carriers: Vec<CarrierRow> = (0..CARRIERS)
        .map(|i| CarrierRow {
            name: format!("评分基准载体{i:04}"),
            kind: "incubator",
            operator_org_id: operator,
            county_code: COUNTIES[i % COUNTIES.len()].into(),
            zone_id: None,
            established_year: 2015,
            level: "municipal",
            level_rank: 1,
            rated_in: 2018,
        })
        .collect();
    let carrier_ids = bulk::carriers(db, &carriers).await?;
    let enterprises: Vec<EnterpriseRow> = (0..n)
        .map(|i| EnterpriseRow {
            uscc: uscc(i as u64),
            name: format!("评分基准企业{i:06}有限公司"),
            county_code: COUNTIES[i % COUNTIES.len()].into(),
            zone_id: None,
            chain_code: chains[i % chains.len()].clone(),
        })
        .collect();
    let ids = bulk::enterprises(db, &enterprises).await?;
    let reports = bulk::approved_reports(
        db,
        &carrier_ids.iter().map(|c| (*c, 2024)).collect::<Vec<_>>(),
    )
    .await?;
    let rows: Vec<(i64, i64, i64, Indicators)> = ids
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let employees = rng.random_range(5..200);
            let grants = rng.random_range(0..6);
            let v = Indicators {
                employees,
                high_level_talent: rng.random_range(0..5).min(employees),
                revenue_k: rng.random_range(0..60_000),
                rd_spending_k: rng.random_range(0..6_000),
                patent_applications: grants + 1,
                patent_grants: grants,
                valid_ip: rng.random_range(0..25),
                ..Indicators::default()
            };
            (*e, 2024, reports[i % reports.len()], v)
        })
        .collect();
    bulk::indicators(db, &rows).await?;
    let high_tech: Vec<i64> = ids.iter().copied().step_by(10).collect();
    let tech_sme: Vec<i64> = ids.iter().copied().skip(1).step_by(5).collect();
    bulk::enterprise_kinds(db, &high_tech, &tech_sme).await?;
    let excluded: Vec<(i64, &str)> = ids
        .iter()
        .copied()
        .step_by((n / EXCLUDED).max(1))
        .take(EXCLUDED)
        .map(|e| (e, "serious_dishonesty"))
        .collect();
    bulk::credit_exclusions(db, &excluded).await?;
    bulk::analyze(db).await?;
    Ok(started.elapsed())
}

/// A bureau administrator who needs no password change.
async fn bureau(db: &Db) -> anyhow::Result<Principal> {
    let ctx = AuditCtx::system("bench");
    let mut tx = db.begin().await?;
    let org = organisations::insert(
        &mut tx,
        &ctx,
        OrgKind::Bureau,
        &OrgProfile {
            name: "评分基准科技局".into(),
            ..OrgProfile::default()
        },
    )
    .await?;
    common::bench_user(
        &mut tx,
        org.id,
        "credit.bench",
        "评分基准",
        Role::BureauAdmin,
    )
    .await?;
    tx.commit().await?;
    Ok(users::get_for_sign_in(db, "credit.bench")
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench user was not created"))?
        .0)
}

/// Version 2: the default's items with higher bars for IP and R&D spending.
fn higher_bars() -> anyhow::Result<ScorecardInput> {
    let card = Scorecard::default_v1();
    let mut input: ScorecardInput = serde_json::from_value(serde_json::json!({
        "note": "基准：提高知识产权和研发投入档次",
        "items": card.items.iter().map(|i| serde_json::json!({
            "indicator": i.indicator, "cap": i.cap, "bonus": i.bonus,
            "bands": i.bands.iter().map(|b| serde_json::json!({"from": b.from, "points": b.points})).collect::<Vec<_>>()
        })).collect::<Vec<_>>(),
        "grades": card.grades.iter().map(|g| serde_json::json!({
            "grade": g.grade, "min_score": g.min_score, "line_fen": g.line_fen
        })).collect::<Vec<_>>()
    }))?;
    let bands = |b: &[(i64, i64)]| {
        b.iter()
            .map(|&(from, points)| BandView { from, points })
            .collect::<Vec<_>>()
    };
    input.items[0].bands = bands(&[(3, 10), (6, 20), (10, 30), (20, 40)]);
    input.items[1].bands = bands(&[(500, 10), (1_000, 20), (3_000, 30), (5_000, 40)]);
    Ok(input)
}

fn counts_line(v: &actions::RescoreView) -> String {
    let c = &v.counts;
    let grades: Vec<String> = c
        .grades
        .iter()
        .map(|g| format!("{} {}", g.grade.code().to_uppercase(), g.count))
        .collect();
    format!(
        "{}; ungraded {}, excluded {}; {} in all",
        grades.join(", "),
        c.ungraded,
        c.excluded,
        c.scored
    )
}

async fn measure(engine: &str, db: Db, n: usize) -> anyhow::Result<()> {
    db.migrate().await?;
    let loaded = load(&db, n).await?;
    let state = App::new(db.clone(), Settings::default());
    let me = bureau(&db).await?;
    let ctx = Ctx {
        principal: &me,
        ip: "127.0.0.1".into(),
    };
    let fail = |e: fruition_app::AppError| anyhow::anyhow!("{e}");
    let year = fruition_app::clock::this_year();

    // Baseline 1: reading what a rescore reads.
    let t = Instant::now();
    let facts = store::facts_rows(&db, year).await?;
    let listed = store::exclusions_in_force(&db, None).await?;
    let read = t.elapsed();
    assert_eq!(facts.len(), n);
    // Baseline 2: scoring them in memory, the working as JSON, nothing written.
    let card = Scorecard::default_v1();
    let t = Instant::now();
    let mut bytes = 0;
    for r in &facts {
        let ex = listed.get(&r.enterprise_id).map_or(&[][..], Vec::as_slice);
        let s = credit::score(&card, &r.facts(ex), r.data_date(year));
        bytes += NewScore::new(r.enterprise_id, &s)?.score_json.len();
    }
    let scored = t.elapsed();
    drop(facts);

    let first = actions::rescore(&state, &ctx).await.map_err(fail)?;
    let v2 = actions::create_scorecard(&state, &ctx, &higher_bars()?)
        .await
        .map_err(fail)?;
    assert_eq!(v2.version, 2);
    let t = Instant::now();
    let second = actions::rescore(&state, &ctx).await.map_err(fail)?;
    let figure = t.elapsed();
    let t = Instant::now();
    let again = actions::rescore(&state, &ctx).await.map_err(fail)?;
    let replaced = t.elapsed();
    // The bureau's scorecards page counts by grade on the version in force (each enterprise by its
    // latest score there), over every score row.
    let t = Instant::now();
    let shown = actions::grade_counts(&state, &ctx).await.map_err(fail)?;
    let page_counts = t.elapsed();
    assert_eq!(shown.scored, n as i64);
    assert_eq!(second.counts.scored, n as i64);
    assert_eq!(
        counts_line(&second),
        counts_line(&again),
        "the same version on the same data scores the same"
    );

    println!(
        "\n### {engine}: {n} enterprises with a year of figures (loaded in {:.1} s)\n",
        secs(loaded)
    );
    println!("| step | seconds |");
    println!("|---|---|");
    println!(
        "| **rescore all with a new version (v2)** (target < 10 s) | **{:.2}** |",
        secs(figure)
    );
    println!(
        "| rescore all on the default (v1, first scores) | {:.2} |",
        first.elapsed_ms as f64 / 1000.0
    );
    println!(
        "| rescore all on v2 again (every row replaced) | {:.2} |",
        secs(replaced)
    );
    println!(
        "| counts by grade on v2 for the scorecards page ({} score rows) | {:.2} |",
        2 * n,
        secs(page_counts)
    );
    println!(
        "| baseline: read the facts (figures, kinds, negative list) | {:.2} |",
        secs(read)
    );
    println!(
        "| baseline: score in memory with the working as JSON ({:.0} MB), no writing | {:.2} |",
        bytes as f64 / 1e6,
        secs(scored)
    );
    println!("\nv1: {}", counts_line(&first));
    println!("v2: {}", counts_line(&second));
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FRUITION_BENCH_ENTERPRISES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(200_000);
    let dir = std::env::temp_dir().join(format!("fruition-bench-credit-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    if std::env::var("FRUITION_BENCH_SKIP_SQLITE").is_err() {
        let sqlite = Db::open_sqlite(&dir.join("bench.db")).await?;
        measure("SQLite", sqlite, n).await?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    match std::env::var("FRUITION_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("fruition_bench_{}", std::process::id());
            let admin = Db::connect_postgres(&url, 1).await?;
            if let Db::Postgres(p) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(p)
                    .await?;
            }
            let sep = if url.contains('?') { '&' } else { '?' };
            let db =
                Db::connect_postgres(&format!("{url}{sep}options=-c%20search_path%3D{schema}"), 8)
                    .await?;
            let result = measure("PostgreSQL", db, n).await;
            if std::env::var("FRUITION_BENCH_KEEP").is_ok() {
                println!("(kept the schema {schema})");
            } else if let Db::Postgres(p) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("DROP SCHEMA {schema} CASCADE")))
                    .execute(p)
                    .await?;
            }
            result?;
        }
        _ => println!("\n(PostgreSQL skipped: FRUITION_TEST_DATABASE_URL is not set)"),
    }
    Ok(())
}
