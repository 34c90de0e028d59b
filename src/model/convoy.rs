//! Ground convoys (MODEL.md §8a): a convoy leaves on its day (its cost is spent then), passes its
//! checkpoints and, unless one turns it back, hands out what is left at its destination by its
//! distribution rule on its arrival day.

use super::World;
use super::rng;

/// The sub-stream of a replicate that decides convoy outcomes, far past the household chunks'
/// (1, 2, …), so that a scenario without convoys draws exactly what it drew before.
pub(crate) const CONVOY_SUBSTREAM: u64 = 1 << 27;

impl World<'_> {
    /// Dispatches today's convoys and delivers today's arrivals; returns the kcal handed out.
    pub(crate) fn run_convoys(&mut self, day: u32) -> f64 {
        let s = self.s;
        for v in s.convoys().iter().filter(|v| v.depart == day) {
            self.cum.convoy_tonnes += v.tonnes;
            self.cum.convoy_cost += v.cost_per_tonne.unwrap_or(0.0) * v.tonnes;
        }
        let mut delivered = 0.0;
        for v in s.convoys().iter().filter(|v| v.arrive == day) {
            // One uniform per checkpoint reached, in route order; a block ends the journey.
            // kcal for food; litres, litres made safe or sachets for the other commodities.
            let mut kcal = v.tonnes * 1000.0 * v.units_per_kg;
            let mut blocked = false;
            for &(p_block, loot_share) in &v.checkpoints {
                if rng::uniform(&mut self.convoy_rng) < p_block {
                    blocked = true;
                    break;
                }
                let looted = kcal * loot_share;
                if v.commodity == crate::scenario::params::Commodity::Food {
                    self.cum.convoy_looted += looted;
                }
                kcal -= looted;
            }
            if blocked {
                self.cum.convoys_blocked += 1;
                continue;
            }
            // Water, tablets, ORS and RUTF are handed out as their kind (`World::hand_out`).
            if v.commodity != crate::scenario::params::Commodity::Food {
                self.hand_out(v.commodity, v.destination, v.distribution, kcal);
                continue;
            }
            match v.into {
                Some(j) => {
                    self.put_in_store(j, kcal);
                    self.cum.into_stores += kcal;
                    delivered += kcal;
                }
                None => {
                    let given = self.distribute(v.destination, v.distribution, kcal);
                    self.today.ledger.convoy_delivered += given;
                    delivered += given;
                }
            }
        }
        self.cum.convoy_delivered += delivered;
        delivered
    }
}
