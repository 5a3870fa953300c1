//! The Chinese full-text search and matching index of the technology elements market.
//!
//! It is derived state: the database is the truth, the web layer feeds [`SearchIndex::apply`]
//! from its change log (recording the last change-log id applied, [`SearchIndex::applied_up_to`])
//! and `fruition reindex` calls [`SearchIndex::rebuild`]. Each app server keeps its own index
//! folder: tantivy allows one writer per folder.
//!
//! # Tokens
//!
//! jieba (HMM on, with the domain dictionary `data/domain_words.txt`, whose words stay whole)
//! cuts Chinese. Full-width letters and digits are folded, ASCII lower-cased, punctuation and
//! symbols dropped. Each word is indexed with every dictionary word inside it (jieba's search
//! mode, without its 3-character limit: 知识价值信用贷款 also as 信用贷款, 知识, 价值, …) at the
//! position of its first character, so parts of long words are found and quoted phrases work;
//! queries use the whole words
//! (`src/tokenizer.rs` has the details). A dictionary change changes the tokens: the index then
//! reports itself [`SearchError::Incompatible`] and is rebuilt.
//!
//! # Queries
//!
//! User text never reaches tantivy's query parser: it is tokenized like the documents and the
//! query is built from its terms (at most [`MAX_QUERY_TERMS`] distinct ones, function words left
//! out), so no text can be a syntax error or reach a field it should not. Text in double quotes
//! (`"…"`, `“…”`, `「…」`, `『…』`) must match as a phrase.
//!
//! Matching is **AND first, then relaxed to fill the page**. Listings having every word of the
//! query (anywhere in title or body; a word found inside a longer word counts, and so do all of
//! a word's parts, see [`QueryWord`]) come first. Chinese queries are short noun phrases
//! (牵引变流器 故障诊断), and jieba splits one concept into several words (碳化硅 功率 模块), so
//! plain OR would rank listings that share only the most generic word (模块) beside the ones
//! about the concept. But a strict AND leaves a page empty or nearly so for a long, wordy need
//! or a word no listing uses; so when the listings with every word do not fill the requested
//! page, listings with half of the words follow them, then listings with any one, each group
//! ranked by BM25 (more and rarer words first). `total` counts the loosest group used. A word
//! found in the title adds a boost ([`TITLE_BOOST`] × its BM25 on the title), so a listing
//! *about* the query ranks above one that mentions it.

pub mod vocabulary;

pub use vocabulary::{VOCABULARY, Vocabulary};
mod highlight;
mod stats;
pub mod synonyms;
mod tokenizer;
mod top;

#[cfg(test)]
mod tests;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering as AtomicOrdering};
use std::sync::{Mutex, MutexGuard};

use tantivy::collector::{Count, TopDocs};
use tantivy::directory::MmapDirectory;
use tantivy::indexer::NoMergePolicy;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Occur, PhraseQuery,
    Query as TQuery, RangeQuery, TermQuery,
};
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{
    DocAddress, DocSet, Index, IndexReader, IndexWriter, Order, ReloadPolicy, Searcher,
    TantivyDocument, TantivyError, Term,
};

use crate::synonyms::Synonyms;
use crate::tokenizer::{Mode, Tok, ZhTokenizer, analyze, is_stop_word};

/// The name the Chinese tokenizer is registered under in the index.
const TOKENIZER: &str = "fruition_zh";
/// At most this many distinct terms of a query are used.
pub const MAX_QUERY_TERMS: usize = 32;
/// How many left-out words a search lists.
pub const MAX_LEFT_OUT: usize = 64;
/// A term found in the title scores its title BM25 times this, on top of its body score.
pub const TITLE_BOOST: f32 = 1.5;
/// At most this many hits per page.
pub const MAX_LIMIT: usize = 100;
/// Pages start at most this far in (deeper pages are empty; `total` is still counted).
pub const MAX_OFFSET: usize = 10_000;
/// How many key terms [`SearchIndex::similar`] uses: a hit's shared terms and coverage are
/// counted on all of them.
pub const SIMILAR_TERMS: usize = 40;
/// How many of them, the strongest, find the candidates. The weaker ones are the commonest
/// words, with the longest postings: leaving them out of the search quarters its time at a
/// million listings with the same suggestions on the judged real set (bench `matching_real`:
/// nDCG@10 0.785 with 24, 32 or 40; 0.783 with 20, 0.777 with 16).
pub const RETRIEVAL_TERMS: usize = 24;
/// The bound on a suggestion's work: after the strongest [`MIN_RETRIEVAL_TERMS`], a retrieval
/// term takes part only while the retrieval terms' postings (their document frequencies, summed)
/// stay within this many. It binds only where the key terms are common words of a large market
/// (a need in everyday words, a market of a million listings); on the judged real set it never
/// does.
pub const RETRIEVAL_POSTINGS: u64 = 300_000;
/// The strongest key terms that always find candidates, whatever their postings.
pub const MIN_RETRIEVAL_TERMS: usize = 12;
/// How many terms of the listings a reader liked, beyond the text's own key terms,
/// [`SearchIndex::similar_to`] looks for.
pub const LIKED_TERMS: usize = 8;
/// Memory of the long-lived writer that applies the change log.
const APPLY_WRITER_BYTES: usize = 24_000_000;
/// Memory per indexing thread during a rebuild.
const REBUILD_WRITER_BYTES_PER_THREAD: usize = 96_000_000;

/// One listing of the market, as the index sees it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ListingDoc {
    pub id: i64,
    /// achievement | need | service | instrument | expert | capital | policy
    pub kind: String,
    pub title: String,
    pub body: String,
    /// Technical field code (the national classification), "" if none.
    pub field: String,
    /// Industrial chain code, "" if none.
    pub chain: String,
    /// GB/T 2260 code, "" if none.
    pub county_code: String,
    /// Technology readiness level 1..=9 (GB/T 22900).
    pub trl: Option<u8>,
    /// 千元; `None` = negotiable.
    pub price_k: Option<i64>,
    pub transfer_modes: Vec<String>,
    pub org_id: i64,
    /// Epoch milliseconds.
    pub published_at: i64,
}

/// A change from the change log.
// Nearly every change is an upsert, so boxing the document would add an allocation per listing
// without saving any memory.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// Adds the listing, replacing any with the same id.
    Upsert(ListingDoc),
    /// Removes the listing with this id (no error if absent).
    Remove(i64),
}

/// A search: text and filters. Empty text means filters only, newest first.
///
/// Filters given as `Some("")` are ignored. Ranges are inclusive, except `published_to`, which is
/// exclusive (so consecutive periods do not overlap). A price range leaves out negotiable
/// listings (no price); a readiness range leaves out listings without a readiness level.
#[derive(Debug, Clone, PartialEq)]
pub struct Query {
    pub text: String,
    /// Any of these kinds; empty = all.
    pub kinds: Vec<String>,
    /// A technical field's code.
    pub field: Option<String>,
    /// An industrial chain's code.
    pub chain: Option<String>,
    pub county: Option<String>,
    pub trl_min: Option<u8>,
    pub trl_max: Option<u8>,
    pub price_min_k: Option<i64>,
    pub price_max_k: Option<i64>,
    pub transfer_mode: Option<String>,
    pub published_from: Option<i64>,
    pub published_to: Option<i64>,
    pub exclude_ids: Vec<i64>,
    /// Whether [`SearchIndex::search`] fills each hit's `matched_terms` (it reads each word's
    /// postings a second time, about a tenth of a search at a million listings; the market's
    /// pages mark words on the rows they read instead). [`SearchIndex::similar`] always does.
    pub with_matched_terms: bool,
    /// Hits to skip (at most [`MAX_OFFSET`]).
    pub offset: usize,
    /// Hits to return (at most [`MAX_LIMIT`]; 0 = count only).
    pub limit: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            text: String::new(),
            kinds: Vec::new(),
            field: None,
            chain: None,
            county: None,
            trl_min: None,
            trl_max: None,
            price_min_k: None,
            price_max_k: None,
            transfer_mode: None,
            published_from: None,
            published_to: None,
            exclude_ids: Vec::new(),
            with_matched_terms: false,
            offset: 0,
            limit: 10,
        }
    }
}

/// One result. The index keeps no text of the listings: the caller shows the title and snippet
/// from its own copy of the listing (the database row it reads anyway), marked with
/// [`Results::marks`].
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub id: i64,
    /// BM25 (0 when listing newest first).
    pub score: f32,
    /// The query's terms (or, for [`SearchIndex::similar`], the key terms) this listing contains;
    /// for a search, only when [`Query::with_matched_terms`] asks (else empty).
    pub matched_terms: Vec<String>,
    /// Those of `matched_terms` the listing holds only under another name of the synonym
    /// dictionary ([`synonyms`]): (the term, both names as the dictionary writes them, the
    /// text's first), e.g. ("碳化硅", "碳化硅=SiC"); the words of one name of several words
    /// share the same second part ("绝缘栅双极晶体管=IGBT").
    pub synonyms: Vec<(String, String)>,
}

/// A page of results.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Results {
    /// All matching listings, not only this page ([`SearchIndex::similar`] does not count
    /// them: there, the hits returned).
    pub total: usize,
    pub hits: Vec<Hit>,
    /// Words of a long text the search did not use: it uses the first [`MAX_QUERY_TERMS`]
    /// distinct ones (function words aside), and says which it left out.
    pub left_out: Vec<String>,
    /// The key terms [`SearchIndex::similar`] looked for, strongest first, with their weights
    /// (empty for a search).
    pub key_terms: Vec<KeyTerm>,
    /// For [`SearchIndex::similar_to`]: the terms of the listings the reader liked, each with
    /// how strongly they hold it (0–1: its weight in each liked text relative to that text's
    /// strongest, averaged over the liked texts), strongest first. Those among `key_terms` say
    /// which of the text's own terms the liked listings confirm; the others (at most
    /// [`LIKED_TERMS`]) were looked for too, and a hit's `matched_terms` says which it holds.
    pub liked_terms: Vec<KeyTerm>,
    /// What to mark in the hits' titles and snippets.
    pub marks: Marks,
}

/// The terms to mark in a hit's title and snippet, with their weights (the snippet shows the
/// window holding the greatest weight of distinct terms). Empty for a search by filters alone:
/// the title escaped, the snippet the body's beginning.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Marks {
    weights: HashMap<String, f32>,
}

impl Marks {
    /// The title, HTML-escaped, matches in `<mark>`.
    pub fn title_html(&self, title: &str) -> String {
        self.html(title, false)
    }

    /// About 100 characters of the body around the matches, HTML-escaped, matches in `<mark>`,
    /// `…` where cut. `body` is the text the index was given as [`ListingDoc::body`].
    pub fn snippet_html(&self, body: &str) -> String {
        self.html(body, true)
    }

    fn html(&self, text: &str, snippet: bool) -> String {
        let ranges = highlight::occurrences(text, &self.weights);
        if snippet {
            highlight::snippet(text, &ranges)
        } else {
            highlight::highlight_all(text, &ranges)
        }
    }
}

/// A distinctive term of a text and its weight ((1 + ln tf) × idf against the index).
#[derive(Debug, Clone, PartialEq)]
pub struct KeyTerm {
    pub term: String,
    pub weight: f32,
}

/// What can go wrong. [`SearchError::needs_rebuild`] says when the caller should recreate the
/// index ([`SearchIndex::recreate`]) and rebuild it from the database.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// Built with another schema or tokenizer (dictionary): its tokens would not match ours.
    #[error("the search index was built by another version ({0}); recreate and rebuild it")]
    Incompatible(String),
    /// Files missing or damaged.
    #[error("the search index is damaged ({0}); recreate and rebuild it")]
    Corrupt(String),
    /// Another writer (another process) holds the folder.
    #[error("the search index folder is in use by another writer: {0}")]
    Locked(String),
    #[error("search index: {0}")]
    Io(#[from] std::io::Error),
    #[error("search index: {0}")]
    Engine(TantivyError),
}

impl SearchError {
    /// True when the index cannot be used as it is and should be recreated and rebuilt.
    pub fn needs_rebuild(&self) -> bool {
        matches!(self, SearchError::Incompatible(_) | SearchError::Corrupt(_))
    }
}

impl From<TantivyError> for SearchError {
    fn from(error: TantivyError) -> Self {
        match error {
            TantivyError::SchemaError(message) => SearchError::Incompatible(message),
            TantivyError::DataCorruption(_) | TantivyError::OpenReadError(_) => {
                SearchError::Corrupt(error.to_string())
            }
            TantivyError::LockFailure(..) => SearchError::Locked(error.to_string()),
            other => SearchError::Engine(other),
        }
    }
}

/// The index keeps only what matching, ranking and filtering read: the terms (with positions in
/// `text`, for quoted phrases; with frequencies in `title`, for its boost), the filters, and the
/// id. No text is stored: a page shows its hits from the database rows it reads anyway, so a
/// search reads only the terms' postings and the columns of its filters, whatever the number of
/// listings (what stays in memory under a memory limit).
#[derive(Debug, Clone, Copy)]
struct Fields {
    id: Field,
    kind: Field,
    /// The title's terms: the title boost.
    title: Field,
    /// Title and body, tokenized: what text queries match.
    text: Field,
    field: Field,
    chain: Field,
    county: Field,
    trl: Field,
    price_k: Field,
    transfer_modes: Field,
    org_id: Field,
    published_at: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let zh = |record| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(record),
        )
    };
    let fields = Fields {
        // Indexed for replacing and leaving out listings by id; a column for reading the hits'.
        id: builder.add_i64_field("id", INDEXED | FAST),
        kind: builder.add_text_field("kind", STRING),
        // Only term queries on the title: no positions.
        title: builder.add_text_field("title", zh(IndexRecordOption::WithFreqs)),
        text: builder.add_text_field("text", zh(IndexRecordOption::WithFreqsAndPositions)),
        field: builder.add_text_field("field", STRING),
        chain: builder.add_text_field("chain", STRING),
        county: builder.add_text_field("county", STRING),
        trl: builder.add_u64_field("trl", FAST),
        price_k: builder.add_i64_field("price_k", FAST),
        transfer_modes: builder.add_text_field("transfer_modes", STRING),
        org_id: builder.add_i64_field("org_id", FAST),
        published_at: builder.add_i64_field("published_at", FAST),
    };
    (builder.build(), fields)
}

/// The commit payload: who wrote the index (tokenizer fingerprint) and how far the change log
/// has been applied.
fn payload(up_to: i64) -> String {
    format!(
        "fruition-search;tokenizer={};up_to={up_to}",
        tokenizer::fingerprint()
    )
}

/// `applied_up_to` from a commit payload; an error when another tokenizer wrote it.
fn parse_payload(payload: Option<&str>) -> Result<i64, SearchError> {
    let Some(payload) = payload else { return Ok(0) };
    let mut fingerprint = None;
    let mut up_to = None;
    for part in payload.split(';') {
        if let Some(value) = part.strip_prefix("tokenizer=") {
            fingerprint = Some(value);
        } else if let Some(value) = part.strip_prefix("up_to=") {
            up_to = value.parse::<i64>().ok();
        }
    }
    match (fingerprint, up_to) {
        (Some(f), Some(up_to)) if f == tokenizer::fingerprint() => Ok(up_to),
        (Some(f), Some(_)) => Err(SearchError::Incompatible(format!(
            "tokenizer {f}, this build has {}",
            tokenizer::fingerprint()
        ))),
        _ => Err(SearchError::Incompatible(format!(
            "unrecognised commit payload {payload:?}"
        ))),
    }
}

/// The market's search index. Share it in an `Arc`: searches run concurrently; changes are
/// serialised by an internal lock.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    /// `None` only while [`SearchIndex::rebuild`] holds its own writer.
    writer: Mutex<Option<IndexWriter>>,
    fields: Fields,
    up_to: AtomicI64,
    /// Term statistics of the live documents, kept between queries.
    stats: stats::StatsCache,
    /// Whether queries use the synonym dictionary (on; benchmarks compare without it).
    synonyms: AtomicBool,
    /// Whether `similar` runs as before session 15 (off; benchmarks compare with it).
    previous_similar: AtomicBool,
    /// [`RETRIEVAL_POSTINGS`] unless [`SearchIndex::set_retrieval_postings`] says otherwise.
    retrieval_postings: std::sync::atomic::AtomicU64,
}

/// The terms of a query text, and its quoted phrases.
struct ParsedQuery {
    /// Distinct terms in order of appearance, function words left out (unless that leaves none).
    terms: Vec<QueryWord>,
    /// Each phrase's terms with their positions relative to the first.
    phrases: Vec<Vec<(usize, String)>>,
    /// Distinct words after the first [`MAX_QUERY_TERMS`], which the query leaves out (at most
    /// [`MAX_LEFT_OUT`] of them are listed).
    left_out: Vec<String>,
}

/// A word of a query (or a key term of [`SearchIndex::similar`]), the dictionary words that
/// spell it when it has such a split, and its other names in the synonym dictionary: what a hit
/// is checked for.
///
/// A listing matches the word when it has the word or all of its parts: dictionary words
/// compete at their boundaries (a listing's 动力电池回收 may be cut 动力 + 电池回收, whose inner
/// words are 电池 and 回收), so a listing about 动力电池 does not always hold the token 动力电池,
/// but it always holds 动力 and 电池. It also matches when it has all the words of another name
/// of the word's synonym group (IGBT for 绝缘栅双极晶体管's single word, SiC for 碳化硅).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryWord {
    pub word: String,
    /// Empty when the word has no split into shorter dictionary words.
    pub parts: Vec<String>,
    /// Other names of the word's synonym group: (as a reason shows it, "碳化硅=SiC"; its words).
    pub synonyms: Vec<(String, Vec<String>)>,
}

impl QueryWord {
    /// Every word that may stand for it (itself, its parts, its synonyms' words).
    fn all_words(&self) -> impl Iterator<Item = &String> {
        std::iter::once(&self.word)
            .chain(&self.parts)
            .chain(self.synonyms.iter().flat_map(|(_, words)| words))
    }
}

const QUOTES: &[(char, char)] = &[('"', '"'), ('“', '”'), ('「', '」'), ('『', '』')];

/// The dictionary words covering `word` from start to end, longest first from the left; empty
/// when there is no such split (or the word is short).
fn parts_of(jieba: &jieba_rs::Jieba, word: &str, toks: &mut Vec<Tok>) -> Vec<String> {
    if word.chars().count() < 3 || word.is_ascii() {
        return Vec::new();
    }
    analyze(jieba, word, Mode::Index, toks);
    let mut parts = Vec::new();
    let mut at = 0;
    while at < word.len() {
        let Some(next) = toks
            .iter()
            .filter(|t| !t.whole && t.from == at && t.to > at)
            .max_by_key(|t| t.to)
        else {
            return Vec::new();
        };
        parts.push(next.text.clone());
        at = next.to;
    }
    parts
}

fn parse_query_text(text: &str, synonyms: &Synonyms) -> ParsedQuery {
    let jieba = tokenizer::jieba();
    let mut toks = Vec::new();

    // Quoted phrases: an opening quote with a closing one after it.
    let mut phrases = Vec::new();
    let mut rest = text;
    while let Some((open_at, open, close)) = rest.char_indices().find_map(|(i, c)| {
        QUOTES
            .iter()
            .find(|(o, _)| *o == c)
            .map(|(o, cl)| (i, *o, *cl))
    }) {
        let inner_start = open_at + open.len_utf8();
        let Some(len) = rest[inner_start..].find(close) else {
            break;
        };
        let inner = &rest[inner_start..inner_start + len];
        analyze(&jieba, inner, Mode::Query, &mut toks);
        if toks.len() >= 2 && phrases.len() < 4 {
            let first = toks[0].position;
            phrases.push(
                toks.iter()
                    .take(MAX_QUERY_TERMS)
                    .map(|t| (t.position.saturating_sub(first), t.text.clone()))
                    .collect(),
            );
        }
        rest = &rest[inner_start + len + close.len_utf8()..];
    }

    analyze(&jieba, text, Mode::Query, &mut toks);
    let mut seen = HashSet::new();
    let mut words = Vec::new();
    let mut stop = Vec::new();
    let mut left_out = Vec::new();
    for tok in &toks {
        if !seen.insert(tok.text.as_str()) {
            continue;
        }
        if is_stop_word(&tok.text) {
            stop.push(tok.text.clone());
        } else if words.len() < MAX_QUERY_TERMS {
            words.push(tok.text.clone());
        } else if left_out.len() < MAX_LEFT_OUT {
            left_out.push(tok.text.clone());
        }
    }
    if words.is_empty() {
        stop.truncate(MAX_QUERY_TERMS);
        words = stop;
    }
    let mut inner = Vec::new();
    let terms = words
        .into_iter()
        .map(|text| {
            let parts = parts_of(&jieba, &text, &mut inner);
            let synonyms = synonyms
                .of_token(&text)
                .map(|(g, n)| {
                    synonyms
                        .others(g, n)
                        .map(|(shown, name)| (shown, name.tokens.clone()))
                        .collect()
                })
                .unwrap_or_default();
            QueryWord {
                word: text,
                parts,
                synonyms,
            }
        })
        .collect();
    ParsedQuery {
        terms,
        phrases,
        left_out,
    }
}

/// `(offset, limit)` of a page, capped.
fn page(q: &Query) -> (usize, usize) {
    if q.offset > MAX_OFFSET {
        return (0, 0);
    }
    (q.offset, q.limit.min(MAX_LIMIT))
}

fn boxed(q: impl TQuery) -> Box<dyn TQuery> {
    Box::new(q)
}

/// A word of `field`, scored by BM25.
fn term_query(field: Field, word: &str) -> Box<dyn TQuery> {
    boxed(TermQuery::new(
        Term::from_field_text(field, word),
        IndexRecordOption::WithFreqs,
    ))
}

/// All of `words` in `field` (a name of several words), scored by the sum of theirs.
fn all_of(field: Field, words: &[String]) -> Box<dyn TQuery> {
    match words {
        [one] => term_query(field, one),
        _ => boxed(BooleanQuery::intersection(
            words.iter().map(|w| term_query(field, w)).collect(),
        )),
    }
}

/// Documents holding any of `terms`. Term queries read their postings as the search advances;
/// tantivy's `TermSetQuery` would first collect every document of every term into a bit set
/// (all the achievements of a million listings, for a kind filter), on every search.
/// BM25's idf of a word in `df` of `docs` listings.
fn bm25_idf(docs: u64, df: u64) -> f32 {
    let (n, d) = (docs as f32, df as f32);
    (1.0 + (n - d + 0.5) / (d + 0.5)).ln()
}

fn any_term(terms: impl IntoIterator<Item = Term>) -> Box<dyn TQuery> {
    let mut queries: Vec<Box<dyn TQuery>> = terms
        .into_iter()
        .map(|t| boxed(TermQuery::new(t, IndexRecordOption::Basic)))
        .collect();
    if queries.len() == 1 {
        return queries.remove(0);
    }
    boxed(BooleanQuery::union(queries))
}

/// A filter: must match, adds nothing to the score.
fn filter(q: impl TQuery) -> (Occur, Box<dyn TQuery>) {
    (Occur::Must, boxed(ConstScoreQuery::new(boxed(q), 0.0)))
}

fn bound<T>(value: Option<T>, term: impl Fn(T) -> Term, inclusive: bool) -> Bound<Term> {
    match value {
        None => Bound::Unbounded,
        Some(v) if inclusive => Bound::Included(term(v)),
        Some(v) => Bound::Excluded(term(v)),
    }
}

fn non_empty(value: &Option<String>) -> Option<&str> {
    value.as_deref().filter(|v| !v.is_empty())
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the folder and an empty index if needed.
    ///
    /// An index written with another schema or tokenizer is [`SearchError::Incompatible`], a
    /// damaged one [`SearchError::Corrupt`] (both [`SearchError::needs_rebuild`]); a folder
    /// held by another process's writer is [`SearchError::Locked`].
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        std::fs::create_dir_all(dir)?;
        let directory =
            MmapDirectory::open(dir).map_err(|e| SearchError::Corrupt(e.to_string()))?;
        let (schema, fields) = schema();
        let index = Index::open_or_create(directory, schema)?;
        Self::with_index(index, fields)
    }

    /// Deletes the index in `dir` and creates an empty one (for a caller that got an error that
    /// [`SearchError::needs_rebuild`]; call [`SearchIndex::rebuild`] next). Refuses a non-empty
    /// folder that holds no index.
    pub fn recreate(dir: &Path) -> Result<Self, SearchError> {
        if dir.exists() {
            let is_index = dir.join("meta.json").exists() || dir.join(".managed.json").exists();
            let is_empty = std::fs::read_dir(dir)?.next().is_none();
            if !is_index && !is_empty {
                return Err(SearchError::Io(std::io::Error::other(format!(
                    "{} is not a search index folder; not deleting it",
                    dir.display()
                ))));
            }
            std::fs::remove_dir_all(dir)?;
        }
        Self::open_or_create(dir)
    }

    /// An index in memory (tests, demos).
    pub fn in_ram() -> Result<Self, SearchError> {
        let (schema, fields) = schema();
        Self::with_index(Index::create_in_ram(schema), fields)
    }

    fn with_index(index: Index, fields: Fields) -> Result<Self, SearchError> {
        index
            .tokenizers()
            .register(TOKENIZER, TextAnalyzer::from(ZhTokenizer::default()));
        let metas = index.load_metas()?;
        let up_to = parse_payload(metas.payload.as_deref())?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let writer = index.writer_with_num_threads(1, APPLY_WRITER_BYTES)?;
        Ok(SearchIndex {
            index,
            reader,
            writer: Mutex::new(Some(writer)),
            fields,
            up_to: AtomicI64::new(up_to),
            stats: stats::StatsCache::default(),
            synonyms: AtomicBool::new(true),
            previous_similar: AtomicBool::new(false),
            retrieval_postings: std::sync::atomic::AtomicU64::new(RETRIEVAL_POSTINGS),
        })
    }

    /// Whether queries use the synonym dictionary ([`synonyms`]; on unless switched off).
    pub fn use_synonyms(&self, on: bool) {
        self.synonyms.store(on, AtomicOrdering::Relaxed);
    }

    /// Benchmarks' baseline: [`SearchIndex::similar`] as it was before session 15 (all
    /// [`SIMILAR_TERMS`] find candidates, and the filters are part of the query, with every
    /// match counted) instead of [`RETRIEVAL_TERMS`] and the filters checked last (`top.rs`).
    pub fn use_previous_similar(&self, on: bool) {
        self.previous_similar.store(on, AtomicOrdering::Relaxed);
    }

    /// The bound on the postings one suggestion's retrieval reads ([`RETRIEVAL_POSTINGS`] unless
    /// set otherwise): tests and benchmarks lower it to see what it does where it binds.
    pub fn set_retrieval_postings(&self, bound: u64) {
        self.retrieval_postings
            .store(bound, AtomicOrdering::Relaxed);
    }

    fn synonyms(&self) -> &'static Synonyms {
        static NONE: std::sync::LazyLock<Synonyms> = std::sync::LazyLock::new(Synonyms::none);
        if self.synonyms.load(AtomicOrdering::Relaxed) {
            synonyms::dictionary()
        } else {
            &NONE
        }
    }

    fn lock_writer(&self) -> MutexGuard<'_, Option<IndexWriter>> {
        // A panic while holding the lock leaves at worst uncommitted changes, which the next
        // commit or rollback settles.
        self.writer.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn id_term(&self, id: i64) -> Term {
        Term::from_field_i64(self.fields.id, id)
    }

    fn document(&self, doc: &ListingDoc) -> TantivyDocument {
        let f = &self.fields;
        let mut d = TantivyDocument::default();
        d.add_i64(f.id, doc.id);
        d.add_text(f.kind, &doc.kind);
        d.add_text(f.title, &doc.title);
        d.add_text(f.text, &doc.title);
        d.add_text(f.text, &doc.body);
        d.add_text(f.field, &doc.field);
        d.add_text(f.chain, &doc.chain);
        d.add_text(f.county, &doc.county_code);
        if let Some(trl) = doc.trl {
            d.add_u64(f.trl, u64::from(trl));
        }
        if let Some(price) = doc.price_k {
            d.add_i64(f.price_k, price);
        }
        for mode in &doc.transfer_modes {
            d.add_text(f.transfer_modes, mode);
        }
        d.add_i64(f.org_id, doc.org_id);
        d.add_i64(f.published_at, doc.published_at);
        d
    }

    fn commit(writer: &mut IndexWriter, up_to: i64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&payload(up_to));
        prepared.commit()?;
        Ok(())
    }

    /// Applies changes in order, commits with `up_to` (the last change-log id applied) in the
    /// commit, and reloads the reader: the changes are searchable when this returns. On error
    /// nothing of `changes` is kept.
    pub fn apply(&self, changes: Vec<Change>, up_to: i64) -> Result<(), SearchError> {
        let mut guard = self.lock_writer();
        let writer = match guard.as_mut() {
            Some(writer) => writer,
            None => {
                *guard = Some(self.index.writer_with_num_threads(1, APPLY_WRITER_BYTES)?);
                guard.as_mut().ok_or_else(|| {
                    SearchError::Engine(TantivyError::SystemError("no writer".into()))
                })?
            }
        };
        let result = (|| {
            for change in changes {
                match change {
                    Change::Upsert(doc) => {
                        writer.delete_term(self.id_term(doc.id));
                        writer.add_document(self.document(&doc))?;
                    }
                    Change::Remove(id) => {
                        writer.delete_term(self.id_term(id));
                    }
                }
            }
            Self::commit(writer, up_to)
        })();
        if let Err(error) = result {
            let _ = writer.rollback();
            return Err(error);
        }
        drop(guard);
        self.reader.reload()?;
        self.up_to.store(up_to, AtomicOrdering::SeqCst);
        Ok(())
    }

    /// The change-log id recorded by the last commit (0 for a new index).
    pub fn applied_up_to(&self) -> i64 {
        self.up_to.load(AtomicOrdering::SeqCst)
    }

    /// How many listings the index holds (as of the last commit).
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Replaces the whole index with `docs` (indexed on several threads), commits with `up_to`,
    /// and merges the segments into one for the fastest searches. Searches see the old index
    /// until the commit. Returns how many listings were indexed.
    pub fn rebuild(
        &self,
        docs: impl Iterator<Item = ListingDoc>,
        up_to: i64,
    ) -> Result<usize, SearchError> {
        let mut guard = self.lock_writer();
        // One writer per index: the small one goes while the big one works.
        if let Some(writer) = guard.take() {
            writer.wait_merging_threads()?;
        }
        let threads = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .clamp(1, 4);
        let result = (|| {
            let mut writer: IndexWriter = self
                .index
                .writer_with_num_threads(threads, REBUILD_WRITER_BYTES_PER_THREAD)?;
            writer.set_merge_policy(Box::new(NoMergePolicy));
            writer.delete_all_documents()?;
            let mut count = 0;
            for doc in docs {
                writer.add_document(self.document(&doc))?;
                count += 1;
            }
            Self::commit(&mut writer, up_to)?;
            let segments = self.index.searchable_segment_ids()?;
            if segments.len() > 1 {
                writer.merge(&segments).wait()?;
            }
            writer.wait_merging_threads()?;
            Ok(count)
        })();
        *guard = Some(self.index.writer_with_num_threads(1, APPLY_WRITER_BYTES)?);
        drop(guard);
        self.reader.reload()?;
        if result.is_ok() {
            self.up_to.store(up_to, AtomicOrdering::SeqCst);
        }
        result
    }

    /// The filters of `q` as clauses; `None` when they cannot match anything.
    fn filters(&self, q: &Query) -> Option<Vec<(Occur, Box<dyn TQuery>)>> {
        let f = &self.fields;
        let mut clauses = Vec::new();
        let kinds: Vec<&String> = q.kinds.iter().filter(|k| !k.is_empty()).collect();
        if !kinds.is_empty() {
            clauses.push(filter(any_term(
                kinds.iter().map(|k| Term::from_field_text(f.kind, k)),
            )));
        }
        for (field, value) in [
            (f.field, non_empty(&q.field)),
            (f.chain, non_empty(&q.chain)),
            (f.county, non_empty(&q.county)),
            (f.transfer_modes, non_empty(&q.transfer_mode)),
        ] {
            if let Some(value) = value {
                clauses.push(filter(TermQuery::new(
                    Term::from_field_text(field, value),
                    IndexRecordOption::Basic,
                )));
            }
        }
        if q.trl_min.is_some() || q.trl_max.is_some() {
            if q.trl_min.unwrap_or(0) > q.trl_max.unwrap_or(u8::MAX) {
                return None;
            }
            let term = |v: u8| Term::from_field_u64(f.trl, u64::from(v));
            clauses.push(filter(RangeQuery::new(
                bound(q.trl_min, term, true),
                bound(q.trl_max, term, true),
            )));
        }
        if q.price_min_k.is_some() || q.price_max_k.is_some() {
            if q.price_min_k.unwrap_or(i64::MIN) > q.price_max_k.unwrap_or(i64::MAX) {
                return None;
            }
            let term = |v: i64| Term::from_field_i64(f.price_k, v);
            clauses.push(filter(RangeQuery::new(
                bound(q.price_min_k, term, true),
                bound(q.price_max_k, term, true),
            )));
        }
        if q.published_from.is_some() || q.published_to.is_some() {
            if q.published_from.unwrap_or(i64::MIN) >= q.published_to.unwrap_or(i64::MAX) {
                return None;
            }
            let term = |v: i64| Term::from_field_i64(f.published_at, v);
            clauses.push(filter(RangeQuery::new(
                bound(q.published_from, term, true),
                bound(q.published_to, term, false),
            )));
        }
        if !q.exclude_ids.is_empty() {
            let terms = q.exclude_ids.iter().map(|id| self.id_term(*id));
            clauses.push((Occur::MustNot, any_term(terms)));
        }
        Some(clauses)
    }

    /// Runs `query`, counting all matches and collecting one page by score.
    fn run(
        &self,
        searcher: &Searcher,
        query: &dyn TQuery,
        q: &Query,
    ) -> Result<(usize, Vec<(f32, DocAddress)>), SearchError> {
        let (offset, limit) = page(q);
        if limit == 0 {
            return Ok((searcher.search(query, &Count)?, Vec::new()));
        }
        let top = TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_score();
        Ok(searcher.search_with_statistics_provider(query, &(Count, top), &self.live(searcher))?)
    }

    /// One page of the best documents for `text` among those `filters` match, without
    /// counting all matches: the text query is walked alone and the filters are checked only
    /// for documents that could enter the page (see `top.rs`).
    fn top_filtered(
        &self,
        searcher: &Searcher,
        text: &dyn TQuery,
        mut filters: Vec<(Occur, Box<dyn TQuery>)>,
        q: &Query,
    ) -> Result<Vec<(f32, DocAddress)>, SearchError> {
        if self.previous_similar.load(AtomicOrdering::Relaxed) {
            filters.push((Occur::Must, text.box_clone()));
            return Ok(self.run(searcher, &BooleanQuery::new(filters), q)?.1);
        }
        let (offset, limit) = page(q);
        if limit == 0 {
            return Ok(Vec::new());
        }
        let filter = if filters.is_empty() {
            None
        } else {
            // Exclusions alone match nothing: they subtract from all documents.
            filters.push((Occur::Must, boxed(AllQuery)));
            Some(
                BooleanQuery::new(filters)
                    .weight(EnableScoring::disabled_from_searcher(searcher))?,
            )
        };
        let collector = top::FilteredTop {
            offset,
            limit,
            filter,
        };
        Ok(searcher.search_with_statistics_provider(text, &collector, &self.live(searcher))?)
    }

    /// The statistics every score reads: the live documents' only (see `stats.rs`).
    fn live<'a>(&'a self, searcher: &'a Searcher) -> stats::LiveStats<'a> {
        stats::LiveStats::new(searcher, &self.stats)
    }

    /// Searches: see the crate documentation for how text matches and ranks. Never fails on
    /// any text; errors come only from the index itself.
    pub fn search(&self, q: &Query) -> Result<Results, SearchError> {
        let Some(filters) = self.filters(q) else {
            return Ok(Results::default());
        };
        let searcher = self.reader.searcher();
        if q.text.trim().is_empty() {
            return self.newest(&searcher, filters, q);
        }
        let parsed = parse_query_text(&q.text, self.synonyms());
        if parsed.terms.is_empty() {
            // Only punctuation, symbols or emoji: nothing to look for.
            return Ok(Results::default());
        }
        let f = &self.fields;
        // A word, all of its parts, or all the words of one of its synonyms, in `field`.
        let word_in = |field: Field, t: &QueryWord| -> Box<dyn TQuery> {
            let mut ways = vec![term_query(field, &t.word)];
            if !t.parts.is_empty() {
                ways.push(all_of(field, &t.parts));
            }
            ways.extend(t.synonyms.iter().map(|(_, words)| all_of(field, words)));
            if ways.len() == 1 {
                ways.remove(0)
            } else {
                boxed(BooleanQuery::union(ways))
            }
        };
        let word = |t: &QueryWord| word_in(f.text, t);
        // The same on the title, boosted: a listing about the query ranks first.
        let title_boosts = || {
            parsed.terms.iter().map(|t| {
                (
                    Occur::Should,
                    boxed(BoostQuery::new(word_in(f.title, t), TITLE_BOOST)),
                )
            })
        };
        let n = parsed.terms.len();
        // How many words a listing must have: all, then half, then one.
        let mut required = vec![n];
        if n > 2 {
            required.push(n.div_ceil(2));
        }
        if n > 1 {
            required.push(1);
        }
        let (offset, limit) = page(q);
        let need = offset + limit;
        let mut collected: Vec<(f32, DocAddress)> = Vec::with_capacity(need.min(1024));
        let mut seen = HashSet::new();
        let mut total = 0;
        for &min in &required {
            let mut clauses = filters
                .iter()
                .map(|(o, q)| (*o, q.box_clone()))
                .collect::<Vec<_>>();
            if min == n {
                clauses.extend(parsed.terms.iter().map(|t| (Occur::Must, word(t))));
            } else {
                let any = parsed
                    .terms
                    .iter()
                    .map(|t| (Occur::Should, word(t)))
                    .collect();
                clauses.push((
                    Occur::Must,
                    boxed(BooleanQuery::with_minimum_required_clauses(any, min)),
                ));
            }
            // Quoted phrases are never relaxed.
            for phrase in &parsed.phrases {
                let terms = phrase
                    .iter()
                    .map(|(offset, t)| (*offset, Term::from_field_text(f.text, t)))
                    .collect();
                clauses.push((Occur::Must, boxed(PhraseQuery::new_with_offset(terms))));
            }
            clauses.extend(title_boosts());
            let query = BooleanQuery::new(clauses);
            let (count, top) = if need == 0 {
                (searcher.search(&query, &Count)?, Vec::new())
            } else {
                let top = TopDocs::with_limit(need).order_by_score();
                searcher.search_with_statistics_provider(
                    &query,
                    &(Count, top),
                    &self.live(&searcher),
                )?
            };
            // Each level's matches include the stricter level's, which keep their places.
            total = count;
            for (score, address) in top {
                if collected.len() >= need {
                    break;
                }
                if seen.insert(address) {
                    collected.push((score, address));
                }
            }
            if total > 0 && collected.len() >= need {
                break;
            }
        }
        let last = (
            total,
            collected.into_iter().skip(offset).collect::<Vec<_>>(),
        );
        let mut weights = HashMap::new();
        for t in parsed.terms.iter().flat_map(QueryWord::all_words) {
            if !weights.contains_key(t) {
                weights.insert(t.clone(), self.idf(&searcher, t));
            }
        }
        let matchers: &[QueryWord] = if q.with_matched_terms {
            &parsed.terms
        } else {
            &[]
        };
        let hits = self.hits(&searcher, last.1, matchers)?;
        Ok(Results {
            total: last.0,
            hits,
            left_out: parsed.left_out,
            key_terms: Vec::new(),
            liked_terms: Vec::new(),
            marks: Marks { weights },
        })
    }

    /// Filters only, newest first.
    fn newest(
        &self,
        searcher: &Searcher,
        mut clauses: Vec<(Occur, Box<dyn TQuery>)>,
        q: &Query,
    ) -> Result<Results, SearchError> {
        if !clauses.iter().any(|(occur, _)| *occur == Occur::Must) {
            clauses.push((Occur::Must, boxed(AllQuery)));
        }
        let query = BooleanQuery::new(clauses);
        let (offset, limit) = page(q);
        let (total, top) = if limit == 0 {
            (searcher.search(&query, &Count)?, Vec::new())
        } else {
            let top = TopDocs::with_limit(limit)
                .and_offset(offset)
                .order_by_fast_field::<i64>("published_at", Order::Desc);
            searcher.search(&query, &(Count, top))?
        };
        let addresses = top.into_iter().map(|(_, address)| (0.0, address)).collect();
        let hits = self.hits(searcher, addresses, &[])?;
        Ok(Results {
            total,
            hits,
            left_out: Vec::new(),
            key_terms: Vec::new(),
            liked_terms: Vec::new(),
            marks: Marks::default(),
        })
    }

    /// Inverse document frequency of a term in the `text` field (BM25's).
    fn idf(&self, searcher: &Searcher, term: &str) -> f32 {
        let live = self.live(searcher);
        bm25_idf(
            live.docs(),
            live.df(&Term::from_field_text(self.fields.text, term)),
        )
    }

    /// Turns collected addresses into hits: each one's id (from its column) and which of `terms`
    /// it contains (a word counts when the listing has it, all of its parts, or all the words of
    /// one of its synonyms), read from the terms' postings in `text` — the ones the query has
    /// just read.
    fn hits(
        &self,
        searcher: &Searcher,
        addresses: Vec<(f32, DocAddress)>,
        terms: &[QueryWord],
    ) -> Result<Vec<Hit>, SearchError> {
        // Which hits hold each term, looked up segment by segment in doc order (postings seek
        // forward only).
        let mut present: HashSet<(usize, &str)> = HashSet::new();
        if !terms.is_empty() {
            let mut wanted: Vec<&str> = terms
                .iter()
                .flat_map(QueryWord::all_words)
                .map(String::as_str)
                .collect();
            wanted.sort_unstable();
            wanted.dedup();
            let mut order: Vec<usize> = (0..addresses.len()).collect();
            order.sort_by_key(|&i| (addresses[i].1.segment_ord, addresses[i].1.doc_id));
            for segment_hits in
                order.chunk_by(|&a, &b| addresses[a].1.segment_ord == addresses[b].1.segment_ord)
            {
                let ord = addresses[segment_hits[0]].1.segment_ord;
                let inverted = searcher
                    .segment_reader(ord)
                    .inverted_index(self.fields.text)?;
                for term in &wanted {
                    let t = Term::from_field_text(self.fields.text, term);
                    let Some(mut postings) =
                        inverted.read_postings(&t, IndexRecordOption::Basic)?
                    else {
                        continue;
                    };
                    for &i in segment_hits {
                        let doc = addresses[i].1.doc_id;
                        if postings.doc() <= doc && postings.seek(doc) == doc {
                            present.insert((i, term));
                        }
                    }
                }
            }
        }
        let mut hits = Vec::with_capacity(addresses.len());
        // Each segment's id column, opened once.
        let mut columns: HashMap<u32, tantivy::columnar::Column<i64>> = HashMap::new();
        for (i, (score, address)) in addresses.into_iter().enumerate() {
            let column = match columns.entry(address.segment_ord) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => e.insert(
                    searcher
                        .segment_reader(address.segment_ord)
                        .fast_fields()
                        .i64("id")?,
                ),
            };
            let id = column.first(address.doc_id).unwrap_or_default();
            let has = |t: &String| present.contains(&(i, t.as_str()));
            let mut matched_terms = Vec::new();
            let mut synonyms = Vec::new();
            for m in terms {
                if has(&m.word) || (!m.parts.is_empty() && m.parts.iter().all(has)) {
                    matched_terms.push(m.word.clone());
                } else if let Some((name, _)) = m
                    .synonyms
                    .iter()
                    .find(|(_, words)| !words.is_empty() && words.iter().all(has))
                {
                    matched_terms.push(m.word.clone());
                    synonyms.push((m.word.clone(), name.clone()));
                }
            }
            hits.push(Hit {
                id,
                score,
                matched_terms,
                synonyms,
            });
        }
        Ok(hits)
    }

    /// The most distinctive terms of `text`: see [`SearchIndex::key_terms_weighted`].
    pub fn key_terms(&self, text: &str, n: usize) -> Vec<String> {
        self.key_terms_weighted(text, n)
            .into_iter()
            .map(|k| k.term)
            .collect()
    }

    /// The `n` most distinctive terms of `text`, by (1 + ln tf) × idf against the index.
    ///
    /// Candidates are jieba's words of at least two characters, function words and bare numbers
    /// left out. A word no listing contains (often an HMM guess at an unknown compound) gives way
    /// to the dictionary words inside it that listings do contain. Words in more than 30 % of
    /// the listings (of an index of at least 50) are not distinctive and are left out. Ties keep
    /// the text's order.
    pub fn key_terms_weighted(&self, text: &str, n: usize) -> Vec<KeyTerm> {
        if n == 0 {
            return Vec::new();
        }
        let searcher = self.reader.searcher();
        let live = self.live(&searcher);
        let total = live.docs();
        let df = |t: &str| live.df(&Term::from_field_text(self.fields.text, t));
        let candidate = |t: &str| {
            t.chars().count() >= 2
                && !is_stop_word(t)
                && !tokenizer::is_filler(t)
                && !t
                    .chars()
                    .all(|c| c.is_ascii_digit() || !c.is_alphanumeric())
        };
        let mut toks: Vec<Tok> = Vec::new();
        analyze(&tokenizer::jieba(), text, Mode::Index, &mut toks);

        // term → (tf, first occurrence)
        let mut counts: HashMap<String, (u32, usize)> = HashMap::new();
        let mut dfs: HashMap<String, u64> = HashMap::new();
        let mut df_of = |t: &str| *dfs.entry(t.to_string()).or_insert_with(|| df(t));
        let mut i = 0;
        while i < toks.len() {
            let whole = &toks[i];
            let mut end = i + 1;
            while end < toks.len() && !toks[end].whole {
                end += 1;
            }
            let mut add = |t: &str, at: usize| {
                let entry = counts.entry(t.to_string()).or_insert((0, at));
                entry.0 += 1;
            };
            if candidate(&whole.text) {
                if total == 0 || df_of(&whole.text) > 0 {
                    add(&whole.text, i);
                } else {
                    for inner in &toks[i + 1..end] {
                        if candidate(&inner.text) && df_of(&inner.text) > 0 {
                            add(&inner.text, i);
                        }
                    }
                }
            }
            i = end;
        }

        let n_docs = total as f32;
        let mut scored: Vec<(KeyTerm, usize)> = counts
            .into_iter()
            .filter_map(|(term, (tf, first))| {
                let d = df_of(&term);
                if total >= 50 && d as f32 > 0.3 * n_docs {
                    return None;
                }
                let weight = (1.0 + (tf as f32).ln()) * bm25_idf(total, d);
                Some((KeyTerm { term, weight }, first))
            })
            .collect();
        scored.sort_by(|(a, fa), (b, fb)| b.weight.total_cmp(&a.weight).then(fa.cmp(fb)));
        scored.truncate(n);
        scored.into_iter().map(|(k, _)| k).collect()
    }

    /// Listings like `text` (a need, an achievement): any of its [`RETRIEVAL_TERMS`] strongest
    /// key terms (past the strongest [`MIN_RETRIEVAL_TERMS`], only while their postings stay
    /// within [`RETRIEVAL_POSTINGS`]), each boosted by its weight (relative to the strongest,
    /// between 0.5 and 1), scored by BM25 and filtered like [`SearchIndex::search`] (the filters
    /// checked last, see `top.rs`; `total` is not counted). Each hit's `matched_terms` lists
    /// which of all its [`SIMILAR_TERMS`] key terms it shares, strongest first: the "shared key
    /// terms" reason of a match, and its coverage.
    ///
    /// A thing the text names that the synonym dictionary knows ([`synonyms`], at most
    /// [`synonyms::MAX_GROUPS_PER_TEXT`] of them) is also looked for under its other names, as
    /// strongly as the key terms that spell it; a listing holding another name shares those key
    /// terms (and [`Hit::synonyms`] says under which name). A name no listing holds under the
    /// text's spelling becomes a key term of its own when another of its names is distinctive.
    pub fn similar(&self, text: &str, q: &Query) -> Result<Results, SearchError> {
        self.similar_to(text, &[], q)
    }

    /// [`SearchIndex::similar`], taught by what the reader liked (the owner of a need marking
    /// suggested achievements as a good fit): the key terms of the `liked` texts are weighed
    /// (`Results::liked_terms`), and the strongest of them the text itself lacks (at most
    /// [`LIKED_TERMS`], each as rare as a key term must be) are looked for as well, boosted by
    /// how strongly the liked texts hold them.
    pub fn similar_to(
        &self,
        text: &str,
        liked: &[&str],
        q: &Query,
    ) -> Result<Results, SearchError> {
        let Some(clauses) = self.filters(q) else {
            return Ok(Results::default());
        };
        let searcher = self.reader.searcher();
        let mut keys = self.key_terms_weighted(text, SIMILAR_TERMS);
        // What a hit is checked for, key term by key term: its own words when it is a name of
        // several words (the dictionary's), and its other names.
        let mut words: Vec<QueryWord> = keys
            .iter()
            .map(|k| QueryWord {
                word: k.term.clone(),
                parts: Vec::new(),
                synonyms: Vec::new(),
            })
            .collect();
        // Each group's other names (their words), and the key terms they stand for.
        let mut alternatives: Vec<(Vec<usize>, Vec<Vec<String>>)> = Vec::new();
        let dictionary = self.synonyms();
        if !dictionary.is_empty() {
            let live = self.live(&searcher);
            let total = live.docs();
            let df = |t: &str| live.df(&Term::from_field_text(self.fields.text, t));
            for found in dictionary.found_in(text) {
                let name = &dictionary.group(found.group)[found.name];
                // Other names some listing holds, with the df of their rarest word (a listing
                // holding the name holds that word).
                let others: Vec<(String, &synonyms::Name, u64)> = dictionary
                    .others(found.group, found.name)
                    .filter(|(_, other)| other.tokens != name.tokens)
                    .filter_map(|(shown, other)| {
                        let rarest = other.tokens.iter().map(|t| df(t)).min().unwrap_or(0);
                        (rarest > 0).then_some((shown, other, rarest))
                    })
                    .collect();
                if others.is_empty() {
                    continue;
                }
                let covered: Vec<usize> = keys
                    .iter()
                    .enumerate()
                    .filter(|(_, k)| name.tokens.contains(&k.term))
                    .map(|(i, _)| i)
                    .collect();
                let covered = if covered.is_empty() {
                    // Not a key term as the text spells it (no listing spells it so, or it is
                    // one of several words): a key term of its own, as distinctive as the
                    // rarest of its other names.
                    let rarest = others.iter().map(|(_, _, d)| *d).min().unwrap_or(0);
                    if total >= 50 && rarest as f32 > 0.3 * total as f32 {
                        continue;
                    }
                    let weight = (1.0 + (found.count as f32).ln()) * bm25_idf(total, rarest);
                    keys.push(KeyTerm {
                        term: name.folded.clone(),
                        weight,
                    });
                    words.push(QueryWord {
                        word: name.folded.clone(),
                        parts: if name.tokens.len() > 1 {
                            name.tokens.clone()
                        } else {
                            Vec::new()
                        },
                        synonyms: Vec::new(),
                    });
                    vec![keys.len() - 1]
                } else {
                    covered
                };
                for &i in &covered {
                    words[i].synonyms.extend(
                        others
                            .iter()
                            .map(|(shown, other, _)| (shown.clone(), other.tokens.clone())),
                    );
                }
                let other_words = others.into_iter().map(|(_, o, _)| o.tokens.clone());
                alternatives.push((covered, other_words.collect()));
            }
        }
        let Some(max) = keys
            .iter()
            .map(|k| k.weight)
            .max_by(f32::total_cmp)
            .filter(|w| *w > 0.0)
        else {
            return Ok(Results::default());
        };
        let liked_terms = self.liked_terms(liked, &keys);
        let own = keys.len();
        let more: Vec<&KeyTerm> = liked_terms
            .iter()
            .filter(|k| !keys.iter().any(|o| o.term == k.term))
            .collect();
        for k in more {
            keys.push(KeyTerm {
                term: k.term.clone(),
                weight: k.weight * max,
            });
            words.push(QueryWord {
                word: k.term.clone(),
                parts: Vec::new(),
                synonyms: Vec::new(),
            });
        }
        let f = &self.fields;
        let term = |t: &str| term_query(f.text, t);
        let all = |words: &[String]| all_of(f.text, words);
        let boost_of = |k: &KeyTerm| 0.5 + 0.5 * k.weight / max;
        // The strongest own key terms find the candidates (ties: the text's order), and the
        // liked texts' terms.
        let previous = self.previous_similar.load(AtomicOrdering::Relaxed);
        let finding = if previous { own } else { RETRIEVAL_TERMS };
        let mut by_weight: Vec<usize> = (0..own).collect();
        by_weight.sort_by(|a, b| keys[*b].weight.total_cmp(&keys[*a].weight));
        let live = self.live(&searcher);
        let postings = |i: usize| {
            let w = &words[i];
            let spelled = std::slice::from_ref(&w.word);
            let parts = if w.parts.is_empty() {
                spelled
            } else {
                &w.parts
            };
            parts
                .iter()
                .map(|p| live.df(&Term::from_field_text(self.fields.text, p)))
                .min()
                .unwrap_or(0)
        };
        let bound = self.retrieval_postings.load(AtomicOrdering::Relaxed);
        let mut retrieved: HashSet<usize> = HashSet::new();
        let mut read = 0u64;
        for i in by_weight {
            if retrieved.len() >= finding {
                break;
            }
            let n = postings(i);
            if previous || retrieved.len() < MIN_RETRIEVAL_TERMS || read + n <= bound {
                retrieved.insert(i);
                read += n;
            }
        }
        retrieved.extend(own..keys.len());
        let mut any: Vec<(Occur, Box<dyn TQuery>)> = keys
            .iter()
            .zip(&words)
            .enumerate()
            .filter(|(i, _)| retrieved.contains(i))
            .map(|(_, (k, w))| {
                let q = if w.parts.is_empty() {
                    term(&k.term)
                } else {
                    all(&w.parts)
                };
                (Occur::Should, boxed(BoostQuery::new(q, boost_of(k))))
            })
            .collect();
        let mut weights: HashMap<String, f32> =
            keys.iter().map(|k| (k.term.clone(), k.weight)).collect();
        for (covered, other_words) in &alternatives {
            let strongest = covered
                .iter()
                .map(|&i| &keys[i])
                .max_by(|a, b| a.weight.total_cmp(&b.weight));
            let Some(strongest) = strongest else {
                continue;
            };
            // Other names find candidates as the key terms they stand for do.
            let finds = covered.iter().any(|i| retrieved.contains(i));
            for name in other_words {
                if finds {
                    any.push((
                        Occur::Should,
                        boxed(BoostQuery::new(all(name), boost_of(strongest))),
                    ));
                }
                for w in name {
                    weights.entry(w.clone()).or_insert(strongest.weight);
                }
            }
        }
        let top = self.top_filtered(&searcher, &BooleanQuery::new(any), clauses, q)?;
        let total = top.len();
        // The liked texts' terms were looked for (a hit says which it holds, after the text's
        // own); the text's own are its key terms.
        keys.truncate(own);
        let liked_words = words.split_off(own);
        // Strongest first (the dictionary's own key terms among them), ties in the text's order.
        let mut entries: Vec<(KeyTerm, QueryWord)> = keys.into_iter().zip(words).collect();
        entries.sort_by(|a, b| b.0.weight.total_cmp(&a.0.weight));
        let (keys, mut words): (Vec<KeyTerm>, Vec<QueryWord>) = entries.into_iter().unzip();
        words.extend(liked_words);
        let hits = self.hits(&searcher, top, &words)?;
        Ok(Results {
            total,
            hits,
            left_out: Vec::new(),
            key_terms: keys,
            liked_terms,
            marks: Marks { weights },
        })
    }

    /// The key terms of the `liked` texts, each with how strongly they hold it (see
    /// `Results::liked_terms`): those among `own` (the text's key terms), and at most
    /// [`LIKED_TERMS`] others, strongest first.
    fn liked_terms(&self, liked: &[&str], own: &[KeyTerm]) -> Vec<KeyTerm> {
        if liked.is_empty() {
            return Vec::new();
        }
        let mut strength: HashMap<String, f32> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for text in liked {
            let keys = self.key_terms_weighted(text, SIMILAR_TERMS);
            let Some(max) = keys.first().map(|k| k.weight).filter(|w| *w > 0.0) else {
                continue;
            };
            for k in keys {
                let s = strength.entry(k.term.clone()).or_insert_with(|| {
                    order.push(k.term.clone());
                    0.0
                });
                *s += k.weight / max / liked.len() as f32;
            }
        }
        let mut terms: Vec<KeyTerm> = order
            .into_iter()
            .map(|term| KeyTerm {
                weight: strength[&term],
                term,
            })
            .collect();
        // Strongest first; ties keep the liked texts' order.
        terms.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        let mut others = 0;
        terms.retain(|k| {
            own.iter().any(|o| o.term == k.term) || {
                others += 1;
                others <= LIKED_TERMS
            }
        });
        terms
    }

    /// The tokens the index stores for `text`, in order: each word, then the dictionary words
    /// inside it.
    pub fn terms(text: &str) -> Vec<String> {
        let mut toks = Vec::new();
        analyze(&tokenizer::jieba(), text, Mode::Index, &mut toks);
        toks.into_iter().map(|t| t.text).collect()
    }

    /// The words a query text is searched by (whole words, function words left out, at most
    /// [`MAX_QUERY_TERMS`]).
    pub fn query_terms(text: &str) -> Vec<String> {
        parse_query_text(text, &Synonyms::none())
            .terms
            .into_iter()
            .map(|t| t.word)
            .collect()
    }

    /// The words a query text is searched by, each with the parts that stand in for it (see
    /// [`QueryWord`]): what [`SearchIndex::search`] requires of a listing.
    pub fn query_words(text: &str) -> Vec<QueryWord> {
        parse_query_text(text, synonyms::dictionary()).terms
    }
}
