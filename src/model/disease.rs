//! Infections (MODEL.md §6.3, design-round2 §3.5): the daily onsets of diarrhoea, acute
//! respiratory infection, malaria and measles, drawn per household, and each person's episode,
//! held in the person's `illness` byte. What an episode does — the intake cut and the death hazard
//! — is per-person arithmetic and lives with the rest of it (kernel.rs, mortality.rs).
//!
//! The illness byte: the disease in the low 3 bits (`NONE`, `DIARRHOEA`, `ARI`, `MALARIA`,
//! `MEASLES`), the days of the episode still to come in the high 5 (1–31).

use super::physiology::{self, AgeBand};
use super::population::{Household, Mode, Person, Status};
use super::rng::{self, Stream};
use super::tally::Tally;
use crate::scenario::Scenario;
use crate::scenario::params::InfectionSpec;

/// The diseases, as the illness byte holds them (0 = not ill).
pub const NONE: u8 = 0;
pub const DIARRHOEA: u8 = 1;
pub const ARI: u8 = 2;
pub const MALARIA: u8 = 3;
pub const MEASLES: u8 = 4;
/// How many diseases there are; arrays indexed by disease use `kind − 1`.
pub const KINDS: usize = 4;
/// Their names in outputs, in that order.
pub const NAMES: [&str; KINDS] = ["diarrhoea", "ari", "malaria", "measles"];

/// Bits of the illness byte that hold the disease.
const KIND_BITS: u8 = 0b111;

/// The disease of an illness byte (`NONE` when well).
#[inline]
pub fn kind(illness: u8) -> u8 {
    illness & KIND_BITS
}

/// The illness byte of the first day of an episode of `kind` lasting `days` (1–31).
#[inline]
pub fn onset(kind: u8, days: u8) -> u8 {
    debug_assert!((1..=31).contains(&days) && kind != NONE && kind <= MEASLES);
    kind | (days << 3)
}

/// The illness byte a day later: one day fewer to come, or well when none is left.
#[inline]
pub fn next_day(illness: u8) -> u8 {
    // Well (0 days left) stays well: the floor at 0 is the meaning, not an overflow.
    let left = (illness >> 3).saturating_sub(1);
    if left == 0 { NONE } else { kind(illness) | (left << 3) }
}

/// The sub-stream of chunk `chunk`'s onset draws: far from the chunks' own (1 + chunk) and the
/// convoys', so that a scenario without disease moves no other draw.
pub fn substream(chunk: usize) -> u64 {
    rng::DISEASE_SUBSTREAMS + chunk as u64
}

/// The end of an episode of `illness` in household `h`, by recovery or death: a household that
/// holds ORS sachets used one on a diarrhoea episode (it had access to care 1 against diarrhoea
/// death while it held one, `mortality::Care`).
#[inline]
pub(crate) fn episode_over(h: &mut Household, illness: u8) {
    if kind(illness) == DIARRHOEA {
        // A household without a sachet uses none: the floor at 0 is the meaning.
        h.ors = h.ors.saturating_sub(1);
    }
}

/// Age groups of incidence: under 5, 5–14, 15 and over.
#[inline]
pub fn age_group(band: AgeBand) -> usize {
    if band == physiology::UNDER5 {
        0
    } else if band < physiology::FIRST_ADULT_BAND {
        1
    } else {
        2
    }
}

/// The mean of the non-breastfed factor B (`kernel::non_breastfed_factor`) over the under-5s of
/// `s` at the start: ages even over 0–5 years (modelling choice), breastfed at the scenario's
/// shares, the rest carrying the Sankar relative risks. The derived case fatalities are divided by
/// it as by the mean hazard ratio, so that the baseline under-5 death rate is met whatever share
/// is breastfed (with the defaults, B̄ = 0.1 + 0.3 × 1.1 + 0.6 = 1.03).
pub fn mean_breastfed_factor(s: &Scenario) -> f64 {
    let (p, ph) = (s.population(), s.physiology());
    let exclusive = f64::from(physiology::EXCLUSIVE_UNTIL_YEARS);
    let weaned = f64::from(physiology::WEANED_AT_YEARS);
    let mix = |share: f64, rr: f64| share.clamp(0.0, 1.0) + (1.0 - share.clamp(0.0, 1.0)) * rr;
    (exclusive * mix(p.breastfed_share_under_6m, ph.non_breastfed_rr_under_6m)
        + (weaned - exclusive) * mix(p.breastfed_share_6_23m, ph.non_breastfed_rr_6_23m)
        + (5.0 - weaned))
        / 5.0
}

/// What the scenario's `[disease]` section gives the model, derived once per run.
#[derive(Clone, Debug)]
pub struct Disease {
    /// The endemic infections (diarrhoea, ARI, malaria), in `kind − 1` order.
    pub infections: [InfectionSpec; 3],
    /// The relative onset rate by month (January first), scaled to a mean of 1; all 1 without a
    /// season.
    season: [[f64; 12]; 3],
    /// Day 0 as days since 1970-01-01, for the month; without a start date, no season.
    start_epoch_day: Option<i64>,
    /// Under-5 deaths per child-year at baseline, −ln(1 − q)/5.
    pub under5_deaths_per_year: f64,
    pub care_access: f64,
    /// The survey's index distribution (mean, sd), for the mean hazard ratio.
    pub survey_index: (f64, f64),
    /// The mean non-breastfed factor B of under-5s at the start ([`mean_breastfed_factor`]).
    pub mean_b: f64,
    /// Measles: the outbreak's days [start, end) and its daily onset probability per child under
    /// 15.
    measles_days: Option<(u32, u32)>,
    measles_daily: f64,
    /// The outbreak's location; None = everywhere.
    measles_location: Option<u16>,
    /// Episode length by disease (`kind − 1`), days.
    pub duration: [u8; KINDS],
    /// Intake during an episode by illness kind (index `kind`, 0 = well: 1).
    pub intake_factor: [f32; 8],
    /// The share of deaths care averts, by disease.
    pub care_efficacy: [f64; KINDS],
    /// Measles case fatality of a well-nourished case without care (an outbreak input, not
    /// derived).
    pub measles_cfr: f64,
}

impl Disease {
    /// The infections of `s`, or None when `[disease]` is off.
    pub fn new(s: &Scenario) -> Option<Self> {
        let d = s.disease();
        if !d.enabled {
            return None;
        }
        let infections = [d.diarrhoea.spec(), d.ari.spec(), d.malaria.spec()];
        let season = infections.each_ref().map(|i| {
            let mut out = [1.0; 12];
            if i.season.len() == 12 {
                let mean = i.season.iter().sum::<f64>() / 12.0;
                for (o, v) in out.iter_mut().zip(&i.season) {
                    *o = v / mean;
                }
            }
            out
        });
        let m = &d.measles;
        let mut duration = [0u8; KINDS];
        let mut intake_factor = [1.0f32; 8];
        let mut care_efficacy = [0.0; KINDS];
        for (k, i) in infections.iter().enumerate() {
            duration[k] = i.duration_days as u8;
            intake_factor[k + 1] = i.intake_factor as f32;
            care_efficacy[k] = i.care_efficacy;
        }
        duration[3] = m.duration_days as u8;
        intake_factor[usize::from(MEASLES)] = m.intake_factor as f32;
        care_efficacy[3] = m.care_efficacy;
        Some(Disease {
            season,
            start_epoch_day: s.start_epoch_day(),
            under5_deaths_per_year: -(1.0 - d.under5_mortality_per_1000 / 1000.0).ln() / 5.0,
            care_access: d.care_access,
            survey_index: (d.survey_index_mean, d.survey_index_sd),
            mean_b: mean_breastfed_factor(s),
            // Cannot saturate: outbreak_day < MAX_DAYS and outbreak_days ≤ 10,000 (validate).
            measles_days: m.outbreak_day.map(|day| (day, day.saturating_add(m.outbreak_days))),
            measles_daily: m.attack_rate / f64::from(m.outbreak_days.max(1)),
            // Location indices fit u16 (validate caps the number of locations).
            measles_location: s.measles_location().map(|l| l as u16),
            duration,
            intake_factor,
            care_efficacy,
            measles_cfr: m.cfr,
            infections,
        })
    }

    /// The seasonal multiplier of infection `i` (`kind − 1`) on `day`.
    fn season(&self, i: usize, day: u32) -> f64 {
        match self.start_epoch_day {
            Some(d0) => {
                let month = crate::scenario::date::month_of(d0 + i64::from(day));
                self.season[i][month as usize - 1]
            }
            None => 1.0,
        }
    }

    /// Today's onset probabilities by age band and disease (eq. 11 without the household's water
    /// factor, which `household_onsets` applies to diarrhoea).
    pub fn onsets(&self, day: u32) -> Onsets {
        let mut p = [[0.0; KINDS]; 6];
        let mut measles = false;
        for (band, row) in p.iter_mut().enumerate() {
            let group = age_group(band as AgeBand);
            for (i, inf) in self.infections.iter().enumerate() {
                row[i] = inf.incidence[group] / 365.0 * self.season(i, day);
            }
            if group < 2
                && let Some((from, to)) = self.measles_days
                && (from..to).contains(&day)
            {
                row[3] = self.measles_daily;
                measles = true;
            }
        }
        // Away from a located outbreak: the same rows without measles.
        let measles_at = self.measles_location.filter(|_| measles);
        let mut p_away = p;
        if measles_at.is_some() {
            for row in &mut p_away {
                row[3] = 0.0;
            }
        }
        Onsets {
            total: band_totals(&p, 1.0),
            total_away: band_totals(&p_away, 1.0),
            p,
            p_away,
            measles_at,
            duration: self.duration,
        }
    }
}

/// One day's onset probabilities (design-round2 eq. 11) and episode lengths.
#[derive(Clone, Debug)]
pub struct Onsets {
    /// By age band, then disease (`kind − 1`).
    p: [[f64; KINDS]; 6],
    /// By age band, the sum over diseases at a water factor of 1 (`band_totals`), so that a
    /// household where water plays no part adds one number a member.
    total: [f64; 8],
    /// The same two tables for households away from a measles outbreak declared at one
    /// location (`measles_at`): measles 0. Equal to `p` and `total` otherwise.
    p_away: [[f64; KINDS]; 6],
    total_away: [f64; 8],
    /// The location of today's outbreak when it is declared for one; None when measles (if
    /// any) is everywhere.
    measles_at: Option<u16>,
    duration: [u8; KINDS],
}

/// By age band, a person's summed onset probability with the water factor `w` on diarrhoea: the
/// same additions, in the same order, as summing `Onsets::of(band, w, _)`, so the household's
/// total has the same bits whichever is used. Eight entries, the last three the oldest band's
/// (as `Onsets::of` clamps the band at 5), so that a member's band indexes it masked to 3 bits,
/// without a comparison or a bounds check.
fn band_totals(p: &[[f64; KINDS]; 6], w: f64) -> [f64; 8] {
    std::array::from_fn(|band| {
        let mut row = p[band.min(5)];
        row[0] *= w;
        row.iter().sum::<f64>()
    })
}

impl Onsets {
    /// The probability of each disease today for a person in `band`, diarrhoea times the
    /// household's water factor `w`.
    #[inline]
    fn of(&self, band: AgeBand, w: f64, here: bool) -> [f64; KINDS] {
        let mut p = if here { &self.p } else { &self.p_away }[usize::from(band.min(5))];
        p[0] *= w;
        p
    }

    /// Whether household `h` is where today's measles outbreak is (always, when it is declared
    /// everywhere or there is none): at its location and not on the road.
    #[inline]
    fn measles_here(&self, h: &Household) -> bool {
        self.measles_at
            .is_none_or(|l| h.mode != Mode::InTransit && h.location == l)
    }
}

/// The household's episodes move on a day, and at most one member falls ill: one uniform from
/// the chunk's disease stream against the summed onset probability of the living members who are
/// not ill, and only when it hits a second that picks the member and the disease in proportion to
/// their probabilities (design-round2 §3.5 "Speed"). The chance of two onsets in one household on
/// one day (about 10⁻⁴ for nine people) is left out. `w` is the household's water factor W_d on
/// diarrhoea (`water::household_factor`).
pub(crate) fn household_onsets(
    h: &mut Household,
    members: &mut [Person],
    o: &Onsets,
    w: f64,
    rng: &mut Stream,
    t: &mut Tally,
) {
    // Each member's summed probability by band: today's table where the water factor is 1 (no
    // water at the location, or safe and enough of it), else the same sums at `w`.
    let here = o.measles_here(h);
    let (p, table) = if here {
        (&o.p, &o.total)
    } else {
        (&o.p_away, &o.total_away)
    };
    let other;
    let total = if w == 1.0 {
        table
    } else {
        other = band_totals(p, w);
        &other
    };
    let mut sum = 0.0;
    for m in members.iter_mut() {
        if m.status != Status::Alive {
            continue;
        }
        if m.illness != NONE {
            let was = m.illness;
            m.illness = next_day(m.illness);
            if m.illness != NONE {
                continue;
            }
            episode_over(h, was);
        }
        debug_assert!(m.band < 8, "age bands fit 3 bits");
        sum += total[usize::from(m.band & 7)];
    }
    if sum <= 0.0 || rng::uniform(rng) >= sum {
        return;
    }
    let mut v = rng::uniform(rng) * sum;
    let mut last = None;
    for (j, m) in members.iter().enumerate() {
        if m.status != Status::Alive || m.illness != NONE {
            continue;
        }
        for (k, p) in o.of(m.band, w, here).into_iter().enumerate() {
            if p <= 0.0 {
                continue;
            }
            if v < p {
                return start(&mut members[j], k, o, t);
            }
            v -= p;
            last = Some((j, k));
        }
    }
    // Rounding left `v` just above the sum: the last candidate.
    if let Some((j, k)) = last {
        start(&mut members[j], k, o, t);
    }
}

fn start(m: &mut Person, k: usize, o: &Onsets, t: &mut Tally) {
    m.illness = onset(k as u8 + 1, o.duration[k]);
    t.cases[k] += 1;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_episode_lasts_its_days_then_ends() {
        let mut b = onset(DIARRHOEA, 5);
        let mut days = 0;
        while b != NONE {
            assert_eq!(kind(b), DIARRHOEA);
            b = next_day(b);
            days += 1;
        }
        assert_eq!(days, 5);
        assert_eq!(next_day(onset(MEASLES, 31)) >> 3, 30);
        assert_eq!(next_day(onset(ARI, 1)), NONE);
    }

    #[test]
    fn the_band_table_has_the_bits_of_the_summed_probabilities() {
        // Rows with awkward values, so that the order of the additions shows in the last bits.
        let mut p = [[0.0; KINDS]; 6];
        for (b, row) in p.iter_mut().enumerate() {
            for (k, v) in row.iter_mut().enumerate() {
                *v = (0.1 + b as f64) / (3.0 + k as f64) * 1e-3 + 1e-17 * k as f64;
            }
        }
        let o = Onsets {
            total: band_totals(&p, 1.0),
            total_away: band_totals(&p, 1.0),
            p,
            p_away: p,
            measles_at: None,
            duration: [5; KINDS],
        };
        for w in [1.0, 1.5, 1.0 + 1e-9, 2.25] {
            let table = band_totals(&p, w);
            for band in 0..8u8 {
                let direct = o.of(band, w, true).iter().sum::<f64>();
                assert_eq!(
                    table[usize::from(band & 7)].to_bits(),
                    direct.to_bits(),
                    "band {band}, w {w}"
                );
            }
        }
    }
}
