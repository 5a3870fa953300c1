//! Text handling: cleaning user text, XML escaping, width estimates,
//! truncation and wrapping.
//!
//! Widths are estimated, not measured: CJK and full-width characters count
//! as 1 em, Latin letters and digits as 0.55–0.9 em. The estimate errs on
//! the wide side so that text stays inside the space it is given.

/// The ellipsis put at the end of truncated text.
pub(crate) const ELLIPSIS: char = '…';

/// True for the characters XML 1.0 allows in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c,
        '\u{9}' | '\u{A}' | '\u{D}'
        | '\u{20}'..='\u{D7FF}'
        | '\u{E000}'..='\u{FFFD}'
        | '\u{10000}'..='\u{10FFFF}')
}

/// Cleans user text for display: drops control characters and characters
/// XML does not allow, collapses runs of white space to one space, trims.
pub(crate) fn clean(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if c.is_control() || !is_xml_char(c) {
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Escapes text for XML content and attribute values: `&`, `<`, `>`, `"`
/// and `'`. Characters XML does not allow are dropped and control
/// characters become spaces, so the output is always well-formed.
pub(crate) fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Tabs, newlines and the like: a space.
            c if c.is_control() && is_xml_char(c) => out.push(' '),
            // Other controls (not allowed in XML 1.0): dropped below.
            c if c.is_control() => {}
            c if is_xml_char(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// True for characters drawn about 1 em wide by CJK fonts.
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{1100}'..='\u{115F}'
        | '\u{2014}' | '\u{2018}'..='\u{201F}' | '\u{2026}'
        | '\u{2E80}'..='\u{303E}'
        | '\u{3041}'..='\u{33FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{A000}'..='\u{A4CF}'
        | '\u{AC00}'..='\u{D7A3}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{FE10}'..='\u{FE19}'
        | '\u{FE30}'..='\u{FE6F}'
        | '\u{FF00}'..='\u{FF60}'
        | '\u{FFE0}'..='\u{FFE6}'
        | '\u{1F300}'..='\u{1FAFF}'
        | '\u{20000}'..='\u{3FFFD}')
}

/// Estimated advance of one character, in em.
pub(crate) fn char_em(c: char) -> f64 {
    if is_wide(c) {
        1.0
    } else if c == ' ' {
        0.3
    } else if matches!(c, 'm' | 'w' | 'M' | 'W' | '@' | '%') {
        0.9
    } else if c.is_ascii_uppercase() || c == '&' {
        0.7
    } else if c.is_ascii_digit() || c.is_ascii_lowercase() {
        0.58
    } else if matches!(
        c,
        '.' | ',' | ':' | ';' | '\'' | '!' | '|' | '(' | ')' | '[' | ']' | '-'
    ) {
        0.35
    } else if c.is_ascii() {
        0.6
    } else {
        0.8
    }
}

/// Estimated width of `s` drawn at `size` (font size in user units).
pub(crate) fn text_width(s: &str, size: f64) -> f64 {
    s.chars().map(char_em).sum::<f64>() * size
}

/// Shortens `s` to fit `max_w` at `size`, ending it with "…" when it was
/// cut. Counts characters, never bytes. Returns "" when not even the
/// ellipsis fits.
pub(crate) fn truncate(s: &str, max_w: f64, size: f64) -> String {
    if text_width(s, size) <= max_w {
        return s.to_owned();
    }
    let ell = char_em(ELLIPSIS) * size;
    if ell > max_w {
        return String::new();
    }
    let mut out = String::new();
    let mut w = 0.0;
    for c in s.chars() {
        let cw = char_em(c) * size;
        if w + cw + ell > max_w {
            break;
        }
        w += cw;
        out.push(c);
    }
    let mut out = out.trim_end().to_owned();
    out.push(ELLIPSIS);
    out
}

/// Wraps `s` into at most `max_lines` lines of at most `max_w` each; the
/// last line is truncated with "…" if text is left over. Breaks anywhere
/// (fine for Chinese), but not inside a run of ASCII letters or digits when
/// a space is available.
pub(crate) fn wrap(s: &str, max_w: f64, size: f64, max_lines: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut lines = Vec::new();
    let mut i = 0;
    while i < chars.len() && max_lines > 0 {
        if lines.len() + 1 == max_lines {
            let rest: String = chars[i..].iter().collect();
            let line = truncate(rest.trim(), max_w, size);
            if !line.is_empty() {
                lines.push(line);
            }
            break;
        }
        let start = i;
        let mut w = 0.0;
        while i < chars.len() {
            let cw = char_em(chars[i]) * size;
            if w + cw > max_w && i > start {
                break;
            }
            w += cw;
            i += 1;
        }
        let mut end = i;
        if i < chars.len()
            && chars[i].is_ascii_alphanumeric()
            && chars[i - 1].is_ascii_alphanumeric()
            && let Some(sp) = chars[start..i].iter().rposition(|&c| c == ' ')
            && sp > 0
        {
            end = start + sp;
            i = end + 1;
        }
        let line: String = chars[start..end].iter().collect();
        let line = line.trim().to_owned();
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_all_five() {
        assert_eq!(
            escape(r#"<株洲&"高新区">'"#),
            "&lt;株洲&amp;&quot;高新区&quot;&gt;&#39;"
        );
    }

    #[test]
    fn drops_what_xml_forbids() {
        assert_eq!(escape("a\u{0}b\u{1}c\u{FFFE}d\te"), "abcd e");
        assert_eq!(clean("  a\u{0}\n\n b\u{3000}c  "), "a b c");
    }

    #[test]
    fn truncates_by_chars() {
        let s = "株洲高新技术产业开发区科技成果转化中心";
        let t = truncate(s, 12.0 * 6.0, 12.0);
        assert_eq!(t, "株洲高新技…");
        assert_eq!(truncate("短", 100.0, 12.0), "短");
        assert_eq!(truncate("株洲", 5.0, 12.0), "");
    }

    #[test]
    fn wraps_chinese_and_latin() {
        let lines = wrap("株洲高新技术产业开发区", 12.0 * 5.0, 12.0, 2);
        assert_eq!(lines, vec!["株洲高新技", "术产业开…"]);
        let lines = wrap("Zhuzhou hightech zone", 80.0, 12.0, 3);
        assert_eq!(lines[0], "Zhuzhou");
        assert!(wrap("", 50.0, 12.0, 2).is_empty());
        assert!(wrap("abc", 50.0, 12.0, 0).is_empty());
        // Narrower than one character: still makes progress.
        assert_eq!(wrap("株洲市", 1.0, 12.0, 5).len(), 3);
    }
}
