//! What each subcommand does, from plain option structs (the CLI only parses flags into these).

use crate::charts::ChartOptions;
use crate::experiment::{self, stats};
use crate::observe::KEY_OUTCOMES;
use crate::output;
use crate::scenario::{self, Scenario};
use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};
use std::path::{Path, PathBuf};

/// Prints a line of the terminal report. Nobody reading it (a closed pipe, `| head`) is not an
/// error: the results are in files, and the command carries on writing them.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}

/// Options common to commands that load a scenario.
#[derive(Clone, Debug, Default)]
pub struct ScenarioArgs {
    pub path: PathBuf,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    /// `KEY=VALUE` overrides, as given.
    pub set: Vec<String>,
    /// `--memory-limit`: refuse work estimated to need more (GB); None = the memory available.
    pub memory_limit_gb: Option<f64>,
}

impl ScenarioArgs {
    /// The overrides as (key, value) pairs, flags included (`--seed` is `simulation.seed`).
    pub fn overrides(&self) -> Result<Vec<(String, String)>> {
        let mut out = Vec::new();
        for a in &self.set {
            let (k, v) = scenario::overrides::split_assignment(a).map_err(|e| anyhow::anyhow!("--set {e}"))?;
            out.push((k.to_string(), v.to_string()));
        }
        if let Some(seed) = self.seed {
            out.push(("simulation.seed".into(), seed.to_string()));
        }
        if let Some(r) = self.replicates {
            out.push(("simulation.replicates".into(), r.to_string()));
        }
        Ok(out)
    }

    pub fn load(&self) -> Result<Scenario> {
        Ok(scenario::load(&self.path, &self.overrides()?)?)
    }
}

/// "1 replicate", "20 replicates".
fn replicates_text(n: u32) -> String {
    if n == 1 {
        "1 replicate".into()
    } else {
        format!("{n} replicates")
    }
}

/// Refuses work too large for the memory (see [`experiment::footprint::check`]).
fn check_memory(source: &Path, need: &experiment::footprint::Footprint, limit_gb: Option<f64>) -> Result<()> {
    experiment::footprint::check(source, need, limit_gb).map_err(anyhow::Error::msg)
}

/// Days to simulate in all replicates of a scenario: the length of its progress bar.
fn replicate_days(s: &Scenario) -> u64 {
    u64::from(s.replicates()) * u64::from(s.days())
}

/// A progress bar on stderr with an ETA; indicatif hides it when stderr is not a terminal.
pub fn progress(len: u64, what: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} ({eta} left)")
            .expect("progress template is valid")
            .progress_chars("=> "),
    );
    bar.set_message(what.to_string());
    bar
}

#[derive(Clone, Debug, Default)]
pub struct RunArgs {
    pub scenario: ScenarioArgs,
    pub out: Option<PathBuf>,
    pub force: bool,
    /// Charts to draw after the run (None = no charts).
    pub charts: Option<ChartOptions>,
}

/// Draws the charts of a result directory and says where they went.
pub fn draw(dir: &Path, charts: Option<&ChartOptions>) -> Result<()> {
    if let Some(opts) = charts {
        let files =
            crate::charts::plot_dir(dir, opts).with_context(|| format!("drawing the charts of {}", dir.display()))?;
        say!("charts: {} file(s) in {}", files.len(), dir.join("charts").display());
    }
    Ok(())
}

/// `siege plot`: draw the charts of an earlier result directory again, without simulating.
pub fn plot(dir: &Path, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let files = crate::charts::plot_dir(dir, opts)?;
    for f in &files {
        say!("{}", f.display());
    }
    Ok(files)
}

/// The default result directory of a scenario.
pub fn default_out(s: &Scenario) -> PathBuf {
    Path::new("output").join(s.name())
}

/// `siege run`: simulate every replicate, write timeseries.csv, locations.csv, summary.csv and
/// run.json, print a summary. Returns the result directory.
pub fn run(args: &RunArgs) -> Result<PathBuf> {
    let s = args.scenario.load()?;
    check_memory(
        &args.scenario.path,
        &experiment::footprint::run(&s, rayon::current_num_threads()),
        args.scenario.memory_limit_gb,
    )?;
    let out = args.out.clone().unwrap_or_else(|| default_out(&s));
    output::prepare_dir(&out, args.force)?;
    let n = s.replicates();
    let bar = progress(
        replicate_days(&s),
        &format!("{}: {} × {} days", s.name(), replicates_text(n), s.days()),
    );
    let results = experiment::run_replicates(&s, n, true, &|| bar.inc(1));
    bar.finish_and_clear();
    write_run(&out, &s, &args.scenario, &results)?;
    say!(
        "{}",
        terminal_summary(&s, &results.iter().map(|r| r.summary.clone()).collect::<Vec<_>>())
    );
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(out)
}

/// Writes a run's files into `out` (which must exist).
pub fn write_run(out: &Path, s: &Scenario, args: &ScenarioArgs, results: &[experiment::ReplicateResult]) -> Result<()> {
    let days = output::csv_bytes(results.iter().flat_map(|r| r.days.iter()))?;
    let locations = output::csv_bytes(results.iter().flat_map(|r| r.locations.iter()))?;
    let summaries: Vec<_> = results.iter().map(|r| r.summary.clone()).collect();
    output::write_atomic(&out.join("timeseries.csv"), &days)?;
    output::write_atomic(&out.join("locations.csv"), &locations)?;
    output::write_atomic(&out.join("summary.csv"), &output::summary_csv(&summaries)?)?;
    // run.json last: its presence says the run's files are complete.
    let meta = serde_json::json!({
        "program": "siege",
        "version": env!("CARGO_PKG_VERSION"),
        "scenario_file": args.path.display().to_string(),
        "scenario_name": s.name(),
        "seed": s.seed(),
        "replicates": s.replicates(),
        "days": s.days(),
        "start_date": s.file.simulation.start_date,
        "overrides": args.overrides()?.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>(),
        "scenario": s.file,
        "resolved": resolved_json(s),
    });
    output::write_atomic(&out.join("run.json"), format!("{:#}\n", meta).as_bytes())?;
    Ok(())
}

/// The defaults that depend on other keys, as the run used them (`scenario` shows them as written:
/// absent or empty).
fn resolved_json(s: &Scenario) -> serde_json::Value {
    let r = &s.resolved;
    let id = |i: usize| r.location_ids[i].clone();
    serde_json::json!({
        "siege_locations": (0..r.location_ids.len()).filter(|&i| r.encircled[i]).map(id).collect::<Vec<_>>(),
        "siege_start_day": r.siege_start_day,
        "people_at_home": r.location_ids.iter().cloned().zip(r.home_counts.iter().copied()).collect::<std::collections::BTreeMap<_, _>>(),
        "attractiveness": r.location_ids.iter().cloned().zip(r.attractiveness.iter().copied()).collect::<std::collections::BTreeMap<_, _>>(),
        "routes": r.routes.iter().map(|x| serde_json::json!({
            "id": x.id, "from": id(x.a), "to": id(x.b), "distance_km": x.distance_km, "state": x.state, "crossing_risk": x.crossing_risk,
        })).collect::<Vec<_>>(),
        "airdrops": r.airdrops.iter().map(|a| serde_json::json!({
            "day": a.day, "tonnes": a.tonnes, "kcal_per_kg": a.kcal_per_kg, "target": id(a.target),
            "usable_fraction": a.usable_fraction, "captured_fraction": a.captured_fraction,
            "distribution": a.distribution, "cost_per_tonne": a.cost_per_tonne,
        })).collect::<Vec<_>>(),
    })
}

/// Median and 90% interval of the key outcomes across replicates.
pub fn terminal_summary(s: &Scenario, summaries: &[crate::observe::Summary]) -> String {
    let mut text = format!(
        "{} — {}, seed {}, {} days: median [5th–95th percentile]\n",
        s.name(),
        replicates_text(summaries.len() as u32),
        s.seed(),
        s.days()
    );
    for key in KEY_OUTCOMES {
        let v: Vec<f64> = summaries.iter().filter_map(|x| x.get(key)).collect();
        let d = stats::describe(&v);
        text.push_str(&format!(
            "  {key:<22} {:>12} [{} – {}]\n",
            fmt_num(d.p50),
            fmt_num(d.p05),
            fmt_num(d.p95)
        ));
    }
    text.trim_end().to_string()
}

/// Short human formatting: integers plainly, others with up to 3 significant decimals.
pub fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.abs() >= 1e6 {
        return format!("{:.3e}", x);
    }
    if (x - x.round()).abs() < 1e-9 {
        return format!("{}", x.round() as i64);
    }
    format!("{:.2}", x)
}

/// `siege validate`: report every problem, or a one-line description of the valid scenario.
pub fn validate(args: &ScenarioArgs) -> Result<String> {
    let sweep_args = SweepArgs {
        scenario: args.clone(),
        ..SweepArgs::default()
    };
    if let (expanded, Some(name)) = expand_experiment(&sweep_args)? {
        let plan = sweep_plan(&expanded)?;
        check_memory(
            &args.path,
            &experiment::footprint::sweep_plan(&plan, None),
            args.memory_limit_gb,
        )?;
        return Ok(format!(
            "{}: valid experiment {name:?} — scenario {}, {} grid points × {} replicates, every point valid",
            args.path.display(),
            expanded.scenario.path.display(),
            plan.grid.len(),
            plan.replicates
        ));
    }
    let s = args.load()?;
    check_memory(
        &args.path,
        &experiment::footprint::run(&s, rayon::current_num_threads()),
        args.memory_limit_gb,
    )?;
    let r = &s.resolved;
    Ok(format!(
        "{}: valid — scenario {:?}, {} people in {} location(s), {} route(s), {} event(s), {} airdrop(s), {} days, {} replicates, seed {}",
        args.path.display(),
        s.name(),
        r.home_counts.iter().sum::<u64>(),
        r.location_ids.len(),
        r.routes.len(),
        r.events.len(),
        r.airdrops.len(),
        s.days(),
        s.replicates(),
        s.seed()
    ))
}

/// Reads a file for a command, naming it in the error.
pub fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// `[experiment]` in an experiment file: a sweep written down so it can be shipped and rerun.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    experiment: Experiment,
}

#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct Experiment {
    /// Name of the result directory `output/<name>/`.
    name: String,
    /// Scenario file, relative to the experiment file.
    scenario: PathBuf,
    #[serde(default)]
    replicates: Option<u32>,
    /// `KEY=SPEC`, as `--vary`.
    vary: Vec<String>,
    /// `KEY=VALUE`, as `--set`.
    #[serde(default)]
    set: Vec<String>,
}

#[derive(Clone, Debug, Default)]
pub struct SweepArgs {
    /// A scenario file, or an experiment file (a TOML file with an `[experiment]` table).
    pub scenario: ScenarioArgs,
    pub vary: Vec<String>,
    pub out: Option<PathBuf>,
    pub shard: Option<experiment::sweep::Shard>,
    pub resume: bool,
    pub force: bool,
    pub charts: Option<ChartOptions>,
}

/// Resolves an experiment file into the scenario, the grid and the defaults it names; a plain
/// scenario file passes through.
fn expand_experiment(args: &SweepArgs) -> Result<(SweepArgs, Option<String>)> {
    // Anything unreadable or not TOML passes through: the scenario loader reports it properly.
    let Ok(text) = scenario::read_text(&args.scenario.path) else {
        return Ok((args.clone(), None));
    };
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(_) => return Ok((args.clone(), None)), // the scenario loader reports the syntax error
    };
    if !table.contains_key("experiment") {
        return Ok((args.clone(), None));
    }
    let file: ExperimentFile =
        toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {}", args.scenario.path.display(), e.message()))?;
    let e = file.experiment;
    let base = args.scenario.path.parent().unwrap_or(Path::new("."));
    let mut out = args.clone();
    out.scenario.path = base.join(&e.scenario);
    out.scenario.replicates = args.scenario.replicates.or(e.replicates);
    out.scenario.set = e.set.into_iter().chain(args.scenario.set.iter().cloned()).collect();
    out.vary = e.vary.into_iter().chain(args.vary.iter().cloned()).collect();
    Ok((out, Some(e.name)))
}

/// Builds and validates the sweep plan of (expanded) sweep arguments.
fn sweep_plan(args: &SweepArgs) -> Result<experiment::sweep::Plan> {
    if args.vary.is_empty() {
        anyhow::bail!("sweep: give at least one --vary KEY=SPEC (e.g. --vary airdrop_plan.first_day=2..16)");
    }
    let axes = args
        .vary
        .iter()
        .map(|v| experiment::grid::parse_vary(v))
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let grid = experiment::grid::Grid::new(axes).map_err(anyhow::Error::msg)?;
    let mut set = Vec::new();
    for a in &args.scenario.set {
        let (k, v) = scenario::overrides::split_assignment(a).map_err(|e| anyhow::anyhow!("--set {e}"))?;
        set.push((k.to_string(), v.to_string()));
    }
    if let Some(seed) = args.scenario.seed {
        set.push(("simulation.seed".into(), seed.to_string()));
    }
    experiment::sweep::Plan::new(&args.scenario.path, grid, args.scenario.replicates, set)
}

/// `siege sweep`: run a grid of scenario variants × replicates; returns the result directory.
pub fn sweep(args: &SweepArgs) -> Result<PathBuf> {
    let (args, experiment_name) = expand_experiment(args)?;
    let plan = sweep_plan(&args)?;
    check_memory(
        &args.scenario.path,
        &experiment::footprint::sweep_plan(&plan, args.shard),
        args.scenario.memory_limit_gb,
    )?;
    let name = experiment_name.unwrap_or_else(|| format!("{}-sweep", plan.scenarios[0].name()));
    let out = args.out.clone().unwrap_or_else(|| Path::new("output").join(name));
    let total = match args.shard {
        Some(s) => (plan.tasks() + (s.count - 1 - s.index) as usize) / s.count as usize,
        None => plan.tasks(),
    };
    let bar = progress(
        total as u64,
        &format!(
            "{}: {} points × {} replicates",
            plan.scenarios[0].name(),
            plan.grid.len(),
            plan.replicates
        ),
    );
    let done = experiment::sweep::run(&plan, &out, args.shard, args.resume, args.force, &|| bar.inc(1))?;
    bar.finish_and_clear();
    if done.resumed > 0 {
        say!("resumed: {} runs were already done, {} run now", done.resumed, done.ran);
    }
    match args.shard {
        Some(s) => say!(
            "shard {}/{}: {} runs; merge all shards with `siege merge`",
            s.index,
            s.count,
            done.ran + done.resumed
        ),
        None => say!(
            "{}",
            sweep_table(&done.summary_header, &done.summary_rows, plan.grid.axes.len())
        ),
    }
    say!("wrote {}", out.display());
    if args.shard.is_none() {
        draw(&out, args.charts.as_ref())?;
    }
    Ok(out)
}

/// `siege merge`: combine shard directories into one result.
pub fn merge(parts: &[PathBuf], out: &Path, force: bool, charts: Option<&ChartOptions>) -> Result<PathBuf> {
    let done = experiment::sweep::merge(parts, out, force)?;
    let n_keys = done
        .summary_header
        .iter()
        .position(|h| h == "replicates")
        .map_or(0, |i| i - 1);
    say!("{}", sweep_table(&done.summary_header, &done.summary_rows, n_keys));
    say!("merged {} shard(s) into {}", parts.len(), out.display());
    draw(out, charts)?;
    Ok(out.to_path_buf())
}

/// The terminal view of sweep_summary.csv: the varied values and, for a few key outcomes, the
/// median with its 90% interval and the mean with its 95% CI.
fn sweep_table(header: &[String], rows: &[Vec<String>], n_keys: usize) -> String {
    let col = |name: &str| header.iter().position(|h| h == name);
    let shown = ["deaths_total", "deaths_starvation", "displaced_total"];
    let mut lines = Vec::new();
    let mut head: Vec<String> = header[1..1 + n_keys].to_vec();
    for o in shown {
        head.push(format!("{o}: median [p05–p95], mean ± 95% CI"));
    }
    lines.push(head.join(" | "));
    for r in rows {
        let mut cells: Vec<String> = r[1..1 + n_keys].to_vec();
        for o in shown {
            let get = |s: &str| {
                col(&format!("{o}_{s}"))
                    .and_then(|i| r[i].parse::<f64>().ok())
                    .unwrap_or(f64::NAN)
            };
            cells.push(format!(
                "{} [{}–{}], {} ± {}",
                fmt_num(get("p50")),
                fmt_num(get("p05")),
                fmt_num(get("p95")),
                fmt_num(get("mean")),
                fmt_num((get("ci95_hi") - get("ci95_lo")) / 2.0)
            ));
        }
        lines.push(cells.join(" | "));
    }
    lines.join("\n")
}

#[derive(Clone, Debug, Default)]
pub struct CompareArgs {
    pub files: Vec<PathBuf>,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    pub set: Vec<String>,
    /// `--memory-limit`, as for [`ScenarioArgs`].
    pub memory_limit_gb: Option<f64>,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub charts: Option<ChartOptions>,
}

/// The value every item shares, if they all share one.
fn common<T: PartialEq + Copy>(mut items: impl Iterator<Item = T>) -> Option<T> {
    let first = items.next()?;
    items.all(|x| x == first).then_some(first)
}

/// `siege compare`: the same outcomes side by side for whole scenario files.
pub fn compare(args: &CompareArgs) -> Result<PathBuf> {
    if args.files.len() < 2 {
        anyhow::bail!("compare: give at least two scenario files");
    }
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for f in &args.files {
        let sa = ScenarioArgs {
            path: f.clone(),
            seed: args.seed,
            replicates: args.replicates,
            set: args.set.clone(),
            memory_limit_gb: args.memory_limit_gb,
        };
        match sa.load() {
            Ok(s) => loaded.push((sa, s)),
            Err(e) => problems.push(e.to_string()),
        }
    }
    if !problems.is_empty() {
        anyhow::bail!("{}", problems.join("\n"));
    }
    let mut names: Vec<String> = Vec::new();
    for (_, s) in &loaded {
        let mut n = s.name().to_string();
        let mut k = 2;
        while names.contains(&n) {
            n = format!("{}_{k}", s.name());
            k += 1;
        }
        names.push(n);
    }
    // The scenarios run one after the other; each one's rows are dropped once written.
    let threads = rayon::current_num_threads();
    let (largest, need) = loaded
        .iter()
        .map(|(sa, s)| (&sa.path, experiment::footprint::run(s, threads)))
        .max_by_key(|(_, f)| f.bytes)
        .expect("at least two scenarios");
    check_memory(largest, &need, args.memory_limit_gb)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("compare-{}", names.join("-vs-"))));
    output::prepare_dir(&out, args.force)?;
    let total: u64 = loaded.iter().map(|(_, s)| replicate_days(s)).sum();
    let bar = progress(total, "compare (replicate-days)");
    let mut header = vec!["scenario".to_string(), "file".into(), "replicates".into()];
    header.extend(stats::outcome_columns(KEY_OUTCOMES));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header)?;
    let mut table = vec![format!(
        "{:<28} {:>24} {:>24} {:>24}",
        "scenario", "deaths_total", "deaths_starvation", "displaced_total"
    )];
    for ((sa, s), name) in loaded.iter().zip(&names) {
        let results = experiment::run_replicates(s, s.replicates(), true, &|| bar.inc(1));
        let dir = out.join("scenarios").join(name);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        write_run(&dir, s, sa, &results)?;
        let mut row = vec![name.clone(), sa.path.display().to_string(), s.replicates().to_string()];
        let mut shown = Vec::new();
        for k in KEY_OUTCOMES {
            let v: Vec<f64> = results.iter().filter_map(|r| r.summary.get(k)).collect();
            let d = stats::describe(&v);
            row.extend(d.cells());
            if ["deaths_total", "deaths_starvation", "displaced_total"].contains(k) {
                shown.push(format!("{} [{}–{}]", fmt_num(d.p50), fmt_num(d.p05), fmt_num(d.p95)));
            }
        }
        w.write_record(&row)?;
        table.push(format!(
            "{:<28} {:>24} {:>24} {:>24}",
            name, shown[0], shown[1], shown[2]
        ));
    }
    bar.finish_and_clear();
    output::write_atomic(&out.join("compare.csv"), &output::csv_finish(w)?)?;
    let meta = serde_json::json!({
        "program": "siege",
        "version": env!("CARGO_PKG_VERSION"),
        // The common seed and replicates (null / the smallest when the files differ; each scenario's
        // own are listed below).
        "seed": common(loaded.iter().map(|(_, s)| s.seed())),
        "replicates": loaded.iter().map(|(_, s)| s.replicates()).min(),
        "set": args.set,
        "scenarios": loaded.iter().zip(&names).map(|((sa, s), n)| serde_json::json!({
            "name": n, "file": sa.path.display().to_string(), "seed": s.seed(), "replicates": s.replicates()
        })).collect::<Vec<_>>(),
    });
    output::write_atomic(&out.join("compare.json"), format!("{meta:#}\n").as_bytes())?;
    say!(
        "median [5th–95th percentile] over replicates; common random numbers (replicate r uses stream r in every scenario)"
    );
    say!("{}", table.join("\n"));
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(out)
}

#[derive(Clone, Debug, Default)]
pub struct CheckArgs {
    pub scenario: ScenarioArgs,
    pub facts: PathBuf,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub charts: Option<ChartOptions>,
}

/// `siege check`: run the scenario and score it against documented facts. Returns whether every
/// scored outcome fact is within its tolerance.
pub fn check(args: &CheckArgs) -> Result<bool> {
    let s = args.scenario.load()?;
    check_memory(
        &args.scenario.path,
        &experiment::footprint::run(&s, rayon::current_num_threads()),
        args.scenario.memory_limit_gb,
    )?;
    let facts = crate::check::parse_facts(&args.facts.display().to_string(), &read(&args.facts)?, s.days())?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("{}-check", s.name())));
    output::prepare_dir(&out, args.force)?;
    let bar = progress(
        replicate_days(&s),
        &format!("{}: {} × {} days", s.name(), replicates_text(s.replicates()), s.days()),
    );
    let results = experiment::run_replicates(&s, s.replicates(), true, &|| bar.inc(1));
    bar.finish_and_clear();
    write_run(&out, &s, &args.scenario, &results)?;
    let scored = crate::check::score(&facts, &results);
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "id",
        "kind",
        "day",
        "quantity",
        "metric",
        "documented",
        "tolerance",
        "sim_median",
        "sim_p05",
        "sim_p95",
        "within",
    ])?;
    let mut table = vec![format!(
        "{:<9} {:<8} {:>4}  {:<40} {:>10} {:>10}  {:>8} {:>17}  {}",
        "fact", "kind", "day", "metric", "documented", "tolerance", "median", "[p05 – p95]", "within"
    )];
    for x in &scored {
        let f = &x.fact;
        let within = x.within.map(|b| b.to_string()).unwrap_or_default();
        w.write_record([
            f.id.clone(),
            f.kind.clone(),
            f.day.to_string(),
            f.quantity.clone(),
            f.metric.clone(),
            f.value.clone(),
            f.tolerance.clone(),
            output::cell(x.median),
            output::cell(x.p05),
            output::cell(x.p95),
            within.clone(),
        ])?;
        let interval = match (x.p05, x.p95) {
            (Some(a), Some(b)) => format!("[{} – {}]", fmt_num(a), fmt_num(b)),
            _ => String::new(),
        };
        table.push(format!(
            "{:<9} {:<8} {:>4}  {:<40} {:>10} {:>10}  {:>8} {:>17}  {}",
            f.id,
            f.kind,
            f.day,
            if f.metric.is_empty() {
                "(not in the model)"
            } else {
                f.metric.as_str()
            },
            f.value,
            f.tolerance,
            x.median.map(fmt_num).unwrap_or_default(),
            interval,
            match x.within {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "(not scored)",
            }
        ));
    }
    output::write_atomic(&out.join("check.csv"), &output::csv_finish(w)?)?;
    let n = scored.iter().filter(|x| x.within.is_some()).count();
    let ok = scored.iter().filter(|x| x.within == Some(true)).count();
    say!(
        "{} against {}: {} replicates, seed {}",
        s.name(),
        args.facts.display(),
        s.replicates(),
        s.seed()
    );
    say!("{}", table.join("\n"));
    say!("{ok} of {n} outcome facts within tolerance (median of the replicates)");
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(ok == n)
}
