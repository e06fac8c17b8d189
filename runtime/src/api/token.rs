//! Plugin tokens: one client-credentials login shared by every concurrent request, renewed ahead of
//! expiry in the background, and once more when the platform says a token is no longer valid.

use std::sync::Arc;
use std::time::{Duration, Instant};

use base64::Engine as _;
use serde::Deserialize;
use serde_json::json;
use tokio::sync::Mutex;

use super::ApiError;
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

#[derive(Deserialize)]
struct TokenAnswer {
    access_token: String,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// The token cache.
pub(crate) struct Tokens {
    current: Mutex<Option<Token>>,
    renewing: std::sync::atomic::AtomicBool,
}

impl Tokens {
    pub fn new() -> Self {
        Tokens {
            current: Mutex::new(None),
            renewing: std::sync::atomic::AtomicBool::new(false),
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
                    if let Ok(token) = login.run().await {
                        *tokens.current.lock().await = Some(token);
                    }
                    tokens
                        .renewing
                        .store(false, std::sync::atomic::Ordering::SeqCst);
                });
            }
            return Ok(token.value.clone());
        }
        let token = login.run().await?;
        let value = token.value.clone();
        *current = Some(token);
        Ok(value)
    }

    /// Drops `rejected` (the platform refused it), unless another caller replaced it already.
    pub async fn invalidate(&self, rejected: &Secret) {
        let mut current = self.current.lock().await;
        if current.as_ref().is_some_and(|t| &t.value == rejected) {
            *current = None;
        }
    }
}

/// How to log in: `POST /a/auth/v0/token` with HTTP Basic auth and the client credentials.
#[derive(Clone)]
pub(crate) struct Login {
    pub http: reqwest::Client,
    pub base_url: String,
    pub client_id: String,
    pub client_secret: Secret,
}

impl Login {
    pub async fn run(&self) -> Result<Token, ApiError> {
        let endpoint = format!("POST {}/a/auth/v0/token", self.base_url);
        if self.client_id.is_empty() {
            return Err(ApiError::new(
                &endpoint,
                None,
                "ENVOY_CLIENT_ID is not set: the platform API needs the plugin's client id",
            ));
        }
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.client_id,
            self.client_secret.expose()
        ));
        let response = self
            .http
            .post(format!("{}/a/auth/v0/token", self.base_url))
            .header("Authorization", format!("Basic {basic}"))
            .json(&json!({
                "grant_type": "client_credentials",
                "client_id": self.client_id,
                "client_secret": self.client_secret.expose(),
                "scope": "plugin,token.refresh",
            }))
            .send()
            .await
            .map_err(|e| ApiError::new(&endpoint, None, super::describe(&e)))?;
        let status = response.status();
        if !status.is_success() {
            return Err(ApiError::new(
                &endpoint,
                Some(status.as_u16()),
                "the plugin login was refused: check ENVOY_CLIENT_ID and ENVOY_CLIENT_SECRET",
            ));
        }
        let answer: TokenAnswer = response.json().await.map_err(|e| {
            ApiError::new(
                &endpoint,
                Some(status.as_u16()),
                format!("unreadable token answer: {}", super::describe(&e)),
            )
        })?;
        Ok(Token {
            value: Secret::new(answer.access_token),
            expires_at: Instant::now() + Duration::from_secs(answer.expires_in.unwrap_or(3600)),
        })
    }
}
