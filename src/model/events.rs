//! Dated events (MODEL.md §2–3): they change the state before the day's other phases. The
//! siege's own schedule is in siege.rs.

use super::World;
use super::kernel;
use super::population::{Cause, Mode, Status};
use super::rng;
use crate::scenario::ResolvedEvent;
use crate::scenario::params::{EventKind, Group, RouteState};

impl World<'_> {
    /// Applies today's `[[events]]` in file order.
    pub(crate) fn apply_events(&mut self, day: u32) {
        let s = self.s;
        let mut routes_changed = false;
        for e in s.events().iter().filter(|e| e.day == day) {
            match e.kind {
                EventKind::Kidnapping => self.strike(e, Status::Kidnapped),
                EventKind::Killing => self.strike(e, Status::Dead),
                EventKind::LivestockSeizure => self.seize_livestock(e),
                EventKind::GranaryBurning => {
                    let fraction = e.fraction.unwrap_or(0.0);
                    for h in self
                        .households
                        .iter_mut()
                        .filter(|h| h.mode == Mode::AtHome && h.location as usize == e.location)
                    {
                        let burned = h.stock_kcal * fraction;
                        h.stock_kcal -= burned;
                        self.today.ledger.burned += burned;
                    }
                }
                EventKind::Route => {
                    if let (Some(r), Some(state)) = (e.route, e.state) {
                        self.route_state[r] = state;
                        routes_changed = true;
                    }
                }
                EventKind::WaterCut => self.water_event(e, true),
                EventKind::WaterPoison => self.water_event(e, false),
                EventKind::SiegeStart => self.siege_active = true,
                EventKind::Care => self.care[e.location] = e.fraction.unwrap_or(0.0),
                EventKind::Liberation => {
                    self.lift_siege(day);
                    for &r in &e.reopen {
                        self.route_state[r] = RouteState::Open;
                        routes_changed = true;
                    }
                }
            }
        }
        if routes_changed {
            self.update_paths();
        }
    }

    /// Kidnaps or kills `n` people of the group among those at home at the location (all of them
    /// when fewer are there), chosen at random.
    fn strike(&mut self, e: &ResolvedEvent, outcome: Status) {
        let day = self.day;
        let mut candidates = self.alive_at(
            e.location,
            |h| h.mode == Mode::AtHome,
            |p| in_group(e.group, p.age(day), p.sex()),
        );
        let victims = sample(&mut self.rng, &mut candidates, e.n as usize);
        for &(hi, pi) in victims {
            if outcome == Status::Dead {
                // Counted as a victim where they die, with the death (`kernel::record_death`).
                self.kill(hi, pi, Cause::Violence);
            } else {
                let p = &mut self.persons[pi];
                p.status = outcome;
                self.households[hi].n_active -= 1;
                self.households[hi].demand_stale = true;
                self.today.kidnapped += 1;
                self.today.loc[e.location].victims += 1;
            }
        }
    }

    /// (household, person) of every living person at `location` whose household passes `home`
    /// and who passes `who`.
    pub(crate) fn alive_at(
        &self,
        location: usize,
        home: impl Fn(&super::population::Household) -> bool,
        who: impl Fn(&super::population::Person) -> bool,
    ) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (hi, h) in self.households.iter().enumerate() {
            if h.location as usize != location || !home(h) {
                continue;
            }
            for pi in h.members() {
                let p = &self.persons[pi];
                if p.status == Status::Alive && who(p) {
                    out.push((hi, pi));
                }
            }
        }
        out
    }

    /// Person `pi` of household `hi` dies today of `cause`, outside the household pass: recorded
    /// as every death is (`kernel::record_death`: episode, wealth group, victims), and the
    /// household's demand is worked out again.
    pub(crate) fn kill(&mut self, hi: usize, pi: usize, cause: Cause) {
        let h = &mut self.households[hi];
        kernel::record_death(&mut self.persons[pi], cause, self.day, h, &mut self.today);
        h.demand_stale = true;
    }

    /// Removes livestock from the households at home at the location: a fraction of each herd, or
    /// a number of head split in proportion to herd sizes (largest remainder).
    fn seize_livestock(&mut self, e: &ResolvedEvent) {
        let at: Vec<usize> = (0..self.households.len())
            .filter(|&i| self.households[i].mode == Mode::AtHome && self.households[i].location as usize == e.location)
            .collect();
        let herds: Vec<f64> = at.iter().map(|&i| f64::from(self.households[i].livestock)).collect();
        let total: f64 = herds.iter().sum();
        let take: Vec<u64> = match (e.head, e.fraction) {
            (Some(head), _) => {
                let head = (head as f64).min(total) as u64;
                crate::scenario::largest_remainder(head, &herds)
            }
            (None, Some(f)) => herds.iter().map(|h| (h * f).round() as u64).collect(),
            _ => vec![0; at.len()],
        };
        for (k, &i) in at.iter().enumerate() {
            let h = &mut self.households[i];
            h.livestock -= (take[k] as u32).min(h.livestock);
        }
    }
}

/// A uniform random sample of `n` of the candidates (all of them when fewer): a partial
/// Fisher–Yates shuffle, whose first n positions are returned.
pub(crate) fn sample<'a, T>(rng: &mut rng::Stream, candidates: &'a mut [T], n: usize) -> &'a [T] {
    let n = n.min(candidates.len());
    for i in 0..n {
        let j = i + rng::below(rng, candidates.len() - i);
        candidates.swap(i, j);
    }
    &candidates[..n]
}

fn in_group(group: Group, age: f32, sex: super::physiology::Sex) -> bool {
    use super::physiology::Sex;
    match group {
        Group::Anyone => true,
        Group::Adults => age >= 15.0,
        Group::AdultMen => age >= 15.0 && sex == Sex::Male,
        Group::AdultWomen => age >= 15.0 && sex == Sex::Female,
        Group::Children => age < 15.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::disease;

    /// A killed member who was ill ends the episode (a diarrhoea episode uses one of the
    /// household's ORS sachets) and counts in the household's wealth group and as a victim, as a
    /// death in the household pass does.
    #[test]
    fn a_killed_person_is_recorded_as_every_death_is() {
        let text = "[simulation]\nname = \"k\"\ndays = 1\nseed = 1\n[population]\nsize = 20\n\
                    [[locations]]\nid = \"town\"\nkind = \"besieged\"\n";
        let s = crate::scenario::parse("k.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
        let mut w = World::new(&s, 0);
        let pi = w.households[0].first as usize;
        w.persons[pi].illness = disease::onset(disease::DIARRHOEA, 5);
        w.households[0].ors = 3;
        let (group, before) = (usize::from(w.households[0].wealth), w.households[0].n_active);
        w.kill(0, pi, Cause::Violence);
        assert_eq!(w.persons[pi].status, Status::Dead);
        assert_eq!(w.households[0].n_active, before - 1);
        assert_eq!(w.households[0].ors, 2, "the episode is over");
        assert_eq!(w.today.wealth[group].deaths, 1);
        assert_eq!(w.today.deaths[Cause::Violence], 1);
        assert_eq!(w.today.loc[0].victims, 1);
        assert!(w.households[0].demand_stale);
    }
}
