//! The bureau's yearly evaluation of carriers: rounds (`evaluation_rounds`, each with its scheme
//! as JSON) and results (`evaluation_results`, each with its working as JSON).
//!
//! Computing a round is set-based: the facts of every carrier with an approved report for the
//! year come from one grouped query ([`facts`]), and the results are written by a few multi-row
//! statements ([`replace_results`]), so 2,000 carriers cost a handful of round trips.

use fruition_domain::audit::AuditAction;
use fruition_domain::carrier::CarrierKind;
use fruition_domain::evaluation::{EvaluationGrade, RoundStatus};
use serde::Serialize;

use crate::audit::{self, AuditCtx, Change};
use crate::db::{on_db, on_tx};
use crate::{Db, Result, StoreError, Tx, clock};

/// Rows per multi-row INSERT on SQLite (12 values a row, under its parameter limit).
const SQLITE_BATCH: usize = 1_000;
/// Rows per UNNEST insert on PostgreSQL.
const PG_BATCH: usize = 10_000;

/// A round as stored, with how many carriers it has results for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub year: i64,
    pub name: String,
    #[sqlx(try_from = "String")]
    pub status: RoundStatus,
    pub scheme_json: String,
    pub created_by: Option<i64>,
    pub computed_at: Option<i64>,
    pub published_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
    pub carriers: i64,
}

macro_rules! round_select {
    () => {
        "SELECT o.id, o.year, o.name, o.status, o.scheme_json, o.created_by, o.computed_at, o.published_at, \
         o.created_at, o.updated_at, \
         CAST((SELECT COUNT(*) FROM evaluation_results x WHERE x.round_id = o.id) AS BIGINT) AS carriers \
         FROM evaluation_rounds o"
    };
}

/// Every round, the latest year first; `published_only` for those who see no drafts.
pub async fn rounds(db: &Db, published_only: bool) -> Result<Vec<RoundRow>> {
    let sql = concat!(
        round_select!(),
        " WHERE ($1 = FALSE OR o.status = 'published') ORDER BY o.year DESC, o.id DESC"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, RoundRow>(sql).bind(published_only).fetch_all(p).await)?)
}

pub async fn round(db: &Db, id: i64) -> Result<Option<RoundRow>> {
    let sql = concat!(round_select!(), " WHERE o.id = $1");
    Ok(on_db!(db, p => sqlx::query_as::<_, RoundRow>(sql).bind(id).fetch_optional(p).await)?)
}

async fn round_in(tx: &mut Tx, id: i64) -> Result<RoundRow> {
    let sql = concat!(round_select!(), " WHERE o.id = $1");
    on_tx!(tx, c => sqlx::query_as::<_, RoundRow>(sql).bind(id).fetch_optional(c).await)?
        .ok_or(StoreError::NotFound)
}

async fn record_round(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: Option<&RoundRow>,
    after: &RoundRow,
    action: AuditAction,
) -> Result<()> {
    audit::record(
        tx,
        ctx,
        Change {
            entity: "evaluation_rounds",
            entity_id: after.id,
            org_id: None,
            action,
            before,
            after: Some(after),
        },
    )
    .await
}

/// Creates a draft round for a year (409 `year` when the year has one).
pub async fn create_round(
    db: &Db,
    ctx: &AuditCtx,
    year: i64,
    name: &str,
    scheme_json: &str,
) -> Result<RoundRow> {
    let mut tx = db.begin().await?;
    let now = clock::now_ms();
    let id: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
        "INSERT INTO evaluation_rounds (year, name, status, scheme_json, created_by, created_at, updated_at) \
         VALUES ($1, $2, 'draft', $3, $4, $5, $5) RETURNING id")
        .bind(year).bind(name).bind(scheme_json).bind(ctx.actor_user_id).bind(now)
        .fetch_one(c).await)?;
    let after = round_in(&mut tx, id).await?;
    record_round(&mut tx, ctx, None, &after, AuditAction::Create).await?;
    tx.commit().await?;
    Ok(after)
}

/// A carrier's facts for a round: its approved report of the year, summed over its incubatees.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FactsRow {
    pub carrier_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: CarrierKind,
    pub county_code: String,
    pub report_id: i64,
    pub service_staff: i64,
    pub mentors: i64,
    pub events: i64,
    pub graduates: i64,
    pub incubatees: i64,
    pub financed: i64,
    pub patents: i64,
}

/// Every carrier's facts for `year`, in one grouped query over the approved reports and their
/// incubatees' figures, in carrier order.
pub async fn facts(tx: &mut Tx, year: i64) -> Result<Vec<FactsRow>> {
    let sql = "SELECT c.id AS carrier_id, c.kind, c.county_code, r.id AS report_id, \
               CAST(COALESCE(r.staff, 0) AS BIGINT) AS service_staff, CAST(COALESCE(r.mentors, 0) AS BIGINT) AS mentors, \
               CAST(COALESCE(r.events_held, 0) AS BIGINT) AS events, CAST(COALESCE(r.graduated_in_year, 0) AS BIGINT) AS graduates, \
               CAST(COUNT(x.id) AS BIGINT) AS incubatees, \
               CAST(COALESCE(SUM(CASE WHEN x.funding_raised_k > 0 THEN 1 ELSE 0 END), 0) AS BIGINT) AS financed, \
               CAST(COALESCE(SUM(x.patent_grants), 0) AS BIGINT) AS patents \
               FROM carrier_reports r JOIN carriers c ON c.id = r.carrier_id \
               LEFT JOIN enterprise_indicators x ON x.report_id = r.id \
               WHERE r.year = $1 AND r.status = 'approved' \
               GROUP BY c.id, c.kind, c.county_code, r.id, r.staff, r.mentors, r.events_held, r.graduated_in_year \
               ORDER BY c.id";
    Ok(on_tx!(tx, c => sqlx::query_as::<_, FactsRow>(sql).bind(year).fetch_all(c).await)?)
}

/// The bureau's adjustments kept in a round: (carrier, points, reason).
pub async fn adjustments(tx: &mut Tx, round_id: i64) -> Result<Vec<(i64, i64, Option<String>)>> {
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, (i64, i64, Option<String>)>(
        "SELECT carrier_id, adjustment, adjustment_reason FROM evaluation_results WHERE round_id = $1 AND adjustment_reason IS NOT NULL")
        .bind(round_id).fetch_all(c).await)?,
    )
}

/// Marks a round computed, in the transaction that writes its results: only before publication
/// (409 `status` once published).
pub async fn mark_computed(tx: &mut Tx, round_id: i64) -> Result<()> {
    let now = clock::now_ms();
    let changed = on_tx!(tx, c => sqlx::query(
        "UPDATE evaluation_rounds SET status = 'computed', computed_at = $2, updated_at = $2 WHERE id = $1 AND status <> 'published'")
        .bind(round_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    Ok(())
}

/// Records the computation in the audit log with the round before and after (the after carries
/// the new count of results).
pub async fn record_computed(
    tx: &mut Tx,
    ctx: &AuditCtx,
    before: &RoundRow,
    round_id: i64,
) -> Result<RoundRow> {
    let after = round_in(tx, round_id).await?;
    record_round(tx, ctx, Some(before), &after, AuditAction::Update).await?;
    Ok(after)
}

/// The round as it stands inside a transaction.
pub async fn round_for_update(tx: &mut Tx, round_id: i64) -> Result<RoundRow> {
    round_in(tx, round_id).await
}

/// A result to write.
pub struct NewResult {
    pub carrier_id: i64,
    pub report_id: i64,
    pub kind: &'static str,
    pub county_code: String,
    pub computed_centi: i64,
    pub adjustment: i64,
    pub adjustment_reason: Option<String>,
    pub final_centi: i64,
    pub grade: &'static str,
    pub working_json: String,
}

macro_rules! result_insert {
    () => {
        "INSERT INTO evaluation_results (round_id, carrier_id, report_id, kind, county_code, computed_centi, adjustment, \
         adjustment_reason, final_centi, grade, working_json, created_at, updated_at) "
    };
}

/// Replaces a round's results with `rows`, in batches; returns how many were written.
pub async fn replace_results(
    tx: &mut Tx,
    round_id: i64,
    rows: &[NewResult],
    now: i64,
) -> Result<u64> {
    on_tx!(tx, c => sqlx::query("DELETE FROM evaluation_results WHERE round_id = $1")
        .bind(round_id).execute(c).await.map(|r| r.rows_affected()))?;
    let mut written = 0;
    match tx {
        Tx::Sqlite(t) => {
            for chunk in rows.chunks(SQLITE_BATCH) {
                let mut qb = sqlx::QueryBuilder::new(result_insert!());
                qb.push_values(chunk, |mut b, r| {
                    b.push_bind(round_id)
                        .push_bind(r.carrier_id)
                        .push_bind(r.report_id)
                        .push_bind(r.kind)
                        .push_bind(&r.county_code)
                        .push_bind(r.computed_centi)
                        .push_bind(r.adjustment)
                        .push_bind(&r.adjustment_reason)
                        .push_bind(r.final_centi)
                        .push_bind(r.grade)
                        .push_bind(&r.working_json)
                        .push_bind(now)
                        .push_bind(now);
                });
                written += qb.build().execute(&mut **t).await?.rows_affected();
            }
        }
        Tx::Postgres(t) => {
            let sql = concat!(
                result_insert!(),
                "SELECT $1, v.c, v.r, v.k, v.p, v.s, v.a, v.why, v.f, v.g, v.w, $12, $12 FROM UNNEST($2::bigint[], $3::bigint[], \
                 $4::text[], $5::text[], $6::bigint[], $7::bigint[], $8::text[], $9::bigint[], $10::text[], $11::text[]) \
                 AS v(c, r, k, p, s, a, why, f, g, w)"
            );
            for chunk in rows.chunks(PG_BATCH) {
                written += sqlx::query(sql)
                    .bind(round_id)
                    .bind(chunk.iter().map(|r| r.carrier_id).collect::<Vec<i64>>())
                    .bind(chunk.iter().map(|r| r.report_id).collect::<Vec<i64>>())
                    .bind(chunk.iter().map(|r| r.kind).collect::<Vec<&str>>())
                    .bind(
                        chunk
                            .iter()
                            .map(|r| r.county_code.as_str())
                            .collect::<Vec<&str>>(),
                    )
                    .bind(chunk.iter().map(|r| r.computed_centi).collect::<Vec<i64>>())
                    .bind(chunk.iter().map(|r| r.adjustment).collect::<Vec<i64>>())
                    .bind(
                        chunk
                            .iter()
                            .map(|r| r.adjustment_reason.as_deref())
                            .collect::<Vec<Option<&str>>>(),
                    )
                    .bind(chunk.iter().map(|r| r.final_centi).collect::<Vec<i64>>())
                    .bind(chunk.iter().map(|r| r.grade).collect::<Vec<&str>>())
                    .bind(
                        chunk
                            .iter()
                            .map(|r| r.working_json.as_str())
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

/// A carrier's result, with the carrier's name and operator and the round's year and status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct ResultRow {
    pub id: i64,
    pub round_id: i64,
    pub year: i64,
    #[sqlx(try_from = "String")]
    pub round_status: RoundStatus,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub operator_org_id: i64,
    pub report_id: i64,
    #[sqlx(try_from = "String")]
    pub kind: CarrierKind,
    pub county_code: String,
    pub computed_centi: i64,
    pub adjustment: i64,
    pub adjustment_reason: Option<String>,
    pub final_centi: i64,
    #[sqlx(try_from = "String")]
    pub grade: EvaluationGrade,
    pub working_json: String,
    pub updated_at: i64,
}

macro_rules! result_select {
    () => {
        "SELECT x.id, x.round_id, o.year, o.status AS round_status, x.carrier_id, c.name AS carrier_name, c.operator_org_id, \
         x.report_id, x.kind, x.county_code, x.computed_centi, x.adjustment, x.adjustment_reason, x.final_centi, x.grade, \
         x.working_json, x.updated_at \
         FROM evaluation_results x JOIN evaluation_rounds o ON o.id = x.round_id JOIN carriers c ON c.id = x.carrier_id"
    };
}

/// A round's results, best first (ties by name); `operator` narrows to one operator's carriers.
pub async fn results(db: &Db, round_id: i64, operator: Option<i64>) -> Result<Vec<ResultRow>> {
    let sql = concat!(
        result_select!(),
        " WHERE x.round_id = $1 AND ($2 IS NULL OR c.operator_org_id = $2) ORDER BY x.final_centi DESC, c.name, x.carrier_id"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ResultRow>(sql).bind(round_id).bind(operator).fetch_all(p).await)?,
    )
}

/// One carrier's result in a round.
pub async fn result(db: &Db, round_id: i64, carrier_id: i64) -> Result<Option<ResultRow>> {
    let sql = concat!(
        result_select!(),
        " WHERE x.round_id = $1 AND x.carrier_id = $2"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ResultRow>(sql).bind(round_id).bind(carrier_id).fetch_optional(p).await)?,
    )
}

async fn result_in(tx: &mut Tx, round_id: i64, carrier_id: i64) -> Result<Option<ResultRow>> {
    let sql = concat!(
        result_select!(),
        " WHERE x.round_id = $1 AND x.carrier_id = $2"
    );
    Ok(
        on_tx!(tx, c => sqlx::query_as::<_, ResultRow>(sql).bind(round_id).bind(carrier_id).fetch_optional(c).await)?,
    )
}

/// A carrier's rank in its round (1 is the best): results with a higher final score, plus one.
pub async fn rank(db: &Db, round_id: i64, final_centi: i64) -> Result<(i64, i64)> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64)>(
        "SELECT CAST(COALESCE(SUM(CASE WHEN final_centi > $2 THEN 1 ELSE 0 END), 0) + 1 AS BIGINT), CAST(COUNT(*) AS BIGINT) \
         FROM evaluation_results WHERE round_id = $1")
        .bind(round_id).bind(final_centi).fetch_one(p).await)?)
}

/// A carrier's results in every round, the latest year first; `published_only` for the carrier.
pub async fn for_carrier(db: &Db, carrier_id: i64, published_only: bool) -> Result<Vec<ResultRow>> {
    let sql = concat!(
        result_select!(),
        " WHERE x.carrier_id = $1 AND ($2 = FALSE OR o.status = 'published') ORDER BY o.year DESC"
    );
    Ok(
        on_db!(db, p => sqlx::query_as::<_, ResultRow>(sql).bind(carrier_id).bind(published_only).fetch_all(p).await)?,
    )
}

/// Sets a carrier's adjustment (points, reason, the final score and grade that follow) while
/// the round is computed — checked in the UPDATE itself (409 `status` otherwise; 404 without a
/// result) — and records it with the result before and after.
#[allow(clippy::too_many_arguments)]
pub async fn adjust(
    db: &Db,
    ctx: &AuditCtx,
    round_id: i64,
    carrier_id: i64,
    points: i64,
    reason: &str,
    final_of: impl Fn(i64, i64) -> (i64, &'static str),
) -> Result<ResultRow> {
    let mut tx = db.begin().await?;
    let before = result_in(&mut tx, round_id, carrier_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    let (final_centi, grade) = final_of(before.computed_centi, points);
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE evaluation_results SET adjustment = $3, adjustment_reason = $4, final_centi = $5, grade = $6, updated_at = $7 \
         WHERE round_id = $1 AND carrier_id = $2 \
         AND EXISTS (SELECT 1 FROM evaluation_rounds o WHERE o.id = $1 AND o.status = 'computed')")
        .bind(round_id).bind(carrier_id).bind(points).bind(reason).bind(final_centi).bind(grade).bind(clock::now_ms())
        .execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = result_in(&mut tx, round_id, carrier_id)
        .await?
        .ok_or(StoreError::NotFound)?;
    audit::record(
        &mut tx,
        ctx,
        Change {
            entity: "evaluation_results",
            entity_id: after.id,
            org_id: Some(after.operator_org_id),
            action: AuditAction::Update,
            before: Some(&before),
            after: Some(&after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(after)
}

/// Publishes a computed round (409 `status` otherwise): its results are frozen from now on.
pub async fn publish(db: &Db, ctx: &AuditCtx, round_id: i64) -> Result<RoundRow> {
    let mut tx = db.begin().await?;
    let before = round_in(&mut tx, round_id).await?;
    let now = clock::now_ms();
    let changed = on_tx!(&mut tx, c => sqlx::query(
        "UPDATE evaluation_rounds SET status = 'published', published_at = $2, updated_at = $2 WHERE id = $1 AND status = 'computed'")
        .bind(round_id).bind(now).execute(c).await.map(|r| r.rows_affected()))?;
    if changed == 0 {
        return Err(StoreError::Conflict {
            field: "status".into(),
        });
    }
    let after = round_in(&mut tx, round_id).await?;
    record_round(&mut tx, ctx, Some(&before), &after, AuditAction::Update).await?;
    tx.commit().await?;
    Ok(after)
}

/// The carriers a round has results for, with their operators: (operator, carrier, name), by
/// operator (told when it is published).
pub async fn evaluated(db: &Db, round_id: i64) -> Result<Vec<(i64, i64, String)>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, (i64, i64, String)>(
        "SELECT c.operator_org_id, c.id, c.name FROM evaluation_results x JOIN carriers c ON c.id = x.carrier_id \
         WHERE x.round_id = $1 ORDER BY c.operator_org_id, c.id")
        .bind(round_id).fetch_all(p).await)?)
}

/// How many results of a round stand at each grade, by one column (`kind` or `county_code`).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GradeCount {
    pub key: String,
    pub grade: String,
    pub count: i64,
}

/// The latest published round's year, if any.
pub async fn latest_published(db: &Db) -> Result<Option<RoundRow>> {
    let sql = concat!(
        round_select!(),
        " WHERE o.status = 'published' ORDER BY o.year DESC LIMIT 1"
    );
    Ok(on_db!(db, p => sqlx::query_as::<_, RoundRow>(sql).fetch_optional(p).await)?)
}

/// A round's grades by carrier kind.
pub async fn grades_by_kind(db: &Db, round_id: i64) -> Result<Vec<GradeCount>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, GradeCount>(
        "SELECT kind AS key, grade, CAST(COUNT(*) AS BIGINT) AS count FROM evaluation_results WHERE round_id = $1 \
         GROUP BY kind, grade ORDER BY kind, grade")
        .bind(round_id).fetch_all(p).await)?)
}

/// A round's grades by county-level division.
pub async fn grades_by_county(db: &Db, round_id: i64) -> Result<Vec<GradeCount>> {
    Ok(on_db!(db, p => sqlx::query_as::<_, GradeCount>(
        "SELECT county_code AS key, grade, CAST(COUNT(*) AS BIGINT) AS count FROM evaluation_results WHERE round_id = $1 \
         GROUP BY county_code, grade ORDER BY county_code, grade")
        .bind(round_id).fetch_all(p).await)?)
}
