//! `siege` command line: parse → run → print the error chain and exit non-zero on failure.

mod cli;

use clap::Parser;
use cli::{Cli, Command, ScenarioFlags};
use siege::commands::{self, CompareArgs, RunArgs, ScenarioArgs, SweepArgs};
use std::process::ExitCode;

fn scenario_args(f: ScenarioFlags) -> ScenarioArgs {
    ScenarioArgs {
        path: f.scenario,
        seed: f.seed,
        replicates: f.replicates,
        set: f.set,
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run { scenario, out, force } => {
            commands::run(&RunArgs {
                scenario: scenario_args(scenario),
                out,
                force,
            })?;
        }
        Command::Validate { scenario } => println!("{}", commands::validate(&scenario_args(scenario))?),
        Command::Sweep {
            scenario,
            vary,
            out,
            shard,
            resume,
            force,
        } => {
            commands::sweep(&SweepArgs {
                scenario: scenario_args(scenario),
                vary,
                out,
                shard,
                resume,
                force,
            })?;
        }
        Command::Merge { parts, out, force } => {
            commands::merge(&parts, &out, force)?;
        }
        Command::Compare {
            files,
            seed,
            replicates,
            set,
            out,
            force,
        } => {
            commands::compare(&CompareArgs {
                files,
                seed,
                replicates,
                set,
                out,
                force,
            })?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::FAILURE
        }
    }
}
