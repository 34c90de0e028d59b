//! Reliability of results, output side (issue 22): one test or more per class — results
//! identified by content, one writer per output directory, whole replacement by `--force`,
//! exclusive temporary files, names and roots refused, truncated shards refused.

mod common;
use assert_cmd::Command;
use common::column;
use std::path::Path;

const SCENARIO: &str = r#"
[simulation]
name = "reliable"
days = 8
seed = 4
replicates = 2
[population]
size = 120
"#;

fn siege(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("siege").unwrap();
    c.current_dir(dir);
    c
}

fn with_scenario() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    dir
}

fn stderr_of(c: &mut Command) -> String {
    let o = c.output().unwrap();
    assert!(
        !o.status.success(),
        "expected a refusal; stdout:\n{}",
        String::from_utf8_lossy(&o.stdout)
    );
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// Class 1: run.json names the resolved scenario by digest, equal under another path and after
/// an `extends` that adds nothing, different when a base changes.
#[test]
fn results_carry_the_scenario_digest_and_model_build() {
    let dir = with_scenario();
    let d = dir.path();
    std::fs::create_dir(d.join("sub")).unwrap();
    std::fs::write(d.join("sub/v.toml"), "extends = \"../s.toml\"\n").unwrap();
    siege(d)
        .args(["run", "s.toml", "--out", "a", "--no-charts"])
        .assert()
        .success();
    siege(d)
        .args(["run", "sub/v.toml", "--out", "b", "--no-charts"])
        .assert()
        .success();
    let (a, b) = (json(&d.join("a/run.json")), json(&d.join("b/run.json")));
    let digest = a["scenario_digest"].as_str().unwrap();
    assert_eq!(digest.len(), 64, "{digest}");
    assert_eq!(a["scenario_digest"], b["scenario_digest"]);
    assert_eq!(a["model_build"].as_str().unwrap().len(), 64);
    // The base changes: the variant's digest changes with it.
    std::fs::write(d.join("s.toml"), SCENARIO.replace("size = 120", "size = 121")).unwrap();
    siege(d)
        .args(["run", "sub/v.toml", "--out", "c", "--no-charts"])
        .assert()
        .success();
    assert_ne!(json(&d.join("c/run.json"))["scenario_digest"], b["scenario_digest"]);
}

/// Class 1: `--resume` after the scenario (here its base) changed is refused, naming the digest.
#[test]
fn resume_refuses_a_changed_scenario_and_accepts_another_path_to_the_same_one() {
    let dir = with_scenario();
    let d = dir.path();
    std::fs::write(d.join("v.toml"), "extends = \"s.toml\"\n").unwrap();
    let vary = ["--vary", "population.size=100,120", "--no-charts"];
    siege(d)
        .args(["sweep", "v.toml", "--out", "w", "--shard", "0/2"])
        .args(vary)
        .assert()
        .success();
    // Make it look interrupted: the finished shard's identity becomes the partial one.
    std::fs::rename(d.join("w/sweep.json"), d.join("w/sweep.partial.json")).unwrap();
    std::fs::rename(d.join("w/sweep.csv"), d.join("w/sweep.csv.partial")).unwrap();
    std::fs::write(d.join("s.toml"), SCENARIO.replace("days = 8", "days = 9")).unwrap();
    let e = stderr_of(
        siege(d)
            .args(["sweep", "v.toml", "--out", "w", "--shard", "0/2", "--resume"])
            .args(vary),
    );
    assert!(e.contains("scenario_digest"), "{e}");
    // Restored, and named by another path: the same sweep resumes.
    std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
    let abs = d.join("v.toml");
    siege(d)
        .args([
            "sweep",
            abs.to_str().unwrap(),
            "--out",
            "w",
            "--shard",
            "0/2",
            "--resume",
        ])
        .args(vary)
        .assert()
        .success();
    // The other shard by `./v.toml`: the two merge.
    siege(d)
        .args(["sweep", "./v.toml", "--out", "x", "--shard", "1/2"])
        .args(vary)
        .assert()
        .success();
    siege(d)
        .args(["merge", "w", "x", "--out", "m", "--no-charts"])
        .assert()
        .success();
    // A shard of another scenario content is refused by merge.
    std::fs::write(d.join("s.toml"), SCENARIO.replace("days = 8", "days = 9")).unwrap();
    siege(d)
        .args(["sweep", "v.toml", "--out", "y", "--shard", "1/2"])
        .args(vary)
        .assert()
        .success();
    let e = stderr_of(siege(d).args(["merge", "w", "y", "--out", "m2", "--no-charts"]));
    assert!(e.contains("scenario_digest"), "{e}");
}

/// Class 1: a shard from other code (a different model_build) is refused by merge.
#[test]
fn merge_refuses_a_shard_of_another_model_build() {
    let dir = with_scenario();
    let d = dir.path();
    let vary = ["--vary", "population.size=100,120", "--no-charts"];
    siege(d)
        .args(["sweep", "s.toml", "--out", "w", "--shard", "0/2"])
        .args(vary)
        .assert()
        .success();
    siege(d)
        .args(["sweep", "s.toml", "--out", "x", "--shard", "1/2"])
        .args(vary)
        .assert()
        .success();
    let p = d.join("x/sweep.json");
    let mut meta = json(&p);
    meta["model_build"] = serde_json::Value::String("0".repeat(64));
    std::fs::write(&p, serde_json::to_string_pretty(&meta).unwrap()).unwrap();
    let e = stderr_of(siege(d).args(["merge", "w", "x", "--out", "m", "--no-charts"]));
    assert!(e.contains("model_build"), "{e}");
}

/// Class 2: while another process holds `<out>/.siege.lock`, run, sweep and compare into it fail
/// at once with a clear message and leave no results.
#[test]
fn a_locked_output_directory_is_refused() {
    let dir = with_scenario();
    let d = dir.path();
    std::fs::create_dir(d.join("out")).unwrap();
    // The lock is held by this test process, another process than the siege below.
    let f = std::fs::File::create(d.join("out/.siege.lock")).unwrap();
    f.try_lock().unwrap();
    for args in [
        vec!["run", "s.toml"],
        vec!["sweep", "s.toml", "--vary", "population.size=100,120"],
        vec!["compare", "s.toml", "s.toml"],
    ] {
        let e = stderr_of(siege(d).args(&args).args(["--out", "out", "--no-charts"]));
        assert!(
            e.contains("another siege process") && e.contains("out"),
            "{args:?}: {e}"
        );
    }
    assert!(!d.join("out/run.json").exists() && !d.join("out/timeseries.csv").exists());
    drop(f);
    siege(d)
        .args(["run", "s.toml", "--out", "out", "--no-charts"])
        .assert()
        .success();
}

/// Class 3: `run --force` replaces the result as a whole: the previous run's charts and files are
/// gone, a file the user put there stays, nothing is left beside it.
#[test]
fn force_replaces_a_result_as_a_whole_and_keeps_the_users_files() {
    let dir = with_scenario();
    let d = dir.path();
    siege(d)
        .args(["run", "s.toml", "--out", "out", "--format", "svg"])
        .assert()
        .success();
    assert!(d.join("out/charts").is_dir());
    std::fs::write(d.join("out/notes.txt"), "mine").unwrap();
    std::fs::write(d.join("out/charts/stale.svg"), "old").unwrap();
    siege(d)
        .args(["run", "s.toml", "--out", "out", "--force", "--seed", "9", "--no-charts"])
        .assert()
        .success();
    assert!(!d.join("out/charts").exists(), "old charts survived --force");
    assert_eq!(std::fs::read_to_string(d.join("out/notes.txt")).unwrap(), "mine");
    assert_eq!(json(&d.join("out/run.json"))["seed"], 9);
    let beside: Vec<String> = std::fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(beside.is_empty(), "left beside the result: {beside:?}");
}

/// Class 3: `compare` does not overwrite `<out>/scenarios/<name>/` without --force.
#[test]
fn compare_refuses_to_overwrite_its_runs_without_force() {
    let dir = with_scenario();
    let d = dir.path();
    std::fs::create_dir_all(d.join("out/scenarios/reliable")).unwrap();
    std::fs::write(d.join("out/scenarios/reliable/run.json"), "precious").unwrap();
    let e = stderr_of(siege(d).args(["compare", "s.toml", "s.toml", "--out", "out", "--no-charts"]));
    assert!(e.contains("already holds results") && e.contains("scenarios"), "{e}");
    assert_eq!(
        std::fs::read_to_string(d.join("out/scenarios/reliable/run.json")).unwrap(),
        "precious"
    );
    siege(d)
        .args(["compare", "s.toml", "s.toml", "--out", "out", "--no-charts", "--force"])
        .assert()
        .success();
    assert!(d.join("out/scenarios/reliable_2/run.json").is_file());
    assert_ne!(
        std::fs::read_to_string(d.join("out/scenarios/reliable/run.json")).unwrap(),
        "precious"
    );
}

/// Class 4: temporary names are not the old predictable ones, so planted symlinks of those names
/// are never written through; a planted lock symlink is refused.
#[test]
fn planted_symlinks_are_never_followed() {
    let dir = with_scenario();
    let d = dir.path();
    std::fs::create_dir(d.join("out")).unwrap();
    std::fs::write(d.join("victim"), "untouched").unwrap();
    // Every pid a run could get is too many to plant; the old names used the pid, so plant a
    // range of them and check none is written through.
    for name in ["timeseries.csv", "run.json", "summary.csv", "locations.csv"] {
        for pid in 0..64u32 {
            std::os::unix::fs::symlink(d.join("victim"), d.join(format!("out/.{name}.partial-{pid}"))).unwrap();
        }
    }
    siege(d)
        .args(["run", "s.toml", "--out", "out", "--format", "svg"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(d.join("victim")).unwrap(), "untouched");
    std::fs::create_dir(d.join("out2")).unwrap();
    std::os::unix::fs::symlink(d.join("victim"), d.join("out2/.siege.lock")).unwrap();
    let e = stderr_of(siege(d).args(["run", "s.toml", "--out", "out2", "--no-charts"]));
    assert!(e.contains(".siege.lock") && e.contains("not a regular file"), "{e}");
    assert_eq!(std::fs::read_to_string(d.join("victim")).unwrap(), "untouched");
}

/// Class 5: an experiment name that is a path, an output root and `simulation.*` in --vary are
/// refused before any work.
#[test]
fn paths_as_names_roots_and_simulation_axes_are_refused() {
    let dir = with_scenario();
    let d = dir.path();
    for name in ["../../x", "/tmp/x", ".hidden", "a/b"] {
        let exp =
            format!("[experiment]\nname = {name:?}\nscenario = \"s.toml\"\nvary = [\"population.size=100,120\"]\n");
        std::fs::write(d.join("e.toml"), exp).unwrap();
        let e = stderr_of(siege(d).args(["sweep", "e.toml", "--no-charts"]));
        assert!(e.contains("experiment.name"), "{name}: {e}");
    }
    assert!(!d.join("output").exists());
    let e = stderr_of(siege(d).args(["run", "s.toml", "--out", "/", "--no-charts"]));
    assert!(e.contains("root"), "{e}");
    for key in [
        "simulation.replicates=2,50",
        "simulation.seed=1..2",
        "simulation.days=5,6",
    ] {
        let e = stderr_of(siege(d).args(["sweep", "s.toml", "--vary", key, "--no-charts"]));
        assert!(e.contains("[simulation]"), "{key}: {e}");
    }
}

/// Class 6: a shard whose sweep.csv was cut short inside its last field is refused by merge.
#[test]
fn merge_refuses_a_truncated_shard() {
    let dir = with_scenario();
    let d = dir.path();
    let vary = ["--vary", "population.size=100,120", "--no-charts"];
    siege(d)
        .args(["sweep", "s.toml", "--out", "w", "--shard", "0/2"])
        .args(vary)
        .assert()
        .success();
    siege(d)
        .args(["sweep", "s.toml", "--out", "x", "--shard", "1/2"])
        .args(vary)
        .assert()
        .success();
    let p = d.join("x/sweep.csv");
    let bytes = std::fs::read(&p).unwrap();
    std::fs::write(&p, &bytes[..bytes.len() - 2]).unwrap();
    let e = stderr_of(siege(d).args(["merge", "w", "x", "--out", "m", "--no-charts"]));
    assert!(e.contains("truncated"), "{e}");
    assert!(!d.join("m/sweep.csv").exists());
}

/// Class 9: a statistic over nobody is an empty cell, never 0 — the under-5 shares once every
/// child is killed, and every share, mean and rate once nobody is left; the summary's peaks skip
/// the empty days and are empty when no day had a value.
#[test]
fn statistics_over_nobody_are_empty_never_zero() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let scenario = r#"
[simulation]
name = "nobody"
days = 35
seed = 4
replicates = 1
[population]
size = 150
[[events]]
day = 1
kind = "killing"
n = 1000
group = "children"
[[events]]
day = 3
kind = "killing"
n = 1000
"#;
    std::fs::write(d.join("s.toml"), scenario).unwrap();
    siege(d)
        .args(["run", "s.toml", "--out", "r", "--no-charts"])
        .assert()
        .success();
    let ts = d.join("r/timeseries.csv");
    let gam = column(&ts, "gam_pct");
    // Day 0 has children: a number. Day 1 on, none is left: empty.
    assert!(gam[0].parse::<f64>().is_ok(), "{gam:?}");
    assert!(gam[1..].iter().all(String::is_empty), "{gam:?}");
    assert!(column(&ts, "sam_pct")[1..].iter().all(String::is_empty));
    assert!(column(&ts, "u5dr_per_10k")[2..].iter().all(String::is_empty));
    // Day 3 on, nobody is left.
    for name in [
        "mean_adult_bmi",
        "mean_intake_kcal",
        "adult_bmi_lt_18_5_pct",
        "food_days",
        "food_days_away",
        "cdr_per_10k",
    ] {
        let cells = column(&ts, name);
        assert!(cells[4..].iter().all(String::is_empty), "{name}: {cells:?}");
    }
    // The dead hold no food: the households' stocks leave `food_kcal` with their last member.
    let food = column(&ts, "food_kcal");
    assert!(food[0].parse::<f64>().unwrap() > 0.0, "{food:?}");
    assert!(food[4..].iter().all(|c| c.parse::<f64>() == Ok(0.0)), "{food:?}");
    // A whole 30-day window with nobody at risk is not classified (0), never phase 1.
    let ipc = column(&ts, "ipc_phase30");
    assert_eq!(ipc[34], "0", "{ipc:?}");
    // No 30-day window has deaths of nobody: the male share is empty, not 0.
    assert_eq!(column(&ts, "male_deaths30_pct")[0], "", "no death on day 0");
    let summary = d.join("r/summary.csv");
    let peak = column(&summary, "peak_gam_pct");
    assert!(peak[0].parse::<f64>().unwrap() >= 0.0, "{peak:?}");
    assert!(!column(&summary, "min_mean_adult_bmi")[0].is_empty());
    // Nothing anywhere reads NaN.
    for f in ["timeseries.csv", "summary.csv", "locations.csv"] {
        let mut r = csv::Reader::from_path(d.join("r").join(f)).unwrap();
        for rec in r.records() {
            let rec = rec.unwrap();
            assert!(
                rec.iter().all(|c| !c.contains("NaN") && !c.contains("inf")),
                "{f}: {rec:?}"
            );
        }
    }
}

/// Class 9: a summary peak over no day with a value (a run shorter than the 30-day window) is
/// empty, never 0; a sweep's statistics over the replicates leave such replicates out.
#[test]
fn a_peak_over_no_whole_window_is_empty() {
    let dir = with_scenario();
    let d = dir.path();
    siege(d)
        .args(["run", "s.toml", "--out", "r", "--no-charts"])
        .assert()
        .success();
    let peak = column(&d.join("r/summary.csv"), "peak_cdr30_per_10k");
    assert_eq!(peak, vec!["".to_string(), "".to_string()]);
    siege(d)
        .args([
            "sweep",
            "s.toml",
            "--vary",
            "population.size=100,120",
            "--out",
            "w",
            "--no-charts",
        ])
        .assert()
        .success();
    let text = std::fs::read_to_string(d.join("w/sweep.csv")).unwrap();
    assert!(!text.contains("NaN"), "{text}");
}

/// Class 10: free text from a facts file reaches check.csv and the terminal: a cell a spreadsheet
/// would run is neutralised (a leading `'`), and escape sequences are shown, not executed.
#[test]
fn free_text_from_facts_is_neither_a_formula_nor_an_escape() {
    let dir = with_scenario();
    let d = dir.path();
    let facts = "id,day,date,quantity,metric,value,kind,tolerance,source\n\
                 \"\u{1b}[2Jwipe\",3,,\"=cmd|' /C calc'!A0\",n_alive,\"@SUM(1)\",outcome,100-130,\"+x\"\n\
                 plain,2,,\"-2+3\",cdr_per_10k,-3,input,,\n";
    std::fs::write(d.join("f.csv"), facts).unwrap();
    let o = siege(d)
        .args(["check", "s.toml", "--facts", "f.csv", "--out", "c", "--no-charts"])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.code().is_some(), "{stdout}");
    assert!(!stdout.contains('\u{1b}'), "an escape reached the terminal:\n{stdout}");
    assert!(stdout.contains("\\u{1b}[2Jwipe"), "{stdout}");
    let mut r = csv::Reader::from_path(d.join("c/check.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    let cells: Vec<&str> = rows.iter().flat_map(|r| r.iter()).collect();
    for cell in &cells {
        assert!(
            !(cell.starts_with(['=', '+', '@']) || (cell.starts_with('-') && cell.parse::<f64>().is_err())),
            "a cell a spreadsheet would run: {cell:?} in {cells:?}"
        );
    }
    assert!(cells.contains(&"'=cmd|' /C calc'!A0"), "{cells:?}");
    assert!(cells.contains(&"'@SUM(1)"), "{cells:?}");
    assert!(cells.contains(&"-3"), "a number stays a number: {cells:?}");
}

/// Class 9: a shard whose rows were changed after it was written (a forged number, the line
/// ending kept) is refused by merge through its rows_digest.
#[test]
fn merge_refuses_a_forged_shard() {
    let dir = with_scenario();
    let d = dir.path();
    let vary = ["--vary", "population.size=100,120", "--no-charts"];
    for (out, shard) in [("w", "0/2"), ("x", "1/2")] {
        siege(d)
            .args(["sweep", "s.toml", "--out", out, "--shard", shard])
            .args(vary)
            .assert()
            .success();
    }
    siege(d)
        .args(["merge", "w", "x", "--out", "good", "--no-charts"])
        .assert()
        .success();
    let p = d.join("x/sweep.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    let i = 4; // deaths_total, after point, replicate, seed and the varied key
    cells[i] = (cells[i].parse::<u64>().unwrap() + 1).to_string();
    lines[1] = cells.join(",");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let e = stderr_of(siege(d).args(["merge", "w", "x", "--out", "m", "--no-charts"]));
    assert!(e.contains("forged") && e.contains("rows_digest"), "{e}");
    assert!(!d.join("m/sweep.csv").exists());
}

/// Unmounts a test filesystem when dropped.
struct Mounted(std::path::PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg(&self.0).status();
    }
}

/// Class 4: `run --force` on a full filesystem fails with a clear error and leaves the previous
/// result whole (every file as it was, nothing half-written beside it). Needs a small tmpfs: where
/// the machine does not allow mounting one (not root, no privilege), skipped with a message.
#[test]
fn a_full_filesystem_leaves_the_previous_result_whole() {
    let dir = with_scenario();
    let d = dir.path();
    let mnt = d.join("small");
    std::fs::create_dir(&mnt).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(&mnt)
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        eprintln!("skipped: cannot mount a small tmpfs here (needs root); the full-filesystem case is not tested");
        return;
    }
    let _guard = Mounted(mnt.clone());
    let out = mnt.join("out");
    siege(d)
        .args(["run", "s.toml", "--no-charts", "--out"])
        .arg(&out)
        .assert()
        .success();
    let before: Vec<(String, Vec<u8>)> = ["run.json", "timeseries.csv", "summary.csv", "locations.csv"]
        .iter()
        .map(|f| (f.to_string(), std::fs::read(out.join(f)).unwrap()))
        .collect();
    // Fill what is left of the filesystem.
    {
        use std::io::Write;
        let mut filler = std::fs::File::create(mnt.join("filler")).unwrap();
        let block = vec![0u8; 4096];
        while filler.write_all(&block).is_ok() {}
        let _ = filler.sync_all();
    }
    let bigger = SCENARIO
        .replace("size = 120", "size = 3000")
        .replace("days = 8", "days = 60");
    std::fs::write(d.join("big.toml"), bigger).unwrap();
    let e = stderr_of(
        siege(d)
            .args(["run", "big.toml", "--no-charts", "--force", "--out"])
            .arg(&out),
    );
    assert!(!e.contains("panicked"), "{e}");
    assert!(e.contains("No space") || e.contains("space"), "{e}");
    for (f, bytes) in &before {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), bytes, "{f} changed");
    }
    let leftovers: Vec<String> = std::fs::read_dir(&mnt)
        .unwrap()
        .chain(std::fs::read_dir(&out).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".new-") || n.contains(".partial-") || n.contains(".old-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Class 9: `plot` refuses daily rows that the run of run.json cannot have (a day beyond its
/// days, a replicate beyond its replicates, another seed) instead of drawing them.
#[test]
fn plot_refuses_rows_that_are_not_the_runs() {
    let dir = with_scenario();
    let d = dir.path();
    siege(d)
        .args(["run", "s.toml", "--out", "r", "--no-charts"])
        .assert()
        .success();
    let p = d.join("r/timeseries.csv");
    let text = std::fs::read_to_string(&p).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let mut cells: Vec<String> = lines[2].split(',').map(str::to_string).collect();
    cells[2] = "900".into(); // the day column, in a run of 8 days
    lines[2] = cells.join(",");
    std::fs::write(&p, lines.join("\n") + "\n").unwrap();
    let e = stderr_of(siege(d).args(["plot", "r"]));
    assert!(e.contains("day 900") && e.contains("timeseries.csv:3"), "{e}");
    let drawn = std::fs::read_dir(d.join("r/charts")).map_or(0, |entries| entries.count());
    assert_eq!(drawn, 0, "a chart was drawn from rows that are not the run's");
}

/// Class 9: `--resume` drops a row for a grid point that does not exist (a forged or foreign
/// row in sweep.csv.partial) instead of keeping it.
#[test]
fn resume_drops_a_row_for_a_point_that_does_not_exist() {
    let dir = with_scenario();
    let d = dir.path();
    let vary = ["--vary", "population.size=100,120", "--no-charts"];
    siege(d)
        .args(["sweep", "s.toml", "--out", "w"])
        .args(vary)
        .assert()
        .success();
    let whole = std::fs::read_to_string(d.join("w/sweep.csv")).unwrap();
    // An interrupted sweep: its partial file and meta, plus a forged row for point 7.
    std::fs::create_dir(d.join("v")).unwrap();
    let json = std::fs::read_to_string(d.join("w/sweep.json")).unwrap();
    std::fs::write(d.join("v/sweep.partial.json"), json).unwrap();
    let mut lines: Vec<&str> = whole.lines().take(2).collect();
    let forged = lines[1].replacen("0,", "7,", 1);
    lines.push(&forged);
    std::fs::write(d.join("v/sweep.csv.partial"), lines.join("\n") + "\n").unwrap();
    siege(d)
        .args(["sweep", "s.toml", "--out", "v", "--resume"])
        .args(vary)
        .assert()
        .success();
    let resumed = std::fs::read_to_string(d.join("v/sweep.csv")).unwrap();
    assert_eq!(resumed, whole, "the resumed sweep kept a row it should not have");
}
