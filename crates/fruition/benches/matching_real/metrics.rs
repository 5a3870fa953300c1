//! The judged set's files and the ranking measures (nDCG@k with graded relevance, judged@k),
//! shared by the `matching_real` benchmark and its tests (`tests/it` includes this file).

#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};

/// A row of a TSV file with a header line: the header's names, each row's fields by name.
/// Lines starting with `#` and blank lines are skipped; a row with too few fields gets empty ones.
pub fn read_tsv(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut lines = text
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let Some(header) = lines.next() else {
        return Vec::new();
    };
    let names: Vec<&str> = header.split('\t').map(str::trim).collect();
    lines
        .map(|l| {
            let fields: Vec<&str> = l.split('\t').collect();
            names
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    (
                        n.to_string(),
                        fields
                            .get(i)
                            .map(|f| f.trim().to_string())
                            .unwrap_or_default(),
                    )
                })
                .collect()
        })
        .collect()
}

/// Graded judgements: (need id, achievement id) → 0, 1 or 2.
#[derive(Debug, Default, Clone)]
pub struct Qrels {
    pub grades: BTreeMap<(String, String), u8>,
}

impl Qrels {
    /// Reads `need_id`, `achievement_id`, `grade` rows; a grade that is not 0, 1 or 2 is an error
    /// naming its line, and so is a pair judged twice with different grades.
    pub fn parse(text: &str) -> Result<Qrels, String> {
        let mut q = Qrels::default();
        for (i, row) in read_tsv(text).into_iter().enumerate() {
            let need = row.get("need_id").cloned().unwrap_or_default();
            let ach = row.get("achievement_id").cloned().unwrap_or_default();
            let grade: u8 = match row.get("grade").map(String::as_str) {
                Some("0") => 0,
                Some("1") => 1,
                Some("2") => 2,
                other => return Err(format!("qrels row {}: grade {other:?}", i + 1)),
            };
            if need.is_empty() || ach.is_empty() {
                return Err(format!("qrels row {}: an id is missing", i + 1));
            }
            if let Some(old) = q.grades.insert((need.clone(), ach.clone()), grade)
                && old != grade
            {
                return Err(format!("qrels: {need} {ach} graded {old} and {grade}"));
            }
        }
        Ok(q)
    }

    pub fn grade(&self, need: &str, ach: &str) -> Option<u8> {
        self.grades
            .get(&(need.to_string(), ach.to_string()))
            .copied()
    }

    /// Every judged grade of a need.
    pub fn grades_of(&self, need: &str) -> Vec<u8> {
        self.grades
            .range((need.to_string(), String::new())..)
            .take_while(|((n, _), _)| n == need)
            .map(|(_, g)| *g)
            .collect()
    }

    /// Whether some judged achievement is relevant (grade ≥ 1) to the need.
    pub fn has_relevant(&self, need: &str) -> bool {
        self.grades_of(need).iter().any(|g| *g > 0)
    }

    pub fn needs(&self) -> BTreeSet<String> {
        self.grades.keys().map(|(n, _)| n.clone()).collect()
    }
}

fn gain(grade: u8) -> f64 {
    f64::from((1u32 << grade) - 1)
}

fn discount(rank0: usize) -> f64 {
    1.0 / ((rank0 + 2) as f64).log2()
}

/// nDCG@k of `ranking` (achievement ids, best first) for `need`: gain 2^grade − 1, discount
/// 1 / log2(rank + 1), the ideal from all judged grades of the need; an unjudged id counts as 0.
/// `None` when the need has no relevant judged achievement (the ideal is 0).
pub fn ndcg_at(qrels: &Qrels, need: &str, ranking: &[String], k: usize) -> Option<f64> {
    let mut ideal = qrels.grades_of(need);
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, g)| gain(*g) * discount(i))
        .sum();
    if idcg <= 0.0 {
        return None;
    }
    let dcg: f64 = ranking
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, a)| gain(qrels.grade(need, a).unwrap_or(0)) * discount(i))
        .sum();
    // `+ 0.0`: an empty f64 sum is -0.0.
    Some(dcg / idcg + 0.0)
}

/// nDCG@k on the residual collection: `ranking` and the ideal without the achievements
/// `shown` (already marked by the reader). `None` when no relevant achievement is left.
pub fn residual_ndcg_at(
    qrels: &Qrels,
    need: &str,
    ranking: &[String],
    shown: &[String],
    k: usize,
) -> Option<f64> {
    let mut rest = Qrels::default();
    for ((n, a), g) in &qrels.grades {
        if n == need && !shown.contains(a) {
            rest.grades.insert((n.clone(), a.clone()), *g);
        }
    }
    let ranking: Vec<String> = ranking
        .iter()
        .filter(|a| !shown.contains(a))
        .cloned()
        .collect();
    ndcg_at(&rest, need, &ranking, k)
}

/// The share of the first `k` ids (or of all, when fewer) that `qrels` grades; 1 for an empty
/// ranking (nothing in it is unjudged).
pub fn judged_at(qrels: &Qrels, need: &str, ranking: &[String], k: usize) -> f64 {
    let top: Vec<&String> = ranking.iter().take(k).collect();
    if top.is_empty() {
        return 1.0;
    }
    let judged = top
        .iter()
        .filter(|a| qrels.grade(need, a).is_some())
        .count();
    judged as f64 / top.len() as f64
}

/// Method `a` against method `b` on the same needs (paired per-need scores): how many needs `a`
/// scores higher, equal (within 1e-9) and lower, the mean difference a − b, and a 95 % bootstrap
/// interval of that mean (`rounds` resamples of the needs with replacement, a fixed-seed
/// generator so that runs are repeatable).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Paired {
    pub wins: usize,
    pub ties: usize,
    pub losses: usize,
    pub mean_diff: f64,
    pub low: f64,
    pub high: f64,
}

pub fn paired(a: &[f64], b: &[f64], rounds: usize) -> Paired {
    assert_eq!(a.len(), b.len(), "paired scores need the same needs");
    let diffs: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let wins = diffs.iter().filter(|d| **d > 1e-9).count();
    let losses = diffs.iter().filter(|d| **d < -1e-9).count();
    let n = diffs.len();
    if n == 0 {
        return Paired {
            wins,
            ties: 0,
            losses,
            mean_diff: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    let mean = |v: &mut dyn Iterator<Item = f64>| v.sum::<f64>() / n as f64;
    let mean_diff = mean(&mut diffs.iter().copied());
    // xorshift64*, seeded: the interval is the same on every run.
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        state.wrapping_mul(0x2545_F491_4F6C_DD1D)
    };
    let mut means: Vec<f64> = (0..rounds.max(1))
        .map(|_| mean(&mut (0..n).map(|_| diffs[(next() % n as u64) as usize])))
        .collect();
    means.sort_by(f64::total_cmp);
    let at = |q: f64| means[((means.len() - 1) as f64 * q).round() as usize];
    Paired {
        wins,
        ties: n - wins - losses,
        losses,
        mean_diff,
        low: at(0.025),
        high: at(0.975),
    }
}

/// How well stated probabilities match what happened: for each bin `[edges[i], edges[i+1])`
/// (the last bin closed), how many predictions fell in it, their mean, and the share that came
/// true; and the Brier score (mean squared error) over all. A calibrated confidence has each
/// bin's share near its mean.
#[derive(Debug, Clone, PartialEq)]
pub struct Reliability {
    /// (from, to, count, mean predicted, share true); count 0 gives means of 0.
    pub bins: Vec<(f64, f64, usize, f64, f64)>,
    pub brier: f64,
}

pub fn reliability(predictions: &[(f64, bool)], edges: &[f64]) -> Reliability {
    let mut bins: Vec<(f64, f64, usize, f64, f64)> = edges
        .windows(2)
        .map(|w| (w[0], w[1], 0, 0.0, 0.0))
        .collect();
    let last = bins.len().saturating_sub(1);
    let mut brier = 0.0;
    for &(p, happened) in predictions {
        let truth = f64::from(u8::from(happened));
        brier += (p - truth).powi(2);
        let at = bins
            .iter()
            .position(|b| p >= b.0 && p < b.1)
            .or_else(|| (bins.get(last).is_some_and(|b| p == b.1)).then_some(last));
        if let Some(b) = at.and_then(|i| bins.get_mut(i)) {
            b.2 += 1;
            b.3 += p;
            b.4 += truth;
        }
    }
    for b in &mut bins {
        if b.2 > 0 {
            b.3 /= b.2 as f64;
            b.4 /= b.2 as f64;
        }
    }
    Reliability {
        bins,
        brier: brier / predictions.len().max(1) as f64,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn qrels(rows: &[(&str, &str, u8)]) -> Qrels {
        let mut text = String::from("need_id\tachievement_id\tgrade\n");
        for (n, a, g) in rows {
            text.push_str(&format!("{n}\t{a}\t{g}\n"));
        }
        Qrels::parse(&text).expect("qrels")
    }

    fn ids(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn ndcg_of_the_ideal_ranking_is_one() {
        let q = qrels(&[("n1", "a", 2), ("n1", "b", 1), ("n1", "c", 0)]);
        let got = ndcg_at(&q, "n1", &ids(&["a", "b", "c"]), 10).unwrap();
        assert!((got - 1.0).abs() < 1e-12, "{got}");
    }

    #[test]
    fn the_residual_measure_leaves_out_what_was_shown() {
        let q = qrels(&[("n1", "a", 2), ("n1", "b", 1), ("n1", "c", 0)]);
        // With "a" shown, "b" first is the ideal of what is left.
        let got = residual_ndcg_at(&q, "n1", &ids(&["a", "b"]), &ids(&["a"]), 5).unwrap();
        assert!((got - 1.0).abs() < 1e-12, "{got}");
        // Nothing relevant left: no measure.
        assert_eq!(
            residual_ndcg_at(&q, "n1", &ids(&["c"]), &ids(&["a", "b"]), 5),
            None
        );
    }

    #[test]
    fn ndcg_of_a_swapped_ranking_has_the_known_value() {
        // Ideal: 3/log2(2) + 1/log2(3) = 3.6309; got: 1/log2(2) + 3/log2(3) = 2.8928.
        let q = qrels(&[("n1", "a", 2), ("n1", "b", 1)]);
        let got = ndcg_at(&q, "n1", &ids(&["b", "a"]), 10).unwrap();
        let want = (1.0 + 3.0 / 3f64.log2()) / (3.0 + 1.0 / 3f64.log2());
        assert!((got - want).abs() < 1e-12, "{got} vs {want}");
        assert!((got - 0.796_713).abs() < 1e-5, "{got}");
    }

    #[test]
    fn unjudged_and_late_hits_count_as_they_should() {
        // The relevant one at rank 3 behind two unjudged ids: 3/log2(4) over 3/log2(2) = 0.5.
        let q = qrels(&[("n1", "a", 2)]);
        let got = ndcg_at(&q, "n1", &ids(&["x", "y", "a"]), 10).unwrap();
        assert!((got - 0.5).abs() < 1e-12, "{got}");
        // Past the cut-off it counts for nothing.
        let late: Vec<String> = (0..10)
            .map(|i| format!("x{i}"))
            .chain(ids(&["a"]))
            .collect();
        assert_eq!(ndcg_at(&q, "n1", &late, 10), Some(0.0));
        assert!((judged_at(&q, "n1", &ids(&["x", "y", "a"]), 10) - 1.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn a_need_without_relevant_achievements_has_no_ndcg() {
        let q = qrels(&[("n1", "a", 0)]);
        assert_eq!(ndcg_at(&q, "n1", &ids(&["a"]), 10), None);
        assert!(!q.has_relevant("n1"));
        assert_eq!(judged_at(&q, "n1", &[], 10), 1.0);
    }

    #[test]
    fn bad_grades_are_refused() {
        assert!(Qrels::parse("need_id\tachievement_id\tgrade\nn1\ta\t3\n").is_err());
        assert!(Qrels::parse("need_id\tachievement_id\tgrade\nn1\ta\t1\nn1\ta\t2\n").is_err());
        assert!(Qrels::parse("need_id\tachievement_id\tgrade\nn1\t\t1\n").is_err());
    }

    #[test]
    fn reliability_bins_means_and_brier() {
        let r = reliability(
            &[
                (0.1, false),
                (0.2, true),
                (0.6, true),
                (1.0, true),
                (0.9, false),
            ],
            &[0.0, 0.5, 1.0],
        );
        assert_eq!(r.bins.len(), 2);
        let (from, to, n, mean, share) = r.bins[0];
        assert_eq!((from, to, n), (0.0, 0.5, 2));
        assert!((mean - 0.15).abs() < 1e-12 && (share - 0.5).abs() < 1e-12);
        // 1.0 falls in the last, closed bin.
        let (_, _, n, mean, share) = r.bins[1];
        assert_eq!(n, 3);
        assert!((mean - 2.5 / 3.0).abs() < 1e-12 && (share - 2.0 / 3.0).abs() < 1e-12);
        let brier = (0.01 + 0.64 + 0.16 + 0.0 + 0.81) / 5.0;
        assert!((r.brier - brier).abs() < 1e-12);
        assert_eq!(reliability(&[], &[0.0, 1.0]).brier, 0.0);
    }

    #[test]
    fn paired_counts_and_interval() {
        let p = paired(&[1.0, 0.5, 0.2, 0.7], &[0.5, 0.5, 0.4, 0.2], 2000);
        assert_eq!((p.wins, p.ties, p.losses), (2, 1, 1));
        assert!((p.mean_diff - 0.2).abs() < 1e-12);
        assert!(p.low <= p.mean_diff && p.mean_diff <= p.high);
        assert_eq!(
            p,
            paired(&[1.0, 0.5, 0.2, 0.7], &[0.5, 0.5, 0.4, 0.2], 2000)
        );
        let same = paired(&[0.3, 0.3], &[0.3, 0.3], 100);
        assert_eq!((same.ties, same.low, same.high), (2, 0.0, 0.0));
    }
}
