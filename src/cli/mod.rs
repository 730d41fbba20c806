//! The command line: one file per subcommand, each with its clap `Args` and a `run`.
//!
//! Exit codes: 0 success; 1 the site has errors (each printed with its file and line); 2 the command line is
//! wrong; 3 the output could not be written (the previously published site is left as it was); 4 the preview
//! server could not start.
mod build;
mod check;
mod claims;
mod init;
mod new;
mod report;
mod serve;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser, Debug)]
#[command(
    name = "fanzine",
    version,
    about = "A static blog generator for long-form posts",
    propagate_version = true,
    after_help = "Examples:\n  fanzine init my-blog          start a site in my-blog/\n  fanzine build                 build ./content into ./public\n  fanzine check                 report every error and broken link, write nothing\n  fanzine new \"My first post\"   create content/my-first-post.md\n  fanzine claims scenario.toml  run the claim engine on a scenario\n\nExit codes: 0 success, 1 the site has errors, 2 bad command line, 3 the output could not be written."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into a folder ready to deploy (public/ by default).
    Build(build::BuildArgs),
    /// Build in memory and report every error and broken link, without writing anything.
    Check(check::CheckArgs),
    /// Start a new site in a new or empty folder: fanzine.toml and a first post.
    Init(init::InitArgs),
    /// Create a new post with its front matter filled in and print its path.
    New(new::NewArgs),
    /// Preview the site on localhost: rebuild on every save and reload the browser.
    Serve(serve::ServeArgs),
    /// Simulate where Nova claims resources in Placement and print the tables.
    Claims(claims::ClaimsArgs),
}

/// Options shared by every command that builds the site.
#[derive(Args, Debug, Clone)]
pub struct SiteArgs {
    /// The site's folder: the one holding content/ (and optionally fanzine.toml, templates/, static/). By default,
    /// the nearest folder from the current one upwards that holds fanzine.toml (or config.toml, zola.toml) or content/.
    #[arg(long, short = 'r', value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Include posts marked `draft = true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include posts dated after today.
    #[arg(long)]
    pub future: bool,
    /// Use this absolute URL instead of `base_url` from fanzine.toml.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print no warnings (errors are still printed).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

impl SiteArgs {
    /// The build options for the site at `root` (see [`site_root`]).
    pub fn options(&self, root: &std::path::Path) -> fanzine::site::BuildOptions {
        let mut options = fanzine::site::BuildOptions::new(root, today());
        options.drafts = self.drafts;
        options.future = self.future;
        options.base_url = self.base_url.clone();
        options
    }
}

/// The site's folder: `--root` if given (it must exist; it is never created), else found upwards from the current
/// folder. `Err` is the outcome to end with, the problem already printed.
pub fn site_root(given: Option<&std::path::Path>) -> Result<PathBuf, Outcome> {
    fanzine::site_root::find(given).map_err(|e| usage(&e.to_string(), e.hint()))
}

/// Prints a command-line problem and gives its outcome (exit code 2).
pub fn usage(message: &str, hint: &str) -> Outcome {
    eprintln!("error: {message}\n  = help: {hint}");
    Outcome::BadUsage
}

/// The edge is the one place allowed to read the clock: it decides which posts are "future" posts.
pub fn today() -> time::Date {
    time::OffsetDateTime::now_utc().date()
}

/// How a command ended, mapped to the documented exit codes.
pub enum Outcome {
    Success,
    SiteErrors,
    /// The command line is wrong: a bad --root, --output-dir or --section.
    BadUsage,
    WriteFailed,
    /// The preview server could not start (port in use, folder missing, no file watching).
    ServeFailed,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome = match &cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Init(args) => init::run(args),
        Command::New(args) => new::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Claims(args) => match claims::run(args) {
            Ok(()) => Outcome::Success,
            Err(e) => {
                eprintln!("error: {e:#}");
                Outcome::SiteErrors
            }
        },
    };
    match outcome {
        Outcome::Success => ExitCode::SUCCESS,
        Outcome::SiteErrors => ExitCode::from(1),
        Outcome::BadUsage => ExitCode::from(2),
        Outcome::WriteFailed => ExitCode::from(3),
        Outcome::ServeFailed => ExitCode::from(4),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
