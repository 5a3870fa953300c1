//! Importing a carrier's incubatees at the scale the issue names: a 100,000-row workbook (made
//! with `write_xlsx`, 27 columns) imported into a fresh database — every row checked, then
//! 100,000 enterprises, spells and indicator rows and 300,000 audit entries written in one
//! transaction. Prints the split (read, check, write) against a baseline taken in the same run:
//! reading the workbook alone. On SQLite always, and on PostgreSQL when
//! FRUITION_TEST_DATABASE_URL is set.
//!
//! Run: `cargo bench -p fruition --bench import` (FRUITION_BENCH_ROWS=10000 for a quick run).

use std::time::{Duration, Instant};

use fruition_app::import::{self, ImportSummary};
use fruition_app::{App, Settings};
use fruition_domain::indicators::{FIELDS, Indicators};
use fruition_domain::org::OrgKind;
use fruition_domain::region::RegionCode;
use fruition_sheets::{Date, Sheet, Value, read_table, write_xlsx};
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::carriers::{self, Carrier, CarrierProfile};
use fruition_store::organisations::{self, OrgProfile};

const COUNTIES: [&str; 5] = ["天元区", "荷塘区", "芦淞区", "石峰区", "渌口区"];
const CHAINS: [&str; 4] = ["轨道交通", "航空", "新材料", "陶瓷"];

fn uscc(n: u64) -> String {
    let body = format!("91430211{:09}", n % 1_000_000_000);
    let check = fruition_domain::uscc::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A workbook of `rows` incubatees as a carrier would fill the template.
fn workbook(rows: usize) -> Vec<u8> {
    let headers = import::columns()
        .iter()
        .map(|c| c.template_header())
        .collect();
    let rows = (0..rows)
        .map(|i| {
            let n = i as i64;
            let employees = 5 + n % 60;
            let pa = n % 7;
            let pg = n % 4;
            let v = Indicators {
                employees,
                doctors: employees / 20,
                returnees: n % 3,
                fresh_graduates: employees / 10,
                high_level_talent: i64::from(i % 17 == 0),
                revenue_k: 500 + (n * 37) % 50_000,
                rd_spending_k: 50 + (n * 13) % 3_000,
                taxes_k: (n * 7) % 1_000,
                funding_raised_k: if i % 11 == 0 { 2_000 } else { 0 },
                patent_applications: pa,
                invention_applications: pa / 2,
                patent_grants: pg,
                invention_grants: pg / 2,
                valid_ip: pa + pg,
                software_copyrights: n % 5,
                tech_contracts: n % 3,
                tech_contract_amount_k: (n % 3) * 150,
            };
            let mut row: Vec<Value> = vec![
                uscc(i as u64 + 1).into(),
                format!("基准导入企业{i:06}有限公司").into(),
                Date::new(
                    2015 + (i % 8) as u16,
                    1 + (i % 12) as u8,
                    1 + (i % 28) as u8,
                )
                .map_or(Value::Empty, Value::Date),
                COUNTIES[i % COUNTIES.len()].into(),
                if i % COUNTIES.len() == 0 && i % 2 == 0 {
                    "株洲国家高新区".into()
                } else {
                    Value::Empty
                },
                CHAINS[i % CHAINS.len()].into(),
                "37".into(),
                if i % 5 == 0 { "是" } else { "否" }.into(),
                if i % 3 == 0 { "是" } else { "否" }.into(),
                Date::new(2023, 1 + (i % 12) as u8, 1 + (i % 28) as u8)
                    .map_or(Value::Empty, Value::Date),
            ];
            row.extend(
                FIELDS
                    .iter()
                    .map(|(k, _, _)| Value::Int(v.get(k).unwrap_or(0))),
            );
            row
        })
        .collect();
    write_xlsx(&[Sheet {
        name: import::SHEET_NAME.into(),
        headers,
        rows,
    }])
    .expect("workbook")
}

async fn carrier(db: &Db) -> anyhow::Result<Carrier> {
    let ctx = AuditCtx::system("bench");
    let mut tx = db.begin().await?;
    let org = organisations::insert(
        &mut tx,
        &ctx,
        OrgKind::CarrierOperator,
        &OrgProfile {
            name: "基准运营机构".into(),
            uscc: Some(uscc(999_999_001)),
            ..OrgProfile::default()
        },
    )
    .await?;
    let c = carriers::insert(
        &mut tx,
        &ctx,
        &CarrierProfile {
            name: "基准孵化器".into(),
            kind: fruition_domain::carrier::CarrierKind::Incubator,
            operator_org_id: org.id,
            county_code: "430211".into(),
            zone_id: None,
            address: None,
            floor_area_m2: Some(50_000),
            focus_chains: String::new(),
            established_year: 2010,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(c)
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}

async fn measure(engine: &str, db: Db, bytes: &[u8], baseline: Duration) -> anyhow::Result<()> {
    db.migrate().await?;
    fruition_app::reference::seed_defaults(
        &db,
        &RegionCode::parse("430200").map_err(|e| anyhow::anyhow!(e.en))?,
    )
    .await?;
    let carrier = carrier(&db).await?;
    let state = App::new(db.clone(), Settings::default());
    let started = Instant::now();
    let outcome = import::run(
        &state,
        &AuditCtx::system("bench"),
        &carrier,
        2024,
        bytes.to_vec(),
        "bench.xlsx",
        None,
    )
    .await;
    let total = started.elapsed();
    let s: ImportSummary = match outcome {
        Ok(s) => s,
        Err(import::ImportError::Rows(rows)) => {
            anyhow::bail!("{} bad rows, first: {}", rows.len(), rows[0])
        }
        Err(import::ImportError::Refused(e)) => anyhow::bail!("refused: {e:?}"),
    };
    assert_eq!(s.created, s.rows, "every row registers an enterprise");
    assert_eq!(s.indicators_written, s.rows);
    let t = s.timings;
    println!(
        "\n### {engine}: {} rows imported in {:.2} s ({:.0} rows/s), {} audit entries\n",
        s.rows,
        secs(total),
        s.rows as f64 / secs(total),
        s.audit_entries
    );
    println!("| part | seconds | share |");
    println!("|---|---|---|");
    let w = t.statements;
    for (name, d) in [
        ("read the workbook", t.read),
        ("check every row", t.check),
        ("… of which the lookups in the transaction", t.lookups),
        (
            "write (multi-row INSERTs incl. the audit log) and commit",
            t.write,
        ),
        ("… enterprises", w.enterprises),
        ("… incubation spells", w.spells),
        ("… indicators", w.indicators),
        ("… audit entries", w.audit),
    ] {
        println!(
            "| {name} | {:.2} | {:.0} % |",
            secs(d),
            100.0 * secs(d) / secs(total)
        );
    }
    println!("| **whole import** | **{:.2}** | 100 % |", secs(total));
    println!(
        "| baseline: reading the workbook alone (same run) | {:.2} | import ÷ baseline = {:.1} |",
        secs(baseline),
        secs(total) / secs(baseline)
    );
    // A second import of the same file: everything is found unchanged (nothing written).
    let started = Instant::now();
    let again = import::run(
        &state,
        &AuditCtx::system("bench"),
        &carrier,
        2024,
        bytes.to_vec(),
        "bench.xlsx",
        None,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    assert_eq!(again.unchanged, again.rows);
    assert_eq!(again.indicators_unchanged, again.rows);
    println!(
        "| re-import of the same file (nothing changed, nothing written) | {:.2} | read {:.2}, check {:.2} (lookups {:.2}), write {:.2} |",
        secs(started.elapsed()),
        secs(again.timings.read),
        secs(again.timings.check),
        secs(again.timings.lookups),
        secs(again.timings.write)
    );
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let rows: usize = std::env::var("FRUITION_BENCH_ROWS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let started = Instant::now();
    let bytes = workbook(rows);
    println!(
        "Workbook: {rows} rows × {} columns, {:.1} MB, written in {:.2} s",
        import::columns().len(),
        bytes.len() as f64 / 1e6,
        secs(started.elapsed())
    );
    let started = Instant::now();
    let table = read_table(&bytes, "bench.xlsx").map_err(|e| anyhow::anyhow!("{e}"))?;
    let baseline = started.elapsed();
    assert_eq!(table.rows.len(), rows);
    drop(table);

    let dir = std::env::temp_dir().join(format!("fruition-import-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = Db::open_sqlite(&dir.join("bench.db")).await?;
    let result = measure("SQLite", sqlite, &bytes, baseline).await;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    match std::env::var("FRUITION_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("fruition_import_bench_{}", std::process::id());
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
            let result = measure("PostgreSQL", db, &bytes, baseline).await;
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
