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
        .map(|(i, u)| {
            let x = draw(u, &mut rng);
            if s.uncertain_is_integer(i) {
                x.round().clamp(u.low.ceil(), u.high.floor())
            } else {
                x
            }
        })
        .collect()
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
        Distribution::Uniform => low + rng::uniform(rng) * (high - low),
        Distribution::Triangular => {
            let mode = u.mode.unwrap_or(low);
            let v = rng::uniform(rng);
            let width = high - low;
            if width == 0.0 {
                low
            } else if v < (mode - low) / width {
                low + (v * width * (mode - low)).sqrt()
            } else {
                high - ((1.0 - v) * width * (high - mode)).sqrt()
            }
        }
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
