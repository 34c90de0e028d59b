//! Engine throughput in person-days per second (people at day 0 × days simulated).
//!
//! - `village_cutoff`: one replicate of the shipped scenario (3,000 people, 60 days), as a user
//!   runs it.
//! - `step/<people>`: the same village scaled to 3,000, 100,000 and 1,000,000 people for 30 days,
//!   so the scaling is visible (worlds of 100,000 or more run their chunks in parallel; set
//!   RAYON_NUM_THREADS=1 for per-core figures). A whole replicate: drawing the population, then
//!   the 30 days.
//! - `days_only/<people>`: the same, timing only the 30 days (the population is drawn in
//!   criterion's untimed setup): the core step throughput.
//! - `days_one_at_a_time/<people>`, `days_eight_at_a_time/<people>`: the same days with the
//!   household pass one member at a time (no AVX2), or eight (AVX2) where AVX-512 would allow
//!   sixteen.
//! - `timing_sweep/<how>`: one replicate of each of the Farabougou timing sweep's fifteen points
//!   (first drop on days 2–16), each `alone` or `together` as `siege sweep` runs them, sharing the
//!   days before their drops differ (experiment::related); throughput in runs.
//!
//! Run with `cargo bench --bench engine -- --noplot` (criterion is built without its
//! plotters feature, so there are no plots). Figures and machine: BENCHMARKS.md.

use criterion::{BatchSize, Bencher, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use siege::experiment::related::Related;
use siege::experiment::run_replicate;
use siege::model::World;
use siege::observe::{DayRecord, LocationRecord, Observer};
use siege::scenario::{self, Scenario};
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

/// Discards the daily records: the bench measures the engine, not the output.
struct Discard;
impl Observer for Discard {
    fn day(&mut self, record: &DayRecord, _: &[LocationRecord]) {
        black_box(record);
    }
}

fn village(overrides: &[(&str, &str)]) -> Scenario {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/village_cutoff.toml");
    let o: Vec<(String, String)> = overrides.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    scenario::load(&path, &o).expect("the shipped scenario is valid")
}

fn person_days(s: &Scenario) -> u64 {
    s.home_counts().iter().sum::<u64>() * u64::from(s.days())
}

fn one_replicate(s: &Scenario) {
    black_box(World::new(s, 0).run(&mut Discard));
}

fn village_cutoff(c: &mut Criterion) {
    let s = village(&[]);
    let mut g = c.benchmark_group("village_cutoff");
    g.throughput(Throughput::Elements(person_days(&s)));
    g.bench_function("one_replicate", |b| b.iter(|| one_replicate(&s)));
    g.finish();
}

/// The village scaled to 3,000, 100,000 and 1,000,000 people for 30 days, each timed by `time`.
fn scaling(c: &mut Criterion, group: &str, time: impl Fn(&mut Bencher, &Scenario)) {
    let mut g = c.benchmark_group(group);
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    for people in [3_000u64, 100_000, 1_000_000] {
        let size = people.to_string();
        let s = village(&[("population.size", &size), ("simulation.days", "30")]);
        g.throughput(Throughput::Elements(person_days(&s)));
        g.bench_with_input(BenchmarkId::from_parameter(people), &s, |b, s| time(b, s));
    }
    g.finish();
}

/// Whole replicates: drawing the population, then the days.
fn step_scaling(c: &mut Criterion) {
    scaling(c, "step", |b, s| b.iter(|| one_replicate(s)));
}

/// Times the days alone (the population is drawn in criterion's untimed setup), the world first
/// set by `path` (which household pass it takes).
fn days(b: &mut Bencher, s: &Scenario, path: fn(&mut World)) {
    b.iter_batched(
        || {
            let mut w = World::new(s, 0);
            path(&mut w);
            w
        },
        |w| black_box(w.run(&mut Discard)),
        BatchSize::LargeInput,
    )
}

/// The days alone: the core step throughput.
fn days_only(c: &mut Criterion) {
    scaling(c, "days_only", |b, s| days(b, s, |_| ()));
}

/// The days with the household pass one member at a time (the reference path, and the one
/// processors without AVX2 take): the same results, for comparison with `days_only`.
fn days_one_at_a_time(c: &mut Criterion) {
    scaling(c, "days_one_at_a_time", |b, s| days(b, s, |w| w.one_member_at_a_time()));
}

/// The days with the household pass eight members at a time (AVX2) where the processor could do
/// sixteen (AVX-512; elsewhere the same as `days_only`): the path processors without AVX-512 take.
fn days_eight_at_a_time(c: &mut Criterion) {
    scaling(c, "days_eight_at_a_time", |b, s| days(b, s, |w| w.without_avx512()));
}

/// One replicate of each of the Farabougou timing sweep's points, alone and together.
fn timing_sweep(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/farabougou_2020.toml");
    let points: Vec<Scenario> = (2..=16)
        .map(|d| scenario::load(&path, &[("airdrop_plan.first_day".into(), d.to_string())]).expect("valid"))
        .collect();
    let all: Vec<usize> = (0..points.len()).collect();
    let related = Related::new(&points);
    let mut g = c.benchmark_group("timing_sweep");
    g.throughput(Throughput::Elements(points.len() as u64));
    g.bench_function("alone", |b| {
        b.iter(|| {
            for s in &points {
                black_box(run_replicate(s, 0, false));
            }
        })
    });
    g.bench_function("together", |b| {
        b.iter(|| black_box(related.run(&points, &all, 0, false)))
    });
    g.finish();
}

criterion_group!(
    benches,
    village_cutoff,
    step_scaling,
    days_only,
    days_one_at_a_time,
    days_eight_at_a_time,
    timing_sweep
);
criterion_main!(benches);
