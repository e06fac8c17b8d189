//! Plugin tokens: one client-credentials login shared by every concurrent request, renewed ahead of
//! expiry in the background, and once more when the platform says a token is no longer valid.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::json;
use tokio::sync::Mutex;

use super::ApiError;
use super::grant::Credentials;
use crate::Secret;

/// Renew this long before a token expires (as the Node SDK does).
const RENEW_BEFORE: Duration = Duration::from_secs(10 * 60);

#[derive(Clone)]
pub(crate) struct Token {
    pub value: Secret,
    expires_at: Instant,
}

impl Token {
    fn fresh(&self) -> bool {
        Instant::now() + RENEW_BEFORE < self.expires_at
    }
    fn usable(&self) -> bool {
        Instant::now() < self.expires_at
    }
}

/// The longest a token is kept, whatever the platform says: a lifetime near `u64::MAX` seconds
/// would overflow `Instant` (and a token that never expires is not one to trust forever).
const LONGEST_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// When a token answered at `now` with `expires_in` seconds (an hour when not said) expires,
/// clamped to [`LONGEST_LIFETIME`].
fn expires_at(now: Instant, expires_in: Option<u64>) -> Instant {
    let lifetime = Duration::from_secs(expires_in.unwrap_or(3600)).min(LONGEST_LIFETIME);
    now.checked_add(lifetime).unwrap_or(now)
}

/// The token cache.
pub(crate) struct Tokens {
    current: Mutex<Option<Token>>,
    renewing: std::sync::atomic::AtomicBool,
    /// Whether a login has ever succeeded (readiness).
    held: std::sync::atomic::AtomicBool,
}

impl Tokens {
    pub fn new() -> Self {
        Tokens {
            current: Mutex::new(None),
            renewing: std::sync::atomic::AtomicBool::new(false),
            held: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// A usable token: the cached one (renewing it in the background when it nears expiry), or a
    /// new login. Concurrent callers wait for the one login in progress.
    pub async fn get(self: &Arc<Self>, login: &Login) -> Result<Secret, ApiError> {
        let mut current = self.current.lock().await;
        if let Some(token) = current.as_ref().filter(|t| t.usable()) {
            if !token.fresh()
                && !self
                    .renewing
                    .swap(true, std::sync::atomic::Ordering::SeqCst)
            {
                let (tokens, login) = (self.clone(), login.clone());
                tokio::spawn(async move {
                    // Cleared on drop, so that a renewal that panics or is cancelled does not
                    // leave the flag set and stop every later renewal.
                    let _renewing = RenewingFlag(&tokens.renewing);
                    if let Ok(token) = login.run().await {
                        *tokens.current.lock().await = Some(token);
                    }
                });
            }
            return Ok(token.value.clone());
        }
        let token = login.run().await?;
        let value = token.value.clone();
        *current = Some(token);
        self.held.store(true, std::sync::atomic::Ordering::SeqCst);
        Ok(value)
    }

    /// Whether a login has succeeded since the client was made.
    pub fn held(&self) -> bool {
        self.held.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Drops `rejected` (the platform refused it), unless another caller replaced it already.
    pub async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| &t.value == rejected) {
            *current = None;
        }
    }
}

/// Clears the single-flight renewal flag when dropped, however the renewal ends.
struct RenewingFlag<'a>(&'a std::sync::atomic::AtomicBool);

impl Drop for RenewingFlag<'_> {
    fn drop(&mut self) {
        self.0.store(false, std::sync::atomic::Ordering::SeqCst);
    }
}

/// How to log in: the `client_credentials` grant at the token endpoint ([`super::grant`]).
#[derive(Clone)]
pub(crate) struct Login {
    pub credentials: std::sync::Arc<Credentials>,
    /// The longest the login may take.
    pub timeout: Duration,
}

impl Login {
    pub async fn run(&self) -> Result<Token, ApiError> {
        let credentials = &self.credentials;
        let endpoint = format!("POST {}/a/auth/v0/token", credentials.base_url);
        let body = json!({
            "grant_type": "client_credentials",
            "client_id": credentials.client_id,
            "client_secret": credentials.client_secret.expose(),
            "scope": "plugin,token.refresh",
        });
        let answer = credentials
            .request(
                &endpoint,
                &body,
                self.timeout,
                "the platform API needs",
                |_| {
                    "the plugin login was refused: check ENVOY_CLIENT_ID and ENVOY_CLIENT_SECRET"
                        .to_owned()
                },
            )
            .await?;
        Ok(Token {
            value: Secret::new(answer.access_token),
            expires_at: expires_at(Instant::now(), answer.expires_in),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_lifetime_is_clamped_not_overflowed() {
        let now = Instant::now();
        assert_eq!(expires_at(now, Some(u64::MAX)), now + LONGEST_LIFETIME);
        assert_eq!(expires_at(now, Some(60)), now + Duration::from_secs(60));
        assert_eq!(expires_at(now, None), now + Duration::from_secs(3600));
    }
}
