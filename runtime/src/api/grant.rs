//! The token endpoint, `POST /a/auth/v0/token` with HTTP Basic `client_id:client_secret`: the one
//! request behind the plugin's login (`client_credentials`) and every user grant (`plugin_install`,
//! `authorization_code`, `password`, `refresh_token`).

use std::time::Duration;

use base64::Engine as _;
use serde::Deserialize;
use serde_json::Value;

use super::ApiError;
use crate::Secret;

/// The plugin's credentials and the platform they are sent to, on the process's shared client.
#[derive(Clone)]
pub(crate) struct Credentials {
    /// The process's shared client (no redirects), or why the base URL is refused.
    pub http: Result<reqwest::Client, ApiError>,
    /// The platform's address, without a trailing `/`.
    pub base_url: String,
    pub client_id: String,
    pub client_secret: Secret,
}

/// The token endpoint's answer (`token_type` is always `Bearer`).
#[derive(Deserialize)]
pub(crate) struct TokenAnswer {
    pub access_token: String,
    #[serde(default)]
    pub expires_in: Option<u64>,
    #[serde(default)]
    pub refresh_token: Option<String>,
}

impl Credentials {
    /// For the platform at `base_url`, on the shared connection pool ([`super::http_client`]). A
    /// plain `http://` base URL off loopback is refused: every request then fails with an error that
    /// says so, sending nothing (the credentials would travel in clear).
    pub fn connect(base_url: &str, client_id: &str, client_secret: &Secret) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let http = super::http_client()
            .and_then(|http| super::check_base_url(&base_url).map(|()| http))
            .map_err(|refusal| ApiError::new(&base_url, None, refusal));
        Credentials {
            http,
            base_url,
            client_id: client_id.to_owned(),
            client_secret: client_secret.clone(),
        }
    }

    /// Asks the token endpoint for a token with `body` (the grant), within `timeout`.
    ///
    /// `endpoint` names the request in errors; `needs_id` says what needs the client id when none
    /// is set; `refused` words a refusal from the platform's reason (`invalid_grant (...)`), which
    /// never echoes the body sent (it may hold a password or a code). A redirect is an error, not
    /// followed: it would carry the credentials elsewhere.
    pub async fn request(
        &self,
        endpoint: &str,
        body: &Value,
        timeout: Duration,
        needs_id: &str,
        refused: impl FnOnce(&str) -> String,
    ) -> Result<TokenAnswer, ApiError> {
        if self.client_id.is_empty() {
            return Err(ApiError::new(
                endpoint,
                None,
                format!("ENVOY_CLIENT_ID is not set: {needs_id} the plugin's client id"),
            ));
        }
        let basic = base64::engine::general_purpose::STANDARD.encode(format!(
            "{}:{}",
            self.client_id,
            self.client_secret.expose()
        ));
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let response = http
            .post(format!("{}/a/auth/v0/token", self.base_url))
            .timeout(timeout)
            .header("Authorization", format!("Basic {basic}"))
            .json(body)
            .send()
            .await
            .map_err(|e| ApiError::new(endpoint, None, super::describe(&e)))?;
        super::refuse_redirect(endpoint, &response)?;
        let status = response.status();
        if !status.is_success() {
            let reason = response
                .json::<Value>()
                .await
                .ok()
                .and_then(|answer| reason(&answer))
                .unwrap_or_else(|| "refused".to_owned());
            return Err(ApiError::new(
                endpoint,
                Some(status.as_u16()),
                refused(&reason),
            ));
        }
        response.json().await.map_err(|e| {
            ApiError::new(
                endpoint,
                Some(status.as_u16()),
                format!("unreadable token answer: {}", super::describe(&e)),
            )
        })
    }
}

/// The platform's reason for refusing a grant: OAuth's `error (error_description)`, either alone, or
/// a JSON:API error's `detail`.
fn reason(answer: &Value) -> Option<String> {
    let text = |key: &str| answer.pointer(key).and_then(Value::as_str);
    match (text("/error"), text("/error_description")) {
        (Some(error), Some(description)) => Some(format!("{error} ({description})")),
        (error, description) => error
            .or(description)
            .or_else(|| text("/errors/0/detail"))
            .map(str::to_owned),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_reason_is_the_platforms_words_never_the_request() {
        assert_eq!(
            reason(&json!({"error": "invalid_grant", "error_description": "spent"})).as_deref(),
            Some("invalid_grant (spent)")
        );
        assert_eq!(
            reason(&json!({"error": "invalid_client"})).as_deref(),
            Some("invalid_client")
        );
        assert_eq!(
            reason(&json!({"errors": [{"detail": "no such install"}]})).as_deref(),
            Some("no such install")
        );
        assert_eq!(reason(&json!({"password": "hunter2"})), None);
    }
}
