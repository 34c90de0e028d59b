//! `map`: a schematic of a run's places, routes and flights (issue 21 item 3).
//!
//! Locations have no coordinates in a scenario, so the places are laid out from the route
//! distances: classical multidimensional scaling of the shortest-path distances (Torgerson), drawn
//! at one scale on both axes with a scale bar, so that lengths on the picture are route kilometres
//! as nearly as a plane allows. Places no route joins are set apart at 1.5 times the longest
//! distance. Routes are drawn in their state on day 0 (solid open, dashed closed, dotted
//! impassable) and labelled with every later change (`[[events]]` of kind route and liberation).
//! Arrows into each refuge are as wide as the median number of people who arrived there displaced
//! (`displaced_to_<location>` of summary.csv); they start at the encircled place, or, when more
//! than one place is encircled, at the nearest one by route distance, which the subtitle says (the
//! model does not record where each household came from). The route states drawn are those at
//! the end of day 0 (after that day's events).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::data::{Date, quantile};
use crate::charts::render::{Chart, write_chart};
use crate::charts::style::*;
use crate::observe::Summary;
use crate::observe::files::RunFile;
use crate::scenario::params::{EventKind, LocationKind, RouteState};

/// One place of the map.
#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub id: String,
    /// The display name (`name`, else the id).
    pub name: String,
    pub kind: Option<LocationKind>,
    pub encircled: bool,
    pub residents: u64,
    /// Median across replicates of the people who arrived here displaced.
    pub arrivals: f64,
    /// Median across replicates of the deaths here.
    pub deaths: f64,
}

/// One route and its states over the run.
#[derive(Clone, Debug, PartialEq)]
pub struct MapRoute {
    pub id: String,
    pub a: usize,
    pub b: usize,
    pub km: f64,
    /// The state at the end of day 0.
    pub state: RouteState,
    /// Later changes: (day, new state), by day.
    pub changes: Vec<(u32, RouteState)>,
}

/// A flight drawn as an arrow: from place `from` to refuge `to`, `people` the median arrivals.
#[derive(Clone, Debug, PartialEq)]
pub struct Flow {
    pub from: usize,
    pub to: usize,
    pub people: f64,
    /// When they arrived: the medians across replicates of the days by which 10%, 50% and 90% of
    /// that replicate's arrivals there had come (`new_arrivals` of locations.csv); None without
    /// locations.csv or arrivals.
    pub timing: Option<[f64; 3]>,
}

/// What the map shows, from `run.json` and `summary.csv`.
#[derive(Clone, Debug)]
pub struct MapData {
    pub scenario_name: String,
    pub seed: u64,
    pub replicates: u64,
    pub days: u32,
    pub start_date: Option<Date>,
    pub places: Vec<Place>,
    pub routes: Vec<MapRoute>,
    pub flows: Vec<Flow>,
    /// Whether more than one place is encircled (arrows then start at the nearest one).
    pub several_origins: bool,
    /// Laid-out positions in km, one per place.
    pub xy: Vec<(f64, f64)>,
}

impl MapData {
    /// Reads `run.json` and `summary.csv` of a run directory.
    pub fn load(dir: &Path) -> Result<Self> {
        let run: RunFile = crate::output::read_json(&dir.join("run.json"))?;
        let summary_path = dir.join("summary.csv");
        let summaries = if summary_path.exists() {
            crate::output::read_named_rows(&summary_path, Summary::read)?.1
        } else {
            Vec::new()
        };
        let mut data = Self::new(&run, &summaries)?;
        let locations = dir.join("locations.csv");
        if locations.exists() {
            data.time_flows(&read_arrivals(&locations)?);
        }
        Ok(data)
    }

    /// Sets each flow's timing from the arrivals by (location id, replicate) → (day, people).
    pub fn time_flows(&mut self, arrivals: &Arrivals) {
        for f in &mut self.flows {
            let id = &self.places[f.to].id;
            let mut at: [Vec<f64>; 3] = Default::default();
            for ((loc, _), days) in arrivals.range((id.clone(), 0)..=(id.clone(), u32::MAX)) {
                debug_assert_eq!(loc, id);
                if let Some(days) = arrival_days(days) {
                    for k in 0..3 {
                        at[k].push(f64::from(days[k]));
                    }
                }
            }
            if at.iter().all(|v| !v.is_empty()) {
                f.timing = Some(at.map(|v| quantile(&v, 0.5).round()));
            }
        }
    }

    pub fn new(run: &RunFile, summaries: &[Summary]) -> Result<Self> {
        let ids: Vec<String> = run.resolved.people_at_home.keys().cloned().collect();
        // Scenario order when the locations are written, else the resolved ids.
        let mut order: Vec<String> = run.scenario.locations.iter().map(|l| l.id.clone()).collect();
        if order.is_empty() {
            order = ids;
        }
        let median = |values: Vec<f64>| {
            if values.is_empty() { 0.0 } else { quantile(&values, 0.5) }
        };
        let places: Vec<Place> = order
            .iter()
            .map(|id| {
                let written = run.scenario.locations.iter().find(|l| &l.id == id);
                let per = |pick: fn(&Summary) -> &Vec<(String, u64)>| {
                    median(
                        summaries
                            .iter()
                            .map(|s| pick(s).iter().find(|(l, _)| l == id).map_or(0.0, |(_, n)| *n as f64))
                            .collect(),
                    )
                };
                Place {
                    id: id.clone(),
                    name: written.and_then(|l| l.name.clone()).unwrap_or_else(|| id.clone()),
                    kind: written.map(|l| l.kind),
                    encircled: run.resolved.siege_locations.contains(id),
                    residents: run.resolved.people_at_home.get(id).copied().unwrap_or(0),
                    arrivals: per(|s| &s.displaced_to),
                    deaths: per(|s| &s.deaths_at),
                }
            })
            .collect();
        let index = |id: &str| places.iter().position(|p| p.id == id);
        let mut routes = Vec::new();
        for r in &run.resolved.routes {
            let (Some(a), Some(b)) = (index(&r.from), index(&r.to)) else {
                anyhow::bail!("run.json: route {} joins a location that is not in the run", r.id);
            };
            let mut changes: Vec<(u32, RouteState)> = Vec::new();
            for e in &run.scenario.events {
                match e.kind {
                    EventKind::Route if e.route.as_deref() == Some(r.id.as_str()) => {
                        if let Some(state) = e.state {
                            changes.push((e.day, state));
                        }
                    }
                    EventKind::Liberation if e.reopen.iter().any(|x| x == &r.id) => {
                        changes.push((e.day, RouteState::Open));
                    }
                    _ => {}
                }
            }
            changes.sort_by_key(|c| c.0);
            // Events of day 0 set the state the map draws; later ones label the route.
            let state = changes.iter().rev().find(|c| c.0 == 0).map_or(r.state, |c| c.1);
            changes.retain(|c| c.0 > 0);
            routes.push(MapRoute {
                id: r.id.clone(),
                a,
                b,
                km: r.distance_km,
                state,
                changes,
            });
        }
        let distances = shortest_paths(places.len(), &routes);
        let origins: Vec<usize> = (0..places.len())
            .filter(|&i| places[i].encircled && places[i].residents > 0)
            .collect();
        let mut flows = Vec::new();
        for (to, p) in places.iter().enumerate() {
            if p.arrivals <= 0.0 || p.encircled {
                continue;
            }
            let from = origins
                .iter()
                .copied()
                .min_by(|&x, &y| distances[x][to].total_cmp(&distances[y][to]).then(x.cmp(&y)));
            if let Some(from) = from {
                flows.push(Flow {
                    from,
                    to,
                    people: p.arrivals,
                    timing: None,
                });
            }
        }
        let start_date = match run.start_date.as_deref() {
            None | Some("") => None,
            Some(text) => Some(Date::parse(text).with_context(|| format!("run.json: start_date {text:?}"))?),
        };
        Ok(MapData {
            scenario_name: run.scenario_name.clone(),
            seed: run.seed,
            replicates: u64::from(run.replicates),
            days: run.days,
            start_date,
            xy: layout(&distances),
            several_origins: origins.len() > 1,
            places,
            routes,
            flows,
        })
    }

    /// `when(day)`, without the year when it is `reference`'s (dates), "day 12" otherwise.
    fn when_short(&self, day: u32, reference: u32) -> String {
        match self.start_date {
            Some(d) => {
                let (a, b) = (
                    d.plus_days(i64::from(day)).iso(),
                    d.plus_days(i64::from(reference)).iso(),
                );
                if a.get(..5) == b.get(..5) {
                    a[5..].to_string()
                } else {
                    a
                }
            }
            None => format!("day {day}"),
        }
    }

    /// "day 12" or the ISO date of day 12.
    fn when(&self, day: u32) -> String {
        match self.start_date {
            Some(d) => d.plus_days(i64::from(day)).iso(),
            None => format!("day {day}"),
        }
    }
}

/// People who arrived, by (location id, replicate): (day, people) in day order.
pub type Arrivals = BTreeMap<(String, u32), Vec<(u32, u64)>>;

/// The days by which 10%, 50% and 90% of the arrivals `(day, people)` (in day order) had come;
/// None without arrivals.
pub fn arrival_days(days: &[(u32, u64)]) -> Option<[u32; 3]> {
    let total: u64 = days.iter().map(|d| d.1).sum();
    if total == 0 {
        return None;
    }
    let by = |share: f64| {
        let mut sum = 0;
        days.iter()
            .find(|d| {
                sum += d.1;
                sum as f64 >= share * total as f64
            })
            .map_or(0, |d| d.0)
    };
    Some([by(0.1), by(0.5), by(0.9)])
}

/// `new_arrivals` of locations.csv by (location, replicate): (day, people) in day order, days
/// without arrivals left out.
fn read_arrivals(path: &Path) -> Result<Arrivals> {
    let mut r = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let head = r
        .headers()
        .with_context(|| format!("{} is damaged", path.display()))?
        .clone();
    let col = |name: &str| {
        head.iter()
            .position(|h| h == name)
            .with_context(|| format!("{} has no {name} column", path.display()))
    };
    let (rep, day, loc, new) = (col("replicate")?, col("day")?, col("location")?, col("new_arrivals")?);
    let mut out: Arrivals = BTreeMap::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{} is damaged", path.display()))?;
        let num = |c: usize| -> Result<u64> {
            rec[c]
                .parse()
                .with_context(|| format!("{}:{}: `{}` is not a count", path.display(), i + 2, &rec[c]))
        };
        let n = num(new)?;
        if n > 0 {
            out.entry((rec[loc].to_string(), num(rep)? as u32))
                .or_default()
                .push((num(day)? as u32, n));
        }
    }
    for v in out.values_mut() {
        v.sort_unstable();
    }
    Ok(out)
}

/// Shortest route distances between every pair of places (Floyd–Warshall; infinite when no
/// route joins them). Every route counts whatever its state: this is geography, not passage.
pub fn shortest_paths(n: usize, routes: &[MapRoute]) -> Vec<Vec<f64>> {
    let mut d = vec![vec![f64::INFINITY; n]; n];
    for (i, row) in d.iter_mut().enumerate() {
        row[i] = 0.0;
    }
    for r in routes {
        if r.a != r.b && r.km < d[r.a][r.b] {
            d[r.a][r.b] = r.km;
            d[r.b][r.a] = r.km;
        }
    }
    for k in 0..n {
        for i in 0..n {
            for j in 0..n {
                let via = d[i][k] + d[k][j];
                if via < d[i][j] {
                    d[i][j] = via;
                }
            }
        }
    }
    d
}

/// Positions in km from the distances by classical multidimensional scaling: the two leading
/// eigenvectors (power iteration from a fixed start, so the layout is the same on every machine)
/// of the double-centred squared distances. Unjoined pairs are set 1.5 × the longest distance
/// apart. Oriented so the first place is on the left and the second above the first's line.
pub fn layout(distances: &[Vec<f64>]) -> Vec<(f64, f64)> {
    let n = distances.len();
    if n == 0 {
        return Vec::new();
    }
    let longest = distances
        .iter()
        .flatten()
        .copied()
        .filter(|x| x.is_finite())
        .fold(0.0, f64::max);
    let apart = if longest > 0.0 { 1.5 * longest } else { 10.0 };
    let d2: Vec<Vec<f64>> = distances
        .iter()
        .map(|row| {
            row.iter()
                .map(|&x| if x.is_finite() { x * x } else { apart * apart })
                .collect()
        })
        .collect();
    let row_mean: Vec<f64> = d2.iter().map(|r| r.iter().sum::<f64>() / n as f64).collect();
    let all_mean = row_mean.iter().sum::<f64>() / n as f64;
    let b: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| -0.5 * (d2[i][j] - row_mean[i] - row_mean[j] + all_mean))
                .collect()
        })
        .collect();
    let mut axes: Vec<Vec<f64>> = Vec::new();
    for _ in 0..2 {
        let mut v: Vec<f64> = (0..n).map(|i| 1.0 + (i as f64 * 0.618_034).fract()).collect();
        let mut lambda = 0.0;
        for _ in 0..500 {
            let mut w: Vec<f64> = (0..n).map(|i| (0..n).map(|j| b[i][j] * v[j]).sum()).collect();
            // Deflate: remove the axes already found.
            for a in &axes {
                let dot: f64 = w.iter().zip(a).map(|(x, y)| x * y).sum();
                let norm2: f64 = a.iter().map(|x| x * x).sum();
                if norm2 > 0.0 {
                    for (x, y) in w.iter_mut().zip(a) {
                        *x -= dot / norm2 * y;
                    }
                }
            }
            let norm = w.iter().map(|x| x * x).sum::<f64>().sqrt();
            if norm < 1e-12 {
                lambda = 0.0;
                break;
            }
            lambda = norm;
            v = w.into_iter().map(|x| x / norm).collect();
        }
        let scale = lambda.max(0.0).sqrt();
        axes.push(v.iter().map(|x| x * scale).collect());
    }
    let mut xy: Vec<(f64, f64)> = (0..n).map(|i| (axes[0][i], axes[1][i])).collect();
    if n > 1 && xy[0].0 > xy.iter().map(|p| p.0).sum::<f64>() / n as f64 {
        xy.iter_mut().for_each(|p| p.0 = -p.0);
    }
    if n > 1 && xy[1].1 < xy[0].1 {
        xy.iter_mut().for_each(|p| p.1 = -p.1);
    }
    xy
}

/// The map chart of a run.
pub struct MapChart<'a> {
    pub data: &'a MapData,
}

/// Writes `map.png`/`map.svg` of a run into `out_dir`.
pub fn write_all(dir: &Path, out_dir: &Path, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let data = MapData::load(dir)?;
    write_chart(out_dir, &MapChart { data: &data }, opts)
}

const ROUTE_OPEN: RGBColor = RGBColor(0x6B, 0x6B, 0x6B);
const ROUTE_CLOSED: RGBColor = RGBColor(0xC8, 0x00, 0x00);
const ROUTE_IMPASSABLE: RGBColor = RGBColor(0x64, 0x00, 0x00);
const FLOW: RGBColor = RGBColor(0xF2, 0x8E, 0x2B);
/// The flights' timing labels: the flow's colour, darkened to be read as text.
const FLOW_TEXT: RGBColor = RGBColor(0xA8, 0x52, 0x00);
const ENCIRCLED: RGBColor = RGBColor(0x25, 0x25, 0x25);
const REFUGE: RGBColor = RGBColor(0x4E, 0x79, 0xA7);

fn state_word(s: RouteState) -> &'static str {
    match s {
        RouteState::Open => "open",
        RouteState::Closed => "closed",
        RouteState::Impassable => "impassable",
    }
}

fn state_color(s: RouteState) -> RGBColor {
    match s {
        RouteState::Open => ROUTE_OPEN,
        RouteState::Closed => ROUTE_CLOSED,
        RouteState::Impassable => ROUTE_IMPASSABLE,
    }
}

/// A whole number of people with thousands separators.
fn people(x: f64) -> String {
    let digits = format!("{}", x.max(0.0).round() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A line from `a` to `b` in `dash`-long pieces with `gap` between them.
fn dashes(a: (i32, i32), b: (i32, i32), dash: f64, gap: f64) -> Vec<[(i32, i32); 2]> {
    let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
    let len = (dx * dx + dy * dy).sqrt();
    if len < 1.0 {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut t = 0.0;
    while t < len {
        let e = (t + dash).min(len);
        let p = |s: f64| {
            (
                (f64::from(a.0) + dx * s / len).round() as i32,
                (f64::from(a.1) + dy * s / len).round() as i32,
            )
        };
        out.push([p(t), p(e)]);
        t += dash + gap;
    }
    out
}

impl Chart for MapChart<'_> {
    fn file_stem(&self) -> String {
        "map".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let data = self.data;
        let theme = Theme::of(root);
        let title = TitleInfo {
            subject: data.scenario_name.clone(),
            seed: Some(data.seed),
            replicates: data.replicates,
            replicates_qualifier: String::new(),
        };
        let median = if data.replicates > 1 { "median " } else { "" };
        let subtitle = if data.routes.is_empty() {
            "no routes: the places are not joined, so nobody can flee".to_owned()
        } else if data.several_origins {
            format!(
                "places laid out from route distances; arrows: {median}people who arrived displaced (from the nearest encircled place: origins are not recorded)"
            )
        } else {
            format!(
                "places laid out from route distances; arrows: {median}people who arrived displaced over the run, labelled with when ({median}days by which 10%, half and 90% had come)"
            )
        };
        let mut places = vec![LegendEntry::new("encircled", Swatch::Fill(ENCIRCLED))];
        if data.places.iter().any(|p| !p.encircled) {
            places.push(LegendEntry::new("other place", Swatch::Fill(REFUGE)));
        }
        let places = Legend::new(Some("places"), places);
        let mut states: Vec<RouteState> = data
            .routes
            .iter()
            .flat_map(|r| std::iter::once(r.state).chain(r.changes.iter().map(|c| c.1)))
            .collect();
        states.sort_by_key(|s| *s as u8);
        states.dedup();
        let routes = Legend::new(
            Some("routes"),
            states
                .iter()
                .map(|&s| {
                    let swatch = if s == RouteState::Open {
                        Swatch::Line(state_color(s))
                    } else {
                        Swatch::Dashed(state_color(s))
                    };
                    LegendEntry::new(state_word(s), swatch)
                })
                .collect(),
        );
        let flows = Legend::new(
            Some("flight"),
            vec![LegendEntry::new("people displaced", Swatch::Fill(FLOW))],
        );
        let mut legends: Vec<&Legend> = vec![&places];
        if !data.routes.is_empty() {
            legends.push(&routes);
        }
        if !data.flows.is_empty() {
            legends.push(&flows);
        }
        let legend_w = legend_width(root, &theme, &legends)?;
        let (plot, legend_area) = frame(root, &theme, &title.title("map"), &subtitle, legend_w)?;
        let mut top = theme.px(10.0);
        for l in &legends {
            draw_legend(&legend_area, &theme, l, top)?;
            top += legend_height(&theme, l) + theme.px(12.0);
        }
        if data.places.is_empty() {
            return Ok(());
        }
        // One scale on both axes, margins for labels.
        let (w, h) = plot.dim_in_pixel();
        let margin_x = f64::from(theme.px(110.0));
        let margin_top = f64::from(theme.px(40.0));
        let margin_bottom = f64::from(theme.px(90.0));
        let (min_x, max_x) = data
            .xy
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.0), b.max(p.0)));
        let (min_y, max_y) = data
            .xy
            .iter()
            .fold((f64::MAX, f64::MIN), |(a, b), p| (a.min(p.1), b.max(p.1)));
        let (span_x, span_y) = ((max_x - min_x).max(1e-9), (max_y - min_y).max(1e-9));
        let avail_x = (f64::from(w) - 2.0 * margin_x).max(10.0);
        let avail_y = (f64::from(h) - margin_top - margin_bottom).max(10.0);
        let px_per_km = (avail_x / span_x).min(avail_y / span_y);
        let px_per_km = if px_per_km.is_finite() && px_per_km < 1e8 {
            px_per_km
        } else {
            1.0
        };
        let cx = margin_x + avail_x / 2.0;
        let cy = margin_top + avail_y / 2.0;
        let at = |i: usize| -> (i32, i32) {
            let (x, y) = data.xy[i];
            (
                (cx + (x - (min_x + max_x) / 2.0) * px_per_km).round() as i32,
                (cy - (y - (min_y + max_y) / 2.0) * px_per_km).round() as i32,
            )
        };
        // Routes, in their day-0 state; their labels are placed with the others below.
        let mut labels: Vec<Block> = Vec::new();
        let mut route_labels: Vec<Block> = Vec::new();
        for r in &data.routes {
            let (a, b) = (at(r.a), at(r.b));
            let style = state_color(r.state).stroke_width(theme.upx(3.0));
            match r.state {
                RouteState::Open => {
                    plot.draw(&PathElement::new(vec![a, b], style)).map_err(plot_err)?;
                }
                RouteState::Closed | RouteState::Impassable => {
                    let (dash, gap) = if r.state == RouteState::Closed {
                        (10.0, 7.0)
                    } else {
                        (3.0, 6.0)
                    };
                    for seg in dashes(a, b, f64::from(theme.px(dash)), f64::from(theme.px(gap))) {
                        plot.draw(&PathElement::new(seg.to_vec(), style)).map_err(plot_err)?;
                    }
                }
            }
            let mut label = format!("{} · {} km", r.id, trim_km(r.km));
            for (day, state) in &r.changes {
                label += &format!(" · {} {}", state_word(*state), data.when(*day));
            }
            let color = if r.changes.is_empty() {
                MUTED_TEXT
            } else {
                state_color(r.changes[0].1)
            };
            let mut block = Block::new(&plot, vec![(label, theme.annotation(&color))])?;
            // Beside the middle, first on the side away from the flight arrows (which run on the
            // left of their direction of travel), then further along.
            let off = f64::from(theme.px(10.0));
            for side in [1.0, -1.0] {
                for t in [0.5, 0.3, 0.7] {
                    block.beside_line(a, b, t, side * off);
                }
            }
            route_labels.push(block);
        }
        // Flight arrows, as wide as the people who arrived (the widest 18 px), labelled with when.
        let most = data.flows.iter().map(|f| f.people).fold(0.0, f64::max);
        let mut flow_labels: Vec<Block> = Vec::new();
        let mut arrows: Vec<Rect> = Vec::new();
        for f in &data.flows {
            let (a, b) = (at(f.from), at(f.to));
            let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
            let len = (dx * dx + dy * dy).sqrt();
            if len < 1.0 || most <= 0.0 {
                continue;
            }
            let (ux, uy) = (dx / len, dy / len);
            // Offset to one side of the route so both stay visible.
            let side = f64::from(theme.px(9.0));
            let (ox, oy) = (-uy * side, ux * side);
            let width = (f64::from(theme.px(18.0)) * (f.people / most).sqrt()).max(f64::from(theme.px(2.0)));
            let r_node = f64::from(theme.px(14.0));
            let head = (width * 1.8).max(f64::from(theme.px(10.0)));
            let start = (f64::from(a.0) + ux * r_node + ox, f64::from(a.1) + uy * r_node + oy);
            let tip = (f64::from(b.0) - ux * r_node + ox, f64::from(b.1) - uy * r_node + oy);
            let base = (tip.0 - ux * head, tip.1 - uy * head);
            let p = |x: f64, y: f64| (x.round() as i32, y.round() as i32);
            let (nx, ny) = (-uy, ux);
            let half = width / 2.0;
            let body = vec![
                p(start.0 + nx * half, start.1 + ny * half),
                p(base.0 + nx * half, base.1 + ny * half),
                p(base.0 + nx * head * 0.6, base.1 + ny * head * 0.6),
                p(tip.0, tip.1),
                p(base.0 - nx * head * 0.6, base.1 - ny * head * 0.6),
                p(base.0 - nx * half, base.1 - ny * half),
                p(start.0 - nx * half, start.1 - ny * half),
            ];
            plot.draw(&Polygon::new(body, FLOW.mix(0.85).filled()))
                .map_err(plot_err)?;
            // The arrow, as small boxes along it, is kept clear of the labels.
            let steps = (len / 6.0).ceil().max(1.0) as usize;
            let reach = half.max(head * 0.6) as i32 + 1;
            for k in 0..=steps {
                let t = k as f64 / steps as f64;
                let (x, y) = p(start.0 + (tip.0 - start.0) * t, start.1 + (tip.1 - start.1) * t);
                let r = if t * len > len - head - 2.0 * r_node {
                    reach
                } else {
                    half as i32 + 1
                };
                arrows.push((x - r, y - r, x + r, y + r));
            }
            if let Some([d10, d50, d90]) = f.timing {
                let (d10, d50, d90) = (d10 as u32, d50 as u32, d90 as u32);
                let lines = vec![
                    (format!("half by {}", data.when(d50)), theme.annotation(&FLOW_TEXT)),
                    (
                        format!("10–90%: {} – {}", data.when_short(d10, d50), data.when_short(d90, d50)),
                        theme.annotation(&FLOW_TEXT),
                    ),
                ];
                let mut block = Block::new(&plot, lines)?;
                // On the arrow's outer side, clear of its width.
                let a2 = p(start.0, start.1);
                let b2 = p(tip.0, tip.1);
                for t in [0.5, 0.35, 0.65] {
                    block.beside_line(a2, b2, t, -(half + f64::from(theme.px(6.0))));
                }
                for t in [0.5, 0.35, 0.65] {
                    block.beside_line(a2, b2, t, half + f64::from(theme.px(6.0)));
                }
                flow_labels.push(block);
            }
        }
        // Places: a disc each; the name and what happened there beside it, placed below.
        let r_disc = theme.px(13.0);
        let mut taken: Vec<Rect> = arrows;
        for (i, p) in data.places.iter().enumerate() {
            let c = at(i);
            let color = if p.encircled { ENCIRCLED } else { REFUGE };
            plot.draw(&Circle::new(c, theme.upx(11.0), color.filled()))
                .map_err(plot_err)?;
            plot.draw(&Circle::new(c, theme.upx(11.0), WHITE.stroke_width(theme.upx(2.0))))
                .map_err(plot_err)?;
            taken.push((c.0 - r_disc, c.1 - r_disc, c.0 + r_disc, c.1 + r_disc));
            let mut lines = vec![(p.name.clone(), theme.legend_heading())];
            let mut facts = Vec::new();
            if p.residents > 0 {
                facts.push(format!("{} residents", people(p.residents as f64)));
            }
            if p.arrivals > 0.0 {
                facts.push(format!("{} arrived", people(p.arrivals)));
            }
            if p.deaths > 0.0 {
                facts.push(format!("{} died", people(p.deaths)));
            }
            if !facts.is_empty() {
                lines.push((facts.join(", "), theme.annotation(&MUTED_TEXT)));
            }
            let mut block = Block::new(&plot, lines)?;
            block.around(c, theme.px(15.0));
            labels.push(block);
        }
        // The labels, places first, then the flights' timing, then the routes: each at its first
        // candidate position that overlaps no disc, no label placed before and stays inside the
        // plot; else where it overlaps least.
        labels.extend(flow_labels);
        labels.extend(route_labels);
        let bounds = (0, 0, w as i32, h as i32 - theme.px(40.0));
        for block in &labels {
            let (x, y) = block.place(&mut taken, bounds);
            block.draw(&plot, x, y)?;
        }
        // Scale bar: a round number of km about a fifth of the width.
        if span_x.max(span_y) > 1e-6 {
            let target = f64::from(w) / 5.0 / px_per_km;
            let mag = 10f64.powf(target.log10().floor());
            let km = [1.0, 2.0, 5.0, 10.0]
                .iter()
                .map(|m| m * mag)
                .rfind(|&k| k <= target)
                .unwrap_or(mag);
            let len = (km * px_per_km).round() as i32;
            let (x0, y0) = (theme.px(16.0), h as i32 - theme.px(20.0));
            let bar = DARK.stroke_width(theme.upx(2.0));
            plot.draw(&PathElement::new(vec![(x0, y0), (x0 + len, y0)], bar))
                .map_err(plot_err)?;
            for x in [x0, x0 + len] {
                plot.draw(&PathElement::new(
                    vec![(x, y0 - theme.px(5.0)), (x, y0 + theme.px(5.0))],
                    bar,
                ))
                .map_err(plot_err)?;
            }
            plot.draw_text(
                &format!("{} km (route distance, schematic)", trim_km(km)),
                &theme.tick().pos(Pos::new(HPos::Left, VPos::Bottom)),
                (x0, y0 - theme.px(8.0)),
            )
            .map_err(plot_err)?;
        }
        Ok(())
    }
}

/// A box in pixels: (left, top, right, bottom).
type Rect = (i32, i32, i32, i32);

fn overlap(a: Rect, b: Rect) -> i64 {
    let w = (a.2.min(b.2) - a.0.max(b.0)).max(0);
    let h = (a.3.min(b.3) - a.1.max(b.1)).max(0);
    i64::from(w) * i64::from(h)
}

/// A label: lines of text centred on each other, its size, and the top-left corners it may take,
/// best first.
struct Block {
    lines: Vec<(String, TextStyle<'static>, (i32, i32))>,
    w: i32,
    h: i32,
    candidates: Vec<(i32, i32)>,
}

impl Block {
    const GAP: i32 = 3;

    fn new<DB: DrawingBackend>(
        area: &DrawingArea<DB, Shift>,
        lines: Vec<(String, TextStyle<'static>)>,
    ) -> Result<Block> {
        let mut sized = Vec::new();
        for (text, style) in lines {
            let (w, h) = area.estimate_text_size(&text, &style).map_err(plot_err)?;
            sized.push((text, style, (w as i32, h as i32)));
        }
        let w = sized.iter().map(|l| l.2.0).max().unwrap_or(0);
        let h = sized.iter().map(|l| l.2.1).sum::<i32>() + Self::GAP * (sized.len() as i32 - 1).max(0);
        Ok(Block {
            lines: sized,
            w,
            h,
            candidates: Vec::new(),
        })
    }

    /// Candidates around a disc at `c`, `r` from its centre: below, above, right, left, then the
    /// corners, then the same further out.
    fn around(&mut self, c: (i32, i32), r: i32) {
        let (w, h) = (self.w, self.h);
        for k in [1, 2] {
            let r = r * k;
            let d = r * 7 / 10;
            self.candidates.extend([
                (c.0 - w / 2, c.1 + r),
                (c.0 - w / 2, c.1 - r - h),
                (c.0 + r, c.1 - h / 2),
                (c.0 - r - w, c.1 - h / 2),
                (c.0 + d, c.1 + d),
                (c.0 - d - w, c.1 + d),
                (c.0 + d, c.1 - d - h),
                (c.0 - d - w, c.1 - d - h),
            ]);
        }
    }

    /// A candidate beside the line a→b at fraction `t` along it, `off` pixels to its left (of the
    /// direction of travel, on the screen; negative: its right), the edge facing the line there.
    fn beside_line(&mut self, a: (i32, i32), b: (i32, i32), t: f64, off: f64) {
        let (dx, dy) = (f64::from(b.0 - a.0), f64::from(b.1 - a.1));
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (nx, ny) = (dy / len, -dx / len);
        let m = (f64::from(a.0) + dx * t + nx * off, f64::from(a.1) + dy * t + ny * off);
        let (sx, sy) = (nx * off.signum(), ny * off.signum());
        let x = if sx > 0.3 {
            m.0
        } else if sx < -0.3 {
            m.0 - f64::from(self.w)
        } else {
            m.0 - f64::from(self.w) / 2.0
        };
        let y = if sy > 0.3 {
            m.1
        } else if sy < -0.3 {
            m.1 - f64::from(self.h)
        } else {
            m.1 - f64::from(self.h) / 2.0
        };
        self.candidates.push((x.round() as i32, y.round() as i32));
    }

    fn rect(&self, x: i32, y: i32) -> Rect {
        (x, y, x + self.w, y + self.h)
    }

    /// The first candidate that overlaps nothing in `taken` and stays within `bounds`, else the
    /// one that overlaps least (outside the bounds counting 4 times); marks it taken.
    fn place(&self, taken: &mut Vec<Rect>, bounds: Rect) -> (i32, i32) {
        let cost = |&(x, y): &(i32, i32)| -> i64 {
            let r = self.rect(x, y);
            let area = i64::from(self.w) * i64::from(self.h);
            let outside = area - overlap(r, bounds);
            taken.iter().map(|&t| overlap(r, t)).sum::<i64>() + 4 * outside
        };
        let best = self
            .candidates
            .iter()
            .copied()
            .find(|c| cost(c) == 0)
            .or_else(|| self.candidates.iter().copied().min_by_key(cost))
            .unwrap_or((bounds.0, bounds.1));
        taken.push(self.rect(best.0, best.1));
        best
    }

    fn draw<DB: DrawingBackend>(&self, area: &DrawingArea<DB, Shift>, x: i32, y: i32) -> Result<()> {
        let mut top = y;
        for (text, style, (w, h)) in &self.lines {
            let left = x + (self.w - w) / 2;
            area.draw_text(text, &style.pos(Pos::new(HPos::Left, VPos::Top)), (left, top))
                .map_err(plot_err)?;
            top += h + Self::GAP;
        }
        Ok(())
    }
}

/// Kilometres without a trailing ".0".
fn trim_km(km: f64) -> String {
    let text = format!("{km:.1}");
    text.strip_suffix(".0").map_or(text.clone(), str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(a: usize, b: usize, km: f64) -> MapRoute {
        MapRoute {
            id: format!("{a}-{b}"),
            a,
            b,
            km,
            state: RouteState::Open,
            changes: Vec::new(),
        }
    }

    #[test]
    fn arrival_days_are_where_the_cumulative_share_is_reached() {
        assert_eq!(arrival_days(&[]), None);
        assert_eq!(arrival_days(&[(3, 0)]), None);
        // 100 people: 10 on day 2, 40 on day 5, 50 on day 9.
        assert_eq!(arrival_days(&[(2, 10), (5, 40), (9, 50)]), Some([2, 5, 9]));
        assert_eq!(arrival_days(&[(7, 1)]), Some([7, 7, 7]));
    }

    #[test]
    fn labels_of_places_close_together_do_not_overlap() {
        crate::charts::register_font();
        let mut svg = String::new();
        let root = SVGBackend::with_string(&mut svg, (800, 600)).into_drawing_area();
        let theme = Theme::of(&root);
        // Two discs 20 px apart, as Farabougou and Kourouma Koubé: the first label takes the
        // place below, the second must go elsewhere.
        let discs = [(400, 300), (400, 320)];
        let mut taken: Vec<Rect> = discs.iter().map(|c| (c.0 - 13, c.1 - 13, c.0 + 13, c.1 + 13)).collect();
        let mut placed = Vec::new();
        for (i, &c) in discs.iter().enumerate() {
            let mut b = Block::new(
                &root,
                vec![
                    (format!("Place number {i}"), theme.legend_heading()),
                    ("3,000 residents, 15 died".into(), theme.annotation(&MUTED_TEXT)),
                ],
            )
            .unwrap();
            b.around(c, 15);
            let (x, y) = b.place(&mut taken, (0, 0, 800, 600));
            placed.push(b.rect(x, y));
        }
        assert_eq!(overlap(placed[0], placed[1]), 0, "{placed:?}");
        for r in &placed {
            for c in discs {
                assert_eq!(
                    overlap(*r, (c.0 - 13, c.1 - 13, c.0 + 13, c.1 + 13)),
                    0,
                    "{r:?} covers a disc"
                );
            }
        }
    }

    #[test]
    fn a_triangle_is_laid_out_at_its_route_distances() {
        // A 3-4-5 right triangle: the plane holds it exactly.
        let routes = [route(0, 1, 3.0), route(1, 2, 4.0), route(0, 2, 5.0)];
        let d = shortest_paths(3, &routes);
        let xy = layout(&d);
        let dist = |i: usize, j: usize| ((xy[i].0 - xy[j].0).powi(2) + (xy[i].1 - xy[j].1).powi(2)).sqrt();
        assert!((dist(0, 1) - 3.0).abs() < 1e-6, "{xy:?}");
        assert!((dist(1, 2) - 4.0).abs() < 1e-6, "{xy:?}");
        assert!((dist(0, 2) - 5.0).abs() < 1e-6, "{xy:?}");
        assert_eq!(xy, layout(&d), "the layout is deterministic");
    }

    #[test]
    fn a_chain_goes_through_its_middle_and_unjoined_places_stand_apart() {
        let d = shortest_paths(4, &[route(0, 1, 10.0), route(1, 2, 10.0)]);
        assert_eq!(d[0][2], 20.0);
        assert!(d[0][3].is_infinite());
        let xy = layout(&d);
        assert!(xy.iter().all(|p| p.0.is_finite() && p.1.is_finite()), "{xy:?}");
        let dist = |i: usize, j: usize| ((xy[i].0 - xy[j].0).powi(2) + (xy[i].1 - xy[j].1).powi(2)).sqrt();
        assert!((dist(0, 2) - 20.0).abs() < 1.0, "{xy:?}");
        assert!(
            (0..3).all(|i| dist(i, 3) > 20.0),
            "the unjoined place stands apart: {xy:?}"
        );
        let mean_x = xy.iter().map(|p| p.0).sum::<f64>() / 4.0;
        assert!(xy[0].0 <= mean_x, "the first place is on the left: {xy:?}");
    }
}
