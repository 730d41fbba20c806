//! One render's context, and the one way an output file is made from a template.
//!
//! Every file is rendered from a single value of template variables: a struct whose fields are the variables its
//! template sees (besides the base ones every template gets, which only the config changes). That value is
//! serialised into the Tera context and, hashed, is the file's key in the memo, so what a page shows and what
//! decides whether it is rendered again are one thing and cannot drift apart. Posts appear in it as
//! [`super::views::Shown`] or [`super::views::Full`], which hash as their stamps.
use super::memo::{Kept, Key, Made};
use super::reach::Work;
use super::views::{Views, stamps_hashed};
use crate::error::Diagnostic;
use crate::site::Site;
use crate::templates::Templates;
use serde::Serialize;
use std::collections::HashSet;
use std::hash::Hash;
use tera::Context;

/// Output files a producer made: (path, file).
pub(super) type Files = Result<Vec<(String, Made)>, Diagnostic>;

/// What every producer of output files renders with.
#[derive(Clone, Copy)]
pub(super) struct Cx<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub views: &'a Views,
    /// `config` and the other variables every template gets.
    pub base: &'a Context,
    /// The files of the last render, reused when their variables are the same.
    pub kept: &'a Kept,
    /// The template of each page and section.
    pub chosen: &'a super::chosen::Chosen,
    /// Which of fanzine's own files this site gets.
    pub builtins: super::builtins::Builtins,
    /// What the files made with this context are made by, for the memo's [`super::reach::Reach`].
    pub work: Work,
    /// When only some files are to be made (a save reached them, see [`super::reach`]): their paths. The others
    /// come out [`Made::carried`], neither hashed nor rendered.
    pub wanted: Option<&'a HashSet<String>>,
}

impl<'a> Cx<'a> {
    /// This context, for the files `work` makes.
    pub fn at(&self, work: Work) -> Cx<'a> {
        Cx { work, ..*self }
    }

    /// Whether the file at `path` is to be made by this render (a producer may skip building its variables).
    pub fn wants(&self, path: &str) -> bool {
        self.wanted.is_none_or(|wanted| wanted.contains(path))
    }

    /// Renders `template` with `vars` into `path`, or reuses the file the last render made there from equal
    /// variables with the same template.
    pub fn file<V: Hash + Serialize>(
        &self,
        path: String,
        template: &str,
        vars: &V,
    ) -> Result<(String, Made), Diagnostic> {
        self.make(path, template, vars, |text| text)
    }

    /// [`Cx::file`] for an XML file (a feed, the sitemap): characters XML forbids were removed, with a warning,
    /// from the posts as they were read; any left can only come from the config or a template, and go here, so
    /// that the file is always well-formed.
    pub fn xml_file<V: Hash + Serialize>(
        &self,
        path: String,
        template: &str,
        vars: &V,
    ) -> Result<(String, Made), Diagnostic> {
        self.make(path, template, vars, |text| crate::content::xml::strip_owned(text).0)
    }

    fn make<V: Hash + Serialize>(
        &self,
        path: String,
        template: &str,
        vars: &V,
        finish: fn(String) -> String,
    ) -> Result<(String, Made), Diagnostic> {
        if !self.wants(&path) {
            return Ok((path, Made::carried()));
        }
        let key = || Key::of(std::any::type_name::<V>()).with(template).with(vars);
        let (key, stamps) = if self.kept.notes_stamps() { stamps_hashed(key) } else { (key(), Vec::new()) };
        let made = self.kept.get_or_render(&path, key, || {
            let mut context = self.base.clone();
            let own = (super::views::to_value(vars).map_err(|e| e.to_string()))
                .and_then(|value| Context::from_value(value).map_err(|e| e.to_string()));
            let own = own.map_err(|e| {
                Diagnostic::error(None, format!("the variables of {template} could not be made: {e}")).with_hint(
                    "unless a post's HTML kept in .fanzine-cache/ could not be read back (then build again), this is \
                     a bug in fanzine; please report it with the site that shows it",
                )
            })?;
            context.extend(own);
            self.templates.render(template, &context).map(finish)
        })?;
        Ok((path, Made { stamps, work: self.work, ..made }))
    }
}

/// For unit tests: runs `f` with the render context of `site`, taking the memo's kept files, and hands them back
/// (for [`super::memo::Memo::keep`]).
#[cfg(test)]
pub(super) fn with_cx<R>(
    site: &Site,
    templates: &Templates,
    memo: &mut super::memo::Memo,
    f: impl FnOnce(&Cx) -> R,
) -> (R, Kept) {
    let views = memo.views.views(site);
    let base = super::views::base_context(site);
    let kept = memo.take_files();
    let chosen = super::chosen::choose(site, templates).0;
    let builtins = super::builtins::Builtins::of(site, templates);
    let work = Work::Producer(0);
    let cx =
        Cx { site, templates, views: &views, base: &base, kept: &kept, chosen: &chosen, builtins, work, wanted: None };
    let result = f(&cx);
    (result, kept)
}

/// Variables of a template that needs none of its own (404.html).
#[derive(Hash, Serialize)]
pub(super) struct NoVars {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::memo::Memo;

    #[derive(Hash, Serialize)]
    struct Vars<'a> {
        current_path: &'a str,
    }

    /// A template that shows its variables, from a site with no posts.
    fn render_twice(first: &str, second: &str) -> (bool, bool, String) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("templates")).unwrap();
        std::fs::write(dir.path().join("templates/404.html"), "at {{ current_path }}").unwrap();
        let options = crate::site::BuildOptions::new(dir.path(), time::macros::date!(2026 - 01 - 01));
        let site = crate::site::load(&options, None).unwrap();
        let templates = Templates::load(dir.path(), None).unwrap();
        let mut memo = Memo::default();
        let mut fresh = Vec::new();
        let mut bytes = String::new();
        for path in [first, second] {
            let ((_, made), kept) = with_cx(&site, &templates, &mut memo, |cx| {
                cx.file("x.html".into(), "404.html", &Vars { current_path: path }).unwrap()
            });
            fresh.push(made.fresh);
            let crate::render::Entry::Bytes(made_bytes) = made.entry else { panic!("a memo in memory reuses bytes") };
            bytes = String::from_utf8(made_bytes.to_vec()).unwrap();
            let live = [("x.html".to_string(), true)].into();
            memo.keep(kept, [("x.html".to_string(), (made.key, made_bytes))].into(), Default::default(), &live, (1, 1));
        }
        (fresh[0], fresh[1], bytes)
    }

    #[test]
    fn a_file_is_rendered_again_exactly_when_its_variables_change() {
        assert_eq!(render_twice("/a/", "/a/"), (true, false, "at /a/".into()));
        assert_eq!(render_twice("/a/", "/b/"), (true, true, "at /b/".into()));
    }
}
