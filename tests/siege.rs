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
    // Full imports from the day of liberation.
    let r = run(&text.replace("[siege]", "[siege]\nrecovery_days = 0"));
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
    // By default they ramp over 14 days: a fraction two days after, full after two weeks.
    let r = run(&text);
    let early = r.days[12].mean_intake_kcal;
    assert!(early > 1.0 && early < 600.0, "two days after liberation: {early}");
    let late = r.days[25].mean_intake_kcal;
    assert!(late > 1500.0, "imports did not recover: {late}");
}

#[test]
fn deaths_by_location_sum_to_the_total_every_day() {
    let text = world(40.0, "open", "")
        .replace("interception_probability = 0.0", "interception_probability = 0.3")
        .replace("host_support_kcal = 2100.0", "host_support_kcal = 300.0")
        + "[[events]]\nday = 2\nkind = \"killing\"\nn = 5\ngroup = \"adult_men\"\n";
    let text = text.replace("days = 30", "days = 90");
    let mut refuge_deaths = 0;
    for replicate in 0..3 {
        let s = scenario::parse("tiny.toml", &text, &[]).unwrap();
        let r = run_replicate(&s, replicate, true);
        for d in &r.days {
            let here: Vec<&LocationRecord> = r.locations.iter().filter(|l| l.day == d.day).collect();
            let sum = |f: fn(&LocationRecord) -> u64| here.iter().map(|l| f(l)).sum::<u64>();
            assert_eq!(sum(|l| l.new_deaths), d.new_deaths, "day {}", d.day);
            assert_eq!(sum(|l| l.cum_deaths), d.n_dead, "day {}", d.day);
            assert_eq!(
                sum(|l| l.cum_deaths_starvation),
                d.cum_deaths_starvation,
                "day {}",
                d.day
            );
            assert_eq!(sum(|l| l.cum_deaths_violence), d.cum_deaths_violence, "day {}", d.day);
            assert_eq!(sum(|l| l.cum_deaths_disease), d.cum_deaths_disease, "day {}", d.day);
            assert_eq!(
                sum(|l| l.cum_deaths_background),
                d.cum_deaths_background,
                "day {}",
                d.day
            );
            for l in &here {
                assert_eq!(
                    l.new_deaths,
                    l.new_deaths_starvation
                        + l.new_deaths_violence
                        + l.new_deaths_background
                        + l.new_deaths_dehydration
                        + l.new_deaths_relief
                        + l.new_deaths_disease
                );
            }
        }
        let total: u64 = r.summary.deaths_at.iter().map(|(_, n)| n).sum();
        assert_eq!(total, r.summary.deaths_total);
        refuge_deaths += r.summary.deaths_at.iter().find(|(l, _)| l == "refuge").unwrap().1;
    }
    // The displaced starve where they are: at the refuge, not at home.
    assert!(refuge_deaths > 0, "no deaths attributed to the refuge");
}

#[test]
fn host_support_declines_with_days_since_arrival() {
    let intake_at_end = |tau: &str| {
        let text = world(18.0, "open", "").replace(
            "host_support_kcal = 2100.0",
            &format!("host_support_kcal = 2100.0\nhost_support_days = {tau}"),
        );
        let r = run(&text);
        let last = r.days.last().unwrap();
        assert!(last.n_displaced > 200, "most should have left: {}", last.n_displaced);
        last.mean_intake_kcal
    };
    let lasting = intake_at_end("100000.0");
    let fading = intake_at_end("5.0");
    assert!(lasting > 1000.0, "{lasting}");
    assert!(fading < 0.2 * lasting, "support did not fade: {fading} vs {lasting}");
}

#[test]
fn displaced_households_move_on_only_when_allowed() {
    // The first refuge gives nothing; a second one, 18 km beyond it and barely attractive from the
    // village, feeds people.
    let text = |onward: bool| {
        world(18.0, "open", "")
            .replace("host_support_kcal = 2100.0", "host_support_kcal = 0.0")
            .replace("[displacement]", &format!("[displacement]\nonward = {onward}"))
            + "[[locations]]\nid = \"far\"\nkind = \"town\"\nattractiveness = 0.001\n\
               [[routes]]\nid = \"on\"\nfrom = \"refuge\"\nto = \"far\"\ndistance_km = 18.0\n"
    };
    let far = |onward: bool| {
        let r = run(&text(onward));
        let last = r.days.last().unwrap();
        let far = at(&r, "far").last().unwrap().n_displaced_here;
        // Moving on does not count a person displaced twice.
        assert!(r.summary.displaced_total <= 300);
        assert_eq!(last.cum_displaced, r.summary.displaced_total);
        far
    };
    let stay = far(false);
    let moved = far(true);
    assert!(stay < 20, "{stay} reached the far refuge directly");
    assert!(
        moved > 40 && moved > 3 * stay,
        "only {moved} moved on ({stay} without onward)"
    );
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
    let (_, kidnapped, _, _) = w.census();
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
    // Slower flight than the other tests' worlds, so that people are still at home at liberation
    // (at base 0.3 with no food everyone has left by day 4).
    let text = world(18.0, "open", "[[events]]\nday = 5\nkind = \"liberation\"\n").replace("base = 0.3", "base = 0.05");
    let r = run(&text);
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

/// `food_carried_kcal` is what the households held as they set out from home: all of it with
/// `carry_share = 1`, half of it with 0.5 (the same households leave on the same days: what they
/// carry cannot change a decision taken at home), none with 0, and none when nobody can leave.
#[test]
fn food_carried_is_what_leavers_hold_as_they_set_out() {
    let with = |share: &str, state: &str| {
        let text = world(20.0, state, "")
            .replace("stock_days_mean = 0.0", "stock_days_mean = 2.0")
            .replace("[displacement]\n", &format!("[displacement]\ncarry_share = {share}\n"));
        run(&text).summary
    };
    let all = with("1.0", "open");
    assert!(all.displaced_total > 0 && all.food_carried_kcal > 0.0, "{all:?}");
    let half = with("0.5", "open");
    assert_eq!(half.displaced_total, all.displaced_total);
    let ratio = half.food_carried_kcal / all.food_carried_kcal;
    assert!((ratio - 0.5).abs() < 1e-12, "{ratio}");
    assert_eq!(with("0.0", "open").food_carried_kcal, 0.0);
    let closed = with("1.0", "closed");
    assert_eq!((closed.displaced_total, closed.food_carried_kcal), (0, 0.0));
}

/// The intake split by where households are: the mean over everyone who ate is the two groups'
/// means weighted by how many ate in each, so it lies between them; with nobody away it is the
/// mean at home. In Farabougou the two differ by hundreds of kcal while the siege holds.
#[test]
fn the_mean_intake_lies_between_those_at_home_and_those_away() {
    let text = std::fs::read_to_string("scenarios/farabougou_2020.toml").unwrap();
    let s = scenario::parse("scenarios/farabougou_2020.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    let r = run_replicate(&s, 0, true);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * a.abs().max(1.0);
    // Everyone eats at home on day 0: households leave after the day's meals.
    let first = &r.days[0];
    assert!(first.mean_intake_kcal_away.is_nan() && close(first.mean_intake_kcal, first.mean_intake_kcal_home));
    let mut widest: f64 = 0.0;
    for d in &r.days {
        let (all, home, away) = (d.mean_intake_kcal, d.mean_intake_kcal_home, d.mean_intake_kcal_away);
        match (home.is_nan(), away.is_nan()) {
            (false, true) => assert!(close(all, home), "day {}: {all} {home}", d.day),
            (true, false) => assert!(close(all, away), "day {}: {all} {away}", d.day),
            (false, false) => {
                let (lo, hi) = (home.min(away), home.max(away));
                assert!(
                    lo - 1e-4 * lo <= all && all <= hi + 1e-4 * hi,
                    "day {}: {all} not in {lo}–{hi}",
                    d.day
                );
                widest = widest.max(hi - lo);
            }
            (true, true) => assert!(all.is_nan(), "day {}", d.day),
        }
    }
    assert!(widest > 300.0, "{widest}");
    // Only Farabougou's own people are at home in this scenario (the refuges' hosts are not
    // simulated), so its mean in locations.csv is the timeseries' mean at home, day by day.
    for d in &r.days {
        let here = at(&r, "farabougou")[d.day as usize].mean_intake_kcal;
        let home = d.mean_intake_kcal_home;
        assert!(
            here.is_nan() && home.is_nan() || close(here, home),
            "day {}: {here} {home}",
            d.day
        );
    }
}
