//! Parameter uncertainty (issue 20): a `[[uncertain]]` entry gives one numeric key of the scenario
//! a distribution. Each replicate draws its own value (the draw itself is the experiment layer's,
//! from the replicate's own stream) and runs the scenario with it, so summaries over replicates
//! include what we do not know about the parameters, not only the dice. This module owns the
//! entries, their checks, and the scenario with drawn values put in.

use super::overrides::{absent_element, dotted, get_path, indexed_path, set_path};
use super::{Locator, Problem, Problems, Scenario, deserialize_sections, shorten, validate};
use serde::{Deserialize, Serialize};
use toml::{Table, Value};

/// The shape of an uncertain value. Every one is bounded by `low` and `high`: the checks run the
/// scenario's validation at both ends, so no drawn value can be invalid.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Distribution {
    /// Every value in [low, high] equally likely.
    Uniform,
    /// Linear up from `low` to `mode`, down to `high`.
    Triangular,
    /// Normal with `mean` and `sd`, truncated to [low, high].
    Normal,
    /// Log-normal with `median` and `sigma` (the sd of the logarithm), truncated to [low, high].
    Lognormal,
}

/// One `[[uncertain]]` entry. For a day key, `low`, `high`, `mode`, `mean` and `median` may be
/// written as dates: `date::dates_to_days` has turned them into days before this is read.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct UncertainParams {
    /// The key path it draws, as `--set` names it (`siege.end_day`, `airdrops.0.day`).
    pub key: String,
    pub distribution: Distribution,
    pub low: f64,
    pub high: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mean: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sd: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub median: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sigma: Option<f64>,
}

impl UncertainParams {
    /// The key as the flattened scenario `tree` names it: every element by its index, whether the
    /// entry wrote an index, `[i]` or an id (`airdrops[0].day` is `airdrops.0.day`,
    /// `locations.city.x` is `locations.2.x` when `city` is the third), as `--set` reads them.
    pub fn key_path_in(&self, tree: &Table) -> String {
        indexed_path(tree, &self.key)
    }

    /// How each replicate draws it, in words: `uniform 14–42`, `triangular 14–16–45`,
    /// `normal mean 20, sd 5, within 14–42`, `lognormal median 20, sigma 0.3, within 14–42`.
    pub fn shape(&self) -> String {
        let (lo, hi) = (self.low, self.high);
        let num = |x: Option<f64>| x.map_or_else(|| "?".to_string(), |x| x.to_string());
        match self.distribution {
            Distribution::Uniform => format!("uniform {lo}–{hi}"),
            Distribution::Triangular => format!("triangular {lo}–{}–{hi}", num(self.mode)),
            Distribution::Normal => format!("normal mean {}, sd {}, within {lo}–{hi}", num(self.mean), num(self.sd)),
            Distribution::Lognormal => {
                format!(
                    "lognormal median {}, sigma {}, within {lo}–{hi}",
                    num(self.median),
                    num(self.sigma)
                )
            }
        }
    }
}

/// Keys that define the run rather than the world: drawing them per replicate has no meaning.
const FIXED_PREFIXES: &[&str] = &["simulation", "uncertain", "extends"];

/// What loading does with an entry whose key names an element the scenario does not have
/// (`airdrops.0.usable_fraction` in a scenario without airdrops).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AbsentKeys {
    /// A problem, as any key that does not fit the scenario: the default.
    Refused,
    /// The entry is kept (its values are the same as the other plan's) but not applied to this
    /// scenario: how `siege sensitivity` loads its versus plan, so that a plan can be compared
    /// with doing nothing (`--versus-set 'airdrops=[]'`) while the plan's airdrops are uncertain.
    NotApplied,
}

/// The scenario as its tables stood before validation, kept so that each replicate's values are
/// put in and validated exactly as `--set` would, plus whether each key takes whole numbers and
/// whether it is applied at all ([`AbsentKeys::NotApplied`]).
#[derive(Clone, Debug)]
pub(crate) struct Source {
    table: Table,
    integer: Vec<bool>,
    applied: Vec<bool>,
}

impl Scenario {
    /// The `[[uncertain]]` entries, in file order.
    pub fn uncertain(&self) -> &[UncertainParams] {
        &self.file.uncertain
    }

    /// Whether the key of entry `i` takes whole numbers (a drawn value is then rounded).
    pub fn uncertain_is_integer(&self, i: usize) -> bool {
        self.source.as_ref().is_some_and(|s| s.integer[i])
    }

    /// The keys of the entries not applied to this scenario, as it has no element they name
    /// (only when loaded with [`AbsentKeys::NotApplied`]), in entry order.
    pub fn uncertain_not_applied(&self) -> Vec<&str> {
        let Some(source) = &self.source else {
            return Vec::new();
        };
        self.file
            .uncertain
            .iter()
            .zip(&source.applied)
            .filter(|(_, applied)| !**applied)
            .map(|(u, _)| u.key.as_str())
            .collect()
    }

    /// This scenario with entry i's key set to `values[i]`: validated as `--set` would be. The
    /// values are within each entry's bounds, where validation was checked at load; an error here
    /// would be a value no bound check foresaw, and is reported with the keys. An entry not
    /// applied to this scenario ([`Scenario::uncertain_not_applied`]) is left out.
    pub fn with_drawn(&self, values: &[f64]) -> Result<Scenario, String> {
        let source = self
            .source
            .as_ref()
            .ok_or("the scenario has no [[uncertain]] entries")?;
        let mut table = source.table.clone();
        for (i, (u, &x)) in self.file.uncertain.iter().zip(values).enumerate() {
            if source.applied[i] {
                set_path(&mut table, &u.key, value_of(x, source.integer[i]))?;
            }
        }
        let mut scenario = rebuild(&table).map_err(|p| {
            let keys: Vec<String> = self
                .file
                .uncertain
                .iter()
                .zip(values)
                .map(|(u, x)| format!("{}={x}", u.key))
                .collect();
            format!("the drawn values {} make the scenario invalid: {p}", keys.join(", "))
        })?;
        scenario.source = None;
        Ok(scenario)
    }
}

fn value_of(x: f64, integer: bool) -> Value {
    if integer {
        Value::Integer(x.round() as i64)
    } else {
        Value::Float(x)
    }
}

/// Deserialises and validates a scenario from its merged tables: the first problem, as text.
fn rebuild(table: &Table) -> Result<Scenario, String> {
    let at = Locator::new("");
    let mut problems = Problems::default();
    let sf = deserialize_sections(table, &at, &mut problems);
    let first = |p: &Problems| {
        p.listed
            .first()
            .map(|p| format!("`{}`: {}", p.key, p.message))
            .unwrap_or_default()
    };
    match sf {
        Some(sf) if problems.is_empty() => validate::validate(sf, &at).map_err(|p| first(&p)),
        _ => Err(first(&problems)),
    }
}

/// Writes each `[[uncertain]]` entry's key in the one style `--set` reads keys into:
/// `airdrops[0].day` as `airdrops.0.day`. Before anything reads the keys (which are day keys,
/// where each element is), so that both spellings are one key everywhere, the recorded scenario
/// included.
pub(crate) fn dotted_keys(table: &mut Table) {
    if let Some(Value::Array(entries)) = table.get_mut("uncertain") {
        for entry in entries {
            if let Some(Value::String(key)) = entry.get_mut("key") {
                *key = dotted(key);
            }
        }
    }
}

/// Checks the entries of a valid scenario and keeps what the draws need. `table` is the scenario's
/// tables before validation (after `extends` and overrides); `absent` says what an entry whose key
/// names an element the scenario lacks is.
pub(crate) fn attach(scenario: &mut Scenario, table: &Table, absent: AbsentKeys, problems: &mut Problems) {
    let entries = scenario.file.uncertain.clone();
    if entries.is_empty() {
        return;
    }
    let mut base = table.clone();
    base.remove("uncertain");
    let mut integer = Vec::with_capacity(entries.len());
    let mut applied = vec![true; entries.len()];
    for (i, u) in entries.iter().enumerate() {
        let k = format!("uncertain.{i}");
        let mut bad = |key: &str, message: String| {
            problems.push(Problem {
                key: format!("{k}{key}"),
                line: None,
                message,
            })
        };
        let first = u.key.split('.').next().unwrap_or_default();
        if FIXED_PREFIXES.contains(&first) {
            bad(
                ".key",
                format!(
                    "`{}` defines the run, not the world: it cannot be drawn per replicate",
                    shorten(&u.key, 100)
                ),
            );
            integer.push(false);
            continue;
        }
        if entries[..i].iter().any(|v| v.key == u.key) {
            bad(
                ".key",
                format!("`{}` is drawn by an earlier entry", shorten(&u.key, 100)),
            );
        }
        if let Some(problem) = shape_problem(u) {
            bad("", problem);
            integer.push(false);
            continue;
        }
        if absent == AbsentKeys::NotApplied && absent_element(&base, &u.key).is_some() {
            applied[i] = false;
            integer.push(false);
            continue;
        }
        // Whole numbers if the key takes only whole numbers: the same value is refused written as
        // a real number (10.0) and taken as a whole one (10). Not read from how the file writes it
        // (`stock_days_mean = 10` is a real number written without a point) nor from the ends
        // (`low = 15`, `high = 18` for a BMI), which drew real-valued keys at whole values.
        if !matches!(
            get_path(&base, &u.key),
            None | Some(Value::Integer(_) | Value::Float(_))
        ) {
            bad(
                ".key",
                format!("`{}` is not a number in the scenario", shorten(&u.key, 100)),
            );
            integer.push(false);
            continue;
        }
        // Tried at each end, as one end may be invalid whatever its type.
        let is_integer = [u.low, u.high]
            .into_iter()
            .chain(u.mode)
            .any(|x| at(&base, &u.key, x.round(), false).is_err() && at(&base, &u.key, x.round(), true).is_ok());
        integer.push(is_integer);
        let mut ends = vec![u.low, u.high];
        ends.extend(u.mode);
        for x in ends {
            if let Err(e) = at(&base, &u.key, x, is_integer) {
                bad(
                    "",
                    format!("with `{}` = {x} the scenario is invalid: {e}", shorten(&u.key, 100)),
                );
            }
        }
    }
    scenario.source = Some(Source {
        table: base,
        integer,
        applied,
    });
}

/// The day each airdrop of `file` lands on, with its `[[airdrops]]` element, sorted as
/// [`Scenario::airdrops`]; with `set`, a day key (`airdrops.0.day`, `airdrop_plan.first_day`) set
/// to a value first: how a chart finds where a drawn day can move the drops (at the two ends of
/// its range). None if that scenario is not valid.
pub fn airdrop_days(file: &super::ScenarioFile, set: Option<(&str, f64)>) -> Option<Vec<(usize, u32)>> {
    let mut table = Table::try_from(file).ok()?;
    table.remove("uncertain");
    if let Some((key, x)) = set {
        set_path(&mut table, key, value_of(x, true)).ok()?;
    }
    let s = rebuild(&table).ok()?;
    Some(s.airdrops().iter().map(|a| (a.entry, a.day)).collect())
}

/// The scenario with `key` set to `x`, validated.
fn at(base: &Table, key: &str, x: f64, integer: bool) -> Result<Scenario, String> {
    let mut t = base.clone();
    set_path(&mut t, key, value_of(x, integer))?;
    rebuild(&t)
}

/// What is wrong with an entry's numbers, if anything.
fn shape_problem(u: &UncertainParams) -> Option<String> {
    let finite = |x: Option<f64>| x.is_none_or(f64::is_finite);
    if !(u.low.is_finite() && u.high.is_finite() && u.low <= u.high) {
        return Some(format!("expected finite `low` ≤ `high`, got {} and {}", u.low, u.high));
    }
    if ![u.mode, u.mean, u.sd, u.median, u.sigma].into_iter().all(finite) {
        return Some("every number must be finite".into());
    }
    let (needs, allowed): (&[(&str, Option<f64>)], &[&str]) = match u.distribution {
        Distribution::Uniform => (&[], &[]),
        Distribution::Triangular => (&[("mode", u.mode)], &["mode"]),
        Distribution::Normal => (&[("mean", u.mean), ("sd", u.sd)], &["mean", "sd"]),
        Distribution::Lognormal => (&[("median", u.median), ("sigma", u.sigma)], &["median", "sigma"]),
    };
    let name = format!("{:?}", u.distribution).to_lowercase();
    for (key, v) in needs {
        if v.is_none() {
            return Some(format!("a {name} distribution needs `{key}`"));
        }
    }
    let given = [
        ("mode", u.mode),
        ("mean", u.mean),
        ("sd", u.sd),
        ("median", u.median),
        ("sigma", u.sigma),
    ];
    if let Some((key, _)) = given.iter().find(|(k, v)| v.is_some() && !allowed.contains(k)) {
        return Some(format!("`{key}` has no meaning for a {name} distribution"));
    }
    match u.distribution {
        Distribution::Triangular if !(u.low..=u.high).contains(&u.mode?) => {
            Some(format!("`mode` {} is outside [low, high]", u.mode?))
        }
        Distribution::Normal if u.sd? <= 0.0 => Some("`sd` must be above 0".into()),
        Distribution::Lognormal if u.median? <= 0.0 || u.sigma? <= 0.0 || u.low < 0.0 => {
            Some("a lognormal needs `median` and `sigma` above 0 and `low` at least 0".into())
        }
        _ => None,
    }
}
