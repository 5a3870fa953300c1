//! A carrier's yearly report: draft → submitted → returned (with comments) or approved.

use crate::FieldError;
use crate::date::IsoDate;
use crate::org::string_enum;

string_enum! {
    /// Where a yearly report stands.
    ReportStatus {
        Draft = "draft", "草稿", "Draft";
        Submitted = "submitted", "已提交", "Submitted";
        Returned = "returned", "已退回", "Returned";
        Approved = "approved", "已通过", "Approved";
    }
}

string_enum! {
    /// What happened to a report.
    ReviewAction {
        Submit = "submit", "提交", "Submitted";
        Return = "return", "退回", "Returned";
        Approve = "approve", "通过", "Approved";
        Reopen = "reopen", "撤回修改", "Reopened";
    }
}

impl ReportStatus {
    /// Whether the carrier can still change its figures.
    pub fn editable(self) -> bool {
        matches!(self, ReportStatus::Draft | ReportStatus::Returned)
    }

    /// The status after `action`, if the action is possible now.
    pub fn after(self, action: ReviewAction) -> Option<ReportStatus> {
        use ReportStatus::*;
        use ReviewAction::*;
        match (self, action) {
            (Draft | Returned, Submit) => Some(Submitted),
            (Submitted, Return) => Some(Returned),
            (Submitted, Approve) => Some(Approved),
            // The bureau may reopen an approved report for correction; it leaves the statistics until approved again.
            (Approved, Reopen) => Some(Returned),
            _ => None,
        }
    }
}

/// When a year's reports are due unless the bureau set another day: 31 March of the following
/// year (the first quarter, when the Torch statistics of the year before are collected).
pub fn default_due_on(year: i64) -> Option<IsoDate> {
    year.checked_add(1)
        .and_then(|y| u16::try_from(y).ok())
        .and_then(|y| IsoDate::new(y, 3, 31))
}

/// Reads the deadline the bureau sets for `year`'s reports: a date after the year has ended
/// (its figures are the year's) and no later than the end of the year after (the annual
/// report of the city is written then).
pub fn due_on(year: i64, input: &str) -> Result<IsoDate, FieldError> {
    let day = IsoDate::parse_field(input, "due_on")?;
    let first = i64::from(day.year());
    if first <= year {
        return Err(FieldError::new(
            "due_on",
            "before_year_end",
            "报送截止日期须在统计年度结束之后",
            "The deadline must fall after the reporting year has ended",
        ));
    }
    if year.checked_add(1).is_none_or(|next| first > next) {
        return Err(FieldError::new(
            "due_on",
            "too_late",
            "报送截止日期不能晚于统计年度的下一年年底",
            "The deadline can be no later than the end of the year after the reporting year",
        ));
    }
    Ok(day)
}

/// What is left of a deadline in words: "今天到期", "还剩 30 天", "已逾期 2 天" (and in English).
pub fn days_left_words(days_left: i64, lang: crate::lang::Lang) -> String {
    use crate::lang::Lang;
    match (days_left, lang) {
        (0, Lang::ZhCn) => "今天到期".to_string(),
        (0, Lang::En) => "due today".to_string(),
        (n, Lang::ZhCn) if n > 0 => format!("还剩 {n} 天"),
        (n, Lang::En) if n > 0 => format!("{n} days left"),
        (n, Lang::ZhCn) => format!("已逾期 {} 天", n.unsigned_abs()),
        (n, Lang::En) => format!("{} days overdue", n.unsigned_abs()),
    }
}

/// Days from `today` to the deadline `due`: 0 on the day itself, negative once it has passed.
pub fn days_left(due: IsoDate, today: IsoDate) -> i64 {
    due.days_since_epoch() - today.days_since_epoch()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deadlines_fall_in_the_year_after() {
        assert_eq!(default_due_on(2025).unwrap().to_string(), "2026-03-31");
        assert_eq!(
            due_on(2025, "2026年4月30日").unwrap().to_string(),
            "2026-04-30"
        );
        assert_eq!(
            due_on(2025, "2025-12-31").unwrap_err().code,
            "before_year_end"
        );
        assert_eq!(due_on(2025, "2027-01-01").unwrap_err().code, "too_late");
        assert_eq!(due_on(2025, "三月底").unwrap_err().field, "due_on");
        assert_eq!(default_due_on(i64::MAX), None);
        let due = IsoDate::parse("2026-03-31").unwrap();
        assert_eq!(days_left(due, IsoDate::parse("2026-03-01").unwrap()), 30);
        assert_eq!(days_left(due, due), 0);
        assert_eq!(days_left(due, IsoDate::parse("2026-04-02").unwrap()), -2);
        use crate::lang::Lang;
        assert_eq!(days_left_words(30, Lang::ZhCn), "还剩 30 天");
        assert_eq!(days_left_words(0, Lang::ZhCn), "今天到期");
        assert_eq!(days_left_words(-2, Lang::ZhCn), "已逾期 2 天");
        assert_eq!(days_left_words(-2, Lang::En), "2 days overdue");
        assert_eq!(
            days_left_words(i64::MIN, Lang::ZhCn),
            "已逾期 9223372036854775808 天"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_a_deadline_or_an_error(year in proptest::prop_oneof![-5000i64..5000, proptest::num::i64::ANY], input in "\\PC{0,30}") {
            let _ = due_on(year, &input);
            let _ = default_due_on(year);
        }
    }

    #[test]
    fn the_report_lifecycle() {
        use ReportStatus::*;
        use ReviewAction::*;
        assert_eq!(Draft.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Return), Some(Returned));
        assert_eq!(Returned.after(Submit), Some(Submitted));
        assert_eq!(Submitted.after(Approve), Some(Approved));
        assert_eq!(
            Draft.after(Approve),
            None,
            "only a submitted report can be approved"
        );
        assert_eq!(Approved.after(Submit), None);
        assert_eq!(Approved.after(Reopen), Some(Returned));
        assert!(
            Draft.editable()
                && Returned.editable()
                && !Submitted.editable()
                && !Approved.editable()
        );
    }
}
