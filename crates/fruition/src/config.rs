//! Configuration from `fruition.toml`, environment variables and flags — flags win over the
//! environment, the environment over the file, the file over the defaults. Secrets (the database
//! URL's password) never appear in logs or error messages.

use std::fmt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// `fruition.toml`. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data: Option<PathBuf>,
    pub database: Option<String>,
    pub listen: Option<String>,
    pub log_format: Option<String>,
    pub max_connections: Option<u32>,
    #[serde(default)]
    pub city: CityFile,
    #[serde(default)]
    pub web: WebFile,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityFile {
    pub name: Option<String>,
    pub code: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebFile {
    pub secure_cookies: Option<bool>,
    pub public_origin: Option<String>,
    pub trust_proxy: Option<bool>,
    pub session_minutes: Option<i64>,
}

impl FileConfig {
    pub fn load(path: &Path) -> anyhow::Result<FileConfig> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        toml::from_str(&text)
            .with_context(|| format!("{} is not valid configuration", path.display()))
    }
}

/// A value that must not be printed: its `Debug` and `Display` show only a redacted form.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    pub fn new(url: String) -> DatabaseUrl {
        DatabaseUrl(url)
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
    pub fn is_postgres(&self) -> bool {
        self.0.starts_with("postgres://") || self.0.starts_with("postgresql://")
    }
}

/// `postgres://user:secret@host/db` → `postgres://user:***@host/db`.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_string();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(parts) => parts,
        None => return redact_query(url),
    };
    let user = auth.split(':').next().unwrap_or("");
    redact_query(&format!("{scheme}://{user}:***@{host}"))
}

fn redact_query(url: &str) -> String {
    match url.split_once('?') {
        Some((base, q)) if q.contains("password") => format!("{base}?***"),
        _ => url.to_string(),
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DatabaseUrl({})", redact(&self.0))
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&redact(&self.0))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

/// The resolved configuration every subcommand runs with.
#[derive(Debug, Clone)]
pub struct Config {
    pub data: PathBuf,
    pub database: Option<DatabaseUrl>,
    pub listen: String,
    pub log_format: LogFormat,
    pub max_connections: u32,
    /// What the application needs: the city, sessions, whether the data are a demo.
    pub app: fruition_app::Settings,
    /// How the web layer speaks HTTP: cookies, origin, proxy.
    pub web: fruition_web::WebSettings,
}

impl Config {
    /// The SQLite file inside the data folder.
    pub fn sqlite_path(&self) -> PathBuf {
        self.data.join("fruition.db")
    }

    /// Where this server keeps its market search index (derived from the database; each app
    /// server has its own, also when the database is PostgreSQL).
    pub fn search_dir(&self) -> PathBuf {
        self.data.join("search-index")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_print() {
        let url = DatabaseUrl::new("postgres://app:s3cret@db.internal:5432/fruition".into());
        assert_eq!(
            format!("{url}"),
            "postgres://app:***@db.internal:5432/fruition"
        );
        assert!(!format!("{url:?}").contains("s3cret"));
        assert_eq!(
            redact("postgres://db/x?user=a&password=b"),
            "postgres://db/x?***"
        );
        assert_eq!(
            redact("postgres://127.0.0.1/test"),
            "postgres://127.0.0.1/test"
        );
    }

    #[test]
    fn the_file_refuses_unknown_keys() {
        assert!(
            toml::from_str::<FileConfig>(
                "listen = \"0.0.0.0:80\"\n[city]\nname = \"湘潭市\"\ncode = \"430300\""
            )
            .is_ok()
        );
        assert!(toml::from_str::<FileConfig>("lisen = \"0.0.0.0:80\"").is_err());
    }
}
