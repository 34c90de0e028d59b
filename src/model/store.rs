//! The authority's stores (design-round2 §3.7, MODEL.md §4.2): each day a store takes in its
//! regular supply, then issues to every household present at its location the sum of its active
//! members' entitlements by ration card, cut by the store's shortfall rule when its stock cannot
//! cover them all, and only while one member can still queue. The household pools what it gets
//! with its own food (food::supply_and_ration) and splits it by its own rule.
//!
//! Cards are not stored: a person's card follows from their age today and a counter-based hash of
//! (seed, replicate, person index), as the children's lethal floors do (mortality.rs). The pass
//! draws nothing from any stream, so a scenario without stores is untouched.

use super::World;
use super::population::{Household, Mode, Person, Status};
use super::rng;
use crate::scenario::params::{Card, CardParams, QUEUE_MIN_BMI, QUEUE_MIN_WEIGHT_RATIO, Shortfall};

/// The `purpose` of `rng::hash_key` for each person's ration card.
pub(crate) const PURPOSE_CARD: u64 = 2;

/// One store's state during a run.
#[derive(Clone, Debug)]
pub(crate) struct StoreState {
    pub stock_kcal: f64,
}

/// Who holds which card: the age rule and the cumulative shares of the older holders' cards.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cards {
    key: u64,
    child_under: f32,
    /// Upper ends of the worker and employee shares, normalised; above: dependant.
    worker_to: f64,
    employee_to: f64,
}

impl Cards {
    pub fn new(p: &CardParams, seed: u64, replicate: u64) -> Self {
        let total = p.worker_share + p.employee_share + p.dependant_share;
        Cards {
            key: rng::hash_key(seed, replicate, PURPOSE_CARD),
            child_under: p.child_under_years as f32,
            worker_to: p.worker_share / total,
            employee_to: (p.worker_share + p.employee_share) / total,
        }
    }

    /// The card of person `index` at age `age` years.
    pub fn card(&self, index: usize, age: f32) -> Card {
        if age < self.child_under {
            return Card::Child;
        }
        let u = rng::hash_uniform(self.key, index as u64);
        if u < self.worker_to {
            Card::Worker
        } else if u < self.employee_to {
            Card::Employee
        } else {
            Card::Dependant
        }
    }
}

/// Whether this member can queue for the household's rations (design-round2 §3.7: alive, present
/// and not too weak).
fn can_queue(p: &Person) -> bool {
    p.status == Status::Alive
        && if p.is_child() {
            p.weight_ratio >= QUEUE_MIN_WEIGHT_RATIO
        } else {
            p.bmi() >= QUEUE_MIN_BMI
        }
}

/// A household's active members by card, and whether one of them can queue.
fn cardholders(h: &Household, persons: &[Person], cards: &Cards, day: u32) -> Option<[u32; 4]> {
    let mut n = [0u32; 4];
    let mut queue = false;
    for (i, p) in persons[h.members()].iter().enumerate() {
        if p.status != Status::Alive {
            continue;
        }
        let age = p.age(day);
        n[cards.card(h.first as usize + i, age).index()] += 1;
        queue |= can_queue(p);
    }
    queue.then_some(n)
}

/// The share of each card's entitlement a store can honour: `stock` against the entitlements
/// `wanted` by card, cut by the rule.
pub(crate) fn fill_shares(rule: Shortfall, priority: &[Card], stock: f64, wanted: [f64; 4]) -> [f64; 4] {
    let total: f64 = wanted.iter().sum();
    if total <= stock {
        return [1.0; 4];
    }
    match rule {
        Shortfall::Proportional => [stock / total; 4],
        Shortfall::Priority => {
            let mut left = stock;
            let mut share = [0.0; 4];
            for c in priority {
                let w = wanted[c.index()];
                if w > 0.0 {
                    let give = w.min(left);
                    share[c.index()] = give / w;
                    left -= give;
                }
            }
            share
        }
    }
}

impl World<'_> {
    /// Today's supply into each store and its issues to households (`Household::issued_kcal`, added
    /// to their food in the household pass). Sequential: no draw, a few operations per member, and
    /// only in scenarios with stores.
    pub(crate) fn issue_rations(&mut self) {
        let s = self.s;
        if s.stores().is_empty() {
            return;
        }
        let day = self.day;
        let n_loc = s.location_ids().len();
        // Store by location (validation allows one per location).
        let mut store_at = vec![None; n_loc];
        for (j, st) in s.stores().iter().enumerate() {
            store_at[st.location] = Some(j);
        }
        for (j, st) in s.stores().iter().enumerate() {
            let inflow = st.inflow_kcal * self.loc_day[st.location].market_through;
            self.stores[j].stock_kcal += inflow;
            self.cum.store_inflow += inflow;
        }
        let rations: Vec<[f64; 4]> = s.stores().iter().map(|st| st.rations_on(day)).collect();
        // Pass 1: entitlements by card at each store, and each household's cardholders.
        let mut holders: Vec<Option<[u32; 4]>> = vec![None; self.households.len()];
        let mut wanted = vec![[0.0f64; 4]; s.stores().len()];
        for (i, h) in self.households.iter().enumerate() {
            let Some(j) = store_at[h.location as usize] else {
                continue;
            };
            if h.n_active == 0 || h.mode == Mode::InTransit {
                continue;
            }
            holders[i] = cardholders(h, &self.persons, &self.cards, day);
            if let Some(n) = holders[i] {
                for c in 0..4 {
                    wanted[j][c] += f64::from(n[c]) * rations[j][c];
                }
            }
        }
        let shares: Vec<[f64; 4]> = s
            .stores()
            .iter()
            .enumerate()
            .map(|(j, st)| {
                fill_shares(
                    st.shortfall,
                    &st.priority,
                    st.may_issue(self.stores[j].stock_kcal, day),
                    wanted[j],
                )
            })
            .collect();
        // Pass 2: the issues.
        let mut issued = vec![0.0f64; s.stores().len()];
        for (h, n) in self.households.iter_mut().zip(&holders) {
            h.issued_kcal = match (n, store_at[h.location as usize]) {
                (Some(n), Some(j)) => {
                    // Held as f32 (the household stays at 80 bytes); the store gives exactly that.
                    let kcal = (0..4)
                        .map(|c| f64::from(n[c]) * rations[j][c] * shares[j][c])
                        .sum::<f64>() as f32;
                    issued[j] += f64::from(kcal);
                    kcal
                }
                _ => 0.0,
            };
        }
        for (j, kcal) in issued.iter().enumerate() {
            // Never below zero by rounding.
            self.stores[j].stock_kcal = (self.stores[j].stock_kcal - kcal).max(0.0);
            self.issued_today += kcal;
        }
    }

    /// Food put into store `j` by an airdrop or a convoy, kcal.
    pub(crate) fn put_in_store(&mut self, j: usize, kcal: f64) {
        self.stores[j].stock_kcal += kcal;
    }

    /// Food held by the stores now, kcal.
    pub fn store_stock(&self) -> f64 {
        self.stores.iter().map(|st| st.stock_kcal).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortfall_rules() {
        let wanted = [400.0, 100.0, 300.0, 200.0];
        assert_eq!(fill_shares(Shortfall::Proportional, &[], 2000.0, wanted), [1.0; 4]);
        assert_eq!(fill_shares(Shortfall::Proportional, &[], 500.0, wanted), [0.5; 4]);
        let order = [Card::Child, Card::Worker, Card::Employee, Card::Dependant];
        // Children 200 in full, workers 400 in full, employees 50 of 100, dependants nothing.
        assert_eq!(
            fill_shares(Shortfall::Priority, &order, 650.0, wanted),
            [1.0, 0.5, 0.0, 1.0]
        );
    }

    #[test]
    fn cards_follow_age_and_shares() {
        let p = CardParams::default();
        let cards = Cards::new(&p, 7, 0);
        let n = 100_000;
        let mut count = [0usize; 4];
        for i in 0..n {
            count[cards.card(i, 30.0).index()] += 1;
            assert_eq!(cards.card(i, 11.9), Card::Child);
            // The same person, the same card, whoever asks.
            assert_eq!(cards.card(i, 30.0), cards.card(i, 50.0));
        }
        let share = |c: Card| count[c.index()] as f64 / n as f64;
        let total = p.worker_share + p.employee_share + p.dependant_share;
        assert!((share(Card::Worker) - p.worker_share / total).abs() < 0.01);
        assert!((share(Card::Employee) - p.employee_share / total).abs() < 0.01);
        assert_eq!(count[Card::Child.index()], 0);
    }
}
