//! The day's counts and sums (per chunk, merged in chunk order, so sums are deterministic), the
//! food-energy ledger, and the running totals of a run.

use super::kernel::Classes;
use super::lanes::One;
use super::physiology::Sex;
use super::population::Cause;
use std::ops::{Index, IndexMut};

/// Counts and sums that add up field by field (chunk tallies into the day's, days into the run's).
pub(crate) trait Sum {
    fn add(&mut self, o: &Self);
}

impl Sum for u64 {
    #[inline]
    fn add(&mut self, o: &u64) {
        *self += o;
    }
}

impl Sum for f64 {
    #[inline]
    fn add(&mut self, o: &f64) {
        *self += o;
    }
}

impl<T: Sum, const N: usize> Sum for [T; N] {
    fn add(&mut self, o: &Self) {
        self.iter_mut().zip(o).for_each(|(a, b)| a.add(b));
    }
}

/// Per location: the lists are as long as the scenario's locations.
impl<T: Sum> Sum for Vec<T> {
    fn add(&mut self, o: &Self) {
        debug_assert_eq!(self.len(), o.len());
        self.iter_mut().zip(o).for_each(|(a, b)| a.add(b));
    }
}

/// A struct of counts and sums whose fields are listed once: its `Sum` adds every field.
macro_rules! summed {
    (
        $(#[$meta:meta])*
        $vis:vis struct $name:ident {
            $($(#[$field_meta:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$meta])*
        $vis struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
        }

        impl Sum for $name {
            fn add(&mut self, o: &Self) {
                $(self.$field.add(&o.$field);)*
            }
        }
    };
}

/// Deaths by cause, indexed by `Cause` (never `Cause::None`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Deaths([u64; 9]);

impl Deaths {
    /// Deaths of every cause.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// Deaths of each disease (`disease::NAMES` order).
    pub fn diseases(&self) -> [u64; 4] {
        [self.0[4], self.0[5], self.0[6], self.0[7]]
    }

    fn slot(cause: Cause) -> usize {
        match cause {
            Cause::Starvation => 0,
            Cause::Violence => 1,
            Cause::Background => 2,
            Cause::Dehydration => 3,
            Cause::Diarrhoea => 4,
            Cause::Ari => 5,
            Cause::Malaria => 6,
            Cause::Measles => 7,
            Cause::Relief => 8,
            Cause::None => unreachable!("a death has a cause"),
        }
    }
}

impl Index<Cause> for Deaths {
    type Output = u64;
    fn index(&self, cause: Cause) -> &u64 {
        &self.0[Deaths::slot(cause)]
    }
}

impl IndexMut<Cause> for Deaths {
    fn index_mut(&mut self, cause: Cause) -> &mut u64 {
        &mut self.0[Deaths::slot(cause)]
    }
}

impl Sum for Deaths {
    fn add(&mut self, o: &Self) {
        self.0.add(&o.0);
    }
}

summed! {
    /// What the household pass counts of the members active today (after the day's deaths, but
    /// `active_n` before them), for the nutrition outputs.
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct Nutrition {
        /// Members active at the start of the household pass.
        pub active_n: u64,
        /// Surviving under-5s, and of them those globally and severely wasted.
        pub u5_n: u64,
        pub u5_gam: u64,
        pub u5_sam: u64,
        /// Surviving adults, and of them those thin and severely thin.
        pub adult_n: u64,
        pub adult_lt_18_5: u64,
        pub adult_lt_16: u64,
    }
}

impl Nutrition {
    /// Counts a surviving member in their classes (`kernel::classes`).
    #[inline]
    pub fn count(&mut self, c: &Classes<One>) {
        self.u5_n += u64::from(c.under5);
        self.u5_gam += u64::from(c.gam);
        self.u5_sam += u64::from(c.sam);
        self.adult_n += u64::from(c.adult);
        self.adult_lt_18_5 += u64::from(c.thin);
        self.adult_lt_16 += u64::from(c.severely_thin);
    }
}

summed! {
    /// Counts and sums for one day, per chunk (merged in chunk order, so sums are deterministic).
    #[derive(Clone, Debug, Default)]
    pub(crate) struct Tally {
        pub deaths: Deaths,
        /// Disease onsets today (`disease::NAMES` order).
        pub cases: [u64; 4],
        /// Deaths by cause in each `age_group`.
        pub deaths_by_age: [Deaths; 4],
        /// Deaths by `death_band` (0, 1–4, 5–14, 15–39, 40–59, 60+).
        pub deaths_by_band: [u64; 6],
        /// Deaths by sex: male, female.
        pub deaths_by_sex: [u64; 2],
        /// Deaths of adults by the ration card they held at the start (worker, employee,
        /// dependant; MODEL.md §4.2): counted for every adult, reported only where cards are read.
        pub deaths_by_card: [u64; 3],
        /// Children given breast milk today (`kernel::nursing`).
        pub breastfed: u64,
        pub nutrition: Nutrition,
        pub intake_sum: f64,
        pub need_sum: f64,
        pub adult_bmi_sum: f64,
        pub kidnapped: u64,
        /// People taken out today by organised evacuations.
        pub evacuated: u64,
        pub intercepted: u64,
        pub displaced_arrivals: u64,
        pub n_present: u64,
        pub n_in_transit: u64,
        pub n_displaced: u64,
        pub food_kcal: f64,
        pub home_food_kcal: f64,
        pub home_need_kcal: f64,
        /// Held by, and needed by, the displaced and those on the road (households with someone
        /// alive): `food_days_away`.
        pub away_food_kcal: f64,
        pub away_need_kcal: f64,
        /// Eaten today (members' intakes, as `intake_sum`) by the people of households at home,
        /// and by those of households displaced or on the road, and how many ate in each
        /// (together `nutrition.active_n`): `mean_intake_kcal_home` and `_away`.
        pub home_intake: f64,
        pub home_eaters: u64,
        pub away_intake: f64,
        pub away_eaters: u64,
        /// Food held by the households that set out from home today, as they left (after
        /// leaving `1 − carry_share` behind), kcal: `food_carried_kcal`.
        pub carried_kcal: f64,
        pub ledger: FoodLedger,
        pub loc: Vec<LocTally>,
        /// By wealth group (`market::GROUPS`; all in group 0 when `[market]` is off).
        pub wealth: [WealthTally; 3],
    }
}

summed! {
    /// One wealth group's day (model/market.rs).
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct WealthTally {
        pub deaths: u64,
        /// Eaten by the group's households, kcal, and their members active after the day's deaths.
        pub eaten: f64,
        pub active: u64,
        /// Held after the day's purchases by the group's households (not in transit): cash, kcal
        /// at P₀, and head of livestock; and how many households (market on only).
        pub cash: f64,
        pub livestock: u64,
        pub households: u64,
    }
}

summed! {
    #[derive(Clone, Copy, Debug, Default)]
    pub(crate) struct LocTally {
        pub present: u64,
        pub displaced_here: u64,
        pub arrivals: u64,
        pub displaced_arrivals: u64,
        pub food_kcal: f64,
        /// Eaten today by the people of the households here (at home or displaced, not on the
        /// road), and how many of them ate: `locations.csv`'s `mean_intake_kcal`.
        pub intake: f64,
        pub eaters: u64,
        pub victims: u64,
        pub share_pool: f64,
        pub share_gap: f64,
        pub displaced_people: u64,
        /// Active people whose home this is, and those of them at home, after the day's deaths (the
        /// share gone in the flight decision), counted by the household pass.
        pub residents: u64,
        pub residents_at_home: u64,
        /// Deaths today of people here (in transit: at the place they set out from).
        pub deaths: Deaths,
        /// The market (model/market.rs): people at home (the supply's base), the demand that can
        /// pay at P₀ and what is wanted at today's price, kcal; the coping foods wanted in bad
        /// times; then what was sold and gathered, kcal.
        pub market_people: u64,
        pub market_demand: f64,
        pub market_wanted: f64,
        pub coping_wanted: f64,
        pub market_sold: f64,
        pub coping_got: f64,
    }
}

summed! {
    /// Where food energy came from and went, kcal (for the conservation check).
    #[derive(Clone, Copy, Debug, Default, PartialEq)]
    pub struct FoodLedger {
        pub initial: f64,
        pub imports: f64,
        pub airdrop_usable: f64,
        pub convoy_delivered: f64,
        pub host_support: f64,
        /// Issued to households by the authority's stores.
        pub issued: f64,
        pub slaughtered: f64,
        /// Coping foods gathered (`[market]`).
        pub coping: f64,
        pub eaten: f64,
        pub burned: f64,
        pub abandoned: f64,
        /// Carried out of the simulated population by evacuated households.
        pub evacuated: f64,
    }
}

impl FoodLedger {
    /// Inflows minus outflows: what should be in stock now.
    pub fn expected_stock(&self) -> f64 {
        self.initial
            + self.imports
            + self.airdrop_usable
            + self.convoy_delivered
            + self.host_support
            + self.issued
            + self.slaughtered
            + self.coping
            - self.eaten
            - self.burned
            - self.abandoned
            - self.evacuated
    }
}

impl Tally {
    pub(crate) fn new(n_loc: usize) -> Self {
        Tally {
            loc: vec![LocTally::default(); n_loc],
            ..Default::default()
        }
    }

    pub(crate) fn reset(&mut self) {
        let n = self.loc.len();
        let mut loc = std::mem::take(&mut self.loc);
        loc.iter_mut().for_each(|l| *l = LocTally::default());
        *self = Tally {
            loc,
            ..Default::default()
        };
        debug_assert_eq!(self.loc.len(), n);
    }

    /// Records a death of someone of this age and sex by this cause at location `loc` (where the
    /// person is: home, refuge, or, in transit, the place they set out from).
    /// `card` is an adult's starting card index (`Person::card_index`), `None` for a child.
    pub fn death(&mut self, cause: Cause, age: f32, sex: Sex, card: Option<usize>, loc: usize) {
        self.deaths[cause] += 1;
        if let Some(c) = card.filter(|&c| c < 3) {
            self.deaths_by_card[c] += 1;
        }
        self.loc[loc].deaths[cause] += 1;
        self.deaths_by_age[age_group(age)][cause] += 1;
        self.deaths_by_band[death_band(age)] += 1;
        self.deaths_by_sex[usize::from(sex == Sex::Female)] += 1;
    }
}

/// Deaths of children (under 15: the first two `age_group`s) from starvation, of `deaths_by_age`.
pub(crate) fn starvation_children(deaths_by_age: &[Deaths; 4]) -> u64 {
    deaths_by_age[..2].iter().map(|d| d[Cause::Starvation]).sum()
}

/// The age group of `deaths_by_age`: under 5, 5–14, 15–59, 60 and over.
fn age_group(age: f32) -> usize {
    if age < 5.0 {
        0
    } else if age < 15.0 {
        1
    } else if age < 60.0 {
        2
    } else {
        3
    }
}

/// The age band deaths are reported in (issue 17): 0 under 1 (infants), 1 1–4, 2 5–14, 3 15–39,
/// 4 40–59, 5 60 and over (the `new_deaths_<band>` columns), of a person of this age, years.
pub(crate) fn death_band(age: f32) -> usize {
    match age {
        a if a < 1.0 => 0,
        a if a < 5.0 => 1,
        a if a < 15.0 => 2,
        a if a < 40.0 => 3,
        a if a < 60.0 => 4,
        _ => 5,
    }
}

/// `k` out of `n`, times `scale` (100 for a percentage, 10,000 for a rate per 10,000): the one
/// formula of every share and rate the daily records report. NaN when `n` is 0: a statistic over
/// nobody is unknown, not 0, and is written as an empty cell (docs/outputs.md).
pub(crate) fn ratio(k: u64, n: u64, scale: f64) -> f64 {
    if n > 0 { k as f64 / n as f64 * scale } else { f64::NAN }
}

/// Days over which the rolling death rates and the IPC phase are worked out (IPC reads mortality
/// over a recall period of months, never one day; issue 21).
pub(crate) const ROLLING_DAYS: usize = 30;

/// The last `ROLLING_DAYS` days' deaths (all, under 5, male) and people at risk at the start of
/// each day (all, under 5): a ring indexed by day.
#[derive(Clone, Debug, Default)]
pub(crate) struct Rolling {
    days: Vec<[u64; 5]>,
    seen: usize,
}

/// Rates over the rolling window.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct RollingRates {
    /// Deaths per 10,000 people per day, all and under 5 (NaN when nobody was at risk).
    pub cdr: f64,
    pub u5dr: f64,
    /// Men's and boys' share of the window's deaths, % (NaN when nobody died).
    pub male_pct: f64,
    /// Whether the window is whole (at least `ROLLING_DAYS` days observed).
    pub full: bool,
}

impl Rolling {
    /// Adds a day and returns the rates over the window ending on it: deaths over person-days of
    /// the days observed, at most the last `ROLLING_DAYS`.
    pub fn push(
        &mut self,
        deaths: u64,
        u5_deaths: u64,
        male_deaths: u64,
        at_risk: u64,
        u5_at_risk: u64,
    ) -> RollingRates {
        if self.days.is_empty() {
            self.days = vec![[0; 5]; ROLLING_DAYS];
        }
        self.days[self.seen % ROLLING_DAYS] = [deaths, u5_deaths, male_deaths, at_risk, u5_at_risk];
        self.seen += 1;
        let mut sum = [0u64; 5];
        for d in &self.days {
            sum.add(d);
        }
        RollingRates {
            cdr: ratio(sum[0], sum[3], 10_000.0),
            u5dr: ratio(sum[1], sum[4], 10_000.0),
            male_pct: ratio(sum[2], sum[0], 100.0),
            full: self.seen >= ROLLING_DAYS,
        }
    }
}

/// The running totals of a run.
#[derive(Clone, Debug, Default)]
pub(crate) struct Cumulative {
    pub deaths: Deaths,
    pub cases: [u64; 4],
    pub deaths_by_age: [Deaths; 4],
    pub deaths_by_band: [u64; 6],
    pub deaths_by_sex: [u64; 2],
    pub deaths_by_card: [u64; 3],
    /// Adults holding each card (worker, employee, dependant) at the start; 0 where no card is
    /// read.
    pub adults_by_card: [u64; 3],
    pub kidnapped: u64,
    pub evacuated: u64,
    pub intercepted: u64,
    pub displaced: u64,
    pub displaced_to: Vec<u64>,
    /// Deaths by cause at each location.
    pub deaths_at: Vec<Deaths>,
    pub airdrop_tonnes: f64,
    pub airdrop_landed: f64,
    pub airdrop_usable: f64,
    pub airdrop_captured: f64,
    pub airdrop_cost: f64,
    pub convoy_tonnes: f64,
    pub convoy_delivered: f64,
    pub convoy_looted: f64,
    pub convoys_blocked: u64,
    pub convoy_cost: f64,
    /// Regular supply into the stores, kcal.
    pub store_inflow: f64,
    /// Airdrops and convoys put into the stores, kcal.
    pub into_stores: f64,
    /// Therapeutic food handed to households by airdrops and convoys, kcal (not food: not in the
    /// food ledger nor in `airdrop_usable`/`convoy_delivered`).
    pub rutf_delivered: f64,
    pub first_day_food_out: Option<u32>,
    /// Food held by households as they set out from home, kcal (`Tally::carried_kcal`).
    pub carried: f64,
    /// Relief water handed out, litres; purification, litres made safe; ORS sachets.
    pub water_delivered_l: f64,
    pub treatment_delivered_l: f64,
    pub ors_delivered: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 21: one death on day 0 in a well-fed village of 3,000 is 3.3 per 10,000 that day,
    /// but a small rate over a whole window, and the window is whole only from day 29.
    #[test]
    fn one_death_in_a_village_is_not_a_famine() {
        let mut r = Rolling::default();
        let first = r.push(1, 0, 1, 3000, 500);
        assert!(!first.full);
        assert!((first.cdr - 10_000.0 / 3000.0).abs() < 1e-9);
        assert_eq!(first.male_pct, 100.0);
        let mut last = first;
        for _ in 1..ROLLING_DAYS {
            last = r.push(0, 0, 0, 2999, 500);
        }
        assert!(last.full);
        assert!(
            (last.cdr - 10_000.0 / (3000.0 + 29.0 * 2999.0)).abs() < 1e-12,
            "{}",
            last.cdr
        );
        assert!(last.cdr < 0.5);
        // The day-0 death leaves the window on day 30.
        assert_eq!(r.push(0, 0, 0, 2999, 500).cdr, 0.0);
        assert_eq!(death_band(0.99), 0);
        assert_eq!(death_band(1.0), 1);
        assert_eq!(death_band(39.9), 3);
        assert_eq!(death_band(60.0), 5);
    }
}
