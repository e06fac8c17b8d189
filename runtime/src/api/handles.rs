//! Job handles: a job id in an HS256 JWT (key `JWT_SECRET`), for the callback URL of work handed to
//! another system. The callback proves which job it is about by carrying an unexpired handle.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::model::Id;
use crate::{ErrorKind, PluginError, Secret};

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    iat: u64,
    exp: u64,
}

/// Encodes and decodes job handles.
///
/// ```
/// use std::time::Duration;
/// use envoy_plugin::api::JobHandles;
/// use envoy_plugin::{Id, Secret};
/// let handles = JobHandles::new(&Secret::new("jwt key"));
/// let token = handles.encode(&Id::from("job-42"), Duration::from_secs(600));
/// assert_eq!(handles.decode(&token).unwrap(), Id::from("job-42"));
/// assert!(handles.decode(&format!("{token}x")).is_err());
/// ```
#[derive(Clone)]
pub struct JobHandles {
    // Shared: every worker request that takes a `Job` clones the handles, and the keys are heap
    // buffers (wiped on drop) that need not be copied for that.
    keys: std::sync::Arc<Keys>,
}

struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for JobHandles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JobHandles { key: [redacted] }")
    }
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

impl JobHandles {
    /// Handles signed with `secret` (`JWT_SECRET`).
    pub fn new(secret: &Secret) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        JobHandles {
            keys: std::sync::Arc::new(Keys {
                encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
                decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
                validation,
            }),
        }
    }

    /// A handle for job `job_id`, valid for `ttl`.
    pub fn encode(&self, job_id: &Id, ttl: Duration) -> String {
        let iat = now();
        let claims = Claims {
            sub: job_id.to_string(),
            iat,
            exp: iat + ttl.as_secs().max(1),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.keys.encoding)
            .expect("HS256 with a byte key always encodes")
    }

    /// The job id in `token`; a token that is malformed, signed with another key, of another
    /// algorithm or expired is refused (401 `AUTHENTICATION`).
    pub fn decode(&self, token: &str) -> Result<Id, PluginError> {
        jsonwebtoken::decode::<Claims>(token, &self.keys.decoding, &self.keys.validation)
            .map(|data| Id::from(data.claims.sub))
            .map_err(|e| {
                let why = match e.kind() {
                    jsonwebtoken::errors::ErrorKind::ExpiredSignature => "it has expired",
                    jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                        "its signature does not match"
                    }
                    _ => "it is not a job handle",
                };
                PluginError::new(
                    ErrorKind::CredentialsInvalid,
                    format!("invalid job handle: {why}"),
                )
            })
    }
}
