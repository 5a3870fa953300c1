//! The risk pool's ledger at the figures issue 12 names, on SQLite and — when
//! FRUITION_TEST_DATABASE_URL is set — on PostgreSQL:
//!
//! 1. **Balance as of any day** on a ledger of `FRUITION_BENCH_LEDGER_ENTRIES` (default
//!    1,000,000) entries over five years (3 funders with their pool accounts, 20 banks): 2,000
//!    random (account, day) questions through `ledger::balance_as_of` (the balance after the
//!    account's last entry up to that day: one index probe). Baseline in the same run: the same
//!    questions answered by summing the account's entries up to the day. Target p99 < 50 ms.
//! 2. **Proof of balance** (`ledger::proof`: every entry summed, every transfer balanced, every
//!    account's balance equal to the sum of its entries). Baseline: counting the entries. Target
//!    < 1 s.
//! 3. **Posting** through `ledger::post` (the conditional updates and entries of a compensation
//!    split three ways, one transaction each) on top of the big ledger: transfers per second.
//!
//! Run: `cargo bench -p fruition --bench credit_ledger`.

use std::time::Instant;

use fruition_domain::date::IsoDate;
use fruition_domain::ledger::{Leg, Transfer};
use fruition_domain::org::OrgKind;
use fruition_domain::pool::{FunderLevel, TransferKind};
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, LedgerEntryRow};
use fruition_store::credit::{ledger, policy};
use fruition_store::organisations::{self, OrgProfile};

mod common;
use common::{Rng, ms, percentile, uscc};

const BANKS: usize = 20;
const QUESTIONS: usize = 2_000;

async fn measure(label: &str, db: Db, entries: usize) -> anyhow::Result<()> {
    db.migrate().await?;
    let ctx = AuditCtx::system("bench");
    println!("\n== {label}: a ledger of {entries} entries ==");
    // Accounts: three funders (contributions, pool) and twenty banks.
    let mut funders = Vec::new();
    for (name, level, ratio) in [
        ("基准省级财政", FunderLevel::Province, 5),
        ("基准市级财政", FunderLevel::City, 3),
        ("基准区级财政", FunderLevel::District, 2),
    ] {
        funders.push(policy::add_funder(&db, &ctx, name, level, ratio).await?);
    }
    let mut banks = Vec::new();
    for b in 0..BANKS {
        let mut tx = db.begin().await?;
        let org = organisations::insert(
            &mut tx,
            &ctx,
            OrgKind::Bank,
            &OrgProfile {
                name: format!("基准合作银行{b:02}"),
                uscc: Some(uscc(950_000_000 + b as u64)),
                ..OrgProfile::default()
            },
        )
        .await?;
        banks.push(ledger::bank_account(&mut tx, org.id).await?);
        tx.commit().await?;
    }
    // Five years of transfers in date order: a contribution (2 entries) or a compensation split
    // three ways (4 entries), about three compensations to each contribution.
    let start = IsoDate::parse("2021-01-01")?;
    let days = 5 * 365;
    let mut rng = Rng(20_261_204);
    let mut balances = std::collections::HashMap::<i64, i64>::new();
    let mut transfers = Vec::new();
    let mut rows = Vec::with_capacity(entries + 4);
    let mut transfer_days = Vec::new();
    while rows.len() < entries {
        let day = start.plus_days((rows.len() as i64 * days) / entries as i64);
        let d = day.to_string();
        let t = transfers.len();
        let mut push = |account: i64, amount: i64, rows: &mut Vec<LedgerEntryRow>| {
            let b = balances.entry(account).or_insert(0);
            *b += amount;
            rows.push(LedgerEntryRow {
                transfer: t,
                account_id: account,
                amount_fen: amount,
                balance_after_fen: *b,
                value_date: d.clone(),
            });
        };
        if rng.below(4) == 0 {
            let f = &funders[rng.below(3) as usize];
            let amount = 1_000_000 + rng.below(9_000_000) as i64;
            push(f.funder_account_id, -amount, &mut rows);
            push(f.pool_account_id, amount, &mut rows);
            transfers.push(("contribution", d.clone(), format!("{}出资", f.name)));
        } else {
            let bank = banks[rng.below(BANKS as u64) as usize];
            let shares = [5_000i64, 3_000, 2_000].map(|s| s * (1 + rng.below(20) as i64));
            for (f, s) in funders.iter().zip(shares) {
                push(f.pool_account_id, -s, &mut rows);
            }
            push(bank, shares.iter().sum(), &mut rows);
            transfers.push(("compensation", d.clone(), "基准风险补偿".to_string()));
        }
        transfer_days.push(day);
    }
    let loaded = Instant::now();
    bulk::ledger(&db, &transfers, &rows).await?;
    println!(
        "loaded {} transfers, {} entries in {:.1} s",
        transfers.len(),
        rows.len(),
        loaded.elapsed().as_secs_f64()
    );
    let mut accounts: Vec<i64> = funders
        .iter()
        .flat_map(|f| [f.funder_account_id, f.pool_account_id])
        .collect();
    accounts.extend(&banks);

    // 1. Balance as of a day, against summing the entries.
    let mut questions = Vec::with_capacity(QUESTIONS);
    for _ in 0..QUESTIONS {
        let a = accounts[rng.below(accounts.len() as u64) as usize];
        let day = start.plus_days(rng.below(days as u64 + 30) as i64);
        questions.push((a, day));
    }
    let mut fast = Vec::with_capacity(QUESTIONS);
    let mut answers = Vec::with_capacity(QUESTIONS);
    for (a, day) in &questions {
        let t = Instant::now();
        answers.push(ledger::balance_as_of(&db, *a, *day).await?);
        fast.push(t.elapsed());
    }
    let mut slow = Vec::with_capacity(QUESTIONS);
    for ((a, day), want) in questions.iter().zip(&answers) {
        let t = Instant::now();
        let sum = sum_to(&db, *a, *day).await?;
        slow.push(t.elapsed());
        anyhow::ensure!(
            sum == *want,
            "account {a} on {day}: {sum} by summing, {want} by probe"
        );
    }
    fast.sort();
    slow.sort();
    println!(
        "balance as of a day ({QUESTIONS} questions): p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms (target p99 < 50 ms) — baseline summing entries: p50 {:.2} ms, p99 {:.2} ms",
        percentile(&fast, 0.5),
        percentile(&fast, 0.99),
        percentile(&fast, 1.0),
        percentile(&slow, 0.5),
        percentile(&slow, 0.99),
    );

    // 2. Proof of balance, against counting the entries.
    let t = Instant::now();
    let proof = ledger::proof(&db).await?;
    let proof_time = t.elapsed();
    anyhow::ensure!(proof.holds(), "the books do not balance: {proof:?}");
    let t = Instant::now();
    let count = count_entries(&db).await?;
    let count_time = t.elapsed();
    println!(
        "proof of balance over {} entries: {:.0} ms, sum {} (target < 1 s) — baseline counting {count} entries: {:.0} ms",
        proof.entries,
        ms(proof_time),
        proof.sum_fen,
        ms(count_time),
    );

    // 3. Posting compensations on top of it.
    let today = *transfer_days.last().unwrap_or(&start);
    let posts = 500;
    let t = Instant::now();
    for i in 0..posts {
        let mut tx = db.begin().await?;
        let mut legs: Vec<Leg<i64>> = funders
            .iter()
            .zip([500, 300, 200])
            .map(|(f, s)| Leg {
                account: f.pool_account_id,
                amount_fen: -s,
            })
            .collect();
        legs.push(Leg {
            account: banks[i % BANKS],
            amount_fen: 1_000,
        });
        ledger::post(
            &mut tx,
            &ledger::Posting {
                kind: TransferKind::Compensation,
                value_date: today,
                memo: "基准记账",
                claim_id: None,
                created_by: None,
            },
            Transfer::new(legs)?,
        )
        .await?;
        tx.commit().await?;
    }
    let post_time = t.elapsed();
    println!(
        "posting: {posts} compensations in {:.0} ms ({:.0} transfers/s)",
        ms(post_time),
        posts as f64 / post_time.as_secs_f64()
    );
    anyhow::ensure!(
        ledger::proof(&db).await?.holds(),
        "unbalanced after posting"
    );
    Ok(())
}

async fn sum_to(db: &Db, account: i64, day: IsoDate) -> anyhow::Result<i64> {
    let sql = "SELECT CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) FROM ledger_entries WHERE account_id = $1 AND value_date <= $2";
    Ok(match db {
        Db::Sqlite(p) => {
            sqlx::query_scalar(sql)
                .bind(account)
                .bind(day.to_string())
                .fetch_one(p)
                .await?
        }
        Db::Postgres(p) => {
            sqlx::query_scalar(sql)
                .bind(account)
                .bind(day.to_string())
                .fetch_one(p)
                .await?
        }
    })
}

async fn count_entries(db: &Db) -> anyhow::Result<i64> {
    let sql = "SELECT COUNT(*) FROM ledger_entries";
    Ok(match db {
        Db::Sqlite(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
        Db::Postgres(p) => sqlx::query_scalar(sql).fetch_one(p).await?,
    })
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n = common::size_from_env("FRUITION_BENCH_LEDGER_ENTRIES", 1_000_000);
    common::on_each_engine("ledger", |engine, db| measure(engine, db, n)).await
}
