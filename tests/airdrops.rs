//! Airdrops (MODEL.md §8): what lands, what is captured or lost, and who gets it.

use siege::model::World;
use siege::observe::{DayRecord, LocationRecord, Observer};
use siege::scenario;

struct Quiet;
impl Observer for Quiet {
    fn day(&mut self, _: &DayRecord, _: &[LocationRecord]) {}
}

/// A village with stocks far above the rationing horizon (so everyone eats exactly their need
/// whatever lands) and no way out, plus the given airdrop table.
fn village(airdrop: &str) -> String {
    format!(
        r#"
[simulation]
name = "drops"
days = 10
seed = 3
[population]
size = 900
[food]
stock_days_mean = 500.0
stock_days_shape = 10000.0
livestock_per_household_mean = 0.0
sharing_rate = 0.0
[displacement]
enabled = false
{airdrop}
"#
    )
}

/// Stock each household received on day `day` from the drop: the difference between a world with
/// the drop and its twin without it (the same text up to the `[[airdrops]]` table), after that day.
fn received(text: &str, day: u32) -> (Vec<f64>, f64) {
    let with = scenario::parse("with.toml", text, &[]).unwrap();
    let twin = &text[..text.find("[[airdrops]]").unwrap_or(text.len())];
    let without = scenario::parse("without.toml", twin, &[]).unwrap();
    let (mut a, mut b) = (World::new(&with, 0), World::new(&without, 0));
    for _ in 0..=day {
        a.step(&mut Quiet);
        b.step(&mut Quiet);
    }
    let got: Vec<f64> = a
        .households
        .iter()
        .zip(&b.households)
        .map(|(x, y)| x.stock_kcal - y.stock_kcal)
        .collect();
    let need: f64 = b.households.iter().map(|h| h.need_kcal).sum();
    (got, need)
}

#[test]
fn captured_or_unusable_drops_feed_nobody() {
    for extra in ["captured_fraction = 1.0", "usable_fraction = 0.0"] {
        let text = village(&format!("[[airdrops]]\nday = 2\ntonnes = 5.0\n{extra}\n"));
        let (got, _) = received(&text, 2);
        assert!(got.iter().all(|&g| g.abs() < 1e-6), "{extra}: someone received food");
    }
}

#[test]
fn a_drop_of_one_day_of_need_raises_food_by_exactly_that() {
    // Learn the population's need on the drop day, then drop exactly that energy.
    let (_, need) = received(&village(""), 2);
    let tonnes = need / 1000.0 / 3500.0;
    let text = village(&format!(
        "[[airdrops]]\nday = 2\ntonnes = {tonnes}\nkcal_per_kg = 3500.0\nusable_fraction = 1.0\n"
    ));
    let (got, _) = received(&text, 2);
    let total: f64 = got.iter().sum();
    assert!((total - need).abs() < 1e-6 * need, "received {total}, need {need}");
}

#[test]
fn equal_gives_every_household_a_share_scramble_leaves_some_with_nothing() {
    let small = "tonnes = 0.5\nusable_fraction = 1.0";
    let (equal, _) = received(
        &village(&format!("[[airdrops]]\nday = 2\n{small}\ndistribution = \"equal\"\n")),
        2,
    );
    assert!(
        equal.iter().all(|&g| g > 0.0),
        "a household got nothing from an equal drop"
    );
    let (scramble, _) = received(
        &village(&format!(
            "[[airdrops]]\nday = 2\n{small}\ndistribution = \"scramble\"\n"
        )),
        2,
    );
    let nothing = scramble.iter().filter(|&&g| g.abs() < 1e-9).count();
    assert!(nothing > 0, "a small scramble drop reached every household");
    assert!(nothing < scramble.len(), "a scramble drop reached nobody");
    let total: f64 = scramble.iter().sum();
    assert!(
        (total - 0.5 * 1000.0 * 3500.0).abs() < 1e-3,
        "scramble handed out {total}"
    );
}

#[test]
fn need_shares_per_head_with_the_undernourished_counting_more() {
    // `need` shares per head, a member counting 1, 1.25 when moderately undernourished (child
    // index < −2, adult BMI < 18.5) and 1.5 when severely (< −3, < 16) (MODEL.md §8): every
    // household gets the same per weighted head, so one with a wasted child or a thin adult gets
    // more per member than one without.
    use siege::model::physiology::{MODERATE, SEVERE, child_index, wasting_band};
    let text = village("[[airdrops]]\nday = 0\ntonnes = 0.3\nusable_fraction = 1.0\ndistribution = \"need\"\n");
    let s = scenario::parse("need.toml", &text, &[]).unwrap();
    let w = World::new(&s, 0);
    let heads: Vec<f64> = w
        .households
        .iter()
        .map(|h| {
            w.persons[h.members()]
                .iter()
                .map(|p| {
                    let (moderate, severe) = if p.is_child() {
                        let band = wasting_band(child_index(p.weight_ratio));
                        (band >= MODERATE, band >= SEVERE)
                    } else {
                        (p.bmi() < 18.5, p.bmi() < 16.0)
                    };
                    if severe {
                        1.5
                    } else if moderate {
                        1.25
                    } else {
                        1.0
                    }
                })
                .sum()
        })
        .collect();
    let members: Vec<f64> = w.households.iter().map(|h| h.members().len() as f64).collect();
    assert!(
        heads.iter().zip(&members).any(|(h, m)| h > m) && heads.iter().zip(&members).any(|(h, m)| h == m),
        "the village has households with and without undernourished members"
    );
    let (got, _) = received(&text, 0);
    let per_head: Vec<f64> = got.iter().zip(&heads).map(|(g, h)| g / h).collect();
    for x in &per_head {
        assert!((x - per_head[0]).abs() < 1e-6 * per_head[0], "{x} vs {}", per_head[0]);
    }
    let per_member = |undernourished: bool| -> f64 {
        let (mut g, mut n) = (0.0, 0.0);
        for ((gi, h), m) in got.iter().zip(&heads).zip(&members) {
            if (h > m) == undernourished {
                g += gi;
                n += m;
            }
        }
        g / n
    };
    assert!(per_member(true) > per_member(false));
}
