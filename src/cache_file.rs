//! Files kept in the cache folder (`.fanzine-cache/`): each is written whole under a temporary name,
//! `<name>.<pid>.tmp`, and renamed into place, so a build killed while writing one leaves the old file (or none),
//! never a torn one; and the temporary files killed builds left are removed by the next.
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

/// The temporary file this process writes `name` of `dir` to before renaming it into place.
pub fn temp_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}.{}.tmp", std::process::id()))
}

/// Replaces `dir/name` with `bytes` (making `dir` if needed); on failure the old file stays and no temporary
/// file is left.
pub fn replace(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let temp = temp_path(dir, name);
    let written = fs::write(&temp, bytes).and_then(|()| fs::rename(&temp, dir.join(name)));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// Removes the temporary files of `name` that builds killed while writing them left in `dir` (their process is
/// gone).
pub fn remove_abandoned_temps(dir: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let pid = file.strip_prefix(&format!("{name}.")).and_then(|rest| rest.strip_suffix(".tmp"));
        if pid.is_some_and(|pid| !Path::new("/proc").join(pid).exists()) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_replaced_whole_and_only_dead_builds_temps_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("cache");
        replace(&folder, "kept", b"one").unwrap();
        replace(&folder, "kept", b"two").unwrap();
        assert_eq!(fs::read(folder.join("kept")).unwrap(), b"two");
        let (dead, live) = (folder.join("kept.999999999.tmp"), temp_path(&folder, "kept"));
        fs::write(&dead, "x").unwrap();
        fs::write(&live, "x").unwrap();
        remove_abandoned_temps(&folder, "kept");
        assert!(!dead.exists() && live.exists(), "this process is alive: its temporary file stays");
        // A rename that fails (a folder in the way) leaves the folder and no temporary file.
        fs::create_dir_all(folder.join("blocked/inside")).unwrap();
        assert!(replace(&folder, "blocked", b"x").is_err());
        assert!(folder.join("blocked/inside").is_dir() && !temp_path(&folder, "blocked").exists());
    }
}
