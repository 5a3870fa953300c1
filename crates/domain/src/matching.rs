//! Matching supply to demand (供需对接): how a suggested listing is scored for a listing of the
//! user's, and the reasons said in words. The text relevance comes from the search index; the
//! rest from the two listings' facts.

use serde::Serialize;

use crate::lang::Lang;
use crate::market::ListingKind;
use crate::org::string_enum;

string_enum! {
    /// What an owner says of a suggestion. Anything but `Interested` rejects the pair.
    Verdict {
        Interested = "interested", "感兴趣", "Interested";
        TooEarly = "too_early", "技术还不够成熟", "Too early";
        BenefitUnclear = "benefit_unclear", "效益不明确", "Benefit unclear";
        OffField = "off_field", "领域不对口", "Off field";
        Price = "price", "价格不合适", "Price does not fit";
        Other = "other", "其他原因", "Other";
    }
}

impl Verdict {
    pub fn rejects(self) -> bool {
        self != Verdict::Interested
    }
}

impl ListingKind {
    /// The kinds suggested for a listing of this kind: a need is served by achievements,
    /// experts, instruments and services; an achievement looks for needs; capital for
    /// achievements to back.
    pub fn suggests(self) -> &'static [ListingKind] {
        use ListingKind::*;
        match self {
            Need => &[Achievement, Expert, Instrument, Service],
            Achievement => &[Need, Capital],
            Capital => &[Achievement],
            Expert | Instrument | Service => &[Need],
            Policy => &[],
        }
    }
}

/// The facts one suggestion is scored on.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Facts {
    /// Text evidence, 0–1 ([`text_evidence`] of `coverage`).
    pub text: f32,
    /// The share of the source's key-term weight the candidate holds, 0–1: an absolute measure,
    /// not relative to the best candidate, so a weak best is still weak.
    pub coverage: f32,
    /// Key terms the two listings share, most distinctive first.
    pub shared_terms: Vec<String>,
    /// Terms the candidate shares with the listings the owner marked interested, that the
    /// source itself lacks (see [`liked_weight`]).
    pub liked_terms: Vec<String>,
    pub same_field: bool,
    /// The field's name, for the reason.
    pub field_name: Option<String>,
    /// The offered readiness (an achievement's), and the least the need asks.
    pub offered_trl: Option<u8>,
    pub asked_trl: Option<u8>,
    pub same_county: bool,
    pub county_name: Option<String>,
    /// Listings the candidate's owner published in the last year.
    pub owner_activity: i64,
}

/// A reason, said in both languages; `against` marks one that counts against the suggestion.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub zh: String,
    pub en: String,
    pub against: bool,
}

impl Reason {
    fn new(zh: String, en: String) -> Reason {
        Reason {
            zh,
            en,
            against: false,
        }
    }

    pub fn text(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }
}

/// What the owner's verdicts teach the ranking: a key term of the source that the listings the
/// owner marked interested also hold weighs `1 + LIKED_EMPHASIS × strength` times as much, and
/// a term only those listings hold (the search looks for the strongest few) weighs
/// `LIKED_WEIGHT × strength` times the source's strongest term, where `strength` (0–1) is how
/// strongly the liked listings hold the term (Rocchio's relevance feedback, on key terms). Only
/// the ranking's text evidence uses these weights; the confidence stays that of the source's
/// own words, so it means what it was calibrated to mean. Chosen on the judged set's needs
/// before `N040` by simulated owners who mark their first five suggestions (bench
/// `matching_real`, "Verdicts"; emphasis 0–5 and weight 0–5 tried: emphasis 3 was best, and the
/// residual nDCG@5 rose with the weight up to 2 and then stayed (0.819 at 2, 0.832 at 5): 2 is
/// the least on that plateau, so the need's own words still count).
pub const LIKED_EMPHASIS: f32 = 3.0;
pub const LIKED_WEIGHT: f32 = 2.0;

/// The weight in the ranking of a term whose weight in the source is `own` (0 when the source
/// lacks it), that the liked listings hold with `strength`, the source's strongest weighing
/// `max`.
pub fn liked_weight(own: f32, strength: f32, max: f32) -> f32 {
    if own > 0.0 {
        own * (1.0 + LIKED_EMPHASIS * strength)
    } else {
        LIKED_WEIGHT * strength * max
    }
}

/// The weights of the parts of a score (they sum to 1).
pub const TEXT_WEIGHT: f32 = 0.55;
pub const FIELD_WEIGHT: f32 = 0.20;
pub const TRL_WEIGHT: f32 = 0.15;
pub const PLACE_WEIGHT: f32 = 0.05;
pub const ACTIVITY_WEIGHT: f32 = 0.05;
/// An owner with this many listings in the last year counts as fully active.
pub const ACTIVITY_CAP: i64 = 10;

/// Text evidence from coverage: a candidate holding a third of the source's key-term weight
/// counts as fully matching in words (real listings share only part of their vocabulary).
pub fn text_evidence(coverage: f32) -> f32 {
    (3.0 * coverage).clamp(0.0, 1.0)
}

/// Confidence calibration: the log-odds that a suggestion is relevant (graded 1 or 2 by a
/// reader) are `COVERAGE × coverage + FIELD × same field + BIAS`, fitted by logistic regression
/// on the judged real listings of `bench/judged` (the top 40 candidates of 39 needs, 1,144
/// judged pairs). Refit when the set or the key terms change.
pub const CONFIDENCE_COVERAGE: f32 = 16.3;
pub const CONFIDENCE_FIELD: f32 = 2.1;
pub const CONFIDENCE_BIAS: f32 = -5.2;

/// Below this confidence a suggestion is not convincing; when no suggestion reaches it, the
/// platform says it found no convincing match instead of listing weak ones.
pub const CONVINCING: f32 = 0.35;

/// The calibrated probability (0–1) that a suggestion is relevant, from its coverage and field.
pub fn confidence(f: &Facts) -> f32 {
    let coverage = if f.coverage.is_nan() {
        0.0
    } else {
        f.coverage.clamp(0.0, 1.0)
    };
    let z = CONFIDENCE_COVERAGE * coverage
        + CONFIDENCE_FIELD * f32::from(u8::from(f.same_field))
        + CONFIDENCE_BIAS;
    1.0 / (1.0 + (-z).exp())
}

/// How well the offered readiness meets what is asked: 1 when it does, 0.4 one level short,
/// 0 further short; 0.5 when either is unknown.
pub fn trl_fit(offered: Option<u8>, asked: Option<u8>) -> f32 {
    match (offered, asked) {
        (Some(o), Some(a)) if o >= a => 1.0,
        (Some(o), Some(a)) if o + 1 == a => 0.4,
        (Some(_), Some(_)) => 0.0,
        _ => 0.5,
    }
}

/// The score (0–1) and the reasons, strongest first.
pub fn score(f: &Facts) -> (f32, Vec<Reason>) {
    let mut reasons = Vec::new();
    if !f.shared_terms.is_empty() {
        let terms: Vec<&str> = f.shared_terms.iter().take(5).map(String::as_str).collect();
        reasons.push(Reason::new(
            format!("共同关键词：{}", terms.join("、")),
            format!("Shared key terms: {}", terms.join(", ")),
        ));
    }
    if !f.liked_terms.is_empty() {
        let terms: Vec<&str> = f.liked_terms.iter().take(5).map(String::as_str).collect();
        reasons.push(Reason::new(
            format!("与您标记为“感兴趣”的推荐相近：{}", terms.join("、")),
            format!(
                "Like the suggestions you marked interested: {}",
                terms.join(", ")
            ),
        ));
    }
    if f.same_field {
        let name = f.field_name.clone().unwrap_or_default();
        reasons.push(Reason::new(
            format!("同属{name}领域"),
            format!("Same field ({name})"),
        ));
    }
    let fit = trl_fit(f.offered_trl, f.asked_trl);
    match (f.offered_trl, f.asked_trl) {
        (Some(o), Some(a)) if o >= a => reasons.push(Reason::new(
            format!("技术就绪水平{o}级，满足需求的≥{a}级"),
            format!("TRL {o} meets the need's TRL ≥ {a}"),
        )),
        (Some(o), Some(a)) => reasons.push(Reason {
            zh: format!("技术就绪水平{o}级，低于需求的≥{a}级"),
            en: format!("TRL {o} is below the need's TRL ≥ {a}"),
            against: true,
        }),
        (Some(o), None) => reasons.push(Reason::new(
            format!("技术就绪水平{o}级"),
            format!("TRL {o}"),
        )),
        _ => {}
    }
    if f.same_county {
        let name = f.county_name.clone().unwrap_or_default();
        reasons.push(Reason::new(
            format!("同在{name}"),
            format!("Both in {name}"),
        ));
    }
    if f.owner_activity >= ACTIVITY_CAP {
        reasons.push(Reason::new(
            format!("发布方近一年活跃（发布{ACTIVITY_CAP}条以上信息）"),
            format!("An active owner ({ACTIVITY_CAP} or more listings in the last year)"),
        ));
    } else if f.owner_activity >= 3 {
        reasons.push(Reason::new(
            format!("发布方近一年活跃（发布{}条信息）", f.owner_activity),
            format!(
                "An active owner ({} listings in the last year)",
                f.owner_activity
            ),
        ));
    }
    let activity = (f.owner_activity as f32 / ACTIVITY_CAP as f32).min(1.0);
    let total = TEXT_WEIGHT * f.text.clamp(0.0, 1.0)
        + FIELD_WEIGHT * f32::from(u8::from(f.same_field))
        + TRL_WEIGHT * fit
        + PLACE_WEIGHT * f32::from(u8::from(f.same_county))
        + ACTIVITY_WEIGHT * activity;
    (total, reasons)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts() -> Facts {
        Facts {
            text: 0.8,
            coverage: 0.27,
            shared_terms: vec!["牵引变流器".into(), "碳化硅".into()],
            liked_terms: Vec::new(),
            same_field: true,
            field_name: Some("轨道交通".into()),
            offered_trl: Some(7),
            asked_trl: Some(6),
            same_county: true,
            county_name: Some("天元区".into()),
            owner_activity: 5,
        }
    }

    #[test]
    fn every_fact_is_a_reason_in_words() {
        let (s, reasons) = score(&facts());
        let zh: Vec<&str> = reasons.iter().map(|r| r.zh.as_str()).collect();
        assert_eq!(
            zh,
            vec![
                "共同关键词：牵引变流器、碳化硅",
                "同属轨道交通领域",
                "技术就绪水平7级，满足需求的≥6级",
                "同在天元区",
                "发布方近一年活跃（发布5条信息）"
            ]
        );
        assert!(reasons.iter().all(|r| !r.against));
        assert!(
            (s - (0.55 * 0.8 + 0.2 + 0.15 + 0.05 + 0.025)).abs() < 1e-5,
            "{s}"
        );
        assert_eq!(reasons[2].en, "TRL 7 meets the need's TRL ≥ 6");
    }

    #[test]
    fn what_the_owner_liked_weighs_and_is_said() {
        // A term of the source the liked listings hold weighs more; one only they hold weighs
        // by how strongly they hold it, and nothing when they hold it not at all.
        assert!((liked_weight(2.0, 0.5, 4.0) - 2.0 * (1.0 + LIKED_EMPHASIS * 0.5)).abs() < 1e-6);
        assert_eq!(liked_weight(2.0, 0.0, 4.0), 2.0);
        assert!((liked_weight(0.0, 1.0, 4.0) - LIKED_WEIGHT * 4.0).abs() < 1e-6);
        assert_eq!(liked_weight(0.0, 0.0, 4.0), 0.0);
        let mut f = facts();
        f.liked_terms = vec!["永磁同步电机".into()];
        let (_, reasons) = score(&f);
        assert_eq!(reasons[1].zh, "与您标记为“感兴趣”的推荐相近：永磁同步电机");
        assert!(!reasons[1].against);
    }

    #[test]
    fn too_early_counts_against() {
        let mut f = facts();
        f.offered_trl = Some(4);
        let (low, reasons) = score(&f);
        let (high, _) = score(&facts());
        assert!(low < high);
        let r = reasons
            .iter()
            .find(|r| r.against)
            .expect("a reason against");
        assert_eq!(r.zh, "技术就绪水平4级，低于需求的≥6级");
        assert_eq!(trl_fit(Some(5), Some(6)), 0.4);
        assert_eq!(trl_fit(None, Some(6)), 0.5);
    }

    #[test]
    fn text_weighs_most_and_scores_stay_in_range() {
        let text_only = Facts {
            text: 1.0,
            ..Facts::default()
        };
        let field_only = Facts {
            same_field: true,
            ..Facts::default()
        };
        assert!(score(&text_only).0 > score(&field_only).0);
        let mut best = facts();
        best.text = 5.0;
        best.owner_activity = 1_000;
        assert!(score(&best).0 <= 1.0 + 1e-6);
    }

    #[test]
    fn confidence_grows_with_the_evidence_and_is_absolute() {
        let weak = Facts {
            coverage: 0.05,
            ..Facts::default()
        };
        let strong = Facts {
            coverage: 0.35,
            same_field: true,
            ..Facts::default()
        };
        assert!(confidence(&weak) < CONVINCING, "{}", confidence(&weak));
        assert!(confidence(&strong) > 0.9, "{}", confidence(&strong));
        let mut more = weak.clone();
        more.coverage = 0.2;
        assert!(confidence(&more) > confidence(&weak));
        assert_eq!(text_evidence(0.5), 1.0);
        assert!((text_evidence(0.1) - 0.3).abs() < 1e-6);
        for c in [-1.0, 0.0, 0.5, 2.0, f32::NAN] {
            let f = Facts {
                coverage: c,
                ..Facts::default()
            };
            let p = confidence(&f);
            assert!((0.0..=1.0).contains(&p), "{c}: {p}");
        }
    }

    #[test]
    fn needs_are_served_by_what_can_meet_them() {
        assert!(
            ListingKind::Need
                .suggests()
                .contains(&ListingKind::Achievement)
        );
        assert_eq!(ListingKind::Achievement.suggests()[0], ListingKind::Need);
        assert!(ListingKind::Policy.suggests().is_empty());
        assert!(!Verdict::Interested.rejects() && Verdict::OffField.rejects());
    }
}
