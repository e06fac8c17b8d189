//! The greeter's own tests, written with the test kit (`envoy_plugin::testing`): how a plugin author
//! tests a plugin. Each test serves the greeter on a loopback port next to the stand-in platform,
//! sends it what the platform would, and checks the answer and what the plugin did on the platform.

#[path = "../examples/greeter.rs"]
#[allow(dead_code)]
mod greeter;

use envoy_plugin::JobStatus;
use envoy_plugin::testing::{Harness, TestEvent, TestRoute};
use greeter::Greeter;
use serde_json::json;

#[actix_web::test]
async fn a_visitor_is_greeted_with_the_configured_greeting() {
    let harness = Harness::start(Greeter).unwrap();
    let answer = harness
        .send(
            TestEvent::new("entry_sign_in")
                .attribute("full-name", "Ada Lovelace")
                .config(json!({"greeting": "Good morning"})),
        )
        .await;
    assert_eq!(answer.outcome(), Some(JobStatus::Done));
    assert_eq!(answer.message(), Some("Greeted Ada Lovelace"));
    assert_eq!(
        answer.attachments()[0]["value"],
        "Good morning, Ada Lovelace!"
    );
}

#[actix_web::test]
async fn sign_outs_are_ignored_unless_the_install_asks_for_them() {
    let harness = Harness::start(Greeter).unwrap();
    let event = TestEvent::new("entry_sign_out").attribute("signed-out-at", "2026-11-25 17:45:00");
    let answer = harness.send(event.clone()).await;
    assert_eq!(answer.outcome(), Some(JobStatus::Ignored));

    // Another install's job: a new job id (the same id would be a duplicate delivery).
    let answer = harness
        .send(
            event
                .config(json!({"notify_on_sign_out": true}))
                .job_id("job-sign-out-2"),
        )
        .await;
    assert_eq!(answer.outcome(), Some(JobStatus::Done));
    assert!(
        answer
            .message()
            .unwrap()
            .ends_with("signed out at 17:45 UTC")
    );
}

#[actix_web::test]
async fn a_badge_is_printed_asynchronously() {
    let harness = Harness::start(Greeter).unwrap();
    let answer = harness
        .send(TestEvent::new("upcoming_visit").job_id("job-badge"))
        .await;
    assert_eq!(answer.outcome(), Some(JobStatus::Ongoing));
    assert!(
        harness
            .platform()
            .storage(Some(TestEvent::INSTALL_ID))
            .contains_key("badge:job-badge")
    );

    // The printer calls back (with a job handle for the job).
    let answer = harness
        .callback(
            "/callbacks/badge_printed",
            "job-badge",
            json!({"status": "printed", "badge_url": "https://printer.test/1.pdf"}),
        )
        .await;
    assert_eq!(answer.status, 200);
    assert_eq!(
        harness
            .platform()
            .job("job-badge")
            .unwrap()
            .status
            .as_deref(),
        Some("done")
    );
}

#[actix_web::test]
async fn setup_routes_answer_what_the_installer_sees() {
    let harness = Harness::start(Greeter).unwrap();
    let answer = harness
        .call(TestRoute::new("/routes/visitor_types").search("con"))
        .await;
    assert_eq!(
        answer.body,
        json!([{"label": "Contractor", "value": "contractor"}])
    );

    let answer = harness
        .call(TestRoute::new("/routes/check_greeting").payload(json!({"greeting": "x".repeat(61)})))
        .await;
    assert_eq!(
        (answer.status, answer.message()),
        (400, Some("Keep the greeting under 60 characters"))
    );
}

#[actix_web::test]
async fn the_kit_signs_for_real_a_wrong_secret_is_refused() {
    let harness = Harness::start(Greeter).unwrap();
    let wrong = envoy_plugin::testing::Sender::new(harness.base_url(), "not the secret".into());
    let answer = wrong
        .event("/events/entry_sign_in", &TestEvent::new("entry_sign_in"))
        .await
        .unwrap();
    assert_eq!(answer.status, 401);
    assert_eq!(answer.outcome(), None);
}

#[actix_web::test]
async fn overrides_reach_the_handler() {
    let harness = Harness::start(Greeter).unwrap();
    let answer = harness
        .send(
            TestEvent::new("invite_created")
                .attribute("full-name", "Grace Hopper")
                .attribute("expected-arrival-time", "2026-12-01 09:30:00")
                .set("payload.id", "inv-42"),
        )
        .await;
    assert_eq!(
        answer.message(),
        Some("Expecting Grace Hopper at 2026-12-01 09:30 UTC")
    );
    assert_eq!(answer.body["debugInfo"]["invite"], "inv-42");
}

/// A payload or config that does not decode is the framework's 400, not the worker's "ignored":
/// `outcome()` says there was no job outcome, and `framework_error()` says what failed.
#[actix_web::test]
async fn a_framework_error_is_never_taken_for_an_outcome() {
    let harness = Harness::start(Greeter).unwrap();
    let answer = harness
        .send(TestEvent::new("entry_sign_out").config(json!({"notify_on_sign_out": "maybe"})))
        .await;
    assert_eq!(answer.status, 400);
    assert_eq!(answer.outcome(), None, "the worker never ran");
    let error = answer.framework_error().expect("the framework's error");
    assert_eq!((error.kind, error.code), ("INVALID_DATA", 400200));
    assert!(
        error.message.contains("notify_on_sign_out"),
        "{}",
        error.message
    );
}
