//! Random `--set` overrides (key paths built from the scenario's own vocabulary, indices and raw
//! strings; values of every TOML type) on a valid scenario: never a panic; an accepted result that
//! is small enough is run.
#![no_main]

use libfuzzer_sys::arbitrary::{self, Arbitrary};
use libfuzzer_sys::fuzz_target;

include!("common.rs");

const BASE: &str = include_str!("../../tests/fuzz_corpus/ok_valid_small.toml");

/// Section and key names of the scenario schema (and a few near misses).
const WORDS: &[&str] = &[
    "simulation",
    "population",
    "food",
    "physiology",
    "mortality",
    "displacement",
    "siege",
    "locations",
    "routes",
    "events",
    "airdrops",
    "airdrop_plan",
    "rations",
    "home_shares",
    "name",
    "days",
    "seed",
    "replicates",
    "start_date",
    "size",
    "household_size_mean",
    "under5_share",
    "under15_share",
    "over60_share",
    "male_share",
    "adult_bmi_mean",
    "stock_days_mean",
    "stock_days_shape",
    "grain_kcal_per_kg",
    "livestock_per_household_mean",
    "livestock_kcal_per_head",
    "sharing_rate",
    "ration_floor",
    "from_day",
    "adult_kcal",
    "fat_kcal_per_kg",
    "lean_kcal_per_kg",
    "forbes_c_kg",
    "activity_floor",
    "activity_time_constant_days",
    "child_tissue_kcal_per_kg",
    "lethal_bmi_men",
    "background_under5_per_10k_day",
    "sam_hazard_ratio",
    "adult_bmi_coef",
    "adult_bmi_exponent",
    "enabled",
    "base",
    "violence_coef",
    "violence_window_days",
    "violence_threshold_mean",
    "food_coef",
    "food_gap_days",
    "walking_km_per_day",
    "carry_share",
    "return_after_liberation_days",
    "start_day",
    "end_day",
    "leak",
    "interception_probability",
    "interception_killed_share",
    "violence_hazard_per_day",
    "id",
    "kind",
    "capacity",
    "host_support_kcal",
    "market_kcal_per_person_day",
    "attractiveness",
    "from",
    "to",
    "distance_km",
    "state",
    "crossing_risk",
    "day",
    "location",
    "n",
    "group",
    "head",
    "fraction",
    "route",
    "reopen",
    "tonnes",
    "aircraft",
    "sorties",
    "kcal_per_kg",
    "target",
    "usable_fraction",
    "captured_fraction",
    "distribution",
    "cost_per_tonne",
    "first_day",
    "village",
    "town",
    "road",
    "sise",
    "dayz",
];

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
        run_if_small(&s);
    }
});
