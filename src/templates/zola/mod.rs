//! Zola's global functions and filters that need no site model: `load_data`, `get_hash`, `now`, `trans`,
//! `get_random`, `resize_image`, and the filters `markdown`, `base64_encode`, `base64_decode`, `regex_replace`, `num_format` and
//! `slugify`, so that a Zola site's templates run unchanged.
//!
//! Tera hands a function its arguments and nothing else, so what these need from the site (the config, the newest
//! date of its content, where `@/` links lead) is bound once per render by [`Zola::bind`], and what they need from
//! the file being rendered (its template and path, for `get_random`'s seed) by [`begin`]. A function that reads a
//! file or the site calls [`crate::templates::reads::note`], so the preview renders its files again on each save.
mod clock;
mod data;
mod files;
mod hash;
mod random;
mod resize;
mod text;
mod trans;

use crate::config::Config;
use crate::site::Site;
use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use tera::{Context, Tera};

/// What the functions know of the site: set by [`Zola::bind`] before each render.
struct Bound {
    config: Arc<Config>,
    /// What `now()` returns (see [`clock`]).
    now: time::OffsetDateTime,
    /// Language → key → text, from Zola's `[translations]` and `[languages.xx.translations]`.
    translations: BTreeMap<String, BTreeMap<String, String>>,
    /// `blog/post.md` → URL, for `@/` links in the `markdown` filter.
    links: HashMap<String, String>,
}

impl Default for Bound {
    fn default() -> Bound {
        let now = time::OffsetDateTime::UNIX_EPOCH;
        Bound { config: Arc::default(), now, translations: BTreeMap::new(), links: HashMap::new() }
    }
}

/// Shared by every function registered on one [`Tera`].
struct State {
    root: PathBuf,
    bound: RwLock<Arc<Bound>>,
    cache: data::Cache,
    /// Whether a function read a file of the site since the last [`Zola::bind`]: a static file edited in place
    /// then needs a render, not only a copy.
    read_files: AtomicBool,
}

impl State {
    fn bound(&self) -> Arc<Bound> {
        self.bound.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// The handle [`crate::templates::Templates`] keeps to bind the site before rendering.
pub struct Zola {
    state: Arc<State>,
}

/// Registers every function and filter of this module on `tera`, for the site at `root`.
pub fn register(tera: &mut Tera, root: &Path) -> Zola {
    let state = Arc::new(State {
        root: root.to_path_buf(),
        bound: RwLock::default(),
        cache: data::Cache::default(),
        read_files: AtomicBool::new(false),
    });
    data::register(tera, &state);
    hash::register(tera, &state);
    clock::register(tera, &state);
    trans::register(tera, &state);
    random::register(tera);
    resize::register(tera, &state);
    text::register(tera, &state);
    Zola { state }
}

impl Zola {
    /// Gives the functions what they need of `site` for the render that follows.
    pub fn bind(&self, site: &Site) {
        let mut links = HashMap::new();
        for page in &site.pages {
            if let Some(rest) = page.source.path.strip_prefix("content/") {
                links.insert(rest.to_string(), page.permalink.clone());
            }
        }
        let bound = Bound {
            config: site.config.clone(),
            now: clock::deterministic_now(site),
            translations: trans::read(&site.root),
            links,
        };
        *self.state.bound.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(bound);
        self.state.read_files.store(false, Ordering::Relaxed);
    }

    /// Whether a template read a file of the site during the renders since the last bind.
    pub fn read_files(&self) -> bool {
        self.state.read_files.load(Ordering::Relaxed)
    }
}

/// The file being rendered on this thread, and how many `get_random` calls it has made.
#[derive(Default)]
struct Current {
    template: String,
    path: String,
    calls: u64,
    /// A hint for the error the last function returned, taken by the renderer's diagnostic.
    hint: Option<String>,
}

thread_local! {
    static CURRENT: RefCell<Current> = RefCell::default();
}

/// Called before each render: `template` and the context's `current_path` seed `get_random`.
pub fn begin(template: &str, context: &Context) {
    let path = context.get("current_path").and_then(|v| v.as_str()).unwrap_or_default().to_string();
    CURRENT.set(Current { template: template.to_string(), path, calls: 0, hint: None });
}

/// The hint of the error a function of this module returned during the last render on this thread, if any.
pub fn take_hint() -> Option<String> {
    CURRENT.with_borrow_mut(|c| c.hint.take())
}

/// An error for Tera with a hint the renderer shows under it. The message never holds ": ", which the renderer
/// takes for the boundary between Tera's layers.
fn fail(message: impl Into<String>, hint: impl Into<String>) -> tera::Error {
    let hint = hint.into();
    CURRENT.with_borrow_mut(|c| c.hint = Some(hint));
    tera::Error::msg(message.into().replace(": ", " - "))
}

/// A string argument, if given.
fn string_arg<'a>(args: &'a HashMap<String, tera::Value>, function: &str, key: &str) -> tera::Result<Option<&'a str>> {
    match args.get(key) {
        None => Ok(None),
        Some(tera::Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(fail(
            format!("{function}() received {key}={other}, but {key} must be a string"),
            format!("put the value of {key} in quotes"),
        )),
    }
}

/// A boolean argument, `default` when not given.
fn bool_arg(args: &HashMap<String, tera::Value>, function: &str, key: &str, default: bool) -> tera::Result<bool> {
    match args.get(key) {
        None => Ok(default),
        Some(tera::Value::Bool(b)) => Ok(*b),
        Some(other) => Err(fail(
            format!("{function}() received {key}={other}, but {key} must be true or false"),
            format!("write {key}=true or {key}=false, without quotes"),
        )),
    }
}
