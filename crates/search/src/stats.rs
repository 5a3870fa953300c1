//! Term statistics of the live listings only.
//!
//! tantivy counts a deleted document in its segment's statistics (document frequencies, the
//! total of field lengths) until a merge purges it, and an edited listing is a deletion plus an
//! addition. Scored with those statistics, the same listings ranked differently depending on
//! their edit history and on when segments last merged. Every score and key-term weight of this
//! crate reads its statistics through [`LiveStats`] instead, which counts live documents only:
//!
//! - documents: the live ones (`Searcher::num_docs`);
//! - a term's document frequency: the segment's own count where it has no deletions, else its
//!   postings counted against the alive bitset;
//! - a field's length total: the sum of its live documents' field norms (what BM25 compares each
//!   document's norm with), in every segment, so the figure depends on the documents alone.
//!
//! Counts are cached: field-length totals per segment and deletion count (segments are
//! immutable otherwise), document frequencies per searcher generation, at most
//! [`MAX_CACHED_TERMS`] of them.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};

use tantivy::index::SegmentId;
use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocSet, Searcher, SegmentReader, TERMINATED, Term};

/// How many document frequencies one searcher generation keeps before starting over.
pub const MAX_CACHED_TERMS: usize = 100_000;

/// Counts kept between queries.
#[derive(Default)]
pub(crate) struct StatsCache {
    inner: Mutex<Inner>,
}

#[derive(Default)]
struct Inner {
    /// (segment, its deletions, field) → the sum of its live documents' field norms.
    lengths: HashMap<(SegmentId, u32, Field), u64>,
    /// The searcher generation `doc_freq` holds counts for.
    generation: u64,
    doc_freq: HashMap<Term, u64>,
}

impl StatsCache {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves counts that are still correct.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// The statistics of one searcher's live documents.
pub(crate) struct LiveStats<'a> {
    searcher: &'a Searcher,
    cache: &'a StatsCache,
}

impl<'a> LiveStats<'a> {
    pub(crate) fn new(searcher: &'a Searcher, cache: &'a StatsCache) -> LiveStats<'a> {
        LiveStats { searcher, cache }
    }

    /// Live documents.
    pub(crate) fn docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    /// Live documents holding `term`.
    pub(crate) fn df(&self, term: &Term) -> u64 {
        let generation = self.searcher.generation().generation_id();
        {
            let mut inner = self.cache.lock();
            if inner.generation != generation {
                inner.generation = generation;
                inner.doc_freq.clear();
            }
            if let Some(n) = inner.doc_freq.get(term) {
                return *n;
            }
        }
        let n: u64 = self
            .searcher
            .segment_readers()
            .iter()
            .map(|s| segment_df(s, term))
            .sum();
        let mut inner = self.cache.lock();
        if inner.generation == generation {
            if inner.doc_freq.len() >= MAX_CACHED_TERMS {
                inner.doc_freq.clear();
            }
            inner.doc_freq.insert(term.clone(), n);
        }
        n
    }

    fn lengths(&self, field: Field) -> u64 {
        let segments = self.searcher.segment_readers();
        let mut inner = self.cache.lock();
        // Forget segments merged away.
        inner
            .lengths
            .retain(|(id, _, _), _| segments.iter().any(|s| s.segment_id() == *id));
        let mut total = 0;
        for s in segments {
            let key = (s.segment_id(), s.num_deleted_docs(), field);
            let n = match inner.lengths.get(&key) {
                Some(n) => *n,
                None => {
                    let n = segment_lengths(s, field);
                    inner.lengths.insert(key, n);
                    n
                }
            };
            total += n;
        }
        total
    }
}

/// Live documents of one segment holding `term`.
fn segment_df(segment: &SegmentReader, term: &Term) -> u64 {
    let Ok(index) = segment.inverted_index(term.field()) else {
        return 0;
    };
    match segment.alive_bitset() {
        None => index.doc_freq(term).map_or(0, u64::from),
        Some(alive) => {
            let Ok(Some(mut postings)) = index.read_postings(term, IndexRecordOption::Basic) else {
                return 0;
            };
            let mut n = 0;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if alive.is_alive(doc) {
                    n += 1;
                }
                doc = postings.advance();
            }
            n
        }
    }
}

/// The sum of one segment's live documents' field norms for `field` (0 where the field keeps
/// no norms).
fn segment_lengths(segment: &SegmentReader, field: Field) -> u64 {
    let Ok(norms) = segment.get_fieldnorms_reader(field) else {
        return 0;
    };
    segment
        .doc_ids_alive()
        .map(|doc| u64::from(norms.fieldnorm(doc)))
        .sum()
}

impl Bm25StatisticsProvider for LiveStats<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self.lengths(field))
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.docs())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        Ok(self.df(term))
    }
}
