//! Every scenario parameter, with its default, unit and source, in one place.
//!
//! These structs are both the serde form of the scenario file (unknown keys are rejected) and the
//! parameter sets the model reads once `validate` has checked them. A scenario file overrides only
//! what it names; everything else keeps the default written here. Sources are those of
//! `MODEL.md`; "modelling choice" marks a number that no source fixes.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `[simulation]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationParams {
    /// Scenario name; also the default output directory `output/<name>/`.
    pub name: String,
    /// Horizon in days (day 0 .. days-1). Default 60 (modelling choice).
    #[serde(default = "d_days")]
    pub days: u32,
    /// Base seed of every random stream. Default 1.
    #[serde(default = "d_seed")]
    pub seed: u64,
    /// Monte-Carlo replicates. Default 20.
    #[serde(default = "d_replicates")]
    pub replicates: u32,
    /// ISO date of day 0 (labels only).
    #[serde(default)]
    pub start_date: Option<String>,
}
fn d_days() -> u32 {
    60
}
fn d_seed() -> u64 {
    1
}
fn d_replicates() -> u32 {
    20
}

/// `[population]`
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct PopulationParams {
    /// People at day 0. Default 3,000 (Farabougou: "a population of 3,000 residents").
    pub size: i64,
    /// Where people live: location id → share of `size` (shares sum to 1). Default: everyone at
    /// the first encircled location.
    pub home_shares: BTreeMap<String, f64>,
    /// Mean household size, persons (round(people / mean) households with `families`; sizes
    /// 1 + Poisson(mean − 1) with `independent`). Default 9 (Mali DHS: rural households about 8–12).
    pub household_size_mean: f64,
    /// Share under 5 years. Default 0.18 (UN WPP, Mali 2020).
    pub under5_share: f64,
    /// Share under 15 years (includes under-5s). Default 0.47 (UN WPP, Mali 2020).
    pub under15_share: f64,
    /// Share aged 60+. Default 0.04 (UN WPP, Mali 2020).
    pub over60_share: f64,
    /// Share male. Default 0.5 (sex ratio 1:1, UN WPP).
    pub male_share: f64,
    /// An age–sex pyramid (`[[population.ages]]`, MODEL.md §2): contiguous bands from age 0, each
    /// with the shares of the whole population that are its men and its women. Given, it replaces
    /// the four shares above (giving both is an error). Absent (default): the four shares.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub ages: Vec<AgeBandShares>,
    /// Adult men's height, mean and sd in m. Default 1.72 / 0.07 (modelling choice near Mali DHS).
    pub height_men_m: f64,
    pub height_men_sd_m: f64,
    /// Adult women's height, mean and sd in m. Default 1.60 / 0.06 (modelling choice near Mali DHS).
    pub height_women_m: f64,
    pub height_women_sd_m: f64,
    /// Starting adult BMI, mean and sd in kg/m². Default 21 / 2.5 (modelling choice, rural Sahel).
    pub adult_bmi_mean: f64,
    pub adult_bmi_sd: f64,
    /// Starting weight-for-height index of children (WHZ-like), mean and sd, clipped to [−4, 3].
    /// Default −0.5 / 1.0 (MODEL.md: GAM ≈ 7–10%; Mali 2019 national GAM 9.4%; the normal itself
    /// puts 6.7% below −2).
    pub child_index_mean: f64,
    pub child_index_sd: f64,
    /// Ration cards by person (`[population.cards]`), read only where a `[[stores]]` issues
    /// `[[rations]]`. Absent: the defaults of `CardParams`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cards: Option<CardParams>,
    /// Starting global and severe acute malnutrition among under-5s: the shares with a
    /// weight-for-height index below −2 and below −3 (WHO). Given together; the under-5s' starting
    /// index is then drawn from the normal that puts exactly these shares below −2 and −3 (MODEL.md
    /// §5.3), and `child_index_mean`/`_sd` apply to children aged 5–14 only. Absent (default): every
    /// child draws from `child_index_mean`/`_sd`. Mali's national SMART survey of June–July 2022:
    /// GAM 10.8%, SAM 2.1% among children 6–59 months (UNICEF Mali humanitarian situation report
    /// no. 6, September 2022, reliefweb).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under5_gam_share: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub under5_sam_share: Option<f64>,
    /// Share of children under 6 months, and of children 6–23 months, breastfed at the start
    /// (each by its own mother with `families`, else by a woman aged 15–49 of its household,
    /// MODEL.md §5.3). Default 1.0 and 0.9
    /// (modelling choice, design-round2.md §3.3: a placeholder until Mali DHS figures are checked;
    /// range 0.8–1 and 0.6–1). 0 and 0 turn breastfeeding off.
    pub breastfed_share_under_6m: f64,
    pub breastfed_share_6_23m: f64,
    /// How households are composed (MODEL.md §2): `families` (default) places each child with a
    /// woman 15–49 years older, its mother; `independent` draws every member independently (the
    /// rule before 5 December 2026).
    pub households: Households,
}

/// How a location's people are put into households (`population.households`, MODEL.md §2).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Households {
    /// Each child lives with its mother, a woman who was 15–49 at its birth; the mothers' families
    /// and everyone else are dealt to households of the mean size.
    #[default]
    Families,
    /// Each household's size is drawn, then each member independently from the age–sex structure.
    Independent,
}

impl Default for PopulationParams {
    fn default() -> Self {
        Self {
            size: 3000,
            home_shares: BTreeMap::new(),
            household_size_mean: 9.0,
            under5_share: 0.18,
            under15_share: 0.47,
            over60_share: 0.04,
            male_share: 0.5,
            ages: Vec::new(),
            height_men_m: 1.72,
            height_men_sd_m: 0.07,
            height_women_m: 1.60,
            height_women_sd_m: 0.06,
            adult_bmi_mean: 21.0,
            adult_bmi_sd: 2.5,
            child_index_mean: -0.5,
            child_index_sd: 1.0,
            cards: None,
            under5_gam_share: None,
            under5_sam_share: None,
            breastfed_share_under_6m: 1.0,
            breastfed_share_6_23m: 0.9,
            households: Households::Families,
        }
    }
}

/// `[[population.ages]]` — one band of an age–sex pyramid: people aged `from_years` up to (not
/// including) `to_years`, as shares of the whole population, men and women. Ages are drawn uniform
/// within a band (modelling choice, as for the four band shares). Scenario input.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AgeBandShares {
    pub from_years: f64,
    pub to_years: f64,
    pub male_share_of_all: f64,
    pub female_share_of_all: f64,
}

/// The keys of `[population]` that `[[population.ages]]` replaces.
pub const AGE_SHARE_KEYS: [&str; 4] = ["under5_share", "under15_share", "over60_share", "male_share"];

/// The oldest age a pyramid's band may reach, years (modelling choice: above any recorded life).
pub const MAX_AGE_YEARS: f64 = 120.0;

/// How far the shares of a pyramid may sum from 1 (published tables are rounded): 0.005
/// (modelling choice). The shares are normalised to their sum before drawing.
pub const AGE_SHARES_TOLERANCE: f64 = 0.005;

/// A ration card category (design-round2 §3.7): the Soviet categories of 1941, which a store's
/// `[[rations]]` give an entitlement each.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Card {
    Worker,
    Employee,
    Dependant,
    Child,
}
impl Card {
    /// Every card, in the order of the per-card arrays of the model.
    pub const ALL: [Card; 4] = [Card::Worker, Card::Employee, Card::Dependant, Card::Child];
    pub fn index(self) -> usize {
        self as usize
    }
    /// The card as a scenario names it.
    pub fn name(self) -> &'static str {
        ["worker", "employee", "dependant", "child"][self.index()]
    }
}

/// `[population.cards]`: who holds which ration card. A person younger than `child_under_years`
/// holds a child card; one younger than `dependant_under_years` or past working age (the
/// `dependant_from_years_*` of their sex) a dependant card; everyone else a worker, employee or
/// dependant card, drawn once per person from a hash of (seed, replicate, person index), with
/// shares set so that all holders of adult cards have these shares (MODEL.md §4.2): nothing is
/// stored and no other draw moves.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct CardParams {
    /// Age, years, under which a person holds a child card. Default 12 (Leningrad 1941: "children
    /// under 12", NKVD ration table via shared/validation/leningrad_1941.md).
    pub child_under_years: f64,
    /// Age, years, under which an older child holds a dependant card whatever the shares. Default
    /// 15 (Leningrad 1941: "From twelve to fourteen they were classed as 'dependants', even if in
    /// practice working", Reid 2011).
    pub dependant_under_years: f64,
    /// Ages, years, from which men and women hold a dependant card whatever the shares: past
    /// working age. Default 60 and 55, the Soviet old-age pension ages from 1929–32 (news-pravda
    /// 2025 on the 1929 decree, secondary): Reid 2011 counts "old people" with the unemployed among
    /// the dependants.
    pub dependant_from_years_men: f64,
    pub dependant_from_years_women: f64,
    /// Shares of the older card holders with a worker, employee and dependant card (normalised).
    /// Default 0.425 / 0.192 / 0.383: the NKVD count of November 1941 (workers 34.5%, employees
    /// 15.6%, dependants 31.1%, children 18.9% of 2,384,400 cards) without the children's cards.
    /// The only documented card structure found; give your own for another place.
    pub worker_share: f64,
    pub employee_share: f64,
    pub dependant_share: f64,
}
impl CardParams {
    /// Whether anyone can hold `card` under these rules (as `model::store::Cards` gives them): a
    /// child card below a `child_under_years` above 0; a worker or employee card at a share above
    /// 0; a dependant card at a share above 0, or by age (between `child_under_years` and
    /// `dependant_under_years`, or from a `dependant_from_years_*` below 150, the oldest age
    /// accepted).
    pub fn has_holders(&self, card: Card) -> bool {
        match card {
            Card::Child => self.child_under_years > 0.0,
            Card::Worker => self.worker_share > 0.0,
            Card::Employee => self.employee_share > 0.0,
            Card::Dependant => {
                self.dependant_share > 0.0
                    || self.dependant_under_years > self.child_under_years
                    || self.dependant_from_years_men.min(self.dependant_from_years_women) < 150.0
            }
        }
    }
    /// Why `card` has holders, for messages: the rule of [`CardParams::has_holders`] that gives it
    /// some.
    pub fn holders_reason(&self, card: Card) -> String {
        match card {
            Card::Child => format!(
                "everyone under population.cards.child_under_years = {}",
                self.child_under_years
            ),
            Card::Worker => format!("population.cards.worker_share = {}", self.worker_share),
            Card::Employee => format!("population.cards.employee_share = {}", self.employee_share),
            Card::Dependant if self.dependant_share > 0.0 => {
                format!("population.cards.dependant_share = {}", self.dependant_share)
            }
            Card::Dependant => "everyone outside working age: population.cards.dependant_under_years, \
                 dependant_from_years_men and _women"
                .into(),
        }
    }
}

impl Default for CardParams {
    fn default() -> Self {
        Self {
            child_under_years: 12.0,
            dependant_under_years: 15.0,
            dependant_from_years_men: 60.0,
            dependant_from_years_women: 55.0,
            worker_share: 0.425,
            employee_share: 0.192,
            dependant_share: 0.383,
        }
    }
}

/// How a `[[stores]]` cuts its issues when it cannot cover every entitlement.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Shortfall {
    /// Every entitlement by the same share.
    #[default]
    Proportional,
    /// Cards in the store's `priority` order: each fully, then the next.
    Priority,
}

/// `[[stores]]`: an authority's food store at a location (design-round2 §3.7, MODEL.md §4.2). Each
/// day it issues to every household present at its location the sum of its active members'
/// entitlements by card (`[[rations]]`), while one of them can still queue.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StoreParams {
    pub id: String,
    /// Location id. Default the first encircled location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Stock at day 0, tonnes. Scenario input.
    #[serde(default)]
    pub stock_tonnes: f64,
    /// Energy density of the stock and inflow, kcal/kg. Default `food.grain_kcal_per_kg`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kcal_per_kg: Option<f64>,
    /// Regular supply, tonnes/day, arriving as the location's market does: all of it while not
    /// besieged, `siege.leak` of it while besieged, ramping back after liberation. Default 0.
    #[serde(default)]
    pub inflow_tonnes_per_day: f64,
    #[serde(default)]
    pub shortfall: Shortfall,
    /// Under `shortfall = "priority"`, the cards served first to last. Default child, worker,
    /// employee, dependant (modelling choice: children protected first, then those who work).
    #[serde(default = "d_priority")]
    pub priority: Vec<Card>,
    /// The store issues at most its stock divided by the days left to this day (inclusive), so
    /// that what it holds lasts to it. Absent: it issues the entitlements while stock lasts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub spread_until_day: Option<u32>,
}
fn d_priority() -> Vec<Card> {
    vec![Card::Child, Card::Worker, Card::Employee, Card::Dependant]
}

/// `[[rations]]`: the entitlement per card, kcal/person/day, from `from_day` until the next
/// regime of the same stores. Food issued into the household, not a cap on intake (those are
/// `[[food.rations]]`).
/// Each card's entitlement is required where that card has holders ([`CardParams::has_holders`])
/// and may be left out where it has none.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CardRations {
    pub from_day: u32,
    /// Store id; absent: every store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worker_kcal: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_kcal: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dependant_kcal: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child_kcal: Option<f64>,
}
impl CardRations {
    /// The entitlements by card as written, in `Card::ALL` order.
    pub fn as_written(&self) -> [Option<f64>; 4] {
        [
            self.worker_kcal,
            self.employee_kcal,
            self.dependant_kcal,
            self.child_kcal,
        ]
    }
    /// The entitlements by card, in `Card::ALL` order: 0 for a card left out (validation allows
    /// that only for a card no one holds).
    pub fn by_card(&self) -> [f64; 4] {
        self.as_written().map(|k| k.unwrap_or(0.0))
    }
}

/// A household collects its issue only while a member can queue (design-round2 §3.7; Reid 2011:
/// "The point at which an entire family was doomed was when its last mobile member became too weak
/// to queue for rations"): an adult with BMI at least this, kg/m² (modelling choice, range 13–16;
/// below 15 is grade-3 thinness) … There is no age limit: the population builder draws ages
/// member by member, so some households are children only, and they would never collect.
pub const QUEUE_MIN_BMI: f32 = 15.0;
/// … or a child with weight for age at least this share of the reference (modelling choice,
/// design-round2 §3.7: range 0.7–0.8).
pub const QUEUE_MIN_WEIGHT_RATIO: f32 = 0.75;

/// One explicit ration regime (`[[food.rations]]`): caps on intake from `from_day` on.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RationRegime {
    /// First day the regime applies (it lasts until the next regime).
    pub from_day: u32,
    /// kcal/person/day for under-5s, children 5–14 and adults 15+.
    pub under5_kcal: f64,
    pub child_kcal: f64,
    pub adult_kcal: f64,
}

/// `[food]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct FoodParams {
    /// Initial household stock in days of full need: gamma with this mean (days) and shape.
    /// Default 10 days, shape 2 (modelling choice: end of the lean season; a Farabougou resident
    /// reported reserves "finished" around day 12).
    pub stock_days_mean: f64,
    pub stock_days_shape: f64,
    /// Energy density of grain, kcal/kg. Default 3,500 (FAO: millet 3,630, sorghum 3,550, rice 3,520).
    pub grain_kcal_per_kg: f64,
    /// Livestock per household, head (Poisson mean). Default 2 (modelling choice).
    pub livestock_per_household_mean: f64,
    /// Food energy of one slaughtered head, kcal. Default 150,000 [derived: ~300 kg zebu × 46%
    /// carcass yield].
    pub livestock_kcal_per_head: f64,
    /// A household at home slaughters one head when its stock falls below this many days of need.
    /// Default 3 days (modelling choice).
    pub slaughter_below_days: f64,
    /// Households with less than this many days of food cut rations to stretch it. Default 14 days
    /// (modelling choice).
    pub rationing_horizon_days: f64,
    /// Rationing never cuts a household's ration below this fraction of need (while food lasts).
    /// Default 0.5 (modelling choice).
    pub ration_floor: f64,
    /// Fraction per day of stock above the horizon that is pooled to the hungriest households at
    /// the same location. Default 0.1 (modelling choice).
    pub sharing_rate: f64,
    /// When food is short, children first get this fraction of their need … Default 0.9
    /// (LSHTM Gaza projections: children get 90–100%).
    pub child_protected_share: f64,
    /// … then adults get this fraction of theirs, then children, then adults, the rest.
    /// Default 0.5 (LSHTM Gaza projections: adults keep 30–70%).
    pub adult_protected_share: f64,
    /// Explicit ration regimes (caps on intake by age group), by starting day.
    pub rations: Vec<RationRegime>,
}
impl Default for FoodParams {
    fn default() -> Self {
        Self {
            stock_days_mean: 10.0,
            stock_days_shape: 2.0,
            grain_kcal_per_kg: 3500.0,
            livestock_per_household_mean: 2.0,
            livestock_kcal_per_head: 150_000.0,
            slaughter_below_days: 3.0,
            rationing_horizon_days: 14.0,
            ration_floor: 0.5,
            sharing_rate: 0.1,
            child_protected_share: 0.9,
            adult_protected_share: 0.5,
            rations: Vec::new(),
        }
    }
}

/// How an adult's habitual energy need E₀ is set at the start (MODEL.md §5.1).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum AdultNeed {
    /// The UNHCR/WHO requirement of the adult's age band and sex (MODEL.md §4), whatever their size.
    #[default]
    Table,
    /// FAO/WHO/UNU 2004's factorial method: the Schofield basal rate at the adult's weight, age and
    /// sex times `pal`.
    Factorial,
}

/// `[physiology]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct PhysiologyParams {
    /// Energy density of fat and lean tissue, kcal/kg. Default 9,440 / 1,816 (Hall 2006/2011).
    pub fat_kcal_per_kg: f64,
    pub lean_kcal_per_kg: f64,
    /// Maintenance cost of fat and lean tissue, kcal/kg/day. Default 3.1 / 22.0 (Hall 2011).
    pub fat_upkeep_kcal_per_kg_day: f64,
    pub lean_upkeep_kcal_per_kg_day: f64,
    /// Thermic effect of food, fraction of intake. Default 0.10 (Hall 2011).
    pub thermic_effect: f64,
    /// Adaptive thermogenesis, fraction of the change in intake. Default 0.14 (Hall 2011).
    pub adaptive_thermogenesis: f64,
    /// Forbes constant C in the lean share p = C/(C+F), kg. Default 2.0 [derived: 10.4·ρL/ρF].
    pub forbes_c_kg: f64,
    /// Physical activity falls toward this fraction of baseline under deficit. Default 0.35
    /// (Keys: 30–40%).
    pub activity_floor: f64,
    /// The deficit, as a share of the adult's habitual need, at which the activity target reaches
    /// the floor (MODEL.md §5.1 eq. 3). Default 0.25 (modelling choice, range 0.15–0.4: for
    /// deficits deeper than it the result does not depend on it; design-round2.md §3.2).
    pub deficit_saturation: f64,
    /// Time constant of that adaptation, days. Default 45 (Keys: 30–60 days).
    pub activity_time_constant_days: f64,
    /// How an adult's habitual need E₀ is set at the start (MODEL.md §5.1). Default `table`.
    pub adult_need: AdultNeed,
    /// The physical activity level of `adult_need = "factorial"`: E₀ = BMR × PAL. Default 1.55, the
    /// middle of FAO/WHO/UNU 2004's sedentary or light activity lifestyle (PAL 1.40–1.69, Table
    /// 5.3), the level of the UNHCR table; active 1.70–1.99, vigorous 2.00–2.40.
    pub pal: f64,
    /// Lethal BMI, kg/m². Default men 13, women 11 (Henry 1990).
    pub lethal_bmi_men: f64,
    pub lethal_bmi_women: f64,
    /// The largest daily weight gain of a wasted child on household food (catch-up), g per kg of
    /// its weight per day (MODEL.md §5.3 eq. 7). Default 2 (modelling choice, range 1–5; no source
    /// gives it directly: James et al. 2016 found untreated moderately wasted children mostly stay
    /// wasted or deteriorate, 54.2% recovered in 28 weeks; therapeutic food achieves 9.6 g/kg/day,
    /// Jharkhand treatment centres, PMC10282323; design-round2.md §3.3, §6).
    pub home_catch_up_g_per_kg_day: f64,
    /// Child adaptive thermogenesis in deficit, fraction of the deficit. Default 0.24 (Hall 2013).
    pub child_adaptive_thermogenesis: f64,
    /// A child dies below this fraction of its reference weight. Default 0.60 (modelling choice;
    /// WHZ ≈ −4.4).
    pub child_lethal_weight_ratio: f64,
    /// A mother gives full milk at and above this BMI, kg/m², and none at and below
    /// `milk_bmi_none`, linearly between (MODEL.md §5.3). Default 17 and 14 (modelling choice, range
    /// 15–18 and 12–15: IOM 1991, Nutrition During Lactation, finds milk volume about 750–800 mL/day
    /// "in women with widely varying dietary intakes and with varying nutritional status" and posits
    /// "a threshold below which energy intake is insufficient", its value unknown).
    pub milk_bmi_full: f64,
    pub milk_bmi_none: f64,
    /// Efficiency of milk synthesis: a breastfeeding mother spends the milk energy she gives over
    /// it, and her need rises by as much (MODEL.md §5.3 eq. 6b). Default 0.80, the figure of the
    /// FAO/WHO/UNU 1985, UK DHSS 1979 and US NRC 1989 committees (Prentice et al. 1991, Eur J Clin
    /// Nutr 45:459, PubMed 1959517); range 0.80–0.95 (the same paper measured 94% in Gambian women and
    /// proposes 95%). At 0.80 the cost over the first six months, about 690 kcal/day, less the
    /// ~170 kcal/day FAO/WHO/UNU 2004 counts from pregnancy's fat stores, is its +505 kcal/day.
    pub lactation_efficiency: f64,
    /// Relative risk of infection-related death of a child not breastfed, under 6 months and 6–23
    /// months (`kernel::non_breastfed_factor`, the disease model's factor B). Default 8.66 and 2.0
    /// (Sankar et al. 2015, Acta Paediatr 104(467):3, PubMed 26249674: infection-related mortality
    /// "nonbreastfed (RR 8.66)" at 0–5 months; "twofold higher" at 6–23 months). The all-cause RRs
    /// (14.4; 1.8 and 2.0) are not used, so as not to count the energy pathway twice.
    pub non_breastfed_rr_under_6m: f64,
    pub non_breastfed_rr_6_23m: f64,
    /// The largest daily weight gain of a wasted child given therapeutic food (RUTF), g per kg of
    /// its weight per day (MODEL.md §5.3 eq. 7). Default 10 (Jharkhand malnutrition treatment
    /// centres, PMC10282323: "average weight gain was 9·6 (sd 8·4) g/kg body weight per d";
    /// design-round2.md §6: range 5–15).
    pub rutf_catch_up_g_per_kg_day: f64,
    /// The daily RUTF dose of a wasted child, kcal per kg of its weight (MODEL.md §8b). Default 200
    /// (USAID RUTF commodity fact sheet: "approximately 200 kilocalories per kilogram of body weight
    /// per day"; design-round2.md §6).
    pub rutf_kcal_per_kg_day: f64,
    /// Whether a child's catch-up growth on household food aims at its own growth centile — its
    /// weight ratio at day 0, but not below index −3 — rather than the reference median (design-round2 §3.3 `own_ratio`,
    /// §7 "what to borrow" 2: the Gaza model calibrates each child to its centile). Default true
    /// (false: every child with food catches up to the median and under-5 wasting vanishes in a
    /// few months of plenty, issue 18). Modelling choice: the surveyed spread at day 0 stands for
    /// the children's healthy spread.
    pub catch_up_to_own_centile: bool,
    /// Extra need in the cold, share of need per °C below `cold_base_c`, down to `cold_coldest_c`
    /// (`COLD_NEED_PER_DEGREE`; MODEL.md §5.4).
    pub cold_need_per_degree: f64,
    pub cold_base_c: f64,
    pub cold_coldest_c: f64,
}
impl Default for PhysiologyParams {
    fn default() -> Self {
        Self {
            fat_kcal_per_kg: 9440.0,
            lean_kcal_per_kg: 1816.0,
            fat_upkeep_kcal_per_kg_day: 3.1,
            lean_upkeep_kcal_per_kg_day: 22.0,
            thermic_effect: 0.10,
            adaptive_thermogenesis: 0.14,
            forbes_c_kg: 10.4 * 1816.0 / 9440.0,
            activity_floor: 0.35,
            deficit_saturation: 0.25,
            activity_time_constant_days: 45.0,
            adult_need: AdultNeed::Table,
            pal: 1.55,
            lethal_bmi_men: 13.0,
            lethal_bmi_women: 11.0,
            home_catch_up_g_per_kg_day: 2.0,
            child_adaptive_thermogenesis: 0.24,
            child_lethal_weight_ratio: 0.60,
            milk_bmi_full: 17.0,
            milk_bmi_none: 14.0,
            lactation_efficiency: 0.80,
            non_breastfed_rr_under_6m: 8.66,
            non_breastfed_rr_6_23m: 2.0,
            rutf_catch_up_g_per_kg_day: 10.0,
            rutf_kcal_per_kg_day: 200.0,
            catch_up_to_own_centile: true,
            cold_need_per_degree: COLD_NEED_PER_DEGREE,
            cold_base_c: 20.0,
            cold_coldest_c: 0.0,
        }
    }
}

/// Extra energy need in the cold, as a share of need per °C of mean temperature below
/// `cold_base_c`: UNHCR 1997 (Guidelines for Estimating Food and Nutritional Needs in Emergencies,
/// ¶21 and Annex II, after WHO, The Management of Nutrition in Major Emergencies): "take the
/// average temperature of 20°C as a base temperature and … add an allowance of 100 kilocalories
/// for every five degrees below 20°C", on the 2,100 kcal reference: 100 / 2,100 / 5.
pub const COLD_NEED_PER_DEGREE: f64 = 100.0 / 2100.0 / 5.0;

/// `[[activity]]` — MODEL.md §5.5: the physical activity of adults from `from_day`, until the
/// next entry. `light` is the need table's own level (PAL 1.55 men, 1.56 women).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityParams {
    pub from_day: u32,
    pub level: ActivityLevel,
    /// The ration cards whose adult holders it applies to (the card each holds at the start,
    /// `[population.cards]`). Absent: every adult.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cards: Option<Vec<Card>>,
}

impl ActivityParams {
    /// Whether this entry sets the activity of adults holding `card`.
    pub fn applies_to(&self, card: Card) -> bool {
        self.cards.as_ref().is_none_or(|cards| cards.contains(&card))
    }
}

/// An activity level of UNHCR 1997 Annex II (after WHO): what adults (18+) need over the light
/// level the 2,100 kcal reference assumes.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum ActivityLevel {
    Light,
    Moderate,
    Heavy,
}

impl ActivityLevel {
    /// Extra need over the light level, kcal/day, men and women: UNHCR 1997, Guidelines for
    /// Estimating Food and Nutritional Needs in Emergencies, Annex II (moderate +360 / +100, heavy
    /// +850 / +330; PAL 1.78 / 1.64 and 2.10 / 1.82 against light 1.55 / 1.56).
    pub fn extra_kcal(self) -> [f64; 2] {
        match self {
            ActivityLevel::Light => [0.0, 0.0],
            ActivityLevel::Moderate => [360.0, 100.0],
            ActivityLevel::Heavy => [850.0, 330.0],
        }
    }
}

/// `[[climate]]` — MODEL.md §5.4: the mean temperature people live in from `from_day` (outdoors
/// for people in camps or unheated homes), until the next entry.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ClimateParams {
    pub from_day: u32,
    /// Mean daily temperature, °C. Scenario input.
    pub mean_temperature_c: f64,
}

/// `[mortality]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MortalityParams {
    /// Background death rates, deaths per 10,000 per day. Under-5 default 1.0 (Sphere, sub-Saharan
    /// Africa); 5–59 0.29 and 60+ 0.87 [derived: crude rate 0.44 (Sphere) with the default age
    /// structure, 60+ three times 5–59 (modelling choice)].
    pub background_under5_per_10k_day: f64,
    pub background_5_59_per_10k_day: f64,
    pub background_60_plus_per_10k_day: f64,
    /// Child hazard ratios by wasting at the band midpoints (index −3.5, −2.5, −1.5), interpolated
    /// log-linearly in the index from 1 at −1 (MODEL.md §6, design-round2 eq. 9). Default 11.6
    /// (Olofin 2013, severe vs not wasted), 3.0 and 1.6 (Black 2008).
    pub sam_hazard_ratio: f64,
    pub mam_hazard_ratio: f64,
    pub mild_hazard_ratio: f64,
    /// Adult excess mortality below this BMI, kg/m². Default 18.5 (Gaasbeek 2024).
    pub adult_bmi_threshold: f64,
    /// Monthly probability coefficient and exponent: 0.00028·exp((18.5 − BMI)^1.33) (Clingendael
    /// Sudan famine model, Gaasbeek 2024).
    pub adult_bmi_coef: f64,
    pub adult_bmi_exponent: f64,
    /// Half-width of each child's own lethal weight ratio around `child_lethal_weight_ratio`,
    /// drawn once per person from a hash of (seed, replicate, person index). Default 0.05
    /// (modelling choice, 0–0.1: spreads the floor over 0.55–0.65 so that children in the same
    /// state do not die on the same day; design-round2 §3.4).
    pub child_floor_spread: f64,
    /// Shape k of the child inanition hazard ((0.73 − r)/(0.73 − floor))^k between severe wasting
    /// and the child's floor, on a day the child loses weight (MODEL.md §6). Default 4 (modelling
    /// choice, 2–8; design-round2 §3.4).
    pub child_inanition_shape: f64,
    /// Men's adult starvation hazard relative to women's at equal BMI and age. Default 1.3
    /// (modelling choice, 1–2: women survive famines better, Zarulli 2018, Speakman 2013; the size
    /// is not sourced).
    pub adult_starvation_male_ratio: f64,
}
impl Default for MortalityParams {
    fn default() -> Self {
        Self {
            background_under5_per_10k_day: 1.0,
            background_5_59_per_10k_day: 0.29,
            background_60_plus_per_10k_day: 0.87,
            sam_hazard_ratio: 11.6,
            mam_hazard_ratio: 3.0,
            mild_hazard_ratio: 1.6,
            adult_bmi_threshold: 18.5,
            adult_bmi_coef: 0.00028,
            adult_bmi_exponent: 1.33,
            child_floor_spread: 0.05,
            child_inanition_shape: 4.0,
            adult_starvation_male_ratio: 1.3,
        }
    }
}

/// `[displacement]` — MODEL.md §7. Coefficients are modelling choices to be calibrated.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DisplacementParams {
    /// Households may leave encircled locations. Default true.
    pub enabled: bool,
    /// Daily probability of leaving with no pressure at all. Default 0 (modelling choice).
    pub base: f64,
    /// Added to the daily probability once the victims (killed + kidnapped) at the household's
    /// location in the last `violence_window_days` reach the household's own threshold.
    /// Default 0.15 (modelling choice; threshold-shaped after Bohra-Mishra & Massey 2011).
    pub violence_coef: f64,
    /// Days of violence that count as recent. Default 7 (modelling choice).
    pub violence_window_days: u32,
    /// Household thresholds are exponential with this mean, victims. Default 10 (modelling choice).
    pub violence_threshold_mean: f64,
    /// Added at most, as days of food fall from `food_gap_days` to 0. Default 0.1 (modelling choice).
    pub food_coef: f64,
    pub food_gap_days: f64,
    /// Times the share of the location's residents already gone. Default 0.2 (modelling choice).
    pub neighbours_coef: f64,
    /// Subtracted per head of livestock. Default 0.01 (modelling choice).
    pub assets_coef: f64,
    /// Walking speed, km/day. Default 35 (Flee).
    pub walking_km_per_day: f64,
    /// How much of the interception probability people perceive: p is multiplied by
    /// 1 − risk_perception × interception probability. Default 1 (modelling choice).
    pub risk_perception: f64,
    /// Share of the household's stock it carries when it leaves (the rest is abandoned).
    /// Default 1 (modelling choice: low lean-season stocks are light enough to carry).
    pub carry_share: f64,
    /// Displaced households start home this many days after liberation; absent = they stay.
    pub return_after_liberation_days: Option<u32>,
    /// Displaced households whose food runs short may move on to another refuge reachable by open
    /// routes, by the flight rule's base, food-gap and assets terms (design-round2 §3.8). Default
    /// false (modelling choice: the switch keeps earlier results reproducible).
    pub onward: bool,
}
impl Default for DisplacementParams {
    fn default() -> Self {
        Self {
            enabled: true,
            base: 0.0,
            violence_coef: 0.15,
            violence_window_days: 7,
            violence_threshold_mean: 10.0,
            food_coef: 0.1,
            food_gap_days: 7.0,
            neighbours_coef: 0.2,
            assets_coef: 0.01,
            walking_km_per_day: 35.0,
            risk_perception: 1.0,
            carry_share: 1.0,
            return_after_liberation_days: None,
            onward: false,
        }
    }
}

/// `[siege]` — MODEL.md §2.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct SiegeParams {
    /// Encircled location ids. Default: every location of kind `besieged`.
    pub locations: Vec<String>,
    /// Day the siege starts. Absent: day 0, unless a `siege_start` event starts it.
    pub start_day: Option<u32>,
    /// Day the siege ends; absent = only a `liberation` event ends it.
    pub end_day: Option<u32>,
    /// Fraction of market imports that still get through. Default 0 (modelling choice).
    pub leak: f64,
    /// Probability that a household leaving an encircled location is intercepted. Default 0.05
    /// (modelling choice).
    pub interception_probability: f64,
    /// Outcome shares per intercepted person: killed, kidnapped; the rest are turned back.
    /// Default 0.1 / 0.3 (modelling choice).
    pub interception_killed_share: f64,
    pub interception_kidnapped_share: f64,
    /// Daily probability that a person at an encircled location is killed while the siege is
    /// active. Default 0 (modelling choice; use events for documented violence).
    pub violence_hazard_per_day: f64,
    /// Days over which market imports at a liberated place ramp linearly from the `leak` level back
    /// to normal (design-round2 §3.8). Default 14 (modelling choice, range 0–60: roads, traders and
    /// stocks take weeks to return; 0 = full imports from the day of liberation).
    pub recovery_days: u32,
}
impl Default for SiegeParams {
    fn default() -> Self {
        Self {
            locations: Vec::new(),
            start_day: None,
            end_day: None,
            leak: 0.0,
            interception_probability: 0.05,
            interception_killed_share: 0.1,
            interception_kidnapped_share: 0.3,
            violence_hazard_per_day: 0.0,
            recovery_days: 14,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum LocationKind {
    Besieged,
    Village,
    Town,
    Base,
}

/// `[[locations]]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LocationParams {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    pub kind: LocationKind,
    /// Displaced people the place can support; absent = unlimited.
    #[serde(default)]
    pub capacity: Option<i64>,
    /// kcal per displaced person per day that hosts give to a newcomer (S₀ of design-round2 eq. 14;
    /// scaled down beyond capacity, declining with days since arrival). Default 1,000 (estimate,
    /// range 0–2,100: IFRC 2013 and IDMC 2014 say only that Malian hosts fed most displaced people
    /// in 2012–13 and were "exhausted"; 2,100 is the Sphere planning figure).
    #[serde(default = "default_host_support_kcal")]
    pub host_support_kcal: f64,
    /// Days after a household's arrival over which host support falls by the factor e (τ_host of
    /// design-round2 eq. 14). Default 60 (modelling choice, range 20–180: hosts' resources
    /// "dwindle over time", IDMC 2014, qualitative).
    #[serde(default = "default_host_support_days")]
    pub host_support_days: f64,
    /// Market imports reaching residents when not blockaded, kcal/person/day. Default 0.
    #[serde(default)]
    pub market_kcal_per_person_day: f64,
    /// Pull on people choosing where to flee. Default by kind: town 1, base 0.5, village 0.5,
    /// besieged 0 (modelling choice, after Flee).
    #[serde(default)]
    pub attractiveness: Option<f64>,
    /// Water sources (`[[locations.water]]`, design-round2 §3.6). None: unlimited safe water.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub water: Vec<WaterSourceParams>,
}

/// Whether a water source's water is safe to drink.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WaterQuality {
    #[default]
    Safe,
    Unsafe,
}

/// `[[locations.water]]`: one water source of a location (design-round2 §3.6). Scenario inputs.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WaterSourceParams {
    /// Named by `water_cut` and `water_poison` events; default "<location>-water-<n>" (n from 1).
    #[serde(default)]
    pub id: Option<String>,
    /// Litres a day the source yields. Scenario input.
    pub capacity_l_day: f64,
    /// `safe` or `unsafe`. Default safe.
    #[serde(default)]
    pub quality: WaterQuality,
    /// Outside the siege line: unreachable while the location is besieged. Default false.
    #[serde(default)]
    pub outside_line: bool,
}

/// `[water]` — design-round2 §3.6: drinking need, dehydration and the diarrhoea factor. Used only
/// at locations with `[[locations.water]]`; elsewhere water is unlimited and safe.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct WaterParams {
    /// w_min: survival need (drinking and food), L/person/day. Default 3 (Sphere 2004/2011:
    /// "2.5–3 litres … depends on the climate and individual physiology").
    pub survival_l_per_person_day: f64,
    /// Multiplies the survival need (hot periods). Default 1 (modelling choice, range 1–2).
    pub heat_factor: f64,
    /// Total basic need (drinking, cooking, hygiene), L/person/day: below it water is scarce for
    /// the diarrhoea factor, and people use no more than it a day. Default 7.5 (Sphere 2004/2011:
    /// "Total basic water needs 7.5–15 litres").
    pub basic_l_per_person_day: f64,
    /// Median days to death at zero water, people 5 and over. Default 5 (modelling choice, range
    /// 3–7: "two days to a week" and "a week or more" in comfort, popular sources only).
    pub adult_median_days: f64,
    /// The same for children under 5. Default 2 (modelling choice, range 1–3: children dehydrate
    /// faster, "a few hours" in a hot car; popular sources only).
    pub under5_median_days: f64,
    /// Diarrhoea incidence ratio for unsafe water (all of it unsafe). Default 1.5 (modelling
    /// choice, range 1–3; design-round2 §3.6: WASH meta-analyses not yet read).
    pub unsafe_incidence_ratio: f64,
    /// Diarrhoea incidence ratio for scarce water (below the basic need). Default 1.5 (modelling
    /// choice, range 1–3; as above).
    pub scarce_incidence_ratio: f64,
}
impl WaterParams {
    /// Whether every key has its default (the section is then not written out, so scenarios
    /// without water keep their files and digests).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
impl Default for WaterParams {
    fn default() -> Self {
        Self {
            survival_l_per_person_day: 3.0,
            heat_factor: 1.0,
            basic_l_per_person_day: 7.5,
            adult_median_days: 5.0,
            under5_median_days: 2.0,
            unsafe_incidence_ratio: 1.5,
            scarce_incidence_ratio: 1.5,
        }
    }
}

/// `[market]` — issue 19 item 2, design-round2 §3.8 (MODEL.md §4.3): a market per location that
/// sells the day's supply (what imports × the share getting through would otherwise hand out
/// free) at a price that rises with scarcity; households in wealth groups with cash, income and
/// livestock to sell buy what they can afford; coping foods in bad times from a per-location
/// pool that is used up. Off by default: no default below is sourced well enough to turn it on
/// for the shipped scenarios. Money is counted in kcal of grain at the pre-crisis price P₀, so
/// P₀ itself cancels: a price is the index P/P₀.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct MarketParams {
    /// Whether the market, the wealth groups and coping foods are modelled. Default false: imports
    /// are handed to every household at home, free, as before this section existed.
    pub enabled: bool,
    /// Shares of households that are poor, middle and better-off (they sum to 1). Default
    /// [0.5, 0.35, 0.15] (modelling choice, poor 0.3–0.6, better-off 0.1–0.25: the Household
    /// Economy Approach baselines of Mali and the Sahel — FEWS NET 2010 Mali livelihood profile,
    /// FEG's 2017 HEA atlas of the Sahel — were found, their wealth breakdowns not read).
    pub wealth_shares: [f64; 3],
    /// Cash each group holds at the start, in days of its household's need bought at P₀. Default
    /// [5, 20, 60] (modelling choice, ranges 0–15, 10–40, 30–120; not sourced).
    pub cash_days: [f64; 3],
    /// Daily earnings of each group as a share of its household's need at P₀, in normal times;
    /// the siege cuts them by the share of the supply getting through. Default [1, 1.2, 1.6]
    /// (modelling choice: in the normal year of a Household Economy baseline every group meets
    /// its food needs, the better-off with a surplus; ranges 0.8–1.2, 1–1.5, 1.2–2.5).
    pub income_share: [f64; 3],
    /// Herd size of each group relative to the others; scaled so that the mean herd over all
    /// households stays `food.livestock_per_household_mean`. Default [0.25, 1, 3] (modelling
    /// choice: herds are concentrated in the better-off; ranges 0–0.5, 1, 2–6).
    pub livestock_relative: [f64; 3],
    /// η, the households' own-price elasticity of grain: at price index π a household that can
    /// pay buys π^(−η) of what it seeks (MODEL.md §4.3). Default 0.6: Green et al. 2013 (BMJ
    /// 346:f3703), cereals in low-income countries 0.61 (95% CI 0.56–0.66); range 0.4–0.7.
    pub demand_elasticity: f64,
    /// Highest price index. Default 10 (modelling choice within 3–100: WFP Syria Market Price
    /// Watch 2015, wheat flour in besieged Rural Damascus six times the Damascus price; Madaya
    /// 2016, rice reported at about $100–115 a kg, some hundred times a normal price).
    pub price_cap: f64,
    /// Grain one head of livestock buys at normal terms of trade, kcal (at P₀). Default 350,000
    /// (= 100 kg of grain; modelling choice, range 175,000–700,000: FEWS NET, quoted by Brown
    /// 2014, counts a goat that buys under 50 kg of grain a sign of imminent crisis, **S**).
    pub livestock_sale_kcal: f64,
    /// κ: livestock's price falls as grain's rises, head price index = (P/P₀)^(−κ), so the terms
    /// of trade (grain per head) fall as (P/P₀)^(−1−κ). Default 0.5 (modelling choice, range
    /// 0–1: the famine pattern of grain up, livestock down, Sen 1981 and Devereux 1988 on Wollo,
    /// qualitative).
    pub livestock_price_exponent: f64,
    /// Coping foods (wild foods, seed stock, small animals) gathered by a household with less
    /// than `food.rationing_horizon_days` of food, as a share of its need. Default 0.1
    /// (design-round2 §3.8, modelling choice, range 0–0.3: "10–30% of energy in Sahel bad years"
    /// was not verified; in Ethiopia's "green famine belt" wild foods were 5% of the gross and 9%
    /// of the net food households had over a year, Forest Ecosystems 2015, 220 households).
    pub coping_share: f64,
    /// The coping foods at a location at the start, kcal per resident; used up, never renewed.
    /// Default 12,600 (60 days of the 0.1 share of 2,100 kcal; modelling choice, range 0–50,000).
    pub coping_pool_kcal_per_person: f64,
}
impl MarketParams {
    /// Whether every key has its default (the section is then not written out, so scenarios
    /// without a market keep their files and digests).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }
}
impl Default for MarketParams {
    fn default() -> Self {
        Self {
            enabled: false,
            wealth_shares: [0.5, 0.35, 0.15],
            cash_days: [5.0, 20.0, 60.0],
            income_share: [1.0, 1.2, 1.6],
            livestock_relative: [0.25, 1.0, 3.0],
            demand_elasticity: 0.6,
            price_cap: 10.0,
            livestock_sale_kcal: 350_000.0,
            livestock_price_exponent: 0.5,
            coping_share: 0.1,
            coping_pool_kcal_per_person: 12_600.0,
        }
    }
}

/// What an airdrop or a convoy carries (`commodity`): one rule lands, loses and hands out all of
/// them; what a household receives is where they differ (model/water.rs).
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Commodity {
    /// Energy: `kcal_per_kg`, into household stocks by `distribution`.
    #[default]
    Food,
    /// Litres (`units_per_kg`, default 1 L/kg): into the location's common store of safe water.
    Water,
    /// Purification: litres made safe per kg (`units_per_kg`, required): into the location's
    /// store of treatment, used on its unsafe water.
    Tablets,
    /// ORS sachets per kg (`units_per_kg`, required): held by households, by `distribution`.
    Ors,
    /// Ready-to-use therapeutic food (energy, `kcal_per_kg`, default `RUTF_KCAL_PER_KG`): held by
    /// the households apart from their food and given to their wasted under-5s.
    Rutf,
}

fn default_host_support_kcal() -> f64 {
    1000.0
}

fn default_host_support_days() -> f64 {
    60.0
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum RouteState {
    Open,
    Closed,
    Impassable,
}

/// `[[routes]]` (undirected)
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RouteParams {
    /// Default "<from>-<to>".
    #[serde(default)]
    pub id: Option<String>,
    pub from: String,
    pub to: String,
    pub distance_km: f64,
    #[serde(default = "d_open")]
    pub state: RouteState,
    /// Daily probability that a household on this route is attacked while the siege is active.
    #[serde(default)]
    pub crossing_risk: f64,
}
fn d_open() -> RouteState {
    RouteState::Open
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Kidnapping,
    Killing,
    LivestockSeizure,
    GranaryBurning,
    Route,
    SiegeStart,
    Liberation,
    WaterCut,
    WaterPoison,
    /// Access to care at the location becomes `fraction` (0–1): clinics closed or reopened,
    /// health workers cut off (`[disease]`, design-round2 §3.5).
    Care,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    #[default]
    Anyone,
    Adults,
    AdultMen,
    AdultWomen,
    Children,
}

/// `[[events]]`
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EventParams {
    pub day: u32,
    pub kind: EventKind,
    /// Where it happens; default the first encircled location.
    #[serde(default)]
    pub location: Option<String>,
    /// People (kidnapping, killing).
    #[serde(default)]
    pub n: Option<i64>,
    /// Who (kidnapping, killing). Default anyone.
    #[serde(default)]
    pub group: Group,
    /// Livestock head seized (livestock_seizure).
    #[serde(default)]
    pub head: Option<i64>,
    /// Fraction of livestock seized or of stocks burned; access to care from now on (care).
    #[serde(default)]
    pub fraction: Option<f64>,
    /// Route id (route).
    #[serde(default)]
    pub route: Option<String>,
    /// New route state (route).
    #[serde(default)]
    pub state: Option<RouteState>,
    /// Route ids reopened (liberation).
    #[serde(default)]
    pub reopen: Vec<String>,
    /// Water source id (water_cut, water_poison); absent: every source at the location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
/// How a drop or convoy is shared among the households at its target (MODEL.md §8; `World::shares`).
pub enum Distribution {
    #[default]
    Equal,
    Need,
    Scramble,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
pub enum Aircraft {
    #[serde(rename = "Il-76")]
    Il76,
    #[serde(rename = "C-130")]
    C130,
    #[serde(rename = "An-12")]
    An12,
    #[serde(rename = "Mi-8")]
    Mi8,
    #[serde(rename = "Y-12")]
    Y12,
}
impl Aircraft {
    /// Reference payload per sortie, tonnes (MODEL.md §8: Il-76 36 t; C-130 ~18 t; An-12 ~15 t;
    /// Mi-8 2–4 t, 3 t taken; Malian Y-12 ~1.7 t).
    pub fn payload_tonnes(self) -> f64 {
        match self {
            Aircraft::Il76 => 36.0,
            Aircraft::C130 => 18.0,
            Aircraft::An12 => 15.0,
            Aircraft::Mi8 => 3.0,
            Aircraft::Y12 => 1.7,
        }
    }
}
impl Commodity {
    /// Energy density of RUTF, kcal/kg: 500 kcal per 92 g sachet (UNICEF supply catalogue S0000240;
    /// the IFRC catalogue gives 520–550 kcal per 100 g).
    pub const RUTF_KCAL_PER_KG: f64 = 500.0 / 0.092;
    /// The payload's energy density when `kcal_per_kg` is not given, kcal/kg.
    pub fn default_kcal_per_kg(self, grain_kcal_per_kg: f64) -> f64 {
        match self {
            Commodity::Rutf => Self::RUTF_KCAL_PER_KG,
            _ => grain_kcal_per_kg,
        }
    }
}

/// `[[airdrops]]` — MODEL.md §8.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AirdropParams {
    /// The drop's day; for a recurring schedule, the first drop's.
    pub day: u32,
    /// Repeat the drop every this many days: until the horizon, or `count` drops, or up to
    /// `until_day`. Absent: one drop.
    #[serde(default)]
    pub every_days: Option<i64>,
    /// Number of drops of a recurring schedule (needs `every_days`).
    #[serde(default)]
    pub count: Option<i64>,
    /// Last day a recurring schedule may drop on, inclusive (needs `every_days`).
    #[serde(default)]
    pub until_day: Option<i64>,
    /// Payload in tonnes, or `aircraft` × `sorties`.
    #[serde(default)]
    pub tonnes: Option<f64>,
    #[serde(default)]
    pub aircraft: Option<Aircraft>,
    #[serde(default)]
    pub sorties: Option<i64>,
    /// Energy density of the payload, kcal/kg. Default `food.grain_kcal_per_kg`, or 5,435 for RUTF.
    #[serde(default)]
    pub kcal_per_kg: Option<f64>,
    /// Default the first encircled location.
    #[serde(default)]
    pub target: Option<String>,
    /// Fraction of the uncaptured payload that is recovered intact. Default 0.9 (MODEL.md §8:
    /// 0.85–0.97 for low-level drops on a secured zone).
    #[serde(default = "d_usable")]
    pub usable_fraction: f64,
    /// Fraction taken by the besiegers. Default 0.
    #[serde(default)]
    pub captured_fraction: f64,
    #[serde(default)]
    pub distribution: Distribution,
    /// Cost per tonne (currency of the user's choice; WFP: ~1,600 USD by air).
    #[serde(default)]
    pub cost_per_tonne: Option<f64>,
    /// What the payload is. Default food.
    #[serde(default, skip_serializing_if = "is_food")]
    pub commodity: Commodity,
    /// Units of a non-food commodity per kg of payload (`Commodity`). Water default 1 L/kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_per_kg: Option<f64>,
    /// Who holds the drop zone: sets `captured_fraction` (`DropZone::captured_fraction`).
    /// Absent: `captured_fraction` as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop_zone: Option<DropZone>,
    /// Drop altitude: sets `usable_fraction` (`Altitude::usable_fraction`). Absent:
    /// `usable_fraction` as given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub altitude: Option<Altitude>,
    /// Store id: the usable payload goes into that `[[stores]]` instead of being handed to
    /// households by `distribution`. Absent: to households.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
    /// People killed at the drop zone (falling pallets, crushes), expected per tonne dropped.
    /// Default 0; reported, not a measured rate (MODEL.md §8).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub casualties_per_tonne: f64,
}
fn is_zero(x: &f64) -> bool {
    *x == 0.0
}
fn d_usable() -> f64 {
    0.9
}

/// `drop_zone` of an airdrop: who holds the ground the payload lands on.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DropZone {
    Held,
    Contested,
    Besiegers,
}
impl DropZone {
    /// Share of the payload the besiegers take. Modelling choices (design-round2 §3.9): held 0;
    /// contested 0.5 (range 0.2–0.8); held by the besiegers 0.95 (range 0.8–1; Cerska 1993, where
    /// most pallets fell to the besiegers, is reported, not verified).
    pub fn captured_fraction(self) -> f64 {
        match self {
            DropZone::Held => 0.0,
            DropZone::Contested => 0.5,
            DropZone::Besiegers => 0.95,
        }
    }
}

/// `altitude` of an airdrop.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Altitude {
    Low,
    High,
}
impl Altitude {
    /// Share of the uncaptured payload recovered intact. Low (WFP drops from 600–1,000 ft): 0.9,
    /// the default `usable_fraction` (MODEL.md §8: 0.85–0.97, Sinjar 2014 60 of 72 bundles, Gaza
    /// 2024 ~96%). High: 0.25, modelling choice in MODEL.md §8's 0–0.5 (Deir ez-Zor 2016, 0 of 21
    /// pallets).
    pub fn usable_fraction(self) -> f64 {
        match self {
            Altitude::Low => d_usable(),
            Altitude::High => 0.25,
        }
    }
}

/// `[airdrop_plan]`: moves the whole schedule in time (for sweeps over drop timing).
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct AirdropPlanParams {
    /// If set, every airdrop is shifted so the first lands on this day; later drops keep their
    /// spacing. A recurring schedule without `count` keeps its end (the horizon or `until_day`),
    /// so an earlier start adds drops and a later one removes them.
    pub first_day: Option<i64>,
}

/// The planning figure of food energy a person needs a day, kcal (Sphere; WFP/UNHCR): the unit
/// of food balances, the charts' need line and relief collection limits.
pub const PLANNING_KCAL: f64 = 2100.0;

/// The most food a household collects from one drop or convoy, in days of the planning figure
/// for each of its members (MODEL.md §8): what it can carry away and keep. The rest is left
/// uncollected (not in `airdrop_usable_kcal` / `convoy_delivered_kcal`). Modelling choice (range
/// 14–90 days): without a limit, the last few people of an emptied town collected whole weekly
/// payloads (18 t for one person in a new user's trial) and carried them to a refuge.
pub const RELIEF_COLLECT_DAYS: f64 = 30.0;

/// How much each household takes at most under `scramble` and `need`, in days of its own need.
/// Modelling choice (range 3–14): the first served carry off what they can (about a week's food).
pub const SCRAMBLE_TAKE_DAYS: f64 = 7.0;

/// `need`: how many heads a member counts for by body condition, [moderately, severely]
/// undernourished (a child's index below −2 / −3, an adult's BMI below 18.5 / 16; others count
/// 1). Moderately: 1.25, a supplementary ration of at least 500 kcal on a general ration of
/// 1,900–2,100 (CDC 1992, "Famine-affected, refugee, and displaced populations", MMWR 41(RR-13):
/// "A SFP should provide at least 500 kcal and 15 g protein/day"). Severely: 1.5, modelling choice
/// (range 1.25–2).
pub const NEED_HEADS: [f64; 2] = [1.25, 1.5];
/// `scramble`: ages, years [from, to), of the members who count towards a household's chance to
/// reach a drop first. Modelling choice (the design's 15–39; "young men reach drops first" is
/// reported from Gaza 2024 but unverified): range 15–29 to 15–49.
pub const SCRAMBLE_ABLE_AGE: (f32, f32) = (15.0, 40.0);
/// `scramble`: the least BMI, kg/m², at which such a member still counts as able. Modelling choice
/// (range 16–18.5): below 17 is moderate thinness (WHO), too weak to win a scramble.
pub const SCRAMBLE_ABLE_BMI: f32 = 17.0;

/// `[[convoys]]` — MODEL.md §8a: ground convoys that leave on `day` (or a recurring schedule, the
/// same forms as `[[airdrops]]`), pass the checkpoints of `route` and reach `destination`
/// `days_on_road` days later, unless a checkpoint turns them back.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ConvoyParams {
    /// Departure day; for a recurring schedule, the first convoy's.
    pub day: u32,
    #[serde(default)]
    pub every_days: Option<i64>,
    #[serde(default)]
    pub count: Option<i64>,
    #[serde(default)]
    pub until_day: Option<i64>,
    /// Food loaded, tonnes.
    pub tonnes: f64,
    /// Energy density, kcal/kg. Default `food.grain_kcal_per_kg`, or 5,435 for RUTF.
    #[serde(default)]
    pub kcal_per_kg: Option<f64>,
    /// Checkpoint ids passed, in order.
    #[serde(default)]
    pub route: Vec<String>,
    /// Days from departure to arrival. Scenario input.
    #[serde(default = "d_days_on_road")]
    pub days_on_road: i64,
    /// Cost per tonne loaded (currency of the user's choice; WFP: road $300–500/t, about a
    /// seventh of air).
    #[serde(default)]
    pub cost_per_tonne: Option<f64>,
    /// Location id the food is handed out at. Default the first encircled location.
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default)]
    pub distribution: Distribution,
    /// Store id: what arrives goes into that `[[stores]]` (`destination` is then the store's
    /// location). Absent: handed to households at `destination` by `distribution`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub into: Option<String>,
    /// What the load is. Default food.
    #[serde(default, skip_serializing_if = "is_food")]
    pub commodity: Commodity,
    /// Units of a non-food commodity per kg loaded (`Commodity`). Water default 1 L/kg.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub units_per_kg: Option<f64>,
}
fn is_food(c: &Commodity) -> bool {
    *c == Commodity::Food
}
fn d_days_on_road() -> i64 {
    1
}

/// `[[evacuations]]` — MODEL.md §7a: an authority's organised evacuation of whole households from
/// a location, `people_per_day` (expected) from `from_day` to `until_day` inclusive. Evacuees leave
/// the simulated population with the food they hold; their later fate is not modelled.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EvacuationParams {
    /// Location id people are evacuated from.
    pub from: String,
    pub from_day: u32,
    pub until_day: u32,
    /// Capacity, people a day (the expected number taken; households are taken whole). Scenario
    /// input.
    pub people_per_day: f64,
}

/// `[[checkpoints]]`: a point on convoy routes where a convoy may be turned back or looted.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CheckpointParams {
    pub id: String,
    /// Probability that a convoy passing is turned back whole (nothing delivered; the cost is
    /// spent). Scenario input.
    #[serde(default)]
    pub p_block: f64,
    /// Share of the load taken from a convoy that passes. Scenario input.
    #[serde(default)]
    pub loot_share: f64,
    /// Negotiated access windows: the days on which the checkpoint lets convoys through. Empty:
    /// every day. A convoy that reaches it outside them waits for the next (MODEL.md §8a).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<AccessWindowParams>,
}

/// `[[checkpoints.windows]]`: days `from_day` to `until_day` inclusive on which a checkpoint lets
/// convoys through (a negotiated access window). Scenario input.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AccessWindowParams {
    pub from_day: u32,
    pub until_day: u32,
}

/// `[disease]` — infections with malnutrition synergy (design-round2 §3.5, MODEL.md §6.3):
/// daily onsets by age and season, an intake cut during each episode, and a daily death hazard
/// whose case fatality rises with wasting and falls with access to care. Every under-5 case
/// fatality is derived in code from the under-5 mortality rate, each disease's share of under-5
/// deaths and its incidence (`model::disease::Derived`), not written by hand.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct DiseaseParams {
    /// Whether infections are modelled at all. Default true (the Sahel values below). When false no disease draw is made,
    /// every hazard is as before this section existed, and children's excess deaths from wasting
    /// stay in `starvation`.
    pub enabled: bool,
    /// Under-5 mortality, deaths before age 5 per 1,000 live births, at the time the causes of
    /// death below were measured. Default 101 (Mali DHS 2018, via Cissoko 2022: "a mortality of
    /// 101 per 1000 children"). The model turns it into deaths per child-year, −ln(1 − q)/5.
    pub under5_mortality_per_1000: f64,
    /// Access to care (0–1) at every location at day 0 and when those deaths were measured; a
    /// `care` event changes it at a location. Default 0.3 (modelling choice, range 0.1–0.6: the
    /// share of sick children treated in the Sahel; Mali's ORS coverage was not read).
    pub care_access: f64,
    /// Mean and standard deviation of the weight-for-height index of the under-5s where the
    /// causes of death were measured: the observed case fatalities include their mean wasting
    /// hazard ratio, which the derivation divides out. Default −0.5 and 1.0 (the population
    /// defaults; estimates, ranges −0.5 to −0.1 and 1.0–1.4: a normal through Mali's SMART
    /// survey of 2022, GAM 10.8% and SAM 2.1%, has mean −0.45 and sd 1.26; through 9% / 2%,
    /// −0.12 and 1.40; the DHS 2018 distribution where the deaths were measured was not read).
    pub survey_index_mean: f64,
    pub survey_index_sd: f64,
    pub diarrhoea: Infection<Diarrhoea>,
    pub ari: Infection<Ari>,
    pub malaria: Infection<Malaria>,
    pub measles: MeaslesParams,
}
impl Default for DiseaseParams {
    fn default() -> Self {
        Self {
            enabled: true,
            under5_mortality_per_1000: 101.0,
            care_access: 0.3,
            survey_index_mean: -0.5,
            survey_index_sd: 1.0,
            diarrhoea: Infection::default(),
            ari: Infection::default(),
            malaria: Infection::default(),
            measles: MeaslesParams::default(),
        }
    }
}

/// One endemic infection's parameters; `K` names the disease and holds its defaults, so that a
/// file setting one key of `[disease.ari]` keeps ARI's defaults for the others.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default, bound = "")]
pub struct Infection<K: InfectionKind> {
    /// Episodes per person-year: under 5, 5–14, 15 and over.
    pub incidence_under5: f64,
    pub incidence_5_14: f64,
    pub incidence_adult: f64,
    /// Share of under-5 deaths this disease causes where `under5_mortality_per_1000` was measured.
    pub share_of_under5_deaths: f64,
    /// Case fatality from age 5 relative to under 5, at equal nutrition and care.
    pub cfr_ratio_5_plus: f64,
    /// Episode length, days (1–31).
    pub duration_days: u32,
    /// Intake during an episode, share of the usual.
    pub intake_factor: f64,
    /// Share of deaths that care averts (ε_d of eq. 12).
    pub care_efficacy: f64,
    /// Relative onset rate by calendar month, January first (12 values, scaled by the model to a
    /// mean of 1); empty = no season. Needs `simulation.start_date`.
    pub season: Vec<f64>,
    #[serde(skip)]
    pub kind: std::marker::PhantomData<K>,
}
impl<K: InfectionKind> Default for Infection<K> {
    fn default() -> Self {
        K::defaults()
    }
}
impl<K: InfectionKind> Infection<K> {
    /// The values, whatever the disease.
    pub fn spec(&self) -> InfectionSpec {
        InfectionSpec {
            incidence: [self.incidence_under5, self.incidence_5_14, self.incidence_adult],
            share_of_under5_deaths: self.share_of_under5_deaths,
            cfr_ratio_5_plus: self.cfr_ratio_5_plus,
            duration_days: self.duration_days,
            intake_factor: self.intake_factor,
            care_efficacy: self.care_efficacy,
            season: self.season.clone(),
        }
    }
}

/// An `Infection`'s values without its kind.
#[derive(Clone, Debug)]
pub struct InfectionSpec {
    /// Under 5, 5–14, 15+.
    pub incidence: [f64; 3],
    pub share_of_under5_deaths: f64,
    pub cfr_ratio_5_plus: f64,
    pub duration_days: u32,
    pub intake_factor: f64,
    pub care_efficacy: f64,
    pub season: Vec<f64>,
}

/// A disease of `Infection`: its defaults.
pub trait InfectionKind: Clone + std::fmt::Debug + Send + Sync + 'static {
    fn defaults() -> Infection<Self>;
}

#[derive(Clone, Debug)]
pub struct Diarrhoea;
#[derive(Clone, Debug)]
pub struct Ari;
#[derive(Clone, Debug)]
pub struct Malaria;

impl InfectionKind for Diarrhoea {
    fn defaults() -> Infection<Self> {
        Infection {
            // 2.9 episodes/child-year in 2010 (Fischer Walker 2012, PMC3323412).
            incidence_under5: 2.9,
            // Older children and adults 29.9–88.4 per 100 person-years (Fischer Walker & Black
            // 2010): the midpoint of the range.
            incidence_5_14: 0.6,
            incidence_adult: 0.6,
            // Estimate, range 0.07–0.15: 9.9% of under-5 deaths worldwide in 2010 (uncertainty
            // 7.1–13.6%; Liu 2012, Lancet 379:2151), 11% in Nigeria in 2010 (WHO Global Health
            // Observatory, causes of child mortality by country), 15% worldwide in 2008 (Black
            // 2010, Lancet 375:1969). Mali's own share was not found.
            share_of_under5_deaths: 0.1,
            // Modelling choice, range 0.05–0.5.
            cfr_ratio_5_plus: 0.1,
            // Modelling choice, 3–10 (Gaza model 5 + N(1, 0.5)).
            duration_days: 5,
            // Mean of the studies in the Gaza model's inputs, range 0.52–0.83 (secondary).
            intake_factor: 0.67,
            // "ORS may prevent 93% of diarrhoea deaths" (Munos 2010).
            care_efficacy: 0.93,
            season: Vec::new(),
            kind: std::marker::PhantomData,
        }
    }
}

impl InfectionKind for Ari {
    fn defaults() -> Infection<Self> {
        Infection {
            // 0.29 episodes of clinical pneumonia per child-year in developing countries (Rudan
            // 2008).
            incidence_under5: 0.29,
            // Modelling choice, 0–0.1: older ages not modelled by default.
            incidence_5_14: 0.0,
            incidence_adult: 0.0,
            // "about 19% of all deaths in children aged less than 5 years" (Rudan 2008); range
            // 0.14–0.2: 14.1% worldwide in 2010 (Liu 2012), 17% in Nigeria (WHO GHO 2010).
            share_of_under5_deaths: 0.19,
            cfr_ratio_5_plus: 0.1,
            // Modelling choice, 3–10.
            duration_days: 7,
            // 0.93 (Gaza model's inputs, secondary).
            intake_factor: 0.93,
            // Estimate, range 0.36–0.7: community case management cut pneumonia deaths of
            // children 0–4 by 36% (20–49%) in a meta-analysis of nine studies (Sazawal & Black
            // 2003, Lancet Infect Dis 3:547) — a programme's effect at its own coverage, so the
            // efficacy for a treated case is at least that.
            care_efficacy: 0.5,
            season: Vec::new(),
            kind: std::marker::PhantomData,
        }
    }
}

impl InfectionKind for Malaria {
    fn defaults() -> Infection<Self> {
        Infection {
            // Derived: −ln(1 − 0.68) = 1.14, if episodes are Poisson and 64.8–71.9% of children
            // (under 10, Selingué, Mali) had at least one clinical episode in a year (Touré 2016).
            // Consistent with 84.7 cases per 1,000 under-5s a month (1.02 a year) in UNHCR's
            // African camps 2006–10 (Hershey 2011).
            incidence_under5: 1.14,
            // Modelling choice, 0.5–1.5 (Touré 2016: children 6–9 carry parasites more often).
            incidence_5_14: 1.0,
            // Modelling choice, 0–0.3 (acquired immunity).
            incidence_adult: 0.1,
            // Estimate, range 0.16–0.3: 20% of under-5 deaths in Nigeria in 2010 (WHO Global
            // Health Observatory), about 1 in 6 (16%) in Africa in 2008 (WHO World Malaria
            // Report 2009 via UN DevInfo), confirmed malaria 20% in UNHCR's African and Asian
            // camps 2006–10 (Hershey 2011, Confl Health 5:24); "the leading cause of death" of
            // Malian under-5s (Rose-Wood 2010). Mali's own share was not found.
            share_of_under5_deaths: 0.2,
            cfr_ratio_5_plus: 0.1,
            // Modelling choice, 3–10.
            duration_days: 7,
            // Modelling choice, 0.6–1.
            intake_factor: 0.8,
            // Modelling choice, range 0.3–0.99: prompt ACT for uncomplicated falciparum malaria
            // cuts malaria deaths of children 1–23 months by 99% (94–100%) against no treatment
            // (Thwing 2011, BMC Public Health 11 Suppl 3:S14, on Delphi estimates of untreated
            // case fatality: 5% under 2, 2% at 2–5), but treated severe malaria still kills 13.6%
            // (same review); 0.5 stands for care that comes late, incomplete or to severe cases.
            care_efficacy: 0.5,
            // Mali: high transmission from June–September for 3–6 months (Cissoko 2022), peak
            // incidence August–October (Touré 2016); the shape is a modelling choice.
            season: vec![0.2, 0.1, 0.1, 0.1, 0.2, 0.5, 1.0, 2.0, 2.5, 2.5, 1.8, 1.0],
            kind: std::marker::PhantomData,
        }
    }
}

/// `[disease.measles]`: epidemic only, when a scenario declares an outbreak.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct MeaslesParams {
    /// Day the outbreak starts; absent = no measles.
    pub outbreak_day: Option<u32>,
    /// The location id where the outbreak is declared: only households there (not in transit)
    /// fall ill; absent = everywhere. Not written when absent, so that scenarios without it keep
    /// their recorded form and digest.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Days over which the outbreak's cases fall, evenly.
    pub outbreak_days: u32,
    /// Share of children under 15 who fall ill over the outbreak (attack rate among the
    /// unvaccinated times their share). Default 0.1 (modelling choice, outbreak input).
    pub attack_rate: f64,
    /// Case fatality of a well-nourished case without care. Default 0.01 ("about 1 percent" in
    /// stable populations, up to 33% in disasters: Toole 1995, secondary).
    pub cfr: f64,
    pub duration_days: u32,
    pub intake_factor: f64,
    pub care_efficacy: f64,
}
impl Default for MeaslesParams {
    fn default() -> Self {
        Self {
            outbreak_day: None,
            location: None,
            // Modelling choice, 30–120.
            outbreak_days: 60,
            attack_rate: 0.1,
            cfr: 0.01,
            // Modelling choice, 7–14.
            duration_days: 10,
            // Modelling choice, 0.5–0.9.
            intake_factor: 0.7,
            // Modelling choice, 0–0.5.
            care_efficacy: 0.3,
        }
    }
}

/// A key that moves results most, written or not: shown by `siege validate` and in the report's
/// assumptions with its value in effect, so that neither a default made for one place (rural
/// Mali's livestock) nor an estimate the file wrote (a starter's host support) passes unseen.
#[derive(Clone, Copy, Debug)]
pub struct KeyThatMatters {
    /// Key path; `locations.*.` for every location that is not besieged (a refuge).
    pub key: &'static str,
    pub unit: &'static str,
    /// "estimate", "modelling choice" or "source" (docs/scenario.md's own word for the key).
    pub standing: &'static str,
}

/// The assumptions that matter most, in order of their effect on deaths in the README's
/// sensitivity analysis of `scenarios/farabougou_sensitivity.toml` (Morris μ* and Sobol' indices:
/// host support first, then the stock, the children's starvation thresholds), then those no
/// sensitivity entry varies but that decide the food a place has (livestock, a rural-Mali
/// default), who gets out of an encircled place (interception) and the adults' energy saving
/// (activity adaptation). Each is shown with its value in effect, written or defaulted. One list:
/// `validate` and the HTML report both read it.
pub const ASSUMPTIONS_THAT_MATTER: &[KeyThatMatters] = &[
    KeyThatMatters {
        key: "locations.*.host_support_kcal",
        unit: "kcal/displaced person/day",
        standing: "estimate",
    },
    KeyThatMatters {
        key: "locations.*.host_support_days",
        unit: "days",
        standing: "modelling choice",
    },
    KeyThatMatters {
        key: "food.stock_days_mean",
        unit: "days of need",
        standing: "modelling choice",
    },
    KeyThatMatters {
        key: "mortality.child_inanition_shape",
        unit: "exponent",
        standing: "modelling choice",
    },
    KeyThatMatters {
        key: "mortality.child_floor_spread",
        unit: "ratio of reference weight",
        standing: "modelling choice",
    },
    KeyThatMatters {
        key: "food.livestock_per_household_mean",
        unit: "head",
        standing: "modelling choice",
    },
    KeyThatMatters {
        key: "siege.interception_probability",
        unit: "per household leaving",
        standing: "modelling choice",
    },
    KeyThatMatters {
        key: "physiology.activity_floor",
        unit: "of baseline activity",
        standing: "source",
    },
    KeyThatMatters {
        key: "physiology.deficit_saturation",
        unit: "of habitual need",
        standing: "modelling choice",
    },
];
