//! `siege report DIR`: one self-contained HTML file of a result directory (`DIR/report.html`).
//!
//! Everything is read from the directory's own files through their row types
//! (`siege::observe::files`, `Summary::read`, the `DayRecord` rows of timeseries.csv), the charts
//! are the SVGs the chart code draws, inlined, and numbers are formatted by the terminal's
//! quotable formatting ([`super::report`]). No network, no scripts, no external fonts: the file
//! opens offline in any browser. Every piece of text that comes from a file (names, ids, facts,
//! the scenario text) is escaped for HTML ([`esc`]).
//!
//! A kind of result directory is one arm of [`Kind`] and of the match in [`build`].

use super::report::{days_warning, grouped, mean_ci, median_interval, outcome_cell, significant, tonnes};
use anyhow::{Context, Result, bail};
use siege::charts::{ChartOptions, ImageFormat};
use siege::experiment::stats::{Describe, describe};
use siege::observe::files::{
    CheckRow, CompareFile, CompareRow, GridValue, PointRow, RunFile, SweepFile, outcome_stats, scenario_digest,
    sha256_hex,
};
use siege::observe::{DayRecord, OUTCOMES, Outcome, SHOWN_OUTCOMES, Summary};
use siege::output::inputs::{self, InputFile};
use siege::output::{read_json, read_named_rows};
use siege::scenario::{self, overrides::Override};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The report's file name inside the result directory.
pub const REPORT_FILE: &str = "report.html";

/// docs/scenario.md, for the meaning, source and standing (modelling choice, estimate) of each key.
const SCENARIO_DOC: &str = include_str!("../../docs/scenario.md");

#[derive(Clone, Debug)]
pub struct ReportArgs {
    pub dir: PathBuf,
    /// Replace an existing report.html.
    pub force: bool,
}

/// The kinds of result directory a report is written for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Run,
    Check,
    Sweep,
    Compare,
    Optimise,
    Sensitivity,
}

impl Kind {
    fn of(dir: &Path) -> Result<Kind> {
        let has = |f: &str| dir.join(f).exists();
        Ok(if has("run.json") && has("timeseries.csv") && has("check.csv") {
            Kind::Check
        } else if has("run.json") && has("timeseries.csv") {
            Kind::Run
        } else if has("sweep.json") && has("sweep_summary.csv") && has("sweep.csv") {
            Kind::Sweep
        } else if has("compare.json") && has("compare.csv") {
            Kind::Compare
        } else if has("optimise.json") && has("optimise.csv") {
            Kind::Optimise
        } else if has("sensitivity.json") && has("sensitivity.csv") {
            Kind::Sensitivity
        } else {
            bail!(
                "no results to report in {}: looked for run.json + timeseries.csv (siege run, with check.csv: siege check), \
                 sweep.json + sweep.csv + sweep_summary.csv (siege sweep), compare.json + compare.csv (siege compare), \
                 optimise.json + optimise.csv (siege optimise) or sensitivity.json + sensitivity.csv (siege sensitivity)",
                dir.display()
            )
        })
    }

    fn word(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Check => "check against documented facts",
            Kind::Sweep => "sweep",
            Kind::Compare => "comparison",
            Kind::Optimise => "optimisation",
            Kind::Sensitivity => "sensitivity analysis",
        }
    }
}

/// `siege report DIR`: writes DIR/report.html; returns its path.
pub fn report(args: &ReportArgs) -> Result<PathBuf> {
    let dir = &args.dir;
    if !dir.is_dir() {
        bail!("cannot report: {} is not a directory", dir.display());
    }
    let kind = Kind::of(dir)?;
    let out = dir.join(REPORT_FILE);
    if out.exists() && !args.force {
        bail!("{} already exists; use --force to replace it", out.display());
    }
    let _lock = siege::output::lock_dir(dir)?;
    let html = build(dir, kind)?;
    siege::output::write_atomic(&out, html.as_bytes())?;
    say!("wrote {}", out.display());
    Ok(out)
}

/// Escapes text for HTML element content and attribute values.
pub fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The report's sections, in order.
#[derive(Default)]
pub(super) struct Page {
    pub(super) title: String,
    pub(super) question: String,
    sections: Vec<(String, String)>,
}

impl Page {
    pub(super) fn section(&mut self, heading: &str, body: String) {
        self.sections.push((heading.to_string(), body));
    }

    fn html(&self, kind: Kind) -> String {
        let mut h = String::new();
        h.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        h.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
        // Nothing may load from anywhere: a browser refuses (and logs) any outside resource.
        h.push_str(
            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n",
        );
        let _ = writeln!(h, "<title>{}</title>", esc(&self.title));
        let _ = writeln!(h, "<style>{CSS}</style>\n</head>\n<body>\n<main>");
        let _ = writeln!(
            h,
            "<header><p class=\"kind\">siege report · {}</p><h1>{}</h1><p class=\"question\">{}</p></header>",
            esc(kind.word()),
            esc(&self.title),
            self.question
        );
        h.push_str("<nav><ol>");
        for (i, (heading, _)) in self.sections.iter().enumerate() {
            let _ = write!(h, "<li><a href=\"#s{i}\">{}</a></li>", esc(heading));
        }
        h.push_str("</ol></nav>\n");
        for (i, (heading, body)) in self.sections.iter().enumerate() {
            let _ = writeln!(h, "<section id=\"s{i}\"><h2>{}</h2>\n{body}</section>", esc(heading));
        }
        let _ = writeln!(
            h,
            "<footer>Written by siege {} (model build {}). Self-contained: no network, scripts or external fonts.</footer>",
            esc(siege::observe::files::VERSION),
            esc(&short_build(siege::observe::files::MODEL_BUILD))
        );
        h.push_str("</main>\n</body>\n</html>\n");
        h
    }
}

const CSS: &str = "\
body{margin:0;background:#f6f5f3;color:#222;font:16px/1.5 'DejaVu Sans',Verdana,Arial,sans-serif}\
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff}\
header h1{margin:.1em 0 .2em;font-size:1.9em}\
.kind{margin:0;color:#666;text-transform:uppercase;letter-spacing:.06em;font-size:.8em}\
.question{font-size:1.2em;color:#333;border-left:4px solid #4e79a7;padding-left:12px}\
nav ol{columns:2;font-size:.9em;color:#555}\
h2{border-bottom:2px solid #e3e0dc;padding-bottom:4px;margin-top:2em}\
h3{margin-top:1.4em}\
table{border-collapse:collapse;margin:.6em 0 1.2em;font-size:.88em}\
th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}\
th{background:#f0eeeb}\
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\
tr.bad td{background:#fbe9e7}tr.good td{background:#edf6ee}\
.note{color:#555;font-size:.9em}\
.warn{background:#fff4e5;border-left:4px solid #e67800;padding:6px 10px}\
.tag{display:inline-block;padding:0 6px;border-radius:3px;font-size:.8em;white-space:nowrap}\
.choice{background:#fde7c8}.estimate{background:#e3ecf7}.set{background:#e6f2e6}.derived{background:#eee}\
figure{margin:1em 0 2em}figure svg{width:100%;height:auto;border:1px solid #eee}\
figcaption{color:#555;font-size:.9em}\
pre{background:#f6f6f6;padding:10px;overflow-x:auto;font-size:.82em;line-height:1.35}\
details{margin:.4em 0}summary{cursor:pointer;font-weight:bold}\
footer{margin-top:3em;color:#777;font-size:.85em}\
@media print{body{background:#fff}nav{display:none}}";

fn short_build(build: &str) -> String {
    build.chars().take(12).collect()
}

pub(super) fn p(text: &str) -> String {
    format!("<p>{text}</p>\n")
}

/// A table from escaped header and cell HTML; numeric cells (those starting with a digit, a
/// minus or a dash) are right-aligned.
pub(super) fn table(head: &[&str], rows: &[Vec<String>]) -> String {
    table_classed(
        head,
        &rows.iter().map(|r| (String::new(), r.clone())).collect::<Vec<_>>(),
    )
}

fn table_classed(head: &[&str], rows: &[(String, Vec<String>)]) -> String {
    let mut h = String::from("<table><thead><tr>");
    for c in head {
        let _ = write!(h, "<th>{}</th>", esc(c));
    }
    h.push_str("</tr></thead><tbody>\n");
    for (class, row) in rows {
        if class.is_empty() {
            h.push_str("<tr>");
        } else {
            let _ = write!(h, "<tr class=\"{class}\">");
        }
        for (i, c) in row.iter().enumerate() {
            let numeric = i > 0 && c.starts_with(|ch: char| ch.is_ascii_digit() || ch == '-' || ch == '–');
            if numeric {
                let _ = write!(h, "<td class=\"n\">{c}</td>");
            } else {
                let _ = write!(h, "<td>{c}</td>");
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
    h
}

/// Builds the report of `dir`.
fn build(dir: &Path, kind: Kind) -> Result<String> {
    let mut page = Page::default();
    match kind {
        Kind::Run | Kind::Check => run_page(dir, kind, &mut page)?,
        Kind::Sweep => sweep_page(dir, &mut page)?,
        Kind::Compare => compare_page(dir, &mut page)?,
        Kind::Optimise => super::html_decisions::optimise_page(dir, &mut page)?,
        Kind::Sensitivity => super::html_decisions::sensitivity_page(dir, &mut page)?,
    }
    Ok(page.html(kind))
}

// ---------------------------------------------------------------- runs and checks

/// A run directory's files, read once.
struct RunFiles {
    meta: RunFile,
    rows: Vec<DayRecord>,
    summaries: Vec<Summary>,
}

impl RunFiles {
    fn load(dir: &Path) -> Result<Self> {
        let meta: RunFile = read_json(&dir.join("run.json"))?;
        let rows = siege::charts::data::read_timeseries(&dir.join("timeseries.csv"))?;
        let path = dir.join("summary.csv");
        let summaries = if path.exists() {
            read_named_rows(&path, Summary::read)?.1
        } else {
            Vec::new()
        };
        Ok(RunFiles { meta, rows, summaries })
    }

    /// Each replicate's rows, in day order.
    fn by_replicate(&self) -> BTreeMap<u32, Vec<&DayRecord>> {
        let mut out: BTreeMap<u32, Vec<&DayRecord>> = BTreeMap::new();
        for r in &self.rows {
            out.entry(r.replicate).or_default().push(r);
        }
        for rows in out.values_mut() {
            rows.sort_by_key(|r| r.day);
        }
        out
    }
}

fn run_page(dir: &Path, kind: Kind, page: &mut Page) -> Result<()> {
    let run = RunFiles::load(dir)?;
    let m = &run.meta;
    page.title = m.scenario_name.clone();
    page.question = run_question(m);
    let n = run.summaries.len().max(run.by_replicate().len());
    page.section("Key numbers", key_numbers(&run.summaries, m.days, n));
    if kind == Kind::Check {
        page.section("Documented facts", check_section(dir, &run.rows)?);
    }
    page.section("Food balance", food_balance(&run));
    page.section("Deaths by place, cause and age", deaths_tables(&run));
    page.section("Charts", charts_section(dir)?);
    page.section("Assumptions in effect", assumptions_of_run(m, dir));
    page.section("Provenance", provenance_of_run(m, dir, kind));
    Ok(())
}

/// "What happens to the 3,000 people living in Farabougou over 60 days of a siege from day 0,
/// with 13 airdrops (234 t)?"
fn run_question(m: &RunFile) -> String {
    let r = &m.resolved;
    let people: u64 = r.people_at_home.values().sum();
    let name_of = |id: &str| {
        m.scenario
            .locations
            .iter()
            .find(|l| l.id == id)
            .and_then(|l| l.name.clone())
            .unwrap_or_else(|| id.to_string())
    };
    let encircled: Vec<String> = r.siege_locations.iter().map(|id| esc(&name_of(id))).collect();
    let mut q = format!(
        "What happens to the {} people of this scenario over {} days",
        grouped(people as f64),
        m.days
    );
    if !encircled.is_empty() {
        let _ = write!(q, ", with {} encircled", list_words(&encircled));
        if let Some(day) = r.siege_start_day {
            let _ = write!(q, " from day {day}");
        }
    }
    let drops = &r.airdrops;
    let convoys = &m.scenario.convoys;
    if drops.is_empty() && convoys.is_empty() {
        q.push_str(", and no relief");
    } else {
        let mut relief = Vec::new();
        if !drops.is_empty() {
            let t: f64 = drops.iter().map(|a| a.tonnes).sum();
            relief.push(format!(
                "{} airdrop{} ({} t, days {}–{})",
                drops.len(),
                if drops.len() == 1 { "" } else { "s" },
                tonnes(t),
                drops.iter().map(|a| a.day).min().unwrap_or(0),
                drops.iter().map(|a| a.day).max().unwrap_or(0)
            ));
        }
        if !convoys.is_empty() {
            relief.push(format!(
                "{} convoy schedule{} by road",
                convoys.len(),
                if convoys.len() == 1 { "" } else { "s" }
            ));
        }
        let _ = write!(q, ", with {}", relief.join(" and "));
    }
    q.push('?');
    q
}

/// "a, b and c".
pub(super) fn list_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// Key outcomes in sentences: median [5th–95th percentile], and the mean's 95% CI for deaths.
fn key_numbers(summaries: &[Summary], days: u32, n: usize) -> String {
    if summaries.is_empty() {
        return p("This directory has no summary.csv, so there are no key numbers.");
    }
    let stats = outcome_stats(summaries.iter());
    let mut h = if n <= 1 {
        p(&format!(
            "One replicate over {days} days: each number is that run's, and no interval can be drawn from one run."
        ))
    } else {
        p(&format!(
            "Over {days} days, across {n} replicates (the same scenario with different random draws): the median, then the 5th–95th percentile of the replicates in brackets. Counts are whole people or days."
        ))
    };
    h.push_str("<ul>\n");
    for (o, d) in OUTCOMES.iter().zip(&stats) {
        let figure = median_interval(o.outcome, d);
        let unit = if o.unit == "days" && figure == "1" {
            "day"
        } else {
            o.unit
        };
        let _ = write!(
            h,
            "<li>{}: <b>{}</b> {}",
            esc(&capitalise(o.label)),
            esc(&figure),
            esc(unit)
        );
        if d.n > 1 && o.outcome == Outcome::DeathsTotal {
            let _ = write!(h, " (mean {} with its 95% confidence interval)", esc(&mean_ci(d)));
        }
        h.push_str(".</li>\n");
    }
    let evacuated: Vec<f64> = summaries.iter().map(|s| s.evacuated_total as f64).collect();
    if evacuated.iter().any(|&x| x > 0.0) {
        let _ = writeln!(
            h,
            "<li>People taken out by organised evacuations: <b>{}</b> people.</li>",
            esc(&people_interval(&evacuated))
        );
    }
    h.push_str("</ul>\n");
    h
}

fn capitalise(text: &str) -> String {
    let mut c = text.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "median [p05 – p95]" of whole people from per-replicate values.
fn people_interval(values: &[f64]) -> String {
    median_interval(Outcome::DeathsTotal, &describe(values))
}

/// The food of a run in tonnes of grain equivalent, per replicate, medians shown.
fn food_balance(run: &RunFiles) -> String {
    let kcal_per_t = run.meta.scenario.food.grain_kcal_per_kg * 1000.0;
    if kcal_per_t.is_nan() || kcal_per_t <= 0.0 {
        return p("The scenario's grain energy density is not positive; no food balance can be drawn.");
    }
    let reps = run.by_replicate();
    let summary_of = |rep: u32| run.summaries.iter().find(|s| s.replicate == rep);
    // (label, note, per-replicate tonnes)
    let mut lines: Vec<(&str, &str, Vec<f64>)> = vec![
        (
            "Food at the start",
            "held by households and stores, end of day 0",
            vec![],
        ),
        (
            "Airdropped food reaching households",
            "airdrops, after losses on landing",
            vec![],
        ),
        ("Airdropped food captured", "taken by the besiegers", vec![]),
        ("Convoy food delivered", "by road, after checkpoints", vec![]),
        ("Convoy food looted", "taken at checkpoints", vec![]),
        (
            "Eaten",
            "mean intake × people fed (living, not kidnapped), summed over the days",
            vec![],
        ),
        (
            "Food at the end",
            "held by households with someone alive and by stores, last day",
            vec![],
        ),
        (
            "Other in and out, by difference",
            "start + relief − eaten − end: markets, host support, livestock, spoilage, food abandoned by households as they fled and food left by households nobody is left in are not itemised in the outputs",
            vec![],
        ),
        (
            "Carried from home by those who fled",
            "what households held as they set out (summary.csv food_carried_kcal): not a flow out of the balance, as it is eaten on the road and at the refuges or held at the end",
            vec![],
        ),
    ];
    let mut tonnes_landed: Vec<f64> = Vec::new();
    let mut tonnes_convoy: Vec<f64> = Vec::new();
    for (&rep, rows) in &reps {
        let (Some(first), Some(last)) = (rows.first(), rows.last()) else {
            continue;
        };
        let t = |kcal: f64| kcal / kcal_per_t;
        let start = t(first.food_kcal + first.store_kcal);
        let usable: f64 = t(rows.iter().map(|r| r.airdrop_usable_kcal).sum());
        let captured: f64 = t(rows.iter().map(|r| r.airdrop_captured_kcal).sum());
        let s = summary_of(rep);
        let delivered = s.map_or(0.0, |s| t(s.convoy_delivered_kcal));
        let looted = s.map_or(0.0, |s| t(s.convoy_looted_kcal));
        let eaten: f64 = t(rows
            .iter()
            .map(|r| {
                let fed = r.n_alive.saturating_sub(r.n_kidnapped) as f64;
                if r.mean_intake_kcal.is_finite() {
                    r.mean_intake_kcal * fed
                } else {
                    0.0
                }
            })
            .sum());
        let end = t(last.food_kcal + last.store_kcal);
        let other = end + eaten - start - usable - delivered;
        let carried = s.map_or(0.0, |s| t(s.food_carried_kcal));
        for (line, v) in lines
            .iter_mut()
            .zip([start, usable, captured, delivered, looted, eaten, end, other, carried])
        {
            line.2.push(v);
        }
        tonnes_landed.push(s.map_or(0.0, |s| s.airdrop_tonnes));
        tonnes_convoy.push(s.map_or(0.0, |s| s.convoy_tonnes));
    }
    let mut h = p(&format!(
        "In tonnes of grain equivalent ({} kcal/kg, <code>food.grain_kcal_per_kg</code>): the median across replicates, with the 5th–95th percentile where replicates differ. \
         The first day's stock is counted at the end of day 0, so day 0's meals are in neither the start nor what was eaten.",
        grouped(run.meta.scenario.food.grain_kcal_per_kg)
    ));
    let fmt_t = |v: &[f64]| {
        let d = describe(v);
        let f = |x: f64| significant_t(x);
        if d.n <= 1 || f(d.p05) == f(d.p95) {
            f(d.p50)
        } else {
            format!("{} [{} – {}]", f(d.p50), f(d.p05), f(d.p95))
        }
    };
    let rows: Vec<Vec<String>> = lines
        .iter()
        .map(|(label, note, v)| vec![esc(label), esc(&fmt_t(v)), esc(note)])
        .collect();
    h.push_str(&table(&["", "tonnes", "what it is"], &rows));
    let landed = describe(&tonnes_landed).p50;
    let convoy = describe(&tonnes_convoy).p50;
    if landed > 0.0 || convoy > 0.0 {
        h.push_str(&p(&format!(
            "Relief loaded (as planned, whatever its energy density): {} t by air, {} t by road (median).",
            esc(&significant_t(landed)),
            esc(&significant_t(convoy))
        )));
    }
    h
}

/// Tonnes to three significant digits, whole above 100.
fn significant_t(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.abs() >= 100.0 {
        grouped(x.round())
    } else if x.abs() < 0.005 {
        "0".into()
    } else {
        significant(x, 3)
    }
}

/// A count column of timeseries.csv.
type Column = fn(&DayRecord) -> u64;

/// Deaths by place (summary.csv), cause and age band and sex (the last day of timeseries.csv).
fn deaths_tables(run: &RunFiles) -> String {
    let reps = run.by_replicate();
    let lasts: Vec<&DayRecord> = reps.values().filter_map(|r| r.last().copied()).collect();
    if lasts.is_empty() {
        return p("No rows in timeseries.csv.");
    }
    let col = |f: fn(&DayRecord) -> u64| -> Vec<f64> { lasts.iter().map(|r| f(r) as f64).collect() };
    let mut h = p("Median across replicates, 5th–95th percentile in brackets, whole people over the whole run.");
    // By place.
    if let Some(first) = run.summaries.first() {
        let rows: Vec<Vec<String>> = first
            .deaths_at
            .iter()
            .map(|(loc, _)| {
                let deaths: Vec<f64> = run
                    .summaries
                    .iter()
                    .map(|s| s.deaths_at.iter().find(|(l, _)| l == loc).map_or(0.0, |x| x.1 as f64))
                    .collect();
                let arrived: Vec<f64> = run
                    .summaries
                    .iter()
                    .map(|s| {
                        s.displaced_to
                            .iter()
                            .find(|(l, _)| l == loc)
                            .map_or(0.0, |x| x.1 as f64)
                    })
                    .collect();
                let home = run.meta.resolved.people_at_home.get(loc).copied().unwrap_or(0);
                vec![
                    esc(loc),
                    grouped(home as f64),
                    esc(&people_interval(&arrived)),
                    esc(&people_interval(&deaths)),
                ]
            })
            .collect();
        h.push_str("<h3>By place</h3>\n");
        h.push_str(&table(
            &["place", "residents at day 0", "arrived displaced", "deaths there"],
            &rows,
        ));
    }
    // A row per labelled column: the label and its deaths, median [5th–95th].
    let rows_of = |columns: &[(&str, Column)]| -> Vec<Vec<String>> {
        columns
            .iter()
            .map(|(label, f)| vec![esc(label), esc(&people_interval(&col(*f)))])
            .collect()
    };
    let causes: [(&str, Column); 11] = [
        ("all causes", |r| r.n_dead),
        ("starvation", |r| r.cum_deaths_starvation),
        ("violence", |r| r.cum_deaths_violence),
        ("background (other causes at the usual rate)", |r| {
            r.cum_deaths_background
        }),
        ("dehydration", |r| r.cum_deaths_dehydration),
        ("killed at drop zones (falling pallets, crushes)", |r| {
            r.cum_deaths_relief
        }),
        ("infections, all", |r| r.cum_deaths_disease),
        ("diarrhoea", |r| r.cum_deaths_diarrhoea),
        ("acute respiratory infection", |r| r.cum_deaths_ari),
        ("malaria", |r| r.cum_deaths_malaria),
        ("measles", |r| r.cum_deaths_measles),
    ];
    h.push_str("<h3>By cause</h3>\n");
    h.push_str(&table(&["cause", "deaths"], &rows_of(&causes)));
    let ages: [(&str, Column); 8] = [
        ("under 1", |r| r.cum_deaths_0),
        ("1–4", |r| r.cum_deaths_1_4),
        ("5–14", |r| r.cum_deaths_5_14),
        ("15–39", |r| r.cum_deaths_15_39),
        ("40–59", |r| r.cum_deaths_40_59),
        ("60 and over", |r| r.cum_deaths_60_plus),
        ("male", |r| r.cum_deaths_male),
        ("female", |r| r.cum_deaths_female),
    ];
    h.push_str("<h3>By age and sex</h3>\n");
    h.push_str(&table(&["age (years) or sex", "deaths"], &rows_of(&ages)));
    // Adults by the ration card held at the start, where the scenario reads cards (otherwise
    // every column is 0 and the table is left out).
    let cards: [(&str, Column); 3] = [
        ("worker", |r| r.cum_deaths_worker),
        ("employee", |r| r.cum_deaths_employee),
        ("dependant", |r| r.cum_deaths_dependant),
    ];
    if cards.iter().any(|(_, f)| col(*f).iter().any(|&x| x > 0.0)) {
        h.push_str("<h3>Adults by the ration card held at the start</h3>\n");
        h.push_str(&table(&["card", "deaths"], &rows_of(&cards)));
    }
    h
}

/// The check table: each fact, the model's median and 5–95 % at it, and whether it is within.
fn check_section(dir: &Path, rows: &[DayRecord]) -> Result<String> {
    let path = dir.join("check.csv");
    let mut r = csv::Reader::from_path(&path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut facts: Vec<CheckRow> = Vec::new();
    for (i, row) in r.deserialize().enumerate() {
        facts.push(row.with_context(|| format!("{}:{}", path.display(), i + 2))?);
    }
    // Outcomes and calibration targets counted apart, as the terminal does.
    let tally = siege::check::Tally::of(facts.iter().map(|f| (f.kind == "calibration", f.within)));
    let (within, scored) = (tally.outcomes_within, tally.outcomes);
    let (cal_within, cal_scored) = (tally.calibrations_within, tally.calibrations);
    let calibrations = if cal_scored > 0 {
        format!(
            " {cal_scored} calibration target{} (an outcome a scenario input was fitted to: not a test), <b>{cal_within} of {cal_scored}</b> within tolerance.",
            if cal_scored == 1 { "" } else { "s" }
        )
    } else {
        String::new()
    };
    let mut h = p(&format!(
        "{} fact{} from the record; {scored} scored against the model (outcome facts with a metric), <b>{within} of {scored}</b> within tolerance.{calibrations} \
         Inputs are what the scenario was built from; a fact without a metric is not in the model.",
        facts.len(),
        if facts.len() == 1 { "" } else { "s" },
    ));
    let rows: Vec<(String, Vec<String>)> = facts
        .iter()
        .map(|f| {
            let class = match f.within {
                Some(true) => "good",
                Some(false) => "bad",
                None => "",
            };
            let model = {
                let (a, b, c) = (f.sim_p05.or_nan(), f.sim_median.or_nan(), f.sim_p95.or_nan());
                if !b.is_finite() {
                    "–".to_string()
                } else {
                    // Counts whole, as the terminal's check table shows them: every replicate's
                    // value at the fact's day is a whole number.
                    let whole = f.window.is_none() && is_whole(rows, f.day, &f.metric);
                    let fmt = |x: f64| fmt_fact(if whole { x.round() } else { x });
                    if fmt(a) == fmt(c) {
                        fmt(b)
                    } else {
                        format!("{} [{} – {}]", fmt(b), fmt(a), fmt(c))
                    }
                }
            };
            let verdict = match f.within {
                Some(true) => "within",
                Some(false) => "outside",
                None => "not scored",
            };
            (
                class.to_string(),
                vec![
                    esc(&f.id),
                    esc(&f.kind),
                    f.day.to_string(),
                    esc(&f.quantity),
                    esc(&f.metric),
                    esc(&f.documented),
                    esc(&f.tolerance),
                    esc(&model),
                    verdict.to_string(),
                ],
            )
        })
        .collect();
    h.push_str(&table_classed(
        &[
            "id",
            "kind",
            "day",
            "quantity",
            "metric",
            "documented",
            "tolerance",
            "model: median [5–95%]",
            "verdict",
        ],
        &rows,
    ));
    Ok(h)
}

/// Whether every replicate's `metric` (a timeseries.csv column) on `day` is a whole number.
fn is_whole(rows: &[DayRecord], day: u32, metric: &str) -> bool {
    let values: Vec<f64> = rows
        .iter()
        .filter(|r| r.day == day)
        .filter_map(|r| serde_json::to_value(r).ok()?.get(metric)?.as_f64())
        .collect();
    !values.is_empty() && values.iter().all(|x| x.fract() == 0.0)
}

/// A fact's number: whole when whole or large, else three significant digits.
fn fmt_fact(x: f64) -> String {
    if !x.is_finite() {
        "–".into()
    } else if (x - x.round()).abs() < 1e-9 || x.abs() >= 100.0 {
        grouped(x.round())
    } else {
        significant(x, 3)
    }
}

// ---------------------------------------------------------------- charts

/// The charts the chart code draws for `dir`, as SVG, inlined; drawn into a scratch directory
/// that is removed afterwards (the directory's own charts/ is left as it is).
pub(super) fn charts_section(dir: &Path) -> Result<String> {
    let kinds = siege::charts::kinds_of(dir);
    if kinds.is_empty() {
        return Ok(p("No charts for this directory."));
    }
    let scratch = scratch_dir(dir)?;
    let opts = ChartOptions {
        format: ImageFormat::Svg,
        ..ChartOptions::default()
    };
    let drawn = siege::charts::plot_dir_into(dir, scratch.path(), &kinds, &opts);
    let files = drawn.with_context(|| format!("drawing the charts of {}", dir.display()))?;
    let mut h = p(
        "The charts <code>siege plot</code> draws. Charts over time mark events as dashed lines, each named in the chart's legend; a comparison's charts also mark each plan's own airdrops and convoys in its colour along the foot of the plot.",
    );
    for f in files {
        let svg = std::fs::read_to_string(&f).with_context(|| format!("cannot read {}", f.display()))?;
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let _ = writeln!(
            h,
            "<figure id=\"chart-{}\">{}<figcaption>{}</figcaption></figure>",
            esc(&name),
            inline_svg(&svg),
            esc(&name.replace('_', " "))
        );
    }
    Ok(h)
}

/// An SVG file's `<svg>` element, scalable in the page (a viewBox from its width and height).
fn inline_svg(svg: &str) -> String {
    let body = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    if body.contains("viewBox") {
        return body.to_string();
    }
    let attr = |name: &str| -> Option<String> {
        let head = &body[..body.find('>')?];
        let at = head.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(head[at..at + head[at..].find('"')?].to_string())
    };
    match (attr("width"), attr("height")) {
        (Some(w), Some(hh)) => body.replacen("<svg", &format!("<svg viewBox=\"0 0 {w} {hh}\""), 1),
        _ => body.to_string(),
    }
}

/// A directory removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A new, empty scratch directory beside the result directory's files (`.report-charts-…`).
fn scratch_dir(dir: &Path) -> Result<Scratch> {
    for _ in 0..16 {
        let (tmp, f) = siege::output::create_temp(&dir.join("report-charts"), "")
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        drop(f);
        let _ = std::fs::remove_file(&tmp);
        if std::fs::create_dir(&tmp).is_ok() {
            return Ok(Scratch(tmp));
        }
    }
    bail!("cannot make a scratch directory in {}", dir.display())
}

// ---------------------------------------------------------------- assumptions

/// What docs/scenario.md says of one key: its default as documented, unit and meaning/source.
struct DocKey {
    /// The default column, as written (`1`, `` `food.grain_kcal_per_kg`; 5,435 for RUTF ``, `—`).
    default: String,
    unit: String,
    source: String,
}

/// docs/scenario.md's key tables (those headed `| key | type | default | unit | …`): (section,
/// key) → what it says. A section is a `### `[name]`` heading, or a sub-table introduced inside
/// one by a paragraph that starts with its name (`` `[[locations.water]]` — one water source … ``);
/// other tables (the aircraft presets) are not key tables.
fn doc_keys() -> BTreeMap<(String, String), DocKey> {
    let mut out = BTreeMap::new();
    let mut section = String::new();
    let mut in_keys = false;
    let name_of = |head: &str| {
        head.trim_start_matches('[')
            .split(']')
            .next()
            .unwrap_or_default()
            .to_string()
    };
    for line in SCENARIO_DOC.lines() {
        if let Some(head) = line.strip_prefix("### `[") {
            section = name_of(head);
            continue;
        }
        if let Some(head) = line.strip_prefix("`[").filter(|h| h.contains("]` —")) {
            section = name_of(head);
            continue;
        }
        if line.starts_with("## ") {
            section.clear();
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        if !line.starts_with('|') {
            in_keys = false;
            continue;
        }
        if cells.get(1) == Some(&"key") {
            in_keys = true;
            continue;
        }
        if section.is_empty() || !in_keys || cells.len() < 7 || !cells[1].starts_with('`') {
            continue;
        }
        for key in cells[1].split(',').map(|k| k.trim().trim_matches('`')) {
            out.insert(
                (section.clone(), key.to_string()),
                DocKey {
                    default: cells[3].to_string(),
                    unit: cells[4].to_string(),
                    source: cells[5].to_string(),
                },
            );
        }
    }
    out
}

/// How a documented value stands: "modelling choice", "estimate" or "" (a source is cited, or
/// the key is a definition or a scenario input).
fn standing(source: &str) -> &'static str {
    let s = source.to_lowercase();
    if s.contains("modelling choice") {
        "modelling choice"
    } else if s.contains("estimate") {
        "estimate"
    } else {
        ""
    }
}

/// The range docs/scenario.md names for a key path ("0–2,100" from "… range 0–2,100 …"), if it
/// names one.
fn documented_range(path: &str) -> Option<String> {
    let docs = doc_keys();
    let source = &doc_of(&docs, path)?.source;
    let at = source.find("range ")? + "range ".len();
    let range: String = source[at..]
        .chars()
        .take_while(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | '–'))
        .collect();
    let range = range.trim_end_matches(['.', ',']);
    range.contains('–').then(|| range.to_string())
}

/// An assumption's standing and, where docs/scenario.md names one, its range ("estimate, range
/// 0–2,100"): `siege validate` and the report say it alike.
pub(super) fn standing_and_range(a: &scenario::AssumptionInEffect) -> String {
    match documented_range(&a.path) {
        Some(range) => format!("{}, range {range}", a.standing),
        None => a.standing.to_string(),
    }
}

/// The documentation of a key path (`food.grain_kcal_per_kg`, `locations.0.capacity`).
fn doc_of<'a>(docs: &'a BTreeMap<(String, String), DocKey>, path: &str) -> Option<&'a DocKey> {
    let segments: Vec<&str> = path.split('.').filter(|s| s.parse::<usize>().is_err()).collect();
    for split in (1..segments.len()).rev() {
        let (section, key) = (segments[..split].join("."), segments[split..].join("."));
        if let Some(d) = docs.get(&(section, key)) {
            return Some(d);
        }
    }
    None
}

/// The value in effect of a key the scenario leaves unset (an absent optional value, `null` in
/// run.json): the default docs/scenario.md gives it (`airdrops.0.sorties` 1, `airdrops.0.target`
/// the first encircled location), a key it names followed by that key's value in `root`
/// (`food.grain_kcal_per_kg (3600.0); 5,435 for RUTF`), or "none" where it has none (`—`:
/// absent means off).
fn unset_value(docs: &BTreeMap<(String, String), DocKey>, root: &serde_json::Value, path: &str) -> String {
    let default = doc_of(docs, path).map_or("", |d| d.default.trim());
    if matches!(default, "" | "—" | "-" | "–" | "required") {
        return "none".into();
    }
    let value_of = |key: &str| {
        key.split('.')
            .try_fold(root, |v, k| v.get(k))
            .filter(|v| !v.is_null() && !v.is_object() && !v.is_array())
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_string))
    };
    default
        .split('`')
        .enumerate()
        .map(|(i, s)| match (i % 2 == 1).then(|| value_of(s)).flatten() {
            Some(v) => format!("{s} ({v})"),
            None => s.to_string(),
        })
        .collect()
}

/// Every leaf of a JSON value as (key path, value text), an unset value shown as its documented
/// default ([`unset_value`]); arrays of plain values are one leaf.
fn flatten(
    docs: &BTreeMap<(String, String), DocKey>,
    root: &serde_json::Value,
    prefix: &str,
    v: &serde_json::Value,
    out: &mut Vec<(String, String)>,
) {
    let join = |k: &str| {
        if prefix.is_empty() {
            k.to_string()
        } else {
            format!("{prefix}.{k}")
        }
    };
    match v {
        serde_json::Value::Object(map) => {
            for (k, x) in map {
                flatten(docs, root, &join(k), x, out);
            }
        }
        serde_json::Value::Array(items) if items.iter().any(|x| x.is_object()) => {
            for (i, x) in items.iter().enumerate() {
                flatten(docs, root, &join(&i.to_string()), x, out);
            }
        }
        serde_json::Value::Null => out.push((prefix.to_string(), unset_value(docs, root, prefix))),
        serde_json::Value::String(s) => out.push((prefix.to_string(), s.clone())),
        other => out.push((prefix.to_string(), other.to_string())),
    }
}

/// The TOML tree of a scenario file with the bases it `extends` merged under it (tables key by
/// key, other values replaced whole, as the parser merges them), or why it cannot be read.
pub(super) fn written_tree(path: &Path, depth: usize) -> Result<toml::Table, String> {
    written_tree_from(path, depth, &|p| scenario::read_text(p))
}

/// [`written_tree`], each file's text given by `read` (the disk, or a result's stored inputs).
fn written_tree_from(
    path: &Path,
    depth: usize,
    read: &dyn Fn(&Path) -> Result<String, String>,
) -> Result<toml::Table, String> {
    if depth > 8 {
        return Err("`extends` goes more than 8 files deep".into());
    }
    let text = read(path)?;
    let mut table: toml::Table = text.parse().map_err(|e: toml::de::Error| e.message().to_string())?;
    if let Some(toml::Value::String(base)) = table.remove("extends") {
        let base_path = path.parent().unwrap_or(Path::new(".")).join(base);
        let mut merged = written_tree_from(&base_path, depth + 1, read)?;
        merge(&mut merged, table);
        table = merged;
    }
    Ok(table)
}

fn merge(under: &mut toml::Table, over: toml::Table) {
    for (k, v) in over {
        match (under.get_mut(&k), v) {
            (Some(toml::Value::Table(a)), toml::Value::Table(b)) => merge(a, b),
            (_, v) => {
                under.insert(k, v);
            }
        }
    }
}

/// Whether `path` (a leaf key path of the resolved scenario) is written in `tree` or named by an
/// override.
fn is_written(tree: &toml::Table, overrides: &[String], path: &str) -> bool {
    scenario::overrides::get_path(tree, path).is_some()
        || overrides.iter().any(|o| {
            o.split_once('=')
                .is_some_and(|(k, _)| k.trim() == path || path.starts_with(&format!("{}.", k.trim())))
        })
}

/// The assumptions table of one resolved scenario. `tree` is the file as written (None when it
/// cannot be read or has changed: then nothing is marked written), `varied` the swept keys.
fn assumptions_table(
    scenario_json: &serde_json::Value,
    tree: Option<&toml::Table>,
    overrides: &[String],
    varied: &[String],
) -> String {
    let docs = doc_keys();
    let mut leaves = Vec::new();
    flatten(&docs, scenario_json, "", scenario_json, &mut leaves);
    let mut by_section: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut choices_by_default: Vec<String> = Vec::new();
    let (mut n_written, mut n_default) = (0, 0);
    let drawn: Vec<scenario::uncertain::UncertainParams> =
        serde_json::from_value(scenario_json["uncertain"].clone()).unwrap_or_default();
    // The scenario as TOML, to find the element an entry or a varied key names by id
    // (`locations.city.x`) among the leaves, which name it by index.
    let resolved: toml::Table = serde_json::from_value::<scenario::ScenarioFile>(scenario_json.clone())
        .ok()
        .and_then(|f| toml::Table::try_from(&f).ok())
        .unwrap_or_default();
    for (path, value) in &leaves {
        let doc = doc_of(&docs, path);
        let stand = doc.map_or("", |d| standing(&d.source));
        let how = if varied
            .iter()
            .any(|v| scenario::overrides::indexed_path(&resolved, v) == *path)
        {
            "<span class=\"tag set\">varied</span>".to_string()
        } else if let Some(t) = tree {
            if is_written(t, overrides, path) {
                n_written += 1;
                "<span class=\"tag set\">written</span>".to_string()
            } else {
                n_default += 1;
                if !stand.is_empty() {
                    choices_by_default.push(format!("<code>{}</code> = {}", esc(path), esc(value)));
                }
                "default".to_string()
            }
        } else {
            "–".to_string()
        };
        let tag = match stand {
            "modelling choice" => "<span class=\"tag choice\">modelling choice</span>",
            "estimate" => "<span class=\"tag estimate\">estimate</span>",
            _ => "",
        };
        // A key an `[[uncertain]]` entry draws: the value above is only the file's, no replicate's.
        let how = match drawn.iter().find(|u| u.key_path_in(&resolved) == *path) {
            Some(u) => format!(
                "{how}; <span class=\"tag estimate\">drawn per replicate</span>: {} (<code>[[uncertain]]</code>)",
                esc(&u.shape())
            ),
            None => how,
        };
        let section = path.split('.').next().unwrap_or_default().to_string();
        by_section.entry(section).or_default().push(vec![
            format!("<code>{}</code>", esc(path)),
            esc(value),
            esc(doc.map_or("", |d| d.unit.as_str())),
            how,
            tag.to_string(),
            esc(doc.map_or("", |d| d.source.as_str())),
        ]);
    }
    let mut h = String::new();
    if tree.is_some() {
        let _ = writeln!(
            h,
            "<p>{} values in effect: {n_written} written in the scenario file (or a base it extends) or set on the command line, {n_default} defaults the file did not write.</p>",
            leaves.len()
        );
        // The assumptions that matter most, from the one list `siege validate` shows too.
        let matter = tree
            .zip(serde_json::from_value::<scenario::ScenarioFile>(scenario_json.clone()).ok())
            .map(|(t, file)| scenario::assumptions_in_effect(&file, |path| is_written(t, overrides, path)))
            .unwrap_or_default();
        if !matter.is_empty() {
            let rows: Vec<Vec<String>> = matter
                .iter()
                .map(|a| {
                    vec![
                        format!("<code>{}</code>", esc(&a.key)),
                        esc(&a.value),
                        esc(a.unit),
                        if a.written { "written" } else { "default" }.to_string(),
                        esc(&standing_and_range(a)),
                    ]
                })
                .collect();
            h.push_str("<div class=\"warn\"><p>The assumptions that mattered most in the README's sensitivity analysis of Farabougou's long siege (yours may differ: <em>siege sensitivity</em> with <em>[[uncertain]]</em> ranks them for this scenario), with the value in effect, whether the scenario file wrote it or left the default, and the range docs/scenario.md names; check that they fit the place:</p>\n");
            h.push_str(&table(
                &["key", "value", "unit", "in the file?", "standing, range"],
                &rows,
            ));
            h.push_str("</div>\n");
        }
        if !choices_by_default.is_empty() {
            let _ = writeln!(
                h,
                "<div class=\"warn\"><p>{} of these defaults are modelling choices or estimates, not measurements (docs/scenario.md says so): check that they fit the place before quoting the results.</p><details><summary>Which defaults</summary><p>{}.</p></details></div>",
                choices_by_default.len(),
                choices_by_default.join("; ")
            );
        }
    }
    h.push_str("<p class=\"note\">Each key's standing is docs/scenario.md's own word: <span class=\"tag choice\">modelling choice</span> where no source fixes the number, <span class=\"tag estimate\">estimate</span> where the documentation calls it one; otherwise the source it cites (or a scenario input) is shown.</p>\n");
    for (section, rows) in by_section {
        let _ = writeln!(
            h,
            "<details><summary>[{}] — {} values</summary>",
            esc(&section),
            rows.len()
        );
        h.push_str(&table(
            &[
                "key",
                "value",
                "unit",
                "in the file?",
                "standing",
                "meaning and source (docs/scenario.md)",
            ],
            &rows,
        ));
        h.push_str("</details>\n");
    }
    h
}

/// The scenario file as written, when it is still there and gives the same scenario as the run
/// (the same `scenario_digest` after the same overrides).
struct Verified {
    text: Option<String>,
    tree: Option<toml::Table>,
    /// Why the file cannot be shown as the run's, if it cannot.
    note: String,
}

/// Recorded `KEY=VALUE` overrides as pairs, to parse a scenario with them again.
fn key_values(recorded: &[String]) -> Vec<(String, String)> {
    recorded
        .iter()
        .filter_map(|o| o.split_once('=').map(|(k, v)| (k.to_string(), v.to_string())))
        .collect()
}

/// Reads a file by the path a command read it from, out of the inputs stored in the result
/// directory `dir`: how the report tells written keys from defaults without the original files.
fn stored_reader(dir: &Path, files: &[InputFile]) -> impl Fn(&Path) -> Result<String, String> {
    let stored: BTreeMap<String, Result<String, String>> = files
        .iter()
        .map(|f| (f.path.clone(), inputs::stored_text(dir, f)))
        .collect();
    move |p: &Path| {
        stored
            .get(&p.display().to_string())
            .cloned()
            .unwrap_or_else(|| Err(format!("{} is not among the stored inputs", p.display())))
    }
}

/// The scenario file of a run as the assumptions show it: from the result's stored inputs when it
/// has them (the text the run read, wherever the report is written), else as it reads now at its
/// recorded path, checked against the run's scenario_digest.
fn verify_run_file(m: &RunFile, dir: &Path) -> Verified {
    if let Some(main) = m.inputs.first() {
        let read = stored_reader(dir, &m.inputs);
        return match read(Path::new(&main.path)) {
            Ok(text) => Verified {
                tree: written_tree_from(Path::new(&main.path), 0, &read).ok(),
                text: Some(text),
                note: format!(
                    "The scenario file {} as the run read it (stored in this result as {}).",
                    main.path, main.stored
                ),
            },
            Err(e) => Verified {
                text: None,
                tree: None,
                note: format!(
                    "The stored scenario file cannot be read ({e}); run.json holds the resolved scenario below."
                ),
            },
        };
    }
    let path = Path::new(&m.scenario_file);
    let overrides = key_values(&m.overrides);
    let text = match scenario::read_text(path) {
        Ok(t) => t,
        Err(e) => {
            return Verified {
                text: None,
                tree: None,
                note: format!(
                    "The scenario file {} cannot be read here ({e}); run.json holds the resolved scenario below.",
                    m.scenario_file
                ),
            };
        }
    };
    match scenario::load(path, &overrides) {
        Ok(s) if m.scenario_digest.is_empty() || scenario_digest(&s) == m.scenario_digest => Verified {
            tree: written_tree(path, 0).ok(),
            text: Some(text),
            note: format!(
                "The scenario file {} as it reads now gives exactly the scenario of this run (the same scenario_digest after the same overrides).",
                m.scenario_file
            ),
        },
        Ok(_) => Verified {
            text: None,
            tree: None,
            note: format!(
                "The scenario file {} has changed since the run (its scenario_digest differs), so it is not shown and values written in it cannot be told from defaults; run.json holds the resolved scenario below.",
                m.scenario_file
            ),
        },
        Err(e) => Verified {
            text: None,
            tree: None,
            note: format!(
                "The scenario file {} no longer loads ({e}); run.json holds the resolved scenario below.",
                m.scenario_file
            ),
        },
    }
}

fn assumptions_of_run(m: &RunFile, dir: &Path) -> String {
    let v = verify_run_file(m, dir);
    let mut h = p(&esc(&v.note));
    let json = serde_json::to_value(&m.scenario).unwrap_or_default();
    h.push_str(&assumptions_table(&json, v.tree.as_ref(), &m.overrides, &[]));
    h.push_str(&resolved_section(m));
    h
}

/// The defaults that depend on other keys, as the run used them (run.json `resolved`).
fn resolved_section(m: &RunFile) -> String {
    let r = &m.resolved;
    let mut h = String::from("<h3>Derived defaults, as the run used them</h3>\n");
    let mut rows = vec![
        vec!["encircled places".into(), esc(&r.siege_locations.join(", "))],
        vec![
            "siege starts".into(),
            r.siege_start_day.map_or("never".into(), |d| format!("day {d}")),
        ],
    ];
    for (loc, n) in &r.people_at_home {
        rows.push(vec![format!("residents of {}", esc(loc)), grouped(*n as f64)]);
    }
    for (loc, a) in &r.attractiveness {
        rows.push(vec![
            format!("attractiveness of {}", esc(loc)),
            esc(&significant(*a, 3)),
        ]);
    }
    for route in &r.routes {
        rows.push(vec![
            format!("route {}", esc(&route.id)),
            esc(&format!(
                "{} – {}, {} km, {} before any event, crossing risk {}",
                route.from,
                route.to,
                significant(route.distance_km, 3),
                serde_json::to_value(route.state)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_default(),
                route.crossing_risk
            )),
        ]);
    }
    for a in &r.airdrops {
        rows.push(vec![
            format!("airdrop on day {}", a.day),
            esc(&format!(
                "{} t at {} kcal/kg to {}, {}% usable, {}% captured",
                tonnes(a.tonnes),
                grouped(a.kcal_per_kg),
                a.target,
                significant(a.usable_fraction * 100.0, 3),
                significant(a.captured_fraction * 100.0, 3)
            )),
        ]);
    }
    h.push_str(&table(&["", "value"], &rows));
    h
}

// ---------------------------------------------------------------- provenance

pub(super) fn shell_word(text: &str) -> String {
    if !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@".contains(c))
    {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

fn provenance_of_run(m: &RunFile, dir: &Path, kind: Kind) -> String {
    let mut cmd = vec![
        "siege".to_string(),
        if kind == Kind::Check { "check" } else { "run" }.to_string(),
        shell_word(&m.scenario_file),
    ];
    for o in &m.overrides {
        cmd.push("--set".into());
        cmd.push(shell_word(o));
    }
    if kind == Kind::Check {
        cmd.push("--facts".into());
        // The facts file is the last input a check stores.
        cmd.push(m.inputs.last().map_or("FACTS.csv".into(), |f| shell_word(&f.path)));
    }
    cmd.push("--out".into());
    cmd.push(shell_word(&dir.display().to_string()));
    let mut rows = vec![
        vec!["scenario".into(), esc(&m.scenario_name)],
        vec!["scenario file".into(), esc(&m.scenario_file)],
        vec!["seed".into(), m.seed.to_string()],
        vec!["replicates".into(), m.replicates.to_string()],
        vec!["days".into(), m.days.to_string()],
        vec![
            "start date".into(),
            esc(m.start_date.as_deref().unwrap_or("none (days are counted from 0)")),
        ],
        vec!["written by".into(), esc(&format!("{} {}", m.program, m.version))],
        vec!["model build".into(), format!("<code>{}</code>", esc(&m.model_build))],
        vec![
            "scenario digest".into(),
            format!("<code>{}</code>", esc(&m.scenario_digest)),
        ],
    ];
    if m.model_build != siege::observe::files::MODEL_BUILD {
        rows.push(vec![
            "note".into(),
            "this report was written by a different build of siege than the results; the numbers are the results' own"
                .into(),
        ]);
    }
    let mut h = table(&["", ""], &rows);
    let _ = writeln!(
        h,
        "<p>The command that reproduces it{}:</p>",
        if kind == Kind::Check && m.inputs.is_empty() {
            " (run.json does not record the facts file: put its path for FACTS.csv)"
        } else {
            ""
        }
    );
    let _ = writeln!(h, "<pre>{}</pre>", esc(&cmd.join(" ")));
    if m.inputs.is_empty() {
        let v = verify_run_file(m, dir);
        match v.text {
            Some(text) => {
                let _ = writeln!(
                    h,
                    "<details open><summary>The scenario file, {}</summary><pre>{}</pre></details>",
                    esc(&m.scenario_file),
                    esc(&text)
                );
            }
            None => h.push_str(&p(&esc(&v.note))),
        }
    } else {
        h.push_str(&stored_inputs(dir, &m.inputs));
    }
    h
}

// ---------------------------------------------------------------- sweeps

fn sweep_page(dir: &Path, page: &mut Page) -> Result<()> {
    let meta: SweepFile = read_json(&dir.join("sweep.json"))?;
    let (_, points) = read_named_rows(&dir.join("sweep_summary.csv"), |h, r| PointRow::read(&meta, h, r))?;
    page.title = format!(
        "{} — sweep of {}",
        meta.scenario_name,
        meta.vary.iter().map(|v| v.key.as_str()).collect::<Vec<_>>().join(" × ")
    );
    let axes: Vec<String> = meta
        .vary
        .iter()
        .map(|v| {
            format!(
                "<code>{}</code> takes the values {}",
                esc(&v.key),
                esc(&values_text(&v.values))
            )
        })
        .collect();
    page.question = format!(
        "How do deaths, flight and hunger in {} change when {}, over {} days with {} replicates at each point?",
        esc(&meta.scenario_name),
        list_words(&axes),
        meta.days,
        meta.replicates
    );
    let mut numbers = sweep_numbers(&points);
    let keys: Vec<String> = meta.vary.iter().map(|v| v.key.clone()).collect();
    if let Some(v) = super::html_decisions::sweep_versus(dir, &keys)? {
        numbers.push_str(&v);
    }
    page.section("Key numbers", numbers);
    page.section("Charts", charts_section(dir)?);
    page.section("Assumptions in effect", sweep_assumptions(&meta, dir));
    page.section("Provenance", sweep_provenance(&meta, dir));
    Ok(())
}

fn values_text(values: &[GridValue]) -> String {
    let cells: Vec<String> = values.iter().map(GridValue::cell).collect();
    if cells.len() > 8 {
        format!(
            "{}, {}, …, {} ({} values)",
            cells[0],
            cells[1],
            cells[cells.len() - 1],
            cells.len()
        )
    } else {
        cells.join(", ")
    }
}

fn point_text(p: &PointRow) -> String {
    p.values
        .iter()
        .map(|(k, v)| format!("{k} = {}", v.cell()))
        .collect::<Vec<_>>()
        .join(", ")
}

fn sweep_numbers(points: &[PointRow]) -> String {
    let mut h = String::new();
    if points.is_empty() {
        return p("sweep_summary.csv has no points.");
    }
    let n = points.iter().map(|p| p.replicates).max().unwrap_or(0);
    h.push_str("<ul>\n");
    for o in SHOWN_OUTCOMES {
        let by = |a: &&PointRow, b: &&PointRow| a.stat(o).p50.total_cmp(&b.stat(o).p50);
        let (Some(lo), Some(hi)) = (points.iter().min_by(by), points.iter().max_by(by)) else {
            continue;
        };
        let info = o.info();
        if lo.stat(o).p50 == hi.stat(o).p50 {
            let _ = writeln!(
                h,
                "<li>{}: <b>{}</b> {} at every point.</li>",
                esc(&capitalise(info.label)),
                esc(&median_interval(o, lo.stat(o))),
                esc(info.unit)
            );
        } else {
            let _ = writeln!(
                h,
                "<li>{}: lowest median <b>{}</b> {} at {}; highest <b>{}</b> at {}.</li>",
                esc(&capitalise(info.label)),
                esc(&median_interval(o, lo.stat(o))),
                esc(info.unit),
                esc(&point_text(lo)),
                esc(&median_interval(o, hi.stat(o))),
                esc(&point_text(hi))
            );
        }
    }
    h.push_str("</ul>\n");
    h.push_str(&p(&format!(
        "Each point ran {n} replicates with common random numbers (the same draws at every point), so differences between points are the varied keys' effect, not noise between seeds. Median [5th–95th percentile], then the mean ± its 95% confidence interval."
    )));
    let mut head: Vec<String> = points[0].values.iter().map(|(k, _)| k.clone()).collect();
    for o in SHOWN_OUTCOMES {
        head.push(o.info().label.to_string());
    }
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            let mut row: Vec<String> = p.values.iter().map(|(_, v)| esc(&v.cell())).collect();
            for o in SHOWN_OUTCOMES {
                row.push(esc(&outcome_cell(o, p.stat(o))));
            }
            row
        })
        .collect();
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    h.push_str(&table(&head, &rows));
    h
}

/// The scenario of a sweep as its file reads now, checked against sweep.json's digest of every
/// grid point.
fn sweep_assumptions(meta: &SweepFile, dir: &Path) -> String {
    // When the file cannot give the sweep's scenarios, the one sweep.json records (resolved,
    // before --vary) still shows the values in effect; without the file, written keys cannot be
    // told from defaults.
    let varied: Vec<String> = meta.vary.iter().map(|v| v.key.clone()).collect();
    let recorded = |why: String| match &meta.scenario {
        Some(swept) => {
            let mut h = p(&esc(&format!(
                "{why}; shown is the scenario sweep.json records (after `extends` and --set, before --vary; the varied keys take the values above), in which written values cannot be told from defaults."
            )));
            let json = serde_json::to_value(&swept.0).unwrap_or_default();
            h.push_str(&assumptions_table(&json, None, &meta.set, &varied));
            h
        }
        None => p(&esc(&format!(
            "{why}, and this sweep.json (an older siege's) records only its path: the assumptions cannot be shown."
        ))),
    };
    // With the input files stored, the recorded scenario's written keys are told from defaults
    // through them, wherever the report is written.
    if let (Some(swept), false) = (&meta.scenario, meta.inputs.is_empty()) {
        let tree = written_tree_from(Path::new(&meta.scenario_file), 0, &stored_reader(dir, &meta.inputs));
        let mut h = p(&esc(
            "The scenario sweep.json records (after `extends` and --set, before --vary; the varied keys take the values above), its written values told from defaults through the input files stored in this result.",
        ));
        let json = serde_json::to_value(&swept.0).unwrap_or_default();
        h.push_str(&assumptions_table(&json, tree.ok().as_ref(), &meta.set, &varied));
        return h;
    }
    let path = Path::new(&meta.scenario_file);
    let set = key_values(&meta.set);
    let text = match scenario::read_text(path) {
        Ok(t) => t,
        Err(e) => {
            return recorded(format!(
                "The scenario file {} cannot be read here ({e})",
                meta.scenario_file
            ));
        }
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    let given = Override::from_set(&set);
    let mut scenarios = Vec::new();
    for i in 0..meta.points {
        let mut overrides = given.clone();
        for (k, v) in meta.point_values(i) {
            let value = match v {
                GridValue::Integer(x) => toml::Value::Integer(x),
                GridValue::Float(x) => toml::Value::Float(x),
                GridValue::Bool(x) => toml::Value::Boolean(x),
                GridValue::Text(t) => scenario::overrides::parse_value(&t),
            };
            overrides.push(Override::new(&k, value, "--vary"));
        }
        overrides.push(Override::new(
            "simulation.replicates",
            i64::from(meta.replicates).into(),
            "--replicates",
        ));
        match scenario::parse_in(&meta.scenario_file, &text, &overrides, dir) {
            Ok(s) => scenarios.push(s),
            Err(e) => {
                return recorded(format!(
                    "The scenario file {} no longer loads at grid point {i} ({e})",
                    meta.scenario_file
                ));
            }
        }
    }
    let digests: Vec<String> = scenarios.iter().map(scenario_digest).collect();
    let same = meta.scenario_digest.is_empty() || sha256_hex(digests.join("\n").as_bytes()) == meta.scenario_digest;
    if !same {
        return recorded(format!(
            "The scenario file {} has changed since the sweep (the scenario_digest of its grid differs from sweep.json's)",
            meta.scenario_file
        ));
    }
    let mut h = p(&esc(&format!(
        "The scenario file {} as it reads now gives exactly the scenarios of this sweep (the same scenario_digest over every grid point). Shown at the first grid point; the varied keys take the values above.",
        meta.scenario_file
    )));
    let json = serde_json::to_value(scenarios[0].as_written()).unwrap_or_default();
    let tree = written_tree(path, 0).ok();
    h.push_str(&assumptions_table(&json, tree.as_ref(), &meta.set, &varied));
    let _ = writeln!(
        h,
        "<details><summary>The scenario file, {}</summary><pre>{}</pre></details>",
        esc(&meta.scenario_file),
        esc(&text)
    );
    h
}

fn sweep_provenance(meta: &SweepFile, dir: &Path) -> String {
    let mut cmd = vec!["siege".to_string(), "sweep".into(), shell_word(&meta.scenario_file)];
    for v in &meta.vary {
        cmd.push("--vary".into());
        let values: Vec<String> = v.values.iter().map(GridValue::cell).collect();
        cmd.push(shell_word(&format!("{}={}", v.key, values.join(","))));
    }
    for o in &meta.set {
        cmd.push("--set".into());
        cmd.push(shell_word(o));
    }
    cmd.push("--replicates".into());
    cmd.push(meta.replicates.to_string());
    cmd.push("--out".into());
    cmd.push(shell_word(&dir.display().to_string()));
    let rows = vec![
        vec!["scenario".into(), esc(&meta.scenario_name)],
        vec!["scenario file".into(), esc(&meta.scenario_file)],
        vec!["seed".into(), meta.seed.to_string()],
        vec!["replicates per point".into(), meta.replicates.to_string()],
        vec!["grid points".into(), meta.points.to_string()],
        vec!["days".into(), meta.days.to_string()],
        vec!["written by".into(), esc(&format!("{} {}", meta.program, meta.version))],
        vec!["model build".into(), format!("<code>{}</code>", esc(&meta.model_build))],
        vec![
            "scenario digest".into(),
            format!("<code>{}</code>", esc(&meta.scenario_digest)),
        ],
    ];
    let mut h = table(&["", ""], &rows);
    h.push_str("<p>The command that reproduces it:</p>\n");
    let _ = writeln!(h, "<pre>{}</pre>", esc(&cmd.join(" ")));
    if !meta.inputs.is_empty() {
        h.push_str(&stored_inputs(dir, &meta.inputs));
    }
    h
}

// ---------------------------------------------------------------- comparisons

fn compare_page(dir: &Path, page: &mut Page) -> Result<()> {
    let meta: CompareFile = read_json(&dir.join("compare.json"))?;
    let (_, rows) = read_named_rows(&dir.join("compare.csv"), CompareRow::read)?;
    let names: Vec<String> = meta.scenarios.iter().map(|s| esc(&s.name)).collect();
    page.title = format!("Comparison of {} scenarios", meta.scenarios.len());
    page.question = match &meta.baseline {
        Some(b) => {
            // The baseline is one of the scenarios: the question names it once.
            let plans: Vec<String> = names.iter().filter(|n| **n != esc(b)).cloned().collect();
            format!(
                "How do {} change deaths, flight and hunger against the baseline {}?",
                list_words(&plans),
                esc(b)
            )
        }
        None => format!(
            "How do deaths, flight and hunger differ between {}?",
            list_words(&names)
        ),
    };
    let mut h = String::new();
    if let Some(w) = days_warning(&rows) {
        let _ = writeln!(h, "<p class=\"warn\">{}</p>", esc(&w));
    }
    h.push_str(&p(
        "Median [5th–95th percentile] across each scenario's replicates, then the mean ± its 95% confidence interval.",
    ));
    let mut head = vec!["scenario", "days", "replicates"];
    for o in SHOWN_OUTCOMES {
        head.push(o.info().label);
    }
    let table_rows: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            let mut row = vec![esc(&r.scenario), r.days.to_string(), r.replicates.to_string()];
            for o in SHOWN_OUTCOMES {
                row.push(esc(&outcome_cell(o, r.stat(o))));
            }
            row
        })
        .collect();
    h.push_str(&table(&head, &table_rows));
    h.push_str("<ul>\n");
    for o in SHOWN_OUTCOMES {
        let by = |a: &&CompareRow, b: &&CompareRow| a.stat(o).p50.total_cmp(&b.stat(o).p50);
        if let (Some(lo), Some(hi)) = (rows.iter().min_by(by), rows.iter().max_by(by)) {
            if lo.stat(o).p50 == hi.stat(o).p50 {
                let _ = writeln!(
                    h,
                    "<li>{}: the same median in every scenario ({} {}).</li>",
                    esc(&capitalise(o.info().label)),
                    esc(&median_interval(o, lo.stat(o))),
                    esc(o.info().unit)
                );
                continue;
            }
            // Every scenario at the lowest (highest) median is named, a tie with the median they
            // share ("u_early and u_double (median 2,592 each)"): a tie picks no one.
            let at = |end: &CompareRow| {
                let d = end.stat(o);
                let tied: Vec<String> = rows
                    .iter()
                    .filter(|r| r.stat(o).p50 == d.p50)
                    .map(|r| esc(&r.scenario))
                    .collect();
                if tied.len() == 1 {
                    return format!("{} ({}", tied[0], esc(&median_interval(o, d)));
                }
                let median = Describe {
                    p05: d.p50,
                    p95: d.p50,
                    ..*d
                };
                format!(
                    "{} (median {} each",
                    list_words(&tied),
                    esc(&median_interval(o, &median))
                )
            };
            let _ = writeln!(
                h,
                "<li>{}: fewest in {} {}), most in {}).</li>",
                esc(&capitalise(o.info().label)),
                at(lo),
                esc(o.info().unit),
                at(hi),
            );
        }
    }
    h.push_str("</ul>\n");
    if let Some(versus) = super::html_decisions::compare_versus(dir)? {
        h.push_str(&versus);
    }
    page.section("Key numbers", h);
    page.section("Charts", charts_section(dir)?);
    // Each scenario's run.
    let mut runs: Vec<(String, RunFile)> = Vec::new();
    for s in &meta.scenarios {
        let path = dir.join("scenarios").join(&s.name).join("run.json");
        if path.exists() {
            runs.push((s.name.clone(), read_json(&path)?));
        }
    }
    page.section("What differs between the scenarios", compare_differences(&runs));
    let mut h = String::new();
    for (name, run) in &runs {
        let _ = writeln!(h, "<details><summary>{}</summary>", esc(name));
        // The comparison stores every scenario's files once, in its own inputs/: this one's first.
        let mut stored = run.clone();
        if let Some(i) = meta.inputs.iter().position(|f| f.path == run.scenario_file) {
            stored.inputs = meta.inputs.clone();
            let own = stored.inputs.remove(i);
            stored.inputs.insert(0, own);
        }
        h.push_str(&assumptions_of_run(&stored, dir));
        h.push_str("</details>\n");
    }
    page.section("Assumptions in effect, each scenario", h);
    page.section("Provenance", compare_provenance(&meta, &runs, dir));
    Ok(())
}

/// The key paths whose values differ between the compared scenarios.
fn compare_differences(runs: &[(String, RunFile)]) -> String {
    let docs = doc_keys();
    let leaves: Vec<BTreeMap<String, String>> = runs
        .iter()
        .map(|(_, r)| {
            let mut out = Vec::new();
            let json = serde_json::to_value(&r.scenario).unwrap_or_default();
            flatten(&docs, &json, "", &json, &mut out);
            let mut leaves: BTreeMap<String, String> = out.into_iter().collect();
            airdrop_days_as_run(r, &mut leaves);
            leaves
        })
        .collect();
    let mut keys: Vec<&String> = leaves.iter().flat_map(|l| l.keys()).collect();
    keys.sort();
    keys.dedup();
    let rows: Vec<Vec<String>> = keys
        .into_iter()
        .filter(|k| k.as_str() != "simulation.name")
        .filter(|k| leaves.iter().any(|l| l.get(*k) != leaves[0].get(*k)))
        .map(|k| {
            let mut row = vec![format!("<code>{}</code>", esc(k))];
            row.extend(leaves.iter().map(|l| esc(l.get(k).map_or("(absent)", String::as_str))));
            row
        })
        .collect();
    if rows.is_empty() {
        return p("The scenarios are the same but for their names.");
    }
    let mut head = vec!["key".to_string()];
    head.extend(runs.iter().map(|(n, _)| n.clone()));
    let head: Vec<&str> = head.iter().map(String::as_str).collect();
    let mut h = p(&format!("{} values differ (every default filled in):", rows.len()));
    h.push_str(&table(&head, &rows));
    h
}

/// The airdrop days each run used, put in the leaves of its scenario as written: `[airdrop_plan]
/// first_day` moves every drop by one shift (validation's), so `airdrops.N.day` shows the day the
/// drop (or schedule) began, with the day written; and one row lists the resolved drop days.
fn airdrop_days_as_run(run: &RunFile, leaves: &mut BTreeMap<String, String>) {
    let s = &run.scenario;
    let earliest = s.airdrops.iter().map(|a| i64::from(a.day)).min();
    if let (Some(first), Some(earliest)) = (s.airdrop_plan.first_day, earliest) {
        for (i, a) in s.airdrops.iter().enumerate() {
            leaves.insert(
                format!("airdrops.{i}.day"),
                format!(
                    "{} (written {}, moved by airdrop_plan.first_day)",
                    i64::from(a.day) + first - earliest,
                    a.day
                ),
            );
        }
    }
    let mut days: Vec<u32> = run.resolved.airdrops.iter().map(|a| a.day).collect();
    days.dedup();
    leaves.insert("airdrop days, as run (resolved)".into(), day_runs(&days));
}

/// Sorted days as text, three or more in a row as one range: "4, 5, 7", "10–69".
fn day_runs(days: &[u32]) -> String {
    let mut parts = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let n = days[i..]
            .iter()
            .enumerate()
            .take_while(|(k, d)| **d == days[i] + *k as u32)
            .count();
        if n >= 3 {
            parts.push(format!("{}–{}", days[i], days[i + n - 1]));
            i += n;
        } else {
            parts.push(days[i].to_string());
            i += 1;
        }
    }
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(", ")
    }
}

fn compare_provenance(meta: &CompareFile, runs: &[(String, RunFile)], dir: &Path) -> String {
    let mut cmd = vec!["siege".to_string(), "compare".into()];
    cmd.extend(meta.scenarios.iter().map(|s| shell_word(&s.file)));
    if let Some(seed) = meta.seed {
        cmd.push("--seed".into());
        cmd.push(seed.to_string());
    }
    // The replicates as run, when every scenario ran the same number (a `--replicates` or the
    // files' own).
    if meta.scenarios.iter().all(|s| s.replicates == meta.replicates) {
        cmd.push("--replicates".into());
        cmd.push(meta.replicates.to_string());
    }
    for o in &meta.set {
        cmd.push("--set".into());
        cmd.push(shell_word(o));
    }
    if let Some(b) = &meta.baseline {
        cmd.push("--baseline".into());
        cmd.push(shell_word(b));
    }
    for (flag, days) in [("--horizons", &meta.horizons), ("--after-end", &meta.after_end)] {
        if !days.is_empty() {
            cmd.push(flag.into());
            cmd.push(days.iter().map(u32::to_string).collect::<Vec<_>>().join(","));
        }
    }
    cmd.push("--out".into());
    cmd.push(shell_word(&dir.display().to_string()));
    let rows: Vec<Vec<String>> = meta
        .scenarios
        .iter()
        .map(|s| {
            vec![
                esc(&s.name),
                esc(&s.file),
                s.seed.to_string(),
                s.replicates.to_string(),
                format!("<code>{}</code>", esc(&s.scenario_digest)),
            ]
        })
        .collect();
    let mut h = table(&["scenario", "file", "seed", "replicates", "scenario digest"], &rows);
    let _ = writeln!(
        h,
        "<p>Written by {} {} (model build <code>{}</code>). The command that reproduces it:</p>",
        esc(&meta.program),
        esc(&meta.version),
        esc(&meta.model_build)
    );
    let _ = writeln!(h, "<pre>{}</pre>", esc(&cmd.join(" ")));
    if meta.inputs.is_empty() {
        for (name, run) in runs {
            h.push_str(&input_file(&run.scenario_file, &format!("{name} — ")));
        }
    } else {
        h.push_str(&stored_inputs(dir, &meta.inputs));
    }
    h
}

/// The input files a result stores (`inputs/`), each folded with the text the command read, from
/// the result itself wherever the report is written; and, under each, one sentence when the file
/// at its recorded path now differs from that text or cannot be read from here.
pub(super) fn stored_inputs(dir: &Path, files: &[InputFile]) -> String {
    let mut h = p(&format!(
        "The input file{} as the command read {}, stored in this result ({}/):",
        if files.len() == 1 { "" } else { "s" },
        if files.len() == 1 { "it" } else { "them" },
        inputs::DIR
    ));
    for f in files {
        match inputs::stored_text(dir, f) {
            Ok(text) => {
                let _ = writeln!(
                    h,
                    "<details><summary>{} <span class=\"note\">(stored as {}, SHA-256 <code>{}</code>)</span></summary><pre>{}</pre></details>",
                    esc(&f.path),
                    esc(&f.stored),
                    esc(&f.sha256[..f.sha256.len().min(12)]),
                    esc(&text)
                );
            }
            Err(e) => h.push_str(&p(&esc(&format!(
                "The stored copy of {} cannot be shown: {e}.",
                f.path
            )))),
        }
        match inputs::now(f) {
            inputs::Now::Same => {}
            inputs::Now::Differs => h.push_str(&p(&esc(&format!(
                "Note: {} has changed since: it now reads differently from the text stored here, which is what produced these results.",
                f.path
            )))),
            inputs::Now::Missing => h.push_str(&p(&esc(&format!(
                "Note: {} cannot be read from where this report was written, so it is not compared with the stored text, which is what produced these results.",
                f.path
            )))),
        }
    }
    h
}

/// An input file a command read, as the report's provenance shows it: its text as it reads now,
/// folded under `label` and its path; or, when it cannot be read from where the report is
/// written (a path relative to the directory the command ran in, a file moved or deleted), a
/// note that says so rather than nothing.
pub(super) fn input_file(file: &str, label: &str) -> String {
    match scenario::read_text(Path::new(file)) {
        Ok(text) => format!(
            "<details><summary>{}{} (as it reads now)</summary><pre>{}</pre></details>\n",
            esc(label),
            esc(file),
            esc(&text)
        ),
        Err(e) => {
            let cwd = std::env::current_dir().map_or_else(|_| "?".into(), |d| d.display().to_string());
            p(&esc(&format!(
                "{label}The file {file} cannot be read here ({e}), so its text is not shown: a relative path is read from the directory `siege report` runs in ({cwd}); run it from the directory the command ran in to include the file."
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_from_files_is_escaped() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
    }

    #[test]
    fn the_documentation_names_modelling_choices() {
        let docs = doc_keys();
        let days = doc_of(&docs, "simulation.days").expect("simulation.days is documented");
        assert_eq!(standing(&days.source), "modelling choice");
        let height = doc_of(&docs, "population.height_men_m").unwrap();
        assert_eq!(standing(&height.source), "modelling choice");
        assert!(doc_of(&docs, "locations.0.capacity").is_some());
        // Not the aircraft presets' table, nor the water sources' `id` under the location's.
        assert!(
            doc_of(&docs, "airdrops.0.aircraft")
                .unwrap()
                .source
                .starts_with("A preset")
        );
        assert!(!doc_of(&docs, "locations.0.id").unwrap().source.contains("water_cut"));
        assert!(
            doc_of(&docs, "locations.0.water.0.id")
                .unwrap()
                .source
                .contains("water_cut")
        );
        assert!(doc_of(&docs, "checkpoints.0.windows.0.from_day").is_some());
        assert_eq!(standing(&doc_of(&docs, "population.under5_share").unwrap().source), "");
    }

    #[test]
    fn an_unset_value_shows_its_documented_default_not_none() {
        // run.json writes an optional key the file leaves out as null: `sorties` is then 1.
        let json = serde_json::json!({
            "food": { "grain_kcal_per_kg": 3500.0 },
            "airdrops": [{ "day": 3, "sorties": null, "every_days": null, "kcal_per_kg": null, "target": null }],
            "airdrop_plan": { "first_day": null },
        });
        let mut leaves = Vec::new();
        flatten(&doc_keys(), &json, "", &json, &mut leaves);
        let get = |k: &str| leaves.iter().find(|(p, _)| p == k).map(|(_, v)| v.as_str());
        assert_eq!(get("airdrops.0.sorties"), Some("1"));
        assert_eq!(get("airdrops.0.day"), Some("3"));
        assert_eq!(get("airdrops.0.target"), Some("first encircled location"));
        assert_eq!(
            get("airdrops.0.kcal_per_kg"),
            Some("food.grain_kcal_per_kg (3500.0); 5,435 for RUTF")
        );
        // No default: absent means off.
        assert_eq!(get("airdrops.0.every_days"), Some("none"));
        assert_eq!(get("airdrop_plan.first_day"), Some("none"));
    }

    #[test]
    fn an_svg_gets_a_view_box_to_scale_in_the_page() {
        let svg =
            "<?xml version=\"1.0\"?>\n<svg width=\"1200\" height=\"750\" xmlns=\"http://www.w3.org/2000/svg\"></svg>";
        assert!(inline_svg(svg).starts_with("<svg viewBox=\"0 0 1200 750\" width=\"1200\""));
    }
}
