//! The test kit's own promises, through a served plugin: the install config a test event carries
//! when the test sets none (the plugin's setup defaults), the message when those cannot be read, and
//! the selected-values requests of `TestRoute`.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

use envoy_plugin::JobStatus;
use envoy_plugin::prelude::*;
use envoy_plugin::testing::{Harness, TestEvent, TestRoute};

/// A config whose every field is required by serde (no `Option`, no `#[serde(default)]`): it reads
/// only from a config that has each key.
#[derive(SetupForm, Serialize, Deserialize)]
struct Strict {
    #[field(text, label = "Greeting", required, placeholder = "Welcome")]
    greeting: String,
    #[field(checkbox, label = "Notify the host")]
    notify_host: bool,
    #[field(select, label = "Languages", options = languages, multiple)]
    languages: Vec<String>,
}

#[options]
async fn languages(_query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
    Ok(vec![SelectOption::new("English", "en")])
}

/// Answers with the config it read, typed, and the config as sent.
#[event("entry_sign_in")]
async fn echo(job: Job<Strict>, meta: EventMeta) -> JobResult {
    let config = job.config();
    Ok(Outcome::done(format!(
        "{} / {} / {:?}",
        config.greeting, config.notify_host, config.languages
    ))
    .debug_info(meta.config))
}

plugin! {
    StrictPlugin {
        name: "Strict",
        config: Strict,
        steps: [Strict],
        events: [echo],
        routes: [languages],
    }
}

#[actix_web::test]
async fn a_required_config_field_with_a_setup_default_needs_nothing_from_the_test() {
    let harness = Harness::start(StrictPlugin).unwrap();
    let answer = harness.send(TestEvent::new("entry_sign_in")).await;
    assert_eq!(answer.outcome(), Some(JobStatus::Done), "{answer:?}");
    assert_eq!(answer.message(), Some("Welcome / false / []"));
    assert_eq!(
        answer.body["debugInfo"],
        json!({"greeting": "Welcome", "notify_host": false, "languages": []})
    );
}

#[actix_web::test]
async fn a_key_the_test_sets_goes_over_the_defaults_and_a_whole_config_replaces_them() {
    let harness = Harness::start(StrictPlugin).unwrap();
    let answer = harness
        .send(TestEvent::new("entry_sign_in").set("meta.config.notify_host", true))
        .await;
    assert_eq!(answer.message(), Some("Welcome / true / []"));

    // A whole config is sent as it is: nothing is added, so this one cannot be read.
    let answer = harness
        .send(TestEvent::new("entry_sign_in").config(json!({"greeting": "Hi"})))
        .await;
    assert_eq!(answer.outcome(), None);
    let error = answer.framework_error().unwrap();
    assert_eq!(
        (error.kind, error.message),
        ("MISSING_DATA", "missing field `meta.config.notify_host`")
    );
}

/// A config with a required field the setup gives no default for.
#[derive(SetupForm, Serialize, Deserialize)]
struct NeedsKey {
    #[field(text, label = "API key", required)]
    api_key: String,
}

#[event("entry_sign_in")]
async fn needs_key(job: Job<NeedsKey>) -> JobResult {
    Ok(Outcome::done(job.config().api_key.clone()))
}

plugin! {
    KeyPlugin { name: "Key", config: NeedsKey, steps: [NeedsKey], events: [needs_key] }
}

#[actix_web::test]
#[should_panic(
    expected = "the install config's `api_key` has no setup default (MISSING_DATA 400101: missing field `meta.config.api_key`): set it with `.set(\"meta.config.api_key\", value)`"
)]
async fn a_required_config_field_without_a_default_is_named_with_how_to_set_it() {
    let harness = Harness::start(KeyPlugin).unwrap();
    harness.send(TestEvent::new("entry_sign_in")).await;
}

#[actix_web::test]
async fn setting_the_key_the_message_names_is_enough() {
    let harness = Harness::start(KeyPlugin).unwrap();
    let answer = harness
        .send(TestEvent::new("entry_sign_in").set("meta.config.api_key", "k-123"))
        .await;
    assert_eq!(answer.message(), Some("k-123"));
}

#[actix_web::test]
async fn selected_values_requests_get_one_option_for_a_value_and_a_list_for_a_list() {
    let harness = Harness::start(greeter::Greeter).unwrap();
    let route = TestRoute::new("/routes/visitor_type_values");

    let one = harness.call(route.clone().value("vendor")).await;
    assert_eq!(one.status, 200);
    assert_eq!(one.body, json!({"label": "Vendor", "value": "vendor"}));

    let unknown = harness.call(route.clone().value("gone")).await;
    assert_eq!((unknown.status, &unknown.body), (200, &json!(null)));

    let list = harness
        .call(route.clone().values(["visitor", "vendor"]))
        .await;
    assert_eq!(
        list.body,
        json!([
            {"label": "Visitor", "value": "visitor"},
            {"label": "Vendor", "value": "vendor"}
        ])
    );

    // Without a value the route is refused, naming the param.
    let missing = harness.call(route).await;
    assert_eq!(
        missing.framework_error().map(|e| e.message),
        Some("missing field `meta.params.value`")
    );
}

#[actix_web::test]
async fn a_wrong_value_the_test_sets_is_answered_not_panicked_on() {
    let harness = Harness::start(StrictPlugin).unwrap();
    let answer = harness
        .send(TestEvent::new("entry_sign_in").set("meta.config.notify_host", "maybe"))
        .await;
    assert_eq!(answer.outcome(), None);
    assert_eq!(answer.framework_error().unwrap().kind, "INVALID_DATA");
}
