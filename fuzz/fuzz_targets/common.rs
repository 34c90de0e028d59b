// Shared by the fuzz targets and by tests/fuzz_parse.rs (included, not a module, so each stays one
// file to read).

/// Person-days above which an accepted scenario is only parsed, not run (keeps each input fast).
const MAX_PERSON_DAYS: i64 = 300_000;

/// Runs replicate 0 of an accepted scenario when it is small, and says what breaks what must hold
/// for any accepted input: a record for every day, people conserved, and every reported number
/// finite and non-negative.
fn check_small_run(s: &siege::scenario::Scenario) -> Result<(), String> {
    let size = s.population().size;
    if size.saturating_mul(i64::from(s.days())) > MAX_PERSON_DAYS {
        return Ok(());
    }
    let r = siege::experiment::run_replicate(s, 0, true);
    if r.days.len() != s.days() as usize {
        return Err(format!("{} daily records for {} days", r.days.len(), s.days()));
    }
    for d in &r.days {
        let people = d.n_present + d.n_in_transit + d.n_displaced + d.n_kidnapped + d.n_dead;
        if people != size as u64 {
            return Err(format!("people not conserved on day {}: {people} of {size}", d.day));
        }
        // Statistics over a group that may be empty: unknown (NaN) or finite, never inf or < 0.
        for (name, v) in [
            ("food_days", d.food_days),
            ("mean_intake_kcal", d.mean_intake_kcal),
            ("mean_adult_bmi", d.mean_adult_bmi),
            ("cdr_per_10k", d.cdr_per_10k),
        ] {
            if !(v.is_nan() || (v.is_finite() && v >= 0.0)) {
                return Err(format!("day {}: {name} = {v}", d.day));
            }
        }
        for (name, v) in [
            ("food_kcal", d.food_kcal),
            ("airdrop_landed_kcal", d.airdrop_landed_kcal),
            ("airdrop_usable_kcal", d.airdrop_usable_kcal),
            ("airdrop_captured_kcal", d.airdrop_captured_kcal),
        ] {
            if !(v.is_finite() && v >= 0.0) {
                return Err(format!("day {}: {name} = {v}", d.day));
            }
        }
    }
    Ok(())
}
