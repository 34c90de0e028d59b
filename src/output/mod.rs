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

pub mod inputs;

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
    "optimise.json",
    "optimise.csv",
    "sensitivity.json",
    "sensitivity.csv",
    "samples.csv",
];

/// Directories whose presence marks a directory as holding results (`compare`'s runs, charts).
const RESULT_DIRS: &[&str] = &["scenarios", "charts"];

/// Every name siege itself writes in a result directory: what a `--force` replaces. Anything
/// else (a user's notes) is kept.
const WRITTEN: &[&str] = &[
    "locations.csv",
    "market.csv",
    "wealth.csv",
    "parameters.csv",
    "sweep.csv.partial",
    "sweep.partial.json",
    "optimise_runs.csv",
    "optimise_vs_nothing.csv",
    inputs::DIR,
    LOCK_FILE,
];

/// The results `dir` already holds (files and directories siege writes).
fn existing_results(dir: &Path) -> Vec<&'static str> {
    RESULT_FILES
        .iter()
        .copied()
        .filter(|f| dir.join(f).exists())
        .chain(RESULT_DIRS.iter().copied().filter(|d| dir.join(d).is_dir()))
        .collect()
}

/// Makes sure `dir` can receive new results: creates it, or refuses if it already holds results
/// (unless `force`).
pub fn prepare_dir(dir: &Path, force: bool) -> Result<()> {
    check_out_dir(dir)?;
    if dir.exists() {
        if !dir.is_dir() {
            bail!("{} exists and is not a directory", dir.display());
        }
        let existing = existing_results(dir);
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

/// Where a command writes a result that may replace an earlier one. When `target` holds no
/// results, that is `target` itself (each file appears whole, the marker file last). When it does
/// (`--force`), a fresh directory beside it, swapped in as a whole by [`Staging::commit`]: a
/// failure before then leaves the old result complete, and nothing of the old result (charts
/// included) survives the swap. Files siege did not write are carried over.
#[derive(Debug)]
pub struct Staging {
    target: PathBuf,
    dir: PathBuf,
    swap: bool,
    _lock: Option<DirLock>,
}

/// Starts writing a result into `target` (locked by the caller with [`lock_dir`]); refuses a
/// directory that holds results unless `force`.
pub fn stage(target: &Path, force: bool) -> Result<Staging> {
    prepare_dir(target, force)?;
    if existing_results(target).is_empty() {
        return Ok(Staging {
            target: target.to_path_buf(),
            dir: target.to_path_buf(),
            swap: false,
            _lock: None,
        });
    }
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    for _ in 0..16 {
        let dir = target.with_file_name(format!(".{name}.new-{:016x}", random_token()));
        match std::fs::create_dir(&dir) {
            Ok(()) => {
                let lock = lock_file(&dir.join(LOCK_FILE), &dir)?;
                return Ok(Staging {
                    target: target.to_path_buf(),
                    dir,
                    swap: true,
                    _lock: Some(lock),
                });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create a directory beside {}", target.display())),
        }
    }
    bail!("cannot create a temporary directory beside {}", target.display())
}

impl Staging {
    /// The directory to write the result into.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Puts the new result in place of the old one as a whole. Returns the lock of the directory
    /// now in place (after a swap the caller's lock is on the old, removed one): keep it until
    /// the command ends.
    pub fn commit(mut self) -> Result<Option<DirLock>> {
        if !self.swap {
            return Ok(None);
        }
        let fail = |e: std::io::Error, what: &str| {
            anyhow::Error::from(e).context(format!(
                "cannot {what} (the old result in {} is kept)",
                self.target.display()
            ))
        };
        // The user's own files move into the new result; undone if one cannot move.
        let mut moved: Vec<std::ffi::OsString> = Vec::new();
        let entries = std::fs::read_dir(&self.target).map_err(|e| fail(e, "list the old result"))?;
        for e in entries.flatten() {
            let n = e.file_name();
            let s = n.to_string_lossy();
            let ours = RESULT_FILES.contains(&s.as_ref())
                || RESULT_DIRS.contains(&s.as_ref())
                || WRITTEN.contains(&s.as_ref())
                || (s.starts_with('.') && s.contains(".partial-"));
            if ours {
                continue;
            }
            if let Err(err) = std::fs::rename(self.target.join(&n), self.dir.join(&n)) {
                for m in &moved {
                    let _ = std::fs::rename(self.dir.join(m), self.target.join(m));
                }
                return Err(fail(err, &format!("keep {}", self.target.join(&n).display())));
            }
            moved.push(n);
        }
        let name = self
            .target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let old = self
            .target
            .with_file_name(format!(".{name}.old-{:016x}", random_token()));
        if let Err(e) = std::fs::rename(&self.target, &old) {
            for m in &moved {
                let _ = std::fs::rename(self.dir.join(m), self.target.join(m));
            }
            return Err(fail(e, "move the old result aside"));
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.target) {
            let _ = std::fs::rename(&old, &self.target);
            return Err(fail(e, "put the new result in place"));
        }
        self.swap = false;
        let _ = std::fs::remove_dir_all(&old);
        Ok(self._lock.take())
    }
}

impl Drop for Staging {
    /// A result never committed is removed: the old one stays as it was.
    fn drop(&mut self) {
        if self.swap {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory, then renames it.
/// The temporary file has an unguessable name and is created exclusively ([`create_temp`]), so a
/// planted file or symlink of that name is never written through.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let (tmp, mut f) = create_temp(path, "").with_context(|| format!("cannot write {}", path.display()))?;
    let result = f
        .write_all(bytes)
        .and_then(|()| f.sync_all())
        .and_then(|()| std::fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}

/// A random 64-bit token for temporary names: from the standard library's randomly keyed hasher
/// (seeded from the operating system), never from a simulation stream.
fn random_token() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u32(std::process::id());
    if let Ok(t) = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH) {
        h.write_u128(t.as_nanos());
    }
    h.finish()
}

/// Creates a new temporary file beside `path` (`.<name>.partial-<random><suffix>`), exclusively
/// (`create_new`: an existing file or symlink of that name is an error, never followed), and
/// returns its name and the open file. `suffix` keeps an extension a writer needs (`.png`).
pub fn create_temp(path: &Path, suffix: &str) -> std::io::Result<(PathBuf, std::fs::File)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut last = None;
    for _ in 0..16 {
        let tmp = path.with_file_name(format!(".{name}.partial-{:016x}{suffix}", random_token()));
        match std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// The name of the lock file in a result directory.
pub const LOCK_FILE: &str = ".siege.lock";

/// An exclusive lock on a result directory, held until dropped (and released by the operating
/// system if the process dies). The lock file stays: removing it would let two processes hold
/// locks on two different files of the same name.
#[derive(Debug)]
pub struct DirLock {
    _file: std::fs::File,
    /// The directory, when this lock created it: removed again on release if the command left
    /// nothing in it but the lock (a refused merge leaves no empty result directory behind).
    created: Option<PathBuf>,
}

impl Drop for DirLock {
    fn drop(&mut self) {
        let Some(dir) = &self.created else { return };
        let only_the_lock = std::fs::read_dir(dir)
            .map(|entries| entries.filter_map(|e| e.ok()).all(|e| e.file_name() == LOCK_FILE))
            .unwrap_or(false);
        if only_the_lock {
            let _ = std::fs::remove_file(dir.join(LOCK_FILE));
            let _ = std::fs::remove_dir(dir);
        }
    }
}

/// Creates `dir` if needed and takes the exclusive lock `<dir>/.siege.lock` for the whole
/// command; fails at once, naming the other process, when another siege holds it.
pub fn lock_dir(dir: &Path) -> Result<DirLock> {
    check_out_dir(dir)?;
    if dir.exists() && !dir.is_dir() {
        bail!("{} exists and is not a directory", dir.display());
    }
    let created = (!dir.exists()).then(|| dir.to_path_buf());
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create the output directory {}", dir.display()))?;
    let mut lock = lock_file(&dir.join(LOCK_FILE), dir)?;
    lock.created = created;
    Ok(lock)
}

fn lock_file(path: &Path, dir: &Path) -> Result<DirLock> {
    if std::fs::symlink_metadata(path).is_ok_and(|m| !m.is_file()) {
        bail!(
            "{} is not a regular file (a symlink?); refusing to use {} as an output directory",
            path.display(),
            dir.display()
        );
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(path)
        .with_context(|| format!("cannot create the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let holder = std::fs::read_to_string(path).unwrap_or_default();
            let holder = holder.trim();
            bail!(
                "another siege process{} is writing into {}; wait for it to finish or choose another --out",
                if holder.is_empty() {
                    String::new()
                } else {
                    format!(" ({holder})")
                },
                dir.display()
            );
        }
        Err(std::fs::TryLockError::Error(e)) => {
            return Err(e).with_context(|| format!("cannot lock {}", path.display()));
        }
    }
    let _ = file.set_len(0);
    let _ = writeln!(file, "process {}", std::process::id());
    Ok(DirLock {
        _file: file,
        created: None,
    })
}

/// Refuses output directories that are a filesystem root (`--out /`): results never replace or
/// mix with a whole filesystem.
pub fn check_out_dir(dir: &Path) -> Result<()> {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let canonical = std::fs::canonicalize(&absolute).unwrap_or(absolute);
    if canonical.parent().is_none() || dir.as_os_str().is_empty() {
        bail!(
            "--out {}: refusing to write results into a filesystem root; choose a directory of its own",
            dir.display()
        );
    }
    Ok(())
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
/// and `overrides` are recorded in run.json as given; `read`, the files the command read, are
/// stored in `inputs/` ([`inputs`]).
pub fn write_run(
    out: &Path,
    s: &Scenario,
    scenario_file: &Path,
    overrides: &[(String, String)],
    results: &[ReplicateResult],
    read: &[inputs::Input],
) -> Result<()> {
    let days = csv_bytes(results.iter().flat_map(|r| r.days.iter()))?;
    let locations = csv_bytes(results.iter().flat_map(|r| r.locations.iter()))?;
    let summaries: Vec<_> = results.iter().map(|r| r.summary.clone()).collect();
    write_atomic(&out.join("timeseries.csv"), &days)?;
    write_atomic(&out.join("locations.csv"), &locations)?;
    write_atomic(&out.join("summary.csv"), &summary_csv(&summaries)?)?;
    if s.market().enabled {
        let markets = csv_bytes(results.iter().flat_map(|r| r.markets.iter()))?;
        let wealth = csv_bytes(results.iter().flat_map(|r| r.wealth.iter()))?;
        write_atomic(&out.join("market.csv"), &markets)?;
        write_atomic(&out.join("wealth.csv"), &wealth)?;
    }
    if !s.uncertain().is_empty() {
        let rows = results.iter().flat_map(|r| {
            let replicate = r.summary.replicate;
            let drawn = crate::experiment::uncertain::drawn(s, replicate);
            s.uncertain()
                .iter()
                .zip(drawn)
                .map(move |(u, value)| crate::observe::files::ParameterRow {
                    replicate,
                    seed: r.summary.seed,
                    key: u.key.clone(),
                    value,
                })
                .collect::<Vec<_>>()
        });
        let rows: Vec<_> = rows.collect();
        write_atomic(&out.join("parameters.csv"), &csv_bytes(&rows)?)?;
    }
    let meta = RunFile {
        inputs: inputs::write(out, read)?,
        ..RunFile::new(s, scenario_file, overrides)
    };
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
