//! The market through the web layer, at the scale issue 4 names: N published listings
//! (`FRUITION_BENCH_LISTINGS`, default 1,000,000) of generated Chinese text (~300 characters
//! each, from `fruition_search::VOCABULARY`), on SQLite and — when FRUITION_TEST_DATABASE_URL is
//! set — on PostgreSQL.
//!
//! Measured: the bulk load of the listings (and their `listing_changes` rows); the index build
//! through `SearchSync::rebuild` on an on-disk index; search top 10 through
//! `actions::market::search` (index, then the database re-read of the hits, then the views)
//! against a baseline in the same run, the engine alone (`SearchIndex::search`) on the same
//! queries; suggestions for needs through `actions::matching::suggestions` against the engine's
//! `similar` alone; and the process's memory (VmRSS, RssAnon, RssFile) after each step.
//!
//! Run: `cargo bench -p fruition --bench market` (FRUITION_BENCH_LISTINGS=200000 for a quicker run;
//! FRUITION_BENCH_KEEP=<folder> keeps the SQLite database as that server data folder;
//! FRUITION_BENCH_SKIP_SQLITE=1 measures PostgreSQL only).

use fruition_search::vocabulary::{Topic, Vocabulary};
use std::time::{Duration, Instant};

use fruition_app::Ctx;
use fruition_app::market::{self, SearchParams};
use fruition_app::matching;
use fruition_app::search_sync::SearchSync;
use fruition_app::{App, Settings};
use fruition_domain::market::ListingKind;
use fruition_domain::org::OrgKind;
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, ListingRow};
use fruition_store::organisations::{self, OrgProfile};
use fruition_store::users;

const JUDGED: &str = include_str!("../../search/data/judged_queries.tsv");
const SEED: u64 = 0x5eed_2026_0430_0211;
const COUNTIES: [&str; 9] = [
    "430202", "430203", "430204", "430211", "430212", "430223", "430224", "430225", "430281",
];
const KINDS: [(&str, u32); 7] = [
    ("achievement", 40),
    ("need", 25),
    ("service", 10),
    ("instrument", 8),
    ("expert", 7),
    ("capital", 5),
    ("policy", 5),
];
const MODES: [&str; 5] = [
    "transfer",
    "licence",
    "joint_development",
    "equity",
    "pay_after_use",
];
/// Listing-owning organisations.
const ORGS: usize = 500;
/// Rows generated and loaded at a time (keeps the generator's memory out of the figures).
const LOAD_CHUNK: usize = 20_000;
/// Needs whose suggestions are measured.
const NEEDS: usize = 60;

/// SplitMix64: small, fast and the same on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// A word of the topic, its first (core) words more often.
fn topic_word(rng: &mut Rng, topic: &Topic) -> &'static str {
    let n = topic.words.len();
    topic.words[rng.below(n).min(rng.below(n))]
}

const SENTENCES: [&str; 12] = [
    "本成果针对T的G难题，采用T和T相结合的G，实现了T的G。",
    "项目团队围绕TT开展G，形成G、G等成果N项。",
    "该T在G方面达到国内领先水平，G较同类产品提高N%。",
    "目前已在O和T中得到应用，累计实现G超过N万元。",
    "主要指标：T的G不低于N，G优于N。",
    "希望与T领域的G单位开展G，共同解决T的G问题。",
    "可提供T、T和G等G，支持G与G。",
    "通过G对T进行G，有效降低了G，提高了T的G。",
    "FT的G是T的关键，G和G需要进一步提升。",
    "现有T存在G不足、G偏高等问题，拟引进T或T技术。",
    "拥有T相关发明专利N项，G N台套，可开展T和O的G。",
    "在T、T及G等方向具有多年积累，服务G超过N家。",
];

fn suffixes(kind: &str) -> &'static [&'static str] {
    match kind {
        "achievement" => &["关键技术及产业化", "研发与应用", "新工艺", "成套技术"],
        "need" => &["技术需求", "技术攻关需求", "合作需求", "工艺改进需求"],
        "service" => &["检测服务", "技术服务", "咨询服务"],
        "instrument" => &["共享仪器", "中试线开放", "测试平台"],
        "expert" => &["专家", "研究团队", "技术带头人"],
        "capital" => &["投资意向", "融资对接", "产业基金"],
        _ => &["扶持政策", "实施办法", "申报指南"],
    }
}

/// Listing `i` of `n` (the same for the same `i`), owned by one of `orgs`, published over the five
/// years before `now`.
fn listing(v: &Vocabulary, i: usize, n: usize, orgs: &[i64], now: i64) -> ListingRow {
    let mut rng = Rng(SEED ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
    let topic = rng.pick(&v.topics);
    let weights: u32 = KINDS.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(weights as usize) as u32;
    let mut kind = KINDS[0].0;
    for (k, w) in KINDS {
        if roll < w {
            kind = k;
            break;
        }
        roll -= w;
    }
    let a = topic_word(&mut rng, topic);
    let b = topic_word(&mut rng, topic);
    let suffix = rng.pick(suffixes(kind));
    let title = match rng.below(5) {
        0 => format!("{a}{b}{suffix}"),
        1 => format!("基于{a}的{b}{suffix}"),
        2 => format!("{a}{suffix}"),
        3 => format!("{a}与{b}{suffix}"),
        _ => format!("株洲{a}{suffix}"),
    };
    let mut summary = String::with_capacity(1024);
    while summary.chars().count() < 290 {
        for c in rng.pick(&SENTENCES).chars() {
            match c {
                'T' if rng.chance(8) => {
                    let other = rng.pick(&v.topics);
                    summary.push_str(topic_word(&mut rng, other));
                }
                'T' => summary.push_str(topic_word(&mut rng, topic)),
                'O' => {
                    let other = rng.pick(&v.topics);
                    summary.push_str(topic_word(&mut rng, other));
                }
                'G' => summary.push_str(rng.pick::<&str>(&v.general)),
                'F' => summary.push_str(rng.pick::<&str>(&v.function)),
                'N' => summary.push_str(&(2 + rng.below(998)).to_string()),
                _ => summary.push(c),
            }
        }
    }
    let has_trl = matches!(kind, "achievement" | "need" | "instrument");
    let modes: Vec<&str> = if kind == "achievement" {
        MODES.iter().copied().filter(|_| rng.chance(35)).collect()
    } else {
        Vec::new()
    };
    let span = 5 * 365 * 86_400_000i64;
    ListingRow {
        kind,
        org_id: *rng.pick(orgs),
        title,
        summary,
        chain_code: topic.chain_code().map(str::to_string),
        tech_field: topic
            .chain_code()
            .and_then(fruition_domain::tech_field::TechField::of_chain)
            .map(|f| f.code().to_string()),
        county_code: Some(rng.pick(&COUNTIES).to_string()),
        trl: has_trl.then(|| 1 + rng.below(9) as i64),
        price_k: (matches!(kind, "achievement" | "need") && rng.chance(60))
            .then(|| 50 + rng.below(5000) as i64),
        modes: modes.join(","),
        published_at: now - span + (span as f64 * i as f64 / n.max(1) as f64) as i64,
    }
}

/// The text queries: the judged set of the search benchmark, and per topic its core word, two
/// of its words, and a general word with one of its words; plus queries of very common words.
fn text_queries(v: &Vocabulary) -> Vec<String> {
    let mut rng = Rng(SEED ^ 0x7e57);
    let mut out: Vec<String> = JUDGED
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("query\t") && !l.trim().is_empty())
        .filter_map(|l| l.split('\t').next())
        .map(str::to_string)
        .collect();
    for topic in &v.topics {
        out.push(topic.words[0].to_string());
        out.push(format!(
            "{} {}",
            topic_word(&mut rng, topic),
            topic_word(&mut rng, topic)
        ));
        out.push(format!(
            "{}{}",
            rng.pick::<&str>(&v.general),
            topic_word(&mut rng, topic)
        ));
    }
    for common in [
        "技术",
        "技术 研究",
        "提高 效率 降低 成本",
        "株洲 企业 合作",
        "关键技术 产业化",
        "检测 服务",
        "希望与高校开展合作，共同解决生产线上的质量问题",
    ] {
        out.push(common.to_string());
    }
    out
}

/// Every text query as typed, then again with a filter (a quarter of those with no words).
fn queries(v: &Vocabulary) -> Vec<SearchParams> {
    let mut rng = Rng(SEED ^ 0xf117);
    let texts = text_queries(v);
    let mut out: Vec<SearchParams> = texts
        .iter()
        .map(|t| SearchParams {
            q: t.clone(),
            ..SearchParams::default()
        })
        .collect();
    for (i, text) in texts.iter().enumerate() {
        let mut p = SearchParams {
            q: if i % 4 == 0 {
                String::new()
            } else {
                text.clone()
            },
            ..SearchParams::default()
        };
        match i % 5 {
            0 => p.kind = Some("achievement".into()),
            1 => {
                p.kind = Some("achievement,instrument".into());
                p.trl_min = Some(6);
            }
            2 => p.county = Some(rng.pick(&COUNTIES).to_string()),
            3 => p.field = rng.pick(&v.topics).chain_code().map(str::to_string),
            _ => {
                p.price_max_k = Some(1000);
                p.mode = Some("licence".into());
            }
        }
        out.push(p);
    }
    out
}

fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// VmRSS, RssAnon, RssFile and VmHWM in MB.
fn memory(when: &str) -> String {
    let mb = |f: &str| status_kb(f) as f64 / 1024.0;
    format!(
        "| {when} | {:.0} | {:.0} | {:.0} | {:.0} |",
        mb("VmRSS:"),
        mb("RssAnon:"),
        mb("RssFile:"),
        mb("VmHWM:")
    )
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// `| name | n | p50 | p99 | max | mean |` in ms.
fn row(name: &str, samples: &[Duration]) -> String {
    let mut v: Vec<f64> = samples.iter().map(|d| ms(*d)).collect();
    v.sort_by(f64::total_cmp);
    let at = |p: f64| {
        if v.is_empty() {
            0.0
        } else {
            v[((v.len() as f64 * p).ceil() as usize).clamp(1, v.len()) - 1]
        }
    };
    let mean = if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    };
    format!(
        "| {name} | {} | {:.2} | {:.2} | {:.2} | {mean:.2} |",
        v.len(),
        at(0.5),
        at(0.99),
        v.last().copied().unwrap_or(0.0)
    )
}

fn uscc(n: u64) -> String {
    let body = format!("91430211{:09}", n % 1_000_000_000);
    let check = fruition_domain::uscc::check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

async fn measure(engine: &str, db: Db, n: usize) -> anyhow::Result<()> {
    db.migrate().await?;
    let settings = Settings::default();
    fruition::bootstrap::seed_reference(&db, &settings).await?;
    let admin = fruition::bootstrap::create_admin(&db, &settings, "benchadmin").await?;
    let (principal, _, _) = users::get_for_sign_in(&db, "benchadmin")
        .await?
        .ok_or_else(|| anyhow::anyhow!("the bench's administrator was not created"))?;
    let ctx = AuditCtx::system("bench");
    let mut orgs = Vec::with_capacity(ORGS);
    let mut tx = db.begin().await?;
    for i in 0..ORGS {
        let kind = if i % 5 == 0 {
            OrgKind::Institution
        } else {
            OrgKind::Enterprise
        };
        let profile = OrgProfile {
            name: format!("基准市场机构{i:04}"),
            uscc: Some(uscc(800_000_000 + i as u64)),
            ..OrgProfile::default()
        };
        orgs.push(
            organisations::insert(&mut tx, &ctx, kind, &profile)
                .await?
                .id,
        );
    }
    tx.commit().await?;

    // 1. Loading.
    let v = Vocabulary::builtin();
    let now = fruition_store::clock::now_ms();
    let mut generating = Duration::ZERO;
    let mut inserting = Duration::ZERO;
    let mut needs: Vec<i64> = Vec::new();
    let need_every = (n / (NEEDS * 4)).max(1);
    let mut start = 0;
    while start < n {
        let end = (start + LOAD_CHUNK).min(n);
        let t = Instant::now();
        let rows: Vec<ListingRow> = (start..end)
            .map(|i| listing(&v, i, n, &orgs, now))
            .collect();
        generating += t.elapsed();
        let t = Instant::now();
        let ids = bulk::listings(&db, &rows).await?;
        inserting += t.elapsed();
        for (i, (r, id)) in rows.iter().zip(&ids).enumerate() {
            if r.kind == "need" && (start + i) % need_every < 4 && needs.len() < NEEDS {
                needs.push(*id);
            }
        }
        start = end;
    }
    let mem_loaded = memory("after loading the listings");

    // Index build, on disk.
    let dir = std::env::temp_dir().join(format!(
        "fruition-bench-market-index-{}-{engine}",
        std::process::id()
    ));
    let sync = SearchSync::open(&dir)?;
    let t = Instant::now();
    let indexed = sync.rebuild(&db).await?;
    let rebuilt = t.elapsed();
    let mem_indexed = memory("after the index build");
    let state = App::new(db.clone(), Settings::default()).with_search(sync.clone());

    // 2. Search: a warm-up pass, then each query through the engine and through the web layer
    // in turn, so that noise from other work on the machine falls on both alike.
    let params = queries(&v);
    for p in &params {
        sync.index.search(&market::query_of(p))?;
    }
    let mut engine_times = Vec::with_capacity(params.len());
    let mut web_times = Vec::with_capacity(params.len());
    let (mut empty, mut shown, mut found) = (0, 0, 0);
    for p in &params {
        let q = market::query_of(p);
        let t = Instant::now();
        let r = sync.index.search(&q)?;
        engine_times.push(t.elapsed());
        let t = Instant::now();
        let page = market::search(&state, p)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        web_times.push(t.elapsed());
        found += r.hits.len();
        shown += page.hits.len();
        if page.hits.is_empty() {
            empty += 1;
        }
    }
    anyhow::ensure!(
        shown == found,
        "the web layer showed {shown} hits of the engine's {found}"
    );

    // 3. Matching, as the bureau (who may see every listing's suggestions).
    let web_ctx = Ctx {
        principal: &principal,
        ip: "127.0.0.1".into(),
    };
    let similar_query = fruition_search::Query {
        kinds: ListingKind::Need
            .suggests()
            .iter()
            .map(|k| k.code().to_string())
            .collect(),
        limit: 40,
        ..fruition_search::Query::default()
    };
    let mut need_texts = Vec::with_capacity(needs.len());
    for id in &needs {
        if let Some(l) = fruition_store::market::get(&db, *id).await? {
            need_texts.push(format!("{}\n{}", l.title, l.summary));
        }
    }
    for id in &needs {
        matching::suggestions(&state, &web_ctx, *id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    let mut suggest_times = Vec::with_capacity(needs.len());
    let mut kept_times = Vec::with_capacity(needs.len());
    let mut read_times = Vec::with_capacity(needs.len());
    let mut similar_times = Vec::with_capacity(needs.len());
    let mut suggested = 0;
    for (id, text) in needs.iter().zip(&need_texts) {
        let t = Instant::now();
        sync.index.similar(text, &similar_query)?;
        similar_times.push(t.elapsed());
        // Computed: nothing kept yet (a view after the index changed).
        let cold = App {
            suggestions: Default::default(),
            ..state.clone()
        };
        let t = Instant::now();
        let s = matching::suggestions(&cold, &web_ctx, *id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        suggest_times.push(t.elapsed());
        suggested += s.len();
        // Kept: what every other view costs.
        let t = Instant::now();
        let k = matching::suggestions(&state, &web_ctx, *id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        kept_times.push(t.elapsed());
        anyhow::ensure!(
            k.iter().map(|x| x.listing.id).collect::<Vec<_>>()
                == s.iter().map(|x| x.listing.id).collect::<Vec<_>>(),
            "kept suggestions differ from computed ones"
        );
        // Baseline: reading the listing.
        let t = Instant::now();
        market::get(&state, Some(&web_ctx), *id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        read_times.push(t.elapsed());
    }
    let http = over_http(&db, &state, &needs, &admin.password).await?;
    // Of the suggestions' cost: the owners' activity (listings published in the last year), for
    // 40 owners as for 40 candidates.
    let mut activity_times = Vec::with_capacity(needs.len());
    let since = now - 365 * 86_400_000;
    for k in 0..needs.len() {
        let owners: Vec<i64> = (0..40).map(|j| orgs[(k * 40 + j) % orgs.len()]).collect();
        let t = Instant::now();
        fruition_store::matching::activity(
            &db,
            &owners,
            since,
            fruition_domain::matching::ACTIVITY_CAP,
        )
        .await?;
        activity_times.push(t.elapsed());
    }
    let mem_queried = memory("after the searches and suggestions");

    let total_rows = db_rows(&db).await?;
    let loaded = generating + inserting;
    let table = [
        format!("\n### {engine}: {n} published listings\n"),
        "| step | figure |".into(),
        "|---|---|".into(),
        format!(
            "| bulk load (`bulk::listings`, {total_rows} listings + their change rows) | {:.1} s ({:.0} listings/s; generating the text {:.1} s of it) |",
            loaded.as_secs_f64(),
            n as f64 / loaded.as_secs_f64().max(1e-9),
            generating.as_secs_f64()
        ),
        format!(
            "| index build (`SearchSync::rebuild`, on disk) | {indexed} listings in {:.1} s: **{:.0} listings/s** |",
            rebuilt.as_secs_f64(),
            indexed as f64 / rebuilt.as_secs_f64().max(1e-9)
        ),
        String::new(),
        "| top 10 (ms) | n | p50 | p99 | max | mean |".into(),
        "|---|---|---|---|---|---|".into(),
        row("`actions::market::search` (web layer)", &web_times),
        row(
            "baseline: `SearchIndex::search` (engine alone)",
            &engine_times,
        ),
        row(
            "`actions::matching::suggestions` (one need), computed (first view after a change)",
            &suggest_times,
        ),
        row(
            "`actions::matching::suggestions`, kept (every other view)",
            &kept_times,
        ),
        row(
            "baseline: `actions::market::get` (reading the listing)",
            &read_times,
        ),
        row(
            "baseline: `SearchIndex::similar`, 40 candidates",
            &similar_times,
        ),
        row(
            "of the suggestions: owners' activity (`store::matching::activity`, 40 owners)",
            &activity_times,
        ),
        String::new(),
        format!(
            "{} queries ({} with filters), {empty} with no hits; {} suggestions for {} needs.",
            params.len(),
            params.len() / 2,
            suggested,
            needs.len()
        ),
        String::new(),
        http,
        String::new(),
        "| memory (MB) | VmRSS | RssAnon | RssFile | VmHWM |".into(),
        "|---|---|---|---|---|".into(),
        mem_loaded,
        mem_indexed,
        mem_queried,
        format!(
            "\nIndex on disk: {:.0} MB.",
            dir_size(&dir) as f64 / 1_048_576.0
        ),
    ];
    println!("{}", table.join("\n"));
    drop(state);
    drop(sync);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// HTTP clients at once in the over-HTTP runs, and how long each run lasts.
const HTTP_CLIENTS: usize = 8;
const HTTP_RUN: Duration = Duration::from_secs(5);

/// `HTTP_CLIENTS` clients fetch `paths` in turn for `HTTP_RUN`; every answer must be 200.
/// How a benchmark client signs its requests.
#[derive(Clone)]
enum Auth {
    Anonymous,
    /// An API token (`Authorization: Bearer`).
    Token(String),
    /// A browser's session cookie.
    Session(String),
}

impl Auth {
    /// `req` signed as this client signs.
    fn sign(&self, req: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match self {
            Auth::Anonymous => req,
            Auth::Token(t) => req.bearer_auth(t),
            Auth::Session(cookie) => req.header(
                reqwest::header::COOKIE,
                format!(
                    "{}={cookie}",
                    fruition_web::cookies::session_cookie_name(false)
                ),
            ),
        }
    }
}

async fn rate(base: &str, auth: &Auth, paths: &[String]) -> anyhow::Result<String> {
    let client = reqwest::Client::new();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..HTTP_CLIENTS {
        let client = client.clone();
        let urls: Vec<String> = paths.iter().map(|p| format!("{base}{p}")).collect();
        let auth = auth.clone();
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::new();
            let mut k = c;
            while started.elapsed() < HTTP_RUN {
                let req = auth.sign(client.get(&urls[k % urls.len()]));
                let t = Instant::now();
                let res = req.send().await?;
                let status = res.status();
                let _ = res.bytes().await?;
                times.push(t.elapsed());
                anyhow::ensure!(
                    status.is_success(),
                    "{} answered {status}",
                    urls[k % urls.len()]
                );
                k += 1;
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
    Ok(format!(
        "{:.0} req/s, p50 {:.2} ms, p99 {:.2} ms",
        times.len() as f64 / wall.as_secs_f64(),
        ms(times[times.len() / 2]),
        ms(times[((times.len() as f64 - 1.0) * 0.99).round() as usize])
    ))
}

/// A listing's page (anonymous and signed in, with its suggestions) and `/matches` against a
/// listing read, over HTTP with `HTTP_CLIENTS` clients, for the needs (suggestions kept).
async fn over_http(
    db: &Db,
    state: &App,
    needs: &[i64],
    admin_password: &str,
) -> anyhow::Result<String> {
    // The administrator's one-time password is done with, so the token may be used.
    let sql = "UPDATE users SET must_change_password = FALSE WHERE login = 'benchadmin'";
    match db {
        Db::Sqlite(p) => {
            sqlx::query(sql).execute(p).await?;
        }
        Db::Postgres(p) => {
            sqlx::query(sql).execute(p).await?;
        }
    }
    let token = Auth::Token(fruition::bootstrap::create_token(db, "benchadmin", "bench").await?);
    let session = Auth::Session(
        fruition_app::session::sign_in(state, "benchadmin", admin_password, "127.0.0.1", None)
            .await
            .map_err(|e| anyhow::anyhow!("signing in: {e:?}"))?
            .token,
    );
    let server = fruition::server::start(
        fruition_web::AppState::new(state.clone(), Default::default()),
        "127.0.0.1:0",
    )
    .await?;
    let base = format!("http://{}", server.addr);
    let pages: Vec<String> = needs
        .iter()
        .map(|id| format!("/market/listings/{id}"))
        .collect();
    let reads: Vec<String> = needs
        .iter()
        .map(|id| format!("/api/v1/listings/{id}"))
        .collect();
    let matches: Vec<String> = needs
        .iter()
        .map(|id| format!("/api/v1/listings/{id}/matches"))
        .collect();
    // Suggestions computed (nothing kept: the first view after a change), one request at a
    // time, each need once, on a server whose kept suggestions start empty. Baseline in the
    // same run: `similar` as before session 15 (`use_previous_similar`). A first pass warms the
    // index pages for both.
    let mut computed = Vec::new();
    for (label, previous) in [
        ("warm-up", true),
        ("baseline: `similar` as before session 15", true),
        ("session 15", false),
    ] {
        state.search.index.use_previous_similar(previous);
        let cold = App {
            suggestions: Default::default(),
            ..state.clone()
        };
        let server = fruition::server::start(
            fruition_web::AppState::new(cold, Default::default()),
            "127.0.0.1:0",
        )
        .await?;
        let client = reqwest::Client::new();
        let base = format!("http://{}", server.addr);
        let mut times = Vec::with_capacity(matches.len());
        for path in &matches {
            let t = Instant::now();
            let res = token
                .sign(client.get(format!("{base}{path}")))
                .send()
                .await?;
            let status = res.status();
            let _ = res.bytes().await?;
            times.push(t.elapsed());
            anyhow::ensure!(status.is_success(), "{path} answered {status}");
        }
        server.task.abort();
        if label != "warm-up" {
            computed.push(row(
                &format!(
                    "`GET /api/v1/listings/{{id}}/matches`, computed, one at a time ({label})"
                ),
                &times,
            ));
        }
    }
    state.search.index.use_previous_similar(false);
    let anonymous = rate(&base, &Auth::Anonymous, &pages).await?;
    let signed_in = rate(&base, &token, &pages).await?;
    let browser = rate(&base, &session, &pages).await?;
    let read = rate(&base, &token, &reads).await?;
    let kept = rate(&base, &token, &matches).await?;
    server.task.abort();
    Ok([
        format!(
            "| over HTTP, {HTTP_CLIENTS} clients, {} needs, {} s each | figure |",
            needs.len(),
            HTTP_RUN.as_secs()
        ),
        "|---|---|".into(),
        format!(
            "| a need's page, signed in with an API token (the owner's view, with suggestions) | {signed_in} |"
        ),
        format!(
            "| the same page, signed in with a browser session (its look-up and the navigation's facts on each request) | {browser} |"
        ),
        format!("| baseline: the same page, anonymous | {anonymous} |"),
        format!("| `GET /api/v1/listings/{{id}}/matches` | {kept} |"),
        format!("| baseline: `GET /api/v1/listings/{{id}}` | {read} |"),
        String::new(),
        "| computed over HTTP (ms) | n | p50 | p99 | max | mean |".into(),
        "|---|---|---|---|---|---|".into(),
        computed.join("\n"),
    ]
    .join("\n"))
}

async fn db_rows(db: &Db) -> anyhow::Result<i64> {
    Ok(fruition_store::market::last_change_id(db).await?)
}

fn dir_size(path: &std::path::Path) -> u64 {
    std::fs::read_dir(path)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| match e.metadata() {
                    Ok(m) if m.is_dir() => dir_size(&e.path()),
                    Ok(m) => m.len(),
                    Err(_) => 0,
                })
                .sum()
        })
        .unwrap_or(0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let n: usize = std::env::var("FRUITION_BENCH_LISTINGS")
        .ok()
        .and_then(|s| s.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    // FRUITION_BENCH_KEEP=<folder>: the SQLite database is made there as a server's data folder
    // (`fruition.db`) and kept, for `bench/market-memory.sh` to serve it under a memory limit.
    let keep = std::env::var_os("FRUITION_BENCH_KEEP").map(std::path::PathBuf::from);
    let dir = keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("fruition-bench-market-{}", std::process::id()))
    });
    // FRUITION_BENCH_SKIP_SQLITE=1: PostgreSQL only.
    if std::env::var("FRUITION_BENCH_SKIP_SQLITE").is_err() {
        std::fs::create_dir_all(&dir)?;
        let sqlite = Db::open_sqlite(&dir.join("fruition.db")).await?;
        let result = measure("SQLite", sqlite, n).await;
        if keep.is_none() {
            let _ = std::fs::remove_dir_all(&dir);
        }
        result?;
    }
    match std::env::var("FRUITION_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            let schema = format!("fruition_bench_market_{}", std::process::id());
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
            let result = measure("PostgreSQL", db, n).await;
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
