//! Charts of one run (`timeseries.csv` + `run.json`): medians across replicates with 5–95 % bands.

use std::path::{Path, PathBuf};

use anyhow::Result;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::ChartOptions;
use crate::charts::data::{Band, RunData, RunMeta, TimeseriesRow};
use crate::charts::render::{Chart, write_chart};
use crate::charts::style::*;

/// Daily energy need per person the intake is compared with (MODEL.md reference, WFP planning figure).
pub const NEED_KCAL: f64 = crate::scenario::params::PLANNING_KCAL;

/// IPC acute food insecurity thresholds of the crude death rate (deaths/10,000/day).
/// (value, legend label, tag on the line, colour).
pub const CDR_THRESHOLDS: [(f64, &str, &str, RGBColor); 3] = [
    (0.5, "0.5: IPC phase 3 (crisis)", "IPC 3", IPC3),
    (1.0, "1: IPC phase 4 (emergency)", "IPC 4", IPC4),
    (2.0, "2: IPC phase 5 (famine)", "IPC 5", IPC5),
];
/// A death-rate panel whose largest value exceeds this many times its highest threshold is drawn on
/// a log scale.
pub const LOG_SCALE_ABOVE: f64 = 6.0;
/// IPC famine threshold of the under-5 death rate (deaths/10,000/day).
pub const U5DR_THRESHOLDS: [(f64, &str, &str, RGBColor); 1] = [(4.0, "4: IPC phase 5 (famine)", "IPC 5", IPC5)];

/// The charts of a run, in file-name order of docs (mod.rs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunChart {
    Population,
    Food,
    Deaths,
    DeathRates,
    Nutrition,
    Airdrops,
    Infections,
}

impl RunChart {
    pub const ALL: [RunChart; 7] = [
        RunChart::Population,
        RunChart::Food,
        RunChart::Deaths,
        RunChart::DeathRates,
        RunChart::Nutrition,
        RunChart::Airdrops,
        RunChart::Infections,
    ];

    pub fn file_stem(self) -> &'static str {
        match self {
            RunChart::Population => "population",
            RunChart::Food => "food",
            RunChart::Deaths => "deaths",
            RunChart::DeathRates => "death_rates",
            RunChart::Nutrition => "nutrition",
            RunChart::Airdrops => "airdrops",
            RunChart::Infections => "infections",
        }
    }

    /// Whether `data` has anything for this chart: the infections chart only when some replicate
    /// had an episode (`[disease]` on); every other chart always.
    pub fn applies(self, data: &RunData) -> bool {
        match self {
            RunChart::Infections => data
                .rows
                .iter()
                .any(|r| r.cum_cases_diarrhoea + r.cum_cases_ari + r.cum_cases_malaria + r.cum_cases_measles > 0),
            _ => true,
        }
    }
}

/// One run chart bound to its data, ready to render.
pub struct RunChartJob<'a> {
    pub chart: RunChart,
    pub data: &'a RunData,
    pub title: &'a TitleInfo,
}

impl Chart for RunChartJob<'_> {
    fn file_stem(&self) -> String {
        self.chart.file_stem().to_owned()
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()> {
        let (data, title) = (self.data, self.title);
        match self.chart {
            RunChart::Population => population(root, data, title),
            RunChart::Food => food(root, data, title),
            RunChart::Deaths => deaths(root, data, title),
            RunChart::DeathRates => death_rates(root, data, title),
            RunChart::Nutrition => nutrition(root, data, title),
            RunChart::Airdrops => airdrops(root, data, title),
            RunChart::Infections => infections(root, data, title),
        }
    }
}

pub fn title_info(meta: &RunMeta) -> TitleInfo {
    TitleInfo {
        subject: meta.scenario_name.clone(),
        seed: Some(meta.seed),
        replicates: meta.replicates,
        replicates_qualifier: String::new(),
    }
}

/// Draws every run chart of `data` into `out_dir`.
pub fn write_all(out_dir: &Path, data: &RunData, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let title = title_info(&data.meta);
    let mut written = Vec::new();
    for chart in RunChart::ALL.into_iter().filter(|c| c.applies(data)) {
        written.extend(write_chart(
            out_dir,
            &RunChartJob {
                chart,
                data,
                title: &title,
            },
            opts,
        )?);
    }
    Ok(written)
}

/// `legends` and, when the run has event markers, their legend.
fn with_events<'a>(legends: &[&'a Legend], events: &'a Option<Legend>) -> Vec<&'a Legend> {
    let mut all = legends.to_vec();
    all.extend(events.as_ref());
    all
}

/// The legend at `top`, then the events legend (if any) a gap below it.
fn draw_legends<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legend: &Legend,
    events: &Option<Legend>,
    top: i32,
) -> Result<()> {
    draw_legend(area, theme, legend, top)?;
    match events {
        Some(e) => draw_legend(area, theme, e, top + legend_height(theme, legend) + theme.px(16.0)),
        None => Ok(()),
    }
}

fn band_subtitle(data: &RunData) -> String {
    match data.replicate_count() {
        1 => "one replicate".to_owned(),
        n => format!("lines: median of {n} replicates; shaded: 5–95% of replicates"),
    }
}

fn time_axis(data: &RunData) -> TimeAxis {
    TimeAxis { start: data.start_date }
}

/// Population by status, stacked (means per status, so the stack sums to the initial population).
pub fn population<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let theme = Theme::of(root);
    let events = marker_legend(&data.markers);
    type Status = (&'static str, RGBColor, fn(&TimeseriesRow) -> f64);
    let layers: [Status; 5] = [
        ("at home (present)", GREEN_, |r| r.n_present as f64),
        ("in transit", ORANGE, |r| r.n_in_transit as f64),
        ("displaced", BLUE_, |r| r.n_displaced as f64),
        ("kidnapped", PURPLE, |r| r.n_kidnapped as f64),
        ("dead", GREY, |r| r.n_dead as f64),
    ];
    // Means, not medians: per-status medians of different replicates need not add up to the
    // population (their stack could exceed it); means of counts that sum to it in every replicate do.
    let means: Vec<Vec<(f64, f64)>> = layers.iter().map(|(_, _, value)| data.mean_by_day(value)).collect();
    let days: Vec<f64> = means[0].iter().map(|(d, _)| *d).collect();
    // Cumulative upper edge of each layer, bottom to top.
    let mut edges: Vec<Vec<f64>> = Vec::new();
    let mut running = vec![0.0; days.len()];
    for layer in &means {
        for (sum, (_, v)) in running.iter_mut().zip(layer) {
            *sum += if v.is_finite() { *v } else { 0.0 };
        }
        edges.push(running.clone());
    }
    let legend = Legend::new(
        Some("status (top to bottom)"),
        layers
            .iter()
            .rev()
            .map(|(label, color, _)| LegendEntry::new(*label, Swatch::Fill(*color)))
            .collect(),
    );
    let subtitle = match data.replicate_count() {
        1 => "one replicate".to_owned(),
        n => format!("mean of {n} replicates for each status, stacked (the means add up to the population)"),
    };
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title("population by status"),
        &subtitle,
        legend_width(root, &theme, &with_events(&[&legend], &events))?,
    )?;
    let y_max = running.iter().copied().fold(0.0, f64::max);
    let mut chart = time_panel(
        &plot,
        &theme,
        &TimePanel {
            axis: time_axis(data),
            days: data.day_range(),
            y_min: 0.0,
            y_max,
            y_desc: "people",
            panel_title: "",
            pad_days: false,
            right_tags: false,
            markers: &data.markers,
            marker_labels: true,
            log_y: false,
        },
    )?;
    let zero = vec![0.0; days.len()];
    for (i, (_, color, _)) in layers.iter().enumerate() {
        let lower = if i == 0 { &zero } else { &edges[i - 1] };
        let mut outline: Vec<(f64, f64)> = days.iter().copied().zip(edges[i].iter().copied()).collect();
        outline.extend(days.iter().copied().zip(lower.iter().copied()).rev());
        chart
            .draw_series(std::iter::once(Polygon::new(outline, color.mix(0.85).filled())))
            .map_err(plot_err)?;
    }
    draw_legends(&legend_area, &theme, &legend, &events, theme.px(20.0))
}

/// Two panels: food held by the living in days of their need (top: pooled over everyone alive, and
/// that of the displaced and those on the road) and mean intake against the 2,100 kcal need
/// (bottom).
pub fn food<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let theme = Theme::of(root);
    let events = marker_legend(&data.markers);
    let stock = data.band(|r| r.food_days);
    let home = data.band(|r| r.food_days_home);
    let away = data.band(|r| r.food_days_away);
    // The authorities' stores (`[[stores]]`), where a scenario has them: in days of the planning
    // need for everyone alive and not kidnapped, as they hold food for everyone, not a
    // household's own need.
    let has_stores = data.rows.iter().any(|r| r.store_kcal > 0.0);
    let stores = data.band(|r| {
        let people = (r.n_present + r.n_in_transit + r.n_displaced) as f64;
        if people > 0.0 {
            r.store_kcal / (people * NEED_KCAL)
        } else {
            f64::NAN
        }
    });
    let intake = data.band(|r| r.mean_intake_kcal);
    // Split by where the households are, as the top panel: a mean over everyone would let the
    // displaced, who are fed by their hosts, hide the hunger of those who stayed.
    let intake_home = data.band(|r| r.mean_intake_kcal_home);
    let intake_away = data.band(|r| r.mean_intake_kcal_away);
    let mut entries = vec![
        LegendEntry::new("everyone alive, if shared equally", Swatch::LineBand(BROWN)),
        LegendEntry::new("at home", Swatch::LineBand(ORANGE)),
        LegendEntry::new("the displaced and those on the road", Swatch::LineBand(BLUE_)),
    ];
    if has_stores {
        entries.push(LegendEntry::new(
            "the stores, in days of 2,100 kcal for everyone alive",
            Swatch::LineBand(PURPLE),
        ));
    }
    let top_legend = Legend::new(Some("food held (median, 5–95%)"), entries);
    let bottom_legend = Legend::new(
        Some("intake"),
        vec![
            LegendEntry::new("everyone who ate (median)", Swatch::Line(BROWN)),
            LegendEntry::new("at home (median, 5–95%)", Swatch::LineBand(ORANGE)),
            LegendEntry::new("the displaced and those on the road", Swatch::LineBand(BLUE_)),
            LegendEntry::new("need: 2,100 kcal", Swatch::Dashed(DARK)),
        ],
    );
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title("food stock and intake"),
        &band_subtitle(data),
        legend_width(root, &theme, &with_events(&[&top_legend, &bottom_legend], &events))?,
    )?;
    let panels = plot.split_evenly((2, 1));
    let axis = time_axis(data);
    let mut top = time_panel(
        &panels[0],
        &theme,
        &TimePanel {
            axis,
            days: data.day_range(),
            y_min: 0.0,
            y_max: stock
                .max()
                .max(home.max())
                .max(away.max())
                .max(if has_stores { stores.max() } else { 0.0 }),
            y_desc: "days of need",
            panel_title: if has_stores {
                "food households hold, in days of their own need, and the authorities' stores"
            } else {
                "food households hold, in days of their own need"
            },
            pad_days: false,
            right_tags: false,
            markers: &data.markers,
            marker_labels: true,
            log_y: false,
        },
    )?;
    if has_stores {
        draw_band(&mut top, &theme, &stores, PURPLE)?;
    }
    draw_band(&mut top, &theme, &away, BLUE_)?;
    draw_band(&mut top, &theme, &home, ORANGE)?;
    draw_band(&mut top, &theme, &stock, BROWN)?;
    let mut bottom = time_panel(
        &panels[1],
        &theme,
        &TimePanel {
            axis,
            days: data.day_range(),
            y_min: 0.0,
            y_max: intake
                .max()
                .max(intake_home.max())
                .max(intake_away.max())
                .max(NEED_KCAL * 1.05),
            y_desc: "kcal/person/day",
            panel_title: "mean energy intake per person, by where their household is",
            pad_days: false,
            right_tags: false,
            markers: &data.markers,
            marker_labels: false,
            log_y: false,
        },
    )?;
    draw_threshold(
        &mut bottom,
        &theme,
        NEED_KCAL,
        DARK,
        Some(("need: 2,100 kcal/person/day", 0.0)),
    )?;
    draw_band(&mut bottom, &theme, &intake_away, BLUE_)?;
    draw_band(&mut bottom, &theme, &intake_home, ORANGE)?;
    bottom
        .draw_series(LineSeries::new(intake.median_points(), theme.line(BROWN)))
        .map_err(plot_err)?;
    let panel_h = panels[0].dim_in_pixel().1 as i32;
    draw_legends(&legend_area, &theme, &top_legend, &events, theme.px(36.0))?;
    draw_legend(&legend_area, &theme, &bottom_legend, panel_h + theme.px(36.0))
}

/// One measure of a banded-lines chart: legend label, colour, and the column it reads.
type Series = (&'static str, RGBColor, fn(&TimeseriesRow) -> f64);

/// Several measures over time on one panel, each a median line with its 5–95% band, drawn in
/// `series` order (the first on top when `first_on_top`).
#[allow(clippy::too_many_arguments)]
fn banded_lines<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &RunData,
    title: &TitleInfo,
    chart_title: &str,
    legend_heading: &str,
    series: &[Series],
    y_desc: &str,
    y_max_cap: f64,
    first_on_top: bool,
) -> Result<()> {
    let theme = Theme::of(root);
    let events = marker_legend(&data.markers);
    let bands: Vec<Band> = series.iter().map(|(_, _, value)| data.band(value)).collect();
    let legend = Legend::new(
        Some(legend_heading),
        series
            .iter()
            .map(|(label, color, _)| LegendEntry::new(*label, Swatch::LineBand(*color)))
            .collect(),
    );
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title(chart_title),
        &band_subtitle(data),
        legend_width(root, &theme, &with_events(&[&legend], &events))?,
    )?;
    let y_max = bands.iter().map(Band::max).fold(0.0, f64::max).min(y_max_cap);
    let mut chart = time_panel(
        &plot,
        &theme,
        &TimePanel {
            axis: time_axis(data),
            days: data.day_range(),
            y_min: 0.0,
            y_max,
            y_desc,
            panel_title: "",
            pad_days: false,
            right_tags: false,
            markers: &data.markers,
            marker_labels: true,
            log_y: false,
        },
    )?;
    let mut order: Vec<usize> = (0..series.len()).collect();
    if first_on_top {
        order.reverse();
    }
    for i in order {
        draw_band(&mut chart, &theme, &bands[i], series[i].1)?;
    }
    draw_legends(&legend_area, &theme, &legend, &events, theme.px(20.0))
}

/// Cumulative deaths by cause, with all causes on top.
pub fn deaths<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let mut causes: Vec<Series> = vec![
        ("all causes", DARK, |r| r.n_dead as f64),
        ("starvation", BROWN, |r| r.cum_deaths_starvation as f64),
        ("violence", RED_, |r| r.cum_deaths_violence as f64),
        ("infections", GREEN_, |r| r.cum_deaths_disease as f64),
        ("background", BLUE_, |r| r.cum_deaths_background as f64),
    ];
    // Dehydration only where some replicate had it (water sources given and short).
    if data.rows.iter().any(|r| r.cum_deaths_dehydration > 0) {
        causes.push(("dehydration", ORANGE, |r| r.cum_deaths_dehydration as f64));
    }
    // Drop-zone casualties only where some replicate had them (`casualties_per_tonne` given).
    if data.rows.iter().any(|r| r.cum_deaths_relief > 0) {
        causes.push(("killed at drop zones", PURPLE, |r| r.cum_deaths_relief as f64));
    }
    let desc = "deaths since day 0 (people)";
    banded_lines(
        root,
        data,
        title,
        "deaths by cause",
        "cause",
        &causes,
        desc,
        f64::INFINITY,
        true,
    )
}

/// New infection episodes a day by disease (the diseases some replicate had), MODEL.md §6.3.
pub fn infections<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let all: [Series; 4] = [
        ("malaria", PURPLE, |r| r.new_cases_malaria as f64),
        ("diarrhoea", BROWN, |r| r.new_cases_diarrhoea as f64),
        ("respiratory infection", BLUE_, |r| r.new_cases_ari as f64),
        ("measles", RED_, |r| r.new_cases_measles as f64),
    ];
    let seen: Vec<Series> = all
        .into_iter()
        .filter(|(_, _, value)| data.rows.iter().any(|r| value(r) > 0.0))
        .collect();
    banded_lines(
        root,
        data,
        title,
        "infections: new episodes a day",
        "disease",
        &seen,
        "new episodes a day",
        f64::INFINITY,
        false,
    )
}

/// Two panels: crude (top) and under-5 (bottom) death rates with the IPC thresholds.
pub fn death_rates<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let theme = Theme::of(root);
    let events = marker_legend(&data.markers);
    let cdr = data.band(|r| r.cdr_per_10k);
    let u5dr = data.band(|r| r.u5dr_per_10k);
    let legend_for = |heading: &str, color: RGBColor, thresholds: &[(f64, &str, &str, RGBColor)]| {
        let mut entries = vec![LegendEntry::new("median, 5–95% band", Swatch::LineBand(color))];
        entries.extend(
            thresholds
                .iter()
                .map(|(_, label, _, c)| LegendEntry::new(*label, Swatch::Dashed(*c))),
        );
        Legend::new(Some(heading), entries)
    };
    let top_legend = legend_for("crude death rate", RED_, &CDR_THRESHOLDS);
    let bottom_legend = legend_for("under-5 death rate", PURPLE, &U5DR_THRESHOLDS);
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title("death rates"),
        &band_subtitle(data),
        legend_width(root, &theme, &with_events(&[&top_legend, &bottom_legend], &events))?,
    )?;
    let panels = plot.split_evenly((2, 1));
    let axis = time_axis(data);
    for (i, (band, color, thresholds, panel_title)) in [
        (&cdr, RED_, &CDR_THRESHOLDS[..], "crude death rate (CDR), all ages"),
        (&u5dr, PURPLE, &U5DR_THRESHOLDS[..], "under-5 death rate (U5DR)"),
    ]
    .into_iter()
    .enumerate()
    {
        let highest = thresholds.iter().map(|t| t.0).fold(0.0, f64::max);
        let lowest = thresholds.iter().map(|t| t.0).fold(f64::INFINITY, f64::min);
        // Rates far above the thresholds would squash the IPC lines at the bottom of a linear
        // axis: then the panel is drawn on a log scale, so both stay legible.
        let log_y = band.max() > LOG_SCALE_ABOVE * highest;
        let floor = lowest / 10.0;
        let y = |v: f64| if log_y { to_log(v, floor) } else { v };
        let shown = if log_y {
            Band {
                day: band.day.clone(),
                p05: band.p05.iter().map(|&v| y(v)).collect(),
                p50: band.p50.iter().map(|&v| y(v)).collect(),
                p95: band.p95.iter().map(|&v| y(v)).collect(),
            }
        } else {
            band.clone()
        };
        let log_title;
        let panel_title = if log_y {
            log_title = format!("{panel_title} — log scale, values below {} drawn at it", fmt_num(floor));
            log_title.as_str()
        } else {
            panel_title
        };
        let panel = &panels[i];
        let mut chart = time_panel(
            panel,
            &theme,
            &TimePanel {
                axis,
                days: data.day_range(),
                y_min: if log_y { floor.log10() } else { 0.0 },
                y_max: if log_y {
                    y(band.max())
                } else {
                    band.max().max(highest * 1.1)
                },
                y_desc: "deaths/10,000/day",
                panel_title,
                pad_days: false,
                right_tags: true,
                markers: &data.markers,
                marker_labels: i == 0,
                log_y,
            },
        )?;
        for (value, _, _, line_color) in thresholds {
            draw_threshold(&mut chart, &theme, y(*value), *line_color, None)?;
        }
        draw_band(&mut chart, &theme, &shown, color)?;
        let tags: Vec<(f64, &str, RGBColor)> = thresholds.iter().map(|(v, _, tag, c)| (y(*v), *tag, *c)).collect();
        tag_thresholds(panel, &chart, &theme, &tags)?;
    }
    let panel_h = panels[0].dim_in_pixel().1 as i32;
    draw_legends(&legend_area, &theme, &top_legend, &events, theme.px(36.0))?;
    draw_legend(&legend_area, &theme, &bottom_legend, panel_h + theme.px(36.0))
}

/// Under-5 acute malnutrition (GAM, SAM) and the adult share with BMI < 18.5.
pub fn nutrition<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let measures: [Series; 3] = [
        ("adults with BMI < 18.5", BLUE_, |r| r.adult_bmi_lt_18_5_pct),
        ("under-5 GAM (WHZ < −2)", ORANGE, |r| r.gam_pct),
        ("under-5 SAM (WHZ < −3)", RED_, |r| r.sam_pct),
    ];
    // Percentages: the axis stops at 100 (with the panel's headroom).
    let cap = 100.0 / 1.08;
    banded_lines(
        root,
        data,
        title,
        "malnutrition",
        "share of group",
        &measures,
        "% of the group",
        cap,
        false,
    )
}

/// Airdropped food per day (tonnes when all drops share one energy density, else million kcal): the part reaching households and the part captured, stacked
/// (means across replicates, so the bars add up to the expected totals), with 5–95 % whiskers of
/// the landed total. A run without airdrops gets the same file with a "no airdrops" note.
pub fn airdrops<DB: DrawingBackend>(root: &DrawingArea<DB, Shift>, data: &RunData, title: &TitleInfo) -> Result<()> {
    let theme = Theme::of(root);
    let events = marker_legend(&data.markers);
    // Tonnes when every drop has the same energy density (what a logistician plans in), else
    // million kcal.
    let (per_unit, y_desc) = match data.airdrop_kcal_per_kg {
        Some(kcal_per_kg) => (kcal_per_kg * 1000.0, "food (tonnes/day)"),
        None => (1e6, "energy (million kcal/day)"),
    };
    let usable = data.mean_by_day(|r| r.airdrop_usable_kcal / per_unit);
    let captured = data.mean_by_day(|r| r.airdrop_captured_kcal / per_unit);
    let landed = data.band(|r| (r.airdrop_usable_kcal + r.airdrop_captured_kcal) / per_unit);
    let any = landed.max() > 0.0;
    let mut entries = vec![
        LegendEntry::new("reached households", Swatch::Fill(GREEN_)),
        LegendEntry::new("captured by besiegers", Swatch::Fill(RED_)),
    ];
    let spread = (0..landed.day.len()).any(|i| landed.p95[i] > landed.p05[i]);
    if spread {
        entries.push(LegendEntry::new("landed, 5–95%", Swatch::ErrorBar(DARK)));
    }
    let legend = Legend::new(Some("airdropped food"), entries);
    let subtitle = match data.replicate_count() {
        1 => "one replicate".to_owned(),
        n if !any => format!("no airdrop landed in any of the {n} replicates"),
        n if spread => format!("bars: mean of {n} replicates; whiskers: 5–95% of replicates"),
        n => format!("bars: mean of {n} replicates (the same in every replicate)"),
    };
    let (plot, legend_area) = frame(
        root,
        &theme,
        &title.title("airdrops"),
        &subtitle,
        legend_width(root, &theme, &with_events(&[&legend], &events))?,
    )?;
    let mut chart = time_panel(
        &plot,
        &theme,
        &TimePanel {
            axis: time_axis(data),
            days: data.day_range(),
            y_min: 0.0,
            y_max: landed.max(),
            y_desc,
            panel_title: "",
            pad_days: true,
            right_tags: false,
            markers: &data.markers,
            marker_labels: true,
            log_y: false,
        },
    )?;
    if any {
        let half = 0.35;
        let bars = usable.iter().zip(&captured).flat_map(|(&(day, u), &(_, c))| {
            let (u, c) = (u.max(0.0), c.max(0.0));
            [
                Rectangle::new([(day - half, 0.0), (day + half, u)], GREEN_.filled()),
                Rectangle::new([(day - half, u), (day + half, u + c)], RED_.filled()),
            ]
        });
        chart.draw_series(bars).map_err(plot_err)?;
        if spread {
            let style = DARK.stroke_width(theme.upx(1.5));
            for i in 0..landed.day.len() {
                let (day, lo, hi) = (landed.day[i], landed.p05[i], landed.p95[i]);
                if hi > lo && lo.is_finite() && hi.is_finite() {
                    let cap = 0.15;
                    chart
                        .draw_series([
                            PathElement::new(vec![(day, lo), (day, hi)], style),
                            PathElement::new(vec![(day - cap, lo), (day + cap, lo)], style),
                            PathElement::new(vec![(day - cap, hi), (day + cap, hi)], style),
                        ])
                        .map_err(plot_err)?;
                }
            }
        }
    } else {
        let (w, h) = chart.plotting_area().dim_in_pixel();
        chart
            .plotting_area()
            .strip_coord_spec()
            .draw_text(
                "no airdrops in this run",
                &theme.note().pos(Pos::new(HPos::Center, VPos::Center)),
                (w as i32 / 2, h as i32 / 2),
            )
            .map_err(plot_err)?;
    }
    draw_legends(&legend_area, &theme, &legend, &events, theme.px(20.0))
}
