//! Mechanisms of long sieges (issue 17). Organised evacuation (`[[evacuations]]`, MODEL.md §7a):
//! the expected number taken each day is the capacity, households leave whole with their food.
//! Cold (`[[climate]]`, MODEL.md §5.4): the UNHCR allowance, and what it costs the hungry.

use siege::experiment::{ReplicateResult, run_replicate};
use siege::scenario;

/// A closed town of 6,000 with 20 days of food, no flight, `evac` (any extra sections) appended.
fn town(evac: &str) -> scenario::Scenario {
    let text = format!(
        r#"
[simulation]
name = "evacuation"
days = 60
seed = 41
replicates = 1

[population]
size = 6000

[food]
stock_days_mean = 20
livestock_per_household_mean = 0

[displacement]
enabled = false

[[locations]]
id = "town"
kind = "besieged"
{evac}
"#
    );
    scenario::parse("evacuation.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// Day 0's food need of the whole population, kcal (food held over days of it).
fn need(r: &ReplicateResult) -> f64 {
    r.days[0].food_kcal / r.days[0].food_days
}

/// Deaths by the end of the run.
fn dead(r: &ReplicateResult) -> u64 {
    r.days.last().unwrap().n_dead
}

#[test]
fn the_capacity_is_taken_each_day_and_evacuees_leave_the_population() {
    let s = town(
        r#"
[[evacuations]]
from = "town"
from_day = 10
until_day = 29
people_per_day = 60
"#,
    );
    let r = run_replicate(&s, 0, true);
    let before = &r.days[9];
    let after = &r.days[29];
    let last = r.days.last().unwrap();
    assert_eq!(before.n_evacuated, 0, "nobody leaves before from_day");
    // 20 days × 60: households go whole (about 5 people), so the count is noisy around 1,200.
    assert!(
        (900..=1500).contains(&after.n_evacuated),
        "evacuated {} by day 29, expected about 1,200",
        after.n_evacuated
    );
    assert_eq!(last.n_evacuated, after.n_evacuated, "nobody leaves after until_day");
    assert_eq!(
        last.n_alive + last.n_evacuated + last.n_dead,
        6000,
        "people are conserved: {last:?}"
    );
}

#[test]
fn evacuation_lowers_deaths_among_those_left_behind_only_by_their_food_and_number() {
    // The evacuees take their own food, so those left keep theirs: the same town without
    // evacuation, scaled to the people left, loses about as large a share.
    let none = run_replicate(&town(""), 0, true);
    let evac = run_replicate(
        &town(
            r#"
[[evacuations]]
from = "town"
from_day = 0
until_day = 0
people_per_day = 3000
"#,
        ),
        0,
        true,
    );
    let gone = evac.days[0].n_evacuated;
    assert!((2500..=3500).contains(&gone), "half the town leaves on day 0: {gone}");
    let share = |d: u64, n: u64| d as f64 / n as f64;
    let none_share = share(none.days.last().unwrap().n_dead, 6000);
    let evac_share = share(evac.days.last().unwrap().n_dead, 6000 - gone);
    assert!(none_share > 0.05, "the closed town starves: {none_share}");
    assert!(
        (evac_share - none_share).abs() < 0.35 * none_share,
        "deaths among those left {evac_share:.3} vs the whole town {none_share:.3}"
    );
}

#[test]
fn a_bad_evacuation_is_refused_with_every_problem() {
    let text = r#"
[simulation]
name = "bad"
days = 30
seed = 1
replicates = 1

[[locations]]
id = "town"
kind = "besieged"

[[evacuations]]
from = "nowhere"
from_day = 40
until_day = 3
people_per_day = -1
"#;
    let e = scenario::parse("bad.toml", text, &[]).unwrap_err().to_string();
    for key in ["from", "from_day", "until_day", "people_per_day"] {
        assert!(
            e.contains(&format!("evacuations.0.{key}")) || e.contains(&format!("evacuations[0].{key}")),
            "{key} missing in: {e}"
        );
    }
}

#[test]
fn the_cold_allowance_is_the_unhcr_table_and_stops_at_its_coldest_row() {
    let p = siege::scenario::params::PhysiologyParams::default();
    let share = |t| siege::model::physiology::cold_share(&p, t);
    assert_eq!(share(None), 0.0);
    assert_eq!(share(Some(25.0)), 0.0);
    // 100 kcal on the 2,100 kcal reference for each 5 °C below 20 °C.
    for (t, kcal) in [(15.0, 100.0), (10.0, 200.0), (5.0, 300.0), (0.0, 400.0), (-19.0, 400.0)] {
        assert!(
            (share(Some(t)) * 2100.0 - kcal).abs() < 1e-9,
            "{t} °C: {}",
            share(Some(t)) * 2100.0
        );
    }
}

#[test]
fn the_cold_raises_need_and_kills_the_hungry_sooner() {
    let warm = run_replicate(&town(""), 0, true);
    let cold = run_replicate(
        &town(
            r#"
[[climate]]
from_day = 0
mean_temperature_c = -5
"#,
        ),
        0,
        true,
    );
    // Day 0's demand is the need: +400 kcal per 2,100 at 0 °C and below.
    let ratio = need(&cold) / need(&warm);
    assert!((ratio - 2500.0 / 2100.0).abs() < 0.01, "need ratio {ratio}");
    assert!(
        dead(&cold) as f64 > 1.15 * dead(&warm) as f64,
        "cold {} vs warm {} deaths",
        dead(&cold),
        dead(&warm)
    );
}

#[test]
fn work_raises_adults_need_by_the_unhcr_increments_and_kills_the_hungry_sooner() {
    let with = |level: &str| {
        run_replicate(
            &town(&format!("\n[[activity]]\nfrom_day = 0\nlevel = \"{level}\"\n")),
            0,
            true,
        )
    };
    let (light, moderate, heavy) = (with("light"), with("moderate"), with("heavy"));
    let plain = run_replicate(&town(""), 0, true);
    assert_eq!(need(&light), need(&plain), "light is the table's own level");
    // About half the people are adults, half of them men: +360/+100 and +850/+330 kcal.
    let (m, h) = (need(&moderate) - need(&light), need(&heavy) - need(&light));
    let adults = 6000.0 * 0.49;
    assert!(
        (m / adults - 230.0).abs() < 40.0 && (h / adults - 590.0).abs() < 80.0,
        "extra need per adult: moderate {} heavy {}",
        m / adults,
        h / adults
    );
    assert!(
        dead(&heavy) > dead(&moderate) && dead(&moderate) > dead(&light),
        "deaths by level"
    );
}

#[test]
fn a_household_collects_at_most_a_month_of_food_from_one_drop() {
    // A big drop on a handful of people: each household keeps what it can carry away (30 days of
    // 2,100 kcal a member, MODEL.md §8); the rest is left uncollected, not carried to a refuge.
    let text = r#"
[simulation]
name = "few_left"
days = 5
seed = 3
replicates = 1

[population]
size = 12

[displacement]
enabled = false

[[locations]]
id = "town"
kind = "besieged"

[[airdrops]]
day = 1
tonnes = 18
usable_fraction = 1.0
"#;
    let s = scenario::parse("few_left.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let r = run_replicate(&s, 0, true);
    let d = &r.days[1];
    let limit = 30.0 * 2100.0 * d.n_present as f64;
    assert!(d.airdrop_landed_kcal > 60e6, "landed {}", d.airdrop_landed_kcal);
    assert!(
        d.airdrop_usable_kcal > 0.0 && d.airdrop_usable_kcal <= limit + 1e-6,
        "collected {} of {} (limit {limit})",
        d.airdrop_usable_kcal,
        d.airdrop_landed_kcal
    );
}

/// Adults living alone, every one on a ration card, the store issuing the same 1,500 kcal a day
/// to every card, `stock_days` of their own food; `activity` appended.
fn cardholders(stock_days: u32, activity: &str) -> scenario::Scenario {
    let text = cardholders_text(stock_days, activity);
    scenario::parse("cards.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"))
}

/// The text of `cardholders`.
fn cardholders_text(stock_days: u32, activity: &str) -> String {
    format!(
        r#"
[simulation]
name = "cards"
days = 60
seed = 17
replicates = 1

[population]
size = 6000
household_size_mean = 1
under5_share = 0
under15_share = 0
over60_share = 0

[food]
stock_days_mean = {stock_days}
livestock_per_household_mean = 0

[mortality]
background_under5_per_10k_day = 0.0
background_5_59_per_10k_day = 0.0
background_60_plus_per_10k_day = 0.0

[disease]
enabled = false

[displacement]
enabled = false

[[locations]]
id = "city"
kind = "besieged"
market_kcal_per_person_day = 0

[[stores]]
id = "store"
location = "city"
stock_tonnes = 100000

[[rations]]
from_day = 0
worker_kcal = 1500
employee_kcal = 1500
dependant_kcal = 1500
child_kcal = 1500
{activity}
"#
    )
}

/// Deaths are counted by the card their holder started with: with a store that issues nothing
/// to dependants (who live alone, with no food of their own), dependants die and the others,
/// on 1,500 kcal, do not yet; the three card columns hold every death (all are adults); a
/// scenario that reads no card reports no death by card.
#[test]
fn deaths_are_counted_by_the_card_held_at_the_start() {
    let text = cardholders_text(0, "")
        .replace("dependant_kcal = 1500", "dependant_kcal = 0")
        .replace("days = 60", "days = 90");
    let s = scenario::parse("cards.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let sum = run_replicate(&s, 0, false).summary;
    assert!(sum.deaths_dependant > 100, "{sum:?}");
    assert!(
        sum.deaths_worker + sum.deaths_employee < sum.deaths_dependant / 5,
        "{sum:?}"
    );
    assert_eq!(
        sum.deaths_worker + sum.deaths_employee + sum.deaths_dependant,
        sum.deaths_total
    );
    // No store, no card named: everyone fasts, and no death is put to a card.
    let start = text.find("[[stores]]").unwrap();
    let s = scenario::parse("nocards.toml", &text[..start], &[]).unwrap_or_else(|e| panic!("{e}"));
    let sum = run_replicate(&s, 0, false).summary;
    assert!(sum.deaths_total > 100, "{sum:?}");
    assert_eq!(sum.deaths_worker + sum.deaths_employee + sum.deaths_dependant, 0);
}

#[test]
fn activity_by_card_makes_a_worker_fed_as_a_dependant_lose_weight_faster() {
    use siege::model::World;
    use siege::model::physiology::Sex;
    use siege::model::population::Status;
    use siege::observe::{DayRecord, LocationRecord, Observer};
    struct Quiet;
    impl Observer for Quiet {
        fn day(&mut self, _: &DayRecord, _: &[LocationRecord]) {}
    }
    // Mean share of their weight the living men of each card (worker, employee, dependant) lost.
    let losses = |activity: &str| {
        let s = cardholders(0, activity);
        let mut w = World::new(&s, 0);
        let before: Vec<f32> = w.persons.iter().map(|p| p.fat_kg + p.lean_kg).collect();
        for _ in 0..s.days() {
            w.step(&mut Quiet);
        }
        let mut sum = [(0.0f64, 0u32); 3];
        for (p, w0) in w.persons.iter().zip(&before) {
            if p.status == Status::Alive && p.sex() == Sex::Male {
                let card = p.work_index() / 2;
                sum[card].0 += f64::from(1.0 - (p.fat_kg + p.lean_kg) / w0);
                sum[card].1 += 1;
            }
        }
        sum.map(|(s, n)| {
            assert!(n > 200, "too few men of a card: {n}");
            s / f64::from(n)
        })
    };
    let [worker, employee, dependant] =
        losses("\n[[activity]]\nfrom_day = 0\nlevel = \"heavy\"\ncards = [\"worker\"]\n");
    // Heavy labour adds 850 kcal a day to a man's spending: on the same ration he loses more.
    assert!(
        worker > dependant + 0.03,
        "worker lost {worker:.3} of his weight, dependant {dependant:.3}"
    );
    // The entry names workers only: employees live as dependants do (the cards are drawn at
    // random, so the two groups differ only by sampling).
    assert!(
        (employee - dependant).abs() < 0.2 * (worker - dependant),
        "employee {employee:.3} vs dependant {dependant:.3}"
    );
    // Without the entry, every card loses alike.
    let [w0, _, d0] = losses("");
    assert!(
        (w0 - d0).abs() < 0.2 * (worker - dependant),
        "worker {w0:.3} vs dependant {d0:.3}"
    );
    assert!(
        (d0 - dependant).abs() < 0.2 * (worker - dependant),
        "dependants {d0:.3} vs {dependant:.3}"
    );
}

#[test]
fn activity_by_card_raises_only_the_named_cards_need() {
    let all = run_replicate(
        &cardholders(20, "\n[[activity]]\nfrom_day = 0\nlevel = \"moderate\"\n"),
        0,
        true,
    );
    let workers = run_replicate(
        &cardholders(
            20,
            "\n[[activity]]\nfrom_day = 0\nlevel = \"moderate\"\ncards = [\"worker\"]\n",
        ),
        0,
        true,
    );
    let none = run_replicate(&cardholders(20, ""), 0, true);
    // Moderate work adds 360 kcal a man and 100 a woman, about 230 an adult: to everyone, or to
    // the worker cards only (42.5% of adults by the default shares).
    let (a, w) = (need(&all) - need(&none), need(&workers) - need(&none));
    assert!((a / 6000.0 - 230.0).abs() < 10.0, "extra need per adult {}", a / 6000.0);
    assert!((w / a - 0.425).abs() < 0.03, "workers' share of the extra {}", w / a);
}
