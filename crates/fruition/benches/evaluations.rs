//! Evaluating every carrier of a year, at the figure the issue names (2,000 carriers in < 2 s),
//! on SQLite and — when FRUITION_TEST_DATABASE_URL is set — on PostgreSQL.
//!
//! Loads 2,000 carriers (`FRUITION_BENCH_CARRIERS`) of four kinds with an approved 2024 report
//! each (staff, mentors, events, graduates) and 20 incubatees' figures per report (40,000
//! indicator rows: funding raised, patents granted); on PostgreSQL the statistics are refreshed
//! after the bulk load. Then, as the bureau, through the actions the pages and the API call
//! (`fruition_app::evaluations`):
//!
//! 1. creates the 2024 round and computes it: **the figure** (one grouped query for the facts,
//!    the scores in memory, 2,000 results with their working written in a few statements, the
//!    audit entry — one transaction);
//! 2. computes it again (every result replaced, adjustments kept);
//! 3. reads the ranking the round's page shows, and the workbook of every result.
//!
//! Baseline in the same run: reading the facts alone (the grouped query) and scoring them in
//! memory, writing nothing.
//!
//! Run: `cargo bench -p fruition --bench evaluations`.

use std::time::{Duration, Instant};

use fruition_app::evaluations::{self as actions, RoundInput};
use fruition_app::{App, Ctx, Settings};
use fruition_domain::carrier::CarrierKind;
use fruition_domain::evaluation::{self as rule, Facts, Scheme};
use fruition_domain::indicators::Indicators;
use fruition_domain::org::{OrgKind, Role};
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, CarrierRow, EnterpriseRow};
use fruition_store::evaluations as store;
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users::{self, Principal};
use fruition_store::{Db, reference};

mod common;
use common::{Rng, size_from_env, uscc};

const PER_CARRIER: usize = 20;
const KINDS: [&str; 4] = ["incubator", "maker_space", "pilot_base", "science_park"];
const COUNTIES: [&str; 5] = ["430202", "430203", "430204", "430211", "430212"];

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

async fn load(db: &Db, carriers: usize) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let mut rng = Rng(2024);
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
            name: "评价基准运营机构".into(),
            uscc: Some(uscc(900_000_002)),
            ..OrgProfile::default()
        },
    )
    .await?
    .id;
    tx.commit().await?;
    let rows: Vec<CarrierRow> = (0..carriers)
        .map(|i| CarrierRow {
            name: format!("评价基准载体{i:05}"),
            kind: KINDS[i % KINDS.len()],
            operator_org_id: operator,
            county_code: COUNTIES[i % COUNTIES.len()].into(),
            zone_id: None,
            established_year: 2015,
            level: "municipal",
            level_rank: 1,
            rated_in: 2018,
        })
        .collect();
    let carrier_ids = bulk::carriers(db, &rows).await?;
    let n = carriers * PER_CARRIER;
    let enterprises: Vec<EnterpriseRow> = (0..n)
        .map(|i| EnterpriseRow {
            uscc: uscc(i as u64),
            name: format!("评价基准企业{i:06}有限公司"),
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
    bulk::vary_report_figures(db, 2024).await?;
    let figures: Vec<(i64, i64, i64, Indicators)> = ids
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let grants = rng.below(6) as i64;
            let v = Indicators {
                employees: 5 + rng.below(100) as i64,
                revenue_k: rng.below(30_000) as i64,
                funding_raised_k: if rng.below(4) == 0 {
                    rng.below(5_000) as i64
                } else {
                    0
                },
                patent_applications: grants + 1,
                patent_grants: grants,
                ..Indicators::default()
            };
            (*e, 2024, reports[i / PER_CARRIER], v)
        })
        .collect();
    bulk::indicators(db, &figures).await?;
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
            name: "评价基准科技局".into(),
            ..OrgProfile::default()
        },
    )
    .await?;
    common::bench_user(
        &mut tx,
        org.id,
        "evaluation.bench",
        "评价基准",
        Role::BureauAdmin,
    )
    .await?;
    tx.commit().await?;
    Ok(users::get_for_sign_in(db, "evaluation.bench")
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench user was not created"))?
        .0)
}

async fn measure(engine: &'static str, db: Db) -> anyhow::Result<()> {
    let carriers = size_from_env("FRUITION_BENCH_CARRIERS", 2_000);
    db.migrate().await?;
    let loaded = load(&db, carriers).await?;
    let state = App::new(db.clone(), Settings::default());
    let me = bureau(&db).await?;
    let ctx = Ctx {
        principal: &me,
        ip: "127.0.0.1".into(),
    };
    let fail = |e: fruition_app::AppError| anyhow::anyhow!("{e:?}");

    // Baseline: the facts alone, scored in memory, nothing written.
    let t = Instant::now();
    let mut tx = db.begin().await?;
    let facts = store::facts(&mut tx, 2024).await?;
    drop(tx);
    let read = t.elapsed();
    let t = Instant::now();
    let input: Vec<(CarrierKind, Facts)> = facts
        .iter()
        .map(|f| {
            (
                f.kind,
                Facts {
                    service_staff: f.service_staff,
                    mentors: f.mentors,
                    events: f.events,
                    incubatees: f.incubatees,
                    graduates: f.graduates,
                    financed: f.financed,
                    patents: f.patents,
                },
            )
        })
        .collect();
    let outcomes = rule::evaluate(&Scheme::default_city(), &input);
    let scored = t.elapsed();
    assert_eq!(outcomes.len(), carriers);

    let round = actions::create(
        &state,
        &ctx,
        &RoundInput {
            year: 2024,
            ..RoundInput::default()
        },
    )
    .await
    .map_err(fail)?;
    let t = Instant::now();
    let evaluated = actions::compute_round(&state, &ctx, round.id)
        .await
        .map_err(fail)?;
    let figure = t.elapsed();
    assert_eq!(evaluated, carriers);
    let t = Instant::now();
    actions::compute_round(&state, &ctx, round.id)
        .await
        .map_err(fail)?;
    let again = t.elapsed();
    let t = Instant::now();
    let ranking = actions::get(&state, &ctx, round.id).await.map_err(fail)?;
    let page = t.elapsed();
    assert_eq!(ranking.results.len(), carriers);
    let t = Instant::now();
    let (_, book) = actions::workbook(&state, &ctx, round.id)
        .await
        .map_err(fail)?;
    let workbook = t.elapsed();
    let mut grades = [0usize; 4];
    for r in &ranking.results {
        grades[r.grade.code().as_bytes()[0] as usize - b'a' as usize] += 1;
    }

    println!(
        "\n### {engine}: {carriers} carriers, {} indicator rows (loaded in {:.1} s)\n",
        carriers * PER_CARRIER,
        secs(loaded)
    );
    println!("| step | seconds |");
    println!("|---|---|");
    println!(
        "| **compute the round: {carriers} carriers** (target < 2 s) | **{:.3}** |",
        secs(figure)
    );
    println!(
        "| compute it again (every result replaced) | {:.3} |",
        secs(again)
    );
    println!("| the ranking the round's page shows | {:.3} |", secs(page));
    println!(
        "| the workbook of every result ({} kB) | {:.3} |",
        book.len() / 1024,
        secs(workbook)
    );
    println!(
        "| baseline: read the facts (one grouped query) | {:.3} |",
        secs(read)
    );
    println!("| baseline: score in memory | {:.3} |", secs(scored));
    println!(
        "\ngrades: A {}, B {}, C {}, D {}",
        grades[0], grades[1], grades[2], grades[3]
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::on_each_engine("evaluations", measure).await
}
