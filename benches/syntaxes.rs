//! Microseconds per line of syntax highlighting, per language, for each syntax set fanzine could use: the one it
//! uses (`two-face`, the `bat` project's set), syntect's own defaults, and the set Zola 0.21 ships (read out of
//! its binary when `../shared/peers/zola-0.21` is there). Issue 16 asks to choose per language on speed and
//! quality; this prints what that choice rests on.
//!
//! The code is every distinct fenced block of a corpus (`CORPUS=dir` of Markdown files; by default 1,000 posts of
//! `../shared/bench/make-corpus.py`), highlighted once per pass by each set in turn, on one thread, the sets
//! interleaved so that the machine's noise falls on all of them alike; the median of `PASSES` passes is printed.
//! "same" is the share of blocks whose highlighted HTML is byte-identical to the two-face set's: where it is below
//! 100%, a reader would see other colours.
//!
//! Run: `cargo bench --bench syntaxes` (`PASSES=7 CORPUS=/path/to/site/content`; `SHOW=go` also prints the
//! shortest block of that language as each set highlights it, to see what differs).
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use syntect::html::{ClassStyle, ClassedHTMLGenerator};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

fn main() {
    let passes: usize = std::env::var("PASSES").ok().and_then(|p| p.parse().ok()).unwrap_or(5);
    let blocks = code_blocks(&corpus());
    let mut sets: Vec<(&str, SyntaxSet)> =
        vec![("two-face", two_face::syntax::extra_newlines()), ("syntect", SyntaxSet::load_defaults_newlines())];
    if let Some(zola) = zola_set() {
        sets.push(("zola-0.21", zola));
    }
    println!(
        "{} sets, {} languages, {passes} passes, medians; µs per line (same: HTML identical to two-face's)",
        sets.len(),
        blocks.len()
    );
    print!("{:<12} {:>7} {:>6}", "language", "blocks", "lines");
    for (name, _) in &sets {
        print!(" {name:>22}");
    }
    println!();
    for (language, code) in &blocks {
        let lines: usize = code.iter().map(|c| c.lines().count()).sum();
        let mut times: Vec<Vec<Duration>> = vec![Vec::new(); sets.len()];
        let mut html: Vec<Option<Vec<String>>> = vec![None; sets.len()];
        for _ in 0..passes {
            for (i, (_, set)) in sets.iter().enumerate() {
                let start = Instant::now();
                let out = highlight_all(set, language, code);
                times[i].push(start.elapsed());
                html[i] = out;
            }
        }
        if std::env::var("SHOW").is_ok_and(|show| show == *language) {
            show_shortest(&sets, &html, code);
        }
        print!("{language:<12} {:>7} {lines:>6}", code.len());
        for (i, _) in sets.iter().enumerate() {
            let Some(out) = &html[i] else {
                print!(" {:>22}", "no syntax");
                continue;
            };
            times[i].sort();
            let median = times[i][times[i].len() / 2];
            let same = match &html[0] {
                Some(ours) => ours.iter().zip(out).filter(|(a, b)| a == b).count() * 100 / code.len().max(1),
                None => 0,
            };
            let us = median.as_secs_f64() * 1e6 / lines.max(1) as f64;
            print!(" {:>22}", format!("{us:.1} µs, same {same}%"));
        }
        println!();
    }
}

/// The shortest block of a language, as each set highlighted it.
fn show_shortest(sets: &[(&str, SyntaxSet)], html: &[Option<Vec<String>>], code: &[String]) {
    let Some(shortest) = (0..code.len()).min_by_key(|&b| code[b].len()) else { return };
    for ((name, _), out) in sets.iter().zip(html) {
        let shown = out.as_ref().map_or("no syntax", |out| out[shortest].as_str());
        println!("--- {name}\n{shown}");
    }
}

/// Each block highlighted to HTML with the language's syntax of `set`, or `None` when the set has none.
fn highlight_all(set: &SyntaxSet, language: &str, code: &[String]) -> Option<Vec<String>> {
    let syntax = set.find_syntax_by_token(language)?;
    let out = code
        .iter()
        .map(|block| {
            let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, set, ClassStyle::Spaced);
            for line in LinesWithEndings::from(block) {
                html.parse_html_for_line_which_includes_newline(line).expect("syntect parses every line");
            }
            html.finalize()
        })
        .collect();
    Some(out)
}

/// The Markdown folder to read: `CORPUS`, or 1,000 synthetic posts made once under the target folder.
fn corpus() -> PathBuf {
    if let Ok(dir) = std::env::var("CORPUS") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/bench-syntaxes-corpus");
    if !out.join("content").is_dir() {
        let script = root.join("../shared/bench/make-corpus.py");
        let status = std::process::Command::new("python3")
            .arg(&script)
            .args(["--posts", "1000", "--seed", "1", "--flavor", "plain", "--force", "--out"])
            .arg(&out)
            .status()
            .expect("python3 runs make-corpus.py");
        assert!(status.success(), "{} failed; set CORPUS to a folder of Markdown instead", script.display());
    }
    out.join("content")
}

/// Every distinct fenced block by its info string's language, in name order. Distinct, so that no set gains from
/// the synthetic corpus's repetitions.
fn code_blocks(dir: &Path) -> BTreeMap<String, Vec<String>> {
    let mut blocks: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("the corpus can be read");
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).expect("the corpus is UTF-8");
        let mut open: Option<(String, String)> = None;
        for line in text.lines() {
            match (&mut open, line.strip_prefix("```")) {
                (None, Some(info)) if !info.trim().is_empty() => {
                    let language = info.split([',', ' ']).next().unwrap_or_default().to_string();
                    open = Some((language, String::new()));
                }
                (Some(_), Some("")) => {
                    let (language, code) = open.take().expect("a block is open");
                    blocks.entry(language).or_default().insert(code);
                }
                (Some((_, code)), _) => {
                    code.push_str(line);
                    code.push('\n');
                }
                _ => {}
            }
        }
    }
    blocks.into_iter().map(|(language, code)| (language, code.into_iter().collect())).collect()
}

/// Zola 0.21's syntax set, as its binary carries it: a zlib stream of syntect's serialised `SyntaxSet`, whose
/// first syntax is "Plain Text". Found by inflating the start of each zlib header's stream and reading the one
/// that begins so (the themes, which follow, begin otherwise).
fn zola_set() -> Option<SyntaxSet> {
    let binary = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peers/zola-0.21");
    let bytes = std::fs::read(&binary).ok()?;
    let begins_as_a_syntax_set = |at: usize| {
        let mut head = [0u8; 64];
        let mut inflate = flate2::Decompress::new(true);
        let ok = inflate.decompress(&bytes[at..], &mut head, flate2::FlushDecompress::None).is_ok();
        ok && head.windows(10).any(|w| w == b"Plain Text")
    };
    let at = (0..bytes.len().saturating_sub(2))
        .filter(|&i| bytes[i] == 0x78 && matches!(bytes[i + 1], 0x01 | 0x5e | 0x9c | 0xda))
        .find(|&i| begins_as_a_syntax_set(i))?;
    syntect::dumps::from_reader(&bytes[at..]).ok()
}
