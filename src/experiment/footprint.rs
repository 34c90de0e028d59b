//! How much memory a piece of work needs, estimated from its scenarios before anything runs, so
//! that work too large for the machine is refused with a figure instead of aborting halfway
//! (1,000,000 replicates × 60 days passed validation and aborted at 7.9 GB). Arithmetic only:
//! what the machine has is the caller's question.
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
use crate::scenario::Scenario;

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
}
