//! Need-collection campaigns (挖掘双创载体在孵企业需求): the bureau opens a campaign with a
//! theme, the chains it asks about and a deadline; carriers ask their incubatees and turn what
//! they hear into market need listings; the bureau follows the coverage of each carrier (firms
//! asked, needs collected, needs matched, deals reached).

use crate::FieldError;
use crate::date::IsoDate;
use crate::org::string_enum;

string_enum! {
    /// Whether a campaign still takes needs.
    CampaignStatus {
        Open = "open", "征集中", "Open";
        Closed = "closed", "已结束", "Closed";
    }
}

string_enum! {
    /// What came of asking a firm.
    ContactOutcome {
        NeedCollected = "need_collected", "已征集到需求", "Need collected";
        NoNeed = "no_need", "暂无需求", "No need for now";
        Declined = "declined", "不愿填报", "Declined to say";
    }
}

/// The longest a campaign runs (a year): a deadline further out is a typing mistake.
pub const MAX_DAYS: i64 = 366;

/// Checks a campaign's window: it opens on or after 2000, closes on or after it opens, and runs
/// at most [`MAX_DAYS`]. The problem names `deadline`.
pub fn check_window(opens_on: IsoDate, deadline: IsoDate) -> Result<(), FieldError> {
    if deadline < opens_on {
        return Err(FieldError::new(
            "deadline",
            "before_start",
            "截止日期不能早于开始日期",
            "The deadline cannot be before the opening day",
        ));
    }
    if deadline > opens_on.plus_days(MAX_DAYS) {
        return Err(FieldError::new(
            "deadline",
            "too_long",
            format!("征集期最长 {MAX_DAYS} 天"),
            format!("A campaign runs at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

/// Whether a campaign takes needs on `today`: open, started, and not past its deadline.
pub fn takes_needs(status: CampaignStatus, opens_on: &str, deadline: &str, today: &str) -> bool {
    status == CampaignStatus::Open && opens_on <= today && today <= deadline
}

/// A carrier's coverage in a campaign.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Firms the carrier incubated while the campaign ran.
    pub incubatees: i64,
    /// Firms it asked (whatever came of it).
    pub asked: i64,
    /// Needs it collected (each a market listing).
    pub needs: i64,
    /// Collected needs someone answered: a deal was started on them.
    pub matched: i64,
    /// Collected needs that reached agreement (a deal agreed, registered or fulfilled).
    pub deals: i64,
}

impl Coverage {
    /// The share of incubatees asked, in whole percent (rounded down; 0 when none incubated).
    pub fn asked_percent(&self) -> i64 {
        if self.incubatees <= 0 {
            0
        } else {
            (self.asked.min(self.incubatees) * 100) / self.incubatees
        }
    }

    /// Adds another carrier's figures (the campaign's total).
    pub fn add(&mut self, other: &Coverage) {
        self.incubatees += other.incubatees;
        self.asked += other.asked;
        self.needs += other.needs;
        self.matched += other.matched;
        self.deals += other.deals;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> IsoDate {
        IsoDate::parse(s).expect("date")
    }

    #[test]
    fn a_window_closes_after_it_opens_and_within_a_year() {
        assert!(check_window(d("2025-03-01"), d("2025-03-01")).is_ok());
        assert!(check_window(d("2025-03-01"), d("2026-03-01")).is_ok());
        assert_eq!(
            check_window(d("2025-03-01"), d("2025-02-28"))
                .unwrap_err()
                .field,
            "deadline"
        );
        assert_eq!(
            check_window(d("2025-03-01"), d("2026-03-03"))
                .unwrap_err()
                .code,
            "too_long"
        );
    }

    #[test]
    fn needs_are_taken_only_while_open_and_in_the_window() {
        let open = CampaignStatus::Open;
        assert!(takes_needs(open, "2025-03-01", "2025-04-30", "2025-04-30"));
        assert!(!takes_needs(open, "2025-03-01", "2025-04-30", "2025-05-01"));
        assert!(!takes_needs(open, "2025-03-01", "2025-04-30", "2025-02-28"));
        assert!(!takes_needs(
            CampaignStatus::Closed,
            "2025-03-01",
            "2025-04-30",
            "2025-04-01"
        ));
    }

    #[test]
    fn the_asked_share_never_passes_a_hundred() {
        let c = Coverage {
            incubatees: 3,
            asked: 2,
            ..Coverage::default()
        };
        assert_eq!(c.asked_percent(), 66);
        // A firm that left the carrier after it was asked still counts as asked.
        let c = Coverage {
            incubatees: 2,
            asked: 3,
            ..Coverage::default()
        };
        assert_eq!(c.asked_percent(), 100);
        assert_eq!(Coverage::default().asked_percent(), 0);
    }
}
