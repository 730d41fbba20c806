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
    let target =
        if args.output_dir.is_absolute() { args.output_dir.clone() } else { args.site.root.join(&args.output_dir) };
    // Taken before the build, so that a second build of the same site is refused at once, not after rendering.
    let writer = match fanzine::write::Writer::begin(&target) {
        Ok(w) => w,
        Err(e) => return write_failed(&e),
    };
    let built = fanzine::pipeline::build_to(&options, &writer);
    if writer.failed() {
        // Pages that were not written look like broken links to the render; the write error is the one to fix.
        return writer.finish().err().map_or(Outcome::WriteFailed, |e| write_failed(&e));
    }
    let built = match built {
        Ok(b) => b,
        Err(failed) => {
            report::failure(&failed);
            eprintln!("{} was left unchanged", shown(&args.output_dir, &args.site.root));
            return Outcome::SiteErrors;
        }
    };
    report::warnings(&built.warnings);
    let publishing = Instant::now();
    match writer.finish() {
        Ok(written) => {
            let posts = built.site.pages.len();
            let noun = if posts == 1 { "post" } else { "posts" };
            // Pages are written as they are rendered, so those two share one figure.
            let stages: Vec<String> = (built.timings.iter().copied())
                .map(|(stage, took)| (if stage == "render" { "render and write" } else { stage }, took))
                .chain([("publish", publishing.elapsed())])
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
        Err(e) => write_failed(&e),
    }
}

fn write_failed(e: &fanzine::write::WriteError) -> Outcome {
    eprintln!("error: cannot write the site: {e}\n  = help: {}", e.hint());
    Outcome::WriteFailed
}

fn shown(output: &std::path::Path, root: &std::path::Path) -> String {
    if output.is_absolute() { output.display().to_string() } else { root.join(output).display().to_string() }
}
