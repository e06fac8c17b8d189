//! Webhooks from platforms other than Envoy (epilot and the like): what `#[webhook(...)]`
//! implements, and how it authenticates, reads, decodes, runs and answers.
//!
//! Every failure is answered in epilot's format, `{"message", "error": {"message", "type", "code",
//! "request_id"?}}`, from the one [`ErrorKind`](crate::ErrorKind) taxonomy; `request_id` echoes the caller's request
//! id header (`X-Request-Id` unless the attribute names another).

use std::future::Future;
use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::web::ServiceConfig;

use crate::{DEFAULT_READ_TIMEOUT, PluginError};

mod allow;
mod auth;
mod serve;
pub mod shape;

pub use serve::register_webhook;
pub use shape::WebhookParts;

/// The header a webhook reads the caller's request id from unless its attribute says otherwise
/// (`request_id_header = "..."`); the server-wide drain (503) echoes this one.
pub const REQUEST_ID_HEADER: &str = "X-Request-Id";

/// How a webhook authenticates its caller. Secrets and tokens are read from environment variables
/// when the webhook is registered, never written in code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WebhookAuth {
    /// No authentication (`auth = none`): anyone who reaches the path, and passes `allow_from`, may
    /// call it.
    None,
    /// An HMAC of the raw body in a header (`auth = hmac(...)`).
    Hmac(HmacAuth),
    /// `Authorization: Bearer <token>` (`auth = bearer(env = "...")`).
    Bearer {
        /// The environment variable holding the expected token.
        env: &'static str,
    },
}

/// An HMAC signature of the raw body, sent in a header, as epilot, GitHub or Stripe-like platforms
/// send it: `<prefix><encoded HMAC>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HmacAuth {
    /// The header carrying the signature, e.g. `X-Epilot-Signature`.
    pub header: &'static str,
    /// The hash function of the HMAC.
    pub algorithm: HmacAlgorithm,
    /// How the HMAC is written in the header.
    pub encoding: SignatureEncoding,
    /// What precedes the encoded HMAC in the header (`"sha256="` for GitHub), or `""`.
    pub prefix: &'static str,
    /// The environment variable holding the HMAC key.
    pub secret_env: &'static str,
}

/// The hash function of a webhook's HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum HmacAlgorithm {
    /// HMAC-SHA256 (`algorithm = "sha256"`).
    Sha256,
    /// HMAC-SHA384 (`algorithm = "sha384"`).
    Sha384,
    /// HMAC-SHA512 (`algorithm = "sha512"`).
    Sha512,
}

/// How an HMAC is written in its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureEncoding {
    /// Lower- or upper-case hexadecimal (`encoding = "hex"`).
    Hex,
    /// Standard Base64 with padding (`encoding = "base64"`).
    Base64,
}

/// A webhook: what `#[webhook(...)]` implements for the unit struct it makes of a handler.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a webhook",
    label = "not declared with `#[webhook(...)]`",
    note = "a plugin's `webhooks` lists async fns annotated with `#[webhook(auth = ...)]`"
)]
pub trait Webhook: 'static {
    /// The handler's name, for logs and messages.
    const NAME: &'static str;
    /// The path the webhook is served at (`/webhooks/<fn name>` unless the attribute says
    /// otherwise).
    const PATH: &'static str;
    /// How callers authenticate.
    const AUTH: WebhookAuth;
    /// The peer addresses or CIDR networks allowed to call (`allow_from = [...]`); empty allows all.
    const ALLOW_FROM: &'static [&'static str] = &[];
    /// How long the body may take to arrive once the headers have (`read_timeout = "..."`).
    const READ_TIMEOUT: Duration = DEFAULT_READ_TIMEOUT;
    /// The handler's own time budget (`budget = "..."`), instead of the default.
    const BUDGET: Option<Duration> = None;
    /// The header the caller's request id is read from and echoed as `error.request_id`.
    const REQUEST_ID_HEADER: &'static str = REQUEST_ID_HEADER;

    /// Takes the handler's arguments (each payload decoded from the body) and runs it.
    fn run(
        parts: WebhookParts,
    ) -> impl Future<Output = Result<HttpResponse, PluginError>> + 'static;
}

/// A webhook's entry in the plugin's declaration (`plugin! { webhooks: [...] }`).
#[derive(Debug, Clone)]
pub struct WebhookInfo {
    /// The handler's name.
    pub name: &'static str,
    /// The path the webhook is served at.
    pub path: &'static str,
    register: fn(&mut ServiceConfig),
}

impl WebhookInfo {
    /// The entry of webhook `W`.
    pub fn of<W: Webhook>() -> Self {
        WebhookInfo {
            name: W::NAME,
            path: W::PATH,
            register: |config| {
                config.service(WebhookRoute::<W>::new());
            },
        }
    }

    /// Registers the webhook's route.
    pub fn register(&self, config: &mut ServiceConfig) {
        (self.register)(config);
    }
}

/// Webhook `W` as an actix-web service, for `App::service` and `ServiceConfig::service`.
pub struct WebhookRoute<W: Webhook>(std::marker::PhantomData<W>);

impl<W: Webhook> WebhookRoute<W> {
    /// The route of webhook `W`.
    pub fn new() -> Self {
        WebhookRoute(std::marker::PhantomData)
    }
}

impl<W: Webhook> Default for WebhookRoute<W> {
    fn default() -> Self {
        WebhookRoute::new()
    }
}

impl<W: Webhook> HttpServiceFactory for WebhookRoute<W> {
    fn register(self, config: &mut AppService) {
        register_webhook::<W>(config);
    }
}
