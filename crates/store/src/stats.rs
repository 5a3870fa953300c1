//! The statistics: carriers as they stood at the end of a year, and the approved reports' figures.
//! Every query returns small, already-grouped rows; callers filter and regroup them.

use serde::Serialize;

use crate::db::on_db;
use crate::{Db, Result};

/// Carriers in the registry at the end of a year, grouped by kind, level then, and place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CarrierGroup {
    pub kind: String,
    /// The level that held at the year's end (None: not rated by then).
    pub level: Option<String>,
    pub zone_id: Option<i64>,
    pub county_code: String,
    pub focus_chains: String,
    pub carriers: i64,
}

/// Carriers established by the year and not revoked before its end.
pub async fn carriers(db: &Db, year: i64) -> Result<Vec<CarrierGroup>> {
    let year_end = format!("{year:04}-12-31");
    Ok(on_db!(db, p => sqlx::query_as::<_, CarrierGroup>(
        "SELECT kind, level, zone_id, county_code, focus_chains, COUNT(*) AS carriers FROM ( \
           SELECT c.kind, c.zone_id, c.county_code, c.focus_chains, \
             (SELECT r.level FROM carrier_ratings r WHERE r.carrier_id = c.id AND r.year_granted <= $1 \
              ORDER BY r.year_granted DESC, r.level_rank DESC LIMIT 1) AS level \
           FROM carriers c WHERE c.established_year <= $1 AND (c.revoked_on IS NULL OR c.revoked_on > $2)) x \
         GROUP BY kind, level, zone_id, county_code, focus_chains")
        .bind(year)
        .bind(&year_end)
        .fetch_all(p)
        .await)?)
}

/// Approved reports' figures, summed by year, carrier and chain.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Rollup {
    pub year: i64,
    pub carrier_id: i64,
    pub chain_code: String,
    pub incubatees: i64,
    pub employees: i64,
    pub doctors: i64,
    pub returnees: i64,
    pub fresh_graduates: i64,
    pub high_level_talent: i64,
    pub revenue_k: i64,
    pub rd_spending_k: i64,
    pub taxes_k: i64,
    pub funding_raised_k: i64,
    pub patent_applications: i64,
    pub invention_applications: i64,
    pub patent_grants: i64,
    pub invention_grants: i64,
    pub valid_ip: i64,
    pub software_copyrights: i64,
    pub tech_contracts: i64,
    pub tech_contract_amount_k: i64,
}

/// Approved reports' figures summed by year and carrier (chain left empty), for trends.
pub async fn by_year_and_carrier(db: &Db, from_year: i64, to_year: i64) -> Result<Vec<Rollup>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Rollup>(
        "SELECT r.year, r.carrier_id, '' AS chain_code, CAST(SUM(u.incubatees) AS BIGINT) AS incubatees, CAST(SUM(u.employees) AS BIGINT) AS employees, CAST(SUM(u.doctors) AS BIGINT) AS doctors, CAST(SUM(u.returnees) AS BIGINT) AS returnees, \
         CAST(SUM(u.fresh_graduates) AS BIGINT) AS fresh_graduates, CAST(SUM(u.high_level_talent) AS BIGINT) AS high_level_talent, CAST(SUM(u.revenue_k) AS BIGINT) AS revenue_k, \
         CAST(SUM(u.rd_spending_k) AS BIGINT) AS rd_spending_k, CAST(SUM(u.taxes_k) AS BIGINT) AS taxes_k, CAST(SUM(u.funding_raised_k) AS BIGINT) AS funding_raised_k, \
         CAST(SUM(u.patent_applications) AS BIGINT) AS patent_applications, CAST(SUM(u.invention_applications) AS BIGINT) AS invention_applications, \
         CAST(SUM(u.patent_grants) AS BIGINT) AS patent_grants, CAST(SUM(u.invention_grants) AS BIGINT) AS invention_grants, CAST(SUM(u.valid_ip) AS BIGINT) AS valid_ip, \
         CAST(SUM(u.software_copyrights) AS BIGINT) AS software_copyrights, CAST(SUM(u.tech_contracts) AS BIGINT) AS tech_contracts, CAST(SUM(u.tech_contract_amount_k) AS BIGINT) AS tech_contract_amount_k \
         FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id \
         WHERE r.status = 'approved' AND r.year >= $1 AND r.year <= $2 GROUP BY r.year, r.carrier_id")
        .bind(from_year)
        .bind(to_year)
        .fetch_all(p)
        .await)?)
}

/// Approved reports' figures for one year by carrier and chain.
pub async fn by_carrier_and_chain(db: &Db, year: i64) -> Result<Vec<Rollup>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Rollup>(
        "SELECT r.year, r.carrier_id, u.chain_code, CAST(SUM(u.incubatees) AS BIGINT) AS incubatees, CAST(SUM(u.employees) AS BIGINT) AS employees, CAST(SUM(u.doctors) AS BIGINT) AS doctors, CAST(SUM(u.returnees) AS BIGINT) AS returnees, \
         CAST(SUM(u.fresh_graduates) AS BIGINT) AS fresh_graduates, CAST(SUM(u.high_level_talent) AS BIGINT) AS high_level_talent, CAST(SUM(u.revenue_k) AS BIGINT) AS revenue_k, \
         CAST(SUM(u.rd_spending_k) AS BIGINT) AS rd_spending_k, CAST(SUM(u.taxes_k) AS BIGINT) AS taxes_k, CAST(SUM(u.funding_raised_k) AS BIGINT) AS funding_raised_k, \
         CAST(SUM(u.patent_applications) AS BIGINT) AS patent_applications, CAST(SUM(u.invention_applications) AS BIGINT) AS invention_applications, \
         CAST(SUM(u.patent_grants) AS BIGINT) AS patent_grants, CAST(SUM(u.invention_grants) AS BIGINT) AS invention_grants, CAST(SUM(u.valid_ip) AS BIGINT) AS valid_ip, \
         CAST(SUM(u.software_copyrights) AS BIGINT) AS software_copyrights, CAST(SUM(u.tech_contracts) AS BIGINT) AS tech_contracts, CAST(SUM(u.tech_contract_amount_k) AS BIGINT) AS tech_contract_amount_k \
         FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id \
         WHERE r.status = 'approved' AND r.year = $1 GROUP BY r.year, r.carrier_id, u.chain_code")
        .bind(year)
        .fetch_all(p)
        .await)?)
}

/// Each carrier's attributes for regrouping rollups (kind, level at the year's end, place).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CarrierFacts {
    pub id: i64,
    pub kind: String,
    pub level: Option<String>,
    pub zone_id: Option<i64>,
    pub county_code: String,
}

pub async fn carrier_facts(db: &Db, year: i64) -> Result<Vec<CarrierFacts>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, CarrierFacts>(
        "SELECT c.id, c.kind, c.zone_id, c.county_code, \
           (SELECT r.level FROM carrier_ratings r WHERE r.carrier_id = c.id AND r.year_granted <= $1 \
            ORDER BY r.year_granted DESC, r.level_rank DESC LIMIT 1) AS level \
         FROM carriers c")
        .bind(year)
        .fetch_all(p)
        .await)?)
}

/// Enterprises registered in each functional zone (all of them, not only incubatees), by chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ZoneEnterprises {
    pub zone_id: i64,
    pub chain_code: String,
    pub enterprises: i64,
}

pub async fn zone_enterprises(db: &Db) -> Result<Vec<ZoneEnterprises>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, ZoneEnterprises>(
        "SELECT zone_id, COALESCE(chain_code, '') AS chain_code, COUNT(*) AS enterprises FROM enterprises WHERE zone_id IS NOT NULL \
         GROUP BY zone_id, COALESCE(chain_code, '')")
        .fetch_all(p)
        .await)?)
}

/// A fund as the statistics see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FundRow {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub size_k: i64,
    pub for_incubatees: bool,
    pub established_year: i64,
}

pub async fn funds(db: &Db) -> Result<Vec<FundRow>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, FundRow>("SELECT id, name, kind, size_k, for_incubatees, established_year FROM funds ORDER BY size_k DESC, name")
        .fetch_all(p)
        .await)?,
    )
}

/// A parent enterprise's spin-offs: its stage path, and the enterprises it spun off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct SpinoffRow {
    pub parent_id: i64,
    pub parent_name: String,
    pub project_name: String,
    pub notable: bool,
    pub became_enterprise: bool,
    pub started_on: String,
}

pub async fn spinoffs(db: &Db) -> Result<Vec<SpinoffRow>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, SpinoffRow>(
        "SELECT s.parent_id, e.name AS parent_name, s.name AS project_name, s.notable, (s.enterprise_id IS NOT NULL) AS became_enterprise, s.started_on \
         FROM spinoff_projects s JOIN enterprises e ON e.id = s.parent_id ORDER BY e.name, s.started_on, s.id")
        .fetch_all(p)
        .await)?)
}

/// The stage names of every parent's path, in order.
pub async fn spinoff_paths(db: &Db) -> Result<Vec<(i64, String)>> {
    Ok(
        on_db!(db, p => sqlx::query_as::<_, (i64, String)>("SELECT parent_id, name FROM spinoff_stages ORDER BY parent_id, position")
        .fetch_all(p)
        .await)?,
    )
}
