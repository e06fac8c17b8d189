//! Request builders: realistic default bodies (made from the reference SDK's own factories), with
//! field-by-field overrides.

use serde_json::{Value, json};

use crate::events;

const ENTRY: &str = include_str!("defaults/entry.json");
const INVITE: &str = include_str!("defaults/invite.json");
const LOCATION: &str = include_str!("defaults/location.json");
const PLATFORM: &str = include_str!("defaults/platform.json");
const ROUTE: &str = include_str!("defaults/route.json");
const NOTIFICATION: &str = include_str!("defaults/notification.json");
const TAKEOVER: &str = include_str!("defaults/takeover.json");

/// Sets `value` at the dot-separated `path` in `target`, making objects on the way.
fn set_path(target: &mut Value, path: &str, value: Value) {
    let mut here = target;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        if !here.is_object() {
            *here = Value::Object(Default::default());
        }
        let object = here.as_object_mut().expect("made an object above");
        if parts.peek().is_none() {
            object.insert(part.to_owned(), value);
            return;
        }
        here = object
            .entry(part.to_owned())
            .or_insert_with(|| Value::Object(Default::default()));
    }
}

/// An event as the platform sends it, ready to sign.
///
/// The default body is realistic (every attribute the reference SDK's factory sets), for install
/// [`TestEvent::INSTALL_ID`] and a job of its own (`test-job-1`, `test-job-2`, ...: each new event is
/// a new job, while a clone is the same job, which the plugin answers as a duplicate delivery);
/// change any part of it.
///
/// **The install config.** Until the test calls [`TestEvent::config`], `meta.config` holds only what
/// [`TestEvent::set`] put under `meta.config.<key>` (nothing at first). [`Harness::send`] then adds the
/// plugin's setup defaults under it ([`setup::default_config`]: a text field's placeholder, `false`
/// for a checkbox, `[]` for a multiple select, `{}` for a mapping), so a worker whose config type
/// has required fields reads a config without the test spelling it out. `config(...)` replaces the
/// whole config, defaults included: `config(json!({}))` sends an empty one. A required field with no
/// default makes [`Harness::send`] panic with the field's name and how to set it.
///
/// [`Harness::send`]: super::Harness::send
/// [`setup::default_config`]: crate::setup::default_config
///
/// ```
/// use envoy_plugin::testing::TestEvent;
/// let event = TestEvent::new("entry_sign_in")
///     .attribute("full-name", "Ada Lovelace")
///     .config(serde_json::json!({"greeting": "Hi"}))
///     .job_id("job-1");
/// let body = event.body();
/// assert_eq!(body["meta"]["event"], "entry_sign_in");
/// assert_eq!(body["payload"]["attributes"]["full-name"], "Ada Lovelace");
/// assert_eq!(body["meta"]["job"]["id"], "job-1");
/// ```
#[derive(Debug, Clone)]
pub struct TestEvent {
    event: String,
    body: Value,
    /// Whether the test gave the whole config ([`TestEvent::config`]); if not, the harness adds the
    /// plugin's setup defaults.
    config_given: bool,
}

impl TestEvent {
    /// The install every default body is for.
    pub const INSTALL_ID: &'static str = "test-install";

    /// The default body of `event`.
    ///
    /// # Panics
    /// When `event` is not an event the platform sends (see [`events::ALL`]).
    pub fn new(event: &str) -> Self {
        let payload = events::PAYLOADS
            .iter()
            .find(|(name, _)| *name == event)
            .map(|(_, payload)| *payload)
            .unwrap_or_else(|| panic!("`{event}` is not an event the platform sends"));
        let template = match payload {
            "Entry" => ENTRY,
            "Invite" => INVITE,
            "Location" => LOCATION,
            _ => PLATFORM,
        };
        let mut body: Value = serde_json::from_str(template).expect("the default bodies are JSON");
        body["meta"]["event"] = json!(event);
        body["meta"]["job"]["name"] = json!(event);
        static JOBS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let job = JOBS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        body["meta"]["job"]["id"] = json!(format!("test-job-{job}"));
        body["meta"]["install_id"] = json!(Self::INSTALL_ID);
        body["meta"]["config"] = json!({});
        if event.ends_with("sign_out") {
            body["payload"]["attributes"]["signed-out-at"] = json!("2026-11-25T17:45:00.000Z");
        }
        TestEvent {
            event: event.to_owned(),
            body,
            config_given: false,
        }
    }

    /// An event the platform names per plugin (a custom `#[event(custom = "...")]`), with this
    /// payload and the default `meta`.
    ///
    /// ```
    /// use envoy_plugin::testing::TestEvent;
    /// let event = TestEvent::custom("acme_alert", TestEvent::sample_notification());
    /// assert_eq!(event.body()["meta"]["event"], "acme_alert");
    /// assert_eq!(event.body()["payload"]["recipient"]["email"], "grace@example.com");
    /// ```
    pub fn custom(event: &str, payload: Value) -> Self {
        let mut body: Value = serde_json::from_str(PLATFORM).expect("the default bodies are JSON");
        body["meta"]["event"] = json!(event);
        body["meta"]["job"]["name"] = json!(event);
        static JOBS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        let job = JOBS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        body["meta"]["job"]["id"] = json!(format!("test-custom-job-{job}"));
        body["meta"]["install_id"] = json!(Self::INSTALL_ID);
        body["meta"]["config"] = json!({});
        body["payload"] = payload;
        TestEvent {
            event: event.to_owned(),
            body,
            config_given: false,
        }
    }

    /// A realistic notification payload (the contract's notification model).
    pub fn sample_notification() -> Value {
        serde_json::from_str(NOTIFICATION).expect("the default bodies are JSON")
    }

    /// A realistic takeover payload (the contract's takeover model).
    pub fn sample_takeover() -> Value {
        serde_json::from_str(TAKEOVER).expect("the default bodies are JSON")
    }

    /// The event's name.
    pub fn event(&self) -> &str {
        &self.event
    }

    /// The job's id (`meta.job.id`), as text.
    pub fn job(&self) -> String {
        match &self.body["meta"]["job"]["id"] {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        }
    }

    /// Sets a payload attribute (dash-case, as on the wire).
    pub fn attribute(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.body["payload"]["attributes"][name] = value.into();
        self
    }

    /// Replaces the whole payload.
    pub fn payload(mut self, payload: Value) -> Self {
        self.body["payload"] = payload;
        self
    }

    /// Sets the whole install config (`meta.config`): the plugin's setup defaults are then not added.
    pub fn config(mut self, config: Value) -> Self {
        self.body["meta"]["config"] = config;
        self.config_given = true;
        self
    }

    /// Whether the test set the whole config with [`TestEvent::config`].
    pub fn has_config(&self) -> bool {
        self.config_given
    }

    /// The same event with `defaults` under the config keys it has, unless the test set the whole
    /// config.
    pub(super) fn with_config_defaults(
        mut self,
        defaults: &serde_json::Map<String, Value>,
    ) -> Self {
        if self.config_given {
            return self;
        }
        let mut config = defaults.clone();
        if let Value::Object(set) = &self.body["meta"]["config"] {
            config.extend(set.clone());
        }
        self.body["meta"]["config"] = Value::Object(config);
        self
    }

    /// Sets the job's id.
    pub fn job_id(mut self, id: &str) -> Self {
        self.body["meta"]["job"]["id"] = json!(id);
        self
    }

    /// Sets the install's id.
    pub fn install_id(mut self, id: &str) -> Self {
        self.body["meta"]["install_id"] = json!(id);
        self
    }

    /// Sets any part of the body by its dot-separated path, e.g. `meta.location.attributes.name`.
    /// `set("meta.config", ...)` is [`TestEvent::config`]; `set("meta.config.<key>", ...)` sets one
    /// key, and the plugin's setup defaults still fill in the others.
    pub fn set(mut self, path: &str, value: impl Into<Value>) -> Self {
        if path == "meta.config" {
            return self.config(value.into());
        }
        set_path(&mut self.body, path, value.into());
        self
    }

    /// The body as JSON.
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// The body's bytes, as they are signed and sent.
    pub fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.body).expect("JSON values serialize")
    }
}

/// A request to a route (validation, options, selected values, remote value, migration), ready to
/// sign: `meta` as the platform sends it, with the params and payload the test sets.
///
/// ```
/// use envoy_plugin::testing::TestRoute;
/// let route = TestRoute::new("/routes/visitor_types").search("ven").page(2);
/// assert_eq!(route.body()["meta"]["params"]["page"], "2");
/// assert!(route.body().get("payload").is_none());
/// ```
#[derive(Debug, Clone)]
pub struct TestRoute {
    path: String,
    body: Value,
}

impl TestRoute {
    /// A request to the route at `path`, without params or payload.
    pub fn new(path: &str) -> Self {
        let mut body: Value = serde_json::from_str(ROUTE).expect("the default bodies are JSON");
        body["meta"]["params"] = json!({});
        body["meta"]["config"] = json!({});
        body["meta"]["install_id"] = json!(TestEvent::INSTALL_ID);
        body.as_object_mut().expect("an object").remove("payload");
        TestRoute {
            path: path.to_owned(),
            body,
        }
    }

    /// The route's path.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Sets a query param (`meta.params.<name>`).
    pub fn param(mut self, name: &str, value: impl Into<Value>) -> Self {
        self.body["meta"]["params"][name] = value.into();
        self
    }

    /// The search text of a searchable select.
    pub fn search(self, text: &str) -> Self {
        self.param("search", text)
    }

    /// The page of a paginated select (sent as a string, as the platform does).
    pub fn page(self, page: u32) -> Self {
        self.param("page", page.to_string())
    }

    /// The cursor of a cursor-paginated select.
    pub fn cursor(self, cursor: &str) -> Self {
        self.param("cursor", cursor)
    }

    /// The saved value a selected-values route is asked about, as the platform sends it for a
    /// single select: `meta.params.value` is that string, and the route answers its option or
    /// `null`.
    ///
    /// ```
    /// use envoy_plugin::testing::TestRoute;
    /// let route = TestRoute::new("/routes/visitor_type_values").value("vendor");
    /// assert_eq!(route.body()["meta"]["params"], serde_json::json!({"value": "vendor"}));
    /// ```
    pub fn value(self, value: &str) -> Self {
        self.param("value", value)
    }

    /// The saved values a selected-values route is asked about, as the platform sends them for a
    /// multiple select: `meta.params.value` is a list of strings, and the route answers a list of
    /// options.
    ///
    /// ```
    /// use envoy_plugin::testing::TestRoute;
    /// let route = TestRoute::new("/routes/language_values").values(["en", "de"]);
    /// assert_eq!(route.body()["meta"]["params"], serde_json::json!({"value": ["en", "de"]}));
    /// ```
    pub fn values<I, S>(self, values: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        let list: Vec<Value> = values
            .into_iter()
            .map(|v| Value::String(v.into()))
            .collect();
        self.param("value", list)
    }

    /// The step's data, for a validation route.
    pub fn payload(mut self, payload: Value) -> Self {
        self.body["payload"] = payload;
        self
    }

    /// The install config so far (`meta.config`).
    pub fn config(mut self, config: Value) -> Self {
        self.body["meta"]["config"] = config;
        self
    }

    /// Sets any part of the body by its dot-separated path.
    pub fn set(mut self, path: &str, value: impl Into<Value>) -> Self {
        set_path(&mut self.body, path, value.into());
        self
    }

    /// The body as JSON.
    pub fn body(&self) -> &Value {
        &self.body
    }

    /// The body's bytes, as they are signed and sent.
    pub fn bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&self.body).expect("JSON values serialize")
    }
}
