//! The day's observation (phase 7): the records built from the merged tally, the running totals,
//! and the run's totals.

use super::World;
use super::airdrop::DropsToday;
use super::population::{Cause, Status};
use super::tally::{Sum, Tally, ratio, starvation_children};
use crate::observe::files::Number;
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
        self.cum.deaths_by_band.add(&t.deaths_by_band);
        self.cum.deaths_by_sex.add(&t.deaths_by_sex);
        self.cum.deaths_by_card.add(&t.deaths_by_card);
        self.cum.kidnapped += t.kidnapped;
        self.cum.evacuated += t.evacuated;
        self.cum.intercepted += t.intercepted;
        self.cum.displaced += t.displaced_arrivals;
        for (i, l) in t.loc.iter().enumerate() {
            self.cum.displaced_to[i] += l.displaced_arrivals;
            self.cum.deaths_at[i].add(&l.deaths);
        }
        self.ledger.add(&t.ledger);
        self.cum.carried += t.carried_kcal;
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
        let cdr = ratio(new_deaths, active_start, 10_000.0);
        let u5dr = ratio(t.deaths_by_age[0].total(), u5_start, 10_000.0);
        let rolling = self.rolling.push(
            new_deaths,
            t.deaths_by_age[0].total(),
            t.deaths_by_sex[0],
            active_start,
            u5_start,
        );
        // Shares and means over nobody (every under-5 dead, no adult left) are NaN, written empty.
        let pct = |k: u64, n: u64| ratio(k, n, 100.0);
        let mean = |sum: f64, n: u64| if n > 0 { sum / n as f64 } else { f64::NAN };
        let n_kidnapped = self.cum.kidnapped;
        let n_dead = self.cum.deaths.total();
        let starvation_children = starvation_children(&self.cum.deaths_by_age);
        let n_active = t.n_present + t.n_in_transit + t.n_displaced;
        let (landed, usable, captured) = drops;
        let reads_cards = s.reads_cards();
        let cards = |n: u64| if reads_cards { n } else { 0 };
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
            n_evacuated: self.cum.evacuated,
            n_dead,
            new_deaths,
            cum_deaths_starvation: self.cum.deaths[Cause::Starvation],
            cum_deaths_background: self.cum.deaths[Cause::Background],
            cum_deaths_violence: self.cum.deaths[Cause::Violence],
            cum_deaths_starvation_children: starvation_children,
            cum_deaths_starvation_adults: self.cum.deaths[Cause::Starvation] - starvation_children,
            cum_deaths_under5: self.cum.deaths_by_age[0].total(),
            new_deaths_0: t.deaths_by_band[0],
            new_deaths_1_4: t.deaths_by_band[1],
            new_deaths_5_14: t.deaths_by_band[2],
            new_deaths_15_39: t.deaths_by_band[3],
            new_deaths_40_59: t.deaths_by_band[4],
            new_deaths_60_plus: t.deaths_by_band[5],
            cum_deaths_0: self.cum.deaths_by_band[0],
            cum_deaths_1_4: self.cum.deaths_by_band[1],
            cum_deaths_5_14: self.cum.deaths_by_band[2],
            cum_deaths_15_39: self.cum.deaths_by_band[3],
            cum_deaths_40_59: self.cum.deaths_by_band[4],
            cum_deaths_60_plus: self.cum.deaths_by_band[5],
            new_deaths_male: t.deaths_by_sex[0],
            new_deaths_female: t.deaths_by_sex[1],
            cum_deaths_male: self.cum.deaths_by_sex[0],
            cum_deaths_female: self.cum.deaths_by_sex[1],
            // Cards are set only where something reads them; elsewhere every adult's index is
            // 0, which would read as a worker.
            new_deaths_worker: cards(t.deaths_by_card[0]),
            new_deaths_employee: cards(t.deaths_by_card[1]),
            new_deaths_dependant: cards(t.deaths_by_card[2]),
            cum_deaths_worker: cards(self.cum.deaths_by_card[0]),
            cum_deaths_employee: cards(self.cum.deaths_by_card[1]),
            cum_deaths_dependant: cards(self.cum.deaths_by_card[2]),
            cum_displaced: self.cum.displaced,
            cum_intercepted: self.cum.intercepted,
            food_kcal: t.food_kcal,
            food_days: if t.need_sum > 0.0 {
                t.food_kcal / t.need_sum
            } else {
                f64::NAN
            },
            food_days_home: if t.home_need_kcal > 0.0 {
                t.home_food_kcal / t.home_need_kcal
            } else {
                f64::NAN
            },
            food_days_away: if t.away_need_kcal > 0.0 {
                t.away_food_kcal / t.away_need_kcal
            } else {
                f64::NAN
            },
            mean_intake_kcal: mean(t.intake_sum, t.nutrition.active_n),
            mean_intake_kcal_home: mean(t.home_intake, t.home_eaters),
            mean_intake_kcal_away: mean(t.away_intake, t.away_eaters),
            mean_adult_bmi: mean(t.adult_bmi_sum, t.nutrition.adult_n),
            adult_bmi_lt_18_5_pct: pct(t.nutrition.adult_lt_18_5, t.nutrition.adult_n),
            adult_bmi_lt_16_pct: pct(t.nutrition.adult_lt_16, t.nutrition.adult_n),
            gam_pct: pct(t.nutrition.u5_gam, t.nutrition.u5_n),
            sam_pct: pct(t.nutrition.u5_sam, t.nutrition.u5_n),
            breastfed_n: t.breastfed,
            cdr_per_10k: cdr,
            u5dr_per_10k: u5dr,
            cdr30_per_10k: rolling.cdr,
            u5dr30_per_10k: rolling.u5dr,
            male_deaths30_pct: rolling.male_pct,
            // Not classified until a whole window has been seen: one death in a small place on
            // day 0 is not a famine.
            // Nor is a window in which nobody was at risk (everyone dead or gone): 0 too.
            ipc_phase30: if rolling.full && rolling.cdr.is_finite() {
                ipc_phase(rolling.cdr, rolling.u5dr)
            } else {
                0
            },
            siege_active: u8::from(self.siege_active),
            airdrop_landed_kcal: landed,
            airdrop_usable_kcal: usable,
            airdrop_captured_kcal: captured,
            cum_airdrop_usable_kcal: self.cum.airdrop_usable,
            store_kcal: self.store_stock(),
            issued_kcal: self.issued_today,
            water_l_per_person: self.mean_water(t),
            new_deaths_dehydration: t.deaths[Cause::Dehydration],
            cum_deaths_dehydration: self.cum.deaths[Cause::Dehydration],
            new_deaths_relief: t.deaths[Cause::Relief],
            cum_deaths_relief: self.cum.deaths[Cause::Relief],
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
                mean_intake_kcal: mean(l.intake, l.eaters),
                new_deaths: l.deaths.total(),
                new_deaths_starvation: l.deaths[Cause::Starvation],
                new_deaths_violence: l.deaths[Cause::Violence],
                new_deaths_background: l.deaths[Cause::Background],
                cum_deaths: self.cum.deaths_at[i].total(),
                cum_deaths_starvation: self.cum.deaths_at[i][Cause::Starvation],
                cum_deaths_violence: self.cum.deaths_at[i][Cause::Violence],
                cum_deaths_background: self.cum.deaths_at[i][Cause::Background],
                water_l_per_person: match self.water_today[i] {
                    w if w.limited => Number::finite(w.litres_pp),
                    _ => Number(None),
                },
                new_deaths_dehydration: l.deaths[Cause::Dehydration],
                cum_deaths_dehydration: self.cum.deaths_at[i][Cause::Dehydration],
                new_deaths_relief: l.deaths[Cause::Relief],
                cum_deaths_relief: self.cum.deaths_at[i][Cause::Relief],
                new_deaths_disease: l.deaths.diseases().iter().sum(),
                cum_deaths_disease: self.cum.deaths_at[i].diseases().iter().sum(),
            })
            .collect();
        self.record_market(day, t, obs);
        obs.day(&record, &locations);
    }

    /// Litres per person today over the people present at places with limited water; absent when
    /// there are none.
    fn mean_water(&self, t: &Tally) -> Number {
        let (mut litres, mut people) = (0.0, 0u64);
        for (w, l) in self.water_today.iter().zip(&t.loc) {
            if w.limited && w.litres_pp.is_finite() {
                litres += w.litres_pp * l.present as f64;
                people += l.present;
            }
        }
        if people > 0 {
            Number::finite(litres / people as f64)
        } else {
            Number(None)
        }
    }

    /// Totals at the end of the run.
    pub fn totals(&self) -> RunTotals {
        RunTotals {
            deaths_by_age: self.cum.deaths_by_age.map(|d| d.total()),
            deaths_by_cause_age: [
                self.cum.deaths_by_age.map(|d| d[Cause::Starvation]),
                self.cum.deaths_by_age.map(|d| d.diseases().iter().sum()),
            ],
            adults_by_card: self.cum.adults_by_card,
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
            food_carried_kcal: self.cum.carried,
            by_wealth: self.markets.as_ref().map_or_else(Vec::new, |m| m.totals()),
        }
    }

    /// Food held by every household now, kcal (home stocks and food carried), including the
    /// stocks of households nobody is left in (the food ledger counts them).
    pub fn food_in_stock(&self) -> f64 {
        self.households.iter().map(|h| h.stock_kcal).sum()
    }

    /// Food held by the households with someone alive and not kidnapped now, kcal: the day's
    /// `food_kcal`.
    pub fn food_of_the_living(&self) -> f64 {
        self.households
            .iter()
            .filter(|h| h.n_active > 0)
            .map(|h| h.stock_kcal)
            .sum()
    }

    /// People by status now: (active, kidnapped, dead, evacuated).
    pub fn census(&self) -> (u64, u64, u64, u64) {
        let mut n = (0, 0, 0, 0);
        for p in &self.persons {
            match p.status {
                Status::Alive => n.0 += 1,
                Status::Kidnapped => n.1 += 1,
                Status::Dead => n.2 += 1,
                Status::Evacuated => n.3 += 1,
            }
        }
        n
    }
}
