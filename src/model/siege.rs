//! The siege itself (MODEL.md §2–3, §7): when it starts and is lifted, what it does to a
//! besieged place each day (the market's leak, the violence hazard), and the interception of
//! those who flee through its lines.

use super::World;
use super::kernel::record_death;
use super::population::{Cause, Household, Mode, Person, Status};
use super::rng::{self, Stream};
use super::tally::Tally;
use crate::scenario::params::SiegeParams;

impl World<'_> {
    /// Starts or ends the siege on the days `[siege]` names.
    pub(crate) fn scheduled_siege(&mut self, day: u32) {
        let siege = self.s.siege();
        if self.s.siege_start_day() == Some(day) {
            self.siege_active = true;
        }
        if siege.end_day == Some(day) {
            self.lift_siege(day);
        }
    }

    /// Lifts the siege today (by its schedule or an event): liberation is dated today if the siege
    /// was on, or if none is dated yet.
    pub(crate) fn lift_siege(&mut self, day: u32) {
        if self.siege_active || self.liberation_day.is_none() {
            self.liberation_day = Some(day);
        }
        self.siege_active = false;
    }
}

/// What the siege does to a location today.
pub(crate) struct SiegeAt {
    /// Encircled while the siege is on.
    pub besieged_now: bool,
    /// The share of the market's daily supply that gets through.
    pub market_through: f64,
    /// The daily probability of a resident at home being killed.
    pub violence_hazard: f64,
}

/// The siege's effect today on a location (`encircled`: inside the siege lines) while it is
/// `active` or not, `since_liberation` days after the siege was lifted (None: not lifted). After
/// liberation an encircled place's imports ramp linearly from `leak` to full over `recovery_days`
/// (design-round2 §3.8): on the day of liberation they are still at the leak level.
pub(crate) fn siege_at(p: &SiegeParams, encircled: bool, active: bool, since_liberation: Option<u32>) -> SiegeAt {
    let besieged_now = encircled && active;
    let market_through = match (besieged_now, since_liberation) {
        (true, _) => p.leak,
        (false, Some(d)) if encircled && d < p.recovery_days => {
            p.leak + (1.0 - p.leak) * f64::from(d) / f64::from(p.recovery_days)
        }
        _ => 1.0,
    };
    SiegeAt {
        besieged_now,
        market_through,
        violence_hazard: if besieged_now { p.violence_hazard_per_day } else { 0.0 },
    }
}

/// The shares of an intercepted group that are killed and kidnapped (the rest are turned back).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Interception {
    killed_share: f64,
    kidnapped_share: f64,
}

impl Interception {
    pub fn of(p: &SiegeParams) -> Self {
        Interception {
            killed_share: p.interception_killed_share,
            kidnapped_share: p.interception_kidnapped_share,
        }
    }
}

/// The group is stopped: each active member is killed, kidnapped or turned back by the scenario's
/// shares; survivors turned back are at home again.
pub(crate) fn intercept(
    m: Interception,
    h: &mut Household,
    members: &mut [Person],
    day: u32,
    rng: &mut Stream,
    t: &mut Tally,
) {
    for p in members.iter_mut().filter(|p| p.status == Status::Alive) {
        t.intercepted += 1;
        let u = rng::uniform(rng);
        if u < m.killed_share {
            record_death(p, Cause::Violence, day, h, t);
        } else if u < m.killed_share + m.kidnapped_share {
            p.status = Status::Kidnapped;
            h.n_active -= 1;
            t.kidnapped += 1;
            t.loc[h.location as usize].victims += 1;
        }
    }
    h.mode = Mode::AtHome;
    h.location = h.home;
    h.days_left = 0;
    h.demand_stale = true;
}
