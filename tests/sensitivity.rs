//! `siege sensitivity` (issue 20, item 4): the estimators on functions with known indices, and the
//! command on a tiny world — byte-identical whatever the thread count, a decision's output the
//! paired difference, bad input refused all at once.

use assert_cmd::Command;
use siege::experiment::sensitivity::{morris_design, morris_indices, saltelli_design, sobol_indices};
use std::f64::consts::PI;
use std::path::Path;

/// The Ishigami function, a = 7, b = 0.1, of x uniform on [−π, π]³ given as the unit cube (any
/// coordinates past the third are ignored: dead parameters).
fn ishigami(u: &[f64]) -> f64 {
    let x: Vec<f64> = u.iter().take(3).map(|v| -PI + 2.0 * PI * v).collect();
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

/// Analytic indices of Ishigami (a = 7, b = 0.1): V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
fn ishigami_indices() -> ([f64; 3], [f64; 3]) {
    let (a, b) = (7.0f64, 0.1f64);
    let v1 = 0.5 * (1.0 + b * PI.powi(4) / 5.0).powi(2);
    let v2 = a * a / 8.0;
    let v13 = b * b * PI.powi(8) * (1.0 / 18.0 - 1.0 / 50.0);
    let v = v1 + v2 + v13;
    ([v1 / v, v2 / v, 0.0], [(v1 + v13) / v, v2 / v, v13 / v])
}

/// With N = 2048 base samples (10,240 evaluations) every index is within 0.03 of its analytic
/// value (S1 ≈ 0.314, 0.442, 0; ST ≈ 0.558, 0.442, 0.244) and inside its 95 % bootstrap interval.
#[test]
fn sobol_indices_of_ishigami_are_within_0_03_of_the_analytic_values() {
    let (s1, st) = ishigami_indices();
    assert!((s1[0] - 0.314).abs() < 1e-3 && (st[2] - 0.244).abs() < 1e-3);
    let n = 2048;
    let design = saltelli_design(3, n);
    let y: Vec<f64> = design.iter().map(|p| ishigami(&p.unit)).collect();
    let idx = sobol_indices(&y, 3, n as usize, 500, 42);
    for i in 0..3 {
        let (e1, et) = (idx[i].s1, idx[i].st);
        assert!((e1.value - s1[i]).abs() < 0.03, "S1[{i}] {e1:?}, expected {}", s1[i]);
        assert!((et.value - st[i]).abs() < 0.03, "ST[{i}] {et:?}, expected {}", st[i]);
        assert!(
            e1.lo <= s1[i] && s1[i] <= e1.hi,
            "S1[{i}] interval {e1:?} misses {}",
            s1[i]
        );
        assert!(
            et.lo <= st[i] && st[i] <= et.hi,
            "ST[{i}] interval {et:?} misses {}",
            st[i]
        );
        assert!(et.hi - et.lo < 0.15 && e1.hi - e1.lo < 0.15, "{e1:?} {et:?}");
    }
}

/// Morris on Ishigami with a fourth, dead parameter: its μ* and σ are exactly 0; x3 acts only
/// through its interaction with x1 (μ ≈ 0 but σ > 0); all three live parameters have μ* > 0.
#[test]
fn morris_screens_out_a_dead_parameter() {
    let design = morris_design(4, 50, 4, 3);
    let y: Vec<f64> = design.iter().map(|p| ishigami(&p.unit)).collect();
    let m = morris_indices(&design, &y, 4, 200, 3);
    assert_eq!((m[3].mu_star.value, m[3].sigma), (0.0, 0.0), "{m:?}");
    for (i, mi) in m.iter().take(3).enumerate() {
        assert!(mi.mu_star.value > 1.0 && mi.sigma > 0.0, "parameter {i}: {mi:?}");
    }
    // x3 has no effect on its own: its signed effects cancel, its absolute ones do not.
    assert!(m[2].mu.abs() < 0.5 * m[2].mu_star.value, "{:?}", m[2]);
}

fn siege() -> Command {
    Command::cargo_bin("siege").unwrap()
}

/// A tiny world with three uncertain parameters (one of them a whole number of days).
fn tiny(dir: &Path, uncertain: bool) -> std::path::PathBuf {
    let base = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/village_cutoff.toml");
    let mut text = format!(
        "extends = {base:?}\n[simulation]\nname = \"tiny\"\ndays = 30\nreplicates = 2\n[population]\nsize = 400\n"
    );
    if uncertain {
        text.push_str(
            "[[uncertain]]\nkey = \"food.stock_days_mean\"\ndistribution = \"uniform\"\nlow = 4.0\nhigh = 20.0\n\
             [[uncertain]]\nkey = \"siege.interception_probability\"\ndistribution = \"normal\"\nmean = 0.1\nsd = 0.05\nlow = 0.0\nhigh = 0.3\n\
             [[uncertain]]\nkey = \"airdrops.0.day\"\ndistribution = \"triangular\"\nlow = 3\nmode = 10\nhigh = 25\n",
        );
    }
    let path = dir.join(if uncertain { "tiny.toml" } else { "plain.toml" });
    std::fs::write(&path, text).unwrap();
    path
}

fn read(p: impl AsRef<Path>) -> String {
    std::fs::read_to_string(p.as_ref()).unwrap_or_else(|e| panic!("{}: {e}", p.as_ref().display()))
}

#[test]
fn the_command_writes_the_same_files_on_1_and_2_threads() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tiny(tmp.path(), true);
    for method in ["sobol", "morris"] {
        let mut outs = Vec::new();
        for threads in ["1", "2"] {
            let out = tmp.path().join(format!("{method}-{threads}"));
            siege()
                .env("RAYON_NUM_THREADS", threads)
                .args([
                    "sensitivity",
                    "--method",
                    method,
                    "--samples",
                    "4",
                    "--bootstrap",
                    "50",
                    "--no-charts",
                ])
                .arg(&scenario)
                .arg("--out")
                .arg(&out)
                .assert()
                .success();
            outs.push(out);
        }
        for file in ["sensitivity.csv", "samples.csv"] {
            assert_eq!(
                read(outs[0].join(file)),
                read(outs[1].join(file)),
                "{method}: {file} differs between 1 and 2 threads"
            );
        }
        let csv = read(outs[0].join("sensitivity.csv"));
        assert_eq!(csv.lines().count(), 4, "{csv}");
        let samples = read(outs[0].join("samples.csv"));
        let points = if method == "sobol" { 4 * 5 } else { 4 * 4 };
        assert_eq!(samples.lines().count(), 1 + points, "{samples}");
        assert!(
            samples.starts_with(
                "sample,group,role,food.stock_days_mean,siege.interception_probability,airdrops.0.day,plan,versus,output\n"
            ),
            "{samples}"
        );
        let json = read(outs[0].join("sensitivity.json"));
        assert!(json.contains(&format!("\"method\": \"{method}\"")), "{json}");
        assert!(json.contains("\"scenario_digest\""), "{json}");
    }
}

/// With `--versus-set` the output of each sample is the plan's mean minus the versus plan's, both
/// run at the same parameter values and on the same replicate streams; a versus plan identical to
/// the plan leaves nothing to explain (every output 0).
#[test]
fn a_decision_is_the_paired_difference_at_each_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = tiny(tmp.path(), true);
    let out = tmp.path().join("decision");
    siege()
        .args([
            "sensitivity",
            "--samples",
            "3",
            "--no-charts",
            "--versus-set",
            "airdrops.0.sorties=1",
        ])
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "deaths_total of tiny minus tiny with airdrops.0.sorties=1",
        ));
    let samples = read(out.join("samples.csv"));
    let mut nonzero = 0;
    for line in samples.lines().skip(1) {
        let cells: Vec<f64> = line.rsplit(',').take(3).map(|c| c.parse().unwrap()).collect();
        let (output, versus, plan) = (cells[0], cells[1], cells[2]);
        assert_eq!(output, plan - versus, "{line}");
        nonzero += usize::from(output != 0.0);
    }
    assert!(nonzero > 0, "the airdrop changes deaths somewhere: {samples}");
    let same = tmp.path().join("same");
    siege()
        .args([
            "sensitivity",
            "--samples",
            "2",
            "--no-charts",
            "--versus-set",
            "airdrops.0.sorties=3",
        ])
        .arg(&scenario)
        .arg("--out")
        .arg(&same)
        .assert()
        .success();
    let samples = read(same.join("samples.csv"));
    assert!(samples.lines().skip(1).all(|l| l.ends_with(",0")), "{samples}");
}

#[test]
fn bad_input_is_refused_with_every_problem_at_once() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tiny(tmp.path(), false);
    let out = tmp.path().join("never");
    let assert = siege()
        .args([
            "sensitivity",
            "--outcome",
            "deaths_everywhere",
            "--levels",
            "3",
            "--no-charts",
        ])
        .arg(&plain)
        .args([
            "--versus",
            "missing.toml",
            "--versus-set",
            "airdrops.0.sorties=0",
            "--out",
        ])
        .arg(&out)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    for needle in [
        "--outcome \"deaths_everywhere\"",
        "--levels 3",
        "not both",
        "missing.toml",
        "no [[uncertain]] entries",
    ] {
        assert!(err.contains(needle), "missing {needle:?} in: {err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    assert!(!out.exists(), "a refused analysis creates no directory");
    // A versus plan with other uncertain entries cannot be paired.
    let scenario = tiny(tmp.path(), true);
    let assert = siege()
        .args(["sensitivity", "--no-charts", "--versus"])
        .arg(&plain)
        .arg(&scenario)
        .arg("--out")
        .arg(&out)
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("same [[uncertain]] entries"), "{err}");
}

/// "How much does the plan avert, and which assumptions change that?": the plan against doing
/// nothing (`--versus-set 'airdrops=[]'`) while `[[uncertain]]` names the plan's first airdrop.
/// That entry is not applied to the versus plan, which has no airdrop, and says so; every other
/// entry is applied to both. The plan without the entry's element is refused as before.
#[test]
fn a_plan_against_doing_nothing_draws_the_plan_s_airdrop_keys_for_the_plan_only() {
    let tmp = tempfile::tempdir().unwrap();
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/farabougou_sensitivity.toml");
    let out = tmp.path().join("nothing");
    let assert = siege()
        .args([
            "sensitivity",
            scenario,
            "--samples",
            "2",
            "--replicates",
            "3",
            "--no-charts",
        ])
        .args(["--set", "simulation.days=30", "--versus-set", "airdrops=[]", "--out"])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).to_string();
    assert!(
        stdout.contains("drawn for this plan only (it has no element they name): airdrops.0.usable_fraction\n"),
        "{stdout}"
    );
    assert!(
        stdout.contains("lower in farabougou_sensitivity than in farabougou_sensitivity with airdrops=[]"),
        "the drops avert deaths: {stdout}"
    );
    let json = read(out.join("sensitivity.json"));
    assert!(
        json.contains("\"versus_not_applied\": [\n    \"airdrops.0.usable_fraction\"\n  ]"),
        "{json}"
    );
    let samples = read(out.join("samples.csv"));
    let rows: Vec<Vec<&str>> = samples.lines().skip(1).map(|l| l.split(',').collect()).collect();
    let n = rows[0].len();
    let versus = |r: &[&str]| r[n - 2].parse::<f64>().unwrap();
    let (mut other_steps_move_versus, mut steps) = (false, 0);
    for (i, r) in rows.iter().enumerate() {
        // The versus plan never sees the usable fraction: a step in it leaves its output alone.
        if r[2] == "step:airdrops.0.usable_fraction" {
            assert_eq!(versus(r), versus(&rows[i - 1]), "{r:?}");
            steps += 1;
        } else if r[2].starts_with("step:") && versus(r) != versus(&rows[i - 1]) {
            other_steps_move_versus = true;
        }
        assert!(r[n - 3].parse::<f64>().unwrap() <= versus(r) + 10.0, "{r:?}");
    }
    assert_eq!(steps, 2);
    assert!(
        other_steps_move_versus,
        "the other entries are applied to the versus plan: {samples}"
    );
    // Only the versus plan may lack what an entry names.
    let assert = siege()
        .args(["sensitivity", scenario, "--no-charts", "--set", "airdrops=[]", "--out"])
        .arg(tmp.path().join("never"))
        .assert()
        .failure();
    let err = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(err.contains("uncertain.4") && err.contains("no element there"), "{err}");
}
