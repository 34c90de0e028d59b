//! ISO calendar dates for labelling days (proleptic Gregorian; Howard Hinnant's civil algorithms).

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
}
