//! Experiment files: a sweep written down so it can be shipped and rerun (`[experiment]`: the
//! result's name, the scenario file, replicates, `vary` and `set`). Parsed here, in the library,
//! so that the command and the fuzz targets read them the same way.

use anyhow::{Result, bail};
use std::path::{Path, PathBuf};

/// `[experiment]` in an experiment file.
#[derive(serde::Deserialize, Debug)]
#[serde(deny_unknown_fields)]
struct ExperimentFile {
    experiment: Experiment,
}

/// The `[experiment]` table.
#[derive(serde::Deserialize, Clone, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Experiment {
    /// Name of the result directory `output/<name>/`: a plain name, never a path.
    pub name: String,
    /// Scenario file, relative to the experiment file.
    pub scenario: PathBuf,
    #[serde(default)]
    pub replicates: Option<u32>,
    /// `KEY=SPEC`, as `--vary`.
    pub vary: Vec<String>,
    /// `KEY=VALUE`, as `--set`.
    #[serde(default)]
    pub set: Vec<String>,
}

/// Reads `text` (the contents of `path`) as an experiment file. `Ok(None)` when it is not one
/// (not TOML, or no `[experiment]` table): the scenario loader then reports it properly.
pub fn parse(path: &Path, text: &str) -> Result<Option<Experiment>> {
    let table: toml::Table = match text.parse() {
        Ok(t) => t,
        Err(_) => return Ok(None),
    };
    if !table.contains_key("experiment") {
        return Ok(None);
    }
    let file: ExperimentFile = toml::from_str(text).map_err(|e| {
        anyhow::anyhow!(
            "{}: {}",
            path.display(),
            crate::scenario::printable(&crate::scenario::shorten(e.message(), 400))
        )
    })?;
    let e = file.experiment;
    if !crate::scenario::is_plain_name(&e.name) {
        bail!(
            "{}: experiment.name: expected {}, got {:?}",
            path.display(),
            crate::scenario::PLAIN_NAME_RULE,
            e.name.chars().take(80).collect::<String>()
        );
    }
    Ok(Some(e))
}
