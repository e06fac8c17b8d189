//! Webhooks from platforms other than Envoy (epilot and the like): the kind of
//! [`Endpoint`] `#[webhook(...)]` makes, and how it authenticates, reads, decodes,
//! runs and answers.
//!
//! Every failure is answered in epilot's format, `{"message", "error": {"message", "type", "code",
//! "request_id"?}}`, from the one [`ErrorKind`](crate::ErrorKind) taxonomy; `request_id` echoes the caller's request
//! id header (`X-Request-Id` unless the attribute names another).

use std::time::Duration;

use actix_web::HttpResponse;
use actix_web::dev::AppService;
use actix_web::web::ServiceConfig;

use crate::endpoint::{Endpoint, EndpointKind, Service};
use crate::{DEFAULT_READ_TIMEOUT, PluginError};

mod allow;
mod auth;
mod serve;
pub mod shape;

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

/// The kind of endpoint `#[webhook(...)]` makes: a route for another platform, authenticated as its
/// settings say, answered in epilot's format.
pub struct Webhook;

/// A webhook's settings: how callers authenticate, who may call, and its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookSettings {
    /// How callers authenticate.
    pub auth: WebhookAuth,
    /// The peer addresses or CIDR networks allowed to call (`allow_from = [...]`); empty allows all.
    pub allow_from: &'static [&'static str],
    /// How long the body may take to arrive once the headers have (`read_timeout = "..."`).
    pub read_timeout: Duration,
    /// The header the caller's request id is read from and echoed as `error.request_id`.
    pub request_id_header: &'static str,
}

impl WebhookSettings {
    /// The settings of a webhook authenticated by `auth`, with every other setting at its default.
    pub const fn new(auth: WebhookAuth) -> Self {
        WebhookSettings {
            auth,
            allow_from: &[],
            read_timeout: DEFAULT_READ_TIMEOUT,
            request_id_header: REQUEST_ID_HEADER,
        }
    }
}

impl EndpointKind for Webhook {
    type Parts = WebhookParts;
    type Output = Result<HttpResponse, PluginError>;
    type Settings = WebhookSettings;

    fn register<E: Endpoint<Kind = Self>>(config: &mut AppService) {
        serve::register_webhook::<E>(config);
    }
}

/// What a plugin's `webhooks` list: what `#[webhook(...)]` implements besides [`Endpoint`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a webhook",
    label = "not declared with `#[webhook(...)]`",
    note = "a plugin's `webhooks` lists async fns annotated with `#[webhook(auth = ...)]`"
)]
pub trait WebhookEndpoint: Endpoint<Kind = Webhook> {}

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
    pub fn of<W: WebhookEndpoint>() -> Self {
        WebhookInfo {
            name: W::NAME,
            path: W::PATH,
            register: |config| {
                config.service(Service::<W>::new());
            },
        }
    }

    /// Registers the webhook's route.
    pub fn register(&self, config: &mut ServiceConfig) {
        (self.register)(config);
    }
}
