//! Global sensitivity analysis (`siege sensitivity`, issue 20): which of the scenario's uncertain
//! parameters (`[[uncertain]]`) drive an outcome, or a decision (the paired difference between two
//! plans).
//!
//! A design is a list of points of the unit cube, one coordinate per parameter; each coordinate is
//! mapped through its parameter's quantile function ([`super::uncertain::values_at`]), so a
//! uniform range is spread evenly and any other distribution by its own weight. The model output
//! of a point is the mean outcome over replicates 0..R, which every point shares (common random
//! numbers: replicate r draws from stream r whatever the parameters).
//!
//! - **Morris** elementary effects (Morris 1991, with the sign-randomised trajectories and μ* of
//!   Campolongo, Cariboni & Saltelli 2007): r trajectories of k + 1 points on a grid of p levels,
//!   each step moving one parameter by Δ = p / (2(p − 1)). μ* (mean absolute effect) ranks, σ
//!   flags interactions or non-linearity. An effect is in output units per whole unit-cube range.
//! - **Sobol'** first-order S_i and total S_Ti indices from Saltelli's scheme (Saltelli et al. 2010,
//!   Comput. Phys. Commun. 181:259): matrices A and B from a 2k-dimensional Sobol' sequence (Joe–Kuo
//!   direction numbers, the `sobol` crate; its first point, the origin, skipped), and A_B^(i) (A
//!   with column i from B); N(k + 2) points. S_i by Saltelli 2010's estimator
//!   mean((f_B − f₀)(f_ABi − f_A)) / V, S_Ti by Jansen's mean((f_A − f_ABi)²) / 2V, V the variance
//!   and f₀ the mean of f_A and f_B together. Centring f_B on f₀ leaves the expectation of the S_i
//!   estimator unchanged (E[f_ABi − f_A] = 0) and removes the part of its variance that grows with
//!   the square of the output's mean: deaths in the hundreds varying by tens would otherwise need
//!   many times more samples. 95 % intervals are percentiles of a bootstrap over the N base samples.
//!
//! Every random choice (Morris starting points and directions, bootstrap resamples) comes from the
//! scenario seed's stream [`SENSITIVITY_STREAM`], which no replicate uses.

use super::stats::quantile_sorted;
use super::uncertain;
use crate::model::rng::{self, Stream};
use crate::model::{RunInput, Setup, World, population};
use crate::observe::Outcome;
use crate::observe::files::RunFile;
use crate::scenario::Scenario;
use crate::scenario::uncertain::UncertainParams;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

/// The stream (in a replicate's place) of the design and bootstrap draws: far above any replicate
/// number, so an analysis moves no draw of any run.
pub const SENSITIVITY_STREAM: u64 = 1 << 62;
const DESIGN_SUBSTREAM: u64 = 0;
const BOOTSTRAP_SUBSTREAM: u64 = 1;

/// Where a design point stands in its design.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Role {
    /// The first point of a Morris trajectory.
    Start,
    /// A Morris step moving parameter `factor` by `delta` (±Δ in the unit cube).
    Step { factor: usize, delta: f64 },
    /// Row of Saltelli's matrix A.
    A,
    /// Row of Saltelli's matrix B.
    B,
    /// Row of A with column `i` from B.
    AB(usize),
}

/// One point of a design.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// Coordinates in [0, 1], one per parameter.
    pub unit: Vec<f64>,
    /// The Morris trajectory, or the Sobol' base sample, it belongs to.
    pub group: u32,
    pub role: Role,
}

impl Role {
    /// Its name in samples.csv, given the parameters' keys: `start`, `step:KEY`, `A`, `B`, `AB:KEY`.
    pub fn label(&self, keys: &[String]) -> String {
        match self {
            Role::Start => "start".into(),
            Role::Step { factor, .. } => format!("step:{}", keys[*factor]),
            Role::A => "A".into(),
            Role::B => "B".into(),
            Role::AB(i) => format!("AB:{}", keys[*i]),
        }
    }
}

/// Morris trajectories: `trajectories` × (k + 1) points on a grid of `levels` (even, ≥ 2) levels.
pub fn morris_design(k: usize, trajectories: u32, levels: u32, seed: u64) -> Vec<Point> {
    let mut rng = rng::stream(seed, SENSITIVITY_STREAM, DESIGN_SUBSTREAM);
    let p = f64::from(levels);
    let delta = p / (2.0 * (p - 1.0));
    let mut points = Vec::with_capacity(trajectories as usize * (k + 1));
    for t in 0..trajectories {
        // A base level in the lower half of the grid and a direction for each parameter: the
        // parameter runs between base and base + Δ, up or down.
        let mut x = Vec::with_capacity(k);
        let mut dir = Vec::with_capacity(k);
        for _ in 0..k {
            let base = rng::below(&mut rng, (levels / 2) as usize) as f64 / (p - 1.0);
            let up = rng::uniform(&mut rng) < 0.5;
            x.push(if up { base } else { base + delta });
            dir.push(if up { delta } else { -delta });
        }
        let mut order: Vec<usize> = (0..k).collect();
        // Fisher–Yates: the order in which the parameters move.
        for i in (1..k).rev() {
            order.swap(i, rng::below(&mut rng, i + 1));
        }
        points.push(Point {
            unit: x.clone(),
            group: t,
            role: Role::Start,
        });
        for &i in &order {
            x[i] = (x[i] + dir[i]).clamp(0.0, 1.0);
            points.push(Point {
                unit: x.clone(),
                group: t,
                role: Role::Step {
                    factor: i,
                    delta: dir[i],
                },
            });
        }
    }
    points
}

/// Saltelli's design for k parameters and `n` base samples: per base sample j, the rows A_j, B_j,
/// then A_B^(i)_j for each i.
pub fn saltelli_design(k: usize, n: u32) -> Vec<Point> {
    let params = sobol::params::JoeKuoD6::standard();
    let seq = sobol::Sobol::<f64>::new(2 * k, &params);
    let mut points = Vec::with_capacity(n as usize * (k + 2));
    for (j, q) in seq.skip(1).take(n as usize).enumerate() {
        let (a, b) = q.split_at(k);
        let group = j as u32;
        points.push(Point {
            unit: a.to_vec(),
            group,
            role: Role::A,
        });
        points.push(Point {
            unit: b.to_vec(),
            group,
            role: Role::B,
        });
        for i in 0..k {
            let mut ab = a.to_vec();
            ab[i] = b[i];
            points.push(Point {
                unit: ab,
                group,
                role: Role::AB(i),
            });
        }
    }
    points
}

/// A statistic with its 95 % bootstrap interval.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub lo: f64,
    pub hi: f64,
}

/// Morris indices of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MorrisIndex {
    /// Mean elementary effect (signed: effects of opposite sign cancel).
    pub mu: f64,
    /// Mean absolute elementary effect, with a bootstrap interval over trajectories.
    pub mu_star: Estimate,
    /// Standard deviation of the elementary effects (n − 1).
    pub sigma: f64,
}

/// Sobol' indices of one parameter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SobolIndex {
    pub s1: Estimate,
    pub st: Estimate,
}

/// The elementary effects of each parameter, one per trajectory, from a Morris design's outputs.
fn elementary_effects(design: &[Point], y: &[f64], k: usize) -> Vec<Vec<f64>> {
    let mut ee = vec![Vec::new(); k];
    for (i, p) in design.iter().enumerate() {
        if let Role::Step { factor, delta } = p.role {
            ee[factor].push((y[i] - y[i - 1]) / delta);
        }
    }
    ee
}

/// Morris indices from a [`morris_design`] and its outputs `y` (one per point); μ*'s interval from
/// `bootstrap` resamples of the trajectories (none when 0).
pub fn morris_indices(design: &[Point], y: &[f64], k: usize, bootstrap: u32, seed: u64) -> Vec<MorrisIndex> {
    let ee = elementary_effects(design, y, k);
    let r = ee.first().map_or(0, Vec::len);
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mean_abs = |v: &[f64], idx: &mut dyn Iterator<Item = usize>| {
        let (mut s, mut n) = (0.0, 0usize);
        for j in idx {
            s += v[j].abs();
            n += 1;
        }
        s / n as f64
    };
    let resamples = resamples(r, bootstrap, seed);
    ee.iter()
        .map(|v| {
            let mu = mean(v);
            let sigma = if v.len() > 1 {
                (v.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (v.len() - 1) as f64).sqrt()
            } else {
                f64::NAN
            };
            let mu_star = mean_abs(v, &mut (0..v.len()));
            let boot: Vec<f64> = resamples
                .iter()
                .map(|idx| mean_abs(v, &mut idx.iter().copied()))
                .collect();
            MorrisIndex {
                mu,
                mu_star: interval(mu_star, boot),
                sigma,
            }
        })
        .collect()
}

/// `count` resamples (with replacement) of 0..n, from the bootstrap sub-stream.
fn resamples(n: usize, count: u32, seed: u64) -> Vec<Vec<usize>> {
    let mut rng: Stream = rng::stream(seed, SENSITIVITY_STREAM, BOOTSTRAP_SUBSTREAM);
    if n == 0 {
        return Vec::new();
    }
    (0..count)
        .map(|_| (0..n).map(|_| rng::below(&mut rng, n)).collect())
        .collect()
}

/// A value with the 2.5 % and 97.5 % quantiles of its bootstrap replicates (NaN without any).
fn interval(value: f64, mut boot: Vec<f64>) -> Estimate {
    boot.retain(|x| x.is_finite());
    boot.sort_by(f64::total_cmp);
    Estimate {
        value,
        lo: quantile_sorted(&boot, 0.025),
        hi: quantile_sorted(&boot, 0.975),
    }
}

/// S_i and S_Ti of each parameter over the base samples `rows`, from the outputs `y` of a
/// [`saltelli_design`] for k parameters.
fn sobol_estimates(y: &[f64], k: usize, rows: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let w = k + 2;
    let n = rows.len() as f64;
    let (fa, fb): (Vec<f64>, Vec<f64>) = rows.iter().map(|&j| (y[j * w], y[j * w + 1])).unzip();
    let all_mean = (fa.iter().sum::<f64>() + fb.iter().sum::<f64>()) / (2.0 * n);
    let var = fa.iter().chain(&fb).map(|v| (v - all_mean).powi(2)).sum::<f64>() / (2.0 * n);
    let mut s1 = Vec::with_capacity(k);
    let mut st = Vec::with_capacity(k);
    for i in 0..k {
        let (mut first, mut total) = (0.0, 0.0);
        for (r, &j) in rows.iter().enumerate() {
            let fab = y[j * w + 2 + i];
            first += (fb[r] - all_mean) * (fab - fa[r]);
            total += (fa[r] - fab).powi(2);
        }
        s1.push(first / n / var);
        st.push(total / (2.0 * n) / var);
    }
    (s1, st)
}

/// Sobol' indices from the outputs `y` of a [`saltelli_design`] of k parameters and `n` base
/// samples; intervals from `bootstrap` resamples of the base samples (none when 0). With no
/// variance in the outputs at all, every index is NaN (nothing to apportion).
pub fn sobol_indices(y: &[f64], k: usize, n: usize, bootstrap: u32, seed: u64) -> Vec<SobolIndex> {
    let all: Vec<usize> = (0..n).collect();
    let (s1, st) = sobol_estimates(y, k, &all);
    let boots: Vec<(Vec<f64>, Vec<f64>)> = resamples(n, bootstrap, seed)
        .iter()
        .map(|rows| sobol_estimates(y, k, rows))
        .collect();
    (0..k)
        .map(|i| SobolIndex {
            s1: interval(s1[i], boots.iter().map(|b| b.0[i]).collect()),
            st: interval(st[i], boots.iter().map(|b| b.1[i]).collect()),
        })
        .collect()
}

/// What is analysed: an outcome of the scenario, or of the scenario minus a second plan.
pub struct Model<'a> {
    pub plan: &'a Scenario,
    /// The plan compared with, when the output is a decision: same `[[uncertain]]` keys.
    pub versus: Option<&'a Scenario>,
    pub outcome: Outcome,
    /// Replicates 0..R per point and plan.
    pub replicates: u32,
}

/// The model's output at one design point.
#[derive(Clone, Debug, PartialEq)]
pub struct Sample {
    /// The parameter values run (after each entry's quantile and rounding).
    pub values: Vec<f64>,
    /// Mean outcome of the plan over the replicates.
    pub plan: f64,
    /// Mean outcome of the versus plan, when there is one.
    pub versus: Option<f64>,
    /// The point's runs (of either plan) that were not made again: the same runs as another
    /// point's of its group, whose outcomes they took (`RunInput`).
    pub runs_reused: u64,
}

/// One task's mean outcome, and whether its runs were another task's.
#[derive(Clone, Copy)]
struct TaskMean {
    mean: f64,
    reused: bool,
}

impl Sample {
    /// The analysed output: the plan's mean, or the mean paired difference plan − versus.
    pub fn output(&self) -> f64 {
        self.plan - self.versus.unwrap_or(0.0)
    }
}

impl Model<'_> {
    /// Runs every point of the design (in parallel; the result does not depend on the thread
    /// count). `tick` is called after each run (one replicate of one plan). An invalid
    /// combination of values is reported with the point and the values.
    ///
    /// The points of a group (a Morris trajectory, a Sobol' base sample) are run together, so that
    /// those whose values leave the population's draw as it is (`population::Inputs`: in
    /// Saltelli's design, A and every A_B^(i) whose parameter the draw does not read) draw each
    /// replicate's population once; the runs are the same to the last bit as drawing it each time.
    pub fn evaluate(&self, design: &[Point], tick: &(dyn Fn() + Sync)) -> Result<Vec<Sample>, String> {
        let arms = 1 + usize::from(self.versus.is_some());
        let tasks: Vec<(usize, usize)> = (0..design.len()).flat_map(|i| (0..arms).map(move |a| (i, a))).collect();
        // Consecutive tasks of one group.
        let groups: Vec<&[(usize, usize)]> = tasks.chunk_by(|x, y| design[x.0].group == design[y.0].group).collect();
        let means: Vec<Result<TaskMean, String>> = groups
            .par_iter()
            .flat_map_iter(|group| self.group_means(design, group, tick))
            .collect();
        let mut out = Vec::with_capacity(design.len());
        let mut means = means.into_iter();
        let runs = u64::from(self.replicates);
        for p in design {
            let plan = means.next().expect("one result per task")?;
            let versus = if arms == 2 {
                Some(means.next().expect("one result per task")?)
            } else {
                None
            };
            out.push(Sample {
                values: uncertain::values_at(self.plan, &p.unit),
                plan: plan.mean,
                versus: versus.map(|v| v.mean),
                runs_reused: [Some(plan), versus].iter().flatten().filter(|m| m.reused).count() as u64 * runs,
            });
        }
        Ok(out)
    }

    /// The mean outcome over replicates 0..R of each task (point, arm) of a group, in task order.
    /// A task with the same `RunInput` as an earlier one of the group takes its outcomes.
    /// Each distinct population is drawn once per replicate and copied to the runs that share it;
    /// each draw is made in its replicate's task and dropped after its runs, so a large world holds
    /// one drawn population per replicate under way besides the running worlds, not a group's all.
    fn group_means(
        &self,
        design: &[Point],
        group: &[(usize, usize)],
        tick: &(dyn Fn() + Sync),
    ) -> Vec<Result<TaskMean, String>> {
        let runs: Vec<Result<Scenario, String>> = group
            .par_iter()
            .map(|&(i, a)| {
                let s = if a == 0 {
                    self.plan
                } else {
                    self.versus.expect("two arms")
                };
                s.with_drawn(&uncertain::values_at(s, &design[i].unit))
                    .map_err(|e| format!("sample {i}{}: {e}", if a == 1 { " (versus)" } else { "" }))
            })
            .collect();
        // A task whose run input an earlier task of the group has is the same run (`RunInput`):
        // it takes that task's outcomes and runs nothing.
        let run_inputs: Vec<Option<RunInput>> =
            runs.par_iter().map(|run| run.as_ref().ok().map(RunInput::of)).collect();
        let same_as: Vec<Option<usize>> = (0..runs.len())
            .map(|task| {
                let mine = run_inputs[task].as_ref()?;
                (0..task).find(|&t| run_inputs[t].as_ref() == Some(mine))
            })
            .collect();
        let setups: Vec<Option<Setup>> = runs
            .par_iter()
            .zip(&same_as)
            .map(|(run, same)| run.as_ref().ok().filter(|_| same.is_none()).map(Setup::new))
            .collect();
        // The distinct populations' inputs, each with the tasks that draw it.
        let mut inputs: Vec<(population::Inputs, Vec<usize>)> = Vec::new();
        for (task, run) in runs.iter().enumerate() {
            let Ok(run) = run else { continue };
            if same_as[task].is_some() {
                continue;
            }
            let mine = population::Inputs::of(run);
            match inputs.iter_mut().find(|(i, _)| *i == mine) {
                Some((_, tasks)) => tasks.push(task),
                None => inputs.push((mine, vec![task])),
            }
        }
        // Each task's outcome in each replicate.
        let mut outcomes = vec![vec![0.0; self.replicates as usize]; runs.len()];
        for (i, tasks) in &inputs {
            let by_replicate: Vec<Vec<f64>> = (0..self.replicates)
                .into_par_iter()
                .map(|r| {
                    let drawn = population::Drawn::new(i, r);
                    tasks
                        .par_iter()
                        .map(|&task| {
                            let setup = setups[task].as_ref().expect("a valid scenario has its set-up");
                            let out = super::run_world(World::from_drawn(setup, drawn.clone()), false, &|| {})
                                .summary
                                .outcome(self.outcome);
                            tick();
                            out
                        })
                        .collect()
                })
                .collect();
            for (r, outs) in by_replicate.into_iter().enumerate() {
                for (&task, out) in tasks.iter().zip(outs) {
                    outcomes[task][r] = out;
                }
            }
        }
        for (task, same) in same_as.iter().enumerate() {
            if let &Some(first) = same {
                outcomes[task] = outcomes[first].clone();
                (0..self.replicates).for_each(|_| tick());
            }
        }
        runs.into_iter()
            .zip(outcomes)
            .zip(same_as)
            .map(|((run, outcomes), same)| {
                run?;
                // Summed in replicate order, as each run's alone.
                let total: f64 = outcomes.into_iter().sum();
                Ok(TaskMean {
                    mean: total / f64::from(self.replicates),
                    reused: same.is_some(),
                })
            })
            .collect()
    }

    /// Runs, in all, of a design of `points` points.
    pub fn runs(&self, points: usize) -> u64 {
        points as u64 * u64::from(self.replicates) * (1 + u64::from(self.versus.is_some()))
    }
}

/// Which analysis, with its size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Method {
    Morris,
    Sobol,
}

/// A row of `sensitivity.csv`: one parameter's indices (docs/outputs.md). Morris fills `mu` to
/// `sigma`, Sobol' `s1` to `st_hi`; the other method's cells are empty. Rows are ranked by μ* or
/// S_Ti, largest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitivityRow {
    pub rank: u32,
    pub key: String,
    pub distribution: String,
    pub low: f64,
    pub high: f64,
    pub mu: Option<f64>,
    pub mu_star: Option<f64>,
    pub mu_star_lo: Option<f64>,
    pub mu_star_hi: Option<f64>,
    pub sigma: Option<f64>,
    pub s1: Option<f64>,
    pub s1_lo: Option<f64>,
    pub s1_hi: Option<f64>,
    pub st: Option<f64>,
    pub st_lo: Option<f64>,
    pub st_hi: Option<f64>,
}

impl SensitivityRow {
    /// The statistic rows are ranked (and the tornado chart's bars drawn) by: μ* or S_Ti.
    pub fn main(&self) -> Estimate {
        match (self.st, self.mu_star) {
            (Some(st), _) => Estimate {
                value: st,
                lo: self.st_lo.unwrap_or(f64::NAN),
                hi: self.st_hi.unwrap_or(f64::NAN),
            },
            (None, m) => Estimate {
                value: m.unwrap_or(f64::NAN),
                lo: self.mu_star_lo.unwrap_or(f64::NAN),
                hi: self.mu_star_hi.unwrap_or(f64::NAN),
            },
        }
    }
}

/// The rows of `sensitivity.csv` for the entries `params`, ranked.
pub fn rows_of(
    params: &[UncertainParams],
    morris: Option<&[MorrisIndex]>,
    sobol: Option<&[SobolIndex]>,
) -> Vec<SensitivityRow> {
    let finite = |x: f64| x.is_finite().then_some(x);
    let mut rows: Vec<SensitivityRow> = params
        .iter()
        .enumerate()
        .map(|(i, u)| {
            let m = morris.map(|m| m[i]);
            let s = sobol.map(|s| s[i]);
            SensitivityRow {
                rank: 0,
                key: u.key.clone(),
                distribution: format!("{:?}", u.distribution).to_lowercase(),
                low: u.low,
                high: u.high,
                mu: m.and_then(|m| finite(m.mu)),
                mu_star: m.and_then(|m| finite(m.mu_star.value)),
                mu_star_lo: m.and_then(|m| finite(m.mu_star.lo)),
                mu_star_hi: m.and_then(|m| finite(m.mu_star.hi)),
                sigma: m.and_then(|m| finite(m.sigma)),
                s1: s.and_then(|s| finite(s.s1.value)),
                s1_lo: s.and_then(|s| finite(s.s1.lo)),
                s1_hi: s.and_then(|s| finite(s.s1.hi)),
                st: s.and_then(|s| finite(s.st.value)),
                st_lo: s.and_then(|s| finite(s.st.lo)),
                st_hi: s.and_then(|s| finite(s.st.hi)),
            }
        })
        .collect();
    // Largest first; ties (and NaN, last) keep the file order.
    rows.sort_by(|a, b| {
        let key = |r: &SensitivityRow| {
            let v = r.main().value;
            if v.is_finite() { -v } else { f64::INFINITY }
        };
        key(a).total_cmp(&key(b))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.rank = i as u32 + 1;
    }
    rows
}

/// `sensitivity.json`: how the analysis was made, enough to redo it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SensitivityFile {
    pub program: String,
    pub version: String,
    pub model_build: String,
    /// The command line as typed.
    pub command: Vec<String>,
    pub method: Method,
    /// Morris trajectories r, or Sobol' base samples N.
    pub samples: u32,
    /// Morris grid levels p (absent for Sobol').
    #[serde(default)]
    pub levels: Option<u32>,
    pub bootstrap: u32,
    /// The outcome's `summary.csv` column.
    pub outcome: String,
    /// Whether the output is the paired difference plan − versus.
    pub difference: bool,
    pub seed: u64,
    /// Replicates per design point and plan.
    pub replicates: u32,
    /// Design points, and model runs in all.
    pub points: u64,
    pub runs: u64,
    /// Of `runs`, those not made again: the same runs as another point's (`RunInput`).
    #[serde(default)]
    pub runs_reused: u64,
    /// The parameters with their ranges, in the scenario's order (samples.csv's columns).
    pub parameters: Vec<UncertainParams>,
    /// The plan as `siege run` would record it (resolved scenario, its digest, the overrides).
    pub scenario: RunFile,
    /// The plan compared with, for a decision.
    #[serde(default)]
    pub versus: Option<RunFile>,
    /// How the tables and charts name the versus plan: its scenario name, or the plan's name with
    /// the `--versus-set` changes.
    #[serde(default)]
    pub versus_label: Option<String>,
    /// The keys of the entries not applied to the versus plan, which has no element they name
    /// (`airdrops.0.usable_fraction` against doing nothing, `airdrops=[]`): drawn for the plan only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versus_not_applied: Vec<String>,
    /// The input files read, stored in the result's `inputs/` ([`crate::output::inputs`]);
    /// absent when none were stored (an older siege's result).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<crate::output::inputs::InputFile>,
}

/// `samples.csv`: each design point's parameter values and outputs, so the analysis can be redone
/// elsewhere (docs/outputs.md).
pub fn samples_csv(design: &[Point], samples: &[Sample], keys: &[String]) -> anyhow::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = vec!["sample".into(), "group".into(), "role".into()];
    header.extend(keys.iter().cloned());
    header.extend(["plan".into(), "versus".into(), "output".into()]);
    w.write_record(&header)?;
    for (i, (p, s)) in design.iter().zip(samples).enumerate() {
        let mut rec = vec![i.to_string(), p.group.to_string(), p.role.label(keys)];
        rec.extend(s.values.iter().map(f64::to_string));
        rec.push(s.plan.to_string());
        rec.push(s.versus.map(|v| v.to_string()).unwrap_or_default());
        rec.push(s.output().to_string());
        w.write_record(&rec)?;
    }
    crate::output::csv_finish(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    /// The Ishigami function (a = 7, b = 0.1) of three parameters uniform on [−π, π], from the
    /// unit cube.
    pub(crate) fn ishigami(u: &[f64]) -> f64 {
        let x: Vec<f64> = u.iter().map(|v| -PI + 2.0 * PI * v).collect();
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    /// The points of a group share their populations' draws where `population::Inputs` allow
    /// (in the Farabougou design only `food.stock_days_mean` moves the draw: A and B draw, its A_B
    /// row takes B's, the other 19 rows A's), and every output is still what the point's scenario
    /// gives run alone, to the last bit.
    #[test]
    fn sharing_populations_and_runs_changes_no_output() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/farabougou_sensitivity.toml");
        let set = [("population.size", "1000"), ("simulation.days", "30")].map(|(k, v)| (k.to_string(), v.to_string()));
        let s = crate::scenario::load(&path, &set).unwrap_or_else(|e| panic!("{e}"));
        let model = Model {
            plan: &s,
            versus: None,
            outcome: Outcome::DeathsTotal,
            replicates: 2,
        };
        let design = saltelli_design(s.uncertain().len(), 2);
        let samples = model.evaluate(&design, &|| {}).unwrap_or_else(|e| panic!("{e}"));
        let mut outputs = Vec::new();
        for (p, sample) in design.iter().zip(&samples) {
            let run = s
                .with_drawn(&uncertain::values_at(&s, &p.unit))
                .unwrap_or_else(|e| panic!("{e}"));
            let setup = Setup::new(&run);
            let alone: f64 = (0..2)
                .map(|r| {
                    super::super::run_replicate_from(&setup, r, false, &|| {})
                        .summary
                        .outcome(Outcome::DeathsTotal)
                })
                .sum();
            assert_eq!(sample.plan.to_bits(), (alone / 2.0).to_bits(), "{:?}", p.role);
            outputs.push(sample.plan);
        }
        assert!(
            outputs.iter().any(|&y| y != outputs[0]),
            "the points differ: {outputs:?}"
        );
        // The runs taken from another point (`RunInput`): in group 1, the A_B rows of the two
        // parameters no run of this scenario reads, and any whose value is A's (a whole number
        // drawn the same); in group 0, whose A and B are both the centre, every row after A.
        let keys: Vec<&str> = s.uncertain().iter().map(|u| u.key.as_str()).collect();
        for (p, sample) in design.iter().zip(&samples) {
            let a = &samples[p.group as usize * (keys.len() + 2)];
            let reused = match p.role {
                _ if p.group == 0 => p.role != Role::A,
                Role::AB(i) => {
                    ["siege.recovery_days", "physiology.rutf_catch_up_g_per_kg_day"].contains(&keys[i])
                        || sample.values[i] == a.values[i]
                }
                _ => false,
            };
            assert_eq!(
                sample.runs_reused,
                if reused { 2 } else { 0 },
                "{:?} of group {}",
                p.role,
                p.group
            );
        }
        let second: Vec<population::Inputs> = design
            .iter()
            // Group 0's A and B are both the centre of the cube.
            .filter(|p| p.group == 1)
            .map(|p| population::Inputs::of(&s.with_drawn(&uncertain::values_at(&s, &p.unit)).unwrap()))
            .collect();
        let distinct = second
            .iter()
            .enumerate()
            .filter(|(i, x)| !second[..*i].contains(x))
            .count();
        assert_eq!((second.len(), distinct), (22, 2));
    }

    #[test]
    fn saltelli_design_has_its_shape_and_its_ab_rows_mix_a_and_b() {
        let d = saltelli_design(3, 8);
        assert_eq!(d.len(), 8 * 5);
        for j in 0..8 {
            let (a, b) = (&d[j * 5].unit, &d[j * 5 + 1].unit);
            for i in 0..3 {
                let ab = &d[j * 5 + 2 + i];
                assert_eq!(ab.role, Role::AB(i));
                for c in 0..3 {
                    assert_eq!(ab.unit[c], if c == i { b[c] } else { a[c] });
                }
            }
        }
        // The first point (after the skipped origin) of a Sobol' sequence is the centre.
        assert!(d[0].unit.iter().chain(&d[1].unit).all(|&v| v == 0.5));
    }

    #[test]
    fn sobol_indices_of_ishigami_match_the_analytic_values() {
        let n = 4096;
        let d = saltelli_design(3, n);
        let y: Vec<f64> = d.iter().map(|p| ishigami(&p.unit)).collect();
        let idx = sobol_indices(&y, 3, n as usize, 200, 1);
        let s1 = [0.3139, 0.4424, 0.0];
        let st = [0.5576, 0.4424, 0.2437];
        for i in 0..3 {
            assert!((idx[i].s1.value - s1[i]).abs() < 0.03, "S1[{i}] = {:?}", idx[i].s1);
            assert!((idx[i].st.value - st[i]).abs() < 0.03, "ST[{i}] = {:?}", idx[i].st);
            assert!(idx[i].s1.lo <= idx[i].s1.value && idx[i].s1.value <= idx[i].s1.hi);
            assert!(idx[i].st.lo <= idx[i].st.value && idx[i].st.value <= idx[i].st.hi);
        }
    }

    #[test]
    fn morris_finds_the_dead_parameter_and_ranks_the_others() {
        // y = 4 x0 + x1² + 0·x2 + x0·x3: x2 does nothing; x3 acts only with x0 (σ > 0).
        let f = |u: &[f64]| 4.0 * u[0] + u[1] * u[1] + u[0] * u[3];
        let d = morris_design(4, 20, 4, 7);
        assert_eq!(d.len(), 20 * 5);
        let y: Vec<f64> = d.iter().map(|p| f(&p.unit)).collect();
        let m = morris_indices(&d, &y, 4, 100, 7);
        assert_eq!(m[2].mu_star.value, 0.0);
        assert_eq!(m[2].sigma, 0.0);
        assert!(
            m[0].mu_star.value > m[1].mu_star.value && m[1].mu_star.value > 0.0,
            "{m:?}"
        );
        assert!(m[3].sigma > 0.0 && m[1].sigma > 0.0, "{m:?}");
        assert!(m[0].mu_star.value >= 4.0 && m[0].mu_star.value <= 5.0, "{m:?}");
        // Every point is on the grid of 4 levels, each step moves one parameter by 2/3.
        for p in &d {
            assert!(
                p.unit
                    .iter()
                    .all(|v| [0.0, 1.0 / 3.0, 2.0 / 3.0, 1.0].iter().any(|g| (v - g).abs() < 1e-12))
            );
            if let Role::Step { delta, .. } = p.role {
                assert!((delta.abs() - 2.0 / 3.0).abs() < 1e-12);
            }
        }
    }
}
