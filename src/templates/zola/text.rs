//! Zola's filters over text: `markdown`, `base64_encode`, `base64_decode`, `regex_replace`, `num_format`, and
//! `slugify` (Tera's, which fanzine's Tera is built without).
use super::{State, bool_arg, fail, string_arg};
use base64::Engine;
use std::collections::HashMap;
use std::sync::Arc;
use tera::{Tera, Value};

/// The most memory one `regex_replace` pattern may compile to, so a pattern cannot exhaust memory.
pub const MAX_REGEX_BYTES: usize = 1 << 20;

pub fn register(tera: &mut Tera, state: &Arc<State>) {
    let markdown_state = state.clone();
    tera.register_filter("markdown", move |v: &Value, a: &HashMap<String, Value>| markdown(&markdown_state, v, a));
    let num_state = state.clone();
    tera.register_filter("num_format", move |v: &Value, a: &HashMap<String, Value>| num_format(&num_state, v, a));
    tera.register_filter("base64_encode", base64_encode);
    tera.register_filter("base64_decode", base64_decode);
    tera.register_filter("regex_replace", regex_replace);
    tera.register_filter("slugify", slugify);
}

fn text<'a>(value: &'a Value, filter: &str) -> tera::Result<&'a str> {
    value.as_str().ok_or_else(|| {
        fail(format!("the {filter} filter needs text, but received {value}"), format!("apply {filter} to a string"))
    })
}

/// `{{ text | markdown(inline=false) }}`: fanzine's Markdown with the site's `[markdown]` options; `inline=true`
/// leaves out the paragraph around a single paragraph, as Zola does.
fn markdown(state: &State, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let body = text(value, "markdown")?;
    let inline = bool_arg(args, "markdown", "inline", false)?;
    let bound = state.bound();
    if body.contains("@/") {
        // Where an `@/` link leads is the site's, not the text's.
        crate::templates::reads::note();
    }
    let resolve = |target: &str| bound.links.get(target).cloned();
    let options = crate::markdown::Options {
        file: "(markdown filter)",
        first_line: 1,
        highlight: bound.config.highlight.enabled,
        settings: &bound.config.markdown,
        anchors: bound.config.slugify.anchors,
        resolve: &resolve,
        block_hook: None,
        // Text from a template is not a page: its calls stay text, as in Zola's filter.
        shortcodes: None,
        syntaxes: bound.config.highlight.extras.syntaxes(),
        // Nor has it a permalink: relative links stay as written.
        relative_base: "",
        colours: bound.config.colours(),
        // Zola 0.21's filter gives headings their ids but no anchor link, whatever `insert_anchor_links` says;
        // fanzine's own sites keep fanzine's `#`.
        heading_links: match bound.config.is_zola() {
            true => crate::markdown::HeadingLinks::Zola(crate::markdown::AnchorPlace::None, &NoLink),
            false => crate::markdown::HeadingLinks::Fanzine,
        },
        summary_cutoff: None,
    };
    let rendered = crate::markdown::render(body, &options).html;
    let html = rendered.text().map_err(|e| tera::Error::msg(e.to_string()))?.into_owned();
    if !inline {
        return Ok(Value::String(html));
    }
    let trimmed = html.strip_prefix("<p>").and_then(|h| h.strip_suffix("</p>\n"));
    Ok(Value::String(trimmed.map_or(html.clone(), str::to_string)))
}

/// The anchor link of a heading the `markdown` filter renders on a Zola site: none (see [`markdown`]).
struct NoLink;

impl crate::markdown::AnchorLink for NoLink {
    fn link(&self, _: &str, _: u32) -> Result<String, crate::error::Diagnostic> {
        Ok(String::new())
    }
}

fn base64_encode(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(text(value, "base64_encode")?)))
}

fn base64_decode(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let hint = "base64_decode takes what base64_encode makes: A-Z, a-z, 0-9, + and /, padded with =";
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text(value, "base64_decode")?)
        .map_err(|e| fail(format!("base64_decode received text that is not base64 ({e})"), hint))?;
    String::from_utf8(bytes)
        .map(Value::String)
        .map_err(|_| fail("base64_decode decoded bytes that are not UTF-8 text", hint))
}

/// `{{ text | regex_replace(pattern=…, rep=…) }}`: every match replaced, `$name` and `$1` naming groups.
fn regex_replace(value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    let input = text(value, "regex_replace")?;
    let (Some(pattern), Some(rep)) =
        (string_arg(args, "regex_replace", "pattern")?, string_arg(args, "regex_replace", "rep")?)
    else {
        return Err(fail(
            "regex_replace needs a `pattern` and a `rep` argument",
            "regex_replace(pattern=`\\d+`, rep=`#`)",
        ));
    };
    let regex = regex::RegexBuilder::new(pattern)
        .size_limit(MAX_REGEX_BYTES)
        .dfa_size_limit(MAX_REGEX_BYTES)
        .build()
        .map_err(|e| {
        let text = e.to_string();
        let last = text.lines().rfind(|l| !l.trim().is_empty()).unwrap_or_default().trim();
        let why = last.strip_prefix("error: ").unwrap_or(last);
        fail(
            format!("regex_replace received pattern=`{pattern}`, which is not a valid regular expression ({why})"),
            "the syntax is the regex crate's (docs.rs/regex); write the pattern in backquotes so `\\` stays as it is",
        )
    })?;
    Ok(Value::String(regex.replace_all(input, rep).into_owned()))
}

/// `{{ 1000000 | num_format(locale="en-IN") }}`: a whole number with the locale's separators (the num-format
/// crate's locales, as in Zola); the default locale is the site's language.
fn num_format(state: &State, value: &Value, args: &HashMap<String, Value>) -> tera::Result<Value> {
    use num_format::ToFormattedString;
    let Some(number) = value.as_i64() else {
        return Err(fail(
            format!("the num_format filter needs a whole number, but received {value}"),
            "round the number first: {{ value | round | int | num_format }}",
        ));
    };
    let language = state.bound().config.language.clone();
    let name = string_arg(args, "num_format", "locale")?.unwrap_or(&language);
    let locale = num_format::Locale::from_name(name).map_err(|_| {
        fail(
            format!("num_format received locale=\"{name}\", which is not a locale it knows"),
            "use a language tag such as en, en-IN, fr or de-CH",
        )
    })?;
    Ok(Value::String(number.to_formatted_string(&locale)))
}

/// Tera's `slugify`, which Zola's templates get whatever the config's `[slugify]` says.
fn slugify(value: &Value, _: &HashMap<String, Value>) -> tera::Result<Value> {
    let text = match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    Ok(Value::String(slug::slugify(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pattern_too_large_to_compile_is_refused() {
        let args: HashMap<String, Value> =
            [("pattern".into(), Value::from("\\w{1000}\\w{1000}\\w{1000}")), ("rep".into(), Value::from(""))].into();
        let e = regex_replace(&Value::from("x"), &args).unwrap_err().to_string();
        assert!(e.contains("not a valid regular expression"), "{e}");
    }
}
