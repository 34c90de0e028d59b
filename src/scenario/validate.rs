//! Checks a deserialised scenario section by section (`check_<section>`) and resolves names to
//! indices (`resolve_<thing>`) into [`Resolved`]. Every problem is collected.

use super::params::*;
use super::resolved::{
    Resolved, ResolvedAirdrop, ResolvedConvoy, ResolvedEvacuation, ResolvedEvent, ResolvedRoute, ResolvedSource,
    ResolvedStore, largest_remainder,
};
use super::{Locator, Problem, Problems, Scenario, ScenarioFile, shorten};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Largest population the engine will allocate (about 60 bytes a person: ~3 GB; BENCHMARKS.md).
pub const MAX_PEOPLE: i64 = 50_000_000;
/// Longest horizon, days (about 270 years).
pub const MAX_DAYS: u32 = 100_000;
/// Most replicates in one run.
pub const MAX_REPLICATES: u32 = 1_000_000;
/// Most locations: the model indexes them with 16 bits and keeps an n × n table of paths.
pub const MAX_LOCATIONS: usize = 1_000;
/// Most routes (checking connectivity costs locations × routes).
pub const MAX_ROUTES: usize = 10_000;

// Upper bounds on energy and payload inputs. Each is far above any real value, and low enough that
// no sum the model forms (over up to MAX_PEOPLE people and MAX_DAYS days) overflows to infinity;
// without them a finite but huge value (1e308) turned food stocks and outputs into NaN.
/// Energy density of food or tissue, kcal/kg (pure fat is about 9,000).
const MAX_KCAL_PER_KG: f64 = 10_000.0;
/// Food offered per person per day by markets or hosts, kcal (about 40 times a day's need).
const MAX_KCAL_PER_PERSON_DAY: f64 = 100_000.0;
/// Mean initial stock, days of need (100 years).
const MAX_STOCK_DAYS: f64 = 36_525.0;
/// Food energy of one head of livestock, kcal (a zebu gives about 150,000).
const MAX_KCAL_PER_HEAD: f64 = 10_000_000.0;
/// One airdrop's payload, tonnes (the whole Berlin airlift carried about 2.3 million).
const MAX_TONNES: f64 = 1_000_000.0;
const MAX_SORTIES: i64 = 10_000;
/// Cost per tonne, in the scenario's currency.
const MAX_COST_PER_TONNE: f64 = 1e9;

struct Check<'a> {
    at: &'a Locator<'a>,
    problems: Problems,
    /// Day 0 as days since 1970-01-01 (`simulation.start_date`), to give days as dates too.
    start: Option<i64>,
}

impl Check<'_> {
    fn bad(&mut self, key: &str, message: String) {
        if self.problems.is_listing() {
            self.problems.push(Problem {
                key: key.to_string(),
                line: self.at.line(key),
                message,
            });
        } else {
            self.problems.count(key);
        }
    }
    fn finite(&mut self, key: &str, v: f64) -> bool {
        if !v.is_finite() {
            self.bad(key, format!("expected a finite number, got {v}"));
            return false;
        }
        true
    }
    fn nonneg(&mut self, key: &str, v: f64) {
        if self.finite(key, v) && v < 0.0 {
            self.bad(key, format!("expected a number ≥ 0, got {v}"));
        }
    }
    fn positive(&mut self, key: &str, v: f64) {
        if self.finite(key, v) && v <= 0.0 {
            self.bad(key, format!("expected a number > 0, got {v}"));
        }
    }
    fn positive_at_most(&mut self, key: &str, v: f64, hi: f64, what: &str) {
        if self.finite(key, v) && !(v > 0.0 && v <= hi) {
            self.bad(key, format!("expected {what} > 0 and at most {hi}, got {v}"));
        }
    }
    fn fraction(&mut self, key: &str, v: f64) {
        if self.finite(key, v) && !(0.0..=1.0).contains(&v) {
            self.bad(key, format!("expected a fraction between 0 and 1, got {v}"));
        }
    }
    fn range(&mut self, key: &str, v: f64, lo: f64, hi: f64, what: &str) {
        if self.finite(key, v) && !(lo..=hi).contains(&v) {
            self.bad(key, format!("expected {what} between {lo} and {hi}, got {v}"));
        }
    }
    fn day(&mut self, key: &str, day: i64, days: u32) -> bool {
        if day < 0 || day >= i64::from(days) {
            let date = |d: i64| self.start.map(|s| super::date::format_iso(s + d));
            let (on, span) = match (date(day), date(0), date(i64::from(days) - 1)) {
                (Some(on), Some(first), Some(last)) => (format!(" ({on})"), format!(" ({first} to {last})")),
                _ => Default::default(),
            };
            self.bad(
                key,
                format!("day {day}{on} is outside the horizon: expected 0 ≤ day < simulation.days = {days}{span}"),
            );
            return false;
        }
        true
    }
}

/// Checks every section and resolves names to indices, collecting every problem of every section.
/// A section that names locations or routes is checked after the one that defines them.
pub(super) fn validate(mut sf: ScenarioFile, at: &Locator) -> Result<Scenario, Problems> {
    let mut c = Check {
        at,
        problems: Problems::default(),
        start: None,
    };
    let days = sf.simulation.days;
    let start_epoch_day = check_simulation(&mut c, &sf.simulation);
    c.start = start_epoch_day;
    check_population(&mut c, &sf.population);
    check_food(&mut c, &sf.food, days);
    check_physiology(&mut c, &sf.physiology);
    check_mortality(&mut c, &sf.mortality);
    // The adult starvation hazard is read at each sex's depth toward its lethal BMI (MODEL.md §6),
    // so both floors must lie below the BMI where the hazard starts.
    for (k, v) in [
        ("lethal_bmi_men", sf.physiology.lethal_bmi_men),
        ("lethal_bmi_women", sf.physiology.lethal_bmi_women),
    ] {
        if v >= sf.mortality.adult_bmi_threshold {
            c.bad(
                &format!("physiology.{k}"),
                format!(
                    "expected below mortality.adult_bmi_threshold ({}), got {v}",
                    sf.mortality.adult_bmi_threshold
                ),
            );
        }
    }
    check_disease(&mut c, &sf.disease, &sf.mortality, days);
    // Counts first: the checks below cost locations × routes, and the model cannot index more.
    if !check_counts(&mut c, &sf) {
        return Err(c.problems);
    }
    if sf.locations.is_empty() {
        sf.locations.push(default_location());
    }
    let places = check_locations(&mut c, &sf.locations, sf.simulation.days);
    let encircled = resolve_encircled(&mut c, &sf.siege, &sf.locations, &places);
    check_siege(&mut c, &sf.siege, days);
    let first_encircled = encircled.iter().position(|&e| e).unwrap_or(0);
    check_displacement(&mut c, &sf.displacement);
    let home_counts = resolve_home_counts(&mut c, &sf.population, &places, first_encircled);
    let routes = resolve_routes(&mut c, &sf.routes, &sf.locations, &places);
    check_walks(&mut c, &sf.routes, sf.displacement.walking_km_per_day);
    check_water(&mut c, &sf.water);
    check_market(&mut c, &sf.market);
    let water_sources = resolve_water_sources(&mut c, &sf.locations);
    let events = resolve_events(
        &mut c,
        &sf.events,
        days,
        &places,
        &routes,
        first_encircled,
        &water_sources,
    );
    let measles_location = resolve_measles_location(&mut c, &sf.disease.measles, &places);
    let stores = resolve_stores(&mut c, &sf, &places, first_encircled);
    let airdrops = resolve_airdrops(&mut c, &sf, &places, first_encircled, &stores);
    let convoys = resolve_convoys(&mut c, &sf, &places, first_encircled, &stores);
    let stores = stores.0;
    let evacuations = resolve_evacuations(&mut c, &sf, &places);
    check_climate(&mut c, &sf);
    check_activity(&mut c, &sf);
    if !c.problems.is_empty() {
        return Err(c.problems);
    }
    let resolved = Resolved {
        location_ids: sf.locations.iter().map(|l| l.id.clone()).collect(),
        encircled,
        attractiveness: resolve_attractiveness(&sf.locations),
        home_counts,
        routes: routes.resolved,
        events,
        airdrops,
        convoys,
        stores,
        evacuations,
        start_epoch_day,
        siege_start_day: resolve_siege_start_day(&sf.siege, &sf.events),
        water_sources,
        measles_location,
    };
    Ok(Scenario {
        file: sf,
        resolved,
        source: None,
        inputs: Default::default(),
    })
}

/// `[simulation]`; returns day 0 as days since 1970-01-01 when `start_date` is given and valid.
fn check_simulation(c: &mut Check, sim: &SimulationParams) -> Option<i64> {
    // Also no control characters (a newline or an escape sequence in a directory name, and on
    // the terminal), and short enough for a directory name on every common file system.
    if !super::is_plain_name(&sim.name) {
        c.bad(
            "simulation.name",
            format!(
                "expected {}, got {:?}",
                super::PLAIN_NAME_RULE,
                shorten(&sim.name, MAX_ID_SHOWN)
            ),
        );
    }
    if sim.days == 0 || sim.days > MAX_DAYS {
        c.bad(
            "simulation.days",
            format!("expected 1 to {MAX_DAYS} days, got {}", sim.days),
        );
    }
    if sim.replicates == 0 || sim.replicates > MAX_REPLICATES {
        c.bad(
            "simulation.replicates",
            format!("expected 1 to {MAX_REPLICATES} replicates, got {}", sim.replicates),
        );
    }
    let s = sim.start_date.as_ref()?;
    let d = super::date::parse_iso(s);
    if d.is_none() {
        c.bad(
            "simulation.start_date",
            format!("expected an ISO date like \"2020-10-06\", got {s:?}"),
        );
    }
    d
}

/// `[population]`, except `home_shares` (which needs the locations: [`resolve_home_counts`]).
fn check_population(c: &mut Check, p: &PopulationParams) {
    if p.size < 1 || p.size > MAX_PEOPLE {
        c.bad(
            "population.size",
            format!(
                "expected a number of people from 1 to {MAX_PEOPLE} (about 60 bytes each in memory), got {}",
                p.size
            ),
        );
    }
    c.range(
        "population.household_size_mean",
        p.household_size_mean,
        1.0,
        100.0,
        "a mean household size",
    );
    for (k, v) in [
        ("under5_share", p.under5_share),
        ("under15_share", p.under15_share),
        ("over60_share", p.over60_share),
        ("male_share", p.male_share),
    ] {
        c.fraction(&format!("population.{k}"), v);
    }
    if p.under5_share > p.under15_share {
        c.bad(
            "population.under5_share",
            format!(
                "under-5s are part of the under-15s: expected ≤ under15_share = {}",
                p.under15_share
            ),
        );
    }
    if p.under15_share + p.over60_share > 1.0 {
        c.bad(
            "population.over60_share",
            "under15_share + over60_share must not exceed 1".into(),
        );
    }
    check_ages(c, &p.ages);
    c.range("population.height_men_m", p.height_men_m, 1.0, 2.5, "a height in m");
    c.range("population.height_women_m", p.height_women_m, 1.0, 2.5, "a height in m");
    c.range("population.height_men_sd_m", p.height_men_sd_m, 0.0, 0.3, "an sd in m");
    c.range(
        "population.height_women_sd_m",
        p.height_women_sd_m,
        0.0,
        0.3,
        "an sd in m",
    );
    c.range(
        "population.adult_bmi_mean",
        p.adult_bmi_mean,
        14.0,
        40.0,
        "a BMI in kg/m²",
    );
    c.range("population.adult_bmi_sd", p.adult_bmi_sd, 0.0, 10.0, "an sd in kg/m²");
    c.range("population.child_index_mean", p.child_index_mean, -4.0, 3.0, "an index");
    c.range("population.child_index_sd", p.child_index_sd, 0.0, 3.0, "an sd");
    match (p.under5_gam_share, p.under5_sam_share) {
        (Some(gam), Some(sam)) => {
            // The normal through both cut-offs needs 0 < SAM < GAM < 1; beyond half the under-5s
            // below −2 the survey itself would be in doubt.
            c.range("population.under5_gam_share", gam, 0.001, 0.5, "a share");
            if c.finite("population.under5_sam_share", sam) && !(sam > 0.0 && sam < gam) {
                c.bad(
                    "population.under5_sam_share",
                    format!("expected a share above 0 and below under5_gam_share ({gam}), got {sam}"),
                );
            }
        }
        (Some(_), None) => c.bad(
            "population.under5_gam_share",
            "under5_gam_share needs under5_sam_share: give both or neither".to_string(),
        ),
        (None, Some(_)) => c.bad(
            "population.under5_sam_share",
            "under5_sam_share needs under5_gam_share: give both or neither".to_string(),
        ),
        (None, None) => {}
    }
    c.fraction("population.breastfed_share_under_6m", p.breastfed_share_under_6m);
    c.fraction("population.breastfed_share_6_23m", p.breastfed_share_6_23m);
}

/// `[food]` and its `[[food.rations]]`.
fn check_food(c: &mut Check, f: &FoodParams, days: u32) {
    c.range(
        "food.stock_days_mean",
        f.stock_days_mean,
        0.0,
        MAX_STOCK_DAYS,
        "days of need",
    );
    c.positive("food.stock_days_shape", f.stock_days_shape);
    c.positive_at_most(
        "food.grain_kcal_per_kg",
        f.grain_kcal_per_kg,
        MAX_KCAL_PER_KG,
        "an energy density in kcal/kg",
    );
    c.nonneg("food.livestock_per_household_mean", f.livestock_per_household_mean);
    c.range(
        "food.livestock_kcal_per_head",
        f.livestock_kcal_per_head,
        0.0,
        MAX_KCAL_PER_HEAD,
        "kcal per head",
    );
    c.nonneg("food.slaughter_below_days", f.slaughter_below_days);
    c.positive("food.rationing_horizon_days", f.rationing_horizon_days);
    c.fraction("food.ration_floor", f.ration_floor);
    c.fraction("food.sharing_rate", f.sharing_rate);
    c.fraction("food.child_protected_share", f.child_protected_share);
    c.fraction("food.adult_protected_share", f.adult_protected_share);
    let mut last_day = None;
    for (i, r) in f.rations.iter().enumerate() {
        let k = format!("food.rations.{i}");
        c.day(&format!("{k}.from_day"), i64::from(r.from_day), days);
        if last_day.is_some_and(|d| r.from_day <= d) {
            c.bad(
                &format!("{k}.from_day"),
                "ration regimes must be in increasing order of from_day".into(),
            );
        }
        last_day = Some(r.from_day);
        c.nonneg(&format!("{k}.under5_kcal"), r.under5_kcal);
        c.nonneg(&format!("{k}.child_kcal"), r.child_kcal);
        c.nonneg(&format!("{k}.adult_kcal"), r.adult_kcal);
    }
}

/// `[physiology]`.
fn check_physiology(c: &mut Check, ph: &PhysiologyParams) {
    c.range(
        "physiology.cold_need_per_degree",
        ph.cold_need_per_degree,
        0.0,
        0.1,
        "a share of need per °C",
    );
    c.range(
        "physiology.cold_base_c",
        ph.cold_base_c,
        -90.0,
        60.0,
        "a temperature in °C",
    );
    c.range(
        "physiology.cold_coldest_c",
        ph.cold_coldest_c,
        -90.0,
        ph.cold_base_c.clamp(-90.0, 60.0),
        "a temperature in °C at or below physiology.cold_base_c",
    );
    // Tissue energy densities far from Hall's (fat 9,440, lean 1,816 kcal/kg) turn a day's
    // imbalance into absurd or infinite changes of mass.
    for (k, v) in [
        ("fat_kcal_per_kg", ph.fat_kcal_per_kg),
        ("lean_kcal_per_kg", ph.lean_kcal_per_kg),
    ] {
        c.range(
            &format!("physiology.{k}"),
            v,
            500.0,
            20_000.0,
            "an energy density in kcal/kg",
        );
    }
    // A child gaining more than 5% of its weight a day is beyond any treatment record (9.6 g/kg/day
    // on therapeutic food).
    c.range(
        "physiology.home_catch_up_g_per_kg_day",
        ph.home_catch_up_g_per_kg_day,
        0.0,
        50.0,
        "a daily gain in g per kg",
    );
    // The activity adaptation is updated once a day: a time constant below a day overshoots and,
    // below half a day, diverges.
    // FAO/WHO/UNU 2004: lifestyles from 1.40 to 2.40; above about 2.40 cannot be kept up for long.
    c.range("physiology.pal", ph.pal, 1.0, 3.0, "a physical activity level");
    c.range(
        "physiology.activity_time_constant_days",
        ph.activity_time_constant_days,
        1.0,
        f64::from(MAX_DAYS),
        "a time constant in days",
    );
    for (k, v) in [
        ("forbes_c_kg", ph.forbes_c_kg),
        ("deficit_saturation", ph.deficit_saturation),
        ("lethal_bmi_men", ph.lethal_bmi_men),
        ("lethal_bmi_women", ph.lethal_bmi_women),
    ] {
        c.positive(&format!("physiology.{k}"), v);
    }
    for (k, v) in [
        ("fat_upkeep_kcal_per_kg_day", ph.fat_upkeep_kcal_per_kg_day),
        ("lean_upkeep_kcal_per_kg_day", ph.lean_upkeep_kcal_per_kg_day),
    ] {
        c.nonneg(&format!("physiology.{k}"), v);
    }
    for (k, v) in [
        ("thermic_effect", ph.thermic_effect),
        ("adaptive_thermogenesis", ph.adaptive_thermogenesis),
        ("activity_floor", ph.activity_floor),
        ("deficit_saturation", ph.deficit_saturation),
        ("child_adaptive_thermogenesis", ph.child_adaptive_thermogenesis),
        ("child_lethal_weight_ratio", ph.child_lethal_weight_ratio),
    ] {
        c.fraction(&format!("physiology.{k}"), v);
    }
    c.range(
        "physiology.milk_bmi_full",
        ph.milk_bmi_full,
        10.0,
        30.0,
        "a BMI in kg/m²",
    );
    c.range(
        "physiology.milk_bmi_none",
        ph.milk_bmi_none,
        5.0,
        30.0,
        "a BMI in kg/m²",
    );
    if ph.milk_bmi_none.is_finite() && ph.milk_bmi_full.is_finite() && ph.milk_bmi_none >= ph.milk_bmi_full {
        c.bad(
            "physiology.milk_bmi_none",
            format!(
                "expected a BMI below milk_bmi_full ({}), got {}",
                ph.milk_bmi_full, ph.milk_bmi_none
            ),
        );
    }
    c.positive_at_most(
        "physiology.lactation_efficiency",
        ph.lactation_efficiency,
        1.0,
        "an efficiency",
    );
    c.range(
        "physiology.rutf_catch_up_g_per_kg_day",
        ph.rutf_catch_up_g_per_kg_day,
        0.0,
        50.0,
        "a daily gain in g per kg",
    );
    c.range(
        "physiology.rutf_kcal_per_kg_day",
        ph.rutf_kcal_per_kg_day,
        0.0,
        1000.0,
        "a daily dose in kcal per kg",
    );
    for (k, v) in [
        ("non_breastfed_rr_under_6m", ph.non_breastfed_rr_under_6m),
        ("non_breastfed_rr_6_23m", ph.non_breastfed_rr_6_23m),
    ] {
        c.range(&format!("physiology.{k}"), v, 1.0, 100.0, "a relative risk");
    }
}

/// `[disease]`: every value in range, and the infections' share of under-5 deaths no more than
/// the under-5 background can hold (the background keeps only non-infectious deaths,
/// `model::disease::Derived`).
fn check_disease(c: &mut Check, d: &DiseaseParams, m: &MortalityParams, days: u32) {
    c.range(
        "disease.under5_mortality_per_1000",
        d.under5_mortality_per_1000,
        0.0,
        999.0,
        "deaths before age 5 per 1,000 live births",
    );
    c.fraction("disease.care_access", d.care_access);
    c.range(
        "disease.survey_index_mean",
        d.survey_index_mean,
        -6.0,
        6.0,
        "a weight-for-height index",
    );
    c.range(
        "disease.survey_index_sd",
        d.survey_index_sd,
        0.0,
        5.0,
        "a standard deviation of the index",
    );
    let infections = [
        ("diarrhoea", d.diarrhoea.spec()),
        ("ari", d.ari.spec()),
        ("malaria", d.malaria.spec()),
    ];
    let mut shares = 0.0;
    for (name, s) in &infections {
        let k = format!("disease.{name}");
        for (key, v) in [
            ("incidence_under5", s.incidence[0]),
            ("incidence_5_14", s.incidence[1]),
            ("incidence_adult", s.incidence[2]),
        ] {
            c.range(&format!("{k}.{key}"), v, 0.0, 50.0, "episodes per person-year");
        }
        c.fraction(&format!("{k}.share_of_under5_deaths"), s.share_of_under5_deaths);
        shares += s.share_of_under5_deaths;
        c.range(
            &format!("{k}.cfr_ratio_5_plus"),
            s.cfr_ratio_5_plus,
            0.0,
            10.0,
            "a ratio",
        );
        check_episode(c, &k, s.duration_days, s.intake_factor, s.care_efficacy);
        if !s.season.is_empty() {
            if s.season.len() != 12 {
                c.bad(
                    &format!("{k}.season"),
                    format!("expected 12 monthly values (January first), got {}", s.season.len()),
                );
            } else if s.season.iter().any(|v| !v.is_finite() || *v < 0.0) || s.season.iter().sum::<f64>() <= 0.0 {
                c.bad(
                    &format!("{k}.season"),
                    "expected values ≥ 0, not all 0 (relative onset rates)".into(),
                );
            }
        }
        if s.incidence[0] == 0.0 && s.share_of_under5_deaths > 0.0 {
            c.bad(
                &format!("{k}.share_of_under5_deaths"),
                "a share of under-5 deaths needs an under-5 incidence above 0 to derive a case fatality".into(),
            );
        }
    }
    if shares > 1.0 {
        c.bad(
            "disease.diarrhoea.share_of_under5_deaths",
            format!("the infections' shares of under-5 deaths add up to {shares}, more than 1"),
        );
    }
    let ms = &d.measles;
    if let Some(day) = ms.outbreak_day {
        c.day("disease.measles.outbreak_day", i64::from(day), days);
    }
    c.range(
        "disease.measles.outbreak_days",
        f64::from(ms.outbreak_days),
        1.0,
        10_000.0,
        "days",
    );
    c.fraction("disease.measles.attack_rate", ms.attack_rate);
    c.fraction("disease.measles.cfr", ms.cfr);
    check_episode(
        c,
        "disease.measles",
        ms.duration_days,
        ms.intake_factor,
        ms.care_efficacy,
    );
    if d.enabled {
        // The infections' deaths at baseline come out of the under-5 background.
        let rate = -(1.0 - d.under5_mortality_per_1000 / 1000.0).ln() / 5.0 / 365.0 * 10_000.0;
        if shares * rate > m.background_under5_per_10k_day + 1e-12 {
            c.bad(
                "mortality.background_under5_per_10k_day",
                format!(
                    "the infections cause {:.3} under-5 deaths per 10,000 per day at baseline \
                     (disease.under5_mortality_per_1000 times their shares), more than the whole \
                     under-5 background {}; raise it or lower the shares",
                    shares * rate,
                    m.background_under5_per_10k_day
                ),
            );
        }
    }
}

fn check_episode(c: &mut Check, k: &str, duration: u32, intake: f64, efficacy: f64) {
    if !(1..=31).contains(&duration) {
        c.bad(
            &format!("{k}.duration_days"),
            format!("expected 1 to 31 days, got {duration}"),
        );
    }
    c.fraction(&format!("{k}.intake_factor"), intake);
    c.fraction(&format!("{k}.care_efficacy"), efficacy);
}

/// `[mortality]`.
fn check_mortality(c: &mut Check, m: &MortalityParams) {
    for (k, v) in [
        ("background_under5_per_10k_day", m.background_under5_per_10k_day),
        ("background_5_59_per_10k_day", m.background_5_59_per_10k_day),
        ("background_60_plus_per_10k_day", m.background_60_plus_per_10k_day),
    ] {
        c.range(&format!("mortality.{k}"), v, 0.0, 10_000.0, "a rate per 10,000 per day");
    }
    for (k, v) in [
        ("sam_hazard_ratio", m.sam_hazard_ratio),
        ("mam_hazard_ratio", m.mam_hazard_ratio),
        ("mild_hazard_ratio", m.mild_hazard_ratio),
    ] {
        c.range(&format!("mortality.{k}"), v, 1.0, 1000.0, "a hazard ratio");
    }
    c.range(
        "mortality.adult_bmi_threshold",
        m.adult_bmi_threshold,
        10.0,
        30.0,
        "a BMI",
    );
    c.nonneg("mortality.adult_bmi_coef", m.adult_bmi_coef);
    c.nonneg("mortality.adult_bmi_exponent", m.adult_bmi_exponent);
    c.range(
        "mortality.child_floor_spread",
        m.child_floor_spread,
        0.0,
        0.1,
        "a ratio of reference weight",
    );
    c.range(
        "mortality.child_inanition_shape",
        m.child_inanition_shape,
        0.1,
        20.0,
        "an exponent",
    );
    c.range(
        "mortality.adult_starvation_male_ratio",
        m.adult_starvation_male_ratio,
        0.1,
        10.0,
        "a ratio",
    );
}

/// At most [`MAX_LOCATIONS`] and [`MAX_ROUTES`]; false when either is exceeded.
fn check_counts(c: &mut Check, sf: &ScenarioFile) -> bool {
    let mut ok = true;
    for (key, n, max) in [
        ("locations", sf.locations.len(), MAX_LOCATIONS),
        ("routes", sf.routes.len(), MAX_ROUTES),
    ] {
        if n > max {
            c.bad(key, format!("expected at most {max} {key}, got {n}"));
            ok = false;
        }
    }
    ok
}

/// The one location of a file without `[[locations]]`.
fn default_location() -> LocationParams {
    LocationParams {
        id: "home".into(),
        name: None,
        kind: LocationKind::Besieged,
        capacity: None,
        host_support_kcal: 0.0,
        host_support_days: 60.0,
        market_kcal_per_person_day: 0.0,
        attractiveness: None,
        water: Vec::new(),
    }
}

/// The largest water source or water need a scenario may give, litres a day (a city's supply is
/// of the order of 10⁸ L/day; far beyond it is a typo).
const MAX_LITRES_DAY: f64 = 1e12;

/// `[water]`: needs and survival times positive, ratios at least 1.
/// `[market]`: every value in range, and the wealth shares a distribution.
fn check_market(c: &mut Check, m: &MarketParams) {
    const GROUPS: [&str; 3] = ["poor", "middle", "better-off"];
    for (i, g) in GROUPS.iter().enumerate() {
        c.fraction(&format!("market.wealth_shares.{i}"), m.wealth_shares[i]);
        c.range(
            &format!("market.cash_days.{i}"),
            m.cash_days[i],
            0.0,
            3650.0,
            &format!("days of need ({g})"),
        );
        c.range(
            &format!("market.income_share.{i}"),
            m.income_share[i],
            0.0,
            10.0,
            &format!("a share of need ({g})"),
        );
        c.range(
            &format!("market.livestock_relative.{i}"),
            m.livestock_relative[i],
            0.0,
            1000.0,
            &format!("a relative herd size ({g})"),
        );
    }
    let total: f64 = m.wealth_shares.iter().sum();
    if total.is_finite() && (total - 1.0).abs() > 1e-6 {
        c.bad(
            "market.wealth_shares",
            format!("expected shares that sum to 1, got {total}"),
        );
    }
    let herd: f64 = m
        .wealth_shares
        .iter()
        .zip(&m.livestock_relative)
        .map(|(s, r)| s * r)
        .sum();
    if herd.is_finite() && herd <= 0.0 {
        c.bad(
            "market.livestock_relative",
            "expected some group with a herd (the mean of the relative herds over the shares is 0)".into(),
        );
    }
    c.range(
        "market.demand_elasticity",
        m.demand_elasticity,
        0.05,
        10.0,
        "an elasticity",
    );
    c.range("market.price_cap", m.price_cap, 1.0, 1000.0, "a price index");
    c.range(
        "market.livestock_sale_kcal",
        m.livestock_sale_kcal,
        0.0,
        1e8,
        "kcal per head",
    );
    c.range(
        "market.livestock_price_exponent",
        m.livestock_price_exponent,
        0.0,
        5.0,
        "an exponent",
    );
    c.fraction("market.coping_share", m.coping_share);
    c.range(
        "market.coping_pool_kcal_per_person",
        m.coping_pool_kcal_per_person,
        0.0,
        1e7,
        "kcal per resident",
    );
}

fn check_water(c: &mut Check, w: &WaterParams) {
    c.range(
        "water.survival_l_per_person_day",
        w.survival_l_per_person_day,
        0.0,
        100.0,
        "litres per person per day",
    );
    c.range("water.heat_factor", w.heat_factor, 0.0, 10.0, "a factor");
    c.range(
        "water.basic_l_per_person_day",
        w.basic_l_per_person_day,
        0.0,
        1000.0,
        "litres per person per day",
    );
    for (k, v) in [
        ("adult_median_days", w.adult_median_days),
        ("under5_median_days", w.under5_median_days),
    ] {
        // At most 7 days (the top of the documented range): a household's dry days are a byte
        // of sixteenths (at most 15.9 days, model::water); with a median of 7 days, 0.07% of
        // people at zero water live that long, so the byte's ceiling changes no result. Above
        // it the ceiling would hold the hazard flat and keep people alive without water.
        c.positive_at_most(&format!("water.{k}"), v, MAX_DRY_MEDIAN_DAYS, "days");
    }
    for (k, v) in [
        ("unsafe_incidence_ratio", w.unsafe_incidence_ratio),
        ("scarce_incidence_ratio", w.scarce_incidence_ratio),
    ] {
        c.range(&format!("water.{k}"), v, 1.0, 100.0, "a ratio");
    }
}

/// `[[locations.water]]`: capacities in range, ids unique within the location (filled in when
/// absent).
fn resolve_water_sources(c: &mut Check, locations: &[LocationParams]) -> Vec<Vec<ResolvedSource>> {
    let mut all = Vec::with_capacity(locations.len());
    for (i, l) in locations.iter().enumerate() {
        let mut seen = BTreeSet::new();
        let mut sources = Vec::with_capacity(l.water.len());
        for (j, w) in l.water.iter().enumerate() {
            let k = format!("locations.{i}.water.{j}");
            c.range(
                &format!("{k}.capacity_l_day"),
                w.capacity_l_day,
                0.0,
                MAX_LITRES_DAY,
                "litres a day",
            );
            let id = w.id.clone().unwrap_or_else(|| format!("{}-water-{}", l.id, j + 1));
            if let Some(problem) = id_problem(&id) {
                c.bad(&format!("{k}.id"), problem);
            } else if !seen.insert(id.clone()) {
                c.bad(
                    &format!("{k}.id"),
                    format!(
                        "duplicate water source id {:?} at location {:?}",
                        id,
                        shorten(&l.id, MAX_ID_SHOWN)
                    ),
                );
            }
            sources.push(ResolvedSource {
                id,
                capacity_l_day: w.capacity_l_day,
                safe: w.quality == WaterQuality::Safe,
                outside_line: w.outside_line,
            });
        }
        all.push(sources);
    }
    all
}

/// The location ids, for the sections that name locations.
struct Places<'a> {
    index: BTreeMap<String, usize>,
    known: Vec<&'a str>,
}

impl Places<'_> {
    /// The index of location `id`, or a problem at `key` naming a few known ids.
    fn lookup(&self, c: &mut Check, key: &str, id: &str) -> Option<usize> {
        let found = self.index.get(id).copied();
        // A location without an id (already reported) may be the one meant: no second report.
        if found.is_none() && !self.index.contains_key("") {
            if !c.problems.is_listing() {
                c.problems.count(key);
                return None;
            }
            c.bad(
                key,
                format!(
                    "no location with id {:?}{}; locations are: {}",
                    shorten(id, MAX_ID_SHOWN),
                    super::suggest(id, &self.known),
                    some_of(&self.known)
                ),
            );
        }
        found
    }
}

/// `disease.measles.location`: a known location, and only with an outbreak to place.
fn resolve_measles_location(c: &mut Check, m: &MeaslesParams, places: &Places) -> Option<usize> {
    let id = m.location.as_ref()?;
    if m.outbreak_day.is_none() {
        c.bad(
            "disease.measles.location",
            "an outbreak location needs `outbreak_day`, the day the outbreak starts there".into(),
        );
    }
    places.lookup(c, "disease.measles.location", id)
}

/// `[[locations]]`: ids non-empty and unique, numbers in range.
fn check_locations<'a>(c: &mut Check, locations: &'a [LocationParams], days: u32) -> Places<'a> {
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for (i, l) in locations.iter().enumerate() {
        let k = format!("locations.{i}");
        // An id with a problem of its own still names its location, so that the sections naming
        // it are not reported as well.
        if let Some(problem) = id_problem(&l.id) {
            c.bad(&format!("{k}.id"), problem);
            index.entry(l.id.clone()).or_insert(i);
        } else if index.insert(l.id.clone(), i).is_some() {
            c.bad(&format!("{k}.id"), format!("duplicate location id {:?}", l.id));
        }
        if let Some(cap) = l.capacity.filter(|&cap| cap < 0) {
            c.bad(
                &format!("{k}.capacity"),
                format!("expected a number of people ≥ 0, got {cap}"),
            );
        }
        c.range(
            &format!("{k}.host_support_kcal"),
            l.host_support_kcal,
            0.0,
            MAX_KCAL_PER_PERSON_DAY,
            "kcal per person per day",
        );
        c.range(
            &format!("{k}.host_support_days"),
            l.host_support_days,
            1.0,
            100_000.0,
            "days",
        );
        // A household's days at its refuge are a 16-bit count (65,535 days), which a run of up to
        // MAX_DAYS can outlast. With τ ≤ 1,000 the support at the count's end is below e^-65 of
        // its start, so the ceiling changes no result; a longer τ in such a run is refused.
        if days > u32::from(u16::MAX) && l.host_support_days > 1_000.0 {
            c.bad(
                &format!("{k}.host_support_days"),
                format!(
                    "a run of more than {} days counts a household's days at its refuge only up to that; host_support_days must then be at most 1000, got {}",
                    u16::MAX,
                    l.host_support_days
                ),
            );
        }
        c.range(
            &format!("{k}.market_kcal_per_person_day"),
            l.market_kcal_per_person_day,
            0.0,
            MAX_KCAL_PER_PERSON_DAY,
            "kcal per person per day",
        );
        if let Some(a) = l.attractiveness {
            c.nonneg(&format!("{k}.attractiveness"), a);
        }
    }
    Places {
        index,
        known: locations.iter().map(|l| l.id.as_str()).collect(),
    }
}

/// Which locations are encircled: `[siege] locations`, else every location of kind `besieged`.
fn resolve_encircled(c: &mut Check, s: &SiegeParams, locations: &[LocationParams], places: &Places) -> Vec<bool> {
    let mut encircled = vec![false; locations.len()];
    if s.locations.is_empty() {
        for (i, l) in locations.iter().enumerate() {
            encircled[i] = l.kind == LocationKind::Besieged;
        }
    } else {
        for (i, id) in s.locations.iter().enumerate() {
            if let Some(j) = places.lookup(c, &format!("siege.locations.{i}"), id) {
                encircled[j] = true;
            }
        }
    }
    encircled
}

/// `[siege]`, except its `locations` ([`resolve_encircled`]).
fn check_siege(c: &mut Check, s: &SiegeParams, days: u32) {
    if let Some(d) = s.start_day {
        c.day("siege.start_day", i64::from(d), days);
    }
    if let Some(d) = s.end_day {
        c.day("siege.end_day", i64::from(d), days);
        if s.start_day.is_some_and(|st| d <= st) {
            c.bad("siege.end_day", "expected end_day after start_day".into());
        }
    }
    c.fraction("siege.leak", s.leak);
    c.fraction("siege.interception_probability", s.interception_probability);
    c.fraction("siege.interception_killed_share", s.interception_killed_share);
    c.fraction("siege.interception_kidnapped_share", s.interception_kidnapped_share);
    if s.interception_killed_share + s.interception_kidnapped_share > 1.0 + 1e-12 {
        c.bad(
            "siege.interception_kidnapped_share",
            "killed and kidnapped shares must sum to at most 1 (the rest are turned back)".into(),
        );
    }
    c.fraction("siege.violence_hazard_per_day", s.violence_hazard_per_day);
}

/// The day `[siege]` starts the siege: `start_day`, else 0 unless a `siege_start` event does.
fn resolve_siege_start_day(s: &SiegeParams, events: &[EventParams]) -> Option<u32> {
    s.start_day.or_else(|| {
        let by_event = events.iter().any(|e| e.kind == EventKind::SiegeStart);
        (!by_event).then_some(0)
    })
}

/// `[displacement]`.
fn check_displacement(c: &mut Check, d: &DisplacementParams) {
    for (k, v) in [
        ("base", d.base),
        ("risk_perception", d.risk_perception),
        ("carry_share", d.carry_share),
    ] {
        c.fraction(&format!("displacement.{k}"), v);
    }
    for (k, v) in [
        ("violence_coef", d.violence_coef),
        ("food_coef", d.food_coef),
        ("neighbours_coef", d.neighbours_coef),
        ("assets_coef", d.assets_coef),
        ("food_gap_days", d.food_gap_days),
    ] {
        c.nonneg(&format!("displacement.{k}"), v);
    }
    c.positive("displacement.violence_threshold_mean", d.violence_threshold_mean);
    c.positive("displacement.walking_km_per_day", d.walking_km_per_day);
    if d.violence_window_days == 0 || d.violence_window_days > 365 {
        c.bad(
            "displacement.violence_window_days",
            format!("expected 1 to 365 days, got {}", d.violence_window_days),
        );
    }
}

/// People living at each location at day 0, from `[population] home_shares` (default: everyone at
/// the first encircled location).
fn resolve_home_counts(c: &mut Check, p: &PopulationParams, places: &Places, first_encircled: usize) -> Vec<u64> {
    let n_people = p.size.clamp(0, MAX_PEOPLE) as u64;
    let mut shares = vec![0.0; places.known.len()];
    if p.home_shares.is_empty() {
        shares[first_encircled] = 1.0;
    } else {
        let mut total = 0.0;
        // The sum is checked only when every share is itself valid: a share already reported
        // (an unknown place, a share above 1) would make it a second report of the same mistake.
        let before = c.problems.len();
        let mut all_found = true;
        for (id, &v) in &p.home_shares {
            let key = format!("population.home_shares.{id}");
            c.fraction(&key, v);
            match places.lookup(c, &key, id) {
                Some(j) => {
                    shares[j] = v;
                    total += v;
                }
                None => all_found = false,
            }
        }
        if all_found && c.problems.len() == before && (total - 1.0).abs() > 1e-6 {
            c.bad("population.home_shares", format!("shares must sum to 1, got {total}"));
        }
    }
    largest_remainder(n_people, &shares)
}

/// The routes whose ends resolved, and every route id the file gives (resolved or not).
struct Routes {
    resolved: Vec<ResolvedRoute>,
    /// Route id → its index in `resolved` (the first route with that id).
    index: HashMap<String, usize>,
    ids: BTreeSet<String>,
}

impl Routes {
    /// The index of route `id` among the resolved routes, or a problem at `key` naming a few
    /// known ids. A route the file names but whose ends did not resolve is already reported.
    fn lookup(&self, c: &mut Check, key: &str, id: &str) -> Option<usize> {
        let found = self.index.get(id).copied();
        if found.is_none() && !self.ids.contains(id) {
            if !c.problems.is_listing() {
                c.problems.count(key);
                return None;
            }
            let ids: Vec<&str> = self.ids.iter().map(String::as_str).collect();
            c.bad(
                key,
                format!(
                    "no route with id {:?}{}; routes are: {}",
                    shorten(id, MAX_ID_SHOWN),
                    super::suggest(id, &ids),
                    some_of(&ids)
                ),
            );
        }
        found
    }
}

/// Longest id shown in a message, in characters.
const MAX_ID_SHOWN: usize = 100;

/// What is wrong with an id, if anything. Ids name places, routes and checkpoints in every output
/// file, so they are plain words: letters, digits, `_`, `-` and `.`, beginning with a letter, a
/// digit or `_`, at most 200 bytes. That keeps them out of the characters a spreadsheet runs as a
/// formula at the start of a cell (`=`, `+`, `-`, `@`), of CSV quoting and of terminal escapes.
fn id_problem(id: &str) -> Option<String> {
    let plain = |ch: char| ch.is_alphanumeric() || matches!(ch, '_' | '-' | '.');
    let first_ok = id.chars().next().is_some_and(|ch| ch.is_alphanumeric() || ch == '_');
    (!first_ok || !id.chars().all(plain) || id.len() > 200).then(|| {
        format!(
            "expected a plain id (letters, digits, `_`, `-`, `.`, beginning with a letter, digit or `_`, \
             at most 200 bytes), got {:?}",
            shorten(id, MAX_ID_SHOWN)
        )
    })
}
/// The longest median survival at zero water the dry-day byte can carry (see `check_water`).
const MAX_DRY_MEDIAN_DAYS: f64 = 7.0;

/// Most ids listed after "locations are:" or "routes are:".
const IDS_LISTED: usize = 5;

/// The first few of `ids`, then how many more: "a, b, c, d, e and 995 more".
fn some_of(ids: &[&str]) -> String {
    let shown: Vec<_> = ids
        .iter()
        .take(IDS_LISTED)
        .map(|id| shorten(id, MAX_ID_SHOWN))
        .collect();
    match ids.len().saturating_sub(IDS_LISTED) {
        0 => shown.join(", "),
        more => format!("{} and {more} more", shown.join(", ")),
    }
}

/// The longest trip must fit the model's 16-bit count of walking days (65,535, about 180 years):
/// the routes' total length bounds every path, so it is checked against that.
fn check_walks(c: &mut Check, routes: &[RouteParams], walking_km_per_day: f64) {
    let total_km: f64 = routes
        .iter()
        .map(|r| r.distance_km)
        .filter(|d| d.is_finite() && *d > 0.0)
        .sum();
    if walking_km_per_day.is_finite() && walking_km_per_day > 0.0 {
        let days = (total_km / walking_km_per_day).ceil();
        if days > f64::from(u16::MAX) {
            c.bad(
                "routes",
                format!(
                    "the routes add up to {total_km} km, a walk of {days} days at \
                     displacement.walking_km_per_day = {walking_km_per_day}; a trip may take at most {} days",
                    u16::MAX
                ),
            );
        }
    }
}

/// `[[routes]]`: ends resolved to location indices, ids unique, and (when every route resolved)
/// every location reached by a route.
fn resolve_routes(c: &mut Check, file_routes: &[RouteParams], locations: &[LocationParams], places: &Places) -> Routes {
    let mut routes = Routes {
        resolved: Vec::new(),
        index: HashMap::new(),
        ids: BTreeSet::new(),
    };
    for (i, r) in file_routes.iter().enumerate() {
        let k = format!("routes.{i}");
        let a = places.lookup(c, &format!("{k}.from"), &r.from);
        let b = places.lookup(c, &format!("{k}.to"), &r.to);
        if r.from == r.to {
            c.bad(
                &format!("{k}.to"),
                format!("a route must join two different locations; both ends are {:?}", r.from),
            );
        }
        c.positive(&format!("{k}.distance_km"), r.distance_km);
        c.fraction(&format!("{k}.crossing_risk"), r.crossing_risk);
        if let Some(problem) = r.id.as_deref().and_then(id_problem) {
            c.bad(&format!("{k}.id"), problem);
        }
        let id = r.id.clone().unwrap_or_else(|| format!("{}-{}", r.from, r.to));
        if !routes.ids.insert(id.clone()) {
            c.bad(
                &format!("{k}.id"),
                format!("duplicate route id {id:?}; give routes an `id`"),
            );
        }
        if let (Some(a), Some(b)) = (a, b) {
            routes.index.entry(id.clone()).or_insert(routes.resolved.len());
            routes.resolved.push(ResolvedRoute {
                id,
                a,
                b,
                distance_km: r.distance_km,
                state: r.state,
                crossing_risk: r.crossing_risk,
            });
        }
    }
    // Only when every route resolved: a route with a bad end is already reported, and would make
    // its places look disconnected too.
    if locations.len() > 1 && routes.resolved.len() == file_routes.len() {
        for (i, l) in locations.iter().enumerate() {
            if !routes.resolved.iter().any(|r| r.a == i || r.b == i) {
                c.bad(
                    &format!("locations.{i}"),
                    format!("location {:?} is disconnected: no route reaches it", l.id),
                );
            }
        }
    }
    routes
}

/// `[[events]]`, resolved and sorted by day (same-day events keep file order).
fn resolve_events(
    c: &mut Check,
    file_events: &[EventParams],
    days: u32,
    places: &Places,
    routes: &Routes,
    first_encircled: usize,
    water: &[Vec<ResolvedSource>],
) -> Vec<ResolvedEvent> {
    let mut events = Vec::new();
    for (i, e) in file_events.iter().enumerate() {
        let k = format!("events.{i}");
        c.day(&format!("{k}.day"), i64::from(e.day), days);
        let location = match &e.location {
            Some(id) => places.lookup(c, &format!("{k}.location"), id).unwrap_or(0),
            None => first_encircled,
        };
        let mut n = 0;
        let mut route = None;
        let mut reopen = Vec::new();
        let mut source = None;
        if let Some(id) = &e.source {
            let key = format!("{k}.source");
            let here = water.get(location).map_or(&[][..], Vec::as_slice);
            if !matches!(e.kind, EventKind::WaterCut | EventKind::WaterPoison) {
                c.bad(
                    &key,
                    "only water_cut and water_poison events name a water `source`".into(),
                );
            } else {
                source = here.iter().position(|w| &w.id == id);
                if source.is_none() {
                    let known: Vec<&str> = here.iter().map(|w| w.id.as_str()).collect();
                    c.bad(
                        &key,
                        format!(
                            "no water source {:?} at location {:?}; its sources are: {}",
                            shorten(id, MAX_ID_SHOWN),
                            places.known.get(location).copied().unwrap_or_default(),
                            if known.is_empty() {
                                "none".into()
                            } else {
                                some_of(&known)
                            }
                        ),
                    );
                }
            }
        }
        match e.kind {
            EventKind::Kidnapping | EventKind::Killing => match e.n {
                Some(v) if v >= 0 => n = v as u64,
                Some(v) => c.bad(&format!("{k}.n"), format!("expected a number of people ≥ 0, got {v}")),
                None => c.bad(
                    &format!("{k}.n"),
                    format!("a {:?} event needs `n`, the number of people", e.kind).to_lowercase(),
                ),
            },
            EventKind::LivestockSeizure => match (e.head, e.fraction) {
                (Some(h), None) if h < 0 => c.bad(&format!("{k}.head"), format!("expected head ≥ 0, got {h}")),
                (Some(_), None) => {}
                (None, Some(fr)) => c.fraction(&format!("{k}.fraction"), fr),
                _ => c.bad(
                    &k,
                    "a livestock_seizure needs exactly one of `head` or `fraction`".into(),
                ),
            },
            EventKind::GranaryBurning => match e.fraction {
                Some(fr) => c.fraction(&format!("{k}.fraction"), fr),
                None => c.bad(
                    &format!("{k}.fraction"),
                    "a granary_burning needs `fraction`, the share of stocks destroyed".into(),
                ),
            },
            EventKind::Route => {
                match &e.route {
                    Some(id) => route = routes.lookup(c, &format!("{k}.route"), id),
                    None => c.bad(&format!("{k}.route"), "a route event needs `route`, a route id".into()),
                }
                if e.state.is_none() {
                    c.bad(
                        &format!("{k}.state"),
                        "a route event needs `state` (open, closed or impassable)".into(),
                    );
                }
            }
            EventKind::WaterCut => match e.fraction {
                Some(fr) => c.fraction(&format!("{k}.fraction"), fr),
                None => c.bad(
                    &format!("{k}.fraction"),
                    "a water_cut needs `fraction`, the share of the sources' capacity lost".into(),
                ),
            },
            EventKind::WaterPoison => {}
            EventKind::SiegeStart => {}
            EventKind::Care => match e.fraction {
                Some(fr) => c.fraction(&format!("{k}.fraction"), fr),
                None => c.bad(
                    &format!("{k}.fraction"),
                    "a care event needs `fraction`, the access to care from that day (0–1)".into(),
                ),
            },
            EventKind::Liberation => {
                for (j, id) in e.reopen.iter().enumerate() {
                    if let Some(r) = routes.lookup(c, &format!("{k}.reopen.{j}"), id) {
                        reopen.push(r);
                    }
                }
            }
        }
        events.push(ResolvedEvent {
            day: e.day,
            kind: e.kind,
            location,
            n,
            group: e.group,
            head: e.head.map(|h| h.max(0) as u64),
            fraction: e.fraction,
            route,
            state: e.state,
            reopen,
            source,
        });
    }
    events.sort_by_key(|e| e.day);
    events
}

/// The days one `[[airdrops]]` entry drops on, shifted by `shift`, up to `last` (the horizon's last
/// day): one day, or every `every_days` for `count` drops, up to `until_day`, or to the horizon.
/// `problem` is set when the schedule does not fit; `drops` is then what fits.
struct Schedule {
    drops: Vec<u32>,
    problem: Option<(String, String)>,
}

/// The latest unshifted day of entry `a` that must stay inside its bound, and that bound: a one-off
/// drop or a counted schedule moves whole and must end by the horizon; a schedule with `until_day`
/// must start by it; an open schedule must start by the horizon.
fn schedule_bound(a: &Recurrence, last: i64) -> (i64, i64) {
    let day = i64::from(a.day);
    match (a.every_days, a.count, a.until_day) {
        (Some(every), Some(count), _) if every >= 1 && count >= 1 => (day + (count - 1) * every, last),
        (Some(_), None, Some(until)) => (day, until.min(last)),
        _ => (day, last),
    }
}

/// The schedule keys shared by `[[airdrops]]` and `[[convoys]]`.
struct Recurrence {
    day: u32,
    every_days: Option<i64>,
    count: Option<i64>,
    until_day: Option<i64>,
}

impl AirdropParams {
    fn recurrence(&self) -> Recurrence {
        Recurrence {
            day: self.day,
            every_days: self.every_days,
            count: self.count,
            until_day: self.until_day,
        }
    }
}

impl ConvoyParams {
    fn recurrence(&self) -> Recurrence {
        Recurrence {
            day: self.day,
            every_days: self.every_days,
            count: self.count,
            until_day: self.until_day,
        }
    }
}

fn schedule(c: &mut Check, k: &str, a: &Recurrence, shift: i64, days: u32, quiet: bool) -> Schedule {
    let last = i64::from(days) - 1;
    let start = i64::from(a.day) + shift;
    let horizon = format!("simulation.days = {days}, so the last day is {last}");
    let mut problem = None;
    let mut drops = Vec::new();
    let every = match a.every_days {
        None => {
            for key in ["count", "until_day"] {
                let given = if key == "count" {
                    a.count.is_some()
                } else {
                    a.until_day.is_some()
                };
                if given {
                    c.bad(
                        &format!("{k}.{key}"),
                        format!("`{key}` goes with `every_days` (a recurring schedule)"),
                    );
                }
            }
            None
        }
        Some(e) if (1..=i64::from(MAX_DAYS)).contains(&e) => Some(e),
        Some(e) => {
            c.bad(
                &format!("{k}.every_days"),
                format!("expected 1 to {MAX_DAYS} days between drops, got {e}"),
            );
            return Schedule { drops, problem };
        }
    };
    if shift != 0 && !(0..=last).contains(&start) {
        if !quiet {
            problem = Some((
                format!("{k}.day"),
                format!("moved by airdrop_plan.first_day to day {start}, outside the horizon ({horizon})"),
            ));
        }
    } else if start != i64::from(a.day) || c.day(&format!("{k}.day"), start, days) {
        // checked above when shifted
    } else {
        return Schedule { drops, problem };
    }
    let Some(every) = every else {
        if (0..=last).contains(&start) {
            drops.push(start as u32);
        }
        return Schedule { drops, problem };
    };
    let end = match (a.count, a.until_day) {
        (Some(_), Some(_)) => {
            c.bad(
                &format!("{k}.until_day"),
                "give `count` or `until_day`, not both (without either the schedule runs to the horizon)".into(),
            );
            return Schedule { drops, problem };
        }
        (Some(n), None) => {
            if !(1..=i64::from(MAX_DAYS)).contains(&n) {
                c.bad(
                    &format!("{k}.count"),
                    format!("expected 1 to {MAX_DAYS} drops, got {n}"),
                );
                return Schedule { drops, problem };
            }
            let end = start + (n - 1) * every;
            if end > last && problem.is_none() && !quiet {
                let fit = if start > last { 0 } else { (last - start) / every + 1 };
                problem = Some((
                    format!("{k}.count"),
                    format!(
                        "the last of {n} drops every {every} days from day {start} falls on day {end}, past the horizon ({horizon}); {fit} drop(s) fit"
                    ),
                ));
            }
            end.min(last)
        }
        (None, Some(until)) => {
            if !c.day(&format!("{k}.until_day"), until, days) {
                return Schedule { drops, problem };
            }
            if start > until && problem.is_none() && !quiet {
                problem = Some((
                    format!("{k}.until_day"),
                    format!("the schedule starts on day {start}, after its until_day {until}"),
                ));
            }
            until
        }
        (None, None) => last,
    };
    let mut d = start.max(0);
    while d <= end {
        drops.push(d as u32);
        d += every;
    }
    Schedule { drops, problem }
}

/// `[[airdrops]]` expanded into single drops (recurring schedules) and shifted by
/// `[airdrop_plan]`, resolved and sorted by day (same-day drops keep file order).
fn resolve_airdrops(
    c: &mut Check,
    sf: &ScenarioFile,
    places: &Places,
    first_encircled: usize,
    stores: &Stores,
) -> Vec<ResolvedAirdrop> {
    let days = sf.simulation.days;
    let last = i64::from(days) - 1;
    let earliest = sf.airdrops.iter().map(|a| i64::from(a.day)).min();
    // A first day past the latest that fits is one problem, named with that limit.
    let mut plan_refused = false;
    let shift: i64 = match (sf.airdrop_plan.first_day, earliest) {
        (Some(first), Some(earliest)) => {
            if c.day("airdrop_plan.first_day", first, days) {
                let limit = sf
                    .airdrops
                    .iter()
                    .map(|a| {
                        let (latest, bound) = schedule_bound(&a.recurrence(), last);
                        bound - (latest - earliest)
                    })
                    .min()
                    .unwrap_or(last);
                if first > limit {
                    plan_refused = true;
                    c.bad(
                        "airdrop_plan.first_day",
                        if limit >= 0 {
                            format!(
                                "first day {first} moves a drop past the horizon (simulation.days = {days}){}: with these airdrops, first_day can be at most {limit}",
                                if sf.airdrops.iter().any(|a| a.until_day.is_some()) { " or a schedule past its until_day" } else { "" }
                            )
                        } else {
                            format!("these airdrops do not fit in the horizon (simulation.days = {days}) from any first day")
                        },
                    );
                }
            } else {
                plan_refused = true;
            }
            first - earliest
        }
        (Some(_), None) => {
            c.bad("airdrop_plan.first_day", "there are no [[airdrops]] to move".into());
            0
        }
        _ => 0,
    };
    let mut airdrops = Vec::new();
    for (i, a) in sf.airdrops.iter().enumerate() {
        let k = format!("airdrops.{i}");
        let sched = schedule(c, &k, &a.recurrence(), shift, days, plan_refused);
        if let Some((key, message)) = sched.problem {
            c.bad(&key, message);
        }
        let tonnes = match (a.tonnes, a.aircraft) {
            (Some(t), None) => {
                c.range(&format!("{k}.tonnes"), t, 0.0, MAX_TONNES, "a payload in tonnes");
                if a.sorties.is_some() {
                    c.bad(
                        &format!("{k}.sorties"),
                        "`sorties` goes with `aircraft`, not `tonnes`".into(),
                    );
                }
                t
            }
            (None, Some(craft)) => {
                let s = a.sorties.unwrap_or(1);
                if !(1..=MAX_SORTIES).contains(&s) {
                    c.bad(
                        &format!("{k}.sorties"),
                        format!("expected 1 to {MAX_SORTIES} sorties, got {s}"),
                    );
                }
                craft.payload_tonnes() * s.clamp(0, MAX_SORTIES) as f64
            }
            _ => {
                c.bad(
                    &k,
                    "an airdrop needs exactly one of `tonnes` or `aircraft` (Il-76, C-130, An-12, Mi-8, Y-12)".into(),
                );
                0.0
            }
        };
        let kcal_per_kg = a
            .kcal_per_kg
            .unwrap_or(a.commodity.default_kcal_per_kg(sf.food.grain_kcal_per_kg));
        c.positive_at_most(
            &format!("{k}.kcal_per_kg"),
            kcal_per_kg,
            MAX_KCAL_PER_KG,
            "an energy density in kcal/kg",
        );
        let units_per_kg = check_commodity(c, &k, a.commodity, a.units_per_kg, a.kcal_per_kg, kcal_per_kg);
        c.fraction(&format!("{k}.usable_fraction"), a.usable_fraction);
        c.fraction(&format!("{k}.captured_fraction"), a.captured_fraction);
        // A zone or an altitude sets its fraction; a fraction given beside it as well (other than
        // the default, which cannot be told from absent) is a contradiction.
        let captured_fraction = match a.drop_zone {
            Some(zone) => {
                if a.captured_fraction != 0.0 {
                    c.bad(
                        &format!("{k}.captured_fraction"),
                        "give `drop_zone` or `captured_fraction`, not both (the zone sets the captured fraction)"
                            .into(),
                    );
                }
                zone.captured_fraction()
            }
            None => a.captured_fraction,
        };
        let usable_fraction = match a.altitude {
            Some(alt) => {
                if a.usable_fraction != 0.9 {
                    c.bad(
                        &format!("{k}.usable_fraction"),
                        "give `altitude` or `usable_fraction`, not both (the altitude sets the usable fraction)".into(),
                    );
                }
                alt.usable_fraction()
            }
            None => a.usable_fraction,
        };
        if let Some(cost) = a.cost_per_tonne {
            c.range(
                &format!("{k}.cost_per_tonne"),
                cost,
                0.0,
                MAX_COST_PER_TONNE,
                "a cost per tonne",
            );
        }
        c.range(
            &format!("{k}.casualties_per_tonne"),
            a.casualties_per_tonne,
            0.0,
            MAX_CASUALTIES_PER_TONNE,
            "people killed per tonne",
        );
        let mut target = match &a.target {
            Some(id) => places.lookup(c, &format!("{k}.target"), id).unwrap_or(0),
            None => first_encircled,
        };
        let into = resolve_into(c, &format!("{k}.into"), &a.into, stores).map(|(j, at)| {
            target = at;
            j
        });
        for day in sched.drops {
            airdrops.push(ResolvedAirdrop {
                entry: i,
                day,
                tonnes,
                casualties_per_tonne: a.casualties_per_tonne,
                kcal_per_kg,
                target,
                usable_fraction,
                captured_fraction,
                distribution: a.distribution,
                cost_per_tonne: a.cost_per_tonne,
                into,
                commodity: a.commodity,
                units_per_kg,
            });
        }
    }
    airdrops.sort_by_key(|a| a.day);
    airdrops
}

/// The most people an airdrop may kill per tonne at its drop zone (a one-tonne pallet falling on
/// a crowd; far beyond it is a typo).
const MAX_CASUALTIES_PER_TONNE: f64 = 100.0;

/// The most units of a non-food commodity per kg a drop or convoy may give (tablets: litres made
/// safe per kg of tablets, of the order of 10⁵).
const MAX_UNITS_PER_KG: f64 = 1e9;

/// An airdrop's or convoy's `commodity` and `units_per_kg` (entry `k`): food takes its energy
/// density (and no `units_per_kg`); water 1 L/kg unless given; tablets and ORS need it. Returns
/// the units per kg.
fn check_commodity(
    c: &mut Check,
    k: &str,
    commodity: Commodity,
    units: Option<f64>,
    kcal_given: Option<f64>,
    kcal_per_kg: f64,
) -> f64 {
    let key = format!("{k}.units_per_kg");
    if !matches!(commodity, Commodity::Food | Commodity::Rutf) && kcal_given.is_some() {
        c.bad(
            &format!("{k}.kcal_per_kg"),
            format!(
                "`kcal_per_kg` is for food; a {} load gives `units_per_kg`",
                format!("{commodity:?}").to_lowercase()
            ),
        );
    }
    match (commodity, units) {
        (Commodity::Food | Commodity::Rutf, None) => kcal_per_kg,
        (Commodity::Food | Commodity::Rutf, Some(_)) => {
            c.bad(
                &key,
                "`units_per_kg` is for water, tablets and ors; food and rutf give `kcal_per_kg`".into(),
            );
            kcal_per_kg
        }
        (Commodity::Water, None) => 1.0,
        (Commodity::Tablets | Commodity::Ors, None) => {
            c.bad(
                &key,
                if commodity == Commodity::Tablets {
                    "a tablets load needs `units_per_kg`, the litres of water made safe per kg of tablets".into()
                } else {
                    "an ors load needs `units_per_kg`, the sachets per kg".into()
                },
            );
            0.0
        }
        (_, Some(u)) => {
            c.positive_at_most(&key, u, MAX_UNITS_PER_KG, "units per kg");
            u
        }
    }
}

/// `[[checkpoints]]` checked and `[[convoys]]` expanded into single convoys (the recurring forms of
/// `[[airdrops]]`, by the same [`schedule`]), resolved and sorted by arrival day.
fn resolve_convoys(
    c: &mut Check,
    sf: &ScenarioFile,
    places: &Places,
    first_encircled: usize,
    stores: &Stores,
) -> Vec<ResolvedConvoy> {
    let days = sf.simulation.days;
    let mut checkpoints: BTreeMap<&str, (f64, f64, &[AccessWindowParams])> = BTreeMap::new();
    for (i, cp) in sf.checkpoints.iter().enumerate() {
        let k = format!("checkpoints.{i}");
        c.fraction(&format!("{k}.p_block"), cp.p_block);
        c.fraction(&format!("{k}.loot_share"), cp.loot_share);
        check_windows(c, &k, &cp.windows, days);
        if let Some(problem) = id_problem(&cp.id) {
            c.bad(&format!("{k}.id"), problem);
        }
        if checkpoints
            .insert(cp.id.as_str(), (cp.p_block, cp.loot_share, &cp.windows))
            .is_some()
        {
            c.bad(
                &format!("{k}.id"),
                format!("checkpoint id {:?} is used twice", shorten(&cp.id, MAX_ID_SHOWN)),
            );
        }
    }
    let mut convoys = Vec::new();
    for (i, v) in sf.convoys.iter().enumerate() {
        let k = format!("convoys.{i}");
        let sched = schedule(c, &k, &v.recurrence(), 0, days, false);
        if let Some((key, message)) = sched.problem {
            c.bad(&key, message);
        }
        c.range(&format!("{k}.tonnes"), v.tonnes, 0.0, MAX_TONNES, "a load in tonnes");
        let kcal_per_kg = v
            .kcal_per_kg
            .unwrap_or(v.commodity.default_kcal_per_kg(sf.food.grain_kcal_per_kg));
        c.positive_at_most(
            &format!("{k}.kcal_per_kg"),
            kcal_per_kg,
            MAX_KCAL_PER_KG,
            "an energy density in kcal/kg",
        );
        let units_per_kg = check_commodity(c, &k, v.commodity, v.units_per_kg, v.kcal_per_kg, kcal_per_kg);
        if !(0..=i64::from(MAX_DAYS)).contains(&v.days_on_road) {
            c.bad(
                &format!("{k}.days_on_road"),
                format!("expected 0 to {MAX_DAYS} days on the road, got {}", v.days_on_road),
            );
        }
        if let Some(cost) = v.cost_per_tonne {
            c.range(
                &format!("{k}.cost_per_tonne"),
                cost,
                0.0,
                MAX_COST_PER_TONNE,
                "a cost per tonne",
            );
        }
        let mut route = Vec::new();
        if v.route.len() > MAX_ROUTES {
            c.bad(
                &format!("{k}.route"),
                format!(
                    "expected at most {MAX_ROUTES} checkpoints on a route, got {}",
                    v.route.len()
                ),
            );
        }
        for (j, id) in v.route.iter().enumerate().take(MAX_ROUTES) {
            match checkpoints.get(id.as_str()) {
                Some(&cp) => route.push(cp),
                // A checkpoint without an id (reported already) may be the one meant.
                None if checkpoints.contains_key("") => {}
                None => {
                    let known: Vec<&str> = checkpoints.keys().copied().collect();
                    c.bad(
                        &format!("{k}.route.{j}"),
                        format!(
                            "no checkpoint with id {:?}; checkpoints are: {}",
                            shorten(id, MAX_ID_SHOWN),
                            if known.is_empty() {
                                "(none: add [[checkpoints]])".to_string()
                            } else {
                                some_of(&known)
                            }
                        ),
                    );
                }
            }
        }
        let mut destination = match &v.destination {
            Some(id) => places.lookup(c, &format!("{k}.destination"), id).unwrap_or(0),
            None => first_encircled,
        };
        let into = resolve_into(c, &format!("{k}.into"), &v.into, stores).map(|(j, at)| {
            destination = at;
            j
        });
        let on_road = v.days_on_road.clamp(0, i64::from(MAX_DAYS)) as u32;
        for depart in sched.drops {
            // Cannot saturate: depart < MAX_DAYS and on_road ≤ MAX_DAYS, far below u32::MAX.
            let at_line = depart.saturating_add(on_road);
            convoys.push(ResolvedConvoy {
                depart,
                // Past every checkpoint's window in route order; never if one does not open again.
                arrive: route
                    .iter()
                    .try_fold(at_line, |day, &(_, _, windows)| first_open_day(windows, day))
                    .unwrap_or(NEVER),
                tonnes: v.tonnes,
                kcal_per_kg,
                checkpoints: route.iter().map(|&(p, l, _)| (p, l)).collect(),
                destination,
                distribution: v.distribution,
                cost_per_tonne: v.cost_per_tonne,
                into,
                commodity: v.commodity,
                units_per_kg,
            });
        }
    }
    convoys.sort_by_key(|v| v.arrive);
    convoys
}

/// The arrival day of a convoy that never passes a checkpoint: no window opens again.
const NEVER: u32 = u32::MAX;

/// `{key}.windows`: each a day of the run to a day at or after it (which may lie past the
/// horizon), in day order without overlap.
fn check_windows(c: &mut Check, key: &str, windows: &[AccessWindowParams], days: u32) {
    let mut after = None;
    for (j, w) in windows.iter().enumerate() {
        let k = format!("{key}.windows.{j}");
        c.day(&format!("{k}.from_day"), i64::from(w.from_day), days);
        if w.until_day < w.from_day {
            c.bad(
                &format!("{k}.until_day"),
                format!(
                    "expected a day at or after from_day ({}), got {}",
                    w.from_day, w.until_day
                ),
            );
        }
        if let Some(prev) = after.filter(|&p| w.from_day <= p) {
            c.bad(
                &format!("{k}.from_day"),
                format!("expected windows in day order without overlap: from_day after the previous window's until_day ({prev}), got {}", w.from_day),
            );
        }
        after = Some(w.until_day.max(after.unwrap_or(0)));
    }
}

/// The first day at or after `day` on which a checkpoint with these windows (checked by
/// [`check_windows`]: in order, not overlapping) lets a convoy through; `day` itself without
/// windows; None when no window opens again.
fn first_open_day(windows: &[AccessWindowParams], day: u32) -> Option<u32> {
    if windows.is_empty() {
        return Some(day);
    }
    let next = windows.partition_point(|w| w.until_day < day);
    windows.get(next).map(|w| w.from_day.max(day))
}

/// `[[evacuations]]` checked and their locations resolved.
fn resolve_evacuations(c: &mut Check, sf: &ScenarioFile, places: &Places) -> Vec<ResolvedEvacuation> {
    let mut out = Vec::new();
    for (i, e) in sf.evacuations.iter().enumerate() {
        let k = format!("evacuations.{i}");
        let location = places.lookup(c, &format!("{k}.from"), &e.from);
        c.day(&format!("{k}.from_day"), i64::from(e.from_day), sf.simulation.days);
        if e.until_day < e.from_day {
            c.bad(
                &format!("{k}.until_day"),
                format!(
                    "expected a day at or after from_day ({}), got {}",
                    e.from_day, e.until_day
                ),
            );
        }
        c.range(
            &format!("{k}.people_per_day"),
            e.people_per_day,
            0.0,
            MAX_EVACUEES_PER_DAY,
            "people a day",
        );
        if let Some(location) = location {
            out.push(ResolvedEvacuation {
                location,
                from_day: e.from_day,
                until_day: e.until_day,
                people_per_day: e.people_per_day,
            });
        }
    }
    out
}

/// `[[climate]]`: days within the horizon, each once; temperatures people live through.
fn check_climate(c: &mut Check, sf: &ScenarioFile) {
    let days: Vec<u32> = sf.climate.iter().map(|e| e.from_day).collect();
    check_schedule_days(c, "climate", &days, sf.simulation.days, "a temperature");
    for (i, e) in sf.climate.iter().enumerate() {
        c.range(
            &format!("climate.{i}.mean_temperature_c"),
            e.mean_temperature_c,
            -90.0,
            60.0,
            "a mean temperature in °C",
        );
    }
}

/// `[[population.ages]]`: bands from age 0, each starting where the previous one ends, each with
/// shares ≥ 0, the shares summing to 1 within `AGE_SHARES_TOLERANCE`.
fn check_ages(c: &mut Check, ages: &[AgeBandShares]) {
    let mut total = 0.0;
    let mut expected_from = 0.0;
    for (i, b) in ages.iter().enumerate() {
        let k = |f: &str| format!("population.ages.{i}.{f}");
        if c.finite(&k("from_years"), b.from_years) && b.from_years != expected_from {
            c.bad(
                &k("from_years"),
                if i == 0 {
                    format!("the first band starts at age 0, got {}", b.from_years)
                } else {
                    format!(
                        "bands are contiguous and in order: expected {expected_from} (population.ages.{}.to_years), got {}",
                        i - 1,
                        b.from_years
                    )
                },
            );
        }
        if c.finite(&k("to_years"), b.to_years) && !(b.to_years > b.from_years && b.to_years <= MAX_AGE_YEARS) {
            c.bad(
                &k("to_years"),
                format!(
                    "expected an age above from_years = {} and at most {MAX_AGE_YEARS}, got {}",
                    b.from_years, b.to_years
                ),
            );
        }
        expected_from = b.to_years;
        for (f, v) in [
            ("male_share_of_all", b.male_share_of_all),
            ("female_share_of_all", b.female_share_of_all),
        ] {
            c.fraction(&k(f), v);
            total += v;
        }
    }
    if !ages.is_empty() && total.is_finite() && (total - 1.0).abs() > AGE_SHARES_TOLERANCE {
        c.bad(
            "population.ages",
            format!(
                "the shares of all bands, men and women, sum to {total:.4}: expected 1 (within {AGE_SHARES_TOLERANCE})"
            ),
        );
    }
}

/// `[[activity]]`: days within the horizon; `cards`, where given, a list of distinct cards; and
/// for each card, each day given once among the entries that apply to it.
fn check_activity(c: &mut Check, sf: &ScenarioFile) {
    for (i, e) in sf.activity.iter().enumerate() {
        c.day(
            &format!("activity.{i}.from_day"),
            i64::from(e.from_day),
            sf.simulation.days,
        );
        let Some(cards) = &e.cards else { continue };
        let k = format!("activity.{i}.cards");
        if cards.is_empty() {
            c.bad(
                &k,
                "expected at least one card (leave `cards` out for every adult)".into(),
            );
        }
        for (j, card) in cards.iter().enumerate() {
            if cards[..j].contains(card) {
                c.bad(&k, format!("{} is named twice", card.name()));
            }
        }
    }
    let mut reported = BTreeSet::new();
    for card in Card::ALL {
        let mut seen = BTreeMap::new();
        for (i, e) in sf.activity.iter().enumerate().filter(|(_, e)| e.applies_to(card)) {
            if let Some(j) = seen.insert(e.from_day, i)
                && reported.insert(i)
            {
                c.bad(
                    &format!("activity.{i}.from_day"),
                    format!(
                        "day {} already has an activity level for {} cards (activity.{j})",
                        e.from_day,
                        card.name()
                    ),
                );
            }
        }
    }
}

/// The `from_day`s of a day-keyed schedule (`section.{i}`, an entry in force until the next):
/// each within the horizon of `days`, and each day given once (a second would hide the first).
fn check_schedule_days(c: &mut Check, section: &str, from_days: &[u32], days: u32, what: &str) {
    let mut seen = BTreeMap::new();
    for (i, &day) in from_days.iter().enumerate() {
        let k = format!("{section}.{i}.from_day");
        c.day(&k, i64::from(day), days);
        if let Some(j) = seen.insert(day, i) {
            c.bad(&k, format!("day {day} already has {what} ({section}.{j})"));
        }
    }
}

/// The largest evacuation capacity, people a day (far above any city's).
const MAX_EVACUEES_PER_DAY: f64 = 1e9;

/// `[population.cards]`, `[[stores]]` and `[[rations]]` checked and resolved; also returns each
/// store id's index.
fn resolve_stores(c: &mut Check, sf: &ScenarioFile, places: &Places, first_encircled: usize) -> Stores {
    if let Some(cards) = &sf.population.cards {
        c.range(
            "population.cards.child_under_years",
            cards.child_under_years,
            0.0,
            20.0,
            "an age in years",
        );
        for (k, v) in [
            ("dependant_under_years", cards.dependant_under_years),
            ("dependant_from_years_men", cards.dependant_from_years_men),
            ("dependant_from_years_women", cards.dependant_from_years_women),
        ] {
            c.range(&format!("population.cards.{k}"), v, 0.0, 150.0, "an age in years");
        }
        for (k, v) in [
            ("worker_share", cards.worker_share),
            ("employee_share", cards.employee_share),
            ("dependant_share", cards.dependant_share),
        ] {
            c.fraction(&format!("population.cards.{k}"), v);
        }
        if cards.worker_share + cards.employee_share + cards.dependant_share <= 0.0 {
            c.bad(
                "population.cards.worker_share",
                "the worker, employee and dependant shares must not all be 0".into(),
            );
        }
    }
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    let mut stores = Vec::new();
    let mut at_location: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, st) in sf.stores.iter().enumerate() {
        let k = format!("stores.{i}");
        // As for locations: a store whose id has a problem still registers it.
        if let Some(problem) = id_problem(&st.id) {
            c.bad(&format!("{k}.id"), problem);
            ids.entry(st.id.clone()).or_insert(i);
        } else if ids.insert(st.id.clone(), i).is_some() {
            c.bad(
                &format!("{k}.id"),
                format!("store id {:?} is used twice", shorten(&st.id, MAX_ID_SHOWN)),
            );
        }
        let location = match &st.location {
            Some(id) => places.lookup(c, &format!("{k}.location"), id).unwrap_or(0),
            None => first_encircled,
        };
        if let Some(j) = at_location.insert(location, i) {
            c.bad(
                &format!("{k}.location"),
                format!("stores.{j} already issues at this location: one store per location"),
            );
        }
        c.range(
            &format!("{k}.stock_tonnes"),
            st.stock_tonnes,
            0.0,
            MAX_TONNES * 1000.0,
            "a stock in tonnes",
        );
        c.range(
            &format!("{k}.inflow_tonnes_per_day"),
            st.inflow_tonnes_per_day,
            0.0,
            MAX_TONNES,
            "an inflow in tonnes per day",
        );
        let kcal_per_kg = st.kcal_per_kg.unwrap_or(sf.food.grain_kcal_per_kg);
        c.positive_at_most(
            &format!("{k}.kcal_per_kg"),
            kcal_per_kg,
            MAX_KCAL_PER_KG,
            "an energy density in kcal/kg",
        );
        let mut seen = [false; 4];
        for card in &st.priority {
            if std::mem::replace(&mut seen[card.index()], true) {
                c.bad(&format!("{k}.priority"), format!("card {card:?} is listed twice"));
            }
        }
        if seen.contains(&false) {
            c.bad(
                &format!("{k}.priority"),
                "list every card once: worker, employee, dependant, child".into(),
            );
        }
        stores.push(ResolvedStore {
            id: st.id.clone(),
            location,
            stock_kcal: st.stock_tonnes * 1000.0 * kcal_per_kg,
            inflow_kcal: st.inflow_tonnes_per_day * 1000.0 * kcal_per_kg,
            shortfall: st.shortfall,
            priority: st.priority.clone(),
            rations: Vec::new(),
            spread_until: st.spread_until_day,
        });
    }
    for (i, r) in sf.rations.iter().enumerate() {
        let k = format!("rations.{i}");
        if r.from_day >= sf.simulation.days {
            c.day(&format!("{k}.from_day"), i64::from(r.from_day), sf.simulation.days);
        }
        let cards = sf.population.cards.clone().unwrap_or_default();
        for (card, v) in Card::ALL.into_iter().zip(r.as_written()) {
            let key = format!("{k}.{}_kcal", card.name());
            match v {
                Some(v) => c.range(&key, v, 0.0, MAX_KCAL_PER_PERSON_DAY, "kcal/person/day"),
                None if cards.has_holders(card) => c.bad(
                    &key,
                    format!(
                        "required key is missing: {} cards have holders ({}{}); write 0 for no entitlement (a card's \
                         ration may be left out only where no one holds the card)",
                        card.name(),
                        cards.holders_reason(card),
                        if sf.population.cards.is_none() {
                            ", by default"
                        } else {
                            ""
                        }
                    ),
                ),
                None => {}
            }
        }
        let targets: Vec<usize> = match &r.store {
            Some(id) => match ids.get(id) {
                Some(&j) => vec![j],
                None => {
                    if let Some(problem) = unknown_store(id, &ids) {
                        c.bad(&format!("{k}.store"), problem);
                    }
                    Vec::new()
                }
            },
            None if stores.is_empty() => {
                c.bad(&k, "rations by card need a [[stores]] to issue them".into());
                Vec::new()
            }
            None => (0..stores.len()).collect(),
        };
        for j in targets {
            let st: &mut ResolvedStore = &mut stores[j];
            if st.rations.iter().any(|(d, _)| *d == r.from_day) {
                c.bad(
                    &format!("{k}.from_day"),
                    format!(
                        "store {:?} already has rations from day {}",
                        shorten(&st.id, MAX_ID_SHOWN),
                        r.from_day
                    ),
                );
            }
            st.rations.push((r.from_day, r.by_card()));
        }
    }
    for st in &mut stores {
        st.rations.sort_by_key(|(d, _)| *d);
    }
    (stores, ids)
}

/// The resolved stores and each store id's index.
type Stores = (Vec<ResolvedStore>, BTreeMap<String, usize>);

/// The problem with naming store `id`, which is not among `ids`; none when a store has no id (that
/// is reported already, and it may be the store meant).
fn unknown_store(id: &str, ids: &BTreeMap<String, usize>) -> Option<String> {
    if ids.contains_key("") {
        return None;
    }
    let known: Vec<&str> = ids.keys().map(String::as_str).collect();
    Some(format!(
        "no store with id {:?}; stores are: {}",
        shorten(id, MAX_ID_SHOWN),
        if known.is_empty() {
            "(none: add [[stores]])".to_string()
        } else {
            some_of(&known)
        }
    ))
}

/// `into = "<store id>"` of an airdrop or convoy at `key`: the store's index and location.
fn resolve_into(c: &mut Check, key: &str, into: &Option<String>, stores: &Stores) -> Option<(usize, usize)> {
    let id = into.as_ref()?;
    match stores.1.get(id) {
        Some(&j) => Some((j, stores.0[j].location)),
        None => {
            if let Some(problem) = unknown_store(id, &stores.1) {
                c.bad(key, problem);
            }
            None
        }
    }
}

/// Each location's pull on people fleeing: as given, else by kind (town 1, base and village 0.5,
/// besieged 0; modelling choice, after Flee).
fn resolve_attractiveness(locations: &[LocationParams]) -> Vec<f64> {
    locations
        .iter()
        .map(|l| {
            l.attractiveness.unwrap_or(match l.kind {
                LocationKind::Town => 1.0,
                LocationKind::Base | LocationKind::Village => 0.5,
                LocationKind::Besieged => 0.0,
            })
        })
        .collect()
}
