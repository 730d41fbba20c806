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
    match fanzine::pipeline::build(&args.site.options(&root)) {
        Ok(built) => {
            report::warnings(&built.warnings, args.site.quiet);
            let links: usize = built.site.pages.iter().map(|p| p.content.links.len()).sum();
            eprintln!(
                "ok: {} posts, {} files, {links} links checked, {} warnings",
                built.site.pages.len(),
                built.output.files.len(),
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
