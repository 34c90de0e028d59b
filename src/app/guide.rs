//! `siege init` (a commented starter scenario) and `siege help TOPIC` (the documentation, printed
//! from the binary so that it matches the program that prints it).

use anyhow::{Result, bail};
use siege::output;
use std::path::Path;

/// The starter scenarios, by kind: (kind, what it is, text).
pub const STARTERS: [(&str, &str, &str); 3] = [
    (
        "village",
        "a rural village of 3,000 encircled for 60 days, one airdrop",
        include_str!("starters/village.toml"),
    ),
    (
        "town",
        "a town of 10,000 encircled for 120 days, a C-130 a week from day 30",
        include_str!("starters/town.toml"),
    ),
    (
        "city",
        "a city of 200,000 on card rations from a store, cut after two months",
        include_str!("starters/city.toml"),
    ),
];

/// The documents `siege help` prints, by topic: (topic, what it is, text).
pub const TOPICS: [(&str, &str, &str); 3] = [
    (
        "scenario",
        "every scenario key: default, unit, range and source (docs/scenario.md)",
        include_str!("../../docs/scenario.md"),
    ),
    (
        "outputs",
        "every output file and column (docs/outputs.md)",
        include_str!("../../docs/outputs.md"),
    ),
    (
        "model",
        "the model's equations and their sources (docs/MODEL.md)",
        include_str!("../../docs/MODEL.md"),
    ),
];

/// `siege init`: writes the starter scenario of `kind` to `file`; an existing file is replaced
/// only with `force`. Returns what to tell the user.
pub fn init(kind: &str, file: &Path, force: bool) -> Result<String> {
    let Some((_, what, text)) = STARTERS.iter().find(|(k, _, _)| *k == kind) else {
        bail!("no starter of kind {kind:?}: {}", list(&STARTERS));
    };
    if file.exists() && !force {
        bail!("{} exists; pass --force to replace it", file.display());
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty())
        && !dir.is_dir()
    {
        bail!("{}: no such directory", dir.display());
    }
    output::write_atomic(file, text.as_bytes())?;
    let f = file.display();
    Ok(format!(
        "wrote {f}: {what}\nnext: siege validate {f}  then  siege run {f}  (every key: siege help scenario)"
    ))
}

/// The document of `topic`, or None when it is not one (a command's help is clap's).
pub fn topic(topic: &str) -> Option<&'static str> {
    TOPICS.iter().find(|(t, _, _)| *t == topic).map(|(_, _, text)| *text)
}

/// "village (…), town (…)".
pub fn list(items: &[(&str, &str, &str)]) -> String {
    items
        .iter()
        .map(|(k, what, _)| format!("{k} ({what})"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_starter_is_a_valid_scenario() {
        for (kind, _, text) in STARTERS {
            let s = siege::scenario::parse(&format!("{kind}.toml"), text, &[]);
            assert!(s.is_ok(), "{kind}: {:?}", s.err());
        }
    }

    #[test]
    fn init_refuses_to_replace_a_file_without_force() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("s.toml");
        init("town", &f, false).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), STARTERS[1].2);
        std::fs::write(&f, "mine").unwrap();
        let e = init("village", &f, false).unwrap_err().to_string();
        assert!(e.contains("--force"), "{e}");
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "mine");
        init("village", &f, true).unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), STARTERS[0].2);
        let e = init("hamlet", &f, true).unwrap_err().to_string();
        assert!(e.contains("village") && e.contains("city"), "{e}");
    }
}
