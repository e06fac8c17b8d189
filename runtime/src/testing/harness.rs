//! The harness: a plugin served on a loopback port next to the stand-in platform, and a client that
//! signs and sends requests to any plugin (the harness's, `dev`'s or a deployed one).

use std::collections::HashMap;

use serde_json::Value;

use super::{TestEvent, TestRoute};
use crate::background::Background;
use crate::stand_in::StandIn;
use crate::{JobStatus, Plugin, SIGNATURE_HEADER, Secret, Settings};

/// A plugin's answer to a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The body (`Value::Null` when it is not JSON).
    pub body: Value,
}

impl Answer {
    async fn read(response: reqwest::Response) -> Result<Answer, reqwest::Error> {
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }

    /// The `message` of the body.
    pub fn message(&self) -> Option<&str> {
        self.body.get("message").and_then(Value::as_str)
    }

    /// The job outcome the platform reads from a worker's status: 200/201 done, 202 ongoing, 400
    /// ignored, 412 failed; anything else is an unintended failure (`None`).
    ///
    /// An error the framework answered itself (a bad signature, a payload or config that did not
    /// decode: see [`Answer::framework_error`]) is `None` too, whatever its status: the worker did
    /// not run, so a test asserting "ignored" cannot pass on a 400 `MISSING_DATA`.
    pub fn outcome(&self) -> Option<JobStatus> {
        if self.framework_error().is_some() {
            return None;
        }
        match self.status {
            200 | 201 => Some(JobStatus::Done),
            202 => Some(JobStatus::Ongoing),
            400 => Some(JobStatus::Ignored),
            412 => Some(JobStatus::Failed),
            _ => None,
        }
    }

    /// The error the framework answered itself, if it did: the body's `error` object, with `type`
    /// and `code` from the error taxonomy (e.g. `MISSING_DATA`, 400101). A worker's own outcomes
    /// never carry one.
    pub fn framework_error(&self) -> Option<FrameworkError<'_>> {
        let error = self.body.get("error")?;
        Some(FrameworkError {
            kind: error.get("type")?.as_str()?,
            code: error.get("code")?.as_u64()?,
            message: error.get("message").and_then(Value::as_str).unwrap_or(""),
        })
    }

    /// The attachments of the body.
    pub fn attachments(&self) -> &[Value] {
        self.body
            .get("attachments")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
}

/// An error the framework answered itself (see [`Answer::framework_error`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FrameworkError<'a> {
    /// The error's `type`, e.g. `MISSING_DATA`.
    pub kind: &'a str,
    /// The error's numeric `code`, e.g. 400101.
    pub code: u64,
    /// What went wrong.
    pub message: &'a str,
}

/// Signs and sends requests to a plugin at `base_url`, as the platform does.
#[derive(Debug, Clone)]
pub struct Sender {
    base_url: String,
    secret: Secret,
    http: reqwest::Client,
}

impl Sender {
    /// A sender to the plugin at `base_url` whose client secret is `secret`.
    pub fn new(base_url: &str, secret: Secret) -> Self {
        Sender {
            base_url: base_url.trim_end_matches('/').to_owned(),
            secret,
            http: reqwest::Client::new(),
        }
    }

    /// Signs `body` and posts it to `path`.
    pub async fn post(&self, path: &str, body: Vec<u8>) -> Result<Answer, reqwest::Error> {
        let signature = crate::sign(&self.secret, &body);
        let response = self
            .http
            .post(format!("{}{path}", self.base_url))
            .header("Content-Type", "application/json")
            .header(SIGNATURE_HEADER, signature)
            .body(body)
            .send()
            .await?;
        Answer::read(response).await
    }

    /// Sends `event` to the worker at `path`.
    pub async fn event(&self, path: &str, event: &TestEvent) -> Result<Answer, reqwest::Error> {
        self.post(path, event.bytes()).await
    }

    /// Calls `route`.
    pub async fn route(&self, route: &TestRoute) -> Result<Answer, reqwest::Error> {
        self.post(route.path(), route.bytes()).await
    }

    /// Posts `body` to `path_and_query` unsigned, as another system calling a callback does.
    pub async fn post_unsigned(
        &self,
        path_and_query: &str,
        body: &Value,
    ) -> Result<Answer, reqwest::Error> {
        self.post_bearer(path_and_query, None, body).await
    }

    /// Posts `body` unsigned, with `Authorization: Bearer <token>` when there is a token (as a
    /// system calling a callback back with its job handle does).
    pub async fn post_bearer(
        &self,
        path_and_query: &str,
        token: Option<&str>,
        body: &Value,
    ) -> Result<Answer, reqwest::Error> {
        let mut request = self
            .http
            .post(format!("{}{path_and_query}", self.base_url))
            .json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        Answer::read(request.send().await?).await
    }
}

/// A plugin served on a loopback port, its platform API wired to a [`StandIn`]. Stops when dropped.
pub struct Harness {
    platform: StandIn,
    settings: Settings,
    sender: Sender,
    workers: HashMap<&'static str, &'static str>,
    /// The plugin's setup defaults, added to the config of an event whose test did not set one.
    config_defaults: serde_json::Map<String, Value>,
    /// The plugin's name and its config type's, for the message of a config that cannot be read.
    config_type: &'static str,
    // Declared last: dropped (server stopped) after the rest.
    _server: Background,
}

impl std::fmt::Debug for Harness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Harness")
            .field("plugin", &self.sender.base_url)
            .field("platform", &self.platform)
            .finish()
    }
}

impl Harness {
    /// The client id, secret and JWT key the harness serves plugins with.
    pub const CLIENT_ID: &'static str = "test-plugin";
    /// See [`Harness::CLIENT_ID`].
    pub const CLIENT_SECRET: &'static str = "test-client-secret";
    /// See [`Harness::CLIENT_ID`].
    pub const JWT_SECRET: &'static str = "test-jwt-secret";

    /// Starts the stand-in and serves `plugin` next to it.
    pub fn start<P: Plugin>(plugin: P) -> std::io::Result<Harness> {
        let platform = StandIn::start(Self::CLIENT_ID, Self::CLIENT_SECRET)?;
        let mut settings = Settings::new(Self::CLIENT_SECRET);
        settings.client_id = Some(Self::CLIENT_ID.to_owned());
        settings.base_url = platform.base_url();
        settings.jwt_secret = Some(Secret::new(Self::JWT_SECRET));
        settings.port = 0;
        let server = serve_in_thread(plugin, settings.clone())?;
        Ok(Harness {
            platform,
            sender: Sender::new(
                &format!("http://{}", server.addr),
                settings.client_secret.clone(),
            ),
            settings,
            workers: P::workers()
                .into_iter()
                .map(|w| (w.event, w.path))
                .collect(),
            config_defaults: crate::setup::defaults::defaults_of(&P::steps()),
            config_type: std::any::type_name::<P::Config>(),
            _server: server,
        })
    }

    /// The plugin's base URL.
    pub fn base_url(&self) -> &str {
        &self.sender.base_url
    }

    /// The stand-in platform: its jobs, storage, configs, notifications and request log.
    pub fn platform(&self) -> &StandIn {
        &self.platform
    }

    /// The settings the plugin is served with.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// A sender to the plugin (to send requests the builders do not make).
    pub fn sender(&self) -> &Sender {
        &self.sender
    }

    /// Sends `event` to the plugin's worker for it.
    ///
    /// Unless the test set the whole config ([`TestEvent::config`]), the event's `meta.config` is
    /// the plugin's setup defaults ([`crate::setup::default_config`]) with the keys the test set
    /// on top.
    ///
    /// # Panics
    /// When the plugin has no worker for the event, or the plugin does not answer; and when the
    /// test set no config and the worker could not read the defaults (a required config field
    /// without a default): the message names the field and how to set it.
    pub async fn send(&self, event: TestEvent) -> Answer {
        let path = self
            .workers
            .get(event.event())
            .unwrap_or_else(|| panic!("the plugin has no worker for `{}`", event.event()));
        let defaulted = !event.has_config();
        let event = event.with_config_defaults(&self.config_defaults);
        let answer = self
            .sender
            .event(path, &event)
            .await
            .expect("the plugin answers");
        if defaulted && let Some(problem) = unreadable_default_config(&answer) {
            panic!(
                "{problem}\n\nThe test set no install config, so the event carried the plugin's setup \
                 defaults, {config}, and `{config_type}` cannot be read from them. Set the config \
                 in the test: `TestEvent::new(\"{event_name}\").config(json!({{...}}))` with every \
                 field it needs, or `.set(\"meta.config.<key>\", value)` for one key on top of the \
                 defaults; or give the field a default (`#[serde(default)]`, an `Option`, or a \
                 `placeholder` on a text field).",
                config = event.body()["meta"]["config"],
                config_type = self.config_type,
                event_name = event.event(),
            );
        }
        answer
    }

    /// Calls `route`.
    ///
    /// # Panics
    /// When the plugin does not answer.
    pub async fn call(&self, route: TestRoute) -> Answer {
        self.sender.route(&route).await.expect("the plugin answers")
    }

    /// Calls the callback route at `path` for job `job_id`, with a new job handle for that route
    /// (in `Authorization: Bearer`) and `body`, as the system the work was handed to would. The
    /// handle names the test install ([`TestEvent::INSTALL_ID`](super::TestEvent::INSTALL_ID)),
    /// as one made by `job.handle(..)` in a worker does, so a callback may take a `UserApi`.
    ///
    /// # Panics
    /// When the plugin does not answer.
    pub async fn callback(&self, path: &str, job_id: &str, body: Value) -> Answer {
        let key = self
            .settings
            .jwt_secret
            .as_ref()
            .expect("the harness sets a JWT key");
        let handle = crate::api::JobHandles::new(key).encode_for_install(
            &job_id.into(),
            &super::TestEvent::INSTALL_ID.into(),
            path,
            std::time::Duration::from_secs(600),
        );
        self.sender
            .post_bearer(path, Some(&handle), &body)
            .await
            .expect("the plugin answers")
    }
}

/// The message for a config field the worker needs and the setup defaults lack: the framework's
/// own (a missing `meta.config.<key>`), the key, and how to set it. `None` for any other answer: a
/// value of the wrong type that the test set itself is the test's to check.
fn unreadable_default_config(answer: &Answer) -> Option<String> {
    let error = answer.framework_error()?;
    let path = error.message.strip_prefix("missing field `meta.config.")?;
    let key = path.split(['`', '.']).next().unwrap_or("");
    Some(format!(
        "the worker did not run: the install config's `{key}` has no setup default ({} {}: {}): \
         set it with `.set(\"meta.config.{key}\", value)`",
        error.kind, error.code, error.message
    ))
}

/// Serves `plugin` in a thread of its own on `settings.host` and `settings.port` (0: a free one).
pub(crate) fn serve_in_thread<P: Plugin>(
    plugin: P,
    settings: Settings,
) -> std::io::Result<Background> {
    Background::start(&format!("{}-plugin", P::NAME), move || {
        let context = actix_web::web::Data::new(crate::PluginContext::new(&settings));
        let server = actix_web::HttpServer::new(move || {
            actix_web::App::new()
                .wrap(actix_web::middleware::from_fn(crate::log_request))
                .configure(crate::configure_with(plugin.clone(), context.clone()))
        })
        .workers(1)
        .disable_signals()
        .bind((settings.host.as_str(), settings.port))?;
        Ok((server.addrs()[0], server.run()))
    })
}
