//! Replicate r of several related scenarios at once, sharing the days on which they cannot differ.
//!
//! Scenarios that are the same but for their airdrops give, replicate for replicate, the same
//! world until the first day their drops differ: the model reads a drop only on the day it lands,
//! and replicate r of each draws from the same stream r. A sweep over drop timing, size or
//! distribution is such a family. Its days before a difference are simulated once and the world
//! is copied there ([`World::fork`]), one branch per set of scenarios whose drops agree that day;
//! a branch that reaches the horizon is the result of all its scenarios. The results are the
//! same, to the last bit, as running each scenario alone (tests/invariants.rs checks it); only
//! the work is less: for the Farabougou timing sweep (first drop on days 2–16 of 30) 317 world-days
//! a replicate instead of 450, and one population instead of fifteen.

use super::{Collector, ReplicateResult};
use crate::model::World;
use crate::model::airdrop::{drops_on, same_but_drops};
use crate::scenario::Scenario;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::hash::{BuildHasher, RandomState};
use std::sync::Mutex;

/// At most this many scenarios run together: enough to share most of their days (a timing sweep
/// over a month's drop days is one group), few enough that a sweep's progress bar advances and an
/// interrupted sweep keeps most of its finished rows (a group's rows are written together).
pub(crate) const MOST_TOGETHER: usize = 32;

/// Which scenarios of a list can share days, worked out once for all replicates.
pub struct Related {
    /// Per scenario: the index of the first scenario of its family (same but for the drops).
    family: Vec<usize>,
    /// Per scenario: the drops landing on each day that has any, as text.
    drops: Vec<BTreeMap<u32, String>>,
}

impl Related {
    pub fn new(scenarios: &[Scenario]) -> Self {
        // Families found by the hash of their text (a few KB a scenario, so not kept for a grid
        // of up to a million points), each match confirmed on the text itself.
        let hasher = RandomState::new();
        let mut firsts: HashMap<u64, Vec<usize>> = HashMap::new();
        let family = scenarios
            .iter()
            .enumerate()
            .map(|(i, s)| {
                // A scenario with uncertain parameters shares nothing (`run` runs it alone).
                if !s.uncertain().is_empty() {
                    return i;
                }
                let text = same_but_drops(s);
                let same_hash = firsts.entry(hasher.hash_one(&text)).or_default();
                match same_hash.iter().find(|&&f| same_but_drops(&scenarios[f]) == text) {
                    Some(&f) => f,
                    None => {
                        same_hash.push(i);
                        i
                    }
                }
            })
            .collect();
        let drops = scenarios
            .iter()
            .map(|s| {
                let days: BTreeSet<u32> = s.airdrops().iter().map(|a| a.day).collect();
                days.into_iter().map(|d| (d, drops_on(s, d))).collect()
            })
            .collect();
        Related { family, drops }
    }

    /// `which` split into the sets worth running together: the scenarios of one family, at most
    /// `MOST_TOGETHER` at a time, in the order given.
    pub fn groups(&self, which: &[usize]) -> Vec<Vec<usize>> {
        self.families(which)
            .into_iter()
            .flat_map(|f| {
                let f: Vec<usize> = f.into_iter().map(|k| which[k]).collect();
                f.chunks(MOST_TOGETHER).map(<[usize]>::to_vec).collect::<Vec<_>>()
            })
            .collect()
    }

    /// The positions in `which` of each family's scenarios, in order.
    fn families(&self, which: &[usize]) -> Vec<Vec<usize>> {
        let mut families: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (k, &i) in which.iter().enumerate() {
            families.entry(self.family[i]).or_default().push(k);
        }
        families.into_values().collect()
    }

    /// Replicate `replicate` of the scenarios `which` (indices into the list given to `new`, all
    /// different), returned in that order. With `keep_series` false only the summaries are kept.
    pub fn run(
        &self,
        scenarios: &[Scenario],
        which: &[usize],
        replicate: u32,
        keep_series: bool,
    ) -> Vec<ReplicateResult> {
        assert_eq!(
            scenarios.len(),
            self.family.len(),
            "the scenarios given to Related::new"
        );
        // A scenario with uncertain parameters runs its own drawn scenario, alone.
        if scenarios.iter().any(|s| !s.uncertain().is_empty()) {
            return which
                .par_iter()
                .map(|&i| super::run_replicate(&scenarios[i], replicate, keep_series))
                .collect();
        }
        let results = Mutex::new(vec![None; which.len()]);
        let no_tick = || {};
        let tick: &(dyn Fn() + Sync) = &no_tick;
        let run = Run {
            related: self,
            scenarios,
            which,
            results: &results,
        };
        rayon::scope(|scope| {
            for members in self.families(which) {
                scope.spawn(move |scope| {
                    let world = World::new(&scenarios[which[members[0]]], replicate);
                    run.branch(scope, world, Collector::new(keep_series, tick), members);
                });
            }
        });
        let results = results.into_inner().expect("no branch panics holding the results");
        results
            .into_iter()
            .map(|r| r.expect("every scenario ends in a branch"))
            .collect()
    }
}

/// What every branch of one `Related::run` shares.
#[derive(Clone, Copy)]
struct Run<'a> {
    related: &'a Related,
    scenarios: &'a [Scenario],
    which: &'a [usize],
    /// Per position in `which`.
    results: &'a Mutex<Vec<Option<ReplicateResult>>>,
}

impl<'a> Run<'a> {
    /// Runs `world` (whose scenario is that of `members[0]`, positions in `which` whose drops
    /// agreed on every day before the world's) to the horizon. Where the members' drops differ
    /// today, the larger part is left to the scope (another thread may take it up) and this one
    /// goes on with the smaller: at most about log₂ of a group's size worlds wait at a time, and a
    /// sweep of few replicates still spreads over the cores.
    fn branch(
        self,
        scope: &rayon::Scope<'a>,
        mut world: World<'a>,
        mut collector: Collector<'a>,
        mut members: Vec<usize>,
    ) {
        let (drops, which) = (&self.related.drops, self.which);
        let scenario = |k: usize| &self.scenarios[which[k]];
        while world.day < scenario(members[0]).days() {
            let day = world.day;
            let today = |k: usize| drops[which[k]].get(&day);
            let (same, other): (Vec<usize>, Vec<usize>) = members.iter().partition(|&&k| today(k) == today(members[0]));
            if other.is_empty() {
                world.step(&mut collector);
                continue;
            }
            let fork = world.fork(scenario(other[0]));
            let (mut left, left_collector) = (fork, collector.clone());
            let left_members = if other.len() < same.len() {
                // Go on with `other` (which may still differ within itself today).
                std::mem::swap(&mut world, &mut left);
                members = other;
                same
            } else {
                members = same;
                other
            };
            scope.spawn(move |scope| self.branch(scope, left, left_collector, left_members));
        }
        let result = collector.finish(&world.totals());
        let mut results = self.results.lock().expect("no branch panics holding the results");
        for &k in &members {
            results[k] = Some(result.clone());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn farabougou(set: &[(&str, String)]) -> Scenario {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/farabougou_2020.toml");
        let set: Vec<(String, String)> = set.iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        crate::scenario::load(&path, &set).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn groups_are_one_family_each_and_at_most_32_points() {
        // 40 drop plans (one family), then two other interception probabilities (two families).
        let mut scenarios: Vec<Scenario> = (0..40)
            .map(|k| farabougou(&[("airdrops.0.usable_fraction", format!("{}", 0.1 + 0.02 * f64::from(k)))]))
            .collect();
        scenarios.push(farabougou(&[("siege.interception_probability", "0.1".into())]));
        scenarios.push(farabougou(&[("siege.interception_probability", "0.2".into())]));
        let related = Related::new(&scenarios);
        let all: Vec<usize> = (0..scenarios.len()).collect();
        let groups = related.groups(&all);
        let sizes: Vec<usize> = groups.iter().map(Vec::len).collect();
        assert_eq!(sizes, [32, 8, 1, 1]);
        assert_eq!(groups[0], (0..32).collect::<Vec<_>>());
        assert_eq!(groups[2], [40]);
        // A subset keeps its order within a family.
        assert_eq!(related.groups(&[41, 5, 3]), [vec![5, 3], vec![41]]);
    }
}
