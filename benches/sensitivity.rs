//! What `siege sensitivity` costs besides the runs themselves, and one design point's runs.
//!
//! - `estimators/sobol_ishigami_N4096`: the Saltelli design of 3 parameters with N = 4,096 base
//!   samples (20,480 points), the Ishigami function at each, and S_i, S_Ti with 1,000 bootstrap
//!   resamples: the analysis' own arithmetic.
//! - `farabougou_point/<R>`: one design point of `scenarios/farabougou_sensitivity.toml` (20
//!   parameters, 30 days as the speed target asks) with R replicates: the scenario rebuilt
//!   at the point's values and its runs; throughput in runs.
//!
//! Run with `cargo bench --bench sensitivity -- --noplot`. Figures: BENCHMARKS.md.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use siege::experiment::sensitivity::{Model, saltelli_design, sobol_indices};
use siege::observe::Outcome;
use siege::scenario;
use std::f64::consts::PI;
use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

fn estimators(c: &mut Criterion) {
    c.bench_function("estimators/sobol_ishigami_N4096", |b| {
        b.iter(|| {
            let d = saltelli_design(3, 4096);
            let y: Vec<f64> = d.iter().map(|p| ishigami(&p.unit)).collect();
            black_box(sobol_indices(&y, 3, 4096, 1000, 1))
        })
    });
}

fn farabougou_point(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/farabougou_sensitivity.toml");
    let s = scenario::load(&path, &[("simulation.days".into(), "30".into())]).expect("the shipped scenario is valid");
    let design = saltelli_design(s.uncertain().len(), 1);
    let mut g = c.benchmark_group("farabougou_point");
    g.sample_size(10).measurement_time(Duration::from_secs(20));
    for r in [1u32, 10] {
        let model = Model {
            plan: &s,
            versus: None,
            outcome: Outcome::DeathsTotal,
            replicates: r,
        };
        g.throughput(Throughput::Elements(u64::from(r)));
        g.bench_function(format!("{r}"), |b| {
            b.iter(|| black_box(model.evaluate(&design[..1], &|| {}).expect("valid point")))
        });
    }
    g.finish();
}

criterion_group!(benches, estimators, farabougou_point);
criterion_main!(benches);
