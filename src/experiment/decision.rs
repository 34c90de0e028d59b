//! Decision metrics: a plan's outcomes as paired differences against a baseline, replicate by
//! replicate. Replicate r of every scenario draws from stream r of its seed (common random
//! numbers), so where two plans agree their draws agree, and the difference of replicate r is the
//! plan's effect on that replicate's dice; the mean of those differences has a much narrower
//! interval than the difference of two independent means. `deaths_averted` is baseline deaths
//! minus plan deaths at each horizon day H (the deaths of days 0 … H−1, read from the daily
//! records), so a plan that only pushes deaths past the end of the run shows up at the horizons.

use super::ReplicateResult;
use super::stats::{self, Describe};
use crate::observe::{DayRecord, OUTCOMES, Summary, absent_cell};
use crate::scenario::Scenario;

/// What the paired comparison reads of one replicate: its summary, its cumulative deaths by
/// each day of the comparison's day list ([`days_list`]) and, when it kept its daily records,
/// what the horizons after the siege's end read ([`AfterEnd`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Replicate {
    pub summary: Summary,
    pub deaths_by: Vec<f64>,
    /// Empty without daily records (sweeps and the optimiser keep none).
    pub after_end: AfterEnd,
}

impl Replicate {
    /// A replicate known by its summary alone (a sweep's or the optimiser's): deaths at the run's
    /// end, and to the day its siege was lifted (the one horizon after the end it knows, N = 0).
    pub fn of_summary(summary: &Summary) -> Self {
        Replicate {
            deaths_by: vec![summary.deaths_total as f64],
            summary: summary.clone(),
            after_end: AfterEnd::of(&[], summary),
        }
    }
}

/// A replicate's cumulative deaths at the end of each day (`n_dead`, day 0 first; empty when
/// only its summary is known), the day its siege was lifted and the deaths before that day (the
/// run's total where it was not lifted: `siege_lifted_day` and `deaths_to_lifting` of its
/// summary), for the horizons that end N days after the siege does.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AfterEnd {
    pub dead: Vec<f64>,
    pub lifted: Option<u32>,
    pub to_lifting: f64,
}

impl AfterEnd {
    /// From a replicate's daily records (in day order; none kept: empty) and its summary.
    pub fn of(days: &[DayRecord], summary: &Summary) -> Self {
        AfterEnd {
            dead: cumulative_deaths(days),
            lifted: summary.siege_lifted_day,
            to_lifting: summary.deaths_to_lifting as f64,
        }
    }
}

/// The last day (exclusive) a horizon N days after the end counts in a pair: the day the
/// baseline's siege was lifted in that replicate, plus N, within the run; the run's end where it
/// was not lifted. Both sides of a pair count the same days.
fn after_end_limit(base: &AfterEnd, n: u32, days: u32) -> u32 {
    base.lifted.map_or(days, |l| l.saturating_add(n).min(days))
}

/// One side of a comparison: its replicates in replicate order and whether its relief has a cost
/// (every airdrop and convoy gives `cost_per_tonne`; no relief costs nothing).
#[derive(Clone, Debug)]
pub struct Arm {
    pub replicates: Vec<Replicate>,
    pub costed: bool,
}

/// One paired statistic: `measure` at day `day` across the paired replicates.
#[derive(Clone, Debug, PartialEq)]
pub struct Measure {
    pub measure: String,
    pub day: u32,
    /// Replicate pairs compared.
    pub pairs: usize,
    /// Empty (NaN, n = 0) where the measure does not apply (per tonne without extra tonnes).
    pub stats: Describe,
}

/// Whether a scenario's relief has a cost: every airdrop and every convoy gives `cost_per_tonne`
/// (none: free).
pub fn costed(s: &Scenario) -> bool {
    s.airdrops().iter().all(|a| a.cost_per_tonne.is_some()) && s.convoys().iter().all(|v| v.cost_per_tonne.is_some())
}

/// The horizons `--horizons` gives, as day counts H: a whole number is H itself, a date (with
/// `start_date`, the scenarios' `simulation.start_date`) counts the deaths to the end of that day,
/// so H is its day + 1 (`2020-10-25` in a scenario starting on 2020-10-06 is day 19: H = 20, "days
/// 0–19"). Every value that is neither, and every date that is no day of the run's calendar
/// (before `start_date`, or without one), is named at once.
pub fn parse_horizons(given: &[String], start_date: Option<&str>) -> Result<Vec<u32>, String> {
    let mut horizons = Vec::with_capacity(given.len());
    let mut problems = Vec::new();
    for g in given {
        let g = g.trim();
        if let Ok(h) = g.parse::<u32>() {
            horizons.push(h);
            continue;
        }
        let date = crate::scenario::date::day_of(&toml::Value::String(g.to_string()), start_date);
        match date {
            Some(Ok(day)) => match u32::try_from(day + 1) {
                Ok(h) => horizons.push(h),
                Err(_) => problems.push(format!("{g} is too far from simulation.start_date")),
            },
            Some(Err(e)) => problems.push(e),
            None => problems.push(format!("{g:?} is neither a number of days nor a date")),
        }
    }
    if problems.is_empty() {
        Ok(horizons)
    } else {
        Err(format!("--horizons: {}", problems.join("; ")))
    }
}

/// Checks the horizons a user gave against the run length: each a day 1 … `days` (the deaths of
/// days 0 … H−1). Every bad value is named at once.
pub fn check_horizons(horizons: &[u32], days: u32) -> Result<(), String> {
    refuse_outside(
        horizons,
        |h| h == 0 || h > days,
        |bad| {
            format!(
                "--horizons: {bad} not within the run (each horizon H counts the deaths of days 0 … H−1, so 1 ≤ H ≤ {days}, the scenarios' simulation.days)"
            )
        },
    )
}

/// Checks the horizons after the siege's end a user gave (`--after-end`): each N days, 0 … `days`
/// (beyond the run nothing more is counted). Every bad value is named at once.
pub fn check_after_end(after: &[u32], days: u32) -> Result<(), String> {
    refuse_outside(
        after,
        |n| n > days,
        |bad| {
            format!(
                "--after-end: {bad} longer than the run (each N counts the deaths to N days after the siege is lifted, so 0 ≤ N ≤ {days}, the scenarios' simulation.days)"
            )
        },
    )
}

/// The values for which `outside` holds, named at once in `message` ("3, 120"); Ok if none.
fn refuse_outside(
    values: &[u32],
    outside: impl Fn(u32) -> bool,
    message: impl Fn(&str) -> String,
) -> Result<(), String> {
    let bad: Vec<String> = values.iter().filter(|&&v| outside(v)).map(u32::to_string).collect();
    if bad.is_empty() {
        Ok(())
    } else {
        Err(message(&bad.join(", ")))
    }
}

/// How a horizon N days after the siege's end is named wherever it is shown: "to end+30 d"
/// ("to the end" for 0): the deaths from day 0 to N days after the siege was lifted in each
/// replicate (the day it is lifted not counted when N = 0).
pub fn after_end_label(n: u32) -> String {
    if n == 0 {
        "to the end".into()
    } else {
        format!("to end+{n} d")
    }
}

/// The days at which deaths are compared: the horizons and the run's end, sorted, once each.
pub fn days_list(horizons: &[u32], days: u32) -> Vec<u32> {
    let mut v: Vec<u32> = horizons.iter().copied().chain([days]).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// How a horizon H is named wherever it is shown (terminal, report): the days it counts, "days
/// 0–19" for H = 20 ("day 0" for H = 1). Days are numbered from 0 (day 0 is `start_date`), and
/// "by day N" means to the end of day N elsewhere (`n_dead` on day N of `timeseries.csv`, the
/// facts of `siege check`), so "by day 20" would name one day more than H = 20 counts.
/// H ≥ 1 ([`check_horizons`]).
pub fn horizon_label(h: u32) -> String {
    if h <= 1 {
        "day 0".into()
    } else {
        format!("days 0–{}", h - 1)
    }
}

/// Cumulative deaths (all causes) over horizon `h` (the days 0 … h−1 of [`horizon_label`]):
/// `n_dead` at the end of day h−1; 0 for h = 0.
pub fn deaths_by_day(days: &[DayRecord], h: u32) -> f64 {
    deaths_to(&cumulative_deaths(days), h)
}

/// `n_dead` at the end of each day of a replicate's daily records (day 0 first).
fn cumulative_deaths(days: &[DayRecord]) -> Vec<f64> {
    days.iter().map(|d| d.n_dead as f64).collect()
}

/// Deaths over days 0 … h−1 of a cumulative series ([`cumulative_deaths`]): 0 for h = 0 or an
/// empty series, the series' last value past its end. The one reading of a horizon's deaths, at
/// fixed days and after the siege's end alike.
fn deaths_to(dead: &[f64], h: u32) -> f64 {
    match (h as usize).min(dead.len()) {
        0 => 0.0,
        k => dead[k - 1],
    }
}

/// A replicate's measures at the day list `at` (its last entry the run length), from its daily
/// records when it kept them, else from its summary (which knows only the run's end).
pub fn replicate(r: &ReplicateResult, at: &[u32], days: u32) -> Replicate {
    let after_end = AfterEnd::of(&r.days, &r.summary);
    Replicate {
        summary: r.summary.clone(),
        deaths_by: at
            .iter()
            .map(|&h| {
                if h >= days {
                    r.summary.deaths_total as f64
                } else {
                    deaths_to(&after_end.dead, h)
                }
            })
            .collect(),
        after_end,
    }
}

/// Mean, CI and quantiles of `f(plan, baseline)` over the replicate pairs (the first
/// min(plan, baseline) replicates of each, by index).
fn paired(plan: &Arm, base: &Arm, f: impl Fn(&Replicate, &Replicate) -> f64) -> Describe {
    let v: Vec<f64> = plan
        .replicates
        .iter()
        .zip(&base.replicates)
        .map(|(p, b)| f(p, b))
        .collect();
    stats::describe(&v)
}

/// No statistic: the measure does not apply.
fn none() -> Describe {
    stats::describe(&[])
}

/// The paired statistics of `plan` against `base`, both run for `days` days, at the day list `at`
/// ([`days_list`]): `deaths_averted`, `deaths_averted_per_tonne` and `deaths_averted_per_cost` at
/// each day, then each key outcome, `relief_tonnes` and `relief_cost` (airdrops and convoys) as
/// plan − baseline at the run's end. Per tonne (per cost) is the ratio of the two differences,
/// deaths averted ÷ (plan − baseline tonnes): the deaths each tonne between the two plans averts,
/// the same whichever has more (a plan with less relief has negative deaths averted and negative
/// extra tonnes); empty unless the plan has more tonnes (cost) in every pair, or less in every
/// pair. Then `deaths_averted_after_end` for each N of `after` (its `day` is N): the deaths
/// averted from day 0 to N days after the siege is lifted, replicate by replicate
/// ([`after_end_limit`]; needs both sides' daily records). Last, every other `summary.csv` column
/// as plan − baseline at the run's end ([`every_column`]): among them the deaths by cause, age
/// band and place of death, whose parts ([`crate::observe::DeathSplit`]) each sum to −(plan −
/// baseline `deaths_total`), the `deaths_averted` at the run's end.
pub fn vs_baseline(plan: &Arm, base: &Arm, at: &[u32], after: &[u32], days: u32) -> Vec<Measure> {
    let pairs = plan.replicates.len().min(base.replicates.len());
    let pairs_iter = || plan.replicates.iter().zip(&base.replicates);
    // Both modes: "five airdrops or one convoy" is compared per tonne and per cost of relief.
    let tonnes = |r: &Replicate| r.summary.airdrop_tonnes + r.summary.convoy_tonnes;
    let extra_tonnes = |p: &Replicate, b: &Replicate| tonnes(p) - tonnes(b);
    let extra_cost = |p: &Replicate, b: &Replicate| p.summary.relief_cost - b.summary.relief_cost;
    // Each pair's difference on one side of zero (a ratio over no difference is no number).
    let one_side = |d: &dyn Fn(&Replicate, &Replicate) -> f64| {
        pairs > 0 && (pairs_iter().all(|(p, b)| d(p, b) > 1e-9) || pairs_iter().all(|(p, b)| d(p, b) < -1e-9))
    };
    let more_tonnes = one_side(&extra_tonnes);
    let more_cost = plan.costed && base.costed && one_side(&extra_cost);
    let m = |measure: &str, day: u32, stats: Describe| Measure {
        measure: measure.to_string(),
        day,
        pairs,
        stats,
    };
    let mut out = Vec::new();
    for (i, &day) in at.iter().enumerate() {
        let averted = move |p: &Replicate, b: &Replicate| b.deaths_by[i] - p.deaths_by[i];
        out.push(m("deaths_averted", day, paired(plan, base, averted)));
        out.push(m(
            "deaths_averted_per_tonne",
            day,
            if more_tonnes {
                paired(plan, base, |p, b| averted(p, b) / extra_tonnes(p, b))
            } else {
                none()
            },
        ));
        out.push(m(
            "deaths_averted_per_cost",
            day,
            if more_cost {
                paired(plan, base, |p, b| averted(p, b) / extra_cost(p, b))
            } else {
                none()
            },
        ));
    }
    for &n in after {
        // From the daily records; from the summaries only to the day of lifting (N = 0), when
        // both sides of every pair were lifted on the same day (or neither was).
        let series = pairs_iter().all(|(p, b)| !p.after_end.dead.is_empty() && !b.after_end.dead.is_empty());
        let same_day = n == 0 && pairs_iter().all(|(p, b)| p.after_end.lifted == b.after_end.lifted);
        let stats = if series {
            paired(plan, base, move |p, b| {
                let h = after_end_limit(&b.after_end, n, days);
                deaths_to(&b.after_end.dead, h) - deaths_to(&p.after_end.dead, h)
            })
        } else if same_day {
            paired(plan, base, |p, b| b.after_end.to_lifting - p.after_end.to_lifting)
        } else {
            none()
        };
        out.push(m("deaths_averted_after_end", n, stats));
    }
    for o in OUTCOMES {
        let d = paired(plan, base, |p, b| {
            p.summary.outcome(o.outcome) - b.summary.outcome(o.outcome)
        });
        out.push(m(o.name, days, d));
    }
    out.push(m("relief_tonnes", days, paired(plan, base, extra_tonnes)));
    out.push(m(
        "relief_cost",
        days,
        if plan.costed && base.costed {
            paired(plan, base, extra_cost)
        } else {
            none()
        },
    ));
    let shown: Vec<String> = out.iter().map(|m| m.measure.clone()).collect();
    for (column, stats) in every_column(plan, base) {
        if !shown.contains(&column) {
            out.push(m(&column, days, stats));
        }
    }
    out
}

/// Plan − baseline of every `summary.csv` column (after `replicate` and `seed`), in its order
/// (the plan's columns, then any only the baseline has), over the replicate pairs: an empty
/// cell is unknown and left out of the statistics, as for the key outcomes, and a column one
/// side lacks reads [`absent_cell`] there.
fn every_column(plan: &Arm, base: &Arm) -> Vec<(String, Describe)> {
    let cells = |arm: &Arm| -> Vec<Vec<(String, f64)>> {
        arm.replicates
            .iter()
            .map(|r| {
                r.summary
                    .cells()
                    .into_iter()
                    .map(|(n, v)| (n.into_owned(), v.0.unwrap_or(f64::NAN)))
                    .collect()
            })
            .collect()
    };
    let (p, b) = (cells(plan), cells(base));
    let mut columns: Vec<String> = Vec::new();
    for (c, _) in p.first().into_iter().chain(b.first()).flatten() {
        if !columns.contains(c) {
            columns.push(c.clone());
        }
    }
    let read = |row: &[(String, f64)], column: &str| {
        row.iter()
            .find(|(c, _)| c == column)
            .map_or_else(|| absent_cell(column), |&(_, v)| v)
    };
    columns
        .into_iter()
        .map(|column| {
            let v: Vec<f64> = p
                .iter()
                .zip(&b)
                .map(|(pr, br)| read(pr, &column) - read(br, &column))
                .collect();
            let d = stats::describe(&v);
            (column, d)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rep(deaths: u64, tonnes: f64, by: &[f64]) -> Replicate {
        Replicate {
            summary: Summary {
                deaths_total: deaths,
                airdrop_tonnes: tonnes,
                ..Summary::default()
            },
            deaths_by: by.to_vec(),
            after_end: AfterEnd::default(),
        }
    }

    #[test]
    fn an_arm_against_itself_differs_by_exactly_zero() {
        let arm = Arm {
            replicates: (0..5).map(|r| rep(10 + r, 2.0, &[r as f64, (10 + r) as f64])).collect(),
            costed: true,
        };
        let cells = arm.replicates[0].summary.cells();
        let empty = |name: &str| cells.iter().any(|(n, v)| n == name && v.0.is_none());
        for m in vs_baseline(&arm, &arm, &[5, 30], &[], 30) {
            if m.measure.starts_with("deaths_averted_per_") || empty(&m.measure) {
                assert!(
                    m.stats.mean.is_nan(),
                    "{m:?}: no extra tonnes (no day food ran out), no number"
                );
                continue;
            }
            let d = m.stats;
            assert_eq!(
                (d.mean, d.ci95_lo, d.ci95_hi, d.p05, d.p95),
                (0.0, 0.0, 0.0, 0.0, 0.0),
                "{m:?}"
            );
        }
    }

    #[test]
    fn averted_is_baseline_minus_plan_and_per_tonne_divides_pair_by_pair() {
        let base = Arm {
            replicates: vec![rep(20, 0.0, &[5.0, 20.0]), rep(30, 0.0, &[6.0, 30.0])],
            costed: true,
        };
        let plan = Arm {
            replicates: vec![rep(16, 2.0, &[5.0, 16.0]), rep(22, 2.0, &[6.0, 22.0])],
            costed: true,
        };
        let ms = vs_baseline(&plan, &base, &[10, 30], &[], 30);
        let get = |name: &str, day: u32| ms.iter().find(|m| m.measure == name && m.day == day).unwrap().stats;
        assert_eq!(get("deaths_averted", 30).mean, 6.0);
        assert_eq!(get("deaths_averted", 10).mean, 0.0);
        assert_eq!(get("deaths_averted_per_tonne", 30).mean, 3.0);
        assert_eq!(get("deaths_total", 30).mean, -6.0);
        assert_eq!(get("relief_tonnes", 30).mean, 2.0);
        // No cost was spent (airdrop_cost 0 on both sides): no ratio.
        assert!(get("deaths_averted_per_cost", 30).mean.is_nan());
        // The other way round: the smaller plan against the larger averts −6 deaths with −2 t,
        // the same 3 deaths a tonne between them.
        let back = vs_baseline(&base, &plan, &[10, 30], &[], 30);
        let get = |name: &str| back.iter().find(|m| m.measure == name && m.day == 30).unwrap().stats;
        assert_eq!(get("deaths_averted").mean, -6.0);
        assert_eq!(get("deaths_averted_per_tonne").mean, 3.0);
        // Tonnes on both sides of the baseline's across pairs: no ratio.
        let mixed = Arm {
            replicates: vec![rep(16, 2.0, &[5.0, 16.0]), rep(32, 0.0, &[6.0, 32.0])],
            costed: true,
        };
        let base = Arm {
            replicates: vec![rep(20, 1.0, &[5.0, 20.0]), rep(30, 1.0, &[6.0, 30.0])],
            costed: true,
        };
        let ms = vs_baseline(&mixed, &base, &[30], &[], 30);
        assert!(
            ms.iter()
                .find(|m| m.measure == "deaths_averted_per_tonne")
                .unwrap()
                .stats
                .mean
                .is_nan()
        );
    }

    #[test]
    fn every_summary_column_follows_and_a_place_one_side_lacks_reads_0_there() {
        let with = |deaths_at: &[(&str, u64)], market: bool| {
            let mut r = rep(deaths_at.iter().map(|d| d.1).sum(), 0.0, &[0.0]);
            r.summary.deaths_at = deaths_at.iter().map(|&(l, n)| (l.to_string(), n)).collect();
            r.summary.displaced_to = deaths_at.iter().map(|&(l, _)| (l.to_string(), 0)).collect();
            if market {
                r.summary = r.summary.with_wealth();
            }
            r
        };
        let arm = |r: Replicate| Arm {
            replicates: vec![r],
            costed: false,
        };
        // The plan has a camp the baseline lacks; the baseline has the market's groups.
        let plan = arm(with(&[("town", 3), ("camp", 2)], false));
        let base = arm(with(&[("town", 9)], true));
        let ms = vs_baseline(&plan, &base, &[1], &[], 1);
        let names: Vec<&str> = ms.iter().map(|m| m.measure.as_str()).collect();
        let after = names.iter().position(|&n| n == "relief_cost").unwrap() + 1;
        assert_eq!(names[after], "deaths_background", "the key outcomes are not repeated");
        let get = |name: &str| ms.iter().find(|m| m.measure == name).unwrap().stats.mean;
        assert_eq!(get("deaths_at_town"), -6.0);
        assert_eq!(get("deaths_at_camp"), 2.0);
        assert_eq!(get("deaths_at_town") + get("deaths_at_camp"), get("deaths_total"));
        // A wealth group's deaths the plan does not know: no difference, not −0.
        assert!(get("deaths_poor").is_nan());
        // The plan's columns first, then those only the baseline has.
        assert!(names.iter().position(|&n| n == "deaths_at_camp") < names.iter().position(|&n| n == "deaths_poor"));
    }

    #[test]
    fn a_horizon_is_named_by_the_days_it_counts() {
        assert_eq!(horizon_label(20), "days 0–19");
        assert_eq!(horizon_label(1), "day 0");
        assert_eq!(horizon_label(180), "days 0–179");
    }

    #[test]
    fn horizons_outside_the_run_are_refused_all_at_once() {
        assert!(check_horizons(&[30, 90], 90).is_ok());
        let e = check_horizons(&[0, 30, 120, 200], 90).unwrap_err();
        assert!(e.contains("0, 120, 200") && e.contains("90"), "{e}");
        assert_eq!(days_list(&[90, 30, 90], 60), vec![30, 60, 90]);
    }

    #[test]
    fn deaths_by_day_counts_days_before_it() {
        let days: Vec<DayRecord> = (0..5)
            .map(|d| DayRecord {
                day: d,
                n_dead: u64::from(d) * 2,
                ..DayRecord::default()
            })
            .collect();
        assert_eq!(deaths_by_day(&days, 0), 0.0);
        assert_eq!(deaths_by_day(&days, 1), 0.0);
        assert_eq!(deaths_by_day(&days, 3), 4.0);
        assert_eq!(deaths_by_day(&days, 5), 8.0);
    }

    /// What the horizons after the end read of a run: `dead[d]` dead by the end of day d, its
    /// siege lifted on `lifted` (never if None; the summary's rule, tested in observe::summary).
    fn run(dead: &[u64], lifted: Option<u32>) -> AfterEnd {
        let dead: Vec<f64> = dead.iter().map(|&d| d as f64).collect();
        AfterEnd {
            to_lifting: lifted.map_or(*dead.last().unwrap(), |l| dead[l as usize - 1]),
            dead,
            lifted,
        }
    }

    #[test]
    fn a_horizon_after_the_end_counts_to_the_baselines_lifting_plus_n_in_each_pair() {
        let rep = |dead: &[u64], lifted: Option<u32>| Replicate {
            after_end: run(dead, lifted),
            ..rep(*dead.last().unwrap(), 0.0, &[*dead.last().unwrap() as f64])
        };
        // Pair 0: lifted on day 3 in the baseline (day 5 in the plan, which is not read); pair 1:
        // never lifted, so the whole run counts.
        let base = Arm {
            replicates: vec![
                rep(&[0, 1, 2, 4, 6, 8, 9, 9], Some(3)),
                rep(&[0, 2, 4, 6, 8, 9, 9, 9], None),
            ],
            costed: false,
        };
        let plan = Arm {
            replicates: vec![
                rep(&[0, 1, 1, 2, 3, 4, 5, 6], Some(5)),
                rep(&[0, 1, 2, 3, 4, 5, 6, 7], None),
            ],
            costed: false,
        };
        let ms = vs_baseline(&plan, &base, &[8], &[0, 2, 100], 8);
        let after = |n: u32| {
            ms.iter()
                .find(|m| m.measure == "deaths_averted_after_end" && m.day == n)
                .unwrap()
                .stats
        };
        // N = 0: days 0–2 in pair 0 (2 − 1 = 1), the whole run in pair 1 (9 − 7 = 2).
        assert_eq!(after(0).mean, 1.5);
        // N = 2: days 0–4 in pair 0 (6 − 3 = 3).
        assert_eq!(after(2).mean, 2.5);
        // Past the run's end: the run (9 − 6 = 3 and 2).
        assert_eq!(after(100).mean, 2.5);
        assert!(check_after_end(&[0, 8], 8).is_ok());
        let e = check_after_end(&[0, 9, 20], 8).unwrap_err();
        assert!(e.contains("9, 20") && e.contains("≤ 8"), "{e}");
        assert_eq!(after_end_label(0), "to the end");
        assert_eq!(after_end_label(30), "to end+30 d");
    }
}
