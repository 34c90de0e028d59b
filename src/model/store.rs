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
use super::physiology::Sex;
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

/// Who holds which card: the age rules and the cumulative shares of the cards drawn at working age.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Cards {
    key: u64,
    child_under: f32,
    dependant_under: f32,
    /// The age from which men and women (`Sex` order) hold a dependant card.
    dependant_from: [f32; 2],
    /// Upper ends of the worker and employee shares at working age; above: dependant.
    worker_to: f64,
    employee_to: f64,
}

impl Cards {
    /// The card rules of `p`, with the shares drawn at working age set from the day-0 `persons`
    /// so that all holders of adult cards have `p`'s shares (MODEL.md §4.2): the dependants past
    /// or before working age count toward the dependant share, and only the rest of it is drawn
    /// at working age (none if they already exceed it). Without persons (no store reads the
    /// cards), the shares as given.
    pub fn new(p: &CardParams, seed: u64, replicate: u64, persons: &[Person]) -> Self {
        let mut cards = Cards {
            key: rng::hash_key(seed, replicate, PURPOSE_CARD),
            child_under: p.child_under_years as f32,
            dependant_under: p.dependant_under_years as f32,
            dependant_from: [p.dependant_from_years_men as f32, p.dependant_from_years_women as f32],
            worker_to: 0.0,
            employee_to: 0.0,
        };
        let (mut holders, mut outside) = (0.0f64, 0.0f64);
        for person in persons {
            let age = person.age(0);
            if age >= cards.child_under {
                holders += 1.0;
                outside += f64::from(u8::from(!cards.working_age(age, person.sex())));
            }
        }
        let total = p.worker_share + p.employee_share + p.dependant_share;
        let [w, e, d] = [p.worker_share, p.employee_share, p.dependant_share].map(|x| x / total * holders);
        let d_working = (d - outside).max(0.0);
        let working = w + e + d_working;
        let (w, e, working) = if working > 0.0 {
            (w, e, working)
        } else {
            // No one counted: the shares as given.
            (p.worker_share, p.employee_share, total)
        };
        cards.worker_to = w / working;
        cards.employee_to = (w + e) / working;
        cards
    }

    fn working_age(&self, age: f32, sex: Sex) -> bool {
        age >= self.dependant_under && age < self.dependant_from[sex as usize]
    }

    /// The card of person `index`, of `sex`, at age `age` years.
    pub fn card(&self, index: usize, age: f32, sex: Sex) -> Card {
        if age < self.child_under {
            return Card::Child;
        }
        if !self.working_age(age, sex) {
            return Card::Dependant;
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
        n[cards.card(h.first as usize + i, age, p.sex()).index()] += 1;
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

/// What a store's stock is set to last before a run (for `siege validate`): the first day it
/// cannot issue every entitlement in full, if its cards' holders stayed those of day 0.
#[derive(Clone, Debug, PartialEq)]
pub struct StoreOutlook {
    /// The card holders of the people at the store's location on day 0, in `Card::ALL` order
    /// (replicate 0's population), counted as the store counts them (`cardholders`: none in a
    /// household where no one can queue).
    pub holders: [u64; 4],
    /// Food convoys and airdrops into the store as planned (before losses, capture and looting),
    /// kcal.
    pub deliveries_kcal: f64,
    /// The first day short, counting those deliveries; None: never (within `MAX_DAYS`).
    pub short_from: Option<u32>,
    /// The same without them.
    pub short_from_stock_alone: Option<u32>,
}

/// The first day a store holding `stock_kcal` at the start cannot issue every entitlement of
/// `rations` ((first day, kcal a day by card), sorted; nothing before the first) in full to
/// `holders` by card, while `deliveries` ((day, kcal), any order) land before each day's issue, as
/// in a run. Its regular inflow is not counted. Looked at up to `limit` days; None if it lasts.
/// The run's store (`issue_rations`) lasts at least this long when no one dies, moves, ages into
/// another card or is too weak to queue: each of those only lowers the day's entitlements.
pub fn first_day_short(
    stock_kcal: f64,
    rations: &[(u32, [f64; 4])],
    holders: [u64; 4],
    deliveries: &[(u32, f64)],
    limit: u32,
) -> Option<u32> {
    let mut deliveries = deliveries.to_vec();
    deliveries.sort_by_key(|&(day, _)| day);
    let mut next = deliveries.iter().peekable();
    let mut stock = stock_kcal;
    let mut regime = rations.iter().peekable();
    let mut wanted = 0.0;
    for day in 0..limit {
        while let Some((_, r)) = regime.next_if(|(from, _)| *from <= day) {
            wanted = (0..4).map(|c| holders[c] as f64 * r[c]).sum::<f64>();
        }
        while let Some((_, kcal)) = next.next_if(|(d, _)| *d <= day) {
            stock += kcal;
        }
        if wanted > stock {
            return Some(day);
        }
        stock -= wanted;
        // Nothing more to come and nothing drawn: it lasts for ever.
        if wanted == 0.0 && regime.peek().is_none() && next.peek().is_none() {
            return None;
        }
    }
    None
}

/// Each store's [`StoreOutlook`] in scenario `s` (its stores in order): the card holders of
/// replicate 0's population at the store's location on day 0, counted by `cardholders` as the
/// store counts them each day.
pub fn store_outlook(s: &crate::scenario::Scenario) -> Vec<StoreOutlook> {
    use crate::scenario::params::Commodity;
    if s.stores().is_empty() {
        return Vec::new();
    }
    let drawn = super::population::Drawn::new(&super::population::Inputs::of(s), 0);
    let cards = Cards::new(&s.cards(), s.seed(), 0, &drawn.persons);
    let mut holders = vec![[0u64; 4]; s.location_ids().len()];
    for h in &drawn.households {
        let counts = cardholders(h, &drawn.persons, &cards, 0).unwrap_or_default();
        for (n, c) in holders[h.location as usize].iter_mut().zip(counts) {
            *n += u64::from(c);
        }
    }
    let limit = crate::scenario::MAX_DAYS;
    s.stores()
        .iter()
        .enumerate()
        .map(|(j, st)| {
            let airdrops = s
                .airdrops()
                .iter()
                .filter(|a| a.into == Some(j) && a.commodity == Commodity::Food)
                .map(|a| (a.day, a.tonnes * 1000.0 * a.kcal_per_kg));
            let convoys = s
                .convoys()
                .iter()
                .filter(|c| c.into == Some(j) && c.commodity == Commodity::Food)
                .map(|c| (c.arrive, c.tonnes * 1000.0 * c.kcal_per_kg));
            let deliveries: Vec<(u32, f64)> = airdrops.chain(convoys).collect();
            let holders = holders[st.location];
            StoreOutlook {
                holders,
                deliveries_kcal: deliveries.iter().map(|d| d.1).sum(),
                short_from: first_day_short(st.stock_kcal, &st.rations, holders, &deliveries, limit),
                short_from_stock_alone: first_day_short(st.stock_kcal, &st.rations, holders, &[], limit),
            }
        })
        .collect()
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

    /// By hand: 200 holders wanting 290,000 kcal a day from 2,900,000 kcal last 10 days (days
    /// 0–9), short on day 10; halved from day 5, the 1,450,000 left on day 5 last 10 more days
    /// (5–14); 290,000 more landing on day 15 two more (15–16); rations only from day 3 add 3.
    #[test]
    fn a_store_is_short_on_the_day_its_stock_no_longer_covers_the_entitlements() {
        let holders = [100, 50, 30, 20];
        let full = [2000.0, 1000.0, 1000.0, 500.0];
        let half = full.map(|k| k / 2.0);
        let stock = 2_900_000.0;
        assert_eq!(first_day_short(stock, &[(0, full)], holders, &[], 1000), Some(10));
        let halved = [(0, full), (5, half)];
        assert_eq!(first_day_short(stock, &halved, holders, &[], 1000), Some(15));
        assert_eq!(
            first_day_short(stock, &halved, holders, &[(15, 290_000.0)], 1000),
            Some(17)
        );
        // Deliveries after it ran short do not change the day; a later start does.
        assert_eq!(
            first_day_short(stock, &halved, holders, &[(30, 1e9), (15, 290_000.0)], 1000),
            Some(17)
        );
        assert_eq!(first_day_short(stock, &[(3, full)], holders, &[], 1000), Some(13));
        // Not within the limit, and never: rations of 0 at the end.
        assert_eq!(first_day_short(stock, &[(0, full)], holders, &[], 10), None);
        assert_eq!(
            first_day_short(stock, &[(0, full), (2, [0.0; 4])], holders, &[], 1000),
            None
        );
        // No holders of the cards that get food: never short.
        assert_eq!(
            first_day_short(stock, &[(0, [0.0, 0.0, 0.0, 500.0])], [9, 9, 9, 0], &[], 1000),
            None
        );
    }

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
        // Without persons (no store reads the cards) the shares as given.
        let cards = Cards::new(&p, 7, 0, &[]);
        let n = 100_000;
        let mut count = [0usize; 4];
        for i in 0..n {
            count[cards.card(i, 30.0, Sex::Female).index()] += 1;
            assert_eq!(cards.card(i, 11.9, Sex::Male), Card::Child);
            // Past working age and at 12–14: dependants, whatever the hash.
            assert_eq!(cards.card(i, 13.0, Sex::Male), Card::Dependant);
            assert_eq!(cards.card(i, 56.0, Sex::Female), Card::Dependant);
            assert_eq!(cards.card(i, 61.0, Sex::Male), Card::Dependant);
            // The same person, the same card, whoever asks.
            assert_eq!(cards.card(i, 30.0, Sex::Male), cards.card(i, 50.0, Sex::Male));
        }
        let share = |c: Card| count[c.index()] as f64 / n as f64;
        let total = p.worker_share + p.employee_share + p.dependant_share;
        assert!((share(Card::Worker) - p.worker_share / total).abs() < 0.01);
        assert!((share(Card::Employee) - p.employee_share / total).abs() < 0.01);
        assert_eq!(count[Card::Child.index()], 0);
    }

    /// MODEL.md §4.2: with a population, the holders of adult cards, young, working-age and old
    /// together, have the given shares; and where those outside working age alone exceed the
    /// dependant share, no one of working age is a dependant.
    #[test]
    fn the_shares_hold_over_all_holders_of_adult_cards() {
        let ages = |old_share: f64| -> Vec<Person> {
            (0..20_000)
                .map(|i| {
                    let sex = if i % 2 == 0 { Sex::Male } else { Sex::Female };
                    let u = (i as f64 + 0.5) / 20_000.0;
                    let age = if u < old_share {
                        70.0
                    } else if u < old_share + 0.05 {
                        13.0
                    } else {
                        20.0 + 30.0 * u as f32
                    };
                    Person::new(f64::from(age), sex)
                })
                .collect()
        };
        let p = CardParams::default();
        let total = p.worker_share + p.employee_share + p.dependant_share;
        for (old, dependants_at_working_age) in [(0.1, true), (0.5, false)] {
            let persons = ages(old);
            let cards = Cards::new(&p, 7, 0, &persons);
            let mut count = [0usize; 4];
            let mut working_dependants = 0;
            for (i, q) in persons.iter().enumerate() {
                let c = cards.card(i, q.age(0), q.sex());
                count[c.index()] += 1;
                working_dependants += usize::from(c == Card::Dependant && (20.0..50.0).contains(&q.age(0)));
            }
            let share = |c: Card| count[c.index()] as f64 / persons.len() as f64;
            if dependants_at_working_age {
                for (c, want) in [
                    (Card::Worker, p.worker_share),
                    (Card::Employee, p.employee_share),
                    (Card::Dependant, p.dependant_share),
                ] {
                    assert!(
                        (share(c) - want / total).abs() < 0.01,
                        "{c:?}: {} against {}",
                        share(c),
                        want / total
                    );
                }
                assert!(working_dependants > 0);
            } else {
                assert_eq!(working_dependants, 0);
                let ratio = share(Card::Worker) / share(Card::Employee);
                assert!((ratio - p.worker_share / p.employee_share).abs() < 0.1, "{ratio}");
            }
        }
    }
}
