//! Reference data embedded in the binary: the administrative divisions of Hunan (GB/T 2260),
//! the sections and divisions of the industrial classification (GB/T 4754-2017), and the
//! city's default industrial chains and functional zones.
//!
//! The data live as tab-separated files under `data/` at the root of the workspace (see
//! `data/README.md` for where each came from and how to refresh it) and are compiled in with
//! `include_str!`. Each file is parsed once, on first use.
//!
//! Malformed data never panic here: if a file fails to parse, its accessor returns an empty
//! list. The unit tests parse every file and fail loudly, naming the line, so a bad edit is
//! caught by `cargo test`, not in production.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use serde::Serialize;

use crate::FieldError;
use crate::region::{RegionCode, RegionLevel};

const REGIONS_TSV: &str = include_str!("../../../data/gbt2260/hunan.tsv");
const INDUSTRY_TSV: &str = include_str!("../../../data/gbt4754/divisions.tsv");
const CHAINS_TSV: &str = include_str!("../../../data/chains.tsv");
const ZONES_TSV: &str = include_str!("../../../data/zones.tsv");

const COUNTY_FIELD: &str = "county";

// ---------------------------------------------------------------------------------------------
// Administrative divisions (GB/T 2260)
// ---------------------------------------------------------------------------------------------

/// One administrative division of the current GB/T 2260 list, e.g. 渌口区 `430212`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Division {
    pub code: RegionCode,
    pub name: &'static str,
    pub level: RegionLevel,
    /// The division one level up; `None` for a province.
    pub parent: Option<RegionCode>,
}

/// Every embedded division (the province of Hunan, its prefecture-level and county-level
/// units), in code order.
pub fn divisions() -> &'static [Division] {
    static CELL: OnceLock<Vec<Division>> = OnceLock::new();
    CELL.get_or_init(|| parse_regions(REGIONS_TSV).unwrap_or_default())
}

/// The division with this code, if it is in the current list.
pub fn division(code: &RegionCode) -> Option<&'static Division> {
    let all = divisions();
    all.binary_search_by(|d| d.code.cmp(code))
        .ok()
        .map(|i| &all[i])
}

/// The county-level units (districts, county-level cities, counties) directly under a
/// prefecture-level division, in code order. Empty for anything that is not a known
/// prefecture-level division.
pub fn counties_of(prefecture: &RegionCode) -> Vec<&'static Division> {
    divisions()
        .iter()
        .filter(|d| d.level == RegionLevel::County && d.parent.as_ref() == Some(prefecture))
        .collect()
}

/// A county-level division that no longer exists, and the one that replaced it.
struct Abolished {
    code: &'static str,
    name: &'static str,
    year: u16,
    successor: &'static str,
    successor_name: &'static str,
}

/// Known abolished county-level divisions of Hunan that people still type. A unit test checks
/// that each old code is gone from the list and each successor is in it, in the same
/// prefecture, under this name.
const ABOLISHED: &[Abolished] = &[
    Abolished {
        code: "430122",
        name: "望城县",
        year: 2011,
        successor: "430112",
        successor_name: "望城区",
    },
    Abolished {
        code: "430124",
        name: "宁乡县",
        year: 2017,
        successor: "430182",
        successor_name: "宁乡市",
    },
    Abolished {
        code: "430221",
        name: "株洲县",
        year: 2018,
        successor: "430212",
        successor_name: "渌口区",
    },
    Abolished {
        code: "430521",
        name: "邵东县",
        year: 2019,
        successor: "430582",
        successor_name: "邵东市",
    },
    Abolished {
        code: "431121",
        name: "祁阳县",
        year: 2021,
        successor: "431181",
        successor_name: "祁阳市",
    },
];

fn abolished_error(a: &Abolished) -> FieldError {
    FieldError::new(
        COUNTY_FIELD,
        "county_abolished",
        format!(
            "{}已于{}年撤销，现为{}（{}）",
            a.name, a.year, a.successor_name, a.successor
        ),
        format!(
            "{} ({}) was abolished in {}; it is now {} ({})",
            a.name, a.code, a.year, a.successor_name, a.successor
        ),
    )
}

/// The display name of a prefecture for messages: its name if known, else its code.
fn prefecture_label(prefecture: &RegionCode) -> String {
    division(prefecture).map_or_else(|| prefecture.to_string(), |d| d.name.to_owned())
}

/// Parses a county-level division within `prefecture` from user input: either its 6-digit
/// code (full-width digits and surrounding spaces are accepted) or its Chinese name, in full
/// (`醴陵市`) or without the final 区/县/市 (`醴陵`) when that is unambiguous.
///
/// Errors (field `county`): `county_empty`; the `region_*` codes of [`RegionCode::parse`] for a
/// malformed code; `county_abolished` (e.g. 株洲县/430221, with its successor); `county_level`
/// (a province or prefecture, not a county); `county_outside` (a county of another
/// prefecture); `county_unknown` (no such county in the current list).
pub fn parse_county_in(
    prefecture: &RegionCode,
    input: &str,
) -> Result<&'static Division, FieldError> {
    let normalized = crate::uscc::half_width(input);
    let s = normalized.trim();
    let city = prefecture_label(prefecture);
    if s.is_empty() {
        return Err(FieldError::new(
            COUNTY_FIELD,
            "county_empty",
            "请选择区县",
            "Please choose a county or district",
        ));
    }
    // Names never contain ASCII digits: anything with a digit is meant as a code.
    if s.chars().any(|c| c.is_ascii_digit()) {
        let code = RegionCode::parse(s).map_err(|e| e.for_field(COUNTY_FIELD))?;
        return county_by_code(prefecture, &city, &code);
    }
    county_by_name(prefecture, &city, s)
}

fn county_by_code(
    prefecture: &RegionCode,
    city: &str,
    code: &RegionCode,
) -> Result<&'static Division, FieldError> {
    if let Some(a) = ABOLISHED.iter().find(|a| a.code == code.as_str()) {
        return Err(abolished_error(a));
    }
    if code.level() != RegionLevel::County {
        let what = division(code).map_or_else(String::new, |d| format!("（{}）", d.name));
        return Err(FieldError::new(
            COUNTY_FIELD,
            "county_level",
            format!(
                "{code}{what}是{}行政区划代码，请填写区县代码",
                code.level().zh()
            ),
            format!(
                "{code} is a {}-level division code; please enter a county or district",
                code.level().en()
            ),
        ));
    }
    match division(code) {
        Some(d) if prefecture.contains(code) => Ok(d),
        Some(d) => Err(outside_error(city, d)),
        None => Err(FieldError::new(
            COUNTY_FIELD,
            "county_unknown",
            format!("{code} 不是{city}现行的区县代码"),
            format!("{code} is not a current county or district code of {city}"),
        )),
    }
}

fn outside_error(city: &str, d: &Division) -> FieldError {
    let parent = d.parent.as_ref().map_or_else(String::new, prefecture_label);
    FieldError::new(
        COUNTY_FIELD,
        "county_outside",
        format!("{}（{}）属于{parent}，不属于{city}", d.name, d.code),
        format!("{} ({}) is in {parent}, not in {city}", d.name, d.code),
    )
}

/// A name without its final 区, 县 or 市 (`醴陵市` → `醴陵`); `None` if that leaves nothing.
fn short_name(name: &str) -> Option<&str> {
    let short = name
        .strip_suffix('区')
        .or_else(|| name.strip_suffix('县'))
        .or_else(|| name.strip_suffix('市'))?;
    (!short.is_empty()).then_some(short)
}

fn county_by_name(
    prefecture: &RegionCode,
    city: &str,
    name: &str,
) -> Result<&'static Division, FieldError> {
    let counties = counties_of(prefecture);
    if let Some(d) = counties.iter().find(|d| d.name == name) {
        return Ok(d);
    }
    if let Some(a) = ABOLISHED.iter().find(|a| {
        a.name == name && RegionCode::parse(a.code).is_ok_and(|c| prefecture.contains(&c))
    }) {
        return Err(abolished_error(a));
    }
    // The city itself, in full (株洲市) or short (株洲): not a county. Checked before short
    // county names, so that 衡阳 in 衡阳市 is not taken for 衡阳县.
    if division(prefecture).is_some_and(|p| p.name == name || short_name(p.name) == Some(name)) {
        return Err(FieldError::new(
            COUNTY_FIELD,
            "county_level",
            format!("{name}是地级行政区划，请选择它下辖的区县"),
            format!("{name} is a prefecture-level division; please choose one of its counties"),
        ));
    }
    let by_short: Vec<_> = counties
        .iter()
        .filter(|d| short_name(d.name) == Some(name))
        .collect();
    if let [d] = by_short.as_slice() {
        return Ok(d);
    }
    if let Some(d) = divisions()
        .iter()
        .find(|d| d.level == RegionLevel::County && d.name == name)
    {
        return Err(outside_error(city, d));
    }
    Err(FieldError::new(
        COUNTY_FIELD,
        "county_unknown",
        format!("{city}没有名为“{}”的区县", crate::echo(name)),
        format!(
            "{city} has no county or district named '{}'",
            crate::echo(name)
        ),
    ))
}

// ---------------------------------------------------------------------------------------------
// Industrial classification (GB/T 4754-2017)
// ---------------------------------------------------------------------------------------------

/// A section (门类) of GB/T 4754-2017, e.g. `C` 制造业.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndustrySection {
    pub code: char,
    pub name: &'static str,
}

/// A division (大类) of GB/T 4754-2017, e.g. `37` 铁路、船舶、航空航天和其他运输设备制造业.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct IndustryDivision {
    /// Two digits, `01`–`97`.
    pub code: &'static str,
    pub name: &'static str,
    /// The section it belongs to, e.g. `C`.
    pub section: char,
}

#[derive(Debug, Default)]
struct Industry {
    sections: Vec<IndustrySection>,
    divisions: Vec<IndustryDivision>,
}

fn industry() -> &'static Industry {
    static CELL: OnceLock<Industry> = OnceLock::new();
    CELL.get_or_init(|| parse_industry(INDUSTRY_TSV).unwrap_or_default())
}

/// The 20 sections (门类 A–T), in order.
pub fn industry_sections() -> &'static [IndustrySection] {
    &industry().sections
}

/// The section with this letter (`'C'`), if any.
pub fn industry_section(code: char) -> Option<&'static IndustrySection> {
    industry_sections().iter().find(|s| s.code == code)
}

/// The 97 divisions (大类 `01`–`97`), in code order.
pub fn industry_divisions() -> &'static [IndustryDivision] {
    &industry().divisions
}

/// The division with this two-digit code (`"37"`), if any. Surrounding spaces are ignored.
pub fn industry_division(code: &str) -> Option<&'static IndustryDivision> {
    let code = code.trim();
    industry_divisions().iter().find(|d| d.code == code)
}

// ---------------------------------------------------------------------------------------------
// Default industrial chains and functional zones
// ---------------------------------------------------------------------------------------------

/// One of the city's default industrial chains (产业链), which the bureau can edit later.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainDefault {
    /// A stable identifier, e.g. `rail_transit`.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    /// The GB/T 4754 division codes the chain maps to, in code order, without duplicates.
    /// (The data file may name a whole section, e.g. `I`; it is expanded to its divisions.)
    pub divisions: Vec<&'static str>,
}

/// The default industrial chains, in the order of `data/chains.tsv`.
pub fn default_chains() -> &'static [ChainDefault] {
    static CELL: OnceLock<Vec<ChainDefault>> = OnceLock::new();
    CELL.get_or_init(|| parse_chains(CHAINS_TSV, industry_divisions()).unwrap_or_default())
}

/// A functional zone (功能区, e.g. a national high-tech zone). Zones are not GB/T 2260
/// divisions: each is recorded with the county-level division it lies in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ZoneDefault {
    /// A stable identifier, e.g. `zz_hitech`.
    pub code: &'static str,
    pub name_zh: &'static str,
    pub name_en: &'static str,
    pub county: RegionCode,
}

/// The default functional zones of a prefecture-level city, in the order of
/// `data/zones.tsv`; empty for a city without any.
pub fn default_zones(city: &RegionCode) -> Vec<ZoneDefault> {
    static CELL: OnceLock<Vec<(RegionCode, ZoneDefault)>> = OnceLock::new();
    CELL.get_or_init(|| parse_zones(ZONES_TSV, divisions()).unwrap_or_default())
        .iter()
        .filter(|(c, _)| c == city)
        .map(|(_, z)| *z)
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

/// The data lines of a TSV file with its 1-based line numbers, after checking the header.
/// Blank lines are skipped; a trailing `\r` is tolerated.
fn rows(
    src: &'static str,
    header: &str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'static str>)>, String> {
    let mut lines = src.lines().map(|l| l.strip_suffix('\r').unwrap_or(l));
    match lines.next() {
        Some(h) if h == header => {}
        other => {
            return Err(format!(
                "line 1: expected header {header:?}, found {other:?}"
            ));
        }
    }
    let mut out = Vec::new();
    for (i, line) in lines.enumerate() {
        let n = i + 2;
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&'static str> = line.split('\t').collect();
        if fields.len() != columns {
            return Err(format!(
                "line {n}: expected {columns} tab-separated fields, found {}",
                fields.len()
            ));
        }
        if let Some(f) = fields.iter().find(|f| f.trim() != **f) {
            return Err(format!("line {n}: field {f:?} has surrounding spaces"));
        }
        out.push((n, fields));
    }
    Ok(out)
}

fn region(n: usize, s: &str) -> Result<RegionCode, String> {
    RegionCode::parse(s).map_err(|e| format!("line {n}: {s:?}: {}", e.en))
}

fn parse_regions(src: &'static str) -> Result<Vec<Division>, String> {
    let mut out: Vec<Division> = Vec::new();
    for (n, f) in rows(src, "code\tname\tlevel\tparent", 4)? {
        let code = region(n, f[0])?;
        if code.as_str() != f[0] {
            return Err(format!(
                "line {n}: code {:?} is not in canonical form",
                f[0]
            ));
        }
        let name = f[1];
        if name.is_empty() {
            return Err(format!("line {n}: empty name"));
        }
        let level = match f[2] {
            "province" => RegionLevel::Province,
            "prefecture" => RegionLevel::Prefecture,
            "county" => RegionLevel::County,
            other => return Err(format!("line {n}: unknown level {other:?}")),
        };
        if level != code.level() {
            return Err(format!(
                "line {n}: {code} is a {} code, not {}",
                code.level().en(),
                level.en()
            ));
        }
        let parent = match f[3] {
            "" => None,
            p => Some(region(n, p)?),
        };
        if parent != code.parent() {
            return Err(format!(
                "line {n}: the parent of {code} must be {:?}",
                code.parent()
            ));
        }
        if let Some(prev) = out.last()
            && prev.code >= code
        {
            return Err(format!("line {n}: {code} is out of order or repeated"));
        }
        if let Some(p) = parent
            && out.binary_search_by(|d| d.code.cmp(&p)).is_err()
        {
            return Err(format!(
                "line {n}: parent {p} of {code} is not listed before it"
            ));
        }
        out.push(Division {
            code,
            name,
            level,
            parent,
        });
    }
    if out.is_empty() {
        return Err("no divisions".to_owned());
    }
    Ok(out)
}

fn parse_industry(src: &'static str) -> Result<Industry, String> {
    let mut ind = Industry::default();
    for (n, f) in rows(src, "code\tname\tsection", 3)? {
        let (code, name, section) = (f[0], f[1], f[2]);
        if name.is_empty() {
            return Err(format!("line {n}: empty name"));
        }
        let mut chars = code.chars();
        match (chars.next(), chars.next(), section) {
            (Some(c), None, "") if c.is_ascii_uppercase() => {
                if ind.sections.iter().any(|s| s.code >= c) {
                    return Err(format!("line {n}: section {c} is out of order or repeated"));
                }
                ind.sections.push(IndustrySection { code: c, name });
            }
            _ if code.len() == 2 && code.bytes().all(|b| b.is_ascii_digit()) => {
                let mut sc = section.chars();
                let s = match (sc.next(), sc.next()) {
                    (Some(s), None) => s,
                    _ => {
                        return Err(format!(
                            "line {n}: division {code} needs one section letter"
                        ));
                    }
                };
                if ind.sections.last().map(|l| l.code) != Some(s) {
                    return Err(format!(
                        "line {n}: division {code} must follow the row of its section {s}"
                    ));
                }
                if ind.divisions.last().is_some_and(|d| d.code >= code) {
                    return Err(format!(
                        "line {n}: division {code} is out of order or repeated"
                    ));
                }
                ind.divisions.push(IndustryDivision {
                    code,
                    name,
                    section: s,
                });
            }
            _ => {
                return Err(format!(
                    "line {n}: bad code {code:?} or section {section:?}"
                ));
            }
        }
    }
    if let Some(s) = ind
        .sections
        .iter()
        .find(|s| !ind.divisions.iter().any(|d| d.section == s.code))
    {
        return Err(format!("section {} has no divisions", s.code));
    }
    if ind.divisions.is_empty() {
        return Err("no divisions".to_owned());
    }
    Ok(ind)
}

/// Whether `s` is a stable identifier: `[a-z][a-z0-9_]*`.
fn is_identifier(s: &str) -> bool {
    let mut b = s.bytes();
    b.next().is_some_and(|c| c.is_ascii_lowercase())
        && b.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
}

fn parse_chains(
    src: &'static str,
    industry: &'static [IndustryDivision],
) -> Result<Vec<ChainDefault>, String> {
    let mut out: Vec<ChainDefault> = Vec::new();
    for (n, f) in rows(src, "code\tname_zh\tname_en\tdivisions", 4)? {
        let (code, name_zh, name_en) = (f[0], f[1], f[2]);
        if !is_identifier(code) {
            return Err(format!(
                "line {n}: chain code {code:?} must match [a-z][a-z0-9_]*"
            ));
        }
        if out.iter().any(|c| c.code == code) {
            return Err(format!("line {n}: chain {code} is repeated"));
        }
        if name_zh.is_empty() || name_en.is_empty() {
            return Err(format!("line {n}: chain {code} needs both names"));
        }
        let mut set = BTreeSet::new();
        for item in f[3].split(',') {
            let item = item.trim();
            let matched: Vec<&'static str> = industry
                .iter()
                .filter(|d| d.code == item || (item.len() == 1 && item.starts_with(d.section)))
                .map(|d| d.code)
                .collect();
            if matched.is_empty() {
                return Err(format!(
                    "line {n}: chain {code}: {item:?} is not a GB/T 4754 division or section"
                ));
            }
            set.extend(matched);
        }
        out.push(ChainDefault {
            code,
            name_zh,
            name_en,
            divisions: set.into_iter().collect(),
        });
    }
    if out.is_empty() {
        return Err("no chains".to_owned());
    }
    Ok(out)
}

fn parse_zones(
    src: &'static str,
    regions: &'static [Division],
) -> Result<Vec<(RegionCode, ZoneDefault)>, String> {
    let mut out: Vec<(RegionCode, ZoneDefault)> = Vec::new();
    for (n, f) in rows(src, "city\tcode\tname_zh\tname_en\tcounty", 5)? {
        let city = region(n, f[0])?;
        let (code, name_zh, name_en) = (f[1], f[2], f[3]);
        let county = region(n, f[4])?;
        if city.level() != RegionLevel::Prefecture {
            return Err(format!("line {n}: {city} is not a prefecture-level code"));
        }
        if !is_identifier(code) {
            return Err(format!(
                "line {n}: zone code {code:?} must match [a-z][a-z0-9_]*"
            ));
        }
        if out.iter().any(|(_, z)| z.code == code) {
            return Err(format!("line {n}: zone {code} is repeated"));
        }
        if name_zh.is_empty() || name_en.is_empty() {
            return Err(format!("line {n}: zone {code} needs both names"));
        }
        let known = regions
            .iter()
            .any(|d| d.code == county && d.level == RegionLevel::County);
        if !known || !city.contains(&county) {
            return Err(format!(
                "line {n}: zone {code}: {county} is not a current county of {city}"
            ));
        }
        out.push((
            city,
            ZoneDefault {
                code,
                name_zh,
                name_en,
                county,
            },
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rc(s: &str) -> RegionCode {
        RegionCode::parse(s).expect("valid region code")
    }

    fn zhuzhou() -> RegionCode {
        rc("430200")
    }

    fn leak(s: String) -> &'static str {
        Box::leak(s.into_boxed_str())
    }

    #[test]
    fn every_embedded_file_parses() {
        let regions = parse_regions(REGIONS_TSV).unwrap_or_else(|e| panic!("hunan.tsv: {e}"));
        let ind = parse_industry(INDUSTRY_TSV).unwrap_or_else(|e| panic!("divisions.tsv: {e}"));
        let chains = parse_chains(CHAINS_TSV, industry_divisions())
            .unwrap_or_else(|e| panic!("chains.tsv: {e}"));
        let zones =
            parse_zones(ZONES_TSV, divisions()).unwrap_or_else(|e| panic!("zones.tsv: {e}"));

        // The accessors serve exactly what was parsed.
        assert_eq!(divisions(), regions.as_slice());
        assert_eq!(industry_sections(), ind.sections.as_slice());
        assert_eq!(industry_divisions(), ind.divisions.as_slice());
        assert_eq!(default_chains(), chains.as_slice());
        assert!(!zones.is_empty());
    }

    #[test]
    fn hunan_counts() {
        let count = |level| divisions().iter().filter(|d| d.level == level).count();
        assert_eq!(count(RegionLevel::Province), 1);
        assert_eq!(count(RegionLevel::Prefecture), 14);
        assert_eq!(count(RegionLevel::County), 122);
        assert_eq!(divisions().len(), 137);

        // 36 districts, 19 county-level cities, 67 counties of which 7 autonomous.
        let counties: Vec<_> = divisions()
            .iter()
            .filter(|d| d.level == RegionLevel::County)
            .collect();
        let ends = |suffix: &str| counties.iter().filter(|d| d.name.ends_with(suffix)).count();
        assert_eq!(ends("区"), 36);
        assert_eq!(ends("市"), 19);
        assert_eq!(ends("县"), 67);
        assert_eq!(ends("自治县"), 7);

        let province = division(&rc("430000")).expect("Hunan");
        assert_eq!((province.name, province.parent), ("湖南省", None));
        let per_prefecture: usize = divisions()
            .iter()
            .filter(|d| d.level == RegionLevel::Prefecture)
            .map(|p| counties_of(&p.code).len())
            .sum();
        assert_eq!(per_prefecture, 122);
    }

    #[test]
    fn zhuzhou_has_exactly_nine_counties() {
        let got: Vec<_> = counties_of(&zhuzhou())
            .iter()
            .map(|d| (d.code.as_str().to_owned(), d.name))
            .collect();
        let want = [
            ("430202", "荷塘区"),
            ("430203", "芦淞区"),
            ("430204", "石峰区"),
            ("430211", "天元区"),
            ("430212", "渌口区"),
            ("430223", "攸县"),
            ("430224", "茶陵县"),
            ("430225", "炎陵县"),
            ("430281", "醴陵市"),
        ];
        let want: Vec<_> = want.iter().map(|(c, n)| ((*c).to_owned(), *n)).collect();
        assert_eq!(got, want);
        assert!(
            division(&rc("430221")).is_none(),
            "株洲县 was abolished in 2018"
        );
        assert_eq!(division(&zhuzhou()).map(|d| d.name), Some("株洲市"));
    }

    #[test]
    fn other_known_facts() {
        let changsha = rc("430100");
        for (code, name, parent) in [
            ("430112", "望城区", changsha),
            ("430182", "宁乡市", changsha),
            ("430582", "邵东市", rc("430500")),
            ("431181", "祁阳市", rc("431100")),
            ("433101", "吉首市", rc("433100")),
        ] {
            let d = division(&rc(code)).unwrap_or_else(|| panic!("{code}"));
            assert_eq!(
                (d.name, d.level, d.parent),
                (name, RegionLevel::County, Some(parent))
            );
        }
        assert_eq!(
            division(&rc("433100")).map(|d| d.name),
            Some("湘西土家族苗族自治州")
        );
        assert!(division(&rc("110000")).is_none());
        assert!(counties_of(&rc("430000")).is_empty());
        assert!(counties_of(&rc("430212")).is_empty());
    }

    #[test]
    fn hierarchy_is_consistent() {
        for d in divisions() {
            assert_eq!(d.level, d.code.level(), "{}", d.code);
            assert_eq!(d.parent, d.code.parent(), "{}", d.code);
            if let Some(p) = d.parent {
                let parent = division(&p).unwrap_or_else(|| panic!("parent of {}", d.code));
                assert!(parent.code.contains(&d.code));
                assert!(parent.level < d.level);
            }
            assert_eq!(division(&d.code), Some(d));
            assert!(!d.name.is_empty());
        }
        assert!(divisions().windows(2).all(|w| w[0].code < w[1].code));
    }

    #[test]
    fn abolished_table_is_consistent() {
        for a in ABOLISHED {
            let old = rc(a.code);
            let new = rc(a.successor);
            assert!(division(&old).is_none(), "{} is still listed", a.code);
            let d = division(&new).unwrap_or_else(|| panic!("successor {}", a.successor));
            assert_eq!(d.name, a.successor_name);
            assert_eq!(old.prefecture(), new.prefecture());
            assert_eq!(old.level(), RegionLevel::County);
        }
    }

    #[test]
    fn zhuzhou_county_rejected_naming_lukou() {
        for input in ["430221", "４３０２２１", "株洲县", " 株洲县 "] {
            let e = parse_county_in(&zhuzhou(), input).unwrap_err();
            assert_eq!(
                (e.field, e.code),
                ("county", "county_abolished"),
                "{input:?}"
            );
            assert_eq!(e.zh, "株洲县已于2018年撤销，现为渌口区（430212）");
            assert!(e.en.contains("430212") && e.en.contains("2018"), "{}", e.en);
        }
    }

    #[test]
    fn counties_resolve_by_code_and_name() {
        let z = zhuzhou();
        let code = |input: &str| parse_county_in(&z, input).map(|d| d.code.as_str().to_owned());
        assert_eq!(code("醴陵市"), Ok("430281".to_owned()));
        assert_eq!(code("醴陵"), Ok("430281".to_owned()));
        assert_eq!(code(" 渌口区\t"), Ok("430212".to_owned()));
        assert_eq!(code("攸县"), Ok("430223".to_owned()));
        assert_eq!(code("430211"), Ok("430211".to_owned()));
        assert_eq!(code(" ４３０２１２ "), Ok("430212".to_owned()));
        assert_eq!(
            parse_county_in(&rc("430100"), "宁乡").map(|d| d.name),
            Ok("宁乡市")
        );
        assert_eq!(
            parse_county_in(&rc("430400"), "衡阳").map_err(|e| e.code),
            Err("county_level")
        );
        assert_eq!(
            parse_county_in(&rc("430400"), "衡阳县").map(|d| d.name),
            Ok("衡阳县")
        );
        // Every county of every prefecture resolves by its own code and name.
        for p in divisions()
            .iter()
            .filter(|d| d.level == RegionLevel::Prefecture)
        {
            for d in counties_of(&p.code) {
                assert_eq!(parse_county_in(&p.code, d.code.as_str()), Ok(d));
                assert_eq!(parse_county_in(&p.code, d.name), Ok(d));
            }
        }
    }

    #[test]
    fn county_rejections() {
        let z = zhuzhou();
        for (input, code, zh_part) in [
            ("", "county_empty", "区县"),
            ("  ", "county_empty", "区县"),
            ("43021", "region_format", "6 位"),
            ("43a212", "region_format", "6 位"),
            ("990212", "region_province", "省级"),
            ("430200", "county_level", "株洲市"),
            ("430000", "county_level", "湖南省"),
            ("430102", "county_outside", "长沙市"),
            ("芙蓉区", "county_outside", "长沙市"),
            ("430299", "county_unknown", "株洲市"),
            ("株洲市", "county_level", "株洲市"),
            ("株洲", "county_level", "株洲"),
            ("不存在区", "county_unknown", "不存在区"),
            ("430122", "county_abolished", "望城区（430112）"),
        ] {
            let e = parse_county_in(&z, input).unwrap_err();
            assert_eq!((e.field, e.code), ("county", code), "{input:?}");
            assert!(e.zh.contains(zh_part), "{input:?}: {}", e.zh);
            assert!(!e.en.is_empty());
        }
        // 宁乡县 is abolished, but it was never in Zhuzhou: only "unknown" there.
        assert_eq!(
            parse_county_in(&z, "宁乡县").map_err(|e| e.code),
            Err("county_unknown")
        );
        assert_eq!(
            parse_county_in(&rc("430100"), "宁乡县").map_err(|e| e.code),
            Err("county_abolished")
        );
    }

    #[test]
    fn industry_sections_and_divisions() {
        let sections: String = industry_sections().iter().map(|s| s.code).collect();
        assert_eq!(sections, "ABCDEFGHIJKLMNOPQRST");
        let codes: Vec<_> = industry_divisions().iter().map(|d| d.code).collect();
        let want: Vec<String> = (1..=97).map(|i| format!("{i:02}")).collect();
        assert_eq!(codes, want);

        assert_eq!(industry_section('C').map(|s| s.name), Some("制造业"));
        assert_eq!(industry_section('U'), None);
        let d37 = industry_division("37").expect("37");
        assert_eq!(d37.name, "铁路、船舶、航空航天和其他运输设备制造业");
        assert_eq!(d37.section, 'C');
        assert_eq!(industry_division(" 65 ").map(|d| d.section), Some('I'));
        assert_eq!(
            industry_division("96").map(|d| d.name),
            Some("基层群众自治组织及其他组织")
        );
        assert_eq!(industry_division("98"), None);

        // Section boundaries of the 2017 edition.
        for (section, first, last) in [
            ('A', "01", "05"),
            ('B', "06", "12"),
            ('C', "13", "43"),
            ('D', "44", "46"),
            ('E', "47", "50"),
            ('F', "51", "52"),
            ('G', "53", "60"),
            ('H', "61", "62"),
            ('I', "63", "65"),
            ('J', "66", "69"),
            ('K', "70", "70"),
            ('L', "71", "72"),
            ('M', "73", "75"),
            ('N', "76", "79"),
            ('O', "80", "82"),
            ('P', "83", "83"),
            ('Q', "84", "85"),
            ('R', "86", "90"),
            ('S', "91", "96"),
            ('T', "97", "97"),
        ] {
            let ds: Vec<_> = industry_divisions()
                .iter()
                .filter(|d| d.section == section)
                .map(|d| d.code)
                .collect();
            assert_eq!(
                (ds.first().copied(), ds.last().copied()),
                (Some(first), Some(last))
            );
        }
    }

    #[test]
    fn chains_map_to_existing_divisions() {
        let codes: Vec<_> = default_chains().iter().map(|c| c.code).collect();
        assert_eq!(
            codes,
            [
                "rail_transit",
                "new_materials",
                "information_technology",
                "advanced_manufacturing",
                "new_energy",
                "electronic_information",
                "medical_devices",
                "aviation",
                "ceramics",
                "cemented_carbide",
            ]
        );
        for c in default_chains() {
            assert!(!c.divisions.is_empty(), "{}", c.code);
            assert!(!c.name_zh.is_empty() && !c.name_en.is_empty());
            for d in &c.divisions {
                assert!(industry_division(d).is_some(), "{}: {d}", c.code);
            }
            assert!(c.divisions.windows(2).all(|w| w[0] < w[1]), "{}", c.code);
        }
        let chain = |code: &str| {
            default_chains()
                .iter()
                .find(|c| c.code == code)
                .unwrap_or_else(|| panic!("{code}"))
        };
        assert_eq!(
            chain("information_technology").divisions,
            ["63", "64", "65"]
        );
        assert_eq!(chain("rail_transit").name_zh, "轨道交通");
        assert!(chain("aviation").divisions.contains(&"37"));
        assert!(chain("ceramics").divisions.contains(&"30"));
    }

    #[test]
    fn zones() {
        let zones = default_zones(&zhuzhou());
        let hitech = zones
            .iter()
            .find(|z| z.code == "zz_hitech")
            .expect("zz_hitech");
        assert_eq!(hitech.name_zh, "株洲国家高新区");
        assert_eq!(hitech.name_en, "Zhuzhou National High-tech Zone");
        assert_eq!(hitech.county, rc("430211"));
        assert!(
            counties_of(&zhuzhou())
                .iter()
                .any(|d| d.code == hitech.county)
        );
        assert!(default_zones(&rc("430100")).is_empty());
    }

    #[test]
    fn malformed_data_is_rejected() {
        let h = "code\tname\tlevel\tparent\n";
        let bad_regions = [
            String::new(),
            "code\tname\n430000\t湖南省\n".to_owned(),
            h.to_owned(),
            format!("{h}430000\t湖南省\tprovince\n430200\t株洲市\tprefecture\n"),
            format!("{h}430000\t湖南省\tprovince\t\n430200\t株洲市\tcounty\t430000\n"),
            format!("{h}430000\t湖南省\tprovince\t\n430212\t渌口区\tcounty\t430200\n"),
            format!("{h}430000\t湖南省\tprovince\t\n430000\t湖南省\tprovince\t\n"),
            format!("{h}430000\t湖南省\tprovince\t\n43020x\t株洲市\tprefecture\t430000\n"),
            format!("{h}430000\t湖南省\tprovince\t\n430200\t\tprefecture\t430000\n"),
            format!("{h}430000\t湖南省\tprovince\t\n430200\t株洲市\tprefecture\t430100\n"),
            format!("{h}430000\t湖南省 \tprovince\t\n"),
        ];
        for src in bad_regions {
            assert!(parse_regions(leak(src.clone())).is_err(), "{src:?}");
        }
        assert!(parse_regions(leak(format!("{h}430000\t湖南省\tprovince\t\r\n\n"))).is_ok());

        let ih = "code\tname\tsection\n";
        for src in [
            format!("{ih}01\t农业\tA\n"),
            format!("{ih}A\t农、林、牧、渔业\t\n"),
            format!("{ih}A\t农、林、牧、渔业\t\n01\t农业\tB\n"),
            format!("{ih}A\t农、林、牧、渔业\t\n02\t林业\tA\n01\t农业\tA\n"),
            format!("{ih}B\t采矿业\t\nA\t农、林、牧、渔业\t\n01\t农业\tA\n06\t煤\tB\n"),
            format!("{ih}a\t农、林、牧、渔业\t\n01\t农业\ta\n"),
            format!("{ih}A\t农、林、牧、渔业\t\n1\t农业\tA\n"),
        ] {
            assert!(parse_industry(leak(src.clone())).is_err(), "{src:?}");
        }

        let ch = "code\tname_zh\tname_en\tdivisions\n";
        for src in [
            format!("{ch}rail\t轨道交通\tRail\t99\n"),
            format!("{ch}rail\t轨道交通\tRail\t37,\n"),
            format!("{ch}Rail\t轨道交通\tRail\t37\n"),
            format!("{ch}rail\t轨道交通\t\t37\n"),
            format!("{ch}rail\t轨道交通\tRail\t37\nrail\t轨道交通\tRail\t38\n"),
            format!("{ch}rail\t轨道交通\tRail\tU\n"),
            ch.to_owned(),
        ] {
            assert!(
                parse_chains(leak(src.clone()), industry_divisions()).is_err(),
                "{src:?}"
            );
        }
        let ok = parse_chains(
            leak(format!("{ch}x\t甲\tX\t38, C ,37\n")),
            industry_divisions(),
        )
        .expect("sections expand");
        assert_eq!(ok[0].divisions.len(), 31, "C is divisions 13–43");

        let zh = "city\tcode\tname_zh\tname_en\tcounty\n";
        for src in [
            format!("{zh}430200\tzz\t高新区\tZone\t430102\n"),
            format!("{zh}430200\tzz\t高新区\tZone\t430221\n"),
            format!("{zh}430211\tzz\t高新区\tZone\t430211\n"),
            format!("{zh}430200\tZZ\t高新区\tZone\t430211\n"),
            format!("{zh}430200\tzz\t高新区\tZone\t430200\n"),
            format!("{zh}430200\tzz\t高新区\tZone\t430211\n430200\tzz\t高新区\tZone\t430211\n"),
        ] {
            assert!(
                parse_zones(leak(src.clone()), divisions()).is_err(),
                "{src:?}"
            );
        }
    }
}
