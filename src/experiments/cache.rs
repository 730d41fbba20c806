//! A content-addressed cache of experiment results: in memory for the process, on disk between builds.
//!
//! Keys are hashes of everything the result depends on, so a stale entry can never be returned; entries are
//! written to a temporary name and renamed, so a killed build never leaves a torn one behind.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

pub struct Cache {
    dir: PathBuf,
    memory: Mutex<BTreeMap<String, String>>,
}

impl Cache {
    pub fn new(dir: PathBuf) -> Self {
        Cache { dir, memory: Mutex::new(BTreeMap::new()) }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        if let Some(hit) = self.memory.lock().expect("cache lock").get(key) {
            return Some(hit.clone());
        }
        let hit = std::fs::read_to_string(self.dir.join(key)).ok()?;
        self.memory.lock().expect("cache lock").insert(key.to_string(), hit.clone());
        Some(hit)
    }

    /// Best effort: a cache that cannot be written only costs time on the next build.
    pub fn put(&self, key: &str, value: &str) {
        self.memory.lock().expect("cache lock").insert(key.to_string(), value.to_string());
        let tmp = self.dir.join(format!(".{key}.{}", std::process::id()));
        let written = std::fs::create_dir_all(&self.dir)
            .and_then(|_| std::fs::write(&tmp, value))
            .and_then(|_| std::fs::rename(&tmp, self.dir.join(key)));
        if written.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_survive_a_new_process() {
        let dir = tempfile::tempdir().unwrap();
        Cache::new(dir.path().to_path_buf()).put("k", "v");
        assert_eq!(Cache::new(dir.path().to_path_buf()).get("k").as_deref(), Some("v"));
        assert_eq!(Cache::new(dir.path().to_path_buf()).get("missing"), None);
    }
}
