//! Charts of result directories (docs/outputs.md), as PNG (default) or SVG, drawn by the same code.
//!
//! [`plot_dir`] detects the kind of result by the files present and writes into `DIR/charts/`:
//!
//! | result | needs | charts (`.png` and/or `.svg`) |
//! |---|---|---|
//! | run | `timeseries.csv`, `run.json` | `population` (stacked by status), `food` (two panels: food held in days of need, by everyone alive if shared equally and by the displaced and those on the road; mean intake against 2,100 kcal), `deaths` (cumulative, by cause), `death_rates` (two panels: CDR and U5DR with IPC thresholds), `nutrition` (GAM, SAM, adult BMI < 18.5), `airdrops` (always written, in tonnes when every drop has the same kcal/kg; says "no airdrops in this run" when there were none), `infections` (new episodes a day by disease; only when some replicate had one), `map` (places laid out from route distances, routes in their states, arrows of people displaced: [`map`]) |
//! | sweep | `sweep.csv`, `sweep_summary.csv`, `sweep.json` | `sweep_<outcome>` for each key outcome present, against the first varied key (other keys' combinations as separate lines); with two or more keys also `sweep_heatmap_<outcome>` of the mean over the first two keys (averaged over any others) |
//! | check | the run's files and `check.csv` | the run's charts and `check_facts`: one panel per metric of the scored facts, outcomes and calibration targets (up to 6), each fact's tolerance range as a bar (green when the model's median is inside, red when not), the documented value as a black tick, the model's median and 5–95 % at the fact, over the model's daily median and band |
//! | compare | `compare.csv`, `compare.json`, `scenarios/<name>/timeseries.csv` | `compare_deaths`, `compare_present`, `compare_intake`, `compare_intake_home` (the shared events dashed, each plan's own airdrops and convoys marked in its colour at the foot), `compare_deaths_total` |
//! | optimise | `optimise.csv`, `optimise.json` | `optimise`: the best plans' paired difference from the chosen one with its 95% CI, doing nothing dashed |
//! | sensitivity | `sensitivity.csv`, `sensitivity.json` | `sensitivity_tornado`: a bar per parameter, ranked (Sobol': S_T with S_1 inside; Morris: μ* with σ), 95 % bootstrap intervals as whiskers |
//!
//! Key outcomes, with the label and unit of their axes: [`crate::observe::OUTCOMES`].
//!
//! Time series carry the scenario's events as dashed vertical lines, labelled above the plot: the
//! siege start, route closures and reopenings, each day's airdrops in tonnes, the liberation or
//! siege end ([`data::markers_of`]).
//!
//! Time series show the median across replicates with a shaded band from the 5 % to the 95 %
//! quantile per day (type 7); the population chart stacks the per-status means (which add up to the population; medians need not) and the airdrop
//! bars are per-day means. Time axes show ISO dates when `run.json` has a `start_date`, else days.
//! Legends sit in a column to the right of the plot so they never hide data. Text uses the embedded
//! DejaVu Sans ([`register_font`]); its licence is in LICENSES/DejaVu-Fonts.txt.

pub mod check;
pub mod compare;
pub mod data;
pub mod font;
pub mod map;
pub mod optimise;
pub mod render;
pub mod run;
pub mod sensitivity;
pub mod style;
pub mod sweep;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};

pub use crate::charts::font::register_font;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageFormat {
    Png,
    Svg,
    /// One PNG and one SVG of each chart.
    Both,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChartOptions {
    pub format: ImageFormat,
    /// Picture size in pixels (fonts and lines scale with it).
    pub width: u32,
    pub height: u32,
}

impl Default for ChartOptions {
    fn default() -> Self {
        Self {
            format: ImageFormat::Png,
            width: 1200,
            height: 750,
        }
    }
}

/// The kinds of result directory, each with the files that identify it.
const KINDS: [(&str, &[&str]); 5] = [
    ("run", &["timeseries.csv", "run.json"]),
    ("sweep", &["sweep_summary.csv", "sweep.csv", "sweep.json"]),
    ("compare", &["compare.csv", "compare.json", "scenarios"]),
    ("optimise", &["optimise.csv", "optimise.json"]),
    ("sensitivity", &["sensitivity.csv", "sensitivity.json"]),
];

/// Draws every chart the result directory supports into DIR/charts/, returns the written file paths (sorted).
/// Detects the kind of result by the files present: `timeseries.csv` + `run.json` => run charts; `sweep_summary.csv` + `sweep.csv` + `sweep.json` => sweep charts; `compare.csv` + `compare.json` + `scenarios/<name>/timeseries.csv` => compare charts.
/// A directory with none of these fails with a clear message naming the directory and the files it looked for.
pub fn plot_dir(dir: &Path, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    if opts.width < 200 || opts.height < 150 || opts.width > 10_000 || opts.height > 10_000 {
        bail!(
            "chart size {}x{} is out of range (200x150 to 10000x10000 pixels)",
            opts.width,
            opts.height
        );
    }
    if !dir.is_dir() {
        bail!("cannot draw charts: {} is not a directory", dir.display());
    }
    let present = kinds_of(dir);
    if present.is_empty() {
        bail!(
            "no results to chart in {}: looked for timeseries.csv + run.json (siege run), \
             sweep.csv + sweep_summary.csv + sweep.json (siege sweep), or compare.csv + compare.json + \
             scenarios/<name>/timeseries.csv (siege compare), or optimise.csv + optimise.json (siege optimise), \
             or sensitivity.csv + sensitivity.json (siege sensitivity)",
            dir.display()
        );
    }
    plot_dir_into(dir, &dir.join("charts"), &present, opts)
}

/// The kinds of result `dir` holds (`run`, `sweep`, `compare`), by the files present.
pub fn kinds_of(dir: &Path) -> Vec<&'static str> {
    KINDS
        .iter()
        .filter(|(_, files)| files.iter().all(|f| dir.join(f).exists()))
        .map(|(kind, _)| *kind)
        .collect()
}

/// Draws the charts of the kinds `present` of result directory `dir` into `out_dir` (which
/// `siege report` points at a scratch directory to inline the SVGs).
pub fn plot_dir_into(dir: &Path, out_dir: &Path, present: &[&str], opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    register_font();
    let out_dir = out_dir.to_path_buf();
    std::fs::create_dir_all(&out_dir).with_context(|| format!("creating {}", out_dir.display()))?;
    let mut written = Vec::new();
    for &kind in present {
        let files = match kind {
            "run" => {
                let data = data::RunData::load(dir)?;
                let mut files = run::write_all(&out_dir, &data, opts)?;
                files.extend(map::write_all(dir, &out_dir, opts)?);
                if dir.join("check.csv").exists() {
                    files.extend(check::write_all(dir, &out_dir, &data, opts)?);
                }
                Ok(files)
            }
            "sweep" => {
                let data = sweep::SweepData::load(dir)?;
                sweep::write_all(&out_dir, &data, opts)
            }
            "optimise" => {
                let data = optimise::OptimiseData::load(dir)?;
                optimise::write_all(&out_dir, &data, opts)
            }
            "sensitivity" => {
                let data = sensitivity::SensitivityData::load(dir)?;
                sensitivity::write_all(&out_dir, &data, opts)
            }
            _ => {
                let data = compare::CompareData::load(dir)?;
                compare::write_all(&out_dir, &data, opts)
            }
        }
        .with_context(|| format!("drawing the {kind} charts of {}", dir.display()))?;
        written.extend(files);
    }
    written.sort();
    Ok(written)
}
