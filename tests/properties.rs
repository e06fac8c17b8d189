//! Properties of the signature guard and the decoder, over generated inputs (proptest):
//! - no change to a signed body, and no change to its signature, is ever accepted;
//! - no body, signed or not, makes a worker route panic or answer outside the error taxonomy, and
//!   the server answers a good request afterwards.

use actix_web::rt::System;
use actix_web::{App, test as web_test};
use envoy_plugin::prelude::*;
use envoy_plugin::{Secret, SignatureVerifier};
use envoy_plugin_suite::{SECRET, fixture, signature};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

#[event("entry_sign_in")]
async fn welcome(job: Job, entry: Entry) -> JobResult {
    Ok(Outcome::done(format!("{} {}", entry.full_name, job.id())))
}

plugin! {
    Properties { name: "Properties", events: [welcome] }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn no_mutation_of_a_signed_body_is_accepted() {
    let verifier = SignatureVerifier::new(&Secret::new(SECRET));
    let body = fixture("sdk-factories/entry_sign_in.0.json");
    let good = signature(SECRET, &body);
    assert!(verifier.verify(&body, Some(good.as_bytes())).is_ok());
    let mutation = (0..body.len(), any::<u8>(), 0..3usize);
    runner(2000)
        .run(&mutation, |(at, byte, how)| {
            let mut changed = body.clone();
            match how {
                0 => changed[at] ^= byte.max(1), // flip bits of one byte
                1 => changed.insert(at, byte),   // insert a byte
                _ => {
                    changed.remove(at); // drop a byte
                }
            }
            prop_assert!(verifier.verify(&changed, Some(good.as_bytes())).is_err());
            Ok(())
        })
        .unwrap();
}

#[test]
fn no_mutation_of_a_signature_is_accepted() {
    let verifier = SignatureVerifier::new(&Secret::new(SECRET));
    let body = fixture("sdk-factories/entry_sign_in.0.json");
    let good = signature(SECRET, &body);
    runner(2000)
        .run(
            &(0..good.len(), any::<u8>(), "[ -~]{0,60}"),
            |(at, byte, other)| {
                let mut changed = good.clone().into_bytes();
                changed[at] = byte;
                if changed != good.as_bytes() {
                    prop_assert!(verifier.verify(&body, Some(&changed)).is_err());
                }
                if other != good {
                    prop_assert!(verifier.verify(&body, Some(other.as_bytes())).is_err());
                }
                Ok(())
            },
        )
        .unwrap();
}

/// Bodies that are hard on a decoder: arbitrary bytes, arbitrary JSON, and the fixture with one
/// value replaced by arbitrary JSON.
fn hostile_bodies() -> impl Strategy<Value = Vec<u8>> {
    let json = any::<Vec<u8>>().prop_map(|bytes| bytes);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        ".{0,20}".prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(".{0,8}", inner, 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    let fixture: serde_json::Value =
        serde_json::from_slice(&fixture("sdk-factories/entry_sign_in.0.json")).unwrap();
    let paths = [
        "/meta",
        "/meta/job",
        "/meta/job/id",
        "/meta/install_id",
        "/meta/config",
        "/meta/location",
        "/meta/auth",
        "/meta/event",
        "/payload",
        "/payload/id",
        "/payload/attributes",
        "/payload/attributes/full-name",
        "/payload/attributes/signed-in-at",
        "/payload/attributes/user-data",
        "/payload/relationships/location",
    ];
    let patched = (0..paths.len(), value.clone()).prop_map(move |(i, replacement)| {
        let mut body = fixture.clone();
        if let Some(slot) = body.pointer_mut(paths[i]) {
            *slot = replacement;
        }
        serde_json::to_vec(&body).unwrap()
    });
    prop_oneof![
        json,
        value.prop_map(|v| serde_json::to_vec(&v).unwrap()),
        patched
    ]
}

#[test]
fn no_body_makes_a_worker_panic_or_leave_the_taxonomy() {
    let system = System::new();
    let app = system.block_on(web_test::init_service(
        App::new().configure(envoy_plugin::configure(Properties, &Settings::new(SECRET))),
    ));
    runner(600)
        .run(&(hostile_bodies(), any::<bool>()), |(body, signed)| {
            let mut req = web_test::TestRequest::post()
                .uri("/events/entry_sign_in")
                .set_payload(body.clone());
            if signed {
                req = req.insert_header(("X-Envoy-Signature", signature(SECRET, &body)));
            }
            let (status, answer) = system.block_on(async {
                let res = web_test::call_service(&app, req.to_request()).await;
                (res.status().as_u16(), web_test::read_body(res).await)
            });
            let answer: serde_json::Value = serde_json::from_slice(&answer).expect("a JSON answer");
            if !signed {
                prop_assert_eq!(status, 401);
            }
            prop_assert!(
                matches!(status, 200 | 400 | 401),
                "status {} for {}",
                status,
                answer
            );
            if status != 200 {
                prop_assert!(answer["error"]["type"].is_string(), "{}", answer);
                prop_assert!(answer["message"].is_string(), "{}", answer);
            }
            Ok(())
        })
        .unwrap();
    // And a good request still works.
    let body = fixture("sdk-factories/entry_sign_in.0.json");
    let req = web_test::TestRequest::post()
        .uri("/events/entry_sign_in")
        .insert_header(("X-Envoy-Signature", signature(SECRET, &body)))
        .set_payload(body)
        .to_request();
    let status = system.block_on(async { web_test::call_service(&app, req).await.status() });
    assert_eq!(status.as_u16(), 200);
}
