//! What a run reports: the daily row (`timeseries.csv`), the daily row per location
//! (`locations.csv`) and the per-run summary (`summary.csv`), with the key outcomes; [`files`]
//! defines every other result file. Columns are documented in `docs/outputs.md`; the struct field
//! order is the column order, and the same types read the files back.

pub mod files;
mod summary;
pub use summary::{
    DeathSplit, OUTCOMES, Outcome, OutcomeInfo, RunTotals, SHOWN_OUTCOMES, Summary, SummaryBuilder, absent_cell, cents,
    kilograms,
};

use serde::{Deserialize, Serialize};

/// One day of one replicate.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct DayRecord {
    pub replicate: u32,
    pub seed: u64,
    pub day: u32,
    pub date: String,
    pub n_alive: u64,
    pub n_present: u64,
    pub n_in_transit: u64,
    pub n_displaced: u64,
    pub n_kidnapped: u64,
    pub n_evacuated: u64,
    pub n_dead: u64,
    pub new_deaths: u64,
    pub cum_deaths_starvation: u64,
    pub cum_deaths_background: u64,
    pub cum_deaths_violence: u64,
    pub cum_deaths_starvation_children: u64,
    pub cum_deaths_starvation_adults: u64,
    pub cum_deaths_under5: u64,
    pub new_deaths_0: u64,
    pub new_deaths_1_4: u64,
    pub new_deaths_5_14: u64,
    pub new_deaths_15_39: u64,
    pub new_deaths_40_59: u64,
    pub new_deaths_60_plus: u64,
    pub cum_deaths_0: u64,
    pub cum_deaths_1_4: u64,
    pub cum_deaths_5_14: u64,
    pub cum_deaths_15_39: u64,
    pub cum_deaths_40_59: u64,
    pub cum_deaths_60_plus: u64,
    pub new_deaths_male: u64,
    pub new_deaths_female: u64,
    pub cum_deaths_male: u64,
    pub cum_deaths_female: u64,
    pub new_deaths_worker: u64,
    pub new_deaths_employee: u64,
    pub new_deaths_dependant: u64,
    pub cum_deaths_worker: u64,
    pub cum_deaths_employee: u64,
    pub cum_deaths_dependant: u64,
    pub cum_displaced: u64,
    pub cum_intercepted: u64,
    pub food_kcal: f64,
    #[serde(with = "files::maybe")]
    pub food_days: f64,
    #[serde(with = "files::maybe")]
    pub food_days_home: f64,
    #[serde(with = "files::maybe")]
    pub food_days_away: f64,
    #[serde(with = "files::maybe")]
    pub mean_intake_kcal: f64,
    /// The same of the people of households at home, and of those displaced or on the road.
    #[serde(with = "files::maybe")]
    pub mean_intake_kcal_home: f64,
    #[serde(with = "files::maybe")]
    pub mean_intake_kcal_away: f64,
    #[serde(with = "files::maybe")]
    pub mean_adult_bmi: f64,
    #[serde(with = "files::maybe")]
    pub adult_bmi_lt_18_5_pct: f64,
    #[serde(with = "files::maybe")]
    pub adult_bmi_lt_16_pct: f64,
    #[serde(with = "files::maybe")]
    pub gam_pct: f64,
    #[serde(with = "files::maybe")]
    pub sam_pct: f64,
    pub breastfed_n: u64,
    #[serde(with = "files::maybe")]
    pub cdr_per_10k: f64,
    #[serde(with = "files::maybe")]
    pub u5dr_per_10k: f64,
    #[serde(with = "files::maybe")]
    pub cdr30_per_10k: f64,
    #[serde(with = "files::maybe")]
    pub u5dr30_per_10k: f64,
    #[serde(with = "files::maybe")]
    pub male_deaths30_pct: f64,
    pub ipc_phase30: u8,
    pub siege_active: u8,
    pub airdrop_landed_kcal: f64,
    pub airdrop_usable_kcal: f64,
    pub airdrop_captured_kcal: f64,
    pub cum_airdrop_usable_kcal: f64,
    pub store_kcal: f64,
    pub issued_kcal: f64,
    /// Litres per person used today (at most the basic need, so not the supply), averaged over
    /// the people at places with limited water (empty when no place has water sources).
    pub water_l_per_person: files::Number,
    pub new_deaths_dehydration: u64,
    pub cum_deaths_dehydration: u64,
    /// Killed at drop zones (falling pallets, crushes; `casualties_per_tonne` of `[[airdrops]]`).
    pub new_deaths_relief: u64,
    pub cum_deaths_relief: u64,
    pub cum_deaths_disease: u64,
    pub new_cases_diarrhoea: u64,
    pub cum_cases_diarrhoea: u64,
    pub new_deaths_diarrhoea: u64,
    pub cum_deaths_diarrhoea: u64,
    pub new_cases_ari: u64,
    pub cum_cases_ari: u64,
    pub new_deaths_ari: u64,
    pub cum_deaths_ari: u64,
    pub new_cases_malaria: u64,
    pub cum_cases_malaria: u64,
    pub new_deaths_malaria: u64,
    pub cum_deaths_malaria: u64,
    pub new_cases_measles: u64,
    pub cum_cases_measles: u64,
    pub new_deaths_measles: u64,
    pub cum_deaths_measles: u64,
}

/// Equal when written as the same `timeseries.csv` row: a statistic unknown in both (NaN, an
/// empty cell) is equal, which a derived `==` over the `f64`s would deny.
impl PartialEq for DayRecord {
    fn eq(&self, other: &Self) -> bool {
        row_bytes(self) == row_bytes(other)
    }
}

/// Equal when written as the same `locations.csv` row (a mean over nobody, NaN, is an empty cell
/// in both), as [`DayRecord`].
impl PartialEq for LocationRecord {
    fn eq(&self, other: &Self) -> bool {
        row_bytes(self) == row_bytes(other)
    }
}

/// A record's CSV row, without the header.
fn row_bytes(r: &impl Serialize) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().has_headers(false).from_writer(Vec::new());
    // Serialising a record into memory cannot fail; an error would only make two records unequal.
    if w.serialize(r).is_err() {
        return Vec::new();
    }
    w.into_inner().unwrap_or_default()
}

/// One day at one location of one replicate.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct LocationRecord {
    pub replicate: u32,
    pub seed: u64,
    pub day: u32,
    pub location: String,
    pub n_present: u64,
    pub n_displaced_here: u64,
    pub new_arrivals: u64,
    pub food_kcal: f64,
    /// Mean intake of the people here who ate today (at home or displaced here).
    #[serde(with = "files::maybe")]
    pub mean_intake_kcal: f64,
    pub new_deaths: u64,
    pub new_deaths_starvation: u64,
    pub new_deaths_violence: u64,
    pub new_deaths_background: u64,
    pub cum_deaths: u64,
    pub cum_deaths_starvation: u64,
    pub cum_deaths_violence: u64,
    pub cum_deaths_background: u64,
    /// Litres per person used here today (at most the basic need, so not the supply); empty
    /// where water is unlimited (no sources given).
    pub water_l_per_person: files::Number,
    pub new_deaths_dehydration: u64,
    pub cum_deaths_dehydration: u64,
    /// Killed at drop zones (falling pallets, crushes; `casualties_per_tonne` of `[[airdrops]]`).
    pub new_deaths_relief: u64,
    pub cum_deaths_relief: u64,
    pub new_deaths_disease: u64,
    pub cum_deaths_disease: u64,
}

/// One day at one location's market (`market.csv`, written only when `[market]` is on).
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq)]
pub struct MarketRecord {
    pub replicate: u32,
    pub seed: u64,
    pub day: u32,
    pub location: String,
    /// P/P₀ today.
    pub price_index: f64,
    /// Supply offered today, kcal (`market_kcal_per_person_day` × the share through × people at home).
    pub supply_kcal: f64,
    /// What households could pay for at P₀, and what they wanted at today's price, kcal.
    pub demand_kcal: f64,
    pub wanted_kcal: f64,
    /// Bought, and offered but not bought (not carried over), kcal.
    pub sold_kcal: f64,
    pub unsold_kcal: f64,
    /// Coping foods gathered today, and left in the location's pool, kcal.
    pub coping_kcal: f64,
    pub coping_pool_kcal: f64,
}

/// One day of one wealth group (`wealth.csv`, written only when `[market]` is on).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct WealthRecord {
    pub replicate: u32,
    pub seed: u64,
    pub day: u32,
    /// `poor`, `middle` or `better_off`.
    pub group: String,
    pub n_active: u64,
    pub new_deaths: u64,
    pub cum_deaths: u64,
    /// Food eaten per active member today, kcal (empty when none is left).
    #[serde(with = "files::maybe")]
    pub mean_intake_kcal: f64,
    /// Cash (kcal at P₀) and head of livestock per household not in transit.
    #[serde(with = "files::maybe")]
    pub mean_cash_kcal: f64,
    #[serde(with = "files::maybe")]
    pub mean_livestock: f64,
}

impl PartialEq for WealthRecord {
    fn eq(&self, other: &Self) -> bool {
        row_bytes(self) == row_bytes(other)
    }
}

/// The IPC-style phase implied by death rates (MODEL.md §9): crude 0.5 / 1 / 2 per 10,000 per day
/// for phases 3 / 4 / 5; under-5 1 / 2 / 4. Death rates alone cannot tell phase 1 from 2. The
/// rates are read over a rolling 30-day window (`ipc_phase30`), never a single day.
pub fn ipc_phase(cdr_per_10k: f64, u5dr_per_10k: f64) -> u8 {
    if cdr_per_10k >= 2.0 || u5dr_per_10k >= 4.0 {
        5
    } else if cdr_per_10k >= 1.0 || u5dr_per_10k >= 2.0 {
        4
    } else if cdr_per_10k >= 0.5 || u5dr_per_10k >= 1.0 {
        3
    } else {
        1
    }
}

/// Receives each day's records as the model produces them.
pub trait Observer {
    fn day(&mut self, record: &DayRecord, locations: &[LocationRecord]);
    /// The day's markets and wealth groups, when `[market]` is on (called before `day`).
    fn market(&mut self, _markets: &[MarketRecord], _wealth: &[WealthRecord]) {}
}

#[cfg(test)]
mod tests {
    #[test]
    fn ipc_thresholds() {
        assert_eq!(super::ipc_phase(0.44, 1.0), 3);
        assert_eq!(super::ipc_phase(0.3, 0.9), 1);
        assert_eq!(super::ipc_phase(1.0, 0.0), 4);
        assert_eq!(super::ipc_phase(0.0, 4.0), 5);
        assert_eq!(super::ipc_phase(2.0, 0.0), 5);
    }
}
