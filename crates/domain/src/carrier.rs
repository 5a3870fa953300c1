//! Carriers (双创孵化载体): their kinds, rating levels, and which level holds in a given year.

use serde::{Deserialize, Serialize};

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
    fn levels_rank() {
        assert!(Level::National.rank() > Level::Provincial.rank());
        assert!(Level::Provincial.rank() > Level::Municipal.rank());
    }
}
