//! What waits for someone: the counts (and the oldest) behind each role's work queue on the
//! home page, each queue read in one statement of scalar subqueries over indexed columns.

use crate::Result;
use crate::db::{Db, on_db};

/// What waits for the bureau. Times are epoch ms; `oldest_due` a `YYYY-MM-DD` day.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct BureauQueue {
    pub reports_submitted: i64,
    pub reports_oldest: Option<i64>,
    pub reports_late: i64,
    pub applications: i64,
    pub applications_oldest: Option<i64>,
    pub deals_agreed: i64,
    pub deals_oldest: Option<i64>,
    pub submissions: i64,
    pub submissions_oldest: Option<i64>,
    pub claims: i64,
    pub claims_oldest: Option<i64>,
    pub bills_overdue: i64,
    pub bills_oldest_due: Option<String>,
    pub loans_to_register: i64,
    pub loans_oldest: Option<i64>,
}

/// The bureau's queue: `year` is the reporting year (last year's reports are due this year),
/// `year_end` its last day, `today` the China day.
pub async fn bureau(db: &Db, year: i64, year_end: &str, today: &str) -> Result<BureauQueue> {
    Ok(on_db!(db, p => sqlx::query_as::<_, BureauQueue>(
        "SELECT \
         (SELECT COUNT(*) FROM carrier_reports WHERE status = 'submitted') AS reports_submitted, \
         (SELECT MIN(submitted_at) FROM carrier_reports WHERE status = 'submitted') AS reports_oldest, \
         (SELECT COUNT(*) FROM carriers c LEFT JOIN carrier_reports r ON r.carrier_id = c.id AND r.year = $1 \
            WHERE c.established_year <= $1 AND (c.revoked_on IS NULL OR c.revoked_on > $2) \
            AND (r.status IS NULL OR r.status <> 'approved')) AS reports_late, \
         (SELECT COUNT(*) FROM org_applications WHERE status = 'pending') AS applications, \
         (SELECT MIN(created_at) FROM org_applications WHERE status = 'pending') AS applications_oldest, \
         (SELECT COUNT(*) FROM deals WHERE status = 'agreed') AS deals_agreed, \
         (SELECT MIN(updated_at) FROM deals WHERE status = 'agreed') AS deals_oldest, \
         (SELECT COUNT(*) FROM contract_submissions WHERE status = 'submitted') AS submissions, \
         (SELECT MIN(submitted_at) FROM contract_submissions WHERE status = 'submitted') AS submissions_oldest, \
         (SELECT COUNT(*) FROM voucher_claims WHERE status = 'submitted') AS claims, \
         (SELECT MIN(created_at) FROM voucher_claims WHERE status = 'submitted') AS claims_oldest, \
         (SELECT COUNT(*) FROM bills WHERE due_on < $3 AND amount_fen > paid_fen + voucher_fen) AS bills_overdue, \
         (SELECT MIN(due_on) FROM bills WHERE due_on < $3 AND amount_fen > paid_fen + voucher_fen) AS bills_oldest_due, \
         (SELECT COUNT(*) FROM loans WHERE status = 'disbursed') AS loans_to_register, \
         (SELECT MIN(updated_at) FROM loans WHERE status = 'disbursed') AS loans_oldest")
        .bind(year)
        .bind(year_end)
        .bind(today)
        .fetch_one(p)
        .await)?)
}

/// What waits for an organisation (any kind but the bureau); a kind that never has an item
/// reads 0 there.
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct OrgQueue {
    /// Its carriers whose report for the year is not started or still a draft.
    pub reports_to_file: i64,
    /// Its carriers' reports (any year) the bureau returned for correction.
    pub reports_returned: i64,
    /// Bookings of its resources to confirm, and used ones to bill.
    pub bookings_to_confirm: i64,
    pub bookings_oldest: Option<i64>,
    pub bookings_to_bill: i64,
    /// Its own bookings coming up (confirmed, from today).
    pub bookings_upcoming: i64,
    /// Bills it owes, and how many of those are overdue.
    pub bills_to_pay: i64,
    pub bills_to_pay_fen: i64,
    pub bills_overdue: i64,
    /// Bills it issued that are overdue.
    pub bills_issued_overdue: i64,
    /// Service requests to answer, and those being worked.
    pub requests_to_answer: i64,
    pub requests_oldest: Option<i64>,
    pub requests_in_progress: i64,
    /// Deals it is negotiating; deals agreed and awaiting the office.
    pub deals_negotiating: i64,
    pub deals_agreed: i64,
    /// Contract submissions the office returned to it.
    pub submissions_returned: i64,
    /// Loans: applications before it as a bank (or guarantor); its own applications.
    pub loans_to_review: i64,
    pub loans_oldest: Option<i64>,
    pub loans_applied: i64,
    /// What its live vouchers still hold, fen.
    pub voucher_balance_fen: i64,
    /// Its claims awaiting the bureau.
    pub claims_waiting: i64,
    /// Enterprises in its carriers at the year's end without that year's indicators, where the
    /// carrier's report is still to file.
    pub incubatees_without_indicators: i64,
}

/// An organisation's queue. `today` a `YYYY-MM-DD` day, `now_slot` the current hour slot
/// (bookings from it on are upcoming), `year` the reporting year.
pub async fn organisation(
    db: &Db,
    org_id: i64,
    year: i64,
    today: &str,
    now_slot: i64,
) -> Result<OrgQueue> {
    Ok(on_db!(db, p => sqlx::query_as::<_, OrgQueue>(
        "SELECT \
         (SELECT COUNT(*) FROM carriers c LEFT JOIN carrier_reports r ON r.carrier_id = c.id AND r.year = $2 \
            WHERE c.operator_org_id = $1 AND c.established_year <= $2 AND c.revoked_on IS NULL \
            AND (r.status IS NULL OR r.status = 'draft')) AS reports_to_file, \
         (SELECT COUNT(*) FROM carriers c JOIN carrier_reports r ON r.carrier_id = c.id \
            WHERE c.operator_org_id = $1 AND r.status = 'returned') AS reports_returned, \
         (SELECT COUNT(*) FROM bookings WHERE owner_org_id = $1 AND status = 'requested') AS bookings_to_confirm, \
         (SELECT MIN(created_at) FROM bookings WHERE owner_org_id = $1 AND status = 'requested') AS bookings_oldest, \
         (SELECT COUNT(*) FROM bookings WHERE owner_org_id = $1 AND status = 'used') AS bookings_to_bill, \
         (SELECT COUNT(*) FROM bookings WHERE booker_org_id = $1 AND status = 'confirmed' AND end_slot > $4) AS bookings_upcoming, \
         (SELECT COUNT(*) FROM bills WHERE payer_org_id = $1 AND amount_fen > paid_fen + voucher_fen) AS bills_to_pay, \
         (SELECT CAST(COALESCE(SUM(amount_fen - paid_fen - voucher_fen), 0) AS BIGINT) FROM bills \
            WHERE payer_org_id = $1 AND amount_fen > paid_fen + voucher_fen) AS bills_to_pay_fen, \
         (SELECT COUNT(*) FROM bills WHERE payer_org_id = $1 AND due_on < $3 AND amount_fen > paid_fen + voucher_fen) AS bills_overdue, \
         (SELECT COUNT(*) FROM bills WHERE owner_org_id = $1 AND due_on < $3 AND amount_fen > paid_fen + voucher_fen) AS bills_issued_overdue, \
         (SELECT COUNT(*) FROM service_requests WHERE provider_org_id = $1 AND status = 'requested') AS requests_to_answer, \
         (SELECT MIN(requested_at) FROM service_requests WHERE provider_org_id = $1 AND status = 'requested') AS requests_oldest, \
         (SELECT COUNT(*) FROM service_requests WHERE provider_org_id = $1 AND status IN ('accepted', 'in_progress')) AS requests_in_progress, \
         (SELECT COUNT(*) FROM deals WHERE (seller_org_id = $1 OR buyer_org_id = $1) AND status = 'negotiating') AS deals_negotiating, \
         (SELECT COUNT(*) FROM deals WHERE (seller_org_id = $1 OR buyer_org_id = $1) AND status = 'agreed') AS deals_agreed, \
         (SELECT COUNT(*) FROM contract_submissions WHERE submitter_org_id = $1 AND status = 'returned') AS submissions_returned, \
         (SELECT COUNT(*) FROM loans WHERE (bank_org_id = $1 OR guarantor_org_id = $1) AND status = 'applied') AS loans_to_review, \
         (SELECT MIN(created_at) FROM loans WHERE (bank_org_id = $1 OR guarantor_org_id = $1) AND status = 'applied') AS loans_oldest, \
         (SELECT COUNT(*) FROM loans WHERE borrower_org_id = $1 AND status IN ('applied', 'approved')) AS loans_applied, \
         (SELECT CAST(COALESCE(SUM(balance_fen), 0) AS BIGINT) FROM vouchers WHERE org_id = $1 AND active AND valid_to >= $3) AS voucher_balance_fen, \
         (SELECT COUNT(*) FROM voucher_claims WHERE owner_org_id = $1 AND status = 'submitted') AS claims_waiting, \
         (SELECT COUNT(DISTINCT i.enterprise_id) FROM incubations i JOIN carriers c ON c.id = i.carrier_id \
            LEFT JOIN carrier_reports r ON r.carrier_id = c.id AND r.year = $2 \
            WHERE c.operator_org_id = $1 AND c.revoked_on IS NULL AND i.entered_on <= $5 \
            AND (i.exited_on IS NULL OR i.exited_on > $5) \
            AND (r.status IS NULL OR r.status IN ('draft', 'returned')) \
            AND NOT EXISTS (SELECT 1 FROM enterprise_indicators x WHERE x.enterprise_id = i.enterprise_id AND x.year = $2)) \
            AS incubatees_without_indicators")
        .bind(org_id)
        .bind(year)
        .bind(today)
        .bind(now_slot)
        .bind(format!("{year:04}-12-31"))
        .fetch_one(p)
        .await)?)
}

/// The city's headline figures (the bureau's and viewers' home page).
#[derive(Debug, Clone, Default, sqlx::FromRow)]
pub struct Headlines {
    /// Carriers in the registry, not revoked.
    pub carriers: i64,
    /// Enterprises in incubation now.
    pub incubatees: i64,
    /// Technology contracts registered in the year, and their amount.
    pub contracts: i64,
    pub contract_amount_fen: i64,
    /// Knowledge-value loans disbursed, all years.
    pub loans_issued_fen: i64,
}

pub async fn headlines(db: &Db, year: i64) -> Result<Headlines> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Headlines>(
        "SELECT (SELECT COUNT(*) FROM carriers WHERE revoked_on IS NULL) AS carriers, \
         (SELECT COUNT(*) FROM incubations WHERE exited_on IS NULL) AS incubatees, \
         (SELECT CAST(COALESCE(SUM(contracts), 0) AS BIGINT) FROM contract_totals \
            WHERE year = $1 AND dimension = 'all') AS contracts, \
         (SELECT CAST(COALESCE(SUM(contract_amount_fen), 0) AS BIGINT) FROM contract_totals \
            WHERE year = $1 AND dimension = 'all') AS contract_amount_fen, \
         (SELECT CAST(COALESCE(SUM(disbursed_fen), 0) AS BIGINT) FROM loans \
            WHERE disbursed_on IS NOT NULL) AS loans_issued_fen")
        .bind(year)
        .fetch_one(p)
        .await)?)
}

/// What every page's navigation needs to know of the signed-in user, read with the session
/// (`sessions::lookup`): the unread messages (the badge on 消息) and whether the organisation has
/// resources of its own (an enterprise sees 本单位的资源 and 创新券兑付 only then).
#[derive(Debug, Clone, Copy, Default, sqlx::FromRow)]
pub struct NavFacts {
    pub unread: i64,
    pub owns_resources: bool,
}
