//! Whole builds of fixture sites, driven through the real `fanzine` binary.
mod errors;
mod escape;
mod faults;
mod features;
mod fixture;
mod ids;
mod init;
mod limits;
mod output_checks;
mod output_folder;
mod sass;
mod sections;
mod social;
mod symlinks;
mod taxonomies;
mod xml;
mod zola_config;
