//! Statistics across replicates: quantiles (type 7, as R's default and numpy's `linear`), the mean
//! and a 95% confidence interval of the mean (normal approximation, mean ± 1.96 SE).

/// Quantile `q` in [0, 1] of `values` (need not be sorted); NaN when empty.
pub fn quantile(values: &[f64], q: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    quantile_sorted(&v, q)
}

/// Quantile `q` in [0, 1] of sorted values (type 7); NaN when empty. The one quantile formula of
/// the project: statistics across replicates and the charts' bands use it.
pub fn quantile_sorted(v: &[f64], q: f64) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    let h = (v.len() - 1) as f64 * q.clamp(0.0, 1.0);
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

/// Mean, p05, p50, p95 and the 95% CI of the mean.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Describe {
    pub n: usize,
    pub mean: f64,
    pub ci95_lo: f64,
    pub ci95_hi: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

impl Describe {
    /// Column suffixes of [`Describe::values`], in order (`deaths_total_mean`, ...).
    pub const SUFFIXES: [&'static str; 6] = ["mean", "ci95_lo", "ci95_hi", "p05", "p50", "p95"];

    /// The statistics in [`Describe::SUFFIXES`] order.
    pub fn values(&self) -> [f64; 6] {
        [self.mean, self.ci95_lo, self.ci95_hi, self.p05, self.p50, self.p95]
    }

    /// Over `n` values, the statistics `v` in [`Describe::SUFFIXES`] order (as a file holds them).
    pub fn from_values(n: usize, v: [f64; 6]) -> Describe {
        let [mean, ci95_lo, ci95_hi, p05, p50, p95] = v;
        Describe {
            n,
            mean,
            ci95_lo,
            ci95_hi,
            p05,
            p50,
            p95,
        }
    }

    /// Every statistic times `k` > 0 (a per-cost figure shown per 100,000).
    pub fn scaled(&self, k: f64) -> Describe {
        Describe::from_values(self.n, self.values().map(|x| x * k))
    }
}

/// The statistics of `values`, leaving out the unknown ones (NaN: a statistic over nobody in that
/// replicate): they are missing, never counted as 0; `n` is how many were known.
pub fn describe(values: &[f64]) -> Describe {
    let values: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    let n = values.len();
    if n == 0 {
        return Describe {
            n,
            mean: f64::NAN,
            ci95_lo: f64::NAN,
            ci95_hi: f64::NAN,
            p05: f64::NAN,
            p50: f64::NAN,
            p95: f64::NAN,
        };
    }
    let mut v = values;
    v.sort_by(f64::total_cmp);
    // Every value the same (the tonnes every replicate of a plan drops): that value, exactly, with
    // no spread, where a sum of n copies divided by n would leave rounding in the last digits
    // (5.100000000000009 for a hundred 5.1s) and a sliver of interval around it.
    let constant = v[0] == v[n - 1];
    let mean = if constant {
        // + 0.0: a series of zeros of both signs is 0, not −0.
        v[0] + 0.0
    } else {
        v.iter().sum::<f64>() / n as f64
    };
    let var = if n > 1 && !constant {
        v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64
    } else {
        0.0
    };
    // With one replicate there is no spread to estimate: the interval is unknown, not zero.
    let half = if n > 1 {
        1.96 * (var / n as f64).sqrt()
    } else {
        f64::NAN
    };
    Describe {
        n,
        mean,
        ci95_lo: mean - half,
        ci95_hi: mean + half,
        p05: quantile_sorted(&v, 0.05),
        p50: quantile_sorted(&v, 0.50),
        p95: quantile_sorted(&v, 0.95),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn quantiles_match_type_7() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.05), 1.2);
        assert!((quantile(&v, 0.95) - 4.8).abs() < 1e-12);
        let d = describe(&v);
        assert_eq!(d.mean, 3.0);
        assert!((d.ci95_hi - (3.0 + 1.96 * (2.5f64 / 5.0).sqrt())).abs() < 1e-12);
    }

    #[test]
    fn a_constant_series_is_its_value_exactly_with_no_spread() {
        let d = describe(&[5.1; 100]);
        assert_eq!((d.mean, d.ci95_lo, d.ci95_hi, d.p05, d.p95), (5.1, 5.1, 5.1, 5.1, 5.1));
        // Summed, a hundred 5.1s over a hundred are not 5.1.
        assert_ne!([5.1f64; 100].iter().sum::<f64>() / 100.0, 5.1);
        let zeros = describe(&[-0.0, 0.0, -0.0]);
        assert!(zeros.mean == 0.0 && zeros.mean.is_sign_positive());
    }

    #[test]
    fn unknown_values_are_missing_not_zero() {
        let d = describe(&[f64::NAN, 2.0, 4.0, f64::NAN]);
        assert_eq!(d.n, 2);
        assert_eq!(d.mean, 3.0);
        assert_eq!(d.p05, 2.1);
        let none = describe(&[f64::NAN]);
        assert_eq!(none.n, 0);
        assert!(none.mean.is_nan() && none.p50.is_nan());
    }
}
