//! The household pass eight members at a time (AVX2; the module exists on x86-64 only, and runs
//! where `available()`), or sixteen (AVX-512, where `avx512_available()`).
//!
//! The arithmetic is not here: each member's day is `kernel::member_day`, the same function the
//! one-member-at-a-time loop (`MemberDay::members`, household.rs) runs, here on eight lanes
//! (`lanes::Avx2`, module `avx2`) or sixteen (`lanes::Avx512`, module `avx512`). This module is the plumbing around it: gathering the members' fields and
//! their households' shares, handing out the draws, writing the results back, and keeping the
//! sums and the draws in member order, so that the results are identical to the last bit
//! (tests/invariants.rs runs both paths on the shipped scenarios and on random ones and compares
//! every daily record, person and household). Only the order in which independent work is done
//! changes. A chunk of households is done in three sweeps:
//!
//! 1. each household's supply (as before), then the rations and their splits of all the chunk's
//!    households together (`food::Rations`, several to a vector instruction), into a small table
//!    (shares by tier, violence hazard, where its members end), and the chunk's draws in bulk:
//!    one per active member, in member order, as the one-at-a-time loop draws them;
//! 2. eight (or sixteen) members at a time: their fields loaded from the persons and transposed, their
//!    household's share and hazard broadcast from the table, the draws handed out to the living
//!    lanes in order, then
//!    their day (`kernel::member_day`) and a threshold above which the draw certainly means
//!    survival (`kernel::survival_threshold`: the hazards' own shortcut, see `Hazards::cause`, in
//!    f32 and raised by a margin that covers its rounding, `kernel::SurvivalMargin`);
//! 3. in member order: the floating-point sums, and for the few members whose draw fell below the
//!    threshold the exact hazard (`Hazards::cause`) and any death.

use super::disease;
use super::food::{self, Rations};
use super::kernel::{self, Member, MemberDay, MemberSums, close_household, record_death, violence_on};
use super::lanes::{Avx2, Lanes, One};
use super::physiology::Sex;
use super::population::{Household, Person, Status};
use super::rng;
use super::tally::{Nutrition, Sum, Tally};
use super::water;
use super::{Chunk, LocDay};
use crate::model::mortality::{Care, Hazards};
use crate::model::physiology;
use crate::model::population::Cause;
use std::cell::RefCell;

/// Whether this processor can run the vector pass.
pub fn available() -> bool {
    Avx2::new().is_some()
}

/// Whether this processor can run the vector pass sixteen members at a time (AVX-512, module
/// `avx512`).
pub fn avx512_available() -> bool {
    available() && avx512::available()
}

/// What the members of one household share today (sweep 1); sweep 2 broadcasts it to the lanes
/// of the household's members.
#[derive(Clone, Copy)]
#[repr(C)]
struct HouseholdDay {
    /// The share of demand children and adults get (`TierShares`), in that order.
    share: [f64; 2],
    /// The violence hazard the members face.
    violence: f64,
    /// The end of the members' range in the chunk.
    end: u32,
    /// The violence hazard as f32 (for sweep 2's survival threshold, which has its own margin), or
    /// −1 if the household has no active members (they are not visited).
    violence_f32: f32,
}

impl HouseholdDay {
    /// After the chunk's last household: no members, inactive.
    const END: HouseholdDay = HouseholdDay {
        share: [0.0; 2],
        violence: 0.0,
        end: u32::MAX,
        violence_f32: -1.0,
    };
}

/// A member's fate today as sweep 2 leaves it: not alive (or of an inactive household); alive and
/// sure to survive; alive, with the hazard to work out exactly. A living member whose weight
/// ratio fell today (a child's energy balance was negative, which its inanition hazard reads,
/// `Hazards::of`) has the bit LOSING set too: sweep 2 overwrites the ratio, so sweep 3 cannot
/// compare it.
const NOT_ALIVE: u8 = 0;
const SURE: u8 = 1;
const EXACT: u8 = 2;
const LOSING: u8 = 4;
/// Sweep 3 marks a member (EXACT before) who died of the exact hazard today.
const DIED: u8 = 3;

/// Working arrays of one chunk (a chunk at a time per thread, reused day after day).
#[derive(Default)]
struct Scratch {
    /// The chunk's households, then `HouseholdDay::END`.
    households: Vec<HouseholdDay>,
    /// The chunk's draws, one word per active member in member order (and room for a block more).
    words: Vec<u32>,
    /// Per member: the draw, a word (`rng::word_uniform` makes it the uniform).
    word: Vec<u32>,
    /// Today's intake before rounding to f32, kcal.
    intake: Vec<f64>,
    /// The same, rounded to f32 (what the person eats), as f64.
    intake_f32: Vec<f64>,
    /// An adult's BMI after today's energy balance, 0 for a child.
    bmi: Vec<f64>,
    /// Tomorrow's demand if a child tomorrow, else 0; and if an adult, else 0, kcal (the one that
    /// is not 0 is the demand).
    young_demand: Vec<f64>,
    adult_demand: Vec<f64>,
    /// NOT_ALIVE, SURE or EXACT, with the bit LOSING; DIED once sweep 3 has recorded a death.
    fate: Vec<u8>,
    /// Today's age band (sweep 2 leaves tomorrow's in the person).
    band: Vec<u8>,
    /// Breastfeeding today (cleared for the whole chunk, then `kernel::nursing` in each household
    /// with nurslings), while anyone may be breastfed: a child's milk factor and a mother's extra
    /// expenditure, kcal; 0 for everyone else.
    milk: Vec<f32>,
    lactation: Vec<f32>,
    /// Therapeutic food given today (`kernel::therapeutic`), kcal; and whether any entry is not 0
    /// (it is cleared before the next day's).
    rutf: Vec<f32>,
    rutf_given: bool,
    /// The members whose hazard sweep 2 left to work out exactly (fate EXACT), in member order.
    exact: Vec<u32>,
    /// Each active household's ration, in household order (sweep 1).
    rations: Rations,
}

impl Scratch {
    /// Room for `n` members (rounded up to whole blocks). The arrays only grow: chunks differ in
    /// size, and shrinking then growing them again cleared their tails for nothing, chunk after
    /// chunk (7% of a run's instructions in memset). Every entry whose value counts is written
    /// first in the same chunk (`rutf` is cleared whole, `rutf_given`); the lanes of members of
    /// inactive households read what an earlier chunk left in `milk` and `lactation` (on a day
    /// when nobody may be breastfed) and are discarded, as they were when consecutive chunks had
    /// the same size.
    fn resize(&mut self, n: usize) {
        fn grow<T: Copy + Default>(v: &mut Vec<T>, n: usize) {
            if v.len() < n {
                v.resize(n, T::default());
            }
        }
        let n = n.next_multiple_of(WIDEST);
        grow(&mut self.word, n);
        grow(&mut self.intake, n);
        grow(&mut self.intake_f32, n);
        grow(&mut self.bmi, n);
        grow(&mut self.young_demand, n);
        grow(&mut self.adult_demand, n);
        grow(&mut self.fate, n);
        grow(&mut self.band, n);
        grow(&mut self.milk, n);
        grow(&mut self.lactation, n);
        grow(&mut self.rutf, n);
    }
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Members per vector step of the AVX2 sweep.
const LANES: usize = 8;
/// Members per vector step of the widest sweep (AVX-512): the scratch arrays are padded to a
/// multiple of it, and the draws by as much.
const WIDEST: usize = 16;

/// The household pass over one chunk (households `hhs`, persons from `p0`), sweep 2 sixteen members
/// at a time if `avx512`, else eight; callers check `available()` first (and `avx512_available()`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn household_pass(
    ctx: &MemberDay,
    loc_day: &[LocDay],
    hhs: &mut [Household],
    persons: &mut [Person],
    p0: usize,
    chunk: &mut Chunk,
    avx512: bool,
) {
    let (rng, disease_rng, t, cash) = (
        &mut chunk.rng,
        &mut chunk.disease_rng,
        &mut chunk.tally,
        &mut chunk.cash,
    );
    SCRATCH.with(|sc| {
        let sc = &mut *sc.borrow_mut();
        sc.resize(persons.len());
        // Sweep 1: each household's supply, ration and split; the draws of its active members.
        sc.households.clear();
        sc.exact.clear();
        sc.rations.clear();
        let mut draws = 0;
        if sc.rutf_given {
            sc.rutf.fill(0.0);
            sc.rutf_given = false;
        }
        if ctx.nursing {
            // Cleared once for the chunk: `kernel::nursing` writes only the breastfed.
            sc.milk[..persons.len()].fill(0.0);
            sc.lactation[..persons.len()].fill(0.0);
        }
        for (i, h) in hhs.iter_mut().enumerate() {
            let end = h.members_from(p0).end as u32;
            if h.n_active == 0 {
                sc.households.push(HouseholdDay {
                    end,
                    ..HouseholdDay::END
                });
                continue;
            }
            let ld = &loc_day[h.location as usize];
            sc.rations.push(food::supply(ctx.f, h, ld, cash.get_mut(i), t));
            if let Some(o) = &ctx.onsets {
                let w = water::household_factor(ctx.water, h);
                disease::household_onsets(h, &mut persons[h.members_from(p0)], o, w, disease_rng, t);
            }
            let violence = violence_on(h, ld);
            if ctx.nursing && h.nurslings > 0 {
                let r = h.members_from(p0);
                t.breastfed += kernel::nursing(
                    &mut persons[r.clone()],
                    ctx.day,
                    &ctx.coefs,
                    &mut sc.milk[r.clone()],
                    &mut sc.lactation[r],
                    &mut h.nurslings,
                );
            }
            if h.rutf_kcal > 0.0 {
                let r = h.members_from(p0);
                sc.rutf_given |= kernel::therapeutic(h, &persons[r.clone()], ctx.day, &ctx.coefs, &mut sc.rutf[r]);
            }
            sc.households.push(HouseholdDay {
                // Set below, with the other households' rations.
                share: [0.0; 2],
                violence,
                end,
                violence_f32: violence as f32,
            });
            draws += usize::from(h.n_active);
        }
        // The rations and their splits, several households to a vector instruction.
        // SAFETY: as for the sweep below.
        unsafe {
            if avx512 {
                avx512::split(ctx.f, &mut sc.rations);
            } else {
                avx2::split(ctx.f, &mut sc.rations);
            }
        }
        let active = sc.households.iter_mut().filter(|hd| hd.violence_f32 >= 0.0);
        for (hd, (&child, &adult)) in active.zip(sc.rations.child.iter().zip(&sc.rations.adult)) {
            hd.share = [child, adult];
        }
        sc.households.push(HouseholdDay::END);
        if sc.words.len() < draws + WIDEST {
            sc.words.resize(draws + WIDEST, 0);
        }
        rng::words(rng, &mut sc.words[..draws]);
        // Sweep 2: the members eight (or sixteen) at a time, drawing in member order.
        // The counts of the members sure to survive (sweep 3 counts the others who do).
        let mut counts = Nutrition::default();
        // SAFETY: the caller checked `available()` (and `avx512_available()` for `avx512`); the
        // scratch arrays are padded to a multiple of WIDEST, the draws by WIDEST.
        unsafe {
            if avx512 {
                avx512::sweep(ctx, persons, sc, draws, &mut counts);
            } else {
                avx2::sweep(ctx, persons, sc, draws, &mut counts);
            }
        }
        // Sweep 3: exact hazards and deaths where the draw was low, then the sums in member order.
        // The exact hazards come first, in member order (sweep 2 listed them): they are rare, and
        // a call, which in the summing loop would make it keep its sums in memory. Deaths touch
        // only the person, the household's counts and the tally's counts, none of which the sums
        // read, and each household is closed after its deaths as before.
        let hazards = &*ctx.hazards;
        let n = persons.len();
        let (fates, intakes) = (&mut sc.fate[..n], &sc.intake[..n]);
        let mut at = 0;
        for &j in &sc.exact {
            let j = j as usize;
            while sc.households[at].end as usize <= j {
                at += 1;
            }
            let (h, hd) = (&mut hhs[at], &sc.households[at]);
            let draw = Draw {
                u: rng::word_uniform(sc.word[j]),
                violence: hd.violence,
                band: sc.band[j],
                index: p0 + j,
                losing: fates[j] & LOSING != 0,
                intake: intakes[j],
                care: Care {
                    day: ctx.day,
                    access: loc_day[h.location as usize].care,
                    ors: h.ors > 0,
                },
            };
            if dies(hazards, &mut persons[j], draw, ctx.day, h, t) {
                fates[j] = DIED;
                // Her infants' demands for tomorrow counted her milk.
                h.demand_stale |= ctx.nursing && sc.lactation[j] > 0.0;
            }
        }
        sums(hhs, sc, n, t);
        t.nutrition.add(&counts);
    });
}

/// Sweep 3's sums over the chunk's `n` members, in member order, and each active household's
/// close (`close_household`), after the exact hazards. A function of its own, with no call
/// inside, so that its sums stay in registers (within the household pass they were kept in
/// memory). The tally's sums are carried in locals (same additions, same order); adding the +0.0
/// of a child's BMI or of the other tier's demand leaves a sum (never −0.0) as it is, so that no
/// branch on the class is needed.
#[inline(never)]
fn sums(hhs: &mut [Household], sc: &Scratch, n: usize, t: &mut Tally) {
    let (fates, intakes, intakes_f32) = (&sc.fate[..n], &sc.intake[..n], &sc.intake_f32[..n]);
    let bmis = &sc.bmi[..n];
    let (young, adult) = (&sc.young_demand[..n], &sc.adult_demand[..n]);
    let (mut intake_sum, mut adult_bmi_sum) = (t.intake_sum, t.adult_bmi_sum);
    let mut i = 0;
    for (h, hd) in hhs.iter_mut().zip(&sc.households) {
        let (members, end) = (i..hd.end as usize, hd.end as usize);
        i = end;
        if hd.violence_f32 < 0.0 {
            continue;
        }
        let mut sums = MemberSums::default();
        for j in members {
            let fate = fates[j];
            if fate == NOT_ALIVE {
                continue;
            }
            sums.eaten += intakes[j];
            sums.eaters += 1;
            intake_sum += intakes_f32[j];
            if fate == DIED {
                continue;
            }
            adult_bmi_sum += bmis[j];
            // The demand: one of the two is +0.0, and adding it is exact.
            sums.next_need += young[j] + adult[j];
            sums.next_child += young[j];
            sums.next_adult += adult[j];
        }
        close_household(h, sums, t);
    }
    t.intake_sum = intake_sum;
    t.adult_bmi_sum = adult_bmi_sum;
}

/// A member's draw and what the exact hazard needs besides the member.
struct Draw {
    u: f64,
    violence: f64,
    /// Today's band.
    band: u8,
    /// The member's index in the population.
    index: usize,
    /// Whether the member's weight ratio fell today.
    losing: bool,
    /// Today's intake, kcal.
    intake: f64,
    /// Care where the member is, and the household's ORS.
    care: Care,
}

/// The exact hazard of a member whose draw fell below the threshold of sweep 2: either a death
/// (the dead keep today's intake and band), or a survivor to count (as `MemberDay::members`
/// does; the BMI sum is sweep 3's). Out of line, as it is rare.
#[cold]
#[inline(never)]
fn dies(hazards: &Hazards, m: &mut Person, d: Draw, day: u32, h: &mut Household, t: &mut Tally) -> bool {
    let cause = hazards.cause(m, d.index, d.band, d.losing, d.u, d.violence, d.care);
    if cause == Cause::None {
        let wasting = physiology::wasting_band(physiology::child_index(m.weight_ratio));
        let band = i32::from(d.band);
        t.nutrition.count(&kernel::classes(
            One,
            true,
            m.is_child(),
            band,
            i32::from(wasting),
            m.bmi(),
        ));
        return false;
    }
    m.intake_kcal = d.intake as f32;
    m.band = d.band;
    record_death(m, cause, day, h, t);
    true
}

/// `rng::word_uniform` of the lanes' words, in f32, to within 2^-24: the word as f32 (adding 2^31,
/// which flips the top bit, makes it a signed integer 2^31 less), plus 2^31, times 2^-32. Each step
/// rounds by at most half a unit of the last place: 2^6 and 2^7 of a word at most.
#[inline(always)]
fn draw_f32<L: Lanes>(l: L, words: L::I) -> L::F {
    (l.float(l.add_i(words, l.splat_i(i32::MIN))) + l.splat(2_147_483_648.0)) * l.splat(1.0 / 4_294_967_296.0)
}

/// What a person's last word holds, on lanes: the four bytes kind (bit 0 female, bit 1 child, bits
/// 2–3 the card), status, band and illness, lowest byte first.
struct Flags<L: Lanes> {
    female: L::M,
    /// Status alive.
    living: L::M,
    child: L::M,
    /// `Person::work_index`: the card times two, plus the female bit.
    work_index: L::I,
    /// Today's age band.
    band: L::I,
    /// The illness byte: its kind (low 3 bits) picks the appetite (`lookup` reads an index
    /// modulo 8), and with it the bound of the infection's hazard in the survival threshold.
    illness: L::I,
    /// Not ill.
    well: L::M,
}

impl<L: Lanes> Flags<L> {
    #[inline(always)]
    fn of(l: L, word: L::I) -> Self {
        let is = |shift: u32, mask: i32, value: i32| l.eq_i(l.bits_of(word, shift, mask), l.splat_i(value));
        Flags {
            female: is(0, 1, 1),
            living: is(8, 0xff, 0),
            child: is(1, 1, 1),
            work_index: l.or_i(l.bits_of(word, 1, 0b110), l.bits_of(word, 0, 1)),
            band: l.bits_of(word, 16, 0xff),
            illness: l.bits_of(word, 24, 0xff),
            well: is(24, 0xff, 0),
        }
    }
}

/// A block's members as the kernel takes them: their words (`field(k)`: word k of each, as
/// `Person` lays them out) and flags, whether alive, their tier's share, and their milk factor,
/// lactation and therapeutic food today (`extra`).
#[inline(always)]
fn member<L: Lanes>(
    l: L,
    field: impl Fn(usize) -> L::F,
    flags: &Flags<L>,
    alive: L::M,
    share: L::D,
    extra: [L::F; 3],
    appetite: L::Table,
) -> Member<L> {
    use avx2::{ACTIVITY, ACTIVITY_PER_KG, AGE0, BASE, FAT, HEIGHT, INTAKE, LEAN, RATIO};
    let [milk_factor, lactation_kcal, rutf_kcal] = extra;
    Member {
        age0_years: field(AGE0),
        height_m: field(HEIGHT),
        fat_kg: field(FAT),
        lean_kg: field(LEAN),
        weight_ratio: field(RATIO),
        base_kcal: field(BASE),
        activity_per_kg: field(ACTIVITY_PER_KG),
        activity: field(ACTIVITY),
        demand_kcal: field(INTAKE),
        female: flags.female,
        work_index: flags.work_index,
        child: flags.child,
        band: flags.band,
        alive,
        ill: l.and_not(alive, flags.well),
        illness: flags.illness,
        share,
        milk_factor,
        lactation_kcal,
        rutf_kcal,
        appetite: l.lookup(appetite, flags.illness),
    }
}

/// Where sweep 2's blocks are in the chunk's households and draws.
struct Cursor {
    /// The household of the next block's first member.
    household: usize,
    /// The next draw.
    draw: usize,
}

/// Sweep 2's walk over a chunk's persons in blocks of `N` members (the last few padded with the
/// dead, `PAD`): `block(persons, scratch, at, cursor)` for each, given `N` persons and scratch
/// arrays of at least `at + N` entries; then the check that every active member drew once.
#[inline(always)]
fn blocks<const N: usize>(
    persons: &mut [Person],
    sc: &mut Scratch,
    draws: usize,
    mut block: impl FnMut(&mut [Person], &mut Scratch, usize, &mut Cursor),
) {
    let n = persons.len();
    assert!(sc.fate.len() >= n.next_multiple_of(N) && sc.words.len() >= draws + N);
    assert!(sc.households.last().is_some_and(|h| h.end == u32::MAX));
    let mut by = Cursor { household: 0, draw: 0 };
    let mut pad = [PAD; N];
    for at in (0..n).step_by(N) {
        let full = at + N <= n;
        let persons_here: &mut [Person] = if full {
            &mut persons[at..at + N]
        } else {
            pad[..n - at].copy_from_slice(&persons[at..]);
            &mut pad
        };
        block(persons_here, sc, at, &mut by);
        if !full {
            persons[at..].copy_from_slice(&pad[..n - at]);
        }
    }
    // Every active member drew exactly once (n_active counts them).
    assert_eq!(by.draw, draws, "draws used");
}

/// The padding of a last, short block: dead, so nothing is done to it.
const PAD: Person = Person {
    age0_years: 30.0,
    height_m: 1.0,
    fat_kg: 0.0,
    lean_kg: 0.0,
    weight_ratio: 1.0,
    base_kcal: 0.0,
    activity_per_kg: 0.0,
    activity: 1.0,
    intake_kcal: 0.0,
    kind: Person::kind(Sex::Male, false),
    status: Status::Dead,
    band: 0,
    illness: 0,
};

mod avx2 {
    use super::{Cursor, EXACT, Flags, LANES, LOSING, MemberDay, Nutrition, Person, Scratch};
    use crate::model::food::Rations;
    use crate::model::kernel::{self, DayConsts, HazardLanes};
    use crate::model::lanes::{Avx2, Lanes};
    use crate::model::physiology::{self, Sex, Tables};
    use crate::model::population::Status;
    use crate::scenario::params::FoodParams;
    use std::arch::x86_64::*;
    use std::mem::offset_of;

    // The person's fields as 32-bit words, for the gathers (Person is repr(C)).
    pub(super) const WORDS: i32 = (size_of::<Person>() / 4) as i32;
    pub(super) const AGE0: usize = offset_of!(Person, age0_years) / 4;
    pub(super) const HEIGHT: usize = offset_of!(Person, height_m) / 4;
    pub(super) const FAT: usize = offset_of!(Person, fat_kg) / 4;
    pub(super) const LEAN: usize = offset_of!(Person, lean_kg) / 4;
    pub(super) const RATIO: usize = offset_of!(Person, weight_ratio) / 4;
    pub(super) const BASE: usize = offset_of!(Person, base_kcal) / 4;
    pub(super) const ACTIVITY_PER_KG: usize = offset_of!(Person, activity_per_kg) / 4;
    pub(super) const ACTIVITY: usize = offset_of!(Person, activity) / 4;
    pub(super) const INTAKE: usize = offset_of!(Person, intake_kcal) / 4;
    // The four bytes kind (bit 0 female, bit 1 child), status, band and illness make the last
    // word, lowest byte first.
    pub(super) const FLAGS: usize = offset_of!(Person, kind) / 4;
    const _: () = {
        assert!(size_of::<Person>() == 40);
        assert!(offset_of!(Person, kind) == 36);
        assert!(offset_of!(Person, status) == 37);
        assert!(offset_of!(Person, band) == 38);
        assert!(Person::kind(Sex::Female, false) == 1 && Person::kind(Sex::Male, true) == 2);
        // The write-back stores fat, lean, weight ratio and base as one, activity and intake too.
        assert!(offset_of!(Person, lean_kg) == offset_of!(Person, fat_kg) + 4);
        assert!(offset_of!(Person, weight_ratio) == offset_of!(Person, fat_kg) + 8);
        assert!(offset_of!(Person, base_kcal) == offset_of!(Person, fat_kg) + 12);
        assert!(offset_of!(Person, intake_kcal) == offset_of!(Person, activity) + 4);
        assert!(Status::Alive as u8 == 0);
        assert!(Sex::Female as u8 == 1);
        // `persons_by_field` transposes the ten words as 4 + 4 + 2.
        assert!(WORDS == 10);
        assert!(super::SURE == EXACT - 1 && super::NOT_ALIVE == 0);
        // LOSING is a bit of its own, not one of SURE's or EXACT's.
        assert!((super::SURE | EXACT) & LOSING == 0);
    };

    /// `Rations::split`, four households to an instruction.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn split(f: &FoodParams, rations: &mut Rations) {
        rations.split(f);
    }

    /// Sweep 2 of the household pass over a chunk's persons (the last few padded with the dead).
    ///
    /// # Safety
    /// AVX2 must be available; every scratch array holds at least `persons.len()` rounded up to a
    /// multiple of LANES entries.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn sweep(
        ctx: &MemberDay,
        persons: &mut [Person],
        sc: &mut Scratch,
        draws: usize,
        counts: &mut Nutrition,
    ) {
        // SAFETY: the caller checked that the processor has AVX2.
        let l = unsafe { Avx2::new_unchecked() };
        let k = Consts::new(l, ctx);
        super::blocks::<LANES>(persons, sc, draws, |block, sc, at, by| {
            // SAFETY: `blocks` gives LANES persons and the scratch arrays LANES entries from `at`.
            unsafe { members(l, &k, block, sc, at, by, counts) }
        });
    }

    /// `RANKS[m][j]`: how many of the lanes before lane j are set in the mask m.
    const RANKS: [[u8; LANES]; 256] = {
        let mut r = [[0u8; LANES]; 256];
        let mut m = 0;
        while m < 256 {
            let mut j = 1;
            while j < LANES {
                r[m][j] = r[m][j - 1] + ((m >> (j - 1)) & 1) as u8;
                j += 1;
            }
            m += 1;
        }
        r
    };

    /// The day's constants as vectors.
    pub(super) struct Consts<'a, L: Lanes> {
        pub day: DayConsts<'a, L>,
        pub hazards: HazardLanes<'a, L>,
        /// Intake by illness kind (`MemberDay::appetite`).
        pub appetite: L::Table,
    }

    impl<'a, L: Lanes> Consts<'a, L> {
        #[inline(always)]
        pub fn new(l: L, ctx: &'a MemberDay) -> Self {
            Consts {
                day: DayConsts {
                    tables: Tables::new(l),
                    coefs: &ctx.coefs,
                    day: ctx.day,
                    next_regime: ctx.next_regime,
                    nursing: ctx.nursing,
                    cold: ctx.cold,
                    next_cold: ctx.next_cold,
                    work: l.table(&ctx.work),
                    next_work: l.table(&ctx.next_work),
                },
                hazards: HazardLanes::new(l, &ctx.hazards),
                appetite: l.table(&ctx.appetite),
            }
        }
    }

    /// A mask of eight 32-bit lanes as two of four 64-bit lanes (lanes 0–3, then 4–7).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn widen_mask(m: __m256i) -> [__m256d; 2] {
        [
            _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_castsi256_si128(m))),
            _mm256_castsi256_pd(_mm256_cvtepi32_epi64(_mm256_extracti128_si256::<1>(m))),
        ]
    }

    /// Eight persons' words 2–5 (fat, lean, weight ratio, base, the last unchanged) and 7–8
    /// (activity, intake) from their fields, lane j to person j: transposed, then one store each.
    ///
    /// # Safety
    /// AVX2 must be available and `to` point to LANES persons.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn write_persons(to: *mut Person, fields: [__m256; 6]) {
        let [fat, lean, ratio, base_kcal, activity, intake_out] = fields;
        // SAFETY: the caller's.
        unsafe {
            let (t0, t1) = (_mm256_unpacklo_ps(fat, lean), _mm256_unpackhi_ps(fat, lean));
            let (t2, t3) = (
                _mm256_unpacklo_ps(ratio, base_kcal),
                _mm256_unpackhi_ps(ratio, base_kcal),
            );
            let quads = [
                _mm256_shuffle_ps::<0x44>(t0, t2),
                _mm256_shuffle_ps::<0xEE>(t0, t2),
                _mm256_shuffle_ps::<0x44>(t1, t3),
                _mm256_shuffle_ps::<0xEE>(t1, t3),
            ];
            let pairs = [
                _mm256_unpacklo_ps(activity, intake_out),
                _mm256_unpackhi_ps(activity, intake_out),
            ];
            let quad_at = |j: usize| (&raw mut (*to.add(j)).fat_kg);
            let pair_at = |j: usize| (&raw mut (*to.add(j)).activity).cast::<f64>();
            for (j, q) in quads.into_iter().enumerate() {
                // Persons j and j + 4.
                _mm_storeu_ps(quad_at(j), _mm256_castps256_ps128(q));
                _mm_storeu_ps(quad_at(j + 4), _mm256_extractf128_ps::<1>(q));
            }
            for (j, pair) in pairs.into_iter().enumerate() {
                // Persons 2j, 2j + 1, 2j + 4, 2j + 5.
                let (low, high) = (
                    _mm_castps_pd(_mm256_castps256_ps128(pair)),
                    _mm_castps_pd(_mm256_extractf128_ps::<1>(pair)),
                );
                _mm_storel_pd(pair_at(2 * j), low);
                _mm_storeh_pd(pair_at(2 * j + 1), low);
                _mm_storel_pd(pair_at(2 * j + 4), high);
                _mm_storeh_pd(pair_at(2 * j + 5), high);
            }
        }
    }

    /// The ten 32-bit words of eight persons from `ps` on, transposed: entry k holds word k of
    /// the eight, person j in lane j (Person is repr(C), ten words). Loads and shuffles instead of
    /// ten gathers, which cost more on the processors measured (BENCHMARKS.md, fifteenth round).
    ///
    /// # Safety
    /// AVX2 must be available and `ps` point to LANES persons.
    #[inline]
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn persons_by_field(ps: *const Person) -> [__m256; WORDS as usize] {
        let word = |j: usize, k: usize| unsafe { ps.add(j).cast::<f32>().add(k) };
        let mut out = [_mm256_setzero_ps(); WORDS as usize];
        // Words 0–3 and 4–7: rows of persons j (low half) and j + 4 (high half), transposed four
        // by four within each half.
        for k0 in [0, 4] {
            // SAFETY: words k0..k0 + 4 of persons 0..8.
            let row = |j: usize| unsafe { _mm256_loadu2_m128(word(j + 4, k0), word(j, k0)) };
            let (a, b, c, d) = (row(0), row(1), row(2), row(3));
            let (t0, t1) = (_mm256_unpacklo_ps(a, b), _mm256_unpackhi_ps(a, b));
            let (t2, t3) = (_mm256_unpacklo_ps(c, d), _mm256_unpackhi_ps(c, d));
            out[k0] = _mm256_shuffle_ps::<0x44>(t0, t2);
            out[k0 + 1] = _mm256_shuffle_ps::<0xEE>(t0, t2);
            out[k0 + 2] = _mm256_shuffle_ps::<0x44>(t1, t3);
            out[k0 + 3] = _mm256_shuffle_ps::<0xEE>(t1, t3);
        }
        // Words 8 and 9: each person's pair as one 64-bit load, persons 0, 1, 4, 5 in one vector
        // and 2, 3, 6, 7 in the other, then the even and the odd words.
        // SAFETY: words 8 and 9 of persons 0..8.
        let pairs = |j: usize| unsafe {
            let lo = _mm_loadh_pd(_mm_load_sd(word(j, 8).cast()), word(j + 1, 8).cast());
            let hi = _mm_loadh_pd(_mm_load_sd(word(j + 4, 8).cast()), word(j + 5, 8).cast());
            _mm256_castpd_ps(_mm256_set_m128d(hi, lo))
        };
        let (a, b) = (pairs(0), pairs(2));
        out[8] = _mm256_shuffle_ps::<0x88>(a, b);
        out[9] = _mm256_shuffle_ps::<0xDD>(a, b);
        out
    }

    /// One block of eight members (`ps`, the scratch arrays from `at`): their fields gathered,
    /// their day (`kernel::member_day`) and survival threshold, then written back.
    ///
    /// # Safety
    /// AVX2 must be available; `ps` holds LANES persons and every scratch array at least
    /// `at + LANES` entries.
    #[inline]
    #[target_feature(enable = "avx2")]
    unsafe fn members(
        l: Avx2,
        k: &Consts<Avx2>,
        ps: &mut [Person],
        sc: &mut Scratch,
        at: usize,
        by: &mut Cursor,
        counts: &mut Nutrition,
    ) {
        let zero = _mm256_setzero_ps();

        // The eight members' ten words, field by field (`persons_by_field`).
        // SAFETY: `ps` holds LANES persons.
        let fields = unsafe { persons_by_field(ps.as_ptr()) };
        let field = |k: usize| fields[k];
        let demand = field(INTAKE);
        let flags = Flags::of(l, l.i(_mm256_castps_si256(field(FLAGS))));
        let (living, child, band) = (flags.living.raw(), flags.child.raw(), flags.band.raw());

        // Each lane's household in sweep 1's table (HouseholdDay::END past the last): the day is
        // done for the living of active households.
        let hh = &sc.households;
        while hh[by.household].end as usize <= at {
            by.household += 1;
        }
        // The household's violence hazard (f32) and shares, broadcast, then those of each later
        // household blended into the lanes from its first member on (loads and blends instead of
        // gathers from the table, which cost more on the processors measured).
        let lane = _mm256_add_epi32(_mm256_set1_epi32(at as i32), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        let first = &hh[by.household];
        let mut violence = _mm256_set1_ps(first.violence_f32);
        let [mut child_share, mut adult_share] = first.share.map(|s| [_mm256_set1_pd(s); 2]);
        let mut later = by.household;
        while (hh[later].end as usize) < at + LANES {
            // The lanes from this household's end on are in a later one.
            let past = _mm256_cmpgt_epi32(lane, _mm256_set1_epi32(hh[later].end as i32 - 1));
            later += 1;
            let next = &hh[later];
            violence = _mm256_blendv_ps(violence, _mm256_set1_ps(next.violence_f32), _mm256_castsi256_ps(past));
            let past = widen_mask(past);
            for half in 0..2 {
                let (child, adult) = (_mm256_set1_pd(next.share[0]), _mm256_set1_pd(next.share[1]));
                child_share[half] = _mm256_blendv_pd(child_share[half], child, past[half]);
                adult_share[half] = _mm256_blendv_pd(adult_share[half], adult, past[half]);
            }
        }
        // Not below 0: the exact complement of sweep 3's test for an inactive household.
        let active = _mm256_cmp_ps::<_CMP_NLT_UQ>(violence, zero);
        let alive = _mm256_and_ps(living, active);
        // The tier's share: the children's in a child's band today, else the adults'.
        let young = widen_mask(_mm256_castps_si256(physiology::is_young(l, l.i(band)).raw()));
        let share_lo = _mm256_blendv_pd(adult_share[0], child_share[0], young[0]);
        let share_hi = _mm256_blendv_pd(adult_share[1], child_share[1], young[1]);
        // The draws, in member order, for the lanes that draw.
        let drawing = _mm256_movemask_ps(alive) as usize;
        // SAFETY: RANKS rows have LANES bytes.
        let ranks = _mm256_cvtepu8_epi32(unsafe { _mm_loadl_epi64(RANKS[drawing].as_ptr().cast()) });
        // The lanes that draw take the next words in order: the eight from the cursor on,
        // permuted by rank (a gather costs more than a load and a permute); 0 for the others.
        assert!(by.draw + LANES <= sc.words.len(), "more draws than the chunk's");
        // SAFETY: just checked.
        let next_words = unsafe { _mm256_loadu_si256(sc.words.as_ptr().add(by.draw).cast()) };
        let words = _mm256_and_si256(
            _mm256_permutevar8x32_epi32(next_words, ranks),
            _mm256_castps_si256(alive),
        );
        let u = super::draw_f32(l, l.i(words)).raw();
        by.draw += drawing.count_ones() as usize;
        // Breastfeeding's values of the eight (0 once nobody may be breastfed).
        let nursed = |v: &[f32]| {
            if k.day.nursing {
                // SAFETY: every scratch array has at least `at + LANES` entries.
                l.f(unsafe { _mm256_loadu_ps(v.as_ptr().add(at)) })
            } else {
                l.splat(0.0)
            }
        };

        // The day, the survival threshold and whether the draw is surely above it.
        let rutf = if sc.rutf_given {
            // SAFETY: as `nursed`.
            l.f(unsafe { _mm256_loadu_ps(sc.rutf.as_ptr().add(at)) })
        } else {
            l.splat(0.0)
        };
        let m = super::member(
            l,
            |k| l.f(field(k)),
            &flags,
            l.m(alive),
            l.d(share_lo, share_hi),
            [nursed(&sc.milk), nursed(&sc.lactation), rutf],
            k.appetite,
        );
        let o = kernel::member_day(l, &k.day, &m);
        let th = kernel::survival_threshold(l, &k.hazards, &m, &o);
        let sure = l.and_not(
            kernel::survives(l, l.f(u), th.starvation, l.f(violence), th.background),
            th.exact,
        );

        // What the day's tally counts of the members sure to survive (Nutrition::count).
        let survivor = m.alive & sure;
        let c = &o.classes;
        let count = |class| u64::from((survivor & class).bits().count_ones());
        counts.active_n += u64::from(m.alive.bits().count_ones());
        counts.u5_n += count(c.under5);
        counts.u5_gam += count(c.gam);
        counts.u5_sam += count(c.sam);
        counts.adult_n += count(c.adult);
        counts.adult_lt_18_5 += count(c.thin);
        counts.adult_lt_16 += count(c.severely_thin);

        // Write back: the scratch arrays by vector, the persons lane by lane. The living take
        // tomorrow's band and demand; the others of an active household an intake of 0.
        let next = o.next_demand_kcal.raw();
        let young_tomorrow = o.young_tomorrow.raw();
        let intake_out = _mm256_blendv_ps(_mm256_andnot_ps(active, demand), next, alive);
        let band_out = l.select_i(m.alive, o.next_band, m.band).raw();
        // EXACT, less one (SURE) where the mask (−1) says sure, with LOSING where the weight ratio
        // fell (as the one-at-a-time loop compares it); NOT_ALIVE (0) where not alive.
        let fate = _mm256_add_epi32(_mm256_set1_epi32(EXACT.into()), _mm256_castps_si256(sure.raw()));
        let losing = _mm256_cmp_ps::<_CMP_LT_OQ>(o.weight_ratio.raw(), m.weight_ratio.raw());
        let fate = _mm256_or_si256(
            fate,
            _mm256_and_si256(_mm256_castps_si256(losing), _mm256_set1_epi32(LOSING.into())),
        );
        let fate = _mm256_and_si256(fate, _mm256_castps_si256(alive));
        let mut exact = _mm256_movemask_ps(_mm256_andnot_ps(sure.raw(), alive)) as u32;
        while exact != 0 {
            sc.exact.push(at as u32 + exact.trailing_zeros());
            exact &= exact - 1;
        }
        let (fat, lean, ratio, activity) = (o.fat_kg.raw(), o.lean_kg.raw(), o.weight_ratio.raw(), o.activity.raw());
        let base_kcal = m.base_kcal.raw();
        let [intake_lo, intake_hi] = o.intake.raw();
        let mut bytes = [[0i32; LANES]; 3];
        // SAFETY: every destination has LANES entries (the scratch ones from `at`).
        unsafe {
            _mm256_storeu_pd(sc.intake.as_mut_ptr().add(at), intake_lo);
            _mm256_storeu_pd(sc.intake.as_mut_ptr().add(at + 4), intake_hi);
            _mm256_storeu_si256(sc.word.as_mut_ptr().add(at).cast(), words);
            // What sweep 3 adds, as f64 (the sums add f32s converted to f64).
            let wide_out = [
                (&mut sc.intake_f32, o.intake_kcal.raw()),
                (&mut sc.bmi, _mm256_andnot_ps(child, o.bmi.raw())),
                (&mut sc.young_demand, _mm256_and_ps(young_tomorrow, next)),
                (&mut sc.adult_demand, _mm256_andnot_ps(young_tomorrow, next)),
            ];
            for (o, v) in wide_out {
                _mm256_storeu_pd(o.as_mut_ptr().add(at), _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
                _mm256_storeu_pd(
                    o.as_mut_ptr().add(at + 4),
                    _mm256_cvtps_pd(_mm256_extractf128_ps::<1>(v)),
                );
            }
            write_persons(ps.as_mut_ptr(), [fat, lean, ratio, base_kcal, activity, intake_out]);
            for (o, v) in bytes.iter_mut().zip([band, band_out, fate]) {
                _mm256_storeu_si256(o.as_mut_ptr().cast(), v);
            }
        }
        let (fates, bands) = (&mut sc.fate[at..at + LANES], &mut sc.band[at..at + LANES]);
        for (j, p) in ps.iter_mut().enumerate() {
            p.band = bytes[1][j] as u8;
            bands[j] = bytes[0][j] as u8;
            fates[j] = bytes[2][j] as u8;
        }
    }
}

/// The household pass's sweep 2 sixteen members at a time (AVX-512 F, VL, BW, DQ): the same
/// plumbing as the eight-lane sweep (module `avx2`), each lane doing the same operations in the
/// same order (`lanes::Avx512` is to `Avx512` what `Avx2` is to eight lanes), so the results are
/// the same bits. The persons are read and written as two blocks of eight (`avx2::persons_by_field`
/// and `avx2::write_persons`); the draws are handed out by an expanding load; masks are bits.
mod avx512 {
    use super::avx2::{self, Consts, FLAGS, INTAKE};
    use super::{Cursor, EXACT, Flags, LOSING, MemberDay, Nutrition, Person, SURE, Scratch, WIDEST};
    use crate::model::food::Rations;
    use crate::model::kernel;
    use crate::model::lanes::{Avx512, Lanes};
    use crate::model::physiology;
    use crate::scenario::params::FoodParams;
    use std::arch::x86_64::*;

    /// Members per vector step.
    const LANES: usize = 16;
    const _: () = assert!(LANES == WIDEST);

    /// Whether the processor has the features the sweep is compiled for (besides AVX2).
    pub(super) fn available() -> bool {
        std::is_x86_feature_detected!("avx512f")
            && std::is_x86_feature_detected!("avx512vl")
            && std::is_x86_feature_detected!("avx512bw")
            && std::is_x86_feature_detected!("avx512dq")
            && std::is_x86_feature_detected!("bmi1")
            && std::is_x86_feature_detected!("bmi2")
            && std::is_x86_feature_detected!("popcnt")
            && std::is_x86_feature_detected!("lzcnt")
    }

    /// `Rations::split`, eight households to an instruction.
    #[target_feature(enable = "avx2,avx512f,avx512vl,avx512bw,avx512dq")]
    pub(super) unsafe fn split(f: &FoodParams, rations: &mut Rations) {
        rations.split(f);
    }

    /// Sweep 2 sixteen members at a time (see the module).
    ///
    /// # Safety
    /// The processor has the features enabled; every scratch array holds at least `persons.len()`
    /// rounded up to a multiple of LANES entries.
    #[target_feature(enable = "avx2,avx512f,avx512vl,avx512bw,avx512dq,bmi1,bmi2,popcnt,lzcnt")]
    pub(super) unsafe fn sweep(
        ctx: &MemberDay,
        persons: &mut [Person],
        sc: &mut Scratch,
        draws: usize,
        counts: &mut Nutrition,
    ) {
        // SAFETY: the caller checked that the processor has the features.
        let l = unsafe { Avx512::new_unchecked() };
        let k = Consts::new(l, ctx);
        super::blocks::<LANES>(persons, sc, draws, |block, sc, at, by| {
            // SAFETY: `blocks` gives LANES persons and the scratch arrays LANES entries from `at`.
            unsafe { members(l, &k, block, sc, at, by, counts) }
        });
    }

    /// Two halves of eight as sixteen.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn join(lo: __m256, hi: __m256) -> __m512 {
        _mm512_insertf32x8::<1>(_mm512_castps256_ps512(lo), hi)
    }

    /// Sixteen as two halves of eight.
    #[inline]
    #[target_feature(enable = "avx512f,avx512dq")]
    fn halves(x: __m512) -> [__m256; 2] {
        [_mm512_castps512_ps256(x), _mm512_extractf32x8_ps::<1>(x)]
    }

    /// One block of sixteen members (`ps`, the scratch arrays from `at`), as `avx2`'s blocks of
    /// eight.
    ///
    /// # Safety
    /// The processor has the features; `ps` holds LANES persons and every scratch array at least
    /// `at + LANES` entries.
    #[inline]
    #[target_feature(enable = "avx2,avx512f,avx512vl,avx512bw,avx512dq,bmi1,bmi2,popcnt,lzcnt")]
    unsafe fn members(
        l: Avx512,
        k: &Consts<Avx512>,
        ps: &mut [Person],
        sc: &mut Scratch,
        at: usize,
        by: &mut Cursor,
        counts: &mut Nutrition,
    ) {
        // The sixteen members' ten words, field by field, from two blocks of eight.
        // SAFETY: `ps` holds LANES persons.
        let (lo, hi) = unsafe {
            (
                avx2::persons_by_field(ps.as_ptr()),
                avx2::persons_by_field(ps.as_ptr().add(8)),
            )
        };
        let field = |k: usize| join(lo[k], hi[k]);
        let demand = field(INTAKE);
        let flags = Flags::of(l, l.i(_mm512_castps_si512(field(FLAGS))));
        let (living, child, band) = (flags.living.bits(), flags.child.bits(), flags.band.raw());

        // Each lane's household (as `avx2`): the first household's values broadcast, those of
        // each later one blended in from its first member on.
        let hh = &sc.households;
        while hh[by.household].end as usize <= at {
            by.household += 1;
        }
        let lane = _mm512_add_epi32(
            _mm512_set1_epi32(at as i32),
            _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
        );
        let first = &hh[by.household];
        let mut violence = _mm512_set1_ps(first.violence_f32);
        let mut child_share = [_mm512_set1_pd(first.share[0]); 2];
        let mut adult_share = [_mm512_set1_pd(first.share[1]); 2];
        let mut later = by.household;
        while (hh[later].end as usize) < at + LANES {
            let past = _mm512_cmpgt_epi32_mask(lane, _mm512_set1_epi32(hh[later].end as i32 - 1));
            later += 1;
            let next = &hh[later];
            violence = _mm512_mask_mov_ps(violence, past, _mm512_set1_ps(next.violence_f32));
            for half in 0..2 {
                let m = (past >> (8 * half)) as __mmask8;
                child_share[half] = _mm512_mask_mov_pd(child_share[half], m, _mm512_set1_pd(next.share[0]));
                adult_share[half] = _mm512_mask_mov_pd(adult_share[half], m, _mm512_set1_pd(next.share[1]));
            }
        }
        // Not below 0: the exact complement of sweep 3's test for an inactive household.
        let active = _mm512_cmp_ps_mask::<_CMP_NLT_UQ>(violence, _mm512_setzero_ps());
        let alive = living & active;
        let young = physiology::is_young(l, l.i(band)).bits();
        let share = |half: usize| {
            let m = (young >> (8 * half)) as __mmask8;
            _mm512_mask_mov_pd(adult_share[half], m, child_share[half])
        };
        // The draws, in member order, for the lanes that draw: the next words expanded into
        // them; 0 for the others.
        assert!(by.draw + LANES <= sc.words.len(), "more draws than the chunk's");
        // SAFETY: just checked (the load reads no more words than lanes set).
        let words = unsafe { _mm512_maskz_expandloadu_epi32(alive, sc.words.as_ptr().add(by.draw).cast()) };
        let u = super::draw_f32(l, l.i(words)).raw();
        by.draw += alive.count_ones() as usize;
        let load = |v: &[f32]| {
            // SAFETY: every scratch array has at least `at + LANES` entries.
            l.f(unsafe { _mm512_loadu_ps(v.as_ptr().add(at)) })
        };
        let nursed = |v: &[f32]| if k.day.nursing { load(v) } else { l.splat(0.0) };

        let rutf = if sc.rutf_given { load(&sc.rutf) } else { l.splat(0.0) };
        let m = super::member(
            l,
            |k| l.f(field(k)),
            &flags,
            l.m(alive),
            l.d(share(0), share(1)),
            [nursed(&sc.milk), nursed(&sc.lactation), rutf],
            k.appetite,
        );
        let o = kernel::member_day(l, &k.day, &m);
        let th = kernel::survival_threshold(l, &k.hazards, &m, &o);
        let sure = l
            .and_not(
                kernel::survives(l, l.f(u), th.starvation, l.f(violence), th.background),
                th.exact,
            )
            .bits();

        // What the day's tally counts of the members sure to survive (Nutrition::count).
        let survivor = alive & sure;
        let c = &o.classes;
        let count = |class: crate::model::lanes::M16| u64::from((survivor & class.bits()).count_ones());
        counts.active_n += u64::from(alive.count_ones());
        counts.u5_n += count(c.under5);
        counts.u5_gam += count(c.gam);
        counts.u5_sam += count(c.sam);
        counts.adult_n += count(c.adult);
        counts.adult_lt_18_5 += count(c.thin);
        counts.adult_lt_16 += count(c.severely_thin);

        // Write back (as `avx2`).
        let next = o.next_demand_kcal.raw();
        let young_tomorrow = o.young_tomorrow.bits();
        let intake_out = _mm512_mask_mov_ps(_mm512_maskz_mov_ps(!active, demand), alive, next);
        let band_out = l.select_i(m.alive, o.next_band, m.band).raw();
        let losing = _mm512_cmp_ps_mask::<_CMP_LT_OQ>(o.weight_ratio.raw(), m.weight_ratio.raw());
        let fate = _mm512_mask_blend_epi32(sure, _mm512_set1_epi32(EXACT.into()), _mm512_set1_epi32(SURE.into()));
        let fate = _mm512_mask_or_epi32(fate, losing, fate, _mm512_set1_epi32(LOSING.into()));
        let fate = _mm512_maskz_mov_epi32(alive, fate);
        let mut exact = u32::from(alive & !sure);
        while exact != 0 {
            sc.exact.push(at as u32 + exact.trailing_zeros());
            exact &= exact - 1;
        }
        let [intake_lo, intake_hi] = o.intake.raw();
        let mut bytes = [[0u8; LANES]; 3];
        // SAFETY: every destination has LANES entries (the scratch ones from `at`).
        unsafe {
            _mm512_storeu_pd(sc.intake.as_mut_ptr().add(at), intake_lo);
            _mm512_storeu_pd(sc.intake.as_mut_ptr().add(at + 8), intake_hi);
            _mm512_storeu_si512(sc.word.as_mut_ptr().add(at).cast(), words);
            // What sweep 3 adds, as f64 (the sums add f32s converted to f64).
            let wide_out = [
                (&mut sc.intake_f32, o.intake_kcal.raw()),
                (&mut sc.bmi, _mm512_maskz_mov_ps(!child, o.bmi.raw())),
                (&mut sc.young_demand, _mm512_maskz_mov_ps(young_tomorrow, next)),
                (&mut sc.adult_demand, _mm512_maskz_mov_ps(!young_tomorrow, next)),
            ];
            for (o, v) in wide_out {
                let [lo, hi] = halves(v);
                _mm512_storeu_pd(o.as_mut_ptr().add(at), _mm512_cvtps_pd(lo));
                _mm512_storeu_pd(o.as_mut_ptr().add(at + 8), _mm512_cvtps_pd(hi));
            }
            // Each half as eight persons (explicitly: an array `map` here is left out of line).
            let out = [
                o.fat_kg.raw(),
                o.lean_kg.raw(),
                o.weight_ratio.raw(),
                m.base_kcal.raw(),
                o.activity.raw(),
                intake_out,
            ];
            let (mut lo, mut hi) = ([_mm256_setzero_ps(); 6], [_mm256_setzero_ps(); 6]);
            for (j, v) in out.into_iter().enumerate() {
                [lo[j], hi[j]] = halves(v);
            }
            avx2::write_persons(ps.as_mut_ptr(), lo);
            avx2::write_persons(ps.as_mut_ptr().add(8), hi);
            for (o, v) in bytes.iter_mut().zip([band, band_out, fate]) {
                _mm_storeu_si128(o.as_mut_ptr().cast(), _mm512_cvtepi32_epi8(v));
            }
        }
        let (fates, bands) = (&mut sc.fate[at..at + LANES], &mut sc.band[at..at + LANES]);
        bands.copy_from_slice(&bytes[0]);
        fates.copy_from_slice(&bytes[2]);
        for (j, p) in ps.iter_mut().enumerate() {
            p.band = bytes[1][j];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::draw_f32;
    use crate::model::kernel::survives;
    use crate::model::lanes::{Avx2, Lanes};
    use crate::model::rng;
    use std::arch::x86_64::*;

    /// Whether sweep 2's f32 test calls the draw `word` sure to survive a threshold of (s +
    /// violence) + background whose terms are given in f32.
    fn called_sure(word: u32, s: f32, violence: f32, background: f32) -> bool {
        let l = Avx2::new().expect("the caller checked `available()`");
        // SAFETY: as above.
        let u = draw_f32(l, l.i(unsafe { _mm256_set1_epi32(word as i32) }));
        let [s, v, b] = [s, violence, background].map(|x| l.splat(x));
        survives(l, u, s, v, b).bits() == 0xff
    }

    #[test]
    fn the_rations_split_on_vectors_is_each_household_alone_to_the_last_bit() {
        use crate::model::food::{Rationing, Rations};
        use crate::scenario::params::FoodParams;
        if !super::available() {
            assert!(
                std::env::var("SIEGE_ALLOW_SCALAR_ONLY").as_deref() == Ok("1"),
                "this processor has no AVX2, so the vector ration split cannot be tested; set \
                 SIEGE_ALLOW_SCALAR_ONLY=1 to accept that"
            );
            eprintln!("not tested: no AVX2 (SIEGE_ALLOW_SCALAR_ONLY=1)");
            return;
        }
        let mut r = rng::stream(5, 0, 0);
        // kcal: zeros of both signs, equal values (a tier served in full, a stock that is all
        // the need), and values over many orders of magnitude.
        let kcal = |r: &mut rng::Stream, near: f64| match rng::below(r, 8) {
            0 => 0.0,
            1 => -0.0,
            2 => near,
            _ => 1e5 * magnitude(r),
        };
        for round in 0..200 {
            let f = FoodParams {
                rationing_horizon_days: 1.0 + 60.0 * rng::uniform(&mut r),
                ration_floor: if round % 4 == 0 { 0.0 } else { rng::uniform(&mut r) },
                child_protected_share: [0.0, 1.0, rng::uniform(&mut r)][round % 3],
                adult_protected_share: [1.0, 0.0, rng::uniform(&mut r)][round % 3],
                ..FoodParams::default()
            };
            let mut rations = Rations::default();
            let mut each = Vec::new();
            // Runs of households that are not a multiple of any vector's width.
            for _ in 0..(round % 37) {
                let need = kcal(&mut r, 2000.0);
                let one = Rationing {
                    stock: kcal(&mut r, need) * 30.0,
                    need,
                    steady: kcal(&mut r, need),
                    child_demand: kcal(&mut r, need),
                    adult_demand: kcal(&mut r, need),
                };
                rations.push(one);
                each.push(one.shares(&f));
            }
            type Split = unsafe fn(&FoodParams, &mut Rations);
            let mut paths: Vec<(&str, Split)> = vec![("AVX2", super::avx2::split)];
            if super::avx512_available() {
                paths.push(("AVX-512", super::avx512::split));
            }
            for (name, split) in paths {
                // Nothing left from the last path.
                rations.child.clear();
                rations.adult.clear();
                // SAFETY: the processor has the path's features (checked above).
                unsafe { split(&f, &mut rations) };
                for (i, one) in each.iter().enumerate() {
                    assert_eq!(
                        (rations.child[i].to_bits(), rations.adult[i].to_bits()),
                        (one.child.to_bits(), one.adult.to_bits()),
                        "{name}, round {round}, household {i}"
                    );
                }
            }
        }
    }

    /// A value from 0 to 1 spread over many orders of magnitude, sometimes 0 or 1.
    fn magnitude(r: &mut rng::Stream) -> f64 {
        match rng::below(r, 10) {
            0 => 0.0,
            1 => 1.0,
            _ => 10f64.powf(-12.0 * rng::uniform(r)) * rng::uniform(r),
        }
    }

    #[test]
    fn a_draw_called_sure_always_survives_the_exact_threshold_and_the_margin_is_narrow() {
        if !super::available() {
            // As the two-path tests (tests/invariants.rs): no silent pass without AVX2.
            assert!(
                std::env::var("SIEGE_ALLOW_SCALAR_ONLY").as_deref() == Ok("1"),
                "this processor has no AVX2, so the vector pass's survival threshold cannot be \
                 tested; set SIEGE_ALLOW_SCALAR_ONLY=1 to accept that"
            );
            eprintln!("not tested: no AVX2 (SIEGE_ALLOW_SCALAR_ONLY=1)");
            return;
        }
        let mut r = rng::stream(3, 0, 0);
        let mut checked = 0;
        for i in 0..200_000 {
            // The terms as the model has them in f64, and as sweep 2 has them in f32: S is a
            // child's background × (hazard ratio − 1), or an adult's tabulated bound.
            let background = magnitude(&mut r);
            let violence = if i % 3 == 0 { 0.0 } else { magnitude(&mut r) };
            let (s, s_f32) = if i % 2 == 0 {
                let ratio_less_one = 999.0 * rng::uniform(&mut r);
                (background * ratio_less_one, background as f32 * ratio_less_one as f32)
            } else {
                let bound = magnitude(&mut r);
                (bound, bound as f32)
            };
            // Hazards::cause / decide: death when u < (s + violence) + background, in f64.
            let limit = (s + violence) + background;
            let (v32, b32) = (violence as f32, background as f32);
            // The last word that dies: every word up to it must not be called sure (the f32 draw
            // rises with the word, so checking this one is enough).
            if limit > 0.0 {
                let last_dying = ((limit * 4_294_967_296.0).ceil() - 1.0).min(f64::from(u32::MAX)) as u32;
                assert!(rng::word_uniform(last_dying) < limit);
                assert!(
                    !called_sure(last_dying, s_f32, v32, b32),
                    "word {last_dying} dies at threshold {limit:e} but was called sure"
                );
                checked += 1;
            }
            // And the margin is narrow: a draw 2^-21 plus 2^-15 of the threshold above it is sure.
            let above = (limit + limit / 32_768.0 + 1.0 / 2_097_152.0) * 4_294_967_296.0;
            if above < f64::from(u32::MAX) {
                assert!(
                    called_sure(above.ceil() as u32, s_f32, v32, b32),
                    "a draw of {:e} is not sure above {limit:e}",
                    above / 4_294_967_296.0
                );
            }
        }
        assert!(checked > 150_000, "{checked}");
    }
}
