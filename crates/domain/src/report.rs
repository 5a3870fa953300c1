//! A carrier's yearly report: draft → submitted → returned (with comments) or approved.

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

#[cfg(test)]
mod tests {
    use super::*;

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
