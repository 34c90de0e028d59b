//! Chart tests on result directories written by the `siege` binary itself (a run, a run without
//! start date or airdrops, a sweep over two keys and over one, a comparison of three files), so
//! the charts are always tested against the files siege writes today.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use siege::charts::compare::{CompareChart, CompareChartJob, CompareData};
use siege::charts::data::{MarkerKind, RunData};
use siege::charts::render::{Chart, render_svg};
use siege::charts::run::{RunChart, RunChartJob};
use siege::charts::sweep::{MeanCi, SweepChartJob, SweepData};
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

/// Facts about Farabougou that the model meets (one of them the day of a peak, which the chart
/// counts but does not draw, and one a calibration target, counted apart), and one it cannot score
/// (an input).
const FACTS: &str = "id,day,date,window,quantity,metric,value,kind,tolerance,source
fled7,7,2020-10-13,,people who had fled,cum_displaced,2000,outcome,500-2900,test
kid16,16,2020-10-22,,people kidnapped,n_kidnapped,30+,calibration,>=5,test
peak,29,2020-11-04,30,the peak of deaths,peak_day:cdr30_per_10k,any day,outcome,0-29,test
drop13,13,2020-10-19,,airdrop 1,airdrop_landed_kcal,1.7t,input,,test
";

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
        // A check whose facts the model meets (one fact outside would make siege exit non-zero).
        std::fs::write(d.join("facts.csv"), FACTS).unwrap();
        let facts = d.join("facts.csv");
        let mut args = vec![
            "check",
            "scenarios/farabougou_2020.toml",
            "--facts",
            facts.to_str().unwrap(),
        ];
        args.extend(quick);
        siege(d, "check", &args);
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

/// The deaths chart of a run, as SVG text.
fn deaths_svg(data: &RunData) -> String {
    svg_of(&RunChartJob {
        chart: RunChart::Deaths,
        data,
        title: &siege::charts::run::title_info(&data.meta),
    })
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
            &["airdrops", "food (tonnes/day)", "captured by besiegers"],
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
    assert_eq!(data.outcomes.len(), siege::observe::OUTCOMES.len());
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
            "farabougou_2020, varying first day (airdrop plan) × distribution (airdrop 1) — deaths, all causes \
             (seed 42, 4 replicates per point)",
            "first day (airdrop plan)",
            "deaths, all causes (people)",
            "distribution (airdrop 1)",
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
            "first day (airdrop plan)",
            "distribution (airdrop 1)",
            "mean (deaths/10,000/day)",
        ],
    );
    // Raw key paths appear nowhere (they are in sweep.json).
    assert!(!line.contains("airdrop_plan.first_day") && !heat.contains("airdrops.0.distribution"));
    // Several series: their 5–95 % are thin lines, not translucent fills that mix.
    assert!(!line.contains("<polygon"), "overlapping fills");
}

#[test]
fn heat_maps_start_at_zero_and_say_when_cells_do_not_differ() {
    let mut data = SweepData::load(&fixture("sweep")).unwrap();
    let title = siege::charts::sweep::title_info(&data.meta);
    // Every cell the same: one neutral colour and a note, not a stretched scale.
    for p in &mut data.points {
        for m in p.means.values_mut() {
            *m = MeanCi {
                mean: 23.1,
                lo: 22.0,
                hi: 24.2,
            };
        }
    }
    let heat = |data: &SweepData| {
        svg_of(&SweepChartJob {
            outcome: "peak_cdr_per_10k",
            heatmap: true,
            data,
            title: &title,
        })
    };
    let flat = heat(&data);
    assert_has(&flat, &["every cell has the same mean, 23.1"]);
    assert!(
        !flat.contains("fill=\"#FDE725\""),
        "a flat map is not drawn bright yellow"
    );
    // Cells 23.1 and 23.2 with CIs of ±1.1: within the noise, one colour, and said so.
    data.points[0].means.get_mut("peak_cdr_per_10k").unwrap().mean = 23.2;
    assert_has(&heat(&data), &["within the noise (95% CIs up to ±1.1)"]);
    // Cells that do differ: a colour scale from zero with distinct ticks.
    data.points[0].means.get_mut("peak_cdr_per_10k").unwrap().mean = 40.0;
    let varied = heat(&data);
    assert!(!varied.contains("within the noise"));
    for tick in [">\n0\n<", ">\n20\n<", ">\n40\n<"] {
        assert!(varied.contains(tick), "colour bar lacks tick {tick:?}");
    }
}

#[test]
fn key_paths_read_as_words() {
    use siege::charts::sweep::key_label;
    assert_eq!(key_label("airdrop_plan.first_day"), "first day (airdrop plan)");
    assert_eq!(key_label("airdrops.0.distribution"), "distribution (airdrop 1)");
    assert_eq!(key_label("seed"), "seed");
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
    [
        "airdrops",
        "death_rates",
        "deaths",
        "food",
        "infections",
        "map",
        "nutrition",
        "population",
    ]
    .map(|s| format!("{s}.png"))
    .to_vec()
}

#[test]
fn plot_dir_writes_the_same_file_set_twice_for_each_kind() {
    let sweep_files = |heat: bool| {
        // The airdrop energy is the same at every point of these sweeps (they move the drops, not
        // their size): a constant outcome gets no chart.
        let mut names: Vec<String> = siege::observe::OUTCOMES
            .iter()
            .map(|o| o.name)
            .filter(|o| *o != "airdrop_usable_kcal")
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
    let mut check_expected = run_expected();
    check_expected.push("check_facts.png".into());
    check_expected.sort();
    let cases: [(&str, Vec<String>); 6] = [
        ("run", run_expected()),
        ("check", check_expected),
        ("run_no_airdrops", run_expected()),
        ("sweep", sweep_files(true)),
        ("sweep_one_key", sweep_files(false)),
        (
            "compare",
            [
                "compare_deaths",
                "compare_deaths_total",
                "compare_intake",
                "compare_intake_home",
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
    assert_eq!(names.len(), 10);
    assert!(names.contains(&"compare_deaths.png".to_owned()) && names.contains(&"compare_deaths.svg".to_owned()));
    let svg = std::fs::read_to_string(dir.path().join("charts/compare_deaths.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("cumulative deaths, all causes"));
}

#[test]
fn register_font_is_idempotent() {
    register_font();
    register_font();
}

#[test]
fn run_charts_mark_the_scenarios_events() {
    let data = RunData::load(&fixture("run")).unwrap();
    let days: Vec<(u32, MarkerKind)> = data.markers.iter().map(|m| (m.day, m.kind)).collect();
    // Farabougou: siege on day 3, drops on 13, 14 and 16, liberation on 16, route events.
    for expected in [
        (3, MarkerKind::SiegeStart),
        (13, MarkerKind::Airdrop),
        (14, MarkerKind::Airdrop),
        (16, MarkerKind::Airdrop),
        (16, MarkerKind::SiegeEnd),
        (12, MarkerKind::Route),
    ] {
        assert!(days.contains(&expected), "{expected:?} not in {days:?}");
    }
    let title = siege::charts::run::title_info(&data.meta);
    for chart in RunChart::ALL {
        let svg = svg_of(&RunChartJob {
            chart,
            data: &data,
            title: &title,
        });
        assert_has(
            &svg,
            &[
                "events (dashed lines)",
                "siege begins",
                "liberation",
                "1.7 t",
                "diabaly_road closed",
            ],
        );
    }
    // A run without events has no events legend.
    let none = RunData::load(&fixture("run_no_airdrops")).unwrap();
    let svg = svg_of(&RunChartJob {
        chart: RunChart::Deaths,
        data: &none,
        title: &siege::charts::run::title_info(&none.meta),
    });
    assert!(!svg.contains("airdrop (tonnes dropped)"));
}

#[test]
fn an_event_whose_day_is_uncertain_is_drawn_as_its_range() {
    // Farabougou's liberation (events.10, day 16) drawn per replicate from day 14 to 42.
    let dir = fixture_copy("run");
    let path = dir.path().join("run.json");
    let mut run: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(run["scenario"]["events"][10]["kind"], "liberation");
    run["scenario"]["uncertain"] =
        serde_json::json!([{ "key": "events.10.day", "distribution": "uniform", "low": 14.0, "high": 42.0 }]);
    std::fs::write(&path, run.to_string()).unwrap();
    let data = RunData::load(dir.path()).unwrap();
    let liberation: Vec<_> = data.markers.iter().filter(|m| m.kind == MarkerKind::SiegeEnd).collect();
    assert_eq!(liberation.len(), 1, "{liberation:?}");
    let m = liberation[0];
    assert_eq!((m.day, m.until, m.uncertain), (14, 42, true));
    assert_eq!(m.label, "liberation (uncertain, day 14–42)");
    let svg = deaths_svg(&data);
    assert_has(
        &svg,
        &[
            "liberation (uncertain, day 14–42)",
            "events (dashed lines; shaded: day uncertain)",
        ],
    );
    // The run as written still marks its liberation on its day, as a line.
    let known = RunData::load(&fixture("run")).unwrap();
    assert!(known.markers.iter().any(|m| m.kind == MarkerKind::SiegeEnd
        && (m.day, m.until, m.uncertain, m.label.as_str()) == (16, 16, false, "liberation")));
}

/// A drop whose day `[[uncertain]]` draws is shaded over the days it can fall on, as an event's
/// uncertain day is, not a tick on the file's day; the other drops keep their ticks.
#[test]
fn an_airdrop_whose_day_is_uncertain_is_drawn_as_its_range() {
    let dir = fixture_copy("run");
    let path = dir.path().join("run.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let drawn = |key: &str, low: f64, high: f64| {
        let mut run: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Farabougou's three Y-12 drops, on days 13, 14 and 16.
        assert_eq!(run["scenario"]["airdrops"][0]["day"], 13);
        run["scenario"]["uncertain"] =
            serde_json::json!([{ "key": key, "distribution": "uniform", "low": low, "high": high }]);
        std::fs::write(&path, run.to_string()).unwrap();
        let data = RunData::load(dir.path()).unwrap();
        let drops: Vec<(u32, u32, bool, String)> = data
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::Airdrop)
            .map(|m| (m.day, m.until, m.uncertain, m.label.clone()))
            .collect();
        (data, drops)
    };
    let tick = |day| (day, day, false, "1.7 t".to_string());
    let range = |a, b| (a, b, true, format!("1.7 t (uncertain, day {a}–{b})"));
    let (data, drops) = drawn("airdrops.0.day", 10.0, 20.0);
    assert_eq!(drops, [range(10, 20), tick(14), tick(16)]);
    let svg = deaths_svg(&data);
    assert_has(
        &svg,
        &[
            "1.7 t (uncertain, day 10–20)",
            "events (dashed lines; shaded: day uncertain)",
        ],
    );
    // The [i] spelling is the same key.
    assert_eq!(drawn("airdrops[0].day", 10.0, 20.0).1, drops);
    // The first day of the plan moves every drop, keeping their spacing.
    assert_eq!(
        drawn("airdrop_plan.first_day", 4.0, 10.0).1,
        [range(4, 10), range(5, 11), range(7, 13)]
    );
}

#[test]
fn death_rates_far_above_the_thresholds_use_a_log_scale() {
    let mut data = RunData::load(&fixture("run")).unwrap();
    let title = siege::charts::run::title_info(&data.meta);
    let draw = |data: &RunData| {
        svg_of(&RunChartJob {
            chart: RunChart::DeathRates,
            data,
            title: &title,
        })
    };
    for r in &mut data.rows {
        r.cdr_per_10k = 0.3;
        r.u5dr_per_10k = 0.3;
    }
    assert!(!draw(&data).contains("log scale"));
    for r in &mut data.rows {
        r.cdr_per_10k = 30.0;
    }
    let svg = draw(&data);
    assert_has(
        &svg,
        &[
            "crude death rate (CDR), all ages — log scale, values below 0.05 drawn at it",
            ">\n0.5\n<",
            ">\n20\n<",
        ],
    );
    // The under-5 panel stays linear: its values are below the famine line.
    assert!(!svg.contains("under-5 death rate (U5DR) — log scale"));
}

#[test]
fn the_population_stack_adds_up_to_the_population() {
    let data = RunData::load(&fixture("run")).unwrap();
    let total = |r: &siege::charts::data::TimeseriesRow| {
        (r.n_present + r.n_in_transit + r.n_displaced + r.n_kidnapped + r.n_dead) as f64
    };
    let population = data.rows.iter().map(total).fold(0.0, f64::max);
    let title = siege::charts::run::title_info(&data.meta);
    let svg = svg_of(&RunChartJob {
        chart: RunChart::Population,
        data: &data,
        title: &title,
    });
    assert_has(
        &svg,
        &["mean of 4 replicates for each status, stacked (the means add up to the population)"],
    );
    // Every day's stacked means equal the population (a median stack need not).
    for (day, sum) in data.mean_by_day(total) {
        assert!((sum - population).abs() < 1e-6, "day {day}: {sum} vs {population}");
    }
}

#[test]
fn identical_scenarios_are_named_not_hidden() {
    let mut data = CompareData::load(&fixture("compare")).unwrap();
    let mut twin = data.scenarios[0].clone();
    twin.name = "baseline_twin".into();
    data.scenarios.push(twin);
    let title = siege::charts::compare::title_info(&data.meta);
    let svg = svg_of(&CompareChartJob {
        chart: CompareChart::Deaths,
        data: &data,
        title: &title,
    });
    assert_has(
        &svg,
        &[
            "baseline_twin (same lines as baseline)",
            "the same median and 5–95% lines (the runs may still differ elsewhere), drawn on top of each other: baseline_twin = baseline",
        ],
    );
    assert!(!svg.contains("<polygon"), "overlapping fills");
    // The totals legend shows each scenario's bar colour.
    let totals = svg_of(&CompareChartJob {
        chart: CompareChart::DeathsTotal,
        data: &data,
        title: &title,
    });
    assert_has(&totals, &["median (bar)", "baseline_twin"]);
}

#[test]
fn check_charts_show_the_facts_with_their_tolerances() {
    let dir = fixture("check");
    let data = RunData::load(&dir).unwrap();
    let facts = siege::charts::check::load(&dir, &data).unwrap();
    // Scored facts only (outcomes and calibrations), by metric; the input fact is not drawn, nor
    // the peak's day, which is counted all the same.
    let metrics: Vec<&str> = facts.groups.iter().map(|g| g.metric.as_str()).collect();
    assert_eq!(metrics, ["cum_displaced", "n_kidnapped"]);
    assert!(
        facts
            .groups
            .iter()
            .all(|g| g.facts.iter().all(|f| f.within == Some(true)))
    );
    assert_eq!(facts.undrawn, [("peak".to_string(), Some(true), false)]);
    let calibrations: Vec<(&str, bool)> = facts
        .groups
        .iter()
        .flat_map(|g| g.facts.iter().map(|f| (f.id.as_str(), f.calibration)))
        .collect();
    assert_eq!(calibrations, [("fled7", false), ("kid16", true)]);
    let title = siege::charts::run::title_info(&data.meta);
    let svg = svg_of(&siege::charts::check::CheckChartJob {
        data: &data,
        facts: &facts,
        title: &title,
    });
    assert_has(
        &svg,
        &[
            "model against the documented facts",
            "2 of 2 outcome facts within tolerance",
            "1 of 1 calibration target (fitted, not tests)",
            "not drawn (a peak&apos;s day or a share of deaths): peak",
            "cum displaced",
            "fled7",
            "kid16 (calibration)",
            "documented: tolerance",
            "siege begins",
        ],
    );
}

#[test]
fn png_text_is_the_svg_rasterised() {
    // The PNG comes from the SVG (resvg), not from a second drawing path: a chart's PNG and SVG
    // written together have the same size, and the PNG is not blank.
    let dir = fixture_copy("run");
    let opts = ChartOptions {
        format: ImageFormat::Both,
        width: 600,
        height: 400,
    };
    plot_dir(dir.path(), &opts).unwrap();
    let svg = std::fs::read_to_string(dir.path().join("charts/deaths.svg")).unwrap();
    let png = siege::charts::render::svg_to_png(&svg, 600, 400).unwrap();
    assert_eq!(png, std::fs::read(dir.path().join("charts/deaths.png")).unwrap());
    assert!(png.len() > 10_000, "a 600×400 chart in {} bytes is blank", png.len());
}

#[test]
fn the_infections_chart_is_drawn_only_where_some_replicate_fell_ill() {
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("no_relief.toml");
    std::fs::write(&file, NO_RELIEF).unwrap();
    siege(
        d.path(),
        "off",
        &["run", file.to_str().unwrap(), "--set", "disease.enabled=false"],
    );
    let off = RunData::load(&d.path().join("off")).unwrap();
    assert!(!RunChart::Infections.applies(&off), "no episodes without [disease]");
    let on = RunData::load(&fixture("run")).unwrap();
    assert!(RunChart::Infections.applies(&on), "Farabougou has malaria in October");
    let svg = svg_of(&RunChartJob {
        chart: RunChart::Infections,
        data: &on,
        title: &siege::charts::run::title_info(&on.meta),
    });
    assert_has(&svg, &["infections: new episodes a day", "malaria", "diarrhoea"]);
}

/// Compare charts mark each plan's own relief (what not every scenario shares) in its colour along
/// the foot of the plot, named in a legend: a reader sees when each plan's food came.
#[test]
fn compare_charts_mark_each_plans_own_relief_in_its_colour() {
    let mut data = CompareData::load(&fixture("compare")).unwrap();
    // The three plans drop on different days (13/14/16, 8/9/11, 4/5/7): every drop is a plan's own.
    let own = data.own_relief();
    let days: Vec<(usize, Vec<u32>)> = own
        .iter()
        .map(|(i, m)| (*i, m.iter().map(|m| m.day).collect()))
        .collect();
    assert_eq!(
        days,
        vec![(0, vec![13, 14, 16]), (1, vec![8, 9, 11]), (2, vec![4, 5, 7])]
    );
    // A convoy of one plan is marked too, named as a convoy.
    data.scenarios[1].run.markers.push(siege::charts::data::Marker {
        day: 20,
        kind: MarkerKind::Convoy,
        label: "36 t".into(),
        until: 20,
        uncertain: false,
    });
    let title = siege::charts::compare::title_info(&data.meta);
    let svg = svg_of(&CompareChartJob {
        chart: CompareChart::Intake,
        data: &data,
        title: &title,
    });
    assert_has(
        &svg,
        &[
            "relief of each plan (marks at the foot)",
            "baseline: airdrops",
            "airdrop_day8: airdrops",
            "airdrop_day8: convoys arrive",
            "airdrop_day4_x3: airdrops",
        ],
    );
    assert!(!svg.contains("baseline: convoys"), "baseline has no convoy");
    // Relief that every scenario shares stays one dashed event line, not a plan's mark.
    let mut same = CompareData::load(&fixture("compare")).unwrap();
    let first = same.scenarios[0].run.markers.clone();
    for s in &mut same.scenarios {
        s.run.markers = first.clone();
    }
    assert!(same.own_relief().is_empty());
}

/// A run's charts mark each convoy's arrival with the tonnes it set off with.
#[test]
fn run_charts_mark_convoy_arrivals() {
    let dir = tempfile::tempdir().unwrap();
    siege(
        dir.path(),
        "convoy",
        &["run", "scenarios/relief_convoy.toml", "--replicates", "2"],
    );
    let data = RunData::load(&dir.path().join("convoy")).unwrap();
    let convoys: Vec<(u32, &str)> = data
        .markers
        .iter()
        .filter(|m| m.kind == MarkerKind::Convoy)
        .map(|m| (m.day, m.label.as_str()))
        .collect();
    assert_eq!(convoys, vec![(14, "40.8 t"), (28, "40.8 t")]);
    let svg = svg_of(&RunChartJob {
        chart: RunChart::Food,
        data: &data,
        title: &siege::charts::run::title_info(&data.meta),
    });
    assert_has(&svg, &["convoy arrives (tonnes sent)", "40.8 t"]);
    // Daily convoys of one tonnage are one marker, a span with one label, not a line a day.
    siege(
        dir.path(),
        "daily",
        &[
            "run",
            "scenarios/relief_convoy.toml",
            "--replicates",
            "2",
            "--set",
            "convoys.0.every_days=1",
            "--set",
            "convoys.0.count=10",
        ],
    );
    let data = RunData::load(&dir.path().join("daily")).unwrap();
    let convoys: Vec<(u32, u32, &str)> = data
        .markers
        .iter()
        .filter(|m| m.kind == MarkerKind::Convoy)
        .map(|m| (m.day, m.until, m.label.as_str()))
        .collect();
    assert_eq!(convoys, vec![(14, 23, "40.8 t a day × 10")]);
    let svg = svg_of(&RunChartJob {
        chart: RunChart::Food,
        data: &data,
        title: &siege::charts::run::title_info(&data.meta),
    });
    assert_has(&svg, &["40.8 t a day × 10"]);
}

/// The food chart draws the authorities' stores where a run has any (in days of the planning need
/// for everyone alive), and says nothing of stores where it has none.
#[test]
fn the_food_chart_draws_the_stores_only_where_there_are_any() {
    let data = RunData::load(&fixture("run")).unwrap();
    let title = siege::charts::run::title_info(&data.meta);
    let food = |data: &RunData| {
        svg_of(&RunChartJob {
            chart: RunChart::Food,
            data,
            title: &title,
        })
    };
    assert!(!food(&data).contains("the stores"));
    let mut rows = data.rows.clone();
    for r in &mut rows {
        r.store_kcal = 2_100.0 * 3_000.0 * 10.0;
    }
    let stored = RunData::new(data.meta.clone(), rows).unwrap();
    assert_has(
        &food(&stored),
        &[
            "the stores, in days of 2,100 kcal for everyone alive",
            "and the authorities&apos; stores",
        ],
    );
}
