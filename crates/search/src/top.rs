//! The top hits of a text query under filters, with the filters checked last.
//!
//! A filtered query (the filters required beside the text, as [`SearchIndex::search`] builds it)
//! walks the intersection of the text's union with every filter, and a count beside the top k
//! scores every match again. For `similar` (a need's key terms, most listings hold some of them)
//! that walk was the cost: 23 ms at a million listings.
//!
//! [`FilteredTop`] walks the text's union alone (tantivy's buffered union, which scores blocks of
//! documents at once), counts nothing, and checks the filters only for a document whose score
//! beats the k-th best so far, walking the filters forward alongside (documents arrive in order
//! within a segment, so each filter posting is read at most once). The answer is the same top k.
//! tantivy's block-max WAND pruning (`Weight::for_each_pruning`) was measured here too and was
//! slower at a million listings (40 terms: 82 against 11.5 ms; 16 terms: 8.3 against 2.5 ms):
//! with tens of terms its per-document pivoting costs more than it skips. See bench/README.md,
//! session 15.
//!
//! [`SearchIndex::search`]: crate::SearchIndex::search

use std::cmp::Ordering;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, TERMINATED};

/// The `limit` best documents after `offset`, by score (ties: by address), among those the
/// `filter` matches (all when `None`).
pub(crate) struct FilteredTop {
    pub offset: usize,
    pub limit: usize,
    pub filter: Option<Box<dyn Weight>>,
}

/// The k best seen so far, worst first when full (a small sorted vector: k is tens).
struct Best {
    k: usize,
    /// Best first.
    docs: Vec<(Score, DocId)>,
}

impl Best {
    fn new(k: usize) -> Self {
        Best {
            k,
            docs: Vec::with_capacity(k + 1),
        }
    }

    fn order(a: &(Score, DocId), b: &(Score, DocId)) -> Ordering {
        b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
    }

    fn push(&mut self, score: Score, doc: DocId) {
        if self.k == 0 {
            return;
        }
        let entry = (score, doc);
        let at = self
            .docs
            .partition_point(|e| Self::order(e, &entry) == Ordering::Less);
        if at >= self.k {
            return;
        }
        self.docs.insert(at, entry);
        self.docs.truncate(self.k);
    }

    /// The score a document must beat to enter (documents arrive in increasing order, so an
    /// equal score loses to the one already kept).
    fn threshold(&self) -> Score {
        if self.docs.len() < self.k {
            Score::MIN
        } else {
            self.docs.last().map_or(Score::MIN, |e| e.0)
        }
    }
}

/// Whether `filter` (walked forward only) holds `doc`.
fn holds(filter: &mut Option<Box<dyn Scorer>>, doc: DocId) -> bool {
    match filter {
        None => true,
        Some(f) => {
            let at = f.doc();
            at == doc || (at != TERMINATED && at < doc && f.seek(doc) == doc)
        }
    }
}

impl FilteredTop {
    fn filter_scorer(&self, reader: &SegmentReader) -> tantivy::Result<Option<Box<dyn Scorer>>> {
        self.filter
            .as_ref()
            .map(|w| w.scorer(reader, 1.0))
            .transpose()
    }
}

pub(crate) struct SegmentTop {
    ord: u32,
    best: Best,
    filter: Option<Box<dyn Scorer>>,
    alive: Option<tantivy::fastfield::AliveBitSet>,
}

impl SegmentCollector for SegmentTop {
    type Fruit = Vec<(Score, DocAddress)>;

    fn collect(&mut self, doc: DocId, score: Score) {
        if self.alive.as_ref().is_some_and(|a| a.is_deleted(doc)) {
            return;
        }
        if score > self.best.threshold() && holds(&mut self.filter, doc) {
            self.best.push(score, doc);
        }
    }

    fn harvest(self) -> Self::Fruit {
        let ord = self.ord;
        self.best
            .docs
            .into_iter()
            .map(|(s, d)| (s, DocAddress::new(ord, d)))
            .collect()
    }
}

impl Collector for FilteredTop {
    type Fruit = Vec<(Score, DocAddress)>;
    type Child = SegmentTop;

    fn for_segment(&self, ord: u32, reader: &SegmentReader) -> tantivy::Result<SegmentTop> {
        Ok(SegmentTop {
            ord,
            best: Best::new(self.offset + self.limit),
            filter: self.filter_scorer(reader)?,
            alive: reader.alive_bitset().cloned(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(
        &self,
        fruits: Vec<Vec<(Score, DocAddress)>>,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut all: Vec<(Score, DocAddress)> = fruits.into_iter().flatten().collect();
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(all.into_iter().skip(self.offset).take(self.limit).collect())
    }

    /// The union's walk: each document that beats the k-th best so far is checked against the
    /// filters.
    fn collect_segment(
        &self,
        weight: &dyn Weight,
        ord: u32,
        reader: &SegmentReader,
    ) -> tantivy::Result<Vec<(Score, DocAddress)>> {
        let mut segment = self.for_segment(ord, reader)?;
        weight.for_each(reader, &mut |doc, score| segment.collect(doc, score))?;
        Ok(segment.harvest())
    }
}

#[cfg(test)]
mod tests {
    use super::Best;

    #[test]
    fn best_keeps_the_k_highest_and_the_earlier_of_equal_scores() {
        let mut best = Best::new(3);
        for (score, doc) in [(1.0, 0), (5.0, 1), (3.0, 2), (5.0, 3), (4.0, 4), (0.5, 5)] {
            best.push(score, doc);
        }
        assert_eq!(best.docs, vec![(5.0, 1), (5.0, 3), (4.0, 4)]);
        assert_eq!(best.threshold(), 4.0);
        let mut none = Best::new(0);
        none.push(1.0, 0);
        assert!(none.docs.is_empty());
    }
}
