//! The technology elements market (科技要素大市场): listings of every element the seed names, their
//! life cycle, and the value types they hold — readiness levels (GB/T 22900), Chinese patent
//! numbers with their check digit, transfer and cooperation modes.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::org::{OrgKind, string_enum};

string_enum! {
    /// What a listing offers or asks for.
    ListingKind {
        Achievement = "achievement", "科技成果", "Technology achievement";
        Need = "need", "技术需求", "Technology need";
        Service = "service", "科技服务", "Service";
        Instrument = "instrument", "仪器设备与中试线", "Instrument or pilot line";
        Expert = "expert", "专家人才", "Expert";
        Capital = "capital", "资本", "Capital";
        Policy = "policy", "政策", "Policy";
    }
}

string_enum! {
    /// Where a listing stands. Published listings are public; a hidden one was taken down by the
    /// bureau with a reason.
    ListingStatus {
        Draft = "draft", "草稿", "Draft";
        Published = "published", "已发布", "Published";
        Closed = "closed", "已关闭", "Closed";
        Hidden = "hidden", "已屏蔽", "Hidden";
    }
}

string_enum! {
    /// What happens to a listing.
    ListingAction {
        Publish = "publish", "发布", "Publish";
        Close = "close", "关闭", "Close";
        Hide = "hide", "屏蔽", "Hide";
        Restore = "restore", "恢复", "Restore";
    }
}

impl ListingStatus {
    /// The status after `action`, if the action is possible now. Owners publish and close;
    /// the bureau hides and restores (to published).
    pub fn after(self, action: ListingAction) -> Option<ListingStatus> {
        use ListingAction::*;
        use ListingStatus::*;
        match (self, action) {
            (Draft | Closed, Publish) => Some(Published),
            (Draft | Published, Close) => Some(Closed),
            (Published, Hide) => Some(Hidden),
            (Hidden, Restore) => Some(Published),
            _ => None,
        }
    }

    /// Whether anyone, signed in or not, may see it.
    pub fn is_public(self) -> bool {
        self == ListingStatus::Published
    }
}

impl ListingAction {
    /// Hiding and restoring are the bureau's; the rest the owner's.
    pub fn is_bureau_only(self) -> bool {
        matches!(self, ListingAction::Hide | ListingAction::Restore)
    }
}

string_enum! {
    /// How an achievement's owner will let it be used, or how a need's poster wants to cooperate.
    TransferMode {
        Transfer = "transfer", "转让", "Transfer";
        Licence = "licence", "许可", "Licence";
        JointDevelopment = "joint_development", "合作开发", "Joint development";
        Commissioned = "commissioned", "委托开发", "Commissioned development";
        Equity = "equity", "作价入股", "Equity";
        PayAfterUse = "pay_after_use", "先用后付许可", "Pay-after-use licence";
        Consulting = "consulting", "技术咨询与服务", "Consulting and services";
    }
}

impl TransferMode {
    /// The modes an achievement may offer.
    pub const FOR_ACHIEVEMENTS: &'static [TransferMode] = &[
        TransferMode::Transfer,
        TransferMode::Licence,
        TransferMode::JointDevelopment,
        TransferMode::Equity,
        TransferMode::PayAfterUse,
    ];
    /// The modes a need may ask for.
    pub const FOR_NEEDS: &'static [TransferMode] = &[
        TransferMode::Transfer,
        TransferMode::Licence,
        TransferMode::JointDevelopment,
        TransferMode::Commissioned,
        TransferMode::Consulting,
    ];
}

/// A technology readiness level, 1–9 (GB/T 22900).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Trl(u8);

const TRL_LABELS: [(&str, &str); 9] = [
    ("发现基本原理", "Basic principles observed"),
    ("形成技术概念或应用方案", "Technology concept formulated"),
    (
        "关键功能通过实验室验证",
        "Key function proven in the laboratory",
    ),
    (
        "实验室环境中部件或原理样机验证",
        "Components validated in the laboratory",
    ),
    (
        "相关环境中部件或模块验证",
        "Components validated in a relevant environment",
    ),
    (
        "相关环境中系统样机演示",
        "System prototype demonstrated in a relevant environment",
    ),
    (
        "实际环境中系统样机试验",
        "System prototype tested in an operational environment",
    ),
    (
        "实际系统完成并通过试验验证",
        "Actual system completed and qualified",
    ),
    (
        "实际系统经任务运行成功考验",
        "Actual system proven in operation",
    ),
];

impl Trl {
    pub const MIN: Trl = Trl(1);
    pub const MAX: Trl = Trl(9);

    pub fn new(level: i64) -> Result<Trl, FieldError> {
        if (1..=9).contains(&level) {
            Ok(Trl(level as u8))
        } else {
            Err(FieldError::new(
                "trl",
                "out_of_range",
                "技术就绪水平应为 1–9 级",
                "The readiness level must be 1–9",
            ))
        }
    }

    pub fn level(self) -> u8 {
        self.0
    }

    /// The level's description (GB/T 22900).
    pub fn label(self, lang: crate::lang::Lang) -> &'static str {
        let (zh, en) = TRL_LABELS[usize::from(self.0 - 1)];
        lang.pick(zh, en)
    }
}

impl TryFrom<i64> for Trl {
    type Error = String;
    fn try_from(v: i64) -> Result<Trl, String> {
        Trl::new(v).map_err(|e| e.en)
    }
}

impl From<Trl> for i64 {
    fn from(t: Trl) -> i64 {
        i64::from(t.0)
    }
}

/// A Chinese patent (application) number, checked: since 2003 twelve digits — year, kind
/// (1 invention, 2 utility model, 3 design, 8 PCT invention, 9 PCT utility model), serial —
/// and a check character; before, eight digits and a check character. The check character is
/// Σ dᵢ·wᵢ mod 11 with weights 2,3,4,5,6,7,8,9,2,3,4,5 (10 → X).
///
/// Accepted as written on certificates and in databases: `ZL201710601862.3`,
/// `CN201710601862.3`, `201710601862.3`, `2017106018623`, with spaces; kept as
/// `ZL201710601862.3`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PatentNumber(String);

string_enum! {
    /// What kind of patent a number is for (its kind digit).
    PatentKind {
        Invention = "invention", "发明", "Invention";
        UtilityModel = "utility_model", "实用新型", "Utility model";
        Design = "design", "外观设计", "Design";
    }
}

pub(crate) fn patent_check(digits: &[u8]) -> char {
    const WEIGHTS: [u32; 12] = [2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5];
    let sum: u32 = digits
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(*d) * w)
        .sum();
    match sum % 11 {
        10 => 'X',
        r => char::from_digit(r, 10).unwrap_or('0'),
    }
}

impl PatentNumber {
    pub fn parse(input: &str) -> Result<PatentNumber, FieldError> {
        let bad = |zh: &str, en: &str| FieldError::new("patents", "invalid", zh, en);
        let cleaned: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                // Full-width digits and letters as typed by Chinese input methods.
                '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '．' => {
                    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
                }
                c => c,
            })
            .collect::<String>()
            .to_ascii_uppercase();
        let body = cleaned
            .strip_prefix("ZL")
            .or_else(|| cleaned.strip_prefix("CN"))
            .unwrap_or(&cleaned);
        // Without a dot, the check character is the last *character* (not byte: the input may
        // end in "®" or "中"); `char_indices` gives its start, always a char boundary.
        let (digits, check) = match body.split_once('.') {
            Some((d, c)) => (d, c),
            None => match body.char_indices().next_back() {
                Some((last, _)) if last > 0 => body.split_at(last),
                _ => (body, ""),
            },
        };
        if !digits.bytes().all(|b| b.is_ascii_digit()) || !matches!(digits.len(), 8 | 12) {
            return Err(bad(
                &format!(
                    "专利号“{}”格式不正确，应为 ZL + 12 位申请号 + 校验位，如 ZL201710601862.3",
                    crate::echo(input)
                ),
                &format!(
                    "“{}” is not a patent number like ZL201710601862.3",
                    crate::echo(input)
                ),
            ));
        }
        let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        let kind_digit = if values.len() == 12 {
            values[4]
        } else {
            values[2]
        };
        if !matches!(kind_digit, 1 | 2 | 3 | 8 | 9) {
            return Err(bad(
                &format!("专利号“{}”的类型位应为 1、2、3、8 或 9", crate::echo(input)),
                &format!("“{}” has no valid patent kind digit", crate::echo(input)),
            ));
        }
        let expected = patent_check(&values);
        let mut check_chars = check.chars();
        if check_chars.next() != Some(expected) || check_chars.next().is_some() {
            return Err(bad(
                &format!(
                    "专利号“{}”的校验位不符（应为 {expected}）",
                    crate::echo(input)
                ),
                &format!(
                    "“{}” has a wrong check character (expected {expected})",
                    crate::echo(input)
                ),
            ));
        }
        Ok(PatentNumber(format!("ZL{digits}.{expected}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> Option<PatentKind> {
        // `ZL`, 8 or 12 ASCII digits, `.` and the check character, as `parse` built it.
        let digits = self.0.get(2..self.0.len().saturating_sub(2))?.as_bytes();
        let d = if digits.len() == 12 {
            digits.get(4)
        } else {
            digits.get(2)
        };
        match d? {
            b'1' | b'8' => Some(PatentKind::Invention),
            b'2' | b'9' => Some(PatentKind::UtilityModel),
            b'3' => Some(PatentKind::Design),
            _ => None,
        }
    }
}

impl TryFrom<String> for PatentNumber {
    type Error = String;
    fn try_from(s: String) -> Result<PatentNumber, String> {
        PatentNumber::parse(&s).map_err(|e| e.en)
    }
}

impl From<PatentNumber> for String {
    fn from(p: PatentNumber) -> String {
        p.0
    }
}

impl std::fmt::Display for PatentNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What only some kinds of listing hold, kept as JSON beside the common columns.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Details {
    /// An achievement's inventors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub inventors: Vec<String>,
    /// An achievement's patents.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub patents: Vec<PatentNumber>,
    /// A need's technical indicators (技术指标).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub indicators: Option<String>,
    /// An expert's professional title (职称).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expert_title: Option<String>,
    /// An expert's organisation, when not the listing organisation itself.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub affiliation: Option<String>,
    /// An instrument's or service's unit of charge (hour, day, batch, …).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// A capital offer's preferred stages and ticket sizes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferences: Option<String>,
    /// A policy's issuing body.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuing_body: Option<String>,
    /// A policy's date of issue (ISO).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_on: Option<String>,
    /// Who a policy applies to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applies_to: Option<String>,
}

impl ListingKind {
    /// The kinds an organisation of `org` may list. The bureau lists anything, policies only it.
    pub fn allowed_for(org: OrgKind) -> &'static [ListingKind] {
        use ListingKind::*;
        match org {
            OrgKind::Bureau => ListingKind::ALL,
            OrgKind::Enterprise => &[Achievement, Need, Service, Instrument],
            OrgKind::Institution => &[Achievement, Need, Expert, Instrument, Service],
            OrgKind::CarrierOperator => &[Service, Instrument, Expert, Need],
            OrgKind::Bank | OrgKind::Guarantor | OrgKind::Investor => &[Capital, Service],
            OrgKind::ServiceAgency => &[Service, Expert],
        }
    }

    /// Whether a listing of this kind must name its technical field
    /// ([`crate::tech_field::TechField`]): an achievement, a need and an expert are counted by
    /// field; a service, an instrument, capital or a policy may name one.
    pub fn needs_tech_field(self) -> bool {
        matches!(
            self,
            ListingKind::Achievement | ListingKind::Need | ListingKind::Expert
        )
    }

    /// The modes a listing of this kind chooses from (none for the others).
    pub fn modes(self) -> &'static [TransferMode] {
        match self {
            ListingKind::Achievement => TransferMode::FOR_ACHIEVEMENTS,
            ListingKind::Need => TransferMode::FOR_NEEDS,
            _ => &[],
        }
    }
}

/// Text limits, in characters.
pub const TITLE_MAX: usize = 100;
pub const SUMMARY_MAX: usize = 500;
pub const BODY_MAX: usize = 20_000;
pub const SHORT_MAX: usize = 200;

/// A required text of at most `max` characters (trimmed).
pub fn text(field: &'static str, input: &str, max: usize) -> Result<String, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "必填", "is required"));
    }
    optional_text(field, s, max).map(|t| t.unwrap_or_default())
}

/// An optional text of at most `max` characters: blank is None.
pub fn optional_text(
    field: &'static str,
    input: &str,
    max: usize,
) -> Result<Option<String>, FieldError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let n = s.chars().count();
    if n > max {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("不能超过 {max} 字（现有 {n} 字）"),
            format!("must be at most {max} characters (has {n})"),
        ));
    }
    if s.chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(FieldError::new(
            field,
            "control_chars",
            "含有不可见的控制字符",
            "contains control characters",
        ));
    }
    Ok(Some(s.to_string()))
}

/// A money amount in 千元: 0 up to 100 亿元.
pub fn amount_k(field: &'static str, v: i64) -> Result<i64, FieldError> {
    if (0..=10_000_000).contains(&v) {
        Ok(v)
    } else {
        Err(FieldError::new(
            field,
            "out_of_range",
            "金额应在 0–10,000,000 千元之间",
            "The amount must be 0–10,000,000 thousand yuan",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    #[test]
    fn patent_numbers_with_the_right_check_character_are_kept_in_one_form() {
        for input in [
            "ZL201710601862.3",
            "CN201710601862.3",
            "201710601862.3",
            "2017106018623",
            " zl 2017 1060 1862.3 ",
            "ＺＬ２０１７１０６０１８６２．３",
        ] {
            let p = PatentNumber::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(p.as_str(), "ZL201710601862.3");
            assert_eq!(p.kind(), Some(PatentKind::Invention));
        }
        // The pre-2003 form, with X for a remainder of 10.
        let old = PatentNumber::parse("ZL95115608.X").expect("old form");
        assert_eq!(old.as_str(), "ZL95115608.X");
        let utility = format!(
            "202020123456.{}",
            patent_check(&[2, 0, 2, 0, 2, 0, 1, 2, 3, 4, 5, 6])
        );
        assert_eq!(
            PatentNumber::parse(&utility).ok().and_then(|p| p.kind()),
            Some(PatentKind::UtilityModel)
        );
    }

    #[test]
    fn a_wrong_check_character_or_form_names_the_reason() {
        let e = PatentNumber::parse("ZL201710601862.4").expect_err("wrong check");
        assert_eq!(e.field, "patents");
        assert!(e.zh.contains("校验位不符（应为 3）"), "{}", e.zh);
        for bad in [
            "",
            "ZL2017",
            "ZL20171060186.3",
            "ZL201750601862.3",
            "ZLabcdefghijkl.3",
            "ZL201710601862.33",
        ] {
            assert!(PatentNumber::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn non_ascii_endings_are_refused_not_a_panic() {
        // Regression: `split_at(len - 1)` split "®" (two bytes) in the middle and panicked.
        for bad in [
            "®",
            "中",
            "ZL®",
            "CN中",
            "ZL201710601862®",
            "201710601862®",
            "2017106018623®",
            "ZL201710601862.®",
            "2017106018623中",
            "2017106018623\u{301}",
            "2017106018623😀",
            "ZL201710601862.3®",
        ] {
            let e = PatentNumber::parse(bad).expect_err(bad);
            assert_eq!(e.field, "patents", "{bad}");
        }
        // Full-width digits without the dot still read.
        assert_eq!(
            PatentNumber::parse("２０１７１０６０１８６２３").map(|p| p.to_string()),
            Ok("ZL201710601862.3".to_owned())
        );
    }

    #[test]
    fn every_check_character_round_trips() {
        for serial in 0..200u32 {
            let digits = format!("20231{serial:07}");
            let values: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
            let c = patent_check(&values);
            let p = PatentNumber::parse(&format!("{digits}.{c}")).expect("valid");
            assert_eq!(p.as_str(), format!("ZL{digits}.{c}"));
        }
    }

    #[test]
    fn readiness_is_one_to_nine() {
        assert!(Trl::new(0).is_err());
        assert!(Trl::new(10).is_err());
        assert_eq!(Trl::new(7).map(Trl::level), Ok(7));
        assert_eq!(Trl::MAX.label(Lang::ZhCn), "实际系统经任务运行成功考验");
        assert!(serde_json::from_str::<Trl>("12").is_err());
    }

    #[test]
    fn the_life_cycle() {
        use ListingAction::*;
        use ListingStatus::*;
        assert_eq!(Draft.after(Publish), Some(Published));
        assert_eq!(Published.after(Close), Some(Closed));
        assert_eq!(Closed.after(Publish), Some(Published));
        assert_eq!(Published.after(Hide), Some(Hidden));
        assert_eq!(Hidden.after(Publish), None, "only the bureau restores");
        assert_eq!(Hidden.after(Restore), Some(Published));
        assert_eq!(Draft.after(Hide), None);
        assert!(Published.is_public() && !Hidden.is_public() && !Draft.is_public());
    }

    #[test]
    fn texts_are_bounded() {
        assert!(text("title", "   ", TITLE_MAX).is_err());
        let long = "字".repeat(TITLE_MAX + 1);
        let e = text("title", &long, TITLE_MAX).expect_err("too long");
        assert!(e.zh.contains("100"), "{}", e.zh);
        assert_eq!(
            text("title", " 牵引变流器 ", TITLE_MAX).as_deref(),
            Ok("牵引变流器")
        );
        assert!(text("title", "a\u{0}b", TITLE_MAX).is_err());
        assert_eq!(optional_text("x", "  ", 5), Ok(None));
    }
}
