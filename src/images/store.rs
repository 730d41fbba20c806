//! Where processed images are made and kept, so that an image is encoded once for as long as its source and its
//! operation stay the same.
//!
//! The store knows a job by its key, a hash of the source's bytes and the operation ([`super::resize::Job`]), so
//! a name found in the store is the right file, whatever build made it; the name the site publishes may be Zola's,
//! which stays when the image changes, so it is never the store's. `fanzine build` keeps them on disk under
//! `.fanzine-cache/images/`, the output folder gets copies (written with the rest of the site, atomically); the
//! preview keeps them in memory for as long as it runs. Jobs are encoded in parallel, each distinct output once.
use super::resize::Job;
use crate::error::{Diagnostic, Location};
use crate::render::Entry;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Made images, by output name.
#[derive(Default)]
pub struct Store {
    /// `.fanzine-cache/images/`, when files are kept on disk; else they are kept in memory.
    dir: Option<PathBuf>,
    /// Made images by key, for the preview.
    memory: Mutex<HashMap<String, Arc<[u8]>>>,
    /// Images encoded by the last [`Store::make`] (the rest came from the store).
    encoded: AtomicUsize,
}

impl Store {
    /// A store that keeps its images in `dir` (made when first needed).
    pub fn on_disk(dir: PathBuf) -> Store {
        Store { dir: Some(dir), ..Store::default() }
    }

    /// How many images the last [`Store::make`] encoded.
    pub fn encoded(&self) -> usize {
        self.encoded.load(Ordering::Relaxed)
    }

    /// The file of every job, encoded now unless the store has it, by output path; and the jobs that failed.
    pub fn make(&self, jobs: &BTreeMap<String, Job>) -> (Vec<(String, Entry)>, Vec<Diagnostic>) {
        self.encoded.store(0, Ordering::Relaxed);
        let made: Vec<_> = jobs.par_iter().map(|(path, job)| (path.clone(), self.one(job))).collect();
        if self.dir.is_none() {
            // The preview's memory holds the images of the current site only.
            let keys: HashSet<&str> = jobs.values().map(|job| job.key.as_str()).collect();
            lock(&self.memory).retain(|key, _| keys.contains(key.as_str()));
        }
        let (mut files, mut failed) = (Vec::new(), Vec::new());
        for (path, result) in made {
            match result {
                Ok(entry) => files.push((path, entry)),
                Err(d) => failed.push(d),
            }
        }
        (files, failed)
    }

    fn one(&self, job: &Job) -> Result<Entry, Diagnostic> {
        let name = job.key.as_str();
        if let Some(dir) = &self.dir {
            let file = dir.join(name);
            if file.is_file() {
                return Ok(Entry::Copy(file));
            }
            let bytes = self.encode(job)?;
            return Ok(match keep(dir, name, &bytes) {
                Ok(()) => Entry::Copy(file),
                // The site is fine without the cache: the next build encodes the image again.
                Err(_) => Entry::Bytes(bytes.into()),
            });
        }
        if let Some(bytes) = lock(&self.memory).get(name) {
            return Ok(Entry::Bytes(bytes.clone()));
        }
        let bytes: Arc<[u8]> = self.encode(job)?.into();
        lock(&self.memory).insert(job.key.clone(), bytes.clone());
        Ok(Entry::Bytes(bytes))
    }

    fn encode(&self, job: &Job) -> Result<Vec<u8>, Diagnostic> {
        self.encoded.fetch_add(1, Ordering::Relaxed);
        job.encode().map_err(|message| {
            Diagnostic::error(Some(Location::file(&job.shown)), message)
                .with_hint("the file may be damaged: open it in an image viewer, or save it again as PNG or JPEG")
        })
    }
}

/// Writes `name` into `dir` whole or not at all: a build stopped halfway never leaves half an image in the cache.
fn keep(dir: &std::path::Path, name: &str, bytes: &[u8]) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{name}.{}.partial", std::process::id()));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, dir.join(name)).inspect_err(|_| {
        let _ = std::fs::remove_file(&partial);
    })
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poison| poison.into_inner())
}
