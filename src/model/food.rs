//! Food allocation (MODEL.md §4.1): rationing to stretch a short stock, and splitting a household's
//! ration between members with children protected first.

use super::lanes::{Lanes, One};
use super::physiology::{self, AgeBand, Coefs, FIRST_ADULT_BAND, Sex, Tables};
use super::population::{Household, Mode, Person, Status};
use super::{LocDay, Tally};
use crate::scenario::params::{FoodParams, RationRegime};

/// The ration caps in force on `day`, if any (the last regime starting on or before it).
pub fn regime_on(rations: &[RationRegime], day: u32) -> Option<&RationRegime> {
    rations.iter().rev().find(|r| r.from_day <= day)
}

/// What a person asks for today, kcal: their need (an adult's is their habitual need E₀,
/// `Person::usual_kcal`; a child's is what it spends at its weight plus, when wasted, the capped
/// catch-up growth, `physiology::child_demand_of`, so a heavy child is kept, not slimmed, and a
/// wasted child asks only what it can use), capped by any ration. `age_years` is the person's age
/// today and `band` its band. A breastfed child asks the household only for what its milk
/// (`milk_factor` of the full milk, `physiology::milk_kcal_of`) leaves; a breastfeeding mother
/// asks `lactation_kcal` more (`kernel::nursing`).
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn demand_kcal(
    person: &Person,
    c: &Coefs,
    age_years: f32,
    band: AgeBand,
    milk_factor: f32,
    lactation_kcal: f32,
    cold: f32,
    cap: Option<&RationRegime>,
) -> f32 {
    demand_of(
        One,
        &Tables::ONE,
        c,
        person.sex() == Sex::Female,
        person.is_child(),
        person.weight_ratio,
        if person.is_child() { person.own_ratio() } else { 1.0 },
        age_years,
        i32::from(band),
        milk_factor,
        lactation_kcal,
        cold,
        cap,
    )
}

/// `demand_kcal`, on lanes: of a member of the given sex and class at age `age_years` in band
/// `band`; `ratio` is the `Person::weight_ratio` slot: a child's weight relative to its reference,
/// an adult's habitual need E₀; `own` is a child's own growth centile (`Person::own_ratio`, 1 for
/// an adult).
#[allow(clippy::too_many_arguments)]
#[inline(always)]
pub(crate) fn demand_of<L: Lanes>(
    l: L,
    tables: &Tables<L>,
    c: &Coefs,
    female: L::M,
    child: L::M,
    ratio: L::F,
    own: L::F,
    age_years: L::F,
    band: L::I,
    milk_factor: L::F,
    lactation_kcal: L::F,
    cold: f32,
    cap: Option<&RationRegime>,
) -> L::F {
    // `lactation_kcal` is 0 for a child and `milk_factor` 0 for an adult; the cold raises need by
    // the share `cold` (MODEL.md §5.4), not the milk.
    let warmth = l.splat(1.0 + cold);
    let adult_need = ratio * warmth + lactation_kcal;
    let need = if l.needed(child) {
        let need = tables.child_need_kcal(l, age_years, female);
        let reference = tables.reference_weight_kg(l, age_years, female);
        let tissue = tables.child_tissue_kcal_per_kg(l, age_years);
        let child_need = physiology::child_demand_of(l, c, ratio, own, need * warmth, reference, tissue);
        let milk = if l.needed(l.gt(milk_factor, l.splat(0.0))) {
            physiology::milk_kcal_of(l, age_years, need) * milk_factor
        } else {
            l.splat(0.0)
        };
        l.select(child, l.at_least(child_need - milk, l.splat(0.0)), adult_need)
    } else {
        adult_need
    };
    match cap {
        Some(r) => {
            let cap = l.select(
                physiology::is_young(l, band),
                l.splat(r.child_kcal as f32),
                l.splat(r.adult_kcal as f32),
            );
            let under5 = l.eq_i(band, l.splat_i(i32::from(physiology::UNDER5)));
            l.at_most(need, l.select(under5, l.splat(r.under5_kcal as f32), cap))
        }
        None => need,
    }
}

/// Share of today's need a household with `days_of_food` eats: all of it above the rationing
/// horizon, then in proportion to the days left, never below the floor (while food lasts).
#[inline(always)]
pub fn ration_share(f: &FoodParams, days_of_food: f64) -> f64 {
    if days_of_food >= f.rationing_horizon_days {
        1.0
    } else {
        (days_of_food / f.rationing_horizon_days).max(f.ration_floor)
    }
}

/// Today's household ration, kcal: the steady daily supply (imports, host support) counts as
/// eaten first; the rest of the need is met from the stock, rationed by the days that stock would
/// cover the remaining need.
#[inline(always)]
pub fn ration_kcal(f: &FoodParams, stock: f64, need: f64, steady_supply: f64) -> f64 {
    if need <= 0.0 {
        return 0.0;
    }
    let steady = steady_supply.min(need).min(stock);
    let rest = need - steady;
    let from_stock = if rest > 0.0 {
        let days = (stock - steady) / rest;
        rest * ration_share(f, days)
    } else {
        0.0
    };
    (steady + from_stock).min(stock)
}

/// The shares of their demand that a household's children and adults get today.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TierShares {
    pub child: f64,
    pub adult: f64,
}

impl TierShares {
    /// The share of their demand that a member in age band `band` gets.
    #[inline]
    pub fn of_band(&self, band: AgeBand) -> f64 {
        if band < FIRST_ADULT_BAND {
            self.child
        } else {
            self.adult
        }
    }
}

/// The demand of a household's active children and adults, kcal: each active member's
/// `intake_kcal` holds their demand today and `band` their age band. Summed in
/// member order, as the household pass sums tomorrow's (so the two agree to the last bit).
pub fn tier_demands(members: &[Person]) -> (f64, f64) {
    let (mut child_demand, mut adult_demand) = (0.0f64, 0.0f64);
    for m in members {
        if m.status != Status::Alive {
            continue;
        }
        let d = f64::from(m.intake_kcal);
        if m.band < FIRST_ADULT_BAND {
            child_demand += d
        } else {
            adult_demand += d
        }
    }
    (child_demand, adult_demand)
}

/// How `total` kcal is split between the active members of a household whose children ask for
/// `child_demand` kcal and adults for `adult_demand`, in tiers (LSHTM Gaza projections): children
/// up to `child_protected_share` of demand, adults up to `adult_protected_share`, then children
/// to full demand, then adults. Within a tier, shares are proportional to demand.
#[inline(always)]
pub fn tier_shares(f: &FoodParams, child_demand: f64, adult_demand: f64, total: f64) -> TierShares {
    let tiers = [
        (child_demand * f.child_protected_share, 0.0),
        (0.0, adult_demand * f.adult_protected_share),
        (child_demand * (1.0 - f.child_protected_share), 0.0),
        (0.0, adult_demand * (1.0 - f.adult_protected_share)),
    ];
    let mut left = total.max(0.0);
    let (mut child_got, mut adult_got) = (0.0, 0.0);
    for (c, a) in tiers {
        let want = c + a;
        let give = want.min(left);
        // Each tier is children's or adults': the other share is give·0/want = +0, which adds
        // nothing to a sum that starts at +0, so it is skipped.
        if want > 0.0 {
            if c != 0.0 {
                child_got += give * c / want;
            }
            if a != 0.0 {
                adult_got += give * a / want;
            }
        }
        left -= give;
    }
    TierShares {
        child: if child_demand > 0.0 {
            child_got / child_demand
        } else {
            0.0
        },
        adult: if adult_demand > 0.0 {
            adult_got / adult_demand
        } else {
            0.0
        },
    }
}

/// Host support's decline with a displaced household's days at its refuge, exp(−days/τ_host)
/// (design-round2 eq. 14; MODEL.md §7).
#[inline]
pub(crate) fn host_decline(days_here: u16, tau_days: f64) -> f64 {
    (-f64::from(days_here) / tau_days).exp()
}

/// What a household seeks at the market today, kcal (MODEL.md §4.3): enough to bring its `stock`
/// up to `rationing_horizon_days` of its `need`, at most one day's need.
#[inline]
pub(crate) fn market_gap(f: &FoodParams, need: f64, stock: f64) -> f64 {
    (f.rationing_horizon_days * need - stock).max(0.0).min(need)
}

/// Whether a household is in bad times (less than `rationing_horizon_days` of food) and gathers
/// coping foods.
#[inline]
pub(crate) fn coping_now(f: &FoodParams, need: f64, stock: f64) -> bool {
    need > 0.0 && stock < f.rationing_horizon_days * need
}

/// What a household wants to buy at price index `price`, kcal: `seek` (what it seeks, times
/// π^(−η)), or what its cash and its herd sold at `head_kcal` a head (both in kcal at P₀) pay for.
#[inline]
pub(crate) fn market_wanted(seek: f64, cash: f64, livestock: u32, head_kcal: f64, price: f64) -> f64 {
    seek.min((cash + f64::from(livestock) * head_kcal) / price)
}

/// Pays `cost` (kcal at P₀) from `cash`, selling as few head as cover the rest at `head_kcal`
/// each; the change stays in cash.
#[inline]
pub(crate) fn pay(cost: f64, cash: &mut f32, livestock: &mut u32, head_kcal: f64) {
    let held = f64::from(*cash);
    let short = cost - held;
    let mut left = held - cost;
    if short > 0.0 && head_kcal > 0.0 {
        let heads = ((short / head_kcal).ceil() as u32).min(*livestock);
        *livestock -= heads;
        left += f64::from(heads) * head_kcal;
    }
    *cash = left.max(0.0) as f32;
}

/// The market and coping foods for one household not in transit (`[market]` on): it buys
/// `buy_share` of what it wants at today's price, paying with cash then livestock, and gathers
/// coping foods in bad times; both judged on `stock0`, its stock before sharing (as the
/// location's sums were). Returns the food gained, kcal.
pub(crate) fn market_day(
    f: &FoodParams,
    m: &super::market::MarketDay,
    h: &mut Household,
    stock0: f64,
    cash: &mut f32,
    t: &mut Tally,
) -> f64 {
    let gap = market_gap(f, h.need_kcal, stock0);
    let bought = if gap > 0.0 {
        let bought =
            market_wanted(gap * m.want_factor, f64::from(*cash), h.livestock, m.head_kcal, m.price) * m.buy_share;
        pay(bought * m.price, cash, &mut h.livestock, m.head_kcal);
        bought
    } else {
        0.0
    };
    let coping = if coping_now(f, h.need_kcal, stock0) {
        m.coping * h.need_kcal
    } else {
        0.0
    };
    h.stock_kcal += bought + coping;
    t.ledger.imports += bought;
    t.ledger.coping += coping;
    let l = &mut t.loc[h.location as usize];
    l.market_sold += bought;
    l.coping_got += coping;
    let w = &mut t.wealth[usize::from(h.wealth)];
    w.cash += f64::from(*cash);
    w.livestock += u64::from(h.livestock);
    w.households += 1;
    bought + coping
}

/// The start of a household's day (phases 2–4): `supply`, then the ration and its split between
/// children and adults (`Rationing::shares`).
pub(crate) fn supply_and_ration(
    f: &FoodParams,
    h: &mut Household,
    ld: &LocDay,
    cash: Option<&mut f32>,
    t: &mut Tally,
) -> TierShares {
    supply(f, h, ld, cash, t).shares(f)
}

/// What a household's ration and its split are worked out from, once its supply is in
/// (`supply`): its stock, need and steady supply today, kcal, and its children's and adults'
/// demands.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Rationing {
    pub stock: f64,
    pub need: f64,
    pub steady: f64,
    pub child_demand: f64,
    pub adult_demand: f64,
}

impl Rationing {
    /// Today's ration (`ration_kcal`) split between the tiers (`tier_shares`).
    #[inline]
    pub(crate) fn shares(&self, f: &FoodParams) -> TierShares {
        let ration = ration_kcal(f, self.stock, self.need, self.steady);
        tier_shares(f, self.child_demand, self.adult_demand, ration)
    }
}

/// The rations of a run of households, a field an array (`Rationing`, and the shares worked
/// out from it), so that `Rations::split` can do several households' divisions in one vector
/// instruction: the ration split is some eight f64 divisions a household, and one at a time they
/// kept the divider busy for about a tenth of a Farabougou run (the household pass, AVX-512 and
/// AVX2 paths, household_avx2.rs).
#[derive(Default)]
pub(crate) struct Rations {
    stock: Vec<f64>,
    need: Vec<f64>,
    steady: Vec<f64>,
    child_demand: Vec<f64>,
    adult_demand: Vec<f64>,
    /// The shares of their demand the children and the adults of each household get
    /// (`TierShares`), once `split` has run.
    pub child: Vec<f64>,
    pub adult: Vec<f64>,
}

impl Rations {
    pub(crate) fn clear(&mut self) {
        for v in [
            &mut self.stock,
            &mut self.need,
            &mut self.steady,
            &mut self.child_demand,
            &mut self.adult_demand,
        ] {
            v.clear();
        }
    }

    pub(crate) fn push(&mut self, r: Rationing) {
        self.stock.push(r.stock);
        self.need.push(r.need);
        self.steady.push(r.steady);
        self.child_demand.push(r.child_demand);
        self.adult_demand.push(r.adult_demand);
    }

    /// Each household's `Rationing::shares`, into `child` and `adult`. Inlined into callers
    /// compiled for wider vectors (household_avx2.rs), where the compiler turns the loop's
    /// branches into choices between values and runs a vector's worth of households in each
    /// instruction: each lane does what the one-household functions do, in the same order.
    #[inline(always)]
    pub(crate) fn split(&mut self, f: &FoodParams) {
        let n = self.stock.len();
        self.child.resize(n, 0.0);
        self.adult.resize(n, 0.0);
        let (stock, need, steady) = (&self.stock[..n], &self.need[..n], &self.steady[..n]);
        let (child_demand, adult_demand) = (&self.child_demand[..n], &self.adult_demand[..n]);
        let (child, adult) = (&mut self.child[..n], &mut self.adult[..n]);
        for i in 0..n {
            let ration = ration_kcal(f, stock[i], need[i], steady[i]);
            let shares = tier_shares(f, child_demand[i], adult_demand[i], ration);
            (child[i], adult[i]) = (shares.child, shares.adult);
        }
    }
}

/// A household's supply today (phases 2–3): sharing on the stock the pools were computed from,
/// the steady daily supply (market imports, host support: eaten, not rationed) and slaughter.
/// With `[market]` on (`ld.market`, and the household's `cash`), imports are bought at the market
/// instead of handed out, by displaced households too, and coping foods are gathered
/// (`market_day`). Returns what its ration is worked out from.
pub(crate) fn supply(
    f: &FoodParams,
    h: &mut Household,
    ld: &LocDay,
    cash: Option<&mut f32>,
    t: &mut Tally,
) -> Rationing {
    let active = f64::from(h.n_active);
    let stock0 = h.stock_kcal;
    if h.mode != Mode::InTransit {
        let offer = f.sharing_rate * (h.stock_kcal - f.rationing_horizon_days * h.need_kcal).max(0.0);
        let gap = (f.rationing_horizon_days * h.need_kcal - h.stock_kcal).max(0.0);
        h.stock_kcal += gap * ld.pool_per_gap - offer * ld.offer_share;
    }
    let steady = match h.mode {
        Mode::AtHome => {
            let imports = match (&ld.market, cash) {
                (Some(m), Some(cash)) => market_day(f, m, h, stock0, cash, t),
                _ => {
                    let imports = ld.import_per_person * active;
                    h.stock_kcal += imports;
                    t.ledger.imports += imports;
                    imports
                }
            };
            if h.livestock > 0 && h.stock_kcal < f.slaughter_below_days * h.need_kcal {
                h.livestock -= 1;
                h.stock_kcal += f.livestock_kcal_per_head;
                t.ledger.slaughtered += f.livestock_kcal_per_head;
            }
            imports
        }
        Mode::Displaced => {
            let support = ld.host_per_person * ld.host_decline(h.days_here) * active;
            h.stock_kcal += support;
            t.ledger.host_support += support;
            match (&ld.market, cash) {
                (Some(m), Some(cash)) => support + market_day(f, m, h, stock0, cash, t),
                _ => support,
            }
        }
        Mode::InTransit => 0.0,
    };
    h.stock_kcal = h.stock_kcal.max(0.0);
    // The store's issue (model/store.rs), pooled with the household's own food and eaten first
    // like the other daily supplies; a household without one adds nothing (not even +0.0).
    let steady = if h.issued_kcal > 0.0 {
        let issued = f64::from(h.issued_kcal);
        h.stock_kcal += issued;
        t.ledger.issued += issued;
        steady + issued
    } else {
        steady
    };
    Rationing {
        stock: h.stock_kcal,
        need: h.need_kcal,
        steady,
        child_demand: h.child_demand_kcal,
        adult_demand: h.adult_demand_kcal,
    }
}
