//! docs/scenario.md against the code: every key the scenario parser accepts is documented in its
//! section's table, no documented key is refused, and each documented default is the code's.
//!
//! What the code accepts is asked of the code itself: the keys of a section are the ones serde
//! lists when it refuses an unknown key; the defaults are what a section serialises to when the
//! file names none of its keys (for array elements and `[simulation]`, an element with only its
//! required keys, each of which is checked to be required).

use serde::Serialize;
use serde::de::DeserializeOwned;
use siege::scenario::SECTIONS;
use siege::scenario::params::*;
use siege::scenario::uncertain::UncertainParams;
use std::collections::BTreeMap;
use toml::{Table, Value};

const DOC: &str = include_str!("../docs/scenario.md");

/// What the code says about one section: each accepted key and its default (None = no default
/// value: required, absent, or derived from other keys), and which keys are required.
struct CodeSection {
    keys: Vec<String>,
    defaults: BTreeMap<String, Value>,
    required: Vec<String>,
}

/// The keys `T` accepts, from serde's refusal of an unknown one.
fn accepted<T: DeserializeOwned>() -> Vec<String> {
    let mut t = Table::new();
    t.insert("zz_not_a_key".into(), Value::Integer(1));
    let message = match Value::Table(t).try_into::<T>() {
        Ok(_) => panic!("an unknown key was accepted"),
        Err(e) => e.to_string(),
    };
    let expected = message
        .split_once("zz_not_a_key`, expected")
        .unwrap_or_else(|| panic!("unexpected refusal: {message}"))
        .1;
    expected.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// A section read from `minimal` (its required keys only; "" for a section with none): its keys,
/// its defaults, and its required keys, each proved required by removing it.
fn section<T: DeserializeOwned + Serialize>(minimal: &str) -> CodeSection {
    let table: Table = minimal.parse().expect("the minimal element is TOML");
    let parsed: T = Value::Table(table.clone())
        .try_into()
        .unwrap_or_else(|e| panic!("the minimal element {minimal:?} does not parse: {e}"));
    let mut required = Vec::new();
    for key in table.keys() {
        let mut without = table.clone();
        without.remove(key);
        let refused = Value::Table(without).try_into::<T>().is_err();
        assert!(refused, "`{key}` is in the test's minimal element but is not required");
        required.push(key.clone());
    }
    let Value::Table(written) = Value::try_from(&parsed).expect("a section serialises") else {
        panic!("a section serialises to a table");
    };
    let defaults = written
        .into_iter()
        .filter(|(k, v)| !required.contains(k) && !is_empty(v))
        .collect();
    CodeSection {
        keys: accepted::<T>(),
        defaults,
        required,
    }
}

fn is_empty(v: &Value) -> bool {
    matches!(v, Value::Array(a) if a.is_empty()) || matches!(v, Value::Table(t) if t.is_empty())
}

/// Every section of a scenario file, as the code reads it.
fn code_sections() -> BTreeMap<&'static str, CodeSection> {
    BTreeMap::from([
        ("simulation", section::<SimulationParams>("name = \"x\"")),
        ("population", section::<PopulationParams>("")),
        ("food", section::<FoodParams>("")),
        (
            "food.rations",
            section::<RationRegime>("from_day = 0\nunder5_kcal = 1\nchild_kcal = 1\nadult_kcal = 1"),
        ),
        ("physiology", section::<PhysiologyParams>("")),
        ("mortality", section::<MortalityParams>("")),
        ("displacement", section::<DisplacementParams>("")),
        ("siege", section::<SiegeParams>("")),
        ("disease", section::<DiseaseParams>("")),
        ("disease.diarrhoea", section::<Infection<Diarrhoea>>("")),
        ("disease.ari", section::<Infection<Ari>>("")),
        ("disease.malaria", section::<Infection<Malaria>>("")),
        ("disease.measles", section::<MeaslesParams>("")),
        ("locations", section::<LocationParams>("id = \"a\"\nkind = \"town\"")),
        ("locations.water", section::<WaterSourceParams>("capacity_l_day = 1")),
        ("water", section::<WaterParams>("")),
        ("market", section::<MarketParams>("")),
        (
            "routes",
            section::<RouteParams>("from = \"a\"\nto = \"b\"\ndistance_km = 1"),
        ),
        ("events", section::<EventParams>("day = 0\nkind = \"killing\"")),
        ("airdrops", section::<AirdropParams>("day = 0")),
        ("airdrop_plan", section::<AirdropPlanParams>("")),
        ("convoys", section::<ConvoyParams>("day = 0\ntonnes = 1")),
        ("checkpoints", section::<CheckpointParams>("id = \"a\"")),
        (
            "checkpoints.windows",
            section::<AccessWindowParams>("from_day = 0\nuntil_day = 0"),
        ),
        ("activity", section::<ActivityParams>("from_day = 0\nlevel = \"light\"")),
        (
            "climate",
            section::<ClimateParams>("from_day = 0\nmean_temperature_c = 0"),
        ),
        (
            "evacuations",
            section::<EvacuationParams>("from = \"a\"\nfrom_day = 0\nuntil_day = 0\npeople_per_day = 1"),
        ),
        ("population.cards", section::<CardParams>("")),
        (
            "population.ages",
            section::<AgeBandShares>(
                "from_years = 0\nto_years = 1\nmale_share_of_all = 0.5\nfemale_share_of_all = 0.5",
            ),
        ),
        ("stores", section::<StoreParams>("id = \"a\"")),
        ("rations", section::<CardRations>("from_day = 0")),
        (
            "uncertain",
            section::<UncertainParams>("key = \"a\"\ndistribution = \"uniform\"\nlow = 0\nhigh = 1"),
        ),
    ])
}

/// The key tables of docs/scenario.md: section → (key, default cell), in the order written.
fn doc_sections() -> BTreeMap<String, Vec<(String, String)>> {
    doc_tables()
        .into_iter()
        .map(|(name, rows)| (name, rows.into_iter().map(|(k, _, d)| (k, d)).collect()))
        .collect()
}

/// The key tables of docs/scenario.md: section → (key, type cell, default cell), in the order
/// written.
/// A section starts at a `### \`[name]\`` or `### \`[[name]]\`` heading, or at the paragraph that
/// opens with `` `[[food.rations]]` ``; its tables are those whose header starts `| key |`.
fn doc_tables() -> BTreeMap<String, Vec<(String, String, String)>> {
    let mut out: BTreeMap<String, Vec<(String, String, String)>> = BTreeMap::new();
    let mut current: Option<String> = None;
    let mut in_key_table = false;
    for line in DOC.lines() {
        if line.starts_with("## ") {
            current = None;
        }
        let opener = line.strip_prefix("### `").or_else(|| line.strip_prefix('`'));
        if let Some(name) = opener.and_then(|rest| rest.split('`').next()) {
            if name.starts_with('[') {
                current = Some(name.trim_matches(['[', ']']).to_string());
                out.entry(current.clone().unwrap()).or_default();
            }
        } else if line.starts_with("### ") {
            current = None;
        }
        if line.starts_with("| key |") {
            in_key_table = current.is_some();
            continue;
        }
        if !line.starts_with('|') {
            in_key_table = false;
            continue;
        }
        if !in_key_table || line.starts_with("|---") {
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let key = cells[1].trim_matches('`').to_string();
        let kind = cells.get(2).copied().unwrap_or_default().to_string();
        let default = cells.get(3).copied().unwrap_or_default().to_string();
        out.get_mut(current.as_ref().unwrap())
            .unwrap()
            .push((key, kind, default));
    }
    out
}

/// Whether a default cell of the docs states the code's default value.
fn states(cell: &str, value: &Value) -> bool {
    let cell = cell.replace('`', "");
    match value {
        // A sub-table (`[disease.ari]`) has its own section, which checks its keys.
        Value::Table(_) => cell.starts_with("see below"),
        // An array of numbers: written out, in order.
        Value::Array(items) => {
            let Some(inner) = cell.strip_prefix('[').and_then(|c| c.split(']').next()) else {
                return false;
            };
            let written: Vec<&str> = inner.split(',').map(str::trim).filter(|x| !x.is_empty()).collect();
            written.len() == items.len() && written.iter().zip(items).all(|(w, v)| states(w, v))
        }
        Value::Boolean(b) => cell.starts_with(&b.to_string()),
        Value::String(s) => cell.starts_with(&format!("{s:?}")),
        Value::Integer(_) | Value::Float(_) => {
            let want = value.as_float().unwrap_or_else(|| value.as_integer().unwrap() as f64);
            let text: String = cell
                .replace('−', "-")
                .replace(',', "")
                .chars()
                .take_while(|c| c.is_ascii_digit() || matches!(c, '-' | '.'))
                .collect();
            // The docs round derived defaults (forbes_c_kg = 10.4 · 1,816 / 9,440 is "2.0").
            text.parse::<f64>()
                .is_ok_and(|got| (got - want).abs() <= 1e-3 * want.abs().max(1e-9))
        }
        _ => false,
    }
}

#[test]
fn docs_list_every_key_the_code_accepts_with_its_default() {
    let code = code_sections();
    let docs = doc_sections();
    let mut wrong = Vec::new();
    for name in SECTIONS {
        if !code.contains_key(name) {
            wrong.push(format!("section `{name}` has no entry in this test's code_sections()"));
        }
    }
    for (name, c) in &code {
        let Some(documented) = docs.get(*name) else {
            wrong.push(format!("section `{name}`: no table in docs/scenario.md"));
            continue;
        };
        for key in &c.keys {
            let Some((_, cell)) = documented.iter().find(|(k, _)| k == key) else {
                wrong.push(format!("`{name}.{key}`: accepted by the code, not documented"));
                continue;
            };
            let required = c.required.contains(key);
            if required != (cell == "required") {
                wrong.push(format!(
                    "`{name}.{key}`: the docs say default {cell:?}, the code {}",
                    if required {
                        "requires the key"
                    } else {
                        "does not require it"
                    }
                ));
            } else if let Some(value) = c.defaults.get(key)
                && !states(cell, value)
            {
                wrong.push(format!(
                    "`{name}.{key}`: the docs say default {cell:?}, the code's default is {value}"
                ));
            }
        }
        for (key, _) in documented {
            if !c.keys.contains(key) {
                wrong.push(format!("`{name}.{key}`: documented, but the code refuses it"));
            }
        }
    }
    for name in docs.keys() {
        if !code.contains_key(name.as_str()) {
            wrong.push(format!("section `{name}`: documented, but the code refuses it"));
        }
    }
    assert!(
        wrong.is_empty(),
        "docs/scenario.md and src/scenario/params.rs differ:\n  {}",
        wrong.join("\n  ")
    );
}

/// The opening paragraph of docs/scenario.md names every top-level section the code accepts, with
/// their number in words.
#[test]
fn the_docs_opening_names_every_section() {
    let text = std::fs::read_to_string("docs/scenario.md").unwrap();
    let opening = text.split("\n\n").nth(1).unwrap();
    for name in SECTIONS {
        assert!(
            opening.contains(&format!("`[{name}]`")) || opening.contains(&format!("`[[{name}]]`")),
            "docs/scenario.md's opening does not name `{name}`:\n{opening}"
        );
    }
    let words = [
        "",
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "thirteen",
        "fourteen",
        "fifteen",
        "sixteen",
        "seventeen",
        "eighteen",
        "nineteen",
        "twenty",
        "twenty-one",
        "twenty-two",
        "twenty-three",
        "twenty-four",
        "twenty-five",
    ];
    let count = words.get(SECTIONS.len()).copied().unwrap_or("many");
    assert!(
        opening.contains(&format!("up to {count} top-level sections")),
        "the opening should say {count}: {opening}"
    );
}

/// The test would catch a drift: a documented default changed, a key dropped and a key invented.
#[test]
fn a_drifted_table_is_caught() {
    assert!(states("3,500", &Value::Float(3500.0)));
    assert!(states("−0.5", &Value::Float(-0.5)));
    assert!(states(
        "2.0 (10.4 · 1,816 / 9,440)",
        &Value::Float(10.4 * 1816.0 / 9440.0)
    ));
    assert!(states("`\"open\"`", &Value::String("open".into())));
    assert!(!states("3,600", &Value::Float(3500.0)));
    assert!(!states("—", &Value::Integer(0)));
    assert!(!states("false", &Value::Boolean(true)));
    let docs = doc_sections();
    let food = &docs["food"];
    assert!(food.iter().any(|(k, _)| k == "grain_kcal_per_kg"));
    assert!(
        !food.iter().any(|(k, _)| k == "from_day"),
        "rations keys are their own section"
    );
    assert!(docs["food.rations"].iter().any(|(k, _)| k == "from_day"));
    assert!(
        !docs["events"].iter().any(|(k, _)| k == "kidnapping"),
        "the kinds table is not keys"
    );
    let code = code_sections();
    assert!(code["population"].keys.contains(&"home_shares".to_string()));
    assert_eq!(code["routes"].required, ["distance_km", "from", "to"]);
}

/// The sourced pyramid docs/scenario.md ships as an example (`[[population.ages]]`) is a valid
/// scenario section as written.
#[test]
fn the_documented_example_pyramid_is_valid() {
    let block = DOC
        .split("```toml\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap_or_default())
        .find(|b| b.starts_with("[[population.ages]]"))
        .expect("docs/scenario.md has an example [[population.ages]] block");
    let text = format!("[simulation]\nname = \"example\"\n[population]\n{block}");
    siege::scenario::parse("example.toml", &text, &[]).unwrap_or_else(|e| panic!("{e}"));
}

/// The keys that take a day are the code's `DAY_KEYS` (each also takes a date), and the docs type
/// exactly those "day or date". A key the code accepts that is named as a day (`day`, `…_day`,
/// not a rate such as `…_per_day` or a volume such as `capacity_l_day`) is among them, so a new
/// day key cannot be left out of the list that turns dates into days.
#[test]
fn every_day_key_takes_a_date_and_the_docs_say_so() {
    use siege::scenario::date::DAY_KEYS;
    let listed: std::collections::BTreeSet<String> = DAY_KEYS.iter().map(|k| k.replace(".*", "")).collect();
    let documented: std::collections::BTreeSet<String> = doc_tables()
        .into_iter()
        .flat_map(|(name, rows)| {
            rows.into_iter()
                .filter(|(_, kind, _)| kind == "day or date")
                .map(move |(key, _, _)| format!("{name}.{key}"))
        })
        .collect();
    assert_eq!(
        listed, documented,
        "DAY_KEYS and docs/scenario.md's \"day or date\" rows differ"
    );
    let named_as_days: std::collections::BTreeSet<String> = code_sections()
        .into_iter()
        .flat_map(|(name, c)| c.keys.into_iter().map(move |k| format!("{name}.{k}")))
        .filter(|k| {
            let key = k.rsplit('.').next().unwrap();
            (key == "day" || key.ends_with("_day")) && !key.contains("per_") && !key.ends_with("_l_day")
        })
        .collect();
    assert_eq!(
        named_as_days, listed,
        "a key named as a day is not in DAY_KEYS, or the reverse"
    );
}
