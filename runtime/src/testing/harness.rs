//! The harness: a plugin served on a loopback port next to the stand-in platform, and a client that
//! signs and sends requests to any plugin (the harness's, `dev`'s or a deployed one).

use std::collections::HashMap;
use std::net::SocketAddr;

use serde_json::Value;

use super::{TestEvent, TestRoute};
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
    /// The `message` of the body.
    pub fn message(&self) -> Option<&str> {
        self.body.get("message").and_then(Value::as_str)
    }

    /// The job outcome the platform reads from a worker's status: 200/201 done, 202 ongoing, 400
    /// ignored, 412 failed; anything else is an unintended failure (`None`).
    pub fn outcome(&self) -> Option<JobStatus> {
        match self.status {
            200 | 201 => Some(JobStatus::Done),
            202 => Some(JobStatus::Ongoing),
            400 => Some(JobStatus::Ignored),
            412 => Some(JobStatus::Failed),
            _ => None,
        }
    }

    /// The attachments of the body.
    pub fn attachments(&self) -> &[Value] {
        self.body
            .get("attachments")
            .and_then(Value::as_array)
            .map_or(&[], Vec::as_slice)
    }
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
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
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
        let response = self
            .http
            .post(format!("{}{path_and_query}", self.base_url))
            .json(body)
            .send()
            .await?;
        let status = response.status().as_u16();
        let bytes = response.bytes().await?;
        Ok(Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        })
    }
}

/// A plugin served on a loopback port, its platform API wired to a [`StandIn`]. Stops when dropped.
pub struct Harness {
    platform: StandIn,
    settings: Settings,
    sender: Sender,
    workers: HashMap<&'static str, &'static str>,
    system: actix_web::rt::System,
    thread: Option<std::thread::JoinHandle<()>>,
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
        let (addr, system, thread) = serve_in_thread(plugin, settings.clone())?;
        Ok(Harness {
            platform,
            sender: Sender::new(&format!("http://{addr}"), settings.client_secret.clone()),
            settings,
            workers: P::workers()
                .into_iter()
                .map(|w| (w.event, w.path))
                .collect(),
            system,
            thread: Some(thread),
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
    /// # Panics
    /// When the plugin has no worker for the event, or the plugin does not answer.
    pub async fn send(&self, event: TestEvent) -> Answer {
        let path = self
            .workers
            .get(event.event())
            .unwrap_or_else(|| panic!("the plugin has no worker for `{}`", event.event()));
        self.sender
            .event(path, &event)
            .await
            .expect("the plugin answers")
    }

    /// Calls `route`.
    ///
    /// # Panics
    /// When the plugin does not answer.
    pub async fn call(&self, route: TestRoute) -> Answer {
        self.sender.route(&route).await.expect("the plugin answers")
    }

    /// Calls the callback route at `path` for job `job_id`, with a valid job handle and `body`, as
    /// the system the work was handed to would.
    ///
    /// # Panics
    /// When the plugin does not answer.
    pub async fn callback(&self, path: &str, job_id: &str, body: Value) -> Answer {
        let key = self
            .settings
            .jwt_secret
            .as_ref()
            .expect("the harness sets a JWT key");
        let handle = crate::api::JobHandles::new(key)
            .encode(&job_id.into(), std::time::Duration::from_secs(600));
        self.sender
            .post_unsigned(&format!("{path}?token={handle}"), &body)
            .await
            .expect("the plugin answers")
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        self.system.stop();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

type Served = (
    SocketAddr,
    actix_web::rt::System,
    std::thread::JoinHandle<()>,
);

/// Serves `plugin` in a thread of its own (with its own actix system) on `settings.host` and a free
/// port when `settings.port` is 0.
pub(crate) fn serve_in_thread<P: Plugin>(plugin: P, settings: Settings) -> std::io::Result<Served> {
    let (sender, receiver) = std::sync::mpsc::channel();
    let thread = std::thread::Builder::new()
        .name(format!("{}-plugin", P::NAME))
        .spawn(move || {
            let system = actix_web::rt::System::new();
            let started = system.block_on(async move {
                let context = actix_web::web::Data::new(crate::PluginContext::new(&settings));
                let server = actix_web::HttpServer::new(move || {
                    actix_web::App::new()
                        .wrap(actix_web::middleware::from_fn(crate::log_request))
                        .configure(crate::configure_with(plugin.clone(), context.clone()))
                })
                .workers(1)
                .disable_signals()
                .bind((settings.host.as_str(), settings.port))?;
                let addr = server.addrs()[0];
                actix_web::rt::spawn(server.run());
                Ok::<_, std::io::Error>(addr)
            });
            let _ = sender.send(started.map(|addr| (addr, actix_web::rt::System::current())));
            system.run().ok();
        })?;
    let (addr, system) = receiver
        .recv()
        .map_err(|_| std::io::Error::other("the plugin thread ended before it started"))??;
    Ok((addr, system, thread))
}
