//! The household pass of each day (supply, sharing, slaughter, rationing, the split between
//! members, physiology, mortality) and the day's observation.

use super::food::{self, TierShares};
use super::kernel::{self, DayConsts};
use super::lanes::One;
use super::mortality::Hazards;
use super::physiology::{self, AgeBand, Tables};
use super::population::{Cause, Household, Mode, Person, Status};
use super::rng::{self, Stream};
#[cfg(target_arch = "x86_64")]
use super::vector;
use super::{LocDay, Tally, World};
use crate::observe::{DayRecord, LocationRecord, Observer, RunTotals, ipc_phase};
use crate::scenario::params::{FoodParams, RationRegime};

/// Airdrop energy that landed today, kcal: (landed, usable, captured).
pub type DropsToday = (f64, f64, f64);

/// What the member loop of the household pass reads besides the household and its members.
pub(crate) struct MemberDay<'a> {
    pub f: &'a FoodParams,
    pub day: u32,
    pub coefs: physiology::Coefs,
    pub hazards: std::sync::Arc<Hazards>,
    pub next_regime: Option<&'a RationRegime>,
}

/// Sums over a household's members in the household pass, in member order.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MemberSums {
    /// Energy eaten today, kcal.
    pub eaten: f64,
    /// Tomorrow's demand of all, of the children and of the adults, kcal.
    pub next_need: f64,
    pub next_child: f64,
    pub next_adult: f64,
}

/// The start of a household's day (phases 2–4): sharing on the stock the pools were computed from,
/// the steady daily supply (market imports, host support: eaten, not rationed), slaughter, then
/// the ration and its split between children and adults (food::tier_shares).
pub(crate) fn supply_and_ration(f: &FoodParams, h: &mut Household, ld: &LocDay, t: &mut Tally) -> TierShares {
    let active = f64::from(h.n_active);
    if h.mode != Mode::InTransit {
        let offer = f.sharing_rate * (h.stock_kcal - f.rationing_horizon_days * h.need_kcal).max(0.0);
        let gap = (f.rationing_horizon_days * h.need_kcal - h.stock_kcal).max(0.0);
        h.stock_kcal += gap * ld.pool_per_gap - offer * ld.offer_share;
    }
    let steady = match h.mode {
        Mode::AtHome => {
            let imports = ld.import_per_person * active;
            h.stock_kcal += imports;
            t.ledger.imports += imports;
            if h.livestock > 0 && h.stock_kcal < f.slaughter_below_days * h.need_kcal {
                h.livestock -= 1;
                h.stock_kcal += f.livestock_kcal_per_head;
                t.ledger.slaughtered += f.livestock_kcal_per_head;
            }
            imports
        }
        Mode::Displaced => {
            let support = ld.host_per_person * active;
            h.stock_kcal += support;
            t.ledger.host_support += support;
            support
        }
        Mode::InTransit => 0.0,
    };
    h.stock_kcal = h.stock_kcal.max(0.0);
    let ration = food::ration_kcal(f, h.stock_kcal, h.need_kcal, steady);
    food::tier_shares(f, h.child_demand_kcal, h.adult_demand_kcal, ration)
}

/// The violence hazard a household's members face today: only at home.
pub(crate) fn violence_on(h: &Household, ld: &LocDay) -> f64 {
    if h.mode == Mode::AtHome {
        ld.violence_hazard
    } else {
        0.0
    }
}

/// The end of a household's day: tomorrow's demands, residents, and the food eaten leaves the
/// stock.
pub(crate) fn close_household(h: &mut Household, sums: MemberSums, t: &mut Tally) {
    h.next_need_kcal = sums.next_need;
    h.child_demand_kcal = sums.next_child;
    h.adult_demand_kcal = sums.next_adult;
    let home = &mut t.loc[h.home as usize];
    home.residents += u64::from(h.n_active);
    if h.mode == Mode::AtHome {
        home.residents_at_home += u64::from(h.n_active);
    }
    let eaten = sums.eaten.min(h.stock_kcal);
    h.stock_kcal = (h.stock_kcal - eaten).max(0.0);
    t.ledger.eaten += eaten;
    t.need_sum += h.need_kcal;
}

impl MemberDay<'_> {
    /// The member loop, one member at a time: each member's day (`kernel::member_day`), then the
    /// death draw, so that the members are visited once. `vector::household_pass` runs the same
    /// kernel eight members at a time; this is the reference it is tested against and the path on
    /// processors without AVX2.
    fn members(
        &self,
        h: &mut Household,
        members: &mut [Person],
        shares: &TierShares,
        ld: &LocDay,
        rng: &mut Stream,
        t: &mut Tally,
    ) -> MemberSums {
        let (day, hazards) = (self.day, &*self.hazards);
        let k = DayConsts {
            tables: Tables::new(One),
            coefs: &self.coefs,
            day,
            next_regime: self.next_regime,
        };
        let mut sums = MemberSums::default();
        let violence = violence_on(h, ld);
        for m in members.iter_mut() {
            let band = m.band;
            if m.status != Status::Alive {
                m.intake_kcal = 0.0;
                continue;
            }
            let o = kernel::member_day(One, &k, &kernel::Member::of(m, shares));
            m.intake_kcal = o.intake_kcal;
            sums.eaten += o.intake;
            t.intake_sum += f64::from(o.intake_kcal);
            t.active_n += 1;
            (m.fat_kg, m.lean_kg, m.weight_ratio, m.activity) = (o.fat_kg, o.lean_kg, o.weight_ratio, o.activity);
            let cause = hazards.cause(m, band, rng::uniform32(rng), violence);
            if cause != Cause::None {
                record_death(m, cause, day, h, t);
                continue;
            }
            t.count(&o.classes);
            if o.classes.adult {
                t.adult_bmi_sum += f64::from(o.bmi);
            }
            m.band = o.next_band as AgeBand;
            m.intake_kcal = o.next_demand_kcal;
            sums.add_demand(o.next_demand_kcal, o.young_tomorrow);
        }
        sums
    }
}

impl MemberSums {
    /// Adds a surviving member's demand for tomorrow, of a child's band tomorrow or not.
    #[inline]
    pub fn add_demand(&mut self, demand: f32, young: bool) {
        self.next_need += f64::from(demand);
        if young {
            self.next_child += f64::from(demand);
        } else {
            self.next_adult += f64::from(demand);
        }
    }
}

/// A member of `h` dies today of `cause`.
pub(crate) fn record_death(m: &mut Person, cause: Cause, day: u32, h: &mut Household, t: &mut Tally) {
    m.status = Status::Dead;
    h.n_active -= 1;
    t.death(cause, m.age(day));
    if cause == Cause::Violence {
        t.loc[h.location as usize].victims += 1;
    }
}

impl World<'_> {
    /// Phases 2–5 for every household: supply (imports, host support), sharing, slaughter,
    /// rationing and the split, then each member's energy balance and death draw.
    pub(crate) fn food_and_health_pass(&mut self) {
        let s = self.s;
        let day = self.day;
        let loc_day = std::mem::take(&mut self.loc_day);
        let ctx = MemberDay {
            f: &s.file.food,
            day,
            coefs: self.coefs,
            hazards: self.hazards.clone(),
            // Tomorrow's demands are worked out here, where the members are at hand, so that the
            // next need pass need not read them (see prepare_food_day).
            next_regime: food::regime_on(&s.file.food.rations, day + 1),
        };
        #[cfg(target_arch = "x86_64")]
        let vector = self.vector;
        self.for_each_chunk(|hhs, persons, p0, rng, t: &mut Tally| {
            #[cfg(target_arch = "x86_64")]
            if vector {
                vector::household_pass(&ctx, &loc_day, hhs, persons, p0, rng, t);
                return;
            }
            for h in hhs.iter_mut() {
                if h.n_active == 0 {
                    continue;
                }
                let ld = &loc_day[h.location as usize];
                let shares = supply_and_ration(ctx.f, h, ld, t);
                let members = &mut persons[h.members_from(p0)];
                let sums = ctx.members(h, members, &shares, ld, rng, t);
                close_household(h, sums, t);
            }
        });
        self.loc_day = loc_day;
    }

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
        for i in 0..3 {
            self.cum.deaths[i] += t.deaths[i];
        }
        for i in 0..4 {
            self.cum.deaths_by_age[i] += t.deaths_by_age[i];
        }
        self.cum.starvation_children += t.starvation_children;
        self.cum.kidnapped += t.kidnapped;
        self.cum.intercepted += t.intercepted;
        self.cum.displaced += t.displaced_arrivals;
        for (i, l) in t.loc.iter().enumerate() {
            self.cum.displaced_to[i] += l.displaced_arrivals;
        }
        self.ledger.add(&t.ledger);
        self.u5_alive = t.u5_n;
        if t.home_need_kcal > 0.0 && t.home_food_kcal < t.home_need_kcal && self.cum.first_day_food_out.is_none() {
            self.cum.first_day_food_out = Some(day);
        }
        // The violence log keeps the last `window` days of victims per location.
        let window = self.violence_log.first().map_or(1, Vec::len).max(1);
        for (i, log) in self.violence_log.iter_mut().enumerate() {
            log[day as usize % window] = t.loc[i].victims;
        }
        let new_deaths: u64 = t.deaths.iter().sum();
        let rate = |d: u64, n: u64| {
            if n > 0 { d as f64 / n as f64 * 10_000.0 } else { 0.0 }
        };
        let cdr = rate(new_deaths, active_start);
        let u5dr = rate(t.deaths_by_age[0], u5_start);
        let pct = |k: u64, n: u64| {
            if n > 0 { k as f64 / n as f64 * 100.0 } else { 0.0 }
        };
        let n_kidnapped = self.cum.kidnapped;
        let n_dead: u64 = self.cum.deaths.iter().sum();
        let n_active = t.n_present + t.n_in_transit + t.n_displaced;
        let (landed, usable, captured) = drops;
        let record = DayRecord {
            replicate: self.replicate,
            seed: s.seed(),
            day,
            date: s
                .resolved
                .start_epoch_day
                .map(|d| crate::scenario::date::format_iso(d + i64::from(day)))
                .unwrap_or_default(),
            n_alive: n_active + n_kidnapped,
            n_present: t.n_present,
            n_in_transit: t.n_in_transit,
            n_displaced: t.n_displaced,
            n_kidnapped,
            n_dead,
            new_deaths,
            cum_deaths_starvation: self.cum.deaths[0],
            cum_deaths_background: self.cum.deaths[2],
            cum_deaths_violence: self.cum.deaths[1],
            cum_deaths_starvation_children: self.cum.starvation_children,
            cum_deaths_starvation_adults: self.cum.deaths[0] - self.cum.starvation_children,
            cum_deaths_under5: self.cum.deaths_by_age[0],
            cum_displaced: self.cum.displaced,
            cum_intercepted: self.cum.intercepted,
            food_kcal: t.food_kcal,
            food_days: if t.need_sum > 0.0 {
                t.food_kcal / t.need_sum
            } else {
                0.0
            },
            mean_intake_kcal: if t.active_n > 0 {
                t.intake_sum / t.active_n as f64
            } else {
                0.0
            },
            mean_adult_bmi: if t.adult_n > 0 {
                t.adult_bmi_sum / t.adult_n as f64
            } else {
                0.0
            },
            adult_bmi_lt_18_5_pct: pct(t.adult_lt_18_5, t.adult_n),
            adult_bmi_lt_16_pct: pct(t.adult_lt_16, t.adult_n),
            gam_pct: pct(t.u5_gam, t.u5_n),
            sam_pct: pct(t.u5_sam, t.u5_n),
            cdr_per_10k: cdr,
            u5dr_per_10k: u5dr,
            ipc_phase: ipc_phase(cdr, u5dr),
            siege_active: u8::from(self.siege_active),
            airdrop_landed_kcal: landed,
            airdrop_usable_kcal: usable,
            airdrop_captured_kcal: captured,
            cum_airdrop_usable_kcal: self.cum.airdrop_usable,
        };
        let locations: Vec<LocationRecord> = t
            .loc
            .iter()
            .enumerate()
            .map(|(i, l)| LocationRecord {
                replicate: self.replicate,
                seed: s.seed(),
                day,
                location: s.resolved.location_ids[i].clone(),
                n_present: l.present,
                n_displaced_here: l.displaced_here,
                new_arrivals: l.arrivals,
                food_kcal: l.food_kcal,
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
                .resolved
                .location_ids
                .iter()
                .cloned()
                .zip(self.cum.displaced_to.iter().copied())
                .collect(),
            airdrop_tonnes: self.cum.airdrop_tonnes,
            airdrop_landed_kcal: self.cum.airdrop_landed,
            airdrop_usable_kcal: self.cum.airdrop_usable,
            airdrop_captured_kcal: self.cum.airdrop_captured,
            airdrop_cost: self.cum.airdrop_cost,
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
