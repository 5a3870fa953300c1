//! The bureau's yearly evaluation of its carriers (载体绩效评价): a round per year with its
//! scheme (indicators, weights, grade cut-offs — `fruition_domain::evaluation`), computed from
//! the approved yearly reports, adjusted carrier by carrier with a reason, then published.
//!
//! **Who does what.** The bureau's administrators and staff create, compute, adjust and publish,
//! and see every round in every state. Once a round is published, the bureau's viewers read every
//! carrier's result and the users of a carrier operator their own carriers' results with the
//! working; nobody else reads results (`authz::Action::ViewEvaluations`).
//!
//! **Computing** reads every carrier's facts in one grouped query and writes every result in a
//! few multi-row statements, in the transaction that marks the round computed (refused once it
//! is published, inside that transaction). Recomputing keeps the bureau's adjustments of the
//! carriers still evaluated. Publishing tells each evaluated carrier's operator in its inbox.

use std::collections::{BTreeMap, HashMap};

use fruition_domain::authz::Action;
use fruition_domain::carrier::CarrierKind;
use fruition_domain::evaluation::{
    self as rule, Cutoffs, EvaluationGrade, EvaluationIndicator, Facts, RoundStatus, Scheme,
    Weight, WorkingLine, centi_text,
};
use fruition_domain::lang::Lang;
use fruition_domain::org::OrgKind;
use fruition_sheets::{Sheet, Value};
use fruition_store::audit::AuditCtx;
use fruition_store::carriers;
use fruition_store::evaluations::{self as store, NewResult, ResultRow, RoundRow};
use fruition_store::{Db, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::{now_ms, rfc3339, this_year};
use crate::error::AppError;
use crate::inbox::{self, InboxKind, Notice};
use crate::reference::county_name;
use crate::{App, Ctx, Problems};

/// The longest name of a round, in characters.
const MAX_NAME: usize = 100;

// ---------------------------------------------------------------------------------------------
// Views

/// An indicator of a round's scheme.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WeightView {
    pub indicator: EvaluationIndicator,
    /// `创业导师数`.
    pub label: String,
    /// `服务能力`.
    pub dimension: String,
    pub weight: i64,
}

/// A round's scheme as stored with it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SchemeView {
    pub weights: Vec<WeightView>,
    /// The lowest final score of A, B and C (below C is D).
    pub cutoffs: Cutoffs,
}

/// An evaluation round.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundView {
    pub id: i64,
    pub year: i64,
    pub name: String,
    pub status: RoundStatus,
    pub status_label: String,
    pub scheme: SchemeView,
    /// Carriers with a result.
    pub carriers: i64,
    pub computed_at: Option<String>,
    pub published_at: Option<String>,
    pub created_at: String,
}

/// A carrier's result in a round's table.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultView {
    /// 1 is the best final score (ties share a rank).
    pub rank: i64,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub kind: CarrierKind,
    pub kind_label: String,
    pub county_code: String,
    pub county_name: String,
    /// Hundredths of a point (0–10000), and as text: `87.35`.
    pub computed_centi: i64,
    pub computed: String,
    /// The bureau's adjustment in whole points (−10 to 10) and its reason.
    pub adjustment: i64,
    pub adjustment_reason: Option<String>,
    pub final_centi: i64,
    pub final_score: String,
    pub grade: EvaluationGrade,
    pub grade_label: String,
}

/// A round with its results, best first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RoundDetail {
    pub round: RoundView,
    /// Every result for the bureau; a carrier operator's own carriers' otherwise.
    pub results: Vec<ResultView>,
    /// Whether the caller may compute, adjust and publish (the bureau, before publication).
    pub can_manage: bool,
}

/// One indicator's line of a carrier's working.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkingLineView {
    pub indicator: EvaluationIndicator,
    pub label: String,
    pub dimension: String,
    /// The value read from the approved report (‰ for the financed share).
    pub raw: i64,
    /// The best value among the round's carriers of the same kind.
    pub best: i64,
    /// raw ÷ best × 100, as hundredths and as text.
    pub score_centi: i64,
    pub score: String,
    pub weight: i64,
    /// score × weight ÷ 100.
    pub points_centi: i64,
    pub points: String,
}

/// A carrier's result with its working.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ResultDetail {
    pub round: RoundView,
    pub result: ResultView,
    /// Carriers in the round.
    pub of: i64,
    /// The approved report the facts were read from.
    pub report_id: i64,
    pub working: Vec<WorkingLineView>,
    pub can_manage: bool,
}

/// A carrier's result in one round, for its level history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CarrierEvaluationView {
    pub round_id: i64,
    pub year: i64,
    pub status: RoundStatus,
    pub status_label: String,
    pub final_centi: i64,
    pub final_score: String,
    pub grade: EvaluationGrade,
    pub grade_label: String,
    pub adjustment: i64,
}

/// How many carriers stand at each grade, for one kind or one county.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeRow {
    pub key: String,
    pub label: String,
    /// A, B, C, D.
    pub counts: [i64; 4],
    pub total: i64,
}

/// The published grades of the latest published round (or a year's), by kind and by county.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeTable {
    pub round: Option<RoundView>,
    pub by_kind: Vec<GradeRow>,
    pub by_county: Vec<GradeRow>,
    pub total: GradeRow,
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// A new round: its year and name; the scheme is the city's default unless given.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundInput {
    /// The year of the reports evaluated (up to this year).
    pub year: i64,
    /// Default `2024年度双创孵化载体绩效评价`.
    #[serde(default)]
    pub name: Option<String>,
    /// Indicators and weights (summing to 100); default the city's scheme.
    #[serde(default)]
    pub weights: Option<Vec<Weight>>,
    /// Grade cut-offs (100 ≥ A > B > C ≥ 0); default A 80, B 60, C 40.
    #[serde(default)]
    pub cutoffs: Option<Cutoffs>,
}

/// The bureau's adjustment of one carrier's computed score.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdjustInput {
    /// Whole points, −10 to 10 (0 takes an adjustment back, still with a reason).
    pub points: i64,
    /// Why, 4–500 characters.
    pub reason: String,
}

// ---------------------------------------------------------------------------------------------
// Reading rows into views

fn scheme_of(row: &RoundRow) -> Result<Scheme, AppError> {
    serde_json::from_str(&row.scheme_json)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("round {} scheme: {e}", row.id)))
}

fn round_view(row: &RoundRow) -> Result<RoundView, AppError> {
    let scheme = scheme_of(row)?;
    Ok(RoundView {
        id: row.id,
        year: row.year,
        name: row.name.clone(),
        status: row.status,
        status_label: row.status.label(Lang::ZhCn).into(),
        scheme: SchemeView {
            weights: scheme
                .weights
                .iter()
                .map(|w| WeightView {
                    indicator: w.indicator,
                    label: w.indicator.label(Lang::ZhCn).into(),
                    dimension: w.indicator.dimension().label(Lang::ZhCn).into(),
                    weight: w.weight,
                })
                .collect(),
            cutoffs: scheme.cutoffs,
        },
        carriers: row.carriers,
        computed_at: row.computed_at.map(rfc3339),
        published_at: row.published_at.map(rfc3339),
        created_at: rfc3339(row.created_at),
    })
}

fn result_view(r: &ResultRow, rank: i64) -> ResultView {
    ResultView {
        rank,
        carrier_id: r.carrier_id,
        carrier_name: r.carrier_name.clone(),
        kind: r.kind,
        kind_label: r.kind.label(Lang::ZhCn).into(),
        county_code: r.county_code.clone(),
        county_name: county_name(&r.county_code).into(),
        computed_centi: r.computed_centi,
        computed: centi_text(r.computed_centi),
        adjustment: r.adjustment,
        adjustment_reason: r.adjustment_reason.clone(),
        final_centi: r.final_centi,
        final_score: centi_text(r.final_centi),
        grade: r.grade,
        grade_label: r.grade.label(Lang::ZhCn).into(),
    }
}

/// Results in order with their ranks (equal final scores share a rank).
fn ranked(rows: &[ResultRow]) -> Vec<ResultView> {
    let mut out = Vec::with_capacity(rows.len());
    let mut rank = 0;
    let mut last = None;
    for (i, r) in rows.iter().enumerate() {
        if last != Some(r.final_centi) {
            rank = i as i64 + 1;
            last = Some(r.final_centi);
        }
        out.push(result_view(r, rank));
    }
    out
}

fn working_of(r: &ResultRow) -> Result<Vec<WorkingLine>, AppError> {
    serde_json::from_str(&r.working_json)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("result {} working: {e}", r.id)))
}

fn working_view(lines: &[WorkingLine]) -> Vec<WorkingLineView> {
    lines
        .iter()
        .map(|l| WorkingLineView {
            indicator: l.indicator,
            label: l.indicator.label(Lang::ZhCn).into(),
            dimension: l.indicator.dimension().label(Lang::ZhCn).into(),
            raw: l.raw,
            best: l.best,
            score_centi: l.score_centi,
            score: centi_text(l.score_centi),
            weight: l.weight,
            points_centi: l.points_centi,
            points: centi_text(l.points_centi),
        })
        .collect()
}

fn refused(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict { field } if field == "status" => AppError::Conflict {
            field,
            zh: "该评价已发布，结果不能再计算或调整；尚未计算的评价不能调整或发布".into(),
            en: "The round is published and frozen, or not computed yet".into(),
        },
        e => e.into(),
    }
}

fn manages(ctx: &Ctx<'_>) -> bool {
    ctx.require(Action::ManageEvaluations).is_ok()
}

/// Whose carriers' results the caller reads in a round: every one for the bureau's users, the
/// caller's own organisation's otherwise.
fn narrowed_to(ctx: &Ctx<'_>) -> Option<i64> {
    if ctx.principal.org_kind == OrgKind::Bureau {
        None
    } else {
        Some(ctx.principal.user.org_id)
    }
}

async fn round_row(state: &App, id: i64) -> Result<RoundRow, AppError> {
    store::round(&state.db, id).await?.ok_or(AppError::NotFound)
}

// ---------------------------------------------------------------------------------------------
// Actions

/// Rounds, the latest year first: every one for the bureau, the published ones for the bureau's
/// viewers and carrier operators.
pub async fn list(state: &App, ctx: &Ctx<'_>) -> Result<Vec<RoundView>, AppError> {
    ctx.require(Action::ViewEvaluations {
        operator_org_id: None,
        published: true,
    })?;
    let rows = store::rounds(&state.db, !manages(ctx)).await?;
    rows.iter().map(round_view).collect()
}

/// The bureau creates a draft round for a year (a year may have a later re-evaluation round).
pub async fn create(state: &App, ctx: &Ctx<'_>, input: &RoundInput) -> Result<RoundView, AppError> {
    ctx.require(Action::ManageEvaluations)?;
    let mut p = Problems::default();
    if !(2000..=this_year()).contains(&input.year) {
        p.push(
            "year",
            &format!("评价年度应在 2000 至 {} 年之间", this_year()),
            &format!("The year must be 2000–{}", this_year()),
        );
    }
    let name = input
        .name
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| format!("{}年度双创孵化载体绩效评价", input.year));
    if name.chars().count() > MAX_NAME {
        p.push(
            "name",
            "评价名称不超过 100 个字",
            "The name may have at most 100 characters",
        );
    }
    let default = Scheme::default_city();
    let scheme = p.check(Scheme::new(
        input.weights.clone().unwrap_or(default.weights),
        input.cutoffs.unwrap_or(default.cutoffs),
    ));
    p.into_result()?;
    let scheme = scheme.unwrap_or_else(Scheme::default_city);
    let json = serde_json::to_string(&scheme).map_err(|e| AppError::Internal(e.into()))?;
    let row = store::create_round(&state.db, &ctx.audit(), input.year, &name, &json)
        .await
        .map_err(refused)?;
    round_view(&row)
}

/// A round with its results, best first.
pub async fn get(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<RoundDetail, AppError> {
    let row = round_row(state, id).await?;
    ctx.require(Action::ViewEvaluations {
        operator_org_id: None,
        published: row.status == RoundStatus::Published,
    })?;
    let rows = store::results(&state.db, id, None).await?;
    let mut results = ranked(&rows);
    if let Some(org) = narrowed_to(ctx) {
        let own: Vec<i64> = rows
            .iter()
            .filter(|r| r.operator_org_id == org)
            .map(|r| r.carrier_id)
            .collect();
        results.retain(|r| own.contains(&r.carrier_id));
    }
    Ok(RoundDetail {
        can_manage: manages(ctx) && row.status != RoundStatus::Published,
        round: round_view(&row)?,
        results,
    })
}

/// Computes (or recomputes) a round from the approved reports of its year, keeping the bureau's
/// adjustments; 409 `status` once published.
pub async fn compute(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<RoundDetail, AppError> {
    ctx.require(Action::ManageEvaluations)?;
    compute_round(state, ctx, id).await?;
    get(state, ctx, id).await
}

/// Computes a round and answers how many carriers it evaluated (the benchmark's figure).
pub async fn compute_round(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<usize, AppError> {
    ctx.require(Action::ManageEvaluations)?;
    compute_as(&state.db, &ctx.audit(), id).await
}

/// Computes a round on behalf of `audit` without asking who may: for the binary's own writers
/// (the demo data) that act as the system. Users go through [`compute`].
pub async fn compute_as(db: &Db, audit: &AuditCtx, id: i64) -> Result<usize, AppError> {
    let mut tx = db.begin().await?;
    let before = store::round_for_update(&mut tx, id).await?;
    store::mark_computed(&mut tx, id).await.map_err(refused)?;
    let scheme = scheme_of(&before)?;
    let facts = store::facts(&mut tx, before.year).await?;
    let kept: HashMap<i64, (i64, Option<String>)> = store::adjustments(&mut tx, id)
        .await?
        .into_iter()
        .map(|(carrier, points, reason)| (carrier, (points, reason)))
        .collect();
    let input: Vec<(CarrierKind, Facts)> = facts
        .iter()
        .map(|f| {
            (
                f.kind,
                Facts {
                    service_staff: f.service_staff,
                    mentors: f.mentors,
                    events: f.events,
                    incubatees: f.incubatees,
                    graduates: f.graduates,
                    financed: f.financed,
                    patents: f.patents,
                },
            )
        })
        .collect();
    let outcomes = rule::evaluate(&scheme, &input);
    let mut rows = Vec::with_capacity(facts.len());
    for (f, o) in facts.iter().zip(outcomes) {
        let (adjustment, reason) = kept.get(&f.carrier_id).cloned().unwrap_or((0, None));
        let final_centi = rule::final_centi(o.computed_centi, adjustment);
        rows.push(NewResult {
            carrier_id: f.carrier_id,
            report_id: f.report_id,
            kind: f.kind.code(),
            county_code: f.county_code.clone(),
            computed_centi: o.computed_centi,
            adjustment,
            adjustment_reason: reason,
            final_centi,
            grade: scheme.grade(final_centi).code(),
            working_json: serde_json::to_string(&o.working)
                .map_err(|e| AppError::Internal(e.into()))?,
        });
    }
    store::replace_results(&mut tx, id, &rows, now_ms()).await?;
    store::record_computed(&mut tx, audit, &before, id).await?;
    tx.commit().await?;
    Ok(rows.len())
}

/// One carrier's result in a round with its working: the bureau; once published, the bureau's
/// viewers and the carrier's operator.
pub async fn result(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    carrier_id: i64,
) -> Result<ResultDetail, AppError> {
    let row = round_row(state, id).await?;
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewEvaluations {
        operator_org_id: Some(carrier.operator_org_id),
        published: row.status == RoundStatus::Published,
    })?;
    let r = store::result(&state.db, id, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    detail(state, ctx, &row, &r).await
}

async fn detail(
    state: &App,
    ctx: &Ctx<'_>,
    row: &RoundRow,
    r: &ResultRow,
) -> Result<ResultDetail, AppError> {
    let (rank, of) = store::rank(&state.db, row.id, r.final_centi).await?;
    Ok(ResultDetail {
        round: round_view(row)?,
        result: result_view(r, rank),
        of,
        report_id: r.report_id,
        working: working_view(&working_of(r)?),
        can_manage: manages(ctx) && row.status != RoundStatus::Published,
    })
}

/// The bureau adjusts a carrier's computed score by up to ±10 points with a reason; the final
/// score and grade follow. 409 `status` unless the round is computed and not published.
pub async fn adjust(
    state: &App,
    ctx: &Ctx<'_>,
    id: i64,
    carrier_id: i64,
    input: &AdjustInput,
) -> Result<ResultDetail, AppError> {
    ctx.require(Action::ManageEvaluations)?;
    let row = round_row(state, id).await?;
    let mut p = Problems::default();
    let adjustment = match rule::adjustment(input.points, &input.reason) {
        Ok(a) => Some(a),
        Err(errors) => {
            for e in errors {
                p.check::<()>(Err(e));
            }
            None
        }
    };
    p.into_result()?;
    let Some(a) = adjustment else {
        return Err(AppError::NotFound);
    };
    let scheme = scheme_of(&row)?;
    let r = store::adjust(
        &state.db,
        &ctx.audit(),
        id,
        carrier_id,
        a.points,
        &a.reason,
        |computed, points| {
            let f = rule::final_centi(computed, points);
            (f, scheme.grade(f).code())
        },
    )
    .await
    .map_err(refused)?;
    let row = round_row(state, id).await?;
    detail(state, ctx, &row, &r).await
}

/// The bureau publishes a computed round: frozen from now on; each evaluated carrier's operator
/// is told in its inbox.
pub async fn publish(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<RoundView, AppError> {
    ctx.require(Action::ManageEvaluations)?;
    let row = store::publish(&state.db, &ctx.audit(), id)
        .await
        .map_err(refused)?;
    // Each operator once: to its carrier's result when it runs one evaluated carrier, to the
    // round (narrowed to its carriers) when it runs several.
    let evaluated = store::evaluated(&state.db, id).await?;
    let mut by_operator: BTreeMap<i64, Vec<(i64, String)>> = BTreeMap::new();
    for (operator, carrier, name) in evaluated {
        by_operator
            .entry(operator)
            .or_default()
            .push((carrier, name));
    }
    for (operator, carriers) in by_operator {
        let (link, whose) = match carriers.as_slice() {
            [(carrier, name)] => (
                format!("/evaluations/{id}/carriers/{carrier}"),
                name.clone(),
            ),
            _ => (
                format!("/evaluations/{id}"),
                carriers
                    .iter()
                    .map(|(_, n)| n.as_str())
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
        };
        inbox::tell(
            state,
            &[operator],
            Notice {
                kind: InboxKind::Evaluation,
                title: format!("{}结果已发布", row.name),
                body: format!(
                    "科技局已发布{}年度载体绩效评价结果（{whose}），请查看得分、等级及各项指标的计算过程。",
                    row.year
                ),
                link: Some(link),
                ref_key: format!("evaluation:{id}:published"),
            },
        )
        .await;
    }
    round_view(&row)
}

/// A carrier's results, the latest year first: every round's for the bureau, the published ones
/// for the bureau's viewers and the carrier's operator.
pub async fn for_carrier(
    state: &App,
    ctx: &Ctx<'_>,
    carrier_id: i64,
) -> Result<Vec<CarrierEvaluationView>, AppError> {
    let carrier = carriers::get(&state.db, carrier_id)
        .await?
        .ok_or(AppError::NotFound)?;
    ctx.require(Action::ViewEvaluations {
        operator_org_id: Some(carrier.operator_org_id),
        published: true,
    })?;
    let rows = store::for_carrier(&state.db, carrier_id, !manages(ctx)).await?;
    Ok(rows
        .iter()
        .map(|r| CarrierEvaluationView {
            round_id: r.round_id,
            year: r.year,
            status: r.round_status,
            status_label: r.round_status.label(Lang::ZhCn).into(),
            final_centi: r.final_centi,
            final_score: centi_text(r.final_centi),
            grade: r.grade,
            grade_label: r.grade.label(Lang::ZhCn).into(),
            adjustment: r.adjustment,
        })
        .collect())
}

/// A round's results as a workbook: one row per carrier with its indicators' values, scores,
/// adjustment and grade (what the caller may read of the round).
pub async fn workbook(state: &App, ctx: &Ctx<'_>, id: i64) -> Result<(String, Vec<u8>), AppError> {
    let d = get(state, ctx, id).await?;
    let rows = store::results(&state.db, id, narrowed_to(ctx)).await?;
    let working: HashMap<i64, Vec<WorkingLine>> = rows
        .iter()
        .map(|r| Ok((r.carrier_id, working_of(r)?)))
        .collect::<Result<_, AppError>>()?;
    let indicators: Vec<EvaluationIndicator> =
        d.round.scheme.weights.iter().map(|w| w.indicator).collect();
    let mut headers: Vec<String> = ["排名", "载体名称", "载体类型", "所在区县"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    for w in &d.round.scheme.weights {
        headers.push(format!("{}（权重{}）", w.label, w.weight));
    }
    headers.extend(
        ["计算得分", "调整分", "调整理由", "最终得分", "等级"]
            .iter()
            .map(|s| s.to_string()),
    );
    let body = d
        .results
        .iter()
        .map(|r| {
            let mut cells = vec![
                Value::Int(r.rank),
                Value::from(r.carrier_name.as_str()),
                Value::from(r.kind_label.as_str()),
                Value::from(r.county_name.as_str()),
            ];
            let lines = working.get(&r.carrier_id);
            for i in &indicators {
                let raw = lines
                    .and_then(|ls| ls.iter().find(|l| l.indicator == *i))
                    .map(|l| l.raw);
                cells.push(raw.map_or(Value::Empty, Value::Int));
            }
            cells.push(Value::Float(r.computed_centi as f64 / 100.0));
            cells.push(Value::Int(r.adjustment));
            cells.push(
                r.adjustment_reason
                    .as_deref()
                    .map_or(Value::Empty, Value::from),
            );
            cells.push(Value::Float(r.final_centi as f64 / 100.0));
            cells.push(Value::from(r.grade_label.as_str()));
            cells
        })
        .collect();
    let sheet = Sheet {
        name: "评价结果".into(),
        headers,
        rows: body,
    };
    let bytes = fruition_sheets::write_xlsx(&[sheet])
        .map_err(|e| AppError::Internal(anyhow::anyhow!("{e}")))?;
    Ok((d.round.name.clone(), bytes))
}

fn grade_index(g: EvaluationGrade) -> usize {
    match g {
        EvaluationGrade::A => 0,
        EvaluationGrade::B => 1,
        EvaluationGrade::C => 2,
        EvaluationGrade::D => 3,
    }
}

fn grade_rows(counts: &[store::GradeCount], label: impl Fn(&str) -> String) -> Vec<GradeRow> {
    let mut by: BTreeMap<String, [i64; 4]> = BTreeMap::new();
    for c in counts {
        let Some(g) = EvaluationGrade::parse(&c.grade) else {
            continue;
        };
        by.entry(c.key.clone()).or_default()[grade_index(g)] += c.count;
    }
    by.into_iter()
        .map(|(key, counts)| GradeRow {
            label: label(&key),
            total: counts.iter().sum(),
            key,
            counts,
        })
        .collect()
}

/// The published grades of a year's round (the latest published one without a year), by carrier
/// kind and by county: the bureau and whoever reads published results (a carrier operator sees
/// the city's counts, not other carriers' results).
pub async fn grades(state: &App, ctx: &Ctx<'_>, year: Option<i64>) -> Result<GradeTable, AppError> {
    ctx.require(Action::ViewEvaluations {
        operator_org_id: None,
        published: true,
    })?;
    let round = match year {
        None => store::latest_published(&state.db).await?,
        Some(y) => store::rounds(&state.db, true)
            .await?
            .into_iter()
            .find(|r| r.year == y),
    };
    let Some(round) = round else {
        return Ok(GradeTable {
            round: None,
            by_kind: vec![],
            by_county: vec![],
            total: GradeRow {
                key: String::new(),
                label: "合计".into(),
                counts: [0; 4],
                total: 0,
            },
        });
    };
    let by_kind = grade_rows(&store::grades_by_kind(&state.db, round.id).await?, |k| {
        CarrierKind::parse(k)
            .map(|k| k.label(Lang::ZhCn).to_string())
            .unwrap_or_else(|| k.to_string())
    });
    let by_county = grade_rows(&store::grades_by_county(&state.db, round.id).await?, |c| {
        county_name(c).to_string()
    });
    let mut total = [0i64; 4];
    for r in &by_kind {
        for (t, c) in total.iter_mut().zip(r.counts) {
            *t += c;
        }
    }
    Ok(GradeTable {
        round: Some(round_view(&round)?),
        by_kind,
        by_county,
        total: GradeRow {
            key: String::new(),
            label: "合计".into(),
            counts: total,
            total: total.iter().sum(),
        },
    })
}
