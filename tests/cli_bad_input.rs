//! A catalogue of bad inputs (issue 8, part 1). Each case runs the real binary, as `siege run` and
//! as `siege validate`, and checks that it is refused: exit status ≠ 0, a message naming the file,
//! the key path and what was expected, no panic, and no output directory created.

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// A small valid scenario that the cases below break one key at a time.
const GOOD: &str = r#"
[simulation]
name = "catalogue"
days = 30
seed = 3
replicates = 2

[population]
size = 200

[[locations]]
id = "village"
kind = "besieged"

[[locations]]
id = "town"
kind = "town"

[[routes]]
id = "road"
from = "village"
to = "town"
distance_km = 18

[[events]]
day = 5
kind = "killing"
location = "village"
n = 2

[[airdrops]]
day = 10
tonnes = 2.0
target = "village"
"#;

/// What a refused run must look like.
struct Refusal {
    stderr: String,
}

/// Writes `bytes` as `bad.toml` in a fresh directory and runs `siege <command> bad.toml` there,
/// with `--out` pointing inside the same directory for `run`. Asserts the refusal rules shared by
/// every case and returns stderr for the case's own checks.
fn refused(command: &str, bytes: &[u8], extra: &[&str]) -> Refusal {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.toml");
    std::fs::write(&file, bytes).unwrap();
    let out = dir.path().join("out");
    let mut cmd = Command::cargo_bin("siege").unwrap();
    cmd.current_dir(dir.path()).arg(command).arg(&file);
    if command == "run" {
        cmd.arg("--out").arg(&out);
    }
    cmd.args(extra).timeout(Duration::from_secs(60));
    let output = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.code().is_some(),
        "`siege {command}` was killed by a signal (an abort?):\n{}",
        tail(&stderr)
    );
    assert!(
        !output.status.success(),
        "`siege {command}` accepted a bad input:\nstdout: {stdout}\nstderr: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "panic:\n{stderr}");
    assert!(
        stderr.contains(&file.display().to_string()),
        "the message does not name the file:\n{stderr}"
    );
    assert!(!out.exists(), "a refused run created {}", out.display());
    assert!(!dir.path().join("output").exists(), "a refused run created output/");
    Refusal { stderr }
}

/// The last 2,000 characters of a (possibly huge) stderr, for failure messages.
fn tail(text: &str) -> &str {
    let mut start = text.len().saturating_sub(2_000);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..]
}

/// Runs the case as both `run` and `validate`; each stderr must contain every `expected` piece.
fn refuse(bytes: &[u8], extra: &[&str], expected: &[&str]) {
    for command in ["run", "validate"] {
        let r = refused(command, bytes, extra);
        for piece in expected {
            assert!(
                r.stderr.contains(piece),
                "`siege {command}`: expected {piece:?} in:\n{}",
                r.stderr
            );
        }
    }
}

/// The good scenario with `from` replaced by `to` (which must occur exactly once).
fn good_with(from: &str, to: &str) -> String {
    assert_eq!(GOOD.matches(from).count(), 1, "{from:?} is not unique");
    GOOD.replace(from, to)
}

#[test]
fn the_base_scenario_is_valid() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("good.toml");
    std::fs::write(&file, GOOD).unwrap();
    Command::cargo_bin("siege")
        .unwrap()
        .arg("validate")
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn malformed_toml() {
    let text = good_with("[population]", "[population");
    refuse(text.as_bytes(), &[], &["not valid TOML", "bad.toml:8"]);
    refuse(
        b"[simulation]\nname = \"x\ndays = 3\n",
        &[],
        &["not valid TOML", "bad.toml:2"],
    );
    refuse(b"[simulation]\nname = \"x\"\nname = \"y\"\n", &[], &["not valid TOML"]);
}

#[test]
fn empty_file() {
    refuse(b"", &[], &["empty"]);
    refuse(b"   \n\n\t\n", &[], &["empty"]);
    refuse(b"# only a comment\n", &[], &["simulation", "missing"]);
}

#[test]
fn binary_garbage() {
    // Invalid UTF-8.
    let mut garbage: Vec<u8> = (0..=255u8).rev().collect();
    garbage.extend_from_slice(&[0xff, 0xfe, 0x00, 0x80]);
    refuse(&garbage, &[], &["not a text file", "UTF-8"]);
    // Valid UTF-8 but not TOML (NUL and control characters).
    refuse(b"\x00\x01\x02\x7f[[[\x00", &[], &["not valid TOML"]);
    // A gzip header followed by text.
    refuse(b"\x1f\x8b\x08\x00[simulation]", &[], &["not a text file"]);
}

#[test]
fn unknown_key_with_suggestion() {
    let text = good_with("size = 200", "sise = 200");
    refuse(
        text.as_bytes(),
        &[],
        &["`population.sise`", "unknown key", "did you mean `size`", "bad.toml:9"],
    );
    let text = good_with("distance_km = 18", "distance_kms = 18");
    refuse(
        text.as_bytes(),
        &[],
        &["`routes.0.distance_kms`", "did you mean `distance_km`"],
    );
    let text = good_with("[population]", "[popluation]");
    refuse(
        text.as_bytes(),
        &[],
        &["`popluation`", "unknown section", "did you mean `population`"],
    );
    // Far from any known key: no suggestion, but the list of expected keys.
    let text = good_with("size = 200", "size = 200\nzzzzzzzz = 1");
    let r = refused("validate", text.as_bytes(), &[]);
    assert!(r.stderr.contains("`population.zzzzzzzz`"), "{}", r.stderr);
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
    assert!(r.stderr.contains("expected one of"), "{}", r.stderr);
}

#[test]
fn wrong_type() {
    let text = good_with("days = 30", "days = \"thirty\"");
    refuse(
        text.as_bytes(),
        &[],
        &["`simulation.days`", "expected a whole number", "bad.toml:4"],
    );
    let text = good_with("tonnes = 2.0", "tonnes = \"two\"");
    refuse(text.as_bytes(), &[], &["`airdrops.0.tonnes`", "expected a number"]);
    let text = good_with("kind = \"town\"", "kind = \"city\"");
    refuse(text.as_bytes(), &[], &["`locations.1.kind`", "city", "besieged"]);
    let text = format!("routes = 3\n{GOOD}").replace("[[routes]]", "[[more_routes]]");
    refuse(text.as_bytes(), &[], &["`routes`", "array of tables"]);
}

#[test]
fn negative_or_zero_population() {
    for size in ["-5", "0"] {
        let text = good_with("size = 200", &format!("size = {size}"));
        refuse(
            text.as_bytes(),
            &[],
            &["`population.size`", "expected a number of people from 1", "bad.toml:9"],
        );
    }
}

#[test]
fn non_finite_and_negative_rates_and_fractions_out_of_range() {
    for (key_line, value, key, expected) in [
        ("size = 200", "nan", "food.stock_days_mean", "finite"),
        ("size = 200", "inf", "food.stock_days_mean", "finite"),
        ("size = 200", "-inf", "food.stock_days_mean", "finite"),
        ("size = 200", "-1.0", "food.stock_days_mean", "between 0 and 36525"),
        ("size = 200", "1e305", "food.stock_days_mean", "between 0 and 36525"),
    ] {
        let text = good_with(key_line, &format!("{key_line}\n[food]\nstock_days_mean = {value}"));
        refuse(text.as_bytes(), &[], &[&format!("`{key}`"), expected]);
    }
    let mortality = good_with(
        "size = 200",
        "size = 200\n[mortality]\nbackground_5_59_per_10k_day = -0.3",
    );
    refuse(
        mortality.as_bytes(),
        &[],
        &["`mortality.background_5_59_per_10k_day`", "between 0 and 10000"],
    );
    let sharing = good_with("size = 200", "size = 200\n[food]\nsharing_rate = 1.5");
    refuse(
        sharing.as_bytes(),
        &[],
        &["`food.sharing_rate`", "fraction between 0 and 1", "1.5"],
    );
    let usable = good_with("tonnes = 2.0", "tonnes = 2.0\nusable_fraction = -0.1");
    refuse(
        usable.as_bytes(),
        &[],
        &["`airdrops.0.usable_fraction`", "fraction between 0 and 1"],
    );
    let captured = good_with("tonnes = 2.0", "tonnes = 2.0\ncaptured_fraction = nan");
    refuse(captured.as_bytes(), &[], &["`airdrops.0.captured_fraction`", "finite"]);
    let risk = good_with("distance_km = 18", "distance_km = 18\ncrossing_risk = 2");
    refuse(
        risk.as_bytes(),
        &[],
        &["`routes.0.crossing_risk`", "fraction between 0 and 1"],
    );
    let shares = good_with(
        "size = 200",
        "size = 200\n[siege]\ninterception_killed_share = 0.7\ninterception_kidnapped_share = 0.7",
    );
    refuse(
        shares.as_bytes(),
        &[],
        &["`siege.interception_kidnapped_share`", "sum to at most 1"],
    );
}

#[test]
fn airdrop_or_event_after_the_last_day() {
    let text = good_with("day = 10", "day = 30");
    refuse(
        text.as_bytes(),
        &[],
        &["`airdrops.0.day`", "outside the horizon", "simulation.days = 30"],
    );
    let text = good_with("day = 5", "day = 400");
    refuse(
        text.as_bytes(),
        &[],
        &["`events.0.day`", "day 400 is outside the horizon"],
    );
    // Moved out of the horizon by the airdrop plan.
    let text = good_with("size = 200", "size = 200\n[airdrop_plan]\nfirst_day = 45");
    refuse(
        text.as_bytes(),
        &[],
        &["`airdrop_plan.first_day`", "outside the horizon"],
    );
    // A negative day does not fit the type.
    let text = good_with("day = 10", "day = -1");
    refuse(
        text.as_bytes(),
        &[],
        &["`airdrops.0.day`", "expected a whole number from 0 to 4294967295"],
    );
}

#[test]
fn event_or_route_naming_a_missing_location() {
    let text = good_with("location = \"village\"", "location = \"vilage\"");
    refuse(
        text.as_bytes(),
        &[],
        &[
            "`events.0.location`",
            "no location with id \"vilage\"",
            "did you mean `village`",
            "locations are: village, town",
        ],
    );
    let text = good_with("to = \"town\"", "to = \"city\"");
    refuse(text.as_bytes(), &[], &["`routes.0.to`", "no location with id \"city\""]);
    let text = good_with("target = \"village\"", "target = \"nowhere\"");
    refuse(
        text.as_bytes(),
        &[],
        &["`airdrops.0.target`", "no location with id \"nowhere\""],
    );
    // An event naming a route that does not exist.
    let text = good_with(
        "location = \"village\"\nn = 2",
        "location = \"village\"\nn = 2\n\n[[events]]\nday = 6\nkind = \"route\"\nroute = \"raod\"\nstate = \"open\"",
    );
    refuse(
        text.as_bytes(),
        &[],
        &["`events.1.route`", "no route with id \"raod\"", "did you mean `road`"],
    );
}

#[test]
fn duplicate_location_ids() {
    let text = good_with("id = \"town\"", "id = \"village\"");
    refuse(
        text.as_bytes(),
        &[],
        &["`locations.1.id`", "duplicate location id \"village\""],
    );
}

/// Ids and names are written into CSV files and on the terminal: a cell beginning `=`, `+`, `-`
/// or `@` is run as a formula by spreadsheets (issue 22), so such ids and names are refused.
#[test]
fn ids_and_names_that_a_spreadsheet_would_run_are_refused() {
    let text = good_with("id = \"town\"", "id = \"=cmd|' /C calc'!A0\"");
    refuse(text.as_bytes(), &[], &["`locations.1.id`", "expected a plain id"]);
    let text = good_with("id = \"road\"", "id = \"@SUM(1+1)\"");
    refuse(text.as_bytes(), &[], &["`routes.0.id`", "expected a plain id"]);
    let text = good_with("name = \"catalogue\"", "name = \"+catalogue\"");
    refuse(text.as_bytes(), &[], &["`simulation.name`", "spreadsheet formula sign"]);
}

/// Store and water-source ids are plain ids like every other id (issue 22): a path, a formula or
/// an escape sequence is refused at its key.
#[test]
fn store_and_water_source_ids_are_plain_ids() {
    let text = good_with(
        "id = \"village\"\nkind = \"besieged\"",
        "id = \"village\"\nkind = \"besieged\"\n[[locations.water]]\nid = \"=HYPERLINK(1)\"\ncapacity_l_day = 100",
    ) + "\n[[stores]]\nid = \"\\u001b[31mred\"\nlocation = \"village\"\n";
    refuse(
        text.as_bytes(),
        &[],
        &[
            "`locations.0.water.0.id`",
            "`stores.0.id`",
            "expected a plain id",
            "\\u{1b}",
        ],
    );
}

/// Counters that would silently stop counting (issue 22, saturating counters): a median survival
/// at zero water beyond what the dry-day byte holds, and a host support that outlasts the 16-bit
/// count of days at a refuge, are refused instead of run with a frozen hazard or support.
#[test]
fn values_beyond_what_a_counter_holds_are_refused() {
    refuse(
        GOOD.as_bytes(),
        &["--set", "water.adult_median_days=30"],
        &["`water.adult_median_days`", "at most 7"],
    );
    let text = good_with("days = 30", "days = 70000");
    refuse(
        text.as_bytes(),
        &[
            "--set",
            "locations.1.host_support_days=100000",
            "--set",
            "airdrops.0.day=1",
        ],
        &["`locations.1.host_support_days`", "only up to"],
    );
}

/// A walk longer than the 16-bit day count used to arrive after 65,535 days whatever its length.
#[test]
fn a_walk_longer_than_the_day_count_is_refused() {
    let text = good_with("distance_km = ", "distance_km = 9e9 # ");
    refuse(
        text.as_bytes(),
        &[],
        &["`routes`", "a trip may take at most 65535 days"],
    );
}

#[test]
fn route_from_a_place_to_itself() {
    let text = good_with("to = \"town\"", "to = \"village\"");
    refuse(text.as_bytes(), &[], &["`routes.0.to`", "two different locations"]);
}

#[test]
fn population_too_large_for_memory_is_refused_before_allocating() {
    for size in ["1000000000000", "9223372036854775807"] {
        let text = good_with("size = 200", &format!("size = {size}"));
        let start = Instant::now();
        refuse(
            text.as_bytes(),
            &[],
            &["`population.size`", "expected a number of people from 1 to 50000000"],
        );
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "refusing took {:?}: was memory allocated first?",
            start.elapsed()
        );
    }
    // Beyond i64: the TOML parser itself refuses it.
    let text = good_with("size = 200", "size = 100000000000000000000");
    refuse(text.as_bytes(), &[], &["not valid TOML"]);
}

#[test]
fn horizon_of_a_billion_days() {
    let text = good_with("days = 30", "days = 1000000000");
    refuse(
        text.as_bytes(),
        &[],
        &["`simulation.days`", "expected 1 to 100000 days"],
    );
    let text = good_with("days = 30", "days = 10000000000");
    refuse(
        text.as_bytes(),
        &[],
        &[
            "`simulation.days`",
            "10000000000",
            "expected a whole number from 0 to 4294967295",
        ],
    );
    let text = good_with("days = 30", "days = 0");
    refuse(text.as_bytes(), &[], &["`simulation.days`", "expected 1 to"]);
}

#[test]
fn set_on_a_key_that_does_not_exist() {
    refuse(
        GOOD.as_bytes(),
        &["--set", "population.sise=5000"],
        &["`population.sise`", "did you mean `size`", "--set"],
    );
    refuse(
        GOOD.as_bytes(),
        &["--set", "populaton.size=5000"],
        &["`populaton`", "did you mean `population`", "--set"],
    );
    refuse(
        GOOD.as_bytes(),
        &["--set", "airdrops.4.day=3"],
        &["`airdrops.4.day`", "out of range", "1 element"],
    );
    refuse(
        GOOD.as_bytes(),
        &["--set", "simulation.days.x=3"],
        &["`simulation.days.x`", "not a table"],
    );
}

#[test]
fn set_with_a_bad_value_names_the_flag() {
    refuse(
        GOOD.as_bytes(),
        &["--set", "population.size=-3"],
        &["`population.size`", "expected a number of people", "--set"],
    );
    refuse(
        GOOD.as_bytes(),
        &["--set", "simulation.days=many"],
        &["`simulation.days`", "expected a whole number", "--set"],
    );
}

#[test]
fn set_without_a_key_or_equals_is_refused() {
    for arg in ["population.size", "=5", "..=5"] {
        for command in ["run", "validate"] {
            let dir = tempfile::tempdir().unwrap();
            let file = dir.path().join("s.toml");
            std::fs::write(&file, GOOD).unwrap();
            let out = dir.path().join("out");
            let mut cmd = Command::cargo_bin("siege").unwrap();
            cmd.current_dir(dir.path()).arg(command).arg(&file).args(["--set", arg]);
            if command == "run" {
                cmd.arg("--out").arg(&out);
            }
            let output = cmd.output().unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success(), "--set {arg} accepted");
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(
                stderr.contains("KEY=VALUE") || stderr.contains("not a valid key path"),
                "--set {arg}: {stderr}"
            );
            assert!(!out.exists());
        }
    }
}

#[test]
fn missing_file_or_a_directory_instead_of_a_file() {
    for command in ["run", "validate"] {
        let dir = tempfile::tempdir().unwrap();
        for path in [dir.path().join("nope.toml"), dir.path().to_path_buf()] {
            let output = Command::cargo_bin("siege")
                .unwrap()
                .current_dir(dir.path())
                .arg(command)
                .arg(&path)
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(!output.status.success());
            assert!(!stderr.contains("panicked"), "{stderr}");
            assert!(stderr.contains(&path.display().to_string()), "{stderr}");
            assert!(stderr.contains("cannot read"), "{stderr}");
            assert!(!dir.path().join("output").exists());
        }
    }
}

#[test]
fn every_problem_is_reported_at_once() {
    let text = good_with("size = 200", "size = -1\nsise = 3")
        .replace("kind = \"town\"", "kind = \"city\"")
        .replace("day = 10", "day = 99");
    let r = refused("validate", text.as_bytes(), &[]);
    for key in ["population.sise", "locations.1.kind", "airdrops.0.day"] {
        assert!(r.stderr.contains(key), "{key} missing from:\n{}", r.stderr);
    }
}

// Sweep grids, shards and merges (merging parts of different sweeps is refused in tests/cli.rs).

fn scenario_file(dir: &Path) -> PathBuf {
    let file = dir.join("s.toml");
    std::fs::write(&file, GOOD).unwrap();
    file
}

fn refused_args(args: &[&str], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path());
    let output = Command::cargo_bin("siege")
        .unwrap()
        .current_dir(dir.path())
        .args(args.iter().map(|a| a.replace("{file}", &file.display().to_string())))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{args:?} accepted");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(expected), "{args:?}: {stderr}");
    assert!(!dir.path().join("output").exists());
}

/// A bad value is named by the flag that gave it: the grid value by `--vary`, the fixed one by
/// `--set` (the grid value reaches the scenario as a TOML value, not as text read back).
#[test]
fn a_bad_value_names_its_flag() {
    refused_args(
        &["sweep", "{file}", "--vary", "population.size=-5,100"],
        "got -5 (value given by --vary)",
    );
    refused_args(
        &[
            "sweep",
            "{file}",
            "--vary",
            "airdrops.0.day=2,4",
            "--set",
            "population.size=0",
        ],
        "got 0 (value given by --set)",
    );
}

#[test]
fn vary_with_an_empty_or_absurd_range() {
    refused_args(&["sweep", "{file}", "--vary", "airdrops.0.day=10..2"], "airdrops.0.day");
    refused_args(&["sweep", "{file}", "--vary", "airdrops.0.day=2..16:0"], "step");
    refused_args(
        &["sweep", "{file}", "--vary", "population.size=1..1000000000:1"],
        "at most 10000 per key",
    );
}

#[test]
fn shard_index_beyond_the_count() {
    refused_args(
        &["sweep", "{file}", "--vary", "airdrops.0.day=2..6", "--shard", "3/2"],
        "shard",
    );
    refused_args(
        &["sweep", "{file}", "--vary", "airdrops.0.day=2..6", "--shard", "0/0"],
        "shard",
    );
}

#[test]
fn merge_of_parts_from_different_runs() {
    refused_args(&["merge", "part-a", "part-b", "--out", "merged"], "part-a");
}

// Issue 22, items 7 and 8: inputs built to exhaust the stack, the memory or the time of the
// validator. Each is refused quickly, with a bounded message.

/// `n` key-path segments: `a.a.a…`.
fn deep_key(n: usize) -> String {
    vec!["a"; n].join(".")
}

#[test]
fn a_key_path_too_deep_is_refused_not_a_stack_overflow() {
    let key = deep_key(65_000);
    refuse(
        GOOD.as_bytes(),
        &["--set", &format!("{key}=1")],
        &["key path of 65000 segments", "at most 16", "--set"],
    );
    // An experiment file's `set` entry and a `--vary` key go the same way.
    let dir = tempfile::tempdir().unwrap();
    scenario_file(dir.path());
    let experiment = dir.path().join("e.toml");
    std::fs::write(
        &experiment,
        format!(
            "[experiment]\nname = \"e\"\nscenario = \"s.toml\"\nvary = [\"airdrops.0.day=2..3\"]\nset = [\"{}=1\"]\n",
            deep_key(100_000)
        ),
    )
    .unwrap();
    let output = Command::cargo_bin("siege")
        .unwrap()
        .current_dir(dir.path())
        .arg("validate")
        .arg(&experiment)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.code().is_some_and(|c| c != 0), "{}", tail(&stderr));
    assert!(stderr.contains("key path of 100000 segments"), "{}", tail(&stderr));
    assert!(stderr.len() < 10_000, "{} bytes of stderr", stderr.len());
    refused_args(
        &["sweep", "{file}", "--vary", &format!("{}=1..2", deep_key(30_000))],
        "key path of 30000 segments",
    );
}

#[test]
fn a_huge_value_is_not_echoed_whole() {
    let value = format!("\"{}\"", "x".repeat(60_000));
    let r = refused(
        "validate",
        GOOD.as_bytes(),
        &["--set", &format!("population.size={value}")],
    );
    assert!(r.stderr.contains("`population.size`"), "{}", tail(&r.stderr));
    assert!(r.stderr.len() < 5_000, "{} bytes of stderr", r.stderr.len());
}

/// GOOD with `n` more events on day 20, at `location`.
fn with_events(n: usize, location: &str) -> String {
    let mut text = GOOD.to_string();
    for _ in 0..n {
        text.push_str(&format!(
            "\n[[events]]\nday = 20\nkind = \"killing\"\nlocation = \"{location}\"\nn = 1\n"
        ));
    }
    text
}

#[test]
fn fifty_thousand_invalid_events_are_refused_quickly_and_briefly() {
    // Every event is outside the horizon once days = 10: 50,000 problems in a 3 MB file.
    let text = with_events(50_000, "village");
    let start = Instant::now();
    let r = refused("validate", text.as_bytes(), &["--set", "simulation.days=10"]);
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "validation took {:?}",
        start.elapsed()
    );
    assert!(r.stderr.contains("50001 problems found"), "{}", tail(&r.stderr));
    assert!(r.stderr.contains("`events.1.day`"), "{}", tail(&r.stderr));
    assert!(r.stderr.contains("and 49001 more problems"), "{}", tail(&r.stderr));
    assert!(r.stderr.len() < 300_000, "{} bytes of stderr", r.stderr.len());
}

#[test]
fn a_missing_location_message_names_a_few_locations_not_all() {
    // 1,000 locations with long ids, joined in a chain, and 200 events naming a missing one.
    let mut text = GOOD.to_string();
    let id = |i: usize| format!("place_{i:04}_{}", "x".repeat(100));
    for i in 0..998 {
        text.push_str(&format!("\n[[locations]]\nid = \"{}\"\nkind = \"village\"\n", id(i)));
        let from = if i == 0 { "town".to_string() } else { id(i - 1) };
        text.push_str(&format!(
            "\n[[routes]]\nfrom = \"{from}\"\nto = \"{}\"\ndistance_km = 1\n",
            id(i)
        ));
    }
    text.push_str(&with_events(200, "nowhere")[GOOD.len()..]);
    text.push_str(&with_events(1, "villag")[GOOD.len()..]);
    let r = refused("validate", text.as_bytes(), &[]);
    assert!(
        r.stderr.contains("no location with id \"nowhere\""),
        "{}",
        tail(&r.stderr)
    );
    assert!(r.stderr.contains("and 995 more"), "{}", tail(&r.stderr));
    assert!(r.stderr.contains("did you mean `village`"), "{}", tail(&r.stderr));
    assert!(r.stderr.len() < 300_000, "{} bytes of stderr", r.stderr.len());
}

#[cfg(unix)]
#[test]
fn a_device_a_fifo_or_a_huge_file_is_refused_as_scenario_or_base() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo.toml");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let huge = dir.path().join("huge.toml");
    std::fs::write(&huge, format!("# {}\n{GOOD}", "x".repeat(17 << 20))).unwrap();
    let mut targets = vec![
        (PathBuf::from("/dev/zero"), "not a regular file"),
        (huge, "larger than"),
    ];
    if made.is_ok_and(|s| s.success()) {
        targets.push((fifo, "not a regular file"));
    } else {
        eprintln!("mkfifo failed: the FIFO case is skipped");
    }
    for (target, expected) in targets {
        let start = Instant::now();
        let text = format!("extends = {:?}\n{}", target.display().to_string(), GOOD);
        refuse(text.as_bytes(), &[], &["`extends`", expected]);
        // The same file named as the scenario itself.
        for command in ["run", "validate", "sweep"] {
            let vary: &[&str] = if command == "sweep" {
                &["--vary", "airdrop_plan.first_day=1..2"]
            } else {
                &[]
            };
            let output = Command::cargo_bin("siege")
                .unwrap()
                .current_dir(dir.path())
                .arg(command)
                .arg(&target)
                .args(vary)
                .timeout(Duration::from_secs(30))
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.code().is_some_and(|c| c != 0),
                "{command} {}: {}",
                target.display(),
                tail(&stderr)
            );
            assert!(
                stderr.contains(expected),
                "{command} {}: {}",
                target.display(),
                tail(&stderr)
            );
        }
        assert!(start.elapsed() < Duration::from_secs(30), "{:?}", start.elapsed());
    }
}

#[test]
fn work_too_large_for_memory_is_refused_before_starting() {
    // 1,000,000 replicates × 60 days: about 50 GB of daily rows, refused whatever the machine has
    // when the limit is 8 GB (it used to pass validation and abort at 7.9 GB).
    let text = good_with("days = 30", "days = 60");
    for command in ["run", "validate"] {
        let start = Instant::now();
        let r = refused(
            command,
            text.as_bytes(),
            &["--replicates", "1000000", "--memory-limit", "8"],
        );
        for piece in [
            "GB of memory",
            "the limit given by --memory-limit (8.0 GB)",
            "1000000 replicates × 60 days",
        ] {
            assert!(
                r.stderr.contains(piece),
                "`siege {command}`: {piece:?} missing from:\n{}",
                r.stderr
            );
        }
        assert!(start.elapsed() < Duration::from_secs(20), "{:?}", start.elapsed());
    }
    // 10,000 points × 1,000,000 replicates: refused before the sweep starts, leaving nothing.
    let start = Instant::now();
    refused_args(
        &[
            "sweep",
            "{file}",
            "--vary",
            "population.size=1..10000",
            "--replicates",
            "1000000",
            "--out",
            "sweep",
        ],
        "rows of",
    );
    assert!(start.elapsed() < Duration::from_secs(30), "{:?}", start.elapsed());
    refused_args(
        &["run", "{file}", "--memory-limit", "0"],
        "--memory-limit 0: expected a number of GB > 0",
    );
    // A normal run fits.
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path());
    Command::cargo_bin("siege")
        .unwrap()
        .current_dir(dir.path())
        .args(["run", &file.display().to_string(), "--no-charts", "--memory-limit", "1"])
        .assert()
        .success();
}

#[test]
fn control_characters_from_the_file_never_reach_the_terminal() {
    // A quoted key with an escape sequence (clear screen), an id with one, and a name with a newline.
    let text = good_with("size = 200", "size = 200\n\"si\\u001b[2Jze\" = 5")
        .replace("location = \"village\"", "location = \"vil\\u001b[31mlage\"")
        .replace("name = \"catalogue\"", "name = \"cata\\nlogue\"");
    let r = refused("validate", text.as_bytes(), &[]);
    assert!(
        !r.stderr.contains('\u{1b}'),
        "raw escape in:\n{}",
        r.stderr.escape_debug()
    );
    assert!(r.stderr.contains("si\\u{1b}[2Jze"), "{}", r.stderr.escape_debug());
    assert!(r.stderr.contains("`simulation.name`"), "{}", r.stderr.escape_debug());
    assert!(r.stderr.contains("`events.0.location`"), "{}", r.stderr.escape_debug());
    let long = good_with("name = \"catalogue\"", &format!("name = \"{}\"", "n".repeat(201)));
    refuse(long.as_bytes(), &[], &["`simulation.name`", "at most 200 bytes"]);
}

#[test]
fn a_problem_in_a_base_is_reported_on_the_base() {
    // The base sets a negative population on its line 6; the variant only renames the scenario.
    let base_dir = tempfile::tempdir().unwrap();
    let base = base_dir.path().join("base.toml");
    std::fs::write(&base, good_with("size = 200", "size = -5")).unwrap();
    let variant = format!(
        "extends = {:?}\n[simulation]\nname = \"variant\"\n[food]\nstock_days_mean = -1\n",
        base.display().to_string()
    );
    let r = refused("validate", variant.as_bytes(), &[]);
    let size = r
        .stderr
        .lines()
        .find(|l| l.contains("`population.size`"))
        .unwrap_or_default();
    assert!(
        size.contains(&format!("(set in the base scenario {}:9)", base.display())),
        "{}",
        r.stderr
    );
    assert!(
        size.contains("bad.toml: `population.size`"),
        "a line of the variant given for the base's key: {size}"
    );
    // The variant's own key keeps the variant's line.
    assert!(r.stderr.contains("bad.toml:5: `food.stock_days_mean`"), "{}", r.stderr);
}

// Issue 21, item 5: one problem reported once, in the order of the file, in one key-path style.

/// The problems listed in a refusal, each as `line: key` (`-: key` for one without a line), in
/// the order shown; and the count the header gives.
fn listed(stderr: &str) -> (usize, Vec<String>) {
    let header = stderr.lines().next().unwrap_or_default();
    let count = header
        .rsplit(": ")
        .next()
        .and_then(|h| h.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no count in {header:?}"));
    let problems = stderr
        .lines()
        .skip(1)
        .filter_map(|l| {
            let rest = l.trim_start().split_once("bad.toml")?.1;
            let line = rest
                .strip_prefix(':')
                .and_then(|r| r.split(':').next())
                .filter(|l| l.parse::<usize>().is_ok())
                .unwrap_or("-");
            let key = rest.split('`').nth(1)?;
            Some(format!("{line}: {key}"))
        })
        .collect();
    (count, problems)
}

/// Runs `siege validate` (and `run`) on `text` and asserts exactly the problems `expected`, in
/// order.
fn exactly(text: &str, extra: &[&str], expected: &[&str]) {
    for command in ["validate", "run"] {
        let r = refused(command, text.as_bytes(), extra);
        let (count, problems) = listed(&r.stderr);
        assert_eq!(problems, expected, "`siege {command}`:\n{}", r.stderr);
        assert_eq!(count, expected.len(), "{}", r.stderr);
    }
}

#[test]
fn an_entity_with_a_bad_field_is_still_there_for_the_sections_that_name_it() {
    // A wrong kind used to drop the location, and every route, event and drop naming it was
    // reported as naming no location.
    exactly(
        &good_with("kind = \"besieged\"", "kind = \"besiegd\""),
        &[],
        &["13: locations.0.kind"],
    );
    // So with a wrongly typed field.
    exactly(
        &good_with("kind = \"town\"", "kind = \"town\"\ncapacity = \"many\""),
        &[],
        &["18: locations.1.capacity"],
    );
    // An id that is not a plain id still names its location, and its store.
    let text = GOOD.replace("\"village\"", "\"old village\"")
        + "\n[[stores]]\nid = \"main store\"\nlocation = \"town\"\nstock_tonnes = 10\n\
           [[convoys]]\nday = 3\ntonnes = 1\ninto = \"main store\"\n";
    exactly(&text, &[], &["12: locations.0.id", "37: stores.0.id"]);
    // A location without an id: references to it are not reported a second time.
    exactly(&good_with("id = \"village\"\n", ""), &[], &["11: locations.0.id"]);
    // A store with a wrong shortfall rule is still the store the convoy fills.
    let text = GOOD.to_string()
        + "\n[[stores]]\nid = \"depot\"\nlocation = \"town\"\nstock_tonnes = 10\nshortfall = \"proportionl\"\n\
           [[convoys]]\nday = 3\ntonnes = 1\ninto = \"depot\"\n";
    exactly(&text, &[], &["40: stores.0.shortfall"]);
    // One missing name is one problem.
    exactly(&good_with("name = \"catalogue\"\n", ""), &[], &["2: simulation.name"]);
}

#[test]
fn every_bad_key_of_one_section_is_reported_sorted_by_line() {
    // Problems found by reading the file (types, unknown keys) and by checking it (ranges,
    // references) come in the order of the file, then of key path; several in one section too.
    let text = good_with("size = 200", "size = -1\nsise = 3\nmale_share = \"half\"")
        .replace("tonnes = 2.0", "tonnes = \"two\"")
        .replace("distance_km = 18", "distance_km = 18\nfrom_km = 1")
        .replace("day = 5", "day = 50");
    exactly(
        &text,
        &[],
        &[
            "9: population.size",
            "10: population.sise",
            "11: population.male_share",
            "26: routes.0.from_km",
            "29: events.0.day",
            "36: airdrops.0.tonnes",
        ],
    );
    // A flag's problems, which are on no line of the file, come first.
    exactly(
        &good_with("day = 5", "day = 50"),
        &["--set", "population.size=-4"],
        &["-: population.size", "26: events.0.day"],
    );
}

#[test]
fn messages_use_one_key_path_style_and_no_range_notation() {
    // `[0]` in a --set key is read as `.0`, and named so.
    let r = refused("validate", GOOD.as_bytes(), &["--set", "locations[1].capacity=-2"]);
    assert!(r.stderr.contains("`locations.1.capacity`"), "{}", r.stderr);
    for (args, expected) in [
        (
            vec!["--set", "locations.x.capacity=2"],
            "an index from 0 to 1 or an id: village, town",
        ),
        (vec!["--set", "airdrops.x.day=2"], "1 element: index 0"),
        (vec!["--set", "events.3.day=2"], "index 3 is out of range"),
    ] {
        let r = refused("validate", GOOD.as_bytes(), &args);
        assert!(r.stderr.contains(expected), "{args:?}:\n{}", r.stderr);
        assert!(!r.stderr.contains(".."), "range notation in:\n{}", r.stderr);
        assert!(!r.stderr.contains('['), "bracketed key path in:\n{}", r.stderr);
    }
    for (spec, expected) in [
        ("airdrops.0.day=10..2", "the range from 10 to 2 is empty"),
        (
            "airdrops.0.day=0..3:2",
            "the range from 0 to 3 is not a whole number of steps of 2",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let file = scenario_file(dir.path());
        let output = Command::cargo_bin("siege")
            .unwrap()
            .current_dir(dir.path())
            .args(["sweep", &file.display().to_string(), "--vary", spec])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success());
        assert!(stderr.contains(expected), "{spec}: {stderr}");
        assert!(!stderr.replace(spec, "").contains(".."), "{spec}: {stderr}");
    }
    let output = Command::cargo_bin("siege")
        .unwrap()
        .args(["validate", "x.toml", "--seed", "9223372036854775808"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("expected a whole number from 0 to 9223372036854775807") && !stderr.contains(".."),
        "{stderr}"
    );
}

#[test]
fn set_and_vary_name_an_element_by_its_id() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario_file(dir.path());
    let f = file.display().to_string();
    // By id as by index; a problem with a value set by id is named by index, as the file's own
    // problems are.
    for (id, index) in [("village", 0), ("town", 1)] {
        for named in [id.to_string(), index.to_string()] {
            let r = refused(
                "validate",
                GOOD.as_bytes(),
                &["--set", &format!("locations.{named}.market_kcal_per_person_day=-500")],
            );
            let expected = format!("`locations.{index}.market_kcal_per_person_day`");
            assert!(
                r.stderr.contains(&expected) && r.stderr.contains("(value given by --set)"),
                "{named}: {}",
                r.stderr
            );
        }
    }
    Command::cargo_bin("siege")
        .unwrap()
        .args(["validate", &f, "--set", "routes.road.distance_km=20"])
        .assert()
        .success();
    // --vary shares the path code.
    let out = dir.path().join("sweep");
    Command::cargo_bin("siege")
        .unwrap()
        .current_dir(dir.path())
        .args([
            "sweep",
            &f,
            "--vary",
            "locations.town.capacity=10,20",
            "--replicates",
            "1",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let csv = std::fs::read_to_string(out.join("sweep_summary.csv")).unwrap();
    assert!(csv.starts_with("point,locations.town.capacity,"), "{csv}");
}

#[test]
fn a_bad_age_pyramid_is_refused_with_every_problem_at_once() {
    // The first band not from 0, a gap, a band ending before it starts, a negative share, shares
    // not summing to 1, and a four-band share written beside the table.
    let text = good_with("size = 200", "size = 200\nmale_share = 0.5")
        + "\n[[population.ages]]\nfrom_years = 1\nto_years = 15\nmale_share_of_all = 0.2\nfemale_share_of_all = 0.2\n\
           [[population.ages]]\nfrom_years = 20\nto_years = 10\nmale_share_of_all = -0.1\nfemale_share_of_all = 0.3\n";
    exactly(
        &text,
        &[],
        &[
            "10: population.male_share",
            "37: population.ages",
            "38: population.ages.0.from_years",
            "43: population.ages.1.from_years",
            "44: population.ages.1.to_years",
            "45: population.ages.1.male_share_of_all",
        ],
    );
}

#[test]
fn activity_by_card_is_checked_card_by_card() {
    // An empty list, a card named twice, a day already set for a card by another entry, and an
    // unknown card; an entry for other cards on the same day is fine.
    let text = GOOD.to_string()
        + "\n[[activity]]\nfrom_day = 0\nlevel = \"heavy\"\ncards = []\n\
           [[activity]]\nfrom_day = 3\nlevel = \"heavy\"\ncards = [\"worker\", \"worker\"]\n\
           [[activity]]\nfrom_day = 3\nlevel = \"moderate\"\ncards = [\"employee\", \"worker\"]\n\
           [[activity]]\nfrom_day = 3\nlevel = \"moderate\"\ncards = [\"dependant\"]\n\
           [[activity]]\nfrom_day = 5\nlevel = \"light\"\ncards = [\"soldier\"]\n";
    exactly(
        &text,
        &[],
        &[
            "39: activity.0.cards",
            "43: activity.1.cards",
            "45: activity.2.from_day",
            "55: activity.4.cards.0",
        ],
    );
}
