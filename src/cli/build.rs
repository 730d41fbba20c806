//! `fanzine build`: render the site and publish it atomically into the output folder.
use super::{Outcome, SiteArgs, report};
use clap::Args;
use std::path::PathBuf;
use std::time::Instant;

#[derive(Args, Debug)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site. Replaced as a whole, only once the build has fully succeeded.
    #[arg(long, short = 'o', default_value = "public", value_name = "DIR")]
    pub output_dir: PathBuf,
    /// Render every post afresh instead of reusing what earlier builds kept in .fanzine-cache/.
    #[arg(long)]
    pub no_cache: bool,
}

pub fn run(args: &BuildArgs) -> Outcome {
    let started = Instant::now();
    let mut options = args.site.options();
    if !args.no_cache {
        options.cache_dir = Some(args.site.root.join(".fanzine-cache"));
    }
    let built = match fanzine::pipeline::build(&options) {
        Ok(b) => b,
        Err(failed) => {
            report::failure(&failed);
            eprintln!("{} was left unchanged", shown(&args.output_dir, &args.site.root));
            return Outcome::SiteErrors;
        }
    };
    report::warnings(&built.warnings);
    let target =
        if args.output_dir.is_absolute() { args.output_dir.clone() } else { args.site.root.join(&args.output_dir) };
    let writing = Instant::now();
    match fanzine::write::write(&built.output, &target) {
        Ok(written) => {
            let posts = built.site.pages.len();
            let noun = if posts == 1 { "post" } else { "posts" };
            let stages: Vec<String> = (built.timings.iter().copied())
                .chain([("write", writing.elapsed())])
                .map(|(stage, took)| format!("{stage} {} ms", took.as_millis()))
                .collect();
            let reused =
                built.reused.map(|n| format!("; Markdown of {n} reused from .fanzine-cache")).unwrap_or_default();
            eprintln!(
                "built {posts} {noun}, {} files ({} changed) into {} in {} ms ({}{reused})",
                written.files,
                written.changed,
                target.display(),
                started.elapsed().as_millis(),
                stages.join(", ")
            );
            Outcome::Success
        }
        Err(e) => {
            eprintln!("error: cannot write the site: {e}\n  = help: {}", e.hint());
            Outcome::WriteFailed
        }
    }
}

fn shown(output: &std::path::Path, root: &std::path::Path) -> String {
    if output.is_absolute() { output.display().to_string() } else { root.join(output).display().to_string() }
}
