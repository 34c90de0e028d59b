//! Food allocation (MODEL.md §4.1): rationing to stretch a short stock, and splitting a household's
//! ration between members with children protected first.

use super::physiology;
use super::population::{Person, Status};
use crate::scenario::params::{FoodParams, RationRegime};

/// The ration caps in force on `day`, if any (the last regime starting on or before it).
pub fn regime_on(rations: &[RationRegime], day: u32) -> Option<&RationRegime> {
    rations.iter().rev().find(|r| r.from_day <= day)
}

/// What a person asks for today, kcal: their need (a child's need is scaled by its weight relative
/// to the reference when above it, so a heavy child is kept, not slimmed; a wasted child asks its
/// full need and the surplus over its smaller expenditure is catch-up growth), capped by any ration.
#[inline]
pub fn demand_kcal(person: &Person, day: u32, cap: Option<&RationRegime>) -> f32 {
    let age = person.age(day);
    let mut need = physiology::need_kcal(age, person.sex);
    if person.is_child {
        need *= person.weight_ratio.max(1.0);
    }
    match cap {
        Some(r) if age < 5.0 => need.min(r.under5_kcal as f32),
        Some(r) if age < 15.0 => need.min(r.child_kcal as f32),
        Some(r) => need.min(r.adult_kcal as f32),
        None => need,
    }
}

/// Share of today's need a household with `days_of_food` eats: all of it above the rationing
/// horizon, then in proportion to the days left, never below the floor (while food lasts).
#[inline]
pub fn ration_share(f: &FoodParams, days_of_food: f64) -> f64 {
    if days_of_food >= f.rationing_horizon_days {
        1.0
    } else {
        (days_of_food / f.rationing_horizon_days).max(f.ration_floor)
    }
}

/// Splits `total` kcal between the active members of a household, in tiers (LSHTM Gaza
/// projections): children up to `child_protected_share` of demand, adults up to
/// `adult_protected_share`, then children to full demand, then adults. Within a tier, shares are
/// proportional to demand. Each active member's `intake_kcal` holds today's demand on entry (set
/// by the day's need pass, so demand is worked out once per person and day) and their intake on
/// return; returns what was eaten.
pub fn split(f: &FoodParams, members: &mut [Person], day: u32, total: f64) -> f64 {
    let (mut child_demand, mut adult_demand) = (0.0f64, 0.0f64);
    for m in members.iter().filter(|m| m.status == Status::Alive) {
        let d = f64::from(m.intake_kcal);
        if m.age(day) < 15.0 {
            child_demand += d
        } else {
            adult_demand += d
        }
    }
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
        if want > 0.0 {
            child_got += give * c / want;
            adult_got += give * a / want;
        }
        left -= give;
    }
    let child_frac = if child_demand > 0.0 {
        child_got / child_demand
    } else {
        0.0
    };
    let adult_frac = if adult_demand > 0.0 {
        adult_got / adult_demand
    } else {
        0.0
    };
    let mut eaten = 0.0;
    for m in members.iter_mut() {
        if m.status != Status::Alive {
            m.intake_kcal = 0.0;
            continue;
        }
        let d = f64::from(m.intake_kcal);
        let frac = if m.age(day) < 15.0 {
            child_frac
        } else {
            adult_frac
        };
        m.intake_kcal = (d * frac) as f32;
        eaten += d * frac;
    }
    eaten
}
