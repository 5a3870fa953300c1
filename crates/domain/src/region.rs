//! Administrative division codes (行政区划代码, GB/T 2260).
//!
//! A code is 6 digits `PPCCXX`: `PP` the province-level division, `CC` the prefecture-level
//! division within it (`00` for the province itself), `XX` the county-level division within
//! that (`00` for the prefecture itself).
//!
//! This module checks only the *structure* of a code (6 digits, a real province prefix,
//! no `PP00XX`). Whether a code is actually in the current list of divisions is a separate
//! question, answered by the division list, not here.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::FieldError;

const FIELD: &str = "region_code";

/// Whether `pp` is the first two digits of a province-level division: 11–15, 21–23, 31–37,
/// 41–46, 50–54, 61–65, 71 (台湾), 81 (香港), 82 (澳门).
pub fn is_province_prefix(pp: u8) -> bool {
    matches!(pp, 11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81 | 82)
}

/// The level of a division, from the shape of its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    /// 省级: `PP0000`.
    Province,
    /// 地级 (prefecture / city): `PPCC00`, `CC` ≠ `00`.
    Prefecture,
    /// 县级 (county / district): `PPCCXX`, `XX` ≠ `00`.
    County,
}

impl RegionLevel {
    pub fn zh(self) -> &'static str {
        match self {
            Self::Province => "省级",
            Self::Prefecture => "地级",
            Self::County => "县级",
        }
    }

    pub fn en(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Prefecture => "prefecture",
            Self::County => "county",
        }
    }
}

/// A structurally valid GB/T 2260 administrative division code, e.g. `430212`.
///
/// Ordering is numeric, so a province sorts before its prefectures, which sort before
/// their counties.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RegionCode([u8; 6]);

impl RegionCode {
    /// Parses user input: trims surrounding whitespace and converts full-width digits.
    ///
    /// Error codes (field `region_code`): `region_empty`, `region_format` (not 6 digits),
    /// `region_province` (unknown province prefix), `region_structure` (`PP00XX`).
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let normalized = crate::uscc::half_width(input);
        let s = normalized.trim();
        if s.is_empty() {
            return Err(FieldError::new(
                FIELD,
                "region_empty",
                "请填写行政区划代码",
                "Please enter the administrative division code",
            ));
        }
        let bytes: [u8; 6] = match <[u8; 6]>::try_from(s.as_bytes()) {
            Ok(b) if b.iter().all(u8::is_ascii_digit) => b,
            _ => {
                return Err(FieldError::new(
                    FIELD,
                    "region_format",
                    format!("行政区划代码应为 6 位数字，“{}”不是", crate::echo(s)),
                    format!(
                        "An administrative division code is 6 digits; '{}' is not",
                        crate::echo(s)
                    ),
                ));
            }
        };
        let [p1, p2, c1, c2, x1, x2] = bytes.map(|b| b - b'0');
        let pp = p1 * 10 + p2;
        if !is_province_prefix(pp) {
            return Err(FieldError::new(
                FIELD,
                "region_province",
                format!("行政区划代码前两位 {pp:02} 不是有效的省级代码"),
                format!("The first two digits {pp:02} are not a valid province code"),
            ));
        }
        if c1 == 0 && c2 == 0 && (x1 != 0 || x2 != 0) {
            return Err(FieldError::new(
                FIELD,
                "region_structure",
                "行政区划代码第 3–4 位为 00 时，第 5–6 位也须为 00",
                "When digits 3–4 of a division code are 00, digits 5–6 must be 00 too",
            ));
        }
        Ok(Self(bytes))
    }

    pub fn as_str(&self) -> &str {
        // Always 6 ASCII digits, so this never fails.
        std::str::from_utf8(&self.0).unwrap_or("000000")
    }

    /// The code as a number, e.g. `430212`.
    pub fn as_u32(&self) -> u32 {
        self.0
            .iter()
            .fold(0, |acc, &b| acc * 10 + u32::from(b - b'0'))
    }

    pub fn level(&self) -> RegionLevel {
        match (&self.0[2..4], &self.0[4..6]) {
            (b"00", _) => RegionLevel::Province,
            (_, b"00") => RegionLevel::Prefecture,
            _ => RegionLevel::County,
        }
    }

    /// The province-level division this code belongs to (`PP0000`); itself for a province.
    pub fn province(&self) -> RegionCode {
        let [p1, p2, ..] = self.0;
        Self([p1, p2, b'0', b'0', b'0', b'0'])
    }

    /// The prefecture-level division (`PPCC00`): `None` for a province, itself for a
    /// prefecture. Purely structural: for a county directly under a municipality or a
    /// province (e.g. `110101`, `419001`) this is the grouping code (`110100`, `419000`).
    pub fn prefecture(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::Prefecture => Some(*self),
            RegionLevel::County => {
                let [p1, p2, c1, c2, ..] = self.0;
                Some(Self([p1, p2, c1, c2, b'0', b'0']))
            }
        }
    }

    /// The division one level up: county → prefecture → province → `None`.
    pub fn parent(&self) -> Option<RegionCode> {
        match self.level() {
            RegionLevel::Province => None,
            RegionLevel::Prefecture => Some(self.province()),
            RegionLevel::County => self.prefecture(),
        }
    }

    /// Whether `other` is this division or lies within it. Reflexive: `a.contains(&a)`.
    pub fn contains(&self, other: &RegionCode) -> bool {
        match self.level() {
            RegionLevel::Province => self.0[..2] == other.0[..2],
            RegionLevel::Prefecture => self.0[..4] == other.0[..4],
            RegionLevel::County => self == other,
        }
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RegionCode {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl AsRef<str> for RegionCode {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Serialize for RegionCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RegionCode {
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

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid region code")
    }

    #[test]
    fn zhuzhou() {
        let hunan = rc("430000");
        let zhuzhou = rc("430200");
        let lukou = rc("430212");

        assert_eq!(hunan.level(), RegionLevel::Province);
        assert_eq!(zhuzhou.level(), RegionLevel::Prefecture);
        assert_eq!(lukou.level(), RegionLevel::County);

        assert!(zhuzhou.contains(&lukou));
        assert!(hunan.contains(&zhuzhou));
        assert!(hunan.contains(&lukou));
        assert!(!lukou.contains(&zhuzhou));
        assert!(!zhuzhou.contains(&hunan));
        assert!(lukou.contains(&lukou));
        assert!(!zhuzhou.contains(&rc("430100")));
        assert!(!hunan.contains(&rc("420100")));

        assert_eq!(lukou.province(), hunan);
        assert_eq!(lukou.prefecture(), Some(zhuzhou));
        assert_eq!(zhuzhou.prefecture(), Some(zhuzhou));
        assert_eq!(hunan.prefecture(), None);
        assert_eq!(lukou.parent(), Some(zhuzhou));
        assert_eq!(zhuzhou.parent(), Some(hunan));
        assert_eq!(hunan.parent(), None);

        assert_eq!(lukou.as_str(), "430212");
        assert_eq!(lukou.to_string(), "430212");
        assert_eq!(lukou.as_u32(), 430_212);
        assert!(hunan < zhuzhou && zhuzhou < lukou);
    }

    #[test]
    fn rejections() {
        for (input, code) in [
            ("", "region_empty"),
            ("  ", "region_empty"),
            ("990000", "region_province"),
            ("100000", "region_province"),
            ("43020", "region_format"),
            ("4302000", "region_format"),
            ("43a200", "region_format"),
            ("43020０0", "region_format"),
            ("430012", "region_structure"),
        ] {
            let e = RegionCode::parse(input).unwrap_err();
            assert_eq!((e.field, e.code), ("region_code", code), "{input:?}");
            assert!(!e.zh.is_empty() && !e.en.is_empty());
        }
    }

    #[test]
    fn normalisation_and_special_regions() {
        assert_eq!(rc(" 430212\t"), rc("430212"));
        assert_eq!(rc("４３０２１２"), rc("430212"));
        for s in [
            "110000", "110101", "419001", "710000", "810000", "820000", "650000",
        ] {
            assert_eq!(rc(s).as_str(), s);
        }
        assert_eq!(rc("419001").prefecture(), Some(rc("419000")));
    }

    #[test]
    fn serde() {
        let r = RegionCode::deserialize(StrDeserializer::<DeError>::new("430212")).expect("valid");
        assert_eq!(r, rc("430212"));
        assert!(RegionCode::deserialize(StrDeserializer::<DeError>::new("990000")).is_err());
        assert_eq!("430200".parse::<RegionCode>(), Ok(rc("430200")));
    }

    const PROVINCES: [u8; 34] = [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51,
        52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];

    fn valid_code() -> impl Strategy<Value = String> {
        (
            proptest::sample::select(PROVINCES.to_vec()),
            0u8..100,
            0u8..100,
        )
            .prop_map(|(p, c, x)| {
                let x = if c == 0 { 0 } else { x };
                format!("{p:02}{c:02}{x:02}")
            })
    }

    proptest! {
        #[test]
        fn round_trip(s in valid_code()) {
            let r = RegionCode::parse(&s).expect("valid");
            prop_assert_eq!(r.to_string(), s.clone());
            prop_assert_eq!(r.to_string().parse::<RegionCode>(), Ok(r));
            prop_assert_eq!(format!("{:06}", r.as_u32()), s);
        }

        #[test]
        fn hierarchy_is_consistent(s in valid_code()) {
            let r = RegionCode::parse(&s).expect("valid");
            prop_assert!(r.province().contains(&r));
            prop_assert!(r.contains(&r));
            if let Some(p) = r.prefecture() {
                prop_assert!(p.contains(&r));
                prop_assert_eq!(p.level(), RegionLevel::Prefecture);
                prop_assert!(r.province().contains(&p));
            }
            if let Some(parent) = r.parent() {
                prop_assert!(parent.contains(&r));
                prop_assert!(parent.level() < r.level());
                prop_assert!(!r.contains(&parent));
            }
        }

        #[test]
        fn province_prefix_rule(pp in 0u8..100, rest in "[0-9]{4}") {
            let s = format!("{pp:02}{rest}");
            if !is_province_prefix(pp) {
                prop_assert_eq!(RegionCode::parse(&s).map_err(|e| e.code), Err("region_province"));
            }
        }

        #[test]
        fn never_panics(s in any::<String>()) {
            let _ = RegionCode::parse(&s);
        }

        #[test]
        fn never_panics_digits(s in "[0-9０-９ a]{0,8}") {
            if let Ok(r) = RegionCode::parse(&s) {
                let _ = (r.level(), r.prefecture(), r.parent(), r.as_u32());
            }
        }
    }
}
