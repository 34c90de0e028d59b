//! Airdrops (MODEL.md §8): the payload lands, the besiegers take their share, part of the rest is
//! lost to accuracy and damage, and what is usable reaches the households at the target by the
//! drop's distribution rule.

use super::World;
use super::kernel;
use super::physiology;
use super::population::{Cause, Mode, Status};
use super::rng;
use crate::scenario::Scenario;
use crate::scenario::params::{
    Commodity, Distribution, NEED_HEADS, PLANNING_KCAL, RELIEF_COLLECT_DAYS, SCRAMBLE_ABLE_AGE, SCRAMBLE_ABLE_BMI,
    SCRAMBLE_TAKE_DAYS,
};

/// How many ORS sachets a household takes at most under `need` and `scramble`, per member.
/// Modelling choice (range 1–5): about two episodes' worth each.
pub const ORS_TAKE_PER_MEMBER: f64 = 2.0;

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

/// The sub-stream of a replicate that decides drop-zone casualties, next to the convoys' (so a
/// scenario without casualties draws exactly what it drew before).
pub(crate) const CASUALTY_SUBSTREAM: u64 = super::convoy::CONVOY_SUBSTREAM + 1;

impl World<'_> {
    /// Lands today's drops; returns (landed, usable, captured) kcal.
    pub(crate) fn land_airdrops(&mut self, day: u32) -> DropsToday {
        let s = self.s;
        let mut today = (0.0, 0.0, 0.0);
        for a in s.airdrops().iter().filter(|a| a.day == day) {
            if a.casualties_per_tonne > 0.0 {
                self.drop_zone_casualties(a.target, a.casualties_per_tonne * a.tonnes);
            }
            if !matches!(a.commodity, Commodity::Food | Commodity::Rutf) {
                // The same landing, capture and loss; what is left is handed out as its kind.
                let landed = a.tonnes * 1000.0 * a.units_per_kg;
                let usable = (landed - landed * a.captured_fraction) * a.usable_fraction;
                self.hand_out(a.commodity, a.target, a.distribution, usable);
                self.cum.airdrop_tonnes += a.tonnes;
                self.cum.airdrop_cost += a.cost_per_tonne.unwrap_or(0.0) * a.tonnes;
                continue;
            }
            let landed = a.tonnes * 1000.0 * a.kcal_per_kg;
            let captured = landed * a.captured_fraction;
            let usable = (landed - captured) * a.usable_fraction;
            let delivered = match (a.commodity, a.into) {
                (Commodity::Rutf, _) => {
                    // Therapeutic food is not food in the ledger: held apart for wasted children.
                    self.cum.rutf_delivered += self.distribute_rutf(a.target, usable);
                    0.0
                }
                (_, Some(j)) => {
                    self.put_in_store(j, usable);
                    self.cum.into_stores += usable;
                    usable
                }
                (_, None) => {
                    let given = self.distribute(a.target, a.distribution, usable);
                    self.today.ledger.airdrop_usable += given;
                    given
                }
            };
            today.0 += landed;
            today.1 += delivered;
            today.2 += captured;
            self.cum.airdrop_tonnes += a.tonnes;
            self.cum.airdrop_landed += landed;
            self.cum.airdrop_usable += delivered;
            self.cum.airdrop_captured += captured;
            self.cum.airdrop_cost += a.cost_per_tonne.unwrap_or(0.0) * a.tonnes;
        }
        today
    }

    /// Kills Poisson(`expected`) people, at random among those at `target` and not on the road
    /// (all of them if fewer), of cause `relief`, before the drop is handed out (MODEL.md §8).
    fn drop_zone_casualties(&mut self, target: usize, expected: f64) {
        let n = rng::poisson(&mut self.casualty_rng, expected) as usize;
        let mut candidates = self.alive_at(target, |h| h.mode != Mode::InTransit, |_| true);
        let victims = super::events::sample(&mut self.casualty_rng, &mut candidates, n).to_vec();
        for (hi, pi) in victims {
            self.kill(hi, pi, Cause::Relief);
        }
    }

    /// Hands `amount` of a non-food `commodity` out at `target` (water and purification to the
    /// location's common store, ORS sachets to households by `rule`, RUTF to the households of
    /// wasted under-5s), and counts it as relief; returns what was handed out (0 when nobody is there).
    pub(crate) fn hand_out(&mut self, commodity: Commodity, target: usize, rule: Distribution, amount: f64) -> f64 {
        let given = match commodity {
            Commodity::Food => self.distribute(target, rule, amount),
            Commodity::Water => self.deliver_water(target, amount, false),
            Commodity::Tablets => self.deliver_water(target, amount, true),
            Commodity::Ors => self.distribute_ors(target, rule, amount),
            Commodity::Rutf => self.distribute_rutf(target, amount),
        };
        match commodity {
            Commodity::Water => self.cum.water_delivered_l += given,
            Commodity::Tablets => self.cum.treatment_delivered_l += given,
            Commodity::Ors => self.cum.ors_delivered += given,
            Commodity::Rutf => self.cum.rutf_delivered += given,
            Commodity::Food => {}
        }
        given
    }

    /// Hands `kcal` to the households staying at `target`, each collecting at most
    /// `RELIEF_COLLECT_DAYS` of the planning figure per member; returns what was handed out (0
    /// when nobody is there to pick it up; less than `kcal` when those there cannot take it all).
    pub(crate) fn distribute(&mut self, target: usize, rule: Distribution, kcal: f64) -> f64 {
        let Some((at, given)) = self.shares(target, rule, kcal, |h| SCRAMBLE_TAKE_DAYS * h.need_kcal) else {
            return 0.0;
        };
        let limit = |n: u16| RELIEF_COLLECT_DAYS * PLANNING_KCAL * f64::from(n);
        let capped = at
            .iter()
            .zip(&given)
            .any(|(&i, &g)| g > limit(self.households[i].n_active));
        let mut handed = 0.0;
        for (k, &i) in at.iter().enumerate() {
            let h = &mut self.households[i];
            let take = given[k].min(limit(h.n_active));
            h.stock_kcal += take;
            handed += take;
        }
        // When nobody reaches the limit every rule hands out all of `kcal`: report that exact
        // figure rather than a float sum that differs from it in the last digits.
        if capped { handed } else { kcal }
    }

    /// Hands `sachets` ORS sachets to the households staying at `target` by `rule` (under
    /// `scramble` each takes up to `ORS_TAKE_PER_MEMBER` a member); a household holds whole
    /// sachets, at most 255. Returns the sachets handed out.
    pub(crate) fn distribute_ors(&mut self, target: usize, rule: Distribution, sachets: f64) -> f64 {
        let Some((at, given)) = self.shares(target, rule, sachets, |h| ORS_TAKE_PER_MEMBER * f64::from(h.n_active))
        else {
            return 0.0;
        };
        let mut handed = 0.0;
        for (k, &i) in at.iter().enumerate() {
            let h = &mut self.households[i];
            let take = given[k].floor().min(f64::from(u8::MAX - h.ors));
            h.ors += take as u8;
            handed += take;
        }
        handed
    }

    /// The households staying at `target` (indices) and what each gets of `amount` by `rule`,
    /// `take` being what a household carries off at most under `need` and `scramble`; None when
    /// nobody is there or there is nothing to give.
    fn shares(
        &mut self,
        target: usize,
        rule: Distribution,
        amount: f64,
        take: impl Fn(&super::population::Household) -> f64,
    ) -> Option<(Vec<usize>, Vec<f64>)> {
        let kcal = amount;
        let at: Vec<usize> = (0..self.households.len())
            .filter(|&i| {
                let h = &self.households[i];
                h.mode != Mode::InTransit && h.location as usize == target && h.n_active > 0
            })
            .collect();
        if at.is_empty() || kcal <= 0.0 {
            return None;
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
                // Per head, the undernourished counting for more (`NEED_HEADS`): a supplementary
                // ration on top of the general one, so food moves toward the thin without
                // feeding a few households whole while the rest get nothing.
                let heads: Vec<f64> = at.iter().map(|&i| self.need_heads(i)).collect();
                let all: f64 = heads.iter().sum();
                for (k, h) in heads.iter().enumerate() {
                    given[k] = kcal * h / all;
                }
            }
            Distribution::Scramble => {
                // An order of arrival, a random one weighted by able young adults (households
                // without any last in random order), then each household carries off up to a
                // week of its need until nothing is left; what remains after everyone is shared
                // per head.
                let order = self.strongest_first(&at);
                let mut left = kcal;
                for &k in &order {
                    let take = take(&self.households[at[k]]).min(left);
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
        Some((at, given))
    }

    /// Hands `kcal` of therapeutic food to the households staying at `target` (MODEL.md §8b), in
    /// proportion to their living wasted under-5s (weight-for-height index below −2): a nutrition
    /// programme screens children, whatever the drop's distribution rule (modelling choice). If no
    /// child there is wasted, in proportion to their under-5s; returns what was handed out (0 when
    /// there is no under-5 to give it to).
    pub(crate) fn distribute_rutf(&mut self, target: usize, kcal: f64) -> f64 {
        let day = self.day;
        let counts: Vec<(usize, u32, u32)> = (0..self.households.len())
            .filter_map(|i| {
                let h = &self.households[i];
                if h.mode == Mode::InTransit || h.location as usize != target || h.n_active == 0 {
                    return None;
                }
                let (mut under5, mut wasted) = (0, 0);
                for p in &self.persons[h.members()] {
                    if p.status == Status::Alive && p.is_child() && p.age(day) < 5.0 {
                        under5 += 1;
                        let band = physiology::wasting_band(physiology::child_index(p.weight_ratio));
                        wasted += u32::from(band >= physiology::MODERATE);
                    }
                }
                (under5 > 0).then_some((i, under5, wasted))
            })
            .collect();
        let wasted: u32 = counts.iter().map(|c| c.2).sum();
        let under5: u32 = counts.iter().map(|c| c.1).sum();
        if kcal <= 0.0 || under5 == 0 {
            return 0.0;
        }
        for &(i, u, w) in &counts {
            let share = if wasted > 0 {
                f64::from(w) / f64::from(wasted)
            } else {
                f64::from(u) / f64::from(under5)
            };
            self.households[i].rutf_kcal += (kcal * share) as f32;
        }
        kcal
    }

    /// The heads household `i` counts for under `need`: each living member 1, or `NEED_HEADS`
    /// when moderately or severely undernourished (a child by its weight-for-height index, an
    /// adult by BMI, as GAM/SAM and the thinness outputs count them).
    fn need_heads(&self, i: usize) -> f64 {
        let [moderate, severe] = NEED_HEADS;
        self.persons[self.households[i].members()]
            .iter()
            .filter(|p| p.status == Status::Alive)
            .map(|p| {
                let (moderately, severely) = if p.is_child() {
                    let band = physiology::wasting_band(physiology::child_index(p.weight_ratio));
                    (band >= physiology::MODERATE, band >= physiology::SEVERE)
                } else {
                    let bmi = p.bmi();
                    (bmi < kernel::THIN_BMI, bmi < kernel::SEVERELY_THIN_BMI)
                };
                if severely {
                    severe
                } else if moderately {
                    moderate
                } else {
                    1.0
                }
            })
            .sum()
    }

    /// Positions in `at` in a random order in which a household's chance to come next is in
    /// proportion to its able young adults (alive, aged `SCRAMBLE_ABLE_AGE`, BMI at least
    /// `SCRAMBLE_ABLE_BMI`): weighted sampling without replacement (Efraimidis–Spirakis keys
    /// ln(u)/w). Households with none come after, in uniform random order. One draw per household
    /// from the world's stream, in household order.
    fn strongest_first(&mut self, at: &[usize]) -> Vec<usize> {
        let day = self.day;
        let (young, old) = SCRAMBLE_ABLE_AGE;
        let key: Vec<(bool, f64)> = at
            .iter()
            .map(|&i| {
                let able = self.persons[self.households[i].members()]
                    .iter()
                    .filter(|p| {
                        let age = p.age(day);
                        p.status == Status::Alive
                            && !p.is_child()
                            && (young..old).contains(&age)
                            && p.bmi() >= SCRAMBLE_ABLE_BMI
                    })
                    .count();
                let u = 1.0 - rng::uniform(&mut self.rng);
                if able > 0 {
                    (true, u.ln() / able as f64)
                } else {
                    (false, u)
                }
            })
            .collect();
        let mut order: Vec<usize> = (0..at.len()).collect();
        order.sort_by(|&a, &b| {
            key[b]
                .0
                .cmp(&key[a].0)
                .then(key[b].1.total_cmp(&key[a].1))
                .then(a.cmp(&b))
        });
        order
    }
}
