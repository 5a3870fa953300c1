//! Enterprises' yearly indicators, each filed in a carrier's yearly report.

use fruition_domain::audit::AuditAction;
use fruition_domain::indicators::Indicators;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// One enterprise's figures for one year, with the enterprise's identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct IndicatorRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub uscc: String,
    pub enterprise_name: String,
    pub chain_code: Option<String>,
    pub year: i64,
    pub report_id: Option<i64>,
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

impl IndicatorRow {
    pub fn indicators(&self) -> Indicators {
        Indicators {
            employees: self.employees,
            doctors: self.doctors,
            returnees: self.returnees,
            fresh_graduates: self.fresh_graduates,
            high_level_talent: self.high_level_talent,
            revenue_k: self.revenue_k,
            rd_spending_k: self.rd_spending_k,
            taxes_k: self.taxes_k,
            funding_raised_k: self.funding_raised_k,
            patent_applications: self.patent_applications,
            invention_applications: self.invention_applications,
            patent_grants: self.patent_grants,
            invention_grants: self.invention_grants,
            valid_ip: self.valid_ip,
            software_copyrights: self.software_copyrights,
            tech_contracts: self.tech_contracts,
            tech_contract_amount_k: self.tech_contract_amount_k,
        }
    }
}

macro_rules! indicator_select {
    () => {
        "SELECT x.id, x.enterprise_id, e.uscc, e.name AS enterprise_name, e.chain_code, x.year, x.report_id, x.employees, x.doctors, x.returnees, \
         x.fresh_graduates, x.high_level_talent, x.revenue_k, x.rd_spending_k, x.taxes_k, x.funding_raised_k, x.patent_applications, \
         x.invention_applications, x.patent_grants, x.invention_grants, x.valid_ip, x.software_copyrights, x.tech_contracts, \
         x.tech_contract_amount_k FROM enterprise_indicators x JOIN enterprises e ON e.id = x.enterprise_id"
    };
}

pub async fn for_report(db: &Db, report_id: i64) -> Result<Vec<IndicatorRow>> {
    let sql = concat!(
        indicator_select!(),
        " WHERE x.report_id = $1 ORDER BY e.name"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, IndicatorRow>(sql).bind(report_id).fetch_all(p).await)?)
}

pub async fn for_enterprise(db: &Db, enterprise_id: i64) -> Result<Vec<IndicatorRow>> {
    let sql = concat!(
        indicator_select!(),
        " WHERE x.enterprise_id = $1 ORDER BY x.year"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, IndicatorRow>(sql).bind(enterprise_id).fetch_all(p).await)?,
    )
}

/// The figures of the year before, for the year-on-year checks.
pub async fn previous(db: &Db, enterprise_id: i64, year: i64) -> Result<Option<IndicatorRow>> {
    let sql = concat!(
        indicator_select!(),
        " WHERE x.enterprise_id = $1 AND x.year = $2"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, IndicatorRow>(sql).bind(enterprise_id).bind(year - 1).fetch_optional(p).await)?,
    )
}

async fn get_in(tx: &mut Tx, enterprise_id: i64, year: i64) -> Result<Option<IndicatorRow>> {
    let sql = concat!(
        indicator_select!(),
        " WHERE x.enterprise_id = $1 AND x.year = $2"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, IndicatorRow>(sql).bind(enterprise_id).bind(year).fetch_optional(c).await)?,
    )
}

/// Writes an enterprise's figures for a year into a report. Figures already filed in another
/// carrier's report for that year are refused (409 on `enterprise_id`).
pub async fn upsert(
    tx: &mut Tx,
    ctx: &AuditCtx,
    enterprise_id: i64,
    year: i64,
    report_id: i64,
    org_id: i64,
    v: &Indicators,
) -> Result<IndicatorRow> {
    let before = get_in(tx, enterprise_id, year).await?;
    if let Some(b) = &before
        && b.report_id.is_some_and(|r| r != report_id)
    {
        return Err(StoreError::Conflict {
            field: "enterprise_id".into(),
        });
    }
    let now = clock::now_ms();
    let sql = "INSERT INTO enterprise_indicators (enterprise_id, year, report_id, employees, doctors, returnees, fresh_graduates, high_level_talent, \
               revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, patent_grants, invention_grants, \
               valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k, created_at, updated_at) \
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21) \
               ON CONFLICT (enterprise_id, year) DO UPDATE SET report_id = excluded.report_id, employees = excluded.employees, \
               doctors = excluded.doctors, returnees = excluded.returnees, fresh_graduates = excluded.fresh_graduates, \
               high_level_talent = excluded.high_level_talent, revenue_k = excluded.revenue_k, rd_spending_k = excluded.rd_spending_k, \
               taxes_k = excluded.taxes_k, funding_raised_k = excluded.funding_raised_k, patent_applications = excluded.patent_applications, \
               invention_applications = excluded.invention_applications, patent_grants = excluded.patent_grants, \
               invention_grants = excluded.invention_grants, valid_ip = excluded.valid_ip, software_copyrights = excluded.software_copyrights, \
               tech_contracts = excluded.tech_contracts, tech_contract_amount_k = excluded.tech_contract_amount_k, updated_at = excluded.updated_at";
    on_tx!(tx, c => sqlx::query(sql)
        .bind(enterprise_id)
        .bind(year)
        .bind(report_id)
        .bind(v.employees)
        .bind(v.doctors)
        .bind(v.returnees)
        .bind(v.fresh_graduates)
        .bind(v.high_level_talent)
        .bind(v.revenue_k)
        .bind(v.rd_spending_k)
        .bind(v.taxes_k)
        .bind(v.funding_raised_k)
        .bind(v.patent_applications)
        .bind(v.invention_applications)
        .bind(v.patent_grants)
        .bind(v.invention_grants)
        .bind(v.valid_ip)
        .bind(v.software_copyrights)
        .bind(v.tech_contracts)
        .bind(v.tech_contract_amount_k)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, enterprise_id, year)
        .await?
        .ok_or(StoreError::NotFound)?;
    let action = if before.is_some() {
        AuditAction::Update
    } else {
        AuditAction::Create
    };
    audit::record(
        tx,
        ctx,
        Change {
            entity: "enterprise_indicators",
            entity_id: after.id,
            org_id: Some(org_id),
            action,
            before: before.as_ref(),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Removes an enterprise's figures from a report (while the report is editable).
pub async fn remove(
    tx: &mut Tx,
    ctx: &AuditCtx,
    enterprise_id: i64,
    year: i64,
    report_id: i64,
    org_id: i64,
) -> Result<()> {
    let before = get_in(tx, enterprise_id, year)
        .await?
        .filter(|b| b.report_id == Some(report_id))
        .ok_or(StoreError::NotFound)?;
    on_tx!(tx, c => sqlx::query("DELETE FROM enterprise_indicators WHERE id = $1").bind(before.id).execute(c).await.map(|r| r.rows_affected()))?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "enterprise_indicators",
            entity_id: before.id,
            org_id: Some(org_id),
            action: AuditAction::Delete,
            before: Some(&before),
            after: None,
        },
    )
    .await?;
    Ok(())
}
