//! The report pages of decision directories (`siege optimise`, `siege sensitivity`) and the
//! paired differences of a compare against its baseline: the pieces of [`super::html`] (page,
//! tables, escaping, inline charts) with what these directories hold.

use super::baseline::{self, mean_bracket};
use super::html::{Page, charts_section, esc, list_words, p, shell_word, table};
use super::report::{fmt_num, grouped};
use anyhow::{Context, Result};
use siege::experiment::decision;
use siege::experiment::optimise::OptimiseFile;
use siege::experiment::sensitivity::{Method, SensitivityFile, SensitivityRow};
use siege::experiment::stats::{self, Describe};
use siege::observe::Outcome;
use siege::output::inputs::InputFile;
use siege::output::{read_json, read_named_rows};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

/// A CSV row by column name.
type Cells = BTreeMap<String, String>;

fn read_cells(path: &Path) -> Result<Vec<Cells>> {
    let (_, rows) = read_named_rows(path, |h, r| {
        Ok(h.iter().cloned().zip(r.iter().map(str::to_string)).collect::<Cells>())
    })?;
    Ok(rows)
}

fn number(c: &Cells, key: &str) -> f64 {
    c.get(key).and_then(|v| v.parse().ok()).unwrap_or(f64::NAN)
}

/// The statistics of a row over `n` pairs: `<prefix>_mean`, `_ci95_lo`, … `_p95` (or `mean`, …
/// for an empty prefix), NaN where a cell is empty or absent.
fn stats_of(c: &Cells, prefix: &str, n: usize) -> Describe {
    let key = |s: &str| {
        if prefix.is_empty() {
            s.to_string()
        } else {
            format!("{prefix}_{s}")
        }
    };
    Describe::from_values(n, Describe::SUFFIXES.map(|s| number(c, &key(s))))
}

/// A mean with its 95% CI over `n` pairs ([`stats_of`]), as "mean [lo – hi]".
fn bracket(c: &Cells, prefix: &str, n: usize) -> String {
    mean_bracket(&stats_of(c, prefix, n))
}

fn label_of(outcome: &str) -> String {
    Outcome::named(outcome).map_or_else(|| outcome.to_string(), |o| o.info().label.to_string())
}

// ---------------------------------------------------------------- optimise

/// The plan of a row: `key=value` of every varied key.
fn plan_text(c: &Cells, keys: &[String]) -> String {
    keys.iter()
        .map(|k| format!("{k} = {}", c.get(k).map_or("", String::as_str)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What optimise.csv holds: how many candidates, how many ranked (within the budget), how many set
/// aside and why (over the budget; invalid, with the first reason).
fn set_aside(meta: &OptimiseFile, rows: &[Cells]) -> String {
    let over = meta.candidates - meta.within_budget - meta.invalid;
    let mut s = format!(
        "optimise.csv lists all {} candidates: ranks the {} within the budget",
        meta.candidates, meta.within_budget
    );
    if over > 0 {
        s += &format!(", then the {over} over the budget (status over_budget, never run)");
    }
    if meta.invalid > 0 {
        let first = rows
            .iter()
            .find(|r| r.get("status").map(String::as_str) == Some("invalid"))
            .and_then(|r| r.get("reason"))
            .map_or(String::new(), |why| format!("; e.g. {why}"));
        s += &format!(
            ", then the {} the scenario refuses (status invalid, never run, each with its reason{first})",
            meta.invalid
        );
    }
    s + "."
}

pub(super) fn optimise_page(dir: &Path, page: &mut Page) -> Result<()> {
    let meta: OptimiseFile = read_json(&dir.join("optimise.json"))?;
    let rows = read_cells(&dir.join("optimise.csv"))?;
    let versus = read_cells(&dir.join("optimise_vs_nothing.csv")).unwrap_or_default();
    let keys: Vec<String> = meta.vary.iter().map(|v| v.key.clone()).collect();
    let label = label_of(&meta.outcome);
    page.title = format!("{} — the best relief plan under a budget", meta.name);
    let budget: Vec<String> = [
        meta.budget_tonnes.map(|t| format!("{} t", fmt_num(t))),
        meta.budget_cost.map(|c| format!("a cost of {}", grouped(c))),
    ]
    .into_iter()
    .flatten()
    .collect();
    let keys_code: Vec<String> = keys.iter().map(|k| format!("<code>{}</code>", esc(k))).collect();
    page.question = format!(
        "Of the {} candidate plans{} ({}every combination of {}), which keeps {} lowest over {} days in {}, and what does it avert against doing nothing?",
        meta.within_budget,
        if budget.is_empty() {
            String::new()
        } else {
            format!(" within a budget of {}", esc(&budget.join(" and ")))
        },
        if meta.within_budget == meta.candidates {
            String::new()
        } else {
            format!("of {}, ", meta.candidates)
        },
        list_words(&keys_code),
        esc(&label),
        meta.days,
        esc(&meta.scenario_name)
    );
    let ranked: Vec<&Cells> = rows
        .iter()
        .filter(|r| !r.get("rank").is_none_or(String::is_empty))
        .collect();
    let mut h = String::new();
    if let Some(chosen) = ranked.first() {
        let n = number(chosen, "replicates") as usize;
        let per = |measure: &str| {
            versus
                .iter()
                .find(|v| {
                    v.get("rank").map(String::as_str) == Some("1")
                        && v.get("measure").map(String::as_str) == Some(measure)
                })
                .map(|v| bracket(v, "", n))
                .filter(|t| t != "–")
        };
        let mut s = format!(
            "The chosen plan is <b>{}</b> ({} t{}): {} {} (mean [95% CI] over {} replicates); against doing nothing (the same people and dice without the airdrops) it saves {} (paired mean [95% CI])",
            esc(&plan_text(chosen, &keys)),
            fmt_num(number(chosen, "tonnes")),
            chosen
                .get("cost")
                .filter(|c| !c.is_empty())
                .map(|c| format!(", cost {}", grouped(c.parse().unwrap_or(f64::NAN))))
                .unwrap_or_default(),
            esc(&label),
            esc(&bracket(chosen, "outcome", n)),
            n,
            esc(&bracket(chosen, "saved_vs_nothing", n))
        );
        if let Some(t) = per("deaths_averted_per_tonne") {
            let _ = write!(s, ", {} deaths averted per tonne", esc(&t));
        }
        s.push('.');
        h.push_str(&p(&s));
        if meta.lowest_mean_point != meta.chosen_point
            && let Some(low) = rows
                .iter()
                .find(|r| r.get("point").and_then(|x| x.parse::<usize>().ok()) == Some(meta.lowest_mean_point))
        {
            h.push_str(&p(&format!(
                "<b>Cost tie-break:</b> {} ({} t) has a lower mean, but the difference from the chosen plan, {} (paired, 95% CI), includes 0: the replicates cannot tell them apart, and the chosen plan is cheaper.",
                esc(&plan_text(low, &keys)),
                fmt_num(number(low, "tonnes")),
                esc(&bracket(low, "vs_best", n))
            )));
        }
        if let Some(c) = &meta.confidence {
            h.push_str(&p(&format!("How sure: {}.", esc(&super::optimise::how_sure(c)))));
        }
    }
    let rounds: Vec<String> = meta
        .rounds
        .iter()
        .map(|r| format!("{} × {}", r.candidates, r.replicates))
        .collect();
    h.push_str(&p(&format!(
        "The search: successive halving with common random numbers (candidates × replicates: {}), {} runs against {} for a full sweep at {} replicates ({}%).",
        esc(&rounds.join(" → ")),
        grouped(meta.runs as f64),
        grouped(meta.full_sweep_runs as f64),
        meta.max_replicates,
        fmt_num(100.0 * meta.runs as f64 / meta.full_sweep_runs.max(1) as f64)
    )));
    let kept: Vec<String> = meta
        .rounds
        .iter()
        .filter_map(|r| {
            let point = r.kept_cheaper?.to_string();
            let row = rows.iter().find(|x| x.get("point") == Some(&point))?;
            Some(format!(
                "{} in round {} ({} replicates)",
                plan_text(row, &keys),
                r.round,
                r.replicates
            ))
        })
        .collect();
    if !kept.is_empty() {
        h.push_str(&p(&format!(
            "Kept beyond the half, as the cheapest plan the replicates could not yet tell from the leader (so that such a plan can reach the cost tie-break): {}.",
            esc(&kept.join("; "))
        )));
    }
    let mut head: Vec<&str> = vec!["rank"];
    head.extend(keys.iter().map(String::as_str));
    head.extend([
        "tonnes",
        "cost",
        "replicates",
        "outcome, mean [95% CI]",
        "− chosen (paired)",
        "saved vs nothing (paired; replicates)",
        "status",
    ]);
    let table_rows: Vec<Vec<String>> = ranked
        .iter()
        .take(meta.finalists.max(10))
        .map(|r| {
            let n = number(r, "replicates") as usize;
            let mut row = vec![esc(r.get("rank").map_or("", String::as_str))];
            row.extend(keys.iter().map(|k| esc(r.get(k).map_or("", String::as_str))));
            row.push(fmt_num(number(r, "tonnes")));
            row.push(
                r.get("cost")
                    .filter(|c| !c.is_empty())
                    .map_or("–".into(), |c| grouped(c.parse().unwrap_or(f64::NAN))),
            );
            row.push(n.to_string());
            row.push(esc(&bracket(r, "outcome", n)));
            row.push(if r.get("status").map(String::as_str) == Some("chosen") {
                "–".into()
            } else {
                esc(&bracket(r, "vs_best", n))
            });
            row.push(format!("{} ({n})", esc(&bracket(r, "saved_vs_nothing", n))));
            row.push(esc(r.get("status").map_or("", String::as_str)));
            row
        })
        .collect();
    h.push_str(&p(&format!(
        "The best {} plans. {}",
        table_rows.len(),
        esc(&set_aside(&meta, &rows))
    )));
    h.push_str(&table(&head, &table_rows));
    let eliminated: Vec<usize> = ranked
        .iter()
        .take(table_rows.len())
        .filter(|r| r.get("status").map(String::as_str) == Some("eliminated"))
        .map(|r| number(r, "replicates") as usize)
        .collect();
    if let Some(note) = super::optimise::fewer_replicates(&eliminated, meta.max_replicates) {
        h.push_str(&p(&esc(&note)));
    }
    page.section("Key numbers", h);
    page.section("Charts", charts_section(dir)?);
    page.section("Provenance", optimise_provenance(&meta, dir));
    Ok(())
}

fn optimise_provenance(meta: &OptimiseFile, dir: &Path) -> String {
    let rows = vec![
        vec!["optimise file".into(), esc(&meta.optimise_file)],
        vec!["scenario".into(), esc(&meta.scenario_name)],
        vec!["scenario file".into(), esc(&meta.scenario_file)],
        vec!["seed".into(), meta.seed.to_string()],
        vec!["days".into(), meta.days.to_string()],
        vec!["outcome minimised".into(), esc(&meta.outcome)],
        vec![
            "replicates".into(),
            format!(
                "{} to {}, {} finalists",
                meta.start_replicates, meta.max_replicates, meta.finalists
            ),
        ],
        vec!["--set".into(), esc(&meta.set.join("; "))],
        vec!["written by".into(), esc(&format!("{} {}", meta.program, meta.version))],
        vec!["model build".into(), format!("<code>{}</code>", esc(&meta.model_build))],
        vec![
            "scenario digest".into(),
            format!("<code>{}</code>", esc(&meta.scenario_digest)),
        ],
    ];
    let mut h = table(&["", ""], &rows);
    command_and_file(&mut h, dir, &meta.command, &meta.optimise_file, &meta.inputs);
    h
}

// ---------------------------------------------------------------- sensitivity

fn opt(v: Option<f64>, index: bool) -> String {
    match v {
        Some(x) if index => format!("{x:.3}"),
        Some(x) => fmt_num(x),
        None => "–".into(),
    }
}

fn interval(v: Option<f64>, lo: Option<f64>, hi: Option<f64>, index: bool) -> String {
    format!("{} [{} – {}]", opt(v, index), opt(lo, index), opt(hi, index))
}

pub(super) fn sensitivity_page(dir: &Path, page: &mut Page) -> Result<()> {
    let meta: SensitivityFile = read_json(&dir.join("sensitivity.json"))?;
    let path = dir.join("sensitivity.csv");
    let mut reader = csv::Reader::from_path(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let rows: Vec<SensitivityRow> = reader
        .deserialize()
        .collect::<Result<_, _>>()
        .with_context(|| format!("{} is damaged", path.display()))?;
    let samples = read_cells(&dir.join("samples.csv")).unwrap_or_default();
    let y: Vec<f64> = samples
        .iter()
        .map(|c| number(c, "output"))
        .filter(|x| x.is_finite())
        .collect();
    let name = &meta.scenario.scenario_name;
    let label = label_of(&meta.outcome);
    let what = match &meta.versus_label {
        Some(v) => format!(
            "the difference in {} between {} and {} (the decision between the two plans)",
            esc(&label),
            esc(name),
            esc(v)
        ),
        None => format!("{} in {}", esc(&label), esc(name)),
    };
    page.title = format!("{name} — which assumptions drive {label}");
    page.question = format!(
        "Which of the {} uncertain parameters, each across its range, moves {} most over {} days?",
        meta.parameters.len(),
        what,
        meta.scenario.days
    );
    let index = meta.method == Method::Sobol;
    let mut h = String::new();
    let method = match meta.method {
        Method::Morris => format!(
            "Morris elementary effects: {} trajectories on {} levels, {} replicates per point ({} points, {} runs). μ* is the mean absolute change in the output when a parameter moves across its whole range; σ large against μ* means its effect depends on the others. Intervals: 95% bootstrap over trajectories ({} resamples).",
            meta.samples,
            meta.levels.unwrap_or(0),
            meta.replicates,
            grouped(meta.points as f64),
            grouped(meta.runs as f64),
            meta.bootstrap
        ),
        Method::Sobol => format!(
            "Sobol' indices: N = {} base samples, {} replicates per point ({} points, {} runs). S1 is the share of the output's variance a parameter explains alone, ST with its interactions. Intervals: 95% bootstrap over base samples ({} resamples).",
            meta.samples,
            meta.replicates,
            grouped(meta.points as f64),
            grouped(meta.runs as f64),
            meta.bootstrap
        ),
    };
    h.push_str(&p(&esc(&method)));
    let top: Vec<String> = rows
        .iter()
        .take(3)
        .map(|r| {
            let stat = match meta.method {
                Method::Morris => format!("μ* {}", interval(r.mu_star, r.mu_star_lo, r.mu_star_hi, false)),
                Method::Sobol => format!("ST {}", interval(r.st, r.st_lo, r.st_hi, true)),
            };
            format!("<code>{}</code> ({})", esc(&r.key), esc(&stat))
        })
        .collect();
    if !top.is_empty() {
        h.push_str(&p(&format!("The assumptions that move it most: {}.", list_words(&top))));
    }
    if !y.is_empty() {
        let mean = y.iter().sum::<f64>() / y.len() as f64;
        h.push_str(&p(&esc(&format!(
            "The output over the {} points: mean {}, 5th–95th percentile {} to {}.",
            y.len(),
            fmt_num(mean),
            fmt_num(stats::quantile(&y, 0.05)),
            fmt_num(stats::quantile(&y, 0.95))
        ))));
    }
    if !meta.versus_not_applied.is_empty() {
        let keys: Vec<String> = meta
            .versus_not_applied
            .iter()
            .map(|k| format!("<code>{}</code>", esc(k)))
            .collect();
        h.push_str(&p(&format!(
            "Drawn for {} only, as the versus plan has no element they name: {}. They move the difference through this plan alone.",
            esc(name),
            list_words(&keys)
        )));
    }
    let head: Vec<&str> = match meta.method {
        Method::Morris => vec!["rank", "parameter", "distribution", "range", "μ", "μ* [95% CI]", "σ"],
        Method::Sobol => vec![
            "rank",
            "parameter",
            "distribution",
            "range",
            "S1 [95% CI]",
            "ST [95% CI]",
        ],
    };
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![
                r.rank.to_string(),
                format!("<code>{}</code>", esc(&r.key)),
                esc(&r.distribution),
                esc(&format!("{} to {}", fmt_num(r.low), fmt_num(r.high))),
            ];
            match meta.method {
                Method::Morris => {
                    row.push(opt(r.mu, false));
                    row.push(esc(&interval(r.mu_star, r.mu_star_lo, r.mu_star_hi, false)));
                    row.push(opt(r.sigma, false));
                }
                Method::Sobol => {
                    row.push(esc(&interval(r.s1, r.s1_lo, r.s1_hi, index)));
                    row.push(esc(&interval(r.st, r.st_lo, r.st_hi, index)));
                }
            }
            row
        })
        .collect();
    h.push_str(&table(&head, &table_rows));
    page.section("Key numbers", h);
    page.section("Charts", charts_section(dir)?);
    page.section("Provenance", sensitivity_provenance(&meta, dir));
    Ok(())
}

fn sensitivity_provenance(meta: &SensitivityFile, dir: &Path) -> String {
    let s = &meta.scenario;
    let mut rows = vec![
        vec!["scenario".into(), esc(&s.scenario_name)],
        vec!["scenario file".into(), esc(&s.scenario_file)],
        vec!["seed".into(), meta.seed.to_string()],
        vec!["outcome".into(), esc(&meta.outcome)],
        vec!["written by".into(), esc(&format!("{} {}", meta.program, meta.version))],
        vec!["model build".into(), format!("<code>{}</code>", esc(&meta.model_build))],
        vec![
            "scenario digest".into(),
            format!("<code>{}</code>", esc(&s.scenario_digest)),
        ],
    ];
    if let Some(v) = &meta.versus {
        rows.push(vec![
            "versus digest".into(),
            format!("<code>{}</code>", esc(&v.scenario_digest)),
        ]);
    }
    let mut h = table(&["", ""], &rows);
    command_and_file(&mut h, dir, &meta.command, &s.scenario_file, &meta.inputs);
    h
}

/// The end of a decision page's provenance: the command that wrote `dir`, and the files it read as
/// stored in the result; for an older result without them, the input `file` as it reads now
/// (folded), or a note saying it cannot be read here.
fn command_and_file(h: &mut String, dir: &Path, command: &[String], file: &str, stored: &[InputFile]) {
    let cmd: Vec<String> = command.iter().map(|w| shell_word(w)).collect();
    let _ = writeln!(
        h,
        "<p>The command that wrote it (results in {}):</p>\n<pre>{}</pre>",
        esc(&dir.display().to_string()),
        esc(&cmd.join(" "))
    );
    if stored.is_empty() {
        h.push_str(&super::html::input_file(file, ""));
    } else {
        h.push_str(&super::html::stored_inputs(dir, stored));
    }
}

// ---------------------------------------------------------------- compare against a baseline

/// The paired differences of `compare_vs_baseline.csv`: deaths averted by each horizon, per
/// tonne and per cost, one row per plan; None without the file.
pub(super) fn compare_versus(dir: &Path) -> Result<Option<String>> {
    versus(dir, "compare_vs_baseline.csv", &|r: &Cells| {
        r.get("scenario").cloned().unwrap_or_default()
    })
}

/// The same of a sweep's `sweep_vs_baseline.csv`, a plan named by its grid point (`key=value`,
/// `; ` between keys).
pub(super) fn sweep_versus(dir: &Path, keys: &[String]) -> Result<Option<String>> {
    versus(dir, "sweep_vs_baseline.csv", &|r: &Cells| {
        keys.iter()
            .map(|k| format!("{k}={}", r.get(k).cloned().unwrap_or_default()))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Deaths averted by each horizon, per tonne and per cost, one row per plan (`plan_of` a row),
/// from the vs-baseline file `name` in `dir`; None without it.
fn versus(dir: &Path, name: &str, plan_of: &dyn Fn(&Cells) -> String) -> Result<Option<String>> {
    let path = dir.join(name);
    if !path.exists() {
        return Ok(None);
    }
    let rows = read_cells(&path)?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let baseline = first.get("baseline").cloned().unwrap_or_default();
    let field = |r: &Cells, k: &str| r.get(k).cloned().unwrap_or_default();
    let mut plans: Vec<String> = Vec::new();
    let (mut days, mut after): (Vec<u32>, Vec<u32>) = (Vec::new(), Vec::new());
    for r in &rows {
        let plan = plan_of(r);
        if !plans.contains(&plan) {
            plans.push(plan);
        }
        let list = match field(r, "measure").as_str() {
            "deaths_averted" => &mut days,
            "deaths_averted_after_end" => &mut after,
            _ => continue,
        };
        if let Ok(d) = field(r, "day").parse::<u32>()
            && !list.contains(&d)
        {
            list.push(d);
        }
    }
    // Per tonne and per cost are at the run's end, the last horizon.
    let end = days.iter().copied().max().unwrap_or(0);
    let at = |r: &Cells, plan: &str, measure: &str, day: u32| {
        plan_of(r) == plan && field(r, "measure") == measure && field(r, "day") == day.to_string()
    };
    let find = |plan: &str, measure: &str, day: Option<u32>| -> Option<String> {
        rows.iter()
            .find(|r| at(r, plan, measure, day.unwrap_or(end)))
            .map(|r| bracket(r, "", field(r, "pairs").parse().unwrap_or(0)))
            .filter(|t| t != "–")
    };
    let per_tonne = plans
        .iter()
        .any(|pl| find(pl, "deaths_averted_per_tonne", None).is_some());
    let per_cost = plans
        .iter()
        .any(|pl| find(pl, "deaths_averted_per_cost", None).is_some());
    let heads: Vec<String> = std::iter::once("plan".to_string())
        .chain(days.iter().map(|&d| format!("averted, {}", decision::horizon_label(d))))
        .chain(
            after
                .iter()
                .map(|&n| format!("averted, {}", decision::after_end_label(n))),
        )
        .chain(per_tonne.then(|| "per tonne".to_string()))
        .chain(per_cost.then(|| "per 100,000 of cost".to_string()))
        .collect();
    let head: Vec<&str> = heads.iter().map(String::as_str).collect();
    let table_rows: Vec<Vec<String>> = plans
        .iter()
        .map(|pl| {
            let mut row = vec![esc(pl)];
            for &d in &days {
                row.push(esc(&find(pl, "deaths_averted", Some(d)).unwrap_or_else(|| "–".into())));
            }
            for &n in &after {
                row.push(esc(
                    &find(pl, "deaths_averted_after_end", Some(n)).unwrap_or_else(|| "–".into())
                ));
            }
            if per_tonne {
                row.push(esc(
                    &find(pl, "deaths_averted_per_tonne", None).unwrap_or_else(|| "–".into())
                ));
            }
            if per_cost {
                let scaled = rows
                    .iter()
                    .find(|r| at(r, pl, "deaths_averted_per_cost", end))
                    .map(|r| {
                        let n = field(r, "pairs").parse().unwrap_or(0);
                        mean_bracket(&stats_of(r, "", n).scaled(baseline::PER_COST))
                    })
                    .unwrap_or_else(|| "–".into());
                row.push(esc(&scaled));
            }
            row
        })
        .collect();
    let mut h = p(&format!(
        "Deaths averted against <b>{}</b>: baseline − plan, replicate by replicate on the same random streams (common random numbers), mean [95% CI]; per tonne and per cost: ÷ (plan − baseline relief), the deaths each tonne (unit of cost) between the two plans averts, at the run's end.{} Every measure is in {}.",
        esc(&baseline),
        if after.is_empty() {
            ""
        } else {
            " \"To end+N d\": from day 0 to N days after the siege was lifted in each replicate (the baseline's day of lifting, so both plans count the same days; the run's end where it was not lifted)."
        },
        esc(name)
    ));
    h.push_str(&table(&head, &table_rows));
    h.push_str(&where_averted(&rows, &plans, plan_of, end));
    Ok(Some(h))
}

/// The deaths averted by the run's end (`end`) split by cause, age band and place of death, one
/// row per plan, from the rows of a vs-baseline file ([`baseline::where_averted`]); empty when
/// the file has no such rows.
fn where_averted(rows: &[Cells], plans: &[String], plan_of: &dyn Fn(&Cells) -> String, end: u32) -> String {
    let describe = |r: &Cells| stats_of(r, "", number(r, "pairs") as usize);
    let mut any = false;
    let table_rows: Vec<Vec<String>> = plans
        .iter()
        .map(|pl| {
            let mine: Vec<(String, Describe)> = rows
                .iter()
                .filter(|r| plan_of(r) == *pl && r.get("day").is_some_and(|d| *d == end.to_string()))
                .map(|r| (r.get("measure").cloned().unwrap_or_default(), describe(r)))
                .collect();
            let averted = mine
                .iter()
                .find(|(m, _)| m == "deaths_averted")
                .map_or_else(|| "–".into(), |(_, d)| mean_bracket(d));
            let mut row = vec![esc(pl), esc(&averted)];
            for (_, parts) in baseline::where_averted(mine.iter().map(|(m, d)| (m.as_str(), *d))) {
                any |= !parts.is_empty();
                let texts: Vec<String> = parts.iter().map(|p| esc(&baseline::part_text(p))).collect();
                row.push(if texts.is_empty() {
                    "–".into()
                } else {
                    texts.join("<br>")
                });
            }
            row
        })
        .collect();
    if !any {
        return String::new();
    }
    let averted = format!("averted, {}", decision::horizon_label(end));
    let head = ["plan", averted.as_str(), "by cause", "by age", "by place of death"];
    let mut h = p(&format!(
        "Where the deaths averted by the run's end ({}) are: baseline − plan by cause, age band and the place where they died (on the road, the place they set out from), mean [95% CI]; negative: more deaths with the plan. Each column sums to the plan's deaths averted; parts that are 0 in every pair are left out. The file has the paired difference of every <code>summary.csv</code> column.",
        esc(&decision::horizon_label(end))
    ));
    h.push_str(&table(&head, &table_rows));
    h
}
