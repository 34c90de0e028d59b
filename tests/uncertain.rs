//! Parameter uncertainty (`[[uncertain]]`, issue 20): each replicate draws its own values from its
//! own stream; a degenerate distribution changes nothing; bad entries are refused at load.

use siege::experiment::{run_replicates, uncertain};
use siege::scenario;

fn village(extra: &str) -> String {
    let base = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/village_cutoff.toml")).unwrap();
    format!("{base}\n{extra}")
}

fn summaries(text: &str, n: u32) -> Vec<String> {
    let s = scenario::parse("v.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    run_replicates(&s, n, false, &|| {})
        .iter()
        .map(|r| format!("{:?}", r.summary))
        .collect()
}

#[test]
fn a_distribution_with_no_width_changes_nothing() {
    let plain = summaries(&village(""), 4);
    let fixed =
        village("[[uncertain]]\nkey = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 10.0\nhigh = 10.0\n");
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/village_cutoff.toml")).unwrap();
    assert!(
        text.contains("stock_days_mean = 10 "),
        "the test assumes the village's stock of 10 days"
    );
    assert_eq!(summaries(&fixed, 4), plain);
}

#[test]
fn each_replicate_draws_its_own_end_of_the_siege_within_bounds_and_reproducibly() {
    let text = village(
        "[[uncertain]]\nkey = \"siege.end_day\"\ndistribution = \"triangular\"\nlow = 10\nmode = 20\nhigh = 50\n",
    );
    let s = scenario::parse("v.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(s.uncertain_is_integer(0), "end_day takes whole days");
    let days: Vec<f64> = (0..40).map(|r| uncertain::drawn(&s, r)[0]).collect();
    assert!(
        days.iter().all(|d| (10.0..=50.0).contains(d) && d.fract() == 0.0),
        "{days:?}"
    );
    let distinct: std::collections::BTreeSet<u64> = days.iter().map(|&d| d as u64).collect();
    assert!(distinct.len() > 10, "replicates draw different days: {distinct:?}");
    for r in [0, 7] {
        let drawn = uncertain::scenario_for(&s, r);
        assert_eq!(drawn.siege().end_day, Some(days[r as usize] as u32));
    }
    // Same seed, same draws; and the runs differ from a fixed end day.
    assert_eq!(summaries(&text, 3), summaries(&text, 3));
}

/// A key draws whole numbers only if it takes only whole numbers, whatever the file or the ends
/// write: a BMI absent from the file with whole ends, and a stock written `10`, draw real values;
/// a day draws whole ones.
#[test]
fn only_keys_that_take_whole_numbers_draw_whole_numbers() {
    let text = village(concat!(
        "[[uncertain]]\nkey = \"physiology.milk_bmi_full\"\ndistribution = \"uniform\"\nlow = 15\nhigh = 18\n",
        "[[uncertain]]\nkey = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 5\nhigh = 15\n",
        "[[uncertain]]\nkey = \"siege.end_day\"\ndistribution = \"uniform\"\nlow = 10\nhigh = 50\n",
    ));
    let s = scenario::parse("v.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert!(!s.uncertain_is_integer(0) && !s.uncertain_is_integer(1) && s.uncertain_is_integer(2));
    // A day with an invalid low end is still a day: only that end is reported, not the valid one.
    let bad = village("[[uncertain]]\nkey = \"siege.end_day\"\ndistribution = \"uniform\"\nlow = -3\nhigh = 20\n");
    let e = scenario::parse("v.toml", &bad, &[]).unwrap_err().to_string();
    assert!(e.contains("= -3") && !e.contains("= 20"), "{e}");
    let draws: Vec<Vec<f64>> = (0..20).map(|r| uncertain::drawn(&s, r)).collect();
    for (i, real) in [(0, true), (1, true), (2, false)] {
        let fractional = draws.iter().filter(|d| d[i].fract() != 0.0).count();
        assert_eq!(fractional > 0, real, "entry {i}: {fractional} of 20 draws not whole");
    }
}

#[test]
fn bad_entries_are_refused_at_load_with_their_key() {
    let cases = [
        (
            "key = \"simulation.days\"\ndistribution = \"uniform\"\nlow = 1\nhigh = 2",
            "uncertain.0.key",
            "defines the run",
        ),
        (
            "key = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 5.0\nhigh = 1.0",
            "uncertain.0",
            "`low` ≤ `high`",
        ),
        (
            "key = \"food.stock_days_mean\"\ndistribution = \"normal\"\nlow = 1.0\nhigh = 9.0",
            "uncertain.0",
            "needs `mean`",
        ),
        (
            "key = \"population.size\"\ndistribution = \"uniform\"\nlow = -5\nhigh = 100",
            "uncertain.0",
            "is invalid",
        ),
        (
            "key = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 1.0\nhigh = 9.0\nmode = 3.0",
            "uncertain.0",
            "no meaning",
        ),
    ];
    for (entry, key, piece) in cases {
        let text = village(&format!("[[uncertain]]\n{entry}\n"));
        let e = scenario::parse("v.toml", &text, &[]).unwrap_err().to_string();
        assert!(e.contains(key) && e.contains(piece), "{entry}:\n{e}");
    }
}

/// With `start_date` given, a day key's `low`, `high` and `mode` may be dates (TOML dates or
/// strings): the entry is the one with the day numbers they fall on, and so are its draws.
#[test]
fn a_day_key_may_be_bounded_by_dates() {
    let entry = |low: &str, mode: &str, high: &str| {
        village(&format!(
            "[[uncertain]]\nkey = \"siege.end_day\"\ndistribution = \"triangular\"\nlow = {low}\nmode = {mode}\nhigh = {high}\n"
        ))
    };
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/village_cutoff.toml")).unwrap();
    assert!(
        text.contains("start_date = \"2020-10-06\""),
        "the test assumes day 0 is 2020-10-06"
    );
    // 2020-10-06 + 10 = 16 Oct, + 20 = 26 Oct, + 50 = 25 Nov.
    let by_day = scenario::parse("v.toml", &entry("10", "20", "50"), &[]).unwrap_or_else(|e| panic!("{e}"));
    let by_date = scenario::parse("v.toml", &entry("2020-10-16", "\"2020-10-26\"", "2020-11-25"), &[])
        .unwrap_or_else(|e| panic!("{e}"));
    let ends = |s: &scenario::Scenario| {
        let u = &s.uncertain()[0];
        (u.low, u.mode, u.high)
    };
    assert_eq!(ends(&by_date), (10.0, Some(20.0), 50.0));
    assert_eq!(ends(&by_date), ends(&by_day));
    assert!(by_date.uncertain_is_integer(0));
    for r in 0..5 {
        assert_eq!(uncertain::drawn(&by_date, r), uncertain::drawn(&by_day, r));
    }
    // --set may give a date too.
    let set = scenario::parse(
        "v.toml",
        &entry("10", "20", "50"),
        &[("uncertain.0.high".into(), "2020-11-05".into())],
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(set.uncertain()[0].high, 30.0);
}

/// A date for a bound is refused without `start_date`, before it, or for a key that takes no day:
/// every one at once, each at its line and key path.
#[test]
fn wrong_dates_for_bounds_are_reported_together() {
    let entries = "[[uncertain]]\nkey = \"siege.end_day\"\ndistribution = \"uniform\"\nlow = 2020-10-01\nhigh = 2020-11-25\n\
                   [[uncertain]]\nkey = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 2020-10-10\nhigh = 9.0\n\
                   [[uncertain]]\nkey = \"airdrops.0.day\"\ndistribution = \"uniform\"\nlow = 3\nhigh = \"16 Oct 2020\"\n";
    let text = village(entries);
    let line = |needle: &str| text.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let e = scenario::parse("v.toml", &text, &[]).unwrap_err().to_string();
    for (needle, key, words) in [
        (
            "low = 2020-10-01",
            "uncertain.0.low",
            "2020-10-01 is before simulation.start_date 2020-10-06",
        ),
        (
            "low = 2020-10-10",
            "uncertain.1.low",
            "`food.stock_days_mean` does not take a day",
        ),
        (
            "high = \"16 Oct 2020\"",
            "uncertain.2.high",
            "expected a day number or a date like",
        ),
    ] {
        let at = format!("v.toml:{}: `{key}`", line(needle));
        let shown = e
            .lines()
            .find(|l| l.contains(&at))
            .unwrap_or_else(|| panic!("{at} not in:\n{e}"));
        assert!(shown.contains(words), "{shown}");
    }
    // Without start_date, a date needs it.
    let text = village(entries).replace("start_date = \"2020-10-06\"", "");
    let e = scenario::parse("v.toml", &text, &[]).unwrap_err().to_string();
    assert!(
        e.contains("`uncertain.0.high`: the date 2020-11-25 needs simulation.start_date"),
        "{e}"
    );
}

/// An entry naming an element the scenario lacks (`airdrops.0.…` with no airdrops) is refused at
/// load, unless the scenario is loaded as a versus plan (`AbsentKeys::NotApplied`, `siege
/// sensitivity`): the entry is then kept, not applied to it, and every other entry still is.
#[test]
fn an_entry_naming_an_absent_element_is_refused_or_not_applied() {
    use scenario::uncertain::AbsentKeys;
    let text = village(
        "[[uncertain]]\nkey = \"airdrops.0.usable_fraction\"\ndistribution = \"uniform\"\nlow = 0.85\nhigh = 0.97\n\
         [[uncertain]]\nkey = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 4.0\nhigh = 20.0\n",
    );
    let nothing = [scenario::Override::set("airdrops", "[]")];
    let dir = std::path::Path::new(".");
    let err = scenario::parse_in("v.toml", &text, &nothing, dir)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("uncertain.0") && err.contains("airdrops.0") && err.contains("no element"),
        "{err}"
    );
    let with_drops = scenario::parse_in_with("v.toml", &text, &[], dir, AbsentKeys::NotApplied).unwrap();
    assert!(with_drops.uncertain_not_applied().is_empty());
    let s = scenario::parse_in_with("v.toml", &text, &nothing, dir, AbsentKeys::NotApplied)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.uncertain_not_applied(), ["airdrops.0.usable_fraction"]);
    let drawn = s.with_drawn(&[0.85, 17.0]).unwrap_or_else(|e| panic!("{e}"));
    assert!(drawn.airdrops().is_empty());
    assert_eq!(drawn.food().stock_days_mean, 17.0);
    // Any other problem of such an entry is still one.
    let bad = text.replace("high = 0.97", "high = 0.5");
    let err = scenario::parse_in_with("v.toml", &bad, &nothing, dir, AbsentKeys::NotApplied).unwrap_err();
    assert!(err.to_string().contains("low"), "{err}");
}

/// `extends` replaces arrays whole, `[[uncertain]]` too: a variant's entries replace its base's
/// list (none of the base's is kept), `uncertain = []` removes them, and a variant that writes
/// none keeps the base's.
#[test]
fn a_variants_uncertain_entries_replace_its_bases() {
    let dir = tempfile::tempdir().unwrap();
    let entry = |key: &str, low: u32, high: u32| {
        format!("[[uncertain]]\nkey = \"{key}\"\ndistribution = \"uniform\"\nlow = {low}\nhigh = {high}\n")
    };
    let base = village(&format!(
        "{}{}",
        entry("siege.end_day", 10, 50),
        entry("food.stock_days_mean", 5, 15)
    ));
    std::fs::write(dir.path().join("base.toml"), base).unwrap();
    let keys = |name: &str, text: &str| -> Vec<String> {
        let path = dir.path().join(name);
        std::fs::write(&path, format!("extends = \"base.toml\"\n{text}")).unwrap();
        let s = scenario::load(&path, &[]).unwrap_or_else(|e| panic!("{e}"));
        s.uncertain().iter().map(|u| u.key.clone()).collect()
    };
    assert_eq!(keys("same.toml", ""), ["siege.end_day", "food.stock_days_mean"]);
    assert_eq!(
        keys("own.toml", &entry("food.stock_days_mean", 8, 12)),
        ["food.stock_days_mean"]
    );
    assert!(keys("none.toml", "uncertain = []\n").is_empty());
}

/// An entry's key is read as `--set` reads one: `airdrops[0].day` is `airdrops.0.day` (it was
/// refused as an unknown section), with dates for its bounds as for any day key.
#[test]
fn an_indexed_key_may_be_written_with_brackets() {
    let text = village("[[uncertain]]\nkey = \"airdrops[0].day\"\ndistribution = \"uniform\"\nlow = 10\nhigh = 20\n");
    let s = scenario::parse("v.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(s.uncertain()[0].key, "airdrops.0.day");
    assert!(s.uncertain_is_integer(0));
    let days: Vec<u32> = (0..20)
        .map(|r| uncertain::scenario_for(&s, r).airdrops()[0].day)
        .collect();
    assert!(days.iter().all(|d| (10..=20).contains(d)), "{days:?}");
    assert!(days.iter().any(|&d| d != days[0]), "{days:?}");
}
