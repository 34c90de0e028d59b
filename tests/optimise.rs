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
    // The directory alone says what was searched: the resolved scenario, its defaults filled in.
    assert_eq!(meta["scenario"]["simulation"]["name"], meta["scenario_name"]);
    assert!(meta["scenario"]["physiology"]["fat_kcal_per_kg"].is_number());
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
fn only_when_the_scenario_refuses_every_candidate_does_the_search_stop_with_their_reasons() {
    let tmp = tempfile::tempdir().unwrap();
    let path = tmp.path().join("late.toml");
    std::fs::write(
        &path,
        format!("[optimise]\nname = \"late\"\nscenario = {SCENARIO:?}\nvary = [\"airdrops.0.day=90,95\"]\n"),
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
    assert!(err.contains("refuses every one of the 2 candidates"), "{err}");
    assert!(err.contains("candidate 0 (airdrops.0.day=90)"), "{err}");
    assert!(err.contains("candidate 1 (airdrops.0.day=95)"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!tmp.path().join("o").join("optimise.csv").exists());
}

/// The trial of a new user (issue 20): a grid with plans the scenario refuses (day 90 of a 40-day
/// siege) and plans over the budget; tonnes as written; eliminated plans' savings with their
/// replicates; the report and chart titled by the optimise file's name.
#[test]
fn refused_and_over_budget_plans_are_set_aside_and_listed_with_their_reasons() {
    let tmp = tempfile::tempdir().unwrap();
    let mut set: Vec<String> = SET.iter().map(|s| format!("{s:?}")).collect();
    // The airdrop the grid moves, written whole by `set` (as the README's optimise files do).
    set.push(
        "'airdrops=[{ day = 14, aircraft = \"Y-12\", sorties = 3, usable_fraction = 0.9, distribution = \"equal\", cost_per_tonne = 1600 }]'"
            .into(),
    );
    let file = tmp.path().join("trial.toml");
    std::fs::write(
        &file,
        format!(
            "[optimise]\nname = \"trial\"\nscenario = {SCENARIO:?}\nset = [{}]\nvary = [\"airdrops.0.day=2,10,18,90\", \"airdrops.0.sorties=1..3\"]\nbudget_tonnes = 3.4\nstart_replicates = 4\nmax_replicates = 16\n",
            set.join(", ")
        ),
    )
    .unwrap();
    let out = tmp.path().join("o");
    let run = siege()
        .args([
            "optimise",
            file.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--format",
            "svg",
        ])
        .assert()
        .success()
        .get_output()
        .clone();
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(
        stdout.contains("trial (village_cutoff): 12 candidate plans: 6 within the budget (3.4 t), 3 over it (set aside), 3 the scenario refuses (invalid, set aside)"),
        "{stdout}"
    );
    assert!(
        stdout.contains("invalid: airdrops.0.day=90, airdrops.0.sorties=1: "),
        "{stdout}"
    );
    let (h, rows) = read_csv(&out.join("optimise.csv"));
    let status = |r: &Vec<String>| r[col(&h, "status")].clone();
    let invalid: Vec<&Vec<String>> = rows.iter().filter(|r| status(r) == "invalid").collect();
    assert_eq!(invalid.len(), 3);
    for r in &invalid {
        assert_eq!(r[col(&h, "airdrops.0.day")], "90");
        assert_eq!(r[col(&h, "replicates")], "0");
        // The day came from the grid, not from the `set` that wrote the airdrop it moves.
        assert!(
            r[col(&h, "reason")].starts_with("airdrops.0.day: day 90 ")
                && r[col(&h, "reason")].ends_with(" (value given by optimise.vary)"),
            "{:?}",
            r[col(&h, "reason")]
        );
    }
    // Tonnes as written: three Y-12 sorties of 1.7 t are 5.1 t, not 5.1000000000000005.
    let over: Vec<&Vec<String>> = rows.iter().filter(|r| status(r) == "over_budget").collect();
    assert_eq!(over.len(), 3);
    for r in &over {
        assert_eq!(r[col(&h, "tonnes")], "5.1");
        assert_eq!(r[col(&h, "reason")], "5.1 t > budget_tonnes 3.4");
    }
    for r in rows.iter().filter(|r| !r[col(&h, "rank")].is_empty()) {
        assert!(
            ["1.7", "3.4"].contains(&r[col(&h, "tonnes")].as_str()),
            "{:?}",
            r[col(&h, "tonnes")]
        );
        assert_eq!(r[col(&h, "reason")], "");
        // The saving rests on the plan's own replicates, given beside it.
        assert_eq!(r[col(&h, "saved_vs_nothing_replicates")], r[col(&h, "replicates")]);
    }
    let eliminated = rows
        .iter()
        .find(|r| status(r) == "eliminated")
        .expect("an eliminated plan");
    assert!(eliminated[col(&h, "replicates")].parse::<u32>().unwrap() < 16);
    assert!(stdout.contains("is not comparable with the finalists'"), "{stdout}");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("optimise.json")).unwrap()).unwrap();
    assert_eq!(meta["candidates"], 12);
    assert_eq!(meta["within_budget"], 6);
    assert_eq!(meta["invalid"], 3);
    // The chart: titled by the optimise name, plans labelled with their tonnes.
    let svg = std::fs::read_to_string(out.join("charts").join("optimise.svg")).unwrap();
    assert!(svg.contains("trial — best plans"), "no optimise name in the title");
    assert!(svg.contains(" t)") && svg.contains("doing nothing: +"), "{svg}");
    // The report: titled by the optimise name, counting what it ranks and what it set aside.
    siege().args(["report", out.to_str().unwrap()]).assert().success();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("<title>trial — the best relief plan under a budget"),
        "title"
    );
    assert!(html.contains("optimise.csv lists all 12 candidates: ranks the 6 within the budget, then the 3 over the budget (status over_budget, never run), then the 3 the scenario refuses (status invalid"));
    assert!(!html.contains("ranks all 12"));
    assert!(html.contains("not comparable with the finalists"));
}

/// Runs `siege optimise FILE ARGS…` and returns (success, stdout, stderr).
fn optimise_with(file: &Path, args: &[&str]) -> (bool, String, String) {
    let out = siege()
        .arg("optimise")
        .arg(file)
        .args(args)
        .arg("--no-charts")
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs every shard of `n` again until one reports the search complete; the rounds it took.
fn drive_shards(file: &Path, parts: &Path, n: u32) -> usize {
    let parts = parts.to_str().unwrap();
    for round in 1..=12 {
        for k in 0..n {
            let (ok, _, err) = optimise_with(file, &["--shard", &format!("{k}/{n}"), "--parts", parts]);
            assert!(ok, "{err}");
        }
        if Path::new(parts).join("complete").exists() {
            return round;
        }
    }
    panic!("the sharded search did not complete in 12 rounds");
}

/// optimise.json without its `command` (which records the command that wrote it).
fn json_but_command(dir: &Path) -> serde_json::Value {
    let mut v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("optimise.json")).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("command");
    v
}

#[test]
fn a_sharded_search_merges_into_the_bytes_of_one_machine() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_optimise(tmp.path());
    let one = tmp.path().join("one");
    optimise(&file, &one, "2");
    let parts = tmp.path().join("parts");
    // Three shards: each run of the three moves the search a step on.
    let rounds = drive_shards(&file, &parts, 3);
    assert!(rounds >= 2, "{rounds}");
    let merged = tmp.path().join("merged");
    let (ok, _, _) = optimise_with(
        &file,
        &["--parts", parts.to_str().unwrap(), "--out", merged.to_str().unwrap()],
    );
    assert!(ok);
    for f in ["optimise.csv", "optimise_runs.csv", "optimise_vs_nothing.csv"] {
        assert_eq!(
            std::fs::read(one.join(f)).unwrap(),
            std::fs::read(merged.join(f)).unwrap(),
            "{f} differs between one machine and three shards"
        );
    }
    assert_eq!(json_but_command(&one), json_but_command(&merged));
    // The shards replayed a round that kept a cheaper plan beyond the half.
    let meta = json_but_command(&one);
    assert!(
        meta["rounds"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["kept_cheaper"].is_u64()),
        "{meta}"
    );
    // One shard runs the whole search in one go.
    let single = tmp.path().join("single");
    assert_eq!(drive_shards(&file, &single, 1), 1);
    let merged1 = tmp.path().join("merged1");
    let (ok, _, err) = optimise_with(
        &file,
        &["--parts", single.to_str().unwrap(), "--out", merged1.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    assert_eq!(
        std::fs::read(one.join("optimise_runs.csv")).unwrap(),
        std::fs::read(merged1.join("optimise_runs.csv")).unwrap()
    );
}

#[test]
fn mismatched_or_incomplete_parts_are_refused_with_what_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let file = write_optimise(tmp.path());
    let parts = tmp.path().join("parts");
    let p = parts.to_str().unwrap();
    let out = tmp.path().join("o");
    let o = out.to_str().unwrap();
    // Only shard 0 of step 0: the result names the step and the missing shard.
    assert!(optimise_with(&file, &["--shard", "0/2", "--parts", p]).0);
    let (ok, _, err) = optimise_with(&file, &["--parts", p, "--out", o]);
    assert!(!ok && err.contains("step 0 lacks shard(s) 1/2"), "{err}");
    // Shard 0 again: its share is there, it waits and runs nothing.
    let (ok, said, _) = optimise_with(&file, &["--shard", "0/2", "--parts", p]);
    assert!(ok && said.contains("waiting for shard(s) 1/2"), "{said}");
    // Another shard count for the same parts.
    let (ok, _, err) = optimise_with(&file, &["--shard", "1/3", "--parts", p]);
    assert!(!ok && err.contains("split into 2 shards, not 3"), "{err}");
    // Another seed is another search.
    let (ok, _, err) = optimise_with(&file, &["--seed", "7", "--shard", "1/2", "--parts", p]);
    assert!(!ok && err.contains("belongs to another search"), "{err}");
    // --shard without --parts.
    let (ok, _, err) = optimise_with(&file, &["--shard", "1/2"]);
    assert!(!ok && err.contains("--parts"), "{err}");
    // A part edited since it was written.
    let csv = parts.join("step-0").join("shard-0-of-2.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    std::fs::write(&csv, text.replacen("\n0,", "\n1,", 1)).unwrap();
    let (ok, _, err) = optimise_with(&file, &["--shard", "1/2", "--parts", p]);
    assert!(
        !ok && err.contains("shard-0-of-2.csv") && err.contains("rows_digest"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

/// The small search with drops on `days` and `budget_lines` for its budget, run into DIR/o; what
/// it said.
fn optimise_variant(dir: &Path, days: &str, budget_lines: &str) -> String {
    let text = std::fs::read_to_string(write_optimise(dir))
        .unwrap()
        .replace("airdrops.0.day=2,10,18,26", &format!("airdrops.0.day={days}"))
        .replace("budget_tonnes = 3.4", budget_lines);
    let file = dir.join("variant.toml");
    std::fs::write(&file, text).unwrap();
    let (ok, said, err) = optimise_with(&file, &["--out", dir.join("o").to_str().unwrap()]);
    assert!(ok, "{err}");
    said
}

#[test]
fn a_cheaper_plan_that_ties_the_lowest_mean_within_noise_is_chosen() {
    // A drop on day 32 of 40: three sorties save no more than two, within noise (the
    // paired difference's 95% CI includes 0), though their mean is a little lower. (Day 34 until
    // children's inanition acted only on days of weight loss: there the two now tie exactly.)
    let tmp = tempfile::tempdir().unwrap();
    let said = optimise_variant(tmp.path(), "32", "budget_tonnes = 6");
    let out = tmp.path().join("o");
    let (h, rows) = read_csv(&out.join("optimise.csv"));
    let mean = |r: &Vec<String>| r[col(&h, "outcome_mean")].parse::<f64>().unwrap();
    let tonnes = |r: &Vec<String>| r[col(&h, "tonnes")].parse::<f64>().unwrap();
    let (chosen, second) = (&rows[0], &rows[1]);
    assert_eq!(chosen[col(&h, "status")], "chosen");
    // The runner-up has the lower mean and weighs more; their difference is within noise.
    assert!(mean(second) < mean(chosen), "{} {}", mean(second), mean(chosen));
    assert!(tonnes(second) > tonnes(chosen));
    let lo: f64 = second[col(&h, "vs_best_ci95_lo")].parse().unwrap();
    let hi: f64 = second[col(&h, "vs_best_ci95_hi")].parse().unwrap();
    assert!(lo <= 0.0 && hi >= 0.0, "{lo} {hi}");
    let meta = json_but_command(&out);
    assert_eq!(meta["chosen_point"], chosen[col(&h, "point")].parse::<u64>().unwrap());
    assert_eq!(
        meta["lowest_mean_point"],
        second[col(&h, "point")].parse::<u64>().unwrap()
    );
    assert!(said.contains("cost tie-break:"), "{said}");
    // How sure, in words: better, the same and worse add up to every pair, and the line points
    // to the tie-break that chose against the lower mean.
    let line = said
        .lines()
        .find(|l| l.starts_with("how sure: "))
        .expect("a how-sure line");
    let shares: Vec<f64> = ["than the runner-up in ", "the same in ", "worse in "]
        .iter()
        .map(|k| {
            line.split(k)
                .nth(1)
                .and_then(|r| r.split('%').next())
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    assert!((shares.iter().sum::<f64>() - 100.0).abs() < 0.2, "{line}");
    assert!(
        shares[2] > 0.0,
        "the runner-up's lower mean comes from pairs it did better in: {line}"
    );
    assert!(line.ends_with("(see the cost tie-break above)"), "{line}");
}

#[test]
fn a_cheaper_plan_tied_with_the_leader_survives_the_halving_to_the_cost_tie_break() {
    // Drops on day 31 or 32 of 40, one finalist. Two sorties on day 31 tie three within noise,
    // but by mean alone the halving dropped them at 16 replicates (then 3 × 8 → 2 × 16 → 1 × 32:
    // three sorties chosen, the cost tie-break never saw two). The cheapest plan not clearly
    // worse than the leader now stays beside the half and reaches the tie-break.
    let tmp = tempfile::tempdir().unwrap();
    let said = optimise_variant(tmp.path(), "31,32", "budget_tonnes = 6\nfinalists = 1");
    let out = tmp.path().join("o");
    let (h, rows) = read_csv(&out.join("optimise.csv"));
    let point = |r: &Vec<String>| r[col(&h, "point")].parse::<u64>().unwrap();
    let tonnes = |r: &Vec<String>| r[col(&h, "tonnes")].parse::<f64>().unwrap();
    let meta = json_but_command(&out);
    let chosen = &rows[0];
    let lowest = rows.iter().find(|r| meta["lowest_mean_point"] == point(r)).unwrap();
    // The chosen plan is cheaper than the lowest mean and ties it on all 32 pairs.
    assert_eq!(chosen[col(&h, "status")], "chosen");
    assert_eq!(chosen[col(&h, "replicates")], "32");
    assert!(tonnes(chosen) < tonnes(lowest), "{chosen:?} {lowest:?}");
    assert_eq!(lowest[col(&h, "replicates")], "32");
    let lo: f64 = lowest[col(&h, "vs_best_ci95_lo")].parse().unwrap();
    let hi: f64 = lowest[col(&h, "vs_best_ci95_hi")].parse().unwrap();
    assert!(lo <= 0.0 && hi >= 0.0, "{lo} {hi}");
    assert!(said.contains("cost tie-break:"), "{said}");
    assert!(said.contains("kept beyond the half"), "{said}");
    // The round that kept it: by mean alone, on that round's replicates, it was in the worse half.
    let round = meta["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kept_cheaper"] == point(chosen))
        .expect("a round kept the chosen plan beyond the half");
    let n = round["replicates"].as_u64().unwrap() as usize;
    let m = round["candidates"].as_u64().unwrap() as usize;
    let (_, runs) = read_csv(&out.join("optimise_runs.csv"));
    let mut means: Vec<(f64, u64)> = rows
        .iter()
        .map(point)
        .filter_map(|p| {
            let v: Vec<f64> = runs
                .iter()
                .filter(|r| r[0] == p.to_string() && r[1].parse::<usize>().unwrap() < n)
                .map(|r| r[2].parse().unwrap())
                .collect();
            (v.len() == n).then(|| (v.iter().sum::<f64>() / n as f64, p))
        })
        .collect();
    assert_eq!(means.len(), m, "{means:?}");
    means.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let rank = means.iter().position(|x| x.1 == point(chosen)).unwrap();
    let half = (m - m / 2).max(1);
    assert!(rank >= half, "rank {rank} of {m} at {n} replicates: {means:?}");
}

#[test]
fn the_halving_keeps_the_cheapest_plan_not_clearly_worse_and_at_most_one_more() {
    use siege::experiment::optimise::halve;
    use std::cmp::Ordering;
    // Candidates 0…5 ranked by mean, 0 the leader; candidate c costs `cost[c]`.
    let ranked = [0, 1, 2, 3, 4, 5];
    let cost: [f64; 6] = [9.0, 9.0, 9.0, 4.0, 2.0, 2.0];
    let cheaper = |a: usize, b: usize| -> Ordering { cost[a].total_cmp(&cost[b]) };
    let none = |_: usize| false;
    // The half by mean (0, 1, 2), and the cheapest tied plan, 4 (before 5, as cheap, by mean).
    let h = halve(&ranked, 1, &none, &cheaper);
    assert_eq!(
        (h.stay, h.gone, h.kept_cheaper),
        (vec![0, 1, 2, 4], vec![3, 5], Some(4))
    );
    // A cheap plan clearly worse than the leader is not kept; the next cheapest that is not is.
    let worse = |c: usize| c >= 4;
    let h = halve(&ranked, 1, &worse, &cheaper);
    assert_eq!(
        (h.stay, h.gone, h.kept_cheaper),
        (vec![0, 1, 2, 3], vec![4, 5], Some(3))
    );
    // Racing still drops a clearly worse plan inside the half; the cheapest of the rest stays.
    let one_worse = |c: usize| c == 2 || c == 4 || c == 5;
    let h = halve(&ranked, 1, &one_worse, &cheaper);
    assert_eq!(
        (h.stay, h.gone, h.kept_cheaper),
        (vec![0, 1, 3], vec![2, 4, 5], Some(3))
    );
    // When the half already holds the cheapest tied plan, nothing more stays.
    let cost_in_half: [f64; 6] = [9.0, 1.0, 9.0, 4.0, 2.0, 2.0];
    let cheaper = |a: usize, b: usize| -> Ordering { cost_in_half[a].total_cmp(&cost_in_half[b]) };
    let h = halve(&ranked, 1, &none, &cheaper);
    assert_eq!((h.stay, h.gone, h.kept_cheaper), (vec![0, 1, 2], vec![3, 4, 5], None));
}
