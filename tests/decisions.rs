//! Decision metrics (issue 20 item 1): paired differences against a baseline with `compare
//! --baseline` and `sweep --baseline`, deaths averted by horizon days.

mod common;
use assert_cmd::Command;
use common::{col, compare_farabougou_with_baseline, read_csv};
use siege::experiment::{self, decision};
use std::path::Path;

fn siege() -> Command {
    Command::cargo_bin("siege").unwrap()
}

/// What `siege ARGS` says on stderr, failing.
fn failure(args: &[&str]) -> String {
    let o = siege().args(args).assert().failure().get_output().clone();
    String::from_utf8(o.stderr).unwrap()
}

#[test]
fn a_scenario_against_itself_differs_by_exactly_zero() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    siege()
        .args([
            "compare",
            "scenarios/village_cutoff.toml",
            "scenarios/village_cutoff.toml",
            "--baseline",
            "village_cutoff",
            "--horizons",
            "20,40",
            "--replicates",
            "3",
            "--set",
            "population.size=400",
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    let (h, rows) = read_csv(&out.join("compare_vs_baseline.csv"));
    let (measure, day, pairs) = (col(&h, "measure"), col(&h, "day"), col(&h, "pairs"));
    let (sh, summaries) = read_csv(&out.join("scenarios/village_cutoff/summary.csv"));
    let never_known: Vec<String> = sh
        .iter()
        .enumerate()
        .filter(|&(i, _)| summaries.iter().all(|r| r[i].is_empty()))
        .map(|(_, c)| c.clone())
        .collect();
    let days: Vec<&str> = rows
        .iter()
        .filter(|r| r[measure] == "deaths_averted")
        .map(|r| r[day].as_str())
        .collect();
    assert_eq!(days, ["20", "40", "60"]);
    for r in &rows {
        assert_eq!(r[col(&h, "scenario")], "village_cutoff_2");
        assert_eq!(r[col(&h, "baseline")], "village_cutoff");
        assert_eq!(r[pairs], "3");
        let stats: Vec<&str> = ["mean", "ci95_lo", "ci95_hi", "p05", "p50", "p95"]
            .iter()
            .map(|s| r[col(&h, s)].as_str())
            .collect();
        if r[measure].starts_with("deaths_averted_per_") || never_known.contains(&r[measure]) {
            // No relief beyond the baseline's: no ratio; a column empty in every replicate
            // (food never ran out): no difference.
            assert!(stats.iter().all(|s| s.is_empty()), "{r:?}");
        } else {
            assert!(stats.iter().all(|s| *s == "0"), "{r:?}");
        }
    }
}

#[test]
fn more_food_than_the_baseline_averts_deaths() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let text = siege()
        .args([
            "sweep",
            "scenarios/village_cutoff.toml",
            "--vary",
            "airdrops.0.sorties=1,6",
            "--baseline",
            "1",
            "--replicates",
            "6",
            "--set",
            "population.size=400",
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("deaths averted against airdrops.0.sorties=1"), "{text}");
    let (h, rows) = read_csv(&out.join("sweep_vs_baseline.csv"));
    let get = |name: &str| {
        rows.iter()
            .find(|r| r[col(&h, "measure")] == name)
            .unwrap_or_else(|| panic!("no {name} row"))
    };
    let averted: f64 = get("deaths_averted")[col(&h, "mean")].parse().unwrap();
    assert!(averted >= 0.0, "five more sorties cost lives: {averted}");
    let per_tonne: f64 = get("deaths_averted_per_tonne")[col(&h, "mean")].parse().unwrap();
    let tonnes: f64 = get("relief_tonnes")[col(&h, "mean")].parse().unwrap();
    assert!(tonnes > 0.0);
    assert!((per_tonne * tonnes - averted).abs() < 1e-9 * averted.max(1.0));
    let total: f64 = get("deaths_total")[col(&h, "mean")].parse().unwrap();
    assert_eq!(total, -averted);
    assert_eq!(get("deaths_averted")[col(&h, "airdrops.0.sorties")], "6");
    // Every summary column is compared, from the summaries sweep.csv keeps.
    let (sh, _) = read_csv(&out.join("sweep.csv"));
    for c in &sh[col(&sh, "deaths_total")..] {
        get(c);
    }
    let days = get("deaths_averted")[col(&h, "day")].clone();
    assert_splits_sum(&measures_at(&h, &rows, &days));
}

#[test]
fn horizons_and_baselines_are_checked_before_anything_runs() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let compare = |extra: &[&str]| {
        let mut c = siege();
        c.args([
            "compare",
            "scenarios/village_cutoff.toml",
            "scenarios/farabougou_2020.toml",
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .args(extra);
        let o = c.assert().failure().get_output().clone();
        String::from_utf8(o.stderr).unwrap()
    };
    let e = compare(&[
        "--baseline",
        "village_cutoff",
        "--set",
        "simulation.days=30",
        "--horizons",
        "0,10,31,45",
    ]);
    assert!(e.contains("0, 31, 45") && e.contains("1 ≤ H ≤ 30"), "{e}");
    let e = compare(&[
        "--baseline",
        "village_cutoff",
        "--set",
        "simulation.days=30",
        "--after-end",
        "0,31",
    ]);
    assert!(e.contains("--after-end: 31") && e.contains("0 ≤ N ≤ 30"), "{e}");
    let e = compare(&["--baseline", "village_cutoff"]);
    assert!(
        e.contains("runs 60 days") && e.contains("farabougou_2020 30 days"),
        "{e}"
    );
    let e = compare(&["--baseline", "nowhere"]);
    assert!(
        e.contains("--baseline nowhere") && e.contains("village_cutoff, farabougou_2020"),
        "{e}"
    );
    let e = compare(&["--horizons", "10"]);
    assert!(e.contains("--baseline"), "{e}");
    assert!(!out.exists(), "nothing is written when the arguments are wrong");
    let e = failure(&[
        "sweep",
        "scenarios/village_cutoff.toml",
        "--vary",
        "airdrops.0.sorties=1,2",
        "--baseline",
        "7",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        e.contains("no grid point") && e.contains("airdrops.0.sorties: 1, 2"),
        "{e}"
    );
}

#[test]
fn deaths_by_the_last_day_are_the_run_total() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/village_cutoff.toml");
    let s = siege::scenario::load(&path, &[("population.size".into(), "400".into())]).unwrap();
    for r in experiment::run_replicates(&s, 2, true, &|| {}) {
        assert_eq!(
            decision::deaths_by_day(&r.days, s.days()),
            r.summary.deaths_total as f64
        );
        let at = decision::days_list(&[10, 30], s.days());
        let rep = decision::replicate(&r, &at, s.days());
        assert!(rep.deaths_by.windows(2).all(|w| w[0] <= w[1]), "{:?}", rep.deaths_by);
        assert_eq!(*rep.deaths_by.last().unwrap(), r.summary.deaths_total as f64);
    }
}

/// A horizon's label names the days its count covers: H = 10 is shown as "days 0–9" and counts
/// `n_dead` at the end of day 9 of the daily records (day 0 is the first day, as everywhere).
#[test]
fn a_horizon_counts_the_days_its_label_names() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/village_cutoff.toml");
    let s = siege::scenario::load(&path, &[("population.size".into(), "400".into())]).unwrap();
    assert_eq!(decision::horizon_label(10), "days 0–9");
    let mut told_apart = false;
    for r in experiment::run_replicates(&s, 2, true, &|| {}) {
        for h in 1..=s.days() {
            let label = decision::horizon_label(h);
            let last: u32 = label.rsplit([' ', '–']).next().unwrap().parse().unwrap();
            let on = |day: u32| r.days.iter().find(|d| d.day == day).map(|d| d.n_dead as f64);
            assert_eq!(Some(decision::deaths_by_day(&r.days, h)), on(last), "{label}");
            // A death on day H itself is not in it.
            told_apart |= on(h).is_some_and(|n| n > on(last).unwrap());
        }
    }
    assert!(
        told_apart,
        "no death on a horizon day: the test cannot tell days 0–H from days 0–(H−1)"
    );
}

#[test]
fn one_plan_and_a_baseline_file_are_enough_and_compare_json_names_the_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let shown = compare_farabougou_with_baseline(&out, "10", 2);
    let head = shown.lines().find(|l| l.starts_with("plan ")).unwrap_or_default();
    assert!(
        head.contains("days 0–9") && head.contains("days 0–29") && !head.contains("by day"),
        "{shown}"
    );
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("compare.json")).unwrap()).unwrap();
    assert_eq!(meta["baseline"], "farabougou_no_airdrops");
    assert_eq!(meta["horizons"], serde_json::json!([10]));
    assert_eq!(meta["scenarios"][0]["name"], "farabougou_no_airdrops");
    let (h, rows) = read_csv(&out.join("compare_vs_baseline.csv"));
    // The drops land on days 13–16: over days 0–9 the paired runs are the same.
    let by10 = rows
        .iter()
        .find(|r| r[col(&h, "measure")] == "deaths_averted" && r[col(&h, "day")] == "10")
        .unwrap();
    assert_eq!(by10[col(&h, "mean")], "0");
    assert_eq!(by10[col(&h, "ci95_hi")], "0");
}

/// `--after-end`: each pair counts the deaths to N days after the baseline's replicate lifted its
/// siege (an uncertain liberation day, so the replicates differ); recomputed here from the two
/// scenarios' `timeseries.csv`.
#[test]
fn a_horizon_after_the_end_counts_each_replicates_own_days() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let text = siege()
        .args([
            "compare",
            "scenarios/farabougou_unknown_end.toml",
            "--baseline",
            "scenarios/farabougou_unknown_end_no_airdrops.toml",
            "--after-end",
            "0,5",
            "--replicates",
            "6",
            "--set",
            "population.size=600",
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("to the end") && text.contains("to end+5 d"), "{text}");
    assert!(
        text.contains("the siege was lifted in 6 of the baseline's 6 replicates"),
        "{text}"
    );
    // Per replicate: (day of lifting in the baseline, cumulative dead by day) of each side.
    let series = |name: &str| {
        let (h, rows) = read_csv(&out.join("scenarios").join(name).join("timeseries.csv"));
        let (rep, day, dead, active) = (
            col(&h, "replicate"),
            col(&h, "day"),
            col(&h, "n_dead"),
            col(&h, "siege_active"),
        );
        let mut by: Vec<Vec<(u32, f64, bool)>> = vec![Vec::new(); 6];
        for r in &rows {
            let i: usize = r[rep].parse().unwrap();
            by[i].push((r[day].parse().unwrap(), r[dead].parse().unwrap(), r[active] == "1"));
        }
        by
    };
    let base = series("farabougou_unknown_end_no_airdrops");
    let plan = series("farabougou_unknown_end");
    let lifted: Vec<u32> = base
        .iter()
        .map(|days| days.windows(2).find(|w| w[0].2 && !w[1].2).unwrap()[1].0)
        .collect();
    assert!(
        lifted.iter().any(|&l| l != lifted[0]),
        "the liberation day is drawn per replicate: {lifted:?}"
    );
    let to = |days: &[(u32, f64, bool)], h: u32| {
        if h == 0 {
            0.0
        } else {
            days[(h as usize).min(days.len()) - 1].1
        }
    };
    let (hd, rows) = read_csv(&out.join("compare_vs_baseline.csv"));
    for n in [0u32, 5] {
        let row = rows
            .iter()
            .find(|r| r[col(&hd, "measure")] == "deaths_averted_after_end" && r[col(&hd, "day")] == n.to_string())
            .unwrap_or_else(|| panic!("no row for N = {n}"));
        let want: f64 = (0..6)
            .map(|i| to(&base[i], lifted[i] + n) - to(&plan[i], lifted[i] + n))
            .sum::<f64>()
            / 6.0;
        let got: f64 = row[col(&hd, "mean")].parse().unwrap();
        assert!((got - want).abs() < 1e-9, "N = {n}: {got} against {want}");
    }
    let json = std::fs::read_to_string(out.join("compare.json")).unwrap();
    assert!(json.contains("\"after_end\""), "{json}");
}

/// `--horizons` takes dates of the baseline's calendar: a date counts the deaths to the end of
/// that day, so 2020-10-25 (day 19 of the village, whose day 0 is 2020-10-06) is H = 20, the same
/// as `--horizons 20`; a date before day 0, text that is neither, and a date when the scenarios
/// start on different days are refused, all at once.
#[test]
fn horizons_may_be_dates_of_the_baseline_s_calendar() {
    let tmp = tempfile::tempdir().unwrap();
    let run = |horizons: &str, name: &str| {
        let out = tmp.path().join(name);
        siege()
            .args([
                "compare",
                "scenarios/village_cutoff.toml",
                "scenarios/village_cutoff.toml",
            ])
            .args([
                "--baseline",
                "village_cutoff",
                "--horizons",
                horizons,
                "--replicates",
                "2",
            ])
            .args(["--set", "population.size=300", "--no-charts", "--out"])
            .arg(&out)
            .assert()
            .success();
        let json = std::fs::read_to_string(out.join("compare.json")).unwrap();
        let meta: serde_json::Value = serde_json::from_str(&json).unwrap();
        (
            meta["horizons"].clone(),
            std::fs::read_to_string(out.join("compare_vs_baseline.csv")).unwrap(),
        )
    };
    let (dated, dated_csv) = run("2020-10-25,40", "dated");
    let (by_day, by_day_csv) = run("20,40", "by_day");
    assert_eq!(dated, serde_json::json!([20, 40]));
    assert_eq!((dated, dated_csv), (by_day, by_day_csv));
    let refused = |args: &[&str]| {
        let o = siege()
            .args(["compare", "scenarios/village_cutoff.toml"])
            .args(args)
            .args(["--no-charts", "--out"])
            .arg(tmp.path().join("never"))
            .assert()
            .failure()
            .get_output()
            .clone();
        String::from_utf8(o.stderr).unwrap()
    };
    let e = refused(&[
        "scenarios/village_cutoff.toml",
        "--baseline",
        "village_cutoff",
        "--horizons",
        "2020-10-01,soon,20",
    ]);
    assert!(
        e.contains("--horizons: 2020-10-01 is before simulation.start_date 2020-10-06 (day 0); expected a day number or a date like \"1941-11-20\", got \"soon\""),
        "{e}"
    );
    let text = std::fs::read_to_string("scenarios/village_cutoff.toml").unwrap();
    assert!(text.contains("start_date = \"2020-10-06\""));
    let later = tmp.path().join("later.toml");
    std::fs::write(
        &later,
        text.replace("start_date = \"2020-10-06\"", "start_date = \"2020-10-07\""),
    )
    .unwrap();
    let e = refused(&[
        later.to_str().unwrap(),
        "--baseline",
        "scenarios/village_cutoff.toml",
        "--horizons",
        "2020-10-25",
    ]);
    assert!(
        e.contains("--horizons: a date names a day of one calendar, but the baseline village_cutoff starts on 2020-10-06 and village_cutoff_2 on 2020-10-07"),
        "{e}"
    );
}

/// `--set` changes the baseline too: where the baseline lacks the element a plan has, the error
/// names the baseline file and says so, with every other problem of every file at once.
#[test]
fn a_set_key_the_baseline_lacks_names_the_baseline() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let e = failure(&[
        "compare",
        "scenarios/farabougou_2020.toml",
        "--baseline",
        "scenarios/farabougou_no_airdrops.toml",
        "--set",
        "airdrops.0.sorties=2",
        "--set",
        "population.size=-3",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        e.contains("farabougou_no_airdrops.toml: `airdrops.0.sorties`")
            && e.contains("scenarios/farabougou_no_airdrops.toml is the --baseline file, and --set applies to every compared scenario, the baseline included")
            && e.contains("farabougou_2020.toml: `population.size`"),
        "{e}"
    );
    // The plan's file has the airdrop: only its value problem, no note.
    assert_eq!(e.matches("--set applies").count(), 1, "{e}");
    assert!(!out.exists());
}

/// `--after-end` is a compare option: a sweep refuses it by saying what it already shows (N = 0,
/// "to the end") and the route to N > 0, not with clap's bare "unexpected argument".
#[test]
fn a_sweep_refuses_after_end_and_points_to_compare() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let sweep = [
        "sweep",
        "scenarios/farabougou_unknown_end.toml",
        "--vary",
        "airdrop_plan.first_day=4,13",
        "--baseline",
        "13",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ];
    for given in [&["--after-end", "0,14"][..], &["--after-end"][..]] {
        let e = failure(&[&sweep[..], given].concat());
        assert!(
            e.contains("not a sweep option")
                && e.contains("\"to the end\"")
                && e.contains("N = 0")
                && e.contains("siege compare PLAN --baseline BASELINE --after-end N")
                && !e.contains("unexpected argument"),
            "{e}"
        );
        assert!(!out.exists(), "nothing is written when the arguments are wrong");
    }
}

/// A sweep knows each replicate by its summary: where the baseline's siege is lifted it also
/// compares the deaths to the day of lifting (`deaths_to_lifting` of `sweep.csv`), N = 0.
#[test]
fn a_sweep_compares_the_deaths_to_the_lifting_from_its_summaries() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("s");
    let text = siege()
        .args([
            "sweep",
            "scenarios/farabougou_unknown_end.toml",
            "--vary",
            "airdrop_plan.first_day=4,13",
            "--baseline",
            "13",
            "--replicates",
            "6",
            "--set",
            "population.size=600",
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("to the end") && text.contains("lifted in 6 of the baseline's 6"),
        "{text}"
    );
    let (h, rows) = read_csv(&out.join("sweep.csv"));
    let (point, to, lifted) = (
        col(&h, "point"),
        col(&h, "deaths_to_lifting"),
        col(&h, "siege_lifted_day"),
    );
    let of = |p: &str| -> Vec<(f64, String)> {
        rows.iter()
            .filter(|r| r[point] == p)
            .map(|r| (r[to].parse().unwrap(), r[lifted].clone()))
            .collect()
    };
    let (plan, base) = (of("0"), of("1"));
    assert!(plan.iter().zip(&base).all(|(p, b)| p.1 == b.1 && !b.1.is_empty()));
    let want = base.iter().zip(&plan).map(|(b, p)| b.0 - p.0).sum::<f64>() / 6.0;
    let (hv, versus) = read_csv(&out.join("sweep_vs_baseline.csv"));
    let row = versus
        .iter()
        .find(|r| r[col(&hv, "measure")] == "deaths_averted_after_end")
        .expect("a row to the lifting");
    assert_eq!(row[col(&hv, "day")], "0");
    let got: f64 = row[col(&hv, "mean")].parse().unwrap();
    assert!((got - want).abs() < 1e-9, "{got} against {want}");
}

/// Plan − baseline of every numeric `summary.csv` column, recomputed pair by pair from the two
/// summary files: the mean, the median and how many pairs are known (an empty cell on either
/// side is left out).
fn recomputed(plan: &Path, base: &Path) -> Vec<(String, f64, f64, Vec<f64>)> {
    let (ph, prows) = read_csv(plan);
    let (bh, brows) = read_csv(base);
    assert_eq!(ph, bh, "the two scenarios have the same columns");
    ph.iter()
        .filter(|c| *c != "replicate" && *c != "seed")
        .map(|c| {
            let i = col(&ph, c);
            let diffs: Vec<f64> = prows
                .iter()
                .zip(&brows)
                .filter(|(p, b)| !p[i].is_empty() && !b[i].is_empty())
                .map(|(p, b)| p[i].parse::<f64>().unwrap() - b[i].parse::<f64>().unwrap())
                .collect();
            let mean = diffs.iter().sum::<f64>() / diffs.len() as f64;
            let median = experiment::stats::quantile(&diffs, 0.5);
            (c.clone(), mean, median, diffs)
        })
        .collect()
}

/// The measures of one plan at one day, by name, in the file's order: (measure, mean, p50).
fn measures_at(h: &[String], rows: &[Vec<String>], day: &str) -> Vec<(String, f64, f64)> {
    let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
    rows.iter()
        .filter(|r| r[col(h, "day")] == day)
        .map(|r| {
            (
                r[col(h, "measure")].clone(),
                num(&r[col(h, "mean")]),
                num(&r[col(h, "p50")]),
            )
        })
        .collect()
}

/// The deaths averted at the run's end split by cause, by age band and by place of death: each
/// split's parts sum to it (the mean of each part's paired differences, so the sums hold to
/// rounding), and per replicate pair, from the summaries, exactly.
fn assert_splits_sum(measures: &[(String, f64, f64)]) {
    use siege::observe::DeathSplit;
    let averted = measures.iter().find(|m| m.0 == "deaths_averted").unwrap().1;
    assert!(
        averted > 0.0,
        "the plan averts deaths, so the sums are not 0 = 0: {averted}"
    );
    for split in DeathSplit::ALL {
        let parts: Vec<&(String, f64, f64)> = measures
            .iter()
            .filter(|m| DeathSplit::of_column(&m.0).is_some_and(|(s, _)| s == split))
            .collect();
        assert!(parts.len() >= 2, "{split:?}: {parts:?}");
        let sum: f64 = parts.iter().map(|m| -m.1).sum();
        assert!(
            (sum - averted).abs() < 1e-9,
            "{split:?}: the parts sum to {sum}, the deaths averted are {averted}"
        );
    }
}

/// Issue 20: with a baseline, every outcome of summary.csv gets its paired difference, and the
/// deaths averted are split by cause, age and place of death, each split summing to them.
#[test]
fn every_summary_column_is_compared_and_the_deaths_averted_split_three_ways() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let text = compare_farabougou_with_baseline(&out, "20", 12);
    let (h, rows) = read_csv(&out.join("compare_vs_baseline.csv"));
    let scenarios = out.join("scenarios");
    let expected = recomputed(
        &scenarios.join("farabougou_2020/summary.csv"),
        &scenarios.join("farabougou_no_airdrops/summary.csv"),
    );
    let at_end = measures_at(&h, &rows, "30");
    let names: Vec<&str> = at_end.iter().map(|m| m.0.as_str()).collect();
    // The rows there were, in their order; then the rest of summary.csv's columns in its order.
    let key: Vec<&str> = siege::observe::OUTCOMES.iter().map(|o| o.name).collect();
    let first: Vec<&str> = ["deaths_averted", "deaths_averted_per_tonne", "deaths_averted_per_cost"]
        .into_iter()
        .chain(key.iter().copied())
        .chain(["relief_tonnes", "relief_cost"])
        .collect();
    assert_eq!(names[..first.len()], first[..]);
    let rest: Vec<&str> = expected
        .iter()
        .map(|e| e.0.as_str())
        .filter(|c| !first.contains(c))
        .collect();
    assert_eq!(names[first.len()..], rest[..]);
    assert!(rest.contains(&"deaths_at_farabougou") && rest.contains(&"deaths_diarrhoea"));
    // Each equals the differences recomputed from the two summary.csv files.
    for (column, mean, median, diffs) in &expected {
        let m = at_end.iter().find(|m| m.0 == *column).unwrap();
        if column == "relief_cost" {
            continue; // its own row: plan − baseline where both are costed (they are)
        }
        if diffs.is_empty() {
            assert!(
                m.1.is_nan() && m.2.is_nan(),
                "{column}: no pair known, no statistic: {m:?}"
            );
        } else {
            assert!(
                (m.1 - mean).abs() <= 1e-9 * mean.abs().max(1.0),
                "{column}: {m:?} against {mean}"
            );
            assert!(
                (m.2 - median).abs() <= 1e-9 * median.abs().max(1.0),
                "{column}: {m:?} against {median}"
            );
        }
    }
    // Per replicate pair, from the summaries: each split is whole.
    let diffs = |c: &str| &expected.iter().find(|e| e.0 == c).unwrap().3;
    for split in siege::observe::DeathSplit::ALL {
        let parts: Vec<&Vec<f64>> = expected
            .iter()
            .filter(|e| siege::observe::DeathSplit::of_column(&e.0).is_some_and(|(s, _)| s == split))
            .map(|e| &e.3)
            .collect();
        for (r, total) in diffs("deaths_total").iter().enumerate() {
            assert_eq!(parts.iter().map(|p| p[r]).sum::<f64>(), *total, "{split:?}, pair {r}");
        }
    }
    assert_splits_sum(&at_end);
    // The terminal shows the split, the deaths averted by starvation at Farabougou first.
    assert!(text.contains("where the deaths averted (days 0–29) are"), "{text}");
    let plan = text
        .lines()
        .skip_while(|l| !l.starts_with("farabougou_2020: "))
        .take(4)
        .collect::<Vec<_>>();
    assert!(plan[1].starts_with("  cause  starvation "), "{plan:?}");
    assert!(plan[2].starts_with("  age    under 5 "), "{plan:?}");
    assert!(plan[3].starts_with("  place  at farabougou "), "{plan:?}");
}
