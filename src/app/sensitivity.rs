//! `siege sensitivity`: which of the scenario's uncertain parameters (`[[uncertain]]`) drive an
//! outcome, or a decision (the paired difference between the scenario and a second plan).

use super::{ScenarioArgs, check_memory, draw, progress, run_footprint};
use anyhow::Result;
use siege::charts::ChartOptions;
use siege::experiment::sensitivity::{self as sa, Method, Model, SensitivityFile, SensitivityRow};
use siege::observe::files::{self, RunFile};
use siege::observe::{OUTCOMES, Outcome};
use siege::output;
use siege::scenario::Scenario;
use siege::scenario::uncertain::AbsentKeys;
use std::path::{Path, PathBuf};

/// Morris trajectories, or Sobol' base samples, when `--samples` is not given.
pub const DEFAULT_TRAJECTORIES: u32 = 10;
pub const DEFAULT_BASE_SAMPLES: u32 = 64;
/// Morris grid levels when `--levels` is not given (Saltelli et al. 2008, *Global Sensitivity
/// Analysis: The Primer*, §3.3: p = 4 with r = 10 gives good results).
pub const DEFAULT_LEVELS: u32 = 4;

#[derive(Clone, Debug)]
pub struct SensitivityArgs {
    pub scenario: ScenarioArgs,
    pub method: Method,
    /// Morris trajectories r, or Sobol' base samples N.
    pub samples: Option<u32>,
    /// Morris grid levels p (default [`DEFAULT_LEVELS`]).
    pub levels: Option<u32>,
    pub bootstrap: u32,
    /// The outcome's `summary.csv` column.
    pub outcome: String,
    /// `--versus FILE`: the second plan of a decision.
    pub versus: Option<PathBuf>,
    /// `--versus-set KEY=VALUE`: the second plan is this scenario with these overrides.
    pub versus_set: Vec<String>,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub charts: Option<ChartOptions>,
    /// The command line, for sensitivity.json.
    pub command: Vec<String>,
}

/// What the arguments load: the plan, the versus plan (with the arguments it was loaded with),
/// the outcome, and the number of trajectories or base samples.
pub(super) type Loaded = (Scenario, Option<(ScenarioArgs, Scenario)>, Outcome, u32);

/// The scenario(s) and the outcome, or every problem with the arguments at once.
pub(super) fn load(args: &SensitivityArgs) -> Result<Loaded> {
    let mut problems: Vec<String> = Vec::new();
    let plan = args.scenario.load().map_err(|e| problems.push(e.to_string())).ok();
    let outcome = Outcome::named(&args.outcome);
    if outcome.is_none() {
        problems.push(format!(
            "--outcome {:?}: expected one of {}",
            args.outcome,
            OUTCOMES.iter().map(|o| o.name).collect::<Vec<_>>().join(", ")
        ));
    }
    let samples = args.samples.unwrap_or(match args.method {
        Method::Morris => DEFAULT_TRAJECTORIES,
        Method::Sobol => DEFAULT_BASE_SAMPLES,
    });
    match args.method {
        Method::Morris => {
            if samples < 2 {
                problems.push(format!("--samples {samples}: Morris needs at least 2 trajectories"));
            }
            let levels = args.levels.unwrap_or(DEFAULT_LEVELS);
            if !(2..=1000).contains(&levels) || !levels.is_multiple_of(2) {
                problems.push(format!("--levels {levels}: expected an even number from 2 to 1000"));
            }
        }
        Method::Sobol => {
            if samples < 2 {
                problems.push(format!("--samples {samples}: Sobol' needs at least 2 base samples"));
            }
            if args.levels.is_some() {
                problems.push("--levels is for --method morris".into());
            }
        }
    }
    if args.bootstrap > 100_000 {
        problems.push(format!("--bootstrap {}: at most 100000", args.bootstrap));
    }
    if args.versus.is_some() && !args.versus_set.is_empty() {
        problems.push("give --versus FILE or --versus-set KEY=VALUE, not both".into());
    }
    let versus_args = match (&args.versus, args.versus_set.is_empty()) {
        (Some(f), _) => Some(ScenarioArgs {
            path: f.clone(),
            ..args.scenario.clone()
        }),
        (None, false) => Some(ScenarioArgs {
            set: args.scenario.set.iter().chain(&args.versus_set).cloned().collect(),
            ..args.scenario.clone()
        }),
        (None, true) => None,
    };
    // The versus plan may lack an element an entry names (doing nothing: no airdrops.0): the entry
    // is then drawn for this plan only.
    let versus = versus_args.and_then(|va| match va.load_with(AbsentKeys::NotApplied) {
        Ok(s) => Some((va, s)),
        Err(e) => {
            problems.push(format!("the versus plan: {e}"));
            None
        }
    });
    if let Some(p) = &plan {
        if p.uncertain().is_empty() {
            problems.push(format!(
                "{}: the scenario has no [[uncertain]] entries: give each parameter to analyse a range there (docs/scenario.md)",
                args.scenario.path.display()
            ));
        }
        if let Some((va, v)) = &versus {
            let entries = |s: &Scenario| serde_json::to_string(s.uncertain()).unwrap_or_default();
            if entries(v) != entries(p) {
                problems.push(format!(
                    "the versus plan {} must declare the same [[uncertain]] entries as {} (same keys, order and ranges), so both plans run at the same parameter values",
                    va.path.display(),
                    args.scenario.path.display()
                ));
            }
            if v.seed() != p.seed() {
                problems.push(format!(
                    "the versus plan has seed {} and the plan {}: give --seed so that their replicates share random numbers",
                    v.seed(),
                    p.seed()
                ));
            }
        }
    }
    if !problems.is_empty() {
        anyhow::bail!("{}", problems.join("\n"));
    }
    Ok((
        plan.expect("no problems"),
        versus,
        outcome.expect("no problems"),
        samples,
    ))
}

/// `siege sensitivity`: returns the result directory.
pub fn sensitivity(args: &SensitivityArgs) -> Result<PathBuf> {
    let (plan, versus, outcome, samples) = load(args)?;
    let k = plan.uncertain().len();
    let keys: Vec<String> = plan.uncertain().iter().map(|u| u.key.clone()).collect();
    let design = match args.method {
        Method::Morris => sa::morris_design(k, samples, args.levels.unwrap_or(DEFAULT_LEVELS), plan.seed()),
        Method::Sobol => sa::saltelli_design(k, samples),
    };
    let model = Model {
        plan: &plan,
        versus: versus.as_ref().map(|(_, s)| s),
        outcome,
        replicates: plan.replicates(),
    };
    check_memory(
        &args.scenario.path,
        &run_footprint(&plan),
        args.scenario.memory_limit_gb,
    )?;
    let out = args.out.clone().unwrap_or_else(|| {
        let what = if versus.is_some() { "-decision" } else { "" };
        let method = match args.method {
            Method::Morris => "morris",
            Method::Sobol => "sobol",
        };
        Path::new("output").join(format!("{}-{method}{what}", plan.name()))
    });
    let lock = output::lock_dir(&out)?;
    let staging = output::stage(&out, args.force)?;
    let dest = staging.dir().to_path_buf();
    let method_name = match args.method {
        Method::Morris => "Morris",
        Method::Sobol => "Sobol'",
    };
    let bar = progress(
        model.runs(design.len()),
        &format!(
            "{method_name}: {} points × {} replicates{}",
            design.len(),
            model.replicates,
            if versus.is_some() { " × 2 plans" } else { "" }
        ),
    );
    let results = model.evaluate(&design, &|| bar.inc(1)).map_err(anyhow::Error::msg)?;
    bar.finish_and_clear();
    let y: Vec<f64> = results.iter().map(sa::Sample::output).collect();
    let rows = match args.method {
        Method::Morris => {
            let m = sa::morris_indices(&design, &y, k, args.bootstrap, plan.seed());
            sa::rows_of(plan.uncertain(), Some(&m), None)
        }
        Method::Sobol => {
            let s = sa::sobol_indices(&y, k, samples as usize, args.bootstrap, plan.seed());
            sa::rows_of(plan.uncertain(), None, Some(&s))
        }
    };
    output::write_atomic(&dest.join("samples.csv"), &sa::samples_csv(&design, &results, &keys)?)?;
    output::write_atomic(&dest.join("sensitivity.csv"), &output::csv_bytes(&rows)?)?;
    let meta = SensitivityFile {
        program: files::PROGRAM.into(),
        version: files::VERSION.into(),
        model_build: files::MODEL_BUILD.into(),
        command: args.command.clone(),
        method: args.method,
        samples,
        levels: (args.method == Method::Morris).then_some(args.levels.unwrap_or(DEFAULT_LEVELS)),
        bootstrap: args.bootstrap,
        outcome: outcome.name().into(),
        difference: versus.is_some(),
        seed: plan.seed(),
        replicates: model.replicates,
        points: design.len() as u64,
        runs: model.runs(design.len()),
        runs_reused: results.iter().map(|s| s.runs_reused).sum(),
        parameters: plan.uncertain().to_vec(),
        scenario: RunFile::new(&plan, &args.scenario.path, &args.scenario.overrides()?),
        versus: versus
            .as_ref()
            .map(|(va, v)| RunFile::new(v, &va.path, &va.overrides().unwrap_or_default())),
        versus_not_applied: versus
            .as_ref()
            .map(|(_, v)| v.uncertain_not_applied().into_iter().map(String::from).collect())
            .unwrap_or_default(),
        versus_label: versus.as_ref().map(|(_, v)| {
            if args.versus_set.is_empty() {
                v.name().to_string()
            } else {
                format!("{} with {}", v.name(), args.versus_set.join(", "))
            }
        }),
        inputs: output::inputs::write(
            &dest,
            &plan
                .inputs()
                .iter()
                .chain(versus.iter().flat_map(|(_, v)| v.inputs()))
                .cloned()
                .collect::<Vec<_>>(),
        )?,
    };
    output::write_atomic(&dest.join("sensitivity.json"), &output::json_bytes(&meta)?)?;
    let _lock = (staging.commit()?, lock);
    say!("{}", table(&meta, &rows, &y));
    if args.method == Method::Sobol && !samples.is_power_of_two() {
        say!(
            "note: N = {samples} is not a power of two; Sobol' points are evenly spread only in blocks of 2^m, so 64, 128, 256, … give steadier indices"
        );
    }
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(out)
}

/// A number for the terminal: 3 significant decimals for indices, else compact.
fn num(v: Option<f64>, index: bool) -> String {
    // An effect of exactly nothing is 0, whichever way the step went (not −0).
    match v.map(|x| x + 0.0) {
        Some(x) if index => format!("{x:.3}"),
        Some(x) if x.abs() >= 100.0 => format!("{x:.0}"),
        Some(x) => format!("{x:.2}"),
        None => "–".into(),
    }
}

/// What the sign of a decision's mean output says, in words: which plan does better on average.
fn direction(meta: &SensitivityFile, mean: f64) -> Option<String> {
    let versus = meta.versus_label.as_deref()?;
    let plan = &meta.scenario.scenario_name;
    let (lower, higher) = if mean < 0.0 {
        (plan.as_str(), versus)
    } else {
        (versus, plan.as_str())
    };
    (mean != 0.0).then(|| {
        format!(
            "on average {} is {} lower in {lower} than in {higher}",
            meta.outcome,
            num(Some(mean.abs()), false)
        )
    })
}

/// The line naming the entries drawn for the plan only.
fn not_applied(keys: &[String]) -> String {
    format!(
        "not in the versus plan, so drawn for this plan only (it has no element they name): {}",
        keys.join(", ")
    )
}

/// The terminal table of the indices, ranked.
fn table(meta: &SensitivityFile, rows: &[SensitivityRow], y: &[f64]) -> String {
    let what = match &meta.versus_label {
        Some(v) => format!("{} of {} minus {v}", meta.outcome, meta.scenario.scenario_name),
        None => format!("{} of {}", meta.outcome, meta.scenario.scenario_name),
    };
    let mean = y.iter().sum::<f64>() / y.len().max(1) as f64;
    let spread = format!(
        "the output over the {} points: mean {}, 5th–95th percentile {} to {}",
        y.len(),
        num(Some(mean), false),
        num(Some(siege::experiment::stats::quantile(y, 0.05)), false),
        num(Some(siege::experiment::stats::quantile(y, 0.95)), false)
    );
    let width = rows.iter().map(|r| r.key.chars().count()).max().unwrap_or(3).max(9);
    let mut lines = Vec::new();
    match meta.method {
        Method::Morris => {
            lines.push(format!(
                "Morris elementary effects on {what}: {} trajectories on {} levels, {} replicates per point; \
                 effects in outcome units per whole range; 95% bootstrap interval of mu*",
                meta.samples,
                meta.levels.unwrap_or(0),
                meta.replicates
            ));
            lines.push(format!(
                "{:>4}  {:<width$}  {:>10}  {:>22}  {:>10}",
                "rank", "parameter", "mu", "mu* [95% CI]", "sigma"
            ));
            for r in rows {
                let ci = format!(
                    "{} [{}, {}]",
                    num(r.mu_star, false),
                    num(r.mu_star_lo, false),
                    num(r.mu_star_hi, false)
                );
                lines.push(format!(
                    "{:>4}  {:<width$}  {:>10}  {:>22}  {:>10}",
                    r.rank,
                    r.key,
                    num(r.mu, false),
                    ci,
                    num(r.sigma, false)
                ));
            }
        }
        Method::Sobol => {
            lines.push(format!(
                "Sobol' indices of {what}: N = {} base samples ({} points), {} replicates per point; 95% bootstrap intervals",
                meta.samples, meta.points, meta.replicates
            ));
            lines.push(format!(
                "{:>4}  {:<width$}  {:>22}  {:>22}",
                "rank", "parameter", "S1 (first order)", "ST (total)"
            ));
            for r in rows {
                let ci = |v, lo, hi| format!("{} [{}, {}]", num(v, true), num(lo, true), num(hi, true));
                lines.push(format!(
                    "{:>4}  {:<width$}  {:>22}  {:>22}",
                    r.rank,
                    r.key,
                    ci(r.s1, r.s1_lo, r.s1_hi),
                    ci(r.st, r.st_lo, r.st_hi)
                ));
            }
        }
    }
    lines.push(spread);
    if let Some(direction) = direction(meta, mean) {
        lines.push(direction);
    }
    if !meta.versus_not_applied.is_empty() {
        lines.push(not_applied(&meta.versus_not_applied));
    }
    if meta.runs_reused > 0 {
        lines.push(format!(
            "{} of the {} runs made, {} reused: points whose values are another point's, or differ from them only in what no run of the scenario reads",
            meta.runs - meta.runs_reused,
            meta.runs,
            meta.runs_reused
        ));
    }
    lines.join("\n")
}
