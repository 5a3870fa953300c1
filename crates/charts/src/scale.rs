//! Axis ticks and linear scales.

/// Largest magnitude drawn; values beyond it are clamped (NaN and
/// infinities count as 0).
pub(crate) const LIMIT: f64 = 1e15;

/// Makes a value drawable: NaN and ±∞ become 0, the rest is clamped to ±10¹⁵.
pub(crate) fn sanitize(v: f64) -> f64 {
    if v.is_finite() {
        v.clamp(-LIMIT, LIMIT)
    } else {
        0.0
    }
}

/// "Nice" axis ticks covering `min..=max` and 0, about five intervals, with a
/// step of 1, 2, 2.5 or 5 × 10ⁿ. Non-finite bounds count as 0; when both are
/// 0 the ticks are 0, 1, …, 5.
///
/// ```
/// use fruition_charts::nice_ticks;
/// assert_eq!(nice_ticks(0.0, 69.0), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
/// assert_eq!(nice_ticks(0.0, 35000.0), vec![0.0, 10000.0, 20000.0, 30000.0, 40000.0]);
/// ```
pub fn nice_ticks(min: f64, max: f64) -> Vec<f64> {
    ticks(min, max, 5, false)
}

/// Ticks as in [`nice_ticks`] with about `target` intervals; with `integer`
/// the step is a whole number (for counts).
pub(crate) fn ticks(min: f64, max: f64, target: usize, integer: bool) -> Vec<f64> {
    let lo = sanitize(min).min(sanitize(max)).min(0.0);
    let hi = sanitize(max).max(sanitize(min)).max(0.0);
    let span = hi - lo;
    if span < 1e-9 {
        return (0..=5).map(f64::from).collect();
    }
    let raw = span / target.max(1) as f64;
    let mut e = raw.log10().floor() as i32;
    let mut m = 10.0;
    for cand in [1.0, 2.0, 2.5, 5.0, 10.0] {
        if integer && e <= 0 && cand == 2.5 {
            continue;
        }
        if cand * pow10(e) >= raw * (1.0 - 1e-9) {
            m = cand;
            break;
        }
    }
    if m == 10.0 {
        m = 1.0;
        e += 1;
    }
    if integer && e < 0 {
        m = 1.0;
        e = 0;
    }
    let step = m * pow10(e);
    let k_lo = (lo / step + 1e-9).floor() as i64;
    let k_hi = (hi / step - 1e-9).ceil() as i64;
    (k_lo..=k_hi.max(k_lo + 1))
        .map(|k| {
            let km = k as f64 * m;
            // Dividing by an exact power of ten avoids noise like 0.30000000000000004.
            if e >= 0 {
                km * pow10(e)
            } else {
                km / pow10(-e)
            }
        })
        .collect()
}

/// The densest ticks (about `max_target` intervals at most) whose spacing
/// along an axis `length` long is at least `min_gap(ticks)`; the sparsest
/// (about two intervals) when none is.
pub(crate) fn fit_ticks(
    lo: f64,
    hi: f64,
    integer: bool,
    length: f64,
    max_target: usize,
    min_gap: impl Fn(&[f64]) -> f64,
) -> Vec<f64> {
    let mut best = ticks(lo, hi, 2, integer);
    for target in (2..=max_target.max(2)).rev() {
        let t = ticks(lo, hi, target, integer);
        let gap = length / (t.len().max(2) - 1) as f64;
        if gap >= min_gap(&t) {
            return t;
        }
        best = t;
    }
    best
}

fn pow10(e: i32) -> f64 {
    10f64.powi(e)
}

/// Maps a domain linearly onto a range (pixels).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Linear {
    pub d0: f64,
    pub d1: f64,
    pub r0: f64,
    pub r1: f64,
}

impl Linear {
    /// Maps `v`, clamped to the domain.
    pub(crate) fn map(&self, v: f64) -> f64 {
        let span = self.d1 - self.d0;
        if span.abs() < f64::MIN_POSITIVE || !span.is_finite() {
            return self.r0;
        }
        let t = ((sanitize(v) - self.d0) / span).clamp(0.0, 1.0);
        self.r0 + t * (self.r1 - self.r0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sensible_ticks() {
        assert_eq!(nice_ticks(0.0, 69.0), vec![0.0, 20.0, 40.0, 60.0, 80.0]);
        assert_eq!(
            nice_ticks(0.0, 35000.0),
            vec![0.0, 10000.0, 20000.0, 30000.0, 40000.0]
        );
        assert_eq!(
            nice_ticks(0.0, 100.0),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            ticks(0.0, 69.0, 7, false),
            (0..=7).map(|k| f64::from(k) * 10.0).collect::<Vec<_>>()
        );
        assert_eq!(nice_ticks(0.0, 12.0), vec![0.0, 2.5, 5.0, 7.5, 10.0, 12.5]);
        assert_eq!(ticks(0.0, 12.0, 5, true), vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!(ticks(0.0, 3.0, 5, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(nice_ticks(0.0, 1.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 0.3), vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(
            nice_ticks(-12.0, 30.0),
            vec![-20.0, -10.0, 0.0, 10.0, 20.0, 30.0]
        );
        assert_eq!(
            nice_ticks(-5.0, -1.0),
            vec![-5.0, -4.0, -3.0, -2.0, -1.0, 0.0]
        );
    }

    #[test]
    fn degenerate_ticks() {
        let five: Vec<f64> = (0..=5).map(f64::from).collect();
        assert_eq!(nice_ticks(0.0, 0.0), five);
        assert_eq!(nice_ticks(f64::NAN, f64::INFINITY), five);
        assert_eq!(nice_ticks(1e-300, 1e-300), five);
        let big = nice_ticks(0.0, f64::MAX);
        assert!(big.iter().all(|t| t.is_finite()));
        assert!(*big.last().unwrap() >= LIMIT);
        assert!(big.len() <= 7);
        // Reversed bounds are fine.
        assert_eq!(nice_ticks(69.0, 0.0), nice_ticks(0.0, 69.0));
    }

    #[test]
    fn ticks_cover_their_input() {
        for max in [
            0.7,
            1.0,
            3.0,
            9.5,
            10.0,
            11.0,
            99.0,
            101.0,
            1234.0,
            99_999.0,
            123_456_789.0,
        ] {
            let t = nice_ticks(0.0, max);
            assert_eq!(t[0], 0.0);
            assert!(*t.last().unwrap() >= max, "{max}: {t:?}");
            assert!((3..=7).contains(&t.len()), "{max}: {t:?}");
        }
    }

    #[test]
    fn fitting_ticks() {
        // Plenty of room: at most about six intervals.
        assert_eq!(
            fit_ticks(0.0, 69.0, true, 250.0, 6, |_| 32.0),
            nice_ticks(0.0, 69.0)
        );
        assert_eq!(
            fit_ticks(0.0, 35000.0, true, 250.0, 6, |_| 32.0),
            nice_ticks(0.0, 35000.0)
        );
        // Little room: fewer ticks, but still close to the data.
        assert_eq!(
            fit_ticks(0.0, 123_456.0, false, 100.0, 6, |_| 32.0),
            vec![0.0, 50_000.0, 100_000.0, 150_000.0]
        );
        assert_eq!(
            fit_ticks(0.0, 128.0, true, 130.0, 8, |_| 40.0),
            vec![0.0, 50.0, 100.0, 150.0]
        );
        // No room at all: two or three ticks, no panic.
        assert!(fit_ticks(0.0, 128.0, true, 0.0, 8, |_| 40.0).len() <= 4);
    }

    #[test]
    fn linear_maps_and_clamps() {
        let s = Linear {
            d0: 0.0,
            d1: 10.0,
            r0: 100.0,
            r1: 0.0,
        };
        assert_eq!(s.map(5.0), 50.0);
        assert_eq!(s.map(20.0), 0.0);
        assert_eq!(s.map(f64::NAN), 100.0);
        let flat = Linear {
            d0: 1.0,
            d1: 1.0,
            r0: 3.0,
            r1: 9.0,
        };
        assert_eq!(flat.map(1.0), 3.0);
    }
}
