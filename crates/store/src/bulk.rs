//! Bulk loading for benchmarks: many rows per statement, no audit entries. Never used by the
//! application's own writes, which go through the repository modules and the audit log.

use fruition_domain::indicators::Indicators;

use crate::db::on_db;
use crate::{Db, Result};

/// Rows per INSERT statement (well under both engines' parameter limits).
const BATCH: usize = 400;

pub struct CarrierRow {
    pub name: String,
    pub kind: &'static str,
    pub operator_org_id: i64,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub established_year: i64,
    pub level: &'static str,
    pub level_rank: i64,
    pub rated_in: i64,
}

/// Inserts carriers with one rating each; returns their ids in order.
pub async fn carriers(db: &Db, rows: &[CarrierRow]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let got: Vec<i64> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO carriers (name, kind, operator_org_id, county_code, zone_id, focus_chains, established_year, status, created_at, updated_at) ",
            );
            qb.push_values(chunk, |mut b, c| {
                b.push_bind(&c.name).push_bind(c.kind).push_bind(c.operator_org_id).push_bind(&c.county_code).push_bind(c.zone_id)
                    .push_bind("").push_bind(c.established_year).push_bind("active").push_bind(0i64).push_bind(0i64);
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar::<i64>().fetch_all(p).await
        })?;
        ids.extend(got);
    }
    for (chunk_rows, chunk_ids) in rows.chunks(BATCH).zip(ids.chunks(BATCH)) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO carrier_ratings (carrier_id, level, level_rank, year_granted, granting_body, created_at) ");
            qb.push_values(chunk_rows.iter().zip(chunk_ids), |mut b, (c, id)| {
                b.push_bind(*id).push_bind(c.level).push_bind(c.level_rank).push_bind(c.rated_in).push_bind("bench").push_bind(0i64);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(ids)
}

pub struct EnterpriseRow {
    pub uscc: String,
    pub name: String,
    pub county_code: String,
    pub zone_id: Option<i64>,
    pub chain_code: String,
}

pub async fn enterprises(db: &Db, rows: &[EnterpriseRow]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let got: Vec<i64> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO enterprises (uscc, name, county_code, zone_id, chain_code, high_tech, tech_sme, created_at, updated_at) ",
            );
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(&e.uscc).push_bind(&e.name).push_bind(&e.county_code).push_bind(e.zone_id).push_bind(&e.chain_code)
                    .push_bind(false).push_bind(false).push_bind(0i64).push_bind(0i64);
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar::<i64>().fetch_all(p).await
        })?;
        ids.extend(got);
    }
    Ok(ids)
}

/// Inserts an approved report for each (carrier, year); returns their ids in order.
pub async fn approved_reports(db: &Db, carrier_years: &[(i64, i64)]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(carrier_years.len());
    for chunk in carrier_years.chunks(BATCH) {
        let got: Vec<i64> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO carrier_reports (carrier_id, year, status, staff, floor_area_m2, created_at, updated_at) ");
            qb.push_values(chunk, |mut b, (carrier, year)| {
                b.push_bind(*carrier).push_bind(*year).push_bind("approved").push_bind(10i64).push_bind(5000i64).push_bind(0i64).push_bind(0i64);
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar::<i64>().fetch_all(p).await
        })?;
        ids.extend(got);
    }
    Ok(ids)
}

pub async fn indicators(db: &Db, rows: &[(i64, i64, i64, Indicators)]) -> Result<()> {
    for chunk in rows.chunks(BATCH / 2) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO enterprise_indicators (enterprise_id, year, report_id, employees, doctors, returnees, fresh_graduates, high_level_talent, \
                 revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, patent_grants, invention_grants, \
                 valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k, created_at, updated_at) ",
            );
            qb.push_values(chunk, |mut b, (e, y, r, v)| {
                b.push_bind(*e).push_bind(*y).push_bind(*r).push_bind(v.employees).push_bind(v.doctors).push_bind(v.returnees)
                    .push_bind(v.fresh_graduates).push_bind(v.high_level_talent).push_bind(v.revenue_k).push_bind(v.rd_spending_k)
                    .push_bind(v.taxes_k).push_bind(v.funding_raised_k).push_bind(v.patent_applications).push_bind(v.invention_applications)
                    .push_bind(v.patent_grants).push_bind(v.invention_grants).push_bind(v.valid_ip).push_bind(v.software_copyrights)
                    .push_bind(v.tech_contracts).push_bind(v.tech_contract_amount_k).push_bind(0i64).push_bind(0i64);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    // The providers' running totals, as the writes would have kept them.
    on_db!(db, p => sqlx::query(
        "INSERT INTO service_provider_totals (provider_org_id, volume, answered, accepted, completed, \
         response_ms_sum, rated, rating_sum, answered_late) \
         SELECT provider_org_id, COUNT(*), COUNT(answered_at), \
         SUM(CASE WHEN status IN ('accepted', 'in_progress', 'completed') THEN 1 ELSE 0 END), \
         SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), COALESCE(SUM(answered_at - requested_at), 0), \
         COUNT(rating), COALESCE(SUM(rating), 0), SUM(CASE WHEN answered_at > due_at THEN 1 ELSE 0 END) \
         FROM service_requests GROUP BY provider_org_id")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Writes the rollups of every approved report at once (what approval does one report at a time).
pub async fn rollups(db: &Db) -> Result<()> {
    on_db!(db, p => sqlx::query(
        "INSERT INTO report_rollups (report_id, chain_code, incubatees, employees, doctors, returnees, fresh_graduates, \
         high_level_talent, revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, patent_grants, \
         invention_grants, valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k) \
         SELECT x.report_id, COALESCE(e.chain_code, ''), COUNT(*), SUM(x.employees), SUM(x.doctors), SUM(x.returnees), SUM(x.fresh_graduates), \
         SUM(x.high_level_talent), SUM(x.revenue_k), SUM(x.rd_spending_k), SUM(x.taxes_k), SUM(x.funding_raised_k), SUM(x.patent_applications), \
         SUM(x.invention_applications), SUM(x.patent_grants), SUM(x.invention_grants), SUM(x.valid_ip), SUM(x.software_copyrights), \
         SUM(x.tech_contracts), SUM(x.tech_contract_amount_k) \
         FROM enterprise_indicators x JOIN enterprises e ON e.id = x.enterprise_id JOIN carrier_reports r ON r.id = x.report_id \
         WHERE r.status = 'approved' GROUP BY x.report_id, COALESCE(e.chain_code, '')")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    on_db!(db, p => sqlx::query(crate::reports::TOTALS_SQL).bind(None::<i64>).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The baseline the rollups are measured against: the same year's sums straight from the
/// indicator rows of approved reports.
pub async fn direct_year_sums(db: &Db, year: i64) -> Result<(i64, i64, i64)> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64, i64)>(
        "SELECT COUNT(*), CAST(COALESCE(SUM(x.employees), 0) AS BIGINT), CAST(COALESCE(SUM(x.patent_applications), 0) AS BIGINT) \
         FROM enterprise_indicators x JOIN carrier_reports r ON r.id = x.report_id WHERE r.status = 'approved' AND x.year = $1")
        .bind(year)
        .fetch_one(p)
        .await)?)
}

/// A published market listing for [`listings`].
pub struct ListingRow {
    /// A `ListingKind` code (achievement, need, …).
    pub kind: &'static str,
    pub org_id: i64,
    pub title: String,
    pub summary: String,
    pub chain_code: Option<String>,
    /// A `TechField` code (the national technical field).
    pub tech_field: Option<String>,
    pub county_code: Option<String>,
    pub trl: Option<i64>,
    pub price_k: Option<i64>,
    /// Comma-separated transfer or cooperation modes.
    pub modes: String,
    pub published_at: i64,
}

/// Inserts published listings and one `listing_changes` row each (as publishing writes them);
/// returns their ids in order.
pub async fn listings(db: &Db, rows: &[ListingRow]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let got: Vec<i64> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO listings (kind, org_id, title, summary, body, chain_code, tech_field, county_code, trl, price_k, modes, details, status, \
                 published_at, created_at, updated_at) ",
            );
            qb.push_values(chunk, |mut b, l| {
                b.push_bind(l.kind).push_bind(l.org_id).push_bind(&l.title).push_bind(&l.summary).push_bind("")
                    .push_bind(&l.chain_code).push_bind(&l.tech_field).push_bind(&l.county_code).push_bind(l.trl).push_bind(l.price_k).push_bind(&l.modes)
                    .push_bind("{}").push_bind("published").push_bind(l.published_at).push_bind(l.published_at).push_bind(l.published_at);
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar::<i64>().fetch_all(p).await
        })?;
        ids.extend(got);
    }
    for (chunk_rows, chunk_ids) in rows.chunks(BATCH).zip(ids.chunks(BATCH)) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new("INSERT INTO listing_changes (listing_id, at) ");
            qb.push_values(chunk_rows.iter().zip(chunk_ids), |mut b, (l, id)| {
                b.push_bind(*id).push_bind(l.published_at);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(ids)
}

/// One entry of a bulk-loaded ledger: the transfer's index in the batch, the account, the amount
/// and the balance after it, and the day.
pub struct LedgerEntryRow {
    pub transfer: usize,
    pub account_id: i64,
    pub amount_fen: i64,
    pub balance_after_fen: i64,
    pub value_date: String,
}

/// Loads transfers (kind, day, memo) and their entries, in date order, then sets every account's
/// balance to the sum of its entries.
pub async fn ledger(
    db: &Db,
    transfers: &[(&'static str, String, String)],
    entries: &[LedgerEntryRow],
) -> Result<()> {
    let mut ids = Vec::with_capacity(transfers.len());
    for chunk in transfers.chunks(BATCH) {
        let got: Vec<i64> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO ledger_transfers (kind, value_date, memo, created_at) ");
            qb.push_values(chunk, |mut b, (kind, day, memo)| {
                b.push_bind(*kind).push_bind(day).push_bind(memo).push_bind(0i64);
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar::<i64>().fetch_all(p).await
        })?;
        ids.extend(got);
    }
    for chunk in entries.chunks(BATCH) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO ledger_entries (transfer_id, account_id, amount_fen, balance_after_fen, value_date) ");
            qb.push_values(chunk, |mut b, e| {
                b.push_bind(ids[e.transfer]).push_bind(e.account_id).push_bind(e.amount_fen)
                    .push_bind(e.balance_after_fen).push_bind(&e.value_date);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    on_db!(db, p => sqlx::query(
        "UPDATE ledger_accounts SET balance_fen = COALESCE((SELECT SUM(e.amount_fen) FROM ledger_entries e \
         WHERE e.account_id = ledger_accounts.id), 0)")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Marks enterprises high-tech (高新技术企业) and tech SMEs (科技型中小企业).
pub async fn enterprise_kinds(db: &Db, high_tech: &[i64], tech_sme: &[i64]) -> Result<()> {
    for (ids, sql) in [
        (
            high_tech,
            "UPDATE enterprises SET high_tech = TRUE WHERE id IN ",
        ),
        (
            tech_sme,
            "UPDATE enterprises SET tech_sme = TRUE WHERE id IN ",
        ),
    ] {
        for chunk in ids.chunks(BATCH) {
            on_db!(db, p => {
                let mut qb = sqlx::QueryBuilder::new(sql);
                qb.push("(");
                let mut ids = qb.separated(", ");
                for id in chunk {
                    ids.push_bind(*id);
                }
                ids.push_unseparated(")");
                qb.build().execute(p).await.map(|r| r.rows_affected())
            })?;
        }
    }
    Ok(())
}

/// Notes exclusions of the credit negative list (an exclusion code for each enterprise).
pub async fn credit_exclusions(db: &Db, rows: &[(i64, &'static str)]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO credit_exclusions (enterprise_id, exclusion, note, noted_at) ",
            );
            qb.push_values(chunk, |mut b, (e, code)| {
                b.push_bind(*e).push_bind(*code).push_bind("bench").push_bind(0i64);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    // The providers' running totals, as the writes would have kept them.
    on_db!(db, p => sqlx::query(
        "INSERT INTO service_provider_totals (provider_org_id, volume, answered, accepted, completed, \
         response_ms_sum, rated, rating_sum, answered_late) \
         SELECT provider_org_id, COUNT(*), COUNT(answered_at), \
         SUM(CASE WHEN status IN ('accepted', 'in_progress', 'completed') THEN 1 ELSE 0 END), \
         SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), COALESCE(SUM(answered_at - requested_at), 0), \
         COUNT(rating), COALESCE(SUM(rating), 0), SUM(CASE WHEN answered_at > due_at THEN 1 ELSE 0 END) \
         FROM service_requests GROUP BY provider_org_id")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A fund as bulk-loaded: (name, kind, manager organisation, size in 千元, year established).
pub type FundRow = (String, &'static str, i64, i64, i64);

/// Inserts funds; returns their ids in order.
pub async fn funds(db: &Db, rows: &[FundRow]) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(rows.len());
    for chunk in rows.chunks(BATCH) {
        let got: Vec<i64> = on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO funds (name, kind, status, manager_org_id, size_k, for_incubatees, established_year, created_at, updated_at) ");
            qb.push_values(chunk, |mut b, (name, kind, manager, size_k, year)| {
                b.push_bind(name).push_bind(*kind).push_bind("investing").push_bind(*manager).push_bind(*size_k)
                    .push_bind(true).push_bind(*year).push_bind(0i64).push_bind(0i64);
            });
            qb.push(" RETURNING id");
            qb.build_query_scalar::<i64>().fetch_all(p).await
        })?;
        ids.extend(got);
    }
    Ok(ids)
}

/// An investment as bulk-loaded.
pub struct InvestmentRow {
    pub fund_id: i64,
    pub enterprise_id: i64,
    pub round: &'static str,
    pub amount_fen: i64,
    pub invested_on: String,
    pub post_money_fen: Option<i64>,
}

/// A position as bulk-loaded (already marked): fund, enterprise, invested, value, in a chain.
pub type PositionRow = (i64, i64, i64, i64, bool);

/// Inserts investments and the positions they make, and sets each fund's invested total.
pub async fn investments(db: &Db, rows: &[InvestmentRow], positions: &[PositionRow]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO investments (fund_id, enterprise_id, round, instrument, amount_fen, invested_on, post_money_fen, note, created_at) ");
            qb.push_values(chunk, |mut b, i| {
                b.push_bind(i.fund_id).push_bind(i.enterprise_id).push_bind(i.round).push_bind("equity")
                    .push_bind(i.amount_fen).push_bind(&i.invested_on).push_bind(i.post_money_fen).push_bind("").push_bind(0i64);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    for chunk in positions.chunks(BATCH) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO fund_positions (fund_id, enterprise_id, invested_fen, value_fen, in_chain) ");
            qb.push_values(chunk, |mut b, (f, e, invested, value, in_chain)| {
                b.push_bind(*f).push_bind(*e).push_bind(*invested).push_bind(*value).push_bind(*in_chain);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    on_db!(db, p => sqlx::query(
        "UPDATE funds SET invested_fen = COALESCE((SELECT SUM(x.invested_fen) FROM fund_positions x \
         WHERE x.fund_id = funds.id), 0)")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Refreshes PostgreSQL's statistics after a bulk load, as autovacuum would soon after rows
/// arrive the ordinary way (queries are then planned for the tables' real sizes). SQLite plans
/// by its indexes alone and needs nothing.
/// Gives every report of `year` its carrier figures — staff, mentors, events held, graduates —
/// spread by the report's id, in one statement (the evaluation benchmark's facts).
pub async fn vary_report_figures(db: &Db, year: i64) -> Result<()> {
    on_db!(db, p => sqlx::query(
        "UPDATE carrier_reports SET staff = 3 + id % 17, mentors = 1 + id % 13, events_held = id % 29, \
         graduated_in_year = id % 7 WHERE year = $1")
        .bind(year).execute(p).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn analyze(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        sqlx::query("ANALYZE").execute(p).await?;
    }
    Ok(())
}

/// [`analyze`] and the visibility map too (`VACUUM ANALYZE`), as autovacuum does after many
/// inserts (PostgreSQL 13+): index-only scans then read no table pages.
pub async fn vacuum_analyze(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        sqlx::query("VACUUM ANALYZE").execute(p).await?;
    }
    Ok(())
}

/// A service request as bulk-loaded: (provider, requester, status, requested, due, answered,
/// completed, rating).
pub type ServiceRequestRow = (
    i64,
    i64,
    &'static str,
    i64,
    i64,
    Option<i64>,
    Option<i64>,
    Option<i64>,
);

/// Inserts service requests (general ones, no steps).
pub async fn service_requests(db: &Db, rows: &[ServiceRequestRow]) -> Result<()> {
    for chunk in rows.chunks(BATCH) {
        on_db!(db, p => {
            let mut qb = sqlx::QueryBuilder::new(
                "INSERT INTO service_requests (provider_org_id, requester_org_id, category, need, status, \
                 requested_at, due_at, answered_at, completed_at, rating, updated_at) ");
            qb.push_values(chunk, |mut b, (provider, requester, status, at, due, answered, completed, rating)| {
                b.push_bind(*provider).push_bind(*requester).push_bind("other").push_bind("基准需求")
                    .push_bind(*status).push_bind(*at).push_bind(*due).push_bind(*answered)
                    .push_bind(*completed).push_bind(*rating).push_bind(*at);
            });
            qb.build().execute(p).await.map(|r| r.rows_affected())
        })?;
    }
    // The providers' running totals, as the writes would have kept them.
    on_db!(db, p => sqlx::query(
        "INSERT INTO service_provider_totals (provider_org_id, volume, answered, accepted, completed, \
         response_ms_sum, rated, rating_sum, answered_late) \
         SELECT provider_org_id, COUNT(*), COUNT(answered_at), \
         SUM(CASE WHEN status IN ('accepted', 'in_progress', 'completed') THEN 1 ELSE 0 END), \
         SUM(CASE WHEN status = 'completed' THEN 1 ELSE 0 END), COALESCE(SUM(answered_at - requested_at), 0), \
         COUNT(rating), COALESCE(SUM(rating), 0), SUM(CASE WHEN answered_at > due_at THEN 1 ELSE 0 END) \
         FROM service_requests GROUP BY provider_org_id")
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
