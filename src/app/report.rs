//! The terminal's views of results: the run summary, the sweep table and number formatting.
//!
//! Numbers are printed to be quoted: counts of people and days as whole numbers (a median over an
//! even number of replicates can fall between two counts; half a death is not a figure anyone can
//! quote), large energies in millions or billions, rates to three significant digits, a mean's 95%
//! CI half-width to two significant digits with the mean to the same decimal place, and a single
//! replicate as its value alone (no interval can be drawn from one run).

use super::replicates_text;
use siege::experiment::ReplicateResult;
use siege::experiment::stats::{self, Describe};
use siege::observe::files::{CompareRow, PointRow, outcome_stats};
use siege::observe::{OUTCOMES, Outcome, SHOWN_OUTCOMES, Summary};
use siege::scenario::Scenario;

/// Median and 90% interval of the key outcomes across replicates, with the airdrops in tonnes.
pub(super) fn terminal_summary(s: &Scenario, summaries: &[Summary]) -> String {
    let one = summaries.len() == 1;
    let mut text = format!(
        "{} — {}, seed {}, {} days: {}\n",
        s.name(),
        replicates_text(summaries.len() as u32),
        s.seed(),
        s.days(),
        if one {
            "one run, so no interval"
        } else {
            "median [5th–95th percentile]; counts in whole people or days"
        }
    );
    if let Some(drops) = airdrops_text(s) {
        text.push_str(&format!("  airdrops: {drops}\n"));
    }
    for (o, d) in OUTCOMES.iter().zip(outcome_stats(summaries.iter())) {
        text.push_str(&format!(
            "  {:<22} {:>28}  {}\n",
            o.name,
            median_interval(o.outcome, &d),
            o.unit
        ));
    }
    if !s.evacuations().is_empty() {
        let evacuated: Vec<f64> = summaries.iter().map(|x| x.evacuated_total as f64).collect();
        text.push_str(&format!(
            "  {:<22} {:>28}  people (organised evacuations)\n",
            "evacuated_total",
            median_interval(Outcome::KidnappedTotal, &stats::describe(&evacuated))
        ));
    }
    text.trim_end().to_string()
}

/// "13 airdrop(s), 234 t" for `validate`'s one line, and ", 2 convoy(s), 81.6 t by road" when
/// there are convoys.
pub(super) fn airdrop_count(s: &Scenario) -> String {
    let total: f64 = s.airdrops().iter().map(|a| a.tonnes).sum();
    let mut text = format!("{} airdrop(s), {} t", s.airdrops().len(), tonnes(total));
    if !s.convoys().is_empty() {
        let road: f64 = s.convoys().iter().map(|v| v.tonnes).sum();
        text += &format!(", {} convoy(s), {} t by road", s.convoys().len(), tonnes(road));
    }
    text
}

/// A planning food balance of a scenario before it runs, for `siege validate`: the need at
/// `charts::run::NEED_KCAL` a head a day (the Sphere/WFP planning figure; the model's need varies
/// by age, sex and body), the households' starting food (`food.stock_days_mean` days of need), the
/// stores and the food relief planned, in tonnes of grain at `food.grain_kcal_per_kg`.
pub(super) fn food_balance_text(s: &Scenario) -> String {
    use siege::scenario::params::Commodity;
    let people: u64 = s.home_counts().iter().sum();
    let grain = s.food().grain_kcal_per_kg;
    let t = |kcal: f64| kcal / grain / 1000.0;
    let need_day = people as f64 * siege::charts::run::NEED_KCAL;
    let days = f64::from(s.days());
    let stock_days = s.food().stock_days_mean;
    let stores: f64 = s.stores().iter().map(|x| x.stock_kcal).sum();
    let air: f64 = s
        .airdrops()
        .iter()
        .filter(|a| a.commodity == Commodity::Food)
        .map(|a| a.tonnes * 1000.0 * a.kcal_per_kg)
        .sum();
    let road: f64 = s
        .convoys()
        .iter()
        .filter(|c| c.commodity == Commodity::Food)
        .map(|c| c.tonnes * 1000.0 * c.kcal_per_kg)
        .sum();
    let of_need = |kcal: f64| {
        if need_day > 0.0 {
            format!("{} days of need", significant(kcal / need_day, 2))
        } else {
            "no one to feed".to_string()
        }
    };
    let mut text = format!(
        "food balance (planning figures: {} kcal a head a day, grain at {} kcal/kg; the model's own need varies by age, sex and body):\n",
        grouped(siege::charts::run::NEED_KCAL),
        grouped(grain)
    );
    text += &format!(
        "  need            {} t a day for {} people ({} t over {} days)\n",
        tonnes(t(need_day)),
        grouped(people as f64),
        tonnes(t(need_day * days)),
        s.days()
    );
    text += &format!(
        "  households      {} t at the start: food.stock_days_mean = {} days of need on average\n",
        tonnes(t(need_day * stock_days)),
        significant(stock_days, 3)
    );
    if !s.stores().is_empty() {
        text += &format!(
            "  stores          {} t at the start ({})\n",
            tonnes(t(stores)),
            of_need(stores)
        );
        for (st, o) in s.stores().iter().zip(siege::model::store_outlook(s)) {
            text += &store_outlook_text(s, st, &o);
        }
    }
    text += &format!(
        "  relief planned  {} t by air, {} t by road, food only: {} (before losses, capture and looting)\n",
        tonnes(t(air)),
        tonnes(t(road)),
        of_need(air + road)
    );
    text += "  (markets, hosts and livestock add food the run works out day by day: see report.html's food balance)";
    text
}

/// The lines under `stores` for one store: how long its stock lasts at its `[[rations]]` for the
/// cards held at its location on day 0 (`siege::model::store_outlook`).
fn store_outlook_text(s: &Scenario, st: &siege::scenario::ResolvedStore, o: &siege::model::StoreOutlook) -> String {
    if st.rations.is_empty() {
        return format!("    {}: no [[rations]], so it issues nothing\n", st.id);
    }
    let cards: Vec<String> = siege::scenario::params::Card::ALL
        .iter()
        .zip(o.holders)
        .map(|(c, n)| format!("{} {}", grouped(n as f64), c.name()))
        .collect();
    let lasts = |d: Option<u32>| match d {
        None => "is never short at these rations".to_string(),
        Some(d) => {
            let date = s
                .start_epoch_day()
                .map(|e| format!(" ({})", siege::scenario::date::format_iso(e + i64::from(d))))
                .unwrap_or_default();
            let past = if d >= s.days() { ", past the horizon" } else { "" };
            format!("lasts {d} days: short from day {d}{date}{past}")
        }
    };
    let mut text = format!(
        "    {}: at its [[rations]] for the cards held there on day 0 ({}), if no one died or left:\n      its stock{} {}\n",
        st.id,
        cards.join(", "),
        if o.deliveries_kcal > 0.0 { " alone" } else { "" },
        lasts(o.short_from_stock_alone)
    );
    if o.deliveries_kcal > 0.0 {
        text += &format!(
            "      with the {} t of convoys and airdrops into it as planned (before losses), it {}\n",
            tonnes(o.deliveries_kcal / s.food().grain_kcal_per_kg / 1000.0),
            lasts(o.short_from)
        );
    }
    let notes: Vec<&str> = [
        (st.inflow_kcal > 0.0, "its regular inflow not counted"),
        (
            st.spread_until.is_some(),
            "spread_until_day not applied: it issues less so as to last longer",
        ),
    ]
    .into_iter()
    .filter_map(|(on, note)| on.then_some(note))
    .collect();
    if !notes.is_empty() {
        text += &format!("      ({})\n", notes.join("; "));
    }
    text
}

/// For `siege validate`: the assumptions that matter most
/// ([`siege::scenario::params::ASSUMPTIONS_THAT_MATTER`]) with the value in effect, whether the
/// file wrote it, its unit, standing and documented range. `written` is the file's tree (bases
/// merged, overrides applied).
pub(super) fn assumptions_text(s: &Scenario, written: Option<&toml::Table>) -> String {
    let Some(tree) = written else {
        return String::new();
    };
    let list = siege::scenario::assumptions_in_effect(s.as_written(), |path| {
        siege::scenario::overrides::get_path(tree, path).is_some()
    });
    if list.is_empty() {
        return String::new();
    }
    let rows: Vec<[String; 4]> = list
        .iter()
        .map(|a| {
            [
                a.key.clone(),
                format!("{} {}", a.value, a.unit),
                if a.written { "written" } else { "default" }.to_string(),
                super::html::standing_and_range(a),
            ]
        })
        .collect();
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let (w0, w1, w2) = (width(0), width(1), width(2));
    let mut text = "assumptions that mattered most in the README's sensitivity analysis (Farabougou's long siege: yours may differ; `siege sensitivity` with `[[uncertain]]` ranks them for this scenario), as in effect (written: in the file; default: not written — write it if it does not fit the place; docs/scenario.md gives each its source):".to_string();
    for r in &rows {
        text += &format!("\n  {:w0$}  {:w1$}  {:w2$}  {}", r[0], r[1], r[2], r[3]);
    }
    text
}

/// For `siege validate`: the defaults that describe the founding case (a Sahel village in Mali)
/// rather than any place, still in effect because the file does not write them: household size,
/// age shares (unless `[[population.ages]]` is written), adults' starting BMI, the background
/// death rates (Sphere, sub-Saharan Africa) and, with disease on, Mali's under-5 mortality and
/// malaria season. Empty when the file writes them all (or the tree is unknown).
pub(super) fn founding_defaults_text(s: &Scenario, written: Option<&toml::Table>) -> String {
    let Some(tree) = written else {
        return String::new();
    };
    let has = |path: &str| siege::scenario::overrides::get_path(tree, path).is_some();
    let mut keys = vec!["population.household_size_mean"];
    if !has("population.ages") {
        keys.extend([
            "population.under5_share",
            "population.under15_share",
            "population.over60_share",
        ]);
    }
    keys.extend([
        "population.adult_bmi_mean",
        "mortality.background_under5_per_10k_day",
        "mortality.background_5_59_per_10k_day",
        "mortality.background_60_plus_per_10k_day",
    ]);
    if s.disease().enabled {
        keys.extend(["disease.under5_mortality_per_1000", "disease.malaria.season"]);
    }
    let unwritten: Vec<&str> = keys.into_iter().filter(|k| !has(k)).collect();
    if unwritten.is_empty() {
        return String::new();
    }
    format!(
        "defaults from the founding case, a Sahel village in Mali, in effect because the file does not write them (write them if the place differs; `siege init --kind city` writes a city's people; docs/scenario.md gives each its source):\n  {}",
        unwritten.join(", ")
    )
}

/// Tonnes: whole numbers plainly, others to three significant digits.
pub(super) fn tonnes(t: f64) -> String {
    if (t - t.round()).abs() < 1e-9 {
        grouped(t)
    } else {
        significant(t, 3)
    }
}

/// "13 drops, 234 t in all (18 t each), days 30–114", or None without airdrops.
pub(super) fn airdrops_text(s: &Scenario) -> Option<String> {
    let drops = s.airdrops();
    let (first, last) = (drops.first()?.day, drops.last()?.day);
    let total: f64 = drops.iter().map(|a| a.tonnes).sum();
    let each = drops[0].tonnes;
    let same = drops.iter().all(|a| a.tonnes == each);
    Some(format!(
        "{} drop{}, {} t in all{}, {}",
        drops.len(),
        if drops.len() == 1 { "" } else { "s" },
        tonnes(total),
        if same && drops.len() > 1 {
            format!(" ({} t each)", tonnes(each))
        } else {
            String::new()
        },
        if first == last {
            format!("day {first}")
        } else {
            format!("days {first}–{last}")
        }
    ))
}

/// A warning when compared scenarios run for different numbers of days: their outcomes are totals
/// over different horizons. None when they all share one.
pub(super) fn days_warning(rows: &[CompareRow]) -> Option<String> {
    let first = rows.first()?.days;
    if rows.iter().all(|r| r.days == first) {
        return None;
    }
    let each: Vec<String> = rows.iter().map(|r| format!("{} {} days", r.scenario, r.days)).collect();
    Some(format!(
        "warning: the scenarios run for different numbers of days ({}); their outcomes are totals over different horizons, so differences between them are not the effect of the plan alone (the days column of compare.csv)",
        each.join(", ")
    ))
}

/// A note for a run whose stores end holding food while people starved to death (medians across
/// replicates: at least a tonne left and at least one starvation death): a store issues only the
/// cards' `[[rations]]` entitlements, so food delivered into it feeds nobody beyond them
/// (MODEL.md §4.2), and relief into it can change nothing. `name` names the scenario in a
/// comparison.
pub(super) fn idle_store_note(s: &Scenario, name: Option<&str>, results: &[ReplicateResult]) -> Option<String> {
    if s.stores().is_empty() {
        return None;
    }
    let kcal_per_t = s.food().grain_kcal_per_kg * 1000.0;
    let left: Vec<f64> = results
        .iter()
        .filter_map(|r| r.days.last())
        .map(|d| d.store_kcal / kcal_per_t)
        .collect();
    let starved: Vec<f64> = results.iter().map(|r| r.summary.deaths_starvation as f64).collect();
    let (left, starved) = (stats::describe(&left).p50, stats::describe(&starved).p50);
    if !(left >= 1.0 && starved >= 1.0) {
        return None;
    }
    Some(format!(
        "note: {}the stores end the run holding {} t of food, grain equivalent (median), while {} people died of starvation: a store issues only the cards' [[rations]] entitlements, so food in it, or delivered into it, feeds nobody beyond them (MODEL.md §4.2). To let it feed more, raise the rations it issues, or spread its stock with `spread_until_day` (docs/scenario.md [[stores]]).",
        name.map(|n| format!("{n}: ")).unwrap_or_default(),
        fmt_num(left.round()),
        fmt_num(starved.round())
    ))
}

/// The unit of an outcome's figures.
fn unit(outcome: Outcome) -> &'static str {
    outcome.info().unit
}

/// One figure of an outcome, as it should be quoted.
pub(super) fn figure(outcome: Outcome, x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    match unit(outcome) {
        "people" | "days" => grouped(x.round()),
        _ => fmt_num(x),
    }
}

/// "median [p05 – p95]", or the value alone for one replicate; in millions or billions (said once,
/// at the end) when the median is that large.
pub(super) fn median_interval(outcome: Outcome, d: &Describe) -> String {
    let (scale, word) = if unit(outcome) == "people" || unit(outcome) == "days" {
        (1.0, "")
    } else if d.p50.abs() >= 1e9 {
        (1e9, " billion")
    } else if d.p50.abs() >= 1e6 {
        (1e6, " million")
    } else {
        (1.0, "")
    };
    let f = |x: f64| {
        if scale == 1.0 {
            figure(outcome, x)
        } else {
            significant(x / scale, 3)
        }
    };
    // One replicate, or every replicate agreeing to the digits shown: no interval to quote.
    if d.n <= 1 || f(d.p05) == f(d.p95) {
        return format!("{}{word}", f(d.p50));
    }
    format!("{} [{} – {}]{word}", f(d.p50), f(d.p05), f(d.p95))
}

/// "mean ± half-width of the 95% CI", the half-width to two significant digits and the mean to the
/// same decimal place; the mean alone for one replicate.
pub(super) fn mean_ci(d: &Describe) -> String {
    let half = (d.ci95_hi - d.ci95_lo) / 2.0;
    if d.n <= 1 || !half.is_finite() || !d.mean.is_finite() {
        return fmt_num(d.mean);
    }
    let (scale, word) = if d.mean.abs() >= 1e9 {
        (1e9, " billion")
    } else if d.mean.abs() >= 1e6 {
        (1e6, " million")
    } else {
        (1.0, "")
    };
    let (mean, half) = (d.mean / scale, half / scale);
    let decimals = if half > 0.0 {
        (1 - half.log10().floor() as i32).max(0) as usize
    } else {
        0
    };
    let mean = if decimals == 0 {
        grouped(mean.round())
    } else {
        format!("{mean:.decimals$}")
    };
    let half = if decimals == 0 {
        grouped(half.round())
    } else {
        format!("{half:.decimals$}")
    };
    format!("{mean} ± {half}{word}")
}

/// A whole number with thousands separators: 12,345.
pub(super) fn grouped(x: f64) -> String {
    grouped_to(x, 0)
}

/// `x` with `decimals` decimals and its whole part in groups of three: 1247.63, 1 → "1,247.6".
pub(super) fn grouped_to(x: f64, decimals: usize) -> String {
    let text = if decimals == 0 {
        format!("{}", x.abs().round() as u64)
    } else {
        format!("{:.decimals$}", x.abs())
    };
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    if x < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("-{out}")
    } else {
        out
    }
}

/// `x` to `digits` significant digits, without an exponent or trailing zeros: 737.1 → "737",
/// 5.674 → "5.67", 0.1 → "0.1".
pub(super) fn significant(x: f64, digits: i32) -> String {
    if x == 0.0 || !x.is_finite() {
        return fmt_num(x);
    }
    let decimals = (digits - 1 - x.abs().log10().floor() as i32).max(0) as usize;
    let rounded = format!("{x:.decimals$}");
    if decimals == 0 {
        // Half away from zero, as `grouped` and the charts round (`{:.0}` rounds a tie to even).
        grouped(x.round())
    } else {
        rounded.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Short human formatting: whole numbers plainly, millions and billions in words with three
/// significant digits, others to three significant digits (at most two decimals above 1).
pub(super) fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.abs() >= 1e9 {
        return format!("{} billion", significant(x / 1e9, 3));
    }
    if x.abs() >= 1e6 {
        return format!("{} million", significant(x / 1e6, 3));
    }
    if (x - x.round()).abs() < 1e-9 {
        return grouped(x);
    }
    if x.abs() >= 100.0 {
        return grouped(x);
    }
    significant(x, 3)
}

/// The terminal view of sweep_summary.csv: the varied values and, for a few key outcomes, the
/// median with its 90% interval and the mean with its 95% CI.
/// One outcome in a table cell: the median and interval, then the mean ± 95% CI when more than one
/// replicate gives it one (the sweep table, and the report's sweep and compare tables).
pub(super) fn outcome_cell(o: Outcome, d: &Describe) -> String {
    if d.n <= 1 {
        median_interval(o, d)
    } else {
        format!("{}, {}", median_interval(o, d), mean_ci(d))
    }
}

pub(super) fn sweep_table(points: &[PointRow]) -> String {
    let mut lines = Vec::new();
    let mut head: Vec<String> = points
        .first()
        .map(|p| p.values.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let one = points.iter().all(|p| p.replicates <= 1);
    for o in SHOWN_OUTCOMES {
        head.push(if one {
            format!("{} (one replicate: no interval)", o.name())
        } else {
            format!("{}: median [p05 – p95], mean ± 95% CI", o.name())
        });
    }
    lines.push(head.join(" | "));
    for p in points {
        let mut cells: Vec<String> = p.values.iter().map(|(_, v)| v.cell()).collect();
        for o in SHOWN_OUTCOMES {
            cells.push(outcome_cell(o, p.stat(o)));
        }
        lines.push(cells.join(" | "));
    }
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe(n: usize, mean: f64, half: f64, p05: f64, p50: f64, p95: f64) -> Describe {
        Describe {
            n,
            mean,
            ci95_lo: mean - half,
            ci95_hi: mean + half,
            p05,
            p50,
            p95,
        }
    }

    #[test]
    fn numbers_with_decimals_group_their_thousands_too() {
        assert_eq!(grouped_to(1247.63, 1), "1,247.6");
        assert_eq!(grouped_to(-1237.55, 2), "-1,237.55");
        assert_eq!(grouped_to(999.96, 1), "1,000.0");
        assert_eq!(grouped_to(-0.04, 1), "0.0");
        assert_eq!(grouped_to(1234567.4, 0), grouped(1234567.4));
        assert_eq!(grouped(-2514.5), "-2,515");
    }

    #[test]
    fn counts_are_whole_people_and_large_numbers_have_no_exponent() {
        let d = describe(20, 2514.95, 40.0, 2400.3, 2514.95, 2601.5);
        assert_eq!(median_interval(Outcome::DeathsTotal, &d), "2,515 [2,400 – 2,602]");
        assert_eq!(fmt_num(1.606e7), "16.1 million");
        assert_eq!(fmt_num(7.371e8), "737 million");
        assert_eq!(fmt_num(2.5e9), "2.5 billion");
        assert_eq!(figure(Outcome::PeakCdrPer10k, 54.163), "54.2");
        let kcal = describe(20, 7e8, 1e7, 5.67e8, 7.371e8, 7.371e8);
        assert_eq!(
            median_interval(Outcome::AirdropUsableKcal, &kcal),
            "737 [567 – 737] million"
        );
    }

    #[test]
    fn a_ci_has_two_significant_digits_and_the_mean_matches_them() {
        assert_eq!(mean_ci(&describe(20, 7054.85, 65.55, 0.0, 0.0, 0.0)), "7,055 ± 66");
        assert_eq!(mean_ci(&describe(20, 2.3456, 0.4123, 0.0, 0.0, 0.0)), "2.35 ± 0.41");
        assert_eq!(mean_ci(&describe(20, 7.0e8, 3.04e7, 0.0, 0.0, 0.0)), "700 ± 30 million");
    }

    #[test]
    fn no_interval_where_every_replicate_agrees() {
        let d = describe(100, 1.61e7, 0.0, 1.61e7, 1.61e7, 1.61e7);
        assert_eq!(median_interval(Outcome::AirdropUsableKcal, &d), "16.1 million");
        let d = describe(100, 0.0, 0.0, 0.0, 0.0, 0.0);
        assert_eq!(median_interval(Outcome::DeathsViolence, &d), "0");
    }

    #[test]
    fn one_replicate_has_no_interval() {
        let d = describe(1, 42448.0, f64::NAN, 42448.0, 42448.0, 42448.0);
        assert_eq!(median_interval(Outcome::DeathsTotal, &d), "42,448");
        assert_eq!(mean_ci(&d), "42,448");
    }
}
