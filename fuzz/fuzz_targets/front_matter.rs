//! Front matter, split from the body and parsed as TOML or YAML: any text must give a post or diagnostics that
//! point at a line of the file, never a panic.
#![no_main]
use fanzine::content::front_matter;
use libfuzzer_sys::fuzz_target;

/// Posts are read whole; 64 KiB is far beyond any front matter and keeps each run well under libFuzzer's timeout.
const MAX_LEN: usize = 64 * 1024;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if text.len() > MAX_LEN {
        return;
    }
    let lines = text.lines().count().max(1) + 1;
    let result = front_matter::split("content/fuzz.md", text)
        .map_err(|d| vec![d])
        .and_then(|split| front_matter::parse("content/fuzz.md", &split).map(|(_, warnings)| warnings));
    let diagnostics = match result {
        Ok(warnings) => warnings,
        Err(errors) => errors,
    };
    for d in diagnostics {
        if let Some(line) = d.location.and_then(|l| l.line) {
            assert!((1..=lines).contains(&line), "line {line} of a {lines}-line file: {}", d.message);
        }
    }
});
