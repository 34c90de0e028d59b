//! How much memory a piece of work needs, estimated from its scenarios before anything runs, so
//! that work too large for the machine is refused with a figure instead of aborting halfway
//! (1,000,000 replicates × 60 days passed validation and aborted at 7.9 GB). The estimates are
//! arithmetic; [`check`] compares one with a limit or with what the machine has available.
//!
//! The costs per item follow how results are held. A run (and `check`, and each scenario of
//! `compare` in turn) keeps every replicate's daily rows, and the text of timeseries.csv and
//! locations.csv, until all are written; a sweep keeps every row (its cells as text) until
//! sweep.csv is written; each thread has a world (up to 32 in a sweep, whose related points run
//! together). They were measured as peak resident memory (`/usr/bin/time -f %M`) of the release
//! build on one thread, varying one factor at a time, and rounded up:
//! 47 bytes a person; 572 bytes a replicate-day of the daily row; 135 bytes a location-day (ids of
//! 2 characters); 1,907 bytes a sweep row of 30 cells.

use super::related::MOST_TOGETHER;
use super::sweep::{Plan, Shard};
use crate::scenario::Scenario;
use std::path::Path;

/// A world in memory, bytes per person.
pub const PERSON_BYTES: u64 = 60;
/// One day of one replicate kept for timeseries.csv: the record and its line of text.
pub const DAY_BYTES: u64 = 650;
/// One location on one day of one replicate kept for locations.csv, plus twice its id's length.
pub const LOCATION_DAY_BYTES: u64 = 150;
/// One sweep row held until sweep.csv is written: per row, plus per cell.
pub const SWEEP_ROW_BYTES: u64 = 100;
pub const SWEEP_CELL_BYTES: u64 = 70;
/// One validated scenario kept per sweep point: a base, plus per location, route, event and drop.
pub const SCENARIO_BYTES: u64 = 4_096;
pub const SCENARIO_ITEM_BYTES: u64 = 200;

/// An estimate of the memory a piece of work needs, with what it is made of.
#[derive(Clone, Debug, PartialEq)]
pub struct Footprint {
    pub bytes: u64,
    /// The parts, largest first, in words: ("daily rows of 1000000 replicates × 60 days", bytes).
    pub parts: Vec<(String, u64)>,
}

impl Footprint {
    fn of(mut parts: Vec<(String, u64)>) -> Self {
        parts.sort_by_key(|p| std::cmp::Reverse(p.1));
        Footprint {
            // Saturating on purpose here and below: an estimate beyond u64 is "more than any
            // machine has" and is refused as such, never wrapped to a small number.
            bytes: parts.iter().fold(0u64, |sum, p| sum.saturating_add(p.1)),
            parts,
        }
    }
}

/// People at day 0.
fn people(s: &Scenario) -> u64 {
    s.home_counts().iter().sum()
}

/// A run of every replicate of `s` on `threads` threads, keeping the daily rows (`siege run`,
/// `check`, each scenario of `compare`).
pub fn run(s: &Scenario, threads: usize) -> Footprint {
    let replicates = u64::from(s.replicates());
    let days = u64::from(s.days());
    let worlds = (threads.max(1) as u64).min(replicates);
    let id_bytes: u64 = s.location_ids().iter().map(|id| id.len() as u64).sum();
    let per_day = DAY_BYTES
        .saturating_add((s.location_ids().len() as u64).saturating_mul(LOCATION_DAY_BYTES))
        .saturating_add(2 * id_bytes);
    Footprint::of(vec![
        (
            format!(
                "daily rows of {replicates} replicates × {days} days × {} location(s), kept until written",
                s.location_ids().len()
            ),
            replicates.saturating_mul(days).saturating_mul(per_day),
        ),
        (
            format!("{worlds} world(s) of {} people at once", people(s)),
            worlds.saturating_mul(people(s)).saturating_mul(PERSON_BYTES),
        ),
    ])
}

/// A sweep over `scenarios` (one per grid point) of `rows` runs, each row `cells` wide, on
/// `threads` threads.
pub fn sweep(scenarios: &[Scenario], rows: u64, cells: usize, threads: usize) -> Footprint {
    let most_people = scenarios.iter().map(people).max().unwrap_or(0);
    let together = (scenarios.len().min(MOST_TOGETHER) as u64).max(1);
    let worlds = (threads.max(1) as u64).saturating_mul(together);
    let kept: u64 = scenarios
        .iter()
        .map(|s| {
            let items = s.location_ids().len() + s.routes().len() + s.events().len() + s.airdrops().len();
            SCENARIO_BYTES + items as u64 * SCENARIO_ITEM_BYTES
        })
        .fold(0, u64::saturating_add);
    Footprint::of(vec![
        (
            format!("{rows} rows of {cells} cells, kept until sweep.csv is written"),
            rows.saturating_mul(SWEEP_ROW_BYTES + cells as u64 * SWEEP_CELL_BYTES),
        ),
        (
            format!("{worlds} world(s) of up to {most_people} people at once"),
            worlds.saturating_mul(most_people).saturating_mul(PERSON_BYTES),
        ),
        (format!("{} validated grid points", scenarios.len()), kept),
    ])
}

/// The memory a sweep plan (or one shard of it) needs on the threads of the current pool.
pub fn sweep_plan(plan: &Plan, shard: Option<Shard>) -> Footprint {
    let tasks = plan.grid.len() as u64 * u64::from(plan.replicates);
    let rows = match shard {
        Some(s) => tasks.div_ceil(u64::from(s.count)),
        None => tasks,
    };
    let cells = 3
        + plan.grid.axes.len()
        + crate::observe::Summary::column_names(
            plan.scenarios[0].location_ids(),
            plan.scenarios.iter().any(|s| s.market().enabled),
        )
        .len();
    sweep(&plan.scenarios, rows, cells, rayon::current_num_threads())
}

/// Refuses work whose estimated memory exceeds `limit_gb` (`--memory-limit`), or when that is not
/// given, the memory available now ([`available`]; where that is unknown, nothing is refused).
/// `source` (the scenario or experiment file) starts the message.
pub fn check(source: &Path, need: &Footprint, limit_gb: Option<f64>) -> Result<(), String> {
    const GB: f64 = 1e9;
    let (limit, whose) = match limit_gb {
        Some(gb) if gb.is_finite() && gb > 0.0 => ((gb * GB) as u64, "the limit given by --memory-limit"),
        Some(gb) => return Err(format!("--memory-limit {gb}: expected a number of GB > 0")),
        None => match available() {
            Some(bytes) => (bytes, "the memory available on this machine"),
            None => return Ok(()),
        },
    };
    if need.bytes <= limit {
        return Ok(());
    }
    let parts: Vec<String> = need
        .parts
        .iter()
        .map(|(what, bytes)| format!("{what}: {:.1} GB", *bytes as f64 / GB))
        .collect();
    Err(format!(
        "{}: this needs about {:.1} GB of memory, more than {whose} ({:.1} GB); refused before starting.\n  {}\n\
         Run fewer replicates, days, grid points or people (or a sweep in shards, --shard K/N), or pass \
         --memory-limit GB if you know the machine has more.",
        source.display(),
        need.bytes as f64 / GB,
        limit as f64 / GB,
        parts.join("\n  ")
    ))
}

/// The memory available now, bytes: `MemAvailable` of /proc/meminfo (Linux); None elsewhere.
pub fn available() -> Option<u64> {
    mem_available(&std::fs::read_to_string("/proc/meminfo").ok()?)
}

/// The `MemAvailable` figure of a /proc/meminfo text, in bytes.
fn mem_available(meminfo: &str) -> Option<u64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scenario(extra: &str) -> Scenario {
        crate::scenario::parse("t.toml", &format!("[simulation]\nname = \"t\"\n{extra}"), &[]).unwrap()
    }

    #[test]
    fn a_million_replicates_of_sixty_days_need_tens_of_gigabytes() {
        let s = scenario("days = 60\nreplicates = 1000000\n[population]\nsize = 200");
        let f = run(&s, 2);
        // One location `home`: 650 + 150 + 8 bytes a replicate-day.
        assert_eq!(f.bytes, 1_000_000 * 60 * 808 + 2 * 200 * PERSON_BYTES);
        assert!(f.parts[0].0.contains("1000000 replicates × 60 days"), "{:?}", f.parts);
    }

    #[test]
    fn a_large_population_is_counted_once_per_thread_and_never_overflows() {
        let s = scenario("days = 10\nreplicates = 3\n[population]\nsize = 50000000");
        // At most one world a replicate; the larger part comes first.
        let f = run(&s, 8);
        assert_eq!(f.parts[0].0, "3 world(s) of 50000000 people at once");
        assert_eq!(f.parts[0].1, 3 * 50_000_000 * PERSON_BYTES);
        let many = sweep(std::slice::from_ref(&s), u64::MAX / 2, 40, 64);
        assert_eq!(many.bytes, u64::MAX, "saturates instead of wrapping");
    }

    #[test]
    fn reads_mem_available_in_bytes() {
        let meminfo = "MemTotal:       24683000 kB\nMemFree:        21456000 kB\nMemAvailable:   24181000 kB\n";
        assert_eq!(mem_available(meminfo), Some(24_181_000 * 1024));
        assert_eq!(mem_available("MemTotal: 5 kB\n"), None);
    }

    #[test]
    fn refuses_above_the_limit_with_the_figures() {
        let s = scenario("days = 60\nreplicates = 1000000");
        let need = run(&s, 1);
        let refused = check(Path::new("t.toml"), &need, Some(8.0)).unwrap_err();
        assert!(
            refused.starts_with("t.toml: this needs about 48.5 GB of memory"),
            "{refused}"
        );
        assert!(refused.contains("(8.0 GB)"), "{refused}");
        assert!(check(Path::new("t.toml"), &need, Some(100.0)).is_ok());
        assert!(check(Path::new("t.toml"), &need, Some(f64::NAN)).is_err());
    }
}
