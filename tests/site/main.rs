//! Whole builds of fixture sites, driven through the real `fanzine` binary.
mod errors;
mod features;
mod fixture;
mod output_checks;
