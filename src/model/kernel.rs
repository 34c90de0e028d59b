//! One member's day, written once over `Lanes`: the household pass runs it one member at a time
//! (`One`, household.rs: the reference, and the path on processors without AVX2) or eight at a time
//! (`Avx2`, household_avx2.rs, which adds only the plumbing: gathers, draws, write-back). Both give the
//! same bits (tests/invariants.rs compares them on whole runs).
//!
//! The day of a living member of a household that eats today: intake from the household's split
//! (`TierShares`), then the energy balance of their class (physiology.rs), the classifications
//! the day's tally counts, and tomorrow's age band and demand (food.rs). Death is decided by
//! `Hazards::cause` (mortality.rs), in f64, between the balance and tomorrow; the vector pass first
//! works out `survival_threshold`, an f32 bound above which a draw surely means survival, so
//! that it computes the exact hazard only for draws below it.

use super::food::{self, TierShares};
use super::lanes::{Lanes, One};
use super::mortality::{BOUND_STEPS_PER_BMI, Hazards};
use super::physiology::{self, Adult, Coefs, Sex, Tables};
use super::population::{Cause, Household, Mode, Person, Status, years};
use super::{LocDay, Tally};
use crate::scenario::params::{FoodParams, RationRegime};

/// What the day's arithmetic reads besides the members: the same for every member of a chunk.
pub(crate) struct DayConsts<'a, L: Lanes> {
    pub tables: Tables<L>,
    pub coefs: &'a Coefs,
    pub day: u32,
    /// Tomorrow's ration caps, if any.
    pub next_regime: Option<&'a RationRegime>,
}

/// A member at the start of their day, as lanes. Lanes where `alive` is false are carried
/// through unchanged.
#[derive(Clone, Copy)]
pub(crate) struct Member<L: Lanes> {
    pub age0_years: L::F,
    pub height_m: L::F,
    pub fat_kg: L::F,
    pub lean_kg: L::F,
    /// Children: weight ratio; adults: habitual need E₀ (`Person::usual_kcal`, the same slot).
    pub weight_ratio: L::F,
    pub base_kcal: L::F,
    pub activity_per_kg: L::F,
    pub activity: L::F,
    /// Today's demand, kcal (what `Person::intake_kcal` holds before the split).
    pub demand_kcal: L::F,
    pub female: L::M,
    /// Of the children's model class (under 15 at day 0).
    pub child: L::M,
    /// Today's age band.
    pub band: L::I,
    /// Alive, in a household with active members.
    pub alive: L::M,
    /// Ill today (their hazard is worked out exactly, `Hazards::cause`).
    pub ill: L::M,
    /// The share of their demand the member's tier gets today (`TierShares::intake`).
    pub share: L::D,
    /// The share of it they eat: 1, or κ_d during an episode of disease d (design-round2 §3.5).
    pub appetite: L::F,
}

impl Member<One> {
    /// A living member of a household that eats today, whose tier gets `shares`; `appetite` by
    /// illness kind (`disease::Disease::intake_factor`).
    #[inline(always)]
    pub fn of(p: &Person, shares: &TierShares, appetite: &[f32; 8]) -> Self {
        Member {
            age0_years: p.age0_years,
            height_m: p.height_m,
            fat_kg: p.fat_kg,
            lean_kg: p.lean_kg,
            weight_ratio: p.weight_ratio,
            base_kcal: p.base_kcal,
            activity_per_kg: p.activity_per_kg,
            activity: p.activity,
            demand_kcal: p.intake_kcal,
            female: p.sex() == Sex::Female,
            child: p.is_child(),
            band: i32::from(p.band),
            alive: true,
            ill: p.illness != crate::model::disease::NONE,
            share: shares.of_band(p.band),
            appetite: appetite[usize::from(crate::model::disease::kind(p.illness))],
        }
    }
}

/// What a member's day gives, before death is decided.
#[derive(Clone, Copy)]
pub(crate) struct Outcome<L: Lanes> {
    /// Today's intake, kcal: exactly the demand times the share times the appetite (what the
    /// household's stock loses: an ill member's uneaten share stays in it) and rounded to f32
    /// (what the member eats).
    pub intake: L::D,
    pub intake_kcal: L::F,
    /// The state after today's energy balance (each lane's own class; unchanged where not
    /// alive).
    pub fat_kg: L::F,
    pub lean_kg: L::F,
    pub weight_ratio: L::F,
    pub activity: L::F,
    /// The BMI after today's balance (meaningful for living adults; one lane of another class
    /// may hold 0).
    pub bmi: L::F,
    /// The wasting band after today's balance (meaningful for living children; one lane of another
    /// class may hold `NOT_WASTED`).
    pub wasting: L::I,
    /// Tomorrow's age band and demand, kcal (capped by tomorrow's ration), and whether tomorrow's
    /// band is a child's (the tier the split and the demand sums go by).
    pub next_band: L::I,
    pub next_demand_kcal: L::F,
    pub young_tomorrow: L::M,
    /// What the day's tally counts of the member, if they survive.
    pub classes: Classes<L>,
}

/// The classes a surviving member is counted in (`Tally::count`): under 5 today, and of them
/// globally (GAM) and severely (SAM) wasted; adult (of the adults' model class), and of them thin
/// and severely thin.
#[derive(Clone, Copy)]
pub(crate) struct Classes<L: Lanes> {
    pub under5: L::M,
    pub gam: L::M,
    pub sam: L::M,
    pub adult: L::M,
    pub thin: L::M,
    pub severely_thin: L::M,
}

/// Adult thinness below these BMIs, kg/m² (WHO; outputs `adult_bmi_lt_18_5_pct`,
/// `adult_bmi_lt_16_pct`).
pub(crate) const THIN_BMI: f32 = 18.5;
pub(crate) const SEVERELY_THIN_BMI: f32 = 16.0;

/// The classes of a member (`alive` false: none) in age band `band` today, of wasting band
/// `wasting` and BMI `bmi` after today's balance.
#[inline(always)]
pub(crate) fn classes<L: Lanes>(l: L, alive: L::M, child: L::M, band: L::I, wasting: L::I, bmi: L::F) -> Classes<L> {
    let under5 = alive & l.eq_i(band, l.splat_i(i32::from(physiology::UNDER5)));
    let adult = l.and_not(alive, child);
    Classes {
        under5,
        gam: l.and_not(under5, l.lt_i(wasting, l.splat_i(i32::from(physiology::MODERATE)))),
        sam: l.and_not(under5, l.lt_i(wasting, l.splat_i(i32::from(physiology::SEVERE)))),
        adult,
        thin: adult & l.lt(bmi, l.splat(THIN_BMI)),
        severely_thin: adult & l.lt(bmi, l.splat(SEVERELY_THIN_BMI)),
    }
}

/// A member's day up to the death draw, and tomorrow's band and demand.
#[inline(always)]
pub(crate) fn member_day<L: Lanes>(l: L, k: &DayConsts<L>, m: &Member<L>) -> Outcome<L> {
    let c = k.coefs;
    // Times an appetite of 1 (not ill) is exact.
    let intake = l.widen(m.demand_kcal) * m.share * l.widen(m.appetite);
    let intake_kcal = l.narrow(intake);
    let age = m.age0_years + l.splat(years(k.day));

    // Each lane keeps its own class's result; the not alive keep their state.
    let (child_now, adult_now) = (m.alive & m.child, l.and_not(m.alive, m.child));
    let mut weight_ratio = m.weight_ratio;
    if l.needed(child_now) {
        let need = k.tables.child_need_kcal(l, age, m.band, m.female);
        let reference = k.tables.reference_weight_kg(l, age, m.female);
        let tissue = physiology::child_tissue_kcal_per_kg_of(l, age);
        let child_ratio = physiology::child_day(l, c, m.weight_ratio, need, reference, tissue, intake_kcal);
        weight_ratio = l.select(child_now, child_ratio, m.weight_ratio);
    }
    let (mut fat_kg, mut lean_kg, mut activity) = (m.fat_kg, m.lean_kg, m.activity);
    if l.needed(adult_now) {
        let adult = Adult {
            fat_kg: m.fat_kg,
            lean_kg: m.lean_kg,
            activity: m.activity,
        };
        // An adult's need is their habitual E₀, held in the child's ratio slot.
        let usual_kcal = m.weight_ratio;
        let grown = physiology::adult_day(l, c, adult, m.base_kcal, m.activity_per_kg, usual_kcal, intake_kcal);
        fat_kg = l.select(adult_now, grown.fat_kg, m.fat_kg);
        lean_kg = l.select(adult_now, grown.lean_kg, m.lean_kg);
        activity = l.select(adult_now, grown.activity, m.activity);
    }

    // Each only where it means something (one lane skips the other class's).
    let bmi = if l.needed(adult_now) {
        physiology::bmi_of::<L>(fat_kg, lean_kg, m.height_m)
    } else {
        l.splat(0.0)
    };
    let wasting = if l.needed(child_now) {
        physiology::wasting_band_of(l, physiology::child_index_of(l, weight_ratio))
    } else {
        l.splat_i(i32::from(physiology::NOT_WASTED))
    };

    let next_age = m.age0_years + l.splat(years(k.day + 1));
    let next_band = physiology::age_band_of(l, next_age);
    let next_demand_kcal = food::demand_of(
        l,
        &k.tables,
        c,
        m.female,
        m.child,
        weight_ratio,
        // A child's own centile, in the slot of an adult's height (`Person::own_ratio`).
        m.height_m,
        next_age,
        next_band,
        k.next_regime,
    );
    Outcome {
        intake,
        intake_kcal,
        fat_kg,
        lean_kg,
        weight_ratio,
        activity,
        bmi,
        wasting,
        next_band,
        next_demand_kcal,
        young_tomorrow: physiology::is_young(l, next_band),
        classes: classes(l, m.alive, m.child, m.band, wasting, bmi),
    }
}

/// The hazards' parameters as lanes, for `survival_threshold`.
pub(crate) struct HazardLanes<'a, L: Lanes> {
    bmi_threshold: L::F,
    lethal_bmi: [L::F; 2],
    /// The background hazard by age band.
    background: L::Table,
    /// The adult starvation hazard's multiplier by age band, men and women (`Hazards::adult_factor`).
    adult_factor: [L::Table; 2],
    /// A bound on the wasting hazard ratio less one by wasting band (0 when not wasted; severe
    /// wasting goes to the exact hazard).
    ratio_less_one: L::Table,
    /// `Hazards::adult_bound_f32`.
    adult_bound: &'a [f32],
}

impl<'a, L: Lanes> HazardLanes<'a, L> {
    #[inline(always)]
    pub fn new(l: L, hz: &'a Hazards) -> Self {
        let ratio_less_one = hz.ratio_less_one_bound.map(|r| r as f32);
        HazardLanes {
            bmi_threshold: l.splat(hz.bmi_threshold),
            lethal_bmi: [l.splat(hz.lethal_bmi_men), l.splat(hz.lethal_bmi_women)],
            background: l.table(&hz.background_by_band.map(|b| b as f32)),
            adult_factor: hz.adult_factor.map(|f| l.table(&f.map(|x| x as f32))),
            ratio_less_one: l.table(&ratio_less_one),
            adult_bound: &hz.adult_bound_f32,
        }
    }
}

/// A bound on a member's survival threshold of `Hazards::cause`, (S + violence) + background,
/// worked out in f32: S is the starvation hazard (children), its tabulated bound (thin adults
/// within the table) or 0; `exact` where only the exact hazard can tell (lethal states, thin
/// adults beyond the table).
#[derive(Clone, Copy)]
pub(crate) struct Threshold<L: Lanes> {
    pub starvation: L::F,
    pub background: L::F,
    pub exact: L::M,
}

/// The survival threshold of a living member `m` after their day `o` (see `Threshold`).
#[inline(always)]
pub(crate) fn survival_threshold<L: Lanes>(l: L, hz: &HazardLanes<L>, m: &Member<L>, o: &Outcome<L>) -> Threshold<L> {
    let bmi = o.bmi;
    let lethal = l.select(m.female, hz.lethal_bmi[1], hz.lethal_bmi[0]);
    let below_threshold = l.lt(bmi, hz.bmi_threshold);
    let thin = l.and_not(below_threshold & l.gt(bmi, lethal), m.child);
    let step = l.trunc((hz.bmi_threshold - bmi) * l.splat(BOUND_STEPS_PER_BMI));
    let in_table = l.lt_i(step, l.splat_i(hz.adult_bound.len() as i32));
    let bounded = thin & in_table;
    let adult_exact = l.and_not(l.and_not(below_threshold, m.child), bounded);
    // Severe wasting (which holds every child's own floor and the inanition hazard) only the exact
    // hazard can tell.
    let child_exact = m.child & l.eq_i(o.wasting, l.splat_i(i32::from(physiology::SEVERE)));
    let background = l.lookup(hz.background, m.band);
    let factor = l.select(
        m.female,
        l.lookup(hz.adult_factor[1], m.band),
        l.lookup(hz.adult_factor[0], m.band),
    );
    let ratio_less_one = l.only(m.child, l.lookup(hz.ratio_less_one, o.wasting));
    // SAFETY: a thin adult's BMI is below the threshold (at most 30, validation) and above the
    // lethal BMI (positive), so the step is from 0 to 1920; `in_table` keeps it within the table.
    let bound = unsafe { l.lookup_where(hz.adult_bound, step, bounded) };
    Threshold {
        // The bound times the adult's factor (0 where not looked up) or background × (ratio − 1)
        // (0 for adults).
        starvation: bound * factor + background * ratio_less_one,
        background,
        exact: adult_exact | child_exact | m.ill,
    }
}

/// The margin by which the f32 survival threshold is raised, so that a draw at or above it is
/// surely at or above the threshold of `Hazards::cause` in f64.
///
/// The threshold is (S + violence) + background, all terms at least 0 (validation keeps rates
/// and the violence hazard at least 0 and hazard ratios at least 1; the bounds are at least
/// 0). In f32 every input is the f64 value rounded to nearest, and S for a child is one
/// product more: with ε = 2^-24, five roundings of non-negative terms leave the sum at least
/// (1 − 5ε) of the exact real one, as long as nothing falls below f32's normal range. Times
/// `RELATIVE` (one more rounding) it is at least (1 + 2^-17) of it, above the f64 threshold,
/// which is within (1 + 2^-52)² of it. The f32 draw is the word's uniform to within 2^-24
/// (`household_avx2::draw_f32`), and `ABSOLUTE` = 2^-22 covers that, the last addition's rounding (2^-24
/// below 2) and any term lost below f32's normal range (under 2^-126 each). A member whose
/// draw is above the f64 threshold by less than about 2^-22 is sent to the exact hazard as
/// well: about one member-day in four million. A threshold of 1 or more gives an f32 one
/// above 1, which no draw reaches.
pub(crate) struct SurvivalMargin;

impl SurvivalMargin {
    pub const RELATIVE: f32 = 1.0 + 1.0 / 65_536.0;
    pub const ABSOLUTE: f32 = 1.0 / 4_194_304.0;
}

/// The lanes whose draw `u` (in f32, within 2^-24 of the exact one) is at or above the threshold
/// (S + violence) + background raised by `SurvivalMargin`: the lanes sure to survive.
#[inline(always)]
pub(crate) fn survives<L: Lanes>(l: L, u: L::F, starvation: L::F, violence: L::F, background: L::F) -> L::M {
    let limit = starvation + violence + background;
    let limit = limit * l.splat(SurvivalMargin::RELATIVE) + l.splat(SurvivalMargin::ABSOLUTE);
    l.ge(u, limit)
}

// What both paths share around the member's day: the chunk's context, the household's sums and
// its close, and a death's bookkeeping.

/// What the member loop of the household pass reads besides the household and its members.
pub(crate) struct MemberDay<'a> {
    pub f: &'a FoodParams,
    pub day: u32,
    pub coefs: physiology::Coefs,
    pub hazards: std::sync::Arc<Hazards>,
    pub next_regime: Option<&'a RationRegime>,
    /// Today's onsets, when disease is on.
    pub onsets: Option<crate::model::disease::Onsets>,
    /// Intake by illness kind (index 0, not ill: 1).
    pub appetite: [f32; 8],
}

/// Sums over a household's members in the household pass, in member order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MemberSums {
    /// Energy eaten today, kcal.
    pub eaten: f64,
    /// Tomorrow's demand of all, of the children and of the adults, kcal.
    pub next_need: f64,
    pub next_child: f64,
    pub next_adult: f64,
}

impl MemberSums {
    /// Adds a surviving member's demand for tomorrow, of a child's band tomorrow or not.
    #[inline]
    pub fn add_demand(&mut self, demand: f32, young: bool) {
        self.next_need += f64::from(demand);
        if young {
            self.next_child += f64::from(demand);
        } else {
            self.next_adult += f64::from(demand);
        }
    }
}

/// The violence hazard a household's members face today: only at home.
pub(crate) fn violence_on(h: &Household, ld: &LocDay) -> f64 {
    if h.mode == Mode::AtHome {
        ld.violence_hazard
    } else {
        0.0
    }
}

/// The end of a household's day: tomorrow's demands, residents, and the food eaten leaves the
/// stock.
pub(crate) fn close_household(h: &mut Household, sums: MemberSums, t: &mut Tally) {
    h.next_need_kcal = sums.next_need;
    h.child_demand_kcal = sums.next_child;
    h.adult_demand_kcal = sums.next_adult;
    let home = &mut t.loc[h.home as usize];
    home.residents += u64::from(h.n_active);
    if h.mode == Mode::AtHome {
        home.residents_at_home += u64::from(h.n_active);
    }
    let eaten = sums.eaten.min(h.stock_kcal);
    h.stock_kcal = (h.stock_kcal - eaten).max(0.0);
    t.ledger.eaten += eaten;
    t.need_sum += h.need_kcal;
}

/// A member of `h` dies today of `cause`.
pub(crate) fn record_death(m: &mut Person, cause: Cause, day: u32, h: &mut Household, t: &mut Tally) {
    m.status = Status::Dead;
    h.n_active -= 1;
    t.death(cause, m.age(day), h.location as usize);
    if cause == Cause::Violence {
        t.loc[h.location as usize].victims += 1;
    }
}
