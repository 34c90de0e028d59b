//! ISO calendar dates (proleptic Gregorian; Howard Hinnant's civil algorithms): labels of days,
//! and the calendar dates a scenario may write for a day once `simulation.start_date` is given
//! ([`dates_to_days`]).

use toml::{Table, Value};

/// Every key that takes a day index, as a key path with `*` for any element of an array. Each
/// also takes a calendar date when `simulation.start_date` is given: [`dates_to_days`] turns it
/// into the day index before the file is read further.
pub const DAY_KEYS: &[&str] = &[
    "food.rations.*.from_day",
    "disease.measles.outbreak_day",
    "siege.start_day",
    "siege.end_day",
    "events.*.day",
    "airdrops.*.day",
    "airdrops.*.until_day",
    "airdrop_plan.first_day",
    "convoys.*.day",
    "convoys.*.until_day",
    "checkpoints.*.windows.*.from_day",
    "checkpoints.*.windows.*.until_day",
    "evacuations.*.from_day",
    "evacuations.*.until_day",
    "climate.*.from_day",
    "activity.*.from_day",
    "stores.*.spread_until_day",
    "rations.*.from_day",
];

/// The numbers of an `[[uncertain]]` entry that are values of its `key` (not widths, as `sd` and
/// `sigma` are): written as dates when that key is one of [`DAY_KEYS`].
pub const UNCERTAIN_POINTS: &[&str] = &["low", "high", "mode", "mean", "median"];

/// Whether `path`, a key path as `--set` names it (an element by index or id, `[0]` or `.0`), is
/// one of [`DAY_KEYS`].
pub fn is_day_key(path: &str) -> bool {
    let path = super::overrides::dotted(path.trim());
    let segments: Vec<&str> = path.split('.').collect();
    DAY_KEYS.iter().any(|pattern| {
        let pattern: Vec<&str> = pattern.split('.').collect();
        pattern.len() == segments.len() && pattern.iter().zip(&segments).all(|(p, s)| *p == "*" || p == s)
    })
}

/// Day 0 of a scenario, for turning dates into days.
#[derive(Clone, Copy)]
enum Start {
    /// `simulation.start_date`, as days since 1970-01-01.
    On(i64),
    Missing,
    /// Given, but not a date (`[simulation]`'s own check says so).
    Invalid,
}

impl Start {
    /// Day 0 from `simulation.start_date` as text, if given.
    fn of(start_date: Option<&str>) -> Self {
        match start_date {
            None => Start::Missing,
            Some(t) => parse_iso(t).map_or(Start::Invalid, Start::On),
        }
    }
}

/// The day index `value`, written for a day key, stands for in a scenario whose
/// `simulation.start_date` is `start_date`: as [`dates_to_days`] turns it, with the same problems.
/// `None` for a value that is not a date.
pub fn day_of(value: &Value, start_date: Option<&str>) -> Option<Result<i64, String>> {
    date_as_day(value, Start::of(start_date))
}

/// The day index a day key's value stands for, when it is written as a date: `None` for a value
/// that is not a date or a string (a day number, or a wrong type that deserialisation reports). A
/// date is a TOML date (`1941-11-20`) or a string (`"1941-11-20"`).
fn date_as_day(value: &Value, start: Start) -> Option<Result<i64, String>> {
    let text = match value {
        Value::Datetime(d) if d.date.is_none() || d.time.is_some() || d.offset.is_some() => {
            return Some(Err(format!("expected a day number or a date without a time, got {d}")));
        }
        Value::Datetime(d) => d.to_string(),
        Value::String(s) => s.clone(),
        _ => return None,
    };
    let Some(date) = parse_iso(&text) else {
        return Some(Err(format!(
            "expected a day number or a date like \"1941-11-20\", got {:?}",
            super::shorten(&text, 40)
        )));
    };
    Some(match start {
        Start::On(start) if date < start => Err(format!(
            "{text} is before simulation.start_date {} (day 0)",
            format_iso(start)
        )),
        Start::On(start) => Ok(date - start),
        Start::Missing => Err(format!(
            "the date {text} needs simulation.start_date (the date of day 0): give it, or write the day number"
        )),
        Start::Invalid => Err(format!(
            "the date {text} cannot be turned into a day: simulation.start_date is not a valid date"
        )),
    })
}

/// Turns every date written for a [`DAY_KEYS`] key of `table` into its day index, in place (and
/// `simulation.start_date` written as a TOML date into its text), and so the [`UNCERTAIN_POINTS`]
/// of each `[[uncertain]]` entry whose `key` is a day key. Returns each problem as (key path,
/// message); its key is set to day 0 so that the rest of the file is still checked.
pub fn dates_to_days(table: &mut Table) -> Vec<(String, String)> {
    let start_date = table.get_mut("simulation").and_then(|s| s.get_mut("start_date"));
    if let Some(v) = start_date
        && let Value::Datetime(d) = v
        && d.date.is_some()
        && d.time.is_none()
        && d.offset.is_none()
    {
        *v = Value::String(d.to_string());
    }
    let start = match table.get("simulation").and_then(|s| s.get("start_date")) {
        None => Start::Missing,
        // Not text: not a date ([simulation]'s own check says so).
        Some(v) => Start::of(Some(v.as_str().unwrap_or_default())),
    };
    let mut problems = Vec::new();
    let mut to_day = |path: String, v: &mut Value| {
        if let Some(day) = date_as_day(v, start) {
            *v = Value::Integer(*day.as_ref().unwrap_or(&0));
            if let Err(message) = day {
                problems.push((path, message));
            }
        }
    };
    for pattern in DAY_KEYS {
        let segments: Vec<&str> = pattern.split('.').collect();
        let (first, rest) = segments.split_first().expect("a key path has a segment");
        if let Some(v) = table.get_mut(*first) {
            visit(v, rest, first.to_string(), &mut to_day);
        }
    }
    let mut not_days = Vec::new();
    if let Some(Value::Array(entries)) = table.get_mut("uncertain") {
        for (i, entry) in entries.iter_mut().enumerate() {
            let Value::Table(entry) = entry else { continue };
            let key = entry.get("key").and_then(Value::as_str).unwrap_or_default().to_string();
            for point in UNCERTAIN_POINTS {
                let path = format!("uncertain.{i}.{point}");
                let Some(v) = entry.get_mut(*point) else { continue };
                if is_day_key(&key) {
                    to_day(path, v);
                } else if matches!(v, Value::Datetime(_)) || v.as_str().is_some_and(|t| parse_iso(t).is_some()) {
                    *v = Value::Integer(0);
                    not_days.push((
                        path,
                        format!(
                            "a date, but `{}` does not take a day: write a number (the keys that take a day say \"day or date\" in docs/scenario.md)",
                            super::shorten(&key, 100)
                        ),
                    ));
                }
            }
        }
    }
    problems.extend(not_days);
    problems
}

/// Calls `f` with the path and value of every key under `node` that `segments` names (`*`: every
/// element of an array).
fn visit(node: &mut Value, segments: &[&str], path: String, f: &mut impl FnMut(String, &mut Value)) {
    let Some((seg, rest)) = segments.split_first() else {
        return f(path, node);
    };
    match (node, *seg) {
        (Value::Array(items), "*") => {
            for (i, item) in items.iter_mut().enumerate() {
                visit(item, rest, format!("{path}.{i}"), f);
            }
        }
        (Value::Table(t), key) => {
            if let Some(v) = t.get_mut(key) {
                visit(v, rest, format!("{path}.{key}"), f);
            }
        }
        _ => {}
    }
}

/// Days since 1970-01-01 of an ISO `YYYY-MM-DD` date, if valid.
pub fn parse_iso(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let (y, m, d) = (
        it.next()?.parse::<i64>().ok()?,
        it.next()?.parse::<u32>().ok()?,
        it.next()?.parse::<u32>().ok()?,
    );
    if it.next().is_some() || s.len() != 10 || !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// ISO date `day` days after `start` (days since the epoch).
pub fn format_iso(epoch_days: i64) -> String {
    let (y, m, d) = civil_from_days(epoch_days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The calendar month (1–12) of a day given as days since 1970-01-01.
pub fn month_of(epoch_days: i64) -> u32 {
    civil_from_days(epoch_days).1
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn round_trips_and_adds_days() {
        let d = parse_iso("2020-10-06").unwrap();
        assert_eq!(format_iso(d), "2020-10-06");
        assert_eq!(format_iso(d + 16), "2020-10-22");
        assert_eq!(format_iso(d + 26), "2020-11-01");
        assert_eq!(format_iso(parse_iso("2024-02-28").unwrap() + 1), "2024-02-29");
        assert!(parse_iso("2020-02-30").is_none());
        assert!(parse_iso("6 Oct 2020").is_none());
    }

    /// A scenario with every kind of day key, written as `{…}` placeholders for the value.
    const DATED: &str = r#"
[simulation]
name = "t"
days = 120
{start}
[food]
[[food.rations]]
from_day = {a}
under5_kcal = 1
child_kcal = 1
adult_kcal = 1
[siege]
start_day = {b}
end_day = {c}
[disease.measles]
outbreak_day = {a}
[[events]]
day = {b}
kind = "killing"
n = 1
[[airdrops]]
day = {a}
every_days = 7
until_day = {c}
tonnes = 1
[[checkpoints]]
id = "cp"
[[checkpoints.windows]]
from_day = {a}
until_day = {c}
[[convoys]]
day = {a}
route = ["cp"]
tonnes = 1
[[evacuations]]
from = "home"
from_day = {a}
until_day = {b}
people_per_day = 1
[[climate]]
from_day = {b}
mean_temperature_c = 0
[[activity]]
from_day = {a}
level = "moderate"
"#;

    fn dated(start: &str, a: &str, b: &str, c: &str) -> String {
        DATED
            .replace("{start}", start)
            .replace("{a}", a)
            .replace("{b}", b)
            .replace("{c}", c)
    }

    /// Dates, as TOML dates or strings, give the same scenario as the day numbers they stand for.
    #[test]
    fn dates_are_the_days_they_fall_on() {
        let by_day = dated("start_date = \"1941-11-20\"", "3", "41", "100");
        // 1941-11-20 + 3 = 23 Nov; + 41 = 31 Dec; + 100 = 28 Feb 1942.
        let by_date = dated("start_date = 1941-11-20", "1941-11-23", "\"1941-12-31\"", "1942-02-28");
        let json = |text: &str| {
            let sc = crate::scenario::parse("t.toml", text, &[]).unwrap_or_else(|e| panic!("{e}"));
            serde_json::to_string(sc.as_written()).unwrap()
        };
        assert_eq!(json(&by_day), json(&by_date));
        assert!(json(&by_date).contains("\"start_date\":\"1941-11-20\""));
        // --set too, as a TOML date or a string.
        let sc = crate::scenario::parse(
            "t.toml",
            &by_day,
            &[
                ("siege.end_day".into(), "1942-02-27".into()),
                ("events.0.day".into(), "\"1941-12-01\"".into()),
            ],
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(sc.siege().end_day, Some(99));
        assert_eq!(sc.events()[0].day, 11);
    }

    /// Every wrong date is reported at once, each at its line and key path; a day past the horizon
    /// is given as a date too.
    #[test]
    fn wrong_dates_are_reported_together() {
        let text = dated(
            "start_date = \"1941-11-20\"",
            "1941-11-19",
            "\"20 Nov 1941\"",
            "1942-03-20T10:00:00",
        )
        .replace(
            "[[climate]]\nfrom_day = \"20 Nov 1941\"",
            "[[climate]]\nfrom_day = 1942-03-20",
        );
        let err = crate::scenario::parse("t.toml", &text, &[]).unwrap_err();
        let shown = err.to_string();
        let has = |key: &str, words: &str| {
            err.problems
                .iter()
                .any(|p| p.key == key && p.line.is_some() && p.message.contains(words))
        };
        assert!(
            has(
                "food.rations.0.from_day",
                "1941-11-19 is before simulation.start_date 1941-11-20"
            ),
            "{shown}"
        );
        assert!(has("events.0.day", "expected a day number or a date like"), "{shown}");
        assert!(has("siege.end_day", "without a time"), "{shown}");
        assert!(
            has("climate.0.from_day", "day 120 (1942-03-20) is outside the horizon"),
            "{shown}"
        );
        assert!(shown.contains("t.toml:8: `food.rations.0.from_day`"), "{shown}");
        // Each once: day 0 stands in for a wrong date, and nothing is said about it again.
        let once = |key: &str| err.problems.iter().filter(|p| p.key == key).count() == 1;
        assert!(once("food.rations.0.from_day") && once("siege.end_day"), "{shown}");
        // Without start_date, a date is an error, and a --set date is the flag's.
        let text = dated("", "1941-11-23", "41", "100");
        let err =
            crate::scenario::parse("t.toml", &text, &[("siege.end_day".into(), "1942-01-01".into())]).unwrap_err();
        let shown = err.to_string();
        assert_eq!(err.problems.len(), 8, "{shown}");
        assert!(shown.contains("t.toml:16: `disease.measles.outbreak_day`"), "{shown}");
        assert!(
            has_message(&err, "siege.end_day", "write the day number (value given by --set)"),
            "{shown}"
        );
        assert!(
            has_message(&err, "airdrops.0.day", "needs simulation.start_date"),
            "{shown}"
        );
    }

    fn has_message(err: &crate::scenario::ScenarioError, key: &str, words: &str) -> bool {
        err.problems.iter().any(|p| p.key == key && p.message.contains(words))
    }
}
