//! The statistics: carriers as they stood at the end of a year, and the approved reports' figures.
//! Every query returns small, already-grouped rows; callers filter and regroup them.

use serde::Serialize;

use crate::db::on_db;
use crate::{Db, Result};

/// A carrier as the statistics see it at a year's end: its kind, the level that held then, its
/// place, and whether it was in the registry (established by then, not revoked before the year ended).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CarrierFacts {
    pub id: i64,
    pub kind: String,
    /// The level that held at the year's end (None: not rated by then).
    pub level: Option<String>,
    pub zone_id: Option<i64>,
    pub county_code: String,
    pub focus_chains: String,
    pub in_registry: bool,
}

/// Every carrier, as it stood at the end of `year`.
pub async fn carriers(db: &Db, year: i64) -> Result<Vec<CarrierFacts>> {
    let year_end = format!("{year:04}-12-31");
    Ok(on_db!(db, p => sqlx::query_as::<_, CarrierFacts>(
        "SELECT c.id, c.kind, c.zone_id, c.county_code, c.focus_chains, \
           (c.established_year <= $1 AND (c.revoked_on IS NULL OR c.revoked_on > $2)) AS in_registry, \
           (SELECT r.level FROM carrier_ratings r WHERE r.carrier_id = c.id AND r.year_granted <= $1 \
            ORDER BY r.year_granted DESC, r.level_rank DESC LIMIT 1) AS level \
         FROM carriers c")
        .bind(year)
        .bind(&year_end)
        .fetch_all(p)
        .await)?)
}

/// Approved reports' incubatee figures for a year, for trends. `carrier_id` is 0 when the rows
/// are summed over every carrier.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct YearFigures {
    pub year: i64,
    pub carrier_id: i64,
    pub incubatees: i64,
    pub employees: i64,
    pub high_level_talent: i64,
    pub patent_applications: i64,
    pub patent_grants: i64,
    pub revenue_k: i64,
    pub rd_spending_k: i64,
}

macro_rules! year_figures {
    ($carrier:literal, $group:literal) => {
        concat!(
            "SELECT year, ",
            $carrier,
            " AS carrier_id, CAST(SUM(incubatees) AS BIGINT) AS incubatees, CAST(SUM(employees) AS BIGINT) AS employees, \
             CAST(SUM(high_level_talent) AS BIGINT) AS high_level_talent, CAST(SUM(patent_applications) AS BIGINT) AS patent_applications, \
             CAST(SUM(patent_grants) AS BIGINT) AS patent_grants, CAST(SUM(revenue_k) AS BIGINT) AS revenue_k, \
             CAST(SUM(rd_spending_k) AS BIGINT) AS rd_spending_k \
             FROM report_totals WHERE year >= $1 AND year <= $2 GROUP BY ",
            $group
        )
    };
}

/// The figures of the years `from..=to`, per carrier when `per_carrier` (to filter them), else
/// summed over every carrier.
pub async fn year_figures(
    db: &Db,
    from: i64,
    to: i64,
    per_carrier: bool,
) -> Result<Vec<YearFigures>> {
    let sql = if per_carrier {
        year_figures!("carrier_id", "year, carrier_id")
    } else {
        year_figures!("CAST(0 AS BIGINT)", "year")
    };
    Ok(
        on_db!(db, p => sqlx::query_as::<_, YearFigures>(sql).bind(from).bind(to).fetch_all(p).await)?,
    )
}

/// Incubatees of a year's approved reports by industrial chain ('' for none). `carrier_id` is 0
/// when summed over every carrier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ChainFigures {
    pub carrier_id: i64,
    pub chain_code: String,
    pub incubatees: i64,
}

macro_rules! chain_figures {
    ($carrier:literal, $group:literal) => {
        concat!(
            "SELECT ",
            $carrier,
            " AS carrier_id, u.chain_code, CAST(SUM(u.incubatees) AS BIGINT) AS incubatees \
             FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id \
             WHERE r.status = 'approved' AND r.year = $1 GROUP BY ",
            $group
        )
    };
}

pub async fn chain_figures(db: &Db, year: i64, per_carrier: bool) -> Result<Vec<ChainFigures>> {
    let sql = if per_carrier {
        chain_figures!("r.carrier_id", "r.carrier_id, u.chain_code")
    } else {
        chain_figures!("CAST(0 AS BIGINT)", "u.chain_code")
    };
    Ok(on_db!(db, p => sqlx::query_as::<_, ChainFigures>(sql).bind(year).fetch_all(p).await)?)
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

/// The years that have at least one approved yearly report, in order.
pub async fn approved_years(db: &Db) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, i64>(
        "SELECT DISTINCT year FROM report_totals ORDER BY year")
        .fetch_all(p)
        .await)?)
}

/// The latest year that has approved yearly reports, if any: where the statistics, the annual
/// report and the yearly reports' list open.
pub async fn latest_approved_year(db: &Db) -> Result<Option<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar::<_, Option<i64>>(
        "SELECT CAST(MAX(year) AS BIGINT) FROM report_totals")
        .fetch_one(p)
        .await)?)
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
