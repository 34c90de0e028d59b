//! Water (MODEL.md §6a, design-round2 §3.6): each location's sources, cut or poisoned by events
//! and out of reach beyond the siege line; the day's water split among the households there by
//! members; each household's dry days and the dehydration hazard; and the diarrhoea factor W_d.
//!
//! A location without `[[locations.water]]` has unlimited safe water: a scenario without any
//! runs no water phase at all, so it draws and computes exactly what it did before.

use super::World;
use super::kernel::record_death;
use super::population::{Cause, Household, Mode, Person, Status};
use super::rng;
use super::tally::Tally;
use crate::scenario::params::WaterParams;
use crate::scenario::{ResolvedEvent, Scenario};

/// Dry days are held per household in this many parts of a day (a `u8`: up to 255/16 ≈ 16 days,
/// far beyond death at zero water).
pub(crate) const DRY_PARTS_PER_DAY: f64 = 16.0;

/// Delivered water is kept for drinking: it tops people up to the survival need first, and goes
/// beyond it (towards the basic need) only out of what exceeds this many days of that drinking
/// shortfall. Modelling choice (range 3–14): a week's reserve, as relief agencies plan stocks.
pub const STORE_RESERVE_DAYS: f64 = 7.0;

/// One source of a location as it stands today (its capacity after any cuts, its quality after
/// any poisoning).
#[derive(Clone, Debug)]
pub(crate) struct Source {
    pub capacity_l_day: f64,
    pub safe: bool,
    pub outside_line: bool,
}

/// A location's water state.
#[derive(Clone, Debug, Default)]
pub(crate) struct LocWater {
    /// Empty: unlimited safe water.
    pub sources: Vec<Source>,
    /// Delivered water held in common (safe), litres.
    pub stored_l: f64,
    /// Litres of unsafe water the location's purification tablets can still make safe.
    pub treat_l: f64,
}

/// The water people at a location have today.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WaterToday {
    /// False where water is unlimited (no sources given).
    pub limited: bool,
    /// Litres per person today (∞ where unlimited).
    pub litres_pp: f64,
    /// The share of those litres that is unsafe after treatment.
    pub unsafe_share: f64,
    /// The diarrhoea incidence factor W_d ([`diarrhoea_factor`]).
    pub factor: f64,
}

impl Default for WaterToday {
    fn default() -> Self {
        WaterToday {
            limited: false,
            litres_pp: f64::INFINITY,
            unsafe_share: 0.0,
            factor: 1.0,
        }
    }
}

/// W_d, the factor on a household's diarrhoea incidence from its water (MODEL.md eq. W3):
/// (1 + (RR_unsafe − 1)·u) × (RR_scarce if w < the basic need, else 1), for `litres_pp` litres per
/// person today of which the share `unsafe_share` is unsafe. 1 for plenty of safe water.
pub fn diarrhoea_factor(p: &WaterParams, litres_pp: f64, unsafe_share: f64) -> f64 {
    let unsafe_part = 1.0 + (p.unsafe_incidence_ratio - 1.0) * unsafe_share.clamp(0.0, 1.0);
    let scarce = if litres_pp < p.basic_l_per_person_day {
        p.scarce_incidence_ratio
    } else {
        1.0
    };
    unsafe_part * scarce
}

/// W_d of household `h` today: its location's, or 1 on the road (households in transit carry
/// what they drink). The diarrhoea onsets read it (`disease::household_onsets`).
pub fn household_factor(today: &[WaterToday], h: &Household) -> f64 {
    if h.mode == Mode::InTransit {
        1.0
    } else {
        today[h.location as usize].factor
    }
}

/// The coefficient k of the dehydration hazard 1 − exp(−k·D²) that gives a median survival of
/// `median_days` at zero water (D then rises by one a day: survival to day n is
/// exp(−k·Σ d²) = exp(−k·n(n+1)(2n+1)/6), one half at n = the median).
pub fn dehydration_coef(median_days: f64) -> f64 {
    let n = median_days;
    std::f64::consts::LN_2 / (n * (n + 1.0) * (2.0 * n + 1.0) / 6.0)
}

/// The daily dehydration hazard after `dry_days` weighted dry days, with coefficient `k`.
#[inline]
pub fn dehydration_hazard(k: f64, dry_days: f64) -> f64 {
    1.0 - (-k * dry_days * dry_days).exp()
}

/// A household's dry days after a day with `litres_pp` litres per person, against the survival
/// need `w_min`: up by the shortfall's share of the need, or down by one day.
#[inline]
pub(crate) fn next_dry(dry: u8, litres_pp: f64, w_min: f64) -> u8 {
    if litres_pp < w_min {
        let add = ((w_min - litres_pp) / w_min * DRY_PARTS_PER_DAY).round() as u8;
        // The byte's ceiling (15.9 days) is out of reach of every validated median survival
        // (at most 7 days, scenario::validate::check_water): a ceiling, never a wrong count.
        dry.saturating_add(add)
    } else {
        dry.saturating_sub(DRY_PARTS_PER_DAY as u8)
    }
}

/// The sources of each location as the scenario gives them.
pub(crate) fn initial(s: &Scenario) -> Vec<LocWater> {
    s.water_sources()
        .iter()
        .map(|sources| LocWater {
            sources: sources
                .iter()
                .map(|w| Source {
                    capacity_l_day: w.capacity_l_day,
                    safe: w.safe,
                    outside_line: w.outside_line,
                })
                .collect(),
            stored_l: 0.0,
            treat_l: 0.0,
        })
        .collect()
}

/// The water people at a location get today: `people` there, its state `w` (the store and the
/// treatment are drawn down), `besieged` (sources outside the line out of reach).
pub(crate) fn water_day(p: &WaterParams, w: &mut LocWater, people: u64, besieged: bool) -> WaterToday {
    if w.sources.is_empty() {
        return WaterToday::default();
    }
    let (mut safe, mut unsafe_l) = (0.0, 0.0);
    for src in w.sources.iter().filter(|src| !(besieged && src.outside_line)) {
        if src.safe {
            safe += src.capacity_l_day;
        } else {
            unsafe_l += src.capacity_l_day;
        }
    }
    if people == 0 {
        return WaterToday {
            limited: true,
            litres_pp: f64::INFINITY,
            unsafe_share: 0.0,
            factor: 1.0,
        };
    }
    // People use up to the basic need each: safe sources first, then unsafe ones, then the
    // delivered store: up to the survival need, and beyond it only out of what exceeds a reserve
    // of `STORE_RESERVE_DAYS` of that drinking shortfall (modelling choices).
    let n = people as f64;
    let need = n * p.basic_l_per_person_day;
    let safe_used = safe.min(need);
    let mut unsafe_used = unsafe_l.min(need - safe_used);
    let from_sources = safe_used + unsafe_used;
    let thirst = (n * p.survival_l_per_person_day * p.heat_factor - from_sources).clamp(0.0, need - from_sources);
    let drink = w.stored_l.min(thirst);
    let spare = (w.stored_l - drink - STORE_RESERVE_DAYS * thirst).max(0.0);
    let drawn = drink + spare.min(need - from_sources - drink);
    w.stored_l -= drawn;
    let treated = w.treat_l.min(unsafe_used);
    w.treat_l -= treated;
    unsafe_used -= treated;
    let total = safe_used + treated + unsafe_used + drawn;
    let litres_pp = total / people as f64;
    let unsafe_share = if total > 0.0 { unsafe_used / total } else { 0.0 };
    WaterToday {
        limited: true,
        litres_pp,
        unsafe_share,
        factor: diarrhoea_factor(p, litres_pp, unsafe_share),
    }
}

/// The day's dehydration for the members of `h` given its water today `w`: its dry days move, and,
/// while it has any, each living member dies of dehydration with the hazard of their age, drawn
/// from the counter-based uniform of (the day's key, person index).
#[allow(clippy::too_many_arguments)]
pub(crate) fn household_water(
    h: &mut Household,
    members: &mut [Person],
    w: &WaterToday,
    w_min: f64,
    k: (f64, f64),
    key: u64,
    day: u32,
    t: &mut Tally,
) {
    h.dry_days = next_dry(h.dry_days, w.litres_pp, w_min);
    if h.dry_days == 0 {
        return;
    }
    let dry = f64::from(h.dry_days) / DRY_PARTS_PER_DAY;
    let (k_under5, k_older) = k;
    let (h_under5, h_older) = (dehydration_hazard(k_under5, dry), dehydration_hazard(k_older, dry));
    for (i, m) in members.iter_mut().enumerate() {
        if m.status != Status::Alive {
            continue;
        }
        let hazard = if m.age(day) < 5.0 { h_under5 } else { h_older };
        if rng::hash_uniform(key, u64::from(h.first) + i as u64) < hazard {
            record_death(m, Cause::Dehydration, day, h, t);
            h.demand_stale = true;
        }
    }
}

impl World<'_> {
    /// Today's water phase (after supply, before the food pass): each location's water, then every
    /// household's dry days and dehydration deaths. Nothing at all without water sources.
    pub(crate) fn water_phase(&mut self, day: u32) {
        let s = self.s;
        if !s.has_water() {
            return;
        }
        let p = s.water();
        let mut people = vec![0u64; self.water.len()];
        for h in self.households.iter().filter(|h| h.mode != Mode::InTransit) {
            people[h.location as usize] += u64::from(h.n_active);
        }
        let encircled = s.encircled();
        for (i, w) in self.water.iter_mut().enumerate() {
            self.water_today[i] = water_day(p, w, people[i], encircled[i] && self.siege_active);
        }
        let w_min = p.survival_l_per_person_day * p.heat_factor;
        let k = (
            dehydration_coef(p.under5_median_days),
            dehydration_coef(p.adult_median_days),
        );
        let key = rng::hash_key(
            s.seed(),
            u64::from(self.replicate),
            rng::PURPOSE_DEHYDRATION + (u64::from(day) << 8),
        );
        let today = std::mem::take(&mut self.water_today);
        self.for_each_chunk(|hhs, persons, p0, _rng, t| {
            for h in hhs.iter_mut() {
                if h.mode == Mode::InTransit || (h.n_active == 0 && h.dry_days == 0) {
                    continue;
                }
                let w = &today[h.location as usize];
                if !w.limited && h.dry_days == 0 {
                    continue;
                }
                let r = h.members_from(p0);
                household_water(h, &mut persons[r], w, w_min, k, key, day, t);
            }
        });
        self.water_today = today;
    }

    /// Applies a `water_cut` (capacity × (1 − fraction)) or `water_poison` (quality unsafe) to
    /// the event's source, or to every source at its location.
    pub(crate) fn water_event(&mut self, e: &ResolvedEvent, cut: bool) {
        let Some(w) = self.water.get_mut(e.location) else {
            return;
        };
        for (j, src) in w.sources.iter_mut().enumerate() {
            if e.source.is_some_and(|s| s != j) {
                continue;
            }
            if cut {
                src.capacity_l_day *= 1.0 - e.fraction.unwrap_or(0.0);
            } else {
                src.safe = false;
            }
        }
    }

    /// Water (litres) or purification (litres made safe) delivered to location `target`'s
    /// common store; returns what was delivered (0 when nobody is there).
    pub(crate) fn deliver_water(&mut self, target: usize, litres: f64, tablets: bool) -> f64 {
        let anyone = self
            .households
            .iter()
            .any(|h| h.mode != Mode::InTransit && h.location as usize == target && h.n_active > 0);
        if !anyone || litres <= 0.0 {
            return 0.0;
        }
        let w = &mut self.water[target];
        if tablets {
            w.treat_l += litres;
        } else {
            w.stored_l += litres;
        }
        litres
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dehydration_coefficient_gives_its_median_at_zero_water() {
        for median in [1.0, 2.0, 5.0, 7.0] {
            let k = dehydration_coef(median);
            let (mut alive, mut dry) = (1.0, 0u8);
            for _ in 0..median as u32 {
                dry = next_dry(dry, 0.0, 3.0);
                alive *= 1.0 - dehydration_hazard(k, f64::from(dry) / DRY_PARTS_PER_DAY);
            }
            assert!((alive - 0.5).abs() < 1e-9, "median {median}: {alive}");
        }
        // Adults: few die in the first 3 days, most by the 8th.
        let k = dehydration_coef(5.0);
        let survive = |n: u32| {
            (1..=n)
                .map(|d| 1.0 - dehydration_hazard(k, f64::from(d)))
                .product::<f64>()
        };
        assert!(survive(3) > 0.8 && survive(8) < 0.1, "{} {}", survive(3), survive(8));
    }

    #[test]
    fn dry_days_rise_with_the_shortfall_and_fall_a_day_at_a_time() {
        assert_eq!(next_dry(0, 0.0, 3.0), 16);
        assert_eq!(next_dry(0, 1.5, 3.0), 8);
        assert_eq!(next_dry(0, 3.0, 3.0), 0);
        assert_eq!(next_dry(40, 3.0, 3.0), 24);
        assert_eq!(next_dry(250, 0.0, 3.0), 255);
        assert_eq!(next_dry(10, 10.0, 3.0), 0);
    }

    #[test]
    fn the_diarrhoea_factor_rises_with_unsafe_and_scarce_water() {
        let p = WaterParams::default();
        assert_eq!(diarrhoea_factor(&p, 20.0, 0.0), 1.0);
        assert_eq!(diarrhoea_factor(&p, 20.0, 1.0), 1.5);
        assert_eq!(diarrhoea_factor(&p, 20.0, 0.5), 1.25);
        assert_eq!(diarrhoea_factor(&p, 5.0, 0.0), 1.5);
        assert_eq!(diarrhoea_factor(&p, 5.0, 1.0), 2.25);
        assert_eq!(diarrhoea_factor(&p, f64::INFINITY, 0.0), 1.0);
        // Exactly at the basic need is not scarce.
        assert_eq!(diarrhoea_factor(&p, 7.5, 0.0), 1.0);
    }

    #[test]
    fn a_day_of_water_uses_safe_water_first_then_unsafe_then_the_store() {
        let p = WaterParams::default();
        let src = |c: f64, safe: bool, outside: bool| Source {
            capacity_l_day: c,
            safe,
            outside_line: outside,
        };
        // 100 people need 750 L; 300 safe + 600 unsafe: 300 safe and 450 unsafe used.
        let mut w = LocWater {
            sources: vec![src(300.0, true, false), src(600.0, false, false)],
            stored_l: 1000.0,
            treat_l: 150.0,
        };
        let d = water_day(&p, &mut w, 100, false);
        assert_eq!(d.litres_pp, 7.5);
        assert!((d.unsafe_share - 300.0 / 750.0).abs() < 1e-12, "{d:?}");
        assert_eq!((w.stored_l, w.treat_l), (1000.0, 0.0));
        assert!((d.factor - (1.0 + 0.5 * 0.4)).abs() < 1e-12);
        // Besieged: the outside source is out of reach, the store makes up the shortfall.
        let mut w = LocWater {
            sources: vec![src(100.0, true, false), src(10_000.0, true, true)],
            stored_l: 200.0,
            treat_l: 0.0,
        };
        let d = water_day(&p, &mut w, 100, true);
        assert_eq!((d.litres_pp, w.stored_l), (3.0, 0.0));
        let d = water_day(&p, &mut w, 100, false);
        assert_eq!((d.litres_pp, d.factor), (7.5, 1.0));
        // Delivered water is kept for drinking: 1,000 L for 100 people with no source gives 3 L a
        // head (the survival need) until more than a week's drinking is held.
        let mut w = LocWater {
            sources: vec![src(0.0, true, false)],
            stored_l: 1000.0,
            treat_l: 0.0,
        };
        assert_eq!(water_day(&p, &mut w, 100, false).litres_pp, 3.0);
        assert_eq!(w.stored_l, 700.0);
        w.stored_l = 7.0 * 300.0 + 300.0 + 250.0;
        assert_eq!(water_day(&p, &mut w, 100, false).litres_pp, 5.5);
        assert_eq!(w.stored_l, 2100.0);
        // No sources: unlimited.
        assert_eq!(
            water_day(&p, &mut LocWater::default(), 100, true),
            WaterToday::default()
        );
    }
}
