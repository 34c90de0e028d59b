//! The command line as a user meets it: files written, byte-identical reruns whatever the thread
//! count, sweeps split into shards or interrupted that end in the same bytes, charts redrawn.

mod common;
use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use std::path::{Path, PathBuf};

const SCENARIO: &str = "scenarios/village_cutoff.toml";

fn siege() -> Command {
    Command::cargo_bin("siege").unwrap()
}

fn read(p: impl AsRef<Path>) -> Vec<u8> {
    std::fs::read(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

fn run_into(dir: &Path, threads: &str, extra: &[&str]) {
    siege()
        .env("RAYON_NUM_THREADS", threads)
        .args([
            "run",
            SCENARIO,
            "--replicates",
            "6",
            "--set",
            "simulation.days=30",
            "--no-charts",
            "--out",
        ])
        .arg(dir)
        .args(extra)
        .assert()
        .success();
}

#[test]
fn run_writes_documented_files_identically_whatever_the_thread_count() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, c) = (tmp.path().join("a"), tmp.path().join("b"), tmp.path().join("c"));
    run_into(&a, "1", &[]);
    run_into(&b, "2", &[]);
    for f in ["timeseries.csv", "locations.csv", "summary.csv", "run.json"] {
        assert_eq!(read(a.join(f)), read(b.join(f)), "{f} differs between 1 and 2 threads");
    }
    // The scenario file read is stored byte for byte, and run.json names it with its digest.
    assert_eq!(read(a.join("inputs/village_cutoff.toml")), read(SCENARIO));
    assert_eq!(read(b.join("inputs/village_cutoff.toml")), read(SCENARIO));
    let meta: serde_json::Value = serde_json::from_slice(&read(a.join("run.json"))).unwrap();
    assert_eq!(
        meta["inputs"],
        serde_json::json!([{
            "path": SCENARIO,
            "sha256": siege::observe::files::sha256_hex(&read(SCENARIO)),
            "stored": "inputs/village_cutoff.toml",
        }])
    );
    let header = String::from_utf8(read(a.join("timeseries.csv"))).unwrap();
    let header = header.lines().next().unwrap();
    for col in [
        "replicate",
        "seed",
        "day",
        "n_alive",
        "new_deaths",
        "cum_deaths_starvation",
        "cum_deaths_background",
        "cum_deaths_violence",
        "cum_deaths_under5",
        "food_kcal",
        "food_days",
        "mean_intake_kcal",
        "mean_adult_bmi",
        "adult_bmi_lt_18_5_pct",
        "gam_pct",
        "sam_pct",
        "cdr_per_10k",
        "u5dr_per_10k",
        "ipc_phase30",
        "cdr30_per_10k",
        "cum_deaths_male",
        "cum_deaths_0",
        "n_present",
        "n_in_transit",
        "n_displaced",
        "n_kidnapped",
        "cum_displaced",
        "cum_intercepted",
        "siege_active",
        "airdrop_landed_kcal",
        "airdrop_usable_kcal",
        "airdrop_captured_kcal",
        "cum_airdrop_usable_kcal",
    ] {
        assert!(header.split(',').any(|h| h == col), "timeseries.csv lacks {col}");
    }
    let rows = String::from_utf8(read(a.join("timeseries.csv")))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 1 + 6 * 30);
    let meta: serde_json::Value = serde_json::from_slice(&read(a.join("run.json"))).unwrap();
    assert_eq!(meta["seed"], 20201006);
    assert_eq!(meta["scenario"]["simulation"]["days"], 30);
    run_into(&c, "2", &["--seed", "99"]);
    assert_ne!(read(a.join("timeseries.csv")), read(c.join("timeseries.csv")));
}

#[test]
fn run_refuses_to_overwrite_results_without_force() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    run_into(&dir, "2", &[]);
    let before = read(dir.join("summary.csv"));
    siege()
        .args(["run", SCENARIO, "--replicates", "2", "--no-charts", "--out"])
        .arg(&dir)
        .assert()
        .failure()
        .stderr(predicates::str::contains("already holds results"));
    assert_eq!(before, read(dir.join("summary.csv")));
    run_into(&dir, "2", &["--force", "--seed", "4"]);
    assert_ne!(before, read(dir.join("summary.csv")));
}

#[test]
fn validate_names_every_problem() {
    let tmp = tempfile::tempdir().unwrap();
    let bad = tmp.path().join("bad.toml");
    std::fs::write(
        &bad,
        "[simulation]\nname = \"x\"\n[population]\nsize = -10\nsise = 3\n[food]\nstock_days_mean = \"lots\"\n",
    )
    .unwrap();
    let out = siege()
        .args(["validate"])
        .arg(&bad)
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(out).unwrap();
    for needle in [
        "bad.toml",
        "population.sise",
        "did you mean `size`",
        "food.stock_days_mean",
        "expected a number",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("panicked"));
    siege()
        .args(["validate", SCENARIO])
        .assert()
        .success()
        .stdout(predicates::str::contains("valid"));
}

fn sweep(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    siege()
        .args([
            "sweep",
            SCENARIO,
            "--vary",
            "airdrop_plan.first_day=2..5",
            "--vary",
            "airdrops.0.distribution=equal,scramble",
        ])
        .args([
            "--replicates",
            "3",
            "--set",
            "simulation.days=25",
            "--no-charts",
            "--out",
        ])
        .arg(dir)
        .args(extra)
        .assert()
}

const SWEEP_FILES: [&str; 3] = ["sweep.csv", "sweep_summary.csv", "sweep.json"];

#[test]
fn a_sweep_over_a_word_valued_key_draws_its_charts() {
    // Distribution rules are words, not numbers: the charts put them in their listed order.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("rules");
    siege()
        .args([
            "sweep",
            SCENARIO,
            "--vary",
            "airdrops.0.distribution=equal,need,scramble",
        ])
        .args([
            "--replicates",
            "2",
            "--set",
            "simulation.days=25",
            "--format",
            "svg",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let svg = std::fs::read_to_string(out.join("charts/sweep_deaths_total.svg")).unwrap();
    for word in [
        "distribution (airdrop 1)",
        ">\nequal\n<",
        ">\nneed\n<",
        ">\nscramble\n<",
    ] {
        assert!(svg.contains(word), "{word:?} missing from the chart");
    }
}

#[test]
fn three_shards_merged_equal_the_one_machine_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    sweep(&whole, &[]).success();
    let parts: Vec<PathBuf> = (0..3).map(|k| tmp.path().join(format!("part{k}"))).collect();
    for (k, p) in parts.iter().enumerate() {
        sweep(p, &["--shard", &format!("{k}/3")]).success();
    }
    let merged = tmp.path().join("merged");
    siege()
        .arg("merge")
        .args(&parts)
        .args(["--no-charts", "--out"])
        .arg(&merged)
        .assert()
        .success();
    for f in SWEEP_FILES {
        assert_eq!(read(whole.join(f)), read(merged.join(f)), "{f} differs");
    }
    // Every shard stored the same input; the merge stores it once, as the whole sweep does.
    let stored = |d: &Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(d.join("inputs"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    assert_eq!(stored(&merged), ["village_cutoff.toml"]);
    assert_eq!(stored(&merged), stored(&whole));
    assert_eq!(read(merged.join("inputs/village_cutoff.toml")), read(SCENARIO));
    let rows = String::from_utf8(read(whole.join("sweep.csv")))
        .unwrap()
        .lines()
        .count();
    assert_eq!(rows, 1 + 4 * 2 * 3);
    // Every summary column, the deaths by cause and age group among them, is in sweep.csv (and
    // read back by the merge above, which wrote the same bytes).
    let text = String::from_utf8(read(whole.join("sweep.csv"))).unwrap();
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    for cause in ["starvation", "disease"] {
        for group in ["under5", "5_14", "15_59", "60_plus"] {
            let name = format!("deaths_{cause}_{group}");
            assert!(
                header.contains(&name.as_str()),
                "{name} missing from sweep.csv: {header:?}"
            );
        }
    }
    // Parts of a different sweep are refused, not combined.
    let other = tmp.path().join("other");
    sweep(&other, &["--seed", "8", "--shard", "2/3"]).success();
    siege()
        .arg("merge")
        .args([&parts[0], &parts[1], &other])
        .args(["--no-charts", "--out"])
        .arg(tmp.path().join("mixed"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("different sweep"));
    assert!(!tmp.path().join("mixed").exists());
    // sweep.json records the scenario swept, resolved (every section, defaults filled in), and
    // merge compares it: a part whose recorded scenario differs, all else equal, is refused.
    let meta: serde_json::Value = serde_json::from_slice(&read(whole.join("sweep.json"))).unwrap();
    let swept = &meta["scenario"];
    assert_eq!(swept["simulation"]["name"], "village_cutoff", "{meta}");
    assert!(swept["food"]["stock_days_mean"].is_number(), "{meta}");
    assert!(
        swept["physiology"]["activity_floor"].is_number(),
        "defaults filled in: {meta}"
    );
    let mut forged: serde_json::Value = serde_json::from_slice(&read(parts[2].join("sweep.json"))).unwrap();
    forged["scenario"]["food"]["stock_days_mean"] = serde_json::json!(99.0);
    std::fs::write(parts[2].join("sweep.json"), serde_json::to_vec_pretty(&forged).unwrap()).unwrap();
    siege()
        .arg("merge")
        .args(&parts)
        .args(["--no-charts", "--out"])
        .arg(tmp.path().join("forged"))
        .assert()
        .failure()
        .stderr(predicates::str::contains("different sweep").and(predicates::str::contains("scenario")));
}

#[test]
fn an_interrupted_sweep_resumed_equals_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    let whole = tmp.path().join("whole");
    sweep(&whole, &[]).success();
    // Rebuild the state a killed sweep leaves: the plan, the header and some finished rows in
    // completion order, and half a row cut by the kill.
    let cut = tmp.path().join("cut");
    std::fs::create_dir(&cut).unwrap();
    std::fs::copy(whole.join("sweep.json"), cut.join("sweep.partial.json")).unwrap();
    // The stored inputs, written before sweep.partial.json.
    std::fs::create_dir(cut.join("inputs")).unwrap();
    std::fs::copy(
        whole.join("inputs/village_cutoff.toml"),
        cut.join("inputs/village_cutoff.toml"),
    )
    .unwrap();
    let text = String::from_utf8(read(whole.join("sweep.csv"))).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut partial = format!("{}\n", lines[0]);
    for i in [7, 2, 11, 3] {
        partial.push_str(lines[i]);
        partial.push('\n');
    }
    partial.push_str(&lines[5][..lines[5].len() / 2]);
    std::fs::write(cut.join("sweep.csv.partial"), partial).unwrap();
    sweep(&cut, &["--resume"])
        .success()
        .stdout(predicates::str::contains("4 runs were already done"));
    for f in SWEEP_FILES {
        assert_eq!(read(whole.join(f)), read(cut.join(f)), "{f} differs after resume");
    }
    assert!(!cut.join("sweep.csv.partial").exists());
}

#[test]
fn plot_redraws_the_same_charts_and_refuses_an_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    siege()
        .args([
            "run",
            SCENARIO,
            "--replicates",
            "3",
            "--set",
            "simulation.days=25",
            "--format",
            "both",
            "--out",
        ])
        .arg(&dir)
        .assert()
        .success();
    let list = |d: &Path| {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        v.sort();
        v
    };
    let drawn = list(&dir.join("charts"));
    assert!(drawn.contains(&"population.png".to_string()) && drawn.contains(&"population.svg".to_string()));
    std::fs::remove_dir_all(dir.join("charts")).unwrap();
    siege()
        .args(["plot"])
        .arg(&dir)
        .args(["--format", "both"])
        .assert()
        .success();
    assert_eq!(list(&dir.join("charts")), drawn);
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    siege()
        .args(["plot"])
        .arg(&empty)
        .assert()
        .failure()
        .stderr(predicates::str::contains("empty"));
}

#[test]
fn an_experiment_file_runs_its_sweep() {
    let tmp = tempfile::tempdir().unwrap();
    let exp = tmp.path().join("exp.toml");
    let scenario = std::fs::canonicalize(SCENARIO).unwrap();
    std::fs::write(
        &exp,
        format!(
            "[experiment]\nname = \"t\"\nscenario = {:?}\nreplicates = 2\nvary = [\"airdrop_plan.first_day=3,9\"]\nset = [\"simulation.days=25\"]\n",
            scenario.display().to_string()
        ),
    )
    .unwrap();
    let out = tmp.path().join("o");
    siege()
        .args(["sweep"])
        .arg(&exp)
        .args(["--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = String::from_utf8(read(out.join("sweep_summary.csv"))).unwrap();
    assert_eq!(rows.lines().count(), 3);
    assert!(
        rows.lines()
            .next()
            .unwrap()
            .starts_with("point,airdrop_plan.first_day,replicates,deaths_total_mean")
    );
}

#[test]
fn a_closed_stdout_is_not_an_error() {
    // `siege run ... | head -1`: the reader goes away; the run still writes every file.
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("r");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("siege"))
        .args([
            "run",
            SCENARIO,
            "--replicates",
            "2",
            "--set",
            "simulation.days=25",
            "--out",
        ])
        .arg(&out)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.join("run.json").exists() && out.join("charts/population.png").exists());
}

#[test]
fn a_sweep_killed_with_sigkill_and_resumed_equals_an_uninterrupted_one() {
    let tmp = tempfile::tempdir().unwrap();
    let args = |out: &Path| -> Vec<String> {
        [
            "sweep",
            SCENARIO,
            "--vary",
            "airdrop_plan.first_day=2..16",
            "--replicates",
            "40",
            "--no-charts",
            "--out",
        ]
        .iter()
        .map(|s| s.to_string())
        .chain([out.display().to_string()])
        .collect()
    };
    let whole = tmp.path().join("whole");
    siege().args(args(&whole)).assert().success();
    // Kill -9 once some rows are written (the sweep has 600 runs; it cannot be done by then).
    let cut = tmp.path().join("cut");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("siege"))
        .args(args(&cut))
        .env("RAYON_NUM_THREADS", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let partial = cut.join("sweep.csv.partial");
    let started = std::time::Instant::now();
    loop {
        let rows = std::fs::read_to_string(&partial)
            .map(|t| t.lines().count())
            .unwrap_or(0);
        if rows > 5 {
            break;
        }
        assert!(started.elapsed().as_secs() < 60, "the sweep wrote no rows");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        !cut.join("sweep.csv").exists(),
        "the sweep finished before it was killed"
    );
    siege()
        .args(args(&cut))
        .arg("--resume")
        .assert()
        .success()
        .stdout(predicates::str::contains("were already done"));
    for f in SWEEP_FILES {
        assert_eq!(
            read(whole.join(f)),
            read(cut.join(f)),
            "{f} differs after kill and resume"
        );
    }
}

/// `siege run DIR/run.json` runs exactly what that run ran (its recorded scenario, checked against
/// its digest): the same CSVs byte for byte, new `--set` overrides on top, and a run.json whose
/// scenario was edited refused with the digest named.
#[test]
fn a_run_is_reproduced_from_its_run_json() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    run_into(&a, "2", &["--seed", "5"]);
    siege()
        .args(["run", a.join("run.json").to_str().unwrap(), "--no-charts", "--out"])
        .arg(&b)
        .assert()
        .success();
    for f in ["timeseries.csv", "locations.csv", "summary.csv"] {
        assert_eq!(read(a.join(f)), read(b.join(f)), "{f} differs when rerun from run.json");
    }
    let c = tmp.path().join("c");
    siege()
        .args([
            "run",
            a.join("run.json").to_str().unwrap(),
            "--replicates",
            "2",
            "--no-charts",
            "--out",
        ])
        .arg(&c)
        .assert()
        .success();
    let rows = String::from_utf8(read(c.join("summary.csv"))).unwrap().lines().count();
    assert_eq!(rows, 3, "header and 2 replicates");
    let edited = String::from_utf8(read(a.join("run.json")))
        .unwrap()
        .replacen("\"size\": ", "\"size\": 1", 1);
    std::fs::write(tmp.path().join("edited.json"), edited).unwrap();
    let out = siege()
        .args([
            "run",
            tmp.path().join("edited.json").to_str().unwrap(),
            "--no-charts",
            "--out",
        ])
        .arg(tmp.path().join("d"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("digest"), "{err}");
    assert!(!tmp.path().join("d").exists(), "nothing written for a refused run.json");
}

/// `siege validate` prints a planning food balance under its one-line description: the need at
/// 2,100 kcal a head (3,000 people at 3,500 kcal/kg: 1.8 t a day), the households' starting food
/// from `food.stock_days_mean` and the relief planned, in tonnes.
#[test]
fn validate_prints_a_planning_food_balance() {
    let out = siege().args(["validate", SCENARIO]).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("valid — scenario"), "{text}");
    assert!(
        text.contains("need            1.8 t a day for 3,000 people (108 t over 60 days)"),
        "{text}"
    );
    assert!(text.contains("households      18 t at the start"), "{text}");
    assert!(text.contains("relief planned  5.1 t by air, 0 t by road"), "{text}");
}

/// The assumptions that matter most are listed with the value in effect, written or defaulted (the
/// rural-Mali livestock among the defaults, the file's host support among the written), with the
/// range docs/scenario.md names; a --set counts as written.
#[test]
fn validate_lists_the_assumptions_that_matter_written_or_not() {
    let shown = |extra: &[&str]| {
        let out = siege().args(["validate", SCENARIO]).args(extra).output().unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let text = shown(&[]);
    let list = text
        .split_once("ranks them for this scenario), as in effect")
        .unwrap_or_else(|| panic!("no list in {text}"))
        .1;
    for line in [
        "locations.town.host_support_kcal   1000 kcal/displaced person/day  written  estimate, range 0–2,100",
        "locations.town.host_support_days   60 days                         default  modelling choice, range 20–180",
        "mortality.child_inanition_shape    4 exponent                      default  modelling choice, range 2–8",
        "food.livestock_per_household_mean  2 head                          default  modelling choice",
        "siege.interception_probability     0.05 per household leaving      written  modelling choice",
    ] {
        assert!(list.contains(line), "no {line:?} in {list}");
    }
    let text = shown(&["--set", "food.livestock_per_household_mean=0"]);
    assert!(
        text.contains("food.livestock_per_household_mean  0 head                          written"),
        "{text}"
    );
}

/// `siege validate` names the founding case's defaults (a Sahel village in Mali) still in effect
/// because the file does not write them, and drops each one the file (or a --set) writes.
#[test]
fn validate_names_the_founding_case_defaults_left_unwritten() {
    let shown = |extra: &[&str]| {
        let out = siege().args(["validate", SCENARIO]).args(extra).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        text.split_once("defaults from the founding case, a Sahel village in Mali")
            .map(|(_, list)| list.lines().nth(1).unwrap_or_default().to_string())
    };
    let list = shown(&[]).expect("no founding-case defaults listed");
    assert!(list.contains("population.household_size_mean"), "{list}");
    assert!(list.contains("disease.malaria.season"), "{list}");
    let list = shown(&["--set", "population.household_size_mean=5"]).unwrap();
    assert!(!list.contains("household_size_mean"), "{list}");
    let mut all = Vec::new();
    for kv in [
        "population.household_size_mean=5",
        "population.under5_share=0.1",
        "population.under15_share=0.2",
        "population.over60_share=0.1",
        "population.adult_bmi_mean=23",
        "mortality.background_under5_per_10k_day=0.3",
        "mortality.background_5_59_per_10k_day=0.1",
        "mortality.background_60_plus_per_10k_day=1",
        "disease.enabled=false",
    ] {
        all.extend(["--set", kv]);
    }
    assert_eq!(shown(&all), None);
}

/// Where a scenario has organised evacuations, the run's terminal summary shows how many were
/// taken out (`evacuated_total` of summary.csv); elsewhere it does not.
#[test]
fn a_run_with_evacuations_shows_how_many_were_taken_out() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |scenario: &str, dir: &str| {
        let out = siege()
            .args(["run", scenario, "--replicates", "1", "--no-charts", "--out"])
            .arg(tmp.path().join(dir))
            .args(["--set", "population.size=5000"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("scenarios/leningrad_1941.toml", "len");
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("evacuated_total"))
        .unwrap_or_else(|| panic!("no evacuated_total in {text}"));
    let evacuated = common::column(&tmp.path().join("len/summary.csv"), "evacuated_total");
    assert!(evacuated[0].parse::<f64>().unwrap() > 0.0, "{evacuated:?}");
    assert!(
        line.replace(',', "").contains(&format!(" {} ", evacuated[0])),
        "{line} vs {evacuated:?}"
    );
    assert!(!run(SCENARIO, "village").contains("evacuated_total"));
}

/// `siege validate` says how long each store's stock lasts at its `[[rations]]` for the cards held
/// on day 0, with the date. By hand (every card's ration the same, so the cards' split does not
/// matter): 1,000 people at 2,000 kcal want 2,000,000 kcal a day; 10 t at 3,500 kcal/kg is
/// 35,000,000 kcal, 17.5 days: short from day 17, 2021-03-18; a 7 t convoy (24,500,000) into it
/// makes 29.75 days: short from day 29, 2021-03-30.
#[test]
fn validate_says_how_long_a_store_lasts_at_its_rations() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("s.toml");
    std::fs::write(
        &file,
        "[simulation]\nname = \"s\"\ndays = 40\nstart_date = 2021-03-01\n[population]\nsize = 1000\n\
         [[stores]]\nid = \"depot\"\nstock_tonnes = 10\n[[rations]]\nfrom_day = 0\nworker_kcal = 2000\n\
         employee_kcal = 2000\ndependant_kcal = 2000\nchild_kcal = 2000\n\
         [[convoys]]\nday = 2021-03-05\ntonnes = 7\ninto = \"depot\"\n",
    )
    .unwrap();
    let out = siege().arg("validate").arg(&file).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(out.status.success(), "{text}{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        text.contains("    depot: at its [[rations]] for the cards held there on day 0 ("),
        "{text}"
    );
    assert!(
        text.contains("its stock alone lasts 17 days: short from day 17 (2021-03-18)\n"),
        "{text}"
    );
    assert!(
        text.contains("with the 7 t of convoys and airdrops into it as planned (before losses), it lasts 29 days: short from day 29 (2021-03-30)\n"),
        "{text}"
    );
}

/// `--vary KEY=A..B[:STEP]` with dates for a day key: the dates STEP days apart, each turned into
/// its day as the scenario's dates are, so the sweep is the sweep over those day numbers; the dates
/// of a range that are no day (without `start_date`, or before it) are refused once, with the flag
/// and key, not again at every grid point they make.
#[test]
fn a_sweep_over_a_range_of_dates_is_the_sweep_over_their_days() {
    let tmp = tempfile::tempdir().unwrap();
    let over = |spec: &str, name: &str| {
        let out = tmp.path().join(name);
        siege()
            .args(["sweep", SCENARIO, "--vary", spec, "--replicates", "2"])
            .args(["--set", "population.size=300", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success();
        common::read_csv(&out.join("sweep.csv"))
    };
    // Day 0 of the village is 2020-10-06: its airdrop on day 5 or day 40.
    let (h, dated) = over("airdrops.0.day=2020-10-11..2020-11-15:35", "dates");
    let (h2, by_day) = over("airdrops.0.day=5..40:35", "days");
    assert_eq!(h, h2);
    let key = common::col(&h, "airdrops.0.day");
    let days: Vec<&str> = dated.iter().map(|r| r[key].as_str()).collect();
    assert_eq!(days, ["2020-10-11", "2020-10-11", "2020-11-15", "2020-11-15"]);
    let without_key = |rows: &[Vec<String>]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(i, _)| *i != key)
                    .map(|(_, c)| c.clone())
                    .collect()
            })
            .collect()
    };
    assert_eq!(without_key(&dated), without_key(&by_day));
    // And the day matters: replicate 0 of the two points differ beyond their point number.
    let outcomes = |r: &Vec<String>| r[common::col(&h, "replicate") + 1..].to_vec();
    assert_ne!(outcomes(&without_key(&dated)[0]), outcomes(&without_key(&dated)[2]));
    // Before day 0 (two of the range's dates, over both values of a second key: four grid points),
    // and without start_date.
    let early = siege()
        .args(["sweep", SCENARIO, "--vary", "siege.end_day=2020-09-26..2020-10-11:5"])
        .args(["--vary", "airdrops.0.sorties=1,2", "--no-charts", "--out"])
        .arg(tmp.path().join("early"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&early.get_output().stderr).to_string();
    assert!(
        err.starts_with("error: the sweep cannot run:\n--vary siege.end_day: 2020-09-26 is before simulation.start_date 2020-10-06 (day 0); the same for 2020-10-01\n"),
        "{err}"
    );
    assert_eq!(
        (err.matches("2020-09-26").count(), err.matches("2020-10-01").count()),
        (1, 1),
        "{err}"
    );
    // The grid's other points are still checked, each problem at once (day 0 ends nothing).
    assert!(
        err.contains("at grid point 4 (siege.end_day=2020-10-06, airdrops.0.sorties=1)"),
        "{err}"
    );
    let text = std::fs::read_to_string(SCENARIO).unwrap();
    assert!(text.contains("start_date = \"2020-10-06\""));
    let undated = tmp.path().join("undated.toml");
    std::fs::write(&undated, text.replace("start_date = \"2020-10-06\"", "")).unwrap();
    siege()
        .args(["sweep"])
        .arg(&undated)
        .args([
            "--vary",
            "siege.end_day=2020-10-16..2020-10-21:5",
            "--no-charts",
            "--out",
        ])
        .arg(tmp.path().join("undated"))
        .assert()
        .failure()
        .stderr(
            predicates::str::contains(
                "--vary siege.end_day: the date 2020-10-16 needs simulation.start_date (the date of day 0): give it, or write the day number; the same for 2020-10-21\n",
            )
            .and(predicates::str::contains("grid point").not()),
        );
}
