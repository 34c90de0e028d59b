//! Safe outputs (issue 8, part 4): a run never overwrites results without `--force`, an output
//! directory that cannot be created gives a clear error and no panic, and a finished run leaves
//! no temporary files behind.

use assert_cmd::Command;
use std::collections::BTreeMap;
use std::path::Path;

const SCENARIO: &str = r#"
[simulation]
name = "safe_output"
days = 10
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

/// A temporary directory holding the scenario as `s.toml` and its results in `out/`.
fn finished_run() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    siege(dir.path())
        .args(["run", "s.toml", "--out", "out"])
        .assert()
        .success();
    dir
}

/// Every file in `dir` (and its subdirectories, e.g. `charts/`) with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        // The directory's lock (issue 22) is siege's own, kept on purpose and rewritten per command.
        if name == ".siege.lock" {
            continue;
        }
        if p.is_dir() {
            for (sub, bytes) in snapshot(&p) {
                files.insert(format!("{name}/{sub}"), bytes);
            }
        } else {
            files.insert(name, std::fs::read(&p).unwrap());
        }
    }
    files
}

#[test]
fn a_finished_run_leaves_whole_files_and_no_partial_ones() {
    let dir = finished_run();
    let files = snapshot(&dir.path().join("out"));
    for name in ["run.json", "timeseries.csv", "locations.csv", "summary.csv"] {
        assert!(files.contains_key(name), "{name} missing: {:?}", files.keys());
    }
    let leftovers: Vec<&String> = files
        .keys()
        .filter(|n| n.contains("partial") || n.starts_with('.') || n.contains("/."))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    // Whole files: 2 replicates × 10 days of rows plus a header, and run.json parses.
    let rows = String::from_utf8(files["timeseries.csv"].clone()).unwrap();
    assert_eq!(rows.lines().count(), 1 + 2 * 10);
    let meta: serde_json::Value = serde_json::from_slice(&files["run.json"]).unwrap();
    assert_eq!(meta["replicates"], 2);
}

#[test]
fn a_directory_holding_results_is_refused_without_force_and_left_unchanged() {
    let dir = finished_run();
    let before = snapshot(&dir.path().join("out"));
    // A different seed would write different numbers: refused, nothing touched.
    let output = siege(dir.path())
        .args(["run", "s.toml", "--out", "out", "--seed", "99"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "overwrote results without --force");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("already holds results"), "{stderr}");
    assert!(stderr.contains("--force"), "{stderr}");
    assert!(stderr.contains("out"), "{stderr}");
    assert_eq!(snapshot(&dir.path().join("out")), before, "the earlier results changed");
    // The default directory output/<name>/ is protected the same way.
    siege(dir.path()).args(["run", "s.toml"]).assert().success();
    let default_dir = dir.path().join("output/safe_output");
    let before = snapshot(&default_dir);
    siege(dir.path())
        .args(["run", "s.toml", "--seed", "99"])
        .assert()
        .failure();
    assert_eq!(snapshot(&default_dir), before);
    // With --force the results are replaced.
    siege(dir.path())
        .args(["run", "s.toml", "--out", "out", "--seed", "99", "--force"])
        .assert()
        .success();
    let after = snapshot(&dir.path().join("out"));
    assert_ne!(after["timeseries.csv"], before["timeseries.csv"]);
    assert!(!after.keys().any(|n| n.contains("partial")));
}

#[test]
fn a_directory_without_results_is_used() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    std::fs::create_dir(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/notes.txt"), "mine").unwrap();
    siege(dir.path())
        .args(["run", "s.toml", "--out", "out"])
        .assert()
        .success();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("out/notes.txt")).unwrap(),
        "mine"
    );
}

#[test]
fn an_output_path_that_cannot_be_a_directory_is_a_clear_error() {
    // A path whose parent is a regular file cannot be created, even by root (CI runs as root, where
    // permissions would not stop the write).
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    std::fs::write(dir.path().join("file.txt"), "not a directory").unwrap();
    for out in ["file.txt/out", "file.txt"] {
        let output = siege(dir.path())
            .args(["run", "s.toml", "--out", out])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "--out {out} accepted");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stderr.contains("file.txt"), "--out {out}: {stderr}");
        assert!(
            stderr.contains("cannot create the output directory") || stderr.contains("is not a directory"),
            "--out {out}: {stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("file.txt")).unwrap(),
            "not a directory"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_read_only_output_directory_is_a_clear_error_when_permissions_apply() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("s.toml"), SCENARIO).unwrap();
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // Root ignores permissions: then there is nothing to test here.
    if std::fs::write(locked.join("probe"), "x").is_ok() {
        std::fs::remove_file(locked.join("probe")).unwrap();
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        return;
    }
    let output = siege(dir.path())
        .args(["run", "s.toml", "--out", "locked"])
        .output()
        .unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains("cannot write"), "{stderr}");
    assert!(std::fs::read_dir(&locked).unwrap().next().is_none());
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_leaves_nothing_that_looks_like_results() {
    // Large enough to take several seconds; interrupted (Ctrl-C, SIGINT) after half a second.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("big.toml"),
        "[simulation]\nname = \"big\"\ndays = 200\nreplicates = 2\n[population]\nsize = 1000000\n",
    )
    .unwrap();
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("siege"))
        .current_dir(dir.path())
        .args(["run", "big.toml", "--out", "out"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    if child.try_wait().unwrap().is_some() {
        eprintln!("the run finished before it could be interrupted; nothing to check");
        return;
    }
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    let status = child.wait().unwrap();
    assert!(!status.success(), "an interrupted run reported success");
    let out = dir.path().join("out");
    if out.exists() {
        let visible: Vec<String> = snapshot(&out).into_keys().filter(|n| !n.starts_with('.')).collect();
        assert!(
            visible.is_empty(),
            "an interrupted run left files that look like results: {visible:?}"
        );
    }
    // Nothing there to protect: the same run may start again without --force.
    siege::output::prepare_dir(&out, false).unwrap();
}
