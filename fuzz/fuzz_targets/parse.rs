//! Arbitrary bytes as a scenario file: parsing and validation must never panic, and an accepted
//! scenario small enough to run must run without panicking and keep its basic invariants.
#![no_main]

use libfuzzer_sys::fuzz_target;

include!("common.rs");

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(s) = siege::scenario::parse("fuzz.toml", text, &[]) {
        if let Err(e) = check_small_run(&s) {
            panic!("{e}");
        }
    }
});
