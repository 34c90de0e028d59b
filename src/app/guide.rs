//! `siege init` (a commented starter scenario) and `siege help TOPIC` (the documentation, printed
//! from the binary so that it matches the program that prints it).

use anyhow::{Result, bail};
use siege::output;
use std::path::Path;

/// The starter scenarios, by kind: (kind, what it is, text).
pub const STARTERS: [(&str, &str, &str); 3] = [
    (
        "village",
        "a rural village of 3,000 encircled for 60 days, one airdrop",
        include_str!("starters/village.toml"),
    ),
    (
        "town",
        "a town of 10,000 encircled for 120 days, a C-130 a week from day 30",
        include_str!("starters/town.toml"),
    ),
    (
        "city",
        "a city of 200,000 on card rations from a store, cut after two months",
        include_str!("starters/city.toml"),
    ),
];

/// The documents `siege help` prints, by topic: (topic, what it is, text).
pub const TOPICS: [(&str, &str, &str); 3] = [
    (
        "scenario",
        "every scenario key: default, unit, range and source (docs/scenario.md)",
        include_str!("../../docs/scenario.md"),
    ),
    (
        "outputs",
        "every output file and column (docs/outputs.md)",
        include_str!("../../docs/outputs.md"),
    ),
    (
        "model",
        "the model's equations and their sources (docs/MODEL.md)",
        include_str!("../../docs/MODEL.md"),
    ),
];

/// `siege init`: writes the starter scenario of `kind` to `file`; an existing file is replaced
/// only with `force`. Returns what to tell the user.
pub fn init(kind: &str, file: &Path, force: bool) -> Result<String> {
    let Some((_, what, text)) = STARTERS.iter().find(|(k, _, _)| *k == kind) else {
        bail!("no starter of kind {kind:?}: {}", list(&STARTERS));
    };
    if file.exists() && !force {
        bail!("{} exists; pass --force to replace it", file.display());
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        bail!("{}: no such directory", dir.display());
    }
    output::write_atomic(file, text.as_bytes())?;
    let f = file.display();
    Ok(format!(
        "wrote {f}: {what}\nnext: siege validate {f}  then  siege run {f}  (every key: siege help scenario)"
    ))
}

/// The document of `topic`, or None when it is not one (a command's help is clap's).
pub fn topic(topic: &str) -> Option<&'static str> {
    TOPICS.iter().find(|(t, _, _)| *t == topic).map(|(_, _, text)| *text)
}

/// "village (…), town (…)".
pub fn list(items: &[(&str, &str, &str)]) -> String {
    items
        .iter()
        .map(|(k, what, _)| format!("{k} ({what})"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_is_a_valid_scenario() {
        for (kind, _, text) in STARTERS {
            let s = siege::scenario::parse(&format!("{kind}.toml"), text, &[]);
            assert!(s.is_ok(), "{kind}: {:?}", s.err());
        }
    }

    #[test]
    fn init_refuses_to_replace_a_file_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s.toml");
        init("town", &f, false).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), STARTERS[1].2);
        std::fs::write(&f, "mine").unwrap();
        let e = init("village", &f, false).unwrap_err().to_string();
        assert!(e.contains("--force"), "{e}");
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "mine");
        init("village", &f, true).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), STARTERS[0].2);
        let e = init("hamlet", &f, true).unwrap_err().to_string();
        assert!(e.contains("village") && e.contains("city"), "{e}");
    }

    /// The texts `siege help` prints: every command's help (as `siege help CMD` and `siege CMD
    /// --help` print it) and the documents.
    fn help_texts() -> Vec<(String, String)> {
        use clap::CommandFactory;
        let mut out: Vec<(String, String)> = crate::cli::Cli::command()
            .get_subcommands()
            .map(|c| {
                (
                    format!("siege help {}", c.get_name()),
                    c.clone().render_long_help().to_string(),
                )
            })
            .collect();
        out.extend(
            TOPICS
                .iter()
                .map(|(t, _, text)| (format!("siege help {t}"), text.to_string())),
        );
        out
    }

    /// The commands a text shows: `siege …` in backticks, and lines of a fenced block that start
    /// with `siege ` (or `$ siege `); each cut into words as a shell would (single quotes kept
    /// together).
    fn commands(text: &str) -> Vec<Vec<String>> {
        let mut found: Vec<&str> = text
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| s.starts_with("siege "))
            .collect();
        let mut fenced = false;
        for line in text.lines() {
            if line.trim_start().starts_with("```") {
                fenced = !fenced;
            } else if fenced {
                let l = line.trim().trim_start_matches("$ ");
                if l.starts_with("siege ") {
                    found.push(l);
                }
            }
        }
        found.into_iter().map(words).collect()
    }

    fn words(command: &str) -> Vec<String> {
        let mut out = vec![String::new()];
        let mut quoted = false;
        for c in command.chars() {
            match c {
                '\'' => quoted = !quoted,
                c if c.is_whitespace() && !quoted => out.push(String::new()),
                c => out.last_mut().expect("never empty").push(c),
            }
        }
        out.retain(|w| !w.is_empty());
        out
    }

    /// Whether a command is an example to run, not a synopsis (`siege optimise FILE [--seed S]`,
    /// placeholders in capitals) or a bare name (`siege run`, `siege compare --baseline`): it names
    /// what it works on right after the command, and has no placeholder.
    fn is_example(words: &[String]) -> bool {
        words.get(2).is_some_and(|w| !w.starts_with('-')) && !words.iter().any(|w| placeholder(w))
    }

    /// A synopsis's word: `[--seed`, `…`, `FILE`, `KEY=VALUE`, `simulation.seed=N`.
    fn placeholder(w: &str) -> bool {
        let value = w.rsplit('=').next().unwrap_or(w);
        w.contains(['[', '…'])
            || w.contains("...")
            || w.as_bytes().windows(2).any(|p| p.iter().all(u8::is_ascii_uppercase))
            || (value.len() == 1 && value.as_bytes()[0].is_ascii_uppercase())
    }

    /// What a command would do, short of simulating: its scenario, overrides, grid, versus plan or
    /// optimise file loaded and validated exactly as the command loads them.
    fn check_example(command: crate::cli::Command) -> Result<()> {
        use crate::cli::Command;
        match command {
            Command::Run { scenario, .. } | Command::Validate { scenario } => {
                super::super::run::validate(&crate::scenario_args(scenario))?;
            }
            Command::Check { scenario, facts, .. } => {
                super::super::run::validate(&crate::scenario_args(scenario))?;
                anyhow::ensure!(facts.is_file(), "no facts file {}", facts.display());
            }
            Command::Sweep {
                scenario,
                vary,
                baseline,
                after_end,
                ..
            } => {
                super::super::sweep::refuse_after_end(after_end.as_deref())?;
                let args = super::super::sweep::SweepArgs {
                    scenario: crate::scenario_args(scenario),
                    vary,
                    ..Default::default()
                };
                let (args, _) = super::super::sweep::expand_experiment(&args)?;
                let plan = super::super::sweep::sweep_plan(&args)?;
                if let Some(b) = baseline {
                    super::super::baseline::check_sweep(&b, &plan, None)?;
                }
            }
            Command::Compare {
                files,
                set,
                baseline,
                horizons,
                after_end,
                ..
            } => {
                let files = super::super::baseline::files_with_baseline(&files, baseline.as_deref());
                let mut loaded = Vec::new();
                for f in &files {
                    let a = crate::app::ScenarioArgs {
                        path: f.clone(),
                        set: set.clone(),
                        ..Default::default()
                    };
                    let s = a.load()?;
                    loaded.push((a, s));
                }
                if let Some(b) = baseline {
                    let names: Vec<String> = loaded.iter().map(|(_, s)| s.name().to_string()).collect();
                    let base = super::super::baseline::baseline_index(&b, &names, &files)?;
                    super::super::baseline::check_compare(&loaded, &names, base, &horizons, &after_end)?;
                }
            }
            Command::Optimise { file, seed, set, .. } => {
                super::super::optimise::plan(&super::super::optimise::OptimiseArgs {
                    file,
                    seed,
                    set,
                    ..Default::default()
                })?;
            }
            Command::Sensitivity {
                scenario,
                outcome,
                versus,
                versus_set,
                samples,
                levels,
                ..
            } => {
                super::super::sensitivity::load(&super::super::sensitivity::SensitivityArgs {
                    scenario: crate::scenario_args(scenario),
                    method: siege::experiment::sensitivity::Method::Morris,
                    samples,
                    levels,
                    bootstrap: 0,
                    outcome,
                    versus,
                    versus_set,
                    out: None,
                    force: false,
                    charts: None,
                    command: Vec::new(),
                })?;
            }
            Command::Help { topic: Some(t) } => {
                use clap::CommandFactory;
                let cli = crate::cli::Cli::command();
                anyhow::ensure!(
                    topic(&t).is_some() || cli.find_subcommand(&t).is_some(),
                    "no help topic {t}"
                );
            }
            Command::Init { kind, .. } => {
                anyhow::ensure!(STARTERS.iter().any(|(k, _, _)| *k == kind), "no starter {kind}");
            }
            // Commands on a result directory that an example run would make first.
            Command::Help { topic: None } | Command::Merge { .. } | Command::Plot { .. } | Command::Report { .. } => {}
        }
        Ok(())
    }

    /// A `--set KEY=VALUE`, `--versus-set KEY=VALUE` or `--vary KEY=SPEC` shown outside a command
    /// (a key path alone, as docs/scenario.md shows them): accepted by at least one shipped
    /// scenario, so that it names a key that exists.
    fn accepted_somewhere(flag: &str, assignment: &str) -> Result<(), String> {
        let assignment = if flag == "--vary" {
            let axis = siege::experiment::grid::parse_vary(assignment)?;
            format!("{}={}", axis.key, axis.values[0])
        } else {
            assignment.to_string()
        };
        let (k, v) = siege::scenario::overrides::split_assignment(&assignment)?;
        let overrides = [(k.to_string(), v.to_string())];
        let shipped = std::fs::read_dir("scenarios").map_err(|e| e.to_string())?;
        let accepted = shipped
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .any(|p| siege::scenario::load(&p, &overrides).is_ok());
        if accepted {
            Ok(())
        } else {
            Err(format!("no shipped scenario accepts {flag} {assignment}"))
        }
    }

    #[test]
    fn every_example_in_the_help_is_a_command_that_works() {
        use clap::Parser;
        let mut problems = Vec::new();
        let (mut examples, mut snippets) = (0, 0);
        for (place, text) in help_texts() {
            let all = commands(&text);
            for words in all.iter().filter(|w| is_example(w)) {
                examples += 1;
                let shown = words.join(" ");
                match crate::cli::Cli::try_parse_from(words) {
                    Err(e) => problems.push(format!("{place}: `{shown}`: {e}")),
                    Ok(cli) => {
                        if let Err(e) = check_example(cli.command) {
                            problems.push(format!("{place}: `{shown}`: {e:#}"));
                        }
                    }
                }
            }
            // Flags shown alone, outside any command: in a document, a code span of a key path
            // (`--vary locations.sokolo.capacity=1000..3000:1000`); in a command's help, where
            // every example should be a whole command, anything outside one.
            let is_document = TOPICS.iter().any(|(_, _, t)| *t == text);
            let spans: Vec<&str> = text
                .split('`')
                .enumerate()
                .filter(|(i, s)| {
                    if is_document {
                        i % 2 == 1 && !s.starts_with("siege ")
                    } else {
                        i % 2 == 0
                    }
                })
                .map(|(_, s)| s)
                .collect();
            for span in spans {
                let w: Vec<&str> = span
                    .split_whitespace()
                    .map(|w| w.trim_matches(['(', ')', ';', ',']))
                    .collect();
                for pair in w.windows(2) {
                    if matches!(pair[0], "--set" | "--versus-set" | "--vary")
                        && pair[1].contains('=')
                        && !placeholder(pair[1])
                    {
                        snippets += 1;
                        if is_document {
                            if let Err(e) = accepted_somewhere(pair[0], pair[1].trim_matches('\'')) {
                                problems.push(format!("{place}: {e}"));
                            }
                        } else {
                            problems.push(format!(
                                "{place}: {} {} is not part of a whole example command (`siege CMD FILE …`)",
                                pair[0], pair[1]
                            ));
                        }
                    }
                }
            }
        }
        assert!(
            examples >= 10,
            "only {examples} examples found: is the extraction broken?"
        );
        assert!(snippets >= 3, "only {snippets} flags shown alone found");
        assert!(
            problems.is_empty(),
            "help examples that do not work:\n{}",
            problems.join("\n")
        );
    }
}
