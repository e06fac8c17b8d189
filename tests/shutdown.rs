//! Graceful shutdown: once draining, new requests are answered 503 `WEBHOOK_UNAVAILABLE` while the
//! in-flight ones finish; a served plugin stops on SIGTERM.

use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{App, test as web_test, web};
use envoy_plugin::prelude::*;
use envoy_plugin::{Drain, drain_requests};
use envoy_plugin_suite::{SECRET, fixture, signature};

#[event("entry_sign_in")]
async fn slow(entry: Entry) -> JobResult {
    actix_web::rt::time::sleep(Duration::from_millis(300)).await;
    Ok(Outcome::done(format!("finished {}", entry.full_name)))
}

plugin! {
    Slow { name: "Slow", events: [slow] }
}

fn signed() -> web_test::TestRequest {
    let body = fixture("sdk-factories/entry_sign_in.0.json");
    web_test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("X-Envoy-Signature", signature(SECRET, &body)))
        .set_payload(body)
}

#[actix_web::test]
async fn draining_answers_503_and_lets_in_flight_work_finish() {
    let drain = Drain::new();
    let app = web_test::init_service(
        App::new()
            .app_data(web::Data::new(drain.clone()))
            .wrap(from_fn(drain_requests))
            .configure(envoy_plugin::configure(Slow, &Settings::new(SECRET))),
    )
    .await;
    let in_flight = async {
        let res = web_test::call_service(&app, signed().to_request()).await;
        (res.status().as_u16(), web_test::read_body(res).await)
    };
    let arriving_meanwhile = async {
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(drain.in_flight(), 1);
        drain.begin();
        let res = web_test::call_service(&app, signed().to_request()).await;
        (res.status().as_u16(), web_test::read_body(res).await)
    };
    let ((first, first_body), (second, second_body)) =
        futures_util::future::join(in_flight, arriving_meanwhile).await;
    assert_eq!(first, 200, "{first_body:?}");
    assert!(String::from_utf8_lossy(&first_body).contains("finished Erick Homenick"));
    assert_eq!(second, 503);
    let body: serde_json::Value = serde_json::from_slice(&second_body).unwrap();
    assert_eq!(
        (
            body["error"]["type"].as_str(),
            body["error"]["code"].as_u64()
        ),
        (Some("WEBHOOK_UNAVAILABLE"), Some(503000))
    );
    assert!(drain.drained(Duration::from_secs(1)).await);
    assert_eq!(drain.in_flight(), 0);
}

#[test]
fn a_served_plugin_stops_on_sigterm() {
    let greeter = envoy_plugin_suite::example_binary("greeter");
    let port = envoy_plugin_suite::free_port();
    let mut child = std::process::Command::new(greeter)
        .env("ENVOY_CLIENT_SECRET", "dev-secret")
        .env("PORT", port.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    envoy_plugin_suite::wait_for_port(port, "the plugin");
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let stopping = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "{status}");
            break;
        }
        assert!(
            stopping.elapsed() < Duration::from_secs(10),
            "the plugin did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A delivery store that cannot be reached stops the plugin at startup, with the reason, instead
/// of letting it answer every event 503.
#[test]
fn an_unreachable_redis_stops_the_plugin_at_startup() {
    let exe = std::env::current_exe().unwrap();
    let greeter = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("examples")
        .join("greeter");
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let output = std::process::Command::new(greeter)
        .env("ENVOY_CLIENT_SECRET", "dev-secret")
        .env("PORT", free().to_string())
        .env(
            "REDIS_URL",
            format!("redis://:hunter2@127.0.0.1:{}/0", free()),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert!(stderr.contains("the delivery store failed"), "{stderr}");
    assert!(stderr.contains("check REDIS_URL"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "{stderr}");
}
