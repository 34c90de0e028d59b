//! Charts of a sweep (`sweep.csv`, `sweep_summary.csv`, `sweep.json`).
//!
//! For each key outcome present (a column of sweep.csv with `_mean`, `_ci95_lo`, `_ci95_hi` in
//! sweep_summary.csv): `sweep_<outcome>` plots the outcome against the first varied key — median and
//! 5–95 % band from the per-replicate rows, mean with its 95 % CI as error bars from the summary.
//! With two or more keys, each combination of the other keys is a separate coloured line, and
//! `sweep_heatmap_<outcome>` shows the mean over the first two keys (averaged with equal weight over
//! any further keys).
//!
//! An outcome that is one number in every replicate of every point gets no chart. Several series
//! draw their 5–95 % as thin lines (translucent fills would mix into colours no legend shows).
//! Heat-map colours run from zero (or the lowest value, when negative) to the highest mean; when
//! the cells differ by no more than the widest 95 % CI half-width, or 1 % of that scale, every
//! cell takes one neutral colour and the subtitle says so. Keys read as words ([`key_label`]).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::data::{quantile, read_json};
use crate::charts::render::{Chart, write_chart};
use crate::charts::style::*;
use crate::observe::files::{GridValue, PointRow, SweepFile, SweepRow};
use crate::observe::{OUTCOMES, Outcome};
use crate::output::read_named_rows;

/// Label and unit of an outcome column (the column's name and no unit if it is not a key outcome).
pub fn outcome_label(outcome: &str) -> (&str, &str) {
    Outcome::named(outcome).map_or((outcome, ""), |o| (o.info().label, o.info().unit))
}

/// Mean and its 95 % confidence interval, from sweep_summary.csv.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeanCi {
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
}

/// One grid point: the varied values (in key order), per-replicate outcomes and summary means.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepPoint {
    pub point: u64,
    pub values: Vec<f64>,
    pub samples: BTreeMap<String, Vec<f64>>,
    pub means: BTreeMap<String, MeanCi>,
}

impl SweepPoint {
    fn samples(&self, outcome: &str) -> &[f64] {
        self.samples.get(outcome).map_or(&[], Vec::as_slice)
    }

    fn mean(&self, outcome: &str) -> Option<MeanCi> {
        self.means.get(outcome).copied()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SweepData {
    pub meta: SweepFile,
    /// Varied key paths, in `--vary` order.
    pub keys: Vec<String>,
    /// For each key whose values are not numbers, its values in `sweep.json` order: the points
    /// then hold a value's position in this list (0, 1, …), which is where the charts draw it.
    pub categories: Vec<Option<Vec<String>>>,
    /// The key outcomes' names, in [`OUTCOMES`] order.
    pub outcomes: Vec<String>,
    pub points: Vec<SweepPoint>,
}

impl SweepData {
    pub fn load(dir: &Path) -> Result<Self> {
        let meta: SweepFile = read_json(&dir.join("sweep.json"))?;
        let (_, rows) = read_named_rows(&dir.join("sweep.csv"), |h, r| SweepRow::read(&meta, h, r))?;
        let (_, points) = read_named_rows(&dir.join("sweep_summary.csv"), |h, r| PointRow::read(&meta, h, r))?;
        Self::new(meta, &rows, &points)
    }

    /// The chart data of a sweep: its rows (`sweep.csv`) and its points (`sweep_summary.csv`).
    pub fn new(meta: SweepFile, rows: &[SweepRow], summary: &[PointRow]) -> Result<Self> {
        let keys: Vec<String> = meta.vary.iter().map(|v| v.key.clone()).collect();
        if keys.is_empty() {
            bail!("sweep.json lists no varied keys (\"vary\" is empty)");
        }
        let outcomes: Vec<String> = OUTCOMES.iter().map(|o| o.name.to_owned()).collect();
        let categories: Vec<Option<Vec<String>>> = meta
            .vary
            .iter()
            .map(|v| {
                if v.values.iter().all(GridValue::is_number) {
                    return None;
                }
                Some(v.values.iter().map(GridValue::cell).collect())
            })
            .collect();
        let mut points = Vec::new();
        let mut index_of_point = BTreeMap::new();
        for p in summary {
            let means = OUTCOMES
                .iter()
                .map(|o| {
                    let d = p.stat(o.outcome);
                    (
                        o.name.to_owned(),
                        MeanCi {
                            mean: d.mean,
                            lo: d.ci95_lo,
                            hi: d.ci95_hi,
                        },
                    )
                })
                .collect();
            index_of_point.insert(p.point as u64, points.len());
            points.push(SweepPoint {
                point: p.point as u64,
                values: p
                    .values
                    .iter()
                    .zip(&categories)
                    .map(|((_, v), words)| match words {
                        None => v.as_f64().unwrap_or(f64::NAN),
                        Some(words) => words.iter().position(|w| *w == v.cell()).map_or(f64::NAN, |i| i as f64),
                    })
                    .collect(),
                samples: BTreeMap::new(),
                means,
            });
        }
        for r in rows {
            let Some(&i) = index_of_point.get(&(r.point as u64)) else {
                bail!("sweep.csv: point {} is not in sweep_summary.csv", r.point);
            };
            for o in OUTCOMES {
                points[i]
                    .samples
                    .entry(o.name.to_owned())
                    .or_default()
                    .push(r.summary.outcome(o.outcome));
            }
        }
        if points.is_empty() {
            bail!("sweep_summary.csv has no grid points");
        }
        Ok(Self {
            meta,
            keys,
            categories,
            outcomes,
            points,
        })
    }

    /// How value `v` of key `k` reads on a chart: the number, or the word at that position.
    pub fn value_label(&self, k: usize, v: f64) -> String {
        match &self.categories[k] {
            None => fmt_num(v),
            Some(words) if v.is_finite() && v >= 0.0 => words.get(v.round() as usize).cloned().unwrap_or_default(),
            Some(_) => String::new(),
        }
    }

    /// Distinct values of key `k`, sorted.
    pub fn key_values(&self, k: usize) -> Vec<f64> {
        let mut values: Vec<f64> = self
            .points
            .iter()
            .map(|p| p.values[k])
            .filter(|v| v.is_finite())
            .collect();
        values.sort_by(f64::total_cmp);
        values.dedup();
        values
    }
}

pub fn title_info(meta: &SweepFile) -> TitleInfo {
    let varied: Vec<String> = meta.vary.iter().map(|v| key_label(&v.key)).collect();
    TitleInfo {
        subject: format!("{}, varying {}", meta.scenario_name, varied.join(" × ")),
        seed: Some(meta.seed),
        replicates: u64::from(meta.replicates),
        replicates_qualifier: " per point".to_owned(),
    }
}

/// One sweep chart bound to its data.
pub struct SweepChartJob<'a> {
    pub outcome: &'a str,
    pub heatmap: bool,
    pub data: &'a SweepData,
    pub title: &'a TitleInfo,
}

impl Chart for SweepChartJob<'_> {
    fn file_stem(&self) -> String {
        if self.heatmap {
            format!("sweep_heatmap_{}", self.outcome)
        } else {
            format!("sweep_{}", self.outcome)
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        if self.heatmap {
            outcome_heatmap(root, self.data, self.outcome, self.title)
        } else {
            outcome_by_key(root, self.data, self.outcome, self.title)
        }
    }
}

/// Draws every sweep chart of `data` into `out_dir`.
pub fn write_all(out_dir: &Path, data: &SweepData, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let title = title_info(&data.meta);
    let mut written = Vec::new();
    for outcome in &data.outcomes {
        if is_constant(data, outcome) {
            // The same number everywhere: a flat line says nothing the terminal summary does not.
            continue;
        }
        let line = SweepChartJob {
            outcome,
            heatmap: false,
            data,
            title: &title,
        };
        written.extend(write_chart(out_dir, &line, opts)?);
        if data.keys.len() >= 2 {
            let heat = SweepChartJob { heatmap: true, ..line };
            written.extend(write_chart(out_dir, &heat, opts)?);
        }
    }
    Ok(written)
}

/// A key path in words, for titles, axes and legends: "airdrop_plan.first_day" → "first day
/// (airdrop plan)", "airdrops.0.distribution" → "distribution (airdrop 1)".
pub fn key_label(key: &str) -> String {
    let parts: Vec<&str> = key.split('.').collect();
    let Some((last, context)) = parts.split_last() else {
        return key.to_owned();
    };
    let words = |s: &str| s.replace('_', " ");
    let mut ctx = Vec::new();
    let mut i = 0;
    while i < context.len() {
        let name = context[i];
        match context.get(i + 1).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) => {
                ctx.push(format!("{} {}", words(name.strip_suffix('s').unwrap_or(name)), n + 1));
                i += 2;
            }
            None => {
                ctx.push(words(name));
                i += 1;
            }
        }
    }
    if ctx.is_empty() {
        words(last)
    } else {
        format!("{} ({})", words(last), ctx.join(", "))
    }
}

/// Whether an outcome takes one value in every replicate of every point (nothing to chart).
pub fn is_constant(data: &SweepData, outcome: &str) -> bool {
    let mut values = data
        .points
        .iter()
        .flat_map(|p| p.samples(outcome))
        .filter(|v| v.is_finite());
    match values.next() {
        None => true,
        Some(first) => values.all(|v| v == first),
    }
}

/// Tick positions: the varied values themselves, thinned to at most 12.
fn value_ticks(values: &[f64]) -> Vec<f64> {
    let step = values.len().div_ceil(12).max(1);
    values.iter().copied().step_by(step).collect()
}

struct Series {
    label: String,
    color: RGBColor,
    /// (x, p05, p50, p95, mean and CI), sorted by x.
    rows: Vec<(f64, f64, f64, f64, Option<MeanCi>)>,
}

/// An outcome against the first varied key: median line, 5–95 % band, mean with 95 % CI bars.
pub fn outcome_by_key<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &SweepData,
    outcome: &str,
    title: &TitleInfo,
) -> Result<()> {
    let theme = Theme::of(root);
    let (label, unit) = outcome_label(outcome);
    let x_key = &data.keys[0];
    let other_keys = &data.keys[1..];
    // Group the points by the values of the other keys, in grid order.
    let mut groups: Vec<(Vec<f64>, Vec<&SweepPoint>)> = Vec::new();
    for p in &data.points {
        let rest = p.values[1..].to_vec();
        match groups.iter_mut().find(|(values, _)| *values == rest) {
            Some((_, members)) => members.push(p),
            None => groups.push((rest, vec![p])),
        }
    }
    let single = groups.len() == 1;
    let series: Vec<Series> = groups
        .iter()
        .enumerate()
        .map(|(g, (rest, members))| {
            let mut rows: Vec<_> = members
                .iter()
                .map(|p| {
                    let s = p.samples(outcome);
                    (
                        p.values[0],
                        quantile(s, 0.05),
                        quantile(s, 0.5),
                        quantile(s, 0.95),
                        p.mean(outcome),
                    )
                })
                .filter(|row| row.0.is_finite())
                .collect();
            rows.sort_by(|a, b| a.0.total_cmp(&b.0));
            let label = if other_keys.len() == 1 {
                data.value_label(1, rest[0])
            } else {
                other_keys
                    .iter()
                    .zip(rest)
                    .enumerate()
                    .map(|(i, (k, v))| format!("{} = {}", key_label(k), data.value_label(i + 1, *v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            Series {
                label,
                color: if single { BLUE_ } else { palette(g) },
                rows,
            }
        })
        .collect();

    let mut legends = Vec::new();
    if single {
        legends.push(Legend::new(
            Some(label),
            vec![
                LegendEntry::new("median, 5–95% band", Swatch::LineBand(BLUE_)),
                LegendEntry::new("mean, 95% CI", Swatch::ErrorBar(DARK)),
            ],
        ));
    } else {
        let heading = if other_keys.len() == 1 {
            key_label(&other_keys[0])
        } else {
            "other keys".to_owned()
        };
        legends.push(Legend::new(
            Some(&heading),
            series
                .iter()
                .map(|s| LegendEntry::new(s.label.clone(), Swatch::LineEdges(s.color)))
                .collect(),
        ));
        legends.push(Legend::new(
            Some("each colour"),
            vec![
                LegendEntry::new("median; thin: 5% and 95%", Swatch::LineEdges(GREY)),
                LegendEntry::new("mean, 95% CI", Swatch::ErrorBar(GREY)),
            ],
        ));
    }
    let legend_refs: Vec<&Legend> = legends.iter().collect();
    let subtitle = format!(
        "band and line from the {} replicates at each point; error bars: mean ± 1.96 standard errors",
        data.meta.replicates
    );
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title(label),
        &subtitle,
        legend_width(root, &theme, &legend_refs)?,
    )?;

    let xs = data.key_values(0);
    let (x_min, x_max) = (xs.first().copied().unwrap_or(0.0), xs.last().copied().unwrap_or(1.0));
    let x_pad = if x_max > x_min {
        (x_max - x_min) * 0.05
    } else {
        x_min.abs().max(1.0) * 0.5
    };
    let all_y = series.iter().flat_map(|s| {
        s.rows.iter().flat_map(|r| {
            [
                r.1,
                r.2,
                r.3,
                r.4.map_or(f64::NAN, |m| m.lo),
                r.4.map_or(f64::NAN, |m| m.hi),
            ]
        })
    });
    let (y_lo, y_hi) = all_y
        .filter(|v| v.is_finite())
        .fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let y_hi = nice_upper(y_hi);
    let y_lo = if y_lo < 0.0 { y_lo - 0.05 * (y_hi - y_lo) } else { 0.0 };

    let mut chart = plot_builder(&plot, &theme, theme.px(84.0))
        .build_cartesian_2d(
            Ticked::new((x_min - x_pad)..(x_max + x_pad), value_ticks(&xs)),
            y_lo..y_hi,
        )
        .map_err(plot_err)?;
    let fmt = |v: &f64| fmt_num(*v);
    let x_fmt = |v: &f64| data.value_label(0, *v);
    let y_desc = if unit.is_empty() {
        label.to_owned()
    } else {
        format!("{label} ({unit})")
    };
    let mut mesh = chart.configure_mesh();
    let x_desc = key_label(x_key);
    mesh.x_desc(x_desc.as_str())
        .y_desc(y_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&fmt)
        .y_labels(8);
    house_mesh(&mut mesh, &theme).draw().map_err(plot_err)?;

    let dodge_step = if series.len() > 1 {
        (x_max - x_min).max(1.0) * 0.012
    } else {
        0.0
    };
    // Bands first, lines and error bars over all of them, so no band covers another series' line.
    // Several series get their 5 % and 95 % as thin lines: overlapping translucent fills would mix
    // into colours the legend does not show.
    for s in &series {
        if !single && s.rows.len() >= 2 {
            for edge in [
                |r: &(f64, f64, f64, f64, Option<MeanCi>)| r.1,
                |r: &(f64, f64, f64, f64, Option<MeanCi>)| r.3,
            ] {
                let points: Vec<(f64, f64)> = s
                    .rows
                    .iter()
                    .map(|r| (r.0, edge(r)))
                    .filter(|p| p.1.is_finite())
                    .collect();
                chart
                    .draw_series(LineSeries::new(points, s.color.stroke_width(theme.upx(1.0))))
                    .map_err(plot_err)?;
            }
            continue;
        }
        let mut outline: Vec<(f64, f64)> = s.rows.iter().filter(|r| r.3.is_finite()).map(|r| (r.0, r.3)).collect();
        outline.extend(s.rows.iter().rev().filter(|r| r.1.is_finite()).map(|r| (r.0, r.1)));
        if s.rows.len() >= 2 {
            chart
                .draw_series(std::iter::once(Polygon::new(outline, s.color.mix(BAND_ALPHA).filled())))
                .map_err(plot_err)?;
        } else if let Some(r) = s.rows.first() {
            // One x value: the band is a bar.
            let half = x_pad * 0.3;
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(r.0 - half, r.1), (r.0 + half, r.3)],
                    s.color.mix(BAND_ALPHA).filled(),
                )))
                .map_err(plot_err)?;
        }
    }
    for (g, s) in series.iter().enumerate() {
        let medians: Vec<(f64, f64)> = s.rows.iter().filter(|r| r.2.is_finite()).map(|r| (r.0, r.2)).collect();
        chart
            .draw_series(LineSeries::new(medians.clone(), theme.line(s.color)))
            .map_err(plot_err)?;
        chart
            .draw_series(
                medians
                    .iter()
                    .map(|&p| Circle::new(p, theme.upx(4.0), s.color.filled())),
            )
            .map_err(plot_err)?;
        let ci_color = if single { DARK } else { s.color };
        let style = ci_color.stroke_width(theme.upx(2.0));
        let offset = (g as f64 - (series.len() as f64 - 1.0) / 2.0) * dodge_step;
        for r in &s.rows {
            let Some(m) = r.4 else { continue };
            if !(m.lo.is_finite() && m.hi.is_finite() && m.mean.is_finite()) {
                continue;
            }
            let x = r.0 + offset;
            let cap = theme.px(6.0);
            let bar = EmptyElement::at((x, m.lo)) + PathElement::new(vec![(-cap, 0), (cap, 0)], style);
            let top = EmptyElement::at((x, m.hi)) + PathElement::new(vec![(-cap, 0), (cap, 0)], style);
            chart
                .draw_series(std::iter::once(PathElement::new(vec![(x, m.lo), (x, m.hi)], style)))
                .map_err(plot_err)?;
            chart.draw_series([bar, top]).map_err(plot_err)?;
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((x, m.mean))
                        + Circle::new((0, 0), theme.upx(4.5), WHITE.filled())
                        + Circle::new((0, 0), theme.upx(4.5), ci_color.stroke_width(theme.upx(2.0))),
                ))
                .map_err(plot_err)?;
        }
    }
    let mut top = theme.px(20.0);
    for legend in &legends {
        draw_legend(&legend_area, &theme, legend, top)?;
        top += legend_height(&theme, legend) + theme.px(16.0);
    }
    Ok(())
}

/// Mean of an outcome over the first two varied keys, as coloured cells with their values.
pub fn outcome_heatmap<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &SweepData,
    outcome: &str,
    title: &TitleInfo,
) -> Result<()> {
    if data.keys.len() < 2 {
        bail!("a heat map needs two varied keys, the sweep has {}", data.keys.len());
    }
    let theme = Theme::of(root);
    let (label, unit) = outcome_label(outcome);
    let xs = data.key_values(0);
    let ys = data.key_values(1);
    // Mean per cell; with more than two keys, the mean over the others' grid points.
    let mut cells = vec![vec![(0.0, 0usize); xs.len()]; ys.len()];
    // The widest 95 % CI half-width of any point: differences smaller than it are noise.
    let mut noise: f64 = 0.0;
    for p in &data.points {
        let (Some(i), Some(j)) = (
            xs.iter().position(|v| *v == p.values[0]),
            ys.iter().position(|v| *v == p.values[1]),
        ) else {
            continue;
        };
        if let Some(m) = p.mean(outcome).filter(|m| m.mean.is_finite()) {
            cells[j][i].0 += m.mean;
            cells[j][i].1 += 1;
            if m.hi.is_finite() && m.lo.is_finite() {
                noise = noise.max((m.hi - m.lo) / 2.0);
            }
        }
    }
    let cell_mean = |i: usize, j: usize| {
        let (sum, n) = cells[j][i];
        if n == 0 { f64::NAN } else { sum / n as f64 }
    };
    let finite: Vec<f64> = (0..ys.len())
        .flat_map(|j| (0..xs.len()).map(move |i| (i, j)))
        .map(|(i, j)| cell_mean(i, j))
        .filter(|v| v.is_finite())
        .collect();
    let min = finite.iter().copied().fold(f64::INFINITY, f64::min);
    let max = finite.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // Absolute limits: the scale starts at zero (or at the lowest value when that is negative),
    // so the colours show how large the outcome is, not only how the cells rank.
    let (lo, hi) = if finite.is_empty() {
        (0.0, 1.0)
    } else {
        let lo = min.min(0.0);
        (lo, if max > lo { max } else { lo + 1.0 })
    };
    // All cells within the noise of each other (or within 1 % of the scale): one neutral colour.
    let flat = !finite.is_empty() && (max - min <= noise || max - min <= 0.01 * (hi - lo).abs());

    let mut subtitle = format!(
        "each cell: mean of the {} replicates at that grid point",
        data.meta.replicates
    );
    if data.keys.len() > 2 {
        let others: Vec<String> = data.keys[2..].iter().map(|k| key_label(k)).collect();
        subtitle.push_str(&format!(", averaged over {}", others.join(", ")));
    }
    if flat && max == min {
        subtitle.push_str(&format!("; every cell has the same mean, {}", fmt_num(max)));
    } else if flat {
        subtitle.push_str(&format!(
            "; the cells differ by at most {}, within the noise (95% CIs up to ±{}): one colour",
            fmt_num(max - min),
            fmt_num(noise)
        ));
    }
    let heading = format!("mean ({})", if unit.is_empty() { label } else { unit });
    let heading_w = root
        .estimate_text_size(&heading, &theme.legend_heading())
        .map_err(plot_err)?
        .0;
    let (plot, scale_area) = frame(
        root,
        &theme,
        &title.title(&format!("mean {label}")),
        &subtitle,
        (heading_w + theme.upx(24.0)).max(theme.upx(170.0)),
    )?;
    let index = |values: &[f64]| (0..values.len()).map(|i| i as f64).collect::<Vec<_>>();
    let mut chart = plot_builder(&plot, &theme, theme.px(84.0))
        .build_cartesian_2d(
            Ticked::new(-0.5..xs.len() as f64 - 0.5, index(&xs)),
            Ticked::new(-0.5..ys.len() as f64 - 0.5, index(&ys)),
        )
        .map_err(plot_err)?;
    let label_of = |k: usize, values: &[f64], v: f64| {
        values
            .get(v.round() as usize)
            .map_or(String::new(), |x| data.value_label(k, *x))
    };
    let x_fmt = |v: &f64| label_of(0, &xs, *v);
    let y_fmt = |v: &f64| label_of(1, &ys, *v);
    let (x_desc, y_desc) = (key_label(&data.keys[0]), key_label(&data.keys[1]));
    chart
        .configure_mesh()
        .disable_mesh()
        .x_desc(x_desc.as_str())
        .y_desc(y_desc.as_str())
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .label_style(theme.tick())
        .axis_desc_style(theme.axis_label())
        .axis_style(BLACK.mix(0.6))
        .draw()
        .map_err(plot_err)?;
    let center = Pos::new(HPos::Center, VPos::Center);
    for j in 0..ys.len() {
        for i in 0..xs.len() {
            let (x, y) = (i as f64, j as f64);
            let v = cell_mean(i, j);
            let t = (v - lo) / (hi - lo);
            let fill = if v.is_finite() && flat {
                NEUTRAL
            } else if v.is_finite() {
                viridis(t)
            } else {
                RGBColor(0xDD, 0xDD, 0xDD)
            };
            chart
                .draw_series([
                    Rectangle::new([(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)], fill.filled()),
                    Rectangle::new(
                        [(x - 0.5, y - 0.5), (x + 0.5, y + 0.5)],
                        WHITE.stroke_width(theme.upx(2.0)),
                    ),
                ])
                .map_err(plot_err)?;
            let text_color = if v.is_finite() && !flat && t < 0.6 { WHITE } else { DARK };
            let text = if v.is_finite() {
                fmt_num(v)
            } else {
                "no data".to_owned()
            };
            chart
                .draw_series(std::iter::once(Text::new(
                    text,
                    (x, y),
                    theme.cell().color(&text_color).pos(center),
                )))
                .map_err(plot_err)?;
        }
    }
    colour_scale(&scale_area, &theme, lo, hi, &heading, flat)
}

/// The one colour of a heat map whose cells do not differ beyond noise.
const NEUTRAL: RGBColor = RGBColor(0xE4, 0xE1, 0xDC);

/// A vertical colour bar with value ticks, for the heat map.
fn colour_scale<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    lo: f64,
    hi: f64,
    heading: &str,
    flat: bool,
) -> Result<()> {
    area.draw_text(
        heading,
        &theme.legend_heading().pos(Pos::new(HPos::Left, VPos::Top)),
        (theme.px(8.0), theme.px(10.0)),
    )
    .map_err(plot_err)?;
    let mut bar = ChartBuilder::on(area)
        .margin_top(theme.px(42.0))
        .margin_bottom(theme.px(62.0))
        .margin_left(theme.px(8.0))
        .set_label_area_size(LabelAreaPosition::Right, theme.px(80.0))
        .build_cartesian_2d(0.0..1.0, lo..hi)
        .map_err(plot_err)?;
    let fmt = |v: &f64| fmt_num(*v);
    bar.configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(8)
        .y_label_formatter(&fmt)
        .label_style(theme.tick())
        .axis_style(BLACK.mix(0.6))
        .draw()
        .map_err(plot_err)?;
    let steps = 120;
    let step = (hi - lo) / f64::from(steps);
    bar.draw_series((0..steps).map(|k| {
        let y0 = lo + step * f64::from(k);
        Rectangle::new(
            [(0.0, y0), (1.0, y0 + step)],
            if flat {
                NEUTRAL.filled()
            } else {
                viridis((f64::from(k) + 0.5) / f64::from(steps)).filled()
            },
        )
    }))
    .map_err(plot_err)?;
    Ok(())
}
