//! The simulation core: the world of one replicate and its daily step (MODEL.md §3). No I/O, no
//! threads of its own beyond rayon chunks, no clock: everything random comes from the replicate's
//! ChaCha stream.
//!
//! Each day, in order: events → airdrops land, convoys leave and arrive → water (supply, dry
//! days, dehydration) → food (imports, host support, sharing, slaughter,
//! rationing, the split between members) → physiology → mortality → movement → observation.
//! Households are processed in fixed chunks, each with its own sub-stream, and every decision in a
//! phase reads the state at the start of that phase, so neither agent order nor thread count
//! changes results.

pub mod airdrop;
mod convoy;
pub mod disease;
pub mod displacement;
pub mod events;
pub mod food;
mod household;
#[cfg(target_arch = "x86_64")]
mod household_avx2;
mod kernel;
mod lanes;
pub mod market;
pub mod mortality;
pub mod physiology;
pub mod population;
mod record;
pub mod rng;
mod siege;
mod store;
mod tally;
pub mod water;
pub use airdrop::DropsToday;
pub use kernel::non_breastfed_factor;
pub use store::{StoreOutlook, first_day_short, store_outlook};

use crate::observe::{Observer, RunTotals};
use crate::scenario::Scenario;
use crate::scenario::params::{RationRegime, RouteState};
use population::{Household, Mode, Person, Status};
use rayon::prelude::*;
use rng::Stream;
pub use tally::FoodLedger;
use tally::{Cumulative, Deaths, LocTally, Rolling, Sum, Tally};

/// How the household pass does its members' arithmetic: one member at a time, eight at a time
/// (AVX2) or sixteen (AVX-512; both in model/household_avx2.rs). The results are the same bits
/// whichever.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum MemberPass {
    One,
    Avx2,
    Avx512,
}

/// The fastest member pass this processor can run.
fn member_pass_available() -> MemberPass {
    #[cfg(target_arch = "x86_64")]
    {
        if household_avx2::avx512_available() {
            MemberPass::Avx512
        } else if household_avx2::available() {
            MemberPass::Avx2
        } else {
            MemberPass::One
        }
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        MemberPass::One
    }
}

/// Households per chunk: fixed, so the random sub-streams do not depend on the machine.
pub const CHUNK_HOUSEHOLDS: usize = 1024;
/// Populations at least this large run their chunks in parallel within a replicate.
const PARALLEL_MIN_PEOPLE: usize = 100_000;

#[derive(Clone)]
pub(crate) struct Chunk {
    pub households: std::ops::Range<usize>,
    pub persons: std::ops::Range<usize>,
    pub rng: Stream,
    /// Disease onsets only (disease.rs), when disease is on.
    pub disease_rng: Stream,
    pub tally: Tally,
    /// Cash of each of the chunk's households, kcal at P₀, when `[market]` is on (else empty).
    pub cash: Vec<f32>,
}

/// What every household at a location sees today (read-only during the chunk passes).
#[derive(Clone, Debug, Default)]
pub(crate) struct LocDay {
    pub encircled: bool,
    pub besieged_now: bool,
    pub import_per_person: f64,
    pub host_per_person: f64,
    /// τ_host: days over which host support falls by the factor e.
    pub host_days: f64,
    /// Host support's decline (`food::host_decline` at τ_host) by days at the refuge, for the
    /// days a household can have been here so far: one `exp` a location and day instead of one
    /// a displaced household and day (`LocDay::host_decline`).
    pub host_decline: Vec<f64>,
    pub pool_per_gap: f64,
    pub offer_share: f64,
    pub violence_hazard: f64,
    pub violence_recent: f64,
    pub share_gone: f64,
    /// Share of the normal supply that reaches the location today (the market's and a store's).
    pub market_through: f64,
    /// Access to care (0–1): `[disease] care_access`, changed by `care` events.
    pub care: f64,
    /// Probability that a household at home here is evacuated today (`[[evacuations]]`, §7a).
    pub evacuate_p: f64,
    /// Reachable refuges by open routes: (location, distance km, worst crossing risk, cumulative weight).
    pub exits: Vec<(usize, f64, f64, f64)>,
    /// Today's market, when `[market]` is on (model/market.rs).
    pub market: Option<market::MarketDay>,
}

impl LocDay {
    /// Sets τ_host, and the decline table to cover the days a household can have spent at the
    /// refuge by `day` (at most the day plus one: a household that arrives counts 1).
    fn set_host_days(&mut self, tau_days: f64, day: u32) {
        if self.host_days != tau_days {
            self.host_decline.clear();
        }
        self.host_days = tau_days;
        let days = (day as usize + 2).min(usize::from(u16::MAX) + 1);
        for d in self.host_decline.len()..days {
            self.host_decline.push(food::host_decline(d as u16, tau_days));
        }
    }

    /// Host support's decline after `days_here` days at the refuge, exp(−days/τ_host)
    /// (`food::host_decline`), from the table when it reaches that far.
    #[inline]
    pub(crate) fn host_decline(&self, days_here: u16) -> f64 {
        match self.host_decline.get(usize::from(days_here)) {
            Some(&d) => d,
            None => food::host_decline(days_here, self.host_days),
        }
    }
}

/// One replicate's world.
#[derive(Clone)]
pub struct World<'s> {
    pub(crate) s: &'s Scenario,
    pub(crate) replicate: u32,
    pub day: u32,
    pub persons: Vec<Person>,
    pub households: Vec<Household>,
    pub(crate) chunks: Vec<Chunk>,
    pub(crate) rng: Stream,
    /// Convoy outcomes only (model/convoy.rs).
    pub(crate) convoy_rng: Stream,
    /// Drop-zone casualties only (model/airdrop.rs).
    pub(crate) casualty_rng: Stream,
    pub(crate) route_state: Vec<RouteState>,
    pub siege_active: bool,
    pub(crate) liberation_day: Option<u32>,
    /// Victims of violence per location over the last days (ring buffer of daily counts).
    pub(crate) violence_log: Vec<Vec<u64>>,
    /// Shortest open-route distance and worst crossing risk between locations (None = unreachable).
    pub(crate) paths: Vec<Vec<Option<(f64, f64)>>>,
    pub(crate) loc_day: Vec<LocDay>,
    /// The world's own tally for sequential phases (events, airdrops) of the day.
    pub(crate) today: Tally,
    pub(crate) coefs: physiology::Coefs,
    /// Shared with the chunk passes (cloning the Arc does not copy its table).
    pub(crate) hazards: std::sync::Arc<mortality::Hazards>,
    /// The infections, when `[disease]` is on.
    pub(crate) disease: Option<std::sync::Arc<disease::Disease>>,
    /// Access to care at each location now.
    pub(crate) care: Vec<f64>,
    pub(crate) parallel: bool,
    /// How the household pass does its member arithmetic (detected at run time); the results are
    /// the same to the last bit whichever.
    pub(crate) pass: MemberPass,
    // Running totals.
    pub(crate) cum: Cumulative,
    /// The last 30 days' deaths and people at risk, for the rolling rates.
    pub(crate) rolling: Rolling,
    /// The authority's stores (model/store.rs), in scenario order, and who holds which card.
    pub(crate) stores: Vec<store::StoreState>,
    pub(crate) cards: store::Cards,
    /// Issued by the stores today, kcal.
    pub(crate) issued_today: f64,
    pub ledger: FoodLedger,
    u5_alive: u64,
    /// People active (alive, not kidnapped) at the end of the last day: the day's counts.
    active: u64,
    /// Each location's water sources and stores (model/water.rs), and the water there today.
    pub(crate) water: Vec<water::LocWater>,
    pub(crate) water_today: Vec<water::WaterToday>,
    /// Markets, wealth groups and coping foods, when `[market]` is on.
    pub(crate) markets: Option<market::Markets>,
}

/// What a run of a scenario reads, written out in full. A run is a function of its validated
/// scenario (every default and override in place, the seed included) and its replicate alone, so
/// two scenarios with equal `RunInput`s give the same run of every replicate, to the last bit:
/// an experiment may run one and reuse its outcomes for the other (experiment::sensitivity).
///
/// The fields of a mechanism that cannot act in any run of the scenario are written at their
/// defaults, so that scenarios differing only there compare equal:
/// - `siege.recovery_days` is read only after the siege is lifted (`siege::siege_at`), which
///   only `[siege] end_day` and a `liberation` event do: without either, it is unread;
/// - `physiology.rutf_catch_up_g_per_kg_day` and `rutf_kcal_per_kg_day` are read only for a
///   household holding therapeutic food (`kernel::therapeutic`, and the member kernel's
///   `treated`), which only an airdrop or a convoy of `commodity = "rutf"` brings: without one,
///   they are unread.
///
/// Every other difference, whether it changes the run or not, makes the inputs differ: a value
/// that acts is never mistaken for one that does not (tests below; a parameter inert only because
/// a threshold is never reached is not recognised, and costs its runs).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunInput(String);

impl RunInput {
    pub fn of(s: &Scenario) -> Self {
        use crate::scenario::params::{Commodity, EventKind, PhysiologyParams, SiegeParams};
        let lifted = s.siege().end_day.is_some() || s.events().iter().any(|e| e.kind == EventKind::Liberation);
        let rutf = s
            .airdrops()
            .iter()
            .map(|a| a.commodity)
            .chain(s.convoys().iter().map(|c| c.commodity))
            .any(|c| c == Commodity::Rutf);
        let normal = s.with_written_edited(|f| {
            if !lifted {
                f.siege.recovery_days = SiegeParams::default().recovery_days;
            }
            if !rutf {
                let d = PhysiologyParams::default();
                f.physiology.rutf_catch_up_g_per_kg_day = d.rutf_catch_up_g_per_kg_day;
                f.physiology.rutf_kcal_per_kg_day = d.rutf_kcal_per_kg_day;
            }
        });
        // Debug writes every field (no type of the scenario writes its own), each number in the
        // shortest form that reads back to it: distinct values give distinct text.
        RunInput(format!("{normal:?}"))
    }
}

/// What every replicate of one scenario starts from and shares, worked out from the scenario
/// alone: the hazards (but for where each replicate places its children's floors) and the
/// infections. Making them costs about as much as a day of a 3,000-person world (the mean
/// hazard ratio of the surveyed children is a sum over 8,001 points), so a caller that runs many
/// replicates of one scenario makes a `Setup` once and each replicate from it
/// ([`World::from_setup`]); the replicates are the same to the last bit as [`World::new`]'s.
pub struct Setup<'s> {
    s: &'s Scenario,
    hazards: mortality::Hazards,
    disease: Option<std::sync::Arc<disease::Disease>>,
}

impl<'s> Setup<'s> {
    pub fn new(s: &'s Scenario) -> Self {
        let mut hazards = mortality::Hazards::new(s.mortality(), s.physiology(), s.seed(), 0);
        let disease = disease::Disease::new(s);
        if let Some(d) = &disease {
            hazards.set_disease(d);
        }
        Setup {
            s,
            hazards,
            disease: disease.map(std::sync::Arc::new),
        }
    }
}

impl<'s> World<'s> {
    /// Builds replicate `replicate` of the scenario: its population drawn from sub-stream 0.
    pub fn new(s: &'s Scenario, replicate: u32) -> Self {
        Self::from_setup(&Setup::new(s), replicate)
    }

    /// Builds replicate `replicate` of the setup's scenario (as [`World::new`] does).
    pub fn from_setup(setup: &Setup<'s>, replicate: u32) -> Self {
        Self::from_drawn(
            setup,
            population::Drawn::new(&population::Inputs::of(setup.s), replicate),
        )
    }

    /// Builds the replicate of the setup's scenario whose population is `drawn`. A population drawn
    /// for another scenario serves when the two scenarios' `population::Inputs` are equal: the
    /// world is then the same to the last bit as [`World::from_setup`]'s, so runs of scenarios
    /// that differ only in what the draw does not read can share it (experiment::sensitivity).
    pub fn from_drawn(setup: &Setup<'s>, drawn: population::Drawn) -> Self {
        let s = setup.s;
        let seed = s.seed();
        let population::Drawn {
            mut persons,
            households,
            rng,
            replicate,
        } = drawn;
        // Cards: the shares drawn at working age depend on who is there (MODEL.md §4.2), and
        // each adult's card at the start picks their activity (`[[activity]]` by card); drawn
        // from the hash, so no stream moves. Worked out only where something reads them.
        let reads_cards = s.reads_cards();
        let cards = store::Cards::new(
            &s.cards(),
            seed,
            u64::from(replicate),
            if reads_cards { &persons } else { &[] },
        );
        let mut adults_by_card = [0u64; 3];
        if reads_cards {
            for (i, p) in persons.iter_mut().enumerate().filter(|(_, p)| !p.is_child()) {
                p.set_card(cards.card(i, p.age0_years, p.sex()));
                if let Some(n) = adults_by_card.get_mut(p.card_index()) {
                    *n += 1;
                }
            }
        }
        let n_loc = s.location_ids().len();
        let mut chunks = Vec::new();
        for (c, start) in (0..households.len()).step_by(CHUNK_HOUSEHOLDS).enumerate() {
            let end = (start + CHUNK_HOUSEHOLDS).min(households.len());
            let p0 = households[start].first as usize;
            let last = &households[end - 1];
            let persons = p0..last.members().end;
            chunks.push(Chunk {
                households: start..end,
                persons,
                rng: rng::stream(seed, u64::from(replicate), c as u64 + 1),
                disease_rng: rng::stream(seed, u64::from(replicate), disease::substream(c)),
                tally: Tally::new(n_loc),
                cash: Vec::new(),
            });
        }
        let initial: f64 = households.iter().map(|h| h.stock_kcal).sum();
        let u5_alive = persons.iter().filter(|p| p.age0_years < 5.0).count() as u64;
        let hazards = setup.hazards.for_replicate(seed, u64::from(replicate));
        let disease = setup.disease.clone();
        let window = s.displacement().violence_window_days as usize;
        let mut world = World {
            s,
            replicate,
            day: 0,
            parallel: persons.len() >= PARALLEL_MIN_PEOPLE,
            pass: member_pass_available(),
            persons,
            households,
            chunks,
            rng,
            convoy_rng: rng::stream(seed, u64::from(replicate), convoy::CONVOY_SUBSTREAM),
            casualty_rng: rng::stream(seed, u64::from(replicate), airdrop::CASUALTY_SUBSTREAM),
            route_state: s.routes().iter().map(|r| r.state).collect(),
            siege_active: false,
            liberation_day: None,
            violence_log: vec![vec![0; window]; n_loc],
            paths: Vec::new(),
            loc_day: vec![LocDay::default(); n_loc],
            today: Tally::new(n_loc),
            coefs: physiology::Coefs::new(s.physiology()),
            hazards: std::sync::Arc::new(hazards),
            care: vec![disease.as_ref().map_or(0.0, |d| d.care_access); n_loc],
            disease,
            cum: Cumulative {
                adults_by_card,
                displaced_to: vec![0; n_loc],
                deaths_at: vec![Deaths::default(); n_loc],
                ..Default::default()
            },
            rolling: Rolling::default(),
            stores: s
                .stores()
                .iter()
                .map(|st| store::StoreState {
                    stock_kcal: st.stock_kcal,
                })
                .collect(),
            cards,
            issued_today: 0.0,
            ledger: FoodLedger {
                initial,
                ..Default::default()
            },
            u5_alive,
            active: 0,
            water: water::initial(s),
            water_today: vec![water::WaterToday::default(); n_loc],
            markets: None,
        };
        if s.market().enabled {
            world.draw_wealth();
        }
        world.update_paths();
        world.active = world.households.iter().map(|h| u64::from(h.n_active)).sum();
        world
    }

    /// Runs one day and reports it to `obs`.
    pub fn step(&mut self, obs: &mut impl Observer) {
        let day = self.day;
        let active_start = self.active;
        let u5_start = self.u5_alive;
        self.today.reset();
        for c in &mut self.chunks {
            c.tally.reset();
        }
        // 1. Events.
        self.scheduled_siege(day);
        self.apply_events(day);
        // 2. Supply: airdrops land (imports and host support go with the food pass).
        let drops = self.land_airdrops(day);
        self.run_convoys(day);
        // Water: each location's supply, dry days and dehydration (nothing without water sources).
        self.water_phase(day);
        // 3–5. Food, physiology, mortality.
        self.prepare_food_day();
        self.issued_today = 0.0;
        self.issue_rations();
        self.market_phase();
        self.food_and_health_pass();
        // 6. Movement.
        self.prepare_movement_day();
        self.movement_pass();
        // 7. Observation.
        let mut t = std::mem::take(&mut self.today);
        for c in &self.chunks {
            t.add(&c.tally);
        }
        self.active = t.n_present + t.n_in_transit + t.n_displaced;
        self.record(day, &t, active_start, u5_start, drops, obs);
        self.today = t;
        self.day += 1;
    }

    /// The death hazards of this replicate (with the infections' derived values when on).
    pub fn hazards(&self) -> &mortality::Hazards {
        &self.hazards
    }

    /// Whether the household pass works on eight members at a time (AVX2, where the processor
    /// has it) or sixteen (`with_avx512`) rather than one at a time. The results are the same to
    /// the last bit either way.
    pub fn eight_at_a_time(&self) -> bool {
        self.pass != MemberPass::One
    }

    /// Whether the vector pass works on sixteen members at a time (AVX-512 F, VL, BW, DQ, where
    /// the processor has them) rather than eight. The results are the same to the last bit.
    pub fn with_avx512(&self) -> bool {
        self.pass == MemberPass::Avx512
    }

    /// Makes the vector pass work on eight members at a time (AVX2) where the processor has
    /// AVX-512 too: for the tests that compare the paths, and to time them.
    pub fn without_avx512(&mut self) {
        if self.pass == MemberPass::Avx512 {
            self.pass = MemberPass::Avx2;
        }
    }

    /// Makes the household pass work one member at a time, as on a processor without AVX2: for
    /// the tests that compare the two, and to time the reference path.
    pub fn one_member_at_a_time(&mut self) {
        self.pass = MemberPass::One;
    }

    /// A copy of this world, to go on under `s`: a scenario the same as the world's own but for
    /// drops that land today or later ([`airdrop::same_but_drops`] and [`airdrop::drops_on`] tell
    /// which). The copy is the world `s` itself would have reached by today, as the drops are
    /// read only on the day they land (`land_airdrops`); so related runs can share their
    /// common days (experiment::related).
    pub fn fork(&self, s: &'s Scenario) -> World<'s> {
        debug_assert_eq!(airdrop::same_but_drops(self.s), airdrop::same_but_drops(s));
        debug_assert!((0..self.day).all(|d| airdrop::drops_on(self.s, d) == airdrop::drops_on(s, d)));
        World { s, ..self.clone() }
    }

    /// Runs every day of the horizon.
    pub fn run(mut self, obs: &mut impl Observer) -> RunTotals {
        for _ in 0..self.s.days() {
            self.step(obs);
        }
        self.totals()
    }

    /// Runs `f` on every chunk (in parallel for large worlds); `f` sees the chunk's households, its
    /// persons (indexed from the chunk's first person `p0`) and its tally and stream.
    pub(crate) fn for_each_chunk<F>(&mut self, f: F)
    where
        F: Fn(&mut [Household], &mut [Person], usize, &mut Stream, &mut Tally) + Sync,
    {
        self.for_each_chunk_of(|h, p, p0, c| f(h, p, p0, &mut c.rng, &mut c.tally));
    }

    /// `for_each_chunk`, with the whole chunk (both its streams) at hand.
    pub(crate) fn for_each_chunk_of<F>(&mut self, f: F)
    where
        F: Fn(&mut [Household], &mut [Person], usize, &mut Chunk) + Sync,
    {
        let mut views = Vec::with_capacity(self.chunks.len());
        let (mut hh_rest, mut p_rest) = (&mut self.households[..], &mut self.persons[..]);
        for c in self.chunks.iter_mut() {
            let (h, hr) = std::mem::take(&mut hh_rest).split_at_mut(c.households.len());
            let (p, pr) = std::mem::take(&mut p_rest).split_at_mut(c.persons.len());
            hh_rest = hr;
            p_rest = pr;
            views.push((h, p, c));
        }
        let run = |(h, p, c): (&mut [Household], &mut [Person], &mut Chunk)| f(h, p, c.persons.start, c);
        if self.parallel {
            views.into_par_iter().for_each(run);
        } else {
            views.into_iter().for_each(run);
        }
    }

    /// Need of each household today, sharing pools and displaced counts per location. Members'
    /// demands and bands for today were left by yesterday's household pass (household.rs), so only the
    /// households whose membership changed since then read their members here.
    fn prepare_food_day(&mut self) {
        let s = self.s;
        let day = self.day;
        let regime = food::regime_on(&s.food().rations, day);
        let horizon = s.food().rationing_horizon_days;
        let rate = s.food().sharing_rate;
        let coefs = physiology::Coefs::new(s.physiology());
        let nursing = kernel::nursing_possible(s, day);
        let cold = physiology::cold_share(s.physiology(), s.temperature_on(day)) as f32;
        let work = work_on(s, day);
        self.for_each_chunk(|hhs, persons, p0, _rng, t| {
            for h in hhs.iter_mut() {
                if h.n_active == 0 {
                    // Nobody left to feed (the members' bands and demands are never read).
                    h.need_kcal = 0.0;
                    continue;
                }
                if h.demand_stale {
                    // Day 0, or members killed or kidnapped since the household pass.
                    let r = h.members_from(p0);
                    h.next_need_kcal = demand_today(
                        &mut persons[r.clone()],
                        &coefs,
                        day,
                        regime,
                        (cold, work),
                        nursing,
                        &mut h.nurslings,
                    );
                    (h.child_demand_kcal, h.adult_demand_kcal) = food::tier_demands(&persons[r]);
                    h.demand_stale = false;
                }
                h.need_kcal = h.next_need_kcal;
                if h.mode == Mode::InTransit {
                    continue;
                }
                let l = &mut t.loc[h.location as usize];
                if h.mode == Mode::Displaced {
                    l.displaced_people += u64::from(h.n_active);
                }
                l.share_pool += rate * (h.stock_kcal - horizon * h.need_kcal).max(0.0);
                l.share_gap += (horizon * h.need_kcal - h.stock_kcal).max(0.0);
            }
        });
        let mut sums = vec![LocTally::default(); self.loc_day.len()];
        for c in &self.chunks {
            for (a, b) in sums.iter_mut().zip(&c.tally.loc) {
                a.share_pool += b.share_pool;
                a.share_gap += b.share_gap;
                a.displaced_people += b.displaced_people;
            }
        }
        for (i, ld) in self.loc_day.iter_mut().enumerate() {
            let lp = &s.locations()[i];
            let l = &sums[i];
            ld.encircled = s.encircled()[i];
            let since_liberation = self
                .liberation_day
                .filter(|_| !self.siege_active)
                // Liberation is never after today: cannot saturate.
                .map(|l| self.day.saturating_sub(l));
            let siege = siege::siege_at(s.siege(), ld.encircled, self.siege_active, since_liberation);
            ld.besieged_now = siege.besieged_now;
            ld.import_per_person = lp.market_kcal_per_person_day * siege.market_through;
            ld.market_through = siege.market_through;
            let capacity_share = match lp.capacity {
                Some(c) if l.displaced_people > 0 => (c as f64 / l.displaced_people as f64).min(1.0),
                _ => 1.0,
            };
            ld.host_per_person = lp.host_support_kcal * capacity_share;
            ld.set_host_days(lp.host_support_days, self.day);
            // Receivers get pool/gap of their gap (at most all of it); givers give gap/pool of their
            // offer (at most all of it): the two totals are equal, so sharing creates no food.
            ld.pool_per_gap = if l.share_gap > 0.0 {
                (l.share_pool / l.share_gap).min(1.0)
            } else {
                0.0
            };
            ld.offer_share = if l.share_pool > 0.0 {
                (l.share_gap / l.share_pool).min(1.0)
            } else {
                0.0
            };
            ld.violence_hazard = siege.violence_hazard;
            ld.care = self.care[i];
        }
    }
}

/// Adults' extra need for their activity on `day` (`[[activity]]`, MODEL.md §5.5), kcal, by
/// `Person::work_index` (card and sex).
pub(crate) fn work_on(s: &Scenario, day: u32) -> [f32; 8] {
    let by_card = s.activity_kcal_on(day);
    std::array::from_fn(|i| by_card[i / 2][i % 2] as f32)
}

/// An adult's extra need for today's activity (`[[activity]]`, MODEL.md §5.5); 0 for a child.
fn work_of(p: &Person, work: [f32; 8]) -> f32 {
    if p.is_child() { 0.0 } else { work[p.work_index()] }
}

/// Works out each member's age band and demand today (the demand waits in `intake_kcal` for the
/// split in the household pass) and returns the household's need, kcal. The household pass does the
/// same for tomorrow, member by member, in the same order.
/// Breastfeeding (`kernel::nursing`) is worked out first when `nursing`: a link cut since yesterday
/// (the mother killed or kidnapped) gives the child its whole demand from the household today.
fn demand_today(
    persons: &mut [Person],
    c: &physiology::Coefs,
    day: u32,
    regime: Option<&RationRegime>,
    (cold, work): (f32, [f32; 8]),
    nursing: bool,
    nurslings: &mut u8,
) -> f64 {
    let nursing = nursing && *nurslings > 0;
    let n = if nursing { persons.len() } else { 0 };
    let (mut milk, mut lactation) = (vec![0.0f32; n], vec![0.0f32; n]);
    if nursing {
        kernel::nursing(persons, day, c, &mut milk, &mut lactation, nurslings);
    }
    let nursed = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
    let mut need = 0.0;
    for (i, p) in persons.iter_mut().enumerate() {
        if p.status == Status::Alive {
            let age = p.age(day);
            p.band = physiology::age_band(age);
            p.intake_kcal = food::demand_kcal(
                p,
                c,
                age,
                p.band,
                nursed(&milk, i),
                nursed(&lactation, i) + work_of(p, work),
                cold,
                regime,
            );
            need += f64::from(p.intake_kcal);
        } else {
            p.intake_kcal = 0.0;
        }
    }
    need
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A scenario of the repository, small and short, with `set` on top.
    fn scenario(file: &str, set: &[(&str, &str)]) -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios")
            .join(file);
        let mut all = vec![("population.size", "600"), ("simulation.days", "30")];
        all.extend_from_slice(set);
        let set: Vec<(String, String)> = all.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        crate::scenario::load(&path, &set).unwrap_or_else(|e| panic!("{e}"))
    }

    /// Everything two replicates of the scenario write, series included.
    fn runs(s: &Scenario) -> String {
        (0..2)
            .map(|r| format!("{:?}", crate::experiment::run_replicate(s, r, true)))
            .collect()
    }

    /// `RunInput` passes over the recovery days of a siege never lifted and the RUTF parameters
    /// where no RUTF arrives, and the runs are indeed the same, series and all; where the siege is
    /// lifted (farabougou_2020's liberation) or RUTF is dropped, the same changes make the inputs
    /// differ, and the runs too; and a parameter that does nothing visible in a short run
    /// (ARI's care efficacy) is never passed over.
    #[test]
    fn run_inputs_pass_over_only_what_no_run_reads() {
        let unread = [
            ("siege.recovery_days", "3", "60"),
            ("physiology.rutf_catch_up_g_per_kg_day", "5.0", "15.0"),
            ("physiology.rutf_kcal_per_kg_day", "100.0", "300.0"),
        ];
        let pair = |file: &str, extra: &[(&str, &str)], key: &str, a: &str, b: &str| {
            let with = |v| scenario(file, &[extra, &[(key, v)]].concat());
            (with(a), with(b))
        };
        for (key, a, b) in unread {
            let (x, y) = pair("farabougou_long_siege.toml", &[], key, a, b);
            assert_eq!(RunInput::of(&x), RunInput::of(&y), "{key}");
            assert!(runs(&x) == runs(&y), "{key}: the runs differ");
        }
        // The same keys where their mechanism acts: the inputs differ, and so do the runs (but
        // for the RUTF dose, which the therapeutic catch-up caps in this run).
        let rutf = [("airdrops.0.commodity", "rutf")];
        let acting = [
            ("farabougou_2020.toml", &[][..], unread[0], true),
            ("farabougou_long_siege.toml", &rutf[..], unread[1], true),
            ("farabougou_long_siege.toml", &rutf[..], unread[2], false),
        ];
        for (file, extra, (key, a, b), differ) in acting {
            let (x, y) = pair(file, extra, key, a, b);
            assert_ne!(RunInput::of(&x), RunInput::of(&y), "{file} {key}");
            if differ {
                assert!(runs(&x) != runs(&y), "{file} {key}: the runs are the same");
            }
        }
        let (x, y) = pair(
            "farabougou_long_siege.toml",
            &[],
            "disease.ari.care_efficacy",
            "0.3",
            "0.7",
        );
        assert_ne!(RunInput::of(&x), RunInput::of(&y));
        // Equal scenarios, loaded twice, have equal inputs.
        let (x, y) = pair("farabougou_long_siege.toml", &[], "food.stock_days_mean", "8.0", "8.0");
        assert_eq!(RunInput::of(&x), RunInput::of(&y));
    }

    #[test]
    fn the_host_decline_table_is_the_formula_to_the_last_bit() {
        let mut ld = LocDay::default();
        for (tau, day) in [(30.0, 0), (30.0, 5), (30.0, 40), (7.3, 12), (180.0, 3)] {
            ld.set_host_days(tau, day);
            assert_eq!(ld.host_decline.len(), day as usize + 2, "τ {tau}, day {day}");
            // Within the table and beyond it (the formula's fallback).
            for d in [0u16, 1, 2, 3, 13, 41, 60, 500, u16::MAX] {
                assert_eq!(
                    ld.host_decline(d).to_bits(),
                    food::host_decline(d, tau).to_bits(),
                    "τ {tau}, day {day}, {d} days here"
                );
            }
        }
    }
}
