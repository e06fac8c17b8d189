//! Every line logged while a job runs carries the job's span: its id, its event, its install and
//! the delivery attempt, the lines of a worker that goes on past its budget included.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use actix_web::{App, test, web};
use envoy_plugin::api::{ApiPolicy, EnvoyApi};
use envoy_plugin::prelude::*;
use envoy_plugin::stand_in::StandIn;
use envoy_plugin::{PluginContext, Secret};
use envoy_plugin_suite::{SECRET, fixture, signature};
use serde_json::{Value, json};

#[event("entry_sign_in", budget = "50ms")]
async fn welcome(entry: Entry) -> JobResult {
    tracing::info!(visitor = %entry.full_name, "greeting");
    // Fails its first run: the platform's retry is the second attempt.
    static FAILED_ONCE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if entry.full_name == "Flaky" && !FAILED_ONCE.swap(true, std::sync::atomic::Ordering::SeqCst) {
        return Err(PluginError::msg("the badge service is down"));
    }
    if entry.full_name == "Slow" {
        tokio::time::sleep(Duration::from_millis(150)).await;
        tracing::info!("greeted late");
    }
    Ok(Outcome::done("welcomed"))
}

plugin! {
    Spanned { name: "Spanned", events: [welcome] }
}

/// The log, written by the test's subscriber.
#[derive(Clone, Default)]
struct Lines(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Lines {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn event(job: &str, install: &str, visitor: &str) -> test::TestRequest {
    let mut body: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    body["meta"]["job"]["id"] = json!(job);
    body["meta"]["install_id"] = json!(install);
    body["payload"]["attributes"]["full-name"] = json!(visitor);
    let body = serde_json::to_vec(&body).unwrap();
    test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, &body)))
        .set_payload(body)
}

#[actix_web::test]
async fn lines_logged_during_a_job_carry_its_id_event_and_install() {
    let lines = Lines::default();
    let writer = lines.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _default = tracing::subscriber::set_default(subscriber);

    let platform = StandIn::start("span-client", SECRET).unwrap();
    let api = EnvoyApi::connect(
        &platform.base_url(),
        "span-client",
        &Secret::new(SECRET),
        ApiPolicy::default(),
    );
    let context = PluginContext::new(&Settings::new(SECRET)).with_api(api);
    let app = test::init_service(App::new().configure(envoy_plugin::configure_with(
        Spanned,
        web::Data::new(context),
    )))
    .await;
    let status = async |req: test::TestRequest| {
        test::call_service(&app, req.to_request())
            .await
            .status()
            .as_u16()
    };
    assert_eq!(status(event("span-1", "install-7", "Ada")).await, 200);
    assert_eq!(status(event("span-1", "install-7", "Ada")).await, 200);
    assert_eq!(status(event("span-3", "install-7", "Flaky")).await, 500);
    assert_eq!(status(event("span-3", "install-7", "Flaky")).await, 200);
    assert_eq!(status(event("span-2", "install-8", "Slow")).await, 202);
    // The late task logs its report after the stand-in has it: wait for the line itself.
    let written = || String::from_utf8(lines.0.lock().unwrap().clone()).unwrap();
    for _ in 0..250 {
        if written().contains("late outcome reported") {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(platform.job("span-2").is_some(), "{}", written());

    let log = written();
    let line = |needle: &str| {
        log.lines()
            .find(|line| line.contains(needle))
            .unwrap_or_else(|| panic!("no line with {needle:?} in:\n{log}"))
            .to_owned()
    };
    let first = r#"job{job=span-1 event=entry_sign_in install=install-7 attempt=1}"#;
    let late = r#"job{job=span-2 event=entry_sign_in install=install-8 attempt=1}"#;
    assert!(line("visitor=Ada").contains(first), "{log}");
    // A duplicate is answered before it would be an attempt of its own.
    assert!(
        line("duplicate delivery")
            .contains(r#"job{job=span-1 event=entry_sign_in install=install-7}"#),
        "{log}"
    );
    assert!(line("visitor=Slow").contains(late), "{log}");
    let flaky = |attempt: u32| {
        format!("job{{job=span-3 event=entry_sign_in install=install-7 attempt={attempt}}}")
    };
    let flaky_lines: Vec<_> = log
        .lines()
        .filter(|l| l.contains("visitor=Flaky"))
        .collect();
    assert_eq!(flaky_lines.len(), 2, "{log}");
    // The failed first attempt says so inside its span.
    assert!(line("worker failed").contains(&flaky(1)), "{log}");
    assert!(flaky_lines[0].contains(&flaky(1)), "{log}");
    assert!(flaky_lines[1].contains(&flaky(2)), "{log}");
    // After the 202, in the task that finishes the job.
    assert!(line("greeted late").contains(late), "{log}");
    assert!(line("late outcome reported").contains(late), "{log}");
}
