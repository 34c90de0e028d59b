//! The result files' formats, each defined once and used both to write and to read them:
//! `run.json`, `sweep.json`, `compare.json` and the rows of `check.csv` (the columns of
//! `timeseries.csv` and `locations.csv` are [`DayRecord`](super::DayRecord) and
//! [`LocationRecord`](super::LocationRecord); those of `summary.csv` and `sweep.csv`,
//! `sweep_summary.csv` and `compare.csv` are named by the code that gives their values,
//! [`Summary::cells`](super::Summary::cells), [`SweepRow`], [`PointRow`] and [`CompareRow`], since
//! their number depends on the scenario and the grid). Documented in docs/outputs.md.
//!
//! The JSON files are written with their keys in alphabetical order at every level
//! (`output::json_bytes`), so the order of the fields below does not matter.

use super::{OUTCOMES, Outcome, Summary};
use crate::experiment::stats::{self, Describe};
use crate::output::inputs::InputFile;
use crate::scenario::params::{Commodity, Distribution, RouteState};
use crate::scenario::{Scenario, ScenarioFile};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::Path;

/// The `program` field of every JSON file.
pub const PROGRAM: &str = "siege";
/// The `version` field of every JSON file: the version of the program that wrote it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The `model_build` field of every JSON file: a SHA-256 over the program's source (src/,
/// Cargo.toml, Cargo.lock, build.rs), computed by build.rs. Unlike `version` it changes with every
/// edit of the code, so results of different code are never mixed by `sweep --resume` or `merge`.
pub const MODEL_BUILD: &str = env!("SIEGE_MODEL_BUILD");

/// SHA-256 of bytes, as 64 lowercase hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// `scenario_digest`: SHA-256 of the fully resolved scenario — the file merged with every base it
/// `extends`, every override applied, every default filled in — in its canonical serialisation
/// (compact JSON of [`ScenarioFile`], fields in declaration order). Equal for equal content
/// whatever the file is called or where it lies; different when any value differs.
pub fn scenario_digest(s: &Scenario) -> String {
    let json = serde_json::to_vec(s.as_written()).expect("a scenario always serialises");
    sha256_hex(&json)
}

/// `run.json`: enough to reproduce a run with `siege run` on the same file and flags.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RunFile {
    pub program: String,
    pub version: String,
    /// [`MODEL_BUILD`] of the program that wrote the file.
    #[serde(default)]
    pub model_build: String,
    /// [`scenario_digest`] of the scenario run.
    #[serde(default)]
    pub scenario_digest: String,
    /// The scenario file as given on the command line.
    pub scenario_file: String,
    pub scenario_name: String,
    pub seed: u64,
    pub replicates: u32,
    pub days: u32,
    /// ISO date of day 0 (absent or null when the scenario has none).
    #[serde(default)]
    pub start_date: Option<String>,
    /// `KEY=VALUE` overrides, `--seed` and `--replicates` included.
    pub overrides: Vec<String>,
    /// The scenario after overrides, every section with its defaults filled in; keys whose default
    /// depends on other keys stay as written (absent or empty) and are given in `resolved`.
    pub scenario: ScenarioFile,
    pub resolved: ResolvedFile,
    /// The input files read, stored in the result's `inputs/` ([`crate::output::inputs`]);
    /// absent when none were stored (an older siege's result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputFile>,
}

impl RunFile {
    /// The run's scenario as TOML text: the `scenario` section, which holds the file, its bases
    /// and every override with the defaults filled in, so that `siege run DIR/run.json` runs
    /// exactly what this run ran ([`RunFile::reproduces`] checks it).
    pub fn scenario_toml(&self) -> Result<String, String> {
        toml::to_string(&self.scenario).map_err(|e| format!("its scenario cannot be written as TOML: {e}"))
    }

    /// Whether `s` is the scenario this run ran (their [`scenario_digest`]s agree); a run.json
    /// without a digest (an older program's) cannot be checked and is refused.
    pub fn reproduces(&self, s: &Scenario) -> Result<(), String> {
        if self.scenario_digest.is_empty() {
            return Err(
                "it records no scenario_digest (written by an older siege), so what it ran cannot be checked".into(),
            );
        }
        let now = scenario_digest(s);
        if now != self.scenario_digest {
            return Err(format!(
                "its scenario read back gives digest {now}, not the recorded {} (written by another model build?)",
                self.scenario_digest
            ));
        }
        Ok(())
    }

    /// What run.json records of a run of `s`, loaded from `scenario_file` with `overrides`.
    pub fn new(s: &Scenario, scenario_file: &Path, overrides: &[(String, String)]) -> RunFile {
        RunFile {
            program: PROGRAM.into(),
            version: VERSION.into(),
            model_build: MODEL_BUILD.into(),
            scenario_digest: scenario_digest(s),
            scenario_file: scenario_file.display().to_string(),
            scenario_name: s.name().to_string(),
            seed: s.seed(),
            replicates: s.replicates(),
            days: s.days(),
            start_date: s.as_written().simulation.start_date.clone(),
            overrides: overrides.iter().map(|(k, v)| format!("{k}={v}")).collect(),
            scenario: s.as_written().clone(),
            resolved: ResolvedFile::of(s),
            inputs: Vec::new(),
        }
    }
}

/// The defaults of a run that depend on other keys, as the run used them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedFile {
    /// The encircled locations.
    pub siege_locations: Vec<String>,
    pub siege_start_day: Option<u32>,
    /// People living at each location at day 0.
    pub people_at_home: BTreeMap<String, u64>,
    pub attractiveness: BTreeMap<String, f64>,
    pub routes: Vec<ResolvedRouteFile>,
    pub airdrops: Vec<ResolvedAirdropFile>,
    /// Each convoy of the `[[convoys]]` schedules (written only when there are some).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub convoys: Vec<ResolvedConvoyFile>,
}

impl ResolvedFile {
    /// The defaults that depend on other keys, as the run used them (`scenario` shows them as written:
    /// absent or empty).
    pub fn of(s: &Scenario) -> ResolvedFile {
        let id = |i: usize| s.location_ids()[i].clone();
        ResolvedFile {
            siege_locations: (0..s.location_ids().len())
                .filter(|&i| s.encircled()[i])
                .map(id)
                .collect(),
            siege_start_day: s.siege_start_day(),
            people_at_home: s
                .location_ids()
                .iter()
                .cloned()
                .zip(s.home_counts().iter().copied())
                .collect(),
            attractiveness: s
                .location_ids()
                .iter()
                .cloned()
                .zip(s.attractiveness().iter().copied())
                .collect(),
            routes: s
                .routes()
                .iter()
                .map(|x| ResolvedRouteFile {
                    id: x.id.clone(),
                    from: id(x.a),
                    to: id(x.b),
                    distance_km: x.distance_km,
                    state: x.state,
                    crossing_risk: x.crossing_risk,
                })
                .collect(),
            airdrops: s
                .airdrops()
                .iter()
                .map(|a| ResolvedAirdropFile {
                    day: a.day,
                    tonnes: a.tonnes,
                    kcal_per_kg: a.kcal_per_kg,
                    target: id(a.target),
                    usable_fraction: a.usable_fraction,
                    captured_fraction: a.captured_fraction,
                    distribution: a.distribution,
                    cost_per_tonne: a.cost_per_tonne,
                    commodity: a.commodity,
                    units_per_kg: (a.commodity != Commodity::Food).then_some(a.units_per_kg),
                })
                .collect(),
            convoys: s
                .convoys()
                .iter()
                .map(|c| ResolvedConvoyFile {
                    depart: c.depart,
                    arrive: c.arrive,
                    tonnes: c.tonnes,
                    destination: id(c.destination),
                })
                .collect(),
        }
    }
}

/// One route of [`ResolvedFile`], its ends named by location id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedRouteFile {
    pub id: String,
    pub from: String,
    pub to: String,
    pub distance_km: f64,
    pub state: RouteState,
    pub crossing_risk: f64,
}

/// One airdrop of [`ResolvedFile`], on the day it lands (after `airdrop_plan`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedAirdropFile {
    pub day: u32,
    pub tonnes: f64,
    pub kcal_per_kg: f64,
    pub target: String,
    pub usable_fraction: f64,
    pub captured_fraction: f64,
    pub distribution: Distribution,
    pub cost_per_tonne: Option<f64>,
    /// What the drop carries (written only when not food, so food-only files keep their form).
    #[serde(default, skip_serializing_if = "is_food")]
    pub commodity: Commodity,
    /// Units of a non-food commodity per kg (absent for food, whose density is `kcal_per_kg`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_per_kg: Option<f64>,
}

/// One convoy of [`ResolvedFile`]: the days it leaves and arrives, what it carries when it sets off
/// (before checkpoints) and where it goes.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResolvedConvoyFile {
    pub depart: u32,
    pub arrive: u32,
    pub tonnes: f64,
    pub destination: String,
}

fn is_food(c: &Commodity) -> bool {
    *c == Commodity::Food
}

/// `sweep.json` (and, while a sweep runs, `sweep.partial.json`): the sweep's identity. A resume
/// and a merge compare it whole, so two sweeps that differ in any field are never mixed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepFile {
    pub program: String,
    pub version: String,
    /// [`MODEL_BUILD`] of the program that ran the sweep.
    #[serde(default)]
    pub model_build: String,
    /// SHA-256 over the [`scenario_digest`] of every grid point, in grid order: what the sweep ran.
    #[serde(default)]
    pub scenario_digest: String,
    /// The scenario file as given; not part of the sweep's identity (`g.toml`, `./g.toml` and an
    /// absolute path name the same sweep).
    pub scenario_file: String,
    pub scenario_name: String,
    pub seed: u64,
    pub days: u32,
    pub replicates: u32,
    /// Grid points.
    pub points: usize,
    /// `KEY=VALUE` overrides applied to every point.
    pub set: Vec<String>,
    pub vary: Vec<VaryKey>,
    /// The scenario swept, as run.json's `scenario`: the file after `extends` and the `set`
    /// overrides (before `vary` and `--replicates`), every section with its defaults filled in;
    /// so the directory alone says what was swept, and `merge` refuses parts that differ in it.
    /// Absent in a sweep.json of an older siege.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<Swept>,
    /// Which shard this directory holds; absent for a whole sweep.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<ShardFile>,
    /// SHA-256 of the `sweep.csv` written beside this file: `merge` refuses a part whose rows were
    /// edited, cut short or forged since. Not part of the sweep's identity (each shard has its own).
    #[serde(default)]
    pub rows_digest: String,
    /// The input files read, stored in the result's `inputs/` ([`crate::output::inputs`]); not
    /// part of the sweep's identity (the same scenario from another path or with other comments
    /// is the same sweep): a merge or a resume stores the inputs of every part.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputFile>,
}

/// The resolved scenario a sweep.json records; equal when their JSON is (a [`ScenarioFile`] has
/// no equality of its own).
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Swept(pub ScenarioFile);

impl PartialEq for Swept {
    fn eq(&self, other: &Self) -> bool {
        serde_json::to_value(&self.0).ok() == serde_json::to_value(&other.0).ok()
    }
}

/// `K/N`: shard K of N.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFile {
    pub index: u32,
    pub count: u32,
}

/// One varied key of a sweep and its values, in grid order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VaryKey {
    pub key: String,
    pub values: Vec<GridValue>,
}

/// One value a varied key takes: a number, a switch, or a word (such as the distribution rule
/// `equal`). It stays typed from `--vary` to the file edge; [`GridValue::cell`] is its text in CSV
/// cells and messages, and JSON holds it as the number, boolean or string it is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum GridValue {
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// Any other value, by its text (TOML dates and arrays included).
    Text(String),
}

impl GridValue {
    /// The value from a `--vary` spec.
    pub fn from_toml(v: &toml::Value) -> Self {
        match v {
            toml::Value::Integer(i) => GridValue::Integer(*i),
            toml::Value::Float(f) => GridValue::Float(*f),
            toml::Value::Boolean(b) => GridValue::Bool(*b),
            toml::Value::String(s) => GridValue::Text(s.clone()),
            other => GridValue::Text(other.to_string()),
        }
    }

    /// The value's text in a CSV cell or a message: TOML's spelling of numbers (`2`, `0.5`,
    /// `1.0`) and words unquoted.
    pub fn cell(&self) -> String {
        match self {
            GridValue::Integer(i) => toml::Value::Integer(*i).to_string(),
            GridValue::Float(f) => toml::Value::Float(*f).to_string(),
            GridValue::Bool(b) => toml::Value::Boolean(*b).to_string(),
            GridValue::Text(s) => s.clone(),
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(self, GridValue::Integer(_) | GridValue::Float(_))
    }

    /// The value as a number, when it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            GridValue::Integer(i) => Some(*i as f64),
            GridValue::Float(f) => Some(*f),
            _ => None,
        }
    }
}

impl SweepFile {
    /// The fields in which two sweeps differ, by their names in sweep.json; empty when they are
    /// the same sweep. `scenario_file` (the path as typed) and `shard` are not compared: the same
    /// content reached by another path is the same sweep, and shards are checked apart.
    pub fn differences(&self, other: &SweepFile) -> Vec<String> {
        let fields = |m: &SweepFile| match serde_json::to_value(m) {
            Ok(serde_json::Value::Object(o)) => o,
            _ => serde_json::Map::new(),
        };
        let (a, b) = (fields(self), fields(other));
        let mut keys: Vec<&String> = a.keys().chain(b.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter(|k| !matches!(k.as_str(), "scenario_file" | "shard" | "rows_digest" | "inputs"))
            .filter(|k| a.get(*k) != b.get(*k))
            .cloned()
            .collect()
    }

    /// The varied keys and their values at grid point `point` (the last key varies fastest).
    pub fn point_values(&self, point: usize) -> Vec<(String, GridValue)> {
        let lens: Vec<usize> = self.vary.iter().map(|k| k.values.len()).collect();
        crate::experiment::grid::point_indices(&lens, point)
            .into_iter()
            .zip(&self.vary)
            .map(|(i, k)| (k.key.clone(), k.values[i].clone()))
            .collect()
    }
}

/// One row of `parameters.csv`: the value replicate `replicate` drew for one `[[uncertain]]` key.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct ParameterRow {
    pub replicate: u32,
    pub seed: u64,
    pub key: String,
    pub value: f64,
}

/// A CSV row whose columns are named by the same code that gives their values, for the files whose
/// columns depend on the scenario or the grid (csv's serde support cannot name such columns).
pub trait NamedRow {
    /// (column, cell text), in column order.
    fn cells(&self) -> Vec<(Cow<'static, str>, String)>;
}

/// A row of `summary.csv`: `replicate`, `seed`, then [`Summary::cells`].
impl NamedRow for Summary {
    fn cells(&self) -> Vec<(Cow<'static, str>, String)> {
        let mut cells = vec![
            ("replicate".into(), self.replicate.to_string()),
            ("seed".into(), self.seed.to_string()),
        ];
        cells.extend(Summary::cells(self).into_iter().map(|(k, v)| (k, v.text())));
        cells
    }
}

impl Summary {
    /// Reads back a row of `summary.csv` (`replicate`, `seed`, then [`Summary::cells`]).
    pub fn read(header: &[String], record: &csv::StringRecord) -> Result<Summary, String> {
        if record.len() != header.len() || header.len() < 2 || header[..2] != ["replicate", "seed"] {
            return Err("not the columns of summary.csv".into());
        }
        let replicate = record[0]
            .parse()
            .map_err(|_| format!("column replicate: `{}` is not a count", &record[0]))?;
        let seed = record[1]
            .parse()
            .map_err(|_| format!("column seed: `{}` is not a seed", &record[1]))?;
        let cells: Vec<&str> = record.iter().skip(2).collect();
        Summary::from_cells(replicate, seed, &header[2..], &cells)
    }
}

/// One row of `sweep.csv`: a grid point's run of one replicate.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepRow {
    pub point: usize,
    pub replicate: u32,
    /// The varied keys and their values at this point.
    pub values: Vec<(String, GridValue)>,
    pub summary: Summary,
}

impl NamedRow for SweepRow {
    fn cells(&self) -> Vec<(Cow<'static, str>, String)> {
        let mut cells: Vec<(Cow<'static, str>, String)> = vec![
            ("point".into(), self.point.to_string()),
            ("replicate".into(), self.replicate.to_string()),
            ("seed".into(), self.summary.seed.to_string()),
        ];
        cells.extend(self.values.iter().map(|(k, v)| (k.clone().into(), v.cell())));
        cells.extend(self.summary.cells().into_iter().map(|(k, v)| (k, v.text())));
        cells
    }
}

impl SweepRow {
    /// Reads back a row of `sweep.csv` with these columns, of the sweep `meta`.
    pub fn read(meta: &SweepFile, header: &[String], record: &csv::StringRecord) -> Result<SweepRow, String> {
        let n_keys = meta.vary.len();
        if record.len() != header.len() || header.len() < 3 + n_keys {
            return Err(format!("{} cells for {} columns", record.len(), header.len()));
        }
        let number = |i: usize| {
            record[i]
                .parse::<u64>()
                .map_err(|_| format!("column {}: `{}` is not a count", header[i], &record[i]))
        };
        let point = number(0)? as usize;
        let replicate = u32::try_from(number(1)?).map_err(|_| "replicate out of range".to_string())?;
        let seed = number(2)?;
        if point >= meta.points {
            return Err(format!("point {point} is not in the grid of {} points", meta.points));
        }
        let values = meta.point_values(point);
        for (i, (key, value)) in values.iter().enumerate() {
            if header[3 + i] != *key || record[3 + i] != value.cell() {
                return Err(format!(
                    "point {point}: {}={} does not match sweep.json",
                    header[3 + i],
                    &record[3 + i]
                ));
            }
        }
        let cells: Vec<&str> = record.iter().skip(3 + n_keys).collect();
        let summary = Summary::from_cells(replicate, seed, &header[3 + n_keys..], &cells)?;
        Ok(SweepRow {
            point,
            replicate,
            values,
            summary,
        })
    }
}

/// The `<outcome>_<statistic>` cells of every key outcome, the columns `sweep_summary.csv` and
/// `compare.csv` end with: statistics in [`Describe::SUFFIXES`] order, empty when unknown.
fn outcome_cells(stats: &[Describe; OUTCOMES.len()]) -> Vec<(Cow<'static, str>, String)> {
    OUTCOMES
        .iter()
        .zip(stats)
        .flat_map(|(o, d)| {
            Describe::SUFFIXES
                .iter()
                .zip(d.values())
                .map(move |(s, x)| (Cow::Owned(format!("{}_{s}", o.name)), Number::finite(x).text()))
        })
        .collect()
}

/// Reads back the cells [`outcome_cells`] wrote, checking their columns; `n` is the replicates
/// they summarise.
fn read_outcome_cells(header: &[String], cells: &[&str], n: usize) -> Result<[Describe; OUTCOMES.len()], String> {
    let expected = outcome_cells(&outcome_stats(std::iter::empty()));
    if header.len() != expected.len() || cells.len() != expected.len() {
        return Err(format!(
            "{} statistic columns, expected {}",
            header.len(),
            expected.len()
        ));
    }
    if let Some((h, (e, _))) = header
        .iter()
        .zip(&expected)
        .find(|(h, (e, _))| h.as_str() != e.as_ref())
    {
        return Err(format!("column {h:?} where {e:?} was expected"));
    }
    let mut values = Vec::with_capacity(cells.len());
    for (h, c) in header.iter().zip(cells) {
        let x = if c.trim().is_empty() {
            f64::NAN
        } else {
            c.trim()
                .parse()
                .map_err(|_| format!("column {h}: `{c}` is not a number"))?
        };
        values.push(x);
    }
    let mut stats = outcome_stats(std::iter::empty());
    for (d, v) in stats.iter_mut().zip(values.chunks(Describe::SUFFIXES.len())) {
        *d = Describe {
            n,
            mean: v[0],
            ci95_lo: v[1],
            ci95_hi: v[2],
            p05: v[3],
            p50: v[4],
            p95: v[5],
        };
    }
    Ok(stats)
}

/// The statistics of every key outcome (in [`OUTCOMES`] order) across these summaries.
pub fn outcome_stats<'a>(summaries: impl Iterator<Item = &'a Summary> + Clone) -> [Describe; OUTCOMES.len()] {
    OUTCOMES.map(|o| stats::describe(&summaries.clone().map(|s| s.outcome(o.outcome)).collect::<Vec<_>>()))
}

/// One row of `sweep_summary.csv`: a grid point's key outcomes across its replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct PointRow {
    pub point: usize,
    pub values: Vec<(String, GridValue)>,
    pub replicates: usize,
    /// In [`OUTCOMES`] order.
    pub stats: [Describe; OUTCOMES.len()],
}

impl NamedRow for PointRow {
    fn cells(&self) -> Vec<(Cow<'static, str>, String)> {
        let mut cells: Vec<(Cow<'static, str>, String)> = vec![("point".into(), self.point.to_string())];
        cells.extend(self.values.iter().map(|(k, v)| (k.clone().into(), v.cell())));
        cells.push(("replicates".into(), self.replicates.to_string()));
        cells.extend(outcome_cells(&self.stats));
        cells
    }
}

impl PointRow {
    pub fn stat(&self, outcome: Outcome) -> &Describe {
        &self.stats[outcome_index(outcome)]
    }

    /// Reads back a row of `sweep_summary.csv` with these columns, of the sweep `meta`.
    pub fn read(meta: &SweepFile, header: &[String], record: &csv::StringRecord) -> Result<PointRow, String> {
        let n_keys = meta.vary.len();
        if record.len() != header.len() || header.len() < 2 + n_keys {
            return Err(format!("{} cells for {} columns", record.len(), header.len()));
        }
        let count = |i: usize| {
            record[i]
                .parse::<usize>()
                .map_err(|_| format!("column {}: `{}` is not a count", header[i], &record[i]))
        };
        let point = count(0)?;
        if point >= meta.points {
            return Err(format!("point {point} is not in the grid of {} points", meta.points));
        }
        let values = meta.point_values(point);
        for (i, (key, value)) in values.iter().enumerate() {
            if header[1 + i] != *key || record[1 + i] != value.cell() {
                return Err(format!(
                    "point {point}: {}={} does not match sweep.json",
                    header[1 + i],
                    &record[1 + i]
                ));
            }
        }
        let replicates = count(1 + n_keys)?;
        let cells: Vec<&str> = record.iter().skip(2 + n_keys).collect();
        let stats = read_outcome_cells(&header[2 + n_keys..], &cells, replicates)?;
        Ok(PointRow {
            point,
            values,
            replicates,
            stats,
        })
    }
}

/// One row of `compare.csv`: a scenario file's key outcomes across its replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct CompareRow {
    pub scenario: String,
    pub file: String,
    pub replicates: u32,
    /// `simulation.days` of the scenario: outcomes are totals over the run, so rows with
    /// different days are not like for like.
    pub days: u32,
    /// In [`OUTCOMES`] order.
    pub stats: [Describe; OUTCOMES.len()],
}

impl NamedRow for CompareRow {
    fn cells(&self) -> Vec<(Cow<'static, str>, String)> {
        let mut cells: Vec<(Cow<'static, str>, String)> = vec![
            ("scenario".into(), self.scenario.clone()),
            ("file".into(), self.file.clone()),
            ("replicates".into(), self.replicates.to_string()),
            ("days".into(), self.days.to_string()),
        ];
        cells.extend(outcome_cells(&self.stats));
        cells
    }
}

impl CompareRow {
    pub fn stat(&self, outcome: Outcome) -> &Describe {
        &self.stats[outcome_index(outcome)]
    }

    /// Reads back a row of `compare.csv` with these columns.
    pub fn read(header: &[String], record: &csv::StringRecord) -> Result<CompareRow, String> {
        if record.len() != header.len() || header.len() < 4 || header[..4] != ["scenario", "file", "replicates", "days"]
        {
            return Err("not the columns of compare.csv".into());
        }
        let replicates: u32 = record[2]
            .parse()
            .map_err(|_| format!("column replicates: `{}` is not a count", &record[2]))?;
        let days: u32 = record[3]
            .parse()
            .map_err(|_| format!("column days: `{}` is not a number of days", &record[3]))?;
        let cells: Vec<&str> = record.iter().skip(4).collect();
        Ok(CompareRow {
            scenario: record[0].to_string(),
            file: record[1].to_string(),
            replicates,
            days,
            stats: read_outcome_cells(&header[4..], &cells, replicates as usize)?,
        })
    }
}

fn outcome_index(outcome: Outcome) -> usize {
    OUTCOMES
        .iter()
        .position(|o| o.outcome == outcome)
        .expect("every outcome is in OUTCOMES")
}

/// One row of `compare_vs_baseline.csv` and `sweep_vs_baseline.csv`: a paired statistic of one
/// plan (a compared scenario or a grid point) against the baseline, across replicate pairs.
#[derive(Clone, Debug, PartialEq)]
pub struct BaselineRow {
    /// What the plan is: `scenario` and its name, or `point` and the varied keys' values.
    pub plan: Vec<(String, String)>,
    /// The baseline: a scenario name, or `KEY=VALUE` of the varied keys joined by `;`.
    pub baseline: String,
    pub measure: String,
    pub day: u32,
    pub pairs: usize,
    pub stats: Describe,
}

impl NamedRow for BaselineRow {
    fn cells(&self) -> Vec<(Cow<'static, str>, String)> {
        let mut cells: Vec<(Cow<'static, str>, String)> =
            self.plan.iter().map(|(k, v)| (k.clone().into(), v.clone())).collect();
        cells.push(("baseline".into(), self.baseline.clone()));
        cells.push(("measure".into(), self.measure.clone()));
        cells.push(("day".into(), self.day.to_string()));
        cells.push(("pairs".into(), self.pairs.to_string()));
        cells.extend(
            Describe::SUFFIXES
                .iter()
                .zip(self.stats.values())
                .map(|(s, x)| (Cow::Borrowed(*s), Number::finite(x).text())),
        );
        cells
    }
}

/// `compare.json`: the compared scenario files and what they share.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CompareFile {
    pub program: String,
    pub version: String,
    /// [`MODEL_BUILD`] of the program that wrote the file.
    #[serde(default)]
    pub model_build: String,
    /// The common seed; null when the files' seeds differ (each one's is in `scenarios`).
    pub seed: Option<u64>,
    /// The smallest number of replicates of the scenarios (each one's is in `scenarios`).
    pub replicates: u32,
    /// `KEY=VALUE` overrides applied to every file.
    pub set: Vec<String>,
    pub scenarios: Vec<ComparedScenario>,
    /// `--baseline`: the name of the scenario the others are compared with; absent without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// `--horizons`: the days by which deaths are also compared; absent without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub horizons: Vec<u32>,
    /// `--after-end`: the days after the siege is lifted by which deaths are also compared;
    /// absent without any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub after_end: Vec<u32>,
    /// The input files read, stored in the result's `inputs/` ([`crate::output::inputs`]);
    /// absent when none were stored (an older siege's result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<InputFile>,
}

/// One compared scenario; its run is in `scenarios/<name>/`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComparedScenario {
    /// `simulation.name`, with `_2`, `_3`, … when two files share a name.
    pub name: String,
    pub file: String,
    /// [`scenario_digest`] of the scenario as run.
    #[serde(default)]
    pub scenario_digest: String,
    pub seed: u64,
    pub replicates: u32,
}

/// One row of `check.csv`: a fact and what the simulation says about it. Its text cells come from
/// the user's facts file, free text: written through [`text`], so that no cell runs as a formula.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckRow {
    #[serde(with = "text")]
    pub id: String,
    /// `input` or `outcome`.
    #[serde(with = "text")]
    pub kind: String,
    pub day: u32,
    /// Days averaged, ending on `day`; empty for the one day.
    pub window: Option<u32>,
    #[serde(with = "text")]
    pub quantity: String,
    /// The `timeseries.csv` column measured; empty when the fact is not in the model.
    #[serde(with = "text")]
    pub metric: String,
    /// The value as the record gives it.
    #[serde(with = "text")]
    pub documented: String,
    #[serde(with = "text")]
    pub tolerance: String,
    pub sim_median: Number,
    pub sim_p05: Number,
    pub sim_p95: Number,
    /// Whether the median lies within the tolerance; empty when the fact is not scored.
    pub within: Option<bool>,
}

/// Free text from a user's file as a CSV cell a spreadsheet will not run: a cell that begins with
/// `=`, `+`, `-`, `@`, a tab or a carriage return (what Excel, LibreOffice and Google Sheets read as
/// the start of a formula, e.g. `=cmd|' /C calc'!A0`) gets a leading `'`, which spreadsheets show
/// as text; a cell that is a plain number (`-3`, `+5`) is left as it is. The one rule for every
/// free-text cell (docs/outputs.md); [`restore_cell`] undoes it.
pub fn safe_cell(cell: &str) -> Cow<'_, str> {
    if needs_quote(cell) {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// Whether [`safe_cell`] quotes `cell`: a formula, or a formula behind quotes (so that a text that
/// itself begins `'=` reads back as written).
fn needs_quote(cell: &str) -> bool {
    let rest = cell.trim_start_matches('\'');
    rest.starts_with(['=', '+', '-', '@', '\t', '\r']) && rest.trim().parse::<f64>().is_err()
}

/// The text [`safe_cell`] was given, from the cell it wrote.
pub fn restore_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote(rest) => rest,
        _ => cell,
    }
}

/// `#[serde(with = "files::text")]` for a free-text `String` column: written through
/// [`safe_cell`], read back through [`restore_cell`].
pub mod text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(cell: &str, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::safe_cell(cell))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        let cell = String::deserialize(d)?;
        Ok(super::restore_cell(&cell).to_string())
    }
}

/// A number in a CSV cell that may be absent: empty when absent or not finite, else Rust's
/// shortest round-trip text (`20`, `14.120000000000001`; never `20.0`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Number(pub Option<f64>);

impl Number {
    /// The number when finite, else absent.
    pub fn finite(x: f64) -> Self {
        Number(x.is_finite().then_some(x))
    }

    /// The cell: empty when absent or not finite (a statistic over nobody is NaN, never 0).
    pub fn text(self) -> String {
        self.0
            .filter(|x| x.is_finite())
            .map(|x| x.to_string())
            .unwrap_or_default()
    }

    /// The number, NaN when absent.
    pub fn or_nan(self) -> f64 {
        self.0.unwrap_or(f64::NAN)
    }
}

/// `#[serde(with = "files::maybe")]` for an `f64` column of `timeseries.csv` that is a statistic
/// over a group that may be empty (a share of the under-5s once none is left, a rate over nobody):
/// NaN, the model's "over nobody", is written as an empty cell and read back as NaN; a finite value
/// is written exactly as any other `f64` column. The same rule as [`Number`]: a non-finite number
/// is never written.
pub mod maybe {
    use serde::{Deserializer, Serializer, de};

    pub fn serialize<S: Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
        if x.is_finite() {
            s.serialize_f64(*x)
        } else {
            s.serialize_str("")
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = f64;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number or an empty cell")
            }
            fn visit_f64<E: de::Error>(self, x: f64) -> Result<f64, E> {
                Ok(x)
            }
            fn visit_i64<E: de::Error>(self, x: i64) -> Result<f64, E> {
                Ok(x as f64)
            }
            fn visit_u64<E: de::Error>(self, x: u64) -> Result<f64, E> {
                Ok(x as f64)
            }
            fn visit_unit<E: de::Error>(self) -> Result<f64, E> {
                Ok(f64::NAN)
            }
            fn visit_none<E: de::Error>(self) -> Result<f64, E> {
                Ok(f64::NAN)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
                let text = text.trim();
                if text.is_empty() {
                    return Ok(f64::NAN);
                }
                match text.parse::<f64>() {
                    Ok(x) if x.is_finite() => Ok(x),
                    _ => Err(E::custom(format!("`{text}` is not a number"))),
                }
            }
        }
        d.deserialize_any(V)
    }
}

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text())
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        let text = text.trim();
        if text.is_empty() {
            return Ok(Number(None));
        }
        text.parse()
            .map(|x| Number(Some(x)))
            .map_err(|_| serde::de::Error::custom(format!("`{text}` is not a number")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_values_keep_their_type_through_json() {
        let values = vec![
            GridValue::Integer(2),
            GridValue::Float(0.5),
            GridValue::Float(1.0),
            GridValue::Bool(true),
            GridValue::Text("need".into()),
        ];
        let text = serde_json::to_string(&values).unwrap();
        assert_eq!(text, r#"[2,0.5,1.0,true,"need"]"#);
        let back: Vec<GridValue> = serde_json::from_str(&text).unwrap();
        assert_eq!(back, values);
        let cells: Vec<String> = values.iter().map(GridValue::cell).collect();
        assert_eq!(cells, ["2", "0.5", "1.0", "true", "need"]);
    }

    fn written(row: &impl NamedRow) -> (Vec<String>, csv::StringRecord) {
        let (names, cells): (Vec<String>, Vec<String>) =
            row.cells().into_iter().map(|(n, v)| (n.into_owned(), v)).unzip();
        (names, csv::StringRecord::from(cells))
    }

    fn summaries() -> Vec<Summary> {
        (0..3)
            .map(|r| Summary {
                replicate: r,
                deaths_total: 10 + 7 * u64::from(r),
                peak_cdr_per_10k: 0.1 * f64::from(r),
                ..Summary::default()
            })
            .collect()
    }

    #[test]
    fn sweep_and_compare_rows_read_back_as_written() {
        let meta = SweepFile {
            program: PROGRAM.into(),
            version: VERSION.into(),
            model_build: MODEL_BUILD.into(),
            scenario_digest: String::new(),
            scenario_file: "s.toml".into(),
            scenario_name: "s".into(),
            seed: 1,
            days: 10,
            replicates: 3,
            points: 4,
            set: vec![],
            vary: vec![
                VaryKey {
                    key: "a".into(),
                    values: vec![GridValue::Integer(2), GridValue::Integer(4)],
                },
                VaryKey {
                    key: "b".into(),
                    values: vec![GridValue::Text("equal".into()), GridValue::Text("need".into())],
                },
            ],
            scenario: None,
            shard: None,
            rows_digest: String::new(),
            inputs: Vec::new(),
        };
        let s = summaries();
        let point = PointRow {
            point: 3,
            values: meta.point_values(3),
            replicates: 3,
            stats: outcome_stats(s.iter()),
        };
        assert_eq!(point.values[1], ("b".to_string(), GridValue::Text("need".into())));
        let (header, record) = written(&point);
        assert_eq!(PointRow::read(&meta, &header, &record), Ok(point.clone()));
        let row = SweepRow {
            point: 3,
            replicate: 1,
            values: meta.point_values(3),
            summary: s[1].clone(),
        };
        let (header, record) = written(&row);
        assert_eq!(SweepRow::read(&meta, &header, &record), Ok(row));
        let compared = CompareRow {
            scenario: "s".into(),
            file: "s.toml".into(),
            replicates: 3,
            days: 60,
            stats: point.stats,
        };
        let (header, record) = written(&compared);
        assert_eq!(CompareRow::read(&header, &record), Ok(compared));
        // A renamed statistic column is named in the error, not read as NaN.
        let mut renamed = header.clone();
        renamed[4] = "deaths_totl_mean".into();
        let e = CompareRow::read(&renamed, &record).unwrap_err();
        assert!(e.contains("deaths_totl_mean"), "{e}");
    }

    #[test]
    fn numbers_are_empty_when_absent_and_never_end_in_point_zero() {
        for (given, written) in [
            ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("-3", "-3"),
            ("+5", "+5"),
            ("10+", "10+"),
            ("'quoted", "'quoted"),
            ("'=x", "''=x"),
            ("''", "''"),
            ("", ""),
        ] {
            assert_eq!(safe_cell(given), written, "{given:?}");
            assert_eq!(restore_cell(&safe_cell(given)), given, "{given:?}");
        }
        assert_eq!(Number(Some(20.0)).text(), "20");
        assert_eq!(Number(None).text(), "");
        assert_eq!(Number::finite(f64::NAN), Number(None));
        let mut w = csv::Writer::from_writer(Vec::new());
        w.serialize((Number(Some(2.5)), Number(None))).unwrap();
        let bytes = w.into_inner().unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "2.5,\n");
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader("2.5,\n".as_bytes());
        let row: (Number, Number) = r.deserialize().next().unwrap().unwrap();
        assert_eq!(row, (Number(Some(2.5)), Number(None)));
    }
}
