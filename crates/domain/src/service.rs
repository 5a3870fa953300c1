//! One-stop services (一站式服务): what the bureau, carrier operators and service agencies offer,
//! and an enterprise's request tracked from asking to rating.
//!
//! A request is asked → accepted or declined (with a reason) → its steps are recorded → it is
//! completed → the enterprise rates it once. The state machine is pure; the store applies a
//! step as a conditional update on the status it expects, and a rating as a conditional update
//! on a request not yet rated.

use crate::FieldError;
use crate::lang::Lang;
use crate::org::string_enum;

string_enum! {
    /// What kind of service it is.
    ServiceCategory {
        Policy = "policy", "政策咨询", "Policy advice";
        Registration = "registration", "工商注册", "Business registration";
        Accounting = "accounting", "财税代理", "Accounting and tax";
        Legal = "legal", "法律咨询", "Legal advice";
        IntellectualProperty = "intellectual_property", "知识产权/专利申请", "Intellectual property and patents";
        ProjectApplication = "project_application", "项目申报", "Project applications";
        Financing = "financing", "投融资对接", "Financing";
        Mentoring = "mentoring", "创业指导", "Start-up mentoring";
        Recruitment = "recruitment", "人才招聘", "Recruitment";
        Testing = "testing", "检验检测", "Testing and inspection";
        Other = "other", "其他", "Other";
    }
}

string_enum! {
    /// Who may ask for a service.
    ServiceAudience {
        Anyone = "anyone", "所有企业", "Any enterprise";
        Incubatees = "incubatees", "本载体在孵企业", "This carrier's incubatees";
        Chains = "chains", "指定产业链企业", "Enterprises in the given chains";
    }
}

string_enum! {
    /// Where a service request stands.
    ServiceRequestStatus {
        Requested = "requested", "待受理", "Requested";
        Accepted = "accepted", "已受理", "Accepted";
        InProgress = "in_progress", "办理中", "In progress";
        Completed = "completed", "已办结", "Completed";
        Declined = "declined", "已拒绝", "Declined";
        Withdrawn = "withdrawn", "已撤回", "Withdrawn";
    }
}

string_enum! {
    /// What someone does to a request: the provider accepts, declines, records a step and
    /// completes; the enterprise withdraws (before an answer) and rates (once, after completion).
    ServiceRequestStep {
        Accept = "accept", "受理", "Accept";
        Decline = "decline", "拒绝", "Decline";
        Record = "record", "记录办理步骤", "Record a step";
        Complete = "complete", "办结", "Complete";
        Withdraw = "withdraw", "撤回", "Withdraw";
        Rate = "rate", "评价", "Rate";
    }
}

/// Which side of a request takes a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Provider,
    Requester,
}

impl ServiceRequestStep {
    /// Who takes this step.
    pub fn side(self) -> Side {
        match self {
            ServiceRequestStep::Withdraw | ServiceRequestStep::Rate => Side::Requester,
            _ => Side::Provider,
        }
    }
}

impl ServiceRequestStatus {
    /// The status after `step`, or why not (naming the field `step`). Recording a step and
    /// rating keep (or start) the work: recording moves an accepted request to in progress;
    /// rating leaves a completed request completed.
    pub fn after(self, step: ServiceRequestStep) -> Result<ServiceRequestStatus, FieldError> {
        use ServiceRequestStatus::*;
        use ServiceRequestStep::*;
        match (self, step) {
            (Requested, Accept) => Ok(Accepted),
            (Requested, Decline) => Ok(Declined),
            (Requested, Withdraw) => Ok(Withdrawn),
            (Accepted | InProgress, Record) => Ok(InProgress),
            (Accepted | InProgress, Complete) => Ok(Completed),
            (Completed, Rate) => Ok(Completed),
            _ => Err(FieldError::new(
                "step",
                "not_now",
                format!(
                    "申请当前为“{}”，不能“{}”",
                    self.label(Lang::ZhCn),
                    step.label(Lang::ZhCn)
                ),
                format!(
                    "The request is {}; it cannot be “{}” now",
                    self.label(Lang::En),
                    step.label(Lang::En)
                ),
            )),
        }
    }

    /// Whether the request still waits for the provider's answer.
    pub fn waiting(self) -> bool {
        self == ServiceRequestStatus::Requested
    }
}

/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;

/// The longest promised response: 90 days.
pub const MAX_RESPONSE_HOURS: i64 = 2_160;

/// The promised response of a request addressed generally to the enterprise's carrier: two days.
pub const GENERAL_RESPONSE_HOURS: i64 = 48;

/// The most a service may cost: 1,000万元.
pub const MAX_PRICE_FEN: i64 = 1_000_000_000;

/// Whether a request is overdue at `now`: it still waits for an answer past `due_at`.
pub fn overdue(status: ServiceRequestStatus, due_at: i64, now: i64) -> bool {
    status.waiting() && now > due_at
}

/// Whether a request was (or is) answered late: answered after `due_at`, or still waiting past it.
pub fn answered_late(
    status: ServiceRequestStatus,
    due_at: i64,
    answered_at: Option<i64>,
    now: i64,
) -> bool {
    match answered_at {
        Some(at) => at > due_at,
        None => overdue(status, due_at, now),
    }
}

/// A promised response time of `amount` in `unit` (`hours` or `days`) as hours.
pub fn response_hours(amount: i64, unit: &str) -> Result<i64, FieldError> {
    let hours = match unit.trim() {
        "" | "hours" | "小时" => Some(amount),
        "days" | "天" => amount.checked_mul(24),
        _ => {
            return Err(FieldError::new(
                "response_unit",
                "unknown",
                "时限单位应为小时（hours）或天（days）",
                "The unit is hours or days",
            ));
        }
    };
    match hours {
        Some(h) if (1..=MAX_RESPONSE_HOURS).contains(&h) => Ok(h),
        _ => Err(FieldError::new(
            "response_time",
            "out_of_range",
            "承诺响应时限应在 1 小时到 90 天之间",
            "The promised response time is between 1 hour and 90 days",
        )),
    }
}

/// A rating: 1 to 5 stars.
pub fn stars(n: i64) -> Result<i64, FieldError> {
    if (1..=5).contains(&n) {
        Ok(n)
    } else {
        Err(FieldError::new(
            "stars",
            "out_of_range",
            "评分应为 1 到 5 星",
            "The rating is 1 to 5 stars",
        ))
    }
}

/// Lines of a list (materials, steps): trimmed, blank lines dropped; each at most `max_chars`,
/// at most `max_lines` of them; else a problem naming `field`.
pub fn lines(
    field: &'static str,
    text: &str,
    max_lines: usize,
    max_chars: usize,
) -> Result<Vec<String>, FieldError> {
    let items: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if items.len() > max_lines || items.iter().any(|l| l.chars().count() > max_chars) {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("最多 {max_lines} 项，每项不超过 {max_chars} 字"),
            format!("At most {max_lines} items of at most {max_chars} characters each"),
        ));
    }
    Ok(items)
}

/// The middle of sorted values (the mean of the two middle ones for an even count).
pub fn median(sorted: &[i64]) -> Option<i64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    Some(if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    })
}

/// `5400000` ms → `1.5 小时` / `1.5 hours`; a day or more in days.
pub fn duration_label(ms: i64, lang: Lang) -> String {
    let hours = ms as f64 / HOUR_MS as f64;
    if hours >= 24.0 {
        let d = hours / 24.0;
        match lang {
            Lang::ZhCn => format!("{d:.1} 天"),
            Lang::En => format!("{d:.1} days"),
        }
    } else {
        match lang {
            Lang::ZhCn => format!("{hours:.1} 小时"),
            Lang::En => format!("{hours:.1} hours"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_steps_follow_the_scheme() {
        use ServiceRequestStatus::*;
        use ServiceRequestStep::*;
        assert_eq!(Requested.after(Accept).unwrap(), Accepted);
        assert_eq!(Requested.after(Decline).unwrap(), Declined);
        assert_eq!(Requested.after(Withdraw).unwrap(), Withdrawn);
        assert_eq!(Accepted.after(Record).unwrap(), InProgress);
        assert_eq!(InProgress.after(Record).unwrap(), InProgress);
        assert_eq!(InProgress.after(Complete).unwrap(), Completed);
        assert_eq!(Completed.after(Rate).unwrap(), Completed);
        let e = Requested.after(Complete).unwrap_err();
        assert_eq!(e.field, "step");
        assert!(e.zh.contains("待受理"));
        assert!(Declined.after(Accept).is_err());
        assert!(Accepted.after(Withdraw).is_err());
        assert!(InProgress.after(Rate).is_err());
        assert_eq!(Rate.side(), Side::Requester);
        assert_eq!(Accept.side(), Side::Provider);
    }

    #[test]
    fn a_request_is_overdue_only_while_it_waits_past_its_promise() {
        assert!(!overdue(ServiceRequestStatus::Requested, 1_000, 1_000));
        assert!(overdue(ServiceRequestStatus::Requested, 1_000, 1_001));
        assert!(!overdue(ServiceRequestStatus::Accepted, 1_000, 5_000));
        assert!(answered_late(
            ServiceRequestStatus::Accepted,
            1_000,
            Some(1_500),
            9_000
        ));
        assert!(!answered_late(
            ServiceRequestStatus::Accepted,
            1_000,
            Some(900),
            9_000
        ));
        assert!(!answered_late(
            ServiceRequestStatus::Withdrawn,
            1_000,
            None,
            9_000
        ));
    }

    #[test]
    fn response_times_and_ratings_are_bounded() {
        assert_eq!(response_hours(2, "days").unwrap(), 48);
        assert_eq!(response_hours(8, "hours").unwrap(), 8);
        assert_eq!(
            response_hours(0, "hours").unwrap_err().field,
            "response_time"
        );
        assert_eq!(
            response_hours(91, "days").unwrap_err().field,
            "response_time"
        );
        assert_eq!(
            response_hours(i64::MAX, "days").unwrap_err().field,
            "response_time"
        );
        assert_eq!(response_hours(1, "周").unwrap_err().field, "response_unit");
        assert!(stars(0).is_err() && stars(6).is_err());
        assert_eq!(stars(5).unwrap(), 5);
    }

    #[test]
    fn lists_and_medians() {
        assert_eq!(
            lines("steps", " 受理 \n\n 审核\n", 10, 10).unwrap(),
            ["受理", "审核"]
        );
        assert_eq!(lines("steps", "a\nb\nc", 2, 10).unwrap_err().field, "steps");
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3]), Some(3));
        assert_eq!(median(&[1, 3, 10, 20]), Some(6));
        assert_eq!(duration_label(5_400_000, Lang::ZhCn), "1.5 小时");
        assert_eq!(duration_label(36 * HOUR_MS, Lang::En), "1.5 days");
    }
}
