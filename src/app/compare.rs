//! `siege compare`: whole scenario files side by side.

use super::baseline;
use super::report;
use super::{ScenarioArgs, check_memory, draw, progress, replicate_days, run_footprint};
use anyhow::{Context, Result};
use siege::charts::ChartOptions;
use siege::observe::SHOWN_OUTCOMES;
use siege::observe::files::{self, CompareFile, CompareRow, ComparedScenario, outcome_stats};
use siege::{experiment, output};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct CompareArgs {
    pub files: Vec<PathBuf>,
    pub seed: Option<u64>,
    pub replicates: Option<u32>,
    pub set: Vec<String>,
    /// `--memory-limit`, as for [`ScenarioArgs`].
    pub memory_limit_gb: Option<f64>,
    /// `--baseline`: a compared scenario's name or a scenario file.
    pub baseline: Option<String>,
    /// `--horizons`: numbers of days, or dates, by which deaths are also compared with the
    /// baseline, as given.
    pub horizons: Vec<String>,
    /// `--after-end`: days after the siege is lifted by which deaths are also compared.
    pub after_end: Vec<u32>,
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
/// A scenario's problems, and where `--set` names an element it lacks, that `--set` changes every
/// compared scenario: the baseline too, which may lack what the plans have (`--set
/// airdrops.0.sorties=2` against a baseline without airdrops).
fn with_set_note(problems: String, file: &Path, baseline: Option<&str>) -> String {
    if !problems.contains("(key path given by --set") {
        return problems;
    }
    let every = match baseline {
        Some(b) if baseline::same_file(file, Path::new(b)) => format!(
            "{} is the --baseline file, and --set applies to every compared scenario, the baseline included",
            file.display()
        ),
        Some(_) => "--set applies to every compared scenario, the baseline included".to_string(),
        None => "--set applies to every compared scenario".to_string(),
    };
    format!(
        "{problems}\n  {every}: to change one scenario only, write the value in its file (or in a variant that `extends` it)"
    )
}

pub fn compare(args: &CompareArgs) -> Result<PathBuf> {
    let files = baseline::files_with_baseline(&args.files, args.baseline.as_deref());
    if files.len() < 2 {
        anyhow::bail!("compare: give at least two scenario files (or one and a --baseline file)");
    }
    let mut loaded = Vec::new();
    let mut problems = Vec::new();
    for f in &files {
        let sa = ScenarioArgs {
            path: f.clone(),
            seed: args.seed,
            replicates: args.replicates,
            set: args.set.clone(),
            memory_limit_gb: args.memory_limit_gb,
        };
        match sa.load() {
            Ok(s) => loaded.push((sa, s)),
            Err(e) => problems.push(with_set_note(e.to_string(), f, args.baseline.as_deref())),
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
    let base = match &args.baseline {
        Some(b) => {
            let i = baseline::baseline_index(b, &names, &files)?;
            let (horizons, at) = baseline::check_compare(&loaded, &names, i, &args.horizons, &args.after_end)?;
            Some((i, horizons, at))
        }
        None => None,
    };
    // The scenarios run one after the other; each one's rows are dropped once written.
    let (largest, need) = loaded
        .iter()
        .map(|(sa, s)| (&sa.path, run_footprint(s)))
        .max_by_key(|(_, f)| f.bytes)
        .expect("at least two scenarios");
    check_memory(largest, &need, args.memory_limit_gb)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("compare-{}", names.join("-vs-"))));
    let lock = output::lock_dir(&out)?;
    let staging = output::stage(&out, args.force)?;
    let dest = staging.dir().to_path_buf();
    let total: u64 = loaded.iter().map(|(_, s)| replicate_days(s)).sum();
    let bar = progress(total, "compare (replicate-days)");
    let [a, b, c] = SHOWN_OUTCOMES.map(|o| o.name());
    let mut table = vec![format!("{:<28} {:>24} {:>24} {:>24}", "scenario", a, b, c)];
    let mut rows = Vec::new();
    let mut arms = Vec::new();
    let mut notes = Vec::new();
    for ((sa, s), name) in loaded.iter().zip(&names) {
        let results = experiment::run_replicates(s, s.replicates(), true, &|| bar.inc(1));
        notes.extend(report::idle_store_note(s, Some(name), &results));
        if let Some((_, _, at)) = &base {
            arms.push(baseline::arm(s, &results, at));
        }
        let dir = dest.join("scenarios").join(name);
        std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        // The files read are stored once, in the comparison's own inputs/.
        output::write_run(&dir, s, &sa.path, &sa.overrides()?, &results, &[])?;
        let row = CompareRow {
            scenario: name.clone(),
            file: sa.path.display().to_string(),
            replicates: s.replicates(),
            days: s.days(),
            stats: outcome_stats(results.iter().map(|r| &r.summary)),
        };
        let [a, b, c] = SHOWN_OUTCOMES.map(|o| report::median_interval(o, row.stat(o)));
        table.push(format!("{:<28} {:>24} {:>24} {:>24}", name, a, b, c));
        rows.push(row);
    }
    bar.finish_and_clear();
    let header = output::column_names(&rows[0]);
    output::write_atomic(&dest.join("compare.csv"), &output::named_rows_bytes(&header, &rows)?)?;
    let meta = CompareFile {
        program: files::PROGRAM.into(),
        version: files::VERSION.into(),
        model_build: files::MODEL_BUILD.into(),
        seed: common(loaded.iter().map(|(_, s)| s.seed())),
        replicates: loaded.iter().map(|(_, s)| s.replicates()).min().unwrap_or(0),
        set: args.set.clone(),
        scenarios: loaded
            .iter()
            .zip(&names)
            .map(|((sa, s), n)| ComparedScenario {
                name: n.clone(),
                file: sa.path.display().to_string(),
                scenario_digest: files::scenario_digest(s),
                seed: s.seed(),
                replicates: s.replicates(),
            })
            .collect(),
        baseline: base.as_ref().map(|(i, _, _)| names[*i].clone()),
        horizons: base.as_ref().map(|(_, h, _)| h.clone()).unwrap_or_default(),
        after_end: args.after_end.clone(),
        inputs: output::inputs::write(
            &dest,
            &loaded.iter().flat_map(|(_, s)| s.inputs().to_vec()).collect::<Vec<_>>(),
        )?,
    };
    output::write_atomic(&dest.join("compare.json"), &output::json_bytes(&meta)?)?;
    let versus = base.map(|(i, _, at)| {
        let days = loaded[i].1.days();
        let plans: Vec<(String, Vec<_>)> = (0..arms.len())
            .filter(|&j| j != i)
            .map(|j| {
                (
                    names[j].clone(),
                    experiment::decision::vs_baseline(&arms[j], &arms[i], &at, &args.after_end, days),
                )
            })
            .collect();
        (i, at, plans)
    });
    if let Some((i, _, plans)) = &versus {
        let rows: Vec<_> = plans
            .iter()
            .flat_map(|(n, ms)| baseline::rows(&[("scenario".into(), n.clone())], &names[*i], ms))
            .collect();
        if let Some(first) = rows.first() {
            let header = output::column_names(first);
            output::write_atomic(
                &dest.join("compare_vs_baseline.csv"),
                &output::named_rows_bytes(&header, &rows)?,
            )?;
        }
    }
    let _lock = (staging.commit()?, lock);
    say!(
        "median [5th–95th percentile] over replicates; common random numbers (replicate r uses stream r in every scenario)"
    );
    say!("{}", table.join("\n"));
    report::days_warning(&rows).iter().for_each(|w| say!("{w}"));
    notes.iter().for_each(|n| say!("{n}"));
    if let Some((i, at, plans)) = &versus {
        say!("{}", baseline::table(&names[*i], plans, at, &args.after_end));
        if !args.after_end.is_empty() {
            say!(
                "{}",
                baseline::lifted_note(&arms[*i], loaded[*i].1.days(), &args.after_end)
            );
        }
        say!(
            "{}",
            baseline::breakdown(plans, *at.last().expect("the run's end is always compared"))
        );
        for ((_, s), n) in loaded.iter().zip(&names) {
            if s.seed() != loaded[*i].1.seed() {
                say!(
                    "warning: {n} has seed {} and the baseline {}: its replicates do not share the baseline's random numbers, so the pairs are no sharper than independent runs",
                    s.seed(),
                    loaded[*i].1.seed()
                );
            }
        }
    }
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(out)
}
