//! The bureau's yearly evaluation of its carriers (载体绩效评价), after the Torch Center's
//! 《科技企业孵化器评价指标体系》(国科火字〔2019〕239号), which grades incubators A/B/C/D on three
//! first-level dimensions — 服务能力 (service capacity), 孵化绩效 (incubation performance) and
//! 可持续发展 (sustainable development) — and evaluates each kind of incubator separately
//! (分类评价原则). A city may set its own indicators and weights; this module holds the rules,
//! the scheme is data.
//!
//! **The scheme.** A round stores its scheme ([`Scheme`]: each indicator with its weight, the
//! weights summing to 100, and the grades' cut-offs) when it is created, so its working is
//! reproducible even when [`Scheme::default_city`] changes later.
//!
//! **The indicators** are read from the carrier's *approved* yearly report for the round's year
//! (the Torch form the statistics count): service staff, mentors and events held (服务能力);
//! incubatees, graduates of the year and the share of incubatees that raised angel or venture
//! money (孵化绩效); patents granted to the incubatees in the year (可持续发展 — the incubatees'
//! own innovation that outlives their incubation). A carrier without an approved report for the
//! year is not evaluated.
//!
//! **Normalisation: relative to the best of the same kind.** Each indicator's score is
//! `100 × value ÷ the best value among the round's carriers of the same kind` (an incubator is
//! measured against incubators, a maker space against maker spaces), 0 when the best is 0 or
//! less (nobody earns points for nothing). Scores are kept in hundredths of a point
//! (0–10,000), points = score × weight ÷ 100, and the computed score is the sum of the points
//! (0–100.00). Integer arithmetic throughout (i128 inside), so the same facts always give the
//! same hundredths on every machine.
//!
//! **Grades: score thresholds, not quotas.** A ≥ 80, B ≥ 60, C ≥ 40, D below (the default;
//! a round stores its own). Thresholds, not percentiles, because a city evaluates a few dozen
//! carriers of each kind — a quota of "top 20 % are A" over five pilot bases is arbitrary, and a
//! carrier's grade should depend on its own result, not on how many others there are. The scores
//! are already relative (to the best of the kind), so the thresholds read as "within 80 % of the
//! best on the weighted whole".
//!
//! **Adjustment.** The bureau may add or take away up to [`MAX_ADJUSTMENT`] points from a
//! carrier's computed score with a written reason (on-site checks, a safety incident, a data
//! correction); the final score is the computed score plus the adjustment, kept within 0–100, and
//! the grade follows the final score.
//!
//! **A round's life.** draft → computed → published. Computing may be repeated until publication
//! (adjustments are kept); adjusting needs a computed round; a published round is frozen.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::carrier::CarrierKind;
use crate::org::string_enum;

/// The most points an adjustment may add or take away.
pub const MAX_ADJUSTMENT: i64 = 10;
/// The longest reason of an adjustment, in characters.
pub const MAX_REASON: usize = 500;
/// The shortest reason, in characters (a reason says something).
pub const MIN_REASON: usize = 4;
/// A full score in hundredths.
pub const FULL_CENTI: i64 = 10_000;

string_enum! {
    /// The first-level dimensions of 国科火字〔2019〕239号.
    Dimension {
        ServiceCapacity = "service_capacity", "服务能力", "Service capacity";
        Performance = "performance", "孵化绩效", "Incubation performance";
        Sustainability = "sustainability", "可持续发展", "Sustainable development";
    }
}

string_enum! {
    /// What a round measures, each read from an approved yearly report.
    EvaluationIndicator {
        ServiceStaff = "service_staff", "服务人员数", "Service staff";
        Mentors = "mentors", "创业导师数", "Startup mentors";
        Events = "events", "创新创业活动场次", "Events held";
        Incubatees = "incubatees", "在孵企业数", "Incubatees";
        Graduates = "graduates", "当年毕业企业数", "Graduates of the year";
        FinancedShare = "financed_share", "获得投融资的在孵企业占比（‰）", "Share of incubatees financed (‰)";
        Patents = "patents", "在孵企业当年专利授权数", "Patents granted to incubatees";
    }
}

string_enum! {
    /// A carrier's grade (评价结果).
    EvaluationGrade {
        A = "a", "A（优秀）", "A (excellent)";
        B = "b", "B（良好）", "B (good)";
        C = "c", "C（合格）", "C (satisfactory)";
        D = "d", "D（不合格）", "D (unsatisfactory)";
    }
}

string_enum! {
    /// Where a round stands.
    RoundStatus {
        Draft = "draft", "草稿", "Draft";
        Computed = "computed", "已计算", "Computed";
        Published = "published", "已发布", "Published";
    }
}

impl EvaluationIndicator {
    /// The dimension the indicator belongs to.
    pub fn dimension(self) -> Dimension {
        use EvaluationIndicator::*;
        match self {
            ServiceStaff | Mentors | Events => Dimension::ServiceCapacity,
            Incubatees | Graduates | FinancedShare => Dimension::Performance,
            Patents => Dimension::Sustainability,
        }
    }
}

impl RoundStatus {
    /// Whether the results may be (re)computed: until publication.
    pub fn can_compute(self) -> bool {
        matches!(self, RoundStatus::Draft | RoundStatus::Computed)
    }
    /// Whether a result may be adjusted: once computed, before publication.
    pub fn can_adjust(self) -> bool {
        self == RoundStatus::Computed
    }
    /// Whether the round may be published: once computed.
    pub fn can_publish(self) -> bool {
        self == RoundStatus::Computed
    }
}

/// One indicator of a scheme and its weight (points of 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Weight {
    pub indicator: EvaluationIndicator,
    pub weight: i64,
}

/// The lowest final score (whole points) of grades A, B and C; below C is D.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cutoffs {
    pub a: i64,
    pub b: i64,
    pub c: i64,
}

/// A round's scheme: indicators with weights summing to 100, and the grades' cut-offs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Scheme {
    pub weights: Vec<Weight>,
    pub cutoffs: Cutoffs,
}

impl Scheme {
    /// The city's default: 服务能力 35 (service staff 10, mentors 10, events 15), 孵化绩效 45
    /// (incubatees 15, graduates 15, financed share 15), 可持续发展 20 (patents 20); A ≥ 80,
    /// B ≥ 60, C ≥ 40.
    pub fn default_city() -> Scheme {
        use EvaluationIndicator::*;
        let w = |indicator, weight| Weight { indicator, weight };
        Scheme {
            weights: vec![
                w(ServiceStaff, 10),
                w(Mentors, 10),
                w(Events, 15),
                w(Incubatees, 15),
                w(Graduates, 15),
                w(FinancedShare, 15),
                w(Patents, 20),
            ],
            cutoffs: Cutoffs {
                a: 80,
                b: 60,
                c: 40,
            },
        }
    }

    /// A scheme checked: at least one indicator, none twice, each weight 1–100, the weights
    /// summing to 100, and 100 ≥ A > B > C ≥ 0.
    pub fn new(weights: Vec<Weight>, cutoffs: Cutoffs) -> Result<Scheme, FieldError> {
        let mut seen = Vec::new();
        for w in &weights {
            if seen.contains(&w.indicator) {
                return Err(FieldError::new(
                    "weights",
                    "duplicate",
                    format!("指标“{}”重复", w.indicator.label(crate::lang::Lang::ZhCn)),
                    format!("{} is listed twice", w.indicator.code()),
                ));
            }
            seen.push(w.indicator);
            if !(1..=100).contains(&w.weight) {
                return Err(FieldError::new(
                    "weights",
                    "range",
                    "每项指标的权重应在 1 至 100 之间",
                    "each weight must be 1–100",
                ));
            }
        }
        let sum: i64 = weights.iter().map(|w| w.weight).sum();
        if weights.is_empty() || sum != 100 {
            return Err(FieldError::new(
                "weights",
                "sum",
                format!("各项指标权重之和应为 100，现为 {sum}"),
                format!("the weights must sum to 100, not {sum}"),
            ));
        }
        let Cutoffs { a, b, c } = cutoffs;
        if !(a <= 100 && a > b && b > c && c >= 0) {
            return Err(FieldError::new(
                "cutoffs",
                "order",
                "等级分数线应满足 100 ≥ A > B > C ≥ 0",
                "the cut-offs must satisfy 100 ≥ A > B > C ≥ 0",
            ));
        }
        Ok(Scheme { weights, cutoffs })
    }

    /// The grade of a final score in hundredths.
    pub fn grade(&self, final_centi: i64) -> EvaluationGrade {
        let c = &self.cutoffs;
        if final_centi >= c.a * 100 {
            EvaluationGrade::A
        } else if final_centi >= c.b * 100 {
            EvaluationGrade::B
        } else if final_centi >= c.c * 100 {
            EvaluationGrade::C
        } else {
            EvaluationGrade::D
        }
    }
}

/// What a carrier's approved report says, for one round.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    pub service_staff: i64,
    pub mentors: i64,
    pub events: i64,
    pub incubatees: i64,
    pub graduates: i64,
    /// Incubatees that raised angel or venture money in the year.
    pub financed: i64,
    pub patents: i64,
}

impl Facts {
    /// An indicator's raw value (the financed share in ‰ of the incubatees, 0 with none).
    pub fn raw(&self, indicator: EvaluationIndicator) -> i64 {
        use EvaluationIndicator::*;
        match indicator {
            ServiceStaff => self.service_staff,
            Mentors => self.mentors,
            Events => self.events,
            Incubatees => self.incubatees,
            Graduates => self.graduates,
            FinancedShare => permille(self.financed, self.incubatees),
            Patents => self.patents,
        }
    }
}

/// `part ÷ whole` in ‰, within 0–1000; 0 when the whole is 0 or less.
pub fn permille(part: i64, whole: i64) -> i64 {
    if whole <= 0 {
        return 0;
    }
    let p = i128::from(part.clamp(0, whole)) * 1000 / i128::from(whole);
    p as i64
}

/// A value's score in hundredths (0–10,000) against the best of its kind: 0 when the best is 0
/// or less, or the value is.
pub fn normalise(raw: i64, best: i64) -> i64 {
    if best <= 0 || raw <= 0 {
        return 0;
    }
    let s = i128::from(raw.min(best)) * i128::from(FULL_CENTI) / i128::from(best);
    s as i64
}

/// One indicator's line of a carrier's working.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WorkingLine {
    pub indicator: EvaluationIndicator,
    /// The value read from the report (‰ for the financed share).
    pub raw: i64,
    /// The best value among the round's carriers of the same kind.
    pub best: i64,
    /// 0–10,000 (hundredths of a point).
    pub score_centi: i64,
    pub weight: i64,
    /// score × weight ÷ 100, in hundredths.
    pub points_centi: i64,
}

/// A carrier's computed score and its working.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub computed_centi: i64,
    pub working: Vec<WorkingLine>,
}

/// Evaluates every carrier of a round at once: scores relative to the best of the same kind.
/// Total: any facts (negative, zero, empty) give an outcome per carrier, in input order.
pub fn evaluate(scheme: &Scheme, carriers: &[(CarrierKind, Facts)]) -> Vec<Outcome> {
    let mut best: HashMap<(CarrierKind, EvaluationIndicator), i64> = HashMap::new();
    for (kind, facts) in carriers {
        for w in &scheme.weights {
            let v = facts.raw(w.indicator);
            let b = best.entry((*kind, w.indicator)).or_insert(0);
            *b = (*b).max(v);
        }
    }
    carriers
        .iter()
        .map(|(kind, facts)| {
            let working: Vec<WorkingLine> = scheme
                .weights
                .iter()
                .map(|w| {
                    let raw = facts.raw(w.indicator);
                    let best = best.get(&(*kind, w.indicator)).copied().unwrap_or(0);
                    let score_centi = normalise(raw, best);
                    WorkingLine {
                        indicator: w.indicator,
                        raw,
                        best,
                        score_centi,
                        weight: w.weight,
                        points_centi: points(score_centi, w.weight),
                    }
                })
                .collect();
            let computed_centi = working
                .iter()
                .map(|l| l.points_centi)
                .sum::<i64>()
                .clamp(0, FULL_CENTI);
            Outcome {
                computed_centi,
                working,
            }
        })
        .collect()
}

/// A score's points at a weight, in hundredths (`score × weight ÷ 100`, within 0–10,000).
pub fn points(score_centi: i64, weight: i64) -> i64 {
    let p = i128::from(score_centi.clamp(0, FULL_CENTI)) * i128::from(weight.clamp(0, 100)) / 100;
    p as i64
}

/// The final score: computed plus the adjustment's points, kept within 0–100.
pub fn final_centi(computed_centi: i64, adjustment: i64) -> i64 {
    computed_centi
        .saturating_add(adjustment.clamp(-MAX_ADJUSTMENT, MAX_ADJUSTMENT) * 100)
        .clamp(0, FULL_CENTI)
}

/// The bureau's adjustment of one carrier's score, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Adjustment {
    pub points: i64,
    pub reason: String,
}

/// Checks an adjustment: points within ±[`MAX_ADJUSTMENT`], a reason of 4–500 characters
/// (trimmed). Every problem is returned.
pub fn adjustment(points: i64, reason: &str) -> Result<Adjustment, Vec<FieldError>> {
    let mut problems = Vec::new();
    if !(-MAX_ADJUSTMENT..=MAX_ADJUSTMENT).contains(&points) {
        problems.push(FieldError::new(
            "points",
            "range",
            format!("调整分值应在 -{MAX_ADJUSTMENT} 至 {MAX_ADJUSTMENT} 分之间"),
            format!("the adjustment must be between -{MAX_ADJUSTMENT} and {MAX_ADJUSTMENT} points"),
        ));
    }
    let reason = reason.trim();
    let n = reason.chars().count();
    if n == 0 {
        problems.push(FieldError::new(
            "reason",
            "required",
            "请填写调整理由",
            "the reason is required",
        ));
    } else if n < MIN_REASON {
        problems.push(FieldError::new(
            "reason",
            "too_short",
            format!("调整理由至少 {MIN_REASON} 个字，请写明依据"),
            format!("the reason needs at least {MIN_REASON} characters"),
        ));
    } else if n > MAX_REASON {
        problems.push(FieldError::new(
            "reason",
            "too_long",
            format!("调整理由不超过 {MAX_REASON} 个字"),
            format!("the reason may have at most {MAX_REASON} characters"),
        ));
    }
    if problems.is_empty() {
        Ok(Adjustment {
            points,
            reason: reason.to_string(),
        })
    } else {
        Err(problems)
    }
}

/// A score in hundredths as text: `87.35`.
pub fn centi_text(centi: i64) -> String {
    let sign = if centi < 0 { "-" } else { "" };
    let a = centi.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn facts(staff: i64, incubatees: i64, financed: i64, patents: i64) -> Facts {
        Facts {
            service_staff: staff,
            mentors: staff,
            events: staff,
            incubatees,
            graduates: incubatees / 5,
            financed,
            patents,
        }
    }

    #[test]
    fn the_default_scheme_is_valid_and_covers_the_three_dimensions() {
        let s = Scheme::default_city();
        let checked = Scheme::new(s.weights.clone(), s.cutoffs).expect("valid");
        assert_eq!(checked, s);
        for d in Dimension::ALL {
            assert!(
                s.weights.iter().any(|w| w.indicator.dimension() == *d),
                "{d}"
            );
        }
    }

    #[test]
    fn weights_must_sum_to_100_and_cutoffs_descend() {
        let mut w = Scheme::default_city().weights;
        w[0].weight += 1;
        let e = Scheme::new(
            w,
            Cutoffs {
                a: 80,
                b: 60,
                c: 40,
            },
        )
        .expect_err("101");
        assert_eq!((e.field, e.code), ("weights", "sum"));
        assert!(e.zh.contains("101"), "{}", e.zh);
        let e = Scheme::new(
            vec![],
            Cutoffs {
                a: 80,
                b: 60,
                c: 40,
            },
        )
        .expect_err("empty");
        assert_eq!(e.code, "sum");
        let w = Scheme::default_city().weights;
        let e = Scheme::new(
            w.clone(),
            Cutoffs {
                a: 60,
                b: 60,
                c: 40,
            },
        )
        .expect_err("order");
        assert_eq!(e.field, "cutoffs");
        let mut dup = w.clone();
        dup[1].indicator = dup[0].indicator;
        assert_eq!(
            Scheme::new(
                dup,
                Cutoffs {
                    a: 80,
                    b: 60,
                    c: 40
                }
            )
            .expect_err("dup")
            .code,
            "duplicate"
        );
    }

    #[test]
    fn the_best_of_a_kind_scores_full_marks_and_kinds_are_apart() {
        let s = Scheme::default_city();
        let out = evaluate(
            &s,
            &[
                (CarrierKind::Incubator, facts(10, 50, 25, 40)),
                (CarrierKind::Incubator, facts(5, 25, 5, 10)),
                (CarrierKind::MakerSpace, facts(2, 10, 1, 1)),
            ],
        );
        assert_eq!(out[0].computed_centi, FULL_CENTI);
        assert_eq!(out[2].computed_centi, FULL_CENTI, "the only maker space");
        assert!(out[1].computed_centi < out[0].computed_centi);
        let staff = out[1].working[0];
        assert_eq!((staff.raw, staff.best, staff.score_centi), (5, 10, 5_000));
        assert_eq!(staff.points_centi, 500);
        let share = out[1]
            .working
            .iter()
            .find(|l| l.indicator == EvaluationIndicator::FinancedShare)
            .expect("share");
        assert_eq!((share.raw, share.best), (200, 500));
        assert_eq!(share.score_centi, 4_000);
    }

    #[test]
    fn nothing_scores_nothing() {
        let out = evaluate(
            &Scheme::default_city(),
            &[(CarrierKind::PilotBase, Facts::default())],
        );
        assert_eq!(out[0].computed_centi, 0);
        assert!(evaluate(&Scheme::default_city(), &[]).is_empty());
        assert_eq!(permille(3, 0), 0);
        assert_eq!(normalise(5, 0), 0);
    }

    #[test]
    fn grades_follow_the_cutoffs() {
        let s = Scheme::default_city();
        assert_eq!(s.grade(10_000), EvaluationGrade::A);
        assert_eq!(s.grade(8_000), EvaluationGrade::A);
        assert_eq!(s.grade(7_999), EvaluationGrade::B);
        assert_eq!(s.grade(4_000), EvaluationGrade::C);
        assert_eq!(s.grade(3_999), EvaluationGrade::D);
        assert_eq!(s.grade(-5), EvaluationGrade::D);
    }

    #[test]
    fn an_adjustment_is_bounded_and_needs_a_reason() {
        let a = adjustment(-5, "  现场核查发现孵化场地被挪作他用  ").expect("ok");
        assert_eq!(a.points, -5);
        assert_eq!(a.reason, "现场核查发现孵化场地被挪作他用");
        let e = adjustment(11, "").expect_err("both");
        let fields: Vec<_> = e.iter().map(|p| p.field).collect();
        assert_eq!(fields, vec!["points", "reason"]);
        assert_eq!(adjustment(3, "好").expect_err("short")[0].code, "too_short");
        assert_eq!(final_centi(9_800, 5), FULL_CENTI);
        assert_eq!(final_centi(300, -10), 0);
        assert_eq!(final_centi(5_000, 3), 5_300);
    }

    #[test]
    fn rounds_move_forward_only() {
        use RoundStatus::*;
        assert!(Draft.can_compute() && Computed.can_compute() && !Published.can_compute());
        assert!(!Draft.can_adjust() && Computed.can_adjust() && !Published.can_adjust());
        assert!(!Draft.can_publish() && Computed.can_publish() && !Published.can_publish());
    }

    #[test]
    fn scores_read_as_text() {
        assert_eq!(centi_text(8_735), "87.35");
        assert_eq!(centi_text(5), "0.05");
        assert_eq!(centi_text(-250), "-2.50");
    }

    fn any_facts() -> impl Strategy<Value = Facts> {
        let v = prop_oneof![Just(0i64), Just(i64::MAX), Just(i64::MIN), -5i64..1000];
        (
            v.clone(),
            v.clone(),
            v.clone(),
            v.clone(),
            v.clone(),
            v.clone(),
            v,
        )
            .prop_map(|(a, b, c, d, e, f, g)| Facts {
                service_staff: a,
                mentors: b,
                events: c,
                incubatees: d,
                graduates: e,
                financed: f,
                patents: g,
            })
    }

    proptest! {
        #[test]
        fn evaluation_is_total_and_bounded(
            carriers in proptest::collection::vec((proptest::sample::select(CarrierKind::ALL.to_vec()), any_facts()), 0..30),
            adj in any::<i64>(),
        ) {
            let s = Scheme::default_city();
            let out = evaluate(&s, &carriers);
            prop_assert_eq!(out.len(), carriers.len());
            for o in &out {
                prop_assert!((0..=FULL_CENTI).contains(&o.computed_centi));
                for l in &o.working {
                    prop_assert!((0..=FULL_CENTI).contains(&l.score_centi));
                    prop_assert!(l.points_centi <= l.weight * 100);
                }
                let f = final_centi(o.computed_centi, adj);
                prop_assert!((0..=FULL_CENTI).contains(&f));
                let _ = s.grade(f);
            }
        }

        #[test]
        fn reasons_never_panic(points in any::<i64>(), reason in any::<String>()) {
            match adjustment(points, &reason) {
                Ok(a) => {
                    prop_assert!(a.points.abs() <= MAX_ADJUSTMENT);
                    prop_assert!(a.reason.chars().count() <= MAX_REASON);
                }
                Err(e) => prop_assert!(!e.is_empty() && e.iter().all(|p| !p.zh.is_empty() && !p.en.is_empty())),
            }
        }
    }
}
