//! Result directories written safely: every file goes to a temporary name in the same directory
//! and is renamed when complete, so a file that exists is whole; a directory that already holds
//! results is not overwritten unless the user says `--force`.

use crate::experiment::ReplicateResult;
use crate::observe::Summary;
use crate::observe::files::{NamedRow, RunFile};
use crate::scenario::Scenario;
use anyhow::{Context, Result, bail};
use serde::Serialize;
use serde::de::DeserializeOwned;
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

/// A JSON result file's bytes: pretty-printed with two-space indents, keys in alphabetical order
/// at every level, and a final newline.
pub fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    // Through a `Value`, whose maps are sorted: the order of a type's fields never changes a file.
    let value = serde_json::to_value(value)?;
    Ok(format!("{value:#}\n").into_bytes())
}

/// Reads a JSON result file into its type (`observe::files`), naming the file in errors.
pub fn read_json<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// CSV bytes of rows whose columns the rows name: the header `header`, which every row's column
/// names must equal (a row that differs is a bug, reported as an error, not a shifted column),
/// then the rows.
pub fn named_rows_bytes<'a, R: NamedRow + 'a>(
    header: &[String],
    rows: impl IntoIterator<Item = &'a R>,
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    write_named_rows(&mut w, header, rows)?;
    csv_finish(w)
}

/// As [`named_rows_bytes`] without the header line: rows to append to a file that has it.
pub fn named_rows_append_bytes<'a, R: NamedRow + 'a>(
    header: &[String],
    rows: impl IntoIterator<Item = &'a R>,
) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    write_named_rows(&mut w, header, rows)?;
    csv_finish(w)
}

fn write_named_rows<'a, R: NamedRow + 'a>(
    w: &mut csv::Writer<Vec<u8>>,
    header: &[String],
    rows: impl IntoIterator<Item = &'a R>,
) -> Result<()> {
    for row in rows {
        let cells = row.cells();
        if cells.len() != header.len() || cells.iter().zip(header).any(|((name, _), h)| name != h) {
            bail!(
                "internal error: a row's columns ({}) differ from the file's ({})",
                cells.iter().map(|(n, _)| n.as_ref()).collect::<Vec<_>>().join(","),
                header.join(",")
            );
        }
        w.write_record(cells.iter().map(|(_, v)| v))?;
    }
    Ok(())
}

/// The column names of a row.
pub fn column_names(row: &impl NamedRow) -> Vec<String> {
    row.cells().into_iter().map(|(n, _)| n.into_owned()).collect()
}

/// `summary.csv`: `replicate`, `seed`, then the summary columns ([`Summary::cells`]); nothing when
/// there are no summaries.
pub fn summary_csv(summaries: &[Summary]) -> Result<Vec<u8>> {
    let Some(first) = summaries.first() else {
        return Ok(Vec::new());
    };
    named_rows_bytes(&column_names(first), summaries)
}

/// Writes a run's files into `out` (which must exist): `timeseries.csv`, `locations.csv`,
/// `summary.csv`, and `run.json` last, whose presence says the others are complete. `scenario_file`
/// and `overrides` are recorded in run.json as given.
pub fn write_run(
    out: &Path,
    s: &Scenario,
    scenario_file: &Path,
    overrides: &[(String, String)],
    results: &[ReplicateResult],
) -> Result<()> {
    let days = csv_bytes(results.iter().flat_map(|r| r.days.iter()))?;
    let locations = csv_bytes(results.iter().flat_map(|r| r.locations.iter()))?;
    let summaries: Vec<_> = results.iter().map(|r| r.summary.clone()).collect();
    write_atomic(&out.join("timeseries.csv"), &days)?;
    write_atomic(&out.join("locations.csv"), &locations)?;
    write_atomic(&out.join("summary.csv"), &summary_csv(&summaries)?)?;
    let meta = RunFile::new(s, scenario_file, overrides);
    write_atomic(&out.join("run.json"), &json_bytes(&meta)?)
}

/// Reads a CSV result file whose rows name their columns ([`NamedRow`]): its header, and each
/// row through `read`, whose error is reported with the file and line.
pub fn read_named_rows<R>(
    path: &Path,
    read: impl Fn(&[String], &csv::StringRecord) -> std::result::Result<R, String>,
) -> Result<(Vec<String>, Vec<R>)> {
    let mut r = csv::Reader::from_path(path).with_context(|| format!("cannot read {}", path.display()))?;
    let header: Vec<String> = r
        .headers()
        .with_context(|| format!("cannot read the header of {}", path.display()))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut rows = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.with_context(|| format!("{} is damaged", path.display()))?;
        let row = read(&header, &rec).map_err(|e| anyhow::anyhow!("{}:{}: {e}", path.display(), i + 2))?;
        rows.push(row);
    }
    Ok((header, rows))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_rows_refuse_a_row_whose_columns_differ_from_the_header() {
        let two = Summary {
            displaced_to: vec![("town".into(), 3)],
            ..Summary::default()
        };
        let header = column_names(&two);
        let bytes = named_rows_bytes(&header, [&two]).unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.starts_with("replicate,seed,deaths_total,"), "{text}");
        assert!(text.contains(",displaced_to_town,"), "{text}");
        let other = Summary {
            displaced_to: vec![("village".into(), 3)],
            ..Summary::default()
        };
        let e = named_rows_bytes(&header, [&two, &other]).unwrap_err().to_string();
        assert!(e.contains("displaced_to_village"), "{e}");
        let appended = named_rows_append_bytes(&header, [&two]).unwrap();
        assert_eq!(
            appended,
            text.lines().nth(1).unwrap().bytes().chain(*b"\n").collect::<Vec<_>>()
        );
    }
}
