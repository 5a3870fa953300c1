//! Chinese tokenization: jieba (HMM on) with the platform's domain dictionary, as a tantivy
//! [`Tokenizer`].
//!
//! Every text, indexed or searched, goes through [`analyze`]:
//!
//! 1. Full-width ASCII letters and digits (`Ａ`–`Ｚ`, `ａ`–`ｚ`, `０`–`９`) are folded to half-width
//!    before segmentation, so `ＩＧＢＴ` segments like `IGBT`. Offsets are mapped back to the
//!    original text, so highlights land on what the user wrote.
//! 2. jieba cuts the text (precise mode, HMM on for words missing from the dictionary).
//! 3. Tokens without a letter or digit (whitespace, punctuation, emoji) are dropped; ASCII is
//!    lower-cased; tokens longer than [`MAX_TOKEN_BYTES`] are dropped.
//! 4. For indexing ([`Mode::Index`]), every dictionary word inside a longer word is emitted too.
//!    This is jieba's search mode extended: jieba's `cut_for_search` adds only the 2- and
//!    3-character dictionary words inside a word, so a document about 知识价值信用贷款 would not be
//!    found by the query 信用贷款 (4 characters). Queries ([`Mode::Query`]) use the precise cut
//!    only, so the query 中试基地 asks for that word (which every document containing 中试基地
//!    has), not for 中试 and 基地 separately.
//!
//! Positions count the letters and digits before a token (whitespace and punctuation do not
//! count), and a word's inner words sit at their own character's position. So the phrase
//! "中试 基地" (中试 at 0, 基地 at 2) matches a document with 中试基地, whose inner words 中试 and
//! 基地 are at p and p + 2.

use std::collections::HashSet;
use std::sync::{Arc, LazyLock};

use jieba_rs::Jieba;
use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

/// The platform's words that must stay whole (jieba's format: `word freq tag`).
pub const DOMAIN_WORDS: &str = include_str!("../data/domain_words.txt");

/// Bump when the tokenizer's output changes in a way the dictionary hash does not show.
const TOKENIZER_VERSION: u32 = 1;

/// Tokens longer than this (in bytes) are neither indexed nor searched: no real word is this
/// long, and a 10,000-character run of letters should not become one term.
pub const MAX_TOKEN_BYTES: usize = 96;

/// The longest inner word looked up in the dictionary, in characters.
const MAX_INNER_WORD_CHARS: usize = 8;

/// The process-wide jieba, loaded once (the default dictionary plus [`DOMAIN_WORDS`]).
static JIEBA: LazyLock<Arc<Jieba>> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for line in DOMAIN_WORDS.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let freq = parts.next().and_then(|f| f.parse::<usize>().ok());
        jieba.add_word(word, freq, parts.next());
    }
    Arc::new(jieba)
});

/// The shared jieba with the domain dictionary.
pub fn jieba() -> Arc<Jieba> {
    Arc::clone(&JIEBA)
}

/// A fingerprint of what the tokenizer emits: its version and the domain dictionary. An index
/// built with another fingerprint has other tokens and must be rebuilt.
pub fn fingerprint() -> String {
    // FNV-1a, 64 bits: stable across Rust versions, unlike `DefaultHasher`.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in DOMAIN_WORDS.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("v{TOKENIZER_VERSION}-{hash:016x}")
}

/// Function words and fillers left out of queries and key terms (still indexed).
const STOP_WORDS: &[&str] = &[
    "的", "了", "和", "与", "及", "或", "在", "是", "对", "为", "以", "于", "等", "将", "把", "被",
    "由", "从", "向", "也", "都", "而", "并", "其", "之", "这", "那", "有", "个", "中", "上", "下",
    "就", "还", "又", "很", "更", "最", "我", "你", "他", "她", "它", "们", "我们", "你们", "他们",
    "我司", "本", "该", "此", "这个", "那个", "这些", "那些", "一个", "一种", "一些", "进行",
    "通过", "可以", "能够", "需要", "希望", "寻找", "寻求", "求购", "想", "要", "如何", "怎么",
    "怎样", "什么", "哪些", "哪里", "是否", "以及", "并且", "或者", "但是", "因为", "所以", "如果",
    "虽然", "关于", "对于", "有关", "相关", "方面", "用于", "基于", "具有", "其中", "目前", "已经",
    "正在", "之一", "等等", "及其", "以上", "以下", "左右", "之间", "各种", "各类", "主要", "一定",
    "不", "没有", "请", "吗", "呢", "吧", "啊", "a", "an", "the", "of", "and", "or", "to", "in",
    "for", "on", "with", "by",
];

static STOP_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

/// Whether a (lower-cased) token is a function word left out of queries and key terms.
pub fn is_stop_word(token: &str) -> bool {
    STOP_SET.contains(token)
}

/// Words of requirement and report prose that say how, not what: never a listing's key term,
/// so they neither drive matching nor stand as its "shared key terms" reason (a search for them
/// still finds them). Read off real needs whose suggestions they misled (issue 17: 考虑, 单一,
/// 严格, 按照, 即可, 国家标准 …).
const FILLERS: &[&str] = &[
    "考虑",
    "单一",
    "严格",
    "按照",
    "即可",
    "国家标准",
    "行业标准",
    "要求",
    "满足",
    "达到",
    "保证",
    "确保",
    "有效",
    "显著",
    "良好",
    "较高",
    "较低",
    "较好",
    "适用",
    "适合",
    "合作",
    "开展",
    "推动",
    "促进",
    "方案",
    "问题",
    "难题",
    "瓶颈",
    "需求",
    "企业",
    "公司",
    "项目",
    "现有",
    "国内",
    "国外",
    "具体",
    "情况",
    "方式",
    "手段",
    "存在",
    "急需",
    "亟需",
    "迫切",
    "进一步",
    "同时",
    "另外",
    "此外",
    "以内",
    "不低于",
    "不高于",
    "不超过",
    "万元",
];

static FILLER_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| FILLERS.iter().copied().collect());

/// Whether a token is requirement prose rather than subject matter ([`FILLERS`]).
pub fn is_filler(token: &str) -> bool {
    FILLER_SET.contains(token)
}

/// Which tokens [`analyze`] emits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Whole words and every dictionary word inside them.
    Index,
    /// Whole words only (precise cut).
    Query,
}

/// One token with byte offsets into the original text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tok {
    pub text: String,
    pub from: usize,
    pub to: usize,
    pub position: usize,
    /// False for a dictionary word found inside a longer word.
    pub whole: bool,
}

fn fold_char(c: char) -> Option<char> {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

/// The text with full-width letters and digits folded, and for each byte of it the byte offset in
/// the original (`None` when nothing was folded, so offsets are the same).
pub(crate) fn fold(text: &str) -> (std::borrow::Cow<'_, str>, Option<Vec<usize>>) {
    if !text.chars().any(|c| fold_char(c).is_some()) {
        return (std::borrow::Cow::Borrowed(text), None);
    }
    let mut folded = String::with_capacity(text.len());
    let mut map = Vec::with_capacity(text.len() + 1);
    for (offset, c) in text.char_indices() {
        let out = fold_char(c).unwrap_or(c);
        for _ in 0..out.len_utf8() {
            map.push(offset);
        }
        folded.push(out);
    }
    map.push(text.len());
    (std::borrow::Cow::Owned(folded), Some(map))
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

/// Tokenizes `text` into `out` (cleared first).
pub fn analyze(jieba: &Jieba, text: &str, mode: Mode, out: &mut Vec<Tok>) {
    out.clear();
    if text.is_empty() {
        return;
    }
    let (folded, map) = fold(text);
    let folded: &str = &folded;
    let orig = |b: usize| {
        map.as_ref()
            .map_or(b, |m| m.get(b).copied().unwrap_or(text.len()))
    };

    // Letters and digits before each character: the token positions.
    let mut kept_before: Vec<u32> = Vec::with_capacity(folded.len() / 2 + 1);
    let mut kept = 0u32;
    for c in folded.chars() {
        kept_before.push(kept);
        if c.is_alphanumeric() {
            kept += 1;
        }
    }
    kept_before.push(kept);
    let position = |char_index: usize| {
        kept_before
            .get(char_index)
            .copied()
            .unwrap_or(kept)
            .try_into()
            .unwrap_or(usize::MAX)
    };

    let mut push = |word: &str, byte_start: usize, char_start: usize, whole: bool| {
        if word.len() > MAX_TOKEN_BYTES || !word.chars().any(char::is_alphanumeric) {
            return;
        }
        out.push(Tok {
            text: word.to_ascii_lowercase(),
            from: orig(byte_start),
            to: orig(byte_start + word.len()),
            position: position(char_start),
            whole,
        });
    };

    let mut char_offsets: Vec<usize> = Vec::new();
    for token in jieba.cut(folded, true) {
        let word = token.word;
        push(word, token.byte_start, token.start, true);
        if mode == Mode::Query || word.len() > MAX_TOKEN_BYTES {
            continue;
        }
        if word.is_ascii() {
            // `SiC-MOSFET`, `WES-5.4.5`: the parts with a letter are findable on their own.
            if word.contains(['.', '_', '-']) {
                let mut offset = 0;
                for part in word.split(['.', '_', '-']) {
                    if part.len() >= 2
                        && part.len() < word.len()
                        && part.bytes().any(|b| b.is_ascii_alphabetic())
                    {
                        push(part, token.byte_start + offset, token.start + offset, false);
                    }
                    offset += part.len() + 1;
                }
            }
            continue;
        }
        // Dictionary words inside a longer word, in order of their first character.
        char_offsets.clear();
        char_offsets.extend(word.char_indices().map(|(i, _)| i));
        let n = char_offsets.len();
        if n <= 2 || !word.chars().any(is_cjk) {
            continue;
        }
        char_offsets.push(word.len());
        for i in 0..n - 1 {
            let longest = (n - 1).min(MAX_INNER_WORD_CHARS).min(n - i);
            for len in 2..=longest {
                let inner = &word[char_offsets[i]..char_offsets[i + len]];
                if jieba.has_word(inner) {
                    push(
                        inner,
                        token.byte_start + char_offsets[i],
                        token.start + i,
                        false,
                    );
                }
            }
        }
    }
}

/// The tantivy tokenizer over [`analyze`] in [`Mode::Index`], with the shared [`jieba`]. The
/// dictionary loads when the first text is tokenized, not when an index is opened: a server
/// whose market is not used does not hold it (about 30 MB; see bench/README.md).
#[derive(Clone, Default)]
pub struct ZhTokenizer {
    toks: Vec<Tok>,
    tokens: Vec<Token>,
}

/// The tokens of one text, reusing the tokenizer's buffers.
pub struct ZhTokenStream<'a> {
    tokens: &'a mut Vec<Token>,
    len: usize,
    index: usize,
}

impl Tokenizer for ZhTokenizer {
    type TokenStream<'a> = ZhTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> ZhTokenStream<'a> {
        analyze(&JIEBA, text, Mode::Index, &mut self.toks);
        let len = self.toks.len();
        // Reuse the `Token`s (and their strings) of earlier texts.
        // At least one, so `token()` has something to return even before `advance()`.
        if self.tokens.len() < len.max(1) {
            self.tokens.resize_with(len.max(1), Token::default);
        }
        for (tok, token) in self.toks.iter_mut().zip(self.tokens.iter_mut()) {
            token.text.clear();
            token.text.push_str(&tok.text);
            token.offset_from = tok.from;
            token.offset_to = tok.to;
            token.position = tok.position;
            token.position_length = 1;
        }
        ZhTokenStream {
            tokens: &mut self.tokens,
            len,
            index: 0,
        }
    }
}

impl TokenStream for ZhTokenStream<'_> {
    fn advance(&mut self) -> bool {
        if self.index < self.len {
            self.index += 1;
            true
        } else {
            false
        }
    }

    fn token(&self) -> &Token {
        &self.tokens[self.index.saturating_sub(1)]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.index.saturating_sub(1)]
    }
}
