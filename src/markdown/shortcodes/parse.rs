//! Finds Zola's shortcode syntax in a post's text: `{{ name(arg=…) }}`, `{% name(arg=…) %}…{% end %}`, and their
//! escaped forms `{{/* … */}}`, `{%/* … */%}…{%/* end */%}`. Pure: text in, tokens with byte ranges out.
//!
//! As in Zola 0.21, `{{` or `{%` not followed by a name and `(` is plain text (a post about Jinja may say
//! `{{ page.title }}`), and so is an escape whose inside is not a call. Unlike Zola, which prints a call it cannot
//! parse as text without a word, a name followed by `(` that does not parse is an error: the author meant a
//! shortcode, and silently printing it is how a typo reaches readers.
use std::ops::Range;

/// An argument's value, with Zola's five types.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(untagged)]
pub enum Value {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Array(Vec<Value>),
}

/// A call as written: the shortcode's name and its named arguments in order (a repeated name: the last wins).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub name: String,
    pub args: Vec<(String, Value)>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// `{{ name(…) }}`.
    Inline(Call),
    /// `{% name(…) %}`, the start of a body.
    Open(Call),
    /// `{% end %}`.
    End,
    /// An escaped call, with the text it stands for (`{{ name(…) }}`, or a whole escaped body with its end).
    Escaped(String),
}

/// A call that does not parse, or an escaped body without its end, at a byte offset of the text.
#[derive(Debug, Clone, PartialEq)]
pub struct Malformed {
    pub offset: usize,
    pub message: String,
}

/// Every shortcode token of `text`, in order, with its byte range; calls starting inside `skip` ranges (code) are
/// left as text, but escapes are read everywhere, as Zola reads them (its documentation shows escaped calls in code
/// blocks).
pub fn tokens(text: &str, skip: &[Range<usize>]) -> (Vec<(Token, Range<usize>)>, Vec<Malformed>) {
    let mut found = Vec::new();
    let mut problems = Vec::new();
    let mut at = 0;
    while let Some(open) = next_open(text, at) {
        let in_code = skip.iter().any(|r| r.contains(&open));
        match token_at(text, open, in_code) {
            Ok(Some((token, end))) => {
                found.push((token, open..end));
                at = end;
            }
            Ok(None) => at = open + 1,
            Err(problem) => {
                problems.push(problem);
                at = open + 2;
            }
        }
    }
    (found, problems)
}

/// Whether the text has `{{` or `{%` at all: a post without either skips shortcodes in one scan.
pub fn may_have_calls(text: &str) -> bool {
    next_open(text, 0).is_some()
}

fn next_open(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = text.get(at..)?.find('{') {
        let i = at + i;
        if matches!(bytes.get(i + 1), Some(b'{' | b'%')) {
            return Some(i);
        }
        at = i + 1;
    }
    None
}

/// The token starting at `open` (`{{` or `{%`) and where it ends; `None` if it is plain text.
fn token_at(text: &str, open: usize, in_code: bool) -> Result<Option<(Token, usize)>, Malformed> {
    let block = text.as_bytes()[open + 1] == b'%';
    let close = if block { "%}" } else { "}}" };
    let after = open + 2;
    if text[after..].starts_with("/*") {
        return escaped(text, open, block);
    }
    if in_code {
        return Ok(None);
    }
    let mut p = Cursor { text, at: after };
    p.spaces();
    if block && p.keyword("end") {
        p.spaces();
        return Ok(p.eat(close).then_some((Token::End, p.at)));
    }
    let name = p.ident();
    p.spaces();
    if name.is_empty() || !p.eat("(") {
        return Ok(None);
    }
    let name = name.to_string();
    let args = p.args()?;
    p.spaces();
    if !p.eat(close) {
        return Err(p.expected(&format!("`{close}` to close the call")));
    }
    let call = Call { name, args };
    Ok(Some((if block { Token::Open(call) } else { Token::Inline(call) }, p.at)))
}

/// `{{/* call */}}`, or `{%/* call */%}` … `{%/* end */%}`: the same without the comment marks. Anything else
/// starting with `{{/*` is text.
fn escaped(text: &str, open: usize, block: bool) -> Result<Option<(Token, usize)>, Malformed> {
    let close = if block { "*/%}" } else { "*/}}" };
    let mut p = Cursor { text, at: open + 4 };
    p.spaces();
    let name = p.ident();
    p.spaces();
    if name.is_empty() || !p.eat("(") || p.args().is_err() {
        return Ok(None);
    }
    p.spaces();
    if !p.eat(close) {
        return Ok(None);
    }
    let inner = &text[open + 4..p.at - 4];
    if !block {
        return Ok(Some((Token::Escaped(format!("{{{{{inner}}}}}")), p.at)));
    }
    let body_start = p.at;
    let mut q = Cursor { text, at: body_start };
    while let Some(i) = text[q.at..].find("{%/*") {
        let end_start = q.at + i;
        q.at = end_start + 4;
        q.spaces();
        if q.keyword("end") {
            q.spaces();
            if q.eat("*/%}") {
                let end_inner = &text[end_start + 4..q.at - 4];
                let body = &text[body_start..end_start];
                return Ok(Some((Token::Escaped(format!("{{%{inner}%}}{body}{{%{end_inner}%}}")), q.at)));
            }
        }
    }
    Err(Malformed { offset: open, message: "an escaped shortcode with a body needs its `{%/* end */%}`".into() })
}

struct Cursor<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Cursor<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.at..]
    }

    fn spaces(&mut self) {
        let rest = self.rest();
        self.at += rest.len() - rest.trim_start().len();
    }

    fn eat(&mut self, s: &str) -> bool {
        let found = self.rest().starts_with(s);
        if found {
            self.at += s.len();
        }
        found
    }

    fn ident(&mut self) -> &'a str {
        let rest = &self.text[self.at..];
        let len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(rest.len());
        self.at += len;
        &rest[..len]
    }

    /// The word `word` as a whole identifier.
    fn keyword(&mut self, word: &str) -> bool {
        let start = self.at;
        if self.ident() == word {
            return true;
        }
        self.at = start;
        false
    }

    fn expected(&self, what: &str) -> Malformed {
        let found = match self.rest().chars().next() {
            None => "the end of the text".to_string(),
            Some(c) if c.is_whitespace() => "a line break or space".to_string(),
            Some(c) if c.is_alphanumeric() => {
                let rest = self.rest();
                format!("`{}`", &rest[..rest.find(|c: char| !c.is_alphanumeric() && c != '_').unwrap_or(rest.len())])
            }
            Some(c) => format!("`{c}`"),
        };
        Malformed { offset: self.at, message: format!("malformed shortcode call: expected {what}, found {found}") }
    }

    /// `name=value, …)` up to and including the closing parenthesis.
    fn args(&mut self) -> Result<Vec<(String, Value)>, Malformed> {
        let mut args = Vec::new();
        self.spaces();
        if self.eat(")") {
            return Ok(args);
        }
        loop {
            self.spaces();
            let name = self.ident().to_string();
            if name.is_empty() {
                return Err(self.expected("an argument name"));
            }
            self.spaces();
            if !self.eat("=") {
                return Err(self.expected(&format!("`=` after `{name}`")));
            }
            self.spaces();
            let value = self.value(&name, true)?;
            args.push((name, value));
            self.spaces();
            if self.eat(")") {
                return Ok(args);
            }
            if !self.eat(",") {
                return Err(self.expected("`,` or `)` after an argument"));
            }
        }
    }

    fn value(&mut self, name: &str, arrays: bool) -> Result<Value, Malformed> {
        let quote = self.rest().chars().next();
        if let Some(q @ ('"' | '\'' | '`')) = quote {
            let body = &self.rest()[1..];
            let Some(len) = body.find(q) else {
                let message = format!("malformed shortcode call: the string given to `{name}` has no closing {q}");
                return Err(Malformed { offset: self.at, message });
            };
            let value = body[..len].to_string();
            self.at += len + 2;
            return Ok(Value::Str(value));
        }
        if arrays && self.eat("[") {
            let mut items = Vec::new();
            self.spaces();
            if self.eat("]") {
                return Ok(Value::Array(items));
            }
            loop {
                self.spaces();
                items.push(self.value(name, true)?);
                self.spaces();
                if self.eat("]") {
                    return Ok(Value::Array(items));
                }
                if !self.eat(",") {
                    return Err(self.expected(&format!("`,` or `]` in the array of `{name}`")));
                }
            }
        }
        if self.keyword("true") {
            return Ok(Value::Bool(true));
        }
        if self.keyword("false") {
            return Ok(Value::Bool(false));
        }
        self.number().ok_or_else(|| {
            self.expected(&format!(
                "a value for `{name}` (a string in \"…\", '…' or `…`, a number, true, false or an array)"
            ))
        })
    }

    /// `-?[0-9]+(\.[0-9]+)?`, as Zola reads numbers.
    fn number(&mut self) -> Option<Value> {
        let rest = self.rest();
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let sign = usize::from(rest.starts_with('-'));
        let int = digits(&rest[sign..]);
        if int == 0 {
            return None;
        }
        let mut len = sign + int;
        let fraction = rest[len..].strip_prefix('.').map(digits).unwrap_or(0);
        let float = fraction > 0;
        if float {
            len += 1 + fraction;
        }
        // `1.` and `1x` are not numbers; the caller reports what follows.
        if rest[len..].starts_with(|c: char| c == '.' || c.is_ascii_alphanumeric() || c == '_') {
            return None;
        }
        let value = if float { Value::Float(rest[..len].parse().ok()?) } else { Value::Int(rest[..len].parse().ok()?) };
        self.at += len;
        Some(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Token {
        let (found, problems) = tokens(text, &[]);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(found.len(), 1, "{found:?}");
        found[0].0.clone()
    }

    fn call(name: &str, args: &[(&str, Value)]) -> Call {
        Call { name: name.into(), args: args.iter().map(|(n, v)| (n.to_string(), v.clone())).collect() }
    }

    #[test]
    fn arguments_of_every_type() {
        let t = one(r#"x {{ f(a="dq", b='sq', c=`bt`, d=12, e=-3.5, g=true, h=false, i=[1, "x", [2]]) }} y"#);
        let s = |v: &str| Value::Str(v.into());
        let expected = call(
            "f",
            &[
                ("a", s("dq")),
                ("b", s("sq")),
                ("c", s("bt")),
                ("d", Value::Int(12)),
                ("e", Value::Float(-3.5)),
                ("g", Value::Bool(true)),
                ("h", Value::Bool(false)),
                ("i", Value::Array(vec![Value::Int(1), s("x"), Value::Array(vec![Value::Int(2)])])),
            ],
        );
        assert_eq!(t, Token::Inline(expected));
    }

    #[test]
    fn spacing_is_free_and_strings_take_anything_but_their_quote() {
        assert_eq!(one("{{f()}}"), Token::Inline(call("f", &[])));
        assert_eq!(
            one("{{ f( a = 1 ,b=2 )\n}}"),
            Token::Inline(call("f", &[("a", Value::Int(1)), ("b", Value::Int(2))]))
        );
        assert_eq!(one("{{ f(a=\"it's\nok\") }}"), Token::Inline(call("f", &[("a", Value::Str("it's\nok".into()))])));
    }

    #[test]
    fn bodies_open_and_end() {
        let (found, problems) = tokens("{% q(by=\"V\") %}\nbody\n{%end%}", &[]);
        assert!(problems.is_empty());
        let kinds: Vec<_> = found.iter().map(|(t, r)| (t.clone(), r.clone())).collect();
        assert_eq!(kinds[0], (Token::Open(call("q", &[("by", Value::Str("V".into()))])), 0..15));
        assert_eq!(kinds[1], (Token::End, 21..28));
    }

    #[test]
    fn what_is_not_a_call_is_text() {
        for text in ["{{ page.title }}", "{% if x %}", "{%if%}", "a { b } {{ c", "{{ }}", "{{/* not a call */}}"] {
            let (found, problems) = tokens(text, &[]);
            assert!(found.is_empty() && problems.is_empty(), "{text}: {found:?} {problems:?}");
        }
    }

    #[test]
    fn escapes_print_the_call_without_the_comment() {
        assert_eq!(one("{{/* f(a=1) */}}"), Token::Escaped("{{ f(a=1) }}".into()));
        assert_eq!(one("{{/*f()*/}}"), Token::Escaped("{{f()}}".into()));
        assert_eq!(
            one("{%/* q(a=1) */%}\n{{ g() }}\n{%/* end */%}"),
            Token::Escaped("{% q(a=1) %}\n{{ g() }}\n{% end %}".into())
        );
    }

    #[test]
    fn calls_in_code_are_text_but_escapes_are_read() {
        let text = "`{{ f() }}` {{/* g() */}}";
        let (found, _) = tokens(text, std::slice::from_ref(&(0..11)));
        assert_eq!(found, vec![(Token::Escaped("{{ g() }}".into()), 12..text.len())]);
    }

    #[test]
    fn malformed_calls_say_what_was_expected_where() {
        let cases = [
            ("{{ f(a=foo) }}", 7, "expected a value for `a`"),
            ("{{ f(a=\"x\" }}", 11, "expected `,` or `)` after an argument, found `}`"),
            ("{{ f(a=1,) }}", 9, "expected an argument name, found `)`"),
            ("{{ f(a) }}", 6, "expected `=` after `a`, found `)`"),
            ("{{ f(a=1.) }}", 7, "expected a value for `a`"),
            ("{{ f(a=+1) }}", 7, "expected a value for `a`"),
            ("{{ f(a=1) }", 10, "expected `}}` to close the call, found `}`"),
            ("{{ f(a=\"x) }}", 7, "the string given to `a` has no closing \""),
            ("{%/* q() */%} never ended", 0, "needs its `{%/* end */%}`"),
        ];
        for (text, offset, message) in cases {
            let (_, problems) = tokens(text, &[]);
            assert_eq!(problems.len(), 1, "{text}");
            assert_eq!(problems[0].offset, offset, "{text}: {}", problems[0].message);
            assert!(problems[0].message.contains(message), "{text}: {}", problems[0].message);
        }
    }

    #[test]
    fn only_braces_followed_by_brace_or_percent_start_a_scan() {
        assert!(!may_have_calls("a { b } c {x}"));
        assert!(may_have_calls("a {{ b"));
        assert!(may_have_calls("a {% b"));
    }
}
