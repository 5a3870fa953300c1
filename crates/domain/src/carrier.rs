//! Carriers (双创孵化载体): their kinds, rating levels, and which level holds in a given year.

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::org::string_enum;

string_enum! {
    /// What a carrier is.
    CarrierKind {
        Incubator = "incubator", "科技企业孵化器", "Technology business incubator";
        MakerSpace = "maker_space", "众创空间", "Maker space";
        PilotBase = "pilot_base", "中试基地", "Pilot-scale base";
        SciencePark = "science_park", "大学科技园", "University science park";
        Other = "other", "其他载体", "Other carrier";
    }
}

string_enum! {
    /// The level of a rating: who recognised the carrier.
    Level {
        National = "national", "国家级", "National";
        Provincial = "provincial", "省级", "Provincial";
        Municipal = "municipal", "市级", "Municipal";
    }
}

string_enum! {
    /// Whether a carrier is in the registry's counts.
    CarrierStatus {
        Active = "active", "正常", "Active";
        Revoked = "revoked", "已撤销", "Revoked";
    }
}

impl Level {
    /// Higher is more senior: national 3, provincial 2, municipal 1.
    pub fn rank(self) -> i64 {
        match self {
            Level::National => 3,
            Level::Provincial => 2,
            Level::Municipal => 1,
        }
    }
}

/// One rating a carrier was granted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rating {
    pub level: Level,
    pub year_granted: i64,
}

/// The level that holds at the end of `year`: the most recent rating granted by then (a carrier
/// promoted from provincial to national is national from the year of the promotion; a later
/// lower rating — a re-rating after review — replaces a higher one). Ties in a year go to the higher level.
pub fn level_in(ratings: &[Rating], year: i64) -> Option<Level> {
    ratings
        .iter()
        .filter(|r| r.year_granted <= year)
        .max_by_key(|r| (r.year_granted, r.level.rank()))
        .map(|r| r.level)
}

/// The year of a revocation date (`YYYY-MM-DD`).
fn revocation_year(revoked_on: &str) -> Option<i64> {
    revoked_on.get(..4).and_then(|y| y.parse().ok())
}

/// Whether data may be imported into a carrier: not once it is revoked (`revoked_on` set). An
/// import enters enterprises into the carrier, which a revoked carrier no longer takes.
pub fn check_import(carrier_name: &str, revoked_on: Option<&str>) -> Result<(), FieldError> {
    match revoked_on {
        None => Ok(()),
        Some(on) => Err(FieldError::new(
            "carrier",
            "revoked",
            format!(
                "载体“{carrier_name}”已于 {on} 撤销，不能再导入在孵企业及其指标；如撤销有误，请联系科技局恢复"
            ),
            format!(
                "{carrier_name} was revoked on {on}; nothing can be imported into it. If the revocation is a mistake, ask the bureau to restore the carrier"
            ),
        )),
    }
}

/// Whether a carrier files a yearly report for `year`: every year while it is in the registry,
/// including the year it is revoked in (it was in the registry during that year), and none after.
pub fn check_report_year(
    carrier_name: &str,
    revoked_on: Option<&str>,
    year: i64,
) -> Result<(), FieldError> {
    let Some(on) = revoked_on else {
        return Ok(());
    };
    if revocation_year(on).is_some_and(|last| year <= last) {
        return Ok(());
    }
    Err(FieldError::new(
        "year",
        "revoked",
        format!(
            "载体“{carrier_name}”已于 {on} 撤销，不能填报 {year} 年度年报；只能填报撤销当年及以前年度的年报"
        ),
        format!(
            "{carrier_name} was revoked on {on}; it files no report for {year}, only for the year it was revoked in and earlier years"
        ),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(level: Level, year: i64) -> Rating {
        Rating {
            level,
            year_granted: year,
        }
    }

    #[test]
    fn the_latest_rating_holds() {
        let history = [
            r(Level::Municipal, 2016),
            r(Level::Provincial, 2019),
            r(Level::National, 2023),
        ];
        assert_eq!(level_in(&history, 2015), None);
        assert_eq!(level_in(&history, 2018), Some(Level::Municipal));
        assert_eq!(level_in(&history, 2022), Some(Level::Provincial));
        assert_eq!(level_in(&history, 2024), Some(Level::National));
        let same_year = [r(Level::Provincial, 2020), r(Level::National, 2020)];
        assert_eq!(level_in(&same_year, 2020), Some(Level::National));
    }

    #[test]
    fn a_revoked_carrier_takes_no_imports() {
        assert_eq!(check_import("甲孵化器", None), Ok(()));
        let e = check_import("甲孵化器", Some("2024-06-30")).expect_err("revoked");
        assert_eq!(e.field, "carrier");
        assert!(
            e.zh.contains("2024-06-30") && e.zh.contains("甲孵化器"),
            "{}",
            e.zh
        );
    }

    #[test]
    fn a_revoked_carrier_reports_up_to_its_revocation_year() {
        assert_eq!(check_report_year("甲", None, 2030), Ok(()));
        let on = Some("2024-06-30");
        assert_eq!(check_report_year("甲", on, 2023), Ok(()));
        assert_eq!(check_report_year("甲", on, 2024), Ok(()));
        let e = check_report_year("甲", on, 2025).expect_err("after the revocation year");
        assert_eq!(e.field, "year");
        assert!(e.zh.contains("2025"), "{}", e.zh);
        assert!(check_report_year("甲", Some("not a date"), 2020).is_err());
    }

    #[test]
    fn levels_rank() {
        assert!(Level::National.rank() > Level::Provincial.rank());
        assert!(Level::Provincial.rank() > Level::Municipal.rank());
    }
}
