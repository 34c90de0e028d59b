//! The tornado chart of `siege sensitivity`: one bar per parameter, largest at the top. Sobol':
//! the total index S_Ti as a wide bar and the first-order S_i as a narrow one inside it, each with
//! its 95 % bootstrap interval; Morris: μ* as the bar with its interval, σ as the narrow bar.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::render::{Chart, write_chart};
use crate::charts::style::*;
use crate::experiment::sensitivity::{Method, SensitivityFile, SensitivityRow};

/// What the chart draws, from `sensitivity.csv` and `sensitivity.json`.
pub struct SensitivityData {
    pub meta: SensitivityFile,
    pub rows: Vec<SensitivityRow>,
}

impl SensitivityData {
    pub fn load(dir: &Path) -> Result<Self> {
        let meta: SensitivityFile = crate::output::read_json(&dir.join("sensitivity.json"))?;
        let path = dir.join("sensitivity.csv");
        let mut r = csv::Reader::from_path(&path).with_context(|| format!("cannot read {}", path.display()))?;
        let mut rows: Vec<SensitivityRow> = Vec::new();
        for (i, row) in r.deserialize().enumerate() {
            rows.push(row.with_context(|| format!("{}:{}", path.display(), i + 2))?);
        }
        rows.sort_by_key(|r| r.rank);
        Ok(SensitivityData { meta, rows })
    }
}

/// Writes `sensitivity_tornado` into `out_dir`.
pub fn write_all(out_dir: &Path, data: &SensitivityData, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    write_chart(out_dir, &Tornado(data), opts)
}

struct Tornado<'a>(&'a SensitivityData);

impl Chart for Tornado<'_> {
    fn file_stem(&self) -> String {
        "sensitivity_tornado".into()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        tornado(root, self.0)
    }
}

/// The mark of a parameter drawn for the plan only, its versus plan having no element it names.
const PLAN_ONLY: &str = "(plan only)";

/// (wide bar, narrow bar) of a row: value, low and high of each.
type Bars = [(f64, f64, f64); 2];

fn bars(method: Method, r: &SensitivityRow) -> Bars {
    let v = |x: Option<f64>| x.unwrap_or(f64::NAN);
    match method {
        Method::Sobol => [(v(r.st), v(r.st_lo), v(r.st_hi)), (v(r.s1), v(r.s1_lo), v(r.s1_hi))],
        Method::Morris => [
            (v(r.mu_star), v(r.mu_star_lo), v(r.mu_star_hi)),
            (v(r.sigma), f64::NAN, f64::NAN),
        ],
    }
}

pub fn tornado<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &SensitivityData) -> Result<()> {
    let theme = Theme::of(root);
    let m = &data.meta;
    let n = data.rows.len().max(1);
    let (wide, narrow, x_desc, what) = match m.method {
        Method::Sobol => (
            "total index S_T",
            "first-order index S_1",
            "share of the output's variance".to_string(),
            "Sobol' indices",
        ),
        Method::Morris => (
            "μ* (mean |effect|)",
            "σ (spread of effects)",
            format!("change in {} over a parameter's whole range", m.outcome),
            "Morris screening",
        ),
    };
    let legend = Legend::new(
        Some("per parameter"),
        vec![
            LegendEntry::new(wide, Swatch::Fill(BLUE_)),
            LegendEntry::new(narrow, Swatch::Fill(ORANGE)),
            LegendEntry::new("95% bootstrap interval", Swatch::ErrorBar(DARK)),
        ],
    );
    // A decision's versus plan is named in the subtitle: its changes can be long.
    let versus = match (&m.versus_label, &m.versus) {
        (Some(label), _) => Some(label.clone()),
        (None, Some(v)) => Some(v.scenario_name.clone()),
        (None, None) => None,
    };
    let output = match &versus {
        Some(_) => format!("{}, this plan minus the versus plan", m.outcome),
        None => m.outcome.clone(),
    };
    let title = TitleInfo {
        subject: m.scenario.scenario_name.clone(),
        seed: Some(m.seed),
        replicates: u64::from(m.replicates),
        replicates_qualifier: " per point".into(),
    }
    .title(&format!("{what} of {output}"));
    let design = match m.method {
        Method::Sobol => format!(
            "sensitivity.csv: N = {} base samples, {} points; parameters ranked by S_T; S_T − S_1 is the share through interactions",
            m.samples, m.points
        ),
        Method::Morris => format!(
            "sensitivity.csv: {} trajectories on {} levels, {} points; parameters ranked by μ*; large σ: non-linear or interacting",
            m.samples,
            m.levels.unwrap_or(0),
            m.points
        ),
    };
    let subtitle = match &versus {
        Some(v) if !m.versus_not_applied.is_empty() => {
            format!("versus: {v}; a parameter marked {PLAN_ONLY} is not in it, drawn for this plan only. {design}")
        }
        Some(v) => format!("versus: {v}. {design}"),
        None => design,
    };
    let (plot, legend_area) = frame(root, &theme, &title, &subtitle, legend_width(root, &theme, &[&legend])?)?;
    // A parameter the versus plan does not have is marked.
    let names: Vec<String> = data
        .rows
        .iter()
        .map(|r| {
            if m.versus_not_applied.contains(&r.key) {
                format!("{} {PLAN_ONLY}", r.key)
            } else {
                r.key.clone()
            }
        })
        .collect();
    let mut name_w = 0;
    for name in &names {
        name_w = name_w.max(root.estimate_text_size(name, &theme.tick()).map_err(plot_err)?.0);
    }
    let all: Vec<Bars> = data.rows.iter().map(|r| bars(m.method, r)).collect();
    let finite = |x: f64| x.is_finite().then_some(x);
    let x_max = all
        .iter()
        .flat_map(|b| b.iter().flat_map(|&(v, _, hi)| [v, hi]))
        .filter_map(finite)
        .fold(0.0, f64::max);
    let x_min = all
        .iter()
        .flat_map(|b| b.iter().flat_map(|&(v, lo, _)| [v, lo]))
        .filter_map(finite)
        .fold(0.0, f64::min);
    // Room on the right for the value labels.
    let x_hi = match m.method {
        Method::Sobol => nice_upper(x_max.max(0.1)) * 1.25,
        Method::Morris => nice_upper(x_max) * 1.25,
    };
    let x_lo = if x_min < 0.0 { x_min * 1.08 } else { 0.0 };
    let row_of = |i: usize| (n - 1 - i) as f64;
    let mut chart = plot_builder(&plot, &theme, name_w + theme.upx(20.0))
        .build_cartesian_2d(
            x_lo..x_hi,
            Ticked::new(-0.5..n as f64 - 0.5, (0..n).map(|i| i as f64).collect()),
        )
        .map_err(plot_err)?;
    let y_fmt = |v: &f64| {
        let row = v.round() as usize;
        if row < names.len() {
            names[names.len() - 1 - row].to_owned()
        } else {
            String::new()
        }
    };
    let x_fmt = |v: &f64| fmt_num(*v);
    let mut mesh = chart.configure_mesh();
    mesh.disable_y_mesh()
        .x_desc(x_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    house_mesh(&mut mesh, &theme).draw().map_err(plot_err)?;
    let style = DARK.stroke_width(theme.upx(2.0));
    for (i, b) in all.iter().enumerate() {
        let y = row_of(i);
        for (j, &(v, lo, hi)) in b.iter().enumerate() {
            // The wide bar above the row's centre line, the narrow one below it.
            let (half, color, dy) = if j == 0 {
                (0.17, BLUE_, 0.19)
            } else {
                (0.12, ORANGE, -0.2)
            };
            if v.is_finite() {
                chart
                    .draw_series(std::iter::once(Rectangle::new(
                        [(0.0, y + dy - half), (v, y + dy + half)],
                        color.filled(),
                    )))
                    .map_err(plot_err)?;
            }
            if lo.is_finite() && hi.is_finite() {
                let cap = half * 0.6;
                chart
                    .draw_series([
                        PathElement::new(vec![(lo, y + dy), (hi, y + dy)], style),
                        PathElement::new(vec![(lo, y + dy - cap), (lo, y + dy + cap)], style),
                        PathElement::new(vec![(hi, y + dy - cap), (hi, y + dy + cap)], style),
                    ])
                    .map_err(plot_err)?;
            }
        }
        let (v, _, hi) = b[0];
        let end = [v, hi, b[1].0, b[1].2]
            .into_iter()
            .filter_map(finite)
            .fold(0.0, f64::max);
        let label = match m.method {
            Method::Sobol => format!("S_T {} · S_1 {}", fmt_num(v), fmt_num(b[1].0)),
            // μ's sign says which way the parameter moves the output (μ* is its size).
            Method::Morris => format!(
                "μ* {} (μ {}) · σ {}",
                fmt_num(v),
                fmt_num(data.rows[i].mu.unwrap_or(f64::NAN) + 0.0),
                fmt_num(b[1].0)
            ),
        };
        chart
            .draw_series(std::iter::once(
                EmptyElement::at((end, y))
                    + Text::new(
                        label,
                        (theme.px(8.0), 0),
                        theme.annotation(&DARK).pos(Pos::new(HPos::Left, VPos::Center)),
                    ),
            ))
            .map_err(plot_err)?;
    }
    draw_legend(&legend_area, &theme, &legend, theme.px(20.0))
}
