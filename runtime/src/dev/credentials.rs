//! The development credentials `dev` makes up on its first start and keeps in its data directory,
//! where `send`, `options`, `validate` and `setup` find them.

use std::hash::{BuildHasher, RandomState};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::Secret;

/// What `dev` writes to `<data dir>/credentials.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DevCredentials {
    /// The made-up client id.
    pub client_id: String,
    /// The made-up client secret (signs requests to the plugin; logs in to the stand-in).
    pub client_secret: Secret,
    /// The made-up JWT key of job handles.
    pub jwt_secret: Secret,
    /// Where the plugin runs.
    pub plugin_url: String,
    /// Where the stand-in platform runs.
    pub platform_url: String,
    /// The install `dev` sets up and sends events for.
    pub install_id: String,
}

/// A random token of 32 hex characters (from the standard library's randomly keyed hasher).
fn made_up() -> String {
    (0..2)
        .map(|i| {
            format!(
                "{:016x}",
                RandomState::new().hash_one((i, std::process::id()))
            )
        })
        .collect()
}

impl DevCredentials {
    /// The file in `data_dir`.
    pub fn file(data_dir: &Path) -> PathBuf {
        data_dir.join("credentials.json")
    }

    /// The credentials saved in `data_dir`, if `dev` has run there.
    pub fn load(data_dir: &Path) -> Option<DevCredentials> {
        let bytes = std::fs::read(DevCredentials::file(data_dir)).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    /// The saved credentials, or new ones.
    pub fn load_or_make(data_dir: &Path) -> DevCredentials {
        DevCredentials::load(data_dir).unwrap_or_else(|| DevCredentials {
            client_id: format!("dev-{}", &made_up()[..12]),
            client_secret: Secret::new(made_up()),
            jwt_secret: Secret::new(made_up()),
            plugin_url: String::new(),
            platform_url: String::new(),
            install_id: "dev-install".to_owned(),
        })
    }

    /// Writes the credentials to `data_dir`, readable by their owner only (mode 0600: they hold
    /// the plugin's secrets).
    pub fn save(&self, data_dir: &Path) -> std::io::Result<()> {
        crate::stand_in::private_file::create_private_dir(data_dir)?;
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        crate::stand_in::private_file::write_private(&DevCredentials::file(data_dir), &json)
    }
}
