//! SIGTERM loses nothing: a worker answered 202 for running past its budget finishes during the
//! drain and its outcome reaches the platform before `serve` returns; one that cannot finish within
//! the drain bound is named, and `serve` answers an error (the process exits non-zero).
//!
//! One test in this file: it sends SIGTERM to its own process, which `serve` catches.

use std::time::Duration;

use envoy_plugin::prelude::*;
use envoy_plugin::stand_in::StandIn;
use envoy_plugin_suite::{SECRET, fixture, free_port, signature};
use serde_json::{Value, json};

#[event("entry_sign_in", budget = "100ms")]
async fn slow_welcome(entry: Entry) -> JobResult {
    let pause = if entry.full_name.contains("Slowest") {
        Duration::from_secs(30)
    } else {
        Duration::from_millis(800)
    };
    actix_web::rt::time::sleep(pause).await;
    Ok(Outcome::done(format!("Welcomed {}", entry.full_name)))
}

plugin! {
    Late { name: "Late", events: [slow_welcome] }
}

/// Serves `Late` on a free port until SIGTERM; answers what `serve` answered.
async fn serve_then_terminate(platform: &StandIn, job: &str, visitor: &str) -> std::io::Result<()> {
    let mut settings = Settings::new(SECRET);
    settings.client_id = Some("late".into());
    settings.base_url = platform.base_url();
    settings.port = free_port();
    settings.drain_bound = Duration::from_secs(3);
    let port = settings.port;
    let serving = actix_web::rt::spawn(envoy_plugin::serve(Late, settings));
    let started = std::time::Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "not serving");
        actix_web::rt::time::sleep(Duration::from_millis(20)).await;
    }

    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["job"]["id"] = json!(job);
    body["payload"]["attributes"]["full-name"] = json!(visitor);
    let body = serde_json::to_vec(&body).unwrap();
    let answer = reqwest::Client::new()
        .post(format!("http://127.0.0.1:{port}/events/entry_sign_in"))
        .header("content-type", "application/json")
        .header("X-Envoy-Signature", signature(SECRET, &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status().as_u16(), 202, "past its budget: ongoing");
    assert!(platform.job(job).is_none(), "nothing reported yet");

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &std::process::id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    serving.await.unwrap()
}

#[actix_web::test]
async fn sigterm_waits_for_late_workers_and_names_those_it_cannot() {
    let platform = StandIn::start("late", SECRET).unwrap();

    // Finishes within the drain bound: reported before `serve` returns.
    serve_then_terminate(&platform, "job-late", "Ada Slow")
        .await
        .expect("a clean stop");
    let job = platform
        .job("job-late")
        .expect("the late outcome was reported");
    assert_eq!(job.status.as_deref(), Some("done"));
    assert_eq!(job.status_message.as_deref(), Some("Welcomed Ada Slow"));

    // Cannot finish within the bound: `serve` says so.
    let err = serve_then_terminate(&platform, "job-too-late", "The Slowest")
        .await
        .unwrap_err();
    assert!(
        err.to_string().contains("before all its work had finished"),
        "{err}"
    );
    assert!(platform.job("job-too-late").is_none());
}
