//! Result directories written safely: every file goes to a temporary name in the same directory
//! and is renamed when complete, so a file that exists is whole; a directory that already holds
//! results is not overwritten unless the user says `--force`.

use crate::observe::Summary;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files whose presence marks a directory as holding results.
pub const RESULT_FILES: &[&str] = &[
    "run.json",
    "timeseries.csv",
    "summary.csv",
    "sweep.json",
    "sweep.csv",
    "sweep_summary.csv",
    "compare.json",
    "compare.csv",
    "check.csv",
];

/// Makes sure `dir` can receive new results: creates it, or refuses if it already holds results
/// (unless `force`).
pub fn prepare_dir(dir: &Path, force: bool) -> Result<()> {
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a directory", dir.display());
        }
        let existing: Vec<&str> = RESULT_FILES.iter().copied().filter(|f| dir.join(f).exists()).collect();
        if !existing.is_empty() && !force {
            bail!(
                "{} already holds results ({}); refusing to overwrite them. Use --force to replace them, or --out to choose another directory",
                dir.display(),
                existing.join(", ")
            );
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the output directory {}", dir.display()))
}

/// Writes `bytes` to `path` through a temporary file in the same directory, then renames it.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = temp_name(path);
    let result = (|| -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

fn temp_name(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.partial-{}", std::process::id()))
}

/// Serialises rows to CSV bytes (header from the struct's field names).
pub fn csv_bytes<'a, T: Serialize + 'a>(rows: impl IntoIterator<Item = &'a T>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in rows {
        w.serialize(r)?;
    }
    csv_finish(w)
}

/// The bytes of a finished in-memory CSV writer.
pub fn csv_finish(w: csv::Writer<Vec<u8>>) -> Result<Vec<u8>> {
    w.into_inner().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Formats an optional number for a CSV cell (empty when absent; shortest round-trip otherwise).
pub fn cell(v: Option<f64>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// `summary.csv`: `replicate`, `seed`, then the summary columns.
pub fn summary_csv(summaries: &[Summary]) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    if let Some(first) = summaries.first() {
        let mut header = vec!["replicate".to_string(), "seed".to_string()];
        header.extend(first.columns.iter().cloned());
        w.write_record(&header)?;
    }
    for s in summaries {
        let mut row = vec![s.replicate.to_string(), s.seed.to_string()];
        row.extend(s.values.iter().map(|v| cell(*v)));
        w.write_record(&row)?;
    }
    csv_finish(w)
}
