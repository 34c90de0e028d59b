//! The terminal's views of results: the run summary, the sweep table and number formatting.

use super::replicates_text;
use siege::observe::files::{PointRow, outcome_stats};
use siege::observe::{OUTCOMES, SHOWN_OUTCOMES, Summary};
use siege::scenario::Scenario;

/// Median and 90% interval of the key outcomes across replicates.
pub(super) fn terminal_summary(s: &Scenario, summaries: &[Summary]) -> String {
    let mut text = format!(
        "{} — {}, seed {}, {} days: median [5th–95th percentile]\n",
        s.name(),
        replicates_text(summaries.len() as u32),
        s.seed(),
        s.days()
    );
    for (o, d) in OUTCOMES.iter().zip(outcome_stats(summaries.iter())) {
        text.push_str(&format!(
            "  {:<22} {:>12} [{} – {}]\n",
            o.name,
            fmt_num(d.p50),
            fmt_num(d.p05),
            fmt_num(d.p95)
        ));
    }
    text.trim_end().to_string()
}

/// Short human formatting: integers plainly, others with up to 3 significant decimals.
pub(super) fn fmt_num(x: f64) -> String {
    if !x.is_finite() {
        return "–".into();
    }
    if x.abs() >= 1e6 {
        return format!("{:.3e}", x);
    }
    if (x - x.round()).abs() < 1e-9 {
        return format!("{}", x.round() as i64);
    }
    format!("{:.2}", x)
}

/// The terminal view of sweep_summary.csv: the varied values and, for a few key outcomes, the
/// median with its 90% interval and the mean with its 95% CI.
pub(super) fn sweep_table(points: &[PointRow]) -> String {
    let mut lines = Vec::new();
    let mut head: Vec<String> = points
        .first()
        .map(|p| p.values.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    for o in SHOWN_OUTCOMES {
        head.push(format!("{}: median [p05–p95], mean ± 95% CI", o.name()));
    }
    lines.push(head.join(" | "));
    for p in points {
        let mut cells: Vec<String> = p.values.iter().map(|(_, v)| v.cell()).collect();
        for o in SHOWN_OUTCOMES {
            let d = p.stat(o);
            cells.push(format!(
                "{} [{}–{}], {} ± {}",
                fmt_num(d.p50),
                fmt_num(d.p05),
                fmt_num(d.p95),
                fmt_num(d.mean),
                fmt_num((d.ci95_hi - d.ci95_lo) / 2.0)
            ));
        }
        lines.push(cells.join(" | "));
    }
    lines.join("\n")
}
