//! What each subcommand does, from plain option structs (the CLI only parses flags into these).

use crate::experiment::{self, stats};
use crate::observe::KEY_OUTCOMES;
use crate::output;
use crate::scenario::{self, Scenario};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// Options common to commands that load a scenario.
#[derive(Clone, Debug, Default)]
pub struct ScenarioArgs {
    pub path: PathBuf,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    /// `KEY=VALUE` overrides, as given.
    pub set: Vec<String>,
}

impl ScenarioArgs {
    /// The overrides as (key, value) pairs, flags included (`--seed` is `simulation.seed`).
    pub fn overrides(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for a in &self.set {
            let (k, v) = scenario::overrides::split_assignment(a)
                .map_err(|e| anyhow::anyhow!("--set {e}"))?;
            out.push((k.to_string(), v.to_string()));
        }
        if let Some(seed) = self.seed {
            out.push(("simulation.seed".into(), seed.to_string()));
        }
        if let Some(r) = self.replicates {
            out.push(("simulation.replicates".into(), r.to_string()));
        }
        Ok(out)
    }

    pub fn load(&self) -> Result<Scenario> {
        Ok(scenario::load(&self.path, &self.overrides()?)?)
    }
}

/// A progress bar on stderr with an ETA; indicatif hides it when stderr is not a terminal.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            .expect("progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

#[derive(Clone, Debug, Default)]
pub struct RunArgs {
    pub scenario: ScenarioArgs,
    pub out: Option<PathBuf>,
    pub force: bool,
}

/// The default result directory of a scenario.
pub fn default_out(s: &Scenario) -> PathBuf {
    Path::new("output").join(s.name())
}

/// `siege run`: simulate every replicate, write timeseries.csv, locations.csv, summary.csv and
/// run.json, print a summary. Returns the result directory.
pub fn run(args: &RunArgs) -> Result<PathBuf> {
    let s = args.scenario.load()?;
    let out = args.out.clone().unwrap_or_else(|| default_out(&s));
    output::prepare_dir(&out, args.force)?;
    let n = s.replicates();
    let bar = progress(u64::from(n), &format!("{}: {} replicates", s.name(), n));
    let results = experiment::run_replicates(&s, n, true, &|| bar.inc(1));
    bar.finish_and_clear();
    write_run(&out, &s, &args.scenario, &results)?;
    println!(
        "{}",
        terminal_summary(
            &s,
            &results
                .iter()
                .map(|r| r.summary.clone())
                .collect::<Vec<_>>()
        )
    );
    println!("wrote {}", out.display());
    Ok(out)
}

/// Writes a run's files into `out` (which must exist).
pub fn write_run(
    out: &Path,
    s: &Scenario,
    args: &ScenarioArgs,
    results: &[experiment::ReplicateResult],
) -> Result<()> {
    let days = output::csv_bytes(results.iter().flat_map(|r| r.days.iter()))?;
    let locations = output::csv_bytes(results.iter().flat_map(|r| r.locations.iter()))?;
    let summaries: Vec<_> = results.iter().map(|r| r.summary.clone()).collect();
    output::write_atomic(&out.join("timeseries.csv"), &days)?;
    output::write_atomic(&out.join("locations.csv"), &locations)?;
    output::write_atomic(&out.join("summary.csv"), &output::summary_csv(&summaries)?)?;
    // run.json last: its presence says the run's files are complete.
    let meta = serde_json::json!({
        "program": "siege",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario_file": args.path.display().to_string(),
        "scenario_name": s.name(),
        "seed": s.seed(),
        "replicates": s.replicates(),
        "days": s.days(),
        "start_date": s.file.simulation.start_date,
        "overrides": args.overrides()?.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
        "scenario": s.file,
    });
    output::write_atomic(&out.join("run.json"), format!("{:#}\n", meta).as_bytes())?;
    Ok(())
}

/// Median and 90% interval of the key outcomes across replicates.
pub fn terminal_summary(s: &Scenario, summaries: &[crate::observe::Summary]) -> String {
    let mut text = format!(
        "{} — {} replicates, seed {}, {} days: median [5th–95th percentile]\n",
        s.name(),
        summaries.len(),
        s.seed(),
        s.days()
    );
    for key in KEY_OUTCOMES {
        let v: Vec<f64> = summaries.iter().filter_map(|x| x.get(key)).collect();
        let d = stats::describe(&v);
        text.push_str(&format!(
            "  {key:<22} {:>12} [{} – {}]\n",
            fmt_num(d.p50),
            fmt_num(d.p05),
            fmt_num(d.p95)
        ));
    }
    text.trim_end().to_string()
}

/// Short human formatting: integers plainly, others with up to 3 significant decimals.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.abs() >= 1e6 {
        return format!("{:.3e}", x);
    }
    if (x - x.round()).abs() < 1e-9 {
        return format!("{}", x.round() as i64);
    }
    format!("{:.2}", x)
}

/// `siege validate`: report every problem, or a one-line description of the valid scenario.
pub fn validate(args: &ScenarioArgs) -> Result<String> {
    let s = args.load()?;
    let r = &s.resolved;
    Ok(format!(
        "{}: valid — scenario {:?}, {} people in {} location(s), {} route(s), {} event(s), {} airdrop(s), {} days, {} replicates, seed {}",
        args.path.display(),
        s.name(),
        r.home_counts.iter().sum::<u64>(),
        r.location_ids.len(),
        r.routes.len(),
        r.events.len(),
        r.airdrops.len(),
        s.days(),
        s.replicates(),
        s.seed()
    ))
}

/// Reads a file for a command, naming it in the error.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
