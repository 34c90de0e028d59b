//! `siege run`, `siege validate` and `siege plot`.

use super::report::terminal_summary;
use super::sweep::{SweepArgs, expand_experiment, sweep_plan};
use super::{ScenarioArgs, check_memory, default_out, draw, progress, replicate_days, replicates_text, run_footprint};
use anyhow::Result;
use siege::charts::ChartOptions;
use siege::{experiment, output};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct RunArgs {
    pub scenario: ScenarioArgs,
    pub out: Option<PathBuf>,
    pub force: bool,
    /// Charts to draw after the run (None = no charts).
    pub charts: Option<ChartOptions>,
}

/// `siege run`: simulate every replicate, write timeseries.csv, locations.csv, summary.csv and
/// run.json, print a summary. Returns the result directory.
pub fn run(args: &RunArgs) -> Result<PathBuf> {
    let s = args.scenario.load()?;
    check_memory(&args.scenario.path, &run_footprint(&s), args.scenario.memory_limit_gb)?;
    let out = args.out.clone().unwrap_or_else(|| default_out(&s));
    let lock = output::lock_dir(&out)?;
    let staging = output::stage(&out, args.force)?;
    let n = s.replicates();
    let bar = progress(
        replicate_days(&s),
        &format!("{}: {} × {} days", s.name(), replicates_text(n), s.days()),
    );
    let results = experiment::run_replicates(&s, n, true, &|| bar.inc(1));
    bar.finish_and_clear();
    output::write_run(
        staging.dir(),
        &s,
        &args.scenario.path,
        &args.scenario.overrides()?,
        &results,
        s.inputs(),
    )?;
    let _lock = (staging.commit()?, lock);
    say!(
        "{}",
        terminal_summary(&s, &results.iter().map(|r| r.summary.clone()).collect::<Vec<_>>())
    );
    if let Some(note) = super::report::idle_store_note(&s, None, &results) {
        say!("{note}");
    }
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(out)
}

/// `siege validate`: report every problem, or a one-line description of the valid scenario.
pub fn validate(args: &ScenarioArgs) -> Result<String> {
    let sweep_args = SweepArgs {
        scenario: args.clone(),
        ..SweepArgs::default()
    };
    if let (expanded, Some((name, _))) = expand_experiment(&sweep_args)? {
        let plan = sweep_plan(&expanded)?;
        check_memory(
            &args.path,
            &siege::experiment::footprint::sweep_plan(&plan, None),
            args.memory_limit_gb,
        )?;
        return Ok(format!(
            "{}: valid experiment {name:?} — scenario {}, {} grid points × {} replicates, every point valid",
            args.path.display(),
            expanded.scenario.path.display(),
            plan.grid.len(),
            plan.replicates
        ));
    }
    let s = args.load()?;
    check_memory(&args.path, &run_footprint(&s), args.memory_limit_gb)?;
    // The file as written (bases merged, overrides applied), to tell its keys from defaults.
    let written = super::html::written_tree(&args.path, 0).ok().map(|mut t| {
        for (k, v) in args.overrides().unwrap_or_default() {
            let _ = siege::scenario::overrides::set_path(&mut t, &k, siege::scenario::overrides::parse_value(&v));
        }
        t
    });
    let defaults = [
        super::report::assumptions_text(&s, written.as_ref()),
        super::report::founding_defaults_text(&s, written.as_ref()),
    ]
    .into_iter()
    .filter(|t| !t.is_empty())
    .collect::<Vec<_>>()
    .join("\n");
    Ok(format!(
        "{}: valid — scenario {:?}, {} people in {} location(s), {} route(s), {} event(s), {}, {} days, {} replicates, seed {}",
        args.path.display(),
        s.name(),
        s.home_counts().iter().sum::<u64>(),
        s.location_ids().len(),
        s.routes().len(),
        s.events().len(),
        super::report::airdrop_count(&s),
        s.days(),
        s.replicates(),
        s.seed()
    ) + "\n"
        + &super::report::food_balance_text(&s)
        + if defaults.is_empty() { "" } else { "\n" }
        + &defaults)
}

/// `siege plot`: draw the charts of an earlier result directory again, without simulating.
pub fn plot(dir: &Path, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let files = siege::charts::plot_dir(dir, opts)?;
    for f in &files {
        say!("{}", f.display());
    }
    Ok(files)
}
