//! A content-addressed cache of experiment results: in memory for the process, on disk between builds when given a
//! folder.
//!
//! Keys are hashes of everything the result depends on, so a stale entry can never be returned; entries are
//! written to a temporary name and renamed, so a killed build never leaves a torn one behind.
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Mutex;

pub struct Cache {
    dir: Option<PathBuf>,
    memory: Mutex<BTreeMap<String, String>>,
}

impl Cache {
    pub fn new(dir: Option<PathBuf>) -> Self {
        Cache { dir, memory: Mutex::new(BTreeMap::new()) }
    }

    pub fn get(&self, key: &str) -> Option<String> {
        if let Some(hit) = self.memory.lock().expect("cache lock").get(key) {
            return Some(hit.clone());
        }
        let hit = std::fs::read_to_string(self.dir.as_ref()?.join(key)).ok()?;
        self.memory.lock().expect("cache lock").insert(key.to_string(), hit.clone());
        Some(hit)
    }

    /// Best effort: a cache that cannot be written only costs time on the next build.
    pub fn put(&self, key: &str, value: &str) {
        self.memory.lock().expect("cache lock").insert(key.to_string(), value.to_string());
        let Some(dir) = &self.dir else { return };
        let tmp = dir.join(format!(".{key}.{}", std::process::id()));
        let written = std::fs::create_dir_all(dir)
            .and_then(|_| std::fs::write(&tmp, value))
            .and_then(|_| std::fs::rename(&tmp, dir.join(key)));
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
        Cache::new(Some(dir.path().to_path_buf())).put("k", "v");
        assert_eq!(Cache::new(Some(dir.path().to_path_buf())).get("k").as_deref(), Some("v"));
        assert_eq!(Cache::new(Some(dir.path().to_path_buf())).get("missing"), None);
    }

    #[test]
    fn without_a_folder_values_live_in_memory_only() {
        let cache = Cache::new(None);
        cache.put("k", "v");
        assert_eq!(cache.get("k").as_deref(), Some("v"));
        assert_eq!(Cache::new(None).get("k"), None, "nothing was kept for another process");
    }
}
