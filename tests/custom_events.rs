//! Events the platform names per plugin: workers declared with `custom = "..."` and a payload type
//! (the contract's notification and takeover, or a type of the plugin's own), routed by their
//! names and decoded, over HTTP.

use envoy_plugin::custom_events::{Notification, Takeover};
use envoy_plugin::prelude::*;
use envoy_plugin::testing::{Harness, TestEvent};
use serde_json::json;

#[event(custom = "acme_host_alert", payload = Notification)]
async fn host_alert(notification: Notification, job: Job) -> JobResult {
    let recipient = notification.recipient.unwrap_or_default();
    let email = recipient.email.unwrap_or_default();
    let name = recipient.name.and_then(|n| n.full).unwrap_or_default();
    let button = notification.actions.unwrap_or_default()[0]
        .label
        .clone()
        .unwrap_or_default();
    Ok(Outcome::done(format!(
        "{} to {name} <{email}> ({button}); job {}",
        notification.message.unwrap_or_default(),
        job.id()
    )))
}

#[event(custom = "acme_takeover", payload = Takeover)]
async fn show_takeover(takeover: Takeover) -> JobResult {
    let metadata = takeover.attributes.metadata.clone().unwrap_or_default();
    Ok(Outcome::done(format!(
        "{} ({}) at location {} for {} s",
        metadata.title.unwrap_or_default(),
        metadata.kind.unwrap_or_default(),
        takeover
            .location_id()
            .map(ToString::to_string)
            .unwrap_or_default(),
        takeover.attributes.end_at.unwrap_or(0) - takeover.attributes.start_at.unwrap_or(0),
    )))
}

/// A payload of the plugin's own.
#[derive(Debug, Deserialize, Serialize)]
struct Reading {
    sensor: String,
    celsius: f64,
}

#[event(custom = "acme_sensor_reading", payload = Reading, path = "/hooks/sensor")]
async fn sensor(reading: Reading) -> JobResult {
    if reading.celsius > 30.0 {
        return Ok(Outcome::failed(format!("{} is too hot", reading.sensor)));
    }
    Ok(Outcome::done(format!(
        "{} reads {}",
        reading.sensor, reading.celsius
    )))
}

#[event("entry_sign_in")]
async fn welcome(entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("welcome {}", entry.full_name)))
}

plugin! {
    Alerts { name: "Alerts", events: [welcome, host_alert, show_takeover, sensor] }
}

#[actix_web::test]
async fn a_custom_named_notification_is_routed_and_decoded() {
    let harness = Harness::start(Alerts).unwrap();
    let event = TestEvent::custom("acme_host_alert", TestEvent::sample_notification());
    let answer = harness.send(event.clone()).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    assert_eq!(
        answer.message(),
        Some(
            format!(
                "Your visitor Ada Lovelace has arrived. to Grace Hopper <grace@example.com> (On my way); job {}",
                event.job()
            )
            .as_str()
        )
    );
    let worker = Alerts::workers()
        .into_iter()
        .find(|w| w.name == "host_alert")
        .unwrap();
    assert_eq!(worker.event, "acme_host_alert");
    assert_eq!(worker.path, "/events/acme_host_alert");
}

#[actix_web::test]
async fn a_custom_named_takeover_is_decoded() {
    let harness = Harness::start(Alerts).unwrap();
    let answer = harness
        .send(TestEvent::custom(
            "acme_takeover",
            TestEvent::sample_takeover(),
        ))
        .await;
    assert_eq!(
        answer.message(),
        Some("Fire drill (critical) at location 1 for 3600 s"),
        "{answer:?}"
    );
}

#[actix_web::test]
async fn a_custom_event_with_a_payload_type_of_the_plugins_own() {
    let harness = Harness::start(Alerts).unwrap();
    let answer = harness
        .send(TestEvent::custom(
            "acme_sensor_reading",
            json!({"sensor": "lobby", "celsius": 21.5}),
        ))
        .await;
    assert_eq!(answer.message(), Some("lobby reads 21.5"));
    let answer = harness
        .send(TestEvent::custom(
            "acme_sensor_reading",
            json!({"sensor": "lobby", "celsius": 35}),
        ))
        .await;
    assert_eq!(answer.status, 412);
    // A payload that is not a reading: 400, naming the field.
    let answer = harness
        .send(TestEvent::custom(
            "acme_sensor_reading",
            json!({"sensor": "lobby"}),
        ))
        .await;
    assert_eq!(answer.status, 400);
    assert!(answer.message().unwrap().contains("celsius"), "{answer:?}");
}

#[actix_web::test]
async fn another_event_sent_to_a_custom_worker_is_refused() {
    let harness = Harness::start(Alerts).unwrap();
    let wrong = TestEvent::custom("acme_other_alert", TestEvent::sample_notification());
    let answer = harness
        .sender()
        .event("/events/acme_host_alert", &wrong)
        .await
        .unwrap();
    assert_eq!(answer.status, 400);
    assert!(
        answer.message().unwrap().contains("acme_host_alert"),
        "{answer:?}"
    );
}

#[test]
fn unknown_keys_and_nulls_of_a_notification_decode() {
    let mut payload = TestEvent::sample_notification();
    payload["priority"] = json!("high");
    payload["recipient"]["phone_number"] = json!(null);
    let notification: Notification = serde_json::from_value(payload).unwrap();
    assert_eq!(notification.extra["priority"], "high");
    assert_eq!(notification.recipient.unwrap().phone_number, None);
}
