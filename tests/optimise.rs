//! `siege optimise` (issue 20 item 3): successive halving with common random numbers picks the
//! plan a brute-force sweep ranks first, in fewer runs, the same on any thread count; bad optimise
//! files are refused with every problem at once.

mod common;
use assert_cmd::Command;
use common::{col, read_csv};
use std::path::Path;

fn siege() -> Command {
    Command::cargo_bin("siege").unwrap()
}

const SCENARIO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/village_cutoff.toml");

/// A small world: 400 people cut off for 40 days with 5 days of food, no road reopening.
const SET: [&str; 4] = [
    "population.size=400",
    "simulation.days=40",
    "events=[]",
    "food.stock_days_mean=5",
];

/// First drop day × Y-12 sorties, at most two sorties' tonnes (3.4 t).
fn write_optimise(dir: &Path) -> std::path::PathBuf {
    let set: Vec<String> = SET.iter().map(|s| format!("{s:?}")).collect();
    let text = format!(
        "[optimise]\nname = \"small\"\nscenario = {SCENARIO:?}\nset = [{}]\nvary = [\"airdrops.0.day=2,10,18,26\", \"airdrops.0.sorties=1..3\"]\nbudget_tonnes = 3.4\nstart_replicates = 4\nmax_replicates = 32\n",
        set.join(", ")
    );
    let path = dir.join("small.toml");
    std::fs::write(&path, text).unwrap();
    path
}

fn optimise(file: &Path, out: &Path, threads: &str) {
    siege()
        .env("RAYON_NUM_THREADS", threads)
        .args([
            "optimise",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ])
        .assert()
        .success();
}

#[test]
fn optimise_picks_what_a_brute_force_sweep_ranks_first_in_fewer_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_optimise(tmp.path());
    let out = tmp.path().join("o");
    optimise(&file, &out, "2");
    let (h, rows) = read_csv(&out.join("optimise.csv"));
    let chosen = &rows[0];
    assert_eq!(chosen[col(&h, "status")], "chosen");
    assert_eq!(chosen[col(&h, "rank")], "1");
    let plan = |r: &[String]| {
        (
            r[col(&h, "airdrops.0.day")].clone(),
            r[col(&h, "airdrops.0.sorties")].clone(),
        )
    };
    // Over-budget candidates (three sorties, 5.1 t) are listed, never run.
    let over: Vec<&Vec<String>> = rows.iter().filter(|r| r[col(&h, "status")] == "over_budget").collect();
    assert_eq!(over.len(), 4);
    assert!(
        over.iter()
            .all(|r| r[col(&h, "airdrops.0.sorties")] == "3" && r[col(&h, "replicates")] == "0")
    );

    // The brute force: every candidate, twice the replicates, the same seed.
    let sweep = tmp.path().join("s");
    let mut cmd = siege();
    cmd.args([
        "sweep",
        SCENARIO,
        "--replicates",
        "64",
        "--no-charts",
        "--out",
        sweep.to_str().unwrap(),
    ]);
    for s in SET {
        cmd.args(["--set", s]);
    }
    cmd.args([
        "--vary",
        "airdrops.0.day=2,10,18,26",
        "--vary",
        "airdrops.0.sorties=1..2",
    ])
    .assert()
    .success();
    let (sh, points) = read_csv(&sweep.join("sweep_summary.csv"));
    let mean = |r: &Vec<String>| r[col(&sh, "deaths_total_mean")].parse::<f64>().unwrap();
    let best = points.iter().min_by(|a, b| mean(a).total_cmp(&mean(b))).unwrap();
    assert_eq!(
        plan(chosen),
        (
            best[col(&sh, "airdrops.0.day")].clone(),
            best[col(&sh, "airdrops.0.sorties")].clone()
        ),
        "optimise chose another plan than the brute-force sweep ranks first"
    );
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("optimise.json")).unwrap()).unwrap();
    let runs = meta["runs"].as_u64().unwrap();
    let brute = 8 * 64;
    assert!(runs < brute / 2, "{runs} runs; the brute force took {brute}");
    assert_eq!(meta["full_sweep_runs"].as_u64(), Some(8 * 32));
    // The runs file holds exactly the runs spent.
    let (_, run_rows) = read_csv(&out.join("optimise_runs.csv"));
    assert_eq!(run_rows.len() as u64, runs);
    // The chosen plan saves deaths against doing nothing, and the best has no difference with itself.
    let saved: f64 = chosen[col(&h, "saved_vs_nothing_mean")].parse().unwrap();
    assert!(saved > 0.0, "{saved}");
    assert_eq!(chosen[col(&h, "vs_best_mean")], "0");
    let (vh, versus) = read_csv(&out.join("optimise_vs_nothing.csv"));
    assert!(
        versus
            .iter()
            .any(|r| r[col(&vh, "rank")] == "1" && r[col(&vh, "measure")] == "deaths_averted")
    );
}

#[test]
fn the_same_seed_gives_the_same_result_on_one_and_two_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_optimise(tmp.path());
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    optimise(&file, &a, "1");
    optimise(&file, &b, "2");
    for f in ["optimise.csv", "optimise_runs.csv", "optimise_vs_nothing.csv"] {
        assert_eq!(
            std::fs::read(a.join(f)).unwrap(),
            std::fs::read(b.join(f)).unwrap(),
            "{f} differs between 1 and 2 threads"
        );
    }
    // The chart of a result directory, drawn again by `siege plot`.
    siege()
        .args(["plot", a.to_str().unwrap(), "--format", "svg"])
        .assert()
        .success();
    let svg = std::fs::read_to_string(a.join("charts").join("optimise.svg")).unwrap();
    assert!(svg.contains("chosen: ") && svg.contains("doing nothing"), "{svg}");
    // Another seed is another result.
    let c = tmp.path().join("c");
    siege()
        .args([
            "optimise",
            file.to_str().unwrap(),
            "--seed",
            "7",
            "--no-charts",
            "--out",
            c.to_str().unwrap(),
        ])
        .assert()
        .success();
    assert_ne!(
        std::fs::read(a.join("optimise_runs.csv")).unwrap(),
        std::fs::read(c.join("optimise_runs.csv")).unwrap()
    );
}

#[test]
fn a_bad_optimise_file_is_refused_with_every_problem_and_its_line() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("bad.toml");
    std::fs::write(
        &path,
        format!(
            "[optimise]\nname = \"a/b\"\nscenario = {SCENARIO:?}\nvary = [\"airdrops.0.day=9..2\"]\nbudget_tonne = 3\noutcome = \"deaths\"\nstart_replicates = 1\n"
        ),
    )
    .unwrap();
    let out = siege()
        .args(["optimise", path.to_str().unwrap(), "--no-charts"])
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    for want in [
        "bad.toml:2: optimise.name",
        "bad.toml:4: optimise.vary.0",
        "bad.toml:5: optimise.budget_tonne: unknown key (did you mean `budget_tonnes`?)",
        "bad.toml:6: optimise.outcome: unknown outcome \"deaths\"",
        "bad.toml:7: optimise.start_replicates",
    ] {
        assert!(err.contains(want), "missing {want:?} in:\n{err}");
    }
}

#[test]
fn a_candidate_the_scenario_refuses_is_named_with_its_values() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("late.toml");
    std::fs::write(
        &path,
        format!("[optimise]\nname = \"late\"\nscenario = {SCENARIO:?}\nvary = [\"airdrops.0.day=30,90\"]\n"),
    )
    .unwrap();
    let out = siege()
        .args(["optimise", path.to_str().unwrap(), "--no-charts", "--out"])
        .arg(tmp.path().join("o"))
        .assert()
        .failure()
        .get_output()
        .clone();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("candidate 1 (airdrops.0.day=90)"), "{err}");
    assert!(!err.contains("candidate 0"), "{err}");
    assert!(!tmp.path().join("o").join("optimise.csv").exists());
}
