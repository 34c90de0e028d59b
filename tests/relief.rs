//! Relief options (issue 19 item 4): distribution rules, drop zones, convoys.

use siege::model::World;
use siege::observe::{DayRecord, LocationRecord, Observer};
use siege::scenario;

struct Quiet;
impl Observer for Quiet {
    fn day(&mut self, _: &DayRecord, _: &[LocationRecord]) {}
}

/// A closed village that runs out of food, with no way out, fed only by weekly drops of
/// `tonnes` handed out by `rule`.
fn small_world(rule: &str, tonnes: f64, days: u32) -> String {
    format!(
        r#"
[simulation]
name = "small"
days = {days}
seed = 11
[population]
size = 600
[food]
stock_days_mean = 10.0
livestock_per_household_mean = 0.0
[displacement]
enabled = false
[[airdrops]]
day = 7
every_days = 7
tonnes = {tonnes}
usable_fraction = 1.0
distribution = "{rule}"
"#
    )
}

/// Deaths summed over replicates 0..n (common random numbers: replicate r of every rule starts
/// from the same population).
fn deaths(text: &str, n: u32) -> u64 {
    let s = scenario::parse("small.toml", text, &[]).unwrap();
    (0..n)
        .map(|r| {
            let mut w = World::new(&s, r);
            for _ in 0..s.days() {
                w.step(&mut Quiet);
            }
            w.census().2
        })
        .sum()
}

/// With the same food (1 and 1.5 t a week for 600 people, about 40% and 60% of need, 90 days),
/// `scramble` (the strong first, each carrying off a week) kills more than `equal` (per head), and
/// `need` (per head, the undernourished counting 1.25 or 1.5 heads) fewer. 30 replicates with
/// common random numbers. Seen when written: at 1 t scramble 6,543, equal 3,567, need 3,403; at
/// 1.5 t 3,490, 1,142, 1,030; since the children's FAO/WHO/UNU 2004 needs (fa13ed2): at 1 t 5,861,
/// 2,516, 2,432; at 1.5 t 3,075, 862, 805. The scramble margin (at least 1.3×) leaves room for
/// sampling noise; need's gain is smaller (3–10%) and is only asserted in direction. (At 0.5 t over 90 days
/// nearly everyone dies whatever the rule, and need and equal tie: 9,058 against 9,039.)
#[test]
fn scramble_kills_more_than_equal_and_need_fewer() {
    for tonnes in [1.0, 1.5] {
        let [scramble, equal, need] = ["scramble", "equal", "need"].map(|r| deaths(&small_world(r, tonnes, 90), 30));
        eprintln!("{tonnes} t: deaths over 30 replicates: scramble {scramble}, equal {equal}, need {need}");
        assert!(
            scramble as f64 > 1.3 * equal as f64,
            "{tonnes} t: scramble {scramble} vs equal {equal}"
        );
        assert!(need < equal, "{tonnes} t: need {need} vs equal {equal}");
    }
}

#[test]
fn drop_zone_and_altitude_set_the_fractions_and_clash_with_them() {
    let with = |extra: &str| {
        small_world("equal", 1.0, 30)
            .replace("usable_fraction = 1.0\n", "")
            .replace(
                "distribution = \"equal\"",
                &format!("distribution = \"equal\"\n{extra}"),
            )
    };
    let s = scenario::parse("z.toml", &with("drop_zone = \"contested\"\naltitude = \"high\""), &[]).unwrap();
    assert_eq!(s.airdrops()[0].captured_fraction, 0.5);
    assert_eq!(s.airdrops()[0].usable_fraction, 0.25);
    let s = scenario::parse("z.toml", &with("drop_zone = \"held\"\naltitude = \"low\""), &[]).unwrap();
    assert_eq!(s.airdrops()[0].captured_fraction, 0.0);
    assert_eq!(s.airdrops()[0].usable_fraction, 0.9);
    let err = scenario::parse(
        "z.toml",
        &with("drop_zone = \"besiegers\"\ncaptured_fraction = 0.3\naltitude = \"high\"\nusable_fraction = 0.5"),
        &[],
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("airdrops.0.captured_fraction"), "{err}");
    assert!(err.contains("airdrops.0.usable_fraction"), "{err}");
}

/// The small world with convoys and checkpoints instead of airdrops, run to the end.
fn convoy_totals(convoys: &str, replicate: u32) -> (siege::observe::RunTotals, f64, f64) {
    let text = small_world("equal", 0.0, 30);
    let text = format!("{}\n{convoys}", &text[..text.find("[[airdrops]]").unwrap()]);
    let s = scenario::parse("c.toml", &text, &[]).unwrap();
    let mut w = World::new(&s, replicate);
    for _ in 0..s.days() {
        w.step(&mut Quiet);
    }
    (w.totals(), w.ledger.expected_stock(), w.food_in_stock())
}

#[test]
fn convoys_deliver_what_checkpoints_leave_and_cost_on_departure() {
    let checkpoints = "[[checkpoints]]\nid = \"a\"\nloot_share = 0.5\n[[checkpoints]]\nid = \"b\"\nloot_share = 0.2\n[[checkpoints]]\nid = \"shut\"\np_block = 1.0\n";
    let convoy = |route: &str| {
        format!(
            "[[convoys]]\nday = 3\nevery_days = 10\ncount = 2\ntonnes = 2.0\nkcal_per_kg = 3500\ndays_on_road = 2\ncost_per_tonne = 400\nroute = {route}\n{checkpoints}"
        )
    };
    let (t, expected, stock) = convoy_totals(&convoy("[\"a\", \"b\"]"), 0);
    let load = 2.0 * 1000.0 * 3500.0;
    assert_eq!(t.convoy_tonnes, 4.0);
    assert_eq!(t.convoy_cost, 1600.0);
    assert!((t.convoy_delivered_kcal - 2.0 * load * 0.5 * 0.8).abs() < 1e-6 * load);
    assert!((t.convoy_looted_kcal - 2.0 * load * 0.6).abs() < 1e-6 * load);
    assert_eq!(t.convoys_blocked, 0);
    assert!(
        (expected - stock).abs() < 1e-6 * load,
        "the food ledger does not balance: {expected} vs {stock}"
    );
    let (t, _, _) = convoy_totals(&convoy("[\"a\", \"shut\"]"), 0);
    assert_eq!(t.convoy_delivered_kcal, 0.0);
    assert_eq!(t.convoys_blocked, 2);
    assert_eq!(t.convoy_cost, 1600.0, "a blocked convoy's cost is spent");
}

#[test]
fn a_checkpoint_blocks_about_its_share_of_convoys() {
    let text = "[[convoys]]\nday = 0\nevery_days = 1\ntonnes = 1.0\nroute = [\"x\"]\ndays_on_road = 0\n[[checkpoints]]\nid = \"x\"\np_block = 0.3\n";
    let blocked: u64 = (0..10).map(|r| convoy_totals(text, r).0.convoys_blocked).sum();
    // 300 convoys at p = 0.3: mean 90, sd 7.9; 60..120 is beyond 3.5 sd either side.
    assert!((60..=120).contains(&blocked), "{blocked} of 300 blocked");
}

/// Negotiated access windows (MODEL.md §8a): convoys that reach a closed checkpoint wait for its
/// next window and deliver the day they pass; one that reaches it after the last window never
/// arrives, though its cost is spent.
#[test]
fn convoys_wait_for_a_checkpoints_window() {
    let windows = "[[checkpoints]]\nid = \"gate\"\n[[checkpoints.windows]]\nfrom_day = 10\nuntil_day = 12\n[[checkpoints.windows]]\nfrom_day = 20\nuntil_day = 22\n";
    // Departures on days 3, 11 and 19, two days on the road: at the gate on days 5, 13 and 21.
    let convoys = format!(
        "[[convoys]]\nday = 3\nevery_days = 8\ncount = 3\ntonnes = 1.0\nkcal_per_kg = 3500\ndays_on_road = 2\ncost_per_tonne = 400\nroute = [\"gate\"]\n{windows}"
    );
    let text = small_world("equal", 0.0, 30);
    let text = format!("{}\n{convoys}", &text[..text.find("[[airdrops]]").unwrap()]);
    let s = scenario::parse("w.toml", &text, &[]).unwrap();
    let arrive: Vec<u32> = s.convoys().iter().map(|v| v.arrive).collect();
    assert_eq!(
        arrive,
        [10, 20, 21],
        "day 5 waits for day 10, day 13 for day 20, day 21 passes"
    );
    let mut w = World::new(&s, 0);
    let load = 1000.0 * 3500.0;
    for day in 0..s.days() {
        w.step(&mut Quiet);
        let convoys_in = match day {
            0..10 => 0.0,
            10..20 => 1.0,
            20 => 2.0,
            _ => 3.0,
        };
        let got = w.totals().convoy_delivered_kcal;
        assert!(
            (got - convoys_in * load).abs() < 1e-6 * load,
            "day {day}: {got} kcal delivered"
        );
    }
    // Without the second window the last two wait for ever: cost spent, nothing delivered or blocked.
    let second = "[[checkpoints.windows]]\nfrom_day = 20\nuntil_day = 22\n";
    let shut = text.replace(second, "");
    let s = scenario::parse("w.toml", &shut, &[]).unwrap();
    assert_eq!(s.convoys()[0].arrive, 10);
    assert_eq!(s.convoys()[1].arrive, u32::MAX);
    let (t, _, _) = convoy_totals(&convoys.replace(second, ""), 0);
    assert!((t.convoy_delivered_kcal - load).abs() < 1e-6 * load);
    assert_eq!(t.convoys_blocked, 0);
    assert_eq!(t.convoy_cost, 1200.0);
}

#[test]
fn bad_access_windows_are_named_all_at_once() {
    let text = small_world("equal", 0.0, 30);
    let text = format!(
        "{}\n[[checkpoints]]\nid = \"gate\"\n[[checkpoints.windows]]\nfrom_day = 40\nuntil_day = 50\n[[checkpoints.windows]]\nfrom_day = 8\nuntil_day = 5\n[[checkpoints]]\nid = \"other\"\n[[checkpoints.windows]]\nfrom_day = 3\nuntil_day = 9\n[[checkpoints.windows]]\nfrom_day = 9\nuntil_day = 12\n",
        &text[..text.find("[[airdrops]]").unwrap()]
    );
    let err = scenario::parse("w.toml", &text, &[]).unwrap_err().to_string();
    for key in [
        "checkpoints.0.windows.0.from_day",
        "checkpoints.0.windows.1.until_day",
        "checkpoints.0.windows.1.from_day",
        "checkpoints.1.windows.1.from_day",
    ] {
        assert!(err.contains(key), "{key} not named in: {err}");
    }
    assert!(!err.contains("checkpoints.1.windows.0"), "{err}");
}

#[test]
fn unknown_checkpoints_and_bad_convoy_keys_are_named() {
    let text = small_world("equal", 0.0, 30);
    let text = format!(
        "{}\n[[convoys]]\nday = 40\ntonnes = -1\nroute = [\"nowhere\"]\ndays_on_road = -2\n[[checkpoints]]\nid = \"x\"\np_block = 1.5\n",
        &text[..text.find("[[airdrops]]").unwrap()]
    );
    let err = scenario::parse("c.toml", &text, &[]).unwrap_err().to_string();
    for key in [
        "convoys.0.day",
        "convoys.0.tonnes",
        "convoys.0.route.0",
        "convoys.0.days_on_road",
        "checkpoints.0.p_block",
    ] {
        assert!(err.contains(key), "{key} not named in: {err}");
    }
}

/// Records the under-5 GAM of the last day.
struct LastGam(f64);
impl Observer for LastGam {
    fn day(&mut self, d: &DayRecord, _: &[LocationRecord]) {
        self.0 = d.gam_pct;
    }
}

/// Therapeutic food end to end (MODEL.md §8b): a well-stocked village whose under-5s start at
/// Mali's surveyed GAM 10.8% / SAM 2.1%. On household food alone (catch-up 2 g/kg/day) only the
/// mildly wasted recover within 30 days; an RUTF airdrop on day 0 (1 t, about 5.4 million kcal:
/// far more than 30 days of a 200 kcal/kg dose for every wasted child) lets the wasted gain 10
/// g/kg/day. Seen, mean of 4 replicates on day 30: 3.97% without a drop, 3.97% with the same
/// tonne as food, 0.00% with it as RUTF. (That GAM falls at all without illness is issue 18's
/// missing incident wasting, not this mechanism.)
#[test]
fn an_rutf_drop_brings_the_wasted_under_5s_back() {
    let text = |drop: &str| {
        format!(
            r#"
[simulation]
name = "rutf"
days = 30
seed = 5
[population]
size = 1500
under5_gam_share = 0.108
under5_sam_share = 0.021
[food]
stock_days_mean = 1000.0
[displacement]
enabled = false
{drop}
"#
        )
    };
    let gam = |text: &str| -> f64 {
        let s = scenario::parse("rutf.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
        (0..4)
            .map(|r| {
                let mut o = LastGam(0.0);
                let mut w = World::new(&s, r);
                for _ in 0..s.days() {
                    w.step(&mut o);
                }
                o.0
            })
            .sum::<f64>()
            / 4.0
    };
    let none = gam(&text(""));
    let food = gam(&text("[[airdrops]]\nday = 0\ntonnes = 1.0\nusable_fraction = 1.0\n"));
    let rutf = gam(&text(
        "[[airdrops]]\nday = 0\ntonnes = 1.0\nusable_fraction = 1.0\ncommodity = \"rutf\"\n",
    ));
    eprintln!("GAM after 30 days: no drop {none:.2}%, food {food:.2}%, RUTF {rutf:.2}%");
    assert!(none > 2.5, "no drop: GAM {none:.1}% after 30 days");
    assert!(
        (food - none).abs() < 1.0,
        "a food drop: GAM {food:.1}% against {none:.1}%"
    );
    assert!(
        rutf < none / 3.0,
        "an RUTF drop: GAM {rutf:.1}% against {none:.1}% without"
    );
}

/// Counts `relief` deaths by day (timeseries and per location).
#[derive(Default)]
struct ReliefDeaths {
    by_day: Vec<u64>,
    at_locations: u64,
    cum: u64,
}
impl Observer for ReliefDeaths {
    fn day(&mut self, d: &DayRecord, l: &[LocationRecord]) {
        self.by_day.push(d.new_deaths_relief);
        self.at_locations += l.iter().map(|x| x.new_deaths_relief).sum::<u64>();
        self.cum = d.cum_deaths_relief;
    }
}

/// Drop-zone casualties (MODEL.md §8): Poisson(c × tonnes) people die of `relief` on each drop's
/// day, at its target, and nowhere else; c = 0 kills no one.
#[test]
fn drop_zone_casualties_kill_about_their_rate_on_drop_days_only() {
    // Weekly 2 t drops on days 7, 14, 21, 28 at 2.5 deaths a tonne: 20 expected a replicate.
    let text = small_world("equal", 2.0, 30).replace(
        "distribution = \"equal\"",
        "distribution = \"equal\"\ncasualties_per_tonne = 2.5",
    );
    let s = scenario::parse("k.toml", &text, &[]).unwrap();
    let mut total = 0;
    for r in 0..20 {
        let mut w = World::new(&s, r);
        let mut o = ReliefDeaths::default();
        for _ in 0..s.days() {
            w.step(&mut o);
        }
        for (day, &n) in o.by_day.iter().enumerate() {
            assert!(
                n == 0 || [7, 14, 21, 28].contains(&day),
                "replicate {r}: {n} on day {day}"
            );
        }
        assert_eq!(o.at_locations, o.cum, "per-location relief deaths sum to the total");
        total += o.cum;
    }
    // 20 replicates × Poisson(20): mean 400, sd 20; 320..480 is 4 sd either side.
    assert!((320..=480).contains(&total), "{total} relief deaths in 20 replicates");
    let s = scenario::parse("k.toml", &small_world("equal", 2.0, 30), &[]).unwrap();
    let mut w = World::new(&s, 0);
    let mut o = ReliefDeaths::default();
    for _ in 0..s.days() {
        w.step(&mut o);
    }
    assert_eq!(o.cum, 0);
}
