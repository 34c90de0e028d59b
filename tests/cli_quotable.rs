//! What the terminal and compare.csv say that a reader quotes: run lengths named when compared
//! scenarios differ in days, whole people, no exponent, no interval from one replicate, airdrops
//! in tonnes.

use assert_cmd::Command;

fn siege() -> Command {
    Command::cargo_bin("siege").unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = siege().args(args).assert().success().get_output().stdout.clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn compare_names_the_days_of_each_scenario_and_warns_when_they_differ() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("c");
    let text = stdout(&[
        "compare",
        "scenarios/farabougou_2020.toml",
        "scenarios/farabougou_long_siege.toml",
        "--replicates",
        "1",
        "--no-charts",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(
        text.contains("warning: the scenarios run for different numbers of days"),
        "{text}"
    );
    assert!(
        text.contains("farabougou_2020 30 days") && text.contains("farabougou_long_siege 60 days"),
        "{text}"
    );
    let csv = std::fs::read_to_string(out.join("compare.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv.as_bytes());
    let days_col = rdr
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "days")
        .expect("a days column");
    let days: Vec<String> = rdr.records().map(|r| r.unwrap()[days_col].to_string()).collect();
    assert_eq!(days, ["30", "60"]);
    // Same run lengths: no warning.
    let same = stdout(&[
        "compare",
        "scenarios/farabougou_2020.toml",
        "scenarios/farabougou_no_airdrops.toml",
        "--replicates",
        "1",
        "--no-charts",
        "--out",
        tmp.path().join("d").to_str().unwrap(),
    ]);
    assert!(!same.contains("warning"), "{same}");
}

#[test]
fn the_run_summary_is_quotable() {
    let tmp = tempfile::tempdir().unwrap();
    let one = stdout(&[
        "run",
        "scenarios/town_weekly_drops.toml",
        "--replicates",
        "1",
        "--no-charts",
        "--out",
        tmp.path().join("one").to_str().unwrap(),
    ]);
    assert!(one.contains("one run, so no interval"), "{one}");
    assert!(!one.contains('['), "an interval from one replicate: {one}");
    assert!(
        one.contains("airdrops: 13 drops, 234 t in all (18 t each), days 30–114"),
        "{one}"
    );
    let many = stdout(&[
        "run",
        "scenarios/village_cutoff.toml",
        "--replicates",
        "2",
        "--no-charts",
        "--out",
        tmp.path().join("two").to_str().unwrap(),
    ]);
    // Not the `wrote <dir>` line: a temporary directory's random name may hold "e6".
    let figures: String = many.lines().filter(|l| !l.starts_with("wrote ")).collect();
    assert!(
        !figures.contains("e7") && !figures.contains("e6") && !figures.contains("e8"),
        "an exponent: {many}"
    );
    for line in many.lines().filter(|l| l.trim_end().ends_with("people")) {
        let figures = line.split_whitespace().nth(1).unwrap();
        assert!(!figures.contains('.'), "a fraction of a person: {line}");
    }
}

/// The check table shows counts as whole people (the interpolated quantiles of whole numbers
/// rounded) and no interval where every replicate agrees (the drops landed: not "5.95 million
/// [5.95 million – 5.95 million]").
#[test]
fn the_check_table_is_quotable() {
    let tmp = tempfile::tempdir().unwrap();
    let out = siege()
        .args([
            "check",
            "scenarios/farabougou_2020.toml",
            "--facts",
            "validation/farabougou_2020.csv",
            "--replicates",
            "3",
            "--no-charts",
            "--out",
            tmp.path().join("c").to_str().unwrap(),
        ])
        .assert()
        // 0 when every outcome fact is within tolerance on 3 replicates, 1 when one is not: the
        // table's form is the point here, not the score.
        .code(&[0, 1][..])
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let row = |id: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no row {id}: {text}"))
            .to_string()
    };
    let drop = row("drop13");
    assert!(drop.contains("5.95 million") && !drop.contains('['), "{drop}");
    for id in ["kid3", "kill3", "fled7", "kidtot"] {
        let r = row(id);
        let interval = r.split('[').nth(1).unwrap_or("");
        assert!(!interval.contains('.'), "a fraction of a person: {r}");
    }
}
