//! Warnings worth reading: a real Zola blog printed 2,400 lines of them on every build and every preview save,
//! burying any error. So repeated warnings of one kind are printed as one, with a count and where the first few
//! are, and the preview prints a warning again only when its file changed since the build that last printed it.
//!
//! "One kind" is the same message and hint at different places: precise enough that nothing different is folded
//! together (an unknown language names its language), loose enough that 750 posts with the same unknown key are one
//! line. Errors are never folded: each is a fix to make where it is.
use crate::error::{Diagnostic, Location};
use std::collections::{BTreeSet, HashMap};

/// Warnings of one kind from this many on are printed as one.
pub const FOLD_FROM: usize = 3;
/// Locations a folded warning lists before "and N more".
pub const SHOWN: usize = 3;

/// The diagnostics as the terminal shows them, in their order, one kind of repeated warning folded into one entry
/// at its first place: `content/a.md:3:1: warning: … (750 times: content/a.md:3:1, content/b.md:3:1, … and 747
/// more)`.
pub fn folded(diagnostics: &[Diagnostic]) -> Vec<String> {
    let mut kinds: HashMap<(&str, Option<&str>), Vec<usize>> = HashMap::new();
    for (i, d) in diagnostics.iter().enumerate() {
        if !d.is_error() {
            kinds.entry((d.message.as_str(), d.hint.as_deref())).or_default().push(i);
        }
    }
    let mut lines = Vec::new();
    for (i, d) in diagnostics.iter().enumerate() {
        let same = if d.is_error() { None } else { kinds.get(&(d.message.as_str(), d.hint.as_deref())) };
        match same {
            Some(all) if all.len() >= FOLD_FROM => {
                if all[0] == i {
                    lines.push(fold(d, all.iter().map(|&j| diagnostics[j].location.as_ref())));
                }
            }
            _ => lines.push(d.to_string()),
        }
    }
    lines
}

fn fold<'a>(first: &Diagnostic, places: impl ExactSizeIterator<Item = Option<&'a Location>>) -> String {
    let count = places.len();
    let shown: Vec<String> =
        places.take(SHOWN).map(|l| l.map_or_else(|| "(no file)".to_string(), Location::to_string)).collect();
    let more = if count > SHOWN { format!(" and {} more", count - SHOWN) } else { String::new() };
    let mut text = format!("warning: {} ({count} times: {}{more})", first.message, shown.join(", "));
    if let Some(hint) = &first.hint {
        text.push_str(&format!("\n  = help: {hint}"));
    }
    text
}

/// What the preview printed after its last build, so that the next one repeats only what concerns a changed file.
#[derive(Debug, Default)]
pub struct Printed {
    last: BTreeSet<String>,
}

impl Printed {
    /// The warnings of a new build to print: those not printed after the last build, and those in a file that
    /// `changed` (source paths such as `content/a.md`). All of them are remembered for the next build.
    pub fn select<'a>(&mut self, warnings: &'a [Diagnostic], changed: &BTreeSet<String>) -> Vec<&'a Diagnostic> {
        let now: BTreeSet<String> = warnings.iter().map(Diagnostic::to_string).collect();
        let shown = (warnings.iter())
            .filter(|w| {
                !self.last.contains(&w.to_string()) || w.location.as_ref().is_some_and(|l| changed.contains(&l.file))
            })
            .collect();
        self.last = now;
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warning(file: &str, message: &str) -> Diagnostic {
        Diagnostic::warning(Some(Location::at(file, 3, 1)), message).with_hint("a hint")
    }

    #[test]
    fn repeated_warnings_fold_into_one_with_a_count_and_the_first_places() {
        let mut all: Vec<Diagnostic> = (0..750).map(|i| warning(&format!("content/p{i:03}.md"), "same")).collect();
        all.insert(1, warning("content/x.md", "other"));
        all.push(Diagnostic::error(Some(Location::at("content/e.md", 1, 1)), "same"));
        let lines = folded(&all);
        assert_eq!(lines.len(), 3, "{lines:#?}");
        assert_eq!(
            lines[0],
            "warning: same (750 times: content/p000.md:3:1, content/p001.md:3:1, content/p002.md:3:1 and 747 more)\n  \
             = help: a hint"
        );
        assert_eq!(lines[1], "content/x.md:3:1: warning: other\n  = help: a hint");
        assert!(lines[2].starts_with("content/e.md:1:1: error: same"), "errors are never folded");
    }

    #[test]
    fn two_alike_are_still_printed_each() {
        let lines = folded(&[warning("content/a.md", "w"), warning("content/b.md", "w")]);
        assert_eq!(lines.len(), 2);
    }

    #[test]
    fn the_preview_repeats_a_warning_only_when_its_file_changed() {
        let mut printed = Printed::default();
        let first = [warning("content/a.md", "wa"), warning("content/b.md", "wb")];
        let none = BTreeSet::new();
        assert_eq!(printed.select(&first, &none).len(), 2, "the first build prints everything");
        let changed: BTreeSet<String> = ["content/b.md".to_string()].into();
        let shown = printed.select(&first, &changed);
        assert_eq!(shown, [&first[1]], "only the changed file's warning again");
        let next = [warning("content/a.md", "wa"), warning("content/c.md", "new")];
        assert_eq!(printed.select(&next, &none), [&next[1]], "a new warning is printed");
        assert!(printed.select(&next, &none).is_empty(), "nothing changed, nothing again");
    }
}
