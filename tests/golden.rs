//! The golden baseline: fixed-seed outputs of small shipped scenarios (run, sweep, compare and
//! check), stored under tests/golden/ and compared byte for byte on 1 and 2 threads.
//!
//! A change that alters results fails here, naming the file, line and column that differ. When the
//! change is meant (a model change), regenerate the baseline in the same commit and say why:
//!
//!     SIEGE_UPDATE_GOLDEN=1 cargo test --release --test golden
//!
//! and review `git diff tests/golden/` before committing.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Each case: its directory under tests/golden/, and the command's arguments (`--out` and
/// `--no-charts` are added).
const CASES: &[(&str, &[&str])] = &[
    (
        "run_farabougou",
        &["run", "scenarios/farabougou_2020.toml", "--replicates", "3"],
    ),
    (
        "run_village",
        &["run", "scenarios/village_cutoff.toml", "--replicates", "2"],
    ),
    (
        "sweep_timing",
        &["sweep", "scenarios/farabougou_airdrop_timing.toml", "--replicates", "3"],
    ),
    (
        "compare_airdrops",
        &[
            "compare",
            "scenarios/farabougou_2020.toml",
            "scenarios/farabougou_no_airdrops.toml",
            "--replicates",
            "2",
        ],
    ),
    (
        "check_farabougou",
        &[
            "check",
            "scenarios/farabougou_2020.toml",
            "--facts",
            "validation/farabougou_2020.csv",
            "--replicates",
            "3",
        ],
    ),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir`, by path relative to it, but the stored copies of the input files
/// (`inputs/`: the project's own scenario and facts files, byte for byte; tests/cli.rs checks them),
/// so that a comment edited in a scenario does not move the baseline.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(base: &Path, dir: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
        entries.sort();
        for p in entries {
            if p.is_dir() && p.file_name().is_some_and(|n| n == "inputs") {
                continue;
            } else if p.is_dir() {
                walk(base, &p, out);
            } else if p.file_name().is_some_and(|n| n != ".siege.lock") {
                let rel = p.strip_prefix(base).unwrap().to_string_lossy().replace('\\', "/");
                out.insert(rel, mask_model_build(std::fs::read(&p).unwrap()));
            }
        }
    }
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

/// `model_build` changes with every edit of the source, so the stored files hold `<model_build>`
/// in its place; so do the input files' `sha256` (`<sha256>`), which change with any edit of their
/// text, a comment included; `scenario_digest` stays (it changes only when a scenario's content
/// does).
fn mask_model_build(bytes: Vec<u8>) -> Vec<u8> {
    let Ok(mut text) = String::from_utf8(bytes.clone()) else {
        return bytes;
    };
    for (key, mask) in [("\"model_build\": \"", "<model_build>"), ("\"sha256\": \"", "<sha256>")] {
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(i) = rest.find(key) {
            out.push_str(&rest[..i + key.len()]);
            rest = &rest[i + key.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push_str(mask);
            rest = &rest[end..];
        }
        out.push_str(rest);
        text = out;
    }
    text.into_bytes()
}

/// Runs a case into `out` with `threads` worker threads, and keeps what it printed and its exit
/// code beside its files (`check` exits with 1 when a fact fails, which is part of its result).
fn run_case(args: &[&str], out: &Path, threads: &str) {
    let assert = Command::cargo_bin("siege")
        .unwrap()
        .current_dir(root())
        .env("RAYON_NUM_THREADS", threads)
        .args(args)
        .arg("--no-charts")
        .arg("--out")
        .arg(out)
        .assert();
    let o = assert.get_output();
    let code = o.status.code();
    assert!(
        matches!(code, Some(0 | 1)) && out.is_dir(),
        "siege {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
    // The result directory is a temporary one: named as <out> in the stored text.
    let stdout = String::from_utf8_lossy(&o.stdout).replace(&*out.to_string_lossy(), "<out>");
    std::fs::write(out.join("_stdout.txt"), stdout).unwrap();
    std::fs::write(out.join("_exit_code.txt"), format!("{}\n", code.unwrap())).unwrap();
}

/// Where two texts first differ: line, column and both lines.
fn first_difference(want: &[u8], got: &[u8]) -> String {
    let (want, got) = (String::from_utf8_lossy(want), String::from_utf8_lossy(got));
    let mut w = want.lines();
    let mut g = got.lines();
    for line in 1.. {
        match (w.next(), g.next()) {
            (None, None) => return "same lines, different bytes (line endings?)".into(),
            (a, b) if a == b => continue,
            (a, b) => {
                let (a, b) = (a.unwrap_or("<end of file>"), b.unwrap_or("<end of file>"));
                let col = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count() + 1;
                return format!("line {line}, column {col}:\n  golden: {a}\n  now:    {b}");
            }
        }
    }
    unreachable!()
}

#[test]
fn outputs_equal_the_golden_baseline_on_one_and_two_threads() {
    let update = std::env::var_os("SIEGE_UPDATE_GOLDEN").is_some();
    let golden_root = root().join("tests/golden");
    let tmp = tempfile::tempdir().unwrap();
    let mut problems = Vec::new();
    for (name, args) in CASES {
        let golden_dir = golden_root.join(name);
        for threads in ["1", "2"] {
            let out = tmp.path().join(format!("{name}-{threads}"));
            run_case(args, &out, threads);
            let got = files(&out);
            if update && threads == "1" {
                let _ = std::fs::remove_dir_all(&golden_dir);
                for (rel, bytes) in &got {
                    let p = golden_dir.join(rel);
                    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
                    std::fs::write(p, bytes).unwrap();
                }
                continue;
            }
            let want = files(&golden_dir);
            for rel in want.keys().chain(got.keys()).collect::<std::collections::BTreeSet<_>>() {
                let place = format!(
                    "{name}/{rel} ({threads} thread{})",
                    if threads == "1" { "" } else { "s" }
                );
                match (want.get(rel), got.get(rel)) {
                    (Some(_), None) => problems.push(format!("{place}: no longer written")),
                    (None, Some(_)) => problems.push(format!("{place}: new file, not in the baseline")),
                    (Some(w), Some(g)) if w != g => {
                        problems.push(format!("{place}: differs at {}", first_difference(w, g)))
                    }
                    _ => {}
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "outputs differ from tests/golden/ (if the change is meant, regenerate with \
         SIEGE_UPDATE_GOLDEN=1 cargo test --release --test golden, and say why in the commit):\n{}",
        problems.join("\n")
    );
}
