//! The day's observation (phase 7): the records built from the merged tally, the running totals,
//! and the run's totals.

use super::World;
use super::airdrop::DropsToday;
use super::population::{Cause, Status};
use super::tally::{Sum, Tally};
use crate::observe::{DayRecord, LocationRecord, Observer, RunTotals, ipc_phase};

impl World<'_> {
    /// Builds the day's records from the merged tally and hands them to the observer.
    pub(crate) fn record(
        &mut self,
        day: u32,
        t: &Tally,
        active_start: u64,
        u5_start: u64,
        drops: DropsToday,
        obs: &mut impl Observer,
    ) {
        let s = self.s;
        self.cum.deaths.add(&t.deaths);
        self.cum.cases.add(&t.cases);
        self.cum.deaths_by_age.add(&t.deaths_by_age);
        self.cum.starvation_children += t.starvation_children;
        self.cum.kidnapped += t.kidnapped;
        self.cum.intercepted += t.intercepted;
        self.cum.displaced += t.displaced_arrivals;
        for (i, l) in t.loc.iter().enumerate() {
            self.cum.displaced_to[i] += l.displaced_arrivals;
            self.cum.deaths_at[i].add(&l.deaths);
        }
        self.ledger.add(&t.ledger);
        self.u5_alive = t.nutrition.u5_n;
        if t.home_need_kcal > 0.0 && t.home_food_kcal < t.home_need_kcal && self.cum.first_day_food_out.is_none() {
            self.cum.first_day_food_out = Some(day);
        }
        // The violence log keeps the last `window` days of victims per location.
        let window = self.violence_log.first().map_or(1, Vec::len).max(1);
        for (i, log) in self.violence_log.iter_mut().enumerate() {
            log[day as usize % window] = t.loc[i].victims;
        }
        let new_deaths = t.deaths.total();
        let rate = |d: u64, n: u64| {
            if n > 0 { d as f64 / n as f64 * 10_000.0 } else { 0.0 }
        };
        let cdr = rate(new_deaths, active_start);
        let u5dr = rate(t.deaths_by_age[0], u5_start);
        let pct = |k: u64, n: u64| {
            if n > 0 { k as f64 / n as f64 * 100.0 } else { 0.0 }
        };
        let n_kidnapped = self.cum.kidnapped;
        let n_dead = self.cum.deaths.total();
        let n_active = t.n_present + t.n_in_transit + t.n_displaced;
        let (landed, usable, captured) = drops;
        let record = DayRecord {
            replicate: self.replicate,
            seed: s.seed(),
            day,
            date: s
                .start_epoch_day()
                .map(|d| crate::scenario::date::format_iso(d + i64::from(day)))
                .unwrap_or_default(),
            n_alive: n_active + n_kidnapped,
            n_present: t.n_present,
            n_in_transit: t.n_in_transit,
            n_displaced: t.n_displaced,
            n_kidnapped,
            n_dead,
            new_deaths,
            cum_deaths_starvation: self.cum.deaths[Cause::Starvation],
            cum_deaths_background: self.cum.deaths[Cause::Background],
            cum_deaths_violence: self.cum.deaths[Cause::Violence],
            cum_deaths_starvation_children: self.cum.starvation_children,
            cum_deaths_starvation_adults: self.cum.deaths[Cause::Starvation] - self.cum.starvation_children,
            cum_deaths_under5: self.cum.deaths_by_age[0],
            cum_displaced: self.cum.displaced,
            cum_intercepted: self.cum.intercepted,
            food_kcal: t.food_kcal,
            food_days: if t.need_sum > 0.0 {
                t.food_kcal / t.need_sum
            } else {
                0.0
            },
            mean_intake_kcal: if t.nutrition.active_n > 0 {
                t.intake_sum / t.nutrition.active_n as f64
            } else {
                0.0
            },
            mean_adult_bmi: if t.nutrition.adult_n > 0 {
                t.adult_bmi_sum / t.nutrition.adult_n as f64
            } else {
                0.0
            },
            adult_bmi_lt_18_5_pct: pct(t.nutrition.adult_lt_18_5, t.nutrition.adult_n),
            adult_bmi_lt_16_pct: pct(t.nutrition.adult_lt_16, t.nutrition.adult_n),
            gam_pct: pct(t.nutrition.u5_gam, t.nutrition.u5_n),
            sam_pct: pct(t.nutrition.u5_sam, t.nutrition.u5_n),
            cdr_per_10k: cdr,
            u5dr_per_10k: u5dr,
            ipc_phase: ipc_phase(cdr, u5dr),
            siege_active: u8::from(self.siege_active),
            airdrop_landed_kcal: landed,
            airdrop_usable_kcal: usable,
            airdrop_captured_kcal: captured,
            cum_airdrop_usable_kcal: self.cum.airdrop_usable,
            cum_deaths_disease: self.cum.deaths.diseases().iter().sum(),
            new_cases_diarrhoea: t.cases[0],
            cum_cases_diarrhoea: self.cum.cases[0],
            new_deaths_diarrhoea: t.deaths.diseases()[0],
            cum_deaths_diarrhoea: self.cum.deaths.diseases()[0],
            new_cases_ari: t.cases[1],
            cum_cases_ari: self.cum.cases[1],
            new_deaths_ari: t.deaths.diseases()[1],
            cum_deaths_ari: self.cum.deaths.diseases()[1],
            new_cases_malaria: t.cases[2],
            cum_cases_malaria: self.cum.cases[2],
            new_deaths_malaria: t.deaths.diseases()[2],
            cum_deaths_malaria: self.cum.deaths.diseases()[2],
            new_cases_measles: t.cases[3],
            cum_cases_measles: self.cum.cases[3],
            new_deaths_measles: t.deaths.diseases()[3],
            cum_deaths_measles: self.cum.deaths.diseases()[3],
        };
        let locations: Vec<LocationRecord> = t
            .loc
            .iter()
            .enumerate()
            .map(|(i, l)| LocationRecord {
                replicate: self.replicate,
                seed: s.seed(),
                day,
                location: s.location_ids()[i].clone(),
                n_present: l.present,
                n_displaced_here: l.displaced_here,
                new_arrivals: l.arrivals,
                food_kcal: l.food_kcal,
                new_deaths: l.deaths.total(),
                new_deaths_starvation: l.deaths[Cause::Starvation],
                new_deaths_violence: l.deaths[Cause::Violence],
                new_deaths_background: l.deaths[Cause::Background],
                cum_deaths: self.cum.deaths_at[i].total(),
                cum_deaths_starvation: self.cum.deaths_at[i][Cause::Starvation],
                cum_deaths_violence: self.cum.deaths_at[i][Cause::Violence],
                cum_deaths_background: self.cum.deaths_at[i][Cause::Background],
                new_deaths_disease: l.deaths.diseases().iter().sum(),
                cum_deaths_disease: self.cum.deaths_at[i].diseases().iter().sum(),
            })
            .collect();
        obs.day(&record, &locations);
    }

    /// Totals at the end of the run.
    pub fn totals(&self) -> RunTotals {
        RunTotals {
            deaths_by_age: self.cum.deaths_by_age,
            kidnapped: self.cum.kidnapped,
            intercepted: self.cum.intercepted,
            displaced: self.cum.displaced,
            displaced_to: self
                .s
                .location_ids()
                .iter()
                .cloned()
                .zip(self.cum.displaced_to.iter().copied())
                .collect(),
            deaths_at: self
                .s
                .location_ids()
                .iter()
                .cloned()
                .zip(self.cum.deaths_at.iter().map(|d| d.total()))
                .collect(),
            airdrop_tonnes: self.cum.airdrop_tonnes,
            airdrop_landed_kcal: self.cum.airdrop_landed,
            airdrop_usable_kcal: self.cum.airdrop_usable,
            airdrop_captured_kcal: self.cum.airdrop_captured,
            airdrop_cost: self.cum.airdrop_cost,
            convoy_tonnes: self.cum.convoy_tonnes,
            convoy_delivered_kcal: self.cum.convoy_delivered,
            convoy_looted_kcal: self.cum.convoy_looted,
            convoys_blocked: self.cum.convoys_blocked,
            convoy_cost: self.cum.convoy_cost,
            first_day_food_out: self.cum.first_day_food_out,
        }
    }

    /// Food held by every household now, kcal (home stocks and food carried).
    pub fn food_in_stock(&self) -> f64 {
        self.households.iter().map(|h| h.stock_kcal).sum()
    }

    /// People by status now: (active, kidnapped, dead).
    pub fn census(&self) -> (u64, u64, u64) {
        let mut n = (0, 0, 0);
        for p in &self.persons {
            match p.status {
                Status::Alive => n.0 += 1,
                Status::Kidnapped => n.1 += 1,
                Status::Dead => n.2 += 1,
            }
        }
        n
    }
}
