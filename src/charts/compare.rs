//! Charts of a comparison (`compare.csv`, `compare.json`, `scenarios/<name>/timeseries.csv`):
//! the scenarios overlaid on the same axes, one colour each (the same colour in every chart).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::data::{
    Band, Marker, MarkerKind, RunData, RunMeta, TimeseriesRow, markers_of, read_json, read_timeseries,
};
use crate::charts::render::{Chart, write_chart};
use crate::charts::run::NEED_KCAL;
use crate::charts::style::*;
use crate::observe::Outcome;
use crate::observe::files::{CompareFile, CompareRow, RunFile};
use crate::output::read_named_rows;

/// `deaths_total` quantiles of one scenario, from compare.csv.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct DeathsTotal {
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
}

#[derive(Clone, Debug)]
pub struct ScenarioRun {
    pub name: String,
    pub run: RunData,
    pub deaths_total: DeathsTotal,
}

#[derive(Clone, Debug)]
pub struct CompareData {
    pub meta: CompareFile,
    /// In compare.json order.
    pub scenarios: Vec<ScenarioRun>,
}

impl CompareData {
    pub fn load(dir: &Path) -> Result<Self> {
        let meta: CompareFile = read_json(&dir.join("compare.json"))?;
        let csv_path = dir.join("compare.csv");
        let (_, compared) = read_named_rows(&csv_path, CompareRow::read)?;
        if meta.scenarios.is_empty() {
            bail!("{} lists no scenarios", dir.join("compare.json").display());
        }
        let mut scenarios = Vec::new();
        for scenario in &meta.scenarios {
            let scenario_dir = dir.join("scenarios").join(&scenario.name);
            let rows = read_timeseries(&scenario_dir.join("timeseries.csv"))?;
            let run_json = scenario_dir.join("run.json");
            let mut markers = Vec::new();
            let run_meta = if run_json.exists() {
                let file = read_json::<RunFile>(&run_json)?;
                markers = markers_of(&file);
                RunMeta::from(file)
            } else {
                RunMeta {
                    scenario_name: scenario.name.clone(),
                    seed: meta.seed.unwrap_or(0),
                    replicates: u64::from(meta.replicates),
                    start_date: None,
                    scenario_file: scenario.file.clone(),
                }
            };
            let mut run = RunData::new(run_meta, rows).with_context(|| format!("scenario {}", scenario.name))?;
            run.markers = markers;
            let row = compared
                .iter()
                .find(|r| r.scenario == scenario.name)
                .with_context(|| format!("{} has no row for scenario {:?}", csv_path.display(), scenario.name))?;
            let d = row.stat(Outcome::DeathsTotal);
            let deaths_total = DeathsTotal {
                p05: d.p05,
                p50: d.p50,
                p95: d.p95,
            };
            scenarios.push(ScenarioRun {
                name: scenario.name.clone(),
                run,
                deaths_total,
            });
        }
        Ok(Self { meta, scenarios })
    }

    /// Dates when every scenario starts on the same date, else day numbers.
    pub fn time_axis(&self) -> TimeAxis {
        let first = self.scenarios[0].run.start_date;
        let same = self.scenarios.iter().all(|s| s.run.start_date == first);
        TimeAxis {
            start: if same { first } else { None },
        }
    }

    /// The event markers every scenario shares (those that differ would need a key to read).
    pub fn common_markers(&self) -> Vec<Marker> {
        let mut common = self.scenarios[0].run.markers.clone();
        common.retain(|m| self.scenarios.iter().all(|s| s.run.markers.contains(m)));
        common
    }

    /// Each scenario's own relief: its airdrop and convoy-arrival markers that not every scenario
    /// shares, as (scenario index, markers); scenarios with none are left out.
    pub fn own_relief(&self) -> Vec<(usize, Vec<Marker>)> {
        let common = self.common_markers();
        self.scenarios
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let own: Vec<Marker> = s
                    .run
                    .markers
                    .iter()
                    .filter(|m| matches!(m.kind, MarkerKind::Airdrop | MarkerKind::Convoy) && !common.contains(m))
                    .cloned()
                    .collect();
                (!own.is_empty()).then_some((i, own))
            })
            .collect()
    }

    pub fn day_range(&self) -> (f64, f64) {
        self.scenarios
            .iter()
            .map(|s| s.run.day_range())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), (c, d)| {
                (a.min(c), b.max(d))
            })
    }
}

pub fn title_info(meta: &CompareFile) -> TitleInfo {
    TitleInfo {
        subject: format!("comparison of {} scenarios", meta.scenarios.len()),
        seed: meta.seed,
        replicates: u64::from(meta.replicates),
        replicates_qualifier: " each".to_owned(),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompareChart {
    Deaths,
    Present,
    Intake,
    IntakeHome,
    DeathsTotal,
}

impl CompareChart {
    pub const ALL: [CompareChart; 5] = [
        CompareChart::Deaths,
        CompareChart::Present,
        CompareChart::Intake,
        CompareChart::IntakeHome,
        CompareChart::DeathsTotal,
    ];

    pub fn file_stem(self) -> &'static str {
        match self {
            CompareChart::Deaths => "compare_deaths",
            CompareChart::Present => "compare_present",
            CompareChart::Intake => "compare_intake",
            CompareChart::IntakeHome => "compare_intake_home",
            CompareChart::DeathsTotal => "compare_deaths_total",
        }
    }

    /// What a chart over time draws, per scenario; `None` for the totals' bars.
    fn overlay(self) -> Option<Overlay<'static>> {
        let need = Some((NEED_KCAL, "need: 2,100 kcal"));
        let (what, y_desc, value, reference, from_zero): (_, _, fn(&TimeseriesRow) -> f64, _, _) = match self {
            CompareChart::Deaths => (
                "cumulative deaths, all causes",
                "deaths since day 0 (people)",
                |r| r.n_dead as f64,
                None,
                true,
            ),
            // People alive at their home location.
            CompareChart::Present => (
                "population at home",
                "people at home",
                |r| r.n_present as f64,
                None,
                false,
            ),
            CompareChart::Intake => (
                "mean energy intake",
                "kcal/person/day",
                |r| r.mean_intake_kcal,
                need,
                true,
            ),
            // Of the people whose household is at home, where drops land: once most have fled,
            // the mean over everyone is mostly the displaced's.
            CompareChart::IntakeHome => (
                "mean energy intake of those at home",
                "kcal/person/day",
                |r| r.mean_intake_kcal_home,
                need,
                true,
            ),
            CompareChart::DeathsTotal => return None,
        };
        Some(Overlay {
            what,
            y_desc,
            value,
            reference,
            from_zero,
        })
    }
}

pub struct CompareChartJob<'a> {
    pub chart: CompareChart,
    pub data: &'a CompareData,
    pub title: &'a TitleInfo,
}

impl Chart for CompareChartJob<'_> {
    fn file_stem(&self) -> String {
        self.chart.file_stem().to_owned()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let (data, title) = (self.data, self.title);
        match self.chart.overlay() {
            Some(spec) => overlay(root, data, title, &spec),
            None => deaths_total(root, data, title),
        }
    }
}

pub fn write_all(out_dir: &Path, data: &CompareData, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let title = title_info(&data.meta);
    let mut written = Vec::new();
    for chart in CompareChart::ALL {
        written.extend(write_chart(
            out_dir,
            &CompareChartJob {
                chart,
                data,
                title: &title,
            },
            opts,
        )?);
    }
    Ok(written)
}

struct Overlay<'a> {
    what: &'a str,
    y_desc: &'a str,
    value: fn(&TimeseriesRow) -> f64,
    /// A dashed reference line (value, label).
    reference: Option<(f64, &'a str)>,
    /// Start the value axis at 0 (else just below the data, to show differences between scenarios).
    from_zero: bool,
}

fn overlay<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &CompareData,
    title: &TitleInfo,
    spec: &Overlay<'_>,
) -> Result<()> {
    let theme = Theme::of(root);
    let bands: Vec<Band> = data.scenarios.iter().map(|s| s.run.band(spec.value)).collect();
    // A scenario whose band is the same as an earlier one's would be hidden under it: say so.
    let same_as: Vec<Option<usize>> = (0..bands.len())
        .map(|i| (0..i).find(|&j| bands[j] == bands[i]))
        .collect();
    let single = data.scenarios.len() == 1;
    let swatch = |c| {
        if single {
            Swatch::LineBand(c)
        } else {
            Swatch::LineEdges(c)
        }
    };
    let mut entries: Vec<LegendEntry> = data
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let label = match same_as[i] {
                Some(j) => format!("{} (same lines as {})", s.name, data.scenarios[j].name),
                None => s.name.clone(),
            };
            LegendEntry::new(label, swatch(palette(i)))
        })
        .collect();
    if let Some((_, label)) = spec.reference {
        entries.push(LegendEntry::new(label, Swatch::Dashed(DARK)));
    }
    let legend = Legend::new(Some("scenario"), entries);
    let markers = data.common_markers();
    let events = marker_legend(&markers);
    let own = data.own_relief();
    let relief = relief_legend(data, &own);
    let mut legends = vec![&legend];
    legends.extend(events.as_ref());
    legends.extend(relief.as_ref());
    let mut subtitle = if single {
        "line: median across replicates; shaded: 5–95% of replicates".to_owned()
    } else {
        "thick line: median across replicates; thin lines: 5% and 95% of replicates".to_owned()
    };
    let identical: Vec<String> = same_as
        .iter()
        .enumerate()
        .filter_map(|(i, j)| j.map(|j| format!("{} = {}", data.scenarios[i].name, data.scenarios[j].name)))
        .collect();
    if !identical.is_empty() {
        subtitle.push_str(&format!(
            "; the same median and 5–95% lines (the runs may still differ elsewhere), drawn on top of each other: {}",
            identical.join(", ")
        ));
    }
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title(spec.what),
        &subtitle,
        legend_width(root, &theme, &legends)?,
    )?;
    let mut y_max = bands.iter().map(Band::max).fold(0.0, f64::max);
    if let Some((value, _)) = spec.reference {
        y_max = y_max.max(value * 1.05);
    }
    let y_min = if spec.from_zero {
        0.0
    } else {
        let low = bands
            .iter()
            .flat_map(|b| b.p05.iter())
            .copied()
            .filter(|v| v.is_finite())
            .fold(f64::INFINITY, f64::min);
        if low.is_finite() && low < y_max {
            (low - 0.1 * (y_max - low)).max(0.0)
        } else {
            0.0
        }
    };
    let mut chart = time_panel(
        &plot,
        &theme,
        &TimePanel {
            axis: data.time_axis(),
            days: data.day_range(),
            y_min,
            y_max,
            y_desc: spec.y_desc,
            panel_title: "",
            pad_days: false,
            right_tags: false,
            markers: &markers,
            marker_labels: true,
            log_y: false,
        },
    )?;
    if let Some((value, label)) = spec.reference {
        draw_threshold(&mut chart, &theme, value, DARK, Some((label, 0.0)))?;
    }
    // The first file (usually the baseline) is drawn last, on top, so later scenarios that follow
    // the same path for a while do not hide it.
    for (i, band) in bands.iter().enumerate().rev() {
        if single {
            draw_band(&mut chart, &theme, band, palette(i))?;
        } else {
            // Outlines, not fills: overlapping translucent fills mix into colours no legend shows.
            draw_band_edges(&mut chart, &theme, band, palette(i))?;
        }
    }
    draw_relief(&mut chart, &theme, &own)?;
    let mut top = theme.px(20.0);
    for block in legends {
        draw_legend(&legend_area, &theme, block, top)?;
        top += legend_height(&theme, block) + theme.px(16.0);
    }
    Ok(())
}

/// The legend of each scenario's own relief: "NAME: airdrops" (a tick) and "NAME: convoys" (a
/// triangle) in the scenario's colour, or `None` when no scenario has relief of its own.
fn relief_legend(data: &CompareData, own: &[(usize, Vec<Marker>)]) -> Option<Legend> {
    let mut entries = Vec::new();
    for (i, marks) in own {
        let name = &data.scenarios[*i].name;
        for (kind, what, swatch) in [
            (MarkerKind::Airdrop, "airdrops", Swatch::Tick(palette(*i))),
            (MarkerKind::Convoy, "convoys arrive", Swatch::Triangle(palette(*i))),
        ] {
            if marks.iter().any(|m| m.kind == kind) {
                entries.push(LegendEntry::new(format!("{name}: {what}"), swatch));
            }
        }
    }
    (!entries.is_empty()).then(|| Legend::new(Some("relief of each plan (marks at the foot)"), entries))
}

/// Each scenario's own relief as marks along the foot of the plot, one row per scenario in its
/// colour: a tick on each airdrop day, a triangle on each convoy's arrival day.
fn draw_relief<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, TimeCoord>,
    theme: &Theme,
    own: &[(usize, Vec<Marker>)],
) -> Result<()> {
    let (x, y) = (chart.x_range(), chart.y_range());
    let row_h = (y.end - y.start) * 0.035;
    let half_w = (x.end - x.start) * 0.005;
    for (row, (i, marks)) in own.iter().enumerate() {
        let color = palette(*i);
        let (lo, hi) = (
            y.start + row as f64 * row_h * 1.3,
            y.start + (row as f64 * 1.3 + 1.0) * row_h,
        );
        for (m, day) in marks
            .iter()
            .flat_map(|m| (m.day..=m.until.max(m.day)).map(move |d| (m, f64::from(d))))
        {
            if day < x.start || day > x.end {
                continue;
            }
            if m.kind == MarkerKind::Convoy {
                chart
                    .draw_series(std::iter::once(Polygon::new(
                        vec![(day - half_w, lo), (day + half_w, lo), (day, hi)],
                        color.filled(),
                    )))
                    .map_err(plot_err)?;
            } else {
                chart
                    .draw_series(std::iter::once(PathElement::new(
                        vec![(day, lo), (day, hi)],
                        color.stroke_width(theme.upx(2.5)),
                    )))
                    .map_err(plot_err)?;
            }
        }
    }
    Ok(())
}

/// Total deaths per scenario: bar at the median, whiskers from the 5 % to the 95 % quantile.
pub fn deaths_total<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &CompareData,
    title: &TitleInfo,
) -> Result<()> {
    let theme = Theme::of(root);
    let n = data.scenarios.len();
    let mut entries: Vec<LegendEntry> = data
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| LegendEntry::new(s.name.clone(), Swatch::Fill(palette(i))))
        .collect();
    entries.push(LegendEntry::new("5–95% of replicates", Swatch::ErrorBar(DARK)));
    let legend = Legend::new(Some("median (bar)"), entries);
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title("total deaths"),
        "deaths_total from compare.csv: bar at the median (p50), whiskers from p05 to p95; label: p50 (p05–p95)",
        legend_width(root, &theme, &[&legend])?,
    )?;
    let mut name_w = 0;
    for s in &data.scenarios {
        name_w = name_w.max(root.estimate_text_size(&s.name, &theme.tick()).map_err(plot_err)?.0);
    }
    let x_max = data
        .scenarios
        .iter()
        .flat_map(|s| [s.deaths_total.p50, s.deaths_total.p95])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    // Room on the right for the value labels.
    let x_hi = nice_upper(x_max) * 1.2;
    // The first scenario at the top.
    let row_of = |i: usize| (n - 1 - i) as f64;
    let mut chart = plot_builder(&plot, &theme, name_w + theme.upx(20.0))
        .build_cartesian_2d(
            0.0..x_hi,
            Ticked::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
        )
        .map_err(plot_err)?;
    let names: Vec<&str> = data.scenarios.iter().map(|s| s.name.as_str()).collect();
    let y_fmt = |v: &f64| {
        let row = v.round() as usize;
        if row < n {
            names[n - 1 - row].to_owned()
        } else {
            String::new()
        }
    };
    let x_fmt = |v: &f64| fmt_num(*v);
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh()
        .x_desc("deaths over the horizon, all causes (people)")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    house_mesh(&mut mesh, &theme).draw().map_err(plot_err)?;
    let style = DARK.stroke_width(theme.upx(2.0));
    for (i, s) in data.scenarios.iter().enumerate() {
        let y = row_of(i);
        let d = s.deaths_total;
        if d.p50.is_finite() {
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(0.0, y - 0.3), (d.p50, y + 0.3)],
                    palette(i).filled(),
                )))
                .map_err(plot_err)?;
        }
        if d.p05.is_finite() && d.p95.is_finite() {
            chart
                .draw_series([
                    PathElement::new(vec![(d.p05, y), (d.p95, y)], style),
                    PathElement::new(vec![(d.p05, y - 0.12), (d.p05, y + 0.12)], style),
                    PathElement::new(vec![(d.p95, y - 0.12), (d.p95, y + 0.12)], style),
                ])
                .map_err(plot_err)?;
        }
        let label = format!("{} ({}–{})", fmt_num(d.p50), fmt_num(d.p05), fmt_num(d.p95));
        let end = [d.p50, d.p95].into_iter().filter(|v| v.is_finite()).fold(0.0, f64::max);
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((end, y))
                    + Text::new(
                        label,
                        (theme.px(8.0), 0),
                        theme.legend().pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))
            .map_err(plot_err)?;
    }
    draw_legend(&legend_area, &theme, &legend, theme.px(20.0))
}
