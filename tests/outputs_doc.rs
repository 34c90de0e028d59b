//! docs/outputs.md's column tables list exactly the columns the code writes, in order: a column
//! added, removed, renamed or moved in the code fails here until the docs say so.

use siege::observe::files::{
    BaselineRow, CheckRow, CompareRow, GridValue, NamedRow, Number, PointRow, SweepRow, outcome_stats,
};
use siege::observe::{DayRecord, LocationRecord, MarketRecord, OUTCOMES, Summary, WealthRecord};

/// The column names in the first cells of the rows of the first table under the first heading
/// naming `file` in backticks that has one (`a`, `b` in one cell are two columns).
fn documented(docs: &str, file: &str) -> Vec<String> {
    let tag = format!("`{file}`");
    let lines: Vec<&str> = docs.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        if !(line.starts_with('#') && line.contains(&tag)) {
            continue;
        }
        // The first table of the section: its rows run from the first `| ` line to the next line
        // that is not one.
        let names: Vec<String> = lines[i + 1..]
            .iter()
            .take_while(|l| !l.starts_with('#'))
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .filter(|l| l.starts_with("| `"))
            .flat_map(|l| {
                let first = l.split('|').nth(1).unwrap_or("");
                first
                    .split(',')
                    .map(|n| n.trim().trim_matches('`').to_string())
                    .collect::<Vec<_>>()
            })
            .collect();
        if !names.is_empty() {
            return names;
        }
    }
    panic!("docs/outputs.md has no column table under a heading naming {tag}");
}

/// Fails with the names missing from either side and, when both hold the same names, the first
/// place their order differs.
fn assert_same(file: &str, docs: &[String], code: &[String]) {
    let missing: Vec<&String> = code.iter().filter(|c| !docs.contains(c)).collect();
    let extra: Vec<&String> = docs.iter().filter(|d| !code.contains(d)).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "docs/outputs.md, {file}: columns written but not documented: {missing:?}; documented but not written: {extra:?}"
    );
    if let Some(i) = docs.iter().zip(code).position(|(d, c)| d != c) {
        panic!(
            "docs/outputs.md, {file}: column {} is documented as {:?} but written as {:?} (same names, different order)",
            i + 1,
            docs[i],
            code[i]
        );
    }
    assert_eq!(
        docs.len(),
        code.len(),
        "docs/outputs.md, {file}: a column is listed twice"
    );
}

/// The header csv's serde writes for a row type.
fn serde_header<T: serde::Serialize>(row: T) -> Vec<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.serialize(row).unwrap();
    let bytes = w.into_inner().unwrap();
    let text = String::from_utf8(bytes).unwrap();
    text.lines().next().unwrap().split(',').map(str::to_string).collect()
}

fn names(row: &impl NamedRow) -> Vec<String> {
    row.cells().into_iter().map(|(n, _)| n.into_owned()).collect()
}

/// The docs' `<outcome>_<statistic>` rows expanded over the documented key outcomes, in the order
/// the code writes them (outcome by outcome).
fn expand_outcomes(docs: &str, rows: &[String]) -> Vec<String> {
    let key_outcomes = key_outcomes(docs);
    let (stats, other): (Vec<&String>, Vec<&String>) = rows.iter().partition(|r| r.starts_with("<outcome>_"));
    let mut out: Vec<String> = other.into_iter().cloned().collect();
    for o in &key_outcomes {
        out.extend(stats.iter().map(|s| s.replace("<outcome>", &o[0])));
    }
    out
}

/// The rows of the key-outcome table: (name, label, unit).
fn key_outcomes(docs: &str) -> Vec<[String; 3]> {
    let start = docs
        .find("| outcome | chart label | unit |")
        .expect("docs/outputs.md has the key outcome table");
    docs[start..]
        .lines()
        .skip(2)
        .take_while(|l| l.starts_with('|'))
        .map(|l| {
            let cells: Vec<String> = l
                .split('|')
                .skip(1)
                .take(3)
                .map(|c| c.trim().trim_matches('`').to_string())
                .collect();
            [cells[0].clone(), cells[1].clone(), cells[2].clone()]
        })
        .collect()
}

fn docs() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/outputs.md")).unwrap()
}

#[test]
fn timeseries_and_locations_columns_are_documented_in_order() {
    let docs = docs();
    assert_same(
        "timeseries.csv",
        &documented(&docs, "timeseries.csv"),
        &serde_header(DayRecord::default()),
    );
    assert_same(
        "locations.csv",
        &documented(&docs, "locations.csv"),
        &serde_header(LocationRecord::default()),
    );
    assert_same(
        "market.csv",
        &documented(&docs, "market.csv"),
        &serde_header(MarketRecord::default()),
    );
    assert_same(
        "wealth.csv",
        &documented(&docs, "wealth.csv"),
        &serde_header(WealthRecord::default()),
    );
    assert_same(
        "parameters.csv",
        &documented(&docs, "parameters.csv"),
        &serde_header(siege::observe::files::ParameterRow::default()),
    );
}

#[test]
fn summary_columns_are_documented_in_order() {
    let docs = docs();
    let summary = Summary {
        displaced_to: vec![("<location>".into(), 0)],
        deaths_at: vec![("<location>".into(), 0)],
        by_wealth: vec![("<group>".into(), Some(0), 0.0)],
        ..Summary::default()
    };
    assert_same("summary.csv", &documented(&docs, "summary.csv"), &names(&summary));
}

#[test]
fn check_columns_are_documented_in_order() {
    let row = CheckRow {
        id: String::new(),
        kind: String::new(),
        day: 0,
        window: None,
        quantity: String::new(),
        metric: String::new(),
        documented: String::new(),
        tolerance: String::new(),
        sim_median: Number(None),
        sim_p05: Number(None),
        sim_p95: Number(None),
        within: None,
    };
    assert_same("check.csv", &documented(&docs(), "check.csv"), &serde_header(row));
}

#[test]
fn key_outcomes_are_documented_with_their_labels_and_units() {
    let code: Vec<[String; 3]> = OUTCOMES
        .iter()
        .map(|o| [o.name.to_string(), o.label.to_string(), o.unit.to_string()])
        .collect();
    assert_eq!(
        key_outcomes(&docs()),
        code,
        "docs/outputs.md's key outcome table differs from observe::OUTCOMES"
    );
}

#[test]
fn sweep_and_compare_columns_are_documented_in_order() {
    let docs = docs();
    let key = || vec![("<key>".to_string(), GridValue::Integer(0))];
    let stats = || outcome_stats(std::iter::empty());
    // sweep.csv: `<summary column>` stands for summary.csv's columns after `seed`.
    let summary = Summary {
        displaced_to: vec![("<location>".into(), 0)],
        deaths_at: vec![("<location>".into(), 0)],
        ..Summary::default()
    };
    let summary_columns = Summary::column_names(&["<location>".to_string()], false);
    let sweep_docs: Vec<String> = documented(&docs, "sweep.csv")
        .into_iter()
        .flat_map(|c| {
            if c == "<summary column>" {
                summary_columns.clone()
            } else {
                vec![c]
            }
        })
        .collect();
    let sweep_row = SweepRow {
        point: 0,
        replicate: 0,
        values: key(),
        summary,
    };
    assert_same("sweep.csv", &sweep_docs, &names(&sweep_row));
    let point_row = PointRow {
        point: 0,
        values: key(),
        replicates: 0,
        stats: stats(),
    };
    assert_same(
        "sweep_summary.csv",
        &expand_outcomes(&docs, &documented(&docs, "sweep_summary.csv")),
        &names(&point_row),
    );
    let compare_row = CompareRow {
        scenario: String::new(),
        file: String::new(),
        replicates: 0,
        days: 0,
        stats: stats(),
    };
    assert_same(
        "compare.csv",
        &expand_outcomes(&docs, &documented(&docs, "compare.csv")),
        &names(&compare_row),
    );
    let versus = |plan: Vec<(String, String)>| BaselineRow {
        plan,
        baseline: String::new(),
        measure: String::new(),
        day: 0,
        pairs: 0,
        stats: stats()[0],
    };
    assert_same(
        "compare_vs_baseline.csv",
        &documented(&docs, "compare_vs_baseline.csv"),
        &names(&versus(vec![("scenario".into(), String::new())])),
    );
    assert_same(
        "sweep_vs_baseline.csv",
        &documented(&docs, "sweep_vs_baseline.csv"),
        &names(&versus(vec![
            ("point".into(), String::new()),
            ("<key>".into(), String::new()),
        ])),
    );
}

/// The docs' `<key>` row stands for the varied keys.
fn with_keys(rows: &[String], keys: &[&str]) -> Vec<String> {
    rows.iter()
        .flat_map(|r| {
            if r == "<key>" {
                keys.iter().map(|k| k.to_string()).collect()
            } else {
                vec![r.clone()]
            }
        })
        .collect()
}

#[test]
fn optimise_columns_are_documented_in_order() {
    use siege::experiment::optimise;
    let docs = docs();
    let keys = ["airdrops.0.day", "airdrops.0.sorties"];
    let owned: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    assert_same(
        "optimise.csv",
        &with_keys(&documented(&docs, "optimise.csv"), &keys),
        &optimise::header(&owned),
    );
    assert_same(
        "optimise_runs.csv",
        &documented(&docs, "optimise_runs.csv"),
        &serde_header(optimise::RunRow {
            point: None,
            replicate: 0,
            value: 0.0,
        }),
    );
    let mut plan = vec![
        ("rank".to_string(), "1".to_string()),
        ("point".to_string(), "0".to_string()),
    ];
    plan.extend(keys.iter().map(|k| (k.to_string(), "0".to_string())));
    let row = BaselineRow {
        plan,
        baseline: "nothing".into(),
        measure: "deaths_averted".into(),
        day: 1,
        pairs: 1,
        stats: siege::experiment::stats::describe(&[]),
    };
    assert_same(
        "optimise_vs_nothing.csv",
        &with_keys(&documented(&docs, "optimise_vs_nothing.csv"), &keys),
        &names(&row),
    );
}

#[test]
fn sensitivity_columns_are_documented_in_order() {
    use siege::experiment::sensitivity::{Sample, SensitivityRow, saltelli_design, samples_csv};
    let row = SensitivityRow {
        rank: 1,
        key: "k".into(),
        distribution: "uniform".into(),
        low: 0.0,
        high: 1.0,
        mu: None,
        mu_star: None,
        mu_star_lo: None,
        mu_star_hi: None,
        sigma: None,
        s1: None,
        s1_lo: None,
        s1_hi: None,
        st: None,
        st_lo: None,
        st_hi: None,
    };
    assert_same(
        "sensitivity.csv",
        &documented(&docs(), "sensitivity.csv"),
        &serde_header(row),
    );
    // samples.csv: `<key>` stands for one column per [[uncertain]] key, in order.
    let keys = vec!["food.stock_days_mean".to_string(), "siege.end_day".to_string()];
    let design = saltelli_design(2, 1);
    let samples: Vec<Sample> = design
        .iter()
        .map(|_| Sample {
            values: vec![1.0, 2.0],
            plan: 3.0,
            versus: None,
            runs_reused: 0,
        })
        .collect();
    let bytes = samples_csv(&design, &samples, &keys).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let code: Vec<String> = text.lines().next().unwrap().split(',').map(str::to_string).collect();
    let docs: Vec<String> = documented(&docs(), "samples.csv")
        .into_iter()
        .flat_map(|c| if c == "<key>" { keys.clone() } else { vec![c] })
        .collect();
    assert_same("samples.csv", &docs, &code);
}
