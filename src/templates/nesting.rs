//! A limit on how deeply a template nests, checked before Tera parses it.
//!
//! Tera's parser, its whitespace pass and its renderer all recurse once per level of `{% if %}`/`{% for %}`/… and
//! per bracket of an expression, so a few thousand levels (a generated or corrupted template) overflowed the stack
//! and aborted the process. No hand-written template comes near the limit.
use super::tags::{self, Kind};
use crate::error::{Diagnostic, Location};

/// The most `{% %}` blocks, or brackets within one tag, that may be open at once.
pub const MAX_NESTING: usize = 64;

/// An error at the first tag that goes deeper than [`MAX_NESTING`].
pub fn check(shown: &str, src: &str) -> Option<Diagnostic> {
    let mut depth = 0usize;
    for tag in tags::scan(src) {
        let what = if tag.kind == Kind::Statement && opens(tag.keyword()) {
            depth += 1;
            (depth > MAX_NESTING).then_some("{% %} blocks inside each other")
        } else {
            if tag.kind == Kind::Statement && tag.keyword().starts_with("end") && tag.keyword() != "endraw" {
                depth = depth.saturating_sub(1);
            }
            (brackets(tag.body) > MAX_NESTING).then_some("brackets inside each other in one tag")
        };
        if let Some(what) = what {
            let (line, column) = crate::locate::line_col(src, tag.offset);
            return Some(
                Diagnostic::error(
                    Some(Location::at(shown, line, column)),
                    format!("template nests too deeply: more than {MAX_NESTING} {what}"),
                )
                .with_hint("move the inner part into a macro or a template of its own"),
            );
        }
    }
    None
}

fn opens(keyword: &str) -> bool {
    matches!(keyword, "if" | "for" | "block" | "macro" | "filter")
}

/// The deepest nesting of `(` and `[` outside string literals.
fn brackets(body: &str) -> usize {
    let (mut depth, mut deepest, mut quote) = (0usize, 0, None);
    for c in body.chars() {
        match (quote, c) {
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'' | '`') => quote = Some(c),
            (None, '(' | '[') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ')' | ']') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_blocks_and_brackets_are_refused_at_the_tag() {
        let ok = format!("{}x{}", "{% if a %}".repeat(MAX_NESTING), "{% endif %}".repeat(MAX_NESTING));
        assert!(check("t.html", &ok).is_none());
        assert!(check("t.html", &format!("{ok}{ok}")).is_none(), "closed blocks no longer count");
        let deep = format!("\n{}x", "{% if a %}".repeat(MAX_NESTING + 1));
        let text = check("t.html", &deep).unwrap().to_string();
        assert!(text.starts_with("t.html:2:641: error: template nests too deeply: more than 64 {% %}"), "{text}");
        let parens = format!("{{{{ {}1{} }}}}", "(".repeat(MAX_NESTING + 1), ")".repeat(MAX_NESTING + 1));
        assert!(check("t.html", &parens).unwrap().message.contains("brackets"));
        assert!(check("t.html", "{{ \"((((((\" }}").is_none());
    }
}
