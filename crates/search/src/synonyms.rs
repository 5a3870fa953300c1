//! The domain's synonyms and abbreviations (`data/synonyms.tsv`, each group with the public page
//! that states it): 碳化硅 = SiC, 绝缘栅双极晶体管 = IGBT, 城市轨道交通 = 城轨 …
//!
//! Used at query time only (the index is not touched): [`crate::SearchIndex::similar`] finds the
//! groups a text names and also looks for the group's other names, and
//! [`crate::SearchIndex::search`] lets a query word be met by another name of its group. A
//! listing that names the same thing differently then shares the key term, and the reason says
//! both names ("碳化硅=SiC").

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use crate::tokenizer::{self, Mode, Tok};

/// The dictionary shipped with the build.
pub const SYNONYMS_TSV: &str = include_str!("../data/synonyms.tsv");

/// At most this many groups of one text are expanded (the first found): a bound on the query a
/// long text can build, whatever it holds.
pub const MAX_GROUPS_PER_TEXT: usize = 16;

/// One name of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    /// As the dictionary writes it (shown in reasons).
    pub written: String,
    /// Full-width folded and lower-cased: what is looked for in a text.
    pub folded: String,
    /// The index's words for it (whole words, as a query cuts it): a listing names it when it
    /// holds all of them.
    pub tokens: Vec<String>,
}

/// The groups of equivalent names.
#[derive(Debug)]
pub struct Synonyms {
    groups: Vec<Vec<Name>>,
    /// (group, name) of each pattern of `matcher`.
    patterns: Vec<(usize, usize)>,
    matcher: Option<AhoCorasick>,
    /// A name that is one word → (group, name).
    by_token: HashMap<String, (usize, usize)>,
}

/// A group a text names: which of its names, and how often.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub group: usize,
    pub name: usize,
    pub count: u32,
}

fn folded(text: &str) -> String {
    tokenizer::fold(text).0.to_ascii_lowercase()
}

fn is_ascii_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
}

/// An error in the dictionary's text: the line and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DictionaryError {
    pub line: usize,
    pub reason: String,
}

impl Synonyms {
    /// Reads the dictionary's format (`name|name…<TAB>source` per line, `#` comments). Total:
    /// any text gives a dictionary or the first line that is wrong.
    pub fn parse(text: &str) -> Result<Synonyms, DictionaryError> {
        let jieba = tokenizer::jieba();
        let mut toks: Vec<Tok> = Vec::new();
        let mut groups: Vec<Vec<Name>> = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line_no = i + 1;
            let err = |reason: String| DictionaryError {
                line: line_no,
                reason,
            };
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.split('\t');
            let terms = cols.next().unwrap_or_default();
            let source = cols.next().unwrap_or_default();
            if cols.next().is_some() {
                return Err(err("more than two columns".into()));
            }
            if source.trim().is_empty() {
                return Err(err("no source".into()));
            }
            let mut names = Vec::new();
            for written in terms.split('|') {
                let written = written.trim();
                if written.is_empty() {
                    return Err(err("an empty name".into()));
                }
                let f = folded(written);
                tokenizer::analyze(&jieba, written, Mode::Query, &mut toks);
                let tokens: Vec<String> = toks.iter().map(|t| t.text.clone()).collect();
                if tokens.is_empty() {
                    return Err(err(format!("{written}: no letters or digits")));
                }
                if let Some(other) = seen.insert(f.clone(), line_no) {
                    return Err(err(format!("{written} is also on line {other}")));
                }
                names.push(Name {
                    written: written.to_string(),
                    folded: f,
                    tokens,
                });
            }
            if names.len() < 2 {
                return Err(err("a group needs two names or more".into()));
            }
            groups.push(names);
        }
        let mut patterns = Vec::new();
        let mut by_token = HashMap::new();
        for (g, names) in groups.iter().enumerate() {
            for (n, name) in names.iter().enumerate() {
                patterns.push((g, n));
                if let [one] = name.tokens.as_slice() {
                    by_token.entry(one.clone()).or_insert((g, n));
                }
            }
        }
        let matcher = if patterns.is_empty() {
            None
        } else {
            let texts: Vec<&str> = patterns
                .iter()
                .map(|&(g, n)| groups[g][n].folded.as_str())
                .collect();
            Some(
                AhoCorasickBuilder::new()
                    .match_kind(MatchKind::Standard)
                    .build(texts)
                    .map_err(|e| DictionaryError {
                        line: 0,
                        reason: e.to_string(),
                    })?,
            )
        };
        Ok(Synonyms {
            groups,
            patterns,
            matcher,
            by_token,
        })
    }

    /// No groups (to compare with and without).
    pub fn none() -> Synonyms {
        Synonyms {
            groups: Vec::new(),
            patterns: Vec::new(),
            matcher: None,
            by_token: HashMap::new(),
        }
    }

    pub fn len(&self) -> usize {
        self.groups.len()
    }

    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The names of group `g`.
    pub fn group(&self, g: usize) -> &[Name] {
        self.groups.get(g).map(Vec::as_slice).unwrap_or_default()
    }

    /// The groups `text` names (full-width folded, any case; a name of ASCII letters or digits
    /// only where no ASCII letter or digit touches it, so PE is not found in PET), in order of
    /// first occurrence, each with the name it was first found by, at most
    /// [`MAX_GROUPS_PER_TEXT`].
    pub fn found_in(&self, text: &str) -> Vec<Found> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let hay = folded(text);
        let bytes = hay.as_bytes();
        let mut found: Vec<Found> = Vec::new();
        for m in matcher.find_overlapping_iter(&hay) {
            let (g, n) = self.patterns[m.pattern().as_usize()];
            let name = &self.groups[g][n];
            let first = name.folded.as_bytes().first().copied().unwrap_or(0);
            let last = name.folded.as_bytes().last().copied().unwrap_or(0);
            let touches_before = is_ascii_word_byte(first)
                && m.start() > 0
                && is_ascii_word_byte(bytes[m.start() - 1]);
            let touches_after = is_ascii_word_byte(last)
                && bytes.get(m.end()).is_some_and(|b| is_ascii_word_byte(*b));
            if touches_before || touches_after {
                continue;
            }
            if let Some(f) = found.iter_mut().find(|f| f.group == g) {
                f.count += 1;
            } else if found.len() < MAX_GROUPS_PER_TEXT {
                found.push(Found {
                    group: g,
                    name: n,
                    count: 1,
                });
            }
        }
        found
    }

    /// The other names of group `g` than its name `n`, each with how a reason shows the pair
    /// ("碳化硅=SiC": name `n` first).
    pub fn others(&self, g: usize, n: usize) -> impl Iterator<Item = (String, &Name)> {
        let group = self.group(g);
        let known_as = group.get(n).map_or("", |name| name.written.as_str());
        group
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i != n)
            .map(move |(_, other)| (format!("{known_as}={}", other.written), other))
    }

    /// The group whose one-word name is `token` (an index word), and which name it is.
    pub fn of_token(&self, token: &str) -> Option<(usize, usize)> {
        self.by_token.get(token).copied()
    }
}

/// The shipped dictionary, read once. A dictionary that does not read (a test guards against it)
/// is no dictionary, rather than a server that does not start.
pub fn dictionary() -> &'static Synonyms {
    static DICTIONARY: LazyLock<Synonyms> =
        LazyLock::new(|| Synonyms::parse(SYNONYMS_TSV).unwrap_or_else(|_| Synonyms::none()));
    &DICTIONARY
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_shipped_dictionary_reads_and_has_its_groups() {
        let d = Synonyms::parse(SYNONYMS_TSV).expect("data/synonyms.tsv reads");
        assert!(d.len() >= 200, "{} groups", d.len());
        // Every group names where the equivalence is stated.
        for line in SYNONYMS_TSV
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let source = line.split('\t').nth(1).unwrap_or_default();
            assert!(
                source.starts_with("http") || source.starts_with("GB"),
                "{line}"
            );
        }
        let (g, _) = d.of_token("igbt").expect("IGBT is a group");
        assert!(d.group(g).iter().any(|n| n.written == "绝缘栅双极晶体管"));
    }

    /// The names `text` is found to use, as the dictionary writes them.
    fn names_in(text: &str) -> Vec<&'static str> {
        let d = dictionary();
        d.found_in(text)
            .iter()
            .map(|f| d.group(f.group)[f.name].written.as_str())
            .collect()
    }

    #[test]
    fn finds_names_in_a_text_whatever_their_case_or_width() {
        assert_eq!(
            names_in("新型ＳＩＣ功率模块替代进口igbt，用于城轨车辆"),
            vec!["SiC", "IGBT", "城轨"]
        );
        let (g, n) = dictionary().of_token("sic").expect("SiC is a group");
        let others: Vec<String> = dictionary().others(g, n).map(|(shown, _)| shown).collect();
        assert_eq!(others, vec!["SiC=碳化硅"]);
    }

    #[test]
    fn an_ascii_name_is_found_only_as_a_whole_word() {
        // PE inside PET, PP inside PPT, SiC inside SiCN are other words.
        let names = names_in("PET瓶 PPT SiCN");
        assert!(!names.contains(&"PE"), "{names:?}");
        assert!(!names.contains(&"PP"), "{names:?}");
        assert!(!names.contains(&"SiC"), "{names:?}");
        assert!(names.contains(&"PET"), "{names:?}");
    }

    #[test]
    fn abbreviations_that_mostly_mean_something_else_are_not_expanded() {
        let d = dictionary();
        // A software need's API is not 原料药; an IC card is not a chip; ATP is not train
        // protection in a biotech listing.
        for word in ["api", "ic", "atp", "scr", "sbr", "tp", "tn", "od"] {
            assert_eq!(d.of_token(word), None, "{word}");
        }
        assert!(d.found_in("开放API接口，支持IC卡读写").is_empty());
    }

    #[test]
    fn a_broken_line_names_its_line_and_reason() {
        let e = Synonyms::parse("# c\n碳化硅|SiC\thttp://a\n氮化镓\thttp://b\n").unwrap_err();
        assert_eq!(e.line, 3);
        assert!(e.reason.contains("two names"));
        let e = Synonyms::parse("碳化硅|SiC\thttp://a\nSIC|金刚砂\thttp://b\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.reason.contains("line 1"), "{}", e.reason);
        assert_eq!(
            Synonyms::parse("碳化硅|SiC\n").unwrap_err().reason,
            "no source"
        );
        assert!(Synonyms::parse("a||b\tx\n").is_err());
        assert!(Synonyms::parse("").unwrap().is_empty());
    }

    #[test]
    fn a_long_text_expands_a_bounded_number_of_groups() {
        let d = dictionary();
        let every: String = (0..d.len())
            .map(|g| format!("{} ", d.group(g)[0].written))
            .collect();
        assert_eq!(d.found_in(&every).len(), MAX_GROUPS_PER_TEXT);
    }

    proptest! {
        #[test]
        fn any_text_reads_as_a_dictionary_or_an_error(text in "\\PC{0,200}") {
            let _ = Synonyms::parse(&text);
        }

        #[test]
        fn any_text_is_searched_for_names_without_panicking(text in "\\PC{0,300}") {
            let found = dictionary().found_in(&text);
            prop_assert!(found.len() <= MAX_GROUPS_PER_TEXT);
        }
    }
}
