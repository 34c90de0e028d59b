//! Recurring airdrop schedules (`every_days` with `count`, `until_day` or neither) resolve into
//! single drops at validation, and `[airdrop_plan] first_day` moves them with named limits.

use siege::scenario;

/// A 120-day town with the given airdrop tables.
fn town(tables: &str) -> String {
    format!(
        r#"
[simulation]
name = "weekly"
days = 120
seed = 3
[population]
size = 500
{tables}
"#
    )
}

fn drop_days(text: &str) -> Vec<u32> {
    let s = scenario::parse("s.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
    s.airdrops().iter().map(|a| a.day).collect()
}

fn refusal(text: &str) -> String {
    match scenario::parse("s.toml", text, &[]) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_weekly_schedule_runs_to_the_horizon_like_the_blocks_written_out() {
    let weekly = drop_days(&town("[[airdrops]]\nday = 30\nevery_days = 7\ntonnes = 18.0\n"));
    let expected: Vec<u32> = (30..120).step_by(7).collect();
    assert_eq!(weekly, expected);
    assert_eq!(weekly.last(), Some(&114));
    let written: String = expected
        .iter()
        .map(|d| format!("[[airdrops]]\nday = {d}\ntonnes = 18.0\n"))
        .collect();
    assert_eq!(drop_days(&town(&written)), weekly);
    let s = scenario::parse(
        "s.toml",
        &town("[[airdrops]]\nday = 30\nevery_days = 7\ntonnes = 18.0\n"),
        &[],
    )
    .unwrap();
    assert!(s.airdrops().iter().all(|a| a.tonnes == 18.0));
}

#[test]
fn count_and_until_day_end_a_schedule() {
    let counted = drop_days(&town(
        "[[airdrops]]\nday = 2\nevery_days = 5\ncount = 3\ntonnes = 1.0\n",
    ));
    assert_eq!(counted, vec![2, 7, 12]);
    let until = drop_days(&town(
        "[[airdrops]]\nday = 5\nevery_days = 10\nuntil_day = 25\ntonnes = 1.0\n",
    ));
    assert_eq!(until, vec![5, 15, 25]);
    // Two schedules interleave, sorted by day.
    let both = drop_days(&town(
        "[[airdrops]]\nday = 4\nevery_days = 10\ncount = 2\ntonnes = 1.0\n[[airdrops]]\nday = 10\ntonnes = 2.0\n",
    ));
    assert_eq!(both, vec![4, 10, 14]);
}

#[test]
fn first_day_moves_the_start_and_an_open_schedule_keeps_running_to_the_horizon() {
    let text = town("[[airdrops]]\nday = 30\nevery_days = 7\ntonnes = 18.0\n[airdrop_plan]\nfirst_day = 10\n");
    assert_eq!(drop_days(&text), (10..120).step_by(7).collect::<Vec<u32>>());
    let later = town("[[airdrops]]\nday = 30\nevery_days = 7\ntonnes = 18.0\n[airdrop_plan]\nfirst_day = 100\n");
    assert_eq!(drop_days(&later), vec![100, 107, 114]);
    // A schedule with until_day keeps its end.
    let until =
        town("[[airdrops]]\nday = 30\nevery_days = 7\nuntil_day = 60\ntonnes = 1.0\n[airdrop_plan]\nfirst_day = 40\n");
    assert_eq!(drop_days(&until), vec![40, 47, 54]);
}

#[test]
fn a_first_day_too_late_names_the_latest_that_fits_once() {
    let text = town(
        "[[airdrops]]\nday = 5\ntonnes = 1.0\n[[airdrops]]\nday = 90\ntonnes = 1.0\n[airdrop_plan]\nfirst_day = 40\n",
    );
    let e = refusal(&text);
    assert!(e.contains("at most 34"), "{e}");
    assert!(e.contains("simulation.days = 120"), "{e}");
    assert!(!e.contains("airdrops.1.day"), "a follow-on error: {e}");
    // The limit itself is accepted.
    let ok = text.replace("first_day = 40", "first_day = 34");
    assert_eq!(drop_days(&ok), vec![34, 119]);
}

#[test]
fn schedules_that_do_not_fit_or_do_not_make_sense_are_refused_with_their_key() {
    let past = refusal(&town(
        "[[airdrops]]\nday = 100\nevery_days = 10\ncount = 5\ntonnes = 1.0\n",
    ));
    assert!(past.contains("airdrops.0.count"), "{past}");
    assert!(
        past.contains("the last day is 119") && past.contains("2 drop(s) fit"),
        "{past}"
    );
    let late = refusal(&town("[[airdrops]]\nday = 130\nevery_days = 7\ntonnes = 1.0\n"));
    assert!(
        late.contains("airdrops.0.day") && late.contains("simulation.days = 120"),
        "{late}"
    );
    let lone = refusal(&town("[[airdrops]]\nday = 3\ncount = 4\ntonnes = 1.0\n"));
    assert!(
        lone.contains("airdrops.0.count") && lone.contains("every_days"),
        "{lone}"
    );
    let both = refusal(&town(
        "[[airdrops]]\nday = 3\nevery_days = 2\ncount = 4\nuntil_day = 9\ntonnes = 1.0\n",
    ));
    assert!(both.contains("not both"), "{both}");
    let zero = refusal(&town("[[airdrops]]\nday = 3\nevery_days = 0\ntonnes = 1.0\n"));
    assert!(zero.contains("airdrops.0.every_days"), "{zero}");
    let backwards = refusal(&town(
        "[[airdrops]]\nday = 30\nevery_days = 2\nuntil_day = 9\ntonnes = 1.0\n",
    ));
    assert!(backwards.contains("airdrops.0.until_day"), "{backwards}");
}
