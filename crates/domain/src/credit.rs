//! Knowledge-value credit (知识价值信用贷款): the bureau's scorecard that turns what the platform
//! knows of an enterprise into a score, a grade A–E and a recommended credit line, and the rules
//! of the shared risk compensation pool (风险补偿资金池): how much of a principal loss it pays, and
//! when a bank's non-performing ratio warns or trips the circuit breaker (熔断).
//!
//! Every number is the city's configuration; the defaults follow the public schemes in
//! `shared/finance.md` (Chongqing's base indicators 知识产权 and 研发投入 with bonus points for
//! 科技人才, 创新产品 and 创新企业, grades A–E and lines 40万–300万元; 80 % of a principal loss; a 5 %
//! warning and an 8 % breaker as in Hubei). A score names its scorecard's version and the day its
//! data describe, and shows its working indicator by indicator, so it can be reproduced later.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::FieldError;
use crate::date::IsoDate;
use crate::money;
use crate::org::string_enum;

string_enum! {
    /// What a scorecard reads about an enterprise, from what the platform already holds.
    Indicator {
        IntellectualProperty = "intellectual_property", "知识产权（有效知识产权数）", "Intellectual property (valid IP rights)";
        RdSpending = "rd_spending", "研发投入（千元）", "R&D spending (thousand yuan)";
        RdIntensity = "rd_intensity", "研发投入强度（‰，研发投入占营业收入）", "R&D intensity (‰ of revenue)";
        Talent = "talent", "科技人才（市级以上高层次人才数）", "Talent (high-level talent)";
        InnovativeProducts = "innovative_products", "创新产品（专利授权数）", "Innovative products (patents granted)";
        InnovativeEnterprise = "innovative_enterprise", "创新企业（高新技术企业 2、科技型中小企业 1）", "Innovative enterprise (high-tech 2, tech SME 1)";
        InnovationPoints = "innovation_points", "创新积分", "Innovation points";
    }
}

string_enum! {
    /// A grade of the scorecard, A the best.
    Grade {
        A = "a", "A级", "Grade A";
        B = "b", "B级", "Grade B";
        C = "c", "C级", "Grade C";
        D = "d", "D级", "Grade D";
        E = "e", "E级", "Grade E";
    }
}

string_enum! {
    /// What keeps an enterprise from a knowledge-value loan whatever its score (负面清单).
    Exclusion {
        SeriousDishonesty = "serious_dishonesty", "列入严重失信主体名单", "On the list of seriously dishonest entities";
        OverdueLoan = "overdue_loan", "存在逾期贷款", "Has an overdue loan";
        AbnormalOperation = "abnormal_operation", "列入经营异常名录", "On the list of abnormal operations";
    }
}

/// From this value on, this many points (an item's bands rise in both).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Band {
    pub from: i64,
    pub points: i64,
}

/// One line of a scorecard: an indicator, its bands, the most it may give, and whether it is a
/// bonus (加分项) on top of the base indicators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub indicator: Indicator,
    pub bands: Vec<Band>,
    pub cap: i64,
    pub bonus: bool,
}

/// The lowest score of a grade and the credit line it recommends, in fen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct GradeLine {
    pub grade: Grade,
    pub min_score: i64,
    pub line_fen: i64,
}

/// A version of the bureau's scorecard. A value of this type has been checked (see
/// [`Scorecard::new`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub version: i64,
    pub items: Vec<Item>,
    /// Best grade first.
    pub grades: Vec<GradeLine>,
    pub exclusions: Vec<Exclusion>,
}

impl Scorecard {
    /// Checks a scorecard: each indicator at most once, bands rising, caps and points not
    /// negative, grades in order A–E with falling minimum scores and falling lines.
    pub fn new(
        version: i64,
        items: Vec<Item>,
        grades: Vec<GradeLine>,
        exclusions: Vec<Exclusion>,
    ) -> Result<Scorecard, FieldError> {
        let bad = |field: &'static str, zh: String, en: String| {
            Err(FieldError::new(field, "scorecard", zh, en))
        };
        if version < 1 {
            return bad(
                "version",
                "版本号应为正整数".into(),
                "The version is a positive whole number".into(),
            );
        }
        if items.is_empty() {
            return bad(
                "items",
                "评分卡至少需要一项指标".into(),
                "A scorecard needs at least one indicator".into(),
            );
        }
        let mut seen = BTreeSet::new();
        for item in &items {
            let name = item.indicator.label(crate::lang::Lang::ZhCn);
            if !seen.insert(item.indicator.code()) {
                return bad(
                    "items",
                    format!("指标“{name}”重复"),
                    format!("{} appears twice", item.indicator),
                );
            }
            if item.cap < 0 || item.bands.iter().any(|b| b.points < 0) {
                return bad(
                    "items",
                    format!("指标“{name}”的分值不能为负"),
                    format!("{}: points cannot be negative", item.indicator),
                );
            }
            if item
                .bands
                .windows(2)
                .any(|w| w[1].from <= w[0].from || w[1].points < w[0].points)
            {
                return bad(
                    "items",
                    format!("指标“{name}”的分档应从低到高排列"),
                    format!("{}: bands must rise", item.indicator),
                );
            }
        }
        let order: Vec<Grade> = grades.iter().map(|g| g.grade).collect();
        if order != Grade::ALL {
            return bad(
                "grades",
                "等级应依次为 A、B、C、D、E".into(),
                "Grades run A, B, C, D, E".into(),
            );
        }
        if grades
            .windows(2)
            .any(|w| w[1].min_score >= w[0].min_score || w[1].line_fen > w[0].line_fen)
            || grades
                .iter()
                .any(|g| g.line_fen <= 0 || g.line_fen > money::MAX_FEN)
        {
            return bad(
                "grades",
                "等级的最低分和授信额度应逐级递减，额度为正".into(),
                "Each grade's minimum score and line fall from A to E; lines are positive".into(),
            );
        }
        Ok(Scorecard {
            version,
            items,
            grades,
            exclusions,
        })
    }

    /// The shipped default (Chongqing's model): 知识产权 and 研发投入 as base indicators (40 points
    /// each), 科技人才, 创新产品 and 创新企业 as bonus points (20 in all at most); A ≥ 80 → 300万元,
    /// B ≥ 65 → 200万元, C ≥ 50 → 120万元, D ≥ 35 → 80万元, E ≥ 20 → 40万元.
    pub fn default_v1() -> Scorecard {
        let bands = |b: &[(i64, i64)]| {
            b.iter()
                .map(|&(from, points)| Band { from, points })
                .collect::<Vec<_>>()
        };
        let wan = |n: i64| n * 10_000 * 100;
        Scorecard {
            version: 1,
            items: vec![
                Item {
                    indicator: Indicator::IntellectualProperty,
                    bands: bands(&[(1, 10), (3, 20), (5, 30), (10, 40)]),
                    cap: 40,
                    bonus: false,
                },
                Item {
                    indicator: Indicator::RdSpending,
                    bands: bands(&[(200, 10), (500, 20), (1_000, 30), (3_000, 40)]),
                    cap: 40,
                    bonus: false,
                },
                Item {
                    indicator: Indicator::Talent,
                    bands: bands(&[(1, 4), (3, 8)]),
                    cap: 8,
                    bonus: true,
                },
                Item {
                    indicator: Indicator::InnovativeProducts,
                    bands: bands(&[(1, 3), (3, 6)]),
                    cap: 6,
                    bonus: true,
                },
                Item {
                    indicator: Indicator::InnovativeEnterprise,
                    bands: bands(&[(1, 3), (2, 6)]),
                    cap: 6,
                    bonus: true,
                },
            ],
            grades: vec![
                GradeLine {
                    grade: Grade::A,
                    min_score: 80,
                    line_fen: wan(300),
                },
                GradeLine {
                    grade: Grade::B,
                    min_score: 65,
                    line_fen: wan(200),
                },
                GradeLine {
                    grade: Grade::C,
                    min_score: 50,
                    line_fen: wan(120),
                },
                GradeLine {
                    grade: Grade::D,
                    min_score: 35,
                    line_fen: wan(80),
                },
                GradeLine {
                    grade: Grade::E,
                    min_score: 20,
                    line_fen: wan(40),
                },
            ],
            exclusions: Exclusion::ALL.to_vec(),
        }
    }
}

/// What is known of an enterprise on a day: indicator values, and the exclusions that hold.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facts {
    pub values: BTreeMap<String, i64>,
    pub exclusions: BTreeSet<String>,
}

impl Facts {
    pub fn set(&mut self, indicator: Indicator, value: i64) {
        self.values.insert(indicator.code().to_string(), value);
    }

    pub fn get(&self, indicator: Indicator) -> Option<i64> {
        self.values.get(indicator.code()).copied()
    }

    pub fn exclude(&mut self, e: Exclusion) {
        self.exclusions.insert(e.code().to_string());
    }
}

/// One indicator's line in a score's working.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Working {
    pub indicator: Indicator,
    /// None: the platform holds no value for it (it scores nothing).
    pub value: Option<i64>,
    pub points: i64,
    pub cap: i64,
    pub bonus: bool,
}

/// What a score leads to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// A grade and the credit line it recommends.
    Graded { grade: Grade, line_fen: i64 },
    /// Below the lowest grade's minimum.
    Ungraded,
    /// On the negative list, whatever the score.
    Excluded { exclusion: Exclusion },
}

/// A score with its working, reproducible from the scorecard version and the data day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    pub version: i64,
    pub data_date: IsoDate,
    pub base: i64,
    pub bonus: i64,
    pub total: i64,
    pub working: Vec<Working>,
    pub outcome: Outcome,
}

/// Scores `facts`, known as of `data_date`, on `card`.
pub fn score(card: &Scorecard, facts: &Facts, data_date: IsoDate) -> Score {
    let mut working = Vec::with_capacity(card.items.len());
    let (mut base, mut bonus) = (0, 0);
    for item in &card.items {
        let value = facts.get(item.indicator);
        let points = value
            .and_then(|v| item.bands.iter().rev().find(|b| v >= b.from))
            .map_or(0, |b| b.points.min(item.cap));
        if item.bonus {
            bonus += points;
        } else {
            base += points;
        }
        working.push(Working {
            indicator: item.indicator,
            value,
            points,
            cap: item.cap,
            bonus: item.bonus,
        });
    }
    let total = base + bonus;
    let excluded = card
        .exclusions
        .iter()
        .find(|e| facts.exclusions.contains(e.code()));
    let outcome = match excluded {
        Some(e) => Outcome::Excluded { exclusion: *e },
        None => card
            .grades
            .iter()
            .find(|g| total >= g.min_score)
            .map_or(Outcome::Ungraded, |g| Outcome::Graded {
                grade: g.grade,
                line_fen: g.line_fen,
            }),
    };
    Score {
        version: card.version,
        data_date,
        base,
        bonus,
        total,
        working,
        outcome,
    }
}

string_enum! {
    /// How a knowledge-value loan is secured.
    LoanKind {
        Credit = "credit", "信用贷款", "Credit loan";
        Guaranteed = "guaranteed", "合作担保机构担保贷款", "Loan with a partner guarantor";
    }
}

string_enum! {
    /// Where a bank stands by its non-performing ratio.
    RiskLevel {
        Normal = "normal", "正常", "Normal";
        Warning = "warning", "预警", "Warning";
        Breaker = "breaker", "熔断", "Circuit breaker";
    }
}

/// The pool's rules: how much of a principal loss it pays by loan kind, its caps, and the
/// non-performing ratios (in basis points) that warn and that stop new registrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolRules {
    pub credit_pct: i64,
    pub guaranteed_pct: i64,
    /// The most one loan's compensation may be, in fen.
    pub per_loan_cap_fen: i64,
    /// The most one bank may be paid in a year, in fen.
    pub bank_year_cap_fen: i64,
    pub warning_bp: i64,
    pub breaker_bp: i64,
}

impl Default for PoolRules {
    /// 80 % of a credit loan's principal loss, 60 % of a guaranteed one's (the guarantor bears
    /// its part), at most 240万元 a loan and 2000万元 a bank a year; warning at 5 %, breaker at 8 %.
    fn default() -> Self {
        PoolRules {
            credit_pct: 80,
            guaranteed_pct: 60,
            per_loan_cap_fen: 240 * 10_000 * 100,
            bank_year_cap_fen: 2_000 * 10_000 * 100,
            warning_bp: 500,
            breaker_bp: 800,
        }
    }
}

impl PoolRules {
    /// What the pool owes on a principal loss of a loan of `kind`, before the bank's yearly cap
    /// and the pool's balance (both checked where the payment is written).
    pub fn compensation(&self, kind: LoanKind, principal_loss_fen: i64) -> i64 {
        let pct = match kind {
            LoanKind::Credit => self.credit_pct,
            LoanKind::Guaranteed => self.guaranteed_pct,
        };
        money::percent_of(principal_loss_fen.max(0), pct).min(self.per_loan_cap_fen)
    }

    /// Where a non-performing ratio stands.
    pub fn risk(&self, npl_bp: i64) -> RiskLevel {
        if npl_bp >= self.breaker_bp {
            RiskLevel::Breaker
        } else if npl_bp >= self.warning_bp {
            RiskLevel::Warning
        } else {
            RiskLevel::Normal
        }
    }
}

/// Non-performing principal over outstanding principal, in basis points (0 with nothing
/// outstanding), rounded half up.
pub fn npl_bp(nonperforming_fen: i64, outstanding_fen: i64) -> i64 {
    if outstanding_fen <= 0 {
        return 0;
    }
    let bp = (i128::from(nonperforming_fen.max(0)) * 10_000 * 2 + i128::from(outstanding_fen))
        / (2 * i128::from(outstanding_fen));
    i64::try_from(bp).unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day() -> IsoDate {
        IsoDate::parse("2025-12-31").expect("date")
    }

    #[test]
    fn the_default_scorecard_is_valid() {
        let card = Scorecard::default_v1();
        let checked = Scorecard::new(
            card.version,
            card.items.clone(),
            card.grades.clone(),
            card.exclusions.clone(),
        )
        .expect("valid");
        assert_eq!(checked, card);
    }

    #[test]
    fn a_score_shows_its_working_and_recommends_a_line() {
        let card = Scorecard::default_v1();
        let mut f = Facts::default();
        f.set(Indicator::IntellectualProperty, 6); // 30
        f.set(Indicator::RdSpending, 1_200); // 30
        f.set(Indicator::Talent, 3); // +8
        f.set(Indicator::InnovativeEnterprise, 2); // +6
        let s = score(&card, &f, day());
        assert_eq!((s.base, s.bonus, s.total), (60, 14, 74));
        assert_eq!(
            s.outcome,
            Outcome::Graded {
                grade: Grade::B,
                line_fen: 200 * 10_000 * 100
            }
        );
        assert_eq!(s.version, 1);
        assert_eq!(s.data_date, day());
        let products = s
            .working
            .iter()
            .find(|w| w.indicator == Indicator::InnovativeProducts)
            .expect("line");
        assert_eq!((products.value, products.points), (None, 0));
        // The same facts score the same on the same card: reproducible.
        assert_eq!(score(&card, &f, day()), s);
    }

    #[test]
    fn the_negative_list_wins_over_any_score() {
        let card = Scorecard::default_v1();
        let mut f = Facts::default();
        f.set(Indicator::IntellectualProperty, 50);
        f.set(Indicator::RdSpending, 50_000);
        f.exclude(Exclusion::OverdueLoan);
        let s = score(&card, &f, day());
        assert_eq!(s.total, 80);
        assert_eq!(
            s.outcome,
            Outcome::Excluded {
                exclusion: Exclusion::OverdueLoan
            }
        );
        assert_eq!(
            score(&card, &Facts::default(), day()).outcome,
            Outcome::Ungraded
        );
    }

    #[test]
    fn a_scorecard_out_of_order_is_refused() {
        let card = Scorecard::default_v1();
        let mut grades = card.grades.clone();
        grades.swap(0, 1);
        assert!(Scorecard::new(2, card.items.clone(), grades, vec![]).is_err());
        let mut items = card.items.clone();
        items.push(items[0].clone());
        assert!(Scorecard::new(2, items, card.grades.clone(), vec![]).is_err());
        let mut items = card.items.clone();
        items[0].bands.reverse();
        assert!(Scorecard::new(2, items, card.grades.clone(), vec![]).is_err());
    }

    #[test]
    fn the_pool_pays_its_share_up_to_the_cap_and_watches_the_ratio() {
        let rules = PoolRules::default();
        assert_eq!(
            rules.compensation(LoanKind::Credit, 100_000_000),
            80_000_000
        );
        assert_eq!(
            rules.compensation(LoanKind::Guaranteed, 100_000_000),
            60_000_000
        );
        assert_eq!(
            rules.compensation(LoanKind::Credit, 1_000_000_000),
            rules.per_loan_cap_fen
        );
        assert_eq!(rules.compensation(LoanKind::Credit, -5), 0);
        assert_eq!(npl_bp(5, 100), 500);
        assert_eq!(npl_bp(1, 3), 3_333);
        assert_eq!(npl_bp(1, 0), 0);
        assert_eq!(rules.risk(npl_bp(4, 100)), RiskLevel::Normal);
        assert_eq!(rules.risk(npl_bp(5, 100)), RiskLevel::Warning);
        assert_eq!(rules.risk(npl_bp(8, 100)), RiskLevel::Breaker);
    }
}
