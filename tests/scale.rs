//! City-scale behaviour: the shipped city scenario is valid and tightens its rations, and a world
//! large enough to run its chunks in parallel gives the same days on 1 and on 2 threads.

use siege::model::World;
use siege::observe::{DayRecord, LocationRecord, Observer};
use siege::scenario::{self, Scenario};
use std::path::Path;

#[derive(Default)]
struct Keep(Vec<DayRecord>, Vec<LocationRecord>);
impl Observer for Keep {
    fn day(&mut self, record: &DayRecord, locations: &[LocationRecord]) {
        self.0.push(record.clone());
        self.1.extend_from_slice(locations);
    }
}

fn shipped(name: &str, overrides: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios").join(name);
    let o: Vec<(String, String)> = overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    scenario::load(&path, &o).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn the_city_scenario_is_city_sized_and_its_rations_tighten_through_the_first_autumn() {
    let s = shipped("city_scale.toml", &[]);
    assert_eq!(s.home_counts().iter().sum::<u64>(), 2_500_000);
    assert_eq!(s.days(), 900);
    let rations = &s.food().rations;
    assert!(rations.len() >= 4);
    // Sep → 20 Nov 1941: every cap falls or stays; the lowest is the 125 g bread ration.
    let lowest = rations
        .iter()
        .position(|r| r.from_day == 73)
        .expect("the 20 Nov 1941 regime");
    for w in rations[..=lowest].windows(2) {
        assert!(w[1].adult_kcal <= w[0].adult_kcal && w[1].child_kcal <= w[0].child_kcal);
    }
    assert!(s.siege().leak > 0.0, "some supply gets through");
}

#[test]
fn a_parallel_world_gives_the_same_days_on_one_and_two_threads() {
    // 100,000 people: at the size where chunks run in parallel within one replicate; 25 days
    // include the airdrop (day 14), the road opening (day 20) and the flight that follows.
    let s = shipped(
        "village_cutoff.toml",
        &[("population.size", "100000"), ("simulation.days", "25")],
    );
    let run = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        pool.install(|| {
            let mut keep = Keep::default();
            World::new(&s, 3).run(&mut keep);
            keep
        })
    };
    let (one, two) = (run(1), run(2));
    assert_eq!(one.0, two.0);
    assert_eq!(one.1, two.1);
    let last = one.0.last().expect("days were recorded");
    assert!(last.n_alive > 0 && last.cum_displaced > 0);
}
