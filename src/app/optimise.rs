//! `siege optimise FILE`: the best relief plan under a budget (see `siege::experiment::optimise`),
//! its terminal table, result files and chart.

use super::report::{fmt_num, mean_ci};
use super::{check_memory, draw, progress};
use anyhow::Result;
use siege::charts::ChartOptions;
use siege::experiment::footprint;
use siege::experiment::optimise::{self, Plan};
use siege::experiment::optimise_shard::{self, ShardDone};
use siege::experiment::stats::Describe;
use siege::experiment::sweep::Shard;
use siege::output;
use siege::scenario::Input;
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct OptimiseArgs {
    /// The optimise file (a TOML file with an `[optimise]` table).
    pub file: PathBuf,
    pub seed: Option<u64>,
    /// `KEY=VALUE` overrides, applied to every candidate after the file's `set`.
    pub set: Vec<String>,
    pub memory_limit_gb: Option<f64>,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub charts: Option<ChartOptions>,
    /// `--shard K/N`: run this shard's share of the search's next step into `parts`.
    pub shard: Option<Shard>,
    /// `--parts DIR`: the shards' shared directory; without `shard`, write the result from it.
    pub parts: Option<PathBuf>,
}

/// Reads and checks the optimise file and builds the plan (every candidate validated); with the
/// files read: the optimise file, then the scenario file and its bases.
pub(super) fn plan(args: &OptimiseArgs) -> Result<(Plan, Vec<Input>)> {
    let text = siege::scenario::read_text(&args.file).map_err(|e| anyhow::anyhow!("{}: {e}", args.file.display()))?;
    let mut set = Vec::new();
    for a in &args.set {
        let (k, v) = siege::scenario::overrides::split_assignment(a).map_err(|e| anyhow::anyhow!("--set {e}"))?;
        set.push((k.to_string(), v.to_string()));
    }
    if let Some(seed) = args.seed {
        set.push(("simulation.seed".into(), seed.to_string()));
    }
    let spec = optimise::read_spec(&args.file, &text, &set).map_err(anyhow::Error::msg)?;
    let plan = Plan::new(spec)?;
    let mut read = vec![Input::new(&args.file, &text)];
    read.extend(plan.scenarios[0].inputs().iter().cloned());
    Ok((plan, read))
}

/// "1.5 ± 0.4" for a mean with its 95% CI; "–" when there is none.
fn with_ci(d: &Describe) -> String {
    if d.n == 0 { "–".into() } else { mean_ci(d) }
}

/// `siege optimise --shard K/N --parts DIR`: this shard's share of the next step(s).
fn shard(args: &OptimiseArgs, plan: &Plan, shard: Shard, dir: &Path) -> Result<PathBuf> {
    let bar = progress(
        0,
        &format!("{}: shard {}/{} (runs)", plan.spec.name, shard.index, shard.count),
    );
    let done = optimise_shard::run_shard(plan, dir, shard, &|n| bar.inc_length(n), &|| bar.inc(1))?;
    bar.finish_and_clear();
    let file = args.file.display();
    let others = |w: &[u32]| -> String {
        w.iter()
            .map(|k| format!("{k}/{}", shard.count))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match done {
        ShardDone::Complete { steps } => say!(
            "the search is complete ({steps} steps; wrote {}); write the result with `siege optimise {file} --parts {}`",
            dir.join(optimise_shard::COMPLETE).display(),
            dir.display()
        ),
        ShardDone::Ran { step, runs, waiting } => say!(
            "shard {}/{}: ran {runs} runs, its share of the steps up to step {step}, which waits for shard(s) {}; run all shards again when they finish",
            shard.index,
            shard.count,
            others(&waiting)
        ),
        ShardDone::Waiting { step, waiting } => say!(
            "shard {}/{}: its share of step {step} is done; waiting for shard(s) {}",
            shard.index,
            shard.count,
            others(&waiting)
        ),
    }
    Ok(dir.to_path_buf())
}

/// `siege optimise`: search (or, with `--parts`, read the shards' runs), write optimise.csv,
/// optimise_runs.csv, optimise_vs_nothing.csv and optimise.json, print the top plans, draw the
/// chart. Returns the result directory (with `--shard`, the parts directory).
pub fn optimise(args: &OptimiseArgs) -> Result<PathBuf> {
    let (plan, read) = plan(args)?;
    let spec = &plan.spec;
    if let Some(s) = args.shard {
        let dir = args
            .parts
            .as_deref()
            .ok_or_else(|| anyhow::anyhow!("--shard needs --parts DIR, the directory every shard shares"))?;
        return shard(args, &plan, s, dir);
    }
    check_memory(
        &args.file,
        &footprint::sweep(
            &plan.scenarios,
            plan.most_runs() as u64,
            4,
            rayon::current_num_threads(),
        ),
        args.memory_limit_gb,
    )?;
    let out = args.out.clone().unwrap_or_else(|| Path::new("output").join(&spec.name));
    let lock = output::lock_dir(&out)?;
    let staging = output::stage(&out, args.force)?;
    let dest = staging.dir().to_path_buf();
    let within = plan.candidates.iter().filter(|c| c.within_budget).count();
    let bar = progress(
        plan.most_runs() as u64,
        &format!("{}: {} candidate plans (runs, at most)", spec.name, within),
    );
    let found = match &args.parts {
        Some(dir) => optimise_shard::replay(&plan, dir)?,
        None => optimise::search(&plan, &|| bar.inc(1)),
    };
    bar.finish_and_clear();
    let rows = optimise::rows(&plan, &found);
    let keys: Vec<String> = plan.grid.axes.iter().map(|a| a.key.clone()).collect();
    output::write_atomic(
        &dest.join("optimise.csv"),
        &output::named_rows_bytes(&optimise::header(&keys), &rows)?,
    )?;
    output::write_atomic(
        &dest.join("optimise_runs.csv"),
        &output::csv_bytes(&optimise::run_rows(&plan, &found))?,
    )?;
    let finalists: Vec<usize> = found
        .ranking
        .iter()
        .copied()
        .take_while(|&c| found.eliminated[c].is_none())
        .collect();
    let versus: Vec<_> = finalists
        .iter()
        .enumerate()
        .flat_map(|(k, &c)| {
            let mut cells = vec![
                ("rank".to_string(), (k + 1).to_string()),
                ("point".to_string(), plan.candidates[c].point.to_string()),
            ];
            cells.extend(plan.candidates[c].values.iter().map(|(key, v)| (key.clone(), v.cell())));
            super::baseline::rows(&cells, "nothing", &found.vs_nothing(&plan, c))
        })
        .collect();
    output::write_atomic(
        &dest.join("optimise_vs_nothing.csv"),
        &output::named_rows_bytes(&output::column_names(&versus[0]), &versus)?,
    )?;
    let command: Vec<String> = std::env::args().collect();
    let meta = optimise::OptimiseFile {
        inputs: output::inputs::write(&dest, &read)?,
        ..optimise::meta(&plan, &found, &args.file, command)
    };
    output::write_atomic(&dest.join("optimise.json"), &output::json_bytes(&meta)?)?;
    let _lock = (staging.commit()?, lock);
    say!("{}", table(&plan, &found, &rows, &meta));
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(out)
}

/// "1980 candidate plans: 720 within the budget (20 t), 1100 over it, 160 invalid (set aside)".
fn counts(meta: &optimise::OptimiseFile, budget: &[String]) -> String {
    let over = meta.candidates - meta.within_budget - meta.invalid;
    let mut s = format!(
        "{} candidate plans: {} within the budget ({})",
        meta.candidates,
        meta.within_budget,
        if budget.is_empty() {
            "none given".to_string()
        } else {
            budget.join(", ")
        }
    );
    if over > 0 {
        s += &format!(", {over} over it (set aside)");
    }
    if meta.invalid > 0 {
        s += &format!(", {} the scenario refuses (invalid, set aside)", meta.invalid);
    }
    s
}

/// The warning under a table that shows eliminated plans (`eliminated`: the replicates each ran):
/// their savings rest on fewer replicates than the finalists' (`max`) and are not comparable with
/// them; None when no eliminated plan is shown. The terminal's and the report's.
pub(super) fn fewer_replicates(eliminated: &[usize], max: u32) -> Option<String> {
    let (lo, hi) = (eliminated.iter().min()?, eliminated.iter().max()?);
    let range = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    };
    Some(format!(
        "Eliminated plans' figures rest on fewer replicates ({range}) than the finalists' ({max}), so their \"saved vs nothing\" is not comparable with the finalists'; the comparable figure is \"− chosen (paired)\", on the replicates each shares with the chosen plan."
    ))
}

/// A plan as its varied keys' values: `airdrops.0.day=10, airdrops.0.sorties=2`.
fn plan_of(r: &optimise::OptimiseRow) -> String {
    r.values
        .iter()
        .map(|(k, v)| format!("{k}={}", v.cell()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How sure the ranking is, in words (the terminal's and the report's): how often, over the
/// paired replicates, the chosen plan did better than the runner-up, the same and worse, and the
/// runner-up − chosen difference with its 95% CI.
pub(crate) fn how_sure(c: &optimise::Confidence) -> String {
    let worse = (1.0 - c.chosen_better_share - c.tie_share).max(0.0);
    format!(
        "in {} paired replicates the chosen plan did better than the runner-up in {}%, the same in {}%, worse in {}%; runner-up − chosen: {}",
        c.pairs,
        fmt_num(100.0 * c.chosen_better_share),
        fmt_num(100.0 * c.tie_share),
        fmt_num(100.0 * worse),
        match (c.difference_ci95_lo, c.difference_ci95_hi) {
            (Some(lo), Some(hi)) => format!("{} [{} – {}]", fmt_num(c.difference_mean), fmt_num(lo), fmt_num(hi)),
            _ => fmt_num(c.difference_mean),
        }
    )
}

/// The terminal report: the rounds, the runs spent, the top plans and how sure the ranking is.
fn table(
    plan: &Plan,
    found: &optimise::Found,
    rows: &[optimise::OptimiseRow],
    meta: &optimise::OptimiseFile,
) -> String {
    let spec = &plan.spec;
    let mut lines = Vec::new();
    let budget: Vec<String> = [
        spec.budget_tonnes.map(|t| format!("{} t", fmt_num(t))),
        spec.budget_cost.map(|c| format!("cost {}", fmt_num(c))),
    ]
    .into_iter()
    .flatten()
    .collect();
    lines.push(format!(
        "{} ({}): {}; minimising {} over {} days, seed {}",
        meta.name,
        meta.scenario_name,
        counts(meta, &budget),
        spec.outcome.name,
        meta.days,
        meta.seed
    ));
    for r in rows.iter().filter(|r| r.status == "invalid").take(3) {
        lines.push(format!("  invalid: {}: {}", plan_of(r), r.reason));
    }
    if meta.invalid > 3 {
        lines.push(format!(
            "  … and {} more invalid (all in optimise.csv, status invalid)",
            meta.invalid - 3
        ));
    }
    let rounds: Vec<String> = found
        .rounds
        .iter()
        .map(|r| format!("{} × {}", r.candidates, r.replicates))
        .collect();
    lines.push(format!(
        "successive halving (candidates × replicates): {}; {} runs (doing nothing included), a full sweep at {} replicates: {} ({}%)",
        rounds.join(" → "),
        meta.runs,
        spec.max_replicates,
        meta.full_sweep_runs,
        fmt_num(100.0 * meta.runs as f64 / meta.full_sweep_runs as f64)
    ));
    let kept: Vec<String> = found
        .rounds
        .iter()
        .filter_map(|r| {
            let row = rows.iter().find(|x| Some(x.point) == r.kept_cheaper)?;
            Some(format!(
                "{} in round {} ({} replicates)",
                plan_of(row),
                r.round,
                r.replicates
            ))
        })
        .collect();
    if !kept.is_empty() {
        lines.push(format!(
            "kept beyond the half, as the cheapest plan the replicates could not yet tell from the leader: {}",
            kept.join("; ")
        ));
    }
    let keys: Vec<&str> = plan.grid.axes.iter().map(|a| a.key.as_str()).collect();
    let mut head = vec!["rank".to_string()];
    head.extend(keys.iter().map(|k| k.to_string()));
    let costed = rows.iter().any(|r| r.rank.is_some() && r.cost.is_some());
    head.push("tonnes".into());
    if costed {
        head.push("cost".into());
    }
    head.extend([
        "replicates".into(),
        format!("{} (mean ± 95% CI)", spec.outcome.name),
        "− chosen (paired)".into(),
        "saved vs nothing (paired; replicates)".into(),
    ]);
    let mut cells: Vec<Vec<String>> = vec![head];
    let shown = rows.iter().filter(|r| r.rank.is_some()).take(spec.finalists.max(5));
    for r in shown {
        let mut c = vec![r.rank.map(|k| k.to_string()).unwrap_or_default()];
        c.extend(r.values.iter().map(|(_, v)| v.cell()));
        c.push(fmt_num(r.tonnes));
        if costed {
            c.push(r.cost.map(fmt_num).unwrap_or_else(|| "–".into()));
        }
        c.push(r.replicates.to_string());
        c.push(with_ci(&r.outcome));
        c.push(if r.rank == Some(1) {
            "–".into()
        } else {
            with_ci(&r.vs_best)
        });
        c.push(format!("{} ({})", with_ci(&r.vs_nothing), r.vs_nothing.n));
        cells.push(c);
    }
    let widths: Vec<usize> = (0..cells[0].len())
        .map(|j| cells.iter().map(|row| row[j].chars().count()).max().unwrap_or(0))
        .collect();
    for row in &cells {
        let line: Vec<String> = row
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(j, (cell, &w))| {
                if j == 0 || j > keys.len() {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        lines.push(line.join("  ").trim_end().to_string());
    }
    let eliminated: Vec<usize> = rows
        .iter()
        .filter(|r| r.rank.is_some())
        .take(spec.finalists.max(5))
        .filter(|r| r.status == "eliminated")
        .map(|r| r.replicates)
        .collect();
    if let Some(note) = fewer_replicates(&eliminated, spec.max_replicates) {
        lines.push(note);
    }
    if meta.lowest_mean_point != meta.chosen_point
        && let Some(low) = rows.iter().find(|r| r.point == meta.lowest_mean_point)
    {
        let chosen = &rows[0];
        lines.push(format!(
            "cost tie-break: {} ({} t) has the lowest mean, but {} ({} t) ties it within noise (the 95% CI of their paired difference, {}, includes 0) and is cheaper, so it is chosen",
            plan_of(low),
            fmt_num(low.tonnes),
            plan_of(chosen),
            fmt_num(chosen.tonnes),
            with_ci(&low.vs_best)
        ));
    }
    if let Some(c) = &meta.confidence {
        lines.push(format!(
            "how sure: {}{}",
            how_sure(c),
            if meta.lowest_mean_point != meta.chosen_point {
                " (see the cost tie-break above)"
            } else {
                ""
            }
        ));
    }
    lines.join("\n")
}
