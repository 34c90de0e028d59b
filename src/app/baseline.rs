//! `--baseline` of `compare` and `sweep`: which run is the baseline, the checks that make paired
//! differences like for like, the `*_vs_baseline.csv` rows and the terminal table of deaths
//! averted. The arithmetic is `siege::experiment::decision`.

use super::ScenarioArgs;
use super::report::{grouped_to, significant};
use anyhow::{Result, bail};
use siege::experiment::ReplicateResult;
use siege::experiment::decision::{self, Arm, Measure};
use siege::experiment::stats::Describe;
use siege::experiment::sweep::{Plan, Shard};
use siege::observe::DeathSplit;
use siege::observe::files::{BaselineRow, GridValue, SweepFile, SweepRow};
use siege::scenario::Scenario;
use std::path::{Path, PathBuf};

/// Whether two paths name the same file (as given, or once resolved).
pub(super) fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// The files to compare: those given, and first the baseline when it is a file not among them.
pub(super) fn files_with_baseline(files: &[PathBuf], baseline: Option<&str>) -> Vec<PathBuf> {
    match baseline {
        Some(b) if Path::new(b).is_file() && !files.iter().any(|f| same_file(f, Path::new(b))) => {
            std::iter::once(PathBuf::from(b)).chain(files.iter().cloned()).collect()
        }
        _ => files.to_vec(),
    }
}

/// The index of the baseline among the compared scenarios: by name, else by file.
pub(super) fn baseline_index(b: &str, names: &[String], files: &[PathBuf]) -> Result<usize> {
    if let Some(i) = names.iter().position(|n| n == b) {
        return Ok(i);
    }
    if let Some(i) = files.iter().position(|f| same_file(f, Path::new(b))) {
        return Ok(i);
    }
    bail!(
        "--baseline {b}: neither a compared scenario ({}) nor a scenario file",
        names.join(", ")
    )
}

/// Checks a compare against the baseline `base` is like for like (same days; horizons, day counts
/// or dates of the baseline's calendar, within them) and returns the horizons as day counts and
/// the days at which deaths are compared.
pub(super) fn check_compare(
    loaded: &[(ScenarioArgs, Scenario)],
    names: &[String],
    base: usize,
    horizons: &[String],
    after_end: &[u32],
) -> Result<(Vec<u32>, Vec<u32>)> {
    let days = loaded[base].1.days();
    let mut problems = Vec::new();
    let start = |s: &Scenario| s.as_written().simulation.start_date.clone();
    let start_date = start(&loaded[base].1);
    let dated = horizons.iter().any(|h| h.trim().parse::<u32>().is_err());
    let other_start: Vec<String> = loaded
        .iter()
        .zip(names)
        .filter(|((_, s), _)| start(s) != start_date)
        .map(|((_, s), n)| format!("{n} on {}", start(s).unwrap_or_else(|| "no start_date".into())))
        .collect();
    if dated && !other_start.is_empty() {
        problems.push(format!(
            "--horizons: a date names a day of one calendar, but the baseline {} starts on {} and {}; give the horizons as numbers of days",
            names[base],
            start_date.as_deref().unwrap_or("no start_date"),
            other_start.join(", ")
        ));
    }
    let horizons = decision::parse_horizons(horizons, start_date.as_deref()).unwrap_or_else(|e| {
        problems.push(e);
        Vec::new()
    });
    let other: Vec<String> = loaded
        .iter()
        .zip(names)
        .filter(|((_, s), _)| s.days() != days)
        .map(|((_, s), n)| format!("{n} {} days", s.days()))
        .collect();
    if !other.is_empty() {
        problems.push(format!(
            "--baseline: the baseline {} runs {days} days but {}; paired differences need the same days (--set simulation.days=N)",
            names[base],
            other.join(", ")
        ));
    }
    if let Err(e) = decision::check_horizons(&horizons, days) {
        problems.push(e);
    }
    if let Err(e) = decision::check_after_end(after_end, days) {
        problems.push(e);
    }
    if !problems.is_empty() {
        bail!("{}", problems.join("\n"));
    }
    let at = decision::days_list(&horizons, days);
    Ok((horizons, at))
}

/// A compared scenario's side of the comparison, from its replicates.
pub(super) fn arm(s: &Scenario, results: &[ReplicateResult], at: &[u32]) -> Arm {
    Arm {
        replicates: results.iter().map(|r| decision::replicate(r, at, s.days())).collect(),
        costed: decision::costed(s),
    }
}

/// What the horizons after the end rest on: in how many of the baseline's replicates the siege
/// was lifted, and on which days (the rest are counted to the run's end); `after`, the days
/// after it compared.
pub(super) fn lifted_note(base: &Arm, days: u32, after: &[u32]) -> String {
    let lifted: Vec<u32> = base.replicates.iter().filter_map(|r| r.after_end.lifted).collect();
    let n = base.replicates.len();
    match (lifted.iter().min(), lifted.iter().max()) {
        (Some(lo), Some(hi)) => format!(
            "after the end: the siege was lifted in {} of the baseline's {n} replicates (day {lo}{}); {}",
            lifted.len(),
            if lo == hi { String::new() } else { format!(" to {hi}") },
            if lifted.len() == n {
                if after.iter().all(|&n| n == 0) {
                    "each pair counts the days before it".to_string()
                } else {
                    "each pair counts to its replicate's day of lifting plus N".to_string()
                }
            } else {
                format!("the others count to the run's end (day {})", days - 1)
            }
        ),
        _ => format!(
            "after the end: the siege was not lifted in any of the baseline's {n} replicates, so every horizon after the end counts the whole run (days 0–{})",
            days - 1
        ),
    }
}

/// The file rows of one plan's measures.
pub(super) fn rows(plan: &[(String, String)], baseline: &str, measures: &[Measure]) -> Vec<BaselineRow> {
    measures
        .iter()
        .map(|m| BaselineRow {
            plan: plan.to_vec(),
            baseline: baseline.to_string(),
            measure: m.measure.clone(),
            day: m.day,
            pairs: m.pairs,
            stats: m.stats,
        })
        .collect()
}

/// "mean [95% CI]", the CI's half-width to two significant digits and the mean and ends to the
/// same decimal place (whole people once the half-width reaches 10, as `mean_ci`); two
/// significant digits alone for one pair; "–" when the measure does not apply.
pub(super) fn mean_bracket(d: &Describe) -> String {
    if !d.mean.is_finite() {
        return "–".into();
    }
    let half = (d.ci95_hi - d.ci95_lo) / 2.0;
    if d.n <= 1 || !half.is_finite() {
        return significant(d.mean, 2);
    }
    let decimals = decimals_of(if half > 0.0 { half } else { d.mean });
    let f = |x: f64| grouped_to(x, decimals);
    format!("{} [{} – {}]", f(d.mean), f(d.ci95_lo), f(d.ci95_hi))
}

/// Decimals that show two significant digits of `x`.
fn decimals_of(x: f64) -> usize {
    if x == 0.0 {
        0
    } else {
        (1 - x.abs().log10().floor() as i32).max(0) as usize
    }
}

/// The cost unit of the terminal's per-cost column (the CSV has per unit).
pub(super) const PER_COST: f64 = 1e5;

/// The terminal table: deaths averted by each day of `at`, then to each N days after the siege's
/// end of `after` and, where some plan's relief differs from the baseline's, per tonne and per
/// cost at the run's end; one line per plan.
pub(super) fn table(baseline: &str, plans: &[(String, Vec<Measure>)], at: &[u32], after: &[u32]) -> String {
    let end = *at.last().expect("the run's end is always compared");
    let get = |ms: &[Measure], name: &str, day: u32| {
        ms.iter()
            .find(|m| m.measure == name && m.day == day)
            .map(|m| m.stats)
            .expect("every measure is computed")
    };
    let width = plans.iter().map(|(n, _)| n.chars().count()).max().unwrap_or(0).max(8);
    let mut head = format!("{:<width$}", "plan");
    for d in at {
        head.push_str(&format!(" {:>24}", decision::horizon_label(*d)));
    }
    for n in after {
        head.push_str(&format!(" {:>24}", decision::after_end_label(*n)));
    }
    let tonnes = plans
        .iter()
        .any(|(_, ms)| get(ms, "deaths_averted_per_tonne", end).mean.is_finite());
    if tonnes {
        head.push_str(&format!(
            " {:>24}",
            format!("per tonne ({})", decision::horizon_label(end))
        ));
    }
    let costed = plans
        .iter()
        .any(|(_, ms)| get(ms, "deaths_averted_per_cost", end).mean.is_finite());
    if costed {
        head.push_str(&format!(" {:>24}", "per 100,000 of cost"));
    }
    let mut title = format!(
        "deaths averted against {baseline} (baseline − plan, replicate by replicate with common random numbers): mean [95% CI]"
    );
    if tonnes || costed {
        title.push_str(&format!(
            "; {}: ÷ (plan − baseline relief), the deaths each tonne (unit of cost) between the two plans averts",
            match (tonnes, costed) {
                (true, true) => "per tonne and per cost",
                (true, false) => "per tonne",
                _ => "per cost",
            }
        ));
    } else {
        title.push_str("; no per-tonne column: no plan's relief differs from the baseline's in every replicate");
    }
    let mut lines = vec![title, head];
    for (name, ms) in plans {
        let mut line = format!("{name:<width$}");
        for &d in at {
            line.push_str(&format!(" {:>24}", mean_bracket(&get(ms, "deaths_averted", d))));
        }
        for &n in after {
            line.push_str(&format!(
                " {:>24}",
                mean_bracket(&get(ms, "deaths_averted_after_end", n))
            ));
        }
        if tonnes {
            line.push_str(&format!(
                " {:>24}",
                mean_bracket(&get(ms, "deaths_averted_per_tonne", end))
            ));
        }
        if costed {
            let scaled = get(ms, "deaths_averted_per_cost", end).scaled(PER_COST);
            line.push_str(&format!(" {:>24}", mean_bracket(&scaled)));
        }
        lines.push(line);
    }
    lines.join("\n")
}

/// One plan's deaths averted at the run's end split three ways ([`DeathSplit`]): for each split,
/// its parts as (label, baseline − plan), those 0 in every pair left out; the causes and places
/// most averted first, the age bands in their order. `measures` are the plan's (name, plan −
/// baseline) at the run's end, as [`decision::vs_baseline`] gives them or
/// `compare_vs_baseline.csv` holds them; the parts of each split sum to the deaths averted.
pub(super) fn where_averted<'a>(
    measures: impl Iterator<Item = (&'a str, Describe)>,
) -> Vec<(DeathSplit, Vec<(String, Describe)>)> {
    let mut splits: Vec<(DeathSplit, Vec<(String, Describe)>)> =
        DeathSplit::ALL.iter().map(|&s| (s, Vec::new())).collect();
    for (name, d) in measures {
        let Some((split, label)) = DeathSplit::of_column(name) else {
            continue;
        };
        let zero_in_every_pair = d.mean == 0.0 && (d.n <= 1 || d.ci95_lo == d.ci95_hi);
        if !d.mean.is_finite() || zero_in_every_pair {
            continue;
        }
        // Averted is minus the difference: 0.0 − x, so that no −0 is shown.
        let averted = Describe {
            mean: 0.0 - d.mean,
            ci95_lo: 0.0 - d.ci95_hi,
            ci95_hi: 0.0 - d.ci95_lo,
            p05: 0.0 - d.p95,
            p50: 0.0 - d.p50,
            p95: 0.0 - d.p05,
            ..d
        };
        if let Some((_, parts)) = splits.iter_mut().find(|(s, _)| *s == split) {
            parts.push((label.into_owned(), averted));
        }
    }
    for (split, parts) in &mut splits {
        if *split != DeathSplit::Age {
            parts.sort_by(|a, b| b.1.mean.total_cmp(&a.1.mean));
        }
    }
    splits
}

/// "starvation 1.9 [1.5 – 2.3]": a part of [`where_averted`] as shown.
pub(super) fn part_text((label, d): &(String, Describe)) -> String {
    format!("{label} {}", mean_bracket(d))
}

/// The terminal's breakdown of the deaths averted by the run's end (`end`, the last horizon):
/// per plan, its deaths averted, then a line per split ([`where_averted`]).
pub(super) fn breakdown(plans: &[(String, Vec<Measure>)], end: u32) -> String {
    let mut lines = vec![format!(
        "where the deaths averted ({}) are: baseline − plan by cause, age and place of death, mean [95% CI] (negative: more deaths with the plan); each line sums to the plan's deaths averted; parts 0 in every pair left out",
        decision::horizon_label(end)
    )];
    for (name, ms) in plans {
        let at_end = || ms.iter().filter(|m| m.day == end);
        let averted = at_end()
            .find(|m| m.measure == "deaths_averted")
            .map_or_else(|| "–".into(), |m| mean_bracket(&m.stats));
        lines.push(format!("{name}: {averted}"));
        let splits = where_averted(at_end().map(|m| (m.measure.as_str(), m.stats)));
        if splits.iter().all(|(_, parts)| parts.is_empty()) {
            lines.push("  the same deaths in every pair".into());
        }
        for (split, parts) in splits.iter().filter(|(_, parts)| !parts.is_empty()) {
            let parts: Vec<String> = parts.iter().map(part_text).collect();
            lines.push(format!("  {:<6} {}", split.word(), parts.join(", ")));
        }
    }
    lines.join("\n")
}

/// The grid point a sweep's `--baseline` names: `KEY=VALUE` of every varied key joined by `;`, or
/// the value alone when one key varies. Numbers match by value (`16` and `16.0`).
pub(super) fn sweep_point(spec: &str, meta: &SweepFile) -> Result<usize> {
    let keys: Vec<&str> = meta.vary.iter().map(|k| k.key.as_str()).collect();
    let mut wanted: Vec<(String, String)> = Vec::new();
    for part in spec.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        match part.split_once('=') {
            Some((k, v)) => wanted.push((k.trim().to_string(), v.trim().to_string())),
            None if keys.len() == 1 => wanted.push((keys[0].to_string(), part.to_string())),
            None => bail!(
                "--baseline {spec}: give KEY=VALUE for each varied key ({}), joined by `;`",
                keys.join(", ")
            ),
        }
    }
    let unknown: Vec<&str> = wanted
        .iter()
        .map(|(k, _)| k.as_str())
        .filter(|k| !keys.contains(k))
        .collect();
    if !unknown.is_empty() || wanted.len() != keys.len() {
        bail!(
            "--baseline {spec}: name one value of each varied key ({}){}",
            keys.join(", "),
            if unknown.is_empty() {
                String::new()
            } else {
                format!("; not varied: {}", unknown.join(", "))
            }
        );
    }
    let matches = |v: &GridValue, text: &str| match (v.as_f64(), text.parse::<f64>()) {
        (Some(a), Ok(b)) => a == b,
        _ => v.cell() == text,
    };
    (0..meta.points)
        .find(|&p| {
            meta.point_values(p)
                .iter()
                .all(|(k, v)| wanted.iter().any(|(wk, wv)| wk == k && matches(v, wv)))
        })
        .ok_or_else(|| {
            let each: Vec<String> = meta
                .vary
                .iter()
                .map(|k| {
                    format!(
                        "{}: {}",
                        k.key,
                        k.values.iter().map(GridValue::cell).collect::<Vec<_>>().join(", ")
                    )
                })
                .collect();
            anyhow::anyhow!(
                "--baseline {spec}: no grid point has these values ({})",
                each.join("; ")
            )
        })
}

/// A grid point's label: its varied keys' `KEY=VALUE` joined by `;`.
pub(super) fn point_label(meta: &SweepFile, point: usize) -> String {
    meta.point_values(point)
        .iter()
        .map(|(k, v)| format!("{k}={}", v.cell()))
        .collect::<Vec<_>>()
        .join(";")
}

/// Checks a sweep's `--baseline` before it runs: a point of the grid, a whole sweep (a shard holds
/// only some pairs) and the same days at every point. Returns the point.
pub(super) fn check_sweep(spec: &str, plan: &Plan, shard: Option<Shard>) -> Result<usize> {
    if shard.is_some() {
        bail!("--baseline compares whole sweeps; run it without --shard (or on the merged sweep's points)");
    }
    let point = sweep_point(spec, &plan.meta(None))?;
    let days = plan.scenarios[point].days();
    if plan.scenarios.iter().any(|s| s.days() != days) {
        bail!("--baseline: the grid points run different numbers of days; paired differences need the same days");
    }
    Ok(point)
}

/// After a sweep into `out`: every point against the baseline point, from `sweep.csv`; writes
/// `sweep_vs_baseline.csv` and returns the terminal table.
pub(super) fn sweep_versus(plan: &Plan, out: &Path, point: usize) -> Result<String> {
    let meta = plan.meta(None);
    let (_, runs) = siege::output::read_named_rows(&out.join("sweep.csv"), |h, rec| SweepRow::read(&meta, h, rec))?;
    let days = plan.scenarios[point].days();
    let at = [days];
    let arm = |p: usize| Arm {
        replicates: runs
            .iter()
            .filter(|r| r.point == p)
            .map(|r| decision::Replicate::of_summary(&r.summary))
            .collect(),
        costed: decision::costed(&plan.scenarios[p]),
    };
    let base = arm(point);
    // Where the baseline's siege is lifted, also the deaths to the day it is (N = 0: a summary
    // knows no later day).
    let after: &[u32] = if base.replicates.iter().any(|r| r.after_end.lifted.is_some()) {
        &[0]
    } else {
        &[]
    };
    let label = point_label(&meta, point);
    let mut plans = Vec::new();
    let mut file_rows = Vec::new();
    for p in (0..meta.points).filter(|&p| p != point) {
        let ms = decision::vs_baseline(&arm(p), &base, &at, after, days);
        let mut id = vec![("point".to_string(), p.to_string())];
        id.extend(meta.point_values(p).into_iter().map(|(k, v)| (k, v.cell())));
        file_rows.extend(rows(&id, &label, &ms));
        plans.push((point_label(&meta, p), ms));
    }
    if let Some(first) = file_rows.first() {
        let header = siege::output::column_names(first);
        siege::output::write_atomic(
            &out.join("sweep_vs_baseline.csv"),
            &siege::output::named_rows_bytes(&header, &file_rows)?,
        )?;
    }
    let mut text = table(&label, &plans, &at, after);
    if !after.is_empty() {
        text.push('\n');
        text.push_str(&lifted_note(&base, days, after));
    }
    Ok(text)
}
