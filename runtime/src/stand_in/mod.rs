//! A local stand-in for the Envoy platform API: a real HTTP server on a loopback port that issues
//! plugin tokens and keeps jobs, storage, install configs and notifications in memory, with the
//! semantics the platform documents.
//!
//! It records every request, so a test can assert on the exact method, path, headers and body the
//! client sent, and it can be told to fail (a 5xx, a slow answer, expired tokens) to test the
//! client's resilience. Enabled by the `stand-in` feature.
//!
//! ```
//! use envoy_plugin::stand_in::StandIn;
//! let platform = StandIn::start("client-id", "client-secret").unwrap();
//! assert!(platform.base_url().starts_with("http://127.0.0.1:"));
//! assert!(platform.requests().is_empty());
//! ```

mod directory;
pub(crate) mod private_file;
mod routes;
mod scopes;
mod state;
mod user_api;

use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde_json::Value;

use crate::background::Background;
pub use directory::Account;
use state::State;
pub use state::{JobRecord, RecordedRequest};

/// The running stand-in. Stops when dropped.
pub struct StandIn {
    server: Background,
    state: Arc<Mutex<State>>,
}

impl std::fmt::Debug for StandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandIn")
            .field("addr", &self.server.addr)
            .finish_non_exhaustive()
    }
}

impl StandIn {
    /// Starts the stand-in on a free loopback port; it accepts logins with these credentials.
    pub fn start(client_id: &str, client_secret: &str) -> std::io::Result<StandIn> {
        StandIn::start_on(client_id, client_secret, 0, None)
    }

    /// Starts the stand-in on `port` (0: a free one), keeping its data (jobs, storage, configs,
    /// notifications) in `file` when given: loaded at start, saved after every change.
    pub fn start_on(
        client_id: &str,
        client_secret: &str,
        port: u16,
        file: Option<std::path::PathBuf>,
    ) -> std::io::Result<StandIn> {
        let mut state = State::new(client_id, client_secret);
        if let Some(file) = file {
            state.persist_in(file)?;
        }
        let state = Arc::new(Mutex::new(state));
        let shared = state.clone();
        let server = Background::start("envoy-stand-in", move || {
            let server = actix_web::HttpServer::new(move || {
                actix_web::App::new().configure(routes::configure(shared.clone()))
            })
            .workers(1)
            .disable_signals()
            .bind(("127.0.0.1", port))?;
            Ok((server.addrs()[0], server.run()))
        })?;
        Ok(StandIn { server, state })
    }

    /// The base URL to give the client (`ENVOY_BASE_URL`).
    pub fn base_url(&self) -> String {
        format!("http://{}", self.server.addr)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Every request received so far, in order.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.state().requests.clone()
    }

    /// Forgets the recorded requests.
    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// How many logins (token requests that succeeded) there were.
    pub fn logins(&self) -> usize {
        self.state().logins
    }

    /// A job as the job API left it.
    pub fn job(&self, id: &str) -> Option<JobRecord> {
        self.state().jobs.get(id).cloned()
    }

    /// The storage of an install (`Some(id)`) or the global storage (`None`), as key -> value.
    pub fn storage(&self, install_id: Option<&str>) -> std::collections::BTreeMap<String, Value> {
        self.state().storage_of(install_id).clone()
    }

    /// Puts a value in storage directly, as if a previous request had.
    pub fn put_storage(&self, install_id: Option<&str>, key: &str, value: Value) {
        self.state()
            .storage_of(install_id)
            .insert(key.to_owned(), value);
    }

    /// An install's config.
    pub fn config(&self, install_id: &str) -> Value {
        self.state().config_of(install_id).clone()
    }

    /// Sets an install's config, as if setup steps had saved it.
    pub fn set_config(&self, install_id: &str, config: Value) {
        *self.state().config_of(install_id) = config;
    }

    /// The notifications sent for an install.
    pub fn notifications(&self, install_id: &str) -> Vec<Value> {
        self.state()
            .notifications
            .get(install_id)
            .cloned()
            .unwrap_or_default()
    }

    /// The next `count` requests (of any kind) are answered with `status` and do nothing.
    pub fn fail_next(&self, count: usize, status: u16) {
        self.state()
            .failures
            .extend(std::iter::repeat_n(status, count));
    }

    /// The next `count` requests are answered after waiting `delay`.
    pub fn delay_next(&self, count: usize, delay: Duration) {
        self.state()
            .delays
            .extend(std::iter::repeat_n(delay, count));
    }

    /// Tokens issued from now on expire after `seconds` (the default is an hour).
    pub fn set_token_ttl(&self, seconds: u64) {
        self.state().token_ttl = seconds;
    }

    /// Every token issued so far stops working (the next API call with one gets a 401). User
    /// tokens expire too; their refresh tokens stay good.
    pub fn expire_tokens(&self) {
        let mut state = self.state();
        state.tokens.clear();
        state.user_tokens.clear();
    }

    /// Seeds the user API's data from a JSON value: `{"employees": [models], "locations": [...],
    /// ..., "me": {model}, "users": [{"username", "password"}]}` (each model `{id, type,
    /// attributes, relationships}`). Replaces what was there.
    pub fn seed_directory(&self, seed: &Value) -> Result<(), String> {
        let directory = directory::Directory::from_seed(seed)?;
        let mut state = self.state();
        state.directory = directory;
        state.save().map_err(|e| e.to_string())
    }

    /// Seeds the user API's data from a JSON file (see [`StandIn::seed_directory`]).
    pub fn seed_directory_file(&self, file: &std::path::Path) -> Result<(), String> {
        let bytes = std::fs::read(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let seed: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("{} is not JSON: {e}", file.display()))?;
        self.seed_directory(&seed)
            .map_err(|e| format!("{}: {e}", file.display()))
    }

    /// The user API's models of one type (`"invites"`, `"reservations"`, ...), as kept.
    pub fn models(&self, kind: &str) -> Vec<Value> {
        self.state()
            .directory
            .models
            .get(kind)
            .cloned()
            .unwrap_or_default()
    }

    /// An authorization code the `authorization_code` grant accepts once, as the authorize page
    /// would give one to the plugin's redirect URI.
    pub fn authorization_code(&self) -> String {
        let mut state = self.state();
        state.issued += 1;
        let code = format!("stand-in-code-{}", state.issued);
        state.codes.push(code.clone());
        code
    }

    /// The user scopes the plugin asks installers for (its `user_scopes`), which every install
    /// granted: a `plugin_install` grant's token carries these, and a code or password grant that
    /// names no scope gets them. Until set, every scope the platform documents.
    ///
    /// A user-API call whose scope the token lacks is answered 403, a JSON:API error naming the
    /// scope (`{"errors": [{"status": "403", "detail": "the token lacks the scope ..."}]}`).
    pub fn set_install_scopes(&self, scopes: &[crate::user_api::Scope]) {
        self.state().install_scopes = scopes.to_vec();
    }

    /// The user grants that succeeded so far, by grant type (`plugin_install`, `refresh_token`,
    /// ...), in order.
    pub fn user_grants(&self) -> Vec<String> {
        self.state().grants.clone()
    }
}
