//! Portfolio figures: per fund, one aggregate over its positions (each position already marked
//! to its enterprise's latest valuation when it was written); and the city's capital figures for
//! a year, derived from the funds and investments users recorded.

use serde::Serialize;

use crate::db::on_db;
use crate::{Db, Result};

/// One fund's portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct FundFigures {
    pub fund_id: i64,
    /// Enterprises the fund has invested in.
    pub firms: i64,
    /// … of which it still holds a part.
    pub holdings: i64,
    pub invested_fen: i64,
    pub exited_cost_fen: i64,
    pub proceeds_fen: i64,
    /// What is left, marked to each enterprise's latest valuation.
    pub value_fen: i64,
    /// Invested in enterprises that were in the city's industrial chains when first invested in.
    pub in_chains_fen: i64,
}

/// One ordered pass over the positions of the funds asked for (covered by
/// `fund_positions_figures_idx`), joined to the funds.
const FIGURES: &str = "SELECT f.id AS fund_id, COALESCE(x.firms, 0) AS firms, COALESCE(x.holdings, 0) AS holdings, \
     COALESCE(x.invested_fen, 0) AS invested_fen, COALESCE(x.exited_cost_fen, 0) AS exited_cost_fen, \
     COALESCE(x.proceeds_fen, 0) AS proceeds_fen, COALESCE(x.value_fen, 0) AS value_fen, \
     COALESCE(x.in_chains_fen, 0) AS in_chains_fen \
     FROM funds f LEFT JOIN (SELECT p.fund_id, COUNT(*) AS firms, \
       CAST(SUM(CASE WHEN p.exited_cost_fen < p.invested_fen THEN 1 ELSE 0 END) AS BIGINT) AS holdings, \
       CAST(SUM(p.invested_fen) AS BIGINT) AS invested_fen, CAST(SUM(p.exited_cost_fen) AS BIGINT) AS exited_cost_fen, \
       CAST(SUM(p.proceeds_fen) AS BIGINT) AS proceeds_fen, CAST(SUM(p.value_fen) AS BIGINT) AS value_fen, \
       CAST(SUM(CASE WHEN p.in_chain THEN p.invested_fen ELSE 0 END) AS BIGINT) AS in_chains_fen \
       FROM fund_positions p WHERE p.fund_id IN (SELECT id FROM funds WHERE ($1 IS NULL OR manager_org_id = $1) \
       AND ($2 IS NULL OR id = $2)) GROUP BY p.fund_id) x ON x.fund_id = f.id \
     WHERE ($1 IS NULL OR f.manager_org_id = $1) AND ($2 IS NULL OR f.id = $2)";

/// The portfolio of every fund (`manager_org_id` `None`) or of one manager's funds.
pub async fn fund_figures(db: &Db, manager_org_id: Option<i64>) -> Result<Vec<FundFigures>> {
    let sql = format!("{FIGURES} ORDER BY f.id");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, FundFigures>(sqlx::AssertSqlSafe(sql))
        .bind(manager_org_id).bind(None::<i64>).fetch_all(p).await)?,
    )
}

/// One fund's portfolio.
pub async fn one_fund(db: &Db, fund_id: i64) -> Result<Option<FundFigures>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, FundFigures>(FIGURES)
        .bind(None::<i64>).bind(fund_id).fetch_optional(p).await)?)
}

/// A fund's position in one enterprise, for the fund's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct PositionRow {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub chain_code: Option<String>,
    pub invested_fen: i64,
    pub exited_cost_fen: i64,
    pub proceeds_fen: i64,
    pub value_fen: i64,
    pub written_off: bool,
    pub first_on: String,
    pub latest_post_money_fen: Option<i64>,
}

/// A fund's positions, the largest first.
pub async fn positions(db: &Db, fund_id: i64) -> Result<Vec<PositionRow>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, PositionRow>(
        "SELECT p.enterprise_id, e.name AS enterprise_name, e.chain_code, p.invested_fen, p.exited_cost_fen, \
         p.proceeds_fen, p.value_fen, p.written_off, \
         (SELECT MIN(i.invested_on) FROM investments i WHERE i.fund_id = p.fund_id AND i.enterprise_id = p.enterprise_id) AS first_on, \
         (SELECT i.post_money_fen FROM investments i WHERE i.enterprise_id = p.enterprise_id AND i.post_money_fen IS NOT NULL \
          ORDER BY i.invested_on DESC, i.id DESC LIMIT 1) AS latest_post_money_fen \
         FROM fund_positions p JOIN enterprises e ON e.id = p.enterprise_id \
         WHERE p.fund_id = $1 ORDER BY p.invested_fen DESC, e.name")
        .bind(fund_id).fetch_all(p).await)?)
}

/// A fund as the year's capital figure counts it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CapitalFund {
    pub id: i64,
    pub name: String,
    pub kind: String,
    pub parent_fund_id: Option<i64>,
    pub carrier_id: Option<i64>,
    pub size_k: i64,
    pub from_parent_k: i64,
    pub for_incubatees: bool,
    pub established_year: i64,
    pub closed_year: Option<i64>,
}

/// Every fund with what the year's capital figure reads.
pub async fn capital_funds(db: &Db) -> Result<Vec<CapitalFund>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, CapitalFund>(
        "SELECT id, name, kind, parent_fund_id, carrier_id, size_k, from_parent_k, for_incubatees, \
         established_year, closed_year FROM funds ORDER BY size_k DESC, name")
        .fetch_all(p).await)?)
}

/// A year's investments in incubatees, by carrier: the incubatees of the carrier's approved
/// report for the year, how many of them had an investment dated in the year, and how much.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CarrierFinancing {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub carrier_kind: String,
    pub incubatees: i64,
    pub financed: i64,
    pub amount_fen: i64,
}

pub async fn carrier_financing(db: &Db, year: i64) -> Result<Vec<CarrierFinancing>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, CarrierFinancing>(
        "SELECT c.id AS carrier_id, c.name AS carrier_name, c.kind AS carrier_kind, COUNT(ei.enterprise_id) AS incubatees, \
         CAST(COALESCE(SUM(CASE WHEN y.amount_fen IS NULL THEN 0 ELSE 1 END), 0) AS BIGINT) AS financed, \
         CAST(COALESCE(SUM(y.amount_fen), 0) AS BIGINT) AS amount_fen \
         FROM carrier_reports r JOIN carriers c ON c.id = r.carrier_id \
         JOIN enterprise_indicators ei ON ei.report_id = r.id \
         LEFT JOIN (SELECT enterprise_id, CAST(SUM(amount_fen) AS BIGINT) AS amount_fen FROM investments \
                    WHERE invested_on >= $2 AND invested_on <= $3 GROUP BY enterprise_id) y ON y.enterprise_id = ei.enterprise_id \
         WHERE r.year = $1 AND r.status = 'approved' \
         GROUP BY c.id, c.name, c.kind ORDER BY c.id")
        .bind(year)
        .bind(format!("{year}-01-01"))
        .bind(format!("{year}-12-31"))
        .fetch_all(p).await)?)
}

/// A year's investments over the whole city: how many, how much, in how many enterprises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct YearInvestments {
    pub investments: i64,
    pub amount_fen: i64,
    pub enterprises: i64,
}

pub async fn year_investments(db: &Db, year: i64) -> Result<YearInvestments> {
    Ok(on_db!(db, p => sqlx::query_as::<_, YearInvestments>(
        "SELECT COUNT(*) AS investments, CAST(COALESCE(SUM(amount_fen), 0) AS BIGINT) AS amount_fen, \
         COUNT(DISTINCT enterprise_id) AS enterprises FROM investments \
         WHERE invested_on >= $1 AND invested_on <= $2")
        .bind(format!("{year}-01-01"))
        .bind(format!("{year}-12-31"))
        .fetch_one(p).await)?)
}
