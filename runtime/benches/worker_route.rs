//! The cost of the generated worker route against a hand-written actix-web handler doing the same
//! work: raw-body HMAC check, typed decode of `{meta, payload}` into `EventMeta` and `Entry`, the
//! job's answer recorded for duplicate deliveries (claim and record in an in-memory store), a JSON
//! answer. Both run in-process on the same signed 2 KB `entry_sign_in` body, each request a new job.
//! A third line, the hand-written handler without the record, shows what the record costs.
//!
//! The generated route runs as `envoy_plugin::serve` runs it: behind the request log, with the
//! default log set up (`info`, formatted, written by the log's own thread, here to a sink instead
//! of stderr). The hand-written handler logs nothing.
//!
//! Run with `cargo bench -p envoy-plugin --bench worker_route`.

use std::time::{Duration, Instant};

use actix_web::body::MessageBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::ContentType;
use actix_web::rt::System;
use actix_web::web::Bytes;
use actix_web::{App, HttpRequest, HttpResponse, test, web};
use base64::Engine as _;
use criterion::{Criterion, criterion_group};
use envoy_plugin::deliveries::{Claim, DeliveryStore as _, MemoryStore, RecordedAnswer};
use envoy_plugin::prelude::*;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

const SECRET: &str = "bench-secret";

#[event("entry_sign_in")]
async fn welcome(job: Job, entry: Entry) -> JobResult {
    Ok(Outcome::done(format!(
        "Welcomed {} (job {})",
        entry.full_name,
        job.id()
    )))
}

plugin! {
    Bench { name: "Bench", events: [welcome] }
}

#[derive(serde::Deserialize)]
struct Envelope {
    meta: EventMeta,
    payload: Entry,
}

/// What a careful person writes by hand with actix-web: the same checks, the same typed decode.
async fn hand_written(
    req: HttpRequest,
    body: web::Bytes,
    key: web::Data<Hmac<Sha256>>,
) -> HttpResponse {
    let Some(tag) = req.headers().get("X-Envoy-Signature").and_then(|v| {
        base64::engine::general_purpose::STANDARD
            .decode(v.as_bytes())
            .ok()
    }) else {
        return HttpResponse::Unauthorized().json(json!({"message": "bad signature"}));
    };
    let mut mac = key.get_ref().clone();
    mac.update(&body);
    if mac.verify_slice(&tag).is_err() {
        return HttpResponse::Unauthorized().json(json!({"message": "bad signature"}));
    }
    let envelope: Envelope = match serde_json::from_slice(&body) {
        Ok(envelope) => envelope,
        Err(e) => return HttpResponse::BadRequest().json(json!({"message": e.to_string()})),
    };
    let answer = |body: Bytes| {
        HttpResponse::Ok()
            .content_type(ContentType::json())
            .body(body)
    };
    let message = || {
        let body = json!({
            "message": format!("Welcomed {} (job {})", envelope.payload.full_name, envelope.meta.job.id)
        });
        Bytes::from(serde_json::to_vec(&body).expect("JSON"))
    };
    // With a store, the same duplicate-delivery record as the generated route keeps.
    let Some(store) = req.app_data::<web::Data<MemoryStore>>() else {
        return answer(message());
    };
    let job = format!("/hand#{}", envelope.meta.job.id);
    let token = match store.claim(&job, Duration::from_secs(25)).await {
        Ok(Claim::First { token, .. }) => token,
        Ok(Claim::Recorded(recorded)) => return answer(recorded.body),
        Err(_) => return HttpResponse::ServiceUnavailable().finish(),
    };
    let recorded = RecordedAnswer {
        status: JobStatus::Done,
        body: message(),
    };
    let _ = store.record(&job, token, &recorded).await;
    answer(recorded.body)
}

/// The hand-written handler's app; with `record`, it keeps the same duplicate-delivery record as
/// the generated route (an in-memory store of the default size).
async fn hand_app(
    record: bool,
) -> impl Service<actix_http::Request, Response = ServiceResponse, Error = actix_web::Error> {
    let mut app = App::new()
        .app_data(web::Data::new(
            Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key"),
        ))
        .app_data(web::PayloadConfig::new(1024 * 1024));
    if record {
        app = app.app_data(web::Data::new(MemoryStore::default()));
    }
    test::init_service(app.route("/hand", web::post().to(hand_written))).await
}

/// The SDK factory's `entry_sign_in` body, padded with an unknown attribute to `size` bytes.
fn body_of_size(size: usize) -> Vec<u8> {
    let mut body: Value = serde_json::from_slice(include_bytes!(
        "../../tests/fixtures/sdk-factories/entry_sign_in.0.json"
    ))
    .expect("fixture");
    body["meta"]["job"]["id"] = Value::String(JOB_ID_TEMPLATE.to_owned());
    body["payload"]["attributes"]["x-padding"] = Value::String(String::new());
    let base = serde_json::to_vec(&body).expect("json").len();
    body["payload"]["attributes"]["x-padding"] = Value::String("x".repeat(size - base));
    serde_json::to_vec(&body).expect("json")
}

/// The job id of the body template: each request gets its own job (digits written over the `X`s),
/// as the platform sends, so no request is answered as a duplicate delivery.
const JOB_ID_TEMPLATE: &str = "bench-job-XXXXXXXXXXXX";

/// `body` with a job id of its own (the `n`th).
fn with_job(body: &[u8], n: u64) -> Vec<u8> {
    let mut body = body.to_vec();
    let at = body
        .windows(12)
        .position(|w| w == b"XXXXXXXXXXXX")
        .expect("the template's job id");
    body[at..at + 12].copy_from_slice(format!("{n:012}").as_bytes());
    body
}

fn signed_request(path: &str, body: &[u8]) -> actix_http::Request {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes()).expect("key");
    mac.update(body);
    let signature = base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes());
    test::TestRequest::post()
        .uri(path)
        .insert_header(("content-type", "application/json"))
        .insert_header(("X-Envoy-Signature", signature))
        .set_payload(body.to_vec())
        .to_request()
}

/// Times `iters` requests through `app`, checking each answer is a 200.
async fn run<S, B>(app: &S, body: &[u8], path: &str, iters: u64) -> Duration
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    static JOBS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        // Building the request (a new job, its signature) is outside the timed part.
        let job = JOBS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let req = signed_request(path, &with_job(body, job));
        let started = Instant::now();
        let res = app.call(req).await.expect("response");
        let bytes = test::read_body(res).await;
        total += started.elapsed();
        assert!(bytes.starts_with(b"{\"message\":\"Welcomed"), "{bytes:?}");
    }
    total
}

/// The default log of `envoy_plugin::init_logging`, written to a sink: the whole cost of a line
/// (filter, formatting, queueing, the writer thread) but the terminal's.
fn log_to_sink() -> envoy_plugin::LogGuard {
    envoy_plugin::init_logging_to(std::io::sink()).expect("the bench's first subscriber")
}

/// The generated route as `envoy_plugin::serve` serves it, behind the request log.
async fn generated_app() -> impl Service<
    actix_http::Request,
    Response = ServiceResponse<impl MessageBody>,
    Error = actix_web::Error,
> {
    test::init_service(
        App::new()
            .wrap(actix_web::middleware::from_fn(envoy_plugin::log_request))
            .configure(envoy_plugin::configure(Bench, &Settings::new(SECRET))),
    )
    .await
}

fn bench(c: &mut Criterion) {
    let body = body_of_size(2048);
    assert_eq!(body.len(), 2048);
    let _log = log_to_sink();
    let system = System::new();
    let generated = system.block_on(generated_app());
    let hand = system.block_on(hand_app(true));
    let hand_unrecorded = system.block_on(hand_app(false));

    let mut group = c.benchmark_group("signed 2 KB entry_sign_in");
    group.bench_function("generated #[event] route", |b| {
        b.iter_custom(|iters| {
            system.block_on(run(&generated, &body, "/events/entry_sign_in", iters))
        })
    });
    group.bench_function("hand-written actix-web handler", |b| {
        b.iter_custom(|iters| system.block_on(run(&hand, &body, "/hand", iters)))
    });
    group.bench_function("hand-written, without the duplicate-delivery record", |b| {
        b.iter_custom(|iters| system.block_on(run(&hand_unrecorded, &body, "/hand", iters)))
    });
    group.finish();

    // Drift on a shared machine (frequency, the other core) moves both figures by a few percent
    // between runs; alternating the two in short rounds and comparing medians cancels it.
    let rounds = 41;
    let per_round = 2_000;
    let mut generated_ns = Vec::new();
    let mut hand_ns = Vec::new();
    for round in 0..rounds {
        // Which one goes first alternates, so neither always runs on a warmer machine.
        let (g, h) = if round % 2 == 0 {
            let g = system.block_on(run(&generated, &body, "/events/entry_sign_in", per_round));
            (g, system.block_on(run(&hand, &body, "/hand", per_round)))
        } else {
            let h = system.block_on(run(&hand, &body, "/hand", per_round));
            (
                system.block_on(run(&generated, &body, "/events/entry_sign_in", per_round)),
                h,
            )
        };
        generated_ns.push(g.as_nanos() as f64 / per_round as f64);
        hand_ns.push(h.as_nanos() as f64 / per_round as f64);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (g, h) = (median(&mut generated_ns), median(&mut hand_ns));
    println!(
        "paired medians over {rounds} alternating rounds of {per_round} requests: generated {:.2} µs, hand-written {:.2} µs, overhead {:+.1}%",
        g / 1000.0,
        h / 1000.0,
        (g / h - 1.0) * 100.0
    );
}

/// `WORKER_ROUTE_ONLY=generated|hand|unrecorded WORKER_ROUTE_COUNT=N`: run N requests through one side and
/// exit, for instruction counts under `valgrind --tool=callgrind` (repeatable, unlike timings).
fn count_only() -> bool {
    let (Ok(side), Ok(count)) = (
        std::env::var("WORKER_ROUTE_ONLY"),
        std::env::var("WORKER_ROUTE_COUNT"),
    ) else {
        return false;
    };
    let count: u64 = count.parse().expect("WORKER_ROUTE_COUNT is a number");
    let body = body_of_size(2048);
    let system = System::new();
    if side == "generated" {
        let _log = log_to_sink();
        let app = system.block_on(generated_app());
        system.block_on(run(&app, &body, "/events/entry_sign_in", count));
    } else {
        let app = system.block_on(hand_app(side == "hand"));
        system.block_on(run(&app, &body, "/hand", count));
    }
    true
}

criterion_group!(benches, bench);

fn main() {
    if !count_only() {
        benches();
        Criterion::default().configure_from_args().final_summary();
    }
}
