//! Chart tests on result directories written by the `siege` binary itself (a run, a run without
//! start date or airdrops, a sweep over two keys and over one, a comparison of three files), so
//! the charts are always tested against the files siege writes today.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use siege::charts::compare::{CompareChart, CompareChartJob, CompareData};
use siege::charts::data::RunData;
use siege::charts::render::{Chart, render_svg};
use siege::charts::run::{RunChart, RunChartJob};
use siege::charts::sweep::{SweepChartJob, SweepData};
use siege::charts::{ChartOptions, ImageFormat, plot_dir, register_font};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A scenario with neither a start date nor airdrops.
const NO_RELIEF: &str = r#"
[simulation]
name = "no_relief"
days = 20
seed = 7
replicates = 3

[population]
size = 600

[[locations]]
id = "village"
kind = "besieged"

[[locations]]
id = "town"
kind = "town"

[[routes]]
id = "road"
from = "village"
to = "town"
distance_km = 18
"#;

/// Runs `siege ARGS --no-charts --out DIR/NAME` from the project root.
fn siege(dir: &Path, name: &str, args: &[&str]) {
    let out = dir.join(name);
    let o = Command::cargo_bin("siege")
        .unwrap()
        .current_dir(root())
        .args(args)
        .arg("--no-charts")
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "siege {} failed:\n{}",
        args.join(" "),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// The result directories, written once per test process.
fn fixtures() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let farabougou = root().join("scenarios/farabougou_2020.toml");
        let quick = ["--seed", "42", "--replicates", "4"];
        let with = |args: &[&'static str]| [args, &quick[..]].concat();
        siege(d, "run", &with(&["run", "scenarios/farabougou_2020.toml"]));
        std::fs::write(d.join("no_relief.toml"), NO_RELIEF).unwrap();
        let no_relief = d.join("no_relief.toml");
        siege(d, "run_no_airdrops", &["run", no_relief.to_str().unwrap()]);
        siege(
            d,
            "sweep",
            &with(&[
                "sweep",
                "scenarios/farabougou_2020.toml",
                "--vary",
                "airdrop_plan.first_day=4,8,12",
                "--vary",
                "airdrops.0.distribution=equal,scramble",
            ]),
        );
        siege(
            d,
            "sweep_one_key",
            &with(&[
                "sweep",
                "scenarios/farabougou_2020.toml",
                "--vary",
                "airdrop_plan.first_day=4..12:4",
            ]),
        );
        // Three files named as the comparison shows them, each the Farabougou scenario with a change.
        let variant = |name: &str, change: &str| {
            let path = d.join(format!("{name}.toml"));
            let text = format!(
                "extends = {:?}\n{change}\n[simulation]\nname = \"{name}\"\n",
                farabougou.display().to_string()
            );
            std::fs::write(&path, text).unwrap();
            path.display().to_string()
        };
        let files = [
            variant("baseline", ""),
            variant("airdrop_day8", "[airdrop_plan]\nfirst_day = 8"),
            variant("airdrop_day4_x3", "[airdrop_plan]\nfirst_day = 4"),
        ];
        let mut args = vec!["compare"];
        args.extend(files.iter().map(String::as_str));
        args.extend(quick);
        siege(d, "compare", &args);
        dir
    })
    .path()
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join(name)
}

/// A scratch copy of a fixture, so each test's charts/ is its own.
fn fixture_copy(name: &str) -> tempfile::TempDir {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixture(name), dir.path());
    dir
}

fn svg_of(chart: &impl Chart) -> String {
    register_font();
    render_svg(chart, 1200, 750).unwrap()
}

fn assert_has(svg: &str, needles: &[&str]) {
    for needle in needles {
        assert!(svg.contains(needle), "the SVG lacks {needle:?}");
    }
}

fn file_names(paths: &[PathBuf]) -> Vec<String> {
    paths
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn run_charts_render_in_memory_with_titles_and_axis_labels() {
    let data = RunData::load(&fixture("run")).unwrap();
    let title = siege::charts::run::title_info(&data.meta);
    let expected: [(RunChart, &[&str]); 6] = [
        (
            RunChart::Population,
            &["population by status", "people", "in transit", "kidnapped"],
        ),
        (
            RunChart::Food,
            &[
                "food stock and intake",
                "days of need",
                "kcal/person/day",
                "need: 2,100 kcal",
            ],
        ),
        (
            RunChart::Deaths,
            &[
                "deaths by cause",
                "deaths since day 0 (people)",
                "starvation",
                "violence",
            ],
        ),
        (
            RunChart::DeathRates,
            &[
                "death rates",
                "deaths/10,000/day",
                "2: IPC phase 5 (famine)",
                "IPC 3",
                "under-5 death rate",
            ],
        ),
        (RunChart::Nutrition, &["malnutrition", "% of the group", "under-5 GAM"]),
        (
            RunChart::Airdrops,
            &["airdrops", "energy (million kcal/day)", "captured by besiegers"],
        ),
    ];
    for (chart, needles) in expected {
        let svg = svg_of(&RunChartJob {
            chart,
            data: &data,
            title: &title,
        });
        let what = needles[0];
        assert_has(
            &svg,
            &[
                &format!("farabougou_2020 — {what} (seed 42, 4 replicates)"),
                "date",
                "2020-10-06",
            ],
        );
        assert_has(&svg, needles);
        // Every chart shows bands or areas, drawn as polygons.
        assert!(
            svg.contains("<polygon") || chart == RunChart::Airdrops,
            "{chart:?} has no band"
        );
    }
}

#[test]
fn a_run_without_start_date_or_airdrops_uses_days_and_says_so() {
    let data = RunData::load(&fixture("run_no_airdrops")).unwrap();
    assert!(data.start_date.is_none());
    let title = siege::charts::run::title_info(&data.meta);
    let svg = svg_of(&RunChartJob {
        chart: RunChart::Airdrops,
        data: &data,
        title: &title,
    });
    assert_has(
        &svg,
        &[
            "no airdrops in this run",
            ">\nday\n",
            "no_relief — airdrops (seed 7, 3 replicates)",
        ],
    );
    assert!(!svg.contains("2020-"));
}

#[test]
fn sweep_charts_render_lines_per_other_key_and_heat_maps() {
    let data = SweepData::load(&fixture("sweep")).unwrap();
    assert_eq!(data.keys, ["airdrop_plan.first_day", "airdrops.0.distribution"]);
    assert_eq!(
        data.categories[1],
        Some(vec!["equal".to_string(), "scramble".to_string()])
    );
    assert_eq!(data.outcomes.len(), 9);
    let title = siege::charts::sweep::title_info(&data.meta);
    let line = svg_of(&SweepChartJob {
        outcome: "deaths_total",
        heatmap: false,
        data: &data,
        title: &title,
    });
    assert_has(
        &line,
        &[
            "farabougou_2020 — deaths, all causes by first_day (seed 42, 4 replicates per point)",
            "airdrop_plan.first_day",
            "deaths, all causes (people)",
            "airdrops.0.distribution",
            "scramble",
            "mean, 95% CI",
        ],
    );
    let heat = svg_of(&SweepChartJob {
        outcome: "peak_cdr_per_10k",
        heatmap: true,
        data: &data,
        title: &title,
    });
    assert_has(
        &heat,
        &[
            "mean peak crude death rate",
            "airdrop_plan.first_day",
            "airdrops.0.distribution",
            "mean (deaths/10,000/day)",
        ],
    );
}

#[test]
fn one_key_sweep_has_median_band_and_ci() {
    let data = SweepData::load(&fixture("sweep_one_key")).unwrap();
    let title = siege::charts::sweep::title_info(&data.meta);
    let svg = svg_of(&SweepChartJob {
        outcome: "airdrop_usable_kcal",
        heatmap: false,
        data: &data,
        title: &title,
    });
    assert_has(
        &svg,
        &[
            "airdropped energy reaching households (kcal)",
            "median, 5–95% band",
            "<polygon",
        ],
    );
}

#[test]
fn compare_charts_overlay_scenarios_with_a_legend() {
    let data = CompareData::load(&fixture("compare")).unwrap();
    let title = siege::charts::compare::title_info(&data.meta);
    for chart in CompareChart::ALL {
        let svg = svg_of(&CompareChartJob {
            chart,
            data: &data,
            title: &title,
        });
        assert_has(&svg, &["comparison of 3 scenarios", "(seed 42, 4 replicates each)"]);
        assert_has(&svg, &["baseline", "airdrop_day8", "airdrop_day4_x3"]);
    }
    let intake = svg_of(&CompareChartJob {
        chart: CompareChart::Intake,
        data: &data,
        title: &title,
    });
    assert_has(
        &intake,
        &["mean energy intake", "kcal/person/day", "date", "need: 2,100 kcal"],
    );
    let totals = svg_of(&CompareChartJob {
        chart: CompareChart::DeathsTotal,
        data: &data,
        title: &title,
    });
    assert_has(
        &totals,
        &["total deaths", "deaths over the horizon, all causes (people)"],
    );
}

fn run_expected() -> Vec<String> {
    ["airdrops", "death_rates", "deaths", "food", "nutrition", "population"]
        .map(|s| format!("{s}.png"))
        .to_vec()
}

#[test]
fn plot_dir_writes_the_same_file_set_twice_for_each_kind() {
    let sweep_files = |heat: bool| {
        let mut names: Vec<String> = siege::observe::OUTCOMES
            .iter()
            .map(|o| o.name)
            .flat_map(|o| {
                let mut v = vec![format!("sweep_{o}.png")];
                if heat {
                    v.push(format!("sweep_heatmap_{o}.png"));
                }
                v
            })
            .collect();
        names.sort();
        names
    };
    let cases: [(&str, Vec<String>); 5] = [
        ("run", run_expected()),
        ("run_no_airdrops", run_expected()),
        ("sweep", sweep_files(true)),
        ("sweep_one_key", sweep_files(false)),
        (
            "compare",
            [
                "compare_deaths",
                "compare_deaths_total",
                "compare_intake",
                "compare_present",
            ]
            .map(|s| format!("{s}.png"))
            .to_vec(),
        ),
    ];
    for (name, expected) in cases {
        let dir = fixture_copy(name);
        let first = plot_dir(dir.path(), &ChartOptions::default()).unwrap();
        assert_eq!(file_names(&first), expected, "{name}");
        assert!(first.iter().all(|p| p.parent() == Some(&dir.path().join("charts"))));
        let second = plot_dir(dir.path(), &ChartOptions::default()).unwrap();
        assert_eq!(first, second, "{name}");
        // Nothing else (no temporary files) is left in charts/.
        let mut on_disk: Vec<String> = std::fs::read_dir(dir.path().join("charts"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        assert_eq!(on_disk, expected, "{name}");
    }
}

#[test]
fn plot_dir_on_a_directory_without_results_names_it_and_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let error = format!("{:#}", plot_dir(dir.path(), &ChartOptions::default()).unwrap_err());
    assert!(error.contains(&dir.path().display().to_string()), "{error}");
    for file in ["timeseries.csv", "run.json", "sweep_summary.csv", "compare.json"] {
        assert!(error.contains(file), "{error}");
    }
    assert!(!dir.path().join("charts").exists());
    let missing = dir.path().join("missing");
    let error = format!("{:#}", plot_dir(&missing, &ChartOptions::default()).unwrap_err());
    assert!(error.contains("missing"), "{error}");
}

#[test]
fn plot_dir_reports_a_broken_file_with_its_path() {
    let dir = fixture_copy("run");
    std::fs::write(dir.path().join("timeseries.csv"), "replicate,day\n0,0\n").unwrap();
    let error = format!("{:#}", plot_dir(dir.path(), &ChartOptions::default()).unwrap_err());
    assert!(
        error.contains("timeseries.csv") && error.contains("missing field `seed`"),
        "{error}"
    );
}

#[test]
fn png_is_a_valid_image_of_the_configured_size() {
    let dir = fixture_copy("run");
    let opts = ChartOptions {
        format: ImageFormat::Png,
        width: 900,
        height: 560,
    };
    let written = plot_dir(dir.path(), &opts).unwrap();
    for path in &written {
        let bytes = std::fs::read(path).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{}", path.display());
        assert_eq!(&bytes[12..16], b"IHDR");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        let height = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
        assert_eq!((width, height), (900, 560), "{}", path.display());
    }
}

#[test]
fn both_formats_write_png_and_svg_from_the_same_drawing() {
    let dir = fixture_copy("compare");
    let opts = ChartOptions {
        format: ImageFormat::Both,
        ..ChartOptions::default()
    };
    let names = file_names(&plot_dir(dir.path(), &opts).unwrap());
    assert_eq!(names.len(), 8);
    assert!(names.contains(&"compare_deaths.png".to_owned()) && names.contains(&"compare_deaths.svg".to_owned()));
    let svg = std::fs::read_to_string(dir.path().join("charts/compare_deaths.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("cumulative deaths, all causes"));
}

#[test]
fn register_font_is_idempotent() {
    register_font();
    register_font();
}
