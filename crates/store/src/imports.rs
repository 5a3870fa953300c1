//! Importing a carrier's incubatees with their yearly indicators: what the rows are checked
//! against, read in a few queries, and their writes, many rows per statement together with their
//! audit entries, in the caller's transaction.

use std::collections::{HashMap, HashSet};

use fruition_domain::audit::AuditAction;
use fruition_domain::indicators::Indicators;
use fruition_domain::org::OrgKind;
use serde::Serialize;

use crate::audit::AuditCtx;
use crate::db::on_tx;
use crate::enterprises::{Enterprise, EnterpriseProfile, Incubation};
use crate::indicators::IndicatorRow;
use crate::{Db, Result, Tx, clock};

/// Values per lookup (`IN (…)`): well under both engines' limits on bound parameters.
const LOOKUP_BATCH: usize = 900;
/// Rows per INSERT on SQLite: at most ~22,000 bound parameters (it allows 32,766).
const WRITE_BATCH: usize = 1_000;
/// Rows per INSERT on PostgreSQL, which takes each column as one array.
const PG_BATCH: usize = 10_000;

/// The indicators an enterprise already has for the year, with the carrier whose report holds them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Filed {
    #[sqlx(flatten)]
    pub row: IndicatorRow,
    pub filed_carrier_id: Option<i64>,
    pub filed_carrier_name: Option<String>,
}

/// What the database already knows about the enterprises of an import.
#[derive(Debug, Default)]
pub struct Known {
    /// Registered enterprises, by USCC.
    pub enterprises: HashMap<String, Enterprise>,
    /// Open incubation spells, by enterprise id.
    pub open_spells: HashMap<i64, Incubation>,
    /// Enterprises with a spell at the importing carrier that overlaps the year.
    pub here_in_year: HashSet<i64>,
    /// Indicators already written for the year, by enterprise id.
    pub filed: HashMap<i64, Filed>,
    /// Organisations of kind enterprise that joined the platform, by USCC (an enterprise record
    /// is linked to its own organisation).
    pub enterprise_orgs: HashMap<String, i64>,
}

/// One registered enterprise with its open spell and its figures for the year, if any: what
/// [`known`] reads in one query per batch of codes.
#[derive(sqlx::FromRow)]
struct KnownRow {
    #[sqlx(flatten)]
    enterprise: Enterprise,
    spell_id: Option<i64>,
    spell_carrier_id: Option<i64>,
    spell_carrier_name: Option<String>,
    spell_entered_on: Option<String>,
    x_id: Option<i64>,
    x_report_id: Option<i64>,
    x_employees: Option<i64>,
    x_doctors: Option<i64>,
    x_returnees: Option<i64>,
    x_fresh_graduates: Option<i64>,
    x_high_level_talent: Option<i64>,
    x_revenue_k: Option<i64>,
    x_rd_spending_k: Option<i64>,
    x_taxes_k: Option<i64>,
    x_funding_raised_k: Option<i64>,
    x_patent_applications: Option<i64>,
    x_invention_applications: Option<i64>,
    x_patent_grants: Option<i64>,
    x_invention_grants: Option<i64>,
    x_valid_ip: Option<i64>,
    x_software_copyrights: Option<i64>,
    x_tech_contracts: Option<i64>,
    x_tech_contract_amount_k: Option<i64>,
    filed_carrier_id: Option<i64>,
    filed_carrier_name: Option<String>,
}

impl KnownRow {
    fn spell(&self) -> Option<Incubation> {
        Some(Incubation {
            id: self.spell_id?,
            enterprise_id: self.enterprise.id,
            carrier_id: self.spell_carrier_id?,
            carrier_name: self.spell_carrier_name.clone().unwrap_or_default(),
            entered_on: self.spell_entered_on.clone().unwrap_or_default(),
            exited_on: None,
            exit_kind: None,
            exit_reason: None,
        })
    }

    fn filed(&self, year: i64) -> Option<Filed> {
        let e = &self.enterprise;
        let v = |x: Option<i64>| x.unwrap_or(0);
        Some(Filed {
            row: IndicatorRow {
                id: self.x_id?,
                enterprise_id: e.id,
                uscc: e.uscc.clone(),
                enterprise_name: e.name.clone(),
                chain_code: e.chain_code.clone(),
                year,
                report_id: self.x_report_id,
                employees: v(self.x_employees),
                doctors: v(self.x_doctors),
                returnees: v(self.x_returnees),
                fresh_graduates: v(self.x_fresh_graduates),
                high_level_talent: v(self.x_high_level_talent),
                revenue_k: v(self.x_revenue_k),
                rd_spending_k: v(self.x_rd_spending_k),
                taxes_k: v(self.x_taxes_k),
                funding_raised_k: v(self.x_funding_raised_k),
                patent_applications: v(self.x_patent_applications),
                invention_applications: v(self.x_invention_applications),
                patent_grants: v(self.x_patent_grants),
                invention_grants: v(self.x_invention_grants),
                valid_ip: v(self.x_valid_ip),
                software_copyrights: v(self.x_software_copyrights),
                tech_contracts: v(self.x_tech_contracts),
                tech_contract_amount_k: v(self.x_tech_contract_amount_k),
            },
            filed_carrier_id: self.filed_carrier_id,
            filed_carrier_name: self.filed_carrier_name.clone(),
        })
    }
}

/// The enterprises with their open spell and the year's figures; the year's parameter follows.
const KNOWN_SELECT: &str = "SELECT e.id, e.uscc, e.name, e.founded_on, e.county_code, e.zone_id, e.chain_code, e.industry_division, \
    e.high_tech, e.tech_sme, e.parent_id, e.org_id, e.created_at, e.updated_at, \
    i.id AS spell_id, i.carrier_id AS spell_carrier_id, ic.name AS spell_carrier_name, i.entered_on AS spell_entered_on, \
    x.id AS x_id, x.report_id AS x_report_id, x.employees AS x_employees, x.doctors AS x_doctors, x.returnees AS x_returnees, \
    x.fresh_graduates AS x_fresh_graduates, x.high_level_talent AS x_high_level_talent, x.revenue_k AS x_revenue_k, \
    x.rd_spending_k AS x_rd_spending_k, x.taxes_k AS x_taxes_k, x.funding_raised_k AS x_funding_raised_k, \
    x.patent_applications AS x_patent_applications, x.invention_applications AS x_invention_applications, \
    x.patent_grants AS x_patent_grants, x.invention_grants AS x_invention_grants, x.valid_ip AS x_valid_ip, \
    x.software_copyrights AS x_software_copyrights, x.tech_contracts AS x_tech_contracts, \
    x.tech_contract_amount_k AS x_tech_contract_amount_k, r.carrier_id AS filed_carrier_id, rc.name AS filed_carrier_name \
    FROM enterprises e \
    LEFT JOIN incubations i ON i.enterprise_id = e.id AND i.exited_on IS NULL \
    LEFT JOIN carriers ic ON ic.id = i.carrier_id \
    LEFT JOIN enterprise_indicators x ON x.enterprise_id = e.id AND x.year = ";
/// What follows the year's parameter in [`KNOWN_SELECT`].
const KNOWN_JOINS: &str = " LEFT JOIN carrier_reports r ON r.id = x.report_id LEFT JOIN carriers rc ON rc.id = r.carrier_id";

/// Reads, inside the import's transaction, what the rows of `usccs` are checked against: per
/// batch of codes one query for the enterprises with their open spell and the year's figures,
/// one for the enterprises' own organisations; and the spells at the carrier in the year.
pub async fn known(tx: &mut Tx, carrier_id: i64, year: i64, usccs: &[String]) -> Result<Known> {
    let mut k = Known::default();
    let mut found: Vec<KnownRow> = Vec::new();
    match tx {
        // SQLite: lists of codes, which it looks up one by one in the indexes.
        Tx::Sqlite(t) => {
            for chunk in usccs.chunks(LOOKUP_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(KNOWN_SELECT);
                qb.push_bind(year);
                qb.push(KNOWN_JOINS);
                qb.push(" WHERE e.uscc IN (");
                let mut list = qb.separated(", ");
                for u in chunk {
                    list.push_bind(u);
                }
                qb.push(")");
                found.extend(qb.build_query_as::<KnownRow>().fetch_all(&mut **t).await?);
                let mut qb =
                    sqlx::QueryBuilder::new("SELECT uscc, id FROM organisations WHERE kind = ");
                qb.push_bind(OrgKind::Enterprise.code());
                qb.push(" AND uscc IN (");
                let mut list = qb.separated(", ");
                for u in chunk {
                    list.push_bind(u);
                }
                qb.push(")");
                k.enterprise_orgs.extend(
                    qb.build_query_as::<(String, i64)>()
                        .fetch_all(&mut **t)
                        .await?,
                );
            }
        }
        // PostgreSQL: all codes as one array per query, so that the plan (hash or index joins)
        // does not depend on statistics that a large earlier import may have left stale.
        Tx::Postgres(t) => {
            let sql = sqlx::AssertSqlSafe(format!(
                "{KNOWN_SELECT}$1{KNOWN_JOINS} WHERE e.uscc = ANY($2::text[])"
            ));
            found = sqlx::query_as(sql)
                .bind(year)
                .bind(usccs)
                .fetch_all(&mut **t)
                .await?;
            k.enterprise_orgs = sqlx::query_as::<_, (String, i64)>(
                "SELECT uscc, id FROM organisations WHERE kind = $1 AND uscc = ANY($2::text[])",
            )
            .bind(OrgKind::Enterprise.code())
            .bind(usccs)
            .fetch_all(&mut **t)
            .await?
            .into_iter()
            .collect();
        }
    }
    for row in found {
        if let Some(s) = row.spell() {
            k.open_spells.insert(row.enterprise.id, s);
        }
        if let Some(f) = row.filed(year) {
            k.filed.insert(row.enterprise.id, f);
        }
        k.enterprises
            .insert(row.enterprise.uscc.clone(), row.enterprise);
    }
    let start = format!("{year:04}-01-01");
    let end = format!("{year:04}-12-31");
    // Spells at this carrier that overlap the year: one range of its index.
    let here: Vec<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT enterprise_id FROM incubations WHERE carrier_id = $1 AND entered_on <= $2 AND (exited_on IS NULL OR exited_on >= $3)")
        .bind(carrier_id)
        .bind(&end)
        .bind(&start)
        .fetch_all(c)
        .await)?;
    k.here_in_year.extend(here);
    Ok(k)
}

/// Where the rows go: a carrier, its report for a year.
#[derive(Debug, Clone)]
pub struct Target {
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub year: i64,
    pub report_id: i64,
}

/// One checked row: the enterprise's profile as it is to be (`parent_id` and `org_id` final),
/// what it was, whether a spell opens, and the year's figures.
#[derive(Debug, Clone)]
pub struct ImportRow {
    pub profile: EnterpriseProfile,
    pub before: Option<Enterprise>,
    /// Opens a spell at the carrier on this date (`YYYY-MM-DD`).
    pub enter_on: Option<String>,
    pub indicators: Indicators,
    pub indicators_before: Option<IndicatorRow>,
}

/// What an import wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Written {
    pub enterprises_created: usize,
    pub enterprises_updated: usize,
    pub enterprises_unchanged: usize,
    pub spells_opened: usize,
    pub indicators_created: usize,
    pub indicators_updated: usize,
    pub indicators_unchanged: usize,
    pub audit_entries: usize,
    /// How long each statement group took (for the benchmark).
    #[serde(skip)]
    pub timings: WriteTimings,
}

/// The time spent writing each kind of row (statements only; JSON and the rest are not counted).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WriteTimings {
    pub enterprises: std::time::Duration,
    pub spells: std::time::Duration,
    pub indicators: std::time::Duration,
    pub audit: std::time::Duration,
}

/// An audit entry waiting to be written.
struct Entry {
    entity: &'static str,
    entity_id: i64,
    org_id: Option<i64>,
    action: AuditAction,
    before: Option<String>,
    after: Option<String>,
}

fn json<T: Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|e| format!("\"{e}\""))
}

fn same_profile(p: &EnterpriseProfile, e: &Enterprise) -> bool {
    p.uscc == e.uscc
        && p.name == e.name
        && p.founded_on == e.founded_on
        && p.county_code == e.county_code
        && p.zone_id == e.zone_id
        && p.chain_code == e.chain_code
        && p.industry_division == e.industry_division
        && p.high_tech == e.high_tech
        && p.tech_sme == e.tech_sme
        && p.parent_id == e.parent_id
        && p.org_id == e.org_id
}

/// Writes the rows: enterprises created or updated by USCC, spells opened, indicators upserted
/// into the report, and an audit entry (before and after) for every change. Rows whose profile
/// or figures are unchanged are not written again.
pub async fn write(
    tx: &mut Tx,
    ctx: &AuditCtx,
    target: &Target,
    rows: &[ImportRow],
) -> Result<Written> {
    let now = clock::now_ms();
    let mut w = Written::default();
    let mut audit: Vec<Entry> = Vec::with_capacity(rows.len() * 3);

    // Enterprises: upserted by USCC when new or changed.
    let changed: Vec<&ImportRow> = rows
        .iter()
        .filter(|r| {
            r.before
                .as_ref()
                .is_none_or(|b| !same_profile(&r.profile, b))
        })
        .collect();
    let mut ids: HashMap<&str, i64> = rows
        .iter()
        .filter_map(|r| r.before.as_ref().map(|b| (b.uscc.as_str(), b.id)))
        .collect();
    let started = std::time::Instant::now();
    let got: HashMap<String, i64> = upsert_enterprises(tx, &changed, now)
        .await?
        .into_iter()
        .map(|(id, u)| (u, id))
        .collect();
    w.timings.enterprises = started.elapsed();
    for r in &changed {
        let id = got.get(&r.profile.uscc).copied().unwrap_or_default();
        ids.insert(r.profile.uscc.as_str(), id);
        let p = &r.profile;
        let after = Enterprise {
            id,
            uscc: p.uscc.clone(),
            name: p.name.clone(),
            founded_on: p.founded_on.clone(),
            county_code: p.county_code.clone(),
            zone_id: p.zone_id,
            chain_code: p.chain_code.clone(),
            industry_division: p.industry_division.clone(),
            high_tech: p.high_tech,
            tech_sme: p.tech_sme,
            parent_id: p.parent_id,
            org_id: p.org_id,
            created_at: r.before.as_ref().map_or(now, |b| b.created_at),
            updated_at: now,
        };
        let action = if r.before.is_some() {
            w.enterprises_updated += 1;
            AuditAction::Update
        } else {
            w.enterprises_created += 1;
            AuditAction::Create
        };
        audit.push(Entry {
            entity: "enterprise",
            entity_id: id,
            org_id: after.org_id,
            action,
            before: r.before.as_ref().map(json),
            after: Some(json(&after)),
        });
    }
    w.enterprises_unchanged = rows.len() - changed.len();

    // Spells opened at the carrier.
    let entering: Vec<(i64, &str)> = rows
        .iter()
        .filter_map(|r| {
            let on = r.enter_on.as_deref()?;
            Some((ids.get(r.profile.uscc.as_str()).copied()?, on))
        })
        .collect();
    let started = std::time::Instant::now();
    let got: HashMap<i64, i64> = insert_spells(tx, target.carrier_id, &entering, now)
        .await?
        .into_iter()
        .map(|(id, e)| (e, id))
        .collect();
    w.timings.spells = started.elapsed();
    for (e, on) in &entering {
        let id = got.get(e).copied().unwrap_or_default();
        let spell = Incubation {
            id,
            enterprise_id: *e,
            carrier_id: target.carrier_id,
            carrier_name: target.carrier_name.clone(),
            entered_on: (*on).to_string(),
            exited_on: None,
            exit_kind: None,
            exit_reason: None,
        };
        audit.push(Entry {
            entity: "incubation",
            entity_id: id,
            org_id: Some(target.operator_org_id),
            action: AuditAction::Create,
            before: None,
            after: Some(json(&spell)),
        });
        w.spells_opened += 1;
    }

    // Indicators: upserted into the report when new or changed.
    let figures: Vec<(i64, &ImportRow)> = rows
        .iter()
        .filter_map(|r| Some((ids.get(r.profile.uscc.as_str()).copied()?, r)))
        .filter(|(_, r)| {
            r.indicators_before.as_ref().is_none_or(|b| {
                b.report_id != Some(target.report_id) || b.indicators() != r.indicators
            })
        })
        .collect();
    w.indicators_unchanged = rows.len() - figures.len();
    let started = std::time::Instant::now();
    let got: HashMap<i64, i64> = upsert_indicators(tx, target, &figures, now)
        .await?
        .into_iter()
        .map(|(id, e)| (e, id))
        .collect();
    w.timings.indicators = started.elapsed();
    for (e, r) in &figures {
        let v = &r.indicators;
        let p = &r.profile;
        let after = IndicatorRow {
            id: got.get(e).copied().unwrap_or_default(),
            enterprise_id: *e,
            uscc: p.uscc.clone(),
            enterprise_name: p.name.clone(),
            chain_code: p.chain_code.clone(),
            year: target.year,
            report_id: Some(target.report_id),
            employees: v.employees,
            doctors: v.doctors,
            returnees: v.returnees,
            fresh_graduates: v.fresh_graduates,
            high_level_talent: v.high_level_talent,
            revenue_k: v.revenue_k,
            rd_spending_k: v.rd_spending_k,
            taxes_k: v.taxes_k,
            funding_raised_k: v.funding_raised_k,
            patent_applications: v.patent_applications,
            invention_applications: v.invention_applications,
            patent_grants: v.patent_grants,
            invention_grants: v.invention_grants,
            valid_ip: v.valid_ip,
            software_copyrights: v.software_copyrights,
            tech_contracts: v.tech_contracts,
            tech_contract_amount_k: v.tech_contract_amount_k,
        };
        let action = if r.indicators_before.is_some() {
            w.indicators_updated += 1;
            AuditAction::Update
        } else {
            w.indicators_created += 1;
            AuditAction::Create
        };
        audit.push(Entry {
            entity: "enterprise_indicators",
            entity_id: after.id,
            org_id: Some(target.operator_org_id),
            action,
            before: r.indicators_before.as_ref().map(json),
            after: Some(json(&after)),
        });
    }

    let started = std::time::Instant::now();
    insert_audit(tx, ctx, &audit, now).await?;
    w.timings.audit = started.elapsed();
    w.audit_entries = audit.len();
    Ok(w)
}

// Each write below is one statement per batch. SQLite takes many rows per INSERT … VALUES;
// PostgreSQL takes one array per column (`UNNEST`), which it parses and binds far faster than
// thousands of separate parameters.

const ENTERPRISE_UPDATE: &str = " ON CONFLICT (uscc) DO UPDATE SET name = excluded.name, founded_on = excluded.founded_on, \
    county_code = excluded.county_code, zone_id = excluded.zone_id, chain_code = excluded.chain_code, \
    industry_division = excluded.industry_division, high_tech = excluded.high_tech, tech_sme = excluded.tech_sme, \
    parent_id = excluded.parent_id, org_id = excluded.org_id, updated_at = excluded.updated_at RETURNING id, uscc";

/// Inserts or updates the enterprises by USCC; returns (id, USCC) of each.
async fn upsert_enterprises(
    tx: &mut Tx,
    rows: &[&ImportRow],
    now: i64,
) -> Result<Vec<(i64, String)>> {
    let mut out = Vec::with_capacity(rows.len());
    match tx {
        Tx::Sqlite(t) => {
            for chunk in rows.chunks(WRITE_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO enterprises (uscc, name, founded_on, county_code, zone_id, chain_code, industry_division, high_tech, \
                     tech_sme, parent_id, org_id, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, r| {
                    let p = &r.profile;
                    b.push_bind(&p.uscc)
                        .push_bind(&p.name)
                        .push_bind(&p.founded_on)
                        .push_bind(&p.county_code)
                        .push_bind(p.zone_id)
                        .push_bind(&p.chain_code)
                        .push_bind(&p.industry_division)
                        .push_bind(p.high_tech)
                        .push_bind(p.tech_sme)
                        .push_bind(p.parent_id)
                        .push_bind(p.org_id)
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(ENTERPRISE_UPDATE);
                out.extend(
                    qb.build_query_as::<(i64, String)>()
                        .fetch_all(&mut **t)
                        .await?,
                );
            }
        }
        Tx::Postgres(t) => {
            for chunk in rows.chunks(PG_BATCH) {
                let col =
                    |f: &dyn Fn(&EnterpriseProfile) -> Option<String>| -> Vec<Option<String>> {
                        chunk.iter().map(|r| f(&r.profile)).collect()
                    };
                let id = |f: &dyn Fn(&EnterpriseProfile) -> Option<i64>| -> Vec<Option<i64>> {
                    chunk.iter().map(|r| f(&r.profile)).collect()
                };
                let flag = |f: &dyn Fn(&EnterpriseProfile) -> bool| -> Vec<bool> {
                    chunk.iter().map(|r| f(&r.profile)).collect()
                };
                let sql = sqlx::AssertSqlSafe(format!(
                    "INSERT INTO enterprises (uscc, name, founded_on, county_code, zone_id, chain_code, industry_division, high_tech, \
                     tech_sme, parent_id, org_id, created_at, updated_at) \
                     SELECT v.*, $12, $12 FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], \
                     $7::text[], $8::bool[], $9::bool[], $10::bigint[], $11::bigint[]) AS v{ENTERPRISE_UPDATE}"
                ));
                let got: Vec<(i64, String)> = sqlx::query_as(sql)
                    .bind(col(&|p| Some(p.uscc.clone())))
                    .bind(col(&|p| Some(p.name.clone())))
                    .bind(col(&|p| p.founded_on.clone()))
                    .bind(col(&|p| Some(p.county_code.clone())))
                    .bind(id(&|p| p.zone_id))
                    .bind(col(&|p| p.chain_code.clone()))
                    .bind(col(&|p| p.industry_division.clone()))
                    .bind(flag(&|p| p.high_tech))
                    .bind(flag(&|p| p.tech_sme))
                    .bind(id(&|p| p.parent_id))
                    .bind(id(&|p| p.org_id))
                    .bind(now)
                    .fetch_all(&mut **t)
                    .await?;
                out.extend(got);
            }
        }
    }
    Ok(out)
}

/// Opens spells at the carrier; returns (id, enterprise id) of each.
async fn insert_spells(
    tx: &mut Tx,
    carrier_id: i64,
    rows: &[(i64, &str)],
    now: i64,
) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::with_capacity(rows.len());
    match tx {
        Tx::Sqlite(t) => {
            for chunk in rows.chunks(WRITE_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO incubations (enterprise_id, carrier_id, entered_on, created_at, updated_at) ",
                );
                qb.push_values(chunk, |mut b, (e, on)| {
                    b.push_bind(*e)
                        .push_bind(carrier_id)
                        .push_bind(*on)
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(" RETURNING id, enterprise_id");
                out.extend(
                    qb.build_query_as::<(i64, i64)>()
                        .fetch_all(&mut **t)
                        .await?,
                );
            }
        }
        Tx::Postgres(t) => {
            for chunk in rows.chunks(PG_BATCH) {
                let got: Vec<(i64, i64)> = sqlx::query_as(
                    "INSERT INTO incubations (enterprise_id, carrier_id, entered_on, created_at, updated_at) \
                     SELECT v.e, $2, v.d, $4, $4 FROM UNNEST($1::bigint[], $3::text[]) AS v(e, d) RETURNING id, enterprise_id",
                )
                .bind(chunk.iter().map(|(e, _)| *e).collect::<Vec<i64>>())
                .bind(carrier_id)
                .bind(chunk.iter().map(|(_, d)| (*d).to_string()).collect::<Vec<String>>())
                .bind(now)
                .fetch_all(&mut **t)
                .await?;
                out.extend(got);
            }
        }
    }
    Ok(out)
}

const INDICATOR_COLUMNS: &str = "INSERT INTO enterprise_indicators (enterprise_id, year, report_id, employees, doctors, returnees, \
    fresh_graduates, high_level_talent, revenue_k, rd_spending_k, taxes_k, funding_raised_k, patent_applications, \
    invention_applications, patent_grants, invention_grants, valid_ip, software_copyrights, tech_contracts, tech_contract_amount_k, \
    created_at, updated_at) ";

const INDICATOR_UPDATE: &str = " ON CONFLICT (enterprise_id, year) DO UPDATE SET report_id = excluded.report_id, \
    employees = excluded.employees, doctors = excluded.doctors, returnees = excluded.returnees, \
    fresh_graduates = excluded.fresh_graduates, high_level_talent = excluded.high_level_talent, revenue_k = excluded.revenue_k, \
    rd_spending_k = excluded.rd_spending_k, taxes_k = excluded.taxes_k, funding_raised_k = excluded.funding_raised_k, \
    patent_applications = excluded.patent_applications, invention_applications = excluded.invention_applications, \
    patent_grants = excluded.patent_grants, invention_grants = excluded.invention_grants, valid_ip = excluded.valid_ip, \
    software_copyrights = excluded.software_copyrights, tech_contracts = excluded.tech_contracts, \
    tech_contract_amount_k = excluded.tech_contract_amount_k, updated_at = excluded.updated_at RETURNING id, enterprise_id";

/// Writes the year's figures into the report; returns (id, enterprise id) of each row.
async fn upsert_indicators(
    tx: &mut Tx,
    target: &Target,
    rows: &[(i64, &ImportRow)],
    now: i64,
) -> Result<Vec<(i64, i64)>> {
    let mut out = Vec::with_capacity(rows.len());
    match tx {
        Tx::Sqlite(t) => {
            for chunk in rows.chunks(WRITE_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(INDICATOR_COLUMNS);
                qb.push_values(chunk, |mut b, (e, r)| {
                    let v = &r.indicators;
                    b.push_bind(*e)
                        .push_bind(target.year)
                        .push_bind(target.report_id)
                        .push_bind(v.employees)
                        .push_bind(v.doctors)
                        .push_bind(v.returnees)
                        .push_bind(v.fresh_graduates)
                        .push_bind(v.high_level_talent)
                        .push_bind(v.revenue_k)
                        .push_bind(v.rd_spending_k)
                        .push_bind(v.taxes_k)
                        .push_bind(v.funding_raised_k)
                        .push_bind(v.patent_applications)
                        .push_bind(v.invention_applications)
                        .push_bind(v.patent_grants)
                        .push_bind(v.invention_grants)
                        .push_bind(v.valid_ip)
                        .push_bind(v.software_copyrights)
                        .push_bind(v.tech_contracts)
                        .push_bind(v.tech_contract_amount_k)
                        .push_bind(now)
                        .push_bind(now);
                });
                qb.push(INDICATOR_UPDATE);
                out.extend(
                    qb.build_query_as::<(i64, i64)>()
                        .fetch_all(&mut **t)
                        .await?,
                );
            }
        }
        Tx::Postgres(t) => {
            for chunk in rows.chunks(PG_BATCH) {
                let sql = sqlx::AssertSqlSafe(format!(
                    "{INDICATOR_COLUMNS} SELECT v.e, $2, $3, v.a, v.b, v.c, v.d, v.f, v.g, v.h, v.i, v.j, v.k, v.l, v.m, v.n, v.o, v.p, v.q, v.r, $21, $21 \
                     FROM UNNEST($1::bigint[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], \
                     $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[], \
                     $19::bigint[], $20::bigint[]) AS v(e, a, b, c, d, f, g, h, i, j, k, l, m, n, o, p, q, r){INDICATOR_UPDATE}"
                ));
                let col = |f: fn(&Indicators) -> i64| -> Vec<i64> {
                    chunk.iter().map(|(_, r)| f(&r.indicators)).collect()
                };
                let got: Vec<(i64, i64)> = sqlx::query_as(sql)
                    .bind(chunk.iter().map(|(e, _)| *e).collect::<Vec<i64>>())
                    .bind(target.year)
                    .bind(target.report_id)
                    .bind(col(|v| v.employees))
                    .bind(col(|v| v.doctors))
                    .bind(col(|v| v.returnees))
                    .bind(col(|v| v.fresh_graduates))
                    .bind(col(|v| v.high_level_talent))
                    .bind(col(|v| v.revenue_k))
                    .bind(col(|v| v.rd_spending_k))
                    .bind(col(|v| v.taxes_k))
                    .bind(col(|v| v.funding_raised_k))
                    .bind(col(|v| v.patent_applications))
                    .bind(col(|v| v.invention_applications))
                    .bind(col(|v| v.patent_grants))
                    .bind(col(|v| v.invention_grants))
                    .bind(col(|v| v.valid_ip))
                    .bind(col(|v| v.software_copyrights))
                    .bind(col(|v| v.tech_contracts))
                    .bind(col(|v| v.tech_contract_amount_k))
                    .bind(now)
                    .fetch_all(&mut **t)
                    .await?;
                out.extend(got);
            }
        }
    }
    Ok(out)
}

/// Appends the audit entries, all stamped with the same time and actor.
async fn insert_audit(tx: &mut Tx, ctx: &AuditCtx, entries: &[Entry], now: i64) -> Result<()> {
    match tx {
        Tx::Sqlite(t) => {
            for chunk in entries.chunks(WRITE_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(
                    "INSERT INTO audit_log (at, actor_user_id, actor_login, actor_org_id, entity, entity_id, action, org_id, before_json, \
                     after_json, ip) ",
                );
                qb.push_values(chunk, |mut b, a| {
                    b.push_bind(now)
                        .push_bind(ctx.actor_user_id)
                        .push_bind(&ctx.actor_login)
                        .push_bind(ctx.actor_org_id)
                        .push_bind(a.entity)
                        .push_bind(a.entity_id.to_string())
                        .push_bind(a.action.code())
                        .push_bind(a.org_id)
                        .push_bind(&a.before)
                        .push_bind(&a.after)
                        .push_bind(&ctx.ip);
                });
                qb.build().execute(&mut **t).await?;
            }
        }
        // PostgreSQL: COPY, the fastest way in for many rows of text.
        Tx::Postgres(t) => {
            let mut copy = t
                .copy_in_raw(
                    "COPY audit_log (at, actor_user_id, actor_login, actor_org_id, entity, entity_id, action, org_id, before_json, \
                     after_json, ip) FROM STDIN",
                )
                .await?;
            let fixed_head = format!(
                "{now}\t{}\t{}\t{}\t",
                copy_text(ctx.actor_user_id.map(|v| v.to_string()).as_deref()),
                copy_text(Some(&ctx.actor_login)),
                copy_text(ctx.actor_org_id.map(|v| v.to_string()).as_deref()),
            );
            let ip = copy_text(ctx.ip.as_deref());
            let mut buf = String::with_capacity(4 << 20);
            for a in entries {
                buf.push_str(&fixed_head);
                buf.push_str(a.entity);
                buf.push('\t');
                buf.push_str(&a.entity_id.to_string());
                buf.push('\t');
                buf.push_str(a.action.code());
                buf.push('\t');
                buf.push_str(&copy_text(a.org_id.map(|v| v.to_string()).as_deref()));
                buf.push('\t');
                buf.push_str(&copy_text(a.before.as_deref()));
                buf.push('\t');
                buf.push_str(&copy_text(a.after.as_deref()));
                buf.push('\t');
                buf.push_str(&ip);
                buf.push('\n');
                if buf.len() >= 4 << 20 {
                    copy.send(std::mem::take(&mut buf).into_bytes()).await?;
                }
            }
            if !buf.is_empty() {
                copy.send(buf.into_bytes()).await?;
            }
            copy.finish().await?;
        }
    }
    Ok(())
}

/// After a large import, refreshes PostgreSQL's statistics of the tables it filled, so that the
/// next queries (a re-import's lookups, the statistics) are planned for their real size rather
/// than waiting for autovacuum. SQLite plans by its indexes alone and needs nothing.
pub async fn refresh_statistics(db: &Db) -> Result<()> {
    if let Db::Postgres(p) = db {
        sqlx::query("ANALYZE enterprises, incubations, enterprise_indicators")
            .execute(p)
            .await?;
    }
    Ok(())
}

/// A value in COPY's text format: `\N` for NULL; backslash, tab, newline and carriage return
/// escaped.
fn copy_text(v: Option<&str>) -> String {
    match v {
        None => "\\N".to_string(),
        Some(s) => {
            let mut out = String::with_capacity(s.len());
            for c in s.chars() {
                match c {
                    '\\' => out.push_str("\\\\"),
                    '\t' => out.push_str("\\t"),
                    '\n' => out.push_str("\\n"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::copy_text;

    #[test]
    fn copy_text_escapes_what_copy_reads_specially() {
        assert_eq!(copy_text(None), "\\N");
        assert_eq!(copy_text(Some("a\tb\nc\\d\re")), "a\\tb\\nc\\\\d\\re");
        assert_eq!(
            copy_text(Some("{\"name\":\"株洲\"}")),
            "{\"name\":\"株洲\"}"
        );
    }
}
