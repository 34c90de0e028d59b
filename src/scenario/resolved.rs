//! What validation produces beside the parameters: names resolved to indices, defaults that depend
//! on other sections filled in, and schedules sorted by day.

use super::params::{Distribution, EventKind, Group, RouteState};

#[derive(Clone, Debug)]
pub struct ResolvedRoute {
    pub id: String,
    pub a: usize,
    pub b: usize,
    pub distance_km: f64,
    pub state: RouteState,
    pub crossing_risk: f64,
}

#[derive(Clone, Debug)]
pub struct ResolvedEvent {
    pub day: u32,
    pub kind: EventKind,
    pub location: usize,
    pub n: u64,
    pub group: Group,
    pub head: Option<u64>,
    pub fraction: Option<f64>,
    pub route: Option<usize>,
    pub state: Option<RouteState>,
    pub reopen: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct ResolvedAirdrop {
    pub day: u32,
    pub tonnes: f64,
    pub kcal_per_kg: f64,
    pub commodity: crate::scenario::params::Commodity,
    pub target: usize,
    pub usable_fraction: f64,
    pub captured_fraction: f64,
    pub distribution: Distribution,
    pub cost_per_tonne: Option<f64>,
}

/// One convoy of a `[[convoys]]` schedule.
#[derive(Clone, Debug)]
pub struct ResolvedConvoy {
    pub depart: u32,
    /// Arrival day; may lie past the horizon (the convoy is then still on the road at the end).
    pub arrive: u32,
    pub tonnes: f64,
    pub kcal_per_kg: f64,
    pub commodity: crate::scenario::params::Commodity,
    /// (p_block, loot_share) of each checkpoint passed, in order.
    pub checkpoints: Vec<(f64, f64)>,
    pub destination: usize,
    pub distribution: Distribution,
    pub cost_per_tonne: Option<f64>,
}

/// Names resolved to indices, defaults that depend on other sections filled in.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub location_ids: Vec<String>,
    pub encircled: Vec<bool>,
    pub attractiveness: Vec<f64>,
    /// People living at each location at day 0.
    pub home_counts: Vec<u64>,
    pub routes: Vec<ResolvedRoute>,
    /// Sorted by day; same-day events keep file order.
    pub events: Vec<ResolvedEvent>,
    /// Sorted by day; same-day drops keep file order. Days already shifted by `airdrop_plan`.
    pub airdrops: Vec<ResolvedAirdrop>,
    /// Sorted by arrival day; same-day arrivals keep file order (then schedule order).
    pub convoys: Vec<ResolvedConvoy>,
    /// Day 0 as days since 1970-01-01, when `start_date` is given.
    pub start_epoch_day: Option<i64>,
    /// Day `[siege]` starts the siege (`start_day`, else 0 unless a `siege_start` event does).
    pub siege_start_day: Option<u32>,
}

/// Splits `total` into integer parts proportional to `shares` (largest remainder; ties to the
/// lower index), so the parts always sum to `total`.
pub fn largest_remainder(total: u64, shares: &[f64]) -> Vec<u64> {
    let sum: f64 = shares.iter().sum();
    if sum <= 0.0 {
        return vec![0; shares.len()];
    }
    let exact: Vec<f64> = shares.iter().map(|s| total as f64 * s / sum).collect();
    let mut parts: Vec<u64> = exact.iter().map(|x| x.floor() as u64).collect();
    let mut left = total.saturating_sub(parts.iter().sum());
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&i, &j| {
        (exact[j] - exact[j].floor())
            .total_cmp(&(exact[i] - exact[i].floor()))
            .then(i.cmp(&j))
    });
    for &i in order.iter().cycle().take(shares.len() * 2) {
        if left == 0 {
            break;
        }
        if shares[i] > 0.0 {
            parts[i] += 1;
            left -= 1;
        }
    }
    parts
}
