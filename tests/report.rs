//! `siege report DIR` (issue 21 item 2): one self-contained report.html of a run, check, sweep or
//! compare directory, holding the numbers the CSVs hold, with text from files escaped, and never
//! overwriting a report without `--force`.

mod common;
use assert_cmd::Command;
use common::column;
use std::path::Path;

fn siege() -> Command {
    Command::cargo_bin("siege").unwrap()
}

fn run(args: &[&str]) {
    siege().args(args).assert().success();
}

/// Writes the report of `dir` and returns its text.
fn report(dir: &Path) -> String {
    run(&["report", dir.to_str().unwrap()]);
    std::fs::read_to_string(dir.join("report.html")).unwrap()
}

/// No resource from the network, no script, no external style: the file opens offline.
fn assert_self_contained(html: &str) {
    assert!(html.starts_with("<!DOCTYPE html>"), "{}", &html[..100.min(html.len())]);
    let lower = html.to_lowercase();
    assert!(!lower.contains("<script"), "a script in the report");
    assert!(
        !lower.contains("@import") && !lower.contains("url("),
        "an external style"
    );
    for attr in ["src=", "href=", "xlink:href="] {
        for (i, _) in lower.match_indices(attr) {
            let value = lower[i + attr.len()..].trim_start_matches(['"', '\'']);
            assert!(
                !value.starts_with("http") && !value.starts_with("//") && !value.starts_with("file:"),
                "an outside resource: {}",
                &html[i..(i + 80).min(html.len())]
            );
        }
    }
    assert!(!lower.contains("<link"), "a linked resource");
}

/// A whole number as the report prints people: thousands separated by commas.
fn people(x: f64) -> String {
    let digits = format!("{}", x.round() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn median_of(values: &[String]) -> f64 {
    let mut v: Vec<f64> = values.iter().map(|x| x.parse().unwrap()).collect();
    v.sort_by(f64::total_cmp);
    assert_eq!(v.len() % 2, 1, "an odd number of replicates keeps the median a count");
    v[v.len() / 2]
}

#[test]
fn a_run_report_is_self_contained_holds_the_csv_numbers_and_is_not_overwritten() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    let d = dir.to_str().unwrap();
    run(&[
        "run",
        "scenarios/village_cutoff.toml",
        "--replicates",
        "3",
        "--set",
        "simulation.days=40",
        "--no-charts",
        "--out",
        d,
    ]);
    let html = report(&dir);
    assert_self_contained(&html);
    // The key numbers are summary.csv's medians, whole people.
    let deaths = median_of(&column(&dir.join("summary.csv"), "deaths_total"));
    let displaced = median_of(&column(&dir.join("summary.csv"), "displaced_total"));
    assert!(
        html.contains(&format!("Deaths, all causes: <b>{} [", people(deaths))),
        "deaths_total median {deaths} not in the key numbers"
    );
    assert!(html.contains(&format!("People displaced: <b>{}", people(displaced))));
    // The question, the food balance, the deaths tables, the charts (the map among them), the
    // assumptions with their standing, the provenance with the scenario text.
    for part in [
        "class=\"question\"",
        "Food balance",
        "Food at the start",
        "Eaten",
        "By place",
        "By cause",
        "By age and sex",
        "id=\"chart-map\"",
        "id=\"chart-deaths\"",
        "<svg",
        "modelling choice",
        "simulation.days",
        "--set simulation.days=40",
        "A Farabougou-sized village cut off from food for 60 days",
    ] {
        assert!(html.contains(part), "no {part:?} in the report");
    }
    // No ration card is read in this scenario: no table of deaths by card.
    assert!(!html.contains("ration card held at the start"));
    // The assumptions that matter most, the same list as `siege validate` prints.
    let validate = siege()
        .args([
            "validate",
            "scenarios/village_cutoff.toml",
            "--set",
            "simulation.days=40",
        ])
        .output()
        .unwrap();
    let validate = String::from_utf8(validate.stdout).unwrap();
    let keys: Vec<&str> = validate
        .split_once("ranks them for this scenario), as in effect")
        .expect("validate lists the assumptions")
        .1
        .split("\ndefaults from the founding case")
        .next()
        .unwrap_or_default()
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(keys.contains(&"food.livestock_per_household_mean"), "{keys:?}");
    let section = html
        .split_once("The assumptions that mattered most")
        .expect("the report lists the assumptions")
        .1
        .split_once("</div>")
        .unwrap()
        .0;
    let in_report: Vec<&str> = section
        .split("<code>")
        .skip(1)
        .filter_map(|c| c.split_once("</code>").map(|(k, _)| k))
        .collect();
    assert_eq!(in_report, keys);
    // The directory's own charts/ is left as it was (none were asked for), and no scratch remains.
    assert!(!dir.join("charts").exists());
    let leftovers: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("report-charts") || n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    // Not overwritten without --force; replaced with it.
    std::fs::write(dir.join("report.html"), "mine").unwrap();
    let refused = siege()
        .args(["report", d])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let refused = String::from_utf8(refused).unwrap();
    assert!(
        refused.contains("report.html") && refused.contains("--force"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(dir.join("report.html")).unwrap(), "mine");
    run(&["report", d, "--force"]);
    assert!(
        std::fs::read_to_string(dir.join("report.html"))
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );
}

/// A scenario whose store issues by card: the report splits the adults' deaths by card, each the
/// median of summary.csv's `deaths_<card>`.
#[test]
fn a_run_report_with_ration_cards_shows_the_adults_deaths_by_card() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    run(&[
        "run",
        "scenarios/leningrad_1941.toml",
        "--replicates",
        "3",
        "--set",
        "population.size=10000",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    assert!(html.contains("Adults by the ration card held at the start"));
    for card in ["worker", "employee", "dependant"] {
        let deaths = median_of(&column(&dir.join("summary.csv"), &format!("deaths_{card}")));
        assert!(deaths > 0.0, "no {card} died");
        assert!(
            html.contains(&format!("<td>{card}</td><td class=\"n\">{} [", people(deaths))),
            "deaths_{card} median {deaths} not in the report"
        );
    }
}

#[test]
fn a_check_report_escapes_fact_text_and_shows_the_check_table() {
    let tmp = tempfile::tempdir().unwrap();
    let facts = tmp.path().join("facts.csv");
    std::fs::write(
        &facts,
        "id,day,date,quantity,metric,value,kind,tolerance,source\n\
         pop0,0,,people alive <script>alert('x')</script> & co,n_alive,3000,input,,\"<img src=x onerror=alert(1)>\"\n\
         fled7,7,,people who had fled <b>bold</b>,cum_displaced,2000,outcome,0-100000,a record\n",
    )
    .unwrap();
    let dir = tmp.path().join("c");
    siege()
        .args([
            "check",
            "scenarios/farabougou_2020.toml",
            "--facts",
            facts.to_str().unwrap(),
            "--replicates",
            "1",
            "--no-charts",
            "--out",
            dir.to_str().unwrap(),
        ])
        .assert()
        .code(&[0, 1][..]);
    let html = report(&dir);
    assert_self_contained(&html);
    assert!(!html.contains("<script>alert"), "fact text reached the page unescaped");
    assert!(!html.contains("<b>bold</b>"), "fact text reached the page unescaped");
    assert!(html.contains("people alive &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"));
    assert!(html.contains("people who had fled &lt;b&gt;bold&lt;/b&gt;"));
    assert!(html.contains("Documented facts") && html.contains("<b>1 of 1</b> within tolerance"));
    // The model's value at the fact is check.csv's, whole (a count of people).
    let median: f64 = column(&dir.join("check.csv"), "sim_median")[1].parse().unwrap();
    assert!(html.contains(&format!("<td class=\"n\">{}</td><td>within</td>", people(median))));
    assert!(html.contains("id=\"chart-check_facts\""));
}

#[test]
fn a_sweep_report_holds_every_point_and_says_the_assumptions_are_the_sweeps() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    run(&[
        "sweep",
        "scenarios/village_cutoff.toml",
        "--vary",
        "airdrop_plan.first_day=4,8",
        "--replicates",
        "3",
        "--set",
        "simulation.days=30",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    assert_self_contained(&html);
    assert!(html.contains("<code>airdrop_plan.first_day</code> takes the values 4, 8"));
    let medians = column(&dir.join("sweep_summary.csv"), "deaths_total_p50");
    for m in medians {
        let m: f64 = m.parse().unwrap();
        assert!(
            html.contains(&format!("<td class=\"n\">{} [", people(m)))
                || html.contains(&format!("<td class=\"n\">{},", people(m)))
        );
    }
    // The recorded scenario, its written keys told from defaults through the stored file.
    assert!(
        html.contains("its written values told from defaults through the input files stored in this result"),
        "the sweep's scenario was not shown from its stored inputs"
    );
    assert!(html.contains("<span class=\"tag set\">varied</span>"));
    assert!(html.contains("<span class=\"tag set\">written</span>"));
    assert!(
        html.contains(
            "<summary>scenarios/village_cutoff.toml <span class=\"note\">(stored as inputs/village_cutoff.toml"
        )
    );
    assert!(html.contains("siege sweep scenarios/village_cutoff.toml --vary airdrop_plan.first_day=4,8"));
    assert!(
        !html.contains("Deaths averted against"),
        "no baseline, no deaths averted"
    );
}

#[test]
fn a_sweep_report_with_a_baseline_shows_the_deaths_averted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    run(&[
        "sweep",
        "scenarios/village_cutoff.toml",
        "--vary",
        "airdrop_plan.first_day=4,8",
        "--baseline",
        "8",
        "--replicates",
        "3",
        "--set",
        "simulation.days=30",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    assert!(html.contains("Deaths averted against <b>airdrop_plan.first_day=8</b>"));
    assert!(html.contains("sweep_vs_baseline.csv"));
    // The plan's row holds the mean of its deaths averted as the CSV gives it.
    let rows = std::fs::read_to_string(dir.join("sweep_vs_baseline.csv")).unwrap();
    let averted = rows
        .lines()
        .find(|l| l.contains(",deaths_averted,"))
        .expect("a deaths_averted row");
    assert!(html.contains("<td>airdrop_plan.first_day=4</td>"), "{averted}");
}

#[test]
fn a_compare_report_names_each_scenario_and_what_differs() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    run(&[
        "compare",
        "scenarios/farabougou_2020.toml",
        "scenarios/farabougou_no_airdrops.toml",
        "--replicates",
        "1",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    assert_self_contained(&html);
    let names = column(&dir.join("compare.csv"), "scenario");
    let deaths = column(&dir.join("compare.csv"), "deaths_total_p50");
    for (name, d) in names.iter().zip(&deaths) {
        let d: f64 = d.parse().unwrap();
        assert!(
            html.contains(&format!(
                "<td>{name}</td><td class=\"n\">30</td><td class=\"n\">1</td><td class=\"n\">{}</td>",
                people(d)
            )),
            "{name}: {d}"
        );
    }
    assert!(html.contains("What differs between the scenarios") && html.contains("<code>airdrops.0.day</code>"));
    assert!(html.contains("id=\"chart-compare_deaths\""));
}

#[test]
fn a_directory_without_results_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let out = siege()
        .args(["report", tmp.path().to_str().unwrap()])
        .assert()
        .failure()
        .get_output()
        .stderr
        .clone();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.contains("no results to report") && text.contains("run.json"),
        "{text}"
    );
    assert!(!tmp.path().join("report.html").exists());
}

#[test]
fn a_compare_report_with_a_baseline_shows_the_deaths_averted() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("c");
    common::compare_farabougou_with_baseline(&dir, "20", 4);
    let html = report(&dir);
    assert_self_contained(&html);
    assert!(
        html.contains("Deaths averted against <b>farabougou_no_airdrops</b>"),
        "no versus table"
    );
    assert!(html.contains("<th>averted, days 0–19</th><th>averted, days 0–29</th><th>per tonne</th>"));
    // The mean of the paired differences, as compare_vs_baseline.csv has it.
    let csv = std::fs::read_to_string(dir.join("compare_vs_baseline.csv")).unwrap();
    let line = csv
        .lines()
        .find(|l| l.contains(",deaths_averted,30,"))
        .expect("a deaths_averted row at day 30");
    let mean: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
    let from = html.find("Deaths averted against").unwrap();
    let at = from + html[from..].find("<td>farabougou_2020</td>").expect("the plan's row");
    let row = &html[at..at + html[at..].find("</tr>").unwrap()];
    assert!(
        (0..4).any(|d| row.contains(&format!("<td class=\"n\">{mean:.d$} ["))),
        "{mean} in {row}"
    );
    // Where they are: by cause, age and place of death, the place's as the file has it (minus
    // plan − baseline).
    assert!(html.contains("Where the deaths averted by the run's end (days 0–29) are"));
    assert!(html.contains("<th>by cause</th><th>by age</th><th>by place of death</th>"));
    let line = csv
        .lines()
        .find(|l| l.contains(",deaths_at_farabougou,30,"))
        .expect("a deaths_at_farabougou row");
    let at_home: f64 = line.split(',').nth(5).unwrap().parse().unwrap();
    let from = html.find("Where the deaths averted").unwrap();
    let split = &html[from..from + html[from..].find("</table>").unwrap()];
    assert!(
        (0..4).any(|d| split.contains(&format!("at farabougou {:.d$} [", -at_home))),
        "{at_home} in {split}"
    );
}

/// A small optimise file: a village, first drop day × sorties.
fn write_optimise(dir: &Path) -> std::path::PathBuf {
    let scenario = concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/village_cutoff.toml");
    let path = dir.join("small.toml");
    std::fs::write(
        &path,
        format!(
            "[optimise]\nname = \"small\"\nscenario = {scenario:?}\nset = [\"population.size=400\", \"simulation.days=40\", \"events=[]\", \"food.stock_days_mean=5\"]\nvary = [\"airdrops.0.day=2,18\", \"airdrops.0.sorties=1..2\"]\nstart_replicates = 2\nmax_replicates = 8\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn an_optimise_report_names_the_chosen_plan_with_what_it_saves() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("o");
    let file = write_optimise(tmp.path());
    run(&[
        "optimise",
        file.to_str().unwrap(),
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    assert_self_contained(&html);
    let (h, rows) = common::read_csv(&dir.join("optimise.csv"));
    let chosen = &rows[0];
    let plan = format!(
        "airdrops.0.day = {}, airdrops.0.sorties = {}",
        chosen[common::col(&h, "airdrops.0.day")],
        chosen[common::col(&h, "airdrops.0.sorties")]
    );
    assert!(html.contains(&format!("The chosen plan is <b>{plan}</b>")), "{plan}");
    assert!(html.contains("what does it avert against doing nothing?"));
    assert!(html.contains("saved vs nothing (paired; replicates)") && html.contains("id=\"chart-optimise\""));
    assert!(html.contains("How sure:") && html.contains("Provenance"));
    // The optimise file and the scenario it names, stored and shown from the result.
    let text = std::fs::read_to_string(&file).unwrap();
    let name = file.file_name().unwrap().to_str().unwrap();
    assert_eq!(std::fs::read_to_string(dir.join("inputs").join(name)).unwrap(), text);
    assert_eq!(
        std::fs::read(dir.join("inputs/village_cutoff.toml")).unwrap(),
        std::fs::read("scenarios/village_cutoff.toml").unwrap()
    );
    assert!(html.contains(&escaped(&text)) && !html.contains("as it reads now"));
}

#[test]
fn a_sensitivity_report_ranks_the_parameters_with_their_intervals() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    run(&[
        "sensitivity",
        "scenarios/farabougou_sensitivity.toml",
        "--samples",
        "2",
        "--replicates",
        "1",
        "--bootstrap",
        "50",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    assert_self_contained(&html);
    let keys = column(&dir.join("sensitivity.csv"), "key");
    // Every parameter, in rank order.
    let at: Vec<usize> = keys
        .iter()
        .map(|k| {
            html.find(&format!("<td><code>{k}</code></td>"))
                .unwrap_or_else(|| panic!("{k}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "not in rank order");
    assert!(html.contains(&format!("The assumptions that move it most: <code>{}</code>", keys[0])));
    assert!(html.contains("μ* [95% CI]") && html.contains("id=\"chart-sensitivity_tornado\""));
    // The scenario file, stored in the result, is shown folded under the path it was given...
    assert!(html.contains(
        "<summary>scenarios/farabougou_sensitivity.toml <span class=\"note\">(stored as inputs/farabougou_sensitivity.toml"
    ));
    assert!(html.contains("[[uncertain]]"));
    // ...and so it is in a report written from another directory, where that path names
    // nothing: the report says so in a sentence, the text still shown.
    siege()
        .current_dir(tmp.path())
        .args(["report", dir.to_str().unwrap(), "--force"])
        .assert()
        .success();
    let elsewhere = std::fs::read_to_string(dir.join("report.html")).unwrap();
    assert!(elsewhere.contains("[[uncertain]]"));
    assert!(
        elsewhere.contains("scenarios/farabougou_sensitivity.toml cannot be read from where this report was written"),
        "no note of the missing file"
    );
}

/// The text of a file as the report shows it: escaped for HTML as `esc` does.
fn escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

#[test]
fn a_report_shows_the_stored_inputs_wherever_it_is_written_and_flags_an_edited_one() {
    // A scenario that extends a base, run from its own directory by relative paths.
    let tmp = tempfile::tempdir().unwrap();
    let work = tmp.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let base = std::fs::read_to_string("scenarios/village_cutoff.toml").unwrap();
    let child =
        "# A shorter cut-off.\nextends = \"village_cutoff.toml\"\n\n[simulation]\nname = \"short_cutoff\"\ndays = 30\n";
    std::fs::write(work.join("village_cutoff.toml"), &base).unwrap();
    std::fs::write(work.join("short.toml"), child).unwrap();
    siege()
        .current_dir(&work)
        .args(["run", "short.toml", "--replicates", "3", "--no-charts", "--out", "res"])
        .assert()
        .success();
    let dir = work.join("res");
    // Stored byte for byte, each under its own name.
    assert_eq!(std::fs::read(dir.join("inputs/short.toml")).unwrap(), child.as_bytes());
    assert_eq!(
        std::fs::read(dir.join("inputs/village_cutoff.toml")).unwrap(),
        base.as_bytes()
    );
    // The report written from `cwd`, as the user there would write it.
    let report_from = |cwd: &Path| -> String {
        siege()
            .current_dir(cwd)
            .args(["report", "--force"])
            .arg(&dir)
            .assert()
            .success();
        std::fs::read_to_string(dir.join("report.html")).unwrap()
    };
    // Reported from another directory: the texts come from the result, and the report says the
    // recorded paths cannot be read from there.
    let elsewhere = tmp.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let html = report_from(&elsewhere);
    assert_self_contained(&html);
    assert!(html.contains(&escaped(child)), "the scenario's text is missing");
    assert!(html.contains(&escaped(&base)), "the base's text is missing");
    assert!(html.contains("short.toml cannot be read from where this report was written"));
    assert!(!html.contains("has changed since"));
    // Written in it or its base, not a default: told through the stored texts.
    assert!(html.contains("as the run read it (stored in this result as inputs/short.toml)"));
    // Where the command ran, the files read the same: nothing to say.
    let html = report_from(&work);
    assert!(!html.contains("cannot be read from where") && !html.contains("has changed since"));
    // The base edited since the run: the report still shows the text that ran, and says so.
    std::fs::write(work.join("village_cutoff.toml"), format!("{base}\n# edited\n")).unwrap();
    let html = report_from(&work);
    assert!(html.contains(&escaped(&base)));
    assert!(!html.contains("# edited"));
    assert!(html.contains("village_cutoff.toml has changed since: it now reads differently from the text stored here"));
    assert!(!html.contains("short.toml has changed since"));
    // A stored copy edited since is not shown as what ran.
    std::fs::write(dir.join("inputs/short.toml"), "forged").unwrap();
    let html = report_from(&work);
    assert!(!html.contains("<pre>forged"));
    assert!(html.contains("was edited since the result was written"));
}

/// A comparison of Farabougou with its liberation (events.10.day) drawn per replicate,
/// triangular 14–16–25: `u_a` as written, `u_b` with its drops moved to day 4 by
/// `[airdrop_plan] first_day`, `u_c` the same as `u_a` under another name (so medians tie).
fn uncertain_compare(tmp: &Path) -> std::path::PathBuf {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/farabougou_2020.toml");
    let uncertain =
        "[[uncertain]]\nkey = \"events.10.day\"\ndistribution = \"triangular\"\nlow = 14\nmode = 16\nhigh = 25\n";
    let mut files = Vec::new();
    for (name, change) in [("u_a", ""), ("u_b", "[airdrop_plan]\nfirst_day = 4\n"), ("u_c", "")] {
        let path = tmp.join(format!("{name}.toml"));
        let text = format!(
            "extends = {:?}\n{change}{uncertain}[simulation]\nname = \"{name}\"\n",
            base.display().to_string()
        );
        std::fs::write(&path, text).unwrap();
        files.push(path.display().to_string());
    }
    let dir = tmp.join("c");
    let mut args: Vec<&str> = vec!["compare"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--replicates", "2", "--no-charts", "--out", dir.to_str().unwrap()]);
    run(&args);
    dir
}

/// The table row of `html` that begins at the first `<code>key</code>` after `from`.
fn row_of<'a>(html: &'a str, from: &str, key: &str) -> &'a str {
    let start = html.find(from).unwrap_or_else(|| panic!("no {from:?}"));
    let at = start
        + html[start..]
            .find(&format!("<code>{key}</code>"))
            .unwrap_or_else(|| panic!("no row {key}"));
    &html[at..at + html[at..].find("</tr>").unwrap()]
}

#[test]
fn the_assumptions_table_says_which_keys_each_replicate_draws() {
    let tmp = tempfile::tempdir().unwrap();
    let html = report(&uncertain_compare(tmp.path()));
    let drawn = row_of(&html, "Assumptions in effect, each scenario", "events.10.day");
    assert!(
        drawn.contains("written</span>; <span class=\"tag estimate\">drawn per replicate</span>: triangular 14–16–25 (<code>[[uncertain]]</code>)"),
        "{drawn}"
    );
    // A day no entry draws is only written.
    let known = row_of(&html, "Assumptions in effect, each scenario", "events.0.day");
    assert!(!known.contains("drawn per replicate"), "{known}");
}

/// An element named by id (`locations.sokolo.capacity`) or by index (`locations.0.…`) in
/// `[[uncertain]]` or `--vary` is marked on its row, which names it by index.
#[test]
fn keys_named_by_id_or_index_are_marked_drawn_or_varied() {
    let tmp = tempfile::tempdir().unwrap();
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/farabougou_2020.toml");
    let path = tmp.path().join("u.toml");
    std::fs::write(
        &path,
        format!(
            "extends = {:?}\n[[uncertain]]\nkey = \"locations.sokolo.capacity\"\ndistribution = \"uniform\"\nlow = 2000\nhigh = 4000\n[[uncertain]]\nkey = \"locations.0.market_kcal_per_person_day\"\ndistribution = \"uniform\"\nlow = 1800\nhigh = 2400\n",
            base.display().to_string()
        ),
    )
    .unwrap();
    let dir = tmp.path().join("r");
    let file = path.to_str().unwrap();
    run(&[
        "run",
        file,
        "--replicates",
        "2",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    let from = "Assumptions in effect";
    for (key, shape) in [
        ("locations.2.capacity", "uniform 2000–4000"),
        ("locations.0.market_kcal_per_person_day", "uniform 1800–2400"),
    ] {
        let row = row_of(&html, from, key);
        assert!(
            row.contains(&format!("drawn per replicate</span>: {shape}")),
            "{key}: {row}"
        );
    }
    assert!(!row_of(&html, from, "locations.3.capacity").contains("drawn per replicate"));
    let dir = tmp.path().join("s");
    run(&[
        "sweep",
        base.to_str().unwrap(),
        "--vary",
        "locations.sokolo.capacity=2000,3000",
        "--replicates",
        "1",
        "--no-charts",
        "--out",
        dir.to_str().unwrap(),
    ]);
    let html = report(&dir);
    let row = row_of(&html, from, "locations.2.capacity");
    assert!(row.contains("<span class=\"tag set\">varied</span>"), "{row}");
}

#[test]
fn what_differs_shows_the_airdrop_days_the_runs_used() {
    let tmp = tempfile::tempdir().unwrap();
    let html = report(&uncertain_compare(tmp.path()));
    let from = "What differs between the scenarios";
    // u_b wrote the Farabougou drops on days 13, 14 and 16; its [airdrop_plan] ran them on 4, 5, 7.
    let first = row_of(&html, from, "airdrops.0.day");
    assert!(
        first.contains("<td class=\"n\">13</td><td class=\"n\">4 (written 13, moved by airdrop_plan.first_day)</td><td class=\"n\">13</td>"),
        "{first}"
    );
    let days = row_of(&html, from, "airdrop days, as run (resolved)");
    assert!(
        days.contains("<td class=\"n\">13, 14, 16</td><td class=\"n\">4, 5, 7</td><td class=\"n\">13, 14, 16</td>"),
        "{days}"
    );
}

#[test]
fn a_tie_for_fewest_or_most_names_every_scenario_in_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = uncertain_compare(tmp.path());
    let html = report(&dir);
    let names = column(&dir.join("compare.csv"), "scenario");
    let mut ties = 0;
    for (label, col) in [
        ("Deaths, all causes", "deaths_total_p50"),
        ("Deaths from starvation", "deaths_starvation_p50"),
        ("People displaced", "displaced_total_p50"),
    ] {
        let medians: Vec<f64> = column(&dir.join("compare.csv"), col)
            .iter()
            .map(|x| x.parse().unwrap())
            .collect();
        let (lo, hi) = medians
            .iter()
            .fold((f64::MAX, f64::MIN), |(lo, hi), &m| (lo.min(m), hi.max(m)));
        if lo == hi {
            assert!(
                html.contains(&format!("<li>{label}: the same median in every scenario")),
                "{label}"
            );
            continue;
        }
        // u_a and u_c are the same scenario: whichever end they are at, they are named together.
        let at = |end: f64| {
            let tied: Vec<&str> = names
                .iter()
                .zip(&medians)
                .filter(|(_, m)| **m == end)
                .map(|(n, _)| n.as_str())
                .collect();
            match tied.as_slice() {
                [one] => format!("{one} ("),
                [a, b] => format!("{a} and {b} (median "),
                _ => unreachable!("three scenarios, not all tied"),
            }
        };
        let line = format!("<li>{label}: fewest in {}", at(lo));
        assert!(html.contains(&line), "{line}");
        assert!(
            html.contains(&format!("most in {}", at(hi))),
            "{label}: most in {}",
            at(hi)
        );
        ties += 1;
    }
    assert!(
        ties > 0,
        "the relief moved to day 4 changed no median: nothing to tell apart"
    );
}
