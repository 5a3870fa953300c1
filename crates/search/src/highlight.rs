//! HTML for hits: everything escaped, matched terms wrapped in `<mark>`.

use std::collections::HashMap;
use std::ops::Range;

use crate::tokenizer::Tok;

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

/// The byte ranges of `toks` whose text is one of `weights`' keys, sorted and merged.
pub fn matched_ranges(toks: &[Tok], weights: &HashMap<String, f32>) -> Vec<(Range<usize>, f32)> {
    let mut ranges: Vec<(Range<usize>, f32)> = toks
        .iter()
        .filter_map(|t| weights.get(&t.text).map(|w| (t.from..t.to, *w)))
        .collect();
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
