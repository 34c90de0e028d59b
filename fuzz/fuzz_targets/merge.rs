//! Merge inputs: two real shards of a small sweep (made once by the `siege` binary, `SIEGE_BIN` or
//! `../target/release/siege`), one of whose `sweep.csv` / `sweep.json` is replaced by the input
//! (the first byte picks which). A merge must never panic, and when it accepts the parts it must
//! write exactly the rows of the untouched shards (anything else is a forged or damaged part
//! merged).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

struct Shards {
    a: PathBuf,
    b: PathBuf,
    merged: Vec<u8>,
    work: PathBuf,
}

fn shards() -> &'static Shards {
    static SHARDS: OnceLock<Shards> = OnceLock::new();
    SHARDS.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("siege-fuzz-merge-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("s.toml"),
            "[simulation]\nname = \"m\"\ndays = 5\nseed = 2\nreplicates = 2\n[population]\nsize = 60\n",
        )
        .unwrap();
        let bin = std::env::var("SIEGE_BIN").unwrap_or_else(|_| "../target/release/siege".into());
        let bin = std::fs::canonicalize(bin).expect("build siege first (cargo build --release) or set SIEGE_BIN");
        for (out, shard) in [("a", "0/2"), ("b", "1/2")] {
            let ok = std::process::Command::new(&bin)
                .current_dir(&dir)
                .args([
                    "sweep",
                    "s.toml",
                    "--vary",
                    "population.size=50,60,70",
                    "--no-charts",
                    "--force",
                ])
                .args(["--out", out, "--shard", shard])
                .status()
                .unwrap()
                .success();
            assert!(ok, "the shards could not be made");
        }
        let merged = dir.join("merged");
        let _ = std::fs::remove_dir_all(&merged);
        siege::experiment::sweep::merge(&[dir.join("a"), dir.join("b")], &merged, false).unwrap();
        Shards {
            a: dir.join("a"),
            b: dir.join("b"),
            merged: std::fs::read(merged.join("sweep.csv")).unwrap(),
            work: dir.join("work"),
        }
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, bytes)) = data.split_first() else {
        return;
    };
    let s = shards();
    let _ = std::fs::remove_dir_all(&s.work);
    let (wa, wb) = (s.work.join("a"), s.work.join("b"));
    copy_dir(&s.a, &wa);
    copy_dir(&s.b, &wb);
    let file = match which % 4 {
        0 => wa.join("sweep.csv"),
        1 => wb.join("sweep.csv"),
        2 => wa.join("sweep.json"),
        _ => wb.join("sweep.json"),
    };
    std::fs::write(&file, bytes).unwrap();
    let out = s.work.join("m");
    if siege::experiment::sweep::merge(&[wa, wb], &out, false).is_ok() {
        let got = std::fs::read(out.join("sweep.csv")).unwrap();
        assert!(got == s.merged, "a replaced {} merged into other rows", file.display());
    }
});
