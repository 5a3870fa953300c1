//! The interface's words in Chinese (first) and English, and the request's language.
//!
//! The words live in Fluent files (`crates/web/locales/{zh-CN,en}/<capability>.ftl`, Project
//! Fluent's standard format, which translation tools read), one file per page module
//! (`pages/market.rs` → `market.ftl`) and `common.ftl` for words more than one page uses. They are
//! compiled into the binary and read once, at the first lookup. Every message is plain text: a
//! page formats numbers and names itself. Tests keep both languages' keys identical, refuse a
//! key defined twice or a file that does not parse, and fail when a template uses a key that is
//! missing.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::http::HeaderMap;
use fluent_syntax::ast::{Entry, Expression, InlineExpression, PatternElement};
use fruition_domain::lang::Lang;

/// The cookie that keeps a visitor's chosen language.
pub const LANG_COOKIE: &str = "fruition_lang";

/// The request's language: a chosen language (cookie) first, else the browser's, else Chinese.
pub fn lang_of(headers: &HeaderMap) -> Lang {
    if let Some(lang) = crate::cookies::cookie_value(headers, LANG_COOKIE).and_then(Lang::from_tag)
    {
        return lang;
    }
    headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map(Lang::from_accept_language)
        .unwrap_or_default()
}

/// A word or sentence of the interface in `lang`. Keys are the English identifiers used in
/// templates; an unknown key shows "??", and a test keeps every key a template uses defined.
pub fn t(lang: Lang, key: &str) -> &'static str {
    match lookup(key) {
        Some((zh, en)) => lang.pick(zh, en),
        None => "??",
    }
}

/// A key's Chinese and English, when both languages define it.
pub fn lookup(key: &str) -> Option<(&'static str, &'static str)> {
    let zh = CATALOGUE.zh.get(key)?;
    let en = CATALOGUE.en.get(key)?;
    Some((zh, en))
}

/// The locale files, by name: (name, Chinese source, English source).
macro_rules! locale_files {
    ($($name:literal),* $(,)?) => {
        &[$((
            $name,
            include_str!(concat!("../locales/zh-CN/", $name, ".ftl")),
            include_str!(concat!("../locales/en/", $name, ".ftl")),
        )),*]
    };
}

static FILES: &[(&str, &str, &str)] = locale_files!(
    "common",
    "account",
    "alliance",
    "applications",
    "audit",
    "bookings",
    "campaigns",
    "evaluations",
    "capital_grants",
    "capital",
    "carriers",
    "contracts",
    "credit",
    "credit_claims",
    "credit_loans",
    "credit_pool",
    "credit_risk",
    "credit_scores",
    "credit_target",
    "credit_whatif",
    "deals",
    "enterprises",
    "home",
    "import",
    "market",
    "mentors",
    "organisations",
    "pilot",
    "reference",
    "reports",
    "services",
    "session",
    "spinoffs",
    "statistics",
    "users",
    "vouchers",
);

struct Catalogue {
    zh: HashMap<&'static str, &'static str>,
    en: HashMap<&'static str, &'static str>,
    /// What is wrong with the files (a test asserts there is nothing).
    problems: Vec<String>,
}

static CATALOGUE: LazyLock<Catalogue> = LazyLock::new(|| {
    let mut c = Catalogue {
        zh: HashMap::new(),
        en: HashMap::new(),
        problems: Vec::new(),
    };
    for (name, zh, en) in FILES {
        read_file(&mut c.zh, &mut c.problems, &format!("zh-CN/{name}.ftl"), zh);
        read_file(&mut c.en, &mut c.problems, &format!("en/{name}.ftl"), en);
    }
    for problem in &c.problems {
        tracing::error!(%problem, "interface words");
    }
    c
});

/// Reads one Fluent file's messages into `words`, noting what cannot be used.
fn read_file(
    words: &mut HashMap<&'static str, &'static str>,
    problems: &mut Vec<String>,
    file: &str,
    source: &'static str,
) {
    let resource = match fluent_syntax::parser::parse(source) {
        Ok(r) => r,
        Err((r, errors)) => {
            for e in errors {
                problems.push(format!("{file}: cannot read {:?}", e.kind));
            }
            r
        }
    };
    for entry in resource.body {
        let Entry::Message(message) = entry else {
            continue;
        };
        let key = message.id.name;
        let Some(pattern) = message.value else {
            problems.push(format!("{file}: {key} has no text"));
            continue;
        };
        let mut parts: Vec<&'static str> = Vec::new();
        for element in pattern.elements {
            match element {
                PatternElement::TextElement { value } => parts.push(value),
                PatternElement::Placeable {
                    expression: Expression::Inline(InlineExpression::StringLiteral { value }),
                } => parts.push(value),
                PatternElement::Placeable { .. } => problems.push(format!(
                    "{file}: {key} has a placeable; messages are plain text"
                )),
            }
        }
        let text: &'static str = match parts.as_slice() {
            [one] => one,
            // Several pieces (a kept space): joined once, for the life of the process.
            _ => Box::leak(parts.concat().into_boxed_str()),
        };
        if words.insert(key, text).is_some() {
            problems.push(format!("{file}: {key} is defined twice"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locale_files_read_cleanly() {
        assert!(CATALOGUE.problems.is_empty(), "{:#?}", CATALOGUE.problems);
        assert!(CATALOGUE.zh.len() > 700, "{} words", CATALOGUE.zh.len());
    }

    #[test]
    fn both_languages_have_the_same_words() {
        let mut only_zh: Vec<_> = CATALOGUE
            .zh
            .keys()
            .filter(|k| !CATALOGUE.en.contains_key(*k))
            .collect();
        let mut only_en: Vec<_> = CATALOGUE
            .en
            .keys()
            .filter(|k| !CATALOGUE.zh.contains_key(*k))
            .collect();
        only_zh.sort();
        only_en.sort();
        assert!(
            only_zh.is_empty() && only_en.is_empty(),
            "only Chinese: {only_zh:?}; only English: {only_en:?}"
        );
    }

    #[test]
    fn kept_spaces_survive() {
        assert_eq!(t(Lang::En, "incubating_at"), "Incubating at: ");
        assert_eq!(t(Lang::ZhCn, "home"), "首页");
        assert_eq!(t(Lang::En, "no such key"), "??");
    }

    /// Every `t("…")` a template uses has both languages here.
    #[test]
    fn every_template_key_is_translated() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).expect("templates dir") {
            let path = entry.expect("entry").path();
            let text = std::fs::read_to_string(&path).expect("template");
            for piece in text.split("t(\"").skip(1) {
                let key = piece.split('"').next().unwrap_or("");
                if lookup(key).is_none() {
                    missing.push(format!("{}: {key}", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }
}
