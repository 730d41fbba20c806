//! What the server shows: the last good build and, beside it, the error of the latest build if it failed.
//!
//! A [`Preview`] is an immutable value published through a `tokio::sync::watch` channel: request handlers take the
//! current one without locking anything for longer than an `Arc` clone, and the live-reload stream wakes on each
//! new one. A failed build publishes the *old* output with the new error, so the author never loses the page.
use super::editor::Editor;
use crate::error::{BuildFailed, Diagnostic};
use crate::render::Output;
use std::cmp::Ordering;
use std::sync::Arc;

#[derive(Debug, Clone)]
pub struct Preview {
    /// Bumped each time `output` changes; a page carries the version it was served at, so the browser can tell it
    /// is stale even if it connects to the event stream after the change.
    pub version: u64,
    pub output: Arc<Output>,
    /// The latest build's failure, cleared by the next good build.
    pub error: Option<Arc<BuildFailed>>,
    /// What the last change did to the output, for the browser to decide between a reload and a stylesheet swap.
    pub change: Change,
    /// Whether any build has succeeded: if none has, `output` is empty and the overlay must not promise a page.
    pub built: bool,
    /// Counts builds, failed ones included (which keep `version`), so the browser can tell a new failure from the
    /// one the author dismissed.
    pub build: u64,
    /// The path the last good build is served under: its `base_url`'s (`/blog`), empty for a site at a host's root.
    /// A failed build keeps the last good one's, as it keeps its output.
    pub mount: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    /// The version this change was made from.
    pub from: u64,
    /// Output files added, removed or modified.
    pub files: Vec<String>,
}

impl Change {
    /// A change of stylesheets only can be applied without reloading the page.
    pub fn css_only(&self) -> bool {
        !self.files.is_empty() && self.files.iter().all(|f| f.ends_with(".css"))
    }
}

impl Preview {
    /// Before the first build succeeds there is nothing to show but (perhaps) its error.
    pub fn first(result: Result<Arc<Output>, BuildFailed>) -> Preview {
        let built = result.is_ok();
        let (output, error) = match result {
            Ok(o) => (o, None),
            Err(e) => (Arc::new(Output::default()), Some(Arc::new(e))),
        };
        Preview { version: 1, output, error, change: Change::default(), built, build: 1, mount: String::new() }
    }

    /// The same preview served under `mount` (see [`Preview::mount`]); made before it is published, never after.
    pub fn mounted(self, mount: String) -> Preview {
        Preview { mount, ..self }
    }

    /// The preview after a build: a new output if it succeeded, the old one with the error if not.
    /// `touched` are output files whose bytes live on disk (`Entry::Copy`) and whose source changed.
    pub fn next(&self, result: Result<Arc<Output>, BuildFailed>, touched: &[String]) -> Preview {
        self.next_known(result, touched, None)
    }

    /// [`Preview::next`], told which files alone may differ from this preview's (`None`: any may): on a large
    /// site comparing every file is a walk of every path.
    pub fn next_known(
        &self,
        result: Result<Arc<Output>, BuildFailed>,
        touched: &[String],
        candidates: Option<&[String]>,
    ) -> Preview {
        match result {
            Ok(output) => {
                let mut files = match candidates {
                    Some(candidates) => (candidates.iter())
                        .filter(|path| self.output.files.get(*path) != output.files.get(*path))
                        .cloned()
                        .collect(),
                    None => changed_files(&self.output, &output),
                };
                files.extend(touched.iter().filter(|t| output.files.contains_key(*t)).cloned());
                files.sort();
                files.dedup();
                let version = if files.is_empty() && self.error.is_none() { self.version } else { self.version + 1 };
                let change = Change { from: self.version, files };
                let mount = self.mount.clone();
                Preview { version, output, error: None, change, built: true, build: self.build + 1, mount }
            }
            Err(e) => {
                Preview { error: Some(Arc::new(e)), change: Change::default(), build: self.build + 1, ..self.clone() }
            }
        }
    }

    /// The error diagnostics of the failed build, for the overlay.
    pub fn errors(&self) -> Vec<&Diagnostic> {
        self.error.as_ref().map(|e| e.errors().collect()).unwrap_or_default()
    }

    /// What the event stream sends: enough for the browser to reload, swap stylesheets or show the overlay. Each
    /// error with a location gets a `link` into the author's editor when `--editor-url` is given.
    pub fn event_json(&self, editor: Option<&Editor>) -> String {
        let errors: Vec<serde_json::Value> = self
            .errors()
            .into_iter()
            .map(|d| {
                let mut value = serde_json::to_value(d).expect("a diagnostic is plain data");
                if let (Some(editor), Some(location)) = (editor, &d.location) {
                    value["link"] = editor.link(location).into();
                }
                value
            })
            .collect();
        serde_json::json!({
            "version": self.version,
            "from": self.change.from,
            "css_only": self.change.css_only(),
            "built": self.built,
            "build": self.build,
            "errors": errors,
        })
        .to_string()
    }
}

/// Files added, removed or whose content differs, in path order. Both maps are walked side by side, once: on a
/// large site nearly every file is the same shared allocation, and looking each one up was the cost.
pub fn changed_files(old: &Output, new: &Output) -> Vec<String> {
    let (mut old, mut new) = (old.files.iter().peekable(), new.files.iter().peekable());
    let mut changed = Vec::new();
    loop {
        let order = match (old.peek(), new.peek()) {
            (None, None) => return changed,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((a, _)), Some((b, _))) => a.cmp(b),
        };
        match order {
            Ordering::Less => changed.extend(old.next().map(|(path, _)| path.clone())),
            Ordering::Greater => changed.extend(new.next().map(|(path, _)| path.clone())),
            Ordering::Equal => {
                let ((path, was), (_, is)) = (old.next().expect("peeked"), new.next().expect("peeked"));
                if was != is {
                    changed.push(path.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Diagnostic;
    use crate::render::Entry;

    fn output(files: &[(&str, &str)]) -> Arc<Output> {
        let mut o = Output::default();
        for (k, v) in files {
            o.files.insert(k.to_string(), Entry::Bytes(v.as_bytes().into()));
        }
        Arc::new(o)
    }

    #[test]
    fn a_failed_build_keeps_the_last_good_output() {
        let first = Preview::first(Ok(output(&[("index.html", "a")])));
        let failed = first.next(Err(BuildFailed::new(vec![Diagnostic::error(None, "boom")])), &[]);
        assert_eq!(failed.version, first.version);
        assert_eq!(failed.output.bytes("index.html"), Some(&b"a"[..]));
        assert_eq!(failed.errors().len(), 1);
        let fixed = failed.next(Ok(output(&[("index.html", "b")])), &[]);
        assert!(fixed.error.is_none());
        assert_eq!(fixed.version, first.version + 1);
        assert_eq!(fixed.change.files, ["index.html"]);
        assert!(fixed.built && failed.built && fixed.build == 3);
    }

    #[test]
    fn a_failed_first_build_has_nothing_built_until_a_good_one() {
        let boom = || Err(BuildFailed::new(vec![Diagnostic::error(None, "boom")]));
        let first = Preview::first(boom());
        let again = first.next(boom(), &[]);
        assert!(!first.built && !again.built);
        assert_eq!((first.build, again.build), (1, 2), "each failure is a new build event");
        let json: serde_json::Value = serde_json::from_str(&again.event_json(None)).unwrap();
        assert_eq!((json["built"].clone(), json["build"].clone()), (false.into(), 2.into()));
        assert!(again.next(Ok(output(&[("index.html", "a")])), &[]).built);
    }

    #[test]
    fn added_removed_and_changed_files_are_listed_in_order() {
        let old = output(&[("a", "1"), ("b", "1"), ("d", "1"), ("e", "1")]);
        let new = output(&[("b", "2"), ("c", "1"), ("d", "1"), ("f", "1")]);
        assert_eq!(changed_files(&old, &new), ["a", "b", "c", "e", "f"]);
        assert_eq!(changed_files(&new, &new), Vec::<String>::new());
        assert_eq!(changed_files(&Output::default(), &new), ["b", "c", "d", "f"]);
    }

    #[test]
    fn stylesheet_changes_are_told_apart() {
        let first = Preview::first(Ok(output(&[("index.html", "a"), ("style.css", "x")])));
        let css = first.next(Ok(output(&[("index.html", "a"), ("style.css", "y")])), &[]);
        assert!(css.change.css_only());
        let both = css.next(Ok(output(&[("index.html", "b"), ("style.css", "z")])), &[]);
        assert!(!both.change.css_only());
        let same = both.next(Ok(output(&[("index.html", "b"), ("style.css", "z")])), &[]);
        assert_eq!(same.version, both.version);
    }
}
