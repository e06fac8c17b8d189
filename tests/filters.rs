//! The reference SDK's worker filters (`envoy_plugin::filters::Gate`), over HTTP: each closed
//! filter answers the job "ignored" (400) with its reason, and an open gate lets the worker run.

use envoy_plugin::filters::{EMPLOYEE_EXCLUDED, EMPLOYEE_SIGN_IN_DISABLED, Gate, NOT_INVITED};
use envoy_plugin::prelude::*;
use envoy_plugin::testing::{Harness, TestEvent};
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Config {
    #[serde(default)]
    strict: bool,
}

#[event("employee_entry_sign_in")]
async fn screen(job: Job<Config>, entry: Entry) -> JobResult {
    let gate = Gate::new(&job)
        .flag("enabled", "The integration is turned off.")
        .employee_sign_in_enabled("protect_enabled")
        .skip_excluded_employees(&entry, "excluded_employees")
        .when(|config| !config.strict, "Strict installs screen by hand.");
    if let Some(ignored) = gate.verdict()? {
        return Ok(ignored);
    }
    Ok(Outcome::done(format!("screened {}", entry.full_name)))
}

#[event("entry_sign_in")]
async fn invited(job: Job<Config>, entry: Entry) -> JobResult {
    if let Some(ignored) = Gate::new(&job)
        .invited_only(&entry, "invites_only")
        .verdict()?
    {
        return Ok(ignored);
    }
    Ok(Outcome::done("welcome"))
}

plugin! {
    Filtered { name: "Filtered", config: Config, events: [screen, invited] }
}

fn screening(config: Value) -> TestEvent {
    TestEvent::new("employee_entry_sign_in")
        .attribute("employee-screening-flow", true)
        .set(
            "payload.relationships.employee",
            json!({"data": {"type": "employees", "id": "42"}}),
        )
        .config(config)
}

fn open() -> Value {
    json!({"enabled": true, "protect_enabled": "yes", "excluded_employees": ["7", 8]})
}

#[actix_web::test]
async fn each_filter_answers_ignored_with_its_reason() {
    let harness = Harness::start(Filtered).unwrap();
    let ignored = |answer: &envoy_plugin::testing::Answer| {
        assert_eq!(answer.status, 400, "{answer:?}");
        answer.message().unwrap().to_owned()
    };

    let mut config = open();
    config["enabled"] = json!(false);
    let answer = harness.send(screening(config)).await;
    assert_eq!(ignored(&answer), "The integration is turned off.");

    let mut config = open();
    config.as_object_mut().unwrap().remove("protect_enabled");
    let answer = harness.send(screening(config)).await;
    assert_eq!(ignored(&answer), EMPLOYEE_SIGN_IN_DISABLED);

    let answer = harness
        .send(screening(open()).set("payload.relationships.employee.data.id", "8"))
        .await;
    assert_eq!(ignored(&answer), EMPLOYEE_EXCLUDED);

    let mut config = open();
    config["strict"] = json!(true);
    let answer = harness.send(screening(config)).await;
    assert_eq!(ignored(&answer), "Strict installs screen by hand.");

    let answer = harness
        .send(
            TestEvent::new("entry_sign_in")
                .set("payload.relationships.invite", Value::Null)
                .config(json!({"invites_only": true})),
        )
        .await;
    assert_eq!(ignored(&answer), NOT_INVITED);
}

#[actix_web::test]
async fn an_open_gate_runs_the_worker() {
    let harness = Harness::start(Filtered).unwrap();
    let answer = harness.send(screening(open())).await;
    assert_eq!(answer.status, 200, "{answer:?}");
    // An excluded employee who is not on a screening flow is not skipped (as in the reference SDK).
    let answer = harness
        .send(
            screening(open())
                .attribute("employee-screening-flow", false)
                .set("payload.relationships.employee.data.id", "7"),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
    let answer = harness
        .send(
            TestEvent::new("entry_sign_in")
                .set(
                    "payload.relationships.invite",
                    json!({"data": {"type": "invites", "id": "9"}}),
                )
                .config(json!({"invites_only": true})),
        )
        .await;
    assert_eq!(answer.status, 200, "{answer:?}");
}

#[actix_web::test]
async fn an_excluded_list_that_is_not_a_list_is_the_workers_error() {
    let harness = Harness::start(Filtered).unwrap();
    let mut config = open();
    config["excluded_employees"] = json!("7,8");
    let answer = harness.send(screening(config)).await;
    assert_eq!(answer.status, 500);
    assert!(
        answer.message().unwrap().contains("excluded_employees"),
        "{answer:?}"
    );
}
