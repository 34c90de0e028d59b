//! Sweeps: every grid point × replicate run with common random numbers (replicate r of every point
//! draws from stream r), rows written as runs finish, shards and merges that reproduce the
//! one-machine bytes, and resumption of an interrupted sweep.
//!
//! Files: while running, `sweep.csv.partial` (rows in completion order) and `sweep.partial.json`
//! (the plan, for `--resume`); when complete, `sweep.csv` (sorted by point then replicate),
//! `sweep_summary.csv` (not for a shard) and `sweep.json`, and the partial files are removed.

use super::grid::{Grid, value_text};
use super::related::Related;
use super::stats;
use crate::observe::KEY_OUTCOMES;
use crate::output;
use crate::scenario::{self, Scenario};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

const PARTIAL_ROWS: &str = "sweep.csv.partial";
const PARTIAL_META: &str = "sweep.partial.json";

/// A sweep ready to run: one validated scenario per grid point.
pub struct Plan {
    pub scenario_file: PathBuf,
    pub grid: Grid,
    pub replicates: u32,
    /// `--set` overrides applied to every point (before the point's own values).
    pub set: Vec<(String, String)>,
    pub scenarios: Vec<Scenario>,
    /// Which points share days (those that differ only in their airdrops).
    related: Related,
}

/// `K/N`: run the tasks whose index ≡ K (mod N).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

impl std::str::FromStr for Shard {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("--shard `{s}`: expected K/N with 0 ≤ K < N, e.g. 0/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (index, count): (u32, u32) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl Plan {
    /// Validates the scenario at every grid point (all problems of all points are reported).
    pub fn new(scenario_file: &Path, grid: Grid, replicates: Option<u32>, set: Vec<(String, String)>) -> Result<Self> {
        let text =
            scenario::read_text(scenario_file).map_err(|e| anyhow::anyhow!("{}: {e}", scenario_file.display()))?;
        let name = scenario_file.display().to_string();
        let dir = scenario_file.parent().unwrap_or(Path::new("."));
        // A problem in the file itself (or in --set) is reported once, not once per grid point.
        if let Err(e) = scenario::parse_in(&name, &text, &set, dir) {
            bail!("the sweep cannot run: {e}");
        }
        let mut scenarios = Vec::with_capacity(grid.len());
        let mut errors: Vec<String> = Vec::new();
        for i in 0..grid.len() {
            let mut overrides = set.clone();
            for (axis, v) in grid.axes.iter().zip(grid.point(i)) {
                overrides.push((axis.key.clone(), v.to_string()));
            }
            if let Some(r) = replicates {
                overrides.push(("simulation.replicates".into(), r.to_string()));
            }
            match scenario::parse_in(&name, &text, &overrides, dir) {
                Ok(s) => scenarios.push(s),
                Err(e) => {
                    let at: Vec<String> = grid
                        .axes
                        .iter()
                        .zip(grid.point(i))
                        .map(|(a, v)| format!("{}={}", a.key, value_text(v)))
                        .collect();
                    errors.push(format!("at grid point {} ({}): {e}", i, at.join(", ")));
                    if errors.len() >= 5 {
                        errors.push("(further grid points not checked)".into());
                        break;
                    }
                }
            }
        }
        if !errors.is_empty() {
            bail!("the sweep cannot run:\n{}", errors.join("\n"));
        }
        let replicates = scenarios[0].replicates();
        Ok(Plan {
            scenario_file: scenario_file.to_path_buf(),
            grid,
            replicates,
            set,
            related: Related::new(&scenarios),
            scenarios,
        })
    }

    pub fn tasks(&self) -> usize {
        self.grid.len() * self.replicates as usize
    }

    /// The sweep's identity: what sweep.json records (and what merges and resumes must match).
    pub fn meta(&self, shard: Option<Shard>) -> serde_json::Value {
        let s = &self.scenarios[0];
        let mut m = json!({
            "program": "siege",
            "version": env!("CARGO_PKG_VERSION"),
            "scenario_file": self.scenario_file.display().to_string(),
            "scenario_name": s.name(),
            "seed": s.seed(),
            "days": s.days(),
            "replicates": self.replicates,
            "points": self.grid.len(),
            "set": self.set.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
            "vary": self.grid.axes.iter().map(|a| json!({"key": a.key, "values": a.values.iter().map(json_value).collect::<Vec<_>>()})).collect::<Vec<_>>(),
        });
        if let Some(sh) = shard {
            m["shard"] = json!({"index": sh.index, "count": sh.count});
        }
        m
    }

    fn header(&self) -> Vec<String> {
        let mut h = vec!["point".to_string(), "replicate".into(), "seed".into()];
        h.extend(self.grid.axes.iter().map(|a| a.key.clone()));
        h.extend(super::summary_columns(&self.scenarios[0]));
        h
    }

    /// The rows of replicate `replicate` at `points`, run together so that points differing only
    /// in their airdrops share their common days (`Related`; the rows are the same as run alone).
    fn rows(&self, replicate: u32, points: &[usize]) -> Vec<Row> {
        let results = self.related.run(&self.scenarios, points, replicate, false);
        points
            .iter()
            .zip(results)
            .map(|(&point, result)| {
                let summary = result.summary;
                let mut cells = vec![point.to_string(), replicate.to_string(), summary.seed.to_string()];
                cells.extend(self.grid.point(point).iter().map(|v| value_text(v)));
                cells.extend(summary.values.iter().map(|v| output::cell(*v)));
                Row {
                    point,
                    replicate,
                    cells,
                }
            })
            .collect()
    }
}

fn json_value(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::Integer(i) => json!(i),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        other => json!(value_text(other)),
    }
}

#[derive(Clone, Debug)]
struct Row {
    point: usize,
    replicate: u32,
    cells: Vec<String>,
}

/// What a finished sweep wrote.
pub struct Finished {
    pub dir: PathBuf,
    /// Rows run now (the rest came from an earlier, interrupted run).
    pub ran: usize,
    pub resumed: usize,
    pub summary_rows: Vec<Vec<String>>,
    pub summary_header: Vec<String>,
}

/// Runs (the shard of) the sweep into `out`. With `resume`, continues from the rows an interrupted
/// run left; otherwise the directory must not hold results unless `force`.
pub fn run(
    plan: &Plan,
    out: &Path,
    shard: Option<Shard>,
    resume: bool,
    force: bool,
    tick: &(dyn Fn() + Sync),
) -> Result<Finished> {
    let meta = plan.meta(shard);
    let header = plan.header();
    let partial = out.join(PARTIAL_ROWS);
    let mut done: Vec<Row> = Vec::new();
    if resume && out.join(PARTIAL_META).exists() {
        let earlier: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(out.join(PARTIAL_META))?)
            .with_context(|| format!("{} is damaged", out.join(PARTIAL_META).display()))?;
        if earlier != meta {
            bail!(
                "--resume: the sweep in {} was started with a different scenario, grid, seed, replicates or shard; refusing to mix them",
                out.display()
            );
        }
        done = read_partial(&partial, &header)?;
    } else {
        if resume && out.join("sweep.json").exists() {
            let earlier: Option<serde_json::Value> = std::fs::read_to_string(out.join("sweep.json"))
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok());
            if earlier.as_ref() != Some(&meta) {
                bail!(
                    "--resume: {} holds a different, finished sweep (scenario, grid, seed, replicates or shard differ)",
                    out.display()
                );
            }
            bail!("--resume: the sweep in {} is already complete", out.display());
        }
        if !force && out.join(PARTIAL_META).exists() {
            bail!(
                "{} holds an interrupted sweep; use --resume to continue it or --force to start over",
                out.display()
            );
        }
        output::prepare_dir(out, force)?;
        for stale in [PARTIAL_ROWS, "sweep.csv", "sweep_summary.csv", "sweep.json"] {
            let _ = std::fs::remove_file(out.join(stale));
        }
        output::write_atomic(&out.join(PARTIAL_META), format!("{meta:#}\n").as_bytes())?;
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&header)?;
        output::write_atomic(&partial, &output::csv_finish(w)?)?;
    }
    let have: BTreeSet<(usize, u32)> = done.iter().map(|r| (r.point, r.replicate)).collect();
    // The points still to run, by replicate.
    let mut todo: BTreeMap<u32, Vec<usize>> = BTreeMap::new();
    for t in (0..plan.tasks()).filter(|t| shard.is_none_or(|s| t % s.count as usize == s.index as usize)) {
        let (point, replicate) = (t / plan.replicates as usize, (t % plan.replicates as usize) as u32);
        if !have.contains(&(point, replicate)) {
            todo.entry(replicate).or_default().push(point);
        }
    }
    // Run (and written) together: a replicate's points that share days (`Related::groups`).
    let todo: Vec<(u32, Vec<usize>)> = todo
        .into_iter()
        .flat_map(|(replicate, points)| {
            plan.related
                .groups(&points)
                .into_iter()
                .map(move |group| (replicate, group))
        })
        .collect();
    let resumed = done.len();
    let file = std::fs::OpenOptions::new()
        .append(true)
        .open(&partial)
        .with_context(|| format!("cannot append to {}", partial.display()))?;
    let sink = Mutex::new(file);
    let fresh: Vec<Vec<Row>> = todo
        .par_iter()
        .map(|(replicate, points)| -> Result<Vec<Row>> {
            let rows = plan.rows(*replicate, points);
            let mut w = csv::Writer::from_writer(Vec::new());
            for row in &rows {
                w.write_record(&row.cells)?;
            }
            let bytes = output::csv_finish(w)?;
            let mut f = sink.lock().expect("no writer panics while holding the lock");
            f.write_all(&bytes)
                .and_then(|_| f.flush())
                .with_context(|| format!("cannot write {}", partial.display()))?;
            drop(f);
            for _ in &rows {
                tick();
            }
            Ok(rows)
        })
        .collect::<Result<_>>()?;
    let fresh: Vec<Row> = fresh.into_iter().flatten().collect();
    let ran = fresh.len();
    done.extend(fresh);
    let (summary_header, summary_rows) = finish(out, &header, done, &meta, shard.is_none())?;
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_file(out.join(PARTIAL_META));
    Ok(Finished {
        dir: out.to_path_buf(),
        ran,
        resumed,
        summary_rows,
        summary_header,
    })
}

/// Sorts rows and writes sweep.csv, sweep_summary.csv (when `with_summary`) and sweep.json last;
/// returns the per-point summary (header, rows) for the terminal.
fn finish(
    out: &Path,
    header: &[String],
    mut rows: Vec<Row>,
    meta: &serde_json::Value,
    with_summary: bool,
) -> Result<(Vec<String>, Vec<Vec<String>>)> {
    rows.sort_by_key(|r| (r.point, r.replicate));
    rows.dedup_by_key(|r| (r.point, r.replicate));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for r in &rows {
        w.write_record(&r.cells)?;
    }
    output::write_atomic(&out.join("sweep.csv"), &output::csv_finish(w)?)?;
    let n_keys = meta["vary"].as_array().map_or(0, Vec::len);
    let (sh, srows) = summarise(header, &rows, n_keys);
    if with_summary {
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(&sh)?;
        for r in &srows {
            w.write_record(r)?;
        }
        output::write_atomic(&out.join("sweep_summary.csv"), &output::csv_finish(w)?)?;
    }
    output::write_atomic(&out.join("sweep.json"), format!("{meta:#}\n").as_bytes())?;
    Ok((sh, srows))
}

/// One row per grid point: the point, its key values, the replicates, then mean, CI and quantiles
/// of each key outcome.
fn summarise(header: &[String], rows: &[Row], n_keys: usize) -> (Vec<String>, Vec<Vec<String>>) {
    let mut h = vec!["point".to_string()];
    h.extend(header[3..3 + n_keys].iter().cloned());
    h.push("replicates".into());
    let cols: Vec<Option<usize>> = KEY_OUTCOMES
        .iter()
        .map(|k| header.iter().position(|c| c == k))
        .collect();
    h.extend(stats::outcome_columns(KEY_OUTCOMES));
    let mut out = Vec::new();
    let mut i = 0;
    while i < rows.len() {
        let point = rows[i].point;
        let j = rows[i..]
            .iter()
            .position(|r| r.point != point)
            .map_or(rows.len(), |n| i + n);
        let group = &rows[i..j];
        let mut line = vec![point.to_string()];
        line.extend(group[0].cells[3..3 + n_keys].iter().cloned());
        line.push(group.len().to_string());
        for c in &cols {
            let values: Vec<f64> = c.map_or(Vec::new(), |c| {
                group.iter().filter_map(|r| r.cells[c].parse().ok()).collect()
            });
            line.extend(stats::describe(&values).cells());
        }
        out.push(line);
        i = j;
    }
    (h, out)
}

fn parse_row(record: &csv::StringRecord, width: usize) -> Option<Row> {
    if record.len() != width {
        return None;
    }
    Some(Row {
        point: record[0].parse().ok()?,
        replicate: record[1].parse().ok()?,
        cells: record.iter().map(str::to_string).collect(),
    })
}

fn read_rows(path: &Path, header: &[String]) -> Result<Vec<Row>> {
    let mut r = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let got: Vec<String> = r.headers()?.iter().map(str::to_string).collect();
    if got != header {
        bail!("{} has different columns from this sweep", path.display());
    }
    let mut rows = Vec::new();
    for rec in r.records() {
        let rec = rec.with_context(|| format!("{} is damaged", path.display()))?;
        rows.push(parse_row(&rec, header.len()).with_context(|| format!("{} has a malformed row", path.display()))?);
    }
    Ok(rows)
}

/// Rows an interrupted run finished. A last line cut short by the interruption is dropped and the
/// file truncated to the last whole row, so appending continues cleanly.
fn read_partial(path: &Path, header: &[String]) -> Result<Vec<Row>> {
    let bytes = std::fs::read(path).with_context(|| format!("--resume: cannot read {}", path.display()))?;
    let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut rows = Vec::new();
    let mut kept = 0;
    let mut lines = std::io::Cursor::new(&bytes[..whole]);
    let mut line = String::new();
    let mut first = true;
    loop {
        line.clear();
        let n = lines.read_line(&mut line)?;
        if n == 0 {
            break;
        }
        if first {
            first = false;
            kept += n;
            continue;
        }
        let mut r = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        match r
            .records()
            .next()
            .and_then(|x| x.ok())
            .and_then(|rec| parse_row(&rec, header.len()))
        {
            Some(row) => {
                rows.push(row);
                kept += n;
            }
            None => break,
        }
    }
    if kept < bytes.len() {
        let f = std::fs::OpenOptions::new().write(true).open(path)?;
        f.set_len(kept as u64)?;
    }
    Ok(rows)
}

/// Combines shard directories into `out`: refuses parts of different sweeps, duplicate or missing
/// shards, and incomplete parts; writes exactly what the one-machine sweep writes.
pub fn merge(parts: &[PathBuf], out: &Path, force: bool) -> Result<Finished> {
    if parts.is_empty() {
        bail!("merge: give the shard directories to combine");
    }
    let mut metas = Vec::new();
    for p in parts {
        if !p.is_dir() {
            bail!("merge: {} does not exist or is not a directory", p.display());
        }
        let path = p.join("sweep.json");
        let text = std::fs::read_to_string(&path).with_context(|| {
            if p.join(PARTIAL_META).exists() {
                format!(
                    "{} is an unfinished shard (no sweep.json); finish it with --resume",
                    p.display()
                )
            } else {
                format!("{} holds no sweep (no sweep.json)", p.display())
            }
        })?;
        let meta: serde_json::Value =
            serde_json::from_str(&text).with_context(|| format!("{} is damaged", path.display()))?;
        metas.push(meta);
    }
    let count = metas[0]["shard"]["count"]
        .as_u64()
        .with_context(|| format!("{} is not a shard (run with --shard K/N)", parts[0].display()))?;
    let mut base = metas[0].clone();
    base.as_object_mut().expect("sweep.json is an object").remove("shard");
    let mut seen = BTreeSet::new();
    for (p, m) in parts.iter().zip(&metas) {
        let mut this = m.clone();
        let shard = this
            .as_object_mut()
            .and_then(|o| o.remove("shard"))
            .with_context(|| format!("{} is not a shard", p.display()))?;
        if this != base {
            bail!(
                "{} comes from a different sweep than {} (scenario, seed, grid, replicates or overrides differ); refusing to combine them",
                p.display(),
                parts[0].display()
            );
        }
        if shard["count"].as_u64() != Some(count) {
            bail!(
                "{} was split into {} shards, {} into {count}",
                p.display(),
                shard["count"],
                parts[0].display()
            );
        }
        let k = shard["index"].as_u64().unwrap_or(u64::MAX);
        if !seen.insert(k) {
            bail!("shard {k}/{count} is given twice");
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|k| !seen.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!("merge: shard(s) {} missing; all {count} are needed", missing.join(", "));
    }
    let header: Vec<String> = csv::Reader::from_path(parts[0].join("sweep.csv"))
        .with_context(|| format!("cannot read {}", parts[0].join("sweep.csv").display()))?
        .headers()?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for p in parts {
        rows.extend(read_rows(&p.join("sweep.csv"), &header)?);
    }
    let expected = base["points"].as_u64().unwrap_or(0) * base["replicates"].as_u64().unwrap_or(0);
    let distinct: BTreeSet<(usize, u32)> = rows.iter().map(|r| (r.point, r.replicate)).collect();
    if distinct.len() as u64 != expected || rows.len() as u64 != expected {
        bail!(
            "merge: the parts hold {} rows ({} distinct), the sweep has {expected}; a part is incomplete or repeated",
            rows.len(),
            distinct.len()
        );
    }
    output::prepare_dir(out, force)?;
    let (summary_header, summary_rows) = finish(out, &header, rows, &base, true)?;
    Ok(Finished {
        dir: out.to_path_buf(),
        ran: 0,
        resumed: expected as usize,
        summary_rows,
        summary_header,
    })
}
