//! Markets, wealth groups and coping foods (`[market]`, MODEL.md §4.3) on small worlds: the poor
//! die more and eat less than the better-off, more supply lowers the price, food is conserved,
//! the scalar and eight-wide paths and thread counts agree, and with the switch off nothing moves.

use siege::experiment::{ReplicateResult, run_replicate};
use siege::model::World;
use siege::observe::{DayRecord, LocationRecord, MarketRecord, Observer, WealthRecord};
use siege::scenario;

/// A besieged town of `size` with 10 days of stock; `leak` of its 2,100 kcal a head a day gets
/// through; nobody leaves. `market` is the body of the `[market]` section.
fn town(size: u64, days: u32, leak: f64, market: &str) -> String {
    format!(
        r#"
[simulation]
name = "market_town"
days = {days}
seed = 7
[population]
size = {size}
[food]
stock_days_mean = 10
[siege]
start_day = 0
leak = {leak}
interception_probability = 0.0
[displacement]
base = 0.0
[[locations]]
id = "town"
kind = "besieged"
market_kcal_per_person_day = 2100
[market]
{market}
"#
    )
}

fn run(text: &str) -> ReplicateResult {
    let s = scenario::parse("market.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    run_replicate(&s, 0, true)
}

fn group<'a>(r: &'a ReplicateResult, g: &str) -> Vec<&'a WealthRecord> {
    r.wealth.iter().filter(|w| w.group == g).collect()
}

#[test]
fn the_poor_die_more_and_eat_less_than_the_better_off() {
    let r = run(&town(3000, 90, 0.4, "enabled = true"));
    assert_eq!(r.wealth.len(), 90 * 3);
    let rate = |g: &str| {
        let rows = group(&r, g);
        let start = rows[0].n_active + rows[0].new_deaths;
        let last = rows.last().unwrap();
        (last.cum_deaths as f64 / start as f64, start)
    };
    let (poor, n_poor) = rate("poor");
    let (rich, n_rich) = rate("better_off");
    assert!(n_poor > 3 * n_rich, "shares 0.5 vs 0.15: {n_poor} vs {n_rich}");
    assert!(poor > 0.1, "the poor starve: {poor}");
    assert!(poor > 5.0 * rich, "poor {poor} vs better-off {rich}");
    let by_group: Vec<_> = r
        .summary
        .by_wealth
        .iter()
        .map(|(g, d, i)| (g.as_str(), *d, *i))
        .collect();
    assert_eq!(by_group.len(), 3);
    assert!(
        by_group[0].2 < by_group[1].2 && by_group[1].2 < by_group[2].2,
        "{by_group:?}"
    );
    let deaths: u64 = by_group.iter().map(|g| g.1.unwrap()).sum();
    assert_eq!(deaths, r.summary.deaths_total, "every death has a group");
    // Cash runs out first for the poor; their herds are sold.
    let poor_rows = group(&r, "poor");
    assert!(poor_rows.last().unwrap().mean_cash_kcal < poor_rows[0].mean_cash_kcal);
    assert!(poor_rows.last().unwrap().mean_livestock < poor_rows[0].mean_livestock);
}

#[test]
fn more_supply_lowers_the_price_and_sells_no_more_than_the_supply() {
    let mean_price = |leak: f64| {
        let r = run(&town(3000, 30, leak, "enabled = true"));
        for m in &r.markets {
            assert!(m.sold_kcal <= m.supply_kcal * (1.0 + 1e-9), "{m:?}");
            assert!(m.price_index >= 1.0 && m.price_index <= 10.0);
        }
        r.markets.iter().map(|m| m.price_index).sum::<f64>() / r.markets.len() as f64
    };
    let (scarce, ample) = (mean_price(0.3), mean_price(0.9));
    assert!(scarce > 1.5, "scarce supply: price index {scarce}");
    assert!(ample < scarce, "more supply, lower price: {ample} vs {scarce}");
}

/// Between 1 and the cap the price clears the market: what households want and can pay for at it
/// meets the supply, and all of it is sold (MODEL.md §4.3). Under the rule before (a price from
/// the demand at P0) the wants of scenarios/market_town.toml's first replicate ran from 2% below
/// to 88% above the supply on such days.
#[test]
fn between_1_and_the_cap_what_is_wanted_meets_the_supply() {
    let r = run(&town(3000, 90, 0.4, "enabled = true"));
    let inside: Vec<_> = r
        .markets
        .iter()
        .filter(|m| m.price_index > 1.0 && m.price_index < 10.0)
        .collect();
    assert!(inside.len() > 60, "{} days between 1 and the cap", inside.len());
    for m in inside {
        assert!(m.wanted_kcal <= m.supply_kcal, "{m:?}");
        assert!(m.wanted_kcal >= m.supply_kcal * (1.0 - 1e-9), "{m:?}");
        assert!(m.unsold_kcal <= 1e-9 * m.supply_kcal, "{m:?}");
    }
}

#[test]
fn coping_foods_come_from_a_pool_that_is_used_up() {
    let r = run(&town(
        1000,
        60,
        0.0,
        "enabled = true\ncoping_share = 0.2\ncoping_pool_kcal_per_person = 5000",
    ));
    let gathered: f64 = r.markets.iter().map(|m| m.coping_kcal).sum();
    assert!(
        (gathered - 5000.0 * 1000.0).abs() < 1.0,
        "the whole pool, no more: {gathered}"
    );
    assert_eq!(r.markets.last().unwrap().coping_pool_kcal, 0.0);
    assert!(r.markets.iter().all(|m| m.sold_kcal == 0.0), "nothing gets through");
}

#[test]
fn switched_off_nothing_moves() {
    let plain = run(&town(1000, 40, 0.4, ""));
    let off = run(&town(
        1000,
        40,
        0.4,
        "enabled = false\ncash_days = [1, 2, 3]\nprice_cap = 3",
    ));
    assert!(plain.markets.is_empty() && plain.wealth.is_empty() && plain.summary.by_wealth.is_empty());
    assert_eq!(plain.days, off.days);
    assert_eq!(plain.locations, off.locations);
    assert_eq!(plain.summary, off.summary);
    let on = run(&town(1000, 40, 0.4, "enabled = true"));
    assert_ne!(plain.days, on.days, "the switch does something");
}

#[test]
fn people_killed_by_an_event_count_in_their_wealth_group() {
    let text = town(1000, 5, 1.0, "enabled = true")
        + "[[events]]\nday = 2\nkind = \"killing\"\nlocation = \"town\"\nn = 100\n";
    let r = run(&text);
    let violence = r.days.last().unwrap().cum_deaths_violence;
    assert_eq!(violence, 100, "the event's victims");
    let in_groups: u64 = r.wealth.iter().map(|w| w.new_deaths).sum();
    assert_eq!(in_groups, r.summary.deaths_total, "every death in wealth.csv");
    assert!(in_groups >= 100);
}

#[derive(Default)]
struct Keep {
    days: Vec<DayRecord>,
    markets: Vec<MarketRecord>,
    wealth: Vec<WealthRecord>,
}

impl Observer for Keep {
    fn day(&mut self, r: &DayRecord, _: &[LocationRecord]) {
        self.days.push(r.clone());
    }
    fn market(&mut self, m: &[MarketRecord], w: &[WealthRecord]) {
        self.markets.extend_from_slice(m);
        self.wealth.extend_from_slice(w);
    }
}

#[test]
fn food_is_conserved_and_both_paths_agree() {
    let s = scenario::parse("m.toml", &town(2000, 50, 0.5, "enabled = true"), &[]).unwrap();
    let mut vector = World::new(&s, 0);
    let mut scalar = World::new(&s, 0);
    scalar.one_member_at_a_time();
    let (mut a, mut b) = (Keep::default(), Keep::default());
    for _ in 0..50 {
        vector.step(&mut a);
        scalar.step(&mut b);
    }
    assert_eq!(a.days, b.days);
    assert_eq!(a.markets, b.markets);
    assert_eq!(a.wealth, b.wealth);
    let (expected, held) = (vector.ledger.expected_stock(), vector.food_in_stock());
    assert!(
        (expected - held).abs() <= 1e-6 * vector.ledger.initial,
        "ledger {expected} vs held {held}"
    );
    assert!(vector.ledger.imports > 0.0 && vector.ledger.coping > 0.0);
}

#[test]
fn thread_count_does_not_change_a_large_market() {
    // Above the size at which a replicate's chunks run in parallel.
    let s = scenario::parse("m.toml", &town(120_000, 12, 0.4, "enabled = true"), &[]).unwrap();
    let on = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| {
                let mut k = Keep::default();
                let mut w = World::new(&s, 0);
                for _ in 0..12 {
                    w.step(&mut k);
                }
                k
            })
    };
    let (one, two) = (on(1), on(2));
    assert_eq!(one.days, two.days);
    assert_eq!(one.markets, two.markets);
    assert_eq!(one.wealth, two.wealth);
}

#[test]
fn bad_market_input_is_reported_with_its_key_and_line() {
    let text = town(
        100,
        10,
        0.4,
        "enabled = true\nwealth_shares = [0.5, 0.5, 0.5]\nprice_cap = 0.5",
    );
    let e = scenario::parse("bad.toml", &text, &[]).unwrap_err().to_string();
    assert!(e.contains("market.wealth_shares") && e.contains("sum to 1"), "{e}");
    assert!(e.contains("market.price_cap"), "both problems at once: {e}");
    assert!(e.contains("bad.toml:"), "names the file and line: {e}");
}
