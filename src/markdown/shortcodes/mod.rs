//! Zola's shortcodes: calls in a post's text to templates of `templates/shortcodes/`.
//!
//! Done as Zola 0.21 does them, in two steps around the Markdown parser:
//! - [`expand`], before parsing, replaces each call in the text: a `.md` shortcode by its output, which is then
//!   Markdown of the page like any other; an `.html` one by a placeholder, so that its HTML never passes through
//!   the Markdown parser (a blank line or an indented line in it would otherwise end an HTML block or start a code
//!   block). Escaped calls (`{{/* f() */}}`) become the call as text.
//! - [`insert`], an event pass after parsing, puts each `.html` output where its placeholder is: a paragraph that
//!   is nothing but a placeholder is replaced by the output (no `<p>` around a `<div>`), anywhere else the output
//!   goes inline.
//!
//! Calls inside code (spans, fenced and indented blocks) are left as written: a post about shortcodes shows them.
//! (Zola 0.21 expands them there too, and prints its internal placeholder for `.html` ones.) Calls inside a body
//! are rendered into the body before it is handed to its shortcode, with their output as is, as Zola does.
//!
//! Pure: what a call renders to is the caller's ([`Shortcodes`]); this module only finds, counts and places.
mod insert;
mod parse;

pub use insert::insert;
pub use parse::{Call, Value, may_have_calls};

use parse::{Malformed, Token};
use std::collections::HashMap;
use std::ops::Range;

/// How a shortcode's output joins the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `name.html`: HTML, inserted after the Markdown is rendered.
    Html,
    /// `name.md`: Markdown, rendered with the page.
    Markdown,
}

/// Why a shortcode could not be rendered, to be reported at its call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub hint: Option<String>,
}

/// The shortcodes a page can call, and how to render one (the site's templates, with the page's context).
pub trait Shortcodes: Sync {
    fn kind(&self, name: &str) -> Option<Kind>;
    /// Every name there is, for "did you mean".
    fn names(&self) -> Vec<String>;
    /// Renders `call`; `nth` counts the calls of this shortcode in the page from 1, `body` is given for a call with
    /// a body.
    fn render(&self, call: &Call, nth: usize, body: Option<&str>) -> Result<String, Failure>;
}

/// A problem at a byte offset of the text given to [`expand`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub offset: usize,
    pub message: String,
    pub hint: Option<String>,
}

/// The text with every call replaced, the HTML outputs its placeholders stand for, and where its bytes came from.
#[derive(Debug, Default)]
pub struct Expanded {
    pub text: String,
    pub html: Vec<String>,
    pub origins: Origins,
    pub problems: Vec<Problem>,
}

/// Maps a byte offset of the expanded text back to the original text: copied stretches map byte for byte, what a
/// call put in maps to the call's start. Sorted by `new`.
#[derive(Debug, Default, Clone)]
pub struct Origins(Vec<Stretch>);

#[derive(Debug, Clone, Copy)]
struct Stretch {
    new: usize,
    old: usize,
    copied: bool,
}

impl Origins {
    pub fn original(&self, offset: usize) -> usize {
        let i = self.0.partition_point(|s| s.new <= offset);
        match i.checked_sub(1).map(|i| self.0[i]) {
            Some(s) if s.copied => s.old + (offset - s.new),
            Some(s) => s.old,
            None => offset,
        }
    }
}

/// The placeholder of the `i`th HTML output: private-use characters around a number, which no Markdown rule splits
/// or changes and no post writes.
pub fn placeholder(i: usize) -> String {
    format!("\u{E000}{i}\u{E001}")
}

const HINT_ESCAPE: &str =
    "to show a call as text, write it as {{/* name(…) */}} (or {%/* name(…) */%} … {%/* end */%})";

/// Replaces every call in `text` (see the module doc). `code` holds the byte ranges of code in `text`.
pub fn expand(text: &str, code: &[Range<usize>], shortcodes: &dyn Shortcodes) -> Expanded {
    let (tokens, malformed) = parse::tokens(text, code);
    let mut out = Expanded::default();
    out.problems.extend(malformed.into_iter().map(|Malformed { offset, message }| Problem {
        offset,
        message,
        hint: Some(format!(
            "arguments are name=value pairs separated by commas: strings in \"…\", '…' or `…`, numbers, true or false, [arrays]; {HINT_ESCAPE}"
        )),
    }));
    let mut state = State { text, shortcodes, nth: HashMap::new(), out };
    let mut copied_to = 0;
    let mut i = 0;
    while i < tokens.len() {
        let range = tokens[i].1.clone();
        state.copy(copied_to..range.start);
        let (replacement, next, end) = state.token(&tokens, i, false);
        match replacement {
            Some(Piece::Html(html)) => {
                let at = state.out.html.len();
                state.out.html.push(html);
                state.put(&placeholder(at), range.start);
            }
            Some(Piece::Text(t)) => state.put(&t, range.start),
            None => state.copy(range.start..end),
        }
        copied_to = end;
        i = next;
    }
    state.copy(copied_to..text.len());
    state.out
}

enum Piece {
    Text(String),
    Html(String),
}

struct State<'a> {
    text: &'a str,
    shortcodes: &'a dyn Shortcodes,
    nth: HashMap<String, usize>,
    out: Expanded,
}

impl State<'_> {
    fn copy(&mut self, range: Range<usize>) {
        if range.is_empty() {
            return;
        }
        self.out.origins.0.push(Stretch { new: self.out.text.len(), old: range.start, copied: true });
        self.out.text.push_str(&self.text[range]);
    }

    fn put(&mut self, s: &str, at: usize) {
        self.out.origins.0.push(Stretch { new: self.out.text.len(), old: at, copied: false });
        self.out.text.push_str(s);
    }

    fn problem(&mut self, offset: usize, message: String, hint: Option<String>) {
        self.out.problems.push(Problem { offset, message, hint });
    }

    /// What token `i` becomes, the index of the token after it (past its body and end), and the byte where it (with
    /// its body) ends. `None`: left as written (after an error, reported). In a body (`nested`) every output is text.
    fn token(&mut self, tokens: &[(Token, Range<usize>)], i: usize, nested: bool) -> (Option<Piece>, usize, usize) {
        let (token, range) = &tokens[i];
        match token {
            Token::Escaped(text) => (Some(Piece::Text(text.clone())), i + 1, range.end),
            Token::End => {
                self.problem(
                    range.start,
                    "`{% end %}` without a shortcode to close".into(),
                    Some(format!("a body starts with {{% name(…) %}}; {HINT_ESCAPE}")),
                );
                (None, i + 1, range.end)
            }
            Token::Inline(call) => (self.call(call, range.start, None, nested), i + 1, range.end),
            Token::Open(call) => {
                let nth = self.count(&call.name);
                let Some(end) = matching_end(tokens, i) else {
                    self.problem(
                        range.start,
                        format!("the body of `{}` has no `{{% end %}}`", call.name),
                        Some("end the body with {% end %}".into()),
                    );
                    return (None, i + 1, range.end);
                };
                let body = self.body(tokens, i + 1..end, range.end..tokens[end].1.start);
                let piece = self.render(call, nth, range.start, Some(&body), nested);
                (piece, end + 1, tokens[end].1.end)
            }
        }
    }

    /// The text of a body with its own calls rendered, trimmed as Zola trims it.
    fn body(&mut self, tokens: &[(Token, Range<usize>)], inner: Range<usize>, bytes: Range<usize>) -> String {
        let mut body = String::new();
        let mut at = bytes.start;
        let mut i = inner.start;
        while i < inner.end {
            let start = tokens[i].1.start;
            body.push_str(&self.text[at..start]);
            let (piece, next, end) = self.token(tokens, i, true);
            match piece {
                Some(Piece::Text(t) | Piece::Html(t)) => body.push_str(&t),
                None => body.push_str(&self.text[start..end]),
            }
            at = end;
            i = next;
        }
        body.push_str(&self.text[at..bytes.end]);
        body.trim().to_string()
    }

    fn count(&mut self, name: &str) -> usize {
        let n = self.nth.entry(name.to_string()).or_default();
        *n += 1;
        *n
    }

    fn call(&mut self, call: &Call, at: usize, body: Option<&str>, nested: bool) -> Option<Piece> {
        let nth = self.count(&call.name);
        self.render(call, nth, at, body, nested)
    }

    fn render(&mut self, call: &Call, nth: usize, at: usize, body: Option<&str>, nested: bool) -> Option<Piece> {
        let Some(kind) = self.shortcodes.kind(&call.name) else {
            let names = self.shortcodes.names();
            let hint = match crate::error::did_you_mean(&call.name, names.iter().map(String::as_str)) {
                Some(near) => format!("did you mean `{near}`? Shortcodes are templates/shortcodes/NAME.html or .md"),
                None => format!("create templates/shortcodes/{}.html (or .md); {HINT_ESCAPE}", call.name),
            };
            self.problem(at, format!("unknown shortcode `{}`", call.name), Some(hint));
            return None;
        };
        match self.shortcodes.render(call, nth, body) {
            Ok(output) if kind == Kind::Html && !nested => Some(Piece::Html(output)),
            Ok(output) => Some(Piece::Text(output)),
            Err(Failure { message, hint }) => {
                self.problem(at, message, hint);
                None
            }
        }
    }
}

/// The `End` closing the `Open` at `open`, counting nested bodies.
fn matching_end(tokens: &[(Token, Range<usize>)], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (i, (token, _)) in tokens.iter().enumerate().skip(open + 1) {
        match token {
            Token::Open(_) => depth += 1,
            Token::End if depth == 0 => return Some(i),
            Token::End => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Shortcodes for tests: `.html` ones print their name, arguments, `nth` and body in a tag; `md` is Markdown;
    /// `bad` always fails.
    pub(crate) struct Fake;

    impl Shortcodes for Fake {
        fn kind(&self, name: &str) -> Option<Kind> {
            match name {
                "md" => Some(Kind::Markdown),
                "div" | "span" | "bad" | "quote" => Some(Kind::Html),
                _ => None,
            }
        }

        fn names(&self) -> Vec<String> {
            ["md", "div", "span", "bad", "quote"].map(String::from).to_vec()
        }

        fn render(&self, call: &Call, nth: usize, body: Option<&str>) -> Result<String, Failure> {
            let args: Vec<String> =
                call.args.iter().map(|(n, v)| format!("{n}={}", serde_json::to_string(v).unwrap())).collect();
            let body = body.map(|b| format!(" body={b:?}")).unwrap_or_default();
            match call.name.as_str() {
                "bad" => Err(Failure { message: "it broke".into(), hint: None }),
                "md" => Ok(format!("*md {}*{body}", args.join(" "))),
                "span" => Ok(format!("<span>{} nth={nth}{body}</span>", args.join(" "))),
                name => Ok(format!("<{name}>{} nth={nth}{body}</{name}>\n", args.join(" "))),
            }
        }
    }

    fn expand_plain(text: &str) -> Expanded {
        expand(text, &[], &Fake)
    }

    #[test]
    fn html_outputs_become_placeholders_and_markdown_is_spliced() {
        let e = expand_plain("a {{ div(x=1) }} b {{ md(y=\"z\") }} c {{ div() }}");
        assert_eq!(e.text, format!("a {} b *md y=\"z\"* c {}", placeholder(0), placeholder(1)));
        assert_eq!(e.html, ["<div>x=1 nth=1</div>\n", "<div> nth=2</div>\n"]);
        assert!(e.problems.is_empty());
    }

    #[test]
    fn bodies_are_trimmed_and_render_their_calls() {
        let e = expand_plain("{% quote(by=\"V\") %}\n  said {{ span(a=1) }}\n\nmore \n\n{% end %}\n");
        assert_eq!(e.html, ["<quote>by=\"V\" nth=1 body=\"said <span>a=1 nth=1</span>\\n\\nmore\"</quote>\n"]);
        assert_eq!(e.text, format!("{}\n", placeholder(0)));
    }

    #[test]
    fn nth_counts_each_shortcode_apart() {
        let e = expand_plain("{{ span() }} {{ div() }} {{ span() }}");
        assert_eq!(e.html[2], "<span> nth=2</span>");
        assert_eq!(e.html[1], "<div> nth=1</div>\n");
    }

    #[test]
    fn offsets_map_back_to_the_source() {
        let text = "ab {{ md() }} cd";
        let e = expand_plain(text);
        let c = e.text.find("cd").unwrap();
        assert_eq!(e.origins.original(c), text.find("cd").unwrap());
        assert_eq!(e.origins.original(e.text.find("*md").unwrap() + 2), 3);
        assert_eq!(e.origins.original(1), 1);
    }

    #[test]
    fn unknown_names_suggest_the_nearest() {
        let e = expand_plain("x\n{{ spam(a=1) }} {{ zzzzzzzz() }}");
        assert_eq!(e.problems.len(), 2);
        assert_eq!((e.problems[0].offset, e.problems[0].message.as_str()), (2, "unknown shortcode `spam`"));
        assert!(e.problems[0].hint.as_deref().unwrap().starts_with("did you mean `span`?"));
        assert!(e.problems[1].hint.as_deref().unwrap().starts_with("create templates/shortcodes/zzzzzzzz.html"));
        assert_eq!(e.text, "x\n{{ spam(a=1) }} {{ zzzzzzzz() }}", "left as written");
    }

    #[test]
    fn unclosed_and_stray_ends_and_failures_are_problems() {
        let e = expand_plain("{% quote() %} no end");
        assert_eq!(e.problems[0].message, "the body of `quote` has no `{% end %}`");
        let e = expand_plain("text {% end %}");
        assert_eq!(
            (e.problems[0].offset, e.problems[0].message.as_str()),
            (5, "`{% end %}` without a shortcode to close")
        );
        let e = expand_plain("a {{ bad() }}");
        assert_eq!((e.problems[0].offset, e.problems[0].message.as_str()), (2, "it broke"));
    }

    #[test]
    fn escapes_and_code_stay_text() {
        let text = "`{{ div() }}` {{/* div() */}}";
        let e = expand(text, std::slice::from_ref(&(0..13)), &Fake);
        assert_eq!(e.text, "`{{ div() }}` {{ div() }}");
        assert!(e.html.is_empty() && e.problems.is_empty());
    }
}
