//! The plugin's configuration: from the environment or a `.env` file.

use std::fmt;

use crate::Secret;
use crate::body::DEFAULT_BODY_LIMIT;

/// How long a worker may take before it is answered "ongoing" (and reports through the job API
/// when it ends), and a route before it is answered 504, unless the handler's attribute says
/// otherwise (`budget = "30s"`). The one place the default is set.
pub const DEFAULT_BUDGET: std::time::Duration = std::time::Duration::from_secs(20);

/// How long a route (worker, setup route, callback, webhook) waits for the whole request body once
/// the headers have arrived before it answers 408 `REQUEST_TIMEOUT`, unless `READ_TIMEOUT` or a
/// webhook's attribute (`read_timeout = "30s"`) says otherwise. The one place the default is set.
pub const DEFAULT_READ_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The platform's base URL unless `ENVOY_BASE_URL` says otherwise.
pub const DEFAULT_BASE_URL: &str = "https://app.envoy.com";

/// How a plugin is configured.
///
/// | variable | field | default |
/// | --- | --- | --- |
/// | `ENVOY_CLIENT_SECRET` | `client_secret` | required: no secret, no start |
/// | `ENVOY_CLIENT_SECRET_PREVIOUS` | `previous_client_secret` | none: set it to the old secret while the platform rotates it |
/// | `ENVOY_CLIENT_ID` | `client_id` | none |
/// | `ENVOY_BASE_URL` | `base_url` | `https://app.envoy.com` |
/// | `JWT_SECRET` | `jwt_secret` | none |
/// | `HOST` | `host` | `127.0.0.1` |
/// | `PORT` | `port` | `8080` |
/// | `DRAIN_BOUND` | `drain_bound` | 25 s ([`crate::DRAIN_BOUND`]); as `READ_TIMEOUT` |
/// | `READ_TIMEOUT` | `read_timeout` | 10 s ([`DEFAULT_READ_TIMEOUT`]); seconds (`10`), or with a unit (`10s`, `500ms`) |
/// | `REDIS_URL` | `redis_url` | none: duplicate deliveries are recorded in memory; set it (feature `redis`) so that replicas share the record |
///
/// `Debug` shows neither secret.
///
/// ```
/// use envoy_plugin::Settings;
/// let settings = Settings::from_lookup(|name| match name {
///     "ENVOY_CLIENT_SECRET" => Some("s3cret".into()),
///     "PORT" => Some("9000".into()),
///     _ => None,
/// })
/// .unwrap();
/// assert_eq!(settings.port, 9000);
/// assert!(!format!("{settings:?}").contains("s3cret"));
/// ```
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Settings {
    /// The plugin's client id (Dev Dashboard, "API Credentials").
    pub client_id: Option<String>,
    /// The client secret: the key of every request signature.
    pub client_secret: Secret,
    /// The previous client secret, still accepted for signatures during a rotation.
    pub previous_client_secret: Option<Secret>,
    /// The platform's base URL.
    pub base_url: String,
    /// The key of job-handle tokens.
    pub jwt_secret: Option<Secret>,
    /// The address to listen on.
    pub host: String,
    /// The port to listen on.
    pub port: u16,
    /// The largest request body accepted, in bytes.
    pub body_limit: usize,
    /// How long a handler may take (see [`DEFAULT_BUDGET`]); a handler's own `budget` wins.
    pub budget: std::time::Duration,
    /// How long a request body may take to arrive (see [`DEFAULT_READ_TIMEOUT`]); 408 after.
    pub read_timeout: std::time::Duration,
    /// How long a shutdown waits for in-flight requests and background workers
    /// ([`crate::DRAIN_BOUND`]).
    pub drain_bound: std::time::Duration,
    /// The Redis server that records delivery outcomes (feature `redis`; see
    /// [`crate::deliveries`]). A secret, as the URL may hold a password.
    pub redis_url: Option<Secret>,
}

impl Settings {
    /// Settings with this client secret and every default.
    ///
    /// # Panics
    /// When the secret is empty or only whitespace: every request's signature would then be one
    /// anyone can compute. [`Settings::from_env`] refuses it with an error instead.
    pub fn new(client_secret: impl Into<Secret>) -> Self {
        let client_secret = client_secret.into();
        assert!(
            !client_secret.expose().trim().is_empty(),
            "{}",
            SettingsError::Missing("ENVOY_CLIENT_SECRET")
        );
        Settings {
            client_id: None,
            client_secret,
            previous_client_secret: None,
            base_url: DEFAULT_BASE_URL.to_owned(),
            jwt_secret: None,
            host: "127.0.0.1".to_owned(),
            port: 8080,
            body_limit: DEFAULT_BODY_LIMIT,
            budget: DEFAULT_BUDGET,
            read_timeout: DEFAULT_READ_TIMEOUT,
            drain_bound: crate::DRAIN_BOUND,
            redis_url: None,
        }
    }

    /// Sets the default time budget of handlers.
    pub fn with_budget(mut self, budget: std::time::Duration) -> Self {
        self.budget = budget;
        self
    }

    /// Sets how long a request body may take to arrive.
    pub fn with_read_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the largest request body accepted.
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Reads the settings from the environment, after loading a `.env` file from the working
    /// directory if there is one (never from a parent directory, which may belong to another
    /// project); variables already set win over the file.
    pub fn from_env() -> Result<Self, SettingsError> {
        load_dot_env()?;
        Settings::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `lookup` (a variable's value by name).
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let get = |name: &str| lookup(name).filter(|v| !v.trim().is_empty());
        let secret =
            get("ENVOY_CLIENT_SECRET").ok_or(SettingsError::Missing("ENVOY_CLIENT_SECRET"))?;
        let mut settings = Settings::new(secret);
        settings.client_id = get("ENVOY_CLIENT_ID");
        settings.previous_client_secret = get("ENVOY_CLIENT_SECRET_PREVIOUS").map(Secret::new);
        settings.jwt_secret = get("JWT_SECRET").map(Secret::new);
        if let Some(url) = get("ENVOY_BASE_URL") {
            settings.base_url = url.trim_end_matches('/').to_owned();
        }
        if let Some(host) = get("HOST") {
            settings.host = host;
        }
        if let Some(port) = get("PORT") {
            settings.port = port.trim().parse().map_err(|_| SettingsError::Invalid {
                variable: "PORT",
                value: port,
                expected: "a port number from 0 to 65535",
            })?;
        }
        if let Some(timeout) = get("READ_TIMEOUT") {
            settings.read_timeout = parse_duration(&timeout)
                .filter(|t| !t.is_zero())
                .ok_or(SettingsError::Invalid {
                    variable: "READ_TIMEOUT",
                    value: timeout,
                    expected: "a duration above zero: seconds (`10`) or with a unit (`10s`, `500ms`)",
                })?;
        }
        if let Some(bound) = get("DRAIN_BOUND") {
            settings.drain_bound = parse_duration(&bound).ok_or(SettingsError::Invalid {
                variable: "DRAIN_BOUND",
                value: bound,
                expected: "a duration: seconds (`25`) or with a unit (`25s`, `500ms`)",
            })?;
        }
        if let Some(url) = get("REDIS_URL") {
            let scheme = url.split_once("://").map(|(scheme, _)| scheme);
            if !matches!(scheme, Some("redis" | "rediss" | "unix" | "redis+unix")) {
                return Err(SettingsError::Invalid {
                    variable: "REDIS_URL",
                    // Not shown: the URL may hold a password.
                    value: "…".to_owned(),
                    expected: "a URL of the form redis://[:password@]host[:port][/db]",
                });
            }
            if cfg!(not(feature = "redis")) {
                return Err(SettingsError::Invalid {
                    variable: "REDIS_URL",
                    value: "…".to_owned(),
                    expected: "no value: this plugin was built without envoy-plugin's `redis` \
                               feature, so it cannot use Redis (enable the feature, or unset it)",
                });
            }
            settings.redis_url = Some(Secret::new(url));
        }
        Ok(settings)
    }
}

/// Loads `.env` from the working directory into the environment, if there is one; variables
/// already set win. Never from a parent directory, which may belong to another project.
pub(crate) fn load_dot_env() -> Result<(), SettingsError> {
    match dotenvy::from_path(".env") {
        Ok(()) => Ok(()),
        Err(err) if err.not_found() => Ok(()),
        Err(err) => Err(SettingsError::DotEnv(err.to_string())),
    }
}

/// A duration in seconds (`10`), or with a unit: `ms`, `s`, `m`.
fn parse_duration(value: &str) -> Option<std::time::Duration> {
    let value = value.trim();
    let digits = value
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(digits);
    let number: u64 = number.parse().ok()?;
    let millis = match unit.trim() {
        "" | "s" => number.checked_mul(1000)?,
        "ms" => number,
        "m" => number.checked_mul(60_000)?,
        _ => return None,
    };
    Some(std::time::Duration::from_millis(millis))
}

/// Why the settings could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SettingsError {
    /// A required variable is not set.
    Missing(&'static str),
    /// A variable has a value that cannot be used (never a secret: those are not checked).
    Invalid {
        /// The variable.
        variable: &'static str,
        /// Its value.
        value: String,
        /// What it should be.
        expected: &'static str,
    },
    /// The `.env` file exists but cannot be read.
    DotEnv(String),
}

impl fmt::Display for SettingsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SettingsError::Missing(variable) => write!(
                f,
                "{variable} is not set: copy it from the Dev Dashboard (API Credentials) into the environment or a .env file"
            ),
            SettingsError::Invalid {
                variable,
                value,
                expected,
            } => {
                write!(f, "{variable}={value:?} is not valid: expected {expected}")
            }
            SettingsError::DotEnv(err) => write!(f, "the .env file cannot be read: {err}"),
        }
    }
}

impl std::error::Error for SettingsError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_secret_no_start() {
        let err = Settings::from_lookup(|_| None).unwrap_err();
        assert_eq!(err, SettingsError::Missing("ENVOY_CLIENT_SECRET"));
        assert!(
            err.to_string()
                .starts_with("ENVOY_CLIENT_SECRET is not set")
        );
        let blank = Settings::from_lookup(|n| (n == "ENVOY_CLIENT_SECRET").then(|| " ".into()));
        assert!(blank.is_err());
    }

    #[test]
    fn reads_every_variable_and_hides_secrets() {
        let s = Settings::from_lookup(|n| {
            Some(
                match n {
                    "ENVOY_CLIENT_SECRET" => "cs",
                    "ENVOY_CLIENT_ID" => "id",
                    "ENVOY_BASE_URL" => "http://127.0.0.1:9/",
                    "JWT_SECRET" => "jwt-key",
                    "HOST" => "0.0.0.0",
                    "PORT" => "81",
                    _ => return None,
                }
                .into(),
            )
        })
        .unwrap();
        assert_eq!(s.client_id.as_deref(), Some("id"));
        assert_eq!(s.base_url, "http://127.0.0.1:9");
        assert_eq!((s.host.as_str(), s.port), ("0.0.0.0", 81));
        let debug = format!("{s:?}");
        assert!(
            !debug.contains("cs\"") && !debug.contains("jwt-key"),
            "{debug}"
        );
    }

    #[test]
    fn redis_url_needs_the_redis_feature() {
        let settings = Settings::from_lookup(|n| match n {
            "ENVOY_CLIENT_SECRET" => Some("x".into()),
            "REDIS_URL" => Some("redis://:pw@127.0.0.1:6379/0".into()),
            _ => None,
        });
        if cfg!(feature = "redis") {
            assert!(settings.unwrap().redis_url.is_some());
        } else {
            let err = settings.unwrap_err().to_string();
            assert!(err.starts_with("REDIS_URL="), "{err}");
            assert!(
                err.contains("`redis` feature") && !err.contains("pw"),
                "{err}"
            );
        }
    }

    #[test]
    fn read_timeout_takes_seconds_or_a_unit() {
        let read = |value: &str| {
            Settings::from_lookup(|n| match n {
                "ENVOY_CLIENT_SECRET" => Some("x".into()),
                "READ_TIMEOUT" => Some(value.into()),
                _ => None,
            })
            .map(|s| s.read_timeout)
        };
        assert_eq!(read("12"), Ok(std::time::Duration::from_secs(12)));
        assert_eq!(read("12s"), Ok(std::time::Duration::from_secs(12)));
        assert_eq!(read("500ms"), Ok(std::time::Duration::from_millis(500)));
        assert_eq!(read("2m"), Ok(std::time::Duration::from_secs(120)));
        for bad in ["0", "ten", "5h", "-1"] {
            assert!(read(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Settings::new("x").read_timeout,
            DEFAULT_READ_TIMEOUT,
            "the default"
        );
    }

    #[test]
    #[should_panic(expected = "ENVOY_CLIENT_SECRET is not set")]
    fn an_empty_secret_is_refused_by_hand_too() {
        let _ = Settings::new("  ");
    }

    #[test]
    fn bad_port_names_the_variable() {
        let err = Settings::from_lookup(|n| match n {
            "ENVOY_CLIENT_SECRET" => Some("x".into()),
            "PORT" => Some("eighty".into()),
            _ => None,
        })
        .unwrap_err();
        assert!(
            err.to_string().starts_with("PORT=\"eighty\" is not valid"),
            "{err}"
        );
    }
}
