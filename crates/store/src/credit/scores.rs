//! The bureau's scorecards and the enterprises' credit scores.
//!
//! - **Scorecards**: one row per version, never changed (JSON of
//!   `fruition_domain::credit::Scorecard`); the highest version is in force.
//! - **Facts**: what a score reads about an enterprise — the figures of the latest year (up to a
//!   given year) filed in an *approved* yearly report, the high-tech and tech-SME flags, the
//!   创新积分 where supplied, and the negative list: the bureau's live notes plus an overdue loan
//!   (a loan of the enterprise overdue or defaulted). Read for one enterprise or for all at once.
//! - **Scores**: one row per enterprise, version and data date, with the score and its working as
//!   JSON (`fruition_domain::credit::Score`); written in batches (one `INSERT … VALUES` per
//!   thousand rows on SQLite, one `INSERT … SELECT FROM UNNEST(arrays)` per ten thousand on
//!   PostgreSQL). Scoring again with the same version on the same data date replaces the row and
//!   stamps it anew.
//! - **The negative list** the bureau keeps (`credit_exclusions`), noted and lifted with audit
//!   entries.

use std::collections::HashMap;

use fruition_domain::audit::AuditAction;
use fruition_domain::credit::{Exclusion, Facts, Indicator, Score, Scorecard};
use fruition_domain::date::IsoDate;
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// Score rows per statement on SQLite (9 parameters a row, well under its limit).
const SQLITE_BATCH: usize = 1_000;
/// Score rows per statement on PostgreSQL (one array per column, so no parameter limit).
const PG_BATCH: usize = 10_000;

// ---------------------------------------------------------------------------------------------
// Scorecards

/// A stored version of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ScorecardRow {
    pub version: i64,
    /// JSON of `fruition_domain::credit::Scorecard`.
    pub card_json: String,
    pub note: String,
    /// Who made it; None for the shipped default stored by the platform.
    pub created_by: Option<i64>,
    pub created_by_login: Option<String>,
    pub created_at: i64,
}

macro_rules! scorecard_select {
    () => {
        "SELECT s.version, s.card_json, s.note, s.created_by, u.login AS created_by_login, s.created_at \
         FROM credit_scorecards s LEFT JOIN users u ON u.id = s.created_by"
    };
}

/// Every version, newest first.
pub async fn scorecards(db: &Db) -> Result<Vec<ScorecardRow>> {
    let sql = concat!(scorecard_select!(), " ORDER BY s.version DESC");
    Ok(on_db!(db, p => sqlx::query_as::<_, ScorecardRow>(sql).fetch_all(p).await)?)
}

pub async fn scorecard(db: &Db, version: i64) -> Result<Option<ScorecardRow>> {
    let sql = concat!(scorecard_select!(), " WHERE s.version = $1");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ScorecardRow>(sql).bind(version).fetch_optional(p).await)?,
    )
}

/// The version in force: the highest.
pub async fn in_force(db: &Db) -> Result<Option<ScorecardRow>> {
    let sql = concat!(scorecard_select!(), " ORDER BY s.version DESC LIMIT 1");
    Ok(on_db!(db, p => sqlx::query_as::<_, ScorecardRow>(sql).fetch_optional(p).await)?)
}

async fn scorecard_in(tx: &mut Tx, version: i64) -> Result<ScorecardRow> {
    let sql = concat!(scorecard_select!(), " WHERE s.version = $1");
    on_tx!(tx, c => sqlx::query_as::<_, ScorecardRow>(sql).bind(version).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

/// What the audit log keeps of a new version.
#[derive(Serialize)]
struct AuditedCard<'a> {
    note: &'a str,
    card: &'a Scorecard,
}

fn card_json(card: &Scorecard) -> Result<String> {
    serde_json::to_string(card).map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))
}

/// Stores `card` as version 1 when no scorecard is stored at all (the shipped default, the
/// first time one is needed). Concurrent callers store it once; true for the one that did.
pub async fn insert_first(db: &Db, ctx: &AuditCtx, card: &Scorecard, note: &str) -> Result<bool> {
    let json = card_json(card)?;
    let mut tx = db.begin().await?;
    let inserted = on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO credit_scorecards (version, card_json, note, created_by, created_at) \
         SELECT 1, $1, $2, NULL, $3 WHERE NOT EXISTS (SELECT 1 FROM credit_scorecards) \
         ON CONFLICT (version) DO NOTHING")
        .bind(&json)
        .bind(note)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if inserted == 1 {
        audit::record(
            &mut tx,
            ctx,
            Change {
                entity: "credit_scorecard",
                entity_id: 1,
                org_id: None,
                action: AuditAction::Create,
                before: None,
                after: Some(&AuditedCard { note, card }),
            },
        )
        .await?;
    }
    tx.commit().await?;
    Ok(inserted == 1)
}

/// Stores `card` as the next version (one above the highest), which is then in force. Two
/// versions made at once: one is refused with a conflict (on the version).
pub async fn insert_next(
    tx: &mut Tx,
    ctx: &AuditCtx,
    mut card: Scorecard,
    note: &str,
) -> Result<ScorecardRow> {
    let version: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT COALESCE(MAX(version), 0) + 1 FROM credit_scorecards")
        .fetch_one(c)
        .await)?;
    card.version = version;
    let json = card_json(&card)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO credit_scorecards (version, card_json, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
        .bind(version)
        .bind(&json)
        .bind(note)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))
    .map_err(|e| match StoreError::from(e) {
        StoreError::Conflict { .. } => StoreError::Conflict {
            field: "version".into(),
        },
        other => other,
    })?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "credit_scorecard",
            entity_id: version,
            org_id: None,
            action: AuditAction::Create,
            before: None,
            after: Some(&AuditedCard { note, card: &card }),
        },
    )
    .await?;
    scorecard_in(tx, version).await
}

// ---------------------------------------------------------------------------------------------
// Facts

/// What the registry holds of an enterprise for scoring, as read (see [`FactsRow::facts`]).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FactsRow {
    pub enterprise_id: i64,
    pub high_tech: bool,
    pub tech_sme: bool,
    /// The latest year, up to the year asked for, whose figures are in an approved yearly report.
    pub year: Option<i64>,
    pub valid_ip: Option<i64>,
    pub rd_spending_k: Option<i64>,
    pub revenue_k: Option<i64>,
    pub high_level_talent: Option<i64>,
    pub patent_grants: Option<i64>,
    /// 创新积分 of the latest year up to the data year, where supplied.
    pub innovation_points: Option<i64>,
}

impl FactsRow {
    /// The year a score's data describe: the year of the figures, or — for an enterprise with no
    /// approved figures — the year before `as_of_year`.
    pub fn data_year(&self, as_of_year: i64) -> i64 {
        self.year.unwrap_or(as_of_year - 1)
    }

    /// A score's data date: the last day of [`FactsRow::data_year`].
    pub fn data_date(&self, as_of_year: i64) -> IsoDate {
        let year = u16::try_from(self.data_year(as_of_year).clamp(1, 9999)).unwrap_or(1);
        IsoDate::end_of_year(year)
    }

    /// The indicators a scorecard reads, and the exclusions that hold. A figure the platform does
    /// not hold stays absent (it scores nothing): every yearly figure when no approved report has
    /// the enterprise, R&D intensity when the revenue is not positive, 创新积分 when none was
    /// supplied.
    pub fn facts(&self, exclusions: &[Exclusion]) -> Facts {
        let mut f = Facts::default();
        let mut put = |indicator: Indicator, value: Option<i64>| {
            if let Some(v) = value {
                f.set(indicator, v);
            }
        };
        put(Indicator::IntellectualProperty, self.valid_ip);
        put(Indicator::RdSpending, self.rd_spending_k);
        put(
            Indicator::RdIntensity,
            match (self.rd_spending_k, self.revenue_k) {
                (Some(rd), Some(revenue)) if revenue > 0 => {
                    Some(rd.saturating_mul(1_000) / revenue)
                }
                _ => None,
            },
        );
        put(Indicator::Talent, self.high_level_talent);
        put(Indicator::InnovativeProducts, self.patent_grants);
        put(
            Indicator::InnovativeEnterprise,
            Some(if self.high_tech {
                2
            } else {
                i64::from(self.tech_sme)
            }),
        );
        put(Indicator::InnovationPoints, self.innovation_points);
        for e in exclusions {
            f.exclude(*e);
        }
        f
    }
}

/// The facts query; `$1` is the year asked for, `$2` (in the filters) an enterprise.
macro_rules! facts_sql {
    ($latest_filter:literal, $filter:literal) => {
        concat!(
            "WITH latest AS (SELECT x.enterprise_id, MAX(x.year) AS year FROM enterprise_indicators x \
             JOIN carrier_reports r ON r.id = x.report_id WHERE r.status = 'approved' AND x.year <= $1",
            $latest_filter,
            " GROUP BY x.enterprise_id) \
             SELECT e.id AS enterprise_id, e.high_tech, e.tech_sme, l.year, x.valid_ip, x.rd_spending_k, x.revenue_k, \
             x.high_level_talent, x.patent_grants, \
             (SELECT p.points FROM credit_innovation_points p WHERE p.enterprise_id = e.id AND p.year <= COALESCE(l.year, $1 - 1) \
              ORDER BY p.year DESC LIMIT 1) AS innovation_points \
             FROM enterprises e LEFT JOIN latest l ON l.enterprise_id = e.id \
             LEFT JOIN enterprise_indicators x ON x.enterprise_id = e.id AND x.year = l.year",
            $filter,
            " ORDER BY e.id"
        )
    };
}

/// The facts of every enterprise, figures up to `as_of_year`, by id.
pub async fn facts_rows(db: &Db, as_of_year: i64) -> Result<Vec<FactsRow>> {
    let sql = facts_sql!("", "");
    Ok(on_db!(db, p => sqlx::query_as::<_, FactsRow>(sql).bind(as_of_year).fetch_all(p).await)?)
}

/// One enterprise's facts, figures up to `as_of_year` (None: no such enterprise).
pub async fn facts_row(db: &Db, enterprise_id: i64, as_of_year: i64) -> Result<Option<FactsRow>> {
    let sql = facts_sql!(" AND x.enterprise_id = $2", " WHERE e.id = $2");
    Ok(
        on_db!(db, p => sqlx::query_as::<_, FactsRow>(sql).bind(as_of_year).bind(enterprise_id).fetch_optional(p).await)?,
    )
}

macro_rules! in_force_sql {
    ($filter:literal) => {
        concat!(
            "SELECT enterprise_id, exclusion FROM credit_exclusions WHERE lifted_at IS NULL",
            $filter,
            " UNION SELECT enterprise_id, 'overdue_loan' FROM loans WHERE status IN ('overdue', 'defaulted')",
            $filter
        )
    };
}

/// The negative list as it stands: the bureau's live notes, and `overdue_loan` for an enterprise
/// with a loan overdue or defaulted; by enterprise (only those with any), for one or for all.
pub async fn exclusions_in_force(
    db: &Db,
    enterprise_id: Option<i64>,
) -> Result<HashMap<i64, Vec<Exclusion>>> {
    let rows: Vec<(i64, String)> = match enterprise_id {
        Some(id) => {
            on_db!(db, p => sqlx::query_as(in_force_sql!(" AND enterprise_id = $1")).bind(id).fetch_all(p).await)?
        }
        None => on_db!(db, p => sqlx::query_as(in_force_sql!("")).fetch_all(p).await)?,
    };
    let mut out: HashMap<i64, Vec<Exclusion>> = HashMap::new();
    for (enterprise, code) in rows {
        if let Some(e) = Exclusion::parse(&code) {
            out.entry(enterprise).or_default().push(e);
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Scores

/// A stored score.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ScoreRow {
    pub id: i64,
    pub enterprise_id: i64,
    pub version: i64,
    /// The last day of the year the data describe, `YYYY-MM-DD`.
    pub data_date: String,
    pub total: i64,
    /// `a`–`e`; None when ungraded or excluded.
    pub grade: Option<String>,
    pub line_fen: Option<i64>,
    /// The exclusion's code when the negative list applies.
    pub excluded: Option<String>,
    /// JSON of `fruition_domain::credit::Score`: the working, indicator by indicator.
    pub score_json: String,
    /// When it was (last) scored, epoch ms.
    pub created_at: i64,
}

impl ScoreRow {
    /// The score with its working, as stored.
    pub fn score(&self) -> std::result::Result<Score, serde_json::Error> {
        serde_json::from_str(&self.score_json)
    }
}

/// A score to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewScore {
    pub enterprise_id: i64,
    pub version: i64,
    pub data_date: String,
    pub total: i64,
    pub grade: Option<&'static str>,
    pub line_fen: Option<i64>,
    pub excluded: Option<&'static str>,
    pub score_json: String,
}

impl NewScore {
    pub fn new(enterprise_id: i64, s: &Score) -> Result<NewScore> {
        use fruition_domain::credit::Outcome;
        let (grade, line_fen, excluded) = match s.outcome {
            Outcome::Graded { grade, line_fen } => (Some(grade.code()), Some(line_fen), None),
            Outcome::Ungraded => (None, None, None),
            Outcome::Excluded { exclusion } => (None, None, Some(exclusion.code())),
        };
        Ok(NewScore {
            enterprise_id,
            version: s.version,
            data_date: s.data_date.to_string(),
            total: s.total,
            grade,
            line_fen,
            excluded,
            score_json: serde_json::to_string(s)
                .map_err(|e| StoreError::Database(sqlx::Error::Encode(Box::new(e))))?,
        })
    }
}

macro_rules! score_columns {
    () => {
        "id, enterprise_id, version, data_date, total, grade, line_fen, excluded, score_json, created_at"
    };
}

macro_rules! score_insert {
    () => {
        "INSERT INTO credit_scores (enterprise_id, version, data_date, total, grade, line_fen, excluded, score_json, created_at) "
    };
}

macro_rules! score_upsert {
    () => {
        " ON CONFLICT (enterprise_id, version, data_date) DO UPDATE SET total = excluded.total, grade = excluded.grade, \
         line_fen = excluded.line_fen, excluded = excluded.excluded, score_json = excluded.score_json, \
         created_at = excluded.created_at"
    };
}

/// Writes scores in batches, each replacing the row of the same enterprise, version and data
/// date; returns how many were written.
pub async fn upsert_scores(tx: &mut Tx, rows: &[NewScore], now: i64) -> Result<u64> {
    let mut written = 0;
    match tx {
        Tx::Sqlite(t) => {
            for chunk in rows.chunks(SQLITE_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(score_insert!());
                qb.push_values(chunk, |mut b, s| {
                    b.push_bind(s.enterprise_id)
                        .push_bind(s.version)
                        .push_bind(&s.data_date)
                        .push_bind(s.total)
                        .push_bind(s.grade)
                        .push_bind(s.line_fen)
                        .push_bind(s.excluded)
                        .push_bind(&s.score_json)
                        .push_bind(now);
                });
                qb.push(score_upsert!());
                written += qb.build().execute(&mut **t).await?.rows_affected();
            }
        }
        Tx::Postgres(t) => {
            let sql = concat!(
                score_insert!(),
                "SELECT v.e, v.n, v.d, v.t, v.g, v.l, v.x, v.j, $9 FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], \
                 $4::bigint[], $5::text[], $6::bigint[], $7::text[], $8::text[]) AS v(e, n, d, t, g, l, x, j)",
                score_upsert!()
            );
            for chunk in rows.chunks(PG_BATCH) {
                written += sqlx::query(sql)
                    .bind(chunk.iter().map(|s| s.enterprise_id).collect::<Vec<i64>>())
                    .bind(chunk.iter().map(|s| s.version).collect::<Vec<i64>>())
                    .bind(
                        chunk
                            .iter()
                            .map(|s| s.data_date.as_str())
                            .collect::<Vec<&str>>(),
                    )
                    .bind(chunk.iter().map(|s| s.total).collect::<Vec<i64>>())
                    .bind(chunk.iter().map(|s| s.grade).collect::<Vec<Option<&str>>>())
                    .bind(
                        chunk
                            .iter()
                            .map(|s| s.line_fen)
                            .collect::<Vec<Option<i64>>>(),
                    )
                    .bind(
                        chunk
                            .iter()
                            .map(|s| s.excluded)
                            .collect::<Vec<Option<&str>>>(),
                    )
                    .bind(
                        chunk
                            .iter()
                            .map(|s| s.score_json.as_str())
                            .collect::<Vec<&str>>(),
                    )
                    .bind(now)
                    .execute(&mut **t)
                    .await?
                    .rows_affected();
            }
        }
    }
    Ok(written)
}

/// Writes one score (replacing the row of the same enterprise, version and data date) and
/// returns it as stored.
pub async fn upsert_score(db: &Db, s: &NewScore) -> Result<ScoreRow> {
    let sql = concat!(
        score_insert!(),
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        score_upsert!(),
        " RETURNING ",
        score_columns!()
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, ScoreRow>(sql)
        .bind(s.enterprise_id)
        .bind(s.version)
        .bind(&s.data_date)
        .bind(s.total)
        .bind(s.grade)
        .bind(s.line_fen)
        .bind(s.excluded)
        .bind(&s.score_json)
        .bind(clock::now_ms())
        .fetch_one(p)
        .await)?)
}

/// A score by its id (a loan keeps the id of the score it was applied with).
pub async fn score(db: &Db, id: i64) -> Result<Option<ScoreRow>> {
    let sql = concat!(
        "SELECT ",
        score_columns!(),
        " FROM credit_scores WHERE id = $1"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, ScoreRow>(sql).bind(id).fetch_optional(p).await)?)
}

/// An enterprise's most recently scored row on a version.
pub async fn latest(db: &Db, enterprise_id: i64, version: i64) -> Result<Option<ScoreRow>> {
    let sql = concat!(
        "SELECT ",
        score_columns!(),
        " FROM credit_scores WHERE enterprise_id = $1 AND version = $2 ORDER BY created_at DESC, id DESC LIMIT 1"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ScoreRow>(sql).bind(enterprise_id).bind(version).fetch_optional(p).await)?,
    )
}

/// Every score of an enterprise: newest version first, then the most recently scored.
pub async fn history(db: &Db, enterprise_id: i64) -> Result<Vec<ScoreRow>> {
    let sql = concat!(
        "SELECT ",
        score_columns!(),
        " FROM credit_scores WHERE enterprise_id = $1 ORDER BY version DESC, created_at DESC, id DESC"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, ScoreRow>(sql).bind(enterprise_id).fetch_all(p).await)?)
}

/// How many enterprises stand where on a version (each by its most recently scored row there):
/// (grade, excluded, count); a row with neither is ungraded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct GradeCount {
    pub grade: Option<String>,
    pub excluded: bool,
    pub count: i64,
}

pub async fn counts(db: &Db, version: i64) -> Result<Vec<GradeCount>> {
    let sql = "SELECT s.grade, s.excluded IS NOT NULL AS excluded, COUNT(*) AS count FROM credit_scores s \
               WHERE s.version = $1 AND NOT EXISTS (SELECT 1 FROM credit_scores n WHERE n.enterprise_id = s.enterprise_id \
               AND n.version = s.version AND (n.created_at > s.created_at OR (n.created_at = s.created_at AND n.id > s.id))) \
               GROUP BY s.grade, s.excluded IS NOT NULL ORDER BY s.grade";
    Ok(on_db!(db, p => sqlx::query_as::<_, GradeCount>(sql).bind(version).fetch_all(p).await)?)
}

/// Records in the audit log that every enterprise was rescored on `version`, with what came of
/// it, in the transaction that wrote the scores.
pub async fn record_rescore<T: Serialize>(
    tx: &mut Tx,
    ctx: &AuditCtx,
    version: i64,
    summary: &T,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "credit_rescore",
            entity_id: version,
            org_id: None,
            action: AuditAction::Create,
            before: None,
            after: Some(summary),
        },
    )
    .await
}

// ---------------------------------------------------------------------------------------------
// The negative list the bureau keeps

/// A note that an enterprise is on the negative list, live until lifted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ExclusionRow {
    pub id: i64,
    pub enterprise_id: i64,
    #[sqlx(try_from = "String")]
    pub exclusion: Exclusion,
    pub note: String,
    pub noted_by: Option<i64>,
    pub noted_by_login: Option<String>,
    pub noted_at: i64,
    pub lifted_at: Option<i64>,
    pub lifted_by: Option<i64>,
}

macro_rules! exclusion_select {
    () => {
        "SELECT x.id, x.enterprise_id, x.exclusion, x.note, x.noted_by, u.login AS noted_by_login, x.noted_at, \
         x.lifted_at, x.lifted_by FROM credit_exclusions x LEFT JOIN users u ON u.id = x.noted_by"
    };
}

async fn exclusion_in(tx: &mut Tx, enterprise_id: i64, id: i64) -> Result<Option<ExclusionRow>> {
    let sql = concat!(
        exclusion_select!(),
        " WHERE x.id = $1 AND x.enterprise_id = $2"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, ExclusionRow>(sql).bind(id).bind(enterprise_id).fetch_optional(c).await)?,
    )
}

/// An enterprise's notes, newest first; `live_only`: those not lifted.
pub async fn exclusions(db: &Db, enterprise_id: i64, live_only: bool) -> Result<Vec<ExclusionRow>> {
    let sql = concat!(
        exclusion_select!(),
        " WHERE x.enterprise_id = $1 AND ($2 = FALSE OR x.lifted_at IS NULL) ORDER BY x.noted_at DESC, x.id DESC"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ExclusionRow>(sql).bind(enterprise_id).bind(live_only).fetch_all(p).await)?,
    )
}

/// Notes an exclusion. The same reason noted again while live is refused (conflict on
/// `exclusion`).
pub async fn note_exclusion(
    tx: &mut Tx,
    ctx: &AuditCtx,
    enterprise_id: i64,
    org_id: Option<i64>,
    exclusion: Exclusion,
    note: &str,
) -> Result<ExclusionRow> {
    let id: i64 = on_tx!(tx, c => sqlx::query_scalar(
        "INSERT INTO credit_exclusions (enterprise_id, exclusion, note, noted_by, noted_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(enterprise_id)
        .bind(exclusion.code())
        .bind(note)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .fetch_one(c)
        .await)?;
    let row = exclusion_in(tx, enterprise_id, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "credit_exclusion",
            entity_id: id,
            org_id,
            action: AuditAction::Create,
            before: None,
            after: Some(&row),
        },
    )
    .await?;
    Ok(row)
}

/// Lifts a live exclusion of the enterprise (not found: no such note of that enterprise; a
/// conflict on `lifted_at`: already lifted).
pub async fn lift_exclusion(
    tx: &mut Tx,
    ctx: &AuditCtx,
    enterprise_id: i64,
    id: i64,
    org_id: Option<i64>,
) -> Result<ExclusionRow> {
    let before = exclusion_in(tx, enterprise_id, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let lifted = on_tx!(tx, c => sqlx::query(
        "UPDATE credit_exclusions SET lifted_at = $2, lifted_by = $3 WHERE id = $1 AND lifted_at IS NULL")
        .bind(id)
        .bind(clock::now_ms())
        .bind(ctx.actor_user_id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if lifted == 0 {
        return Err(StoreError::Conflict {
            field: "lifted_at".into(),
        });
    }
    let after = exclusion_in(tx, enterprise_id, id)
        .await?
        .ok_or(StoreError::NotFound)?;
    audit::record(
        tx,
        ctx,
        Change {
            entity: "credit_exclusion",
            entity_id: id,
            org_id,
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    Ok(after)
}

// ---------------------------------------------------------------------------------------------
// Who may see a score

/// The banks an enterprise has asked for a knowledge-value loan (any application not withdrawn).
pub async fn applied_banks(db: &Db, enterprise_id: i64) -> Result<Vec<i64>> {
    Ok(on_db!(db, p => sqlx::query_scalar(
        "SELECT DISTINCT bank_org_id FROM loans WHERE enterprise_id = $1 AND status <> 'withdrawn' ORDER BY bank_org_id")
        .bind(enterprise_id)
        .fetch_all(p)
        .await)?)
}

// ---------------------------------------------------------------------------------------------
// 创新积分

/// Records an enterprise's 创新积分 for a year as supplied (replacing what was there).
pub async fn set_innovation_points(
    tx: &mut Tx,
    ctx: &AuditCtx,
    enterprise_id: i64,
    org_id: Option<i64>,
    year: i64,
    points: i64,
) -> Result<()> {
    #[derive(Serialize)]
    struct Points {
        enterprise_id: i64,
        year: i64,
        points: i64,
    }
    let before: Option<i64> = on_tx!(tx, c => sqlx::query_scalar(
        "SELECT points FROM credit_innovation_points WHERE enterprise_id = $1 AND year = $2")
        .bind(enterprise_id)
        .bind(year)
        .fetch_optional(c)
        .await)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO credit_innovation_points (enterprise_id, year, points, noted_by, noted_at) VALUES ($1, $2, $3, $4, $5) \
         ON CONFLICT (enterprise_id, year) DO UPDATE SET points = excluded.points, noted_by = excluded.noted_by, noted_at = excluded.noted_at")
        .bind(enterprise_id)
        .bind(year)
        .bind(points)
        .bind(ctx.actor_user_id)
        .bind(clock::now_ms())
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    let row = |points| Points {
        enterprise_id,
        year,
        points,
    };
    audit::record(
        tx,
        ctx,
        Change {
            entity: "credit_innovation_points",
            entity_id: enterprise_id,
            org_id,
            action: if before.is_some() {
                AuditAction::Update
            } else {
                AuditAction::Create
            },
            before: before.map(row).as_ref(),
            after: Some(&row(points)),
        },
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row() -> FactsRow {
        FactsRow {
            enterprise_id: 1,
            high_tech: false,
            tech_sme: true,
            year: Some(2024),
            valid_ip: Some(6),
            rd_spending_k: Some(1_200),
            revenue_k: Some(30_000),
            high_level_talent: Some(0),
            patent_grants: Some(2),
            innovation_points: None,
        }
    }

    #[test]
    fn facts_follow_the_registry() {
        let f = row().facts(&[]);
        assert_eq!(f.get(Indicator::IntellectualProperty), Some(6));
        assert_eq!(f.get(Indicator::RdSpending), Some(1_200));
        // 1,200 of 30,000 thousand yuan: 40 ‰.
        assert_eq!(f.get(Indicator::RdIntensity), Some(40));
        assert_eq!(f.get(Indicator::InnovativeProducts), Some(2));
        assert_eq!(f.get(Indicator::InnovativeEnterprise), Some(1));
        assert_eq!(f.get(Indicator::InnovationPoints), None);
        assert!(f.exclusions.is_empty());
        assert_eq!(row().data_date(2026).to_string(), "2024-12-31");

        let high = FactsRow {
            high_tech: true,
            revenue_k: Some(0),
            ..row()
        };
        let f = high.facts(&[Exclusion::OverdueLoan]);
        assert_eq!(f.get(Indicator::InnovativeEnterprise), Some(2));
        assert_eq!(f.get(Indicator::RdIntensity), None);
        assert!(f.exclusions.contains("overdue_loan"));

        let none = FactsRow {
            year: None,
            valid_ip: None,
            rd_spending_k: None,
            revenue_k: None,
            high_level_talent: None,
            patent_grants: None,
            tech_sme: false,
            ..row()
        };
        let f = none.facts(&[]);
        assert_eq!(f.values.len(), 1, "only the enterprise's kind: {f:?}");
        assert_eq!(f.get(Indicator::InnovativeEnterprise), Some(0));
        assert_eq!(none.data_date(2026).to_string(), "2025-12-31");
    }
}
