//! Pilot lines and instruments at the figures issue 5 names, on SQLite and — when
//! FRUITION_TEST_DATABASE_URL is set — on PostgreSQL:
//!
//! 1. **Booking throughput**: `FRUITION_BENCH_BOOKINGS` (default 5,000) one-hour requests on 50
//!    resources from 4 concurrent clients through `actions::pilot::request` (the rules, the
//!    incubatee and overdue checks, the booking row, one slot row per hour, the audit entry, one
//!    transaction each). Baseline in the same run: the same number of bare booking rows, one
//!    transaction each, without the slot rows, the checks or the audit.
//! 2. **One slot, 100 requests at once**: two app servers on the same database (PostgreSQL; one on
//!    SQLite) over HTTP, 100 clients asking for the same hour: how many succeed, how many get 409.
//! 3. **A calendar with ten years of bookings**: one resource with six bookings a day for ten years
//!    (21,900 bookings) and a maintenance block a month; the calendar of a 35-day window and of
//!    a year through `actions::pilot::calendar`, and the resource's page over HTTP. Baseline: the
//!    same on a resource with no bookings.
//!
//! Run: `cargo bench -p fruition --bench pilot`.

mod common;
use common::uscc;
use std::time::{Duration, Instant};

use fruition_app::Ctx;
use fruition_app::pilot::{self as actions, BookingInput};
use fruition_app::{App, Settings};
use fruition_domain::org::{OrgKind, Role};
use fruition_domain::pilot::{self, ResourceInput};
use fruition_store::audit::AuditCtx;
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users::{self, Principal};
use fruition_store::{Db, pilot as store};

const RESOURCES: usize = 50;
const CLIENTS: usize = 4;
/// Concurrent clients of the bookings-over-HTTP run (the figure: 8).
const HTTP_CLIENTS: usize = 8;

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    ms(sorted[i])
}

/// An organisation with one user who needs no password change; returns the user's principal.
async fn member(db: &Db, kind: OrgKind, role: Role, n: u64) -> anyhow::Result<Principal> {
    let ctx = AuditCtx::system("bench");
    let mut tx = db.begin().await?;
    let org = organisations::insert(
        &mut tx,
        &ctx,
        kind,
        &OrgProfile {
            name: format!("基准中试机构{n:04}"),
            uscc: Some(uscc(900_000_000 + n)),
            ..OrgProfile::default()
        },
    )
    .await?;
    let login = format!("pilot.bench{n}");
    common::bench_user(&mut tx, org.id, &login, &format!("基准用户{n}"), role).await?;
    tx.commit().await?;
    Ok(users::get_for_sign_in(db, &login)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench user was not created"))?
        .0)
}

fn line(n: usize) -> ResourceInput {
    ResourceInput {
        kind: "pilot_line".into(),
        name: format!("基准中试线{n}"),
        capabilities: "功率模块封装与可靠性试验中试，月产能 2000 只".into(),
        place: "株洲高新区中试基地".into(),
        unit: "hour".into(),
        price: "800".into(),
        open_days: vec![1, 2, 3, 4, 5, 6, 7],
        open_from: Some(0),
        open_to: Some(24),
        cancel_hours: Some(24),
        horizon_days: None,
        ..ResourceInput::default()
    }
}

fn ctx(p: &Principal) -> Ctx<'_> {
    Ctx {
        principal: p,
        ip: "127.0.0.1".into(),
    }
}

async fn measure(engine: &str, db: Db, url: Option<String>, n: usize) -> anyhow::Result<()> {
    let http_n = n.min(4_000);
    db.migrate().await?;
    let settings = Settings::default();
    fruition::bootstrap::seed_reference(&db, &settings).await?;
    let state = App::new(db.clone(), settings.clone());
    let owner = member(&db, OrgKind::CarrierOperator, Role::CarrierManager, 1).await?;
    let mut bookers = Vec::new();
    for i in 0..CLIENTS as u64 {
        bookers.push(member(&db, OrgKind::Enterprise, Role::EnterpriseUser, 10 + i).await?);
    }
    let mut resources = Vec::new();
    for i in 0..RESOURCES {
        resources.push(
            actions::create_resource(&state, &ctx(&owner), &line(i))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .id,
        );
    }
    let tomorrow = pilot::slot_of_date(fruition_app::clock::today_date().plus_days(1));

    // 1. Throughput: CLIENTS clients, each its own resources' hours in turn.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for (c, booker) in bookers.iter().cloned().enumerate() {
        let state = state.clone();
        let resources = resources.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(n / CLIENTS);
            for k in 0..n / CLIENTS {
                let resource = resources[(k * CLIENTS + c) % RESOURCES];
                let slot = tomorrow + ((k * CLIENTS + c) / RESOURCES) as i64;
                let input = BookingInput {
                    starts_at: pilot::slot_label(slot),
                    units: Some(1),
                    purpose: "基准预约".into(),
                    accept_safety_notes: true,
                };
                let t = Instant::now();
                actions::request(&state, &ctx(&booker), resource, &input)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
                times.push(t.elapsed());
            }
            anyhow::Ok(times)
        }));
    }
    let mut times = Vec::new();
    for t in tasks {
        times.extend(t.await??);
    }
    let elapsed = started.elapsed();
    times.sort();
    let made = times.len();

    // Baseline: bare booking rows, one transaction each, no slots, checks or audit.
    let started = Instant::now();
    let resource = resources[0];
    for k in 0..made {
        let mut tx = db.begin().await?;
        let sql = "INSERT INTO bookings (resource_id, owner_org_id, booker_org_id, status, start_slot, end_slot, units, unit_price_fen, \
                   incubatee, prepayment, purpose, created_at, updated_at) VALUES ($1, $2, $3, 'cancelled', $4, $5, 1, 80000, FALSE, FALSE, '基线', 0, 0)";
        let slot = tomorrow + 1_000_000 + k as i64;
        match &mut tx {
            fruition_store::Tx::Sqlite(t) => {
                sqlx::query(sql)
                    .bind(resource)
                    .bind(owner.user.org_id)
                    .bind(bookers[0].user.org_id)
                    .bind(slot)
                    .bind(slot + 1)
                    .execute(&mut **t)
                    .await?;
            }
            fruition_store::Tx::Postgres(t) => {
                sqlx::query(sql)
                    .bind(resource)
                    .bind(owner.user.org_id)
                    .bind(bookers[0].user.org_id)
                    .bind(slot)
                    .bind(slot + 1)
                    .execute(&mut **t)
                    .await?;
            }
        }
        tx.commit().await?;
    }
    let baseline = started.elapsed();

    println!("\n## {engine}\n");
    println!("| | figure |\n|---|---|");
    println!(
        "| bookings through `actions::pilot::request`, {CLIENTS} clients | **{:.0} bookings/s** ({made} in {:.2} s; p50 {:.2} ms, p99 {:.2} ms each) |",
        made as f64 / elapsed.as_secs_f64(),
        elapsed.as_secs_f64(),
        percentile(&times, 0.5),
        percentile(&times, 0.99)
    );
    println!(
        "| baseline: bare booking rows, one transaction each | {:.0} rows/s ({:.2} s) |",
        made as f64 / baseline.as_secs_f64(),
        baseline.as_secs_f64()
    );

    // 2. One slot, 100 requests at once, over HTTP on one or two servers.
    let mut servers = vec![
        fruition::server::start(
            fruition_web::AppState::new(state.clone(), Default::default()),
            "127.0.0.1:0",
        )
        .await?,
    ];
    if let Some(url) = &url {
        let second = Db::connect_postgres(url, 8).await?;
        servers.push(
            fruition::server::start(
                fruition_web::AppState::new(
                    App::new(second, Settings::default()),
                    Default::default(),
                ),
                "127.0.0.1:0",
            )
            .await?,
        );
    }
    let mut tokens = Vec::new();
    for b in &bookers {
        tokens.push(fruition::bootstrap::create_token(&db, &b.user.login, "bench").await?);
    }
    let client = reqwest::Client::new();
    // Within the resource's horizon (one year by default).
    let slot = pilot::slot_label(tomorrow + 24 * 200);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for i in 0..100 {
        let url = format!(
            "http://{}/api/v1/resources/{}/bookings",
            servers[i % servers.len()].addr,
            resources[1]
        );
        let token = tokens[i % tokens.len()].clone();
        let client = client.clone();
        let body = serde_json::json!({"starts_at": slot, "units": 2, "purpose": "抢约"});
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let status = client
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .map(|r| r.status().as_u16())
                .unwrap_or(0);
            (status, t.elapsed())
        }));
    }
    let (mut ok, mut conflict, mut other) = (0, 0, 0);
    let mut race = Vec::new();
    for t in tasks {
        let (status, d) = t.await?;
        race.push(d);
        match status {
            201 => ok += 1,
            409 => conflict += 1,
            _ => other += 1,
        }
    }
    let race_wall = started.elapsed();
    race.sort();
    println!(
        "| 100 requests for one slot at once on {} app server{} | **{ok} succeeded, {conflict} got 409**, {other} other; all answered in {:.0} ms (p50 {:.0} ms, p99 {:.0} ms) |",
        servers.len(),
        if servers.len() > 1 { "s" } else { "" },
        ms(race_wall),
        percentile(&race, 0.5),
        percentile(&race, 0.99)
    );
    if ok != 1 || other != 0 {
        anyhow::bail!("the slot was not booked exactly once: {ok} succeeded, {other} other");
    }

    // 2b. Bookings over HTTP on one server: 1 client (the baseline), then HTTP_CLIENTS at once,
    // each its own enterprise, token and hours; every request must answer 201.
    let mut http_tokens = Vec::new();
    for i in 0..HTTP_CLIENTS as u64 {
        let b = member(&db, OrgKind::Enterprise, Role::EnterpriseUser, 100 + i).await?;
        http_tokens.push(fruition::bootstrap::create_token(&db, &b.user.login, "bench").await?);
    }
    let per_run = http_n;
    let mut next_hour = 24 * 30;
    for clients in [1, HTTP_CLIENTS] {
        let first_hour = next_hour;
        next_hour += (per_run / (RESOURCES - 2)) as i64 + 2;
        let started = Instant::now();
        let mut tasks = Vec::new();
        for (c, token) in http_tokens.iter().take(clients).cloned().enumerate() {
            let client = client.clone();
            let base = format!("http://{}", servers[0].addr);
            let resources = resources.clone();
            tasks.push(tokio::spawn(async move {
                let mut times = Vec::new();
                let mut k = c;
                while k < per_run {
                    // Resources 2.. (0 is the baseline's, 1 the race's), hour by hour.
                    let resource = resources[2 + k % (RESOURCES - 2)];
                    let slot = tomorrow + first_hour + (k / (RESOURCES - 2)) as i64;
                    let body = serde_json::json!({
                        "starts_at": pilot::slot_label(slot), "units": 1, "purpose": "基准预约"
                    });
                    let t = Instant::now();
                    let res = client
                        .post(format!("{base}/api/v1/resources/{resource}/bookings"))
                        .bearer_auth(&token)
                        .json(&body)
                        .send()
                        .await?;
                    let status = res.status();
                    let text = res.text().await?;
                    times.push(t.elapsed());
                    if status.as_u16() != 201 {
                        anyhow::bail!("booking over HTTP answered {status}: {text}");
                    }
                    k += clients;
                }
                anyhow::Ok(times)
            }));
        }
        let mut times = Vec::new();
        for t in tasks {
            times.extend(t.await??);
        }
        let wall = started.elapsed();
        times.sort();
        println!(
            "| bookings over HTTP (`POST /api/v1/resources/{{id}}/bookings`), {clients} client{} | **{:.0} bookings/s**, p50 {:.2} ms, p99 **{:.2} ms**, max {:.2} ms ({} requests) |",
            if clients > 1 {
                "s at once"
            } else {
                " (baseline)"
            },
            times.len() as f64 / wall.as_secs_f64(),
            percentile(&times, 0.5),
            percentile(&times, 0.99),
            times.last().map(|d| ms(*d)).unwrap_or(0.0),
            times.len()
        );
    }
    if std::env::var("FRUITION_BENCH_SKIP_CALENDAR").is_ok() {
        for s in servers {
            s.task.abort();
        }
        return Ok(());
    }

    // 3. Ten years of bookings on one resource.
    let mut fresh = Vec::new();
    for i in 0..2 {
        fresh.push(
            actions::create_resource(&state, &ctx(&owner), &line(RESOURCES + i))
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?
                .id,
        );
    }
    let (full, empty) = (fresh[0], fresh[1]);
    let today = fruition_app::clock::today_date();
    let first = today.plus_days(-5 * 365);
    let days = 10 * 365;
    let audit = AuditCtx::system("bench");
    let t = Instant::now();
    let mut written = 0;
    let mut tx = db.begin().await?;
    for d in 0..days {
        let base = pilot::slot_of_date(first.plus_days(d));
        if d % 30 == 0 {
            let r = store::get(&db, full).await?.expect("resource");
            store::add_block(&mut tx, &audit, &r, base, base + 6, "月度保养").await?;
        }
        for k in 0..6 {
            let start = base + 8 + 2 * k;
            store::request(
                &mut tx,
                &audit,
                &store::NewBooking {
                    resource_id: full,
                    owner_org_id: owner.user.org_id,
                    booker_org_id: bookers[(d as usize + k as usize) % CLIENTS].user.org_id,
                    start_slot: start,
                    end_slot: start + 2,
                    units: 2,
                    unit_price_fen: 80_000,
                    incubatee: false,
                    prepayment: false,
                    purpose: "十年日历".into(),
                    safety_accepted: true,
                },
            )
            .await?;
            written += 1;
        }
        if d % 200 == 199 {
            tx.commit().await?;
            tx = db.begin().await?;
        }
    }
    tx.commit().await?;
    let loading = t.elapsed();

    let mut month = Vec::new();
    let mut month_empty = Vec::new();
    let mut year = Vec::new();
    let mut page = Vec::new();
    let mut page_empty = Vec::new();
    let base_url = format!("http://{}", servers[0].addr);
    let mut items = 0;
    for i in 0..60 {
        let from = first.plus_days((i * 61) % (days - 400));
        let from_s = from.to_string();
        let t = Instant::now();
        let c = actions::calendar(&state, Some(&owner), full, Some(&from_s), Some(35))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        month.push(t.elapsed());
        items = items.max(c.items.len());
        let t = Instant::now();
        actions::calendar(&state, Some(&owner), empty, Some(&from_s), Some(35))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        month_empty.push(t.elapsed());
        let t = Instant::now();
        actions::calendar(&state, Some(&owner), full, Some(&from_s), Some(366))
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        year.push(t.elapsed());
        for (id, out) in [(full, &mut page), (empty, &mut page_empty)] {
            let t = Instant::now();
            let r = client
                .get(format!("{base_url}/pilot/resources/{id}?from={from_s}"))
                .send()
                .await?;
            let status = r.status();
            let _ = r.bytes().await?;
            if status.is_success() {
                out.push(t.elapsed());
            }
        }
    }
    for v in [
        &mut month,
        &mut month_empty,
        &mut year,
        &mut page,
        &mut page_empty,
    ] {
        v.sort();
    }
    println!(
        "| ten years on one resource: {written} bookings and {} maintenance blocks written | {:.1} s |",
        days / 30 + 1,
        loading.as_secs_f64()
    );
    println!(
        "| calendar, 35 days (up to {items} entries), `actions::pilot::calendar` | p50 **{:.2} ms**, p99 {:.2} ms |",
        percentile(&month, 0.5),
        percentile(&month, 0.99)
    );
    println!(
        "| baseline: the same window of a resource with no bookings | p50 {:.2} ms, p99 {:.2} ms |",
        percentile(&month_empty, 0.5),
        percentile(&month_empty, 0.99)
    );
    println!(
        "| calendar, 366 days | p50 {:.2} ms, p99 {:.2} ms |",
        percentile(&year, 0.5),
        percentile(&year, 0.99)
    );
    if page.is_empty() {
        println!("| the resource's page over HTTP | (no page at /pilot/resources/{{id}}) |");
    } else {
        println!(
            "| the resource's page with its calendar over HTTP (anonymous) | p50 **{:.2} ms**, p99 {:.2} ms; empty resource p50 {:.2} ms |",
            percentile(&page, 0.5),
            percentile(&page, 0.99),
            percentile(&page_empty, 0.5)
        );
    }
    for s in servers {
        s.task.abort();
    }
    Ok(())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FRUITION_BENCH_BOOKINGS")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(5_000);
    let dir = std::env::temp_dir().join(format!("fruition-bench-pilot-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let sqlite = Db::open_sqlite(&dir.join("fruition.db")).await?;
    let result = measure("SQLite", sqlite, None, n).await;
    let _ = std::fs::remove_dir_all(&dir);
    result?;
    match std::env::var("FRUITION_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("fruition_bench_pilot_{}", std::process::id());
            let admin = Db::connect_postgres(&url, 1).await?;
            if let Db::Postgres(p) = &admin {
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE SCHEMA {schema}")))
                    .execute(p)
                    .await?;
            }
            let sep = if url.contains('?') { '&' } else { '?' };
            let scoped = format!("{url}{sep}options=-c%20search_path%3D{schema}");
            let db = Db::connect_postgres(&scoped, 8).await?;
            let result = measure("PostgreSQL", db, Some(scoped), n).await;
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
