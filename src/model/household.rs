//! The household pass (phases 2–5 of the day, MODEL.md §3): each household's supply, sharing,
//! slaughter, ration and split (food.rs), then each member's day (kernel.rs) and death draw
//! (mortality.rs), one member at a time here or eight or sixteen at a time in household_avx2.rs.

use super::disease;
use super::food;
#[cfg(target_arch = "x86_64")]
use super::household_avx2;
use super::kernel::{self, DayConsts, MemberDay, MemberSums, close_household, record_death, violence_on};
use super::lanes::One;
use super::mortality::Care;
use super::physiology::{self, AgeBand, Tables};
use super::population::{Cause, Household, Person, Status};
use super::rng::{self, Stream};
use super::water;
use super::{LocDay, MemberPass, Tally, World};
use food::TierShares;

impl MemberDay<'_> {
    /// The member loop, one member at a time: each member's day (`kernel::member_day`), then the
    /// death draw, so that the members are visited once. `household_avx2::household_pass` runs the same
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
            tables: Tables::ONE,
            coefs: &self.coefs,
            day,
            next_regime: self.next_regime,
            nursing: self.nursing,
            cold: self.cold,
            next_cold: self.next_cold,
            work: self.work,
            next_work: self.next_work,
        };
        let mut sums = MemberSums::default();
        let violence = violence_on(h, ld);
        // Breastfeeding's per-member values, only while anyone may be breastfed.
        let nursing = self.nursing && h.nurslings > 0;
        let n = if nursing { members.len() } else { 0 };
        let (mut milk, mut lactation) = (vec![0.0f32; n], vec![0.0f32; n]);
        if nursing {
            t.breastfed += kernel::nursing(members, day, &self.coefs, &mut milk, &mut lactation, &mut h.nurslings);
        }
        // Therapeutic food, only in a household that holds some.
        let mut rutf = vec![0.0f32; if h.rutf_kcal > 0.0 { members.len() } else { 0 }];
        kernel::therapeutic(h, members, day, &self.coefs, &mut rutf);
        let nursed = |v: &[f32], i: usize| v.get(i).copied().unwrap_or(0.0);
        let care = Care {
            day,
            access: ld.care,
            ors: h.ors > 0,
        };
        for (i, m) in members.iter_mut().enumerate() {
            let band = m.band;
            if m.status != Status::Alive {
                m.intake_kcal = 0.0;
                continue;
            }
            let o = kernel::member_day(
                One,
                &k,
                &kernel::Member::of(
                    m,
                    shares,
                    nursed(&milk, i),
                    nursed(&lactation, i),
                    nursed(&rutf, i),
                    &self.appetite,
                ),
            );
            m.intake_kcal = o.intake_kcal;
            sums.eaten += o.intake;
            sums.eaters += 1;
            t.intake_sum += f64::from(o.intake_kcal);
            t.nutrition.active_n += 1;
            // Whether a child's weight ratio fell today (its energy balance was negative), which its
            // inanition hazard reads; an adult's slot (their E₀) does not change.
            let losing = o.weight_ratio < m.weight_ratio;
            (m.fat_kg, m.lean_kg, m.weight_ratio, m.activity) = (o.fat_kg, o.lean_kg, o.weight_ratio, o.activity);
            let index = h.first as usize + i;
            let cause = hazards.cause(m, index, band, losing, rng::uniform32(rng), violence, care);
            if cause != Cause::None {
                record_death(m, cause, day, h, t);
                // Her infants' demands for tomorrow counted her milk.
                h.demand_stale |= nursed(&lactation, i) > 0.0;
                continue;
            }
            t.nutrition.count(&o.classes);
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

impl World<'_> {
    /// Phases 2–5 for every household: supply (imports, host support), sharing, slaughter,
    /// rationing and the split, then each member's energy balance and death draw.
    pub(crate) fn food_and_health_pass(&mut self) {
        let s = self.s;
        let day = self.day;
        let loc_day = std::mem::take(&mut self.loc_day);
        let water_today = std::mem::take(&mut self.water_today);
        let ctx = MemberDay {
            f: s.food(),
            day,
            coefs: self.coefs,
            hazards: self.hazards.clone(),
            // Tomorrow's demands are worked out here, where the members are at hand, so that the
            // next need pass need not read them (see prepare_food_day).
            next_regime: food::regime_on(&s.food().rations, day + 1),
            nursing: kernel::nursing_possible(s, day),
            cold: physiology::cold_share(s.physiology(), s.temperature_on(day)) as f32,
            next_cold: physiology::cold_share(s.physiology(), s.temperature_on(day + 1)) as f32,
            work: super::work_on(s, day),
            next_work: super::work_on(s, day + 1),
            onsets: self.disease.as_ref().map(|d| d.onsets(day)),
            appetite: self.disease.as_ref().map_or([1.0; 8], |d| d.intake_factor),
            water: &water_today,
        };
        let pass = self.pass;
        self.for_each_chunk_of(|hhs, persons, p0, c| {
            #[cfg(target_arch = "x86_64")]
            if pass != MemberPass::One {
                household_avx2::household_pass(&ctx, &loc_day, hhs, persons, p0, c, pass == MemberPass::Avx512);
                return;
            }
            let (rng, disease_rng, t, cash) = (&mut c.rng, &mut c.disease_rng, &mut c.tally, &mut c.cash);
            for (i, h) in hhs.iter_mut().enumerate() {
                if h.n_active == 0 {
                    continue;
                }
                let ld = &loc_day[h.location as usize];
                let shares = food::supply_and_ration(ctx.f, h, ld, cash.get_mut(i), t);
                let members = &mut persons[h.members_from(p0)];
                if let Some(o) = &ctx.onsets {
                    let w = water::household_factor(ctx.water, h);
                    disease::household_onsets(h, members, o, w, disease_rng, t);
                }
                let sums = ctx.members(h, members, &shares, ld, rng, t);
                close_household(h, sums, t);
            }
        });
        self.loc_day = loc_day;
        self.water_today = water_today;
    }
}
