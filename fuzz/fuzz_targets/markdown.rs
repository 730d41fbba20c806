//! The Markdown pipeline (links, code blocks with highlighting, heading anchors, footnotes, summary) with a
//! ```claims block hook that parses the scenario the way a post's experiment would, without running the engine
//! (a simulation takes seconds; its parser is what reads the author's text). No panic, unique heading ids, and
//! diagnostics on lines of the body.
#![no_main]
use fanzine::claims::Scenario;
use fanzine::markdown::{self, Block, BlockError};
use libfuzzer_sys::fuzz_target;

/// Highlighting is linear but not cheap; 32 KiB keeps every input far below libFuzzer's per-input timeout.
const MAX_LEN: usize = 32 * 1024;
const FIRST_LINE: usize = 3;

fn hook(lang: &str, code: &str) -> Option<Result<Block, BlockError>> {
    (lang == "claims").then(|| match Scenario::expand(code) {
        Ok(runs) => Ok(Block { html: format!("<p>{} runs</p>", runs.len()), attachments: vec![] }),
        Err(e) => Err(BlockError { message: e.to_string(), ..BlockError::default() }),
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else { return };
    if body.len() > MAX_LEN {
        return;
    }
    let resolve = |p: &str| (p == "a.md").then(|| "/a/".to_string());
    let options = markdown::Options {
        file: "content/fuzz.md",
        first_line: FIRST_LINE,
        highlight: true,
        resolve: &resolve,
        block_hook: Some(&hook),
    };
    let rendered = markdown::render(body, &options);
    let mut ids: Vec<&str> = rendered.toc.iter().map(|t| t.id.as_str()).collect();
    let headings = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), headings, "duplicate heading ids");
    let last = FIRST_LINE + body.lines().count() + 1;
    for d in &rendered.diagnostics {
        if let Some(line) = d.location.as_ref().and_then(|l| l.line) {
            assert!((FIRST_LINE..=last).contains(&line), "line {line} outside {FIRST_LINE}..={last}: {}", d.message);
        }
    }
});
