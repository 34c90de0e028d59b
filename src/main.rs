//! `siege` command line: parse → run → print the error chain and exit non-zero on failure.

mod app;
mod cli;

use app::check::CheckArgs;
use app::compare::CompareArgs;
use app::optimise::OptimiseArgs;
use app::run::RunArgs;
use app::sensitivity::SensitivityArgs;
use app::sweep::SweepArgs;
use app::{ScenarioArgs, check, compare, run, sensitivity, sweep};
use clap::Parser;
use cli::{ChartFlags, Cli, Command, Format, ScenarioFlags, SensitivityMethod};
use siege::charts::{ChartOptions, ImageFormat};
use std::io::Write;
use std::process::ExitCode;

fn scenario_args(f: ScenarioFlags) -> ScenarioArgs {
    ScenarioArgs {
        path: f.scenario,
        seed: f.seed,
        replicates: f.replicates,
        set: f.set,
        memory_limit_gb: f.memory_limit,
    }
}

fn image_format(f: Format) -> ImageFormat {
    match f {
        Format::Png => ImageFormat::Png,
        Format::Svg => ImageFormat::Svg,
        Format::Both => ImageFormat::Both,
    }
}

fn charts(f: ChartFlags) -> Option<ChartOptions> {
    (!f.no_charts).then(|| ChartOptions {
        format: image_format(f.format),
        ..ChartOptions::default()
    })
}

fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Run {
            scenario,
            out,
            force,
            charts: c,
        } => {
            run::run(&RunArgs {
                scenario: scenario_args(scenario),
                out,
                force,
                charts: charts(c),
            })?;
        }
        Command::Validate { scenario } => {
            let report = run::validate(&scenario_args(scenario))?;
            // A closed pipe is not an error; the exit status carries the verdict.
            let _ = writeln!(std::io::stdout(), "{report}");
        }
        Command::Sweep {
            scenario,
            vary,
            out,
            shard,
            baseline,
            after_end,
            resume,
            force,
            charts: c,
        } => {
            let args = SweepArgs {
                scenario: scenario_args(scenario),
                vary,
                out,
                shard,
                baseline,
                after_end,
                resume,
                force,
                charts: charts(c),
            };
            sweep::sweep(&args)?;
        }
        Command::Merge {
            parts,
            out,
            force,
            charts: c,
        } => {
            sweep::merge(&parts, &out, force, charts(c).as_ref())?;
        }
        Command::Compare {
            files,
            seed,
            replicates,
            set,
            memory_limit,
            baseline,
            horizons,
            after_end,
            out,
            force,
            charts: c,
        } => {
            compare::compare(&CompareArgs {
                files,
                seed,
                replicates,
                set,
                memory_limit_gb: memory_limit,
                baseline,
                horizons,
                after_end,
                out,
                force,
                charts: charts(c),
            })?;
        }
        Command::Check {
            scenario,
            facts,
            out,
            force,
            charts: c,
        } => {
            let args = CheckArgs {
                scenario: scenario_args(scenario),
                facts,
                out,
                force,
                charts: charts(c),
            };
            if !check::check(&args)? {
                anyhow::bail!(
                    "some scored facts (outcomes or calibration targets) are outside their tolerance (see the table above)"
                );
            }
        }
        Command::Init { file, kind, force } => {
            println!("{}", app::guide::init(&kind, &file, force)?);
        }
        Command::Help { topic } => help(topic.as_deref())?,
        Command::Optimise {
            file,
            seed,
            set,
            memory_limit,
            out,
            force,
            shard,
            parts,
            charts: c,
        } => {
            app::optimise::optimise(&OptimiseArgs {
                file,
                seed,
                set,
                memory_limit_gb: memory_limit,
                out,
                force,
                charts: charts(c),
                shard,
                parts,
            })?;
        }
        Command::Sensitivity {
            scenario,
            method,
            samples,
            levels,
            bootstrap,
            outcome,
            versus,
            versus_set,
            out,
            force,
            charts: c,
        } => {
            sensitivity::sensitivity(&SensitivityArgs {
                scenario: scenario_args(scenario),
                method: match method {
                    SensitivityMethod::Morris => siege::experiment::sensitivity::Method::Morris,
                    SensitivityMethod::Sobol => siege::experiment::sensitivity::Method::Sobol,
                },
                samples,
                levels,
                bootstrap,
                outcome,
                versus,
                versus_set,
                out,
                force,
                charts: charts(c),
                command: std::env::args().collect(),
            })?;
        }
        Command::Plot { dir, format } => {
            run::plot(
                &dir,
                &ChartOptions {
                    format: image_format(format),
                    ..ChartOptions::default()
                },
            )?;
        }
        Command::Report { dir, force } => {
            app::html::report(&app::html::ReportArgs { dir, force })?;
        }
    }
    Ok(())
}

/// `siege help [TOPIC]`: a document, a command's help, or the list of both.
fn help(topic: Option<&str>) -> anyhow::Result<()> {
    use clap::CommandFactory;
    let mut cli = Cli::command();
    let Some(topic) = topic else {
        cli.print_help()?;
        println!("\nDocuments: {}", app::guide::list(&app::guide::TOPICS));
        return Ok(());
    };
    if let Some(text) = app::guide::topic(topic) {
        let _ = std::io::stdout().write_all(text.as_bytes());
        return Ok(());
    }
    match cli.find_subcommand_mut(topic) {
        Some(sub) => Ok(sub.clone().bin_name(format!("siege {topic}")).print_help()?),
        None => anyhow::bail!(
            "no help topic {topic:?}: documents are {}; or name a command (siege help run)",
            app::guide::list(&app::guide::TOPICS)
        ),
    }
}

fn main() -> ExitCode {
    match dispatch(Cli::parse()) {
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
