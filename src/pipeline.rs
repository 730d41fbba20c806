//! The whole build as one call: load the templates and the site, render. Writing is left to the caller, so the
//! CLI writes to disk, `check` and the preview server keep the result in memory.
use crate::error::{BuildFailed, Diagnostic};
use crate::experiments::Experiments;
use crate::render::{self, Output};
use crate::site::{self, BuildOptions, Site};
use crate::templates::Templates;

/// A successful build, in memory.
pub struct Built {
    pub site: Site,
    pub output: Output,
    pub warnings: Vec<Diagnostic>,
}

pub fn build(options: &BuildOptions) -> Result<Built, BuildFailed> {
    // Templates and content are checked side by side so that one run reports the problems of both.
    let experiments = Experiments::new(&options.root);
    let hook = |lang: &str, code: &str| experiments.block(lang, code);
    let (templates, site) = rayon::join(|| Templates::load(&options.root), || site::load(options, Some(&hook)));
    let (templates, site) = match (templates, site) {
        (Ok(t), Ok(s)) => (t, s),
        (t, s) => {
            let mut all = t.err().unwrap_or_default();
            all.extend(s.err().map(|f| f.diagnostics).unwrap_or_default());
            return Err(BuildFailed::new(all));
        }
    };
    let (output, warnings) = render::render(&site, &templates)?;
    Ok(Built { site, output, warnings })
}
