//! What every request of the preview shares: the plugin's manifest, a signed client of the plugin,
//! a client of the stand-in's API, and the progress of the install.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Mutex, MutexGuard};

use serde_json::{Map, Value};

use crate::Plugin;
use crate::api::{ApiPolicy, EnvoyApi};
use crate::dev::DevCredentials;
use crate::manifest::{Manifest, StepEntry};
use crate::testing::{Answer, Sender, TestRoute};

/// The preview's shared state.
pub(crate) struct Session {
    /// The plugin's name.
    pub name: &'static str,
    /// The manifest, with URLs on the running plugin.
    pub manifest: Manifest,
    /// The install the page sets up.
    pub install_id: String,
    /// Signs and sends requests to the plugin.
    pub sender: Sender,
    /// The stand-in's API (config and storage of the install).
    pub api: EnvoyApi,
    /// Plain requests to the plugin's pop-up page, whose redirects are read, never followed.
    pub http: reqwest::Client,
    /// Each event the plugin handles, with its worker's path.
    pub workers: Vec<(&'static str, &'static str)>,
    progress: Mutex<Progress>,
}

/// How far the install went.
#[derive(Default)]
pub(crate) struct Progress {
    /// The indexes of the steps saved.
    pub done: BTreeSet<usize>,
    /// The `state` values issued to OAuth2 and pop-up windows, with their step's index.
    pub states: HashMap<String, usize>,
    /// How many states were issued (makes each one distinct).
    pub issued: u64,
}

impl Session {
    pub fn new<P: Plugin>(credentials: &DevCredentials) -> Result<Session, String> {
        let manifest = Manifest::of::<P>(&credentials.plugin_url).map_err(|e| e.to_string())?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Session {
            name: P::NAME,
            install_id: credentials.install_id.clone(),
            sender: Sender::new(&credentials.plugin_url, credentials.client_secret.clone()),
            api: EnvoyApi::connect(
                &credentials.platform_url,
                &credentials.client_id,
                &credentials.client_secret,
                ApiPolicy::default().with_retries(1, std::time::Duration::ZERO),
            ),
            http,
            workers: P::workers()
                .into_iter()
                .map(|w| (w.event, w.path))
                .collect(),
            manifest,
            progress: Mutex::new(Progress::default()),
        })
    }

    pub fn progress(&self) -> MutexGuard<'_, Progress> {
        self.progress
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A number not given out before (for states and made-up tokens).
    pub fn next_number(&self) -> u64 {
        let mut progress = self.progress();
        progress.issued += 1;
        progress.issued
    }

    /// A new `state` for the OAuth2 or pop-up window of step `index`.
    pub fn issue_state(&self, index: usize) -> String {
        let n = self.next_number();
        let state = format!("preview-{index}-{n}-{:08x}", made_up_suffix(n));
        self.progress().states.insert(state.clone(), index);
        state
    }

    /// Whether `state` was issued for step `index`; it cannot be used again.
    pub fn take_state(&self, state: &str, index: usize) -> bool {
        let mut progress = self.progress();
        if progress.states.get(state) == Some(&index) {
            progress.states.remove(state);
            true
        } else {
            false
        }
    }

    /// A URL of the plugin as a path on it.
    pub fn path_of<'a>(&self, url: &'a str) -> &'a str {
        url.strip_prefix(self.manifest.base_url.as_str())
            .unwrap_or(url)
    }

    /// Whether `path` is one of the plugin's routes of one of these kinds (the page can call
    /// nothing else).
    pub fn is_route(&self, path: &str, kinds: &[&str]) -> bool {
        self.manifest
            .routes
            .iter()
            .any(|r| kinds.contains(&r.kind) && self.path_of(&r.url) == path)
    }

    /// The step at `index`.
    pub fn step(&self, index: usize) -> Option<&StepEntry> {
        self.manifest.setup_steps.get(index)
    }

    /// Calls the route at `path` as the platform does for this install: signed, with the install's
    /// id and current config in `meta`, and `params` and `payload` as given.
    pub async fn call_route(
        &self,
        path: &str,
        params: &Map<String, Value>,
        payload: Option<Value>,
    ) -> Result<Answer, String> {
        let mut request = TestRoute::new(path)
            .set("meta.install_id", self.install_id.as_str())
            .config(self.config().await);
        for (key, value) in params {
            request = request.param(key, value.clone());
        }
        if let Some(payload) = payload {
            request = request.payload(payload);
        }
        self.sender
            .route(&request)
            .await
            .map_err(|e| format!("the plugin does not answer: {e}"))
    }

    /// The install's config as the stand-in holds it (`{}` when it cannot be read).
    pub async fn config(&self) -> Value {
        self.api
            .install(self.install_id.as_str())
            .config::<Value>()
            .await
            .unwrap_or_else(|_| Value::Object(Map::new()))
    }

    /// Merges `changes` into the install's config on the stand-in.
    pub async fn update_config(&self, changes: &Value) -> Result<Value, String> {
        self.api
            .install(self.install_id.as_str())
            .update_config(changes)
            .await
            .map_err(|e| format!("the stand-in did not save the config: {e}"))
    }

    /// The install's storage as the stand-in holds it, key -> value.
    pub async fn storage(&self) -> Map<String, Value> {
        let storage = self.api.install_storage(self.install_id.as_str());
        let mut all = Map::new();
        // Bounded: a plugin with more than 10 000 keys shows the first 10 000.
        for page in 1..=100 {
            let Ok(items) = storage.list::<Value>(page).await else {
                break;
            };
            if items.is_empty() {
                break;
            }
            all.extend(items.into_iter().map(|item| (item.key, item.value)));
        }
        all
    }
}

/// Unpredictable bits for a state (from the standard library's randomly keyed hasher), so another
/// page cannot guess one.
fn made_up_suffix(n: u64) -> u32 {
    use std::hash::BuildHasher as _;
    std::collections::hash_map::RandomState::new().hash_one(n) as u32
}
