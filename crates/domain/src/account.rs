//! Account value types: login names, passwords, people's and organisations' names,
//! e-mail addresses and Chinese phone numbers.
//!
//! Every type is built by a `parse`/`new_checked` function that normalises user input
//! (trims, converts full-width characters where that makes sense) and returns a
//! [`FieldError`] with a Chinese and an English reason on failure.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;
use crate::uscc::half_width;

/// Characters never allowed in names: control characters, zero-width and bidirectional
/// formatting characters, line/paragraph separators and the byte-order mark.
fn is_forbidden_in_name(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{FEFF}'
        )
}

/// `Serialize` as a string, `Deserialize` via `parse`, `Display`, `FromStr`, `AsRef<str>`.
macro_rules! string_value_impls {
    ($t:ty) => {
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $t {
            type Err = FieldError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::parse(s)
            }
        }

        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                self.as_str()
            }
        }

        impl Serialize for $t {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $t {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                Self::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

// ---------------------------------------------------------------------------------------
// Login
// ---------------------------------------------------------------------------------------

/// A login name: 3–32 characters, ASCII lower-case letters, digits, `.`, `_`, `-`,
/// starting with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Login(String);

impl Login {
    pub const MIN_CHARS: usize = 3;
    pub const MAX_CHARS: usize = 32;

    /// Trims, converts full-width characters and lower-cases ASCII letters, then validates.
    ///
    /// Error codes (field `login`): `login_empty`, `login_length`, `login_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "login";
        const RULE_ZH: &str =
            "登录名须为 3–32 个字符，以字母开头，只含小写字母、数字、点、下划线或连字符";
        const RULE_EN: &str = "A login must be 3–32 characters, start with a letter, and contain only \
                               lower-case letters, digits, '.', '_' or '-'";

        let normalized = half_width(input);
        let s = normalized.trim().to_ascii_lowercase();
        if s.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "login_empty",
                "请填写登录名",
                "Please enter a login",
            ));
        }
        let n = s.chars().count();
        if !(Self::MIN_CHARS..=Self::MAX_CHARS).contains(&n) {
            return Err(FieldError::new(
                FIELD,
                "login_length",
                format!("{RULE_ZH}（现为 {n} 个字符）"),
                format!("{RULE_EN} ({n} given)"),
            ));
        }
        let starts_with_letter = s.starts_with(|c: char| c.is_ascii_lowercase());
        let allowed = s
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !starts_with_letter || !allowed {
            return Err(FieldError::new(FIELD, "login_format", RULE_ZH, RULE_EN));
        }
        Ok(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

string_value_impls!(Login);

// ---------------------------------------------------------------------------------------
// Password
// ---------------------------------------------------------------------------------------

/// A password in clear text, on its way to being hashed or verified. Its `Debug` output is
/// `Password(***)`; it has no `Display` and no serde impls, so it cannot leak into logs or
/// responses by accident.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 128;

    /// The lowest [zxcvbn](https://docs.rs/zxcvbn) score (0–4) a new password must reach: 3,
    /// "safely unguessable" (at least about 10⁸ guesses).
    pub const MIN_SCORE: u8 = 3;

    /// Checks the policy for a *new* password: 10–128 characters (not bytes), not one
    /// character repeated, not the login (case-insensitively), and not easy to guess: a
    /// [zxcvbn](https://docs.rs/zxcvbn) score of at least [`Self::MIN_SCORE`], with the login
    /// counted as something an attacker knows. The password is not trimmed.
    ///
    /// Error codes (field `new_password`): `password_too_short`, `password_too_long`,
    /// `password_repetitive`, `password_is_login`, `password_weak`.
    pub fn new_checked(pw: &str, login: &str) -> Result<Self, FieldError> {
        Self::new_checked_with_inputs(pw, login, &[])
    }

    /// [`Self::new_checked`], with more of what is known about the user (display name, e-mail
    /// address, organisation name, …): a password built from them is easier to guess.
    pub fn new_checked_with_inputs(
        pw: &str,
        login: &str,
        user_inputs: &[&str],
    ) -> Result<Self, FieldError> {
        const FIELD: &str = "new_password";
        let n = pw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(FieldError::new(
                FIELD,
                "password_too_short",
                format!("密码至少需要 {} 个字符（现为 {n} 个）", Self::MIN_CHARS),
                format!(
                    "The password must be at least {} characters long ({n} given)",
                    Self::MIN_CHARS
                ),
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(FieldError::new(
                FIELD,
                "password_too_long",
                format!("密码不能超过 {} 个字符（现为 {n} 个）", Self::MAX_CHARS),
                format!(
                    "The password must be at most {} characters long ({n} given)",
                    Self::MAX_CHARS
                ),
            ));
        }
        let mut chars = pw.chars();
        if let Some(first) = chars.next()
            && chars.all(|c| c == first)
        {
            return Err(FieldError::new(
                FIELD,
                "password_repetitive",
                "密码不能由同一个字符重复组成",
                "The password cannot be a single character repeated",
            ));
        }
        let login = login.trim();
        if !login.is_empty() && pw.to_lowercase() == login.to_lowercase() {
            return Err(FieldError::new(
                FIELD,
                "password_is_login",
                "密码不能与登录名相同",
                "The password cannot be the same as the login",
            ));
        }
        if let Some(e) = guessability_error(pw, login, user_inputs) {
            return Err(e);
        }
        Ok(Self(pw.to_owned()))
    }

    /// Wraps a password without any policy check, e.g. to verify it at sign-in.
    pub fn unchecked(pw: String) -> Self {
        Self(pw)
    }

    /// The clear text. Use only to hash or verify it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Words everyone attacking this platform knows, counted like the user's own inputs.
const SITE_WORDS: &[&str] = &["fruition"];

/// Why `pw` is too easy to guess, or `None` when it reaches [`Password::MIN_SCORE`].
///
/// The login and the other `user_inputs`, each whole and in parts (`zhang.san@example.com` →
/// `zhang`, `san`, `example`, `com`), and [`SITE_WORDS`] are given to zxcvbn as words an
/// attacker tries first. zxcvbn looks at the first 100 characters only, which bounds its time.
fn guessability_error(pw: &str, login: &str, user_inputs: &[&str]) -> Option<FieldError> {
    let inputs: Vec<&str> = std::iter::once(login)
        .chain(user_inputs.iter().copied())
        .map(str::trim)
        .flat_map(|s| std::iter::once(s).chain(s.split(['.', '_', '-', '@', ' '])))
        .chain(SITE_WORDS.iter().copied())
        .filter(|s| s.chars().count() >= 3)
        .collect();
    let entropy = zxcvbn::zxcvbn(pw, &inputs);
    if u8::from(entropy.score()) >= Password::MIN_SCORE {
        return None;
    }
    let warning = entropy.feedback().and_then(|f| f.warning());
    // (zxcvbn does not export the name of its user-input dictionary: compare the words.)
    let uses_own_words = entropy.sequence().iter().any(|m| match &m.pattern {
        zxcvbn::matching::patterns::MatchPattern::Dictionary(d) => {
            inputs.iter().any(|i| i.to_lowercase() == d.matched_word)
        }
        _ => false,
    });
    let (why_zh, why_en) = match warning {
        Some(w) => (warning_zh(w), w.to_string()),
        None if uses_own_words => (
            "密码中含有登录名、个人信息或本平台的名称，",
            "It contains the login, details about you or the platform's name.".to_owned(),
        ),
        None => ("", String::new()),
    };
    let (zh, en) = if why_zh.is_empty() {
        (
            "密码太容易被猜到：请使用更长、不常见的组合。".to_owned(),
            "The password is too easy to guess: use a longer, less common combination.".to_owned(),
        )
    } else {
        (
            format!("密码太容易被猜到：{why_zh}请使用更长、不常见的组合。"),
            format!(
                "The password is too easy to guess. {why_en} Use a longer, less common combination."
            ),
        )
    };
    Some(FieldError::new("new_password", "password_weak", zh, en))
}

/// zxcvbn's warning in plain Chinese, ending in a comma so that advice can follow.
fn warning_zh(w: zxcvbn::feedback::Warning) -> &'static str {
    use zxcvbn::feedback::Warning as W;
    match w {
        W::StraightRowsOfKeysAreEasyToGuess => "键盘上连成一排的按键很容易被猜到，",
        W::ShortKeyboardPatternsAreEasyToGuess => "简短的键盘按键组合很容易被猜到，",
        W::RepeatsLikeAaaAreEasyToGuess => "像“aaa”这样的重复字符很容易被猜到，",
        W::RepeatsLikeAbcAbcAreOnlySlightlyHarderToGuess => {
            "像“abcabcabc”这样的重复并不比“abc”难猜多少，"
        }
        W::ThisIsATop10Password => "这是最常用的 10 个密码之一，",
        W::ThisIsATop100Password => "这是最常用的 100 个密码之一，",
        W::ThisIsACommonPassword => "这是一个非常常见的密码，",
        W::ThisIsSimilarToACommonlyUsedPassword => "这与某个常用密码非常相似，",
        W::SequencesLikeAbcAreEasyToGuess => "像“abc”或“6543”这样的连续序列很容易被猜到，",
        W::RecentYearsAreEasyToGuess => "近些年的年份很容易被猜到，",
        W::AWordByItselfIsEasyToGuess => "单独一个单词很容易被猜到，",
        W::DatesAreOftenEasyToGuess => "日期往往很容易被猜到，",
        W::NamesAndSurnamesByThemselvesAreEasyToGuess => "单独的名字或姓氏很容易被猜到，",
        W::CommonNamesAndSurnamesAreEasyToGuess => "常见的名字和姓氏很容易被猜到，",
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

// ---------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------

/// Shared rules for names: trimmed, `min..=max` characters, no control or invisible
/// formatting characters.
fn parse_name(
    input: &str,
    field: &'static str,
    codes: [&'static str; 3],
    (what_zh, what_en): (&str, &str),
    (min, max): (usize, usize),
) -> Result<String, FieldError> {
    let [empty, length, chars] = codes;
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(
            field,
            empty,
            format!("请填写{what_zh}"),
            format!("Please enter the {what_en}"),
        ));
    }
    let n = s.chars().count();
    if !(min..=max).contains(&n) {
        return Err(FieldError::new(
            field,
            length,
            format!("{what_zh}须为 {min}–{max} 个字符（现为 {n} 个）"),
            format!("The {what_en} must be {min}–{max} characters long ({n} given)"),
        ));
    }
    if let Some(c) = s.chars().find(|&c| is_forbidden_in_name(c)) {
        let code = u32::from(c);
        return Err(FieldError::new(
            field,
            chars,
            format!("{what_zh}含有不可见的控制字符（U+{code:04X}），请删除"),
            format!(
                "The {what_en} contains an invisible control character (U+{code:04X}); please remove it"
            ),
        ));
    }
    Ok(s.to_owned())
}

/// A person's display name: trimmed, 1–50 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 50;

    /// Error codes (field `display_name`): `person_name_empty`, `person_name_length`,
    /// `person_name_char`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        parse_name(
            input,
            "display_name",
            [
                "person_name_empty",
                "person_name_length",
                "person_name_char",
            ],
            ("姓名", "name"),
            (1, Self::MAX_CHARS),
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

string_value_impls!(PersonName);

/// An organisation's name: trimmed, 2–100 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OrgName(String);

impl OrgName {
    pub const MIN_CHARS: usize = 2;
    pub const MAX_CHARS: usize = 100;

    /// Error codes (field `name`): `org_name_empty`, `org_name_length`, `org_name_char`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        parse_name(
            input,
            "name",
            ["org_name_empty", "org_name_length", "org_name_char"],
            ("机构名称", "organisation name"),
            (Self::MIN_CHARS, Self::MAX_CHARS),
        )
        .map(Self)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

string_value_impls!(OrgName);

// ---------------------------------------------------------------------------------------
// Email
// ---------------------------------------------------------------------------------------

/// An e-mail address, checked loosely: one `@`, a non-empty local part (≤ 64 chars), a
/// domain with a `.` and no empty labels, no whitespace, ≤ 254 characters in all.
/// The domain is stored lower-cased (ASCII); the local part as given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Email(String);

impl Email {
    pub const MAX_CHARS: usize = 254;

    /// Error codes (field `email`): `email_empty`, `email_length`, `email_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "email";
        let format_err = |zh: &str, en: &str| {
            FieldError::new(
                FIELD,
                "email_format",
                format!("电子邮箱格式不正确：{zh}"),
                format!("This is not a valid e-mail address: {en}"),
            )
        };

        let normalized = half_width(input);
        let s = normalized.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "email_empty",
                "请填写电子邮箱",
                "Please enter an e-mail address",
            ));
        }
        let n = s.chars().count();
        if n > Self::MAX_CHARS {
            return Err(FieldError::new(
                FIELD,
                "email_length",
                format!("电子邮箱不能超过 {} 个字符（现为 {n} 个）", Self::MAX_CHARS),
                format!(
                    "An e-mail address can be at most {} characters long ({n} given)",
                    Self::MAX_CHARS
                ),
            ));
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format_err(
                "不能包含空格或控制字符",
                "it cannot contain spaces or control characters",
            ));
        }
        let Some((local, domain)) = s.split_once('@') else {
            return Err(format_err("缺少“@”", "it has no '@'"));
        };
        if domain.contains('@') {
            return Err(format_err("只能包含一个“@”", "it has more than one '@'"));
        }
        if local.is_empty() {
            return Err(format_err("“@”前不能为空", "nothing before the '@'"));
        }
        if local.chars().count() > 64 {
            return Err(format_err(
                "“@”前的部分不能超过 64 个字符",
                "the part before the '@' is over 64 characters",
            ));
        }
        if !domain.contains('.') || domain.split('.').any(str::is_empty) {
            return Err(format_err(
                "“@”后应为域名，如 example.com",
                "the part after the '@' must be a domain such as example.com",
            ));
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        self.0.split_once('@').map_or("", |(l, _)| l)
    }

    /// The part after the `@`, lower-case.
    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, d)| d)
    }
}

string_value_impls!(Email);

// ---------------------------------------------------------------------------------------
// Phone
// ---------------------------------------------------------------------------------------

/// Mobile or landline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// A mainland Chinese phone number, stored canonically: mobiles as 11 digits
/// (`13812345678`), landlines as `area-number` (`0731-28687649`, `010-12345678`).
///
/// Accepted input: spaces, hyphens and parentheses anywhere, full-width digits, an optional
/// `+86`/`0086` prefix (after which a landline's leading `0` may be omitted).
/// Area codes follow the national plan: `010`, `02x`, or 4 digits `0[3-9]xx`; the local
/// number is 7–8 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Phone(String);

impl Phone {
    /// Error codes (field `phone`): `phone_empty`, `phone_format`.
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        const FIELD: &str = "phone";
        let format_err = || {
            FieldError::new(
                FIELD,
                "phone_format",
                "电话号码格式不正确：请填写 11 位手机号，或带区号的固定电话，如 0731-28687649",
                "Not a valid phone number: enter an 11-digit mobile number, or a landline with its \
                 area code such as 0731-28687649",
            )
        };

        let normalized = half_width(input);
        let s = normalized.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "phone_empty",
                "请填写电话号码",
                "Please enter a phone number",
            ));
        }
        let (international, rest) = if let Some(r) = s.strip_prefix("+86") {
            (true, r)
        } else if let Some(r) = s.strip_prefix("0086") {
            (true, r)
        } else {
            (false, s)
        };
        if !rest
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_whitespace() || matches!(c, '-' | '(' | ')'))
        {
            return Err(format_err());
        }
        let mut digits: String = rest.chars().filter(char::is_ascii_digit).collect();

        if digits.len() == 11 && matches!(digits.as_bytes(), [b'1', b'3'..=b'9', ..]) {
            return Ok(Self(digits));
        }

        if international && !digits.starts_with('0') {
            digits.insert(0, '0');
        }
        let area_len = match digits.as_bytes() {
            [b'0', b'1', b'0', ..] | [b'0', b'2', _, ..] => 3,
            [b'0', b'3'..=b'9', _, _, ..] => 4,
            _ => return Err(format_err()),
        };
        // `digits` holds ASCII digits only, so this never fails; checked all the same.
        let (area, number) = digits.split_at_checked(area_len).ok_or_else(format_err)?;
        if !(7..=8).contains(&number.len()) {
            return Err(format_err());
        }
        Ok(Self(format!("{area}-{number}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }

    pub fn kind(&self) -> PhoneKind {
        if self.0.contains('-') {
            PhoneKind::Landline
        } else {
            PhoneKind::Mobile
        }
    }
}

string_value_impls!(Phone);

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde::de::value::{Error as DeError, StrDeserializer};

    fn err_code<T>(r: Result<T, FieldError>) -> &'static str {
        match r {
            Ok(_) => "ok",
            Err(e) => e.code,
        }
    }

    #[test]
    fn logins() {
        assert_eq!(
            Login::parse("  Zhang.San_01-x ").map(|l| l.to_string()),
            Ok("zhang.san_01-x".to_owned())
        );
        assert_eq!(
            Login::parse("ａｄｍｉｎ").map(Login::into_string),
            Ok("admin".to_owned())
        );
        assert_eq!(Login::parse("abc").map(|l| l.as_str().len()), Ok(3));
        assert_eq!(err_code(Login::parse("")), "login_empty");
        assert_eq!(err_code(Login::parse("ab")), "login_length");
        assert_eq!(err_code(Login::parse(&"a".repeat(33))), "login_length");
        assert_eq!(err_code(Login::parse(&"a".repeat(32))), "ok");
        assert_eq!(err_code(Login::parse("1abc")), "login_format");
        assert_eq!(err_code(Login::parse("_abc")), "login_format");
        assert_eq!(err_code(Login::parse("ab c")), "login_format");
        assert_eq!(err_code(Login::parse("张三丰")), "login_format");
        assert_eq!(err_code(Login::parse("abc@x")), "login_format");
        let e = Login::parse("1abc").unwrap_err();
        assert_eq!(e.field, "login");
        assert!(
            e.zh.starts_with("登录名须为 3–32 个字符，以字母开头"),
            "{}",
            e.zh
        );
    }

    #[test]
    fn passwords() {
        assert!(Password::new_checked("correct horse", "zhangsan").is_ok());
        assert_eq!(
            Password::new_checked("我家门前有两棵枣树啊", "x").map(|p| p.expose().to_owned()),
            Ok("我家门前有两棵枣树啊".to_owned())
        );
        assert_eq!(
            err_code(Password::new_checked("密码密码密码密码密", "x")),
            "password_too_short"
        );
        assert_eq!(
            err_code(Password::new_checked("short", "x")),
            "password_too_short"
        );
        assert_eq!(
            err_code(Password::new_checked(&"ab".repeat(65), "x")),
            "password_too_long"
        );
        assert_eq!(
            err_code(Password::new_checked(&pseudo_random_password(128, 7), "x")),
            "ok"
        );
        assert_eq!(
            err_code(Password::new_checked(&pseudo_random_password(129, 7), "x")),
            "password_too_long"
        );
        assert_eq!(
            err_code(Password::new_checked("aaaaaaaaaaaa", "x")),
            "password_repetitive"
        );
        assert_eq!(
            err_code(Password::new_checked("          ", "x")),
            "password_repetitive"
        );
        assert_eq!(
            err_code(Password::new_checked("ZhangSan2024", "zhangsan2024")),
            "password_is_login"
        );
        assert_eq!(
            err_code(Password::new_checked("zhangsan2024", " ZhangSan2024 ")),
            "password_is_login"
        );
        let e = Password::new_checked("x", "y").unwrap_err();
        assert_eq!(e.field, "new_password");
        let p = Password::unchecked("hunter2".to_owned());
        assert_eq!(p.expose(), "hunter2");
        assert_eq!(format!("{p:?}"), "Password(***)");
        assert_eq!(format!("{:?}", Some(p)), "Some(Password(***))");
    }

    /// `len` characters from the one-time-password alphabet, from a fixed seed (no `rand` here).
    fn pseudo_random_password(len: usize, seed: u64) -> String {
        const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        let mut x = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        (0..len)
            .map(|_| {
                x = x
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1_442_695_040_888_963_407);
                char::from(ALPHABET[((x >> 33) % ALPHABET.len() as u64) as usize])
            })
            .collect()
    }

    #[test]
    fn guessable_passwords_are_refused_with_the_reason() {
        for (pw, login, zh_reason, en_reason) in [
            (
                "1234567890",
                "zhangsan",
                "最常用的 100 个密码之一",
                "This is a top-100 common password.",
            ),
            (
                "abcabcabca",
                "zhangsan",
                "像“abcabcabc”这样的重复",
                "Repeats like \"abcabcabc\"",
            ),
            ("qwertyuiop", "x", "最常用的 100 个密码之一", "top-100"),
            ("Password123", "x", "非常常见的密码", "very common password"),
            (
                "2024-03-01-x",
                "x",
                "日期往往很容易被猜到",
                "Dates are often",
            ),
            ("michael1984", "x", "常见的名字和姓氏", "Common names"),
            ("密码密码密码密码密码", "x", "重复", "Repeats like"),
            // Built from the login, the user's other details or the platform's name.
            (
                "zhangsan2024!",
                "zhangsan",
                "含有登录名",
                "contains the login",
            ),
            (
                "zhang.san.2024",
                "zhang.san",
                "含有登录名",
                "contains the login",
            ),
            ("fruition2024", "x", "本平台的名称", "the platform's name"),
        ] {
            let e = Password::new_checked(pw, login).expect_err(pw);
            assert_eq!((e.field, e.code), ("new_password", "password_weak"), "{pw}");
            assert!(
                e.zh.starts_with("密码太容易被猜到：") && e.zh.contains(zh_reason),
                "{pw}: {}",
                e.zh
            );
            assert!(
                e.zh.ends_with("请使用更长、不常见的组合。"),
                "{pw}: {}",
                e.zh
            );
            assert!(
                e.en.starts_with("The password is too easy to guess") && e.en.contains(en_reason),
                "{pw}: {}",
                e.en
            );
        }
        // Other details about the user count like the login.
        let pw = "LiuXiaoming-1987";
        assert!(Password::new_checked(pw, "x").is_ok());
        assert_eq!(
            err_code(Password::new_checked_with_inputs(
                pw,
                "x",
                &["刘晓明", "liuxiaoming", "liuxiaoming1987@example.com"]
            )),
            "password_weak"
        );
    }

    #[test]
    fn the_demo_password_passes() {
        // `fruition_web::pages::session::DEMO_PASSWORD`, for each demo login.
        for login in [
            "demo.admin",
            "demo.staff",
            "demo.carrier",
            "demo.enterprise",
            "demo.institution",
            "demo.bank",
            "demo.guarantor",
            "demo.viewer",
        ] {
            assert_eq!(
                err_code(Password::new_checked("demo-password-2024", login)),
                "ok",
                "{login}"
            );
        }
    }

    #[test]
    fn passwords_of_the_integration_tests_pass() {
        // What the integration tests of the `fruition` crate set: `{login}-secret-pw`,
        // `{login}-changed-pw` and a few written out.
        for login in ["admin", "ent1", "bank1", "pp.base", "pilot.firm", "matrix7"] {
            for suffix in ["-secret-pw", "-changed-pw"] {
                let pw = format!("{login}{suffix}");
                assert_eq!(err_code(Password::new_checked(&pw, login)), "ok", "{pw}");
            }
        }
        for (pw, login) in [
            ("admin-password-for-tests", "admin"),
            ("bureau admin password 2024", "admin"),
            ("li browser own password", "li.browser"),
            ("a much better password", "ent.nav"),
        ] {
            assert_eq!(err_code(Password::new_checked(pw, login)), "ok", "{pw}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(
            PersonName::parse("  张三 ").map(PersonName::into_string),
            Ok("张三".to_owned())
        );
        assert_eq!(
            PersonName::parse("阿依古丽·买买提").map(|n| n.to_string()),
            Ok("阿依古丽·买买提".to_owned())
        );
        assert_eq!(err_code(PersonName::parse("李")), "ok");
        assert_eq!(err_code(PersonName::parse(" \t ")), "person_name_empty");
        assert_eq!(
            err_code(PersonName::parse(&"名".repeat(51))),
            "person_name_length"
        );
        assert_eq!(err_code(PersonName::parse(&"名".repeat(50))), "ok");
        assert_eq!(err_code(PersonName::parse("张\n三")), "person_name_char");
        assert_eq!(
            err_code(PersonName::parse("张\u{202E}三")),
            "person_name_char"
        );
        let e = PersonName::parse("").unwrap_err();
        assert_eq!(e.field, "display_name");

        assert_eq!(
            OrgName::parse(" 湖南工业大学 ").map(OrgName::into_string),
            Ok("湖南工业大学".to_owned())
        );
        assert_eq!(err_code(OrgName::parse("")), "org_name_empty");
        assert_eq!(err_code(OrgName::parse("厂")), "org_name_length");
        assert_eq!(
            err_code(OrgName::parse(&"司".repeat(101))),
            "org_name_length"
        );
        assert_eq!(err_code(OrgName::parse(&"司".repeat(100))), "ok");
        assert_eq!(err_code(OrgName::parse("株洲\u{0}公司")), "org_name_char");
        assert_eq!(OrgName::parse("").unwrap_err().field, "name");
    }

    #[test]
    fn emails() {
        let e = Email::parse(" Zhang.San@Example.COM ").expect("valid");
        assert_eq!(e.as_str(), "Zhang.San@example.com");
        assert_eq!(e.local_part(), "Zhang.San");
        assert_eq!(e.domain(), "example.com");
        assert_eq!(
            Email::parse("a＠b.cn").map(Email::into_string),
            Ok("a@b.cn".to_owned())
        );
        assert_eq!(err_code(Email::parse("")), "email_empty");
        assert_eq!(
            err_code(Email::parse(&format!("{}@b.cn", "a".repeat(250)))),
            "email_length"
        );
        for bad in [
            "ab.cn", "a@@b.cn", "a@b@c.cn", "@b.cn", "a@bcn", "a@b..cn", "a@.b.cn", "a@b.cn.",
            "a b@c.cn", "a@b .cn",
        ] {
            assert_eq!(err_code(Email::parse(bad)), "email_format", "{bad}");
        }
        assert_eq!(Email::parse("x").unwrap_err().field, "email");
    }

    #[test]
    fn phones() {
        for (input, canonical, kind) in [
            ("13812345678", "13812345678", PhoneKind::Mobile),
            (" 138 1234 5678 ", "13812345678", PhoneKind::Mobile),
            ("138-1234-5678", "13812345678", PhoneKind::Mobile),
            ("+86 138 1234 5678", "13812345678", PhoneKind::Mobile),
            ("008613812345678", "13812345678", PhoneKind::Mobile),
            ("１３８１２３４５６７８", "13812345678", PhoneKind::Mobile),
            ("0731-28687649", "0731-28687649", PhoneKind::Landline),
            ("073128687649", "0731-28687649", PhoneKind::Landline),
            ("(0731) 2868 7649", "0731-28687649", PhoneKind::Landline),
            ("0731－28687649", "0731-28687649", PhoneKind::Landline),
            ("+86 731 28687649", "0731-28687649", PhoneKind::Landline),
            ("010-12345678", "010-12345678", PhoneKind::Landline),
            ("01012345678", "010-12345678", PhoneKind::Landline),
            ("020 8765432", "020-8765432", PhoneKind::Landline),
            ("0731-2868764", "0731-2868764", PhoneKind::Landline),
        ] {
            let p = Phone::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.as_str(), canonical, "{input}");
            assert_eq!(p.kind(), kind, "{input}");
        }
        assert_eq!(err_code(Phone::parse(" ")), "phone_empty");
        for bad in [
            "12812345678",
            "1381234567",
            "138123456789",
            "0731-286876",
            "0731-286876491",
            "0031-28687649",
            "0131-28687649",
            "28687649",
            "138abc45678",
            "+1 650 253 0000",
            "0731-28687649 ext 8",
        ] {
            assert_eq!(err_code(Phone::parse(bad)), "phone_format", "{bad}");
        }
        assert_eq!(Phone::parse("x").unwrap_err().field, "phone");
    }

    #[test]
    fn serde() {
        let l = Login::deserialize(StrDeserializer::<DeError>::new("Admin")).expect("valid");
        assert_eq!(l.as_str(), "admin");
        assert!(Login::deserialize(StrDeserializer::<DeError>::new("1")).is_err());
        let p = Phone::deserialize(StrDeserializer::<DeError>::new("073128687649")).expect("valid");
        assert_eq!(p.as_str(), "0731-28687649");
        assert_eq!("0731-28687649".parse::<Phone>(), Ok(p));
        assert!(Email::deserialize(StrDeserializer::<DeError>::new("nope")).is_err());
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = Login::parse(&s);
            let _ = PersonName::parse(&s);
            let _ = OrgName::parse(&s);
            let _ = Email::parse(&s);
            let _ = Phone::parse(&s);
            let _ = Password::new_checked(&s, &s);
            let _ = Password::new_checked(&s, "admin");
        }

        #[test]
        fn parse_never_panics_phoneish(s in "[0-9０-９+() \\-]{0,20}") {
            if let Ok(p) = Phone::parse(&s) {
                prop_assert_eq!(Phone::parse(p.as_str()), Ok(p.clone()));
            }
        }

        #[test]
        fn logins_round_trip(s in "[a-z][a-z0-9._-]{2,31}") {
            let l = Login::parse(&s).expect("valid");
            prop_assert_eq!(l.as_str(), s.as_str());
            let shown = l.to_string();
            prop_assert_eq!(Login::parse(&shown), Ok(l.clone()));
            let shouted = format!(" {} ", s.to_ascii_uppercase());
            prop_assert_eq!(Login::parse(&shouted), Ok(l));
        }

        #[test]
        fn person_names_round_trip(s in "[\u{4e00}-\u{9fa5}A-Za-z·][\u{4e00}-\u{9fa5}A-Za-z· ]{0,48}[\u{4e00}-\u{9fa5}A-Za-z·]") {
            let n = PersonName::parse(&s).expect("valid");
            prop_assert_eq!(n.as_str(), s.as_str());
            let shown = n.to_string();
            prop_assert_eq!(PersonName::parse(&shown), Ok(n));
        }

        #[test]
        fn org_names_round_trip(s in "[\u{4e00}-\u{9fa5}A-Za-z0-9()（）][\u{4e00}-\u{9fa5}A-Za-z0-9()（） ]{0,98}[\u{4e00}-\u{9fa5}A-Za-z0-9()（）]") {
            let n = OrgName::parse(&s).expect("valid");
            prop_assert_eq!(n.as_str(), s.as_str());
            let shown = n.to_string();
            prop_assert_eq!(OrgName::parse(&shown), Ok(n));
        }

        #[test]
        fn emails_round_trip(s in "[a-z0-9._+-]{1,30}@[a-z0-9-]{1,20}(\\.[a-z]{2,6}){1,2}") {
            let e = Email::parse(&s).expect("valid");
            prop_assert_eq!(e.as_str(), s.as_str());
            let shown = e.to_string();
            prop_assert_eq!(Email::parse(&shown), Ok(e));
        }

        #[test]
        fn mobiles_round_trip(s in "1[3-9][0-9]{9}") {
            let p = Phone::parse(&s).expect("valid");
            prop_assert_eq!(p.as_str(), s.as_str());
            prop_assert_eq!(p.kind(), PhoneKind::Mobile);
            let spaced = format!("+86 {} {} {}", &s[..3], &s[3..7], &s[7..]);
            prop_assert_eq!(Phone::parse(&spaced), Ok(p));
        }

        #[test]
        fn landlines_round_trip(area in "0(10|2[0-9]|[3-9][0-9]{2})", number in "[2-8][0-9]{6,7}") {
            let canonical = format!("{area}-{number}");
            let p = Phone::parse(&format!("{area}{number}")).expect("valid");
            prop_assert_eq!(p.as_str(), canonical.as_str());
            prop_assert_eq!(p.kind(), PhoneKind::Landline);
            prop_assert_eq!(Phone::parse(&canonical), Ok(p));
        }

        #[test]
        fn short_passwords_are_rejected(chars in proptest::collection::vec(any::<char>(), 0..10), login in any::<String>()) {
            let pw: String = chars.into_iter().collect();
            prop_assert_eq!(err_code(Password::new_checked(&pw, &login)), "password_too_short");
        }

        #[test]
        fn one_time_passwords_are_accepted(pw in "[abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789]{16}", login in "[a-z][a-z0-9._-]{2,31}") {
            // As `fruition_app::auth::secret::one_time_password` makes them.
            let p = Password::new_checked(&pw, &login).expect("valid");
            prop_assert_eq!(p.expose(), pw.as_str());
        }

        #[test]
        fn accepted_passwords_keep_the_basic_rules(pw in "[a-zA-Z0-9!@#$%^&* ]{0,40}", login in "[a-z]{3,8}") {
            if let Ok(p) = Password::new_checked(&pw, &login) {
                let n = pw.chars().count();
                prop_assert!((Password::MIN_CHARS..=Password::MAX_CHARS).contains(&n));
                prop_assert!(pw.chars().any(|c| !pw.starts_with(c)));
                prop_assert_ne!(pw.to_lowercase(), login);
                prop_assert_eq!(p.expose(), pw.as_str());
            }
        }
    }
}
