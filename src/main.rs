//! The `fanzine` binary: parse the command line, call the library, report errors.
mod cli;

/// mimalloc instead of glibc's malloc: a build allocates and frees millions of small strings and maps (template
/// contexts above all) from several threads, and glibc both spends a fifth of a cached build's CPU in its
/// allocator and grows its per-thread heaps a page range at a time (64,000 `mprotect` calls in a nothing-changed
/// build of 10,000 posts). The figures are in the commit that made this change.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
