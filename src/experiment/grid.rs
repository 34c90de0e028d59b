//! Sweep grids: `--vary KEY=SPEC` with SPEC `a..b` (inclusive), `a..b:step` or `v1,v2,...`.
//! Ranges are stepped exactly in decimal (0..1:0.1 gives 11 points, 0.3 is written 0.3), and
//! refused when empty, when the step is zero or negative, or when the grid is absurdly large. A
//! range of dates (`1941-11-20..1941-12-20:5`, a step in whole days) is the list of its dates:
//! each grid point's date is turned into its day as any date of the scenario is
//! (`scenario::date::dates_to_days`, which needs `simulation.start_date`).

use toml::Value;

/// Most values one key may take.
pub const MAX_VALUES_PER_KEY: usize = 10_000;
/// Most points a grid may have.
pub const MAX_POINTS: usize = 1_000_000;

/// One varied key and its values.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub key: String,
    pub values: Vec<Value>,
}

/// The full grid: every combination of the axes' values, the last axis varying fastest.
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    pub axes: Vec<Axis>,
}

impl Grid {
    pub fn new(axes: Vec<Axis>) -> Result<Self, String> {
        let mut n: usize = 1;
        for a in &axes {
            if axes.iter().filter(|b| b.key == a.key).count() > 1 {
                return Err(format!("--vary {} is given twice", a.key));
            }
            n = n
                .checked_mul(a.values.len())
                .filter(|&n| n <= MAX_POINTS)
                .ok_or_else(|| {
                    format!("the grid has more than {MAX_POINTS} points; vary fewer keys or fewer values")
                })?;
        }
        Ok(Grid { axes })
    }

    pub fn len(&self) -> usize {
        self.axes.iter().map(|a| a.values.len()).product()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The values of point `i` (one per axis).
    pub fn point(&self, i: usize) -> Vec<&Value> {
        let lens: Vec<usize> = self.axes.iter().map(|a| a.values.len()).collect();
        point_indices(&lens, i)
            .into_iter()
            .zip(&self.axes)
            .map(|(j, a)| &a.values[j])
            .collect()
    }
}

/// The dates of a grid's day axes that no grid point can take (before `simulation.start_date`,
/// or without one): found once for the whole grid, so that each axis's are reported once, naming
/// the flag they came from, and not again at every grid point that has one.
pub struct BadDates {
    /// Per axis: (value, why it is no day).
    per_axis: Vec<Vec<(Value, String)>>,
}

impl BadDates {
    /// The bad dates of `grid`'s axes that are day keys, in a scenario starting on `start_date`.
    pub fn of(grid: &Grid, start_date: Option<&str>) -> Self {
        use crate::scenario::date::{day_of, is_day_key};
        let per_axis = grid
            .axes
            .iter()
            .map(|a| {
                a.values
                    .iter()
                    .filter(|_| is_day_key(&a.key))
                    .filter_map(|v| Some((v.clone(), day_of(v, start_date)?.err()?)))
                    .collect()
            })
            .collect();
        BadDates { per_axis }
    }

    /// Whether grid point `values` (one per axis) has one of them.
    pub fn at(&self, values: &[&Value]) -> bool {
        self.per_axis
            .iter()
            .zip(values)
            .any(|(bad, v)| bad.iter().any(|(b, _)| b == *v))
    }

    /// One problem per axis with bad dates: `FLAG KEY: why the first is no day; the same for …`.
    pub fn problems(&self, grid: &Grid, flag: &str) -> Vec<String> {
        const SHOWN: usize = 5;
        let text = |v: &Value| match v {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        grid.axes
            .iter()
            .zip(&self.per_axis)
            .filter_map(|(axis, bad)| {
                let ((_, why), rest) = bad.split_first()?;
                let mut others: Vec<String> = rest.iter().take(SHOWN).map(|(v, _)| text(v)).collect();
                if rest.len() > SHOWN {
                    others.push(format!("{} more", rest.len() - SHOWN));
                }
                let more = match others.len() {
                    0 => String::new(),
                    1 => format!("; the same for {}", others[0]),
                    n => format!("; the same for {} and {}", others[..n - 1].join(", "), others[n - 1]),
                };
                Some(format!("{flag} {}: {why}{more}", axis.key))
            })
            .collect()
    }
}

/// The position in each axis (of these lengths) of grid point `i`, the last axis varying fastest.
pub fn point_indices(lens: &[usize], mut i: usize) -> Vec<usize> {
    let mut out = vec![0; lens.len()];
    for (k, &n) in lens.iter().enumerate().rev() {
        out[k] = i % n;
        i /= n;
    }
    out
}

/// Parses `KEY=SPEC`.
pub fn parse_vary(arg: &str) -> Result<Axis, String> {
    let (key, spec) = arg
        .split_once('=')
        .filter(|(k, _)| !k.trim().is_empty())
        .ok_or_else(|| format!("--vary `{arg}` is not of the form KEY=SPEC (e.g. airdrop_plan.first_day=2..16)"))?;
    crate::scenario::overrides::check_key_path(key.trim()).map_err(|e| format!("--vary: {e}"))?;
    if key.trim() == "simulation" || key.trim().starts_with("simulation.") {
        return Err(format!(
            "--vary {}: `[simulation]` keys (name, seed, days, replicates, start_date) are the whole sweep's, \
             the same at every grid point; set them with --set, --seed or --replicates, or run separate sweeps",
            key.trim()
        ));
    }
    let values = parse_spec(spec.trim()).map_err(|e| format!("--vary {}: {e}", key.trim()))?;
    Ok(Axis {
        key: crate::scenario::overrides::dotted(key.trim()),
        values,
    })
}

/// Expands one SPEC into its values.
pub fn parse_spec(spec: &str) -> Result<Vec<Value>, String> {
    if spec.is_empty() {
        return Err("empty value list".into());
    }
    if let Some((a, rest)) = spec.split_once("..") {
        let (b, step) = match rest.split_once(':') {
            Some((b, s)) => (b, Some(s)),
            None => (rest, None),
        };
        return range(a.trim(), b.trim(), step.map(str::trim));
    }
    let values: Vec<Value> = spec
        .split(',')
        .map(|v| crate::scenario::overrides::parse_value(v.trim()))
        .collect();
    if values.len() > MAX_VALUES_PER_KEY {
        return Err(format!("{} values; at most {MAX_VALUES_PER_KEY} per key", values.len()));
    }
    if spec.split(',').any(|v| v.trim().is_empty()) {
        return Err(format!("`{spec}` has an empty value"));
    }
    Ok(values)
}

/// A decimal number as an integer count of 10^-decimals.
fn decimal(s: &str) -> Result<(i128, u32), String> {
    let bad = || format!("`{s}` is not a number");
    let (neg, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if int.is_empty() && frac.is_empty()
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        || frac.len() > 12
        || int.len() > 15
    {
        return Err(bad());
    }
    let v: i128 = format!("{int}{frac}").parse().map_err(|_| bad())?;
    Ok((if neg { -v } else { v }, frac.len() as u32))
}

/// The dates from `a` to `b` (inclusive), `step` whole days apart, as `--set` would read each
/// (TOML dates); None when neither end is a date.
fn date_range(a: &str, b: &str, step: Option<&str>) -> Option<Result<Vec<Value>, String>> {
    use crate::scenario::date::{format_iso, parse_iso};
    // Written like a date (YYYY-MM-DD), whether or not the date is real.
    let dated = |s: &str| s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    if !dated(a) && !dated(b) {
        return None;
    }
    if let Some(bad) = [a, b].into_iter().find(|s| dated(s) && parse_iso(s).is_none()) {
        return Some(Err(format!("`{bad}` is not a date (YYYY-MM-DD)")));
    }
    let (Some(from), Some(to)) = (parse_iso(a), parse_iso(b)) else {
        return Some(Err(format!(
            "the range from {a} to {b} mixes a date and a number; write both ends as dates or both as day numbers"
        )));
    };
    let by = match step.map(decimal).transpose() {
        Ok(None) => 1,
        Ok(Some((by, 0))) => by,
        _ => {
            return Some(Err(format!(
                "a range of dates steps in whole days, got a step of {}",
                step.unwrap_or("1")
            )));
        }
    };
    Some(count(i128::from(from), i128::from(to), by, (a, b, step)).map(|n| {
        (0..n)
            .map(|i| crate::scenario::overrides::parse_value(&format_iso(from + (i * by) as i64)))
            .collect()
    }))
}

/// How many values a range from `from` to `to` in steps of `by` has (all in one unit, the ends
/// included); its problems name the ends `a`, `b` and the step as written.
fn count(from: i128, to: i128, by: i128, (a, b, step): (&str, &str, Option<&str>)) -> Result<i128, String> {
    let step = step.unwrap_or("1");
    if by <= 0 {
        return Err(format!("the step must be positive, got {step}"));
    }
    if to < from {
        return Err(format!(
            "the range from {a} to {b} is empty (the end is below the start)"
        ));
    }
    let count = (to - from) / by + 1;
    if count > MAX_VALUES_PER_KEY as i128 {
        return Err(format!(
            "the range from {a} to {b} in steps of {step} has {count} values; at most {MAX_VALUES_PER_KEY} per key"
        ));
    }
    if (to - from) % by != 0 {
        return Err(format!(
            "the range from {a} to {b} is not a whole number of steps of {step}; the end would be skipped"
        ));
    }
    Ok(count)
}

fn range(a: &str, b: &str, step: Option<&str>) -> Result<Vec<Value>, String> {
    if let Some(dates) = date_range(a, b, step) {
        return dates;
    }
    let (ai, ad) = decimal(a)?;
    let (bi, bd) = decimal(b)?;
    let (si, sd) = match step {
        Some(s) => decimal(s)?,
        None => (1, 0),
    };
    let d = ad.max(bd).max(sd);
    let scale = |v: i128, from: u32| v * 10i128.pow(d - from);
    let (a_s, b_s, s_s) = (scale(ai, ad), scale(bi, bd), scale(si, sd));
    let count = count(a_s, b_s, s_s, (a, b, step))?;
    Ok((0..count)
        .map(|i| {
            let v = a_s + i * s_s;
            if d == 0 {
                Value::Integer(v as i64)
            } else {
                let p = 10i128.pow(d);
                let text = format!(
                    "{}{}.{:0width$}",
                    if v < 0 { "-" } else { "" },
                    v.abs() / p,
                    v.abs() % p,
                    width = d as usize
                );
                Value::Float(text.parse().expect("a formatted decimal parses"))
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(spec: &str) -> Vec<f64> {
        parse_spec(spec)
            .unwrap()
            .iter()
            .map(|v| v.as_float().or(v.as_integer().map(|i| i as f64)).unwrap())
            .collect()
    }

    #[test]
    fn integer_ranges_are_inclusive() {
        let v = parse_spec("2..16").unwrap();
        assert_eq!(v.len(), 15);
        assert_eq!(v[0], Value::Integer(2));
        assert_eq!(v[14], Value::Integer(16));
        assert_eq!(
            parse_spec("0..10:5").unwrap(),
            vec![Value::Integer(0), Value::Integer(5), Value::Integer(10)]
        );
    }

    #[test]
    fn decimal_steps_are_exact() {
        let v = floats("0..1:0.1");
        assert_eq!(v.len(), 11);
        assert_eq!(v[3], 0.3);
        assert_eq!(v[10], 1.0);
        assert_eq!(floats("0.85..0.97:0.04"), vec![0.85, 0.89, 0.93, 0.97]);
    }

    #[test]
    fn lists_keep_their_types() {
        assert_eq!(
            parse_spec("equal,need,scramble").unwrap()[1],
            Value::String("need".into())
        );
        assert_eq!(floats("1,2.5,4"), vec![1.0, 2.5, 4.0]);
    }

    #[test]
    fn bad_ranges_are_refused() {
        assert!(parse_spec("5..2").unwrap_err().contains("empty"));
        assert!(parse_spec("0..1:0").unwrap_err().contains("positive"));
        assert!(parse_spec("0..1:-0.1").unwrap_err().contains("positive"));
        assert!(parse_spec("0..1000000000").unwrap_err().contains("at most"));
        assert!(parse_spec("0..1:0.3").unwrap_err().contains("whole number of steps"));
        assert!(parse_spec("a..b").is_err());
        assert!(parse_spec("").is_err());
        assert!(parse_spec("1,,2").is_err());
    }

    /// A range of dates is the list of its dates, `step` days apart, read as `--set` reads a date;
    /// its problems are named in dates.
    #[test]
    fn date_ranges_are_lists_of_dates() {
        let v = parse_spec("1941-12-28..1942-01-09:4").unwrap();
        let listed = parse_spec("1941-12-28,1942-01-01,1942-01-05,1942-01-09").unwrap();
        assert_eq!(v, listed);
        assert!(matches!(v[0], Value::Datetime(_)));
        assert_eq!(parse_spec("2024-02-28..2024-03-01").unwrap().len(), 3);
        let refused = |spec: &str, words: &str| {
            let e = parse_spec(spec).unwrap_err();
            assert!(e.contains(words), "{spec}: {e}");
        };
        refused("1941-12-28..1941-12-01", "from 1941-12-28 to 1941-12-01 is empty");
        refused("1941-12-28..1942-01-09:5", "not a whole number of steps of 5");
        refused("1941-12-28..1942-01-09:0.5", "whole days");
        refused("1941-12-28..40", "mixes a date and a number");
        refused("1941-02-30..1941-03-10", "`1941-02-30` is not a date");
    }

    #[test]
    fn grid_points_vary_the_last_axis_fastest() {
        let g = Grid::new(vec![
            Axis {
                key: "a".into(),
                values: parse_spec("1..2").unwrap(),
            },
            Axis {
                key: "b".into(),
                values: parse_spec("10,20,30").unwrap(),
            },
        ])
        .unwrap();
        assert_eq!(g.len(), 6);
        assert_eq!(g.point(4), vec![&Value::Integer(2), &Value::Integer(20)]);
        let big = Axis {
            key: "c".into(),
            values: vec![Value::Integer(0); 5000],
        };
        let big2 = Axis {
            key: "d".into(),
            values: vec![Value::Integer(0); 5000],
        };
        assert!(Grid::new(vec![big, big2]).is_err());
    }
}
