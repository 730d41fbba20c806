//! `[link_checker]`: what the checker of internal links and `#anchors` skips, and whether what it finds fails the
//! build. Zola's keys, values and defaults, so that a Zola config read by the same parser means the same, plus
//! fanzine's own `anchor_level` (Zola has one level for a link and its anchor).
use super::key_location;
use crate::error::{Diagnostic, did_you_mean};
use serde::{Deserialize, Serialize};

/// What a class of link problem does to the build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Reported, and the build fails.
    #[default]
    Error,
    /// Reported; the build goes on.
    Warn,
}

const LEVELS: &[&str] = &["error", "warn"];

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LinkChecker {
    /// Links starting with one of these are not checked at all.
    pub skip_prefixes: Vec<String>,
    /// Links starting with one of these are checked without their `#anchor`.
    pub skip_anchor_prefixes: Vec<String>,
    /// A link to a page that does not exist.
    pub internal_level: Level,
    /// Read for Zola configs; fanzine checks no external link (a build uses no network), so it changes nothing.
    pub external_level: Level,
    /// A link to a page that exists but has no element with the link's `#anchor`; unset, `internal_level`.
    pub anchor_level: Option<Level>,
}

impl LinkChecker {
    pub fn anchor_level(&self) -> Level {
        self.anchor_level.unwrap_or(self.internal_level)
    }
}

pub const KEYS: &[&str] =
    &["skip_prefixes", "skip_anchor_prefixes", "internal_level", "external_level", "anchor_level"];

/// Each level that is not `"error"` or `"warn"`, at its line.
pub fn check(src: &str, table: &toml::Table) -> Vec<Diagnostic> {
    let Some(toml::Value::Table(section)) = table.get("link_checker") else { return Vec::new() };
    let mut problems = Vec::new();
    for key in ["internal_level", "external_level", "anchor_level"] {
        let Some(value) = section.get(key) else { continue };
        if value.as_str().is_some_and(|v| LEVELS.contains(&v)) {
            continue;
        }
        let d = Diagnostic::error(
            Some(key_location(src, Some("link_checker"), key)),
            format!("[link_checker] {key} = {value} is not \"error\" or \"warn\""),
        );
        let near = value.as_str().and_then(|v| did_you_mean(&v.to_lowercase(), LEVELS.iter().copied()));
        problems.push(match near {
            Some(s) => d.with_hint(format!("did you mean \"{s}\"?")),
            None => d.with_hint("\"error\" fails the build on such a link, \"warn\" reports it and goes on"),
        });
    }
    problems
}
