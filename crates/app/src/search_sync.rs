//! Keeps this app server's market search index in step with the database.
//!
//! The index (`fruition_search`) is derived state: every write to a listing appends a row to the
//! `listing_changes` log in the same transaction, and each server applies the log in order from
//! the last entry it applied (kept in the index's own commit). A write on this server catches up
//! at once, before it answers; a background task polls every [`POLL`] for other servers' writes.
//!
//! Log ids are allotted when a row is inserted, not when its transaction commits, so on
//! PostgreSQL a slow transaction can commit an id lower than one already applied. Each catch-up
//! therefore also re-reads the entries of the last [`LATE_WINDOW_MS`] and applies any it has not
//! seen; applying is idempotent (the listing is read as it now is).

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use fruition_search::{Change, ListingDoc, SearchIndex};
use fruition_store::market::{self, Listing};
use fruition_store::{Db, clock};
use tokio::sync::Mutex;

/// How often the background task looks for other servers' changes.
pub const POLL: Duration = Duration::from_millis(200);
/// How far back to look for entries committed late with lower ids.
pub const LATE_WINDOW_MS: i64 = 10_000;
const BATCH: i64 = 2_000;
/// Listings read at a time when rebuilding.
const PAGE: i64 = 5_000;

/// This server's index and where it stands in the change log.
pub struct SearchSync {
    pub index: SearchIndex,
    /// Log ids applied within the late window (and beyond: pruned by age).
    recent: Mutex<BTreeSet<(i64, i64)>>,
    /// Counts the changes made to the index (every apply and rebuild). What is computed from the
    /// index, such as the kept suggestions (`matching`), holds while this has not moved.
    generation: AtomicU64,
}

impl SearchSync {
    /// An index kept in memory (tests, the command line).
    pub fn in_ram() -> Arc<SearchSync> {
        Arc::new(SearchSync {
            index: SearchIndex::in_ram().expect("an in-memory index can always be made"),
            recent: Mutex::default(),
            generation: AtomicU64::new(0),
        })
    }

    /// Follows the change log into `index`.
    pub fn with_index(index: SearchIndex) -> Arc<SearchSync> {
        Arc::new(SearchSync {
            index,
            recent: Mutex::default(),
            generation: AtomicU64::new(0),
        })
    }

    /// The index in `dir`, created if missing; one from another version, or damaged, is started
    /// again empty and rebuilt by the first catch-up.
    pub fn open(dir: &Path) -> anyhow::Result<Arc<SearchSync>> {
        let index = match SearchIndex::open_or_create(dir) {
            Ok(i) => i,
            Err(e) if e.needs_rebuild() => {
                tracing::warn!(error = %e, dir = %dir.display(), "the search index is from another version or damaged; rebuilding it");
                SearchIndex::recreate(dir)?
            }
            Err(e) => return Err(e.into()),
        };
        Ok(Arc::new(SearchSync {
            index,
            recent: Mutex::default(),
            generation: AtomicU64::new(0),
        }))
    }

    /// How many times the index has changed (see the field): equal numbers, same index.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::SeqCst)
    }

    /// Applies every change committed since the last catch-up. Errors are logged, not returned:
    /// the write that triggered it has committed, and the next poll tries again.
    pub async fn catch_up(self: &Arc<Self>, db: &Db) {
        if let Err(e) = self.try_catch_up(db).await {
            tracing::warn!(error = %e, "the search index could not catch up");
        }
    }

    async fn try_catch_up(self: &Arc<Self>, db: &Db) -> anyhow::Result<()> {
        let mut recent = self.recent.lock().await;
        let cursor = self.index.applied_up_to();
        if cursor == 0 && recent.is_empty() {
            // A new index over a database with history: rebuilding is faster than replaying.
            let last = market::last_change_id(db).await?;
            if last > 0 {
                drop(recent);
                self.rebuild(db).await?;
                return Ok(());
            }
        }
        let now = clock::now_ms();
        let mut pending: Vec<(i64, i64, i64)> = Vec::new();
        for c in market::changes_since(db, now - LATE_WINDOW_MS).await? {
            if c.id <= cursor && !recent.contains(&(c.at, c.id)) {
                pending.push((c.id, c.listing_id, c.at));
            }
        }
        let mut up_to = cursor;
        loop {
            let batch = market::changes_after(db, up_to, BATCH).await?;
            let done = (batch.len() as i64) < BATCH;
            for c in &batch {
                pending.push((c.id, c.listing_id, c.at));
                up_to = up_to.max(c.id);
            }
            if done {
                break;
            }
        }
        if pending.is_empty() {
            return Ok(());
        }
        let mut ids: Vec<i64> = pending.iter().map(|p| p.1).collect();
        ids.sort_unstable();
        ids.dedup();
        let listings = market::get_many(db, &ids).await?;
        let changes: Vec<Change> = ids
            .iter()
            .map(|id| match listings.iter().find(|l| l.id == *id) {
                Some(l) if l.status.is_public() => Change::Upsert(doc(l)),
                _ => Change::Remove(*id),
            })
            .collect();
        let this = Arc::clone(self);
        tokio::task::spawn_blocking(move || this.index.apply(changes, up_to)).await??;
        self.generation.fetch_add(1, Ordering::SeqCst);
        for (id, _, at) in pending {
            recent.insert((at, id));
        }
        let horizon = now - 2 * LATE_WINDOW_MS;
        *recent = recent.split_off(&(horizon, i64::MIN));
        Ok(())
    }

    /// Rebuilds the index from the published listings (`fruition reindex`, or a new index).
    pub async fn rebuild(self: &Arc<Self>, db: &Db) -> anyhow::Result<usize> {
        let mut recent = self.recent.lock().await;
        // Read the log's end first: changes made while reading are applied again afterwards.
        let up_to = market::last_change_id(db).await?;
        // The listings stream into the index a page at a time, so memory stays bounded
        // whatever their number.
        let (tx, mut rx) = tokio::sync::mpsc::channel::<ListingDoc>(PAGE as usize);
        let this = Arc::clone(self);
        let indexing = tokio::task::spawn_blocking(move || {
            this.index
                .rebuild(std::iter::from_fn(|| rx.blocking_recv()), up_to)
        });
        let mut after = 0;
        let read: anyhow::Result<()> = async {
            loop {
                let page = market::published_after(db, after, PAGE).await?;
                let Some(last) = page.last() else {
                    return Ok(());
                };
                after = last.id;
                for l in &page {
                    if tx.send(doc(l)).await.is_err() {
                        return Ok(()); // the index stopped; its error is reported below
                    }
                }
            }
        }
        .await;
        drop(tx);
        let built = indexing.await;
        // Whatever happened, the index is not the one it was.
        self.generation.fetch_add(1, Ordering::SeqCst);
        let built = built?;
        if let Err(e) = read {
            // A partial index must not claim to be up to date: empty it, so the next catch-up
            // rebuilds it again.
            let this = Arc::clone(self);
            let emptied =
                tokio::task::spawn_blocking(move || this.index.rebuild(std::iter::empty(), 0))
                    .await;
            self.generation.fetch_add(1, Ordering::SeqCst);
            emptied??;
            return Err(e);
        }
        let n = built?;
        recent.clear();
        Ok(n)
    }
}

/// Catches up every [`POLL`], for as long as the process runs.
pub fn spawn(sync: Arc<SearchSync>, db: Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(POLL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            sync.catch_up(&db).await;
        }
    });
}

/// What the index holds of a listing: its words (title, summary, body and the kind's own
/// texts) and the facts the filters use.
pub fn doc(l: &Listing) -> ListingDoc {
    let details: fruition_domain::market::Details =
        serde_json::from_str(&l.details).unwrap_or_default();
    let mut body = String::with_capacity(l.summary.len() + l.body.len() + 64);
    body.push_str(&l.summary);
    for extra in [
        Some(l.body.as_str()),
        details.indicators.as_deref(),
        details.expert_title.as_deref(),
        details.affiliation.as_deref(),
        details.preferences.as_deref(),
        details.issuing_body.as_deref(),
        details.applies_to.as_deref(),
    ]
    .into_iter()
    .flatten()
    .filter(|s| !s.is_empty())
    {
        body.push('\n');
        body.push_str(extra);
    }
    if !details.inventors.is_empty() {
        body.push('\n');
        body.push_str(&details.inventors.join("、"));
    }
    ListingDoc {
        id: l.id,
        kind: l.kind.code().to_string(),
        title: l.title.clone(),
        body,
        field: l.tech_field.clone().unwrap_or_default(),
        chain: l.chain_code.clone().unwrap_or_default(),
        county_code: l.county_code.clone().unwrap_or_default(),
        trl: l.trl.and_then(|t| u8::try_from(t).ok()),
        price_k: l.price_k,
        transfer_modes: l
            .modes
            .split(',')
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        org_id: l.org_id,
        published_at: l.published_at.unwrap_or(l.updated_at),
    }
}
