//! Each role's work queue (the home page and `GET /me/work`): what waits for the user's
//! organisation, each item with its count, how long the oldest has waited and where it is done.
//! Only what waits is listed; the bureau's items are the city's, everyone else's their
//! organisation's. The counts come from one statement per queue (`store::queue`).

use fruition_domain::authz::Action;
use fruition_domain::org::OrgKind;
use fruition_store::queue as store;
use serde::Serialize;
use utoipa::ToSchema;

use crate::clock::{now_ms, this_year, today};
use crate::error::AppError;
use crate::{App, Ctx};

pub use fruition_store::queue::NavFacts;

/// What a work item is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum WorkKind {
    /// Yearly reports submitted, awaiting the bureau's review.
    ReportsToReview,
    /// Carriers whose last year's report is not approved, after the deadline.
    ReportsLate,
    /// Carriers whose last year's report is not approved yet, before the deadline.
    ReportsOutstanding,
    /// Applications to join.
    Applications,
    /// Market deals agreed, awaiting registration as contracts.
    DealsToRegister,
    /// Contracts concluded anywhere, awaiting recognition.
    SubmissionsToRecognise,
    /// Voucher reimbursement claims awaiting the bureau.
    VoucherClaims,
    /// Bills past their due date with money owed (the bureau: all).
    OverdueBills,
    /// Loans disbursed, awaiting registration for risk compensation.
    LoansToRegister,
    /// The organisation's carriers' reports for last year still to submit.
    ReportsToFile,
    /// Reports the bureau returned for correction.
    ReportsReturned,
    /// Bookings of the organisation's resources to confirm or decline.
    BookingsToConfirm,
    /// Used bookings to bill.
    BookingsToBill,
    /// The organisation's confirmed bookings still to come.
    BookingsUpcoming,
    /// Bills the organisation owes.
    BillsToPay,
    /// Bills the organisation owes past their due date.
    BillsOverdue,
    /// Bills the organisation issued, overdue (remind the payer).
    BillsIssuedOverdue,
    /// Service requests to accept or decline.
    RequestsToAnswer,
    /// Service requests being worked.
    RequestsInProgress,
    /// Deals being negotiated.
    DealsNegotiating,
    /// Deals agreed, awaiting the office.
    DealsAgreed,
    /// Contract submissions the office returned for correction.
    SubmissionsReturned,
    /// Loan applications before the bank or guarantor.
    LoansToReview,
    /// The organisation's own loan applications in progress.
    LoansApplied,
    /// What the organisation's live vouchers still hold.
    VoucherBalance,
    /// The organisation's voucher claims awaiting the bureau.
    ClaimsWaiting,
    /// Unread inbox messages (new suggestions for needs among them).
    UnreadMessages,
    /// Enterprises in the organisation's carriers without last year's indicators (the report
    /// still to file needs them).
    IncubateesWithoutIndicators,
}

impl WorkKind {
    pub fn code(self) -> &'static str {
        // The serde names (a test keeps them equal).
        match self {
            WorkKind::ReportsToReview => "reports_to_review",
            WorkKind::ReportsLate => "reports_late",
            WorkKind::ReportsOutstanding => "reports_outstanding",
            WorkKind::Applications => "applications",
            WorkKind::DealsToRegister => "deals_to_register",
            WorkKind::SubmissionsToRecognise => "submissions_to_recognise",
            WorkKind::VoucherClaims => "voucher_claims",
            WorkKind::OverdueBills => "overdue_bills",
            WorkKind::LoansToRegister => "loans_to_register",
            WorkKind::ReportsToFile => "reports_to_file",
            WorkKind::IncubateesWithoutIndicators => "incubatees_without_indicators",
            WorkKind::ReportsReturned => "reports_returned",
            WorkKind::BookingsToConfirm => "bookings_to_confirm",
            WorkKind::BookingsToBill => "bookings_to_bill",
            WorkKind::BookingsUpcoming => "bookings_upcoming",
            WorkKind::BillsToPay => "bills_to_pay",
            WorkKind::BillsOverdue => "bills_overdue",
            WorkKind::BillsIssuedOverdue => "bills_issued_overdue",
            WorkKind::RequestsToAnswer => "requests_to_answer",
            WorkKind::RequestsInProgress => "requests_in_progress",
            WorkKind::DealsNegotiating => "deals_negotiating",
            WorkKind::DealsAgreed => "deals_agreed",
            WorkKind::SubmissionsReturned => "submissions_returned",
            WorkKind::LoansToReview => "loans_to_review",
            WorkKind::LoansApplied => "loans_applied",
            WorkKind::VoucherBalance => "voucher_balance",
            WorkKind::ClaimsWaiting => "claims_waiting",
            WorkKind::UnreadMessages => "unread_messages",
        }
    }
}

/// One thing waiting.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkItem {
    pub kind: WorkKind,
    pub count: i64,
    /// Whole days the oldest has waited (or, for overdue bills, since the earliest due date).
    pub oldest_days: Option<i64>,
    /// An amount, fen, where the item is money (bills to pay, voucher balance).
    pub amount_fen: Option<i64>,
    /// The page where it is done.
    pub href: String,
    /// Someone must act (false: for information).
    pub act: bool,
    /// The deadline the item runs against (`YYYY-MM-DD`), where there is one: the reports'.
    pub due_on: Option<String>,
    /// Days left to that deadline: 0 on the day, negative once it has passed.
    pub days_left: Option<i64>,
}

/// The caller's work queue.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkQueue {
    /// The reporting year the report items are about (last year).
    pub report_year: i64,
    pub items: Vec<WorkItem>,
    /// The city's headline figures, for the bureau and viewers (empty for others).
    pub headlines: Vec<Headline>,
}

/// A headline figure of the city.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HeadlineKind {
    /// Carriers in the registry (not revoked).
    Carriers,
    /// Enterprises in incubation now.
    Incubatees,
    /// Technology contracts registered this year (count, and their amount in fen).
    ContractsThisYear,
    /// Knowledge-value credit loans disbursed, against the city's target.
    CreditLoans,
}

impl HeadlineKind {
    /// The serde name (a test keeps them equal).
    pub fn code(self) -> &'static str {
        match self {
            HeadlineKind::Carriers => "carriers",
            HeadlineKind::Incubatees => "incubatees",
            HeadlineKind::ContractsThisYear => "contracts_this_year",
            HeadlineKind::CreditLoans => "credit_loans",
        }
    }
}

/// One headline figure, with its target where the city set one.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Headline {
    pub kind: HeadlineKind,
    pub count: Option<i64>,
    pub amount_fen: Option<i64>,
    /// The target, fen, where there is one.
    pub target_fen: Option<i64>,
    /// Progress towards the target, per mille (may exceed 1000).
    pub progress_permille: Option<i64>,
    /// Where the figure comes from.
    pub href: String,
}

/// The city's headline figures: carriers, incubatees, this year's contracts, credit loans
/// against the target of the credit policy in force.
async fn headlines(state: &App) -> Result<Vec<Headline>, AppError> {
    let year = this_year();
    let h = store::headlines(&state.db, year).await?;
    let target = fruition_store::credit::policy::current(&state.db)
        .await?
        .target_fen;
    let plain = |kind, count, amount_fen, href: &str| Headline {
        kind,
        count,
        amount_fen,
        target_fen: None,
        progress_permille: None,
        href: href.into(),
    };
    Ok(vec![
        plain(HeadlineKind::Carriers, Some(h.carriers), None, "/carriers"),
        plain(
            HeadlineKind::Incubatees,
            Some(h.incubatees),
            None,
            "/enterprises",
        ),
        plain(
            HeadlineKind::ContractsThisYear,
            Some(h.contracts),
            Some(h.contract_amount_fen),
            "/statistics",
        ),
        Headline {
            kind: HeadlineKind::CreditLoans,
            count: None,
            amount_fen: Some(h.loans_issued_fen),
            target_fen: (target > 0).then_some(target),
            progress_permille: (target > 0).then(|| {
                i64::try_from(i128::from(h.loans_issued_fen) * 1000 / i128::from(target))
                    .unwrap_or(i64::MAX)
            }),
            href: "/credit/target".into(),
        },
    ])
}

const DAY_MS: i64 = 24 * 60 * 60 * 1000;

fn days_since(ms: Option<i64>, now: i64) -> Option<i64> {
    ms.map(|t| ((now - t) / DAY_MS).max(0))
}

fn days_since_day(day: Option<&str>, today: &str) -> Option<i64> {
    let (Some(d), Some(t)) = (
        day.and_then(|d| fruition_domain::date::IsoDate::parse(d).ok()),
        fruition_domain::date::IsoDate::parse(today).ok(),
    ) else {
        return None;
    };
    Some((t.days_since_epoch() - d.days_since_epoch()).max(0))
}

struct Builder {
    items: Vec<WorkItem>,
}

impl Builder {
    /// Puts the reports' deadline on the items about last year's reports.
    fn due(&mut self, kinds: &[WorkKind], d: &crate::reports::DeadlineView) {
        for item in self.items.iter_mut().filter(|i| kinds.contains(&i.kind)) {
            item.due_on = Some(d.due_on.clone());
            item.days_left = Some(d.days_left);
        }
    }

    fn push(&mut self, kind: WorkKind, count: i64, oldest_days: Option<i64>, href: String) {
        if count > 0 {
            self.items.push(WorkItem {
                kind,
                count,
                oldest_days,
                amount_fen: None,
                href,
                act: true,
                due_on: None,
                days_left: None,
            });
        }
    }

    fn info(&mut self, kind: WorkKind, count: i64, amount_fen: Option<i64>, href: &str) {
        if count > 0 || amount_fen.is_some_and(|a| a > 0) {
            self.items.push(WorkItem {
                kind,
                count,
                oldest_days: None,
                amount_fen,
                href: href.into(),
                act: false,
                due_on: None,
                days_left: None,
            });
        }
    }
}

/// What waits for the caller.
pub async fn work(state: &App, ctx: &Ctx<'_>) -> Result<WorkQueue, AppError> {
    let now = now_ms();
    let day = today();
    let year = this_year() - 1;
    let mut b = Builder { items: Vec::new() };
    let p = ctx.principal;
    if p.org_kind == OrgKind::Bureau {
        let q = store::bureau(&state.db, year, &format!("{year:04}-12-31"), &day).await?;
        let reviews = ctx.require(Action::ReviewReports).is_ok();
        if reviews {
            b.push(
                WorkKind::ReportsToReview,
                q.reports_submitted,
                days_since(q.reports_oldest, now),
                format!("/reports?year={year}"),
            );
        }
        if ctx.require(Action::ReviewApplications).is_ok() {
            b.push(
                WorkKind::Applications,
                q.applications,
                days_since(q.applications_oldest, now),
                "/applications".into(),
            );
        }
        if ctx.require(Action::RegisterContracts).is_ok() {
            b.push(
                WorkKind::DealsToRegister,
                q.deals_agreed,
                days_since(q.deals_oldest, now),
                "/market/deals/registration".into(),
            );
            b.push(
                WorkKind::SubmissionsToRecognise,
                q.submissions,
                days_since(q.submissions_oldest, now),
                "/contracts/queue".into(),
            );
        }
        if ctx.require(Action::ManageVouchers).is_ok() {
            b.push(
                WorkKind::VoucherClaims,
                q.claims,
                days_since(q.claims_oldest, now),
                "/pilot/claims".into(),
            );
        }
        if ctx.require(Action::ManageCreditPool).is_ok() {
            b.push(
                WorkKind::LoansToRegister,
                q.loans_to_register,
                days_since(q.loans_oldest, now),
                "/credit/loans".into(),
            );
        }
        if reviews {
            let due = crate::reports::due(&state.db, year).await?;
            if due.days_left < 0 {
                b.push(
                    WorkKind::ReportsLate,
                    q.reports_late,
                    Some(-due.days_left),
                    format!("/reports?year={year}#late"),
                );
            } else {
                b.info(
                    WorkKind::ReportsOutstanding,
                    q.reports_late,
                    None,
                    &format!("/reports?year={year}#late"),
                );
            }
            b.due(&[WorkKind::ReportsLate, WorkKind::ReportsOutstanding], &due);
        }
        b.push(
            WorkKind::OverdueBills,
            q.bills_overdue,
            days_since_day(q.bills_oldest_due.as_deref(), &day),
            "/pilot/bills?overdue=1".into(),
        );
    } else {
        let slot = fruition_domain::pilot::slot_of_ms(now);
        let q = store::organisation(&state.db, p.user.org_id, year, &day, slot).await?;
        b.push(
            WorkKind::ReportsReturned,
            q.reports_returned,
            None,
            format!("/reports?year={year}"),
        );
        b.push(
            WorkKind::ReportsToFile,
            q.reports_to_file,
            None,
            format!("/reports?year={year}"),
        );
        b.push(
            WorkKind::IncubateesWithoutIndicators,
            q.incubatees_without_indicators,
            None,
            format!("/reports?year={year}"),
        );
        if q.reports_to_file > 0 {
            let due = crate::reports::due(&state.db, year).await?;
            b.due(
                &[
                    WorkKind::ReportsToFile,
                    WorkKind::IncubateesWithoutIndicators,
                ],
                &due,
            );
        }
        b.push(
            WorkKind::LoansToReview,
            q.loans_to_review,
            days_since(q.loans_oldest, now),
            "/credit/loans".into(),
        );
        b.push(
            WorkKind::RequestsToAnswer,
            q.requests_to_answer,
            days_since(q.requests_oldest, now),
            "/services/requests".into(),
        );
        b.push(
            WorkKind::BookingsToConfirm,
            q.bookings_to_confirm,
            days_since(q.bookings_oldest, now),
            "/pilot/bookings".into(),
        );
        b.push(
            WorkKind::BookingsToBill,
            q.bookings_to_bill,
            None,
            "/pilot/bookings".into(),
        );
        b.push(
            WorkKind::BillsOverdue,
            q.bills_overdue,
            None,
            "/pilot/bills?overdue=1".into(),
        );
        b.push(
            WorkKind::SubmissionsReturned,
            q.submissions_returned,
            None,
            "/contracts/submissions".into(),
        );
        b.push(
            WorkKind::BillsIssuedOverdue,
            q.bills_issued_overdue,
            None,
            "/pilot/bills?overdue=1".into(),
        );
        b.push(
            WorkKind::DealsNegotiating,
            q.deals_negotiating,
            None,
            "/market/deals".into(),
        );
        b.info(WorkKind::DealsAgreed, q.deals_agreed, None, "/market/deals");
        b.info(
            WorkKind::RequestsInProgress,
            q.requests_in_progress,
            None,
            "/services/requests",
        );
        b.info(
            WorkKind::BookingsUpcoming,
            q.bookings_upcoming,
            None,
            "/pilot/bookings",
        );
        b.info(
            WorkKind::BillsToPay,
            q.bills_to_pay,
            Some(q.bills_to_pay_fen),
            "/pilot/bills",
        );
        b.info(
            WorkKind::LoansApplied,
            q.loans_applied,
            None,
            "/credit/loans",
        );
        b.info(
            WorkKind::ClaimsWaiting,
            q.claims_waiting,
            None,
            "/pilot/claims",
        );
        b.info(
            WorkKind::VoucherBalance,
            0,
            Some(q.voucher_balance_fen),
            "/pilot/vouchers",
        );
    }
    let unread = crate::inbox::unread(state, p.user.id).await?;
    b.info(WorkKind::UnreadMessages, unread, None, "/inbox");
    let sees_figures =
        p.org_kind == OrgKind::Bureau || p.user.role == fruition_domain::org::Role::Viewer;
    Ok(WorkQueue {
        report_year: year,
        items: b.items,
        headlines: if sees_figures {
            headlines(state).await?
        } else {
            Vec::new()
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_names_the_api_answers() {
        for k in [
            WorkKind::ReportsToReview,
            WorkKind::SubmissionsToRecognise,
            WorkKind::BillsIssuedOverdue,
            WorkKind::UnreadMessages,
        ] {
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::json!(k.code()))
            );
        }
        for k in [
            HeadlineKind::Carriers,
            HeadlineKind::Incubatees,
            HeadlineKind::ContractsThisYear,
            HeadlineKind::CreditLoans,
        ] {
            assert_eq!(
                serde_json::to_value(k).ok(),
                Some(serde_json::json!(k.code()))
            );
        }
    }

    #[test]
    fn waiting_is_counted_in_whole_days() {
        assert_eq!(days_since(Some(0), 3 * DAY_MS - 1), Some(2));
        assert_eq!(days_since(Some(10), 0), Some(0), "never negative");
        assert_eq!(days_since_day(Some("2026-01-30"), "2026-02-02"), Some(3));
        assert_eq!(days_since_day(Some("not a day"), "2026-02-02"), None);
    }
}
