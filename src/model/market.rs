//! Markets, wealth groups and coping foods (issue 19 item 2; design-round2 §3.8; MODEL.md §4.3),
//! when `[market]` is on. The location-level steps live here: the draw of each household's
//! wealth group, herd and cash (its own sub-stream, so that the switch moves no other draw), the
//! daily price, the share of what is wanted that the supply covers, and the coping pools. What a
//! household buys, pays and gathers is `food::market_day`, in the household pass.
//!
//! Each day, before the household pass: (A) every household not in transit earns its income and
//! counts what it could pay for at P₀, and what coping foods it would gather; the price P/P₀ is
//! the one at which what the location's households want and can pay for meets the supply S (at
//! least 1, at most the cap; `clearing_price`); (B) it counts what it wants at that price; the
//! supply covers a share r = min(1, S/wanted) of each household's want (1 but at the cap). Every
//! sum is per chunk and merged in chunk order, and the price is found over the households in their
//! fixed order, so results do not depend on the thread count.

use super::food;
use super::population::Mode;
use super::rng;
use super::tally::{LocTally, Tally};
use super::{CHUNK_HOUSEHOLDS, Chunk, World};
use crate::observe::{MarketRecord, Observer, WealthRecord};
use crate::scenario::params::MarketParams;

/// The wealth groups, in the order of the `[market]` arrays and of `wealth.csv`.
pub const GROUPS: [&str; 3] = ["poor", "middle", "better_off"];

/// The sub-stream of a replicate that draws wealth groups, herds by group: next to the convoys'
/// and breastfeeding's, far past the household chunks'.
pub(crate) const MARKET_SUBSTREAM: u64 = (1 << 27) + 2;

/// What every household at a location sees of the market today.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct MarketDay {
    /// Price index P/P₀.
    pub price: f64,
    /// The share of what it seeks that a household that can pay buys at today's price: π^(−η).
    pub want_factor: f64,
    /// Share of each household's want that the supply covers (rationed pro rata).
    pub buy_share: f64,
    /// Cash one head of livestock raises today, kcal at P₀: `livestock_sale_kcal` × (P/P₀)^(−κ).
    pub head_kcal: f64,
    /// Share of its need a household in bad times gathers as coping foods today.
    pub coping: f64,
    /// Today's supply, kcal, for the outputs.
    pub supply: f64,
}

/// The market's state at each location.
#[derive(Clone, Debug, Default)]
pub(crate) struct Markets {
    /// Coping foods left at each location, kcal.
    pub coping_pool: Vec<f64>,
    /// Cumulative deaths, food eaten and person-days by wealth group, for the run's summary.
    pub deaths: [u64; 3],
    pub eaten: [f64; 3],
    pub person_days: [u64; 3],
}

impl Markets {
    /// (group, deaths, mean intake per person-day, kcal) over the run so far.
    pub(crate) fn totals(&self) -> Vec<(String, Option<u64>, f64)> {
        (0..GROUPS.len())
            .map(|g| {
                let intake = if self.person_days[g] > 0 {
                    self.eaten[g] / self.person_days[g] as f64
                } else {
                    f64::NAN
                };
                (GROUPS[g].to_string(), Some(self.deaths[g]), intake)
            })
            .collect()
    }
}

/// One household's place in today's market: what it seeks (kcal), its cash (kcal at P₀) and its
/// herd.
pub(crate) type Seeker = (f64, f64, u32);

/// What `seekers` want in all at price index `price` (MODEL.md §4.3: Σ q_h(π)).
fn wanted_at(m: &MarketParams, seekers: &[Seeker], price: f64) -> f64 {
    let (factor, head) = (want_factor(m, price), head_kcal(m, price));
    seekers
        .iter()
        .map(|&(gap, cash, livestock)| food::market_wanted(gap * factor, cash, livestock, head, price))
        .sum()
}

/// The price index at which what `seekers` want meets `supply` (MODEL.md §4.3): 1 when the supply
/// covers what they want at 1, `price_cap` when it does not cover what they want at the cap, else
/// found by bisection on ln π to a width of 10⁻¹², keeping the upper end (what is wanted there is
/// at most the supply). The sums run over `seekers` in order: the same price whatever the threads.
pub(crate) fn clearing_price(m: &MarketParams, seekers: &[Seeker], supply: f64) -> f64 {
    if wanted_at(m, seekers, 1.0) <= supply {
        return 1.0;
    }
    if wanted_at(m, seekers, m.price_cap) >= supply {
        return m.price_cap;
    }
    let (mut lo, mut hi) = (0.0f64, m.price_cap.ln());
    while hi - lo > 1e-12 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if wanted_at(m, seekers, mid.exp()) > supply {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    hi.exp()
}

/// The share of what it seeks that a household able to pay buys at price index `price`: π^(−η).
pub(crate) fn want_factor(m: &MarketParams, price: f64) -> f64 {
    price.powf(-m.demand_elasticity)
}

/// Cash one head raises at price index `price`, kcal at P₀.
pub(crate) fn head_kcal(m: &MarketParams, price: f64) -> f64 {
    m.livestock_sale_kcal * price.powf(-m.livestock_price_exponent)
}

impl World<'_> {
    /// Draws each household's wealth group, its herd by group (mean `livestock_per_household_mean`
    /// × the group's relative herd / the mean relative herd) and its cash (`cash_days` of its
    /// starting need), from the market's own sub-stream; the starting herd drawn before is
    /// replaced, so no other draw moves. Returns the cash of each chunk's households.
    pub(crate) fn draw_wealth(&mut self) {
        let s = self.s;
        let m = s.market();
        let mut rng = rng::stream(s.seed(), u64::from(self.replicate), MARKET_SUBSTREAM);
        let mean_rel: f64 = m
            .wealth_shares
            .iter()
            .zip(&m.livestock_relative)
            .map(|(a, b)| a * b)
            .sum();
        let herd_mean = s.food().livestock_per_household_mean;
        let mut cash = Vec::with_capacity(self.households.len());
        for h in &mut self.households {
            let u = rng::uniform(&mut rng);
            let g = if u < m.wealth_shares[0] {
                0
            } else if u < m.wealth_shares[0] + m.wealth_shares[1] {
                1
            } else {
                2
            };
            h.wealth = g as u8;
            h.livestock = rng::poisson(&mut rng, herd_mean * m.livestock_relative[g] / mean_rel) as u32;
            cash.push((m.cash_days[g] * h.need_kcal) as f32);
        }
        for (c, chunk) in self.chunks.iter_mut().zip(cash.chunks(CHUNK_HOUSEHOLDS)) {
            c.cash = chunk.to_vec();
        }
        self.markets = Some(Markets {
            coping_pool: s
                .home_counts()
                .iter()
                .map(|&n| n as f64 * m.coping_pool_kcal_per_person)
                .collect(),
            ..Markets::default()
        });
    }

    /// Today's market at each location (steps A and B above), into `loc_day[..].market`; the
    /// coping pools are drawn down by what will be gathered. Runs after the need pass, the store
    /// issue and before the household pass (which reads the same stocks).
    pub(crate) fn market_phase(&mut self) {
        let Some(mut markets) = self.markets.take() else {
            return;
        };
        let s = self.s;
        let (m, f) = (s.market(), s.food());
        let through: Vec<f64> = self.loc_day.iter().map(|ld| ld.market_through).collect();
        // A: income, demand at P₀, people at home, coping wanted.
        self.for_each_chunk_of(|hhs, _persons, _p0, c| {
            let Chunk { cash, tally, .. } = c;
            for (h, cash) in hhs.iter().zip(cash.iter_mut()) {
                if h.n_active == 0 || h.mode == Mode::InTransit {
                    continue;
                }
                let l = h.location as usize;
                let g = usize::from(h.wealth);
                *cash = (f64::from(*cash) + m.income_share[g] * h.need_kcal * through[l]) as f32;
                let lt = &mut tally.loc[l];
                let gap = food::market_gap(f, h.need_kcal, h.stock_kcal);
                if gap > 0.0 {
                    lt.market_demand +=
                        food::market_wanted(gap, f64::from(*cash), h.livestock, m.livestock_sale_kcal, 1.0);
                }
                if h.mode == Mode::AtHome {
                    lt.market_people += u64::from(h.n_active);
                }
                if food::coping_now(f, h.need_kcal, h.stock_kcal) {
                    lt.coping_wanted += m.coping_share * h.need_kcal;
                }
            }
        });
        let sums = self.chunk_loc_sums();
        // Who seeks food at each market, in household order.
        let mut seekers: Vec<Vec<Seeker>> = vec![Vec::new(); sums.len()];
        for c in &self.chunks {
            for (h, &cash) in self.households[c.households.clone()].iter().zip(&c.cash) {
                if h.n_active == 0 || h.mode == Mode::InTransit {
                    continue;
                }
                let gap = food::market_gap(f, h.need_kcal, h.stock_kcal);
                if gap > 0.0 {
                    seekers[h.location as usize].push((gap, f64::from(cash), h.livestock));
                }
            }
        }
        let mut days = Vec::with_capacity(sums.len());
        for (i, l) in sums.iter().enumerate() {
            let supply = self.loc_day[i].import_per_person * l.market_people as f64;
            let price = clearing_price(m, &seekers[i], supply);
            let coping = if l.coping_wanted > 0.0 {
                let share = (markets.coping_pool[i] / l.coping_wanted).min(1.0);
                markets.coping_pool[i] = (markets.coping_pool[i] - share * l.coping_wanted).max(0.0);
                m.coping_share * share
            } else {
                0.0
            };
            days.push(super::market::MarketDay {
                price,
                want_factor: want_factor(m, price),
                buy_share: 0.0,
                head_kcal: head_kcal(m, price),
                coping,
                supply,
            });
        }
        // B: wanted at today's price.
        self.for_each_chunk_of(|hhs, _persons, _p0, c| {
            let Chunk { cash, tally, .. } = c;
            for (h, cash) in hhs.iter().zip(cash.iter()) {
                if h.n_active == 0 || h.mode == Mode::InTransit {
                    continue;
                }
                let l = h.location as usize;
                let gap = food::market_gap(f, h.need_kcal, h.stock_kcal);
                if gap > 0.0 {
                    let d = &days[l];
                    tally.loc[l].market_wanted +=
                        food::market_wanted(gap * d.want_factor, f64::from(*cash), h.livestock, d.head_kcal, d.price);
                }
            }
        });
        let sums = self.chunk_loc_sums();
        for ((ld, mut d), l) in self.loc_day.iter_mut().zip(days).zip(&sums) {
            d.buy_share = if l.market_wanted > d.supply {
                d.supply / l.market_wanted
            } else {
                1.0
            };
            ld.market = Some(d);
        }
        self.markets = Some(markets);
    }

    /// The day's `market.csv` and `wealth.csv` rows from the merged tally, to the observer; the
    /// run's totals by group.
    pub(crate) fn record_market(&mut self, day: u32, t: &Tally, obs: &mut impl Observer) {
        let Some(markets) = self.markets.as_mut() else {
            return;
        };
        let s = self.s;
        let mean = |sum: f64, n: u64| if n > 0 { sum / n as f64 } else { f64::NAN };
        let rows: Vec<MarketRecord> = t
            .loc
            .iter()
            .zip(&self.loc_day)
            .enumerate()
            .map(|(i, (l, ld))| {
                let d = ld.market.unwrap_or_default();
                MarketRecord {
                    replicate: self.replicate,
                    seed: s.seed(),
                    day,
                    location: s.location_ids()[i].clone(),
                    price_index: d.price,
                    supply_kcal: d.supply,
                    demand_kcal: l.market_demand,
                    wanted_kcal: l.market_wanted,
                    sold_kcal: l.market_sold,
                    unsold_kcal: (d.supply - l.market_sold).max(0.0),
                    coping_kcal: l.coping_got,
                    coping_pool_kcal: markets.coping_pool[i],
                }
            })
            .collect();
        let mut wealth = Vec::with_capacity(GROUPS.len());
        for (g, name) in GROUPS.iter().enumerate() {
            let w = &t.wealth[g];
            markets.deaths[g] += w.deaths;
            markets.eaten[g] += w.eaten;
            markets.person_days[g] += w.active;
            wealth.push(WealthRecord {
                replicate: self.replicate,
                seed: s.seed(),
                day,
                group: (*name).to_string(),
                n_active: w.active,
                new_deaths: w.deaths,
                cum_deaths: markets.deaths[g],
                mean_intake_kcal: mean(w.eaten, w.active),
                mean_cash_kcal: mean(w.cash, w.households),
                mean_livestock: mean(w.livestock as f64, w.households),
            });
        }
        obs.market(&rows, &wealth);
    }

    /// The chunks' per-location market sums, merged in chunk order.
    fn chunk_loc_sums(&self) -> Vec<LocTally> {
        let mut sums = vec![LocTally::default(); self.loc_day.len()];
        for c in &self.chunks {
            for (a, b) in sums.iter_mut().zip(&c.tally.loc) {
                a.market_people += b.market_people;
                a.market_demand += b.market_demand;
                a.market_wanted += b.market_wanted;
                a.coping_wanted += b.coping_wanted;
            }
        }
        sums
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(eta: f64, kappa: f64) -> MarketParams {
        MarketParams {
            demand_elasticity: eta,
            livestock_price_exponent: kappa,
            ..MarketParams::default()
        }
    }

    #[test]
    fn a_supply_that_covers_what_is_wanted_at_p0_leaves_the_price_at_1() {
        let m = params(0.6, 0.5);
        // Both can pay for what they seek at 1 (500 cash and two head of 350,000 cover 1,000).
        let seekers = [(2000.0, 1e9, 0), (1000.0, 500.0, 2)];
        assert_eq!(clearing_price(&m, &seekers, 3000.0), 1.0);
        assert_eq!(clearing_price(&m, &seekers, 1e9), 1.0);
        assert!(clearing_price(&m, &seekers, 2990.0) > 1.0);
        assert_eq!(clearing_price(&m, &[], 0.0), 1.0, "nobody seeks anything");
    }

    #[test]
    fn the_price_clears_markets_worked_by_hand() {
        // η = 0, cash only: two households seek 1,000 each and hold 500: each wants
        // min(1,000, 500/π), so a supply of 500 clears at π = 2.
        let m = params(0.0, 0.5);
        let cash_bound = [(1000.0, 500.0, 0), (1000.0, 500.0, 0)];
        assert!((clearing_price(&m, &cash_bound, 500.0) - 2.0).abs() < 1e-9);
        // η = 0.5, cash never binds: each wants 1,000·π^(−0.5), so 1,000 clears at π = 4 ...
        let m = params(0.5, 0.5);
        let rich = [(1000.0, 1e12, 0), (1000.0, 1e12, 0)];
        assert!((clearing_price(&m, &rich, 1000.0) - 4.0).abs() < 1e-9);
        // ... and at the cap (10) they still want 2,000/√10 ≈ 632, more than 500: the cap.
        assert_eq!(clearing_price(&m, &rich, 500.0), m.price_cap);
        assert_eq!(clearing_price(&m, &rich, 0.0), m.price_cap);
        // η = 0, κ = 1, no cash, one head of 350,000 at P₀: wants min(10⁶, 350,000/π²), so
        // 87,500 clears at π = 2.
        let m = params(0.0, 1.0);
        assert!((clearing_price(&m, &[(1e6, 0.0, 1)], 87_500.0) - 2.0).abs() < 1e-9);
    }
}
