//! Tiny hand-built worlds, each showing one mechanism of the siege (Flee's style): routes and
//! departures, arrival times, interception, route events, liberation, events' exact effects, and
//! conservation of people.

use siege::experiment::{ReplicateResult, run_replicate};
use siege::model::World;
use siege::model::population::Mode;
use siege::observe::{DayRecord, LocationRecord, Observer};
use siege::scenario;

struct Quiet;
impl Observer for Quiet {
    fn day(&mut self, _: &DayRecord, _: &[LocationRecord]) {}
}

/// A village of 300 with no food and a refuge `km` away by one road in `state`; strong pressure to
/// leave (food gap) and no violence unless the caller adds it.
fn world(km: f64, state: &str, extra: &str) -> String {
    format!(
        r#"
[simulation]
name = "tiny"
days = 30
seed = 5
[population]
size = 300
[food]
stock_days_mean = 0.0
livestock_per_household_mean = 0.0
[displacement]
base = 0.3
[siege]
interception_probability = 0.0
[[locations]]
id = "village"
kind = "besieged"
[[locations]]
id = "refuge"
kind = "town"
host_support_kcal = 2100.0
[[routes]]
id = "road"
from = "village"
to = "refuge"
distance_km = {km}
state = "{state}"
{extra}
"#
    )
}

fn run(text: &str) -> ReplicateResult {
    let s = scenario::parse("tiny.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    run_replicate(&s, 0, true)
}

fn at<'a>(r: &'a ReplicateResult, loc: &str) -> Vec<&'a LocationRecord> {
    r.locations.iter().filter(|l| l.location == loc).collect()
}

#[test]
fn nobody_leaves_when_every_route_is_closed() {
    for state in ["closed", "impassable"] {
        let r = run(&world(18.0, state, ""));
        assert!(
            r.days
                .iter()
                .all(|d| d.n_in_transit == 0 && d.n_displaced == 0 && d.cum_displaced == 0),
            "{state}"
        );
    }
}

#[test]
fn leavers_arrive_after_ceil_distance_over_35_days_and_are_counted_there() {
    for (km, walk_days) in [(18.0, 1), (35.0, 1), (36.0, 2), (100.0, 3)] {
        let r = run(&world(km, "open", ""));
        let first_departure = r.days.iter().find(|d| d.n_in_transit > 0).expect("someone leaves").day;
        let refuge = at(&r, "refuge");
        let first_arrival = refuge.iter().find(|l| l.new_arrivals > 0).expect("someone arrives").day;
        assert_eq!(first_arrival, first_departure + walk_days, "{km} km");
        assert!(refuge.last().unwrap().n_displaced_here > 0);
        let last = r.days.last().unwrap();
        assert_eq!(refuge.last().unwrap().n_displaced_here, last.n_displaced);
    }
}

#[test]
fn interception_with_certain_death_kills_every_leaver() {
    let text = world(18.0, "open", "")
        .replace(
            "interception_probability = 0.0",
            "interception_probability = 1.0\ninterception_killed_share = 1.0\ninterception_kidnapped_share = 0.0",
        )
        // People who knew the risk would not try; these do not.
        .replace("[displacement]", "[displacement]\nrisk_perception = 0.0");
    let r = run(&text);
    let last = r.days.last().unwrap();
    assert!(last.cum_intercepted > 0);
    assert_eq!(last.cum_displaced, 0);
    assert_eq!(
        last.cum_deaths_violence, last.cum_intercepted,
        "every intercepted leaver dies of violence"
    );
}

#[test]
fn closing_the_only_road_stops_departures() {
    let text = world(
        18.0,
        "open",
        "[[events]]\nday = 3\nkind = \"route\"\nroute = \"road\"\nstate = \"closed\"\n",
    );
    let r = run(&text);
    // Departures on a day show as people in transit at the end of it (the walk takes one day).
    let left_on = |d: &DayRecord| d.n_in_transit;
    assert!(
        r.days[..3].iter().any(|d| left_on(d) > 0),
        "nobody left while the road was open"
    );
    assert!(
        r.days[3..].iter().all(|d| left_on(d) == 0),
        "someone left after the road closed"
    );
}

#[test]
fn liberation_resumes_imports() {
    let text = world(18.0, "closed", "[[events]]\nday = 10\nkind = \"liberation\"\n").replace(
        "kind = \"besieged\"",
        "kind = \"besieged\"\nmarket_kcal_per_person_day = 2100.0",
    );
    let r = run(&text);
    let village = at(&r, "village");
    assert!(r.days[..10].iter().all(|d| d.siege_active == 1));
    assert!(r.days[10..].iter().all(|d| d.siege_active == 0));
    assert!(r.days[9].mean_intake_kcal < 1.0, "imports leaked in during the siege");
    assert!(
        r.days[12].mean_intake_kcal > 1500.0,
        "imports did not resume: {}",
        r.days[12].mean_intake_kcal
    );
    assert!(village[12].food_kcal >= 0.0);
}

#[test]
fn people_are_conserved_every_day() {
    let text = world(40.0, "open", "")
        .replace("interception_probability = 0.0", "interception_probability = 0.3")
        .replace("[displacement]", "[displacement]\nreturn_after_liberation_days = 2")
        + "[[events]]\nday = 1\nkind = \"kidnapping\"\nn = 12\n[[events]]\nday = 2\nkind = \"killing\"\nn = 5\ngroup = \"adult_men\"\n[[events]]\nday = 8\nkind = \"liberation\"\n";
    for replicate in 0..5 {
        let s = scenario::parse("tiny.toml", &text, &[]).unwrap();
        let r = run_replicate(&s, replicate, true);
        for d in &r.days {
            assert_eq!(
                d.n_present + d.n_in_transit + d.n_displaced + d.n_kidnapped + d.n_dead,
                300,
                "day {}",
                d.day
            );
            assert_eq!(d.n_alive + d.n_dead, 300);
        }
    }
}

#[test]
fn a_kidnapping_takes_exactly_n_and_a_seizure_takes_the_herds() {
    let text = world(18.0, "closed", "[[events]]\nday = 0\nkind = \"kidnapping\"\nn = 17\n[[events]]\nday = 0\nkind = \"livestock_seizure\"\nfraction = 1.0\n")
        .replace("livestock_per_household_mean = 0.0", "livestock_per_household_mean = 5.0");
    let s = scenario::parse("tiny.toml", &text, &[]).unwrap();
    let mut w = World::new(&s, 0);
    let herd_before: u32 = w.households.iter().map(|h| h.livestock).sum();
    assert!(herd_before > 0);
    w.step(&mut Quiet);
    let (_, kidnapped, _) = w.census();
    assert_eq!(kidnapped, 17);
    assert_eq!(
        w.households.iter().map(|h| h.livestock).sum::<u32>(),
        0,
        "seized livestock is gone, none slaughtered"
    );
    // A seizure of a number of head takes exactly that many.
    let text = text.replace("fraction = 1.0", "head = 40");
    let s = scenario::parse("tiny.toml", &text, &[]).unwrap();
    let mut w = World::new(&s, 0);
    let before: u32 = w.households.iter().map(|h| h.livestock).sum();
    w.step(&mut Quiet);
    let slaughtered = (w.ledger.slaughtered / s.food().livestock_kcal_per_head).round() as u32;
    assert_eq!(
        w.households.iter().map(|h| h.livestock).sum::<u32>() + slaughtered,
        before - 40
    );
    assert!(w.households.iter().all(|h| h.mode == Mode::AtHome));
}

#[test]
fn nobody_flees_a_liberated_place() {
    let r = run(&world(18.0, "open", "[[events]]\nday = 5\nkind = \"liberation\"\n"));
    assert!(
        r.days[..5].iter().any(|d| d.n_in_transit > 0),
        "nobody left during the siege"
    );
    assert!(
        r.days[5..].iter().all(|d| d.n_in_transit == 0),
        "someone left after liberation"
    );
    assert!(r.days.last().unwrap().n_present > 0);
}

#[test]
fn a_siege_start_event_alone_starts_the_siege() {
    let r = run(&world(18.0, "closed", "[[events]]\nday = 5\nkind = \"siege_start\"\n"));
    assert!(r.days[..5].iter().all(|d| d.siege_active == 0));
    assert!(r.days[5..].iter().all(|d| d.siege_active == 1));
    // Without the event the siege starts on day 0.
    let r = run(&world(18.0, "closed", ""));
    assert!(r.days.iter().all(|d| d.siege_active == 1));
}
