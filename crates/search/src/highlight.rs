//! HTML for hits: everything escaped, matched terms wrapped in `<mark>`.

use std::collections::HashMap;
use std::ops::Range;

/// How many characters of the body a snippet shows.
pub const SNIPPET_CHARS: usize = 100;
/// Characters of context kept before the first match of a snippet.
const SNIPPET_LEAD_CHARS: usize = 12;

/// Escapes text for HTML element content and attribute values.
pub fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

/// The byte ranges of `text` where a term of `weights` occurs, sorted and merged, each with its
/// weight. The text is folded as the tokenizer folds it (full-width letters and digits, ASCII
/// case); a term that begins or ends with an ASCII letter or digit counts only where it does not
/// run on into one (`sic` is not marked in `basic`). Looking for the query's handful of terms
/// costs a fraction of tokenizing the text with jieba, which marking every hit's body did.
pub fn occurrences(text: &str, weights: &HashMap<String, f32>) -> Vec<(Range<usize>, f32)> {
    if weights.is_empty() || text.is_empty() {
        return Vec::new();
    }
    let (folded, map) = crate::tokenizer::fold(text);
    // ASCII lower-casing keeps every byte offset.
    let lower = folded.to_ascii_lowercase();
    let bytes = lower.as_bytes();
    let orig = |b: usize| {
        map.as_ref()
            .map_or(b, |m| m.get(b).copied().unwrap_or(text.len()))
    };
    let runs_on = |b: Option<&u8>| b.is_some_and(u8::is_ascii_alphanumeric);
    let mut ranges = Vec::new();
    for (term, weight) in weights {
        let (Some(first), Some(last)) = (term.as_bytes().first(), term.as_bytes().last()) else {
            continue;
        };
        for (at, _) in lower.match_indices(term.as_str()) {
            let end = at + term.len();
            let before = at.checked_sub(1).and_then(|b| bytes.get(b));
            if (first.is_ascii_alphanumeric() && runs_on(before))
                || (last.is_ascii_alphanumeric() && runs_on(bytes.get(end)))
            {
                continue;
            }
            ranges.push((orig(at)..orig(end), *weight));
        }
    }
    merge(ranges)
}

/// `ranges` sorted, overlapping ones merged (keeping the greater weight).
fn merge(mut ranges: Vec<(Range<usize>, f32)>) -> Vec<(Range<usize>, f32)> {
    ranges.sort_by_key(|(r, _)| (r.start, r.end));
    let mut merged: Vec<(Range<usize>, f32)> = Vec::with_capacity(ranges.len());
    for (range, weight) in ranges {
        match merged.last_mut() {
            Some((last, w)) if range.start < last.end => {
                last.end = last.end.max(range.end);
                *w = w.max(weight);
            }
            _ => merged.push((range, weight)),
        }
    }
    merged
}

/// `text[window]` escaped, with the parts of `ranges` inside the window marked.
fn render(text: &str, window: Range<usize>, ranges: &[(Range<usize>, f32)]) -> String {
    let mut out = String::with_capacity(window.len() + 32);
    let mut at = window.start;
    for (range, _) in ranges {
        let start = range.start.max(window.start);
        let end = range.end.min(window.end);
        if start >= end || start < at {
            continue;
        }
        escape_into(&mut out, text.get(at..start).unwrap_or(""));
        out.push_str("<mark>");
        escape_into(&mut out, text.get(start..end).unwrap_or(""));
        out.push_str("</mark>");
        at = end;
    }
    escape_into(&mut out, text.get(at..window.end).unwrap_or(""));
    out
}

/// The whole text, escaped, with matches marked.
pub fn highlight_all(text: &str, ranges: &[(Range<usize>, f32)]) -> String {
    render(text, 0..text.len(), ranges)
}

/// The byte offset `chars` characters after `from` (or the end).
fn advance_chars(text: &str, from: usize, chars: usize) -> usize {
    text.get(from..)
        .and_then(|rest| rest.char_indices().nth(chars).map(|(i, _)| from + i))
        .unwrap_or(text.len())
}

/// The byte offset `chars` characters before `to` (or 0).
fn retreat_chars(text: &str, to: usize, chars: usize) -> usize {
    if chars == 0 {
        return to;
    }
    text.get(..to)
        .and_then(|head| {
            head.char_indices()
                .rev()
                .nth(chars.saturating_sub(1))
                .map(|(i, _)| i)
        })
        .unwrap_or(0)
}

/// About [`SNIPPET_CHARS`] characters of `text` around its best cluster of matches (the window
/// holding the greatest weight of distinct terms), escaped, matches marked, `…` where cut.
/// Without matches, the beginning of the text.
pub fn snippet(text: &str, ranges: &[(Range<usize>, f32)]) -> String {
    let trimmed_start = text.len() - text.trim_start().len();
    let mut best: Option<(f32, usize)> = None;
    for (i, (first, _)) in ranges.iter().enumerate() {
        let window_end = advance_chars(text, first.start, SNIPPET_CHARS - SNIPPET_LEAD_CHARS);
        let mut seen: Vec<&str> = Vec::new();
        let mut score = 0.0f32;
        for (range, weight) in &ranges[i..] {
            if range.end > window_end {
                break;
            }
            let term = text.get(range.clone()).unwrap_or("");
            if !seen.contains(&term) {
                seen.push(term);
                score += weight;
            }
        }
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, first.start));
        }
    }
    let start = match best {
        Some((_, first)) => retreat_chars(text, first, SNIPPET_LEAD_CHARS).max(trimmed_start),
        None => trimmed_start,
    };
    let end = advance_chars(text, start, SNIPPET_CHARS);
    let mut out = String::new();
    if start > trimmed_start {
        out.push('…');
    }
    out.push_str(&render(text, start..end, ranges));
    if end < text.trim_end().len() {
        out.push('…');
    }
    out
}
