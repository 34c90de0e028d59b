//! Times the Farabougou-sized airdrop-timing sweep of the performance issue: scenarios/
//! village_cutoff.toml with its airdrop on each of days 2–16 (15 points) × 1,000 replicates,
//! keeping only the summaries (as a sweep that writes summaries does), on 1 and on 2 threads.
//!
//!   cargo run --release --example sweep_timing [-- REPLICATES]
//!
//! Prints wall seconds per thread count and the speed-up; figures in BENCHMARKS.md.

use siege::experiment::run_replicates;
use siege::scenario;
use std::path::Path;
use std::time::Instant;

fn main() {
    let replicates: u32 = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("REPLICATES is a whole number"))
        .unwrap_or(1000);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/village_cutoff.toml");
    let points: Vec<_> = (2..=16)
        .map(|day| {
            let o = vec![("airdrops.0.day".to_string(), day.to_string())];
            scenario::load(&path, &o).expect("the shipped scenario is valid")
        })
        .collect();
    let mut wall = Vec::new();
    let mut checksums = Vec::new();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool");
        let start = Instant::now();
        let deaths: f64 = pool.install(|| {
            points
                .iter()
                .flat_map(|s| run_replicates(s, replicates, false, &|| {}))
                .map(|r| r.summary.deaths_total as f64)
                .sum()
        });
        let seconds = start.elapsed().as_secs_f64();
        println!(
            "{threads} thread(s): {} runs in {seconds:.2} s wall ({:.0} runs/s); total deaths {deaths}",
            points.len() as u32 * replicates,
            f64::from(points.len() as u32 * replicates) / seconds
        );
        wall.push(seconds);
        checksums.push(deaths);
    }
    assert_eq!(
        checksums[0], checksums[1],
        "results must not depend on the thread count"
    );
    println!("speed-up 2 threads vs 1: {:.2}×", wall[0] / wall[1]);
}
