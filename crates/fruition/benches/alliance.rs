//! Registration for an alliance event under load, on SQLite and, when FRUITION_TEST_DATABASE_URL
//! is set, on PostgreSQL:
//!
//! 1. **100 registrations at once for 30 places** (100 tasks, each its own transaction through
//!    the store: the place counter's conditional update, else the waiting list's next number,
//!    the registration and its audit entry). Must end with exactly 30 registered and 70 waiting
//!    in positions 1..70; the time until the last commits. 20 rounds, each on a fresh event.
//! 2. Baseline in the same run: the same 100 registrations one after another.
//!
//! Run: `cargo bench -p fruition --bench alliance`.

use std::time::{Duration, Instant};

use fruition_domain::alliance::{EventKind, EventStatus, RegistrationStatus};
use fruition_domain::org::{OrgKind, Role};
use fruition_store::Db;
use fruition_store::alliance::events::{self, NewEvent};
use fruition_store::audit::AuditCtx;
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users::{self, NewUser};

mod common;
use common::{Rng, ms, percentile, uscc};

const PEOPLE: usize = 100;
const PLACES: i64 = 30;
const ROUNDS: usize = 20;

fn stats(mut runs: Vec<Duration>) -> (f64, f64) {
    runs.sort();
    (percentile(&runs, 0.5), percentile(&runs, 0.99))
}

async fn new_event(db: &Db, ctx: &AuditCtx, org: i64, n: usize) -> anyhow::Result<i64> {
    let mut tx = db.begin().await?;
    let now = fruition_store::clock::now_ms();
    let e = events::insert(
        &mut tx,
        ctx,
        &NewEvent {
            kind: EventKind::Roadshow,
            title: format!("基准路演{n}"),
            description: String::new(),
            place: "株洲".into(),
            starts_at: now + 86_400_000,
            ends_at: now + 90_000_000,
            register_by: now + 80_000_000,
            capacity: PLACES,
            status: EventStatus::Open,
            organiser_org_id: org,
            carrier_id: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(e.id)
}

async fn register(
    db: &Db,
    ctx: &AuditCtx,
    event: i64,
    user: i64,
    code: String,
) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    events::register(&mut tx, ctx, event, user, &code).await?;
    tx.commit().await?;
    Ok(())
}

/// Exactly 30 registered and 70 waiting in positions 1..70.
async fn check(db: &Db, event: i64) -> anyhow::Result<()> {
    let regs = events::registrations(db, event).await?;
    let placed = regs
        .iter()
        .filter(|r| r.status == RegistrationStatus::Registered)
        .count();
    let positions: Vec<i64> = regs.iter().filter_map(|r| r.position).collect();
    anyhow::ensure!(
        placed == PLACES as usize,
        "{placed} registered, not {PLACES}"
    );
    anyhow::ensure!(
        positions == (1..=(PEOPLE as i64 - PLACES)).collect::<Vec<_>>(),
        "waiting positions {positions:?}"
    );
    Ok(())
}

async fn measure(engine: &str, db: Db) -> anyhow::Result<()> {
    db.migrate().await?;
    let ctx = AuditCtx::system("bench");
    let mut tx = db.begin().await?;
    let org = organisations::insert(
        &mut tx,
        &ctx,
        OrgKind::Enterprise,
        &OrgProfile {
            name: "基准报名单位".into(),
            uscc: Some(uscc(970_000_001)),
            ..OrgProfile::default()
        },
    )
    .await?
    .id;
    let mut people = Vec::new();
    for i in 0..PEOPLE {
        let u = users::insert(
            &mut tx,
            &ctx,
            &NewUser {
                org_id: org,
                login: format!("bench.reg{i}"),
                display_name: format!("报名人{i}"),
                role: Role::EnterpriseUser,
                is_manager: false,
                password_hash: "x".into(),
                must_change_password: false,
                email: None,
                phone: None,
            },
        )
        .await?;
        people.push(u.id);
    }
    tx.commit().await?;
    let mut rng = Rng(0xA111_A9CE);
    let mut code = move || {
        (0..10)
            .map(|_| {
                let a = fruition_domain::alliance::CODE_ALPHABET;
                char::from(a[rng.below(a.len() as u64) as usize])
            })
            .collect::<String>()
    };
    let (mut at_once, mut one_by_one) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // At once.
        let event = new_event(&db, &ctx, org, round * 2).await?;
        let started = Instant::now();
        let tasks: Vec<_> = people
            .iter()
            .map(|&u| {
                let (db, ctx, c) = (db.clone(), ctx.clone(), code());
                tokio::spawn(async move { register(&db, &ctx, event, u, c).await })
            })
            .collect();
        for t in tasks {
            t.await??;
        }
        at_once.push(started.elapsed());
        check(&db, event).await?;
        // One after another.
        let event = new_event(&db, &ctx, org, round * 2 + 1).await?;
        let started = Instant::now();
        for &u in &people {
            register(&db, &ctx, event, u, code()).await?;
        }
        one_by_one.push(started.elapsed());
        check(&db, event).await?;
    }
    let (p50, p99) = stats(at_once);
    let (b50, b99) = stats(one_by_one);
    println!(
        "\n{engine}: {PEOPLE} registrations for {PLACES} places, {ROUNDS} rounds; each round {PLACES} registered, {} waiting in order",
        PEOPLE as i64 - PLACES
    );
    println!(
        "  at once (100 tasks):      p50 {p50:8.1} ms   p99 {p99:8.1} ms   ({:.0} registrations/s at p50)",
        PEOPLE as f64 / (p50 / 1000.0)
    );
    println!(
        "  baseline, one by one:     p50 {b50:8.1} ms   p99 {b99:8.1} ms   ({:.0} registrations/s at p50)",
        PEOPLE as f64 / (b50 / 1000.0)
    );
    let _ = ms(Duration::ZERO);
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    common::on_each_engine("alliance", measure).await
}
