//! The chart of an optimisation (`optimise.csv`, `optimise.json`): the ranked candidate plans'
//! paired difference from the chosen plan with its 95% CI (what decides the ranking under common
//! random numbers; their levels vary far more with the dice), each labelled with its tonnes.
//! Doing nothing is stated in the subtitle and drawn as a dashed line only when it falls within the
//! plans' range: far off (176 deaths more against differences of 0–5), it would squeeze every plan
//! against 0.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::data::read_json;
use crate::charts::render::{Chart, write_chart};
use crate::charts::style::*;
use crate::experiment::optimise::OptimiseFile;
use crate::observe::OUTCOMES;

/// At most this many plans are drawn (the best first).
pub const MOST_SHOWN: usize = 15;

/// One ranked candidate, from optimise.csv.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub rank: usize,
    pub label: String,
    pub replicates: usize,
    /// This plan − the chosen one, paired: mean and 95% CI.
    pub mean: f64,
    pub lo: f64,
    pub hi: f64,
    pub status: String,
}

/// What the chart reads of an optimise directory.
pub struct OptimiseData {
    pub meta: OptimiseFile,
    /// Best first, at most [`MOST_SHOWN`].
    pub ranked: Vec<Ranked>,
    /// Doing nothing − the chosen plan, paired (what the chosen plan saves).
    pub nothing: f64,
    /// The chosen plan's mean outcome.
    pub chosen: f64,
}

impl OptimiseData {
    pub fn load(dir: &Path) -> Result<Self> {
        let meta: OptimiseFile = read_json(&dir.join("optimise.json"))?;
        let path = dir.join("optimise.csv");
        let mut r = csv::Reader::from_path(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let header: Vec<String> = r.headers()?.iter().map(str::to_string).collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| h == name)
                .with_context(|| format!("{} has no column {name}", path.display()))
        };
        let (rank, reps, mean, lo, hi, saved, status) = (
            col("rank")?,
            col("replicates")?,
            col("vs_best_mean")?,
            col("vs_best_ci95_lo")?,
            col("vs_best_ci95_hi")?,
            col("saved_vs_nothing_mean")?,
            col("status")?,
        );
        let tonnes = col("tonnes")?;
        let keys = col("point")? + 1..tonnes;
        let num = |s: &str| s.parse::<f64>().unwrap_or(f64::NAN);
        let mut ranked = Vec::new();
        let mut nothing = f64::NAN;
        let mut chosen = f64::NAN;
        let level = col("outcome_mean")?;
        for rec in r.records() {
            let rec = rec.with_context(|| format!("{} has a malformed row", path.display()))?;
            let Ok(k) = rec[rank].parse::<usize>() else { continue };
            if k == 1 {
                nothing = num(&rec[saved]);
                chosen = num(&rec[level]);
            }
            if ranked.len() >= MOST_SHOWN {
                continue;
            }
            let label = keys
                .clone()
                .map(|j| {
                    let key = header[j].rsplit('.').next().unwrap_or(&header[j]);
                    format!("{key} {}", &rec[j])
                })
                .collect::<Vec<_>>()
                .join(", ");
            let label = format!("{label} ({} t)", fmt_num(num(&rec[tonnes])));
            ranked.push(Ranked {
                rank: k,
                label,
                replicates: rec[reps].parse().unwrap_or(0),
                mean: num(&rec[mean]),
                lo: num(&rec[lo]),
                hi: num(&rec[hi]),
                status: rec[status].to_string(),
            });
        }
        if ranked.is_empty() {
            bail!("{} ranks no plan", path.display());
        }
        Ok(OptimiseData {
            meta,
            ranked,
            nothing,
            chosen,
        })
    }
}

struct OptimiseChart<'a> {
    data: &'a OptimiseData,
}

impl Chart for OptimiseChart<'_> {
    fn file_stem(&self) -> String {
        "optimise".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        plans(root, self.data)
    }
}

pub fn write_all(out_dir: &Path, data: &OptimiseData, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    write_chart(out_dir, &OptimiseChart { data }, opts)
}

/// Whether doing nothing is drawn on the plans' axis: only when it lies within twice the span of
/// the plans' intervals from their nearest end (a presentation choice: beyond
/// that it would squeeze the plans into a sliver; the subtitle states it either way).
/// The lowest and highest finite mean or CI end of the plans.
fn extent(ranked: &[Ranked]) -> (f64, f64) {
    ranked
        .iter()
        .flat_map(|r| [r.mean, r.lo, r.hi])
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| (a.min(v), b.max(v)))
}

pub fn nothing_on_axis(data: &OptimiseData) -> bool {
    let (lo, hi) = extent(&data.ranked);
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    data.nothing.is_finite() && data.nothing >= lo - 2.0 * span && data.nothing <= hi + 2.0 * span
}

/// The ranked plans: a dot at the mean paired difference from the chosen plan with its 95% CI,
/// best at the top.
fn plans<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &OptimiseData) -> Result<()> {
    let theme = Theme::of(root);
    let meta = &data.meta;
    let nothing_shown = nothing_on_axis(data);
    let info = OUTCOMES.iter().find(|o| o.name == meta.outcome);
    let (label, unit) = info.map_or((meta.outcome.as_str(), ""), |o| (o.label, o.unit));
    let color = |r: &Ranked| match r.status.as_str() {
        "chosen" => GREEN_,
        "finalist" => BLUE_,
        _ => GREY,
    };
    let legend = Legend::new(
        Some("paired mean, 95% CI"),
        vec![
            LegendEntry::new("chosen plan", Swatch::ErrorBar(GREEN_)),
            LegendEntry::new(
                format!("finalists ({} replicates)", meta.max_replicates),
                Swatch::ErrorBar(BLUE_),
            ),
            LegendEntry::new("eliminated earlier (fewer)", Swatch::ErrorBar(GREY)),
        ]
        .into_iter()
        .chain(nothing_shown.then(|| {
            LegendEntry::new(
                format!("doing nothing (+{})", fmt_num(data.nothing)),
                Swatch::Dashed(DARK),
            )
        }))
        .collect(),
    );
    let title = format!(
        "{} — best plans by {} (seed {}, {} runs; a full sweep: {})",
        meta.name, meta.outcome, meta.seed, meta.runs, meta.full_sweep_runs
    );
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title,
        &format!(
            "{}: each plan − the chosen one ({} {}), replicate by replicate; label: replicates run; doing nothing: +{}{}",
            meta.scenario_name,
            fmt_num(data.chosen),
            unit,
            fmt_num(data.nothing),
            if nothing_shown { "" } else { " (off the axis)" }
        ),
        legend_width(root, &theme, &[&legend])?,
    )?;
    let n = data.ranked.len();
    let mut name_w = 0;
    for r in &data.ranked {
        let text = format!("{}. {}", r.rank, r.label);
        name_w = name_w.max(root.estimate_text_size(&text, &theme.tick()).map_err(plot_err)?.0);
    }
    let (lo, hi) = extent(&data.ranked);
    let (lo, hi) = if nothing_shown {
        (lo.min(data.nothing), hi.max(data.nothing))
    } else {
        (lo, hi)
    };
    let pad = if hi > lo { (hi - lo) * 0.15 } else { 1.0 };
    let row_of = |i: usize| (n - 1 - i) as f64;
    let mut chart = plot_builder(&plot, &theme, name_w + theme.upx(20.0))
        .build_cartesian_2d(
            (lo - pad)..(hi + pad),
            Ticked::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
        )
        .map_err(plot_err)?;
    let names: Vec<String> = data.ranked.iter().map(|r| format!("{}. {}", r.rank, r.label)).collect();
    let y_fmt = |v: &f64| {
        let row = v.round() as usize;
        if row < n {
            names[n - 1 - row].clone()
        } else {
            String::new()
        }
    };
    let x_fmt = |v: &f64| fmt_num(*v);
    let x_desc = if unit.is_empty() {
        format!("difference from the chosen plan: {label}")
    } else {
        format!("difference from the chosen plan: {label} ({unit})")
    };
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh()
        .x_desc(x_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    house_mesh(&mut mesh, &theme).draw().map_err(plot_err)?;
    if nothing_shown {
        let dashed = DARK.stroke_width(theme.upx(1.5));
        let (y0, y1) = (-0.5, n as f64 - 0.5);
        let steps = 40;
        let segments = (0..steps).step_by(2).map(|k| {
            let a = y0 + (y1 - y0) * k as f64 / steps as f64;
            let b = y0 + (y1 - y0) * (k + 1) as f64 / steps as f64;
            PathElement::new(vec![(data.nothing, a), (data.nothing, b)], dashed)
        });
        chart.draw_series(segments).map_err(plot_err)?;
    }
    for (i, r) in data.ranked.iter().enumerate() {
        let y = row_of(i);
        let c = color(r);
        let style = c.stroke_width(theme.upx(2.0));
        if r.lo.is_finite() && r.hi.is_finite() {
            chart
                .draw_series([
                    PathElement::new(vec![(r.lo, y), (r.hi, y)], style),
                    PathElement::new(vec![(r.lo, y - 0.15), (r.lo, y + 0.15)], style),
                    PathElement::new(vec![(r.hi, y - 0.15), (r.hi, y + 0.15)], style),
                ])
                .map_err(plot_err)?;
        }
        if r.mean.is_finite() {
            chart
                .draw_series(std::iter::once(Circle::new((r.mean, y), theme.upx(5.0), c.filled())))
                .map_err(plot_err)?;
            let end = [r.mean, r.hi]
                .into_iter()
                .filter(|v| v.is_finite())
                .fold(f64::MIN, f64::max);
            let text = if r.status == "chosen" {
                format!("chosen: {} ({} reps)", fmt_num(data.chosen), r.replicates)
            } else {
                format!("+{} ({} reps)", fmt_num(r.mean), r.replicates).replace("+-", "−")
            };
            chart
                .draw_series(std::iter::once(
                    EmptyElement::at((end, y))
                        + Text::new(
                            text,
                            (theme.px(8.0), 0),
                            theme.legend().pos(Pos::new(HPos::Left, VPos::Center)),
                        ),
                ))
                .map_err(plot_err)?;
        }
    }
    draw_legend(&legend_area, &theme, &legend, theme.px(20.0))
}
