//! `fanzine check`: the whole build in memory, every error and broken link reported, nothing written.
use super::{Outcome, SiteArgs, report};
use clap::Args;

#[derive(Args, Debug)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
}

pub fn run(args: &CheckArgs) -> Outcome {
    let root = match super::site_root(args.site.root.as_deref()) {
        Ok(root) => root,
        Err(outcome) => return outcome,
    };
    let mut builder = fanzine::build::Builder::once(args.site.options(&root));
    let collect = fanzine::render::Collect::default();
    match builder.build(None, &collect) {
        Ok(built) => {
            report::warnings(&built.warnings, args.site.quiet);
            let pages = builder.site().map_or(&[][..], |site| &site.pages);
            let links: usize = pages.iter().map(|p| p.content.links.len()).sum();
            eprintln!(
                "ok: {} posts, {} files, {links} links checked, {} warnings",
                built.pages,
                collect.into_output().files.len(),
                built.warnings.len()
            );
            Outcome::Success
        }
        Err(failed) => {
            report::failure(&failed, args.site.quiet);
            Outcome::SiteErrors
        }
    }
}
