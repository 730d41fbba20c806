//! fanzine: a static blog generator for long-form posts.
//!
//! The pipeline is a chain of values, each stage pure except the last:
//! `config` → `content` (load the sources) → `site` (the immutable model) →
//! `render` (an in-memory [`render::Output`]) → `write` (staging + atomic swap).
//! The claim engine in [`claims`] is a separate research instrument that the
//! Markdown pipeline calls through one narrow function.

pub mod claims;
pub mod config;
pub mod content;
pub mod error;
pub mod experiments;
pub mod fingerprint;
pub mod highlight;
pub mod locate;
pub mod markdown;
pub mod output_path;
pub mod pipeline;
pub mod render;
pub mod serve;
pub mod site;
pub mod site_root;
pub mod slugify;
pub mod symlinks;
pub mod templates;
pub mod warnings;
pub mod write;
