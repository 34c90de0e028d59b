//! Scenario files: TOML as written → key-path overrides → per-section deserialisation (unknown keys
//! rejected) → validation into a [`Scenario`] the model can trust. Every problem found is reported,
//! with the file, the key path, the line where known and what was expected.

pub mod date;
pub mod overrides;
pub mod params;
mod resolved;
pub mod uncertain;
mod validate;

use params::*;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use toml::{Table, Value};

pub use crate::output::inputs::Input;
pub use overrides::Override;
pub use resolved::{
    Resolved, ResolvedAirdrop, ResolvedConvoy, ResolvedEvacuation, ResolvedEvent, ResolvedRoute, ResolvedSource,
    ResolvedStore, largest_remainder,
};
pub use validate::{MAX_DAYS, MAX_PEOPLE};

/// The whole scenario file, as written (after overrides), with defaults filled in.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub simulation: SimulationParams,
    #[serde(default)]
    pub population: PopulationParams,
    #[serde(default)]
    pub food: FoodParams,
    #[serde(default)]
    pub physiology: PhysiologyParams,
    #[serde(default)]
    pub mortality: MortalityParams,
    #[serde(default)]
    pub displacement: DisplacementParams,
    #[serde(default)]
    pub siege: SiegeParams,
    #[serde(default)]
    pub disease: DiseaseParams,
    #[serde(default)]
    pub locations: Vec<LocationParams>,
    #[serde(default)]
    pub routes: Vec<RouteParams>,
    #[serde(default)]
    pub events: Vec<EventParams>,
    #[serde(default)]
    pub airdrops: Vec<AirdropParams>,
    #[serde(default)]
    pub airdrop_plan: AirdropPlanParams,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub convoys: Vec<ConvoyParams>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checkpoints: Vec<CheckpointParams>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evacuations: Vec<EvacuationParams>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub climate: Vec<ClimateParams>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub activity: Vec<ActivityParams>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stores: Vec<StoreParams>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rations: Vec<CardRations>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub uncertain: Vec<uncertain::UncertainParams>,
    #[serde(default, skip_serializing_if = "WaterParams::is_default")]
    pub water: WaterParams,
    #[serde(default, skip_serializing_if = "MarketParams::is_default")]
    pub market: MarketParams,
}

/// The top-level sections a scenario file may have.
pub const SECTIONS: &[&str] = &[
    "simulation",
    "population",
    "food",
    "physiology",
    "mortality",
    "displacement",
    "siege",
    "disease",
    "locations",
    "routes",
    "events",
    "airdrops",
    "airdrop_plan",
    "convoys",
    "checkpoints",
    "evacuations",
    "climate",
    "activity",
    "stores",
    "rations",
    "uncertain",
    "water",
    "market",
];

/// The entry of a day-keyed schedule (`[[climate]]`, `[[activity]]`) in force on `day`: the one
/// from the latest `from_day` on or before it, whatever the file order (validation keeps the days
/// distinct).
fn in_force<'a, T: 'a>(
    entries: impl IntoIterator<Item = &'a T>,
    day: u32,
    from_day: impl Fn(&T) -> u32,
) -> Option<&'a T> {
    entries
        .into_iter()
        .filter(|e| from_day(e) <= day)
        .max_by_key(|e| from_day(e))
}

/// A validated scenario: the parameters as resolved, plus indices the model uses.
///
/// Read it through its accessors, which give one view whichever half holds a value: the
/// parameter sections as checked ([`Scenario::food`], [`Scenario::siege`], …) and what validation
/// derived from them (locations resolved to indices, schedules sorted by day, defaults that depend
/// on other sections).
#[derive(Clone, Debug)]
pub struct Scenario {
    file: ScenarioFile,
    resolved: Resolved,
    /// What each replicate's `[[uncertain]]` draws need; None without such entries.
    source: Option<uncertain::Source>,
    /// The files read to make it, as read: the scenario file, then each base it `extends`,
    /// nearest first (shared by clones).
    inputs: std::sync::Arc<Vec<Input>>,
}

impl Scenario {
    // [simulation]
    pub fn name(&self) -> &str {
        &self.file.simulation.name
    }
    pub fn days(&self) -> u32 {
        self.file.simulation.days
    }
    pub fn seed(&self) -> u64 {
        self.file.simulation.seed
    }
    pub fn replicates(&self) -> u32 {
        self.file.simulation.replicates
    }
    /// Day 0 as days since 1970-01-01, when `start_date` is given.
    pub fn start_epoch_day(&self) -> Option<i64> {
        self.resolved.start_epoch_day
    }

    // The parameter sections, as checked.
    pub fn population(&self) -> &PopulationParams {
        &self.file.population
    }
    pub fn food(&self) -> &FoodParams {
        &self.file.food
    }
    pub fn physiology(&self) -> &PhysiologyParams {
        &self.file.physiology
    }
    pub fn mortality(&self) -> &MortalityParams {
        &self.file.mortality
    }
    pub fn displacement(&self) -> &DisplacementParams {
        &self.file.displacement
    }
    pub fn siege(&self) -> &SiegeParams {
        &self.file.siege
    }
    pub fn water(&self) -> &WaterParams {
        &self.file.water
    }
    /// Whether any location has water sources (else water is unlimited everywhere and the water
    /// phase does nothing).
    pub fn has_water(&self) -> bool {
        self.file.locations.iter().any(|l| !l.water.is_empty())
    }
    /// Each location's water sources, as resolved (ids filled in).
    pub fn water_sources(&self) -> &[Vec<ResolvedSource>] {
        &self.resolved.water_sources
    }
    /// The location of the declared measles outbreak; None = everywhere.
    pub fn measles_location(&self) -> Option<usize> {
        self.resolved.measles_location
    }
    /// `[market]`: prices, wealth groups and coping foods (model/market.rs).
    pub fn market(&self) -> &MarketParams {
        &self.file.market
    }
    pub fn disease(&self) -> &DiseaseParams {
        &self.file.disease
    }

    // Locations, indexed as everywhere in the model (file order; `home` when the file has none).
    /// Each location's parameters as written; its pull on people is [`Scenario::attractiveness`].
    pub fn locations(&self) -> &[LocationParams] {
        &self.file.locations
    }
    pub fn location_ids(&self) -> &[String] {
        &self.resolved.location_ids
    }
    /// Whether each location is encircled (`[siege] locations`, else kind `besieged`).
    pub fn encircled(&self) -> &[bool] {
        &self.resolved.encircled
    }
    /// Each location's pull on people fleeing, its default by kind filled in.
    pub fn attractiveness(&self) -> &[f64] {
        &self.resolved.attractiveness
    }
    /// People living at each location at day 0.
    pub fn home_counts(&self) -> &[u64] {
        &self.resolved.home_counts
    }

    // Routes and schedules, resolved.
    pub fn routes(&self) -> &[ResolvedRoute] {
        &self.resolved.routes
    }
    /// Sorted by day; same-day events keep file order.
    pub fn events(&self) -> &[ResolvedEvent] {
        &self.resolved.events
    }
    /// Sorted by day, already shifted by `[airdrop_plan]`; same-day drops keep file order.
    pub fn airdrops(&self) -> &[ResolvedAirdrop] {
        &self.resolved.airdrops
    }

    /// Sorted by arrival day; same-day arrivals keep file order (then schedule order).
    pub fn convoys(&self) -> &[ResolvedConvoy] {
        &self.resolved.convoys
    }
    /// The mean temperature people live in on `day` (`[[climate]]`: the last entry from on or
    /// before it), if any entry has started.
    pub fn temperature_on(&self, day: u32) -> Option<f64> {
        in_force(&self.file.climate, day, |c| c.from_day).map(|c| c.mean_temperature_c)
    }
    /// Adults' extra need on `day` for their activity, kcal/day, men and women, for each card (in
    /// `Card::ALL` order): for a card, the last `[[activity]]` entry from on or before `day` among
    /// those that apply to it (`ActivityParams::applies_to`); 0 before any.
    pub fn activity_kcal_on(&self, day: u32) -> [[f64; 2]; 4] {
        Card::ALL.map(|card| {
            in_force(self.file.activity.iter().filter(|a| a.applies_to(card)), day, |a| {
                a.from_day
            })
            .map_or([0.0; 2], |a| a.level.extra_kcal())
        })
    }
    /// Whether anything reads people's ration cards: a `[[stores]]` issuing by card, or an
    /// `[[activity]]` entry naming cards.
    pub fn reads_cards(&self) -> bool {
        !self.resolved.stores.is_empty() || self.file.activity.iter().any(|a| a.cards.is_some())
    }
    /// Organised evacuations, in file order.
    pub fn evacuations(&self) -> &[ResolvedEvacuation] {
        &self.resolved.evacuations
    }
    /// Day `[siege]` starts the siege (`start_day`, else 0 unless a `siege_start` event does).
    pub fn siege_start_day(&self) -> Option<u32> {
        self.resolved.siege_start_day
    }
    /// The authority's stores, resolved (file order).
    pub fn stores(&self) -> &[ResolvedStore] {
        &self.resolved.stores
    }
    /// Who holds which ration card (`[population.cards]`, defaults filled in).
    pub fn cards(&self) -> CardParams {
        self.file.population.cards.clone().unwrap_or_default()
    }

    /// The scenario file as validated (after `extends` and overrides, defaults filled in), for
    /// writing it out beside the results.
    pub fn as_written(&self) -> &ScenarioFile {
        &self.file
    }

    /// The files read to make this scenario, as they read when it was parsed: the scenario file
    /// (or run.json) first, then each base it `extends`, nearest first; what a result stores
    /// ([`crate::output::inputs`]).
    pub fn inputs(&self) -> &[Input] {
        &self.inputs
    }

    /// The same scenario, read from `file` (a run.json whose recorded scenario it is), not from
    /// the text it was parsed from.
    pub fn read_from(mut self, file: Input) -> Scenario {
        self.inputs = std::sync::Arc::new(vec![file]);
        self
    }

    /// A copy with `edit` made to the parameters as written, nothing derived again or checked: for
    /// [`crate::model::RunInput`] alone, which writes fields no run can read as one value. Never
    /// run the copy.
    pub(crate) fn with_written_edited(&self, edit: impl FnOnce(&mut ScenarioFile)) -> Scenario {
        let mut copy = self.clone();
        edit(&mut copy.file);
        copy
    }

    /// The same scenario without any airdrop (and without the `[airdrop_plan]` that moves them).
    pub fn without_airdrops(&self) -> Scenario {
        let mut rest = self.clone();
        rest.file.airdrops.clear();
        rest.file.airdrop_plan = AirdropPlanParams::default();
        rest.resolved.airdrops.clear();
        rest
    }
}

/// One of [`ASSUMPTIONS_THAT_MATTER`] as the scenario has it.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumptionInEffect {
    /// The key path, a location named by its id (`locations.diabaly.host_support_kcal`).
    pub key: String,
    /// The key path as the file writes it (`locations.5.host_support_kcal`).
    pub path: String,
    /// The value in effect, as text.
    pub value: String,
    /// Written in the file, a base it extends or an override (else the default is in effect).
    pub written: bool,
    pub unit: &'static str,
    pub standing: &'static str,
}

/// Every [`ASSUMPTIONS_THAT_MATTER`] of `file` with its value in effect, and whether it was
/// written. `written` tells whether a key path (elements by index: `locations.5.host_support_kcal`)
/// was written in the file, a base it extends or an override. A location key is listed for each
/// location that is not `besieged` (where displaced people arrive).
pub fn assumptions_in_effect(file: &ScenarioFile, written: impl Fn(&str) -> bool) -> Vec<AssumptionInEffect> {
    let json = serde_json::to_value(file).unwrap_or_default();
    let value_at = |path: &str| {
        path.split('.')
            .try_fold(&json, |v, seg| match seg.parse::<usize>() {
                Ok(i) => v.get(i),
                Err(_) => v.get(seg),
            })
            .map(|v| match v {
                serde_json::Value::String(s) => s.clone(),
                // 60, not 60.0.
                serde_json::Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| x.to_string()),
                other => other.to_string(),
            })
    };
    let mut out = Vec::new();
    for d in ASSUMPTIONS_THAT_MATTER {
        let keys: Vec<(String, String)> = match d.key.strip_prefix("locations.*.") {
            Some(field) => file
                .locations
                .iter()
                .enumerate()
                .filter(|(_, l)| l.kind != LocationKind::Besieged)
                .map(|(i, l)| (format!("locations.{i}.{field}"), format!("locations.{}.{field}", l.id)))
                .collect(),
            None => vec![(d.key.to_string(), d.key.to_string())],
        };
        for (path, shown) in keys {
            if let Some(value) = value_at(&path) {
                out.push(AssumptionInEffect {
                    key: shown,
                    written: written(&path),
                    path,
                    value,
                    unit: d.unit,
                    standing: d.standing,
                });
            }
        }
    }
    out
}

/// One problem in a scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    /// Dotted key path (`population.size`, `events.2.day`); empty for the whole file.
    pub key: String,
    pub line: Option<usize>,
    pub message: String,
}

/// Most problems listed for one file; the rest are counted. A file with more has one mistake
/// repeated (every event outside a shortened horizon), and listing them all would bury it.
pub const MAX_PROBLEMS_LISTED: usize = 1_000;
/// Largest scenario or base file read, bytes (a 50,000-event file is about 3 MB).
pub const MAX_FILE_BYTES: u64 = 16 << 20;
/// Longest key path and message shown, in characters; longer ones are cut with "…".
const MAX_KEY_SHOWN: usize = 200;
const MAX_MESSAGE_SHOWN: usize = 1_000;

/// Every problem found in one scenario file: the first [`MAX_PROBLEMS_LISTED`], and how many more.
#[derive(Clone, Debug)]
pub struct ScenarioError {
    pub file: String,
    pub problems: Vec<Problem>,
    /// Problems found beyond those listed.
    pub omitted: usize,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.problems.len() + self.omitted;
        write!(f, "{}: {} problem{} found", self.file, n, if n == 1 { "" } else { "s" })?;
        for p in &self.problems {
            write!(f, "\n  {}", self.file)?;
            if let Some(line) = p.line {
                write!(f, ":{line}")?;
            }
            let message = shorten(&p.message, MAX_MESSAGE_SHOWN);
            let message = printable(&message);
            if p.key.is_empty() {
                write!(f, ": {message}")?;
            } else {
                write!(f, ": `{}`: {message}", printable(&shorten(&p.key, MAX_KEY_SHOWN)))?;
            }
        }
        if self.omitted > 0 {
            write!(
                f,
                "\n  … and {} more problem{} (only the first {} are listed)",
                self.omitted,
                if self.omitted == 1 { "" } else { "s" },
                self.problems.len()
            )?;
        }
        Ok(())
    }
}
impl std::error::Error for ScenarioError {}

/// `text` with control characters escaped (`\u{1b}`), so that a key or value from a file cannot
/// move the cursor, recolour or clear the terminal that shows a message about it.
pub fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return text.into();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect::<String>()
        .into()
}

/// `text` cut to its first `max` characters, with "…" when it was longer.
/// The most bytes in a scenario or experiment name (file systems allow 255; `-sweep` and `-check`
/// are added).
pub const MAX_NAME_BYTES: usize = 200;

/// What a scenario or experiment name must be, for messages: it becomes `output/<name>/` and is
/// written into result files.
pub const PLAIN_NAME_RULE: &str = "a non-empty name usable as a directory name (no `/`, `\\` or control \
     characters, not starting with `.` or a spreadsheet formula sign `=`, `+`, `-`, `@`, at most 200 bytes)";

/// Whether `name` obeys [`PLAIN_NAME_RULE`].
pub fn is_plain_name(name: &str) -> bool {
    !(name.trim().is_empty()
        || name.contains(['/', '\\'])
        || name.starts_with(['.', '=', '+', '-', '@'])
        || name.chars().any(char::is_control)
        || name.len() > MAX_NAME_BYTES
        || std::path::Path::new(name).is_absolute())
}

pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

/// Problems as they are found: the first [`MAX_PROBLEMS_LISTED`] kept whole, the key paths of the
/// rest kept to be counted (and to tell which sections a later pass may still report on).
#[derive(Default)]
pub(crate) struct Problems {
    listed: Vec<Problem>,
    omitted: Vec<String>,
    /// The non-empty key paths of all of them.
    keys: BTreeSet<String>,
}

impl Problems {
    pub(crate) fn push(&mut self, p: Problem) {
        if !p.key.is_empty() {
            self.keys.insert(p.key.clone());
        }
        if self.is_listing() {
            self.listed.push(p);
        } else {
            self.omitted.push(p.key);
        }
    }
    /// Counts a problem beyond those listed without building its message.
    pub(crate) fn count(&mut self, key: &str) {
        if !key.is_empty() {
            self.keys.insert(key.to_string());
        }
        self.omitted.push(key.to_string());
    }
    /// Whether another problem would be listed (otherwise only counted).
    pub(crate) fn is_listing(&self) -> bool {
        self.listed.len() < MAX_PROBLEMS_LISTED
    }
    pub(crate) fn len(&self) -> usize {
        self.listed.len() + self.omitted.len()
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Whether a problem was found at `key`, inside it or at a path that contains it (by text:
    /// `events.1` mentions `events.10` too, as it always has).
    fn mention(&self, key: &str) -> bool {
        let inside = self
            .keys
            .range::<str, _>((std::ops::Bound::Included(key), std::ops::Bound::Unbounded))
            .next()
            .is_some_and(|k| k.starts_with(key));
        inside
            || key
                .char_indices()
                .map(|(i, _)| &key[..i])
                .chain([key])
                .any(|prefix| !prefix.is_empty() && self.keys.contains(prefix))
    }
    /// Adds `more`, except problems at keys already mentioned.
    fn extend_unmentioned(&mut self, more: Problems) {
        let fresh_listed: Vec<Problem> = more.listed.into_iter().filter(|p| !self.mention(&p.key)).collect();
        let fresh_counted: Vec<String> = more.omitted.into_iter().filter(|k| !self.mention(k)).collect();
        for p in fresh_listed {
            self.push(p);
        }
        for k in fresh_counted {
            self.count(&k);
        }
    }
    fn into_error(self, file: &str) -> ScenarioError {
        ScenarioError {
            file: file.to_string(),
            problems: self.listed,
            omitted: self.omitted.len(),
        }
    }
}

/// Parses and validates scenario text. `file` names it in messages; `overrides` are `(key path,
/// TOML value text)` pairs applied before validation, as `--set` does.
pub fn parse(file: &str, text: &str, overrides: &[(String, String)]) -> Result<Scenario, ScenarioError> {
    parse_in(file, text, &Override::from_set(overrides), std::path::Path::new("."))
}

/// As [`parse`], with overrides already TOML values (a `--vary` grid value is never turned into
/// text and read back), resolving `extends = "base.toml"` relative to `dir`: the base file's
/// tables are merged under this file's (tables merge key by key; arrays and values are replaced
/// whole).
pub fn parse_in(
    file: &str,
    text: &str,
    overrides: &[Override],
    dir: &std::path::Path,
) -> Result<Scenario, ScenarioError> {
    parse_in_with(file, text, overrides, dir, uncertain::AbsentKeys::Refused)
}

/// As [`parse_in`], with `absent` saying what an `[[uncertain]]` entry naming an element the
/// scenario lacks is: refused, or not applied (a versus plan's, `siege sensitivity`).
pub fn parse_in_with(
    file: &str,
    text: &str,
    overrides: &[Override],
    dir: &std::path::Path,
    absent: uncertain::AbsentKeys,
) -> Result<Scenario, ScenarioError> {
    let fail = |problems: Vec<Problem>| ScenarioError {
        file: file.to_string(),
        problems,
        omitted: 0,
    };
    if text.trim().is_empty() {
        return Err(fail(vec![Problem {
            key: String::new(),
            line: None,
            message: "the file is empty; a scenario needs at least `[simulation]` with a `name`".into(),
        }]));
    }
    let mut table: Table = text.parse().map_err(|e: toml::de::Error| {
        let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
        fail(vec![Problem {
            key: String::new(),
            line,
            message: format!("not valid TOML: {}", e.message()),
        }])
    })?;
    // The tree as the file wrote it, to tell the file's keys from those only --set names.
    let as_written = (!overrides.is_empty()).then(|| table.clone());
    let at = Locator::new(text);
    let mut problems = Problems::default();
    // The bases this file extends, nearest first, and the keys this file itself writes: a problem
    // with a key only a base writes is that base's.
    let mut bases: Vec<Base> = Vec::new();
    let mut own_keys: Option<Table> = None;
    if let Some(base) = table.remove("extends") {
        own_keys = Some(table.clone());
        match extend(base, dir, 0, &mut bases) {
            Ok(mut merged) => {
                merge(&mut merged, table);
                table = merged;
            }
            Err(message) => problems.push(Problem {
                key: "extends".into(),
                line: at.line("extends"),
                message,
            }),
        }
    }
    // Each override's key with its elements named by index, as problems are (`--set
    // locations.city.capacity=…` sets `locations.2.capacity`).
    let mut override_keys: Vec<String> = Vec::with_capacity(overrides.len());
    // The problems with the key paths themselves, by position among those listed, and their flags.
    let mut path_problems: BTreeMap<usize, &str> = BTreeMap::new();
    for o in overrides {
        match overrides::set_path(&mut table, &o.key, o.value.clone()) {
            Ok(key) => override_keys.push(key),
            Err(message) => {
                override_keys.push(o.key.clone());
                if problems.is_listing() {
                    path_problems.insert(problems.listed.len(), o.flag);
                }
                problems.push(Problem {
                    key: o.key.clone(),
                    line: None,
                    message,
                });
            }
        }
    }
    uncertain::dotted_keys(&mut table);
    for (key, message) in date::dates_to_days(&mut table) {
        problems.push(Problem {
            line: at.line(&key),
            key,
            message,
        });
    }
    // A key already reported (a date that is not a day) is not reported again from the day 0 that
    // stands in for it.
    let mut scenario_file = deserialize_sections(&table, &at, &mut problems).and_then(|sf| {
        validate::validate(sf, &at)
            .map_err(|more| problems.extend_unmentioned(more))
            .ok()
    });
    if let Some(sc) = scenario_file.as_mut().filter(|_| problems.is_empty()) {
        uncertain::attach(sc, &table, absent, &mut problems);
    }
    // A problem with a key that came from a flag (--set, --vary, …) is the flag's, not the file's. So is a problem
    // with a section or table that only the flag's key path names (`--set populaton.size=5`).
    // Looked up by key, not by scanning every override for every problem.
    let mut given: BTreeMap<&str, usize> = BTreeMap::new();
    // The last override of a key is the one in effect, so the one named.
    for (i, key) in override_keys.iter().enumerate() {
        given.insert(key.as_str(), i);
    }
    // A problem with a key only a base writes is the base's: named with its file and line there.
    let base_lines: Vec<Locator> = bases.iter().map(|b| Locator::new(&b.text)).collect();
    for (n, p) in problems.listed.iter_mut().enumerate() {
        let segments = p
            .key
            .match_indices('.')
            .map(|(i, _)| &p.key[..i])
            .chain([p.key.as_str()]);
        let origin = if p.key.is_empty() {
            None
        } else if let Some(flag) = path_problems.get(&n) {
            Some(format!("key path given by {flag}"))
        // Of the overrides that set this key or a table or element holding it (`airdrops=[…]`,
        // then `airdrops.0.day=…`), the one applied last: the value in effect is its.
        } else if let Some(&i) = segments.filter_map(|k| given.get(k)).max() {
            Some(format!("value given by {}", overrides[i].flag))
        } else if let Some(k) = as_written
            .as_ref()
            .filter(|t| overrides::get_path(t, &p.key).is_none())
            .and_then(|_| {
                let under = format!("{}.", p.key);
                given
                    .range::<str, _>((std::ops::Bound::Included(under.as_str()), std::ops::Bound::Unbounded))
                    .take_while(|(k, _)| k.starts_with(&under))
                    .min_by_key(|&(_, &i)| i)
                    .map(|(_, &i)| &overrides[i])
            })
        {
            Some(format!(
                "key path given by {} `{}`",
                k.flag,
                shorten(&k.key, MAX_KEY_SHOWN)
            ))
        } else if let Some(i) = own_keys
            .as_ref()
            .filter(|t| overrides::get_path(t, &p.key).is_none())
            .and_then(|_| {
                bases
                    .iter()
                    .position(|b| overrides::get_path(&b.table, &p.key).is_some())
            })
        {
            let line = base_lines[i].line(&p.key).map(|l| format!(":{l}")).unwrap_or_default();
            Some(format!("set in the base scenario {}{line}", bases[i].name))
        } else {
            None
        };
        if let Some(origin) = origin {
            p.line = None;
            p.message = format!("{} ({origin})", p.message);
        }
    }
    // In the order of the file: problems not on a line of it (a flag's, the whole file's) first,
    // then by line, then by key path (array indices as numbers: `events.2` before `events.10`).
    problems
        .listed
        .sort_by(|a, b| a.line.cmp(&b.line).then_with(|| key_order(&a.key, &b.key)));
    match scenario_file {
        Some(mut sc) if problems.is_empty() => {
            let read = std::iter::once(Input {
                path: file.to_string(),
                text: text.to_string(),
            });
            let bases = bases.into_iter().map(|b| Input {
                path: b.name,
                text: b.text,
            });
            sc.inputs = std::sync::Arc::new(read.chain(bases).collect());
            Ok(sc)
        }
        _ => Err(problems.into_error(file)),
    }
}

/// Orders key paths segment by segment, numbers as numbers.
fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    let seg = |s: &str| match s.parse::<u64>() {
        Ok(n) => (0, n, String::new()),
        Err(_) => (1, 0, s.to_string()),
    };
    a.split('.').map(seg).cmp(b.split('.').map(seg))
}

/// Loads a scenario file from disk.
pub fn load(path: &std::path::Path, overrides: &[(String, String)]) -> Result<Scenario, ScenarioError> {
    load_with(path, overrides, uncertain::AbsentKeys::Refused)
}

/// As [`load`], with `absent` as [`parse_in_with`]'s.
pub fn load_with(
    path: &std::path::Path,
    overrides: &[(String, String)],
    absent: uncertain::AbsentKeys,
) -> Result<Scenario, ScenarioError> {
    let name = path.display().to_string();
    let text = read_text(path).map_err(|message| ScenarioError {
        file: name.clone(),
        problems: vec![Problem {
            key: String::new(),
            line: None,
            message,
        }],
        omitted: 0,
    })?;
    parse_in_with(
        &name,
        &text,
        &Override::from_set(overrides),
        path.parent().unwrap_or(std::path::Path::new(".")),
        absent,
    )
}

/// Reads a scenario (or experiment) file as text: a regular file of at most [`MAX_FILE_BYTES`],
/// in UTF-8. A device (`/dev/zero`), a FIFO or a directory is refused before it is opened, so
/// reading never blocks or runs without end. The error is a sentence to show after the file name.
pub fn read_text(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "cannot read: not a regular file (a {}); a scenario is a TOML text file",
            if meta.is_dir() {
                "directory"
            } else {
                "device, FIFO or socket"
            }
        ));
    }
    let too_large = || {
        format!(
            "cannot read: larger than {} MiB, the most a scenario file may be",
            MAX_FILE_BYTES >> 20
        )
    };
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large());
    }
    String::from_utf8(bytes).map_err(|_| "not a text file (invalid UTF-8); a scenario is a TOML text file".into())
}

/// A base scenario file, as its text and its table as written (without its own `extends`).
struct Base {
    name: String,
    text: String,
    table: Table,
}

/// Loads the table a file `extends`, itself resolved recursively (at most 8 levels); each base
/// read is added to `bases`, nearest first.
fn extend(base: Value, dir: &std::path::Path, depth: usize, bases: &mut Vec<Base>) -> Result<Table, String> {
    let Value::String(rel) = base else {
        return Err("expected the path of a scenario file to extend, as a string".into());
    };
    if depth >= 8 {
        return Err("`extends` is nested more than 8 deep (a cycle?)".into());
    }
    let path = dir.join(&rel);
    let text = read_text(&path).map_err(|e| format!("the base scenario {}: {e}", path.display()))?;
    let mut table: Table = text.parse().map_err(|e: toml::de::Error| {
        format!(
            "the base scenario {} is not valid TOML: {}",
            path.display(),
            e.message()
        )
    })?;
    let next = table.remove("extends");
    bases.push(Base {
        name: path.display().to_string(),
        text,
        table: table.clone(),
    });
    match next {
        Some(next) => {
            let mut deeper = extend(next, path.parent().unwrap_or(dir), depth + 1, bases)?;
            merge(&mut deeper, table);
            Ok(deeper)
        }
        None => Ok(table),
    }
}

/// Merges `over` into `base`: tables key by key, anything else replaced.
fn merge(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// Deserialises each section on its own so that a problem in one does not hide problems in
/// another. Returns the assembled file only if every section parsed; the sections that parsed are
/// still validated (with defaults standing in for the broken ones) so the user sees everything.
fn deserialize_sections(table: &Table, at: &Locator, problems: &mut Problems) -> Option<ScenarioFile> {
    let before = problems.len();
    for key in table.keys() {
        if !SECTIONS.contains(&key.as_str()) {
            problems.push(Problem {
                key: key.clone(),
                line: at.line(key),
                message: format!(
                    "unknown section{}; expected one of {}",
                    suggest(key, SECTIONS),
                    SECTIONS.join(", ")
                ),
            });
        }
    }
    let simulation: Option<SimulationParams> = match table.get("simulation") {
        Some(v) => section(v, "simulation", at, problems),
        None => {
            problems.push(Problem {
                key: "simulation".into(),
                line: None,
                message: "missing section `[simulation]` (it needs at least `name`)".into(),
            });
            None
        }
    };
    let mut sf = ScenarioFile {
        simulation: simulation.unwrap_or(SimulationParams {
            name: "unnamed".into(),
            days: 60,
            seed: 1,
            replicates: 1,
            start_date: None,
        }),
        population: opt_section(table, "population", at, problems),
        food: opt_section(table, "food", at, problems),
        physiology: opt_section(table, "physiology", at, problems),
        mortality: opt_section(table, "mortality", at, problems),
        displacement: opt_section(table, "displacement", at, problems),
        siege: opt_section(table, "siege", at, problems),
        disease: opt_section(table, "disease", at, problems),
        locations: array_section(table, "locations", at, problems),
        routes: array_section(table, "routes", at, problems),
        events: array_section(table, "events", at, problems),
        airdrops: array_section(table, "airdrops", at, problems),
        airdrop_plan: opt_section(table, "airdrop_plan", at, problems),
        convoys: array_section(table, "convoys", at, problems),
        checkpoints: array_section(table, "checkpoints", at, problems),
        evacuations: array_section(table, "evacuations", at, problems),
        climate: array_section(table, "climate", at, problems),
        activity: array_section(table, "activity", at, problems),
        stores: array_section(table, "stores", at, problems),
        rations: array_section(table, "rations", at, problems),
        uncertain: array_section(table, "uncertain", at, problems),
        water: opt_section(table, "water", at, problems),
        market: opt_section(table, "market", at, problems),
    };
    check_age_keys(table, at, problems);
    if problems.len() > before {
        // Validate what parsed for the user's benefit, but never run it.
        if let Err(more) = validate::validate(std::mem::replace(&mut sf, placeholder()), at) {
            problems.extend_unmentioned(more);
        }
        return None;
    }
    Some(sf)
}

/// `[[population.ages]]` replaces the four age and sex shares of `[population]`: writing both is
/// an error (one of them would be silently ignored). Checked on the file as written, where a share
/// left at its default can be told from one written.
fn check_age_keys(table: &Table, at: &Locator, problems: &mut Problems) {
    let Some(Value::Table(p)) = table.get("population") else {
        return;
    };
    if !p.contains_key("ages") {
        return;
    }
    for k in AGE_SHARE_KEYS.iter().filter(|k| p.contains_key(**k)) {
        let key = format!("population.{k}");
        problems.push(Problem {
            line: at.line(&key),
            key,
            message: "`[[population.ages]]` gives the ages and sexes: remove this share or the table".into(),
        });
    }
}

fn placeholder() -> ScenarioFile {
    toml::from_str("[simulation]\nname = \"placeholder\"").expect("placeholder scenario parses")
}

fn opt_section<T: DeserializeOwned + Default>(table: &Table, key: &str, at: &Locator, problems: &mut Problems) -> T {
    match table.get(key) {
        Some(v) => section(v, key, at, problems).unwrap_or_default(),
        None => T::default(),
    }
}

fn array_section<T: DeserializeOwned>(table: &Table, key: &str, at: &Locator, problems: &mut Problems) -> Vec<T> {
    match table.get(key) {
        None => Vec::new(),
        Some(Value::Array(items)) => {
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if let Some(x) = section(item, &format!("{key}.{i}"), at, problems) {
                    out.push(x);
                }
            }
            out
        }
        Some(_) => {
            problems.push(Problem {
                key: key.into(),
                line: at.line(key),
                message: format!("expected an array of tables, written `[[{key}]]`"),
            });
            Vec::new()
        }
    }
}

/// Most repairs tried on one section (or array element) to find its next problem.
const MAX_REPAIRS: usize = 64;

/// A value of each TOML type, tried in turn in place of a missing required key or a wrong array
/// element so that the rest of the section can still be read.
fn placeholders() -> [Value; 6] {
    [
        Value::String(String::new()),
        Value::Integer(0),
        Value::Float(0.0),
        Value::Boolean(false),
        Value::Array(Vec::new()),
        Value::Table(Table::new()),
    ]
}

/// Deserialises one section (or array element). On a problem, reports it and repairs the value
/// (an unknown or wrongly typed key removed, so its default stands in; an unknown name replaced by
/// the closest known one; a missing required key given a placeholder) and reads it again, so that
/// every problem of the section is reported and the repaired section still stands for the entity
/// (its id, its place in its array) when other sections are checked: a location with a wrong
/// `kind` is still a location its routes can name. The repaired value is returned; it is never
/// run, since a problem was reported.
fn section<T: DeserializeOwned>(value: &Value, prefix: &str, at: &Locator, problems: &mut Problems) -> Option<T> {
    let mut value = std::borrow::Cow::Borrowed(value);
    let mut reported: BTreeSet<String> = BTreeSet::new();
    // The placeholder last tried at a key, by its position in `placeholders()`.
    let mut tried: HashMap<String, usize> = HashMap::new();
    for _ in 0..MAX_REPAIRS {
        let e = match serde_path_to_error::deserialize::<_, T>(value.as_ref().clone()) {
            Ok(x) => return Some(x),
            Err(e) => e,
        };
        let mut segments: Vec<String> = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
                serde_path_to_error::Segment::Map { key } => Some(key.clone()),
                serde_path_to_error::Segment::Enum { .. } | serde_path_to_error::Segment::Unknown => None,
            })
            .collect();
        let inner_message = friendly(e.inner().to_string().lines().next().unwrap_or_default());
        let mut message = inner_message.clone();
        enum Repair {
            Remove,
            Placeholder,
            Replace(Value),
        }
        let repair;
        // serde reports an unknown or missing field at its parent's path: name the field itself.
        if let Some(field) = between(&inner_message, "unknown field `", "`") {
            if segments.last() != Some(&field) {
                segments.push(field.clone());
            }
            let expected = backticked(&inner_message).into_iter().skip(1).collect::<Vec<_>>();
            let refs: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
            message = format!("unknown key{}; {}", suggest(&field, &refs), after(&inner_message, ", "));
            repair = Repair::Remove;
        } else if let Some(field) = between(&inner_message, "missing field `", "`") {
            if segments.last() != Some(&field) {
                segments.push(field);
            }
            message = "required key is missing".into();
            repair = Repair::Placeholder;
        } else if let Some(variant) = between(&inner_message, "unknown variant `", "`") {
            let expected = backticked(&inner_message).into_iter().skip(1).collect::<Vec<_>>();
            let refs: Vec<&str> = expected.iter().map(|s| s.as_str()).collect();
            let hint = suggest(&variant, &refs);
            if !hint.is_empty() {
                message = format!("{inner_message}{hint}");
            }
            // The closest known name stands in (else the first), as the author most likely meant.
            let closest = between(&hint, "`", "`").or_else(|| expected.first().cloned());
            repair = match closest {
                Some(name) => Repair::Replace(Value::String(name)),
                None => Repair::Remove,
            };
        } else {
            repair = Repair::Remove;
        }
        let key = std::iter::once(prefix.to_string())
            .chain(segments.iter().cloned())
            .collect::<Vec<_>>()
            .join(".");
        if reported.insert(key.clone()) {
            problems.push(Problem {
                line: at.line(&key),
                key: key.clone(),
                message,
            });
        }
        // A key already given a placeholder that is still wrong: the next placeholder.
        let repair = match (repair, tried.get(&key)) {
            (Repair::Remove, Some(_)) => Repair::Placeholder,
            (r, _) => r,
        };
        let (last, parents) = segments.split_last()?;
        let parent = value_at(value.to_mut(), parents)?;
        let slot = match parent {
            Value::Table(t) => match repair {
                Repair::Remove => {
                    t.remove(last.as_str());
                    continue;
                }
                _ => t.entry(last.clone()).or_insert(Value::Boolean(false)),
            },
            // An array element cannot be removed without moving the others: replace it.
            Value::Array(a) => last.parse::<usize>().ok().and_then(|i| a.get_mut(i))?,
            _ => return None,
        };
        *slot = match repair {
            Repair::Replace(v) => v,
            Repair::Remove | Repair::Placeholder => {
                let next = tried.get(&key).map_or(0, |i| i + 1);
                let p = placeholders().into_iter().nth(next)?;
                tried.insert(key, next);
                p
            }
        };
    }
    None
}

/// The value at `path` under `root` (table keys and array indices).
fn value_at<'a>(root: &'a mut Value, path: &[String]) -> Option<&'a mut Value> {
    path.iter().try_fold(root, |node, seg| match node {
        Value::Table(t) => t.get_mut(seg.as_str()),
        Value::Array(a) => a.get_mut(seg.parse::<usize>().ok()?),
        _ => None,
    })
}

/// serde's type names in words a scenario author knows.
fn friendly(message: &str) -> String {
    message
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number from 0 to 4294967295")
        .replace("expected u64", "expected a whole number from 0 to 18446744073709551615")
        .replace("expected i64", "expected a whole number")
        .replace("expected a boolean", "expected true or false")
}

fn between(s: &str, start: &str, end: &str) -> Option<String> {
    let i = s.find(start)? + start.len();
    let j = s[i..].find(end)? + i;
    Some(s[i..j].to_string())
}
fn after(s: &str, sep: &str) -> String {
    s.split_once(sep).map(|(_, r)| r.to_string()).unwrap_or_default()
}
fn backticked(s: &str) -> Vec<String> {
    s.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

/// " (did you mean `x`?)" when a known name is within a small edit distance.
pub fn suggest(word: &str, known: &[&str]) -> String {
    let within = |k: &str| 2.max(k.len() / 4);
    let len = word.chars().count();
    known
        .iter()
        // The distance is at least the difference in length: skip the far ones without computing
        // it, so a huge word costs nothing.
        .filter(|k| len.abs_diff(k.chars().count()) <= within(k))
        .map(|k| (edit_distance(word, k), *k))
        .filter(|(d, k)| *d <= within(k))
        .min()
        .map(|(_, k)| format!(" (did you mean `{}`?)", shorten(k, MAX_KEY_SHOWN)))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Finds the line of a key path in a scenario's text. The section headers are indexed once, so
/// the line of each of many problems costs the lines of its own section, not the whole file.
pub(crate) struct Locator<'a> {
    lines: Vec<&'a str>,
    /// Each header as written (`[food]`, `[[events]]`) → the lines where it occurs, in order.
    headers: HashMap<&'a str, Vec<usize>>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut headers: HashMap<&str, Vec<usize>> = HashMap::new();
        for (n, l) in lines.iter().enumerate() {
            let t = l.trim_start();
            let header = if t.starts_with("[[") {
                t.find("]]").map(|j| &t[..j + 2])
            } else if t.starts_with('[') {
                t.find(']').map(|j| &t[..j + 1])
            } else {
                None
            };
            if let Some(h) = header {
                headers.entry(h).or_default().push(n);
            }
        }
        Locator { lines, headers }
    }

    /// Best-effort line number (from 1) of a key path: the section header (the n-th `[[name]]`
    /// for array elements), then the key inside it; the header's line when the key is not
    /// written there.
    pub(crate) fn line(&self, key: &str) -> Option<usize> {
        // An array of tables inside a table (`population.ages.1.to_years`): the j-th
        // `[[population.ages]]` (the first for the array itself).
        let segs: Vec<&str> = key.splitn(4, '.').collect();
        if segs.len() >= 2
            && segs[1].parse::<usize>().is_err()
            && let Some(at) = self.headers.get(format!("[[{}.{}]]", segs[0], segs[1]).as_str())
        {
            let j = segs.get(2).map_or(Some(0), |j| j.parse::<usize>().ok())?;
            let start = *at.get(j)?;
            return Some(segs.get(3).map_or(start + 1, |field| self.field_line(start, field)));
        }
        // A table inside a table (`disease.measles.outbreak_day`): its own header, then the key.
        if segs.len() >= 2
            && segs[1].parse::<usize>().is_err()
            && let Some(&start) = self
                .headers
                .get(format!("[{}.{}]", segs[0], segs[1]).as_str())
                .and_then(|at| at.first())
        {
            return Some(match key.splitn(3, '.').nth(2) {
                Some(field) => self.field_line(start, field),
                None => start + 1,
            });
        }
        let mut parts = key.splitn(4, '.');
        let section = parts.next()?;
        let second = parts.next();
        let (index, field) = match second.and_then(|p| p.parse::<usize>().ok()) {
            Some(i) => (Some(i), parts.next()),
            None => (None, second),
        };
        let header = match index {
            Some(_) => format!("[[{section}]]"),
            None => format!("[{section}]"),
        };
        let mut start = *self.headers.get(header.as_str())?.get(index.unwrap_or(0))?;
        let Some(mut field) = field else {
            return Some(start + 1);
        };
        // An array of tables inside an element (`locations.0.water.1.capacity_l_day`): the j-th
        // `[[locations.water]]` after the element's own header, before the next element's.
        let nested = parts.next().map(|r| r.split_once('.').unwrap_or((r, "")));
        if let (Some(_), Some((j, rest))) = (index, nested)
            && let (Ok(j), Some(inner)) = (
                j.parse::<usize>(),
                self.headers.get(format!("[[{section}.{field}]]").as_str()),
            )
        {
            let next = self.headers[header.as_str()]
                .iter()
                .copied()
                .find(|&n| n > start)
                .unwrap_or(usize::MAX);
            start = *inner.iter().filter(|&&n| n > start && n < next).nth(j)?;
            if rest.is_empty() {
                return Some(start + 1);
            }
            field = rest;
        }
        Some(self.field_line(start, field))
    }

    /// The line (from 1) of `field = …` in the table whose header is on line `start` (from 0), or
    /// the header's line when it is not written there.
    fn field_line(&self, start: usize, field: &str) -> usize {
        for (n, l) in self.lines.iter().enumerate().skip(start + 1) {
            let t = l.trim_start();
            if t.starts_with('[') {
                break;
            }
            if t.strip_prefix(field)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
            {
                return n + 1;
            }
        }
        start + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_unknown_key_wrong_type_and_negative_population_together() {
        let text =
            "[simulation]\nname = \"t\"\ndayz = 5\n[food]\nstock_days_mean = \"lots\"\n[population]\nsize = -5\n";
        let err = parse("t.toml", text, &[]).unwrap_err();
        let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert!(keys.contains(&"simulation.dayz"), "{err}");
        assert!(keys.contains(&"food.stock_days_mean"), "{err}");
        assert!(keys.contains(&"population.size"), "{err}");
        let shown = err.to_string();
        assert!(shown.contains("did you mean `days`"), "{shown}");
        assert!(shown.contains("t.toml:3"), "{shown}");
    }

    /// MODEL.md §6: the starvation hazard's depth scale needs both lethal BMIs below the threshold.
    #[test]
    fn lethal_bmis_must_lie_below_the_hazard_threshold() {
        let text = "[simulation]\nname = \"t\"\n[physiology]\nlethal_bmi_women = 12.5\n[mortality]\nadult_bmi_threshold = 12\n";
        let err = parse("t.toml", text, &[]).unwrap_err();
        let keys: Vec<&str> = err.problems.iter().map(|p| p.key.as_str()).collect();
        assert_eq!(
            keys,
            ["physiology.lethal_bmi_men", "physiology.lethal_bmi_women"],
            "{err}"
        );
        assert!(err.to_string().contains("t.toml:4"), "{err}");
        let fine = "[simulation]\nname = \"t\"\n[mortality]\nadult_bmi_threshold = 13.5\n";
        assert!(parse("t.toml", fine, &[]).is_ok());
    }

    #[test]
    fn lines_of_key_paths() {
        let text = "[simulation]\nname = \"t\"\n\n[food]\nstock_days_mean = 3\n[[food.rations]]\nfrom_day = 1\n\
                    [[events]]\nday = 1\n  [[events]] # second\nkind = \"killing\"\nday = 2\n[population]\n";
        let at = Locator::new(text);
        assert_eq!(at.line("simulation.name"), Some(2));
        assert_eq!(at.line("food.stock_days_mean"), Some(5));
        // A key not written in its section: the section's header.
        assert_eq!(at.line("food.sharing_rate"), Some(4));
        // An array of tables inside a table: its own header, then the key.
        assert_eq!(at.line("food.rations.0.from_day"), Some(7));
        assert_eq!(at.line("events.0.day"), Some(9));
        assert_eq!(at.line("events.1.day"), Some(12));
        assert_eq!(at.line("events.1"), Some(10));
        assert_eq!(at.line("events.2.day"), None);
        assert_eq!(at.line("population.size"), Some(13));
        assert_eq!(at.line("siege.leak"), None);
        let text = "[[locations]]\nid = \"a\"\n[[locations.water]]\ncapacity_l_day = 1\n[[locations]]\nid = \"b\"\n\
                    [[locations.water]]\ncapacity_l_day = 2\n[[locations.water]]\nquality = \"safe\"\ncapacity_l_day = 3\n";
        let at = Locator::new(text);
        assert_eq!(at.line("locations.1.id"), Some(6));
        assert_eq!(at.line("locations.0.water.0.capacity_l_day"), Some(4));
        assert_eq!(at.line("locations.1.water.0.capacity_l_day"), Some(8));
        assert_eq!(at.line("locations.1.water.1.capacity_l_day"), Some(11));
        assert_eq!(at.line("locations.1.water.1"), Some(9));
        assert_eq!(at.line("locations.1.water.2.capacity_l_day"), None);
        assert_eq!(at.line(""), None);
        // An array of tables inside a table.
        let text = "[population]\nsize = 3\n[[population.ages]]\nfrom_years = 0\n[[population.ages]]\nto_years = 9\n";
        let at = Locator::new(text);
        assert_eq!(at.line("population.size"), Some(2));
        assert_eq!(at.line("population.ages"), Some(3));
        assert_eq!(at.line("population.ages.0.from_years"), Some(4));
        assert_eq!(at.line("population.ages.1.to_years"), Some(6));
        assert_eq!(at.line("population.ages.1.from_years"), Some(5));
        assert_eq!(at.line("population.ages.2.to_years"), None);
        // A table inside a table.
        let text = "[disease]\nenabled = true\n[disease.measles]\noutbreak_day = 3\n";
        let at = Locator::new(text);
        assert_eq!(at.line("disease.enabled"), Some(2));
        assert_eq!(at.line("disease.measles.outbreak_day"), Some(4));
        assert_eq!(at.line("disease.measles.attack_rate"), Some(3));
    }

    #[test]
    fn problems_beyond_the_listed_are_counted_and_still_mentioned() {
        let mut problems = Problems::default();
        for i in 0..MAX_PROBLEMS_LISTED + 5 {
            problems.push(Problem {
                key: format!("events.{i}.day"),
                line: None,
                message: "bad".into(),
            });
        }
        assert_eq!(problems.len(), MAX_PROBLEMS_LISTED + 5);
        assert!(problems.mention("events.1003"), "a counted problem's section");
        assert!(problems.mention("events.7.day.x"));
        assert!(!problems.mention("food"));
        let shown = problems.into_error("t.toml").to_string();
        assert!(shown.starts_with("t.toml: 1005 problems found"), "{shown}");
        assert!(
            shown.ends_with("… and 5 more problems (only the first 1000 are listed)"),
            "{shown}"
        );
        assert_eq!(printable("a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb\\u{a}");
        assert_eq!(shorten("abcdef", 3), "abc…");
        assert_eq!(shorten("abc", 3), "abc");
    }

    #[test]
    fn suggestions_only_for_close_names() {
        assert_eq!(suggest("sise", &["size", "seed"]), " (did you mean `size`?)");
        assert_eq!(suggest("zzzzzz", &["size"]), "");
    }
}
