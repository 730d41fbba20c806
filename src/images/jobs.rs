//! The images a render asked for, gathered where the render happened.
//!
//! `resize_image` is a Tera function: it sees its arguments and nothing of the file being rendered. It records its
//! [`Job`] here, on its thread (Tera renders a template on one thread), and whoever ran the render collects the
//! jobs with [`collect`]: the render stage keeps them with the file it made, the Markdown stage with the page whose
//! shortcodes asked. A render inside another (a shortcode inside a page's Markdown) is seen by both.
//!
//! The frame also carries the base URL a shortcode's images are published under: shortcodes run while the site
//! loads, before the template functions are bound to the new config.
use super::resize::Job;
use std::cell::RefCell;

#[derive(Default)]
struct Frame {
    base: Option<String>,
    jobs: Vec<Job>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Runs `render`, returning the jobs recorded during it. `base`: the base URL for its images, if not the bound
/// config's.
pub fn collect<T>(base: Option<&str>, render: impl FnOnce() -> T) -> (T, Vec<Job>) {
    FRAMES.with_borrow_mut(|f| f.push(Frame { base: base.map(str::to_string), jobs: Vec::new() }));
    let result = render();
    let jobs = FRAMES.with_borrow_mut(|frames| {
        let frame = frames.pop().unwrap_or_default();
        if let Some(outer) = frames.last_mut() {
            outer.jobs.extend(frame.jobs.iter().cloned());
        }
        frame.jobs
    });
    (result, jobs)
}

/// The base URL the innermost [`collect`] was given, if any.
pub fn base() -> Option<String> {
    FRAMES.with_borrow(|frames| frames.iter().rev().find_map(|f| f.base.clone()))
}

/// Whether a [`collect`] is running on this thread: a job recorded outside one would be lost.
pub fn collecting() -> bool {
    FRAMES.with_borrow(|frames| !frames.is_empty())
}

pub fn record(job: Job) {
    FRAMES.with_borrow_mut(|frames| {
        if let Some(frame) = frames.last_mut() {
            frame.jobs.push(job);
        }
    });
}
