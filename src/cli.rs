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
    /// Base seed (overrides simulation.seed)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Number of replicates (overrides simulation.replicates)
    #[arg(long)]
    pub replicates: Option<u32>,
    /// Override any scenario value by key path, e.g. --set population.size=5000 --set airdrops.0.day=5
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
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
    },
    /// Check a scenario file and report every problem in it
    Validate {
        #[command(flatten)]
        scenario: ScenarioFlags,
    },
}
