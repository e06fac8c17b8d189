//! One worker for every event the platform sends: each compiles with its payload type, and every body
//! the reference SDK's factories make gets a job outcome from its worker, never a decode error.

use actix_web::{App, test as web_test};
use envoy_plugin::prelude::*;
use envoy_plugin::{UntypedConfig, events};
use envoy_plugin_suite::{SECRET, fixture, sdk_factory_bodies, signature};
use serde_json::{Value, json};

macro_rules! workers {
    ($($name:ident: $event:literal => $payload:ty;)*) => {
        $(
            #[event($event)]
            async fn $name(job: Job, payload: $payload) -> JobResult {
                Ok(Outcome::done(format!("{} {}", job.event(), payload.id)))
            }
        )*
        plugin! {
            AllEvents { name: "All events", config: UntypedConfig, events: [$($name),*] }
        }
    };
}

workers! {
    entry_sign_in: "entry_sign_in" => Entry;
    entry_sign_out: "entry_sign_out" => Entry;
    entry_blacklist_review: "entry_blacklist_review" => Entry;
    entry_blacklist_deny: "entry_blacklist_deny" => Entry;
    employee_entry_sign_in: "employee_entry_sign_in" => Entry;
    employee_entry_sign_out: "employee_entry_sign_out" => Entry;
    employee_entry_blacklist_review: "employee_entry_blacklist_review" => Entry;
    employee_entry_blacklist_deny: "employee_entry_blacklist_deny" => Entry;
    invite_created: "invite_created" => Invite;
    invite_updated: "invite_updated" => Invite;
    invite_removed: "invite_removed" => Invite;
    upcoming_visit: "upcoming_visit" => Invite;
    qr_code_sent: "qr_code_sent" => Invite;
    employee_invite_created: "employee_invite_created" => Invite;
    employee_invite_updated: "employee_invite_updated" => Invite;
    employee_invite_removed: "employee_invite_removed" => Invite;
    employee_upcoming_visit: "employee_upcoming_visit" => Invite;
    location_capacity_updated: "location_capacity_updated" => Location;
    desk_sign_in: "desk_sign_in" => PlatformObject;
    ticket_created: "ticket_created" => PlatformObject;
    plugin_uninstalled: "plugin_uninstalled" => PlatformObject;
}

#[test]
fn the_plugin_has_a_worker_for_every_known_event_in_order() {
    let workers = AllEvents::workers();
    let served: Vec<_> = workers.iter().map(|w| w.event).collect();
    assert_eq!(served, events::ALL);
    for w in &workers {
        assert_eq!(w.path, format!("/events/{}", w.event));
    }
}

async fn post(body: &[u8], path: &str) -> (u16, Value) {
    let app = web_test::init_service(
        App::new().configure(envoy_plugin::configure(AllEvents, &Settings::new(SECRET))),
    )
    .await;
    let req = web_test::TestRequest::post()
        .uri(path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature(SECRET, body)))
        .set_payload(body.to_vec())
        .to_request();
    let res = web_test::call_service(&app, req).await;
    let status = res.status().as_u16();
    (
        status,
        serde_json::from_slice(&web_test::read_body(res).await).unwrap(),
    )
}

#[actix_web::test]
async fn every_sdk_factory_event_body_gets_a_job_outcome() {
    let mut sent = 0;
    for (name, bytes) in sdk_factory_bodies() {
        if name.starts_with("route.") {
            continue;
        }
        let event = name.split('.').next().unwrap();
        let (status, body) = post(&bytes, &format!("/events/{event}")).await;
        assert_eq!(status, 200, "{name}: {body}");
        assert!(
            body["message"].as_str().unwrap().starts_with(event),
            "{name}: {body}"
        );
        sent += 1;
    }
    assert_eq!(sent, 28);
}

#[actix_web::test]
async fn location_and_untyped_events_get_a_job_outcome() {
    let (status, body) = post(
        &fixture("location_capacity_updated.json"),
        "/events/location_capacity_updated",
    )
    .await;
    assert_eq!(
        (status, body["message"].as_str()),
        (200, Some("location_capacity_updated 12"))
    );

    let desk = json!({
        "meta": {"event": "desk_sign_in", "plugin_id": 1, "install_id": 2, "config": {},
                 "job": {"id": 3, "name": "desk_sign_in"}},
        "payload": {"id": "d-9", "type": "desks", "attributes": {"name": "D-9"}}
    });
    let (status, body) = post(&serde_json::to_vec(&desk).unwrap(), "/events/desk_sign_in").await;
    assert_eq!(
        (status, body["message"].as_str()),
        (200, Some("desk_sign_in d-9"))
    );
}
