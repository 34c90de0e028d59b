//! Airdrops (MODEL.md §8): the payload lands, the besiegers take their share, part of the rest is
//! lost to accuracy and damage, and what is usable reaches the households at the target by the
//! drop's distribution rule.

use super::World;
use super::population::Mode;
use super::rng;
use crate::scenario::Scenario;
use crate::scenario::params::{Distribution, SCRAMBLE_TAKE_DAYS};

/// Airdrop energy that landed today, kcal: (landed, usable, captured).
pub type DropsToday = (f64, f64, f64);

/// Everything of a scenario but its airdrops, as text (Debug prints every number exactly).
/// Two scenarios with the same text and the same [`drops_on`] every day before day d give the same
/// world at the start of day d, replicate for replicate: the model reads the drops only on the
/// day they land, here. Keep it so; the related-run sharing (experiment::related) relies on it,
/// and tests/invariants.rs checks it.
pub fn same_but_drops(s: &Scenario) -> String {
    format!("{:?}", s.without_airdrops())
}

/// The drops landing on `day`, as text (empty if none), in the order they land.
pub fn drops_on(s: &Scenario, day: u32) -> String {
    let today: Vec<_> = s.airdrops().iter().filter(|a| a.day == day).collect();
    if today.is_empty() {
        String::new()
    } else {
        format!("{today:?}")
    }
}

impl World<'_> {
    /// Lands today's drops; returns (landed, usable, captured) kcal.
    pub(crate) fn land_airdrops(&mut self, day: u32) -> DropsToday {
        let s = self.s;
        let mut today = (0.0, 0.0, 0.0);
        for a in s.airdrops().iter().filter(|a| a.day == day) {
            let landed = a.tonnes * 1000.0 * a.kcal_per_kg;
            let captured = landed * a.captured_fraction;
            let usable = (landed - captured) * a.usable_fraction;
            let delivered = self.distribute(a.target, a.distribution, usable);
            today.0 += landed;
            today.1 += delivered;
            today.2 += captured;
            self.cum.airdrop_tonnes += a.tonnes;
            self.cum.airdrop_landed += landed;
            self.cum.airdrop_usable += delivered;
            self.cum.airdrop_captured += captured;
            self.cum.airdrop_cost += a.cost_per_tonne.unwrap_or(0.0) * a.tonnes;
        }
        self.today.ledger.airdrop_usable += today.1;
        today
    }

    /// Hands `kcal` to the households staying at `target`; returns what was handed out (0 when
    /// nobody is there to pick it up).
    fn distribute(&mut self, target: usize, rule: Distribution, kcal: f64) -> f64 {
        let at: Vec<usize> = (0..self.households.len())
            .filter(|&i| {
                let h = &self.households[i];
                h.mode != Mode::InTransit && h.location as usize == target && h.n_active > 0
            })
            .collect();
        if at.is_empty() || kcal <= 0.0 {
            return 0.0;
        }
        let people: f64 = at.iter().map(|&i| f64::from(self.households[i].n_active)).sum();
        let mut given = vec![0.0; at.len()];
        match rule {
            Distribution::Equal => {
                for (k, &i) in at.iter().enumerate() {
                    given[k] = kcal * f64::from(self.households[i].n_active) / people;
                }
            }
            Distribution::Need => {
                // Hungriest first: raise the lowest days-of-food to a common level L, where L is
                // found by bisection so that exactly `kcal` is handed out.
                let need: Vec<f64> = at.iter().map(|&i| self.households[i].need_kcal.max(1.0)).collect();
                let stock: Vec<f64> = at.iter().map(|&i| self.households[i].stock_kcal).collect();
                let fill = |level: f64| -> f64 { need.iter().zip(&stock).map(|(n, s)| (level * n - s).max(0.0)).sum() };
                let (mut lo, mut hi) = (0.0, 1.0);
                while fill(hi) < kcal {
                    hi *= 2.0;
                }
                for _ in 0..100 {
                    let mid = 0.5 * (lo + hi);
                    if fill(mid) < kcal { lo = mid } else { hi = mid }
                }
                let raw: Vec<f64> = need.iter().zip(&stock).map(|(n, s)| (hi * n - s).max(0.0)).collect();
                let total: f64 = raw.iter().sum();
                for k in 0..at.len() {
                    given[k] = kcal * raw[k] / total;
                }
            }
            Distribution::Scramble => {
                // Households reach the drop in random order; each carries off up to a week of its
                // need until nothing is left; what remains after everyone is shared per head.
                let mut order: Vec<usize> = (0..at.len()).collect();
                for i in 0..order.len() {
                    let j = i + rng::below(&mut self.rng, order.len() - i);
                    order.swap(i, j);
                }
                let mut left = kcal;
                for &k in &order {
                    let take = (SCRAMBLE_TAKE_DAYS * self.households[at[k]].need_kcal).min(left);
                    given[k] += take;
                    left -= take;
                }
                if left > 0.0 {
                    for (k, &i) in at.iter().enumerate() {
                        given[k] += left * f64::from(self.households[i].n_active) / people;
                    }
                }
            }
        }
        for (k, &i) in at.iter().enumerate() {
            self.households[i].stock_kcal += given[k];
        }
        // Every rule hands out all of `kcal` once someone is there; report that exact figure rather
        // than a float sum that differs from it in the last digits from run to run.
        kcal
    }
}
