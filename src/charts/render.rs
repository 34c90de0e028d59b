//! Rendering a chart to PNG or SVG with the same drawing code, and writing files safely.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use plotters::coord::Shift;
use plotters::prelude::*;

use crate::charts::style::plot_err;
use crate::charts::{ChartOptions, ImageFormat};

/// One chart: its file name and its drawing code, generic over the backend.
pub trait Chart {
    /// File name without extension, lowercase snake_case (e.g. "deaths").
    fn file_stem(&self) -> String;
    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<()>;
}

/// Renders the chart to an SVG string (used by the tests and for SVG files).
pub fn render_svg(chart: &impl Chart, width: u32, height: u32) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(plot_err)?;
    }
    Ok(svg)
}

/// Writes the chart into `dir` in the requested format(s); returns the written paths.
pub fn write_chart(dir: &Path, chart: &impl Chart, opts: &ChartOptions) -> Result<Vec<PathBuf>> {
    let stem = chart.file_stem();
    let mut written = Vec::new();
    if matches!(opts.format, ImageFormat::Png | ImageFormat::Both) {
        let path = dir.join(format!("{stem}.png"));
        write_png(&path, chart, opts).with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
    }
    if matches!(opts.format, ImageFormat::Svg | ImageFormat::Both) {
        let path = dir.join(format!("{stem}.svg"));
        let svg = render_svg(chart, opts.width, opts.height).with_context(|| format!("drawing {}", path.display()))?;
        crate::output::write_atomic(&path, svg.as_bytes())?;
        written.push(path);
    }
    Ok(written)
}

fn write_png(path: &Path, chart: &impl Chart, opts: &ChartOptions) -> Result<()> {
    let svg = render_svg(chart, opts.width, opts.height)?;
    let png = svg_to_png(&svg, opts.width, opts.height)?;
    // Written under an unguessable temporary name created exclusively, then renamed.
    crate::output::write_atomic(path, &png)
}

/// Rasterises an SVG drawn by [`render_svg`] to PNG bytes with resvg, with the embedded DejaVu
/// Sans as the only font (so the PNG shows exactly the SVG, on any machine, fonts installed or not).
pub fn svg_to_png(svg: &str, width: u32, height: u32) -> Result<Vec<u8>> {
    use resvg::{tiny_skia, usvg};
    static FONTS: std::sync::OnceLock<std::sync::Arc<usvg::fontdb::Database>> = std::sync::OnceLock::new();
    let fonts = FONTS.get_or_init(|| {
        let mut fonts = usvg::fontdb::Database::new();
        fonts.load_font_data(dejavu::sans::regular().to_vec());
        fonts.load_font_data(dejavu::sans::bold().to_vec());
        fonts.set_sans_serif_family("DejaVu Sans");
        std::sync::Arc::new(fonts)
    });
    let mut options = usvg::Options {
        fontdb: fonts.clone(),
        ..usvg::Options::default()
    };
    options.font_family = "DejaVu Sans".into();
    let tree = usvg::Tree::from_str(svg, &options).context("reading the chart's SVG")?;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).context("allocating the picture")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap.encode_png().context("encoding the PNG")
}
