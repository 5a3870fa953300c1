//! Portfolio figures at the size issue 13 names — 500 funds and 100,000 investments (in 20,000
//! enterprises, 2018–2024, 60 % with a post-money valuation) — on SQLite and, when
//! FRUITION_TEST_DATABASE_URL is set, on PostgreSQL:
//!
//! 1. **Every fund's figures** (`portfolio::fund_figures(None)`: invested, firms, holdings,
//!    proceeds, marked value, invested in the city's chains — one pass over the positions the
//!    writes keep marked, covered by an index). 200 runs. Target p99 < 100 ms.
//! 2. **One manager's funds** (10 funds) and **one fund's page** (its figures and its positions).
//! 3. Baseline in the same run: the same figures computed the way they would be without kept
//!    positions — every investment and every enterprise's latest valuation read, each position
//!    marked in Rust (`fruition_domain::investment::Position`). Its totals must equal (1)'s.
//! 4. **Recording** 1,000 investments through the store on top (the fund's size checked, the
//!    position added, the enterprise's positions re-marked, the audit entry): investments per second.
//!
//! Run: `cargo bench -p fruition --bench capital`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use fruition_domain::investment::{Instrument, Position, Round, Tranche};
use fruition_domain::org::OrgKind;
use fruition_store::Db;

mod common;
use common::{Rng, ms, percentile, uscc};
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, EnterpriseRow, InvestmentRow};
use fruition_store::capital::investments::{self, NewInvestment};
use fruition_store::capital::portfolio;
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::reference::{self, ChainInput};

const FUNDS: usize = 500;
const MANAGERS: usize = 50;
const ENTERPRISES: usize = 20_000;
const RUNS: usize = 200;
const CHAINS: [&str; 4] = ["rail", "materials", "it", "manufacturing"];

fn stats(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    (percentile(&runs, 0.5), percentile(&runs, 0.99))
}

/// Per fund (invested, marked value), the baseline's way: everything read, marked in Rust.
async fn baseline(db: &Db) -> anyhow::Result<HashMap<i64, (i64, i64)>> {
    let sql = "SELECT fund_id, enterprise_id, amount_fen, post_money_fen FROM investments ORDER BY invested_on, id";
    let rows: Vec<(i64, i64, i64, Option<i64>)> = match db {
        Db::Sqlite(p) => sqlx::query_as(sql).fetch_all(p).await?,
        Db::Postgres(p) => sqlx::query_as(sql).fetch_all(p).await?,
    };
    let mut latest: HashMap<i64, i64> = HashMap::new();
    let mut positions: HashMap<(i64, i64), Position> = HashMap::new();
    for (f, e, amount, post) in rows {
        if let Some(v) = post {
            latest.insert(e, v);
        }
        positions.entry((f, e)).or_default().tranches.push(Tranche {
            amount_fen: amount,
            post_money_fen: post,
        });
    }
    let mut out: HashMap<i64, (i64, i64)> = HashMap::new();
    for ((f, e), p) in &positions {
        let x = out.entry(*f).or_default();
        x.0 += p.invested_fen();
        x.1 += p.unrealised_fen(latest.get(e).copied());
    }
    Ok(out)
}

async fn measure(label: &str, db: Db, investments_n: usize) -> anyhow::Result<()> {
    db.migrate().await?;
    let ctx = AuditCtx::system("bench");
    println!(
        "\n== {label}: {FUNDS} funds, {investments_n} investments in {ENTERPRISES} enterprises =="
    );
    let mut tx = db.begin().await?;
    for (i, code) in CHAINS.iter().enumerate() {
        reference::insert_chain(
            &mut tx,
            &ctx,
            &ChainInput {
                code: (*code).into(),
                name_zh: format!("基准产业链{i}"),
                name_en: format!("Bench chain {i}"),
                divisions: "37".into(),
                sort_order: i as i64,
                active: true,
            },
        )
        .await?;
    }
    let mut managers = Vec::new();
    for m in 0..MANAGERS {
        let org = organisations::insert(
            &mut tx,
            &ctx,
            OrgKind::Investor,
            &OrgProfile {
                name: format!("基准投资管理有限公司{m:02}"),
                uscc: Some(uscc(960_000_000 + m as u64)),
                ..OrgProfile::default()
            },
        )
        .await?;
        managers.push(org.id);
    }
    tx.commit().await?;
    let loaded = Instant::now();
    let fund_rows: Vec<bulk::FundRow> = (0..FUNDS)
        .map(|f| {
            (
                format!("基准基金{f:03}"),
                ["seed", "angel", "venture", "industry"][f % 4],
                managers[f % MANAGERS],
                50_000_000,
                2015,
            )
        })
        .collect();
    let funds = bulk::funds(&db, &fund_rows).await?;
    let enterprise_rows: Vec<EnterpriseRow> = (0..ENTERPRISES)
        .map(|e| EnterpriseRow {
            uscc: uscc(970_000_000 + e as u64),
            name: format!("基准被投企业{e:05}"),
            county_code: "430211".into(),
            zone_id: None,
            // One in five outside the city's chains.
            chain_code: if e % 5 == 4 {
                "other".into()
            } else {
                CHAINS[e % 4].into()
            },
        })
        .collect();
    let enterprises = bulk::enterprises(&db, &enterprise_rows).await?;
    let mut rng = Rng(20_261_213);
    let mut rows: Vec<InvestmentRow> = (0..investments_n)
        .map(|_| {
            let amount = (50 + rng.below(4_950) as i64) * 10_000 * 100;
            InvestmentRow {
                fund_id: funds[rng.below(FUNDS as u64) as usize],
                enterprise_id: enterprises[rng.below(ENTERPRISES as u64) as usize],
                round: ["seed", "angel", "a", "b", "c"][rng.below(5) as usize],
                amount_fen: amount,
                invested_on: format!(
                    "{}-{:02}-{:02}",
                    2018 + rng.below(7),
                    1 + rng.below(12),
                    1 + rng.below(28)
                ),
                post_money_fen: (rng.below(10) < 6).then(|| amount * (3 + rng.below(20) as i64)),
            }
        })
        .collect();
    // Ids follow the days, as they would when recorded one by one.
    rows.sort_by(|a, b| a.invested_on.cmp(&b.invested_on));
    let mut latest: HashMap<i64, i64> = HashMap::new();
    let mut tranches: HashMap<(i64, i64), Vec<Tranche>> = HashMap::new();
    for r in &rows {
        if let Some(v) = r.post_money_fen {
            latest.insert(r.enterprise_id, v);
        }
        tranches
            .entry((r.fund_id, r.enterprise_id))
            .or_default()
            .push(Tranche {
                amount_fen: r.amount_fen,
                post_money_fen: r.post_money_fen,
            });
    }
    // Every fifth enterprise is outside the city's chains (as loaded above).
    let first_enterprise = enterprises[0];
    let positions: Vec<bulk::PositionRow> = tranches
        .into_iter()
        .map(|((f, e), t)| {
            let p = Position {
                tranches: t,
                ..Position::default()
            };
            (
                f,
                e,
                p.invested_fen(),
                p.unrealised_fen(latest.get(&e).copied()),
                (e - first_enterprise) % 5 != 4,
            )
        })
        .collect();
    bulk::investments(&db, &rows, &positions).await?;
    bulk::vacuum_analyze(&db).await?;
    println!(
        "loaded {} investments, {} positions in {:.1} s",
        rows.len(),
        positions.len(),
        loaded.elapsed().as_secs_f64()
    );

    // 1. Every fund's figures.
    let mut runs = Vec::with_capacity(RUNS);
    let mut figures = Vec::new();
    for _ in 0..RUNS {
        let t = Instant::now();
        figures = portfolio::fund_figures(&db, None).await?;
        runs.push(t.elapsed());
    }
    anyhow::ensure!(figures.len() == FUNDS, "{} funds", figures.len());
    let (p50, p99) = stats(runs);
    println!(
        "every fund's figures ({RUNS} runs): p50 {p50:.2} ms, p99 {p99:.2} ms (target p99 < 100 ms)"
    );

    // 3. The baseline, and the same totals.
    let mut runs = Vec::new();
    let mut base = HashMap::new();
    for _ in 0..10 {
        let t = Instant::now();
        base = baseline(&db).await?;
        runs.push(t.elapsed());
    }
    let (b50, b99) = stats(runs);
    for f in &figures {
        let (invested, value) = base.get(&f.fund_id).copied().unwrap_or((0, 0));
        anyhow::ensure!(
            invested == f.invested_fen && value == f.value_fen,
            "fund {}: kept {}/{} but computed {invested}/{value}",
            f.fund_id,
            f.invested_fen,
            f.value_fen
        );
    }
    println!(
        "baseline, every investment read and marked in Rust (10 runs): p50 {b50:.2} ms, p99 {b99:.2} ms — same totals"
    );

    // 2. One manager's funds, and one fund's page.
    let mut runs = Vec::with_capacity(RUNS);
    for i in 0..RUNS {
        let t = Instant::now();
        let mine = portfolio::fund_figures(&db, Some(managers[i % MANAGERS])).await?;
        runs.push(t.elapsed());
        anyhow::ensure!(mine.len() == FUNDS / MANAGERS);
    }
    let (m50, m99) = stats(runs);
    let mut runs = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let f = funds[rng.below(FUNDS as u64) as usize];
        let t = Instant::now();
        portfolio::one_fund(&db, f).await?;
        portfolio::positions(&db, f).await?;
        runs.push(t.elapsed());
    }
    let (f50, f99) = stats(runs);
    println!(
        "one manager's {} funds: p50 {m50:.2} ms, p99 {m99:.2} ms; one fund's figures and positions: p50 {f50:.2} ms, p99 {f99:.2} ms",
        FUNDS / MANAGERS
    );

    // 4. Recording through the store.
    let n = 1_000;
    let t = Instant::now();
    for _ in 0..n {
        let amount = (50 + rng.below(500) as i64) * 10_000 * 100;
        let mut tx = db.begin().await?;
        investments::record(
            &mut tx,
            &ctx,
            &NewInvestment {
                fund_id: funds[rng.below(FUNDS as u64) as usize],
                enterprise_id: enterprises[rng.below(ENTERPRISES as u64) as usize],
                round: Round::A,
                instrument: Instrument::Equity,
                amount_fen: amount,
                invested_on: "2025-06-30".into(),
                post_money_fen: Some(amount * 8),
                deal_id: None,
                note: String::new(),
            },
        )
        .await?;
        tx.commit().await?;
    }
    let took = t.elapsed();
    println!(
        "recording: {n} investments in {:.0} ms ({:.0} per second)",
        ms(took),
        n as f64 / took.as_secs_f64()
    );
    let t = Instant::now();
    portfolio::fund_figures(&db, None).await?;
    println!("every fund's figures after: {:.2} ms", ms(t.elapsed()));
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n = common::size_from_env("FRUITION_BENCH_INVESTMENTS", 100_000);
    common::on_each_engine("capital", |engine, db| measure(engine, db, n)).await
}
