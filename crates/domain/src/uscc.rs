//! 统一社会信用代码 (unified social credit code, GB 32100-2015).
//!
//! Layout of the 18 characters (1-based positions):
//!
//! | positions | meaning                                                        |
//! |-----------|----------------------------------------------------------------|
//! | 1         | registration authority (登记管理部门代码), any charset char but `0` |
//! | 2         | organisation category (机构类别代码), any charset char            |
//! | 3–8       | administrative division of the registering authority, 6 digits |
//! | 9–17      | GB 11714 organisation code (8 body chars + 1 check char)       |
//! | 18        | check character over positions 1–17                            |
//!
//! The character set is `0123456789ABCDEFGHJKLMNPQRTUWXY` (31 characters; no I, O, Z, S, V).
//!
//! A wrong check character at position 18 is a rejection. A wrong GB 11714 check character
//! at position 17 is *not* (some genuinely issued codes do not satisfy it); it is reported
//! by [`Uscc::warnings`].

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;
use crate::region::RegionCode;

const FIELD: &str = "uscc";

/// The 31 characters a unified social credit code is written in, in value order.
pub const CHARSET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const CHARSET_BYTES: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights for the check character: `w_i = 3^i mod 31`, i = 0..16.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Weights for the GB 11714 organisation code check character.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// Letters that look like digits and are therefore not used.
const EXCLUDED_LETTERS: &str = "IOZSV";

/// The value (0..=30) of a charset character, or `None` for any other character
/// (including lower-case letters).
fn char_value(c: char) -> Option<u32> {
    CHARSET.find(c).and_then(|i| u32::try_from(i).ok())
}

/// The check character (position 18) for the first 17 characters of a code.
///
/// Returns `None` unless `first17` is exactly 17 characters from [`CHARSET`] (upper case,
/// no normalisation). Useful to build valid codes for tests and demo data.
///
/// ```
/// assert_eq!(fruition_domain::uscc::check_char("91430211000000019"), Some('0'));
/// ```
pub fn check_char(first17: &str) -> Option<char> {
    let mut chars = first17.chars();
    let mut sum = 0u32;
    for w in WEIGHTS {
        sum += char_value(chars.next()?)? * w;
    }
    if chars.next().is_some() {
        return None;
    }
    let idx = (31 - sum % 31) % 31;
    CHARSET_BYTES.get(idx as usize).map(|&b| char::from(b))
}

/// The GB 11714 check character for an 8-character organisation code body
/// (ASCII digits and upper-case letters; A=10 … Z=35). Returns `None` for anything else.
///
/// ```
/// assert_eq!(fruition_domain::uscc::org_code_check_char("M000100Y"), Some('4'));
/// ```
pub fn org_code_check_char(body8: &str) -> Option<char> {
    let mut chars = body8.chars();
    let mut sum = 0u32;
    for w in ORG_WEIGHTS {
        let c = chars.next()?;
        let v = match c {
            '0'..='9' => u32::from(c) - u32::from('0'),
            'A'..='Z' => u32::from(c) - u32::from('A') + 10,
            _ => return None,
        };
        sum += v * w;
    }
    if chars.next().is_some() {
        return None;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        d => char::from_digit(d, 10)?,
    })
}

/// Converts full-width ASCII variants (U+FF01..=U+FF5E) to their half-width forms and the
/// ideographic space (U+3000) to a plain space. Everything else is left alone.
///
/// Chinese input methods often produce full-width digits and letters; codes, phone numbers
/// and logins typed that way should still be accepted.
pub fn half_width(input: &str) -> String {
    input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect()
}

/// How to show a character in an error message: itself if printable, else `U+XXXX`.
fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() {
        format!("U+{:04X}", u32::from(c))
    } else {
        c.to_string()
    }
}

/// A valid unified social credit code: 18 upper-case charset characters with a correct
/// check character.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Uscc(String);

impl Uscc {
    /// Parses user input: trims surrounding whitespace, converts full-width characters to
    /// half-width and lower-case letters to upper case, then validates.
    ///
    /// Error codes (field `uscc`): `uscc_empty`, `uscc_length`, `uscc_char`,
    /// `uscc_authority` (position 1 is `0`), `uscc_division`, `uscc_check`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let normalized = half_width(input);
        let code: String = normalized
            .trim()
            .chars()
            .map(|c| c.to_ascii_uppercase())
            .collect();

        if code.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "uscc_empty",
                "请填写统一社会信用代码",
                "Please enter the unified social credit code",
            ));
        }

        let len = code.chars().count();
        if len != 18 {
            return Err(FieldError::new(
                FIELD,
                "uscc_length",
                format!("统一社会信用代码应为 18 位，实际为 {len} 位"),
                format!("The unified social credit code must be 18 characters long; {len} given"),
            ));
        }

        if let Some((i, c)) = code
            .chars()
            .enumerate()
            .find(|&(_, c)| char_value(c).is_none())
        {
            let pos = i + 1;
            let shown = describe_char(c);
            let (zh_hint, en_hint) = if EXCLUDED_LETTERS.contains(c) {
                (
                    "（统一社会信用代码不使用字母 I、O、Z、S、V）",
                    " (the letters I, O, Z, S and V are never used)",
                )
            } else {
                ("", "")
            };
            return Err(FieldError::new(
                FIELD,
                "uscc_char",
                format!("第 {pos} 位字符“{shown}”不允许出现在统一社会信用代码中{zh_hint}"),
                format!(
                    "Character '{shown}' at position {pos} is not allowed in a unified social credit code{en_hint}"
                ),
            ));
        }

        // From here on the code is 18 ASCII charset characters, so byte offsets are positions.
        if code.starts_with('0') {
            return Err(FieldError::new(
                FIELD,
                "uscc_authority",
                "第 1 位登记管理部门代码不能为 0",
                "The registration authority code (position 1) cannot be 0",
            ));
        }

        if let Some((i, c)) = code
            .char_indices()
            .skip(2)
            .take(6)
            .find(|(_, c)| !c.is_ascii_digit())
        {
            let pos = i + 1;
            return Err(FieldError::new(
                FIELD,
                "uscc_division",
                format!("第 3–8 位行政区划码应为 6 位数字，第 {pos} 位为“{c}”"),
                format!(
                    "Positions 3–8 (administrative division code) must be 6 digits; position {pos} is '{c}'"
                ),
            ));
        }

        // `get`, not `split_at`: never a panic, even if the checks above change.
        let expected = code.get(..17).and_then(check_char);
        let found = code.get(17..).and_then(|last| last.chars().next());
        match (expected, found) {
            (Some(e), Some(f)) if e == f => Ok(Self(code)),
            (Some(e), Some(f)) => Err(FieldError::new(
                FIELD,
                "uscc_check",
                format!(
                    "统一社会信用代码校验码错误：第 18 位校验码应为 {e}，实际为 {f}，请核对是否抄写有误"
                ),
                format!(
                    "Wrong check character: position 18 should be {e}, not {f}; please check the code for typos"
                ),
            )),
            // Unreachable given the checks above; still reported as a check failure, never a panic.
            _ => Err(FieldError::new(
                FIELD,
                "uscc_check",
                "统一社会信用代码校验码错误",
                "Wrong check character",
            )),
        }
    }

    /// The code, 18 upper-case characters.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// Position 1: the registration authority (e.g. `1` 机构编制, `5` 民政, `9` 工商, `Y` 其他).
    pub fn registration_authority(&self) -> char {
        self.0.chars().next().unwrap_or('?')
    }

    /// Position 2: the organisation category within the registration authority.
    pub fn category(&self) -> char {
        self.0.chars().nth(1).unwrap_or('?')
    }

    /// Positions 3–8: the administrative division code of the registering authority.
    pub fn division_code(&self) -> &str {
        self.0.get(2..8).unwrap_or("")
    }

    /// The division code as a [`RegionCode`], if it is a structurally valid one.
    /// (Some codes, e.g. those registered centrally with `100000`, are not.)
    pub fn region(&self) -> Option<RegionCode> {
        RegionCode::parse(self.division_code()).ok()
    }

    /// Positions 9–17: the GB 11714 organisation code (8 body chars + check char).
    pub fn org_code(&self) -> &str {
        self.0.get(8..17).unwrap_or("")
    }

    /// Position 18: the check character.
    pub fn check(&self) -> char {
        self.0.chars().nth(17).unwrap_or('?')
    }

    /// Whether the embedded organisation code (positions 9–17) satisfies the GB 11714 check.
    pub fn org_code_check_ok(&self) -> bool {
        let org = self.org_code();
        match (org.get(..8), org.get(8..)) {
            (Some(body), Some(check)) => {
                org_code_check_char(body).is_some_and(|e| check.starts_with(e))
            }
            _ => false,
        }
    }

    /// Non-fatal problems with the code (code `uscc_org_check`, field `uscc`). Empty if none.
    pub fn warnings(&self) -> Vec<FieldError> {
        if self.org_code_check_ok() {
            return Vec::new();
        }
        let org = self.org_code();
        let expected = org.get(..8).and_then(org_code_check_char);
        let (zh, en) = match expected {
            Some(e) => (
                format!("第 9–17 位组织机构代码 {org} 的校验位应为 {e}，请核对代码是否抄写正确"),
                format!(
                    "The organisation code {org} (positions 9–17) should end in {e}; please double-check the code"
                ),
            ),
            None => (
                format!("第 9–17 位组织机构代码 {org} 未通过校验，请核对代码是否抄写正确"),
                format!(
                    "The organisation code {org} (positions 9–17) fails its check; please double-check the code"
                ),
            ),
        };
        vec![FieldError::new(FIELD, "uscc_org_check", zh, en)]
    }
}

impl fmt::Display for Uscc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Uscc {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for Uscc {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Uscc {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Uscc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        Self::parse(&s).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn code_of(r: Result<Uscc, FieldError>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code,
        }
    }

    #[test]
    fn weights_are_powers_of_three() {
        let mut p = 1u32;
        for w in WEIGHTS {
            assert_eq!(w, p);
            p = p * 3 % 31;
        }
        assert_eq!(CHARSET.len(), 31);
        assert_eq!(CHARSET.as_bytes(), CHARSET_BYTES);
    }

    #[test]
    fn known_valid_codes() {
        let u = Uscc::parse("914302110000000190").expect("valid");
        assert_eq!(u.as_str(), "914302110000000190");
        assert_eq!(u.division_code(), "430211");
        assert_eq!(u.org_code(), "000000019");
        assert_eq!(u.check(), '0');
        assert!(u.org_code_check_ok());
        assert!(u.warnings().is_empty());

        let u = Uscc::parse("91350100M000100Y43").expect("valid");
        assert_eq!(u.registration_authority(), '9');
        assert_eq!(u.category(), '1');
        assert_eq!(u.division_code(), "350100");
        assert_eq!(u.org_code(), "M000100Y4");
        assert!(u.org_code_check_ok());
        assert!(u.warnings().is_empty());
        assert_eq!(u.to_string(), "91350100M000100Y43");
        assert_eq!(u.region().map(|r| r.to_string()), Some("350100".to_owned()));
    }

    #[test]
    fn check_char_helper() {
        assert_eq!(check_char("91430211000000019"), Some('0'));
        assert_eq!(check_char("91350100M000100Y4"), Some('3'));
        assert_eq!(check_char("9143021100000001"), None);
        assert_eq!(check_char("914302110000000190"), None);
        assert_eq!(check_char("9143021100000001I"), None);
        assert_eq!(check_char("91350100m000100Y4"), None);
    }

    #[test]
    fn org_code_check_helper() {
        assert_eq!(org_code_check_char("00000001"), Some('9'));
        assert_eq!(org_code_check_char("M000100Y"), Some('4'));
        assert_eq!(org_code_check_char("0000000"), None);
        assert_eq!(org_code_check_char("0000000a"), None);
    }

    #[test]
    fn letter_prefixed_codes_are_accepted() {
        for first17 in [
            "N1430211000000019",
            "Y1430211000000019",
            "A2110000M000100Y4",
            "51430211MJ1234567",
        ] {
            let c = check_char(first17).expect("charset");
            let full = format!("{first17}{c}");
            let u = Uscc::parse(&full).expect("valid");
            assert_eq!(u.as_str(), full);
        }
    }

    #[test]
    fn normalisation() {
        let u = Uscc::parse("  91350100m000100y43\n").expect("valid");
        assert_eq!(u.as_str(), "91350100M000100Y43");
        let u = Uscc::parse("\u{3000}９１３５０１００Ｍ０００１００Ｙ４３").expect("full width");
        assert_eq!(u.as_str(), "91350100M000100Y43");
        let u = Uscc::parse("９１３５０１００ｍ０００１００ｙ４３").expect("full width lower");
        assert_eq!(u.as_str(), "91350100M000100Y43");
    }

    #[test]
    fn rejections() {
        let e = Uscc::parse("   ").unwrap_err();
        assert_eq!((e.field, e.code), ("uscc", "uscc_empty"));

        let e = Uscc::parse("9143021100000001").unwrap_err();
        assert_eq!(e.code, "uscc_length");
        assert!(e.zh.contains("16"), "{}", e.zh);
        assert!(e.en.contains("16") && e.en.contains("18"), "{}", e.en);

        let e = Uscc::parse("91350100M0001O0Y43").unwrap_err();
        assert_eq!(e.code, "uscc_char");
        assert!(e.zh.contains("第 14 位") && e.zh.contains('O'), "{}", e.zh);
        assert!(
            e.en.contains("position 14") && e.en.contains("'O'"),
            "{}",
            e.en
        );

        let e = Uscc::parse("91350100M000 00Y43").unwrap_err();
        assert_eq!(e.code, "uscc_char");
        assert!(e.en.contains("U+0020"), "{}", e.en);

        let e = Uscc::parse("01430211000000019X").unwrap_err();
        assert_eq!(e.code, "uscc_authority");

        let c = check_char("913501A0M000100Y4").expect("charset");
        let e = Uscc::parse(&format!("913501A0M000100Y4{c}")).unwrap_err();
        assert_eq!(e.code, "uscc_division");
        assert!(e.en.contains("position 7"), "{}", e.en);

        let e = Uscc::parse("91350100M000100Y44").unwrap_err();
        assert_eq!(e.code, "uscc_check");
        assert!(e.zh.contains("校验码应为 3"), "{}", e.zh);
        assert!(e.en.contains("should be 3"), "{}", e.en);
        assert_eq!(e.to_string(), format!("uscc: {}", e.en));
    }

    #[test]
    fn org_code_mismatch_is_a_warning_not_an_error() {
        // Change the org code check char (position 17) and recompute position 18.
        let first17 = "91350100M000100Y5";
        let c = check_char(first17).expect("charset");
        let u = Uscc::parse(&format!("{first17}{c}")).expect("accepted despite org check");
        assert!(!u.org_code_check_ok());
        let w = u.warnings();
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].field, w[0].code), ("uscc", "uscc_org_check"));
        assert!(w[0].zh.contains("应为 4"), "{}", w[0].zh);
    }

    #[test]
    fn serde() {
        let u = Uscc::deserialize(StrDeserializer::<DeError>::new("91350100m000100Y43"))
            .expect("valid");
        assert_eq!(u.as_str(), "91350100M000100Y43");
        let e =
            Uscc::deserialize(StrDeserializer::<DeError>::new("91350100M000100Y44")).unwrap_err();
        assert!(e.to_string().contains("should be 3"), "{e}");
        assert_eq!("91350100M000100Y43".parse::<Uscc>(), Ok(u));
    }

    fn first17() -> impl Strategy<Value = String> {
        (
            "[1-9A-HJ-NP-RTUWXY]",
            "[0-9A-HJ-NP-RTUWXY]",
            "[0-9]{6}",
            "[0-9A-HJ-NP-RTUWXY]{9}",
        )
            .prop_map(|(a, b, d, o)| format!("{a}{b}{d}{o}"))
    }

    proptest! {
        #[test]
        fn generated_codes_parse(f in first17()) {
            let c = check_char(&f).expect("charset only");
            let full = format!("{f}{c}");
            let u = Uscc::parse(&full).expect("valid");
            prop_assert_eq!(u.as_str(), full.as_str());
            prop_assert_eq!(u.division_code(), &f[2..8]);
            prop_assert_eq!(u.org_code(), &f[8..17]);
            prop_assert_eq!(u.to_string().parse::<Uscc>(), Ok(u.clone()));
            prop_assert_eq!(u.org_code_check_ok(), u.warnings().is_empty());
        }

        #[test]
        fn any_other_check_char_is_rejected(f in first17(), idx in 0usize..31) {
            let c = check_char(&f).expect("charset only");
            let other = char::from(CHARSET_BYTES[idx]);
            prop_assume!(other != c);
            let e = Uscc::parse(&format!("{f}{other}")).unwrap_err();
            prop_assert_eq!(e.code, "uscc_check");
            let expected = format!("校验码应为 {c}");
            prop_assert!(e.zh.contains(&expected), "{}", e.zh);
        }

        #[test]
        fn lower_case_parses_to_upper_case(f in first17()) {
            let c = check_char(&f).expect("charset only");
            let full = format!("{f}{c}");
            let lower = Uscc::parse(&full.to_ascii_lowercase()).expect("valid");
            prop_assert_eq!(lower.as_str(), full.as_str());
        }

        #[test]
        fn single_substitution_is_caught(f in first17(), pos in 0usize..17, idx in 0usize..31) {
            let c = check_char(&f).expect("charset only");
            let mut chars: Vec<char> = f.chars().collect();
            let new = char::from(CHARSET_BYTES[idx]);
            prop_assume!(chars[pos] != new);
            chars[pos] = new;
            let changed: String = chars.into_iter().collect();
            let input = format!("{changed}{c}");
            prop_assert!(Uscc::parse(&input).is_err(), "{} accepted", input);
        }

        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = code_of(Uscc::parse(&s));
            let _ = check_char(&s);
            let _ = org_code_check_char(&s);
        }

        #[test]
        fn never_panics_on_near_codes(s in "[0-9A-Za-z ０-９Ａ-Ｚ\u{3000}]{0,20}") {
            if let Ok(u) = Uscc::parse(&s) {
                prop_assert_eq!(u.as_str().len(), 18);
                let _ = u.warnings();
            }
        }
    }
}
