//! A fenced block's info string: its language, then Zola's comma-separated annotations
//! (```` ```rust,linenos,linenostart=10,hl_lines=1 3-5,hide_lines=2,name=main.rs ````), so that a Zola site's code
//! blocks render as their author meant.
//!
//! Where Zola is quiet fanzine speaks: an annotation it does not know is a warning with a suggestion (Zola takes a
//! misspelt `linenoss` for the language), and a line range that cannot mean anything (`hl_lines=5-2`,
//! `linenostart=x`) is an error, since the author asked for something and would silently not get it.
use crate::error::did_you_mean;
use std::ops::RangeInclusive;

/// The annotations fanzine knows, for suggestions.
const KNOWN: &[&str] = &["linenos", "linenostart", "hl_lines", "hide_lines", "name", "copy"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence<'a> {
    pub lang: Option<&'a str>,
    pub linenos: bool,
    pub linenostart: usize,
    /// Lines of the block (counted from 1, before hiding) shown in `<mark>`.
    pub hl_lines: Vec<RangeInclusive<usize>>,
    /// Lines of the block left out of the output (still highlighted, so the lines after them keep their colours).
    pub hide_lines: Vec<RangeInclusive<usize>>,
    pub name: Option<&'a str>,
    pub copy: bool,
}

/// Something wrong with an annotation: `at` is its byte offset in the info string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub at: usize,
    pub error: bool,
    pub message: String,
    pub hint: String,
}

impl Fence<'_> {
    /// Whether the block is laid out line by line (a table, marks or hidden lines) rather than as one run of HTML.
    pub fn by_line(&self) -> bool {
        self.linenos || !self.hl_lines.is_empty() || !self.hide_lines.is_empty()
    }

    pub fn highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|r| r.contains(&line))
    }

    pub fn hidden(&self, line: usize) -> bool {
        self.hide_lines.iter().any(|r| r.contains(&line))
    }
}

/// Reads an info string. The language is its first word, as before annotations existed (`rust {.x}` is `rust`);
/// annotations follow the first comma.
pub fn parse(info: &str) -> (Fence<'_>, Vec<Problem>) {
    let mut fence = Fence {
        lang: None,
        linenos: false,
        linenostart: 1,
        hl_lines: Vec::new(),
        hide_lines: Vec::new(),
        name: None,
        copy: false,
    };
    let mut problems = Vec::new();
    let (first, rest) = info.split_once(',').unwrap_or((info, ""));
    let first_is_annotation = first.contains('=') || KNOWN.contains(&first.trim());
    if !first_is_annotation {
        fence.lang = first.split([' ', '{']).next().filter(|l| !l.is_empty());
    }
    let mut offset = if first_is_annotation { 0 } else { first.len() + 1 };
    let tokens = if first_is_annotation { info } else { rest };
    for token in tokens.split(',') {
        let start = offset + (token.len() - token.trim_start().len());
        offset += token.len() + 1;
        let token = token.trim();
        if !token.is_empty() {
            annotation(&mut fence, token, start, &mut problems);
        }
    }
    (fence, problems)
}

fn annotation<'a>(fence: &mut Fence<'a>, token: &'a str, at: usize, problems: &mut Vec<Problem>) {
    let (key, value) = match token.split_once('=') {
        Some((key, value)) => (key.trim(), Some(value.trim())),
        None => (token, None),
    };
    let value_at = at + token.find('=').map_or(0, |i| i + 1);
    let mut problem = |at: usize, error: bool, message: String, hint: &str| {
        problems.push(Problem { at, error, message, hint: hint.to_string() })
    };
    match (key, value) {
        ("linenos", None) => fence.linenos = true,
        ("copy", None) => fence.copy = true,
        ("linenostart", Some(v)) => match v.parse::<usize>() {
            Ok(n) => fence.linenostart = n,
            Err(_) => problem(
                value_at,
                true,
                format!("linenostart must be a line number, not `{v}`"),
                "give the number of the block's first line, such as linenostart=10",
            ),
        },
        ("hl_lines" | "hide_lines", Some(v)) => {
            let ranges = if key == "hl_lines" { &mut fence.hl_lines } else { &mut fence.hide_lines };
            let mut offset = value_at;
            for part in v.split(' ') {
                match range(part) {
                    Ok(Some(r)) => ranges.push(r),
                    Ok(None) => {}
                    Err((message, hint)) => problem(offset, true, format!("{key}: {message}"), &hint),
                }
                offset += part.len() + 1;
            }
        }
        ("name", Some(v)) if !v.is_empty() => fence.name = Some(v),
        ("name" | "linenostart" | "hl_lines" | "hide_lines", _) => problem(
            at,
            false,
            format!("code block annotation `{key}` needs a value; it is ignored"),
            &format!("write it as {key}=…, such as {}", example(key)),
        ),
        ("linenos" | "copy", Some(_)) => problem(
            at,
            false,
            format!("code block annotation `{key}` takes no value; it is ignored"),
            &format!("write `{key}` alone"),
        ),
        (key, _) => {
            let hint = match did_you_mean(key, KNOWN.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("known annotations: {}", KNOWN.join(", ")),
            };
            problem(at, false, format!("unknown code block annotation `{key}`; it is ignored"), &hint);
        }
    }
}

fn example(key: &str) -> &'static str {
    match key {
        "name" => "name=main.rs",
        "linenostart" => "linenostart=10",
        _ => "hl_lines=1 3-5",
    }
}

/// One line number or `from-to` range; `Ok(None)` for the empty word that a double space leaves.
fn range(part: &str) -> Result<Option<RangeInclusive<usize>>, (String, String)> {
    if part.is_empty() {
        return Ok(None);
    }
    let line = |s: &str| s.trim().parse::<usize>().ok().filter(|&n| n > 0);
    let bad = || {
        (
            format!("`{part}` is not a line number or a range of lines"),
            "give line numbers (counted from 1) or ranges separated by spaces, such as hl_lines=1 3-5".to_string(),
        )
    };
    match part.split_once('-') {
        None => line(part).map(|n| Some(n..=n)).ok_or_else(bad),
        Some((from, to)) => {
            let (from, to) = line(from).zip(line(to)).ok_or_else(bad)?;
            if to < from {
                return Err((
                    format!("the range `{part}` runs backwards"),
                    format!("write the smaller line first: {to}-{from}"),
                ));
            }
            Ok(Some(from..=to))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_annotation_is_read() {
        let (fence, problems) = parse("rust,linenos,linenostart=10,hl_lines=1 3-5,hide_lines=2,name=main.rs,copy");
        assert_eq!(problems, []);
        assert_eq!(fence.lang, Some("rust"));
        assert!(fence.linenos && fence.copy && fence.by_line());
        assert_eq!(fence.linenostart, 10);
        assert_eq!(fence.hl_lines, [1..=1, 3..=5]);
        assert_eq!(fence.hide_lines, [2..=2]);
        assert_eq!(fence.name, Some("main.rs"));
        assert!(fence.highlighted(4) && !fence.highlighted(2) && fence.hidden(2));
    }

    #[test]
    fn a_plain_info_string_is_only_a_language() {
        for info in ["rust", "rust {.class}", "rust title"] {
            let (fence, problems) = parse(info);
            assert_eq!((fence.lang, fence.by_line(), problems.len()), (Some("rust"), false, 0), "{info}");
        }
        let (fence, _) = parse(",name=x.txt");
        assert_eq!((fence.lang, fence.name), (None, Some("x.txt")));
        let (fence, _) = parse("linenos");
        assert_eq!((fence.lang, fence.linenos), (None, true));
    }

    #[test]
    fn unknown_annotations_are_warnings_with_a_suggestion_and_their_offset() {
        let (fence, problems) = parse("rust,linenoss, bogus=1");
        assert_eq!(fence.lang, Some("rust"));
        assert!(!fence.linenos);
        assert_eq!(problems.len(), 2);
        assert!(!problems[0].error && problems[0].at == 5, "{problems:?}");
        assert_eq!(problems[0].hint, "did you mean `linenos`?");
        assert_eq!(problems[1].at, 15);
        assert!(problems[1].hint.starts_with("known annotations"), "{problems:?}");
    }

    #[test]
    fn malformed_ranges_are_errors_at_the_range() {
        let (fence, problems) = parse("rust,hl_lines=1 5-2 x,linenostart=ten");
        assert_eq!(fence.hl_lines, [1..=1]);
        assert_eq!(fence.linenostart, 1);
        assert_eq!(problems.len(), 3, "{problems:?}");
        assert!(problems.iter().all(|p| p.error));
        assert_eq!((problems[0].at, problems[0].hint.as_str()), (16, "write the smaller line first: 2-5"));
        assert_eq!(problems[1].at, 20);
        assert_eq!(problems[2].at, 34);
        assert!(problems[2].message.contains("`ten`"));
        assert!(parse("rust,hl_lines=0").1[0].error, "lines count from 1");
    }
}
