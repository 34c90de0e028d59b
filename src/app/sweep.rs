//! `siege sweep` (from flags or an experiment file) and `siege merge`.

use super::report::sweep_table;
use super::{ScenarioArgs, check_memory, draw, progress};
use anyhow::Result;
use siege::charts::ChartOptions;
use siege::experiment;
use siege::scenario::Input;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct SweepArgs {
    /// A scenario file, or an experiment file (a TOML file with an `[experiment]` table).
    pub scenario: ScenarioArgs,
    pub vary: Vec<String>,
    pub out: Option<PathBuf>,
    pub shard: Option<experiment::sweep::Shard>,
    /// `--baseline`: the grid point the others are compared with.
    pub baseline: Option<String>,
    /// `--after-end`, given: refused ([`refuse_after_end`]), as a sweep compares only to the end.
    pub after_end: Option<Vec<String>>,
    pub resume: bool,
    pub force: bool,
    pub charts: Option<ChartOptions>,
}

/// Resolves an experiment file into the scenario, the grid and the defaults it names, with its
/// name and the file as read; a plain scenario file passes through.
pub(super) fn expand_experiment(args: &SweepArgs) -> Result<(SweepArgs, Option<(String, Input)>)> {
    // Anything unreadable or not TOML passes through: the scenario loader reports it properly.
    let Ok(text) = siege::scenario::read_text(&args.scenario.path) else {
        return Ok((args.clone(), None));
    };
    let Some(e) = experiment::file::parse(&args.scenario.path, &text)? else {
        return Ok((args.clone(), None));
    };
    let base = args.scenario.path.parent().unwrap_or(Path::new("."));
    let mut out = args.clone();
    out.scenario.path = base.join(&e.scenario);
    out.scenario.replicates = args.scenario.replicates.or(e.replicates);
    out.scenario.set = e.set.into_iter().chain(args.scenario.set.iter().cloned()).collect();
    out.vary = e.vary.into_iter().chain(args.vary.iter().cloned()).collect();
    Ok((out, Some((e.name, Input::new(&args.scenario.path, &text)))))
}

/// Builds and validates the sweep plan of (expanded) sweep arguments.
pub(super) fn sweep_plan(args: &SweepArgs) -> Result<experiment::sweep::Plan> {
    if args.vary.is_empty() {
        anyhow::bail!("sweep: give at least one --vary KEY=SPEC (e.g. --vary airdrop_plan.first_day=2..16)");
    }
    let axes = args
        .vary
        .iter()
        .map(|v| experiment::grid::parse_vary(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let grid = experiment::grid::Grid::new(axes).map_err(anyhow::Error::msg)?;
    let set = args.scenario.overrides_but_replicates()?;
    experiment::sweep::Plan::new(&args.scenario.path, grid, args.scenario.replicates, set)
}

/// `--after-end` belongs to `siege compare`: a sweep keeps each replicate's summary, not its days,
/// so it can count the deaths to the day of lifting (N = 0) and no later. Says so, and the route to
/// N > 0, rather than clap's bare "unexpected argument".
pub(super) fn refuse_after_end(given: Option<&[String]>) -> Result<()> {
    let Some(given) = given else {
        return Ok(());
    };
    anyhow::bail!(
        "sweep: --after-end {} is not a sweep option. A sweep keeps each replicate's summary, not its days: \
with --baseline it already compares the deaths to the end (N = 0, the \"to the end\" column, from \
deaths_to_lifting in sweep.csv) where the baseline's siege is lifted, and cannot count later days. \
For the deaths N > 0 days after the end, write the plan's and the baseline's grid points as scenario \
files (each `extends` the swept scenario and sets its point's values: docs/scenario.md, \"Variants: \
extends\"), or run each point with `siege run SCENARIO --set KEY=VALUE` and use its run.json, then \
`siege compare PLAN --baseline BASELINE --after-end N`",
        given.join(",")
    )
}

/// `siege sweep`: run a grid of scenario variants × replicates; returns the result directory.
pub fn sweep(args: &SweepArgs) -> Result<PathBuf> {
    refuse_after_end(args.after_end.as_deref())?;
    let (args, experiment) = expand_experiment(args)?;
    let mut plan = sweep_plan(&args)?;
    let experiment_name = experiment.map(|(name, file)| {
        plan.inputs.insert(0, file);
        name
    });
    check_memory(
        &args.scenario.path,
        &experiment::footprint::sweep_plan(&plan, args.shard),
        args.scenario.memory_limit_gb,
    )?;
    let base = match &args.baseline {
        Some(spec) => Some(super::baseline::check_sweep(spec, &plan, args.shard)?),
        None => None,
    };
    let name = experiment_name.unwrap_or_else(|| format!("{}-sweep", plan.scenarios[0].name()));
    let out = args.out.clone().unwrap_or_else(|| Path::new("output").join(name));
    let total = match args.shard {
        Some(s) => (plan.tasks() + (s.count - 1 - s.index) as usize) / s.count as usize,
        None => plan.tasks(),
    };
    let _lock = siege::output::lock_dir(&out)?;
    let bar = progress(
        total as u64,
        &format!(
            "{}: {} points × {} replicates",
            plan.scenarios[0].name(),
            plan.grid.len(),
            plan.replicates
        ),
    );
    let done = experiment::sweep::run(&plan, &out, args.shard, args.resume, args.force, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if done.resumed > 0 {
        say!("resumed: {} runs were already done, {} run now", done.resumed, done.ran);
    }
    match args.shard {
        Some(s) => say!(
            "shard {}/{}: {} runs; merge all shards with `siege merge`",
            s.index,
            s.count,
            done.ran + done.resumed
        ),
        None => say!("{}", sweep_table(&done.points)),
    }
    if let Some(point) = base {
        say!("{}", super::baseline::sweep_versus(&plan, &out, point)?);
    }
    say!("wrote {}", out.display());
    if args.shard.is_none() {
        draw(&out, args.charts.as_ref())?;
    }
    Ok(out)
}

/// `siege merge`: combine shard directories into one result.
pub fn merge(parts: &[PathBuf], out: &Path, force: bool, charts: Option<&ChartOptions>) -> Result<PathBuf> {
    let _lock = siege::output::lock_dir(out)?;
    let done = experiment::sweep::merge(parts, out, force)?;
    say!("{}", sweep_table(&done.points));
    say!("merged {} shard(s) into {}", parts.len(), out.display());
    draw(out, charts)?;
    Ok(out.to_path_buf())
}
