//! Decoding realistic bodies into the typed models: both id forms, both timestamp forms, unknown
//! fields kept, and every body the reference SDK's factories make.

use chrono::{TimeZone, Utc};
use envoy_plugin::model::{Linkage, Relationships};
use envoy_plugin::{Entry, EventMeta, Id, Invite, Location, PlatformObject, RouteMeta, Secret};
use envoy_plugin_suite::{fixture, sdk_factory_bodies};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

#[derive(Deserialize)]
struct Envelope<P> {
    meta: EventMeta,
    payload: P,
}

fn decode<P: DeserializeOwned>(name: &str) -> (Envelope<P>, Value) {
    let bytes = fixture(name);
    let raw: Value = serde_json::from_slice(&bytes).unwrap();
    let typed = serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
    (typed, raw)
}

#[test]
fn a_full_entry_with_numeric_ids_and_sql_timestamps() {
    let (body, raw) = decode::<Entry>("entry_full.json");
    let (meta, entry) = (body.meta, body.payload);

    assert_eq!(meta.event, "entry_sign_out");
    assert_eq!(meta.install_id, Id::Number(5310));
    assert_eq!(meta.install_id, Id::from("5310"));
    assert_eq!(meta.job.id.to_string(), "990123");
    assert_eq!(meta.job.identifier.as_deref(), Some("J-7Q2"));
    assert_eq!(meta.job.extra["queued-by"], "scheduler");
    assert_eq!(meta.extra["trace-id"], "t-123");
    assert_eq!(meta.config["greeting"], "Hello");
    let location = meta.location().unwrap().unwrap();
    assert_eq!(location.name.as_deref(), Some("HQ"));
    assert_eq!(location.attributes.extra["capacity-limit"], 250);
    let company = meta.company().unwrap().unwrap();
    assert_eq!(
        company.created_at.as_ref().unwrap().utc(),
        Utc.with_ymd_and_hms(2019, 4, 1, 9, 0, 0).unwrap()
    );
    assert!(meta.zone().unwrap().is_none());
    let auth = meta.auth.as_ref().unwrap();
    assert_eq!(auth.access_token.expose(), "installer-access-token");
    assert_eq!(auth.extra["state"], "abc");
    assert!(
        !format!("{meta:?}").contains("installer-access-token"),
        "a token shows in Debug"
    );
    assert!(
        !format!("{meta:?}").contains("installer-refresh-token"),
        "a token shows in Debug"
    );

    assert_eq!(entry.id, Id::Number(777001));
    assert_eq!(entry.kind, "entries");
    assert_eq!(entry.full_name, "Ada Lovelace");
    assert_eq!(entry.email.as_deref(), Some("ada@example.com"));
    assert_eq!(entry.phone_number.as_deref(), Some("+44 20 7946 0000"));
    assert_eq!(entry.host.as_deref(), Some("Charles Babbage"));
    assert_eq!(entry.host_email.as_deref(), Some("charles@example.com"));
    assert_eq!(
        entry.private_notes.as_deref(),
        Some("Bring the engine drawings")
    );
    assert_eq!(
        entry.signed_in_at.as_ref().unwrap().utc(),
        Utc.with_ymd_and_hms(2026, 11, 25, 14, 3, 0).unwrap()
    );
    let out = entry.signed_out_at.as_ref().unwrap().utc();
    assert_eq!(
        out.timestamp_millis(),
        Utc.with_ymd_and_hms(2026, 11, 25, 17, 45, 30)
            .unwrap()
            .timestamp_millis()
            + 250
    );
    assert_eq!(entry.flow_name.as_deref(), Some("Visitor"));
    assert_eq!(entry.employee_screening_flow, Some(false));
    assert_eq!(
        entry.thumbnails.as_ref().unwrap().large.as_deref(),
        Some("https://cdn.example/l.jpg")
    );
    assert_eq!(entry.nda, Some(json!("https://docs.example/nda.pdf")));
    let doc = &entry.legal_docs.as_ref().unwrap()[0];
    assert_eq!(
        (doc.id.clone(), doc.url.as_deref()),
        (
            Some(Id::Number(88)),
            Some("https://docs.example/nda-88.pdf")
        )
    );
    assert_eq!(
        doc.signed_at.as_ref().unwrap().utc(),
        Utc.with_ymd_and_hms(2026, 11, 25, 14, 2, 10).unwrap()
    );
    assert_eq!(entry.user_field("Purpose of visit"), Some("Interview"));
    assert_eq!(entry.user_field("Shoe size"), None);
    assert_eq!(
        entry.approval_status.as_ref().unwrap()["status"],
        "approved"
    );
    assert_eq!(entry.changed_fields, Some(json!(["signed-out-at"])));
    assert_eq!(entry.visitor_profile_id, Some(Id::Number(4401)));
    assert_eq!(entry.attributes.extra["badge-printed"], true);
    assert_eq!(entry.attributes.extra["temperature-check"]["reading"], 36.6);

    let rel = &entry.relationships;
    assert_eq!(rel.location.as_ref().unwrap().id(), Some(&Id::Number(12)));
    assert_eq!(rel.flow.as_ref().unwrap().id(), Some(&Id::from("flow-9")));
    assert_eq!(rel.invite.as_ref().unwrap().data, None);
    assert_eq!(rel.employee.as_ref().unwrap().id(), Some(&Id::Number(501)));
    assert_eq!(rel.device.as_ref().unwrap().id(), Some(&Id::Number(61)));
    assert_eq!(
        rel.visitor_entrance.as_ref().unwrap().id(),
        Some(&Id::Number(2))
    );
    assert_eq!(rel.extra["agreeable-ndas"]["data"][1]["id"], 2);
    assert_eq!(
        entry.extra["links"]["self"],
        "https://app.envoy.com/api/v3/entries/777001"
    );

    // Re-encoded, the payload is exactly what was sent (ids keep their form, timestamps their text).
    assert_eq!(serde_json::to_value(&entry).unwrap(), raw["payload"]);
}

#[test]
fn a_full_invite_with_string_ids_and_iso_timestamps() {
    let (body, raw) = decode::<Invite>("invite_full.json");
    let (meta, invite) = (body.meta, body.payload);
    assert_eq!(meta.install_id, Id::Number(5310));
    assert_eq!(
        meta.job.id.to_string(),
        "b7d3a1f0-1111-4c2e-9a55-000000000001"
    );
    assert_eq!(
        meta.zone().unwrap().unwrap().time_zone.as_deref(),
        Some("Europe/London")
    );
    assert!(meta.auth.is_none());

    assert_eq!(invite.id, Id::from("inv-5521"));
    assert_eq!(invite.full_name, "Grace Hopper");
    assert_eq!(invite.email.as_deref(), Some("grace@example.com"));
    assert_eq!(invite.inviter_name.as_deref(), Some("Alan Turing"));
    assert_eq!(invite.inviter_email.as_deref(), Some("alan@example.com"));
    assert_eq!(
        invite.expected_arrival_time.as_ref().unwrap().utc(),
        Utc.with_ymd_and_hms(2026, 12, 1, 9, 30, 0).unwrap()
    );
    // An offset is converted to UTC.
    assert_eq!(
        invite.qr_code_sent_at.as_ref().unwrap().utc(),
        Utc.with_ymd_and_hms(2026, 11, 30, 17, 0, 0).unwrap()
    );
    assert_eq!(
        invite.reminder_sent_at.as_ref().unwrap().utc(),
        Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap()
    );
    assert_eq!(invite.private_notes, None);
    assert_eq!(
        (invite.arrived, invite.been_here_before),
        (Some(false), Some(true))
    );
    assert_eq!(invite.flow_name.as_deref(), Some("Interview"));
    assert_eq!(invite.flow_id, Some(Id::Number(17)));
    assert_eq!(invite.user_data.as_ref().unwrap()[0].value, "Compilers");
    assert_eq!(
        invite.secret_token.as_ref().map(Secret::expose),
        Some("st-abc")
    );
    assert_eq!(
        invite.edit_token.as_ref().map(Secret::expose),
        Some("et-def")
    );
    assert_eq!(
        invite.photo_url.as_deref(),
        Some("https://cdn.example/grace.jpg")
    );
    assert_eq!(
        invite.qr_code,
        Some(json!("https://cdn.example/qr/5521.png"))
    );
    assert_eq!(invite.preregistration_complete, Some(true));
    assert_eq!(invite.signed_in_at, None);
    assert_eq!(
        invite.changed_fields,
        Some(json!(["expected-arrival-time"]))
    );
    assert_eq!(invite.attributes.extra["parking-spot"], "B12");
    let rel = &invite.relationships;
    assert_eq!(rel.entry.as_ref().unwrap().data, None);
    assert_eq!(rel.flow.as_ref().unwrap().id(), Some(&Id::Number(17)));
    assert_eq!(rel.tenant.as_ref().unwrap().id(), Some(&Id::from("t-1")));
    assert_eq!(rel.creator.as_ref().unwrap().id(), Some(&Id::from("601")));
    assert!(rel.invitee_employee.is_some() && rel.employee.is_some() && rel.location.is_some());

    // Every non-null value survives a re-encode.
    assert_survives(
        &raw["payload"],
        &serde_json::to_value(&invite).unwrap(),
        "payload",
    );
}

#[test]
fn a_location_payload_keeps_capacity_figures() {
    let (body, raw) = decode::<Location>("location_capacity_updated.json");
    let location = body.payload;
    assert_eq!(location.id, Id::Number(12));
    assert_eq!(location.name.as_deref(), Some("HQ"));
    assert_eq!(location.company_name_override.as_deref(), Some("Acme West"));
    assert_eq!(location.timezone.as_deref(), Some("America/Los_Angeles"));
    assert_eq!(location.locale.as_deref(), Some("en"));
    assert_eq!(location.address_line_one.as_deref(), Some("1 Market St"));
    assert_eq!(location.address_line_two.as_deref(), Some("Floor 3"));
    assert_eq!(
        (location.city.as_deref(), location.state.as_deref()),
        (Some("San Francisco"), Some("CA"))
    );
    assert_eq!(
        (location.country.as_deref(), location.zip.as_deref()),
        (Some("US"), Some("94105"))
    );
    assert_eq!(location.longitude, Some(json!(-122.3942)));
    assert_eq!(location.latitude, Some(json!("37.7936")));
    assert_eq!(location.attributes.extra["current-occupancy"], 143);
    // (Re-encoding adds an empty `relationships`; nothing sent is lost.)
    assert_survives(
        &raw["payload"],
        &serde_json::to_value(&location).unwrap(),
        "payload",
    );
}

#[test]
fn an_untyped_platform_object_keeps_everything() {
    let raw = json!({"id": 5, "type": "desks", "attributes": {"name": "D-12", "floor": 3},
                     "relationships": {"floor": {"data": {"id": 3, "type": "floors"}}}});
    let desk: PlatformObject = serde_json::from_value(raw.clone()).unwrap();
    assert_eq!(desk.attributes["name"], "D-12");
    let relationships: &Relationships = &desk.relationships;
    assert_eq!(relationships["floor"]["data"]["id"], 3);
    assert_eq!(serde_json::to_value(&desk).unwrap(), raw);
}

#[test]
fn relationships_may_link_to_many() {
    let raw = json!({"id": 1, "type": "entries", "attributes": {"full-name": "A"},
                     "relationships": {"employee": {"data": [{"id": 1, "type": "employees"}, {"id": "2", "type": "employees"}]}}});
    let entry: Entry = serde_json::from_value(raw).unwrap();
    match &entry.relationships.employee.as_ref().unwrap().data {
        Some(Linkage::Many(targets)) => assert_eq!(targets.len(), 2),
        other => panic!("expected a to-many link, got {other:?}"),
    }
}

/// Every key of `original` whose value is not null is in `reencoded` with an equal value.
fn assert_survives(original: &Value, reencoded: &Value, path: &str) {
    match (original, reencoded) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                if value.is_null() {
                    continue;
                }
                let here = format!("{path}.{key}");
                let Some(other) = b.get(key) else {
                    panic!("`{here}` was dropped by a decode and re-encode");
                };
                assert_survives(value, other, &here);
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "`{path}` changed length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_survives(x, y, &format!("{path}[{i}]"));
            }
        }
        (a, b) => assert_eq!(a, b, "`{path}` changed"),
    }
}

/// The payload type of an event, by name, as decode-and-re-encode.
fn roundtrip_payload(event: &str, payload: &Value) -> Value {
    fn via<P: DeserializeOwned + serde::Serialize>(payload: &Value) -> Value {
        let typed: P = serde_json::from_value(payload.clone()).unwrap();
        serde_json::to_value(typed).unwrap()
    }
    if event.contains("entry") {
        via::<Entry>(payload)
    } else if event.contains("invite") || event.contains("visit") || event == "qr_code_sent" {
        via::<Invite>(payload)
    } else {
        panic!("no payload type for {event}")
    }
}

#[test]
fn every_sdk_factory_body_decodes_and_keeps_its_attributes() {
    let bodies = sdk_factory_bodies();
    assert_eq!(bodies.len(), 32, "the fixture set changed");
    for (name, bytes) in bodies {
        let raw: Value = serde_json::from_slice(&bytes).unwrap();
        if name.starts_with("route.") {
            let meta: RouteMeta = serde_json::from_value(raw["meta"].clone())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(meta.route.is_some(), "{name}");
            assert_survives(
                &raw["meta"],
                &serde_json::to_value(&meta).unwrap(),
                &format!("{name}:meta"),
            );
            continue;
        }
        let meta: EventMeta =
            serde_json::from_value(raw["meta"].clone()).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(
            name.starts_with(&format!("{}.", meta.event)),
            "{name} carries {}",
            meta.event
        );
        assert_survives(
            &raw["meta"],
            &serde_json::to_value(&meta).unwrap(),
            &format!("{name}:meta"),
        );
        let reencoded = roundtrip_payload(&meta.event, &raw["payload"]);
        assert_survives(&raw["payload"], &reencoded, &format!("{name}:payload"));
    }
}

#[test]
fn route_bodies_carry_params_as_sent() {
    let raw: Value = serde_json::from_slice(&fixture("sdk-factories/route.options.json")).unwrap();
    let meta: RouteMeta = serde_json::from_value(raw["meta"].clone()).unwrap();
    assert_eq!(meta.params["page"], "2");
    assert_eq!(meta.params["search"], "ada");
    assert_eq!(meta.forwarded_bearer_token.as_ref().unwrap().expose(), "1");
    let raw: Value =
        serde_json::from_slice(&fixture("sdk-factories/route.selected-values.json")).unwrap();
    let meta: RouteMeta = serde_json::from_value(raw["meta"].clone()).unwrap();
    assert_eq!(meta.params["value"], json!(["1", "2"]));
}

#[test]
fn unknown_attributes_survive_decode_and_reencode() {
    let mut raw: Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.1.json")).unwrap();
    raw["payload"]["attributes"]["added-next-year"] = json!({"nested": [1, 2, null]});
    raw["payload"]["attributes"]["nullable-new-field"] = Value::Null;
    raw["payload"]["future-top-level"] = json!(true);
    let entry: Entry = serde_json::from_value(raw["payload"].clone()).unwrap();
    let back = serde_json::to_value(&entry).unwrap();
    assert_eq!(
        back["attributes"]["added-next-year"],
        json!({"nested": [1, 2, null]})
    );
    assert!(
        back["attributes"]
            .as_object()
            .unwrap()
            .contains_key("nullable-new-field")
    );
    assert_eq!(back["future-top-level"], true);
}
