//! XML text: escaped for element content and attribute values, with the characters XML 1.0
//! forbids (most C0 controls, U+FFFE, U+FFFF) left out. Total: any Unicode in, valid XML out.

/// Whether XML 1.0 allows `c` in a document (`Char` production; Rust's `char` has no surrogates).
pub fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` as element content or an attribute value (quotes escaped too), forbidden characters
/// dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // A parser turns a literal CR into LF, and tabs and line ends in attributes into
            // spaces: as references they survive.
            '\r' => out.push_str("&#13;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            c if allowed(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// What [`escape`] keeps of `s`, unescaped: what a parser reads back.
pub fn kept(s: &str) -> String {
    s.chars().filter(|c| allowed(*c)).collect()
}
