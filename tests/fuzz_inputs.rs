//! Fuzzing the sweep's other inputs (issue 22, item 5), on the stable toolchain like
//! tests/fuzz_parse.rs: experiment files (arbitrary bytes, and `[experiment]` tables built from
//! the format's own words with hostile names, paths, ranges and keys) and merge inputs (two real
//! shards whose `sweep.csv` or `sweep.json` is cut, overwritten, spliced or replaced). No input may
//! panic; an accepted experiment file has a plain name; a merge that accepts its parts writes
//! exactly the `sweep.csv` of the untouched shards.
//!
//! `SIEGE_PROPTEST_CASES=N` runs a longer search; fuzz/README.md records the runs and findings.
//! The kept experiment files, tests/fuzz_corpus/experiment/*.toml, run here on every `cargo test`.

mod common;

use common::cases;
use proptest::prelude::*;
use proptest::test_runner::Config;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

const SCENARIO: &str = include_str!("fuzz_corpus/ok_valid_small.toml");

/// Words an experiment file is made of, right and wrong.
const KEYS: &[&str] = &[
    "population.size",
    "airdrop_plan.first_day",
    "siege.end_day",
    "food.stock_days_mean",
    "simulation.days",
    "simulation.replicates",
    "simulation",
    "locations.0.capacity",
    "locations.99.id",
    "airdrops.0.tonnes",
    "no.such.key",
    "a..b",
    "",
    "events.0.kind",
];
const SPECS: &[&str] = &[
    "1,2",
    "100..400:100",
    "1..1000000000",
    "0.5..2.5:0.5",
    "-1..1",
    "5..1",
    "1..2:0",
    "nan,inf",
    "1e308,-1e308",
    "equal,need,scramble",
    "",
    ",",
    "[1,2]",
    "9223372036854775807",
];
const NAMES: &[&str] = &[
    "fine",
    "../../x",
    "/tmp/x",
    ".hidden",
    "a/b",
    "=cmd|' /C calc'!A0",
    "\u{1b}[2J",
    "",
    "con",
    "a\\b",
];

fn word(from: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(from).prop_map(str::to_string),
        1 => any::<String>(),
    ]
}

/// An `[experiment]` table from the format's words, sometimes with a key too many or missing.
fn experiment_text() -> impl Strategy<Value = String> {
    (
        word(NAMES),
        prop_oneof![
            Just("s.toml".to_string()),
            Just("../s.toml".to_string()),
            Just("/dev/zero".to_string()),
            any::<String>()
        ],
        prop::option::of(any::<i64>()),
        prop::collection::vec((word(KEYS), word(SPECS)), 0..4),
        prop::collection::vec((word(KEYS), word(SPECS)), 0..3),
        prop::option::of("[a-z_]{1,8}"),
    )
        .prop_map(|(name, scenario, replicates, vary, set, extra)| {
            let q = |s: &str| toml::Value::String(s.to_string()).to_string();
            let list = |xs: &[(String, String)]| {
                xs.iter()
                    .map(|(k, v)| q(&format!("{k}={v}")))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let mut t = format!(
                "[experiment]\nname = {}\nscenario = {}\nvary = [{}]\nset = [{}]\n",
                q(&name),
                q(&scenario),
                list(&vary),
                list(&set)
            );
            if let Some(r) = replicates {
                t.push_str(&format!("replicates = {r}\n"));
            }
            if let Some(k) = extra {
                t.push_str(&format!("{k} = 1\n"));
            }
            t
        })
}

/// What must hold for any experiment file: no panic; an accepted one has a plain name, and its
/// `vary` and `set` entries are parsed (and, for a small grid, planned) without a panic.
fn check_experiment(dir: &Path, text: &str) -> Result<(), TestCaseError> {
    let path = dir.join("e.toml");
    let Ok(Some(e)) = siege::experiment::file::parse(&path, text) else {
        return Ok(());
    };
    prop_assert!(siege::scenario::is_plain_name(&e.name), "accepted name {:?}", e.name);
    let axes: Result<Vec<_>, _> = e.vary.iter().map(|v| siege::experiment::grid::parse_vary(v)).collect();
    let Ok(axes) = axes else { return Ok(()) };
    if axes.is_empty() {
        return Ok(());
    }
    let Ok(grid) = siege::experiment::grid::Grid::new(axes) else {
        return Ok(());
    };
    let set: Result<Vec<(String, String)>, _> = e
        .set
        .iter()
        .map(|s| siege::scenario::overrides::split_assignment(s).map(|(k, v)| (k.to_string(), v.to_string())))
        .collect();
    if let Ok(set) = set
        && grid.len() <= 16
    {
        // Parsed and validated per point; never run here.
        let _ = siege::experiment::sweep::Plan::new(&dir.join(&e.scenario), grid, e.replicates.map(|r| r.min(2)), set);
    }
    Ok(())
}

/// A directory with the scenario the experiment files name.
fn scenario_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    dir
}

proptest! {
    #![proptest_config(Config { cases: cases(48), ..Config::default() })]

    #[test]
    fn experiment_files_never_panic(text in experiment_text()) {
        let dir = scenario_dir();
        check_experiment(dir.path(), &text)?;
    }

    #[test]
    fn arbitrary_bytes_as_experiment_files_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let dir = scenario_dir();
        let text = format!("[experiment]\n{}", String::from_utf8_lossy(&bytes));
        check_experiment(dir.path(), &text)?;
    }
}

/// The kept experiment files (tests/fuzz_corpus/experiment/*.toml) through the same checks.
#[test]
fn kept_experiment_files_never_panic() {
    let dir = scenario_dir();
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus/experiment");
    let mut n = 0;
    for entry in std::fs::read_dir(&corpus).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            check_experiment(dir.path(), &text).unwrap_or_else(|e| panic!("{name}: {e}"));
            n += 1;
        }
    }
    assert!(n > 0, "no *.toml in {}", corpus.display());
}

/// Two shards of a small sweep and their merge, made once: (directory, shard 0, shard 1, merged
/// sweep.csv).
fn shards() -> &'static (PathBuf, PathBuf, PathBuf, Vec<u8>) {
    static SHARDS: OnceLock<(PathBuf, PathBuf, PathBuf, Vec<u8>)> = OnceLock::new();
    SHARDS.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap().keep();
        std::fs::write(
            dir.join("s.toml"),
            "[simulation]\nname = \"m\"\ndays = 5\nseed = 2\nreplicates = 2\n[population]\nsize = 60\n",
        )
        .unwrap();
        for (out, shard) in [("a", "0/2"), ("b", "1/2")] {
            let ok = std::process::Command::new(env!("CARGO_BIN_EXE_siege"))
                .current_dir(&dir)
                .args([
                    "sweep",
                    "s.toml",
                    "--vary",
                    "population.size=50,60,70",
                    "--no-charts",
                    "--out",
                    out,
                    "--shard",
                    shard,
                ])
                .output()
                .unwrap()
                .status
                .success();
            assert!(ok, "the shards could not be made");
        }
        let merged = dir.join("merged");
        siege::experiment::sweep::merge(&[dir.join("a"), dir.join("b")], &merged, false).unwrap();
        let csv = std::fs::read(merged.join("sweep.csv")).unwrap();
        (dir.clone(), dir.join("a"), dir.join("b"), csv)
    })
}

/// How one shard file is damaged.
#[derive(Clone, Debug)]
enum Damage {
    Truncate(usize),
    Overwrite(usize, Vec<u8>),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Replace(Vec<u8>),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let bytes = || {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 1..8),
            prop::sample::select(vec![
                b"0".to_vec(),
                b"9".to_vec(),
                b",".to_vec(),
                b"\n".to_vec(),
                b"\"".to_vec(),
                b"-1".to_vec(),
                b"NaN".to_vec(),
                b"1e400".to_vec()
            ]),
        ]
    };
    prop_oneof![
        any::<usize>().prop_map(Damage::Truncate),
        (any::<usize>(), bytes()).prop_map(|(i, b)| Damage::Overwrite(i, b)),
        (any::<usize>(), bytes()).prop_map(|(i, b)| Damage::Insert(i, b)),
        (any::<usize>(), 1..40usize).prop_map(|(i, n)| Damage::Remove(i, n)),
        prop::collection::vec(any::<u8>(), 0..256).prop_map(Damage::Replace),
        any::<usize>().prop_map(Damage::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(i, j)| Damage::SwapLines(i, j)),
    ]
}

fn apply(bytes: &[u8], d: &Damage) -> Vec<u8> {
    let mut b = bytes.to_vec();
    let at = |i: usize, len: usize| if len == 0 { 0 } else { i % (len + 1) };
    match d {
        Damage::Truncate(i) => b.truncate(at(*i, b.len())),
        Damage::Overwrite(i, x) => {
            let i = at(*i, b.len());
            for (k, &v) in x.iter().enumerate() {
                if i + k < b.len() {
                    b[i + k] = v;
                }
            }
        }
        Damage::Insert(i, x) => {
            let i = at(*i, b.len());
            b.splice(i..i, x.iter().copied());
        }
        Damage::Remove(i, n) => {
            let i = at(*i, b.len());
            let j = (i + n).min(b.len());
            b.drain(i..j);
        }
        Damage::Replace(x) => b = x.clone(),
        Damage::DuplicateLine(i) | Damage::SwapLines(i, _) => {
            let mut lines: Vec<Vec<u8>> = b.split_inclusive(|&c| c == b'\n').map(<[u8]>::to_vec).collect();
            if lines.is_empty() {
                return b;
            }
            let i = i % lines.len();
            match d {
                Damage::SwapLines(_, j) => {
                    let j = j % lines.len();
                    lines.swap(i, j);
                }
                _ => {
                    let line = lines[i].clone();
                    lines.insert(i, line);
                }
            }
            b = lines.concat();
        }
    }
    b
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

proptest! {
    #![proptest_config(Config { cases: cases(48), ..Config::default() })]

    #[test]
    fn damaged_shards_are_refused_or_merge_to_the_same_rows(
        which in 0..4usize,
        d in damage(),
    ) {
        let (_, a, b, expected) = shards();
        let work = tempfile::tempdir().unwrap();
        let (wa, wb) = (work.path().join("a"), work.path().join("b"));
        copy_dir(a, &wa);
        copy_dir(b, &wb);
        let file = [wa.join("sweep.csv"), wb.join("sweep.csv"), wa.join("sweep.json"), wb.join("sweep.json")][which].clone();
        let bytes = std::fs::read(&file).unwrap();
        std::fs::write(&file, apply(&bytes, &d)).unwrap();
        let out = work.path().join("m");
        if siege::experiment::sweep::merge(&[wa, wb], &out, false).is_ok() {
            let got = std::fs::read(out.join("sweep.csv")).unwrap();
            prop_assert!(&got == expected, "a damaged part ({d:?} on {}) merged into other rows", file.display());
        }
    }
}
