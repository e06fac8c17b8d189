//! A plugin's own `Deserialize` impls run inside the framework's panic guard, like its handlers:
//! a panic while decoding an event's payload, the install config, a setup step or a webhook's
//! payload is answered with a structured 500 naming the type, and the next request is served.
//!
//! Requests are signed here with `envoy_plugin_suite::signature` (plain `hmac`).

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::prelude::*;
use envoy_plugin_suite::{SECRET, call_json, fixture, signature};
use serde_json::{Value, json};

/// Decodes like a string, but panics on the text `"panic"`: a `Deserialize` impl with a bug.
#[derive(Debug, Serialize)]
struct Tripwire(String);

impl<'de> Deserialize<'de> for Tripwire {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        assert_ne!(text, "panic", "a Deserialize impl with a bug");
        Ok(Tripwire(text))
    }
}

// A text field may hold it, as it may any type made from text.
impl envoy_plugin::setup::widget::TextValue for Tripwire {}

/// The payload of a custom event and of the webhook (a custom event's payload is `Serialize` too,
/// for the test kit and `send`).
#[derive(Debug, Serialize, Deserialize)]
struct Reading {
    sensor: Tripwire,
}

/// The install config.
#[derive(Debug, Deserialize)]
struct Config {
    #[serde(default)]
    label: Option<Tripwire>,
}

#[event(custom = "acme_reading", payload = Reading)]
async fn on_reading(reading: Reading, job: Job<Config>) -> JobResult {
    let label = job.config().label.as_ref().map_or("-", |l| l.0.as_str());
    Ok(Outcome::done(format!("{} ({label})", reading.sensor.0)))
}

/// A setup step.
#[derive(Debug, SetupForm, Serialize, Deserialize)]
#[form(title = "Labels")]
struct Labels {
    #[field(text, label = "Label")]
    label: Tripwire,
}

#[validate(Labels)]
async fn check_labels(form: Labels) -> Result<Validation, PluginError> {
    Ok(Validation::save(form))
}

#[webhook(path = "/hooks/reading", auth = none)]
async fn reading_hook(reading: Reading) -> Result<Value, PluginError> {
    Ok(json!({ "sensor": reading.sensor.0 }))
}

plugin! {
    Guarded {
        name: "Guarded",
        config: Config,
        steps: [Labels],
        events: [on_reading],
        routes: [check_labels],
        webhooks: [reading_hook],
    }
}

fn event(sensor: &str, label: &str) -> test::TestRequest {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["event"] = json!("acme_reading");
    body["meta"]["job"]["id"] = json!(format!("job-{sensor}-{label}"));
    body["meta"]["config"] = json!({ "label": label });
    body["payload"] = json!({ "sensor": sensor });
    signed("/events/acme_reading", &serde_json::to_vec(&body).unwrap())
}

fn step(label: &str) -> test::TestRequest {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/route.options.json")).unwrap();
    body["meta"]["route"] = json!("step-0-validation");
    body["payload"] = json!({ "label": label });
    signed("/routes/check_labels", &serde_json::to_vec(&body).unwrap())
}

fn webhook(sensor: &str) -> test::TestRequest {
    test::TestRequest::post()
        .uri("/hooks/reading")
        .insert_header(("content-type", "application/json"))
        .set_payload(serde_json::to_vec(&json!({ "sensor": sensor })).unwrap())
}

fn signed(path: &str, body: &[u8]) -> test::TestRequest {
    test::TestRequest::post()
        .uri(path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, body)))
        .set_payload(body.to_vec())
}

/// The guard's answer: a structured 500 naming the type whose decoding panicked, never the panic's
/// own message.
fn assert_guarded((status, body): (StatusCode, Value), type_name: &str) {
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{body}");
    assert_eq!(body["error"]["type"], "WEBHOOK_ERROR", "{body}");
    let message = body["message"].as_str().unwrap_or_default();
    assert!(message.contains("panicked"), "{body}");
    assert!(message.contains(type_name), "{body}");
    assert!(!message.contains("a Deserialize impl with a bug"), "{body}");
}

macro_rules! app {
    () => {
        test::init_service(
            App::new().configure(envoy_plugin::configure(Guarded, &Settings::new(SECRET))),
        )
        .await
    };
}

#[actix_web::test]
async fn a_panic_decoding_an_event_payload_is_a_500_and_the_next_event_is_served() {
    let app = app!();
    assert_guarded(call_json(&app, event("panic", "lobby")).await, "Reading");
    let (status, body) = call_json(&app, event("t-1", "lobby")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message"], "t-1 (lobby)");
}

#[actix_web::test]
async fn a_panic_decoding_the_install_config_is_a_500_and_the_next_event_is_served() {
    let app = app!();
    assert_guarded(call_json(&app, event("t-2", "panic")).await, "Config");
    let (status, body) = call_json(&app, event("t-2", "hall")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["message"], "t-2 (hall)");
}

#[actix_web::test]
async fn a_panic_decoding_a_setup_step_is_a_500_and_the_next_validation_is_served() {
    let app = app!();
    assert_guarded(call_json(&app, step("panic")).await, "Labels");
    let (status, body) = call_json(&app, step("front desk")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["label"], "front desk");
}

#[actix_web::test]
async fn a_panic_decoding_a_webhook_payload_is_a_500_and_the_next_call_is_served() {
    let app = app!();
    assert_guarded(call_json(&app, webhook("panic")).await, "Reading");
    let (status, body) = call_json(&app, webhook("t-3")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["sensor"], "t-3");
}
