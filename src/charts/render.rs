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
    // The bitmap encoder picks the format from the extension, so the temporary name ends in .png.
    // Created exclusively under an unguessable name first, so the encoder writes our own file.
    let (tmp, _) = crate::output::create_temp(path, ".png")?;
    let drawn = (|| -> Result<()> {
        let root = BitMapBackend::new(&tmp, (opts.width, opts.height)).into_drawing_area();
        chart.draw(&root)?;
        root.present().map_err(plot_err)?;
        Ok(())
    })();
    let result = drawn.and_then(|()| std::fs::rename(&tmp, path).map_err(anyhow::Error::from));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}
