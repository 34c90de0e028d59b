//! `siege optimise --shard K/N --parts DIR`: the search split across machines, step by step.
//!
//! Successive halving decides each step's runs from the outcomes of the earlier steps, so a shard
//! cannot run ahead on its own. Every shard replays the search from the parts already in `DIR`
//! (a directory all shards share): the steps whose parts are all there are read, not run; at the
//! first step that is incomplete, shard K runs the tasks whose index ≡ K (mod N) in that step's
//! task list (the same list in every process: it follows from the earlier outcomes alone) and
//! writes them as `DIR/step-S/shard-K-of-N.csv` with a `.json` beside it, then stops. Running the
//! N shards again moves the search one step on; when a shard finds every step complete it writes
//! `DIR/complete`. `siege optimise FILE --parts DIR` (no `--shard`) then replays the whole search
//! from the parts and writes the result: the same bytes as one machine's run, since every
//! decision and every file is a function of the same summaries (read back exactly as written).
//!
//! A part is refused (with its path and what differs) when it comes from another build, another
//! search (optimise file, scenario, seed or settings), another shard count, was edited since it
//! was written, or does not hold exactly the runs its step and shard should.

use super::optimise::{Plan, Task, run_tasks};
use super::sweep::Shard;
use crate::observe::Summary;
use crate::observe::files::{self, ShardFile};
use crate::output;
use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The file a shard writes when it finds the whole search done.
pub const COMPLETE: &str = "complete";

/// The `.json` beside each part.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartFile {
    pub program: String,
    pub version: String,
    pub model_build: String,
    /// [`search_digest`] of the search the part belongs to.
    pub search_digest: String,
    pub step: usize,
    pub shard: ShardFile,
    pub runs: usize,
    /// SHA-256 of the part's CSV bytes.
    pub rows_digest: String,
}

/// What identifies a search: every candidate's and doing nothing's resolved scenario (seed
/// included), the outcome, the budget and the halving settings.
pub fn search_digest(plan: &Plan) -> String {
    let s = &plan.spec;
    let text = format!(
        "{}\noutcome={}\nbudget_tonnes={:?}\nbudget_cost={:?}\nstart={}\nmax={}\nfinalists={}",
        plan.digest(),
        s.outcome.name,
        s.budget_tonnes,
        s.budget_cost,
        s.start_replicates,
        s.max_replicates,
        s.finalists
    );
    files::sha256_hex(text.as_bytes())
}

fn part_name(shard: Shard) -> String {
    format!("shard-{}-of-{}", shard.index, shard.count)
}

fn step_dir(dir: &Path, step: usize) -> PathBuf {
    dir.join(format!("step-{step}"))
}

/// The columns of a part: the scenario (a candidate's grid point, empty for doing nothing), the
/// replicate, its seed, then every summary column.
fn header(plan: &Plan) -> Vec<String> {
    let mut h: Vec<String> = ["point", "replicate", "seed"].map(String::from).to_vec();
    h.extend(Summary::column_names(plan.scenarios[0].location_ids(), wealth(plan)));
    h
}

/// Whether the parts carry the wealth groups' columns (`[market]` on in any scenario), as a
/// sweep's rows do.
fn wealth(plan: &Plan) -> bool {
    plan.scenarios.iter().any(|s| s.market().enabled)
}

/// One part as read: its shard and its runs by (scenario index, replicate).
struct Part {
    path: PathBuf,
    shard: u32,
    runs: BTreeMap<(usize, u32), Summary>,
}

/// The parts in `dir`, by step, checked against this search; the shard count they share.
pub struct Parts {
    dir: PathBuf,
    steps: BTreeMap<usize, Vec<Part>>,
    count: Option<u32>,
}

impl Parts {
    /// Reads every part in `dir` (none if it does not exist).
    pub fn read(plan: &Plan, dir: &Path) -> Result<Parts> {
        let digest = search_digest(plan);
        let head = header(plan);
        let mut steps: BTreeMap<usize, Vec<Part>> = BTreeMap::new();
        let mut count: Option<(u32, PathBuf)> = None;
        let mut errors: Vec<String> = Vec::new();
        let entries = match std::fs::read_dir(dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Parts {
                    dir: dir.to_path_buf(),
                    steps,
                    count: None,
                });
            }
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
        };
        let mut jsons: Vec<PathBuf> = Vec::new();
        for e in entries {
            let p = e?.path();
            if p.is_dir()
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with("step-"))
            {
                for f in std::fs::read_dir(&p)? {
                    let f = f?.path();
                    if f.extension().is_some_and(|x| x == "json") {
                        jsons.push(f);
                    }
                }
            }
        }
        jsons.sort();
        for json in jsons {
            let meta: PartFile = match output::read_json(&json) {
                Ok(m) => m,
                Err(e) => {
                    errors.push(format!("{}: not a part of siege optimise ({e:#})", json.display()));
                    continue;
                }
            };
            if meta.model_build != files::MODEL_BUILD {
                errors.push(format!(
                    "{}: written by another build of siege (model_build {}, this one {}); rerun its step with this build",
                    json.display(),
                    meta.model_build,
                    files::MODEL_BUILD
                ));
                continue;
            }
            if meta.search_digest != digest {
                errors.push(format!(
                    "{}: belongs to another search (the optimise file, its scenario, seed, --set or settings differ); give each search its own --parts directory",
                    json.display()
                ));
                continue;
            }
            match &count {
                Some((n, first)) if *n != meta.shard.count => {
                    errors.push(format!(
                        "{}: split into {} shards, {} into {n}; one search keeps one shard count",
                        json.display(),
                        meta.shard.count,
                        first.display()
                    ));
                    continue;
                }
                None => count = Some((meta.shard.count, json.clone())),
                _ => {}
            }
            let csv = json.with_extension("csv");
            let bytes = match std::fs::read(&csv) {
                Ok(b) => b,
                Err(e) => {
                    errors.push(format!("{}: cannot read it ({e})", csv.display()));
                    continue;
                }
            };
            if files::sha256_hex(&bytes) != meta.rows_digest {
                errors.push(format!(
                    "{}: does not match the rows_digest of its .json: edited, truncated or forged since the shard wrote it; delete both files and rerun the shard",
                    csv.display()
                ));
                continue;
            }
            match read_rows(plan, &head, &bytes) {
                Ok(runs) => steps.entry(meta.step).or_default().push(Part {
                    path: csv,
                    shard: meta.shard.index,
                    runs,
                }),
                Err(e) => errors.push(format!("{}: {e}", csv.display())),
            }
        }
        if !errors.is_empty() {
            bail!("{}", errors.join("\n"));
        }
        Ok(Parts {
            dir: dir.to_path_buf(),
            steps,
            count: count.map(|c| c.0),
        })
    }

    /// The step's summaries in task order when every shard's part is there; else the shards
    /// missing. A part holding other runs than its share of `tasks` is an error.
    fn step(&self, step: usize, tasks: &[Task], count: u32) -> Result<Result<Vec<Vec<Summary>>, Vec<u32>>> {
        let parts = self.steps.get(&step).map(Vec::as_slice).unwrap_or(&[]);
        let mut by_shard: BTreeMap<u32, &Part> = BTreeMap::new();
        for p in parts {
            let share: Vec<(usize, u32)> = tasks
                .iter()
                .enumerate()
                .filter(|(t, _)| *t % count as usize == p.shard as usize)
                .flat_map(|(_, (r, g))| g.iter().map(move |&c| (c, *r)))
                .collect();
            let mut want = share.clone();
            want.sort_unstable();
            let have: Vec<(usize, u32)> = p.runs.keys().copied().collect();
            if want != have {
                bail!(
                    "{}: holds {} runs, not the {} runs of step {step} shard {}/{count}: the parts were written by a different search or by hand; delete {} and rerun from there",
                    p.path.display(),
                    have.len(),
                    want.len(),
                    p.shard,
                    step_dir(&self.dir, step).display()
                );
            }
            by_shard.insert(p.shard, p);
        }
        let missing: Vec<u32> = (0..count).filter(|k| !by_shard.contains_key(k)).collect();
        if !missing.is_empty() {
            return Ok(Err(missing));
        }
        Ok(Ok(tasks
            .iter()
            .enumerate()
            .map(|(t, (r, g))| {
                let part = by_shard[&((t % count as usize) as u32)];
                g.iter().map(|&c| part.runs[&(c, *r)].clone()).collect()
            })
            .collect()))
    }
}

/// Reads a part's rows, keyed by (scenario index, replicate).
fn read_rows(plan: &Plan, head: &[String], bytes: &[u8]) -> Result<BTreeMap<(usize, u32), Summary>, String> {
    let mut reader = csv::ReaderBuilder::new().from_reader(bytes);
    let got: Vec<String> = reader
        .headers()
        .map_err(|e| e.to_string())?
        .iter()
        .map(String::from)
        .collect();
    if got != head {
        return Err("its columns are not those of this search's parts".into());
    }
    let by_point: BTreeMap<usize, usize> = plan.candidates.iter().enumerate().map(|(i, c)| (c.point, i)).collect();
    let mut out = BTreeMap::new();
    for (i, rec) in reader.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let scenario = match rec.get(0).unwrap_or("") {
            "" => plan.nothing(),
            p => p
                .parse::<usize>()
                .ok()
                .and_then(|p| by_point.get(&p).copied())
                .ok_or_else(|| format!("line {line}: point `{p}` is not a candidate of this search"))?,
        };
        let replicate: u32 = rec[1]
            .parse()
            .map_err(|_| format!("line {line}: replicate `{}`", &rec[1]))?;
        let seed: u64 = rec[2].parse().map_err(|_| format!("line {line}: seed `{}`", &rec[2]))?;
        let cells: Vec<&str> = rec.iter().skip(3).collect();
        let s = Summary::from_cells(replicate, seed, &head[3..], &cells).map_err(|e| format!("line {line}: {e}"))?;
        if out.insert((scenario, replicate), s).is_some() {
            return Err(format!("line {line}: the run of replicate {replicate} is there twice"));
        }
    }
    Ok(out)
}

/// The bytes of a part holding these runs.
fn part_bytes(plan: &Plan, runs: &[(usize, Summary)]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header(plan))?;
    for (c, s) in runs {
        let mut rec = vec![
            plan.candidates.get(*c).map(|x| x.point.to_string()).unwrap_or_default(),
            s.replicate.to_string(),
            s.seed.to_string(),
        ];
        let s = if wealth(plan) {
            s.clone().with_wealth()
        } else {
            s.clone()
        };
        rec.extend(s.cells().into_iter().map(|(_, v)| v.text()));
        w.write_record(&rec)?;
    }
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// What a shard did.
#[derive(Clone, Debug, PartialEq)]
pub enum ShardDone {
    /// The search is complete: every step's parts are there.
    Complete { steps: usize },
    /// It ran its share of `step` (`runs` runs); `waiting` lists the shards of that step whose
    /// parts are not there yet.
    Ran {
        step: usize,
        runs: usize,
        waiting: Vec<u32>,
    },
    /// Its share of `step` was already there; the shards `waiting` have not written theirs.
    Waiting { step: usize, waiting: Vec<u32> },
}

/// Runs shard `shard` of the search's first incomplete step into `dir`, and of the next steps as
/// long as it finds the other shards' parts of the step it ran there (with one shard, the whole
/// search); `tick` is called after every model run, `runs_known` with the runs it is about to do.
pub fn run_shard(
    plan: &Plan,
    dir: &Path,
    shard: Shard,
    runs_known: &dyn Fn(u64),
    tick: &(dyn Fn() + Sync),
) -> Result<ShardDone> {
    let mut ran = 0;
    loop {
        match shard_step(plan, dir, shard, runs_known, tick)? {
            ShardDone::Ran { runs, waiting, .. } if waiting.is_empty() => ran += runs,
            ShardDone::Ran { step, runs, waiting } => {
                return Ok(ShardDone::Ran {
                    step,
                    runs: ran + runs,
                    waiting,
                });
            }
            done => return Ok(done),
        }
    }
}

/// One step of [`run_shard`].
fn shard_step(
    plan: &Plan,
    dir: &Path,
    shard: Shard,
    runs_known: &dyn Fn(u64),
    tick: &(dyn Fn() + Sync),
) -> Result<ShardDone> {
    let parts = Parts::read(plan, dir)?;
    if let Some(n) = parts.count
        && n != shard.count
    {
        bail!(
            "{}: its parts were split into {n} shards, not {}; one search keeps one shard count (rerun with --shard K/{n}, or give a new --parts directory)",
            dir.display(),
            shard.count
        );
    }
    let mut outcome: Option<ShardDone> = None;
    let mut source = |step: usize, tasks: &[Task]| -> Result<Option<Vec<Vec<Summary>>>> {
        let missing = match parts.step(step, tasks, shard.count)? {
            Ok(known) => return Ok(Some(known)),
            Err(missing) => missing,
        };
        if !missing.contains(&shard.index) {
            outcome = Some(ShardDone::Waiting { step, waiting: missing });
            return Ok(None);
        }
        let mine: Vec<Task> = tasks
            .iter()
            .enumerate()
            .filter(|(t, _)| *t % shard.count as usize == shard.index as usize)
            .map(|(_, t)| t.clone())
            .collect();
        runs_known(mine.iter().map(|(_, g)| g.len() as u64).sum());
        let out = run_tasks(plan, &mine, tick);
        let mut runs: Vec<(usize, Summary)> = mine
            .iter()
            .zip(out)
            .flat_map(|((_, g), s)| g.iter().copied().zip(s))
            .collect();
        runs.sort_by_key(|(c, s)| (*c, s.replicate));
        let bytes = part_bytes(plan, &runs)?;
        let meta = PartFile {
            program: files::PROGRAM.into(),
            version: files::VERSION.into(),
            model_build: files::MODEL_BUILD.into(),
            search_digest: search_digest(plan),
            step,
            shard: ShardFile {
                index: shard.index,
                count: shard.count,
            },
            runs: runs.len(),
            rows_digest: files::sha256_hex(&bytes),
        };
        let sd = step_dir(dir, step);
        std::fs::create_dir_all(&sd).with_context(|| format!("cannot create {}", sd.display()))?;
        let name = part_name(shard);
        // The CSV first: a part counts only once its .json is there.
        output::write_atomic(&sd.join(format!("{name}.csv")), &bytes)?;
        output::write_atomic(&sd.join(format!("{name}.json")), &output::json_bytes(&meta)?)?;
        let waiting: Vec<u32> = missing.into_iter().filter(|&k| k != shard.index).collect();
        outcome = Some(ShardDone::Ran {
            step,
            runs: runs.len(),
            waiting,
        });
        Ok(None)
    };
    let found = super::optimise::search_with(plan, &mut source)?;
    match (found, outcome) {
        (Some(found), _) => {
            output::write_atomic(&dir.join(COMPLETE), format!("{} steps\n", found.steps).as_bytes())?;
            Ok(ShardDone::Complete { steps: found.steps })
        }
        // The last shard of a step to finish sees the others' parts on the next run.
        (None, Some(done)) => Ok(done),
        (None, None) => unreachable!("the search stops only where a step is incomplete"),
    }
}

/// The whole search, every run read from the parts in `dir`: an error naming the first
/// incomplete step and its missing shards if they are not all there.
pub fn replay(plan: &Plan, dir: &Path) -> Result<super::optimise::Found> {
    if !dir.is_dir() {
        bail!("--parts {}: no such directory", dir.display());
    }
    let parts = Parts::read(plan, dir)?;
    let Some(count) = parts.count else {
        bail!(
            "--parts {}: holds no part of this search; run the shards first (--shard K/N --parts {})",
            dir.display(),
            dir.display()
        );
    };
    let mut stopped: Option<(usize, Vec<u32>)> = None;
    let mut source = |step: usize, tasks: &[Task]| -> Result<Option<Vec<Vec<Summary>>>> {
        match parts.step(step, tasks, count)? {
            Ok(known) => Ok(Some(known)),
            Err(missing) => {
                stopped = Some((step, missing));
                Ok(None)
            }
        }
    };
    match super::optimise::search_with(plan, &mut source)? {
        Some(found) => Ok(found),
        None => {
            let (step, missing) = stopped.unwrap_or_default();
            let names: Vec<String> = missing.iter().map(|k| format!("{k}/{count}")).collect();
            bail!(
                "--parts {}: the search is not complete: step {step} lacks shard(s) {}; run all {count} shards again (--shard K/{count} --parts {}) until they report it complete",
                dir.display(),
                names.join(", "),
                dir.display()
            )
        }
    }
}
