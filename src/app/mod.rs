//! What each subcommand does, from plain option structs (the CLI only parses flags into these):
//! the binary's side of siege, with its terminal output and progress bars. The library under it
//! simulates and writes result files; nothing here is part of its API.

/// Prints a line of the terminal report. Nobody reading it (a closed pipe, `| head`) is not an
/// error: the results are in files, and the command carries on writing them.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

mod baseline;
pub mod check;
pub mod compare;
pub mod guide;
pub mod html;
mod html_decisions;
pub mod optimise;
mod report;
pub mod run;
pub mod sensitivity;
pub mod sweep;

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use siege::charts::ChartOptions;
use siege::scenario::uncertain::AbsentKeys;
use siege::scenario::{self, Scenario};
use std::path::{Path, PathBuf};

/// Options common to commands that load a scenario.
#[derive(Clone, Debug, Default)]
pub struct ScenarioArgs {
    pub path: PathBuf,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    /// `KEY=VALUE` overrides, as given.
    pub set: Vec<String>,
    /// `--memory-limit`: refuse work estimated to need more (GB); None = the memory available.
    pub memory_limit_gb: Option<f64>,
}

impl ScenarioArgs {
    /// The overrides as (key, value) pairs, flags included (`--seed` is `simulation.seed`,
    /// `--replicates` is `simulation.replicates`).
    pub fn overrides(&self) -> Result<Vec<(String, String)>> {
        let mut out = self.overrides_but_replicates()?;
        if let Some(r) = self.replicates {
            out.push(("simulation.replicates".into(), r.to_string()));
        }
        Ok(out)
    }

    /// The overrides without `--replicates` (which a sweep gives its plan apart).
    fn overrides_but_replicates(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for a in &self.set {
            let (k, v) = scenario::overrides::split_assignment(a).map_err(|e| anyhow::anyhow!("--set {e}"))?;
            out.push((k.to_string(), v.to_string()));
        }
        if let Some(seed) = self.seed {
            out.push(("simulation.seed".into(), seed.to_string()));
        }
        Ok(out)
    }

    /// The scenario of a TOML file, or of an earlier run's `run.json` (its recorded scenario,
    /// checked against its digest, with any new overrides on top).
    pub fn load(&self) -> Result<Scenario> {
        self.load_with(AbsentKeys::Refused)
    }

    /// As [`ScenarioArgs::load`], with `absent` saying what an `[[uncertain]]` entry naming an
    /// element the scenario lacks is (`scenario::uncertain::AbsentKeys`).
    pub fn load_with(&self, absent: AbsentKeys) -> Result<Scenario> {
        let overrides = self.overrides()?;
        if self.path.extension().is_some_and(|e| e == "json") {
            return self.load_run_json(&overrides, absent);
        }
        Ok(scenario::load_with(&self.path, &overrides, absent)?)
    }

    fn load_run_json(&self, overrides: &[(String, String)], absent: AbsentKeys) -> Result<Scenario> {
        let name = self.path.display();
        let text = scenario::read_text(&self.path).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let run: siege::observe::files::RunFile =
            serde_json::from_str(&text).map_err(|e| anyhow::anyhow!("{name}: not a run.json that siege wrote: {e}"))?;
        let toml = run.scenario_toml().map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let as_run = scenario::parse_in_with(&name.to_string(), &toml, &[], dir, absent)?;
        run.reproduces(&as_run).map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        let read = scenario::Input::new(&self.path, &text);
        if overrides.is_empty() {
            return Ok(as_run.read_from(read));
        }
        Ok(scenario::parse_in_with(
            &name.to_string(),
            &toml,
            &scenario::Override::from_set(overrides),
            dir,
            absent,
        )?
        .read_from(read))
    }
}

/// "1 replicate", "20 replicates".
fn replicates_text(n: u32) -> String {
    if n == 1 {
        "1 replicate".into()
    } else {
        format!("{n} replicates")
    }
}

/// Refuses work too large for the memory (see [`experiment::footprint::check`]).
fn check_memory(source: &Path, need: &siege::experiment::footprint::Footprint, limit_gb: Option<f64>) -> Result<()> {
    siege::experiment::footprint::check(source, need, limit_gb).map_err(anyhow::Error::msg)
}

/// The memory one run of `s` needs at this process's thread count.
fn run_footprint(s: &Scenario) -> siege::experiment::footprint::Footprint {
    siege::experiment::footprint::run(s, rayon::current_num_threads())
}

/// Days to simulate in all replicates of a scenario: the length of its progress bar.
fn replicate_days(s: &Scenario) -> u64 {
    u64::from(s.replicates()) * u64::from(s.days())
}

/// A progress bar on stderr with an ETA; indicatif hides it when stderr is not a terminal.
fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            .expect("progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

/// Draws the charts of a result directory and says where they went.
fn draw(dir: &Path, charts: Option<&ChartOptions>) -> Result<()> {
    if let Some(opts) = charts {
        let files =
            siege::charts::plot_dir(dir, opts).with_context(|| format!("drawing the charts of {}", dir.display()))?;
        say!("charts: {} file(s) in {}", files.len(), dir.join("charts").display());
    }
    Ok(())
}

/// The default result directory of a scenario.
fn default_out(s: &Scenario) -> PathBuf {
    Path::new("output").join(s.name())
}

/// Reads a file for a command, naming it in the error.
fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}
