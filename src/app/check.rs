//! `siege check`: a scenario scored against documented facts.

use super::report::fmt_num;
use super::{ScenarioArgs, check_memory, draw, progress, read, replicate_days, replicates_text, run_footprint};
use anyhow::Result;
use siege::charts::ChartOptions;
use siege::check::{DEATHS_PCT, PEAK_DAY};
use siege::scenario::printable;
use siege::{experiment, output};
use std::path::{Path, PathBuf};

#[derive(Clone, Debug, Default)]
pub struct CheckArgs {
    pub scenario: ScenarioArgs,
    pub facts: PathBuf,
    pub out: Option<PathBuf>,
    pub force: bool,
    pub charts: Option<ChartOptions>,
}

/// `siege check`: run the scenario and score it against documented facts. Returns whether every
/// scored fact (outcomes and calibrations) is within its tolerance.
pub fn check(args: &CheckArgs) -> Result<bool> {
    let s = args.scenario.load()?;
    check_memory(&args.scenario.path, &run_footprint(&s), args.scenario.memory_limit_gb)?;
    let facts_text = read(&args.facts)?;
    let facts = siege::check::parse_facts(&args.facts.display().to_string(), &facts_text, s.days())?;
    let mut read_files = s.inputs().to_vec();
    read_files.push(siege::scenario::Input::new(&args.facts, &facts_text));
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| Path::new("output").join(format!("{}-check", s.name())));
    let _lock = output::lock_dir(&out)?;
    output::prepare_dir(&out, args.force)?;
    let bar = progress(
        replicate_days(&s),
        &format!("{}: {} × {} days", s.name(), replicates_text(s.replicates()), s.days()),
    );
    let results = experiment::run_replicates(&s, s.replicates(), true, &|| bar.inc(1));
    bar.finish_and_clear();
    output::write_run(
        &out,
        &s,
        &args.scenario.path,
        &args.scenario.overrides()?,
        &results,
        &read_files,
    )?;
    let scored = siege::check::score(&facts, &results);
    let mut rows = Vec::new();
    let mut table = vec![format!(
        "{:<9} {:<11} {:>4}  {:<40} {:>10} {:>10}  {:>8} {:>17}  {}",
        "fact", "kind", "day", "metric", "documented", "tolerance", "median", "[p05 – p95]", "within"
    )];
    for x in &scored {
        let f = &x.fact;
        rows.push(x.row());
        let (median, interval) = figures(x);
        table.push(format!(
            "{:<9} {:<11} {:>4}  {:<40} {:>10} {:>10}  {:>8} {:>17}  {}",
            // Free text from the facts file: escaped, so it cannot drive the terminal.
            printable(&f.id),
            printable(&f.kind),
            f.day,
            match (f.metric.as_str(), f.window) {
                // An input is what the scenario was written from, not a measurement.
                ("", _) if f.kind == "input" => "(a scenario input)".to_string(),
                ("", _) => "(not in the model)".to_string(),
                (m, Some(w)) if m.starts_with(PEAK_DAY) => {
                    format!("peak day of {}, {w} days", &m[PEAK_DAY.len()..])
                }
                (m, Some(w)) if m.starts_with(DEATHS_PCT) => {
                    format!(
                        "% of deaths {}, {w} day{}",
                        &m[DEATHS_PCT.len()..],
                        if w == 1 { "" } else { "s" }
                    )
                }
                (m, Some(w)) if w > 1 => format!("{m}, mean of {w} days"),
                (m, _) => m.to_string(),
            },
            printable(&f.value),
            printable(&f.tolerance),
            median,
            interval,
            match x.within {
                Some(true) => "yes",
                Some(false) => "NO",
                None => "(not scored)",
            }
        ));
    }
    output::write_atomic(&out.join("check.csv"), &output::csv_bytes(&rows)?)?;
    // Outcomes and calibrations counted apart: a calibration within tolerance tests nothing.
    let tally = siege::check::Tally::of(scored.iter().map(|x| (x.fact.kind == "calibration", x.within)));
    let (ok, n) = (tally.outcomes_within, tally.outcomes);
    let (cal_ok, cal_n) = (tally.calibrations_within, tally.calibrations);
    say!(
        "{} against {}: {} replicates, seed {}",
        s.name(),
        args.facts.display(),
        s.replicates(),
        s.seed()
    );
    say!("{}", table.join("\n"));
    say!("{ok} of {n} outcome facts within tolerance (median of the replicates)");
    if cal_n > 0 {
        say!(
            "{cal_ok} of {cal_n} calibration target{} within tolerance (outcomes a scenario input was fitted to: not tests)",
            if cal_n == 1 { "" } else { "s" }
        );
    }
    // Who died over each window a death-rate or a deaths_pct fact is read over (issue 17: the
    // age/sex split).
    let windows: Vec<(u32, u32, std::borrow::Cow<str>)> = scored
        .iter()
        .filter(|x| {
            (x.fact.metric.starts_with("cdr") || x.fact.metric.starts_with(DEATHS_PCT))
                && siege::check::is_scored(&x.fact.kind)
        })
        .map(|x| {
            let w = x.fact.window.unwrap_or(1);
            ((x.fact.day + 1).saturating_sub(w), x.fact.day, printable(&x.fact.id))
        })
        .collect();
    if !windows.is_empty() {
        let mut who = vec![format!(
            "{:<9} {:>9} {:>8}  {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}",
            "who died", "days", "deaths", "<1", "1–4", "5–14", "15–39", "40–59", "60+"
        )];
        let pct = |x: f64| {
            if x.is_finite() {
                format!("{x:.0}%")
            } else {
                "–".into()
            }
        };
        let card_row =
            |id: &str, days: &str, c: [String; 3]| format!("{id:<9} {days:>9}  {:>8} {:>8} {:>9}", c[0], c[1], c[2]);
        let mut by_card = vec![card_row(
            "adults",
            "days",
            ["worker", "employee", "dependant"].map(String::from),
        )];
        if let Some(c) = siege::check::card_holders_pct(&results) {
            by_card.push(card_row("holders", "day 0", c.map(pct)));
        }
        for (first, last, id) in &windows {
            let (first, last) = (*first, *last);
            let w = siege::check::who_died(&results, first, last);
            if let Some(c) = w.card_pct {
                by_card.push(card_row(id, &format!("{first}–{last}"), c.map(pct)));
            }
            who.push(format!(
                "{:<9} {:>9} {:>8}  {:>6} {:>6} {:>6} {:>6} {:>6} {:>6}   men {}",
                id,
                format!("{first}–{last}"),
                fmt_num(w.deaths.round()),
                pct(w.band_pct[0]),
                pct(w.band_pct[1]),
                pct(w.band_pct[2]),
                pct(w.band_pct[3]),
                pct(w.band_pct[4]),
                pct(w.band_pct[5]),
                pct(w.male_pct),
            ));
        }
        say!("{}", who.join("\n"));
        say!("(share of each window's deaths by age band and sex, median of the replicates)");
        if by_card.len() > 1 {
            say!("{}", by_card.join("\n"));
            say!(
                "(share of each window's adult deaths, 15 and over, by the card held at the start; median of the replicates)"
            );
        }
    }
    say!("wrote {}", out.display());
    draw(&out, args.charts.as_ref())?;
    Ok(tally.all_within())
}

/// A scored fact's median and 90% interval as the terminal shows them: counts whole (the
/// interpolated quantiles of whole numbers are rounded), and no interval when every replicate
/// agrees.
fn figures(x: &siege::check::Scored) -> (String, String) {
    let show = |v: f64| fmt_num(if x.whole { v.round() } else { v });
    match (x.median, x.p05, x.p95) {
        (Some(m), Some(a), Some(b)) if show(a) == show(b) => (show(m), String::new()),
        (Some(m), Some(a), Some(b)) => (show(m), format!("[{} – {}]", show(a), show(b))),
        _ => (String::new(), String::new()),
    }
}
