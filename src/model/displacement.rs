//! Displacement (MODEL.md §7): households at encircled locations decide each day whether to leave
//! (from the start of the run until the siege is lifted: the threat that precedes a formal siege
//! counts, a liberated place is not fled),
//! choose a refuge by attractiveness / (distance + 10 km) among places reachable by open routes,
//! may be intercepted, walk at 35 km/day and arrive displaced. People in transit advance; displaced
//! households may go home after liberation.

use super::population::{Household, Mode, Person, Status};
use super::rng::{self, Stream};
use super::{Tally, World};
use crate::scenario::params::RouteState;

/// Flee's distance offset in the destination weight, km.
const DISTANCE_OFFSET_KM: f64 = 10.0;

/// The day's movement parameters that every household reads.
struct MoveDay<'a> {
    siege_active: bool,
    enabled: bool,
    interception: f64,
    interception_shares: super::siege::Interception,
    returning: bool,
    /// The siege has been lifted: nobody flees a liberated place any more.
    liberated: bool,
    walk_km: f64,
    risk_perception: f64,
    carry_share: f64,
    onward: bool,
    p: &'a crate::scenario::params::DisplacementParams,
    paths: &'a [Vec<Option<(f64, f64)>>],
}

impl World<'_> {
    /// Shortest distances over open routes between every pair of locations, with the worst crossing
    /// risk along each path (Dijkstra from each location; a handful of places).
    pub(crate) fn update_paths(&mut self) {
        let n = self.s.location_ids().len();
        let routes = self.s.routes();
        self.paths = (0..n)
            .map(|src| {
                let mut best: Vec<Option<(f64, f64)>> = vec![None; n];
                let mut done = vec![false; n];
                best[src] = Some((0.0, 0.0));
                loop {
                    let next = (0..n)
                        .filter(|&i| !done[i] && best[i].is_some())
                        .min_by(|&a, &b| best[a].unwrap().0.total_cmp(&best[b].unwrap().0).then(a.cmp(&b)));
                    let Some(u) = next else { break };
                    done[u] = true;
                    let (du, ru) = best[u].unwrap();
                    for (r, route) in routes.iter().enumerate() {
                        if self.route_state[r] != RouteState::Open {
                            continue;
                        }
                        let v = if route.a == u {
                            route.b
                        } else if route.b == u {
                            route.a
                        } else {
                            continue;
                        };
                        let cand = (du + route.distance_km, ru.max(route.crossing_risk));
                        if best[v].is_none_or(|(dv, _)| cand.0 < dv) {
                            best[v] = Some(cand);
                        }
                    }
                }
                best
            })
            .collect();
    }

    /// Per-location inputs of today's flight decisions: refuges reachable, recent violence, the
    /// share of residents already gone.
    pub(crate) fn prepare_movement_day(&mut self) {
        let s = self.s;
        for (i, ld) in self.loc_day.iter_mut().enumerate() {
            // Counted per chunk by the household pass (households with nobody active add 0).
            let (residents, home) = self.chunks.iter().fold((0u64, 0u64), |(r, h), c| {
                (r + c.tally.loc[i].residents, h + c.tally.loc[i].residents_at_home)
            });
            ld.violence_recent = self.violence_log[i].iter().sum::<u64>() as f64 + self.today.loc[i].victims as f64;
            ld.share_gone = if residents > 0 {
                1.0 - home as f64 / residents as f64
            } else {
                0.0
            };
            ld.evacuate_p = evacuation_probability(s, i, self.day, home);
            ld.exits.clear();
            let mut cumulative = 0.0;
            for (j, path) in self.paths[i].iter().enumerate() {
                let Some((km, risk)) = *path else { continue };
                let attract = s.attractiveness()[j];
                if j == i || s.encircled()[j] || attract <= 0.0 {
                    continue;
                }
                cumulative += attract / (km + DISTANCE_OFFSET_KM);
                ld.exits.push((j, km, risk, cumulative));
            }
        }
        // Victims of today's chunk passes count as recent violence from tomorrow (they are merged
        // into the log when the day is recorded).
        for c in &self.chunks {
            for (i, l) in c.tally.loc.iter().enumerate() {
                self.loc_day[i].violence_recent += l.victims as f64;
            }
        }
    }

    /// Phase 6: transit, arrivals, departures, returns; then counts households by where they are.
    pub(crate) fn movement_pass(&mut self) {
        let s = self.s;
        let siege = s.siege();
        let d = s.displacement();
        let returning = match (d.return_after_liberation_days, self.liberation_day) {
            (Some(after), Some(lib)) => !self.siege_active && self.day >= lib + after,
            _ => false,
        };
        let paths = std::mem::take(&mut self.paths);
        let m = MoveDay {
            siege_active: self.siege_active,
            enabled: d.enabled,
            interception: siege.interception_probability,
            interception_shares: super::siege::Interception::of(siege),
            returning,
            liberated: self.liberation_day.is_some() && !self.siege_active,
            walk_km: d.walking_km_per_day,
            risk_perception: d.risk_perception,
            carry_share: d.carry_share,
            onward: d.enabled && d.onward,
            p: d,
            paths: &paths,
        };
        let loc_day = std::mem::take(&mut self.loc_day);
        let day = self.day;
        let evac_key = rng::hash_key(
            s.seed(),
            u64::from(self.replicate),
            rng::PURPOSE_EVACUATION + (u64::from(day) << 8),
        );
        self.for_each_chunk(|hhs, persons, p0, rng, t| {
            for h in hhs.iter_mut() {
                let q = loc_day[h.location as usize].evacuate_p;
                if q > 0.0
                    && h.mode == Mode::AtHome
                    && h.n_active > 0
                    && rng::hash_uniform(evac_key, u64::from(h.first)) < q
                {
                    evacuate(h, &mut persons[h.members_from(p0)], t);
                }
                if h.mode == Mode::Displaced {
                    // A 16-bit count, which a run of up to MAX_DAYS can outlast; harmless as
                    // host_support_days ≤ 1,000 in such runs (validate): the support is long 0 by then.
                    h.days_here = h.days_here.saturating_add(1);
                }
                if h.n_active > 0 && may_move(&m, &loc_day, h) {
                    let members = &mut persons[h.members_from(p0)];
                    move_household(&m, &loc_day, h, members, day, rng, t);
                }
                count(h, t);
            }
        });
        self.loc_day = loc_day;
        self.paths = paths;
    }
}

/// Today's probability that a household at home at location `i` is evacuated: the day's capacity
/// of the `[[evacuations]]` in force there over the `home` people at home (MODEL.md §7a), so the
/// expected number taken is the capacity.
fn evacuation_probability(s: &crate::scenario::Scenario, i: usize, day: u32, home: u64) -> f64 {
    let capacity: f64 = s
        .evacuations()
        .iter()
        .filter(|e| e.location == i && (e.from_day..=e.until_day).contains(&day))
        .map(|e| e.people_per_day)
        .sum();
    if capacity <= 0.0 || home == 0 {
        0.0
    } else {
        (capacity / home as f64).min(1.0)
    }
}

/// The household leaves the simulated population with its food (MODEL.md §7a).
fn evacuate(h: &mut Household, members: &mut [Person], t: &mut Tally) {
    for p in members.iter_mut().filter(|p| p.status == Status::Alive) {
        p.status = Status::Evacuated;
        t.evacuated += 1;
    }
    t.ledger.evacuated += h.stock_kcal;
    h.stock_kcal = 0.0;
    h.n_active = 0;
}

/// False when `move_household` would surely do nothing (a household at home with nowhere to go,
/// or displaced with no return under way): checked inline, as that is most households most days.
#[inline]
fn may_move(m: &MoveDay, loc_day: &[super::LocDay], h: &Household) -> bool {
    match h.mode {
        Mode::InTransit => true,
        Mode::AtHome => {
            let ld = &loc_day[h.location as usize];
            m.enabled && ld.encircled && !ld.exits.is_empty()
        }
        Mode::Displaced => m.returning || (m.onward && !loc_day[h.location as usize].exits.is_empty()),
    }
}

fn move_household(
    m: &MoveDay,
    loc_day: &[super::LocDay],
    h: &mut Household,
    members: &mut [Person],
    day: u32,
    rng: &mut Stream,
    t: &mut Tally,
) {
    match h.mode {
        Mode::InTransit => {
            if m.siege_active && h.transit_risk > 0.0 && rng::uniform(rng) < f64::from(h.transit_risk) {
                super::siege::intercept(m.interception_shares, h, members, day, rng, t);
                return;
            }
            // A countdown that arrives at 0: the floor is the meaning.
            h.days_left = h.days_left.saturating_sub(1);
            if h.days_left == 0 {
                h.location = h.destination;
                let n = u64::from(h.n_active);
                t.loc[h.location as usize].arrivals += n;
                if h.location == h.home {
                    h.mode = Mode::AtHome;
                } else {
                    h.mode = Mode::Displaced;
                    // A household moving on from another refuge is counted displaced once.
                    if h.days_here == 0 {
                        t.displaced_arrivals += n;
                    }
                    h.days_here = 0;
                    t.loc[h.location as usize].displaced_arrivals += n;
                }
            }
        }
        Mode::AtHome => {
            let ld = &loc_day[h.location as usize];
            if !m.enabled || m.liberated || !ld.encircled || ld.exits.is_empty() {
                return;
            }
            let p = &m.p;
            let food_gap = food_gap(p, h);
            let violence = if ld.violence_recent >= f64::from(h.flight_threshold) {
                1.0
            } else {
                0.0
            };
            let pressure =
                p.base + p.violence_coef * violence + p.food_coef * food_gap + p.neighbours_coef * ld.share_gone
                    - p.assets_coef * f64::from(h.livestock);
            let perceived = if m.siege_active {
                m.risk_perception * m.interception
            } else {
                0.0
            };
            let leave = (1.0 - perceived) * pressure.clamp(0.0, 1.0);
            if leave <= 0.0 || rng::uniform(rng) >= leave {
                return;
            }
            let (dest, km, risk) = pick_exit(&ld.exits, rng);
            if m.siege_active && rng::uniform(rng) < m.interception {
                super::siege::intercept(m.interception_shares, h, members, day, rng, t);
                return;
            }
            depart(m, h, dest, km, risk, t);
        }
        Mode::Displaced => {
            if m.returning {
                if let Some((km, risk)) = m.paths[h.location as usize][h.home as usize] {
                    let home = h.home as usize;
                    depart(m, h, home, km, risk, t);
                }
                return;
            }
            // Onward movement: the flight rule without violence or neighbours, from a refuge.
            let ld = &loc_day[h.location as usize];
            if !m.onward || ld.exits.is_empty() {
                return;
            }
            let p = &m.p;
            let pressure = p.base + p.food_coef * food_gap(p, h) - p.assets_coef * f64::from(h.livestock);
            let leave = pressure.clamp(0.0, 1.0);
            if leave <= 0.0 || rng::uniform(rng) >= leave {
                return;
            }
            let (dest, km, risk) = pick_exit(&ld.exits, rng);
            depart(m, h, dest, km, risk, t);
            // Non-zero in transit marks an onward move (counted displaced once, on first arrival).
            h.days_here = 1;
        }
    }
}

/// The flight rule's food-gap term: 0 with `food_gap_days` of food or more, rising to 1 with none.
fn food_gap(p: &crate::scenario::params::DisplacementParams, h: &Household) -> f64 {
    let days_of_food = if h.need_kcal > 0.0 {
        h.stock_kcal / h.need_kcal
    } else {
        f64::INFINITY
    };
    if p.food_gap_days > 0.0 {
        ((p.food_gap_days - days_of_food) / p.food_gap_days).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// A destination among `exits` (non-empty; each with its cumulative attractiveness last), drawn
/// with one uniform in proportion to attractiveness: (location, km, risk).
fn pick_exit(exits: &[(usize, f64, f64, f64)], rng: &mut Stream) -> (usize, f64, f64) {
    let total = exits.last().map_or(0.0, |e| e.3);
    let pick = rng::uniform(rng) * total;
    let &(dest, km, risk, _) = exits
        .iter()
        .find(|e| pick < e.3)
        .unwrap_or(exits.last().expect("exits is not empty"));
    (dest, km, risk)
}

fn depart(m: &MoveDay, h: &mut Household, dest: usize, km: f64, risk: f64, t: &mut Tally) {
    let abandoned = h.stock_kcal * (1.0 - m.carry_share);
    h.stock_kcal -= abandoned;
    t.ledger.abandoned += abandoned;
    if h.mode == Mode::AtHome {
        t.carried_kcal += h.stock_kcal;
    }
    h.mode = Mode::InTransit;
    h.days_here = 0;
    h.destination = dest as u16;
    h.days_left = (km / m.walk_km).ceil().max(1.0) as u16;
    h.transit_risk = risk as f32;
}

/// Counts the household's people and the food they hold. The food of a household with nobody
/// left (every member dead or kidnapped) is held by no one and eaten by no one: it is not counted,
/// so `food_kcal` and the `food_days` columns are the food of the living (docs/outputs.md).
fn count(h: &Household, t: &mut Tally) {
    let n = u64::from(h.n_active);
    let held = if n > 0 { h.stock_kcal } else { 0.0 };
    let need = if n > 0 { h.need_kcal } else { 0.0 };
    match h.mode {
        Mode::AtHome => {
            t.n_present += n;
            let l = &mut t.loc[h.location as usize];
            l.present += n;
            l.food_kcal += held;
            t.home_food_kcal += held;
            t.home_need_kcal += need;
        }
        Mode::Displaced => {
            t.n_displaced += n;
            let l = &mut t.loc[h.location as usize];
            l.displaced_here += n;
            l.food_kcal += held;
        }
        Mode::InTransit => t.n_in_transit += n,
    }
    if h.mode != Mode::AtHome {
        t.away_food_kcal += held;
        t.away_need_kcal += need;
    }
    t.food_kcal += held;
}
