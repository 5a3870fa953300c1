//! Matching suggestions kept per listing between changes to this server's search index
//! (`matching::suggestions` computes and reads them; `search_sync` moves the generation).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fruition_domain::matching::{Reason, Verdict};

use crate::fresh::Fresh;
use crate::listing::ListingView;

/// How many listings' suggestions a server keeps (each the views of up to ten listings, their
/// scores and reasons: a few KB per listing shown, some 30 KB at most per entry).
pub const KEPT_LISTINGS: usize = 500;
/// How long kept suggestions hold even when the index has not changed: the owners' activity
/// (listings of the last year) and the reference data's names age without a change to the index.
pub const KEPT_FOR: Duration = Duration::from_secs(10 * 60);

/// One listing's scored candidates, as computed.
#[derive(Clone)]
pub(crate) struct KeptEntry {
    /// The index's generation it was computed on (`SearchSync::generation`).
    pub generation: u64,
    /// The candidates the owner had rejected then (sorted): they are left out of the search.
    pub rejected: Vec<i64>,
    /// The candidates the owner had marked interested then (sorted): they taught the ranking.
    pub liked: Vec<i64>,
    pub at: Instant,
    /// Each suggested listing as shown then (its view: status and `updated_at` included), with
    /// its score, confidence and reasons.
    pub scored: Vec<(ListingView, f32, f32, Vec<Reason>)>,
}

/// Suggestions kept per listing, so that a listing's page and `/matches` do not search and score
/// on every view. They are computed again when the index has changed since (every write to a
/// listing, on any server, reaches the index through the change log and moves its generation:
/// a new, edited or withdrawn candidate, or the listing itself), when the owner's verdicts
/// differ, or after [`KEPT_FOR`]. Any change to the index counts, because every new listing
/// moves the text statistics that rank all candidates: kept suggestions are always what
/// computing them now would give. Each view reads the owner's verdicts afresh and checks the
/// kept listings' status and last change, in one light statement
/// (`store::matching::verdicts_and_versions`; the index of this server may be a poll behind
/// another server's write), so one hidden or edited a moment ago is never shown as it was: they
/// are computed again. That statement's answer is itself kept while this process writes
/// nothing (`crate::fresh`: a verdict, an edit or a withdrawal made here shows at once; one made
/// on another server within two seconds). The names in the views (the owner's, the chain's) age
/// at most [`KEPT_FOR`]. At most [`KEPT_LISTINGS`] listings.
pub struct KeptSuggestions {
    entries: Mutex<HashMap<i64, Arc<KeptEntry>>>,
    checks: Fresh<i64, Arc<Checks>>,
}

/// What a view of kept suggestions checks (`store::matching::verdicts_and_versions`): the
/// owner's verdicts, and the status and last change of the kept listings `ids`.
pub(crate) struct Checks {
    pub ids: Vec<i64>,
    pub verdicts: Vec<(i64, Verdict)>,
    pub versions: Vec<(i64, String, i64)>,
}

impl Default for KeptSuggestions {
    fn default() -> Self {
        KeptSuggestions {
            entries: Mutex::default(),
            checks: Fresh::new(KEPT_LISTINGS),
        }
    }
}

impl KeptSuggestions {
    /// The suggestions kept for `listing_id` on the index's `generation`, if not too old (the
    /// caller checks that the owner's verdicts and the kept listings are what they were).
    pub(crate) fn get(&self, listing_id: i64, generation: u64) -> Option<Arc<KeptEntry>> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .get(&listing_id)
            .filter(|e| e.generation == generation && e.at.elapsed() < KEPT_FOR)
            .cloned()
    }

    pub(crate) fn put(&self, listing_id: i64, entry: Arc<KeptEntry>) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= KEPT_LISTINGS && !entries.contains_key(&listing_id) {
            // Full: forget what no longer holds; if all still holds, the oldest tenth.
            entries.retain(|_, e| e.generation == entry.generation && e.at.elapsed() < KEPT_FOR);
            if entries.len() >= KEPT_LISTINGS {
                let mut ages: Vec<(Instant, i64)> =
                    entries.iter().map(|(id, e)| (e.at, *id)).collect();
                ages.sort_unstable();
                for (_, id) in ages.into_iter().take(KEPT_LISTINGS / 10) {
                    entries.remove(&id);
                }
            }
        }
        entries.insert(listing_id, entry);
    }

    /// The checks of `listing_id`'s kept suggestions `ids`, if read since this process last wrote.
    pub(crate) fn checks(&self, listing_id: i64, ids: &[i64]) -> Option<Arc<Checks>> {
        self.checks.get(&listing_id).filter(|c| c.ids == ids)
    }

    /// Keeps the checks read after `fruition_store::writes()` was `writes_before`.
    pub(crate) fn put_checks(&self, listing_id: i64, writes_before: u64, checks: Arc<Checks>) {
        self.checks.put(listing_id, writes_before, checks);
    }

    /// How many listings' suggestions are kept (tests, metrics).
    pub fn len(&self) -> usize {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
