//! `[slugify]`: how URLs, tag URLs and heading ids are made from text, with Zola's keys, values and defaults, so that
//! a Zola config read by the same parser means the same (see `crate::slugify` for the rules).
use super::key_location;
use crate::error::{Diagnostic, did_you_mean};
use crate::slugify::Strategy;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Slugify {
    /// Post URLs made from file names and `slug`.
    pub paths: Strategy,
    /// Tag URLs.
    pub taxonomies: Strategy,
    /// Heading ids.
    pub anchors: Strategy,
}

pub const KEYS: &[&str] = &["paths", "taxonomies", "anchors"];

/// Each value that is not `"on"`, `"safe"` or `"off"`, at its line: checked on the raw table so that the message
/// names the key and the values it takes, rather than serde's "unknown variant".
pub fn check(src: &str, table: &toml::Table) -> Vec<Diagnostic> {
    let Some(toml::Value::Table(section)) = table.get("slugify") else { return Vec::new() };
    let mut problems = Vec::new();
    for key in KEYS {
        let Some(value) = section.get(*key) else { continue };
        if value.as_str().and_then(Strategy::parse).is_some() {
            continue;
        }
        let d = Diagnostic::error(
            Some(key_location(src, Some("slugify"), key)),
            format!("[slugify] {key} = {value} is not one of \"on\", \"safe\", \"off\""),
        );
        let near = value.as_str().and_then(|v| did_you_mean(&v.to_lowercase(), Strategy::NAMES.iter().copied()));
        problems.push(match near {
            Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
            None => d.with_hint(
                "\"on\" makes ASCII slugs (Zola's default), \"safe\" keeps the text minus unsafe characters, \"off\" keeps it",
            ),
        });
    }
    problems
}
