//! Organised evacuation (`[[evacuations]]`, MODEL.md §7a): the expected number taken each day is
//! the capacity, households leave whole with their food, and fewer mouths stretch a closed
//! store.

use siege::experiment::run_replicate;
use siege::scenario;

/// A closed town of 6,000 with 20 days of food, no flight, `evac` appended.
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
