//! Per-run outcomes (`summary.csv`), accumulated from the daily records and the run's totals.

use super::{DayRecord, LocationRecord, Observer};

/// Outcomes summarised across replicates in sweeps, comparisons and the terminal summary.
pub const KEY_OUTCOMES: &[&str] = &[
    "deaths_total",
    "deaths_starvation",
    "deaths_violence",
    "deaths_under5",
    "displaced_total",
    "kidnapped_total",
    "peak_cdr_per_10k",
    "days_cdr_ge_2",
    "airdrop_usable_kcal",
];

/// Totals only the world knows at the end of a run.
#[derive(Clone, Debug, Default)]
pub struct RunTotals {
    /// Deaths by age group: under 5, 5–14, 15–59, 60+.
    pub deaths_by_age: [u64; 4],
    pub kidnapped: u64,
    pub intercepted: u64,
    pub displaced: u64,
    /// (location id, people who arrived displaced there).
    pub displaced_to: Vec<(String, u64)>,
    pub airdrop_tonnes: f64,
    pub airdrop_landed_kcal: f64,
    pub airdrop_usable_kcal: f64,
    pub airdrop_captured_kcal: f64,
    pub airdrop_cost: f64,
    /// First day the people at home had less than one day of food left.
    pub first_day_food_out: Option<u32>,
}

/// One replicate's outcomes: named columns (after `replicate` and `seed`), `None` = empty cell.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub replicate: u32,
    pub seed: u64,
    pub columns: Vec<String>,
    pub values: Vec<Option<f64>>,
}

impl Summary {
    pub fn get(&self, column: &str) -> Option<f64> {
        self.columns
            .iter()
            .position(|c| c == column)
            .and_then(|i| self.values[i])
    }
}

/// Watches the days of one run.
#[derive(Clone, Default)]
pub struct SummaryBuilder {
    last: Option<DayRecord>,
    peak_cdr: f64,
    peak_u5dr: f64,
    days_cdr_ge_2: u32,
    days_u5dr_ge_4: u32,
    min_mean_adult_bmi: Option<f64>,
    peak_gam: f64,
    peak_sam: f64,
}

impl SummaryBuilder {
    pub fn finish(self, totals: &RunTotals) -> Summary {
        let last = self.last.unwrap_or_default();
        let [u5, c, a, o] = totals.deaths_by_age;
        let mut cols: Vec<(String, Option<f64>)> = vec![
            ("deaths_total".into(), Some(last.n_dead as f64)),
            ("deaths_starvation".into(), Some(last.cum_deaths_starvation as f64)),
            ("deaths_background".into(), Some(last.cum_deaths_background as f64)),
            ("deaths_violence".into(), Some(last.cum_deaths_violence as f64)),
            ("deaths_under5".into(), Some(u5 as f64)),
            ("deaths_5_14".into(), Some(c as f64)),
            ("deaths_15_59".into(), Some(a as f64)),
            ("deaths_60_plus".into(), Some(o as f64)),
            ("kidnapped_total".into(), Some(totals.kidnapped as f64)),
            ("intercepted_total".into(), Some(totals.intercepted as f64)),
            ("displaced_total".into(), Some(totals.displaced as f64)),
        ];
        for (loc, n) in &totals.displaced_to {
            cols.push((format!("displaced_to_{loc}"), Some(*n as f64)));
        }
        cols.extend([
            ("peak_cdr_per_10k".into(), Some(self.peak_cdr)),
            ("peak_u5dr_per_10k".into(), Some(self.peak_u5dr)),
            ("first_day_food_out".into(), totals.first_day_food_out.map(f64::from)),
            ("days_cdr_ge_2".into(), Some(f64::from(self.days_cdr_ge_2))),
            ("days_u5dr_ge_4".into(), Some(f64::from(self.days_u5dr_ge_4))),
            ("min_mean_adult_bmi".into(), self.min_mean_adult_bmi),
            ("peak_gam_pct".into(), Some(self.peak_gam)),
            ("peak_sam_pct".into(), Some(self.peak_sam)),
            ("airdrop_tonnes".into(), Some(totals.airdrop_tonnes)),
            ("airdrop_landed_kcal".into(), Some(totals.airdrop_landed_kcal)),
            ("airdrop_usable_kcal".into(), Some(totals.airdrop_usable_kcal)),
            ("airdrop_captured_kcal".into(), Some(totals.airdrop_captured_kcal)),
            ("airdrop_cost".into(), Some(totals.airdrop_cost)),
        ]);
        let (columns, values) = cols.into_iter().unzip();
        Summary {
            replicate: last.replicate,
            seed: last.seed,
            columns,
            values,
        }
    }
}

impl Observer for SummaryBuilder {
    fn day(&mut self, r: &DayRecord, _locations: &[LocationRecord]) {
        self.peak_cdr = self.peak_cdr.max(r.cdr_per_10k);
        self.peak_u5dr = self.peak_u5dr.max(r.u5dr_per_10k);
        self.days_cdr_ge_2 += u32::from(r.cdr_per_10k >= 2.0);
        self.days_u5dr_ge_4 += u32::from(r.u5dr_per_10k >= 4.0);
        if r.n_alive > r.n_kidnapped {
            let bmi = r.mean_adult_bmi;
            if bmi > 0.0 {
                self.min_mean_adult_bmi = Some(self.min_mean_adult_bmi.map_or(bmi, |m: f64| m.min(bmi)));
            }
        }
        self.peak_gam = self.peak_gam.max(r.gam_pct);
        self.peak_sam = self.peak_sam.max(r.sam_pct);
        self.last = Some(r.clone());
    }
}
