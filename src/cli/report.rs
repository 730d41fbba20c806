//! Printing diagnostics to the terminal, the same way for every command.
use fanzine::error::{BuildFailed, Diagnostic};

pub fn warnings(warnings: &[Diagnostic]) {
    for w in warnings {
        eprintln!("{w}");
    }
}

pub fn failure(failed: &BuildFailed) {
    eprintln!("{failed}");
}
