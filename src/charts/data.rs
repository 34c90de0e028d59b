//! Reading result directories (docs/outputs.md) into plain structs, and quantiles across replicates.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};

pub use crate::experiment::stats::quantile_sorted;
use crate::observe::DayRecord;
use crate::observe::files::RunFile;
pub use crate::output::read_json;
use crate::scenario::uncertain::UncertainParams;

/// What the charts take from `run.json` ([`RunFile`]) for their titles and time axes.
#[derive(Clone, Debug, PartialEq)]
pub struct RunMeta {
    pub scenario_name: String,
    pub seed: u64,
    pub replicates: u64,
    pub start_date: Option<String>,
    pub scenario_file: String,
}

impl From<RunFile> for RunMeta {
    fn from(f: RunFile) -> Self {
        RunMeta {
            scenario_name: f.scenario_name,
            seed: f.seed,
            replicates: u64::from(f.replicates),
            start_date: f.start_date,
            scenario_file: f.scenario_file,
        }
    }
}

/// The rows of `timeseries.csv`, as the run wrote them.
pub type TimeseriesRow = DayRecord;

/// A run's metadata and daily rows: `timeseries.csv` + `run.json` of one result directory.
#[derive(Clone, Debug)]
pub struct RunData {
    pub meta: RunMeta,
    pub rows: Vec<TimeseriesRow>,
    /// `meta.start_date` parsed; `None` when the scenario has no start date.
    pub start_date: Option<Date>,
    /// The events the story is told by (siege start and end, route changes, airdrops), from the
    /// resolved scenario in `run.json`; empty when built with [`RunData::new`].
    pub markers: Vec<Marker>,
    /// The energy density of the run's airdrops when they all share one (so energy converts to
    /// tonnes); `None` without airdrops, with mixed densities, or when built with [`RunData::new`].
    pub airdrop_kcal_per_kg: Option<f64>,
}

impl RunData {
    pub fn load(dir: &Path) -> Result<Self> {
        let file: RunFile = read_json(&dir.join("run.json"))?;
        let markers = markers_of(&file);
        let densities: Vec<f64> = file.resolved.airdrops.iter().map(|a| a.kcal_per_kg).collect();
        let density = densities
            .first()
            .copied()
            .filter(|d| *d > 0.0 && densities.iter().all(|x| x == d));
        let (days, replicates, seed) = (file.days, file.replicates, file.seed);
        let meta = RunMeta::from(file);
        let rows = read_timeseries(&dir.join("timeseries.csv"))?;
        // The rows must be the run's that run.json describes: a day, replicate or seed it cannot
        // have is refused, never drawn (a mixed or edited directory).
        if let Some((i, r)) = rows
            .iter()
            .enumerate()
            .find(|(_, r)| r.day >= days || r.replicate >= replicates || r.seed != seed)
        {
            bail!(
                "{}:{}: day {}, replicate {}, seed {} does not belong to the run of run.json ({days} days, {replicates} replicates, seed {seed}); the files do not belong together",
                dir.join("timeseries.csv").display(),
                i + 2,
                r.day,
                r.replicate,
                r.seed
            );
        }
        let mut data = Self::new(meta, rows)?;
        data.markers = markers;
        data.airdrop_kcal_per_kg = density;
        Ok(data)
    }

    pub fn new(meta: RunMeta, rows: Vec<TimeseriesRow>) -> Result<Self> {
        let start_date = match meta.start_date.as_deref() {
            None | Some("") => None,
            Some(text) => Some(Date::parse(text).with_context(|| format!("run.json: start_date {text:?}"))?),
        };
        Ok(Self {
            meta,
            rows,
            start_date,
            markers: Vec::new(),
            airdrop_kcal_per_kg: None,
        })
    }

    /// Number of distinct replicates present in the rows.
    pub fn replicate_count(&self) -> usize {
        let mut seen: Vec<u32> = self.rows.iter().map(|r| r.replicate).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    }

    /// Per-day 5 %, 50 % and 95 % quantiles across replicates of `value`.
    pub fn band(&self, value: impl Fn(&TimeseriesRow) -> f64) -> Band {
        band_by_day(&self.rows, value)
    }

    /// Per-day mean across replicates of `value` (non-finite values skipped).
    pub fn mean_by_day(&self, value: impl Fn(&TimeseriesRow) -> f64) -> Vec<(f64, f64)> {
        group_by_day(&self.rows, value)
            .into_iter()
            .map(|(day, values)| {
                let mean = if values.is_empty() {
                    f64::NAN
                } else {
                    values.iter().sum::<f64>() / values.len() as f64
                };
                (day as f64, mean)
            })
            .collect()
    }

    /// First and last day in the rows.
    pub fn day_range(&self) -> (f64, f64) {
        let first = self.rows.iter().map(|r| r.day).min().unwrap_or(0);
        let last = self.rows.iter().map(|r| r.day).max().unwrap_or(0);
        (first as f64, last as f64)
    }
}

/// What kind of event a [`Marker`] shows (each kind has its colour).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkerKind {
    SiegeStart,
    Route,
    Airdrop,
    Convoy,
    SiegeEnd,
}

impl MarkerKind {
    /// Its entry in a chart's "events" legend.
    pub fn legend(self) -> &'static str {
        match self {
            MarkerKind::SiegeStart => "siege begins",
            MarkerKind::Route => "route closed, impassable or reopened",
            MarkerKind::Airdrop => "airdrop (tonnes dropped)",
            MarkerKind::Convoy => "convoy arrives (tonnes sent)",
            MarkerKind::SiegeEnd => "liberation / siege ends",
        }
    }
}

/// A labelled vertical line on a time axis: an event of the scenario on `day`; with `until`
/// after `day`, the same relief every day from `day` to `until` (drawn as one shaded span).
/// An `uncertain` marker is an event whose day an `[[uncertain]]` entry draws per replicate:
/// `day` to `until` is that entry's range, shaded with no line, since no one day is the event's.
#[derive(Clone, Debug, PartialEq)]
pub struct Marker {
    pub day: u32,
    pub kind: MarkerKind,
    pub label: String,
    pub until: u32,
    pub uncertain: bool,
}

impl Marker {
    /// The marker of an event on `day`, or, when the `[[uncertain]]` entry `drawn` draws that day
    /// per replicate, of its range: "liberation (uncertain, day 14–42)".
    fn event(day: u32, kind: MarkerKind, label: &str, drawn: Option<&UncertainParams>) -> Marker {
        match drawn {
            // Day keys are whole numbers: the range's ends are days.
            Some(u) => Marker::uncertain(kind, label, u.low.max(0.0) as u32, u.high.max(0.0) as u32),
            None => Marker {
                day,
                kind,
                label: label.to_string(),
                until: day,
                uncertain: false,
            },
        }
    }
}

impl Marker {
    /// The marker of an event that falls, in each replicate, on a day from `day` to `until`:
    /// "liberation (uncertain, day 14–42)".
    fn uncertain(kind: MarkerKind, label: &str, day: u32, until: u32) -> Marker {
        Marker {
            day,
            kind,
            label: format!("{label} (uncertain, day {day}–{until})"),
            until,
            uncertain: true,
        }
    }
}

/// The `[[airdrops]]` elements whose drops move with a day an `[[uncertain]]` entry draws
/// (`airdrops.N.day`, or `airdrop_plan.first_day`, which moves them all), each with the first
/// and last day its drops can fall on: the drops of the scenario resolved at the two ends of the
/// entry's range, as the run resolves them. `tree` is the scenario as TOML, for keys by id.
fn airdrops_drawn(run: &RunFile, tree: &toml::Table) -> BTreeMap<usize, (u32, u32)> {
    use crate::scenario::uncertain::airdrop_days;
    let mut out: BTreeMap<usize, (u32, u32)> = BTreeMap::new();
    for u in &run.scenario.uncertain {
        let key = u.key_path_in(tree);
        let segs: Vec<&str> = key.split('.').collect();
        if !(key == "airdrop_plan.first_day" || matches!(segs[..], ["airdrops", _, "day"])) {
            continue;
        }
        let (Some(lo), Some(hi)) = (
            airdrop_days(&run.scenario, Some((&key, u.low))),
            airdrop_days(&run.scenario, Some((&key, u.high))),
        ) else {
            continue;
        };
        let of =
            |days: &[(usize, u32)], e: usize| -> Vec<u32> { days.iter().filter(|d| d.0 == e).map(|d| d.1).collect() };
        for e in 0..run.scenario.airdrops.len() {
            let (l, h) = (of(&lo, e), of(&hi, e));
            if l == h {
                continue;
            }
            let all = l.iter().chain(&h);
            let (first, last) = (
                *all.clone().min().expect("one differs"),
                *all.max().expect("one differs"),
            );
            let range = out.entry(e).or_insert((first, last));
            *range = (range.0.min(first), range.1.max(last));
        }
    }
    out
}

/// Airdrops or convoy arrivals of the same tonnage on at least this many days in a row are one
/// marker, a span: 59 daily lines would hide the plot.
pub const MIN_SPAN_DAYS: usize = 4;

/// The markers of a run, from its resolved scenario: the siege start, each route event (those of
/// one day together), each day's airdrops and convoy arrivals (summed, in tonnes) and the
/// liberation or siege end. An event whose day an `[[uncertain]]` entry draws is its range.
/// Sorted by day, kind and label, without repeats.
pub fn markers_of(run: &RunFile) -> Vec<Marker> {
    use crate::scenario::params::EventKind;
    // An entry may name an element by index or id: compared by index.
    let tree = toml::Table::try_from(&run.scenario).unwrap_or_default();
    let drawn = |key: &str| run.scenario.uncertain.iter().find(|u| u.key_path_in(&tree) == key);
    let mut markers = Vec::new();
    if let Some(day) = run.resolved.siege_start_day {
        markers.push(Marker::event(
            day,
            MarkerKind::SiegeStart,
            "siege",
            drawn("siege.start_day"),
        ));
    }
    if let Some(day) = run.scenario.siege.end_day {
        markers.push(Marker::event(
            day,
            MarkerKind::SiegeEnd,
            "siege ends",
            drawn("siege.end_day"),
        ));
    }
    let mut routes: BTreeMap<(u32, &str), Vec<&str>> = BTreeMap::new();
    for (i, e) in run.scenario.events.iter().enumerate() {
        let day_drawn = drawn(&format!("events.{i}.day"));
        match e.kind {
            EventKind::Route if day_drawn.is_some() => {
                let label = format!("{} {}", e.route.as_deref().unwrap_or("route"), route_state(e.state));
                markers.push(Marker::event(e.day, MarkerKind::Route, &label, day_drawn));
            }
            EventKind::Route => {
                routes
                    .entry((e.day, route_state(e.state)))
                    .or_default()
                    .push(e.route.as_deref().unwrap_or("route"));
            }
            EventKind::Liberation => {
                markers.push(Marker::event(e.day, MarkerKind::SiegeEnd, "liberation", day_drawn));
            }
            _ => {}
        }
    }
    for ((day, state), ids) in routes {
        markers.push(Marker::event(
            day,
            MarkerKind::Route,
            &format!("{} {state}", ids.join(", ")),
            None,
        ));
    }
    // A drop whose day is drawn is its element's range, not a tick on the file's day. Which
    // element each drop comes from: the scenario resolved again (the same days, in the same order).
    let drawn_drops = airdrops_drawn(run, &tree);
    let entries = (!drawn_drops.is_empty())
        .then(|| crate::scenario::uncertain::airdrop_days(&run.scenario, None))
        .flatten()
        .filter(|d| {
            d.len() == run.resolved.airdrops.len() && d.iter().zip(&run.resolved.airdrops).all(|(d, a)| d.1 == a.day)
        });
    let mut drops: BTreeMap<u32, f64> = BTreeMap::new();
    let mut moving: BTreeMap<usize, (f64, usize)> = BTreeMap::new();
    for (k, a) in run.resolved.airdrops.iter().enumerate() {
        match entries.as_ref().map(|d| d[k].0).filter(|e| drawn_drops.contains_key(e)) {
            Some(e) => moving.entry(e).or_insert((a.tonnes, 0)).1 += 1,
            None => *drops.entry(a.day).or_default() += a.tonnes,
        }
    }
    for (e, (tonnes, n)) in moving {
        let (first, last) = drawn_drops[&e];
        let label = match n {
            1 => format!("{} t", fmt_tonnes(tonnes)),
            n => format!("{} t × {n}", fmt_tonnes(tonnes)),
        };
        markers.push(Marker::uncertain(MarkerKind::Airdrop, &label, first, last));
    }
    let mut convoys: BTreeMap<u32, f64> = BTreeMap::new();
    for c in &run.resolved.convoys {
        *convoys.entry(c.arrive).or_default() += c.tonnes;
    }
    for (kind, days) in [(MarkerKind::Airdrop, drops), (MarkerKind::Convoy, convoys)] {
        for (day, until, tonnes) in spans(&days) {
            let label = if until > day {
                format!("{tonnes} t a day × {}", until - day + 1)
            } else {
                format!("{tonnes} t")
            };
            markers.push(Marker {
                day,
                kind,
                label,
                until,
                uncertain: false,
            });
        }
    }
    markers.sort_by_key(|m| (m.day, m.kind, m.label.clone()));
    markers.dedup();
    markers
}

/// A route event's new state, in the words its marker uses.
fn route_state(state: Option<crate::scenario::params::RouteState>) -> &'static str {
    use crate::scenario::params::RouteState;
    match state {
        Some(RouteState::Closed) => "closed",
        Some(RouteState::Impassable) => "impassable",
        Some(RouteState::Open) => "open",
        None => "changed",
    }
}

/// The relief of each day (tonnes by day) as (first day, last day, tonnes as labelled): days in a
/// row whose tonnes read the same, at least `MIN_SPAN_DAYS` of them, make one span; any other day
/// is its own (first = last).
pub fn spans(days: &BTreeMap<u32, f64>) -> Vec<(u32, u32, String)> {
    let days: Vec<(u32, String)> = days.iter().map(|(&d, &t)| (d, fmt_tonnes(t))).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < days.len() {
        let (day, tonnes) = &days[i];
        // The run of days in a row with the same label that begins here.
        let run = days[i..]
            .iter()
            .enumerate()
            .take_while(|(k, (d, t))| *d == day + *k as u32 && t == tonnes)
            .count();
        let run = if run >= MIN_SPAN_DAYS { run } else { 1 };
        out.push((*day, day + run as u32 - 1, tonnes.clone()));
        i += run;
    }
    out
}

/// Tonnes with at most one decimal ("1.7", "12", "0.3").
fn fmt_tonnes(t: f64) -> String {
    let text = format!("{t:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

/// Quantiles per day across replicates. `day` is sorted; a day with no finite value has NaNs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Band {
    pub day: Vec<f64>,
    pub p05: Vec<f64>,
    pub p50: Vec<f64>,
    pub p95: Vec<f64>,
}

impl Band {
    /// (day, median) for the days with a finite median.
    pub fn median_points(&self) -> Vec<(f64, f64)> {
        finite_points(&self.day, &self.p50)
    }

    /// Closed outline of the 5–95 % band (along p95, back along p05), for a filled polygon.
    pub fn outline(&self) -> Vec<(f64, f64)> {
        let mut upper = Vec::new();
        let mut lower = Vec::new();
        for i in 0..self.day.len() {
            if self.p05[i].is_finite() && self.p95[i].is_finite() {
                upper.push((self.day[i], self.p95[i]));
                lower.push((self.day[i], self.p05[i]));
            }
        }
        lower.reverse();
        upper.extend(lower);
        upper
    }

    /// Largest finite value of the band (0 when empty).
    pub fn max(&self) -> f64 {
        finite_max(self.p95.iter().chain(&self.p50))
    }
}

pub fn finite_points(xs: &[f64], ys: &[f64]) -> Vec<(f64, f64)> {
    xs.iter()
        .zip(ys)
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .map(|(x, y)| (*x, *y))
        .collect()
}

/// Largest finite value, 0 if there is none.
pub fn finite_max<'a>(values: impl IntoIterator<Item = &'a f64>) -> f64 {
    values
        .into_iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(f64::NEG_INFINITY, f64::max)
        .max(0.0)
}

fn group_by_day(rows: &[TimeseriesRow], value: impl Fn(&TimeseriesRow) -> f64) -> BTreeMap<i64, Vec<f64>> {
    let mut by_day: BTreeMap<i64, Vec<f64>> = BTreeMap::new();
    for row in rows {
        let v = value(row);
        let entry = by_day.entry(i64::from(row.day)).or_default();
        if v.is_finite() {
            entry.push(v);
        }
    }
    by_day
}

pub fn band_by_day(rows: &[TimeseriesRow], value: impl Fn(&TimeseriesRow) -> f64) -> Band {
    let mut band = Band::default();
    for (day, mut values) in group_by_day(rows, value) {
        values.sort_by(f64::total_cmp);
        band.day.push(day as f64);
        band.p05.push(quantile_sorted(&values, 0.05));
        band.p50.push(quantile_sorted(&values, 0.50));
        band.p95.push(quantile_sorted(&values, 0.95));
    }
    band
}

/// Quantile of arbitrary values (non-finite ones skipped; type 7, [`quantile_sorted`]).
pub fn quantile(values: &[f64], q: f64) -> f64 {
    let mut finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    finite.sort_by(f64::total_cmp);
    quantile_sorted(&finite, q)
}

pub fn read_timeseries(path: &Path) -> Result<Vec<TimeseriesRow>> {
    let mut reader = csv::Reader::from_path(path).with_context(|| format!("reading {}", path.display()))?;
    let mut rows = Vec::new();
    for record in reader.deserialize() {
        rows.push(record.with_context(|| format!("parsing {}", path.display()))?);
    }
    if rows.is_empty() {
        bail!("{} has no data rows", path.display());
    }
    Ok(rows)
}

/// A calendar date for labelling the time axis (the scenario module's ISO date arithmetic).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Date {
    /// Days since 1970-01-01.
    epoch_day: i64,
}

impl Date {
    /// Parses `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Result<Self> {
        match crate::scenario::date::parse_iso(text.trim()) {
            Some(epoch_day) => Ok(Self { epoch_day }),
            None => bail!("expected an ISO calendar date YYYY-MM-DD"),
        }
    }

    /// Days since 1970-01-01.
    pub fn to_days(self) -> i64 {
        self.epoch_day
    }

    pub fn plus_days(self, days: i64) -> Self {
        Self {
            epoch_day: self.epoch_day + days,
        }
    }

    pub fn iso(self) -> String {
        crate::scenario::date::format_iso(self.epoch_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantiles_match_r() {
        // R: quantile(c(1, 2, 3, 4, 10), c(.05, .5, .95)) = 1.2, 3, 8.8
        let xs = [1.0, 2.0, 3.0, 4.0, 10.0];
        assert!((quantile(&xs, 0.05) - 1.2).abs() < 1e-12);
        assert_eq!(quantile(&xs, 0.5), 3.0);
        assert!((quantile(&xs, 0.95) - 8.8).abs() < 1e-12);
        assert!(quantile(&[], 0.5).is_nan());
        assert_eq!(quantile(&[f64::NAN, 7.0], 0.05), 7.0);
    }

    #[test]
    fn dates_round_trip_and_step_over_month_and_leap_day() {
        let d = Date::parse("2020-10-06").unwrap();
        assert_eq!(d.plus_days(26).iso(), "2020-11-01");
        assert_eq!(Date::parse("2020-02-28").unwrap().plus_days(1).iso(), "2020-02-29");
        assert_eq!(Date::parse("1970-01-01").unwrap().to_days(), 0);
        assert!(Date::parse("2021-02-29").is_err());
        assert!(Date::parse("06/10/2020").is_err());
    }

    #[test]
    fn band_takes_quantiles_per_day_across_replicates() {
        let row = |replicate, day, n_dead| TimeseriesRow {
            replicate,
            day,
            n_dead,
            ..TimeseriesRow::default()
        };
        let rows = vec![row(0, 1, 10), row(1, 1, 30), row(0, 0, 1), row(1, 0, 3)];
        let band = band_by_day(&rows, |r| r.n_dead as f64);
        assert_eq!(band.day, vec![0.0, 1.0]);
        assert_eq!(band.p50, vec![2.0, 20.0]);
        assert!((band.p05[1] - 11.0).abs() < 1e-12);
        assert!((band.p95[1] - 29.0).abs() < 1e-12);
    }

    /// Days in a row of the same tonnage (as labelled) make a span from four days on; a gap day,
    /// a change of tonnage or a run of three leave single days.
    #[test]
    fn relief_days_in_a_row_make_spans() {
        let of = |days: &[(u32, f64)]| spans(&days.iter().copied().collect());
        let single = |d: u32, t: &str| (d, d, t.to_string());
        // Three days: each its own; four: one span; 0.1 + 0.2 reads as 0.3, so it joins a run of 0.3.
        assert_eq!(
            of(&[(1, 2.0), (2, 2.0), (3, 2.0)]),
            vec![single(1, "2"), single(2, "2"), single(3, "2")]
        );
        assert_eq!(
            of(&[(1, 2.0), (2, 2.0), (3, 2.0), (4, 2.0)]),
            vec![(1, 4, "2".to_string())]
        );
        assert_eq!(
            of(&[(1, 0.1 + 0.2), (2, 0.3), (3, 0.3), (4, 0.3)]),
            vec![(1, 4, "0.3".to_string())]
        );
        // A gap day ends a run; so does a change of tonnage, after which a new run may begin.
        assert_eq!(
            of(&[(1, 5.0), (2, 5.0), (3, 5.0), (4, 5.0), (6, 5.0)]),
            vec![(1, 4, "5".to_string()), single(6, "5")]
        );
        assert_eq!(
            of(&[
                (1, 5.0),
                (2, 5.0),
                (3, 5.0),
                (4, 5.0),
                (5, 5.0),
                (6, 7.0),
                (7, 7.0),
                (8, 7.0),
                (9, 7.0)
            ]),
            vec![(1, 5, "5".to_string()), (6, 9, "7".to_string())]
        );
        assert_eq!(
            of(&[(1, 5.0), (2, 7.0), (3, 7.0), (4, 7.0), (5, 7.0)]),
            vec![single(1, "5"), (2, 5, "7".to_string())]
        );
    }
}
