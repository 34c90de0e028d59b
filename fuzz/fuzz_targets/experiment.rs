//! Arbitrary bytes as an experiment file (`[experiment]`: name, scenario, replicates, vary, set):
//! parsing must never panic, an accepted file has a plain name, and its `vary` and `set` entries
//! are parsed and, for a small grid, planned against a valid scenario without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

const SCENARIO: &str = include_str!("../../tests/fuzz_corpus/ok_valid_small.toml");

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("siege-fuzz-experiment-{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        std::fs::write(d.join("s.toml"), SCENARIO).unwrap();
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let dir = dir();
    let Ok(Some(e)) = siege::experiment::file::parse(&dir.join("e.toml"), text) else {
        return;
    };
    assert!(siege::scenario::is_plain_name(&e.name), "accepted name {:?}", e.name);
    let Ok(axes) = e
        .vary
        .iter()
        .map(|v| siege::experiment::grid::parse_vary(v))
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    if axes.is_empty() {
        return;
    }
    let Ok(grid) = siege::experiment::grid::Grid::new(axes) else {
        return;
    };
    let Ok(set) = e
        .set
        .iter()
        .map(|s| siege::scenario::overrides::split_assignment(s).map(|(k, v)| (k.to_string(), v.to_string())))
        .collect::<Result<Vec<_>, _>>()
    else {
        return;
    };
    if grid.len() <= 16 {
        let _ = siege::experiment::sweep::Plan::new(&dir.join(&e.scenario), grid, e.replicates.map(|r| r.min(2)), set);
    }
});
