//! Technology contracts concluded anywhere (技术合同认定登记): a party, or the registration office
//! on its behalf, submits a contract signed outside the market; the office recognises it (it is
//! numbered in the same register as contracts reached in the market), returns it with a reason
//! (the submitter fixes and resubmits it) or refuses it with a reason.
//!
//! ```text
//! submitted ──recognise──▶ recognised
//!   ▲   │ ──refuse──▶ refused
//!   │   └─return──▶ returned
//!   └──resubmit───────┘
//! ```
//!
//! A party's place is read from its USCC: positions 3–8 are the administrative division of the
//! authority that registered it, so a party registered in one of the city's counties is inside
//! the city and any other is outside. At least one party must be inside the city.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::attachment::{self, AttachmentKind};
use crate::date::IsoDate;
use crate::deal::ContractType;
use crate::market;
use crate::org::string_enum;
use crate::tech_field::TechField;
use crate::uscc::Uscc;

string_enum! {
    /// Where a submitted contract stands.
    SubmissionStatus {
        Submitted = "submitted", "待认定", "Awaiting the office";
        Recognised = "recognised", "已认定登记", "Recognised and registered";
        Returned = "returned", "已退回修改", "Returned for correction";
        Refused = "refused", "不予登记", "Refused";
    }
}

string_enum! {
    /// What the registration office decides, or the submitter does after a return.
    ReviewStep {
        Recognise = "recognise", "认定登记", "Recognise and register";
        Return = "return", "退回修改", "Return for correction";
        Refuse = "refuse", "不予登记", "Refuse";
        Resubmit = "resubmit", "修改后重新提交", "Resubmit";
    }
}

impl SubmissionStatus {
    /// The status after `step`, if the step is possible now.
    pub fn after(self, step: ReviewStep) -> Option<SubmissionStatus> {
        use ReviewStep::*;
        use SubmissionStatus::*;
        match (self, step) {
            (Submitted, Recognise) => Some(Recognised),
            (Submitted, Return) => Some(Returned),
            (Submitted, Refuse) => Some(Refused),
            (Returned, Resubmit) => Some(Submitted),
            _ => None,
        }
    }

    /// Whether the step needs a reason (returning and refusing do).
    pub fn needs_reason(step: ReviewStep) -> bool {
        matches!(step, ReviewStep::Return | ReviewStep::Refuse)
    }
}

string_enum! {
    /// Where a contract came from: reached in the market, or concluded anywhere and submitted.
    ContractSource {
        Market = "market", "技术市场成交", "Reached in the market";
        Submitted = "submitted", "场外申报登记", "Submitted from outside the market";
    }
}

/// A contract title's length limit, in characters.
pub const TITLE_MAX: usize = 200;
/// A party's name's length limit, in characters.
pub const NAME_MAX: usize = 100;
/// The signed file's size limit, checked before it is read.
pub const FILE_MAX_BYTES: usize = 10 * 1024 * 1024;
/// The largest amount accepted, in fen (100亿元): beyond it a typing mistake is likelier.
pub const AMOUNT_MAX_FEN: i64 = 1_000_000_000_000;

/// Checks a signed file: not empty, at most [`FILE_MAX_BYTES`], a PDF or an image (told by its
/// first bytes, as every attachment: `attachment::sniff`).
pub fn check_file(len: usize, first_bytes: &[u8]) -> Result<AttachmentKind, FieldError> {
    if len == 0 {
        return Err(FieldError::new(
            "file",
            "required",
            "请上传已签订的合同文本（PDF 或图片）",
            "Upload the signed contract (PDF or image)",
        ));
    }
    if len > FILE_MAX_BYTES {
        return Err(FieldError::new(
            "file",
            "too_large",
            format!("合同文件不能超过 {} MB", FILE_MAX_BYTES / 1024 / 1024),
            format!(
                "The contract file cannot be larger than {} MB",
                FILE_MAX_BYTES / 1024 / 1024
            ),
        ));
    }
    attachment::sniff(first_bytes, "")
        .filter(|k| {
            matches!(
                k,
                AttachmentKind::Pdf | AttachmentKind::Jpeg | AttachmentKind::Png
            )
        })
        .ok_or_else(|| {
            FieldError::new(
                "file",
                "invalid_type",
                "合同文件应为 PDF、JPEG 或 PNG",
                "The contract file must be a PDF, JPEG or PNG",
            )
        })
}

/// A party of a contract as the register keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub name: String,
    pub uscc: Uscc,
}

impl Party {
    /// The 6-digit division code of the authority that registered the party.
    pub fn division(&self) -> &str {
        self.uscc.division_code()
    }
}

/// Whether a division code lies in the city (`city_code`, a prefecture's 6-digit code).
pub fn in_city(division: &str, city_code: &str) -> bool {
    division.len() == 6 && city_code.len() >= 4 && division.get(..4) == city_code.get(..4)
}

/// A contract as submitted, checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submission {
    pub contract_type: ContractType,
    pub title: String,
    /// 技术输出方 (卖方).
    pub seller: Party,
    /// 技术吸纳方 (买方).
    pub buyer: Party,
    /// 合同成交额, fen.
    pub contract_amount_fen: i64,
    /// 技术交易额, fen; at most the contract amount.
    pub tech_amount_fen: i64,
    /// The technical field of the national statistics.
    pub tech_field: TechField,
    /// One of the city's industrial chains, for the city's own statistics (a code; the app
    /// checks it exists); None: none given.
    pub chain_code: Option<String>,
    pub signed_on: IsoDate,
    pub starts_on: IsoDate,
    pub ends_on: IsoDate,
}

/// A contract as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubmissionInput<'a> {
    pub contract_type: &'a str,
    pub title: &'a str,
    pub seller_name: &'a str,
    pub seller_uscc: &'a str,
    pub buyer_name: &'a str,
    pub buyer_uscc: &'a str,
    pub contract_amount_fen: Option<i64>,
    pub tech_amount_fen: Option<i64>,
    /// The technical field: code, name or short name ([`TechField::find`]).
    pub tech_field: &'a str,
    /// Empty: no chain.
    pub chain_code: &'a str,
    pub signed_on: &'a str,
    pub starts_on: &'a str,
    pub ends_on: &'a str,
}

fn amount(field: &'static str, v: Option<i64>, min: i64) -> Result<i64, FieldError> {
    match v {
        None => Err(FieldError::new(field, "required", "必填", "is required")),
        Some(v) if v < min || v > AMOUNT_MAX_FEN => Err(FieldError::new(
            field,
            "out_of_range",
            format!(
                "金额应在 {} 至 {} 元之间",
                crate::money::yuan(min),
                crate::money::yuan(AMOUNT_MAX_FEN)
            ),
            format!(
                "The amount must be between {} and {} yuan",
                crate::money::yuan(min),
                crate::money::yuan(AMOUNT_MAX_FEN)
            ),
        )),
        Some(v) => Ok(v),
    }
}

impl Submission {
    /// Checks every field against the city (`city_code`); all problems at once, each naming
    /// its field.
    pub fn parse(
        input: &SubmissionInput<'_>,
        city_code: &str,
    ) -> Result<Submission, Vec<FieldError>> {
        let mut errors = Vec::new();
        fn keep<T>(errors: &mut Vec<FieldError>, r: Result<T, FieldError>) -> Option<T> {
            r.map_err(|e| errors.push(e)).ok()
        }
        let contract_type = keep(&mut errors, ContractType::read(input.contract_type));
        let title = keep(&mut errors, market::text("title", input.title, TITLE_MAX));
        let seller_name = keep(
            &mut errors,
            market::text("seller_name", input.seller_name, NAME_MAX),
        );
        let seller_uscc = keep(
            &mut errors,
            Uscc::parse(input.seller_uscc).map_err(|e| e.for_field("seller_uscc")),
        );
        let buyer_name = keep(
            &mut errors,
            market::text("buyer_name", input.buyer_name, NAME_MAX),
        );
        let buyer_uscc = keep(
            &mut errors,
            Uscc::parse(input.buyer_uscc).map_err(|e| e.for_field("buyer_uscc")),
        );
        let contract_amount_fen = keep(
            &mut errors,
            amount("contract_amount_fen", input.contract_amount_fen, 1),
        );
        let tech_amount_fen = keep(
            &mut errors,
            amount("tech_amount_fen", input.tech_amount_fen, 0),
        );
        let tech_field = keep(&mut errors, TechField::read("tech_field", input.tech_field));
        let chain_code = Some(input.chain_code.trim())
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        let signed_on = keep(
            &mut errors,
            IsoDate::parse_field(input.signed_on, "signed_on"),
        );
        let starts_on = keep(
            &mut errors,
            IsoDate::parse_field(input.starts_on, "starts_on"),
        );
        let ends_on = keep(&mut errors, IsoDate::parse_field(input.ends_on, "ends_on"));
        if let (Some(c), Some(t)) = (contract_amount_fen, tech_amount_fen)
            && t > c
        {
            errors.push(FieldError::new(
                "tech_amount_fen",
                "exceeds_contract",
                format!(
                    "技术交易额（{} 元）不能超过合同成交额（{} 元）",
                    crate::money::yuan(t),
                    crate::money::yuan(c)
                ),
                format!(
                    "The technology-transaction amount ({} yuan) cannot exceed the contract amount ({} yuan)",
                    crate::money::yuan(t),
                    crate::money::yuan(c)
                ),
            ));
        }
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            errors.push(FieldError::new(
                "ends_on",
                "before_start",
                "合同终止日期不能早于起始日期",
                "The contract cannot end before it starts",
            ));
        }
        if let (Some(s), Some(b)) = (&seller_uscc, &buyer_uscc) {
            if s == b {
                errors.push(FieldError::new(
                    "buyer_uscc",
                    "same_party",
                    "买方与卖方不能是同一单位",
                    "The buyer and the seller cannot be the same organisation",
                ));
            } else if !in_city(s.division_code(), city_code)
                && !in_city(b.division_code(), city_code)
            {
                errors.push(FieldError::new(
                    "seller_uscc",
                    "outside_city",
                    "合同双方至少有一方应为本市登记的单位（统一社会信用代码第3至8位为本市行政区划代码）",
                    "At least one party must be registered in the city (positions 3–8 of its USCC)",
                ));
            }
        }
        match (
            contract_type,
            title,
            seller_name,
            seller_uscc,
            buyer_name,
            buyer_uscc,
            contract_amount_fen,
            tech_amount_fen,
            tech_field,
            signed_on,
            starts_on,
            ends_on,
        ) {
            (
                Some(contract_type),
                Some(title),
                Some(seller_name),
                Some(seller_uscc),
                Some(buyer_name),
                Some(buyer_uscc),
                Some(contract_amount_fen),
                Some(tech_amount_fen),
                Some(tech_field),
                Some(signed_on),
                Some(starts_on),
                Some(ends_on),
            ) if errors.is_empty() => Ok(Submission {
                contract_type,
                title,
                seller: Party {
                    name: seller_name,
                    uscc: seller_uscc,
                },
                buyer: Party {
                    name: buyer_name,
                    uscc: buyer_uscc,
                },
                contract_amount_fen,
                tech_amount_fen,
                tech_field,
                chain_code,
                signed_on,
                starts_on,
                ends_on,
            }),
            _ => Err(errors),
        }
    }
}

/// Reads an amount in 万元 as a register's workbook writes it — `12`, `12.5`, `1,200.25`,
/// `１２万元`, `12万` — into fen (1 万元 = 1,000,000 fen): at most six decimals (a fen), never
/// negative, at most [`AMOUNT_MAX_FEN`]. Total: any text gives an amount or a problem.
pub fn parse_wan(field: &'static str, input: &str) -> Result<i64, FieldError> {
    let s: String = crate::uscc::half_width(input)
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' ' | '¥' | '￥'))
        .collect();
    let s = s.trim();
    let s = s
        .strip_suffix("万元")
        .or_else(|| s.strip_suffix('万'))
        .unwrap_or(s);
    if s.is_empty() {
        return Err(FieldError::new(field, "required", "必填", "is required"));
    }
    let bad = || {
        FieldError::new(
            field,
            "money",
            format!(
                "“{}”不是有效金额，应为 12 或 12.5 这样的万元数",
                crate::echo(input.trim())
            ),
            format!(
                "“{}” is not an amount in 万元 like 12 or 12.5",
                crate::echo(input.trim())
            ),
        )
    };
    if s.starts_with('-') {
        return Err(FieldError::new(
            field,
            "negative",
            "金额不能为负数",
            "The amount cannot be negative",
        ));
    }
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if (whole.is_empty() && frac.is_empty())
        || !whole.chars().all(|c| c.is_ascii_digit())
        || !frac.chars().all(|c| c.is_ascii_digit())
    {
        return Err(bad());
    }
    if frac.len() > 6 {
        return Err(FieldError::new(
            field,
            "money_precision",
            "以万元填写时最多保留六位小数（分）",
            "An amount in 万元 has at most six decimals (fen)",
        ));
    }
    let over = || {
        FieldError::new(
            field,
            "out_of_range",
            format!("金额不能超过 {} 元", crate::money::yuan(AMOUNT_MAX_FEN)),
            format!(
                "The amount cannot exceed {} yuan",
                crate::money::yuan(AMOUNT_MAX_FEN)
            ),
        )
    };
    let whole: i64 = if whole.is_empty() {
        0
    } else if whole.len() > 12 {
        return Err(over());
    } else {
        whole.parse().map_err(|_| bad())?
    };
    let frac: i64 = format!("{frac:0<6}").parse().map_err(|_| bad())?;
    let fen = whole
        .checked_mul(1_000_000)
        .and_then(|w| w.checked_add(frac))
        .ok_or_else(over)?;
    if fen > AMOUNT_MAX_FEN {
        return Err(over());
    }
    Ok(fen)
}

/// A place in the statistics: a county of the city by its code, "outside" the city, or unknown
/// ("" — a market party without a USCC).
pub fn place_code(division: Option<&str>) -> String {
    division.unwrap_or("").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uscc(division: &str, body: &str) -> String {
        let first17 = format!("91{division}{body}");
        let c = crate::uscc::check_char(&first17).expect("valid first 17");
        format!("{first17}{c}")
    }

    fn input<'a>(seller: &'a str, buyer: &'a str) -> SubmissionInput<'a> {
        SubmissionInput {
            contract_type: "技术开发",
            title: "轨道交通牵引变流器散热结构联合开发合同",
            seller_name: "株洲某研究院（合成）",
            seller_uscc: seller,
            buyer_name: "长沙某装备公司（合成）",
            buyer_uscc: buyer,
            contract_amount_fen: Some(120_000_000),
            tech_amount_fen: Some(100_000_000),
            tech_field: "现代交通",
            chain_code: "rail_transit",
            signed_on: "2025-03-01",
            starts_on: "2025-03-15",
            ends_on: "2026-03-14",
        }
    }

    #[test]
    fn a_contract_with_one_party_outside_the_city_is_accepted() {
        let seller = uscc("430211", "MA4L00001");
        let buyer = uscc("430100", "MA4L00002");
        let s = Submission::parse(&input(&seller, &buyer), "430200").expect("valid");
        assert!(in_city(s.seller.division(), "430200"));
        assert!(!in_city(s.buyer.division(), "430200"));
        assert_eq!(s.contract_type, ContractType::Development);
    }

    #[test]
    fn both_parties_outside_the_city_are_refused_naming_the_field() {
        let seller = uscc("430100", "MA4L00001");
        let buyer = uscc("440300", "MA4L00002");
        let e = Submission::parse(&input(&seller, &buyer), "430200").expect_err("outside");
        assert_eq!(e[0].field, "seller_uscc");
        assert!(e[0].zh.contains("本市"), "{}", e[0].zh);
    }

    #[test]
    fn amounts_parties_and_dates_are_checked_together() {
        let seller = uscc("430211", "MA4L00001");
        let mut i = input(&seller, &seller);
        i.tech_amount_fen = Some(200_000_000);
        i.ends_on = "2025-01-01";
        let e = Submission::parse(&i, "430200").expect_err("bad");
        let fields: Vec<&str> = e.iter().map(|x| x.field).collect();
        assert_eq!(fields, vec!["tech_amount_fen", "ends_on", "buyer_uscc"]);
        let e = Submission::parse(&SubmissionInput::default(), "430200").expect_err("empty");
        assert!(e.iter().any(|x| x.field == "seller_uscc"));
        assert!(e.iter().any(|x| x.field == "tech_field"));
        assert!(!e.iter().any(|x| x.field == "chain_code"));
        assert!(e.iter().any(|x| x.field == "contract_amount_fen"));
    }

    #[test]
    fn the_review_cycle() {
        use ReviewStep::*;
        use SubmissionStatus::*;
        assert_eq!(Submitted.after(Recognise), Some(Recognised));
        assert_eq!(Submitted.after(Return), Some(Returned));
        assert_eq!(Returned.after(Resubmit), Some(Submitted));
        assert_eq!(Returned.after(Recognise), None);
        assert_eq!(Recognised.after(Refuse), None);
        assert_eq!(Refused.after(Resubmit), None);
        assert!(
            SubmissionStatus::needs_reason(Return) && !SubmissionStatus::needs_reason(Recognise)
        );
    }

    #[test]
    fn files_are_told_by_their_first_bytes_and_bounded() {
        assert_eq!(check_file(10, b"%PDF-1.7\n"), Ok(AttachmentKind::Pdf));
        assert_eq!(
            check_file(10, b"\x89PNG\r\n\x1a\n"),
            Ok(AttachmentKind::Png)
        );
        assert_eq!(check_file(0, b"").unwrap_err().code, "required");
        assert_eq!(
            check_file(FILE_MAX_BYTES + 1, b"%PDF-").unwrap_err().code,
            "too_large"
        );
        assert_eq!(
            check_file(5, b"MZ\x90\x00").unwrap_err().code,
            "invalid_type"
        );
    }
}

/// The decoded length of `encoded` base64 text at most (so a size is checked before decoding).
pub fn base64_decoded_len(encoded: &str) -> usize {
    encoded.trim().len().div_ceil(4) * 3
}

/// Decodes standard base64 (RFC 4648, padding optional, whitespace ignored); None for anything
/// else.
pub fn base64_decode(encoded: &str) -> Option<Vec<u8>> {
    fn value(c: u8) -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    }
    let clean: Vec<u8> = encoded
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .collect();
    let body = clean
        .strip_suffix(b"==")
        .or_else(|| clean.strip_suffix(b"="))
        .unwrap_or(&clean);
    if body.len() % 4 == 1 {
        return None;
    }
    let mut out = Vec::with_capacity(body.len() / 4 * 3 + 2);
    for chunk in body.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c)? << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    Some(out)
}

#[cfg(test)]
mod base64_tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn amounts_in_wan_read_to_the_fen() {
        assert_eq!(parse_wan("a", "12"), Ok(12_000_000));
        assert_eq!(parse_wan("a", "12.5"), Ok(12_500_000));
        assert_eq!(parse_wan("a", "１,２00.25万元"), Ok(1_200_250_000));
        assert_eq!(parse_wan("a", "0.000001"), Ok(1));
        assert_eq!(parse_wan("a", "").unwrap_err().code, "required");
        assert_eq!(parse_wan("a", "-3").unwrap_err().code, "negative");
        assert_eq!(
            parse_wan("a", "1.0000001").unwrap_err().code,
            "money_precision"
        );
        assert_eq!(parse_wan("a", "abc").unwrap_err().code, "money");
        assert_eq!(
            parse_wan("a", "99999999999999").unwrap_err().code,
            "out_of_range"
        );
    }

    proptest! {
        #[test]
        fn any_text_is_an_amount_or_a_problem(s in "\\PC{0,30}") {
            if let Ok(fen) = parse_wan("a", &s) {
                prop_assert!((0..=AMOUNT_MAX_FEN).contains(&fen));
            }
        }

        #[test]
        fn whole_wan_round_trip(w in 0i64..1_000_000) {
            prop_assert_eq!(parse_wan("a", &w.to_string()), Ok(w * 1_000_000));
        }
    }

    #[test]
    fn base64_round_trips_and_refuses_garbage() {
        assert_eq!(
            base64_decode("JVBERi0xLjc=").as_deref(),
            Some(&b"%PDF-1.7"[..])
        );
        assert_eq!(base64_decode("aGk").as_deref(), Some(&b"hi"[..]));
        assert_eq!(base64_decode("").as_deref(), Some(&b""[..]));
        assert_eq!(base64_decode("a"), None);
        assert_eq!(base64_decode("中文"), None);
        assert!(base64_decoded_len("JVBERi0xLjc=") >= 8);
    }
}
