//! Zola themes: `theme = "name"` in the config puts `themes/name/templates/` and `themes/name/static/` under the
//! site's own. A site's file of the same name wins, and a site template may still extend the theme's through its
//! long name, `name/templates/index.html`, as in Zola. The theme's `theme.toml` may give defaults for
//! `config.extra`; the site's own keys win there too.
use crate::config::Config;
use crate::error::{Diagnostic, Location};
use std::path::{Path, PathBuf};

/// The folder a theme lives in.
pub fn dir(root: &Path, name: &str) -> PathBuf {
    root.join("themes").join(name)
}

/// Checks that the config's theme exists and lays its `theme.toml` `[extra]` under the site's.
pub fn apply(root: &Path, config: &mut Config) -> Result<(), Diagnostic> {
    let Some(name) = &config.theme else { return Ok(()) };
    let location = || config.theme_at.clone().unwrap_or_else(|| Location::file(config.file));
    let folder = dir(root, name);
    if name.is_empty() || name.contains(['/', '\\']) || name.starts_with('.') || !folder.is_dir() {
        return Err(Diagnostic::error(Some(location()), format!("theme {name:?} is not a folder under themes/"))
            .with_hint(match installed(root).as_slice() {
                [] => "put the theme in themes/<name>/, or remove `theme`".to_string(),
                names => format!("installed themes: {}", names.join(", ")),
            }));
    }
    let manifest = folder.join("theme.toml");
    let Ok(src) = std::fs::read_to_string(&manifest) else { return Ok(()) };
    let shown = format!("themes/{name}/theme.toml");
    let table: toml::Table = src.parse().map_err(|e| crate::config::toml_error(&shown, &src, &e))?;
    if let Some(toml::Value::Table(extra)) = table.get("extra") {
        for (key, value) in extra {
            config.extra.entry(key.clone()).or_insert_with(|| value.clone());
        }
    }
    Ok(())
}

/// The folders under `themes/`, sorted.
fn installed(root: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(root.join("themes"))
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(config: &str) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config.toml"), config).unwrap();
        std::fs::create_dir_all(dir.path().join("themes/sample")).unwrap();
        std::fs::write(dir.path().join("themes/sample/theme.toml"), "[extra]\nlogo = \"t.png\"\nmenu = 1\n").unwrap();
        dir
    }

    #[test]
    fn the_themes_extra_lies_under_the_sites() {
        let dir = site("");
        let mut config = Config { theme: Some("sample".into()), ..Config::default() };
        config.extra.insert("menu".into(), toml::Value::Integer(2));
        apply(dir.path(), &mut config).unwrap();
        assert_eq!(config.extra["logo"].as_str(), Some("t.png"));
        assert_eq!(config.extra["menu"].as_integer(), Some(2), "the site's own key wins");
    }

    #[test]
    fn a_missing_theme_is_located_and_names_the_installed_ones() {
        let dir = site("");
        for name in ["smaple", "../sample", ""] {
            let mut config = Config { theme: Some(name.into()), ..Config::default() };
            let error = apply(dir.path(), &mut config).unwrap_err().to_string();
            assert!(error.contains("is not a folder under themes/") && error.contains("installed themes: sample"));
        }
    }
}
