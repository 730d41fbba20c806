//! The images a render asked for, gathered where the render happened.
//!
//! `resize_image` is a Tera function: it sees its arguments and nothing of the file being rendered. It records its
//! [`Job`] here, on its thread (Tera renders a template on one thread), and whoever ran the render collects the
//! jobs with [`collect`]: the render stage keeps them with the file it made, the Markdown stage with the page whose
//! shortcodes asked. A render inside another (a shortcode inside a page's Markdown) is seen by both.
//!
//! The frame also carries how a shortcode's images are published ([`Publish`]): shortcodes run while the site
//! loads, before the template functions are bound to the new config.
use super::resize::Job;
use std::cell::RefCell;

/// Where and under which names the images of a render are published, from the site's config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publish {
    /// The base URL.
    pub base: String,
    /// Whether images get Zola's names ([`super::resize::Naming`]).
    pub zola: bool,
}

impl Publish {
    pub fn of(config: &crate::config::Config) -> Publish {
        Publish { base: config.base().to_string(), zola: config.is_zola() }
    }
}

#[derive(Default)]
struct Frame {
    publish: Option<Publish>,
    jobs: Vec<Job>,
}

thread_local! {
    static FRAMES: RefCell<Vec<Frame>> = const { RefCell::new(Vec::new()) };
}

/// Runs `render`, returning the jobs recorded during it. `publish`: how its images are published, if not as the
/// bound config says.
pub fn collect<T>(publish: Option<Publish>, render: impl FnOnce() -> T) -> (T, Vec<Job>) {
    FRAMES.with_borrow_mut(|f| f.push(Frame { publish, jobs: Vec::new() }));
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

/// How the innermost [`collect`] that was told publishes its images, if any was.
pub fn publish() -> Option<Publish> {
    FRAMES.with_borrow(|frames| frames.iter().rev().find_map(|f| f.publish.clone()))
}

/// Records a job for the innermost [`collect`] (every render runs inside one: the render stage's and the Markdown
/// stage's).
pub fn record(job: Job) {
    FRAMES.with_borrow_mut(|frames| {
        if let Some(frame) = frames.last_mut() {
            frame.jobs.push(job);
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::images::resize::{Format, Naming, Op};

    fn job(name: &str) -> Job {
        Job::new(name.into(), name.into(), name.as_bytes(), (10, 10), Op::Fill(2, 2), Format::Png, Naming::Fanzine)
    }

    #[test]
    fn a_render_inside_another_is_seen_by_both_and_nothing_is_left_over() {
        let told = Publish { base: "https://example.com".into(), zola: true };
        let ((publish, inner), outer) = collect(None, || {
            record(job("a"));
            collect(Some(told.clone()), || {
                record(job("b"));
                publish()
            })
        });
        assert_eq!(publish, Some(told));
        assert_eq!(inner, vec![job("b")]);
        assert_eq!(outer, vec![job("a"), job("b")]);
        assert_eq!(collect(None, || ()).1, vec![], "the next render starts empty");
        assert_eq!(collect(None, super::publish).0, None);
    }
}
