//! The compact person store and households (MODEL.md §2). Persons are kept in household order, so a
//! household's members are one contiguous slice and a chunk of households is one contiguous range
//! of persons: every daily phase is one pass over memory.

use super::physiology::{self, AgeBand, Sex};
use super::rng::{self, Stream};
use crate::scenario::Scenario;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Alive,
    Kidnapped,
    Dead,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    None,
    Starvation,
    Violence,
    Background,
    /// Infections (disease.rs), in the order of their illness kinds.
    Diarrhoea,
    Ari,
    Malaria,
    Measles,
}

impl Cause {
    /// The death cause of an illness kind (`disease::DIARRHOEA` …).
    #[inline]
    pub fn of_disease(kind: u8) -> Cause {
        match kind {
            1 => Cause::Diarrhoea,
            2 => Cause::Ari,
            3 => Cause::Malaria,
            _ => Cause::Measles,
        }
    }
}

/// One person: 40 bytes, laid out in field order (`repr(C)`: the vector pass reads fields by
/// offset). Adults (15+ at day 0) use fat and lean mass; children use their weight
/// relative to the reference for age. The slot `weight_ratio` is a child's weight ratio and an
/// adult's habitual need E₀ (`usual_kcal`, kcal/day; adults leave the ratio idle): read it through
/// `weight_ratio()`/`usual_kcal()`, which name the class. A person keeps the model class they start with. The dead keep
/// the state they died in (the cause of each death is counted when it happens).
#[derive(Clone, Copy, Debug)]
#[repr(C)]
pub struct Person {
    pub age0_years: f32,
    pub height_m: f32,
    pub fat_kg: f32,
    pub lean_kg: f32,
    /// Children: weight relative to the reference for age. Adults: habitual need E₀, kcal/day
    /// (`Person::usual_kcal`).
    pub weight_ratio: f32,
    /// Hall's constant K, kcal/day (adults).
    pub base_kcal: f32,
    /// Baseline physical activity, kcal/kg/day (adults).
    pub activity_per_kg: f32,
    /// Adaptive activity factor, 1 = baseline (adults).
    pub activity: f32,
    /// Today's intake, kcal; from the end of the household pass until the next day's split, the
    /// next day's demand.
    pub intake_kcal: f32,
    /// Sex and model class in one byte (bit 0 female, bit 1 child): read them through
    /// `sex()` and `is_child()`, write them with `Person::kind`. Packed so that the 40 bytes hold
    /// the illness byte (design-round2.md §2.1).
    pub kind: u8,
    pub status: Status,
    /// The age band today, so that the day's passes look it up instead of comparing ages again:
    /// set for the next day by the household pass (or by the need pass for households whose
    /// demands are stale); meaningful only while the person is alive.
    pub band: AgeBand,
    /// The current illness episode, if any (0 = none); the disease module owns its meaning.
    pub illness: u8,
}

/// Days as years, the way a person's age advances.
#[inline]
pub fn years(day: u32) -> f32 {
    day as f32 * (1.0 / 365.25)
}

impl Person {
    const FEMALE: u8 = 1;
    const CHILD: u8 = 2;
    /// The `kind` byte of a person of this sex and model class.
    #[inline]
    pub const fn kind(sex: Sex, is_child: bool) -> u8 {
        (if matches!(sex, Sex::Female) { Self::FEMALE } else { 0 }) | if is_child { Self::CHILD } else { 0 }
    }
    #[inline]
    pub fn sex(&self) -> Sex {
        if self.kind & Self::FEMALE != 0 {
            Sex::Female
        } else {
            Sex::Male
        }
    }
    /// A child in the model's sense: under 15 at day 0 (a person keeps their class).
    #[inline]
    pub fn is_child(&self) -> bool {
        self.kind & Self::CHILD != 0
    }
    #[inline]
    pub fn age(&self, day: u32) -> f32 {
        self.age0_years + years(day)
    }
    /// An adult's habitual energy need E₀, kcal/day (MODEL.md §5.1): their demand on full rations
    /// and the reference of their adaptation, fixed at the start. Held in the slot a child uses
    /// for its weight ratio; meaningless for a child.
    #[inline]
    pub fn usual_kcal(&self) -> f32 {
        debug_assert!(!self.is_child());
        self.weight_ratio
    }
    #[inline]
    pub fn set_usual_kcal(&mut self, kcal: f32) {
        debug_assert!(!self.is_child());
        self.weight_ratio = kcal;
    }
    /// A child's own healthy weight ratio, the growth centile its catch-up aims at (1 = the
    /// reference median; `physiology.catch_up_to_own_centile`). Held in the slot an adult uses
    /// for their height (design-round2 §2.1); meaningless for an adult.
    #[inline]
    pub fn own_ratio(&self) -> f32 {
        debug_assert!(self.is_child());
        self.height_m
    }
    #[inline]
    pub fn set_own_ratio(&mut self, ratio: f32) {
        debug_assert!(self.is_child());
        self.height_m = ratio;
    }
    #[inline]
    pub fn bmi(&self) -> f32 {
        (self.fat_kg + self.lean_kg) / (self.height_m * self.height_m)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Mode {
    AtHome,
    InTransit,
    Displaced,
}

/// A household: 72 bytes (its members' counts are 16-bit: validation keeps the mean household
/// size at most 100, and the sampler caps a household at 10,001 people).
#[derive(Clone, Debug)]
pub struct Household {
    pub first: u32,
    pub len: u16,
    pub home: u16,
    pub location: u16,
    pub mode: Mode,
    /// While in transit: destination, days still to walk, daily attack probability on the way.
    pub destination: u16,
    pub days_left: u16,
    pub transit_risk: f32,
    /// Members alive and not kidnapped.
    pub n_active: u16,
    pub stock_kcal: f64,
    pub livestock: u32,
    /// Victims of recent violence at which this household's flight pressure switches on.
    pub flight_threshold: f32,
    /// Today's need of its active members (after any ration cap), kcal.
    pub need_kcal: f64,
    /// Today's demand of its active children and adults, kcal, for the split; the household pass
    /// replaces them with tomorrow's once it has read them.
    pub child_demand_kcal: f64,
    pub adult_demand_kcal: f64,
    /// Tomorrow's need, kcal, as the household pass leaves it: `need_kcal` keeps today's until the
    /// next need pass, as movement and the next day's airdrops read it.
    pub next_need_kcal: f64,
    /// Set when a member is killed or kidnapped outside the household pass (events,
    /// interception): the demands that pass left are then out of date and are worked out again.
    pub demand_stale: bool,
    /// Days a displaced household has been at its refuge (host support declines with it); 0
    /// otherwise.
    pub days_here: u16,
}

impl Household {
    pub fn members(&self) -> std::ops::Range<usize> {
        self.first as usize..self.first as usize + usize::from(self.len)
    }
    /// The members' range in a chunk whose persons start at person `p0`.
    pub fn members_from(&self, p0: usize) -> std::ops::Range<usize> {
        let r = self.members();
        r.start - p0..r.end - p0
    }
}

/// Draws the starting population. Households are formed at each location until its residents are
/// placed (the last household is trimmed to fit).
pub fn build(s: &Scenario, rng: &mut Stream) -> (Vec<Person>, Vec<Household>) {
    let p = s.population();
    let total: u64 = s.home_counts().iter().sum();
    let mut persons = Vec::with_capacity(total as usize);
    let mut households = Vec::with_capacity((total as f64 / p.household_size_mean) as usize + 8);
    let food = s.food();
    for (loc, &count) in s.home_counts().iter().enumerate() {
        let mut left = count;
        while left > 0 {
            let size = (1 + rng::poisson(rng, p.household_size_mean - 1.0)).min(left);
            left -= size;
            let first = persons.len() as u32;
            let mut need = 0.0;
            for _ in 0..size {
                let person = draw_person(s, rng);
                need += f64::from(if person.is_child() {
                    physiology::child_need_kcal(person.age0_years, person.sex())
                } else {
                    person.usual_kcal()
                });
                persons.push(person);
            }
            let stock_days = if food.stock_days_mean > 0.0 {
                rng::gamma(rng, food.stock_days_shape, food.stock_days_mean / food.stock_days_shape)
            } else {
                0.0
            };
            let livestock = rng::poisson(rng, food.livestock_per_household_mean) as u32;
            let flight_threshold = rng::exponential(rng, s.displacement().violence_threshold_mean) as f32;
            households.push(Household {
                first,
                len: size as u16,
                home: loc as u16,
                location: loc as u16,
                mode: Mode::AtHome,
                destination: loc as u16,
                days_left: 0,
                transit_risk: 0.0,
                n_active: size as u16,
                stock_kcal: stock_days * need,
                livestock,
                flight_threshold,
                need_kcal: need,
                child_demand_kcal: 0.0,
                adult_demand_kcal: 0.0,
                next_need_kcal: 0.0,
                demand_stale: true,
                days_here: 0,
            });
        }
    }
    (persons, households)
}

fn draw_person(s: &Scenario, rng: &mut Stream) -> Person {
    let p = s.population();
    let sex = if rng::uniform(rng) < p.male_share {
        Sex::Male
    } else {
        Sex::Female
    };
    // Ages uniform within the bands 0–5, 5–15, 15–60, 60–80 (modelling choice).
    let u = rng::uniform(rng);
    let v = rng::uniform(rng);
    let age = if u < p.under5_share {
        5.0 * v
    } else if u < p.under15_share {
        5.0 + 10.0 * v
    } else if u < 1.0 - p.over60_share {
        15.0 + 45.0 * v
    } else {
        60.0 + 20.0 * v
    };
    let mut person = Person {
        age0_years: age as f32,
        height_m: 0.0,
        fat_kg: 0.0,
        lean_kg: 0.0,
        weight_ratio: 1.0,
        base_kcal: 0.0,
        activity_per_kg: 0.0,
        activity: 1.0,
        intake_kcal: 0.0,
        kind: Person::kind(sex, age < 15.0),
        status: Status::Alive,
        band: physiology::age_band(age as f32),
        illness: 0,
    };
    if person.is_child() {
        let index = rng::normal(rng, p.child_index_mean, p.child_index_sd).clamp(-4.0, 3.0);
        person.weight_ratio = physiology::ratio_from_index(index) as f32;
        // The own centile is the drawn index, but not below −3: a severely wasted child catches
        // up to moderate wasting when fed, where untreated moderate wasting mostly persists
        // (James 2016; modelling choice).
        let own = if s.physiology().catch_up_to_own_centile {
            physiology::ratio_from_index(index.max(f64::from(physiology::WASTING_BELOW[2]))) as f32
        } else {
            1.0
        };
        person.set_own_ratio(own);
    } else {
        let (hm, hsd) = match sex {
            Sex::Male => (p.height_men_m, p.height_men_sd_m),
            Sex::Female => (p.height_women_m, p.height_women_sd_m),
        };
        let height = rng::normal(rng, hm, hsd).clamp(1.3, 2.2);
        // Truncated to [16, 40] by redrawing (modelling choice: an adult below BMI 16 at the start
        // would be acutely ill, not part of the resident population); clamped after 100 tries.
        let mut bmi = rng::normal(rng, p.adult_bmi_mean, p.adult_bmi_sd);
        for _ in 0..100 {
            if (16.0..=40.0).contains(&bmi) {
                break;
            }
            bmi = rng::normal(rng, p.adult_bmi_mean, p.adult_bmi_sd);
        }
        let bmi = bmi.clamp(16.0, 40.0);
        let weight = bmi * height * height;
        let fat = physiology::initial_fat_kg(weight, bmi, age, sex);
        let (k, act, usual) = physiology::adult_baseline(s.physiology(), fat, weight - fat, height, age, sex);
        person.height_m = height as f32;
        person.fat_kg = fat as f32;
        person.lean_kg = (weight - fat) as f32;
        person.base_kcal = k as f32;
        person.activity_per_kg = act as f32;
        person.set_usual_kcal(usual as f32);
    }
    person
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memory budget (BENCHMARKS.md: at most 64 bytes a person for large populations) rests on
    /// these sizes: a person, plus a household for every ~3.5 people in a city.
    #[test]
    fn persons_and_households_stay_compact() {
        assert_eq!(std::mem::size_of::<Person>(), 40);
        assert_eq!(std::mem::size_of::<Household>(), 72);
    }
}
