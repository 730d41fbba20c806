//! The claim scenario parser: TOML with a schema, defaults and sweeps. Any text must give scenarios or an error
//! whose line is in the text; never a panic. Only parsing: running a simulation is bounded by the scenario's size,
//! not by the input's, and belongs to the engine's own tests.
#![no_main]
use fanzine::claims::{Scenario, ScenarioError};
use libfuzzer_sys::fuzz_target;

/// A sweep expands one table per value, so the input's size bounds the work; 16 KiB keeps it quick.
const MAX_LEN: usize = 16 * 1024;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > MAX_LEN {
        return;
    }
    if let Err(ScenarioError::Toml { line: Some(line), message, .. }) = Scenario::expand(text) {
        let lines = text.lines().count().max(1) + 1;
        assert!((1..=lines).contains(&line), "line {line} of a {lines}-line scenario: {message}");
    }
});
