//! `siege optimise`: the best relief plan under a budget, by successive halving with common random
//! numbers.
//!
//! The candidate plans are the points of a grid of scenario keys (the `--vary` machinery: each
//! candidate is the base scenario with overrides, never edited another way); those whose airdrops
//! exceed the budget (tonnes and/or cost) are set aside before anything runs. Replicate r of every
//! candidate draws from stream r of the seed, so the candidates' outcomes on replicate r differ
//! only by their plans, and the ranking by mean over the same replicates is the ranking by paired
//! difference against the leader.
//!
//! The search, round k = 0, 1, …: every candidate still in the race has replicates 0 … n_k − 1
//! (n_0 = `start_replicates`, n_{k+1} = min(2 n_k, `max_replicates`)), only the new ones being run;
//! the candidates are ranked by mean outcome (ties by candidate index); the worse half is
//! eliminated (at most ⌊m/2⌋ of m, never below `finalists`), and so is any candidate clearly worse
//! than the leader (the 95% CI of its paired difference lies above 0, judged on at least
//! [`RACING_MIN_PAIRS`] pairs) unless it ranks among the first `finalists`. The cheapest candidate
//! not clearly worse than the leader (by cost, then tonnes; the better mean among equally cheap
//! ones; with fewer pairs than that, none is clearly worse) stays whatever its mean: at most one
//! more than the half, so that a cheaper plan the replicates cannot yet tell from the leader
//! reaches the cost tie-break ([`halve`]). When `finalists` or fewer remain, or n_k reaches
//! `max_replicates`, the survivors are run to `max_replicates` and ranked by mean, those that tie
//! the lowest mean within noise first, cheapest first (the cost tie-break). Every decision depends
//! only on the outcomes of (candidate, replicate) pairs, each a pure function of the scenario and
//! seed, so the result is the same for any thread count (and for any shard split: the shards
//! replay this search, `optimise_shard`). "Doing nothing" (the base without airdrops) is run for
//! `max_replicates` replicates, the same streams, to report what each plan changes.

use super::decision::{self, Arm, Measure};
use super::grid::Grid;
use super::related::Related;
use super::stats::{self, Describe};
use crate::observe::files::{self, GridValue, Number, VaryKey};
use crate::observe::{OUTCOMES, OutcomeInfo, Summary};
use crate::scenario::{self, Override, Scenario};
use anyhow::{Result, bail};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::path::{Path, PathBuf};

/// Racing drops a candidate clearly worse than the leader only on at least this many pairs: a
/// 95% CI from fewer is not trusted (with 2–4 pairs that agree it has no width at all).
pub const RACING_MIN_PAIRS: u32 = 8;

/// The keys of `[optimise]`, in the order the docs list them.
pub const KEYS: &[&str] = &[
    "name",
    "scenario",
    "vary",
    "set",
    "budget_tonnes",
    "budget_cost",
    "outcome",
    "start_replicates",
    "max_replicates",
    "finalists",
];

/// What an optimise file asks for, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct Spec {
    /// Result directory `output/<name>/`.
    pub name: String,
    /// The base scenario, relative to the working directory (resolved from the optimise file).
    pub scenario_file: PathBuf,
    /// `KEY=SPEC`, as `--vary`: the candidate space.
    pub vary: Vec<String>,
    /// `KEY=VALUE`, as `--set`, applied to every candidate (and to doing nothing).
    pub set: Vec<(String, String)>,
    pub budget_tonnes: Option<f64>,
    pub budget_cost: Option<f64>,
    pub outcome: OutcomeInfo,
    pub start_replicates: u32,
    pub max_replicates: u32,
    pub finalists: usize,
}

/// 1-based line of `key = …` in the text (the first such line), for messages.
fn line_of(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|l| {
            let t = l.trim_start();
            t.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with('='))
        })
        .map(|i| i + 1)
}

/// Reads an optimise file (a TOML file holding only `[optimise]`); every problem is reported at
/// once, each with the file, its line and the key path. `extra_set` (command-line `--set`) is
/// applied after the file's `set`.
pub fn read_spec(path: &Path, text: &str, extra_set: &[(String, String)]) -> Result<Spec, String> {
    let file = path.display().to_string();
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| match e.span() {
        Some(span) => format!(
            "{file}:{}: {}",
            text[..span.start.min(text.len())].matches('\n').count() + 1,
            e.message()
        ),
        None => format!("{file}: {}", e.message()),
    })?;
    let mut errors: Vec<String> = Vec::new();
    let at = |key: &str| match line_of(text, key) {
        Some(l) => format!("{file}:{l}: optimise.{key}"),
        None => format!("{file}: optimise.{key}"),
    };
    for k in table.keys().filter(|k| *k != "optimise") {
        errors.push(format!(
            "{file}: `{k}`: an optimise file holds only an [optimise] table"
        ));
    }
    let Some(toml::Value::Table(o)) = table.get("optimise") else {
        errors.push(format!("{file}: no [optimise] table"));
        return Err(errors.join("\n"));
    };
    for k in o.keys().filter(|k| !KEYS.contains(&k.as_str())) {
        errors.push(format!(
            "{}: unknown key{}; the keys are {}",
            at(k),
            scenario::suggest(k, KEYS),
            KEYS.join(", ")
        ));
    }
    let string = |key: &str, errors: &mut Vec<String>| -> Option<String> {
        match o.get(key) {
            None => None,
            Some(toml::Value::String(s)) => Some(s.clone()),
            Some(v) => {
                errors.push(format!("{}: expected a string, got {}", at(key), v.type_str()));
                None
            }
        }
    };
    let strings = |key: &str, errors: &mut Vec<String>| -> Vec<String> {
        match o.get(key) {
            None => Vec::new(),
            Some(toml::Value::Array(a)) => a
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v {
                    toml::Value::String(s) => Some(s.clone()),
                    v => {
                        errors.push(format!("{}.{i}: expected a string, got {}", at(key), v.type_str()));
                        None
                    }
                })
                .collect(),
            Some(v) => {
                errors.push(format!(
                    "{}: expected an array of strings, got {}",
                    at(key),
                    v.type_str()
                ));
                Vec::new()
            }
        }
    };
    let number = |key: &str, errors: &mut Vec<String>| -> Option<f64> {
        let x = match o.get(key) {
            None => return None,
            Some(toml::Value::Integer(i)) => *i as f64,
            Some(toml::Value::Float(f)) => *f,
            Some(v) => {
                errors.push(format!("{}: expected a number, got {}", at(key), v.type_str()));
                return None;
            }
        };
        if !(x.is_finite() && x >= 0.0) {
            errors.push(format!("{}: expected a number ≥ 0, got {x}", at(key)));
            return None;
        }
        Some(x)
    };
    let count = |key: &str, default: u32, lo: u32, hi: u32, errors: &mut Vec<String>| -> u32 {
        match o.get(key) {
            None => default,
            Some(toml::Value::Integer(i)) if (i64::from(lo)..=i64::from(hi)).contains(i) => *i as u32,
            Some(v) => {
                errors.push(format!("{}: expected a whole number {lo} to {hi}, got {v}", at(key)));
                default
            }
        }
    };
    let name = string("name", &mut errors);
    match &name {
        None if !o.contains_key("name") => errors.push(format!("{}: required", at("name"))),
        Some(n) if !scenario::is_plain_name(n) => errors.push(format!(
            "{}: expected {}, got {:?}",
            at("name"),
            scenario::PLAIN_NAME_RULE,
            n.chars().take(80).collect::<String>()
        )),
        _ => {}
    }
    let scenario_rel = string("scenario", &mut errors);
    if scenario_rel.is_none() && !o.contains_key("scenario") {
        errors.push(format!(
            "{}: required (the base scenario, relative to this file)",
            at("scenario")
        ));
    }
    let vary = strings("vary", &mut errors);
    match o.get("vary") {
        None => errors.push(format!(
            "{}: required: the candidate plans, as --vary KEY=SPEC (e.g. \"airdrops.0.day=2..29\")",
            at("vary")
        )),
        Some(toml::Value::Array(a)) if a.is_empty() => {
            errors.push(format!("{}: give at least one KEY=SPEC", at("vary")))
        }
        _ => {}
    }
    for (i, v) in vary.iter().enumerate() {
        if let Err(e) = super::grid::parse_vary(v) {
            errors.push(format!("{}.{i}: {e}", at("vary")));
        }
    }
    let mut set = Vec::new();
    for (i, a) in strings("set", &mut errors).iter().enumerate() {
        match scenario::overrides::split_assignment(a) {
            Ok((k, v)) => set.push((k.to_string(), v.to_string())),
            Err(e) => errors.push(format!("{}.{i}: {e}", at("set"))),
        }
    }
    set.extend(extra_set.iter().cloned());
    let budget_tonnes = number("budget_tonnes", &mut errors);
    let budget_cost = number("budget_cost", &mut errors);
    let outcome = match string("outcome", &mut errors) {
        None => Some(OUTCOMES[0]),
        Some(n) => {
            let found = OUTCOMES.iter().find(|o| o.name == n).copied();
            if found.is_none() {
                let names: Vec<&str> = OUTCOMES.iter().map(|o| o.name).collect();
                errors.push(format!(
                    "{}: unknown outcome {n:?}{}; one of {}",
                    at("outcome"),
                    scenario::suggest(&n, &names),
                    names.join(", ")
                ));
            }
            found
        }
    };
    let start_replicates = count("start_replicates", 4, 2, 100_000, &mut errors);
    let max_replicates = count("max_replicates", 64, 2, 100_000, &mut errors);
    if start_replicates > max_replicates {
        errors.push(format!(
            "{}: {start_replicates} is more than max_replicates ({max_replicates})",
            at("start_replicates")
        ));
    }
    let finalists = count("finalists", 3, 1, 1_000, &mut errors) as usize;
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let base = path.parent().unwrap_or(Path::new("."));
    Ok(Spec {
        name: name.expect("checked"),
        scenario_file: base.join(scenario_rel.expect("checked")),
        vary,
        set,
        budget_tonnes,
        budget_cost,
        outcome: outcome.expect("checked"),
        start_replicates,
        max_replicates,
        finalists,
    })
}

/// One candidate plan: a grid point and what its airdrops weigh and cost.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub point: usize,
    pub values: Vec<(String, GridValue)>,
    /// Tonnes of all its airdrops within the horizon.
    pub tonnes: f64,
    /// Their cost; None when a drop has no `cost_per_tonne`.
    pub cost: Option<f64>,
    pub within_budget: bool,
}

/// A candidate the scenario refuses (its validation error): set aside before anything runs.
#[derive(Clone, Debug)]
pub struct Invalid {
    pub point: usize,
    pub values: Vec<(String, GridValue)>,
    /// The validation error, on one line.
    pub reason: String,
}

/// A validation error on one line, without the base scenario's file (the same for every
/// candidate): `key: message; key: message`.
fn reason(e: &scenario::ScenarioError) -> String {
    let mut parts: Vec<String> = e
        .problems
        .iter()
        .map(|p| {
            let m = scenario::printable(&p.message).replace('\n', " ");
            if p.key.is_empty() {
                m
            } else {
                format!("{}: {m}", scenario::printable(&p.key))
            }
        })
        .collect();
    if e.omitted > 0 {
        parts.push(format!("and {} more problem(s)", e.omitted));
    }
    parts.join("; ")
}

impl Invalid {
    /// `key=value, …` of the varied keys.
    pub fn plan(&self) -> String {
        self.values
            .iter()
            .map(|(k, v)| format!("{k}={}", v.cell()))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// An optimisation ready to run: every candidate validated, doing nothing last.
pub struct Plan {
    pub spec: Spec,
    pub grid: Grid,
    pub candidates: Vec<Candidate>,
    /// The grid points the scenario refuses, set aside (in no other list).
    pub invalid: Vec<Invalid>,
    /// One per candidate, then doing nothing (the base without airdrops).
    pub scenarios: Vec<Scenario>,
    /// The scenario searched, as run.json's `scenario`: after `extends` and `set`, before `vary`.
    base: crate::scenario::ScenarioFile,
    related: Related,
}

/// Tonnes and cost of a scenario's airdrops.
fn relief(s: &Scenario) -> (f64, Option<f64>) {
    // In kilograms: 9 × 1.7 t is 15.3 t, not 15.299999999999999.
    let tonnes = crate::observe::kilograms(s.airdrops().iter().map(|a| a.tonnes).sum());
    // In cents, as the summary's airdrop_cost: 8,160, not 8,159.999999999999.
    let cost = decision::costed(s).then(|| {
        crate::observe::cents(
            s.airdrops()
                .iter()
                .map(|a| a.tonnes * a.cost_per_tonne.unwrap_or(0.0))
                .sum(),
        )
    });
    (tonnes, cost)
}

impl Plan {
    /// Validates the base scenario and every candidate (all problems reported, up to five
    /// candidates), and sets aside those over the budget.
    pub fn new(spec: Spec) -> Result<Self> {
        let axes = spec
            .vary
            .iter()
            .map(|v| super::grid::parse_vary(v))
            .collect::<Result<Vec<_>, _>>()
            .map_err(anyhow::Error::msg)?;
        let grid = Grid::new(axes).map_err(anyhow::Error::msg)?;
        let path = &spec.scenario_file;
        let text = scenario::read_text(path).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let name = path.display().to_string();
        let dir = path.parent().unwrap_or(Path::new("."));
        let mut given = Override::from_set(&spec.set);
        given.push(Override::new(
            "simulation.replicates",
            i64::from(spec.max_replicates).into(),
            "optimise.max_replicates",
        ));
        let base = match scenario::parse_in(&name, &text, &given, dir) {
            Ok(s) => s.as_written().clone(),
            Err(e) => bail!("the optimisation cannot run: {e}"),
        };
        let mut scenarios = Vec::with_capacity(grid.len() + 1);
        let mut candidates = Vec::with_capacity(grid.len());
        let mut invalid: Vec<Invalid> = Vec::new();
        let mut errors: Vec<String> = Vec::new();
        let values_at = |i: usize| -> Vec<(String, GridValue)> {
            grid.axes
                .iter()
                .zip(grid.point(i))
                .map(|(a, v)| (a.key.clone(), GridValue::from_toml(v)))
                .collect()
        };
        for i in 0..grid.len() {
            let mut overrides = given.clone();
            for (axis, v) in grid.axes.iter().zip(grid.point(i)) {
                overrides.push(Override::new(&axis.key, v.clone(), "optimise.vary"));
            }
            let values = values_at(i);
            let at = || {
                values
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.cell()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            match scenario::parse_in(&name, &text, &overrides, dir) {
                Ok(s) => {
                    let (tonnes, cost) = relief(&s);
                    if spec.budget_cost.is_some() && cost.is_none() {
                        errors.push(format!(
                            "candidate {i} ({}): optimise.budget_cost needs a cost_per_tonne on every airdrop",
                            at()
                        ));
                    }
                    let within_budget = spec.budget_tonnes.is_none_or(|b| tonnes <= b + 1e-9)
                        && spec.budget_cost.is_none_or(|b| cost.is_some_and(|c| c <= b + 1e-6));
                    candidates.push(Candidate {
                        point: i,
                        values,
                        tonnes,
                        cost,
                        within_budget,
                    });
                    scenarios.push(s);
                }
                // A plan the scenario refuses (a drop past the horizon, …) is set aside, like one
                // over the budget: the others can still be searched.
                Err(e) => invalid.push(Invalid {
                    point: i,
                    reason: reason(&e),
                    values,
                }),
            }
            if errors.len() >= 5 {
                errors.push("(further candidates not checked)".into());
                break;
            }
        }
        if !errors.is_empty() {
            bail!("the optimisation cannot run:\n{}", errors.join("\n"));
        }
        if candidates.is_empty() {
            let shown: Vec<String> = invalid
                .iter()
                .take(5)
                .map(|c| format!("candidate {} ({}): {}", c.point, c.plan(), c.reason))
                .collect();
            let more = invalid.len().saturating_sub(shown.len());
            bail!(
                "the optimisation cannot run: the scenario refuses every one of the {} candidates:\n{}{}",
                invalid.len(),
                shown.join("\n"),
                if more > 0 {
                    format!("\n(and {more} more, each refused for a reason of the same kind)")
                } else {
                    String::new()
                }
            );
        }
        if !candidates.iter().any(|c| c.within_budget) {
            bail!(
                "the optimisation cannot run: none of the {} candidates is within the budget (the lightest carries {} t)",
                candidates.len(),
                candidates.iter().map(|c| c.tonnes).fold(f64::INFINITY, f64::min)
            );
        }
        scenarios.push(scenarios[0].without_airdrops());
        Ok(Plan {
            related: Related::new(&scenarios),
            spec,
            grid,
            candidates,
            invalid,
            scenarios,
            base,
        })
    }

    /// The index of doing nothing in `scenarios`.
    pub fn nothing(&self) -> usize {
        self.candidates.len()
    }

    /// Runs a brute-force sweep of the candidates within budget would need.
    pub fn full_sweep_runs(&self) -> usize {
        self.candidates.iter().filter(|c| c.within_budget).count() * self.spec.max_replicates as usize
    }

    /// The most runs the search can take (no racing drop, a cheaper plan kept every round): for
    /// progress bars.
    pub fn most_runs(&self) -> usize {
        let mut m = self.candidates.iter().filter(|c| c.within_budget).count();
        let (mut n, max) = (self.spec.start_replicates, self.spec.max_replicates);
        let mut runs = m * n as usize;
        while m > self.spec.finalists && n < max {
            m = ((m - m / 2).max(self.spec.finalists) + 1).min(m);
            let next = (2 * n).min(max);
            runs += m * (next - n) as usize;
            n = next;
        }
        if n < max {
            runs += m * (max - n) as usize;
        }
        runs + max as usize
    }

    /// SHA-256 over the `scenario_digest` of every candidate, then doing nothing.
    pub fn digest(&self) -> String {
        let all: Vec<String> = self.scenarios.iter().map(files::scenario_digest).collect();
        files::sha256_hex(all.join("\n").as_bytes())
    }
}

/// One round of the search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Round {
    pub round: u32,
    /// Candidates in the race this round.
    pub candidates: usize,
    /// Replicates each has by the end of the round.
    pub replicates: u32,
    /// Eliminated at the end of the round.
    pub eliminated: usize,
    /// The grid point kept beyond the half as the cheapest candidate not clearly worse than the
    /// leader ([`halve`]); absent when the half by mean held it (and in an older optimise.json).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_cheaper: Option<usize>,
}

/// What the search found.
pub struct Found {
    /// Per scenario (candidates, then doing nothing): the summaries of replicates 0, 1, … run.
    pub summaries: Vec<Vec<Summary>>,
    /// Per candidate: the round it was eliminated in (None: a finalist, or over budget).
    pub eliminated: Vec<Option<u32>>,
    /// Candidates within budget, best first: the finalists by mean at `max_replicates`, then the
    /// eliminated, the later eliminated first, each round's by mean.
    pub ranking: Vec<usize>,
    pub rounds: Vec<Round>,
    /// Model runs done (doing nothing included).
    pub runs: usize,
    /// Steps of the search (each a batch of runs decided by the earlier ones).
    pub steps: usize,
    /// The finalist with the lowest mean outcome: the chosen plan unless the cost tie-break chose
    /// a cheaper one that ties it within noise.
    pub lowest_mean: usize,
}

impl Found {
    fn value(&self, plan: &Plan, c: usize, r: usize) -> f64 {
        self.summaries[c][r].outcome(plan.spec.outcome.outcome)
    }

    /// The candidate's outcome over its replicates.
    pub fn outcome(&self, plan: &Plan, c: usize) -> Describe {
        let v: Vec<f64> = (0..self.summaries[c].len()).map(|r| self.value(plan, c, r)).collect();
        stats::describe(&v)
    }

    /// `a − b` over their common replicates.
    pub fn paired(&self, plan: &Plan, a: usize, b: usize) -> Describe {
        let n = self.summaries[a].len().min(self.summaries[b].len());
        let v: Vec<f64> = (0..n)
            .map(|r| self.value(plan, a, r) - self.value(plan, b, r))
            .collect();
        stats::describe(&v)
    }

    /// Share of the common replicates in which `a`'s outcome is strictly lower than `b`'s, and
    /// the share of ties.
    pub fn better_share(&self, plan: &Plan, a: usize, b: usize) -> (f64, f64) {
        let n = self.summaries[a].len().min(self.summaries[b].len());
        if n == 0 {
            return (f64::NAN, f64::NAN);
        }
        let (mut better, mut ties) = (0, 0);
        for r in 0..n {
            let (x, y) = (self.value(plan, a, r), self.value(plan, b, r));
            if x < y {
                better += 1;
            } else if x == y {
                ties += 1;
            }
        }
        (better as f64 / n as f64, ties as f64 / n as f64)
    }

    /// Paired statistics of candidate `c` against doing nothing ([`decision::vs_baseline`]).
    pub fn vs_nothing(&self, plan: &Plan, c: usize) -> Vec<Measure> {
        let days = plan.scenarios[0].days();
        let arm = |i: usize| Arm {
            replicates: self.summaries[i].iter().map(decision::Replicate::of_summary).collect(),
            costed: decision::costed(&plan.scenarios[i]),
        };
        decision::vs_baseline(&arm(c), &arm(plan.nothing()), &[days], &[], days)
    }
}

/// The runs one step of the search needs: (replicate, scenarios run together) in order. A step
/// brings a set of scenarios up to a number of replicates; the steps and their tasks follow from
/// the outcomes of earlier steps alone, so any process that knows those outcomes lists the same
/// tasks (what `--shard` relies on).
pub type Task = (u32, Vec<usize>);

/// Where the search gets a step's runs: `(step, tasks)` → each task's summaries in task order, or
/// None when they are not (yet) known.
pub type Source<'a> = dyn FnMut(usize, &[Task]) -> Result<Option<Vec<Vec<Summary>>>> + 'a;

/// Runs `tasks` (in parallel) and returns each task's summaries, in task order; `tick` is called
/// after every model run.
pub fn run_tasks(plan: &Plan, tasks: &[Task], tick: &(dyn Fn() + Sync)) -> Vec<Vec<Summary>> {
    tasks
        .par_iter()
        .map(|(r, group)| {
            plan.related
                .run(&plan.scenarios, group, *r, false)
                .into_iter()
                .map(|x| {
                    tick();
                    x.summary
                })
                .collect()
        })
        .collect()
}

/// Runs the search; `tick` is called after every model run.
pub fn search(plan: &Plan, tick: &(dyn Fn() + Sync)) -> Found {
    let mut run =
        |_: usize, tasks: &[Task]| -> Result<Option<Vec<Vec<Summary>>>> { Ok(Some(run_tasks(plan, tasks, tick))) };
    match search_with(plan, &mut run) {
        Ok(Some(found)) => found,
        _ => unreachable!("every step's runs are run"),
    }
}

/// The search, its runs obtained from `source(step, tasks)`: the summaries of each task (in task
/// order), or None when they are not (yet) known, which stops the search there (`Ok(None)`).
/// [`search`] runs them; a shard reads them from parts and runs its own share.
pub fn search_with(plan: &Plan, source: &mut Source<'_>) -> Result<Option<Found>> {
    let spec = &plan.spec;
    let mut summaries: Vec<Vec<Summary>> = vec![Vec::new(); plan.scenarios.len()];
    let mut runs = 0;
    let mut step = 0;
    // Brings each scenario of `which` up to `n` replicates, getting the missing ones; a
    // replicate's scenarios that share days run together (`Related`). False: not known yet.
    let mut ensure = |which: &[usize], n: u32, summaries: &mut Vec<Vec<Summary>>| -> Result<bool> {
        let mut tasks: Vec<Task> = Vec::new();
        for r in 0..n {
            let need: Vec<usize> = which
                .iter()
                .copied()
                .filter(|&c| summaries[c].len() <= r as usize)
                .collect();
            if !need.is_empty() {
                tasks.extend(plan.related.groups(&need).into_iter().map(|g| (r, g)));
            }
        }
        let Some(results) = source(step, &tasks)? else {
            return Ok(false);
        };
        step += 1;
        // Tasks are in replicate order, so each scenario's replicates are appended in order.
        for ((_, group), out) in tasks.into_iter().zip(results) {
            runs += out.len();
            for (&c, s) in group.iter().zip(out) {
                summaries[c].push(s);
            }
        }
        Ok(true)
    };
    let outcome = spec.outcome.outcome;
    let mean = |summaries: &Vec<Vec<Summary>>, c: usize, n: u32| -> f64 {
        summaries[c][..n as usize]
            .iter()
            .map(|s| s.outcome(outcome))
            .sum::<f64>()
            / f64::from(n)
    };
    let by_mean = |summaries: &Vec<Vec<Summary>>, which: &mut Vec<usize>, n: u32| {
        which.sort_by(|&a, &b| mean(summaries, a, n).total_cmp(&mean(summaries, b, n)).then(a.cmp(&b)));
    };
    let mut active: Vec<usize> = (0..plan.candidates.len())
        .filter(|&c| plan.candidates[c].within_budget)
        .collect();
    let mut eliminated: Vec<Option<u32>> = vec![None; plan.candidates.len()];
    let mut out_order: Vec<Vec<usize>> = Vec::new();
    let mut rounds = Vec::new();
    let mut n = spec.start_replicates;
    let max = spec.max_replicates;
    let mut round = 0u32;
    loop {
        if !ensure(&active, n, &mut summaries)? {
            return Ok(None);
        }
        by_mean(&summaries, &mut active, n);
        if active.len() <= spec.finalists || n >= max {
            rounds.push(Round {
                round,
                candidates: active.len(),
                replicates: n,
                eliminated: 0,
                kept_cheaper: None,
            });
            break;
        }
        let leader = active[0];
        let clearly_worse = |c: usize| -> bool {
            if n < RACING_MIN_PAIRS || c == leader {
                return false;
            }
            let d: Vec<f64> = (0..n as usize)
                .map(|r| summaries[c][r].outcome(outcome) - summaries[leader][r].outcome(outcome))
                .collect();
            stats::describe(&d).ci95_lo > 0.0
        };
        let cheaper = |a: usize, b: usize| cheaper(&plan.candidates[a], &plan.candidates[b]);
        let Halved {
            stay,
            gone,
            kept_cheaper,
        } = halve(&active, spec.finalists, &clearly_worse, &cheaper);
        for &c in &gone {
            eliminated[c] = Some(round);
        }
        rounds.push(Round {
            round,
            candidates: active.len(),
            replicates: n,
            eliminated: gone.len(),
            kept_cheaper: kept_cheaper.map(|c| plan.candidates[c].point),
        });
        out_order.push(gone);
        active = stay;
        round += 1;
        n = (2 * n).min(max);
    }
    // The finalists to the full count, with doing nothing beside them.
    let mut last: Vec<usize> = active.clone();
    last.push(plan.nothing());
    if !ensure(&last, max, &mut summaries)? {
        return Ok(None);
    }
    by_mean(&summaries, &mut active, max);
    let lowest_mean = active[0];
    let active = cheaper_among_ties(plan, &summaries, active);
    if let Some(r) = rounds.last_mut() {
        r.replicates = max;
    }
    let mut ranking = active;
    for gone in out_order.into_iter().rev() {
        ranking.extend(gone);
    }
    Ok(Some(Found {
        summaries,
        eliminated,
        ranking,
        rounds,
        runs,
        steps: step,
        lowest_mean,
    }))
}

/// What one round of the halving keeps and drops.
#[derive(Clone, Debug, PartialEq)]
pub struct Halved {
    /// The candidates still in the race, by mean (the one kept for its cost last).
    pub stay: Vec<usize>,
    /// Those eliminated, by mean.
    pub gone: Vec<usize>,
    /// The candidate kept beyond the half as the cheapest that is not clearly worse than the
    /// leader, when the half by mean does not hold it.
    pub kept_cheaper: Option<usize>,
}

/// One round's eliminations. `ranked`: the candidates in the race, by mean outcome (the leader
/// first). The half by mean stays (the first ⌈m/2⌉ of m, at least `finalists`) except those
/// `clearly_worse` than the leader outside the first `finalists`; then, if the cheapest candidate
/// not clearly worse ([`cheaper`], the better mean first among equally cheap ones) is not among
/// them, it stays too: at most one more, so that a cheaper plan that ties the leader within
/// noise reaches the cost tie-break instead of being dropped by its mean alone.
pub fn halve(
    ranked: &[usize],
    finalists: usize,
    clearly_worse: &dyn Fn(usize) -> bool,
    cheaper: &dyn Fn(usize, usize) -> Ordering,
) -> Halved {
    let m = ranked.len();
    let keep = (m - m / 2).max(finalists);
    let (mut stay, mut gone) = (Vec::new(), Vec::new());
    for (k, &c) in ranked.iter().enumerate() {
        if k < finalists || (k < keep && !clearly_worse(c)) {
            stay.push(c);
        } else {
            gone.push(c);
        }
    }
    // `min_by` keeps the first of equal minima, so equally cheap plans go by mean.
    let cheapest = ranked
        .iter()
        .copied()
        .filter(|&c| !clearly_worse(c))
        .min_by(|&a, &b| cheaper(a, b));
    let kept_cheaper = cheapest.filter(|c| gone.contains(c));
    if let Some(c) = kept_cheaper {
        gone.retain(|&g| g != c);
        stay.push(c);
    }
    Halved {
        stay,
        gone,
        kept_cheaper,
    }
}

/// Which of two plans is cheaper, for the tie-breaks: the lower cost when their airdrops are
/// costed (a plan without a cost counts as dearest), then the fewer tonnes.
fn cheaper(a: &Candidate, b: &Candidate) -> Ordering {
    let cost = |c: &Candidate| c.cost.unwrap_or(f64::INFINITY);
    cost(a).total_cmp(&cost(b)).then(a.tonnes.total_cmp(&b.tonnes))
}

/// The cost tie-break. `finalists` are ranked by mean outcome at `max_replicates`; the finalists
/// that tie the lowest mean within noise (the 95% CI of their paired difference from it does not
/// lie above 0, so the data cannot tell them apart from it) move to the front, cheapest first
/// ([`cheaper`]; equal cost and tonnes keep the order by mean); the others follow by mean.
fn cheaper_among_ties(plan: &Plan, summaries: &[Vec<Summary>], finalists: Vec<usize>) -> Vec<usize> {
    let Some(&leader) = finalists.first() else {
        return finalists;
    };
    let outcome = plan.spec.outcome.outcome;
    let ties = |c: usize| -> bool {
        let d: Vec<f64> = summaries[c]
            .iter()
            .zip(&summaries[leader])
            .map(|(a, b)| a.outcome(outcome) - b.outcome(outcome))
            .collect();
        // Not clearly worse; a NaN interval (one pair) cannot tell them apart either.
        let lo = stats::describe(&d).ci95_lo;
        c == leader || lo.is_nan() || lo <= 0.0
    };
    let (mut tied, rest): (Vec<usize>, Vec<usize>) = finalists.into_iter().partition(|&c| ties(c));
    // A stable sort: equally cheap plans keep their order by mean.
    tied.sort_by(|&a, &b| cheaper(&plan.candidates[a], &plan.candidates[b]));
    tied.extend(rest);
    tied
}

/// One row of `optimise.csv`: a candidate plan and what the search learnt of it.
#[derive(Clone, Debug, PartialEq)]
pub struct OptimiseRow {
    /// 1 = the chosen plan; empty for a candidate over the budget.
    pub rank: Option<usize>,
    pub point: usize,
    pub values: Vec<(String, GridValue)>,
    pub tonnes: f64,
    pub cost: Option<f64>,
    pub replicates: usize,
    pub outcome: Describe,
    /// This candidate − the chosen one, over their common replicates.
    pub vs_best: Describe,
    /// Share of the common replicates in which this candidate did strictly better than the chosen.
    pub better_than_best: f64,
    /// Doing nothing − this candidate (what the plan saves), over its replicates.
    pub vs_nothing: Describe,
    pub eliminated_round: Option<u32>,
    /// `chosen`, `finalist`, `eliminated`, `over_budget` or `invalid`.
    pub status: &'static str,
    /// Why a candidate was set aside (`over_budget`, `invalid`); empty for a ranked one.
    pub reason: String,
}

impl OptimiseRow {
    /// A candidate set aside before anything runs (`over_budget`, `invalid`): never ranked or run.
    fn set_aside(
        point: usize,
        values: Vec<(String, GridValue)>,
        tonnes: f64,
        cost: Option<f64>,
        status: &'static str,
        reason: String,
    ) -> Self {
        let none = stats::describe(&[]);
        OptimiseRow {
            rank: None,
            point,
            values,
            tonnes,
            cost,
            replicates: 0,
            outcome: none,
            vs_best: none,
            better_than_best: f64::NAN,
            vs_nothing: none,
            eliminated_round: None,
            status,
            reason,
        }
    }
}

impl files::NamedRow for OptimiseRow {
    fn cells(&self) -> Vec<(Cow<'static, str>, String)> {
        let num = |x: f64| Number::finite(x).text();
        let mut cells: Vec<(Cow<'static, str>, String)> = vec![
            ("rank".into(), self.rank.map(|r| r.to_string()).unwrap_or_default()),
            ("point".into(), self.point.to_string()),
        ];
        cells.extend(self.values.iter().map(|(k, v)| (Cow::Owned(k.clone()), v.cell())));
        cells.push(("tonnes".into(), num(self.tonnes)));
        cells.push(("cost".into(), self.cost.map(num).unwrap_or_default()));
        cells.push(("replicates".into(), self.replicates.to_string()));
        for (prefix, d) in [
            ("outcome", &self.outcome),
            ("vs_best", &self.vs_best),
            ("saved_vs_nothing", &self.vs_nothing),
        ] {
            cells.push((format!("{prefix}_mean").into(), num(d.mean)));
            cells.push((format!("{prefix}_ci95_lo").into(), num(d.ci95_lo)));
            cells.push((format!("{prefix}_ci95_hi").into(), num(d.ci95_hi)));
            if prefix == "vs_best" {
                cells.push(("better_than_best_share".into(), num(self.better_than_best)));
            }
            if prefix == "saved_vs_nothing" {
                // The replicates it rests on: an eliminated plan's are fewer than a finalist's.
                cells.push(("saved_vs_nothing_replicates".into(), d.n.to_string()));
            }
        }
        cells.push((
            "eliminated_round".into(),
            self.eliminated_round.map(|r| r.to_string()).unwrap_or_default(),
        ));
        cells.push(("status".into(), self.status.into()));
        cells.push(("reason".into(), self.reason.clone()));
        cells
    }
}

/// Why a candidate over the budget is: its tonnes and/or cost against the budget's.
fn over_budget(spec: &Spec, c: &Candidate) -> String {
    let mut why = Vec::new();
    if let Some(b) = spec.budget_tonnes.filter(|&b| c.tonnes > b + 1e-9) {
        why.push(format!("{} t > budget_tonnes {b}", c.tonnes));
    }
    if let Some(b) = spec.budget_cost.filter(|&b| c.cost.is_none_or(|x| x > b + 1e-6)) {
        match c.cost {
            Some(x) => why.push(format!("cost {x} > budget_cost {b}")),
            None => why.push(format!("no cost, budget_cost {b}")),
        }
    }
    why.join("; ")
}

/// The rows of `optimise.csv`: the ranked candidates, best first, then those over the budget,
/// then those the scenario refuses (`invalid`).
pub fn rows(plan: &Plan, found: &Found) -> Vec<OptimiseRow> {
    let best = found.ranking[0];
    let finalists = found
        .ranking
        .iter()
        .take_while(|&&c| found.eliminated[c].is_none())
        .count();
    let mut rows: Vec<OptimiseRow> = found
        .ranking
        .iter()
        .enumerate()
        .map(|(k, &c)| {
            let cand = &plan.candidates[c];
            let saved = found.paired(plan, plan.nothing(), c);
            OptimiseRow {
                rank: Some(k + 1),
                point: cand.point,
                values: cand.values.clone(),
                tonnes: cand.tonnes,
                cost: cand.cost,
                replicates: found.summaries[c].len(),
                outcome: found.outcome(plan, c),
                vs_best: found.paired(plan, c, best),
                better_than_best: if c == best {
                    f64::NAN
                } else {
                    found.better_share(plan, c, best).0
                },
                vs_nothing: saved,
                eliminated_round: found.eliminated[c],
                status: if k == 0 {
                    "chosen"
                } else if k < finalists {
                    "finalist"
                } else {
                    "eliminated"
                },
                reason: String::new(),
            }
        })
        .collect();
    rows.extend(plan.candidates.iter().filter(|c| !c.within_budget).map(|c| {
        OptimiseRow::set_aside(
            c.point,
            c.values.clone(),
            c.tonnes,
            c.cost,
            "over_budget",
            over_budget(&plan.spec, c),
        )
    }));
    rows.extend(
        plan.invalid
            .iter()
            .map(|c| OptimiseRow::set_aside(c.point, c.values.clone(), f64::NAN, None, "invalid", c.reason.clone())),
    );
    rows
}

/// The columns of `optimise.csv` for these varied keys.
pub fn header(keys: &[String]) -> Vec<String> {
    let values = keys.iter().map(|k| (k.clone(), GridValue::Integer(0))).collect();
    crate::output::column_names(&OptimiseRow::set_aside(0, values, 0.0, None, "", String::new()))
}

/// One row of `optimise_runs.csv`: the outcome of one run, the search's whole evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRow {
    /// The candidate's grid point; empty for doing nothing.
    pub point: Option<usize>,
    pub replicate: u32,
    pub value: f64,
}

/// Every run's outcome, by candidate (doing nothing last) then replicate.
pub fn run_rows(plan: &Plan, found: &Found) -> Vec<RunRow> {
    found
        .summaries
        .iter()
        .enumerate()
        .flat_map(|(c, s)| {
            s.iter().enumerate().map(move |(r, s)| RunRow {
                point: plan.candidates.get(c).map(|x| x.point),
                replicate: r as u32,
                value: s.outcome(plan.spec.outcome.outcome),
            })
        })
        .collect()
}

/// How sure the ranking is: the chosen plan against the runner-up, pair by pair.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confidence {
    pub runner_up_point: usize,
    pub pairs: usize,
    /// Share of pairs in which the chosen plan's outcome is strictly lower.
    pub chosen_better_share: f64,
    pub tie_share: f64,
    /// Runner-up − chosen: mean and 95% CI.
    pub difference_mean: f64,
    pub difference_ci95_lo: Option<f64>,
    pub difference_ci95_hi: Option<f64>,
}

/// `optimise.json`: what was searched, how, and what was found; enough to rerun it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimiseFile {
    pub program: String,
    pub version: String,
    pub model_build: String,
    /// The command line as given.
    pub command: Vec<String>,
    pub optimise_file: String,
    pub name: String,
    pub scenario_file: String,
    pub scenario_name: String,
    /// SHA-256 over the `scenario_digest` of every candidate, then doing nothing.
    pub scenario_digest: String,
    pub seed: u64,
    pub days: u32,
    pub outcome: String,
    pub budget_tonnes: Option<f64>,
    pub budget_cost: Option<f64>,
    pub set: Vec<String>,
    pub vary: Vec<VaryKey>,
    pub start_replicates: u32,
    pub max_replicates: u32,
    pub finalists: usize,
    /// Grid points: every candidate, ranked or set aside.
    pub candidates: usize,
    pub within_budget: usize,
    /// Candidates the scenario refuses (status `invalid`), set aside. Absent in an older file.
    #[serde(default)]
    pub invalid: usize,
    pub runs: usize,
    /// Runs a full sweep of the candidates within budget at `max_replicates` would take.
    pub full_sweep_runs: usize,
    pub rounds: Vec<Round>,
    pub chosen_point: usize,
    /// The finalist with the lowest mean outcome; differs from `chosen_point` when the cost
    /// tie-break chose a cheaper plan that ties it within noise.
    pub lowest_mean_point: usize,
    /// Absent when only one candidate was within budget.
    pub confidence: Option<Confidence>,
    /// The scenario searched, as sweep.json's `scenario` (after `extends` and `set`, before
    /// `vary`), so the directory alone says what was searched. Absent in an older optimise.json.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenario: Option<files::Swept>,
    /// The input files read, stored in the result's `inputs/` ([`crate::output::inputs`]);
    /// absent when none were stored (an older siege's result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<crate::output::inputs::InputFile>,
}

/// What `optimise.json` records.
pub fn meta(plan: &Plan, found: &Found, optimise_file: &Path, command: Vec<String>) -> OptimiseFile {
    let s = &plan.scenarios[0];
    let best = found.ranking[0];
    let confidence = found.ranking.get(1).map(|&second| {
        let (better, ties) = found.better_share(plan, best, second);
        let d = found.paired(plan, second, best);
        Confidence {
            runner_up_point: plan.candidates[second].point,
            pairs: d.n,
            chosen_better_share: better,
            tie_share: ties,
            difference_mean: d.mean,
            difference_ci95_lo: Number::finite(d.ci95_lo).0,
            difference_ci95_hi: Number::finite(d.ci95_hi).0,
        }
    });
    OptimiseFile {
        program: files::PROGRAM.into(),
        version: files::VERSION.into(),
        model_build: files::MODEL_BUILD.into(),
        command,
        optimise_file: optimise_file.display().to_string(),
        name: plan.spec.name.clone(),
        scenario_file: plan.spec.scenario_file.display().to_string(),
        scenario_name: s.name().to_string(),
        scenario_digest: plan.digest(),
        seed: s.seed(),
        days: s.days(),
        outcome: plan.spec.outcome.name.to_string(),
        budget_tonnes: plan.spec.budget_tonnes,
        budget_cost: plan.spec.budget_cost,
        set: plan.spec.set.iter().map(|(k, v)| format!("{k}={v}")).collect(),
        vary: plan
            .grid
            .axes
            .iter()
            .map(|a| VaryKey {
                key: a.key.clone(),
                values: a.values.iter().map(GridValue::from_toml).collect(),
            })
            .collect(),
        start_replicates: plan.spec.start_replicates,
        max_replicates: plan.spec.max_replicates,
        finalists: plan.spec.finalists,
        candidates: plan.grid.len(),
        invalid: plan.invalid.len(),
        within_budget: plan.candidates.iter().filter(|c| c.within_budget).count(),
        runs: found.runs,
        full_sweep_runs: plan.full_sweep_runs(),
        rounds: found.rounds.clone(),
        chosen_point: plan.candidates[best].point,
        lowest_mean_point: plan.candidates[found.lowest_mean].point,
        confidence,
        scenario: Some(files::Swept(plan.base.clone())),
        inputs: Vec::new(),
    }
}
