//! Scoring a scenario against documented facts: each fact is a quantity at a day (a column of
//! `timeseries.csv`), with a tolerance. Outcome facts are scored by whether the median across
//! replicates lies within the tolerance; input facts (what the scenario imposes) are shown only.

use crate::experiment::{ReplicateResult, stats};
use crate::observe::DayRecord;
use crate::observe::files::{CheckRow, Number};
use anyhow::{Result, bail};
use serde::Deserialize;

/// One row of a facts file.
#[derive(Clone, Debug, Deserialize)]
pub struct Fact {
    pub id: String,
    pub day: u32,
    #[serde(default)]
    pub date: String,
    pub quantity: String,
    /// Days the fact averages over, ending on `day` (a monthly death rate: 30 or 31); empty = the
    /// one day.
    #[serde(default)]
    pub window: Option<u32>,
    /// A `timeseries.csv` column; empty = not measurable in the model (shown, not scored).
    #[serde(default)]
    pub metric: String,
    pub value: String,
    /// One of [`KINDS`]: `input` (imposed by the scenario), `outcome` (to be reproduced) or
    /// `calibration` (an outcome a scenario input was fitted to).
    pub kind: String,
    /// `a-b` (inclusive), `>=a`, `<=a`, a single number, or empty / `qualitative` (not scored).
    #[serde(default)]
    pub tolerance: String,
    #[serde(default)]
    pub source: String,
}

/// The kinds of fact. An `input` is what the scenario was written from: shown, not scored. An
/// `outcome` is a test: the model's median is scored against its tolerance. A `calibration` is an
/// outcome that a scenario input was fitted to: scored the same way, so that a model change that
/// loses the fit shows, but counted apart from the outcomes, since passing it tests nothing.
pub const KINDS: [&str; 3] = ["input", "outcome", "calibration"];

/// Whether facts of this kind are scored against their tolerance (outcomes and calibrations).
pub fn is_scored(kind: &str) -> bool {
    kind == "outcome" || kind == "calibration"
}

/// The scored facts within tolerance, of all scored, for the outcomes and, apart, for the
/// calibration targets: what the terminal, the chart and the report count.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tally {
    pub outcomes_within: usize,
    pub outcomes: usize,
    pub calibrations_within: usize,
    pub calibrations: usize,
}

impl Tally {
    /// From each fact's (whether it is a calibration target, whether it is within tolerance); a
    /// fact not scored (`None`: an input, a qualitative fact, one without a metric) counts nowhere.
    pub fn of(facts: impl IntoIterator<Item = (bool, Option<bool>)>) -> Self {
        let mut t = Self::default();
        for (calibration, within) in facts {
            let Some(within) = within else { continue };
            let (ok, n) = if calibration {
                (&mut t.calibrations_within, &mut t.calibrations)
            } else {
                (&mut t.outcomes_within, &mut t.outcomes)
            };
            *ok += usize::from(within);
            *n += 1;
        }
        t
    }

    /// Whether every scored fact, outcome or calibration, is within tolerance.
    pub fn all_within(&self) -> bool {
        self.outcomes_within == self.outcomes && self.calibrations_within == self.calibrations
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    Between(f64, f64),
    AtLeast(f64),
    AtMost(f64),
}

impl Tolerance {
    pub fn parse(s: &str) -> Result<Option<Tolerance>, String> {
        let t = s.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("qualitative") {
            return Ok(None);
        }
        let num = |x: &str| {
            x.trim().parse::<f64>().ok().filter(|v| v.is_finite()).ok_or_else(|| {
                format!(
                    "tolerance {s:?}: `{}` is not a finite number",
                    crate::scenario::printable(x)
                )
            })
        };
        if let Some(x) = t.strip_prefix(">=") {
            return Ok(Some(Tolerance::AtLeast(num(x)?)));
        }
        if let Some(x) = t.strip_prefix("<=") {
            return Ok(Some(Tolerance::AtMost(num(x)?)));
        }
        if let Some((a, b)) = t.split_once('-').filter(|(a, _)| !a.is_empty()) {
            let (a, b) = (num(a)?, num(b)?);
            if b < a {
                return Err(format!("tolerance {s:?}: the range is empty"));
            }
            return Ok(Some(Tolerance::Between(a, b)));
        }
        let x = num(t)?;
        Ok(Some(Tolerance::Between(x, x)))
    }

    pub fn contains(&self, x: f64) -> bool {
        match *self {
            Tolerance::Between(a, b) => (a..=b).contains(&x),
            Tolerance::AtLeast(a) => x >= a,
            Tolerance::AtMost(b) => x <= b,
        }
    }
}

/// A fact with what the simulation says about it.
#[derive(Clone, Debug)]
pub struct Scored {
    pub fact: Fact,
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    /// None for facts that are not scored (inputs, qualitative, no metric).
    pub within: Option<bool>,
    /// Every replicate's value is a whole number (a count of people, a 0/1 flag), so its
    /// quantiles are shown whole.
    pub whole: bool,
}

impl Scored {
    /// Its row of `check.csv`.
    pub fn row(&self) -> CheckRow {
        let f = &self.fact;
        CheckRow {
            id: f.id.clone(),
            kind: f.kind.clone(),
            day: f.day,
            window: f.window,
            quantity: f.quantity.clone(),
            metric: f.metric.clone(),
            documented: f.value.clone(),
            tolerance: f.tolerance.clone(),
            sim_median: Number(self.median),
            sim_p05: Number(self.p05),
            sim_p95: Number(self.p95),
            within: self.within,
        }
    }
}

/// Numeric columns of `timeseries.csv` a fact may name.
pub fn metrics() -> Vec<String> {
    match serde_json::to_value(DayRecord::default()) {
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .filter(|(_, v)| v.is_number())
            .map(|(k, _)| k)
            .filter(|k| k != "replicate" && k != "seed")
            .collect(),
        _ => Vec::new(),
    }
}

/// Reads and checks a facts file; every problem is reported.
pub fn parse_facts(name: &str, text: &str, days: u32) -> Result<Vec<Fact>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let known = metrics();
    let mut facts = Vec::new();
    let mut problems = Vec::new();
    for (i, row) in reader.deserialize::<Fact>().enumerate() {
        let line = i + 2;
        match row {
            Err(e) => problems.push(format!("{name}:{line}: {e}")),
            Ok(f) => {
                // Free text from the file: control characters shown escaped, never executed.
                let id = crate::scenario::printable(&f.id);
                if !KINDS.contains(&f.kind.as_str()) {
                    problems.push(format!(
                        "{name}:{line}: fact {}: kind must be `input`, `outcome` or `calibration`, got {:?}",
                        id, f.kind
                    ));
                }
                let measure = Measure::of(&f.metric);
                if f.window.is_none() {
                    match measure {
                        Measure::PeakDay(_) => problems.push(format!(
                            "{name}:{line}: fact {}: a `{PEAK_DAY}` metric needs a window (the days searched for the peak)",
                            id
                        )),
                        Measure::DeathsPct(_) => problems.push(format!(
                            "{name}:{line}: fact {}: a `{DEATHS_PCT}` metric needs a window (the days whose deaths are shared)",
                            id
                        )),
                        Measure::Column(_) => {}
                    }
                }
                match &measure {
                    Measure::Column(c) | Measure::PeakDay(c) => {
                        if !f.metric.is_empty() && !known.iter().any(|k| k == c) {
                            problems.push(format!(
                                "{name}:{line}: fact {}: unknown metric {:?}{}; metrics are timeseries.csv columns, `{PEAK_DAY}` and one of them, or `{DEATHS_PCT}` and `+`-joined groups of one kind (`{DEATHS_PCT}0+1_4`): {}",
                                id,
                                c,
                                crate::scenario::suggest(c, &known.iter().map(String::as_str).collect::<Vec<_>>()),
                                known.join(", ")
                            ));
                        }
                    }
                    Measure::DeathsPct(groups) => {
                        if let Err(e) = death_groups(groups) {
                            problems.push(format!("{name}:{line}: fact {}: {e}", id));
                        }
                    }
                }
                if !f.metric.is_empty() && f.day >= days {
                    problems.push(format!(
                        "{name}:{line}: fact {}: day {} is beyond the scenario's {} days",
                        id, f.day, days
                    ));
                }
                match f.window {
                    Some(0) => problems.push(format!("{name}:{line}: fact {}: window must be at least 1 day", id)),
                    Some(w) if w > f.day + 1 => problems.push(format!(
                        "{name}:{line}: fact {}: a window of {w} days ending on day {} would start before day 0",
                        id, f.day
                    )),
                    _ => {}
                }
                if let Err(e) = Tolerance::parse(&f.tolerance) {
                    problems.push(format!("{name}:{line}: fact {}: {e}", id));
                }
                if is_scored(&f.kind) && f.metric.is_empty() && Tolerance::parse(&f.tolerance).ok().flatten().is_some()
                {
                    problems.push(format!(
                        "{name}:{line}: fact {}: {} with a tolerance needs a metric",
                        id,
                        if f.kind == "outcome" {
                            "an outcome"
                        } else {
                            "a calibration"
                        }
                    ));
                }
                facts.push(f);
            }
        }
    }
    if !problems.is_empty() {
        bail!(
            "{} problem(s) in the facts file:\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    if facts.is_empty() {
        bail!(
            "{name}: no facts (expected a header `id,day,date,quantity,metric,value,kind,tolerance,source` (and optionally `window`) and rows)"
        );
    }
    Ok(facts)
}

/// The prefix of a metric scored on the day its column peaks: `peak_day:cdr30_per_10k` is the day,
/// within the fact's window, on which `cdr30_per_10k` is highest (the first such day on a tie).
pub const PEAK_DAY: &str = "peak_day:";

/// The prefix of a metric scored as a share of a window's deaths: `deaths_pct:0+1_4+40_59+60_plus`
/// is the percentage of the deaths in the fact's window that fell in the groups named (each a
/// `new_deaths_` column: an age band, `male` or `female`, a cause).
pub const DEATHS_PCT: &str = "deaths_pct:";

/// The groups a `deaths_pct:` metric may name, by kind: each the suffix of a `new_deaths_` column
/// of `timeseries.csv`. A fact names groups of one kind, each once, so that its share is of
/// distinct deaths.
pub const DEATH_GROUPS: [(&str, &[&str]); 4] = [
    ("age", &["0", "1_4", "5_14", "15_39", "40_59", "60_plus"]),
    ("sex", &["male", "female"]),
    ("card (adults)", &["worker", "employee", "dependant"]),
    (
        "cause",
        &["dehydration", "relief", "diarrhoea", "ari", "malaria", "measles"],
    ),
];

/// Checks the groups of a `deaths_pct:` metric: each a known group, all of one kind, none twice.
fn death_groups(groups: &[&str]) -> Result<(), String> {
    let all = || {
        DEATH_GROUPS
            .iter()
            .map(|(kind, g)| format!("by {kind}: {}", g.join(", ")))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let kind_of = |g: &str| -> Option<usize> { DEATH_GROUPS.iter().position(|(_, gs)| gs.contains(&g)) };
    let mut kind: Option<usize> = None;
    for (i, g) in groups.iter().enumerate() {
        let Some(k) = kind_of(g) else {
            return Err(format!(
                "`{DEATHS_PCT}` group {:?} is not a group; the groups are {} (`+`-joined, one kind a fact)",
                crate::scenario::printable(g),
                all()
            ));
        };
        if groups[..i].contains(g) {
            return Err(format!("`{DEATHS_PCT}` group {g:?} is named twice"));
        }
        match kind {
            Some(first) if first != k => {
                return Err(format!(
                    "`{DEATHS_PCT}` groups of different kinds ({} and {}) would count some deaths twice; name groups of one kind",
                    DEATH_GROUPS[first].0, DEATH_GROUPS[k].0
                ));
            }
            _ => kind = Some(k),
        }
    }
    Ok(())
}

/// What a fact's metric measures.
#[derive(Clone, Debug, PartialEq)]
pub enum Measure<'a> {
    /// A `timeseries.csv` column on the fact's day, or its mean over the window.
    Column(&'a str),
    /// The day in the window on which the column is highest.
    PeakDay(&'a str),
    /// The percentage of the window's deaths in these groups (the suffixes of `new_deaths_`
    /// columns).
    DeathsPct(Vec<&'a str>),
}

impl<'a> Measure<'a> {
    pub fn of(metric: &'a str) -> Measure<'a> {
        if let Some(c) = metric.strip_prefix(PEAK_DAY) {
            Measure::PeakDay(c)
        } else if let Some(groups) = metric.strip_prefix(DEATHS_PCT) {
            Measure::DeathsPct(groups.split('+').map(str::trim).collect())
        } else {
            Measure::Column(metric)
        }
    }

    /// Whether the measure is a value of a daily series (drawn under it in the check chart).
    pub fn is_series(&self) -> bool {
        matches!(self, Measure::Column(_))
    }
}

/// The metric on the fact's day in each replicate, or its mean over the fact's window of days
/// ending on that day, or, for a `peak_day:` metric, the day in the window on which its column is
/// highest, or, for a `deaths_pct:` metric, the percentage of the window's deaths in its groups
/// (a replicate missing any day of the window, or with no death in it, is left out).
fn values(fact: &Fact, results: &[ReplicateResult]) -> Vec<f64> {
    let window = fact.window.unwrap_or(1);
    // A window never starts before day 0 (parse_facts refuses it): cannot saturate.
    let first = (fact.day + 1).saturating_sub(window);
    let measure = Measure::of(&fact.metric);
    let read = |d: &serde_json::Value, c: &str| d.get(c)?.as_f64();
    results
        .iter()
        .filter_map(|r| {
            // Each day's record as named fields, once.
            let days: Vec<(u32, serde_json::Value)> = r
                .days
                .iter()
                .filter(|d| (first..=fact.day).contains(&d.day))
                .filter_map(|d| Some((d.day, serde_json::to_value(d).ok()?)))
                .collect();
            if days.len() != window as usize {
                return None;
            }
            let (column, peak) = match &measure {
                Measure::DeathsPct(groups) => {
                    let mut all = 0.0;
                    let mut some = 0.0;
                    for (_, d) in &days {
                        all += read(d, "new_deaths")?;
                        for g in groups {
                            some += read(d, &format!("new_deaths_{g}"))?;
                        }
                    }
                    return (all > 0.0).then(|| some / all * 100.0);
                }
                Measure::Column(c) => (*c, false),
                Measure::PeakDay(c) => (*c, true),
            };
            let xs: Vec<(u32, f64)> = days
                .iter()
                .filter_map(|(day, d)| Some((*day, read(d, column)?)))
                .collect();
            if xs.len() != window as usize {
                return None;
            }
            Some(match peak {
                true => {
                    let mut best = xs[0];
                    for &x in &xs[1..] {
                        if x.1 > best.1 {
                            best = x;
                        }
                    }
                    f64::from(best.0)
                }
                false => xs.iter().map(|x| x.1).sum::<f64>() / f64::from(window),
            })
        })
        .collect()
}

/// Who died over a window of days: the share of the deaths, %, that were male and that fell in
/// each age band (under 1, 1–4, 5–14, 15–39, 40–59, 60+), median across replicates, and the
/// median number of deaths; and the share of the adults' deaths, %, by the card they held
/// (worker, employee, dependant), `None` where no replicate counts deaths by card (a scenario
/// without cards). Replicates with no death in the window are left out of the shares.
#[derive(Clone, Debug, PartialEq)]
pub struct WhoDied {
    pub deaths: f64,
    pub male_pct: f64,
    pub band_pct: [f64; 6],
    pub card_pct: Option<[f64; 3]>,
}

/// The shares, %, of the adults holding each card (worker, employee, dependant) at the start
/// (`summary.csv`'s `adults_<card>`), median across replicates; `None` where no card is held.
pub fn card_holders_pct(results: &[ReplicateResult]) -> Option<[f64; 3]> {
    let mut holders: [Vec<f64>; 3] = Default::default();
    for r in results {
        let s = &r.summary;
        let held = [s.adults_worker, s.adults_employee, s.adults_dependant];
        let all: u64 = held.iter().sum();
        if all > 0 {
            for k in 0..3 {
                holders[k].push(held[k] as f64 / all as f64 * 100.0);
            }
        }
    }
    (!holders[0].is_empty()).then(|| holders.map(|c| stats::describe(&c).p50))
}

/// [`WhoDied`] over the days `first..=last`.
pub fn who_died(results: &[ReplicateResult], first: u32, last: u32) -> WhoDied {
    let mut deaths = Vec::new();
    let mut male = Vec::new();
    let mut bands: [Vec<f64>; 6] = Default::default();
    let mut cards: [Vec<f64>; 3] = Default::default();
    for r in results {
        let (mut n, mut m, mut b, mut c) = (0u64, 0u64, [0u64; 6], [0u64; 3]);
        for d in r.days.iter().filter(|d| (first..=last).contains(&d.day)) {
            n += d.new_deaths;
            m += d.new_deaths_male;
            c[0] += d.new_deaths_worker;
            c[1] += d.new_deaths_employee;
            c[2] += d.new_deaths_dependant;
            for (k, x) in [
                d.new_deaths_0,
                d.new_deaths_1_4,
                d.new_deaths_5_14,
                d.new_deaths_15_39,
                d.new_deaths_40_59,
                d.new_deaths_60_plus,
            ]
            .into_iter()
            .enumerate()
            {
                b[k] += x;
            }
        }
        deaths.push(n as f64);
        if n > 0 {
            male.push(m as f64 / n as f64 * 100.0);
            for k in 0..6 {
                bands[k].push(b[k] as f64 / n as f64 * 100.0);
            }
        }
        let adults: u64 = c.iter().sum();
        if adults > 0 {
            for k in 0..3 {
                cards[k].push(c[k] as f64 / adults as f64 * 100.0);
            }
        }
    }
    WhoDied {
        deaths: stats::describe(&deaths).p50,
        male_pct: stats::describe(&male).p50,
        band_pct: bands.map(|b| stats::describe(&b).p50),
        card_pct: (!cards[0].is_empty()).then(|| cards.map(|c| stats::describe(&c).p50)),
    }
}

pub fn score(facts: &[Fact], results: &[ReplicateResult]) -> Vec<Scored> {
    facts
        .iter()
        .map(|f| {
            // No metric, or nothing to measure in any replicate (a `deaths_pct:` window with no
            // death): shown, not scored.
            let xs = if f.metric.is_empty() {
                Vec::new()
            } else {
                values(f, results)
            };
            if xs.is_empty() {
                return Scored {
                    fact: f.clone(),
                    median: None,
                    p05: None,
                    p95: None,
                    within: None,
                    whole: false,
                };
            }
            let d = stats::describe(&xs);
            let tolerance = Tolerance::parse(&f.tolerance).ok().flatten();
            let within = match tolerance {
                Some(t) if is_scored(&f.kind) => Some(t.contains(d.p50)),
                _ => None,
            };
            Scored {
                fact: f.clone(),
                median: Some(d.p50),
                p05: Some(d.p05),
                p95: Some(d.p95),
                within,
                whole: !xs.is_empty() && xs.iter().all(|x| x.fract() == 0.0),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A replicate with these daily records and nothing else.
    fn result(days: Vec<DayRecord>) -> ReplicateResult {
        ReplicateResult {
            days,
            locations: Vec::new(),
            markets: Vec::new(),
            wealth: Vec::new(),
            summary: Default::default(),
        }
    }

    #[test]
    fn tolerances() {
        assert_eq!(Tolerance::parse("1-8").unwrap(), Some(Tolerance::Between(1.0, 8.0)));
        assert_eq!(Tolerance::parse(">=7").unwrap(), Some(Tolerance::AtLeast(7.0)));
        assert_eq!(Tolerance::parse("qualitative").unwrap(), None);
        assert!(Tolerance::parse("8-1").is_err());
        for bad in ["nan", "1-nan", ">=inf", "<=-inf", "NaN-3"] {
            let e = Tolerance::parse(bad).unwrap_err();
            assert!(e.contains("is not a finite number"), "{bad}: {e}");
        }
        assert!(Tolerance::AtMost(5.0).contains(5.0));
        assert!(!Tolerance::Between(1500.0, 2500.0).contains(1499.0));
    }
    /// A `peak_day:` fact is scored on the day its column is highest in the window; without a
    /// window, or with an unknown column, it is refused.
    #[test]
    fn a_peak_day_fact_is_the_day_of_the_highest_value_in_its_window() {
        let text = "id,day,window,quantity,metric,value,kind,tolerance\n\
                    p,5,5,q,peak_day:cdr_per_10k,3,outcome,3-3\n";
        let facts = parse_facts("f.csv", text, 10).unwrap();
        let days = [(0, 9.0), (1, 1.0), (2, 2.0), (3, 5.0), (4, 4.0), (5, 5.0)]
            .into_iter()
            .map(|(day, cdr_per_10k)| DayRecord {
                day,
                cdr_per_10k,
                ..DayRecord::default()
            })
            .collect();
        let scored = score(&facts, &[result(days)]);
        // Day 0 (9.0) lies outside the 5 days ending on day 5; the tie at 5.0 goes to day 3.
        assert_eq!(scored[0].median, Some(3.0));
        assert_eq!(scored[0].within, Some(true));
        let bad = "id,day,window,quantity,metric,value,kind,tolerance\n\
                   a,5,,q,peak_day:cdr_per_10k,3,outcome,3-3\nb,5,5,q,peak_day:cdr_per_10kk,3,outcome,3-3\n";
        let e = format!("{:#}", parse_facts("f.csv", bad, 10).unwrap_err());
        assert!(e.contains("fact a: a `peak_day:` metric needs a window"), "{e}");
        assert!(e.contains("fact b: unknown metric \"cdr_per_10kk\""), "{e}");
    }

    /// A replicate of ten days whose crude death rate on day d is d.
    fn rising_cdr() -> ReplicateResult {
        result(
            (0..10)
                .map(|day| DayRecord {
                    day,
                    cdr_per_10k: day as f64,
                    ..DayRecord::default()
                })
                .collect(),
        )
    }

    /// A fact with a window is scored on the mean of its metric over the days ending on its day.
    #[test]
    fn a_window_averages_the_days_ending_on_the_fact_day() {
        let text = "id,day,window,quantity,metric,value,kind,tolerance\n\
                    m,4,3,q,cdr_per_10k,3,outcome,3-3\n\
                    d,4,,q,cdr_per_10k,4,outcome,4-4\n";
        let facts = parse_facts("f.csv", text, 10).unwrap();
        let scored = score(&facts, &[rising_cdr()]);
        assert_eq!(scored[0].median, Some(3.0), "mean of days 2, 3, 4");
        assert_eq!(scored[1].median, Some(4.0), "day 4 alone");
        assert!(scored.iter().all(|x| x.within == Some(true)));
        let bad = "id,day,window,quantity,metric,value,kind,tolerance\na,4,0,q,cdr_per_10k,1,outcome,1-2\nb,4,6,q,cdr_per_10k,1,outcome,1-2\n";
        let e = parse_facts("f.csv", bad, 10).unwrap_err().to_string();
        assert!(e.contains("fact a: window must be at least 1 day"), "{e}");
        assert!(
            e.contains("fact b: a window of 6 days ending on day 4 would start before day 0"),
            "{e}"
        );
    }
    /// A calibration target is scored like an outcome (so a model change that loses the fit shows)
    /// and keeps its kind, by which the CLI and the chart count it apart; an unknown kind, and a
    /// calibration with a tolerance but no metric, are refused by name.
    #[test]
    fn a_calibration_is_scored_like_an_outcome() {
        let text = "id,day,window,quantity,metric,value,kind,tolerance\n\
                    o,4,,q,cdr_per_10k,4,outcome,3-5\n\
                    c,4,,q,cdr_per_10k,4,calibration,5-6\n\
                    i,4,,q,cdr_per_10k,4,input,3-5\n";
        let facts = parse_facts("f.csv", text, 10).unwrap();
        let scored = score(&facts, &[rising_cdr()]);
        let got: Vec<(&str, Option<bool>)> = scored.iter().map(|x| (x.fact.kind.as_str(), x.within)).collect();
        assert_eq!(
            got,
            [("outcome", Some(true)), ("calibration", Some(false)), ("input", None)]
        );
        let bad = "id,day,window,quantity,metric,value,kind,tolerance\n\
                   a,4,,q,cdr_per_10k,1,fitted,1-2\nb,4,,q,,1,calibration,1-2\n";
        let e = parse_facts("f.csv", bad, 10).unwrap_err().to_string();
        assert!(
            e.contains("fact a: kind must be `input`, `outcome` or `calibration`, got \"fitted\""),
            "{e}"
        );
        assert!(
            e.contains("fact b: a calibration with a tolerance needs a metric"),
            "{e}"
        );
        // Counted apart, the input nowhere.
        let tally = Tally::of(scored.iter().map(|x| (x.fact.kind == "calibration", x.within)));
        assert_eq!(
            tally,
            Tally {
                outcomes_within: 1,
                outcomes: 1,
                calibrations_within: 0,
                calibrations: 1
            }
        );
        assert!(!tally.all_within());
    }
    /// A `deaths_pct:` fact is the share of its window's deaths in the groups it names; it needs a
    /// window and names only `new_deaths_` groups.
    #[test]
    fn a_deaths_pct_fact_shares_the_window_deaths() {
        let text = "id,day,window,quantity,metric,value,kind,tolerance\n\
                    a,3,2,q,deaths_pct:0+60_plus,50,outcome,40-60\n";
        let facts = parse_facts("f.csv", text, 10).unwrap();
        let day = |day, new_deaths, new_deaths_0, new_deaths_60_plus| DayRecord {
            day,
            new_deaths,
            new_deaths_0,
            new_deaths_60_plus,
            ..DayRecord::default()
        };
        // Days 2 and 3: 8 deaths, 1 + 2 + 1 of them under 1 or 60+ (day 1 is outside the window).
        let one = result(vec![day(1, 9, 9, 0), day(2, 4, 1, 2), day(3, 4, 0, 1)]);
        // No death in the window: left out.
        let none = result(vec![day(1, 5, 5, 0), day(2, 0, 0, 0), day(3, 0, 0, 0)]);
        let scored = score(&facts, &[one, none]);
        assert_eq!(scored[0].median, Some(50.0));
        assert_eq!(scored[0].within, Some(true));
        let bad = "id,day,window,quantity,metric,value,kind,tolerance\n\
                   a,5,,q,deaths_pct:0,3,outcome,3-3\nb,5,5,q,deaths_pct:0+old,3,outcome,3-3\n";
        let e = format!("{:#}", parse_facts("f.csv", bad, 10).unwrap_err());
        assert!(e.contains("fact a: a `deaths_pct:` metric needs a window"), "{e}");
        assert!(e.contains("fact b: `deaths_pct:` group \"old\" is not a group"), "{e}");
    }
    /// Who died by card: the shares of the adults' deaths in the window by card, `None` where
    /// no replicate counted a death by card.
    #[test]
    fn who_died_shares_the_adults_deaths_by_card() {
        let day = |day, worker, dependant| DayRecord {
            day,
            new_deaths: worker + dependant + 1,
            new_deaths_worker: worker,
            new_deaths_dependant: dependant,
            ..DayRecord::default()
        };
        let w = who_died(&[result(vec![day(0, 9, 9), day(1, 1, 3), day(2, 0, 2)])], 1, 2);
        assert_eq!(w.deaths, 8.0);
        assert_eq!(w.card_pct, Some([1.0 / 6.0 * 100.0, 0.0, 5.0 / 6.0 * 100.0]));
        let none = who_died(&[result(vec![day(0, 0, 0), day(1, 0, 0)])], 0, 1);
        assert_eq!(none.card_pct, None);
    }
    /// Every group a `deaths_pct:` fact may name is a `new_deaths_` column; a group of no kind,
    /// a group named twice, groups of two kinds and an empty group are refused by name.
    #[test]
    fn death_groups_are_columns_and_are_checked() {
        let known = metrics();
        for (_, groups) in DEATH_GROUPS {
            for g in groups {
                assert!(known.contains(&format!("new_deaths_{g}")), "no column new_deaths_{g}");
            }
        }
        let fact = |m: &str| format!("id,day,window,quantity,metric,value,kind,tolerance\nx,5,3,q,{m},1,outcome,1-2\n");
        for (metric, says) in [
            ("deaths_pct:0+0", "group \"0\" is named twice"),
            ("deaths_pct:male+15_39", "groups of different kinds (sex and age)"),
            (
                "deaths_pct:0++1_4",
                "group \"\" is not a group; the groups are by age: 0, 1_4",
            ),
            ("deaths_pct:starvation", "group \"starvation\" is not a group"),
        ] {
            let e = parse_facts("f.csv", &fact(metric), 10).unwrap_err().to_string();
            assert!(e.contains(says), "{metric}: {e}");
        }
        // No death in the window: shown, not scored.
        let facts = parse_facts("f.csv", &fact("deaths_pct:male"), 10).unwrap();
        let quiet = (0..6)
            .map(|day| DayRecord {
                day,
                ..DayRecord::default()
            })
            .collect();
        let scored = score(&facts, &[result(quiet)]);
        assert_eq!((scored[0].median, scored[0].within), (None, None));
    }

    #[test]
    fn facts_name_unknown_metrics() {
        let text = "id,day,date,quantity,metric,value,kind,tolerance,source\nx,3,,q,cum_displacd,1,outcome,1-2,s\n";
        let e = parse_facts("f.csv", text, 10).unwrap_err().to_string();
        assert!(e.contains("did you mean `cum_displaced`"), "{e}");
    }
}
