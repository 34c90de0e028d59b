//! The command-line interface: clap definitions only.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "siege",
    version,
    about = "Simulate food, deaths and flight in a besieged place, and compare relief (airdrop) plans across seeded Monte-Carlo replicates."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct ScenarioFlags {
    /// Scenario file (TOML); see docs/scenario.md
    pub scenario: PathBuf,
    /// Base seed (overrides simulation.seed); 0 to 9223372036854775807 (a TOML integer)
    #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
    pub seed: Option<u64>,
    /// Number of replicates (overrides simulation.replicates)
    #[arg(long)]
    pub replicates: Option<u32>,
    /// Override any scenario value by key path, e.g. --set population.size=5000 --set airdrops.0.day=5
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Refuse work estimated to need more memory than this, in GB [default: the memory available]
    #[arg(long, value_name = "GB")]
    pub memory_limit: Option<f64>,
}

#[derive(Args, Debug, Clone)]
pub struct ChartFlags {
    /// Chart image format
    #[arg(long, value_enum, default_value_t = Format::Png)]
    pub format: Format,
    /// Do not draw charts
    #[arg(long)]
    pub no_charts: bool,
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Svg,
    Both,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Run a scenario: writes timeseries.csv, locations.csv, summary.csv, run.json (and charts)
    Run {
        #[command(flatten)]
        scenario: ScenarioFlags,
        /// Result directory [default: output/<scenario name>/]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartFlags,
    },
    /// Check a scenario file and report every problem in it
    Validate {
        #[command(flatten)]
        scenario: ScenarioFlags,
    },
    /// Run a grid of scenario variants × replicates (common random numbers across points)
    Sweep {
        #[command(flatten)]
        scenario: ScenarioFlags,
        /// KEY=SPEC: SPEC is a..b (inclusive), a..b:step or v1,v2,...; repeat for a full grid.
        /// airdrop_plan.first_day moves the whole airdrop schedule, keeping its spacing
        #[arg(long, value_name = "KEY=SPEC")]
        vary: Vec<String>,
        /// Result directory [default: output/<scenario name>-sweep/ or the experiment's name]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only slice K of N, K counting from 0 (0/4 … 3/4), for many machines; combine with `siege merge`
        #[arg(long, value_name = "K/N")]
        shard: Option<siege::experiment::sweep::Shard>,
        /// Compare every grid point with this one, replicate by replicate: paired differences and
        /// deaths averted. KEY=VALUE of each varied key (joined by `;`), or the value alone for one key
        #[arg(long, value_name = "POINT")]
        baseline: Option<String>,
        /// Continue an interrupted sweep in --out from the rows it finished
        #[arg(long)]
        resume: bool,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartFlags,
    },
    /// Combine the shard directories of a sweep into exactly what one machine writes
    Merge {
        /// Shard directories (each written by `siege sweep --shard K/N`)
        #[arg(required = true)]
        parts: Vec<PathBuf>,
        /// Result directory
        #[arg(long)]
        out: PathBuf,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartFlags,
    },
    /// Run whole scenario files and put their outcomes side by side
    Compare {
        /// Scenario files (two or more, or one with a --baseline file)
        #[arg(required = true, num_args = 1..)]
        files: Vec<PathBuf>,
        /// Base seed for every scenario (overrides simulation.seed)
        #[arg(long, value_parser = clap::value_parser!(u64).range(0..=i64::MAX as u64))]
        seed: Option<u64>,
        /// Replicates of every scenario (overrides simulation.replicates)
        #[arg(long)]
        replicates: Option<u32>,
        /// Override a value in every scenario, e.g. --set simulation.days=30
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Refuse work estimated to need more memory than this, in GB [default: the memory available]
        #[arg(long, value_name = "GB")]
        memory_limit: Option<f64>,
        /// Compare every other scenario with this one, replicate by replicate: paired differences and
        /// deaths averted (a compared scenario's name or file; a file not among them is run first)
        #[arg(long, value_name = "NAME|FILE")]
        baseline: Option<String>,
        /// With --baseline: also compare deaths by these days (1 ≤ H ≤ simulation.days), e.g. 10,20,30
        #[arg(long, value_name = "DAYS", value_delimiter = ',', requires = "baseline")]
        horizons: Vec<u32>,
        /// Result directory [default: output/compare-<names>/]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartFlags,
    },
    /// Draw the charts of an earlier result directory again (run, sweep or compare), without simulating
    Plot {
        /// A result directory written by run, sweep, merge or compare
        dir: PathBuf,
        /// Chart image format
        #[arg(long, value_enum, default_value_t = Format::Png)]
        format: Format,
    },
    /// Write DIR/report.html: one self-contained page (key numbers with intervals, food balance,
    /// deaths by place, cause and age, the charts, the assumptions in effect, provenance) of a run,
    /// check, sweep or compare directory; opens offline in any browser
    Report {
        /// A result directory written by run, check, sweep, merge or compare
        dir: PathBuf,
        /// Replace an existing report.html
        #[arg(long)]
        force: bool,
    },
    /// Run a scenario and score it against documented facts (a quantity at a day, with a tolerance)
    Check {
        #[command(flatten)]
        scenario: ScenarioFlags,
        /// Facts file (CSV: id,day,date,quantity,metric,value,kind,tolerance,source); see docs/scenario.md
        #[arg(long)]
        facts: PathBuf,
        /// Result directory [default: output/<scenario name>-check/]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartFlags,
    },
}
