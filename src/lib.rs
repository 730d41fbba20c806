//! fanzine: a static blog generator for long-form posts.
//!
//! The pipeline is a chain of values, each stage pure except the last:
//! `config` → `content` (load the sources) → `site` (the immutable model) →
//! `render` (every file handed to a [`render::Sink`]) → `write` (staging + atomic swap).
//! [`build::Builder`] drives it, the one build path of `build`, `check` and the preview.
//! The claim engine in [`claims`] is a separate research instrument that the
//! Markdown pipeline calls through one narrow function.

pub mod build;
pub mod cache_file;
pub mod claims;
pub mod config;
pub mod content;
pub mod error;
pub mod experiments;
pub mod fingerprint;
pub mod highlight;
pub mod ignored;
pub mod images;
pub mod locate;
pub mod markdown;
pub mod output_path;
pub mod render;
pub mod sass;
pub mod search;
pub mod serve;
pub mod site;
pub mod site_root;
pub mod slugify;
pub mod symlinks;
pub mod templates;
pub mod theme;
pub mod warnings;
pub mod write;
