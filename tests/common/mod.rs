//! Shared by the test suites (`mod common;` in each): property-test settings and CSV readers. Each
//! suite uses only some of them.
#![allow(dead_code)]

use std::path::Path;

/// How many cases a property test runs: `default`, or `SIEGE_PROPTEST_CASES` for a longer search.
pub fn cases(default: u32) -> u32 {
    std::env::var("SIEGE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The rows of a CSV as (header, records).
pub fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = r.headers().unwrap().iter().map(str::to_string).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The position of column `name` in `header`.
pub fn col(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

/// The cells of one column of a CSV file, in row order.
pub fn column(path: &Path, name: &str) -> Vec<String> {
    let (header, rows) = read_csv(path);
    let i = col(&header, name);
    rows.into_iter().map(|mut r| r.swap_remove(i)).collect()
}

/// `siege compare` of the record's drops (`farabougou_2020`) against none (`--baseline
/// farabougou_no_airdrops.toml`) with `--horizons horizons`, `replicates` each and no charts,
/// into `out`; its terminal output.
pub fn compare_farabougou_with_baseline(out: &Path, horizons: &str, replicates: u32) -> String {
    let done = assert_cmd::Command::cargo_bin("siege")
        .unwrap()
        .args([
            "compare",
            "scenarios/farabougou_2020.toml",
            "--baseline",
            "scenarios/farabougou_no_airdrops.toml",
            "--horizons",
            horizons,
            "--replicates",
            &replicates.to_string(),
            "--no-charts",
            "--out",
            out.to_str().unwrap(),
        ])
        .assert()
        .success();
    String::from_utf8(done.get_output().stdout.clone()).unwrap()
}
