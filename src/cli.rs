//! The command-line interface: clap definitions only.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "siege",
    version,
    disable_help_subcommand = true,
    about = "Simulate food, deaths and flight in a besieged place, and compare relief (airdrop) plans across seeded Monte-Carlo replicates."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct ScenarioFlags {
    /// Scenario file (TOML; see docs/scenario.md), or an earlier run's run.json to run exactly what it ran
    pub scenario: PathBuf,
    /// Base seed (overrides simulation.seed); 0 to 9223372036854775807 (a TOML integer)
    #[arg(long, value_parser = parse_seed)]
    pub seed: Option<u64>,
    /// Number of replicates (overrides simulation.replicates)
    #[arg(long)]
    pub replicates: Option<u32>,
    /// Override any scenario value by key path, e.g.
    /// `siege validate scenarios/farabougou_2020.toml --set population.size=5000 --set airdrops.0.day=5`;
    /// an element of [[locations]], [[stores]], [[routes]], … by its index or its id
    /// (`siege validate scenarios/farabougou_2020.toml --set locations.sokolo.capacity=2000`)
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

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SensitivityMethod {
    Morris,
    Sobol,
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
        /// KEY=SPEC: KEY as for --set (an element by index or id); SPEC is a..b (inclusive), a..b:step
        /// or v1,v2,...; repeat for a full grid. For a key that takes a day, with
        /// simulation.start_date, values may be dates and a range a range of dates, step in days
        /// (siege.end_day=1941-12-01..1942-01-26:7). airdrop_plan.first_day moves the whole
        /// airdrop schedule, keeping its spacing:
        /// `siege sweep scenarios/farabougou_2020.toml --vary airdrop_plan.first_day=2..16 --vary airdrops.0.sorties=1,2`
        #[arg(long, value_name = "KEY=SPEC")]
        vary: Vec<String>,
        /// Result directory [default: output/<scenario name>-sweep/ or the experiment's name]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Run only slice K of N, K counting from 0 (0/4 … 3/4), for many machines; combine with `siege merge`
        #[arg(long, value_name = "K/N")]
        shard: Option<siege::experiment::sweep::Shard>,
        /// Compare every grid point with this one, replicate by replicate: paired differences and
        /// deaths averted. KEY=VALUE of each varied key (joined by `;`), or the value alone for one key:
        /// `siege sweep scenarios/farabougou_2020.toml --vary airdrop_plan.first_day=2..16 --baseline 16`
        #[arg(long, value_name = "POINT")]
        baseline: Option<String>,
        /// Not a sweep option: refused with a message saying what a sweep compares after the end
        /// (N = 0, with --baseline) and how to compare N > 0 days after it (`siege compare`)
        #[arg(long, value_name = "DAYS", hide = true, num_args = 0..)]
        after_end: Option<Vec<String>>,
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
        #[arg(long, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Replicates of every scenario (overrides simulation.replicates)
        #[arg(long)]
        replicates: Option<u32>,
        /// Override a value in every scenario, the --baseline file included, e.g.
        /// `siege compare scenarios/farabougou_2020.toml scenarios/farabougou_no_airdrops.toml --set simulation.days=30`
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Refuse work estimated to need more memory than this, in GB [default: the memory available]
        #[arg(long, value_name = "GB")]
        memory_limit: Option<f64>,
        /// Compare every other scenario with this one, replicate by replicate: paired differences and
        /// deaths averted (a compared scenario's name or file; a file not among them is run first)
        #[arg(long, value_name = "NAME|FILE")]
        baseline: Option<String>,
        /// With --baseline: also compare the deaths of the first H days (days 0 … H−1, shown as
        /// "days 0–19" for 20) for each H, 1 ≤ H ≤ simulation.days, e.g.
        /// `siege compare scenarios/farabougou_2020.toml --baseline scenarios/farabougou_no_airdrops.toml --horizons 10,20,30`.
        /// A date counts the deaths to the end of that day of the baseline's calendar (its
        /// simulation.start_date is day 0; the scenarios must share it), so H is its day + 1:
        /// `siege compare scenarios/farabougou_2020.toml --baseline scenarios/farabougou_no_airdrops.toml --horizons 2020-10-25,30`
        #[arg(long, value_name = "DAYS|DATE", value_delimiter = ',', requires = "baseline")]
        horizons: Vec<String>,
        /// With --baseline: also compare the deaths from day 0 to N days after the siege is lifted,
        /// in each replicate (the baseline's day of lifting, so both plans count the same days;
        /// the run's end where it is not lifted), for each N, 0 ≤ N ≤ simulation.days: where the
        /// end is uncertain, e.g.
        /// `siege compare scenarios/farabougou_unknown_end.toml --baseline scenarios/farabougou_unknown_end_no_airdrops.toml --after-end 0,14`
        #[arg(long, value_name = "DAYS", value_delimiter = ',', requires = "baseline")]
        after_end: Vec<u32>,
        /// Result directory [default: output/compare-<names>/]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        charts: ChartFlags,
    },
    /// Find the best relief plan under a budget: successive halving over candidate plans with
    /// common random numbers (an optimise file: see docs/scenario.md)
    Optimise {
        /// Optimise file (TOML with an [optimise] table)
        file: PathBuf,
        /// Base seed (overrides simulation.seed)
        #[arg(long, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Override a scenario value in every candidate, e.g.
        /// `siege optimise scenarios/farabougou_best_drop.toml --set simulation.days=30`
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
        /// Refuse work estimated to need more memory than this, in GB [default: the memory available]
        #[arg(long, value_name = "GB")]
        memory_limit: Option<f64>,
        /// Result directory [default: output/<optimise.name>/]
        #[arg(long)]
        out: Option<PathBuf>,
        /// Replace results already in the output directory
        #[arg(long)]
        force: bool,
        /// Run shard K of N (K from 0) of the search's next step into --parts; run all N again
        /// until one reports the search complete, then once more without --shard
        #[arg(long, value_name = "K/N", requires = "parts")]
        shard: Option<siege::experiment::sweep::Shard>,
        /// The directory the shards share; without --shard, write the result from its runs
        #[arg(long, value_name = "DIR")]
        parts: Option<PathBuf>,
        #[command(flatten)]
        charts: ChartFlags,
    },
    /// Which uncertain parameters ([[uncertain]]) drive an outcome, or a decision between two plans:
    /// Morris screening or Sobol' indices, with a tornado chart
    Sensitivity {
        #[command(flatten)]
        scenario: ScenarioFlags,
        /// morris: elementary effects (screening many parameters); sobol: first-order and total indices
        #[arg(long, value_enum, default_value_t = SensitivityMethod::Morris)]
        method: SensitivityMethod,
        /// Morris trajectories r [default: 10], or Sobol' base samples N (a power of two) [default: 64]
        #[arg(long)]
        samples: Option<u32>,
        /// Morris grid levels p, even [default: 4]
        #[arg(long)]
        levels: Option<u32>,
        /// Bootstrap resamples for the 95% intervals (0 for none)
        #[arg(long, default_value_t = 1000)]
        bootstrap: u32,
        /// The outcome analysed (a summary.csv column: deaths_total, deaths_starvation, ...)
        #[arg(long, default_value = "deaths_total")]
        outcome: String,
        /// A second plan (scenario file with the same [[uncertain]] entries): the output is the paired
        /// difference scenario − versus at each sample. An entry whose key names an element the
        /// second plan lacks (airdrops.0.usable_fraction without airdrops) is drawn for this plan only
        #[arg(long, value_name = "FILE")]
        versus: Option<PathBuf>,
        /// The second plan is this scenario with KEY=VALUE changed (repeat for several), e.g.
        /// `siege sensitivity scenarios/farabougou_sensitivity.toml --versus-set airdrops.0.sorties=2`;
        /// against doing nothing (no airdrops):
        /// `siege sensitivity scenarios/farabougou_sensitivity.toml --versus-set 'airdrops=[]'`
        #[arg(long = "versus-set", value_name = "KEY=VALUE")]
        versus_set: Vec<String>,
        /// Result directory [default: output/<scenario name>-<method>/, or -<method>-decision/ with a versus plan]
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
    /// check, sweep, compare, optimise or sensitivity directory; opens offline in any browser
    Report {
        /// A result directory written by run, check, sweep, merge, compare, optimise or sensitivity
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
    /// Write a commented starter scenario to edit: a village, a town or a city (asks nothing)
    Init {
        /// The file to write
        #[arg(default_value = "scenario.toml")]
        file: PathBuf,
        /// village (3,000 people, 60 days), town (10,000, 120 days, weekly drops) or city (200,000 on card rations)
        #[arg(long, default_value = "village")]
        kind: String,
        /// Replace the file if it exists
        #[arg(long)]
        force: bool,
    },
    /// Print the documentation: `siege help scenario` (every key), `outputs` (every column), `model`
    /// (the equations), or a command's help (`siege help run`)
    Help {
        /// scenario, outputs, model, or a command
        topic: Option<String>,
    },
}

/// `--seed`: a TOML integer, so that it can be written into the scenario (`simulation.seed`).
/// Parsed here rather than by clap's range check, whose message shows Rust range notation.
fn parse_seed(text: &str) -> Result<u64, String> {
    text.trim()
        .parse::<u64>()
        .ok()
        .filter(|&n| n <= i64::MAX as u64)
        .ok_or_else(|| format!("expected a whole number from 0 to {}", i64::MAX))
}
