//! Printing diagnostics to the terminal, the same way for every command: repeated warnings folded into one
//! (`fanzine::warnings`), and none at all with `--quiet`, whose errors are still printed.
use fanzine::error::{BuildFailed, Diagnostic};

pub fn warnings(warnings: &[Diagnostic], quiet: bool) {
    if quiet {
        return;
    }
    for line in fanzine::warnings::folded(warnings) {
        eprintln!("{line}");
    }
}

pub fn failure(failed: &BuildFailed, quiet: bool) {
    if quiet {
        eprintln!("{}", failed.without_warnings());
    } else {
        eprintln!("{failed}");
    }
}
