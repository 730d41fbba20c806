//! Content keys: what the on-disk caches (rendered Markdown, experiment results) and published file names are
//! named by. A 128-bit xxh3 hash, stable across platforms and Rust releases (std's hasher is neither promised),
//! so a key written by one build means the same to the next.

/// The key of these parts, as 32 hex digits. Each part is hashed with its length, so `["ab", ""]` and
/// `["a", "b"]` differ.
pub fn of(parts: &[&[u8]]) -> String {
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for part in parts {
        hasher.update(&(part.len() as u64).to_le_bytes());
        hasher.update(part);
    }
    format!("{:032x}", hasher.digest128())
}

#[cfg(test)]
mod tests {
    use super::of;

    #[test]
    fn keys_depend_on_every_part_and_its_boundaries() {
        assert_eq!(of(&[b"a", b"b"]), of(&[b"a", b"b"]));
        assert_ne!(of(&[b"a", b"b"]), of(&[b"ab", b""]));
        assert_ne!(of(&[b"v1", b"x"]), of(&[b"v2", b"x"]));
        assert_eq!(of(&[b""]).len(), 32);
    }
}
