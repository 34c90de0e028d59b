//! The compact person store and households (MODEL.md §2). Persons are kept in household order, so a
//! household's members are one contiguous slice and a chunk of households is one contiguous range
//! of persons: every daily phase is one pass over memory.

use super::physiology::{self, AgeBand, Sex};
use super::rng::{self, Stream};
use crate::scenario::Scenario;
use crate::scenario::params::Households;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Status {
    Alive,
    Kidnapped,
    Dead,
    /// Taken out by an organised evacuation (MODEL.md §7a): gone from the simulated population.
    Evacuated,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Cause {
    None,
    Starvation,
    Violence,
    Background,
    Dehydration,
    /// Infections (disease.rs), in the order of their illness kinds.
    Diarrhoea,
    Ari,
    Malaria,
    Measles,
    /// Killed by relief itself: a falling pallet or a crush at a drop zone (MODEL.md §8).
    Relief,
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
    /// Sex, model class and an adult's ration card in one byte (bit 0 female, bit 1 child, bits
    /// 2–3 the card's index): read them through `sex()`, `is_child()` and `work_index()`, write
    /// them with `Person::kind` and `set_card`. Packed so that the 40 bytes hold the illness byte
    /// (design-round2.md §2.1).
    pub kind: u8,
    pub status: Status,
    /// The age band today, so that the day's passes look it up instead of comparing ages again:
    /// set for the next day by the household pass (or by the need pass for households whose
    /// demands are stale); meaningful only while the person is alive.
    pub band: AgeBand,
    /// The current illness episode, if any (0 = none); the disease module owns its meaning.
    pub illness: u8,
}

/// Days in a year of age.
pub const DAYS_PER_YEAR: f32 = 365.25;

/// Days as years, the way a person's age advances.
#[inline]
pub fn years(day: u32) -> f32 {
    day as f32 * (1.0 / DAYS_PER_YEAR)
}

impl Person {
    const FEMALE: u8 = 1;
    const CHILD: u8 = 2;
    const CARD_SHIFT: u8 = 2;
    /// A living person of `age` years and `sex` at day 0, in the model class of that age, with no
    /// body yet (no height, fat or lean; weight ratio 1, full activity): `draw_person` gives them
    /// one.
    pub fn new(age: f64, sex: Sex) -> Self {
        Person {
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
        }
    }
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
    /// Records an adult's ration card (`store::Cards::card` at day 0), which picks their row of
    /// the activity table (`[[activity]]` by card, MODEL.md §5.5). Children keep 0.
    #[inline]
    pub fn set_card(&mut self, card: crate::scenario::params::Card) {
        debug_assert!(!self.is_child());
        self.kind = (self.kind & (Self::FEMALE | Self::CHILD)) | ((card.index() as u8) << Self::CARD_SHIFT);
    }
    /// The row of the day's activity table (`model::work_on`): the card index (set by `set_card`)
    /// times two, plus one for a woman. household_avx2.rs reads the same bits by vector.
    #[inline]
    pub fn work_index(&self) -> usize {
        usize::from(((self.kind >> (Self::CARD_SHIFT - 1)) & 0b110) | (self.kind & Self::FEMALE))
    }
    /// The index (`Card::index`) of the card an adult held at the start (`set_card`); 0 for
    /// children and wherever no card was set.
    #[inline]
    pub fn card_index(&self) -> usize {
        usize::from(self.kind >> Self::CARD_SHIFT)
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
    /// A child's link to the woman who breastfeeds it: her offset among the household's members
    /// (MODEL.md §5.3), or None if it is not breastfed (never was, weaned, or the link was cut).
    /// Held in the slot an adult uses for baseline activity (`activity_per_kg`, idle for children,
    /// design-round2.md §2.1) as the offset plus one, an integer exact in f32 (households have at
    /// most 10,001 members); 0 is none. This and `set_mother` are the one place that knows it.
    #[inline]
    pub fn mother(&self) -> Option<usize> {
        if self.is_child() && self.activity_per_kg >= 1.0 {
            Some(self.activity_per_kg as usize - 1)
        } else {
            None
        }
    }
    #[inline]
    pub fn set_mother(&mut self, offset: Option<usize>) {
        debug_assert!(self.is_child());
        self.activity_per_kg = offset.map_or(0.0, |o| (o + 1) as f32);
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

/// A household: 88 bytes (design-round2 §2.2 planned 80; its members' counts are 16-bit: validation keeps the mean household
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
    /// Today's issue from the authority's store at its location, kcal (model/store.rs); 0 where
    /// no store issues.
    pub issued_kcal: f32,
    /// Consecutive days below the drinking minimum, weighted by the shortfall, in sixteenths of a
    /// day (model/water.rs; design-round2 §2.2).
    pub dry_days: u8,
    /// ORS sachets held (relief, model/water.rs; for diarrhoea care).
    pub ors: u8,
    /// Therapeutic food (RUTF) held, kcal: apart from the food stock, for its wasted under-5s
    /// (`kernel::therapeutic`).
    pub rutf_kcal: f32,
    /// Members breastfed by a mother of the household (`Person::mother`), at most 255: the
    /// breastfeeding pass (`kernel::nursing`) skips a household with none.
    pub nurslings: u8,
    /// Wealth group (`model::market::GROUPS`: 0 poor, 1 middle, 2 better-off), drawn when
    /// `[market]` is on; 0 otherwise (then no output reads it).
    pub wealth: u8,
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

/// The sub-stream of a replicate that links infants to the women who breastfeed them, next to the
/// convoys' (`convoy::CONVOY_SUBSTREAM`) and far past the household chunks', so that breastfeeding
/// moves no other draw.
pub(crate) const NURSING_SUBSTREAM: u64 = (1 << 27) + 1;

/// Everything of a scenario that drawing its population (`build`) reads: two scenarios with equal
/// inputs draw the same population in each replicate, so runs of scenarios that differ elsewhere
/// (a sensitivity design's points) can share it (`Drawn`).
#[derive(Clone, Debug, PartialEq)]
pub struct Inputs {
    seed: u64,
    population: crate::scenario::params::PopulationParams,
    home_counts: Vec<u64>,
    stock_days_mean: f64,
    stock_days_shape: f64,
    livestock_per_household_mean: f64,
    violence_threshold_mean: f64,
    catch_up_to_own_centile: bool,
    baseline: physiology::Baseline,
}

impl Inputs {
    pub fn of(s: &Scenario) -> Self {
        let food = s.food();
        Inputs {
            seed: s.seed(),
            population: s.population().clone(),
            home_counts: s.home_counts().to_vec(),
            stock_days_mean: food.stock_days_mean,
            stock_days_shape: food.stock_days_shape,
            livestock_per_household_mean: food.livestock_per_household_mean,
            violence_threshold_mean: s.displacement().violence_threshold_mean,
            catch_up_to_own_centile: s.physiology().catch_up_to_own_centile,
            baseline: s.physiology().into(),
        }
    }
}

/// A replicate's drawn population, with its stream 0 where the draw left it (the world goes on
/// drawing from it).
#[derive(Clone)]
pub struct Drawn {
    pub(crate) persons: Vec<Person>,
    pub(crate) households: Vec<Household>,
    pub(crate) rng: Stream,
    pub(crate) replicate: u32,
}

impl Drawn {
    /// Replicate `replicate`'s population: drawn from its sub-stream 0 (`build`), the nursing links
    /// from `NURSING_SUBSTREAM`.
    pub fn new(inputs: &Inputs, replicate: u32) -> Self {
        let mut rng = rng::stream(inputs.seed, u64::from(replicate), 0);
        let mut nursing_rng = rng::stream(inputs.seed, u64::from(replicate), NURSING_SUBSTREAM);
        let (persons, households) = build(inputs, &mut rng, &mut nursing_rng);
        Drawn {
            persons,
            households,
            rng,
            replicate,
        }
    }
}

/// Draws the starting population, location by location, composed into households by
/// `population.households` (MODEL.md §2): `families` (`families`) or `independent` (each
/// household's size drawn, then its members, the last household trimmed to fit).
///
/// Children under 2 are then linked to the women who breastfeed them (`link_nursing`), with draws
/// from `nursing_rng` only, so that the share breastfed moves no other draw.
fn build(inputs: &Inputs, rng: &mut Stream, nursing_rng: &mut Stream) -> (Vec<Person>, Vec<Household>) {
    let p = &inputs.population;
    let under5 = Under5Index::of(p);
    let pyramid = Pyramid::of(p);
    let total: u64 = inputs.home_counts.iter().sum();
    let mut persons = Vec::with_capacity(total as usize);
    let mut households = Vec::with_capacity((total as f64 / p.household_size_mean) as usize + 8);
    for (loc, &count) in inputs.home_counts.iter().enumerate() {
        match p.households {
            Households::Families => {
                // Neighbourhoods of near-equal size, at most FAMILY_BLOCK people each.
                let blocks = count.div_ceil(FAMILY_BLOCK).max(1);
                for block in 0..blocks {
                    let n = count / blocks + u64::from(block < count % blocks);
                    let start = persons.len();
                    persons.extend((0..n).map(|_| draw_person(inputs, &under5, pyramid.as_ref(), rng)));
                    let (sizes, mothers) = families(&mut persons[start..], p.household_size_mean, rng);
                    let mut first = start;
                    for size in sizes {
                        let members = first..first + size;
                        let own = &mothers[members.start - start..members.end - start];
                        let nurslings = link_nursing(p, &mut persons[members.clone()], Some(own), nursing_rng);
                        households.push(household(inputs, &persons[members.clone()], first, loc, nurslings, rng));
                        first = members.end;
                    }
                }
            }
            Households::Independent => {
                let mut left = count;
                while left > 0 {
                    let size = (1 + rng::poisson(rng, p.household_size_mean - 1.0)).min(left);
                    left -= size;
                    let start = persons.len();
                    for _ in 0..size {
                        persons.push(draw_person(inputs, &under5, pyramid.as_ref(), rng));
                    }
                    let nurslings = link_nursing(p, &mut persons[start..], None, nursing_rng);
                    households.push(household(inputs, &persons[start..], start, loc, nurslings, rng));
                }
            }
        }
    }
    (persons, households)
}

/// The household of `members` (persons from index `first`) at location `loc`, with its own food
/// stock, livestock and flight threshold drawn from `rng`.
fn household(
    inputs: &Inputs,
    members: &[Person],
    first: usize,
    loc: usize,
    nurslings: u8,
    rng: &mut Stream,
) -> Household {
    let need: f64 = members
        .iter()
        .map(|person| {
            f64::from(if person.is_child() {
                physiology::child_need_kcal(person.age0_years, person.sex())
            } else {
                person.usual_kcal()
            })
        })
        .sum();
    let stock_days = if inputs.stock_days_mean > 0.0 {
        rng::gamma(
            rng,
            inputs.stock_days_shape,
            inputs.stock_days_mean / inputs.stock_days_shape,
        )
    } else {
        0.0
    };
    let livestock = rng::poisson(rng, inputs.livestock_per_household_mean) as u32;
    let flight_threshold = rng::exponential(rng, inputs.violence_threshold_mean) as f32;
    let size = members.len();
    Household {
        first: first as u32,
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
        issued_kcal: 0.0,
        dry_days: 0,
        ors: 0,
        rutf_kcal: 0.0,
        nurslings,
        wealth: 0,
    }
}

/// The ages a mother can have had at her child's birth: 15–49 years, the reproductive span of the
/// UN's and DHS's fertility rates (MODEL.md §2).
pub const MOTHER_AGE_AT_BIRTH: std::ops::Range<f32> = 15.0..50.0;

/// The most people composed into families together (MODEL.md §2): a location's people are drawn
/// and composed in neighbourhoods of near-equal size, at most this many each, so that a city's
/// households are formed in cache and a child's mother is found among its neighbourhood's women
/// (about 1,000 of them with the defaults). Modelling choice.
pub const FAMILY_BLOCK: u64 = 4096;

/// The least difference in age between two children of one mother: a birth interval shorter than a
/// year is rare (a pregnancy and the months after a birth; twins are ignored), where the median
/// interval in Mali is 31 months and 22% are shorter than 24 (Mali DHS 2001). Modelling choice
/// built on that. Without it a mother drawn at random for each child had two children under 2
/// less than 9 months apart for about a fifth of Farabougou's infants, and breastfed both.
pub const MIN_BIRTH_INTERVAL_YEARS: f32 = 1.0;

/// Uniform draws of a mother before searching the eligible women in turn.
const MOTHER_DRAWS: usize = 8;

/// Composes a neighbourhood's `people` (drawn in this order) into households as families (MODEL.md §2,
/// `population.households = "families"`): each child (under 15), in draw order, gets as its mother
/// a woman drawn uniformly among those who were 15–49 at its birth (`MOTHER_AGE_AT_BIRTH`) and
/// have no child of hers within `MIN_BIRTH_INTERVAL_YEARS` of its age (up to `MOTHER_DRAWS`
/// draws, then the first such woman from a uniform start; a child with none is placed as anyone
/// else); there are H = round(n / `size_mean`) households (at least 1); the j-th family (a mother
/// with her children, in the mothers' draw order) goes to household j mod H; everyone else goes,
/// in draw order, first one to each household still empty and then to a household drawn
/// uniformly. `people` is reordered into households (members in draw order); returns the
/// households' sizes and, for each person, their mother's offset within their household.
fn families(people: &mut [Person], size_mean: f64, rng: &mut Stream) -> (Vec<usize>, Vec<Option<usize>>) {
    let n = people.len();
    let age = |i: usize| people[i].age0_years;
    let mut women: Vec<usize> = (0..n)
        .filter(|&i| !people[i].is_child() && people[i].sex() == Sex::Female)
        .collect();
    women.sort_by(|&a, &b| age(a).total_cmp(&age(b)).then(a.cmp(&b)));
    // Their ages in that order, searched without touching the persons.
    let ages: Vec<f32> = women.iter().map(|&w| age(w)).collect();
    let mut mother: Vec<Option<usize>> = vec![None; n];
    let mut has_children = vec![false; n];
    // The ages of each woman's children so far (by her position among `women`).
    let mut born: Vec<Vec<f32>> = vec![Vec::new(); women.len()];
    for c in (0..n).filter(|&i| people[i].is_child()) {
        let lo = ages.partition_point(|&a| a < age(c) + MOTHER_AGE_AT_BIRTH.start);
        let hi = ages.partition_point(|&a| a < age(c) + MOTHER_AGE_AT_BIRTH.end);
        if hi == lo {
            continue;
        }
        let spaced = |k: usize| born[k].iter().all(|&b| (b - age(c)).abs() >= MIN_BIRTH_INTERVAL_YEARS);
        // A few uniform draws, then the first spaced woman from a uniform start; none: no mother.
        let drawn = (0..MOTHER_DRAWS)
            .map(|_| lo + rng::below(rng, hi - lo))
            .find(|&k| spaced(k));
        let found = drawn.or_else(|| {
            let start = rng::below(rng, hi - lo);
            (0..hi - lo).map(|j| lo + (start + j) % (hi - lo)).find(|&k| spaced(k))
        });
        if let Some(k) = found {
            born[k].push(age(c));
            mother[c] = Some(women[k]);
            has_children[women[k]] = true;
        }
    }
    let count = ((n as f64 / size_mean).round() as usize).clamp(1, n.max(1));
    let mut home = vec![0; n];
    let mut families = 0;
    for m in (0..n).filter(|&m| has_children[m]) {
        home[m] = families % count;
        families += 1;
    }
    let mut next_empty = families.min(count);
    for i in 0..n {
        if let Some(m) = mother[i] {
            home[i] = home[m];
        } else if !has_children[i] {
            home[i] = if next_empty < count {
                next_empty += 1;
                next_empty - 1
            } else {
                rng::below(rng, count)
            };
        }
    }
    // Households in order, members in draw order; `at` is each person's new position, `first`
    // each household's.
    let mut sizes = vec![0; count];
    for &h in &home {
        sizes[h] += 1;
    }
    let first: Vec<usize> = sizes
        .iter()
        .scan(0, |sum, &s| Some(std::mem::replace(sum, *sum + s)))
        .collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by_key(|&i| (home[i], i));
    let mut at = vec![0; n];
    for (k, &i) in order.iter().enumerate() {
        at[i] = k;
    }
    let mothers = order
        .iter()
        .map(|&i| mother[i].map(|m| at[m] - first[home[i]]))
        .collect();
    let drawn = people.to_vec();
    for (k, &i) in order.iter().enumerate() {
        people[k] = drawn[i];
    }
    sizes.retain(|&s| s > 0);
    (sizes, mothers)
}

/// The starting weight-for-height index of under-5s: the normal N(mean, sd) that puts the survey's
/// GAM below −2 and SAM below −3 (MODEL.md §5.3): with z_g = Φ⁻¹(GAM) and z_s = Φ⁻¹(SAM),
/// sd = 1/(z_g − z_s) and mean = −2 − sd·z_g. Without a survey, the children's `child_index_mean`/`_sd`.
#[derive(Clone, Copy, Debug)]
pub struct Under5Index {
    pub mean: f64,
    pub sd: f64,
}

impl Under5Index {
    pub fn of(p: &crate::scenario::params::PopulationParams) -> Self {
        match (p.under5_gam_share, p.under5_sam_share) {
            (Some(gam), Some(sam)) => {
                let (zg, zs) = (normal_quantile(gam), normal_quantile(sam));
                let sd = 1.0 / (zg - zs);
                Under5Index {
                    mean: -2.0 - sd * zg,
                    sd,
                }
            }
            _ => Under5Index {
                mean: p.child_index_mean,
                sd: p.child_index_sd,
            },
        }
    }
}

/// The standard normal quantile Φ⁻¹(p) for 0 < p < 1 (Acklam's rational approximation, relative
/// error below 1.2·10⁻⁹).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.38357751867269e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    const LOW: f64 = 0.02425;
    if p < LOW {
        tail((-2.0 * p.ln()).sqrt())
    } else if p <= 1.0 - LOW {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    } else {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    }
}

/// Women who may breastfeed a child of their household: aged 15–49 at the start (modelling choice,
/// design-round2.md §3.3).
const NURSING_AGE: std::ops::Range<f32> = 15.0..50.0;

/// Links each child under 2 of a household (`members`) to a woman of it aged 15–49 who breastfeeds
/// it (MODEL.md §5.3): with probability `breastfed_share_under_6m` under 6 months and
/// `breastfed_share_6_23m` at 6–23 months (one uniform each), to its own mother where households
/// are families (`mothers`: each member's mother's offset; she was 15–49 at the birth), otherwise
/// to one of those women at random (a second draw, only when there is more than one). A child
/// without a mother, or without such a woman, in its household is not breastfed.
fn link_nursing(
    p: &crate::scenario::params::PopulationParams,
    members: &mut [Person],
    mothers: Option<&[Option<usize>]>,
    rng: &mut Stream,
) -> u8 {
    if p.breastfed_share_under_6m <= 0.0 && p.breastfed_share_6_23m <= 0.0 {
        return 0;
    }
    let nursing = |w: &Person| !w.is_child() && w.sex() == Sex::Female && NURSING_AGE.contains(&w.age0_years);
    let mut linked = 0u8;
    let women: Vec<usize> = (0..members.len()).filter(|&i| nursing(&members[i])).collect();
    for i in 0..members.len() {
        let c = &members[i];
        if !c.is_child() || c.age0_years >= physiology::WEANED_AT_YEARS {
            continue;
        }
        let share = if c.age0_years < physiology::EXCLUSIVE_UNTIL_YEARS {
            p.breastfed_share_under_6m
        } else {
            p.breastfed_share_6_23m
        };
        // With families, only the child's own mother (15–49 at its birth); otherwise any woman of
        // nursing age.
        let own = mothers.map(|m| m[i]);
        if own == Some(None) || (own.is_none() && women.is_empty()) || rng::uniform(rng) >= share {
            continue;
        }
        let mother = match own {
            Some(Some(w)) => w,
            _ if women.len() == 1 => women[0],
            _ => women[rng::below(rng, women.len())],
        };
        members[i].set_mother(Some(mother));
        // 255 stands for "255 or more" (the household is then always visited): intended.
        linked = linked.saturating_add(1);
    }
    linked
}

/// The age–sex pyramid people are drawn from (`[[population.ages]]`, MODEL.md §2): its cells (a
/// band's men, then its women) with the cumulative shares that end them, normalised to 1.
#[derive(Clone, Debug)]
pub struct Pyramid {
    /// (upper end of the cell's cumulative share, from age, width in years, sex).
    cells: Vec<(f64, f64, f64, Sex)>,
}

impl Pyramid {
    /// The scenario's pyramid, or None where it gives the four band shares instead.
    pub fn of(p: &crate::scenario::params::PopulationParams) -> Option<Self> {
        if p.ages.is_empty() {
            return None;
        }
        let total: f64 = p.ages.iter().map(|b| b.male_share_of_all + b.female_share_of_all).sum();
        let mut sum = 0.0;
        let mut cells = Vec::with_capacity(2 * p.ages.len());
        for b in &p.ages {
            for (share, sex) in [(b.male_share_of_all, Sex::Male), (b.female_share_of_all, Sex::Female)] {
                sum += share;
                cells.push((sum / total, b.from_years, b.to_years - b.from_years, sex));
            }
        }
        // The last cell with people ends at exactly 1 (and so does every empty one after it), so
        // that rounding never leaves a draw beyond it.
        let last = cells.iter().rposition(|c| c.0 > 0.0).unwrap_or(cells.len() - 1);
        for c in &mut cells[last..] {
            c.0 = 1.0;
        }
        Some(Pyramid { cells })
    }

    /// A sex and an age, years: the cell whose cumulative share first exceeds the uniform `u`,
    /// and an age uniform within its band by the uniform `v`.
    pub fn draw(&self, u: f64, v: f64) -> (Sex, f64) {
        let i = self.cells.partition_point(|c| c.0 <= u).min(self.cells.len() - 1);
        let (_, from, width, sex) = self.cells[i];
        (sex, from + width * v)
    }
}

fn draw_person(inputs: &Inputs, under5: &Under5Index, pyramid: Option<&Pyramid>, rng: &mut Stream) -> Person {
    let p = &inputs.population;
    let (sex, age) = match pyramid {
        Some(pyramid) => {
            let u = rng::uniform(rng);
            pyramid.draw(u, rng::uniform(rng))
        }
        None => {
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
            (sex, age)
        }
    };
    let mut person = Person::new(age, sex);
    if person.is_child() {
        let (mean, sd) = if age < 5.0 {
            (under5.mean, under5.sd)
        } else {
            (p.child_index_mean, p.child_index_sd)
        };
        let index = rng::normal(rng, mean, sd).clamp(-4.0, 3.0);
        person.weight_ratio = physiology::ratio_from_index(index) as f32;
        // The own centile is the drawn index, but not below −3: a severely wasted child catches
        // up to moderate wasting when fed, where untreated moderate wasting mostly persists
        // (James 2016; modelling choice).
        let own = if inputs.catch_up_to_own_centile {
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
        let (k, act, usual) = physiology::adult_baseline(inputs.baseline, fat, weight - fat, height, age, sex);
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
    fn the_normal_quantile_is_accurate() {
        for (p, z) in [
            (0.5, 0.0),
            (0.975, 1.959_963_984_540_054),
            (0.025, -1.959_963_984_540_054),
            (0.001, -3.090_232_306_167_813_5),
            (0.108, -1.237_234_599_162_827_3),
        ] {
            assert!(
                (normal_quantile(p) - z).abs() < 1e-8,
                "Φ⁻¹({p}) = {}",
                normal_quantile(p)
            );
        }
    }

    /// Starting wasting from survey prevalence (MODEL.md §5.3): with Mali's national SMART 2022
    /// GAM 10.8% and SAM 2.1%, the drawn under-5s below −2 and −3 match within sampling error
    /// (four standard errors of a binomial share, about 40,000 under-5s), and the 5–14-year-olds
    /// keep `child_index_mean`/`_sd`.
    #[test]
    fn the_drawn_starting_gam_and_sam_match_the_survey() {
        let s = crate::scenario::parse(
            "t.toml",
            "[simulation]\nname = \"t\"\n[population]\nsize = 220000\nunder5_gam_share = 0.108\nunder5_sam_share = 0.021\n",
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (mut r, mut n) = (rng::stream(11, 0, 0), rng::stream(11, 0, 1));
        let (persons, _) = build(&Inputs::of(&s), &mut r, &mut n);
        let under5: Vec<f32> = persons
            .iter()
            .filter(|p| p.age0_years < 5.0)
            .map(|p| physiology::child_index(p.weight_ratio))
            .collect();
        let older: Vec<f32> = persons
            .iter()
            .filter(|p| p.is_child() && p.age0_years >= 5.0)
            .map(|p| physiology::child_index(p.weight_ratio))
            .collect();
        let share = |v: &[f32], below: f32| v.iter().filter(|&&x| x < below).count() as f64 / v.len() as f64;
        for (below, target) in [(-2.0, 0.108), (-3.0, 0.021)] {
            let got = share(&under5, below);
            let se = (target * (1.0 - target) / under5.len() as f64).sqrt();
            assert!(
                (got - target).abs() < 4.0 * se,
                "{} under-5s: {got:.4} below {below}, survey {target}",
                under5.len()
            );
        }
        // 5–14: N(−0.5, 1), 6.7% below −2.
        let got = share(&older, -2.0);
        assert!((got - 0.0668).abs() < 0.01, "5–14: {got:.4} below −2");
    }

    /// `adult_need = "factorial"` (MODEL.md §5.1): every adult's habitual need is Schofield's basal
    /// rate at their starting weight, age and sex times the PAL, so it grows with weight; the draws
    /// are those of the table rule (the same people, other needs), and the table rule still gives
    /// the band's need whatever the weight.
    #[test]
    fn a_factorial_need_is_basal_metabolism_times_the_activity_level() {
        let parse = |extra: &str| {
            crate::scenario::parse(
                "t.toml",
                &format!("[simulation]\nname = \"t\"\n[population]\nsize = 3000\n{extra}"),
                &[],
            )
            .unwrap_or_else(|e| panic!("{e}"))
        };
        let people = |s: &crate::scenario::Scenario| {
            let (mut r, mut n) = (rng::stream(5, 0, 0), rng::stream(5, 0, 1));
            build(&Inputs::of(s), &mut r, &mut n).0
        };
        let table = people(&parse(""));
        let factorial = people(&parse("[physiology]\nadult_need = \"factorial\"\npal = 1.7\n"));
        let mut heavier_need_more = 0;
        let mut adults = 0;
        for (t, f) in table.iter().zip(&factorial) {
            assert_eq!((t.age0_years, t.fat_kg, t.lean_kg), (f.age0_years, f.fat_kg, f.lean_kg));
            if t.is_child() {
                continue;
            }
            adults += 1;
            let w = f64::from(f.fat_kg + f.lean_kg);
            let want = physiology::basal_kcal(w, f64::from(f.age0_years), f.sex()) * 1.7;
            assert!(
                (f64::from(f.usual_kcal()) - want).abs() < 0.01 * want,
                "{} against {want}",
                f.usual_kcal()
            );
            assert_eq!(t.usual_kcal(), physiology::usual_kcal(t.age0_years, t.sex()));
            // Against a person 5 kg lighter of the same age and sex: 5 × the slope × PAL less.
            let lighter = physiology::basal_kcal(w - 5.0, f64::from(f.age0_years), f.sex()) * 1.7;
            heavier_need_more += usize::from(want - lighter > 5.0 * 8.0 * 1.7 - 1e-6);
        }
        assert!(adults > 1000);
        assert_eq!(heavier_need_more, adults);
    }

    /// Breastfeeding links (MODEL.md §5.3): every linked child is under 2 and linked to its mother
    /// in its own household (with families, the default); the breastfed shares by age are drawn as given; and turning
    /// breastfeeding off moves no other draw.
    #[test]
    fn infants_are_linked_to_women_of_their_household_at_the_given_shares() {
        let text = "[simulation]\nname = \"t\"\n[population]\nsize = 60000\n";
        let s = crate::scenario::parse("t.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
        let (mut r, mut n) = (rng::stream(5, 0, 0), rng::stream(5, 0, NURSING_SUBSTREAM));
        let (persons, households) = build(&Inputs::of(&s), &mut r, &mut n);
        let (mut young, mut young_fed, mut older, mut older_fed) = (0, 0, 0, 0);
        for h in &households {
            let members = &persons[h.members()];
            let has_woman = members
                .iter()
                .any(|w| !w.is_child() && w.sex() == Sex::Female && NURSING_AGE.contains(&w.age0_years));
            for c in members.iter().filter(|c| c.is_child()) {
                if let Some(m) = c.mother() {
                    let w = &members[m];
                    let gap = w.age0_years - c.age0_years;
                    assert!(c.age0_years < 2.0 && w.sex() == Sex::Female && MOTHER_AGE_AT_BIRTH.contains(&gap));
                }
                if c.age0_years < 2.0 && has_woman {
                    if c.age0_years < 0.5 {
                        young += 1;
                        young_fed += usize::from(c.mother().is_some());
                    } else {
                        older += 1;
                        older_fed += usize::from(c.mother().is_some());
                    }
                }
            }
        }
        assert_eq!(young_fed, young, "all under 6 months with a woman to feed them");
        let share = older_fed as f64 / older as f64;
        assert!(
            (share - 0.9).abs() < 4.0 * (0.09 / older as f64).sqrt(),
            "6–23 months: {share:.3} of {older}"
        );
        let off = crate::scenario::parse(
            "t.toml",
            &format!("{text}breastfed_share_under_6m = 0.0\nbreastfed_share_6_23m = 0.0\n"),
            &[],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        let (mut r, mut n) = (rng::stream(5, 0, 0), rng::stream(5, 0, NURSING_SUBSTREAM));
        let (without, _) = build(&Inputs::of(&off), &mut r, &mut n);
        assert!(without.iter().all(|p| p.mother().is_none()));
        assert!(persons.iter().zip(&without).all(|(a, b)| {
            a.age0_years == b.age0_years && a.weight_ratio == b.weight_ratio && a.fat_kg == b.fat_kg
        }));
    }

    /// `population.households = "families"` (the default): every child lives with a woman who was
    /// 15–49 at its birth, no household is children only, each neighbourhood has round(n / mean)
    /// households, and
    /// infants are breastfed by their own mothers; `independent` leaves children without one.
    #[test]
    fn households_as_families_put_each_child_with_a_mother() {
        let build_of = |extra: &str| {
            let text = format!("[simulation]\nname = \"t\"\n[population]\nsize = 30000\n{extra}");
            let s = crate::scenario::parse("t.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
            let (mut r, mut n) = (rng::stream(9, 0, 0), rng::stream(9, 0, NURSING_SUBSTREAM));
            build(&Inputs::of(&s), &mut r, &mut n)
        };
        // Children without a woman of a mother's age in their household, and child-only households.
        let orphans = |persons: &[Person], households: &[Household]| {
            let (mut alone, mut children_only) = (0, 0);
            for h in households {
                let members = &persons[h.members()];
                children_only += usize::from(members.iter().all(Person::is_child));
                for c in members.iter().filter(|c| c.is_child()) {
                    let mother = members.iter().any(|w| {
                        !w.is_child()
                            && w.sex() == Sex::Female
                            && MOTHER_AGE_AT_BIRTH.contains(&(w.age0_years - c.age0_years))
                    });
                    alone += usize::from(!mother);
                }
            }
            (alone, children_only)
        };
        let (persons, households) = build_of("");
        assert_eq!(persons.len(), 30000);
        // 8 neighbourhoods of 3,750 people, round(3,750 / 9) households each.
        assert_eq!(households.len(), 8 * (3750.0_f64 / 9.0).round() as usize);
        assert_eq!(orphans(&persons, &households), (0, 0));
        let infants = persons.iter().filter(|c| c.is_child() && c.age0_years < 0.5).count();
        let fed = persons
            .iter()
            .filter(|c| c.age0_years < 0.5 && c.mother().is_some())
            .count();
        assert!(infants > 500 && fed == infants, "{fed} of {infants} infants breastfed");
        for h in &households {
            let members = &persons[h.members()];
            for c in members.iter().filter(|c| c.mother().is_some()) {
                let gap = members[c.mother().unwrap()].age0_years - c.age0_years;
                assert!(
                    MOTHER_AGE_AT_BIRTH.contains(&gap),
                    "a nursling's mother {gap} years older"
                );
            }
        }
        let (persons, households) = build_of("households = \"independent\"\n");
        let (alone, children_only) = orphans(&persons, &households);
        assert!(
            alone > 300 && children_only > 0,
            "{alone} children alone, {children_only} households"
        );
    }

    /// A mother's children are at least a year apart (`MIN_BIRTH_INTERVAL_YEARS`), and almost every
    /// child still finds a mother, in a Sahel neighbourhood (many children to few women).
    #[test]
    fn a_mothers_children_are_at_least_a_year_apart() {
        let s = crate::scenario::parse("t.toml", "[simulation]\nname = \"t\"\n", &[]).unwrap_or_else(|e| panic!("{e}"));
        let inputs = Inputs::of(&s);
        let (under5, mut rng) = (Under5Index::of(&inputs.population), rng::stream(4, 0, 0));
        let mut people: Vec<Person> = (0..4096)
            .map(|_| draw_person(&inputs, &under5, None, &mut rng))
            .collect();
        let (sizes, mothers) = families(&mut people, 9.0, &mut rng);
        // Each mother by her position: her household's first position plus her offset in it.
        let firsts = sizes.iter().scan(0, |sum, &s| Some(std::mem::replace(sum, *sum + s)));
        let household_first: Vec<usize> = sizes
            .iter()
            .zip(firsts)
            .flat_map(|(&s, f)| std::iter::repeat_n(f, s))
            .collect();
        let mut by_mother: std::collections::BTreeMap<usize, Vec<f32>> = Default::default();
        for (i, m) in mothers.iter().enumerate() {
            if let Some(m) = m {
                let w = &people[household_first[i] + m];
                assert!(w.sex() == Sex::Female && MOTHER_AGE_AT_BIRTH.contains(&(w.age0_years - people[i].age0_years)));
                by_mother
                    .entry(household_first[i] + m)
                    .or_default()
                    .push(people[i].age0_years);
            }
        }
        for ages in by_mother.values() {
            for (i, a) in ages.iter().enumerate() {
                assert!(
                    ages[i + 1..].iter().all(|b| (a - b).abs() >= MIN_BIRTH_INTERVAL_YEARS),
                    "{ages:?}"
                );
            }
        }
        let children = people.iter().filter(|p| p.is_child()).count();
        let with_mother = mothers.iter().filter(|m| m.is_some()).count();
        assert!(
            with_mother as f64 > 0.97 * children as f64,
            "{with_mother} of {children} with a mother"
        );
    }

    /// The people of replicate 0 of scenario `text` with seed `seed`.
    fn drawn(text: &str, seed: u64) -> Vec<Person> {
        let s = crate::scenario::parse("t.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
        let (mut r, mut n) = (rng::stream(seed, 0, 0), rng::stream(seed, 0, NURSING_SUBSTREAM));
        build(&Inputs::of(&s), &mut r, &mut n).0
    }

    /// `[[population.ages]]` (MODEL.md §2): the drawn people match the table, cell by cell (a
    /// band's men and women, within four binomial standard errors over 200,000 people), each
    /// age falls in its band, and a band's ages are uniform within it (mean near the midpoint).
    #[test]
    fn the_drawn_pyramid_matches_the_table() {
        // Uneven bands and sex ratios, with an empty cell and a band straddling the child/adult
        // boundary at 15, and shares that sum to 1 only within the tolerance (0.999).
        let bands = [
            (0.0, 3.0, 0.04, 0.039),
            (3.0, 12.0, 0.08, 0.0),
            (12.0, 20.0, 0.07, 0.08),
            (20.0, 50.0, 0.14, 0.25),
            (50.0, 95.0, 0.1, 0.2),
        ];
        let mut text = String::from("[simulation]\nname = \"t\"\n[population]\nsize = 200000\n");
        for (from, to, m, f) in bands {
            text += &format!(
                "[[population.ages]]\nfrom_years = {from:?}\nto_years = {to:?}\nmale_share_of_all = {m:?}\nfemale_share_of_all = {f:?}\n"
            );
        }
        let persons = drawn(&text, 3);
        let total = persons.len() as f64;
        let sum: f64 = bands.iter().map(|b| b.2 + b.3).sum();
        for (from, to, m, f) in bands {
            for (share, sex) in [(m, Sex::Male), (f, Sex::Female)] {
                let cell: Vec<f64> = persons
                    .iter()
                    .filter(|p| p.sex() == sex && (from..to).contains(&f64::from(p.age0_years)))
                    .map(|p| f64::from(p.age0_years))
                    .collect();
                let expected = share / sum;
                let drawn = cell.len() as f64 / total;
                let se = (expected * (1.0 - expected) / total).sqrt();
                assert!(
                    (drawn - expected).abs() <= 4.0 * se + 1e-12,
                    "{from}–{to} {sex:?}: drawn {drawn:.5}, table {expected:.5}"
                );
                if cell.len() > 1000 {
                    let mean = cell.iter().sum::<f64>() / cell.len() as f64;
                    let sd_of_mean = (to - from) / (12.0 * cell.len() as f64).sqrt();
                    assert!(
                        (mean - (from + to) / 2.0).abs() < 4.0 * sd_of_mean,
                        "{from}–{to} {sex:?}: mean age {mean:.3}"
                    );
                }
            }
        }
        assert!(persons.iter().all(|p| (0.0..95.0).contains(&p.age0_years)));
        // The model's classes follow the drawn age: children under 15, adults from 15.
        assert!(persons.iter().all(|p| p.is_child() == (p.age0_years < 15.0)));
    }

    /// A pyramid of the default shares' own bands draws the same population structure as the
    /// four shares do (each cell's share within sampling error).
    #[test]
    fn a_pyramid_of_the_default_bands_draws_the_default_structure() {
        let run = |extra: &str| {
            drawn(
                &format!("[simulation]\nname = \"t\"\n[population]\nsize = 100000\n{extra}"),
                8,
            )
        };
        let shares = run("");
        let mut table = String::new();
        // Mali's defaults: 18% under 5, 29% 5–14, 49% 15–59, 4% 60–79, half male.
        for (from, to, share) in [(0, 5, 0.18), (5, 15, 0.29), (15, 60, 0.49), (60, 80, 0.04)] {
            table += &format!(
                "[[population.ages]]\nfrom_years = {from}\nto_years = {to}\nmale_share_of_all = {:?}\nfemale_share_of_all = {:?}\n",
                share / 2.0,
                share / 2.0
            );
        }
        let pyramid = run(&table);
        let cell = |ps: &[Person], lo: f32, hi: f32, sex: Sex| {
            ps.iter()
                .filter(|p| p.sex() == sex && (lo..hi).contains(&p.age0_years))
                .count() as f64
                / ps.len() as f64
        };
        for (lo, hi) in [(0.0, 5.0), (5.0, 15.0), (15.0, 60.0), (60.0, 80.0)] {
            for sex in [Sex::Male, Sex::Female] {
                let (a, b) = (cell(&shares, lo, hi, sex), cell(&pyramid, lo, hi, sex));
                let se = (a * (1.0 - a) * 2.0 / 100_000.0).sqrt();
                assert!(
                    (a - b).abs() < 4.0 * se,
                    "{lo}–{hi} {sex:?}: shares {a:.4}, pyramid {b:.4}"
                );
            }
        }
    }

    #[test]
    fn persons_and_households_stay_compact() {
        assert_eq!(std::mem::size_of::<Person>(), 40);
        // 72 + dry_days and ors (water) + the store issue and the RUTF held, both f32 = 82,
        // aligned to 88: 8 more than design-round2 §2.2 planned, so a city of ~3.5 people a
        // household costs about 65 bytes a person, just over BENCHMARKS.md's 64 (named there).
        assert_eq!(std::mem::size_of::<Household>(), 88);
    }
}
