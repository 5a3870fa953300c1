//! Matching on real text (issue 17): the judged set in `bench/judged/` (real enterprise
//! technology needs, real achievements, grades given by reading both texts) loaded as published
//! listings into a fresh SQLite platform, and each need's achievements ranked by
//!
//! - (a) `GET /api/v1/listings/{need}/matches` (the suggestions),
//! - (b) `GET /api/v1/listings?q=<need title>&kind=achievement`,
//! - (c) `POST /api/v1/listings/search` with the need's title and description, kind achievement,
//! - (d) jieba + BM25 (Okapi, k1 1.5, b 0.75; jieba's search-mode words, punctuation dropped),
//!   need title + description against achievement title + summary, computed here,
//! - (e) SQLite FTS5 `bm25()` over the same words (any of the need's words),
//! - (f) and (g): (a) and (c) on a second platform with the synonym dictionary switched off.
//!
//! Reported per method: nDCG@10 (gain 2^grade − 1, log2 discount, ideal from all judged grades of
//! the need, unjudged = 0) over the needs that have a relevant achievement, judged@10 and
//! judged@20; and, for the needs with none, how many suggestions (a) still gives.
//!
//! Run: `cargo bench -p fruition --bench matching_real`. The table is printed and written to
//! `bench/out/matching_real.md`. `FRUITION_BENCH_UNJUDGED=<file>` writes every (need,
//! achievement) pair in any method's top 20 that `qrels.tsv` lacks, with both texts, for grading.

#[path = "matching_real/metrics.rs"]
mod metrics;
#[path = "matching_real/verdicts.rs"]
mod verdicts;

mod common;
use common::uscc;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Instant;

use fruition_app::search_sync::SearchSync;
use fruition_app::{App, Settings};
use fruition_domain::org::OrgKind;
use fruition_store::Db;
use fruition_store::audit::AuditCtx;
use fruition_store::bulk::{self, ListingRow};
use fruition_store::organisations::{self, OrgProfile};
use metrics::{Qrels, judged_at, ndcg_at, paired, read_tsv};
use serde_json::Value;
use sqlx::{Connection, Row, SqliteConnection};

/// The first need added after the ranking's knobs (coverage × 3, the title counted twice) and
/// the confidence's coefficients were chosen on the needs before it.
const HELD_OUT_FROM: &str = "N040";
/// Ranks kept per method.
const DEPTH: usize = 20;
const K: usize = 10;
const BM25_K1: f64 = 1.5;
const BM25_B: f64 = 0.75;

/// The national technical field (技术领域, as in technology contract registration) → one of the
/// city's industrial chains, because a listing still needs a chain to be published. A fixed,
/// admittedly rough table until listings carry the field itself (issue 17, item 4).
const FIELD_TO_CHAIN: [(&str, &str); 12] = [
    ("电子信息", "electronic_information"),
    ("先进制造", "advanced_manufacturing"),
    ("航空航天", "aviation"),
    ("现代交通", "rail_transit"),
    ("生物医药", "medical_devices"),
    ("新材料", "new_materials"),
    ("新能源与节能", "new_energy"),
    ("环境保护与资源综合利用", "new_materials"),
    ("城市建设与社会发展", "information_technology"),
    ("农业", "medical_devices"),
    ("核应用", "new_energy"),
    ("其他", "advanced_manufacturing"),
];

fn chain_of(field: &str) -> anyhow::Result<&'static str> {
    FIELD_TO_CHAIN
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, c)| *c)
        .ok_or_else(|| anyhow::anyhow!("unknown technical field {field:?}"))
}

#[derive(Debug, Clone)]
struct Item {
    id: String,
    title: String,
    text: String,
    field: String,
    enterprise: bool,
}

fn judged_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/judged")
}

fn load(file: &str, text_col: &str) -> anyhow::Result<Vec<Item>> {
    let path = judged_dir().join(file);
    let text =
        std::fs::read_to_string(&path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for row in read_tsv(&text) {
        let get = |k: &str| row.get(k).cloned().unwrap_or_default();
        let id = get("id");
        anyhow::ensure!(seen.insert(id.clone()), "{file}: id {id} twice");
        anyhow::ensure!(
            !get("title").is_empty() && !get("source").is_empty(),
            "{file}: {id} lacks a title or a source"
        );
        chain_of(&get("field"))?;
        out.push(Item {
            id,
            title: get("title"),
            text: get(text_col),
            field: get("field"),
            enterprise: text_col == "description" || get("holder_kind") == "enterprise",
        });
    }
    Ok(out)
}

/// jieba's search-mode words, lower-cased, with tokens of punctuation or blanks only dropped.
fn words(jieba: &jieba_rs::Jieba, text: &str) -> Vec<String> {
    jieba
        .cut_for_search(text, true)
        .into_iter()
        .filter(|t| t.word.chars().any(char::is_alphanumeric))
        .map(|t| t.word.to_lowercase())
        .collect()
}

/// Okapi BM25 over the achievements' words.
struct Bm25 {
    docs: Vec<HashMap<String, usize>>,
    lens: Vec<usize>,
    avg: f64,
    df: HashMap<String, usize>,
}

impl Bm25 {
    fn new(docs: &[Vec<String>]) -> Bm25 {
        let mut df: HashMap<String, usize> = HashMap::new();
        let mut tfs = Vec::with_capacity(docs.len());
        for d in docs {
            let mut tf: HashMap<String, usize> = HashMap::new();
            for w in d {
                *tf.entry(w.clone()).or_default() += 1;
            }
            for w in tf.keys() {
                *df.entry(w.clone()).or_default() += 1;
            }
            tfs.push(tf);
        }
        let lens: Vec<usize> = docs.iter().map(Vec::len).collect();
        let avg = lens.iter().sum::<usize>() as f64 / lens.len().max(1) as f64;
        Bm25 {
            docs: tfs,
            lens,
            avg,
            df,
        }
    }

    /// Scores every document for the query's words (each occurrence of a word in the query counts,
    /// as rank_bm25 does); returns indices best first, ties by index, zero scores left out.
    fn rank(&self, query: &[String]) -> Vec<usize> {
        let n = self.docs.len() as f64;
        let mut scores = vec![0.0f64; self.docs.len()];
        for w in query {
            let df = self.df.get(w).copied().unwrap_or(0) as f64;
            if df == 0.0 {
                continue;
            }
            let idf = ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
            for (i, tf) in self.docs.iter().enumerate() {
                if let Some(f) = tf.get(w) {
                    let f = *f as f64;
                    let norm = BM25_K1 * (1.0 - BM25_B + BM25_B * self.lens[i] as f64 / self.avg);
                    scores[i] += idf * f * (BM25_K1 + 1.0) / (f + norm);
                }
            }
        }
        let mut order: Vec<usize> = (0..scores.len()).filter(|i| scores[*i] > 0.0).collect();
        order.sort_by(|a, b| scores[*b].total_cmp(&scores[*a]).then(a.cmp(b)));
        order
    }
}

/// SQLite FTS5 over the same words: any of the need's distinct words, best `bm25()` first.
async fn fts5_rankings(
    achievements: &[Item],
    ach_words: &[Vec<String>],
    need_words: &[Vec<String>],
) -> anyhow::Result<Vec<Vec<String>>> {
    let mut conn = SqliteConnection::connect("sqlite::memory:").await?;
    sqlx::query(
        "CREATE VIRTUAL TABLE fts USING fts5(body, \
         tokenize = \"unicode61 remove_diacritics 0 tokenchars '-._+#&%'\")",
    )
    .execute(&mut conn)
    .await?;
    for (i, ws) in ach_words.iter().enumerate() {
        sqlx::query("INSERT INTO fts(rowid, body) VALUES ($1, $2)")
            .bind(i as i64)
            .bind(ws.join(" "))
            .execute(&mut conn)
            .await?;
    }
    let mut out = Vec::with_capacity(need_words.len());
    for ws in need_words {
        let distinct: BTreeSet<&String> = ws.iter().collect();
        let expr: Vec<String> = distinct
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        if expr.is_empty() {
            out.push(Vec::new());
            continue;
        }
        let rows = sqlx::query(
            "SELECT rowid FROM fts WHERE fts MATCH $1 ORDER BY bm25(fts), rowid LIMIT $2",
        )
        .bind(expr.join(" OR "))
        .bind(DEPTH as i64)
        .fetch_all(&mut conn)
        .await?;
        out.push(
            rows.iter()
                .map(|r| achievements[r.get::<i64, _>(0) as usize].id.clone())
                .collect(),
        );
    }
    Ok(out)
}

struct Platform {
    db: Db,
    state: App,
    /// Listing id → judged-set id, and back.
    by_listing: HashMap<i64, String>,
    listing_of: HashMap<String, i64>,
    dir: PathBuf,
}

/// A fresh SQLite platform with every need and achievement published, each by an organisation
/// of its own (enterprise for needs and enterprise-held achievements, institution otherwise).
async fn platform(needs: &[Item], achievements: &[Item]) -> anyhow::Result<Platform> {
    let dir = std::env::temp_dir().join(format!("fruition-bench-judged-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let db = Db::open_sqlite(&dir.join("fruition.db")).await?;
    db.migrate().await?;
    let settings = Settings::default();
    fruition::bootstrap::seed_reference(&db, &settings).await?;
    fruition::bootstrap::create_admin(&db, &settings, "benchadmin").await?;
    let ctx = AuditCtx::system("bench");
    let all: Vec<(&Item, &'static str)> = needs
        .iter()
        .map(|n| (n, "need"))
        .chain(achievements.iter().map(|a| (a, "achievement")))
        .collect();
    let mut rows = Vec::with_capacity(all.len());
    let now = fruition_store::clock::now_ms();
    let mut tx = db.begin().await?;
    for (i, (item, kind)) in all.iter().enumerate() {
        let org_kind = if item.enterprise {
            OrgKind::Enterprise
        } else {
            OrgKind::Institution
        };
        let profile = OrgProfile {
            name: format!("评测机构{i:04}"),
            uscc: Some(uscc(700_000_000 + i as u64)),
            ..OrgProfile::default()
        };
        let org = organisations::insert(&mut tx, &ctx, org_kind, &profile)
            .await?
            .id;
        rows.push(ListingRow {
            kind,
            org_id: org,
            title: item.title.clone(),
            summary: item.text.clone(),
            chain_code: Some(chain_of(&item.field)?.to_string()),
            tech_field: fruition_domain::tech_field::TechField::find(&item.field)
                .map(|f| f.code().to_string()),
            county_code: Some("430211".into()),
            trl: None,
            price_k: None,
            modes: String::new(),
            // The same moment for all, so that recency favours none.
            published_at: now - 86_400_000,
        });
    }
    tx.commit().await?;
    let ids = bulk::listings(&db, &rows).await?;
    let mut by_listing = HashMap::new();
    let mut listing_of = HashMap::new();
    for ((item, _), id) in all.iter().zip(&ids) {
        by_listing.insert(*id, item.id.clone());
        listing_of.insert(item.id.clone(), *id);
    }
    let sync = SearchSync::open(&dir.join("index"))?;
    sync.rebuild(&db).await?;
    let state = App::new(db.clone(), settings).with_search(sync);
    Ok(Platform {
        db,
        state,
        by_listing,
        listing_of,
        dir,
    })
}

/// The judged-set ids of the achievements in an answer's `[...].listing.id` (or
/// `hits[...].listing.id`), in order, at most `DEPTH`.
fn achievement_ids(p: &Platform, items: &[Value], achievements: &BTreeSet<String>) -> Vec<String> {
    items
        .iter()
        .filter_map(|v| v["listing"]["id"].as_i64())
        .filter_map(|id| p.by_listing.get(&id))
        .filter(|id| achievements.contains(*id))
        .take(DEPTH)
        .cloned()
        .collect()
}

struct Http {
    client: reqwest::Client,
    base: String,
    token: String,
}

impl Http {
    async fn get(&self, path: &str, query: &[(&str, &str)]) -> anyhow::Result<Value> {
        let res = self
            .client
            .get(format!("{}{path}", self.base))
            .query(query)
            .bearer_auth(&self.token)
            .send()
            .await?;
        let status = res.status();
        let body = res.text().await?;
        anyhow::ensure!(status.is_success(), "GET {path} answered {status}: {body}");
        Ok(serde_json::from_str(&body)?)
    }

    async fn put(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::PUT, path, body).await
    }

    async fn post(&self, path: &str, body: &Value) -> anyhow::Result<Value> {
        self.send(reqwest::Method::POST, path, body).await
    }

    async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: &Value,
    ) -> anyhow::Result<Value> {
        let res = self
            .client
            .request(method.clone(), format!("{}{path}", self.base))
            .json(body)
            .bearer_auth(&self.token)
            .send()
            .await?;
        let status = res.status();
        let text = res.text().await?;
        anyhow::ensure!(
            status.is_success(),
            "{method} {path} answered {status}: {text}"
        );
        Ok(serde_json::from_str(&text)?)
    }
}

const METHODS: [&str; 7] = [
    "(a) GET /api/v1/listings/{need}/matches",
    "(b) GET /api/v1/listings?q=<need title>&kind=achievement",
    "(c) POST /api/v1/listings/search, need title + description",
    "(d) jieba + BM25 (k1 1.5, b 0.75)",
    "(e) SQLite FTS5 bm25(), same words",
    "(f) = (a) without the synonym dictionary",
    "(g) = (c) without the synonym dictionary",
];

fn load_line() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// Methods (a), (b) and (c) over HTTP on a fresh platform holding the judged set, with the
/// synonym dictionary on or off; and for each need whether (a) found a convincing suggestion
/// (else it answers "nothing convincing").
async fn http_rankings(
    needs: &[Item],
    achievements: &[Item],
    ach_ids: &BTreeSet<String>,
    synonyms: bool,
) -> anyhow::Result<([Vec<Vec<String>>; 3], Vec<bool>, Vec<Vec<(String, f64)>>)> {
    let p = platform(needs, achievements).await?;
    p.state.search.index.use_synonyms(synonyms);
    // FRUITION_BENCH_RETRIEVAL_POSTINGS=<n>: the bound on one suggestion's postings, lowered
    // to see what it costs where it binds (the same postings per listing as 300,000 at
    // 1,000,000 listings is about 139 on this set's 463 listings).
    if let Some(bound) = std::env::var("FRUITION_BENCH_RETRIEVAL_POSTINGS")
        .ok()
        .and_then(|v| v.parse().ok())
    {
        p.state.search.index.set_retrieval_postings(bound);
    }
    let sql = "UPDATE users SET must_change_password = FALSE WHERE login = 'benchadmin'";
    if let Db::Sqlite(pool) = &p.db {
        sqlx::query(sql).execute(pool).await?;
    }
    let token = fruition::bootstrap::create_token(&p.db, "benchadmin", "bench").await?;
    let server = fruition::server::start(
        fruition_web::AppState::new(p.state.clone(), Default::default()),
        "127.0.0.1:0",
    )
    .await?;
    let http = Http {
        client: reqwest::Client::new(),
        base: format!("http://{}", server.addr),
        token,
    };
    let mut rankings: [Vec<Vec<String>>; 3] = Default::default();
    let mut convinced: Vec<bool> = Vec::new();
    let mut confidences: Vec<Vec<(String, f64)>> = Vec::new();
    for need in needs {
        let lid = p.listing_of[&need.id];
        let matches = http
            .get(&format!("/api/v1/listings/{lid}/matches"), &[])
            .await?;
        convinced.push(
            matches
                .as_array()
                .is_some_and(|a| a.iter().any(|m| m["convincing"] == true)),
        );
        rankings[0].push(achievement_ids(
            &p,
            matches.as_array().map(Vec::as_slice).unwrap_or(&[]),
            ach_ids,
        ));
        confidences.push(
            matches
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[])
                .iter()
                .filter_map(|m| {
                    let id = p.by_listing.get(&m["listing"]["id"].as_i64()?)?;
                    Some((id.clone(), m["confidence"].as_f64()?))
                })
                .filter(|(id, _)| ach_ids.contains(id))
                .collect(),
        );
        let depth = DEPTH.to_string();
        let by_title = http
            .get(
                "/api/v1/listings",
                &[
                    ("q", need.title.as_str()),
                    ("kind", "achievement"),
                    ("per_page", depth.as_str()),
                ],
            )
            .await?;
        rankings[1].push(achievement_ids(
            &p,
            by_title["hits"]
                .as_array()
                .map(Vec::as_slice)
                .unwrap_or(&[]),
            ach_ids,
        ));
        let whole = http
            .post(
                "/api/v1/listings/search",
                &serde_json::json!({
                    "q": format!("{}\n{}", need.title, need.text),
                    "kind": "achievement",
                    "per_page": DEPTH,
                }),
            )
            .await?;
        rankings[2].push(achievement_ids(
            &p,
            whole["hits"].as_array().map(Vec::as_slice).unwrap_or(&[]),
            ach_ids,
        ));
    }
    server.task.abort();
    let _ = std::fs::remove_dir_all(&p.dir);
    Ok((rankings, convinced, confidences))
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let started = Instant::now();
    let load_before = load_line();
    let needs = load("needs.tsv", "description")?;
    let achievements = load("achievements.tsv", "summary")?;
    let qrels_text = std::fs::read_to_string(judged_dir().join("qrels.tsv"))?;
    let qrels = Qrels::parse(&qrels_text).map_err(|e| anyhow::anyhow!(e))?;
    let need_ids: BTreeSet<String> = needs.iter().map(|n| n.id.clone()).collect();
    let ach_ids: BTreeSet<String> = achievements.iter().map(|a| a.id.clone()).collect();
    for (n, a) in qrels.grades.keys() {
        anyhow::ensure!(need_ids.contains(n), "qrels names an unknown need {n}");
        anyhow::ensure!(
            ach_ids.contains(a),
            "qrels names an unknown achievement {a}"
        );
    }

    // The platform, over HTTP as its users call it; then again without the synonym dictionary
    // (a second platform, its dictionary switched off), to show what it adds.
    let mut rankings: Vec<Vec<Vec<String>>> = vec![Vec::new(); METHODS.len()];
    let (with, convinced, confidences) =
        http_rankings(&needs, &achievements, &ach_ids, true).await?;
    let (without_dictionary, _, _) = http_rankings(&needs, &achievements, &ach_ids, false).await?;
    let [a, b, c] = with;
    let [f, _, g] = without_dictionary;
    rankings[0] = a;
    rankings[1] = b;
    rankings[2] = c;
    rankings[5] = f;
    rankings[6] = g;

    // The baselines, on the same texts.
    let jieba = jieba_rs::Jieba::new();
    let ach_words: Vec<Vec<String>> = achievements
        .iter()
        .map(|a| words(&jieba, &format!("{}\n{}", a.title, a.text)))
        .collect();
    let need_words: Vec<Vec<String>> = needs
        .iter()
        .map(|n| words(&jieba, &format!("{}\n{}", n.title, n.text)))
        .collect();
    let bm25 = Bm25::new(&ach_words);
    for ws in &need_words {
        rankings[3].push(
            bm25.rank(ws)
                .into_iter()
                .take(DEPTH)
                .map(|i| achievements[i].id.clone())
                .collect(),
        );
    }
    rankings[4] = fts5_rankings(&achievements, &ach_words, &need_words).await?;

    // The measures.
    let scored: Vec<usize> = (0..needs.len())
        .filter(|i| qrels.has_relevant(&needs[*i].id))
        .collect();
    let without: Vec<usize> = (0..needs.len())
        .filter(|i| !qrels.has_relevant(&needs[*i].id))
        .collect();
    let mean = |v: &[f64]| {
        if v.is_empty() {
            0.0
        } else {
            v.iter().sum::<f64>() / v.len() as f64
        }
    };
    let mut table = String::new();
    let judged_pairs = qrels.grades.len();
    let relevant_pairs = qrels.grades.values().filter(|g| **g > 0).count();
    writeln!(
        table,
        "Judged set: {} needs ({} with a relevant achievement, {} without), {} achievements, \
         {judged_pairs} judged pairs ({relevant_pairs} graded 1 or 2).\n",
        needs.len(),
        scored.len(),
        without.len(),
        achievements.len()
    )?;
    writeln!(
        table,
        "| method | nDCG@{K} (needs with a relevant achievement) | judged@{K} | judged@{DEPTH} |"
    )?;
    writeln!(table, "|---|---|---|---|")?;
    let mut per_need: Vec<Vec<Option<f64>>> = Vec::new();
    for (m, name) in METHODS.iter().enumerate() {
        let nd: Vec<Option<f64>> = (0..needs.len())
            .map(|i| ndcg_at(&qrels, &needs[i].id, &rankings[m][i], K))
            .collect();
        let scored_nd: Vec<f64> = scored.iter().filter_map(|i| nd[*i]).collect();
        let j10: Vec<f64> = (0..needs.len())
            .map(|i| judged_at(&qrels, &needs[i].id, &rankings[m][i], K))
            .collect();
        let j20: Vec<f64> = (0..needs.len())
            .map(|i| judged_at(&qrels, &needs[i].id, &rankings[m][i], DEPTH))
            .collect();
        writeln!(
            table,
            "| {name} | {:.3} | {:.3} | {:.3} |",
            mean(&scored_nd),
            mean(&j10),
            mean(&j20)
        )?;
        per_need.push(nd);
    }
    // Each method against BM25 (d), need by need: is the gap larger than the set's noise?
    writeln!(
        table,
        "\nAgainst (d), need by need over the {} needs: better / equal / worse, mean difference \
         of nDCG@{K} and its 95 % bootstrap interval (2,000 resamples of the needs):",
        scored.len()
    )?;
    let scores_of = |m: usize| -> Vec<f64> {
        scored
            .iter()
            .map(|i| per_need[m][*i].unwrap_or(0.0))
            .collect()
    };
    for (m, name) in METHODS.iter().enumerate() {
        if m == 3 {
            continue;
        }
        let p = paired(&scores_of(m), &scores_of(3), 2000);
        writeln!(
            table,
            "- {name}: {} / {} / {}, {:+.3} [{:+.3}, {:+.3}]",
            p.wins, p.ties, p.losses, p.mean_diff, p.low, p.high
        )?;
    }
    // The needs added after the ranking's knobs and the confidence were chosen on the first
    // ones: a held-out check of both.
    let held: Vec<usize> = scored
        .iter()
        .copied()
        .filter(|i| needs[*i].id.as_str() >= HELD_OUT_FROM)
        .collect();
    if !held.is_empty() {
        writeln!(
            table,
            "\nHeld out — the {} needs from {HELD_OUT_FROM} on with a relevant achievement, added \
             after the knobs and the confidence were fitted on the earlier ones; nDCG@{K}:",
            held.len()
        )?;
        for (m, name) in METHODS.iter().enumerate() {
            let nd: Vec<f64> = held
                .iter()
                .map(|i| per_need[m][*i].unwrap_or(0.0))
                .collect();
            writeln!(table, "- {name}: {:.3}", mean(&nd))?;
        }
        let held_without: Vec<usize> = without
            .iter()
            .copied()
            .filter(|i| needs[*i].id.as_str() >= HELD_OUT_FROM)
            .collect();
        let nothing = |set: &[usize]| set.iter().filter(|i| !convinced[**i]).count();
        writeln!(
            table,
            "- abstention (a) on them: \"no convincing match\" for {} of {} without a relevant \
             achievement, {} of {} with one.",
            nothing(&held_without),
            held_without.len(),
            nothing(&held),
            held.len()
        )?;
    }
    // What the owners' verdicts teach (`verdicts.rs`).
    let fed = verdicts::residuals(&needs, &achievements, &ach_ids, &qrels).await?;
    let taught: Vec<usize> = (0..needs.len())
        .filter(|i| fed.liked[*i] > 0 && fed.before[*i].is_some())
        .collect();
    let rk = verdicts::RESIDUAL_K;
    writeln!(
        table,
        "\nVerdicts: each need's owner marks the first {} suggestions (interested when graded 1 \
         or 2, off field when 0), then reads them again. nDCG@{rk} on the residual collection \
         (the marked ones left out), over the {} needs that liked at least one and have a \
         relevant achievement left:",
        verdicts::SHOWN,
        taught.len()
    )?;
    for (set, label) in [
        (taught.clone(), "all"),
        (
            taught
                .iter()
                .copied()
                .filter(|i| needs[*i].id.as_str() < HELD_OUT_FROM)
                .collect::<Vec<usize>>(),
            "before N040 (where the weights were chosen)",
        ),
        (
            taught
                .iter()
                .copied()
                .filter(|i| needs[*i].id.as_str() >= HELD_OUT_FROM)
                .collect(),
            "held out",
        ),
    ] {
        if set.is_empty() {
            continue;
        }
        let before: Vec<f64> = set.iter().filter_map(|i| fed.before[*i]).collect();
        let after: Vec<f64> = set.iter().filter_map(|i| fed.after[*i]).collect();
        let p = paired(&after, &before, 2000);
        writeln!(
            table,
            "- {label} ({} needs): rejected ones taken out only {:.3}; taught by the verdicts \
             {:.3}; better / equal / worse {} / {} / {}, {:+.3} [{:+.3}, {:+.3}]",
            set.len(),
            mean(&before),
            mean(&after),
            p.wins,
            p.ties,
            p.losses,
            p.mean_diff,
            p.low,
            p.high
        )?;
    }
    let none_counts: Vec<f64> = without
        .iter()
        .map(|i| rankings[0][*i].len() as f64)
        .collect();
    let some_counts: Vec<f64> = scored
        .iter()
        .map(|i| rankings[0][*i].len() as f64)
        .collect();
    writeln!(
        table,
        "\nSuggestions (a) per need: {:.1} on average for the {} needs with no relevant \
         achievement, {:.1} for the {} with one.",
        mean(&none_counts),
        without.len(),
        mean(&some_counts),
        scored.len()
    )?;
    let nothing = |set: &[usize]| set.iter().filter(|i| !convinced[**i]).count();
    writeln!(
        table,
        "\nAbstention (a): answered \"no convincing match\" for {} of the {} needs with no \
         relevant achievement ({:.0} %), and for {} of the {} needs with one ({:.0} %).",
        nothing(&without),
        without.len(),
        100.0 * nothing(&without) as f64 / without.len().max(1) as f64,
        nothing(&scored),
        scored.len(),
        100.0 * nothing(&scored) as f64 / scored.len().max(1) as f64,
    )?;
    // Is the confidence calibrated? Every suggestion (a) made, its confidence against the
    // judged grade (relevant = 1 or 2), on the needs the coefficients were fitted on and on the
    // held-out ones.
    writeln!(
        table,
        "\nCalibration of the confidence (every suggestion (a) made, graded relevant or not): \
         confidence bin, suggestions, mean confidence, share relevant."
    )?;
    for (label, held_out) in [
        ("before N040 (where it was fitted)", false),
        ("held out (N040 on)", true),
    ] {
        let predictions: Vec<(f64, bool)> = needs
            .iter()
            .zip(&confidences)
            .filter(|(n, _)| (n.id.as_str() >= HELD_OUT_FROM) == held_out)
            .flat_map(|(n, made)| {
                made.iter()
                    .map(|(a, c)| (*c, qrels.grade(&n.id, a).is_some_and(|g| g > 0)))
            })
            .collect();
        let r = metrics::reliability(&predictions, &[0.0, 0.1, 0.2, 0.35, 0.5, 0.7, 1.0]);
        let bins: Vec<String> = r
            .bins
            .iter()
            .filter(|b| b.2 > 0)
            .map(|(from, to, n, mean, share)| {
                format!("{from:.2}–{to:.2}: {n}, {mean:.2}, {share:.2}")
            })
            .collect();
        writeln!(
            table,
            "- {label}: {}; Brier {:.3} over {}",
            bins.join("; "),
            r.brier,
            predictions.len()
        )?;
    }
    writeln!(
        table,
        "\nNeeds without a relevant achievement (left out of nDCG):"
    )?;
    for i in &without {
        writeln!(table, "- {} {}", needs[*i].id, needs[*i].title)?;
    }
    writeln!(table, "\nPer need, nDCG@{K} (a) (b) (c) (d) (e) (f) (g):")?;
    for i in &scored {
        let cells: Vec<String> = per_need
            .iter()
            .map(|nd| nd[*i].map_or("-".into(), |v| format!("{v:.2}")))
            .collect();
        writeln!(
            table,
            "- {} {}: {}",
            needs[*i].id,
            needs[*i].title,
            cells.join(" ")
        )?;
    }
    writeln!(
        table,
        "\nRun: {:.1} s; load average (1, 5, 15 min) before {load_before}, after {}.",
        started.elapsed().as_secs_f64(),
        load_line()
    )?;
    println!("{table}");
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/out");
    std::fs::create_dir_all(&out)?;
    std::fs::write(out.join("matching_real.md"), &table)?;

    // FRUITION_BENCH_SHOW=N009,N039: those needs' top ten by (a) and (d), with grades.
    if let Ok(show) = std::env::var("FRUITION_BENCH_SHOW") {
        let title: BTreeMap<&str, &str> = achievements
            .iter()
            .map(|a| (a.id.as_str(), a.title.as_str()))
            .collect();
        for id in show.split(',') {
            let Some(i) = needs.iter().position(|n| n.id == id.trim()) else {
                continue;
            };
            println!("{} {}", needs[i].id, needs[i].title);
            for m in [0, 3] {
                println!("  {}", METHODS[m]);
                for a in rankings[m][i].iter().take(K) {
                    let grade = qrels
                        .grade(&needs[i].id, a)
                        .map_or("-".to_string(), |g| g.to_string());
                    println!("    {grade} {a} {}", title.get(a.as_str()).unwrap_or(&""));
                }
            }
        }
    }

    // Pairs to grade.
    if let Some(path) = std::env::var_os("FRUITION_BENCH_UNJUDGED") {
        let need_by: BTreeMap<&str, &Item> = needs.iter().map(|n| (n.id.as_str(), n)).collect();
        let ach_by: BTreeMap<&str, &Item> =
            achievements.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut pairs: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for (m, per) in rankings.iter().enumerate() {
            for (i, ranking) in per.iter().enumerate() {
                for (r, a) in ranking.iter().enumerate() {
                    if qrels.grade(&needs[i].id, a).is_none() {
                        pairs
                            .entry((needs[i].id.clone(), a.clone()))
                            .or_default()
                            .push(format!("{}{}", (b'a' + m as u8) as char, r + 1));
                    }
                }
            }
        }
        let mut text = String::from(
            "need_id\tachievement_id\tranks\tneed_title\tneed_description\tachievement_title\tachievement_summary\n",
        );
        for ((n, a), ranks) in &pairs {
            let (need, ach) = (need_by[n.as_str()], ach_by[a.as_str()]);
            writeln!(
                text,
                "{n}\t{a}\t{}\t{}\t{}\t{}\t{}",
                ranks.join(","),
                need.title,
                need.text,
                ach.title,
                ach.text
            )?;
        }
        std::fs::write(&path, text)?;
        println!(
            "{} unjudged pairs written to {}",
            pairs.len(),
            PathBuf::from(path).display()
        );
    }
    Ok(())
}
