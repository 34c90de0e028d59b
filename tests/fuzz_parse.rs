//! Fuzzing the scenario parser and validator with proptest (issue 8, part 2), the stable-toolchain
//! companion of the `cargo fuzz` targets in `fuzz/`: arbitrary byte strings, arbitrary TOML trees
//! built from the schema's own words, and random `--set` overrides on a valid scenario. No input
//! may panic; a refusal must name the file and say something; an accepted scenario small enough to
//! run must run and keep people and finite numbers.
//!
//! `SIEGE_PROPTEST_CASES=N` runs a longer search.

mod common;

use common::cases;
use proptest::prelude::*;
use proptest::test_runner::Config;
use siege::scenario::{self, Scenario};
use toml::{Table, Value};

const BASE: &str = include_str!("fuzz_corpus/ok_valid_small.toml");

include!("../fuzz/fuzz_targets/words.rs");

/// String values that mean something to the schema.
const STRINGS: &[&str] = &[
    "need",
    "scramble",
    "equal",
    "open",
    "closed",
    "impassable",
    "besieged",
    "town",
    "base",
    "Il-76",
    "Y-12",
    "kidnapping",
    "killing",
    "livestock_seizure",
    "granary_burning",
    "route",
    "siege_start",
    "liberation",
    "children",
    "village",
    "road",
    "2020-10-06",
    "2020-02-30",
    "",
    "x/y",
    ".hidden",
];

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(WORDS.clone()).prop_map(str::to_string),
        1 => "[a-z_]{1,12}",
        1 => any::<String>(),
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<f64>(),
        -10.0..100.0f64,
        prop::sample::select(vec![
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1.5,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            1e300,
            -1e300,
        ]),
    ]
}

fn integer() -> impl Strategy<Value = i64> {
    prop_oneof![
        any::<i64>(),
        -5..100i64,
        prop::sample::select(vec![
            0,
            -1,
            1,
            i64::MAX,
            i64::MIN,
            u32::MAX as i64,
            u32::MAX as i64 + 1,
            65_535,
            65_536,
            50_000_001,
            1_000_000_000_000,
        ]),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        integer().prop_map(Value::Integer),
        number().prop_map(Value::Float),
        any::<bool>().prop_map(Value::Boolean),
        prop::sample::select(STRINGS).prop_map(|s| Value::String(s.to_string())),
        any::<String>().prop_map(Value::String),
    ]
}

/// Arbitrary TOML values, nested up to three levels.
fn value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(word(), inner, 0..6).prop_map(|m| Value::Table(m.into_iter().collect())),
        ]
    })
}

/// An arbitrary TOML document whose top-level keys are mostly section names.
fn tree() -> impl Strategy<Value = Table> {
    prop::collection::btree_map(word(), value(), 0..8).prop_map(|m| m.into_iter().collect())
}

/// A key path made of schema words and small indices.
fn key_path() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => word(),
            1 => (0..4usize).prop_map(|i| i.to_string()),
        ],
        1..5,
    )
    .prop_map(|segs| segs.join("."))
}

/// The right-hand side of `--set`, as typed.
fn set_value() -> impl Strategy<Value = String> {
    prop_oneof![
        leaf().prop_map(|v| v.to_string()),
        value().prop_map(|v| v.to_string()),
        prop::sample::select(STRINGS).prop_map(str::to_string),
        any::<String>(),
    ]
}

/// What must hold for any input: no panic (the harness catches that); a refusal names the file and
/// says something for every problem; an accepted, small scenario runs and conserves people with
/// finite, non-negative numbers.
fn check(text: &str, overrides: &[(String, String)]) -> Result<Option<Scenario>, TestCaseError> {
    match scenario::parse("fuzz.toml", text, overrides) {
        Err(e) => {
            prop_assert!(!e.problems.is_empty(), "a refusal without problems");
            prop_assert_eq!(&e.file, "fuzz.toml");
            for p in &e.problems {
                prop_assert!(!p.message.trim().is_empty(), "an empty message: {:?}", p);
            }
            let shown = e.to_string();
            prop_assert!(shown.starts_with("fuzz.toml"), "{}", shown);
            Ok(None)
        }
        Ok(s) => {
            check_small_run(&s).map_err(TestCaseError::fail)?;
            Ok(Some(s))
        }
    }
}

include!("../fuzz/fuzz_targets/common.rs");

proptest! {
    #![proptest_config(Config { cases: cases(512), ..Config::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            check(text, &[])?;
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check(&text, &[])?;
    }

    #[test]
    fn arbitrary_toml_trees_never_panic(tree in tree()) {
        check(&tree.to_string(), &[])?;
    }

    #[test]
    fn a_valid_file_with_one_value_replaced_never_panics(path in key_path(), value in value()) {
        // Written into the file, not through --set, so the file's own line reporting is exercised.
        let mut table: Table = BASE.parse().unwrap();
        if scenario::overrides::set_path(&mut table, &path, value).is_ok() {
            check(&table.to_string(), &[])?;
        }
    }

    #[test]
    fn a_valid_file_with_random_lines_cut_never_panics(cuts in prop::collection::vec(any::<prop::sample::Index>(), 1..6)) {
        let mut lines: Vec<&str> = BASE.lines().collect();
        for c in cuts {
            if lines.is_empty() {
                break;
            }
            let i = c.index(lines.len());
            lines.remove(i);
        }
        check(&lines.join("\n"), &[])?;
    }
}

proptest! {
    #![proptest_config(Config { cases: cases(1024), ..Config::default() })]

    #[test]
    fn random_set_overrides_never_panic(
        overrides in prop::collection::vec((key_path(), set_value()), 1..5)
    ) {
        let accepted = check(BASE, &overrides)?;
        // An accepted override really took effect: the value at its path is what --set gave.
        if let Some(s) = accepted {
            let written = toml::Value::try_from(s.as_written()).unwrap();
            let written = written.as_table().unwrap();
            for (k, v) in &overrides {
                if overrides.iter().filter(|(k2, _)| k2 == k || k2.starts_with(&format!("{k}.")) || k.starts_with(&format!("{k2}."))).count() > 1 {
                    continue;
                }
                let given = scenario::overrides::parse_value(v);
                if let (Some(got), true) = (scenario::overrides::get_path(written, k), given.is_float() || given.is_integer() || given.is_bool()) {
                    let same = match (got, &given) {
                        (Value::Float(a), Value::Integer(b)) => *a == *b as f64,
                        (a, b) => a == b || a.as_float().zip(b.as_float()).is_some_and(|(x, y)| x.is_nan() && y.is_nan()),
                    };
                    prop_assert!(same, "--set {}={} accepted but the scenario holds {}", k, v, got);
                }
            }
        }
    }
}
