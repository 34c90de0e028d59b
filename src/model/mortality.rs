//! Daily death hazards (MODEL.md §6), competing within one uniform draw per person.

use super::physiology::{self, AgeBand, Sex};
use super::population::{Cause, Person};
use crate::scenario::params::{MortalityParams, PhysiologyParams};

/// Steps of the table of upper bounds on the adult starvation hazard, per BMI unit below the
/// threshold.
pub(crate) const BOUND_STEPS_PER_BMI: f32 = 64.0;

/// Hazards as daily probabilities, precomputed from the parameters.
#[derive(Clone, Debug)]
pub struct Hazards {
    pub(crate) background_under5: f64,
    pub(crate) background_5_59: f64,
    pub(crate) background_60_plus: f64,
    /// The background hazard by age band (looked up once per person-day, so a table, not a match).
    pub(crate) background_by_band: [f64; 6],
    pub(crate) sam_ratio: f64,
    pub(crate) mam_ratio: f64,
    pub(crate) mild_ratio: f64,
    pub(crate) bmi_threshold: f32,
    pub(crate) bmi_coef: f64,
    pub(crate) bmi_exponent: f64,
    pub(crate) lethal_bmi_men: f32,
    pub(crate) lethal_bmi_women: f32,
    pub(crate) child_lethal_ratio: f32,
    /// `adult_bound[k]` ≥ the adult starvation hazard at any BMI at most k+1 steps below the
    /// threshold (the hazard rises as BMI falls; see `cause`).
    pub(crate) adult_bound: Vec<f64>,
    /// The same bounds rounded to f32, for the household pass eight members at a time (which
    /// adds its own margin, `kernel::SurvivalMargin`).
    pub(crate) adult_bound_f32: Vec<f32>,
}

impl Hazards {
    pub fn new(m: &MortalityParams, p: &PhysiologyParams) -> Self {
        let mut h = Self {
            background_under5: m.background_under5_per_10k_day / 10_000.0,
            background_5_59: m.background_5_59_per_10k_day / 10_000.0,
            background_60_plus: m.background_60_plus_per_10k_day / 10_000.0,
            sam_ratio: m.sam_hazard_ratio,
            mam_ratio: m.mam_hazard_ratio,
            mild_ratio: m.mild_hazard_ratio,
            bmi_threshold: m.adult_bmi_threshold as f32,
            bmi_coef: m.adult_bmi_coef,
            bmi_exponent: m.adult_bmi_exponent,
            lethal_bmi_men: p.lethal_bmi_men as f32,
            lethal_bmi_women: p.lethal_bmi_women as f32,
            child_lethal_ratio: p.child_lethal_weight_ratio as f32,
            adult_bound: Vec::new(),
            adult_bound_f32: Vec::new(),
            background_by_band: [0.0; 6],
        };
        for (band, b) in h.background_by_band.iter_mut().enumerate() {
            *b = match band as AgeBand {
                physiology::UNDER5 => h.background_under5,
                physiology::OVER60 => h.background_60_plus,
                _ => h.background_5_59,
            };
        }
        // Bounds down to the lower lethal BMI (below it death is certain, no bound needed). The
        // margin covers any rounding in pow/exp, which is far below 1e-9 relative. The bounds
        // need the hazard to rise as BMI falls, which validation guarantees (coefficient and
        // exponent ≥ 0); without it there is no table and every hazard is worked out in full.
        let rises = h.bmi_coef >= 0.0 && h.bmi_exponent >= 0.0;
        let lowest = h.lethal_bmi_men.min(h.lethal_bmi_women).max(0.0);
        let span = if rises {
            (h.bmi_threshold - lowest).max(0.0)
        } else {
            0.0
        };
        let steps = (span * BOUND_STEPS_PER_BMI).ceil() as usize + usize::from(rises);
        h.adult_bound = (1..=steps)
            .map(|k| h.adult_starvation(k as f32 / BOUND_STEPS_PER_BMI) * (1.0 + 1e-9))
            .collect();
        h.adult_bound_f32 = h.adult_bound.iter().map(|&b| b as f32).collect();
        h
    }

    /// Daily starvation hazard of an adult `below` BMI units under the threshold, above the
    /// lethal floor: monthly probability 0.00028·exp((18.5 − BMI)^1.33) (Gaasbeek 2024), as a
    /// daily one.
    #[inline]
    fn adult_starvation(&self, below: f32) -> f64 {
        if self.bmi_coef == 0.0 {
            // No BMI hazard at all (0 × exp(…) would be NaN where the exponential overflows).
            return 0.0;
        }
        let monthly = self.bmi_coef * f64::from(below).powf(self.bmi_exponent).exp();
        if monthly >= 1.0 {
            return 1.0;
        }
        1.0 - (1.0 - monthly).powf(1.0 / 30.0)
    }

    #[inline]
    fn background(&self, band: AgeBand) -> f64 {
        self.background_by_band[usize::from(band)]
    }

    /// Which cause, if any, kills a living person in this age band today, given the uniform draw `u`
    /// and the violence hazard where they are. The result is exactly `decide(u, starvation,
    /// violence, background)`; for a thin adult the costly hazard (two `pow`s) is only worked out
    /// when `u` falls below a tabulated upper bound of it, which on most days it does not.
    #[inline]
    pub fn cause(&self, p: &Person, band: AgeBand, u: f64, violence: f64) -> Cause {
        let bg = self.background(band);
        if !p.is_child {
            let bmi = p.bmi();
            if bmi < self.bmi_threshold && bmi > self.lethal_bmi(p.sex) {
                let below = self.bmi_threshold - bmi;
                // below·steps is exact (a power of two), so truncation gives the step k with
                // below < (k+1)/steps, where the bound was taken.
                let k = (below * BOUND_STEPS_PER_BMI) as usize;
                if let Some(&bound) = self.adult_bound.get(k) {
                    // Rounding is monotone, so u ≥ bound + v + b ≥ s + v + b: no death.
                    if u >= bound + violence + bg {
                        return Cause::None;
                    }
                }
            }
        }
        let (starvation, background) = self.of(p, band);
        decide(u, starvation, violence, background)
    }

    #[inline]
    fn lethal_bmi(&self, sex: Sex) -> f32 {
        if sex == Sex::Male {
            self.lethal_bmi_men
        } else {
            self.lethal_bmi_women
        }
    }

    /// (starvation, background) daily probabilities for a living person in this age band.
    #[inline]
    pub fn of(&self, p: &Person, band: AgeBand) -> (f64, f64) {
        let bg = self.background(band);
        if p.is_child {
            if p.weight_ratio < self.child_lethal_ratio {
                return (1.0, 0.0);
            }
            let ratio = match physiology::wasting_band(physiology::child_index(p.weight_ratio)) {
                physiology::NOT_WASTED => return (0.0, bg),
                physiology::MILD => self.mild_ratio,
                physiology::MODERATE => self.mam_ratio,
                _ => self.sam_ratio,
            };
            return (bg * (ratio - 1.0), bg);
        }
        let bmi = p.bmi();
        if bmi >= self.bmi_threshold {
            return (0.0, bg);
        }
        if bmi <= self.lethal_bmi(p.sex) {
            return (1.0, 0.0);
        }
        let starvation = self.adult_starvation(self.bmi_threshold - bmi);
        if starvation >= 1.0 {
            return (1.0, 0.0);
        }
        (starvation, bg)
    }
}

/// Which cause, if any, a uniform draw `u` selects among competing daily hazards.
#[inline]
pub fn decide(u: f64, starvation: f64, violence: f64, background: f64) -> Cause {
    if u < starvation {
        Cause::Starvation
    } else if u < starvation + violence {
        Cause::Violence
    } else if u < starvation + violence + background {
        Cause::Background
    } else {
        Cause::None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::physiology::{FIRST_ADULT_BAND, OVER60, age_band};
    use crate::model::population::Status;
    use crate::model::rng;

    fn adult(sex: Sex, bmi: f32) -> Person {
        let height = 1.7f32;
        Person {
            age0_years: 30.0,
            height_m: height,
            fat_kg: 0.1 * bmi * height * height,
            lean_kg: 0.9 * bmi * height * height,
            weight_ratio: 1.0,
            base_kcal: 0.0,
            activity_per_kg: 0.0,
            activity: 1.0,
            intake_kcal: 0.0,
            sex,
            status: Status::Alive,
            band: FIRST_ADULT_BAND,
            is_child: false,
        }
    }

    #[test]
    fn the_adult_starvation_hazard_is_a_probability_rising_as_bmi_falls_for_any_valid_parameters() {
        // Validation allows any coefficient and exponent at least 0. A coefficient of 0 with an
        // exponent whose power overflows the exponential once gave 0 × ∞ = NaN, which `decide`
        // reads as no death: thin adults could not die at all.
        for coef in [0.0, 1e-12, 0.00028, 1.0, 1e6] {
            for exponent in [0.0, 0.5, 1.33, 4.0, 50.0] {
                let m = MortalityParams {
                    adult_bmi_coef: coef,
                    adult_bmi_exponent: exponent,
                    ..MortalityParams::default()
                };
                let h = Hazards::new(&m, &PhysiologyParams::default());
                let mut last = 0.0;
                for k in 0..=1280 {
                    let s = h.adult_starvation(k as f32 / BOUND_STEPS_PER_BMI);
                    assert!(
                        (0.0..=1.0).contains(&s),
                        "coef {coef}, exponent {exponent}, step {k}: {s}"
                    );
                    assert!(s >= last, "coef {coef}, exponent {exponent}, step {k}: {s} < {last}");
                    last = s;
                }
                if coef == 0.0 {
                    assert_eq!(last, 0.0);
                    // A thin adult above the lethal floor dies only of other causes.
                    let p = adult(Sex::Female, 12.5);
                    assert_eq!(h.cause(&p, FIRST_ADULT_BAND, 0.0, 0.5), Cause::Violence);
                }
            }
        }
    }

    #[test]
    fn the_bounded_shortcut_always_agrees_with_the_full_hazard() {
        let h = Hazards::new(&MortalityParams::default(), &PhysiologyParams::default());
        let mut r = rng::stream(11, 0, 0);
        let mut deaths = 0;
        for i in 0..400_000 {
            let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
            // BMIs from below the lethal floors to above the threshold, finely spread.
            let p = adult(sex, 10.0 + 10.0 * rng::uniform(&mut r) as f32);
            let band = FIRST_ADULT_BAND + (i % 3) as u8;
            // Draws near the hazards as well as uniform ones, so both branches are exercised.
            let u = if i % 4 == 0 {
                rng::uniform32(&mut r) * 0.05
            } else {
                rng::uniform32(&mut r)
            };
            let violence = if i % 5 == 0 { 0.001 } else { 0.0 };
            let (s, b) = h.of(&p, band);
            let expected = decide(u, s, violence, b);
            assert_eq!(h.cause(&p, band, u, violence), expected, "bmi {}", p.bmi());
            deaths += usize::from(expected != Cause::None);
        }
        assert!(deaths > 1000, "the test must include deaths ({deaths})");
        assert_eq!(h.background(OVER60), h.background_60_plus);
        assert_eq!(h.background(age_band(4.99)), h.background_under5);
        assert_eq!(h.background(age_band(59.9)), h.background_5_59);
    }
}
