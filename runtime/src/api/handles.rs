//! Job handles: a job id (and the id of the job's install) in an HS256 JWT (key `JWT_SECRET`), for
//! the callback URL of work handed to another system. The callback proves which job it is about by
//! carrying an unexpired handle, made for that callback, that has not been used before.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::model::Id;
use crate::{ErrorKind, PluginError, Secret};

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    /// The job's id.
    sub: String,
    /// The id of the job's install, so that the callback can act as the installer (a private
    /// claim; absent from handles made from a bare job id). Signed, not secret: it only names the
    /// install, and the plugin's credentials are still needed to get a token for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    install_id: Option<String>,
    /// The path of the one callback route that accepts the handle.
    aud: String,
    /// The handle's own id: a callback accepts it once.
    jti: String,
    iat: u64,
    nbf: u64,
    exp: u64,
}

/// The longest a job handle is valid, whatever lifetime it is asked for: the one place it is set.
/// It equals [`crate::deliveries::DEFAULT_RECORD_TTL`], so a spent handle is remembered (and a
/// replay refused) for as long as the handle itself is valid.
pub const MAX_HANDLE_LIFETIME: Duration = crate::deliveries::DEFAULT_RECORD_TTL;

/// A verified job handle: whose job it is and the handle's own id, spent by the callback.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedHandle {
    /// The job the handle names.
    pub job_id: Id,
    /// The install of that job, when the handle was made from a worker's `Job` (or with
    /// [`JobHandles::encode_for_install`]): what a callback's `UserApi` acts for.
    pub install_id: Option<Id>,
    /// The handle's id (`jti`): a callback accepts each handle once.
    pub handle_id: String,
    /// When the handle expires, in seconds since the Unix epoch.
    pub expires_at: u64,
}

/// Encodes and decodes job handles: HS256 JWTs (key `JWT_SECRET`) naming a job (`sub`), bound to
/// one callback route (`aud`, its path), with an id of their own (`jti`) so that a callback
/// accepts each once, valid from `nbf` to `exp` (at most [`MAX_HANDLE_LIFETIME`]).
///
/// ```
/// use std::time::Duration;
/// use envoy_plugin::api::JobHandles;
/// use envoy_plugin::{Id, Secret};
/// let handles = JobHandles::new(&Secret::new("jwt key"));
/// let token = handles.encode(&Id::from("job-42"), "/callbacks/printed", Duration::from_secs(600));
/// let handle = handles.decode(&token, "/callbacks/printed").unwrap();
/// assert_eq!(handle.job_id, Id::from("job-42"));
/// // Bound to its callback: another one refuses it.
/// assert!(handles.decode(&token, "/callbacks/other").is_err());
/// assert!(handles.decode(&format!("{token}x"), "/callbacks/printed").is_err());
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

/// A random id for a handle: 128 bits from the standard library's randomly keyed hasher (no
/// extra dependency; uniqueness, not secrecy, is what a `jti` needs).
fn handle_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(count);
        hasher.write_u64(salt);
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    };
    format!("{:016x}{:016x}", half(1), half(2))
}

impl JobHandles {
    /// Handles signed with `secret` (`JWT_SECRET`).
    pub fn new(secret: &Secret) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_nbf = true;
        // The audience is compared by `decode` itself, against the route that decodes.
        validation.validate_aud = false;
        validation.set_required_spec_claims(&["exp", "nbf", "sub", "aud"]);
        JobHandles {
            keys: std::sync::Arc::new(Keys {
                encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
                decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
                validation,
            }),
        }
    }

    /// A handle for job `job_id`, accepted once by the callback route served at
    /// `callback_path`, valid for `ttl` (at most [`MAX_HANDLE_LIFETIME`]). It names no install, so
    /// its callback cannot take a `UserApi`: prefer `job.handle(callback, ttl)` in a worker, or
    /// [`JobHandles::encode_for_install`].
    pub fn encode(&self, job_id: &Id, callback_path: &str, ttl: Duration) -> String {
        self.sign(job_id, None, callback_path, ttl)
    }

    /// A handle for job `job_id` of install `install_id`, accepted once by the callback route
    /// served at `callback_path`, valid for `ttl` (at most [`MAX_HANDLE_LIFETIME`]). Its callback
    /// can act as the installer (a `UserApi` argument, through the `plugin_install` grant).
    ///
    /// ```
    /// use std::time::Duration;
    /// use envoy_plugin::api::JobHandles;
    /// use envoy_plugin::{Id, Secret};
    /// let handles = JobHandles::new(&Secret::new("jwt key"));
    /// let token = handles.encode_for_install(
    ///     &Id::from("job-42"),
    ///     &Id::from("5310"),
    ///     "/callbacks/printed",
    ///     Duration::from_secs(600),
    /// );
    /// let handle = handles.decode(&token, "/callbacks/printed").unwrap();
    /// assert_eq!(handle.install_id, Some(Id::from("5310")));
    /// ```
    pub fn encode_for_install(
        &self,
        job_id: &Id,
        install_id: &Id,
        callback_path: &str,
        ttl: Duration,
    ) -> String {
        self.sign(job_id, Some(install_id), callback_path, ttl)
    }

    fn sign(
        &self,
        job_id: &Id,
        install_id: Option<&Id>,
        callback_path: &str,
        ttl: Duration,
    ) -> String {
        let iat = now();
        let ttl = ttl.min(MAX_HANDLE_LIFETIME).as_secs().max(1);
        let claims = Claims {
            sub: job_id.to_string(),
            install_id: install_id.map(ToString::to_string),
            aud: callback_path.to_owned(),
            jti: handle_id(),
            iat,
            nbf: iat,
            exp: iat + ttl,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.keys.encoding)
            .expect("HS256 with a byte key always encodes")
    }

    /// The handle in `token`, for the callback route served at `callback_path`. A token that is
    /// malformed, signed with another key or algorithm, not yet valid (`nbf`), expired, for another
    /// route, or with a lifetime over [`MAX_HANDLE_LIFETIME`] is refused (401 `AUTHENTICATION`).
    pub fn decode(&self, token: &str, callback_path: &str) -> Result<VerifiedHandle, PluginError> {
        let refuse = |why: &str| {
            PluginError::new(
                ErrorKind::CredentialsInvalid,
                format!("invalid job handle: {why}"),
            )
        };
        let claims =
            jsonwebtoken::decode::<Claims>(token, &self.keys.decoding, &self.keys.validation)
                .map_err(|e| {
                    refuse(match e.kind() {
                        jsonwebtoken::errors::ErrorKind::ExpiredSignature => "it has expired",
                        jsonwebtoken::errors::ErrorKind::ImmatureSignature => "it is not valid yet",
                        jsonwebtoken::errors::ErrorKind::InvalidSignature => {
                            "its signature does not match"
                        }
                        _ => "it is not a job handle",
                    })
                })?
                .claims;
        if claims.aud != callback_path {
            return Err(refuse("it was made for another callback route"));
        }
        if claims.exp.saturating_sub(claims.nbf.min(claims.iat)) > MAX_HANDLE_LIFETIME.as_secs() {
            return Err(refuse("its lifetime is longer than a handle may have"));
        }
        Ok(VerifiedHandle {
            job_id: Id::from(claims.sub),
            // An empty one is no install (a token cannot be had for it).
            install_id: claims.install_id.filter(|id| !id.is_empty()).map(Id::from),
            handle_id: claims.jti,
            expires_at: claims.exp,
        })
    }
}
