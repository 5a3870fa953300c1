//! Carriers' yearly reports and their review history.

use fruition_domain::audit::AuditAction;
use fruition_domain::report::{ReportStatus, ReviewAction};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// A carrier's own figures for the year (the incubator survey's carrier part).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct CarrierFigures {
    /// 管理机构从业人员 — staff of the carrier's operator.
    pub staff: Option<i64>,
    /// 创业导师 — mentors.
    pub mentors: Option<i64>,
    /// 场地面积（平方米） — floor area.
    pub floor_area_m2: Option<i64>,
    /// 孵化基金（千元） — the carrier's own incubation fund.
    pub incubation_fund_k: Option<i64>,
    /// 举办创新创业活动（场） — events held.
    pub events_held: Option<i64>,
    /// 当年毕业企业 — enterprises graduated in the year.
    pub graduated_in_year: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Report {
    pub id: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub status: ReportStatus,
    pub staff: Option<i64>,
    pub mentors: Option<i64>,
    pub floor_area_m2: Option<i64>,
    pub incubation_fund_k: Option<i64>,
    pub events_held: Option<i64>,
    pub graduated_in_year: Option<i64>,
    pub submitted_at: Option<i64>,
    pub decided_at: Option<i64>,
    /// How many enterprises' indicators the report holds.
    pub incubatees: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Report {
    pub fn figures(&self) -> CarrierFigures {
        CarrierFigures {
            staff: self.staff,
            mentors: self.mentors,
            floor_area_m2: self.floor_area_m2,
            incubation_fund_k: self.incubation_fund_k,
            events_held: self.events_held,
            graduated_in_year: self.graduated_in_year,
        }
    }
}

macro_rules! report_select {
    () => {
        "SELECT r.id, r.carrier_id, c.name AS carrier_name, c.operator_org_id, r.year, r.status, r.staff, r.mentors, r.floor_area_m2, \
         r.incubation_fund_k, r.events_held, r.graduated_in_year, r.submitted_at, r.decided_at, \
         (SELECT COUNT(*) FROM enterprise_indicators x WHERE x.report_id = r.id) AS incubatees, r.created_at, r.updated_at \
         FROM carrier_reports r JOIN carriers c ON c.id = r.carrier_id"
    };
}

pub async fn get(db: &Db, id: i64) -> Result<Option<Report>> {
    let sql = concat!(report_select!(), " WHERE r.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, Report>(sql).bind(id).fetch_optional(p).await)?)
}

pub async fn get_in(tx: &mut Tx, id: i64) -> Result<Report> {
    let sql = concat!(report_select!(), " WHERE r.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, Report>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

pub async fn find(db: &Db, carrier_id: i64, year: i64) -> Result<Option<Report>> {
    let sql = concat!(report_select!(), " WHERE r.carrier_id = $1 AND r.year = $2");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Report>(sql).bind(carrier_id).bind(year).fetch_optional(p).await)?,
    )
}

/// The report of a carrier for a year, created as a draft if there is none yet.
pub async fn get_or_create(
    tx: &mut Tx,
    ctx: &AuditCtx,
    carrier_id: i64,
    year: i64,
) -> Result<Report> {
    let sql = concat!(report_select!(), " WHERE r.carrier_id = $1 AND r.year = $2");
    if let Some(r) = on_tx!(tx, c => sqlx::query_as::<_, Report>(sql).bind(carrier_id).bind(year).fetch_optional(c).await)?
    {
        return Ok(r);
    }
    let now = clock::now_ms();
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO carrier_reports (carrier_id, year, status, created_at, updated_at) VALUES ($1, $2, 'draft', $3, $3) RETURNING id")
        .bind(carrier_id)
        .bind(year)
        .bind(now)
        .fetch_one(c)
        .await)?;
    let report = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "carrier_report",
            entity_id: id,
            org_id: Some(report.operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(&report),
        },
    )
    .await?;
    Ok(report)
}

pub async fn set_figures(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    f: &CarrierFigures,
) -> Result<Report> {
    let before = get_in(tx, id).await?;
    on_tx!(tx, c => sqlx::query(
        "UPDATE carrier_reports SET staff = $2, mentors = $3, floor_area_m2 = $4, incubation_fund_k = $5, events_held = $6, graduated_in_year = $7, updated_at = $8 WHERE id = $1")
        .bind(id)
        .bind(f.staff)
        .bind(f.mentors)
        .bind(f.floor_area_m2)
        .bind(f.incubation_fund_k)
        .bind(f.events_held)
        .bind(f.graduated_in_year)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "carrier_report",
            entity_id: id,
            org_id: Some(after.operator_org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Moves a report from `from` to `to` (refused with a conflict if it is no longer in `from`) and
/// records the review step with its comment.
pub async fn transition(
    tx: &mut Tx,
    ctx: &AuditCtx,
    id: i64,
    from: ReportStatus,
    to: ReportStatus,
    action: ReviewAction,
    comment: Option<&str>,
) -> Result<Report> {
    let before = get_in(tx, id).await?;
    let now = clock::now_ms();
    let (submitted, decided) = match to {
        ReportStatus::Submitted => (Some(now), None),
        ReportStatus::Approved | ReportStatus::Returned => (before.submitted_at, Some(now)),
        ReportStatus::Draft => (None, None),
    };
    let changed = on_tx!(tx, c => sqlx::query("UPDATE carrier_reports SET status = $3, submitted_at = $4, decided_at = $5, updated_at = $6 WHERE id = $1 AND status = $2")
        .bind(id)
        .bind(from.code())
        .bind(to.code())
        .bind(submitted)
        .bind(decided)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    // The statistics read an approved report's sums by chain; they follow the report in and out of approval.
    if from == ReportStatus::Approved {
        on_tx!(tx, c => sqlx::query("DELETE FROM report_totals WHERE report_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query("DELETE FROM report_rollups WHERE report_id = $1").bind(id).execute(c).await.map(|r| r.rows_affected()))?;
    }
    if to == ReportStatus::Approved {
        on_tx!(tx, c => sqlx::query(ROLLUP_SQL).bind(id).execute(c).await.map(|r| r.rows_affected()))?;
        on_tx!(tx, c => sqlx::query(TOTALS_SQL).bind(Some(id)).execute(c).await.map(|r| r.rows_affected()))?;
    }
    on_tx!(tx, c => sqlx::query("INSERT INTO report_reviews (report_id, action, comment, actor_user_id, at) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(action.code())
        .bind(comment)
        .bind(ctx.actor_user_id)
        .bind(now)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let after = get_in(tx, id).await?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "carrier_report",
            entity_id: id,
            org_id: Some(after.operator_org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

/// Sums an approved report's indicators by the enterprises' chain ('' for none).
const ROLLUP_SQL: &str = "INSERT INTO report_rollups (report_id, chain_code, incubatees, employees, doctors, returnees, fresh_graduates, \
     high_level_talent, revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, patent_grants, \
     invention_grants, valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k) \
     SELECT x.report_id, COALESCE(e.chain_code, ''), COUNT(*), SUM(x.employees), SUM(x.doctors), SUM(x.returnees), SUM(x.fresh_graduates), \
     SUM(x.high_level_talent), SUM(x.revenue_k), SUM(x.rd_spending_k), SUM(x.taxes_k), SUM(x.funding_raised_k), SUM(x.patent_applications), \
     SUM(x.invention_applications), SUM(x.patent_grants), SUM(x.invention_grants), SUM(x.valid_ip), SUM(x.software_copyrights), \
     SUM(x.tech_contracts), SUM(x.tech_contract_amount_k) \
     FROM enterprise_indicators x JOIN enterprises e ON e.id = x.enterprise_id WHERE x.report_id = $1 GROUP BY x.report_id, COALESCE(e.chain_code, '')";

/// Sums an approved report's by-chain rows into its one totals row (every approved report's when
/// `$1` is NULL).
pub(crate) const TOTALS_SQL: &str = "INSERT INTO report_totals (report_id, year, carrier_id, incubatees, employees, doctors, returnees, \
     fresh_graduates, high_level_talent, revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, invention_applications, \
     patent_grants, invention_grants, valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k) \
     SELECT u.report_id, r.year, r.carrier_id, SUM(u.incubatees), SUM(u.employees), SUM(u.doctors), SUM(u.returnees), SUM(u.fresh_graduates), \
     SUM(u.high_level_talent), SUM(u.revenue_k), SUM(u.rd_spending_k), SUM(u.taxes_k), SUM(u.funding_raised_k), SUM(u.patent_applications), \
     SUM(u.invention_applications), SUM(u.patent_grants), SUM(u.invention_grants), SUM(u.valid_ip), SUM(u.software_copyrights), \
     SUM(u.tech_contracts), SUM(u.tech_contract_amount_k) \
     FROM report_rollups u JOIN carrier_reports r ON r.id = u.report_id WHERE ($1 IS NULL OR u.report_id = $1) \
     GROUP BY u.report_id, r.year, r.carrier_id";

/// One step in a report's review history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Review {
    pub id: i64,
    #[sqlx(try_from = "String")]
    pub action: ReviewAction,
    pub comment: Option<String>,
    pub actor_login: Option<String>,
    pub at: i64,
}

pub async fn reviews(db: &Db, report_id: i64) -> Result<Vec<Review>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Review>(
        "SELECT v.id, v.action, v.comment, u.login AS actor_login, v.at FROM report_reviews v LEFT JOIN users u ON u.id = v.actor_user_id \
         WHERE v.report_id = $1 ORDER BY v.at, v.id")
        .bind(report_id)
        .fetch_all(p)
        .await)?)
}

/// Reports of a year, optionally in one status or of one operator's carriers.
pub async fn list(
    db: &Db,
    year: Option<i64>,
    status: Option<ReportStatus>,
    operator_org_id: Option<i64>,
) -> Result<Vec<Report>> {
    let sql = concat!(
        report_select!(),
        " WHERE ($1 IS NULL OR r.year = $1) AND ($2 IS NULL OR r.status = $2) AND ($3 IS NULL OR c.operator_org_id = $3) ORDER BY r.year DESC, c.name"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, Report>(sql).bind(year).bind(status.map(|s| s.code())).bind(operator_org_id).fetch_all(p).await)?,
    )
}

/// A carrier whose report for the year is not approved yet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Late {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub operator_name: String,
    /// The report's status, or None when none was started.
    pub status: Option<String>,
}

/// Carriers in the registry that year (established by then, not revoked before its end) without an
/// approved report.
pub async fn late(db: &Db, year: i64) -> Result<Vec<Late>> {
    let year_end = format!("{year:04}-12-31");
    Ok(on_db!(db, p => sqlx::query_as::<_, Late>(
        "SELECT c.id AS carrier_id, c.name AS carrier_name, c.operator_org_id, o.name AS operator_name, r.status FROM carriers c \
         JOIN organisations o ON o.id = c.operator_org_id \
         LEFT JOIN carrier_reports r ON r.carrier_id = c.id AND r.year = $1 \
         WHERE c.established_year <= $1 AND (c.revoked_on IS NULL OR c.revoked_on > $2) AND (r.status IS NULL OR r.status <> 'approved') \
         ORDER BY c.name")
        .bind(year)
        .bind(&year_end)
        .fetch_all(p)
        .await)?)
}

/// The deadline the bureau set for a year's reports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Deadline {
    pub year: i64,
    /// `YYYY-MM-DD`, China time: the last day a report is on time (in the audit log as
    /// `deadline`, whose word is 截止日期).
    #[serde(rename = "deadline")]
    pub due_on: String,
    /// Who and when: the audit entry holds them already.
    #[serde(skip)]
    pub set_by: Option<i64>,
    #[serde(skip)]
    pub set_at: i64,
}

/// The deadline set for `year`, if the bureau set one.
pub async fn deadline(db: &Db, year: i64) -> Result<Option<Deadline>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, Deadline>(
        "SELECT year, due_on, set_by, set_at FROM report_deadlines WHERE year = $1")
        .bind(year)
        .fetch_optional(p)
        .await)?)
}

/// Sets (or moves) the deadline for `year`, with its audit entry (the day before and after).
pub async fn set_deadline(
    tx: &mut Tx,
    ctx: &AuditCtx,
    year: i64,
    due_on: &str,
) -> Result<Deadline> {
    let before = on_tx!(tx, c => sqlx::query_as::<_, Deadline>(
        "SELECT year, due_on, set_by, set_at FROM report_deadlines WHERE year = $1")
        .bind(year)
        .fetch_optional(c)
        .await)?;
    let after = Deadline {
        year,
        due_on: due_on.to_string(),
        set_by: ctx.actor_user_id,
        set_at: clock::now_ms(),
    };
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO report_deadlines (year, due_on, set_by, set_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (year) DO UPDATE SET due_on = excluded.due_on, set_by = excluded.set_by, set_at = excluded.set_at")
        .bind(after.year)
        .bind(&after.due_on)
        .bind(after.set_by)
        .bind(after.set_at)
        .execute(c)
        .await
        .map(|_| ()))?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "report_deadline",
            entity_id: year,
            org_id: None,
            action: if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            before: before.as_ref(),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}
