//! Per-run outcomes (`summary.csv`), accumulated from the daily records and the run's totals.

use super::files::Number;
use super::{DayRecord, LocationRecord, Observer};
use std::borrow::Cow;

/// The outcomes summarised across replicates: in the terminal summary, `sweep_summary.csv`,
/// `compare.csv` and the sweep charts. Read from a [`Summary`] with [`Summary::outcome`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    DeathsTotal,
    DeathsStarvation,
    DeathsViolence,
    DeathsDisease,
    DeathsUnder5,
    DisplacedTotal,
    KidnappedTotal,
    PeakCdrPer10k,
    DaysCdr30Ge2,
    AirdropUsableKcal,
}

/// A key outcome with its `summary.csv` column, and the label and unit its charts show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeInfo {
    pub outcome: Outcome,
    /// The `summary.csv` column (and the stem of the `<name>_<statistic>` columns).
    pub name: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
}

/// The key outcomes, in the order every table and chart lists them.
pub const OUTCOMES: [OutcomeInfo; 10] = [
    OutcomeInfo::new(Outcome::DeathsTotal, "deaths_total", "deaths, all causes", "people"),
    OutcomeInfo::new(
        Outcome::DeathsStarvation,
        "deaths_starvation",
        "deaths from starvation",
        "people",
    ),
    OutcomeInfo::new(
        Outcome::DeathsViolence,
        "deaths_violence",
        "deaths from violence",
        "people",
    ),
    OutcomeInfo::new(
        Outcome::DeathsDisease,
        "deaths_disease",
        "deaths from infections",
        "people",
    ),
    OutcomeInfo::new(Outcome::DeathsUnder5, "deaths_under5", "deaths of under-5s", "people"),
    OutcomeInfo::new(Outcome::DisplacedTotal, "displaced_total", "people displaced", "people"),
    OutcomeInfo::new(Outcome::KidnappedTotal, "kidnapped_total", "people kidnapped", "people"),
    OutcomeInfo::new(
        Outcome::PeakCdrPer10k,
        "peak_cdr_per_10k",
        "peak crude death rate",
        "deaths/10,000/day",
    ),
    OutcomeInfo::new(
        Outcome::DaysCdr30Ge2,
        "days_cdr30_ge_2",
        "days with 30-day CDR ≥ 2 (famine)",
        "days",
    ),
    OutcomeInfo::new(
        Outcome::AirdropUsableKcal,
        "airdrop_usable_kcal",
        "airdropped energy reaching households",
        "kcal",
    ),
];

/// The outcomes the terminal tables of `sweep` and `compare` show (all are in the files).
pub const SHOWN_OUTCOMES: [Outcome; 3] = [Outcome::DeathsTotal, Outcome::DeathsStarvation, Outcome::DisplacedTotal];

impl OutcomeInfo {
    const fn new(outcome: Outcome, name: &'static str, label: &'static str, unit: &'static str) -> Self {
        OutcomeInfo {
            outcome,
            name,
            label,
            unit,
        }
    }
}

impl Outcome {
    pub fn info(self) -> &'static OutcomeInfo {
        OUTCOMES
            .iter()
            .find(|o| o.outcome == self)
            .expect("every outcome is in OUTCOMES")
    }

    /// Its `summary.csv` column.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// The outcome whose `summary.csv` column is `name`.
    pub fn named(name: &str) -> Option<Outcome> {
        OUTCOMES.iter().find(|o| o.name == name).map(|o| o.outcome)
    }
}

/// The three ways `summary.csv` splits a run's deaths (`deaths_total`) into parts that sum to it
/// in every run: by cause, by age band, and by the place where they died (`deaths_at_<location>`).
/// What `compare --baseline` reads to show where the deaths a plan averts are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeathSplit {
    Cause,
    Age,
    Place,
}

impl DeathSplit {
    /// In the order they are shown.
    pub const ALL: [DeathSplit; 3] = [DeathSplit::Cause, DeathSplit::Age, DeathSplit::Place];

    /// How it is named where it is shown: "cause", "age", "place".
    pub fn word(self) -> &'static str {
        match self {
            DeathSplit::Cause => "cause",
            DeathSplit::Age => "age",
            DeathSplit::Place => "place",
        }
    }

    /// The split a `summary.csv` column is a part of, and the part's label ("starvation",
    /// "under 5", "at farabougou"); None for a column that is no part of a split.
    pub fn of_column(column: &str) -> Option<(DeathSplit, Cow<'static, str>)> {
        if let Some(&(_, label)) = DEATH_CAUSES.iter().find(|(c, _)| *c == column) {
            return Some((DeathSplit::Cause, label.into()));
        }
        if let Some(&(_, label)) = DEATH_AGES.iter().find(|(c, _)| *c == column) {
            return Some((DeathSplit::Age, label.into()));
        }
        column
            .strip_prefix(DEATHS_AT)
            .map(|loc| (DeathSplit::Place, format!("at {loc}").into()))
    }
}

/// The causes of death that sum to `deaths_total` (the infections' four in `deaths_disease`), as
/// (`summary.csv` column, label).
const DEATH_CAUSES: [(&str, &str); 6] = [
    ("deaths_starvation", "starvation"),
    ("deaths_disease", "disease"),
    ("deaths_dehydration", "dehydration"),
    ("deaths_violence", "violence"),
    ("deaths_relief", "drop-zone accidents"),
    ("deaths_background", "background"),
];
/// The age bands that sum to `deaths_total`, as (`summary.csv` column, label).
const DEATH_AGES: [(&str, &str); 4] = [
    ("deaths_under5", "under 5"),
    ("deaths_5_14", "5–14"),
    ("deaths_15_59", "15–59"),
    ("deaths_60_plus", "60+"),
];

/// What a `summary.csv` column one side of a comparison lacks reads on that side: 0 for a
/// location's columns (`displaced_to_<location>`, `deaths_at_<location>`: nobody arrives or dies
/// at a place the scenario does not have, so the deaths by place still sum to the total), unknown
/// (NaN) for any other (a wealth group's without `[market]`).
pub fn absent_cell(column: &str) -> f64 {
    if column.starts_with(DEATHS_AT) || column.starts_with(DISPLACED_TO) {
        0.0
    } else {
        f64::NAN
    }
}

/// Totals only the world knows at the end of a run.
#[derive(Clone, Debug, Default)]
pub struct RunTotals {
    /// Deaths by age group: under 5, 5–14, 15–59, 60+.
    pub deaths_by_age: [u64; 4],
    /// Deaths from starvation, then from the infections (all four), by the same age groups.
    pub deaths_by_cause_age: [[u64; 4]; 2],
    /// Adults holding each card (worker, employee, dependant) at the start; 0 where no card is
    /// read.
    pub adults_by_card: [u64; 3],
    pub kidnapped: u64,
    pub intercepted: u64,
    pub displaced: u64,
    /// (location id, people who arrived displaced there).
    pub displaced_to: Vec<(String, u64)>,
    /// (location id, deaths of people there, in transit at the place they set out from).
    pub deaths_at: Vec<(String, u64)>,
    pub airdrop_tonnes: f64,
    pub airdrop_landed_kcal: f64,
    pub airdrop_usable_kcal: f64,
    pub airdrop_captured_kcal: f64,
    pub airdrop_cost: f64,
    pub convoy_tonnes: f64,
    pub convoy_delivered_kcal: f64,
    pub convoy_looted_kcal: f64,
    pub convoys_blocked: u64,
    pub convoy_cost: f64,
    /// First day the people at home had less than one day of food left.
    pub first_day_food_out: Option<u32>,
    /// Food held by households as they set out from home, kcal.
    pub food_carried_kcal: f64,
    /// (wealth group, deaths, mean intake kcal per person-day) when `[market]` is on, else empty.
    pub by_wealth: Vec<(String, Option<u64>, f64)>,
}

/// One replicate's outcomes: a row of `summary.csv`.
#[derive(Clone, Debug, Default)]
pub struct Summary {
    pub replicate: u32,
    pub seed: u64,
    pub deaths_total: u64,
    pub deaths_starvation: u64,
    pub deaths_background: u64,
    pub deaths_violence: u64,
    pub deaths_dehydration: u64,
    /// Killed at drop zones (falling pallets, crushes).
    pub deaths_relief: u64,
    /// Deaths from the infections of `[disease]`, all four, and by disease in
    /// `model::disease::NAMES` order.
    pub deaths_disease: u64,
    pub deaths_by_disease: [u64; 4],
    /// Episodes by disease, the same order.
    pub cases_by_disease: [u64; 4],
    pub deaths_under5: u64,
    pub deaths_5_14: u64,
    pub deaths_15_59: u64,
    pub deaths_60_plus: u64,
    /// Deaths from starvation and from the infections (all four) by the same age groups: the
    /// `deaths_starvation_<group>` and `deaths_disease_<group>` columns.
    pub deaths_starvation_by_age: [u64; 4],
    pub deaths_disease_by_age: [u64; 4],
    /// Deaths in the bands of `timeseries.csv` (under 1, 1–4, 15–39, 40–59) and by sex.
    pub deaths_infant: u64,
    pub deaths_1_4: u64,
    pub deaths_15_39: u64,
    pub deaths_40_59: u64,
    pub deaths_male: u64,
    pub deaths_female: u64,
    /// Deaths of adults by the card they held at the start (0 where no card is read).
    pub deaths_worker: u64,
    pub deaths_employee: u64,
    pub deaths_dependant: u64,
    /// Adults holding each card at the start (0 where no card is read).
    pub adults_worker: u64,
    pub adults_employee: u64,
    pub adults_dependant: u64,
    pub kidnapped_total: u64,
    /// Taken out by organised evacuations (`[[evacuations]]`) over the run.
    pub evacuated_total: u64,
    pub intercepted_total: u64,
    pub displaced_total: u64,
    /// (location id, people who arrived displaced there), one per location in scenario order:
    /// the `displaced_to_<location>` columns.
    pub displaced_to: Vec<(String, u64)>,
    /// (location id, deaths there), one per location in scenario order: the
    /// `deaths_at_<location>` columns.
    pub deaths_at: Vec<(String, u64)>,
    /// (wealth group, deaths, mean intake kcal per person-day), one per group of
    /// `model::market::GROUPS` when `[market]` is on, else none: the `deaths_<group>` and
    /// `mean_intake_kcal_<group>` columns. In a sweep whose points differ in `market.enabled`
    /// the points without it have empty cells (deaths None, intake NaN): [`Summary::with_wealth`].
    pub by_wealth: Vec<(String, Option<u64>, f64)>,
    pub peak_cdr_per_10k: f64,
    pub peak_u5dr_per_10k: f64,
    pub peak_cdr30_per_10k: f64,
    pub first_day_food_out: Option<u32>,
    /// Food held by households as they set out from home over the run, kcal: what the leavers
    /// took with them (after leaving `1 − carry_share` behind).
    pub food_carried_kcal: f64,
    /// The day the siege was lifted (the first day it is not in force after a day it was), if it
    /// was within the run; and the deaths of the days before it (days 0 … lifted − 1), the run's
    /// total where it was not lifted.
    pub siege_lifted_day: Option<u32>,
    pub deaths_to_lifting: u64,
    pub days_cdr30_ge_2: u32,
    pub days_u5dr30_ge_4: u32,
    pub min_mean_adult_bmi: Option<f64>,
    pub peak_gam_pct: f64,
    pub peak_sam_pct: f64,
    pub airdrop_tonnes: f64,
    pub airdrop_landed_kcal: f64,
    pub airdrop_usable_kcal: f64,
    pub airdrop_captured_kcal: f64,
    pub airdrop_cost: f64,
    pub convoy_tonnes: f64,
    pub convoy_delivered_kcal: f64,
    pub convoy_looted_kcal: f64,
    pub convoys_blocked: u64,
    pub convoy_cost: f64,
    pub relief_cost: f64,
}

/// The infections, by the names of their columns.
const DISEASES: [&str; 4] = crate::model::disease::NAMES;
/// The prefixes of the per-disease columns of `summary.csv`.
const CASES: &str = "cases_";
const DEATHS: &str = "deaths_";
/// Equal when written as the same row: an unknown peak (NaN, an empty cell) in both is equal.
impl PartialEq for Summary {
    fn eq(&self, other: &Self) -> bool {
        self.replicate == other.replicate && self.seed == other.seed && self.cells() == other.cells()
    }
}

/// The age groups of the `deaths_<group>` columns, and the causes counted by them in the
/// `deaths_<cause>_<group>` columns.
const AGE_GROUPS: [&str; 4] = ["under5", "5_14", "15_59", "60_plus"];
const STARVATION_BY_AGE: &str = "deaths_starvation_";
const DISEASE_BY_AGE: &str = "deaths_disease_";

/// The prefix of the per-destination columns of `summary.csv`.
const DISPLACED_TO: &str = "displaced_to_";
/// The prefix of the per-location death columns of `summary.csv`.
const DEATHS_AT: &str = "deaths_at_";
/// The wealth groups and the prefix of their mean intake columns (their deaths are `deaths_<group>`).
const GROUPS: [&str; 3] = crate::model::market::GROUPS;
const MEAN_INTAKE: &str = "mean_intake_kcal_";

impl Summary {
    /// A key outcome.
    pub fn outcome(&self, outcome: Outcome) -> f64 {
        match outcome {
            Outcome::DeathsTotal => self.deaths_total as f64,
            Outcome::DeathsStarvation => self.deaths_starvation as f64,
            Outcome::DeathsViolence => self.deaths_violence as f64,
            Outcome::DeathsDisease => self.deaths_disease as f64,
            Outcome::DeathsUnder5 => self.deaths_under5 as f64,
            Outcome::DisplacedTotal => self.displaced_total as f64,
            Outcome::KidnappedTotal => self.kidnapped_total as f64,
            Outcome::PeakCdrPer10k => self.peak_cdr_per_10k,
            Outcome::DaysCdr30Ge2 => f64::from(self.days_cdr30_ge_2),
            Outcome::AirdropUsableKcal => self.airdrop_usable_kcal,
        }
    }

    /// The `summary.csv` columns after `replicate` and `seed`, named, in order: the one list from
    /// which the header and the rows of `summary.csv` and `sweep.csv` are written, and which
    /// [`Summary::from_cells`] reads back.
    pub fn cells(&self) -> Vec<(Cow<'static, str>, Number)> {
        let n = |x: u64| Number(Some(x as f64));
        let x = Number::finite;
        let mut cells: Vec<(Cow<'static, str>, Number)> = vec![
            ("deaths_total".into(), n(self.deaths_total)),
            ("deaths_starvation".into(), n(self.deaths_starvation)),
            ("deaths_background".into(), n(self.deaths_background)),
            ("deaths_violence".into(), n(self.deaths_violence)),
            ("deaths_dehydration".into(), n(self.deaths_dehydration)),
            ("deaths_relief".into(), n(self.deaths_relief)),
            ("deaths_disease".into(), n(self.deaths_disease)),
            ("deaths_under5".into(), n(self.deaths_under5)),
            ("deaths_5_14".into(), n(self.deaths_5_14)),
            ("deaths_15_59".into(), n(self.deaths_15_59)),
            ("deaths_60_plus".into(), n(self.deaths_60_plus)),
        ];
        for (prefix, counts) in [
            (STARVATION_BY_AGE, &self.deaths_starvation_by_age),
            (DISEASE_BY_AGE, &self.deaths_disease_by_age),
        ] {
            for (group, &count) in AGE_GROUPS.iter().zip(counts) {
                cells.push((format!("{prefix}{group}").into(), n(count)));
            }
        }
        cells.extend([
            ("deaths_infant".into(), n(self.deaths_infant)),
            ("deaths_1_4".into(), n(self.deaths_1_4)),
            ("deaths_15_39".into(), n(self.deaths_15_39)),
            ("deaths_40_59".into(), n(self.deaths_40_59)),
            ("deaths_male".into(), n(self.deaths_male)),
            ("deaths_female".into(), n(self.deaths_female)),
            ("deaths_worker".into(), n(self.deaths_worker)),
            ("deaths_employee".into(), n(self.deaths_employee)),
            ("deaths_dependant".into(), n(self.deaths_dependant)),
            ("adults_worker".into(), n(self.adults_worker)),
            ("adults_employee".into(), n(self.adults_employee)),
            ("adults_dependant".into(), n(self.adults_dependant)),
            ("kidnapped_total".into(), n(self.kidnapped_total)),
            ("evacuated_total".into(), n(self.evacuated_total)),
            ("intercepted_total".into(), n(self.intercepted_total)),
            ("displaced_total".into(), n(self.displaced_total)),
        ]);
        for (i, name) in DISEASES.iter().enumerate() {
            cells.push((format!("{CASES}{name}").into(), n(self.cases_by_disease[i])));
        }
        for (i, name) in DISEASES.iter().enumerate() {
            cells.push((format!("{DEATHS}{name}").into(), n(self.deaths_by_disease[i])));
        }
        for (loc, count) in &self.displaced_to {
            cells.push((format!("{DISPLACED_TO}{loc}").into(), n(*count)));
        }
        for (loc, count) in &self.deaths_at {
            cells.push((format!("{DEATHS_AT}{loc}").into(), n(*count)));
        }
        for (group, deaths, intake) in &self.by_wealth {
            cells.push((format!("{DEATHS}{group}").into(), Number(deaths.map(|d| d as f64))));
            cells.push((format!("{MEAN_INTAKE}{group}").into(), x(*intake)));
        }
        cells.extend([
            ("peak_cdr_per_10k".into(), x(self.peak_cdr_per_10k)),
            ("peak_u5dr_per_10k".into(), x(self.peak_u5dr_per_10k)),
            ("peak_cdr30_per_10k".into(), x(self.peak_cdr30_per_10k)),
            (
                "first_day_food_out".into(),
                Number(self.first_day_food_out.map(f64::from)),
            ),
            ("food_carried_kcal".into(), x(self.food_carried_kcal)),
            ("siege_lifted_day".into(), Number(self.siege_lifted_day.map(f64::from))),
            ("deaths_to_lifting".into(), n(self.deaths_to_lifting)),
            ("days_cdr30_ge_2".into(), n(u64::from(self.days_cdr30_ge_2))),
            ("days_u5dr30_ge_4".into(), n(u64::from(self.days_u5dr30_ge_4))),
            ("min_mean_adult_bmi".into(), Number(self.min_mean_adult_bmi)),
            ("peak_gam_pct".into(), x(self.peak_gam_pct)),
            ("peak_sam_pct".into(), x(self.peak_sam_pct)),
            ("airdrop_tonnes".into(), x(self.airdrop_tonnes)),
            ("airdrop_landed_kcal".into(), x(self.airdrop_landed_kcal)),
            ("airdrop_usable_kcal".into(), x(self.airdrop_usable_kcal)),
            ("airdrop_captured_kcal".into(), x(self.airdrop_captured_kcal)),
            ("airdrop_cost".into(), x(self.airdrop_cost)),
            ("convoy_tonnes".into(), x(self.convoy_tonnes)),
            ("convoy_delivered_kcal".into(), x(self.convoy_delivered_kcal)),
            ("convoy_looted_kcal".into(), x(self.convoy_looted_kcal)),
            ("convoys_blocked".into(), n(self.convoys_blocked)),
            ("convoy_cost".into(), x(self.convoy_cost)),
            ("relief_cost".into(), x(self.relief_cost)),
        ]);
        cells
    }

    /// The column names of [`Summary::cells`] for a scenario with these locations, with or
    /// without the wealth groups' columns (`[market]` on).
    pub fn column_names(location_ids: &[String], wealth: bool) -> Vec<String> {
        Summary::template(location_ids, wealth)
            .cells()
            .into_iter()
            .map(|(name, _)| name.into_owned())
            .collect()
    }

    /// An empty summary with the columns of a scenario with these locations, with or without the
    /// wealth groups' columns.
    pub fn template(location_ids: &[String], wealth: bool) -> Summary {
        Summary {
            displaced_to: location_ids.iter().map(|id| (id.clone(), 0)).collect(),
            deaths_at: location_ids.iter().map(|id| (id.clone(), 0)).collect(),
            by_wealth: if wealth {
                GROUPS.iter().map(|g| (g.to_string(), None, f64::NAN)).collect()
            } else {
                Vec::new()
            },
            ..Summary::default()
        }
    }

    /// This summary with the wealth groups' columns, empty if it has none (a point without
    /// `[market]` in a sweep whose other points have it).
    pub fn with_wealth(mut self) -> Summary {
        if self.by_wealth.is_empty() {
            self.by_wealth = GROUPS.iter().map(|g| (g.to_string(), None, f64::NAN)).collect();
        }
        self
    }

    /// Reads back the columns [`Summary::cells`] wrote (as in `sweep.csv`); an unknown column, a
    /// missing one or a malformed number is an error naming it.
    pub fn from_cells(replicate: u32, seed: u64, names: &[String], cells: &[&str]) -> Result<Summary, String> {
        if names.len() != cells.len() {
            return Err(format!("{} cells for {} columns", cells.len(), names.len()));
        }
        let mut s = Summary {
            replicate,
            seed,
            ..Summary::default()
        };
        for (name, cell) in names.iter().zip(cells) {
            let bad = || format!("column {name}: `{cell}` is not a number");
            let num = || -> Result<Option<f64>, String> {
                let cell = cell.trim();
                if cell.is_empty() {
                    Ok(None)
                } else {
                    cell.parse().map(Some).map_err(|_| bad())
                }
            };
            let count = || -> Result<u64, String> { cell.trim().parse().map_err(|_| bad()) };
            let real = || -> Result<f64, String> { num()?.ok_or_else(bad) };
            // A statistic that may be over nobody: empty is unknown (NaN).
            let stat = || -> Result<f64, String> { Ok(num()?.unwrap_or(f64::NAN)) };
            let day = || -> Result<u32, String> { cell.trim().parse().map_err(|_| bad()) };
            match name.as_str() {
                "deaths_total" => s.deaths_total = count()?,
                "deaths_starvation" => s.deaths_starvation = count()?,
                "deaths_background" => s.deaths_background = count()?,
                "deaths_violence" => s.deaths_violence = count()?,
                "deaths_dehydration" => s.deaths_dehydration = count()?,
                "deaths_relief" => s.deaths_relief = count()?,
                "deaths_disease" => s.deaths_disease = count()?,
                "deaths_under5" => s.deaths_under5 = count()?,
                "deaths_5_14" => s.deaths_5_14 = count()?,
                "deaths_15_59" => s.deaths_15_59 = count()?,
                "deaths_60_plus" => s.deaths_60_plus = count()?,
                "deaths_infant" => s.deaths_infant = count()?,
                "deaths_1_4" => s.deaths_1_4 = count()?,
                "deaths_15_39" => s.deaths_15_39 = count()?,
                "deaths_40_59" => s.deaths_40_59 = count()?,
                "deaths_male" => s.deaths_male = count()?,
                "deaths_female" => s.deaths_female = count()?,
                "deaths_worker" => s.deaths_worker = count()?,
                "deaths_employee" => s.deaths_employee = count()?,
                "deaths_dependant" => s.deaths_dependant = count()?,
                "adults_worker" => s.adults_worker = count()?,
                "adults_employee" => s.adults_employee = count()?,
                "adults_dependant" => s.adults_dependant = count()?,
                "kidnapped_total" => s.kidnapped_total = count()?,
                "evacuated_total" => s.evacuated_total = count()?,
                "intercepted_total" => s.intercepted_total = count()?,
                "displaced_total" => s.displaced_total = count()?,
                "peak_cdr_per_10k" => s.peak_cdr_per_10k = stat()?,
                "peak_u5dr_per_10k" => s.peak_u5dr_per_10k = stat()?,
                "peak_cdr30_per_10k" => s.peak_cdr30_per_10k = stat()?,
                "first_day_food_out" => s.first_day_food_out = if cell.trim().is_empty() { None } else { Some(day()?) },
                "food_carried_kcal" => s.food_carried_kcal = real()?,
                "siege_lifted_day" => s.siege_lifted_day = if cell.trim().is_empty() { None } else { Some(day()?) },
                "deaths_to_lifting" => s.deaths_to_lifting = count()?,
                "days_cdr30_ge_2" => s.days_cdr30_ge_2 = day()?,
                "days_u5dr30_ge_4" => s.days_u5dr30_ge_4 = day()?,
                "min_mean_adult_bmi" => s.min_mean_adult_bmi = num()?,
                "peak_gam_pct" => s.peak_gam_pct = stat()?,
                "peak_sam_pct" => s.peak_sam_pct = stat()?,
                "airdrop_tonnes" => s.airdrop_tonnes = real()?,
                "airdrop_landed_kcal" => s.airdrop_landed_kcal = real()?,
                "airdrop_usable_kcal" => s.airdrop_usable_kcal = real()?,
                "airdrop_captured_kcal" => s.airdrop_captured_kcal = real()?,
                "airdrop_cost" => s.airdrop_cost = real()?,
                "convoy_tonnes" => s.convoy_tonnes = real()?,
                "convoy_delivered_kcal" => s.convoy_delivered_kcal = real()?,
                "convoy_looted_kcal" => s.convoy_looted_kcal = real()?,
                "convoys_blocked" => s.convoys_blocked = count()?,
                "convoy_cost" => s.convoy_cost = real()?,
                "relief_cost" => s.relief_cost = real()?,
                other => {
                    let disease = |prefix: &str| {
                        other
                            .strip_prefix(prefix)
                            .and_then(|d| DISEASES.iter().position(|&n| n == d))
                    };
                    let group = |prefix: &str| other.strip_prefix(prefix).filter(|g| GROUPS.contains(g));
                    let age = |prefix: &str| {
                        other
                            .strip_prefix(prefix)
                            .and_then(|a| AGE_GROUPS.iter().position(|&n| n == a))
                    };
                    if let Some(i) = age(STARVATION_BY_AGE) {
                        s.deaths_starvation_by_age[i] = count()?;
                    } else if let Some(i) = age(DISEASE_BY_AGE) {
                        s.deaths_disease_by_age[i] = count()?;
                    } else if let Some(i) = disease(CASES) {
                        s.cases_by_disease[i] = count()?;
                    } else if let Some(i) = disease(DEATHS) {
                        s.deaths_by_disease[i] = count()?;
                    } else if let Some(g) = group(DEATHS) {
                        let deaths = if cell.trim().is_empty() { None } else { Some(count()?) };
                        s.by_wealth.push((g.to_string(), deaths, f64::NAN));
                    } else if let Some(g) = group(MEAN_INTAKE) {
                        match s.by_wealth.last_mut() {
                            Some(last) if last.0 == g => last.2 = stat()?,
                            _ => return Err(format!("column {name} does not follow deaths_{g}")),
                        }
                    } else if let Some(loc) = other.strip_prefix(DISPLACED_TO) {
                        s.displaced_to.push((loc.to_string(), count()?));
                    } else if let Some(loc) = other.strip_prefix(DEATHS_AT) {
                        s.deaths_at.push((loc.to_string(), count()?));
                    } else {
                        return Err(format!("unknown summary column {other:?}"));
                    }
                }
            }
        }
        let expected = Summary::column_names(
            &s.displaced_to.iter().map(|(l, _)| l.clone()).collect::<Vec<_>>(),
            !s.by_wealth.is_empty(),
        );
        if expected != names {
            let missing: Vec<&String> = expected.iter().filter(|e| !names.contains(e)).collect();
            return Err(format!(
                "summary columns missing or out of order (missing: {missing:?})"
            ));
        }
        Ok(s)
    }
}

/// Watches the days of one run. The peaks start unknown (NaN) and skip the days whose value is
/// unknown (`f64::max` ignores NaN): a peak over no day with a value is an empty cell, never 0.
#[derive(Clone)]
pub struct SummaryBuilder {
    last: Option<DayRecord>,
    /// The day the siege was lifted and the deaths before it (`Summary::siege_lifted_day`).
    lifted: Option<(u32, u64)>,
    peak_cdr: f64,
    peak_u5dr: f64,
    peak_cdr30: f64,
    days_cdr30_ge_2: u32,
    days_u5dr30_ge_4: u32,
    min_mean_adult_bmi: Option<f64>,
    peak_gam: f64,
    peak_sam: f64,
}

/// Money as the summary gives it: rounded to cents (hundredths of the currency unit), the one
/// function that rounds costs (the summary's, and an optimise candidate's in optimise.csv), so that a sum of products such as 32,639.999999999996 is
/// written 32640 and every file and statistic reads the same amount.
pub fn cents(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Tonnes rounded to kilograms (thousandths of a tonne), the one function that rounds a plan's
/// tonnes (an optimise candidate's, in optimise.csv, the terminal, the report and the chart), so
/// that 9 sorties of 1.7 t read 15.3, not 15.299999999999999 (a sum of products in binary
/// floating point).
pub fn kilograms(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

impl Default for SummaryBuilder {
    fn default() -> Self {
        SummaryBuilder {
            last: None,
            lifted: None,
            peak_cdr: f64::NAN,
            peak_u5dr: f64::NAN,
            peak_cdr30: f64::NAN,
            days_cdr30_ge_2: 0,
            days_u5dr30_ge_4: 0,
            min_mean_adult_bmi: None,
            peak_gam: f64::NAN,
            peak_sam: f64::NAN,
        }
    }
}

impl SummaryBuilder {
    pub fn finish(self, totals: &RunTotals) -> Summary {
        let last = self.last.unwrap_or_default();
        let [u5, c, a, o] = totals.deaths_by_age;
        Summary {
            replicate: last.replicate,
            seed: last.seed,
            deaths_total: last.n_dead,
            deaths_starvation: last.cum_deaths_starvation,
            deaths_background: last.cum_deaths_background,
            deaths_violence: last.cum_deaths_violence,
            deaths_dehydration: last.cum_deaths_dehydration,
            deaths_relief: last.cum_deaths_relief,
            deaths_disease: last.cum_deaths_disease,
            deaths_by_disease: [
                last.cum_deaths_diarrhoea,
                last.cum_deaths_ari,
                last.cum_deaths_malaria,
                last.cum_deaths_measles,
            ],
            cases_by_disease: [
                last.cum_cases_diarrhoea,
                last.cum_cases_ari,
                last.cum_cases_malaria,
                last.cum_cases_measles,
            ],
            deaths_under5: u5,
            deaths_5_14: c,
            deaths_15_59: a,
            deaths_60_plus: o,
            deaths_starvation_by_age: totals.deaths_by_cause_age[0],
            deaths_disease_by_age: totals.deaths_by_cause_age[1],
            deaths_infant: last.cum_deaths_0,
            deaths_1_4: last.cum_deaths_1_4,
            deaths_15_39: last.cum_deaths_15_39,
            deaths_40_59: last.cum_deaths_40_59,
            deaths_male: last.cum_deaths_male,
            deaths_female: last.cum_deaths_female,
            deaths_worker: last.cum_deaths_worker,
            deaths_employee: last.cum_deaths_employee,
            deaths_dependant: last.cum_deaths_dependant,
            adults_worker: totals.adults_by_card[0],
            adults_employee: totals.adults_by_card[1],
            adults_dependant: totals.adults_by_card[2],
            kidnapped_total: totals.kidnapped,
            evacuated_total: last.n_evacuated,
            intercepted_total: totals.intercepted,
            displaced_total: totals.displaced,
            displaced_to: totals.displaced_to.clone(),
            deaths_at: totals.deaths_at.clone(),
            by_wealth: totals.by_wealth.clone(),
            peak_cdr_per_10k: self.peak_cdr,
            peak_u5dr_per_10k: self.peak_u5dr,
            peak_cdr30_per_10k: self.peak_cdr30,
            first_day_food_out: totals.first_day_food_out,
            food_carried_kcal: totals.food_carried_kcal,
            siege_lifted_day: self.lifted.map(|(day, _)| day),
            deaths_to_lifting: self.lifted.map_or(last.n_dead, |(_, dead)| dead),
            days_cdr30_ge_2: self.days_cdr30_ge_2,
            days_u5dr30_ge_4: self.days_u5dr30_ge_4,
            min_mean_adult_bmi: self.min_mean_adult_bmi,
            peak_gam_pct: self.peak_gam,
            peak_sam_pct: self.peak_sam,
            airdrop_tonnes: totals.airdrop_tonnes,
            airdrop_landed_kcal: totals.airdrop_landed_kcal,
            airdrop_usable_kcal: totals.airdrop_usable_kcal,
            airdrop_captured_kcal: totals.airdrop_captured_kcal,
            airdrop_cost: cents(totals.airdrop_cost),
            convoy_tonnes: totals.convoy_tonnes,
            convoy_delivered_kcal: totals.convoy_delivered_kcal,
            convoy_looted_kcal: totals.convoy_looted_kcal,
            convoys_blocked: totals.convoys_blocked,
            convoy_cost: cents(totals.convoy_cost),
            relief_cost: cents(totals.airdrop_cost + totals.convoy_cost),
        }
    }
}

impl Observer for SummaryBuilder {
    fn day(&mut self, r: &DayRecord, _locations: &[LocationRecord]) {
        self.peak_cdr = self.peak_cdr.max(r.cdr_per_10k);
        self.peak_u5dr = self.peak_u5dr.max(r.u5dr_per_10k);
        // Over whole 30-day windows only (`ipc_phase30` is 0 before): one death in a village on
        // day 0 is not a day of famine.
        if r.ipc_phase30 > 0 {
            self.peak_cdr30 = self.peak_cdr30.max(r.cdr30_per_10k);
            self.days_cdr30_ge_2 += u32::from(r.cdr30_per_10k >= 2.0);
            self.days_u5dr30_ge_4 += u32::from(r.u5dr30_per_10k >= 4.0);
        }
        if r.n_alive > r.n_kidnapped {
            let bmi = r.mean_adult_bmi;
            if bmi > 0.0 {
                self.min_mean_adult_bmi = Some(self.min_mean_adult_bmi.map_or(bmi, |m: f64| m.min(bmi)));
            }
        }
        self.peak_gam = self.peak_gam.max(r.gam_pct);
        self.peak_sam = self.peak_sam.max(r.sam_pct);
        if let Some(yesterday) = &self.last
            && self.lifted.is_none()
            && yesterday.siege_active == 1
            && r.siege_active == 0
        {
            self.lifted = Some((r.day, yesterday.n_dead));
        }
        self.last = Some(r.clone());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example() -> Summary {
        Summary {
            replicate: 3,
            seed: 9,
            deaths_total: 17,
            deaths_starvation: 5,
            deaths_violence: 11,
            deaths_disease: 1,
            deaths_by_disease: [0, 0, 1, 0],
            cases_by_disease: [7, 2, 30, 0],
            deaths_under5: 2,
            deaths_starvation_by_age: [1, 2, 0, 2],
            deaths_disease_by_age: [1, 0, 0, 0],
            displaced_total: 40,
            kidnapped_total: 6,
            displaced_to: vec![("village".into(), 0), ("town".into(), 40)],
            deaths_at: vec![("village".into(), 5), ("town".into(), 12)],
            peak_cdr_per_10k: 12.5,
            first_day_food_out: Some(8),
            days_cdr30_ge_2: 4,
            min_mean_adult_bmi: None,
            airdrop_usable_kcal: 1.5e7,
            airdrop_cost: 8159.999999999999,
            ..Summary::default()
        }
    }

    #[test]
    fn every_key_outcome_is_the_summary_column_of_its_name() {
        let s = example();
        let cells = s.cells();
        for o in OUTCOMES {
            let (_, cell) = cells
                .iter()
                .find(|(name, _)| name == o.name)
                .unwrap_or_else(|| panic!("no summary column {}", o.name));
            assert_eq!(cell.0, Some(s.outcome(o.outcome)), "{}", o.name);
            assert_eq!(Outcome::named(o.name), Some(o.outcome));
        }
    }

    #[test]
    fn every_part_of_a_death_split_is_a_summary_column() {
        let s = example();
        let names: Vec<String> = s.cells().into_iter().map(|(n, _)| n.into_owned()).collect();
        for (c, _) in DEATH_CAUSES.iter().chain(&DEATH_AGES) {
            assert!(names.iter().any(|n| n == c), "no summary column {c}");
        }
        let parts = |split: DeathSplit| -> Vec<&String> {
            names
                .iter()
                .filter(|n| DeathSplit::of_column(n).is_some_and(|(sp, _)| sp == split))
                .collect()
        };
        assert_eq!(parts(DeathSplit::Cause).len(), 6);
        assert_eq!(parts(DeathSplit::Age).len(), 4);
        assert_eq!(parts(DeathSplit::Place), ["deaths_at_village", "deaths_at_town"]);
        // The parts by age of one cause, and the by-disease deaths, are no part of a split.
        for n in [
            "deaths_starvation_under5",
            "deaths_diarrhoea",
            "deaths_total",
            "deaths_infant",
        ] {
            assert_eq!(DeathSplit::of_column(n), None, "{n}");
        }
        assert_eq!(
            DeathSplit::of_column("deaths_at_town"),
            Some((DeathSplit::Place, "at town".into()))
        );
        assert_eq!(absent_cell("deaths_at_town"), 0.0);
        assert!(absent_cell("deaths_poor").is_nan());
    }

    #[test]
    fn cells_read_back_to_the_same_summary() {
        let s = example();
        let (names, texts): (Vec<String>, Vec<String>) =
            s.cells().into_iter().map(|(n, v)| (n.into_owned(), v.text())).unzip();
        let cells: Vec<&str> = texts.iter().map(String::as_str).collect();
        assert_eq!(Summary::from_cells(3, 9, &names, &cells), Ok(s));
        assert_eq!(names, Summary::column_names(&["village".into(), "town".into()], false));
        let mut wrong = names.clone();
        wrong[0] = "deaths_totl".into();
        let e = Summary::from_cells(3, 9, &wrong, &cells).unwrap_err();
        assert!(e.contains("deaths_totl"), "{e}");
        let mut bad = cells.clone();
        bad[1] = "many";
        let e = Summary::from_cells(3, 9, &names, &bad).unwrap_err();
        assert!(e.contains("deaths_starvation") && e.contains("many"), "{e}");
    }

    #[test]
    fn the_siege_is_lifted_the_first_day_it_is_off_after_being_on_and_deaths_before_it_count() {
        let day = |d: u32, active: u8, dead: u64| DayRecord {
            day: d,
            siege_active: active,
            n_dead: dead,
            ..DayRecord::default()
        };
        let summary = |days: &[DayRecord]| {
            let mut b = SummaryBuilder::default();
            for r in days {
                b.day(r, &[]);
            }
            b.finish(&RunTotals::default())
        };
        // Off on day 0 (not yet begun), on days 1–3, lifted on day 4, on again on day 5.
        let s = summary(&[
            day(0, 0, 0),
            day(1, 1, 1),
            day(2, 1, 3),
            day(3, 1, 6),
            day(4, 0, 7),
            day(5, 1, 9),
        ]);
        assert_eq!(
            (s.siege_lifted_day, s.deaths_to_lifting, s.deaths_total),
            (Some(4), 6, 9)
        );
        let s = summary(&[day(0, 0, 0), day(1, 1, 2), day(2, 1, 5)]);
        assert_eq!((s.siege_lifted_day, s.deaths_to_lifting), (None, 5));
        // Written and read back.
        let names: Vec<String> = s.cells().into_iter().map(|(n, _)| n.into_owned()).collect();
        assert!(names.contains(&"siege_lifted_day".to_string()) && names.contains(&"deaths_to_lifting".to_string()));
    }
}
