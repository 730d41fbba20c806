//! One render's context, and the one way an output file is made from a template.
//!
//! Every file is rendered from a single value of template variables: a struct whose fields are the variables its
//! template sees (besides the base ones every template gets, which only the config changes). That value is
//! serialised into the Tera context and, hashed, is the file's key in the memo, so what a page shows and what
//! decides whether it is rendered again are one thing and cannot drift apart. Posts appear in it as
//! [`super::views::Shown`] or [`super::views::Full`], which hash as their stamps.
use super::memo::{Kept, Key, Made};
use super::views::Views;
use crate::error::Diagnostic;
use crate::site::Site;
use crate::templates::Templates;
use serde::Serialize;
use std::hash::Hash;
use tera::Context;

/// Output files a producer made: (path, file).
pub(super) type Files = Result<Vec<(String, Made)>, Diagnostic>;

/// What every producer of output files renders with.
pub(super) struct Cx<'a> {
    pub site: &'a Site,
    pub templates: &'a Templates,
    pub views: &'a Views,
    /// `config` and the other variables every template gets.
    pub base: &'a Context,
    /// The files of the last render, reused when their variables are the same.
    pub kept: &'a Kept,
}

impl Cx<'_> {
    /// Renders `template` with `vars` into `path`, or reuses the file the last render made there from equal
    /// variables with the same template.
    pub fn file<V: Hash + Serialize>(
        &self,
        path: String,
        template: &str,
        vars: &V,
    ) -> Result<(String, Made), Diagnostic> {
        let key = Key::of(std::any::type_name::<V>()).with(template).with(vars);
        let made = self.kept.get_or_render(&path, key, || {
            let mut context = self.base.clone();
            let own = Context::from_serialize(vars).map_err(|e| {
                Diagnostic::error(None, format!("the variables of {template} could not be made: {e}"))
                    .with_hint("this is a bug in fanzine; please report it with the site that shows it")
            })?;
            context.extend(own);
            self.templates.render(template, &context)
        })?;
        Ok((path, made))
    }
}

/// Variables of a template that needs none of its own (404.html).
#[derive(Hash, Serialize)]
pub(super) struct NoVars {}
