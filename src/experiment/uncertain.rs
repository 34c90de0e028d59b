//! Each replicate's draw of the scenario's `[[uncertain]]` values (scenario::uncertain), from the
//! replicate's own stream: the same values for replicate r in every sweep point and every scenario
//! of a comparison that declares the same entries, so paired differences stay paired.

use crate::model::rng::{self, Stream};
use crate::scenario::Scenario;
use crate::scenario::uncertain::{Distribution, UncertainParams};
use std::borrow::Cow;

/// The sub-stream of a replicate that its parameter draws come from: far from the world's own
/// (0), its chunks' (1, 2, …) and the convoys' (2^27).
pub const UNCERTAIN_SUBSTREAM: u64 = 1 << 31;

/// Most draws of a truncated distribution before its value is taken as the nearer bound (the
/// bounds then hold at least 1/10,000 of the mass only in a badly chosen entry).
const MAX_TRIES: u32 = 10_000;

/// Replicate `replicate`'s values, in entry order (rounded where the key takes whole numbers).
pub fn drawn(s: &Scenario, replicate: u32) -> Vec<f64> {
    let mut rng = rng::stream(s.seed(), u64::from(replicate), UNCERTAIN_SUBSTREAM);
    s.uncertain()
        .iter()
        .enumerate()
        .map(|(i, u)| as_run(s, i, draw(u, &mut rng)))
        .collect()
}

/// Value `x` of entry `i` as the scenario takes it: rounded (within bounds) where the key takes
/// whole numbers.
fn as_run(s: &Scenario, i: usize, x: f64) -> f64 {
    let u = &s.uncertain()[i];
    if s.uncertain_is_integer(i) {
        x.round().clamp(u.low.ceil(), u.high.floor())
    } else {
        x
    }
}

/// The values at a point `unit` of the unit cube (one coordinate per entry, in entry order), each
/// mapped through its entry's [`quantile`] and rounded where the key takes whole numbers: how a
/// sensitivity design (`siege sensitivity`) turns its points into parameter values.
pub fn values_at(s: &Scenario, unit: &[f64]) -> Vec<f64> {
    s.uncertain()
        .iter()
        .zip(unit)
        .enumerate()
        .map(|(i, (u, &p))| as_run(s, i, quantile(u, p)))
        .collect()
}

/// The value below which a fraction `p` (in [0, 1]) of the entry's distribution lies: the inverse
/// of its cumulative distribution, truncated to [low, high] like the draws (p = 0 gives `low`,
/// p = 1 gives `high`). Uniform and triangular are exact (the same formulas as [`draw`]); the
/// normal and log-normal use [`normal_cdf`] and [`normal_quantile`] (relative error below 1e-7).
pub fn quantile(u: &UncertainParams, p: f64) -> f64 {
    let (low, high) = (u.low, u.high);
    // The ends exactly, whatever the rounding of the formulas below.
    if p <= 0.0 {
        return low;
    }
    if p >= 1.0 {
        return high;
    }
    let truncated_normal = |mean: f64, sd: f64, lo: f64, hi: f64| {
        let (a, b) = (normal_cdf((lo - mean) / sd), normal_cdf((hi - mean) / sd));
        if b - a < 1e-12 {
            // The whole range lies far out in one tail: no precision left, so spread it evenly.
            lo + p * (hi - lo)
        } else {
            (mean + sd * normal_quantile(a + p * (b - a))).clamp(lo, hi)
        }
    };
    match u.distribution {
        Distribution::Uniform => low + p * (high - low),
        Distribution::Triangular => {
            let mode = u.mode.unwrap_or(low);
            let width = high - low;
            if width == 0.0 {
                low
            } else if p < (mode - low) / width {
                low + (p * width * (mode - low)).sqrt()
            } else {
                high - ((1.0 - p) * width * (high - mode)).sqrt()
            }
        }
        Distribution::Normal => {
            let (mean, sd) = (u.mean.unwrap_or(low), u.sd.unwrap_or(1.0));
            truncated_normal(mean, sd, low, high)
        }
        Distribution::Lognormal => {
            let (median, sigma) = (u.median.unwrap_or(1.0), u.sigma.unwrap_or(1.0));
            // ln(0) = -inf, whose normal_cdf is 0: a `low` of 0 is the distribution's own bound.
            truncated_normal(median.ln(), sigma, low.ln(), high.ln())
                .exp()
                .clamp(low, high)
        }
    }
}

/// The standard normal cumulative distribution Φ(z), through the complementary error function of
/// Press et al., *Numerical Recipes* (2nd ed., §6.2, `erfcc`: fractional error below 1.2e-7
/// everywhere). Φ(−∞) = 0, Φ(∞) = 1.
pub fn normal_cdf(z: f64) -> f64 {
    let x = -z / std::f64::consts::SQRT_2;
    let t = 1.0 / (1.0 + 0.5 * x.abs());
    let poly = -x * x - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98 + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let erfc = t * poly.exp();
    let erfc = if x >= 0.0 { erfc } else { 2.0 - erfc };
    if z.is_nan() { f64::NAN } else { 0.5 * erfc }
}

/// The standard normal quantile Φ⁻¹(p) by P. J. Acklam's rational approximation (relative error
/// below 1.15e-9 in (0, 1)); −∞ at 0 and ∞ at 1.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - P_LOW {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// The scenario replicate `replicate` runs: this one, or with its drawn values put in.
pub fn scenario_for(s: &Scenario, replicate: u32) -> Cow<'_, Scenario> {
    if s.uncertain().is_empty() {
        return Cow::Borrowed(s);
    }
    let values = drawn(s, replicate);
    // Every value is within bounds at which the scenario was validated when it was loaded.
    Cow::Owned(
        s.with_drawn(&values)
            .unwrap_or_else(|e| panic!("replicate {replicate}: {e} (bounds were validated at load)")),
    )
}

fn draw(u: &UncertainParams, rng: &mut Stream) -> f64 {
    let (low, high) = (u.low, u.high);
    let truncated = |rng: &mut Stream, sample: &dyn Fn(&mut Stream) -> f64, centre: f64| {
        (0..MAX_TRIES)
            .map(|_| sample(rng))
            .find(|x| (low..=high).contains(x))
            .unwrap_or(centre.clamp(low, high))
    };
    match u.distribution {
        // The inverse of the distribution function at a uniform draw.
        Distribution::Uniform | Distribution::Triangular => quantile(u, rng::uniform(rng)),
        Distribution::Normal => {
            let (mean, sd) = (u.mean.unwrap_or(low), u.sd.unwrap_or(0.0));
            truncated(rng, &|r| rng::normal(r, mean, sd), mean)
        }
        Distribution::Lognormal => {
            let (median, sigma) = (u.median.unwrap_or(1.0), u.sigma.unwrap_or(0.0));
            truncated(rng, &|r| (median.ln() + sigma * rng::normal(r, 0.0, 1.0)).exp(), median)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(distribution: Distribution) -> UncertainParams {
        UncertainParams {
            key: "k".into(),
            distribution,
            low: 10.0,
            high: 40.0,
            mode: None,
            mean: None,
            sd: None,
            median: None,
            sigma: None,
        }
    }

    /// The quantile function inverts each distribution: its ends are the bounds, its median is
    /// where it should be, and a normal's quartiles are ±0.674 sd.
    #[test]
    fn quantiles_invert_each_distribution() {
        assert!((normal_quantile(0.975) - 1.959_963_985).abs() < 1e-8);
        assert!((normal_cdf(1.959_963_985) - 0.975).abs() < 1e-7);
        assert_eq!(normal_cdf(f64::NEG_INFINITY), 0.0);
        for p in [1e-6, 0.01, 0.2, 0.5, 0.7, 0.99] {
            assert!((normal_cdf(normal_quantile(p)) - p).abs() < 2e-7 * p.max(1e-3), "{p}");
        }
        let wide = UncertainParams {
            mean: Some(25.0),
            sd: Some(3.0),
            ..entry(Distribution::Normal)
        };
        assert_eq!(quantile(&wide, 0.0), 10.0);
        assert_eq!(quantile(&wide, 1.0), 40.0);
        assert!((quantile(&wide, 0.5) - 25.0).abs() < 1e-6);
        assert!((quantile(&wide, 0.75) - (25.0 + 3.0 * 0.674_489_75)).abs() < 1e-5);
        let log = UncertainParams {
            median: Some(20.0),
            sigma: Some(0.1),
            ..entry(Distribution::Lognormal)
        };
        assert!((quantile(&log, 0.5) - 20.0).abs() < 1e-5);
        let tri = UncertainParams {
            mode: Some(13.0),
            ..entry(Distribution::Triangular)
        };
        assert_eq!(quantile(&tri, 0.1), 13.0);
        assert_eq!(quantile(&entry(Distribution::Uniform), 0.25), 17.5);
        // Monotone in p for every shape.
        for u in [&wide, &log, &tri] {
            let xs: Vec<f64> = (0..=100).map(|i| quantile(u, f64::from(i) / 100.0)).collect();
            assert!(xs.windows(2).all(|w| w[0] <= w[1]), "{:?}", u.distribution);
        }
    }

    /// Each shape stays within its bounds and has the mean it should.
    #[test]
    fn draws_have_their_distribution_s_bounds_and_mean() {
        let cases = [
            (entry(Distribution::Uniform), 25.0),
            (
                UncertainParams {
                    mode: Some(13.0),
                    ..entry(Distribution::Triangular)
                },
                21.0,
            ),
            (
                UncertainParams {
                    mean: Some(20.0),
                    sd: Some(3.0),
                    ..entry(Distribution::Normal)
                },
                20.0,
            ),
            (
                UncertainParams {
                    median: Some(20.0),
                    sigma: Some(0.1),
                    ..entry(Distribution::Lognormal)
                },
                20.0 * 0.005f64.exp(),
            ),
        ];
        for (u, mean) in cases {
            let mut rng = rng::stream(1, 0, UNCERTAIN_SUBSTREAM);
            let xs: Vec<f64> = (0..20_000).map(|_| draw(&u, &mut rng)).collect();
            assert!(xs.iter().all(|x| (10.0..=40.0).contains(x)), "{:?}", u.distribution);
            let m = xs.iter().sum::<f64>() / xs.len() as f64;
            assert!(
                (m - mean).abs() < 0.2,
                "{:?}: mean {m}, expected {mean}",
                u.distribution
            );
        }
    }
}
