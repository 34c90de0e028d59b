//! Many runs of the model: replicates in parallel (rayon), sweeps over scenario keys, shards and
//! merges, and the statistics that summarise them. Replicate r always draws from stream r of the
//! scenario seed, so results are identical whatever the thread count or the split.

pub mod decision;
pub mod file;
pub mod footprint;
pub mod grid;
pub mod optimise;
pub mod optimise_shard;
pub mod related;
pub mod sensitivity;
pub mod stats;
pub mod sweep;
pub mod uncertain;

use crate::model::{Setup, World};
use crate::observe::{
    DayRecord, LocationRecord, MarketRecord, Observer, RunTotals, Summary, SummaryBuilder, WealthRecord,
};
use crate::scenario::Scenario;
use rayon::prelude::*;

/// Everything one replicate produced.
#[derive(Clone, Debug)]
pub struct ReplicateResult {
    pub days: Vec<DayRecord>,
    pub locations: Vec<LocationRecord>,
    /// `market.csv` and `wealth.csv` rows (empty unless `[market]` is on).
    pub markets: Vec<MarketRecord>,
    pub wealth: Vec<WealthRecord>,
    pub summary: Summary,
}

/// Keeps the daily rows (when asked), builds the summary and reports each simulated day.
#[derive(Clone)]
struct Collector<'a> {
    tick: &'a (dyn Fn() + Sync),
    keep_series: bool,
    days: Vec<DayRecord>,
    locations: Vec<LocationRecord>,
    markets: Vec<MarketRecord>,
    wealth: Vec<WealthRecord>,
    summary: SummaryBuilder,
}

impl Observer for Collector<'_> {
    fn day(&mut self, record: &DayRecord, locations: &[LocationRecord]) {
        (self.tick)();
        self.summary.day(record, locations);
        if self.keep_series {
            self.days.push(record.clone());
            self.locations.extend_from_slice(locations);
        }
    }
    fn market(&mut self, markets: &[MarketRecord], wealth: &[WealthRecord]) {
        if self.keep_series {
            self.markets.extend_from_slice(markets);
            self.wealth.extend_from_slice(wealth);
        }
    }
}

impl<'a> Collector<'a> {
    fn new(keep_series: bool, tick: &'a (dyn Fn() + Sync)) -> Self {
        Collector {
            tick,
            keep_series,
            days: Vec::new(),
            locations: Vec::new(),
            markets: Vec::new(),
            wealth: Vec::new(),
            summary: SummaryBuilder::default(),
        }
    }

    fn finish(self, totals: &RunTotals) -> ReplicateResult {
        ReplicateResult {
            days: self.days,
            locations: self.locations,
            markets: self.markets,
            wealth: self.wealth,
            summary: self.summary.finish(totals),
        }
    }
}

/// Runs replicate `replicate` of the scenario. With `keep_series` false only the summary is kept.
pub fn run_replicate(s: &Scenario, replicate: u32, keep_series: bool) -> ReplicateResult {
    run_replicate_ticking(s, replicate, keep_series, &|| {})
}

/// As [`run_replicate`], calling `tick` after each simulated day (for progress bars).
pub fn run_replicate_ticking(
    s: &Scenario,
    replicate: u32,
    keep_series: bool,
    tick: &(dyn Fn() + Sync),
) -> ReplicateResult {
    run_replicate_from(
        &Setup::new(&uncertain::scenario_for(s, replicate)),
        replicate,
        keep_series,
        tick,
    )
}

/// As [`run_replicate_ticking`], for a scenario without `[[uncertain]]` entries whose set-up is
/// made once for all its replicates.
pub fn run_replicate_from(
    setup: &Setup,
    replicate: u32,
    keep_series: bool,
    tick: &(dyn Fn() + Sync),
) -> ReplicateResult {
    run_world(World::from_setup(setup, replicate), keep_series, tick)
}

/// Runs a world to the end of its horizon (see [`run_replicate`]).
pub fn run_world(world: World, keep_series: bool, tick: &(dyn Fn() + Sync)) -> ReplicateResult {
    let mut c = Collector::new(keep_series, tick);
    let totals = world.run(&mut c);
    c.finish(&totals)
}

/// Runs replicates 0..n in parallel, returned in replicate order. `tick` is called after every
/// simulated day of every replicate (n × days calls), so a long single replicate shows progress.
pub fn run_replicates(s: &Scenario, n: u32, keep_series: bool, tick: &(dyn Fn() + Sync)) -> Vec<ReplicateResult> {
    // Replicates that draw their own parameters each make their own set-up.
    let shared = s.uncertain().is_empty().then(|| Setup::new(s));
    (0..n)
        .into_par_iter()
        .map(|r| match &shared {
            Some(setup) => run_replicate_from(setup, r, keep_series, tick),
            None => run_replicate_ticking(s, r, keep_series, tick),
        })
        .collect()
}
