//! The client of the platform API: plugin tokens, jobs, storage, install config, notifications.
//!
//! Every call carries `Authorization: Bearer <plugin token>` and the JSON:API content type, has a
//! bounded time, is retried with backoff on connection errors and 5xx when it is safe to repeat, and
//! is retried once with a new token when the platform answers 401. Errors name the endpoint and the
//! status, never a token or a secret.

mod error;
pub(crate) mod grant;
mod handles;
mod install;
mod jobs;
pub(crate) mod retry;
mod storage;
mod token;

use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use serde_json::Value;

pub use error::ApiError;
pub use handles::{JobHandles, MAX_HANDLE_LIFETIME, VerifiedHandle};
pub use install::InstallApi;
pub use jobs::JobApi;
pub use storage::{Storage, StorageItem, StoragePipeline};

use crate::model::Id;
use crate::{Secret, Settings};
use grant::Credentials;
use token::{Login, Tokens};

/// The content type of every API call.
const JSON_API: &str = "application/vnd.api+json";

/// How the client behaves when calls fail or hang.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiPolicy {
    /// The longest a call may take, connection included.
    pub timeout: Duration,
    /// How many times a call that is safe to repeat is tried in all.
    pub attempts: u32,
    /// The wait before the second try; it doubles for each further one. Each wait is jittered
    /// (between half of it and all of it) and at most 10 seconds.
    pub backoff: Duration,
}

impl Default for ApiPolicy {
    fn default() -> Self {
        ApiPolicy {
            timeout: Duration::from_secs(10),
            attempts: 3,
            backoff: Duration::from_millis(200),
        }
    }
}

impl ApiPolicy {
    /// The same policy with another timeout.
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The same policy with another number of attempts and first backoff.
    pub fn with_retries(mut self, attempts: u32, backoff: Duration) -> Self {
        self.attempts = attempts.max(1);
        self.backoff = backoff;
        self
    }
}

/// The platform API client. Cheap to clone: clones share one token and one connection pool.
///
/// ```no_run
/// # async fn demo() -> Result<(), envoy_plugin::api::ApiError> {
/// use envoy_plugin::api::EnvoyApi;
/// use envoy_plugin::Settings;
/// let mut settings = Settings::new("client secret");
/// settings.client_id = Some("client id".into());
/// let api = EnvoyApi::new(&settings);
/// api.job("job-42").complete("Badge printed", vec![]).await?;
/// let visits: Option<u64> = api.install_storage("5310").get("visits").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct EnvoyApi {
    inner: Arc<Inner>,
}

struct Inner {
    /// The process's client and the platform's address (see [`EnvoyApi::connect`]), with the
    /// credentials the login sends.
    login: Login,
    tokens: Arc<Tokens>,
    policy: ApiPolicy,
}

impl std::fmt::Debug for EnvoyApi {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EnvoyApi")
            .field("base_url", &self.inner.login.credentials.base_url)
            .field("client_id", &self.inner.login.credentials.client_id)
            .field("client_secret", &self.inner.login.credentials.client_secret)
            .field("policy", &self.inner.policy)
            .finish()
    }
}

impl EnvoyApi {
    /// A client for these settings. Without `ENVOY_CLIENT_ID` every call fails with an error that
    /// says so (the login needs it).
    pub fn new(settings: &Settings) -> EnvoyApi {
        EnvoyApi::with_policy(settings, ApiPolicy::default())
    }

    /// A client with a policy of its own.
    pub fn with_policy(settings: &Settings, policy: ApiPolicy) -> EnvoyApi {
        let client_id = settings.client_id.clone().unwrap_or_default();
        EnvoyApi::connect(
            &settings.base_url,
            &client_id,
            &settings.client_secret,
            policy,
        )
    }

    /// A client for the platform at `base_url` with these credentials.
    ///
    /// Every client of the process shares one connection pool ([`http_client`]). A base URL that
    /// is plain `http://` to a host other than a loopback address is refused: each call of the
    /// client then fails with an error that says so, and nothing is sent, since the login carries
    /// the client secret.
    pub fn connect(
        base_url: &str,
        client_id: &str,
        client_secret: &Secret,
        policy: ApiPolicy,
    ) -> EnvoyApi {
        EnvoyApi {
            inner: Arc::new(Inner {
                login: Login {
                    credentials: std::sync::Arc::new(Credentials::connect(
                        base_url,
                        client_id,
                        client_secret,
                    )),
                    timeout: policy.timeout,
                },
                tokens: Arc::new(Tokens::new()),
                policy,
            }),
        }
    }

    /// Whether this client can make calls at all: its base URL is acceptable and the process's
    /// HTTP client could be built. `serve` checks it at startup, so a bad `ENVOY_BASE_URL` stops
    /// the plugin with a clear message instead of failing each call.
    pub fn check(&self) -> Result<(), ApiError> {
        let http = &self.inner.login.credentials.http;
        http.as_ref().map(drop).map_err(Clone::clone)
    }

    /// The job API of job `id` (a job rebuilt from its id, e.g. from a job handle).
    pub fn job(&self, id: impl Into<Id>) -> JobApi {
        JobApi::new(self.clone(), id.into())
    }

    /// The storage of install `install_id`.
    pub fn install_storage(&self, install_id: impl Into<Id>) -> Storage {
        Storage::new(self.clone(), Some(install_id.into()))
    }

    /// The plugin's global storage, shared by every install.
    pub fn global_storage(&self) -> Storage {
        Storage::new(self.clone(), None)
    }

    /// The config and notifications of install `install_id`.
    pub fn install(&self, install_id: impl Into<Id>) -> InstallApi {
        InstallApi::new(self.clone(), install_id.into())
    }

    /// What the user API shares with this client: the connection pool, the base URL and the
    /// plugin's credentials (which its grants authenticate with), and the policy of its calls.
    pub(crate) fn user_api_parts(&self) -> (std::sync::Arc<Credentials>, ApiPolicy) {
        (
            self.inner.login.credentials.clone(),
            self.inner.policy.clone(),
        )
    }

    /// Whether the client has credentials to log in with (a client id): a plugin without one makes
    /// no platform calls, and is ready without a token.
    pub fn needs_login(&self) -> bool {
        !self.inner.login.credentials.client_id.is_empty()
    }

    /// Whether a login has succeeded: the plugin holds a platform token.
    pub fn has_token(&self) -> bool {
        self.inner.tokens.held()
    }

    /// A current plugin token (logging in if there is none), e.g. for a call the client lacks.
    pub async fn token(&self) -> Result<Secret, ApiError> {
        self.inner.tokens.get(&self.inner.login).await
    }

    /// Calls `method path` with `body`; `repeatable` says whether the call is safe to repeat after a
    /// connection error or a 5xx (see [`retry`]). Answers the response's JSON (`Value::Null` for an
    /// empty body).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
        repeatable: bool,
    ) -> Result<Value, ApiError> {
        let endpoint = format!("{method} {path}");
        let credentials = &self.inner.login.credentials;
        let request = BearerRequest::new(&method, &credentials.base_url, path, body);
        let policy = &self.inner.policy;
        let renewed = std::sync::atomic::AtomicBool::new(false);
        let (request, endpoint, renewed) = (&request, endpoint.as_str(), &renewed);
        retry::with_retries(policy, &method, endpoint, repeatable, move || async move {
            loop {
                let token = self.token().await?;
                let http = credentials.http.as_ref().map_err(Clone::clone)?;
                let response = match request.send(http, &token, policy.timeout).await {
                    Ok(response) => response,
                    Err(e) => return Ok(Err(ApiError::new(endpoint, None, describe(&e)))),
                };
                if response.status() == reqwest::StatusCode::UNAUTHORIZED
                    && !renewed.swap(true, std::sync::atomic::Ordering::SeqCst)
                {
                    // The token was revoked or expired early: forget it and try once more.
                    self.inner.tokens.invalidate(&token).await;
                    continue;
                }
                return Ok(read(endpoint, response).await);
            }
        })
        .await
    }
}

/// A JSON:API request with a bearer token, ready to be sent (again): the platform API's calls and
/// the user API's are all of this form.
pub(crate) struct BearerRequest {
    method: Method,
    url: String,
    /// Serialized once; each attempt sends the same bytes (a reference count, not a copy).
    body: Option<actix_web::web::Bytes>,
}

impl BearerRequest {
    /// `method base_url+path` with `body` as JSON.
    pub(crate) fn new(method: &Method, base_url: &str, path: &str, body: Option<&Value>) -> Self {
        BearerRequest {
            method: method.clone(),
            url: format!("{base_url}{path}"),
            // A `Value` always serializes (its keys are strings), so the fallback is never taken.
            body: body.map(|body| {
                actix_web::web::Bytes::from(serde_json::to_vec(body).unwrap_or_default())
            }),
        }
    }

    /// Sends it once with `token`: `Authorization: Bearer`, and the JSON:API content type as
    /// `Accept` (and `Content-Type` when there is a body).
    pub(crate) async fn send(
        &self,
        http: &reqwest::Client,
        token: &Secret,
        timeout: Duration,
    ) -> Result<reqwest::Response, reqwest::Error> {
        let mut request = http
            .request(self.method.clone(), &self.url)
            .timeout(timeout)
            .header("Authorization", format!("Bearer {}", token.expose()))
            .header("Accept", JSON_API);
        if let Some(body) = &self.body {
            request = request.header("Content-Type", JSON_API).body(body.clone());
        }
        request.send().await
    }
}

pub(crate) async fn read(endpoint: &str, response: reqwest::Response) -> Result<Value, ApiError> {
    let status = response.status();
    refuse_redirect(endpoint, &response)?;
    let bytes = response
        .bytes()
        .await
        .map_err(|e| ApiError::new(endpoint, Some(status.as_u16()), describe(&e)))?;
    if !status.is_success() {
        let detail = serde_json::from_slice::<Value>(&bytes)
            .ok()
            .and_then(|v| {
                v.pointer("/errors/0/detail")
                    .or_else(|| v.get("message"))
                    .or_else(|| v.get("error"))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| status.canonical_reason().unwrap_or("error").to_owned());
        return Err(ApiError::new(endpoint, Some(status.as_u16()), detail));
    }
    if bytes.is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::new(
            endpoint,
            Some(status.as_u16()),
            format!("the answer is not JSON: {e}"),
        )
    })
}

/// The process's HTTP client for the platform: one connection pool, built once and shared by
/// every [`EnvoyApi`] (jobs and storage made by hand included). It follows no redirect: a 3xx is
/// an error naming its status and location, never a second request that would carry the client
/// secret or a job's password attachments to the host the redirect names. Each call sets its own
/// total timeout from its [`ApiPolicy`].
pub fn http_client() -> Result<reqwest::Client, String> {
    static CLIENT: std::sync::OnceLock<Result<reqwest::Client, String>> =
        std::sync::OnceLock::new();
    CLIENT
        .get_or_init(|| {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .connect_timeout(ApiPolicy::default().timeout)
                .user_agent(concat!(
                    env!("CARGO_PKG_NAME"),
                    "/",
                    env!("CARGO_PKG_VERSION")
                ))
                .build()
                .map_err(|e| format!("the HTTP client for the platform API cannot be built: {e}"))
        })
        .clone()
}

/// A base URL is `https://`, or `http://` to a loopback host (the stand-in, a test's fake).
pub(crate) fn check_base_url(base_url: &str) -> Result<(), String> {
    let url = url::Url::parse(base_url)
        .map_err(|e| format!("the platform's base URL `{base_url}` is not a URL: {e}"))?;
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        _ => Err(format!(
            "the platform's base URL `{base_url}` is not https: the plugin's login sends the client \
             secret, so only https (or http to a loopback address) is allowed"
        )),
    }
}

/// Whether `url`'s host is `localhost` or a loopback address.
pub(crate) fn is_loopback(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(domain)) => domain.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// A 3xx answer is an error: the client follows no redirect (see [`http_client`]).
pub(crate) fn refuse_redirect(
    endpoint: &str,
    response: &reqwest::Response,
) -> Result<(), ApiError> {
    let status = response.status();
    if !status.is_redirection() {
        return Ok(());
    }
    let location = response
        .headers()
        .get(reqwest::header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("nowhere");
    Err(ApiError::new(
        endpoint,
        Some(status.as_u16()),
        format!(
            "the platform redirected to {location}; redirects are not followed, so that no \
             credential is sent to another address: check ENVOY_BASE_URL"
        ),
    ))
}

/// A transport error in words.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    if err.is_timeout() {
        "no answer in time".to_owned()
    } else if err.is_connect() {
        "could not connect".to_owned()
    } else {
        err.to_string()
    }
}
