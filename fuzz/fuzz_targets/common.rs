// Shared by the fuzz targets (included, not a module, so each target stays one file to read).

use siege::experiment::run_replicate;
use siege::scenario::Scenario;

/// Person-days above which an accepted scenario is only parsed, not run (keeps each input fast).
const MAX_PERSON_DAYS: i64 = 300_000;

/// Runs replicate 0 of an accepted scenario when it is small, and checks what must hold for any
/// accepted input: people are conserved and every reported number is finite and non-negative.
fn run_if_small(s: &Scenario) {
    let size = s.file.population.size;
    if size.saturating_mul(i64::from(s.days())) > MAX_PERSON_DAYS {
        return;
    }
    let r = run_replicate(s, 0, true);
    for d in &r.days {
        let people = d.n_present + d.n_in_transit + d.n_displaced + d.n_kidnapped + d.n_dead;
        assert_eq!(people, size as u64, "people not conserved on day {}", d.day);
        for (name, v) in [
            ("food_kcal", d.food_kcal),
            ("food_days", d.food_days),
            ("mean_intake_kcal", d.mean_intake_kcal),
            ("mean_adult_bmi", d.mean_adult_bmi),
            ("cdr_per_10k", d.cdr_per_10k),
            ("airdrop_landed_kcal", d.airdrop_landed_kcal),
            ("airdrop_usable_kcal", d.airdrop_usable_kcal),
            ("airdrop_captured_kcal", d.airdrop_captured_kcal),
        ] {
            assert!(v.is_finite() && v >= 0.0, "day {}: {name} = {v}", d.day);
        }
    }
}
