//! The register of technology contracts at the size issue 16 names — 1,000,000 registered
//! contracts over 2022–2026, of every type, field, carrier and place, reached in the market and
//! submitted from outside it — on SQLite and, when FRUITION_TEST_DATABASE_URL is set, on
//! PostgreSQL:
//!
//! 1. **Contract statistics** (`fruition_app::deals::statistics`, what `GET
//!    /contract-statistics` and the statistics page answer): by year, type, field, carrier,
//!    source, each side's county and each side inside or outside the city, read from the running
//!    totals (`contract_totals`) written in the registering transaction. 200 runs over random
//!    years. Target p99 < 100 ms.
//! 2. Baseline in the same run: the same totals grouped from the register's rows
//!    (`deals::contract_totals_recomputed`, seven GROUP BYs over 1,000,000 rows). Its figures
//!    must equal (1)'s totals. 5 runs.
//!
//! Run: `cargo bench -p fruition --bench contracts` (`FRUITION_BENCH_CONTRACTS=100000` for a
//! smaller register).

use std::time::{Duration, Instant};

use fruition_app::{App, Settings};
use fruition_store::Db;
use fruition_store::deals;

mod common;
use common::{Rng, percentile, size_from_env};

const RUNS: usize = 200;

fn stats(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    (percentile(&runs, 0.5), percentile(&runs, 0.99))
}

async fn exec(db: &Db, sql: &str) -> anyhow::Result<()> {
    match db {
        Db::Sqlite(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await?;
        }
        Db::Postgres(p) => {
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string()))
                .execute(p)
                .await?;
        }
    }
    Ok(())
}

/// Fills the register with `n` contracts (and the submissions they were recognised from), then
/// the running totals as the registering transactions would have left them.
async fn seed(db: &Db, n: usize) -> anyhow::Result<()> {
    exec(db, "INSERT INTO organisations (id, name, kind, uscc, active, created_at, updated_at) VALUES (900001, '基准测试登记处（合成）', 'bureau', NULL, TRUE, 0, 0)").await?;
    let mut rng = Rng(16);
    let chains = [
        "rail_transit",
        "new_materials",
        "aviation",
        "electronic_info",
        "biomedicine",
        "",
    ];
    let divisions = [
        "430202", "430203", "430204", "430211", "430212", "430223", "430281", "430100", "440300",
        "",
    ];
    let types = [
        "development",
        "transfer",
        "licence",
        "consulting",
        "service",
    ];
    let series = |lo: usize, hi: usize| match db {
        Db::Sqlite(_) => format!(
            "WITH RECURSIVE g(i) AS (SELECT {lo} UNION ALL SELECT i + 1 FROM g WHERE i < {hi}) SELECT i FROM g"
        ),
        Db::Postgres(_) => format!("SELECT generate_series({lo}::bigint, {hi}::bigint) AS i"),
    };
    let batch = 50_000;
    let mut start = 1;
    while start <= n {
        let end = (start + batch - 1).min(n);
        // The draws go into the SQL as arithmetic on i with per-batch offsets: reproducible.
        let (a, b, c, d) = (rng.below(97), rng.below(89), rng.below(83), rng.below(79));
        let pick = |list: &[&str], off: u64, m: u64| {
            let cases: Vec<String> = list
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    let v = if v.is_empty() {
                        "NULL".to_string()
                    } else {
                        format!("'{v}'")
                    };
                    format!("WHEN {k} THEN {v}")
                })
                .collect();
            format!(
                "CASE ((i * {m} + {off}) % {}) {} END",
                list.len(),
                cases.join(" ")
            )
        };
        let ty = pick(&types, a, 7);
        let chain = pick(&chains, b, 11);
        let sdiv = pick(&divisions, c, 13);
        let bdiv = pick(&divisions, d, 17);
        exec(
            db,
            &format!(
                "INSERT INTO contract_submissions (id, status, contract_type, title, seller_name, seller_uscc, buyer_name, buyer_uscc, \
                 contract_amount_fen, tech_amount_fen, chain_code, signed_on, starts_on, ends_on, file_name, file_type, file_size, file_bytes, \
                 submitter_org_id, submitted_at, created_at, updated_at) \
                 SELECT i, 'recognised', 'service', '基准合同', '卖方', '', '买方', '', 100000, 100000, 'rail_transit', '2024-01-01', \
                 '2024-01-01', '2024-12-31', 'c.pdf', 'pdf', 1, {blob}, 900001, 0, 0, 0 FROM ({s}) AS g",
                blob = match db { Db::Sqlite(_) => "x'25'", Db::Postgres(_) => "'\\x25'::bytea" },
                s = series(start, end)
            ),
        )
        .await?;
        exec(
            db,
            &format!(
                "INSERT INTO tech_contracts (source, deal_id, submission_id, registration_no, year, serial, registered_on, contract_type, \
                 seller_name, buyer_name, seller_division, buyer_division, contract_amount_fen, tech_amount_fen, starts_on, ends_on, \
                 chain_code, carrier_id, registered_at, updated_at) \
                 SELECT CASE WHEN i % 3 = 0 THEN 'market' ELSE 'submitted' END, NULL, i, 'B' || CAST(i AS TEXT), 2022 + i % 5, i, '2024-06-30', {ty}, \
                 '卖方', '买方', {sdiv}, {bdiv}, 100000 + (i * 7919) % 50000000, 100000 + (i * 7919) % 40000000, '2024-01-01', '2024-12-31', \
                 {chain}, NULL, 0, 0 FROM ({s}) AS g",
                s = series(start, end)
            ),
        )
        .await?;
        start = end + 1;
    }
    for (dim, expr) in [
        ("all", "''"),
        ("type", "contract_type"),
        ("field", "COALESCE(chain_code, '')"),
        ("carrier", "COALESCE(CAST(carrier_id AS TEXT), '')"),
        ("seller_place", "COALESCE(seller_division, '')"),
        ("buyer_place", "COALESCE(buyer_division, '')"),
        ("source", "source"),
    ] {
        exec(
            db,
            &format!(
                "INSERT INTO contract_totals SELECT year, '{dim}', {expr}, COUNT(*), SUM(contract_amount_fen), SUM(tech_amount_fen) \
                 FROM tech_contracts GROUP BY year{group}",
                group = if dim == "all" { String::new() } else { format!(", {expr}") }
            ),
        )
        .await?;
    }
    if let Db::Postgres(p) = db {
        sqlx::query("ANALYZE").execute(p).await?;
    }
    Ok(())
}

async fn measure(engine: &'static str, db: Db) -> anyhow::Result<()> {
    let n = size_from_env("FRUITION_BENCH_CONTRACTS", 1_000_000);
    db.migrate().await?;
    let t = Instant::now();
    seed(&db, n).await?;
    println!(
        "\n{engine}: {n} registered contracts seeded in {:.1} s",
        t.elapsed().as_secs_f64()
    );
    let state = App::new(db.clone(), Settings::default());
    let fail = |e: fruition_app::AppError| anyhow::anyhow!("{e}");
    let mut rng = Rng(2026);
    let mut runs = Vec::with_capacity(RUNS);
    let mut total = 0;
    for _ in 0..RUNS {
        let year = 2022 + rng.below(5) as i64;
        let t = Instant::now();
        let s = fruition_app::deals::statistics(&state, Some(year))
            .await
            .map_err(fail)?;
        runs.push(t.elapsed());
        total += s.total.contracts;
    }
    let (p50, p99) = stats(runs);
    println!(
        "{engine}: contract statistics (running totals), {RUNS} runs: p50 {p50:.2} ms, p99 {p99:.2} ms (target p99 < 100 ms)"
    );
    anyhow::ensure!(total > 0, "the statistics counted contracts");
    let mut base = Vec::new();
    let mut recomputed = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        recomputed = deals::contract_totals_recomputed(&db).await?;
        base.push(t.elapsed());
    }
    let (b50, b99) = stats(base);
    println!(
        "{engine}: baseline, the same totals grouped from the register's rows, 5 runs: p50 {b50:.2} ms, max {b99:.2} ms"
    );
    let kept = deals::contract_totals(&db).await?;
    anyhow::ensure!(
        kept == recomputed,
        "the running totals equal the register's sums"
    );
    let all = fruition_app::deals::statistics(&state, None)
        .await
        .map_err(fail)?;
    anyhow::ensure!(all.total.contracts == n as i64, "every contract counted");
    println!(
        "{engine}: running totals equal the recomputed sums ({} rows)",
        kept.len()
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::on_each_engine("contracts", measure).await
}
