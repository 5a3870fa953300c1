//! The bureau's versioned credit scorecards and the enterprises' scores (知识价值信用贷款评分).
//!
//! The bureau keeps the scorecard: indicators the platform already holds, their bands and caps,
//! bonus items, the grades A–E with their lowest scores and recommended credit lines, and the
//! negative list. A new version is checked field by field and stored beside the old ones (the
//! highest is in force); rescoring every enterprise on the version in force is one action. The
//! shipped default (`Scorecard::default_v1`, Chongqing's model) is stored as version 1 the first
//! time a scorecard is needed and none is stored.
//!
//! **What a score reads, and its data date.** The figures of the latest year, up to this year,
//! that an *approved* yearly report holds for the enterprise (as the statistics count only
//! approved reports: figures a carrier has not had reviewed do not move a credit line): valid IP,
//! R&D spending, R&D intensity (‰ of revenue, when revenue is positive), high-level talent,
//! patents granted (innovative products). The data date is the last day of that year
//! (2024-12-31 for the 2024 figures); with no approved figures, the last day of last year. The
//! enterprise's kind (high-tech 2, tech SME 1), its 创新积分 of the latest year up to the data year
//! where supplied, and the negative list (the bureau's live notes; a loan overdue or defaulted)
//! are read as they stand when it is scored.
//!
//! **Reproducible.** One score is kept per enterprise, version and data date. Scoring the
//! enterprise again on the same version while its data are as they were gives the identical
//! score (and rewrites the same row); and a stored score keeps what it read — the working, value
//! by value, and the exclusion that applied — so [`reproduce`] recomputes it from its version
//! and data date at any later time. A new version adds rows beside the old ones, which read as
//! they did.
//!
//! **Who sees a score**: the bureau; the users of the enterprise's own organisation; a bank the
//! enterprise has asked for a loan (an application not withdrawn). Anyone signed in reads the
//! scorecards: they are the published rules.

use std::collections::{BTreeSet, HashMap};
use std::time::Instant;

use fruition_domain::authz::Action;
use fruition_domain::credit::{
    self, Band, Exclusion, Facts, Grade, GradeLine, Indicator, Item, Outcome, Score, Scorecard,
};
use fruition_domain::lang::Lang;
use fruition_domain::money;
use fruition_store::audit::AuditCtx;
use fruition_store::credit::scores::{
    self as store, ExclusionRow, NewScore, ScoreRow, ScorecardRow,
};
use fruition_store::{StoreError, enterprises};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::{now_ms, rfc3339, this_year};
use crate::error::{AppError, Problem};
use crate::{App, Ctx};

/// Scores computed and written per batch when everyone is rescored.
const RESCORE_BATCH: usize = 10_000;
/// The most bands an item may have.
const MAX_BANDS: usize = 20;
/// The most points a band or a cap may give.
const MAX_POINTS: i64 = 1_000;
/// The longest note on a scorecard or an exclusion.
const MAX_NOTE: usize = 500;

// ---------------------------------------------------------------------------------------------
// Views

/// From this value on, this many points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BandView {
    pub from: i64,
    pub points: i64,
}

/// One indicator of a scorecard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemView {
    pub indicator: Indicator,
    /// `知识产权（有效知识产权数）`.
    pub label: String,
    /// Rising: the last band the value reaches gives its points.
    pub bands: Vec<BandView>,
    /// The bands as the form takes them: `1:10, 3:20, 5:30, 10:40`.
    pub bands_text: String,
    /// The most the item gives.
    pub cap: i64,
    /// A bonus item (加分项), on top of the base indicators.
    pub bonus: bool,
}

/// A grade's lowest score and the credit line it recommends.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeLineView {
    pub grade: Grade,
    /// `A级`.
    pub label: String,
    pub min_score: i64,
    pub line_fen: i64,
    /// `300万元`.
    pub line: String,
}

/// One reason of the negative list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExclusionKindView {
    pub exclusion: Exclusion,
    pub label: String,
}

/// A version of the bureau's scorecard.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScorecardView {
    pub version: i64,
    /// The highest version is in force.
    pub in_force: bool,
    pub note: String,
    /// Who made it (none: the shipped default).
    pub created_by: Option<String>,
    pub created_at: String,
    #[serde(skip)]
    pub created_at_ms: i64,
    pub items: Vec<ItemView>,
    /// The most the base items and the bonus items can give.
    pub base_max: i64,
    pub bonus_max: i64,
    /// Best grade first.
    pub grades: Vec<GradeLineView>,
    pub exclusions: Vec<ExclusionKindView>,
}

/// One indicator's line in a score's working.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkingLine {
    pub indicator: Indicator,
    pub label: String,
    /// None: the platform holds no value for it (it scores nothing).
    pub value: Option<i64>,
    /// The value, or `无数据`.
    pub value_text: String,
    pub points: i64,
    pub cap: i64,
    pub bonus: bool,
}

/// A score with its working, its scorecard version and its data date.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreView {
    pub id: i64,
    pub enterprise_id: i64,
    /// The scorecard version it was scored on.
    pub version: i64,
    /// The last day of the year its figures describe (`YYYY-MM-DD`).
    pub data_date: String,
    pub base: i64,
    pub bonus: i64,
    pub total: i64,
    /// None when below the lowest grade or excluded.
    pub grade: Option<Grade>,
    pub grade_label: Option<String>,
    /// The recommended credit line, fen, and in words (`200万元`).
    pub line_fen: Option<i64>,
    pub line: Option<String>,
    /// The reason of the negative list that applies, if one does.
    pub excluded: Option<Exclusion>,
    pub excluded_label: Option<String>,
    /// What the score comes to, in a sentence: `B级，建议授信额度200万元`.
    pub outcome: String,
    /// Indicator by indicator, in the scorecard's order.
    pub working: Vec<WorkingLine>,
    /// When it was scored (RFC 3339).
    pub scored_at: String,
    #[serde(skip)]
    pub scored_at_ms: i64,
}

/// A note that an enterprise is on the negative list.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ExclusionView {
    pub id: i64,
    pub enterprise_id: i64,
    pub exclusion: Exclusion,
    pub label: String,
    pub note: String,
    pub noted_by: Option<String>,
    pub noted_at: String,
    /// None while it holds.
    pub lifted_at: Option<String>,
    #[serde(skip)]
    pub noted_at_ms: i64,
}

/// An enterprise's current score (on the version in force) and the bureau's live notes.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ScoreDetail {
    pub enterprise_id: i64,
    pub enterprise_name: String,
    pub score: ScoreView,
    /// The bureau's notes on the negative list that hold now.
    pub exclusions: Vec<ExclusionView>,
    /// Whether the caller may note and lift exclusions (the bureau).
    pub can_manage: bool,
}

/// How many enterprises stand at each grade on a version.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeCounts {
    pub version: i64,
    /// Enterprises scored on it.
    pub scored: i64,
    /// A to E.
    pub grades: Vec<GradeCount>,
    /// Below the lowest grade.
    pub ungraded: i64,
    /// On the negative list.
    pub excluded: i64,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GradeCount {
    pub grade: Grade,
    pub label: String,
    pub count: i64,
}

/// What rescoring every enterprise came to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RescoreView {
    pub counts: GradeCounts,
    /// How long it took, ms.
    pub elapsed_ms: i64,
}

// ---------------------------------------------------------------------------------------------
// Inputs

/// One indicator of a new scorecard.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    pub indicator: Indicator,
    /// Rising in both the value and the points; at least one.
    pub bands: Vec<BandView>,
    /// The most the item may give (0–1000).
    pub cap: i64,
    /// A bonus item (加分项).
    #[serde(default)]
    pub bonus: bool,
}

/// A grade of a new scorecard.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    pub grade: Grade,
    pub min_score: i64,
    /// The recommended credit line, fen (at most 1亿元).
    pub line_fen: i64,
}

/// A new version of the scorecard (it takes the next version number and is in force at once).
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScorecardInput {
    /// Why this version (at most 500 characters).
    #[serde(default)]
    pub note: String,
    pub items: Vec<ItemInput>,
    /// A to E, each lower than the one before in its minimum score and not higher in its line.
    pub grades: Vec<GradeInput>,
    /// The negative list; every reason when left out.
    #[serde(default)]
    pub exclusions: Option<Vec<Exclusion>>,
}

/// The bureau's note that an enterprise is on the negative list.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExclusionInput {
    pub exclusion: Exclusion,
    /// The grounds, e.g. where it was published (required, at most 500 characters).
    pub note: String,
}

// ---------------------------------------------------------------------------------------------
// Words

/// A credit line in 万元: `300万元`, `12.5万元`.
pub fn wan(fen: i64) -> String {
    const WAN: i64 = 10_000 * 100;
    if fen % WAN == 0 {
        format!("{}万元", fen / WAN)
    } else {
        let s = format!("{:.2}", fen as f64 / WAN as f64);
        format!("{}万元", s.trim_end_matches('0').trim_end_matches('.'))
    }
}

/// Bands as the form takes them: `1:10, 3:20`.
pub fn bands_text(bands: &[Band]) -> String {
    bands
        .iter()
        .map(|b| format!("{}:{}", b.from, b.points))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads bands typed as `1:10, 3:20, 5:30` (full-width digits, `：` and `，` too; `;` or spaces
/// between bands). Blank is no band. A piece that is not `value:points` in whole numbers is
/// refused, quoting it.
pub fn parse_bands(text: &str) -> Result<Vec<BandView>, (String, String)> {
    let mut text: String = fruition_domain::uscc::half_width(text)
        .chars()
        .map(|c| if c.is_whitespace() { ' ' } else { c })
        .collect();
    while text.contains(" :") || text.contains(": ") {
        text = text.replace(" :", ":").replace(": ", ":");
    }
    let mut out = Vec::new();
    for piece in text.split([',', ';', '；', '、', '，', ' ']) {
        if piece.is_empty() {
            continue;
        }
        let parsed = piece.split_once(':').and_then(|(from, points)| {
            Some(BandView {
                from: from.parse().ok()?,
                points: points.parse().ok()?,
            })
        });
        match parsed {
            Some(b) => out.push(b),
            None => {
                let mut quoted: String = piece.chars().take(20).collect();
                if piece.chars().nth(20).is_some() {
                    quoted.push('…');
                }
                return Err((
                    format!("“{quoted}”不是“起点:分值”的整数格式，例如 1:10, 3:20"),
                    format!("“{quoted}” is not “from:points” in whole numbers, e.g. 1:10, 3:20"),
                ));
            }
        }
    }
    Ok(out)
}

fn outcome_words(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Graded { grade, line_fen } => {
            format!(
                "{}，建议授信额度{}",
                grade.label(Lang::ZhCn),
                wan(*line_fen)
            )
        }
        Outcome::Ungraded => "未达到最低等级，不推荐授信".into(),
        Outcome::Excluded { exclusion } => {
            format!("列入负面清单：{}", exclusion.label(Lang::ZhCn))
        }
    }
}

impl ScorecardView {
    fn new(row: &ScorecardRow, card: &Scorecard, in_force: bool) -> ScorecardView {
        let max = |bonus: bool| {
            card.items
                .iter()
                .filter(|i| i.bonus == bonus)
                .map(item_max)
                .sum()
        };
        ScorecardView {
            version: row.version,
            in_force,
            note: row.note.clone(),
            created_by: row.created_by_login.clone(),
            created_at: rfc3339(row.created_at),
            created_at_ms: row.created_at,
            items: card
                .items
                .iter()
                .map(|i| ItemView {
                    indicator: i.indicator,
                    label: i.indicator.label(Lang::ZhCn).into(),
                    bands: i
                        .bands
                        .iter()
                        .map(|b| BandView {
                            from: b.from,
                            points: b.points,
                        })
                        .collect(),
                    bands_text: bands_text(&i.bands),
                    cap: i.cap,
                    bonus: i.bonus,
                })
                .collect(),
            base_max: max(false),
            bonus_max: max(true),
            grades: card
                .grades
                .iter()
                .map(|g| GradeLineView {
                    grade: g.grade,
                    label: g.grade.label(Lang::ZhCn).into(),
                    min_score: g.min_score,
                    line_fen: g.line_fen,
                    line: wan(g.line_fen),
                })
                .collect(),
            exclusions: card
                .exclusions
                .iter()
                .map(|e| ExclusionKindView {
                    exclusion: *e,
                    label: e.label(Lang::ZhCn).into(),
                })
                .collect(),
        }
    }
}

/// The most an item can give: its highest band, within its cap.
fn item_max(item: &Item) -> i64 {
    item.bands
        .iter()
        .map(|b| b.points)
        .max()
        .unwrap_or(0)
        .min(item.cap)
}

impl ScoreView {
    fn new(row: &ScoreRow) -> Result<ScoreView, AppError> {
        let s = row.score().map_err(|e| AppError::Internal(e.into()))?;
        let (grade, line_fen, excluded) = match s.outcome {
            Outcome::Graded { grade, line_fen } => (Some(grade), Some(line_fen), None),
            Outcome::Ungraded => (None, None, None),
            Outcome::Excluded { exclusion } => (None, None, Some(exclusion)),
        };
        Ok(ScoreView {
            id: row.id,
            enterprise_id: row.enterprise_id,
            version: s.version,
            data_date: s.data_date.to_string(),
            base: s.base,
            bonus: s.bonus,
            total: s.total,
            grade,
            grade_label: grade.map(|g| g.label(Lang::ZhCn).into()),
            line_fen,
            line: line_fen.map(wan),
            excluded,
            excluded_label: excluded.map(|e| e.label(Lang::ZhCn).into()),
            outcome: outcome_words(&s.outcome),
            working: s
                .working
                .iter()
                .map(|w| WorkingLine {
                    indicator: w.indicator,
                    label: w.indicator.label(Lang::ZhCn).into(),
                    value: w.value,
                    value_text: w.value.map_or_else(|| "无数据".into(), |v| v.to_string()),
                    points: w.points,
                    cap: w.cap,
                    bonus: w.bonus,
                })
                .collect(),
            scored_at: rfc3339(row.created_at),
            scored_at_ms: row.created_at,
        })
    }
}

impl ExclusionView {
    fn new(x: ExclusionRow) -> ExclusionView {
        ExclusionView {
            id: x.id,
            enterprise_id: x.enterprise_id,
            label: x.exclusion.label(Lang::ZhCn).into(),
            exclusion: x.exclusion,
            note: x.note,
            noted_by: x.noted_by_login,
            noted_at: rfc3339(x.noted_at),
            lifted_at: x.lifted_at.map(rfc3339),
            noted_at_ms: x.noted_at,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Scorecards

fn parse_card(row: &ScorecardRow) -> Result<Scorecard, AppError> {
    serde_json::from_str(&row.card_json).map_err(|e| {
        AppError::Internal(anyhow::anyhow!(
            "scorecard version {} cannot be read: {e}",
            row.version
        ))
    })
}

/// The scorecard in force (storing the shipped default as version 1 when none is stored).
pub async fn in_force(app: &App) -> Result<(ScorecardRow, Scorecard), AppError> {
    if let Some(row) = store::in_force(&app.db).await? {
        let card = parse_card(&row)?;
        return Ok((row, card));
    }
    store::insert_first(
        &app.db,
        &AuditCtx::system("credit"),
        &Scorecard::default_v1(),
        "默认评分卡（重庆模式：知识产权、研发投入为基础指标，科技人才、创新产品、创新企业加分）",
    )
    .await?;
    let row = store::in_force(&app.db)
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no scorecard after storing one")))?;
    let card = parse_card(&row)?;
    Ok((row, card))
}

/// Every version, newest first (everyone signed in).
pub async fn list_scorecards(app: &App, ctx: &Ctx<'_>) -> Result<Vec<ScorecardView>, AppError> {
    ctx.require(Action::ViewScorecards)?;
    let (current, _) = in_force(app).await?;
    store::scorecards(&app.db)
        .await?
        .iter()
        .map(|row| {
            Ok(ScorecardView::new(
                row,
                &parse_card(row)?,
                row.version == current.version,
            ))
        })
        .collect()
}

/// One version (everyone signed in).
pub async fn get_scorecard(
    app: &App,
    ctx: &Ctx<'_>,
    version: i64,
) -> Result<ScorecardView, AppError> {
    ctx.require(Action::ViewScorecards)?;
    let (current, _) = in_force(app).await?;
    let row = store::scorecard(&app.db, version)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(ScorecardView::new(
        &row,
        &parse_card(&row)?,
        row.version == current.version,
    ))
}

/// Checks a new scorecard field by field, naming each problem's field (`items.rd_spending.bands`,
/// `grades.b.min_score`, …); all problems at once.
pub fn check_scorecard(input: &ScorecardInput) -> Result<Scorecard, AppError> {
    let mut problems: Vec<Problem> = Vec::new();
    let mut bad = |field: String, zh: String, en: String| problems.push(Problem { field, zh, en });
    if input.note.chars().count() > MAX_NOTE {
        bad(
            "note".into(),
            format!("说明不超过{MAX_NOTE}字"),
            format!("The note is at most {MAX_NOTE} characters"),
        );
    }
    if input.items.is_empty() {
        bad(
            "items".into(),
            "评分卡至少需要一项指标".into(),
            "A scorecard needs at least one indicator".into(),
        );
    }
    let mut seen = BTreeSet::new();
    let mut max_total = 0;
    for item in &input.items {
        let code = item.indicator.code();
        let name = item.indicator.label(Lang::ZhCn);
        let field = |part: &str| format!("items.{code}.{part}");
        if !seen.insert(code) {
            bad(
                field("indicator"),
                format!("指标“{name}”重复"),
                format!("{} appears twice", item.indicator),
            );
            continue;
        }
        let bands = &item.bands;
        if bands.is_empty() {
            bad(
                field("bands"),
                format!("指标“{name}”至少需要一档"),
                format!("{}: at least one band", item.indicator),
            );
        } else if bands.len() > MAX_BANDS {
            bad(
                field("bands"),
                format!("指标“{name}”最多{MAX_BANDS}档"),
                format!("{}: at most {MAX_BANDS} bands", item.indicator),
            );
        } else if bands
            .iter()
            .any(|b| b.from < 0 || b.points < 0 || b.points > MAX_POINTS)
        {
            bad(
                field("bands"),
                format!("指标“{name}”的起点和分值不能为负，分值不超过{MAX_POINTS}"),
                format!(
                    "{}: values and points are not negative, points at most {MAX_POINTS}",
                    item.indicator
                ),
            );
        } else if bands
            .windows(2)
            .any(|w| w[1].from <= w[0].from || w[1].points < w[0].points)
        {
            bad(
                field("bands"),
                format!("指标“{name}”的分档应从低到高排列：起点逐档增大，分值不减少"),
                format!(
                    "{}: bands must rise — each starts higher than the one before and gives no fewer points",
                    item.indicator
                ),
            );
        }
        if !(0..=MAX_POINTS).contains(&item.cap) {
            bad(
                field("cap"),
                format!("指标“{name}”的封顶分应在0到{MAX_POINTS}之间"),
                format!("{}: the cap is 0 to {MAX_POINTS}", item.indicator),
            );
        }
        max_total += bands
            .iter()
            .map(|b| b.points.clamp(0, MAX_POINTS))
            .max()
            .unwrap_or(0)
            .min(item.cap.clamp(0, MAX_POINTS));
    }
    // Whether the most the card gives is known (an item without bands is refused above).
    let complete = !input.items.is_empty() && input.items.iter().all(|i| !i.bands.is_empty());
    let order: Vec<Grade> = input.grades.iter().map(|g| g.grade).collect();
    if order != Grade::ALL {
        bad(
            "grades".into(),
            "等级应依次为 A、B、C、D、E，各一次".into(),
            "Grades run A, B, C, D, E, once each".into(),
        );
    } else {
        for (i, g) in input.grades.iter().enumerate() {
            let code = g.grade.code();
            let name = g.grade.label(Lang::ZhCn);
            let prev = i.checked_sub(1).map(|p| &input.grades[p]);
            if g.min_score < 0 {
                bad(
                    format!("grades.{code}.min_score"),
                    format!("{name}的最低分不能为负"),
                    format!("{}: the minimum score cannot be negative", g.grade),
                );
            } else if let Some(p) = prev.filter(|p| g.min_score >= p.min_score) {
                bad(
                    format!("grades.{code}.min_score"),
                    format!(
                        "{name}的最低分应低于{}的最低分（{}分）",
                        p.grade.label(Lang::ZhCn),
                        p.min_score
                    ),
                    format!(
                        "{}: the minimum score must be below {}'s ({})",
                        g.grade, p.grade, p.min_score
                    ),
                );
            } else if g.min_score > max_total && complete {
                bad(
                    format!("grades.{code}.min_score"),
                    format!("{name}的最低分超过了评分卡可能的最高分（{max_total}分）"),
                    format!(
                        "{}: the minimum score is above the most the scorecard can give ({max_total})",
                        g.grade
                    ),
                );
            }
            if g.line_fen <= 0 || g.line_fen > money::MAX_FEN {
                bad(
                    format!("grades.{code}.line_fen"),
                    format!("{name}的授信额度应大于0且不超过1亿元"),
                    format!(
                        "{}: the line is above 0 and at most 100 million yuan",
                        g.grade
                    ),
                );
            } else if let Some(p) = prev.filter(|p| g.line_fen > p.line_fen) {
                bad(
                    format!("grades.{code}.line_fen"),
                    format!(
                        "{name}的授信额度不能高于{}（{}）",
                        p.grade.label(Lang::ZhCn),
                        wan(p.line_fen)
                    ),
                    format!("{}: the line cannot be above {}'s", g.grade, p.grade),
                );
            }
        }
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let mut exclusions = input
        .exclusions
        .clone()
        .unwrap_or_else(|| Exclusion::ALL.to_vec());
    let mut kept = BTreeSet::new();
    exclusions.retain(|e| kept.insert(e.code()));
    // The domain's own check has the last word (the version is given when it is stored).
    Scorecard::new(
        1,
        input
            .items
            .iter()
            .map(|i| Item {
                indicator: i.indicator,
                bands: i
                    .bands
                    .iter()
                    .map(|b| Band {
                        from: b.from,
                        points: b.points,
                    })
                    .collect(),
                cap: i.cap,
                bonus: i.bonus,
            })
            .collect(),
        input
            .grades
            .iter()
            .map(|g| GradeLine {
                grade: g.grade,
                min_score: g.min_score,
                line_fen: g.line_fen,
            })
            .collect(),
        exclusions,
    )
    .map_err(AppError::invalid)
}

/// Stores a new version of the scorecard, in force at once (the bureau). Enterprises keep their
/// scores on the versions before until they are rescored.
pub async fn create_scorecard(
    app: &App,
    ctx: &Ctx<'_>,
    input: &ScorecardInput,
) -> Result<ScorecardView, AppError> {
    ctx.require(Action::ManageScorecards)?;
    let card = check_scorecard(input)?;
    // The shipped default is version 1 even when the first change comes before any score.
    in_force(app).await?;
    let mut tx = app.db.begin().await?;
    let row = store::insert_next(&mut tx, &ctx.audit(), card, input.note.trim())
        .await
        .map_err(|e| match e {
            StoreError::Conflict { .. } => AppError::Conflict {
                field: "version".into(),
                zh: "另一版本刚刚保存，请刷新后重试".into(),
                en: "Another version was just saved; reload and try again".into(),
            },
            e => e.into(),
        })?;
    tx.commit().await?;
    Ok(ScorecardView::new(&row, &parse_card(&row)?, true))
}

// ---------------------------------------------------------------------------------------------
// Scoring

/// Scores one enterprise as its data stand, figures up to `as_of_year`.
async fn score_one(app: &App, card: &Scorecard, enterprise_id: i64) -> Result<Score, AppError> {
    let year = this_year();
    let facts = store::facts_row(&app.db, enterprise_id, year)
        .await?
        .ok_or(AppError::NotFound)?;
    let exclusions = store::exclusions_in_force(&app.db, Some(enterprise_id)).await?;
    let listed = exclusions
        .get(&enterprise_id)
        .map_or(&[][..], Vec::as_slice);
    Ok(credit::score(
        card,
        &facts.facts(listed),
        facts.data_date(year),
    ))
}

/// Scores one enterprise now on the version in force and stores it (replacing the row of the same
/// version and data date). For changes that move a score at once: an exclusion noted or lifted,
/// a loan gone overdue.
pub async fn score_now(app: &App, enterprise_id: i64) -> Result<ScoreRow, AppError> {
    let (_, card) = in_force(app).await?;
    let s = score_one(app, &card, enterprise_id).await?;
    Ok(store::upsert_score(&app.db, &NewScore::new(enterprise_id, &s)?).await?)
}

/// The enterprise's current score: its latest stored score on the version in force, scoring and
/// storing one now when there is none. No authorisation here: the caller has decided who may see
/// it (see [`enterprise_score`]).
pub async fn current(app: &crate::App, enterprise_id: i64) -> Result<ScoreRow, AppError> {
    let (_, card) = in_force(app).await?;
    if let Some(row) = store::latest(&app.db, enterprise_id, card.version).await? {
        return Ok(row);
    }
    let s = score_one(app, &card, enterprise_id).await?;
    Ok(store::upsert_score(&app.db, &NewScore::new(enterprise_id, &s)?).await?)
}

/// Recomputes a stored score from what it keeps — its version's scorecard, its data date and the
/// values and exclusion of its working — and answers whether it comes out the same.
pub fn reproduce(card: &Scorecard, row: &ScoreRow) -> bool {
    let Ok(stored) = row.score() else {
        return false;
    };
    if card.version != stored.version {
        return false;
    }
    let mut facts = Facts::default();
    for w in &stored.working {
        if let Some(v) = w.value {
            facts.set(w.indicator, v);
        }
    }
    if let Outcome::Excluded { exclusion } = stored.outcome {
        facts.exclude(exclusion);
    }
    credit::score(card, &facts, stored.data_date) == stored
}

/// Where a score leaves an enterprise, for the counts.
#[derive(Clone, Copy)]
enum Standing {
    Graded(Grade),
    Ungraded,
    Excluded,
}

impl From<&Outcome> for Standing {
    fn from(o: &Outcome) -> Standing {
        match o {
            Outcome::Graded { grade, .. } => Standing::Graded(*grade),
            Outcome::Ungraded => Standing::Ungraded,
            Outcome::Excluded { .. } => Standing::Excluded,
        }
    }
}

/// Counts by grade, as they are added up.
#[derive(Default)]
struct Tally {
    scored: i64,
    by_grade: HashMap<Grade, i64>,
    ungraded: i64,
    excluded: i64,
}

impl Tally {
    fn add(&mut self, standing: Standing, n: i64) {
        self.scored += n;
        match standing {
            Standing::Graded(grade) => *self.by_grade.entry(grade).or_default() += n,
            Standing::Ungraded => self.ungraded += n,
            Standing::Excluded => self.excluded += n,
        }
    }

    fn counts(&self, version: i64) -> GradeCounts {
        GradeCounts {
            version,
            scored: self.scored,
            grades: Grade::ALL
                .iter()
                .map(|g| GradeCount {
                    grade: *g,
                    label: g.label(Lang::ZhCn).into(),
                    count: self.by_grade.get(g).copied().unwrap_or(0),
                })
                .collect(),
            ungraded: self.ungraded,
            excluded: self.excluded,
        }
    }
}

/// Rescores every enterprise on the version in force (the bureau): one action, one transaction
/// that writes every score and an audit entry with the counts.
pub async fn rescore(app: &App, ctx: &Ctx<'_>) -> Result<RescoreView, AppError> {
    ctx.require(Action::ManageScorecards)?;
    let started = Instant::now();
    let (_, card) = in_force(app).await?;
    let year = this_year();
    let rows = store::facts_rows(&app.db, year).await?;
    let exclusions = store::exclusions_in_force(&app.db, None).await?;
    let now = now_ms();
    let mut tally = Tally::default();
    let mut tx = app.db.begin().await?;
    for chunk in rows.chunks(RESCORE_BATCH) {
        let mut batch = Vec::with_capacity(chunk.len());
        for r in chunk {
            let listed = exclusions
                .get(&r.enterprise_id)
                .map_or(&[][..], Vec::as_slice);
            let s = credit::score(&card, &r.facts(listed), r.data_date(year));
            tally.add(Standing::from(&s.outcome), 1);
            batch.push(NewScore::new(r.enterprise_id, &s)?);
        }
        store::upsert_scores(&mut tx, &batch, now).await?;
    }
    let counts = tally.counts(card.version);
    store::record_rescore(&mut tx, &ctx.audit(), card.version, &counts).await?;
    tx.commit().await?;
    Ok(RescoreView {
        counts,
        elapsed_ms: i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX),
    })
}

/// How many enterprises stand at each grade on the version in force, each by its latest score
/// there (the bureau).
pub async fn grade_counts(app: &App, ctx: &Ctx<'_>) -> Result<GradeCounts, AppError> {
    ctx.require(Action::ManageScorecards)?;
    let (_, card) = in_force(app).await?;
    let mut tally = Tally::default();
    for c in store::counts(&app.db, card.version).await? {
        let standing = match (c.excluded, c.grade.as_deref().and_then(Grade::parse)) {
            (true, _) => Standing::Excluded,
            (false, Some(grade)) => Standing::Graded(grade),
            (false, None) => Standing::Ungraded,
        };
        tally.add(standing, c.count);
    }
    Ok(tally.counts(card.version))
}

// ---------------------------------------------------------------------------------------------
// An enterprise's score

/// The enterprise, after checking the caller may see its score.
async fn visible(
    app: &App,
    ctx: &Ctx<'_>,
    enterprise_id: i64,
) -> Result<enterprises::Enterprise, AppError> {
    let e = enterprises::get(&app.db, enterprise_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let bank_org_ids = store::applied_banks(&app.db, enterprise_id).await?;
    ctx.require(Action::ViewCreditScore {
        enterprise_org_id: e.org_id,
        bank_org_ids,
    })?;
    Ok(e)
}

/// The enterprise's current score with its working (the bureau, the enterprise's own users, a
/// bank it has asked for a loan).
pub async fn enterprise_score(
    app: &App,
    ctx: &Ctx<'_>,
    enterprise_id: i64,
) -> Result<ScoreDetail, AppError> {
    let e = visible(app, ctx, enterprise_id).await?;
    let row = current(app, enterprise_id).await?;
    Ok(ScoreDetail {
        enterprise_id,
        enterprise_name: e.name,
        score: ScoreView::new(&row)?,
        exclusions: store::exclusions(&app.db, enterprise_id, true)
            .await?
            .into_iter()
            .map(ExclusionView::new)
            .collect(),
        can_manage: ctx.require(Action::ManageScorecards).is_ok(),
    })
}

/// Every score the enterprise has had: newest version first, then the most recently scored.
pub async fn enterprise_history(
    app: &App,
    ctx: &Ctx<'_>,
    enterprise_id: i64,
) -> Result<Vec<ScoreView>, AppError> {
    visible(app, ctx, enterprise_id).await?;
    store::history(&app.db, enterprise_id)
        .await?
        .iter()
        .map(ScoreView::new)
        .collect()
}

/// Notes that an enterprise is on the negative list (the bureau); its score is redone at once.
pub async fn note_exclusion(
    app: &App,
    ctx: &Ctx<'_>,
    enterprise_id: i64,
    input: &ExclusionInput,
) -> Result<ExclusionView, AppError> {
    ctx.require(Action::ManageScorecards)?;
    let e = enterprises::get(&app.db, enterprise_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let note = input.note.trim();
    if note.is_empty() {
        return Err(AppError::Invalid(vec![Problem::new(
            "note",
            "请说明依据（如公示来源和日期）",
            "Give the grounds (e.g. where and when it was published)",
        )]));
    }
    if note.chars().count() > MAX_NOTE {
        return Err(AppError::Invalid(vec![Problem::new(
            "note",
            &format!("说明不超过{MAX_NOTE}字"),
            &format!("The note is at most {MAX_NOTE} characters"),
        )]));
    }
    let mut tx = app.db.begin().await?;
    let row = store::note_exclusion(
        &mut tx,
        &ctx.audit(),
        enterprise_id,
        e.org_id,
        input.exclusion,
        note,
    )
    .await
    .map_err(|err| match err {
        StoreError::Conflict { .. } => AppError::Conflict {
            field: "exclusion".into(),
            zh: format!(
                "该企业已因“{}”列入负面清单",
                input.exclusion.label(Lang::ZhCn)
            ),
            en: format!(
                "The enterprise is already on the negative list for “{}”",
                input.exclusion.label(Lang::En)
            ),
        },
        err => err.into(),
    })?;
    tx.commit().await?;
    score_now(app, enterprise_id).await?;
    Ok(ExclusionView::new(row))
}

/// Lifts the bureau's note (the bureau); the score is redone at once.
pub async fn lift_exclusion(
    app: &App,
    ctx: &Ctx<'_>,
    enterprise_id: i64,
    exclusion_id: i64,
) -> Result<ExclusionView, AppError> {
    ctx.require(Action::ManageScorecards)?;
    let e = enterprises::get(&app.db, enterprise_id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    let row = store::lift_exclusion(&mut tx, &ctx.audit(), enterprise_id, exclusion_id, e.org_id)
        .await
        .map_err(|err| match err {
            StoreError::Conflict { .. } => AppError::Conflict {
                field: "exclusion_id".into(),
                zh: "该负面清单记录已解除".into(),
                en: "This note has already been lifted".into(),
            },
            err => err.into(),
        })?;
    tx.commit().await?;
    score_now(app, enterprise_id).await?;
    Ok(ExclusionView::new(row))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> ScorecardInput {
        let card = Scorecard::default_v1();
        ScorecardInput {
            note: String::new(),
            items: card
                .items
                .iter()
                .map(|i| ItemInput {
                    indicator: i.indicator,
                    bands: i
                        .bands
                        .iter()
                        .map(|b| BandView {
                            from: b.from,
                            points: b.points,
                        })
                        .collect(),
                    cap: i.cap,
                    bonus: i.bonus,
                })
                .collect(),
            grades: card
                .grades
                .iter()
                .map(|g| GradeInput {
                    grade: g.grade,
                    min_score: g.min_score,
                    line_fen: g.line_fen,
                })
                .collect(),
            exclusions: None,
        }
    }

    fn fields(err: AppError) -> Vec<String> {
        match err {
            AppError::Invalid(p) => p.into_iter().map(|p| p.field).collect(),
            other => panic!("not invalid input: {other:?}"),
        }
    }

    #[test]
    fn the_default_passes_the_checks() {
        let card = check_scorecard(&input()).expect("valid");
        assert_eq!(card.items, Scorecard::default_v1().items);
        assert_eq!(card.exclusions, Exclusion::ALL.to_vec());
    }

    #[test]
    fn each_problem_names_its_field() {
        let mut i = input();
        i.items[1].bands.reverse();
        i.items[2].cap = -1;
        i.grades[2].min_score = 70; // C above B (65)
        i.grades[4].line_fen = 0;
        let got = fields(check_scorecard(&i).expect_err("refused"));
        assert_eq!(
            got,
            [
                "items.rd_spending.bands",
                "items.talent.cap",
                "grades.c.min_score",
                "grades.e.line_fen"
            ]
        );
        let mut i = input();
        i.grades.swap(0, 1);
        assert_eq!(
            fields(check_scorecard(&i).expect_err("refused")),
            ["grades"]
        );
        let mut i = input();
        i.grades[0].min_score = 101; // the card gives at most 100
        assert_eq!(
            fields(check_scorecard(&i).expect_err("refused")),
            ["grades.a.min_score"]
        );
        let mut i = input();
        i.grades[1].line_fen = i.grades[0].line_fen + 1;
        assert_eq!(
            fields(check_scorecard(&i).expect_err("refused")),
            ["grades.b.line_fen"]
        );
        let mut i = input();
        let again = i.items[0].clone();
        i.items.push(again);
        assert_eq!(
            fields(check_scorecard(&i).expect_err("refused")),
            ["items.intellectual_property.indicator"]
        );
    }

    #[test]
    fn bands_are_read_as_typed() {
        assert_eq!(
            parse_bands("1:10, 3:20，５：30; 10:40").expect("bands"),
            [
                BandView {
                    from: 1,
                    points: 10
                },
                BandView {
                    from: 3,
                    points: 20
                },
                BandView {
                    from: 5,
                    points: 30
                },
                BandView {
                    from: 10,
                    points: 40
                }
            ]
        );
        assert_eq!(parse_bands("  ").expect("blank"), []);
        let (zh, _) = parse_bands("1:10, 3:x").expect_err("refused");
        assert!(zh.contains("3:x"), "{zh}");
        assert!(parse_bands("10").is_err());
    }

    #[test]
    fn lines_read_in_wan() {
        assert_eq!(wan(300 * 1_000_000), "300万元");
        assert_eq!(wan(1_250_000), "1.25万元");
        assert_eq!(wan(12_500_000), "12.5万元");
    }
}
