//! Property tests for every public function of the domain that reads text: each is fed
//! arbitrary Unicode (`any::<String>()`) and strings that mix what the parser expects (ASCII
//! digits and letters, its separators, full-width forms) with what it does not ("®", "１",
//! "中", combining marks, emoji, control and bidi characters), and valid values with such
//! characters inserted, so that every branch is reached. Each property asserts that the
//! function does not panic, that an error names the right field and gives a code and both
//! messages, and, where a value can be written back (`as_str`, `Display`, `code`), that the
//! written form reads back as the same value.
//!
//! The per-module tests keep their own, narrower properties; this file is the one place that
//! lists every text parser. A new parser belongs here too.
//!
//! Covered: `account::{Login, PersonName, OrgName, Email, Phone}::parse` (and `FromStr`,
//! `Deserialize`), `account::Password::{new_checked, new_checked_with_inputs}`,
//! `uscc::{Uscc::parse, check_char, org_code_check_char, half_width}`, `region::RegionCode::parse`,
//! `date::IsoDate::{parse, parse_field}` (and `FromStr`, `Deserialize`), `money::parse_yuan`,
//! `market::{PatentNumber::parse, text, optional_text}` (and `PatentNumber`'s `TryFrom<String>`),
//! every `string_enum!` type's `parse` and `TryFrom<String>`, `lang::Lang::{from_tag,
//! from_accept_language}`, `deal::{ContractType::read, message, Terms::parse,
//! registration_number}`, `tech_field::TechField::{find, read}`, `carrier::{check_import, check_report_year}`,
//! `pilot::{parse_slot, ResourceSpec::parse}`, `voucher::{VoucherTerms::parse, kinds_of}`,
//! `billing::{bill_terms, payment}`, `attachment::{check, clean_name}`, `alliance::{parse_china_time, normalise_code}`, `reference::{parse_county_in, industry_division,
//! industry_section}`, `indicators::Indicators::{get, set}`, `wording::{more_than, about}`.

use proptest::prelude::*;
use proptest::sample::{Index, select};

use crate::FieldError;
use crate::account::{Email, Login, OrgName, Password, PersonName, Phone};
use crate::date::IsoDate;
use crate::region::RegionCode;
use crate::uscc::Uscc;

/// Cases per property: enough to reach every branch, few enough to keep `cargo test` quick.
const CASES: u32 = 1_000;
/// zxcvbn is slow in a debug build (up to ~1 s for a 100-character password full of l33t
/// characters), so the password properties run fewer cases.
const PASSWORD_CASES: u32 = 300;

// ---------------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------------

/// Characters parsers do not expect, or treat specially: non-ASCII look-alikes, full-width
/// forms, combining marks, emoji (4 bytes), control, zero-width and bidi characters, and
/// characters whose case mapping changes their length.
const ODD: &[char] = &[
    '®',
    '１',
    '９',
    '中',
    '区',
    '县',
    '市',
    '年',
    '月',
    '日',
    '元',
    '¥',
    '￥',
    '．',
    '，',
    '－',
    '＠',
    'Ａ',
    'ｚ',
    '\u{3000}',
    '\u{301}',
    '\u{308}',
    '\u{20DD}',
    '😀',
    '👍',
    '\u{200D}',
    '\u{200B}',
    '\u{202E}',
    '\u{FEFF}',
    '\u{0}',
    '\u{7}',
    '\n',
    '\t',
    '\r',
    '\u{85}',
    '\u{A0}',
    'İ',
    'ß',
    'ﬀ',
    'Σ',
    'é',
    'ǅ',
    '٣',
    '𝟙',
    '\u{10FFFF}',
    '\u{FFFD}',
];

/// ASCII that parsers look for: separators, signs, prefixes.
const PUNCT: &[char] = &[
    '.', '-', '/', ':', ',', '@', '+', '(', ')', ' ', '_', 'T', 'X', 'Z', 'L', 'C', 'N', '0', '1',
    '9', 'e', 'q', '=', ';', '*',
];

fn odd_char() -> impl Strategy<Value = char> {
    prop_oneof![3 => select(ODD), 1 => any::<char>()]
}

/// Strings mixing ASCII digits and letters, separators and odd characters.
fn mixed(max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            4 => proptest::char::range('0', '9'),
            2 => proptest::char::range('a', 'z'),
            2 => proptest::char::range('A', 'Z'),
            2 => select(PUNCT),
            2 => odd_char(),
        ],
        0..max,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// What to do to a valid input.
#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, char),
    Replace(Index, char),
    Remove(Index),
    Append(char),
}

/// A character to put into a valid input: mostly odd ones, some that the parser accepts
/// elsewhere (so that a code keeps its length and reaches the later checks).
fn edit_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => odd_char(),
        1 => proptest::char::range('0', '9'),
        1 => proptest::char::range('A', 'Z'),
        1 => select(PUNCT),
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        1 => (any::<Index>(), edit_char()).prop_map(|(i, c)| Edit::Insert(i, c)),
        2 => (any::<Index>(), edit_char()).prop_map(|(i, c)| Edit::Replace(i, c)),
        1 => any::<Index>().prop_map(Edit::Remove),
        1 => edit_char().prop_map(Edit::Append),
    ]
}

/// Applies edits by character position (never by byte offset).
fn apply(s: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    for e in edits {
        match *e {
            Edit::Insert(i, c) => {
                let at = i.index(chars.len() + 1);
                chars.insert(at, c);
            }
            Edit::Replace(i, c) if !chars.is_empty() => {
                let at = i.index(chars.len());
                chars[at] = c;
            }
            Edit::Remove(i) if !chars.is_empty() => {
                let at = i.index(chars.len());
                chars.remove(at);
            }
            Edit::Append(c) => chars.push(c),
            Edit::Replace(..) | Edit::Remove(_) => {}
        }
    }
    chars.into_iter().collect()
}

/// A valid input, as is or with up to three odd characters put in, taken out or replaced.
fn near(valid: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    (valid, proptest::collection::vec(edit(), 0..4)).prop_map(|(s, e)| apply(&s, &e))
}

/// Arbitrary Unicode, mixed strings, and near-valid inputs, in one strategy.
fn inputs(valid: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    prop_oneof![1 => any::<String>(), 1 => mixed(40), 2 => near(valid)]
}

/// Full-width forms of ASCII digits and letters, as Chinese input methods type them.
fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(u32::from(c) + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn valid_uscc() -> impl Strategy<Value = String> {
    (
        "[1-9A-HJ-NP-RTUWXY][0-9A-HJ-NP-RTUWXY][0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}",
        any::<bool>(),
    )
        .prop_map(|(f, wide)| {
            let c = crate::uscc::check_char(&f).unwrap_or('0');
            let s = format!("{f}{c}");
            if wide { full_width(&s) } else { s }
        })
}

fn valid_region() -> impl Strategy<Value = String> {
    (
        select(vec![11u8, 12, 31, 43, 44, 50, 65, 71, 81, 82]),
        0u8..100,
        0u8..100,
    )
        .prop_map(|(p, c, x)| format!("{p:02}{c:02}{:02}", if c == 0 { 0 } else { x }))
}

fn valid_patent() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            "[12][09][0-9]{2}[12389][0-9]{7}",
            "[89][0-9][12389][0-9]{5}"
        ],
        select(vec!["ZL", "CN", "zl", "", "ＺＬ"]),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(digits, prefix, dot, wide)| {
            let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
            let c = crate::market::patent_check(&values);
            let s = format!("{prefix}{digits}{}{c}", if dot { "." } else { "" });
            if wide { full_width(&s) } else { s }
        })
}

fn valid_date() -> impl Strategy<Value = String> {
    (
        1890u16..2210,
        0u8..14,
        0u8..33,
        select(vec![
            ("-", "-", ""),
            ("/", "/", ""),
            (".", ".", ""),
            ("年", "月", "日"),
        ]),
    )
        .prop_map(|(y, m, d, (a, b, c))| format!("{y}{a}{m:02}{b}{d}{c}"))
}

fn valid_yuan() -> impl Strategy<Value = String> {
    (
        0i64..20_000_000_000,
        select(vec!["", "¥", "￥"]),
        select(vec!["", "元"]),
    )
        .prop_map(|(fen, pre, post)| format!("{pre}{}{post}", crate::money::yuan(fen)))
}

fn valid_login() -> impl Strategy<Value = String> {
    "[a-zA-Z][a-z0-9._-]{2,31}".prop_map(|s| s)
}

fn valid_email() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9._+-]{1,20}@[a-zA-Z0-9-]{1,12}\\.[a-z]{2,6}".prop_map(|s| s)
}

fn valid_phone() -> impl Strategy<Value = String> {
    prop_oneof![
        "(\\+86 ?)?1[3-9][0-9]{9}",
        "0(10|2[0-9]|[3-9][0-9]{2})-?[2-8][0-9]{6,7}",
        "\\+86 ?(10|2[0-9]|[3-9][0-9]{2}) [2-8][0-9]{6,7}",
    ]
}

fn valid_name() -> impl Strategy<Value = String> {
    "[\u{4e00}-\u{9fa5}A-Za-z·() ]{0,60}".prop_map(|s| s)
}

fn valid_slot() -> impl Strategy<Value = String> {
    (
        valid_date(),
        0u8..26,
        select(vec![":00", ":00:00", ":30", "", ":00:00+08:00"]),
        select(vec![" ", "T"]),
    )
        .prop_map(|(d, h, rest, sep)| format!("{d}{sep}{h:02}{rest}"))
}

fn valid_password() -> impl Strategy<Value = String> {
    prop_oneof![
        "[abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789]{16}",
        "[a-z]{4,8}[ -][a-z]{4,8}[ -][0-9]{2,4}",
        "[0-9]{8,12}",
        "[a-zA-Z0-9!@#$%^&*]{8,24}",
        weak_password(),
    ]
}

/// Passwords zxcvbn finds easy to guess: common passwords, words, names, years and dates,
/// keyboard rows and sequences, repeated.
fn weak_password() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        select(vec![
            "password",
            "123456",
            "qwerty",
            "qwertyuiop",
            "abc",
            "iloveyou",
            "admin",
            "zhangsan",
            "dragon",
            "monkey",
            "2024",
            "1990-01-01",
            "0731",
            "michael",
            "sunshine",
            "asdf",
            "P@ssw0rd",
            "!",
            "1",
            "aaa",
            "fruition",
        ]),
        1..5,
    )
    .prop_map(|parts| parts.concat())
}

/// Checks an error's shape: the expected field, a code, and both messages.
fn well_formed(e: &FieldError, field: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(e.field, field, "{:?}", e);
    prop_assert!(!e.code.is_empty(), "{:?}", e);
    prop_assert!(!e.zh.trim().is_empty(), "{:?}", e);
    prop_assert!(!e.en.trim().is_empty(), "{:?}", e);
    Ok(())
}

/// Serde reads a string the same way `parse` does.
fn serde_agrees<T>(s: &str, parsed: &Result<T, FieldError>) -> Result<(), TestCaseError>
where
    T: serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let via_serde = serde_json::from_value::<T>(serde_json::Value::String(s.to_owned()));
    match (parsed, via_serde) {
        (Ok(a), Ok(b)) => prop_assert_eq!(a, &b),
        (Err(_), Err(_)) => {}
        (a, b) => prop_assert!(false, "parse {:?} but serde {:?} for {:?}", a, b, s),
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn logins(s in inputs(valid_login())) {
        let r = Login::parse(&s);
        match &r {
            Ok(l) => {
                prop_assert_eq!(Login::parse(l.as_str()), Ok(l.clone()));
                prop_assert_eq!(l.to_string(), l.as_str());
                prop_assert!(l.as_str().is_ascii());
            }
            Err(e) => well_formed(e, "login")?,
        }
        prop_assert_eq!(&s.parse::<Login>(), &r);
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn person_names(s in inputs(valid_name())) {
        let r = PersonName::parse(&s);
        match &r {
            Ok(n) => {
                prop_assert_eq!(PersonName::parse(n.as_str()), Ok(n.clone()));
                prop_assert!((1..=PersonName::MAX_CHARS).contains(&n.as_str().chars().count()));
            }
            Err(e) => well_formed(e, "display_name")?,
        }
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn org_names(s in inputs(valid_name())) {
        let r = OrgName::parse(&s);
        match &r {
            Ok(n) => {
                prop_assert_eq!(OrgName::parse(n.as_str()), Ok(n.clone()));
                let len = n.as_str().chars().count();
                prop_assert!((OrgName::MIN_CHARS..=OrgName::MAX_CHARS).contains(&len));
            }
            Err(e) => well_formed(e, "name")?,
        }
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn emails(s in inputs(valid_email())) {
        let r = Email::parse(&s);
        match &r {
            Ok(m) => {
                prop_assert_eq!(Email::parse(m.as_str()), Ok(m.clone()));
                prop_assert_eq!(format!("{}@{}", m.local_part(), m.domain()), m.as_str());
            }
            Err(e) => well_formed(e, "email")?,
        }
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn phones(s in inputs(valid_phone())) {
        let r = Phone::parse(&s);
        match &r {
            Ok(p) => {
                prop_assert_eq!(Phone::parse(p.as_str()), Ok(p.clone()));
                prop_assert!(p.as_str().bytes().all(|b| b.is_ascii_digit() || b == b'-'));
                let _ = p.kind();
            }
            Err(e) => well_formed(e, "phone")?,
        }
        serde_agrees(&s, &r)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(PASSWORD_CASES))]

    #[test]
    fn passwords(
        pw in prop_oneof![1 => any::<String>(), 1 => mixed(30), 2 => near(valid_password()), 1 => weak_password()],
        login in prop_oneof![valid_login(), any::<String>()],
        other in prop_oneof![Just(String::new()), valid_name(), any::<String>()],
        pw_is_login in proptest::bool::weighted(0.05),
    ) {
        let pw = if pw_is_login { login.to_uppercase() } else { pw };
        let r = Password::new_checked_with_inputs(&pw, &login, &[other.as_str()]);
        match &r {
            Ok(p) => {
                // Kept as typed (not trimmed); still accepted on a second look.
                prop_assert_eq!(p.expose(), pw.as_str());
                prop_assert!(Password::new_checked(&pw, &login).is_ok());
                prop_assert_ne!(pw.to_lowercase(), login.trim().to_lowercase());
                let n = pw.chars().count();
                prop_assert!((Password::MIN_CHARS..=Password::MAX_CHARS).contains(&n));
                prop_assert_eq!(format!("{p:?}"), "Password(***)");
            }
            Err(e) => {
                well_formed(e, "new_password")?;
                prop_assert!(
                    [
                        "password_too_short",
                        "password_too_long",
                        "password_repetitive",
                        "password_is_login",
                        "password_weak",
                    ]
                    .contains(&e.code),
                    "{:?}",
                    e
                );
                // The error never shows the password (one that is not just a word of the
                // messages themselves, like "password").
                if pw.chars().count() >= 6 && pw.chars().any(|c| !c.is_ascii_alphabetic() && c != ' ') {
                    prop_assert!(!e.zh.contains(pw.as_str()) && !e.en.contains(pw.as_str()));
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Codes: USCC, organisation code, region
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn usccs(s in inputs(valid_uscc())) {
        let r = Uscc::parse(&s);
        match &r {
            Ok(u) => {
                prop_assert_eq!(u.as_str().len(), 18);
                prop_assert_eq!(Uscc::parse(u.as_str()), Ok(u.clone()));
                prop_assert_eq!(u.to_string().parse::<Uscc>(), Ok(u.clone()));
                prop_assert_eq!(u.division_code().len(), 6);
                prop_assert_eq!(u.org_code().len(), 9);
                let first17: String = u.as_str().chars().take(17).collect();
                prop_assert_eq!(crate::uscc::check_char(&first17), Some(u.check()));
                let _ = (u.registration_authority(), u.category(), u.region(), u.warnings());
            }
            Err(e) => well_formed(e, "uscc")?,
        }
        prop_assert_eq!(&s.parse::<Uscc>(), &r);
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn check_characters(s in inputs("[0-9A-Z]{8,17}".prop_map(|s| s))) {
        if crate::uscc::check_char(&s).is_some() {
            prop_assert_eq!(s.chars().count(), 17);
        }
        if let Some(c) = crate::uscc::org_code_check_char(&s) {
            prop_assert_eq!(s.chars().count(), 8);
            prop_assert!(c == 'X' || c.is_ascii_digit());
        }
    }

    #[test]
    fn half_width_keeps_every_character(s in inputs(valid_uscc())) {
        let h = crate::uscc::half_width(&s);
        prop_assert_eq!(h.chars().count(), s.chars().count());
        prop_assert_eq!(crate::uscc::half_width(&h), h.clone());
    }

    #[test]
    fn region_codes(s in inputs(valid_region())) {
        let r = RegionCode::parse(&s);
        match &r {
            Ok(c) => {
                prop_assert_eq!(RegionCode::parse(c.as_str()), Ok(*c));
                prop_assert_eq!(format!("{:06}", c.as_u32()), c.as_str());
                let _ = (c.level(), c.province(), c.prefecture(), c.parent());
                prop_assert!(c.province().contains(c));
                let _ = crate::reference::division(c);
            }
            Err(e) => well_formed(e, "region_code")?,
        }
        prop_assert_eq!(&s.parse::<RegionCode>(), &r);
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn counties(
        s in inputs(prop_oneof![
            valid_region(),
            select(crate::reference::divisions().iter().map(|d| d.name.to_owned()).collect::<Vec<_>>()),
        ]),
        prefecture in select(
            crate::reference::divisions()
                .iter()
                .filter(|d| d.level == crate::region::RegionLevel::Prefecture)
                .map(|d| d.code)
                .chain([RegionCode::parse("110100").expect("valid")])
                .collect::<Vec<_>>(),
        ),
    ) {
        match crate::reference::parse_county_in(&prefecture, &s) {
            Ok(d) => {
                prop_assert_eq!(d.level, crate::region::RegionLevel::County);
                prop_assert!(prefecture.contains(&d.code));
                prop_assert_eq!(crate::reference::parse_county_in(&prefecture, d.code.as_str()), Ok(d));
                prop_assert_eq!(crate::reference::parse_county_in(&prefecture, d.name), Ok(d));
            }
            Err(e) => well_formed(&e, "county")?,
        }
    }

    #[test]
    fn industry_codes(s in inputs("[0-9]{2}".prop_map(|s| s)), c in any::<char>()) {
        if let Some(d) = crate::reference::industry_division(&s) {
            prop_assert_eq!(d.code, s.trim());
            prop_assert!(crate::reference::industry_section(d.section).is_some());
        }
        if let Some(sec) = crate::reference::industry_section(c) {
            prop_assert_eq!(sec.code, c);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dates, times, money
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn dates(s in inputs(valid_date())) {
        let r = IsoDate::parse(&s);
        match &r {
            Ok(d) => {
                prop_assert_eq!(IsoDate::parse(&d.to_string()), Ok(*d));
                prop_assert!((1900..=2200).contains(&d.year()));
                prop_assert_eq!(IsoDate::from_days(d.days_since_epoch()), *d);
            }
            Err(e) => well_formed(e, "date")?,
        }
        prop_assert_eq!(&s.parse::<IsoDate>(), &r);
        match IsoDate::parse_field(&s, "starts_on") {
            Ok(d) => prop_assert_eq!(Ok(d), r.clone()),
            Err(e) => well_formed(&e, "starts_on")?,
        }
        serde_agrees(&s, &r)?;
    }

    #[test]
    fn slots(s in inputs(valid_slot())) {
        match crate::pilot::parse_slot("starts_at", &s) {
            Ok(slot) => {
                let label = crate::pilot::slot_label(slot);
                prop_assert_eq!(crate::pilot::parse_slot("starts_at", &label), Ok(slot));
            }
            Err(e) => well_formed(&e, "starts_at")?,
        }
    }

    #[test]
    fn yuan_amounts(s in inputs(valid_yuan())) {
        match crate::money::parse_yuan("price", &s) {
            Ok(fen) => {
                prop_assert!((0..=crate::money::MAX_FEN).contains(&fen));
                let shown = crate::money::yuan(fen);
                prop_assert_eq!(crate::money::parse_yuan("price", &shown), Ok(fen));
            }
            Err(e) => well_formed(&e, "price")?,
        }
    }

    #[test]
    fn yuan_round_trips(fen in 0..=crate::money::MAX_FEN) {
        prop_assert_eq!(crate::money::parse_yuan("price", &crate::money::yuan(fen)), Ok(fen));
    }
}

// ---------------------------------------------------------------------------------------------
// The market: patents, texts, contracts
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn patent_numbers(s in inputs(valid_patent())) {
        use crate::market::PatentNumber;
        let r = PatentNumber::parse(&s);
        match &r {
            Ok(p) => {
                prop_assert_eq!(PatentNumber::parse(p.as_str()), Ok(p.clone()));
                prop_assert_eq!(PatentNumber::try_from(p.to_string()), Ok(p.clone()));
                prop_assert!(p.as_str().starts_with("ZL") && p.as_str().is_ascii());
                prop_assert!(p.kind().is_some(), "{}", p);
            }
            Err(e) => well_formed(e, "patents")?,
        }
        prop_assert_eq!(PatentNumber::try_from(s.clone()).is_ok(), r.is_ok());
        // A listing's patents arrive inside JSON.
        let details = serde_json::json!({ "patents": [s] });
        let read = serde_json::from_value::<crate::market::Details>(details);
        prop_assert_eq!(read.is_ok(), r.is_ok());
    }

    #[test]
    fn valid_patent_numbers_parse(s in valid_patent()) {
        prop_assert!(crate::market::PatentNumber::parse(&s).is_ok(), "{}", s);
    }

    #[test]
    fn texts(s in inputs(valid_name()), max in 0usize..50) {
        match crate::market::text("title", &s, max) {
            Ok(t) => {
                prop_assert_eq!(t.trim(), t.as_str());
                prop_assert!(!t.is_empty() && t.chars().count() <= max);
                prop_assert_eq!(crate::market::text("title", &t, max), Ok(t.clone()));
            }
            Err(e) => well_formed(&e, "title")?,
        }
        match crate::market::optional_text("summary", &s, max) {
            Ok(Some(t)) => {
                prop_assert_eq!(t.trim(), t.as_str());
                prop_assert!(t.chars().count() <= max);
            }
            Ok(None) => prop_assert!(s.trim().is_empty()),
            Err(e) => well_formed(&e, "summary")?,
        }
        match crate::deal::message("message", &s) {
            Ok(t) => prop_assert!(t.chars().count() <= crate::deal::MESSAGE_MAX),
            Err(e) => well_formed(&e, "message")?,
        }
    }

    #[test]
    fn contract_types(s in inputs(select(vec![
        "development", "技术开发", "开发", "Technology transfer", "licence", "技术许可", "咨询", "service",
    ]).prop_map(str::to_owned))) {
        use crate::deal::ContractType;
        match ContractType::read(&s) {
            Ok(t) => {
                prop_assert_eq!(ContractType::read(t.code()), Ok(t));
                prop_assert_eq!(ContractType::read(t.label(crate::lang::Lang::ZhCn)), Ok(t));
                prop_assert_eq!(ContractType::read(t.label(crate::lang::Lang::En)), Ok(t));
            }
            Err(e) => well_formed(&e, "contract_type")?,
        }
    }

    #[test]
    fn tech_fields(s in inputs(select(vec![
        "agriculture", "农业", "生物医药", "生物、医药和医疗器械", "新材料", "环保", "城市建设", "Aerospace",
        "新能源与节能", "电子信息领域",
    ]).prop_map(str::to_owned))) {
        use crate::lang::Lang;
        use crate::tech_field::TechField;
        match TechField::find(&s) {
            Some(f) => {
                prop_assert_eq!(TechField::find(f.code()), Some(f));
                prop_assert_eq!(TechField::find(f.label(Lang::ZhCn)), Some(f));
                prop_assert_eq!(TechField::find(f.label(Lang::En)), Some(f));
                prop_assert_eq!(TechField::read("field", &s), Ok(f));
            }
            None => well_formed(&TechField::read("field", &s).unwrap_err(), "field")?,
        }
    }

    #[test]
    fn terms(
        contract_type in inputs(Just("development".to_owned())),
        starts_on in inputs(valid_date()),
        ends_on in inputs(valid_date()),
        contract_amount_k in proptest::option::of(-5i64..20_000_000),
        tech_amount_k in proptest::option::of(-5i64..20_000_000),
    ) {
        let input = crate::deal::TermsInput {
            contract_type: &contract_type,
            contract_amount_k,
            tech_amount_k,
            starts_on: &starts_on,
            ends_on: &ends_on,
        };
        match crate::deal::Terms::parse(&input) {
            Ok(t) => {
                prop_assert!(t.tech_amount_k <= t.contract_amount_k);
                prop_assert!(t.starts_on <= t.ends_on);
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    well_formed(e, e.field)?;
                }
            }
        }
    }

    #[test]
    fn registration_numbers(city in any::<String>(), year in any::<i64>(), serial in any::<i64>()) {
        let n = crate::deal::registration_number(&city, year, serial);
        prop_assert!(n.starts_with(city.as_str()));
    }
}

// ---------------------------------------------------------------------------------------------
// Carriers, pilot resources, vouchers, bills, indicators
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn carrier_checks(name in any::<String>(), on in proptest::option::of(inputs(valid_date())), year in any::<i64>()) {
        let import = crate::carrier::check_import(&name, on.as_deref());
        prop_assert_eq!(import.is_ok(), on.is_none());
        if let Err(e) = import {
            well_formed(&e, "carrier")?;
        }
        match crate::carrier::check_report_year(&name, on.as_deref(), year) {
            Ok(()) => {}
            Err(e) => well_formed(&e, "year")?,
        }
    }

    #[test]
    fn resources(
        kind in inputs(Just("pilot_line".to_owned())),
        name in inputs(valid_name()),
        place in inputs(valid_name()),
        unit in inputs(select(vec!["hour", "day", "batch"]).prop_map(str::to_owned)),
        price in inputs(valid_yuan()),
        notes in inputs(valid_name()),
        batch_hours in proptest::option::of(-2i64..800),
        discount in proptest::option::of(-2i64..102),
        open_days in proptest::collection::vec(-1i64..9, 0..8),
    ) {
        let input = crate::pilot::ResourceInput {
            kind,
            name,
            capabilities: place.clone(),
            place,
            unit,
            batch_hours,
            price,
            incubatee_discount_pct: discount,
            discount_carrier_id: discount.map(|_| 1),
            open_days,
            safety_notes: notes,
            ..Default::default()
        };
        match crate::pilot::ResourceSpec::parse(&input) {
            Ok(spec) => {
                prop_assert!((0..=crate::money::MAX_FEN).contains(&spec.price_fen));
                prop_assert_eq!(spec.name.trim(), spec.name.as_str());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    well_formed(e, e.field)?;
                }
            }
        }
    }

    #[test]
    fn vouchers(
        amount in inputs(valid_yuan()),
        valid_from in inputs(valid_date()),
        valid_to in inputs(valid_date()),
        yearly_cap in inputs(valid_yuan()),
        kinds in proptest::collection::vec(
            inputs(select(vec!["pilot_line", "instrument", "testing"]).prop_map(str::to_owned)),
            0..4,
        ),
        share_pct in proptest::option::of(-1i64..102),
    ) {
        let input = crate::voucher::VoucherInput {
            org_id: Some(1),
            amount,
            valid_from,
            valid_to,
            share_pct,
            yearly_cap,
            kinds,
        };
        match crate::voucher::VoucherTerms::parse(&input) {
            Ok(t) => {
                prop_assert!(t.face_fen > 0 && t.valid_from <= t.valid_to && !t.kinds.is_empty());
                let code = crate::voucher::kinds_code(&t.kinds);
                prop_assert_eq!(crate::voucher::kinds_of(&code), t.kinds.clone());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    well_formed(e, e.field)?;
                }
            }
        }
    }

    #[test]
    fn kinds_codes(s in inputs(select(vec!["pilot_line,instrument", "testing", ""]).prop_map(str::to_owned))) {
        for k in crate::voucher::kinds_of(&s) {
            prop_assert!(s.split(',').any(|part| part == k.code()));
        }
    }

    #[test]
    fn bills(
        extra in inputs(valid_yuan()),
        note in inputs(valid_name()),
        due_on in inputs(valid_date()),
        cash in inputs(valid_yuan()),
        voucher_amount in inputs(valid_yuan()),
        reference in inputs(valid_name()),
        refund in any::<bool>(),
    ) {
        let today = IsoDate::new(2026, 6, 1).expect("a date");
        match crate::billing::bill_terms(&extra, &note, &due_on, today) {
            Ok(t) => prop_assert!(t.extra_fen >= 0 && t.due_on >= today),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    well_formed(e, e.field)?;
                }
            }
        }
        let input = crate::billing::PaymentInput {
            cash,
            voucher_id: Some(1),
            voucher_amount,
            reference,
            refund,
        };
        match crate::billing::payment(&input) {
            Ok(p) => prop_assert!(p.cash_fen != 0 || p.voucher.is_some()),
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    well_formed(e, e.field)?;
                }
            }
        }
    }

    #[test]
    fn indicator_keys(key in inputs(select(crate::indicators::FIELDS.iter().map(|f| f.0.to_owned()).collect::<Vec<_>>())), v in any::<i64>()) {
        let mut ind = crate::indicators::Indicators::default();
        let known = ind.get(&key).is_some();
        prop_assert_eq!(ind.set(&key, v), known);
        if known {
            prop_assert_eq!(ind.get(&key), Some(v));
        }
    }

    #[test]
    fn wording(unit in any::<String>(), v in any::<i64>()) {
        let _ = crate::wording::more_than(v, &unit, crate::wording::More::Duo);
        let _ = crate::wording::about(v, &unit);
    }
}

// ---------------------------------------------------------------------------------------------
// Languages and the string enums
// ---------------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn languages(s in inputs(select(vec!["zh-CN", "en-GB", "zh_TW", "EN", "en-US,en;q=0.9,zh-CN;q=0.8"]).prop_map(str::to_owned))) {
        use crate::lang::Lang;
        if let Some(l) = Lang::from_tag(&s) {
            prop_assert_eq!(Lang::from_tag(l.tag()), Some(l));
        }
        let _ = Lang::from_accept_language(&s);
    }
}

/// For every `string_enum!` type: `parse` and `TryFrom<String>` never panic, accept exactly the
/// codes, and the codes are what serde writes.
macro_rules! string_enums {
    ($($name:ident => $t:ty),+ $(,)?) => {
        proptest! {
            #![proptest_config(ProptestConfig::with_cases(CASES))]
            $(
                #[test]
                fn $name(s in inputs(select(<$t>::ALL.iter().map(|v| v.code().to_owned()).collect::<Vec<_>>()))) {
                    match <$t>::parse(&s) {
                        Some(v) => prop_assert_eq!(v.code(), s.as_str()),
                        None => prop_assert!(<$t>::ALL.iter().all(|v| v.code() != s)),
                    }
                    prop_assert_eq!(<$t>::try_from(s.clone()).ok(), <$t>::parse(&s));
                    for v in <$t>::ALL {
                        prop_assert_eq!(<$t>::parse(v.code()), Some(*v));
                        prop_assert_eq!(v.to_string(), v.code());
                        let json = serde_json::to_value(v).expect("serialises");
                        prop_assert_eq!(json.as_str(), Some(v.code()));
                        prop_assert!(!v.label(crate::lang::Lang::ZhCn).is_empty());
                        prop_assert!(!v.label(crate::lang::Lang::En).is_empty());
                    }
                }
            )+
        }
    };
}

string_enums! {
    audit_actions => crate::audit::AuditAction,
    bill_kinds => crate::billing::BillKind,
    carrier_kinds => crate::carrier::CarrierKind,
    carrier_levels => crate::carrier::Level,
    carrier_statuses => crate::carrier::CarrierStatus,
    deal_statuses => crate::deal::DealStatus,
    deal_steps => crate::deal::DealStep,
    contract_type_codes => crate::deal::ContractType,
    contract_outcomes => crate::deal::ContractOutcome,
    credit_indicators => crate::credit::Indicator,
    credit_grades => crate::credit::Grade,
    credit_exclusions => crate::credit::Exclusion,
    loan_kinds => crate::credit::LoanKind,
    risk_levels => crate::credit::RiskLevel,
    loan_statuses => crate::loan::LoanStatus,
    loan_steps => crate::loan::LoanStep,
    repayment_methods => crate::loan::RepaymentMethod,
    funder_levels => crate::pool::FunderLevel,
    account_kinds => crate::pool::AccountKind,
    transfer_kinds => crate::pool::TransferKind,
    pool_claim_statuses => crate::pool::CompensationStatus,
    pool_claim_steps => crate::pool::CompensationStep,
    fund_kinds => crate::fund::FundKind,
    fund_statuses => crate::fund::FundStatus,
    investment_rounds => crate::investment::Round,
    instruments => crate::investment::Instrument,
    exit_kinds => crate::investment::ExitRoute,
    grant_statuses => crate::equity_grant::GrantStatus,
    grant_steps => crate::equity_grant::GrantStep,
    listing_kinds => crate::market::ListingKind,
    listing_statuses => crate::market::ListingStatus,
    listing_actions => crate::market::ListingAction,
    transfer_modes => crate::market::TransferMode,
    patent_kinds => crate::market::PatentKind,
    verdicts => crate::matching::Verdict,
    org_kinds => crate::org::OrgKind,
    roles => crate::org::Role,
    resource_kinds => crate::pilot::ResourceKind,
    bill_subjects => crate::billing::BillSubject,
    attachment_kinds => crate::attachment::AttachmentKind,
    units => crate::pilot::Unit,
    booking_statuses => crate::pilot::BookingStatus,
    booking_steps => crate::pilot::BookingStep,
    report_statuses => crate::report::ReportStatus,
    review_actions => crate::report::ReviewAction,
    entry_kinds => crate::voucher::EntryKind,
    claim_statuses => crate::voucher::ClaimStatus,
    claim_steps => crate::voucher::ClaimStep,
    tech_fields_codes => crate::tech_field::TechField,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// A schedule never panics, has one line a month, repays exactly the amount, and charges
    /// no negative interest, whatever the figures.
    #[test]
    fn loan_schedules_repay_the_amount(
        amount in 0i64..=crate::money::MAX_FEN,
        rate in -100i64..5_000,
        term in -5i64..200,
        bullet in any::<bool>(),
        days in 0i64..80_000,
    ) {
        use crate::loan::{RepaymentMethod, schedule};
        let method = if bullet { RepaymentMethod::InterestOnly } else { RepaymentMethod::EqualPrincipal };
        let start = crate::date::IsoDate::from_days(days - 25_000);
        let s = schedule(amount, rate, term, method, start);
        prop_assert_eq!(s.len() as i64, term.clamp(1, 120));
        prop_assert_eq!(s.iter().map(|i| i.principal_fen).sum::<i64>(), amount);
        prop_assert!(s.iter().all(|i| i.interest_fen >= 0 && i.principal_fen >= 0));
        prop_assert!(s.windows(2).all(|w| w[0].due_on <= w[1].due_on));
    }

    /// The pool's part of a recovery is never negative and never more than it paid, less what
    /// came back before.
    #[test]
    fn recovery_shares_stay_within_what_was_paid(
        recovered in -10i64..=crate::money::MAX_FEN,
        loss in -10i64..=crate::money::MAX_FEN,
        paid in -10i64..=crate::money::MAX_FEN,
        back in 0i64..=crate::money::MAX_FEN,
    ) {
        let share = crate::pool::recovery_share(recovered, loss, paid, back);
        prop_assert!(share >= 0);
        prop_assert!(share <= (paid - back).max(0));
    }

    /// Adding months never panics and lands on a valid date.
    #[test]
    fn months_are_added_to_any_date(days in -30_000i64..90_000, n in -3_000i64..3_000) {
        let d = crate::date::IsoDate::from_days(days).plus_months(n);
        prop_assert!(crate::date::IsoDate::parse(&d.to_string()).is_ok());
    }

    /// A 先投后股 conversion never panics; when it succeeds the holding is below the whole
    /// company, and the shares are the largest whole number not above the exact figure.
    #[test]
    fn conversions_are_exact_and_total(
        grant in -10i64..=crate::money::MAX_CAPITAL_FEN,
        valuation in -10i64..=crate::money::MAX_CAPITAL_FEN,
        discount in -100i64..10_000,
        before in -10i64..=1_000_000_000_000_000_000,
    ) {
        if let Ok(c) = crate::equity_grant::convert(grant, valuation, discount, before) {
            prop_assert!(c.stake_ppm < 1_000_000);
            let (g, n) = (i128::from(grant) * 10_000, i128::from(before));
            let d = i128::from(valuation) * i128::from(10_000 - discount) - g;
            let x = i128::from(c.shares);
            prop_assert!(x * d <= g * n && g * n < (x + 1) * d);
        }
    }

    /// A position's value never goes below zero, and never above its cost times the largest
    /// rise in valuation among its tranches.
    #[test]
    fn positions_are_valued_within_bounds(
        tranches in proptest::collection::vec((1i64..=crate::money::MAX_CAPITAL_FEN / 100, proptest::option::of(1i64..=crate::money::MAX_CAPITAL_FEN)), 0..20),
        exited in 0i64..=crate::money::MAX_CAPITAL_FEN,
        latest in proptest::option::of(1i64..=crate::money::MAX_CAPITAL_FEN),
    ) {
        use crate::investment::{Position, Tranche};
        let p = Position {
            tranches: tranches.iter().map(|(a, v)| Tranche { amount_fen: *a, post_money_fen: v.map(|v| v.max(*a)) }).collect(),
            exited_cost_fen: exited.min(tranches.iter().map(|t| t.0).sum()),
            ..Default::default()
        };
        let value = p.unrealised_fen(latest);
        prop_assert!(value >= 0);
        if latest.is_none() {
            prop_assert!(value <= p.remaining_cost_fen());
        }
    }

    /// A mentoring session's length: any text in, minutes within a day or a problem naming
    /// the field; what it shows as hours parses again to within a rounding.
    #[test]
    fn session_lengths(s in "\\PC{0,12}|[0-9]{1,3}(\\.[0-9]{0,3})?(小时|分钟| min)?") {
        match crate::mentor::parse_duration("minutes", &s) {
            Ok(m) => {
                prop_assert!((1..=crate::mentor::MAX_SESSION_MINUTES).contains(&m));
                // Shown in tenths of an hour: anything from three minutes reads back within three.
                if m >= 3 {
                    let back = crate::mentor::parse_duration("minutes", &crate::mentor::hours_text(m))?;
                    prop_assert!((back - m).abs() <= 3, "{} → {}", m, back);
                }
            }
            Err(e) => well_formed(&e, "minutes")?,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The alliance: an event's China time and a check-in code.

fn valid_china_time() -> impl Strategy<Value = String> {
    (
        valid_date(),
        0u8..25,
        0u8..61,
        select(vec!["", ":00", ":59"]),
        select(vec![" ", "T"]),
    )
        .prop_map(|(d, h, m, sec, sep)| format!("{d}{sep}{h:02}:{m:02}{sec}"))
}

fn valid_code() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        select(crate::alliance::CODE_ALPHABET.to_vec()),
        crate::alliance::CODE_LEN,
    )
    .prop_map(|v| v.into_iter().map(char::from).collect())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn china_times(s in inputs(valid_china_time())) {
        match crate::alliance::parse_china_time(&s, "starts_at") {
            Ok(ms) => {
                let label = crate::alliance::china_time_label(ms);
                prop_assert_eq!(crate::alliance::parse_china_time(&label, "starts_at"), Ok(ms - ms.rem_euclid(60_000)));
            }
            Err(e) => well_formed(&e, "starts_at")?,
        }
    }

    #[test]
    fn check_in_codes(s in inputs(valid_code())) {
        if let Some(code) = crate::alliance::normalise_code(&s) {
            prop_assert_eq!(code.len(), crate::alliance::CODE_LEN);
            let label = crate::alliance::code_label(&code);
            prop_assert_eq!(crate::alliance::normalise_code(&label), Some(code));
        }
    }

    #[test]
    fn contract_submissions(
        contract_type in inputs(Just("技术服务".to_owned())),
        title in inputs(Just("检测服务合同".to_owned())),
        seller_uscc in inputs(Just("91430211MA4L00001M".to_owned())),
        buyer_uscc in inputs(Just("91430100MA4L00002M".to_owned())),
        signed_on in inputs(valid_date()),
        ends_on in inputs(valid_date()),
        contract_amount_fen in proptest::option::of(-5i64..2_000_000_000_000),
        tech_amount_fen in proptest::option::of(-5i64..2_000_000_000_000),
    ) {
        let input = crate::contract::SubmissionInput {
            contract_type: &contract_type,
            title: &title,
            seller_name: &title,
            seller_uscc: &seller_uscc,
            buyer_name: &title,
            buyer_uscc: &buyer_uscc,
            contract_amount_fen,
            tech_amount_fen,
            tech_field: &title,
            chain_code: &title,
            signed_on: &signed_on,
            starts_on: &signed_on,
            ends_on: &ends_on,
        };
        match crate::contract::Submission::parse(&input, "430200") {
            Ok(s) => {
                prop_assert!(s.tech_amount_fen <= s.contract_amount_fen);
                prop_assert!(s.contract_amount_fen > 0 && s.contract_amount_fen <= crate::contract::AMOUNT_MAX_FEN);
                prop_assert!(s.starts_on <= s.ends_on);
                prop_assert!(s.seller.uscc != s.buyer.uscc);
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in &errors {
                    well_formed(e, e.field)?;
                }
            }
        }
    }

    #[test]
    fn base64_of_anything(text in any::<String>(), bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
        let _ = crate::contract::base64_decode(&text);
        const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut enc = String::new();
        for chunk in bytes.chunks(3) {
            let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
            let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
            for i in 0..=chunk.len() {
                enc.push(char::from(TABLE[((n >> (18 - 6 * i)) & 63) as usize]));
            }
        }
        let decoded = crate::contract::base64_decode(&enc);
        prop_assert_eq!(decoded.as_deref(), Some(&bytes[..]));
        prop_assert!(crate::contract::base64_decoded_len(&enc) >= bytes.len());
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    /// Any name and any first bytes: a checked file or an error naming the field; a kept name
    /// is short, has no path or control characters, and cleaning it again changes nothing.
    #[test]
    fn attachments(name in any::<String>(), head in proptest::collection::vec(any::<u8>(), 0..16), pick in 0usize..6) {
        let heads: [&[u8]; 6] = [b"%PDF-", b"\x89PNG\r\n\x1a\n", &[0xFF, 0xD8, 0xFF], b"PK\x03\x04", &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1], b""];
        let mut bytes = heads[pick].to_vec();
        bytes.extend(head);
        match crate::attachment::check("file", &name, &bytes) {
            Ok(c) => {
                prop_assert!(!c.name.is_empty());
                prop_assert!(c.name.chars().count() <= crate::attachment::NAME_MAX);
                prop_assert!(!c.name.contains(['/', '\\', '"']) && !c.name.chars().any(char::is_control));
                prop_assert_eq!(crate::attachment::clean_name(&c.name), c.name.clone());
            }
            Err(e) => well_formed(&e, "file")?,
        }
    }
}
