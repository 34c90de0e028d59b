//! Random `--set` overrides (key paths built from the scenario's own vocabulary, indices and raw
//! strings; values of every TOML type) on a valid scenario: never a panic; an accepted result that
//! is small enough is run.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

include!("common.rs");
include!("words.rs");

const BASE: &str = include_str!("../../tests/fuzz_corpus/ok_valid_small.toml");


/// Right-hand sides that mean something to the schema.
const VALUES: &[&str] = &[
    "need",
    "scramble",
    "equal",
    "open",
    "closed",
    "impassable",
    "besieged",
    "town",
    "Il-76",
    "Y-12",
    "kidnapping",
    "liberation",
    "siege_start",
    "route",
    "village",
    "nan",
    "inf",
    "-inf",
    "1e308",
    "-1e308",
    "5e-324",
    "[]",
    "[1, 2]",
    "{}",
    "{ a = 1 }",
    "\"\"",
    "true",
    "2020-10-06",
    "\"2020-02-30\"",
    "9223372036854775807",
    "-9223372036854775808",
    "0",
    "-0.0",
];

#[derive(Arbitrary, Debug)]
enum Segment {
    Word(u8),
    Index(u8),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
enum RightHand {
    Word(u8),
    Int(i64),
    Float(f64),
    Raw(String),
}

#[derive(Arbitrary, Debug)]
struct Input {
    overrides: Vec<(Vec<Segment>, RightHand)>,
}

fuzz_target!(|input: Input| {
    let overrides: Vec<(String, String)> = input
        .overrides
        .iter()
        .take(8)
        .map(|(path, value)| {
            let key = path
                .iter()
                .take(5)
                .map(|s| match s {
                    Segment::Word(i) => WORDS[*i as usize % WORDS.len()].to_string(),
                    Segment::Index(i) => (i % 4).to_string(),
                    Segment::Raw(s) => s.clone(),
                })
                .collect::<Vec<_>>()
                .join(".");
            let value = match value {
                RightHand::Word(i) => VALUES[*i as usize % VALUES.len()].to_string(),
                RightHand::Int(i) => i.to_string(),
                RightHand::Float(f) => format!("{f:?}"),
                RightHand::Raw(s) => s.clone(),
            };
            (key, value)
        })
        .collect();
    if let Ok(s) = siege::scenario::parse("fuzz.toml", BASE, &overrides) {
        if let Err(e) = check_small_run(&s) {
            panic!("{e}");
        }
    }
});
