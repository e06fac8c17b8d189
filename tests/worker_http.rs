//! The generated worker routes over HTTP: every outcome, and every kind of bad request.
//!
//! Requests are signed by the test itself (`envoy_plugin_suite::signature`, plain `hmac`), and a
//! handler records each job it runs, so a test can prove a rejected request never reached it.

use std::collections::HashSet;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::Mutex;

use actix_web::http::StatusCode;
use actix_web::{App, test};
use envoy_plugin::prelude::*;
use envoy_plugin_suite::{SECRET, call_json, fixture, serve_on_loopback, signature};
use serde_json::{Value, json};

/// Job ids the worker has run, so tests can check that it did or did not.
static RAN: Mutex<Option<HashSet<String>>> = Mutex::new(None);

fn ran(job_id: &str) -> bool {
    RAN.lock()
        .unwrap()
        .as_ref()
        .is_some_and(|s| s.contains(job_id))
}

#[derive(Debug, Deserialize)]
struct TestConfig {
    #[serde(default)]
    prefix: Option<String>,
}

/// The outcome is chosen by the visitor's name, so one worker covers every case.
#[event("entry_sign_in")]
async fn sign_in(job: Job<TestConfig>, entry: Entry) -> JobResult {
    RAN.lock()
        .unwrap()
        .get_or_insert_with(HashSet::new)
        .insert(job.id().to_string());
    let prefix = job.config().prefix.clone().unwrap_or_default();
    match entry.full_name.as_str() {
        "done" => Ok(Outcome::done(format!("{prefix}welcomed"))
            .attach(Attachment::text("Badge", "B-1"))
            .attach(Attachment::password("Wi-Fi", "hunter2"))
            .attach(Attachment::json("Raw", json!({"n": 1})))
            .attach(Attachment::link(
                "Map",
                "floor 3",
                "https://example.test/map",
            ))
            .attach(Attachment::credential_image(
                "Card",
                "4242",
                "Access card",
                "https://s3.test/c.png",
            ))
            .debug_info(json!({"step": 1}))),
        "ongoing" => Ok(Outcome::ongoing("queued").debug_info(json!({"task": "t-1"}))),
        "ignored" => Ok(Outcome::ignored("not today").attach(Attachment::text("Why", "test"))),
        "failed" => Ok(Outcome::failed("printer offline").debug_info(json!({"printer": "lobby"}))),
        "error" => Err(PluginError::msg("the badge service is down")),
        "io-error" => Err(std::io::Error::other("disk full").into()),
        "panic" => panic!("the handler panicked on purpose"),
        other => Ok(Outcome::done(format!("{prefix}hello {other}"))),
    }
}

plugin! {
    TestPlugin { name: "Test plugin", config: TestConfig, events: [sign_in] }
}

fn event_body(full_name: &str, job_id: &str) -> Vec<u8> {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["job"]["id"] = json!(job_id);
    body["meta"]["config"] = json!({"prefix": "> "});
    body["payload"]["attributes"]["full-name"] = json!(full_name);
    serde_json::to_vec(&body).unwrap()
}

fn signed(body: &[u8]) -> test::TestRequest {
    test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, body)))
        .set_payload(body.to_vec())
}

macro_rules! app {
    () => {
        test::init_service(
            App::new().configure(envoy_plugin::configure(TestPlugin, &Settings::new(SECRET))),
        )
        .await
    };
}

/// A framework error body: the taxonomy's status, type and code, and the message twice.
fn assert_error(status: StatusCode, body: &Value, expected: u16, kind: &str, code: u64) {
    assert_eq!(status.as_u16(), expected, "{body}");
    assert_eq!(body["error"]["type"], kind, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    assert_eq!(body["message"], body["error"]["message"], "{body}");
}

#[actix_web::test]
async fn done_answers_200_with_message_debug_info_and_every_attachment_kind() {
    let app = app!();
    let (status, body) = call_json(&app, signed(&event_body("done", "job-done"))).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        json!({
            "message": "> welcomed",
            "debugInfo": {"step": 1},
            "attachments": [
                {"type": "text", "label": "Badge", "value": "B-1"},
                {"type": "password", "label": "Wi-Fi", "value": "hunter2"},
                {"type": "json", "label": "Raw", "value": {"n": 1}},
                {"type": "link", "label": "Map", "value": "floor 3", "url": "https://example.test/map"},
                {"type": "credential_image", "label": "Card", "value": "4242", "title": "Access card",
                 "image": {"type": "s3", "link": "https://s3.test/c.png"}}
            ]
        })
    );
}

#[actix_web::test]
async fn ongoing_ignored_and_failed_answer_202_400_and_412() {
    let app = app!();
    let (status, body) = call_json(&app, signed(&event_body("ongoing", "job-ongoing"))).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(
        body,
        json!({"message": "queued", "debugInfo": {"task": "t-1"}})
    );

    let (status, body) = call_json(&app, signed(&event_body("ignored", "job-ignored"))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"message": "not today", "attachments": [{"type": "text", "label": "Why", "value": "test"}]})
    );

    let (status, body) = call_json(&app, signed(&event_body("failed", "job-failed"))).await;
    assert_eq!(status, StatusCode::PRECONDITION_FAILED);
    assert_eq!(
        body,
        json!({"message": "printer offline", "debugInfo": {"printer": "lobby"}})
    );
}

#[actix_web::test]
async fn handler_errors_answer_500_with_a_json_message() {
    let app = app!();
    let (status, body) = call_json(&app, signed(&event_body("error", "job-error"))).await;
    assert_error(status, &body, 500, "WEBHOOK_ERROR", 500000);
    assert_eq!(body["message"], "the badge service is down");
    let (status, body) = call_json(&app, signed(&event_body("io-error", "job-io-error"))).await;
    assert_error(status, &body, 500, "WEBHOOK_ERROR", 500000);
    assert_eq!(body["message"], "disk full");
}

#[actix_web::test]
async fn a_panicking_handler_answers_500_and_the_server_keeps_serving() {
    let app = app!();
    let (status, body) = call_json(&app, signed(&event_body("panic", "job-panic"))).await;
    assert_error(status, &body, 500, "WEBHOOK_ERROR", 500000);
    assert_eq!(body["message"], "`sign_in` panicked");
    let (status, body) = call_json(&app, signed(&event_body("Ada", "job-after-panic"))).await;
    assert_eq!(
        (status, &body["message"]),
        (StatusCode::OK, &json!("> hello Ada"))
    );
}

#[actix_web::test]
async fn missing_signature_is_401_and_the_handler_never_runs() {
    let app = app!();
    let req = test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("content-type", "application/json"))
        .set_payload(event_body("x", "job-unsigned"));
    let (status, body) = call_json(&app, req).await;
    assert_error(status, &body, 401, "AUTHENTICATION", 401000);
    assert!(!ran("job-unsigned"));
}

#[actix_web::test]
async fn wrong_signatures_are_401_and_the_handler_never_runs() {
    let app = app!();
    let good = event_body("x", "job-wrong-sig");
    let other = event_body("x", "job-other-body");
    let cases = [
        signature("another secret", &good),
        signature(SECRET, &other),
        "not base64 at all!".to_owned(),
        String::new(),
    ];
    for sig in cases {
        let req = test::TestRequest::post()
            .uri("/events/entry_sign_in")
            .insert_header(("content-type", "application/json"))
            .insert_header(("X-Envoy-Signature", sig.clone()))
            .set_payload(good.clone());
        let (status, body) = call_json(&app, req).await;
        assert_error(status, &body, 401, "AUTHENTICATION", 401001);
        assert!(
            !body.to_string().contains(&sig) || sig.is_empty(),
            "the signature is echoed: {body}"
        );
    }
    assert!(!ran("job-wrong-sig"));
    assert!(!ran("job-other-body"));
}

#[actix_web::test]
async fn a_signed_empty_body_is_400_malformed() {
    let app = app!();
    let (status, body) = call_json(&app, signed(b"")).await;
    assert_error(status, &body, 400, "MALFORMED_JSON", 400000);
    assert!(
        body["message"].as_str().unwrap().contains("empty"),
        "{body}"
    );
}

#[actix_web::test]
async fn a_body_over_one_mib_is_413_before_it_is_read() {
    let app = app!();
    let big = vec![b' '; 1024 * 1024 + 1];
    let (status, body) = call_json(&app, signed(&big)).await;
    assert_error(status, &body, 413, "REQUEST_TOO_LARGE", 413000);
    // Exactly at the limit is accepted (and then fails as JSON, not as size).
    let mut at_limit = body_bytes_padded_to(1024 * 1024);
    at_limit.truncate(1024 * 1024);
    let (status, _) = call_json(&app, signed(&at_limit)).await;
    assert_eq!(status, StatusCode::OK);
}

/// A valid body padded with trailing spaces (valid JSON whitespace) to exactly `size` bytes.
fn body_bytes_padded_to(size: usize) -> Vec<u8> {
    let mut b = event_body("Padded", "job-padded");
    b.resize(size, b' ');
    b
}

#[actix_web::test]
async fn malformed_json_is_400_naming_the_problem() {
    let app = app!();
    let (status, body) = call_json(&app, signed(br#"{"meta": {"event": "entry_sign_in""#)).await;
    assert_error(status, &body, 400, "MALFORMED_JSON", 400000);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("request body is not valid JSON"),
        "{body}"
    );
}

#[actix_web::test]
async fn missing_fields_are_400_naming_the_path() {
    let app = app!();
    let mut no_name: Value = serde_json::from_slice(&event_body("x", "job-missing")).unwrap();
    no_name["payload"]["attributes"]
        .as_object_mut()
        .unwrap()
        .remove("full-name");
    let (status, body) = call_json(&app, signed(&serde_json::to_vec(&no_name).unwrap())).await;
    assert_error(status, &body, 400, "MISSING_DATA", 400101);
    assert_eq!(
        body["message"],
        "missing field `payload.attributes.full-name`"
    );

    let mut no_payload = no_name.clone();
    no_payload.as_object_mut().unwrap().remove("payload");
    let (status, body) = call_json(&app, signed(&serde_json::to_vec(&no_payload).unwrap())).await;
    assert_error(status, &body, 400, "MISSING_DATA", 400100);
    assert_eq!(body["message"], "missing field `payload`");
    assert!(!ran("job-missing"));
}

#[actix_web::test]
async fn mistyped_fields_are_400_naming_the_path() {
    let app = app!();
    let mut wrong: Value = serde_json::from_slice(&event_body("x", "job-mistyped")).unwrap();
    wrong["payload"]["attributes"]["signed-in-at"] = json!(1234);
    let (status, body) = call_json(&app, signed(&serde_json::to_vec(&wrong).unwrap())).await;
    assert_error(status, &body, 400, "INVALID_DATA", 400200);
    let message = body["message"].as_str().unwrap();
    assert!(
        message.starts_with("invalid value at `payload.attributes.signed-in-at`"),
        "{message}"
    );

    let mut bad_time = wrong.clone();
    bad_time["payload"]["attributes"]["signed-in-at"] = json!("yesterday");
    let (status, body) = call_json(&app, signed(&serde_json::to_vec(&bad_time).unwrap())).await;
    assert_error(status, &body, 400, "INVALID_DATA", 400200);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .contains("`yesterday` is not a timestamp"),
        "{body}"
    );

    let mut bad_config = wrong.clone();
    bad_config["payload"]["attributes"]["signed-in-at"] = json!("2026-11-25 14:03:00");
    bad_config["meta"]["config"] = json!({"prefix": 7});
    let (status, body) = call_json(&app, signed(&serde_json::to_vec(&bad_config).unwrap())).await;
    assert_error(status, &body, 400, "INVALID_DATA", 400200);
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("invalid value at `meta.config.prefix`"),
        "{body}"
    );
    assert!(!ran("job-mistyped"));
}

#[actix_web::test]
async fn an_event_sent_to_another_events_worker_is_400() {
    let app = app!();
    let mut other: Value = serde_json::from_slice(&event_body("x", "job-wrong-event")).unwrap();
    other["meta"]["event"] = json!("entry_sign_out");
    let (status, body) = call_json(&app, signed(&serde_json::to_vec(&other).unwrap())).await;
    assert_error(status, &body, 400, "INVALID_DATA", 400200);
    assert!(
        body["message"].as_str().unwrap().contains("`meta.event`"),
        "{body}"
    );
}

#[actix_web::test]
async fn other_methods_are_405() {
    let app = app!();
    for req in [
        test::TestRequest::get(),
        test::TestRequest::put(),
        test::TestRequest::delete(),
    ] {
        let (status, body) = call_json(&app, req.uri("/events/entry_sign_in")).await;
        assert_error(status, &body, 405, "METHOD_NOT_ALLOWED", 405000);
    }
}

#[actix_web::test]
async fn content_types_other_than_json_are_415_and_json_variants_are_accepted() {
    let app = app!();
    for content_type in [
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/xml",
    ] {
        let b = event_body("x", "job-415");
        let req = signed(&b).insert_header(("content-type", content_type));
        let (status, body) = call_json(&app, req).await;
        assert_error(status, &body, 415, "MEDIA_TYPE_UNSUPPORTED", 415000);
    }
    assert!(!ran("job-415"));
    for content_type in [
        "application/json; charset=utf-8",
        "application/vnd.api+json",
        "Application/JSON",
    ] {
        let b = event_body("json", "job-json-variant");
        let (status, _) = call_json(
            &app,
            signed(&b).insert_header(("content-type", content_type)),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{content_type}");
    }
    // No content type at all: the signature already proves the sender.
    let b = event_body("untyped", "job-no-content-type");
    let req = test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("X-Envoy-Signature", signature(SECRET, &b)))
        .set_payload(b);
    let (status, body) = call_json(&app, req).await;
    assert_eq!(
        (status, &body["message"]),
        (StatusCode::OK, &json!("> hello untyped"))
    );
}

#[actix_web::test]
async fn unknown_paths_are_not_served() {
    let app = app!();
    let res = test::call_service(
        &app,
        test::TestRequest::post().uri("/events/nope").to_request(),
    )
    .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}

/// Over a real socket, with a chunked body and no Content-Length: the limit holds while streaming.
#[actix_web::test]
async fn a_streamed_body_over_the_limit_is_413() {
    let (addr, handle) = serve_on_loopback(|| {
        App::new().configure(envoy_plugin::configure(
            TestPlugin,
            &Settings::new(SECRET).with_body_limit(64 * 1024),
        ))
    });

    let response = actix_web::rt::task::spawn_blocking(move || {
        let mut stream = TcpStream::connect(addr).unwrap();
        let head = format!(
            "POST /events/entry_sign_in HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
             X-Envoy-Signature: {}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
            signature(SECRET, b"whatever")
        );
        stream.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b' '; 16 * 1024];
        // Up to 16 chunks of 16 KiB (256 KiB); the server stops reading after 64 KiB.
        for _ in 0..16 {
            let frame = format!("{:x}\r\n", chunk.len());
            if stream.write_all(frame.as_bytes()).is_err()
                || stream.write_all(&chunk).is_err()
                || stream.write_all(b"\r\n").is_err()
            {
                break;
            }
        }
        let _ = stream.write_all(b"0\r\n\r\n");
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    })
    .await
    .unwrap();
    handle.stop(true).await;
    assert!(response.starts_with("HTTP/1.1 413"), "{response}");
    assert!(response.contains("REQUEST_TOO_LARGE"), "{response}");
}

#[actix_web::test]
async fn during_a_secret_rotation_both_secrets_are_accepted_and_a_third_is_not() {
    let mut settings = Settings::new("the new secret");
    settings.previous_client_secret = Some("the old secret".into());
    let app =
        test::init_service(App::new().configure(envoy_plugin::configure(TestPlugin, &settings)))
            .await;
    for (secret, expected) in [
        ("the new secret", 200),
        ("the old secret", 200),
        ("another secret", 401),
    ] {
        let b = event_body("rotated", &format!("job-rotation-{secret}"));
        let req = test::TestRequest::post()
            .uri("/events/entry_sign_in")
            .insert_header(("X-Envoy-Signature", signature(secret, &b)))
            .set_payload(b);
        let (status, _) = call_json(&app, req).await;
        assert_eq!(status.as_u16(), expected, "{secret}");
    }
    assert!(!format!("{settings:?}").contains("the old secret"));
}

mod budgets {
    //! Time budgets: a worker past its budget is answered 202 and reports later through the job
    //! API; a route past its budget is answered 504.

    use std::time::Duration;

    use envoy_plugin::prelude::*;
    use envoy_plugin::testing::{Harness, TestEvent, TestRoute};

    #[event("entry_sign_in", budget = "200ms")]
    async fn slow_worker(entry: Entry) -> JobResult {
        let wait = if entry.full_name == "slow" { 800 } else { 10 };
        actix_web::rt::time::sleep(Duration::from_millis(wait)).await;
        Ok(Outcome::done(format!("greeted {}", entry.full_name))
            .attach(Attachment::text("After", "the wait")))
    }

    #[options(budget = "200ms")]
    async fn slow_options(query: OptionsQuery) -> Result<Vec<SelectOption>, PluginError> {
        let wait = if query.search.as_deref() == Some("slow") {
            800
        } else {
            10
        };
        actix_web::rt::time::sleep(Duration::from_millis(wait)).await;
        Ok(vec![SelectOption::new("A", "a")])
    }

    plugin! {
        Slow { name: "Slow", events: [slow_worker], routes: [slow_options] }
    }

    #[actix_web::test]
    async fn a_slow_worker_is_answered_ongoing_and_reports_its_outcome_later() {
        let harness = Harness::start(Slow).unwrap();
        let quick = harness
            .send(TestEvent::new("entry_sign_in").attribute("full-name", "quick"))
            .await;
        assert_eq!(
            (quick.status, quick.message()),
            (200, Some("greeted quick"))
        );

        let started = std::time::Instant::now();
        let answer = harness
            .send(
                TestEvent::new("entry_sign_in")
                    .attribute("full-name", "slow")
                    .job_id("job-slow"),
            )
            .await;
        assert!(
            started.elapsed() < Duration::from_millis(700),
            "not answered within the budget"
        );
        assert_eq!(answer.status, 202);
        assert!(
            answer.message().unwrap().contains("still working"),
            "{:?}",
            answer.body
        );
        assert!(harness.platform().job("job-slow").is_none());
        for _ in 0..250 {
            if harness.platform().job("job-slow").is_some() {
                break;
            }
            actix_web::rt::time::sleep(Duration::from_millis(20)).await;
        }
        let job = harness
            .platform()
            .job("job-slow")
            .expect("the late outcome was reported");
        assert_eq!(job.status.as_deref(), Some("done"));
        assert_eq!(job.status_message.as_deref(), Some("greeted slow"));
        assert_eq!(job.attachments.len(), 1);
    }

    #[actix_web::test]
    async fn a_slow_route_is_answered_504() {
        let harness = Harness::start(Slow).unwrap();
        let answer = harness
            .call(TestRoute::new("/routes/slow_options").search("fast"))
            .await;
        assert_eq!(answer.status, 200);
        let started = std::time::Instant::now();
        let answer = harness
            .call(TestRoute::new("/routes/slow_options").search("slow"))
            .await;
        assert!(started.elapsed() < Duration::from_millis(700));
        assert_eq!(answer.status, 504);
        assert_eq!(answer.body["error"]["type"], "WEBHOOK_TIMEOUT");
        assert_eq!(answer.body["error"]["code"], 504000);
    }
}
