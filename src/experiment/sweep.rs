//! Sweeps: every grid point × replicate run with common random numbers (replicate r of every point
//! draws from stream r), rows written as runs finish, shards and merges that reproduce the
//! one-machine bytes, and resumption of an interrupted sweep.
//!
//! Files: while running, `sweep.csv.partial` (rows in completion order) and `sweep.partial.json`
//! (the plan, for `--resume`); when complete, `sweep.csv` (sorted by point then replicate),
//! `sweep_summary.csv` (not for a shard) and `sweep.json`, and the partial files are removed.

use super::grid::Grid;
use super::related::Related;
use crate::observe::Summary;
use crate::observe::files::{self, GridValue, PointRow, ShardFile, SweepFile, SweepRow, VaryKey, outcome_stats};
use crate::output::{self, inputs};
use crate::scenario::{self, Input, Override, Scenario};
use anyhow::{Context, Result, bail};
use rayon::prelude::*;
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
    /// The files read (an experiment file the caller read first, the scenario file, its bases),
    /// stored in the result.
    pub inputs: Vec<Input>,
    /// What `sweep.json` records of a whole (unsharded) sweep.
    file: SweepFile,
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
        let given = Override::from_set(&set);
        let (swept, inputs) = match scenario::parse_in(&name, &text, &given, dir) {
            Ok(s) => (s.as_written().clone(), s.inputs().to_vec()),
            Err(e) => bail!("the sweep cannot run: {e}"),
        };
        let mut scenarios = Vec::with_capacity(grid.len());
        // A date of a range that is no day (before start_date) is the range's problem, reported
        // once; the grid points that have one are not checked again for it.
        let bad_dates = super::grid::BadDates::of(&grid, swept.simulation.start_date.as_deref());
        let mut errors: Vec<String> = bad_dates.problems(&grid, "--vary");
        for i in 0..grid.len() {
            if bad_dates.at(&grid.point(i)) {
                continue;
            }
            let mut overrides = given.clone();
            for (axis, v) in grid.axes.iter().zip(grid.point(i)) {
                overrides.push(Override::new(&axis.key, v.clone(), "--vary"));
            }
            if let Some(r) = replicates {
                overrides.push(Override::new(
                    "simulation.replicates",
                    i64::from(r).into(),
                    "--replicates",
                ));
            }
            match scenario::parse_in(&name, &text, &overrides, dir) {
                Ok(s) => scenarios.push(s),
                Err(e) => {
                    let at: Vec<String> = grid
                        .axes
                        .iter()
                        .zip(grid.point(i))
                        .map(|(a, v)| format!("{}={}", a.key, GridValue::from_toml(v).cell()))
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
        let s = &scenarios[0];
        let digests: String = scenarios
            .iter()
            .map(files::scenario_digest)
            .collect::<Vec<_>>()
            .join("\n");
        let file = SweepFile {
            program: files::PROGRAM.into(),
            version: files::VERSION.into(),
            model_build: files::MODEL_BUILD.into(),
            scenario_digest: files::sha256_hex(digests.as_bytes()),
            scenario_file: scenario_file.display().to_string(),
            scenario_name: s.name().to_string(),
            seed: s.seed(),
            days: s.days(),
            replicates,
            points: grid.len(),
            set: set.iter().map(|(k, v)| format!("{k}={v}")).collect(),
            vary: grid
                .axes
                .iter()
                .map(|a| VaryKey {
                    key: a.key.clone(),
                    values: a.values.iter().map(GridValue::from_toml).collect(),
                })
                .collect(),
            scenario: Some(files::Swept(swept)),
            shard: None,
            rows_digest: String::new(),
            inputs: Vec::new(),
        };
        Ok(Plan {
            inputs,
            scenario_file: scenario_file.to_path_buf(),
            grid,
            replicates,
            set,
            file,
            related: Related::new(&scenarios),
            scenarios,
        })
    }

    pub fn tasks(&self) -> usize {
        self.grid.len() * self.replicates as usize
    }

    /// The sweep's identity: what sweep.json records (and what merges and resumes must match).
    pub fn meta(&self, shard: Option<Shard>) -> SweepFile {
        SweepFile {
            shard: shard.map(|s| ShardFile {
                index: s.index,
                count: s.count,
            }),
            inputs: inputs::record(&self.inputs),
            ..self.file.clone()
        }
    }

    fn header(&self) -> Vec<String> {
        sweep_header(&self.file, self.scenarios[0].location_ids(), self.any_market())
    }

    /// Whether any point has `[market]` on: then every row has the wealth groups' columns
    /// (empty at the points without it).
    fn any_market(&self) -> bool {
        self.scenarios.iter().any(|s| s.market().enabled)
    }

    /// The rows of replicate `replicate` at `points`, run together so that points differing only
    /// in their airdrops share their common days (`Related`; the rows are the same as run alone).
    fn rows(&self, replicate: u32, points: &[usize]) -> Vec<SweepRow> {
        let results = self.related.run(&self.scenarios, points, replicate, false);
        let wealth = self.any_market();
        points
            .iter()
            .zip(results)
            .map(|(&point, result)| SweepRow {
                point,
                replicate,
                values: self.file.point_values(point),
                summary: if wealth {
                    result.summary.with_wealth()
                } else {
                    result.summary
                },
            })
            .collect()
    }
}

/// The columns of `sweep.csv` of a sweep whose scenario has these locations.
fn sweep_header(meta: &SweepFile, location_ids: &[String], wealth: bool) -> Vec<String> {
    output::column_names(&SweepRow {
        point: 0,
        replicate: 0,
        values: meta.point_values(0),
        summary: Summary::template(location_ids, wealth),
    })
}

/// What a finished sweep wrote.
pub struct Finished {
    pub dir: PathBuf,
    /// Rows run now (the rest came from an earlier, interrupted run).
    pub ran: usize,
    pub resumed: usize,
    /// The rows of `sweep_summary.csv` (computed for a shard too, though not written).
    pub points: Vec<PointRow>,
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
    let mut meta = plan.meta(shard);
    let header = plan.header();
    let partial = out.join(PARTIAL_ROWS);
    let mut done: Vec<SweepRow> = Vec::new();
    if resume && out.join(PARTIAL_META).exists() {
        let earlier: SweepFile = output::read_json(&out.join(PARTIAL_META))
            .with_context(|| format!("{} is damaged", out.join(PARTIAL_META).display()))?;
        let differ = resume_differences(&earlier, &meta);
        if !differ.is_empty() {
            bail!(
                "--resume: the sweep in {} was started with different {}; refusing to mix them (start over with --force, or choose another --out)",
                out.display(),
                describe_differences(&differ)
            );
        }
        done = read_partial(&partial, &meta, &header)?;
        // The inputs of the run that started the sweep and of this one (the same unless a file
        // was edited without changing the scenario: then both are kept). Stored copies lost
        // since (a partial directory copied without them) leave this run's alone: the rows'
        // scenario is the same either way (`scenario_digest`).
        let mut read = inputs::read_all(out, &earlier.inputs).unwrap_or_default();
        read.extend(plan.inputs.iter().cloned());
        meta.inputs = inputs::write(out, &read)?;
    } else {
        if resume && out.join("sweep.json").exists() {
            let earlier: Option<SweepFile> = output::read_json(&out.join("sweep.json")).ok();
            let differ = earlier
                .as_ref()
                .map_or(vec!["sweep.json".into()], |e| resume_differences(e, &meta));
            if !differ.is_empty() {
                bail!(
                    "--resume: {} holds a different, finished sweep ({} differ)",
                    out.display(),
                    describe_differences(&differ)
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
        meta.inputs = inputs::write(out, &plan.inputs)?;
        output::write_atomic(&out.join(PARTIAL_META), &output::json_bytes(&meta)?)?;
        output::write_atomic(&partial, &output::named_rows_bytes::<SweepRow>(&header, [])?)?;
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
    let fresh: Vec<Vec<SweepRow>> = todo
        .par_iter()
        .map(|(replicate, points)| -> Result<Vec<SweepRow>> {
            let rows = plan.rows(*replicate, points);
            let bytes = output::named_rows_append_bytes(&header, &rows)?;
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
    let fresh: Vec<SweepRow> = fresh.into_iter().flatten().collect();
    let ran = fresh.len();
    done.extend(fresh);
    let points = finish(out, &header, done, &meta, shard.is_none())?;
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_file(out.join(PARTIAL_META));
    Ok(Finished {
        dir: out.to_path_buf(),
        ran,
        resumed,
        points,
    })
}

/// How a resumed sweep differs from the one started: [`SweepFile::differences`], plus the shard.
fn resume_differences(earlier: &SweepFile, now: &SweepFile) -> Vec<String> {
    let mut d = earlier.differences(now);
    if earlier.shard != now.shard {
        d.push("shard".into());
    }
    d
}

/// The differing fields of two sweeps, in words a user can act on.
fn describe_differences(fields: &[String]) -> String {
    fields
        .iter()
        .map(|f| match f.as_str() {
            "scenario_digest" => {
                "scenario contents (scenario_digest: the file, a base it extends, or an override changed)".to_string()
            }
            "model_build" => "program builds (model_build: the code changed)".to_string(),
            other => other.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Sorts rows and writes sweep.csv, sweep_summary.csv (when `with_summary`) and sweep.json last;
/// returns the per-point summary for the terminal.
fn finish(
    out: &Path,
    header: &[String],
    mut rows: Vec<SweepRow>,
    meta: &SweepFile,
    with_summary: bool,
) -> Result<Vec<PointRow>> {
    rows.sort_by_key(|r| (r.point, r.replicate));
    rows.dedup_by_key(|r| (r.point, r.replicate));
    let csv = output::named_rows_bytes(header, &rows)?;
    output::write_atomic(&out.join("sweep.csv"), &csv)?;
    let meta = &SweepFile {
        rows_digest: files::sha256_hex(&csv),
        ..meta.clone()
    };
    let points = summarise(meta, &rows);
    if with_summary {
        let point_header = output::column_names(&PointRow {
            point: 0,
            values: meta.point_values(0),
            replicates: 0,
            stats: outcome_stats(std::iter::empty()),
        });
        output::write_atomic(
            &out.join("sweep_summary.csv"),
            &output::named_rows_bytes(&point_header, &points)?,
        )?;
    }
    output::write_atomic(&out.join("sweep.json"), &output::json_bytes(meta)?)?;
    Ok(points)
}

/// One row per grid point: the point, its key values, the replicates, then mean, CI and quantiles
/// of each key outcome.
fn summarise(meta: &SweepFile, rows: &[SweepRow]) -> Vec<PointRow> {
    rows.chunk_by(|a, b| a.point == b.point)
        .map(|group| PointRow {
            point: group[0].point,
            values: meta.point_values(group[0].point),
            replicates: group.len(),
            stats: outcome_stats(group.iter().map(|r| &r.summary)),
        })
        .collect()
}

fn read_rows(path: &Path, meta: &SweepFile, header: &[String]) -> Result<Vec<SweepRow>> {
    // Every row siege writes ends with a newline: a file that does not was cut short (a truncated
    // copy), and its last row may read as a smaller but valid number.
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    if bytes.last() != Some(&b'\n') {
        bail!(
            "{} is truncated (its last row does not end with a newline); copy the shard again",
            path.display()
        );
    }
    let got = csv_header(path)?;
    if got != header {
        bail!("{} has different columns from this sweep", path.display());
    }
    let (_, rows) = output::read_named_rows(path, |h, rec| SweepRow::read(meta, h, rec))
        .with_context(|| format!("{} has a malformed row", path.display()))?;
    Ok(rows)
}

fn csv_header(path: &Path) -> Result<Vec<String>> {
    Ok(csv::Reader::from_path(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .headers()?
        .iter()
        .map(str::to_string)
        .collect())
}

/// Rows an interrupted run finished. A last line cut short by the interruption is dropped and the
/// file truncated to the last whole row, so appending continues cleanly.
fn read_partial(path: &Path, meta: &SweepFile, header: &[String]) -> Result<Vec<SweepRow>> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        bail!(
            "--resume: {} is not a regular file (a symlink?); refusing to append to it",
            path.display()
        );
    }
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
            .and_then(|rec| SweepRow::read(meta, header, &rec).ok())
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
    let mut metas: Vec<SweepFile> = Vec::new();
    for p in parts {
        if !p.is_dir() {
            bail!("merge: {} does not exist or is not a directory", p.display());
        }
        let path = p.join("sweep.json");
        if !path.exists() {
            if p.join(PARTIAL_META).exists() {
                bail!(
                    "{} is an unfinished shard (no sweep.json); finish it with --resume",
                    p.display()
                );
            }
            bail!("{} holds no sweep (no sweep.json)", p.display());
        }
        metas.push(output::read_json(&path).with_context(|| format!("{} is damaged", path.display()))?);
    }
    let count = metas[0]
        .shard
        .with_context(|| format!("{} is not a shard (run with --shard K/N)", parts[0].display()))?
        .count;
    let base = SweepFile {
        shard: None,
        ..metas[0].clone()
    };
    let mut seen = BTreeSet::new();
    for (p, m) in parts.iter().zip(&metas) {
        let shard = m.shard.with_context(|| format!("{} is not a shard", p.display()))?;
        let differ = m.differences(&base);
        if !differ.is_empty() {
            bail!(
                "{} comes from a different sweep than {} (their {} differ); refusing to combine them",
                p.display(),
                parts[0].display(),
                describe_differences(&differ)
            );
        }
        if shard.count != count {
            bail!(
                "{} was split into {} shards, {} into {count}",
                p.display(),
                shard.count,
                parts[0].display()
            );
        }
        if !seen.insert(shard.index) {
            bail!("shard {}/{count} is given twice", shard.index);
        }
        // The rows must be the ones the shard wrote: a part edited, cut short or forged since
        // (a copy that lost its end, a changed number) is refused, not merged.
        let csv = p.join("sweep.csv");
        let bytes = std::fs::read(&csv).with_context(|| format!("cannot read {}", csv.display()))?;
        if files::sha256_hex(&bytes) != m.rows_digest {
            bail!(
                "{} does not match the rows_digest of its sweep.json: it was edited, truncated or forged since the shard wrote it; copy the shard again",
                csv.display()
            );
        }
    }
    let missing: Vec<String> = (0..count)
        .filter(|k| !seen.contains(k))
        .map(|k| format!("{k}/{count}"))
        .collect();
    if !missing.is_empty() {
        bail!("merge: shard(s) {} missing; all {count} are needed", missing.join(", "));
    }
    // Every part's stored inputs (the same files, once, when the parts were run from the same).
    let mut read = Vec::new();
    for (p, m) in parts.iter().zip(&metas) {
        read.extend(inputs::read_all(p, &m.inputs).with_context(|| format!("{} is damaged", p.display()))?);
    }
    let header = csv_header(&parts[0].join("sweep.csv"))?;
    let mut rows = Vec::new();
    for p in parts {
        rows.extend(read_rows(&p.join("sweep.csv"), &base, &header)?);
    }
    let expected = base.points as u64 * u64::from(base.replicates);
    let distinct: BTreeSet<(usize, u32)> = rows.iter().map(|r| (r.point, r.replicate)).collect();
    if distinct.len() as u64 != expected || rows.len() as u64 != expected {
        bail!(
            "merge: the parts hold {} rows ({} distinct), the sweep has {expected}; a part is incomplete or repeated",
            rows.len(),
            distinct.len()
        );
    }
    output::prepare_dir(out, force)?;
    let base = SweepFile {
        inputs: inputs::write(out, &read)?,
        ..base
    };
    let points = finish(out, &header, rows, &base, true)?;
    Ok(Finished {
        dir: out.to_path_buf(),
        ran: 0,
        resumed: expected as usize,
        points,
    })
}
