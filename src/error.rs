//! Diagnostics that read like a compiler's: `content/x.md:3:8: error: … \n  = help: …`.
//!
//! Every stage reports problems as [`Diagnostic`]s rather than bailing out at the first one, so that an author fixing
//! a site sees all of its errors in one run. A stage that found errors returns [`BuildFailed`].
use std::fmt;

/// Where a problem is, as precisely as the stage that found it knows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Location {
    /// Path relative to the site root, with `/` separators, so messages are stable across machines.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl Location {
    pub fn file(file: impl Into<String>) -> Self {
        Location { file: file.into(), line: None, column: None }
    }

    pub fn at(file: impl Into<String>, line: usize, column: usize) -> Self {
        Location { file: file.into(), line: Some(line), column: Some(column) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in the site's sources, with an optional hint on how to fix it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Option<Location>,
    pub message: String,
    pub hint: Option<String>,
}

impl Diagnostic {
    pub fn error(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Error, location, message: message.into(), hint: None }
    }

    pub fn warning(location: Option<Location>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, location, message: message.into(), hint: None }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(location) = &self.location {
            write!(f, "{location}: ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        Ok(())
    }
}

/// A build that found at least one error. Carries every diagnostic (warnings included) in a stable order.
#[derive(Debug, Clone, thiserror::Error)]
pub struct BuildFailed {
    pub diagnostics: Vec<Diagnostic>,
}

impl BuildFailed {
    pub fn new(mut diagnostics: Vec<Diagnostic>) -> Self {
        sort_diagnostics(&mut diagnostics);
        BuildFailed { diagnostics }
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    /// The same failure without its warnings, for `--quiet`.
    pub fn without_warnings(&self) -> BuildFailed {
        BuildFailed { diagnostics: self.errors().cloned().collect() }
    }
}

impl fmt::Display for BuildFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in crate::warnings::folded(&self.diagnostics) {
            writeln!(f, "{line}")?;
        }
        let errors = self.errors().count();
        write!(f, "build failed with {errors} error{}", if errors == 1 { "" } else { "s" })
    }
}

/// Errors first, then by file and position, so output does not depend on thread scheduling.
pub fn sort_diagnostics(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (a.severity, &a.location, &a.message).cmp(&(b.severity, &b.location, &b.message)));
}

/// Collects diagnostics from a stage; the stage fails only if one of them is an error.
#[derive(Debug, Default)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.diagnostics.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    /// `Err` with everything collected if there was an error, else the warnings for the caller to keep.
    pub fn finish(self) -> Result<Vec<Diagnostic>, BuildFailed> {
        if self.has_errors() { Err(BuildFailed::new(self.diagnostics)) } else { Ok(self.diagnostics) }
    }
}

/// The candidate closest to `word`, if any is close enough to be what the author meant.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_pick_the_nearest_key() {
        let keys = ["title", "date", "tags", "description"];
        assert_eq!(did_you_mean("titel", keys), Some("title"));
        assert_eq!(did_you_mean("tag", keys), Some("tags"));
        assert_eq!(did_you_mean("zzzzzz", keys), None);
    }

    #[test]
    fn diagnostics_print_like_a_compiler() {
        let d = Diagnostic::error(Some(Location::at("content/x.md", 3, 8)), "invalid date").with_hint("use YYYY-MM-DD");
        assert_eq!(d.to_string(), "content/x.md:3:8: error: invalid date\n  = help: use YYYY-MM-DD");
    }
}
