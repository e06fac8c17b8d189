//! The installer's token and the grants that obtain it: `plugin_install`, `authorization_code`,
//! `password` (discouraged) and `refresh_token`, all `POST /a/auth/v0/token` with HTTP Basic
//! `client_id:client_secret`.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::scope::{Scope, ScopeSet};
use crate::api::grant::{Credentials, TokenAnswer};
use crate::api::{ApiError, ApiPolicy, EnvoyApi};
use crate::model::{Auth, Id};
use crate::{Secret, Settings};

/// A user token: the access token, and the refresh token when one was issued. Neither shows in
/// `Debug` output.
#[derive(Debug, Clone, PartialEq)]
pub struct UserToken {
    access_token: Secret,
    refresh_token: Option<Secret>,
    expires_at: Option<Instant>,
}

impl UserToken {
    /// A bare access token (its expiry unknown, no refresh token), e.g. a forwarded bearer token.
    pub fn new(access_token: impl Into<Secret>) -> Self {
        UserToken {
            access_token: access_token.into(),
            refresh_token: None,
            expires_at: None,
        }
    }

    /// The token the platform sent in `meta.auth`.
    pub fn from_auth(auth: &Auth) -> Self {
        UserToken {
            access_token: auth.access_token.clone(),
            refresh_token: auth.refresh_token.clone().filter(|t| !t.is_empty()),
            expires_at: auth
                .expires_in
                .map(|seconds| Instant::now() + Duration::from_secs(seconds)),
        }
    }

    /// The access token.
    pub fn access_token(&self) -> &Secret {
        &self.access_token
    }

    /// The refresh token, if one was issued.
    pub fn refresh_token(&self) -> Option<&Secret> {
        self.refresh_token.as_ref()
    }

    /// Whether the access token is known to have expired (a token of unknown expiry never is).
    pub fn expired(&self) -> bool {
        self.expires_at.is_some_and(|at| Instant::now() >= at)
    }
}

/// The plugin's side of the user grants: its credentials and the platform's address. Made from the
/// settings, or from the platform API client a handler already has.
///
/// ```no_run
/// # async fn demo() -> Result<(), envoy_plugin::api::ApiError> {
/// use envoy_plugin::user_api::{UserAuth, UserApi};
/// use envoy_plugin::user_api::scope::ScopeSet as _;
/// use envoy_plugin::Settings;
///
/// envoy_plugin::user_scopes!(pub Scopes = [EmployeesRead]);
///
/// let mut settings = Settings::new("client secret");
/// settings.client_id = Some("client id".into());
/// let auth = UserAuth::new(&settings);
/// // 1. Send the installer to the authorize URL; the platform sends them back with `?code=`.
/// let url = auth.authorize_url("https://my-plugin.example.com/oauth/back").scopes_of::<Scopes>().state("xyz");
/// println!("{url}");
/// // 2. Exchange the code for a token, and use it.
/// let token = auth.authorization_code("the code", Scopes::SCOPES).await?;
/// let api: UserApi<Scopes> = auth.user_api(token);
/// let ada = api.employees().by_email("ada@example.com").await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct UserAuth {
    /// The shared client, the platform's address and the plugin's credentials: shared, since a
    /// handle is made for every request that takes a `UserApi`.
    pub(crate) credentials: std::sync::Arc<Credentials>,
    /// The timeout of grants and calls, and the retries of calls that are safe to repeat.
    pub(crate) policy: ApiPolicy,
}

impl std::fmt::Debug for UserAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserAuth")
            .field("base_url", &self.credentials.base_url)
            .field("client_id", &self.credentials.client_id)
            .field("client_secret", &self.credentials.client_secret)
            .field("policy", &self.policy)
            .finish()
    }
}

impl UserAuth {
    /// From the settings (`ENVOY_BASE_URL`, `ENVOY_CLIENT_ID`, `ENVOY_CLIENT_SECRET`).
    pub fn new(settings: &Settings) -> Self {
        UserAuth::connect(
            &settings.base_url,
            settings.client_id.as_deref().unwrap_or_default(),
            &settings.client_secret,
        )
    }

    /// For the platform at `base_url`, with these credentials, on the platform API's shared
    /// connection pool ([`crate::api::http_client`]) and its default [`ApiPolicy`]. Redirects are
    /// not followed (one would carry the credentials or the token to another host), and a plain
    /// `http://` base URL off loopback is refused: every grant and call then fails with an error
    /// that says so, sending nothing.
    pub fn connect(base_url: &str, client_id: &str, client_secret: &Secret) -> Self {
        UserAuth {
            credentials: std::sync::Arc::new(Credentials::connect(
                base_url,
                client_id,
                client_secret,
            )),
            policy: ApiPolicy::default(),
        }
    }

    /// Sharing the platform API client's connection pool, address, credentials and policy.
    pub fn from_api(api: &EnvoyApi) -> Self {
        let (credentials, policy) = api.user_api_parts();
        UserAuth {
            credentials,
            policy,
        }
    }

    /// The same, with another policy: the timeout of each grant and call, and how calls that are
    /// safe to repeat (GET, PUT, DELETE) are retried on connection errors and 5xx. Grants, and
    /// calls that create or change in part (POST, PATCH), are never repeated.
    pub fn with_policy(mut self, policy: ApiPolicy) -> Self {
        self.policy = policy;
        self
    }

    /// The URL to send a user to for the `authorization_code` flow; the platform sends them back to
    /// `redirect_uri` with `?code=...`.
    pub fn authorize_url(&self, redirect_uri: &str) -> AuthorizeUrl {
        AuthorizeUrl {
            base_url: self.credentials.base_url.clone(),
            client_id: self.credentials.client_id.clone(),
            redirect_uri: redirect_uri.to_owned(),
            scopes: Vec::new(),
            state: None,
        }
    }

    /// The installer's token for install `install_id` (`plugin_install` grant): what a worker uses
    /// when the event carries no `meta.auth`.
    pub async fn plugin_install(&self, install_id: &Id) -> Result<UserToken, ApiError> {
        self.grant(
            "plugin_install",
            json!({"grant_type": "plugin_install", "install_id": install_id}),
        )
        .await
    }

    /// Exchanges the code of the authorize redirect for a token (`authorization_code` grant).
    pub async fn authorization_code(
        &self,
        code: &str,
        scopes: &[Scope],
    ) -> Result<UserToken, ApiError> {
        self.grant(
            "authorization_code",
            json!({"grant_type": "authorization_code", "code": code, "scope": scopes}),
        )
        .await
    }

    /// A token from a user's own name and password (`password` grant).
    ///
    /// Discouraged: the plugin sees the user's password. Prefer the `authorization_code` flow
    /// ([`UserAuth::authorize_url`], then [`UserAuth::authorization_code`]), or the installer's
    /// token the platform sends.
    pub async fn password(
        &self,
        username: &str,
        password: &Secret,
        scopes: &[Scope],
    ) -> Result<UserToken, ApiError> {
        self.grant(
            "password",
            json!({
                "grant_type": "password",
                "username": username,
                "password": password.expose(),
                "scope": scopes,
            }),
        )
        .await
    }

    /// A new token from a refresh token (`refresh_token` grant), which the reference SDK lacks.
    pub async fn refresh(&self, refresh_token: &Secret) -> Result<UserToken, ApiError> {
        self.grant(
            "refresh_token",
            json!({"grant_type": "refresh_token", "refresh_token": refresh_token.expose()}),
        )
        .await
    }

    /// A user-API handle holding `token`; it renews the token with its refresh token when it
    /// expires or is refused.
    pub fn user_api<S: ScopeSet>(&self, token: UserToken) -> super::UserApi<S> {
        super::UserApi::new(self.clone(), super::TokenSource::Given(token))
    }

    /// A user-API handle acting as the installer of `install_id`: the token is obtained with the
    /// `plugin_install` grant on the first call.
    pub fn installer<S: ScopeSet>(&self, install_id: impl Into<Id>) -> super::UserApi<S> {
        super::UserApi::new(self.clone(), super::TokenSource::Install(install_id.into()))
    }

    async fn grant(&self, grant: &str, body: Value) -> Result<UserToken, ApiError> {
        let endpoint = format!("POST /a/auth/v0/token ({grant} grant)");
        let answer: TokenAnswer = self
            .credentials
            .request(
                &endpoint,
                &body,
                self.policy.timeout,
                "user grants need",
                |reason| format!("the {grant} grant was refused: {reason}"),
            )
            .await?;
        Ok(UserToken {
            access_token: Secret::new(answer.access_token),
            refresh_token: answer
                .refresh_token
                .filter(|t| !t.is_empty())
                .map(Secret::new),
            expires_at: answer
                .expires_in
                .map(|seconds| Instant::now() + Duration::from_secs(seconds)),
        })
    }
}

/// The authorize URL of the `authorization_code` flow:
/// `GET /a/auth/v0/authorize?response_type=code&client_id=..&redirect_uri=..&scope=a+b`.
///
/// ```
/// use envoy_plugin::user_api::{Scope, UserAuth};
/// let auth = UserAuth::connect("https://app.envoy.com", "my-client", &"secret".into());
/// let url = auth
///     .authorize_url("https://plugin.example.com/back")
///     .scope(Scope::EmployeesRead)
///     .scope(Scope::InvitesWrite)
///     .to_string();
/// assert_eq!(
///     url,
///     "https://app.envoy.com/a/auth/v0/authorize?response_type=code&client_id=my-client\
///      &redirect_uri=https%3A%2F%2Fplugin.example.com%2Fback&scope=employees.read+invites.write"
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthorizeUrl {
    base_url: String,
    client_id: String,
    redirect_uri: String,
    scopes: Vec<Scope>,
    state: Option<String>,
}

impl AuthorizeUrl {
    /// Asks for `scope` too.
    pub fn scope(mut self, scope: Scope) -> Self {
        if !self.scopes.contains(&scope) {
            self.scopes.push(scope);
        }
        self
    }

    /// Asks for every scope of the set `S` (the plugin's declared scopes).
    pub fn scopes_of<S: ScopeSet>(self) -> Self {
        S::SCOPES.iter().fold(self, |url, scope| url.scope(*scope))
    }

    /// Adds a `state` the redirect carries back (to tie the answer to the request).
    pub fn state(mut self, state: impl Into<String>) -> Self {
        self.state = Some(state.into());
        self
    }
}

impl std::fmt::Display for AuthorizeUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("response_type", "code")
            .append_pair("client_id", &self.client_id)
            .append_pair("redirect_uri", &self.redirect_uri)
            .append_pair("scope", &super::scope::joined(&self.scopes));
        if let Some(state) = &self.state {
            query.append_pair("state", state);
        }
        write!(
            f,
            "{}/a/auth/v0/authorize?{}",
            self.base_url,
            query.finish()
        )
    }
}
