//! Shared by the property-test suites (`mod common;` in each).

/// How many cases a property test runs: `default`, or `SIEGE_PROPTEST_CASES` for a longer search.
pub fn cases(default: u32) -> u32 {
    std::env::var("SIEGE_PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
