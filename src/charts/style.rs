//! Shared look of every chart: fonts, colours, the title/legend layout, time axis, number labels.

use anyhow::Result;
use plotters::chart::MeshStyle;
use plotters::coord::Shift;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use crate::charts::data::{Band, Date, Marker, MarkerKind};
use crate::charts::font::FONT_FAMILY;

/// Maps a plotters error (not `Send + Sync + 'static` in general) to anyhow through its Display.
pub fn plot_err<E: std::fmt::Display>(error: E) -> anyhow::Error {
    anyhow::anyhow!("drawing the chart failed: {error}")
}

/// Who and what a chart is about, for its title: "NAME — WHAT (seed S, N replicates)".
#[derive(Clone, Debug, PartialEq)]
pub struct TitleInfo {
    /// The scenario name, or e.g. "3 scenarios" for a comparison.
    pub subject: String,
    pub seed: Option<u64>,
    pub replicates: u64,
    /// Appended to the replicate count, e.g. " per point" for sweeps, " each" for comparisons.
    pub replicates_qualifier: String,
}

impl TitleInfo {
    pub fn title(&self, what: &str) -> String {
        let plural = if self.replicates == 1 { "" } else { "s" };
        let replicates = format!("{} replicate{plural}{}", self.replicates, self.replicates_qualifier);
        match self.seed {
            Some(seed) => format!("{} — {what} (seed {seed}, {replicates})", self.subject),
            None => format!("{} — {what} ({replicates})", self.subject),
        }
    }
}

/// Colour-blind-safe categorical palette (Tableau 10).
pub const PALETTE: [RGBColor; 10] = [
    RGBColor(0x4E, 0x79, 0xA7),
    RGBColor(0xF2, 0x8E, 0x2B),
    RGBColor(0xE1, 0x57, 0x59),
    RGBColor(0x76, 0xB7, 0xB2),
    RGBColor(0x59, 0xA1, 0x4F),
    RGBColor(0xED, 0xC9, 0x48),
    RGBColor(0xB0, 0x7A, 0xA1),
    RGBColor(0xFF, 0x9D, 0xA7),
    RGBColor(0x9C, 0x75, 0x5F),
    RGBColor(0xBA, 0xB0, 0xAC),
];
pub const BLUE_: RGBColor = PALETTE[0];
pub const ORANGE: RGBColor = PALETTE[1];
pub const RED_: RGBColor = PALETTE[2];
pub const GREEN_: RGBColor = PALETTE[4];
pub const PURPLE: RGBColor = PALETTE[6];
pub const BROWN: RGBColor = PALETTE[8];
pub const GREY: RGBColor = RGBColor(0x79, 0x70, 0x6E);
pub const DARK: RGBColor = RGBColor(0x25, 0x25, 0x25);
pub const MUTED_TEXT: RGBColor = RGBColor(0x55, 0x55, 0x55);
/// IPC phase colours (IPC manual 3.1): 3 orange, 4 red, 5 dark red.
pub const IPC3: RGBColor = RGBColor(0xE6, 0x78, 0x00);
pub const IPC4: RGBColor = RGBColor(0xC8, 0x00, 0x00);
pub const IPC5: RGBColor = RGBColor(0x64, 0x00, 0x00);

pub fn palette(i: usize) -> RGBColor {
    PALETTE[i % PALETTE.len()]
}

/// Opacity of the 5–95 % bands.
pub const BAND_ALPHA: f64 = 0.2;

/// Font sizes and line widths scaled to the picture (designed for 1200 × 750).
#[derive(Clone, Copy, Debug)]
pub struct Theme {
    pub scale: f64,
}

impl Theme {
    pub fn of<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>) -> Self {
        let (w, h) = area.dim_in_pixel();
        let scale = (f64::from(w) / 1200.0).min(f64::from(h) / 750.0).clamp(0.4, 4.0);
        Self { scale }
    }

    pub fn px(&self, v: f64) -> i32 {
        (v * self.scale).round() as i32
    }

    pub fn upx(&self, v: f64) -> u32 {
        self.px(v).max(1) as u32
    }

    fn font(&self, size: f64, style: FontStyle, color: &RGBColor) -> TextStyle<'static> {
        FontDesc::new(FontFamily::Name(FONT_FAMILY), size * self.scale, style).color(color)
    }

    pub fn title(&self) -> TextStyle<'static> {
        self.font(24.0, FontStyle::Bold, &DARK)
    }
    pub fn subtitle(&self) -> TextStyle<'static> {
        self.font(15.0, FontStyle::Normal, &MUTED_TEXT)
    }
    pub fn panel_title(&self) -> TextStyle<'static> {
        self.font(17.0, FontStyle::Bold, &DARK)
    }
    pub fn axis_label(&self) -> TextStyle<'static> {
        self.font(16.0, FontStyle::Normal, &DARK)
    }
    pub fn tick(&self) -> TextStyle<'static> {
        self.font(14.0, FontStyle::Normal, &DARK)
    }
    pub fn legend(&self) -> TextStyle<'static> {
        self.font(15.0, FontStyle::Normal, &DARK)
    }
    pub fn legend_heading(&self) -> TextStyle<'static> {
        self.font(15.0, FontStyle::Bold, &DARK)
    }
    pub fn cell(&self) -> TextStyle<'static> {
        self.font(18.0, FontStyle::Normal, &DARK)
    }
    pub fn note(&self) -> TextStyle<'static> {
        self.font(22.0, FontStyle::Normal, &MUTED_TEXT)
    }
    pub fn annotation(&self, color: &RGBColor) -> TextStyle<'static> {
        self.font(13.0, FontStyle::Normal, color)
    }
    pub fn line(&self, color: RGBColor) -> ShapeStyle {
        color.stroke_width(self.upx(2.5))
    }
}

/// How a legend entry is drawn.
#[derive(Clone, Copy, Debug)]
pub enum Swatch {
    /// A median line with its light 5–95 % band.
    LineBand(RGBColor),
    /// A median line between the thin lines of its 5 % and 95 % quantiles.
    LineEdges(RGBColor),
    Line(RGBColor),
    Dashed(RGBColor),
    /// A filled area or bar.
    Fill(RGBColor),
    /// A point with a vertical error bar (mean and 95 % CI).
    ErrorBar(RGBColor),
    /// A short vertical tick (a plan's airdrop day on a comparison).
    Tick(RGBColor),
    /// A small upward triangle (a plan's convoy arrival on a comparison).
    Triangle(RGBColor),
}

#[derive(Clone, Debug)]
pub struct LegendEntry {
    pub label: String,
    pub swatch: Swatch,
}

impl LegendEntry {
    pub fn new(label: impl Into<String>, swatch: Swatch) -> Self {
        Self {
            label: label.into(),
            swatch,
        }
    }
}

/// A legend block: an optional bold heading and its entries.
#[derive(Clone, Debug, Default)]
pub struct Legend {
    pub heading: Option<String>,
    pub entries: Vec<LegendEntry>,
}

impl Legend {
    pub fn new(heading: Option<&str>, entries: Vec<LegendEntry>) -> Self {
        Self {
            heading: heading.map(str::to_owned),
            entries,
        }
    }
}

const SWATCH_W: f64 = 34.0;

/// Width in pixels of the legend column that fits every label (at most 38 % of the picture).
pub fn legend_width<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legends: &[&Legend],
) -> Result<u32> {
    let mut widest = 0u32;
    for legend in legends {
        if let Some(heading) = &legend.heading {
            widest = widest.max(
                root.estimate_text_size(heading, &theme.legend_heading())
                    .map_err(plot_err)?
                    .0,
            );
        }
        for entry in &legend.entries {
            let w = root
                .estimate_text_size(&entry.label, &theme.legend())
                .map_err(plot_err)?
                .0
                + theme.upx(SWATCH_W + 10.0);
            widest = widest.max(w);
        }
    }
    let (w, _) = root.dim_in_pixel();
    Ok((widest + theme.upx(30.0)).clamp(theme.upx(120.0), w * 38 / 100))
}

/// Draws legend blocks top-down in `area` (a column beside the plot, so it never hides data).
pub fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    theme: &Theme,
    legend: &Legend,
    top: i32,
) -> Result<()> {
    let line_h = theme.px(24.0);
    let x0 = theme.px(8.0);
    let sw = theme.px(SWATCH_W);
    let mut y = top;
    if let Some(heading) = &legend.heading {
        area.draw_text(
            heading,
            &theme.legend_heading().pos(Pos::new(HPos::Left, VPos::Center)),
            (x0, y),
        )
        .map_err(plot_err)?;
        y += line_h;
    }
    for entry in &legend.entries {
        let half = theme.px(7.0);
        match entry.swatch {
            Swatch::LineBand(c) => {
                area.draw(&Rectangle::new(
                    [(x0, y - half), (x0 + sw, y + half)],
                    c.mix(BAND_ALPHA).filled(),
                ))
                .map_err(plot_err)?;
                area.draw(&PathElement::new(vec![(x0, y), (x0 + sw, y)], theme.line(c)))
                    .map_err(plot_err)?;
            }
            Swatch::LineEdges(c) => {
                for dy in [-half, half] {
                    area.draw(&PathElement::new(
                        vec![(x0, y + dy), (x0 + sw, y + dy)],
                        edge_style(theme, c),
                    ))
                    .map_err(plot_err)?;
                }
                area.draw(&PathElement::new(vec![(x0, y), (x0 + sw, y)], theme.line(c)))
                    .map_err(plot_err)?;
            }
            Swatch::Line(c) => {
                area.draw(&PathElement::new(vec![(x0, y), (x0 + sw, y)], theme.line(c)))
                    .map_err(plot_err)?;
            }
            Swatch::Dashed(c) => {
                let dash = sw / 5;
                for k in [0, 2, 4] {
                    area.draw(&PathElement::new(
                        vec![(x0 + k * dash, y), (x0 + (k + 1) * dash, y)],
                        c.stroke_width(theme.upx(2.0)),
                    ))
                    .map_err(plot_err)?;
                }
            }
            Swatch::Fill(c) => {
                area.draw(&Rectangle::new([(x0, y - half), (x0 + sw, y + half)], c.filled()))
                    .map_err(plot_err)?;
            }
            Swatch::Tick(c) => {
                let mid = x0 + sw / 2;
                area.draw(&PathElement::new(
                    vec![(mid, y - half), (mid, y + half)],
                    c.stroke_width(theme.upx(2.5)),
                ))
                .map_err(plot_err)?;
            }
            Swatch::Triangle(c) => {
                let mid = x0 + sw / 2;
                area.draw(&Polygon::new(
                    vec![(mid - half, y + half), (mid + half, y + half), (mid, y - half)],
                    c.filled(),
                ))
                .map_err(plot_err)?;
            }
            Swatch::ErrorBar(c) => {
                let mid = x0 + sw / 2;
                let cap = theme.px(5.0);
                let style = c.stroke_width(theme.upx(2.0));
                area.draw(&PathElement::new(vec![(mid, y - half - 2), (mid, y + half + 2)], style))
                    .map_err(plot_err)?;
                for yy in [y - half - 2, y + half + 2] {
                    area.draw(&PathElement::new(vec![(mid - cap, yy), (mid + cap, yy)], style))
                        .map_err(plot_err)?;
                }
                area.draw(&Circle::new((mid, y), theme.upx(4.0), WHITE.filled()))
                    .map_err(plot_err)?;
                area.draw(&Circle::new((mid, y), theme.upx(4.0), c.stroke_width(theme.upx(2.0))))
                    .map_err(plot_err)?;
            }
        }
        area.draw_text(
            &entry.label,
            &theme.legend().pos(Pos::new(HPos::Left, VPos::Center)),
            (x0 + sw + theme.px(10.0), y),
        )
        .map_err(plot_err)?;
        y += line_h;
    }
    Ok(())
}

/// Height in pixels a legend block takes.
pub fn legend_height(theme: &Theme, legend: &Legend) -> i32 {
    theme.px(24.0) * (legend.entries.len() + usize::from(legend.heading.is_some())) as i32
}

/// Fills the picture white, draws the title and subtitle, and returns the plot area and the
/// legend column to its right (`legend_w` pixels wide; 0 for none).
pub fn frame<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    theme: &Theme,
    title: &str,
    subtitle: &str,
    legend_w: u32,
) -> Result<(DrawingArea<DB, Shift>, DrawingArea<DB, Shift>)> {
    root.fill(&WHITE).map_err(plot_err)?;
    let left = theme.px(16.0);
    let top_pos = Pos::new(HPos::Left, VPos::Top);
    let (w, _) = root.dim_in_pixel();
    let text_w = w.saturating_sub(2 * left as u32);
    let title_style = fit_text(root, title, theme.title(), text_w)?;
    root.draw_text(title, &title_style.pos(top_pos), (left, theme.px(12.0)))
        .map_err(plot_err)?;
    let subtitle_style = fit_text(root, subtitle, theme.subtitle(), text_w)?;
    root.draw_text(subtitle, &subtitle_style.pos(top_pos), (left, theme.px(44.0)))
        .map_err(plot_err)?;
    let (_, body) = root.split_vertically(theme.px(70.0));
    let (w, _) = body.dim_in_pixel();
    let (plot, legend) = body.split_horizontally(w.saturating_sub(legend_w) as i32);
    Ok((plot, legend))
}

/// Shrinks the font (down to 60 %) until `text` fits in `max_width` pixels.
pub fn fit_text<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    mut style: TextStyle<'static>,
    max_width: u32,
) -> Result<TextStyle<'static>> {
    let full = style.font.get_size();
    while area.estimate_text_size(text, &style).map_err(plot_err)?.0 > max_width && style.font.get_size() > full * 0.6 {
        style.font = style.font.resize(style.font.get_size() * 0.95);
    }
    Ok(style)
}

/// The time axis: ISO dates when the run has a start date, else day numbers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TimeAxis {
    pub start: Option<Date>,
}

impl TimeAxis {
    pub fn desc(&self) -> &'static str {
        if self.start.is_some() { "date" } else { "day" }
    }

    pub fn label(&self, day: f64) -> String {
        match self.start {
            Some(start) => start.plus_days(day.round() as i64).iso(),
            None => format!("{}", day.round() as i64),
        }
    }

    /// The width of one tick label with its gap, in unscaled pixels (`Theme::px`): an ISO date or
    /// a day number.
    pub fn label_px(&self) -> f64 {
        if self.start.is_some() { 84.0 } else { 36.0 }
    }

    /// Whole-day tick positions: weeks and multiples for dates, round numbers for days; at most
    /// `room` labels (how many fit side by side in the panel), and never more than 9 dates or
    /// 12 day numbers.
    pub fn ticks(&self, first: f64, last: f64, room: f64) -> Vec<f64> {
        let span = (last - first).max(1.0);
        let (steps, most): (&[f64], f64) = match self.start {
            Some(_) => (&[1.0, 2.0, 3.0, 7.0, 14.0, 28.0, 56.0, 91.0, 182.0, 364.0, 728.0], 9.0),
            None => (
                &[
                    1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 1000.0,
                ],
                12.0,
            ),
        };
        let max_labels = most.min(room.floor()).max(2.0);
        let step = steps
            .iter()
            .copied()
            .find(|s| (span / s).floor() + 1.0 <= max_labels)
            .unwrap_or(span / (max_labels - 1.0))
            .ceil();
        let origin = if self.start.is_some() {
            first
        } else {
            (first / step).ceil() * step
        };
        let mut ticks = Vec::new();
        let mut t = origin;
        while t <= last + 1e-9 {
            ticks.push(t);
            t += step;
        }
        ticks
    }
}

/// A numeric axis whose ticks are given, not computed (whole days, the varied values, categories).
/// plotters' own `WithKeyPoints` over `f64` cannot take label formatters, hence this type.
#[derive(Clone)]
pub struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ticked {
    pub fn new(range: std::ops::Range<f64>, ticks: Vec<f64>) -> Self {
        Self {
            inner: range.into(),
            ticks,
        }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            Vec::new()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

pub type TimeCoord = Cartesian2d<Ticked, Ticked>;

/// Options of one time-series panel.
pub struct TimePanel<'a> {
    pub axis: TimeAxis,
    pub days: (f64, f64),
    /// Lower end of the value axis (0 for counts that should be read against zero).
    pub y_min: f64,
    /// Largest value to show (the axis gets a little headroom above it).
    pub y_max: f64,
    pub y_desc: &'a str,
    /// Bold text drawn above the panel (for multi-panel charts); empty for none.
    pub panel_title: &'a str,
    /// Extra half-day margins, for bars centred on days.
    pub pad_days: bool,
    /// Room on the right for reference-line tags ([`tag_thresholds`]).
    pub right_tags: bool,
    /// Events drawn as dashed vertical lines (under the data).
    pub markers: &'a [Marker],
    /// Label the markers, in a strip above the plot (the top panel of a multi-panel chart).
    pub marker_labels: bool,
    /// The values drawn are log10 of the quantity ([`to_log`]): ticks at 1-2-5 steps, labelled
    /// with the quantity, from `y_min` (a log10 too) upwards.
    pub log_y: bool,
}

/// The log10 of `v` for a log-scale panel, values below `floor` drawn at the floor.
pub fn to_log(v: f64, floor: f64) -> f64 {
    if v.is_finite() { v.max(floor).log10() } else { f64::NAN }
}

/// Tick positions (log10) at 1, 2, 5 × powers of ten within `lo..=hi` (log10 values).
fn log_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let mut ticks = Vec::new();
    for e in (lo.floor() as i32)..=(hi.ceil() as i32) {
        for m in [1.0, 2.0, 5.0] {
            let t = (m * 10f64.powi(e)).log10();
            if t >= lo - 1e-9 && t <= hi + 1e-9 {
                ticks.push(t);
            }
        }
    }
    ticks
}

/// Rows of marker labels above a panel; a label that fits in none of them is left out (its line
/// stays, and the legend says what the colour means).
const MARKER_ROWS: i32 = 4;

/// The colour of a kind of event marker.
pub fn marker_color(kind: MarkerKind) -> RGBColor {
    match kind {
        MarkerKind::SiegeStart => RGBColor(0x22, 0x22, 0x22),
        MarkerKind::Route => RGBColor(0x8A, 0x84, 0x80),
        MarkerKind::Airdrop => RGBColor(0x1F, 0x6F, 0x8B),
        MarkerKind::Convoy => RGBColor(0x8B, 0x5A, 0x1F),
        MarkerKind::SiegeEnd => RGBColor(0x2E, 0x7D, 0x32),
    }
}

/// The "events" legend of `markers` (one entry per kind present), or `None` when there are none.
pub fn marker_legend(markers: &[Marker]) -> Option<Legend> {
    let mut kinds: Vec<MarkerKind> = markers.iter().map(|m| m.kind).collect();
    kinds.sort();
    kinds.dedup();
    let every_day = markers.iter().any(|m| m.until > m.day && !m.uncertain);
    let title = match (every_day, markers.iter().any(|m| m.uncertain)) {
        (false, false) => "events (dashed lines)",
        (true, false) => "events (dashed lines; shaded: every day)",
        (false, true) => "events (dashed lines; shaded: day uncertain)",
        (true, true) => "events (dashed lines; shaded: every day; no line: day uncertain)",
    };
    (!kinds.is_empty()).then(|| {
        Legend::new(
            Some(title),
            kinds
                .into_iter()
                .map(|k| LegendEntry::new(k.legend(), Swatch::Dashed(marker_color(k))))
                .collect(),
        )
    })
}

/// Draws the markers as dashed vertical lines over the whole plot (a span of daily relief shaded
/// from its first day to its last; an event of uncertain day shaded over its range, with no line)
/// and, with `labels`, their labels
/// in rows in the strip of `strip_h` pixels above the plot (each label in the first row where it
/// does not overlap the previous one; an uncertain day's inside its range, at the top).
fn draw_markers<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &mut ChartContext<'_, DB, TimeCoord>,
    theme: &Theme,
    markers: &[Marker],
    labels: bool,
) -> Result<()> {
    let x = chart.x_range();
    let y = chart.y_range();
    for m in markers {
        let day = f64::from(m.day);
        if day < x.start || day > x.end {
            continue;
        }
        if m.until > m.day {
            let until = f64::from(m.until).min(x.end);
            chart
                .draw_series(std::iter::once(Rectangle::new(
                    [(day, y.start), (until, y.end)],
                    marker_color(m.kind).mix(0.12).filled(),
                )))
                .map_err(plot_err)?;
        }
        if m.uncertain {
            continue;
        }
        chart
            .draw_series(DashedLineSeries::new(
                vec![(day, y.start), (day, y.end)],
                theme.upx(5.0),
                theme.upx(4.0),
                marker_color(m.kind).mix(0.9).stroke_width(theme.upx(1.5)),
            ))
            .map_err(plot_err)?;
    }
    if !labels {
        return Ok(());
    }
    let (base_x, base_y) = area.get_base_pixel();
    let row_h = theme.px(15.0);
    let mut row_end = [i32::MIN; MARKER_ROWS as usize];
    for m in markers {
        let day = f64::from(m.day);
        if day < x.start || day > x.end {
            continue;
        }
        let (px, top) = chart.backend_coord(&(day, y.end));
        let (px, top) = (px - base_x, top - base_y);
        let style = theme.annotation(&marker_color(m.kind));
        // An uncertain day's label goes inside its shaded range, at the top: it is the only word
        // that says the range is not relief, so it never waits for room in the strip.
        if m.uncertain {
            let at = (px + theme.px(3.0), top + theme.px(3.0));
            area.draw_text(&m.label, &style.pos(Pos::new(HPos::Left, VPos::Top)), at)
                .map_err(plot_err)?;
            continue;
        }
        let w = area.estimate_text_size(&m.label, &style).map_err(plot_err)?.0 as i32;
        // Each row in turn: the label to the right of its line, else ending at its line.
        let gap = theme.px(3.0);
        let mut place = None;
        for (row, end) in row_end.iter_mut().enumerate() {
            if px > *end {
                place = Some((row, px + gap, HPos::Left));
                *end = px + gap + w + theme.px(6.0);
                break;
            }
            if px - gap - w > *end + theme.px(6.0) {
                place = Some((row, px - gap, HPos::Right));
                *end = px;
                break;
            }
        }
        let Some((row, text_x, anchor)) = place else {
            continue;
        };
        let y_text = top - theme.px(2.0) - row as i32 * row_h;
        area.draw(&PathElement::new(
            vec![(px, y_text), (px, top)],
            marker_color(m.kind).mix(0.5).stroke_width(1),
        ))
        .map_err(plot_err)?;
        area.draw_text(&m.label, &style.pos(Pos::new(anchor, VPos::Bottom)), (text_x, y_text))
            .map_err(plot_err)?;
    }
    Ok(())
}

/// Builds a time-series panel in `area` with its mesh, labels and axis descriptions drawn.
/// A chart builder with the house margins (10 px above, 20 right, 8 left) and label areas (52 px
/// for the x axis, `y_label_w` for the y axis), for a plot area drawn by `frame`.
pub fn plot_builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    y_label_w: impl plotters::style::SizeDesc,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin_top(theme.px(10.0))
        .margin_right(theme.px(20.0))
        .margin_left(theme.px(8.0))
        .x_label_area_size(theme.px(52.0))
        .y_label_area_size(y_label_w);
    builder
}

pub fn time_panel<'a, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    theme: &Theme,
    panel: &TimePanel<'_>,
) -> Result<ChartContext<'a, DB, TimeCoord>> {
    let (first, last) = panel.days;
    let (x0, x1) = if panel.pad_days || last <= first {
        (first - 0.6, last + 0.6)
    } else {
        (first, last)
    };
    // The plot's width: the panel less the y labels (84 px) and the margins (8 + 20 px, and 52
    // more on the right for tags).
    let margins = if panel.right_tags { 164.0 } else { 112.0 };
    let plot_w = f64::from(area.dim_in_pixel().0) - f64::from(theme.px(margins));
    let ticks = panel
        .axis
        .ticks(first, last, plot_w / f64::from(theme.px(panel.axis.label_px())));
    let mut builder = plot_builder(area, theme, theme.px(84.0));
    let label_strip = if panel.marker_labels && !panel.markers.is_empty() {
        theme.px(15.0) * MARKER_ROWS + theme.px(4.0)
    } else {
        0
    };
    let title_h = if panel.panel_title.is_empty() { 10.0 } else { 30.0 };
    builder.margin_top(theme.px(title_h) + label_strip);
    if panel.right_tags {
        builder.margin_right(theme.px(52.0));
    }
    let y_range = if panel.log_y {
        panel.y_min..(panel.y_max + 0.05).max(panel.y_min + 1.0)
    } else {
        panel.y_min..nice_upper(panel.y_max).max(panel.y_min + 1.0)
    };
    let y_ticks = if panel.log_y {
        log_ticks(y_range.start, y_range.end)
    } else {
        let linear: RangedCoordf64 = y_range.clone().into();
        linear.key_points(8usize)
    };
    let mut chart = builder
        .build_cartesian_2d(Ticked::new(x0..x1, ticks), Ticked::new(y_range, y_ticks))
        .map_err(plot_err)?;
    let axis = panel.axis;
    let x_fmt = move |d: &f64| axis.label(*d);
    let log_y = panel.log_y;
    let y_fmt = move |v: &f64| if log_y { fmt_num(10f64.powf(*v)) } else { fmt_num(*v) };
    let mut mesh = chart.configure_mesh();
    mesh.x_desc(panel.axis.desc())
        .y_desc(panel.y_desc)
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt);
    house_mesh(&mut mesh, theme).draw().map_err(plot_err)?;
    draw_markers(area, &mut chart, theme, panel.markers, panel.marker_labels)?;
    if !panel.panel_title.is_empty() {
        area.draw_text(
            panel.panel_title,
            &theme.panel_title().pos(Pos::new(HPos::Left, VPos::Top)),
            (theme.px(92.0), theme.px(6.0)),
        )
        .map_err(plot_err)?;
    }
    Ok(chart)
}

/// Draws a 5–95 % band (light fill) and its median line.
pub fn draw_band<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, TimeCoord>,
    theme: &Theme,
    band: &Band,
    color: RGBColor,
) -> Result<()> {
    let outline = band.outline();
    if outline.len() >= 2 {
        chart
            .draw_series(std::iter::once(Polygon::new(outline, color.mix(BAND_ALPHA).filled())))
            .map_err(plot_err)?;
    }
    chart
        .draw_series(LineSeries::new(band.median_points(), theme.line(color)))
        .map_err(plot_err)?;
    Ok(())
}

fn edge_style(theme: &Theme, color: RGBColor) -> ShapeStyle {
    color.stroke_width(theme.upx(1.0))
}

/// A median line between thin lines at its 5 % and 95 % quantiles (for overlaid scenarios, whose
/// translucent fills would mix).
pub fn draw_band_edges<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, TimeCoord>,
    theme: &Theme,
    band: &Band,
    color: RGBColor,
) -> Result<()> {
    for edge in [&band.p05, &band.p95] {
        chart
            .draw_series(LineSeries::new(
                crate::charts::data::finite_points(&band.day, edge),
                edge_style(theme, color),
            ))
            .map_err(plot_err)?;
    }
    chart
        .draw_series(LineSeries::new(band.median_points(), theme.line(color)))
        .map_err(plot_err)?;
    Ok(())
}

/// A dashed horizontal reference line across the panel; with `label`, labelled just above the
/// line at `at` (0 = left end, 1 = right end of the x axis) on a light background.
pub fn draw_threshold<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, TimeCoord>,
    theme: &Theme,
    y: f64,
    color: RGBColor,
    label: Option<(&str, f64)>,
) -> Result<()> {
    let x = chart.x_range();
    chart
        .draw_series(DashedLineSeries::new(
            vec![(x.start, y), (x.end, y)],
            theme.upx(9.0),
            theme.upx(6.0),
            color.stroke_width(theme.upx(2.0)),
        ))
        .map_err(plot_err)?;
    let Some((label, at)) = label else {
        return Ok(());
    };
    let label_x = x.start + at * (x.end - x.start);
    let style = theme.annotation(&color).pos(Pos::new(HPos::Left, VPos::Bottom));
    let (tw, th) = chart
        .plotting_area()
        .estimate_text_size(label, &style)
        .map_err(plot_err)?;
    let (tw, th) = (tw as i32, th as i32);
    let pad = theme.px(3.0);
    let label_elem = EmptyElement::at((label_x, y))
        + Rectangle::new([(pad, -th - 2 * pad), (tw + 3 * pad, -pad)], WHITE.mix(0.8).filled())
        + Text::new(label.to_owned(), (2 * pad, -pad - 1), style);
    chart.draw_series(std::iter::once(label_elem)).map_err(plot_err)?;
    Ok(())
}

/// Short tags for reference lines, in the right margin of `panel` (the area the chart was built
/// on) next to each line's end, nudged apart so close lines keep readable tags.
pub fn tag_thresholds<DB: DrawingBackend>(
    panel: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, TimeCoord>,
    theme: &Theme,
    tags: &[(f64, &str, RGBColor)],
) -> Result<()> {
    let (base_x, base_y) = panel.get_base_pixel();
    let x_end = chart.x_range().end;
    let mut placed: Vec<(i32, i32, &str, RGBColor)> = tags
        .iter()
        .map(|&(y, tag, color)| {
            let (px, py) = chart.backend_coord(&(x_end, y));
            (px - base_x + theme.px(6.0), py - base_y, tag, color)
        })
        .collect();
    // Bottom-most first; each next tag at least one line height above the previous one.
    placed.sort_by_key(|p| std::cmp::Reverse(p.1));
    let line_h = theme.px(15.0);
    for i in 1..placed.len() {
        placed[i].1 = placed[i].1.min(placed[i - 1].1 - line_h);
    }
    for (x, y, tag, color) in placed {
        let style = theme.annotation(&color).pos(Pos::new(HPos::Left, VPos::Center));
        panel.draw_text(tag, &style, (x, y)).map_err(plot_err)?;
    }
    Ok(())
}

/// A little headroom above the largest value, and a visible axis when everything is zero.
pub fn nice_upper(max: f64) -> f64 {
    if !max.is_finite() || max <= 0.0 {
        1.0
    } else {
        max * 1.08
    }
}

/// Compact tick and value labels: "0", "0.25", "12.5", "2,100", "12,000", "1.2M" (thousands
/// separated from 1,000, so one axis never shows "8000" beside "10,000").
pub fn fmt_num(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    let a = v.abs();
    if a >= 1e6 {
        return format!("{}M", trim_zeros(format!("{:.2}", v / 1e6)));
    }
    let text = if a >= 100.0 {
        // Half away from zero, as the report's tables round (`format!("{:.0}")` rounds a tie to
        // even: a median of 4,946.5 was "4,946" on a bar and "4,947" in the table).
        format!("{}", v.round())
    } else if a >= 10.0 {
        format!("{v:.1}")
    } else if a >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    };
    let text = trim_zeros(text);
    if a >= 1_000.0 {
        thousands(&text)
    } else if text == "-0" {
        "0".into()
    } else {
        text
    }
}

fn trim_zeros(text: String) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        text
    }
}

fn thousands(int_text: &str) -> String {
    let (sign, digits) = int_text.strip_prefix('-').map_or(("", int_text), |d| ("-", d));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    format!("{sign}{out}")
}

/// Perceptually uniform colour scale (viridis, sampled at 9 stops) for `t` in 0..=1.
pub fn viridis(t: f64) -> RGBColor {
    const STOPS: [(u8, u8, u8); 9] = [
        (68, 1, 84),
        (71, 44, 122),
        (59, 81, 139),
        (44, 113, 142),
        (33, 144, 141),
        (39, 173, 129),
        (92, 200, 99),
        (170, 220, 50),
        (253, 231, 37),
    ];
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let pos = t * (STOPS.len() - 1) as f64;
    let i = (pos.floor() as usize).min(STOPS.len() - 2);
    let f = pos - i as f64;
    let mix = |a: u8, b: u8| (f64::from(a) + f * (f64::from(b) - f64::from(a))).round() as u8;
    let (a, b) = (STOPS[i], STOPS[i + 1]);
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// The project's mesh look: tick and axis-label fonts, a faint major grid, no minor grid, grey axes.
pub fn house_mesh<'m, 'c, 'b, X: Ranged, Y: Ranged, DB: DrawingBackend>(
    mesh: &'m mut MeshStyle<'c, 'b, X, Y, DB>,
    theme: &Theme,
) -> &'m mut MeshStyle<'c, 'b, X, Y, DB> {
    mesh.label_style(theme.tick())
        .axis_desc_style(theme.axis_label())
        .bold_line_style(BLACK.mix(0.10))
        .light_line_style(TRANSPARENT)
        .axis_style(BLACK.mix(0.6))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_compact() {
        assert_eq!(fmt_num(0.0), "0");
        assert_eq!(fmt_num(0.25), "0.25");
        assert_eq!(fmt_num(2100.0), "2,100");
        assert_eq!(fmt_num(8000.0), "8,000");
        assert_eq!(fmt_num(12000.0), "12,000");
        assert_eq!(fmt_num(-12345.0), "-12,345");
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(25_200_000.0), "25.2M");
        assert_eq!(fmt_num(4946.5), "4,947");
        assert_eq!(fmt_num(-4946.5), "-4,947");
        assert_eq!(fmt_num(100.5), "101");
    }

    #[test]
    fn time_ticks_are_whole_days_and_dates_are_iso() {
        let days = TimeAxis { start: None };
        assert_eq!(
            days.ticks(0.0, 19.0, 100.0),
            vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]
        );
        // A narrow panel gets fewer labels: every fifth day where only four fit, and never more
        // labels than fit when the span is a multiple of the step.
        assert_eq!(days.ticks(0.0, 19.0, 4.5), vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!(days.ticks(0.0, 20.0, 4.5), vec![0.0, 10.0, 20.0]);
        assert_eq!(days.ticks(0.0, 100.0, 5.0), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
        assert_eq!(days.ticks(0.0, 100.0, 4.9), vec![0.0, 50.0, 100.0]);
        assert_eq!(days.label(3.0), "3");
        let dates = TimeAxis {
            start: Some(Date::parse("2020-10-06").unwrap()),
        };
        assert_eq!(dates.ticks(0.0, 90.0, 100.0).len(), 7);
        // Half a chart's width for 181 days: at most four dates, four weeks apart or more.
        let narrow = dates.ticks(0.0, 181.0, 4.9);
        assert!(
            narrow.len() <= 4 && narrow.windows(2).all(|w| w[1] - w[0] >= 28.0),
            "{narrow:?}"
        );
        assert_eq!(dates.label(26.0), "2020-11-01");
    }

    #[test]
    fn titles_name_scenario_seed_and_replicates() {
        let info = TitleInfo {
            subject: "farabougou_2020".into(),
            seed: Some(42),
            replicates: 50,
            replicates_qualifier: String::new(),
        };
        assert_eq!(
            info.title("deaths by cause"),
            "farabougou_2020 — deaths by cause (seed 42, 50 replicates)"
        );
        let one = TitleInfo {
            seed: None,
            replicates: 1,
            ..info
        };
        assert_eq!(one.title("x"), "farabougou_2020 — x (1 replicate)");
    }
}
