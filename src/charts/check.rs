//! The chart of a `siege check` directory (`check.csv` beside a run's files): each documented
//! outcome fact, with its tolerance range, beside the model's daily band of the same column.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::data::{Band, RunData, band_by_day, finite_max};
use crate::charts::render::{Chart, write_chart};
use crate::charts::style::*;
use crate::check::Tolerance;
use crate::observe::files::CheckRow;

/// At most this many metrics get a panel (the rest are named in the subtitle).
pub const MAX_PANELS: usize = 6;

/// A scored fact as the chart draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct FactPoint {
    pub id: String,
    pub day: u32,
    /// Days averaged, ending on `day` (1 for the day itself).
    pub window: u32,
    pub tolerance: Tolerance,
    /// The documented value when it is a plain number.
    pub documented: Option<f64>,
    pub median: Option<f64>,
    pub p05: Option<f64>,
    pub p95: Option<f64>,
    pub within: Option<bool>,
    /// A calibration target (`kind = "calibration"`): drawn and labelled as such, counted apart.
    pub calibration: bool,
}

/// The facts of one `timeseries.csv` column and the model's daily band of it.
#[derive(Clone, Debug, PartialEq)]
pub struct MetricFacts {
    pub metric: String,
    pub facts: Vec<FactPoint>,
    pub band: Band,
}

/// The scored facts (outcomes and calibrations) of `check.csv`: those drawn, grouped by metric in file order, and whether
/// each of the others was met.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CheckFacts {
    pub groups: Vec<MetricFacts>,
    /// Scored facts that have no panel (a `peak_day:` fact is a day, a `deaths_pct:` fact a share
    /// of a window's deaths, neither a value of a daily series: in the table, not drawn), by id, with whether each is within its tolerance
    /// and whether it is a calibration target.
    pub undrawn: Vec<(String, Option<bool>, bool)>,
}

/// The scored facts of `check.csv`.
pub fn load(dir: &Path, run: &RunData) -> Result<CheckFacts> {
    let path = dir.join("check.csv");
    let mut reader = csv::Reader::from_path(&path).with_context(|| format!("reading {}", path.display()))?;
    let mut groups: Vec<MetricFacts> = Vec::new();
    let mut undrawn = Vec::new();
    for row in reader.deserialize::<CheckRow>() {
        let row = row.with_context(|| format!("parsing {}", path.display()))?;
        if row.metric.is_empty() || !crate::check::is_scored(&row.kind) {
            continue;
        }
        let calibration = row.kind == "calibration";
        if !crate::check::Measure::of(&row.metric).is_series() {
            undrawn.push((row.id.clone(), row.within, calibration));
            continue;
        }
        let Ok(Some(tolerance)) = Tolerance::parse(&row.tolerance) else {
            continue;
        };
        let fact = FactPoint {
            id: row.id.clone(),
            day: row.day,
            window: row.window.unwrap_or(1).max(1),
            tolerance,
            documented: row.documented.trim().parse::<f64>().ok().filter(|v| v.is_finite()),
            median: row.sim_median.0,
            p05: row.sim_p05.0,
            p95: row.sim_p95.0,
            within: row.within,
            calibration,
        };
        match groups.iter_mut().find(|g| g.metric == row.metric) {
            Some(g) => g.facts.push(fact),
            None => groups.push(MetricFacts {
                metric: row.metric.clone(),
                facts: vec![fact],
                band: Band::default(),
            }),
        }
    }
    for g in &mut groups {
        let mut values = std::collections::BTreeMap::new();
        for r in &run.rows {
            values.insert((r.replicate, r.day), column(r, &g.metric)?);
        }
        g.band = band_by_day(&run.rows, |r| {
            values.get(&(r.replicate, r.day)).copied().unwrap_or(f64::NAN)
        });
    }
    Ok(CheckFacts { groups, undrawn })
}

/// The value of the `timeseries.csv` column `name` in `row`.
fn column(row: &crate::observe::DayRecord, name: &str) -> Result<f64> {
    let value = serde_json::to_value(row)?;
    value
        .get(name)
        .and_then(serde_json::Value::as_f64)
        .with_context(|| format!("check.csv names the metric {name:?}, which timeseries.csv does not have"))
}

pub struct CheckChartJob<'a> {
    pub data: &'a RunData,
    pub facts: &'a CheckFacts,
    pub title: &'a TitleInfo,
}

impl Chart for CheckChartJob<'_> {
    fn file_stem(&self) -> String {
        "check_facts".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        facts_chart(root, self.data, self.facts, self.title)
    }
}

/// Draws the check chart of `dir` into `out_dir` (nothing when no outcome fact can be drawn).
pub fn write_all(dir: &Path, out_dir: &Path, data: &RunData, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let facts = load(dir, data)?;
    if facts.groups.is_empty() {
        return Ok(Vec::new());
    }
    let title = crate::charts::run::title_info(&data.meta);
    write_chart(
        out_dir,
        &CheckChartJob {
            data,
            facts: &facts,
            title: &title,
        },
        opts,
    )
}

const WITHIN: RGBColor = RGBColor(0x2E, 0x7D, 0x32);
/// WITHIN at 30 % over white, for the legend swatch.
const WITHIN_LIGHT: RGBColor = RGBColor(0xC0, 0xD8, 0xC1);
const OUTSIDE: RGBColor = RGBColor(0xC8, 0x00, 0x00);
const MODEL: RGBColor = RGBColor(0x4E, 0x79, 0xA7);

fn facts_chart<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    facts: &CheckFacts,
    title: &TitleInfo,
) -> Result<()> {
    let groups = &facts.groups;
    let theme = Theme::of(root);
    let legend = Legend::new(
        Some("each panel"),
        vec![
            LegendEntry::new("model, daily median, 5–95%", Swatch::LineBand(MODEL)),
            LegendEntry::new("documented: tolerance", Swatch::Fill(WITHIN_LIGHT)),
            LegendEntry::new("model at the fact", Swatch::ErrorBar(DARK)),
            LegendEntry::new("documented value", Swatch::Line(DARK)),
        ],
    );
    let shown = &groups[..groups.len().min(MAX_PANELS)];
    // Every scored fact, drawn or not, so that the counts are the terminal table's.
    let tally = crate::check::Tally::of(
        groups
            .iter()
            .flat_map(|g| g.facts.iter().map(|f| (f.calibration, f.within)))
            .chain(facts.undrawn.iter().map(|(_, w, c)| (*c, *w))),
    );
    let mut subtitle = format!(
        "{} of {} outcome facts within tolerance (median of the replicates)",
        tally.outcomes_within, tally.outcomes
    );
    if tally.calibrations > 0 {
        subtitle.push_str(&format!(
            "; {} of {} calibration target{} (fitted, not tests)",
            tally.calibrations_within,
            tally.calibrations,
            if tally.calibrations == 1 { "" } else { "s" }
        ));
    }
    subtitle.push_str("; tolerance bars green when the model's median is inside, red when not");
    if groups.len() > shown.len() {
        subtitle.push_str(&format!("; {} more metrics in check.csv", groups.len() - shown.len()));
    }
    if !facts.undrawn.is_empty() {
        let ids: Vec<&str> = facts.undrawn.iter().map(|(id, _, _)| id.as_str()).collect();
        subtitle.push_str(&format!(
            "; not drawn (a peak's day or a share of deaths): {}",
            ids.join(", ")
        ));
    }
    let events = marker_legend(&data.markers);
    let mut legends = vec![&legend];
    legends.extend(events.as_ref());
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title("model against the documented facts"),
        &subtitle,
        legend_width(root, &theme, &legends)?,
    )?;
    let cols = if shown.len() <= 1 { 1 } else { 2 };
    let rows = shown.len().div_ceil(cols);
    let panels = plot.split_evenly((rows, cols));
    let (first, last) = data.day_range();
    for (g, panel) in shown.iter().zip(&panels) {
        let fact_top = g
            .facts
            .iter()
            .flat_map(|f| {
                let tol = match f.tolerance {
                    Tolerance::Between(_, b) | Tolerance::AtMost(b) => b,
                    Tolerance::AtLeast(a) => a * 1.25,
                };
                [Some(tol), f.documented, f.p95]
            })
            .flatten();
        let fact_top = finite_max(fact_top.collect::<Vec<_>>().iter());
        let y_max = g.band.max().max(fact_top);
        let title = g.metric.replace('_', " ");
        let mut chart = time_panel(
            panel,
            &theme,
            &TimePanel {
                axis: TimeAxis { start: data.start_date },
                days: (first, last),
                y_min: 0.0,
                y_max,
                y_desc: "",
                panel_title: &title,
                pad_days: true,
                right_tags: false,
                markers: &data.markers,
                marker_labels: false,
                log_y: false,
            },
        )?;
        draw_band(&mut chart, &theme, &g.band, MODEL)?;
        let y_top = chart.y_range().end;
        for f in &g.facts {
            let color = match f.within {
                Some(true) => WITHIN,
                Some(false) => OUTSIDE,
                None => GREY,
            };
            let (lo, hi) = match f.tolerance {
                Tolerance::Between(a, b) => (a, b),
                Tolerance::AtLeast(a) => (a, y_top),
                Tolerance::AtMost(b) => (0.0, b),
            };
            let day = f64::from(f.day);
            let x0 = day - f64::from(f.window) + 0.5;
            let x1 = day + 0.5;
            // A point tolerance still gets a visible bar.
            let pad = (y_top * 0.006).max(1e-9);
            chart
                .draw_series([
                    Rectangle::new([(x0, lo - pad), (x1, hi + pad)], color.mix(0.30).filled()),
                    Rectangle::new([(x0, lo - pad), (x1, hi + pad)], color.stroke_width(theme.upx(1.5))),
                ])
                .map_err(plot_err)?;
            if let Some(v) = f.documented {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(x0, v), (x1, v)],
                        DARK.stroke_width(theme.upx(2.5)),
                    )))
                    .map_err(plot_err)?;
            }
            if let (Some(m), Some(a), Some(b)) = (f.median, f.p05, f.p95) {
                let style = DARK.stroke_width(theme.upx(1.5));
                chart
                    .draw_series([PathElement::new(vec![(day, a), (day, b)], style)])
                    .map_err(plot_err)?;
                chart
                    .draw_series([
                        Circle::new((day, m), theme.upx(4.5), WHITE.filled()),
                        Circle::new((day, m), theme.upx(4.5), DARK.stroke_width(theme.upx(2.0))),
                    ])
                    .map_err(plot_err)?;
            }
            let (px, py) = chart.backend_coord(&(x1, hi.min(y_top)));
            let (bx, by) = panel.get_base_pixel();
            panel
                .draw_text(
                    &if f.calibration {
                        format!("{} (calibration)", f.id)
                    } else {
                        f.id.clone()
                    },
                    &theme.annotation(&DARK).pos(Pos::new(HPos::Left, VPos::Top)),
                    (px - bx + theme.px(3.0), py - by + theme.px(2.0)),
                )
                .map_err(plot_err)?;
        }
    }
    draw_legend(&legend_area, &theme, &legend, theme.px(20.0))?;
    if let Some(events) = &events {
        let top = theme.px(36.0) + legend_height(&theme, &legend);
        draw_legend(&legend_area, &theme, events, top)?;
    }
    Ok(())
}
