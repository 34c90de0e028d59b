//! What validation produces beside the parameters: names resolved to indices, defaults that depend
//! on other sections filled in, and schedules sorted by day.

use super::params::{Card, Commodity, Distribution, EventKind, Group, RouteState, Shortfall};

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
    /// water_cut, water_poison: the source's index among its location's (None: all of them).
    pub source: Option<usize>,
}

/// One water source of a location (`[[locations.water]]`), its id filled in.
#[derive(Clone, Debug)]
pub struct ResolvedSource {
    pub id: String,
    pub capacity_l_day: f64,
    pub safe: bool,
    pub outside_line: bool,
}

#[derive(Clone, Debug)]
pub struct ResolvedAirdrop {
    /// The `[[airdrops]]` element it comes from (its index in the file).
    pub entry: usize,
    pub day: u32,
    pub tonnes: f64,
    /// Expected people killed at the drop zone per tonne dropped.
    pub casualties_per_tonne: f64,
    pub kcal_per_kg: f64,
    pub target: usize,
    pub usable_fraction: f64,
    pub captured_fraction: f64,
    pub distribution: Distribution,
    pub cost_per_tonne: Option<f64>,
    /// The store the usable payload goes into, if any (index into `Resolved::stores`).
    pub into: Option<usize>,
    pub commodity: Commodity,
    /// Units of the commodity per kg: kcal (food, = `kcal_per_kg`), litres (water), litres made
    /// safe (tablets), sachets (ORS).
    pub units_per_kg: f64,
}

/// One convoy of a `[[convoys]]` schedule.
#[derive(Clone, Debug)]
pub struct ResolvedConvoy {
    pub depart: u32,
    /// Arrival day; may lie past the horizon (the convoy is then still on the road at the end).
    pub arrive: u32,
    pub tonnes: f64,
    pub kcal_per_kg: f64,
    /// (p_block, loot_share) of each checkpoint passed, in order.
    pub checkpoints: Vec<(f64, f64)>,
    pub destination: usize,
    pub distribution: Distribution,
    pub cost_per_tonne: Option<f64>,
    pub commodity: Commodity,
    /// As for airdrops.
    pub units_per_kg: f64,
    /// The store what arrives goes into, if any (index into `Resolved::stores`).
    pub into: Option<usize>,
}

/// One `[[stores]]`, with its `[[rations]]`.
#[derive(Clone, Debug)]
pub struct ResolvedStore {
    pub id: String,
    pub location: usize,
    /// kcal at day 0.
    pub stock_kcal: f64,
    /// kcal/day while not besieged.
    pub inflow_kcal: f64,
    pub shortfall: Shortfall,
    /// Card indices, first served first; every card appears once.
    pub priority: Vec<Card>,
    /// (from_day, kcal/person/day by card in `Card::ALL` order), sorted by day.
    pub rations: Vec<(u32, [f64; 4])>,
    /// The day its stock is spread to (`spread_until_day`), if any.
    pub spread_until: Option<u32>,
}

impl ResolvedStore {
    /// What the store may issue on `day` from `stock`, kcal: all of it, or with `spread_until_day`
    /// the stock over the days left to that day, today included (all of it from that day on).
    pub fn may_issue(&self, stock: f64, day: u32) -> f64 {
        match self.spread_until {
            Some(until) => stock / (f64::from(until.saturating_sub(day)) + 1.0),
            None => stock,
        }
    }

    /// The entitlements by card on `day` (all zero before the first regime).
    pub fn rations_on(&self, day: u32) -> [f64; 4] {
        self.rations
            .iter()
            .rev()
            .find(|(from, _)| *from <= day)
            .map_or([0.0; 4], |(_, r)| *r)
    }
}

/// One `[[evacuations]]` entry with its location resolved.
#[derive(Clone, Debug)]
pub struct ResolvedEvacuation {
    pub location: usize,
    pub from_day: u32,
    pub until_day: u32,
    pub people_per_day: f64,
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
    pub stores: Vec<ResolvedStore>,
    /// `[[evacuations]]`, in file order.
    pub evacuations: Vec<ResolvedEvacuation>,
    /// Day 0 as days since 1970-01-01, when `start_date` is given.
    pub start_epoch_day: Option<i64>,
    /// Day `[siege]` starts the siege (`start_day`, else 0 unless a `siege_start` event does).
    pub siege_start_day: Option<u32>,
    /// Each location's water sources (empty: unlimited safe water).
    pub water_sources: Vec<Vec<ResolvedSource>>,
    /// The location of the declared measles outbreak (`disease.measles.location`); None =
    /// everywhere.
    pub measles_location: Option<usize>,
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
    // Rounding can make a floor one above the exact share's: take such excess back from the
    // parts with the smallest remainders, so the parts never sum to more than `total`.
    let mut excess = parts.iter().sum::<u64>().saturating_sub(total);
    while excess > 0 {
        let Some(i) = (0..parts.len())
            .filter(|&i| parts[i] > 0)
            .min_by(|&i, &j| (exact[i] - exact[i].floor()).total_cmp(&(exact[j] - exact[j].floor())))
        else {
            break;
        };
        parts[i] -= 1;
        excess -= 1;
    }
    let mut left = total - parts.iter().sum::<u64>().min(total);
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
