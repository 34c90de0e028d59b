//! The input files a result was made from, stored inside it: the one layout of every command
//! that writes a result directory (docs/outputs.md, "Stored inputs").
//!
//! Each file a command read (the scenario file and every base it `extends`, an experiment,
//! optimise or facts file, compare's files) is copied byte for byte into `DIR/inputs/`, under its
//! own file name (`_2`, `_3`, … before the extension when two different files share a name), and
//! listed in the result's JSON as `inputs`: the path as given (`path`), the SHA-256 of the content
//! (`sha256`) and where the copy lies in the directory (`stored`). A result is then identified by
//! what produced it, readable from the directory alone, wherever it is moved.

use anyhow::{Context, Result, bail};
use serde::{Deserialize, Serialize};
use std::path::Path;

/// The directory, inside a result directory, that holds the stored inputs.
pub const DIR: &str = "inputs";

/// A file a command read: its path as given and its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Input {
    pub path: String,
    pub text: String,
}

impl Input {
    pub fn new(path: &Path, text: &str) -> Input {
        Input {
            path: path.display().to_string(),
            text: text.to_string(),
        }
    }
}

/// One entry of a result JSON's `inputs`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path the command read, as given (relative to the directory it ran in).
    pub path: String,
    /// SHA-256 of the file's bytes, 64 lowercase hex digits.
    pub sha256: String,
    /// The stored copy, relative to the result directory (`inputs/NAME`).
    pub stored: String,
}

/// The `inputs` entries of `inputs`, in the order read, each (path, content) once; a function of
/// the inputs alone, so that the same files read give the same entries in every process.
pub fn record(inputs: &[Input]) -> Vec<InputFile> {
    entries(inputs).into_iter().map(|(f, _)| f).collect()
}

/// [`record`]'s entries, each with the text it was made from, so that [`write`] stores the text
/// without hashing every input again to find it.
fn entries(inputs: &[Input]) -> Vec<(InputFile, &str)> {
    let mut out: Vec<(InputFile, &str)> = Vec::new();
    for i in inputs {
        let sha256 = crate::observe::files::sha256_hex(i.text.as_bytes());
        if out.iter().any(|(f, _)| f.path == i.path && f.sha256 == sha256) {
            continue;
        }
        // The same content under another path shares its copy.
        let stored = match out.iter().find(|(f, _)| f.sha256 == sha256) {
            Some((f, _)) => f.stored.clone(),
            None => free_name(&i.path, out.iter().map(|(f, _)| f)),
        };
        out.push((
            InputFile {
                path: i.path.clone(),
                sha256,
                stored,
            },
            &i.text,
        ));
    }
    out
}

/// `inputs/NAME` for the file `path`, with `_2`, `_3`, … when an earlier entry holds that name.
fn free_name<'a>(path: &str, taken: impl Iterator<Item = &'a InputFile> + Clone) -> String {
    let p = Path::new(path);
    let name = p
        .file_name()
        .map_or_else(|| "input".to_string(), |n| n.to_string_lossy().into_owned());
    let (stem, ext) = match name.rsplit_once('.') {
        Some((s, e)) if !s.is_empty() => (s.to_string(), format!(".{e}")),
        _ => (name.clone(), String::new()),
    };
    (1..)
        .map(|k| match k {
            1 => format!("{DIR}/{name}"),
            k => format!("{DIR}/{stem}_{k}{ext}"),
        })
        .find(|s| taken.clone().all(|f| &f.stored != s))
        .expect("a free name")
}

/// Writes the stored copies of `inputs` into `DIR/inputs/` and returns their entries. Refuses an
/// `inputs` that is a symlink or a file, so that nothing is written outside `dir`; a directory
/// already there (a user's, or an earlier result's under `--force`) loses nothing but the copies
/// of the same names.
pub fn write(dir: &Path, inputs: &[Input]) -> Result<Vec<InputFile>> {
    let files = entries(inputs);
    let into = dir.join(DIR);
    let exists = match std::fs::symlink_metadata(&into) {
        Ok(m) if m.is_dir() => true,
        Ok(_) => bail!(
            "{} exists and is not a directory (a symlink?); refusing to write the stored inputs through it",
            into.display()
        ),
        Err(_) => false,
    };
    if files.is_empty() {
        return Ok(Vec::new());
    }
    if !exists {
        std::fs::create_dir(&into).with_context(|| format!("cannot create {}", into.display()))?;
    }
    for (k, (f, text)) in files.iter().enumerate() {
        // An entry sharing an earlier one's copy (the same content by another path) has it written.
        if files[..k].iter().all(|(g, _)| g.stored != f.stored) {
            super::write_atomic(&dir.join(&f.stored), text.as_bytes())?;
        }
    }
    Ok(files.into_iter().map(|(f, _)| f).collect())
}

/// The stored text of `f` in the result directory `dir`; an error when it is missing or was
/// edited since (its content no longer has the recorded SHA-256).
pub fn stored_text(dir: &Path, f: &InputFile) -> Result<String, String> {
    if !f.stored.starts_with(&format!("{DIR}/")) || f.stored.contains("..") {
        return Err(format!("`{}` is not a stored input's name", f.stored));
    }
    let path = dir.join(&f.stored);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    if crate::observe::files::sha256_hex(&bytes) != f.sha256 {
        return Err(format!(
            "{} was edited since the result was written (its SHA-256 is not the recorded one)",
            path.display()
        ));
    }
    String::from_utf8(bytes).map_err(|_| format!("{}: not UTF-8 text", path.display()))
}

/// The stored inputs of `dir` as [`Input`]s, to carry them into another result (a merge, a
/// resumed sweep).
pub fn read_all(dir: &Path, files: &[InputFile]) -> Result<Vec<Input>> {
    files
        .iter()
        .map(|f| {
            Ok(Input {
                path: f.path.clone(),
                text: stored_text(dir, f).map_err(anyhow::Error::msg)?,
            })
        })
        .collect()
}

/// How the file at an input's recorded path reads now, compared with the stored copy.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Now {
    /// The same bytes.
    Same,
    /// Different bytes.
    Differs,
    /// Cannot be read (moved, deleted, or a relative path read from another directory).
    Missing,
}

/// Compares the file at `f.path` (read from the current directory) with the recorded digest.
pub fn now(f: &InputFile) -> Now {
    match std::fs::read(&f.path) {
        Ok(bytes) if crate::observe::files::sha256_hex(&bytes) == f.sha256 => Now::Same,
        Ok(_) => Now::Differs,
        Err(_) => Now::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(path: &str, text: &str) -> Input {
        Input {
            path: path.into(),
            text: text.into(),
        }
    }

    #[test]
    fn names_are_the_files_own_and_kept_apart_when_they_clash() {
        let files = record(&[
            input("a/s.toml", "one"),
            input("b/s.toml", "two"),
            input("./a/s.toml", "one"),
            input("a/s.toml", "one"),
            input("base", "three"),
        ]);
        let stored: Vec<&str> = files.iter().map(|f| f.stored.as_str()).collect();
        assert_eq!(
            stored,
            ["inputs/s.toml", "inputs/s_2.toml", "inputs/s.toml", "inputs/base"]
        );
        assert_eq!(files[0].sha256, crate::observe::files::sha256_hex(b"one"));
    }

    #[test]
    fn each_copy_holds_its_own_text_and_write_lists_what_record_does() {
        let dir = std::env::temp_dir().join(format!("siege-inputs-copies-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let inputs = [
            input("a/s.toml", "one"),
            input("b/s.toml", "two"),
            input("c/t.toml", "one"),
        ];
        let files = write(&dir, &inputs).unwrap();
        assert_eq!(files, record(&inputs));
        assert_eq!(files[2].stored, "inputs/s.toml", "the same content shares its copy");
        for (f, want) in files.iter().zip(["one", "two", "one"]) {
            assert_eq!(stored_text(&dir, f).unwrap(), want, "{}", f.stored);
        }
        let mut names: Vec<_> = std::fs::read_dir(dir.join(DIR))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["s.toml", "s_2.toml"]);
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_stored_copy_reads_back_and_an_edited_one_is_refused() {
        let dir = std::env::temp_dir().join(format!("siege-inputs-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let files = write(&dir, &[input("x/s.toml", "[simulation]\nname = \"s\"\n")]).unwrap();
        assert_eq!(stored_text(&dir, &files[0]).unwrap(), "[simulation]\nname = \"s\"\n");
        std::fs::write(dir.join("inputs/s.toml"), "edited").unwrap();
        assert!(stored_text(&dir, &files[0]).unwrap_err().contains("edited since"));
        let bad = InputFile {
            stored: "inputs/../../etc/passwd".into(),
            ..files[0].clone()
        };
        assert!(stored_text(&dir, &bad).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
