//! Providers' one-stop service figures at the size issue 14 names — 2,000 providers and
//! 1,000,000 requests over a year (every state: waiting, some overdue; declined, withdrawn;
//! accepted, completed, rated) — on SQLite and, when FRUITION_TEST_DATABASE_URL is set, on
//! PostgreSQL:
//!
//! 1. **One provider's figures** (`services::provider_stats(Some(p))`: volume, acceptance,
//!    mean and median answer time, median completion time, mean rating, overdue — one statement
//!    over the covering index `service_requests_stats_idx`), the page each provider and the
//!    bureau open for a provider. 200 runs over random providers. Target p99 < 100 ms.
//! 2. Baseline in the same run: the same figures computed from the provider's raw rows read
//!    without the index (`provider_org_id + 0 = $1`, a full scan), in Rust. Its figures must
//!    equal (1)'s.
//! 3. **Every provider's figures** (`provider_stats(None)`, the bureau's statistics page): one
//!    statement over all 1,000,000 rows. 10 runs.
//!
//! Run: `cargo bench -p fruition --bench services`.

use std::time::{Duration, Instant};

use fruition_domain::org::OrgKind;
use fruition_domain::service::{HOUR_MS, median};
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, ServiceRequestRow};
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::services;

mod common;
use common::{Rng, percentile, uscc};

const PROVIDERS: usize = 2_000;
const RUNS: usize = 200;
const NOW: i64 = 1_767_225_600_000; // 2026-01-01T00:00Z

fn stats(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    (percentile(&runs, 0.5), percentile(&runs, 0.99))
}

/// (volume, accepted, median answer ms, median completion ms, rating sum, overdue), computed
/// in Rust from the provider's rows read by a full scan.
async fn baseline(
    db: &Db,
    provider: i64,
) -> anyhow::Result<(i64, i64, Option<i64>, Option<i64>, i64, i64)> {
    type Row = (String, i64, i64, Option<i64>, Option<i64>, Option<i64>);
    let sql = "SELECT status, requested_at, due_at, answered_at, completed_at, rating \
               FROM service_requests WHERE provider_org_id + 0 = $1";
    let rows: Vec<Row> = match db {
        Db::Sqlite(p) => sqlx::query_as(sql).bind(provider).fetch_all(p).await?,
        Db::Postgres(p) => sqlx::query_as(sql).bind(provider).fetch_all(p).await?,
    };
    let mut answers = Vec::new();
    let mut completions = Vec::new();
    let (mut accepted, mut rating, mut overdue) = (0, 0, 0);
    for (status, at, due, answered, completed, stars) in &rows {
        if matches!(status.as_str(), "accepted" | "in_progress" | "completed") {
            accepted += 1;
        }
        if let Some(a) = answered {
            answers.push(a - at);
        }
        if let Some(c) = completed {
            completions.push(c - at);
        }
        rating += stars.unwrap_or(0);
        let late = match answered {
            Some(a) => a > due,
            None => status == "requested" && *due < NOW,
        };
        overdue += i64::from(late);
    }
    answers.sort_unstable();
    completions.sort_unstable();
    Ok((
        rows.len() as i64,
        accepted,
        median(&answers),
        median(&completions),
        rating,
        overdue,
    ))
}

async fn measure(label: &str, db: Db, n: usize) -> anyhow::Result<()> {
    db.migrate().await?;
    let ctx = AuditCtx::system("bench");
    println!("\n== {label}: {PROVIDERS} providers, {n} requests ==");
    let mut tx = db.begin().await?;
    let mut providers = Vec::with_capacity(PROVIDERS);
    for i in 0..PROVIDERS {
        let org = organisations::insert(
            &mut tx,
            &ctx,
            OrgKind::ServiceAgency,
            &OrgProfile {
                name: format!("基准服务机构{i:04}"),
                uscc: Some(uscc(980_000_000 + i as u64)),
                ..OrgProfile::default()
            },
        )
        .await?;
        providers.push(org.id);
    }
    let requester = organisations::insert(
        &mut tx,
        &ctx,
        OrgKind::Enterprise,
        &OrgProfile {
            name: "基准申请企业".into(),
            uscc: Some(uscc(990_000_000)),
            ..OrgProfile::default()
        },
    )
    .await?
    .id;
    tx.commit().await?;
    let loaded = Instant::now();
    let mut rng = Rng(20_261_214);
    let year = 365 * 24 * HOUR_MS;
    let rows: Vec<ServiceRequestRow> = (0..n)
        .map(|_| {
            let provider = providers[rng.below(PROVIDERS as u64) as usize];
            let at = NOW - rng.below(year as u64) as i64;
            let hours = [8, 24, 48, 72][rng.below(4) as usize];
            let due = at + hours * HOUR_MS;
            let answered = at + (hours * HOUR_MS * (5 + rng.below(200) as i64)) / 100;
            let roll = rng.below(100);
            if due > NOW || roll < 4 {
                return (provider, requester, "requested", at, due, None, None, None);
            }
            if roll < 7 {
                return (provider, requester, "withdrawn", at, due, None, None, None);
            }
            if roll < 20 {
                return (
                    provider,
                    requester,
                    "declined",
                    at,
                    due,
                    Some(answered),
                    None,
                    None,
                );
            }
            if roll < 30 {
                return (
                    provider,
                    requester,
                    "in_progress",
                    at,
                    due,
                    Some(answered),
                    None,
                    None,
                );
            }
            let completed = answered + rng.below((10 * 24 * HOUR_MS) as u64) as i64;
            let rating = (rng.below(4) != 0).then(|| 1 + rng.below(5) as i64);
            (
                provider,
                requester,
                "completed",
                at,
                due,
                Some(answered),
                Some(completed),
                rating,
            )
        })
        .collect();
    bulk::service_requests(&db, &rows).await?;
    bulk::vacuum_analyze(&db).await?;
    println!(
        "loaded {} requests in {:.1} s",
        rows.len(),
        loaded.elapsed().as_secs_f64()
    );

    // 1. One provider's figures.
    let mut runs = Vec::with_capacity(RUNS);
    let mut checked = Vec::new();
    for i in 0..RUNS {
        let p = providers[rng.below(PROVIDERS as u64) as usize];
        let t = Instant::now();
        let s = services::provider_stats(&db, Some(p), NOW).await?;
        runs.push(t.elapsed());
        if i < 10 {
            checked.push(s.into_iter().next().expect("a provider with requests"));
        }
    }
    let (p50, p99) = stats(runs);
    println!(
        "one provider's figures ({RUNS} runs): p50 {p50:.2} ms, p99 {p99:.2} ms (target p99 < 100 ms)"
    );

    // 2. The baseline, and the same figures.
    let mut runs = Vec::new();
    for s in &checked {
        let t = Instant::now();
        let b = baseline(&db, s.provider_org_id).await?;
        runs.push(t.elapsed());
        let mid = |sum: Option<i64>, c: Option<i64>| sum.zip(c).map(|(s, c)| s / c);
        let ours = (
            s.volume,
            s.accepted,
            mid(s.response_mid_sum, s.response_mid_count),
            mid(s.completion_mid_sum, s.completion_mid_count),
            s.rating_sum.unwrap_or(0),
            s.overdue,
        );
        anyhow::ensure!(
            ours == b,
            "provider {}: {ours:?} but computed {b:?}",
            s.provider_org_id
        );
    }
    let (b50, b99) = stats(runs);
    println!(
        "baseline, the provider's rows read by a full scan and computed in Rust ({} runs): p50 {b50:.2} ms, p99 {b99:.2} ms — same figures",
        checked.len()
    );

    // 3. Every provider's figures.
    let mut runs = Vec::new();
    for _ in 0..10 {
        let t = Instant::now();
        let all = services::provider_stats(&db, None, NOW).await?;
        runs.push(t.elapsed());
        anyhow::ensure!(all.len() == PROVIDERS, "{} providers", all.len());
    }
    let (a50, a99) = stats(runs);
    println!("every provider's figures (10 runs): p50 {a50:.2} ms, p99 {a99:.2} ms");
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n = common::size_from_env("FRUITION_BENCH_SERVICE_REQUESTS", 1_000_000);
    common::on_each_engine("services", |engine, db| measure(engine, db, n)).await
}
