//! The user API: acting as the person who installed the plugin, with their token.
//!
//! A worker, route or callback takes a [`UserApi<S>`] like any other argument; `S` is the plugin's
//! set of user scopes, declared once with [`user_scopes!`](crate::user_scopes) and listed in
//! `plugin!` (`user_scopes: S`), which puts them in the manifest. The handle's token comes from
//! `meta.auth` when the request carries one, else from a route's `meta.forwarded_bearer_token`, else
//! from the `plugin_install` grant for the request's install (obtained on the first call). A
//! `#[callback]` acts for the install its job handle names (`job.handle(callback, ttl)` puts it
//! there), through the same grant.
//!
//! The token itself carries scopes (what the installer granted); a call it does not allow is an
//! [`ApiError`] with status 403. Calls that are safe to repeat (GET, PUT, DELETE) are retried on
//! connection errors and 5xx with the platform API's jittered backoff; creates and PATCHes never.
//!
//! Reads are typed ([`Employee`], [`UserLocation`], [`Flow`], [`UserCompany`], [`UserInvite`],
//! [`SignInFieldPage`], [`SignInField`], [`AgreementPage`], [`Agreement`], [`CurrentUser`]); every
//! model an answer carries (`data` and `included`) is kept for the life of the handle, so a later
//! `get` of it costs no call, and concurrent `get`s of one model make one request. Every call
//! requires its scope of `S` at compile time.
//!
//! ```
//! use envoy_plugin::prelude::*;
//! use envoy_plugin::user_api::{InviteDraft, UserApi};
//!
//! envoy_plugin::user_scopes! {
//!     /// What the plugin asks the installer for.
//!     pub Scopes = [EmployeesRead, InvitesWrite]
//! }
//!
//! #[event("entry_sign_in")]
//! async fn follow_up(entry: Entry, api: UserApi<Scopes>) -> JobResult {
//!     let Some(email) = entry.host_email.as_deref() else {
//!         return Ok(Outcome::ignored("the visitor has no host"));
//!     };
//!     let Some(host) = api.employees().by_email(email).await? else {
//!         return Ok(Outcome::ignored(format!("no employee has the email {email}")));
//!     };
//!     let tomorrow = chrono::Utc::now() + chrono::Duration::days(1);
//!     let invite = api
//!         .invites()
//!         .create(&InviteDraft::new(entry.full_name.clone(), tomorrow).host(host.id.clone()))
//!         .await?;
//!     Ok(Outcome::done(format!("invited again as {}", invite.id)))
//! }
//!
//! plugin! {
//!     Greeter { name: "Greeter", user_scopes: Scopes, events: [follow_up] }
//! }
//! ```

mod agreements;
pub(crate) mod attributes;
mod employees;
mod extract;
mod flows;
mod invites;
mod list;
mod locations;
pub mod query;
mod reservations;
mod resource;
pub mod scope;
mod sign_in_fields;
mod token;
mod users;

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;
use tokio::sync::OnceCell;

pub use agreements::{Agreement, AgreementAttributes, AgreementPage, AgreementPageAttributes};
pub use employees::{Employee, EmployeeAttributes, EmployeeFilter};
pub use flows::{Flow, FlowAttributes, FlowFilter};
pub use invites::{
    ApprovalCheck, ApprovalStatus, InviteAttributes, InviteDraft, InviteFilter, UserInvite,
};
pub use list::{ListRequest, STREAM_PAGE};
pub use locations::{
    CompanyAttributes, LocationAttributes, LocationFilter, UserCompany, UserLocation,
};
pub use query::{IdList, InviteScope, NoFilter, Sort, SortField};
pub use reservations::{Reservation, ReservationAttributes, ReservationDraft};
pub use resource::{Link, Linkage, Listable, Relationship, Relationships, Resource, UserResource};
pub use scope::{Grants, NoScopes, Scope, ScopeSet, ScopeSetInfo};
pub use sign_in_fields::{
    FieldOption, LocalizedName, SignInField, SignInFieldAttributes, SignInFieldPage,
    SignInFieldPageAttributes,
};
pub use token::{AuthorizeUrl, UserAuth, UserToken};
pub use users::{CurrentUser, CurrentUserAttributes, Role};

use crate::Secret;
use crate::api::retry;
use crate::api::{ApiError, BearerRequest};
use crate::model::Id;

/// Types the platform sometimes names by the relationship instead of the model; a model of such a
/// type is also kept under the model's type (as the reference SDK does).
const TYPE_ALIASES: &[(&str, &str)] = &[("employee-screening-flows", "flows")];

/// A handle on the user API, acting as one user (usually the installer). Cheap to clone: clones
/// share the token and the models read so far. `S` is the scope set that the calls are checked
/// against.
pub struct UserApi<S = NoScopes> {
    inner: Arc<Inner>,
    scopes: PhantomData<fn() -> S>,
}

impl<S> Clone for UserApi<S> {
    fn clone(&self) -> Self {
        UserApi {
            inner: self.inner.clone(),
            scopes: PhantomData,
        }
    }
}

impl<S> std::fmt::Debug for UserApi<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserApi")
            .field("base_url", &self.inner.auth.credentials.base_url)
            .field("scopes", &std::any::type_name::<S>())
            .finish_non_exhaustive()
    }
}

/// Where the handle's token comes from.
pub(crate) enum TokenSource {
    /// A token given to it (`meta.auth`, a forwarded bearer token, a grant's answer).
    Given(UserToken),
    /// The `plugin_install` grant for this install, on first use.
    Install(Id),
}

/// A model's type and id.
type ModelKey = (String, String);

struct Inner {
    auth: UserAuth,
    install: Option<Id>,
    token: tokio::sync::Mutex<Option<UserToken>>,
    /// Every model read so far, by (type, id); a cell being filled is a request in flight that
    /// later readers of the same model wait for.
    models: Mutex<HashMap<ModelKey, Arc<OnceCell<Value>>>>,
}

impl<S: ScopeSet> UserApi<S> {
    pub(crate) fn new(auth: UserAuth, source: TokenSource) -> Self {
        let (token, install) = match source {
            TokenSource::Given(token) => (Some(token), None),
            TokenSource::Install(id) => (None, Some(id)),
        };
        UserApi {
            inner: Arc::new(Inner {
                auth,
                install,
                token: tokio::sync::Mutex::new(token),
                models: Mutex::new(HashMap::new()),
            }),
            scopes: PhantomData,
        }
    }

    /// The scopes this handle's calls are checked against (the plugin's declared user scopes).
    pub fn scopes(&self) -> &'static [Scope] {
        S::SCOPES
    }

    /// Employees (`employees.read`).
    pub fn employees(&self) -> Resources<S, EmployeeAttributes> {
        self.resources()
    }

    /// Locations (`locations.read`).
    pub fn locations(&self) -> Resources<S, LocationAttributes> {
        self.resources()
    }

    /// Flows (`flows.read`).
    pub fn flows(&self) -> Resources<S, FlowAttributes> {
        self.resources()
    }

    /// Companies (`companies.read`).
    pub fn companies(&self) -> Resources<S, CompanyAttributes> {
        self.resources()
    }

    /// Invites (`invites.read`; writes need `invites.write`).
    pub fn invites(&self) -> Resources<S, InviteAttributes> {
        self.resources()
    }

    /// Sign-in field pages (`sign-in-field-pages.read`).
    pub fn sign_in_field_pages(&self) -> Resources<S, SignInFieldPageAttributes> {
        self.resources()
    }

    /// Sign-in fields (`sign-in-fields.read`).
    pub fn sign_in_fields(&self) -> Resources<S, SignInFieldAttributes> {
        self.resources()
    }

    /// Agreement pages (`agreements.read`).
    pub fn agreement_pages(&self) -> Resources<S, AgreementPageAttributes> {
        self.resources()
    }

    /// Agreements (`agreements.read`).
    pub fn agreements(&self) -> Resources<S, AgreementAttributes> {
        self.resources()
    }

    /// The models of type `A`, whichever it is.
    pub fn resources<A: UserResource>(&self) -> Resources<S, A> {
        Resources {
            api: self.clone(),
            kind: PhantomData,
        }
    }

    /// The user the token acts as: `GET /api/v2/users/me`.
    pub async fn me(&self) -> Result<CurrentUser, ApiError> {
        let path = "/api/v2/users/me";
        let document = self.call(Method::GET, path, None).await?;
        decode(path, &document["data"])
    }

    /// Makes a reservation: `POST /a/rms/reservations`, a visitor booking from an external API.
    pub fn reserve(&self, draft: &ReservationDraft) -> Call<Reservation>
    where
        S: Grants<scope::ReservationsWrite>,
    {
        let (api, body) = (self.clone(), serde_json::json!({ "data": draft.to_data() }));
        Box::pin(async move {
            let path = "/a/rms/reservations";
            let document = api.call(Method::POST, path, Some(&body)).await?;
            decode(path, &document["data"])
        })
    }

    /// A usable access token: the current one, renewed when it is known to have expired, or the
    /// installer's through the `plugin_install` grant when the handle has none yet.
    async fn access_token(&self) -> Result<Secret, ApiError> {
        let mut current = self.inner.token.lock().await;
        if let Some(token) = current.as_ref().filter(|t| !t.expired()) {
            return Ok(token.access_token().clone());
        }
        let renewed = self.obtain(current.as_ref()).await?;
        let secret = renewed.access_token().clone();
        *current = Some(renewed);
        Ok(secret)
    }

    /// A new token: by its refresh token if the old one has one, else by the `plugin_install`
    /// grant if the handle acts for an install, else the old one as it is.
    async fn obtain(&self, old: Option<&UserToken>) -> Result<UserToken, ApiError> {
        if let Some(refresh) = old.and_then(UserToken::refresh_token) {
            match self.inner.auth.refresh(refresh).await {
                Ok(token) => return Ok(token),
                // A refresh token can be spent or revoked; an install's grant still works.
                Err(err) if self.inner.install.is_none() => return Err(err),
                Err(err) => {
                    tracing::warn!(error = %err, "the user token's refresh failed; using the plugin_install grant")
                }
            }
        }
        if let Some(install) = &self.inner.install {
            return self.inner.auth.plugin_install(install).await;
        }
        old.cloned().ok_or_else(|| {
            ApiError::new("user API", None, "the handle has no token and no install")
        })
    }

    /// After a 401 with `rejected`: a new token if one can be had (and another caller has not got
    /// one already).
    async fn renew(&self, rejected: &Secret) -> Result<Option<Secret>, ApiError> {
        let mut current = self.inner.token.lock().await;
        if let Some(token) = current.as_ref()
            && token.access_token() != rejected
        {
            return Ok(Some(token.access_token().clone()));
        }
        let can_renew = current
            .as_ref()
            .and_then(UserToken::refresh_token)
            .is_some()
            || self.inner.install.is_some();
        if !can_renew {
            return Ok(None);
        }
        let renewed = self.obtain(current.as_ref()).await?;
        let secret = renewed.access_token().clone();
        *current = Some(renewed);
        Ok(Some(secret))
    }

    /// Calls `method path` (path with its query) with the user's token; keeps every model of the
    /// answer. A 401 renews the token once (refresh or `plugin_install` grant) and tries again. A
    /// call that is safe to repeat (GET, PUT, DELETE) is retried on a connection error or a 5xx
    /// as the platform API's calls are ([`ApiPolicy`](crate::api::ApiPolicy)); a POST or a PATCH
    /// never is. A DELETE that is repeated and finds the model gone (404) has succeeded: the try
    /// whose answer was lost deleted it.
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<&Value>,
    ) -> Result<Value, ApiError> {
        let endpoint = format!("{method} {path}");
        let auth = &self.inner.auth;
        let request = BearerRequest::new(&method, &auth.credentials.base_url, path, body);
        let renewed = std::sync::atomic::AtomicBool::new(false);
        let tries = std::sync::atomic::AtomicU32::new(0);
        let (request, endpoint, renewed, tries) = (&request, endpoint.as_str(), &renewed, &tries);
        let repeatable = retry::idempotent(&method);
        let deleting = method == Method::DELETE;
        let document = retry::with_retries(
            &auth.policy,
            &method,
            endpoint,
            repeatable,
            move || async move {
                let http = auth.credentials.http.as_ref().map_err(Clone::clone)?;
                let repeated = tries.fetch_add(1, std::sync::atomic::Ordering::SeqCst) > 0;
                let mut token = self.access_token().await?;
                loop {
                    let response = match request.send(http, &token, auth.policy.timeout).await {
                        Ok(response) => response,
                        Err(e) => {
                            return Ok(Err(ApiError::new(
                                endpoint,
                                None,
                                crate::api::describe(&e),
                            )));
                        }
                    };
                    if response.status() == reqwest::StatusCode::UNAUTHORIZED
                        && !renewed.swap(true, std::sync::atomic::Ordering::SeqCst)
                        && let Some(new) = self.renew(&token).await?
                    {
                        token = new;
                        continue;
                    }
                    let answer = crate::api::read(endpoint, response).await;
                    if deleting && repeated && matches!(&answer, Err(e) if e.status == Some(404)) {
                        return Ok(Ok(Value::Null));
                    }
                    return Ok(answer);
                }
            },
        )
        .await?;
        self.keep_models(&document);
        Ok(document)
    }

    /// Keeps every model of an answer (`data`, one or many, and `included`).
    fn keep_models(&self, document: &Value) {
        let data = match &document["data"] {
            Value::Array(models) => models.iter().collect::<Vec<_>>(),
            Value::Object(_) => vec![&document["data"]],
            _ => Vec::new(),
        };
        let included = document["included"].as_array().into_iter().flatten();
        for model in data.into_iter().chain(included) {
            let (Some(kind), Some(id)) = (model["type"].as_str(), id_text(&model["id"])) else {
                continue;
            };
            self.keep(kind, &id, model);
            for (alias, of) in TYPE_ALIASES {
                if *alias == kind {
                    self.keep(of, &id, model);
                }
            }
        }
    }

    fn keep(&self, kind: &str, id: &str, model: &Value) {
        let mut models = self.inner.models.lock().unwrap_or_else(|p| p.into_inner());
        let cell = models
            .entry((kind.to_owned(), id.to_owned()))
            .or_insert_with(|| Arc::new(OnceCell::new()));
        if cell.initialized() {
            // A newer answer replaces what was kept.
            *cell = Arc::new(OnceCell::new_with(Some(model.clone())));
        } else {
            // Filled now, or by the request in flight for it.
            let _ = cell.set(model.clone());
        }
    }

    fn forget(&self, kind: &str, id: &str) {
        let mut models = self.inner.models.lock().unwrap_or_else(|p| p.into_inner());
        models.remove(&(kind.to_owned(), id.to_owned()));
    }

    /// One model, from what was kept, or from the request already in flight for it, or by a
    /// request of its own.
    async fn fetch_one(&self, kind: &str, id: &Id, include: &[&str]) -> Result<Value, ApiError> {
        let id = id.to_string();
        let cell = {
            let mut models = self.inner.models.lock().unwrap_or_else(|p| p.into_inner());
            models
                .entry((kind.to_owned(), id.clone()))
                .or_insert_with(|| Arc::new(OnceCell::new()))
                .clone()
        };
        let value = cell
            .get_or_try_init(|| async {
                let segment: String = url::form_urlencoded::byte_serialize(id.as_bytes()).collect();
                let mut path = format!("/api/v3/{kind}/{segment}");
                if !include.is_empty() {
                    path.push_str("?include=");
                    path.push_str(&include.join(","));
                }
                let document = self.call(Method::GET, &path, None).await?;
                match &document["data"] {
                    Value::Object(_) => Ok(document["data"].clone()),
                    _ => Err(ApiError::new(
                        format!("GET {path}"),
                        None,
                        "the answer has no model in `data`",
                    )),
                }
            })
            .await?;
        Ok(value.clone())
    }
}

/// A user-API call in flight: await it. (A boxed future, so that the scope a call needs is checked
/// once, at the call, and a missing one is one error there.)
pub type Call<T> = futures_util::future::BoxFuture<'static, Result<T, ApiError>>;

/// The models of one type: read them one at a time or list them.
pub struct Resources<S, A> {
    api: UserApi<S>,
    kind: PhantomData<fn() -> A>,
}

impl<S: ScopeSet, A: UserResource> Resources<S, A> {
    /// One model by id, from the handle's cache when it has it: `GET /api/v3/{type}/{id}`.
    pub fn get(&self, id: impl Into<Id>) -> Call<Resource<A>>
    where
        S: Grants<A::Read>,
    {
        self.get_including(id, &[])
    }

    /// One model by id, asking for the related models named in `include` too
    /// (`?include=location,company`); those are kept, so reading them later costs no call.
    ///
    /// As in the reference SDK, the cache is keyed by type and id: a model this handle holds
    /// already is answered from it, without a request (and so without its `include`).
    pub fn get_including(&self, id: impl Into<Id>, include: &[&str]) -> Call<Resource<A>>
    where
        S: Grants<A::Read>,
    {
        let (api, id) = (self.api.clone(), id.into());
        let include: Vec<String> = include.iter().map(|s| (*s).to_owned()).collect();
        Box::pin(async move {
            let include: Vec<&str> = include.iter().map(String::as_str).collect();
            let value = api.fetch_one(A::TYPE, &id, &include).await?;
            decode(&format!("GET /api/v3/{}/{id}", A::TYPE), &value)
        })
    }
}

impl<S: ScopeSet, A: Listable> Resources<S, A> {
    /// A list of the models: `GET /api/v3/{type}` with filters, sort and paging.
    pub fn list(&self) -> ListRequest<S, A>
    where
        S: Grants<A::Read>,
    {
        ListRequest::new(self.api.clone(), format!("/api/v3/{}", A::TYPE))
    }
}

impl<S: ScopeSet> Resources<S, EmployeeAttributes> {
    /// The employee with this email address, if there is one (the list with `filter[email]` and
    /// `page[limit]=1`).
    pub fn by_email(&self, email: &str) -> Call<Option<Employee>>
    where
        S: Grants<scope::EmployeesRead>,
    {
        let list = self
            .list()
            .filter(EmployeeFilter::default().email(email))
            .limit(1);
        Box::pin(async move { Ok(list.send().await?.into_iter().next()) })
    }
}

impl<S: ScopeSet> Resources<S, SignInFieldAttributes> {
    /// The fields of a sign-in field page: `GET /api/v3/sign-in-field-pages/{id}/sign-in-fields`.
    pub fn of_page(&self, page: impl Into<Id>) -> Call<Vec<SignInField>>
    where
        S: Grants<scope::SignInFieldsRead>,
    {
        let api = self.api.clone();
        let path = format!("/api/v3/sign-in-field-pages/{}/sign-in-fields", page.into());
        Box::pin(async move {
            let document = api.call(Method::GET, &path, None).await?;
            decode(&path, &document["data"])
        })
    }
}

impl<S: ScopeSet> Resources<S, InviteAttributes> {
    /// Creates an invite: `POST /api/v3/invites`.
    pub fn create(&self, draft: &InviteDraft) -> Call<UserInvite>
    where
        S: Grants<scope::InvitesWrite>,
    {
        self.write(Method::POST, "/api/v3/invites".to_owned(), draft, None)
    }

    /// Replaces an invite's writable attributes: `PUT /api/v3/invites/{id}`.
    pub fn replace(&self, id: impl Into<Id>, draft: &InviteDraft) -> Call<UserInvite>
    where
        S: Grants<scope::InvitesWrite>,
    {
        let id = id.into();
        self.write(
            Method::PUT,
            format!("/api/v3/invites/{id}"),
            draft,
            Some(&id),
        )
    }

    /// Changes the attributes set in `changes`: `PATCH /api/v3/invites/{id}`.
    pub fn update(&self, id: impl Into<Id>, changes: &InviteDraft) -> Call<UserInvite>
    where
        S: Grants<scope::InvitesWrite>,
    {
        let id = id.into();
        self.write(
            Method::PATCH,
            format!("/api/v3/invites/{id}"),
            changes,
            Some(&id),
        )
    }

    /// Deletes an invite: `DELETE /api/v3/invites/{id}`. Retried like a read when the platform
    /// fails (5xx, a lost connection); a retry that finds the invite gone counts as done, since the
    /// try whose answer was lost deleted it.
    pub fn delete(&self, id: impl Into<Id>) -> Call<()>
    where
        S: Grants<scope::InvitesWrite>,
    {
        let (api, id) = (self.api.clone(), id.into());
        Box::pin(async move {
            api.call(Method::DELETE, &format!("/api/v3/invites/{id}"), None)
                .await?;
            api.forget("invites", &id.to_string());
            Ok(())
        })
    }

    fn write(
        &self,
        method: Method,
        path: String,
        draft: &InviteDraft,
        id: Option<&Id>,
    ) -> Call<UserInvite> {
        let api = self.api.clone();
        let body = serde_json::json!({ "data": draft.to_data(id) });
        Box::pin(async move {
            let document = api.call(method, &path, Some(&body)).await?;
            decode(&path, &document["data"])
        })
    }
}

/// Decodes `value`, naming the field that does not fit.
fn decode<T: DeserializeOwned>(endpoint: &str, value: &Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        ApiError::new(
            endpoint,
            None,
            format!(
                "the answer does not decode at `{}`: {}",
                e.path(),
                e.inner()
            ),
        )
    })
}

fn id_text(id: &Value) -> Option<String> {
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}
