//! What the benchmarks share: milliseconds, percentiles, reproducible draws, valid codes.

#![allow(dead_code)]

use std::time::Duration;

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i])
}

/// SplitMix64: reproducible draws without a crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

pub fn uscc(n: u64) -> String {
    let body = format!("91430211{:09}", n % 1_000_000_000);
    let check = fruition_domain::uscc::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A size from the environment (`1_000_000` and `1000000` alike), else `default`.
pub fn size_from_env(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Runs `measure` on a fresh SQLite file (unless `FRUITION_BENCH_SKIP_SQLITE` is set) and, when
/// `FRUITION_TEST_DATABASE_URL` names a PostgreSQL server, on a schema of its own there; each is
/// removed afterwards. `name` tells the benchmark's files and schema apart.
pub async fn on_each_engine<F, Fut>(name: &str, measure: F) -> anyhow::Result<()>
where
    F: Fn(&'static str, fruition_store::Db) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<()>>,
{
    use fruition_store::Db;
    if std::env::var("FRUITION_BENCH_SKIP_SQLITE").is_err() {
        let dir =
            std::env::temp_dir().join(format!("fruition-bench-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let sqlite = Db::open_sqlite(&dir.join("fruition.db")).await?;
        let result = measure("SQLite", sqlite).await;
        let _ = std::fs::remove_dir_all(&dir);
        result?;
    }
    match std::env::var("FRUITION_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("fruition_bench_{name}_{}", std::process::id());
            let admin = Db::connect_postgres(&url, 1).await?;
            if let Db::Postgres(p) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(p)
                    .await?;
            }
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            let db = Db::connect_postgres(&scoped, 8).await?;
            let result = measure("PostgreSQL", db).await;
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

/// Adds a manager `login` with `role` to the organisation `org_id` inside `tx`: a user the
/// benchmark acts as (its password never used, none to change).
pub async fn bench_user(
    tx: &mut fruition_store::Tx,
    org_id: i64,
    login: &str,
    display_name: &str,
    role: fruition_domain::org::Role,
) -> anyhow::Result<()> {
    fruition_store::users::insert(
        tx,
        &fruition_store::audit::AuditCtx::system("bench"),
        &fruition_store::users::NewUser {
            org_id,
            login: login.into(),
            display_name: display_name.into(),
            role,
            is_manager: true,
            password_hash: "x".into(),
            must_change_password: false,
            email: None,
            phone: None,
        },
    )
    .await?;
    Ok(())
}
