//! Registry statistics at the scale the issue names: 2,000 carriers, 200,000 enterprises and five
//! years of indicators (1,000,000 rows). Measures every dashboard query and the whole annual
//! report, on SQLite and — when FRUITION_TEST_DATABASE_URL is set — on PostgreSQL, against a
//! baseline in the same run: the same year's sums read straight from the indicator rows.
//!
//! Run: `cargo bench -p fruition --bench registry` (FRUITION_BENCH_SCALE=0.1 for a quick run).

use std::time::{Duration, Instant};

use fruition_app::statistics::{self, Filters};
use fruition_app::{App, Settings};
use fruition_domain::indicators::Indicators;
use fruition_domain::org::OrgKind;
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, CarrierRow, EnterpriseRow};
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::{Db, reference};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const YEARS: [i64; 5] = [2020, 2021, 2022, 2023, 2024];
const COUNTIES: [&str; 9] = [
    "430202", "430203", "430204", "430211", "430212", "430223", "430224", "430225", "430281",
];
const KINDS: [&str; 5] = [
    "incubator",
    "maker_space",
    "pilot_base",
    "science_park",
    "other",
];
const LEVELS: [(&str, i64); 3] = [("national", 3), ("provincial", 2), ("municipal", 1)];

fn uscc(n: u64) -> String {
    let body = format!("91430211{:09}", n % 1_000_000_000);
    let check = fruition_domain::uscc::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

async fn load(db: &Db, scale: f64) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let n_carriers = (2_000.0 * scale) as usize;
    let n_enterprises = (200_000.0 * scale) as usize;
    let mut rng = StdRng::seed_from_u64(2024);
    fruition_app::reference::seed_defaults(
        db,
        &fruition_domain::region::RegionCode::parse("430200").map_err(|e| anyhow::anyhow!(e.en))?,
    )
    .await?;
    let zone = reference::zones(db).await?.first().map(|z| z.id);
    let chains: Vec<String> = reference::chains(db)
        .await?
        .into_iter()
        .map(|c| c.code)
        .collect();
    let ctx = AuditCtx::system("bench");
    let mut operators = Vec::new();
    let mut tx = db.begin().await?;
    for i in 0..(n_carriers / 10).max(1) {
        let profile = OrgProfile {
            name: format!("基准运营机构{i:04}"),
            uscc: Some(uscc(900_000_000 + i as u64)),
            ..OrgProfile::default()
        };
        operators.push(
            organisations::insert(&mut tx, &ctx, OrgKind::CarrierOperator, &profile)
                .await?
                .id,
        );
    }
    tx.commit().await?;
    let carriers: Vec<CarrierRow> = (0..n_carriers)
        .map(|i| {
            let county = COUNTIES[i % COUNTIES.len()];
            let (level, rank) = LEVELS[rng.random_range(0..LEVELS.len())];
            CarrierRow {
                name: format!("基准载体{i:05}"),
                kind: KINDS[i % KINDS.len()],
                operator_org_id: operators[i % operators.len()],
                county_code: county.into(),
                zone_id: if county == "430211" && i % 2 == 0 {
                    zone
                } else {
                    None
                },
                established_year: 2010 + (i % 14) as i64,
                level,
                level_rank: rank,
                rated_in: 2015 + (i % 9) as i64,
            }
        })
        .collect();
    let carrier_ids = bulk::carriers(db, &carriers).await?;
    let enterprises: Vec<EnterpriseRow> = (0..n_enterprises)
        .map(|i| EnterpriseRow {
            uscc: uscc(i as u64),
            name: format!("基准企业{i:06}有限公司"),
            county_code: COUNTIES[i % COUNTIES.len()].into(),
            zone_id: if i % 7 == 0 { zone } else { None },
            chain_code: chains[i % chains.len()].clone(),
        })
        .collect();
    let enterprise_ids = bulk::enterprises(db, &enterprises).await?;
    let pairs: Vec<(i64, i64)> = YEARS
        .iter()
        .flat_map(|y| carrier_ids.iter().map(move |c| (*c, *y)))
        .collect();
    let report_ids = bulk::approved_reports(db, &pairs).await?;
    let mut rows = Vec::with_capacity(n_enterprises * YEARS.len());
    for (yi, year) in YEARS.iter().enumerate() {
        for (ei, e) in enterprise_ids.iter().enumerate() {
            let carrier_index = ei % carrier_ids.len();
            let report = report_ids[yi * carrier_ids.len() + carrier_index];
            let employees = rng.random_range(3..80);
            let pa = rng.random_range(0..6);
            let pg = rng.random_range(0..4);
            let v = Indicators {
                employees,
                doctors: employees / 20,
                high_level_talent: i64::from(rng.random_bool(0.05)),
                revenue_k: rng.random_range(500..50_000),
                rd_spending_k: rng.random_range(50..3_000),
                patent_applications: pa,
                invention_applications: pa / 2,
                patent_grants: pg,
                invention_grants: pg / 2,
                ..Indicators::default()
            };
            rows.push((*e, *year, report, v));
        }
    }
    bulk::indicators(db, &rows).await?;
    bulk::rollups(db).await?;
    Ok(started.elapsed())
}

fn summary(name: &str, mut times: Vec<Duration>) -> String {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let p50 = ms(times[times.len() / 2]);
    let p95 = ms(times[(times.len() * 95 / 100).min(times.len() - 1)]);
    let max = ms(*times.last().unwrap_or(&Duration::ZERO));
    format!("| {name} | {p50:.1} | {p95:.1} | {max:.1} |")
}

async fn measure(engine: &str, db: Db, scale: f64) -> anyhow::Result<()> {
    db.migrate().await?;
    let loaded = load(&db, scale).await?;
    let state = App::new(db.clone(), Settings::default());
    let runs = 20;
    let mut table = vec![
        format!(
            "\n### {engine}: {} carriers, {} enterprises, {} indicator rows (loaded in {:.1} s)\n",
            (2000.0 * scale) as i64,
            (200_000.0 * scale) as i64,
            (1_000_000.0 * scale) as i64,
            loaded.as_secs_f64()
        ),
        "| query | p50 ms | p95 ms | max ms |".into(),
        "|---|---|---|---|".into(),
    ];
    let cases: Vec<(&str, Filters)> = vec![
        ("dashboard, no filter", Filters::default()),
        (
            "dashboard, national carriers",
            Filters {
                level: fruition_domain::carrier::Level::parse("national"),
                ..Filters::default()
            },
        ),
        (
            "dashboard, one county",
            Filters {
                place: Some("430281".into()),
                ..Filters::default()
            },
        ),
        (
            "dashboard, incubators",
            Filters {
                kind: fruition_domain::carrier::CarrierKind::parse("incubator"),
                ..Filters::default()
            },
        ),
    ];
    for (name, f) in cases {
        let mut times = Vec::new();
        for _ in 0..runs {
            let t = Instant::now();
            let d = statistics::dashboard(&state, 2024, &f)
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            times.push(t.elapsed());
            assert!(d.carriers_total > 0);
        }
        table.push(summary(name, times));
    }
    let mut times = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let a = statistics::annual(&state, 2024)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        times.push(t.elapsed());
        assert!(a.innovation.incubatees > 0);
    }
    table.push(summary("the whole annual report", times));
    let mut times = Vec::new();
    let mut direct = (0, 0, 0);
    for _ in 0..runs {
        let t = Instant::now();
        direct = bulk::direct_year_sums(&db, 2024).await?;
        times.push(t.elapsed());
    }
    table.push(summary(
        "baseline: one year's sums from the indicator rows",
        times,
    ));
    let d = statistics::dashboard(&state, 2024, &Filters::default())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let y = d
        .trend
        .iter()
        .find(|t| t.year == 2024)
        .copied()
        .unwrap_or_default();
    assert_eq!(
        (y.incubatees, y.employees, y.patent_applications),
        direct,
        "the rollups agree with the rows"
    );
    println!("{}", table.join("\n"));
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let scale: f64 = std::env::var("FRUITION_BENCH_SCALE")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1.0);
    let dir = std::env::temp_dir().join(format!("fruition-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = Db::open_sqlite(&dir.join("bench.db")).await?;
    measure("SQLite", sqlite, scale).await?;
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
            let result = measure("PostgreSQL", db, scale).await;
            if let Db::Postgres(p) = &admin {
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
