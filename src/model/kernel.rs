//! One member's day, written once over `Lanes`: the household pass runs it one member at a time
//! (`One`, household.rs: the reference, and the path on processors without AVX2), eight at a time
//! (`Avx2`) or sixteen (`Avx512`; household_avx2.rs, which adds only the plumbing: gathers, draws,
//! write-back). All give the same bits (tests/invariants.rs compares them on whole runs).
//!
//! The day of a living member of a household that eats today: intake from the household's split
//! (`TierShares`), then the energy balance of their class (physiology.rs), the classifications
//! the day's tally counts, and tomorrow's age band and demand (food.rs). Death is decided by
//! `Hazards::cause` (mortality.rs), in f64, between the balance and tomorrow; the vector pass first
//! works out `survival_threshold`, an f32 bound above which a draw surely means survival, so
//! that it computes the exact hazard only for draws below it.

use super::food::{self, TierShares};
use super::lanes::{Lanes, One};
use super::mortality::{self, BOUND_STEPS_PER_BMI, Hazards};
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
    /// Whether anyone may still be breastfed today (`nursing_possible`).
    pub nursing: bool,
    /// The extra need in the cold today and tomorrow, shares of need (`physiology::cold_share`).
    pub cold: f32,
    pub next_cold: f32,
    /// Adults' extra need for their activity today and tomorrow, kcal, by `Person::work_index`
    /// (card and sex; `super::work_on`).
    pub work: L::Table,
    pub next_work: L::Table,
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
    /// The row of the day's activity table (`Person::work_index`: card and sex).
    pub work_index: L::I,
    /// Of the children's model class (under 15 at day 0).
    pub child: L::M,
    /// Today's age band.
    pub band: L::I,
    /// Alive, in a household with active members.
    pub alive: L::M,
    /// Ill today, and the illness byte (its kind in the low 3 bits, `disease::kind`).
    pub ill: L::M,
    pub illness: L::I,
    /// The share of their demand the member's tier gets today (`TierShares::intake`).
    pub share: L::D,
    /// A breastfed child's share of full milk today (`physiology::milk_factor` of its mother's
    /// BMI); 0 for everyone else (`nursing`).
    pub milk_factor: L::F,
    /// A breastfeeding mother's extra expenditure today, kcal; 0 for everyone else (`nursing`).
    pub lactation_kcal: L::F,
    /// Therapeutic food a wasted child is given today, kcal; 0 for everyone else (`therapeutic`).
    pub rutf_kcal: L::F,
    /// The share of their household food they eat: 1, or κ_d during an episode of disease d
    /// (design-round2 §3.5).
    pub appetite: L::F,
}

impl Member<One> {
    /// A living member of a household that eats today, whose tier gets `shares`, with the
    /// breastfeeding of the day (`nursing`) and `appetite` by illness kind
    /// (`disease::Disease::intake_factor`).
    #[inline(always)]
    pub fn of(
        p: &Person,
        shares: &TierShares,
        milk_factor: f32,
        lactation_kcal: f32,
        rutf_kcal: f32,
        appetite: &[f32; 8],
    ) -> Self {
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
            work_index: p.work_index() as i32,
            child: p.is_child(),
            band: i32::from(p.band),
            alive: true,
            ill: p.illness != crate::model::disease::NONE,
            illness: i32::from(p.illness),
            share: shares.of_band(p.band),
            milk_factor,
            lactation_kcal,
            rutf_kcal,
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
    // The cold's extra share of need today for this member: the whole allowance until a deficit
    // adapts them (MODEL.md §5.4); 0 on a warm day.
    let cold = if k.cold > 0.0 {
        l.splat(k.cold) * physiology::cold_response(l, c, m.activity)
    } else {
        l.splat(0.0)
    };
    let (mut weight_ratio, mut activity) = (m.weight_ratio, m.activity);
    if l.needed(child_now) {
        let need = k.tables.child_need_kcal(l, age, m.female);
        let reference = k.tables.reference_weight_kg(l, age, m.female);
        let tissue = k.tables.child_tissue_kcal_per_kg(l, age);
        // Breast milk comes on top of the household's food (MODEL.md §5.3 eq. 6).
        let fed = l.gt(m.milk_factor, l.splat(0.0));
        let milk = if l.needed(child_now & fed) {
            physiology::milk_kcal_of(l, age, need) * m.milk_factor
        } else {
            l.splat(0.0)
        };
        // Therapeutic food too, and with it the therapeutic catch-up (eq. 7).
        let treated = l.gt(m.rutf_kcal, l.splat(0.0));
        let catch_up = l.select(treated, l.splat(c.rutf_catch_up), l.splat(c.catch_up));
        // The cold raises what the child spends (MODEL.md §5.4), less as a deficit adapts it
        // (`physiology::cold_response`); its milk follows its base need. Activity can cut the need
        // beyond basal metabolism, not the cold's extra (MODEL.md §5.3).
        let movable = physiology::child_movable_kcal_of(l, age, need, reference, m.female);
        let child = physiology::child_day(
            l,
            c,
            physiology::Child {
                ratio: m.weight_ratio,
                activity: m.activity,
            },
            need * (l.splat(1.0) + cold),
            movable,
            reference,
            tissue,
            intake_kcal + milk + m.rutf_kcal,
            catch_up,
        );
        weight_ratio = l.select(child_now, child.ratio, m.weight_ratio);
        activity = l.select(child_now, child.activity, activity);
    }
    let (mut fat_kg, mut lean_kg) = (m.fat_kg, m.lean_kg);
    if l.needed(adult_now) {
        let adult = Adult {
            fat_kg: m.fat_kg,
            lean_kg: m.lean_kg,
            activity: m.activity,
        };
        // An adult's need is their habitual E₀, held in the child's ratio slot.
        let usual_kcal = m.weight_ratio;
        let grown = physiology::adult_day(
            l,
            c,
            adult,
            m.base_kcal,
            m.activity_per_kg,
            usual_kcal,
            intake_kcal,
            // Cold and work add to an adult's need and spending as lactation does (MODEL.md
            // §5.4, §5.5); the cold's less as a deficit adapts them.
            m.lactation_kcal + usual_kcal * cold + l.lookup(k.work, m.work_index),
        );
        fat_kg = l.select(adult_now, grown.fat_kg, m.fat_kg);
        lean_kg = l.select(adult_now, grown.lean_kg, m.lean_kg);
        activity = l.select(adult_now, grown.activity, activity);
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
        m.milk_factor,
        m.lactation_kcal + l.lookup(k.next_work, m.work_index),
        k.next_cold,
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
    /// `Hazards::bmi_depth_scale`, men and women.
    depth_scale: [L::F; 2],
    /// The background hazard by age band.
    background: L::Table,
    /// The adult starvation hazard's multiplier by age band, men and women (`Hazards::adult_factor`).
    adult_factor: [L::Table; 2],
    /// A bound on the wasting hazard ratio less one by wasting band (0 when not wasted; severe
    /// wasting goes to the exact hazard).
    ratio_less_one: L::Table,
    /// `Hazards::adult_bound_f32`.
    adult_bound: &'a [f32],
    /// `Hazards::disease_bound_f32`, by illness kind.
    disease_bound: L::Table,
}

impl<'a, L: Lanes> HazardLanes<'a, L> {
    #[inline(always)]
    pub fn new(l: L, hz: &'a Hazards) -> Self {
        let ratio_less_one = hz.ratio_less_one_bound.map(|r| r as f32);
        HazardLanes {
            bmi_threshold: l.splat(hz.bmi_threshold),
            lethal_bmi: [l.splat(hz.lethal_bmi_men), l.splat(hz.lethal_bmi_women)],
            depth_scale: hz.bmi_depth_scale.map(|s| l.splat(s)),
            background: l.table(&hz.background_by_band.map(|b| b as f32)),
            adult_factor: hz.adult_factor.map(|f| l.table(&f.map(|x| x as f32))),
            ratio_less_one: l.table(&ratio_less_one),
            adult_bound: &hz.adult_bound_f32,
            disease_bound: l.table(&hz.disease_bound_f32),
        }
    }
}

/// A bound on a member's survival threshold of `Hazards::cause`, (S + violence) + background,
/// worked out in f32: S is the starvation hazard (children), its tabulated bound (thin adults
/// within the table) or 0, plus, for the ill, the bound of their infection's hazard
/// (`Hazards::disease_bound_f32`); `exact` where only the exact hazard can tell (lethal states,
/// thin adults beyond the table, ill adults whose BMI raises their infection's hazard).
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
    // The depth as `Hazards::depth` works it out, then in steps (exact: a power of two).
    let depth = (hz.bmi_threshold - bmi) * l.select(m.female, hz.depth_scale[1], hz.depth_scale[0]);
    let step = l.trunc(depth * l.splat(BOUND_STEPS_PER_BMI));
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
    // SAFETY: a thin adult's BMI is below the threshold and their depth scale positive, so the step
    // is at least 0; `in_table` keeps it within the table.
    let bound = unsafe { l.lookup_where(hz.adult_bound, step, bounded) };
    // An ill member's infection hazard is within its bound but for an adult below BMI 18.5, whose
    // wasting hazard ratio the bound does not cover (`Hazards::disease_bound`).
    let ill_exact = m.ill & l.and_not(l.lt(bmi, l.splat(mortality::ADULT_INDEX_FROM_BMI)), m.child);
    let disease = l.only(m.ill, l.lookup(hz.disease_bound, m.illness));
    Threshold {
        // The bound times the adult's factor (0 where not looked up) or background × (ratio − 1)
        // (0 for adults), and the infection's bound (0 for the well).
        starvation: bound * factor + background * ratio_less_one + disease,
        background,
        exact: adult_exact | child_exact | ill_exact,
    }
}

/// The margin by which the f32 survival threshold is raised, so that a draw at or above it is
/// surely at or above the threshold of `Hazards::cause` in f64.
///
/// The threshold is (S + violence) + background, all terms at least 0 (validation keeps rates
/// and the violence hazard at least 0 and hazard ratios at least 1; the bounds are at least
/// 0). In f32 every input is the f64 value rounded to nearest, S for a child is one product
/// more, and an ill member's S one addition more (of the infection's bound, rounded up, against
/// the exact path's one more addition in f64): with ε = 2^-24, six roundings of non-negative
/// terms leave the sum at least (1 − 6ε) of the exact real one, as long as nothing falls below f32's normal range. Times
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

/// The breastfeeding of a household's day (MODEL.md §5.3), before its members' days: for each
/// living child linked to a mother (`Person::mother`), the link is cut if the child has reached
/// `physiology::WEANED_AT_YEARS` or the mother is no longer alive and present (dead or kidnapped;
/// a child who loses its mother then eats from the household); otherwise `milk_factor[child]` is
/// her milk factor (`physiology::milk_factor` of her BMI at the start of the day) and she spends
/// the milk she gives over the efficiency of its synthesis, added to `lactation[mother]`. Both
/// slices are the members' and must hold 0 (which stays for everyone else). Returns the children
/// given milk today (a mother below `milk_bmi_none` gives none: `breastfed_n`).
pub(crate) fn nursing(
    members: &mut [Person],
    day: u32,
    c: &Coefs,
    milk_factor: &mut [f32],
    lactation: &mut [f32],
    nurslings: &mut u8,
) -> u64 {
    let mut fed = 0;
    for i in 0..members.len() {
        let child = &members[i];
        let Some(j) = child.mother() else { continue };
        if child.status != Status::Alive {
            continue;
        }
        let age = child.age(day);
        let mother = &members[j];
        if age >= physiology::WEANED_AT_YEARS || mother.status != Status::Alive {
            members[i].set_mother(None);
            // 255 stands for "255 or more": then the household is always visited.
            if *nurslings < u8::MAX {
                *nurslings = nurslings.saturating_sub(1);
            }
            continue;
        }
        let factor = physiology::milk_factor(c, mother.bmi());
        let need = physiology::child_need_kcal(age, child.sex());
        milk_factor[i] = factor;
        lactation[j] += physiology::milk_kcal_of(One, age, need) * factor * c.inv_lactation_efficiency;
        fed += u64::from(factor > 0.0);
    }
    fed
}

/// Therapeutic food given out in a household that holds some (`Household::rutf_kcal`), before
/// its members' days (MODEL.md §8b): its living under-5s who are wasted (weight-for-height index
/// below −2) are served worst first (lowest weight ratio: the severely wasted before the
/// moderately), each its dose of `rutf_kcal_per_kg_day` per kg of its weight, until the RUTF held
/// runs out; `rutf[child]` is what each gets (the slice must hold 0 elsewhere). Returns whether any
/// was given.
pub(crate) fn therapeutic(h: &mut Household, members: &[Person], day: u32, c: &Coefs, rutf: &mut [f32]) -> bool {
    if h.rutf_kcal <= 0.0 {
        return false;
    }
    let mut wasted: Vec<(f32, usize)> = members
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.status == Status::Alive
                && p.is_child()
                && p.age(day) < 5.0
                && physiology::wasting_band(physiology::child_index(p.weight_ratio)) >= physiology::MODERATE
        })
        .map(|(i, p)| (p.weight_ratio, i))
        .collect();
    wasted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let mut given = false;
    for (ratio, i) in wasted {
        if h.rutf_kcal <= 0.0 {
            break;
        }
        let p = &members[i];
        let weight = ratio * physiology::reference_weight_kg(p.age(day), p.sex());
        let dose = (c.rutf_kcal_per_kg * weight).min(h.rutf_kcal);
        rutf[i] = dose;
        h.rutf_kcal -= dose;
        given |= dose > 0.0;
    }
    given
}

/// The non-breastfed factor B of a child (MODEL.md §5.3; design-round2.md §3.3): the relative
/// risk of infection-related death of a child under 2 who is not breastfed today (never was, or
/// lost its mother's milk, `Person::mother` none) against one who is: `non_breastfed_rr_under_6m`
/// (Sankar et al. 2015: 8.66) under 6 months and `non_breastfed_rr_6_23m` (2.0) at 6–23 months; 1
/// for a breastfed child, a child of 2 or more and an adult. The disease model multiplies a
/// child's case fatality by it.
pub fn non_breastfed_factor(p: &Person, age_years: f32, ph: &crate::scenario::params::PhysiologyParams) -> f64 {
    if !p.is_child() || age_years >= physiology::WEANED_AT_YEARS || p.mother().is_some() {
        1.0
    } else if age_years < physiology::EXCLUSIVE_UNTIL_YEARS {
        ph.non_breastfed_rr_under_6m
    } else {
        ph.non_breastfed_rr_6_23m
    }
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
    /// Whether anyone may still be breastfed today (`nursing_possible`).
    pub nursing: bool,
    /// The extra need in the cold today and tomorrow (`DayConsts`).
    pub cold: f32,
    pub next_cold: f32,
    /// Adults' extra need for their activity today and tomorrow (`DayConsts`).
    pub work: [f32; 8],
    pub next_work: [f32; 8],
    /// Today's onsets, when disease is on.
    pub onsets: Option<crate::model::disease::Onsets>,
    /// Intake by illness kind (index 0, not ill: 1).
    pub appetite: [f32; 8],
    /// Each location's water today, for the households' diarrhoea water factor
    /// (`water::household_factor`).
    pub water: &'a [crate::model::water::WaterToday],
}

/// Whether any child may still be breastfed on `day`: the scenario breastfeeds some, and the
/// youngest child at the start (0 years) is not yet weaned. From then on no household is scanned
/// for links (`nursing`).
pub(crate) fn nursing_possible(s: &crate::scenario::Scenario, day: u32) -> bool {
    let p = s.population();
    (p.breastfed_share_under_6m > 0.0 || p.breastfed_share_6_23m > 0.0) && years(day) < physiology::WEANED_AT_YEARS
}

/// Sums over a household's members in the household pass, in member order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MemberSums {
    /// Energy eaten today, kcal, and by how many members (those who ate: alive at the start of
    /// the day).
    pub eaten: f64,
    pub eaters: u64,
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
#[inline]
pub(crate) fn close_household(h: &mut Household, sums: MemberSums, t: &mut Tally) {
    h.next_need_kcal = sums.next_need;
    h.child_demand_kcal = sums.next_child;
    h.adult_demand_kcal = sums.next_adult;
    let home = &mut t.loc[h.home as usize];
    home.residents += u64::from(h.n_active);
    if h.mode == Mode::AtHome {
        home.residents_at_home += u64::from(h.n_active);
        t.home_intake += sums.eaten;
        t.home_eaters += sums.eaters;
    } else {
        t.away_intake += sums.eaten;
        t.away_eaters += sums.eaters;
    }
    if h.mode != Mode::InTransit {
        let here = &mut t.loc[h.location as usize];
        here.intake += sums.eaten;
        here.eaters += sums.eaters;
    }
    let eaten = sums.eaten.min(h.stock_kcal);
    h.stock_kcal = (h.stock_kcal - eaten).max(0.0);
    t.ledger.eaten += eaten;
    let w = &mut t.wealth[usize::from(h.wealth)];
    w.eaten += eaten;
    w.active += u64::from(h.n_active);
    t.need_sum += h.need_kcal;
}

/// A member of `h` dies today of `cause`.
pub(crate) fn record_death(m: &mut Person, cause: Cause, day: u32, h: &mut Household, t: &mut Tally) {
    m.status = Status::Dead;
    h.n_active -= 1;
    crate::model::disease::episode_over(h, m.illness);
    let card = (!m.is_child()).then(|| m.card_index());
    t.death(cause, m.age(day), m.sex(), card, h.location as usize);
    t.wealth[usize::from(h.wealth)].deaths += 1;
    if cause == Cause::Violence {
        t.loc[h.location as usize].victims += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::population::years;
    use crate::scenario::params::{PhysiologyParams, RationRegime};

    /// A household of a woman of 25 at `bmi` and her child of `age` years (ratio 1), linked.
    fn mother_and_child(bmi: f32, age: f32) -> Vec<Person> {
        let ph = PhysiologyParams::default();
        let (h, w) = (1.6f32, bmi * 1.6 * 1.6);
        let fat = physiology::initial_fat_kg(f64::from(w), f64::from(bmi), 25.0, Sex::Female);
        let (k, act, usual) = physiology::adult_baseline(&ph, fat, f64::from(w) - fat, f64::from(h), 25.0, Sex::Female);
        let mut mother = Person {
            height_m: h,
            fat_kg: fat as f32,
            lean_kg: w - fat as f32,
            weight_ratio: 0.0,
            base_kcal: k as f32,
            activity_per_kg: act as f32,
            ..Person::new(25.0, Sex::Female)
        };
        mother.set_usual_kcal(usual as f32);
        let mut child = Person {
            // Its own growth centile (`Person::own_ratio`): the reference.
            height_m: 1.0,
            ..Person::new(f64::from(age), Sex::Male)
        };
        child.set_mother(Some(0));
        vec![mother, child]
    }

    /// Today's breastfeeding of the household and each member's demand on the household, kcal.
    fn nursing_and_demands(members: &mut [Person], day: u32, c: &Coefs) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
        let (mut milk, mut lactation) = (vec![0.0; members.len()], vec![0.0; members.len()]);
        nursing(members, day, c, &mut milk, &mut lactation, &mut { u8::MAX });
        let demands = (0..members.len())
            .map(|i| {
                let p = &members[i];
                let age = p.age(day);
                food::demand_kcal(
                    p,
                    c,
                    age,
                    physiology::age_band(age),
                    milk[i],
                    lactation[i],
                    0.0,
                    None::<&RationRegime>,
                )
            })
            .collect();
        (milk, lactation, demands)
    }

    /// Design-round2.md §3.3 / MODEL.md §5.3: under 6 months a breastfed infant of a well-fed
    /// mother asks nothing of the household and, fed nothing else for 60 days, keeps its weight for
    /// age; its mother asks more, by the milk over the efficiency of its synthesis.
    #[test]
    fn a_breastfed_infant_of_a_well_fed_mother_needs_nothing_from_the_household() {
        let c = Coefs::new(&PhysiologyParams::default());
        let mut hh = mother_and_child(21.0, 0.1);
        let usual = hh[0].usual_kcal();
        for day in 0..60u32 {
            let (milk, lactation, demands) = nursing_and_demands(&mut hh, day, &c);
            assert_eq!(demands[1], 0.0, "day {day}: the infant asks {} kcal", demands[1]);
            assert_eq!(milk[1], 1.0);
            let age = hh[1].age(day);
            let need = physiology::child_need_kcal(age, Sex::Male);
            let expected = need / 0.8;
            assert!(
                (lactation[0] - expected).abs() < 1e-3 * expected && (demands[0] - usual - lactation[0]).abs() < 1e-3,
                "day {day}: mother spends {} more, asks {} (usual {usual})",
                lactation[0],
                demands[0]
            );
            // The infant's day on milk alone.
            let k = DayConsts {
                tables: Tables::new(One),
                coefs: &c,
                day,
                next_regime: None,
                nursing: true,
                cold: 0.0,
                next_cold: 0.0,
                work: [0.0; 8],
                next_work: [0.0; 8],
            };
            let shares = TierShares { child: 1.0, adult: 1.0 };
            hh[1].intake_kcal = demands[1];
            let o = member_day(One, &k, &Member::of(&hh[1], &shares, milk[1], 0.0, 0.0, &[1.0; 8]));
            hh[1].weight_ratio = o.weight_ratio;
            assert_eq!(o.intake_kcal, 0.0);
        }
        assert!(
            (hh[1].weight_ratio - 1.0).abs() < 1e-3,
            "ratio {} after 60 days on milk",
            hh[1].weight_ratio
        );
        // At 6–23 months the milk is partial: the child asks the rest of its need.
        let mut older = mother_and_child(21.0, 1.2);
        let (_, _, d) = nursing_and_demands(&mut older, 0, &c);
        let need = physiology::child_need_kcal(1.2, Sex::Male);
        assert!((d[1] - (need - 346.0)).abs() < 0.01, "asks {} of {need}", d[1]);
    }

    /// An infant whose mother dies (or is kidnapped) loses her milk: the link is cut, its whole
    /// need falls on the household, and its non-breastfed factor is Sankar's RR.
    #[test]
    fn an_infant_whose_mother_dies_eats_from_the_household_and_has_sankars_factor() {
        let ph = PhysiologyParams::default();
        let c = Coefs::new(&ph);
        for (age, rr, status) in [(0.2, 8.66, Status::Dead), (0.8, 2.0, Status::Kidnapped)] {
            let mut hh = mother_and_child(21.0, age);
            assert_eq!(non_breastfed_factor(&hh[1], age, &ph), 1.0);
            hh[0].status = status;
            let (milk, lactation, demands) = nursing_and_demands(&mut hh, 0, &c);
            assert_eq!(hh[1].mother(), None);
            assert_eq!((milk[1], lactation[0]), (0.0, 0.0));
            let need = physiology::child_need_kcal(age, Sex::Male);
            assert!((demands[1] - need).abs() < 1e-3, "asks {} of {need}", demands[1]);
            assert_eq!(non_breastfed_factor(&hh[1], age, &ph), rr);
            // The cut is for good: the mother's return does not restore it.
            hh[0].status = Status::Alive;
            assert_eq!(nursing_and_demands(&mut hh, 1, &c).0[1], 0.0);
        }
        // A child of 2 is weaned (and B no longer applies); an adult's B is 1.
        let mut hh = mother_and_child(21.0, 1.99);
        nursing_and_demands(&mut hh, 10, &c);
        assert_eq!(hh[1].mother(), None);
        assert_eq!(non_breastfed_factor(&hh[1], 1.99 + years(10), &ph), 1.0);
        assert_eq!(non_breastfed_factor(&hh[0], 25.0, &ph), 1.0);
    }

    /// The milk factor: full at BMI 17 and above, none at 14, half at 15.5; a thin mother's
    /// infant asks the household for the milk she cannot give.
    #[test]
    fn milk_falls_with_the_mothers_bmi() {
        let c = Coefs::new(&PhysiologyParams::default());
        for (bmi, factor) in [(22.0, 1.0), (17.0, 1.0), (15.5, 0.5), (14.0, 0.0), (12.0, 0.0)] {
            let mut hh = mother_and_child(bmi, 0.2);
            let (milk, lactation, demands) = nursing_and_demands(&mut hh, 0, &c);
            assert!((milk[1] - factor).abs() < 1e-5, "BMI {bmi}: factor {}", milk[1]);
            let need = physiology::child_need_kcal(0.2, Sex::Male);
            assert!(
                (demands[1] - need * (1.0 - factor)).abs() < 1e-2,
                "BMI {bmi}: asks {}",
                demands[1]
            );
            assert!((lactation[0] - need * factor / 0.8).abs() < 1e-2);
        }
    }

    /// A child of `age` at weight ratio `ratio` in a household of its own.
    fn child_at(age: f32, ratio: f32) -> Person {
        let mut c = mother_and_child(21.0, age)[1];
        c.set_mother(None);
        c.weight_ratio = ratio;
        c
    }

    /// MODEL.md §8b, eq. 7: therapeutic food goes to the household's wasted under-5s, the most
    /// wasted first, each its dose of 200 kcal per kg, until it runs out; and a child given it
    /// gains at the therapeutic rate (10 g/kg/day) where household food alone allows 2.
    #[test]
    fn rutf_goes_to_the_wasted_and_raises_their_gain_to_the_therapeutic_rate() {
        let c = Coefs::new(&PhysiologyParams::default());
        let (sam, mam, well) = (
            physiology::ratio_from_index(-3.5) as f32,
            physiology::ratio_from_index(-2.5) as f32,
            1.0,
        );
        let members = [
            child_at(2.0, well),
            child_at(2.0, mam),
            child_at(2.0, sam),
            child_at(7.0, sam),
        ];
        let weight = |r: f32| r * physiology::reference_weight_kg(2.0, Sex::Male);
        let mut h = crate::model::population::Household {
            first: 0,
            len: 4,
            home: 0,
            location: 0,
            mode: crate::model::population::Mode::AtHome,
            destination: 0,
            days_left: 0,
            transit_risk: 0.0,
            n_active: 4,
            stock_kcal: 0.0,
            livestock: 0,
            flight_threshold: 1.0,
            need_kcal: 0.0,
            child_demand_kcal: 0.0,
            adult_demand_kcal: 0.0,
            next_need_kcal: 0.0,
            demand_stale: false,
            days_here: 0,
            issued_kcal: 0.0,
            dry_days: 0,
            ors: 0,
            rutf_kcal: 200.0 * weight(sam) + 100.0,
            nurslings: 0,
            wealth: 0,
        };
        let mut rutf = [0.0f32; 4];
        assert!(therapeutic(&mut h, &members, 0, &c, &mut rutf));
        assert!(
            (rutf[2] - 200.0 * weight(sam)).abs() < 1e-2,
            "SAM child got {}",
            rutf[2]
        );
        assert!((rutf[1] - 100.0).abs() < 1e-2, "MAM child got the rest, {}", rutf[1]);
        assert_eq!(
            (rutf[0], rutf[3], h.rutf_kcal),
            (0.0, 0.0, 0.0),
            "not wasted / over 5 / left"
        );

        // The SAM child's day, fed twice its need from the household: with and without RUTF.
        let k = DayConsts {
            tables: Tables::new(One),
            coefs: &c,
            day: 0,
            next_regime: None,
            nursing: false,
            cold: 0.0,
            next_cold: 0.0,
            work: [0.0; 8],
            next_work: [0.0; 8],
        };
        let shares = TierShares { child: 2.0, adult: 1.0 };
        let gain = |demand: f32, rutf: f32| {
            let mut child = members[2];
            child.intake_kcal = demand;
            let o = member_day(One, &k, &Member::of(&child, &shares, 0.0, 0.0, rutf, &[1.0; 8]));
            1000.0 * (o.weight_ratio - sam) / sam
        };
        let need = physiology::child_need_kcal(2.0, Sex::Male);
        let (home, treated) = (gain(need, 0.0), gain(need, 200.0 * weight(sam)));
        assert!((home - 2.0).abs() < 0.01, "household food: {home} g/kg/day");
        assert!((treated - 10.0).abs() < 0.01, "on RUTF: {treated} g/kg/day");
        let only_rutf = gain(0.0, 200.0 * weight(sam));
        assert!(only_rutf > 2.0, "RUTF alone: {only_rutf} g/kg/day");
    }

    /// MODEL.md §5.4: the cold's extra spending is paid in full by someone not yet adapted to a
    /// deficit, and fades to nothing as their activity reaches the floor; a warm day is untouched.
    /// The child's spending follows the same response.
    #[test]
    fn the_cold_costs_the_unadapted_in_full_and_the_adapted_nothing() {
        let ph = PhysiologyParams::default();
        let c = Coefs::new(&ph);
        let floor = ph.activity_floor as f32;
        assert_eq!(physiology::cold_response(One, &c, 1.0), 1.0);
        assert_eq!(physiology::cold_response(One, &c, floor), 0.0);
        assert_eq!(physiology::cold_response(One, &c, 0.0), 0.0);
        let middle = physiology::cold_response(One, &c, (1.0 + floor) / 2.0);
        assert!((middle - 0.5).abs() < 1e-6, "halfway: {middle}");
        let never = Coefs::new(&PhysiologyParams {
            activity_floor: 1.0,
            ..PhysiologyParams::default()
        });
        assert_eq!(
            physiology::cold_response(One, &never, 0.5),
            1.0,
            "no adaptation, no fading"
        );

        let day = |cold: f32| DayConsts {
            tables: Tables::new(One),
            coefs: &c,
            day: 0,
            next_regime: None,
            nursing: false,
            cold,
            next_cold: cold,
            work: [0.0; 8],
            next_work: [0.0; 8],
        };
        let shares = TierShares { child: 1.0, adult: 1.0 };
        let (warm, cold) = (day(0.0), day(0.17));
        // A woman, a 10-year-old and a 1-year-old (whose factor follows eq. 3 though it cuts none
        // of its spending), fed 500 kcal, at activity a: what the cold costs them in a day.
        let loss = |k: &DayConsts<One>, a: f32, who: usize| {
            let mut p = if who == 2 {
                mother_and_child(20.0, 1.0)[1]
            } else {
                mother_and_child(20.0, 10.0)[who]
            };
            p.activity = a;
            p.intake_kcal = 500.0;
            let o = member_day(One, k, &Member::of(&p, &shares, 0.0, 0.0, 0.0, &[1.0; 8]));
            if who == 0 {
                (p.fat_kg + p.lean_kg) - (o.fat_kg + o.lean_kg)
            } else {
                p.weight_ratio - o.weight_ratio
            }
        };
        for who in [0, 1, 2] {
            assert!(
                loss(&cold, 1.0, who) > loss(&warm, 1.0, who) * 1.05,
                "member {who}: unadapted"
            );
            assert_eq!(
                loss(&cold, floor, who),
                loss(&warm, floor, who),
                "member {who}: at the floor"
            );
            let half = (1.0 + floor) / 2.0;
            assert!(
                loss(&cold, half, who) > loss(&warm, half, who) && loss(&cold, half, who) < loss(&cold, 1.0, who),
                "member {who}: halfway"
            );
        }
    }
}
