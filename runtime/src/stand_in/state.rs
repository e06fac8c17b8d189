//! The stand-in's memory: tokens, jobs, storage, configs, notifications, and the request log.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A request as the stand-in received it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RecordedRequest {
    /// The method.
    pub method: String,
    /// The path with its query.
    pub path: String,
    /// The headers, lower-case names.
    pub headers: BTreeMap<String, String>,
    /// The body, parsed as JSON when it is (else `Value::Null`).
    pub body: Value,
}

impl RecordedRequest {
    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// A job as the job API left it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct JobRecord {
    /// `done`, `ignored`, `failed`, or `None` while no status was reported.
    pub status: Option<String>,
    /// The last status message.
    pub status_message: Option<String>,
    /// The failure reason, for ignored and failed jobs.
    pub failure_reason: Option<String>,
    /// Every attachment added, in order.
    pub attachments: Vec<Value>,
    /// Every update received, in order.
    pub updates: Vec<Value>,
}

pub(crate) struct State {
    pub client_id: String,
    pub client_secret: String,
    pub token_ttl: u64,
    pub tokens: HashMap<String, Instant>,
    pub issued: u64,
    pub logins: usize,
    pub jobs: HashMap<String, JobRecord>,
    pub install_storage: HashMap<String, BTreeMap<String, Value>>,
    pub global_storage: BTreeMap<String, Value>,
    pub configs: HashMap<String, Value>,
    pub notifications: HashMap<String, Vec<Value>>,
    pub requests: Vec<RecordedRequest>,
    pub failures: VecDeque<u16>,
    pub delays: VecDeque<Duration>,
    pub unique_counter: u64,
    /// User tokens issued by the user grants.
    pub user_tokens: HashMap<String, super::user_api::UserTokenRecord>,
    /// Refresh tokens not used yet, with the scopes of the token they renew.
    pub refresh_tokens: HashMap<String, Vec<crate::user_api::Scope>>,
    /// The user scopes the plugin asks installers for, which every install granted: what a
    /// `plugin_install` grant's token carries.
    pub install_scopes: Vec<crate::user_api::Scope>,
    /// Authorization codes not exchanged yet.
    pub codes: Vec<String>,
    /// The user grants that succeeded, by grant type, in order.
    pub grants: Vec<String>,
    /// The user API's data.
    pub directory: super::directory::Directory,
    /// Where the data is kept between runs, if anywhere.
    pub file: Option<std::path::PathBuf>,
}

/// What survives a restart: the platform's data, not its tokens or request log.
#[derive(Serialize, Deserialize, Default)]
pub(crate) struct Saved {
    jobs: HashMap<String, JobRecord>,
    install_storage: HashMap<String, BTreeMap<String, Value>>,
    global_storage: BTreeMap<String, Value>,
    configs: HashMap<String, Value>,
    notifications: HashMap<String, Vec<Value>>,
    unique_counter: u64,
    #[serde(default)]
    directory: super::directory::Directory,
}

impl State {
    pub fn new(client_id: &str, client_secret: &str) -> Self {
        State {
            client_id: client_id.to_owned(),
            client_secret: client_secret.to_owned(),
            token_ttl: 3600,
            tokens: HashMap::new(),
            issued: 0,
            logins: 0,
            jobs: HashMap::new(),
            install_storage: HashMap::new(),
            global_storage: BTreeMap::new(),
            configs: HashMap::new(),
            notifications: HashMap::new(),
            requests: Vec::new(),
            failures: VecDeque::new(),
            delays: VecDeque::new(),
            unique_counter: 0,
            user_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            // Until told the plugin's: every scope, so that a test of one call needs no setup.
            install_scopes: crate::user_api::Scope::ALL.to_vec(),
            codes: Vec::new(),
            grants: Vec::new(),
            directory: Default::default(),
            file: None,
        }
    }

    /// Loads the data saved in `file` (if it exists) and keeps saving there.
    pub fn persist_in(&mut self, file: std::path::PathBuf) -> std::io::Result<()> {
        if file.exists() {
            let saved: Saved = serde_json::from_slice(&std::fs::read(&file)?)
                .map_err(|e| std::io::Error::other(format!("{}: {e}", file.display())))?;
            self.jobs = saved.jobs;
            self.install_storage = saved.install_storage;
            self.global_storage = saved.global_storage;
            self.configs = saved.configs;
            self.notifications = saved.notifications;
            self.unique_counter = saved.unique_counter;
            self.directory = saved.directory;
        }
        self.file = Some(file);
        self.save()
    }

    /// Writes the data to the file, if there is one (to a temporary file first, then renamed, so a
    /// crash never leaves half a file).
    pub fn save(&self) -> std::io::Result<()> {
        let Some(file) = &self.file else {
            return Ok(());
        };
        let saved = Saved {
            jobs: self.jobs.clone(),
            install_storage: self.install_storage.clone(),
            global_storage: self.global_storage.clone(),
            configs: self.configs.clone(),
            notifications: self.notifications.clone(),
            unique_counter: self.unique_counter,
            directory: self.directory.clone(),
        };
        if let Some(dir) = file.parent() {
            super::private_file::create_private_dir(dir)?;
        }
        let temporary = file.with_extension("json.tmp");
        // The owner's alone: job attachments may be passwords.
        super::private_file::write_private(
            &temporary,
            &serde_json::to_vec_pretty(&saved).map_err(std::io::Error::other)?,
        )?;
        std::fs::rename(&temporary, file)
    }

    pub fn storage_of(&mut self, install_id: Option<&str>) -> &mut BTreeMap<String, Value> {
        match install_id {
            Some(id) => self.install_storage.entry(id.to_owned()).or_default(),
            None => &mut self.global_storage,
        }
    }

    pub fn config_of(&mut self, install_id: &str) -> &mut Value {
        self.configs
            .entry(install_id.to_owned())
            .or_insert_with(|| Value::Object(Default::default()))
    }

    /// Issues a token valid for the configured time.
    pub fn issue_token(&mut self) -> (String, u64) {
        self.issued += 1;
        self.logins += 1;
        let token = format!("stand-in-token-{}", self.issued);
        self.tokens.insert(
            token.clone(),
            Instant::now() + Duration::from_secs(self.token_ttl),
        );
        (token, self.token_ttl)
    }

    /// Whether `token` was issued and has not expired.
    pub fn token_valid(&self, token: &str) -> bool {
        self.tokens
            .get(token)
            .is_some_and(|until| Instant::now() < *until)
    }
}
