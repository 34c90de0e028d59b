//! Regression cases kept from fuzzing (issue 8, part 2): every file in `tests/fuzz_corpus/` is
//! parsed and validated, and must not panic. A file named `bad_*` must be refused with a message
//! naming the key its first line's comment gives (`# key: population.size`); any other file must
//! be accepted, and is run (one replicate) with its people conserved and its numbers finite.

use siege::experiment::run_replicate;
use siege::scenario;
use std::path::Path;

fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_corpus");
    let mut files: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            // Read as bytes: a case may be invalid UTF-8 on purpose.
            let bytes = std::fs::read(&p).unwrap();
            (name, String::from_utf8_lossy(&bytes).into_owned())
        })
        .collect();
    files.sort();
    assert!(files.len() >= 2, "the corpus is missing from {}", dir.display());
    files
}

#[test]
fn every_corpus_case_is_handled_without_panic() {
    for (name, text) in corpus() {
        let outcome = std::panic::catch_unwind(|| scenario::parse(&name, &text, &[]));
        let result = outcome.unwrap_or_else(|_| panic!("{name}: the parser panicked"));
        if name.starts_with("bad_") {
            let e = match result {
                Ok(_) => panic!("{name}: accepted, but it is a case that must be refused"),
                Err(e) => e,
            };
            let shown = e.to_string();
            assert!(shown.starts_with(&name), "{name}: {shown}");
            if let Some(key) = text.lines().next().and_then(|l| l.strip_prefix("# key: ")) {
                assert!(
                    e.problems.iter().any(|p| p.key == key.trim()),
                    "{name}: expected a problem at `{}`, got:\n{shown}",
                    key.trim()
                );
            }
        } else {
            let s = result.unwrap_or_else(|e| panic!("{name}: refused: {e}"));
            let size = s.population().size as u64;
            let r = run_replicate(&s, 0, true);
            for d in &r.days {
                assert_eq!(
                    d.n_present + d.n_in_transit + d.n_displaced + d.n_kidnapped + d.n_dead,
                    size,
                    "{name}: people not conserved on day {}",
                    d.day
                );
                for v in [d.food_kcal, d.airdrop_landed_kcal, d.airdrop_usable_kcal] {
                    assert!(v.is_finite() && v >= 0.0, "{name}: day {}: {d:?}", d.day);
                }
                // Statistics over a group: unknown (NaN) once nobody is left, else finite.
                for v in [d.food_days, d.mean_intake_kcal] {
                    assert!(
                        v.is_nan() || (v.is_finite() && v >= 0.0),
                        "{name}: day {}: {d:?}",
                        d.day
                    );
                }
            }
        }
    }
}
